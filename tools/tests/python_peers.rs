//! The Python peers in `python/` against the Rust binaries, in both directions.
//!
//! Students run the tutorial's Python beside our stages, so `python/` ships a server and a client
//! for each lesson that behave like ours. Here every Python client talks to its Rust server
//! (`lessonN server --addr 127.0.0.1:0`) and every Rust client to its Python server (`--port 0`),
//! and what comes out is compared, byte for byte, with what docs/contracts.md promises: the echo
//! rule, the built-in commands, lesson 5's one-read requests, lesson 6's frame. The lesson 6
//! tutorial wires (`--wire tutorial`, `tutorial-basic`) are in `tests/python_tutorial_wire.rs`.
//!
//! Where `python3` (or the interpreter named by `SOCKET_LESSONS_PYTHON`) is not installed, each
//! test writes one `skipped: …` line to stderr and passes; wherever it is, as on CI, they run.
//!
//! Nothing sleeps: a server is ready when it prints its `listening on` line, which also gives its
//! port; "nothing arrives" is a read timeout; every wait is bounded by `probe::PATIENCE`; every
//! child process is reaped (`probe::ServerProcess`, `probe::run`), also when a test fails.

mod common;

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Command;

use common::python::{
    HELP, md5_hex, python, python_client, python_server, refused, seq, skip_without_python, stop,
    stopped, talk, text,
};
use common::{drain, stand_in};
use socket_lessons_tools::grade;
use socket_lessons_tools::probe::{
    self, A_MOMENT, PATIENCE, ServerProcess, expect_silence, read_exactly, wait_for_end,
};

// =============================================================================================
// Starting and stopping the programs
// =============================================================================================

/// The `lessonN` binary.
fn lesson(number: u8) -> Command {
    Command::new(common::bin(number.into()))
}

/// `lessonN server --addr 127.0.0.1:0`, ready.
fn rust_server(number: u8) -> ServerProcess {
    ServerProcess::spawn(lesson(number).args(["server", "--addr", "127.0.0.1:0"]))
        .unwrap_or_else(|e| panic!("lesson{number} server: {e}"))
}

/// `lessonN client --addr ADDR`.
fn rust_client(number: u8, addr: SocketAddr) -> Command {
    let mut command = lesson(number);
    command.args(["client", "--addr", &addr.to_string()]);
    command
}

/// Which side is Python.
#[derive(Clone, Copy, Debug)]
enum Pair {
    /// A Python client against the Rust server.
    PythonClient,
    /// The Rust client against a Python server.
    PythonServer,
}

const BOTH: [Pair; 2] = [Pair::PythonClient, Pair::PythonServer];

/// Lesson `number`'s server for `pair`: Rust's, or `python/STEM_server.py`.
fn pair_server(number: u8, python_program_stem: &str, pair: Pair) -> ServerProcess {
    match pair {
        Pair::PythonClient => rust_server(number),
        Pair::PythonServer => python_server(&format!("{python_program_stem}_server.py"), &[]),
    }
}

/// Lesson `number`'s client for `pair`, pointed at `addr`: `python/STEM_client.py`, or Rust's.
fn pair_client(number: u8, python_program_stem: &str, pair: Pair, addr: SocketAddr) -> Command {
    match pair {
        Pair::PythonClient => python_client(&format!("{python_program_stem}_client.py"), addr),
        Pair::PythonServer => rust_client(number, addr),
    }
}

/// Runs lesson `number`'s client (Python or Rust) against its server (the other one) with
/// `input`, stops a server that serves for ever, and returns the client's stdout.
fn converse(number: u8, python_program_stem: &str, pair: Pair, input: &[u8]) -> Vec<u8> {
    let server = pair_server(number, python_program_stem, pair);
    let mut client = pair_client(number, python_program_stem, pair, server.addr);
    let stdout = talk(&mut client, input).stdout;
    if number == 1 {
        stopped(server); // one exchange, and it stops by itself
    } else {
        stop(server);
    }
    stdout
}

