//! # socket-lessons
//!
//! A classic Chinese Python socket tutorial series, rebuilt step by step in Rust. The code is the
//! textbook: each stage in [`lessons`] mirrors one tutorial step and changes the stage before it
//! by exactly one idea.
//!
//! | bin | stage | tutorial step | the one new idea | what is still broken |
//! |---|---|---|---|---|
//! | `lesson1` | [`lessons::basic`] | 最基础版本 | socket → bind → listen → accept → recv → send → close | serves one client once, then exits |
//! | `lesson2` | [`lessons::connection_loop`] | 加入链接循环 | a loop around `accept` | one message per connection |
//! | `lesson3` | [`lessons::communication_loop`] | 加入通信循环 | a loop around `recv`; 0 bytes = peer closed | one client at a time |
//! | `lesson4` | [`lessons::concurrent`] | 支持并发 | one thread per connection | message boundaries are assumed, not real |
//! | `lesson5` | [`lessons::sticky_packet`] | 粘包现象 | a command service trusting one `recv(1024)` = one message | replies spill over; requests glue together |
//! | `lesson6` | [`lessons::fixed_header`] | 解决粘包 | a fixed-size header length, a JSON header, the body | — the cure; later lessons build on [`frame`] |
//!
//! Everything that is *not* a lesson's point lives once, outside `lessons/`:
//! [`cli`] (the command line every `lessonN` shares), [`logging`], [`shutdown`] (the one
//! shutdown channel), [`server`] (the listening socket and the bookkeeping that lets Ctrl-C stop
//! it), [`frame`] (the fixed-header codec), [`commands`] (the command service), [`demo`] (the
//! narrated demos) and [`course`] (the course map as data).

pub mod cli;
pub mod commands;
pub mod course;
pub mod datagram;
pub mod demo;
pub mod endpoint;
pub mod frame;
pub mod lessons;
pub mod logging;
pub mod probe;
pub mod server;
pub mod shutdown;
