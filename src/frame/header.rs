//! The header (报头): a small JSON object that says how long the body is.

use serde::{Deserialize, Serialize};

use super::{FrameError, md5_hex};

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

/// The header that describes `body`.
pub(super) fn header_for(body: &[u8]) -> Header {
    Header {
        // usize -> u64 never loses anything on the platforms Rust supports.
        total_size: body.len() as u64,
        md5: Some(md5_hex(body)),
    }
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
