//! Helpers shared by the integration tests (`mod common;` in each test file).
//!
//! The bounded waiting itself (sockets with timeouts, reading exactly N bytes, expecting silence
//! or an end, child processes that are always reaped, threads joined with a time limit) is the
//! library's probe, `socket_lessons_tools::probe`, which the demos and the benchmarks use too. What is
//! here is only what tests add to it: the stages started on `127.0.0.1:0`, and thin wrappers that
//! turn a probe error into a panic that says what the test was waiting for. A bug in the code
//! under test makes a test fail, never hang.
//!
//! Nothing here sleeps to synchronise: "it happened" is a reply, an end-of-stream or a log line;
//! "it did not happen" is a read timeout.

// Each test file is its own crate and uses a different subset of these helpers.
#![allow(dead_code)]

pub mod python;
pub mod tools;

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, ExitStatus};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use socket_lessons::course;
use socket_lessons::server::Server;
use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons::stage::ServerKind;
use socket_lessons_tools::probe::{self, A_MOMENT, BoundedThread, End, PATIENCE};
use socket2::SockRef;

/// Python's `bytes.upper()`, written out here independently of the code under test: `a`..=`z`
/// become `A`..=`Z`, every other byte (digits, punctuation, control bytes, every byte >= 0x80) is
/// left exactly as it was.
pub fn bytes_upper(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .map(|&b| match b {
            b'a'..=b'z' => b - (b'a' - b'A'),
            other => other,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// A library server on 127.0.0.1:0, serving on its own thread.
// ---------------------------------------------------------------------------------------------

/// A server bound to `127.0.0.1:0` and listening (the kernel completes handshakes from the
/// backlog), but not serving yet: nobody calls `accept` or `read` until [`BoundServer::start`].
/// That lets a test connect and write before the server reads anything.
///
/// Dropping it (for example when a test panics) triggers shutdown.
pub struct BoundServer {
    pub addr: SocketAddr,
    pub shutdown: ShutdownSignal,
    server: Option<Server>,
}

impl BoundServer {
    /// Binds `127.0.0.1:0` and reports the port the kernel chose.
    pub fn bind() -> BoundServer {
        let shutdown = ShutdownSignal::new();
        let server = Server::bind("127.0.0.1:0".parse().unwrap(), shutdown.clone())
            .expect("cannot bind 127.0.0.1:0");
        let addr = server.local_addr().expect("local_addr of a bound server");
        assert_ne!(
            addr.port(),
            0,
            "local_addr must report the port the kernel chose"
        );
        BoundServer {
            addr,
            shutdown,
            server: Some(server),
        }
    }

    /// Runs `serve` on a new thread, which can be waited for with a time limit.
    pub fn start(
        mut self,
        serve: impl FnOnce(Server) -> io::Result<()> + Send + 'static,
    ) -> RunningServer {
        let server = self.server.take().expect("a bound server is started once");
        let serving = BoundedThread::spawn(format!("serve {}", self.addr), move || serve(server))
            .expect("cannot spawn the server thread");
        RunningServer {
            addr: self.addr,
            shutdown: self.shutdown.clone(),
            serving: Some(serving),
        }
    }

    /// Starts lesson `number`'s server, the one its binary runs (taken from the course map).
    /// The command stages (5 and 6) serve the built-in commands, their binaries' default.
    pub fn start_lesson(self, number: u16) -> RunningServer {
        match course::lesson(number).server {
            ServerKind::Tcp(part) => {
                let ready = part.with_defaults().expect("the defaults are good flags");
                self.start(move |server| ready.serve(server))
            }
            _ => panic!("lesson{number} has no TCP server"),
        }
    }
}

impl Drop for BoundServer {
    fn drop(&mut self) {
        // Started or not, a test that failed half-way must not leave a server behind.
        if self.server.is_some() {
            self.shutdown.trigger();
        }
    }
}

/// A stage's serve function running on a thread against a server bound to `127.0.0.1:0`.
///
/// Dropping it (for example when a test panics) triggers shutdown, so the thread ends on its own.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub shutdown: ShutdownSignal,
    serving: Option<BoundedThread<io::Result<()>>>,
}

impl RunningServer {
    /// Binds `127.0.0.1:0` and runs `serve` on a new thread.
    pub fn start(serve: impl FnOnce(Server) -> io::Result<()> + Send + 'static) -> RunningServer {
        BoundServer::bind().start(serve)
    }

    /// Runs lesson `number`'s server, the one its binary runs (taken from the course map).
    pub fn lesson(number: u16) -> RunningServer {
        BoundServer::bind().start_lesson(number)
    }

    /// Waits (bounded) for the serve function to return by itself, and returns what it
    /// returned. Panics if it does not return within [`PATIENCE`], or if it panicked.
    pub fn wait_for_return(mut self) -> io::Result<()> {
        let serving = self.serving.take().expect("waited for twice");
        serving
            .join_within(PATIENCE)
            .unwrap_or_else(|e| panic!("the serve function did not return: {e}"))
    }

    /// Fires shutdown (as Ctrl-C would) and waits, bounded, for the serve function to return.
    pub fn stop(self) -> io::Result<()> {
        self.shutdown.trigger();
        self.wait_for_return()
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        // A test that failed half-way must not leave a server serving forever.
        self.shutdown.trigger();
    }
}

// ---------------------------------------------------------------------------------------------
// Clients: plain TCP sockets with bounded reads (the probe's), failing the test with a reason.
// ---------------------------------------------------------------------------------------------

/// Connects (bounded), with read and write timeouts, so no later call can block forever.
pub fn connect(addr: SocketAddr) -> TcpStream {
    probe::connect(addr).unwrap_or_else(|e| panic!("cannot connect to {addr}: {e}"))
}

pub fn send(stream: &mut TcpStream, message: &[u8]) {
    stream
        .write_all(message)
        .unwrap_or_else(|e| panic!("cannot send {:?}: {e}", String::from_utf8_lossy(message)));
}

/// Reads exactly `len` bytes (TCP may deliver a reply in pieces).
pub fn receive(stream: &mut TcpStream, len: usize) -> Vec<u8> {
    probe::read_exactly(stream, len).unwrap_or_else(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            panic!("the server hung up instead of sending {len} bytes: {e}")
        }
        _ if socket_lessons::timeout::is_timeout(&e) => {
            panic!("no {len}-byte reply within {PATIENCE:?}")
        }
        _ => panic!("reading a {len}-byte reply failed: {e}"),
    })
}

