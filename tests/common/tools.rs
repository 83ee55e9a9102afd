//! The instructor tools (`netassist`, `chaos`) as child processes, for tests/netassist.rs and
//! tests/chaos.rs: standard output read line by line (they print one event per line, as JSON
//! with `--json`), standard error watched for the "listening on" line, every wait bounded.

use std::io::{self, BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::Instant;

use serde_json::Value;
use socket_lessons::probe::{ChildGuard, PATIENCE, listening_addr};

/// A running tool: killed and reaped when dropped.
pub struct Tool {
    child: ChildGuard,
    pub stdin: Option<ChildStdin>,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
    /// Every stdout line read so far, in order.
    pub seen: Vec<String>,
    pub stderr_seen: Vec<String>,
}

fn lines_of(pipe: impl io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
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
        let mut child = ChildGuard::spawn(&mut command, format!("{bin} {args:?}"))
            .unwrap_or_else(|e| panic!("{e}"));
        let stdin = child.child().stdin.take();
        let stdout = lines_of(child.child().stdout.take().unwrap());
        let stderr = lines_of(child.child().stderr.take().unwrap());
        Tool {
            child,
            stdin,
            stdout,
            stderr,
            seen: Vec::new(),
            stderr_seen: Vec::new(),
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
                Err(e) => panic!(
                    "no stderr line with {needle:?} ({e:?}); stderr so far:\n{}",
                    self.stderr_seen.join("\n")
                ),
            }
        }
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
    /// and returns it (the lines before it are kept in `seen`).
    pub fn event(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    let value: Value = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"));
                    if wanted(&value) {
                        return value;
                    }
                }
                Err(e) => panic!(
                    "no event {what} ({e:?}); stdout so far:\n{}\nstderr:\n{}",
                    self.seen.join("\n"),
                    self.stderr_seen.join("\n")
                ),
            }
        }
    }

    /// Sends SIGINT, as Ctrl-C would.
    pub fn interrupt(&mut self) {
        self.child.interrupt().unwrap();
    }

    /// Waits, within PATIENCE, for the tool to exit, and collects the rest of its output.
    pub fn finish(mut self) -> (ExitStatus, Vec<String>, Vec<String>) {
        self.close_stdin();
        let status = self.child.wait_within(PATIENCE).unwrap();
        let rest = |pipe: &Receiver<String>, into: &mut Vec<String>| {
            let deadline = Instant::now() + PATIENCE;
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                match pipe.recv_timeout(left) {
                    Ok(line) => into.push(line),
                    Err(RecvTimeoutError::Disconnected) => break,
                    Err(RecvTimeoutError::Timeout) => panic!("a pipe stayed open after exit"),
                }
            }
        };
        rest(&self.stdout, &mut self.seen);
        rest(&self.stderr, &mut self.stderr_seen);
        (status, self.seen, self.stderr_seen)
    }
}

/// The JSON events among `lines` (every stdout line of a `--json` run is one).
pub fn events(lines: &[String]) -> Vec<Value> {
    lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}")))
        .collect()
}

/// `event`'s "event" field is `name`.
pub fn is(event: &Value, name: &str) -> bool {
    event["event"] == name
}
