//! One shutdown signal that every part of a server can wait on.
//!
//! A server is several threads: the one looping on `accept`, one per client in later lessons, and a
//! watcher that wakes the blocked ones. When the operator presses Ctrl-C, *all* of them must hear it.
//!
//! A crossbeam channel can say "stop" to any number of listeners at once if nobody ever sends on it:
//! when the last [`Sender`] is dropped the channel becomes *disconnected*, and every `recv` on every
//! clone of the [`Receiver`] returns immediately, now and forever after. So triggering shutdown means
//! dropping the one sender, and "has shutdown been triggered?" means "is the channel disconnected?".
//!
//! The library never installs a Ctrl-C handler itself. The binaries do (`ctrlc` calls
//! [`ShutdownSignal::trigger`]); tests call [`ShutdownSignal::trigger`] directly. Both take the same road.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TryRecvError};

/// A cloneable handle to the course's one shutdown signal.
#[derive(Clone, Debug)]
pub struct ShutdownSignal {
    /// The only sender. `None` once shutdown has been triggered.
    sender: Arc<Mutex<Option<Sender<()>>>>,
    /// Disconnects (and so wakes every waiter) when the sender is dropped.
    signal: Receiver<()>,
}

impl ShutdownSignal {
    pub fn new() -> ShutdownSignal {
        // Capacity 0: nothing is ever sent; the channel exists only to become disconnected.
        let (sender, signal) = crossbeam_channel::bounded(0);
        ShutdownSignal {
            sender: Arc::new(Mutex::new(Some(sender))),
            signal,
        }
    }

    // ANCHOR: trigger
    /// Asks everything holding a clone of this handle to stop. Calling it twice is harmless.
    pub fn trigger(&self) {
        // A poisoned lock only means another thread panicked while holding it; the Option inside is
        // still valid, so take it anyway: shutdown must work *especially* when something went wrong.
        let mut sender = self.sender.lock().unwrap_or_else(PoisonError::into_inner);
        drop(sender.take());
    }

    pub fn is_triggered(&self) -> bool {
        self.signal.try_recv() == Err(TryRecvError::Disconnected)
    }
    // ANCHOR_END: trigger

    /// What a Ctrl-C means (the binaries' handler calls this; see `cli::on_ctrl_c`): the first
    /// asks for a graceful stop; one that comes after the stop has begun finds it still running,
    /// perhaps stuck, and the person pressing it wants out now.
    pub fn interrupt(&self) -> Interrupt {
        if self.is_triggered() {
            Interrupt::Again
        } else {
            self.trigger();
            Interrupt::GracefulStop
        }
    }

    /// Blocks until shutdown is triggered.
    pub fn wait(&self) {
        // `recv` can only return `Err(RecvError)` here, because nobody ever sends.
        let _ = self.signal.recv();
    }

    /// Blocks until shutdown is triggered or `timeout` passes; true if it was triggered.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        self.signal.recv_timeout(timeout) == Err(RecvTimeoutError::Disconnected)
    }

    /// The raw receiver, for `crossbeam_channel::select!` alongside other channels.
    pub fn signal(&self) -> &Receiver<()> {
        &self.signal
    }
}

/// What [`ShutdownSignal::interrupt`] made of a Ctrl-C.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupt {
    /// The first: shutdown is triggered, and the server stops cleanly.
    GracefulStop,
    /// Shutdown was already under way: the caller should exit at once.
    Again,
}

impl Default for ShutdownSignal {
    fn default() -> Self {
        ShutdownSignal::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

    #[test]
    fn every_clone_sees_the_trigger() {
        let shutdown = ShutdownSignal::new();
        assert!(!shutdown.is_triggered());
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let s = shutdown.clone();
                thread::spawn(move || s.wait_timeout(Duration::from_secs(10)))
            })
            .collect();
        shutdown.clone().trigger();
        for w in waiters {
            assert!(
                w.join().unwrap(),
                "a waiter timed out instead of seeing shutdown"
            );
        }
        assert!(shutdown.is_triggered());
        shutdown.trigger(); // twice is fine
        assert!(shutdown.is_triggered());
    }

    #[test]
    fn a_second_interrupt_is_told_apart_from_the_first() {
        let shutdown = ShutdownSignal::new();
        assert_eq!(shutdown.interrupt(), Interrupt::GracefulStop);
        assert!(shutdown.is_triggered());
        assert_eq!(shutdown.interrupt(), Interrupt::Again);
    }

    #[test]
    fn wait_timeout_reports_no_trigger() {
        let shutdown = ShutdownSignal::new();
        assert!(!shutdown.wait_timeout(Duration::from_millis(10)));
    }
}
