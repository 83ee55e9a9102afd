//! The chat room of lesson 9: who is in it, and how one member's message reaches all the others
//! without any of them being able to hold the rest up.
//!
//! The stage (`src/lessons/chat_room.rs`) reads each member's lines on that member's own thread,
//! as lesson 4 reads each client's messages. This module is what it hands the lines to. It lives
//! apart from the stage because it is bigger than one screen of a `diff`, and because it is one
//! idea of its own: **fan-out with a bound**.
//!
//! # Why not just write to every member's socket?
//!
//! The obvious broadcast is a loop: for every other member, `write_all(line)`. It works until one
//! member stops reading (a laptop lid closed, a program stuck, a client that is hostile). TCP
//! then fills that member's buffers, the kernel's send buffer on our side and its receive buffer
//! on theirs, a few megabytes at most, and after that `write_all` *blocks*. The sender's thread
//! is stuck inside the loop, and nobody after the slow member hears anything, ever. One silent
//! member has stopped the whole room.
//!
//! # A queue and a writer per member
//!
//! So no thread ever writes to another member's socket. Each member has a **writer thread**, the
//! only one that writes to its socket, fed by a **bounded queue** (a `crossbeam-channel` of
//! [`QUEUE`] lines). Broadcasting is putting the line into each queue with `try_send`, which
//! never waits: it either finds room at once or says the queue is full. A full queue means the
//! writer has been stuck for [`QUEUE`] lines in a row, because the member stopped reading; that
//! member is disconnected, the others are told, and the broadcast goes on. The sender's thread
//! never waits for anybody but its own member.
//!
//! A line is built once and shared (`Arc<str>`): a message to 100 members is one allocation and
//! 100 pointers, not 100 copies.
//!
//! # The bound
//!
//! [`QUEUE`] is 1,024 lines. A line is at most `[name] ` (19 bytes) + [`MAX_LINE`] + `\n`, so a
//! member's queue holds at most about 1 MiB (1,024 × 1,020 bytes), and much less when the lines
//! are shared with other members, as a broadcast's are. That is the most a member that stopped
//! reading can cost us, beyond the kernel's buffer for its socket, which we fix at
//! [`SEND_BUFFER`] (256 KiB asked, about 512 KiB kept) instead of letting it grow to 4 MiB.
//!
//! Why not smaller? The queue is not the member's buffer, the kernel's socket buffers are: it
//! only has to cover the moments when the writer
//! thread is waiting for a CPU while the sender's thread is busy handing out lines. One read
//! of a sender's socket brings up to 8 KiB of lines, which can be hundreds of short lines at
//! once; a bound of a few dozen would disconnect members who read perfectly well but whose
//! writer had not been scheduled yet. Why not much bigger? Then a member who stopped reading
//! costs more memory before we notice, and 100 such members cost 100 times that.
//!
//! A member whose writer gets no CPU while 1,024 lines arrive looks exactly like a member who
//! stopped reading, and is treated like one. That is the price of any bound, and why it is this
//! big.
//!
//! # Leaving, and closing
//!
//! A member leaves when its reader thread drops its [`Membership`]: it is taken out of the room (the
//! others see `* NAME left`), its queue is closed, and its writer thread finishes writing what
//! is queued and ends; leaving waits for it. A writer that cannot write (the peer reset, or
//! made no progress for [`WRITE_PATIENCE`]) disconnects its member the same way.
//!
//! On Ctrl-C the server calls [`Room::close`] before it closes the connections: every member's
//! writer is handed a closing notice, and the room waits (at most [`CLOSING_PATIENCE`]) until
//! they have all written it.

use std::fmt;
use std::io::{self, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TrySendError};
use log::{info, warn};

use crate::escape::peer_text;
use crate::line::MAX_LINE;
use crate::server::{Connection, Server};

/// How many lines may wait for one member's writer. The reasons are in the module's notes.
pub const QUEUE: usize = 1024;

/// What we ask the kernel to keep for each member's socket, in bytes, of lines sent and not yet
/// acknowledged by the member (`SO_SNDBUF`; Linux keeps twice this, for its own bookkeeping).
pub const SEND_BUFFER: usize = 256 * 1024;

