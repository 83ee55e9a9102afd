//! A resumable decoder: bytes in, whenever they come; frames out, whenever they are whole.
//!
//! # Why another reader
//!
//! [`read_frame`](super::read_frame) keeps its place in the frame in its own local variables:
//! "I have read the length, it said 57, I am 20 bytes into the header". That is what makes it
//! so easy to read, and it is also its limit. If a `read` fails half way, `read_frame` returns
//! the error, and its local variables, with the 4 + 20 bytes they held, are gone. The stream has
//! moved on, so the next call starts in the middle of a frame and takes 4 bytes of JSON for a
//! header length. That is fine when any error ends the connection anyway, as in lesson 6. It is
//! not fine in three common situations:
//!
//! * **read timeouts**: a server that wakes up every 100 ms to check for shutdown, or a client
//!   that shows "still waiting..." and then carries on, meets a timeout in the middle of a frame
//!   and must be able to continue after it;
//! * **nonblocking sockets**: an event loop (epoll, mio, tokio) reads whatever bytes are there,
//!   which is often part of a frame, and comes back for the rest when more has arrived;
//! * **bytes that are not in a `Read` at all**: a proxy that gets buffers from somewhere else, a
//!   test that feeds bytes by hand, a message that arrives in pieces over another protocol.
//!
//! The cure is to keep the place in a value instead of in a function call. A [`FrameDecoder`] is
//! that value: [`FrameDecoder::push`] gives it bytes, any number, cut anywhere;
//! [`FrameDecoder::next_frame`] hands out a frame once one is whole, and otherwise says "not yet"
//! (`Ok(None)`) and keeps what it has. It never reads, so it never blocks and never sees a
//! timeout. This is the design of tokio-util's `LengthDelimitedCodec`, whose `decode` keeps a
//! state (`Head`, or `Data(n)` once it knows the length) and the bytes so far between calls.
//!
//! [`FrameReader`] puts the two together for the common case: a decoder over any `Read`. A read
//! timeout comes back as [`FrameError::Io`], the bytes read before it stay in the decoder, and
//! the next call carries on where the last one stopped.
//!
//! # The same answers as `read_frame`
//!
//! The decoder applies the same [`Limits`] (before it waits for an announced size, and without
//! ever reserving room for it: its buffer grows only by the bytes pushed into it), parses headers
//! with the same function, and reports the same [`FrameError`] for the same bad bytes. Where
//! `read_frame` meets the end of the stream, the decoder needs to be told:
//! [`FrameDecoder::next_frame_at_end`]. The tests check this agreement on every cut of many
//! streams, good and bad.

use std::io::{self, Read};
use std::{fmt, mem};

use md5::{Digest, Md5};

use super::header::parse_header;
use super::{Frame, FrameError, Header, Limits};

/// A push-based frame decoder. Why it exists is the story at the top of `src/frame/decoder.rs`.
///
/// ```
/// use socket_lessons::frame::{FrameDecoder, Limits, write_frame};
///
/// let mut wire = Vec::new();
/// write_frame(&mut wire, b"hello")?;
///
/// let mut decoder = FrameDecoder::new(Limits::REQUEST);
/// decoder.push(&wire[..7]); // the length and a bit of the header
/// assert!(decoder.next_frame()?.is_none()); // not yet: the decoder keeps the 7 bytes
/// decoder.push(&wire[7..]);
/// assert_eq!(decoder.next_frame()?.expect("a whole frame").body, b"hello");
/// assert!(decoder.next_frame_at_end()?.is_none()); // the stream ended between frames
/// # Ok::<(), socket_lessons::frame::FrameError>(())
/// ```
///
/// After an error the decoder stays where the error was: asking again gives the same error. A
/// byte stream has no way to find the start of the next frame after a broken one, so the thing
/// to do then is to drop the decoder, and the connection with it.
pub struct FrameDecoder {
    limits: Limits,
    /// The bytes pushed so far that are not yet part of a returned frame, from `start` on.
    /// (The bytes before `start` were handed out; the next `push` drops them.)
    buffer: Vec<u8>,
    start: usize,
    /// Which part of the frame the bytes at `start` belong to.
    state: State,
}

/// Where the decoder is in the current frame: the three steps of `read_frame`, as data.
enum State {
    /// Waiting for the 4 bytes of the header length.
    Length,
    /// The header length was within the limit; waiting for that many bytes of header.
    Header { len: u32 },
    /// The header is parsed and its body size is within the limit; waiting for the body.
    /// The md5 has taken in the first `hashed` body bytes.
    Body {
        header: Header,
        md5: Md5,
        hashed: usize,
    },
}

