//! Lesson 2 — the connection loop (加入链接循环).
//!
//! **What this stage adds:** a loop around `accept`. After one client the server waits for the
//! next instead of exiting, and a failure while serving one client (a reset, say) ends only that
//! client's turn.
//!
//! **What is still broken:** each connection gets exactly one message; the client, unchanged,
//! sends only its first line.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};

use log::{info, warn};

use crate::server::{Connection, Peer, Server};
use crate::stage::Lines;

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
fn serve_one_message(mut conn: Connection, peer: Peer) -> io::Result<()> {
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

// ANCHOR: client
/// Sends the first of `lines` as one message and prints the reply.
pub fn client(addr: SocketAddr, mut lines: Lines, output: &mut dyn Write) -> io::Result<()> {
    // socket + connect: dial the server. Fails at once if nobody is listening.
    let mut phone = TcpStream::connect(addr)?;

    // send: the first line you type, without its newline.
    let Some(message) = lines.next().transpose()? else {
        return Ok(()); // no input at all: nothing to send
    };
    phone.write_all(&message)?;

    // recv: the reply, at most 1024 bytes, printed as it came.
    let mut reply = [0u8; 1024];
    let n = phone.read(&mut reply)?;
    if n == 0 {
        // 0 bytes: the server hung up without replying (it may have served someone else).
        warn!("the server closed the connection without replying");
        return Ok(());
    }
    output.write_all(&reply[..n])?;
    writeln!(output)?;
    Ok(())
    // close: `phone` is dropped here, which closes the socket.
}
// ANCHOR_END: client
