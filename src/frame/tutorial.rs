//! The tutorial's own wire, so that its Python programs can talk to lesson 6
//! (`lesson6 server --wire tutorial`, `lesson6 client --wire tutorial-basic`, ...).
//!
//! The tutorial's 终极版 (final version) differs from our frame in three ways, and its 初级版
//! (first version) in one more:
//!
//! - **the request is bare**: its client sends the command's bytes and nothing else, and its
//!   server reads them with one `recv(1024)`. So its requests are still sticky (粘包): only the
//!   replies are framed;
//! - **the length is `struct.pack('i', n)`**: 4 bytes in the machine's own byte order, which on
//!   the x86 and ARM machines students use is little-endian, and signed. We read and write exactly
//!   that, `'<i'` in Python's notation, where our frame uses `'!I'`;
//! - the 终极版's JSON header is ours (`total_size`, `md5`, and whatever else), but its `md5` is a
//!   placeholder string in the tutorial's server; a reader must not take that for a digest;
//! - the 初级版 has no header at all: the length is the body's.

use std::io::{self, Read};
use std::str::FromStr;

use super::bounded::{read_exactly, read_length};
use super::header::parse_header;
use super::{Frame, FrameError, Header, Limits};

/// Which wire lesson 6 speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// Ours: every message framed in both directions, a big-endian `u32` header length.
    Framed,
    /// The tutorial's 终极版: bare requests; replies `struct.pack('i', len(header))`, a JSON
    /// header, the body.
    Tutorial,
    /// The tutorial's 初级版: bare requests; replies `struct.pack('i', total_size)`, the body.
    TutorialBasic,
}

impl FromStr for Wire {
    type Err = String;

    fn from_str(name: &str) -> Result<Wire, String> {
        match name {
            "framed" => Ok(Wire::Framed),
            "tutorial" => Ok(Wire::Tutorial),
            "tutorial-basic" => Ok(Wire::TutorialBasic),
            _ => Err("expected framed, tutorial or tutorial-basic".to_string()),
        }
    }
}

/// Python's `struct.pack('i', n)` on a little-endian machine. A length over `i32::MAX` does not
/// fit (Python raises `struct.error`), so it is refused rather than sent wrong.
pub fn pack_i(n: usize) -> io::Result<[u8; 4]> {
    let n = i32::try_from(n).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{n} does not fit in struct.pack('i'), a signed 4-byte number"),
        )
    })?;
    Ok(n.to_le_bytes())
}

/// A reply as the tutorial's server sends it, in one buffer: `pack_i(len(header))`, the JSON
/// header (with a real md5), the body; or, for the 初级版, `pack_i(len(body))` and the body.
/// (For `Wire::Framed` this is our own frame.)
pub fn reply(wire: Wire, body: &[u8]) -> io::Result<Vec<u8>> {
    let mut reply = Vec::with_capacity(4 + 80 + body.len());
    match wire {
        Wire::Framed => super::write_frame(&mut reply, body)?,
        Wire::Tutorial => {
            let header = serde_json::to_vec(&Header::for_body(body))
                .expect("a Header always serializes to JSON");
            reply.extend_from_slice(&pack_i(header.len())?);
            reply.extend_from_slice(&header);
            reply.extend_from_slice(body);
        }
        Wire::TutorialBasic => {
            reply.extend_from_slice(&pack_i(body.len())?);
            reply.extend_from_slice(body);
        }
    }
    Ok(reply)
}

/// Reads one reply in `wire`'s format. `Ok(None)`: the stream ended cleanly before it.
///
/// Its length is read exactly like ours (4 bytes, however they arrive), just in the other byte
/// order; a negative `'i'` reads as a number over 2^31 and is refused by the limits, like any
/// other length too large.
pub fn read_reply(
    r: &mut impl Read,
    wire: Wire,
    limits: &Limits,
) -> Result<Option<Frame>, FrameError> {
    if wire == Wire::Framed {
        return super::read_frame(r, limits);
    }
    let what = if wire == Wire::Tutorial {
        "header length"
    } else {
        "length prefix"
    };
    let Some(len) = read_length(r, what)?.map(u32::swap_bytes) else {
        return Ok(None);
    };
    let header = match wire {
        Wire::Tutorial => {
            limits.check_header_len(len)?;
            parse_header(&read_exactly(r, u64::from(len), "header", None)?)?
        }
        _ => Header::new(u64::from(len)),
    };
    limits.check_body_len(header.total_size)?;
    let body = read_exactly(r, header.total_size, "body", None)?;
    Ok(Some(Frame::with_header(header, body)))
}

/// Whether a header's md5 is a digest at all: 32 hex digits. The tutorial's server sends a
/// placeholder (`"sssxxxadwc123asd123"`) that no body can match, and checking it would only
/// ever fail.
pub fn is_digest(md5: &str) -> bool {
    md5.len() == 32 && md5.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_i_is_little_endian_and_signed() {
        assert_eq!(pack_i(1_231_231).unwrap(), [0x7f, 0xc9, 0x12, 0x00]);
        assert_eq!(pack_i(118).unwrap(), *b"v\0\0\0");
        assert!(pack_i(1 << 31).is_err());
    }

    #[test]
    fn replies_round_trip_in_every_wire() {
        for wire in [Wire::Framed, Wire::Tutorial, Wire::TutorialBasic] {
            for body in [&b""[..], b"hi\n", &[7u8; 3000]] {
                let bytes = reply(wire, body).unwrap();
                let mut r = &bytes[..];
                let frame = read_reply(&mut r, wire, &Limits::REPLY).unwrap().unwrap();
                assert_eq!(frame.body, body, "{wire:?}");
                assert!(read_reply(&mut r, wire, &Limits::REPLY).unwrap().is_none());
            }
        }
    }

    #[test]
    fn the_tutorials_own_reply_is_read_placeholder_md5_and_all() {
        // As the tutorial's server builds it: json.dumps, with spaces and its misspelt key.
        let header = br#"{"filenema": "a.txt", "total_size": 3, "md5": "sssxxxadwc123asd123"}"#;
        let mut bytes = (header.len() as i32).to_le_bytes().to_vec();
        bytes.extend_from_slice(header);
        bytes.extend_from_slice(b"hi\n");
        let frame = read_reply(&mut &bytes[..], Wire::Tutorial, &Limits::REPLY)
            .unwrap()
            .unwrap();
        assert_eq!(frame.body, b"hi\n");
        assert!(!is_digest(frame.header.md5.as_deref().unwrap()));
        assert_eq!(frame.header.get_str("filenema"), Some("a.txt"));
        assert!(is_digest(&super::super::md5_hex(b"hi\n")));
    }

    #[test]
    fn a_negative_or_huge_length_is_refused_by_the_limits() {
        let bytes = (-1i32).to_le_bytes();
        assert!(matches!(
            read_reply(&mut &bytes[..], Wire::TutorialBasic, &Limits::REPLY),
            Err(FrameError::BodyTooLarge { .. })
        ));
        assert!(matches!(
            read_reply(&mut &bytes[..], Wire::Tutorial, &Limits::REPLY),
            Err(FrameError::HeaderTooLong { .. })
        ));
    }
}
