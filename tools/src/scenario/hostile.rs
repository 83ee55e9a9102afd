//! Peers that misbehave, and the well-behaved client that must still be served after them: a
//! reset half-way through a request, a client that never reads its replies, frames that lie
//! about their sizes or are not frames at all, bodies announced and never sent, bytes that are
//! not text, datagrams larger than the server's buffer.
//!
//! A hostile peer must end only its own connection, never the server: each experiment here
//! that is hostile is followed (by whoever plays it) by [`one_exchange`] on a new connection.

use crate::said::Said;
use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use super::boundaries::BETWEEN_PIECES;
use super::conn::FrameReply;
use super::wire::{raw_frame, wrap};
use super::{Conn, Missing, Protocol, Recorder, Run, Target};
use crate::probe::A_MOMENT;

// =============================================================================================
// One well-behaved exchange
// =============================================================================================

/// What became of one exchange on a new connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exchange {
    /// Answered by the protocol's rule.
    Answered,
    /// Not answered as the protocol promises: `why`; `heard_nothing` when the client listened
    /// its patience through and heard nothing at all.
    NotAnswered { why: Said, heard_nothing: bool },
    /// The client could not connect: `why`.
    CannotConnect { why: Said },
}

/// A new client connects and sends `text` the protocol's way; the reply must be the protocol's.
pub fn one_exchange(target: &Target, text: &str) -> Run<Exchange> {
    Run::play(target.protocol, |log| play_exchange(target, "A", text, log))
}

fn play_exchange(target: &Target, actor: &str, text: &str, log: &Recorder) -> Exchange {
    let mut client = match Conn::open(target, actor, log) {
        Ok(client) => client,
        Err(why) => return Exchange::CannotConnect { why },
    };
    let listening = log.len();
    let finding = match client.exchange(text.as_bytes()) {
        Ok(()) => Exchange::Answered,
        Err(why) => Exchange::NotAnswered {
            heard_nothing: log.heard_nothing_since(listening, actor),
            why,
        },
    };
    client.close();
    finding
}

// =============================================================================================
// A reset half-way through a request
// =============================================================================================

/// What a client that reset its connection half-way through a request did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetMidRequest {
    /// It sent `sent` of the request's `of` bytes, then reset the connection.
    Reset { sent: usize, of: usize },
    /// It could not send the half: `why`.
    CannotSend { why: Said },
    /// It could not connect: `why`.
    CannotConnect { why: Said },
}

/// A client (after one exchange, `first`, if given) sends half of `echo half a request` and
/// resets the connection, as a killed client leaves it.
pub fn reset_mid_request(target: &Target, first: Option<&str>) -> Run<ResetMidRequest> {
    Run::play(target.protocol, |log| play_reset(target, first, log))
}

fn play_reset(target: &Target, first: Option<&str>, log: &Recorder) -> ResetMidRequest {
    let mut doomed = match Conn::open(target, "A", log) {
        Ok(client) => client,
        Err(why) => return ResetMidRequest::CannotConnect { why },
    };
    if let Some(first) = first {
        // Whatever comes of it: what matters is the reset that follows.
        let _ = doomed.exchange(first.as_bytes());
    }
    let request = wrap(target.protocol, b"echo half a request");
    let half = &request[..request.len() / 2];
    if let Err(why) = doomed.send(half) {
        return ResetMidRequest::CannotSend { why };
    }
    doomed.reset();
    ResetMidRequest::Reset {
        sent: half.len(),
        of: request.len(),
    }
}

/// What became of a new client after another reset its connection half-way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AfterReset {
    /// The new client was served.
    Served,
    /// The new client was not answered within the patience: the server is stuck on the reset one.
    NewOneWaits,
    /// The new client could not connect, or its connection ended: `why`.
    ServerGone { why: Said },
}

/// "Reset, then a new client": client A is served once, sends half a request and resets; then
/// client B connects and must be served.
pub fn reset_then_new_client(target: &Target) -> Run<AfterReset> {
    Run::play(target.protocol, |log| {
        match play_reset(target, Some("about to vanish"), log) {
            ResetMidRequest::CannotConnect { why } => AfterReset::ServerGone { why },
            _ => match play_exchange(target, "B", "still there?", log) {
                Exchange::Answered => AfterReset::Served,
                Exchange::NotAnswered {
                    heard_nothing: true,
                    ..
                } => AfterReset::NewOneWaits,
                Exchange::NotAnswered { why, .. } | Exchange::CannotConnect { why } => {
                    AfterReset::ServerGone { why }
                }
            },
        }
    })
}

// =============================================================================================
// A client that never reads
// =============================================================================================

/// What became of another client while one never read its replies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NeverReads {
    /// The other client was served.
    OtherServed,
    /// The other client was not served (`why`), while the first had `unread` bytes of requests
    /// (and their replies) unread.
    OtherNotServed { why: Said, unread: u64 },
    /// The first client could not connect: `why`.
    CannotConnect { why: Said },
}

