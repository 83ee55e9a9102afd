//! The chat cases: lesson 9's room, graded from the outside (docs/contracts.md, "The chat
//! room"). A chat server answers nobody: what one member sends reaches the *others*. So every
//! case here is played by several members at once, and a verdict is about what each of them
//! heard, in which order.
//!
//! Order is what makes these cases deterministic without waiting for silence: a member's lines
//! reach each listener in the order the server took them, so "the sender got no copy of its line"
//! is checked by making the next line the sender hears somebody else's, and "nobody heard of the
//! refused name" by the next notice being a later member's joining.
//!
//! Other members may come and go on the same server: an earlier case's members may still be
//! leaving, and a line one of them sent last may reach a member of the next case. So wherever a
//! case waits for a line of its own members, it skips notices (`* x left`) and lines of members
//! that are not its own (the cast: every name made on the case's thread, since each case runs on
//! a thread of its own).

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use super::{Outcome, Target, Verdict};
use crate::probe::read_retrying;
use crate::scenario::wire::{secs, shown};

/// The longest line the wire allows (`line::MAX_LINE`), and so the shortest refused.
const MAX_LINE: usize = socket_lessons::line::MAX_LINE;

/// The longest line the grader itself takes from the server: `[NAME] ` + a 1,000-byte line is
/// 1,019 bytes; anything near this is a line that never ended.
const LONGEST_HEARD: usize = 64 * 1024;

/// How long the grader listens between two pieces of a split line (as the other protocols'
/// split cases do): long enough for the server's read to return with the piece alone.
const BETWEEN_PIECES: Duration = Duration::from_millis(30);

thread_local! {
    /// The names of the members this case made (a case runs on a thread of its own).
    static CAST: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A name no other member of this run has: letters and digits, at most 16 (`alice4821n7`).
fn fresh_name(role: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed) % 100_000;
    let name: String = format!("{role}{}n{n}", std::process::id() % 1000)
        .chars()
        .take(16)
        .collect();
    CAST.with(|cast| cast.borrow_mut().push(name.clone()));
    name
}

/// Whether `line` is none of this case's business: a notice, or a line of a member this case
/// did not make.
fn is_chatter(line: &str) -> bool {
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
    !CAST.with(|cast| cast.borrow().iter().any(|name| name == sender))
}

/// What a member heard next.
enum Heard {
    Line(String),
    /// Nothing within the patience; `partial` is what came of a line without its end.
    Nothing {
        partial: Vec<u8>,
    },
    /// The server closed the connection.
    Ended,
    /// The server reset the connection.
    Reset,
    Failed(String),
}

/// One member of the room, as the grader plays it: a connection, and the bytes it has read
/// that do not make a whole line yet.
pub struct Member {
    pub name: String,
    stream: TcpStream,
    buffer: Vec<u8>,
    patience: Duration,
}

impl Member {
    /// A connection that has not named itself yet.
    fn connect(t: &Target, role: &str) -> Result<Member, String> {
        let stream = TcpStream::connect_timeout(&t.addr, t.patience)
            .map_err(|e| format!("cannot connect to {}: {e} (server gone?)", t.addr))?;
        Member::over(stream, t, role)
    }

    fn over(stream: TcpStream, t: &Target, role: &str) -> Result<Member, String> {
        stream
            .set_read_timeout(Some(t.patience))
            .and_then(|()| stream.set_write_timeout(Some(t.patience)))
            .and_then(|()| stream.set_nodelay(true))
            .map_err(|e| format!("cannot set up a connection: {e}"))?;
        Ok(Member {
            name: fresh_name(role),
            stream,
            buffer: Vec::new(),
            patience: t.patience,
        })
    }

    /// Connects and names itself; the server's first line must be `* in the room: …`, which
    /// is returned.
    fn join(t: &Target, role: &str) -> Result<(Member, String), String> {
        let mut member = Member::connect(t, role)?;
        let present = member.name_itself()?;
        Ok((member, present))
    }

