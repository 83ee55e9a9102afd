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
use socket_lessons::room::{CLOSING_NOTICE, QUEUE, READING_PATIENCE, STOPPED_READING};
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

/// The lesson's client, joined as `name`, running: `stdin` is its input, its output and errors
/// are pipes for the test to read.
fn client_named(addr: SocketAddr, name: &str, stdin: Stdio) -> ChildGuard {
    ChildGuard::spawn(
        lesson_command(9)
            .args(["client", "--addr", &addr.to_string(), "--name", name])
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        "lesson9 client",
    )
    .unwrap()
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
    for invalid in ["", "two words", &long, "小 明", "bob!", "\x1b[2J"] {
        let mut member = Member::connect(server.addr, "invalid");
        member.send(&format!("{invalid}\n"));
        member.expect("error: a name is 1 to 16 letters or digits, in any script");
        member.expect_end();
    }
    // A first line that is no line at all, too long or not UTF-8 text, is refused the same way,
    // with the line reader's sentence (the contract promises an `error:` line, not a silent
    // hang-up).
    let too_long = format!("{}\n", "n".repeat(2000));
    for (first_line, error) in [
        (
            too_long.as_bytes(),
            "error: a line is longer than 1000 bytes",
        ),
        (b"\xff\xfe\n".as_slice(), "error: a line is not UTF-8 text"),
    ] {
        let mut member = Member::connect(server.addr, "unreadable");
        common::send(&mut member.stream, first_line);
        member.expect(error);
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
fn a_member_who_never_reads_is_dropped_told_why_and_logged_under_its_own_connection() {
    const { assert!(ROUND < QUEUE) };
    let mut server = ServerProcess::start(9);
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
    // Dave's connection was ended: what he can still read is less than the flood, then why,
    // on a line of its own, then the end.
    dave.stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut what_dave_got = Vec::new();
    let _ = dave.lines.read_to_end(&mut what_dave_got);
    assert!(
        what_dave_got.len() < FLOOD * FLOOD_LINE,
        "dave was sent everything ({} bytes)",
        what_dave_got.len()
    );
    let what_dave_got = String::from_utf8(what_dave_got).unwrap();
    assert_eq!(
        what_dave_got.lines().last(),
        Some(STOPPED_READING),
        "dave was not told why, last"
    );
    assert!(
        what_dave_got.lines().all(|line| line == STOPPED_READING
            || line.starts_with("* ")
            || line.starts_with("[alice] ")),
        "a line of dave's was cut in two"
    );
    // The server's warning is labelled with dave's connection, not alice's, whose thread
    // found his queue full.
    let warning = server.wait_for_stderr_line("dave stopped reading");
    let dave_at = dave.stream.local_addr().unwrap();
    assert!(
        warning.starts_with(&format!(" WARN [client {dave_at}] dave stopped reading")),
        "{warning}"
    );
    // And the room carries on.
    readers[0].send("after the flood\n");
    alice.expect("[bob] after the flood");
    readers[1].expect("[bob] after the flood");
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
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
    // A name that is taken: the server's one-line answer is printed, and the client ends,
    // with an error status: the conversation failed.
    let finished = common::run(
        lesson_command(9).args([
            "client",
            "--addr",
            &server.addr.to_string(),
            "--name",
            "Alice",
        ]),
        b"",
    );
    assert_eq!(
        finished.stdout,
        "error: the name alice is taken; choose another\n"
    );
    assert_eq!(finished.status.code(), Some(1), "{finished:?}");
    assert_eq!(
        finished.error_lines(),
        [format!(
            "error: lesson9 client ({}): the room hung up on us: the name alice is taken; \
             choose another",
            server.addr
        )]
    );
    alice.expect_silence();
    server.stop().unwrap();
}

#[test]
fn the_client_prints_lines_while_its_user_types_and_ends_when_the_server_stops() {
    let server = ServerProcess::start(9);
    let mut alice = Member::join(server.addr, "alice", "nobody else yet");
    let mut client = client_named(server.addr, "bob", Stdio::piped());
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

/// How long each line of a burst is, its `\n` included.
const BURST_LINE: usize = 1000;

/// Line `i` of a burst, without its `\n`: its number, then filler.
fn burst_line(i: usize) -> String {
    format!("{i:07} {}", "b".repeat(BURST_LINE - 9))
}

/// The server's peak resident memory so far (`VmHWM`), in KiB.
#[cfg(target_os = "linux")]
fn peak_memory_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// One member sends `bytes` of 1,000-byte lines in a single write while ten members read as
/// fast as they can: every reader hears every line, in order, and nobody is dropped. Returns
/// the server's peak memory before and after the burst, in KiB.
#[cfg(target_os = "linux")]
fn burst_to_ten_readers(bytes: usize) -> (u64, u64) {
    const READERS: usize = 10;
    let mut server = probe::ServerProcess::spawn(
        lesson_command(9)
            .args(["server", "--addr", "127.0.0.1:0"])
            .env("RUST_LOG", "warn"),
    )
    .unwrap();
    let mut readers: Vec<Member> = Vec::new();
    for n in 0..READERS {
        let reader = Member::join_among(
            server.addr,
            &format!("reader{n}"),
            &mut readers.iter_mut().collect::<Vec<_>>(),
        );
        readers.push(reader);
    }
    let mut talker = Member::join_among(
        server.addr,
        "talker",
        &mut readers.iter_mut().collect::<Vec<_>>(),
    );
    let before = peak_memory_kib(server.id());
    let lines = bytes / BURST_LINE;
    let reading: Vec<_> = readers
        .into_iter()
        .map(|mut reader| {
            BoundedThread::spawn(reader.name.clone(), move || {
                for i in 0..lines {
                    let line = reader.line();
                    assert_eq!(
                        line,
                        format!("[talker] {}", burst_line(i)),
                        "{} lost or reordered a line, or was dropped",
                        reader.name
                    );
                }
                reader
            })
            .unwrap()
        })
        .collect();
    let burst: String = (0..lines).map(|i| format!("{}\n", burst_line(i))).collect();
    assert_eq!(burst.len(), bytes);
    // One write: the talker's kernel takes what it can, and the rest waits for the room.
    let mut stream = talker.stream.try_clone().unwrap();
    let talking =
        BoundedThread::spawn("talker", move || stream.write_all(burst.as_bytes())).unwrap();
    let mut readers: Vec<Member> = reading
        .into_iter()
        .map(|reading| reading.join_within(2 * PATIENCE).unwrap())
        .collect();
    talking.join_within(PATIENCE).unwrap().unwrap();
    let after = peak_memory_kib(server.id());
    // Nobody left: the talker heard no notice, and the readers nothing more.
    talker.expect_silence();
    for reader in &mut readers {
        reader.expect_silence();
    }
    server.interrupt().unwrap();
    let (status, stderr) = server.wait_within(PATIENCE).unwrap();
    assert!(status.success(), "{stderr}");
    assert!(!stderr.contains("stopped reading"), "{stderr}");
    (before, after)
}

/// How much memory the room may take during a burst: ten queues of at most about 1 MiB each,
/// the lines shared between them, plus threads and buffers; far less than the burst itself
/// would be if it piled up ten times over.
#[cfg(target_os = "linux")]
const BURST_MEMORY_BOUND_KIB: u64 = 48 * 1024;

#[cfg(target_os = "linux")]
#[test]
fn a_2_mb_burst_in_one_write_reaches_ten_readers_whole_and_in_order() {
    let (before, after) = burst_to_ten_readers(2_000_000);
    println!("2 MB burst: server peak memory {before} KiB before, {after} KiB after");
    assert!(after < BURST_MEMORY_BOUND_KIB, "{after} KiB");
}

#[cfg(target_os = "linux")]
#[test]
fn a_5_mb_burst_in_one_write_reaches_ten_readers_whole_and_in_order() {
    let (before, after) = burst_to_ten_readers(5_000_000);
    println!("5 MB burst: server peak memory {before} KiB before, {after} KiB after");
    assert!(after < BURST_MEMORY_BOUND_KIB, "{after} KiB");
}

#[test]
fn a_client_that_stops_reading_is_told_why_and_exits_with_an_error() {
    let server = ServerProcess::start(9);
    let mut alice = Member::join(server.addr, "alice", "nobody else yet");
    // Bob's client prints into a pipe nobody reads (`lesson9 client | less`, left paused): once
    // the pipe is full, the client stops reading its socket.
    let mut bob = client_named(server.addr, "bob", Stdio::piped());
    let _typing = bob.child().stdin.take().unwrap();
    let stdout = bob.child().stdout.take().unwrap();
    let stderr = probe::process::read_to_end_in_background(bob.child().stderr.take().unwrap());
    alice.expect("* bob joined");
    // Alice talks, a megabyte at a time, until the room gives up on bob.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let talking = {
        let (mut stream, stop) = (alice.stream.try_clone().unwrap(), Arc::clone(&stop));
        BoundedThread::spawn("alice", move || {
            let megabyte: String = (0..1000).map(|i| format!("{}\n", burst_line(i))).collect();
            let mut sent = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) && sent < 200 {
                stream.write_all(megabyte.as_bytes()).unwrap();
                sent += 1;
            }
            sent
        })
        .unwrap()
    };
    alice.expect("* bob left (it stopped reading)");
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let megabytes = talking.join_within(PATIENCE).unwrap();
    // Now somebody reads bob's output: everything that had been sent to him, then why he was
    // dropped; and the client ends with an error status.
    let printed = probe::process::read_to_end_in_background(stdout);
    let status = bob.wait_within(PATIENCE).unwrap();
    let printed = String::from_utf8(printed.recv_timeout(PATIENCE).unwrap()).unwrap();
    let stderr = String::from_utf8(stderr.recv_timeout(PATIENCE).unwrap()).unwrap();
    assert_eq!(
        printed.lines().last(),
        Some(STOPPED_READING),
        "after {megabytes} MB"
    );
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the room hung up on us: {}",
            STOPPED_READING.trim_start_matches("error: ")
        )),
        "{stderr}"
    );
    drop(server);
}

