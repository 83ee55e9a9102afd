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
//! never waits: almost always every queue has room, and the line is handed out in one pass under
//! the room's lock.
//!
//! A line is built once and shared (`Arc<str>`): a message to 100 members is one allocation and
//! 100 pointers, not 100 copies.
//!
//! # A full queue: slower, or stopped?
//!
//! A full queue can mean two things. The member may be **reading slower than a talker** talks:
//! one member pastes 5 MB into the room, and the others read as fast as they can, but not as
//! fast as their kernel takes the paste. Or the member **stopped reading** (a laptop lid closed,
//! a program stuck, a hostile client): then its writer makes no progress at all, and never will.
//!
//! The first must not cost a reader its place, so a full queue does not drop anybody at once.
//! Instead the talker is **slowed**: its thread waits (without the room's lock) for room in that
//! queue, and while it waits it reads nothing more from its own socket, so TCP slows the talker's
//! program down to the pace of the room. Readers who keep reading hear every line, in order.
//!
//! The second must not hold the room for long, so the wait has a bound, [`READING_PATIENCE`]. A
//! member whose queue stays full that long, or whose writer's `write` makes no progress that long
//! (the kernel's buffer for its socket is full and stays full), has stopped reading: it is told
//! why (as its very last line, behind everything it has not read yet), disconnected, and the
//! others are sent `* NAME left (it stopped reading)`. The talker then goes on, and nobody waits
//! for that member again.
//!
//! # The bound
//!
//! [`QUEUE`] is 1,024 lines. A line is at most [`LONGEST_LINE`] bytes: `[name] ` (a name of 16
//! characters is at most 64 bytes of UTF-8, so at most 67) + [`MAX_LINE`] + `\n`; so a member's
//! queue holds at most about 1 MiB (1,024 × 1,068 bytes), and much less when the lines
//! are shared with other members, as a broadcast's are. That is the most a member that stopped
//! reading can cost us, beyond the kernel's buffer for its socket, which we fix at
//! [`SEND_BUFFER`] (128 KiB asked, about 256 KiB kept) instead of letting it grow to 4 MiB.
//!
//! Why not smaller? The queue only has to cover the moments when the writer thread is waiting
//! for a CPU while the talker's thread hands out lines: one read of a talker's socket brings up
//! to 8 KiB of lines, which can be hundreds of short lines at once. A queue that is too small
//! only makes talkers wait more often; it never drops a reader, because a reader is dropped for
//! making no progress, not for being behind.
//!
//! # Leaving, and closing
//!
//! A member leaves when its reader thread drops its [`Membership`]: it is taken out of the room (the
//! others see `* NAME left`), its queue is closed, and its writer thread finishes writing what
//! is queued and ends; leaving waits for it. A writer that cannot write (the peer reset, or it
//! stopped reading) takes its member out of the room itself, the same way.
//!
//! On Ctrl-C the server calls [`Room::close`] before it closes the connections: every member's
//! writer is handed a closing notice, and the room waits (at most [`CLOSING_PATIENCE`]) until
//! they have all written it.

use std::fmt;
use std::io::{self, ErrorKind, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, SendTimeoutError, Sender, TrySendError};
use log::{info, warn};

use crate::escape::peer_text;
use crate::i18n::Lang;
use crate::line::MAX_LINE;
use crate::server::{Connection, Server};
use crate::timeout::is_timeout;

/// How many lines may wait for one member's writer. The reasons are in the module's notes.
pub const QUEUE: usize = 1024;

/// What we ask the kernel to keep for each member's socket, in bytes, of lines sent and not yet
/// acknowledged by the member (`SO_SNDBUF`; Linux keeps twice this, for its own bookkeeping).
/// With the room a member who stopped reading is given for its last line (64 KiB more), it
/// stays below what Linux lets a program ask for by default (`net.core.wmem_max`, 208 KiB).
pub const SEND_BUFFER: usize = 128 * 1024;

