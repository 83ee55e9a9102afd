//! Observations: what an experiment saw, as plain data, in the order it happened.
//!
//! Every act of every actor is one [`Event`]: client A connected, wrote these bytes in one write,
//! read these bytes in one read, listened 300 ms and heard nothing, read the end of the stream,
//! closed its connection; the server was interrupted, and exited after so long. Order is what
//! the events' places in the list say; the only durations kept are the ones that are the point
//! (how long a silence was listened to, how long the server took to exit).
//!
//! The bytes of every write and every read are kept as they were, so that a renderer can draw
//! the stream (which writes, which reads), quote what came, or explain a failure, without
//! running anything again. The one exception is a flood, a few megabytes written only to fill
//! buffers: [`Act::Floods`] says how much, not what.
//!
//! A [`Recorder`] collects the events while an experiment runs; the connections of
//! [`super::conn`] write to it as they go, so no experiment logs by hand.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Protocol;
use super::budget::Budget;

/// The actor name of what the experiment did to the server itself (start it late, interrupt it).
pub const SERVER: &str = "server";

/// One act of one actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Who: a client (`A`, `B`, …), a chat member (`alice`), or [`SERVER`].
    pub actor: String,
    pub act: Act,
}

/// What an actor did, or what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "act", rename_all = "snake_case")]
pub enum Act {
    /// Connected (TCP), or opened a socket of its own (UDP).
    Connects,
    /// Could not connect; `refused`: nobody was listening.
    CannotConnect { refused: bool, error: String },
    /// One write of all of `bytes` (the tutorial's `sendall`); over UDP, one datagram.
    Writes { bytes: Vec<u8> },
    /// A write that failed after `sent` of its `bytes` had gone.
    WriteFails {
        bytes: Vec<u8>,
        sent: usize,
        error: String,
    },
    /// Many writes, only to fill buffers: how many, and how many bytes in all.
    Floods { writes: usize, bytes: u64 },
    /// One read, and the bytes it returned; over UDP, one datagram (possibly empty).
    Reads { bytes: Vec<u8> },
    /// Many reads of a flood: how many, and how many bytes in all.
    ReadsMany { reads: usize, bytes: u64 },
    /// (A chat member.) Took one whole line, `line` (without its end), as the next it heard.
    Hears { line: String },
    /// (A chat member.) Took many lines of a flood, each the one expected: how many, and how
    /// many bytes with their line ends.
    HearsMany { lines: usize, bytes: u64 },
    /// A read that waited `waited_ms` and got nothing: the connection open and silent.
    Silence { waited_ms: u64 },
    /// A read that returned 0 bytes: the peer closed its side.
    EndOfStream,
    /// The peer reset the connection.
    Reset,
    /// A read that failed some other way.
    ReadFails { error: String },
    /// Closed its connection.
    Closes,
    /// Closed with a reset (SO_LINGER 0), as a killed client does.
    Resets,
    /// Shut down its sending side: the peer reads the end of the stream, and it can still read.
    HalfCloses,
    /// (The server.) Started only now, after the clients had written: until now nobody read.
    StartsServing,
    /// (The server.) Sent SIGINT, as Ctrl-C does.
    Interrupted,
    /// (The server.) Exited, `success` or not, `after_ms` after it was interrupted.
    Exits { success: bool, after_ms: u64 },
    /// (The server.) Did not exit within `waited_ms` of being interrupted.
    DoesNotExit { waited_ms: u64 },
}

/// Everything one run of an experiment observed, in order, and the protocol it spoke (which
/// says how to read the bytes: bare, in frames, in datagrams or in lines).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observations {
    pub protocol: Protocol,
    pub events: Vec<Event>,
}

impl Observations {
    /// The acts of `actor`, in order.
    pub fn of<'a>(&'a self, actor: &'a str) -> impl Iterator<Item = &'a Act> + 'a {
        self.events
            .iter()
            .filter(move |e| e.actor == actor)
            .map(|e| &e.act)
    }

    /// The bytes of each write of `actor`, in order (the writes that failed not among them).
    pub fn writes<'a>(&'a self, actor: &'a str) -> Vec<&'a [u8]> {
        self.of(actor)
            .filter_map(|act| match act {
                Act::Writes { bytes } => Some(bytes.as_slice()),
                _ => None,
            })
            .collect()
    }

    /// The bytes of each read of `actor`, in order.
    pub fn reads<'a>(&'a self, actor: &'a str) -> Vec<&'a [u8]> {
        self.of(actor)
            .filter_map(|act| match act {
                Act::Reads { bytes } => Some(bytes.as_slice()),
                _ => None,
            })
            .collect()
    }

    /// The events from `from` on, as observations of their own (for a renderer that shows a run
    /// in pieces, with its own lines between them).
    pub fn since(&self, from: usize) -> Observations {
        Observations {
            protocol: self.protocol,
            events: self.events[from.min(self.events.len())..].to_vec(),
        }
    }

    /// The events before `until`.
    pub fn until(&self, until: usize) -> Observations {
        Observations {
            protocol: self.protocol,
            events: self.events[..until.min(self.events.len())].to_vec(),
        }
    }

    /// Where the `n`th (from 0) event of `actor` that `matches` is, if there is one.
    pub fn position(&self, actor: &str, n: usize, matches: impl Fn(&Act) -> bool) -> Option<usize> {
        self.events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.actor == actor && matches(&e.act))
            .nth(n)
            .map(|(i, _)| i)
    }
}

