//! A student's program as a child process, kept on a short leash: started as the leader of a
//! process group of its own, its output read on threads and kept only up to a limit (a flood is
//! read and counted, never stored), every wait on it bounded, and stopped (SIGTERM, then SIGKILL
//! a moment later) by its pid and its group, so that its threads and anything it started end
//! with it. Dropping it stops it: the runner never leaves a process behind, whatever happens.
//!
//! The probe's `ChildGuard` kills one process and keeps all its output; a program under test may
//! start others and may print without end, so this keeps less and stops more.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use crate::probe::{A_MOMENT, listening_addr};

/// How much of each of standard output and standard error is kept; the rest is read and counted.
pub const KEPT: usize = 1 << 20;

/// What a program wrote on one of its pipes.
#[derive(Default)]
struct Captured {
    bytes: Vec<u8>,
    /// Bytes read beyond [`KEPT`], thrown away.
    dropped: u64,
    /// The pipe has closed.
    closed: bool,
}

/// One pipe, read on a thread of its own.
#[derive(Clone, Default)]
struct Pipe {
    state: Arc<(Mutex<Captured>, Condvar)>,
}

impl Pipe {
    fn read_from(pipe: impl Read + Send + 'static) -> Pipe {
        let captured = Pipe::default();
        let state = Arc::clone(&captured.state);
        thread::spawn(move || {
            let mut pipe = pipe;
            let mut buf = [0u8; 64 * 1024];
            loop {
                let n = match pipe.read(&mut buf) {
                    Ok(0) | Err(_) => 0,
                    Ok(n) => n,
                };
                let (lock, changed) = &*state;
                let mut captured = lock.lock().unwrap_or_else(PoisonError::into_inner);
                if n == 0 {
                    captured.closed = true;
                    changed.notify_all();
                    return;
                }
                let room = KEPT.saturating_sub(captured.bytes.len()).min(n);
                captured.bytes.extend_from_slice(&buf[..room]);
                captured.dropped += (n - room) as u64;
                changed.notify_all();
            }
        });
        captured
    }

