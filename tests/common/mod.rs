//! Helpers shared by the integration tests (`mod common;` in each test file).
//!
//! Everything here is bounded: sockets get read and write timeouts, server threads are waited for
//! through a channel with a timeout, and child processes are waited for with `wait-timeout` and
//! killed when a test fails. A bug in the code under test makes a test fail, never hang.
//!
//! Nothing here sleeps to synchronise: "it happened" is a reply, an end-of-stream or a log line;
//! "it did not happen" is a read timeout.

// Each test file is its own crate and uses a different subset of these helpers.
#![allow(dead_code)]

use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use socket_lessons::course;
use socket_lessons::server::Server;
use socket_lessons::shutdown::Shutdown;
use socket_lessons::stage::{Options, ServerKind};
use socket2::SockRef;
use wait_timeout::ChildExt;

/// The longest any test waits for something that *will* happen. Generous, because a loaded
/// machine is slow; it only matters when something is broken, and then it turns a hang into a
/// failure.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// How long a client listens to show that *nothing* arrives. The silence is guaranteed by the
/// design of the stage under test; this only bounds how long we look at it.
pub const A_MOMENT: Duration = Duration::from_millis(200);

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
    pub shutdown: Shutdown,
    server: Option<Server>,
}

impl BoundServer {
    /// Binds `127.0.0.1:0` and reports the port the kernel chose.
    pub fn bind() -> BoundServer {
        let shutdown = Shutdown::new();
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

    /// Runs `serve` on a new thread, whose result comes back on a channel.
    pub fn start(
        mut self,
        serve: impl FnOnce(Server) -> io::Result<()> + Send + 'static,
    ) -> RunningServer {
        let server = self.server.take().expect("a bound server is started once");
        let addr = self.addr;
        let (done, finished) = mpsc::channel();
        let thread = thread::Builder::new()
            .name(format!("serve {addr}"))
            .spawn(move || {
                let _ = done.send(serve(server));
            })
            .expect("cannot spawn the server thread");
        RunningServer {
            addr,
            shutdown: self.shutdown.clone(),
            finished: Some(finished),
            thread: Some(thread),
        }
    }

    /// Starts lesson `number`'s server, the one its binary runs (taken from the course map).
    /// The command stages (5 and 6) serve the built-in commands, their binaries' default.
    pub fn start_lesson(self, number: u16) -> RunningServer {
        match course::lesson(number).server {
            ServerKind::Tcp(serve) => self.start(move |server| serve(server, &Options::default())),
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
    pub shutdown: Shutdown,
    finished: Option<Receiver<io::Result<()>>>,
    thread: Option<JoinHandle<()>>,
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

    /// Waits (bounded) for the serve function to return by itself, joins its thread, and returns
    /// what it returned. Panics if it does not return within [`PATIENCE`] or if it panicked.
    pub fn wait_for_return(mut self) -> io::Result<()> {
        let finished = self.finished.take().expect("waited for twice");
        let thread = self.thread.take().expect("waited for twice");
        match finished.recv_timeout(PATIENCE) {
            Ok(result) => {
                thread
                    .join()
                    .expect("the server thread panicked after serve returned");
                result
            }
            // The sender is gone without sending: the serve function panicked.
            Err(RecvTimeoutError::Disconnected) => match thread.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(()) => unreachable!("the server thread always sends before it ends"),
            },
            Err(RecvTimeoutError::Timeout) => {
                panic!("the serve function did not return within {PATIENCE:?}")
            }
        }
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
// Clients: plain TCP sockets with bounded reads.
// ---------------------------------------------------------------------------------------------

/// Connects (bounded) and sets read and write timeouts, so no later call can block forever.
pub fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, PATIENCE)
        .unwrap_or_else(|e| panic!("cannot connect to {addr}: {e}"));
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.set_write_timeout(Some(PATIENCE)).unwrap();
    stream
}

pub fn send(stream: &mut TcpStream, message: &[u8]) {
    stream
        .write_all(message)
        .unwrap_or_else(|e| panic!("cannot send {:?}: {e}", String::from_utf8_lossy(message)));
}

/// Reads exactly `len` bytes (TCP may in principle deliver a reply in pieces).
pub fn receive(stream: &mut TcpStream, len: usize) -> Vec<u8> {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut reply = vec![0u8; len];
    if let Err(e) = stream.read_exact(&mut reply) {
        match e.kind() {
            ErrorKind::UnexpectedEof => panic!("the server hung up instead of sending {len} bytes"),
            kind if is_timeout(kind) => panic!("no {len}-byte reply within {PATIENCE:?}"),
            _ => panic!("reading a {len}-byte reply failed: {e}"),
        }
    }
    reply
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

/// How a server ended a connection.
#[derive(Debug, PartialEq, Eq)]
pub enum End {
    /// `read` returned 0 bytes: the server closed (or shut down) its side.
    EndOfStream,
    /// The server's kernel reset the connection (e.g. it closed with our data unread).
    Reset,
}

/// Waits (bounded) for the server to end this connection. Panics if data arrives instead, or
/// if nothing happens within [`PATIENCE`].
pub fn expect_end(stream: &mut TcpStream) -> End {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return End::EndOfStream,
            Ok(n) => panic!(
                "expected the connection to end, but received {n} bytes: {:?}",
                String::from_utf8_lossy(&buf[..n])
            ),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
                ) =>
            {
                return End::Reset;
            }
            Err(e) if is_timeout(e.kind()) => {
                panic!("the connection was neither closed nor reset within {PATIENCE:?}")
            }
            Err(e) => panic!("unexpected error while waiting for the connection to end: {e}"),
        }
    }
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
    stream.set_read_timeout(Some(A_MOMENT)).unwrap();
    let mut buf = [0u8; 1024];
    let outcome = loop {
        match stream.read(&mut buf) {
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            other => break other,
        }
    };
    match outcome {
        Err(e) if is_timeout(e.kind()) => {}
        Ok(0) => panic!("expected silence, but the server closed the connection"),
        Ok(n) => panic!(
            "expected silence, but received {n} bytes: {:?}",
            String::from_utf8_lossy(&buf[..n])
        ),
        Err(e) => panic!("expected silence, but the read failed: {e}"),
    }
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
}