impl FrameDecoder {
    /// A decoder that accepts what `limits` allows, waiting for the first byte of a frame.
    pub fn new(limits: Limits) -> FrameDecoder {
        FrameDecoder {
            limits,
            buffer: Vec::new(),
            start: 0,
            state: State::Length,
        }
    }

    /// Hands the decoder more bytes of the stream, in order. Any number, cut anywhere: the
    /// decoder does not care where one push ends and the next begins.
    pub fn push(&mut self, bytes: &[u8]) {
        // Drop what belongs to frames already handed out, so that the buffer holds only bytes
        // still needed. What is kept moves to the front: at most one unfinished frame.
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(bytes);
    }

    /// Whether the decoder is between two frames: every byte pushed so far was part of a frame
    /// already handed out. After a read timeout, say, that tells an idle peer (between frames)
    /// from one that stopped in the middle of a frame.
    pub fn is_between_frames(&self) -> bool {
        matches!(self.state, State::Length) && self.part_received() == 0
    }

    /// How many bytes of the current part (length, header or body) have arrived.
    fn part_received(&self) -> usize {
        self.buffer.len() - self.start
    }

    /// The next frame, if the bytes pushed so far complete one.
    ///
    /// * `Ok(Some(frame))`: a whole frame; there may be more, so ask again.
    /// * `Ok(None)`: not yet; push more bytes (or, at the end of the stream, call
    ///   [`FrameDecoder::next_frame_at_end`]).
    /// * `Err(_)`: the bytes break the protocol, exactly as [`read_frame`](super::read_frame)
    ///   would say.
    ///
    /// As in `read_frame`, the md5 of the body is computed as its bytes come in (at each call,
    /// over the bytes pushed since the last one), so `check_md5` on the frame is only a
    /// comparison.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        // Each turn of the loop finishes one part of the frame, or returns.
        loop {
            let available = &self.buffer[self.start..];
            match &mut self.state {
                // Step 1: the 4-byte header length, checked against the limit.
                State::Length => {
                    let Some(length) = available.first_chunk::<4>() else {
                        return Ok(None);
                    };
                    let len = u32::from_be_bytes(*length);
                    // On an error, nothing moves: asking again gives the same error.
                    self.limits.check_header_len(len)?;
                    self.start += 4;
                    self.state = State::Header { len };
                }
                // Step 2: the header, parsed, and the body size it announces checked.
                State::Header { len } => {
                    let len = *len as usize; // u32 -> usize: lossless wherever Rust runs servers
                    let Some(header_bytes) = available.get(..len) else {
                        return Ok(None);
                    };
                    let header = parse_header(header_bytes)?;
                    self.limits.check_body_len(header.total_size)?;
                    self.start += len;
                    self.state = State::Body {
                        header,
                        md5: Md5::new(),
                        hashed: 0,
                    };
                }
                // Step 3: the body. Hash what came in since last time, while it is fresh.
                State::Body {
                    header,
                    md5,
                    hashed,
                } => {
                    // Body bytes here so far: all that is available, up to the body's size.
                    // (`min` in u64 first: a body size may not fit a usize, what is here does.)
                    let here = header.total_size.min(available.len() as u64) as usize;
                    md5.update(&available[*hashed..here]);
                    *hashed = here;
                    if (here as u64) < header.total_size {
                        return Ok(None);
                    }
                    // The frame is whole. Take its header and md5 out of the state (leaving
                    // empty ones behind, which the next line drops) and start the next frame.
                    let header = mem::replace(header, Header::new(0));
                    let md5 = mem::take(md5);
                    self.state = State::Length;
                    let body = self.take_body(here);
                    return Ok(Some(Frame::arrived(header, body, md5)));
                }
            }
        }
    }

    /// Like [`FrameDecoder::next_frame`], for when the stream has ended and no more bytes will
    /// come: the frames still buffered, one per call, and then the end.
    ///
    /// * `Ok(Some(frame))`: one more whole frame was still buffered;
    /// * `Ok(None)`: the stream ended cleanly, between two frames;
    /// * `Err(FrameError::EndedMidFrame { .. })`: it ended inside a frame, and the error says
    ///   where, exactly as [`read_frame`](super::read_frame) would.
    pub fn next_frame_at_end(&mut self) -> Result<Option<Frame>, FrameError> {
        if let Some(frame) = self.next_frame()? {
            return Ok(Some(frame));
        }
        let received = self.part_received() as u64;
        let (what, expected) = match &self.state {
            State::Length if received == 0 => return Ok(None),
            State::Length => ("header length", 4),
            State::Header { len } => ("header", u64::from(*len)),
            State::Body { header, .. } => ("body", header.total_size),
        };
        Err(FrameError::EndedMidFrame {
            what,
            expected,
            received,
        })
    }

    /// Takes the `len` bytes at `start` out of the buffer, as a body.
    fn take_body(&mut self, len: usize) -> Vec<u8> {
        if self.start == 0 {
            // The body starts at the very front of the buffer. That is the usual case for a
            // large body, which arrives over many pushes (each `push` moves the unfinished
            // frame to the front). Then the buffer *is* the body: keep it, and move only what
            // came after the body (the start of the next frame) to a new buffer. The body's
            // bytes are not copied again.
            let next = self.buffer.split_off(len);
            let mut body = mem::replace(&mut self.buffer, next);
            // As in `read_up_to`: give back the room the buffer grew beyond the body.
            body.shrink_to_fit();
            body
        } else {
            // The body came in together with what was before it (its header, other frames):
            // a small frame, most likely. Copy it out and leave the rest where it is.
            let body = self.buffer[self.start..self.start + len].to_vec();
            self.start += len;
            body
        }
    }
}

