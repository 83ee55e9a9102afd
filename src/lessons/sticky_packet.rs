//! Lesson 5 — the sticky-packet problem (粘包现象).
//!
//! **What this stage adds:** the server becomes a remote-command service, as in the tutorial: a
//! client sends a command, the server runs it and sends back its output. The accept loop and the
//! thread per client are lesson 4's; only the reply changed, from an echo to a command's output
//! (see [`Commands`]: built-in commands by default, the real shell only with `server --shell`).
//!
//! **What is broken — on purpose, that is the lesson:** like the tutorial, this server and its
//! client (lesson 3's, unchanged) trust that one `recv(1024)` returns one whole message. TCP is a
//! byte *stream*: it keeps the bytes in order but knows nothing of where one message ends. So:
//! - **the receiver's side:** `seq 1000` prints 3,893 bytes, the client reads 1,024, and the rest
//!   waits in the client's receive buffer, to be read as the "reply" to the *next* command;
//! - **the sender's side:** commands written back to back can sit in the server's receive buffer
//!   together (say, while it is busy), and one `recv` takes them all as one garbled command.
//! - And a command whose output is empty (`seq 0`) sends *nothing*, so the client waits forever.
//!
//! These are sticky packets (粘包). Lesson 6 cures all three with a header (报头) behind a
//! fixed-size length.

use std::io::{self, ErrorKind, Read, Write};
use std::net::SocketAddr;
use std::thread::{self, JoinHandle};

use log::{error, info, warn};

use super::concurrent::CLIENT_THREAD_STACK;
use crate::commands::Commands;
use crate::server::{Connection, Server};

// ANCHOR: serve
/// Runs every client's commands at the same time, each client on its own thread, until Ctrl-C.
pub fn serve(server: Server, commands: Commands) -> io::Result<()> {
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
            .spawn(move || serve_one_client(conn, peer, commands));
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

/// The communication loop: run every command until the client leaves.
fn serve_one_client(mut conn: Connection, peer: SocketAddr, commands: Commands) {
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
        // The flaw this lesson is about: we *assume* these n bytes are exactly one command.
        let output = commands.run(&buf[..n]);
        // One `write_all` of the whole output, with nothing to say where it ends.
        if let Err(e) = conn.write_all(&output) {
            warn!("{peer}: {e}; ending this connection");
            return;
        }
    }
}
// ANCHOR_END: serve

/// The client has not changed since lesson 3: one line out, one `recv(1024)` back, printed as the
/// reply. That `recv` is where the receiver's sticky packet shows.
pub use super::communication_loop::client;