// =============================================================================================
// Lessons 1-4: the echo rule
// =============================================================================================

/// Python's `bytes.upper()`, written out from the contract: only `a`..=`z` change.
fn upper(text: &str) -> String {
    text.chars().map(|c| c.to_ascii_uppercase()).collect()
}

#[test]
fn the_echo_rule_helper_is_bytes_upper() {
    assert_eq!(upper("hello, 你好 ünïcödé ß"), "HELLO, 你好 üNïCöDé ß");
}

#[test]
fn lesson1_one_line_one_reply_both_ways() {
    if skip_without_python() {
        return;
    }
    for pair in BOTH {
        let stdout = converse(
            1,
            "lesson1",
            pair,
            "hello, 你好 ünïcödé ß\nthe second line is never sent\n".as_bytes(),
        );
        assert_eq!(text(&stdout), "HELLO, 你好 üNïCöDé ß\n", "{pair:?}");
    }
}

#[test]
fn lesson1_with_no_input_sends_nothing_and_exits_both_ways() {
    if skip_without_python() {
        return;
    }
    // The client connects, has nothing to send, and leaves; the server's recv returns b'', it
    // "echoes" nothing and exits. Nothing is printed.
    for pair in BOTH {
        assert_eq!(text(&converse(1, "lesson1", pair, b"")), "", "{pair:?}");
    }
}

#[test]
fn lesson2_serves_one_client_after_another_one_message_each_both_ways() {
    if skip_without_python() {
        return;
    }
    for pair in BOTH {
        let server = pair_server(2, "lesson2", pair);
        for (input, reply) in [
            ("first client\nnot sent\n", "FIRST CLIENT\n"),
            ("q\n", "Q\n"), // lessons 1 and 2 send the first line, whatever it says
            ("second, 你好\r\n", "SECOND, 你好\n"), // a Windows line ending is not sent
        ] {
            let mut client = pair_client(2, "lesson2", pair, server.addr);
            let stdout = talk(&mut client, input.as_bytes()).stdout;
            assert_eq!(text(&stdout), reply, "{pair:?}, input {input:?}");
        }
        stop(server);
    }
}

/// The communication-loop clients: one reply per non-empty line, `q` ends it, the end of the
/// input ends it, `\r\n` counts as a line ending.
fn talks_until_q(number: u8) {
    let stem = format!("lesson{number}");
    for pair in BOTH {
        let stdout = converse(
            number,
            &stem,
            pair,
            "hello\n\n你好 world\r\n\nq\nafter q\n".as_bytes(),
        );
        assert_eq!(
            text(&stdout),
            "HELLO\n你好 WORLD\n",
            "lesson{number} {pair:?}"
        );
        let stdout = converse(number, &stem, pair, b"one\ntwo\nthree, no newline");
        assert_eq!(
            text(&stdout),
            "ONE\nTWO\nTHREE, NO NEWLINE\n",
            "lesson{number} {pair:?}"
        );
        assert_eq!(text(&converse(number, &stem, pair, b"q\nnot sent\n")), "");
    }
}

#[test]
fn lesson3_talks_until_q_both_ways() {
    if skip_without_python() {
        return;
    }
    talks_until_q(3);
}

#[test]
fn lesson4_talks_until_q_both_ways() {
    if skip_without_python() {
        return;
    }
    talks_until_q(4);
}

/// One write and the reply to it, on a raw socket: `message` must come back uppercased, whole.
fn assert_echo(stream: &mut TcpStream, message: &str) {
    stream.write_all(message.as_bytes()).unwrap();
    let reply = read_exactly(stream, message.len()).unwrap();
    assert_eq!(text(&reply), upper(message));
}

#[test]
fn lesson3_python_server_serves_one_client_at_a_time() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson3_server.py", &[]);
    let mut first = probe::connect(server.addr).unwrap();
    assert_echo(&mut first, "first");
    // The second client is connected (the kernel queued it), but nobody reads it yet.
    let mut second = probe::connect(server.addr).unwrap();
    second.write_all(b"second").unwrap();
    expect_silence(&mut second, A_MOMENT).unwrap();
    // The first leaves; the server goes back to accept and serves the second.
    drop(first);
    assert_eq!(read_exactly(&mut second, 6).unwrap(), b"SECOND");
    drop(second);
    stop(server);
}

