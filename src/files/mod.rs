//! Files over the frame (lesson 8): the served folder, files that appear only when whole, and
//! the small vocabulary of requests and replies.
//!
//! The lesson itself (`src/lessons/file_transfer.rs`) is the part that moves bytes: a header,
//! then a body that streams between a socket and a file. What it leans on lives here, one concept
//! per file:
//!
//! | file | what it holds |
//! |---|---|
//! | `root.rs` | [`Root`]: the served folder, and how a client's name becomes a path inside it or is refused |
//! | `partial.rs` | [`PartialFile`]: a file written under a temporary name and renamed when whole |
//! | `md5_memory.rs` | what the server remembers of a file's md5, so a download need not hash it twice |
//! | `protocol.rs` | the requests (`get`, `put`, `list`) and replies as headers, and the flags |
//! | `client.rs` | the client's commands, typed or given on the command line, and what it prints |

mod client;
mod md5_memory;
mod partial;
mod protocol;
mod root;

pub use client::{FileCommand, command_failed, get, progress, put, run, run_typed};
pub use partial::PartialFile;
pub use protocol::{
    DEFAULT_MAX_UPLOAD, Listed, MAX_UPLOAD, REPLY_LIMITS, ROOT, Request, answer, discard, not_kept,
    parse_size, read_reply, reply_if_refused, request, root_from, send_list,
};
pub use root::{Refused, Root};
