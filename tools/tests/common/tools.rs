//! The instructor tools (`netassist`, `chaos`) as child processes, for tests/netassist.rs and
//! tests/chaos.rs: standard output read line by line (they print one event per line, as JSON
//! with `--json`), standard error watched for the "listening on" line, every wait bounded.

use std::io::Write;
use std::net::SocketAddr;
use std::process::{ChildStdin, Command, ExitStatus, Stdio};
use std::time::Duration;

use serde_json::Value;
use socket_lessons_tools::probe::{A_MOMENT, ChildGuard, PATIENCE, PipeLines, listening_addr};

/// A running tool: killed and reaped when dropped. Its stdout and stderr are the probe's
/// [`PipeLines`], which keep every line read so far.
pub struct Tool {
    child: ChildGuard,
    pub stdin: Option<ChildStdin>,
    stdout: PipeLines,
    stderr: PipeLines,
}

impl Tool {
    /// Starts `bin` with `args`, its three standard streams piped.
    pub fn start(bin: &str, args: &[&str]) -> Tool {
        let mut command = Command::new(bin);
        command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let what = format!("{bin} {args:?}");
        let mut child =
            ChildGuard::spawn(&mut command, what.clone()).unwrap_or_else(|e| panic!("{e}"));
        let stdin = child.child().stdin.take();
        let stdout = PipeLines::spawn(child.child().stdout.take().unwrap(), "stdout", what.clone());
        let stderr = PipeLines::spawn(child.child().stderr.take().unwrap(), "stderr", what);
        Tool {
            child,
            stdin,
            stdout,
            stderr,
        }
    }

    /// Starts a tool that listens, and waits for its "listening on" line.
    pub fn listening(bin: &str, args: &[&str]) -> (Tool, SocketAddr) {
        let mut tool = Tool::start(bin, args);
        let line = tool.stderr_line("listening on ");
        let addr = listening_addr(&line).unwrap_or_else(|| panic!("no address in {line:?}"));
        (tool, addr)
    }

    /// Waits, within PATIENCE, for a stderr line containing `needle`.
    pub fn stderr_line(&mut self, needle: &str) -> String {
        self.stderr
            .wait_for(&format!("containing {needle:?}"), |line| {
                line.contains(needle)
            })
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Closes the tool's standard input (the end of its input).
    pub fn close_stdin(&mut self) {
        drop(self.stdin.take());
    }

    /// Writes to the tool's standard input.
    pub fn type_in(&mut self, text: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is still open");
        stdin.write_all(text).unwrap();
        stdin.flush().unwrap();
    }

    /// Waits, within PATIENCE, for the next stdout line that is a JSON event matching `wanted`,
    /// and returns it (the lines before it are kept too).
    pub fn event(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let line = self
            .stdout
            .wait_for(&format!("with the event {what}"), |line| {
                wanted(&json(line))
            })
            .unwrap_or_else(|e| panic!("{e}\nstderr:\n{}", self.stderr.seen().join("\n")));
        json(&line)
    }

    /// Sends SIGINT, as Ctrl-C would.
    pub fn interrupt(&mut self) {
        self.child.interrupt().unwrap();
    }

    /// Waits, within PATIENCE, until at least `count` of the tool's threads have a name that
    /// starts with `prefix`: how a test sees from outside that a tool is waiting somewhere it
    /// prints nothing about (Linux: /proc). Each look is instant; between looks the test yields
    /// the CPU to the tool.
    #[cfg(target_os = "linux")]
    pub fn wait_for_threads(&self, prefix: &str, count: usize) {
        let named = || {
            std::fs::read_dir(format!("/proc/{}/task", self.child.id()))
                .map(|tasks| {
                    tasks
                        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
                        .filter(|name| name.starts_with(prefix))
                        .count()
                })
                .unwrap_or(0)
        };
        let deadline = std::time::Instant::now() + PATIENCE;
        while named() < count {
            assert!(
                std::time::Instant::now() < deadline,
                "no {count} threads named {prefix:?} within {PATIENCE:?}"
            );
            std::thread::yield_now();
        }
    }

    /// Waits, within PATIENCE, for the tool to exit, and collects the rest of its output.
    pub fn finish(self) -> (ExitStatus, Vec<String>, Vec<String>) {
        self.finish_within(PATIENCE)
    }

    /// Waits, within `timeout`, for the tool to exit (it is killed, and the test fails, if it
    /// does not), and collects the rest of its output.
    pub fn finish_within(mut self, timeout: Duration) -> (ExitStatus, Vec<String>, Vec<String>) {
        self.close_stdin();
        let status = self
            .child
            .wait_within(timeout)
            .unwrap_or_else(|e| panic!("{e}"));
        for pipe in [&mut self.stdout, &mut self.stderr] {
            pipe.read_rest().unwrap_or_else(|e| panic!("{e}"));
        }
        (status, self.stdout.into_seen(), self.stderr.into_seen())
    }
}

/// A server on 127.0.0.1:0 that never accepts: its queue of finished handshakes is full (a
/// backlog of 0 holds one), so the kernel drops every further handshake, and a `connect` to it
/// waits until it gives up. Returned with the connection that fills it, to keep it full.
pub fn server_that_never_accepts() -> (socket2::Socket, std::net::TcpStream, SocketAddr) {
    use socket2::{Domain, Socket, Type};
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    listener
        .bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into())
        .unwrap();
    listener.listen(0).unwrap();
    let addr = listener.local_addr().unwrap().as_socket().unwrap();
    let filler = std::net::TcpStream::connect_timeout(&addr, PATIENCE).unwrap();
    // The next handshake is dropped: a connect waits (here, for a moment, then gives up).
    let waits = std::net::TcpStream::connect_timeout(&addr, A_MOMENT);
    assert!(waits.is_err(), "the server's queue should be full");
    (listener, filler, addr)
}

/// One stdout line of a `--json` run: one JSON event.
fn json(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"))
}

/// The JSON events among `lines` (every stdout line of a `--json` run is one).
pub fn events(lines: &[String]) -> Vec<Value> {
    lines.iter().map(|line| json(line)).collect()
}

/// `event`'s "event" field is `name`.
pub fn is(event: &Value, name: &str) -> bool {
    event["event"] == name
}