/// Sends `message` and returns the reply of the same length (the echo stages keep the length).
pub fn exchange(stream: &mut TcpStream, message: &[u8]) -> Vec<u8> {
    send(stream, message);
    receive(stream, message.len())
}

/// Sends `message` and checks that the reply follows the echo rule.
pub fn assert_echo(stream: &mut TcpStream, message: &[u8]) {
    let reply = exchange(stream, message);
    assert_eq!(
        String::from_utf8_lossy(&reply),
        String::from_utf8_lossy(&bytes_upper(message)),
        "the reply to {:?} is not its bytes.upper()",
        String::from_utf8_lossy(message)
    );
    assert_eq!(reply, bytes_upper(message));
}

/// Waits (bounded) for the server to end this connection. Panics if data arrives instead, or
/// if nothing happens within [`PATIENCE`].
pub fn expect_end(stream: &mut TcpStream) -> End {
    probe::wait_for_end(stream).unwrap_or_else(|e| panic!("waiting for the connection to end: {e}"))
}

/// Like [`expect_end`], but only a clean end-of-stream will do.
pub fn expect_end_of_stream(stream: &mut TcpStream) {
    assert_eq!(
        expect_end(stream),
        End::EndOfStream,
        "the connection was reset instead of closed"
    );
}

/// Listens for [`A_MOMENT`] and checks that nothing at all arrives (no data, no close).
pub fn expect_silence(stream: &mut TcpStream) {
    probe::expect_silence(stream, A_MOMENT)
        .unwrap_or_else(|e| panic!("listening for {A_MOMENT:?} of silence: {e}"));
}