/// Client A fills both directions' buffers and reads nothing (its requests' replies pile up until
/// the server's send blocks); then client B must still be served.
pub fn never_reads(target: &Target) -> Run<NeverReads> {
    Run::play(target.protocol, |log| play_never_reads(target, log))
}

fn play_never_reads(target: &Target, log: &Recorder) -> NeverReads {
    let mut hog = match Conn::open(target, "A", log) {
        Ok(client) => client,
        Err(why) => return NeverReads::CannotConnect { why },
    };
    // Each write may wait only a moment: a write that cannot go out means the buffers are full.
    hog.set_write_wait(A_MOMENT);
    let echo = target.protocol.echoes_bytes();
    let chunk = if echo {
        vec![b'x'; 64 * 1024]
    } else {
        wrap(target.protocol, b"seq 1000000")
    };
    let chunk_len = chunk.len() as u64;
    // Four requests of 6.9 MB of replies each are more than any buffer holds.
    let unread = hog.flood(&chunk, |sent| {
        sent >= 64 << 20 || (!echo && sent >= 4 * chunk_len)
    });
    let finding = match play_exchange(target, "B", "not blocked", log) {
        Exchange::Answered => NeverReads::OtherServed,
        Exchange::NotAnswered { why, .. } | Exchange::CannotConnect { why } => {
            NeverReads::OtherNotServed { why, unread }
        }
    };
    hog.reset();
    finding
}

// =============================================================================================
// A frame that must be refused
// =============================================================================================

/// What the server did with bytes it must refuse (a frame that lies, or is not one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The refused connection's own address (a server's log names it).
    pub peer: Option<SocketAddr>,
    /// How its connection ended.
    pub how: Refused,
}

/// How the connection that sent bad bytes ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refused {
    /// An error frame saying why (`text`, its `body`), then the end of the connection.
    ErrorThenEnd { text: String, body: Vec<u8> },
    /// An error frame, but then not the end: `then`.
    ErrorButNoEnd {
        text: String,
        body: Vec<u8>,
        then: String,
    },
    /// The end of the connection, without a word saying why.
    EndedWithoutError,
    /// An ordinary reply frame (`body`): the bad request was taken for a command.
    RanIt { body: Vec<u8> },
    /// Neither a reply nor the end within `waited_ms`: the server still waits for bytes it was
    /// promised.
    StillWaits { waited_ms: u64 },
    /// Something that is no frame: `what`.
    Wrong { what: Said },
    /// The bytes could not be sent: `why`.
    CannotSend { why: Said },
    /// The client could not connect: `why`.
    CannotConnect { why: Said },
}

/// Sends `bytes` on a new connection (then, if `half_close`, shuts down the sending side, so the
/// stream ends in the middle of a frame) and sees how the server ends the connection.
pub fn cut_off(target: &Target, bytes: &[u8], half_close: bool) -> Run<Refusal> {
    Run::play(target.protocol, |log| {
        play_cut_off(target, bytes, half_close, log)
    })
}

fn play_cut_off(target: &Target, bytes: &[u8], half_close: bool, log: &Recorder) -> Refusal {
    let mut client = match Conn::open(target, "A", log) {
        Ok(client) => client,
        Err(why) => {
            return Refusal {
                peer: None,
                how: Refused::CannotConnect { why },
            };
        }
    };
    let peer = client.local_addr();
    let how = match client.send(bytes) {
        Err(why) => Refused::CannotSend { why },
        Ok(()) => {
            if half_close {
                client.half_close();
            }
            match client.read_frame_reply() {
                Ok(FrameReply::Error { text, body }) => match client.wait_for_end() {
                    Ok(_) => Refused::ErrorThenEnd { text, body },
                    Err(then) => Refused::ErrorButNoEnd {
                        text,
                        body,
                        then: then.to_string(),
                    },
                },
                Ok(FrameReply::Frame { body }) => Refused::RanIt { body },
                Err(Missing::Closed | Missing::Reset) => Refused::EndedWithoutError,
                Err(Missing::Nothing(waited)) => Refused::StillWaits {
                    waited_ms: super::record::millis(waited),
                },
                Err(Missing::Wrong(what)) => Refused::Wrong { what },
            }
        }
    };
    client.close();
    Refusal { peer, how }
}

