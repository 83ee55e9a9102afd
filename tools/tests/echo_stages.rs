//! Lessons 1–4 at library level: each stage's serve function on a thread, a server bound to
//! `127.0.0.1:0`, real client sockets, and shutdown fired by the test with `ShutdownSignal::trigger()`.
//!
//! Each test pins one promise: what the stage does, what is still broken in it (the hook for the
//! next lesson), the echo rule (docs/contracts.md, "The echo rule") and clean shutdown with
//! clients connected (docs/contracts.md, "Shutdown").

mod common;

use std::cell::RefCell;
use std::io::{ErrorKind, Write};
use std::net::TcpStream;

use common::*;
use proptest::collection::vec;
use proptest::prelude::any;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use socket_lessons::lessons::{basic, communication_loop, concurrent, connection_loop};
use socket_lessons_tools::probe;

// --- lesson 1: the most basic version ----------------------------------------------------------

#[test]
fn lesson1_serves_one_exchange_then_returns_by_itself() {
    let server = RunningServer::start(basic::serve);
    let addr = server.addr;

    let mut client = connect(addr);
    assert_eq!(exchange(&mut client, b"hello"), b"HELLO");
    // The server hangs up after its one reply...
    expect_end_of_stream(&mut client);
    // ...and returns without anyone firing shutdown.
    server
        .wait_for_return()
        .expect("lesson1's serve should return Ok after its one exchange");

    // The listening socket is gone with it: nobody answers a second client.
    match probe::connect(addr) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionRefused, "{e}"),
        Ok(_) => panic!("a second client connected to lesson1 after it had served once"),
    }
}

#[test]
fn lesson1_returns_when_shutdown_comes_before_any_client() {
    let server = RunningServer::lesson(1);
    server
        .stop()
        .expect("lesson1's serve should return Ok when shut down while waiting");
}

// --- lesson 2: the connection loop -------------------------------------------------------------

#[test]
fn lesson2_serves_sequential_clients_one_message_each() {
    let server = RunningServer::start(connection_loop::serve);

    let mut a = connect(server.addr);
    assert_echo(&mut a, b"hello from a");

    // Still broken in lesson 2: the server hung up after A's first message, so a second message
    // on the same connection gets no reply, only the end of the connection.
    // (The write itself may already fail if the reset came back fast; that is no reply either.)
    if write_unless_closed(&mut a, b"are you still there?") {
        expect_end(&mut a);
    }

    // The connection loop: the server went back to accept and serves the next client.
    let mut b = connect(server.addr);
    assert_echo(&mut b, b"hello from b");
    expect_end(&mut b);

    server
        .stop()
        .expect("lesson2's serve should return Ok after shutdown");
}

// --- lesson 3: the communication loop ----------------------------------------------------------

#[test]
fn lesson3_echoes_many_messages_on_one_connection() {
    let server = RunningServer::start(communication_loop::serve);
    let mut client = connect(server.addr);
    for i in 0..100 {
        assert_echo(&mut client, format!("message {i} of many").as_bytes());
    }
    drop(client);
    server
        .stop()
        .expect("lesson3's serve should return Ok after shutdown");
}

#[test]
fn lesson3_second_client_waits_until_the_first_leaves() {
    let server = RunningServer::lesson(3);

    let mut a = connect(server.addr);
    assert_echo(&mut a, b"a is here");

    // B is connected (the kernel completed its handshake into the backlog) and sends, but the
    // server is inside A's communication loop: B hears nothing.
    let mut b = connect(server.addr);
    send(&mut b, b"b is waiting");
    expect_silence(&mut b);

    // A is still the one being served.
    assert_echo(&mut a, b"a again");
    drop(a);

    // A left: the server accepts B and answers the message that waited all along.
    let waited = b"b is waiting";
    assert_eq!(receive(&mut b, waited.len()), bytes_upper(waited));
    assert_echo(&mut b, b"and more");
    drop(b);
    server
        .stop()
        .expect("lesson3's serve should return Ok after shutdown");
}

#[test]
fn lesson3_survives_clients_that_reset_or_leave_silently() {
    let server = RunningServer::lesson(3);

    // A reset in the middle of a conversation (a killed client): reset is not a crash.
    let mut a = connect(server.addr);
    assert_echo(&mut a, b"about to vanish");
    reset(a);

    // A client that connects and closes without sending: recv returns 0 bytes at once.
    drop(connect(server.addr));

    // The server is fine: the next client is served.
    let mut c = connect(server.addr);
    assert_echo(&mut c, b"still serving?");

    // While C is served, two clients wait in the backlog and give up there: one sends and then
    // resets, one closes without a word. The server meets them only after C leaves.
    let mut d = connect(server.addr);
    send(&mut d, b"never answered");
    reset(d);
    drop(connect(server.addr));
    assert_echo(&mut c, b"c is still served");
    drop(c);

    let mut f = connect(server.addr);
    assert_echo(&mut f, b"served after all that");
    drop(f);
    server
        .stop()
        .expect("lesson3's serve should return Ok after shutdown");
}

