//! Lesson 9, the chat room, held to its contract (docs/contracts.md, "The chat room"): names,
//! notices, broadcast to everyone but the sender, one line one message however it is cut, the
//! 1,000-byte limit, a member who never reads dropped while the others receive everything, many
//! members at once, raw `nc`-style clients, the client binary, and Ctrl-C.
//!
//! Every member here is a plain `TcpStream` (the probe's, with bounded reads): exactly what `nc`
//! would be. Nothing sleeps to synchronise: "it happened" is a line or an end of stream, "it did
//! not happen" is a read timeout (`A_MOMENT`).

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::Stdio;
use std::sync::{Arc, Barrier};

use socket_lessons::line::MAX_LINE;
use socket_lessons::room::{CLOSING_NOTICE, QUEUE};
use socket_lessons_tools::probe::{self, BoundedThread, ChildGuard, PATIENCE};

use common::{RunningServer, ServerProcess, lesson_command};

/// A member over a raw socket, reading the server's lines.
struct Member {
    name: String,
    stream: TcpStream,
    lines: BufReader<TcpStream>,
}

impl Member {
    /// Connects without naming itself.
    fn connect(addr: SocketAddr, name: &str) -> Member {
        let stream = common::connect(addr);
        let lines = BufReader::new(stream.try_clone().unwrap());
        Member {
            name: name.to_string(),
            stream,
            lines,
        }
    }

    /// Connects, sends `name`, and checks the room's answer is `* in the room: {present}`.
    fn join(addr: SocketAddr, name: &str, present: &str) -> Member {
        let mut member = Member::connect(addr, name);
        member.send(&format!("{name}\n"));
        member.expect(&format!("* in the room: {present}"));
        member
    }

    fn send(&mut self, text: &str) {
        common::send(&mut self.stream, text.as_bytes());
    }

    /// The next line, without its `\n`; panics on a timeout or an end of stream.
    fn line(&mut self) -> String {
        let mut line = String::new();
        match self.lines.read_line(&mut line) {
            Ok(0) => panic!(
                "{}: the server hung up instead of sending a line",
                self.name
            ),
            Ok(_) => {}
            Err(e) => panic!("{}: no line within {PATIENCE:?}: {e}", self.name),
        }
        assert_eq!(
            line.pop(),
            Some('\n'),
            "{}: a line without its end",
            self.name
        );
        line
    }

    fn expect(&mut self, expected: &str) {
        let line = self.line();
        assert_eq!(line, expected, "{} received the wrong line", self.name);
    }

    /// Nothing arrives for [`A_MOMENT`].
    fn expect_silence(&mut self) {
        assert!(
            self.lines.buffer().is_empty(),
            "{}: unread lines: {:?}",
            self.name,
            String::from_utf8_lossy(self.lines.buffer())
        );
        common::expect_silence(&mut self.stream);
    }

    /// The server ends the connection, with no more lines (a reset counts as an end too).
    fn expect_end(&mut self) {
        let mut rest = Vec::new();
        match self.lines.read_to_end(&mut rest) {
            Ok(_) => assert!(
                rest.is_empty(),
                "{}: expected the end, received {:?}",
                self.name,
                String::from_utf8_lossy(&rest)
            ),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
            Err(e) => panic!("{}: the connection did not end: {e}", self.name),
        }
    }

    /// Joins as `name` while `others` are in the room: told their names (in the order they
    /// joined), and each of them hears `* {name} joined`.
    fn join_among(addr: SocketAddr, name: &str, others: &mut [&mut Member]) -> Member {
        let present = if others.is_empty() {
            "nobody else yet".to_string()
        } else {
            let names: Vec<&str> = others.iter().map(|other| other.name.as_str()).collect();
            names.join(", ")
        };
        let member = Member::join(addr, name, &present);
        each_expects(others, &format!("* {name} joined"));
        member
    }

