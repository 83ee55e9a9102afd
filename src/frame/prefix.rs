//! The 初级版 (first version): a bare 4-byte length in front of the body, and nothing else.
//!
//! It already cures 粘包, because the reader is told where each message ends. What it cannot do
//! is say anything *but* the length; the 终极版 in [`super::blocking`] puts a JSON header there.

use std::io::{self, Read, Write};

use super::FrameError;
use super::bounded::{read_exactly, read_length};

// ANCHOR: write_length_prefixed
/// The 初级版 (first version): a bare 4-byte big-endian length, then the body.
///
/// This is the step between "just send it" (which suffers from 粘包) and the
/// full frame. It fixes the gluing, but can only say one thing: how long.
/// Bodies of 4 GiB or more cannot be described by a `u32`, so they are refused
/// with `InvalidInput` instead of silently sending a wrong length.
pub fn write_length_prefixed(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    let len = u32::try_from(body.len()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "a {}-byte body does not fit in a 4-byte length prefix",
                body.len()
            ),
        )
    })?;
    // One write, for the same reason as in `write_frame`: a lone 4-byte write followed by the
    // body would invite the Nagle / delayed-ACK stall. (This first version simply copies the
    // body; `write_frame` shows how to avoid the copy for big bodies.)
    let mut message = Vec::with_capacity(4 + body.len());
    message.extend_from_slice(&len.to_be_bytes());
    message.extend_from_slice(body);
    w.write_all(&message)?;
    w.flush()
}
// ANCHOR_END: write_length_prefixed

// ANCHOR: read_length_prefixed
/// Reads one 初级版 message: a 4-byte big-endian length, then that many bytes.
///
/// `Ok(None)` means the stream ended cleanly before the first byte, exactly as
/// in [`read_frame`](super::read_frame).
pub fn read_length_prefixed(
    r: &mut impl Read,
    max_body_len: u64,
) -> Result<Option<Vec<u8>>, FrameError> {
    let Some(len) = read_length(r, "length prefix")? else {
        return Ok(None);
    };
    let len = u64::from(len);
    if len > max_body_len {
        return Err(FrameError::BodyTooLarge {
            size: len,
            limit: max_body_len,
        });
    }
    read_exactly(r, len, "body", None).map(Some)
}
// ANCHOR_END: read_length_prefixed
