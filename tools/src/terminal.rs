//! How wide the tools' reports may be, and how a long line is folded to fit.
//!
//! A report read on a projector (100 columns) or in a default terminal (80) must not run past
//! its right edge: the terminal would break it wherever the edge falls, mid-word. So `grade` and
//! `compare` ask [`width`] and fold their lines themselves, at spaces, keeping each continuation
//! under the text it continues.

use std::io::IsTerminal;

use crate::demo::display_width;

/// Whether `c` takes two columns (a Chinese character or mark).
fn is_wide(c: char) -> bool {
    unicode_width::UnicodeWidthChar::width(c) == Some(2)
}

/// The width when standard output is not a terminal (a file, a pipe), and `COLUMNS` does not
/// say otherwise: the classic terminal's.
pub const DEFAULT_WIDTH: usize = 80;

/// The narrowest width honoured: below this no table or report can be laid out usefully.
const NARROWEST: usize = 40;

/// The columns a report on standard output may use: the terminal's width, or `COLUMNS` (the
/// shell's variable, which also lets a script ask for a width), or [`DEFAULT_WIDTH`].
pub fn width() -> usize {
    let terminal = std::io::stdout()
        .is_terminal()
        .then(|| terminal_size::terminal_size_of(std::io::stdout()))
        .flatten()
        .map(|(terminal_size::Width(columns), _)| usize::from(columns));
    let asked = std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse().ok());
    terminal.or(asked).unwrap_or(DEFAULT_WIDTH).max(NARROWEST)
}

/// An `error: ` line folded to `width` columns (a tool's to [`width`], a usage error's to 80):
/// the rest of a long sentence goes on under its start, so the first line is still the one that
/// begins `error: ` (what scripts `grep` for). Ends with `\n`.
pub fn error_line(message: &str, width: usize) -> String {
    fold(message, width, "error: ", "       ")
}

/// Folds `text` into lines of at most `width` columns: the first starts with `first`, the others
/// with `then` (usually spaces as wide as `first`, so the text lines up under itself). Lines are
/// broken at spaces, and inside a run of Chinese, which has no spaces, between two characters
/// ([`pieces`]: never before a closing mark such as `，` or `）`, nor inside a word of English
/// written among them); a word too long for a line of its own (peer bytes, quoted) is cut where
/// the line ends. Every line ends with `\n`.
pub fn fold(text: &str, width: usize, first: &str, then: &str) -> String {
    fold_words(text, width, first, then, pieces)
}

/// [`fold`], but a line breaks at spaces only: a word is never broken between two characters
/// (only cut, if it is wider than a line). English narration, which glosses a term in Chinese
/// (`(并发)`), keeps the gloss whole, as it always has.
pub fn fold_at_spaces(text: &str, width: usize, first: &str, then: &str) -> String {
    fold_words(text, width, first, then, |word| vec![word])
}

/// The fold itself: `pieces` says where a word may break.
fn fold_words(
    text: &str,
    width: usize,
    first: &str,
    then: &str,
    pieces: fn(&str) -> Vec<&str>,
) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split(' ') {
        for (i, piece) in pieces(word).into_iter().enumerate() {
            // The first piece of a word follows a space; the others follow their neighbour.
            let gap = usize::from(i == 0 && !empty);
            if !empty && display_width(&line) + gap + display_width(piece) > width {
                out.push_str(line.trim_end());
                out.push('\n');
                line = then.to_string();
            } else if gap == 1 {
                line.push(' ');
            }
            // A piece wider than a whole line is cut at the edge, and goes on on the next.
            let rest = cut_at_edges(&mut out, &mut line, piece, width, then);
            line.push_str(rest);
            empty = false;
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// A word (text without spaces) cut where a line may break inside it: between two characters
/// when either is wide (Chinese), unless the second is a mark that closes or the first one that
/// opens, as Chinese typesetting does. A word of English is one piece, even inside Chinese
/// (`second-client、third-client` breaks after the `、` only).
pub fn pieces(word: &str) -> Vec<&str> {
    const NO_BREAK_BEFORE: &str = "，。、；：？！）》」』”’…—,.;:?!)]}%'\"";
    const NO_BREAK_AFTER: &str = "（《「『“‘([{'\"";
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut previous: Option<char> = None;
    for (at, c) in word.char_indices() {
        if let Some(before) = previous {
            let may_break = (is_wide(before) || is_wide(c))
                && !NO_BREAK_BEFORE.contains(c)
                && !NO_BREAK_AFTER.contains(before);
            if may_break {
                pieces.push(&word[start..at]);
                start = at;
            }
        }
        previous = Some(c);
    }
    pieces.push(&word[start..]);
    pieces
}

/// `text` (bytes a peer sent, shown escaped) in lines of at most `width` columns: the first
/// starting with `first`, the others with `then`. Unlike [`fold`], nothing is taken out (a space
/// where a line ends is the peer's, and stays), so the lines put back together are the text;
/// a line is cut at its edge, never inside a character or an escape. Every line ends with `\n`.
pub fn cut(text: &str, width: usize, first: &str, then: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let rest = cut_at_edges(&mut out, &mut line, text, width, then);
    line.push_str(rest);
    out.push_str(&line);
    out.push('\n');
    out
}

/// Cuts `rest` where `line` reaches `width`, and the lines after it (each begun with `then`),
/// until what is left fits: each full line goes to `out`. Returns what is left, for the caller
/// to put on `line`.
fn cut_at_edges<'a>(
    out: &mut String,
    line: &mut String,
    mut rest: &'a str,
    width: usize,
    then: &str,
) -> &'a str {
    while display_width(line) + display_width(rest) > width && display_width(line) < width {
        let (head, tail) = split_at_width(rest, width - display_width(line));
        if head.is_empty() {
            break;
        }
        line.push_str(head);
        out.push_str(line);
        out.push('\n');
        *line = then.to_string();
        rest = tail;
    }
    rest
}

