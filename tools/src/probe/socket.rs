//! Client sockets with bounded waits.

use std::io::{self, ErrorKind, Read};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons::timeout::is_timeout;

use super::PATIENCE;

/// Connects within [`PATIENCE`], and sets read and write timeouts of [`PATIENCE`], so that no
/// later call on the stream can block forever, however it is used.
pub fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let stream = TcpStream::connect_timeout(&addr, PATIENCE)?;
    stream.set_read_timeout(Some(PATIENCE))?;
    stream.set_write_timeout(Some(PATIENCE))?;
    Ok(stream)
}

/// Connects to `to` within [`PATIENCE`], unless `shutdown` comes first (`None`): how a tool that
/// must obey Ctrl-C at any moment (`chaos`, `netassist`) connects. A blocking `connect`
/// cannot be woken: a server that never answers (its backlog full, a firewall that drops the
/// handshake) keeps it waiting until its timeout. So it runs on a thread of its own, and this
/// waits for whichever comes first, the connection or the shutdown channel. A connect that lost
/// the race ends on its own (at the latest after [`PATIENCE`]), and what it made is dropped.
pub fn connect_unless_stopped(
    to: SocketAddr,
    shutdown: &ShutdownSignal,
) -> Option<io::Result<TcpStream>> {
    let (done, connected) = crossbeam_channel::bounded(1);
    let spawned = std::thread::Builder::new()
        .name("connect".into())
        .spawn(move || {
            let _ = done.send(TcpStream::connect_timeout(&to, PATIENCE));
        });
    if let Err(e) = spawned {
        return Some(Err(e));
    }
    crossbeam_channel::select! {
        recv(connected) -> result => Some(result.unwrap_or_else(|_| {
            Err(io::Error::other("the connecting thread ended without a word (a bug)"))
        })),
        recv(shutdown.signal()) -> _ => None,
    }
}

/// One `read`, retried when a signal interrupts it (nothing happened to the connection then).
pub fn read_retrying(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Reads exactly `len` bytes, however the peer's writes were cut up on the way. A stream that
/// ends first is an `UnexpectedEof` error that says how many bytes did arrive; a read timeout is
/// passed on as it is (so the caller can tell "too slow" from "too short").
pub fn read_exactly(r: &mut impl Read, len: usize) -> io::Result<Vec<u8>> {
    let mut bytes = vec![0u8; len];
    let mut filled = 0;
    while filled < len {
        match read_retrying(r, &mut bytes[filled..])? {
            0 => {
                return Err(io::Error::new(
                    ErrorKind::UnexpectedEof,
                    format!("the stream ended after {filled} of {len} bytes"),
                ));
            }
            n => filled += n,
        }
    }
    Ok(bytes)
}

/// Listens for `how_long` and checks that nothing at all arrives: no data and no close. Data or
/// an end of stream is an error that says what came instead. The stream's read timeout is set
/// back to [`PATIENCE`] afterwards.
pub fn expect_silence(stream: &mut TcpStream, how_long: Duration) -> io::Result<()> {
    stream.set_read_timeout(Some(how_long))?;
    let mut buf = [0u8; 1024];
    let outcome = read_retrying(stream, &mut buf);
    stream.set_read_timeout(Some(PATIENCE))?;
    match outcome {
        Err(e) if is_timeout(&e) => Ok(()),
        Err(e) => Err(e),
        Ok(0) => Err(io::Error::other(
            "expected silence, but the peer closed the connection",
        )),
        Ok(n) => Err(io::Error::other(format!(
            "expected silence, but received {n} bytes: {:?}",
            String::from_utf8_lossy(&buf[..n])
        ))),
    }
}

/// How a peer ended a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// `read` returned 0 bytes: the peer closed (or shut down) its side.
    EndOfStream,
    /// The peer's kernel reset the connection (say, it closed with our data unread).
    Reset,
}

/// Waits, within the stream's read timeout, for the peer to end the connection. Data arriving
/// instead, or the timeout passing, is an error.
pub fn wait_for_end(stream: &mut TcpStream) -> io::Result<End> {
    let mut buf = [0u8; 1024];
    match read_retrying(stream, &mut buf) {
        Ok(0) => Ok(End::EndOfStream),
        Ok(n) => Err(io::Error::other(format!(
            "expected the connection to end, but received {n} bytes: {:?}",
            String::from_utf8_lossy(&buf[..n])
        ))),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
            ) =>
        {
            Ok(End::Reset)
        }
        Err(e) if is_timeout(&e) => Err(io::Error::new(
            ErrorKind::TimedOut,
            "the connection was neither closed nor reset in time",
        )),
        Err(e) => Err(e),
    }
}

