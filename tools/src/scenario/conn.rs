//! The recording connection: a client socket whose every connect, write, read, silence and close
//! is noted in the run's [`Recorder`] as it happens, so that no experiment logs by hand and every
//! renderer sees the same story.
//!
//! It is the probe's bounded socket with a memory: every read waits at most the connection's
//! current wait (the target's patience, or a moment when an experiment listens for silence), and
//! "it did not happen" is a read timeout, noted as [`Act::Silence`]. Over UDP it is a socket of
//! its own, connected to the target: a write is one datagram, a read one datagram.
//!
//! Bare replies are read with room to spare, as a real client's `recv(1024)` is: what came beyond
//! the reply waits in the connection for the next one (so two replies that arrive in one read are
//! still two replies, and one read that holds a glued reply is still one read).
//!
//! A reply is waited for as a whole: all of it must come within the wait, not only each of its
//! reads, so a server that sends a byte now and then cannot keep a reader reading. And when the
//! run has a [`Budget`](super::Budget), no read or write goes past its time, and no read past its
//! bytes: a connection whose run has spent either fails at once, saying which.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use socket_lessons::escape::peer_text;
use socket_lessons::frame::{self, FrameError, Limits, Md5Check};
use socket_lessons::timeout::is_timeout;

use super::budget::{Spent, mebibytes};
use super::record::{Act, Recorder, millis};
use super::wire::{request_and_reply, secs, shown};
use super::{Protocol, Target};
use crate::probe::{End, read_retrying};
use crate::said::Said;

/// One client of an experiment, and the record of everything it did.
pub struct Conn {
    actor: String,
    socket: Socket,
    protocol: Protocol,
    /// The target's patience: how long a read waits unless an experiment says otherwise.
    patience: Duration,
    /// How long the next read may wait.
    wait: Duration,
    /// The read timeout the socket has now: the wait, or less when a deadline is nearer.
    socket_wait: Duration,
    /// While a reply is read: when all of it must have come.
    reply_deadline: Option<ReplyDeadline>,
    /// Bytes read but not yet taken: what came beyond a bare reply.
    pending: Vec<u8>,
    /// While a flood goes by: its writes and reads summed, not noted one by one.
    counting: Option<Counts>,
    log: Recorder,
}

/// The writes and reads of a flood, summed.
#[derive(Default)]
struct Counts {
    /// Only the reads are summed: each write is still noted as it is made (a small request
    /// before a flood of reply).
    reads_only: bool,
    writes: usize,
    wrote: u64,
    reads: usize,
    read: u64,
}

enum Socket {
    Stream(TcpStream),
    Datagram(UdpSocket),
}

impl Conn {
    /// Connects to `target` as `actor` (or, for UDP, binds a socket of its own and connects it),
    /// bounded by the target's patience. Every read and write is bounded by it from now on.
    pub fn open(target: &Target, actor: &str, log: &Recorder) -> Result<Conn, Said> {
        let socket = match target.protocol {
            Protocol::Udp => {
                let local: SocketAddr = if target.addr.is_ipv4() {
                    "0.0.0.0:0".parse().expect("a literal address")
                } else {
                    "[::]:0".parse().expect("a literal address")
                };
                UdpSocket::bind(local)
                    .and_then(|s| s.connect(target.addr).map(|()| s))
                    .and_then(|s| s.set_read_timeout(Some(target.patience)).map(|()| s))
                    .map(Socket::Datagram)
                    .map_err(|e| {
                        log.record(actor, cannot_connect(&e));
                        crate::said!(
                            "scenario-cannot-open-udp",
                            addr = target.addr.to_string(),
                            error = e.to_string()
                        )
                    })?
            }
            _ => {
                // The connection, too, waits no longer than what is left of the run's time.
                let patience = match log.budget().map(|budget| budget.time_left()) {
                    Some(Err(spent)) => {
                        let error = spent.to_string();
                        let why = crate::said!(
                            "scenario-cannot-connect",
                            addr = target.addr.to_string(),
                            error = error.clone()
                        );
                        log.record(
                            actor,
                            Act::CannotConnect {
                                refused: false,
                                error,
                            },
                        );
                        return Err(why);
                    }
                    Some(Ok(left)) => target.patience.min(left),
                    None => target.patience,
                };
                TcpStream::connect_timeout(&target.addr, patience)
                    .and_then(|s| s.set_read_timeout(Some(target.patience)).map(|()| s))
                    .and_then(|s| s.set_write_timeout(Some(target.patience)).map(|()| s))
                    .and_then(|s| s.set_nodelay(true).map(|()| s))
                    .map(Socket::Stream)
                    .map_err(|e| {
                        log.record(actor, cannot_connect(&e));
                        why_not_connected(target.addr, &e, patience)
                    })?
            }
        };
        Ok(Conn::connected(socket, target, actor, log))
    }

