//! # socket-lessons-tools
//!
//! Everything beside the course that a student does not need to read: the command line every
//! binary shares ([`cli`]), the narrated demos ([`demo`]), the probe that pokes at a server from
//! the outside without ever waiting forever ([`probe`]), and the instructor tools: [`grade`],
//! [`compare`], [`chaos`] and [`netassist`]. It depends on the course's own crate,
//! `socket_lessons`, and never the other way round.

pub mod chaos;
pub mod cli;
pub mod compare;
pub mod demo;
pub mod grade;
pub mod netassist;
pub mod probe;
