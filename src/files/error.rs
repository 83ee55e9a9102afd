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
//!
//! A refusal is said to two audiences, in two languages. The server's log says it in English
//! (`Display`: a log is for `grep`); the peer, and the person at the client, are told it in the
//! process's language ([`Refused::told`]). So a refusal is not a sentence but a reason with its
//! facts (which name, how many bytes), and the sentence is made where it is said, from the
//! catalogue (`i18n/…/socket_lessons.ftl`, section "Files").

use std::io;
use std::path::Path;

use i18n_embed_fl::fl;

use crate::frame::FrameError;
use crate::i18n::{self, Lang};

/// Why a request was refused, with the facts the sentence needs. Names and paths are kept as
/// they came; the server's log escapes the whole sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    // The name a client sent: how `Root::resolve` refuses it.
    NameEmpty,
    NameHasNul,
    NameHasBackslash,
    NameAbsolute,
    NameHasEmptyPart,
    NameHasDot,
    NameHasDotDot,
    NameHidden,
    NamePartTooLong {
        bytes: usize,
    },
    NameNamesNoFile,
    NoSuchFolder,
    LeadsOutside,
    // The file it names, on the server.
    NoSuchFile {
        name: String,
    },
    CannotOpen {
        name: String,
        why: String,
    },
    /// A file that cannot be read (the server's, or the client's own for a `put`).
    CannotRead {
        name: String,
        why: String,
    },
    NotARegularFile {
        name: String,
        kind: FileKind,
    },
    IsAFolder {
        name: String,
    },
    ExistsOnServer {
        name: String,
    },
    CannotStore {
        name: String,
        why: String,
    },
    // The request itself.
    NoFilename,
    /// A request other than `put` with a body (`action` escaped and cut; `None`: no action).
    BodyNotPut {
        action: Option<String>,
        bytes: u64,
    },
    PutWithoutMd5,
    /// `action` escaped and cut, as it will be shown.
    UnknownAction {
        action: String,
    },
    NoAction,
    // What arrived: an upload on the server, a download on the client.
    /// `expected` is the header's, escaped.
    Md5Mismatch {
        name: String,
        expected: String,
        actual: String,
    },
    Md5Absent {
        name: String,
    },
    // The client's own refusals, and the server's as the client passes them on.
    /// The server's `error` sentence, escaped: passed on in the words the server chose.
    ServerRefused {
        said: String,
    },
    /// A name to download that has no last part (`name` as Rust's `{:?}` shows it).
    NamesNoFile {
        name: String,
    },
    DownloadNameTooLong {
        path: String,
        bytes: usize,
    },
    ExistsHere {
        path: String,
    },
    /// A path to upload that has no file name.
    PathNamesNoFile {
        path: String,
    },
    ListingDamaged,
    ListingNotJson {
        why: String,
    },
}

/// What a file that is not a regular file is, for the refusal that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    NamedPipe,
    Socket,
    Device,
    Folder,
    Other,
}

impl Refused {
    /// The refusal as the peer, or the person at the client, is told it: in the process's
    /// language. (The log says it in English, through `Display`.)
    pub fn told(&self) -> String {
        self.in_language(i18n::current())
    }

    /// "cannot read PATH: why", for a file this side cannot read.
    pub fn cannot_read(path: &Path, e: &io::Error) -> Refused {
        Refused::CannotRead {
            name: path.display().to_string(),
            why: e.to_string(),
        }
    }

