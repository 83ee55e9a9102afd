//! Experiment 7: Nagle's algorithm, `TCP_NODELAY` and `SO_LINGER` 0. Two small writes and a
//! read, with Nagle on and off; and a close that resets instead of saying goodbye.

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use socket2::SockRef;

use super::kernel::{Helper, pair};

/// The time per request of `requests` requests sent as two small writes (a 4-byte header, then
/// a 4-byte body) and answered after both: with Nagle's algorithm on or off (`nodelay`).
pub fn write_write_read(nodelay: bool, requests: usize) -> io::Result<Duration> {
    let (mut client, mut server) = pair()?;
    client.set_nodelay(nodelay)?;
    let answering = Helper::start("answerer", move || -> io::Result<()> {
        server.set_nodelay(true)?;
        for _ in 0..requests {
            let mut request = [0u8; 8];
            server.read_exact(&mut request)?;
            server.write_all(b"ok")?;
        }
        Ok(())
    })?;
    let start = Instant::now();
    for _ in 0..requests {
        client.write_all(b"head")?;
        client.write_all(b"body")?;
        client.read_exact(&mut [0u8; 2])?;
    }
    let per_request = start.elapsed() / requests as u32;
    answering.finish()??;
    Ok(per_request)
}

/// What the peer's next read gives after a socket with `SO_LINGER` 0 is closed.
pub fn linger_zero_close() -> io::Result<io::Result<usize>> {
    let (client, mut server) = pair()?;
    SockRef::from(&client).set_linger(Some(Duration::ZERO))?;
    drop(client);
    Ok(server.read(&mut [0u8; 16]))
}
