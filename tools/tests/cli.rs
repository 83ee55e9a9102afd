//! The lessons as a student runs them: the real `lessonN` binaries, started as child processes.
//! The demos and client/server sessions of lessons 1–4 live here (lessons 5 and 6 have theirs in
//! `sticky_stages.rs`); the command-line contract (errors, `--help`) is checked for all six.
//!
//! Servers are started with `server --addr 127.0.0.1:0`; the port is read from the
//! `listening on 127.0.0.1:PORT` line the server prints on stderr. Ctrl-C is a real SIGINT. Every
//! child is waited for with a timeout and killed if the test fails.

mod common;

use std::net::TcpListener;
use std::process::Command;

use socket_lessons_tools::probe::PATIENCE;

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
        // (Folded to 80 columns: compared with its line breaks made spaces again.)
        let about = socket_lessons::course::lesson(number).about;
        let unfolded = top.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            unfolded.contains(about),
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

// --- flags: every kind of value is checked before anything listens -----------------------------

/// `lessonN ARGS` must be refused as a usage error (status 2) whose first line is exactly
/// `expected`, and must never have said `listening on` (nor connected: no client here has a
/// server to reach).
fn assert_refused_before_listening(number: u16, args: &[&str], expected: &str) {
    let finished = run(lesson_command(number).args(args), b"");
    assert_eq!(
        finished.status.code(),
        Some(2),
        "lesson{number} {args:?}: {}",
        finished.stderr
    );
    finished.assert_no_panic();
    assert_eq!(
        finished.error_lines(),
        [expected],
        "lesson{number} {args:?}:\n{}",
        finished.stderr
    );
    assert!(
        !finished.stderr.contains("listening on"),
        "lesson{number} {args:?} listened first:\n{}",
        finished.stderr
    );
}

const SECONDS: &str = "expected a number of seconds from 0.001 to 86400, like 2 or 0.5";

#[test]
fn a_bad_number_of_seconds_gets_the_same_sentence_in_every_lesson() {
    let nowhere = unused_addr().to_string();
    for (number, side, flag, value) in [
        (7, "client", "--timeout", "-1"),
        (7, "client", "--timeout", "abc"),
        (10, "server", "--idle", "0"),
        (10, "server", "--idle", "-1"),
        (10, "client", "--timeout", "inf"),
        (11, "client", "--timeout", "0.0001"),
    ] {
        assert_refused_before_listening(
            number,
            &[side, "--addr", &nowhere, flag, value],
            &format!("error: invalid value '{value}' for '{flag} <SECS>': {SECONDS}"),
        );
    }
    // Lesson 11's timeouts may also be switched off, and say so; no number means "never",
    // however small (0.0000000001 s once rounded to nothing, and nothing meant never).
    for (flag, value) in [
        ("--idle", "abc"),
        ("--idle", "0"),
        ("--idle", "-1"),
        ("--idle", "0.0000000001"),
        ("--write-timeout", "0"),
    ] {
        assert_refused_before_listening(
            11,
            &["server", "--addr", "127.0.0.1:0", flag, value],
            &format!("error: invalid value '{value}' for '{flag} <SECS>': {SECONDS}, or never"),
        );
    }
}

#[test]
fn a_bad_size_is_refused_before_listening() {
    for value in ["1Q", "-1", "1.5G", "G"] {
        assert_refused_before_listening(
            8,
            &["server", "--addr", "127.0.0.1:0", "--max-upload", value],
            &format!(
                "error: invalid value '{value}' for '--max-upload <SIZE>': expected a size like \
                 1048576, 64K, 512M or 1G (1K = 1024 bytes)"
            ),
        );
    }
}