    /// The sentence in `lang`. Numbers are passed as text: Fluent would group their digits.
    pub fn in_language(&self, lang: Lang) -> String {
        let loader = i18n::loader_in(lang);
        match self {
            Refused::NameEmpty => fl!(loader, "files-name-empty"),
            Refused::NameHasNul => fl!(loader, "files-name-has-nul"),
            Refused::NameHasBackslash => fl!(loader, "files-name-has-backslash"),
            Refused::NameAbsolute => fl!(loader, "files-name-absolute"),
            Refused::NameHasEmptyPart => fl!(loader, "files-name-has-empty-part"),
            Refused::NameHasDot => fl!(loader, "files-name-has-dot"),
            Refused::NameHasDotDot => fl!(loader, "files-name-has-dot-dot"),
            Refused::NameHidden => fl!(loader, "files-name-hidden"),
            Refused::NamePartTooLong { bytes } => fl!(
                loader,
                "files-name-part-too-long",
                max = super::MAX_NAME_BYTES.to_string(),
                bytes = bytes.to_string()
            ),
            Refused::NameNamesNoFile => fl!(loader, "files-name-names-no-file"),
            Refused::NoSuchFolder => fl!(loader, "files-no-such-folder"),
            Refused::LeadsOutside => fl!(loader, "files-leads-outside"),
            Refused::NoSuchFile { name } => fl!(loader, "files-no-such-file", name = name),
            Refused::CannotOpen { name, why } => {
                fl!(loader, "files-cannot-open", name = name, why = why)
            }
            Refused::CannotRead { name, why } => {
                fl!(loader, "files-cannot-read", name = name, why = why)
            }
            Refused::NotARegularFile { name, kind } => fl!(
                loader,
                "files-not-a-regular-file",
                name = name,
                kind = kind.in_language(lang)
            ),
            Refused::IsAFolder { name } => fl!(loader, "files-is-a-folder", name = name),
            Refused::ExistsOnServer { name } => {
                fl!(loader, "files-exists-on-server", name = name)
            }
            Refused::CannotStore { name, why } => {
                fl!(loader, "files-cannot-store", name = name, why = why)
            }
            Refused::NoFilename => fl!(loader, "files-no-filename"),
            Refused::BodyNotPut { action, bytes } => fl!(
                loader,
                "files-body-not-put",
                action = action
                    .clone()
                    .unwrap_or_else(|| fl!(loader, "files-unnamed-action")),
                bytes = bytes.to_string()
            ),
            Refused::PutWithoutMd5 => fl!(loader, "files-put-without-md5"),
            Refused::UnknownAction { action } => {
                fl!(loader, "files-unknown-action", action = action)
            }
            Refused::NoAction => fl!(loader, "files-no-action"),
            Refused::Md5Mismatch {
                name,
                expected,
                actual,
            } => fl!(
                loader,
                "files-md5-mismatch",
                name = name,
                expected = expected,
                actual = actual
            ),
            Refused::Md5Absent { name } => fl!(loader, "files-md5-absent", name = name),
            Refused::ServerRefused { said } => fl!(loader, "files-server-refused", said = said),
            Refused::NamesNoFile { name } => fl!(loader, "files-names-no-file", name = name),
            Refused::DownloadNameTooLong { path, bytes } => fl!(
                loader,
                "files-download-name-too-long",
                path = path,
                bytes = bytes.to_string(),
                max = super::MAX_NAME_BYTES.to_string()
            ),
            Refused::ExistsHere { path } => fl!(loader, "files-exists-here", path = path),
            Refused::PathNamesNoFile { path } => {
                fl!(loader, "files-path-names-no-file", path = path)
            }
            Refused::ListingDamaged => fl!(loader, "files-listing-damaged"),
            Refused::ListingNotJson { why } => fl!(loader, "files-listing-not-json", why = why),
        }
    }
}

impl FileKind {
    fn in_language(self, lang: Lang) -> String {
        let loader = i18n::loader_in(lang);
        match self {
            FileKind::NamedPipe => fl!(loader, "files-kind-named-pipe"),
            FileKind::Socket => fl!(loader, "files-kind-socket"),
            FileKind::Device => fl!(loader, "files-kind-device"),
            FileKind::Folder => fl!(loader, "files-kind-folder"),
            FileKind::Other => fl!(loader, "files-kind-other"),
        }
    }
}

/// In English, for the log (and for whoever reads an error value in a test or a debugger).
impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_language(Lang::En))
    }
}

impl std::error::Error for Refused {}

/// The server went away in the middle of a request: fatal (nothing more can be said on that
/// connection), and the person at the client reads why. Like a refusal, it is said in English
/// to a log (`Display`) and in the process's language to a person ([`Hangup::told`]); it
/// travels inside an `io::Error` of kind `UnexpectedEof`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hangup {
    /// Before its reply's header.
    BeforeTheReply,
    /// In the middle of a body: `received` of `expected` bytes had arrived, and none was kept.
    MidTransfer {
        name: String,
        received: u64,
        expected: u64,
    },
}

impl Hangup {
    /// What the person at the client reads, in the process's language.
    pub fn told(&self) -> String {
        self.in_language(i18n::current())
    }

    /// The sentence in `lang`. Numbers are passed as text: Fluent would group their digits.
    pub fn in_language(&self, lang: Lang) -> String {
        let loader = i18n::loader_in(lang);
        match self {
            Hangup::BeforeTheReply => fl!(loader, "files-server-hung-up"),
            Hangup::MidTransfer {
                name,
                received,
                expected,
            } => fl!(
                loader,
                "files-server-hung-up-mid-transfer",
                name = name,
                received = received.to_string(),
                expected = expected.to_string()
            ),
        }
    }
}

/// In English, for the log.
impl std::fmt::Display for Hangup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_language(Lang::En))
    }
}

impl std::error::Error for Hangup {}

