//! `chaos --html FILE`: every proxied connection drawn for a browser, per direction: what came
//! in (each of chaos's reads), how it was re-chunked, what went out (each of its writes).
//!
//! Each direction is one stream of bytes, cut twice: the first lane where chaos's reads fell
//! (what the sender's kernel handed over), the second where its writes fell (what the receiver
//! will be handed). It is the demos' stream picture ([`crate::demo::svg::stream`]): a merge
//! shows as one box out spanning several fills in, a split as one fill in spread over several
//! boxes out.
//!
//! The page is written again, whole, each time a connection closes or is refused, and once
//! more when chaos stops, so an instructor can reload it during class. It is the same, byte for
//! byte, for the same reads and writes: connections in their numbers' order, no times, and no
//! client port (the only thing that differs from one run of a classroom exercise to the next);
//! the server's address and the SPECs are the command line's. Only the first [`KEPT`] bytes of
//! each direction are kept and drawn (a bulk transfer would not fit a page, nor memory); the rest
//! is counted, and the page says how much was left out.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use super::report::Way;
use crate::demo::picture::{Picture, Row};
use crate::demo::svg;
use crate::page::{self, escape};

/// Everything the page says, in one place, in the reader's language (the tools' catalogue,
/// `chaos-html-*`).
pub struct Words {
    pub lang: &'static str,
    pub title: String,
    pub legend: String,
    pub connection: String,
    pub up: String,
    pub down: String,
    pub up_in: String,
    pub up_out: String,
    pub down_in: String,
    pub down_out: String,
    pub nothing: String,
    pub left_out: String,
    pub refused: String,
    pub none_yet: String,
}

/// The page's words in the language the process speaks.
pub fn words() -> Words {
    Words {
        lang: crate::i18n::html_lang(),
        title: crate::t!("chaos-html-title"),
        legend: crate::t!("chaos-html-legend"),
        connection: crate::t!("chaos-html-connection"),
        up: crate::t!("chaos-html-up"),
        down: crate::t!("chaos-html-down"),
        up_in: crate::t!("chaos-html-up-in"),
        up_out: crate::t!("chaos-html-up-out"),
        down_in: crate::t!("chaos-html-down-in"),
        down_out: crate::t!("chaos-html-down-out"),
        nothing: crate::t!("chaos-html-nothing"),
        left_out: crate::t!("chaos-html-left-out"),
        refused: crate::t!("chaos-html-refused"),
        none_yet: crate::t!("chaos-html-none-yet"),
    }
}

/// How many bytes of each direction are kept and drawn.
pub const KEPT: usize = 16 * 1024;

/// The page, and what it draws, shared by every connection's threads.
pub struct ChaosPage {
    file: PathBuf,
    heading: String,
    connections: Mutex<BTreeMap<u64, Connection>>,
}

#[derive(Default)]
struct Connection {
    refused: Option<String>,
    up: Direction,
    down: Direction,
}

/// One direction: the bytes of each read in and each write out, as far as they were kept.
#[derive(Default)]
struct Direction {
    reads: Vec<Vec<u8>>,
    writes: Vec<Vec<u8>>,
    kept_in: usize,
    kept_out: usize,
    /// What was not kept: (chunks, bytes) in and out.
    left_in: (u64, u64),
    left_out: (u64, u64),
    end: Option<String>,
}

impl Direction {
    fn note(&mut self, event: &str, bytes: &[u8]) {
        let (chunks, kept, left) = if event == "in" {
            (&mut self.reads, &mut self.kept_in, &mut self.left_in)
        } else {
            (&mut self.writes, &mut self.kept_out, &mut self.left_out)
        };
        let room = KEPT - *kept;
        if room >= bytes.len() {
            chunks.push(bytes.to_vec());
            *kept += bytes.len();
        } else {
            // Keep what fits of this one, so both lanes end at the same byte; count the rest.
            if room > 0 {
                chunks.push(bytes[..room].to_vec());
                *kept = KEPT;
            }
            left.0 += 1;
            left.1 += (bytes.len() - room) as u64;
        }
    }
}

impl ChaosPage {
    /// A page for `file`, headed with the command line's choices (`up: …, down: …, to …`).
    pub fn new(file: PathBuf, heading: String) -> ChaosPage {
        ChaosPage {
            file,
            heading,
            connections: Mutex::new(BTreeMap::new()),
        }
    }

    fn with<T>(&self, conn: u64, change: impl FnOnce(&mut Connection) -> T) -> T {
        let mut connections = self
            .connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        change(connections.entry(conn).or_default())
    }

    pub fn opened(&self, conn: u64) {
        self.with(conn, |_| ());
    }

    pub fn refused(&self, conn: u64, error: &str) {
        self.with(conn, |c| c.refused = Some(error.to_string()));
        self.write();
    }

    /// One read in (`event` "in") or one write out ("out").
    pub fn chunk(&self, conn: u64, way: Way, event: &str, bytes: &[u8]) {
        self.with(conn, |c| match way {
            Way::Up => c.up.note(event, bytes),
            Way::Down => c.down.note(event, bytes),
        });
    }

