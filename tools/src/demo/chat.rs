//! The demo script for lesson 9 (the chat room): three members, a message in two writes, a member
//! who never reads, and leaving.
//!
//! Everything it narrates is forced by the protocol, never timed:
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
//!   rounds, waiting after each for bob and carol to have read it, so that scheduling on a busy
//!   machine can never make *them* look like members who stopped reading.

use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};

use super::{A_MOMENT, Demo, PATIENCE, show};
use crate::probe::{self, BoundedThread};
use socket_lessons::room::{QUEUE, READING_PATIENCE};
use socket_lessons::timeout::is_timeout;

/// Part 3: how many lines alice sends, and how long each is.
const FLOOD: usize = 10_000;
const FLOOD_LINE: usize = 1000;
/// After each round of this many lines, alice waits for bob and carol to have read them.
const ROUND: usize = 500;

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
    let (mut alice, mut bob, mut carol) = cast(demo, true)?;
    demo.say(
        "Each new member was told who was already there, and those already there heard that \
         it joined.",
    );
    carol.leave()?;
    bob.leave()?;
    alice.leave()
}

/// Part 2: a line sent in two pieces is passed on only when it is whole.
fn two_writes(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let (mut alice, mut bob, mut carol) = cast(demo, false)?;
    carol.send_raw(demo, "hel")?;
    alice.expect_nothing(demo, "half a line is not a message")?;
    carol.send_raw(demo, "lo, everyone\n")?;
    alice.expect(demo, "[carol] hello, everyone")?;
    bob.expect(demo, "[carol] hello, everyone")?;
    carol.expect_nothing(demo, "a message goes to the others")?;
    demo.say(
        "Carol's two writes became one message, because the server collects bytes until the \
         \\n. ncat's own chat mode (ncat --chat) does not: it puts its <user5> label in front \
         of whatever each recv returned, so the same two writes can come out as \
         \"<user5> hel<user5> lo, everyone\".",
    );
    carol.leave()?;
    bob.leave()?;
    alice.leave()
}

/// Part 3: dave never reads; the room drops him and carries on at full speed.
fn never_reads(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let (mut alice, mut bob, mut carol) = cast(demo, false)?;
    let dave = Member::join_silently(demo.addr, "dave")?;
    demo.line(format!(
        "{:<8} {:<10} {}",
        "dave", "joins", "and never reads again"
    ));
    alice.expect(demo, "* dave joined")?;
    bob.expect_quietly("* dave joined")?;
    carol.expect_quietly("* dave joined")?;
    let (bob_done, bob_read) = crossbeam_channel::unbounded();
    let (carol_done, carol_read) = crossbeam_channel::unbounded();
    let bob_reads = BoundedThread::spawn("bob", move || bob.read_flood(&bob_done))?;
    let carol_reads = BoundedThread::spawn("carol", move || carol.read_flood(&carol_done))?;
    let line = |i: usize| format!("{i:05} {}\n", "x".repeat(FLOOD_LINE - 6));
    for round in 0..FLOOD / ROUND {
        let mut batch = String::new();
        for i in round * ROUND..(round + 1) * ROUND {
            batch.push_str(&line(i));
        }
        alice.stream.write_all(batch.as_bytes())?;
        for read in [&bob_read, &carol_read] {
            read.recv_timeout(PATIENCE)
                .map_err(|_| io::Error::new(ErrorKind::TimedOut, "a reader fell behind alice"))?;
        }
    }
    demo.line(format!(
        "{:<8} {:<10} {FLOOD} lines of {FLOOD_LINE} bytes, 10 MB",
        "alice", "sends"
    ));
    let (mut bob, bob_saw) = bob_reads.join_within(PATIENCE)??;
    let (mut carol, carol_saw) = carol_reads.join_within(PATIENCE)??;
    for (name, saw) in [("bob", bob_saw), ("carol", carol_saw)] {
        demo.line(format!(
            "{name:<8} {:<10} all {saw} of them, and \"* dave left (it stopped reading)\"",
            "receives"
        ));
    }
    alice.expect(demo, "* dave left (it stopped reading)")?;
    drop(dave);
    bob.send_raw(demo, "still here?\n")?;
    alice.expect(demo, "[bob] still here?")?;
    carol.expect(demo, "[bob] still here?")?;
    demo.say(&format!(
        "Dave's queue filled up ({QUEUE} lines, behind the kernel's buffers for his socket) \
         while bob and carol read everything. Then alice's thread waited for room in dave's \
         queue, {} seconds at most, and got none: dave had stopped reading. The server dropped \
         him, told him why and told the rest, and alice went on. A member who reads slowly is \
         waited for instead: it slows the talker down, and is not dropped.",
        READING_PATIENCE.as_secs()
    ));
    carol.leave()?;
    bob.leave()?;
    alice.leave()
}

/// Part 4: leaving is the end of the stream, and the others are told.
fn leaving(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let (mut alice, mut bob, mut carol) = cast(demo, false)?;
    carol.leave()?;
    demo.line(format!(
        "{:<8} {:<10} {}",
        "carol", "leaves", "(closes its connection)"
    ));
    alice.expect(demo, "* carol left")?;
    bob.expect(demo, "* carol left")?;
    demo.say(
        "Leaving needs no message of its own: the server's read returned 0 bytes, the end of \
         the stream, as in lesson 3, and the room told everyone who was left. A reset or a \
         line the wire refuses (over 1,000 bytes, or not UTF-8) ends a member the same way.",
    );
    bob.leave()?;
    alice.leave()
}