    /// The server is stopping: its goodbye, then the end.
    fn expect_goodbye(&mut self) {
        self.expect(CLOSING_NOTICE);
        self.expect_end();
    }

    /// Leaves as the lesson's client does: closes the sending side, reads until the server hangs
    /// up (which it does once the member is out of the room), discarding what still arrives.
    fn leave(mut self) {
        self.stream.shutdown(Shutdown::Write).unwrap();
        let mut rest = Vec::new();
        let _ = self.lines.read_to_end(&mut rest);
    }
}

/// Members join an empty room one after the other, each checked as [`Member::join_among`] does.
fn room<const N: usize>(addr: SocketAddr, names: [&str; N]) -> [Member; N] {
    let mut members = Vec::with_capacity(N);
    for name in names {
        let member = Member::join_among(addr, name, &mut members.iter_mut().collect::<Vec<_>>());
        members.push(member);
    }
    members
        .try_into()
        .unwrap_or_else(|_| unreachable!("one member a name"))
}

/// Each of `members` receives `line` next.
fn each_expects(members: &mut [&mut Member], line: &str) {
    for member in members {
        member.expect(line);
    }
}

/// Runs the lesson's client to its end as `name`, with `typed` as its input; it must exit 0.
fn run_client_named(addr: SocketAddr, name: &str, typed: &[u8]) -> common::Finished {
    let finished = common::run(
        lesson_command(9).args(["client", "--addr", &addr.to_string(), "--name", name]),
        typed,
    );
    assert!(finished.status.success(), "{finished:?}");
    finished
}

#[test]
fn members_are_told_who_is_there_who_joins_and_who_leaves() {
    let server = RunningServer::lesson(9);
    let [mut alice, bob, mut carol] = room(server.addr, ["alice", "bob", "carol"]);
    bob.leave();
    each_expects(&mut [&mut alice, &mut carol], "* bob left");
    // A reset is leaving too (both handles on the socket must go for it to close).
    let Member { stream, lines, .. } = carol;
    drop(lines);
    common::reset(stream);
    alice.expect("* carol left");
    // The names are free again.
    let _bob = Member::join_among(server.addr, "bob", &mut [&mut alice]);
    alice.expect_silence();
    server.stop().unwrap();
}

#[test]
fn a_name_taken_or_invalid_gets_one_error_line_and_the_end() {
    let server = RunningServer::lesson(9);
    let mut alice = Member::join(server.addr, "alice", "nobody else yet");
    for taken in ["alice", "ALICE"] {
        let mut again = Member::connect(server.addr, taken);
        again.send(&format!("{taken}\n"));
        again.expect("error: the name alice is taken; choose another");
        again.expect_end();
    }
    let long = "a".repeat(17);
    for invalid in ["", "two words", &long, "名字", "bob!", "\x1b[2J"] {
        let mut member = Member::connect(server.addr, "invalid");
        member.send(&format!("{invalid}\n"));
        member.expect("error: a name is 1 to 16 letters or digits (a-z, A-Z, 0-9)");
        member.expect_end();
    }
    // Sixteen is allowed; nobody refused was ever in the room.
    let _sixteen = Member::join_among(server.addr, &"b".repeat(16), &mut [&mut alice]);
    alice.expect_silence();
    server.stop().unwrap();
}

#[test]
fn a_message_reaches_everyone_but_its_sender_and_the_nameless_hear_nothing() {
    let server = RunningServer::lesson(9);
    let mut nameless = Member::connect(server.addr, "nameless");
    let [mut alice, mut bob, mut carol] = room(server.addr, ["alice", "bob", "carol"]);
    alice.send("hello, 你好\n");
    each_expects(&mut [&mut bob, &mut carol], "[alice] hello, 你好");
    alice.expect_silence();
    // Empty lines are not messages.
    bob.send("\n\nhi\n");
    each_expects(&mut [&mut alice, &mut carol], "[bob] hi");
    bob.expect_silence();
    nameless.expect_silence();
    server.stop().unwrap();
}

