//! Child processes: the real binaries, started, watched and always reaped.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use super::PATIENCE;

/// What every server binary prints on stderr when it is ready, whatever `RUST_LOG` says, with
/// its address last on the line: `lesson3 server (Ctrl-C stops it) listening on 127.0.0.1:8003`.
/// Scripts and tests that start a server on port 0 learn its real port from this line.
pub const LISTENING_ON: &str = "listening on ";

/// The address at the end of a "listening on" line, or `None` if `line` is not one.
pub fn listening_addr(line: &str) -> Option<SocketAddr> {
    let (_, after) = line.split_once(LISTENING_ON)?;
    after.split_whitespace().last()?.parse().ok()
}

/// A child process that is killed and reaped when dropped, so that a failing test, an
/// interrupted benchmark or a tool that gives up leaves nothing running behind it.
pub struct ChildGuard {
    child: Child,
    what: String,
}

impl ChildGuard {
    /// Starts `command`; `what` names it in every error message.
    pub fn spawn(command: &mut Command, what: impl Into<String>) -> io::Result<ChildGuard> {
        let what = what.into();
        let child = command
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("cannot start {what}: {e}")))?;
        Ok(ChildGuard { child, what })
    }

    /// Waits at most `timeout` for the process to exit. If it does not, it is killed, and the
    /// error says so.
    pub fn wait_within(&mut self, timeout: Duration) -> io::Result<ExitStatus> {
        match self.child.wait_timeout(timeout)? {
            Some(status) => Ok(status),
            None => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("{} did not exit within {timeout:?}; killed it", self.what),
                ))
            }
        }
    }

    /// Sends SIGINT, as Ctrl-C in a terminal would. (Where there are no signals, the process is
    /// killed instead: the nearest thing.)
    pub fn interrupt(&mut self) -> io::Result<()> {
        #[cfg(unix)]
        {
            let pid = libc::pid_t::try_from(self.child.id()).map_err(io::Error::other)?;
            // SAFETY: kill(2) takes plain integers and touches no memory of ours. The pid is our
            // own child's, which cannot be reused before we reap it.
            if unsafe { libc::kill(pid, libc::SIGINT) } == 0 {
                Ok(())
            } else {
                Err(io::Error::last_os_error())
            }
        }
        #[cfg(not(unix))]
        {
            self.child.kill()
        }
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    pub fn what(&self) -> &str {
        &self.what
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

/// Reads a pipe to its end on a thread; the bytes arrive on the returned channel.
pub fn read_to_end_in_background(mut pipe: impl Read + Send + 'static) -> Receiver<Vec<u8>> {
    let (done, result) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        let _ = done.send(bytes);
    });
    result
}

/// A pipe read line by line on a thread of its own, every line read so far kept (for the
/// message when a wait fails), every wait bounded by [`PATIENCE`].
pub struct PipeLines {
    /// Which pipe (`stderr`), and whose, for the error messages.
    name: String,
    owner: String,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl PipeLines {
    /// Starts reading `pipe`, the pipe called `name` of the process `owner`.
    pub fn spawn(
        pipe: impl Read + Send + 'static,
        name: impl Into<String>,
        owner: impl Into<String>,
    ) -> PipeLines {
        let (line_tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if line_tx.send(line).is_err() {
                    break;
                }
            }
        });
        PipeLines {
            name: name.into(),
            owner: owner.into(),
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits, within [`PATIENCE`], for the next line that `wanted` accepts, and returns it;
    /// `described` says which line that is (`containing "joined"`) in the error.
    pub fn wait_for(
        &mut self,
        described: &str,
        mut wanted: impl FnMut(&str) -> bool,
    ) -> io::Result<String> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if wanted(&line) {
                        return Ok(line);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        format!(
                            "no {} line {described} within {PATIENCE:?}; so far:\n{}",
                            self.name,
                            self.seen.join("\n")
                        ),
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(io::Error::other(format!(
                        "{} closed {} without a line {described}:\n{}",
                        self.owner,
                        self.name,
                        self.seen.join("\n")
                    )));
                }
            }
        }
    }

    /// Once the process has exited, the rest of its lines: read until the pipe closes, which
    /// must happen within [`PATIENCE`].
    pub fn read_rest(&mut self) -> io::Result<()> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(io::Error::other(format!(
                        "{} stayed open after exit",
                        self.name
                    )));
                }
            }
        }
    }

    /// Keeps reading until `moment` passes without a new line: what a process that now waits
    /// (for input, say) looks like from outside. Bounded by [`PATIENCE`] in all, and an error if
    /// the pipe closes first (the process did not wait).
    pub fn wait_until_quiet(&mut self, moment: Duration) -> io::Result<()> {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            match self.lines.recv_timeout(moment) {
                Ok(line) => self.seen.push(line),
                Err(RecvTimeoutError::Timeout) => return Ok(()),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(io::Error::other(format!(
                        "{} closed {} instead of waiting:\n{}",
                        self.owner,
                        self.name,
                        self.seen.join("\n")
                    )));
                }
            }
        }
        Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("{} never went quiet within {PATIENCE:?}", self.name),
        ))
    }

    /// Every line read so far, in order.
    pub fn seen(&self) -> &[String] {
        &self.seen
    }

    pub fn into_seen(self) -> Vec<String> {
        self.seen
    }
}

