//! The byte stream drawn for a browser, as SVG: the same pictures the terminal draws, larger, in
//! colour *and* pattern (so a black-and-white print still tells the messages apart), with every
//! byte of every write and read in the page.
//!
//! Two kinds of figure:
//!
//! - a **stream** ([`stream`]): a [`Picture`] (one stream of bytes, and the rows that cut it:
//!   the writes one side made, the reads the other side got), one lane per row. Boxes stand
//!   where the terminal puts its `|` marks, from the same layout ([`Picture::layout`]), so a box
//!   is as wide as its bytes when the stream is short enough to spell out, and roughly to scale
//!   otherwise. Each box is filled with the colour and pattern of the message (first row) its
//!   bytes belong to: a read that holds three fills holds three messages, at a glance;
//! - a **conversation** ([`conversation`]): what an experiment observed, in time order, two
//!   lanes per client: what it wrote and what it read, one box per `write` and per `read`, left
//!   to right in the order they happened, each as wide as its bytes (up to [`SPELLED`] bytes,
//!   one column per byte; beyond, a column more each time the length doubles, the length written
//!   in the box). Silences, ends and resets are marked where they happened.
//!
//! Bytes are labelled as the terminal picture labels them ([`super::picture::cell`]: printable
//! ASCII as itself, a newline as ↵, anything else as ·); each box's full bytes are its tooltip
//! (`<title>`), so the text of every write and read is in the page. Every sentence a figure adds
//! is in [`Words`], for translation. Each figure is a complete SVG document on its own (its
//! `xmlns`, its styles as attributes, its pattern ids prefixed by the figure's id), so it can be
//! cut out of the page and shown as an image, as the book does.

use std::fmt::Write as _;

use super::picture::{Picture, cell, column_of};
use super::{display_width, show};
use crate::page::{MONO_FONTS, escape};
use crate::scenario::record::SERVER;
use crate::scenario::{Act, Event, Protocol};
use crate::t;

/// Everything a figure says in words, in one place, in the chosen language (the catalogue's
/// `demo-svg-*` messages).
pub struct Words {
    pub writes: String,
    pub reads: String,
    pub connects: String,
    pub refused: String,
    pub closes: String,
    pub resets: String,
    pub shuts: String,
    pub end_of_stream: String,
    pub reset_by_peer: String,
    pub read_fails: String,
    pub write_fails: String,
    pub nothing_for: String,
    pub server_starts: String,
    pub server_stopped: String,
    pub server_exits: String,
    pub server_stays: String,
    pub in_writes: String,
    pub in_reads: String,
    pub bytes: String,
    pub more_bytes: String,
    pub stream_title: String,
    pub conversation_title: String,
}

impl Words {
    /// The words in the language chosen for this process.
    pub fn current() -> Words {
        Words {
            writes: t!("demo-svg-writes"),
            reads: t!("demo-svg-reads"),
            connects: t!("demo-svg-connects"),
            refused: t!("demo-svg-refused"),
            closes: t!("demo-svg-closes"),
            resets: t!("demo-svg-resets"),
            shuts: t!("demo-svg-shuts"),
            end_of_stream: t!("demo-svg-end-of-stream"),
            reset_by_peer: t!("demo-svg-reset-by-peer"),
            read_fails: t!("demo-svg-read-fails"),
            write_fails: t!("demo-svg-write-fails"),
            nothing_for: t!("demo-svg-nothing-for"),
            server_starts: t!("demo-svg-server-starts"),
            server_stopped: t!("demo-svg-server-stopped"),
            server_exits: t!("demo-svg-server-exits"),
            server_stays: t!("demo-svg-server-stays"),
            in_writes: t!("demo-svg-in-writes"),
            in_reads: t!("demo-svg-in-reads"),
            bytes: t!("demo-svg-bytes"),
            more_bytes: t!("demo-svg-more-bytes"),
            stream_title: t!("demo-svg-stream-title"),
            conversation_title: t!("demo-svg-conversation-title"),
        }
    }
}