#[test]
fn a_line_dribbled_byte_by_byte_arrives_as_one_line() {
    let server = RunningServer::lesson(9);
    let [mut alice, mut bob] = room(server.addr, ["alice", "bob"]);
    alice.stream.set_nodelay(true).unwrap();
    let text = "one line, 一行, many writes";
    for byte in text.as_bytes() {
        alice.stream.write_all(&[*byte]).unwrap();
    }
    // Everything but the end: nothing may be passed on yet.
    bob.expect_silence();
    alice.send("\r\n");
    bob.expect(&format!("[alice] {text}"));
    bob.expect_silence();
    server.stop().unwrap();
}

#[test]
fn a_line_over_1000_bytes_ends_only_that_member() {
    let server = RunningServer::lesson(9);
    let [mut alice, mut mallory] = room(server.addr, ["alice", "mallory"]);
    // The longest line passes, whole.
    let longest = "x".repeat(MAX_LINE);
    mallory.send(&format!("{longest}\n"));
    alice.expect(&format!("[mallory] {longest}"));
    // One byte more ends mallory, with a reason.
    mallory.send(&format!("{}\n", "y".repeat(MAX_LINE + 1)));
    mallory.expect("error: a line is longer than 1000 bytes");
    mallory.expect_end();
    alice.expect("* mallory left");
    // The room is fine.
    let mut bob = Member::join_among(server.addr, "bob", &mut [&mut alice]);
    bob.send("still here\n");
    alice.expect("[bob] still here");
    // Bytes that are not UTF-8 end a member too.
    let mut gbk = Member::join_among(server.addr, "gbk", &mut [&mut alice, &mut bob]);
    gbk.stream.write_all(b"\xc4\xe3\xba\xc3\n").unwrap();
    gbk.expect("error: a line is not UTF-8 text");
    gbk.expect_end();
    each_expects(&mut [&mut alice, &mut bob], "* gbk left");
    server.stop().unwrap();
}

/// How many lines, of how many bytes, flow past the member who never reads.
const FLOOD: usize = 10_000;
const FLOOD_LINE: usize = 1000;
/// The sender waits for the readers after every round of this many lines (fewer than
/// [`QUEUE`]), so a reader can never fall [`QUEUE`] lines behind however the machine schedules
/// threads: only the member who does not read at all can.
const ROUND: usize = 250;

#[test]
fn a_member_who_never_reads_is_dropped_and_the_others_receive_everything() {
    const { assert!(ROUND < QUEUE) };
    let server = RunningServer::lesson(9);
    let [mut alice, mut bob, mut carol] = room(server.addr, ["alice", "bob", "carol"]);
    // Dave names himself and never reads again, not even the room's first line.
    let mut dave = Member::connect(server.addr, "dave");
    dave.send("dave\n");
    each_expects(&mut [&mut alice, &mut bob, &mut carol], "* dave joined");

    let readers: Vec<_> = [bob, carol]
        .into_iter()
        .map(|mut member| {
            let (round_read, rounds) = crossbeam_channel::unbounded();
            let reading = BoundedThread::spawn("reader", move || {
                let (mut read, mut dave_left) = (0, false);
                while read < FLOOD || !dave_left {
                    let line = member.line();
                    if line == "* dave left (it stopped reading)" {
                        dave_left = true;
                    } else {
                        assert_eq!(
                            line,
                            format!("[alice] {}", flood_line(read)),
                            "{} lost or reordered a line",
                            member.name
                        );
                        read += 1;
                        if read % ROUND == 0 {
                            round_read.send(()).unwrap();
                        }
                    }
                }
                member
            })
            .unwrap();
            (reading, rounds)
        })
        .collect();
    for round in 0..FLOOD / ROUND {
        let lines: String = (round * ROUND..(round + 1) * ROUND)
            .map(|i| format!("{}\n", flood_line(i)))
            .collect();
        alice.send(&lines);
        for (_, rounds) in &readers {
            rounds
                .recv_timeout(PATIENCE)
                .expect("a reader fell a round behind");
        }
    }
    let mut readers: Vec<Member> = readers
        .into_iter()
        .map(|(reading, _)| reading.join_within(PATIENCE).unwrap())
        .collect();
    alice.expect("* dave left (it stopped reading)");
    // Dave's connection was ended: what he can still read is less than the flood, then the end.
    dave.stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut what_dave_got = Vec::new();
    let _ = dave.lines.read_to_end(&mut what_dave_got);
    assert!(
        what_dave_got.len() < FLOOD * FLOOD_LINE,
        "dave was sent everything ({} bytes)",
        what_dave_got.len()
    );
    // And the room carries on.
    readers[0].send("after the flood\n");
    alice.expect("[bob] after the flood");
    readers[1].expect("[bob] after the flood");
    server.stop().unwrap();
}