    /// How a direction ended, as the text report says it.
    pub fn direction_ended(&self, conn: u64, way: Way, end: String) {
        self.with(conn, |c| match way {
            Way::Up => c.up.end = Some(end),
            Way::Down => c.down.end = Some(end),
        });
    }

    /// A connection closed: the page is written again with it.
    pub fn closed(&self, _conn: u64) {
        self.write();
    }

    /// Writes the page as it stands. A page that cannot be written is logged, and the proxy
    /// goes on: the drawing is not worth a classroom's connections.
    pub fn write(&self) {
        let html = self.render();
        if let Err(e) = page::write(&self.file, &html) {
            log::warn!("{e}");
        }
    }

    /// The page, as it stands.
    pub fn render(&self) -> String {
        let words = words();
        let connections = self
            .connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut body = format!(
            "<header>\n<h1>{} — {}</h1>\n<p class=\"legend\">{}</p>\n</header>\n",
            escape(&words.title),
            escape(&self.heading),
            escape(&words.legend)
        );
        if connections.is_empty() {
            let _ = writeln!(body, "<p>{}</p>", escape(&words.none_yet));
        }
        for (conn, connection) in connections.iter() {
            let _ = writeln!(
                body,
                "<section id=\"conn{conn}\">\n<h2>{} #{conn}</h2>",
                escape(&words.connection)
            );
            if let Some(error) = &connection.refused {
                let _ = writeln!(body, "<p>{}: {}</p>", escape(&words.refused), escape(error));
            }
            for (way, direction, names) in [
                (
                    "up",
                    &connection.up,
                    (&words.up_in, &words.up_out, &words.up),
                ),
                (
                    "down",
                    &connection.down,
                    (&words.down_in, &words.down_out, &words.down),
                ),
            ] {
                if connection.refused.is_some() {
                    break;
                }
                let _ = writeln!(body, "<h3>{}</h3>", escape(names.2));
                body.push_str(&draw(
                    direction,
                    names.0,
                    names.1,
                    &format!("conn{conn}-{way}"),
                ));
            }
            body.push_str("</section>\n");
        }
        page::page(
            words.lang,
            &format!("{} — {}", words.title, self.heading),
            "",
            &body,
        )
    }
}

/// One direction: its picture, what was left out, and how it ended.
fn draw(direction: &Direction, reads: &str, writes: &str, id: &str) -> String {
    let words = words();
    let mut html = String::new();
    let stream = direction.reads.concat();
    if stream.is_empty() {
        let _ = writeln!(html, "<p class=\"quiet\">{}</p>", escape(&words.nothing));
    } else {
        let ins: Vec<&[u8]> = direction.reads.iter().map(Vec::as_slice).collect();
        let outs: Vec<&[u8]> = direction.writes.iter().map(Vec::as_slice).collect();
        let size = |chunk: &[u8]| format!("{} B", chunk.len());
        let picture = Picture::new(&stream)
            .row(Row::cut_by(reads, &ins, size, ""))
            .row(Row::cut_by(writes, &outs, size, ""));
        let _ = writeln!(html, "<figure>{}</figure>", svg::stream(&picture, id));
    }
    for (left, what) in [(direction.left_in, reads), (direction.left_out, writes)] {
        if left.0 > 0 {
            let _ = writeln!(
                html,
                "<p class=\"quiet\">{what}: {} B / {} — {}</p>",
                left.1,
                left.0,
                escape(&words.left_out)
            );
        }
    }
    if let Some(end) = &direction.end {
        let _ = writeln!(html, "<p class=\"quiet\">{}</p>", escape(end));
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_is_drawn_as_one_write_over_several_reads_and_the_page_is_deterministic() {
        let page = ChaosPage::new(PathBuf::from("unused.html"), "up: merge:50".into());
        page.opened(1);
        for read in [b"echo a", b"echo b", b"echo c"] {
            page.chunk(1, Way::Up, "in", read);
        }
        page.chunk(1, Way::Up, "out", b"echo aecho becho c");
        page.direction_ended(1, Way::Up, "#1 up end (closed)".into());
        let html = page.render();
        assert_eq!(html, page.render());
        assert!(
            html.contains(">echo a<") && html.contains(">echo aecho becho c<"),
            "{html}"
        );
        assert!(html.contains("#1 up end (closed)"));
        assert!(
            html.contains(&words().nothing),
            "the down direction carried nothing"
        );
    }

    #[test]
    fn only_the_first_bytes_of_a_direction_are_kept_and_the_rest_is_counted() {
        let mut direction = Direction::default();
        direction.note("in", &vec![b'x'; KEPT - 10]);
        direction.note("in", &[b'y'; 30]);
        direction.note("in", &[b'z'; 5]);
        assert_eq!(direction.kept_in, KEPT);
        assert_eq!(direction.reads.concat().len(), KEPT);
        assert_eq!(direction.left_in, (2, 25));
    }
}
