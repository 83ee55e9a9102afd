//! Lesson 3 — the communication loop (加入通信循环).
//!
//! **What this stage adds:** a loop around `recv` (the communication loop), so one client can send
//! as many messages as it likes. That raises the question the loop must answer: *when is the
//! conversation over?*
//! - `recv` returning **0 bytes** means the peer closed its side: a clean goodbye. (In lesson 2
//!   one message was all there was, so nobody had to ask.)
//! - An **error** such as "connection reset" means the peer vanished (killed, crashed, unplugged).
//!   In the tutorial that exception would crash the whole server; here, as in lesson 2, it ends
//!   that one client. A reset (RST) is the kernel's way of saying "this connection no longer
//!   exists", not a problem of ours.
//!
//! The client loops over its input lines too, and skips empty ones: sending zero bytes sends
//! *nothing*, so the server would never wake up, and the client would wait for a reply forever.
//!
//! **What is still broken:** one client at a time. While the server is inside the communication
//! loop with the first client, a second client's connection is accepted by the kernel into the
//! backlog but nobody calls `accept` for it: its messages wait until the first client leaves.
//! (The tutorial calls this queue 半连接池, the "half-connection pool"; strictly, a connection
//! whose handshake is complete waits in the *accept queue*, 全连接队列, and only half-open
//! handshakes sit in the SYN queue. `listen(backlog)` sizes the accept queue.) Lesson 4 gives
//! each client its own thread.

use std::io::{self, BufRead, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};

use log::{info, warn};

use crate::server::{Connection, Server};

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
fn serve_one_client(mut conn: Connection, peer: SocketAddr) {
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
/// Sends each non-empty line of `input` as one message and prints each reply, until the input
/// ends or a line says `q`.
pub fn client(addr: SocketAddr, input: &mut dyn BufRead, output: &mut dyn Write) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    let mut reply = [0u8; 1024];
    for line in input.lines() {
        let message = line?;
        // Sending an empty message sends no bytes at all: the server's `recv` never returns, and
        // our `recv` below would wait for a reply that is never coming. So don't.
        if message.is_empty() {
            continue;
        }
        if message == "q" {
            break;
        }
        phone.write_all(message.as_bytes())?;
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