/// Closes `stream` with a reset (RST) instead of a goodbye (FIN): what a killed client does.
pub fn reset(stream: TcpStream) {
    SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .expect("cannot set SO_LINGER 0");
    drop(stream);
}

/// Read timeouts surface as `WouldBlock` on Unix and `TimedOut` on Windows.
pub fn is_timeout(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// An address on which nothing listens: a port the kernel just handed us, released again.
/// Only for "nothing is listening there" tests: never start a server on it, since another
/// process may take the port in between. Servers start on `127.0.0.1:0` and report their port.
pub fn unused_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().unwrap()
}

/// A stand-in server for testing the real client binaries: it accepts one connection, answers
/// every read with that read's `bytes.upper()`, and records every byte the client sent until the
/// client hangs up. That shows what the client put on the wire, not just what it printed.
pub struct RecordingServer {
    pub addr: SocketAddr,
    recorded: Receiver<Vec<u8>>,
}

impl RecordingServer {
    pub fn start() -> RecordingServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let (done, recorded) = mpsc::channel();
        thread::spawn(move || {
            // If the client never comes, the test fails on `recorded` and this thread stays
            // blocked in accept until the test process ends: nothing else depends on it.
            let Ok((mut conn, _)) = listener.accept() else {
                return;
            };
            conn.set_read_timeout(Some(PATIENCE)).unwrap();
            conn.set_write_timeout(Some(PATIENCE)).unwrap();
            let mut everything = Vec::new();
            let mut buf = [0u8; 1024];
            loop {
                match conn.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        everything.extend_from_slice(&buf[..n]);
                        if conn.write_all(&bytes_upper(&buf[..n])).is_err() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => break,
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

/// A child process that is killed and reaped when dropped, so a failing test leaves nothing
/// running behind it.
pub struct ChildGuard {
    child: Child,
    what: String,
}

impl ChildGuard {
    pub fn spawn(command: &mut Command, what: impl Into<String>) -> ChildGuard {
        let what = what.into();
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
        ChildGuard { child, what }
    }

    /// Waits at most `timeout` for the process to exit; kills it and fails the test otherwise.
    pub fn wait(&mut self, timeout: Duration) -> ExitStatus {
        match self.child.wait_timeout(timeout) {
            Ok(Some(status)) => status,
            Ok(None) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("{} did not exit within {timeout:?}; killed it", self.what)
            }
            Err(e) => panic!("cannot wait for {}: {e}", self.what),
        }
    }

    /// Sends SIGINT, as Ctrl-C in a terminal would.
    pub fn interrupt(&self) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("cannot run kill");
        assert!(status.success(), "kill -INT {} failed", self.child.id());
    }

    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Reads a pipe to its end on a thread; the result arrives on the returned channel.
fn read_to_end_in_background(mut pipe: impl Read + Send + 'static) -> Receiver<Vec<u8>> {
    let (done, result) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        let _ = done.send(bytes);
    });
    result
}

/// What a finished process left behind.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    /// The lines of stderr that report an error (`error: ...`).
    pub fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|line| line.starts_with("error:"))
            .collect()
    }

    pub fn assert_no_panic(&self) {
        assert!(
            !self.stderr.contains("panicked"),
            "the process panicked:\n{}",
            self.stderr
        );
    }
}