    /// A connection just made, noted as such.
    fn connected(socket: Socket, target: &Target, actor: &str, log: &Recorder) -> Conn {
        log.record(actor, Act::Connects);
        Conn {
            actor: actor.to_string(),
            socket,
            protocol: target.protocol,
            patience: target.patience,
            wait: target.patience,
            socket_wait: target.patience,
            reply_deadline: None,
            pending: Vec::new(),
            counting: None,
            log: log.clone(),
        }
    }

    /// A connection over a TCP stream made elsewhere (one with socket options of its own),
    /// bounded by `target`'s patience like any other.
    pub fn over(
        stream: TcpStream,
        target: &Target,
        actor: &str,
        log: &Recorder,
    ) -> Result<Conn, Said> {
        stream
            .set_read_timeout(Some(target.patience))
            .and_then(|()| stream.set_write_timeout(Some(target.patience)))
            .and_then(|()| stream.set_nodelay(true))
            .map_err(|e| crate::said!("scenario-cannot-set-up", error = e.to_string()))?;
        Ok(Conn::connected(Socket::Stream(stream), target, actor, log))
    }

    /// A second handle on the same connection (for a writer thread beside a reader): its acts
    /// are noted as the same actor's, in the same record.
    pub fn try_clone(&self) -> io::Result<Conn> {
        let socket = match &self.socket {
            Socket::Stream(stream) => Socket::Stream(stream.try_clone()?),
            Socket::Datagram(socket) => Socket::Datagram(socket.try_clone()?),
        };
        Ok(Conn {
            actor: self.actor.clone(),
            socket,
            protocol: self.protocol,
            patience: self.patience,
            wait: self.wait,
            socket_wait: self.socket_wait,
            reply_deadline: None,
            pending: Vec::new(),
            counting: None,
            log: self.log.clone(),
        })
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The patience of the target this connection was opened to.
    pub fn patience(&self) -> Duration {
        self.patience
    }

    /// This end's own address (a server's log names a client by it).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        match &self.socket {
            Socket::Stream(stream) => stream.local_addr().ok(),
            Socket::Datagram(socket) => socket.local_addr().ok(),
        }
    }

    /// Sets how long the next reads may wait, and returns how long they could before.
    pub fn set_wait(&mut self, wait: Duration) -> Duration {
        let wait = wait.max(Duration::from_millis(1));
        self.set_socket_wait(wait);
        std::mem::replace(&mut self.wait, wait)
    }

    /// Sets the socket's read timeout, if it is not that already.
    fn set_socket_wait(&mut self, wait: Duration) {
        if wait == self.socket_wait {
            return;
        }
        let set = match &self.socket {
            Socket::Stream(stream) => stream.set_read_timeout(Some(wait)),
            Socket::Datagram(socket) => socket.set_read_timeout(Some(wait)),
        };
        if set.is_ok() {
            self.socket_wait = wait;
        }
    }

    /// Reads with `read`, all of it within `within` from now (or sooner, if a deadline set
    /// around this one is nearer): a reply is waited for as a whole.
    fn whole_within<T>(&mut self, within: Duration, read: impl FnOnce(&mut Conn) -> T) -> T {
        let here = ReplyDeadline {
            until: Instant::now() + within,
            given: within,
            heard: false,
        };
        let before = self.reply_deadline;
        self.reply_deadline = Some(match before {
            Some(outer) if outer.until < here.until => ReplyDeadline {
                heard: false,
                ..outer
            },
            _ => here,
        });
        let result = read(self);
        self.reply_deadline = before;
        result
    }

    /// How long the next read may wait and how many bytes it may take: the wait and `want`, cut
    /// to what is left of the run's budget and of the reply's time; or why it may not read.
    fn read_limits(&self, want: usize) -> Result<(Duration, usize), Stop> {
        let mut wait = self.wait;
        let mut max = want;
        if let Some(budget) = self.log.budget() {
            wait = wait.min(budget.time_left().map_err(Stop::Spent)?);
            let bytes = budget.bytes_left().map_err(Stop::Spent)?;
            max = max.min(usize::try_from(bytes).unwrap_or(usize::MAX));
        }
        if let Some(reply) = self.reply_deadline {
            let left = reply.until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(reply.spent());
            }
            wait = wait.min(left);
        }
        Ok((wait.max(Duration::from_millis(1)), max))
    }

    /// Why a read that timed out ended: the run's time ran out, or (as ever) nothing came for
    /// the connection's wait, or for what was left of it before the reply's deadline.
    fn timed_out(&self) -> Stop {
        match self.log.budget().map(|budget| budget.time_left()) {
            Some(Err(spent)) => Stop::Spent(spent),
            _ => Stop::Silent(self.wait),
        }
    }

    /// Sets how long a write may wait for room in the buffers.
    pub fn set_write_wait(&mut self, wait: Duration) {
        if let Socket::Stream(stream) = &self.socket {
            let _ = stream.set_write_timeout(Some(wait.max(Duration::from_millis(1))));
        }
    }

    /// Waits, at most `within`, until the server (on this machine) has read every byte sent on
    /// this connection ([`crate::probe::wait_until_read`]): what is written next reaches it as a
    /// read of its own, however loaded the machine. `false` when that cannot be known.
    pub fn wait_until_read(&self, within: Duration) -> bool {
        match &self.socket {
            Socket::Stream(stream) => crate::probe::wait_until_read(stream, within),
            Socket::Datagram(_) => false,
        }
    }

    /// Notes an act of this connection's actor that only its user can tell (a line heard).
    pub fn note(&self, act: Act) {
        self.log.record(&self.actor, act);
    }

    /// From now on, until [`Conn::stop_counting`], sums the writes and reads instead of noting
    /// each: a flood of megabytes is kept as how much, not what.
    pub fn start_counting(&mut self) {
        self.counting.get_or_insert_with(Counts::default);
    }

    /// From now on, until [`Conn::stop_counting`], sums the reads instead of noting each, and
    /// notes every write as ever: a small request answered by megabytes keeps its request.
    pub fn start_counting_reads(&mut self) {
        self.counting.get_or_insert(Counts {
            reads_only: true,
            ..Counts::default()
        });
    }

    /// Notes what was summed since [`Conn::start_counting`]: one [`Act::Floods`] for the
    /// writes, one [`Act::ReadsMany`] for the reads.
    pub fn stop_counting(&mut self) {
        let Some(counts) = self.counting.take() else {
            return;
        };
        if counts.writes > 0 {
            self.note(Act::Floods {
                writes: counts.writes,
                bytes: counts.wrote,
            });
        }
        if counts.reads > 0 {
            self.note(Act::ReadsMany {
                reads: counts.reads,
                bytes: counts.read,
            });
        }
    }

    // ---- writing --------------------------------------------------------------------------

    /// One write of all of `bytes` (over UDP, one datagram), noted as one write.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut sent = 0;
        let result = match &mut self.socket {
            Socket::Datagram(socket) => socket.send(bytes).map(|_| sent = bytes.len()),
            Socket::Stream(stream) => loop {
                if sent == bytes.len() {
                    break Ok(());
                }
                if let Some(spent) = self.log.budget().and_then(|b| b.time_left().err()) {
                    break Err(io::Error::other(spent.to_string()));
                }
                match stream.write(&bytes[sent..]) {
                    Ok(0) => break Err(io::Error::from(ErrorKind::WriteZero)),
                    Ok(n) => sent += n,
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(e) => break Err(e),
                }
            },
        };
        if let (Ok(()), Some(counts)) = (&result, &mut self.counting)
            && !counts.reads_only
        {
            counts.writes += 1;
            counts.wrote += bytes.len() as u64;
            return result;
        }
        let act = match &result {
            Ok(()) => Act::Writes {
                bytes: bytes.to_vec(),
            },
            Err(e) => Act::WriteFails {
                bytes: bytes.to_vec(),
                sent,
                error: e.to_string(),
            },
        };
        self.log.record(&self.actor, act);
        result
    }

    /// [`Conn::write`], with a failure said for a report.
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), Said> {
        self.write(bytes)
            .map_err(|e| crate::said!("scenario-could-not-send", error = e.to_string()))
    }

    /// Writes `chunk` again and again, each write allowed to take part of it, until a write
    /// fails (no room left: the buffers are full) or `enough` says so after a write. Noted as one
    /// flood; returns how many bytes went.
    pub fn flood(&mut self, chunk: &[u8], enough: impl Fn(u64) -> bool) -> u64 {
        self.start_counting();
        let Conn {
            socket,
            counting,
            log,
            ..
        } = self;
        if let (Socket::Stream(stream), Some(counts)) = (socket, counting.as_mut()) {
            loop {
                if log.budget().is_some_and(|b| b.time_left().is_err()) {
                    break;
                }
                match stream.write(chunk) {
                    Ok(n) => {
                        counts.writes += 1;
                        counts.wrote += n as u64;
                    }
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(_) => break,
                }
                if enough(counts.wrote) {
                    break;
                }
            }
        }
        let sent = self.counting.as_ref().map_or(0, |counts| counts.wrote);
        self.stop_counting();
        sent
    }

    // ---- reading --------------------------------------------------------------------------

    /// One read of at most `max` bytes (the tutorial's `recv(max)`); over UDP, one datagram cut to
    /// `max`. `Ok` with no bytes is the end of the stream (over UDP, an empty datagram).
    pub fn read_once(&mut self, max: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; max];
        let n = read_retrying(self, &mut buf)?;
        buf.truncate(n);
        Ok(buf)
    }

    /// Listens for `moment`: nothing may arrive. `Err` holds what came instead (empty: the end
    /// of the stream). The wait is set back afterwards.
    pub fn listen(&mut self, moment: Duration) -> Result<(), Vec<u8>> {
        let before = self.set_wait(moment);
        let heard = self.read_once(1024);
        self.set_wait(before);
        match heard {
            Err(e) if is_timeout(&e) => Ok(()),
            Err(_) => Err(Vec::new()),
            Ok(bytes) => Err(bytes),
        }
    }

    /// Whatever arrives within `how_long` (in all), up to 64 KiB: for showing what a server
    /// said. The wait is set back afterwards.
    pub fn drain(&mut self, how_long: Duration) -> Vec<u8> {
        let before = self.set_wait(how_long);
        let got = self.whole_within(how_long, |conn| {
            let mut got = Vec::new();
            let mut buf = [0u8; 4096];
            while got.len() < 64 * 1024 {
                match read_retrying(conn, &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                }
            }
            got
        });
        self.set_wait(before);
        got
    }

    /// Reads `want` bytes of a bare reply (more, if they came in the same read: those wait for
    /// the next reply), and says what came instead when it cannot. All of it must come within
    /// the wait.
    pub fn read_bare(&mut self, want: usize) -> Result<Vec<u8>, Said> {
        self.whole_within(self.wait, |conn| conn.read_bare_now(want))
    }

    fn read_bare_now(&mut self, want: usize) -> Result<Vec<u8>, Said> {
        let mut got = Vec::new();
        let mut buf = vec![0u8; 16 * 1024];
        while got.len() < want {
            match read_retrying(self, &mut buf) {
                Ok(0) if got.is_empty() => {
                    return Err(crate::said!("scenario-closed-without-replying"));
                }
                Ok(0) => {
                    return Err(crate::said!(
                        "scenario-then-the-end",
                        got = shown(&got),
                        have = got.len().to_string(),
                        want = want.to_string()
                    ));
                }
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if is_timeout(&e) && got.is_empty() => {
                    return Err(crate::said!(
                        "scenario-no-reply-within",
                        secs = secs(self.wait)
                    ));
                }
                Err(e) if is_timeout(&e) => {
                    return Err(crate::said!(
                        "scenario-not-the-rest",
                        got = shown(&got),
                        secs = secs(self.wait),
                        have = got.len().to_string(),
                        want = want.to_string()
                    ));
                }
                Err(e) => {
                    return Err(crate::said!(
                        "scenario-after-bytes",
                        why = describe_error(&e),
                        bytes = got.len().to_string()
                    ));
                }
            }
        }
        let beyond = got.split_off(want);
        self.pending.splice(0..0, beyond);
        Ok(got)
    }

    /// One reply as `protocol` delivers it: a whole frame's body, one datagram, or `want` bytes
    /// of a bare stream. An error frame is not a reply.
    pub fn read_reply(&mut self, want: usize) -> Result<Vec<u8>, Said> {
        match self.protocol {
            Protocol::Udp => match self.read_once(65_536) {
                Ok(datagram) => Ok(datagram),
                Err(e) if is_timeout(&e) => Err(crate::said!(
                    "scenario-no-datagram-within",
                    secs = secs(self.wait)
                )),
                Err(e) => Err(crate::said!("scenario-no-reply", error = e.to_string())),
            },
            Protocol::Framed | Protocol::Files | Protocol::Robot => match self.read_frame_reply() {
                Ok(FrameReply::Frame { body }) => Ok(body),
                Ok(FrameReply::Error { text, .. }) => {
                    Err(crate::said!("scenario-an-error-frame", text = text))
                }
                Err(missing) => Err(missing.said()),
            },
            _ => self.read_bare(want),
        }
    }

    /// Reads the reply the protocol promises, `expected`, and says what came instead if it is
    /// not that. A frame reply is read whole and its md5 checked.
    pub fn expect(&mut self, expected: &[u8]) -> Result<(), Said> {
        match self.read_reply(expected.len())? {
            got if got == expected => Ok(()),
            mut got => {
                // A bare reply that is not the one expected may be two glued together, or one
                // cut short: show whatever else is already on its way, too.
                if self.protocol.echoes_bytes() || self.protocol == Protocol::Commands {
                    got.extend(self.drain(Duration::from_millis(100)));
                }
                Err(crate::said!("grade-judge-instead", got = shown(&got)))
            }
        }
    }

    /// Sends `text` the protocol's way and checks the reply.
    pub fn exchange(&mut self, text: &[u8]) -> Result<(), Said> {
        let (request, reply) = request_and_reply(self.protocol, text);
        self.send(&request)?;
        self.expect(&reply)
    }

    /// Reads one reply frame, and when what came is not one, says what it was instead: nothing,
    /// an end, a reset, or bytes that are some other wire (the tutorial's little-endian length).
    /// All of it must come within the wait, and its body may be at most [`REPLY_LIMITS`]'s.
    pub fn read_frame_reply(&mut self) -> Result<FrameReply, Missing> {
        self.whole_within(self.wait, Conn::read_frame_reply_now)
    }

    fn read_frame_reply_now(&mut self) -> Result<FrameReply, Missing> {
        let patience = self.wait;
        let mut prefix = [0u8; 4];
        if let Err(e) = self.read_exact(&mut prefix) {
            return Err(match e.kind() {
                _ if is_timeout(&e) => Missing::Nothing(patience),
                ErrorKind::UnexpectedEof => Missing::Closed,
                _ if is_reset(&e) => Missing::Reset,
                _ => Missing::Wrong(describe_error(&e)),
            });
        }
        let header_len = u32::from_be_bytes(prefix);
        if Limits::REPLY.check_header_len(header_len).is_err() {
            return Err(Missing::Wrong(self.not_a_frame(prefix)));
        }
        let mut whole = (&prefix[..]).chain(&mut *self);
        match frame::read_frame(&mut whole, &REPLY_LIMITS) {
            Ok(Some(reply)) => {
                if let Some(text) = reply.header.get_str("error") {
                    return Ok(FrameReply::Error {
                        text: text.to_string(),
                        body: reply.body,
                    });
                }
                match reply.check_md5() {
                    Md5Check::Mismatch { expected, actual } => Err(Missing::Wrong(crate::said!(
                        "scenario-md5-mismatch",
                        actual = actual,
                        expected = peer_text(&expected).to_string()
                    ))),
                    _ => Ok(FrameReply::Frame { body: reply.body }),
                }
            }
            Ok(None) => Err(Missing::Closed),
            Err(FrameError::Io(e)) if is_timeout(&e) => Err(Missing::Wrong(crate::said!(
                "scenario-half-a-frame-within",
                secs = secs(patience)
            ))),
            Err(FrameError::Io(e)) if is_reset(&e) => Err(Missing::Reset),
            Err(FrameError::Io(e)) => Err(Missing::Wrong(crate::said!(
                "scenario-half-a-frame-then",
                why = describe_error(&e)
            ))),
            Err(FrameError::BodyTooLarge { size, limit }) => Err(Missing::Wrong(crate::said!(
                "scenario-body-too-large",
                size = size.to_string(),
                limit = mebibytes(limit)
            ))),
            Err(e) => Err(Missing::Wrong(crate::said!(
                "scenario-not-a-valid-frame",
                error = e.to_string()
            ))),
        }
    }

    /// Says what a reply that does not start with a usable frame length is. The likeliest case
    /// in this course: the tutorial's `struct.pack('i', …)`, a little-endian length.
    fn not_a_frame(&mut self, prefix: [u8; 4]) -> Said {
        let big = u32::from_be_bytes(prefix);
        let little = u32::from_le_bytes(prefix);
        let rest = self.drain(Duration::from_millis(100));
        let hex = format!(
            "{:02x} {:02x} {:02x} {:02x}",
            prefix[0], prefix[1], prefix[2], prefix[3]
        );
        if little > 0 && little as usize <= rest.len() {
            let header = &rest[..little as usize];
            let body = &rest[little as usize..];
            if serde_json::from_slice::<serde_json::Value>(header).is_ok() {
                return crate::said!(
                    "scenario-little-endian",
                    hex = hex,
                    little = little.to_string(),
                    body = shown(body)
                );
            }
        }
        let mut all = prefix.to_vec();
        all.extend_from_slice(&rest);
        crate::said!(
            "scenario-header-too-long",
            hex = hex,
            big = big.to_string(),
            all = shown(&all)
        )
    }

    /// Waits (bounded by the current wait) for the server to end the connection; says what
    /// happened instead if it did not.
    pub fn wait_for_end(&mut self) -> Result<End, Said> {
        let mut buf = [0u8; 1024];
        match read_retrying(self, &mut buf) {
            Ok(0) => Ok(End::EndOfStream),
            Ok(n) => Err(crate::said!(
                "scenario-not-ended",
                bytes = n.to_string(),
                text = format!("{:?}", String::from_utf8_lossy(&buf[..n]))
            )),
            Err(e) if is_reset(&e) => Ok(End::Reset),
            Err(e) if is_timeout(&e) => Err(crate::said!("scenario-stayed-open")),
            Err(e) => Err(e.to_string().into()),
        }
    }

    // ---- ending ---------------------------------------------------------------------------

    /// Closes the connection, as the tutorial's `close()` does.
    pub fn close(self) {
        self.log.record(&self.actor, Act::Closes);
    }

    /// Closes with a reset (SO_LINGER 0), as a killed client does.
    pub fn reset(self) {
        if let Socket::Stream(stream) = &self.socket {
            let _ = socket2::SockRef::from(stream).set_linger(Some(Duration::ZERO));
        }
        self.log.record(&self.actor, Act::Resets);
    }

    /// Shuts down the sending side: the server reads an end of stream, and we can still read
    /// its reply.
    pub fn half_close(&mut self) {
        if let Socket::Stream(stream) = &self.socket {
            let _ = stream.shutdown(Shutdown::Write);
        }
        self.log.record(&self.actor, Act::HalfCloses);
    }
}

