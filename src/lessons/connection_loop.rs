//! Lesson 2 — the connection loop (加入链接循环).
//!
//! **What this stage adds:** a loop around `accept` (the connection loop). After serving a client
//! the server goes back to waiting for the next one instead of exiting, so it can serve any number
//! of clients, one after another. And because it now outlives its clients, a failure while serving
//! one of them (a reset, say) is logged and ends only that client's turn, not the server.
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
    // The connection loop: after each client, go back to `accept` for the next one.
    while let Some((conn, peer)) = server.accept() {
        info!("{peer} connected");
        // A server that serves many clients cannot let one of them stop it: a client that
        // resets the connection is that client's trouble. Log it and wait for the next.
        if let Err(e) = serve_one_message(conn, peer) {
            warn!("{peer}: {e}");
        }
    }
    Ok(())
}

/// Lesson 1's conversation, unchanged: one recv, one send, hang up.
fn serve_one_message(mut conn: Connection, peer: SocketAddr) -> io::Result<()> {
    // recv: at most 1024 bytes. Whatever has arrived, up to that many, is returned: *not*
    // necessarily a whole message. (That becomes lesson 5's whole story.)
    let mut buf = [0u8; 1024];
    let n = conn.read(&mut buf)?;
    info!("{peer} sent {n} bytes");

    // send: the echo, uppercased. `write_all` keeps writing until every byte is handed to the
    // kernel; a single `write` may take only part of the buffer.
    conn.write_all(&buf[..n].to_ascii_uppercase())?;

    // close: dropping `conn` hangs up this call, and the loop goes back to `accept`.
    info!("{peer}: one message served; hanging up");
    Ok(())
}
// ANCHOR_END: serve

/// The client has not changed: one message, one reply.
pub use super::basic::client;
