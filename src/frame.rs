//! The frame: how two programs agree where one message ends and the next begins.
//!
//! # The problem: TCP is a stream, not a sequence of messages
//!
//! TCP promises that the bytes arrive, in order, exactly once. It does *not*
//! promise that one `send` on one side becomes one `recv` on the other. Two small
//! sends can arrive glued together in a single `recv`, and one large send can
//! arrive spread over many. The tutorial calls this 粘包 ("sticky packets"):
//! the output of `dir` gets mixed into the reply to the next command, because
//! the client read 1024 bytes and the reply was longer.
//!
//! No amount of sleeping or bigger buffers fixes this. The receiver needs to be
//! *told* how many bytes belong to the current message, before it reads them.
//!
//! # The cure: say the length first
//!
//! Every message in this project travels as a *frame*:
//!
//! ```text
//! +----------------------+----------------------------+--------------------------+
//! | header length: u32   | header: UTF-8 JSON object  | body: total_size bytes   |
//! | big-endian (network) | {"total_size": N,          |                          |
//! |                      |  "md5": "<hex of body>",   |                          |
//! |                      |  ...more fields allowed}   |                          |
//! +----------------------+----------------------------+--------------------------+
//! ```
//!
//! The reader always knows how much to read next:
//!
//! 1. exactly 4 bytes, the header length (it is always 4, that is the point);
//! 2. exactly that many bytes of header, which is JSON it can parse;
//! 3. exactly `total_size` bytes of body, as the header says.
//!
//! After that, the next byte on the stream is the first byte of the next frame.
//! Gluing and splitting no longer matter, because the reader never guesses.
//! Two frames glued into one buffer come out as two frames, and then a clean end:
//!
//! ```
//! use socket_lessons::frame::{read_frame, write_frame, Limits};
//!
//! let mut wire = Vec::new();
//! write_frame(&mut wire, b"echo a")?;
//! write_frame(&mut wire, b"echo b")?;
//!
//! let mut reader = &wire[..];
//! let first = read_frame(&mut reader, &Limits::REQUEST)?.expect("a first frame");
//! let second = read_frame(&mut reader, &Limits::REQUEST)?.expect("a second frame");
//! assert_eq!(first.body, b"echo a");
//! assert_eq!(second.body, b"echo b");
//! assert_eq!(second.header.total_size, 6);
//! assert!(read_frame(&mut reader, &Limits::REQUEST)?.is_none()); // the stream ended cleanly
//! # Ok::<(), socket_lessons::frame::FrameError>(())
//! ```
//!
//! Why a JSON header and not just a length in front of the body? A bare length
//! works (the tutorial's "初级版", kept here as [`write_length_prefixed`] and
//! [`read_length_prefixed`]), but it can only ever carry one number. A JSON
//! header can grow: a file name, a command status, a checksum. Old readers
//! ignore fields they do not know, so new fields do not break them.
//!
//! # Why "network byte order" (big-endian)
//!
//! The tutorial packs the length with `struct.pack('i', n)`. That format is
//! *native* byte order, *signed*, 4 bytes. Three problems hide in there:
//!
//! * native order: an x86 machine writes the bytes of 5 as `05 00 00 00`; a
//!   big-endian machine reads those same bytes as 83886080. Both sides must
//!   agree on one order, and the Internet's convention is big-endian, "network
//!   byte order";
//! * signed: `'i'` tops out at 2^31 - 1, so a reply of 2 GiB or more does not fit
//!   (Python raises `struct.error`);
//! * it is only correct by accident, when both ends run on the same kind of CPU.
//!
//! The Python fix is `struct.pack('!I', n)`: `!` means network order, `I` means
//! unsigned. In Rust the same thing is [`u32::to_be_bytes`] and
//! [`u32::from_be_bytes`] ("be" = big-endian). The body size itself lives in the
//! JSON header as a `u64`, so it has no 4 GiB ceiling at all.
//!
//! # Why limits are part of the protocol
//!
//! A length prefix is a promise made by the *peer*, and the peer may be buggy or
//! hostile. If we believed a header that says "the body is 4 GiB" and allocated
//! 4 GiB, one bad client could take the server down, and a few hundred
//! connections announcing 8 MiB each and then sending nothing would do the same
//! more slowly. So every reader here takes a [`Limits`] and:
//!
//! * checks each announced size against the limit *before* allocating anything
//!   of that size, and
//! * grows the body buffer only as bytes actually arrive, so an announced size
//!   costs nothing until the peer really sends it.
//!
//! Every way a frame can be wrong has its own [`FrameError`] variant, so the
//! caller (and the student reading a log) can tell a protocol violation from a
//! dropped connection.
//!
//! # Why an md5 in the header
//!
//! TCP already checksums every segment, so the md5 is not there to catch
//! flipped bits on the wire. It catches *our* bugs and the tutorial's: a reader
//! that read too few bytes, a body that was truncated or padded, a file that
//! changed while it was being sent. `md5` is not a security measure (it is
//! broken for that); it is a cheap end-to-end "did the whole thing arrive
//! intact?" check. [`Frame::check_md5`] does the comparison; the header carries
//! the md5 as an optional field, because a frame without one is still a frame.

