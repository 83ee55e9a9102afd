//! What `chaos` prints on standard output: each connection's reads in and writes out, one line each,
//! so an instructor can show the re-chunking beside what the far side made of it. `--json`
//! prints the same events as one JSON object per line, for scripts and tests; `--quiet` keeps
//! only the lines about whole connections (a benchmark or a long transfer needs no line per read).

use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use serde_json::{Value, json};

use super::html::ChaosPage;
use socket_lessons::escape::{self, peer_text};

/// Which way bytes go: `up` is client → server, `down` is server → client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    Up,
    Down,
}

impl Way {
    pub fn name(self) -> &'static str {
        match self {
            Way::Up => "up",
            Way::Down => "down",
        }
    }
}

/// How one direction of a pair ended.
#[derive(Debug)]
pub enum DirectionEnd {
    /// The sending side closed (its reads returned 0 bytes); the close was passed on.
    Closed,
    /// Ctrl-C: the proxy closed both sides.
    Shutdown,
    /// The other direction ended the pair (its budget, or a failure).
    WithPair,
    /// The byte budget of `close-after` or `reset-after` was spent.
    Budget(&'static str),
    /// Reading or writing failed (a reset, most often).
    Failed(io::Error),
}

/// What one direction did, counted: what chaos itself can know. It cannot see the sender's
/// writes, only its own reads of them (two writes that arrived together are one read), and its
/// own writes out. So the text says `read(s) in` and `write(s) out`, as the JSON says `reads`
/// and `writes`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub reads: u64,
    pub writes: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
}

/// The one place `chaos` prints events. Shared by every connection's threads.
pub struct Report {
    json: bool,
    quiet: bool,
    start: Instant,
    out: Mutex<io::Stdout>,
    /// (A proxy run inside another program, [`Report::collecting`].) Each write out, kept
    /// instead of printed.
    collected: Option<Arc<Mutex<Vec<Piece>>>>,
    /// The page the same events are drawn on (`--html FILE`), if one was asked for.
    page: Option<ChaosPage>,
}

/// One write the proxy made, as [`Report::collecting`] keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub conn: u64,
    pub way: Way,
    pub bytes: Vec<u8>,
}

impl Report {
    pub fn new(json: bool, quiet: bool) -> Report {
        Report {
            json,
            quiet,
            start: Instant::now(),
            out: Mutex::new(io::stdout()),
            collected: None,
            page: None,
        }
    }

    /// The same events drawn on `page` too.
    pub fn drawing_on(self, page: Option<ChaosPage>) -> Report {
        Report { page, ..self }
    }

    /// Writes the page as it stands (when chaos starts, and once more when it stops).
    pub fn write_page(&self) {
        if let Some(page) = &self.page {
            page.write();
        }
    }

    /// A report that prints nothing and keeps every write the proxy makes (`out`), for a
    /// program that runs the proxy inside itself and shows the pieces its own way.
    pub fn collecting() -> (Report, Arc<Mutex<Vec<Piece>>>) {
        let pieces = Arc::new(Mutex::new(Vec::new()));
        let report = Report {
            collected: Some(Arc::clone(&pieces)),
            ..Report::new(false, true)
        };
        (report, pieces)
    }

    fn ms(&self) -> u128 {
        self.start.elapsed().as_millis()
    }

    fn emit(&self, text: impl FnOnce() -> String, event: impl FnOnce() -> Value) {
        self.emit_lines(
            |time| {
                // Folded to the terminal's width, the rest of a long line (an error's words)
                // under the text, past the time.
                let under = " ".repeat(time.len() + 4);
                crate::terminal::fold(&text(), crate::terminal::width(), time, &under)
            },
            event,
        );
    }

    /// Prints the lines `lines` makes after the time (`+   12ms `), or the event as JSON.
    fn emit_lines(&self, lines: impl FnOnce(&str) -> String, event: impl FnOnce() -> Value) {
        if self.collected.is_some() {
            return;
        }
        let lines = if self.json {
            format!("{}\n", event())
        } else {
            lines(&format!("+{:>6}ms ", self.ms()))
        };
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        // A closed stdout (the reader of a pipe went away) must not stop the proxy.
        let _ = out.write_all(lines.as_bytes());
    }

