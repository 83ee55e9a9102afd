//! How the grader talks to the server under test: one well-behaved client per protocol, and
//! the few ways of reading a reply that tell "wrong", "nothing", "closed" and "not a frame" apart.
//!
//! Every wait is bounded by the target's patience (the probe's [`PATIENCE`](crate::probe) by
//! default): a read timeout means "it did not happen".

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, UdpSocket};
use std::time::Duration;

use crate::probe::{self, End, read_retrying};
use socket_lessons::escape::peer_text;
use socket_lessons::frame::{self, FrameError, Limits, Md5Check};

use super::Protocol;

/// The server under test.
#[derive(Debug, Clone)]
pub struct Target {
    pub addr: SocketAddr,
    pub protocol: Protocol,
    /// The longest the grader waits for anything that should happen.
    pub patience: Duration,
}

/// A wait as a report says it: `10 s`, `0.3 s`.
pub fn secs(wait: Duration) -> String {
    let text = format!("{:.1}", wait.as_secs_f64());
    text.strip_suffix(".0").map_or(text.clone(), str::to_string)
}

/// Peer bytes as one short, safe line.
pub fn shown(bytes: &[u8]) -> String {
    peer_text(bytes).cut_at(60).to_string()
}

/// Python's `bytes.upper()`: the echo rule.
pub fn upper(bytes: &[u8]) -> Vec<u8> {
    bytes.to_ascii_uppercase()
}

/// The request that carries `text` in `protocol`, and the reply the protocol promises for it.
/// In the command protocols `text` travels as `echo TEXT` (single spaces, so the reply is TEXT).
pub fn request_and_reply(protocol: Protocol, text: &[u8]) -> (Vec<u8>, Vec<u8>) {
    match protocol {
        Protocol::Echo | Protocol::Udp | Protocol::Chat => (text.to_vec(), upper(text)),
        Protocol::Commands | Protocol::Framed => {
            let mut command = b"echo ".to_vec();
            command.extend_from_slice(text);
            let mut reply = text.to_vec();
            reply.push(b'\n');
            (wrap(protocol, &command), reply)
        }
    }
}

/// A command as `protocol` sends it: bare, or in a frame.
pub fn wrap(protocol: Protocol, command: &[u8]) -> Vec<u8> {
    match protocol {
        Protocol::Framed => {
            let mut bytes = Vec::new();
            frame::write_frame(&mut bytes, command).expect("writing to a Vec cannot fail");
            bytes
        }
        _ => command.to_vec(),
    }
}

/// A frame built by hand: u32 big-endian header length, header, body.
pub fn raw_frame(header: &[u8], body: &[u8]) -> Vec<u8> {
    let mut bytes = u32::try_from(header.len())
        .unwrap_or(u32::MAX)
        .to_be_bytes()
        .to_vec();
    bytes.extend_from_slice(header);
    bytes.extend_from_slice(body);
    bytes
}

/// A connection (or a UDP socket) to the target.
pub enum Client {
    Stream(TcpStream, Protocol, Duration),
    Datagram(UdpSocket, Duration),
}

impl Client {
    /// Connects (or, for UDP, binds a socket of its own and connects it), bounded.
    pub fn open(target: &Target) -> Result<Client, String> {
        match target.protocol {
            Protocol::Udp => {
                let local: SocketAddr = if target.addr.is_ipv4() {
                    "0.0.0.0:0".parse().expect("a literal address")
                } else {
                    "[::]:0".parse().expect("a literal address")
                };
                let socket = UdpSocket::bind(local)
                    .and_then(|s| s.connect(target.addr).map(|()| s))
                    .and_then(|s| s.set_read_timeout(Some(target.patience)).map(|()| s))
                    .map_err(|e| format!("cannot open a UDP socket to {}: {e}", target.addr))?;
                Ok(Client::Datagram(socket, target.patience))
            }
            protocol => {
                let stream = TcpStream::connect_timeout(&target.addr, target.patience)
                    .and_then(|s| s.set_read_timeout(Some(target.patience)).map(|()| s))
                    .and_then(|s| s.set_write_timeout(Some(target.patience)).map(|()| s))
                    .and_then(|s| s.set_nodelay(true).map(|()| s))
                    .map_err(|e| {
                        format!("cannot connect to {}: {e} (server gone?)", target.addr)
                    })?;
                Ok(Client::Stream(stream, protocol, target.patience))
            }
        }
    }

    /// The TCP stream (panics for UDP: the cases that call it are TCP-only).
    pub fn stream(&mut self) -> &mut TcpStream {
        match self {
            Client::Stream(stream, ..) => stream,
            Client::Datagram(..) => panic!("a TCP-only case ran against UDP"),
        }
    }

    pub fn patience(&self) -> Duration {
        match self {
            Client::Stream(_, _, patience) | Client::Datagram(_, patience) => *patience,
        }
    }

