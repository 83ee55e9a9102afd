//! # socket-lessons
//!
//! A classic Chinese Python socket tutorial series, rebuilt step by step in Rust. The code is the
//! textbook: each stage in [`lessons`] mirrors one tutorial step and changes the stage before it
//! by exactly one idea.
//!
//! The course map is data, [`course::LESSONS`]: what each `lessonN` runs, the stage it builds
//! on, its chapter. The README and `lessons/README.md` show it as a table.
//!
//! Everything that is *not* a lesson's point lives once, outside `lessons/`:
//! [`cli`] (the command line every binary shares), [`logging`], [`shutdown`] (the one
//! shutdown channel), [`server`] (the listening socket and the bookkeeping that lets Ctrl-C stop
//! it), [`datagram`] (the same for UDP), [`endpoint`] (`HOST:PORT` and `unix:PATH`), [`frame`]
//! (the fixed-header frame), [`commands`] (the command service), [`files`] (lesson 8's served folder
//! and its requests), [`probe`] (how tests, demos,
//! benches and tools poke at a server), [`demo`] (the narrated demos), [`course`] (the course
//! map as data) and [`stage`] (what a stage is made of). The promises all of it keeps to users are written down in `docs/contracts.md`.

pub mod chaos;
pub mod cli;
pub mod commands;
pub mod compare;
pub mod course;
pub mod datagram;
pub mod demo;
pub mod endpoint;
pub mod escape;
pub mod files;
pub mod frame;
pub mod grade;
pub mod guard;
pub mod interop;
pub mod lessons;
pub mod line;
pub mod logging;
pub mod menu;
pub mod netassist;
pub mod probe;
pub mod room;
pub mod server;
pub mod shutdown;
pub mod sockopts;
pub mod stage;
