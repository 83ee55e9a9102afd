//! Lesson 3 — the communication loop (加入通信循环).
//!
//! **What this stage adds:** a loop around `recv`, so one client can send many messages; `recv`
//! returning 0 bytes means the peer closed, and an error such as a reset ends that one client.
//! The client loops over its lines too, and skips empty ones (sending 0 bytes sends nothing).
//!
//! **What is still broken:** one client at a time. A second client waits in the backlog
//! (半连接池) until the first leaves.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};

use log::{info, warn};

use crate::server::{Connection, Peer, Server};
use crate::stage::Lines;

// ANCHOR: serve
/// Serves clients one after another, each for as long as it stays connected.
pub fn serve(server: Server) -> io::Result<()> {
    // The connection loop, as in lesson 2.
    while let Some((conn, peer)) = server.accept() {
        info!("{peer} connected");
        serve_one_client(conn, peer);
    }
    Ok(())
}

/// The communication loop: echo every message until the client leaves.
fn serve_one_client(mut conn: Connection, peer: Peer) {
    let mut buf = [0u8; 1024];
    loop {
        let n = match conn.read(&mut buf) {
            // 0 bytes: the client closed its end. This is how TCP says goodbye. (Ctrl-C on the
            // server ends conversations the same way, from our side.)
            Ok(0) => {
                info!("{peer}: recv returned 0 bytes; the conversation is over");
                return;
            }
            Ok(n) => n,
            // A signal interrupted the wait; nothing happened to the connection. Wait again.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            // A reset or any other error: this client is gone, but the server is fine.
            Err(e) => {
                warn!("{peer}: {e}; ending this connection");
                return;
            }
        };
        if let Err(e) = conn.write_all(&buf[..n].to_ascii_uppercase()) {
            warn!("{peer}: {e}; ending this connection");
            return;
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// Sends each non-empty one of `lines` as one message and prints each reply, until the input
/// ends or a line says `q`.
pub fn client(addr: SocketAddr, lines: Lines, output: &mut dyn Write) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    let mut reply = [0u8; 1024];
    for line in lines {
        let message = line?;
        // Sending an empty message sends no bytes at all: the server's `recv` never returns, and
        // our `recv` below would wait for a reply that is never coming. So don't.
        if message.is_empty() {
            continue;
        }
        if message == b"q" {
            break;
        }
        phone.write_all(&message)?;
        let n = phone.read(&mut reply)?;
        if n == 0 {
            warn!("the server closed the connection");
            break;
        }
        output.write_all(&reply[..n])?;
        writeln!(output)?;
    }
    Ok(())
}
// ANCHOR_END: client
