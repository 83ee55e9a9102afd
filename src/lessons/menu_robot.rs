//! Lesson 10 — the 10086 menu robot (智能机器人).
//!
//! **What this stage adds:** a conversation with state and a clock. The server speaks first (the
//! welcome), remembers where each caller is in its menu (a [`Call`] per connection: the dialog
//! itself is [`crate::menu`], a state machine with no sockets), and keeps time: a caller silent
//! for `idle` is told goodbye and hung up on, and so is every caller when Ctrl-C stops the
//! server. The client waits only so long for the robot to speak. Every message is lesson 6's
//! frame, so every reply arrives whole; a reply that hangs up says so in its header.
//!
//! **What is still broken:** a caller is "silent" only when not one byte comes: one that dribbles
//! a byte now and then is still talking, for as long as its message (up to lesson 6's 8 MiB)
//! lasts. And the client reads only when it expects a reply, so a goodbye that the robot says
//! while you are typing shows only when you press Enter.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use log::{error, info, warn};

use crate::escape::peer_text;
use crate::frame::{self, Limits, Md5Check};
use crate::menu::{Call, Reply};
use crate::server::{Connection, Peer, Server};
use crate::stage::Lines;

// ANCHOR: stack
/// Each client thread gets a 256 KiB stack instead of Rust's default 2 MiB. The stack is reserved
/// address space for as long as the thread lives, and a thread per client means one stack per
/// connected client: 10,000 idle clients would reserve 20 GiB at the default, 2.5 GiB at this size.
/// Our communication loop reads JSON headers and keeps one caller's place in the menu; its
/// stack stays far below this size.
pub const CLIENT_THREAD_STACK: usize = 256 * 1024;
// ANCHOR_END: stack

// ANCHOR: serve
/// Answers every caller at the same time, each on its own thread, until Ctrl-C; a caller silent
/// for `idle` is hung up on.
pub fn serve(server: Server, idle: Duration) -> io::Result<()> {
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
            .spawn(move || serve_one_caller(conn, peer, idle));
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

/// One call: the welcome, then one answer per message, until someone hangs up.
fn serve_one_caller(mut conn: Connection, peer: Peer, idle: Duration) {
    // A caller silent for `idle` is hung up on. Ctrl-C closes only our reading side, so that
    // we can still say goodbye.
    let ready = conn.set_read_timeout(Some(idle));
    if let Err(e) = ready.and(conn.keep_writable_at_shutdown()) {
        warn!("{peer}: {e}; ending this connection");
        return;
    }
    let mut call = Call::new();
    // The server speaks first.
    let mut reply = call.welcome();
    loop {
        // Every reply is a frame; the last one says in its header that we hang up.
        if let Err(e) = frame::write_frame_with(&mut conn, &reply.header(), reply.text.as_bytes()) {
            warn!("{peer}: {e}; ending this connection");
            return;
        }
        if reply.hang_up {
            info!("{peer}: the robot hung up: {}", reply.text.trim_end());
            return;
        }
        // Exactly one request, however its bytes were cut up or glued together on the way.
        reply = match frame::read_frame(&mut conn, &Limits::REQUEST) {
            // Our own shutdown woke the read: however the read ended, say goodbye.
            _ if conn.server_is_stopping() => Reply::closing(),
            // Not one byte for `idle`: the caller has gone quiet.
            Err(e) if e.is_timeout() => Reply::idle(idle),
            // The stream ended between two frames: the caller hung up.
            Ok(None) => {
                info!("{peer}: the stream ended between frames; the conversation is over");
                return;
            }
            // A broken or hostile frame, or a reset: this caller is done; the server is not.
            Err(e) => {
                warn!("{peer}: {e}; ending this connection");
                // Say why before hanging up, where the peer can still hear it.
                let _ = frame::write_error(&mut conn, e.told());
                return;
            }
            Ok(Some(request)) => {
                if let Md5Check::Mismatch { expected, actual } = request.check_md5() {
                    // The header's md5 is the peer's text: escaped, so that it cannot forge a
                    // log line.
                    let expected = peer_text(&expected);
                    warn!(
                        "{peer}: request md5 is {actual}, header said {expected}; ending this connection"
                    );
                    let _ = frame::write_error(&mut conn, crate::t!("frame-md5", actual = actual));
                    return;
                }
                call.answer(&request.body)
            }
        };
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// Prints the robot's welcome, then sends each of `lines` as one request frame and prints each
/// reply, until the robot hangs up or the input ends. It waits at most `wait` for the robot.
pub fn client(to: SocketAddr, wait: Duration, lines: Lines, out: &mut dyn Write) -> io::Result<()> {
    let mut phone = TcpStream::connect(to)?;
    // The tutorial's settimeout(5): a robot that says nothing must not keep us waiting forever.
    // A read that times out is an error, and the client ends with it.
    phone.set_read_timeout(Some(wait))?;
    // The robot speaks first.
    if !hear(&mut phone, out)? {
        return Ok(());
    }
    for line in lines {
        let command = line?;
        if command.is_empty() {
            continue;
        }
        // `q` hangs up without a word; `exit` asks the robot to say goodbye first.
        if command == b"q" {
            break;
        }
        if let Err(e) = frame::write_frame(&mut phone, &command) {
            // A server that has gone away answers our bytes with a reset.
            warn!("the server closed the connection ({e})");
            break;
        }
        if !hear(&mut phone, out)? {
            break;
        }
    }
    Ok(())
}

/// Reads one reply frame and prints its body; false once the robot has hung up.
fn hear(phone: &mut TcpStream, output: &mut dyn Write) -> io::Result<bool> {
    // The whole reply, however long: the header said how long. A malformed or oversized reply
    // is an error (`?` turns the frame error into an io::Error with a clear message).
    let Some(reply) = frame::read_frame(phone, &Limits::REPLY)? else {
        warn!("the server closed the connection");
        return Ok(false);
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
    // The robot's last words say so in their header: then the call is over.
    Ok(reply.header.get("hang_up").and_then(|v| v.as_bool()) != Some(true))
}
// ANCHOR_END: client