/// Line `i` of the flood: its number, then filler, [`FLOOD_LINE`] bytes in all.
fn flood_line(i: usize) -> String {
    format!("{i:05} {}", "x".repeat(FLOOD_LINE - 6))
}

#[test]
fn fifty_members_join_at_once_and_each_hears_the_other_49() {
    const MEMBERS: usize = 50;
    let server = RunningServer::lesson(9);
    let addr = server.addr;
    let everyone_joined = Arc::new(Barrier::new(MEMBERS));
    let everyone_spoke = Arc::new(Barrier::new(MEMBERS));
    let threads: Vec<_> = (0..MEMBERS)
        .map(|n| {
            let (joined, spoke) = (Arc::clone(&everyone_joined), Arc::clone(&everyone_spoke));
            BoundedThread::spawn(format!("m{n}"), move || {
                let name = format!("m{n}");
                let mut member = Member::connect(addr, &name);
                member.send(&format!("{name}\n"));
                let first = member.line();
                assert!(first.starts_with("* in the room: "), "{name}: {first}");
                joined.wait();
                member.send(&format!("hi from {name}\n"));
                let mut heard = Vec::new();
                while heard.len() < MEMBERS - 1 {
                    let line = member.line();
                    if let Some(text) = line.strip_prefix('[') {
                        heard.push(text.to_string());
                    } else {
                        assert!(line.ends_with(" joined"), "{name}: {line}");
                    }
                }
                // Nobody leaves before everybody has heard everybody.
                spoke.wait();
                heard.sort();
                let mut expected: Vec<String> = (0..MEMBERS)
                    .filter(|&other| other != n)
                    .map(|other| format!("m{other}] hi from m{other}"))
                    .collect();
                expected.sort();
                assert_eq!(heard, expected, "{name}");
            })
            .unwrap()
        })
        .collect();
    for thread in threads {
        thread.join_within(2 * PATIENCE).unwrap();
    }
    server.stop().unwrap();
}

#[test]
fn raw_clients_like_nc_and_telnet_take_part() {
    let server = RunningServer::lesson(9);
    let mut alice = Member::join(server.addr, "alice", "nobody else yet");
    // telnet ends lines with \r\n; the \r is not part of the message.
    let mut telnet = Member::connect(server.addr, "telnet");
    telnet.send("bob\r\nhi from telnet\r\n");
    telnet.expect("* in the room: alice");
    alice.expect("* bob joined");
    alice.expect("[bob] hi from telnet");
    // `printf 'carol\nhello\nbye' | nc`: everything in one write, the last line without its \n,
    // then the end of input.
    let mut nc = Member::connect(server.addr, "nc");
    nc.send("carol\nhello\nbye");
    nc.stream.shutdown(Shutdown::Write).unwrap();
    alice.expect("* carol joined");
    alice.expect("[carol] hello");
    alice.expect("[carol] bye");
    alice.expect("* carol left");
    nc.expect("* in the room: alice, bob");
    nc.expect_end();
    server.stop().unwrap();
}

