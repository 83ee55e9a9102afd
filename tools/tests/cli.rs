//! The lessons as a student runs them: the real `lessonN` binaries, started as child processes.
//! The demos and client/server sessions of lessons 1–4 live here (lessons 5 and 6 have theirs in
//! `sticky_stages.rs`); the command-line contract (errors, `--help`) is checked for all six.
//!
//! Servers are started with `server --addr 127.0.0.1:0`; the port is read from the
//! `listening on 127.0.0.1:PORT` line the server prints on stderr. Ctrl-C is a real SIGINT. Every
//! child is waited for with a timeout and killed if the test fails.

mod common;

use std::net::TcpListener;

use common::*;

// --- the demo: `lessonN` with no arguments -----------------------------------------------------

#[test]
fn normalise_ports_replaces_only_port_numbers() {
    assert_eq!(
        normalise_ports("on 127.0.0.1:40123, then 127.0.0.1:8 and 127.0.0.1: and 10.0.0.1:5"),
        (
            "on 127.0.0.1:PORT, then 127.0.0.1:PORT and 127.0.0.1: and 10.0.0.1:5".to_string(),
            2
        )
    );
    assert_eq!(
        normalise_ports("你好 127.0.0.1:1"),
        ("你好 127.0.0.1:PORT".to_string(), 1)
    );
    assert_eq!(
        normalise_ports("on 127.0.0.1:8005, then 127.0.0.1:41234) and 127.0.0.1:x"),
        (
            "on 127.0.0.1:PORT, then 127.0.0.1:PORT) and 127.0.0.1:x".to_string(),
            2
        )
    );
    assert_eq!(normalise_ports("no address"), ("no address".to_string(), 0));
}

