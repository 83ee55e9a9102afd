//! Message boundaries (粘包): what a server makes of requests glued into one read, a request cut
//! into pieces, a reply longer than one read, an empty reply, a message of megabytes.
//!
//! TCP keeps bytes in order and nothing else: the writes of one side are not the reads of the
//! other. Each experiment here makes one of the two sides' cuts differ from the other's on cue,
//! without pretending the network did something it did not: several requests in one write (or
//! written before the server reads at all), one request in many writes, a reply read the way the
//! tutorial's client reads it (one `recv(1024)` per request).

use crate::said::Said;
use std::io;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::record::{Act, SERVER};
use super::wire::{request_and_reply, seq_output, shown, wrap};
use super::{Conn, Protocol, Recorder, Run, Target};
use crate::probe::{A_MOMENT, Chunking};

/// How long a client listens between two pieces of a split request. A reply in that time means
/// the server answered part of a request; silence lets the server's read return with the piece
/// alone, so the split really reaches it as a split.
pub const BETWEEN_PIECES: Duration = Duration::from_millis(30);

// =============================================================================================
// Requests glued together
// =============================================================================================

/// How the requests come to be glued.
pub enum Glue<'h> {
    /// All of them in one write, to a server that is reading.
    OneWrite,
    /// One write each, all of them before the server starts reading: `start` starts it (the
    /// kernel has completed the handshake already; the writes wait in the server's receive
    /// buffer, as they would for a server busy with other work).
    BeforeServerReads(&'h mut dyn FnMut() -> io::Result<()>),
}

/// What the server made of requests that arrived glued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Glued {
    /// Each request got a reply of its own, in order.
    Separate,
    /// (Echo) The echo of all of it came back, and the connection stayed open.
    Echoed,
    /// (Echo) The echo of all of it, then the server closed: one read, one reply, and gone.
    EchoedThenClosed,
    /// Reply number `reply` (from 0) was not its own, and what came shows a request's bytes
    /// run as a command: the server took the requests for one.
    TakenAsOne { reply: usize, why: Said },
    /// Reply number `reply` did not come as it should: `why`; `got_nothing` when not one byte
    /// of it came.
    NotAnswered {
        reply: usize,
        why: Said,
        got_nothing: bool,
    },
    /// The client could not connect: `why`.
    CannotConnect { why: Said },
    /// The requests could not go out, or the server could not be started: `why`.
    CannotSend { why: Said },
}

/// The two texts `compare` and `grade` glue, by protocol: for the echo rule, two whose echoes
/// together are `FIRST,SECOND`, whatever reads the server cut them into; for the command
/// services, `echo a` and `echo b`; over UDP, two datagrams `one` and `two`.
pub fn glued_texts(protocol: Protocol) -> [&'static str; 2] {
    match protocol {
        Protocol::Echo | Protocol::Rfc862 | Protocol::Chat => ["first,", "second"],
        Protocol::Udp => ["one", "two"],
        Protocol::Commands | Protocol::Framed | Protocol::Files | Protocol::Robot => ["a", "b"],
    }
}

/// Writes the requests that carry `texts` (glued as `glue` says), then reads the replies: one
/// reply per request (frames, datagrams, bare replies of the command service), or, for the echo
/// rule, the echo of it all, and then listens a moment for the server closing.
pub fn glued(target: &Target, texts: &[&str], glue: Glue) -> Run<Glued> {
    Run::play(target.protocol, |log| play_glued(target, texts, glue, log))
}