    /// Sends the name, and reads the `* in the room: …` line that must answer it.
    fn name_itself(&mut self) -> Result<String, String> {
        let name = self.name.clone();
        self.say(&name)?;
        match self.line() {
            Ok(line) if line.starts_with("* in the room:") => Ok(line),
            Ok(line) => Err(format!(
                "{name} named itself and was answered {} instead of \"* in the room: …\"",
                shown(line.as_bytes())
            )),
            Err(e) => Err(format!("{name} named itself and then: {e}")),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.stream
            .write_all(bytes)
            .map_err(|e| format!("{} could not send ({e})", self.name))
    }

    /// Sends `text` and its line end, in one write.
    fn say(&mut self, text: &str) -> Result<(), String> {
        self.write(format!("{text}\n").as_bytes())
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
                return Heard::Line(String::from_utf8_lossy(&line).into_owned());
            }
            if self.buffer.len() > LONGEST_HEARD {
                return Heard::Failed(format!(
                    "{} bytes without a line end: {}",
                    self.buffer.len(),
                    shown(&self.buffer)
                ));
            }
            match read_retrying(&mut self.stream, &mut chunk) {
                Ok(0) => return Heard::Ended,
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(e) if socket_lessons::timeout::is_timeout(&e) => {
                    return Heard::Nothing {
                        partial: std::mem::take(&mut self.buffer),
                    };
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted
                    ) =>
                {
                    return Heard::Reset;
                }
                Err(e) => return Heard::Failed(format!("the connection failed: {e}")),
            }
        }
    }

    /// The next line, or what came instead, said for a report.
    fn line(&mut self) -> Result<String, String> {
        match self.hear() {
            Heard::Line(line) => Ok(line),
            Heard::Nothing { partial } if partial.is_empty() => Err(format!(
                "{} heard nothing within {} s",
                self.name,
                secs(self.patience)
            )),
            Heard::Nothing { partial } => Err(format!(
                "{} heard {} and then nothing for {} s (no line end)",
                self.name,
                shown(&partial),
                secs(self.patience)
            )),
            Heard::Ended => Err(format!("the server closed the connection of {}", self.name)),
            Heard::Reset => Err(format!("the server reset the connection of {}", self.name)),
            Heard::Failed(e) => Err(format!("{}: {e}", self.name)),
        }
    }

    /// Reads lines until `want`, and returns the lines heard before it.
    fn lines_until(&mut self, want: &str) -> Result<Vec<String>, String> {
        let mut before = Vec::new();
        loop {
            match self.line() {
                Ok(line) if line == want => return Ok(before),
                Ok(line) => before.push(line),
                Err(e) if before.is_empty() => {
                    return Err(format!("waiting for {}: {e}", shown(want.as_bytes())));
                }
                Err(e) => {
                    return Err(format!(
                        "waiting for {}, {} heard {} then: {e}",
                        shown(want.as_bytes()),
                        self.name,
                        shown(before.join(" | ").as_bytes())
                    ));
                }
            }
        }
    }

    /// Reads lines until `want`; notices (`* …`) and lines of members not this case's may come
    /// first, anything else is an error at once.
    fn expect(&mut self, want: &str) -> Result<(), String> {
        loop {
            match self.line() {
                Ok(line) if line == want => return Ok(()),
                Ok(line) if is_chatter(&line) => {}
                Ok(line) => {
                    return Err(format!(
                        "{} heard {} where {} was expected",
                        self.name,
                        shown(line.as_bytes()),
                        shown(want.as_bytes())
                    ));
                }
                Err(e) => return Err(format!("waiting for {}: {e}", shown(want.as_bytes()))),
            }
        }
    }

    /// Waits for the server to end this connection, noting every line heard first. `Ok`: the
    /// lines, then an end (or a reset); `Err`: why it did not end.
    fn until_end(&mut self) -> Result<Vec<String>, (Vec<String>, String)> {
        let mut heard = Vec::new();
        loop {
            match self.hear() {
                Heard::Line(line) => heard.push(line),
                Heard::Ended | Heard::Reset => return Ok(heard),
                Heard::Nothing { .. } => {
                    let why = format!(
                        "the connection stayed open ({} s without a word or an end)",
                        secs(self.patience)
                    );
                    return Err((heard, why));
                }
                Heard::Failed(e) => return Err((heard, e)),
            }
        }
    }
}

/// The line the others hear when `from` says `text`.
fn relayed_as(from: &Member, text: &str) -> String {
    format!("[{}] {text}", from.name)
}

/// Runs a case body: `Ok(observed)` is a PASS, `Err(observed)` a FAIL.
fn judged(expected: &str, body: impl FnOnce() -> Result<String, String>) -> Outcome {
    match body() {
        Ok(observed) => Outcome::pass(expected, observed),
        Err(observed) => Outcome::fail(expected, observed),
    }
}