/// The figures' measures, in pixels: one column of monospace text, a lane, the gaps.
const FONT: usize = 15;
const COLUMN: usize = 9;
const LANE: usize = 30;
const GAP: usize = 10;
const MARGIN: usize = 8;
/// How many columns a stream may spread across (the terminal has 64 at most).
const STREAM_COLUMNS: usize = 56;
/// How wide a figure may grow (a conversation's band, before it goes on in a band below; a
/// stream with the notes beside it): what the page's figure column holds at 1280 pixels.
const BAND: usize = 720;
/// Up to this many bytes, a conversation's box is one column per byte and shows every byte.
pub const SPELLED: usize = 24;
/// The widest a conversation's box gets, in columns.
const WIDEST: usize = 29;
/// The most bytes one tooltip holds; the rest is counted.
const TOOLTIP: usize = 4096;

/// Light fills that black text reads on, in the terminal picture's order (cyan, yellow,
/// magenta, green), and for each a pattern of its own for paper without colour.
const FILLS: [&str; 4] = ["#c9ecfa", "#fff0a8", "#f5cdee", "#cdf2c6"];
const INK: &str = "#111";

/// The bytes as a box labels them: each as the terminal picture draws it.
pub fn label(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| cell(b)).collect()
}

/// The bytes as a tooltip holds them: escaped as the play-by-play shows them, at most
/// `TOOLTIP` bytes, and how many more.
pub fn tooltip(bytes: &[u8]) -> String {
    if bytes.len() <= TOOLTIP {
        show(bytes)
    } else {
        format!(
            "{} … ({} {})",
            show(&bytes[..TOOLTIP]),
            bytes.len() - TOOLTIP,
            Words::current().more_bytes
        )
    }
}

/// The `<defs>` of a figure: one pattern per message colour, ids prefixed by `id`.
fn patterns(id: &str) -> String {
    let mut defs = String::from("<defs>");
    for (i, fill) in FILLS.iter().enumerate() {
        // Plain, diagonal lines, dots, crossed lines: four fills a grey print tells apart.
        let marks = match i {
            0 => "",
            1 => "<path d=\"M0,8 L8,0\" stroke=\"#0007\" stroke-width=\"1.2\"/>",
            2 => "<circle cx=\"4\" cy=\"4\" r=\"1.3\" fill=\"#0008\"/>",
            _ => "<path d=\"M0,4 L8,4 M4,0 L4,8\" stroke=\"#0006\" stroke-width=\"1\"/>",
        };
        let _ = write!(
            defs,
            "<pattern id=\"{id}-m{i}\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">\
             <rect width=\"8\" height=\"8\" fill=\"{fill}\"/>{marks}</pattern>"
        );
    }
    defs.push_str("</defs>");
    defs
}

fn fill(id: &str, message: usize) -> String {
    format!("url(#{id}-m{})", message % FILLS.len())
}

/// An SVG document of `width` × `height` holding `content`.
fn document(id: &str, title: &str, width: usize, height: usize, content: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" role=\"img\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         font-family=\"{}\" font-size=\"{FONT}\">\
         <title>{}</title>{}<rect width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>{content}</svg>",
        escape(MONO_FONTS),
        escape(title),
        patterns(id),
    )
}

/// A line of text at (`x`, `y`), exactly `columns` columns wide whatever the font.
fn text(x: usize, y: usize, columns: usize, words: &str, extra: &str) -> String {
    if words.is_empty() {
        return String::new();
    }
    format!(
        "<text x=\"{x}\" y=\"{y}\" textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"{extra}>{}</text>",
        columns * COLUMN,
        escape(words)
    )
}

/// A box: a rectangle of the given fill (`none`: only its edge) with a dark edge.
fn boxed(x: usize, y: usize, width: usize, fill: &str, dashed: bool) -> String {
    let dash = if dashed {
        " stroke-dasharray=\"5 3\""
    } else {
        ""
    };
    format!(
        "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{LANE}\" rx=\"3\" fill=\"{fill}\" \
         stroke=\"{INK}\" stroke-width=\"1.5\"{dash}/>",
        width.max(2)
    )
}