/// Alice, bob and carol join, in that order, each after the one before has joined. With
/// `narrate`, every line each of them receives is shown; otherwise one line says it happened.
fn cast(demo: &Demo, narrate: bool) -> io::Result<(Member, Member, Member)> {
    let mut alice = Member::join(demo, "alice", "* in the room: nobody else yet", narrate)?;
    let mut bob = Member::join(demo, "bob", "* in the room: alice", narrate)?;
    let expect = |member: &mut Member, line: &str| {
        if narrate {
            member.expect(demo, line)
        } else {
            member.expect_quietly(line)
        }
    };
    expect(&mut alice, "* bob joined")?;
    let carol = Member::join(demo, "carol", "* in the room: alice, bob", narrate)?;
    expect(&mut alice, "* carol joined")?;
    expect(&mut bob, "* carol joined")?;
    if !narrate {
        demo.line("alice, bob and carol join, as in part 1");
    }
    Ok((alice, bob, carol))
}

/// A scripted member: a plain TCP socket with bounded reads, reading the server's lines.
struct Member {
    name: &'static str,
    stream: TcpStream,
    lines: BufReader<TcpStream>,
}

impl Member {
    /// Connects and sends `name` as the first line, without reading anything.
    fn join_silently(addr: SocketAddr, name: &'static str) -> io::Result<Member> {
        let mut stream = probe::connect(addr)?;
        stream.write_all(format!("{name}\n").as_bytes())?;
        let lines = BufReader::new(stream.try_clone()?);
        Ok(Member {
            name,
            stream,
            lines,
        })
    }

    /// Connects, names itself, and checks that the room says `present`.
    fn join(demo: &Demo, name: &'static str, present: &str, narrate: bool) -> io::Result<Member> {
        let mut member = Member::join_silently(demo.addr, name)?;
        if narrate {
            member.narrate(demo, "joins", show(format!("{name}\n").as_bytes()));
            member.expect(demo, present)?;
        } else {
            member.expect_quietly(present)?;
        }
        Ok(member)
    }

    fn narrate(&self, demo: &Demo, what: &str, detail: impl AsRef<str>) {
        demo.line(format!("{:<8} {what:<10} {}", self.name, detail.as_ref()));
    }

    fn send_raw(&mut self, demo: &Demo, text: &str) -> io::Result<()> {
        self.stream.write_all(text.as_bytes())?;
        self.narrate(demo, "sends", show(text.as_bytes()));
        Ok(())
    }

    /// The next line from the server, without its `\n`.
    fn next_line(&mut self) -> io::Result<String> {
        let mut line = String::new();
        if self.lines.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                ErrorKind::UnexpectedEof,
                format!("{}: the server closed the connection", self.name),
            ));
        }
        line.pop();
        Ok(line)
    }

    fn expect_quietly(&mut self, expected: &str) -> io::Result<()> {
        let line = self.next_line()?;
        if line == expected {
            Ok(())
        } else {
            Err(io::Error::other(format!(
                "{} expected {expected:?} but received {line:?}",
                self.name
            )))
        }
    }

    fn expect(&mut self, demo: &Demo, expected: &str) -> io::Result<()> {
        self.expect_quietly(expected)?;
        self.narrate(demo, "receives", show(expected.as_bytes()));
        Ok(())
    }

    /// Listens for [`A_MOMENT`]: nothing may arrive.
    fn expect_nothing(&mut self, demo: &Demo, why: &str) -> io::Result<()> {
        if !self.lines.buffer().is_empty() {
            return Err(io::Error::other(format!("{} received too much", self.name)));
        }
        self.stream.set_read_timeout(Some(A_MOMENT))?;
        let heard = self.lines.fill_buf().map(|bytes| bytes.to_vec());
        self.stream.set_read_timeout(Some(PATIENCE))?;
        match heard {
            Err(e) if is_timeout(&e) => {}
            Err(e) => return Err(e),
            Ok(bytes) => {
                return Err(io::Error::other(format!(
                    "{} expected nothing but received {}",
                    self.name,
                    show(&bytes)
                )));
            }
        }
        let waited = format!("{} ms: nothing, {why}", A_MOMENT.as_millis());
        self.narrate(demo, "waits", waited);
        Ok(())
    }

    /// Part 3's readers: reads alice's [`FLOOD`] lines, reporting after each [`ROUND`], and
    /// the notice that dave was dropped. Returns the member and how many lines it read.
    fn read_flood(
        mut self,
        round_read: &crossbeam_channel::Sender<()>,
    ) -> io::Result<(Member, usize)> {
        let (mut read, mut saw_dave_leave) = (0, false);
        while read < FLOOD || !saw_dave_leave {
            let line = self.next_line()?;
            if line == "* dave left (it stopped reading)" {
                saw_dave_leave = true;
            } else if line.starts_with(&format!("[alice] {read:05} ")) {
                read += 1;
                if read % ROUND == 0 {
                    let _ = round_read.send(());
                }
            } else {
                return Err(io::Error::other(format!(
                    "{} expected alice's line {read} but received {}",
                    self.name,
                    show(line.as_bytes())
                )));
            }
        }
        Ok((self, read))
    }

    /// Leaves: closes the sending side and reads (discarding the notices still coming) until
    /// the server hangs up, which it does only once the member is out of the room.
    fn leave(&mut self) -> io::Result<()> {
        self.stream.shutdown(Shutdown::Write)?;
        let mut rest = Vec::new();
        match self.lines.read_to_end(&mut rest) {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => Ok(()),
            Err(e) => Err(e),
        }
    }
}
