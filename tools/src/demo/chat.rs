//! The demo script for lesson 9 (the chat room): three members, a message in two writes, a member
//! who never reads, and leaving.
//!
//! Each part plays the scenario engine's chat experiments (`scenario::chat`: members joining in
//! turn, a line in pieces, a member who never reads, a member who leaves), the same that `grade
//! --protocol chat` judges, with members called alice, bob, carol and dave, and tells what they
//! observed. Everything it narrates is forced by the protocol, never timed:
//! - **who is in the room** is settled before the next member connects: a member has joined once
//!   it has read its `* in the room: ...` line.
//! - **leaving** is settled when the server hangs up: a member leaves by closing its sending
//!   side and reading until the end of the stream, and the server closes the connection only
//!   after it has taken the member out of the room and told the others. So each part ends with
//!   an empty room, and any part can play alone.
//! - **the dropped member** is forced by volume: dave never reads, and alice sends 10 MB, more
//!   than the kernel's socket buffers and dave's queue can hold together (about 1.5 MB: the room
//!   fixes the send buffer of every member's socket, `room::SEND_BUFFER`). Alice's thread then
//!   waits for room in dave's queue (`room::READING_PATIENCE`) and is given none. When the
//!   notice that dave was dropped arrives is not narrated, only that it did. Alice sends in
//!   batches of 500 lines, and bob and carol read each batch before the next: fewer lines than
//!   their queues hold (1,024), so however the machine schedules them, *they* can never look
//!   like members who stopped reading.

use std::io;

use super::replay::Telling;
use super::scripts::expect;
use super::{A_MOMENT, Demo, show};
use crate::scenario::chat::{self, Flood, Flooded, Member, Naming, Room};
use crate::scenario::{Act, Protocol};
use socket_lessons::room::{QUEUE, READING_PATIENCE};

/// The members of every part, joining in this order.
const CAST: [&str; 3] = ["alice", "bob", "carol"];

/// Part 3's flood: 10,000 lines of 1,000 bytes, 500 per write, all of them sent.
const FLOOD: Flood = Flood {
    lines: 10_000,
    digits: 5,
    filler: 994,
    per_write: 500,
    after_drop: None,
};

pub fn lesson9(demo: &mut Demo) -> io::Result<()> {
    demo.say(
        "A chat room: every member is a TCP connection, served by its own thread, as in \
         lesson 4. The first line a member sends is its name; every line after that goes to \
         every other member. A message is one line, ended by \\n: the third cure for sticky \
         packets (粘包), after lesson 6's length header. Here the members are the demo's \
         scripted clients; nc or telnet can join the same way.",
    );
    demo.part(1, "Three members join", three_join)?;
    demo.part(2, "One message, two writes", two_writes)?;
    demo.part(3, "A member who never reads", never_reads)?;
    demo.part(4, "Leaving", leaving)?;
    demo.say(
        "What to notice: one line is one message however TCP cut it up, because the server \
         reads up to the \\n, not one recv at a time. And no member can stall the room: each \
         has a writer thread and a queue of its own (1,024 lines at most), and a talker waits \
         for a full queue only so long, so the one who stopped reading held alice up once, \
         and was dropped.",
    );
    Ok(())
}

/// Part 1: each member is told who is there; the others hear that it joined.
fn three_join(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let room = Room::new(&demo.target(Protocol::Chat)?, Naming::AsGiven);
    let cast = cast(&room)?;
    demo.replay(&room.observations(), &Telling::default());
    demo.say(
        "Each new member was told who was already there, and those already there heard that \
         it joined.",
    );
    leave_all(cast)
}

/// Part 2: a line sent in two pieces is passed on only when it is whole.
fn two_writes(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let room = Room::new(&demo.target(Protocol::Chat)?, Naming::AsGiven);
    let [mut alice, mut bob, mut carol] = cast(&room)?;
    demo.line("alice, bob and carol join, as in part 1");
    let from = room.mark();
    chat::line_in_pieces(
        &mut carol,
        &mut [&mut alice, &mut bob],
        &[b"hel", b"lo, everyone\n"],
        A_MOMENT,
        "hello, everyone",
    )
    .map_err(io::Error::other)?;
    carol.expect_nothing(A_MOMENT).map_err(io::Error::other)?;
    demo.replay(
        &room.observations(),
        &Telling {
            silences: &[
                ("alice", "nothing, half a line is not a message"),
                ("carol", "nothing, a message goes to the others"),
            ],
            from,
            ..Telling::default()
        },
    );
    demo.say(
        "Carol's two writes became one message, because the server collects bytes until the \
         \\n. ncat's own chat mode (ncat --chat) does not: it puts its <user5> label in front \
         of whatever each recv returned, so the same two writes can come out as \
         \"<user5> hel<user5> lo, everyone\".",
    );
    leave_all([alice, bob, carol])
}

