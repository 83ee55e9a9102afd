//! Lesson 6 — the fixed header (解决粘包: 初级版 → 终极版).
//!
//! **What this stage adds:** message boundaries that TCP does not have, made by us. Every message,
//! in both directions, travels as a *frame* (see [`crate::frame`]): first a fixed-size part, 4
//! bytes saying how long the header is; then the header (报头), a little JSON object saying how
//! long the body is (`total_size`) and what its md5 is; then the body. The reader never guesses: it
//! reads exactly 4 bytes, exactly the header, exactly the body, and the next byte on the stream is
//! the start of the next frame. Glued or split, every message arrives whole.
//!
//! The tutorial gets there in two steps. The first (初级版) puts only a 4-byte length in front of
//! the body ([`crate::frame::write_length_prefixed`]); the final one (终极版), used here, puts the
//! length of a JSON header there instead, so that the header can carry more than one number.
//!
//! The server loop is lesson 5's; only the conversation changed: `read_frame` where lesson 5 had
//! `recv(1024)`, `write_frame` where it had a bare `write_all`.
//!
//! **Limits are part of the protocol:** the length and the header come from the peer, who may be
//! buggy or hostile. A header or body over the limits of [`Limits::REQUEST`], a header that is not
//! a JSON object with `total_size`, or a connection that ends mid-frame is an error for that
//! connection only: logged, that client hung up on, everyone else served on.

use std::io::{self, BufRead, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread::{self, JoinHandle};

use log::{error, info, warn};

use super::concurrent::CLIENT_THREAD_STACK;
use crate::commands::Commands;
use crate::frame::{self, Limits, Md5Check};
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

/// The communication loop, one whole frame at a time, until the client leaves.
fn serve_one_client(mut conn: Connection, peer: SocketAddr, commands: Commands) {
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
                return;
            }
        };
        if let Md5Check::Mismatch { expected, actual } = request.check_md5() {
            warn!(
                "{peer}: request md5 is {actual}, header said {expected}; ending this connection"
            );
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
/// Sends each non-empty line of `input` as one request frame and prints each reply frame's body,
/// until the input ends or a line says `q`.
pub fn client(addr: SocketAddr, input: &mut dyn BufRead, output: &mut dyn Write) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    for line in input.lines() {
        let command = line?;
        if command.is_empty() {
            continue;
        }
        if command == "q" {
            break;
        }
        if let Err(e) = frame::write_frame(&mut phone, command.as_bytes()) {
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
                format!(
                    "the reply is damaged: its md5 is {actual}, but the header said {expected}"
                ),
            ));
        }
        output.write_all(&reply.body)?;
        output.flush()?;
    }
    Ok(())
}
// ANCHOR_END: client
