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
//! header can grow: a file name, a command status, a checksum. A reader keeps
//! the fields it does not know (see [`Header`]), so new fields break nobody, and
//! [`write_frame_with`] sends a header with whatever fields the caller put in.
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
//!
//! # Where things are
//!
//! One concept per file, in the order a student meets them:
//!
//! | file | what it holds |
//! |---|---|
//! | `prefix.rs` | the 初级版: a bare 4-byte length, then the body ([`write_length_prefixed`]) |
//! | `header.rs` | the 报头: the JSON object ([`Header`]), and how its bytes are checked |
//! | `checksum.rs` | the md5 of the body ([`md5_hex`]) and the three answers a check gives ([`Md5Check`]) |
//! | `limits.rs` | how much a reader accepts ([`Limits`]), checked before allocating |
//! | `bounded.rs` | reads of exactly N bytes that grow their buffer only as bytes arrive |
//! | `blocking.rs` | the 终极版: [`write_frame`] and [`read_frame`] (its first half is [`read_header`]), one whole frame per call |
//! | `streaming.rs` | a body too big for memory: [`read_header`], then a [`BodyReader`]; [`write_frame_from`] |
//! | `decoder.rs` | a reader that can stop and resume: [`FrameDecoder`] (bytes in, frames out), [`FrameReader`] |
//! | `error.rs` | [`FrameError`], one variant per way a frame can be wrong |
//!
//! The files are private; everything a caller needs is re-exported here, so there is one name for
//! each thing: `crate::frame::read_frame`, `crate::frame::Header`, and so on.

mod blocking;
mod bounded;
mod checksum;
mod decoder;
mod error;
mod header;
mod limits;
mod prefix;
mod streaming;
pub mod tutorial;

pub use blocking::{read_frame, read_header, write_error, write_frame, write_frame_with};
pub use checksum::{Md5Check, md5_hex};
pub use decoder::{FrameDecoder, FrameReader};
pub use error::FrameError;
pub use header::Header;
pub use limits::Limits;
pub use prefix::{read_length_prefixed, write_length_prefixed};
pub use streaming::{BodyReader, write_frame_from};

use std::fmt;

use checksum::Md5Digest;
use md5::{Digest, Md5};

/// One complete message: its header and its body.
#[derive(Clone)]
pub struct Frame {
    pub header: Header,
    pub body: Vec<u8>,
    /// The md5 of the body as it arrived, computed by the reader while the bytes came in, so
    /// that [`Frame::check_md5`] needs no second pass over them. `None` for a frame built in
    /// memory, whose body nobody has hashed yet.
    arrived_md5: Option<Md5Digest>,
}

impl Frame {
    /// Wraps a body in a frame, filling in `total_size` and `md5` from it.
    pub fn new(body: Vec<u8>) -> Frame {
        Frame::with_header(Header::for_body(&body), body)
    }

    /// A frame of the given parts, as they are: nothing is checked or filled in.
    pub fn with_header(header: Header, body: Vec<u8>) -> Frame {
        Frame {
            header,
            body,
            arrived_md5: None,
        }
    }

    /// A frame that a reader of this module received, with the md5 it computed on the way.
    fn arrived(header: Header, body: Vec<u8>, md5: Md5) -> Frame {
        Frame {
            header,
            body,
            arrived_md5: Some(md5.finalize()),
        }
    }

    /// Compares the md5 of the body with the header's.
    ///
    /// For a frame that [`read_frame`] returned, the md5 of the body was computed while the
    /// body arrived, so this is only a comparison of two short strings. It is the answer for
    /// the body *as it arrived*: "did the whole thing get here intact?". For a frame built with
    /// [`Frame::new`] or [`Frame::with_header`], the body is hashed now.
    pub fn check_md5(&self) -> Md5Check {
        let expected = self.header.md5.as_deref();
        match &self.arrived_md5 {
            Some(arrived) => Md5Check::compare(expected, arrived),
            None if expected.is_none() => Md5Check::Absent,
            None => Md5Check::compare(expected, &Md5::digest(&self.body)),
        }
    }
}

/// Two frames are equal when their headers and bodies are: the md5 a reader remembered is a
/// fact about how the body arrived, not a part of the message.
impl PartialEq for Frame {
    fn eq(&self, other: &Frame) -> bool {
        self.header == other.header && self.body == other.body
    }
}

impl Eq for Frame {}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frame")
            .field("header", &self.header)
            .field("body", &self.body)
            .finish_non_exhaustive()
    }
}