/// Waits, at most `within`, until the far end of `stream`, a socket of this same machine, has
/// read every byte sent to it so far: the kernel's own count of bytes received and not yet read
/// by the program (Linux: its `rx_queue`, asked by address through `sock_diag`) is 0, and
/// nothing of ours is left unsent (`SIOCOUTQNSD`). Then the next write cannot reach the peer in
/// the same read as the last one, whatever the machine's load: a piece written after this is a
/// read of its own. `false` when the kernel cannot say (another system, a peer on another
/// machine) or the peer did not read in time.
pub fn wait_until_read(stream: &TcpStream, within: Duration) -> bool {
    let (Ok(ours), Ok(theirs)) = (stream.local_addr(), stream.peer_addr()) else {
        return false;
    };
    let deadline = std::time::Instant::now() + within;
    loop {
        let unread = unsent_bytes(stream)
            .and_then(|unsent| unread_bytes(ours, theirs).map(|unread| unsent + unread));
        match unread {
            Some(0) => return true,
            None => return false,
            Some(_) if std::time::Instant::now() >= deadline => return false,
            // Polling the kernel's count, not sleeping in its place: the count decides.
            Some(_) => std::thread::sleep(Duration::from_micros(200)),
        }
    }
}

/// Bytes sent from `ours` to `theirs` not yet read by `theirs`, as the kernel counts them
/// (`None` where it cannot be asked). The kernel is asked for that one socket by its address pair
/// (`sock_diag` over netlink, what `ss` uses); where that is not allowed, its `rx_queue` line in
/// `/proc/net/tcp` is searched instead. The table holds every connection of the machine, tens of
/// thousands after a flood test, so a search can take tens of milliseconds where the question
/// by address takes microseconds.
#[cfg(target_os = "linux")]
fn unread_bytes(ours: SocketAddr, theirs: SocketAddr) -> Option<u64> {
    match sock_diag::unread_bytes(ours, theirs) {
        Ok(unread) => unread,
        Err(_) => unread_bytes_in_table(ours, theirs),
    }
}