// --- lesson 4: concurrency ---------------------------------------------------------------------

#[test]
fn lesson4_answers_hundreds_of_clients_all_connected_at_once() {
    const CLIENTS: usize = 300;
    let server = RunningServer::start(concurrent::serve);

    // Everyone connects first, then everyone sends, then everyone reads: every reply below is
    // answered while all the clients are connected at the same time.
    let mut clients: Vec<TcpStream> = (0..CLIENTS).map(|_| connect(server.addr)).collect();
    let messages: Vec<String> = (0..CLIENTS)
        .map(|i| format!("hello from client {i}"))
        .collect();
    for (client, message) in clients.iter_mut().zip(&messages) {
        send(client, message.as_bytes());
    }
    for (i, (client, message)) in clients.iter_mut().zip(&messages).enumerate() {
        let reply = receive(client, message.len());
        assert_eq!(
            reply,
            bytes_upper(message.as_bytes()),
            "client {i} got someone else's reply, or a wrong one"
        );
    }
    // And a second round on the same connections: each is a conversation, not one message.
    for (i, client) in clients.iter_mut().enumerate() {
        assert_echo(client, format!("round two, client {i}").as_bytes());
    }

    drop(clients);
    server
        .stop()
        .expect("lesson4's serve should return Ok after shutdown");
}

#[test]
fn lesson4_serves_a_new_client_while_another_stays_connected() {
    let server = RunningServer::lesson(4);
    let mut a = connect(server.addr);
    assert_echo(&mut a, b"a is here");
    // Unlike lesson 3, B does not wait for A to leave.
    let mut b = connect(server.addr);
    assert_echo(&mut b, b"b is answered at once");
    assert_echo(&mut a, b"a is still served too");
    drop((a, b));
    server
        .stop()
        .expect("lesson4's serve should return Ok after shutdown");
}

#[test]
fn lesson4_survives_clients_that_reset_or_leave_silently() {
    let server = RunningServer::lesson(4);

    // A client that stays for the whole test: its thread must be unaffected by the others.
    let mut steady = connect(server.addr);
    assert_echo(&mut steady, b"steady");

    for i in 0..20 {
        let mut vanishing = connect(server.addr);
        assert_echo(&mut vanishing, format!("vanishing {i}").as_bytes());
        reset(vanishing);
        // Reset half-way through a message, perhaps before its thread has read anything: the
        // grader's case 4.2 (the same definition `grade --protocol echo` runs).
        let target = socket_lessons_tools::grade::Target {
            addr: server.addr,
            protocol: socket_lessons_tools::grade::Protocol::Echo,
            patience: probe::PATIENCE,
        };
        let case = socket_lessons_tools::grade::case("4.2").unwrap();
        let (hasty, _) = socket_lessons_tools::grade::run_bounded(case, &target);
        assert_eq!(
            hasty.verdict,
            socket_lessons_tools::grade::Verdict::Info,
            "{hasty:?}"
        );
        // Connect and leave without a word.
        drop(connect(server.addr));
    }

    assert_echo(&mut steady, b"steady is still served");
    let mut late = connect(server.addr);
    assert_echo(&mut late, b"a newcomer is served");
    drop((steady, late));
    server
        .stop()
        .expect("lesson4's serve should return Ok after shutdown");
}

// --- the echo rule: bytes.upper() --------------------------------------------------------------

/// One connection to a fresh server of lesson `number`: `message` must come back as
/// `expected`. The one-shot stages (1) return by themselves; the others are shut down.
fn check_echo(number: u16, message: &[u8], expected: &[u8]) {
    let server = RunningServer::lesson(number);
    let mut client = connect(server.addr);
    let reply = exchange(&mut client, message);
    assert_eq!(
        reply, expected,
        "lesson{number}: reply to {message:?} is not its bytes.upper()"
    );
    drop(client);
    let result = if number == 1 {
        server.wait_for_return()
    } else {
        server.stop()
    };
    result.unwrap_or_else(|e| panic!("lesson{number}'s serve returned an error: {e}"));
}