/// What a finished process left behind.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `command` to completion with `stdin` as its input, within `timeout`; a process still
/// running then is killed, and that is an error.
pub fn run(command: &mut Command, stdin: &[u8], timeout: Duration) -> io::Result<Finished> {
    let what = format!("{command:?}");
    let mut child = ChildGuard::spawn(
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        what.clone(),
    )?;
    let stdout = read_to_end_in_background(piped(child.child().stdout.take())?);
    let stderr = read_to_end_in_background(piped(child.child().stderr.take())?);
    // Written on a thread, so that a child that never reads its input cannot block us; a child
    // that exits early (say, nothing listening) makes the write fail, which is fine.
    let mut input = piped(child.child().stdin.take())?;
    let stdin = stdin.to_vec();
    thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let status = child.wait_within(timeout)?;
    let collect = |pipe: Receiver<Vec<u8>>, name: &str| {
        pipe.recv_timeout(PATIENCE)
            .map_err(|_| io::Error::other(format!("{name} of {what} stayed open after it exited")))
    };
    Ok(Finished {
        status,
        stdout: collect(stdout, "stdout")?,
        stderr: collect(stderr, "stderr")?,
    })
}

/// A pipe asked for with `Stdio::piped()` (always there, but `Child` hands it out as an Option).
fn piped<P>(pipe: Option<P>) -> io::Result<P> {
    pipe.ok_or_else(|| io::Error::other("a pipe that was asked for is missing"))
}

/// A server binary started as a child process, its address read from the [`LISTENING_ON`] line
/// it prints on stderr, and its stderr collected line by line. Killed when dropped.
pub struct ServerProcess {
    pub addr: SocketAddr,
    child: ChildGuard,
    stderr: PipeLines,
}

impl ServerProcess {
    /// Starts `command` (which should ask for port 0 and print its "listening on" line) and
    /// waits, within [`PATIENCE`], until it is ready.
    pub fn spawn(command: &mut Command) -> io::Result<ServerProcess> {
        let what = format!("{command:?}");
        let mut child = ChildGuard::spawn(
            command
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped()),
            what.clone(),
        )?;
        let pipe = child
            .child()
            .stderr
            .take()
            .ok_or_else(|| io::Error::other("no stderr pipe"))?;
        let mut server = ServerProcess {
            addr: SocketAddr::from(([0, 0, 0, 0], 0)),
            child,
            stderr: PipeLines::spawn(pipe, "stderr", what),
        };
        let line = server.wait_for_stderr_line(LISTENING_ON)?;
        server.addr = listening_addr(&line)
            .filter(|addr| addr.port() != 0)
            .ok_or_else(|| io::Error::other(format!("no address at the end of {line:?}")))?;
        Ok(server)
    }

    /// Every stderr line read so far.
    pub fn stderr_so_far(&self) -> &[String] {
        self.stderr.seen()
    }

    /// Waits, within [`PATIENCE`], for a stderr line containing `needle`, and returns it.
    pub fn wait_for_stderr_line(&mut self, needle: &str) -> io::Result<String> {
        self.stderr
            .wait_for(&format!("containing {needle:?}"), |line| {
                line.contains(needle)
            })
    }

    /// Sends SIGINT (Ctrl-C).
    pub fn interrupt(&mut self) -> io::Result<()> {
        self.child.interrupt()
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Waits, within `timeout`, for the process to exit; returns its status and its whole
    /// stderr.
    pub fn wait_within(mut self, timeout: Duration) -> io::Result<(ExitStatus, String)> {
        let status = self.child.wait_within(timeout)?;
        // The process is gone, so its stderr is closed: collect the rest (bounded anyway).
        self.stderr.read_rest()?;
        Ok((status, self.stderr.seen().join("\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listening_line_gives_its_address() {
        let line = "lesson3 server (Ctrl-C stops it) listening on 127.0.0.1:8003";
        assert_eq!(
            listening_addr(line),
            Some("127.0.0.1:8003".parse().unwrap())
        );
        assert_eq!(
            listening_addr("x listening on [::1]:9"),
            Some("[::1]:9".parse().unwrap())
        );
        assert_eq!(listening_addr("listening on nothing"), None);
        assert_eq!(listening_addr("127.0.0.1:8003"), None);
    }
}