/// Closes `stream` with a reset (RST) instead of a goodbye (FIN): what a killed client does.
pub fn reset(stream: TcpStream) {
    SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .expect("cannot set SO_LINGER 0");
    drop(stream);
}

/// An address on which nothing listens: a port the kernel just handed us, released again.
/// Only for "nothing is listening there" tests: never start a server on it, since another
/// process may take the port in between. Servers start on `127.0.0.1:0` and report their port.
pub fn unused_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().unwrap()
}

/// A stand-in server for testing the real client binaries: listens on `127.0.0.1:0`, accepts one
/// connection (with read and write timeouts of [`PATIENCE`]) and runs `serve` on it, on a thread
/// of its own. Returns the address to point the client at.
///
/// If the client never comes, the test fails waiting for whatever `serve` was to report, and
/// this thread stays blocked in `accept` until the test process ends: nothing depends on it.
pub fn serve_one_connection(serve: impl FnOnce(TcpStream) + Send + 'static) -> SocketAddr {
    stand_in(serve).0
}

/// A one-connection stand-in server on 127.0.0.1:0: `serve` gets the connection (with
/// [`PATIENCE`] timeouts), and its result comes back through the returned thread.
pub fn stand_in<T: Send + 'static>(
    serve: impl FnOnce(TcpStream) -> T + Send + 'static,
) -> (SocketAddr, BoundedThread<T>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().unwrap();
    let thread = BoundedThread::spawn("stand-in server", move || {
        let (conn, _) = listener
            .accept()
            .expect("the stand-in server cannot accept");
        conn.set_read_timeout(Some(PATIENCE)).unwrap();
        conn.set_write_timeout(Some(PATIENCE)).unwrap();
        serve(conn)
    })
    .expect("cannot spawn a stand-in server");
    (addr, thread)
}

/// Reads until the peer closes, so that closing our end afterwards cannot reset the connection.
pub fn drain(stream: &mut TcpStream) -> Vec<u8> {
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    rest
}

/// A stand-in server that answers every read with that read's `bytes.upper()`, and records
/// every byte the client sent until the client hangs up. That shows what the client put on the
/// wire, not just what it printed.
pub struct RecordingServer {
    pub addr: SocketAddr,
    recorded: Receiver<Vec<u8>>,
}

impl RecordingServer {
    pub fn start() -> RecordingServer {
        let (done, recorded) = mpsc::channel();
        let addr = serve_one_connection(move |mut conn| {
            let mut everything = Vec::new();
            let mut buf = [0u8; 1024];
            // Until the client hangs up (0 bytes), or anything goes wrong: either way, the
            // recording ends there.
            while let Ok(n @ 1..) = probe::read_retrying(&mut conn, &mut buf) {
                everything.extend_from_slice(&buf[..n]);
                if conn.write_all(&bytes_upper(&buf[..n])).is_err() {
                    break;
                }
            }
            let _ = done.send(everything);
        });
        RecordingServer { addr, recorded }
    }

    /// Everything the client sent, once it has hung up.
    pub fn recorded(self) -> Vec<u8> {
        self.recorded
            .recv_timeout(PATIENCE)
            .expect("the client did not connect and hang up in time")
    }
}

// ---------------------------------------------------------------------------------------------
// Child processes: the real lesson binaries.
// ---------------------------------------------------------------------------------------------

