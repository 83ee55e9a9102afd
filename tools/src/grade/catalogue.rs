//! The catalogue: every case the grader runs, as data. A case is an id, a title, a level, the
//! protocols it applies to, the hint a student reads when it fails, and how it is run: one of
//! the scenario engine's experiments, and how its finding is judged ([`super::judge`], and
//! [`super::chat`] for the chat room's).
//!
//! Cases are numbered `group.number` and never renumbered once published (a report from last
//! term must still mean the same thing); a new case takes the next free number of its group.
//! Each run is bounded: every read waits at most the target's patience, and the runner gives a
//! whole case at most [`case_budget`](super::case_budget).

use socket_lessons::frame::md5_hex;

use super::Protocol::{Chat, Commands, Echo, Framed, Rfc862, Udp};
use super::judge::{self, HEADER_LIMIT, REQUEST_BODY_LIMIT, cut_off, cut_off_after_half_close};
use super::{Case, Level, Protocol, Run, chat};
use crate::scenario::wire::raw_frame;

/// The stream protocols (RFC 862's echo is checked wherever the course's echo rule is).
const TCP: &[Protocol] = &[Echo, Rfc862, Commands, Framed];
const ALL: &[Protocol] = &[Echo, Rfc862, Commands, Framed, Udp];
/// The stream protocols, and lesson 9's room, whose members are streams too.
const TCP_AND_CHAT: &[Protocol] = &[Echo, Rfc862, Commands, Framed, Chat];
const ALL_AND_CHAT: &[Protocol] = &[Echo, Rfc862, Commands, Framed, Udp, Chat];
const CHAT: &[Protocol] = &[Chat];

/// Every case, in order.
pub static CASES: [Case; 45] = [
    // ---- 1 basics ----------------------------------------------------------------------------
    Case {
        id: "1.1",
        title: "a message is answered by the protocol's rule",
        level: Level::Must,
        protocols: ALL,
        hint: "the reply rule: bytes.upper() for echo; `echo TEXT` replies TEXT and a newline",
        run: Run::Plain(|t| judge::exchange_once(t, "hello world")),
    },
    Case {
        id: "1.2",
        title: "UTF-8 text passes through untouched",
        level: Level::Must,
        protocols: ALL_AND_CHAT,
        hint: "upper-case a-z only: decoding and re-encoding, or str.upper(), changes other letters",
        run: Run::Plain(|t| judge::exchange_once(t, "hello, 你好 ünïcödé ß")),
    },
    Case {
        id: "1.3",
        title: "a message of 1,024+ bytes is answered whole",
        level: Level::Must,
        protocols: TCP,
        hint: "one recv(1024) is not one message: keep reading (echo) or frame the reply",
        run: Run::Plain(judge::long_message),
    },
    Case {
        id: "1.4",
        title: "a 2,000-byte datagram: how much of it comes back",
        level: Level::Info,
        protocols: &[Udp],
        hint: "a datagram longer than the server's buffer is cut by the kernel, the rest lost",
        run: Run::Plain(judge::long_datagram),
    },
    Case {
        id: "1.5",
        title: "an empty reply is a frame with total_size 0",
        level: Level::Must,
        protocols: &[Framed],
        hint: "`seq 0` prints nothing; a bare protocol would send nothing and leave the client waiting",
        run: Run::Plain(judge::empty_reply_frame),
    },
    Case {
        id: "1.6",
        title: "a request with unknown header fields and no md5 is served",
        level: Level::Must,
        protocols: &[Framed],
        hint: "the header is open: a reader ignores fields it does not know, and md5 is optional",
        run: Run::Plain(judge::open_header),
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
        run: Run::Plain(judge::glued),
    },
    // ANCHOR_END: case_2_1
    Case {
        id: "2.2",
        title: "a small request split in two, at every offset, is read whole",
        level: Level::Must,
        protocols: TCP_AND_CHAT,
        hint: "a request split in two arrives as two reads: read until the frame says it is whole",
        run: Run::Plain(judge::split_at_every_offset),
    },
    Case {
        id: "2.3",
        title: "a request dribbled one byte per write is read whole",
        level: Level::Must,
        protocols: TCP_AND_CHAT,
        hint: "one recv may return a piece of a request (recv(4) may return 1 byte): a server that trusts one recv fails here",
        run: Run::Plain(judge::dribbled),
    },
    Case {
        id: "2.4",
        title: "a large message (over 1 MB) is answered whole, and the next reply is the next request's",
        level: Level::Must,
        protocols: TCP,
        hint: "a reply longer than one read spills into the next one unless it is framed",
        run: Run::Plain(judge::large),
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
        run: Run::Plain(judge::second_client),
    },
    Case {
        id: "3.2",
        title: "100 clients connected at once are all answered",
        level: Level::Must,
        protocols: ALL,
        hint: "one thread (or one event) per client, and a backlog that holds them: the tutorial's listen(5) keeps only 5 waiting",
        run: Run::Plain(judge::hundred_clients),
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
        run: Run::Hostile(judge::not_utf8),
    },
    Case {
        id: "4.2",
        title: "a client that resets the connection half-way through a request",
        level: Level::Info,
        protocols: TCP_AND_CHAT,
        hint: "a reset is an error of one connection (ConnectionResetError), not of the server",
        run: Run::Hostile(judge::reset_mid_request),
    },
    Case {
        id: "4.3",
        title: "a client that never reads its replies does not hold up the others",
        level: Level::Must,
        protocols: TCP,
        hint: "a server blocked in send() to one client must not be the server of everyone",
        run: Run::Hostile(judge::never_reads),
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
        run: Run::Hostile(judge::stalled_bodies),
    },
    Case {
        id: "4.20",
        title: "an empty datagram is a message: it gets an empty reply",
        level: Level::Should,
        protocols: &[Udp],
        hint: "recvfrom returning 0 bytes is an empty datagram, not an end: UDP has no end",
        run: Run::Hostile(judge::empty_datagram),
    },
    Case {
        id: "4.21",
        title: "a 65,507-byte datagram (the largest over IPv4)",
        level: Level::Info,
        protocols: &[Udp],
        hint: "the kernel cuts it to the buffer; the server must serve on",
        run: Run::Hostile(judge::largest_datagram),
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