#[test]
fn shutdown_says_goodbye_to_every_member_and_ends_every_connection() {
    let server = RunningServer::lesson(9);
    let [mut alice, mut bob] = room(server.addr, ["alice", "bob"]);
    let mut nameless = Member::connect(server.addr, "nameless");
    server.stop().unwrap();
    alice.expect_goodbye();
    bob.expect_goodbye();
    nameless.expect_end();
}

#[test]
fn ctrl_c_on_the_real_server_says_goodbye_and_exits_0() {
    let mut server = ServerProcess::start(9);
    let [mut alice, mut bob] = room(server.addr, ["alice", "bob"]);
    bob.send("bye \x1b[2J\n");
    alice.expect("[bob] bye \x1b[2J");
    server.wait_for_stderr_line("joined");
    let (status, stderr) = server.interrupt_and_wait();
    alice.expect_goodbye();
    bob.expect_goodbye();
    assert!(status.success(), "{status}:\n{stderr}");
    assert_eq!(
        stderr.lines().last(),
        Some("lesson9 server stopped"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\x1b'),
        "peer text reached the log raw:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_client_joins_by_name_prints_what_arrives_and_leaves_on_q() {
    let server = RunningServer::lesson(9);
    let mut alice = Member::join(server.addr, "alice", "nobody else yet");
    let finished = run_client_named(server.addr, "bob", b"hello\n\nq\nnot sent\n");
    assert_eq!(finished.stdout, "* in the room: alice\n", "{finished:?}");
    alice.expect("* bob joined");
    alice.expect("[bob] hello");
    alice.expect("* bob left");
    alice.expect_silence();
    // Without --name, the first line typed is the name; the end of input leaves.
    let finished = common::client(9, server.addr, b"carol\nhi\n");
    assert!(finished.status.success(), "{finished:?}");
    alice.expect("* carol joined");
    alice.expect("[carol] hi");
    alice.expect("* carol left");
    // A name that is taken: the server's one-line answer is printed, and the client ends.
    let finished = run_client_named(server.addr, "Alice", b"");
    assert_eq!(
        finished.stdout,
        "error: the name alice is taken; choose another\n"
    );
    alice.expect_silence();
    server.stop().unwrap();
}

#[test]
fn the_client_prints_lines_while_its_user_types_and_ends_when_the_server_stops() {
    let server = ServerProcess::start(9);
    let mut alice = Member::join(server.addr, "alice", "nobody else yet");
    let mut client = ChildGuard::spawn(
        lesson_command(9)
            .args([
                "client",
                "--addr",
                &server.addr.to_string(),
                "--name",
                "bob",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        "lesson9 client",
    )
    .unwrap();
    // Its input stays open and empty: nobody types, and still the lines arrive.
    let _typing = client.child().stdin.take().unwrap();
    let mut stdout = BufReader::new(client.child().stdout.take().unwrap());
    let stderr = probe::process::read_to_end_in_background(client.child().stderr.take().unwrap());
    let mut line = String::new();
    let mut next_line = |stdout: &mut BufReader<_>| {
        line.clear();
        stdout.read_line(&mut line).unwrap();
        line.clone()
    };
    assert_eq!(next_line(&mut stdout), "* in the room: alice\n");
    alice.expect("* bob joined");
    alice.send("are you there?\n");
    assert_eq!(next_line(&mut stdout), "[alice] are you there?\n");
    // Ctrl-C on the server: the client prints the goodbye and ends by itself, status 0.
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
    assert_eq!(next_line(&mut stdout), format!("{CLOSING_NOTICE}\n"));
    let status = client.wait_within(PATIENCE).unwrap();
    let stderr = String::from_utf8(stderr.recv_timeout(PATIENCE).unwrap()).unwrap();
    assert!(status.success(), "{status}: {stderr}");
}