/// Every read is noted: bytes, the end of the stream, a silence (the read timed out), a reset.
/// Bytes read earlier with room to spare come first, and are not noted twice.
impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.pending.is_empty() {
            let n = buf.len().min(self.pending.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            return Ok(n);
        }
        // A read waits no longer than what is left of the run's time and the reply's, and takes
        // no more than the run may still read.
        let (wait, max) = match self.read_limits(buf.len()) {
            Ok(limits) => limits,
            Err(stop) => return Err(self.stopped(stop)),
        };
        self.set_socket_wait(wait);
        let buf = &mut buf[..max];
        let result = match &mut self.socket {
            Socket::Stream(stream) => stream.read(buf),
            Socket::Datagram(socket) => socket.recv(buf),
        };
        match &result {
            Ok(n) => {
                if let Some(budget) = self.log.budget() {
                    budget.take(*n);
                }
                if let Some(reply) = &mut self.reply_deadline {
                    reply.heard |= *n > 0;
                }
            }
            Err(e) if is_timeout(e) => return Err(self.stopped(self.timed_out())),
            Err(_) => {}
        }
        let act = match &result {
            Ok(0) if matches!(self.socket, Socket::Stream(_)) => Some(Act::EndOfStream),
            Ok(n) if self.counting.is_some() => {
                if let Some(counts) = &mut self.counting {
                    counts.reads += 1;
                    counts.read += *n as u64;
                }
                None
            }
            Ok(n) => Some(Act::Reads {
                bytes: buf[..*n].to_vec(),
            }),
            Err(e) if e.kind() == ErrorKind::Interrupted => None,
            Err(e) if is_reset(e) => Some(Act::Reset),
            // Over UDP, "nobody listens at that port" (an ICMP port unreachable) shows only here,
            // at the read after a datagram went out.
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => Some(cannot_connect(e)),
            Err(e) => Some(Act::ReadFails {
                error: e.to_string(),
            }),
        };
        if let Some(act) = act {
            self.log.record(&self.actor, act);
        }
        result
    }
}

