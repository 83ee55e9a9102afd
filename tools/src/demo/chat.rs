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
use crate::t;
use socket_lessons::room::{self, QUEUE, READING_PATIENCE};

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
    demo.say(&t!("demo-lesson9-intro"));
    demo.part(1, &t!("demo-lesson9-part1"), three_join)?;
    demo.part(2, &t!("demo-lesson9-part2"), two_writes)?;
    demo.part(3, &t!("demo-lesson9-part3"), never_reads)?;
    demo.part(4, &t!("demo-lesson9-part4"), leaving)?;
    demo.say(&t!("demo-lesson9-notice"));
    Ok(())
}

/// Part 1: each member is told who is there; the others hear that it joined.
fn three_join(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let room = Room::new(&demo.target(Protocol::Chat)?, Naming::AsGiven);
    let cast = cast(&room)?;
    demo.replay(&room.observations(), &Telling::default());
    demo.say(&t!("demo-lesson9-join-notice"));
    leave_all(cast)
}

/// Part 2: a line sent in two pieces is passed on only when it is whole.
fn two_writes(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let room = Room::new(&demo.target(Protocol::Chat)?, Naming::AsGiven);
    let [mut alice, mut bob, mut carol] = cast(&room)?;
    demo.line(t!("demo-lesson9-as-in-part1"));
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
                ("alice", &t!("demo-lesson9-half-a-line")),
                ("carol", &t!("demo-lesson9-to-the-others")),
            ],
            from,
            ..Telling::default()
        },
    );
    demo.say(&t!("demo-lesson9-two-writes-notice"));
    leave_all([alice, bob, carol])
}

/// Part 3: dave never reads; the room drops him and carries on at full speed.
fn never_reads(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let room = Room::new(&demo.target(Protocol::Chat)?, Naming::AsGiven);
    let [mut alice, mut bob, mut carol] = cast(&room)?;
    demo.line(t!("demo-lesson9-as-in-part1"));
    let dave = room.join_deaf("dave", None).map_err(io::Error::other)?;
    demo.transcript.narrate(
        "dave",
        &t!("demo-replay-joins"),
        t!("demo-lesson9-never-reads-again"),
    );
    for member in [&mut bob, &mut carol] {
        member
            .expect(&room::joined_notice("dave"))
            .map_err(io::Error::other)?;
    }
    let from = room.mark();
    alice
        .expect(&room::joined_notice("dave"))
        .map_err(io::Error::other)?;
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
    let dropped = &room::left_notice("dave", true);
    demo.transcript.narrate(
        "alice",
        &t!("demo-replay-sends"),
        t!(
            "demo-lesson9-flood-sent",
            lines = FLOOD.lines.to_string(),
            bytes = (FLOOD.digits + 1 + FLOOD.filler).to_string()
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
            &t!("demo-replay-receives"),
            t!(
                "demo-lesson9-flood-heard",
                lines = lines.unwrap_or(0).to_string(),
                notice = show(dropped.as_bytes())
            ),
        );
    }
    // Alice, who sent, took what came to her between her batches; the notice too, unless it
    // came after the last.
    if !heard(&observations, "alice", dropped) {
        alice.expect(dropped).map_err(io::Error::other)?;
    }
    demo.transcript.narrate(
        "alice",
        &t!("demo-replay-receives"),
        show(dropped.as_bytes()),
    );
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
    demo.say(&t!(
        "demo-lesson9-never-reads-notice",
        queue = QUEUE.to_string(),
        seconds = READING_PATIENCE.as_secs().to_string()
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
    demo.line(t!("demo-lesson9-as-in-part1"));
    let from = room.mark();
    chat::leave(carol, &mut [&mut alice, &mut bob]).map_err(io::Error::other)?;
    demo.replay(
        &room.observations(),
        &Telling {
            from,
            ..Telling::default()
        },
    );
    demo.say(&t!("demo-lesson9-leaving-notice"));
    leave_all([alice, bob])
}

/// Alice, bob and carol join, in that order, each after the one before has joined (the engine's
/// "members join in turn"), and each is told who was there.
fn cast(room: &Room) -> io::Result<[Member; 3]> {
    let (members, told) = chat::join_in_turn(room, &CAST).map_err(io::Error::other)?;
    // In the language of the room, which runs in this process.
    let expected = [
        room::present_notice(&[]),
        room::present_notice(&["alice"]),
        room::present_notice(&["alice", "bob"]),
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
