//! # socket-lessons
//!
//! A classic Chinese Python socket tutorial series, rebuilt step by step in Rust. The code is the
//! textbook: each stage in [`lessons`] mirrors one tutorial step and changes the stage before it
//! by exactly one idea. This crate is what a student reads: the stages, and exactly the parts
//! they use. The binaries, the demos and the instructor tools (`grade`, `compare`, `chaos`,
//! `netassist`) live in the tools crate beside it (`tools/`), which uses this one and is never
//! used by it.
//!
//! The course map is data, [`course::LESSONS`]: what each `lessonN` runs, the stage it builds
//! on, its chapter. The README and `lessons/README.md` show it as a table.
//!
//! Everything that is *not* a lesson's point lives once, outside `lessons/`, one module per
//! concept:
//!
//! | module | what it holds |
//! |---|---|
//! | [`course`], [`stage`], [`flags`] | the course map as data; what a stage is made of (its server, its client, their typed flags); the kinds of value a flag takes |
//! | [`server`], [`shutdown`] | the listening socket and what lets Ctrl-C stop a server; the one shutdown channel |
//! | [`datagram`], [`echo_loop`] | the same for UDP: a `recv_from` that Ctrl-C can wake, a log a flood cannot flood; whom a UDP echo never answers |
//! | [`endpoint`], [`sockopts`] | `HOST:PORT` and `unix:PATH`; the listening options lesson 11 turns by hand |
//! | [`timeout`], [`guard`], [`capacity`] | how a timeout shows itself; the client cap and the idle and write timeouts; how many clients this process can hold |
//! | [`frame`] | the fixed-header frame (报头) of lesson 6 and later, and the tutorial's own wire |
//! | [`commands`], [`interop`] | the command service of lessons 5 and 6; lesson 6's client on the tutorial's wire |
//! | [`files`] | lesson 8's served folder, its requests, and files that appear only when whole |
//! | [`line`](mod@line), [`room`] | lesson 9's wire (one line, one message) and its chat room |
//! | [`menu`] | lesson 10's 10086 robot: its dialog as a state machine, with no sockets |
//! | [`escape`], [`logging`] | peer text made safe for logs and terminals; what servers say on stderr |
//! | [`terminal`] | what a client owes the terminal it leaves: no half-typed line for the shell |
//!
//! The promises all of it keeps to users are written down in `docs/contracts.md`.

pub mod capacity;
pub mod commands;
pub mod course;
pub mod datagram;
pub mod echo_loop;
pub mod endpoint;
pub mod escape;
pub mod files;
pub mod flags;
pub mod frame;
pub mod guard;
pub mod i18n;
pub mod interop;
pub mod lessons;
pub mod line;
pub mod logging;
pub mod menu;
pub mod room;
pub mod server;
pub mod shutdown;
pub mod sockopts;
pub mod stage;
pub mod terminal;
pub mod timeout;