/// The built binary of lesson `number`.
pub fn bin(number: u16) -> &'static str {
    match number {
        1 => env!("CARGO_BIN_EXE_lesson1"),
        2 => env!("CARGO_BIN_EXE_lesson2"),
        3 => env!("CARGO_BIN_EXE_lesson3"),
        4 => env!("CARGO_BIN_EXE_lesson4"),
        5 => env!("CARGO_BIN_EXE_lesson5"),
        6 => env!("CARGO_BIN_EXE_lesson6"),
        7 => env!("CARGO_BIN_EXE_lesson7"),
        8 => env!("CARGO_BIN_EXE_lesson8"),
        9 => env!("CARGO_BIN_EXE_lesson9"),
        10 => env!("CARGO_BIN_EXE_lesson10"),
        11 => env!("CARGO_BIN_EXE_lesson11"),
        12 => env!("CARGO_BIN_EXE_lesson12"),
        13 => env!("CARGO_BIN_EXE_lesson13"),
        _ => panic!("no binary for lesson{number}"),
    }
}

/// A lesson binary with the documented defaults, whatever the environment of `cargo test`: no
/// `RUST_LOG` (so servers log at the default level, info), no `NO_COLOR` (so only a pipe can turn
/// colours off in a demo), and no terminal colours in the log lines we parse. A test that wants
/// another level adds `.env("RUST_LOG", ...)`.
pub fn lesson_command(number: u16) -> Command {
    let mut command = Command::new(bin(number));
    command
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .env("RUST_LOG_STYLE", "never");
    command
}

/// What a finished process left behind, its output as text.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Where the rest of a folded `error: ` line goes on: under the first word after `error: `.
const FOLDED_UNDER_ERROR: &str = "       ";

impl Finished {
    /// The errors reported on stderr (`error: ...`), each as one line: a usage error too long
    /// for 80 columns is folded, its rest indented under its start, and is put back together
    /// here (a fold falls on a space), so a test compares the whole sentence.
    pub fn error_lines(&self) -> Vec<String> {
        let mut errors: Vec<String> = Vec::new();
        let mut in_an_error = false;
        for line in self.stderr.lines() {
            if line.starts_with("error:") {
                errors.push(line.to_string());
                in_an_error = true;
                continue;
            }
            match line.strip_prefix(FOLDED_UNDER_ERROR) {
                Some(rest) if in_an_error && !rest.starts_with(' ') => {
                    let error = errors.last_mut().expect("an error line came first");
                    error.push(' ');
                    error.push_str(rest);
                }
                _ => in_an_error = false,
            }
        }
        errors
    }

    pub fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked"),
            "the process panicked:\n{}",
            self.stderr
        );
    }
}

/// `command` as a reader with `locale` (`LANG=zh_CN.UTF-8`, say) or none runs it, on 80
/// columns: whatever the machine's own locale and terminal, a test hears the language it asks
/// for.
pub fn with_locale<'a>(command: &'a mut Command, locale: Option<&str>) -> &'a mut Command {
    command
        .env_remove("COLUMNS")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    if let Some(locale) = locale {
        command.env("LANG", locale);
    }
    command
}

/// Runs `command` to completion with `stdin` as its input, bounded by `2 * PATIENCE`.
pub fn run(command: &mut Command, stdin: &[u8]) -> Finished {
    let what = format!("{command:?}");
    let finished = probe::run(command, stdin, 2 * PATIENCE).unwrap_or_else(|e| panic!("{e}"));
    let text = |bytes: Vec<u8>, name: &str| {
        String::from_utf8(bytes).unwrap_or_else(|e| panic!("{name} of {what} is not UTF-8: {e}"))
    };
    Finished {
        status: finished.status,
        stdout: text(finished.stdout, "stdout"),
        stderr: text(finished.stderr, "stderr"),
    }
}

/// Runs `lessonN client --addr ADDR` to completion with `stdin` as its input. Success or failure
/// is for the test to check.
pub fn client(number: u16, addr: SocketAddr, stdin: &[u8]) -> Finished {
    run(
        lesson_command(number).args(["client", "--addr", &addr.to_string()]),
        stdin,
    )
}