/// [`unread_bytes`] by searching `/proc/net/tcp` line by line, no further than the one line wanted.
#[cfg(target_os = "linux")]
fn unread_bytes_in_table(ours: SocketAddr, theirs: SocketAddr) -> Option<u64> {
    use std::io::BufRead;
    let table = if ours.is_ipv4() {
        "/proc/net/tcp"
    } else {
        "/proc/net/tcp6"
    };
    let file = std::fs::File::open(table).ok()?;
    let (ours, theirs) = (proc_addr(ours), proc_addr(theirs));
    for line in std::io::BufReader::new(file).lines().skip(1) {
        let line = line.ok()?;
        let mut fields = line.split_whitespace().skip(1);
        let (Some(local), Some(remote), _, Some(queues)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        if local == theirs && remote == ours {
            let (_, rx) = queues.split_once(':')?;
            return u64::from_str_radix(rx, 16).ok();
        }
    }
    None
}

/// The kernel's socket diagnostics (linux/sock_diag.h, linux/inet_diag.h), asked about one TCP
/// socket by its exact addresses: one request, one answer, however many sockets the machine has.
#[cfg(target_os = "linux")]
mod sock_diag {
    use std::io;
    use std::net::{IpAddr, SocketAddr};
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

    /// The request's type: "a socket of this family" (linux/sock_diag.h).
    const SOCK_DIAG_BY_FAMILY: u16 = 20;
    /// netlink's answer type for an error (linux/netlink.h).
    const NLMSG_ERROR: u16 = 2;
    /// The size of a netlink message header: length, type, flags, sequence, port id.
    const HEADER: usize = 16;
    /// Where the socket id starts in a request (after family, protocol, extensions, padding and
    /// the states) and in an answer (after family, state, timer and retransmits), and its length
    /// up to the interface: port, peer's port, address, peer's address.
    const ID_IN_REQUEST: usize = HEADER + 8;
    const ID_IN_ANSWER: usize = HEADER + 4;
    const ID_LEN: usize = 36;
    /// Where `idiag_rqueue` sits in an answer: after the socket id (48 bytes from
    /// `ID_IN_ANSWER`) and `idiag_expires` (4).
    const RQUEUE_AT: usize = ID_IN_ANSWER + 48 + 4;

    /// `Ok(Some(n))`: the socket that `theirs` has for its connection to `ours` holds `n` bytes
    /// its program has not read. `Ok(None)`: the kernel knows no such socket. `Err`: the kernel
    /// cannot be asked this way here (no netlink, no `inet_diag`, not allowed).
    pub fn unread_bytes(ours: SocketAddr, theirs: SocketAddr) -> io::Result<Option<u64>> {
        let request = request_for(theirs, ours);
        let socket = open()?;
        // SAFETY: send reads `request.len()` bytes of `request`, which is ours. Without a
        // destination address a netlink socket sends to the kernel.
        let sent = unsafe {
            libc::send(
                socket.as_raw_fd(),
                request.as_ptr().cast(),
                request.len(),
                0,
            )
        };
        if sent < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut answer = [0u8; 512];
        // SAFETY: recv writes at most `answer.len()` bytes into `answer`, which is ours.
        let got = unsafe {
            libc::recv(
                socket.as_raw_fd(),
                answer.as_mut_ptr().cast(),
                answer.len(),
                0,
            )
        };
        let got = usize::try_from(got).map_err(|_| io::Error::last_os_error())?;
        let answer = &answer[..got];
        let word = |at: usize| -> Option<[u8; 4]> { answer.get(at..at + 4)?.try_into().ok() };
        let kind = answer.get(4..6).map(|b| u16::from_ne_bytes([b[0], b[1]]));
        match kind {
            Some(SOCK_DIAG_BY_FAMILY) => {
                // With no connection of that pair, the kernel's lookup falls back to the socket
                // listening on the port: not the one asked about.
                let asked = &request[ID_IN_REQUEST..ID_IN_REQUEST + ID_LEN];
                if answer.get(ID_IN_ANSWER..ID_IN_ANSWER + ID_LEN) != Some(asked) {
                    return Ok(None);
                }
                let rqueue = word(RQUEUE_AT).ok_or_else(|| io::Error::other("a short answer"))?;
                Ok(Some(u64::from(u32::from_ne_bytes(rqueue))))
            }
            Some(NLMSG_ERROR) => {
                // The error's code follows the header, negated: ENOENT is "no such socket".
                match word(HEADER).map(|code| -i32::from_ne_bytes(code)) {
                    Some(libc::ENOENT) => Ok(None),
                    Some(code) => Err(io::Error::from_raw_os_error(code)),
                    None => Err(io::Error::other("a short error")),
                }
            }
            _ => Err(io::Error::other("an answer of an unknown kind")),
        }
    }

    /// A netlink socket to the kernel's socket diagnostics, with a receive timeout: the kernel
    /// answers at once, the timeout only keeps a kernel that never does from holding us.
    fn open() -> io::Result<OwnedFd> {
        // SAFETY: a plain socket call; its result is checked before use.
        let fd = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
                libc::NETLINK_SOCK_DIAG,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just opened and is owned by nothing else.
        let socket = unsafe { OwnedFd::from_raw_fd(fd) };
        let timeout = libc::timeval {
            tv_sec: 1,
            tv_usec: 0,
        };
        // SAFETY: setsockopt reads `timeout`, which lives through the call.
        let done = unsafe {
            libc::setsockopt(
                socket.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&raw const timeout).cast(),
                libc::socklen_t::try_from(std::mem::size_of::<libc::timeval>()).unwrap_or(0),
            )
        };
        if done != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(socket)
    }

    /// A netlink header and an `inet_diag_req_v2` asking for the TCP socket at `local` whose
    /// peer is `remote`, in any state.
    fn request_for(local: SocketAddr, remote: SocketAddr) -> Vec<u8> {
        let family = match local.ip() {
            IpAddr::V4(_) => libc::AF_INET,
            IpAddr::V6(_) => libc::AF_INET6,
        };
        // An address as the kernel keeps it: the octets in network order, in 16 bytes.
        let address = |addr: SocketAddr| -> [u8; 16] {
            let mut bytes = [0u8; 16];
            match addr.ip() {
                IpAddr::V4(ip) => bytes[..4].copy_from_slice(&ip.octets()),
                IpAddr::V6(ip) => bytes.copy_from_slice(&ip.octets()),
            }
            bytes
        };
        let mut body = vec![
            u8::try_from(family).unwrap_or(0),
            u8::try_from(libc::IPPROTO_TCP).unwrap_or(0),
            0, // no extensions wanted
            0, // padding
        ];
        body.extend_from_slice(&u32::MAX.to_ne_bytes()); // in any state
        body.extend_from_slice(&local.port().to_be_bytes());
        body.extend_from_slice(&remote.port().to_be_bytes());
        body.extend_from_slice(&address(local));
        body.extend_from_slice(&address(remote));
        body.extend_from_slice(&0u32.to_ne_bytes()); // on any interface
        body.extend_from_slice(&u32::MAX.to_ne_bytes()); // no cookie: find it by address
        body.extend_from_slice(&u32::MAX.to_ne_bytes());
        let length = u32::try_from(HEADER + body.len()).unwrap_or(0);
        let flags = u16::try_from(libc::NLM_F_REQUEST).unwrap_or(1);
        let mut message = Vec::with_capacity(HEADER + body.len());
        message.extend_from_slice(&length.to_ne_bytes());
        message.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
        message.extend_from_slice(&flags.to_ne_bytes());
        message.extend_from_slice(&1u32.to_ne_bytes()); // sequence number
        message.extend_from_slice(&0u32.to_ne_bytes()); // port id: the kernel fills it in
        message.extend_from_slice(&body);
        message
    }
}