fn play_glued(target: &Target, texts: &[&str], glue: Glue, log: &Recorder) -> Glued {
    let mut a = match Conn::open(target, "A", log) {
        Ok(a) => a,
        Err(why) => return Glued::CannotConnect { why },
    };
    let exchanges: Vec<(Vec<u8>, Vec<u8>)> = texts
        .iter()
        .map(|text| request_and_reply(target.protocol, text.as_bytes()))
        .collect();
    let sent = match glue {
        // Datagrams cannot be glued: over UDP "one write" is one datagram each, back to back.
        Glue::OneWrite if target.protocol == Protocol::Udp => exchanges
            .iter()
            .try_for_each(|(request, _)| a.send(request)),
        Glue::OneWrite => a.send(
            &exchanges
                .iter()
                .flat_map(|(r, _)| r.clone())
                .collect::<Vec<_>>(),
        ),
        Glue::BeforeServerReads(start) => exchanges
            .iter()
            .try_for_each(|(request, _)| a.send(request))
            .and_then(|()| {
                log.record(SERVER, Act::StartsServing);
                start().map_err(|e| format!("the server did not start: {e}").into())
            }),
    };
    if let Err(why) = sent {
        return Glued::CannotSend { why };
    }
    let finding = if target.protocol.echoes_bytes() {
        // The echo rule is per byte: however the server's reads cut the requests, the replies
        // together are the echo of all of them.
        let all: Vec<u8> = exchanges.iter().flat_map(|(_, r)| r.clone()).collect();
        let listening = log.len();
        match a.expect(&all) {
            Ok(()) => match a.listen(A_MOMENT) {
                Err(nothing) if nothing.is_empty() => Glued::EchoedThenClosed,
                _ => Glued::Echoed,
            },
            Err(why) => Glued::NotAnswered {
                reply: 0,
                got_nothing: log.bytes_read_since(listening, "A") == 0,
                why,
            },
        }
    } else {
        let mut finding = Glued::Separate;
        for (i, (_, reply)) in exchanges.iter().enumerate() {
            let listening = log.len();
            if let Err(why) = a.expect(reply) {
                finding = if shows_a_command_run_whole(&why.en) {
                    Glued::TakenAsOne { reply: i, why }
                } else {
                    Glued::NotAnswered {
                        reply: i,
                        got_nothing: log.bytes_read_since(listening, "A") == 0,
                        why,
                    }
                };
                break;
            }
        }
        finding
    };
    a.close();
    finding
}

/// Whether what a command service sent instead of a reply shows that it ran a request's bytes
/// together with more (`echo aecho b`), or a piece of one (`unknown command 'e'`): it took one
/// read for one whole command.
pub fn shows_a_command_run_whole(what_came: &str) -> bool {
    what_came.contains("echo")
        || socket_lessons::commands::unknown_command_openings()
            .iter()
            .any(|opening| what_came.contains(opening.as_str()))
}

// =============================================================================================
// A reply longer than one read
// =============================================================================================

/// How the client reads a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// As the tutorial's client does: one `recv(1024)` per request (a frame protocol's client
    /// always reads one whole frame).
    OneRecvPerRequest,
    /// As a careful client does: every byte the protocol promises.
    Whole,
}

/// "A reply longer than one read": the request, how the reply is read, and what follows.
pub struct LongReply<'a> {
    /// What an echo server is sent (its echo is the long reply). The command services are sent
    /// `seq 1000` (3,893 bytes back); a UDP server, this as one datagram.
    pub echo_text: Vec<u8>,
    pub reading: Reading,
    /// A short request sent next (its reply should be its own), if any.
    pub next: Option<&'a str>,
    /// Then, on the same connection, `seq N` for each N: longer replies still, each whole (the
    /// framed service only).
    pub then_seq: &'a [u64],
}

impl LongReply<'static> {
    /// The 3,893-byte reply read as the tutorial reads it, then `hi`: what `compare` plays and the
    /// demos show.
    pub fn tutorial() -> LongReply<'static> {
        LongReply {
            echo_text: super::wire::repeated(b"0123456789abcdef", 3_893),
            reading: Reading::OneRecvPerRequest,
            next: Some("hi"),
            then_seq: &[],
        }
    }
}

