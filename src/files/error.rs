//! How a request of the file service goes wrong: refused, with a reason, or fatally.
//!
//! The two are handled in opposite ways, by the server and by the client alike, so they are two
//! variants of one type, and the code that meets them branches on which:
//!
//! - **refused**: the request is over, the conversation is not. The server answers with an
//!   `error` reply (a name outside the folder, a missing file, an upload whose md5 did not match)
//!   and reads the next request; the client prints an `error:` line (the server's refusal, a wrong
//!   md5, a local file in the way) and takes the next command.
//! - **fatal**: the connection (or the disk) failed, and nothing more can be said on it: the
//!   server ends that connection, the client ends its session.

use std::io;

use crate::frame::FrameError;

/// Why a request was refused: a sentence for the other side (or the user), shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// A request that went wrong, and whether the conversation can go on.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Refused, with the reason: this request is over, the connection is still in step and
    /// usable.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// The connection or the disk failed: nothing more can be said on this connection.
    #[error(transparent)]
    Fatal(#[from] io::Error),
}

impl FileError {
    /// A refusal with this sentence.
    pub fn refused(reason: impl Into<String>) -> FileError {
        FileError::Refused(Refused(reason.into()))
    }
}

/// A broken frame (or a connection that ended in the middle of one) leaves the stream out of
/// step: fatal.
impl From<FrameError> for FileError {
    fn from(e: FrameError) -> FileError {
        FileError::Fatal(e.into())
    }
}

/// For code that works in `io::Result` (the command line, a demo): a refusal becomes an error
/// with its sentence, a fatal error stays what it was.
impl From<FileError> for io::Error {
    fn from(e: FileError) -> io::Error {
        match e {
            FileError::Refused(refused) => io::Error::other(refused.0),
            FileError::Fatal(e) => e,
        }
    }
}
