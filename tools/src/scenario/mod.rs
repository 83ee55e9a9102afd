//! The scenario engine: every experiment the course plays against a server, written once.
//!
//! An experiment ("a second client while the first stays", "two requests in one write", "a
//! reply longer than one read", "a request dribbled a byte at a time", "a member who never
//! reads", "reset, then a new client", "Ctrl-C with idle clients" …) connects its clients to a
//! server, does the one thing it is about, and returns a [`Run`]: what it observed, as plain
//! data ([`Observations`]: who wrote what in which writes, who read what in which reads, what
//! was refused, stayed silent for a moment, closed or reset, in order), and a small typed
//! *finding* computed from it (`Served`, `WaitsForFirst`, …).
//!
//! Nothing here prints, paints or judges. Renderers do, each reading only a run:
//! - `compare` renders a finding as a table cell;
//! - `grade` renders it as a verdict with a reason (what was expected, what was observed) and a
//!   hint chosen from what was observed;
//! - the demos render the observations as their play-by-play (`client A sends "echo a"`) and as
//!   pictures of the byte stream (the writes in one row, the reads in the next).
//!
//! Every wait is bounded (the target's patience, or the probe's A_MOMENT where an experiment
//! listens for silence), and what an experiment finds is forced by the design of the server
//! under test, never by timing: a silence is only ever "nothing within a moment" from a server
//! that, by its design, will not answer.
//!
//! The experiments, by what they are about:
//! - [`clients`]: a second client while the first stays, a third under a cap, a hundred at once;
//! - [`boundaries`]: message boundaries (粘包): requests glued in one read, a reply longer than
//!   one read, a request dribbled or split, an empty reply, a message of megabytes;
//! - [`hostile`]: peers that misbehave: a reset half-way, a client that never reads, a frame
//!   that lies, bytes that are not text; and the well-behaved client served after them;
//! - [`lifecycle`]: Ctrl-C while clients are connected;
//! - [`chat`]: lesson 9's room, played by several members at once: members joining in turn, a
//!   line in pieces, a member who never reads, a member who leaves;
//! - [`files`]: lesson 8's `get` and `put`, an upload cut off, a download beside an upload;
//! - [`robot`]: lesson 10's calls: the welcome, the menus turn by turn, two callers, silence;
//! - [`rechunked`]: requests re-cut into pieces of 1 to 3 bytes by the `chaos` proxy, each
//!   piece one read of the server's;
//! - [`reset_at_once`]: a client that resets before sending a byte.
//!
//! What needs the server's process itself (its exit, its CPU time, its client) is played by
//! `grade::program`, with the connections of this engine.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub mod boundaries;
pub mod budget;
pub mod chat;
pub mod clients;
pub mod conn;
pub mod files;
pub mod hostile;
pub mod lifecycle;
pub mod rechunked;
pub mod record;
pub mod reset_at_once;
pub mod robot;
pub mod wire;

pub use budget::Budget;
pub use conn::{Conn, FrameReply, Missing};
pub use record::{Act, Event, Observations, Recorder};

/// What the server under test speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// Lessons 1–4 (and 11–13): every read is answered with its bytes, `a`–`z` upper-cased.
    Echo,
    /// Lesson 5: the command service (`help`, `echo`, `seq`), bare text both ways.
    Commands,
    /// Lesson 6: the command service, every message a fixed-header frame.
    Framed,
    /// Lesson 7: the echo rule, one datagram per message.
    Udp,
    /// Lesson 9's chat room: lines, the first a member's name, each relayed to the others.
    Chat,
    /// RFC 862's echo service, as `socat … EXEC:cat` and Python's `socketserver` echo serve it:
    /// every read answered with its bytes exactly as they came.
    Rfc862,
    /// Lesson 8's file transfer: `get` and `put` requests in fixed-header frames
    /// ([`files`]).
    Files,
    /// Lesson 10's menu robot: frames both ways, the robot speaking first ([`robot`]).
    Robot,
}

