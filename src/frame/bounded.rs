//! Bounded reads: exactly the bytes a part of the frame announced, and never a buffer bigger than
//! what has actually arrived.

use std::io::{self, Read};

use md5::{Digest, Md5};

use super::FrameError;

// ANCHOR: read_length
/// Reads a 4-byte big-endian length.
///
/// `Ok(None)` if the stream ended before the first byte (a clean goodbye);
/// an error if it ended after 1 to 3 bytes. The tutorial's `conn.recv(4)`
/// silently assumed it always gets all 4; a single `read` is allowed to return
/// fewer, which is why this goes through [`read_up_to`], which keeps reading.
pub(super) fn read_length(
    r: &mut impl Read,
    what: &'static str,
) -> Result<Option<u32>, FrameError> {
    let bytes = read_up_to(r, 4, None)?;
    match <[u8; 4]>::try_from(bytes.as_slice()) {
        Ok(four) => Ok(Some(u32::from_be_bytes(four))),
        Err(_) if bytes.is_empty() => Ok(None),
        Err(_) => Err(FrameError::EndedMidFrame {
            what,
            expected: 4,
            received: bytes.len() as u64,
        }),
    }
}
// ANCHOR_END: read_length

/// Reads exactly `n` bytes; if the stream ends first, says how far it got.
///
/// If `md5` is given, it takes in the bytes as they arrive (see [`read_up_to`]).
pub(super) fn read_exactly(
    r: &mut impl Read,
    n: u64,
    what: &'static str,
    md5: Option<&mut Md5>,
) -> Result<Vec<u8>, FrameError> {
    let bytes = read_up_to(r, n, md5)?;
    let received = bytes.len() as u64;
    if received < n {
        return Err(FrameError::EndedMidFrame {
            what,
            expected: n,
            received,
        });
    }
    Ok(bytes)
}

/// How much memory we commit before any bytes have arrived: 64 KiB.
const INITIAL_CAPACITY: u64 = 64 * 1024;

/// How many bytes [`read_up_to`] reads before it hands them to the md5: 1 MiB.
///
/// Small enough that the md5 finds the bytes still in the CPU's cache (a core's L2 cache holds
/// 1 to 2 MiB on current x86 CPUs) and finishes soon after the last one arrives. Large enough
/// that the steps cost next to nothing: each `read_to_end` starts again with an 8 KiB read and
/// doubles from there, so 64 KiB steps took about 9% more of the receiver's CPU time than one
/// read of the whole body, and 1 MiB steps about 3% (measured on a 64 MiB body over loopback).
const STEP: u64 = 1024 * 1024;

/// Reads until `n` bytes have arrived or the stream ends, whichever is first,
/// and returns what arrived. Every read in this module goes through here.
///
/// The obvious code is `let mut buf = vec![0; n]; r.read_exact(&mut buf)`. It has
/// two problems for a network reader:
///
/// * it allocates all `n` bytes *before* the first one arrives. A peer can
///   announce a body right at the limit and then send nothing; multiply by
///   every open connection and the server is out of memory without anyone
///   having sent any data;
/// * `read_exact` reports a short stream as `UnexpectedEof` but throws away how
///   many bytes it did get, which is what our error message wants to say.
///
/// So instead we start small and let the buffer grow as bytes *actually
/// arrive*: `take` makes the reader stop after so many bytes, and `read_to_end`
/// keeps calling `read` (retrying on `ErrorKind::Interrupted`, growing the
/// vector by doubling) until they arrived or the peer closed. Memory use
/// follows the data the peer really sent: while reading, at most about twice
/// that (the vector doubles), and exactly that once we are done.
///
/// Doubling costs little: ten reallocations take 64 KiB to 64 MiB, and
/// `read_to_end` reads straight into the vector's spare room, without an extra
/// copy (and, when the reader is a bare `TcpStream`, without zeroing that room first).
///
/// Why in steps, and not all `n` bytes in one `read_to_end`? For the md5, which is the slowest
/// thing a frame reader does (a few hundred MB/s). After each step the md5 takes in the bytes
/// that just arrived, while the peer's next bytes are on their way. On a real network, bytes
/// come slower than md5 can hash them (1 Gbit/s is 125 MB/s), so the hashing hides in the time
/// spent waiting for the network, and the md5 is ready almost as soon as the last byte is in.
/// Hashing after the last byte would add a whole pass over the body at the end. (Over loopback,
/// where bytes come faster than md5 can hash them, the two orders take about as long:
/// `tools/benches/frame_throughput.rs` measures both cases.) It also means a frame comes out with its
/// md5 already computed, so that [`Frame::check_md5`](super::Frame::check_md5) is only a
/// comparison.
// ANCHOR: read_up_to
fn read_up_to(r: &mut impl Read, n: u64, mut md5: Option<&mut Md5>) -> io::Result<Vec<u8>> {
    // `usize::try_from` cannot fail after `min` with a 64 KiB constant,
    // but saying so beats an `as` cast that would hide a mistake.
    let capacity = usize::try_from(n.min(INITIAL_CAPACITY)).unwrap_or(0);
    let mut buf = Vec::with_capacity(capacity);
    // `by_ref` lends `take` the reader instead of giving it away, so the
    // caller can keep reading the next frame from the same stream.
    let mut part = r.by_ref().take(n);
    loop {
        let start = buf.len();
        // One step: at most `STEP` bytes, fewer if the part ends sooner.
        let got = part.by_ref().take(STEP).read_to_end(&mut buf)?;
        if got == 0 {
            break; // All `n` bytes are here, or the stream ended early (`buf` is short then).
        }
        if let Some(md5) = &mut md5 {
            md5.update(&buf[start..]);
        }
    }
    // Doubling can overshoot: a 64 MiB body ends up in a 128 MiB allocation.
    // Give the unused room back, so a frame kept around costs only its bytes.
    // (For big buffers the allocator just unmaps the tail: nothing is copied.)
    buf.shrink_to_fit();
    Ok(buf)
}
// ANCHOR_END: read_up_to
