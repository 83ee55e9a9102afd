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
//! The members are the scenario engine's (`scenario::chat`): each case plays in a room of its
//! own, and keeps everything its members heard with its outcome. Where the course's demo plays
//! the same thing (members joining in turn, a line in pieces, a member who never reads, a member
//! who leaves) the case plays the engine's experiment; the rest are composed here of the room's
//! members.
//!
//! Other members may come and go on the same server: an earlier case's members may still be
//! leaving, and a line one of them sent last may reach a member of the next case. So the rooms
//! here name their members uniquely, and wherever a case waits for a line of its own members, it
//! skips notices (`* x left`) and lines of members that are not of its room.

use std::time::Instant;

use super::{Outcome, Said, Target, Verdict};
use crate::scenario::boundaries::BETWEEN_PIECES;
use crate::scenario::chat::{self, Flood, Flooded, Member, Naming, Room};
use crate::scenario::wire::{secs, shown};
use socket_lessons::room;

/// The longest line the wire allows (`line::MAX_LINE`), and so the shortest refused.
const MAX_LINE: usize = socket_lessons::line::MAX_LINE;

/// Runs a case body in a room of its own (members named uniquely, strangers' lines skipped):
/// `Ok(observed)` is a PASS, `Err(observed)` a FAIL. The outcome keeps what the room observed.
fn judged(t: &Target, expected: Said, body: impl FnOnce(&Room) -> Result<Said, Said>) -> Outcome {
    in_room(t, |room| match body(room) {
        Ok(observed) => Outcome::pass(expected, observed),
        Err(observed) => Outcome::fail(expected, observed),
    })
}

/// Runs a case in a room of its own, and keeps what the room observed with its outcome.
fn in_room(t: &Target, case: impl FnOnce(&Room) -> Outcome) -> Outcome {
    let room = Room::new(t, Naming::Unique);
    case(&room).with_observations(room.observations())
}

/// Two members, `a` joined first and then `b`, each having heard the other arrive as far as
/// the protocol says (`a` hears `* b joined`): the engine's "members join in turn".
fn pair(room: &Room) -> Result<(Member, Member), Said> {
    let (members, _) = chat::join_in_turn(room, &["alice", "bob"])?;
    let [a, b]: [Member; 2] = members
        .try_into()
        .map_err(|_| crate::said!("grade-chat-two-members"))?;
    Ok((a, b))
}

// =============================================================================================
// 1 basics
// =============================================================================================

/// 1.7: a's line reaches b and c as `[a] text`; a's next line is b's, not its own copy.
pub fn reaches_the_others(t: &Target) -> Outcome {
    judged(t, crate::said!("grade-chat-reaches-expected"), |room| {
        let (members, _) = chat::join_in_turn(room, &["alice", "bob", "carol"])?;
        let [mut a, mut b, mut c]: [Member; 3] = members
            .try_into()
            .map_err(|_| crate::said!("grade-chat-three-members"))?;
        a.say("hello room")?;
        b.expect(&a.relayed("hello room"))?;
        c.expect(&a.relayed("hello room"))?;
        // If a's own copy was coming, it was queued before anything said after it.
        b.say("ping")?;
        a.expect(&b.relayed("ping")).map_err(|e| {
            if e.contains(&a.relayed("hello room")) {
                e.then(crate::said!("grade-chat-own-line-back"))
            } else {
                e
            }
        })?;
        Ok(crate::said!("grade-chat-reaches-observed"))
    })
}

/// Whether `notice` names `name`: has it as a whole word. A name is letters and digits only, and
/// whatever stands around it in a notice is not (`* in the room: a, b`, `* 聊天室里有：a、b`),
/// so this reads the notice in either of the room's languages.
fn names(notice: &str, name: &str) -> bool {
    notice
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word == name)
}

