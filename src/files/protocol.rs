//! Lesson 8's requests and replies: lesson 6's frame, with a few fields in its open header.
//!
//! ```text
//! request  {"total_size":0,"md5":"d41d…","action":"get","filename":"a.txt"}      (no body)
//! reply    {"total_size":5,"md5":"5d41…","filename":"a.txt"}  hello               (the file)
//! request  {"total_size":5,"md5":"5d41…","action":"put","filename":"b.txt"}  hello (the file)
//! reply    {"total_size":0,"md5":"d41d…","filename":"b.txt"}                     (stored)
//! request  {"total_size":0,"md5":"d41d…","action":"list"}
//! reply    {"total_size":N,"md5":"…"}  [{"name":"a.txt","size":5}, …]             (JSON body)
//! refusal  {"total_size":N,"md5":"…","error":"no such file: c.txt"}  error: no such file: c.txt
//! ```
//!
//! `docs/contracts.md` has the whole contract, with a `get` written out byte by byte.

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

use super::{FileError, Hangup, PartialFile, Refused, Root};
use crate::escape::peer_text;
use crate::flags::{self, Size};
use crate::frame::{self, BodyReader, Header, Limits, Md5Check};
use crate::stage::ServerFlags;

/// What a client asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `get NAME`: send me this file.
    Get(String),
    /// `put NAME`: store the body under this name; a file already there is replaced only if
    /// `replace` (the header's `"replace": true`, which `put --force` sends).
    Put { name: String, replace: bool },
    /// `list`: which files are there?
    List,
}

impl Request {
    /// The request a header makes, or why it makes none.
    pub fn from_header(header: &Header) -> Result<Request, Refused> {
        let name = || {
            header
                .get_str("filename")
                .map(str::to_string)
                .ok_or(Refused::NoFilename)
        };
        let action = header.get_str("action");
        if header.total_size > 0 && action != Some("put") {
            // (Refused, its body is read and dropped, so the next request starts in its place.)
            return Err(Refused::BodyNotPut {
                action: action.map(|a| peer_text(a).cut_at(20).to_string()),
                bytes: header.total_size,
            });
        }
        match action {
            Some("get") => Ok(Request::Get(name()?)),
            // Without an md5 an upload could not be checked, so it could never be kept.
            Some("put") if header.md5.is_none() => Err(Refused::PutWithoutMd5),
            Some("put") => Ok(Request::Put {
                name: name()?,
                replace: header.get("replace").and_then(|v| v.as_bool()) == Some(true),
            }),
            Some("list") => Ok(Request::List),
            Some(other) => Err(Refused::UnknownAction {
                action: peer_text(other).cut_at(40).to_string(),
            }),
            None => Err(Refused::NoAction),
        }
    }
}

/// The header of a request without a body: `get NAME` or `list` (`name` is then empty).
pub fn request(action: &str, name: &str) -> Header {
    let header = Header::for_body(b"").with("action", action);
    if name.is_empty() {
        header
    } else {
        header.with("filename", name)
    }
}

/// Answers a refused request: its body (if any) is read to its end without keeping a byte, so
/// that the next request starts where it should, then an `error` reply says why: in the server's
/// language, while the log says it in English.
///
/// A refusal happens before any of the body has been read (a name is checked from the header),
/// which is why the whole body is still there to skip. (A put whose md5 did not match has read
/// its body already: the lesson answers it itself.)
pub fn refuse(conn: &mut (impl Read + Write), request: &Header, why: &Refused) -> io::Result<()> {
    // The sentence may repeat the name the client sent: escaped, so that it cannot forge a log line.
    log::info!("refused: {}", peer_text(&why.to_string()));
    BodyReader::new(&mut *conn, request).finish()?;
    frame::write_error(conn, why.told())
}

/// One entry of a `list` reply's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    pub name: String,
    pub size: u64,
}

/// Replies to `list`: the body is a JSON array of `{"name", "size"}`, sorted by name.
pub fn send_list(conn: &mut impl Write, root: &Root) -> io::Result<()> {
    let listed: Vec<Listed> = root
        .list()?
        .into_iter()
        .map(|(name, size)| Listed { name, size })
        .collect();
    let body = serde_json::to_vec(&listed).map_err(io::Error::other)?;
    frame::write_frame(conn, &body)
}