/// Every write is noted, as [`Conn::write`] notes it: a caller that takes any `Write` (a
/// lesson's own client function) is recorded like an experiment. Each call sends all of `buf`
/// (over UDP, as one datagram), so it is one write on the drawing, as the caller made it.
impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Conn::write(self, buf).map(|()| buf.len())
    }

    /// Nothing to flush: a stream's bytes leave at once (no Nagle), a datagram is sent whole.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// When all of a reply must have come, and whether any of it has.
#[derive(Debug, Clone, Copy)]
struct ReplyDeadline {
    until: Instant,
    /// How long the reply was given.
    given: Duration,
    /// Whether any bytes came since the reply was first waited for.
    heard: bool,
}

impl ReplyDeadline {
    /// Why a read past this deadline is not tried: the reply was still coming, or nothing came
    /// at all (a silence as long as the reply was given).
    fn spent(self) -> Stop {
        if self.heard {
            Stop::ReplyTooSlow(self.given)
        } else {
            Stop::Silent(self.given)
        }
    }
}

/// Why a read returned no bytes without the peer saying anything: a silence (the read timed
/// out, as the probe's reads do), or a read this side stopped.
#[derive(Debug, Clone, Copy)]
enum Stop {
    /// Nothing came for this long.
    Silent(Duration),
    /// The reply had been coming for the whole wait, and was still not whole.
    ReplyTooSlow(Duration),
    /// The run spent its budget.
    Spent(Spent),
}