/// Two members, `a` joined first and then `b`, each having heard the other arrive as far as
/// the protocol says (`a` hears `* b joined`).
fn pair(t: &Target) -> Result<(Member, Member), String> {
    let (mut a, _) = Member::join(t, "alice")?;
    let (b, _) = Member::join(t, "bob")?;
    a.expect(&format!("* {} joined", b.name))?;
    Ok((a, b))
}

// =============================================================================================
// 1 basics
// =============================================================================================

/// 1.7: a's line reaches b and c as `[a] text`; a's next line is b's, not its own copy.
pub fn reaches_the_others(t: &Target) -> Outcome {
    judged(
        "b and c hear \"[a] text\"; a hears no copy of its own line",
        || {
            let (mut a, mut b) = pair(t)?;
            let (mut c, _) = Member::join(t, "carol")?;
            a.expect(&format!("* {} joined", c.name))?;
            b.expect(&format!("* {} joined", c.name))?;
            a.say("hello room")?;
            b.expect(&relayed_as(&a, "hello room"))?;
            c.expect(&relayed_as(&a, "hello room"))?;
            // If a's own copy was coming, it was queued before anything said after it.
            b.say("ping")?;
            a.expect(&relayed_as(&b, "ping")).map_err(|e| {
                if e.contains(&relayed_as(&a, "hello room")) {
                    format!("{e}: the sender got its own line back")
                } else {
                    e
                }
            })?;
            Ok("both others heard it; the sender's next line was the next member's".into())
        },
    )
}

/// 1.8: the list of who is present, and the join notice to the others.
pub fn join_notices(t: &Target) -> Outcome {
    judged(
        "b is told \"* in the room: …, a\"; a is told \"* b joined\"",
        || {
            let (mut a, _) = Member::join(t, "alice")?;
            let (b, present) = Member::join(t, "bob")?;
            let names: Vec<&str> = present
                .trim_start_matches("* in the room:")
                .split(',')
                .map(str::trim)
                .collect();
            if !names.contains(&a.name.as_str()) {
                return Err(format!(
                    "{} was told {}, which does not name {}",
                    b.name,
                    shown(present.as_bytes()),
                    a.name
                ));
            }
            a.expect(&format!("* {} joined", b.name))?;
            Ok(format!(
                "{}, and \"* {} joined\"",
                shown(present.as_bytes()),
                b.name
            ))
        },
    )
}

/// 1.9: a member who closes its end is announced as gone.
pub fn leave_notice(t: &Target) -> Outcome {
    judged("a is told \"* b left\" once b closes its end", || {
        let (mut a, b) = pair(t)?;
        let name = b.name.clone();
        drop(b);
        a.expect(&format!("* {name} left"))?;
        Ok(format!("\"* {name} left\""))
    })
}

/// 1.2 (and any plain relay): `text` from a reaches b exactly.
pub fn relayed(t: &Target, text: &str) -> Outcome {
    judged(&format!("\"[a] {text}\", byte for byte"), || {
        let (mut a, mut b) = pair(t)?;
        a.say(text)?;
        b.expect(&relayed_as(&a, text))?;
        Ok("relayed unchanged".into())
    })
}

/// 1.10: the longest line the wire allows.
pub fn longest_line(t: &Target) -> Outcome {
    // 1,000 bytes, some of them Chinese (3 bytes each): the limit counts bytes, not letters.
    let mut text = String::new();
    for c in "你好, room. ".chars().cycle() {
        if text.len() + c.len_utf8() > MAX_LINE {
            break;
        }
        text.push(c);
    }
    while text.len() < MAX_LINE {
        text.push('.');
    }
    relayed(t, &text)
}

/// 1.11: a connection that has not named itself is not a member, and hears nothing.
pub fn unnamed_hears_nothing(t: &Target) -> Outcome {
    judged(
        "its first line, once it names itself, is \"* in the room: …\"",
        || {
            let mut quiet = Member::connect(t, "quiet")?;
            let (mut a, mut b) = pair(t)?;
            a.say("not for the unnamed")?;
            b.expect(&relayed_as(&a, "not for the unnamed"))?;
            quiet.name_itself().map_err(|e| {
                format!("{e}: a connection that had not named itself heard the room")
            })?;
            Ok("it heard nothing before its name".into())
        },
    )
}

// =============================================================================================
// 2 framing
// =============================================================================================