/// 1.8: the list of who is present, and the join notice to the others.
pub fn join_notices(t: &Target) -> Outcome {
    judged(t, crate::said!("grade-chat-join-expected"), |room| {
        let (members, told) = chat::join_in_turn(room, &["alice", "bob"])?;
        let (a, b, present) = (&members[0], &members[1], &told[1]);
        if !names(present, &a.name) {
            return Err(crate::said!(
                "grade-chat-not-named",
                b = b.name.clone(),
                present = shown(present.as_bytes()),
                a = a.name.clone()
            ));
        }
        Ok(crate::said!(
            "grade-chat-join-observed",
            present = shown(present.as_bytes()),
            b = b.name.clone()
        ))
    })
}

/// 1.9: a member who closes its end is announced as gone.
pub fn leave_notice(t: &Target) -> Outcome {
    judged(t, crate::said!("grade-chat-leave-expected"), |room| {
        let (mut a, b) = pair(room)?;
        let left = a.left_notice(&b.name);
        chat::leave(b, &mut [&mut a])?;
        Ok(format!("\"{left}\"").into())
    })
}

/// 1.2 (and any plain relay): `text` from a reaches b exactly.
pub fn relayed(t: &Target, text: &str) -> Outcome {
    let expected = crate::said!("grade-chat-relayed-expected", text = text);
    judged(t, expected, |room| {
        let (mut a, mut b) = pair(room)?;
        a.say(text)?;
        b.expect(&a.relayed(text))?;
        Ok(crate::said!("grade-chat-relayed-observed"))
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
    judged(t, crate::said!("grade-chat-unnamed-expected"), |room| {
        let mut quiet = room.connect("quiet")?;
        let (mut a, mut b) = pair(room)?;
        a.say("not for the unnamed")?;
        b.expect(&a.relayed("not for the unnamed"))?;
        quiet
            .name_itself()
            .map_err(|e| e.then(crate::said!("grade-chat-unnamed-heard")))?;
        Ok(crate::said!("grade-chat-unnamed-observed"))
    })
}

// =============================================================================================
// 2 framing
// =============================================================================================

/// 2.2: a line written in two pieces, cut at every offset, arrives as one line.
pub fn split_at_every_offset(t: &Target) -> Outcome {
    let text = "split line";
    let expected = crate::said!("grade-chat-split-expected", text = text);
    judged(t, expected, |room| {
        let (mut a, mut b) = pair(room)?;
        let line = format!("{text}\n");
        for at in 1..line.len() {
            let (head, tail) = line.as_bytes().split_at(at);
            let pieces = [head, tail];
            chat::line_in_pieces(&mut a, &mut [&mut b], &pieces, BETWEEN_PIECES, text).map_err(
                |e| {
                    crate::said!(
                        "grade-chat-split-failed",
                        at = at.to_string(),
                        len = line.len().to_string(),
                        why = e
                    )
                },
            )?;
        }
        Ok(crate::said!(
            "grade-chat-split-observed",
            offsets = (line.len() - 1).to_string()
        ))
    })
}

/// 2.3: a line dribbled one byte per write arrives as one line.
pub fn dribbled(t: &Target) -> Outcome {
    let text = "dribbled line";
    judged(t, Said::from(format!("\"[a] {text}\"")), |room| {
        let (mut a, mut b) = pair(room)?;
        let line = format!("{text}\n");
        let pieces: Vec<&[u8]> = line.as_bytes().chunks(1).collect();
        chat::line_in_pieces(&mut a, &mut [&mut b], &pieces, BETWEEN_PIECES, text)
            .map_err(|e| e.then(crate::said!("grade-chat-label-per-read")))?;
        Ok(crate::said!(
            "grade-chat-dribbled-observed",
            writes = line.len().to_string()
        ))
    })
}

/// 2.5: two lines in one write arrive as two lines.
pub fn two_in_one_write(t: &Target) -> Outcome {
    judged(t, crate::said!("grade-chat-two-expected"), |room| {
        let (mut a, mut b) = pair(room)?;
        a.write(b"first\nsecond\n")?;
        b.expect(&a.relayed("first"))?;
        b.expect(&a.relayed("second"))?;
        Ok(crate::said!("grade-chat-two-observed"))
    })
}

// =============================================================================================
// 3 concurrency
// =============================================================================================

/// 3.3: 50 members at once, each says one line, each hears the 49 others'.
pub fn fifty_members(t: &Target) -> Outcome {
    const MEMBERS: usize = 50;
    judged(t, crate::said!("grade-chat-fifty-expected"), |room| {
        let deadline = Instant::now() + t.patience * 2;
        let mut members = Vec::with_capacity(MEMBERS);
        for i in 0..MEMBERS {
            let (member, _) = room.join("m").map_err(|e| {
                crate::said!(
                    "grade-chat-joined-then",
                    joined = i.to_string(),
                    members = MEMBERS.to_string(),
                    why = e
                )
            })?;
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
                    return Err(crate::said!(
                        "grade-chat-heard-of",
                        name = member.name.clone(),
                        heard = heard.len().to_string(),
                        lines = (MEMBERS - 1).to_string(),
                        secs = secs(t.patience * 2)
                    ));
                }
                let line = member.line().map_err(|e| {
                    crate::said!(
                        "grade-chat-after-lines",
                        heard = heard.len().to_string(),
                        lines = (MEMBERS - 1).to_string(),
                        why = e
                    )
                })?;
                if member.is_chatter(&line) {
                    continue;
                }
                let from = names
                    .iter()
                    .find(|n| line == format!("[{n}] hello from {n}"));
                match from {
                    Some(n) if *n == member.name => {
                        return Err(crate::said!(
                            "grade-chat-own-line",
                            name = member.name.clone()
                        ));
                    }
                    Some(n) => {
                        heard.insert(n.clone());
                    }
                    None => {
                        return Err(crate::said!(
                            "grade-chat-nobody-said",
                            name = member.name.clone(),
                            line = shown(line.as_bytes())
                        ));
                    }
                }
            }
        }
        Ok(crate::said!(
            "grade-chat-fifty-observed",
            lines = (MEMBERS * (MEMBERS - 1)).to_string()
        ))
    })
}

