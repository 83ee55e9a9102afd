//! Lesson 9's chat room, played by several members at once (docs/contracts.md, "The chat room").
//!
//! A chat server answers nobody: what one member sends reaches the *others*. So a chat
//! experiment is played by a cast of members in one [`Room`], and what it observes is what each
//! of them heard, and in which order: every line a member takes is noted as [`Act::Hears`] (its
//! raw reads are noted too, as for any connection).
//!
//! Order is what makes these experiments deterministic without waiting for silence: a member's
//! lines reach each listener in the order the server took them, so "the sender got no copy of its
//! line" is checked by making the next line the sender hears somebody else's.
//!
//! A room is played one of two ways ([`Naming`]). The demo's members are called what it calls
//! them (`alice`, `bob`), and every line they hear must be the one expected. The grader's are
//! made unique (`alice4821n7`), because other members may come and go on the same server (an
//! earlier case's may still be leaving): wherever a member waits for a line of its own cast, it
//! skips notices (`* x left`) and lines of members that are not of the cast.

use crate::said::Said;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::record::Act;
use super::wire::{secs, shown};
use super::{Conn, Observations, Protocol, Recorder, Target};
use crate::probe::read_retrying;
use socket_lessons::i18n::Lang;
use socket_lessons::room;

/// The longest line the grader itself takes from the server: `[NAME] ` + a 1,000-byte line is
/// 1,019 bytes; anything near this is a line that never ended.
const LONGEST_HEARD: usize = 64 * 1024;

/// How a room's members are named, and how strictly they listen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// As the caller names them; every line heard must be the one expected.
    AsGiven,
    /// Unique in this run (`ROLE` + digits); notices and lines of members not of this room's
    /// cast are skipped where a line of the cast is awaited.
    Unique,
}

/// A room to play in: the server, the record of everything its members do, and its cast.
pub struct Room {
    target: Target,
    log: Recorder,
    naming: Naming,
    /// The names of the members this room made.
    cast: Arc<Mutex<Vec<String>>>,
}

impl Room {
    pub fn new(target: &Target, naming: Naming) -> Room {
        Room {
            target: target.clone(),
            log: Recorder::new(),
            naming,
            cast: Arc::default(),
        }
    }

    /// Everything observed so far.
    pub fn observations(&self) -> Observations {
        self.log.observations(Protocol::Chat)
    }

    /// How many events have been observed so far: a mark to tell a run from.
    pub fn mark(&self) -> usize {
        self.log.len()
    }

    /// A name for a member playing `role`, as the room names them.
    fn name_for(&self, role: &str) -> String {
        let name = match self.naming {
            Naming::AsGiven => role.to_string(),
            Naming::Unique => {
                static NEXT: AtomicU32 = AtomicU32::new(0);
                let n = NEXT.fetch_add(1, Ordering::Relaxed) % 100_000;
                format!("{role}{}n{n}", std::process::id() % 1000)
                    .chars()
                    .take(16)
                    .collect()
            }
        };
        self.cast
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(name.clone());
        name
    }

    /// A connection that has not named itself yet.
    pub fn connect(&self, role: &str) -> Result<Member, Said> {
        let name = self.name_for(role);
        let conn = Conn::open(&self.target, &name, &self.log)?;
        Ok(self.member(name, conn))
    }

    fn member(&self, name: String, conn: Conn) -> Member {
        Member {
            name,
            conn,
            buffer: Vec::new(),
            strict: self.naming == Naming::AsGiven,
            cast: Arc::clone(&self.cast),
            counted: None,
            lang: socket_lessons::i18n::current(),
        }
    }

    /// Connects and names itself; the server's first line must be `* in the room: …`, which is
    /// returned.
    pub fn join(&self, role: &str) -> Result<(Member, String), Said> {
        let mut member = self.connect(role)?;
        let present = member.name_itself()?;
        Ok((member, present))
    }

    /// A member that names itself and then never reads again; with `recv_buffer`, a small
    /// receive buffer of its own, so that the server's side fills soon.
    pub fn join_deaf(&self, role: &str, recv_buffer: Option<usize>) -> Result<Member, Said> {
        use socket2::{Domain, Socket, Type};
        let addr: SocketAddr = self.target.addr;
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)
            .map_err(|e| format!("cannot make a socket: {e}"))?;
        if let Some(size) = recv_buffer {
            let _ = socket.set_recv_buffer_size(size);
        }
        socket
            .connect_timeout(&addr.into(), self.target.patience)
            .map_err(|e| format!("cannot connect to {addr}: {e} (server gone?)"))?;
        let name = self.name_for(role);
        let conn = Conn::over(TcpStream::from(socket), &self.target, &name, &self.log)?;
        let mut member = self.member(name, conn);
        let name = member.name.clone();
        member.say(&name)?;
        Ok(member)
    }
}