/// A lesson binary's server (`lessonN server --addr 127.0.0.1:0 ...`): the probe's
/// [`probe::ServerProcess`], which learns the address from the `listening on` line and
/// collects stderr line by line. The process is killed when this is dropped.
pub struct ServerProcess {
    pub addr: SocketAddr,
    process: probe::ServerProcess,
}

impl ServerProcess {
    /// `lessonN server --addr 127.0.0.1:0` with the documented defaults.
    pub fn start(number: u16) -> ServerProcess {
        ServerProcess::start_with(number, &[])
    }

    /// `lessonN server --addr 127.0.0.1:0 EXTRA_ARGS...` (say, `--shell`).
    pub fn start_with(number: u16, extra_args: &[&str]) -> ServerProcess {
        ServerProcess::spawn(&mut lesson_command(number), extra_args)
    }

    /// Starts `command server --addr 127.0.0.1:0 EXTRA_ARGS...`, where `command` is a
    /// [`lesson_command`], possibly with more environment (say, `RUST_LOG=warn`).
    pub fn spawn(command: &mut Command, extra_args: &[&str]) -> ServerProcess {
        let process = probe::ServerProcess::spawn(
            command
                .args(["server", "--addr", "127.0.0.1:0"])
                .args(extra_args),
        )
        .unwrap_or_else(|e| panic!("the server did not start: {e}"));
        ServerProcess {
            addr: process.addr,
            process,
        }
    }

    /// Every stderr line read so far, up to and including the last one a wait returned.
    pub fn stderr_so_far(&self) -> &[String] {
        self.process.stderr_so_far()
    }

    /// The server's process id (to read its threads from `/proc`).
    pub fn id(&self) -> u32 {
        self.process.id()
    }

