//! What `netassist` prints: every read and every write as a block of its own, events between
//! them, and the counters at the end.
//!
//! A block is never merged with the next one, even when the bytes continue a message: that is
//! the point of the tool. A reply glued to the next one shows as one block; a reply that arrived
//! in two pieces shows as two. Each block says when (milliseconds since the start), which way
//! (`<-` received, `->` sent), with whom, how many bytes, and where in that peer's stream it
//! starts; then the bytes, escaped (`escape::peer_text`: a peer cannot drive the terminal) or,
//! with `--hex`, as rows of offset, 16 hex bytes and their ASCII.
//!
//! `--json` prints one JSON object per line instead, for scripts and tests. Colour only when
//! standard output is a terminal (and `NO_COLOR` is not set).

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use anstyle::{AnsiColor, Style};
use serde_json::{Value, json};

use socket_lessons::escape::{hides_or_reorders, peer_text};

use crate::said::Said;

/// Which way a block's bytes went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    Received,
    Sent,
}

/// How the bytes of a block are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Hex,
    Json,
}

/// The bytes and reads counted in each direction, and the connections (or UDP peers) seen.
#[derive(Debug, Default)]
pub struct Counters {
    pub bytes_in: AtomicU64,
    pub reads: AtomicU64,
    pub bytes_out: AtomicU64,
    pub writes: AtomicU64,
    pub connections: AtomicU64,
}

/// The one place `netassist` prints to standard output.
pub struct Display {
    format: Format,
    colour: bool,
    start: Instant,
    out: Mutex<Box<dyn Write + Send>>,
    /// Held while something is done and shown as one step (see [`Display::in_order`]).
    order: Mutex<()>,
    pub counters: Counters,
}

impl Display {
    pub fn stdout(format: Format) -> Display {
        let colour = format != Format::Json
            && io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Display::new(format, colour, Box::new(io::stdout()))
    }

    pub fn new(format: Format, colour: bool, out: Box<dyn Write + Send>) -> Display {
        Display {
            format,
            colour,
            start: Instant::now(),
            out: Mutex::new(out),
            order: Mutex::new(()),
            counters: Counters::default(),
        }
    }