/// What a member heard next.
enum Heard {
    Line(String),
    /// Nothing within the wait; `partial` is what came of a line without its end.
    Nothing {
        partial: Vec<u8>,
    },
    /// The server closed the connection.
    Ended,
    /// The server reset the connection.
    Reset,
    Failed(String),
}

/// One member of a room: a connection, and the bytes it has read that do not make a whole line
/// yet.
pub struct Member {
    pub name: String,
    conn: Conn,
    buffer: Vec<u8>,
    /// Whether every line must be the one expected (no skipping).
    strict: bool,
    cast: Arc<Mutex<Vec<String>>>,
    /// While a flood is heard: how many lines, and bytes, have been taken without noting each.
    counted: Option<(usize, u64)>,
    /// The language the room speaks, learnt from the notice this member was told on joining
    /// (a Chinese grade may join an English room): its other notices are expected in it.
    lang: Lang,
}

impl Member {
    /// This member's own address (a server's log names a member by it).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.conn.local_addr()
    }

    /// Sends the name, and reads the `* in the room: …` line that must answer it.
    pub fn name_itself(&mut self) -> Result<String, Said> {
        let name = self.name.clone();
        self.say(&name)?;
        match self.line() {
            Ok(line) if room::is_present_notice(&line) => {
                self.lang = room::notices_language(&line).unwrap_or(self.lang);
                Ok(line)
            }
            Ok(line) => Err(crate::said!(
                "scenario-chat-named-answered",
                name = name,
                line = shown(line.as_bytes())
            )),
            Err(e) => Err(crate::said!(
                "scenario-chat-named-then",
                name = name,
                why = e
            )),
        }
    }

    /// Writes `bytes` as they are, in one write.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), Said> {
        self.conn.write(bytes).map_err(|e| {
            crate::said!(
                "scenario-chat-could-not-send",
                name = self.name.clone(),
                error = e.to_string()
            )
        })
    }

    /// Sends `text` and its line end, in one write.
    pub fn say(&mut self, text: &str) -> Result<(), Said> {
        self.write(format!("{text}\n").as_bytes())
    }

    /// `* NAME joined`, in the language this member's room speaks (learnt when it joined).
    pub fn joined_notice(&self, name: &str) -> String {
        room::joined_notice_in(self.lang, name)
    }

    /// `* NAME left`, in the language this member's room speaks. A member dropped for not
    /// reading is announced with more after it (`* NAME left (it stopped reading)`), which
    /// begins with this.
    pub fn left_notice(&self, name: &str) -> String {
        room::left_notice_in(self.lang, name, false)
    }

    /// The line the others hear when this member says `text`.
    pub fn relayed(&self, text: &str) -> String {
        format!("[{}] {text}", self.name)
    }

    /// Whether `line` is none of this room's business: a notice, or a line of a member this
    /// room did not make. (Nothing is, to a strict member.)
    pub fn is_chatter(&self, line: &str) -> bool {
        if self.strict {
            return false;
        }
        if line.starts_with("* ") {
            return true;
        }
        let Some(sender) = line
            .strip_prefix('[')
            .and_then(|rest| rest.split_once("] "))
            .map(|(sender, _)| sender)
        else {
            return false;
        };
        !self
            .cast
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .any(|name| name == sender)
    }

    fn hear(&mut self) -> Heard {
        let mut chunk = [0u8; 8 * 1024];
        loop {
            if let Some(at) = self.buffer.iter().position(|&b| b == b'\n') {
                let mut line: Vec<u8> = self.buffer.drain(..=at).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                let line = String::from_utf8_lossy(&line).into_owned();
                self.took(&line);
                return Heard::Line(line);
            }
            if self.buffer.len() > LONGEST_HEARD {
                return Heard::Failed(format!(
                    "{} bytes without a line end: {}",
                    self.buffer.len(),
                    shown(&self.buffer)
                ));
            }
            match read_retrying(&mut self.conn, &mut chunk) {
                Ok(0) => return Heard::Ended,
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(e) if socket_lessons::timeout::is_timeout(&e) => {
                    return Heard::Nothing {
                        partial: std::mem::take(&mut self.buffer),
                    };
                }
                Err(e) if super::conn::is_reset(&e) => return Heard::Reset,
                Err(e) => return Heard::Failed(format!("the connection failed: {e}")),
            }
        }
    }

    /// Notes a line taken: as itself, or counted while a flood is heard.
    fn took(&mut self, line: &str) {
        match &mut self.counted {
            Some((lines, bytes)) => {
                *lines += 1;
                *bytes += line.len() as u64 + 1;
            }
            None => self.conn.note(Act::Hears {
                line: line.to_string(),
            }),
        }
    }

    /// The next line, or what came instead, said for a report.
    pub fn line(&mut self) -> Result<String, Said> {
        match self.hear() {
            Heard::Line(line) => Ok(line),
            Heard::Nothing { partial } if partial.is_empty() => Err(crate::said!(
                "scenario-chat-heard-nothing",
                name = self.name.clone(),
                secs = secs(self.conn.patience())
            )),
            Heard::Nothing { partial } => Err(crate::said!(
                "scenario-chat-no-line-end",
                name = self.name.clone(),
                partial = shown(&partial),
                secs = secs(self.conn.patience())
            )),
            Heard::Ended => Err(crate::said!(
                "scenario-chat-closed",
                name = self.name.clone()
            )),
            Heard::Reset => Err(crate::said!(
                "scenario-chat-reset",
                name = self.name.clone()
            )),
            Heard::Failed(e) => Err(format!("{}: {e}", self.name).into()),
        }
    }

    /// Reads lines until `want`, and returns the lines heard before it.
    pub fn lines_until(&mut self, want: &str) -> Result<Vec<String>, Said> {
        let mut before = Vec::new();
        loop {
            match self.line() {
                Ok(line) if line == want => return Ok(before),
                Ok(line) => before.push(line),
                Err(e) if before.is_empty() => {
                    return Err(crate::said!(
                        "scenario-chat-waiting-for",
                        want = shown(want.as_bytes()),
                        why = e
                    ));
                }
                Err(e) => {
                    return Err(crate::said!(
                        "scenario-chat-waiting-heard",
                        want = shown(want.as_bytes()),
                        name = self.name.clone(),
                        before = shown(before.join(" | ").as_bytes()),
                        why = e
                    ));
                }
            }
        }
    }

    /// Reads lines until `want`; notices and lines of members not of the cast may come first
    /// (unless the member is strict), anything else is an error at once.
    pub fn expect(&mut self, want: &str) -> Result<(), Said> {
        loop {
            match self.line() {
                Ok(line) if line == want => return Ok(()),
                Ok(line) if self.is_chatter(&line) => {}
                Ok(line) => {
                    return Err(crate::said!(
                        "scenario-chat-heard-where",
                        name = self.name.clone(),
                        line = shown(line.as_bytes()),
                        want = shown(want.as_bytes())
                    ));
                }
                Err(e) => {
                    return Err(crate::said!(
                        "scenario-chat-waiting-for",
                        want = shown(want.as_bytes()),
                        why = e
                    ));
                }
            }
        }
    }

    /// Listens for `moment`, keeping whatever comes (a later [`Member::expect`] sees it).
    pub fn listen(&mut self, moment: Duration) {
        let before = self.conn.set_wait(moment);
        let mut chunk = [0u8; 4096];
        while let Ok(n @ 1..) = read_retrying(&mut self.conn, &mut chunk) {
            self.buffer.extend_from_slice(&chunk[..n]);
        }
        self.conn.set_wait(before);
    }

    /// Listens for `moment`: nothing at all may come. `Err` says what did.
    pub fn expect_nothing(&mut self, moment: Duration) -> Result<(), Said> {
        if !self.buffer.is_empty() {
            return Err(crate::said!(
                "scenario-chat-expected-nothing",
                name = self.name.clone(),
                had = shown(&self.buffer)
            ));
        }
        let before = self.conn.set_wait(moment);
        let heard = self.conn.read_once(1024);
        self.conn.set_wait(before);
        match heard {
            Err(e) if socket_lessons::timeout::is_timeout(&e) => Ok(()),
            Err(e) => Err(format!("{}: {e}", self.name).into()),
            Ok(bytes) if bytes.is_empty() => Err(crate::said!(
                "scenario-chat-expected-nothing-closed",
                name = self.name.clone()
            )),
            Ok(bytes) => Err(crate::said!(
                "scenario-chat-expected-nothing-received",
                name = self.name.clone(),
                bytes = shown(&bytes)
            )),
        }
    }

    /// Takes, within `moment`, whatever lines have come, and drops whatever else: what a
    /// well-behaved talker does between the batches of a flood, so that only the silent member
    /// is silent. The lines taken are noted; returns them.
    pub fn catch_up(&mut self, moment: Duration) -> Vec<String> {
        let before = self.conn.set_wait(moment);
        let mut heard = Vec::new();
        loop {
            match self.hear() {
                Heard::Line(line) => heard.push(line),
                Heard::Nothing { partial } => {
                    // A partial line stays for the next time; a line that never ends does not.
                    if partial.len() <= LONGEST_HEARD {
                        self.buffer = partial;
                    }
                    break;
                }
                Heard::Failed(_) => {
                    self.buffer.clear();
                    break;
                }
                Heard::Ended | Heard::Reset => break,
            }
        }
        self.conn.set_wait(before);
        heard
    }

    /// Waits for the server to end this connection, noting every line heard first. `Ok`: the
    /// lines, then an end (or a reset); `Err`: why it did not end.
    pub fn until_end(&mut self) -> Result<Vec<String>, (Vec<String>, Said)> {
        let mut heard = Vec::new();
        loop {
            match self.hear() {
                Heard::Line(line) => heard.push(line),
                Heard::Ended | Heard::Reset => return Ok(heard),
                Heard::Nothing { .. } => {
                    let why = crate::said!(
                        "scenario-chat-stayed-open",
                        secs = secs(self.conn.patience())
                    );
                    return Err((heard, why));
                }
                Heard::Failed(e) => return Err((heard, e.into())),
            }
        }
    }

    /// Leaves: closes its sending side and reads (taking the notices still coming) until the
    /// server hangs up, which it does once the member is out of the room.
    pub fn leave(mut self) -> Result<(), Said> {
        self.conn.half_close();
        let ended = self.until_end().map(|_| ()).map_err(|(_, why)| why);
        self.conn.close();
        ended
    }

    /// Closes the connection at once, reading nothing more.
    pub fn close(self) {
        self.conn.close();
    }

    /// Closes with a reset, as a killed client does.
    pub fn reset(self) {
        self.conn.reset();
    }
}