#[test]
fn a_bad_count_is_refused_before_listening() {
    for (number, args, flag, range) in [
        (
            11,
            &["server", "--addr", "127.0.0.1:0"][..],
            "--max-clients <N>",
            "1 to 1000000",
        ),
        (
            11,
            &["server", "--addr", "127.0.0.1:0"],
            "--backlog <N>",
            "0 to 65535",
        ),
        (3, &[], "--part <N>", "1 to 65535"),
        (3, &["demo"], "--part <N>", "1 to 65535"),
    ] {
        let name = flag.split(' ').next().unwrap();
        let values: &[&str] = if name == "--backlog" {
            &["-5", "70000", "many"]
        } else {
            &["0", "-1", "many"]
        };
        for value in values {
            let mut all = args.to_vec();
            all.extend([name, value]);
            assert_refused_before_listening(
                number,
                &all,
                &format!(
                    "error: invalid value '{value}' for '{flag}': expected a whole number from \
                     {range}"
                ),
            );
        }
    }
}

#[test]
fn the_tools_word_a_bad_count_as_the_lessons_do() {
    // The same kind of value gets the same sentence in every binary of the course, the
    // instructor tools included, and a negative number reaches it instead of being read as a
    // flag.
    let netassist = env!("CARGO_BIN_EXE_netassist");
    let chaos = env!("CARGO_BIN_EXE_chaos");
    let client = ["tcp-client", "--addr", "127.0.0.1:1"];
    for (program, args, flag, value, range) in [
        (netassist, &client[..], "--repeat <N>", "0", "1 to 1000000"),
        (netassist, &client, "--repeat <N>", "-1", "1 to 1000000"),
        (netassist, &client, "--interval <MS>", "-5", "0 to 3600000"),
        (netassist, &client, "--wait <MS>", "soon", "0 to 3600000"),
        (
            chaos,
            &["--to", "127.0.0.1:1"],
            "--seed <N>",
            "-3",
            "0 to 18446744073709551615",
        ),
    ] {
        let name = flag.split(' ').next().unwrap();
        let finished = run(Command::new(program).args(args).args([name, value]), b"");
        assert_eq!(finished.status.code(), Some(2), "{program} {name} {value}");
        assert_eq!(
            finished.error_lines(),
            [format!(
                "error: invalid value '{value}' for '{flag}': expected a whole number from {range}"
            )],
            "{program} {name} {value}:\n{}",
            finished.stderr
        );
    }
}

#[test]
fn a_bad_address_or_path_is_refused_before_listening() {
    assert_refused_before_listening(
        11,
        &["server", "--addr", "nonsense"],
        "error: invalid value 'nonsense' for '--addr <ADDR>': expected HOST:PORT, like \
         127.0.0.1:8001 (invalid socket address)",
    );
    // `--root` on a regular file used to answer `File exists (os error 17)`, after listening.
    let file = std::env::temp_dir().join(format!("lesson8-root-{}.txt", std::process::id()));
    std::fs::write(&file, b"not a folder").unwrap();
    let path = file.to_str().unwrap();
    assert_refused_before_listening(
        8,
        &["server", "--addr", "127.0.0.1:0", "--root", path],
        &format!(
            "error: invalid value '{path}' for '--root <DIR>': expected a path to a folder (made \
             if missing), but this is a regular file"
        ),
    );
    std::fs::remove_file(&file).unwrap();
    // A path wider than a line is cut where the line ends (it has no space to fold at), so the
    // sentence is compared with its spaces squeezed out; every line still fits 80 columns.
    let long = format!("/tmp/{}.sock", "x".repeat(200));
    let finished = run(lesson_command(11).args(["server", "--unix", &long]), b"");
    assert_eq!(finished.status.code(), Some(2), "{}", finished.stderr);
    let squeezed = |text: &str| text.replace(' ', "");
    assert_eq!(
        finished
            .error_lines()
            .iter()
            .map(|e| squeezed(e))
            .collect::<Vec<_>>(),
        [squeezed(&format!(
            "error: invalid value '{long}' for '--unix <PATH>': expected a path for a Unix socket, \
             at most 107 bytes long (this one has {})",
            long.len()
        ))],
        "{}",
        finished.stderr
    );
    assert!(
        finished
            .stderr
            .lines()
            .all(|line| line.chars().count() <= 80),
        "{}",
        finished.stderr
    );
    // A Unix socket is where to listen instead of an address: both is a mistake, not a choice.
    assert_refused_before_listening(
        11,
        &["server", "--unix", "/tmp/l11.sock", "--addr", "127.0.0.1:0"],
        "error: the argument '--unix <PATH>' cannot be used with '--addr <ADDR>'",
    );
    assert_refused_before_listening(
        6,
        &["server", "--addr", "127.0.0.1:0", "--wire", "json"],
        "error: invalid value 'json' for '--wire <WIRE>': expected framed, tutorial or \
         tutorial-basic",
    );
}

