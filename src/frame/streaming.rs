//! A frame whose body streams: the header first, then the body as an ordinary `Read`, in
//! constant memory however large it is.
//!
//! [`read_frame`](super::read_frame) hands over the whole body in one `Vec`. That is right for a
//! command's output, and wrong for a file: a 20 GiB file does not fit in memory, and even one
//! that does should not have to be there all at once just to be copied to disk. So the receiving
//! side can stop after the header:
//!
//! ```no_run
//! # use std::{fs::File, io, net::TcpStream};
//! use socket_lessons::frame::{BodyReader, Limits, Md5Check, read_header};
//!
//! # fn receive(mut conn: TcpStream) -> Result<(), socket_lessons::frame::FrameError> {
//! // A file may be large, and nothing below is held in memory: allow any size.
//! let limits = Limits { max_body_len: u64::MAX, ..Limits::REPLY };
//! let Some(header) = read_header(&mut conn, &limits)? else { return Ok(()) };
//! let mut file = File::create(header.get_str("filename").unwrap_or("download"))?;
//! let mut body = BodyReader::new(&mut conn, &header);
//! io::copy(&mut body, &mut file)?; // 8 KiB at a time, hashed on the way
//! assert_eq!(body.finish()?, Md5Check::Matches);
//! # Ok(()) }
//! ```
//!
//! The sending side is [`write_frame_from`]. Its header is the caller's to make, because the
//! protocol names the md5 *before* the body: a file is read once to hash it
//! ([`Header::for_reader`]), then rewound and read again to send it.

use std::io::{self, Read, Write};

use md5::{Digest, Md5};

use super::blocking::{SMALL_BODY, header_bytes};
use super::{FrameError, Header, Md5Check};

/// The body of a frame, as a reader: yields exactly the header's `total_size` bytes, then ends.
///
/// It hashes the bytes as they pass, so that at the end [`BodyReader::finish`] can say whether
/// they match the header's md5, without ever holding more of the body than the caller's buffer.
/// [`BodyReader::received`] and [`BodyReader::total_size`] tell how far along it is, for a
/// progress bar.
///
/// If the stream ends before the last body byte, `read` fails with `UnexpectedEof` (so
/// `io::copy` and `read_to_end` stop with an error rather than take a short body for a whole
/// one); converted back with `?` into a [`FrameError`], it is
/// [`FrameError::EndedMidFrame`]. Any other error, a read timeout included, is passed on as it
/// is and loses nothing: read again to carry on.
#[derive(Debug)]
pub struct BodyReader<R> {
    inner: R,
    total_size: u64,
    received: u64,
    /// The md5 the header announced, if it did.
    expected_md5: Option<String>,
    /// The md5 of the `received` bytes so far.
    md5: Md5,
}

impl<R: Read> BodyReader<R> {
    /// The body that `header` announced, read from `inner`, which must be right after the
    /// header (as [`read_header`](super::read_header) leaves it). Pass `&mut stream` to keep the stream afterwards.
    pub fn new(inner: R, header: &Header) -> BodyReader<R> {
        BodyReader {
            inner,
            total_size: header.total_size,
            received: 0,
            expected_md5: header.md5.clone(),
            md5: Md5::new(),
        }
    }

    /// How many body bytes the header announced.
    pub fn total_size(&self) -> u64 {
        self.total_size
    }

    /// How many body bytes have been read so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Reads whatever is left of the body (throwing it away), and compares the md5 of the whole
    /// body with the header's.
    ///
    /// Reading the rest matters even for a caller who has stopped caring: the next frame starts
    /// only after the last body byte, so this leaves the stream ready for it. If the stream ends
    /// first, the answer is [`FrameError::EndedMidFrame`].
    pub fn finish(mut self) -> Result<Md5Check, FrameError> {
        io::copy(&mut self, &mut io::sink())?;
        Ok(Md5Check::compare(
            self.expected_md5.as_deref(),
            &self.md5.finalize(),
        ))
    }
}

impl<R: Read> Read for BodyReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let remaining = self.total_size - self.received;
        if remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        // Never ask for more than the body has left: the bytes after it are the next frame's.
        let wanted = usize::try_from(remaining).map_or(buf.len(), |left| left.min(buf.len()));
        let n = self.inner.read(&mut buf[..wanted])?;
        if n == 0 {
            let ended = FrameError::EndedMidFrame {
                what: "body",
                expected: self.total_size,
                received: self.received,
            };
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, ended));
        }
        self.md5.update(&buf[..n]);
        self.received += n as u64;
        Ok(n)
    }
}

/// Writes one frame whose body comes from a reader: the header, then exactly
/// `header.total_size` bytes of `body`, in pieces of 64 KiB, so any size passes in constant
/// memory.
///
/// The header is the caller's, and so are its promises: `total_size` must be what `body` will
/// deliver, and `md5` (if any) the md5 of those bytes. [`Header::for_reader`] makes such a
/// header by reading the body once. Bytes of `body` beyond `total_size` are left unread. If
/// `body` ends before `total_size` bytes, the result is an `UnexpectedEof` error, and the frame
/// on the wire is incomplete: the connection cannot carry another frame and should be closed.
///
/// As in [`write_frame_with`](super::write_frame_with), the header and the start of the body
/// leave in one write.
pub fn write_frame_from(
    w: &mut impl Write,
    header: &Header,
    body: &mut impl Read,
) -> io::Result<()> {
    let mut body = body.take(header.total_size);
    let mut sent = 0;
    // The first piece starts with the header; every later one is body only.
    let mut piece = header_bytes(header, SMALL_BODY)?;
    loop {
        let got = body
            .by_ref()
            .take(SMALL_BODY as u64)
            .read_to_end(&mut piece)?;
        sent += got as u64;
        if !piece.is_empty() {
            w.write_all(&piece)?;
            piece.clear();
        }
        if got == 0 {
            break;
        }
    }
    if sent < header.total_size {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!(
                "the body ended after {sent} of the {} bytes its header announced",
                header.total_size
            ),
        ));
    }
    w.flush()
}