// =============================================================================================
// The experiments
// =============================================================================================

/// "Members join, one after the other": each newcomer is told who is present, and those present
/// that it joined. Each joins once the ones before have heard of the one before it. Returns the
/// members, and what each was told on joining.
pub fn join_in_turn(room: &Room, roles: &[&str]) -> Result<(Vec<Member>, Vec<String>), Said> {
    let mut members: Vec<Member> = Vec::new();
    let mut told = Vec::new();
    for role in roles {
        let (newcomer, present) = room.join(role)?;
        let joined = newcomer.joined_notice(&newcomer.name);
        for member in &mut members {
            member.expect(&joined)?;
        }
        members.push(newcomer);
        told.push(present);
    }
    Ok((members, told))
}

/// "One line, in pieces": `sender` writes `pieces` (together one line, `text` and its `\n`);
/// the first listener listens `between` pieces (whatever it hears then, it keeps); then every
/// listener must hear the line once, whole, from the sender.
pub fn line_in_pieces(
    sender: &mut Member,
    listeners: &mut [&mut Member],
    pieces: &[&[u8]],
    between: Duration,
    text: &str,
) -> Result<(), Said> {
    for (i, piece) in pieces.iter().enumerate() {
        sender.write(piece)?;
        if i + 1 < pieces.len() {
            if let Some(first) = listeners.first_mut() {
                first.listen(between);
            }
        }
    }
    let want = sender.relayed(text);
    for listener in listeners {
        listener.expect(&want)?;
    }
    Ok(())
}