use std::io::{self, Read, Write};

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

/// How much a reader is willing to accept from its peer.
///
/// Both numbers are checked before any buffer of that size is allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest header (the JSON part) we will read, in bytes.
    pub max_header_len: u32,
    /// The largest body we will read, in bytes.
    pub max_body_len: u64,
}

/// 64 KiB: a header is a handful of short fields, so this is generous.
const MAX_HEADER_LEN: u32 = 64 * 1024;

impl Limits {
    /// What a server accepts from a client: 64 KiB of header, 8 MiB of body.
    ///
    /// 8 MiB is the default maximum frame length of tokio-util's
    /// `LengthDelimitedCodec`, a well-worn choice for "one request" in Rust.
    pub const REQUEST: Limits = Limits {
        max_header_len: MAX_HEADER_LEN,
        max_body_len: 8 * 1024 * 1024,
    };

    /// What a client accepts from a server: 64 KiB of header, 128 MiB of body.
    ///
    /// The client asked for the reply (the output of a command, a file), so it
    /// trusts the server more than the server trusts an arbitrary client. But
    /// not blindly: a server bug that announces 2^60 bytes must still be an
    /// error, not an attempt to allocate. 128 MiB leaves room for the 64 MiB
    /// reply the benchmark sends.
    pub const REPLY: Limits = Limits {
        max_header_len: MAX_HEADER_LEN,
        max_body_len: 128 * 1024 * 1024,
    };
}

/// The JSON header (报头) that precedes every body.
///
/// On the wire it looks like `{"total_size":5,"md5":"5d41402abc4b2a76b9719d911017c592"}`.
/// A peer may send more fields (a file name, say); they are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// How many body bytes follow the header. The only field a reader needs.
    pub total_size: u64,
    /// Lower-case hex md5 of the body, like Python's `hashlib.md5(b).hexdigest()`.
    /// Optional: a frame without it is valid, it just cannot be checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
}

/// One complete message: its header and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub header: Header,
    pub body: Vec<u8>,
}

/// The outcome of comparing a frame's body with the md5 its header announced.
///
/// A plain `bool` would have to lie in one case: when the header carries no md5
/// at all, the body is neither "verified" nor "corrupt". So there are three answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Md5Check {
    /// The header's md5 equals the md5 of the body we received.
    Matches,
    /// The header announced one md5, the body we received has another.
    Mismatch { expected: String, actual: String },
    /// The header had no md5 field, so there was nothing to compare against.
    Absent,
}

impl Frame {
    /// Wraps a body in a frame, filling in `total_size` and `md5` from it.
    pub fn new(body: Vec<u8>) -> Frame {
        Frame {
            header: header_for(&body),
            body,
        }
    }

    /// Recomputes the md5 of the body and compares it with the header's.
    pub fn check_md5(&self) -> Md5Check {
        let Some(expected) = &self.header.md5 else {
            return Md5Check::Absent;
        };
        let actual = md5_hex(&self.body);
        // We always send lower case (as Python's hexdigest() does), but hex is
        // hex: a peer that sends "5D41..." means the same digest, so we accept it.
        if expected.eq_ignore_ascii_case(&actual) {
            Md5Check::Matches
        } else {
            Md5Check::Mismatch {
                expected: expected.clone(),
                actual,
            }
        }
    }
}

/// The md5 of `bytes` as 32 lower-case hex digits, like Python's `hexdigest()`.
pub fn md5_hex(bytes: &[u8]) -> String {
    format!("{:x}", Md5::digest(bytes))
}

/// Everything that can go wrong while reading a frame.
///
/// Each way a peer can break the protocol gets its own variant, so that callers
/// can react differently (log and drop the client, say) and tests can check that
/// the *right* thing went wrong, not just that something did.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The socket itself failed (connection reset, timeout, ...).
    #[error("I/O error while reading a frame: {0}")]
    Io(#[from] io::Error),

    /// The 4-byte prefix announced a header bigger than we accept.
    #[error("the header length prefix says {len} bytes, over the {limit}-byte header limit")]
    HeaderTooLong { len: u32, limit: u32 },

    /// The header (or, in the 初级版, the length prefix) announced a body bigger
    /// than we accept.
    #[error("the peer announced a {size}-byte body, over the {limit}-byte limit")]
    BodyTooLarge { size: u64, limit: u64 },

    /// The header bytes are not valid UTF-8, so they cannot be JSON text.
    #[error("the header is not valid UTF-8 text")]
    HeaderNotUtf8,

    /// The header is text but not valid JSON, or a known field has the wrong
    /// type (an `"md5"` that is not a string); serde's message says which.
    #[error("the header is not valid header JSON: {0}")]
    HeaderNotJson(#[source] serde_json::Error),

    /// The header is valid JSON, but not an object (`[1, 2]`, `5`, `"hi"`, `null`).
    #[error(r#"the header is JSON but not an object; expected something like {{"total_size": 5}}"#)]
    HeaderNotObject,

    /// The header is a JSON object without a usable `"total_size"`.
    #[error(r#"the header has no "total_size" field holding a non-negative whole number"#)]
    MissingTotalSize,

    /// The peer closed the connection part-way through a frame.
    #[error(
        "the connection ended in the middle of a frame: expected {expected} bytes of {what}, received only {received}"
    )]
    EndedMidFrame {
        /// Which part was cut short: "header length", "header" or "body"
        /// ("length prefix" in the 初级版).
        what: &'static str,
        expected: u64,
        received: u64,
    },
}

