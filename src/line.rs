//! The line: lesson 9's wire, the third classic cure for sticky packets (粘包).
//!
//! Lesson 5 trusted one `recv` to be one message, and lost. Lesson 6 said the length first (a
//! fixed header). A line says the *end* instead: a message is every byte up to a delimiter, here
//! `\n`. That is how `nc`, `telnet`, SMTP, IRC and HTTP's headers talk, and it is why a person
//! can join lesson 9's chat room with nothing but `nc 127.0.0.1 8009`.
//!
//! A delimiter has three costs that a length header does not:
//! - **escaping**: the delimiter cannot appear inside a message. A chat line is text typed on one
//!   line, so it never needs a `\n`; a file or a command's output would (lesson 6 carries those).
//! - **scanning**: the reader must look at every byte to find the end, instead of being told how
//!   many bytes to take. [`LineDecoder`] scans each byte once, however the line was cut up.
//! - **a maximum**: a reader that has not seen `\n` yet cannot know whether the line will ever
//!   end, so it must stop somewhere, or one peer that never sends `\n` fills its memory. Ours
//!   stops at [`MAX_LINE`] bytes: a longer line is an error, [`LineError::TooLong`].
//!
//! The rules, which `docs/contracts.md` ("The chat room") states for users:
//! - a line is at most [`MAX_LINE`] bytes, not counting its end (`\n`, or `\r\n` from `telnet`
//!   and Windows; the `\r` is dropped too);
//! - a line is UTF-8 text; anything else is [`LineError::NotUtf8`];
//! - at the end of the stream, bytes after the last `\n` are one last line (`printf 'hi' | nc`
//!   sends no `\n` at all).
//!
//! Like lesson 6's `FrameDecoder`, the decoder keeps its place in a value, not in a function's
//! local variables: bytes go in whenever they come ([`LineDecoder::push`]), lines come out once
//! they are whole ([`LineDecoder::next_line`]). [`LineReader`] puts one over any `Read`; a read
//! that fails (a timeout, say) loses nothing, and the next call carries on where it stopped.

use std::io::{self, ErrorKind, Read};

/// The longest line, in bytes, without its line end. A chat message is something a person types
/// on one line; 1,000 bytes is 1,000 ASCII letters or about 330 Chinese characters, more than a
/// terminal line and far less than anyone's memory.
pub const MAX_LINE: usize = 1000;

/// Why a line was refused. Either way the stream can no longer be trusted to be in step (where
/// would the next line start?), so the reader's owner ends the connection.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("a line is longer than {MAX_LINE} bytes")]
    TooLong,
    #[error("a line is not UTF-8 text")]
    NotUtf8,
}

impl LineError {
    /// The refusal as the member is told it, on the wire, in the server's language (the log says
    /// it in English, through `Display`).
    pub fn told(&self) -> String {
        match self {
            LineError::TooLong => crate::t!("line-too-long", max = MAX_LINE.to_string()),
            LineError::NotUtf8 => crate::t!("line-not-utf8"),
        }
    }

    /// What the member is told when `e`, a failed read of its lines, ends its connection: the
    /// line's refusal in the server's language, or, for anything else, what the system said.
    pub fn told_of(e: &io::Error) -> String {
        match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<LineError>())
        {
            Some(refused) => refused.told(),
            None => e.to_string(),
        }
    }
}

impl From<LineError> for io::Error {
    fn from(e: LineError) -> io::Error {
        io::Error::new(ErrorKind::InvalidData, e)
    }
}

/// A push-based line decoder: bytes in, any number, cut anywhere; whole lines out.
///
/// ```
/// use socket_lessons::line::LineDecoder;
///
/// let mut decoder = LineDecoder::new();
/// decoder.push(b"hel");
/// assert_eq!(decoder.next_line(), Ok(None)); // not yet: it keeps "hel"
/// decoder.push(b"lo\nwor");
/// assert_eq!(decoder.next_line(), Ok(Some("hello".to_string())));
/// assert_eq!(decoder.next_line(), Ok(None));
/// assert_eq!(decoder.next_line_at_end(), Ok(Some("wor".to_string())));
/// ```
#[derive(Debug, Default)]
pub struct LineDecoder {
    /// Bytes pushed and not yet handed out as lines.
    buffer: Vec<u8>,
    /// How far `buffer` has been searched for `\n` already: each byte is scanned once, even when
    /// a line arrives one byte per read.
    scanned: usize,
}

impl LineDecoder {
    pub fn new() -> LineDecoder {
        LineDecoder::default()
    }

    /// Adds bytes that arrived. Nothing is checked yet: that happens in [`LineDecoder::next_line`].
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    // ANCHOR: next_line
    /// The next whole line, if one is there (`Ok(None)`: not yet; push more). A line over
    /// [`MAX_LINE`] is refused as soon as its first [`MAX_LINE`] + 1 bytes (+ 1 for a `\r`)
    /// are here, without waiting for its end: the buffer never holds much more than one line.
    pub fn next_line(&mut self) -> Result<Option<String>, LineError> {
        match self.buffer[self.scanned..].iter().position(|&b| b == b'\n') {
            Some(at) => {
                let end = self.scanned + at;
                let mut line: Vec<u8> = self.buffer.drain(..=end).collect();
                self.scanned = 0;
                line.pop(); // the `\n`
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                finish(line).map(Some)
            }
            None => {
                self.scanned = self.buffer.len();
                // `MAX_LINE` bytes and a `\r` may still be a good line, if `\n` comes next.
                if self.buffer.len() > MAX_LINE + 1
                    || (self.buffer.len() == MAX_LINE + 1 && self.buffer[MAX_LINE] != b'\r')
                {
                    Err(LineError::TooLong)
                } else {
                    Ok(None)
                }
            }
        }
    }
    // ANCHOR_END: next_line