/// A header that announces `total_size` bytes of body, and no body.
pub fn announced_body(total_size: u64) -> Vec<u8> {
    raw_frame(format!(r#"{{"total_size":{total_size}}}"#).as_bytes(), b"")
}

/// What became of another client while four waited for bodies they never sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stalled {
    /// The other client was served; `all_still_wait`: the four were still connected, the server
    /// waiting for their bodies.
    OtherServed { all_still_wait: bool },
    /// The other client was not served: `why`.
    OtherNotServed { why: Said },
    /// A stalling client could not send its header: `why`.
    CannotStall { why: Said },
    /// A stalling client could not connect: `why`.
    CannotConnect { why: Said },
}

/// Four clients each announce a body of `total_size` bytes and send none of it; a fifth must
/// still be served, and the four must still be waited for.
pub fn stalled_bodies(target: &Target, total_size: u64) -> Run<Stalled> {
    Run::play(target.protocol, |log| play_stalled(target, total_size, log))
}

fn play_stalled(target: &Target, total_size: u64, log: &Recorder) -> Stalled {
    let mut stalled = Vec::new();
    for actor in ["A", "B", "C", "D"] {
        let mut client = match Conn::open(target, actor, log) {
            Ok(client) => client,
            Err(why) => return Stalled::CannotConnect { why },
        };
        if let Err(why) = client.send(&announced_body(total_size)) {
            return Stalled::CannotStall { why };
        }
        stalled.push(client);
    }
    let served = play_exchange(target, "E", "not blocked", log);
    // The stalled clients must still be connected: the server waits for their bodies.
    let all_still_wait = stalled
        .iter_mut()
        .all(|client| client.listen(BETWEEN_PIECES).is_ok());
    for client in stalled {
        client.close();
    }
    match served {
        Exchange::Answered => Stalled::OtherServed { all_still_wait },
        Exchange::NotAnswered { why, .. } | Exchange::CannotConnect { why } => {
            Stalled::OtherNotServed { why }
        }
    }
}

// =============================================================================================
// Bytes that are not text
// =============================================================================================

/// The bytes [`not_utf8`] sends: not UTF-8, with a NUL and a terminal escape among them.
pub const NOT_TEXT: &[u8] = b"\xff\xfe not text \x00\x1b[2J";

/// What came back for bytes that are not text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotText {
    /// The echo rule applied to them, byte for byte.
    Echoed,
    /// (Command services) A reply (`reply`: an error message, say), and the connection still
    /// usable.
    Answered { reply: Vec<u8> },
    /// Not answered as it should be: `why`.
    NotAnswered { why: Said },
    /// The client could not connect: `why`.
    CannotConnect { why: Said },
}

/// Sends [`NOT_TEXT`] (as the argument of `echo`, to a command service) and reads the answer;
/// a command service must then still answer the next request.
pub fn not_utf8(target: &Target) -> Run<NotText> {
    Run::one_client(
        target,
        |why| NotText::CannotConnect { why },
        |a, _| play_not_utf8(a),
    )
}

fn play_not_utf8(client: &mut Conn) -> NotText {
    match client.protocol() {
        Protocol::Echo | Protocol::Rfc862 | Protocol::Udp | Protocol::Chat => {
            match client
                .send(NOT_TEXT)
                .and_then(|()| client.expect(&client.protocol().echo_of(NOT_TEXT)))
            {
                Ok(()) => NotText::Echoed,
                Err(why) => NotText::NotAnswered { why },
            }
        }
        protocol => {
            let mut command = b"echo ".to_vec();
            command.extend_from_slice(NOT_TEXT);
            if let Err(why) = client.send(&wrap(protocol, &command)) {
                return NotText::NotAnswered { why };
            }
            let reply = if protocol == Protocol::Framed {
                match client.read_frame_reply() {
                    Ok(FrameReply::Frame { body } | FrameReply::Error { body, .. }) => Ok(body),
                    Err(missing) => Err(missing.said()),
                }
            } else {
                first_bytes(client)
            };
            match reply.and_then(|reply| client.exchange(b"after").map(|()| reply)) {
                Ok(reply) => NotText::Answered { reply },
                Err(why) => NotText::NotAnswered { why },
            }
        }
    }
}

/// Whatever one read returns (bounded), or why nothing came.
fn first_bytes(client: &mut Conn) -> Result<Vec<u8>, Said> {
    match client.read_once(4096) {
        Ok(bytes) if bytes.is_empty() => Err(crate::said!("scenario-closed-without-replying")),
        Ok(bytes) => Ok(bytes),
        Err(e) if socket_lessons::timeout::is_timeout(&e) => Err(crate::said!(
            "scenario-no-reply-within",
            secs = super::wire::secs(client.patience())
        )),
        Err(e) => Err(e.to_string().into()),
    }
}

// =============================================================================================
// Datagrams larger than a buffer
// =============================================================================================

/// What came back for one datagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DatagramBack {
    /// A datagram came back: `bytes`.
    Came { bytes: Vec<u8> },
    /// None came back: `why`.
    NoneCame { why: Said },
    /// The datagram could not be sent: `why`.
    CannotSend { why: Said },
    /// No socket: `why`.
    CannotConnect { why: Said },
}

/// Sends `datagram` as one datagram and reads what comes back (a server with a smaller buffer
/// than the datagram keeps only its start: the kernel cuts it, and the rest is lost).
pub fn one_datagram(target: &Target, datagram: &[u8]) -> Run<DatagramBack> {
    Run::one_client(
        target,
        |why| DatagramBack::CannotConnect { why },
        |client, _| match client.send(datagram) {
            Err(why) => DatagramBack::CannotSend { why },
            Ok(()) => match client.read_reply(datagram.len()) {
                Ok(bytes) => DatagramBack::Came { bytes },
                Err(why) => DatagramBack::NoneCame { why },
            },
        },
    )
}