// =============================================================================================
// 4 hostile input
// =============================================================================================

/// 4.2 for chat: a member joins, sends half a line, and resets.
pub fn reset_mid_line(t: &Target) -> Outcome {
    in_room(t, |room| {
        let (mut member, _) = match room.join("reset") {
            Ok(joined) => joined,
            Err(e) => return Outcome::fail(crate::said!("grade-chat-a-member-joins"), e),
        };
        let half = b"half a li";
        if let Err(e) = member.write(half) {
            return Outcome::fail(crate::said!("grade-chat-half-a-line-sent"), e);
        }
        member.reset();
        Outcome::info(crate::said!(
            "grade-chat-reset-mid-line",
            bytes = half.len().to_string()
        ))
    })
}

/// What the hostile member heard before its end: the error line, if there was one.
fn error_line(heard: &[String]) -> Option<&String> {
    heard.iter().find(|line| line.starts_with("error"))
}

/// 4.22 and 4.26: `bytes` from a member must end that member (an error line first is what a
/// server SHOULD send), reach nobody, and leave the others in the room, told that it left.
pub fn ends_only_that_member(t: &Target, bytes: &[u8]) -> Outcome {
    let expected = crate::said!("grade-chat-ends-expected");
    in_room(t, |room| {
        let (mut watcher, mut hostile) = match chat::join_in_turn(room, &["watch", "hostile"]) {
            Ok((members, _)) => {
                let mut members = members.into_iter();
                match (members.next(), members.next()) {
                    (Some(watcher), Some(hostile)) => (watcher, hostile),
                    _ => return Outcome::fail(expected, crate::said!("grade-chat-two-members")),
                }
            }
            Err(e) => return Outcome::fail(expected, e),
        };
        let peer = hostile.local_addr();
        let mut outcome = judge_ending(&mut watcher, &mut hostile, bytes, &expected);
        outcome.hostile_peer = peer;
        outcome
    })
}