#[test]
fn lesson4_python_server_serves_clients_at_once() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson4_server.py", &[]);
    let mut first = probe::connect(server.addr).unwrap();
    assert_echo(&mut first, "first");
    // With the first still connected, a second is served at once: it has its own thread.
    let mut second = probe::connect(server.addr).unwrap();
    assert_echo(&mut second, "second");
    assert_echo(&mut first, "first again");
    // Ctrl-C with both connected: the server stops, and both see their connection end.
    stop(server);
    for client in [&mut first, &mut second] {
        wait_for_end(client).unwrap();
    }
}

// =============================================================================================
// Lesson 5: the command service, one read = one command
// =============================================================================================

#[test]
fn the_contract_helpers_match_the_contract() {
    assert_eq!(HELP.len(), 225);
    assert_eq!(seq(3), "1\n2\n3\n");
    assert_eq!(seq(1000).len(), 3893);
}

#[test]
fn lesson5_short_commands_both_ways() {
    if skip_without_python() {
        return;
    }
    // Each command is one short write, each output one short write the other side reads with
    // one recv(1024) (the contract, for replies under 1024 bytes); the client adds a newline.
    let input = "help\n\necho  hello   你好\nseq 3\nseq ten\nrm -rf /\nq\nseq 9\n";
    let expected = format!(
        "{HELP}\nhello 你好\n\n{}\nseq: 'ten' is not a whole number\n\n\
         unknown command 'rm': this server runs only help, echo and seq (any command only when \
         started with --shell); try 'help'\n\n",
        seq(3)
    );
    for pair in BOTH {
        let stdout = converse(5, "lesson5", pair, input.as_bytes());
        assert_eq!(text(&stdout), expected, "{pair:?}");
    }
}

#[test]
fn lesson5_python_server_takes_one_read_for_one_command() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson5_server.py", &[]);
    let mut a = probe::connect(server.addr).unwrap();
    // Three commands in one write arrive in one recv(1024): ONE command, `echo aecho becho c`.
    a.write_all(b"echo aecho becho c").unwrap();
    assert_eq!(read_exactly(&mut a, 14).unwrap(), b"aecho becho c\n");
    expect_silence(&mut a, A_MOMENT).unwrap();
    // `seq 0` prints nothing, so nothing is sent: a client waiting for a reply would wait.
    a.write_all(b"seq 0").unwrap();
    expect_silence(&mut a, A_MOMENT).unwrap();
    // The connection is still fine.
    a.write_all(b"echo still here").unwrap();
    assert_eq!(read_exactly(&mut a, 11).unwrap(), b"still here\n");
    // Not UTF-8: an error reply, not a crash.
    a.write_all(&[0xff, 0xfe]).unwrap();
    let reply = b"error: the command is not UTF-8 text; try 'help'\n";
    assert_eq!(read_exactly(&mut a, reply.len()).unwrap(), reply);
    drop(a);
    stop(server);
}

#[test]
fn lesson5_and_6_python_servers_warn_loudly_with_shell() {
    if skip_without_python() {
        return;
    }
    // No command is sent to these servers: the test only reads their first lines.
    for program in [
        "lesson5_server.py",
        "lesson6_framed_server.py",
        "lesson6_tutorial_server.py",
        "lesson6_tutorial_basic_server.py",
    ] {
        let server = python_server(program, &["--shell"]);
        let seen = server.stderr_so_far().to_vec();
        let warning = seen
            .iter()
            .position(|line| line.starts_with("WARNING --shell:") && line.contains("ANY command"));
        let listening = seen.iter().position(|line| line.contains("listening on"));
        assert!(
            matches!((warning, listening), (Some(w), Some(l)) if w < l),
            "{program}: expected the --shell warning before the listening line:\n{}",
            seen.join("\n")
        );
        stop(server);
        // Without --shell, no warning.
        let server = python_server(program, &[]);
        assert!(
            !server.stderr_so_far().iter().any(|l| l.contains("WARNING")),
            "{program}: {:?}",
            server.stderr_so_far()
        );
        stop(server);
    }
}