/// What became of a reply longer than one read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Long {
    /// The whole reply came as one reply, and the next reply (if any) was its own.
    Whole,
    /// One read took the first `first` bytes; the next read, meant for the next request's reply,
    /// took `second` more of this one: the reply spilled into the next. The client read on to
    /// the end of both replies.
    Spilled { first: usize, second: usize },
    /// The reply stopped after `at` bytes (the connection ended, or the datagram was cut).
    Cut { at: usize },
    /// No reply at all: `why`.
    NoReply { why: Said },
    /// The connection ended before any reply: the server is gone.
    Gone,
    /// (Whole reading) The reply did not come whole: `why`.
    NotWhole { why: Said },
    /// The next reply did not come: `why`.
    NoNextReply { why: Said },
    /// Something else came: neither the reply, nor its rest.
    MixedUp,
    /// The client could not connect: `why`.
    CannotConnect { why: Said },
    /// A request could not go out: `why`.
    CannotSend { why: Said },
}

/// Sends a request whose reply is long, reads it as `script` says, then sends the next request
/// and reads its reply the same way.
pub fn long_reply(target: &Target, script: &LongReply) -> Run<Long> {
    Run::play(target.protocol, |log| play_long_reply(target, script, log))
}

fn play_long_reply(target: &Target, script: &LongReply, log: &Recorder) -> Long {
    let mut a = match Conn::open(target, "A", log) {
        Ok(a) => a,
        Err(why) => return Long::CannotConnect { why },
    };
    let (request, reply) = match target.protocol {
        Protocol::Echo | Protocol::Rfc862 | Protocol::Udp => (
            script.echo_text.clone(),
            target.protocol.echo_of(&script.echo_text),
        ),
        protocol => (wrap(protocol, b"seq 1000"), seq_output(1000)),
    };
    if let Err(why) = a.send(&request) {
        return Long::CannotSend { why };
    }
    let finding = match (target.protocol, script.reading) {
        (Protocol::Udp, _) => match a.read_reply(0) {
            Ok(got) if got == reply => Long::Whole,
            Ok(got) if reply.starts_with(&got) => Long::Cut { at: got.len() },
            Ok(_) => Long::MixedUp,
            Err(why) => Long::NoReply { why },
        },
        (Protocol::Framed, _) | (_, Reading::Whole) => match a.expect(&reply) {
            Ok(()) => next_and_then(&mut a, script),
            Err(why) => Long::NotWhole { why },
        },
        (_, Reading::OneRecvPerRequest) => read_as_the_tutorial(&mut a, script, &reply),
    };
    a.close();
    finding
}

/// The next request, if any, and then `seq N` for each N, each reply whole.
fn next_and_then(a: &mut Conn, script: &LongReply) -> Long {
    if let Some(next) = script.next {
        if let Err(why) = a.exchange(next.as_bytes()) {
            return Long::NoNextReply { why };
        }
    }
    for n in script.then_seq {
        let sent = a.send(&wrap(a.protocol(), format!("seq {n}").as_bytes()));
        if let Err(why) = sent.and_then(|()| a.expect(&seq_output(*n))) {
            return Long::NoNextReply { why };
        }
    }
    Long::Whole
}

/// One `recv(1024)` for the reply; if that was not all of it, the next request, and one
/// `recv(1024)` for its reply. What that second read holds says whether the reply spilled.
fn read_as_the_tutorial(a: &mut Conn, script: &LongReply, reply: &[u8]) -> Long {
    let first = match a.read_once(1024) {
        Ok(first) if first.is_empty() => return Long::Gone,
        Ok(first) => first,
        Err(e) if super::conn::is_reset(&e) => return Long::Gone,
        Err(e) => {
            return Long::NoReply {
                why: e.to_string().into(),
            };
        }
    };
    if first == reply {
        return next_and_then(a, script);
    }
    let Some(next) = script.next else {
        return Long::Cut { at: first.len() };
    };
    let (next_request, next_reply) = request_and_reply(a.protocol(), next.as_bytes());
    if a.send(&next_request).is_err() {
        return Long::Cut { at: first.len() };
    }
    let second = match a.read_once(1024) {
        Ok(second) if second.is_empty() => return Long::Cut { at: first.len() },
        Ok(second) => second,
        Err(e) if super::conn::is_reset(&e) => return Long::Cut { at: first.len() },
        Err(e) => {
            return Long::NoNextReply {
                why: e.to_string().into(),
            };
        }
    };
    let both = [first.as_slice(), &second].concat();
    if second == next_reply || !reply.starts_with(&both) {
        return Long::MixedUp;
    }
    // The conversation is out of step for good: the rest of the reply comes first, and only then
    // the next request's. Read on to the end of both.
    let rest = reply.len() + next_reply.len() - both.len();
    let mut tail = vec![0u8; rest];
    let _ = io::Read::read_exact(a, &mut tail);
    Long::Spilled {
        first: first.len(),
        second: second.len(),
    }
}

