//! One direction of a proxied connection: read from one socket, re-chunk, write to the other.
//!
//! For every batch of bytes, in this order:
//!
//! 1. **collect**: one read (`pass`, `split`), or every read within the `merge` window;
//! 2. **budget**: cut the batch where `close-after`/`reset-after` says the bytes stop;
//! 3. **delay**: hold the batch;
//! 4. **cut**: the probe's [`Chunking`] cuts it into `split`'s pieces (or leaves it whole);
//! 5. **rate**: each piece goes out in slices small enough to keep to the rate, paced;
//! 6. **write** each piece with its own `write_all`, pausing between `split`'s pieces so that
//!    the receiver's kernel hands them over one by one (the sockets have TCP_NODELAY on, so our
//!    kernel does not glue them back together first).
//!
//! Only the grouping changes: every byte read is written, in order, until the budget ends it.
//! Every wait is on the shutdown channel, so Ctrl-C interrupts a pause at once.

use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::report::{DirectionEnd, Report, Tally, Way};
use super::spec::{Cut, Ending, Rechunk, Spec};
use crate::probe::{A_MOMENT, Chunking, SplitMix64, wait_until_read};
use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons::timeout::is_timeout;

/// How much one read takes at most. 64 KiB is what a loopback socket typically holds at once,
/// so a bulk transfer moves in few, large steps.
const READ_SIZE: usize = 64 * 1024;
/// A `merge` window flushes early once it holds this much, so memory stays bounded.
const MERGE_LIMIT: usize = 1024 * 1024;

/// Everything one direction needs to know besides its two sockets.
pub struct Direction<'a> {
    pub conn: u64,
    pub way: Way,
    pub spec: &'a Spec,
    /// The cut of `split:random`, seeded per connection and direction.
    pub random: SplitMix64,
    pub shutdown: &'a ShutdownSignal,
    pub report: &'a Report,
    /// When the last piece was written (for `split`'s pause).
    pub last_piece: Option<Instant>,
}

/// Moves bytes from `from` to `to` until the sender closes, something fails, the budget is
/// spent or shutdown comes; says which, with what it counted.
pub fn pump(
    from: &mut TcpStream,
    to: &mut TcpStream,
    mut direction: Direction<'_>,
) -> (DirectionEnd, Tally) {
    let mut tally = Tally::default();
    let end = direction.run(from, to, &mut tally);
    // 0 bytes from a socket that shutdown closed is not the peer's goodbye.
    let end = match end {
        DirectionEnd::Closed if direction.shutdown.is_triggered() => DirectionEnd::Shutdown,
        other => other,
    };
    (end, tally)
}