/// The longest name, in letters and digits.
pub const MAX_NAME: usize = 16;

/// A writer that makes no progress for this long (the member's socket is full, and the member
/// has stopped reading) gives up, and its member is disconnected.
pub const WRITE_PATIENCE: Duration = Duration::from_secs(10);

/// How long closing waits for every writer to have written its closing notice.
pub const CLOSING_PATIENCE: Duration = Duration::from_secs(2);

/// What a member is told when the server shuts down.
pub const CLOSING_NOTICE: &str = "* the server is shutting down: goodbye";

/// A writer gathers queued lines into one `write` of up to this many bytes: one system call for
/// many lines, when many are waiting.
const BATCH: usize = 64 * 1024;

/// The room: the members who have named themselves, in the order they joined.
#[derive(Default)]
pub struct Room {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    members: Vec<Member>,
    next_id: u64,
    /// Set by [`Room::close`]: nobody joins, and nothing more is said.
    closing: bool,
}

struct Member {
    id: u64,
    name: String,
    queue: Sender<Outgoing>,
    /// The member's socket, to cut it off when it is disconnected (the writer may be blocked in
    /// `write`, and only closing the socket wakes it).
    socket: Arc<TcpStream>,
}

/// What a writer thread is handed.
enum Outgoing {
    Line(Arc<str>),
    /// The closing notice; the writer drops the sender once it has written it.
    Farewell(Sender<()>),
}

/// Why a name was refused. The member is told this, in one line, and disconnected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Invalid,
    Taken(String),
    Closing,
    /// Out of threads or file descriptors.
    Busy,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Invalid => write!(
                f,
                "a name is 1 to {MAX_NAME} letters or digits (a-z, A-Z, 0-9)"
            ),
            Refusal::Taken(name) => write!(f, "the name {name} is taken; choose another"),
            Refusal::Closing => write!(f, "the room is closing"),
            Refusal::Busy => write!(f, "the server cannot take another member now; try later"),
        }
    }
}

