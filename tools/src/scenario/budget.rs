//! What one run of an experiment may spend: time, and bytes read from the server.
//!
//! Every read of an experiment waits at most its connection's patience, and that is enough
//! against a server that says nothing. It is not enough against one that says too much, or says
//! it slowly: a reply frame that announces 128 MiB and sends it, a server that sends one byte
//! every tenth of a second forever, a chat room that sends notices without end. Each of its
//! reads returns in time, and the experiment reads on. So whoever plays an experiment on a
//! server it does not trust (the grader does, for every case) gives the run a [`Budget`]: a
//! moment by which every connection of the run must be done, and a number of bytes the run may
//! take in. Every byte read counts, and so does what the record keeps beyond those bytes (each
//! event, each line heard), so the budget bounds the memory a run holds as well as what it
//! reads. Past either, a connection's reads and writes fail at once, with a sentence saying
//! which was spent, and the experiment ends with what it has.
//!
//! A budget is set for a thread with [`Budget::spend_within`], and the [`Recorder`] of every
//! run started on that thread takes it (every connection of the run, and every thread the
//! experiment starts, shares that recorder). So the experiments themselves know nothing of
//! budgets: the one who plays them decides. The demos and `compare`, which play the course's own
//! stages, set none.
//!
//! [`Recorder`]: super::Recorder

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What a run may spend, and what it has spent so far.
#[derive(Debug)]
pub struct Budget {
    /// When every connection of the run must be done.
    until: Instant,
    /// How long the run was given (to say so, once it is spent).
    given: Duration,
    /// How many bytes the run may take in: read, and kept in its record.
    max_bytes: u64,
    /// How many it has.
    taken: AtomicU64,
}

/// What a run had spent when a connection was refused a read or a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spent {
    /// The time it was given.
    Time(Duration),
    /// The bytes it was given.
    Bytes(u64),
}

impl fmt::Display for Spent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Spent::Time(given) => write!(
                f,
                "the case's time ({} s) ran out",
                super::wire::secs(*given)
            ),
            Spent::Bytes(max) => write!(
                f,
                "the server sent more than a case may take in ({})",
                mebibytes(*max)
            ),
        }
    }
}

/// A byte count as `32 MiB` (or in bytes, when it is not a whole number of MiB).
pub fn mebibytes(bytes: u64) -> String {
    if bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

thread_local! {
    /// The budget of the runs started on this thread, if whoever plays them set one.
    static CURRENT: RefCell<Option<Arc<Budget>>> = const { RefCell::new(None) };
}

impl Budget {
    /// A budget of `time` from now, and `max_bytes` bytes.
    pub fn new(time: Duration, max_bytes: u64) -> Budget {
        Budget {
            until: Instant::now() + time,
            given: time,
            max_bytes,
            taken: AtomicU64::new(0),
        }
    }

    /// Runs `play` with this budget for every run it starts on this thread (the one set
    /// before, if any, is set back afterwards).
    pub fn spend_within<R>(self, play: impl FnOnce() -> R) -> R {
        let before = CURRENT.with(|current| current.replace(Some(Arc::new(self))));
        let result = play();
        CURRENT.with(|current| current.replace(before));
        result
    }

    /// The budget set for runs started on this thread, if any.
    pub fn current() -> Option<Arc<Budget>> {
        CURRENT.with(|current| current.borrow().clone())
    }

    /// How long is left, or what was spent.
    pub fn time_left(&self) -> Result<Duration, Spent> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(Spent::Time(self.given))
        } else {
            Ok(left)
        }
    }

    /// How many more bytes may be taken in, or what was spent.
    pub fn bytes_left(&self) -> Result<u64, Spent> {
        let left = self
            .max_bytes
            .saturating_sub(self.taken.load(Ordering::Relaxed));
        if left == 0 {
            Err(Spent::Bytes(self.max_bytes))
        } else {
            Ok(left)
        }
    }

    /// Notes `n` bytes taken in: read, or kept.
    pub fn take(&self, n: usize) {
        self.taken.fetch_add(n as u64, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_is_set_for_the_runs_of_one_thread_and_set_back_after() {
        assert!(Budget::current().is_none());
        let inner = Budget::new(Duration::from_secs(5), 10).spend_within(|| {
            let budget = Budget::current().expect("set within");
            budget.take(4);
            assert_eq!(budget.bytes_left(), Ok(6));
            budget.take(6);
            assert_eq!(budget.bytes_left(), Err(Spent::Bytes(10)));
            // Another thread has a budget of its own (none), unless it is given this one.
            std::thread::spawn(|| Budget::current().is_none())
                .join()
                .unwrap()
        });
        assert!(inner);
        assert!(Budget::current().is_none());
        let spent = Budget::new(Duration::ZERO, 10).time_left();
        assert_eq!(spent, Err(Spent::Time(Duration::ZERO)));
        assert_eq!(
            Spent::Bytes(32 << 20).to_string(),
            "the server sent more than a case may take in (32 MiB)"
        );
    }
}