/// `inner` as one group whose tooltip is `tooltip`: hovering anywhere on a box shows its bytes.
fn group(tooltip: &str, inner: &str) -> String {
    format!("<g><title>{}</title>{inner}</g>", escape(tooltip))
}

/// `words` cut to `room` columns, with `…` where it was cut.
fn fit(words: &str, room: usize) -> String {
    if display_width(words) <= room {
        return words.to_string();
    }
    let mut cut = String::new();
    for c in words.chars() {
        if display_width(&cut) + display_width(&c.to_string()) + 1 > room {
            break;
        }
        cut.push(c);
    }
    if room > 0 {
        cut.push('…');
    }
    cut
}

/// A [`Picture`] as a figure: one lane per row, boxes where its cuts fall.
pub fn stream(picture: &Picture, id: &str) -> String {
    let labels = Words::current();
    let rows = picture.rows();
    let bytes = picture.bytes();
    let names = rows
        .iter()
        .map(|row| display_width(row.name()))
        .max()
        .unwrap_or(0);
    let x0 = MARGIN + (names + 2) * COLUMN;
    let (spelled_out, cuts) = picture.layout(STREAM_COLUMNS, STREAM_COLUMNS);
    let columns = cuts.last().map_or(0, |(_, col)| col + 1);
    let x = |col: usize| x0 + col * COLUMN;
    let stream_end = x(columns);
    // Notes beside their rows when that keeps the figure within a band; under them otherwise.
    let notes = rows.iter().map(|row| display_width(row.note())).max();
    let beside = stream_end + COLUMN + notes.unwrap_or(0) * COLUMN + MARGIN <= BAND;
    let row_height = if beside {
        LANE + GAP
    } else {
        LANE + GAP + FONT + 6
    };
    let top = MARGIN;
    let message_ends: Vec<usize> = rows
        .first()
        .map(|messages| {
            messages
                .pieces()
                .iter()
                .scan(0, |end, piece| {
                    *end += piece.len;
                    Some(*end)
                })
                .collect()
        })
        .unwrap_or_default();
    let message_of = |offset: usize| message_ends.partition_point(|&end| end <= offset);

    let mut content = String::new();
    // Where each message ends, down through every lane: a box that crosses one of these lines
    // holds bytes of two messages.
    let bottom = top + rows.len() * row_height - GAP;
    for &end in message_ends
        .iter()
        .take(message_ends.len().saturating_sub(1))
    {
        let at = x(column_of(&cuts, end)) + COLUMN / 2;
        let _ = write!(
            content,
            "<line x1=\"{at}\" y1=\"{}\" x2=\"{at}\" y2=\"{}\" stroke=\"#666\" \
             stroke-width=\"1\" stroke-dasharray=\"2 3\"/>",
            top.saturating_sub(4),
            bottom + 4
        );
    }
    for (r, row) in rows.iter().enumerate() {
        let y = top + r * row_height;
        let baseline = y + LANE / 2 + FONT / 3;
        content.push_str(&text(
            MARGIN,
            baseline,
            display_width(row.name()),
            row.name(),
            " font-weight=\"bold\"",
        ));
        let mut offset = 0;
        for piece in row.pieces().iter().filter(|piece| piece.len > 0) {
            let (start, end) = (offset, (offset + piece.len).min(bytes.len()));
            let (start_col, end_col) = (
                column_of(&cuts, start),
                column_of(&cuts, offset + piece.len),
            );
            let left = x(start_col) + COLUMN / 2;
            let width = (end_col - start_col) * COLUMN;
            let own = &bytes[start.min(end)..end];
            // The box, filled message by message: where a message begins inside it, its fill
            // begins. Spelled out, a byte sits in its own column after the box's edge; to scale,
            // a message ends at a cut of its own.
            let byte_x = |at: usize| {
                if at == start {
                    left
                } else if at == end {
                    left + width
                } else if spelled_out {
                    x(start_col + 1 + (at - start))
                } else {
                    x(column_of(&cuts, at)) + COLUMN / 2
                }
            };
            let mut inner = boxed(left, y, width, "#fff", false);
            let mut from = start;
            while from < end {
                let message = message_of(from);
                let until = message_ends.get(message).copied().unwrap_or(end).min(end);
                let (a, b) = (byte_x(from), byte_x(until));
                if b > a {
                    let _ = write!(
                        inner,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                        a + 1,
                        y + 1,
                        (b - a).saturating_sub(2).max(1),
                        LANE - 2,
                        fill(id, message)
                    );
                }
                from = until.max(from + 1);
            }
            let room = end_col - start_col - 1;
            let (words, columns) = if spelled_out {
                (label(own), own.len())
            } else {
                let words = fit(&piece.label, room);
                let columns = display_width(&words);
                (words, columns)
            };
            inner.push_str(&text(
                x(start_col + 1),
                baseline,
                columns,
                &words,
                " font-weight=\"bold\"",
            ));
            // The edge again, over the fills.
            inner.push_str(&boxed(left, y, width, "none", false));
            content.push_str(&group(&tooltip(own), &inner));
            offset += piece.len;
        }
        if !row.note().is_empty() {
            let (note_x, note_y) = if beside {
                (stream_end + COLUMN, baseline)
            } else {
                (x0, y + LANE + FONT + 2)
            };
            content.push_str(&text(
                note_x,
                note_y,
                display_width(row.note()),
                row.note(),
                " font-style=\"italic\"",
            ));
        }
    }
    let width = if beside {
        stream_end + COLUMN + notes.unwrap_or(0) * COLUMN + MARGIN
    } else {
        stream_end
            .max(x0 + notes.unwrap_or(0) * COLUMN)
            .max(stream_end)
            + MARGIN
    };
    let height = bottom + MARGIN;
    document(id, &labels.stream_title, width, height, &content)
}

