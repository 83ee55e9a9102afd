//! The md5 in the header: a cheap end-to-end "did the whole body arrive intact?" check.

use md5::digest::Output;
use md5::{Digest, Md5};

/// The outcome of comparing a frame's body with the md5 its header announced.
///
/// A plain `bool` would have to lie in one case: when the header carries no md5
/// at all, the body is neither "verified" nor "corrupt". So there are three answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Md5Check {
    /// The header's md5 equals the md5 of the body we received.
    Matches,
    /// The header announced one md5, the body we received has another.
    Mismatch { expected: String, actual: String },
    /// The header had no md5 field, so there was nothing to compare against.
    Absent,
}

/// The 16 bytes of an md5, as the hasher hands them out.
pub(super) type Md5Digest = Output<Md5>;

impl Md5Check {
    /// Compares the md5 a header announced (if any) with the md5 of the body.
    pub(super) fn compare(expected: Option<&str>, actual: &Md5Digest) -> Md5Check {
        let Some(expected) = expected else {
            return Md5Check::Absent;
        };
        let actual = format!("{actual:x}");
        // We always send lower case (as Python's hexdigest() does), but hex is
        // hex: a peer that sends "5D41..." means the same digest, so we accept it.
        if expected.eq_ignore_ascii_case(&actual) {
            Md5Check::Matches
        } else {
            Md5Check::Mismatch {
                expected: expected.to_string(),
                actual,
            }
        }
    }
}

/// The md5 of `bytes` as 32 lower-case hex digits, like Python's `hexdigest()`.
pub fn md5_hex(bytes: &[u8]) -> String {
    format!("{:x}", Md5::digest(bytes))
}