/// "A member who leaves": `member` closes its end, and each of `others` is told it left.
pub fn leave(member: Member, others: &mut [&mut Member]) -> Result<(), Said> {
    let left = member.left_notice(&member.name);
    // However the server ends it, what counts is that the others are told.
    let _ = member.leave();
    for other in others {
        other.expect(&left)?;
    }
    Ok(())
}

/// How a flood is sent past a member that never reads.
pub struct Flood {
    /// At most this many lines.
    pub lines: usize,
    /// Each line is its number (`digits` wide), a space, and `filler` bytes of `x`.
    pub digits: usize,
    pub filler: usize,
    /// Lines per write; every listener reads each batch before the next is written.
    pub per_write: usize,
    /// Once the silent member has been dropped, this many lines more, then stop (`None`: send
    /// them all).
    pub after_drop: Option<usize>,
}

impl Flood {
    /// Line number `i`, without its line end.
    pub fn line(&self, i: usize) -> String {
        format!("{i:0w$} {}", "x".repeat(self.filler), w = self.digits)
    }
}

/// What became of a flood past a member that never reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flooded {
    /// Every listener heard every one of the `sent` lines, in order; the silent member was
    /// dropped (the first listener told so) after `dropped_after` lines, or never.
    AllHeard {
        sent: usize,
        dropped_after: Option<usize>,
    },
    /// A write of the talker's failed after `sent` lines: the server stopped reading it.
    TalkerStalled { sent: usize, why: Said },
    /// Where line number `line` was expected, a listener heard `heard`.
    WrongLine { line: usize, heard: String },
    /// After `line` of the lines sent, a listener heard nothing more: `why`.
    Stalled { line: usize, why: Said },
}

