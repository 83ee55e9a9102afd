//! What servers say, on stderr, through `log` + `env_logger`.
//!
//! Every line is labelled with the thread that wrote it (`server`, `client 127.0.0.1:50312`, ...),
//! because a demo runs a server and its clients in one process and their lines interleave. A
//! line from a client's thread names that client once, in its label.
//! Servers and clients log at `info` by default. A demo logs only warnings by default, because
//! its narration on stdout already tells the story and interleaved log lines would blur it.
//! `RUST_LOG=info` (or `warn`, `error`, `off`, ...) overrides either default.
//!
//! # A log nobody reads must not stop the server
//!
//! Standard error is a pipe or a terminal, and both can stop taking bytes: a supervisor that
//! never drains its pipe, `lesson9 server 2>&1 | less` left paused, a terminal paused with
//! Ctrl-S. The kernel's buffer fills (64 KiB for a pipe, about 1,500 connections' worth of
//! lines), and the next `write` blocks until somebody reads. If every thread wrote its own log
//! lines, every thread that logs would block on its next line: the server would stop serving,
//! and stop stopping too, since the way out logs as well.
//!
//! So only one thread ever writes to stderr: the **log writer**. A thread that logs puts its
//! line in a bounded queue ([`QUEUED_LINES`] lines) for the writer, and then waits for the
//! writer to have written it, so that while stderr keeps up, a line is out before the program
//! does its next thing (and none is lost when the program exits right after). But it waits at
//! most [`STDERR_PATIENCE`]: a thread that waited that long marks stderr as *stuck*, and from
//! then on nobody waits, until the writer gets a line out again. When the queue is full the line
//! is dropped and counted, and the writer says how many, once, when stderr takes lines again:
//! `N log lines dropped`. A line of log is never worth a stalled server.
//!
//! A queue drained by one thread is also how `tracing-appender`'s non-blocking writer works; we
//! chose it over "try to write, drop the line if it would block" because that needs the file
//! descriptor made non-blocking, which the shell shares with us when stderr is a terminal.

use std::collections::VecDeque;
use std::io::{self, IsTerminal, Write};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use env_logger::fmt::{Target, WriteStyle};
use env_logger::{Builder, Env};

/// How many lines may wait for the log writer. 1,024 lines of about 100 bytes are about 100 KiB:
/// more than a burst of connections logs in the moment stderr takes to catch up, and a bound on
/// what a log nobody reads costs us.
pub const QUEUED_LINES: usize = 1024;

/// How long a thread that logs waits for its line to be written before it decides stderr is
/// stuck and goes on. A terminal or a pipe that is being read takes a line in microseconds.
pub const STDERR_PATIENCE: Duration = Duration::from_millis(100);

/// Sets up logging once per process. `role` labels the main thread ("server", "client", "demo").
pub fn init(role: &'static str, default_level: &str) {
    let mut builder = Builder::from_env(Env::default().default_filter_or(default_level));
    builder.format(move |out, record| {
        let current = thread::current();
        let label = match current.name() {
            Some("main") | None => role,
            Some(name) => name,
        };
        let style = out.default_level_style(record.level());
        let message = record.args().to_string();
        // A client's thread is labelled with its peer, and the stages' messages start with
        // the peer too (lesson 3 logs them from the server's thread): say it once.
        let message = match label.strip_prefix("client ") {
            Some(peer) => message.strip_prefix(peer).map_or(message.as_str(), |rest| {
                rest.trim_start_matches(':').trim_start()
            }),
            None => message.as_str(),
        };
        writeln!(
            out,
            "{style}{:>5}{style:#} [{label}] {message}",
            record.level()
        )
    });
    // Every line goes through the queue to the one log writer. (If that thread cannot even be
    // started, lines go straight to stderr, as they would without this module.)
    if let Some(queue) = log_writer() {
        builder
            .target(Target::Pipe(Box::new(QueuedLines(queue))))
            .write_style(colours_for_stderr());
    }
    // Tests call into the library from many threads; a second init is not an error for us.
    let _ = builder.try_init();
}

/// Writes one line to stderr, whatever `RUST_LOG` says: a line the operator must read (where a
/// server listens, that it stopped, why it could not start), which is not a log line. It goes
/// through the log writer like every log line, so it keeps its place among them and, like them,
/// never holds its caller for more than [`STDERR_PATIENCE`] when nobody reads stderr.
pub fn status(line: &str) {
    let line = format!("{line}\n");
    match log_writer() {
        Some(queue) => queue.log(line.as_bytes()),
        None => {
            let _ = io::stderr().write_all(line.as_bytes());
        }
    }
}