/// Part 3: dave never reads; the room drops him and carries on at full speed.
fn never_reads(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let room = Room::new(&demo.target(Protocol::Chat)?, Naming::AsGiven);
    let [mut alice, mut bob, mut carol] = cast(&room)?;
    demo.line("alice, bob and carol join, as in part 1");
    let dave = room.join_deaf("dave", None).map_err(io::Error::other)?;
    demo.transcript
        .narrate("dave", "joins", "and never reads again");
    for member in [&mut bob, &mut carol] {
        member.expect("* dave joined").map_err(io::Error::other)?;
    }
    let from = room.mark();
    alice.expect("* dave joined").map_err(io::Error::other)?;
    demo.replay(
        &room.observations(),
        &Telling {
            from,
            ..Telling::default()
        },
    );
    let flood_from = room.mark();
    let flooded = chat::never_reads(&mut alice, &mut [&mut bob, &mut carol], &dave, &FLOOD);
    expect(&flooded, |f| {
        matches!(
            f,
            Flooded::AllHeard {
                sent: 10_000,
                dropped_after: Some(_)
            }
        )
    })?;
    // The flood is told as what each member took of it; the notice as itself.
    let dropped = "* dave left (it stopped reading)";
    demo.transcript.narrate(
        "alice",
        "sends",
        format!(
            "{} lines of {} bytes, 10 MB",
            FLOOD.lines,
            FLOOD.digits + 1 + FLOOD.filler
        ),
    );
    let observations = room.observations().since(flood_from);
    for name in ["bob", "carol"] {
        let lines = observations.of(name).find_map(|act| match act {
            Act::HearsMany { lines, .. } => Some(*lines),
            _ => None,
        });
        if !heard(&observations, name, dropped) {
            return Err(io::Error::other(format!(
                "{name} was not told that dave left"
            )));
        }
        demo.transcript.narrate(
            name,
            "receives",
            format!(
                "all {} of them, and {}",
                lines.unwrap_or(0),
                show(dropped.as_bytes())
            ),
        );
    }
    // Alice, who sent, took what came to her between her batches; the notice too, unless it
    // came after the last.
    if !heard(&observations, "alice", dropped) {
        alice.expect(dropped).map_err(io::Error::other)?;
    }
    demo.transcript
        .narrate("alice", "receives", show(dropped.as_bytes()));
    dave.close();
    let from = room.mark();
    bob.say("still here?").map_err(io::Error::other)?;
    for member in [&mut alice, &mut carol] {
        member
            .expect("[bob] still here?")
            .map_err(io::Error::other)?;
    }
    demo.replay(
        &room.observations(),
        &Telling {
            from,
            ..Telling::default()
        },
    );
    demo.say(&format!(
        "Dave's queue filled up ({QUEUE} lines, behind the kernel's buffers for his socket) \
         while bob and carol read everything. Then alice's thread waited for room in dave's \
         queue, {} seconds at most, and got none: dave had stopped reading. The server dropped \
         him, told him why and told the rest, and alice went on. A member who reads slowly is \
         waited for instead: it slows the talker down, and is not dropped.",
        READING_PATIENCE.as_secs()
    ));
    leave_all([alice, bob, carol])
}

/// Whether `name` heard `line` in `observations`.
fn heard(observations: &crate::scenario::Observations, name: &str, line: &str) -> bool {
    observations
        .of(name)
        .any(|act| matches!(act, Act::Hears { line: heard } if heard == line))
}

/// Part 4: leaving is the end of the stream, and the others are told.
fn leaving(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let room = Room::new(&demo.target(Protocol::Chat)?, Naming::AsGiven);
    let [mut alice, mut bob, carol] = cast(&room)?;
    demo.line("alice, bob and carol join, as in part 1");
    let from = room.mark();
    chat::leave(carol, &mut [&mut alice, &mut bob]).map_err(io::Error::other)?;
    demo.replay(
        &room.observations(),
        &Telling {
            from,
            ..Telling::default()
        },
    );
    demo.say(
        "Leaving needs no message of its own: the server's read returned 0 bytes, the end of \
         the stream, as in lesson 3, and the room told everyone who was left. A reset or a \
         line the wire refuses (over 1,000 bytes, or not UTF-8) ends a member the same way.",
    );
    leave_all([alice, bob])
}

/// Alice, bob and carol join, in that order, each after the one before has joined (the engine's
/// "members join in turn"), and each is told who was there.
fn cast(room: &Room) -> io::Result<[Member; 3]> {
    let (members, told) = chat::join_in_turn(room, &CAST).map_err(io::Error::other)?;
    let expected = [
        "* in the room: nobody else yet",
        "* in the room: alice",
        "* in the room: alice, bob",
    ];
    if told != expected {
        return Err(io::Error::other(format!(
            "the demo expected {expected:?} on joining, but the members were told {told:?}"
        )));
    }
    members
        .try_into()
        .map_err(|_| io::Error::other("three members joined"))
}

/// Every member leaves, the last to join first (not told: the part is over).
fn leave_all(members: impl IntoIterator<Item = Member>) -> io::Result<()> {
    let mut members: Vec<Member> = members.into_iter().collect();
    while let Some(member) = members.pop() {
        member.leave().map_err(io::Error::other)?;
    }
    Ok(())
}