    /// Sends bytes as they are: one write (one datagram for UDP).
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        let sent = match self {
            Client::Stream(stream, ..) => stream.write_all(bytes),
            Client::Datagram(socket, _) => socket.send(bytes).map(|_| ()),
        };
        sent.map_err(|e| format!("could not send ({e})"))
    }

    /// Reads the reply the protocol promises, `expected`, and says what came instead if it is
    /// not that. A frame reply is read whole and its md5 checked.
    pub fn expect(&mut self, expected: &[u8]) -> Result<(), String> {
        match self.read_reply(expected.len())? {
            got if got == expected => Ok(()),
            mut got => {
                // A bare reply that is not the one expected may be two glued together, or one
                // cut short: show whatever else is already on its way, too.
                if let Client::Stream(stream, Protocol::Echo | Protocol::Commands, patience) = self
                {
                    got.extend(drain(stream, Duration::from_millis(100)));
                    let _ = stream.set_read_timeout(Some(*patience));
                }
                Err(format!("{} instead", shown(&got)))
            }
        }
    }

    /// Sends `text` the protocol's way and checks the reply.
    pub fn exchange(&mut self, text: &[u8]) -> Result<(), String> {
        let protocol = match self {
            Client::Stream(_, protocol, _) => *protocol,
            Client::Datagram(..) => Protocol::Udp,
        };
        let (request, reply) = request_and_reply(protocol, text);
        self.send(&request)?;
        self.expect(&reply)
    }

    /// One reply: for a frame protocol, one whole frame's body; for a datagram, one datagram;
    /// for a bare stream, `want` bytes (and, if those are not all there is, whatever follows at
    /// once, so that a reply glued to another one shows whole).
    pub fn read_reply(&mut self, want: usize) -> Result<Vec<u8>, String> {
        match self {
            Client::Datagram(socket, patience) => {
                let mut buf = vec![0u8; 65_536];
                match socket.recv(&mut buf) {
                    Ok(n) => Ok(buf[..n].to_vec()),
                    Err(e) if socket_lessons::timeout::is_timeout(&e) => Err(format!(
                        "no datagram came back within {} s",
                        secs(*patience)
                    )),
                    Err(e) => Err(format!("no reply: {e}")),
                }
            }
            Client::Stream(stream, Protocol::Framed, patience) => {
                let patience = *patience;
                match read_frame_reply(stream, patience) {
                    Ok(FrameReply::Frame { body, .. }) => Ok(body),
                    Ok(FrameReply::Error { text, .. }) => Err(format!("an error frame: {text}")),
                    Err(missing) => Err(missing.to_string()),
                }
            }
            Client::Stream(stream, _, patience) => read_bare(stream, want, *patience),
        }
    }
}

/// Reads `want` bytes of a bare reply; then, if more is already on its way, that too (for a
/// short moment), so a glued reply is shown whole.
pub fn read_bare(
    stream: &mut TcpStream,
    want: usize,
    patience: Duration,
) -> Result<Vec<u8>, String> {
    let mut got = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    while got.len() < want {
        match read_retrying(stream, &mut buf[..(want - got.len()).min(16 * 1024)]) {
            Ok(0) if got.is_empty() => {
                return Err("the server closed the connection without replying".into());
            }
            Ok(0) => {
                return Err(format!(
                    "{} and then the end of the stream ({} of {want} bytes)",
                    shown(&got),
                    got.len()
                ));
            }
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if socket_lessons::timeout::is_timeout(&e) && got.is_empty() => {
                return Err(format!("no reply within {} s", secs(patience)));
            }
            Err(e) if socket_lessons::timeout::is_timeout(&e) => {
                return Err(format!(
                    "{} and then nothing for {} s ({} of {want} bytes)",
                    shown(&got),
                    secs(patience),
                    got.len()
                ));
            }
            Err(e) => {
                return Err(format!(
                    "{} (after {} bytes)",
                    describe_error(&e),
                    got.len()
                ));
            }
        }
    }
    Ok(got)
}

/// Whatever arrives within `how_long`, up to 64 KiB: for showing what a server said.
pub fn drain(stream: &mut TcpStream, how_long: Duration) -> Vec<u8> {
    let mut got = Vec::new();
    let _ = stream.set_read_timeout(Some(how_long));
    let mut buf = [0u8; 4096];
    while got.len() < 64 * 1024 {
        match read_retrying(stream, &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    got
}

fn describe_error(e: &io::Error) -> String {
    match e.kind() {
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => {
            "the server reset the connection".into()
        }
        _ => format!("the connection failed: {e}"),
    }
}

/// What came instead of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Nothing at all, within the patience: the connection stayed open and silent.
    Nothing(Duration),
    /// The server closed the connection (an end of stream) before a whole reply.
    Closed,
    /// The server reset the connection.
    Reset,
    /// Something came, but not what the protocol allows.
    Wrong(String),
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Missing::Nothing(patience) => write!(f, "no reply within {} s", secs(*patience)),
            Missing::Closed => {
                f.write_str("the server closed the connection without a reply frame")
            }
            Missing::Reset => f.write_str("the server reset the connection"),
            Missing::Wrong(what) => f.write_str(what),
        }
    }
}

