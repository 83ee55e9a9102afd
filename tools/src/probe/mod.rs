//! The probe: how the tests, the demos, the benchmarks and the instructor tools talk to a server
//! from the outside, without ever waiting forever.
//!
//! Everything that pokes at a server lives here once:
//! - [`PATIENCE`] and [`A_MOMENT`], the course's only two waiting times;
//! - [`socket`]: connect with timeouts, read exactly N bytes, expect silence, wait for the end;
//! - [`chunks`]: one set of ways to cut a byte stream into writes (whole, fixed size, byte by
//!   byte, at given offsets, random with a seed), to make sticky and split packets on cue;
//! - [`process`]: a child process that is always reaped, its output read line by line with
//!   bounded waits, and the "listening on" line a server prints when it is ready;
//! - [`thread`]: a thread that can be joined with a time limit;
//! - [`limits`]: a process's threads and memory, and its limit on open files.
//!
//! The rule behind all of it: "it happened" is a reply, an end of stream or a line of output;
//! "it did not happen" is a read timeout. Nothing here sleeps to synchronise.

use std::time::Duration;

pub mod chunks;
pub mod limits;
pub mod process;
pub mod socket;
pub mod thread;

pub use chunks::{ChunkedReader, Chunking, SplitMix64, write_chunked};
pub use process::{
    ChildGuard, Finished, LISTENING_ON, PipeLines, ServerProcess, listening_addr, run,
};
pub use socket::{
    End, connect, connect_unless_stopped, expect_silence, read_exactly, read_retrying,
    wait_for_end, wait_until_read,
};
pub use thread::BoundedThread;

/// The longest anything waits for something that *will* happen: a reply, a connection, a
/// process exit. Generous, because a loaded machine is slow; it only matters when something is
/// broken, and then it turns a hang into an error.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// How long a probe listens to show that *nothing* arrives (lesson 3's waiting client, lesson
/// 5's empty reply). The silence is guaranteed by the design of the server under test; this only
/// decides how long we look at it (and the demos say this number out loud).
pub const A_MOMENT: Duration = Duration::from_millis(300);