/// How much more send buffer a member who stopped reading is given, for its last line: more
/// than one line, because the kernel counts its own bookkeeping too, and a full buffer may
/// already be over its size by up to one packet's worth (64 KiB on loopback).
const GOODBYE_ROOM: usize = 64 * 1024;

/// The longest name, in characters (letters and digits of any script: `alice`, `小明`, `Émile`).
pub const MAX_NAME: usize = 16;

/// The longest name in bytes: a character is at most 4 bytes of UTF-8. The limit a person sees
/// counts characters; this is what the wire's bounds are reckoned with.
pub const MAX_NAME_BYTES: usize = 4 * MAX_NAME;

/// The longest line the room ever sends a member: `[NAME] ` + a line of [`MAX_LINE`] + `\n`.
pub const LONGEST_LINE: usize = 1 + MAX_NAME_BYTES + 2 + MAX_LINE + 1;

/// How long a member may go without reading before it counts as having stopped: its queue stays
/// full this long while a talker waits for room in it, or its writer's `write` makes no progress
/// for this long. Long enough for a busy machine to schedule every reader many times over (a
/// member that takes one batch of lines in this time keeps its place); short enough that a
/// member who closed its laptop holds the talkers up only this once, and briefly.
pub const READING_PATIENCE: Duration = Duration::from_secs(2);

/// A writer's `write` gives up after this long (`SO_SNDTIMEO`), to look at whether a talker has
/// given up on its member meanwhile, and to count how long it has gone without progress; then
/// it tries again, until [`READING_PATIENCE`] has passed without a byte taken.
const WRITE_SLICE: Duration = Duration::from_millis(250);

/// How long closing waits for every writer to have written its closing notice.
pub const CLOSING_PATIENCE: Duration = Duration::from_secs(2);

/// What a member is told when the server shuts down, in English: the room says it in the
/// server's language ([`closing_notice`]).
pub const CLOSING_NOTICE: &str = "* the server is shutting down: goodbye";

/// [`CLOSING_NOTICE`] in the server's language.
pub fn closing_notice() -> String {
    crate::t!("room-closing-notice")
}

/// How the room's last line to a member begins when the room ends that member's connection
/// because of the member: a name refused, a line the wire refuses, reading stopped. A client
/// whose conversation ends with such a line knows it failed ([`how_it_ended`]).
pub const ERROR: &str = "error: ";

/// What a member who stopped reading is told, after everything it had not read yet (in English;
/// the room says it in the server's language, [`stopped_reading`]).
pub const STOPPED_READING: &str = "error: you stopped reading, so the room went on without you";

/// [`STOPPED_READING`] in the server's language. It begins with [`ERROR`] in every language: that
/// prefix is what a client reads, so a client need not know the server's language.
pub fn stopped_reading() -> String {
    format!("{ERROR}{}", crate::t!("room-stopped-reading"))
}

/// How a member's conversation ended, told by the last line the room sent (without its `\n`):
/// well (the member left, or the room closed), or with an error, when the room hung up on the
/// member and said why (a line starting with [`ERROR`]; the reason after it is in the server's
/// language, and is passed on as it came, escaped for the terminal).
pub fn how_it_ended(last_line: &[u8]) -> io::Result<()> {
    match last_line.strip_prefix(ERROR.as_bytes()) {
        Some(why) => {
            let why = crate::escape::for_terminal(why.trim_ascii_end());
            Err(io::Error::other(crate::t!("room-hung-up-on-us", why = why)))
        }
        None => Ok(()),
    }
}

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
    /// Set when the member is found to have stopped reading: nobody waits for it any more, and
    /// its writer ends it.
    stopped_reading: Arc<AtomicBool>,
}

/// What a writer thread is handed.
enum Outgoing {
    Line(Arc<str>),
    /// The closing notice; the writer drops the sender once it has written it.
    Farewell(Sender<()>),
}

