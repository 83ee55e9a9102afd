//! How many clients a thread-per-client server can hold, from the limits the operating system
//! reports for this process.
//!
//! Every client served costs a thread, and every thread costs three things, each under a limit
//! of its own (the `ulimit` shell command shows them):
//!
//! | what | limit | what happens when it runs out |
//! |---|---|---|
//! | address space: the thread's stack (reserved whole, used a little) and its signal stack | `ulimit -v` (RLIMIT_AS) | Rust cannot map the new thread's signal stack, and **aborts the whole process** (`failed to allocate an alternative stack`) |
//! | one thread, counted with every process and thread of the same user | `ulimit -u` (RLIMIT_NPROC) | spawning fails; that one client is hung up on |
//! | one descriptor, its socket | `ulimit -n` (RLIMIT_NOFILE) | `accept` fails; the server logs it and carries on |
//!
//! The first is why a server asks *before* it serves: under an address-space limit, a cap set too
//! high is not a cap at all, because the process dies before reaching it. So lesson 11 compares
//! its `--max-clients` with [`client_threads`] when it starts, and lowers the cap to fit, saying
//! so.

use std::fmt;

/// What a client thread costs in address space beyond its stack: the guard page below the
/// stack, the signal stack Rust maps for every thread (with its own guard page), and what the C
/// library keeps beside the stack. Measured: about 17 KiB on Linux x86-64 (the flood bench's
/// VM column grows 273 KiB per client thread of a 256 KiB stack, `tools/benches/flood.rs`);
/// this leaves room for machines with larger registers to save.
pub const THREAD_OVERHEAD: u64 = 32 << 10;

/// Address space kept free for the server itself, whatever the clients take: a second malloc
/// arena (glibc reserves 64 MiB for one at once, and a guarded server allows two,
/// `guard::share_allocator_arenas`), the server's own threads, and room to spare.
pub const ADDRESS_SPACE_RESERVE: u64 = 80 << 20;

/// Threads kept for the server itself (its accept loop, its shutdown watcher) and a margin.
pub const THREAD_RESERVE: u64 = 8;

/// Descriptors kept for the server itself (the listening socket, the one that wakes it at
/// Ctrl-C, standard streams, a refused client's socket for a moment) and a margin.
pub const DESCRIPTOR_RESERVE: u64 = 32;

/// How many client threads this process can hold, and the limit that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capacity {
    pub clients: usize,
    pub limit: Limit,
}

/// A limit the operating system reports, and how much of it is in use already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// RLIMIT_AS, in bytes; `per_client` is a stack and [`THREAD_OVERHEAD`].
    AddressSpace {
        limit: u64,
        in_use: u64,
        per_client: u64,
    },
    /// RLIMIT_NPROC; `in_use` counts this process's threads.
    Threads { limit: u64, in_use: u64 },
    /// RLIMIT_NOFILE; `in_use` counts this process's open descriptors.
    Descriptors { limit: u64, in_use: u64 },
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Limit::AddressSpace {
                limit,
                in_use,
                per_client,
            } => write!(
                f,
                "its address space is limited to {} MiB (ulimit -v), {} MiB of it in use, and \
                 each client thread reserves {} KiB",
                limit >> 20,
                in_use >> 20,
                per_client >> 10
            ),
            Limit::Threads { limit, in_use } => write!(
                f,
                "its user may run {limit} processes and threads (ulimit -u), and it has \
                 {in_use} threads"
            ),
            Limit::Descriptors { limit, in_use } => write!(
                f,
                "it may open {limit} files and sockets (ulimit -n), and has {in_use} open"
            ),
        }
    }
}

impl Limit {
    /// How many clients fit under this limit, what the server keeps for itself set aside.
    fn clients(&self) -> u64 {
        match *self {
            Limit::AddressSpace {
                limit,
                in_use,
                per_client,
            } => limit.saturating_sub(in_use + ADDRESS_SPACE_RESERVE) / per_client,
            Limit::Threads { limit, in_use } => limit.saturating_sub(in_use + THREAD_RESERVE),
            Limit::Descriptors { limit, in_use } => {
                limit.saturating_sub(in_use + DESCRIPTOR_RESERVE)
            }
        }
    }
}