/// A frame the server sent back.
pub enum FrameReply {
    /// An ordinary frame (the md5, if any, checked).
    Frame { body: Vec<u8> },
    /// An error frame: a header with an `error` field.
    Error { text: String, body: Vec<u8> },
}

/// Reads one reply frame, and when what came is not one, says what it was instead: nothing, an
/// end, a reset, or bytes that are some other wire (the tutorial's little-endian length, say).
pub fn read_frame_reply(stream: &mut TcpStream, patience: Duration) -> Result<FrameReply, Missing> {
    let prefix = match probe::read_exactly(stream, 4) {
        Ok(prefix) => prefix,
        Err(e) if socket_lessons::timeout::is_timeout(&e) => {
            return Err(Missing::Nothing(patience));
        }
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Err(Missing::Closed),
        Err(e) if is_reset(&e) => return Err(Missing::Reset),
        Err(e) => return Err(Missing::Wrong(format!("the connection failed: {e}"))),
    };
    let prefix: [u8; 4] = prefix.try_into().expect("read exactly 4 bytes");
    let header_len = u32::from_be_bytes(prefix);
    if Limits::REPLY.check_header_len(header_len).is_err() {
        return Err(Missing::Wrong(not_a_frame(stream, prefix)));
    }
    let mut whole = (&prefix[..]).chain(&mut *stream);
    match frame::read_frame(&mut whole, &Limits::REPLY) {
        Ok(Some(reply)) => {
            if let Some(text) = reply.header.get_str("error") {
                return Ok(FrameReply::Error {
                    text: text.to_string(),
                    body: reply.body,
                });
            }
            match reply.check_md5() {
                Md5Check::Mismatch { expected, actual } => Err(Missing::Wrong(format!(
                    "a reply frame whose md5 is {actual}, but its header says {}",
                    peer_text(&expected)
                ))),
                _ => Ok(FrameReply::Frame { body: reply.body }),
            }
        }
        Ok(None) => Err(Missing::Closed),
        Err(FrameError::Io(e)) if socket_lessons::timeout::is_timeout(&e) => Err(Missing::Wrong(
            format!("half a reply frame, then nothing for {} s", secs(patience)),
        )),
        Err(FrameError::Io(e)) if is_reset(&e) => Err(Missing::Reset),
        Err(e) => Err(Missing::Wrong(format!(
            "a reply that is not a valid frame: {e}"
        ))),
    }
}

fn is_reset(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
    )
}

/// Says what a reply that does not start with a usable frame length is. The likeliest case in
/// this course: the tutorial's `struct.pack('i', …)`, a little-endian length.
fn not_a_frame(stream: &mut TcpStream, prefix: [u8; 4]) -> String {
    let big = u32::from_be_bytes(prefix);
    let little = u32::from_le_bytes(prefix);
    let rest = drain(stream, Duration::from_millis(100));
    let hex = format!(
        "{:02x} {:02x} {:02x} {:02x}",
        prefix[0], prefix[1], prefix[2], prefix[3]
    );
    if little > 0 && little as usize <= rest.len() {
        let header = &rest[..little as usize];
        let body = &rest[little as usize..];
        if serde_json::from_slice::<serde_json::Value>(header).is_ok() {
            return format!(
                "not a frame: the reply starts {hex}, a little-endian length {little} \
                 (struct.pack('i'), the tutorial's 终极版 wire) and a JSON header, then {}",
                shown(body)
            );
        }
    }
    let mut all = prefix.to_vec();
    all.extend_from_slice(&rest);
    format!(
        "not a frame: the reply starts {hex}, a header length of {big} bytes, over the 64 KiB \
         limit; the reply is {}",
        shown(&all)
    )
}

/// Waits (bounded by the stream's timeout) for the server to end the connection; says what
/// happened instead if it did not.
pub fn wait_for_end(stream: &mut TcpStream) -> Result<End, String> {
    probe::wait_for_end(stream).map_err(|e| {
        if e.kind() == ErrorKind::TimedOut {
            "the connection stayed open".to_string()
        } else {
            e.to_string()
        }
    })
}

/// Half-closes our side: the server reads an end of stream, we can still read its reply.
pub fn half_close(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
}

/// Closes with a reset (SO_LINGER 0), as a killed client does.
pub fn reset(stream: TcpStream) {
    let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    drop(stream);
}