/// Drops an upload that did not match (its temporary file is removed) and says why it was not
/// kept: in that order, so that the temporary file is gone before the client hears of it.
pub fn discard(partial: PartialFile, name: &str, check: &Md5Check) -> Refused {
    drop(partial);
    not_kept(name, check)
}

/// Why a received file was not kept: a refusal, which ends one request, not the connection (the
/// whole body has been read).
pub fn not_kept(name: &str, check: &Md5Check) -> Refused {
    let name = name.to_string();
    match check {
        Md5Check::Mismatch { expected, actual } => Refused::Md5Mismatch {
            name,
            expected: peer_text(expected).to_string(),
            actual: actual.clone(),
        },
        _ => Refused::Md5Absent { name },
    }
}

/// A reply may announce any size (a file can be larger than memory: the body is streamed),
/// but its header is still held to lesson 6's limit.
pub const REPLY_LIMITS: Limits = Limits {
    max_body_len: u64::MAX,
    ..Limits::REPLY
};

/// Reads a reply's header. A reply with an `error` is a refusal with the server's sentence (its
/// body, the same sentence, is read and dropped); a server that hung up is fatal.
pub fn read_reply(phone: &mut impl Read) -> Result<Header, FileError> {
    let Some(reply) = frame::read_header(phone, &REPLY_LIMITS)? else {
        return Err(FileError::Fatal(Hangup::BeforeTheReply.into()));
    };
    if let Some(error) = reply.get_str("error") {
        // Shown to the person at the client, so a long sentence cut short says its length in
        // their language.
        let said = peer_text(error).told();
        BodyReader::new(&mut *phone, &reply).finish()?;
        return Err(Refused::ServerRefused { said }.into());
    }
    Ok(reply)
}

/// Turns a failed read of a body into what the user should read: a body cut off means the
/// server went away mid-transfer (`received` of `expected` bytes had arrived), and nothing was
/// kept. It is fatal either way.
pub fn cut_off(e: io::Error, name: &str, received: u64, expected: u64) -> FileError {
    if e.kind() != io::ErrorKind::UnexpectedEof || received >= expected {
        return FileError::Fatal(e);
    }
    FileError::Fatal(
        Hangup::MidTransfer {
            name: name.to_string(),
            received,
            expected,
        }
        .into(),
    )
}

/// The folder `lesson8 server` serves unless told otherwise, in the folder it was started from.
pub const DEFAULT_ROOT: &str = "./lesson8-files";

/// The default of `--max-upload`, in bytes: 1 GiB.
///
/// Memory is not the reason for a limit (an upload streams to disk in constant memory); the disk
/// is. Any client may upload, so without a limit one client fills the server's disk. 1 GiB is
/// more than anything a classroom moves (a video of a lecture is a few hundred MiB), and what
/// the benchmark sends; a few of them at once still fit on almost any disk.
pub const DEFAULT_MAX_UPLOAD: u64 = 1 << 30;

/// `--root DIR` and `--max-upload SIZE`: the folder a file server serves, and how much it takes.
#[derive(Debug, Clone, clap::Args)]
pub struct FileServerFlags {
    /// The folder to serve (created if missing). No name a client sends leads outside it
    #[arg(long, value_name = "DIR", default_value = DEFAULT_ROOT, value_parser = flags::folder)]
    pub root: std::path::PathBuf,

    /// The largest upload accepted, in bytes (K, M and G mean KiB, MiB and GiB); a bigger one is
    /// refused from its header, before a byte is stored
    #[arg(
        long,
        value_name = "SIZE",
        default_value_t = Size(DEFAULT_MAX_UPLOAD),
        allow_negative_numbers = true
    )]
    pub max_upload: Size,
}

/// The served folder, opened (and made, if missing) before the server listens: a folder that
/// cannot be served is said at once, not at the first request.
impl ServerFlags for FileServerFlags {
    type Prepared = Root;

    fn prepare(self, _: &mut Vec<String>) -> Result<Root, String> {
        let Size(max_upload) = self.max_upload;
        Root::open(&self.root, max_upload).map_err(|e| {
            let reason = match e.kind() {
                io::ErrorKind::PermissionDenied => crate::t!("files-root-permission-denied"),
                // Something other than a folder on the way (`--root a.txt/files`), or made there
                // since the flag was read.
                io::ErrorKind::AlreadyExists | io::ErrorKind::NotADirectory => {
                    crate::t!("files-root-in-the-way")
                }
                _ => e.to_string(),
            };
            format!("--root {}: {reason}", self.root.display())
        })
    }
}
