//! What a demo showed, kept as data while it plays: the second thing a demo can be rendered to.
//!
//! The terminal is the first renderer: every paragraph, play-by-play line and picture is written
//! to standard output as it happens. When a page is asked for (`lessonN --html FILE`), the same
//! calls also note *what* they showed, in order, as a [`Shown`]: the part that began, the
//! paragraph (unwrapped), the line, the picture (its bytes and rows), the observations an
//! experiment told. The page ([`super::html`]) is drawn from that list once the demo has ended.
//! Nothing is played twice, and no sentence is written twice: the page quotes what the
//! transcript said, word for word, and draws what the observations hold, byte for byte.

use super::picture::Picture;
use crate::scenario::Observations;

/// One thing a demo showed, in the order it showed them.
#[derive(Debug, Clone)]
pub enum Shown {
    /// The demo's title (`lesson5 — the sticky-packet problem (粘包现象)`) and the line under
    /// it that says where the server listens.
    Heading { title: String, listening: String },
    /// A part begins: its number and, for a demo with numbered parts, its title.
    Part { number: u16, title: Option<String> },
    /// The part that began last is over: what follows is narration between parts.
    PartEnds,
    /// A paragraph of narration, as the script wrote it (the terminal wraps it).
    Paragraph(String),
    /// One line of the play-by-play, or another indented line, as printed.
    Line(String),
    /// A picture of a byte stream.
    Picture(Picture),
    /// What an experiment (or a scripted client) observed, and how the play-by-play told it:
    /// the events from `from` on, each line with the number of the event it tells (`told`),
    /// which is how a drawing knows which silences were worth telling.
    Replay {
        observations: Observations,
        from: usize,
        told: Vec<(usize, String)>,
    },
    /// A closing remark outside the narration (where the server's log is).
    Aside(String),
}