/// Shows where the decoder is, not the bytes it holds (which may be megabytes).
impl fmt::Debug for FrameDecoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = match &self.state {
            State::Length => "header length".to_string(),
            State::Header { len } => format!("header of {len} bytes"),
            State::Body { header, .. } => format!("body of {} bytes", header.total_size),
        };
        f.debug_struct("FrameDecoder")
            .field("limits", &self.limits)
            .field("waiting_for", &part)
            .field("received_of_it", &self.part_received())
            .finish()
    }
}

/// A [`FrameDecoder`] over any `Read`: reads as much as is there, hands out whole frames, and
/// survives read timeouts.
///
/// ```no_run
/// # use std::{net::TcpStream, time::Duration};
/// use socket_lessons::frame::{FrameError, FrameReader, Limits};
///
/// # fn serve(conn: TcpStream) -> Result<(), FrameError> {
/// conn.set_read_timeout(Some(Duration::from_millis(100)))?;
/// let mut frames = FrameReader::new(conn, Limits::REQUEST);
/// loop {
///     match frames.read_frame() {
///         Ok(Some(frame)) => println!("{} bytes", frame.body.len()),
///         Ok(None) => return Ok(()), // the peer said goodbye between frames
///         // Nothing for 100 ms, perhaps in the middle of a frame: nothing is lost.
///         Err(FrameError::Io(e)) if e.kind() == std::io::ErrorKind::WouldBlock => {
///             // ... check for shutdown, then carry on ...
///         }
///         Err(e) => return Err(e),
///     }
/// }
/// # }
/// ```
///
/// The reader reads ahead: one `read` may bring in the next frame, or part of it, which the
/// decoder keeps for the next call. So once a stream is in a `FrameReader`, read it only through
/// the `FrameReader`.
pub struct FrameReader<R> {
    inner: R,
    decoder: FrameDecoder,
    /// Where each `read` lands before the decoder takes it: 64 KiB, allocated (and zeroed) once.
    chunk: Box<[u8]>,
}

/// How much one `read` asks for: enough for many small frames, or a good slice of a large body.
const CHUNK: usize = 64 * 1024;

impl<R: Read> FrameReader<R> {
    /// Reads frames from `inner`, accepting what `limits` allows.
    pub fn new(inner: R, limits: Limits) -> FrameReader<R> {
        FrameReader {
            inner,
            decoder: FrameDecoder::new(limits),
            chunk: vec![0; CHUNK].into_boxed_slice(),
        }
    }

    /// Reads one frame: the same answers as [`read_frame`](super::read_frame), except that a
    /// failed read (a timeout, say) loses nothing. The bytes that came before it stay in the
    /// decoder, and the next call resumes the frame where it was.
    pub fn read_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        loop {
            if let Some(frame) = self.decoder.next_frame()? {
                return Ok(Some(frame));
            }
            let n = match self.inner.read(&mut self.chunk) {
                Ok(n) => n,
                // A signal interrupted the read; nothing happened to the stream.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // A timeout, or worse: the caller decides. What was read stays in the decoder.
                Err(e) => return Err(e.into()),
            };
            if n == 0 {
                return self.decoder.next_frame_at_end();
            }
            self.decoder.push(&self.chunk[..n]);
        }
    }

    /// Whether every byte read so far was part of a frame already returned: see
    /// [`FrameDecoder::is_between_frames`].
    pub fn is_between_frames(&self) -> bool {
        self.decoder.is_between_frames()
    }

    /// The stream being read, for its settings (a read timeout, say). Reading from it directly
    /// would take bytes from under the decoder.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The stream and the decoder, with whatever bytes it still holds.
    pub fn into_parts(self) -> (R, FrameDecoder) {
        (self.inner, self.decoder)
    }
}

impl<R: fmt::Debug> fmt::Debug for FrameReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameReader")
            .field("inner", &self.inner)
            .field("decoder", &self.decoder)
            .finish_non_exhaustive()
    }
}
