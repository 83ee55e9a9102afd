//! What a server adds to protect itself, in lesson 11 and every server after it: a cap on the
//! clients served at once, an idle timeout, and a write timeout.
//!
//! Lessons 4 to 6 start a thread for every client and let it wait as long as the client likes.
//! That is their lesson, and it is also how they fall over: a flood of clients that connect and
//! say nothing grows a thread (and its stack) each until memory runs out; a client that goes
//! silent holds its thread forever; a client that asks for a long reply and never reads it pins
//! the thread in `write` and the reply in memory. A [`Guard`] closes each of those doors:
//!
//! - **the cap** (`--max-clients`): a client beyond it gets one line saying the server is busy,
//!   and is closed; everyone already connected carries on. Refusals are logged at most once a
//!   second, with a count, so that a flood cannot flood the log too.
//! - **the idle timeout** (`--idle`): a read that waits longer fails with a timeout, and the
//!   connection ends. For an echo nothing is lost: every byte read has been answered. A server
//!   that reads messages in pieces (a frame) must keep the pieces across a timeout: that is what
//!   the resumable [`crate::frame::FrameReader`] is for.
//! - **the write timeout** (`--write-timeout`): a write that cannot make progress for that long
//!   (the client does not read, its window is shut) fails, and the connection ends.
//!
//! The guard does no I/O of its own except the refusal line, and keeps no thread: it is a counter
//! and two numbers, which is why a server can afford it for every client.

use std::io::{self, ErrorKind, Write};
use std::net::Shutdown;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use log::warn;

use crate::logging::AtMostOnceASecond;
use crate::server::{Connection, Peer};
use crate::stage::{Flag, Options};

/// The default cap. A thread per client costs its stack's address space (256 KiB, lesson 4's
/// `CLIENT_THREAD_STACK`) and about 10 KiB of resident memory. Under a 512 MiB address-space
/// limit, `tools/benches/flood.rs` measured lesson 11 holding 1,382 idle clients at most, and 512 of
/// them in 213 to 277 MiB: about half the limit, so a server meets this cap long before it
/// runs out of threads, and every client beyond it hears why it is turned away. (Lesson 4, with
/// no cap, started 193 threads there and hung up on every later client without a word.)
pub const DEFAULT_MAX_CLIENTS: usize = 512;
/// The default idle timeout: five minutes of silence, longer than any person typing pauses.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(300);
/// The default write timeout: a client that has not read for 30 s is not going to.
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(30);

pub static MAX_CLIENTS: Flag = Flag::value(
    "max-clients",
    "N",
    "512",
    "Serve at most N clients at once; the next gets a one-line refusal and is closed",
);
pub static IDLE: Flag = Flag::value(
    "idle",
    "SECS",
    "300",
    "Hang up on a client that sends nothing for SECS seconds (0: never)",
);
pub static WRITE_TIMEOUT: Flag = Flag::value(
    "write-timeout",
    "SECS",
    "30",
    "Hang up on a client that reads nothing of our reply for SECS seconds (0: never)",
);

/// The line a client beyond the cap reads before the server closes the connection.
pub const BUSY: &str = "busy: the server is serving as many clients as it can; try again later";

/// The cap and the timeouts of one server.
pub struct Guard {
    max_clients: usize,
    idle: Option<Duration>,
    write_timeout: Option<Duration>,
    seated: Arc<AtomicUsize>,
    refusals: Mutex<AtMostOnceASecond>,
}

impl Guard {
    /// `None` for a timeout means "wait forever".
    pub fn new(
        max_clients: usize,
        idle: Option<Duration>,
        write_timeout: Option<Duration>,
    ) -> Guard {
        share_allocator_arenas();
        Guard {
            max_clients,
            idle,
            write_timeout,
            seated: Arc::new(AtomicUsize::new(0)),
            refusals: Mutex::new(AtMostOnceASecond::default()),
        }
    }

    /// The guard `--max-clients`, `--idle` and `--write-timeout` ask for.
    pub fn from_options(options: &Options) -> io::Result<Guard> {
        let invalid = |e: String| io::Error::new(ErrorKind::InvalidInput, e);
        let max_clients: usize = options.parse(&MAX_CLIENTS).map_err(invalid)?;
        if max_clients == 0 {
            return Err(invalid(
                "--max-clients 0: a server must serve someone".into(),
            ));
        }
        let seconds = |flag: &Flag| -> io::Result<Option<Duration>> {
            let value: f64 = options.parse(flag).map_err(invalid)?;
            match Duration::try_from_secs_f64(value) {
                Ok(d) if d.is_zero() => Ok(None),
                Ok(d) => Ok(Some(d)),
                Err(_) => Err(invalid(format!(
                    "--{} {value}: expected a number of seconds, 0 or more",
                    flag.name
                ))),
            }
        };
        Ok(Guard::new(
            max_clients,
            seconds(&IDLE)?,
            seconds(&WRITE_TIMEOUT)?,
        ))
    }