// =============================================================================================
// Lesson 6, our wire (`--wire framed`): u32 big-endian header length, JSON header, body
// =============================================================================================

/// A frame as the contract draws it, built by hand.
fn frame_with_header(header: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = u32::try_from(header.len()).unwrap().to_be_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(body);
    bytes
}

/// The frame a correct writer sends for `body`: compact JSON, `total_size` first, then `md5`.
fn frame(body: &[u8]) -> Vec<u8> {
    let header = format!(
        r#"{{"total_size":{},"md5":"{}"}}"#,
        body.len(),
        md5_hex(body)
    );
    frame_with_header(&header, body)
}

/// Reads one whole frame off `stream` and returns its bytes exactly as they came.
fn read_raw_frame(stream: &mut TcpStream) -> Vec<u8> {
    let mut bytes = read_exactly(stream, 4).unwrap();
    let header_len = u32::from_be_bytes(bytes[..4].try_into().unwrap());
    let header = read_exactly(stream, header_len as usize).unwrap();
    let fields: serde_json::Value = serde_json::from_slice(&header).expect("a JSON header");
    let total_size = fields["total_size"].as_u64().expect("a total_size");
    bytes.extend_from_slice(&header);
    bytes.extend(read_exactly(stream, total_size as usize).unwrap());
    bytes
}

#[test]
fn the_frame_helper_matches_the_contracts_worked_example() {
    let request = frame(b"echo a");
    assert_eq!(request.len(), 67);
    assert_eq!(&request[..4], &[0, 0, 0, 0x39]);
    assert_eq!(
        &request[4..61],
        br#"{"total_size":6,"md5":"7160f5dc15be68cdf21b828fb496bae0"}"#
    );
}

#[test]
fn lesson6_framed_both_ways() {
    if skip_without_python() {
        return;
    }
    // Each reply's body exactly, nothing added: seq 0 is an empty reply, seq 1000 (3,893 bytes)
    // one whole reply, not 1024-byte pieces.
    let input = "echo hi\n\nseq 0\nhelp\nseq 1000\necho   你好  world \nq\necho never\n";
    let expected = format!("hi\n{HELP}{}你好 world\n", seq(1000));
    for pair in BOTH {
        let stdout = converse(6, "lesson6_framed", pair, input.as_bytes());
        assert_eq!(text(&stdout), expected, "{pair:?}");
    }
}

#[test]
fn lesson6_python_framed_server_answers_the_contracts_worked_example_byte_for_byte() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson6_framed_server.py", &[]);
    let mut a = probe::connect(server.addr).unwrap();
    a.write_all(&frame(b"echo a")).unwrap();
    let reply = read_exactly(&mut a, 63).unwrap();
    let mut expected = vec![0, 0, 0, 0x39];
    expected.extend_from_slice(br#"{"total_size":2,"md5":"60b725f10c9c85c70d97880dfe8191b3"}"#);
    expected.extend_from_slice(b"a\n");
    assert_eq!(text(&reply), text(&expected));
    expect_silence(&mut a, A_MOMENT).unwrap();
    drop(a);
    stop(server);
}

