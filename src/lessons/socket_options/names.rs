//! Experiment 5: `getsockname` and `getpeername`. The four names of one connection.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};

use super::kernel::{PATIENCE, loopback_any_port};

/// The four names of one connection: each end's own address (`getsockname`) and its peer's
/// (`getpeername`), plus the address the listener bound with port 0.
#[derive(Debug)]
pub struct Names {
    pub listener: SocketAddr,
    pub client_local: SocketAddr,
    pub client_peer: SocketAddr,
    pub server_local: SocketAddr,
    pub server_peer: SocketAddr,
}

/// A listener on port 0, a client, and the names each end gives.
pub fn names() -> io::Result<Names> {
    let server = TcpListener::bind(loopback_any_port())?;
    let client = TcpStream::connect_timeout(&server.local_addr()?, PATIENCE)?;
    let (accepted, _) = server.accept()?;
    Ok(Names {
        listener: server.local_addr()?,
        client_local: client.local_addr()?,
        client_peer: client.peer_addr()?,
        server_local: accepted.local_addr()?,
        server_peer: accepted.peer_addr()?,
    })
}