// =============================================================================================
// A request in pieces
// =============================================================================================

/// "A request in pieces": which request, cut how, listened to how, and what follows.
pub struct Pieces<'a> {
    pub request: Vec<u8>,
    /// The reply the protocol promises for it.
    pub reply: Vec<u8>,
    pub chunking: Chunking,
    /// How long to listen between two pieces ([`BETWEEN_PIECES`]), if at all. A reply in that
    /// time is the server answering part of a request (the echo rule's replies excepted: they
    /// are part of the echo).
    pub listen_between: Option<Duration>,
    /// A text exchanged afterwards, if any: the conversation must still be in step.
    pub then: Option<&'a str>,
}

impl Pieces<'static> {
    /// `text`'s request, one byte per write, listened to between pieces: what `compare` plays.
    pub fn dribbled(protocol: Protocol, text: &str) -> Pieces<'static> {
        let (request, reply) = request_and_reply(protocol, text.as_bytes());
        Pieces {
            request,
            reply,
            chunking: Chunking::ByteByByte,
            listen_between: Some(BETWEEN_PIECES),
            then: None,
        }
    }
}

/// What the server made of a request written in pieces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InPieces {
    /// One reply, whole, after the last of `writes` pieces (and the next request answered).
    Whole { writes: usize },
    /// (Echo) Pieces echoed as they came, and the echoes together are the echo of the whole.
    EchoedInPieces,
    /// Before the last piece, after only the bytes `sent`, the server answered `answer`: it
    /// took a piece of the request for the whole.
    AnsweredEarly { sent: Vec<u8>, answer: Vec<u8> },
    /// A write failed after `sent` bytes: the server had closed the connection, after answering
    /// part of the request (`answered`) or without a word. `error` is what the write said.
    ClosedEarly {
        sent: usize,
        answered: bool,
        error: String,
    },
    /// (Echo) Part of the echo (`got` bytes), then the end: `why`.
    EchoCutShort { got: usize, why: Said },
    /// The reply was not what the protocol promises: `why`; `got_nothing` when not one byte came.
    NotWhole { why: Said, got_nothing: bool },
    /// The reply was whole, but the next one did not come: `why`.
    NextNotAnswered { why: Said },
    /// The client could not connect: `why`.
    CannotConnect { why: Said },
}

/// Writes `script`'s request in pieces, listening between them if asked, then reads the reply.
pub fn in_pieces(target: &Target, script: &Pieces) -> Run<InPieces> {
    Run::one_client(
        target,
        |why| InPieces::CannotConnect { why },
        |a, log| play_pieces(a, script, log),
    )
}

