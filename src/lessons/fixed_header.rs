//! Lesson 6 — the fixed header (解决粘包: 初级版 → 终极版).
//!
//! **What this stage adds:** every message, in both directions, travels as a frame (see
//! [`crate::frame`]): 4 bytes giving the header's length, a JSON header (报头) giving the body's
//! length and md5, then the body. The reader reads exactly each part, so glued or split, every
//! message arrives whole. The rest is lesson 5's.
//!
//! **What is still broken:** nothing that sticky packets cause. A frame that breaks the protocol
//! or the limits ([`Limits::REQUEST`]) ends that one connection; everyone else is served on.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread::{self, JoinHandle};

use log::{error, info, warn};

use crate::commands::Commands;
use crate::escape::peer_text;
use crate::frame::{self, Limits, Md5Check};
use crate::server::{Connection, Peer, Server};
use crate::stage::Lines;

// ANCHOR: stack
/// Each client thread gets a 256 KiB stack instead of Rust's default 2 MiB. The stack is reserved
/// address space for as long as the thread lives, and a thread per client means one stack per
/// connected client: 10,000 idle clients would reserve 20 GiB at the default, 2.5 GiB at this size.
/// Our communication loop reads whole frames, whose header and body live on the heap, and
/// runs commands; its stack stays far below this size.
pub const CLIENT_THREAD_STACK: usize = 256 * 1024;
// ANCHOR_END: stack

// ANCHOR: serve
/// Runs every client's commands at the same time, each client on its own thread, until Ctrl-C.
pub fn serve(server: Server, commands: Commands) -> io::Result<()> {
    let mut client_threads: Vec<JoinHandle<()>> = Vec::new();
    // The connection loop, as in lesson 2; but serving happens on another thread.
    while let Some((conn, peer)) = server.accept() {
        info!("{peer} connected");
        // Forget the threads of clients who have left, so the list does not grow forever.
        client_threads.retain(|thread| !thread.is_finished());
        // Every client's thread gets its own handle on the server's commands.
        let commands = commands.clone();
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

/// The communication loop, one whole frame at a time, until the client leaves.
fn serve_one_client(mut conn: Connection, peer: Peer, commands: Commands) {
    loop {
        // Exactly one request, however its bytes were cut up or glued together on the way.
        let request = match frame::read_frame(&mut conn, &Limits::REQUEST) {
            Ok(Some(request)) => request,
            // The stream ended between two frames: the client said goodbye (or Ctrl-C on the
            // server ended the conversation from our side).
            Ok(None) => {
                info!("{peer}: the stream ended between frames; the conversation is over");
                return;
            }
            // A broken or hostile frame, or a reset: this client is done; the server is not.
            Err(e) => {
                warn!("{peer}: {e}; ending this connection");
                // Say why before hanging up, where the peer can still hear it.
                let _ = frame::write_error(&mut conn, e.told());
                return;
            }
        };
        if let Md5Check::Mismatch { expected, actual } = request.check_md5() {
            // The header's md5 is the peer's text: escaped, so that it cannot forge a log line.
            let expected = peer_text(&expected);
            warn!(
                "{peer}: request md5 is {actual}, header said {expected}; ending this connection"
            );
            let _ = frame::write_error(&mut conn, crate::t!("frame-md5", actual = actual));
            return;
        }
        let output = commands.run(&request.body);
        // The reply is a frame too, so the client knows exactly how much output to read.
        if let Err(e) = frame::write_frame(&mut conn, &output) {
            warn!("{peer}: {e}; ending this connection");
            return;
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// Sends each non-empty one of `lines` as one request frame and prints each reply frame's body,
/// until the input ends or a line says `q`.
pub fn client(addr: SocketAddr, lines: Lines, output: &mut dyn Write) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    for line in lines {
        let command = line?;
        if command.is_empty() {
            continue;
        }
        if command == b"q" {
            break;
        }
        if let Err(e) = frame::write_frame(&mut phone, &command) {
            // A server that has gone away answers our bytes with a reset.
            warn!("the server closed the connection ({e})");
            break;
        }
        // The whole reply, however long: the header said how long. A malformed or oversized reply
        // is an error (`?` turns the frame error into an io::Error with a clear message).
        let Some(reply) = frame::read_frame(&mut phone, &Limits::REPLY)? else {
            warn!("the server closed the connection");
            break;
        };
        // The md5 catches a reply that was cut short or padded on the way (our bugs, not TCP's).
        if let Md5Check::Mismatch { expected, actual } = reply.check_md5() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                crate::t!(
                    "client-reply-damaged",
                    actual = actual.to_string(),
                    expected = peer_text(&expected).to_string()
                ),
            ));
        }
        output.write_all(&reply.body)?;
        output.flush()?;
    }
    Ok(())
}
// ANCHOR_END: client