/// Colours when stderr is a terminal, as `env_logger` decides for itself when it writes to
/// stderr directly (it cannot know where the writer's lines end up): `NO_COLOR` turns them off,
/// `RUST_LOG_STYLE=always` or `never` decides.
fn colours_for_stderr() -> WriteStyle {
    match std::env::var("RUST_LOG_STYLE").as_deref() {
        Ok("always") => WriteStyle::Always,
        Ok("never") => WriteStyle::Never,
        _ if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => WriteStyle::Never,
        _ if io::stderr().is_terminal() => WriteStyle::Always,
        _ => WriteStyle::Never,
    }
}

/// The queue of the process's one log writer, which is started the first time it is asked for.
fn log_writer() -> Option<&'static LogQueue> {
    static QUEUE: OnceLock<Option<&'static LogQueue>> = OnceLock::new();
    *QUEUE.get_or_init(|| {
        let queue: &'static LogQueue = Box::leak(Box::default());
        thread::Builder::new()
            .name("log writer".into())
            .spawn(move || queue.write_to(&mut io::stderr()))
            .ok()
            .map(|_| queue)
    })
}

/// The lines waiting for the log writer, and what the threads that log know about it.
#[derive(Default)]
struct LogQueue {
    state: Mutex<QueueState>,
    /// Rung when a line is queued: the writer waits on it.
    line_queued: Condvar,
    /// Rung when a line has been written: the thread that logged it waits on it.
    line_written: Condvar,
}

#[derive(Default)]
struct QueueState {
    lines: VecDeque<Vec<u8>>,
    /// How many lines were ever queued, and how many written: the line that was queued as
    /// number `n` is out once `written >= n`.
    queued: u64,
    written: u64,
    /// Lines thrown away because the queue was full, not yet reported.
    dropped: u64,
    /// A thread waited [`STDERR_PATIENCE`] for its line in vain: until the writer gets a line
    /// out again, nobody waits.
    stuck: bool,
}

impl QueueState {
    /// The line that says how many lines were dropped since the last one like it, counted as a
    /// line queued.
    fn notice_of_dropped_lines(&mut self) -> Vec<u8> {
        let notice = format!(
            "{} log lines dropped (stderr was not being read)\n",
            self.dropped
        );
        self.dropped = 0;
        self.queued += 1;
        notice.into_bytes()
    }
}

impl LogQueue {
    fn lock(&self) -> MutexGuard<'_, QueueState> {
        // A thread that panicked while holding the lock left a queue that is still a queue.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Hands `line` to the writer, and waits (at most [`STDERR_PATIENCE`]) until it is written.
    fn log(&self, line: &[u8]) {
        let mut state = self.lock();
        if state.lines.len() >= QUEUED_LINES {
            state.dropped += 1;
            return;
        }
        if state.dropped > 0 {
            // Said where the gap is: after the lines that were queued before it.
            let notice = state.notice_of_dropped_lines();
            state.lines.push_back(notice);
        }
        state.lines.push_back(line.to_vec());
        state.queued += 1;
        let mine = state.queued;
        self.line_queued.notify_one();
        if state.stuck {
            return;
        }
        let (mut state, waited) = self
            .line_written
            .wait_timeout_while(state, STDERR_PATIENCE, |s| s.written < mine && !s.stuck)
            .unwrap_or_else(PoisonError::into_inner);
        if waited.timed_out() {
            state.stuck = true;
        }
    }

    /// The log writer's loop: the only place that writes log lines to `stderr`, so the only
    /// thread that a stderr nobody reads can stop.
    fn write_to(&self, stderr: &mut dyn Write) {
        loop {
            let line = {
                let mut state = self.lock();
                loop {
                    if let Some(line) = state.lines.pop_front() {
                        break line;
                    }
                    // Caught up after a gap, and nothing new to write: say so now, not only
                    // when the next line comes.
                    if state.dropped > 0 {
                        break state.notice_of_dropped_lines();
                    }
                    state = self
                        .line_queued
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            };
            // A stderr that is closed for good (the reader of the pipe exited) fails: the line
            // is lost either way, and the writer goes on to the next.
            let _ = stderr.write_all(&line).and_then(|()| stderr.flush());
            let mut state = self.lock();
            state.written += 1;
            state.stuck = false;
            self.line_written.notify_all();
        }
    }
}

/// Events of one kind (clients refused, datagrams received), counted so that they are logged at
/// most once a second, each line saying how many there were: a flood of events cannot flood the
/// log too. Lesson 11 counts its refusals with it, lesson 7 its datagrams.
#[derive(Debug, Default)]
pub struct AtMostOnceASecond {
    last_logged: Option<Instant>,
    unlogged: u64,
}

impl AtMostOnceASecond {
    /// Counts one event at `now`; returns how many to log now (this one and those not logged
    /// yet), or `None` if the last log line is less than a second old.
    pub fn record(&mut self, now: Instant) -> Option<u64> {
        self.unlogged += 1;
        let due = self
            .last_logged
            .is_none_or(|last| now.duration_since(last) >= Duration::from_secs(1));
        if !due {
            return None;
        }
        self.last_logged = Some(now);
        Some(std::mem::take(&mut self.unlogged))
    }

