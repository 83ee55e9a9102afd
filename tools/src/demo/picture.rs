//! Pictures of a byte stream: where the writes fell, and where the reads fell (lessons 5 and 6).
//!
//! The sticky-packet problem is a mismatch of boundaries: the sender's messages are cut one way,
//! the receiver's reads another. A picture shows it at a glance:
//!
//! ```text
//! client writes  |echo a|echo b|echo c|
//! server reads   |echo aecho becho c  |   one read, three messages: 粘包
//! ```
//!
//! Each row cuts the same stream of bytes at different places: the writes one side was observed
//! to make, the reads the other made ([`Row::cut_by`] an experiment's observations), or the parts
//! a reader asks for. The first row is the *messages*;
//! in colour, every byte is painted with the colour of the message it belongs to, so a read that
//! mixes colours is a read that mixes messages. Without colour (stdout is not a terminal, or
//! `NO_COLOR` is set) the `|` marks still tell the story.
//!
//! A picture is drawn within the columns it is given (the demo's 80, less its indent). A stream
//! that fits is spelled out byte by byte, as above; a longer one is drawn roughly to scale, as
//! large as fits (up to `MAX_SCALE` columns), with a label per piece instead of its bytes.

use anstyle::{AnsiColor, Style};

use super::{display_width, pad};

/// The most columns a stream drawn to scale is spread across (its labels may need more): wider
/// would show nothing more, and leaves less room for the notes beside the rows.
const MAX_SCALE: usize = 64;

/// The most columns a piece's label asks for; a longer label is cut (with `…`).
const MAX_LABEL: usize = 24;

const COLOURS: [AnsiColor; 4] = [
    AnsiColor::Cyan,
    AnsiColor::Yellow,
    AnsiColor::Magenta,
    AnsiColor::Green,
];

/// One way of cutting the stream: a name, the lengths of its pieces, and a note for the margin.
#[derive(Debug, Clone)]
pub struct Row {
    name: String,
    pieces: Vec<Piece>,
    note: String,
}

/// One piece of a row: `len` bytes, drawn as `label` when the stream is too long to spell out.
#[derive(Debug, Clone)]
pub struct Piece {
    pub len: usize,
    pub label: String,
}

impl Piece {
    pub fn new(len: usize, label: impl Into<String>) -> Piece {
        Piece {
            len,
            label: label.into(),
        }
    }
}