/// The transcript's lines, trimmed and with every run of spaces collapsed to one: the checks
/// below pin what a demo says, not how it lines up its columns.
fn transcript_lines(transcript: &str) -> Vec<String> {
    transcript
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The position of the first line of `lines`, at or after `from`, that satisfies `matches`.
fn find_line(lines: &[String], from: usize, matches: impl Fn(&str) -> bool) -> Option<usize> {
    lines
        .iter()
        .skip(from)
        .position(|line| matches(line))
        .map(|i| from + i)
}

/// Checks that each of `expected` is a whole line of lesson `number`'s transcript, in this order
/// (other lines may come between them). Returns where each one was found.
fn assert_lines_in_order(number: u16, transcript: &str, expected: &[&str]) -> Vec<usize> {
    let lines = transcript_lines(transcript);
    let mut from = 0;
    let mut found = Vec::new();
    for &wanted in expected {
        let Some(at) = find_line(&lines, from, |line| line == wanted) else {
            panic!(
                "lesson{number}'s demo should say {wanted:?} (after {:?}):\n{transcript}",
                found.last().map(|&at: &usize| &lines[at])
            );
        };
        found.push(at);
        from = at + 1;
    }
    found
}

#[test]
fn lesson1_demo_is_deterministic() {
    let transcript = assert_demo_is_deterministic(1);
    // One client, one message, and then nobody is listening any more.
    assert_lines_in_order(
        1,
        &transcript,
        &[
            "client A connects",
            r#"client A sends "hello, 你好""#,
            r#"client A receives "HELLO, 你好""#,
            "server has served its one message and exited",
            "client B tries to connect: connection refused, nobody is listening",
        ],
    );
    let lines = transcript_lines(&transcript);
    assert_eq!(
        find_line(&lines, 0, |line| line.starts_with("client B receives")),
        None,
        "lesson1's second client must get nothing:\n{transcript}"
    );
}

#[test]
fn lesson2_demo_is_deterministic() {
    let transcript = assert_demo_is_deterministic(2);
    // A's second message gets no reply (the server hung up); the next client is served.
    assert_lines_in_order(
        2,
        &transcript,
        &[
            r#"client A sends "hello""#,
            r#"client A receives "HELLO""#,
            r#"client A sends "are you still there?""#,
            "client A receives nothing: the server hung up",
            "client B connects",
            r#"client B sends "hi from b""#,
            r#"client B receives "HI FROM B""#,
        ],
    );
    let lines = transcript_lines(&transcript);
    let replies_to_a = lines
        .iter()
        .filter(|line| line.starts_with(r#"client A receives ""#))
        .count();
    assert_eq!(
        replies_to_a, 1,
        "lesson2 answers one message per connection:\n{transcript}"
    );
}

#[test]
fn lesson3_demo_is_deterministic() {
    let transcript = assert_demo_is_deterministic(3);
    // B is connected while A talks, but only gets its reply once A has quit.
    let at = assert_lines_in_order(
        3,
        &transcript,
        &[
            "client A connects",
            "client B connects",
            r#"client B sends "hi from b""#,
            r#"client A sends "bye""#,
            r#"client A receives "BYE""#,
            "client A quits (closes its connection)",
            r#"client B receives "HI FROM B""#,
        ],
    );
    let (b_sends, a_quits) = (at[2], at[5]);
    let lines = transcript_lines(&transcript);
    let b_waits = find_line(&lines, b_sends, |line| {
        line.starts_with("client B waits") && line.contains("no reply")
    });
    assert!(
        b_waits.is_some_and(|waits| waits < a_quits),
        "lesson3's demo should say that B gets no reply while A is connected:\n{transcript}"
    );
    let b_first_reply = find_line(&lines, 0, |line| line.starts_with("client B receives"));
    assert_eq!(
        b_first_reply,
        Some(at[6]),
        "B's first reply in lesson3 must come after A quits:\n{transcript}"
    );
}

#[test]
fn lesson4_demo_is_deterministic() {
    let transcript = assert_demo_is_deterministic(4);
    // B is answered while A is still connected, and A is still served afterwards.
    assert_lines_in_order(
        4,
        &transcript,
        &[
            "client A connects",
            r#"client A sends "hello from a""#,
            r#"client A receives "HELLO FROM A""#,
            "client B connects",
            r#"client B sends "hi from b""#,
            r#"client B receives "HI FROM B""#,
            r#"client A sends "a again""#,
            r#"client A receives "A AGAIN""#,
            "client A quits (closes its connection)",
        ],
    );
}

// --- server and client binaries together -------------------------------------------------------

/// Runs `lessonN client --addr ADDR` with `input` on stdin; it must succeed.
fn run_client(number: u16, addr: std::net::SocketAddr, input: &str) -> Finished {
    let finished = client(number, addr, input.as_bytes());
    assert!(
        finished.status.success(),
        "lesson{number} client failed: {:?}\nstderr:\n{}",
        finished.status,
        finished.stderr
    );
    finished.assert_no_panic();
    finished
}

#[test]
fn lesson1_client_and_server_one_exchange_then_the_server_exits() {
    let server = ServerProcess::start(1);
    let client = run_client(1, server.addr, "hello\nsecond line is never sent\n");
    // The reply to the first line, on its own line; nothing else.
    assert_eq!(client.stdout, "HELLO\n");
    // The one-shot server exits 0 by itself, without Ctrl-C.
    let (status, stderr) = server.wait();
    assert!(
        status.success(),
        "lesson1 server: {status:?}\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn lesson2_client_and_server_serve_clients_one_after_another() {
    let server = ServerProcess::start(2);
    let a = run_client(2, server.addr, "hello\nignored\n");
    assert_eq!(a.stdout, "HELLO\n");
    let b = run_client(2, server.addr, "你好, lesson two\n");
    assert_eq!(b.stdout, "你好, LESSON TWO\n");
    // Lesson 2 runs until Ctrl-C.
    let (status, stderr) = server.interrupt_and_wait();
    assert!(
        status.success(),
        "lesson2 server: {status:?}\nstderr:\n{stderr}"
    );
}

/// The communication-loop client against its real server: one reply per non-empty line, each on
/// its own stdout line; `q` ends it and nothing after `q` comes back.
fn client_talks_until_q(number: u16) {
    let server = ServerProcess::start(number);
    let client = run_client(
        number,
        server.addr,
        "hello\n\n你好 world\n\nq\nafter q\nstill after q\n",
    );
    assert_eq!(client.stdout, "HELLO\n你好 WORLD\n");

    // Input that simply ends (no `q`, no final newline) ends the client too.
    let client = run_client(number, server.addr, "one\ntwo\nthree");
    assert_eq!(client.stdout, "ONE\nTWO\nTHREE\n");

    let (status, stderr) = server.interrupt_and_wait();
    assert!(
        status.success(),
        "lesson{number} server: {status:?}\nstderr:\n{stderr}"
    );
}

#[test]
fn lesson3_client_skips_empty_lines_and_stops_at_q() {
    client_talks_until_q(3);
}

#[test]
fn lesson4_client_skips_empty_lines_and_stops_at_q() {
    client_talks_until_q(4);
}

/// What a client puts on the wire, seen by a recording stand-in server: one message per
/// non-empty line, newline not sent; nothing for empty lines; nothing from `q` onwards.
fn client_sends_exactly(number: u16, input: &str, expected_on_wire: &str, expected_out: &str) {
    let recorder = RecordingServer::start();
    let client = run_client(number, recorder.addr, input);
    assert_eq!(client.stdout, expected_out, "lesson{number} client stdout");
    assert_eq!(
        String::from_utf8_lossy(&recorder.recorded()),
        expected_on_wire,
        "what lesson{number}'s client sent"
    );
}

#[test]
fn one_shot_clients_send_only_the_first_line() {
    for number in [1, 2] {
        client_sends_exactly(number, "first\nsecond\nq\n", "first", "FIRST\n");
    }
}

#[test]
fn loop_clients_send_nothing_for_empty_lines_or_after_q() {
    for number in [3, 4] {
        client_sends_exactly(
            number,
            "hello\n\n你好\nq\nafter q\n",
            "hello你好",
            "HELLO\n你好\n",
        );
        client_sends_exactly(number, "q\nnever sent\n", "", "");
        client_sends_exactly(
            number,
            "\n\nlast, no newline",
            "last, no newline",
            "LAST, NO NEWLINE\n",
        );
    }
}

// --- Ctrl-C ------------------------------------------------------------------------------------

/// SIGINT with idle clients connected: every client's blocked read ends, the process exits 0,
/// and its log says the server stopped.
fn ctrl_c_stops_the_server(number: u16, clients_served: usize) {
    let mut server = ServerProcess::start(number);
    // Clients that have been answered, then sit idle: the server is blocked reading them.
    let mut idle: Vec<_> = (0..clients_served)
        .map(|i| {
            let mut client = connect(server.addr);
            assert_echo(&mut client, format!("client {i}").as_bytes());
            client
        })
        .collect();
    // Lesson 3 serves one client at a time: a second one waits in the backlog.
    let mut waiting = (number == 3).then(|| connect(server.addr));

    server.interrupt();
    for client in &mut idle {
        expect_end_of_stream(client);
    }
    if let Some(waiting) = &mut waiting {
        expect_end(waiting);
    }
    let (status, stderr) = server.wait();
    assert_eq!(
        status.code(),
        Some(0),
        "lesson{number} server after Ctrl-C: {status:?}\nstderr:\n{stderr}"
    );
    assert!(
        stderr.to_lowercase().contains("stopped"),
        "lesson{number} server did not log that it stopped:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn ctrl_c_stops_lesson3_server_with_an_idle_client() {
    ctrl_c_stops_the_server(3, 1);
}

#[test]
fn ctrl_c_stops_lesson4_server_with_idle_clients() {
    ctrl_c_stops_the_server(4, 5);
}

// --- errors: one clear line, non-zero exit, never a panic --------------------------------------

#[test]
fn client_with_nothing_listening_fails_with_one_error_line() {
    for number in 1..=6 {
        let addr = unused_addr();
        let finished = client(number, addr, b"hello\n");
        assert!(
            !finished.status.success(),
            "lesson{number} client succeeded with nothing listening"
        );
        finished.assert_no_panic();
        assert_eq!(
            finished.error_lines().len(),
            1,
            "lesson{number}: expected one `error:` line, got:\n{}",
            finished.stderr
        );
        assert!(
            finished.stdout.is_empty(),
            "lesson{number} client printed a reply: {:?}",
            finished.stdout
        );
    }
}

#[test]
fn server_on_an_address_in_use_fails_with_one_error_line() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    for number in 1..=6 {
        let finished = run(
            lesson_command(number).args(["server", "--addr", &addr.to_string()]),
            b"",
        );
        assert!(
            !finished.status.success(),
            "lesson{number} server started on an address already in use"
        );
        finished.assert_no_panic();
        let errors = finished.error_lines();
        assert_eq!(errors.len(), 1, "lesson{number}:\n{}", finished.stderr);
        assert!(
            errors[0].contains(&addr.port().to_string()),
            "lesson{number}: the error should name the address: {}",
            errors[0]
        );
    }
    drop(taken);
}

#[test]
fn bad_addr_is_a_usage_error_not_a_panic() {
    for number in 1..=6 {
        for mode in ["server", "client"] {
            let finished = run(
                lesson_command(number).args([mode, "--addr", "nonsense"]),
                b"hello\n",
            );
            assert_eq!(
                finished.status.code(),
                Some(2),
                "lesson{number} {mode} --addr nonsense: {:?}\n{}",
                finished.status,
                finished.stderr
            );
            finished.assert_no_panic();
            assert_eq!(finished.error_lines().len(), 1, "{}", finished.stderr);
            assert!(finished.stderr.contains("--addr"), "{}", finished.stderr);
        }
    }
}

#[test]
fn help_describes_the_stage_and_its_options() {
    for number in 1..=6 {
        // The default address is lesson N's own port, 800N.
        let default_addr = format!("127.0.0.1:800{number}");
        let top = run(lesson_command(number).arg("--help"), b"");
        assert!(top.status.success(), "lesson{number} --help failed");
        top.assert_no_panic();
        // The course map's one-sentence description of the stage.
        let about = socket_lessons::course::lesson(number).about;
        assert!(
            top.stdout.contains(about),
            "lesson{number} --help does not describe the stage:\n{}",
            top.stdout
        );
        assert!(top.stdout.contains("server") && top.stdout.contains("client"));
        assert!(
            top.stdout.contains("--addr") && top.stdout.contains(&default_addr),
            "lesson{number} --help does not mention --addr and its default {default_addr}:\n{}",
            top.stdout
        );
        for mode in ["server", "client"] {
            let help = run(lesson_command(number).args([mode, "--help"]), b"");
            assert!(help.status.success(), "lesson{number} {mode} --help failed");
            help.assert_no_panic();
            assert!(
                help.stdout.contains(&format!("lesson{number} {mode}")),
                "lesson{number} {mode} --help does not name the lesson:\n{}",
                help.stdout
            );
            assert!(
                help.stdout.contains("--addr"),
                "lesson{number} {mode} --help does not list --addr:\n{}",
                help.stdout
            );
            assert!(
                help.stdout.contains(&default_addr),
                "lesson{number} {mode} --help does not show its default address:\n{}",
                help.stdout
            );
        }
    }
}
