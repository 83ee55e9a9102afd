//! Lesson 8's file transfer, played from outside: `get` and `put` requests, each a fixed-header
//! frame whose header names the action and the file, and what the server answers to each
//! (docs/contracts.md, "File transfer", and the exercise's simplified wire in "Exercises").
//!
//! One experiment plays a whole conversation of such requests on one connection, each written
//! the way its [`Request`] says (whole, or dribbled a byte per write), and returns one
//! [`Answer`] per request: a file, an empty acknowledgement, a refusal, or what came instead.
//! The cases judge the list. The others play what no conversation can: an upload cut off half
//! way, and a download served while another client's upload is half sent.
//!
//! The folder the server serves is the runner's: it holds [`A_TXT`] with [`A_TXT_BODY`], and
//! beside it (outside the folder) `secret.txt` with [`SECRET_BODY`].

use crate::said::Said;
use serde::{Deserialize, Serialize};
use socket_lessons::frame::{self, FrameError, Header, Limits, Md5Check};

use super::boundaries::BETWEEN_PIECES;
use super::conn::is_reset;
use super::wire::{secs, shown};
use super::{Conn, Recorder, Run, Target};
use crate::probe::Chunking;

/// The file every files case expects the served folder to hold, and its contents.
pub const A_TXT: &str = "a.txt";
pub const A_TXT_BODY: &[u8] = b"hello\n";
/// What the file beside the served folder (`../secret.txt`) holds: never to be sent.
pub const SECRET_BODY: &[u8] = b"secret\n";

/// One request of a conversation.
#[derive(Debug, Clone)]
pub enum Request {
    /// `get NAME`.
    Get(String),
    /// `put NAME` with `body`, its header's md5 that of `md5_of` (the body's own, unless a
    /// case lies), its frame written as `chunking` cuts it.
    Put {
        name: String,
        body: Vec<u8>,
        md5_of: Vec<u8>,
        chunking: Chunking,
    },
}

impl Request {
    pub fn get(name: &str) -> Request {
        Request::Get(name.to_string())
    }

    /// An honest upload, in one write.
    pub fn put(name: &str, body: &[u8]) -> Request {
        Request::Put {
            name: name.to_string(),
            body: body.to_vec(),
            md5_of: body.to_vec(),
            chunking: Chunking::Whole,
        }
    }

    /// The request's frame, on the wire.
    pub fn frame(&self) -> Vec<u8> {
        let (header, body) = match self {
            Request::Get(name) => (
                Header::for_body(b"")
                    .with("action", "get")
                    .with("filename", name.as_str()),
                &[][..],
            ),
            Request::Put {
                name, body, md5_of, ..
            } => {
                let mut header = Header::for_body(body)
                    .with("action", "put")
                    .with("filename", name.as_str());
                header.md5 = Some(frame::md5_hex(md5_of));
                (header, body.as_slice())
            }
        };
        let mut bytes = Vec::new();
        frame::write_frame_with(&mut bytes, &header, body).expect("writing to a Vec cannot fail");
        bytes
    }

    /// How the request is said in a report: `get a.txt`, `put b.txt (9 bytes)`.
    pub fn said(&self) -> Said {
        match self {
            Request::Get(name) => format!("get {}", shown(name.as_bytes())).into(),
            Request::Put { name, body, .. } => crate::said!(
                "scenario-files-put",
                name = shown(name.as_bytes()),
                bytes = body.len().to_string()
            ),
        }
    }
}

/// What the server answered to one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// A frame without `error`: `filename` from its header, its body, whether its md5 matched.
    File {
        filename: Option<String>,
        body: Vec<u8>,
        md5_matches: bool,
    },
    /// An error frame: its `error` text.
    Refused { text: String },
    /// No answer: `why` (nothing within the patience, the end of the stream, a reset, bytes
    /// that are no frame).
    Missing { why: Said },
}

impl Answer {
    /// The answer in a few words, for a report.
    pub fn said(&self) -> Said {
        match self {
            Answer::File { body, .. } if body.is_empty() => {
                crate::said!("scenario-files-reply-without-error")
            }
            Answer::File { body, .. } => {
                crate::said!("scenario-files-the-body", body = shown(body))
            }
            Answer::Refused { text } => {
                crate::said!("scenario-files-the-error", text = shown(text.as_bytes()))
            }
            Answer::Missing { why } => why.clone(),
        }
    }

    pub fn is_refusal(&self) -> bool {
        matches!(self, Answer::Refused { .. })
    }
}

/// What became of a conversation: one answer per request, until the first that is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Conversation {
    Answered {
        answers: Vec<Answer>,
    },
    /// The client could not connect: `why`.
    CannotConnect {
        why: Said,
    },
}

/// Sends each request in turn on one connection, reading the answer to each before the next.
pub fn conversation(target: &Target, requests: &[Request]) -> Run<Conversation> {
    Run::one_client(
        target,
        |why| Conversation::CannotConnect { why },
        |a, _| Conversation::Answered {
            answers: talk(a, requests),
        },
    )
}

/// The requests, one after another on `a`, each answer read before the next request is sent;
/// stops after the first missing answer.
pub fn talk(a: &mut Conn, requests: &[Request]) -> Vec<Answer> {
    let mut answers = Vec::new();
    for request in requests {
        let answer = ask(a, request);
        let missing = matches!(answer, Answer::Missing { .. });
        answers.push(answer);
        if missing {
            break;
        }
    }
    answers
}