/// How many client threads, each with a stack of `stack` bytes, this process can hold under the
/// tightest of its limits; `None` when none of them is set (or, off Unix, none can be read).
pub fn client_threads(stack: usize) -> Option<Capacity> {
    let per_client = stack as u64 + THREAD_OVERHEAD;
    let limits = [
        now::address_space_limit().map(|limit| Limit::AddressSpace {
            limit,
            in_use: now::address_space_in_use(),
            per_client,
        }),
        now::thread_limit().map(|limit| Limit::Threads {
            limit,
            in_use: now::threads_in_use(),
        }),
        now::descriptor_limit().map(|limit| Limit::Descriptors {
            limit,
            in_use: now::descriptors_in_use(),
        }),
    ];
    limits
        .into_iter()
        .flatten()
        .min_by_key(Limit::clients)
        .map(|limit| Capacity {
            clients: usize::try_from(limit.clients()).unwrap_or(usize::MAX),
            limit,
        })
}

/// What this process may use, and uses now, as the operating system reports it.
#[cfg(unix)]
mod now {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    type Resource = libc::__rlimit_resource_t;
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    type Resource = libc::c_int;

    /// A soft limit (the one enforced), or `None` when it is unlimited.
    fn soft_limit(resource: Resource) -> Option<u64> {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the struct we pass, which lives for the call.
        let read = unsafe { libc::getrlimit(resource, &mut limit) } == 0;
        // (`rlim_t` is a u64 on Linux and macOS, another width elsewhere.)
        #[allow(clippy::unnecessary_cast)]
        (read && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur as u64)
    }

    pub fn address_space_limit() -> Option<u64> {
        soft_limit(libc::RLIMIT_AS)
    }

    pub fn thread_limit() -> Option<u64> {
        soft_limit(libc::RLIMIT_NPROC)
    }

    pub fn descriptor_limit() -> Option<u64> {
        soft_limit(libc::RLIMIT_NOFILE)
    }

    /// The address space mapped now (`VmSize`); 0 where the system does not say (then the
    /// limit is compared with the clients alone, and the reserve is all the margin).
    pub fn address_space_in_use() -> u64 {
        proc_status("VmSize").map_or(0, |kib| kib << 10)
    }

    /// This process's threads; 1 where the system does not say.
    pub fn threads_in_use() -> u64 {
        proc_status("Threads").unwrap_or(1)
    }

    /// This process's open descriptors; the three standard streams where the system does not say.
    pub fn descriptors_in_use() -> u64 {
        std::fs::read_dir("/proc/self/fd").map_or(3, |entries| entries.count() as u64)
    }

    /// A number from a line of Linux's `/proc/self/status` (`VmSize:  151232 kB`).
    fn proc_status(field: &str) -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|line| {
            line.strip_prefix(field)
                .is_some_and(|rest| rest.starts_with(':'))
        })?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
}

/// Off Unix there are no such limits to read.
#[cfg(not(unix))]
mod now {
    pub fn address_space_limit() -> Option<u64> {
        None
    }
    pub fn thread_limit() -> Option<u64> {
        None
    }
    pub fn descriptor_limit() -> Option<u64> {
        None
    }
    pub fn address_space_in_use() -> u64 {
        0
    }
    pub fn threads_in_use() -> u64 {
        1
    }
    pub fn descriptors_in_use() -> u64 {
        3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_leaves_its_reserve() {
        let space = Limit::AddressSpace {
            limit: 512 << 20,
            in_use: 144 << 20,
            per_client: (256 << 10) + THREAD_OVERHEAD,
        };
        // (512 - 144 - 80) MiB of 288 KiB threads.
        assert_eq!(space.clients(), 1024);
        assert_eq!(
            space.to_string(),
            "its address space is limited to 512 MiB (ulimit -v), 144 MiB of it in use, and \
             each client thread reserves 288 KiB"
        );
        let threads = Limit::Threads {
            limit: 100,
            in_use: 3,
        };
        assert_eq!(threads.clients(), 100 - 3 - THREAD_RESERVE);
        let descriptors = Limit::Descriptors {
            limit: 20,
            in_use: 5,
        };
        assert_eq!(
            descriptors.clients(),
            0,
            "nothing is left after the reserve"
        );
    }
}