impl Row {
    pub fn new(name: &str, pieces: Vec<Piece>, note: &str) -> Row {
        Row {
            name: name.to_string(),
            pieces,
            note: note.to_string(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    pub fn note(&self) -> &str {
        &self.note
    }

    /// A row cut where `chunks` fall (an actor's observed writes, or its reads), each piece
    /// labelled by `label` (shown when the stream is drawn to scale).
    pub fn cut_by(
        name: &str,
        chunks: &[&[u8]],
        label: impl Fn(&[u8]) -> String,
        note: &str,
    ) -> Row {
        let pieces = chunks
            .iter()
            .map(|c| Piece::new(c.len(), label(c)))
            .collect();
        Row::new(name, pieces, note)
    }
}

/// A stream of bytes and the rows that cut it. The first row is the messages.
///
/// A picture owns its bytes, so that a demo can keep what it drew and draw it a second time,
/// for the browser ([`super::svg`]), without running anything again.
#[derive(Debug, Clone)]
pub struct Picture {
    bytes: Vec<u8>,
    rows: Vec<Row>,
}

impl Picture {
    pub fn new(bytes: &[u8]) -> Picture {
        Picture {
            bytes: bytes.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(mut self, row: Row) -> Picture {
        self.rows.push(row);
        self
    }

    /// The stream every row cuts.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The rows, the messages first.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Draws the picture as lines of text at most `max_width` columns wide (with ANSI colours
    /// when `colour` is true).
    pub fn render(&self, colour: bool, max_width: usize) -> Vec<String> {
        let name_width = self.rows.iter().map(|r| display_width(&r.name)).max();
        let name_room = name_width.unwrap_or(0) + 2;
        let (spelled_out, cuts) = self.layout(max_width.saturating_sub(name_room), MAX_SCALE);
        let message_of = |offset: usize| {
            let mut end = 0;
            for (i, piece) in self.rows[0].pieces.iter().enumerate() {
                end += piece.len;
                if offset < end {
                    return i;
                }
            }
            self.rows[0].pieces.len()
        };
        let paint = |text: &str, message: usize| {
            if colour {
                let style = Style::new().fg_color(Some(COLOURS[message % COLOURS.len()].into()));
                format!("{style}{text}{style:#}")
            } else {
                text.to_string()
            }
        };
        let width = cuts.last().map_or(0, |(_, col)| col + 1);

        let mut lines = Vec::new();
        for row in &self.rows {
            let mut line = format!("{}  ", pad(&row.name, name_width.unwrap_or(0)));
            let mut drawn = 0; // columns drawn so far
            let mut offset = 0;
            for piece in row.pieces.iter().filter(|piece| piece.len > 0) {
                let start_col = column_of(&cuts, offset);
                let end_col = column_of(&cuts, offset + piece.len);
                line.push('|');
                let room = end_col - start_col - 1;
                if spelled_out {
                    // Every byte in its own message's colour: one run of text per message.
                    let mut run = String::new();
                    let mut run_message = message_of(offset);
                    for (i, &byte) in self.bytes[offset..offset + piece.len].iter().enumerate() {
                        if message_of(offset + i) != run_message {
                            line.push_str(&paint(&run, run_message));
                            run.clear();
                            run_message = message_of(offset + i);
                        }
                        run.push(cell(byte));
                    }
                    line.push_str(&paint(&run, run_message));
                    line.push_str(&" ".repeat(room - piece.len));
                } else {
                    let label = fit(&piece.label, room);
                    line.push_str(&paint(&label, message_of(offset)));
                }
                drawn = end_col;
                offset += piece.len;
            }
            if !row.pieces.is_empty() {
                line.push('|');
                drawn += 1;
            }
            if row.note.is_empty() {
                lines.push(line);
            } else if name_room + width + 2 + display_width(&row.note) <= max_width {
                line.push_str(&" ".repeat(width.saturating_sub(drawn)));
                lines.push(format!("{line}  {}", row.note));
            } else {
                // No room beside the row: the note goes underneath.
                lines.push(line);
                lines.push(format!("{}└ {}", " ".repeat(name_room), row.note));
            }
        }
        lines
    }

    /// Whether the stream is spelled out, and where each cut falls, as (byte offset, column):
    /// spelled out if that fits in `room` columns, otherwise to the largest scale up to
    /// `max_scale` that fits (or the smallest, if even that does not: labels keep their room).
    /// The terminal spreads a stream across at most `MAX_SCALE` columns; a browser, which has
    /// more, across more.
    pub fn layout(&self, room: usize, max_scale: usize) -> (bool, Vec<(usize, usize)>) {
        let fits = |cuts: &[(usize, usize)]| cuts.last().map_or(0, |(_, col)| col + 1) <= room;
        let spelled_out = self.columns(None);
        if fits(&spelled_out) {
            return (true, spelled_out);
        }
        let mut scale = room.clamp(1, max_scale.max(1));
        loop {
            let cuts = self.columns(Some(scale));
            if scale == 1 || fits(&cuts) {
                return (false, cuts);
            }
            scale -= 1;
        }
    }

    /// Where each cut falls, as (byte offset, column), with every byte in a column of its own
    /// (`scale` is `None`) or with the whole stream drawn across about `scale` columns. Every
    /// row's cuts are laid out together so that the rows line up; each piece gets at least the
    /// room its label needs.
    fn columns(&self, scale: Option<usize>) -> Vec<(usize, usize)> {
        let total = self.bytes.len();
        let mut ends: Vec<(usize, usize, usize)> = Vec::new(); // (end, start, room needed)
        for row in &self.rows {
            let mut offset = 0;
            for piece in row.pieces.iter().filter(|piece| piece.len > 0) {
                let needed = match scale {
                    None => piece.len,
                    Some(_) => display_width(&piece.label).min(MAX_LABEL),
                };
                ends.push((offset + piece.len, offset, needed));
                offset += piece.len;
            }
        }
        let mut offsets: Vec<usize> = ends.iter().map(|&(end, _, _)| end).collect();
        offsets.push(0);
        offsets.sort_unstable();
        offsets.dedup();

        let mut cuts: Vec<(usize, usize)> = Vec::new();
        for offset in offsets {
            let ideal = match scale {
                None => offset,
                // Rounded, not truncated, so that equal pieces come out as equal as columns allow.
                Some(scale) => (offset * scale + total / 2) / total.max(1),
            };
            let mut col = ideal;
            if let Some(&(_, prev)) = cuts.last() {
                col = col.max(prev + 1);
            }
            for &(end, start, needed) in &ends {
                if end == offset && end != start {
                    col = col.max(column_of(&cuts, start) + 1 + needed);
                }
            }
            cuts.push((offset, col));
        }
        cuts
    }
}

/// The column where the cut at byte `offset` falls (from [`Picture::layout`]'s cuts).
pub fn column_of(cuts: &[(usize, usize)], offset: usize) -> usize {
    cuts.iter()
        .find(|&&(o, _)| o == offset)
        .map_or(0, |&(_, col)| col)
}

/// How one byte is drawn: printable ASCII as itself, a newline as ↵, anything else as ·.
pub fn cell(byte: u8) -> char {
    match byte {
        b'\n' => '↵',
        b' '..=b'~' => byte as char,
        _ => '·',
    }
}

/// `label` cut, or padded with a line, to exactly `room` columns. The line shows how far the
/// piece reaches, and carries its colour.
fn fit(label: &str, room: usize) -> String {
    let width = display_width(label);
    if width <= room {
        format!("{label}{}", "─".repeat(room - width))
    } else if room == 0 {
        String::new()
    } else {
        let mut cut = String::new();
        for c in label.chars() {
            if display_width(&cut) + display_width(c.encode_utf8(&mut [0; 4])) > room - 1 {
                break;
            }
            cut.push(c);
        }
        cut.push('…');
        // A wide character that did not fit leaves a column: the line fills it.
        let short = room - display_width(&cut);
        cut.push_str(&"─".repeat(short));
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glued_read_spans_three_writes() {
        let stream = b"echo aecho becho c";
        let lines = Picture::new(stream)
            .row(Row::new(
                "client writes",
                vec![Piece::new(6, ""), Piece::new(6, ""), Piece::new(6, "")],
                "",
            ))
            .row(Row::new(
                "server reads",
                vec![Piece::new(18, "")],
                "one read",
            ))
            .render(false, 78);
        assert_eq!(lines[0], "client writes  |echo a|echo b|echo c|");
        assert_eq!(lines[1], "server reads   |echo aecho becho c  |  one read");
    }

    #[test]
    fn long_streams_are_drawn_to_scale_with_labels() {
        let stream = vec![b'x'; 4000];
        let lines = Picture::new(&stream)
            .row(Row::new(
                "server writes",
                vec![Piece::new(3997, "seq 1000: 3893 B"), Piece::new(3, "hi")],
                "",
            ))
            .row(Row::new(
                "client reads",
                vec![Piece::new(1024, "1024 B"), Piece::new(1024, "1024 B")],
                "",
            ))
            .render(false, 78);
        let bar = |line: &str, n: usize| line.match_indices('|').nth(n).unwrap().0;
        // The second read ends left of where the first message ends, and the rows line up.
        assert!(bar(&lines[1], 2) < bar(&lines[0], 1), "{lines:#?}");
        assert!(lines[0].contains("seq 1000: 3893 B"));
        assert!(lines[0].contains("|hi|"));
    }

    #[test]
    fn a_picture_fits_the_columns_it_is_given() {
        // Lesson 6's big reply and small reply: every piece of the small one needs room for its
        // label, and the big one is drawn in what is left.
        let stream = vec![b'x'; 3954 + 59];
        let frames = [(4, 57, 3893), (4, 52, 3)];
        let parts = frames
            .iter()
            .flat_map(|&(len, header, body)| {
                [
                    Piece::new(len, "len"),
                    Piece::new(header, "header"),
                    Piece::new(body, "body"),
                ]
            })
            .collect();
        let picture = Picture::new(&stream)
            .row(Row::new(
                "server writes",
                vec![
                    Piece::new(3954, "reply frame: seq 1000"),
                    Piece::new(59, "hi"),
                ],
                "two reply frames",
            ))
            .row(Row::new("read_frame asks", parts, ""));
        for max_width in [60, 70, 78] {
            let lines = picture.render(false, max_width);
            for line in &lines {
                assert!(display_width(line) <= max_width, "{max_width}: {lines:#?}");
            }
            assert!(lines[0].contains("|hi"), "{lines:#?}");
        }
        // With room to spare, the note stays beside its row.
        assert!(picture.render(false, 120)[0].ends_with("two reply frames"));
    }

    #[test]
    fn colour_is_optional() {
        let picture = Picture::new(b"ab").row(Row::new(
            "m",
            vec![Piece::new(1, ""), Piece::new(1, "")],
            "",
        ));
        assert!(picture.render(true, 78)[0].contains("\u{1b}["));
        assert!(!picture.render(false, 78)[0].contains('\u{1b}'));
    }

    #[test]
    fn empty_pieces_take_no_room() {
        let lines = Picture::new(b"len")
            .row(Row::new(
                "frame",
                vec![Piece::new(3, ""), Piece::new(0, "body")],
                "",
            ))
            .render(false, 78);
        assert_eq!(lines[0], "frame  |len|");
    }
}
