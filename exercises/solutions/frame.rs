//! The frame of lesson 6 (the tutorial's 终极版, with its two fixes): 4 bytes, big-endian,
//! giving the header's length; the header, a JSON object with `total_size` (the body's length)
//! and `md5`; then the body. Lessons 8 and 10 send every message in it too.
//!
//! A reader reads exactly each part, however the bytes were cut up or glued together on the
//! way, and checks every size the peer announces before it reads that many bytes.

// Three programs share this file, and none of them needs all of it.
#![allow(dead_code)]

use std::io::{self, ErrorKind, Read, Write};

use md5::{Digest, Md5};
use serde_json::{Map, Value};

/// The longest header a reader accepts, checked before a single header byte is read.
pub const MAX_HEADER: u32 = 64 * 1024;

/// A header: a JSON object (`total_size`, `md5`, and whatever else the sender put in it).
pub type Header = Map<String, Value>;

/// One frame, as it arrived.
pub struct Frame {
    pub header: Header,
    pub body: Vec<u8>,
}

impl Frame {
    /// Whether the body is the one the header's md5 describes. A frame without an md5 is not
    /// checked: the field is optional.
    pub fn check_md5(&self) -> Result<(), String> {
        match self.header.get("md5") {
            None | Some(Value::Null) => Ok(()),
            Some(Value::String(expected))
                if expected.eq_ignore_ascii_case(&md5_hex(&self.body)) =>
            {
                Ok(())
            }
            Some(expected) => Err(format!(
                "the body's md5 is {}, but the header says {expected}",
                md5_hex(&self.body)
            )),
        }
    }

    /// The header field `name`, if it is a string.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }
}

/// The md5 of `bytes` as 32 lower-case hex digits, like Python's `hexdigest()`.
pub fn md5_hex(bytes: &[u8]) -> String {
    format!("{:x}", Md5::digest(bytes))
}

/// Writes one frame carrying `body`, under a header of its size and md5.
pub fn write_frame(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    write_frame_with(w, Header::new(), body)
}

/// Writes one frame under `header`, to which the body's `total_size` and `md5` are added. The
/// three parts go out in one write: three small writes and then a read is what Nagle's
/// algorithm holds back.
pub fn write_frame_with(w: &mut impl Write, mut header: Header, body: &[u8]) -> io::Result<()> {
    header.insert("total_size".into(), body.len().into());
    header.insert("md5".into(), md5_hex(body).into());
    let header = serde_json::to_vec(&header)?;
    let header_len = u32::try_from(header.len()).map_err(|_| invalid("a header over 4 GiB"))?;
    let mut frame = Vec::with_capacity(4 + header.len() + body.len());
    // ANCHOR: header_length_write
    frame.extend_from_slice(&header_len.to_be_bytes());
    // ANCHOR_END: header_length_write
    frame.extend_from_slice(&header);
    frame.extend_from_slice(body);
    w.write_all(&frame)
}

/// Says why before hanging up: a frame whose header has `error` and whose body is the sentence.
pub fn write_error(w: &mut impl Write, reason: &str) -> io::Result<()> {
    let mut header = Header::new();
    header.insert("error".into(), reason.into());
    write_frame_with(w, header, format!("error: {reason}\n").as_bytes())
}

/// Reads one whole frame, its body at most `max_body` bytes. `Ok(None)`: the stream ended
/// before the frame's first byte, which is how a peer says goodbye.
pub fn read_frame(r: &mut impl Read, max_body: u64) -> io::Result<Option<Frame>> {
    let Some((header, total_size)) = read_header(r, max_body)? else {
        return Ok(None);
    };
    // ANCHOR: body
    let body = read_exactly(r, total_size, "body")?;
    // ANCHOR_END: body
    Ok(Some(Frame { header, body }))
}

/// Reads the first two parts of a frame: the header, and the body's size it announces, checked
/// against `max_body`. The body is the next `total_size` bytes of the stream (lesson 8 copies a
/// file's straight to the disk). `Ok(None)` as for [`read_frame`].
pub fn read_header(r: &mut impl Read, max_body: u64) -> io::Result<Option<(Header, u64)>> {
    // ANCHOR: header_length
    // Exactly 4 bytes: one `read` (the tutorial's `recv(4)`) may return fewer.
    let mut length = [0u8; 4];
    if !read_first_part(r, &mut length)? {
        return Ok(None);
    }
    let header_len = u32::from_be_bytes(length);
    // ANCHOR_END: header_length
    // The peer's number is checked before we read (or keep) that many bytes.
    if header_len > MAX_HEADER {
        return Err(invalid(format!(
            "the header length prefix says {header_len} bytes, over the {MAX_HEADER}-byte header limit"
        )));
    }
    let header = read_exactly(r, u64::from(header_len), "header")?;
    let header: Value = serde_json::from_slice(&header)
        .map_err(|e| invalid(format!("the header is not valid header JSON: {e}")))?;
    let Value::Object(header) = header else {
        return Err(invalid("the header is JSON but not an object"));
    };
    let Some(total_size) = header.get("total_size").and_then(Value::as_u64) else {
        return Err(invalid(
            "the header has no \"total_size\" field holding a non-negative whole number",
        ));
    };
    if total_size > max_body {
        return Err(invalid(format!(
            "the peer announced a {total_size}-byte body, over the {max_body}-byte limit"
        )));
    }
    Ok(Some((header, total_size)))
}

/// Fills `buf` whole. `false` if the stream ended before its first byte (a clean goodbye); an
/// end after some of it is an error: the peer left in the middle of a frame.
fn read_first_part(r: &mut impl Read, buf: &mut [u8]) -> io::Result<bool> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) if got == 0 => return Ok(false),
            Ok(0) => return Err(ended_early(buf.len() as u64, got as u64, "header length")),
            Ok(n) => got += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Reads exactly `n` bytes of `part`. The buffer grows as bytes arrive, never by the number the
/// peer announced: a peer that announces 8 MiB and sends nothing costs nothing.
fn read_exactly(r: &mut impl Read, n: u64, part: &str) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    // `take(n)` also stops the read at the part's end: never a byte of the next frame.
    r.take(n).read_to_end(&mut buf)?;
    if (buf.len() as u64) < n {
        return Err(ended_early(n, buf.len() as u64, part));
    }
    Ok(buf)
}

fn ended_early(expected: u64, received: u64, part: &str) -> io::Error {
    io::Error::new(
        ErrorKind::UnexpectedEof,
        format!(
            "the connection ended in the middle of a frame: expected {expected} bytes of {part}, received only {received}"
        ),
    )
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(ErrorKind::InvalidData, message.into())
}
