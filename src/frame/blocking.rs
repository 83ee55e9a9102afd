//! The 终极版 (final version), blocking: write a frame in one call, read one in one call.
//!
//! This is the code lesson 6 teaches, and it reads the way the protocol is drawn: 4 bytes, the
//! header, the body. Each call blocks until its whole frame has passed.

use std::io::{self, Read, Write};

use md5::{Digest, Md5};

use super::bounded::{read_exactly, read_length};
use super::header::parse_header;
use super::{Frame, FrameError, Header, Limits};

// ANCHOR: write_frame
/// Writes one frame carrying `body`, under a header that gives its size and its md5.
pub fn write_frame(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    write_frame_with(w, &Header::for_body(body), body)
}

/// Writes one frame under a header of the caller's: header length, header, body.
///
/// The header may carry more fields than `total_size` and `md5` (a file name, say). Its
/// `total_size` must be the length of `body`: any other number would send the peer off reading
/// the wrong bytes, so it is refused with `InvalidInput` before anything is written.
///
/// A small frame goes out in a single `write_all`. Two writes followed by a read (write the
/// header, write the body, wait for the reply) is the classic recipe for a stall: Nagle's
/// algorithm holds the second small write until the first is acknowledged, and the peer delays
/// that acknowledgement by 40 ms or more, hoping to piggyback it on data. Every request of a
/// chatty client would pay that wait. A large body fills whole segments, so it is written
/// separately rather than copied into a second buffer.
pub fn write_frame_with(w: &mut impl Write, header: &Header, body: &[u8]) -> io::Result<()> {
    if header.total_size != body.len() as u64 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the header announces a {}-byte body, but the body has {} bytes",
                header.total_size,
                body.len()
            ),
        ));
    }
    let mut frame = header_bytes(header, body.len().min(SMALL_BODY))?;

    if body.len() <= SMALL_BODY {
        frame.extend_from_slice(body);
        w.write_all(&frame)?;
    } else {
        w.write_all(&frame)?;
        w.write_all(body)?;
    }
    // A no-op for a bare TcpStream, but if the caller wrapped it in a
    // BufWriter, the frame would otherwise sit in memory while the peer waits.
    w.flush()
}

/// The first two parts of a frame, the header's 4-byte length and the header, in a buffer with
/// room for `room` more bytes behind them (the body, when it goes out in the same write).
pub(super) fn header_bytes(header: &Header, room: usize) -> io::Result<Vec<u8>> {
    // Reserve 4 bytes for the length, write the JSON after them, then go back
    // and fill in the length once we know it.
    let mut frame = Vec::with_capacity(4 + 80 + room);
    frame.extend_from_slice(&[0; 4]);
    serde_json::to_writer(&mut frame, header)
        .expect("a Header (numbers, strings, JSON values) always serializes to JSON");
    // Only a header of 4 GiB or more (a huge extra field) does not fit; say so rather than send
    // a wrong length.
    let header_len = u32::try_from(frame.len() - 4).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "a header of 4 GiB or more does not fit in its 4-byte length",
        )
    })?;
    frame[..4].copy_from_slice(&header_len.to_be_bytes());
    Ok(frame)
}

/// Bodies up to this size are copied behind the header and sent in one write.
pub(super) const SMALL_BODY: usize = 64 * 1024;
// ANCHOR_END: write_frame

/// Tells the peer why we are about to hang up on it: a frame whose header carries an `error`
/// field and whose body is the same sentence, so that a client that only prints bodies (ours)
/// shows it too. The peer may be gone already; the caller ignores a failure.
pub fn write_error(w: &mut impl Write, reason: impl std::fmt::Display) -> io::Result<()> {
    let body = format!("error: {reason}\n");
    let header = Header::for_body(body.as_bytes()).with("error", reason.to_string());
    write_frame_with(w, &header, body.as_bytes())
}

// ANCHOR: read_frame
/// Reads the first two parts of a frame, the header length and the header, and stops before
/// the body.
///
/// * `Ok(Some(header))`: a whole header arrived, and the body it announces is within `limits`.
/// * `Ok(None)`: the stream ended cleanly *before the first byte* of a frame.
///   That is how a peer says goodbye, not an error.
/// * `Err(_)`: anything else; see [`FrameError`].
///
/// [`read_frame`] goes on to read the body into memory; a file too big for memory is read
/// with a [`BodyReader`](super::BodyReader) instead (lesson 8).
pub fn read_header(r: &mut impl Read, limits: &Limits) -> Result<Option<Header>, FrameError> {
    // Step 1: the fixed-size part, the 4-byte header length.
    let Some(header_len) = read_length(r, "header length")? else {
        return Ok(None);
    };

    // Step 2: the header. Check the announced length *before* allocating it.
    limits.check_header_len(header_len)?;
    let header_bytes = read_exactly(r, u64::from(header_len), "header", None)?;
    let header = parse_header(&header_bytes)?;

    // The body's limit is checked now, before a single body byte is read, whoever reads it.
    limits.check_body_len(header.total_size)?;
    Ok(Some(header))
}

/// Reads exactly one frame: [`read_header`], then the body.
///
/// The answers are `read_header`'s, with the whole frame in `Ok(Some(frame))`.
///
/// The md5 is not checked here (not every caller wants it), but it is computed
/// while the body arrives, so [`Frame::check_md5`] on the result costs nothing more.
///
/// A read that fails part-way through a frame (a read timeout, say) loses the
/// bytes read so far, and with them the place in the stream.
/// [`FrameReader`](super::FrameReader) is the reader that can stop at a timeout
/// and resume.
pub fn read_frame(r: &mut impl Read, limits: &Limits) -> Result<Option<Frame>, FrameError> {
    // Steps 1 and 2: the 4-byte length, then the header it announces.
    let Some(header) = read_header(r, limits)? else {
        return Ok(None);
    };

    // Step 3: the body, exactly `total_size` bytes (its limit was checked with the header).
    // The md5 takes in the body's bytes as they arrive.
    let mut md5 = Md5::new();
    let body = read_exactly(r, header.total_size, "body", Some(&mut md5))?;

    Ok(Some(Frame::arrived(header, body, md5)))
}
// ANCHOR_END: read_frame