impl From<Hangup> for io::Error {
    fn from(hangup: Hangup) -> io::Error {
        io::Error::new(io::ErrorKind::UnexpectedEof, hangup)
    }
}

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
    /// A refusal to `put` a local file this side cannot read.
    pub fn cannot_read(path: &Path, e: io::Error) -> FileError {
        FileError::Refused(Refused::cannot_read(path, &e))
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
/// with its sentence, in the process's language (the command line prints it for a person); a
/// fatal error stays what it was.
impl From<FileError> for io::Error {
    fn from(e: FileError) -> io::Error {
        match e {
            FileError::Refused(refused) => io::Error::other(refused.told()),
            FileError::Fatal(e) => e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of each refusal, with facts that show where each argument lands.
    fn every_refusal() -> Vec<Refused> {
        let name = || "a.txt".to_string();
        let why = || "Permission denied (os error 13)".to_string();
        vec![
            Refused::NameEmpty,
            Refused::NameHasNul,
            Refused::NameHasBackslash,
            Refused::NameAbsolute,
            Refused::NameHasEmptyPart,
            Refused::NameHasDot,
            Refused::NameHasDotDot,
            Refused::NameHidden,
            Refused::NamePartTooLong { bytes: 201 },
            Refused::NameNamesNoFile,
            Refused::NoSuchFolder,
            Refused::LeadsOutside,
            Refused::NoSuchFile { name: name() },
            Refused::CannotOpen {
                name: name(),
                why: why(),
            },
            Refused::CannotRead {
                name: name(),
                why: why(),
            },
            Refused::NotARegularFile {
                name: name(),
                kind: FileKind::NamedPipe,
            },
            Refused::IsAFolder { name: name() },
            Refused::ExistsOnServer { name: name() },
            Refused::CannotStore {
                name: name(),
                why: why(),
            },
            Refused::NoFilename,
            Refused::BodyNotPut {
                action: None,
                bytes: 5,
            },
            Refused::PutWithoutMd5,
            Refused::UnknownAction {
                action: "\"frob\"".into(),
            },
            Refused::NoAction,
            Refused::Md5Mismatch {
                name: name(),
                expected: "\"00\"".into(),
                actual: "5d41402abc4b2a76b9719d911017c592".into(),
            },
            Refused::Md5Absent { name: name() },
            Refused::ServerRefused {
                said: "\"no such file: a.txt\"".into(),
            },
            Refused::NamesNoFile {
                name: "\"..\"".into(),
            },
            Refused::DownloadNameTooLong {
                path: name(),
                bytes: 201,
            },
            Refused::ExistsHere { path: name() },
            Refused::PathNamesNoFile { path: "/".into() },
            Refused::ListingDamaged,
            Refused::ListingNotJson { why: why() },
        ]
    }

    #[test]
    fn the_english_sentences_are_the_ones_lesson8_has_always_said() {
        let said: Vec<String> = every_refusal().iter().map(Refused::to_string).collect();
        assert_eq!(said[12], "no such file: a.txt");
        assert_eq!(
            said[8],
            "a part of a name is at most 200 bytes long, and this one has 201: a file is \
             received under a longer, temporary name beside it, and the system allows 255"
        );
        assert_eq!(
            said[15],
            "a.txt is a named pipe (FIFO), not a regular file: only regular files are served"
        );
        assert_eq!(
            said[20],
            "only a put has a body; this unnamed request has 5 bytes"
        );
        assert_eq!(
            said[24],
            "a.txt: the md5 of what arrived is 5d41402abc4b2a76b9719d911017c592, but the header \
             said \"00\"; nothing was kept"
        );
        assert_eq!(said[26], "the server refused: \"no such file: a.txt\"");
        assert_eq!(
            said[29],
            "a.txt exists here; not overwriting it (move it away first; on the command line, \
             --force replaces it and -o PATH writes elsewhere)"
        );
    }

    #[test]
    fn a_server_gone_mid_request_is_said_in_english_as_before_and_in_chinese_with_its_facts() {
        let before = Hangup::BeforeTheReply;
        assert_eq!(before.to_string(), "the server closed the connection");
        let mid = Hangup::MidTransfer {
            name: "a.bin".to_string(),
            received: 524288,
            expected: 1048576,
        };
        assert_eq!(
            mid.to_string(),
            "a.bin: the server closed the connection mid-transfer, after 524288 of 1048576 \
             bytes; nothing was kept"
        );
        let chinese = mid.in_language(Lang::Zh);
        for fact in ["a.bin", "524288", "1048576"] {
            assert!(chinese.contains(fact), "{fact} missing from {chinese:?}");
        }
        assert!(chinese.contains("服务端"), "{chinese}");
        assert!(before.in_language(Lang::Zh).contains("服务端"));
        // It travels as an io::Error that says the stream ended, and still knows what it is.
        let e = io::Error::from(mid.clone());
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(
            e.get_ref().and_then(|inner| inner.downcast_ref::<Hangup>()),
            Some(&mid)
        );
    }

    #[test]
    fn every_refusal_is_said_in_chinese_with_its_facts() {
        for refused in every_refusal() {
            let english = refused.in_language(Lang::En);
            let chinese = refused.in_language(Lang::Zh);
            assert!(
                chinese
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "not Chinese: {chinese:?}"
            );
            // Every fact of the English sentence (a name, a number, an md5, the system's words)
            // is in the Chinese one too.
            for fact in [
                "a.txt",
                "201",
                "5d41402abc4b2a76b9719d911017c592",
                "Permission denied",
                "\"frob\"",
            ] {
                if english.contains(fact) {
                    assert!(chinese.contains(fact), "{fact} missing from {chinese:?}");
                }
            }
        }
    }
}