/// "A member who never reads": `talker` sends `flood` in batches past `deaf` (a member that
/// never reads), and every listener reads each batch before the next goes out. The room must
/// drop the silent member (`* NAME left…`), and carry on. The flood is noted as counts (the
/// talker's writes as [`Act::Floods`], each listener's reads and lines as [`Act::ReadsMany`] and
/// [`Act::HearsMany`]); the notice, and any other line a listener heard, as itself.
pub fn never_reads(
    talker: &mut Member,
    listeners: &mut [&mut Member],
    deaf: &Member,
    flood: &Flood,
) -> Flooded {
    // `* NAME left`, which begins `* NAME left (it stopped reading)` too.
    let dropped = talker.left_notice(&deaf.name);
    let from = format!("[{}] ", talker.name);
    talker.conn.start_counting();
    for listener in listeners.iter_mut() {
        listener.counted = Some((0, 0));
        listener.conn.start_counting();
    }
    let finding = send_flood(talker, listeners, flood, &dropped, &from);
    talker.conn.stop_counting();
    for listener in listeners.iter_mut() {
        listener.conn.stop_counting();
        if let Some((lines, bytes)) = listener.counted.take() {
            listener.conn.note(Act::HearsMany { lines, bytes });
        }
    }
    finding
}

fn send_flood(
    talker: &mut Member,
    listeners: &mut [&mut Member],
    flood: &Flood,
    dropped: &str,
    from: &str,
) -> Flooded {
    let mut dropped_after: Option<usize> = None;
    let mut sent = 0;
    loop {
        let stop_at = match (dropped_after, flood.after_drop) {
            (Some(at), Some(more)) => (at + more).min(flood.lines),
            _ => flood.lines,
        };
        if sent >= stop_at {
            return Flooded::AllHeard {
                sent,
                dropped_after,
            };
        }
        let batch: String = (sent..sent + flood.per_write)
            .map(|i| format!("{}\n", flood.line(i)))
            .collect();
        if let Err(why) = talker.write(batch.as_bytes()) {
            return Flooded::TalkerStalled { sent, why };
        }
        for (n, listener) in listeners.iter_mut().enumerate() {
            for i in sent..sent + flood.per_write {
                let want = format!("{from}{}", flood.line(i));
                let line = loop {
                    match listener.line() {
                        Ok(line) if line.starts_with(dropped) => {
                            // The notice itself is noted, not counted.
                            listener.uncount(&line);
                            if n == 0 {
                                dropped_after.get_or_insert(i);
                            }
                        }
                        Ok(line) if line != want && listener.is_chatter(&line) => {
                            listener.uncount(&line);
                        }
                        other => break other,
                    }
                };
                match line {
                    Ok(line) if line == want => {}
                    Ok(heard) => {
                        listener.uncount(&heard);
                        return Flooded::WrongLine { line: i, heard };
                    }
                    Err(why) => return Flooded::Stalled { line: i, why },
                }
            }
        }
        sent += flood.per_write;
        // A well-behaved talker reads what it is sent (nothing but notices, from a room that
        // keeps the rule), so that only the silent member is silent.
        talker.catch_up(Duration::from_millis(1));
    }
}

impl Member {
    /// A line just counted that is to be noted as itself after all (a notice in a flood).
    fn uncount(&mut self, line: &str) {
        if let Some((lines, bytes)) = &mut self.counted {
            *lines -= 1;
            *bytes -= line.len() as u64 + 1;
        }
        self.conn.note(Act::Hears {
            line: line.to_string(),
        });
    }
}