/// One thing drawn on a conversation's time line.
enum Item {
    /// A box on one of an actor's lanes (`reads`: its reads lane, else its writes lane).
    Box {
        actor: usize,
        reads: bool,
        columns: usize,
        words: String,
        tooltip: String,
        message: usize,
        dashed: bool,
    },
    /// A mark across both of an actor's lanes, or (`actor` None) across the whole band.
    Mark { actor: Option<usize>, words: String },
}

impl Item {
    /// How many columns the item takes on the time line, with the gap after it.
    fn columns(&self) -> usize {
        match self {
            // The bytes, half a column of edge on either side, and a column of gap.
            Item::Box { columns, .. } => *columns + 2,
            // The line, a space, the words, and the gap.
            Item::Mark { words, .. } => display_width(words) + 2,
        }
    }
}

/// How many columns a box of `len` bytes takes: one per byte up to [`SPELLED`], then a column
/// more each time the length doubles, up to `WIDEST` (two of the widest fit in one band, so a
/// long reply arriving in many reads stays readable; the length is written in the box).
pub fn box_columns(len: usize) -> usize {
    if len <= SPELLED {
        len.max(1)
    } else {
        let grown = (len as f64 / SPELLED as f64).log2();
        (SPELLED + grown.round() as usize).min(WIDEST)
    }
}

/// What a box of `bytes` says: every byte, or the length and the first and last few.
fn box_words(bytes: &[u8]) -> String {
    if bytes.len() <= SPELLED {
        label(bytes)
    } else {
        format!(
            "{} {} {}…{}",
            bytes.len(),
            Words::current().bytes,
            label(&bytes[..5]),
            label(&bytes[bytes.len() - 5..])
        )
    }
}

