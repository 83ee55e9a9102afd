//! The scenarios: the same traffic, played against one stage's real server, each ending in a
//! short verdict (a [`Cell`]). Every wait is bounded (the probe's PATIENCE, A_MOMENT), and no
//! cell holds a raw timing: what a cell says is forced by the stage's design, so the table is
//! the same on every run.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::grade::Protocol;
use crate::grade::client::{FrameReply, drain, read_frame_reply, request_and_reply, reset, wrap};
use crate::probe::{self, A_MOMENT, PATIENCE, ServerProcess, read_retrying};

/// One cell of the table: its words, and whether it is what a client would want (a terminal
/// shows those green, the others red).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub good: bool,
}

fn good(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        good: true,
    }
}

fn bad(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        good: false,
    }
}

/// A stage's server, started fresh for one scenario (and killed after it, if it still runs).
pub struct Stage {
    pub number: u16,
    pub protocol: Protocol,
    pub addr: SocketAddr,
    pub server: Option<ServerProcess>,
}

impl Stage {
    fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// One row of the table.
pub struct Scenario {
    /// What `--scenario` takes.
    pub name: &'static str,
    /// The row's label.
    pub title: &'static str,
    pub run: fn(&mut Stage) -> Cell,
    /// Options some stages are started with for this row, beyond `--addr`: a limit the row is
    /// about, set low enough to reach within a bounded run (lesson 11's cap of 512 clients, say).
    pub options: &'static [(u16, &'static [&'static str])],
}

impl Scenario {
    /// The options stage `number` is started with for this row.
    pub fn options_for(&self, number: u16) -> &'static [&'static str] {
        self.options
            .iter()
            .find(|(stage, _)| *stage == number)
            .map_or(&[], |(_, options)| options)
    }
}

/// Every scenario, in the order of the table's rows.
pub static SCENARIOS: [Scenario; 7] = [
    Scenario {
        name: "second-client",
        title: "2nd client, 1st stays",
        run: second_client,
        options: &[],
    },
    Scenario {
        name: "third-client",
        title: "3rd client, 2 stay",
        run: third_client,
        options: &[(11, &["--max-clients", "2"])],
    },
    Scenario {
        name: "back-to-back",
        title: "2 requests in 1 write",
        run: back_to_back,
        options: &[],
    },
    Scenario {
        name: "long-reply",
        title: "3,893-byte reply",
        run: long_reply,
        options: &[],
    },
    Scenario {
        name: "dribbled",
        title: "request dribbled",
        run: dribbled,
        options: &[],
    },
    Scenario {
        name: "reset",
        title: "reset, then new client",
        run: reset_then_fresh,
        options: &[],
    },
    Scenario {
        name: "ctrl-c",
        title: "Ctrl-C, 2 idle clients",
        run: ctrl_c,
        options: &[],
    },
];

/// The protocol each stage speaks (docs/contracts.md: the echo rule for lessons 1-4 and 11, the
/// command service bare in lesson 5 and framed in lesson 6, the echo rule over UDP in lesson 7).
pub fn protocol_of(number: u16) -> Option<Protocol> {
    match number {
        1..=4 | 11 => Some(Protocol::Echo),
        5 => Some(Protocol::Commands),
        6 => Some(Protocol::Framed),
        7 => Some(Protocol::Udp),
        _ => None,
    }
}

fn open(addr: SocketAddr) -> io::Result<TcpStream> {
    let stream = probe::connect(addr)?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// The server refused the connection, or reset it at once: it is not there any more.
const GONE: &str = "server gone";

/// One reply, read the way the stage's own client reads it: one `recv(1024)` for lessons 1-5 and 11,
/// one whole frame for lesson 6. `None`: the connection ended first; `Err`: nothing came.
fn read_one_reply(stream: &mut TcpStream, protocol: Protocol) -> io::Result<Option<Vec<u8>>> {
    if protocol == Protocol::Framed {
        return match read_frame_reply(stream, PATIENCE) {
            Ok(FrameReply::Frame { body } | FrameReply::Error { body, .. }) => Ok(Some(body)),
            Err(crate::grade::client::Missing::Closed | crate::grade::client::Missing::Reset) => {
                Ok(None)
            }
            Err(missing) => Err(io::Error::other(missing.to_string())),
        };
    }
    let mut buf = [0u8; 1024];
    match read_retrying(stream, &mut buf) {
        Ok(0) => Ok(None),
        Ok(n) => Ok(Some(buf[..n].to_vec())),
        Err(e) if is_reset(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

fn is_reset(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted
    )
}

/// Reads until `want` bytes have come, or the connection ended: how much came, and whether it
/// ended.
fn read_up_to(stream: &mut TcpStream, want: usize) -> (Vec<u8>, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while got.len() < want {
        match read_retrying(stream, &mut buf) {
            Ok(0) => return (got, true),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if is_reset(&e) => return (got, true),
            Err(_) => return (got, false),
        }
    }
    (got, false)
}

// ---------------------------------------------------------------------------------------------

fn second_client(stage: &mut Stage) -> Cell {
    if stage.protocol == Protocol::Udp {
        return udp::second_client(stage);
    }
    let Ok(mut first) = open(stage.addr()) else {
        return bad(GONE);
    };
    let (request, reply) = request_and_reply(stage.protocol, b"first");
    if first.write_all(&request).is_err()
        || read_exactly_reply(&mut first, stage.protocol, &reply).is_err()
    {
        return bad("first not served");
    }
    let (request, reply) = request_and_reply(stage.protocol, b"second");
    let Ok(mut second) = open(stage.addr()) else {
        return bad(GONE);
    };
    if second.write_all(&request).is_err() {
        return bad(GONE);
    }
    let _ = second.set_read_timeout(Some(A_MOMENT));
    match read_exactly_reply(&mut second, stage.protocol, &reply) {
        Ok(()) => return good("served"),
        Err(Ended) => return bad(GONE),
        Err(Silent) => {}
    }
    // Nothing within a moment: is it waiting for the first client to leave?
    drop(first);
    let _ = second.set_read_timeout(Some(PATIENCE));
    match read_exactly_reply(&mut second, stage.protocol, &reply) {
        Ok(()) => bad("waits for 1st"),
        Err(_) => bad("never served"),
    }
}

/// Two clients served and staying connected, then a third: served, left waiting, or told the
/// server is busy (lesson 11, started with `--max-clients 2` for this row, turns it away in one
/// line instead of giving it a thread).
fn third_client(stage: &mut Stage) -> Cell {
    if stage.protocol == Protocol::Udp {
        return udp::not_for_datagrams(stage);
    }
    let mut staying = Vec::new();
    for (i, text) in [b"first".as_slice(), b"second"].into_iter().enumerate() {
        let Ok(mut client) = open(stage.addr()) else {
            return bad(GONE);
        };
        let (request, reply) = request_and_reply(stage.protocol, text);
        let _ = client.set_read_timeout(Some(A_MOMENT));
        if client.write_all(&request).is_err() {
            return bad(GONE);
        }
        match read_exactly_reply(&mut client, stage.protocol, &reply) {
            Ok(()) => {}
            Err(Silent) if i == 1 => return bad("2nd waits"),
            Err(_) => return bad(GONE),
        }
        staying.push(client);
    }
    let Ok(mut third) = open(stage.addr()) else {
        return bad(GONE);
    };
    let (request, reply) = request_and_reply(stage.protocol, b"third");
    let _ = third.set_read_timeout(Some(A_MOMENT));
    if third.write_all(&request).is_err() {
        return bad(GONE);
    }
    let cell = if stage.protocol == Protocol::Framed {
        match read_exactly_reply(&mut third, stage.protocol, &reply) {
            Ok(()) => good("served"),
            Err(Silent) => bad("3rd waits"),
            Err(Ended) => bad(GONE),
        }
    } else {
        let (got, _) = read_up_to(&mut third, reply.len());
        if got == reply {
            good("served")
        } else if got.starts_with(b"busy") {
            good("told busy (cap 2)")
        } else if got.is_empty() {
            bad("3rd waits")
        } else {
            bad("mixed up")
        }
    };
    drop(staying);
    cell
}

/// Why a reply did not come.
enum NoReply {
    Ended,
    Silent,
}
use NoReply::{Ended, Silent};

/// Reads the one reply `expected` (bare: exactly its length; framed: one frame).
fn read_exactly_reply(
    stream: &mut TcpStream,
    protocol: Protocol,
    expected: &[u8],
) -> Result<(), NoReply> {
    if protocol == Protocol::Framed {
        return match read_one_reply(stream, protocol) {
            Ok(Some(body)) if body == expected => Ok(()),
            Ok(Some(_)) | Ok(None) => Err(Ended),
            Err(_) => Err(Silent),
        };
    }
    match probe::read_exactly(stream, expected.len()) {
        Ok(got) if got == expected => Ok(()),
        Ok(_) => Err(Ended),
        Err(e) if socket_lessons::timeout::is_timeout(&e) => Err(Silent),
        Err(_) => Err(Ended),
    }
}

fn back_to_back(stage: &mut Stage) -> Cell {
    if stage.protocol == Protocol::Udp {
        return udp::back_to_back(stage);
    }
    let Ok(mut stream) = open(stage.addr()) else {
        return bad(GONE);
    };
    let (first, first_reply) = request_and_reply(stage.protocol, b"one");
    let (second, second_reply) = request_and_reply(stage.protocol, b"two");
    let mut both = first.clone();
    both.extend_from_slice(&second);
    if stream.write_all(&both).is_err() {
        return bad(GONE);
    }
    match stage.protocol {
        Protocol::Framed => {
            let one = read_one_reply(&mut stream, stage.protocol);
            let two = read_one_reply(&mut stream, stage.protocol);
            match (one, two) {
                (Ok(Some(a)), Ok(Some(b))) if a == first_reply && b == second_reply => {
                    good("2 replies")
                }
                _ => bad("not 2 replies"),
            }
        }
        Protocol::Commands => {
            // Whatever the server sends within a moment after the first bytes.
            let (mut got, _) = read_up_to(&mut stream, 1);
            got.extend(drain(&mut stream, A_MOMENT));
            let mut two = first_reply.clone();
            two.extend_from_slice(&second_reply);
            if got == two {
                good("2 replies")
            } else {
                bad("glued: 1 reply")
            }
        }
        _ => {
            let mut echoed = first_reply.clone();
            echoed.extend_from_slice(&second_reply);
            let (got, ended) = read_up_to(&mut stream, echoed.len());
            match (got == echoed, ended || wait_for_close(&mut stream)) {
                (true, false) => good("both echoed"),
                (true, true) => bad("1 reply, closed"),
                (false, _) if got.is_empty() => bad(GONE),
                (false, _) => bad("part echoed"),
            }
        }
    }
}

/// Whether the server closes the connection within a moment (lessons 1 and 2 hang up after
/// their one reply).
fn wait_for_close(stream: &mut TcpStream) -> bool {
    let _ = stream.set_read_timeout(Some(A_MOMENT));
    let mut buf = [0u8; 64];
    let closed = match read_retrying(stream, &mut buf) {
        Ok(0) => true,
        Err(e) => is_reset(&e),
        Ok(_) => false,
    };
    let _ = stream.set_read_timeout(Some(PATIENCE));
    closed
}

fn long_reply(stage: &mut Stage) -> Cell {
    if stage.protocol == Protocol::Udp {
        return udp::long_reply(stage);
    }
    let Ok(mut stream) = open(stage.addr()) else {
        return bad(GONE);
    };
    // The echo stages are sent 3,893 bytes, the command stages `seq 1000`: 3,893 bytes back.
    let (request, reply) = match stage.protocol {
        Protocol::Echo => {
            let text: Vec<u8> = b"0123456789abcdef"
                .iter()
                .copied()
                .cycle()
                .take(3_893)
                .collect();
            request_and_reply(Protocol::Echo, &text)
        }
        protocol => (
            wrap(protocol, b"seq 1000"),
            crate::grade::catalogue::seq_output(1000),
        ),
    };
    if stream.write_all(&request).is_err() {
        return bad(GONE);
    }
    // The stage's own client reads one reply, then sends the next request and reads its reply.
    let first = match read_one_reply(&mut stream, stage.protocol) {
        Ok(Some(first)) => first,
        Ok(None) => return bad(GONE),
        Err(_) => return bad("no reply"),
    };
    if first == reply {
        return good("whole");
    }
    // Part of it. Does the rest come as the next reply, or was it cut off?
    let (next, next_reply) = request_and_reply(stage.protocol, b"next");
    if stream.write_all(&next).is_err() {
        return bad(format!("cut at {}", thousands(first.len())));
    }
    match read_one_reply(&mut stream, stage.protocol) {
        Ok(Some(second))
            if second != next_reply && reply.starts_with(&[first.as_slice(), &second].concat()) =>
        {
            bad("spilled into next")
        }
        Ok(Some(_)) => bad("mixed up"),
        Ok(None) => bad(format!("cut at {}", thousands(first.len()))),
        Err(_) => bad("no second reply"),
    }
}

fn thousands(n: usize) -> String {
    if n >= 1000 {
        format!("{},{:03}", n / 1000, n % 1000)
    } else {
        n.to_string()
    }
}

fn dribbled(stage: &mut Stage) -> Cell {
    if stage.protocol == Protocol::Udp {
        return udp::dribbled(stage);
    }
    let Ok(mut stream) = open(stage.addr()) else {
        return bad(GONE);
    };
    let (request, reply) = request_and_reply(stage.protocol, b"dribbled");
    // One byte per write, listening a moment after each: a reply before the last byte means
    // the server took a piece of the request for the whole.
    let mut early = Vec::new();
    for (i, byte) in request.iter().enumerate() {
        if stream.write_all(&[*byte]).is_err() {
            // The server hung up part-way: after answering the first byte alone (lessons 1
            // and 2 answer one read), or without a word.
            return if early.is_empty() {
                bad(format!("closed after {i} bytes"))
            } else {
                bad("1st byte, closed")
            };
        }
        if i + 1 < request.len() {
            early.extend(drain(&mut stream, Duration::from_millis(30)));
        }
    }
    let _ = stream.set_read_timeout(Some(PATIENCE));
    match stage.protocol {
        Protocol::Echo => {
            let want = reply.len().saturating_sub(early.len());
            let (rest, ended) = read_up_to(&mut stream, want);
            let all = [early.as_slice(), &rest].concat();
            match (all == reply, early.is_empty()) {
                (true, true) => good("echoed whole"),
                (true, false) => good("echoed in pieces"),
                (false, _) if ended && !all.is_empty() => bad("1st byte only, closed"),
                (false, _) => bad(GONE),
            }
        }
        Protocol::Commands if !early.is_empty() => bad("split: ran \"e\""),
        protocol => match read_one_reply(&mut stream, protocol) {
            Ok(Some(got)) if got == reply && early.is_empty() => good("whole"),
            _ => bad("not whole"),
        },
    }
}

fn reset_then_fresh(stage: &mut Stage) -> Cell {
    if stage.protocol == Protocol::Udp {
        return udp::reset_then_fresh(stage);
    }
    let Ok(mut doomed) = open(stage.addr()) else {
        return bad(GONE);
    };
    let (request, reply) = request_and_reply(stage.protocol, b"about to vanish");
    let _ = doomed.write_all(&request);
    let _ = read_exactly_reply(&mut doomed, stage.protocol, &reply);
    // Half a request more, then a reset, as a killed client leaves.
    let (half, _) = request_and_reply(stage.protocol, b"half a request");
    let _ = doomed.write_all(&half[..half.len() / 2]);
    reset(doomed);
    let Ok(mut fresh) = open(stage.addr()) else {
        return bad(GONE);
    };
    let (request, reply) = request_and_reply(stage.protocol, b"fresh");
    if fresh.write_all(&request).is_err() {
        return bad(GONE);
    }
    match read_exactly_reply(&mut fresh, stage.protocol, &reply) {
        Ok(()) => good("served"),
        Err(Ended) => bad(GONE),
        Err(Silent) => bad("new one waits"),
    }
}

fn ctrl_c(stage: &mut Stage) -> Cell {
    if stage.protocol == Protocol::Udp {
        return udp::ctrl_c(stage);
    }
    // Two idle clients: connected, silent (the kernel completed both handshakes, so each is
    // accepted, or queued in the backlog, by now).
    let idle: Vec<TcpStream> = (0..2).filter_map(|_| open(stage.addr()).ok()).collect();
    let Some(mut server) = stage.server.take() else {
        return bad(GONE);
    };
    if idle.len() < 2 {
        return bad(GONE);
    }
    let started = Instant::now();
    if server.interrupt().is_err() {
        return bad("cannot send SIGINT");
    }
    let cell = match server.wait_within(PATIENCE) {
        Ok((status, _)) => exit_bucket(started.elapsed(), status.success()),
        Err(_) => bad(format!("no exit in {} s", PATIENCE.as_secs())),
    };
    drop(idle);
    cell
}

/// Buckets an exit time so that the table stays the same from run to run.
pub fn exit_bucket(took: Duration, status_ok: bool) -> Cell {
    let text = if took < Duration::from_secs(1) {
        "exits < 1 s"
    } else if took < Duration::from_secs(5) {
        "exits < 5 s"
    } else {
        "exits, slowly"
    };
    if status_ok {
        good(text)
    } else {
        bad(format!("{text}, failing"))
    }
}

/// The same scenarios over UDP (lesson 7), where they apply: a datagram is one message, so
/// nothing can be glued, split or dribbled, and there is no connection to reset.
mod udp {
    use std::net::UdpSocket;
    use std::time::Instant;

    use super::{A_MOMENT, Cell, PATIENCE, Stage, bad, exit_bucket, good, thousands};
    use crate::grade::client::upper;

    /// Not a question for datagrams.
    const NOT_FOR_UDP: &str = "— (datagrams)";

    fn socket(stage: &Stage) -> Option<UdpSocket> {
        let socket = UdpSocket::bind("127.0.0.1:0").ok()?;
        socket.connect(stage.addr).ok()?;
        socket.set_read_timeout(Some(PATIENCE)).ok()?;
        Some(socket)
    }

    /// One datagram out, one back: what came back, or `None`.
    fn exchange(socket: &UdpSocket, datagram: &[u8]) -> Option<Vec<u8>> {
        socket.send(datagram).ok()?;
        let mut buf = vec![0u8; 65_536];
        let n = socket.recv(&mut buf).ok()?;
        Some(buf[..n].to_vec())
    }

    pub fn second_client(stage: &mut Stage) -> Cell {
        let (Some(first), Some(second)) = (socket(stage), socket(stage)) else {
            return bad(super::GONE);
        };
        if exchange(&first, b"first").as_deref() != Some(b"FIRST".as_slice()) {
            return bad("first not served");
        }
        let _ = second.set_read_timeout(Some(A_MOMENT));
        match exchange(&second, b"second") {
            Some(reply) if reply == b"SECOND" => good("served"),
            _ => bad("never served"),
        }
    }

    pub fn back_to_back(stage: &mut Stage) -> Cell {
        let Some(socket) = socket(stage) else {
            return bad(super::GONE);
        };
        // Two datagrams, one right after the other: each is answered by itself.
        if socket.send(b"one").is_err() || socket.send(b"two").is_err() {
            return bad(super::GONE);
        }
        let mut buf = [0u8; 1024];
        let mut replies = Vec::new();
        for _ in 0..2 {
            match socket.recv(&mut buf) {
                Ok(n) => replies.push(buf[..n].to_vec()),
                Err(_) => return bad("not 2 replies"),
            }
        }
        if replies == [b"ONE".to_vec(), b"TWO".to_vec()] {
            good("2 replies")
        } else {
            bad("not 2 replies")
        }
    }

    pub fn long_reply(stage: &mut Stage) -> Cell {
        let Some(socket) = socket(stage) else {
            return bad(super::GONE);
        };
        let datagram: Vec<u8> = b"0123456789abcdef"
            .iter()
            .copied()
            .cycle()
            .take(3_893)
            .collect();
        match exchange(&socket, &datagram) {
            Some(reply) if reply == upper(&datagram) => good("whole"),
            Some(reply) if upper(&datagram).starts_with(&reply) => {
                bad(format!("cut at {}", thousands(reply.len())))
            }
            Some(_) => bad("mixed up"),
            None => bad("no reply"),
        }
    }

    pub fn dribbled(_: &mut Stage) -> Cell {
        good(NOT_FOR_UDP)
    }

    /// There are no connections to stay, or to cap.
    pub fn not_for_datagrams(_: &mut Stage) -> Cell {
        good(NOT_FOR_UDP)
    }

    pub fn reset_then_fresh(_: &mut Stage) -> Cell {
        good(NOT_FOR_UDP)
    }

    pub fn ctrl_c(stage: &mut Stage) -> Cell {
        // Two clients that were answered once and are idle now: the server has no state for
        // them, so nothing of theirs can hold it up.
        let idle: Vec<UdpSocket> = (0..2).filter_map(|_| socket(stage)).collect();
        if idle.len() < 2 || idle.iter().any(|s| exchange(s, b"hi").is_none()) {
            return bad(super::GONE);
        }
        let Some(mut server) = stage.server.take() else {
            return bad(super::GONE);
        };
        let started = Instant::now();
        if server.interrupt().is_err() {
            return bad("cannot send SIGINT");
        }
        match server.wait_within(PATIENCE) {
            Ok((status, _)) => exit_bucket(started.elapsed(), status.success()),
            Err(_) => bad(format!("no exit in {} s", PATIENCE.as_secs())),
        }
    }
}
