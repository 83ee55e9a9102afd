//! Exercise 9, solved: the chat room (TCP 聊天室).
//!
//! Connections that talk to each other: each member has a thread, as in lesson 4, and a line one
//! member sends reaches every other as `[NAME] text`. A message is a line (the third cure for
//! sticky packets: a delimiter), read whole however TCP cut it. Nobody waits for a slow member:
//! each has a bounded queue and a writer thread, and a member whose queue is full is dropped.
//! The client prints what arrives while you type. The worked stage is `src/lessons/chat_room.rs`
//! (with `src/room.rs` and `src/line.rs`).

use std::env;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

/// The stage's own address: this program and `cargo run --bin lesson9` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8009";

/// The longest line, in bytes, without its line end.
const MAX_LINE: usize = 1000;

/// The longest name, in characters: letters or digits of any script (`alice`, `小明`, `Émile`).
/// A character is at most 4 bytes of UTF-8, so a name is at most 64 bytes.
const MAX_NAME: usize = 16;

/// How many lines may wait for one member's writer before the member counts as gone.
const QUEUE: usize = 1024;

/// How long a writer waits for a write that makes no progress.
const WRITE_PATIENCE: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: lesson9 server|client [--addr HOST:PORT]");
        return ExitCode::from(2);
    };
    let result = match options.mode.as_str() {
        "server" => server(&options.addr),
        _ => client(&options.addr),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What the command line asked for.
struct Options {
    /// `server` or `client`.
    mode: String,
    addr: String,
}

/// `server` or `client`, then `--addr HOST:PORT` if given. `None` for anything else.
fn parse_args() -> Option<Options> {
    let mut args = env::args().skip(1);
    let mode = args
        .next()
        .filter(|mode| mode == "server" || mode == "client")?;
    let mut options = Options {
        mode,
        addr: DEFAULT_ADDR.to_string(),
    };
    while let Some(flag) = args.next() {
        let value = args.next()?;
        match flag.as_str() {
            "--addr" => options.addr = value,
            _ => return None,
        }
    }
    Some(options)
}

/// One member of the room.
struct Member {
    /// Tells two members of one name apart over time (one left, another took the name).
    id: u64,
    name: String,
    /// Lines for this member; its writer thread, the only one that writes to its socket,
    /// empties it. Bounded: putting a line in never waits.
    queue: SyncSender<Arc<str>>,
    /// The member's socket, to cut it off when it stops reading.
    conn: TcpStream,
}

/// Everyone who has named themselves, in the order they joined, under one lock.
type Room = Arc<Mutex<Vec<Member>>>;

/// Serves every member at the same time, each on its own thread, until the program is stopped.
fn server(addr: &str) -> io::Result<()> {
    let listener = TcpListener::bind(addr)?;
    eprintln!("listening on {}", listener.local_addr()?);
    let room: Room = Arc::default();
    let ids = AtomicU64::new(0);
    loop {
        let (conn, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("accept: {e}");
                continue;
            }
        };
        eprintln!("{peer} connected");
        let room = Arc::clone(&room);
        let id = ids.fetch_add(1, Ordering::Relaxed);
        let spawned = thread::Builder::new()
            .name(format!("client {peer}"))
            .spawn(move || serve_one_member(conn, peer, id, &room));
        if let Err(e) = spawned {
            eprintln!("{peer}: cannot start a thread ({e}); hanging up");
        }
    }
}

/// The communication loop: the first line is the member's name, every line after it is said to
/// the room, until the member leaves.
fn serve_one_member(conn: TcpStream, peer: SocketAddr, id: u64, room: &Room) {
    // Three more handles on the one socket: one to read from, one the writer thread owns, one
    // the room keeps to cut the member off. Without a file descriptor for them: hang up.
    let (Ok(reading), Ok(writing), Ok(in_room)) =
        (conn.try_clone(), conn.try_clone(), conn.try_clone())
    else {
        return eprintln!("{peer}: no file descriptor left; hanging up");
    };
    // Lines, not reads: a message is everything up to a `\n`, however TCP cut it up.
    let mut lines = BufReader::new(reading);
    let Ok(Some(name)) = read_line(&mut lines) else {
        return eprintln!("{peer}: no name");
    };
    let (queue, lines_for_us) = mpsc::sync_channel(QUEUE);
    let member = Member {
        id,
        name: name.clone(),
        queue,
        conn: in_room,
    };
    if let Err(refusal) = join(room, member) {
        // Not a member: nobody hears of it, and this one is told why before we hang up.
        let _ = (&conn).write_all(format!("{refusal}\n").as_bytes());
        let _ = conn.shutdown(Shutdown::Both);
        return;
    }
    let writer = thread::spawn(move || write_lines(writing, lines_for_us));
    loop {
        match read_line(&mut lines) {
            // An empty line is no message.
            Ok(Some(text)) if text.is_empty() => {}
            Ok(Some(text)) => say(room, id, &format!("[{name}] {text}")),
            // The end of the stream: the member closed its end.
            Ok(None) => break,
            // A line too long, not UTF-8, a reset: this member is gone, but the room is fine.
            Err(e) => {
                eprintln!("{peer}: {e}; ending this connection");
                tell(room, id, &format!("error: {e}"));
                break;
            }
        }
    }
    leave(room, id, "left");
    // The writer finishes what is queued (the error line, say), then ends; only then do we
    // hang up, so a member who reads to the end hears everything.
    let _ = writer.join();
    let _ = conn.shutdown(Shutdown::Both);
}