fn play_pieces(a: &mut Conn, script: &Pieces, log: &Recorder) -> InPieces {
    let echo = a.protocol().echoes_bytes();
    let early = match write_in_pieces(a, &script.request, &script.chunking, script.listen_between) {
        Ok(early) => early,
        Err(Stopped::Closed {
            sent,
            error,
            answered,
        }) => {
            return InPieces::ClosedEarly {
                sent,
                answered,
                error,
            };
        }
        Err(Stopped::AnsweredEarly { sent, answer }) => {
            return InPieces::AnsweredEarly {
                sent: script.request[..sent].to_vec(),
                answer,
            };
        }
    };
    let writes = script.chunking.cut(&script.request).len();
    let listening = log.len();
    if echo {
        let want = script.reply.len().saturating_sub(early.len());
        let rest = match a.read_bare(want) {
            Ok(rest) => rest,
            Err(why) => {
                let all = early.len() + log.bytes_read_since(listening, a.actor());
                return if log.ended_since(listening, a.actor()) && all > 0 {
                    InPieces::EchoCutShort { got: all, why }
                } else {
                    InPieces::NotWhole {
                        why,
                        got_nothing: all == 0,
                    }
                };
            }
        };
        let mut all = [early.as_slice(), &rest].concat();
        if all != script.reply {
            // Show whatever else is already on its way, too.
            all.extend(a.drain(Duration::from_millis(100)));
            return InPieces::NotWhole {
                why: crate::said!("grade-judge-instead", got = shown(&all)),
                got_nothing: false,
            };
        }
        if let Some(then) = script.then {
            if let Err(why) = a.exchange(then.as_bytes()) {
                return InPieces::NextNotAnswered { why };
            }
        }
        return if early.is_empty() {
            InPieces::Whole { writes }
        } else {
            InPieces::EchoedInPieces
        };
    }
    if let Err(why) = a.expect(&script.reply) {
        return InPieces::NotWhole {
            got_nothing: log.bytes_read_since(listening, a.actor()) == 0,
            why,
        };
    }
    if let Some(then) = script.then {
        if let Err(why) = a.exchange(then.as_bytes()) {
            return InPieces::NextNotAnswered { why };
        }
    }
    InPieces::Whole { writes }
}

/// Why a request could not be written in pieces.
enum Stopped {
    /// The server answered before the last piece.
    AnsweredEarly { sent: usize, answer: Vec<u8> },
    /// A write failed: the server had closed the connection.
    Closed {
        sent: usize,
        error: String,
        answered: bool,
    },
}

/// Writes `request` in the pieces `cut` makes, listening `between` pieces if asked. For the
/// echo rule what comes between pieces is part of the echo, and is returned; for any other
/// protocol it is an answer to part of a request, and stops the writing.
fn write_in_pieces(
    a: &mut Conn,
    request: &[u8],
    cut: &Chunking,
    between: Option<Duration>,
) -> Result<Vec<u8>, Stopped> {
    let echo = a.protocol().echoes_bytes();
    let pieces = cut.cut(request);
    let mut sent = 0;
    let mut early = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        if let Err(e) = a.write(piece) {
            return Err(Stopped::Closed {
                sent,
                error: e.to_string(),
                answered: !early.is_empty(),
            });
        }
        sent += piece.len();
        let (Some(between), true) = (between, i + 1 < pieces.len()) else {
            continue;
        };
        let heard = a.drain(between);
        if !heard.is_empty() && !echo {
            return Err(Stopped::AnsweredEarly {
                sent,
                answer: heard,
            });
        }
        early.extend(heard);
    }
    Ok(early)
}

/// What became of a request split in two, at each offset in turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Splits {
    /// Read whole at all `offsets` offsets.
    WholeAtEveryOffset { offsets: usize },
    /// Split after byte `at` of `len`: the server answered after only `sent` bytes.
    AnsweredEarly {
        at: usize,
        len: usize,
        sent: usize,
        answer: Vec<u8>,
    },
    /// Split after byte `at` of `len`: a write failed after `sent` bytes (`error`).
    ClosedEarly {
        at: usize,
        len: usize,
        sent: usize,
        error: String,
    },
    /// Split after byte `at` of `len`: the reply was not whole: `why`.
    NotWhole { at: usize, len: usize, why: Said },
    /// The client could not connect: `why`.
    CannotConnect { why: Said },
}

/// The request carrying `text`, split in two at every offset in turn (on one connection),
/// listened to between the two pieces (except for the echo rule, whose replies to each piece are
/// fine), each time followed by its reply.
pub fn split_at_every_offset(target: &Target, text: &str) -> Run<Splits> {
    Run::one_client(
        target,
        |why| Splits::CannotConnect { why },
        |a, _| play_splits(a, text),
    )
}

