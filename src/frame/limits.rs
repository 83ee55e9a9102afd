//! How much a reader accepts from its peer, checked before anything of that size is allocated.

use super::FrameError;

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

    /// Refuses a header length over [`Limits::max_header_len`].
    ///
    /// Every reader in this module (the blocking one, the streaming one, the decoder) asks
    /// here, so the same announcement gets the same answer whichever reader hears it.
    pub fn check_header_len(&self, len: u32) -> Result<(), FrameError> {
        if len > self.max_header_len {
            return Err(FrameError::HeaderTooLong {
                len,
                limit: self.max_header_len,
            });
        }
        Ok(())
    }

    /// Refuses a body size over [`Limits::max_body_len`].
    pub fn check_body_len(&self, size: u64) -> Result<(), FrameError> {
        if size > self.max_body_len {
            return Err(FrameError::BodyTooLarge {
                size,
                limit: self.max_body_len,
            });
        }
        Ok(())
    }
}
