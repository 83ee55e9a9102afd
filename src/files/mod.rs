//! Files over the frame (lesson 8): the served folder, files that appear only when whole, and
//! the small vocabulary of requests and replies.
//!
//! The lesson itself (`src/lessons/file_transfer.rs`) is the part that moves bytes, on both
//! sides: a header, then a body that streams between a socket and a file (the server's `get` and
//! `put`, and the client's). What it leans on lives here, one concept per file:
//!
//! | file | what it holds |
//! |---|---|
//! | `root.rs` | [`Root`]: the served folder, and how a client's name becomes a path inside it or is refused |
//! | `partial.rs` | [`PartialFile`]: a file written under a temporary name and renamed when whole |
//! | `md5_memory.rs` | what the server remembers of a file's md5, so a download need not hash it twice |
//! | `protocol.rs` | the requests (`get`, `put`, `list`) and replies as headers, and the flags |
//! | `error.rs` | [`FileError`]: a request refused with a reason (the conversation goes on), or fatal; [`Refused`] and [`Hangup`], said in English to the log and in the process's language to the peer |
//! | `client.rs` | the client's commands, typed or given on the command line, its progress bar and what it prints |

mod client;
mod error;
mod md5_memory;
mod partial;
mod protocol;
mod root;

pub use client::{
    FileCommand, download_path, human_size, list, progress, say_got, say_stored, typed_usage,
    upload_name,
};
pub use error::{FileError, FileKind, Hangup, Refused};
pub use partial::{MAX_NAME_BYTES, PartialFile, leftovers, remove_unfinished};
pub use protocol::{
    DEFAULT_MAX_UPLOAD, DEFAULT_ROOT, FileServerFlags, Listed, REPLY_LIMITS, Request, cut_off,
    discard, not_kept, read_reply, refuse, request, send_list,
};
pub use root::Root;

/// How much of a body is moved between socket and disk at a time: 256 KiB. `io::copy` alone
/// moves 8 KiB per read and per write; for a 1 GiB file that is 131,072 of each, and the
/// system calls cost a good part of what hashing costs. (A `BufReader` of this capacity makes
/// `io::copy` use its buffer instead. A `BodyReader` never reads past its body, so the buffer
/// cannot swallow the next request.)
pub const COPY_BUFFER: usize = 256 * 1024;

/// `reader` behind a buffer of [`COPY_BUFFER`] bytes, for `io::copy`.
pub fn buffered<R: std::io::Read>(reader: R) -> std::io::BufReader<R> {
    std::io::BufReader::with_capacity(COPY_BUFFER, reader)
}