    fn text(&self) -> String {
        let captured = self.state.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&captured.bytes).into_owned()
    }

    fn bytes(&self) -> Vec<u8> {
        let captured = self.state.0.lock().unwrap_or_else(PoisonError::into_inner);
        captured.bytes.clone()
    }

    fn dropped(&self) -> u64 {
        self.state
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .dropped
    }

    /// Waits, until `deadline`, for `found` to find something in what was kept so far; `None`
    /// when the pipe closed first or the time ran out.
    fn wait_for<T>(&self, deadline: Instant, found: impl Fn(&[u8]) -> Option<T>) -> Option<T> {
        let (lock, changed) = &*self.state;
        let mut captured = lock.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(it) = found(&captured.bytes) {
                return Some(it);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if captured.closed || left.is_zero() {
                return None;
            }
            captured = changed
                .wait_timeout(captured, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Waits, at most `within`, for the pipe to close (the process and all it started are gone).
    fn wait_closed(&self, within: Duration) {
        let deadline = Instant::now() + within;
        let _ = self.wait_for(deadline, |_| None::<()>);
    }
}

/// A program under test, running.
pub struct Supervised {
    child: Child,
    stdout: Pipe,
    stderr: Pipe,
    status: Option<ExitStatus>,
}

impl Supervised {
    /// Starts `command` as the leader of a new process group, with `input` on its standard input
    /// (closed after it; `None`: no input at all) and its output read on threads.
    pub fn spawn(command: &mut Command, input: Option<Vec<u8>>) -> io::Result<Supervised> {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(command, 0);
        command
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn()?;
        RUNNING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(child.id());
        let stdout = Pipe::read_from(child.stdout.take().ok_or_else(missing_pipe)?);
        let stderr = Pipe::read_from(child.stderr.take().ok_or_else(missing_pipe)?);
        if let (Some(mut pipe), Some(input)) = (child.stdin.take(), input) {
            // On a thread: a program that never reads its input cannot block the runner.
            thread::spawn(move || {
                let _ = pipe.write_all(&input);
            });
        }
        Ok(Supervised {
            child,
            stdout,
            stderr,
            status: None,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits, at most `within`, for a line ending in `listening on ADDR` on either pipe.
    pub fn wait_for_listening(&mut self, within: Duration) -> Result<SocketAddr, String> {
        let deadline = Instant::now() + within;
        let find = |bytes: &[u8]| {
            String::from_utf8_lossy(bytes)
                .lines()
                .find_map(listening_addr)
                .filter(|addr| addr.port() != 0)
        };
        // Both pipes are watched, a slice of time each, until the deadline.
        loop {
            let slice = (Instant::now() + Duration::from_millis(20)).min(deadline);
            if let Some(addr) = self.stderr.wait_for(slice, find) {
                return Ok(addr);
            }
            if let Some(addr) = find(&self.stdout.bytes()) {
                return Ok(addr);
            }
            if let Some(status) = self.exited_within(Duration::ZERO) {
                return Err(crate::learn::messages::exited_before_listening(status));
            }
            if Instant::now() >= deadline {
                return Err(crate::learn::messages::never_listened(within));
            }
        }
    }

    /// Waits, at most `within`, for the process to exit.
    pub fn exited_within(&mut self, within: Duration) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.wait_timeout(within).ok().flatten();
            if self.status.is_some() {
                // Reaped: its pid may be anyone's now, so Ctrl-C must not signal it.
                forget(self.child.id());
            }
        }
        self.status
    }

    /// Stops it, and everything in its process group: SIGTERM, a moment, then SIGKILL. The
    /// group is signalled only while its leader is not yet reaped (running, or a zombie whose
    /// pid nobody can take), so no other process is ever signalled; a program that exited by
    /// itself was reaped, and is past signalling.
    pub fn stop(&mut self) {
        if self.status.is_none() {
            signal_group(self.pid(), Signal::Terminate);
            let deadline = Instant::now() + A_MOMENT;
            while !has_exited_unreaped(self.pid()) && Instant::now() < deadline {
                // Asking the kernel again shortly: its answer decides, not this pause.
                thread::sleep(Duration::from_millis(2));
            }
            // Whatever in the group is left, SIGTERM or not; then the leader is reaped.
            signal_group(self.pid(), Signal::Kill);
            self.status = self.child.wait().ok();
        }
        forget(self.child.id());
        self.stdout.wait_closed(A_MOMENT);
        self.stderr.wait_closed(A_MOMENT);
    }

    pub fn stdout(&self) -> Vec<u8> {
        self.stdout.bytes()
    }

    pub fn stderr_text(&self) -> String {
        self.stderr.text()
    }

    /// How many bytes beyond what is kept it wrote, on stdout and stderr: a flood, if any.
    pub fn flooded(&self) -> u64 {
        self.stdout.dropped() + self.stderr.dropped()
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whether process `pid`, our child, has exited, without reaping it (its pid stays reserved).
#[cfg(target_os = "linux")]
fn has_exited_unreaped(pid: u32) -> bool {
    let id = libc::id_t::from(pid);
    // SAFETY: waitid(2) writes only into `info`, which is ours and zeroed; WNOWAIT leaves the
    // child to be reaped later by `Child::wait`.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let flags = libc::WEXITED | libc::WNOHANG | libc::WNOWAIT;
        libc::waitid(libc::P_PID, id, &mut info, flags) == 0 && info.si_pid() != 0
    }
}

#[cfg(not(target_os = "linux"))]
fn has_exited_unreaped(_pid: u32) -> bool {
    false
}

/// The process groups of every program running now, for [`stop_all`].
static RUNNING: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Takes `pid` off the list [`stop_all`] signals.
fn forget(pid: u32) {
    RUNNING
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|&running| running != pid);
}

/// Kills every program this runner started that still runs, with its group: what Ctrl-C does
/// before the runner exits (the programs are in groups of their own, so the terminal's Ctrl-C
/// does not reach them).
pub fn stop_all() {
    let running = std::mem::take(&mut *RUNNING.lock().unwrap_or_else(PoisonError::into_inner));
    for pid in running {
        signal_group(pid, Signal::Kill);
    }
}

fn missing_pipe() -> io::Error {
    io::Error::other("a pipe that was asked for is missing")
}

enum Signal {
    Terminate,
    Kill,
}

/// Sends `signal` to the process group led by `pid` (which this runner created for it), and so
/// to the process and every process it started that stayed in it.
#[cfg(unix)]
fn signal_group(pid: u32, signal: Signal) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    let signal = match signal {
        Signal::Terminate => libc::SIGTERM,
        Signal::Kill => libc::SIGKILL,
    };
    // SAFETY: kill(2) takes plain integers. The group is our own child's, created for it at
    // spawn (process_group(0)): its id is the child's pid, which is not reused before we reap it.
    unsafe {
        libc::kill(-pid, signal);
    }
}

#[cfg(not(unix))]
fn signal_group(_pid: u32, _signal: Signal) {}

/// Pauses (SIGSTOP) or resumes (SIGCONT) the process `pid`: a server the client cases do not
/// need is paused while they run, so that a server spinning on a core cannot slow them down.
#[cfg(unix)]
pub fn pause(pid: u32, paused: bool) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        let signal = if paused { libc::SIGSTOP } else { libc::SIGCONT };
        // SAFETY: kill(2) takes plain integers; the pid is our own child's, not yet reaped.
        unsafe {
            libc::kill(pid, signal);
        }
    }
}

#[cfg(not(unix))]
pub fn pause(_pid: u32, _paused: bool) {}