/// A slow reader is not a reader who stopped: one that pauses now and then, each pause shorter
/// than the room's patience, slows the talker down, hears everything, and is never dropped.
#[test]
fn a_reader_slower_than_the_talker_slows_the_talker_and_stays() {
    const LINES: usize = 3_000;
    let server = RunningServer::lesson(9);
    let [mut talker, slow] = room(server.addr, ["talker", "slow"]);
    let reading = BoundedThread::spawn("slow", move || {
        let mut slow = slow;
        for i in 0..LINES {
            if i % 1000 == 0 {
                // The slow reader is the thing under test, not a way to wait for something:
                // it looks away for a fifth of the patience, while its queue is full.
                std::thread::sleep(READING_PATIENCE / 5);
            }
            assert_eq!(slow.line(), format!("[talker] {}", burst_line(i)));
        }
        slow
    })
    .unwrap();
    let burst: String = (0..LINES).map(|i| format!("{}\n", burst_line(i))).collect();
    talker.send(&burst);
    let mut slow = reading.join_within(2 * PATIENCE).unwrap();
    talker.expect_silence();
    slow.expect_silence();
    server.stop().unwrap();
}

/// A pseudo-terminal: what a terminal window gives the programs in it. The test types into the
/// `master` side; the client reads the `slave` side as its standard input, as it would a
/// terminal.
#[cfg(target_os = "linux")]
fn pseudo_terminal() -> (std::fs::File, std::fs::File) {
    use std::ffi::CStr;
    use std::os::fd::FromRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    // SAFETY: posix_openpt, grantpt, unlockpt and ptsname_r take a descriptor we just opened
    // and own, and ptsname_r writes at most `name.len()` bytes into our buffer.
    unsafe {
        let master = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(master >= 0, "posix_openpt failed");
        assert_eq!(libc::grantpt(master), 0);
        assert_eq!(libc::unlockpt(master), 0);
        let mut name = [0 as libc::c_char; 128];
        assert_eq!(libc::ptsname_r(master, name.as_mut_ptr(), name.len()), 0);
        let path = CStr::from_ptr(name.as_ptr()).to_str().unwrap().to_string();
        let slave = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOCTTY)
            .open(path)
            .unwrap();
        (std::fs::File::from_raw_fd(master), slave)
    }
}