/// One request and its answer.
fn ask(a: &mut Conn, request: &Request) -> Answer {
    let bytes = request.frame();
    let chunking = match request {
        Request::Put { chunking, .. } => chunking.clone(),
        Request::Get(_) => Chunking::Whole,
    };
    let pieces = chunking.cut(&bytes);
    for (i, piece) in pieces.iter().enumerate() {
        if let Err(why) = a.send(piece) {
            return Answer::Missing { why };
        }
        if i + 1 < pieces.len() {
            // Each piece a read of its own for the server. (An answer before the last piece
            // would be read as the answer, and judged wrong there.)
            a.wait_until_read(BETWEEN_PIECES);
        }
    }
    read_answer(a)
}

/// Reads one reply frame, whole, and says what it was.
pub fn read_answer(a: &mut Conn) -> Answer {
    let patience = a.patience();
    match frame::read_frame(a, &Limits::REPLY) {
        Ok(Some(reply)) => match reply.header.get_str("error") {
            Some(text) => Answer::Refused {
                text: text.to_string(),
            },
            None => Answer::File {
                filename: reply.header.get_str("filename").map(str::to_string),
                md5_matches: !matches!(reply.check_md5(), Md5Check::Mismatch { .. }),
                body: reply.body,
            },
        },
        Ok(None) => Answer::Missing {
            why: crate::said!("scenario-files-closed-without-a-reply"),
        },
        Err(FrameError::Io(e)) if socket_lessons::timeout::is_timeout(&e) => Answer::Missing {
            why: crate::said!("scenario-no-reply-within", secs = secs(patience)),
        },
        Err(FrameError::Io(e)) if is_reset(&e) => Answer::Missing {
            why: crate::said!("scenario-reset"),
        },
        Err(e) => Answer::Missing {
            why: crate::said!("scenario-files-not-a-frame", error = Said::from(&e)),
        },
    }
}

/// A frame error as a reason: in English as its `Display` says it, and in the process's
/// language as a peer is told it (the same words a Chinese server would send).
impl From<&FrameError> for Said {
    fn from(e: &FrameError) -> Said {
        Said {
            en: e.to_string(),
            shown: e.told(),
        }
    }
}

/// What became of an upload cut off in the middle, and of the name afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CutUpload {
    /// The first connection ended (after an error frame, `error`, or without one); then a new
    /// connection's `get` of the name was answered `after`.
    Ended {
        error: Option<String>,
        after: Answer,
    },
    /// The first connection did not end within the patience: `what` came instead.
    NotEnded { what: Said },
    /// A client could not connect: `why`.
    CannotConnect { why: Said },
}

/// `put NAME` announcing `announced` bytes, `sent` of them sent, then the sending side shut
/// down; then, on a new connection, `get NAME`.
pub fn cut_upload(target: &Target, name: &str, announced: usize, sent: usize) -> Run<CutUpload> {
    Run::play(target.protocol, |log| {
        let mut a = match Conn::open(target, "A", log) {
            Ok(a) => a,
            Err(why) => return CutUpload::CannotConnect { why },
        };
        let body = vec![b'x'; announced];
        let whole = Request::put(name, &body).frame();
        let cut = whole.len() - announced + sent.min(announced);
        if let Err(why) = a.send(&whole[..cut]) {
            return CutUpload::CannotConnect { why };
        }
        a.half_close();
        let error = match read_answer(&mut a) {
            Answer::Refused { text } => match a.wait_for_end() {
                Ok(_) => Some(text),
                Err(then) => return CutUpload::NotEnded { what: then },
            },
            Answer::Missing { why } if !why.en.starts_with("no reply") => None,
            other => {
                return CutUpload::NotEnded { what: other.said() };
            }
        };
        a.close();
        let after = match Conn::open(target, "B", log) {
            Ok(mut b) => {
                let answer = ask(&mut b, &Request::get(name));
                b.close();
                answer
            }
            Err(why) => return CutUpload::CannotConnect { why },
        };
        CutUpload::Ended { error, after }
    })
}

/// What became of a download while another client's upload was half sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Beside {
    /// The download was answered `answer` while the upload stayed open.
    Answered { answer: Answer },
    /// A client could not connect, or the upload could not be started: `why`.
    CannotStart { why: Said },
}

/// Client A sends the header of a `put` of `size` bytes and half its body, and waits; client B
/// sends `get a.txt`.
pub fn download_beside_upload(target: &Target, size: usize) -> Run<Beside> {
    Run::play(target.protocol, |log| play_beside(target, size, log))
}

fn play_beside(target: &Target, size: usize, log: &Recorder) -> Beside {
    let mut a = match Conn::open(target, "A", log) {
        Ok(a) => a,
        Err(why) => return Beside::CannotStart { why },
    };
    let whole = Request::put("big.bin", &vec![b'z'; size]).frame();
    let half = whole.len() - size / 2;
    // Counted, not kept: half a megabyte of 'z' says nothing a picture needs.
    a.start_counting();
    let sent = a.send(&whole[..half]);
    a.stop_counting();
    if let Err(why) = sent {
        return Beside::CannotStart { why };
    }
    let answer = match Conn::open(target, "B", log) {
        Ok(mut b) => {
            let answer = ask(&mut b, &Request::get(A_TXT));
            b.close();
            answer
        }
        Err(why) => return Beside::CannotStart { why },
    };
    a.reset();
    Beside::Answered { answer }
}
