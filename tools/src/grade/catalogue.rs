//! The catalogue: every case the grader runs, as data, and the function that runs each.
//!
//! Cases are numbered `group.number` and never renumbered once published (a report from last
//! term must still mean the same thing); a new case takes the next free number of its group.
//! Each run is bounded: every read waits at most the target's patience, and the runner gives a
//! whole case at most [`case_budget`](super::case_budget).

use std::io::Write;
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use crate::probe::{self, A_MOMENT, Chunking};
use socket_lessons::frame::md5_hex;

use super::Protocol::{Chat, Commands, Echo, Framed, Udp};
use super::chat;
use super::client::{
    Client, FrameReply, Missing, drain, half_close, raw_frame, read_bare, read_frame_reply,
    request_and_reply, reset, secs, shown, upper, wrap,
};
use super::{Case, Level, Outcome, Protocol, Run, Target, Verdict};

const TCP: &[Protocol] = &[Echo, Commands, Framed];
const ALL: &[Protocol] = &[Echo, Commands, Framed, Udp];
/// The stream protocols, and lesson 9's room, whose members are streams too.
const TCP_AND_CHAT: &[Protocol] = &[Echo, Commands, Framed, Chat];
const ALL_AND_CHAT: &[Protocol] = &[Echo, Commands, Framed, Udp, Chat];
const CHAT: &[Protocol] = &[Chat];

/// How long the grader listens between two pieces of a split request. A reply in that time is a
/// failure in itself (the server answered part of a request); silence lets the server's read
/// return with the piece alone, so the split really reaches it as a split.
const BETWEEN_PIECES: Duration = Duration::from_millis(30);

/// The request body limit of the framed protocol (docs/contracts.md, "Limits": 8 MiB).
const REQUEST_BODY_LIMIT: u64 = 8 * 1024 * 1024;
/// The header limit: 64 KiB.
const HEADER_LIMIT: u32 = 64 * 1024;

