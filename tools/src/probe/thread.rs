//! A thread that can be joined with a time limit.
//!
//! `std::thread::JoinHandle::join` waits forever, and a server thread that does not stop is
//! exactly the bug a test or a demo must report rather than hang on. So the thread sends its
//! result on a channel as it ends, and joining waits on that channel, boundedly.

use std::io;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// A named thread whose result can be waited for within a time limit.
pub struct BoundedThread<T> {
    name: String,
    thread: JoinHandle<()>,
    result: Receiver<T>,
}

impl<T: Send + 'static> BoundedThread<T> {
    pub fn spawn(
        name: impl Into<String>,
        body: impl FnOnce() -> T + Send + 'static,
    ) -> io::Result<Self> {
        let name = name.into();
        let (done, result) = mpsc::channel();
        let thread = thread::Builder::new().name(name.clone()).spawn(move || {
            let _ = done.send(body());
        })?;
        Ok(BoundedThread {
            name,
            thread,
            result,
        })
    }

    /// Whether the thread has returned (or panicked).
    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }

    /// Waits at most `timeout` for the thread to return and gives back what it returned. A
    /// thread that panicked passes its panic on to the caller; one still running after
    /// `timeout` is an error (it is left running: a thread cannot be killed).
    pub fn join_within(self, timeout: Duration) -> io::Result<T> {
        match self.result.recv_timeout(timeout) {
            Ok(value) => {
                // It has sent its result, so it is returning now: this join is immediate.
                let _ = self.thread.join();
                Ok(value)
            }
            // The sender is gone without sending: the body panicked.
            Err(RecvTimeoutError::Disconnected) => match self.thread.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(()) => unreachable!("the thread always sends before it ends"),
            },
            Err(RecvTimeoutError::Timeout) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("thread {:?} did not finish within {timeout:?}", self.name),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_returning_thread_gives_its_result() {
        let thread = BoundedThread::spawn("adder", || 2 + 2).unwrap();
        assert_eq!(thread.join_within(Duration::from_secs(10)).unwrap(), 4);
    }

    #[test]
    fn a_stuck_thread_is_an_error_not_a_hang() {
        let (_keep, blocked) = mpsc::channel::<()>();
        let thread = BoundedThread::spawn("stuck", move || blocked.recv()).unwrap();
        let error = thread.join_within(Duration::from_millis(20)).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_is_passed_on() {
        let thread = BoundedThread::spawn("panicky", || -> () { panic!("boom") }).unwrap();
        let _ = thread.join_within(Duration::from_secs(10));
    }
}
