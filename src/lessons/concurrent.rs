//! Lesson 4 — concurrency (支持并发).
//!
//! **What this stage adds:** one thread per client. The loop around `accept` hands each
//! connection to a new `std::thread` and goes straight back to `accept`; the communication loop
//! and the client are lesson 3's.
//!
//! **What is still broken:** every stage so far assumes one `recv` returns one whole message.
//! TCP never promised that.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread::{self, JoinHandle};

use log::{error, info, warn};

use crate::server::{Connection, Peer, Server};
use crate::stage::Lines;

// ANCHOR: stack
/// Each client thread gets a 256 KiB stack instead of Rust's default 2 MiB. The stack is reserved
/// address space for as long as the thread lives, and a thread per client means one stack per
/// connected client: 10,000 idle clients would reserve 20 GiB at the default, 2.5 GiB at this size.
/// Our communication loop needs a 1 KiB buffer and some logging; lessons 5 and 6 reuse this size
/// for running commands and parsing JSON headers, still far below it.
pub const CLIENT_THREAD_STACK: usize = 256 * 1024;
// ANCHOR_END: stack

// ANCHOR: serve
/// Serves every client at the same time, each on its own thread, until Ctrl-C.
pub fn serve(server: Server) -> io::Result<()> {
    let mut client_threads: Vec<JoinHandle<()>> = Vec::new();
    // The connection loop, as in lesson 2; but serving happens on another thread.
    while let Some((conn, peer)) = server.accept() {
        info!("{peer} connected");
        // Forget the threads of clients who have left, so the list does not grow forever.
        client_threads.retain(|thread| !thread.is_finished());
        // Name the thread after its client: log lines, debuggers and panics then say who it serves.
        let spawned = thread::Builder::new()
            .name(format!("client {peer}"))
            .stack_size(CLIENT_THREAD_STACK)
            .spawn(move || serve_one_client(conn, peer));
        match spawned {
            Ok(thread) => client_threads.push(thread),
            // Out of threads or memory: this client is turned away (its connection closes as the
            // closure holding it is dropped); everyone already connected carries on.
            Err(e) => warn!("{peer}: cannot start a thread ({e}); hanging up"),
        }
    }
    // Shutdown: `accept` said stop, and every open connection has been closed, so each client
    // thread is returning. Wait for all of them: no thread outlives the server.
    client_threads.retain(|thread| !thread.is_finished());
    info!("waiting for {} client thread(s)", client_threads.len());
    for thread in client_threads {
        if thread.join().is_err() {
            error!("a client thread panicked: that is a bug");
        }
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