fn judge_ending(
    watcher: &mut Member,
    hostile: &mut Member,
    bytes: &[u8],
    expected: &Said,
) -> Outcome {
    if let Err(e) = hostile.write(bytes) {
        return Outcome::fail(expected, e);
    }
    let heard = match hostile.until_end() {
        Ok(heard) => heard,
        Err((heard, why)) => {
            let what = match error_line(&heard) {
                Some(line) => crate::said!(
                    "grade-chat-but-then",
                    line = shown(line.as_bytes()),
                    why = why
                ),
                None => why,
            };
            return Outcome::fail(expected, what.then(crate::said!("grade-chat-not-ended")));
        }
    };
    let left = watcher.left_notice(&hostile.name);
    let before = match watcher.lines_until(&left) {
        Ok(before) => before,
        Err(e) => {
            return Outcome::fail(expected, crate::said!("grade-chat-ended-but", why = e));
        }
    };
    let prefix = format!("[{}]", hostile.name);
    if let Some(passed) = before.iter().find(|line| line.starts_with(&prefix)) {
        return Outcome::fail(
            expected,
            crate::said!(
                "grade-chat-passed-on",
                name = watcher.name.clone(),
                line = shown(passed.as_bytes())
            ),
        );
    }
    let mut outcome = match error_line(&heard) {
        Some(line) => Outcome::pass(
            expected,
            crate::said!(
                "grade-chat-ended-observed",
                line = shown(line.as_bytes()),
                left = left.clone()
            ),
        ),
        None => Outcome::new(
            Verdict::NonStrict,
            expected,
            crate::said!("grade-chat-ended-silently"),
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
fn refused(room: &Room, watcher: &mut Member, name: &str, expected: &Said) -> Option<Outcome> {
    let mut newcomer = match room.connect("new") {
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
                Some(line) if room::is_present_notice(line) => crate::said!(
                    "grade-chat-name-accepted",
                    name = shown_name.clone(),
                    line = shown(line.as_bytes())
                ),
                Some(line) => crate::said!(
                    "grade-chat-name-answered",
                    name = shown_name.clone(),
                    line = shown(line.as_bytes()),
                    why = why
                ),
                None => crate::said!("grade-chat-name-then", name = shown_name.clone(), why = why),
            };
            return Some(Outcome::fail(expected, what));
        }
    };
    if let Some(line) = heard.iter().find(|l| room::is_present_notice(l)) {
        return Some(Outcome::fail(
            expected,
            crate::said!(
                "grade-chat-name-accepted-ended",
                name = shown_name.clone(),
                line = shown(line.as_bytes())
            ),
        ));
    }
    // Nobody in the room heard of it: the next notice is a later member's joining.
    let (later, _) = match room.join("later") {
        Ok(joined) => joined,
        Err(e) => {
            return Some(Outcome::fail(
                expected,
                crate::said!("grade-chat-after-refusal", why = e),
            ));
        }
    };
    let joined = watcher.joined_notice(&later.name);
    match watcher.lines_until(&joined) {
        Ok(before) => {
            if let Some(line) = before
                .iter()
                .find(|l| l.contains(name) && l.starts_with("* "))
            {
                return Some(Outcome::fail(
                    expected,
                    crate::said!(
                        "grade-chat-told-of-refused",
                        name = watcher.name.clone(),
                        line = shown(line.as_bytes())
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
            crate::said!("grade-chat-refused-silently", name = shown_name),
        )),
    }
}

/// 4.23: names that are not 1 to 16 letters or digits.
pub fn bad_names(t: &Target) -> Outcome {
    let expected = &crate::said!("grade-chat-bad-names-expected");
    in_room(t, |room| {
        let (mut watcher, _) = match room.join("watch") {
            Ok(joined) => joined,
            Err(e) => return Outcome::fail(expected, e),
        };
        let bad = ["two words", "abcdefghijklmnopq", "bob!", "[bob]"];
        let mut non_strict = None;
        for name in bad {
            match refused(room, &mut watcher, name, expected) {
                Some(outcome) if outcome.verdict == Verdict::Fail => return outcome,
                Some(outcome) => non_strict = non_strict.or(Some(outcome)),
                None => {}
            }
        }
        non_strict.unwrap_or_else(|| {
            Outcome::pass(
                expected,
                crate::said!("grade-chat-all-refused", count = bad.len().to_string()),
            )
        })
    })
}

/// 4.24: a name already present.
pub fn name_taken(t: &Target) -> Outcome {
    let expected = &crate::said!("grade-chat-taken-expected");
    in_room(t, |room| {
        let (mut present, _) = match room.join("taken") {
            Ok(joined) => joined,
            Err(e) => return Outcome::fail(expected, e),
        };
        let name = present.name.clone();
        refused(room, &mut present, &name, expected)
            .unwrap_or_else(|| Outcome::pass(expected, crate::said!("grade-chat-refused-closed")))
    })
}

/// 4.25's flood: at most 16,384 lines of about 900 bytes (15 MB, far more than any server's
/// buffers for one member should hold; lesson 9's: about 1.5 MB), 64 per write (about 58 KB),
/// each batch read by the listener before the next; once the silent member is dropped, 128 more
/// to check that the room carries on.
const FLOOD: Flood = Flood {
    lines: 16 * 1024,
    digits: 6,
    filler: 890,
    per_write: 64,
    after_drop: Some(128),
};

/// 4.25: a member that never reads, while a talker sends to a listener who reads everything.
pub fn never_reads(t: &Target) -> Outcome {
    let expected = &crate::said!("grade-chat-never-reads-expected");
    in_room(t, |room| {
        let setup = || -> Result<(Member, Member, Member), Said> {
            let (members, _) = chat::join_in_turn(room, &["listen", "talk"])?;
            let [mut listener, talker]: [Member; 2] = members
                .try_into()
                .map_err(|_| crate::said!("grade-chat-two-members"))?;
            // Its own receive buffer small, so that the server's side fills soon.
            let deaf = room.join_deaf("deaf", Some(4 * 1024))?;
            listener.expect(&listener.joined_notice(&deaf.name))?;
            Ok((listener, talker, deaf))
        };
        let (mut listener, mut talker, deaf) = match setup() {
            Ok(three) => three,
            Err(e) => return Outcome::fail(expected, e),
        };
        let peer = deaf.local_addr();
        let mut outcome = match chat::never_reads(&mut talker, &mut [&mut listener], &deaf, &FLOOD)
        {
            Flooded::AllHeard {
                sent,
                dropped_after: Some(at),
            } => Outcome::pass(
                expected,
                crate::said!(
                    "grade-chat-all-heard-dropped",
                    sent = sent.to_string(),
                    at = at.to_string()
                ),
            ),
            Flooded::AllHeard {
                sent,
                dropped_after: None,
            } => Outcome::new(
                Verdict::NonStrict,
                expected,
                crate::said!("grade-chat-never-dropped", sent = sent.to_string()),
            ),
            Flooded::TalkerStalled { sent, why } => Outcome::fail(
                expected,
                crate::said!(
                    "grade-chat-talker-stalled",
                    sent = sent.to_string(),
                    why = why
                ),
            ),
            Flooded::WrongLine { line, heard } => Outcome::fail(
                expected,
                crate::said!(
                    "grade-chat-wrong-line",
                    line = line.to_string(),
                    heard = shown(heard.as_bytes())
                ),
            ),
            Flooded::Stalled { line, why } => Outcome::fail(
                expected,
                crate::said!(
                    "grade-chat-room-stalled",
                    line = line.to_string(),
                    why = why
                ),
            ),
        };
        deaf.reset();
        outcome.hostile_peer = peer;
        outcome
    })
}

// =============================================================================================
// 5 lifecycle
// =============================================================================================

/// Case 5.N for chat: a fresh pair of members still chats.
pub fn still_chats(t: &Target) -> Outcome {
    judged(t, crate::said!("grade-chat-still-expected"), |room| {
        let (mut a, mut b) = pair(room)?;
        a.say("still there?")?;
        b.expect(&a.relayed("still there?"))?;
        Ok(crate::said!("grade-chat-served"))
    })
}