/// Sends `line` (with its `\n`) from a in `pieces`, listening at b between pieces, and checks
/// that b hears it as one line.
fn in_pieces(a: &mut Member, b: &mut Member, pieces: &[&[u8]], text: &str) -> Result<(), String> {
    for (i, piece) in pieces.iter().enumerate() {
        a.write(piece)?;
        if i + 1 < pieces.len() {
            // Whatever b hears now stays in its buffer, and shows in what it heard below.
            let _ = b.stream.set_read_timeout(Some(BETWEEN_PIECES));
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = read_retrying(&mut b.stream, &mut chunk) {
                b.buffer.extend_from_slice(&chunk[..n]);
            }
            let _ = b.stream.set_read_timeout(Some(b.patience));
        }
    }
    let want = relayed_as(a, text);
    b.expect(&want)
}

/// 2.2: a line written in two pieces, cut at every offset, arrives as one line.
pub fn split_at_every_offset(t: &Target) -> Outcome {
    let text = "split line";
    judged(&format!("\"[a] {text}\" for every split"), || {
        let (mut a, mut b) = pair(t)?;
        let line = format!("{text}\n");
        for at in 1..line.len() {
            let (head, tail) = line.as_bytes().split_at(at);
            in_pieces(&mut a, &mut b, &[head, tail], text).map_err(|e| {
                format!(
                    "split after byte {at} of {}: {e} (a label per read, not per line?)",
                    line.len()
                )
            })?;
        }
        Ok(format!("one line at all {} offsets", line.len() - 1))
    })
}

/// 2.3: a line dribbled one byte per write arrives as one line.
pub fn dribbled(t: &Target) -> Outcome {
    let text = "dribbled line";
    judged(&format!("\"[a] {text}\""), || {
        let (mut a, mut b) = pair(t)?;
        let line = format!("{text}\n");
        let pieces: Vec<&[u8]> = line.as_bytes().chunks(1).collect();
        in_pieces(&mut a, &mut b, &pieces, text)
            .map_err(|e| format!("{e} (a label per read, not per line?)"))?;
        Ok(format!("one line, from {} one-byte writes", line.len()))
    })
}

/// 2.5: two lines in one write arrive as two lines.
pub fn two_in_one_write(t: &Target) -> Outcome {
    judged("\"[a] first\", then \"[a] second\"", || {
        let (mut a, mut b) = pair(t)?;
        a.write(b"first\nsecond\n")?;
        b.expect(&relayed_as(&a, "first"))?;
        b.expect(&relayed_as(&a, "second"))?;
        Ok("two lines, each labelled".into())
    })
}

// =============================================================================================
// 3 concurrency
// =============================================================================================

/// 3.3: 50 members at once, each says one line, each hears the 49 others'.
pub fn fifty_members(t: &Target) -> Outcome {
    const MEMBERS: usize = 50;
    judged(
        "every member hears the 49 others' lines, and not its own",
        || {
            let deadline = Instant::now() + t.patience * 2;
            let mut members = Vec::with_capacity(MEMBERS);
            for i in 0..MEMBERS {
                let (member, _) = Member::join(t, "m")
                    .map_err(|e| format!("{i} of {MEMBERS} joined; then {e}"))?;
                members.push(member);
            }
            for member in &mut members {
                let text = format!("hello from {}", member.name);
                member.say(&text)?;
            }
            let names: Vec<String> = members.iter().map(|m| m.name.clone()).collect();
            for member in &mut members {
                let mut heard = std::collections::BTreeSet::new();
                while heard.len() < MEMBERS - 1 {
                    if Instant::now() > deadline {
                        return Err(format!(
                            "{} heard {} of {} lines in {} s",
                            member.name,
                            heard.len(),
                            MEMBERS - 1,
                            secs(t.patience * 2)
                        ));
                    }
                    let line = member.line().map_err(|e| {
                        format!("after {} of {} lines, {e}", heard.len(), MEMBERS - 1)
                    })?;
                    if is_chatter(&line) {
                        continue;
                    }
                    let from = names
                        .iter()
                        .find(|n| line == format!("[{n}] hello from {n}"));
                    match from {
                        Some(n) if *n == member.name => {
                            return Err(format!("{} heard its own line back", member.name));
                        }
                        Some(n) => {
                            heard.insert(n.clone());
                        }
                        None => {
                            return Err(format!(
                                "{} heard {}, which no member said",
                                member.name,
                                shown(line.as_bytes())
                            ));
                        }
                    }
                }
            }
            Ok(format!(
                "{} lines heard, 49 by each",
                MEMBERS * (MEMBERS - 1)
            ))
        },
    )
}

