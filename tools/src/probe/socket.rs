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