/// Collects the events of one run as they happen. Cloned into every connection of the run (and
/// across threads: a writer thread records into the same list as the reader).
#[derive(Clone, Default)]
pub struct Recorder {
    events: Arc<Mutex<Vec<Event>>>,
    /// What the run may spend, if whoever plays it said (every connection of the run spends
    /// from the same budget).
    budget: Option<Arc<Budget>>,
}

impl Recorder {
    /// A record for a new run, with the budget set for this thread, if any
    /// ([`Budget::spend_within`]).
    pub fn new() -> Recorder {
        Recorder {
            events: Arc::default(),
            budget: Budget::current(),
        }
    }

    /// What the run may spend, if it was given a budget.
    pub fn budget(&self) -> Option<&Budget> {
        self.budget.as_deref()
    }

    /// Notes that `actor` did `act`, after everything noted so far.
    pub fn record(&self, actor: &str, act: Act) {
        if let Some(budget) = &self.budget {
            budget.take(kept(actor, &act));
        }
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Event {
                actor: actor.to_string(),
                act,
            });
    }

    /// How many events have been noted so far.
    pub fn len(&self) -> usize {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether nothing has been noted yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `actor`, since event number `mark`, read nothing and its last read timed out:
    /// it listened, and heard nothing at all.
    pub fn heard_nothing_since(&self, mark: usize, actor: &str) -> bool {
        let events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        let mut since = events.iter().skip(mark).filter(|e| e.actor == actor);
        let mut last_was_silence = false;
        for event in since.by_ref() {
            match event.act {
                Act::Reads { .. } | Act::EndOfStream | Act::Reset => return false,
                Act::Silence { .. } => last_was_silence = true,
                _ => {}
            }
        }
        last_was_silence
    }

    /// How many bytes `actor` read since event number `mark`.
    pub fn bytes_read_since(&self, mark: usize, actor: &str) -> usize {
        let events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        events
            .iter()
            .skip(mark)
            .filter(|e| e.actor == actor)
            .map(|e| match &e.act {
                Act::Reads { bytes } => bytes.len(),
                _ => 0,
            })
            .sum()
    }

    /// Whether the last thing `actor` read since event number `mark` was the end of the
    /// stream, or a reset.
    pub fn ended_since(&self, mark: usize, actor: &str) -> bool {
        let events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        events
            .iter()
            .skip(mark)
            .rev()
            .filter(|e| e.actor == actor)
            .find(|e| {
                matches!(
                    e.act,
                    Act::Reads { .. } | Act::EndOfStream | Act::Reset | Act::Silence { .. }
                )
            })
            .is_some_and(|e| matches!(e.act, Act::EndOfStream | Act::Reset))
    }

    /// What has been noted so far, as observations of `protocol`.
    pub fn observations(&self, protocol: Protocol) -> Observations {
        Observations {
            protocol,
            events: self
                .events
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        }
    }
}

/// About how much memory the record takes for `act` of `actor`, beyond the bytes of a read
/// (those were counted as they were read): the event, twice (a list grows by doubling, so it may
/// hold twice the room its events need), and each text or bytes it holds, at least 32 bytes
/// apiece (what an allocation costs, however small).
fn kept(actor: &str, act: &Act) -> usize {
    let holds = match act {
        Act::Writes { bytes } | Act::WriteFails { bytes, .. } => bytes.len(),
        Act::Hears { line } => line.len(),
        Act::CannotConnect { error, .. } | Act::ReadFails { error } => error.len(),
        _ => 0,
    };
    2 * std::mem::size_of::<Event>() + actor.len().max(32) + holds.max(32)
}

/// A duration as the whole milliseconds an event keeps.
pub fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_are_plain_data_that_keep_every_byte_actor_and_order() {
        let log = Recorder::new();
        log.record("A", Act::Connects);
        log.record(
            "A",
            Act::Writes {
                bytes: b"echo a\xff".to_vec(),
            },
        );
        log.record(SERVER, Act::StartsServing);
        log.record("A", Act::Silence { waited_ms: 300 });
        log.record(
            "A",
            Act::Reads {
                bytes: b"a\n".to_vec(),
            },
        );
        log.record("A", Act::Closes);
        let observations = log.observations(Protocol::Commands);
        let json = serde_json::to_string(&observations).unwrap();
        let back: Observations = serde_json::from_str(&json).unwrap();
        assert_eq!(back, observations);
        assert!(json.contains(r#""act":"writes""#), "{json}");
        assert_eq!(back.writes("A"), [b"echo a\xff"]);
        assert_eq!(back.reads("A"), [b"a\n"]);
        assert_eq!(
            back.position("A", 0, |act| matches!(act, Act::Silence { .. })),
            Some(3)
        );
        assert_eq!(back.since(4).events.len(), 2);
        assert_eq!(back.until(2).events.len(), 2);
    }

    #[test]
    fn a_recorder_tells_what_an_actor_heard_since_a_mark() {
        let log = Recorder::new();
        log.record("B", Act::Reads { bytes: vec![1] });
        let mark = log.len();
        log.record("A", Act::Reads { bytes: vec![2, 3] });
        log.record("B", Act::Silence { waited_ms: 300 });
        assert!(log.heard_nothing_since(mark, "B"));
        assert!(!log.heard_nothing_since(0, "B"));
        assert_eq!(log.bytes_read_since(mark, "A"), 2);
        assert!(!log.ended_since(mark, "A"));
        log.record("A", Act::EndOfStream);
        assert!(log.ended_since(mark, "A"));
    }
}