#[test]
fn python_and_rust_servers_reply_byte_for_byte_alike() {
    if skip_without_python() {
        return;
    }
    // Every kind of request the contract lists, sent as one frame each to both lesson 6 servers:
    // the reply frames (header and body) must be the same bytes.
    let requests: Vec<Vec<u8>> = [
        "help",
        "help me",
        "Help",
        "echo",
        "echo a",
        " echo\ta  b\n c ",
        "echo 你好 ünïcödé",
        "seq 0",
        "seq 1",
        "seq +7",
        "seq 1000",
        "seq 1000000",
        "seq 1000001",
        "seq 18446744073709551615",
        "seq 18446744073709551616",
        "seq -1",
        "seq ten",
        "seq 1.5",
        "seq 1_000",
        "seq ٣",
        "seq",
        "seq 1 2",
        "",
        "   \t\n",
        "rm -rf /",
        "echo hi; echo there",
    ]
    .iter()
    .map(|request| request.as_bytes().to_vec())
    .chain([vec![0xff, 0xfe], b"echo \xe4\xbd".to_vec()])
    .collect();

    let rust = rust_server(6);
    let python = python_server("lesson6_framed_server.py", &[]);
    let mut to_rust = probe::connect(rust.addr).unwrap();
    let mut to_python = probe::connect(python.addr).unwrap();
    for request in &requests {
        to_rust.write_all(&frame(request)).unwrap();
        to_python.write_all(&frame(request)).unwrap();
        let from_rust = read_raw_frame(&mut to_rust);
        let from_python = read_raw_frame(&mut to_python);
        assert!(
            from_rust == from_python,
            "request {:?}:\n  rust:   {:?}\n  python: {:?}",
            text(request),
            text(&from_rust[..from_rust.len().min(200)]),
            text(&from_python[..from_python.len().min(200)]),
        );
    }
    drop((to_rust, to_python));
    stop(rust);
    stop(python);
}

#[test]
fn lesson6_python_framed_server_ends_only_a_bad_clients_connection() {
    if skip_without_python() {
        return;
    }
    let mut server = python_server("lesson6_framed_server.py", &[]);
    let mut good = probe::connect(server.addr).unwrap();
    good.write_all(&frame(b"echo before")).unwrap();
    assert_eq!(read_raw_frame(&mut good), frame(b"before\n"));

    // A bare command, as the tutorial's client sends it: "echo" read as a big-endian length is
    // 1,701,013,615 bytes, over the header limit. That connection ends, with no reply.
    let mut bare = probe::connect(server.addr).unwrap();
    bare.write_all(b"echo hi").unwrap();
    wait_for_end(&mut bare).unwrap();
    server
        .wait_for_stderr_line("over the 65536-byte header limit")
        .unwrap();

    // A body whose md5 is not the header's: not run, that connection ends. This is the
    // grader's case 4.18 (the same definition `grade --protocol framed` runs); the Python server
    // ends the connection without an error frame, so the case's verdict is NON-STRICT (a SHOULD
    // missed, every MUST kept), and its own log says why.
    let target = grade::Target {
        addr: server.addr,
        protocol: grade::Protocol::Framed,
        patience: PATIENCE,
    };
    let (damaged, _) = grade::run_bounded(grade::case("4.18").unwrap(), &target);
    assert_eq!(damaged.verdict, grade::Verdict::NonStrict, "{damaged:?}");
    server.wait_for_stderr_line("request md5 is").unwrap();

    // Python's json.dumps, spaces and all, with a field the server does not know, is fine.
    let header = format!(
        r#"{{"total_size": 7, "md5": "{}", "filename": "x"}}"#,
        md5_hex(b"echo hi")
    );
    let mut spaced = probe::connect(server.addr).unwrap();
    spaced
        .write_all(&frame_with_header(&header, b"echo hi"))
        .unwrap();
    assert_eq!(read_raw_frame(&mut spaced), frame(b"hi\n"));

    // Everyone else is served on.
    good.write_all(&frame(b"echo after")).unwrap();
    assert_eq!(read_raw_frame(&mut good), frame(b"after\n"));
    drop((good, spaced));
    stop(server);
}

