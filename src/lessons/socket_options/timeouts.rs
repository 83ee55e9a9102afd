//! Experiment 3: timeouts and blocking (`settimeout`, `setblocking`). A read from a peer that
//! says nothing, with a read timeout and on a nonblocking socket.

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::kernel::pair;

/// What a read of a socket with nothing to read gives: the error, and how long it took.
#[derive(Debug)]
pub struct Waited {
    pub error: io::Error,
    pub after: Duration,
}

/// `recv` with a read timeout of `timeout`, when the peer sends nothing.
pub fn read_with_timeout(timeout: Duration) -> io::Result<Waited> {
    let (mut client, _server) = pair()?;
    client.set_read_timeout(Some(timeout))?;
    timed_failing_read(&mut client)
}

/// `recv` on a nonblocking socket, when the peer sends nothing.
pub fn read_nonblocking() -> io::Result<Waited> {
    let (mut client, _server) = pair()?;
    client.set_nonblocking(true)?;
    timed_failing_read(&mut client)
}

fn timed_failing_read(stream: &mut TcpStream) -> io::Result<Waited> {
    let start = Instant::now();
    match stream.read(&mut [0u8; 16]) {
        Err(error) => Ok(Waited {
            error,
            after: start.elapsed(),
        }),
        Ok(n) => Err(io::Error::other(format!(
            "read {n} bytes from a silent peer"
        ))),
    }
}