    pub fn opened(&self, conn: u64, client: &str, server: &str) {
        if let Some(page) = &self.page {
            page.opened(conn);
        }
        self.emit(
            || format!("#{conn} open {client} -> {server}"),
            || json!({"ms": self.ms() as u64, "conn": conn, "event": "open", "client": client, "server": server}),
        );
    }

    pub fn refused(&self, conn: u64, client: &str, server: &str, error: &io::Error) {
        if let Some(page) = &self.page {
            page.refused(conn, &error.to_string());
        }
        self.emit(
            || {
                crate::t!(
                    "chaos-refused",
                    conn = conn.to_string(),
                    client = client,
                    server = server,
                    error = error.to_string()
                )
            },
            || json!({"ms": self.ms() as u64, "conn": conn, "event": "refused", "client": client, "server": server, "error": error.to_string()}),
        );
    }

    /// One read from the sending side (`in`) or one write to the receiving side (`out`).
    pub fn chunk(&self, conn: u64, way: Way, event: &'static str, bytes: &[u8]) {
        if let (Some(pieces), "out") = (&self.collected, event) {
            pieces
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Piece {
                    conn,
                    way,
                    bytes: bytes.to_vec(),
                });
        }
        if let Some(page) = &self.page {
            page.chunk(conn, way, event, bytes);
        }
        if self.quiet {
            return;
        }
        self.emit_lines(
            |time| {
                // The first bytes, as many as fit the line; the line is cut at the terminal's
                // edge, never folded at a space, which could be one of the peer's.
                let fields = format!("{time}#{conn} {:<4} {event:<3} {:>5}  ", way.name(), bytes.len());
                // Room is kept for the tail a cut value ends with, in the reader's language
                // (counted in bytes, never fewer than its columns).
                let total = format!("\"{}", escape::cut_tail(bytes.len()));
                let width = crate::terminal::width();
                let room = width.saturating_sub(fields.len() + total.len() + 1).max(8);
                let shown = peer_text(bytes).cut_at(room).told();
                crate::terminal::cut(&shown, width, &fields, &" ".repeat(fields.len() + 1))
            },
            || json!({"ms": self.ms() as u64, "conn": conn, "dir": way.name(), "event": event, "bytes": bytes.len()}),
        );
    }

    pub fn direction_ended(&self, conn: u64, way: Way, end: &DirectionEnd, tally: Tally) {
        // `how` in the JSON is a token for programs; the line says it in the reader's language.
        let how = match end {
            DirectionEnd::Closed => "closed".to_string(),
            DirectionEnd::Shutdown => "shutdown".to_string(),
            DirectionEnd::WithPair => "with the pair".to_string(),
            DirectionEnd::Budget(step) => (*step).to_string(),
            DirectionEnd::Failed(e) => format!("failed: {e}"),
        };
        let how_said = match end {
            DirectionEnd::Closed => crate::t!("chaos-end-closed"),
            DirectionEnd::Shutdown => crate::t!("chaos-end-shutdown"),
            DirectionEnd::WithPair => crate::t!("chaos-end-with-pair"),
            DirectionEnd::Budget(step) => (*step).to_string(),
            DirectionEnd::Failed(e) => crate::t!("chaos-end-failed", error = e.to_string()),
        };
        let text = || {
            crate::t!(
                "chaos-end",
                conn = conn.to_string(),
                way = format!("{:<4}", way.name()),
                how = how_said.clone(),
                reads = tally.reads.to_string(),
                bytes_in = tally.bytes_in.to_string(),
                writes = tally.writes.to_string(),
                bytes_out = tally.bytes_out.to_string()
            )
        };
        if let Some(page) = &self.page {
            page.direction_ended(conn, way, text());
        }
        self.emit(
            text,
            || {
                json!({"ms": self.ms() as u64, "conn": conn, "dir": way.name(), "event": "end", "how": how,
                       "reads": tally.reads, "bytes_in": tally.bytes_in,
                       "writes": tally.writes, "bytes_out": tally.bytes_out})
            },
        );
    }

    pub fn closed(&self, conn: u64) {
        if let Some(page) = &self.page {
            page.closed(conn);
        }
        self.emit(
            || format!("#{conn} closed"),
            || json!({"ms": self.ms() as u64, "conn": conn, "event": "closed"}),
        );
    }
}
