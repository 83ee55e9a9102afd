//! Experiment 1: "Address already in use". A port with a connection in TIME_WAIT, bound again
//! without and with `SO_REUSEADDR`.
//!
//! Linux-specific (and said so where it is narrated): whether the connection is listed in
//! TIME_WAIT comes from `/proc/net/tcp`; elsewhere that value is `None`.

use std::io::{self, ErrorKind, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};

use socket2::{Domain, Protocol, Socket, Type};

use super::kernel::{PATIENCE, listener, loopback_any_port};

/// What binding a port with a connection in TIME_WAIT gives, with and without `SO_REUSEADDR`.
#[derive(Debug)]
pub struct TimeWait {
    pub addr: SocketAddr,
    /// Whether the kernel lists the server's side of the connection in TIME_WAIT (Linux:
    /// `/proc/net/tcp`; `None` elsewhere).
    pub in_time_wait: Option<bool>,
    /// `bind` without the option.
    pub without: io::Result<()>,
    /// `bind` with it.
    pub with: io::Result<()>,
    /// std's `TcpListener::bind`, which sets it for you on Unix.
    pub std_bind: io::Result<()>,
}

/// A server that closes its side of a connection first keeps that connection in TIME_WAIT (for
/// a minute on Linux), on its own port. Then it tries to bind that port again, three ways.
pub fn time_wait_rebind() -> io::Result<TimeWait> {
    let server = listener(loopback_any_port(), true, 5)?;
    let addr = server
        .local_addr()?
        .as_socket()
        .ok_or(ErrorKind::InvalidData)?;
    let mut client = TcpStream::connect_timeout(&addr, PATIENCE)?;
    client.set_read_timeout(Some(PATIENCE))?;
    let client_port = client.local_addr()?.port();
    let (accepted, _) = server.accept()?;
    // The server hangs up first: *its* side is the one that will wait in TIME_WAIT.
    drop(accepted);
    // The client reads the end of the stream and closes too: the server side gets its FIN.
    client.read_to_end(&mut Vec::new())?;
    drop(client);
    drop(server);
    let bind = |reuse: bool| {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
        socket.set_reuse_address(reuse)?;
        socket.bind(&addr.into())
    };
    Ok(TimeWait {
        addr,
        in_time_wait: in_time_wait(addr.port(), client_port),
        without: bind(false),
        with: bind(true),
        std_bind: TcpListener::bind(addr).map(drop),
    })
}

/// Whether the kernel lists the connection from local port `port` to remote port `remote` in
/// TIME_WAIT (state 06 in Linux's `/proc/net/tcp`). `None` where there is no such file.
fn in_time_wait(port: u16, remote: u16) -> Option<bool> {
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    let (local, remote) = (format!(":{port:04X}"), format!(":{remote:04X}"));
    Some(table.lines().skip(1).any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        fields.len() > 3
            && fields[1].ends_with(&local)
            && fields[2].ends_with(&remote)
            && fields[3] == "06"
    }))
}