// =============================================================================================
// 4 hostile input
// =============================================================================================

/// 4.2 for chat: a member joins, sends half a line, and resets.
pub fn reset_mid_line(t: &Target) -> Outcome {
    let (mut member, _) = match Member::join(t, "reset") {
        Ok(joined) => joined,
        Err(e) => return Outcome::fail("a member joins", e),
    };
    let half = b"half a li";
    if let Err(e) = member.write(half) {
        return Outcome::fail("half a line sent", e);
    }
    reset(member.stream);
    Outcome::info(format!(
        "joined, sent {} bytes of a line, then a reset (5.2 checks the server)",
        half.len()
    ))
}

/// What the hostile member heard before its end: the error line, if there was one.
fn error_line(heard: &[String]) -> Option<&String> {
    heard.iter().find(|line| line.starts_with("error"))
}

/// 4.22 and 4.26: `bytes` from a member must end that member (an error line first is what a
/// server SHOULD send), reach nobody, and leave the others in the room, told that it left.
pub fn ends_only_that_member(t: &Target, bytes: &[u8]) -> Outcome {
    let expected = "an error line, then the end of this member; nothing of it passed on; the \
                    others told \"* NAME left\"";
    let setup = || -> Result<(Member, Member), String> {
        let (mut watcher, _) = Member::join(t, "watch")?;
        let (hostile, _) = Member::join(t, "hostile")?;
        watcher.expect(&format!("* {} joined", hostile.name))?;
        Ok((watcher, hostile))
    };
    let (mut watcher, mut hostile) = match setup() {
        Ok(both) => both,
        Err(e) => return Outcome::fail(expected, e),
    };
    let peer = hostile.stream.local_addr().ok();
    let mut outcome = judge_ending(&mut watcher, &mut hostile, bytes, expected);
    outcome.hostile_peer = peer;
    outcome
}

fn judge_ending(
    watcher: &mut Member,
    hostile: &mut Member,
    bytes: &[u8],
    expected: &str,
) -> Outcome {
    if let Err(e) = hostile.write(bytes) {
        return Outcome::fail(expected, e);
    }
    let heard = match hostile.until_end() {
        Ok(heard) => heard,
        Err((heard, why)) => {
            let what = match error_line(&heard) {
                Some(line) => format!("{}, but then {why}", shown(line.as_bytes())),
                None => why,
            };
            return Outcome::fail(expected, format!("{what}: the member was not ended"));
        }
    };
    let left = format!("* {} left", hostile.name);
    let before = match watcher.lines_until(&left) {
        Ok(before) => before,
        Err(e) => return Outcome::fail(expected, format!("the member was ended, but {e}")),
    };
    let prefix = format!("[{}]", hostile.name);
    if let Some(passed) = before.iter().find(|line| line.starts_with(&prefix)) {
        return Outcome::fail(
            expected,
            format!(
                "{} heard {}: the refused line was passed on",
                watcher.name,
                shown(passed.as_bytes())
            ),
        );
    }
    let mut outcome = match error_line(&heard) {
        Some(line) => Outcome::pass(
            expected,
            format!(
                "{}, then the end; the others told \"{left}\"",
                shown(line.as_bytes())
            ),
        ),
        None => Outcome::new(
            Verdict::NonStrict,
            expected,
            "the member was ended, but without an error line saying why",
        ),
    };
    if let Some(line) = error_line(&heard) {
        outcome.error_reply = Some(line.clone());
        outcome.error_body = Some(line.clone().into_bytes());
    }
    outcome
}

/// 4.22: a line of 1,001 bytes.
pub fn too_long(t: &Target) -> Outcome {
    let mut line = vec![b'a'; MAX_LINE + 1];
    line.push(b'\n');
    ends_only_that_member(t, &line)
}

/// 4.26: a line that is not UTF-8.
pub fn not_utf8(t: &Target) -> Outcome {
    ends_only_that_member(t, b"\xff\xfe not text\n")
}