#[test]
fn lesson6_python_framed_client_sends_the_contracts_bytes() {
    if skip_without_python() {
        return;
    }
    let (addr, server) = stand_in(|mut conn| {
        let request = read_exactly(&mut conn, 67).unwrap();
        // A reply glued to nothing, split in two writes: the client must read it whole.
        let reply = frame(b"a\n");
        conn.write_all(&reply[..10]).unwrap();
        conn.write_all(&reply[10..]).unwrap();
        (request, drain(&mut conn))
    });
    let done = talk(
        &mut python_client("lesson6_framed_client.py", addr),
        b"echo a\n",
    );
    assert_eq!(text(&done.stdout), "a\n");
    let (request, rest) = server.join_within(PATIENCE).unwrap();
    assert_eq!(request, frame(b"echo a"), "the contract's 67 bytes");
    assert_eq!(rest, b"", "nothing after the one request");
}

#[test]
fn lesson6_python_framed_client_refuses_a_damaged_reply() {
    if skip_without_python() {
        return;
    }
    let (addr, server) = stand_in(|mut conn| {
        read_raw_frame(&mut conn);
        let header = format!(r#"{{"total_size":3,"md5":"{}"}}"#, md5_hex(b"ho\n"));
        conn.write_all(&frame_with_header(&header, b"hi\n"))
            .unwrap();
        drain(&mut conn)
    });
    let (done, stderr) = refused(
        &mut python_client("lesson6_framed_client.py", addr),
        b"echo hi\necho never sent\n",
    );
    assert!(
        stderr.starts_with("error: ") && stderr.contains("the reply is damaged"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one error line:\n{stderr}");
    assert_eq!(
        text(&done.stdout),
        "",
        "nothing of a damaged reply is printed"
    );
    assert_eq!(server.join_within(PATIENCE).unwrap(), b"");
}

// =============================================================================================
// Every Python program: errors a user can cause, and stopping
// =============================================================================================

const PYTHON_SERVERS: [&str; 8] = [
    "lesson1_server.py",
    "lesson2_server.py",
    "lesson3_server.py",
    "lesson4_server.py",
    "lesson5_server.py",
    "lesson6_framed_server.py",
    "lesson6_tutorial_server.py",
    "lesson6_tutorial_basic_server.py",
];

const PYTHON_CLIENTS: [&str; 8] = [
    "lesson1_client.py",
    "lesson2_client.py",
    "lesson3_client.py",
    "lesson4_client.py",
    "lesson5_client.py",
    "lesson6_framed_client.py",
    "lesson6_tutorial_client.py",
    "lesson6_tutorial_basic_client.py",
];

#[test]
fn every_python_server_stops_on_ctrl_c_with_a_client_connected() {
    if skip_without_python() {
        return;
    }
    for program in PYTHON_SERVERS {
        let server = python_server(program, &[]);
        let line = &server.stderr_so_far()[0];
        assert!(
            line.contains("python server") && line.contains("(Ctrl-C stops it) listening on"),
            "{program}: {line}"
        );
        let mut idle = probe::connect(server.addr).unwrap();
        stop(server);
        wait_for_end(&mut idle).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn every_python_server_stops_on_sigterm() {
    if skip_without_python() {
        return;
    }
    for program in PYTHON_SERVERS {
        let server = python_server(program, &[]);
        let pid = libc::pid_t::try_from(server.id()).unwrap();
        // SAFETY: kill(2) takes plain integers and touches no memory of ours; the pid is our own
        // child's, which cannot be reused before it is reaped.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
        stopped(server);
    }
}

#[test]
fn every_python_server_on_an_address_in_use_fails_with_one_error_line() {
    if skip_without_python() {
        return;
    }
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    for program in PYTHON_SERVERS {
        let (_, stderr) = refused(python(program).args(["--port", &port]), b"");
        assert!(
            stderr.starts_with(&format!("error: cannot listen on 127.0.0.1:{port}: ")),
            "{program}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{program}: {stderr}");
    }
}

#[test]
fn every_python_client_with_nothing_listening_fails_with_one_error_line() {
    if skip_without_python() {
        return;
    }
    // A port that was just free: nothing listens on it now.
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    for program in PYTHON_CLIENTS {
        let (done, stderr) = refused(&mut python_client(program, addr), b"hello\n");
        assert!(
            stderr.starts_with(&format!(
                "error: cannot connect to {addr}: nothing is listening"
            )),
            "{program}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{program}: {stderr}");
        assert_eq!(text(&done.stdout), "");
    }
}

#[test]
fn every_python_client_refuses_input_that_is_not_utf8() {
    if skip_without_python() {
        return;
    }
    // A server that must hear nothing: the bad line is refused before anything is sent.
    for program in PYTHON_CLIENTS {
        let (addr, server) = stand_in(|mut conn| drain(&mut conn));
        let (_, stderr) = refused(&mut python_client(program, addr), b"\xff\xfe\n");
        assert_eq!(
            stderr, "error: a line of standard input is not UTF-8 text\n",
            "{program}"
        );
        assert_eq!(server.join_within(PATIENCE).unwrap(), b"", "{program}");
    }
}

// =============================================================================================
// Lessons 12 and 13: a pool, and one thread for many sockets
// =============================================================================================

/// Lessons 12 and 13 keep lesson 4's client: the Python one against the Rust server, and the
/// Rust one against the Python server, talk until `q`.
#[test]
fn lessons_12_and_13_talk_with_lesson4s_client_both_ways() {
    if skip_without_python() {
        return;
    }
    for number in [12u8, 13] {
        let server = rust_server(number);
        let stdout = talk(
            &mut python_client("lesson4_client.py", server.addr),
            "hello\n\n你好 world\nq\nnot sent\n".as_bytes(),
        )
        .stdout;
        assert_eq!(text(&stdout), "HELLO\n你好 WORLD\n", "lesson{number}");
        stop(server);
        let server = python_server(&format!("lesson{number}_server.py"), &[]);
        let stdout = talk(
            &mut rust_client(number, server.addr),
            "hello\n\n你好 world\nq\nnot sent\n".as_bytes(),
        )
        .stdout;
        assert_eq!(
            text(&stdout),
            "HELLO\n你好 WORLD\n",
            "lesson{number} python server"
        );
        stop(server);
    }
}

#[test]
fn lesson12_python_server_queues_then_refuses_with_the_busy_line() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson12_server.py", &["--workers", "2", "--queue", "1"]);
    let mut a = probe::connect(server.addr).unwrap();
    assert_echo(&mut a, "a");
    let mut b = probe::connect(server.addr).unwrap();
    assert_echo(&mut b, "b");
    // Both workers are held: C waits in the queue, D is told busy.
    let mut c = probe::connect(server.addr).unwrap();
    c.write_all(b"c waits").unwrap();
    expect_silence(&mut c, A_MOMENT).unwrap();
    let mut d = probe::connect(server.addr).unwrap();
    let busy = socket_lessons::guard::BUSY;
    assert_eq!(
        text(&read_exactly(&mut d, busy.len() + 1).unwrap()),
        format!("{busy}\n")
    );
    // A leaves: its worker takes C.
    drop(a);
    assert_eq!(read_exactly(&mut c, 7).unwrap(), b"C WAITS");
    // Ctrl-C with B and C connected: both see their connection end.
    stop(server);
    for client in [&mut b, &mut c] {
        wait_for_end(client).unwrap();
    }
}

#[test]
fn lesson13_python_server_keeps_what_it_could_not_send_and_serves_the_others() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson13_server.py", &[]);
    let mut flooder = probe::connect(server.addr).unwrap();
    let mut other = probe::connect(server.addr).unwrap();
    // 4 MiB sent by a client that reads none of its replies yet, from a thread of its own.
    let total = 4 << 20;
    let mut writer = flooder.try_clone().unwrap();
    let writing = probe::BoundedThread::spawn("flooder", move || {
        writer.write_all(&vec![b'q'; total])?;
        writer.shutdown(std::net::Shutdown::Write)
    })
    .unwrap();
    // Meanwhile the other client is served, on the same one thread.
    assert_echo(&mut other, "not stalled");
    let back = drain(&mut flooder);
    assert_eq!(back.len(), total);
    assert!(back.iter().all(|&byte| byte == b'Q'));
    writing.join_within(PATIENCE).unwrap().unwrap();
    stop(server);
}