    /// Waits (bounded) for a stderr line containing `needle`, and returns it.
    pub fn wait_for_stderr_line(&mut self, needle: &str) -> String {
        self.process
            .wait_for_stderr_line(needle)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Sends SIGINT (Ctrl-C).
    pub fn interrupt(&mut self) {
        self.process
            .interrupt()
            .unwrap_or_else(|e| panic!("cannot send SIGINT to the server: {e}"));
    }

    /// Waits (bounded) for the process to exit; returns its status and its whole stderr.
    pub fn wait(self) -> (ExitStatus, String) {
        self.process
            .wait_within(PATIENCE)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Ctrl-C, then a bounded wait for the exit; returns the status and the whole of stderr.
    pub fn interrupt_and_wait(mut self) -> (ExitStatus, String) {
        self.interrupt();
        self.wait()
    }
}

// ---------------------------------------------------------------------------------------------
// Demo transcripts.
// ---------------------------------------------------------------------------------------------

/// Replaces every `127.0.0.1:<digits>` with `127.0.0.1:PORT`, the only part of a demo transcript
/// that may differ between runs. Returns the text and how many port numbers it replaced.
pub fn normalise_ports(text: &str) -> (String, usize) {
    const HOST: &str = "127.0.0.1:";
    let mut out = String::with_capacity(text.len());
    let mut replaced = 0;
    let mut rest = text;
    while let Some(at) = rest.find(HOST) {
        let after_host = at + HOST.len();
        out.push_str(&rest[..after_host]);
        rest = &rest[after_host..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            out.push_str("PORT");
            replaced += 1;
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    (out, replaced)
}

/// Replaces what lesson 11's demo measures with `N`: like ports, it differs between runs or
/// between kernels. That is durations (digits with a decimal point before " ms": the `300 ms`
/// other demos wait is a constant and stays), and part 6's byte counts, which depend on how the
/// kernel sizes and fills its socket buffers (the digits before " bytes of", " bytes more",
/// " in all" and " send(s)"); and a ratio of two durations ("6.3 times as long", with a decimal
/// point). The Chinese demos' measurements are replaced the same way.
pub fn normalise_measurements(text: &str) -> String {
    let mut text = text.to_string();
    for (suffix, needs_point) in [
        (" ms", true),
        (" bytes of", false),
        (" bytes more", false),
        (" in all", false),
        (" send(s)", false),
        // Lesson 8's demo: the ratio of two measured durations.
        (" times as long", true),
        // Lesson 13's demo: how many idle clients this machine's descriptor limit leaves room for.
        (" clients connect", false),
        (" of them", false),
        (" files (`ulimit", false),
        // The same, as the Chinese demos say them (`--lang zh`).
        (" 倍", true),
        (" 字节，要发的是", false),
        (" 次 send：", false),
        (" 字节（合计", false),
        (" 字节）", false),
        (" 个客户端连上来", false),
        (" 个得到了回答", false),
        (" 个文件（`ulimit", false),
    ] {
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(suffix) {
            let before = &rest[..at];
            let number = before
                .bytes()
                .rev()
                .take_while(|b| b.is_ascii_digit() || *b == b'.')
                .count();
            let digits = &before[before.len() - number..];
            let measured = digits.starts_with(|c: char| c.is_ascii_digit())
                && (!needs_point || digits.contains('.'));
            out.push_str(if measured {
                &before[..before.len() - number]
            } else {
                before
            });
            if measured {
                out.push('N');
            }
            out.push_str(suffix);
            rest = &rest[at + suffix.len()..];
        }
        out.push_str(rest);
        text = out;
    }
    text
}

/// Runs lesson `number`'s demo (no arguments) twice, at the same time, and checks that each run
/// exits 0 without a panic, narrates on stdout, names the server's address, uses no colours on a
/// pipe, and that the two whole transcripts are identical once port numbers are normalised.
/// Returns that transcript (ports normalised).
pub fn assert_demo_is_deterministic(number: u16) -> String {
    let runs: Vec<BoundedThread<Finished>> = (0..2)
        .map(|i| {
            BoundedThread::spawn(format!("demo run {i}"), move || {
                run(&mut lesson_command(number), b"")
            })
            .expect("cannot start a demo run")
        })
        .collect();
    // Each run is bounded by `run` itself; this only adds a margin for starting it.
    let runs: Vec<Finished> = runs
        .into_iter()
        .map(|run| {
            run.join_within(3 * PATIENCE)
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let mut transcripts = Vec::new();
    for (run, finished) in ["first", "second"].into_iter().zip(&runs) {
        assert!(
            finished.status.success(),
            "lesson{number} demo ({run} run) failed: {:?}\nstderr:\n{}",
            finished.status,
            finished.stderr
        );
        finished.assert_no_panic();
        assert!(
            finished.stdout.lines().count() > 3,
            "lesson{number} demo ({run} run) printed no narration:\n{}",
            finished.stdout
        );
        assert!(
            !finished.stdout.contains("\x1b["),
            "lesson{number} demo ({run} run) used colours on a pipe:\n{}",
            finished.stdout
        );
        let (transcript, ports) = normalise_ports(&finished.stdout);
        assert!(
            ports > 0,
            "lesson{number} demo ({run} run) should name the server's address:\n{}",
            finished.stdout
        );
        transcripts.push(transcript);
    }
    assert_eq!(
        transcripts[0], transcripts[1],
        "lesson{number}'s demo transcript changed between two runs"
    );
    transcripts.swap_remove(0)
}

/// The text of the chapter `lessons/FILE`, for tests that check a chapter says (or gives a
/// recipe for) what they show.
pub fn chapter(file: &str) -> String {
    let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../lessons")).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The first line of `text` that starts with `start`; a chapter without one fails the test.
pub fn line_starting<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines()
        .find(|line| line.starts_with(start))
        .unwrap_or_else(|| panic!("no line starts with {start:?}"))
}