fn play_splits(a: &mut Conn, text: &str) -> Splits {
    let (request, reply) = request_and_reply(a.protocol(), text.as_bytes());
    let len = request.len();
    let between = (!a.protocol().echoes_bytes()).then_some(BETWEEN_PIECES);
    for at in 1..len {
        match write_in_pieces(a, &request, &Chunking::At(vec![at]), between) {
            Ok(_) => {}
            Err(Stopped::AnsweredEarly { sent, answer }) => {
                return Splits::AnsweredEarly {
                    at,
                    len,
                    sent,
                    answer,
                };
            }
            Err(Stopped::Closed { sent, error, .. }) => {
                return Splits::ClosedEarly {
                    at,
                    len,
                    sent,
                    error,
                };
            }
        }
        if let Err(why) = a.expect(&reply) {
            return Splits::NotWhole { at, len, why };
        }
    }
    Splits::WholeAtEveryOffset { offsets: len - 1 }
}

// =============================================================================================
// An empty reply
// =============================================================================================

/// What came back for a request whose reply is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Empty {
    /// (Bare) Nothing at all, within a moment: a bare protocol cannot send "nothing".
    Nothing,
    /// An empty reply: a frame with an empty body, or an empty datagram (then, if asked, the
    /// next request was answered).
    EmptyReply,
    /// Something else came: `got`.
    Got { got: Vec<u8> },
    /// No reply: `why`.
    NoReply { why: Said },
    /// The empty reply came, but the next request was not answered: `why`.
    NextNotAnswered { why: Said },
    /// The client could not connect: `why`.
    CannotConnect { why: Said },
    /// The request could not go out: `why`.
    CannotSend { why: Said },
}

/// Asks for an empty reply: `seq 0` to a command service (bare or framed), an empty datagram
/// to a UDP echo. A frame or a datagram can be empty; a bare reply cannot, so there the client
/// listens a moment and hears nothing. Then, if `then` is given, exchanges it.
pub fn empty_reply(target: &Target, then: Option<&str>) -> Run<Empty> {
    Run::one_client(
        target,
        |why| Empty::CannotConnect { why },
        |a, _| play_empty(a, then),
    )
}

fn play_empty(a: &mut Conn, then: Option<&str>) -> Empty {
    let request = match a.protocol() {
        Protocol::Udp | Protocol::Echo | Protocol::Rfc862 | Protocol::Chat => Vec::new(),
        protocol => wrap(protocol, b"seq 0"),
    };
    if let Err(why) = a.send(&request) {
        return Empty::CannotSend { why };
    }
    let finding = match a.protocol() {
        Protocol::Framed | Protocol::Udp => match a.read_reply(0) {
            Ok(got) if got.is_empty() => Empty::EmptyReply,
            Ok(got) => Empty::Got { got },
            Err(why) => Empty::NoReply { why },
        },
        _ => match a.listen(A_MOMENT) {
            Ok(()) => Empty::Nothing,
            Err(got) => Empty::Got { got },
        },
    };
    if let (Empty::EmptyReply | Empty::Nothing, Some(then)) = (&finding, then) {
        if let Err(why) = a.exchange(then.as_bytes()) {
            return Empty::NextNotAnswered { why };
        }
    }
    finding
}

// =============================================================================================
// A message of megabytes
// =============================================================================================

/// What became of a message of over a megabyte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Large {
    /// Its reply came whole, and the next reply was the next request's.
    Whole,
    /// The reply was `got` bytes that differ from the expected ones from byte `from`.
    Differs { got: usize, from: usize },
    /// The reply did not come whole: `why`; `unsent`: the request could not be sent whole either.
    NotWhole { why: Said, unsent: Option<String> },
    /// The reply was whole, but the next one did not come: `why`.
    NextNotAnswered { why: Said },
    /// The client could not connect, or could not set up its writer: `why`.
    CannotConnect { why: Said },
}

