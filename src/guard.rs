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

use std::io::{self, Write};
use std::net::Shutdown;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use log::warn;

use crate::capacity;
use crate::flags::{self, SecondsOrNever};
use crate::logging::AtMostOnceASecond;
use crate::server::{Connection, Peer};

/// The default cap. A thread per client costs its stack's address space (256 KiB, lesson 4's
/// `CLIENT_THREAD_STACK`) and about 10 KiB of resident memory. Under a 512 MiB address-space
/// limit, `tools/benches/flood.rs` measured lesson 11 holding about 1,400 idle clients at most
/// (a larger cap is now lowered to about 1,500 with room to spare, see [`GuardFlags::guard`]),
/// and 512 of them in 213 to 277 MiB: about half the limit, so a server meets this cap long
/// before it runs out of threads, and every client beyond it hears why it is turned away.
/// (Lesson 4, with no cap, started 193 threads there and hung up on every later client without
/// a word.)
pub const DEFAULT_MAX_CLIENTS: usize = 512;
/// The default idle timeout: five minutes of silence, longer than any person typing pauses.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(300);
/// The default write timeout: a client that has not read for 30 s is not going to.
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// `--max-clients`, `--idle` and `--write-timeout`: the guard a server asks for.
#[derive(Debug, Clone, clap::Args)]
pub struct GuardFlags {
    /// Serve at most N clients at once; the next gets a one-line refusal and is closed. A cap
    /// beyond what this process can hold (its ulimit -v, -u, -n) is lowered to fit, with a warning
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_MAX_CLIENTS,
        value_parser = flags::count::<usize, 1, 1_000_000>,
        allow_negative_numbers = true
    )]
    pub max_clients: usize,

    /// Hang up on a client that sends nothing for SECS seconds (never: wait forever)
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = SecondsOrNever::After(flags::Seconds::from(DEFAULT_IDLE)),
        allow_negative_numbers = true
    )]
    pub idle: SecondsOrNever,

    /// Hang up on a client that reads nothing of our reply for SECS seconds (never: wait
    /// forever)
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = SecondsOrNever::After(flags::Seconds::from(DEFAULT_WRITE_TIMEOUT)),
        allow_negative_numbers = true
    )]
    pub write_timeout: SecondsOrNever,
}

impl GuardFlags {
    /// The guard these flags ask for, for a server whose client threads have stacks of
    /// `client_stack` bytes. A cap this process cannot hold under its limits is lowered to what
    /// it can, and `notes` says so (see [`capacity`]); when it cannot hold a single client, the
    /// error says why.
    pub fn guard(self, client_stack: usize, notes: &mut Vec<String>) -> Result<Guard, String> {
        let mut max_clients = self.max_clients;
        if let Some(capacity) = capacity::client_threads(client_stack) {
            if capacity.clients == 0 {
                return Err(crate::t!(
                    "guard-cannot-hold-one",
                    limit = capacity.limit.to_string()
                ));
            }
            if capacity.clients < max_clients {
                // `warning: --max-clients N lowered to M` is the same in every language: scripts
                // read the cap kept from it.
                notes.push(format!(
                    "warning: --max-clients {max_clients} lowered to {}{}",
                    capacity.clients,
                    crate::t!("guard-cap-lowered", limit = capacity.limit.to_string())
                ));
                max_clients = capacity.clients;
            }
        }
        Ok(Guard::new(
            max_clients,
            self.idle.duration(),
            self.write_timeout.duration(),
        ))
    }
}

/// The line a client beyond the cap reads before the server closes the connection (in English;
/// the server says it in its language, [`busy`]).
pub const BUSY: &str = "busy: the server is serving as many clients as it can; try again later";

/// [`BUSY`] in the server's language. It begins with `busy: ` in every language: clients match
/// on that, and need not know the server's language.
pub fn busy() -> String {
    format!("busy: {}", crate::t!("guard-busy"))
}

