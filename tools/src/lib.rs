//! # socket-lessons-tools
//!
//! Everything beside the course that a student does not need to read: the command line every
//! binary shares ([`cli`]), the narrated demos ([`demo`]), the probe that pokes at a server from
//! the outside without ever waiting forever ([`probe`]), the scenario engine where every
//! experiment against a server is written once and returns what it observed ([`scenario`]), and
//! the instructor tools: [`grade`], [`compare`], [`chaos`] and [`netassist`]. `compare`, `grade`
//! and the demos play the engine's experiments and only render what they found: a table cell, a
//! verdict, a narration; and each can also write what it showed as one self-contained page for a
//! browser ([`page`]). What they observe is said in two languages at once, English for programs
//! and the reader's own for a person ([`said`](mod@said)). The crate depends on the course's own, `socket_lessons`, and never the
//! other way round.

pub mod chaos;
pub mod clap_in_chinese;
pub mod cli;
pub mod compare;
pub mod demo;
pub mod grade;
pub mod i18n;
pub mod learn;
pub mod netassist;
pub mod page;
pub mod probe;
pub mod said;
pub mod scenario;
pub mod terminal;
