//! Everything that can go wrong while reading a frame, one variant per mistake.

use std::io;

/// Everything that can go wrong while reading a frame.
///
/// Each way a peer can break the protocol gets its own variant, so that callers
/// can react differently (log and drop the client, say) and tests can check that
/// the *right* thing went wrong, not just that something did.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The socket itself failed (connection reset, timeout, ...).
    #[error("I/O error while reading a frame: {0}")]
    Io(#[source] io::Error),

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

impl FrameError {
    /// Whether a read timed out: no byte came within the stream's read timeout. Nothing is wrong
    /// with the frame (a [`FrameReader`](super::FrameReader) can even carry on with it).
    pub fn is_timeout(&self) -> bool {
        matches!(self, FrameError::Io(e) if crate::timeout::is_timeout(e))
    }
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

/// The way back: lets frame code use `?` on I/O results. An `io::Error` that carries a
/// `FrameError` inside (made by the impl above, or by a [`BodyReader`](super::BodyReader) whose
/// stream ended early) comes out as that `FrameError` again, not as "an I/O error"; any other
/// is [`FrameError::Io`].
impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> FrameError {
        if e.get_ref().is_some_and(|inner| inner.is::<FrameError>()) {
            let inner = e
                .into_inner()
                .expect("it was just seen to hold a FrameError");
            return *inner
                .downcast::<FrameError>()
                .expect("it was just seen to be a FrameError");
        }
        FrameError::Io(e)
    }
}
