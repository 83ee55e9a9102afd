//! Text that came from a peer, made safe to print in a log line or on a terminal.
//!
//! A log line is read by a person and often by a program, and a terminal obeys the control
//! characters it is sent. So a client that can put a newline into something we log can forge a
//! whole log line (`x\nERROR [server] FORGED`), and one that can put an ESC in can move the
//! cursor, change the window title or clear an instructor's screen. Every piece of peer text that
//! reaches a log or a terminal goes through [`peer_text`], which:
//!
//! - puts it in double quotes, so where it starts and ends is never in doubt;
//! - escapes newlines, tabs, ESC and every other control character (`\n`, `\t`, `\x1b`, `\u{9b}`),
//!   the Unicode characters that reorder or hide text (`\u{202e}`), quotes and backslashes;
//! - shows bytes that are not UTF-8 as `\xff` instead of dropping them;
//! - cuts long values short, and says how long they were: a 60 KiB "md5" is not logged whole.

use std::fmt::{self, Write};

use i18n_embed_fl::fl;

use crate::i18n::Lang;

/// How many characters of peer text are shown before it is cut short.
pub const SHOWN: usize = 80;

/// Peer text, ready to print: `{}` shows it quoted, escaped and cut to [`SHOWN`] characters.
pub fn peer_text(bytes: &(impl AsRef<[u8]> + ?Sized)) -> PeerText<'_> {
    PeerText {
        bytes: bytes.as_ref(),
        shown: SHOWN,
    }
}

/// See [`peer_text`].
#[derive(Debug, Clone, Copy)]
pub struct PeerText<'a> {
    bytes: &'a [u8],
    shown: usize,
}

impl PeerText<'_> {
    /// Shows at most `chars` characters instead of [`SHOWN`].
    pub fn cut_at(self, chars: usize) -> Self {
        PeerText {
            shown: chars,
            ..self
        }
    }

    /// The text as a person reads it, in the process's language: what `{}` shows, but the tail
    /// of a cut value says its length in that language (`"abc"…（6 字节）`). `Display` is
    /// English, for the log.
    pub fn told(&self) -> String {
        let mut told = String::new();
        let _ = self.write(&mut told, crate::i18n::current());
        told
    }

    fn write(&self, f: &mut impl Write, lang: Lang) -> fmt::Result {
        let cut = |f: &mut dyn Write| write!(f, "\"{}", tail_in(self.bytes.len(), lang));
        f.write_char('"')?;
        let mut shown = 0;
        for chunk in self.bytes.utf8_chunks() {
            for c in chunk.valid().chars() {
                if shown == self.shown {
                    return cut(f);
                }
                write_escaped(f, c)?;
                shown += 1;
            }
            for byte in chunk.invalid() {
                if shown == self.shown {
                    return cut(f);
                }
                write!(f, "\\x{byte:02x}")?;
                shown += 1;
            }
        }
        f.write_char('"')
    }
}

/// What a value cut short ends with, after its closing quote, in the process's language:
/// `… (126 bytes)`, `…（126 字节）` (`len` is the whole value's length in bytes).
pub fn cut_tail(len: usize) -> String {
    tail_in(len, crate::i18n::current())
}

fn tail_in(len: usize, lang: Lang) -> String {
    let loader = crate::i18n::loader_in(lang);
    fl!(loader, "peer-text-cut", bytes = len.to_string())
}

/// In English, for a log line (and every other place that keeps English).
impl fmt::Display for PeerText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, Lang::En)
    }
}

/// Peer bytes for a terminal, as a client prints a reply: the same escapes as [`peer_text`], but
/// the layout kept (newlines and tabs pass, and quotes and backslashes are left alone), with no
/// quotes around it and no cut.
pub fn for_terminal(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' | '\t' | '"' | '\\' => out.push(c),
                c => {
                    let _ = write_escaped(&mut out, c);
                }
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out
}