#[test]
fn the_time_wait_error_is_one_whole_line() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let finished = run(
        lesson_command(11).args(["server", "--addr", &addr, "--no-reuse-address"]),
        b"",
    );
    assert_eq!(finished.status.code(), Some(1), "{}", finished.stderr);
    assert_eq!(
        finished.error_lines(),
        [format!(
            "error: cannot listen on {addr}: the address is already in use: another server is \
             running there, or (with --no-reuse-address) a connection that just closed still \
             holds the port in TIME_WAIT; wait a minute, or drop --no-reuse-address (`lesson11 \
             demo --part 1` shows why)"
        )]
    );
}

#[cfg(unix)]
#[test]
fn unix_socket_errors_say_what_is_at_the_path() {
    let dir = std::env::temp_dir().join(format!("lesson11-unix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("a.txt");
    std::fs::write(&file, b"a regular file").unwrap();
    let missing = dir.join("no-such-folder").join("l11.sock");
    let nobody = dir.join("nobody.sock");
    let (file, missing, nobody) = (
        file.to_str().unwrap(),
        missing.to_str().unwrap(),
        nobody.to_str().unwrap(),
    );
    let folder = dir.join("no-such-folder");
    for (side, path, expected) in [
        (
            "server",
            file,
            format!(
                "error: cannot listen on unix:{file}: that path is a regular file, not a \
                 socket: remove it, or choose another path with --unix PATH"
            ),
        ),
        (
            "server",
            missing,
            format!(
                "error: cannot listen on unix:{missing}: the folder {} does not exist",
                folder.display()
            ),
        ),
        (
            "client",
            file,
            format!(
                "error: cannot connect to unix:{file}: that path is a regular file, not a socket"
            ),
        ),
        (
            "client",
            nobody,
            format!(
                "error: cannot connect to unix:{nobody}: there is no socket at that path. Start \
                 the server first: cargo run --bin lesson11 -- server --unix {nobody}"
            ),
        ),
    ] {
        let finished = run(lesson_command(11).args([side, "--unix", path]), b"");
        assert_eq!(finished.status.code(), Some(1), "{}", finished.stderr);
        assert_eq!(finished.error_lines(), [expected]);
        assert!(
            !finished.stderr.contains("listening on"),
            "{}",
            finished.stderr
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_demo_flags_are_every_lessons_and_pointed_to_when_misplaced() {
    for lesson in &socket_lessons::course::LESSONS {
        let help = run(lesson_command(lesson.number).arg("--help"), b"");
        assert!(
            help.stdout.contains("--step") && help.stdout.contains("--part <N>"),
            "lesson{} --help:\n{}",
            lesson.number,
            help.stdout
        );
    }
    // `lesson1 --part 1` is `lesson1 demo --part 1`.
    let top = run(lesson_command(1).args(["--part", "1"]), b"");
    let demo = run(lesson_command(1).args(["demo", "--part", "1"]), b"");
    assert!(top.status.success(), "{}", top.stderr);
    assert_eq!(normalise_ports(&top.stdout), normalise_ports(&demo.stdout));
    // Put after `server`, the demo's flag is refused with a pointer to where it belongs.
    let misplaced = run(lesson_command(7).args(["server", "--step"]), b"");
    assert_eq!(misplaced.status.code(), Some(2));
    assert!(
        misplaced.stderr.lines().any(|line| line.trim()
            == "tip: --step paces the demo: `lesson7 --step` (or `lesson7 demo --step`)"),
        "{}",
        misplaced.stderr
    );
}

// --- a cap the process cannot hold -------------------------------------------------------------

/// Lesson 11 started as `lesson11 server ARGS` under `prlimit PRLIMIT...`, RUST_LOG=warn.
#[cfg(target_os = "linux")]
fn lesson11_under(prlimit: &[String], args: &[&str]) -> socket_lessons_tools::probe::ServerProcess {
    let mut command = std::process::Command::new("prlimit");
    command
        .args(prlimit)
        .arg("--")
        .arg(bin(11))
        .args(["server", "--addr", "127.0.0.1:0"])
        .args(args)
        .env("RUST_LOG", "warn")
        .env("RUST_LOG_STYLE", "never");
    socket_lessons_tools::probe::ServerProcess::spawn(&mut command)
        .unwrap_or_else(|e| panic!("lesson11 under {prlimit:?} did not start: {e}"))
}

/// A field of `/proc/PID/status`, in its unit (kB for sizes).
#[cfg(target_os = "linux")]
fn proc_status(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with(&format!("{field}:")))
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Under an address-space limit a cap set too high used to end in an abort (`failed to
/// allocate an alternative stack`), every client lost. Now the cap is lowered to what the limit
/// holds, with a warning before `listening on`, and a flood beyond it is refused, not fatal.
#[cfg(target_os = "linux")]
#[test]
fn a_cap_beyond_the_address_space_limit_is_lowered_before_listening() {
    use std::io::{Read, Write};
    if std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_err()
    {
        println!(
            "skipped: this test needs prlimit (util-linux) to limit the server's address space"
        );
        return;
    }
    // How much address space the server maps once listening, with no limit; then a limit that
    // leaves 32 MiB more: room for about a hundred client threads of 256 KiB, not 6000.
    let mut free = lesson11_under(&[], &[]);
    let listening = proc_status(free.id(), "VmSize") << 10;
    free.interrupt().unwrap();
    free.wait_within(PATIENCE).unwrap();
    let limit = listening + (32 << 20);
    let mut server = lesson11_under(&[format!("--as={limit}")], &["--max-clients", "6000"]);
    let said = server.stderr_so_far().join("\n");
    let warning = said
        .lines()
        .find(|line| line.starts_with("warning: --max-clients 6000 lowered to "))
        .unwrap_or_else(|| panic!("no warning before listening:\n{said}"));
    assert!(
        warning.contains("(ulimit -v)") && said.find(warning) < said.find("listening on"),
        "{said}"
    );
    let cap: usize = warning["warning: --max-clients 6000 lowered to ".len()..]
        .split(',')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number in {warning}"));
    assert!((1..6000).contains(&cap), "{warning}");
    // The cap, and then some: every seat served, every client beyond it told it is busy.
    let mut clients = Vec::new();
    let (mut served, mut refused) = (0, 0);
    for _ in 0..cap + 5 {
        let mut client = socket_lessons_tools::probe::connect(server.addr).unwrap();
        client.write_all(b"x").unwrap();
        let mut first = [0u8; 1];
        client.read_exact(&mut first).unwrap();
        match &first {
            b"X" => served += 1,
            b"b" => refused += 1,
            other => panic!("neither an echo nor the busy line: {other:?}"),
        }
        clients.push(client);
    }
    assert_eq!((served, refused), (cap, 5));
    server.interrupt().unwrap();
    let (status, stderr) = server.wait_within(PATIENCE).unwrap();
    assert!(status.success(), "{status:?}\n{stderr}");
    assert!(!stderr.contains("fatal runtime error"), "{stderr}");
}
