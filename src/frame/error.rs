//! Everything that can go wrong while reading a frame, one variant per mistake.

use std::io;

use i18n_embed_fl::fl;

/// Everything that can go wrong while reading a frame.
///
/// `Display` says it in English, for the log; [`FrameError::told`] says it in the process's
/// language, for the peer.
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
    /// The error as the peer is told it, in an `error` header field before we hang up: in the
    /// server's language. (The log says it in English, through `Display`.)
    pub fn told(&self) -> String {
        self.in_language(crate::i18n::current())
    }

    /// The sentence in `lang`; in English, exactly what `Display` says (a test checks).
    /// Numbers are passed as text: Fluent would group their digits.
    pub fn in_language(&self, lang: crate::i18n::Lang) -> String {
        let loader = crate::i18n::loader_in(lang);
        match self {
            FrameError::Io(e) => fl!(loader, "frame-io", why = e.to_string()),
            FrameError::HeaderTooLong { len, limit } => fl!(
                loader,
                "frame-header-too-long",
                len = len.to_string(),
                limit = limit.to_string()
            ),
            FrameError::BodyTooLarge { size, limit } => fl!(
                loader,
                "frame-body-too-large",
                size = size.to_string(),
                limit = limit.to_string()
            ),
            FrameError::HeaderNotUtf8 => fl!(loader, "frame-header-not-utf8"),
            // serde's own words stay as serde says them.
            FrameError::HeaderNotJson(e) => {
                fl!(loader, "frame-header-not-json", why = e.to_string())
            }
            FrameError::HeaderNotObject => fl!(loader, "frame-header-not-object"),
            FrameError::MissingTotalSize => fl!(loader, "frame-missing-total-size"),
            FrameError::EndedMidFrame {
                what,
                expected,
                received,
            } => {
                let what = match *what {
                    "header length" => fl!(loader, "frame-part-header-length"),
                    "header" => fl!(loader, "frame-part-header"),
                    "length prefix" => fl!(loader, "frame-part-length-prefix"),
                    _ => fl!(loader, "frame-part-body"),
                };
                fl!(
                    loader,
                    "frame-ended-mid-frame",
                    what = what,
                    expected = expected.to_string(),
                    received = received.to_string()
                )
            }
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_peer_is_told_in_english_what_the_log_says_and_in_chinese_the_same_facts() {
        let not_json = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
        let every = [
            FrameError::Io(io::Error::other("broken pipe")),
            FrameError::HeaderTooLong {
                len: 70000,
                limit: 65536,
            },
            FrameError::BodyTooLarge {
                size: 9000000,
                limit: 8388608,
            },
            FrameError::HeaderNotUtf8,
            FrameError::HeaderNotJson(not_json),
            FrameError::HeaderNotObject,
            FrameError::MissingTotalSize,
            FrameError::EndedMidFrame {
                what: "header length",
                expected: 4,
                received: 1,
            },
            FrameError::EndedMidFrame {
                what: "header",
                expected: 57,
                received: 20,
            },
            FrameError::EndedMidFrame {
                what: "body",
                expected: 10,
                received: 3,
            },
            FrameError::EndedMidFrame {
                what: "length prefix",
                expected: 4,
                received: 2,
            },
        ];
        for e in &every {
            assert_eq!(e.in_language(Lang::En), e.to_string());
            let chinese = e.in_language(Lang::Zh);
            assert!(
                chinese
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{chinese}"
            );
            for number in [
                "70000", "65536", "9000000", "8388608", "57", "20", "10", "3",
            ] {
                if e.to_string().contains(number) {
                    assert!(chinese.contains(number), "{number}: {chinese}");
                }
            }
        }
    }
}