fn write_escaped(f: &mut impl Write, c: char) -> fmt::Result {
    match c {
        '\n' => f.write_str("\\n"),
        '\r' => f.write_str("\\r"),
        '\t' => f.write_str("\\t"),
        '"' => f.write_str("\\\""),
        '\\' => f.write_str("\\\\"),
        c if (c as u32) < 0x80 && c.is_control() => write!(f, "\\x{:02x}", c as u32),
        c if c.is_control() || hides_or_reorders(c) => write!(f, "\\u{{{:x}}}", c as u32),
        c => f.write_char(c),
    }
}

/// Invisible characters, the line and paragraph separators and the bidirectional controls: they
/// make text look other than it is (or start a new line where a log reader sees none).
pub fn hides_or_reorders(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{2029}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061c}'
            | '\u{feff}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(bytes: &[u8]) -> String {
        peer_text(bytes).to_string()
    }

    #[test]
    fn plain_text_is_only_quoted() {
        assert_eq!(show(b"echo hi"), r#""echo hi""#);
        assert_eq!(show("你好".as_bytes()), "\"你好\"");
    }

    #[test]
    fn a_forged_log_line_stays_on_its_line() {
        let forged = show(b"x\nERROR [server] FORGED LOG LINE");
        assert_eq!(forged, r#""x\nERROR [server] FORGED LOG LINE""#);
        assert!(!forged.contains('\n'));
    }

    #[test]
    fn terminal_escapes_and_controls_are_escaped() {
        let title = show(b"\x1b]0;pwned\x07\x1b[2J\r\t\x7f");
        assert_eq!(title, r#""\x1b]0;pwned\x07\x1b[2J\r\t\x7f""#);
        assert_eq!(show("\u{9b}31m".as_bytes()), r#""\u{9b}31m""#);
        assert_eq!(show("a\u{202e}b".as_bytes()), r#""a\u{202e}b""#);
        assert_eq!(show("a\u{2028}b".as_bytes()), r#""a\u{2028}b""#);
        assert_eq!(show(br#"say "hi" \ bye"#), r#""say \"hi\" \\ bye""#);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_shown_not_lost() {
        assert_eq!(show(&[b'a', 0xff, 0xfe, b'b']), r#""a\xff\xfeb""#);
    }

    #[test]
    fn terminal_output_keeps_its_layout_and_loses_its_escapes() {
        assert_eq!(for_terminal(b"a\tb\n\"c\"\n"), "a\tb\n\"c\"\n");
        assert_eq!(
            for_terminal(b"\x1b]0;pwned\x07x\r"),
            "\\x1b]0;pwned\\x07x\\r"
        );
        assert_eq!(for_terminal(b"\xc4\xe3 ok"), "\\xc4\\xe3 ok");
    }

    #[test]
    fn long_values_are_cut_with_their_length() {
        let long = vec![b'x'; 60 * 1024];
        let shown = show(&long);
        assert_eq!(shown, format!("\"{}\"… (61440 bytes)", "x".repeat(SHOWN)));
        assert_eq!(
            peer_text(b"abcdef").cut_at(3).to_string(),
            "\"abc\"… (6 bytes)"
        );
        assert_eq!(peer_text(b"abc").cut_at(3).to_string(), "\"abc\"");
    }

    #[test]
    fn a_cut_value_says_its_length_in_the_language_asked_for() {
        let cut = peer_text(b"abcdef").cut_at(3);
        let in_lang = |lang| {
            let mut text = String::new();
            cut.write(&mut text, lang).unwrap();
            text
        };
        assert_eq!(in_lang(Lang::En), "\"abc\"… (6 bytes)");
        assert_eq!(in_lang(Lang::Zh), "\"abc\"…（6 字节）");
        // Not cut: nothing to say, the same in both.
        let mut whole = String::new();
        peer_text(b"abc").write(&mut whole, Lang::Zh).unwrap();
        assert_eq!(whole, "\"abc\"");
    }
}