/// Bytes written on `stream` that have not left it yet (Linux: `SIOCOUTQNSD`); on loopback, a
/// byte that has left is in the peer's receive queue.
#[cfg(target_os = "linux")]
fn unsent_bytes(stream: &TcpStream) -> Option<u64> {
    use std::os::fd::AsRawFd;
    /// linux/sockios.h: the bytes in the send queue not yet sent.
    const SIOCOUTQNSD: libc::c_ulong = 0x894B;
    let mut unsent: libc::c_int = 0;
    // SAFETY: the ioctl writes one int into `unsent`, which is ours; the fd is the stream's own.
    let done = unsafe { libc::ioctl(stream.as_raw_fd(), SIOCOUTQNSD as _, &mut unsent) };
    (done == 0).then(|| u64::try_from(unsent).unwrap_or(0))
}

#[cfg(not(target_os = "linux"))]
fn unsent_bytes(_stream: &TcpStream) -> Option<u64> {
    None
}

#[cfg(not(target_os = "linux"))]
fn unread_bytes(_ours: SocketAddr, _theirs: SocketAddr) -> Option<u64> {
    None
}

/// An address as `/proc/net/tcp` writes it: each 32-bit word of the IP in the machine's own
/// byte order, in hex, then the port in hex.
#[cfg(target_os = "linux")]
fn proc_addr(addr: SocketAddr) -> String {
    let words = |octets: &[u8]| -> String {
        octets
            .chunks(4)
            .map(|word| {
                format!(
                    "{:08X}",
                    u32::from_ne_bytes([word[0], word[1], word[2], word[3]])
                )
            })
            .collect()
    };
    let ip = match addr.ip() {
        std::net::IpAddr::V4(ip) => words(&ip.octets()),
        std::net::IpAddr::V6(ip) => words(&ip.octets()),
    };
    format!("{ip}:{:04X}", addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;

    #[test]
    fn the_kernel_says_when_the_peer_has_read_everything() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut writer = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut reader, _) = listener.accept().unwrap();
        writer.write_all(b"abc").unwrap();
        if cfg!(target_os = "linux") {
            // Written and not read: the peer has not read it, and the wait says so.
            assert!(!wait_until_read(&writer, Duration::from_millis(20)));
        }
        let mut buf = [0u8; 3];
        reader.read_exact(&mut buf).unwrap();
        assert_eq!(
            wait_until_read(&writer, PATIENCE),
            cfg!(target_os = "linux")
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn asking_by_address_and_searching_the_table_agree() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut writer = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (_reader, _) = listener.accept().unwrap();
        writer.write_all(b"hello").unwrap();
        let (ours, theirs) = (writer.local_addr().unwrap(), writer.peer_addr().unwrap());
        assert!(wait_until_sent(&writer));
        let in_table = unread_bytes_in_table(ours, theirs);
        assert_eq!(in_table, Some(5));
        match sock_diag::unread_bytes(ours, theirs) {
            Ok(by_address) => assert_eq!(by_address, in_table),
            Err(e) => eprintln!("skipped the question by address: the kernel says {e}"),
        }
        // A pair that no connection has (the listener's port, a stranger's address): no answer
        // either way, though a socket listens on that port.
        let nobody: SocketAddr = "127.0.0.1:1".parse().unwrap();
        assert_eq!(unread_bytes_in_table(nobody, theirs), None);
        if let Ok(by_address) = sock_diag::unread_bytes(nobody, theirs) {
            assert_eq!(by_address, None);
        }
    }

    /// Waits, bounded, until nothing of ours is left unsent (on loopback: it is in the peer's
    /// receive queue).
    #[cfg(target_os = "linux")]
    fn wait_until_sent(stream: &TcpStream) -> bool {
        let deadline = std::time::Instant::now() + PATIENCE;
        while std::time::Instant::now() < deadline {
            if unsent_bytes(stream) == Some(0) {
                return true;
            }
            std::thread::yield_now();
        }
        false
    }
}
