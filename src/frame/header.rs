//! The header (报头): a small JSON object that says how long the body is, and anything else the
//! two sides want to say about it.

use std::io::{self, Read};

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{FrameError, md5_hex};

/// The JSON header (报头) that precedes every body.
///
/// On the wire it looks like `{"total_size":5,"md5":"5d41402abc4b2a76b9719d911017c592"}`.
/// Two fields have a meaning to this module: `total_size`, which every reader needs, and `md5`.
///
/// # An open header
///
/// A peer may send more fields: the tutorial's file transfer puts `"filename": "a.txt"` in the
/// same dictionary, later lessons add an `action` or an `error`. This header *keeps* every field
/// it does not know, with its value, and writes it out again when the header is sent. That
/// is what lets the protocol grow without breaking anyone: an old reader neither fails on a new
/// field nor loses it on the way through, and a new reader finds it with [`Header::get_str`].
///
/// ```
/// use socket_lessons::frame::Header;
///
/// let header = Header::for_body(b"hello").with("filename", "a.txt");
/// assert_eq!(header.get_str("filename"), Some("a.txt"));
/// assert_eq!(
///     serde_json::to_string(&header).unwrap(),
///     r#"{"total_size":5,"md5":"5d41402abc4b2a76b9719d911017c592","filename":"a.txt"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// How many body bytes follow the header. The only field a reader needs.
    pub total_size: u64,
    /// Lower-case hex md5 of the body, like Python's `hashlib.md5(b).hexdigest()`.
    /// Optional: a frame without it is valid, it just cannot be checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
    /// Every other field, by name. `flatten` is serde's way of saying "the fields of this map sit
    /// at the same level as `total_size`", so on the wire they are ordinary fields of the one JSON
    /// object. Private, so that nobody can put a second `total_size` in here (see [`Header::set`]).
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl Header {
    /// A header announcing `total_size` body bytes, with no md5 and no other fields.
    pub fn new(total_size: u64) -> Header {
        Header {
            total_size,
            md5: None,
            extra: Map::new(),
        }
    }

    /// The header that describes `body`: its size and its md5.
    pub fn for_body(body: &[u8]) -> Header {
        // usize -> u64 never loses anything on the platforms Rust supports.
        let mut header = Header::new(body.len() as u64);
        header.md5 = Some(md5_hex(body));
        header
    }

    /// The header for a body that a reader will deliver (a file, say): reads `body` to its end
    /// once, counting and hashing, so that the frame can announce size and md5 before the body.
    ///
    /// That is the price of a protocol that names the md5 *before* the body: a sender hashes
    /// the whole body first, then sends it. For a file, rewind it in between (`file.rewind()`),
    /// and send it with [`write_frame_from`](super::write_frame_from).
    pub fn for_reader(body: &mut impl Read) -> io::Result<Header> {
        let mut md5 = Md5::new();
        // An md5 hasher is an `io::Write`: whatever is written to it is hashed.
        let total_size = io::copy(body, &mut md5)?;
        let mut header = Header::new(total_size);
        header.md5 = Some(format!("{:x}", md5.finalize()));
        Ok(header)
    }

    /// This header with one more field, for building a header in one expression:
    /// `Header::for_body(&bytes).with("filename", "a.txt")`.
    ///
    /// # Panics
    ///
    /// If `name` is `total_size` or `md5`, as [`Header::set`] does.
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Header {
        self.set(name, value);
        self
    }

    /// Sets a field other than `total_size` and `md5`, and returns what it held before.
    ///
    /// # Panics
    ///
    /// If `name` is `total_size` or `md5`. Those two are fields of their own (set
    /// `header.total_size` directly); a second copy among the others would put the same name
    /// twice into the JSON, and a reader would believe whichever came last. That is a bug in the
    /// calling code, not something a peer can cause, so it panics rather than return an error
    /// every caller would have to handle.
    pub fn set(&mut self, name: &str, value: impl Into<Value>) -> Option<Value> {
        assert!(
            !is_own_field(name),
            "`{name}` is a field of Header itself; set `header.{name}` instead"
        );
        self.extra.insert(name.to_string(), value.into())
    }

    /// A field other than `total_size` and `md5`, as the peer sent it (any JSON value).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.extra.get(name)
    }

    /// A field other than `total_size` and `md5`, if it is a JSON string.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name)?.as_str()
    }

    /// Takes a field other than `total_size` and `md5` out of the header.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.extra.remove(name)
    }

    /// All the fields other than `total_size` and `md5`, by name (in alphabetical order).
    pub fn extra_fields(&self) -> &Map<String, Value> {
        &self.extra
    }
}

/// The names this module gives a meaning to; everything else is an extra field.
fn is_own_field(name: &str) -> bool {
    matches!(name, "total_size" | "md5")
}

/// Turns the header bytes into a [`Header`], one check at a time so that each
/// kind of mistake gets its own error.
pub(super) fn parse_header(bytes: &[u8]) -> Result<Header, FrameError> {
    // serde_json would also reject bad UTF-8, but as a generic JSON error;
    // checking first lets us say exactly what is wrong.
    let text = std::str::from_utf8(bytes).map_err(|_| FrameError::HeaderNotUtf8)?;

    // Parse into a generic JSON value first. Deserializing straight into
    // `Header` would report "not an object" and "no total_size" as the same
    // kind of serde error, and we want to tell them apart.
    let value: Value = serde_json::from_str(text).map_err(FrameError::HeaderNotJson)?;
    let Value::Object(fields) = &value else {
        return Err(FrameError::HeaderNotObject);
    };

    // `as_u64` is `None` for negative numbers, fractions, strings and null,
    // which is exactly the set of things that cannot be a size.
    if fields.get("total_size").and_then(Value::as_u64).is_none() {
        return Err(FrameError::MissingTotalSize);
    }

    // Now the shape is known to be right, let serde fill in the struct. Fields
    // it does not know are not an error: they land in `extra`, kept for whoever
    // does know them. What can still fail here is a known field of the wrong
    // type, such as `"md5": 5`.
    serde_json::from_value(value).map_err(FrameError::HeaderNotJson)
}