/// A member whose queue had no room for a line: the talker waits for it, without the lock.
struct Behind {
    queue: Sender<Outgoing>,
    stopped_reading: Arc<AtomicBool>,
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

/// The refusal as the member is told it, in the server's language (the log says it in English,
/// through `Display`).
impl Refusal {
    pub fn told(&self) -> String {
        match self {
            Refusal::Invalid => crate::t!("room-name-invalid", max = MAX_NAME.to_string()),
            Refusal::Taken(name) => crate::t!("room-name-taken", name = name.as_str()),
            Refusal::Closing => crate::t!("room-closing"),
            Refusal::Busy => crate::t!("room-busy"),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Invalid => write!(
                f,
                "a name is 1 to {MAX_NAME} letters or digits, in any script"
            ),
            Refusal::Taken(name) => write!(f, "the name {name} is taken; choose another"),
            Refusal::Closing => write!(f, "the room is closing"),
            Refusal::Busy => write!(f, "the server cannot take another member now; try later"),
        }
    }
}

/// Whether `name` may be a member's name: 1 to [`MAX_NAME`] characters, each a letter or a digit
/// of any script (`alice`, `小明`, `Émile`, `Σωκράτης`; what Unicode calls alphabetic or numeric,
/// `char::is_alphanumeric`), nothing else. So a name can never contain a space, a bracket, a
/// control character or an invisible direction mark (those are not letters), and so never be
/// mistaken for part of a notice nor rearrange a terminal's line. The limit counts characters, as
/// a person counts them; in bytes a name is at most [`MAX_NAME_BYTES`], and on a screen at most 32
/// columns (a character is at most 2 columns wide).
pub fn valid_name(name: &str) -> bool {
    (1..=MAX_NAME).contains(&name.chars().count()) && name.chars().all(char::is_alphanumeric)
}

/// Whether two names are the same name, without regard to case in any script (`Émile` and
/// `émile`, `Alice` and `ALICE`).
fn same_name(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
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
                self.refuse(conn, &refusal.told());
                None
            }
        }
    }

    /// Turns away a connection that has not become a member (its name was bad, taken, too long
    /// or not text): one `error:` line saying `why` (in the server's language; the `error: `
    /// before it is the same in every language), and the caller hangs up.
    pub fn refuse(&self, conn: &Connection, why: &str) {
        if let Some(socket) = conn.as_tcp() {
            let _ = (&*socket).write_all(format!("{ERROR}{why}\n").as_bytes());
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves a list that is still a list.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `name` joins the room, with `socket` for its writer thread to write to. The new member is
    /// told who is already here; everyone else hears that it joined. Names are compared without
    /// regard to case, in any script: `Alice` cannot join beside `alice` and pass for her.
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
        if let Some(other) = state.members.iter().find(|m| same_name(&m.name, name)) {
            return Err(Refusal::Taken(other.name.clone()));
        }
        // A write waits at most a slice of the patience at a time (see `Writer::write_all`).
        let _ = socket.set_write_timeout(Some(WRITE_SLICE));
        // The kernel's buffer for what we send this member, fixed instead of growing as the
        // kernel sees fit (up to 4 MiB on Linux): so what a silent member costs is bounded
        // there too, and it is found out after the same number of bytes on every machine.
        let _ = socket2::SockRef::from(&socket).set_send_buffer_size(SEND_BUFFER);
        let (queue, lines) = crossbeam_channel::bounded(QUEUE);
        let id = state.next_id;
        state.next_id += 1;
        let present: Vec<&str> = state.members.iter().map(|m| m.name.as_str()).collect();
        // The queue is empty: the first line always fits.
        let present = present_notice(&present);
        let _ = queue.try_send(Outgoing::Line(format!("{present}\n").into()));
        let stopped_reading = Arc::new(AtomicBool::new(false));
        let writer = Writer {
            id,
            name: name.to_string(),
            socket,
            stopped_reading: Arc::clone(&stopped_reading),
        };
        // The writer's log lines are labelled like its member's reader's: with its connection.
        let label = match writer.socket.peer_addr() {
            Ok(peer) => format!("client {peer}"),
            Err(_) => format!("writer {name}"),
        };
        let spawned = {
            let room = Arc::clone(self);
            thread::Builder::new()
                .name(label)
                .stack_size(64 * 1024)
                .spawn(move || writer.run(&room, lines))
        };
        let writer = match spawned {
            Ok(writer) => writer,
            // Out of threads: turned away, like a client lesson 4 cannot start a thread for.
            Err(e) => {
                warn!("cannot start a writer thread for {name} ({e})");
                return Err(Refusal::Busy);
            }
        };
        state.members.push(Member {
            id,
            name: name.to_string(),
            queue,
            stopped_reading,
        });
        // Handed out under the same lock as the joining: whoever joins next is told this
        // member is here, and is not told again that it joined.
        let joined: Arc<str> = format!("{}\n", joined_notice(name)).into();
        let behind = offer(&state, Some(id), &joined);
        drop(state);
        wait_for(behind, &joined);
        Ok(Membership {
            room: Arc::clone(self),
            id,
            name: name.to_string(),
            writer: Some(writer),
        })
    }

    /// Puts `line` in the queue of every member but `except`. Every queue with room takes it at
    /// once, under the lock; then, without the lock, the talker waits for each member that is
    /// behind, at most [`READING_PATIENCE`] each.
    fn deliver(&self, except: Option<u64>, line: &Arc<str>) {
        let behind = offer(&self.lock(), except, line);
        wait_for(behind, line);
    }

    /// A member's writer has ended by itself (see [`Writer::run`]): take the member out of the
    /// room, and tell the others (`* NAME left`, or `* NAME left (it stopped reading)` when
    /// `stopped_reading`). The lines are handed out before `then` runs, under the lock: nobody
    /// hears from this member after it left.
    fn writer_ended(&self, id: u64, stopped_reading: bool, then: impl FnOnce()) {
        let (notice, behind) = {
            let mut state = self.lock();
            match remove(&mut state, id) {
                Some(member) if !state.closing => {
                    let notice: Arc<str> =
                        format!("{}\n", left_notice(&member.name, stopped_reading)).into();
                    let behind = offer(&state, None, &notice);
                    (Some(notice), behind)
                }
                _ => (None, Vec::new()),
            }
        };
        then();
        if let Some(notice) = notice {
            wait_for(behind, &notice);
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

// ANCHOR: deliver
/// The first half of a delivery, under the room's lock: `line` goes into the queue of every
/// member but `except` that has room for it, which is almost always all of them. The members
/// without room are returned, for the talker to wait for ([`wait_for`]). Nothing is said once the
/// room is closing.
fn offer(state: &State, except: Option<u64>, line: &Arc<str>) -> Vec<Behind> {
    if state.closing {
        return Vec::new();
    }
    let mut behind = Vec::new();
    for member in state.members.iter().filter(|m| Some(m.id) != except) {
        if member.stopped_reading.load(Ordering::SeqCst) {
            continue;
        }
        match member.queue.try_send(Outgoing::Line(Arc::clone(line))) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => behind.push(Behind {
                queue: member.queue.clone(),
                stopped_reading: Arc::clone(&member.stopped_reading),
            }),
            // Its writer has ended; its own leaving is on the way.
            Err(TrySendError::Disconnected(_)) => {}
        }
    }
    behind
}

/// The second half, without the lock: the talker waits for room in each queue that was full.
/// Meanwhile its own thread reads nothing from its socket, so the talker is slowed down to the
/// pace of the room's readers, and everybody else in the room carries on. A member with no
/// room for [`READING_PATIENCE`] has stopped reading: it is marked so, its writer ends it, and
/// nobody waits for it again.
fn wait_for(behind: Vec<Behind>, line: &Arc<str>) {
    for member in behind {
        let outgoing = Outgoing::Line(Arc::clone(line));
        if let Err(SendTimeoutError::Timeout(_)) =
            member.queue.send_timeout(outgoing, READING_PATIENCE)
        {
            member.stopped_reading.store(true, Ordering::SeqCst);
        }
    }
}
// ANCHOR_END: deliver

// The room's notices, each in the server's language and without its `\n`: what the room sends,
// and what a program that runs a room in this process (a demo, a test) expects to read.

/// `* in the room: A, B` (`* in the room: nobody else yet` for none): what a member who joins
/// is told.
pub fn present_notice(names: &[&str]) -> String {
    let names = if names.is_empty() {
        crate::t!("room-nobody-else")
    } else {
        names.join(&crate::t!("room-names-separator"))
    };
    crate::t!("room-present", names = names)
}

/// The language of the room that sent `line`, if it is the notice a member who joins is told
/// ([`present_notice`]) in one of the course's languages. A program that joins a room it did
/// not start (`grade`, say, run in Chinese, against a student's English room) learns from it
/// what the room's other notices will look like.
pub fn notices_language(line: &str) -> Option<Lang> {
    [Lang::En, Lang::Zh].into_iter().find(|&lang| {
        let prefix = i18n_embed_fl::fl!(crate::i18n::loader_in(lang), "room-present", names = "");
        line.starts_with(&prefix)
    })
}

/// Whether `line` is the notice a member who joins is told, in either language.
pub fn is_present_notice(line: &str) -> bool {
    notices_language(line).is_some()
}

/// `* NAME joined`, in this process's language.
pub fn joined_notice(name: &str) -> String {
    joined_notice_in(crate::i18n::current(), name)
}

/// `* NAME joined`, in `lang`.
pub fn joined_notice_in(lang: Lang, name: &str) -> String {
    i18n_embed_fl::fl!(crate::i18n::loader_in(lang), "room-joined", name = name)
}

/// `* NAME left`, or `* NAME left (it stopped reading)`, in this process's language.
pub fn left_notice(name: &str, stopped_reading: bool) -> String {
    left_notice_in(crate::i18n::current(), name, stopped_reading)
}

/// `* NAME left`, or `* NAME left (it stopped reading)`, in `lang`.
pub fn left_notice_in(lang: Lang, name: &str, stopped_reading: bool) -> String {
    let loader = crate::i18n::loader_in(lang);
    if stopped_reading {
        i18n_embed_fl::fl!(loader, "room-left-stopped-reading", name = name)
    } else {
        i18n_embed_fl::fl!(loader, "room-left", name = name)
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
        self.room.deliver(Some(self.id), &line);
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
        let (notice, behind) = {
            let mut state = self.room.lock();
            // Still there, unless its writer ended it first (it stopped reading, or failed).
            if remove(&mut state, self.id).is_some() && !state.closing {
                info!("{} left", peer_text(&self.name));
                let notice: Arc<str> = format!("{}\n", left_notice(&self.name, false)).into();
                let behind = offer(&state, None, &notice);
                (Some(notice), behind)
            } else {
                (None, Vec::new())
            }
        };
        if let Some(notice) = notice {
            wait_for(behind, &notice);
        }
        // Its queue is closed now: the writer writes what is left in it and ends.
        if let Some(writer) = self.writer.take() {
            if writer.join().is_err() {
                log::error!("the writer thread of {} panicked: that is a bug", self.name);
            }
        }
    }
}

/// What a member's writer thread holds: its own handle on the member's socket, and the mark a
/// talker sets when it gave up waiting for the member.
struct Writer {
    id: u64,
    name: String,
    socket: TcpStream,
    stopped_reading: Arc<AtomicBool>,
}

/// Why a writer stopped before its queue was closed.
enum WriterEnd {
    /// No progress for [`READING_PATIENCE`], or a talker found the queue full that long.
    /// `unfinished` is the rest of a line the writer was half-way through.
    StoppedReading { unfinished: Vec<u8> },
    /// The connection failed (a reset; at shutdown, the server closed it).
    Failed(io::Error),
}

impl Writer {
    // ANCHOR: writer
    /// The writer's life: takes lines from its queue and writes them to its socket, many at a
    /// time when many are waiting, until the queue is closed (the member left), the member
    /// stopped reading, or a write fails.
    fn run(self, room: &Room, lines: Receiver<Outgoing>) {
        let mut batch: Vec<u8> = Vec::with_capacity(BATCH);
        let mut farewells = Vec::new();
        let closing_notice = closing_notice();
        let ended = loop {
            let Ok(first) = lines.recv() else {
                return; // The member left, and everything queued for it is written.
            };
            let mut next = Some(first);
            while let Some(outgoing) = next {
                match outgoing {
                    Outgoing::Line(line) => batch.extend_from_slice(line.as_bytes()),
                    Outgoing::Farewell(written) => {
                        batch.extend_from_slice(closing_notice.as_bytes());
                        batch.push(b'\n');
                        farewells.push(written);
                    }
                }
                next = if batch.len() < BATCH - LONGEST_LINE {
                    lines.try_recv().ok()
                } else {
                    None
                };
            }
            let written = self.write_all(&batch);
            batch.clear();
            // Written (or failed): either way, closing need not wait for this writer any more.
            farewells.clear();
            if let Err(end) = written {
                break end;
            }
        };
        // Nobody is to wait for room in this queue any more: the mark keeps new lines away, and
        // closing the queue tells a talker already waiting.
        self.stopped_reading.store(true, Ordering::SeqCst);
        drop(lines);
        match ended {
            WriterEnd::StoppedReading { unfinished } => {
                warn!(
                    "{} stopped reading (no room for its lines for {} s); disconnecting it",
                    self.name,
                    READING_PATIENCE.as_secs()
                );
                room.writer_ended(self.id, true, || {
                    self.tell_why_and_hang_up(&unfinished);
                });
            }
            WriterEnd::Failed(e) => {
                if e.kind() != ErrorKind::BrokenPipe {
                    info!("{}: {e}; disconnecting it", self.name);
                }
                room.writer_ended(self.id, false, || {
                    let _ = self.socket.shutdown(Shutdown::Both);
                });
            }
        }
    }
    // ANCHOR_END: writer

    /// Writes all of `batch`, one `write` at a time, unless the member turns out to have stopped
    /// reading first: its socket took no byte for [`READING_PATIENCE`], or a talker gave up
    /// waiting for room in its queue. (Each `write` waits at most [`WRITE_SLICE`], then
    /// returns what it managed, or a timeout if that is nothing; so the mark is looked at
    /// often, even while the socket is full.)
    fn write_all(&self, batch: &[u8]) -> Result<(), WriterEnd> {
        let mut rest = batch;
        let mut last_progress = Instant::now();
        while !rest.is_empty() {
            let stopped = self.stopped_reading.load(Ordering::SeqCst)
                || last_progress.elapsed() >= READING_PATIENCE;
            match (!stopped).then(|| (&self.socket).write(rest)) {
                Some(Ok(0)) => return Err(WriterEnd::Failed(ErrorKind::WriteZero.into())),
                Some(Ok(n)) => {
                    rest = &rest[n..];
                    last_progress = Instant::now();
                }
                Some(Err(e)) if e.kind() == ErrorKind::Interrupted || is_timeout(&e) => {}
                Some(Err(e)) => return Err(WriterEnd::Failed(e)),
                None => {
                    let written = batch.len() - rest.len();
                    let mid_line = written > 0 && batch[written - 1] != b'\n';
                    let unfinished = match rest.iter().position(|&b| b == b'\n') {
                        Some(end) if mid_line => rest[..=end].to_vec(),
                        _ => Vec::new(),
                    };
                    return Err(WriterEnd::StoppedReading { unfinished });
                }
            }
        }
        Ok(())
    }

    /// A member who stopped reading is told why, and hung up on. Its socket's send buffer is
    /// full (that is how we know), so there is no room for one more line: we make some, by
    /// asking for a slightly bigger buffer, which the kernel allows at any time. The notice then
    /// waits behind everything the member has not read yet: if it ever reads again, it reads
    /// that last, then the end of the stream. (If the kernel will not grow the buffer, the
    /// notice is not sent: the member is still hung up on.)
    fn tell_why_and_hang_up(&self, unfinished: &[u8]) {
        let socket = &self.socket;
        let _ = socket2::SockRef::from(socket).set_send_buffer_size(SEND_BUFFER + GOODBYE_ROOM);
        let _ = socket.set_write_timeout(Some(Duration::from_millis(100)));
        let last_words = [unfinished, stopped_reading().as_bytes(), b"\n"].concat();
        let _ = (&*socket).write_all(&last_words);
        // The end of the stream comes after the notice; and the member's reader thread, blocked
        // in `read`, is woken (it reads 0 bytes) and lets go of its membership.
        let _ = socket.shutdown(Shutdown::Both);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_1_to_16_letters_or_digits_of_any_script() {
        let sixteen_chinese = "小".repeat(16);
        for good in [
            "a",
            "Bob",
            "carol9",
            "0",
            "abcdefghijklmnop",
            "小明",
            "Émile",
            "Σωκράτης",
            "Юля",
            "١٢٣",
            &sixteen_chinese,
        ] {
            assert!(valid_name(good), "{good:?}");
        }
        // The limit counts characters: 16 Chinese characters are 48 bytes, and allowed; 17 are
        // not. No name is longer than MAX_NAME_BYTES.
        assert_eq!(sixteen_chinese.len(), 48);
        assert!("\u{10000}".len() * MAX_NAME <= MAX_NAME_BYTES);
        let seventeen_chinese = "小".repeat(17);
        for bad in [
            "",
            "abcdefghijklmnopq",
            &seventeen_chinese,
            "two words",
            "小 明",
            "小明！",
            "bob!",
            "[bob]",
            "a\tb",
            "\u{202e}bob",
            "bo\u{200b}b",
            "\x1b[2J",
        ] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn names_are_the_same_without_regard_to_case_in_any_script() {
        assert!(same_name("alice", "ALICE"));
        assert!(same_name("Émile", "éMILE"));
        assert!(same_name("小明", "小明"));
        assert!(!same_name("小明", "小红"));
        assert!(!same_name("alice", "alic"));
    }

    #[test]
    fn the_english_wire_is_what_the_constants_say() {
        // The tests of this crate run in English (the language of a process that chose none).
        assert_eq!(closing_notice(), CLOSING_NOTICE);
        assert_eq!(stopped_reading(), STOPPED_READING);
        assert_eq!(
            Refusal::Taken("alice".into()).told(),
            Refusal::Taken("alice".into()).to_string()
        );
        assert_eq!(Refusal::Invalid.told(), Refusal::Invalid.to_string());
        assert_eq!(Refusal::Busy.told(), Refusal::Busy.to_string());
        assert_eq!(Refusal::Closing.told(), Refusal::Closing.to_string());
        assert_eq!(left_notice("bob", true), "* bob left (it stopped reading)");
        assert_eq!(left_notice("bob", false), "* bob left");
        assert_eq!(joined_notice("小明"), "* 小明 joined");
        assert_eq!(present_notice(&[]), "* in the room: nobody else yet");
        assert_eq!(present_notice(&["a", "b"]), "* in the room: a, b");
        assert!(is_present_notice("* in the room: a"));
        assert!(!is_present_notice("* a joined"));
        // A room that speaks the other language is recognised too, and its notices known.
        assert_eq!(notices_language("* 聊天室里有：alice"), Some(Lang::Zh));
        assert_eq!(notices_language("* in the room: alice"), Some(Lang::En));
        assert_eq!(notices_language("[bob] * in the room: "), None);
        assert_eq!(joined_notice_in(Lang::Zh, "bob"), "* bob 加入了");
        assert_eq!(
            left_notice_in(Lang::Zh, "bob", true),
            "* bob 离开了（它不再读了）"
        );
        assert!(how_it_ended(b"* bob left").is_ok());
        let refused = how_it_ended(b"error: the name bob is taken; choose another").unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the room hung up on us: the name bob is taken; choose another"
        );
    }
}