/// Connects, sends `name` as its name, and checks the refusal: an error line (SHOULD), the end
/// (MUST), and nobody in the room told of it (MUST; `watcher` is a member present, told next of
/// a later member's joining).
fn refused(t: &Target, watcher: &mut Member, name: &str, expected: &str) -> Option<Outcome> {
    let mut newcomer = match Member::connect(t, "new") {
        Ok(member) => member,
        Err(e) => return Some(Outcome::fail(expected, e)),
    };
    newcomer.name = name.to_string();
    if let Err(e) = newcomer.say(name) {
        return Some(Outcome::fail(expected, e));
    }
    let shown_name = shown(name.as_bytes());
    let heard = match newcomer.until_end() {
        Ok(heard) => heard,
        Err((heard, why)) => {
            let what = match heard.first() {
                Some(line) if line.starts_with("* in the room:") => {
                    format!(
                        "the name {shown_name} was accepted: {}",
                        shown(line.as_bytes())
                    )
                }
                Some(line) => format!(
                    "the name {shown_name} was answered {}, but then {why}",
                    shown(line.as_bytes())
                ),
                None => format!("the name {shown_name}: {why}"),
            };
            return Some(Outcome::fail(expected, what));
        }
    };
    if let Some(line) = heard.iter().find(|l| l.starts_with("* in the room:")) {
        return Some(Outcome::fail(
            expected,
            format!(
                "the name {shown_name} was accepted ({}), then the connection ended",
                shown(line.as_bytes())
            ),
        ));
    }
    // Nobody in the room heard of it: the next notice is a later member's joining.
    let (later, _) = match Member::join(t, "later") {
        Ok(joined) => joined,
        Err(e) => return Some(Outcome::fail(expected, format!("after the refusal, {e}"))),
    };
    let joined = format!("* {} joined", later.name);
    match watcher.lines_until(&joined) {
        Ok(before) => {
            if let Some(line) = before
                .iter()
                .find(|l| l.contains(name) && l.starts_with("* "))
            {
                return Some(Outcome::fail(
                    expected,
                    format!(
                        "{} heard {}: the room was told of a refused name",
                        watcher.name,
                        shown(line.as_bytes())
                    ),
                ));
            }
        }
        Err(e) => return Some(Outcome::fail(expected, e)),
    }
    match error_line(&heard) {
        Some(_) => None,
        None => Some(Outcome::new(
            Verdict::NonStrict,
            expected,
            format!("the name {shown_name} was refused, but without an error line saying why"),
        )),
    }
}

/// 4.23: names that are not 1 to 16 letters or digits.
pub fn bad_names(t: &Target) -> Outcome {
    let expected = "for each bad name, an error line, then the end; nobody told of it";
    let (mut watcher, _) = match Member::join(t, "watch") {
        Ok(joined) => joined,
        Err(e) => return Outcome::fail(expected, e),
    };
    let bad = ["two words", "abcdefghijklmnopq", "bob!", "[bob]"];
    let mut non_strict = None;
    for name in bad {
        match refused(t, &mut watcher, name, expected) {
            Some(outcome) if outcome.verdict == Verdict::Fail => return outcome,
            Some(outcome) => non_strict = non_strict.or(Some(outcome)),
            None => {}
        }
    }
    non_strict.unwrap_or_else(|| {
        Outcome::pass(
            expected,
            format!("all {} refused with an error line, then closed", bad.len()),
        )
    })
}

/// 4.24: a name already present.
pub fn name_taken(t: &Target) -> Outcome {
    let expected = "an error line, then the end; the member present not told of it";
    let (mut present, _) = match Member::join(t, "taken") {
        Ok(joined) => joined,
        Err(e) => return Outcome::fail(expected, e),
    };
    let name = present.name.clone();
    refused(t, &mut present, &name, expected)
        .unwrap_or_else(|| Outcome::pass(expected, "refused with an error line, then closed"))
}

/// How many lines the talker sends at most in 4.25, 900 bytes each: 15 MB, far more than
/// any server's buffers for one member should hold (lesson 9's: about 1.5 MB).
const FLOOD_LINES: usize = 16 * 1024;
/// Lines per write in 4.25 (about 58 KB), each batch read by the listener before the next.
const FLOOD_BATCH: usize = 64;
/// Lines sent after the silent member was dropped, to check that the room carries on.
const AFTER_DROP: usize = 2 * FLOOD_BATCH;