    /// Events are shown in the order they happened only if nothing can come between a thing
    /// done and its line: a send and its `-> sent` block are one step, taken while this is held,
    /// and a block received is shown while this is held too. A reply can only be read after the
    /// send that caused it, so it is shown after that send's block, never above it.
    pub fn in_order(&self) -> MutexGuard<'_, ()> {
        self.order.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }

    fn print(&self, text: &str) {
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        // A reader that went away (a closed pipe) must not stop the tool.
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.colour {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    /// One read or one write: a block of its own. `offset` is where it starts in the stream
    /// with that peer (for UDP, in everything exchanged with that peer).
    pub fn block(&self, way: Way, peer: &str, bytes: &[u8], offset: u64) {
        let (byte_counter, op_counter) = match way {
            Way::Received => (&self.counters.bytes_in, &self.counters.reads),
            Way::Sent => (&self.counters.bytes_out, &self.counters.writes),
        };
        byte_counter.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        op_counter.fetch_add(1, Ordering::Relaxed);
        let ms = self.ms();
        let event = match way {
            Way::Received => "recv",
            Way::Sent => "sent",
        };
        if self.format == Format::Json {
            let line = json!({
                "ms": ms, "event": event, "peer": peer, "bytes": bytes.len(), "offset": offset,
                "text": String::from_utf8_lossy(bytes), "hex": hex_string(bytes),
            });
            return self.print(&terminal_safe_json(&line));
        }
        let (arrow, colour) = match way {
            Way::Received => ("<- recv", AnsiColor::Green),
            Way::Sent => ("-> sent", AnsiColor::Cyan),
        };
        let at = crate::t!(
            "netassist-bytes-at",
            bytes = bytes.len().to_string(),
            offset = offset.to_string()
        );
        let header = fitted(&format!("+{ms:>6}ms  {peer}  {arrow} {at}"));
        let mut block = self.paint(Style::new().fg_color(Some(colour.into())).bold(), &header);
        block.push('\n');
        match self.format {
            Format::Hex => block.push_str(&hex_rows(bytes, offset)),
            // The bytes in lines that fit the terminal, cut at its edge with nothing taken out,
            // each line under the opening quote: a long read is still one block.
            _ => block.push_str(&crate::terminal::cut(
                &peer_text(bytes).cut_at(usize::MAX).to_string(),
                crate::terminal::width(),
                "  ",
                "   ",
            )),
        }
        self.print(&block);
    }

    /// Something that happened to a connection or the tool (connected, closed, an error).
    pub fn event(&self, event: &str, peer: &str, detail: &str) {
        self.notice(event, peer, &detail.into());
    }

    /// An event whose detail is a sentence of netassist's own: `--json` (for programs) writes
    /// it in English, the text in the reader's language, as it writes the event's name.
    pub fn notice(&self, event: &str, peer: &str, detail: &Said) {
        let ms = self.ms();
        if self.format == Format::Json {
            let mut line = json!({"ms": ms, "event": event, "peer": peer});
            if !detail.en.is_empty() {
                line["detail"] = Value::from(detail.en.as_str());
            }
            return self.print(&terminal_safe_json(&line));
        }
        let detail = if detail.shown.is_empty() {
            String::new()
        } else {
            format!(": {}", detail.shown)
        };
        let event = event_name(event);
        let line = fitted(&format!("+{ms:>6}ms  {peer}  {event}{detail}"));
        self.print(&format!("{}\n", self.paint(Style::new().dimmed(), &line)));
    }

    /// The counters, printed once at the end.
    pub fn counters(&self) {
        let c = &self.counters;
        let get = |n: &AtomicU64| n.load(Ordering::Relaxed);
        let (bytes_in, reads) = (get(&c.bytes_in), get(&c.reads));
        let (bytes_out, writes) = (get(&c.bytes_out), get(&c.writes));
        let connections = get(&c.connections);
        if self.format == Format::Json {
            let line = json!({
                "ms": self.ms(), "event": "counters", "bytes_in": bytes_in, "reads": reads,
                "bytes_out": bytes_out, "writes": writes, "connections": connections,
            });
            return self.print(&terminal_safe_json(&line));
        }
        let counters = crate::t!(
            "netassist-counters",
            bytes_in = bytes_in.to_string(),
            reads = reads.to_string(),
            bytes_out = bytes_out.to_string(),
            writes = writes.to_string()
        );
        let connections = crate::t!(
            "netassist-connections",
            connections = connections.to_string()
        );
        // One line when it fits; else the connections go under the bytes, not wherever the
        // edge falls.
        // (Chinese puts no space after its `；`.)
        let space = if counters.ends_with('；') { "" } else { " " };
        let whole = format!("{counters}{space}{connections}");
        let shown = if crate::demo::display_width(&whole) <= crate::terminal::width() {
            whole
        } else {
            format!(
                "{}\n{}",
                fitted(&counters),
                fitted(&format!("{:10}{connections}", ""))
            )
        };
        self.print(&format!("{shown}\n"));
    }
}

/// A line of netassist's own folded to the terminal's width, the rest under its text (past the
/// time, or past `counters: `), without the last line's `\n`.
fn fitted(line: &str) -> String {
    let under = " ".repeat(10);
    let folded = crate::terminal::fold(line, crate::terminal::width(), "", &under);
    folded.trim_end_matches('\n').to_string()
}

/// An event's name as the text shows it, in the reader's language (`--json` writes the name
/// itself, a token for programs).
fn event_name(event: &str) -> String {
    match event {
        "listening" => crate::t!("netassist-event-listening"),
        "connected" => crate::t!("netassist-event-connected"),
        "closed" => crate::t!("netassist-event-closed"),
        "closed by peer" => crate::t!("netassist-event-closed-by-peer"),
        "failed" => crate::t!("netassist-event-failed"),
        "send failed" => crate::t!("netassist-event-send-failed"),
        "receive failed" => crate::t!("netassist-event-receive-failed"),
        "not echoed" => crate::t!("netassist-event-not-echoed"),
        "not sent" => crate::t!("netassist-event-not-sent"),
        "refused" => crate::t!("netassist-event-refused"),
        other => other.to_string(),
    }
}

/// One JSON line that is safe on a terminal too. serde_json escapes the control characters
/// below U+0020, but writes DEL, the C1 controls (U+0080 to U+009F, among them U+009B, which
/// some terminals obey as ESC `[`) and the characters that hide or reorder text as they are.
/// Those are written as `\uXXXX` escapes here: the same JSON value, but a peer's text can
/// drive no terminal the line is shown on.
pub fn terminal_safe_json(value: &Value) -> String {
    let mut line = String::new();
    for c in value.to_string().chars() {
        let code = c as u32;
        if code == 0x7f || (0x80..=0x9f).contains(&code) || hides_or_reorders(c) {
            let _ = write!(line, "\\u{code:04x}");
        } else {
            line.push(c);
        }
    }
    line.push('\n');
    line
}

/// `68656c6c6f`: the bytes exactly, for JSON.
pub fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Rows of `OFFSET  16 hex bytes  |ASCII|`, the offsets counted in the stream.
pub fn hex_rows(bytes: &[u8], offset: u64) -> String {
    let mut rows = String::new();
    for (i, row) in bytes.chunks(16).enumerate() {
        let _ = write!(rows, "  {:08x} ", offset + (i * 16) as u64);
        for column in 0..16 {
            if column == 8 {
                rows.push(' ');
            }
            match row.get(column) {
                Some(b) => {
                    let _ = write!(rows, " {b:02x}");
                }
                None => rows.push_str("   "),
            }
        }
        let ascii: String = row
            .iter()
            .map(|&b| {
                if b.is_ascii_graphic() || b == b' ' {
                    b as char
                } else {
                    '.'
                }
            })
            .collect();
        let _ = writeln!(rows, "  |{ascii}|");
    }
    if bytes.is_empty() {
        rows.push_str("  (empty)\n");
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_rows_have_offsets_bytes_and_ascii() {
        let rows = hex_rows(b"Hello, world!\n\x00\xffabc", 16);
        assert_eq!(
            rows,
            "  00000010  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 ff  |Hello, world!...|\n\
             \x20 00000020  61 62 63                                          |abc|\n"
        );
        assert_eq!(hex_string(b"\x00\xffA"), "00ff41");
    }

    #[test]
    fn json_lines_escape_what_a_terminal_would_obey_and_mean_the_same() {
        let text = "a\u{1b}[2J\u{9b}31m\u{7f}\u{202e}z";
        let value = json!({ "text": text });
        let line = terminal_safe_json(&value);
        assert!(
            line.chars()
                .all(|c| c == '\n' || !(c.is_control() || c == '\u{202e}')),
            "{line:?}"
        );
        assert_eq!(serde_json::from_str::<Value>(&line).unwrap(), value);
    }
}