impl Protocol {
    pub const ALL: [Protocol; 8] = [
        Protocol::Echo,
        Protocol::Commands,
        Protocol::Framed,
        Protocol::Udp,
        Protocol::Chat,
        Protocol::Rfc862,
        Protocol::Files,
        Protocol::Robot,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Protocol::Echo => "echo",
            Protocol::Commands => "commands",
            Protocol::Framed => "framed",
            Protocol::Udp => "udp",
            Protocol::Chat => "chat",
            Protocol::Rfc862 => "rfc862",
            Protocol::Files => "files",
            Protocol::Robot => "robot",
        }
    }

    pub fn parse(text: &str) -> Result<Protocol, String> {
        Protocol::ALL
            .into_iter()
            .find(|p| p.name() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = Protocol::ALL.iter().map(|p| p.name()).collect();
                format!(
                    "unknown protocol {text:?}: expected one of {}",
                    names.join(", ")
                )
            })
    }

    /// Whether a server of this protocol answers every read with that read's bytes, by a rule
    /// for each byte (the course's echo rule, or RFC 862's "as they came"). For these, however
    /// the server's reads cut the stream, its replies put together are the echo of it all: a
    /// reply in pieces is not a fault.
    pub fn echoes_bytes(self) -> bool {
        matches!(self, Protocol::Echo | Protocol::Rfc862)
    }

    /// What a server of this protocol sends back for `bytes`, where it echoes them: upper-cased
    /// (`bytes.upper()`, the course's echo rule, over TCP or UDP), or as they came (RFC 862).
    pub fn echo_of(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Protocol::Rfc862 => bytes.to_vec(),
            _ => wire::upper(bytes),
        }
    }

    /// The protocol each stage of the course speaks (docs/contracts.md: the echo rule for
    /// lessons 1-4 and 11-13, the command service bare in lesson 5 and framed in lesson 6, the echo
    /// rule over UDP in lesson 7, the file transfer in lesson 8, the chat room in lesson 9, the
    /// menu robot in lesson 10).
    pub fn of_stage(number: u16) -> Option<Protocol> {
        match number {
            1..=4 | 11..=13 => Some(Protocol::Echo),
            5 => Some(Protocol::Commands),
            6 => Some(Protocol::Framed),
            7 => Some(Protocol::Udp),
            8 => Some(Protocol::Files),
            9 => Some(Protocol::Chat),
            10 => Some(Protocol::Robot),
            _ => None,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The server an experiment is played against.
#[derive(Debug, Clone)]
pub struct Target {
    pub addr: SocketAddr,
    pub protocol: Protocol,
    /// The longest any one wait may take for something that should happen.
    pub patience: Duration,
}

impl Target {
    /// The same server, waited for no longer than `patience`.
    pub fn with_patience(&self, patience: Duration) -> Target {
        Target {
            patience,
            ..self.clone()
        }
    }
}

/// One run of an experiment: what it found, and everything it observed on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run<F> {
    pub finding: F,
    pub observations: Observations,
}

impl<F> Run<F> {
    /// Plays an experiment with a record of its own: `play` gets the recorder (every connection
    /// it opens notes its acts there) and returns the finding.
    pub fn play(protocol: Protocol, play: impl FnOnce(&Recorder) -> F) -> Run<F> {
        let log = Recorder::new();
        let finding = play(&log);
        Run {
            finding,
            observations: log.observations(protocol),
        }
    }
}

impl<F> Run<F> {
    /// Plays an experiment of one client, `A`: connects it (or finds `cannot_connect` of why
    /// not), lets `play` use it (and the record), and closes it.
    pub fn one_client(
        target: &Target,
        cannot_connect: impl FnOnce(crate::said::Said) -> F,
        play: impl FnOnce(&mut Conn, &Recorder) -> F,
    ) -> Run<F> {
        Run::play(target.protocol, |log| match Conn::open(target, "A", log) {
            Err(why) => cannot_connect(why),
            Ok(mut a) => {
                let finding = play(&mut a, log);
                a.close();
                finding
            }
        })
    }
}