impl Direction<'_> {
    fn run(&mut self, from: &mut TcpStream, to: &mut TcpStream, tally: &mut Tally) -> DirectionEnd {
        let mut buf = vec![0u8; READ_SIZE];
        let mut budget = self.spec.end.map(|(bytes, _)| bytes);
        let mut paced = self.spec.rate.map(Pacer::new);
        loop {
            if budget == Some(0) {
                return self.budget_spent();
            }
            let (mut batch, closed) = match self.collect(from, &mut buf, tally) {
                Ok(collected) => collected,
                Err(e) => return DirectionEnd::Failed(e),
            };
            if let Some(left) = budget.as_mut() {
                let keep = batch
                    .len()
                    .min(usize::try_from(*left).unwrap_or(usize::MAX));
                batch.truncate(keep);
                *left -= keep as u64;
            }
            if !batch.is_empty() {
                if let Some(delay) = self.spec.delay {
                    if self.shutdown.wait_timeout(delay) {
                        return DirectionEnd::Shutdown;
                    }
                }
                if let Err(e) = self.send(to, &batch, &mut paced, tally) {
                    return e;
                }
            }
            if budget == Some(0) {
                return self.budget_spent();
            }
            if closed {
                return DirectionEnd::Closed;
            }
        }
    }

    fn budget_spent(&self) -> DirectionEnd {
        match self.spec.end {
            Some((_, Ending::Reset)) => DirectionEnd::Budget("reset-after"),
            _ => DirectionEnd::Budget("close-after"),
        }
    }

    // ANCHOR: collect
    /// Step 1: the next batch, and whether the sender has closed after it.
    fn collect(
        &self,
        from: &mut TcpStream,
        buf: &mut [u8],
        tally: &mut Tally,
    ) -> io::Result<(Vec<u8>, bool)> {
        let first = self.read(from, buf, tally)?;
        let mut batch = buf[..first].to_vec();
        if first == 0 {
            return Ok((batch, true));
        }
        let Rechunk::Merge(window) = self.spec.chunking else {
            return Ok((batch, false));
        };
        // Keep reading until the window, counted from the first byte, is over.
        let deadline = Instant::now() + window;
        let mut closed = false;
        while batch.len() < MERGE_LIMIT {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            from.set_read_timeout(Some(left))?;
            match self.read(from, buf, tally) {
                Ok(0) => {
                    closed = true;
                    break;
                }
                Ok(n) => batch.extend_from_slice(&buf[..n]),
                Err(e) if is_timeout(&e) => break,
                Err(e) => return Err(e),
            }
        }
        from.set_read_timeout(None)?;
        Ok((batch, closed))
    }
    // ANCHOR_END: collect

    /// One read, reported as an `in` event.
    fn read(&self, from: &mut TcpStream, buf: &mut [u8], tally: &mut Tally) -> io::Result<usize> {
        let n = loop {
            match from.read(buf) {
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        if n > 0 {
            tally.reads += 1;
            tally.bytes_in += n as u64;
            self.report.chunk(self.conn, self.way, "in", &buf[..n]);
        }
        Ok(n)
    }

    /// Steps 4 to 6: cut the batch and write its pieces.
    fn send(
        &mut self,
        to: &mut TcpStream,
        batch: &[u8],
        paced: &mut Option<Pacer>,
        tally: &mut Tally,
    ) -> Result<(), DirectionEnd> {
        let (chunking, pause) = match self.spec.chunking {
            Rechunk::Split {
                cut: Cut::Fixed(n),
                pause,
            } => (Chunking::Fixed(n), pause),
            Rechunk::Split {
                cut: Cut::Random { min, max },
                pause,
            } => (
                // A fresh seed per batch from the connection's generator: the same seed and the
                // same reads give the same cuts.
                Chunking::Random {
                    seed: self.random.next_u64(),
                    min,
                    max,
                },
                pause,
            ),
            Rechunk::Pass | Rechunk::Merge(_) => (Chunking::Whole, Duration::ZERO),
        };
        let pieces = chunking.cut(batch);
        // `@read`: each piece waits until the receiver has read the last one, for a moment at
        // most; a receiver that does not read within it (busy elsewhere) is not waited for again
        // in this batch, so a batch of many pieces cannot take many moments.
        let mut wait_for_reader = self.spec.until_read;
        for piece in pieces {
            if wait_for_reader {
                wait_for_reader = wait_until_read(to, A_MOMENT);
            }
            // The pause keeps every two pieces apart, also the last of one batch and the first
            // of the next: otherwise the receiver could read them as one.
            if let Some(last) = self.last_piece.filter(|_| !pause.is_zero()) {
                let left = (last + pause).saturating_duration_since(Instant::now());
                if !left.is_zero() && self.shutdown.wait_timeout(left) {
                    return Err(DirectionEnd::Shutdown);
                }
            }
            let slices: Vec<&[u8]> = match paced {
                Some(pacer) => piece.chunks(pacer.slice).collect(),
                None => vec![piece],
            };
            for slice in slices {
                if let Err(e) = to.write_all(slice) {
                    return Err(DirectionEnd::Failed(e));
                }
                tally.writes += 1;
                tally.bytes_out += slice.len() as u64;
                self.report.chunk(self.conn, self.way, "out", slice);
                if !pause.is_zero() {
                    self.last_piece = Some(Instant::now());
                }
                if let Some(pacer) = paced {
                    if self.shutdown.wait_timeout(pacer.after(slice.len())) {
                        return Err(DirectionEnd::Shutdown);
                    }
                }
            }
        }
        Ok(())
    }
}

/// Keeps a direction to a rate: after each slice, how long to wait before the next may go, so
/// that no stretch of the stream runs faster than `rate` bytes per second. Idle time is not
/// saved up as credit for a burst later.
struct Pacer {
    rate: u64,
    slice: usize,
    /// When the link, as we pretend it, is free again.
    free_at: Option<Instant>,
}

impl Pacer {
    fn new(rate: u64) -> Pacer {
        Pacer {
            rate,
            // A fiftieth of a second's worth: smooth enough to look like a slow link.
            slice: usize::try_from(rate / 50).unwrap_or(usize::MAX).max(1),
            free_at: None,
        }
    }

    /// `bytes` have just been written: how long until the next slice may go.
    fn after(&mut self, bytes: usize) -> Duration {
        let now = Instant::now();
        let from = self.free_at.map_or(now, |free| free.max(now));
        let free = from + Duration::from_secs_f64(bytes as f64 / self.rate as f64);
        self.free_at = Some(free);
        free.saturating_duration_since(now)
    }
}