/// `text` cut after at most `columns` columns: never inside a character, and not inside an
/// escape (`\x00`, `\n`) when one would be cut in two (peer bytes are shown escaped).
fn split_at_width(text: &str, columns: usize) -> (&str, &str) {
    let mut used = 0;
    let mut cut = text.len();
    for (at, c) in text.char_indices() {
        used += display_width(c.encode_utf8(&mut [0; 4]));
        if used > columns {
            cut = at;
            break;
        }
    }
    // Chinese typesetting never starts a line with a closing mark: it stays with its character.
    const CLOSING: &str = "，。、；：？！）》」』”’…";
    if let Some((before, _)) = text[cut..]
        .chars()
        .next()
        .filter(|c| CLOSING.contains(*c))
        .and_then(|_| text[..cut].char_indices().next_back())
    {
        if before > 0 {
            cut = before;
        }
    }
    if let Some(escape) = text[..cut].rfind('\\') {
        if escape > 0 && cut - escape < 4 && cut < text.len() {
            cut = escape;
        }
    }
    text.split_at(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_folded_at_spaces_under_itself() {
        let text = "first reply \"aecho b\\n\" instead: one read was taken for one whole command \
                    (粘包, sticky packets)";
        let folded = fold(text, 60, "        observed: ", "                  ");
        for line in folded.lines() {
            assert!(display_width(line) <= 60, "{line:?}");
        }
        assert_eq!(
            folded,
            "        observed: first reply \"aecho b\\n\" instead: one read\n\
             \x20                 was taken for one whole command (粘包,\n\
             \x20                 sticky packets)\n"
        );
        // What fits is left alone.
        assert_eq!(fold("short", 60, "  ", "    "), "  short\n");
    }

    #[test]
    fn chinese_is_folded_between_characters_never_before_a_closing_mark() {
        let text = "服务端回答了请求的一块就挂断了：围绕 recv 的循环（通信循环）保住连接，\
                    一直读到请求完整才保证它是一个请求";
        let folded = fold(text, 40, "        提示：", "              ");
        for line in folded.lines() {
            assert!(display_width(line) <= 40, "{line:?}");
            let body = line.trim_start();
            assert!(!body.starts_with(['，', '。', '）', '：']), "{line:?}");
        }
        // Nothing lost: the lines put together are the text (a space only where it had one).
        let joined: String = folded
            .lines()
            .map(|line| line.trim_start().trim_start_matches("提示："))
            .collect::<Vec<_>>()
            .join("");
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
        // The first line is filled, not left short by a word that did not fit whole.
        assert!(
            display_width(folded.lines().next().unwrap()) >= 38,
            "{folded}"
        );
    }

    #[test]
    fn peer_bytes_are_cut_at_the_edge_and_nothing_is_taken_out() {
        let shown = format!("\"{} 你好\\x1b[2J{}\"", "ab ".repeat(40), "z".repeat(70));
        let lines = cut(&shown, 40, "  ", "   ");
        for line in lines.lines() {
            assert!(display_width(line) <= 40, "{line:?}");
            assert!(!line.ends_with('\\'), "an escape cut in two: {line:?}");
        }
        let joined: String = lines
            .lines()
            .enumerate()
            .map(|(i, line)| if i == 0 { &line[2..] } else { &line[3..] })
            .collect();
        assert_eq!(joined, shown);
        // What fits is one line, as it was.
        assert_eq!(cut("\"hi\"", 40, "  ", "   "), "  \"hi\"\n");
    }

    #[test]
    fn a_word_wider_than_a_line_is_cut_at_the_edge() {
        let bytes = format!("\"{}\"", "\\x00".repeat(30));
        let folded = fold(&bytes, 40, "  observed: ", "            ");
        let lines: Vec<&str> = folded.lines().collect();
        assert!(lines.len() > 2, "{folded}");
        for line in &lines {
            assert!(display_width(line) <= 40, "{line:?}");
        }
        let joined: String = lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                if i == 0 {
                    &line[12..]
                } else {
                    line.trim_start()
                }
            })
            .collect();
        assert_eq!(joined, bytes);
        // No escape is cut in two.
        for line in &lines {
            assert!(line.ends_with("\\x00") || line.ends_with('"'), "{line:?}");
        }
    }
}