#[test]
fn echo_rule_uppercases_ascii_letters_only() {
    // The contract's own example.
    for number in 1..=4 {
        check_echo(number, b"hello", b"HELLO");
        check_echo(
            number,
            b"Mixed CASE, digits 0123 and !@#[]{}~",
            b"MIXED CASE, DIGITS 0123 AND !@#[]{}~",
        );
    }
}

#[test]
fn echo_rule_leaves_every_non_letter_byte_untouched() {
    // Every byte value once, 0x00..=0xFF: only b'a'..=b'z' may change.
    let every_byte: Vec<u8> = (0..=255).collect();
    let expected = bytes_upper(&every_byte);
    assert_eq!(
        expected
            .iter()
            .zip(&every_byte)
            .filter(|(a, b)| a != b)
            .count(),
        26,
        "the reference bytes.upper() changes exactly the 26 lowercase letters"
    );
    for number in 1..=4 {
        check_echo(number, &every_byte, &expected);
    }
}

#[test]
fn echo_rule_passes_utf8_through_intact() {
    let message = "hello, 你好! ünïcödé ß".as_bytes();
    for number in 1..=4 {
        let server = RunningServer::lesson(number);
        let mut client = connect(server.addr);
        let reply = exchange(&mut client, message);
        assert_eq!(reply, bytes_upper(message), "lesson{number}");
        let text = String::from_utf8(reply).expect("the reply must still be valid UTF-8");
        assert_eq!(text, "HELLO, 你好! üNïCöDé ß", "lesson{number}");
        assert!(text.contains("你好"));
        drop(client);
        if number == 1 {
            server.wait_for_return().unwrap();
        } else {
            server.stop().unwrap();
        }
    }
}

#[test]
fn echo_rule_does_not_damage_utf8_split_across_messages() {
    // "你" is E4 BD A0. Send it in two pieces with a reply in between, so the server sees the
    // character split across two reads: each piece must come back byte for byte.
    let ni = "你".as_bytes();
    for number in [3, 4] {
        let server = RunningServer::lesson(number);
        let mut client = connect(server.addr);
        let mut whole = exchange(&mut client, &ni[..2]);
        whole.extend(exchange(&mut client, &[&ni[2..], b"a"].concat()));
        assert_eq!(
            String::from_utf8(whole).as_deref(),
            Ok("你A"),
            "lesson{number}"
        );
        drop(client);
        server.stop().unwrap();
    }
}