/// 4.25: a member that never reads, while a talker sends to a listener who reads everything.
pub fn never_reads(t: &Target) -> Outcome {
    let expected = "the listener hears every line, in order; the silent member is dropped \
                    (\"* NAME left …\")";
    let setup = || -> Result<(Member, Member, Member), String> {
        let (mut listener, _) = Member::join(t, "listen")?;
        let (talker, _) = Member::join(t, "talk")?;
        listener.expect(&format!("* {} joined", talker.name))?;
        let deaf = deaf_member(t)?;
        listener.expect(&format!("* {} joined", deaf.name))?;
        Ok((listener, talker, deaf))
    };
    let (mut listener, mut talker, deaf) = match setup() {
        Ok(three) => three,
        Err(e) => return Outcome::fail(expected, e),
    };
    let peer = deaf.stream.local_addr().ok();
    let dropped = format!("* {} left", deaf.name);
    let from = format!("[{}] ", talker.name);
    let filler = "x".repeat(890);
    let mut dropped_after = None;
    let mut sent = 0;
    let mut outcome = loop {
        let stop_at = dropped_after.map_or(FLOOD_LINES, |at: usize| at + AFTER_DROP);
        if sent >= stop_at {
            break match dropped_after {
                Some(at) => Outcome::pass(
                    expected,
                    format!("all {sent} lines heard; the silent member dropped after {at}",),
                ),
                None => Outcome::new(
                    Verdict::NonStrict,
                    expected,
                    format!(
                        "all {sent} lines heard, but the silent member was never dropped: \
                         its lines pile up somewhere, a memory without a bound"
                    ),
                ),
            };
        }
        let batch: String = (sent..sent + FLOOD_BATCH)
            .map(|i| format!("{i:06} {filler}\n"))
            .collect();
        if let Err(e) = talker.write(batch.as_bytes()) {
            break Outcome::fail(
                expected,
                format!("after {sent} lines, {e}: the server stopped reading the talker"),
            );
        }
        let mut failed = None;
        for i in sent..sent + FLOOD_BATCH {
            let want = format!("{from}{i:06} {filler}");
            let line = loop {
                match listener.line() {
                    Ok(line) if line.starts_with(&dropped) => {
                        dropped_after.get_or_insert(i);
                    }
                    Ok(line) if is_chatter(&line) => {}
                    other => break other,
                }
            };
            match line {
                Ok(line) if line == want => {}
                Ok(line) => {
                    failed = Some(format!(
                        "line {i}: the listener heard {} instead",
                        shown(line.as_bytes())
                    ));
                    break;
                }
                Err(e) => {
                    failed = Some(format!(
                        "after {i} of the lines sent, {e}: one silent member stalled the room"
                    ));
                    break;
                }
            }
        }
        if let Some(why) = failed {
            break Outcome::fail(expected, why);
        }
        sent += FLOOD_BATCH;
        // A well-behaved talker reads what it is sent (nothing, from a room that keeps the
        // rule), so that only the silent member is silent.
        let _ = drain(&mut talker.stream, Duration::from_millis(1));
        let _ = talker.stream.set_read_timeout(Some(t.patience));
    };
    reset(deaf.stream);
    outcome.hostile_peer = peer;
    outcome
}

/// A member that names itself and then never reads again, with a small receive buffer of its
/// own, so that the server's side fills soon.
fn deaf_member(t: &Target) -> Result<Member, String> {
    use socket2::{Domain, Socket, Type};
    let addr: SocketAddr = t.addr;
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)
        .map_err(|e| format!("cannot make a socket: {e}"))?;
    let _ = socket.set_recv_buffer_size(4 * 1024);
    socket
        .connect_timeout(&addr.into(), t.patience)
        .map_err(|e| format!("cannot connect to {addr}: {e} (server gone?)"))?;
    let mut member = Member::over(socket.into(), t, "deaf")?;
    let name = member.name.clone();
    member.say(&name)?;
    Ok(member)
}

// =============================================================================================
// 5 lifecycle
// =============================================================================================

/// Case 5.N for chat: a fresh pair of members still chats.
pub fn still_chats(t: &Target) -> Outcome {
    judged("a new pair of members chats as usual", || {
        let (mut a, mut b) = pair(t)?;
        a.say("still there?")?;
        b.expect(&relayed_as(&a, "still there?"))?;
        Ok("served".into())
    })
}

fn drain(stream: &mut TcpStream, how_long: Duration) -> Vec<u8> {
    let mut got = Vec::new();
    let _ = stream.set_read_timeout(Some(how_long));
    let mut buf = [0u8; 4096];
    while got.len() < 64 * 1024 {
        match read_retrying(stream, &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    got
}

fn reset(stream: TcpStream) {
    let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
}