/// Whether `name` may be a member's name: 1 to [`MAX_NAME`] ASCII letters or digits, nothing
/// else, so that a name can never contain a space, a bracket or a control character and so
/// never be mistaken for part of a notice.
pub fn valid_name(name: &str) -> bool {
    (1..=MAX_NAME).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Room {
    pub fn new() -> Room {
        Room::default()
    }

    /// A room for the members of `server`. When shutdown comes, the server lets the room
    /// [`close`](Room::close) before it closes the connections, so every member is told.
    pub fn open(server: &Server) -> Arc<Room> {
        let room = Arc::new(Room::new());
        let closing = Arc::clone(&room);
        server.before_closing(move || closing.close());
        room
    }

    /// `name` (the first line of `conn`) joins the room; `None` if it is refused, after `conn`
    /// has been told why in one line (`error: ...`). See [`Room::join_with`].
    pub fn join(self: &Arc<Room>, name: &str, conn: &Connection) -> Option<Membership> {
        let Some(socket) = conn.as_tcp() else {
            warn!("a chat room is for TCP members; hanging up");
            return None;
        };
        match self.join_with(name, socket) {
            Ok(membership) => {
                info!("{} joined", peer_text(name));
                Some(membership)
            }
            Err(refusal) => {
                info!("refused the name {}: {refusal}", peer_text(name));
                let _ = (&*socket).write_all(format!("error: {refusal}\n").as_bytes());
                None
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves a list that is still a list.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `name` joins the room, with `socket` for its writer thread to write to. The new member is
    /// told who is already here; everyone else hears that it joined. Names are compared without
    /// regard to case: `Alice` cannot join beside `alice` and pass for her.
    pub fn join_with(
        self: &Arc<Room>,
        name: &str,
        socket: &TcpStream,
    ) -> Result<Membership, Refusal> {
        if !valid_name(name) {
            return Err(Refusal::Invalid);
        }
        // The writer's own handle on the socket (the reader keeps the other).
        let socket = socket.try_clone().map_err(|e| {
            warn!("cannot share the socket of {name} with a writer ({e})");
            Refusal::Busy
        })?;
        let mut state = self.lock();
        if state.closing {
            return Err(Refusal::Closing);
        }
        if let Some(other) = state
            .members
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(name))
        {
            return Err(Refusal::Taken(other.name.clone()));
        }
        // A write that makes no progress for this long fails, so a writer is never stuck forever.
        let _ = socket.set_write_timeout(Some(WRITE_PATIENCE));
        // The kernel's buffer for what we send this member, fixed instead of growing as the
        // kernel sees fit (up to 4 MiB on Linux): so what a silent member costs is bounded
        // there too, and it is found out after the same number of bytes on every machine.
        let _ = socket2::SockRef::from(&socket).set_send_buffer_size(SEND_BUFFER);
        let socket = Arc::new(socket);
        let (queue, lines) = crossbeam_channel::bounded(QUEUE);
        let id = state.next_id;
        state.next_id += 1;
        let present: Vec<&str> = state.members.iter().map(|m| m.name.as_str()).collect();
        let present = if present.is_empty() {
            "nobody else yet".to_string()
        } else {
            present.join(", ")
        };
        // The queue is empty: the first line always fits.
        let _ = queue.try_send(Outgoing::Line(format!("* in the room: {present}\n").into()));
        let writer = {
            let (room, socket) = (Arc::clone(self), Arc::clone(&socket));
            thread::Builder::new()
                .name(format!("writer {name}"))
                .stack_size(64 * 1024)
                .spawn(move || write_lines(&room, id, &socket, &lines))
        };
        let writer = match writer {
            Ok(writer) => writer,
            // Out of threads: turned away, like a client lesson 4 cannot start a thread for.
            Err(e) => {
                warn!("cannot start a writer thread for {name} ({e})");
                return Err(Refusal::Busy);
            }
        };
        let joined: Arc<str> = format!("* {name} joined\n").into();
        state.members.push(Member {
            id,
            name: name.to_string(),
            queue,
            socket,
        });
        self.deliver(&mut state, Some(id), &joined);
        Ok(Membership {
            room: Arc::clone(self),
            id,
            name: name.to_string(),
            writer: Some(writer),
        })
    }

    // ANCHOR: deliver
    /// Puts `line` in the queue of every member but `except`, without waiting for any of them.
    /// A member whose queue is full is disconnected, and the rest are told (which may find
    /// another full queue: so it goes on until every queue took every line).
    fn deliver(&self, state: &mut State, except: Option<u64>, line: &Arc<str>) {
        let mut pending = vec![(except, Arc::clone(line))];
        while let Some((except, line)) = pending.pop() {
            let mut full = Vec::new();
            for member in state.members.iter().filter(|m| Some(m.id) != except) {
                match member.queue.try_send(Outgoing::Line(Arc::clone(&line))) {
                    Ok(()) => {}
                    Err(TrySendError::Full(_)) => full.push(member.id),
                    // Its writer has ended; its own leaving is on the way.
                    Err(TrySendError::Disconnected(_)) => {}
                }
            }
            for id in full {
                if let Some(member) = remove(state, id) {
                    warn!(
                        "{} stopped reading ({QUEUE} lines waiting); disconnecting it",
                        member.name
                    );
                    let _ = member.socket.shutdown(Shutdown::Both);
                    let notice = format!("* {} left (it stopped reading)\n", member.name);
                    pending.push((None, notice.into()));
                }
            }
        }
    }
    // ANCHOR_END: deliver

    /// A member's writer could not write: disconnect it, and tell the others.
    fn writer_failed(&self, id: u64) {
        let mut state = self.lock();
        if let Some(member) = remove(&mut state, id) {
            let _ = member.socket.shutdown(Shutdown::Both);
            if !state.closing {
                let notice: Arc<str> = format!("* {} left\n", member.name).into();
                self.deliver(&mut state, None, &notice);
            }
        }
    }

    /// The server is shutting down: no more joining or talking; every member's writer is handed
    /// [`CLOSING_NOTICE`], and this waits, at most [`CLOSING_PATIENCE`], until all have written
    /// it. (A member whose queue is full gets no notice: it is not reading anyway.)
    pub fn close(&self) {
        let (written, all_written) = crossbeam_channel::bounded::<()>(0);
        {
            let mut state = self.lock();
            state.closing = true;
            for member in &state.members {
                let _ = member.queue.try_send(Outgoing::Farewell(written.clone()));
            }
        }
        drop(written);
        // Nothing is ever sent: the channel disconnects when the last writer drops its sender.
        let _ = all_written.recv_deadline(Instant::now() + CLOSING_PATIENCE);
    }
}

fn remove(state: &mut State, id: u64) -> Option<Member> {
    let at = state.members.iter().position(|m| m.id == id)?;
    Some(state.members.remove(at))
}

/// A member's membership of the room, held by its reader thread. Dropping it is leaving.
pub struct Membership {
    room: Arc<Room>,
    id: u64,
    name: String,
    writer: Option<JoinHandle<()>>,
}

impl Membership {
    /// The member says `text`: everyone else gets `[NAME] text`. Empty lines are not sent.
    pub fn say(&self, text: &str) {
        if text.is_empty() {
            return;
        }
        let line: Arc<str> = format!("[{}] {text}\n", self.name).into();
        let mut state = self.room.lock();
        if !state.closing {
            self.room.deliver(&mut state, Some(self.id), &line);
        }
    }

    /// A line for this member alone (an error, before it is disconnected).
    pub fn tell(&self, text: &str) {
        let state = self.room.lock();
        if let Some(member) = state.members.iter().find(|m| m.id == self.id) {
            let _ = member
                .queue
                .try_send(Outgoing::Line(format!("{text}\n").into()));
        }
    }
}

impl Drop for Membership {
    fn drop(&mut self) {
        {
            let mut state = self.room.lock();
            // Still there, unless its writer failed or it was disconnected for not reading.
            if remove(&mut state, self.id).is_some() && !state.closing {
                info!("{} left", peer_text(&self.name));
                let notice: Arc<str> = format!("* {} left\n", self.name).into();
                self.room.deliver(&mut state, None, &notice);
            }
        }
        // Its queue is closed now: the writer writes what is left in it and ends.
        if let Some(writer) = self.writer.take() {
            if writer.join().is_err() {
                log::error!("the writer thread of {} panicked: that is a bug", self.name);
            }
        }
    }
}

// ANCHOR: writer
/// A member's writer thread: takes lines from its queue and writes them to its socket, many at a
/// time when many are waiting, until the queue is closed (the member left) or a write fails.
fn write_lines(room: &Room, id: u64, socket: &TcpStream, lines: &Receiver<Outgoing>) {
    let mut batch: Vec<u8> = Vec::with_capacity(BATCH);
    let mut farewells = Vec::new();
    while let Ok(first) = lines.recv() {
        let mut next = Some(first);
        while let Some(outgoing) = next {
            match outgoing {
                Outgoing::Line(line) => batch.extend_from_slice(line.as_bytes()),
                Outgoing::Farewell(written) => {
                    batch.extend_from_slice(CLOSING_NOTICE.as_bytes());
                    batch.push(b'\n');
                    farewells.push(written);
                }
            }
            next = if batch.len() < BATCH - (MAX_LINE + 32) {
                lines.try_recv().ok()
            } else {
                None
            };
        }
        let written = (&*socket)
            .write_all(&batch)
            .and_then(|()| (&*socket).flush());
        batch.clear();
        // Written (or failed): either way, closing need not wait for this writer any more.
        farewells.clear();
        if let Err(e) = written {
            if e.kind() != io::ErrorKind::BrokenPipe {
                info!("writer {id}: {e}; disconnecting the member");
            }
            room.writer_failed(id);
            return;
        }
    }
}
// ANCHOR_END: writer

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_1_to_16_ascii_letters_or_digits() {
        for good in ["a", "Bob", "carol9", "0", "abcdefghijklmnop"] {
            assert!(valid_name(good), "{good:?}");
        }
        for bad in [
            "",
            "abcdefghijklmnopq",
            "two words",
            "名字",
            "é",
            "bob!",
            "[bob]",
            "a\tb",
        ] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }
}