/// Lets code that works in `io::Result` (a client, a server loop) use `?` on frame errors: an I/O
/// failure stays what it was; a protocol violation becomes `InvalidData` with its message.
impl From<FrameError> for io::Error {
    fn from(e: FrameError) -> io::Error {
        match e {
            FrameError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

// ANCHOR: write_frame
/// Writes one frame: header length, header, body.
///
/// A small frame goes out in a single `write_all`. Two writes followed by a read (write the
/// header, write the body, wait for the reply) is the classic recipe for a stall: Nagle's
/// algorithm holds the second small write until the first is acknowledged, and the peer delays
/// that acknowledgement by 40 ms or more, hoping to piggyback it on data. Every request of a
/// chatty client would pay that wait. A large body fills whole segments, so it is written
/// separately rather than copied into a second buffer.
pub fn write_frame(w: &mut impl Write, body: &[u8]) -> io::Result<()> {
    let header = header_for(body);

    // Reserve 4 bytes for the length, write the JSON after them, then go back
    // and fill in the length once we know it.
    let mut frame = Vec::with_capacity(4 + 80 + body.len().min(SMALL_BODY));
    frame.extend_from_slice(&[0; 4]);
    serde_json::to_writer(&mut frame, &header)
        .expect("a Header (a number and a string) always serializes to JSON");
    let header_len =
        u32::try_from(frame.len() - 4).expect("a Header is a few dozen bytes, far below 4 GiB");
    frame[..4].copy_from_slice(&header_len.to_be_bytes());

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

/// Bodies up to this size are copied behind the header and sent in one write.
const SMALL_BODY: usize = 64 * 1024;
// ANCHOR_END: write_frame

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

/// The header that describes `body`.
fn header_for(body: &[u8]) -> Header {
    Header {
        // usize -> u64 never loses anything on the platforms Rust supports.
        total_size: body.len() as u64,
        md5: Some(md5_hex(body)),
    }
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

// ANCHOR: read_frame
/// Reads exactly one frame.
///
/// * `Ok(Some(frame))`: a whole frame arrived.
/// * `Ok(None)`: the stream ended cleanly *before the first byte* of a frame.
///   That is how a peer says goodbye, not an error.
/// * `Err(_)`: anything else; see [`FrameError`].
///
/// The md5 is not checked here (that costs a pass over the body, and not every
/// caller wants it); call [`Frame::check_md5`] on the result.
pub fn read_frame(r: &mut impl Read, limits: &Limits) -> Result<Option<Frame>, FrameError> {
    // Step 1: the fixed-size part, the 4-byte header length.
    let Some(header_len) = read_length(r, "header length")? else {
        return Ok(None);
    };

    // Step 2: the header. Check the announced length *before* allocating it.
    if header_len > limits.max_header_len {
        return Err(FrameError::HeaderTooLong {
            len: header_len,
            limit: limits.max_header_len,
        });
    }
    let header_bytes = read_exactly(r, u64::from(header_len), "header")?;
    let header = parse_header(&header_bytes)?;

    // Step 3: the body. Same rule: the limit first, the bytes after.
    if header.total_size > limits.max_body_len {
        return Err(FrameError::BodyTooLarge {
            size: header.total_size,
            limit: limits.max_body_len,
        });
    }
    let body = read_exactly(r, header.total_size, "body")?;

    Ok(Some(Frame { header, body }))
}
// ANCHOR_END: read_frame

// ANCHOR: read_length_prefixed
/// Reads one 初级版 message: a 4-byte big-endian length, then that many bytes.
///
/// `Ok(None)` means the stream ended cleanly before the first byte, exactly as
/// in [`read_frame`].
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
    read_exactly(r, len, "body").map(Some)
}
// ANCHOR_END: read_length_prefixed

/// Turns the header bytes into a [`Header`], one check at a time so that each
/// kind of mistake gets its own error.
fn parse_header(bytes: &[u8]) -> Result<Header, FrameError> {
    // serde_json would also reject bad UTF-8, but as a generic JSON error;
    // checking first lets us say exactly what is wrong.
    let text = std::str::from_utf8(bytes).map_err(|_| FrameError::HeaderNotUtf8)?;

    // Parse into a generic JSON value first. Deserializing straight into
    // `Header` would report "not an object" and "no total_size" as the same
    // kind of serde error, and we want to tell them apart.
    let value: serde_json::Value = serde_json::from_str(text).map_err(FrameError::HeaderNotJson)?;
    let serde_json::Value::Object(fields) = &value else {
        return Err(FrameError::HeaderNotObject);
    };

    // `as_u64` is `None` for negative numbers, fractions, strings and null,
    // which is exactly the set of things that cannot be a size.
    if fields
        .get("total_size")
        .and_then(serde_json::Value::as_u64)
        .is_none()
    {
        return Err(FrameError::MissingTotalSize);
    }

    // Now the shape is known to be right, let serde fill in the struct. Unknown
    // fields are skipped (serde's default). What can still fail here is a known
    // field of the wrong type, such as `"md5": 5`.
    Header::deserialize(&value).map_err(FrameError::HeaderNotJson)
}

// ANCHOR: read_length
/// Reads a 4-byte big-endian length.
///
/// `Ok(None)` if the stream ended before the first byte (a clean goodbye);
/// an error if it ended after 1 to 3 bytes. The tutorial's `conn.recv(4)`
/// silently assumed it always gets all 4; a single `read` is allowed to return
/// fewer, which is why this goes through [`read_up_to`], which keeps reading.
fn read_length(r: &mut impl Read, what: &'static str) -> Result<Option<u32>, FrameError> {
    let bytes = read_up_to(r, 4)?;
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
fn read_exactly(r: &mut impl Read, n: u64, what: &'static str) -> Result<Vec<u8>, FrameError> {
    let bytes = read_up_to(r, n)?;
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
/// arrive*: `take(n)` makes the reader stop after `n` bytes, and `read_to_end`
/// keeps calling `read` (retrying on `ErrorKind::Interrupted`, growing the
/// vector by doubling) until `n` bytes arrived or the peer closed. Memory use
/// follows the data the peer really sent: while reading, at most about twice
/// that (the vector doubles), and exactly that once we are done.
///
/// Doubling costs little: ten reallocations take 64 KiB to 64 MiB, and
/// `read_to_end` reads straight into the vector's spare room, without an extra
/// copy (and, when the reader is a bare `TcpStream`, without zeroing that room first). The
/// benchmark measures this path: as fast as reading into a buffer allocated
/// up front.
// ANCHOR: read_up_to
fn read_up_to(r: &mut impl Read, n: u64) -> io::Result<Vec<u8>> {
    // `usize::try_from` cannot fail after `min` with a 64 KiB constant,
    // but saying so beats an `as` cast that would hide a mistake.
    let capacity = usize::try_from(n.min(INITIAL_CAPACITY)).unwrap_or(0);
    let mut buf = Vec::with_capacity(capacity);
    // `by_ref` lends `take` the reader instead of giving it away, so the
    // caller can keep reading the next frame from the same stream.
    r.by_ref().take(n).read_to_end(&mut buf)?;
    // Doubling can overshoot: a 64 MiB body ends up in a 128 MiB allocation.
    // Give the unused room back, so a frame kept around costs only its bytes.
    // (For big buffers the allocator just unmaps the tail: nothing is copied.)
    buf.shrink_to_fit();
    Ok(buf)
}
// ANCHOR_END: read_up_to

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::VecDeque;

    // --- Readers that misbehave the way real sockets are allowed to ---------

    /// Hands out the given chunks, at most one chunk per `read` call.
    ///
    /// This is how a real socket behaves: what one `send` wrote can arrive over
    /// several `recv`s, and several `send`s can arrive in one. A plain
    /// `&[u8]` reader would hand everything over at once and hide our bugs.
    struct Chunked {
        chunks: VecDeque<Vec<u8>>,
    }

    impl Chunked {
        fn new(chunks: impl IntoIterator<Item = Vec<u8>>) -> Chunked {
            Chunked {
                // An empty chunk would look like end-of-stream (read returns
                // 0), so leave those out.
                chunks: chunks.into_iter().filter(|c| !c.is_empty()).collect(),
            }
        }

        /// `data` cut in two at `at`.
        fn split(data: &[u8], at: usize) -> Chunked {
            Chunked::new([data[..at].to_vec(), data[at..].to_vec()])
        }

        /// `data` one byte per read: the most fragmented a stream can be.
        fn bytewise(data: &[u8]) -> Chunked {
            Chunked::new(data.iter().map(|&b| vec![b]))
        }
    }

    impl Read for Chunked {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some(chunk) = self.chunks.front_mut() else {
                return Ok(0);
            };
            let n = chunk.len().min(buf.len());
            buf[..n].copy_from_slice(&chunk[..n]);
            chunk.drain(..n);
            if chunk.is_empty() {
                self.chunks.pop_front();
            }
            Ok(n)
        }
    }

    /// Fails with `Interrupted` before every successful read, like a socket
    /// read cut short by a signal. The caller is expected to just try again.
    struct Interrupting<R> {
        inner: R,
        interrupt_next: bool,
    }

    impl<R: Read> Read for Interrupting<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.interrupt_next = !self.interrupt_next;
            if self.interrupt_next {
                return Err(io::Error::from(io::ErrorKind::Interrupted));
            }
            self.inner.read(buf)
        }
    }

    /// Serves `prefix`, then panics if anyone asks for more. Used to prove that
    /// an over-limit size is rejected *without* trying to read (or allocate)
    /// the body it announced.
    struct PanicsAfter {
        prefix: io::Cursor<Vec<u8>>,
    }

    impl Read for PanicsAfter {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.prefix.read(buf)?;
            if n == 0 && !buf.is_empty() {
                panic!("read past the prefix: the reader should have stopped at the limit");
            }
            Ok(n)
        }
    }

    // --- Helpers -------------------------------------------------------------

    fn encode(bodies: &[&[u8]]) -> Vec<u8> {
        let mut wire = Vec::new();
        for body in bodies {
            write_frame(&mut wire, body).unwrap();
        }
        wire
    }

    /// A frame with a hand-written header, for headers `write_frame` would never send.
    fn raw_frame(header: &[u8], body: &[u8]) -> Vec<u8> {
        let mut wire = (header.len() as u32).to_be_bytes().to_vec();
        wire.extend_from_slice(header);
        wire.extend_from_slice(body);
        wire
    }

    /// Reads frames until a clean end, panicking on any error.
    fn decode_all(r: &mut impl Read, limits: &Limits) -> Vec<Vec<u8>> {
        let mut bodies = Vec::new();
        while let Some(frame) = read_frame(r, limits).unwrap() {
            assert_eq!(frame.check_md5(), Md5Check::Matches);
            bodies.push(frame.body);
        }
        bodies
    }

    fn read_err(wire: &[u8], limits: &Limits) -> FrameError {
        match read_frame(&mut &wire[..], limits) {
            Err(e) => e,
            Ok(frame) => panic!("expected an error, got {frame:?}"),
        }
    }

    const SMALL: Limits = Limits {
        max_header_len: 100,
        max_body_len: 10,
    };

    // --- Round trips and fragmentation -----------------------------------------

    #[test]
    fn round_trip() {
        let wire = encode(&[b"hello"]);
        let frame = read_frame(&mut &wire[..], &Limits::REQUEST)
            .unwrap()
            .unwrap();
        assert_eq!(frame, Frame::new(b"hello".to_vec()));
        assert_eq!(frame.header.total_size, 5);
        assert_eq!(
            frame.header.md5.as_deref(),
            Some("5d41402abc4b2a76b9719d911017c592")
        );
        assert_eq!(frame.check_md5(), Md5Check::Matches);
    }

    #[test]
    fn empty_body_round_trips() {
        let wire = encode(&[b""]);
        let frame = read_frame(&mut &wire[..], &SMALL).unwrap().unwrap();
        assert_eq!(frame.body, b"");
        assert_eq!(frame.check_md5(), Md5Check::Matches);
    }

    #[test]
    fn wire_format_is_big_endian_length_then_json_then_body() {
        let wire = encode(&[b"hi"]);
        let header = br#"{"total_size":2,"md5":"49f68a5c8493ec2c0bf489821c21fc3b"}"#;
        assert_eq!(wire, raw_frame(header, b"hi"));
        // The most significant byte comes first: 0x00 0x00 0x00 len.
        assert_eq!(wire[..4], [0, 0, 0, header.len() as u8]);
    }

    #[test]
    fn empty_stream_is_a_clean_end() {
        assert!(read_frame(&mut &b""[..], &SMALL).unwrap().is_none());
    }

    #[test]
    fn glued_frames_decode_one_by_one_then_none() {
        let bodies: [&[u8]; 4] = [b"first", b"", b"third frame", &[0, 1, 2, 255]];
        let wire = encode(&bodies);
        let mut r = &wire[..];
        for body in bodies {
            let frame = read_frame(&mut r, &Limits::REQUEST).unwrap().unwrap();
            assert_eq!(frame.body, body);
        }
        assert!(read_frame(&mut r, &Limits::REQUEST).unwrap().is_none());
        // And it stays ended.
        assert!(read_frame(&mut r, &Limits::REQUEST).unwrap().is_none());
    }

    #[test]
    fn split_at_every_offset_decodes_the_same() {
        // Two frames, so some splits land inside the second frame's prefix.
        let bodies: [&[u8]; 2] = [b"dir output line 1\nline 2\n", b"ok"];
        let wire = encode(&bodies);
        for at in 0..=wire.len() {
            let got = decode_all(&mut Chunked::split(&wire, at), &Limits::REQUEST);
            assert_eq!(got, bodies, "split at byte {at}");
        }
    }

    #[test]
    fn one_byte_per_read_decodes_the_same() {
        let bodies: [&[u8]; 3] = [b"one", b"", b"three"];
        let wire = encode(&bodies);
        let got = decode_all(&mut Chunked::bytewise(&wire), &Limits::REQUEST);
        assert_eq!(got, bodies);
    }

    #[test]
    fn interrupted_reads_are_retried() {
        let bodies: [&[u8]; 2] = [b"signal", b"safe"];
        let wire = encode(&bodies);
        let mut r = Interrupting {
            inner: Chunked::bytewise(&wire),
            interrupt_next: false,
        };
        assert_eq!(decode_all(&mut r, &Limits::REQUEST), bodies);
    }

    #[test]
    fn other_io_errors_are_reported_as_io() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::ConnectionReset))
            }
        }
        let err = read_frame(&mut Broken, &SMALL).unwrap_err();
        assert!(
            matches!(&err, FrameError::Io(e) if e.kind() == io::ErrorKind::ConnectionReset),
            "{err:?}"
        );
    }

    // --- Headers -------------------------------------------------------------

    #[test]
    fn extra_header_fields_are_ignored() {
        // This is what Python's json.dumps writes: spaces after ':' and ','.
        let header = br#"{"filename": "a.txt", "total_size": 3, "md5": "900150983cd24fb0d6963f7d28e17f72", "nested": {"x": [1]}}"#;
        let frame = read_frame(&mut &raw_frame(header, b"abc")[..], &Limits::REQUEST)
            .unwrap()
            .unwrap();
        assert_eq!(frame.header, Frame::new(b"abc".to_vec()).header);
        assert_eq!(frame.check_md5(), Md5Check::Matches);
    }

    #[test]
    fn header_without_md5_is_valid_but_unchecked() {
        let frame = read_frame(&mut &raw_frame(br#"{"total_size":3}"#, b"abc")[..], &SMALL)
            .unwrap()
            .unwrap();
        assert_eq!(frame.header.md5, None);
        assert_eq!(frame.check_md5(), Md5Check::Absent);
        // And a missing md5 is left out when serializing, not written as null.
        assert_eq!(
            serde_json::to_string(&frame.header).unwrap(),
            r#"{"total_size":3}"#
        );
    }

    #[test]
    fn md5_mismatch_is_detected() {
        let mut frame = Frame::new(b"hello".to_vec());
        frame.body[0] = b'j'; // "jello": same length, different content
        assert_eq!(
            frame.check_md5(),
            Md5Check::Mismatch {
                expected: "5d41402abc4b2a76b9719d911017c592".to_string(),
                actual: md5_hex(b"jello"),
            }
        );
    }

    #[test]
    fn upper_case_md5_still_matches() {
        let header = br#"{"total_size":5,"md5":"5D41402ABC4B2A76B9719D911017C592"}"#;
        let frame = read_frame(&mut &raw_frame(header, b"hello")[..], &SMALL)
            .unwrap()
            .unwrap();
        assert_eq!(frame.check_md5(), Md5Check::Matches);
    }

    #[test]
    fn md5_hex_matches_python_hexdigest() {
        // python3 -c 'import hashlib; print(hashlib.md5(b"").hexdigest())'
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex(b"hello"), "5d41402abc4b2a76b9719d911017c592");
    }

    // --- Malformed frames: each mistake has its own variant --------------------

    #[test]
    fn length_cut_short_after_1_to_3_bytes() {
        let wire = encode(&[b"x"]);
        for k in 1..4 {
            let err = read_err(&wire[..k], &SMALL);
            assert!(
                matches!(
                    err,
                    FrameError::EndedMidFrame { what: "header length", expected: 4, received }
                        if received == k as u64
                ),
                "{k} bytes: {err:?}"
            );
        }
    }

    #[test]
    fn header_cut_short() {
        let wire = raw_frame(br#"{"total_size":0}"#, b"");
        let err = read_err(&wire[..4 + 5], &SMALL);
        assert!(
            matches!(
                err,
                FrameError::EndedMidFrame {
                    what: "header",
                    expected: 16,
                    received: 5
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn body_cut_short() {
        let wire = encode(&[b"0123456789"]);
        let err = read_err(&wire[..wire.len() - 7], &SMALL);
        assert!(
            matches!(
                err,
                FrameError::EndedMidFrame {
                    what: "body",
                    expected: 10,
                    received: 3
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn header_not_utf8() {
        let err = read_err(&raw_frame(&[b'{', 0xff, 0xfe, b'}'], b""), &SMALL);
        assert!(matches!(err, FrameError::HeaderNotUtf8), "{err:?}");
    }

    #[test]
    fn header_not_json() {
        for header in [&b"total_size: 5"[..], b"", b"{\"total_size\": 5", b"{} {}"] {
            let err = read_err(&raw_frame(header, b""), &SMALL);
            assert!(matches!(err, FrameError::HeaderNotJson(_)), "{err:?}");
        }
    }

    #[test]
    fn header_not_object() {
        for header in [&b"[1, 2]"[..], b"5", b"\"total_size\"", b"null", b"true"] {
            let err = read_err(&raw_frame(header, b""), &SMALL);
            assert!(matches!(err, FrameError::HeaderNotObject), "{err:?}");
        }
    }

    #[test]
    fn header_missing_or_bad_total_size() {
        for header in [
            &br#"{}"#[..],
            br#"{"md5": "d41d8cd98f00b204e9800998ecf8427e"}"#,
            br#"{"total_size": -1}"#,
            br#"{"total_size": 1.5}"#,
            br#"{"total_size": "5"}"#,
            br#"{"total_size": null}"#,
            br#"{"Total_Size": 5}"#,
        ] {
            let err = read_err(&raw_frame(header, b""), &SMALL);
            assert!(
                matches!(err, FrameError::MissingTotalSize),
                "{}: {err:?}",
                String::from_utf8_lossy(header)
            );
        }
    }

    #[test]
    fn md5_of_the_wrong_type_is_a_json_error() {
        let err = read_err(&raw_frame(br#"{"total_size":0,"md5":5}"#, b""), &SMALL);
        assert!(matches!(err, FrameError::HeaderNotJson(_)), "{err:?}");
    }

    // --- Limits ----------------------------------------------------------------

    /// A valid header padded with spaces (legal JSON whitespace) to exactly `len` bytes.
    fn padded_header(total_size: u64, len: usize) -> Vec<u8> {
        let mut header = format!(r#"{{"total_size":{total_size}}}"#).into_bytes();
        assert!(header.len() <= len);
        header.resize(len, b' ');
        header
    }

    #[test]
    fn header_exactly_at_the_limit_is_accepted() {
        let wire = raw_frame(&padded_header(0, 100), b"");
        assert!(read_frame(&mut &wire[..], &SMALL).unwrap().is_some());
    }

    #[test]
    fn header_one_over_the_limit_is_rejected_before_reading_it() {
        let wire = raw_frame(&padded_header(0, 101), b"");
        // Only the 4-byte length is available; reading any further panics.
        let mut r = PanicsAfter {
            prefix: io::Cursor::new(wire[..4].to_vec()),
        };
        let err = read_frame(&mut r, &SMALL).unwrap_err();
        assert!(
            matches!(
                err,
                FrameError::HeaderTooLong {
                    len: 101,
                    limit: 100
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn body_exactly_at_the_limit_is_accepted() {
        let wire = encode(&[b"0123456789"]);
        let frame = read_frame(&mut &wire[..], &SMALL).unwrap().unwrap();
        assert_eq!(frame.body.len(), 10);
    }

    #[test]
    fn body_one_over_the_limit_is_rejected_before_reading_it() {
        let wire = encode(&[b"0123456789X"]);
        let body_start = wire.len() - 11;
        let mut r = PanicsAfter {
            prefix: io::Cursor::new(wire[..body_start].to_vec()),
        };
        let err = read_frame(&mut r, &SMALL).unwrap_err();
        assert!(
            matches!(
                err,
                FrameError::BodyTooLarge {
                    size: 11,
                    limit: 10
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn huge_announced_body_is_rejected_without_reading_or_allocating() {
        // 2^60 bytes: allocating this would abort the process, so reaching the
        // assertion at all shows the limit was checked first.
        let header = br#"{"total_size":1152921504606846976}"#;
        let mut r = PanicsAfter {
            prefix: io::Cursor::new(raw_frame(header, b"")),
        };
        let err = read_frame(&mut r, &Limits::REPLY).unwrap_err();
        assert!(
            matches!(
                err,
                FrameError::BodyTooLarge { size: 1152921504606846976, limit } if limit == Limits::REPLY.max_body_len
            ),
            "{err:?}"
        );
    }

    #[test]
    fn announced_body_at_the_limit_but_never_sent_ends_mid_frame() {
        // The peer announces a 64 MiB reply and then hangs up. That passes the
        // limit check, and must come back as "ended mid-frame", quickly.
        let header = format!(r#"{{"total_size":{}}}"#, 64 * 1024 * 1024);
        let wire = raw_frame(header.as_bytes(), b"only this");
        let err = read_err(&wire, &Limits::REPLY);
        assert!(
            matches!(
                err,
                FrameError::EndedMidFrame {
                    what: "body",
                    expected: 67108864,
                    received: 9
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn protocol_limits() {
        assert_eq!(Limits::REQUEST.max_header_len, 65536);
        assert_eq!(Limits::REQUEST.max_body_len, 8 * 1024 * 1024);
        assert_eq!(Limits::REPLY.max_header_len, 65536);
        assert_eq!(Limits::REPLY.max_body_len, 128 * 1024 * 1024);
    }

    #[test]
    fn error_messages_read_well() {
        let err = FrameError::BodyTooLarge {
            size: 9_000_000,
            limit: 8_388_608,
        };
        assert_eq!(
            err.to_string(),
            "the peer announced a 9000000-byte body, over the 8388608-byte limit"
        );
        let err = FrameError::EndedMidFrame {
            what: "body",
            expected: 10,
            received: 3,
        };
        assert_eq!(
            err.to_string(),
            "the connection ended in the middle of a frame: expected 10 bytes of body, received only 3"
        );
        assert_eq!(
            FrameError::HeaderNotObject.to_string(),
            r#"the header is JSON but not an object; expected something like {"total_size": 5}"#
        );
    }

    // --- The 初级版: a bare length prefix ----------------------------------------

    #[test]
    fn length_prefixed_round_trips() {
        let mut wire = Vec::new();
        write_length_prefixed(&mut wire, b"hello").unwrap();
        write_length_prefixed(&mut wire, b"").unwrap();
        assert_eq!(wire, b"\0\0\0\x05hello\0\0\0\0");

        let mut r = Chunked::bytewise(&wire);
        assert_eq!(
            read_length_prefixed(&mut r, 5).unwrap().as_deref(),
            Some(&b"hello"[..])
        );
        assert_eq!(
            read_length_prefixed(&mut r, 5).unwrap().as_deref(),
            Some(&b""[..])
        );
        assert_eq!(read_length_prefixed(&mut r, 5).unwrap(), None);
    }

    #[test]
    fn length_prefixed_rejects_over_limit_before_reading() {
        let mut r = PanicsAfter {
            prefix: io::Cursor::new(6u32.to_be_bytes().to_vec()),
        };
        let err = read_length_prefixed(&mut r, 5).unwrap_err();
        assert!(
            matches!(err, FrameError::BodyTooLarge { size: 6, limit: 5 }),
            "{err:?}"
        );
    }

    #[test]
    fn length_prefixed_reports_mid_frame_ends() {
        let err = read_length_prefixed(&mut &[0u8, 0][..], 5).unwrap_err();
        assert!(
            matches!(
                err,
                FrameError::EndedMidFrame {
                    what: "length prefix",
                    expected: 4,
                    received: 2
                }
            ),
            "{err:?}"
        );
        let err = read_length_prefixed(&mut &b"\0\0\0\x05hel"[..], 5).unwrap_err();
        assert!(
            matches!(
                err,
                FrameError::EndedMidFrame {
                    what: "body",
                    expected: 5,
                    received: 3
                }
            ),
            "{err:?}"
        );
    }

    // --- Property tests ----------------------------------------------------------

    /// Cuts `data` at the given points (any order, duplicates allowed).
    fn cut(data: &[u8], points: &[prop::sample::Index]) -> Vec<Vec<u8>> {
        let mut at: Vec<usize> = points.iter().map(|p| p.index(data.len() + 1)).collect();
        at.push(0);
        at.push(data.len());
        at.sort_unstable();
        at.windows(2).map(|w| data[w[0]..w[1]].to_vec()).collect()
    }

    /// Reads frames until a clean end or an error. Every `Ok(Some)` consumes
    /// at least 4 bytes, so on finite input this always stops.
    fn drain(data: &[u8], limits: &Limits) {
        let mut r = data;
        while let Ok(Some(_)) = read_frame(&mut r, limits) {}
    }

    proptest! {
        #[test]
        fn any_bodies_any_chunking_round_trip(
            bodies in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..2000), 0..=5),
            points in prop::collection::vec(any::<prop::sample::Index>(), 0..20),
        ) {
            let mut wire = Vec::new();
            for body in &bodies {
                write_frame(&mut wire, body).unwrap();
            }
            let mut r = Chunked::new(cut(&wire, &points));
            for body in &bodies {
                let frame = read_frame(&mut r, &Limits::REQUEST).unwrap().unwrap();
                prop_assert_eq!(&frame.body, body);
                prop_assert_eq!(frame.check_md5(), Md5Check::Matches);
            }
            prop_assert!(read_frame(&mut r, &Limits::REQUEST).unwrap().is_none());
        }

        #[test]
        fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..512)) {
            drain(&data, &Limits::REQUEST);
        }

        /// Random bytes almost always start with a huge length, so they stop at
        /// the first check. A small, plausible length gets the garbage past it
        /// and into the JSON parser.
        #[test]
        fn arbitrary_bytes_after_a_small_length_never_panic(
            len in 0u32..64,
            data in prop::collection::vec(any::<u8>(), 0..512),
        ) {
            let mut wire = len.to_be_bytes().to_vec();
            wire.extend_from_slice(&data);
            drain(&wire, &Limits::REQUEST);
        }
    }
}
