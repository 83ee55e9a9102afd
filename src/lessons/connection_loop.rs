//! Lesson 2 — the connection loop (加入链接循环).
//!
//! **What this stage adds:** a loop around `accept`. After serving a client the server goes back to
//! waiting for the next one instead of exiting, so it can serve any number of clients, one after
//! another. A failure while serving one client is logged and ends only that client's turn.
//!
//! **What is still broken:** each connection still gets exactly one message. Send a second one and
//! the server has already hung up. (Lesson 3 loops around `recv`.) The client is unchanged from
//! lesson 1, so it sends only its first line.

use std::io::{self, Read, Write};
use std::net::SocketAddr;

use log::{info, warn};

use crate::server::{Connection, Server};

// ANCHOR: serve
/// Serves clients one after another, one message each, until Ctrl-C.
pub fn serve(server: Server) -> io::Result<()> {
    // The connection loop: `accept` again after every client.
    while let Some((conn, peer)) = server.accept() {
        info!("{peer} connected");
        // One client's trouble is that client's: log it and wait for the next one.
        if let Err(e) = serve_one_message(conn, peer) {
            warn!("{peer}: {e}");
        }
    }
    Ok(())
}

fn serve_one_message(mut conn: Connection, peer: SocketAddr) -> io::Result<()> {
    let mut buf = [0u8; 1024];
    let n = conn.read(&mut buf)?;
    info!("{peer} sent {n} bytes");
    conn.write_all(&buf[..n].to_ascii_uppercase())?;
    info!("{peer}: one message served; hanging up");
    Ok(())
}
// ANCHOR_END: serve

/// The client has not changed: one message, one reply.
pub use super::basic::client;
