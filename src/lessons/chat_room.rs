//! Lesson 9 — the chat room (TCP 聊天室).
//!
//! **What this stage adds:** connections that talk to each other. Lesson 4 gave every client a
//! thread of its own, and each thread talked only to its own client. Here each client is a
//! member of one room (`crate::room`): the first line it sends is its name, and every line after
//! that reaches every other member as `[name] text`. Messages are lines (`crate::line`: the
//! third cure for sticky packets, a delimiter), so `nc` and `telnet` can join too. A member who
//! stops reading cannot stall the room: it has a queue of its own; a talker waits for a full
//! one only so long, and a member who makes no room in that time is disconnected. The client
//! prints what arrives while you type.
//!
//! **What is still broken:** every member costs two threads (a reader and a writer), so a room
//! of ten thousand is twenty thousand threads; and anybody can take any free name, because
//! nothing proves who you are.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use log::{error, info, warn};

use crate::line::{LineError, LineReader};
use crate::room::{self, Room};
use crate::server::{Connection, Peer, Server};
use crate::stage::{Lines, OwnedInput, OwnedOutput};

/// Each client thread gets a 256 KiB stack instead of Rust's default 2 MiB, as in lesson 4.
pub const CLIENT_THREAD_STACK: usize = 256 * 1024;

// ANCHOR: serve
/// Serves every member at the same time, each on its own thread, until Ctrl-C.
pub fn serve(server: Server) -> io::Result<()> {
    // One room for everyone. On Ctrl-C it says goodbye to every member before the server
    // closes the connections.
    let room = Room::open(&server);
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
    // Lines, not reads: one message is everything up to a `\n`, however TCP cut it up.
    let mut lines = LineReader::new(conn);
    let name = match lines.read_line() {
        Ok(Some(name)) => name,
        Ok(None) => return info!("{peer}: left before naming itself"),
        // A first line too long, or not UTF-8, is no name: refused in one line like a bad name.
        Err(e) => {
            info!("{peer}: {e}; hanging up before it joined");
            return room.refuse(lines.get_ref(), &LineError::told_of(&e));
        }
    };
    // A bad name, or one already taken, is refused with a one-line error, and we hang up.
    let Some(member) = room.join(&name, lines.get_ref()) else {
        return;
    };
    loop {
        match lines.read_line() {
            Ok(Some(text)) => member.say(&text),
            // The end of the stream: the member closed its end. This is how TCP says goodbye.
            Ok(None) => {
                info!("{peer}: the stream ended between lines; the conversation is over");
                return;
            }
            // A line too long, not UTF-8, a reset: this member is gone, but the room is fine.
            Err(e) => {
                warn!("{peer}: {e}; ending this connection");
                return member.tell(&format!("{}{}", room::ERROR, LineError::told_of(&e)));
            }
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// Sends each non-empty typed line as one message (the first one is our name: `--name NAME`
/// types it for us), and prints every line that arrives as it arrives, until the input ends, a
/// line says `q`, or the server hangs up.
pub fn client(addr: SocketAddr, mut input: OwnedInput, mut output: OwnedOutput) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    let from_server = BufReader::new(phone.try_clone()?);
    // Typing happens on a thread of its own, so that what arrives is printed at once, not when
    // the user next presses Enter.
    thread::spawn(move || -> io::Result<()> {
        for line in Lines::new(&mut input) {
            let message = line?;
            // An empty line would be an empty message: the room ignores it, so don't send it.
            if message.is_empty() {
                continue;
            }
            if message == b"q" {
                break;
            }
            phone.write_all(&[&message[..], b"\n"].concat())?;
        }
        // Leaving: the server sees the end of our stream, tells the room, and hangs up.
        phone.shutdown(Shutdown::Write)
    });
    // Every line the server sends, until it hangs up: after we left, or when it shuts down (then
    // its last line said so, and the typing thread ends with the process). Standard output
    // passes each line on as soon as its `\n` is written.
    let mut last_line = Vec::new();
    for line in from_server.split(b'\n') {
        last_line = line?;
        output.write_all(&[&last_line[..], b"\n"].concat())?;
    }
    // Whatever the user had half-typed was meant for the room, not for the shell that reads the
    // terminal after us: throw it away.
    crate::terminal::discard_typed_input();
    // A last line `error: ...` is the room's reason for hanging up on us (a name refused, a
    // line too long, we stopped reading): then the conversation failed, and the exit status
    // says so.
    room::how_it_ended(&last_line)
}
// ANCHOR_END: client
