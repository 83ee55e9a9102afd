//! A log nobody reads must not stop a server (docs/contracts.md, "Log lines" and "Shutdown").
//!
//! Every TCP server that runs until Ctrl-C (lessons 2 to 6 and 8 to 11) is started with its
//! standard error going to a pipe that this test never reads after the `listening on` line: a
//! supervisor that does not drain its logs, `lesson9 server 2>&1 | less` left paused. The pipe
//! is made as small as Linux allows (one page, 4 KiB) so that it fills after a few dozen
//! connections instead of 1,500, and the test measures that it *is* full (the bytes waiting in
//! it, `FIONREAD`) before going on. Then, with nobody reading:
//! - more than a whole log queue's worth of connections come and go,
//! - a fresh client, the lesson's own client binary, is served as usual,
//! - one Ctrl-C ends it, cleanly (exit 0): even the status lines (`lessonN server stopped`) go
//!   through the log writer, so nothing on the way out waits for the pipe longer than a log
//!   line would.
//!
//! One more test reads the pipe again afterwards and finds the server saying how many log lines
//! it dropped.
//!
//! (A second Ctrl-C, for a stop that is really stuck, is tested in `second_ctrl_c.rs`.)

#![cfg(target_os = "linux")]

mod common;

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::{ChildStderr, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use socket_lessons::logging::QUEUED_LINES;
use socket_lessons::menu;
use socket_lessons_tools::probe::{
    self, BoundedThread, ChildGuard, LISTENING_ON, PATIENCE, PipeLines,
};

use common::lesson_command;

/// The smallest pipe Linux makes: one page.
const SMALL_PIPE: i32 = 4096;

/// A server whose stderr is a pipe nobody reads any more.
struct Unread {
    lesson: u16,
    addr: SocketAddr,
    child: ChildGuard,
    stderr: ChildStderr,
}

impl Unread {
    fn start(lesson: u16, extra_args: &[&str]) -> Unread {
        let mut command = lesson_command(lesson);
        command
            .args(["server", "--addr", "127.0.0.1:0"])
            .args(extra_args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = ChildGuard::spawn(&mut command, format!("lesson{lesson} server")).unwrap();
        let stderr = child.child().stderr.take().unwrap();
        // SAFETY: fcntl(2) on a pipe's file descriptor that we own; it takes plain integers.
        let resized = unsafe { libc::fcntl(stderr.as_raw_fd(), libc::F_SETPIPE_SZ, SMALL_PIPE) };
        assert!(resized >= SMALL_PIPE, "cannot resize the pipe");
        // Read the `listening on` line, one byte at a time so that nothing after it is taken
        // out of the pipe, on a thread of its own so that the wait is bounded.
        let reading = BoundedThread::spawn("listening line", move || {
            let mut stderr = stderr;
            let mut line = Vec::new();
            let mut byte = [0u8; 1];
            while stderr.read(&mut byte).unwrap_or(0) == 1 {
                if byte[0] == b'\n' {
                    let text = String::from_utf8_lossy(&line).into_owned();
                    if let Some(addr) = probe::listening_addr(&text) {
                        return (stderr, Some(addr));
                    }
                    line.clear();
                } else {
                    line.push(byte[0]);
                }
            }
            (stderr, None)
        })
        .unwrap();
        let (stderr, addr) = reading.join_within(PATIENCE).unwrap();
        let addr =
            addr.unwrap_or_else(|| panic!("lesson{lesson} server printed no {LISTENING_ON}"));
        Unread {
            lesson,
            addr,
            child,
            stderr,
        }
    }

    /// How many bytes wait in the pipe, unread.
    fn unread_bytes(&self) -> i32 {
        let mut waiting: libc::c_int = 0;
        // SAFETY: FIONREAD writes one int through the pointer, which points at ours.
        let result = unsafe { libc::ioctl(self.stderr.as_raw_fd(), libc::FIONREAD, &mut waiting) };
        assert_eq!(result, 0, "FIONREAD failed");
        waiting
    }

    /// Connects and hangs up, again and again, until the pipe is full (no room left for another
    /// log line); then `more` times again. Returns how many connections had been made when the
    /// pipe was seen full (the server lags behind them: it accepts them from its backlog).
    fn fill_the_pipe(&self, more: usize) -> usize {
        let full = SMALL_PIPE - 200;
        let mut connections = 0;
        while self.unread_bytes() < full {
            assert!(
                connections < 5_000,
                "lesson{}: 5,000 connections and the pipe holds only {} bytes",
                self.lesson,
                self.unread_bytes()
            );
            self.connect_and_hang_up();
            connections += 1;
        }
        for _ in 0..more {
            self.connect_and_hang_up();
        }
        connections
    }

    fn connect_and_hang_up(&self) {
        drop(
            TcpStream::connect_timeout(&self.addr, PATIENCE).expect("the server stopped accepting"),
        );
    }

    /// Ctrl-C, and the exit it leads to (within PATIENCE): its status and how long it took.
    fn stop(mut self) -> (ExitStatus, Duration) {
        let start = Instant::now();
        self.child.interrupt().unwrap();
        let status = self
            .child
            .wait_within(PATIENCE)
            .unwrap_or_else(|e| panic!("lesson{}: Ctrl-C did not end it: {e}", self.lesson));
        (status, start.elapsed())
    }
}

/// A fresh client of lesson `lesson`: its own client binary, what it is given, and a piece of
/// what it must print.
fn fresh_client(lesson: u16, addr: SocketAddr) -> (Command, &'static [u8], &'static str) {
    let mut command = lesson_command(lesson);
    command.args(["client", "--addr", &addr.to_string()]);
    match lesson {
        2..=4 | 11 => (command, b"hello\n", "HELLO"),
        5 | 6 => (command, b"echo served\n", "served"),
        8 => {
            command.arg("list");
            (command, b"", "kept.txt")
        }
        9 => {
            command.args(["--name", "fresh"]);
            (command, b"", "* in the room: nobody else yet")
        }
        10 => (command, b"", menu::WELCOME),
        _ => unreachable!("lesson{lesson} is not a TCP server that runs until Ctrl-C"),
    }
}

/// A folder for lesson 8 to serve, with one file in it; removed when dropped.
struct Served(PathBuf);

impl Served {
    fn new() -> Served {
        let dir = std::env::temp_dir().join(format!("unread-log-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("kept.txt"), "kept\n").unwrap();
        Served(dir)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_full_log_pipe_stops_no_server_and_ctrl_c_still_ends_it() {
    let served = Served::new();
    let mut report = Vec::new();
    for lesson in [2, 3, 4, 5, 6, 8, 9, 10, 11] {
        let root = served.0.to_str().unwrap();
        let extra: &[&str] = if lesson == 8 { &["--root", root] } else { &[] };
        let server = Unread::start(lesson, extra);
        // More connections after the pipe is full than the log queue holds lines: every thread
        // that logs has met a full pipe, and lines have been dropped.
        let filled_after = server.fill_the_pipe(QUEUED_LINES + 100);
        let (mut command, input, expected) = fresh_client(lesson, server.addr);
        let finished = probe::run(&mut command, input, PATIENCE)
            .unwrap_or_else(|e| panic!("lesson{lesson}: a fresh client was not served: {e}"));
        let stdout = String::from_utf8_lossy(&finished.stdout);
        assert!(
            stdout.contains(expected),
            "lesson{lesson}: a fresh client was not served:\n{stdout}\n{}",
            String::from_utf8_lossy(&finished.stderr)
        );
        assert!(
            server.unread_bytes() >= SMALL_PIPE - 200,
            "the pipe was read"
        );
        let (status, took) = server.stop();
        assert!(status.success(), "lesson{lesson}: {status}");
        report.push(format!(
            "lesson{lesson}: pipe seen full after {filled_after} connections; {} more; a fresh \
             client served; Ctrl-C: {status} after {took:?}",
            QUEUED_LINES + 100,
        ));
    }
    println!("{}", report.join("\n"));
}

#[test]
fn once_the_pipe_is_read_again_the_server_says_how_many_lines_it_dropped() {
    let server = Unread::start(9, &[]);
    server.fill_the_pipe(QUEUED_LINES + 100);
    // A fresh member is served: so the server has accepted (and logged, or dropped the lines
    // of) every connection before it, which waited in its backlog.
    let (mut command, input, expected) = fresh_client(9, server.addr);
    let finished = probe::run(&mut command, input, PATIENCE).unwrap();
    assert!(String::from_utf8_lossy(&finished.stdout).contains(expected));
    // Somebody reads the pipe again: what was waiting comes out, then the count of what was
    // lost, and the server carries on logging.
    let Unread {
        addr,
        mut child,
        stderr,
        ..
    } = server;
    let mut lines = PipeLines::spawn(stderr, "stderr", "lesson9 server");
    let dropped = lines
        .wait_for("saying lines were dropped", |line| {
            line.ends_with("log lines dropped (stderr was not being read)")
        })
        .unwrap();
    let count: u64 = dropped.split_whitespace().next().unwrap().parse().unwrap();
    assert!(count > 0, "{dropped}");
    drop(TcpStream::connect_timeout(&addr, PATIENCE).unwrap());
    lines
        .wait_for("for the next connection", |line| line.contains("connected"))
        .unwrap();
    child.interrupt().unwrap();
    let status = child.wait_within(PATIENCE).unwrap();
    assert!(status.success(), "{status}");
    lines.read_rest().unwrap();
    assert_eq!(
        lines.seen().last().map(String::as_str),
        Some("lesson9 server stopped")
    );
}
