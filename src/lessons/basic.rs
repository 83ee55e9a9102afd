//! Lesson 1 — the most basic version (最基础版本).
//!
//! **What this stage shows:** the whole life of a TCP conversation, once. The server goes through
//! socket → bind → listen ([`Server::bind`]), then accept → recv → send → close; the client goes
//! through socket → connect → send → recv → close. The reply is the message with its ASCII
//! letters uppercased, like Python's `bytes.upper()`.
//!
//! **What is still broken:** the server serves exactly one client, one message, and exits. An
//! empty line sends nothing at all, so both sides wait for each other forever.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};

use log::{info, warn};

use crate::server::Server;
use crate::stage::Lines;

// ANCHOR: serve
/// Serves one client, one message, then returns (and the program exits).
pub fn serve(server: Server) -> io::Result<()> {
    // accept: wait for a client to dial in. We get a new socket for talking to that one client
    // (the tutorial's `conn`), and its address. `None` means Ctrl-C came first.
    let Some((mut conn, peer)) = server.accept() else {
        return Ok(());
    };
    info!("{peer} connected");

    // recv: at most 1024 bytes. Whatever has arrived, up to that many, is returned: *not*
    // necessarily a whole message. (That becomes lesson 5's whole story.)
    let mut buf = [0u8; 1024];
    let n = conn.read(&mut buf)?;
    info!("{peer} sent {n} bytes");

    // send: the echo, uppercased. `write_all` keeps writing until every byte is handed to the
    // kernel; a single `write` may take only part of the buffer.
    conn.write_all(&buf[..n].to_ascii_uppercase())?;

    // close: dropping `conn` hangs up this call; returning drops `server`, switching the phone off.
    info!("served one message; closing and exiting");
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