/// What an experiment observed (`events`, drawn where `drawn` says), as a figure: two lanes per
/// client, its writes and its reads, every act in the order it happened.
pub fn conversation(protocol: Protocol, events: &[(&Event, bool)], id: &str) -> String {
    let labels = Words::current();
    let chat = protocol == Protocol::Chat;
    let datagrams = protocol == Protocol::Udp;
    let mut actors: Vec<&str> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    // A new colour for each write, and for each read the colour of the write it answers is
    // unknown: reads are drawn plain, writes in turn. (The stream pictures are where bytes are
    // matched to messages.)
    let mut writes = 0;
    for &(event, drawn) in events {
        if !drawn {
            continue;
        }
        let server = event.actor == SERVER;
        let actor = (!server).then(|| {
            actors
                .iter()
                .position(|a| *a == event.actor)
                .unwrap_or_else(|| {
                    actors.push(&event.actor);
                    actors.len() - 1
                })
        });
        let mark = |words: String| Item::Mark { actor, words };
        let on = |reads: bool, bytes: &[u8], message: usize, extra: &str| Item::Box {
            actor: actor.unwrap_or(0),
            reads,
            columns: box_columns(bytes.len()).max(display_width(&box_words(bytes)) + extra.len()),
            words: format!("{}{extra}", box_words(bytes)),
            tooltip: tooltip(bytes),
            message,
            dashed: false,
        };
        let counted = |reads: bool, words: String| Item::Box {
            actor: actor.unwrap_or(0),
            reads,
            columns: display_width(&words),
            tooltip: words.clone(),
            words,
            message: 0,
            dashed: true,
        };
        let item = match &event.act {
            Act::Connects if datagrams || chat => None,
            Act::Connects => Some(mark(labels.connects.to_string())),
            Act::CannotConnect { .. } => Some(mark(labels.refused.to_string())),
            Act::Writes { bytes } => {
                writes += 1;
                Some(on(false, bytes, writes - 1, ""))
            }
            Act::WriteFails { bytes, .. } => {
                Some(on(false, bytes, 3, &format!(" ✗ {}", labels.write_fails)))
            }
            Act::Floods { writes, bytes } => Some(counted(
                false,
                format!("{bytes} {} {} {}", labels.bytes, writes, labels.in_writes),
            )),
            Act::Reads { bytes } => Some(on(true, bytes, usize::MAX, "")),
            Act::ReadsMany { reads, bytes } => Some(counted(
                true,
                format!("{bytes} {} {} {}", labels.bytes, reads, labels.in_reads),
            )),
            // A chat member's lines are told in words; its reads show how TCP cut them.
            Act::Hears { .. } | Act::HearsMany { .. } => None,
            Act::Silence { waited_ms } => {
                Some(counted(true, format!("{waited_ms} {}", labels.nothing_for)))
            }
            Act::EndOfStream => Some(counted(true, labels.end_of_stream.to_string())),
            Act::Reset => Some(counted(true, labels.reset_by_peer.to_string())),
            Act::ReadFails { .. } => Some(counted(true, labels.read_fails.to_string())),
            Act::Closes if datagrams => None,
            Act::Closes => Some(mark(labels.closes.to_string())),
            Act::Resets => Some(mark(labels.resets.to_string())),
            Act::HalfCloses => Some(mark(labels.shuts.to_string())),
            Act::StartsServing => Some(mark(labels.server_starts.to_string())),
            Act::Interrupted => Some(mark(labels.server_stopped.to_string())),
            Act::Exits { .. } => Some(mark(labels.server_exits.to_string())),
            Act::DoesNotExit { .. } => Some(mark(labels.server_stays.to_string())),
        };
        items.extend(item);
    }

    let who = |actor: &str| {
        if chat {
            actor.to_string()
        } else {
            super::replay::client(actor)
        }
    };
    let names = actors
        .iter()
        .map(|a| {
            display_width(&who(a))
                + 1
                + display_width(&labels.writes).max(display_width(&labels.reads))
        })
        .max()
        .unwrap_or(0);
    let x0 = MARGIN + (names + 2) * COLUMN;
    // Items go left to right, a new band when the next one would not fit.
    let mut placed: Vec<(usize, usize, &Item)> = Vec::new(); // (band, column, item)
    let (mut band, mut column) = (0, 0);
    let band_columns = (BAND.saturating_sub(x0)) / COLUMN;
    for item in &items {
        if column > 0 && column + item.columns() > band_columns {
            band += 1;
            column = 0;
        }
        placed.push((band, column, item));
        column += item.columns();
    }
    let bands = band + 1;
    let used = placed
        .iter()
        .map(|(_, column, item)| column + item.columns())
        .max()
        .unwrap_or(0);

    let mut content = String::new();
    let mut top = MARGIN;
    for band in 0..bands {
        let here: Vec<&(usize, usize, &Item)> =
            placed.iter().filter(|(b, _, _)| *b == band).collect();
        // A band shows the lanes something happens on (a lane of reads alone, while a long
        // reply arrives), each actor's two lanes where a mark crosses both.
        let mut lanes: Vec<usize> = Vec::new(); // actor * 2 + (1 for reads)
        for (_, _, item) in &here {
            match item {
                Item::Box { actor, reads, .. } => lanes.push(actor * 2 + usize::from(*reads)),
                Item::Mark {
                    actor: Some(actor), ..
                } => lanes.extend([actor * 2, actor * 2 + 1]),
                Item::Mark { actor: None, .. } => {}
            }
        }
        if lanes.is_empty() {
            lanes.push(0);
        }
        lanes.sort_unstable();
        lanes.dedup();
        let y_of = |lane: usize| {
            let row = lanes.iter().position(|l| *l == lane).unwrap_or(0);
            top + row * (LANE + GAP)
        };
        let band_bottom = top + lanes.len() * (LANE + GAP) - GAP;
        for &lane in &lanes {
            let y = y_of(lane);
            let words = if lane % 2 == 0 {
                &labels.writes
            } else {
                &labels.reads
            };
            let name = format!("{} {words}", who(actors.get(lane / 2).unwrap_or(&"")));
            content.push_str(&text(
                MARGIN,
                y + LANE / 2 + FONT / 3,
                display_width(&name),
                &name,
                " font-weight=\"bold\"",
            ));
            let _ = write!(
                content,
                "<line x1=\"{x0}\" y1=\"{mid}\" x2=\"{}\" y2=\"{mid}\" stroke=\"#bbb\" \
                 stroke-width=\"1\"/>",
                x0 + used * COLUMN,
                mid = y + LANE / 2
            );
        }
        for (_, column, item) in here {
            let x = x0 + column * COLUMN;
            match item {
                Item::Box {
                    actor,
                    reads,
                    columns,
                    words,
                    tooltip,
                    message,
                    dashed,
                } => {
                    let y = y_of(actor * 2 + usize::from(*reads));
                    let fill = match (message, dashed) {
                        (_, true) => "#fff".to_string(),
                        // A read: its bytes are drawn plain, since which write they answer is
                        // for the reader to see, not for the figure to claim.
                        (&usize::MAX, false) => "#e8e8e8".to_string(),
                        (message, false) => self::fill(id, *message),
                    };
                    let mut inner = boxed(x, y, (columns + 1) * COLUMN, &fill, *dashed);
                    let style = if *dashed {
                        " font-style=\"italic\""
                    } else {
                        " font-weight=\"bold\""
                    };
                    let fitted = fit(words, *columns);
                    inner.push_str(&text(
                        x + COLUMN / 2,
                        y + LANE / 2 + FONT / 3,
                        display_width(&fitted),
                        &fitted,
                        style,
                    ));
                    content.push_str(&group(tooltip, &inner));
                }
                Item::Mark { actor, words } => {
                    let (y1, y2) = match actor {
                        Some(a) => (y_of(a * 2), y_of(a * 2 + 1) + LANE),
                        None => (top, band_bottom),
                    };
                    // The line where it happened, and its words beside it, in the room the time
                    // line keeps for them.
                    let at = x + COLUMN / 2;
                    let _ = write!(
                        content,
                        "<line x1=\"{at}\" y1=\"{y1}\" x2=\"{at}\" y2=\"{y2}\" stroke=\"{INK}\" \
                         stroke-width=\"2\"/>"
                    );
                    content.push_str(&text(
                        at + COLUMN / 2,
                        (y1 + y2) / 2 + FONT / 3,
                        display_width(words),
                        words,
                        " font-style=\"italic\"",
                    ));
                }
            }
        }
        top = band_bottom + 2 * GAP;
    }
    let width = (x0 + used * COLUMN + MARGIN).max(x0 + MARGIN);
    let height = top - GAP;
    document(id, &labels.conversation_title, width, height, &content)
}