impl Conn {
    /// Notes why a read ended with nothing, and returns its error: a silence is the timeout it
    /// is (callers tell "nothing came" by it); a read stopped says why in its message.
    fn stopped(&mut self, stop: Stop) -> io::Error {
        let (act, error) = match stop {
            Stop::Silent(waited) => (
                Act::Silence {
                    waited_ms: millis(waited),
                },
                io::Error::from(ErrorKind::WouldBlock),
            ),
            Stop::ReplyTooSlow(wait) => {
                let why = format!(
                    "the reply was still coming after {} s, a little at a time",
                    secs(wait)
                );
                (Act::ReadFails { error: why.clone() }, io::Error::other(why))
            }
            Stop::Spent(spent) => (
                Act::ReadFails {
                    error: spent.to_string(),
                },
                io::Error::other(spent.to_string()),
            ),
        };
        self.log.record(&self.actor, act);
        error
    }
}

/// Why a connection could not be made, said for a report: nobody listening, a connection that
/// was never accepted within the patience, or what the system said.
fn why_not_connected(addr: SocketAddr, e: &io::Error, patience: Duration) -> Said {
    let addr = addr.to_string();
    if e.kind() == ErrorKind::ConnectionRefused {
        crate::said!("scenario-nothing-listening", addr = addr)
    } else if is_timeout(e) {
        crate::said!(
            "scenario-cannot-connect-within",
            addr = addr,
            secs = secs(patience)
        )
    } else {
        crate::said!(
            "scenario-cannot-connect",
            addr = addr,
            error = e.to_string()
        )
    }
}