    /// How long a client may stay silent (`None`: forever).
    pub fn idle(&self) -> Option<Duration> {
        self.idle
    }

    /// How many clients hold a seat now.
    pub fn seated(&self) -> usize {
        self.seated.load(Ordering::SeqCst)
    }

    // ANCHOR: admit
    /// Gives `conn` a seat and its timeouts, or, when every seat is taken, sends it [`BUSY`] and
    /// closes it. The seat is given back when the returned [`Seat`] is dropped: keep it for as
    /// long as the client is served.
    pub fn admit(&self, conn: &mut Connection, peer: Peer) -> Option<Seat> {
        // Only the accept loop admits, so nobody can take a seat between the check and the add.
        if self.seated.load(Ordering::SeqCst) >= self.max_clients {
            self.refuse(conn, peer);
            return None;
        }
        let timeouts = conn
            .set_read_timeout(self.idle)
            .and_then(|()| conn.set_write_timeout(self.write_timeout));
        if let Err(e) = timeouts {
            warn!("{peer}: cannot set its timeouts ({e}); hanging up");
            return None;
        }
        self.seated.fetch_add(1, Ordering::SeqCst);
        Some(Seat(Arc::clone(&self.seated)))
    }

    /// The refusal: one line, then the end of the conversation. The accept loop must not wait
    /// on a client it is turning away, so the line gets a short write timeout (it fits in any
    /// socket's empty send buffer anyway).
    fn refuse(&self, conn: &mut Connection, peer: Peer) {
        let _ = conn.set_write_timeout(Some(Duration::from_millis(100)));
        let _ = conn.write_all(format!("{BUSY}\n").as_bytes());
        let _ = conn.shutdown(Shutdown::Write);
        let count = self
            .refusals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .record(Instant::now());
        if let Some(count) = count {
            warn!(
                "refused {count} client(s) (the latest {peer}): {} already served, the most at \
                 once (--max-clients)",
                self.max_clients
            );
        }
    }
    // ANCHOR_END: admit
}

impl Drop for Guard {
    /// The refusals of the last second, not logged yet, are logged now.
    fn drop(&mut self) {
        let unlogged = self
            .refusals
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take_unlogged();
        if unlogged > 0 {
            warn!(
                "refused {unlogged} more client(s) (--max-clients {})",
                self.max_clients
            );
        }
    }
}

/// A client's seat under the cap; dropping it frees the seat.
pub struct Seat(Arc<AtomicUsize>);

impl Drop for Seat {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What runs out first under a flood is address space, not memory: each client thread reserves
/// its stack (256 KiB), and glibc's malloc gives threads arenas of their own, each reserving
/// 64 MiB of address space, up to 8 per core. On a 2-core machine that is 1 GiB of reservations;
/// under a 512 MiB limit (`ulimit -v`, a container's) they took most of the space, and lesson 4
/// held 193 clients (`tools/benches/flood.rs`). A guarded server keeps glibc to 2 arenas: its client
/// threads allocate little, and lose nothing by sharing. (Elsewhere allocators reserve far less
/// per thread; there is nothing to do there.)
fn share_allocator_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: mallopt only sets a tuning value of the allocator, and may be called at
            // any time from any thread. Its result (0 on failure) changes nothing we rely on.
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, 2);
            }
        });
    }
}

/// Why a write to a client failed, for its log line: a timeout is the write timeout (the client
/// reads none of what we send); anything else is what the system said.
pub fn reason(e: &io::Error) -> String {
    if crate::timeout::is_timeout(e) {
        "the client reads none of our reply (--write-timeout)".to_string()
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_and_zero_means_never() {
        let guard = Guard::from_options(&Options::default()).unwrap();
        assert_eq!(guard.max_clients, DEFAULT_MAX_CLIENTS);
        assert_eq!(guard.idle, Some(DEFAULT_IDLE));
        assert_eq!(guard.write_timeout, Some(DEFAULT_WRITE_TIMEOUT));
        assert_eq!(MAX_CLIENTS.default, Some("512"));
        let mut options = Options::default();
        options
            .set_value(&IDLE, "0")
            .set_value(&WRITE_TIMEOUT, "0.5")
            .set_value(&MAX_CLIENTS, "3");
        let guard = Guard::from_options(&options).unwrap();
        assert_eq!(guard.idle, None);
        assert_eq!(guard.write_timeout, Some(Duration::from_millis(500)));
        assert_eq!(guard.max_clients, 3);
        for (flag, bad) in [(&MAX_CLIENTS, "0"), (&IDLE, "-1"), (&WRITE_TIMEOUT, "soon")] {
            let mut options = Options::default();
            options.set_value(flag, bad);
            assert!(
                Guard::from_options(&options).is_err(),
                "--{} {bad}",
                flag.name
            );
        }
    }
}