    /// Like [`LineDecoder::next_line`], once the stream has ended: bytes after the last `\n`
    /// are one last line, and after that there is nothing (`Ok(None)`).
    pub fn next_line_at_end(&mut self) -> Result<Option<String>, LineError> {
        if let Some(line) = self.next_line()? {
            return Ok(Some(line));
        }
        if self.buffer.is_empty() {
            return Ok(None);
        }
        self.scanned = 0;
        let mut line = std::mem::take(&mut self.buffer);
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        finish(line).map(Some)
    }
}

/// The checks every line passes before it is handed out.
fn finish(line: Vec<u8>) -> Result<String, LineError> {
    if line.len() > MAX_LINE {
        return Err(LineError::TooLong);
    }
    String::from_utf8(line).map_err(|_| LineError::NotUtf8)
}

/// A [`LineDecoder`] over any `Read`: `read_line` returns the next line, or `None` at the end of
/// the stream. A refused line is an `InvalidData` error holding a [`LineError`]; a failed read
/// is passed on as it is, and the bytes read before it stay in the decoder.
pub struct LineReader<R> {
    inner: R,
    decoder: LineDecoder,
    ended: bool,
}

impl<R: Read> LineReader<R> {
    pub fn new(inner: R) -> LineReader<R> {
        LineReader {
            inner,
            decoder: LineDecoder::new(),
            ended: false,
        }
    }

    /// The next line, or `None` once the stream has ended and every line has been read.
    pub fn read_line(&mut self) -> io::Result<Option<String>> {
        // Enough for several lines at once (a sender's lines arrive glued together), and on the
        // stack: reading costs no allocation.
        let mut chunk = [0u8; 8 * 1024];
        loop {
            if self.ended {
                return Ok(self.decoder.next_line_at_end()?);
            }
            if let Some(line) = self.decoder.next_line()? {
                return Ok(Some(line));
            }
            match self.inner.read(&mut chunk) {
                Ok(0) => self.ended = true,
                Ok(n) => self.decoder.push(&chunk[..n]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The reader inside (to shut down its socket, say).
    pub fn get_ref(&self) -> &R {
        &self.inner
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(cuts: &[&[u8]]) -> Vec<Result<Option<String>, LineError>> {
        let mut decoder = LineDecoder::new();
        let mut out = Vec::new();
        for cut in cuts {
            decoder.push(cut);
            loop {
                let next = decoder.next_line();
                let stop = !matches!(next, Ok(Some(_)));
                if next != Ok(None) {
                    out.push(next);
                }
                if stop {
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn the_member_is_told_in_english_what_the_log_says() {
        for refused in [LineError::TooLong, LineError::NotUtf8] {
            assert_eq!(refused.told(), refused.to_string());
            assert_eq!(
                LineError::told_of(&refused.clone().into()),
                refused.to_string()
            );
        }
    }

    #[test]
    fn a_line_cut_anywhere_comes_out_whole() {
        let wire = "hello, 你好\nsecond\r\n".as_bytes();
        for at in 0..wire.len() {
            let got = lines_of(&[&wire[..at], &wire[at..]]);
            assert_eq!(
                got,
                [Ok(Some("hello, 你好".into())), Ok(Some("second".into()))],
                "cut at {at}"
            );
        }
        let bytes: Vec<&[u8]> = wire.chunks(1).collect();
        assert_eq!(lines_of(&bytes).len(), 2);
    }

    #[test]
    fn the_longest_line_passes_and_one_byte_more_is_refused() {
        let longest = format!("{}\n", "a".repeat(MAX_LINE));
        assert_eq!(
            lines_of(&[longest.as_bytes()]),
            [Ok(Some("a".repeat(MAX_LINE)))]
        );
        let crlf = format!("{}\r\n", "a".repeat(MAX_LINE));
        assert_eq!(
            lines_of(&[crlf.as_bytes()]),
            [Ok(Some("a".repeat(MAX_LINE)))]
        );
        let too_long = format!("{}\n", "a".repeat(MAX_LINE + 1));
        assert_eq!(lines_of(&[too_long.as_bytes()]), [Err(LineError::TooLong)]);
        // Refused before its end arrives: a peer that never sends `\n` fills nothing.
        let endless = "a".repeat(MAX_LINE + 1);
        assert_eq!(lines_of(&[endless.as_bytes()]), [Err(LineError::TooLong)]);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused() {
        assert_eq!(lines_of(&[b"\xc4\xe3\n"]), [Err(LineError::NotUtf8)]);
    }

    #[test]
    fn the_last_line_needs_no_end_and_a_reader_resumes_after_an_error() {
        struct Flaky(Vec<io::Result<Vec<u8>>>);
        impl Read for Flaky {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Ok(0);
                }
                let bytes = self.0.remove(0)?;
                buf[..bytes.len()].copy_from_slice(&bytes);
                Ok(bytes.len())
            }
        }
        let mut reader = LineReader::new(Flaky(vec![
            Ok(b"hel".to_vec()),
            Err(ErrorKind::WouldBlock.into()),
            Ok(b"lo\nbye".to_vec()),
        ]));
        assert_eq!(
            reader.read_line().unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        assert_eq!(reader.read_line().unwrap(), Some("hello".into()));
        assert_eq!(reader.read_line().unwrap(), Some("bye".into()));
        assert_eq!(reader.read_line().unwrap(), None);
    }
}