/// Waits, at most [`PATIENCE`], until `file` has something to read; then reads it.
#[cfg(target_os = "linux")]
fn read_when_ready(file: &mut std::fs::File) -> Vec<u8> {
    use std::os::fd::AsRawFd;
    let mut ready = libc::pollfd {
        fd: file.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: poll(2) reads and writes the one pollfd we pass, and nothing else.
    let polled = unsafe { libc::poll(&mut ready, 1, PATIENCE.as_millis() as libc::c_int) };
    assert_eq!(polled, 1, "nothing to read within {PATIENCE:?}");
    let mut bytes = vec![0u8; 4096];
    let n = file.read(&mut bytes).unwrap();
    bytes.truncate(n);
    bytes
}

#[cfg(target_os = "linux")]
#[test]
fn a_client_whose_server_went_away_leaves_nothing_half_typed_for_the_shell() {
    let (mut master, slave) = pseudo_terminal();
    let server = ServerProcess::start(9);
    let mut alice = Member::join(server.addr, "alice", "nobody else yet");
    let mut bob = client_named(server.addr, "bob", slave.try_clone().unwrap().into());
    let stdout = probe::process::read_to_end_in_background(bob.child().stdout.take().unwrap());
    let stderr = probe::process::read_to_end_in_background(bob.child().stderr.take().unwrap());
    alice.expect("* bob joined");
    // Bob types half a line. The terminal echoes it back: then it waits in the terminal's line
    // buffer, for whoever reads the terminal next.
    master.write_all(b"rm -rf half-typed").unwrap();
    let mut echoed = Vec::new();
    while !echoed.ends_with(b"half-typed") {
        echoed.extend(read_when_ready(&mut master));
    }
    // The server goes away; the client ends.
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
    let status = bob.wait_within(PATIENCE).unwrap();
    let printed = String::from_utf8(stdout.recv_timeout(PATIENCE).unwrap()).unwrap();
    let stderr = String::from_utf8(stderr.recv_timeout(PATIENCE).unwrap()).unwrap();
    assert!(status.success(), "{status}: {stderr}");
    assert!(
        printed.ends_with(&format!("{CLOSING_NOTICE}\n")),
        "{printed}"
    );
    // The shell reads the terminal next: when the user presses Enter, it gets an empty line,
    // not the half-typed command.
    master.write_all(b"\n").unwrap();
    let mut shell = slave;
    assert_eq!(String::from_utf8_lossy(&read_when_ready(&mut shell)), "\n");
}
