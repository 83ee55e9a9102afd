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
/// by the program (Linux: `rx_queue` in `/proc/net/tcp`) is 0, and nothing of ours is left
/// unsent (`SIOCOUTQNSD`). Then the next write cannot reach the peer in the same read as the last one, whatever
/// the machine's load: a piece written after this is a read of its own. `false` when the kernel
/// cannot say (another system, a peer on another machine) or the peer did not read in time.
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
/// (`None` where it cannot be asked): its `rx_queue` in `/proc/net/tcp`, read line by line and
/// no further than the one line wanted (the table can hold thousands of closed connections).
#[cfg(target_os = "linux")]
fn unread_bytes(ours: SocketAddr, theirs: SocketAddr) -> Option<u64> {
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
}
