//! Experiment 6: `send` versus `sendall`. Nonblocking writes to a peer that does not read take
//! what fits, then say EAGAIN; `write_all` delivers the rest once the peer reads.

use std::io::{self, Read, Write};
use std::net::TcpStream;

use socket2::{Domain, Protocol, Socket, Type};

use super::kernel::{Helper, PATIENCE, listener, loopback_any_port};

/// The send buffer of the writer and the receive buffer of the reader, as asked for (Linux
/// doubles what it is asked for, to leave room for its own bookkeeping).
pub const BUFFER: usize = 64 * 1024;

/// What writing `asked` bytes to a peer that does not read gives.
#[derive(Debug)]
pub struct ShortWrite {
    pub asked: usize,
    /// What each nonblocking `write` (Python's `send`) accepted, until one failed.
    pub writes: Vec<usize>,
    /// What that `write` said.
    pub then: io::Error,
    /// How many bytes the peer read in the end, once it read and `write_all` did the rest.
    pub delivered: usize,
}

/// Writes `asked` bytes, nonblocking, to a peer that does not read, until the kernel says there
/// is no room; then lets the peer read, and sends the rest with `write_all`.
pub fn short_write(asked: usize) -> io::Result<ShortWrite> {
    // Fixed buffer sizes (the kernel's automatic sizing off), so that the count is the same on
    // every run: the receiver's buffer is set on the listener, which its accepted socket copies.
    let listening = listener(loopback_any_port(), true, 1)?;
    listening.set_recv_buffer_size(BUFFER)?;
    let client = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    client.set_send_buffer_size(BUFFER)?;
    client.connect_timeout(&listening.local_addr()?, PATIENCE)?;
    let (server, _) = listening.accept()?;
    let (mut client, mut server) = (TcpStream::from(client), TcpStream::from(server));
    client.set_nonblocking(true)?;
    let message = vec![b'x'; asked];
    // Python's `send`, again and again, until the kernel says there is no room at all. (The
    // first write may be followed by a few smaller ones while the bytes move on into the
    // reader's buffer.)
    let mut writes = Vec::new();
    let mut taken = 0;
    let then = loop {
        match client.write(&message[taken..]) {
            Ok(n) => {
                writes.push(n);
                taken += n;
            }
            Err(e) => break e,
        }
        if taken == asked || writes.len() > 1000 {
            return Err(io::Error::other(format!(
                "the writes took {taken} bytes without EAGAIN"
            )));
        }
    };
    // Now the peer reads, and `write_all` (Python's `sendall`) loops until every byte is gone.
    let reader = Helper::start("reader", move || {
        server.set_read_timeout(Some(PATIENCE))?;
        let mut all = Vec::new();
        server.read_to_end(&mut all)?;
        Ok::<usize, io::Error>(all.len())
    })?;
    client.set_nonblocking(false)?;
    client.set_write_timeout(Some(PATIENCE))?;
    client.write_all(&message[taken..])?;
    drop(client);
    Ok(ShortWrite {
        asked,
        writes,
        then,
        delivered: reader.finish()??,
    })
}