/// Every case, in order.
pub static CASES: [Case; 45] = [
    // ---- 1 basics ----------------------------------------------------------------------------
    Case {
        id: "1.1",
        title: "a message is answered by the protocol's rule",
        level: Level::Must,
        protocols: ALL,
        hint: "the reply rule: bytes.upper() for echo; `echo TEXT` replies TEXT and a newline",
        run: Run::Plain(|t| exchange_once(t, b"hello world")),
    },
    Case {
        id: "1.2",
        title: "UTF-8 text passes through untouched",
        level: Level::Must,
        protocols: ALL_AND_CHAT,
        hint: "upper-case a-z only: decoding and re-encoding, or str.upper(), changes other letters",
        run: Run::Plain(|t| exchange_once(t, "hello, 你好 ünïcödé ß".as_bytes())),
    },
    Case {
        id: "1.3",
        title: "a message of 1,024+ bytes is answered whole",
        level: Level::Must,
        protocols: TCP,
        hint: "one recv(1024) is not one message: keep reading (echo) or frame the reply",
        run: Run::Plain(long_message),
    },
    Case {
        id: "1.4",
        title: "a 2,000-byte datagram: how much of it comes back",
        level: Level::Info,
        protocols: &[Udp],
        hint: "a datagram longer than the server's buffer is cut by the kernel, the rest lost",
        run: Run::Plain(long_datagram),
    },
    Case {
        id: "1.5",
        title: "an empty reply is a frame with total_size 0",
        level: Level::Must,
        protocols: &[Framed],
        hint: "`seq 0` prints nothing; a bare protocol would send nothing and leave the client waiting",
        run: Run::Plain(empty_reply_frame),
    },
    Case {
        id: "1.6",
        title: "a request with unknown header fields and no md5 is served",
        level: Level::Must,
        protocols: &[Framed],
        hint: "the header is open: a reader ignores fields it does not know, and md5 is optional",
        run: Run::Plain(open_header),
    },
    Case {
        id: "1.7",
        title: "a member's line reaches every other member as `[NAME] text`, and not its sender",
        level: Level::Must,
        protocols: CHAT,
        hint: "a chat room relays to the others: a loop over every member but the one who spoke",
        run: Run::Plain(chat::reaches_the_others),
    },
    Case {
        id: "1.8",
        title: "a member who joins is told who is present, and the others that it joined",
        level: Level::Must,
        protocols: CHAT,
        hint: "`* in the room: a, b` to the newcomer, `* NAME joined` to everyone else",
        run: Run::Plain(chat::join_notices),
    },
    Case {
        id: "1.9",
        title: "a member who leaves is announced to the others",
        level: Level::Must,
        protocols: CHAT,
        hint: "recv returning b'' is a member leaving: tell the room `* NAME left`",
        run: Run::Plain(chat::leave_notice),
    },
    Case {
        id: "1.10",
        title: "a line of 1,000 bytes, the longest allowed, reaches the others whole",
        level: Level::Must,
        protocols: CHAT,
        hint: "the limit is 1,000 bytes without the line end: one recv(1024) may hold less than a line",
        run: Run::Plain(chat::longest_line),
    },
    Case {
        id: "1.11",
        title: "a connection that has not named itself yet hears nothing",
        level: Level::Must,
        protocols: CHAT,
        hint: "a connection becomes a member with its name: broadcast to members, not to sockets",
        run: Run::Plain(chat::unnamed_hears_nothing),
    },
    // ---- 2 framing ---------------------------------------------------------------------------
    // ANCHOR: case_2_1
    Case {
        id: "2.1",
        title: "two requests in one write are answered separately",
        level: Level::Must,
        protocols: ALL,
        hint: "粘包 (sticky packets): one recv(1024) can hold two requests",
        run: Run::Plain(glued),
    },
    // ANCHOR_END: case_2_1
    Case {
        id: "2.2",
        title: "a small request split in two, at every offset, is read whole",
        level: Level::Must,
        protocols: TCP_AND_CHAT,
        hint: "a request split in two arrives as two reads: read until the frame says it is whole",
        run: Run::Plain(split_at_every_offset),
    },
    Case {
        id: "2.3",
        title: "a request dribbled one byte per write is read whole",
        level: Level::Must,
        protocols: TCP_AND_CHAT,
        hint: "one recv may return a piece of a request (recv(4) may return 1 byte): a server that trusts one recv fails here",
        run: Run::Plain(dribbled),
    },
    Case {
        id: "2.4",
        title: "a large message (over 1 MB) is answered whole, and the next reply is the next request's",
        level: Level::Must,
        protocols: TCP,
        hint: "a reply longer than one read spills into the next one unless it is framed",
        run: Run::Plain(large),
    },
    Case {
        id: "2.5",
        title: "two lines in one write arrive as two lines",
        level: Level::Must,
        protocols: CHAT,
        hint: "one recv can hold two lines: split at every \\n, not once per recv",
        run: Run::Plain(chat::two_in_one_write),
    },
    // ---- 3 concurrency -----------------------------------------------------------------------
    Case {
        id: "3.1",
        title: "a second client is served while the first stays connected",
        level: Level::Must,
        protocols: ALL,
        hint: "one client at a time: the second waits in the backlog (半连接池) until the first leaves",
        run: Run::Plain(second_client),
    },
    Case {
        id: "3.2",
        title: "100 clients connected at once are all answered",
        level: Level::Must,
        protocols: ALL,
        hint: "one thread (or one event) per client, and a backlog that holds them: the tutorial's listen(5) keeps only 5 waiting",
        run: Run::Plain(hundred_clients),
    },
    Case {
        id: "3.3",
        title: "50 members at once: each hears the 49 others' lines",
        level: Level::Must,
        protocols: CHAT,
        hint: "a thread (or an event) per member, and one list of members shared under a lock",
        run: Run::Plain(chat::fifty_members),
    },
    // ---- 4 hostile input (each followed by 5.N) ----------------------------------------------
    Case {
        id: "4.1",
        title: "bytes that are not UTF-8 text get an ordinary answer",
        level: Level::Must,
        protocols: ALL,
        hint: "never decode what a peer sends without handling the error (a panic, a dead thread)",
        run: Run::Hostile(not_utf8),
    },
    Case {
        id: "4.2",
        title: "a client that resets the connection half-way through a request",
        level: Level::Info,
        protocols: TCP_AND_CHAT,
        hint: "a reset is an error of one connection (ConnectionResetError), not of the server",
        run: Run::Hostile(reset_mid_request),
    },
    Case {
        id: "4.3",
        title: "a client that never reads its replies does not hold up the others",
        level: Level::Must,
        protocols: TCP,
        hint: "a server blocked in send() to one client must not be the server of everyone",
        run: Run::Hostile(never_reads),
    },
    Case {
        id: "4.4",
        title: "a header length of 2^32-1 is refused at once",
        level: Level::Must,
        protocols: &[Framed],
        hint: "a server that trusts the header length waits for (or allocates) 4 GiB",
        run: Run::Hostile(|t| cut_off(t, vec![0xff; 4])),
    },
    Case {
        id: "4.5",
        title: "a header length just over 64 KiB is refused before the header arrives",
        level: Level::Must,
        protocols: &[Framed],
        hint: "check the announced length against a limit before reading or allocating",
        run: Run::Hostile(|t| cut_off(t, (HEADER_LIMIT + 1).to_be_bytes().to_vec())),
    },
    Case {
        id: "4.6",
        title: "a header that is not JSON is refused",
        level: Level::Must,
        protocols: &[Framed],
        hint: "json.loads raises on it: catch it and end that one connection",
        run: Run::Hostile(|t| cut_off(t, raw_frame(b"total_size: 5", b"echo a"))),
    },
    Case {
        id: "4.7",
        title: "a header that is not UTF-8 is refused",
        level: Level::Must,
        protocols: &[Framed],
        hint: "decode('utf-8') raises on it: catch it and end that one connection",
        run: Run::Hostile(|t| cut_off(t, raw_frame(&[b'{', 0xff, 0xfe, b'}'], b""))),
    },
    Case {
        id: "4.8",
        title: "a header that is JSON but not an object is refused",
        level: Level::Must,
        protocols: &[Framed],
        hint: "header['total_size'] on a list raises TypeError",
        run: Run::Hostile(|t| cut_off(t, raw_frame(b"[1,2]", b""))),
    },
    Case {
        id: "4.9",
        title: "a header without total_size is refused",
        level: Level::Must,
        protocols: &[Framed],
        hint: "header['total_size'] raises KeyError",
        run: Run::Hostile(|t| {
            cut_off(
                t,
                raw_frame(br#"{"md5":"d41d8cd98f00b204e9800998ecf8427e"}"#, b""),
            )
        }),
    },
    Case {
        id: "4.10",
        title: "a negative total_size is refused",
        level: Level::Must,
        protocols: &[Framed],
        hint: "`while received < -1` never runs: the body is taken to be empty",
        run: Run::Hostile(|t| cut_off(t, raw_frame(br#"{"total_size":-1}"#, b""))),
    },
    Case {
        id: "4.11",
        title: "a total_size that is a string is refused",
        level: Level::Must,
        protocols: &[Framed],
        hint: "comparing an int with a str raises TypeError",
        run: Run::Hostile(|t| cut_off(t, raw_frame(br#"{"total_size":"6"}"#, b""))),
    },
    Case {
        id: "4.12",
        title: "a total_size of null is refused",
        level: Level::Must,
        protocols: &[Framed],
        hint: "null is not a size",
        run: Run::Hostile(|t| cut_off(t, raw_frame(br#"{"total_size":null}"#, b""))),
    },
    Case {
        id: "4.13",
        title: "a total_size over 8 MiB is refused before the body arrives",
        level: Level::Must,
        protocols: &[Framed],
        hint: "a server that trusts total_size waits for (or allocates) the whole body",
        run: Run::Hostile(|t| {
            let header = format!(r#"{{"total_size":{}}}"#, REQUEST_BODY_LIMIT + 1);
            cut_off(t, raw_frame(header.as_bytes(), b""))
        }),
    },
    Case {
        id: "4.14",
        title: "a total_size of 2^64-1 is refused",
        level: Level::Must,
        protocols: &[Framed],
        hint: "a server that trusts total_size waits for 16 EiB",
        run: Run::Hostile(|t| {
            let header = format!(r#"{{"total_size":{}}}"#, u64::MAX);
            cut_off(t, raw_frame(header.as_bytes(), b""))
        }),
    },
    Case {
        id: "4.15",
        title: "a connection closed in the middle of the length is ended",
        level: Level::Must,
        protocols: &[Framed],
        hint: "recv returns b'' at the end: a loop that ignores it spins forever",
        run: Run::Hostile(|t| cut_off_after_half_close(t, vec![0, 0])),
    },
    Case {
        id: "4.16",
        title: "a connection closed in the middle of the header is ended",
        level: Level::Must,
        protocols: &[Framed],
        hint: "recv(header_len) may return fewer bytes, and b'' at the end",
        run: Run::Hostile(|t| cut_off_after_half_close(t, b"\0\0\0\x28{\"total_size\"".to_vec())),
    },
    Case {
        id: "4.17",
        title: "a truncated body (the connection closed in the middle of it) is ended",
        level: Level::Must,
        protocols: &[Framed],
        hint: "`while received < total_size: recv(1024)` spins forever once recv returns b''",
        run: Run::Hostile(|t| {
            cut_off_after_half_close(t, raw_frame(br#"{"total_size":100}"#, b"echo a sho"))
        }),
    },
    Case {
        id: "4.18",
        title: "a request whose md5 does not match its body is refused, and not run",
        level: Level::Must,
        protocols: &[Framed],
        hint: "check the md5 before running the command",
        run: Run::Hostile(|t| {
            let header = format!(r#"{{"total_size":6,"md5":"{}"}}"#, md5_hex(b"echo b"));
            cut_off(t, raw_frame(header.as_bytes(), b"echo a"))
        }),
    },
    Case {
        id: "4.19",
        title: "clients that announce an 8 MiB body and send none of it hold up nobody",
        level: Level::Must,
        protocols: &[Framed],
        hint: "a server that waits for one client's body inside the accept loop serves nobody else",
        run: Run::Hostile(stalled_bodies),
    },
    Case {
        id: "4.20",
        title: "an empty datagram is a message: it gets an empty reply",
        level: Level::Should,
        protocols: &[Udp],
        hint: "recvfrom returning 0 bytes is an empty datagram, not an end: UDP has no end",
        run: Run::Hostile(empty_datagram),
    },
    Case {
        id: "4.21",
        title: "a 65,507-byte datagram (the largest over IPv4)",
        level: Level::Info,
        protocols: &[Udp],
        hint: "the kernel cuts it to the buffer; the server must serve on",
        run: Run::Hostile(largest_datagram),
    },
    Case {
        id: "4.22",
        title: "a 1,001-byte line ends only that member, with an error line",
        level: Level::Must,
        protocols: CHAT,
        hint: "a reader must stop somewhere: past 1,000 bytes without \\n, refuse the line and end that member",
        run: Run::Hostile(chat::too_long),
    },
    Case {
        id: "4.23",
        title: "a name that is not 1-16 letters or digits is refused with an error line, and closed",
        level: Level::Must,
        protocols: CHAT,
        hint: "check the name before the member joins: `[bob]` or a space would pass for part of a notice",
        run: Run::Hostile(chat::bad_names),
    },
    Case {
        id: "4.24",
        title: "a name already present is refused with an error line, and closed",
        level: Level::Must,
        protocols: CHAT,
        hint: "two members of one name: nobody could tell who said what",
        run: Run::Hostile(chat::name_taken),
    },
    Case {
        id: "4.25",
        title: "a member that never reads is dropped, and the others still hear every line",
        level: Level::Must,
        protocols: CHAT,
        hint: "send() to a member who does not read blocks: give each member a bounded queue and drop it when full",
        run: Run::Hostile(chat::never_reads),
    },
    Case {
        id: "4.26",
        title: "a line that is not UTF-8 ends only that member, with an error line",
        level: Level::Must,
        protocols: CHAT,
        hint: "decode('utf-8') raises on it: catch it and end that one member",
        run: Run::Hostile(chat::not_utf8),
    },
];

// =============================================================================================
// Helpers
// =============================================================================================

/// A connection, or the FAIL that says why there is none.
fn open(t: &Target) -> Result<Client, Box<Outcome>> {
    Client::open(t).map_err(|e| Box::new(Outcome::fail("a connection", e)))
}

/// What `seq n` prints: `1\n2\n…n\n`.
pub fn seq_output(n: u64) -> Vec<u8> {
    (1..=n)
        .flat_map(|i| format!("{i}\n").into_bytes())
        .collect()
}

/// Adds the sticky-packet diagnosis to what a bare command reply looked like.
fn sticky_reason(observed: &str) -> String {
    if observed.contains("echo") || observed.contains("unknown command") {
        format!("{observed}: one read was taken for one whole command (粘包, sticky packets)")
    } else {
        observed.to_string()
    }
}

fn exchange_once(t: &Target, text: &[u8]) -> Outcome {
    if t.protocol == Chat {
        return chat::relayed(t, &String::from_utf8_lossy(text));
    }
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let (_, reply) = request_and_reply(t.protocol, text);
    let expected = shown(&reply);
    match client.exchange(text) {
        Ok(()) => Outcome::pass(expected.clone(), expected),
        Err(observed) => Outcome::fail(expected, observed),
    }
}

// =============================================================================================
// 1 basics
// =============================================================================================

fn long_message(t: &Target) -> Outcome {
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    match t.protocol {
        Echo => {
            let text: Vec<u8> = "the quick brown fox, 你好. "
                .bytes()
                .cycle()
                .take(3_000)
                .collect();
            let expected = upper(&text);
            let result = client.send(&text).and_then(|()| client.expect(&expected));
            verdict(
                result,
                "the echo of all 3,000 bytes",
                "all 3,000 bytes, echoed",
            )
        }
        _ => {
            let expected = seq_output(1000);
            let result = client
                .send(&wrap(t.protocol, b"seq 1000"))
                .and_then(|()| client.expect(&expected));
            verdict(result, "the 3,893 bytes of `seq 1000`", "all 3,893 bytes")
        }
    }
}

fn verdict(result: Result<(), String>, expected: &str, observed: &str) -> Outcome {
    match result {
        Ok(()) => Outcome::pass(expected, observed),
        Err(e) => Outcome::fail(expected, e),
    }
}

fn long_datagram(t: &Target) -> Outcome {
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let text = vec![b'x'; 2_000];
    if let Err(e) = client.send(&text) {
        return Outcome::fail("a datagram sent", e);
    }
    match client.read_reply(2_000) {
        Ok(reply) if reply == upper(&text[..reply.len()]) => Outcome::info(format!(
            "{} of 2,000 bytes came back, each upper-cased",
            reply.len()
        )),
        Ok(reply) => Outcome::info(format!(
            "{} bytes came back: {}",
            reply.len(),
            shown(&reply)
        )),
        Err(e) => Outcome::info(e),
    }
}

fn empty_reply_frame(t: &Target) -> Outcome {
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let expected = "a frame with total_size 0, then `echo next` answered";
    let result = client
        .send(&wrap(Framed, b"seq 0"))
        .and_then(|()| client.expect(b""))
        .and_then(|()| client.exchange(b"next"));
    verdict(
        result,
        expected,
        "an empty frame, and the stream still in step",
    )
}

fn open_header(t: &Target) -> Outcome {
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let body = b"echo extra";
    let header = format!(
        r#"{{"file_name":"a.txt","total_size":{},"md5":"{}","flags":[1,2]}}"#,
        body.len(),
        md5_hex(body)
    );
    let result = client
        .send(&raw_frame(header.as_bytes(), body))
        .and_then(|()| client.expect(b"extra\n"))
        .and_then(|()| client.send(&raw_frame(br#"{"total_size":7}"#, b"seq 2\n\n")))
        .and_then(|()| client.expect(b"1\n2\n"));
    verdict(
        result,
        "\"extra\\n\", then (no md5) \"1\\n2\\n\"",
        "both served",
    )
}

// =============================================================================================
// 2 framing
// =============================================================================================

fn glued(t: &Target) -> Outcome {
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    match t.protocol {
        Echo => {
            // The echo rule is per byte: however the two arrive, the replies together are both.
            let result = client
                .send(b"first,second")
                .and_then(|()| client.expect(b"FIRST,SECOND"));
            verdict(result, "\"FIRST,SECOND\" in all", "\"FIRST,SECOND\"")
        }
        Udp => {
            let result = client
                .send(b"one")
                .and_then(|()| client.send(b"two"))
                .and_then(|()| client.expect(b"ONE"))
                .and_then(|()| client.expect(b"TWO"));
            verdict(
                result,
                "\"ONE\", then \"TWO\", as two datagrams",
                "two replies",
            )
        }
        protocol => {
            let mut both = wrap(protocol, b"echo a");
            both.extend(wrap(protocol, b"echo b"));
            let expected = "\"a\\n\", then \"b\\n\"";
            let result = client
                .send(&both)
                .and_then(|()| client.expect(b"a\n"))
                .and_then(|()| client.expect(b"b\n"));
            match result {
                Ok(()) => Outcome::pass(expected, "two replies, each whole"),
                Err(e) => Outcome::fail(expected, sticky_reason(&format!("first reply {e}"))),
            }
        }
    }
}

/// Writes `request` in the pieces `cut` makes, listening between pieces: a reply to part of a
/// request is a failure.
fn send_in_pieces(stream: &mut TcpStream, request: &[u8], cut: &Chunking) -> Result<(), String> {
    let pieces = cut.cut(request);
    let mut sent = 0;
    for (i, piece) in pieces.iter().enumerate() {
        stream.write_all(piece).map_err(|e| {
            format!(
                "the server closed the connection after only {sent} of {} bytes ({e})",
                request.len()
            )
        })?;
        sent += piece.len();
        if i + 1 < pieces.len() {
            let early = drain(stream, BETWEEN_PIECES);
            let _ = stream.set_read_timeout(Some(patience_of(stream)));
            if !early.is_empty() {
                return Err(format!(
                    "after only {sent} of {} bytes the server answered {}",
                    request.len(),
                    shown(&early)
                ));
            }
        }
    }
    Ok(())
}

/// The read timeout a grader's stream had before a short listen changed it: the one
/// [`Client::open`] set, kept on the socket's write timeout, which no case shortens.
fn patience_of(stream: &TcpStream) -> Duration {
    stream
        .write_timeout()
        .ok()
        .flatten()
        .unwrap_or(probe::PATIENCE)
}

fn split_at_every_offset(t: &Target) -> Outcome {
    if t.protocol == Chat {
        return chat::split_at_every_offset(t);
    }
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let (request, reply) = request_and_reply(t.protocol, b"split");
    let expected = format!("{} for every split", shown(&reply));
    for at in 1..request.len() {
        let result = if t.protocol == Echo {
            // Replies to each piece are fine here: the echo rule is per byte.
            probe::write_chunked(client.stream(), &request, &Chunking::At(vec![at]))
                .map_err(|e| format!("could not send ({e})"))
                .and_then(|_| client.expect(&reply))
        } else {
            send_in_pieces(client.stream(), &request, &Chunking::At(vec![at]))
                .and_then(|()| client.expect(&reply))
        };
        if let Err(e) = result {
            return Outcome::fail(
                expected,
                sticky_reason(&format!("split after byte {at} of {}: {e}", request.len())),
            );
        }
    }
    Outcome::pass(
        expected,
        format!("whole at all {} offsets", request.len() - 1),
    )
}

fn dribbled(t: &Target) -> Outcome {
    if t.protocol == Chat {
        return chat::dribbled(t);
    }
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let (request, reply) = match t.protocol {
        Echo => (b"dribbled".to_vec(), b"DRIBBLED".to_vec()),
        protocol => (wrap(protocol, b"seq 5"), seq_output(5)),
    };
    let expected = format!("{}, then the next request answered", shown(&reply));
    let sent = if t.protocol == Echo {
        probe::write_chunked(client.stream(), &request, &Chunking::ByteByByte)
            .map(|_| ())
            .map_err(|e| format!("could not send ({e})"))
    } else {
        send_in_pieces(client.stream(), &request, &Chunking::ByteByByte)
    };
    let result = sent
        .and_then(|()| client.expect(&reply))
        .and_then(|()| client.exchange(b"after"));
    match result {
        Ok(()) => Outcome::pass(
            expected,
            format!("whole, from {} one-byte writes", request.len()),
        ),
        Err(e) => Outcome::fail(expected, sticky_reason(&e)),
    }
}

fn large(t: &Target) -> Outcome {
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let (request, reply) = match t.protocol {
        Echo => {
            let text: Vec<u8> = b"large message "
                .iter()
                .copied()
                .cycle()
                .take(2 << 20)
                .collect();
            let reply = upper(&text);
            (text, reply)
        }
        Commands => (b"seq 200000".to_vec(), seq_output(200_000)),
        protocol => {
            let mut command = b"echo ".to_vec();
            command.extend(std::iter::repeat_n(b'x', 2 << 20));
            let mut reply = command[5..].to_vec();
            reply.push(b'\n');
            (wrap(protocol, &command), reply)
        }
    };
    let expected = format!("{} bytes, then the next request answered", reply.len());
    // Written from another thread while this one reads: an echo server answers as it reads,
    // and would block on its replies if nobody read them while the request is still going out.
    let mut writer = match client.stream().try_clone() {
        Ok(writer) => writer,
        Err(e) => return Outcome::fail("a connection", e.to_string()),
    };
    let framed = t.protocol == Framed;
    let result = thread::scope(|scope| {
        let sending = scope.spawn(move || writer.write_all(&request));
        let got = if framed {
            client.read_reply(reply.len())
        } else {
            read_bare(client.stream(), reply.len(), t.patience)
        };
        let sent = sending.join().unwrap_or(Ok(()));
        match (got, sent) {
            (Ok(got), _) if got == reply => Ok(()),
            (Ok(got), _) => Err(format!(
                "{} bytes that differ from the expected ones (from byte {})",
                got.len(),
                got.iter()
                    .zip(&reply)
                    .position(|(a, b)| a != b)
                    .unwrap_or(got.len())
            )),
            (Err(e), Err(send)) => {
                Err(format!("{e} (the request could not be sent whole: {send})"))
            }
            (Err(e), Ok(())) => Err(e),
        }
    });
    let result = result.and_then(|()| client.exchange(b"after"));
    verdict(
        result,
        &expected,
        "whole, and the next reply was the next request's",
    )
}

// =============================================================================================
// 3 concurrency
// =============================================================================================

fn second_client(t: &Target) -> Outcome {
    let expected = "a reply to the second client while the first stays connected";
    let mut first = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    if let Err(e) = first.exchange(b"first") {
        return Outcome::fail("the first client served", e);
    }
    // The second client listens only A_MOMENT: a server that serves clients side by side
    // answers at once; one that serves one at a time does not answer at all.
    let quick = Target {
        patience: A_MOMENT,
        ..t.clone()
    };
    let mut second = match open(&quick) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let (request, reply) = request_and_reply(t.protocol, b"second");
    if let Err(e) = second.send(&request) {
        return Outcome::fail(expected, e);
    }
    match second.expect(&reply) {
        Ok(()) => return Outcome::pass(expected, "answered at once"),
        Err(e) if !e.starts_with("no ") => return Outcome::fail(expected, e),
        Err(_) => {}
    }
    // Not answered: does the first client's leaving unblock it?
    drop(first);
    if let Client::Stream(stream, ..) = &mut second {
        let _ = stream.set_read_timeout(Some(t.patience));
    }
    let then = match second.expect(&reply) {
        Ok(()) => "answered only once the first client left: one client at a time".to_string(),
        Err(e) => format!("not answered even after the first client left: {e}"),
    };
    Outcome::fail(
        expected,
        format!(
            "no reply within {} s while the first stayed; {then}",
            secs(A_MOMENT)
        ),
    )
}

fn hundred_clients(t: &Target) -> Outcome {
    const CLIENTS: usize = 100;
    let expected = "all 100 answered, each with its own reply";
    // One deadline for all of it: a server that takes them one after another, however slowly,
    // must still be done within the patience.
    let deadline = std::time::Instant::now() + t.patience;
    let mut clients = Vec::with_capacity(CLIENTS);
    for i in 0..CLIENTS {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let within = Target {
            patience: left.max(Duration::from_millis(1)),
            ..t.clone()
        };
        match Client::open(&within) {
            Ok(client) => clients.push(client),
            Err(e) => {
                return Outcome::fail(
                    expected,
                    format!(
                        "{i} of 100 connected within {} s; client {}: {e}",
                        secs(t.patience),
                        i + 1
                    ),
                );
            }
        }
    }
    let texts: Vec<Vec<u8>> = (0..CLIENTS)
        .map(|i| format!("client {i}").into_bytes())
        .collect();
    for (i, (client, text)) in clients.iter_mut().zip(&texts).enumerate() {
        if let Err(e) = client.send(&request_and_reply(t.protocol, text).0) {
            return Outcome::fail(expected, format!("client {} of 100: {e}", i + 1));
        }
    }
    for (i, (client, text)) in clients.iter_mut().zip(&texts).enumerate() {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let answered = match client {
            _ if left.is_zero() => Err("no time left".to_string()),
            Client::Stream(stream, ..) => stream
                .set_read_timeout(Some(left))
                .map_err(|e| e.to_string()),
            Client::Datagram(socket, _) => socket
                .set_read_timeout(Some(left))
                .map_err(|e| e.to_string()),
        }
        .and_then(|()| client.expect(&request_and_reply(t.protocol, text).1));
        if let Err(e) = answered {
            return Outcome::fail(
                expected,
                format!(
                    "{i} of 100 answered within {} s; client {}: {e}",
                    secs(t.patience),
                    i + 1
                ),
            );
        }
    }
    Outcome::pass(expected, "all 100 answered")
}

// =============================================================================================
// 4 hostile input, and 5 lifecycle
// =============================================================================================

/// Case 5.N: after hostile case 4.N, a new client is served as usual.
pub fn still_serves(t: &Target) -> Outcome {
    if t.protocol == Chat {
        return chat::still_chats(t);
    }
    let expected = "a new client served as usual";
    match Client::open(t).and_then(|mut client| client.exchange(b"still there?")) {
        Ok(()) => Outcome::pass(expected, "served"),
        Err(e) => Outcome::fail(expected, e),
    }
}

fn not_utf8(t: &Target) -> Outcome {
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let text: &[u8] = b"\xff\xfe not text \x00\x1b[2J";
    match t.protocol {
        Echo | Udp => {
            let expected = upper(text);
            let result = client.send(text).and_then(|()| client.expect(&expected));
            verdict(
                result,
                &shown(&expected),
                "echoed unchanged (a-z upper-cased)",
            )
        }
        protocol => {
            let mut command = b"echo ".to_vec();
            command.extend_from_slice(text);
            let expected = "a reply (an error message, say), and the connection still usable";
            if let Err(e) = client.send(&wrap(protocol, &command)) {
                return Outcome::fail(expected, e);
            }
            let reply = if protocol == Framed {
                match read_frame_reply(client.stream(), t.patience) {
                    Ok(FrameReply::Frame { body } | FrameReply::Error { body, .. }) => Ok(body),
                    Err(missing) => Err(missing.to_string()),
                }
            } else {
                read_first_bytes(client.stream(), t.patience)
            };
            match reply.and_then(|reply| client.exchange(b"after").map(|()| reply)) {
                Ok(reply) => Outcome::pass(expected, format!("replied {}", shown(&reply))),
                Err(e) => Outcome::fail(expected, e),
            }
        }
    }
}

/// Whatever one read returns (bounded), or why nothing came.
fn read_first_bytes(stream: &mut TcpStream, patience: Duration) -> Result<Vec<u8>, String> {
    let mut buf = [0u8; 4096];
    match probe::read_retrying(stream, &mut buf) {
        Ok(0) => Err("the server closed the connection without replying".into()),
        Ok(n) => Ok(buf[..n].to_vec()),
        Err(e) if socket_lessons::timeout::is_timeout(&e) => {
            Err(format!("no reply within {} s", secs(patience)))
        }
        Err(e) => Err(e.to_string()),
    }
}

fn reset_mid_request(t: &Target) -> Outcome {
    if t.protocol == Chat {
        return chat::reset_mid_line(t);
    }
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let request = wrap(t.protocol, b"echo half a request");
    let half = &request[..request.len() / 2];
    if let Err(e) = client.send(half) {
        return Outcome::fail("half a request sent", e);
    }
    let Client::Stream(stream, ..) = client else {
        unreachable!("a TCP-only case")
    };
    reset(stream);
    Outcome::info(format!(
        "sent {} of {} bytes, then a reset (5.2 checks the server)",
        half.len(),
        request.len()
    ))
}

fn never_reads(t: &Target) -> Outcome {
    let expected = "another client served while this one reads nothing";
    let mut hog = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    // Fill both directions' buffers: the server's replies pile up unread until its send()
    // blocks. Each write may wait only a moment; a write that cannot go out means they are full.
    let stream = hog.stream();
    let _ = stream.set_write_timeout(Some(A_MOMENT));
    let chunk = match t.protocol {
        Echo => vec![b'x'; 64 * 1024],
        protocol => wrap(protocol, b"seq 1000000"),
    };
    let mut sent = 0usize;
    while sent < 64 << 20 {
        match stream.write(&chunk) {
            Ok(n) => sent += n,
            Err(_) => break,
        }
        if t.protocol != Echo && sent >= 4 * chunk.len() {
            break; // four requests of 6.9 MB of replies each are more than any buffer holds
        }
    }
    let result = Client::open(t)
        .and_then(|mut other| other.exchange(b"not blocked"))
        .map_err(|e| format!("the other client: {e}, while this one had {sent} bytes unread"));
    if let Client::Stream(stream, ..) = hog {
        reset(stream);
    }
    verdict(result, expected, "served")
}

/// Sends `bytes` on a fresh connection and checks that the server ends that connection without
/// running anything: an error reply first is what a server SHOULD do, the end is what it MUST.
fn cut_off(t: &Target, bytes: Vec<u8>) -> Outcome {
    hostile_then_expect_end(t, &bytes, false)
}

/// The same, but the client half-closes after its bytes: the stream ends mid-frame.
fn cut_off_after_half_close(t: &Target, bytes: Vec<u8>) -> Outcome {
    hostile_then_expect_end(t, &bytes, true)
}

fn hostile_then_expect_end(t: &Target, bytes: &[u8], then_half_close: bool) -> Outcome {
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let peer = client.stream().local_addr().ok();
    let expected = "an error reply, then the end of this connection, and no command run";
    let mut outcome = match client.send(bytes) {
        Err(e) => Outcome::fail(expected, e),
        Ok(()) => {
            if then_half_close {
                half_close(client.stream());
            }
            judge_cut_off(client.stream(), t.patience, expected)
        }
    };
    outcome.hostile_peer = peer;
    outcome
}

// ANCHOR: judge_cut_off
fn judge_cut_off(stream: &mut TcpStream, patience: Duration, expected: &str) -> Outcome {
    match read_frame_reply(stream, patience) {
        Ok(FrameReply::Error { text, body }) => {
            let mut outcome = match super::client::wait_for_end(stream) {
                Ok(_) => Outcome::pass(
                    expected,
                    format!("error frame {}, then the end", shown(text.as_bytes())),
                ),
                Err(e) => Outcome::fail(expected, format!("an error frame, but then {e}")),
            };
            outcome.error_reply = Some(text);
            outcome.error_body = Some(body);
            outcome
        }
        Ok(FrameReply::Frame { body }) => Outcome::fail(
            expected,
            format!(
                "an ordinary reply frame {}: the bad request was taken for a command",
                shown(&body)
            ),
        ),
        Err(Missing::Closed | Missing::Reset) => Outcome::new(
            Verdict::NonStrict,
            expected,
            "the connection ended, but without an error reply saying why",
        ),
        Err(Missing::Nothing(_)) => Outcome::fail(
            expected,
            format!(
                "neither a reply nor the end within {} s: the server still waits for bytes \
                 it was promised (it trusts what the header announced)",
                secs(patience)
            ),
        ),
        Err(Missing::Wrong(what)) => Outcome::fail(expected, what),
    }
}
// ANCHOR_END: judge_cut_off

fn stalled_bodies(t: &Target) -> Outcome {
    let expected = "another client served while four wait for bodies that never come";
    let header = format!(r#"{{"total_size":{REQUEST_BODY_LIMIT}}}"#);
    let mut stalled = Vec::new();
    for _ in 0..4 {
        let mut client = match open(t) {
            Ok(client) => client,
            Err(outcome) => return *outcome,
        };
        if let Err(e) = client.send(&raw_frame(header.as_bytes(), b"")) {
            return Outcome::fail(expected, e);
        }
        stalled.push(client);
    }
    let result = Client::open(t).and_then(|mut other| other.exchange(b"not blocked"));
    // The stalled clients must still be connected: the server waits for their bodies.
    let still = stalled
        .iter_mut()
        .all(|client| probe::expect_silence(client.stream(), BETWEEN_PIECES).is_ok());
    match result {
        Ok(()) if still => Outcome::pass(expected, "served; the four still wait, connected"),
        Ok(()) => Outcome::new(
            Verdict::Info,
            expected,
            "served; the server ended (or answered) a client whose body was allowed",
        ),
        Err(e) => Outcome::fail(expected, e),
    }
}

fn empty_datagram(t: &Target) -> Outcome {
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    match client.send(b"").and_then(|()| client.read_reply(0)) {
        Ok(reply) if reply.is_empty() => {
            Outcome::pass("an empty datagram back", "an empty datagram")
        }
        Ok(reply) => Outcome::fail("an empty datagram back", shown(&reply)),
        Err(e) => Outcome::new(Verdict::NonStrict, "an empty datagram back", e),
    }
}

fn largest_datagram(t: &Target) -> Outcome {
    let mut client = match open(t) {
        Ok(client) => client,
        Err(outcome) => return *outcome,
    };
    let datagram = vec![b'y'; 65_507];
    match client
        .send(&datagram)
        .and_then(|()| client.read_reply(65_507))
    {
        Ok(reply) => Outcome::info(format!("{} bytes came back", reply.len())),
        Err(e) => Outcome::info(e),
    }
}