fn cannot_connect(e: &io::Error) -> Act {
    Act::CannotConnect {
        refused: e.kind() == ErrorKind::ConnectionRefused,
        error: e.to_string(),
    }
}

pub(super) fn is_reset(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
    )
}

/// A failed read said for a report: a reset, a read this side did not try (its message says
/// why), or what the system said.
fn describe_error(e: &io::Error) -> Said {
    if is_reset(e) {
        crate::said!("scenario-reset")
    } else if e.kind() == ErrorKind::Other {
        e.to_string().into()
    } else {
        crate::said!("scenario-connection-failed", error = e.to_string())
    }
}

/// What a reply frame may hold here: the course's 64 KiB header, and a body of at most 8 MiB
/// (the largest reply any experiment asks for is 2 MiB). A frame that announces more is refused
/// as it is announced, before its body is read, whatever a server sends.
pub const REPLY_LIMITS: Limits = Limits {
    max_body_len: 8 * 1024 * 1024,
    ..Limits::REPLY
};

/// What came instead of a reply frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// Nothing at all, within the patience: the connection stayed open and silent.
    Nothing(Duration),
    /// The server closed the connection (an end of stream) before a whole reply.
    Closed,
    /// The server reset the connection.
    Reset,
    /// Something came, but not what the protocol allows.
    Wrong(Said),
}

impl Missing {
    /// What came instead, said for a report in both languages.
    pub fn said(&self) -> Said {
        match self {
            Missing::Nothing(patience) => {
                crate::said!("scenario-no-reply-within", secs = secs(*patience))
            }
            Missing::Closed => crate::said!("scenario-closed-without-a-frame"),
            Missing::Reset => crate::said!("scenario-reset"),
            Missing::Wrong(what) => what.clone(),
        }
    }
}

/// What came instead, in English.
impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.said().en)
    }
}

/// A frame the server sent back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameReply {
    /// An ordinary frame (the md5, if any, checked).
    Frame { body: Vec<u8> },
    /// An error frame: a header with an `error` field.
    Error { text: String, body: Vec<u8> },
}