/// The cap and the timeouts of one server.
pub struct Guard {
    max_clients: usize,
    idle: Option<Duration>,
    write_timeout: Option<Duration>,
    seated: Arc<AtomicUsize>,
    refusal: Refusal,
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
            refusal: Refusal::new(
                format!("{max_clients} already served, the most at once (--max-clients)"),
                format!("--max-clients {max_clients}"),
            ),
        }
    }

    /// The same guard, its refusals told as `refusal` tells them: lesson 12's pool, whose cap
    /// is its workers and its queue, names its own flags.
    pub fn refusing_as(mut self, refusal: Refusal) -> Guard {
        self.refusal = refusal;
        self
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
            self.refusal.refuse(conn, peer);
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
}

/// Turning clients away when a server is full: what the guard does beyond its cap (lesson 11),
/// and lesson 12's pool when its queue is full.
pub struct Refusal {
    /// Why, for the log line: `512 already served, the most at once (--max-clients)`.
    why: String,
    /// The limit, as the flags that set it, for the last line: `--max-clients 512`.
    limit: String,
    refusals: Mutex<AtMostOnceASecond>,
}

impl Refusal {
    /// Refusals logged with `why`, and `limit` in the line of those not logged by the end.
    pub fn new(why: String, limit: String) -> Refusal {
        Refusal {
            why,
            limit,
            refusals: Mutex::new(AtMostOnceASecond::default()),
        }
    }

    /// The refusal: one line, then the end of the conversation. The accept loop must not wait
    /// on a client it is turning away, so the line gets a short write timeout (it fits in any
    /// socket's empty send buffer anyway).
    pub fn refuse(&self, conn: &mut Connection, peer: Peer) {
        let _ = conn.set_write_timeout(Some(Duration::from_millis(100)));
        let _ = conn.write_all(format!("{}\n", busy()).as_bytes());
        let _ = conn.shutdown(Shutdown::Write);
        let count = self
            .refusals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .record(Instant::now());
        if let Some(count) = count {
            warn!(
                "refused {count} client(s) (the latest {peer}): {}",
                self.why
            );
        }
    }
    // ANCHOR_END: admit
}

impl Drop for Refusal {
    /// The refusals of the last second, not logged yet, are logged now.
    fn drop(&mut self) {
        let unlogged = self
            .refusals
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take_unlogged();
        if unlogged > 0 {
            warn!("refused {unlogged} more client(s) ({})", self.limit);
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
    fn the_busy_line_says_the_constant_in_english() {
        // The tests of this crate run in English (the language of a process that chose none).
        assert_eq!(busy(), BUSY);
    }

    #[test]
    fn the_flags_default_to_the_constants_and_never_is_none() {
        use clap::{Args, Command, FromArgMatches};
        let given = |args: &[&str]| {
            let command = GuardFlags::augment_args(Command::new("server"));
            GuardFlags::from_arg_matches(&command.try_get_matches_from(args)?)
        };
        let defaults = given(&["server"]).unwrap();
        assert_eq!(defaults.max_clients, DEFAULT_MAX_CLIENTS);
        assert_eq!(defaults.idle.duration(), Some(DEFAULT_IDLE));
        assert_eq!(
            defaults.write_timeout.duration(),
            Some(DEFAULT_WRITE_TIMEOUT)
        );
        let chosen = given(&[
            "server",
            "--idle",
            "never",
            "--write-timeout",
            "0.5",
            "--max-clients",
            "3",
        ])
        .unwrap();
        let guard = chosen.guard(256 << 10, &mut Vec::new()).unwrap();
        assert_eq!(guard.idle, None);
        assert_eq!(guard.write_timeout, Some(Duration::from_millis(500)));
        assert_eq!(guard.max_clients, 3);
        // Zero means nothing: a cap of 0 would serve nobody, a timeout of 0 is not "never".
        for (flag, bad) in [
            ("--max-clients", "0"),
            ("--idle", "0"),
            ("--idle", "-1"),
            ("--write-timeout", "soon"),
        ] {
            let refused = given(&["server", flag, bad]).unwrap_err();
            assert_eq!(
                refused.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{flag} {bad}: {refused}"
            );
        }
    }
}