    /// How many events were counted and not logged yet; they count as logged now (for a last
    /// line when the server stops).
    pub fn take_unlogged(&mut self) -> u64 {
        std::mem::take(&mut self.unlogged)
    }
}

/// What `env_logger` writes its formatted lines to: the log writer's queue.
struct QueuedLines(&'static LogQueue);

impl Write for QueuedLines {
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        self.0.log(line);
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::mpsc;

    use super::*;

    /// A stderr that takes nothing until it is let go (and says when it starts waiting), then
    /// keeps what it is given.
    struct Blocked {
        blocked: mpsc::Sender<()>,
        let_go: mpsc::Receiver<()>,
        taken: Arc<Mutex<Vec<u8>>>,
        waiting: bool,
    }

    impl Write for Blocked {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if self.waiting {
                let _ = self.blocked.send(());
                let _ = self.let_go.recv();
                self.waiting = false;
            }
            self.taken.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn events_are_logged_at_most_once_a_second_with_a_count() {
        let mut events = AtMostOnceASecond::default();
        let start = Instant::now();
        assert_eq!(events.record(start), Some(1), "the first is logged at once");
        for i in 1..=9 {
            assert_eq!(
                events.record(start + Duration::from_millis(i * 100 - 1)),
                None
            );
        }
        assert_eq!(
            events.record(start + Duration::from_secs(1)),
            Some(10),
            "a second later: the nine held back and this one"
        );
        assert_eq!(events.take_unlogged(), 0);
        assert_eq!(events.record(start + Duration::from_millis(1500)), None);
        assert_eq!(events.take_unlogged(), 1, "one held back, for a last line");
    }

    #[test]
    fn a_stuck_stderr_costs_one_wait_then_lines_are_dropped_counted_and_reported() {
        let queue: &'static LogQueue = Box::leak(Box::default());
        let (let_go, released) = mpsc::channel();
        let (blocked, writer_blocked) = mpsc::channel();
        let taken = Arc::new(Mutex::new(Vec::new()));
        let mut stderr = Blocked {
            blocked,
            let_go: released,
            taken: Arc::clone(&taken),
            waiting: true,
        };
        thread::spawn(move || queue.write_to(&mut stderr));

        // The first line waits for the writer, which is stuck: one wait, then nobody waits.
        let start = Instant::now();
        queue.log(b"line 0\n");
        assert!(start.elapsed() >= STDERR_PATIENCE);
        // The writer has taken line 0 out of the queue, and is stuck writing it.
        writer_blocked
            .recv_timeout(Duration::from_secs(10))
            .unwrap();
        let start = Instant::now();
        let extra = 5;
        for i in 1..QUEUED_LINES + 1 + extra {
            queue.log(format!("line {i}\n").as_bytes());
        }
        // 1,000 lines, none waiting: far less than one patience each would be.
        assert!(
            start.elapsed() < STDERR_PATIENCE * 10,
            "{:?}",
            start.elapsed()
        );
        // The writer holds line 0; the queue holds QUEUED_LINES more; the rest were dropped.
        assert_eq!(queue.lock().dropped, extra as u64);

        // stderr is read again: the writer catches up with the queue...
        let_go.send(()).unwrap();
        let lines_left = |s: &mut QueueState| s.written < s.queued;
        let (state, waited) = queue
            .line_written
            .wait_timeout_while(queue.lock(), Duration::from_secs(10), lines_left)
            .unwrap();
        assert!(!waited.timed_out(), "the writer did not catch up");
        assert!(!state.stuck);
        drop(state);
        // ...and the next line says what was lost, then goes out, and the thread that logged it
        // waits for it again: both are written when `log` returns.
        queue.log(b"after\n");
        let text = String::from_utf8(taken.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + QUEUED_LINES + 2, "{text}");
        assert_eq!(lines[0], "line 0");
        assert_eq!(lines[QUEUED_LINES], format!("line {QUEUED_LINES}"));
        assert_eq!(
            lines[QUEUED_LINES + 1],
            format!("{extra} log lines dropped (stderr was not being read)")
        );
        assert_eq!(lines[QUEUED_LINES + 2], "after");
    }
}