/// Sends a message of over a megabyte (2 MiB echoed; `seq 200000` bare; `echo` of 2 MiB in a
/// frame) from a second thread while this one reads the reply, then `after`.
pub fn large(target: &Target) -> Run<Large> {
    Run::play(target.protocol, |log| play_large(target, log))
}

/// The request [`large`] sends in `protocol`, and the reply the protocol promises for it.
pub fn large_exchange(protocol: Protocol) -> (Vec<u8>, Vec<u8>) {
    match protocol {
        Protocol::Commands => (b"seq 200000".to_vec(), seq_output(200_000)),
        Protocol::Framed => {
            let mut command = b"echo ".to_vec();
            command.extend(std::iter::repeat_n(b'x', 2 << 20));
            let mut reply = command[5..].to_vec();
            reply.push(b'\n');
            (wrap(protocol, &command), reply)
        }
        _ => {
            let text = super::wire::repeated(b"large message ", 2 << 20);
            let reply = protocol.echo_of(&text);
            (text, reply)
        }
    }
}

fn play_large(target: &Target, log: &Recorder) -> Large {
    let mut a = match Conn::open(target, "A", log) {
        Ok(a) => a,
        Err(why) => return Large::CannotConnect { why },
    };
    let (request, reply) = large_exchange(target.protocol);
    // Written from another thread while this one reads: an echo server answers as it reads,
    // and would block on its replies if nobody read them while the request is still going out.
    let mut writer = match a.try_clone() {
        Ok(writer) => writer,
        Err(e) => {
            return Large::CannotConnect {
                why: e.to_string().into(),
            };
        }
    };
    let got = std::thread::scope(|scope| {
        let sending = scope.spawn(move || writer.write(&request));
        let got = a.read_reply(reply.len());
        let sent = sending.join().unwrap_or(Ok(()));
        (got, sent)
    });
    let finding = match got {
        (Ok(got), _) if got == reply => match a.exchange(b"after") {
            Ok(()) => Large::Whole,
            Err(why) => Large::NextNotAnswered { why },
        },
        (Ok(got), _) => Large::Differs {
            got: got.len(),
            from: got
                .iter()
                .zip(&reply)
                .position(|(a, b)| a != b)
                .unwrap_or(got.len()),
        },
        (Err(why), sent) => Large::NotWhole {
            why,
            unsent: sent.err().map(|e| e.to_string()),
        },
    };
    a.close();
    finding
}

// =============================================================================================
// A header with more than the reader needs
// =============================================================================================

/// What a framed server made of headers that are not quite its own client's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpenHeader {
    /// Both served: the request with unknown fields, and the one without an md5.
    BothServed,
    /// Not served as they should be: `why`.
    NotServed { why: Said },
    /// The client could not connect: `why`.
    CannotConnect { why: Said },
}

/// Sends a request frame whose header has fields the reader does not know (and a matching md5),
/// then one with no md5 at all: a reader takes what it needs from a header and ignores the rest.
pub fn open_header(target: &Target) -> Run<OpenHeader> {
    Run::one_client(
        target,
        |why| OpenHeader::CannotConnect { why },
        |a, _| play_open_header(a),
    )
}

fn play_open_header(a: &mut Conn) -> OpenHeader {
    let body = b"echo extra";
    let header = format!(
        r#"{{"file_name":"a.txt","total_size":{},"md5":"{}","flags":[1,2]}}"#,
        body.len(),
        socket_lessons::frame::md5_hex(body)
    );
    let served = a
        .send(&super::wire::raw_frame(header.as_bytes(), body))
        .and_then(|()| a.expect(b"extra\n"))
        .and_then(|()| {
            a.send(&super::wire::raw_frame(
                br#"{"total_size":7}"#,
                b"seq 2\n\n",
            ))
        })
        .and_then(|()| a.expect(b"1\n2\n"));
    match served {
        Ok(()) => OpenHeader::BothServed,
        Err(why) => OpenHeader::NotServed { why },
    }
}