#[test]
fn echo_rule_holds_for_arbitrary_messages() {
    // Random messages of 1..=1024 bytes (the stages read at most 1024 at a time), one after
    // another on one lesson-4 connection.
    let server = RunningServer::lesson(4);
    let client = RefCell::new(connect(server.addr));
    let mut runner = TestRunner::new(Config {
        cases: 128,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&vec(any::<u8>(), 1..=1024), |message| {
        let reply = exchange(&mut client.borrow_mut(), &message);
        if reply != bytes_upper(&message) {
            return Err(TestCaseError::fail(format!(
                "reply {reply:?} to {message:?} is not its bytes.upper()"
            )));
        }
        Ok(())
    });
    drop(client);
    server.stop().unwrap();
    if let Err(e) = result {
        panic!("{e}");
    }
}

// --- shutdown with clients connected ----------------------------------------------------------

#[test]
fn shutdown_ends_idle_clients_lesson2() {
    let server = RunningServer::lesson(2);
    // One exchange first, so the server is up and has gone round its connection loop once.
    let mut earlier = connect(server.addr);
    assert_echo(&mut earlier, b"earlier");
    drop(earlier);
    // `first` sends nothing: the server accepts it and blocks reading it. `queued` waits in the
    // backlog behind it, and its message gets no answer while `first` holds the server.
    let mut first = connect(server.addr);
    let mut queued = connect(server.addr);
    send(&mut queued, b"unanswered");
    expect_silence(&mut queued);

    server.shutdown.trigger();
    // Whether the server had already accepted `first` or not, its read must end, promptly.
    // (Had it not been accepted yet, the closing listener resets it: also an end.)
    expect_end(&mut first);
    expect_end(&mut queued);
    server
        .wait_for_return()
        .expect("lesson2's serve should return Ok after shutdown");
}

#[test]
fn shutdown_ends_idle_clients_lesson3() {
    let server = RunningServer::lesson(3);
    // Being served (proved by an answer), then idle: the server is blocked reading it.
    let mut served = connect(server.addr);
    assert_echo(&mut served, b"then silence");
    // Waiting in the backlog: one with an unanswered message, one silent.
    let mut queued_with_message = connect(server.addr);
    send(&mut queued_with_message, b"unanswered");
    let mut queued_silent = connect(server.addr);
    expect_silence(&mut queued_with_message);

    server.shutdown.trigger();
    expect_end_of_stream(&mut served);
    expect_end(&mut queued_with_message);
    expect_end(&mut queued_silent);
    server
        .wait_for_return()
        .expect("lesson3's serve should return Ok after shutdown");
}

#[test]
fn shutdown_ends_idle_clients_lesson4() {
    const CLIENTS: usize = 50;
    let server = RunningServer::lesson(4);
    // Every client answered once: each has its own thread, now blocked reading it.
    let mut clients: Vec<TcpStream> = (0..CLIENTS).map(|_| connect(server.addr)).collect();
    for (i, client) in clients.iter_mut().enumerate() {
        assert_echo(client, format!("client {i}, then silence").as_bytes());
    }

    server.shutdown.trigger();
    for client in &mut clients {
        expect_end_of_stream(client);
    }
    // serve joins every client thread before it returns, so returning at all means none is left.
    server
        .wait_for_return()
        .expect("lesson4's serve should return Ok after shutdown");
}

#[test]
fn shutdown_ends_idle_clients_lesson1() {
    // Lesson 1 is one-shot, but until its one message arrives it waits like any server, and
    // Ctrl-C must end that wait too. `first` is accepted and never sends; `second` is never
    // going to be served at all.
    let server = RunningServer::lesson(1);
    let mut first = connect(server.addr);
    let mut second = connect(server.addr);
    expect_silence(&mut second);

    server.shutdown.trigger();
    expect_end(&mut first);
    expect_end(&mut second);
    server
        .wait_for_return()
        .expect("lesson1's serve should return Ok after shutdown");
}

/// Writes to a connection the server may already have closed: true if the bytes went out,
/// false if the kernel already knew the connection was gone (also "no reply").
fn write_unless_closed(stream: &mut TcpStream, bytes: &[u8]) -> bool {
    match stream.write_all(bytes) {
        Ok(()) => true,
        Err(e) if matches!(e.kind(), ErrorKind::BrokenPipe | ErrorKind::ConnectionReset) => false,
        Err(e) => panic!("unexpected write error: {e}"),
    }
}

// --- the scenario engine's "second client", against lessons 3 and 4 ---------------------------
//
// The experiment compare's first row, grade's case 3.1 and the demos of lessons 3 and 4 play. Its
// observations must say, in order, what the stage forced: lesson 3 leaves B connected and
// unanswered until A has gone; lesson 4 answers B while A stays.

mod second_client {
    use super::*;
    use socket_lessons_tools::probe::PATIENCE;
    use socket_lessons_tools::scenario::clients::{self, Second, SecondClient};
    use socket_lessons_tools::scenario::{Act, Observations, Protocol, Target};

    fn target(server: &RunningServer) -> Target {
        Target {
            addr: server.addr,
            protocol: Protocol::Echo,
            patience: PATIENCE,
        }
    }

    /// Where `actor`'s first act that `matches` is, in the run's order.
    fn first(observations: &Observations, actor: &str, matches: fn(&Act) -> bool) -> usize {
        observations
            .position(actor, 0, matches)
            .unwrap_or_else(|| panic!("no such act of {actor}: {observations:#?}"))
    }

    #[test]
    fn lesson3_makes_b_wait_in_silence_until_a_has_left() {
        let server = RunningServer::lesson(3);
        let run = clients::second_client(&target(&server), &SecondClient::PLAIN);
        assert_eq!(run.finding, Second::WaitsForFirst { waited_ms: 300 });
        let o = &run.observations;
        let silence = first(o, "B", |act| matches!(act, Act::Silence { .. }));
        let a_leaves = first(o, "A", |act| matches!(act, Act::Closes));
        let b_reads = first(o, "B", |act| matches!(act, Act::Reads { .. }));
        assert!(silence < a_leaves && a_leaves < b_reads, "{o:#?}");
        assert_eq!(o.writes("B"), [b"second"]);
        assert_eq!(o.reads("B"), [b"SECOND"]);
        server.stop().unwrap();
    }

    #[test]
    fn lesson4_answers_b_while_a_stays() {
        let server = RunningServer::lesson(4);
        let run = clients::second_client(&target(&server), &SecondClient::PLAIN);
        assert_eq!(run.finding, Second::Served);
        let o = &run.observations;
        let b_reads = first(o, "B", |act| matches!(act, Act::Reads { .. }));
        let a_leaves = first(o, "A", |act| matches!(act, Act::Closes));
        assert!(b_reads < a_leaves, "{o:#?}");
        assert!(!o.of("B").any(|act| matches!(act, Act::Silence { .. })));
        server.stop().unwrap();
    }
}