/// Reads one line: `Ok(None)` at the end of the stream. A line is at most [`MAX_LINE`] bytes
/// without its end (`\n`, or `\r\n`), and UTF-8 text; bytes after the last `\n` are one last
/// line.
// ANCHOR: read_line
fn read_line(lines: &mut BufReader<TcpStream>) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    // Never more than one byte past the limit: a reader must stop somewhere, or a peer that
    // never sends `\n` fills its memory.
    lines
        .by_ref()
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut line)?;
    if line.is_empty() {
        return Ok(None);
    }
    if line.last() == Some(&b'\n') {
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
    }
    if line.len() > MAX_LINE {
        return Err(io::Error::new(
            ErrorKind::InvalidData,
            format!("a line is longer than {MAX_LINE} bytes"),
        ));
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| io::Error::new(ErrorKind::InvalidData, "a line is not UTF-8 text"))
}
// ANCHOR_END: read_line

/// Whether two names are the same name, without regard to case in any script (`Émile` and
/// `émile`, `Alice` and `ALICE`).
fn same_name(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// Puts `member` in the room, tells it who is there and the others that it joined; or says why
/// not.
fn join(room: &Room, member: Member) -> Result<(), String> {
    let name = &member.name;
    // Counted in characters, as a person counts them, and each a letter or a digit of any
    // script (`char::is_alphanumeric`): so never a space, a bracket or an invisible control.
    let valid = (1..=MAX_NAME).contains(&name.chars().count())
        && name.chars().all(char::is_alphanumeric);
    if !valid {
        return Err(format!(
            "error: a name is 1 to {MAX_NAME} letters or digits, in any script"
        ));
    }
    let mut members = room.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(present) = members.iter().find(|m| same_name(&m.name, name)) {
        return Err(format!(
            "error: the name {} is taken; choose another",
            present.name
        ));
    }
    let present: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
    let welcome = if present.is_empty() {
        "* in the room: nobody else yet".to_string()
    } else {
        format!("* in the room: {}", present.join(", "))
    };
    let _ = member.queue.try_send(line(&welcome));
    let joined = line(&format!("* {name} joined"));
    for other in members.iter() {
        let _ = other.queue.try_send(Arc::clone(&joined));
    }
    members.push(member);
    Ok(())
}

/// Says `text` to every member but `from`. Never waits: a member whose queue is full has
/// stopped reading, and is dropped.
// ANCHOR: broadcast
fn say(room: &Room, from: u64, text: &str) {
    let text = line(text);
    let mut members = room.lock().unwrap_or_else(PoisonError::into_inner);
    let mut stopped_reading = Vec::new();
    for member in members.iter().filter(|m| m.id != from) {
        if let Err(TrySendError::Full(_)) = member.queue.try_send(Arc::clone(&text)) {
            stopped_reading.push(member.id);
        }
    }
    for id in stopped_reading {
        remove(&mut members, id, "left (it stopped reading)");
    }
}
// ANCHOR_END: broadcast

/// Says `text` to member `to` alone.
fn tell(room: &Room, to: u64, text: &str) {
    let members = room.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(member) = members.iter().find(|m| m.id == to) {
        let _ = member.queue.try_send(line(text));
    }
}

/// Takes member `id` out of the room, if it is still there, and tells the others.
fn leave(room: &Room, id: u64, how: &str) {
    let mut members = room.lock().unwrap_or_else(PoisonError::into_inner);
    remove(&mut members, id, how);
}

fn remove(members: &mut Vec<Member>, id: u64, how: &str) {
    let Some(at) = members.iter().position(|m| m.id == id) else {
        return;
    };
    let gone = members.remove(at);
    if how != "left" {
        // Dropped by the room: cut it off, which ends its reader and its writer too.
        let _ = gone.conn.shutdown(Shutdown::Both);
    }
    let notice = line(&format!("* {} {how}", gone.name));
    for other in members.iter() {
        let _ = other.queue.try_send(Arc::clone(&notice));
    }
    // `gone.queue` is dropped here: its writer ends once it has written what was queued.
}

/// A line as it goes on the wire, made once and shared by every member it goes to.
fn line(text: &str) -> Arc<str> {
    Arc::from(format!("{text}\n"))
}

/// A member's writer: the only thread that writes to its socket.
fn write_lines(mut conn: TcpStream, lines: Receiver<Arc<str>>) {
    let _ = conn.set_write_timeout(Some(WRITE_PATIENCE));
    for line in lines {
        if conn.write_all(line.as_bytes()).is_err() {
            // Its socket failed, or made no progress for WRITE_PATIENCE: cut it off, which
            // ends its reader, which leaves the room.
            let _ = conn.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Sends each non-empty typed line (the first is our name), and prints every line that arrives
/// as it arrives, until the input ends, a line says `q`, or the server hangs up.
fn client(addr: &str) -> io::Result<()> {
    let phone = TcpStream::connect(addr)?;
    let mut sending = phone.try_clone()?;
    // Typing on a thread of its own, so that what arrives is printed at once, not when the
    // user next presses Enter.
    thread::spawn(move || -> io::Result<()> {
        for line in io::stdin().lines() {
            let line = line?;
            if line.is_empty() {
                continue;
            }
            if line == "q" {
                break;
            }
            sending.write_all(format!("{line}\n").as_bytes())?;
        }
        // Leaving: the server sees the end of our stream, tells the room, and hangs up.
        sending.shutdown(Shutdown::Write)
    });
    let mut stdout = io::stdout();
    for line in BufReader::new(phone).split(b'\n') {
        let mut line = line?;
        line.push(b'\n');
        stdout.write_all(&line)?;
        stdout.flush()?;
    }
    Ok(())
}
