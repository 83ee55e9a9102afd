//! Lesson 9 — the chat room (TCP 聊天室).
//!
//! **What this stage adds:** connections that talk to each other. Lesson 4 gave every client a
//! thread of its own, and each thread talked only to its own client. Here each client is a
//! member of one room (`crate::room`): the first line it sends is its name, and every line after
//! that reaches every other member as `[name] text`. Messages are lines (`crate::line`: the
//! third cure for sticky packets, a delimiter), so `nc` and `telnet` can join too. A member who
//! stops reading cannot stall the room: it has a queue of its own, and is disconnected when the
//! queue is full. The client prints what arrives while you type.
//!
//! **What is still broken:** every member costs two threads (a reader and a writer), so a room
//! of ten thousand is twenty thousand threads; and anybody can take any free name, because
//! nothing proves who you are.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};

use log::{error, info, warn};

use crate::escape::peer_text;
use crate::line::LineReader;
use crate::room::Room;
use crate::server::{Connection, Peer, Server};
use crate::stage::{Lines, OwnedInput, OwnedOutput};

/// Each client thread gets a 256 KiB stack instead of Rust's default 2 MiB, as in lesson 4.
pub const CLIENT_THREAD_STACK: usize = 256 * 1024;

// ANCHOR: serve
/// Serves every member at the same time, each on its own thread, until Ctrl-C.
pub fn serve(server: Server) -> io::Result<()> {
    let room = Arc::new(Room::new());
    // Ctrl-C: every member hears goodbye before the server closes the connections.
    let closing = Arc::clone(&room);
    server.before_closing(move || closing.close());
    let mut client_threads: Vec<JoinHandle<()>> = Vec::new();
    // The connection loop, as in lesson 2; but serving happens on another thread.
    while let Some((conn, peer)) = server.accept() {
        info!("{peer} connected");
        // Forget the threads of clients who have left, so the list does not grow forever.
        client_threads.retain(|thread| !thread.is_finished());
        let room = Arc::clone(&room);
        // Name the thread after its client: log lines, debuggers and panics then say who it serves.
        let spawned = thread::Builder::new()
            .name(format!("client {peer}"))
            .stack_size(CLIENT_THREAD_STACK)
            .spawn(move || serve_one_member(conn, peer, &room));
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

/// The communication loop: the first line is the member's name, every line after it is said to
/// the room, until the member leaves.
fn serve_one_member(conn: Connection, peer: Peer, room: &Arc<Room>) {
    let mut lines = LineReader::new(conn);
    let name = match lines.read_line() {
        Ok(Some(name)) => name,
        Ok(None) => return info!("{peer}: left before naming itself"),
        Err(e) => return warn!("{peer}: {e}; ending this connection"),
    };
    let Some(socket) = lines.get_ref().as_tcp() else {
        return warn!("{peer}: a chat room is for TCP members; hanging up");
    };
    let seat = match room.join(&name, socket) {
        Ok(seat) => seat,
        Err(refusal) => {
            info!("{peer}: refused the name {}: {refusal}", peer_text(&name));
            let _ = (&*socket).write_all(format!("error: {refusal}\n").as_bytes());
            return;
        }
    };
    info!("{peer} joined as {}", peer_text(&name));
    loop {
        match lines.read_line() {
            Ok(Some(text)) => seat.say(&text),
            // End of stream: the member closed its end. This is how TCP says goodbye.
            Ok(None) => return info!("{peer}: the stream ended; {name} leaves"),
            // A line too long, not UTF-8, a reset: this member is gone, the room is fine.
            Err(e) => {
                warn!("{peer}: {e}; ending this member");
                return seat.tell(&format!("error: {e}"));
            }
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// Joins as `name` (or sends the first typed line as the name), sends each non-empty typed line
/// as one message, and prints every line that arrives as it arrives, until the input ends, a
/// line says `q`, or the server closes the connection.
pub fn client(
    addr: SocketAddr,
    name: Option<&str>,
    mut input: OwnedInput,
    mut output: OwnedOutput,
) -> io::Result<()> {
    let phone = TcpStream::connect(addr)?;
    let mut to_server = phone.try_clone()?;
    if let Some(name) = name {
        to_server.write_all(format!("{name}\n").as_bytes())?;
    }
    // Typing happens on a thread of its own, so that what arrives is printed at once, not when
    // the user next presses Enter.
    let left = Arc::new(AtomicBool::new(false));
    let leaving = Arc::clone(&left);
    let typing = thread::spawn(move || -> io::Result<()> {
        for line in Lines::new(&mut input) {
            let message = line?;
            if message == b"q" {
                break;
            }
            if !message.is_empty() {
                to_server.write_all(&[&message[..], b"\n"].concat())?;
            }
        }
        // Leaving: the server sees the end of our stream, tells the room, and hangs up.
        leaving.store(true, Ordering::SeqCst);
        to_server.shutdown(Shutdown::Write)
    });
    let mut from_server = BufReader::new(phone);
    let mut line = Vec::new();
    while from_server.read_until(b'\n', &mut line)? > 0 {
        output.write_all(&line)?;
        output.flush()?;
        line.clear();
    }
    if left.load(Ordering::SeqCst) {
        // We left, and the server hung up after us: the typing thread is done, or nearly.
        return typing.join().unwrap_or(Ok(()));
    }
    // The server closed first (Ctrl-C on the server): the typing thread is still waiting for a
    // line that will never be sent; the process ends with it.
    warn!("the server closed the connection");
    Ok(())
}
// ANCHOR_END: client