/// Runs `command` to completion with `stdin` as its input, bounded by `2 * PATIENCE`.
pub fn run(command: &mut Command, stdin: &[u8]) -> Finished {
    let what = format!("{command:?}");
    let mut child = ChildGuard::spawn(
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        what.clone(),
    );
    let stdout = read_to_end_in_background(child.child().stdout.take().unwrap());
    let stderr = read_to_end_in_background(child.child().stderr.take().unwrap());
    // Written on a thread so a child that never reads its input cannot block the test; a child
    // that exits early (say, nothing listening) makes the write fail, which is fine.
    let mut input = child.child().stdin.take().unwrap();
    let stdin = stdin.to_vec();
    thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let status = child.wait(2 * PATIENCE);
    let collect = |pipe: Receiver<Vec<u8>>, name: &str| {
        let bytes = pipe
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|_| panic!("{name} of {what} was not closed"));
        String::from_utf8(bytes).unwrap_or_else(|e| panic!("{name} of {what} is not UTF-8: {e}"))
    };
    Finished {
        status,
        stdout: collect(stdout, "stdout"),
        stderr: collect(stderr, "stderr"),
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

/// What a server binary prints on stderr just before its address, whatever `RUST_LOG` says:
/// `lessonN server (Ctrl-C stops it) listening on 127.0.0.1:PORT`, the address last on the line.
pub const LISTENING_ON: &str = "listening on ";

/// A lesson binary's server (`lessonN server --addr 127.0.0.1:0 ...`), its address read from the
/// `listening on 127.0.0.1:PORT` line it prints on stderr, and its stderr collected line by line.
/// The process is killed when this is dropped.
pub struct ServerProcess {
    pub addr: SocketAddr,
    child: ChildGuard,
    stderr: Receiver<String>,
    stderr_seen: Vec<String>,
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
        let mut args = vec!["server", "--addr", "127.0.0.1:0"];
        args.extend_from_slice(extra_args);
        let what = format!("{command:?} {}", args.join(" "));
        let mut child = ChildGuard::spawn(
            command
                .args(&args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped()),
            what,
        );
        let (line_tx, stderr) = mpsc::channel();
        let pipe = BufReader::new(child.child().stderr.take().unwrap());
        thread::spawn(move || {
            for line in pipe.lines() {
                let Ok(line) = line else { break };
                if line_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = ServerProcess {
            addr: SocketAddr::from(([0, 0, 0, 0], 0)),
            child,
            stderr,
            stderr_seen: Vec::new(),
        };
        let line = server.wait_for_stderr_line(LISTENING_ON);
        // The address is the last thing on the line.
        let text = line.split_whitespace().last().unwrap_or_default();
        server.addr = text
            .parse()
            .unwrap_or_else(|e| panic!("cannot parse the address at the end of {line:?}: {e}"));
        assert_ne!(server.addr.port(), 0, "the server must print its real port");
        server
    }

    /// Every stderr line read so far, up to and including the last one a wait returned.
    pub fn stderr_so_far(&self) -> &[String] {
        &self.stderr_seen
    }

    /// Waits (bounded) for a stderr line containing `needle`, and returns it.
    pub fn wait_for_stderr_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    self.stderr_seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no stderr line containing {needle:?} within {PATIENCE:?}; so far:\n{}",
                    self.stderr_seen.join("\n")
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "the server closed stderr without a line containing {needle:?}:\n{}",
                    self.stderr_seen.join("\n")
                ),
            }
        }
    }

    /// Sends SIGINT (Ctrl-C).
    pub fn interrupt(&self) {
        self.child.interrupt();
    }

    /// Waits (bounded) for the process to exit; returns its status and its whole stderr.
    pub fn wait(mut self) -> (ExitStatus, String) {
        let status = self.child.wait(PATIENCE);
        // The process is gone, so its stderr is closed: collect the rest (bounded anyway).
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => self.stderr_seen.push(line),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!("stderr stayed open after exit"),
            }
        }
        (status, self.stderr_seen.join("\n"))
    }

    /// Ctrl-C, then a bounded wait for the exit; returns the status and the whole of stderr.
    pub fn interrupt_and_wait(self) -> (ExitStatus, String) {
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

/// Runs lesson `number`'s demo (no arguments) twice, at the same time, and checks that each run
/// exits 0 without a panic, narrates on stdout, names the server's address, uses no colours on a
/// pipe, and that the two whole transcripts are identical once port numbers are normalised.
/// Returns that transcript (ports normalised).
pub fn assert_demo_is_deterministic(number: u16) -> String {
    let runs: Vec<JoinHandle<Finished>> = (0..2)
        .map(|_| thread::spawn(move || run(&mut lesson_command(number), b"")))
        .collect();
    let runs: Vec<Finished> = runs
        .into_iter()
        .map(|run| run.join().expect("a demo run panicked"))
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
