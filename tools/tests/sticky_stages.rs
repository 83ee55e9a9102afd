//! Lessons 5 and 6, the sticky-packet stages, over real sockets and as real binaries.
//!
//! Lesson 5 must show its flaws every time (a long reply spills into the next one, glued requests
//! run as one command, an empty reply is silence); lesson 6 must cure them, survive hostile peers,
//! and keep serving everyone else. Expected bytes come from docs/contracts.md, computed here
//! independently of the code under test: `seq N` prints "1\n2\n…N\n" ("The command service"),
//! and md5 is the lower-case hex digest of the body ("The fixed-header frame").
//!
//! Nothing sleeps: "it happened" is a reply or an end-of-stream, "it did not happen" is a read
//! timeout, and every wait is bounded (see `common`).

mod common;

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Mutex, Once, PoisonError};

use common::{
    BoundServer, RunningServer, ServerProcess, assert_demo_is_deterministic, client, connect,
    expect_end, expect_silence, lesson_command, receive, run, send, serve_one_connection,
};
use md5::{Digest, Md5};
use socket_lessons::commands::Commands;
use socket_lessons::frame::{self, Limits};
use socket_lessons::lessons::{fixed_header, sticky_packet};
use socket_lessons::server::Server;
use socket_lessons_tools::grade;
use socket_lessons_tools::probe::{self, Chunking, End, LISTENING_ON, PATIENCE};

/// The request body limit of lesson 6 (docs/contracts.md, "The fixed-header frame": a
/// `total_size` over the body limit is an error; the server's limit is 8 MiB).
const REQUEST_BODY_LIMIT: u64 = 8 * 1024 * 1024;
/// The request header limit of lesson 6: 64 KiB.
const REQUEST_HEADER_LIMIT: u32 = 64 * 1024;

// =============================================================================================
// Helpers: the expected bytes, straight from the contract
// =============================================================================================

/// What `seq n` prints: the numbers 1..=n, one per line, like coreutils `seq`.
fn seq_output(n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 1..=n {
        out.extend_from_slice(i.to_string().as_bytes());
        out.push(b'\n');
    }
    out
}

/// The md5 of `bytes` as Python's `hexdigest()` writes it (computed here, not by the codec).
fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A frame built by hand from the wire format: u32 big-endian header length, header, body.
fn raw_frame(header: &[u8], body: &[u8]) -> Vec<u8> {
    let mut bytes = u32::try_from(header.len())
        .expect("test headers are small")
        .to_be_bytes()
        .to_vec();
    bytes.extend_from_slice(header);
    bytes.extend_from_slice(body);
    bytes
}

/// A request frame the codec would also write, built by hand.
fn raw_request(body: &[u8]) -> Vec<u8> {
    let header = format!(
        r#"{{"total_size":{},"md5":"{}"}}"#,
        body.len(),
        md5_hex(body)
    );
    raw_frame(header.as_bytes(), body)
}

// =============================================================================================
// Helpers: the server's warnings
// =============================================================================================

/// Collects every warning the library logs in this test process, so a test can check that the
/// server said why it hung up on a client (docs/contracts.md, "Errors and logs": the server logs
/// it). Only warnings and errors are enabled: that is also what a server run with `RUST_LOG=warn`
/// does.
struct Warnings;

static WARNINGS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static LOGGER: Warnings = Warnings;

impl log::Log for Warnings {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            let line = format!("{} {}", record.level(), record.args());
            WARNINGS
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(line);
        }
    }

    fn flush(&self) {}
}

fn capture_warnings() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&LOGGER).expect("no other logger in this test process");
        log::set_max_level(log::LevelFilter::Warn);
    });
}

/// The warnings logged so far that mention `peer` (the server names the client in each).
fn warnings_about(peer: SocketAddr) -> Vec<String> {
    let peer = peer.to_string();
    WARNINGS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .filter(|line| line.contains(&peer))
        .cloned()
        .collect()
}

// =============================================================================================
// Helpers: a stage's serve function on a thread
// =============================================================================================

type ServeFn = fn(Server, Commands) -> io::Result<()>;

/// A server bound to `127.0.0.1:0` and listening (the kernel completes handshakes), but nobody
/// calls `accept` yet, so clients can write before anyone reads. The warnings the server will log
/// are captured from here on.
fn bound() -> BoundServer {
    capture_warnings();
    BoundServer::bind()
}

/// Starts a lesson 5 or 6 serve function on `bound`, serving the built-in commands on a thread.
/// Dropping the result (a failed test) fires shutdown, so its thread ends on its own.
fn serving(bound: BoundServer, serve: ServeFn) -> RunningServer {
    bound.start(move |server| serve(server, Commands::built_in()))
}

/// A lesson 5 or 6 server on `127.0.0.1:0`, serving the built-in commands on a thread.
fn running(serve: ServeFn) -> RunningServer {
    serving(bound(), serve)
}

/// Fires shutdown (what Ctrl-C does) and waits, bounded, for serve to return `Ok`.
fn stop_ok(stage: RunningServer) {
    stage
        .stop()
        .expect("serve should return Ok(()) after shutdown");
}

// =============================================================================================
// Helpers: clients
// =============================================================================================

/// One `recv(1024)`, as the tutorial's client does. Panics on end-of-stream or timeout.
fn recv_1024(stream: &mut TcpStream) -> Vec<u8> {
    let mut buf = [0u8; 1024];
    match probe::read_retrying(stream, &mut buf) {
        Ok(0) => panic!("the server hung up instead of replying"),
        Ok(n) => buf[..n].to_vec(),
        Err(e) => panic!("no reply within {PATIENCE:?}: {e}"),
    }
}

/// Reads until the bytes so far end with a newline: one whole one-line reply of lesson 5 (every
/// built-in reply ends with `\n`), even if TCP delivered it in pieces.
fn read_line_reply(stream: &mut TcpStream) -> Vec<u8> {
    let mut reply = Vec::new();
    while reply.last() != Some(&b'\n') {
        reply.extend(recv_1024(stream));
    }
    reply
}

/// Lesson 6: reads one reply frame with the codec, checks its header against its body with an
/// md5 computed here, and returns the body.
fn read_reply(stream: &mut TcpStream) -> Vec<u8> {
    let reply = frame::read_frame(stream, &Limits::REPLY)
        .expect("a well-formed reply frame")
        .expect("a reply frame, not end-of-stream");
    assert_eq!(
        reply.header.total_size,
        reply.body.len() as u64,
        "total_size must be the body's length"
    );
    assert_eq!(
        reply.header.md5.as_deref(),
        Some(md5_hex(&reply.body).as_str()),
        "the reply header's md5 must be the md5 of its body"
    );
    reply.body
}

/// Lesson 6: one request frame out, one reply frame back.
fn request(stream: &mut TcpStream, command: &[u8]) -> Vec<u8> {
    frame::write_frame(stream, command).expect("cannot send a request frame");
    read_reply(stream)
}

fn assert_reply(stream: &mut TcpStream, command: &str, expected: &[u8]) {
    let reply = request(stream, command.as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&reply),
        String::from_utf8_lossy(expected),
        "reply to {command:?}"
    );
}

// =============================================================================================
// Lesson 5: the sticky-packet problem, on purpose
// =============================================================================================

#[test]
fn lesson5_a_long_reply_spills_into_the_reply_to_the_next_command() {
    let stage = running(sticky_packet::serve);
    let mut a = connect(stage.addr);
    let seq = seq_output(1000);
    assert_eq!(
        seq.len(),
        3893,
        "docs/contracts.md, \"The command service\": seq 1000 prints 3893 bytes"
    );

    send(&mut a, b"seq 1000");
    let first = recv_1024(&mut a);
    assert_eq!(
        first.len(),
        1024,
        "one recv(1024) of a 3893-byte reply should fill the buffer"
    );
    assert_eq!(
        first,
        seq[..1024],
        "the first read is the start of seq 1000"
    );

    send(&mut a, b"echo hi");
    let second = recv_1024(&mut a);
    assert_ne!(second, b"hi\n", "the leftover must come before the reply");
    assert_eq!(
        String::from_utf8_lossy(&second),
        String::from_utf8_lossy(&seq[1024..2048]),
        "the 'reply' to echo hi is the next 1024 bytes of seq 1000's output"
    );

    // Reading on gives the rest of seq 1000, and only then the reply to echo hi.
    let mut stream = seq.clone();
    stream.extend_from_slice(b"hi\n");
    let rest = receive(&mut a, stream.len() - 2048);
    assert_eq!(rest, stream[2048..]);
    expect_silence(&mut a);
    drop(a);
    stop_ok(stage);
}

#[test]
fn lesson5_requests_written_back_to_back_are_read_as_one_command() {
    // The server is bound but not yet reading: the kernel completes the handshake from the listen
    // backlog, so the three writes wait together in the server's receive buffer.
    let stage = bound();
    let mut a = connect(stage.addr);
    // Each write leaves at once as its own segment (no Nagle coalescing): the gluing is the
    // receiver's doing, not ours.
    a.set_nodelay(true).unwrap();
    for command in ["echo a", "echo b", "echo c"] {
        send(&mut a, command.as_bytes());
    }
    let stage = serving(stage, sticky_packet::serve);

    // One recv(1024) took all three: the server ran ONE command, `echo aecho becho c`.
    assert_eq!(
        String::from_utf8_lossy(&read_line_reply(&mut a)),
        "aecho becho c\n"
    );
    // ...and there are no replies "b\n" and "c\n" to come.
    expect_silence(&mut a);
    drop(a);
    stop_ok(stage);
}

/// The scenario engine's "requests glued" (compare's back-to-back row, grade's 2.1, the demos'
/// first parts), with the server started only once the client has written: its observations
/// show the three writes, and the one read (lesson 5) or the three frames (lesson 6) that came.
#[test]
fn the_engines_glued_requests_are_one_reply_from_lesson5_and_three_from_lesson6() {
    use socket_lessons_tools::scenario::boundaries::{self, Glue, Glued};
    use socket_lessons_tools::scenario::{Protocol, Target};
    for (serve, protocol) in [
        (sticky_packet::serve as ServeFn, Protocol::Commands),
        (fixed_header::serve, Protocol::Framed),
    ] {
        let mut waiting = Some(bound());
        let target = Target {
            addr: waiting.as_ref().unwrap().addr,
            protocol,
            patience: PATIENCE,
        };
        let mut stage = None;
        let run = boundaries::glued(
            &target,
            &["a", "b", "c"],
            Glue::BeforeServerReads(&mut || {
                stage = waiting.take().map(|bound| serving(bound, serve));
                Ok(())
            }),
        );
        let o = &run.observations;
        assert_eq!(o.writes("A").len(), 3, "{o:#?}");
        match protocol {
            Protocol::Commands => {
                assert!(
                    matches!(&run.finding, Glued::TakenAsOne { reply: 0, .. }),
                    "{:?}",
                    run.finding
                );
                assert_eq!(o.reads("A"), [b"aecho becho c\n"]);
            }
            _ => {
                assert_eq!(run.finding, Glued::Separate);
                let replies: Vec<u8> = ["a\n", "b\n", "c\n"]
                    .iter()
                    .flat_map(|body| raw_request(body.as_bytes()))
                    .collect();
                assert_eq!(o.reads("A").concat(), replies);
            }
        }
        stop_ok(stage.expect("the experiment started the server"));
    }
}

/// The scenario engine's "reply longer than one read" (compare's long-reply row, lesson 5's
/// second part), read as the tutorial's client reads: one recv(1024) for `seq 1000`, one for
/// `echo hi`, which holds more of the first reply; then the rest, the first reply's last bytes
/// before the second's.
#[test]
fn the_engines_long_reply_spills_into_the_next_from_lesson5() {
    use socket_lessons_tools::scenario::boundaries::{self, Long, LongReply};
    use socket_lessons_tools::scenario::{Protocol, Target};
    let stage = running(sticky_packet::serve);
    let target = Target {
        addr: stage.addr,
        protocol: Protocol::Commands,
        patience: PATIENCE,
    };
    let run = boundaries::long_reply(&target, &LongReply::tutorial());
    assert_eq!(
        run.finding,
        Long::Spilled {
            first: 1024,
            second: 1024
        }
    );
    let reads = run.observations.reads("A");
    assert_eq!((reads[0].len(), reads[1].len()), (1024, 1024));
    let mut stream = seq_output(1000);
    stream.extend_from_slice(b"hi\n");
    assert_eq!(reads.concat(), stream);
    assert_eq!(run.observations.writes("A"), [&b"seq 1000"[..], b"echo hi"]);
    stop_ok(stage);
}

#[test]
fn lesson5_an_unknown_command_is_named_and_the_connection_stays_usable() {
    let stage = running(sticky_packet::serve);
    let mut a = connect(stage.addr);

    send(&mut a, b"frobnicate the widgets");
    let reply = String::from_utf8(read_line_reply(&mut a)).unwrap();
    assert!(reply.contains("frobnicate"), "names the command: {reply:?}");
    assert!(reply.contains("help"), "suggests help: {reply:?}");

    send(&mut a, b"echo still here");
    assert_eq!(read_line_reply(&mut a), b"still here\n");
    drop(a);
    stop_ok(stage);
}

#[test]
fn lesson5_an_empty_reply_is_silence_and_the_connection_stays_usable() {
    let stage = running(sticky_packet::serve);
    let mut a = connect(stage.addr);
    // A round trip first, so the server's thread for this client is already reading.
    send(&mut a, b"echo ready");
    assert_eq!(read_line_reply(&mut a), b"ready\n");

    send(&mut a, b"seq 0");
    // seq 0 prints nothing, so lesson 5 sends nothing: a client waiting for a reply would hang.
    expect_silence(&mut a);

    send(&mut a, b"echo still here");
    assert_eq!(read_line_reply(&mut a), b"still here\n");
    drop(a);
    stop_ok(stage);
}

#[test]
fn lesson5_runs_only_the_built_in_commands_by_default() {
    let stage = running(sticky_packet::serve);
    let mut a = connect(stage.addr);
    // Through a shell this would print "hi\nthere\n"; the built-in echo prints its words as text.
    send(&mut a, b"echo hi; echo there");
    assert_eq!(
        String::from_utf8_lossy(&read_line_reply(&mut a)),
        "hi; echo there\n"
    );
    drop(a);
    stop_ok(stage);
}

// =============================================================================================
// Lesson 6: the fixed header cures it
// =============================================================================================

#[test]
fn lesson6_glued_requests_get_one_whole_reply_each() {
    // As in lesson 5, the server starts reading only after all three frames have arrived.
    let stage = bound();
    let mut a = connect(stage.addr);
    let mut glued = Vec::new();
    for command in ["echo a", "seq 3", "echo c"] {
        frame::write_frame(&mut glued, command.as_bytes()).unwrap();
    }
    send(&mut a, &glued); // three frames in ONE write
    let stage = serving(stage, fixed_header::serve);

    assert_eq!(read_reply(&mut a), b"a\n");
    assert_eq!(read_reply(&mut a), b"1\n2\n3\n");
    assert_eq!(read_reply(&mut a), b"c\n");
    expect_silence(&mut a);
    drop(a);
    stop_ok(stage);
}

#[test]
fn lesson6_a_request_dribbled_one_byte_per_write_is_read_whole() {
    let stage = running(fixed_header::serve);
    let mut a = connect(stage.addr);
    a.set_nodelay(true).unwrap();
    let mut request = Vec::new();
    frame::write_frame(&mut request, b"seq 5").unwrap();
    probe::write_chunked(&mut a, &request, &Chunking::ByteByByte)
        .expect("cannot send the request one byte at a time");
    assert_eq!(read_reply(&mut a), seq_output(5));
    // The stream is still in step: the next request gets its own reply.
    assert_reply(&mut a, "echo after", b"after\n");
    drop(a);
    stop_ok(stage);
}

#[test]
fn lesson6_a_reply_over_a_megabyte_arrives_whole_and_leaves_nothing_behind() {
    let stage = running(fixed_header::serve);
    let mut a = connect(stage.addr);
    let expected = seq_output(200_000);
    assert!(expected.len() > 1_000_000);

    let reply = request(&mut a, b"seq 200000");
    assert_eq!(reply.len(), expected.len());
    assert!(reply == expected, "seq 200000's output differs");
    // No leftovers, unlike lesson 5: the next reply is the next command's.
    assert_reply(&mut a, "echo hi", b"hi\n");
    drop(a);
    stop_ok(stage);
}

#[test]
fn lesson6_a_large_request_under_the_limit_is_served() {
    let stage = running(fixed_header::serve);
    let mut a = connect(stage.addr);
    // "echo " + 2 MiB of 'x': a 2 MiB request body, well under the 8 MiB request limit.
    let word = vec![b'x'; 2 * 1024 * 1024];
    let mut command = b"echo ".to_vec();
    command.extend_from_slice(&word);
    let mut expected = word;
    expected.push(b'\n');

    let reply = request(&mut a, &command);
    assert_eq!(reply.len(), expected.len());
    assert!(reply == expected, "the echo of a 2 MiB word differs");
    assert_reply(&mut a, "echo after", b"after\n");
    drop(a);
    stop_ok(stage);
}

#[test]
fn lesson6_a_request_body_of_exactly_the_limit_is_served() {
    let stage = running(fixed_header::serve);
    let mut a = connect(stage.addr);
    // The limit is "over 8 MiB is an error": exactly 8 MiB is still a request.
    let len = usize::try_from(REQUEST_BODY_LIMIT).unwrap();
    let mut command = b"echo ".to_vec();
    command.resize(len, b'y');
    let mut expected = command[5..].to_vec();
    expected.push(b'\n');

    let reply = request(&mut a, &command);
    assert_eq!(reply.len(), expected.len());
    assert!(reply == expected, "the echo of an 8 MiB request differs");
    drop(a);
    stop_ok(stage);
}

/// Reads one reply frame by hand, straight from the wire format in docs/contracts.md,
/// "The fixed-header frame".
fn read_raw_reply(stream: &mut TcpStream) -> (serde_json::Map<String, serde_json::Value>, Vec<u8>) {
    let header_len = u32::from_be_bytes(receive(stream, 4).try_into().unwrap());
    assert!(
        header_len <= REQUEST_HEADER_LIMIT,
        "header of {header_len} bytes"
    );
    let header = receive(stream, header_len as usize);
    let header = String::from_utf8(header).expect("the header is UTF-8");
    let serde_json::Value::Object(fields) =
        serde_json::from_str(&header).expect("the header is JSON")
    else {
        panic!("the header is not a JSON object: {header}");
    };
    let total_size = fields["total_size"]
        .as_u64()
        .unwrap_or_else(|| panic!("no total_size in {header}"));
    let body = receive(stream, usize::try_from(total_size).unwrap());
    (fields, body)
}

#[test]
fn lesson6_an_empty_reply_is_a_frame_with_total_size_0() {
    let stage = running(fixed_header::serve);
    let mut a = connect(stage.addr);
    send(&mut a, &raw_request(b"seq 0"));
    let (header, body) = read_raw_reply(&mut a);
    assert_eq!(header["total_size"], 0);
    // The md5 of nothing, as Python's hashlib.md5(b"").hexdigest() writes it.
    assert_eq!(header["md5"], "d41d8cd98f00b204e9800998ecf8427e");
    assert!(body.is_empty());
    // The conversation is still in step.
    send(&mut a, &raw_request(b"echo next"));
    let (header, body) = read_raw_reply(&mut a);
    assert_eq!(body, b"next\n");
    assert_eq!(header["total_size"], 5);
    assert_eq!(header["md5"], md5_hex(b"next\n").as_str());
    drop(a);
    stop_ok(stage);
}

#[test]
fn lesson6_requests_with_unknown_header_fields_or_without_md5_are_served() {
    let stage = running(fixed_header::serve);
    let mut a = connect(stage.addr);
    // Unknown header fields are ignored (docs/contracts.md, "The fixed-header frame").
    let body = b"echo extra";
    let header = format!(
        r#"{{"file_name":"a.txt","total_size":{},"md5":"{}","flags":[1,2]}}"#,
        body.len(),
        md5_hex(body)
    );
    send(&mut a, &raw_frame(header.as_bytes(), body));
    assert_eq!(read_reply(&mut a), b"extra\n");
    // md5 is optional: a frame without it is still a frame.
    send(&mut a, &raw_frame(br#"{"total_size":7}"#, b"seq 2\n\n"));
    assert_eq!(read_reply(&mut a), b"1\n2\n");
    // `help` lists the commands.
    let help = String::from_utf8(request(&mut a, b"help")).unwrap();
    for command in ["help", "echo", "seq"] {
        assert!(help.contains(command), "help should list {command}: {help}");
    }
    drop(a);
    stop_ok(stage);
}

// --- lesson 6 against hostile peers ----------------------------------------------------------
//
// The hostile requests are not written here: they are the cases of the grader's catalogue
// (`socket_lessons_tools::grade::CASES`, group 4), the same definitions `grade --protocol framed` runs
// against any server. Here they run against lesson 6 with more watched than a grader outside
// can see: the server's own log, and a client served before and after.

/// Runs hostile case `id` of the catalogue against a lesson 6 server, with one well-behaved
/// client connected (and served) before it. Checks that the case passes (the server answered
/// the bad request with an error frame, ran nothing, and ended that connection), that the error
/// frame's text contains `reason` and its body is `error: TEXT\n`, that the server logged a
/// warning about that connection containing `reason`, that lifecycle case 5.N passes (a new
/// client is served), that the earlier client and a later one are still served, and that the
/// server still shuts down cleanly.
fn assert_cut_off_while_others_are_served(id: &str, reason: &str) {
    let stage = running(fixed_header::serve);
    let mut before = connect(stage.addr);
    assert_reply(&mut before, "echo before", b"before\n");

    let target = grade::Target {
        addr: stage.addr,
        protocol: grade::Protocol::Framed,
        patience: PATIENCE,
    };
    let case = grade::case(id).unwrap_or_else(|| panic!("no case {id} in the catalogue"));
    assert!(case.applies_to(grade::Protocol::Framed), "{id}");
    let (outcome, _) = grade::run_bounded(case, &target);
    assert_eq!(
        outcome.verdict,
        grade::Verdict::Pass,
        "case {id}: {outcome:?}"
    );
    // The server said why in an error frame (docs/contracts.md, "The fixed-header frame").
    let error = outcome
        .error_reply
        .clone()
        .expect("the case saw an error frame");
    assert!(
        error.contains(reason),
        "the error frame says {error:?}, not {reason:?}"
    );
    assert_eq!(
        outcome.error_body.as_deref(),
        Some(format!("error: {error}\n").as_bytes())
    );
    // The server said why in its log too (the warning is logged before the connection closes).
    let bad_peer = outcome.hostile_peer.expect("the case names its connection");
    let warnings = warnings_about(bad_peer);
    assert!(
        warnings.iter().any(|line| line.contains(reason)),
        "expected a warning about {bad_peer} containing {reason:?}, got {warnings:?}"
    );
    // Lifecycle case 5.N: a new client is served.
    let after_case = grade::still_serves(&target);
    assert_eq!(
        after_case.verdict,
        grade::Verdict::Pass,
        "5.x after {id}: {after_case:?}"
    );

    assert_reply(&mut before, "seq 2", b"1\n2\n");
    let mut after = connect(stage.addr);
    assert_reply(&mut after, "echo after", b"after\n");
    assert_reply(&mut before, "echo still", b"still\n");
    // (Shutdown with clients still connected has tests of its own.)
    drop((before, after));
    stop_ok(stage);
}

#[test]
fn lesson6_hostile_header_length_of_4_gib_is_cut_off() {
    assert_cut_off_while_others_are_served("4.4", "header limit");
}

#[test]
fn lesson6_hostile_header_length_just_over_64_kib_is_cut_off() {
    // Only the length is sent: the limit must be checked before waiting for the header.
    assert_eq!(
        grade::case("4.5").unwrap().title,
        "a header length just over 64 KiB is refused before the header arrives"
    );
    assert_cut_off_while_others_are_served("4.5", "header limit");
}

#[test]
fn lesson6_hostile_total_size_over_8_mib_is_cut_off() {
    // No body follows: the limit must be checked before waiting for it.
    assert_cut_off_while_others_are_served("4.13", &format!("{}-byte", REQUEST_BODY_LIMIT + 1));
}

#[test]
fn lesson6_hostile_total_size_of_2_to_the_64_minus_1_is_cut_off() {
    assert_cut_off_while_others_are_served("4.14", &format!("{}-byte", u64::MAX));
}

#[test]
fn lesson6_hostile_header_not_utf8_is_cut_off() {
    assert_cut_off_while_others_are_served("4.7", "UTF-8");
}

#[test]
fn lesson6_hostile_header_not_json_is_cut_off() {
    assert_cut_off_while_others_are_served("4.6", "JSON");
}

#[test]
fn lesson6_hostile_header_json_but_not_an_object_is_cut_off() {
    assert_cut_off_while_others_are_served("4.8", "object");
}

#[test]
fn lesson6_hostile_headers_without_a_usable_total_size_are_cut_off() {
    // Missing, -1, "6", null.
    for id in ["4.9", "4.10", "4.11", "4.12"] {
        assert_cut_off_while_others_are_served(id, "total_size");
    }
}

#[test]
fn lesson6_hostile_connection_closed_mid_length_is_cut_off() {
    assert_cut_off_while_others_are_served("4.15", "middle");
}

#[test]
fn lesson6_hostile_connection_closed_mid_header_is_cut_off() {
    // Announces a 40-byte header, sends 13 bytes of it, and hangs up.
    assert_cut_off_while_others_are_served("4.16", "middle");
}

#[test]
fn lesson6_hostile_connection_closed_mid_body_is_cut_off() {
    assert_cut_off_while_others_are_served("4.17", "middle");
}

#[test]
fn lesson6_hostile_request_whose_md5_does_not_match_is_cut_off() {
    // The header promises the md5 of "echo b"; the body is "echo a". No command may run (a reply
    // frame without an error would fail the case).
    assert_cut_off_while_others_are_served("4.18", "md5");
}

#[test]
fn lesson6_clients_announcing_8_mib_and_sending_nothing_block_nobody() {
    let stage = running(fixed_header::serve);
    let mut before = connect(stage.addr);
    assert_reply(&mut before, "echo before", b"before\n");

    // Case 4.19: four clients announce a body of exactly the limit (so it is accepted), send
    // none of it, and stay; another client is served meanwhile, and the four are still
    // connected, waited for, patiently.
    let target = grade::Target {
        addr: stage.addr,
        protocol: grade::Protocol::Framed,
        patience: PATIENCE,
    };
    let (outcome, _) = grade::run_bounded(grade::case("4.19").unwrap(), &target);
    assert_eq!(outcome.verdict, grade::Verdict::Pass, "{outcome:?}");

    assert_reply(&mut before, "seq 3", &seq_output(3));
    let mut after = connect(stage.addr);
    assert_reply(&mut after, "echo after", b"after\n");
    drop((before, after));
    stop_ok(stage);
}

// --- shutdown with clients still connected ---------------------------------------------------

/// docs/contracts.md, "Shutdown": stops accepting, ends every open connection (clients blocked in
/// `read` see end-of-stream), joins every thread, returns Ok, promptly, even with idle clients.
/// `connected` sets up clients that are still connected when shutdown comes; `round_trip` serves
/// one more client once, which then stays idle.
fn assert_shutdown_ends_every_connection(
    serve: ServeFn,
    round_trip: fn(&mut TcpStream),
    connected: &[&[u8]],
) {
    let stage = running(serve);
    let mut clients: Vec<TcpStream> = connected
        .iter()
        .map(|bytes| {
            let mut stream = connect(stage.addr);
            send(&mut stream, bytes);
            stream
        })
        .collect();
    // Served once, then idle: its server thread is surely running and blocked in read.
    let mut served = connect(stage.addr);
    round_trip(&mut served);
    clients.push(served);

    stop_ok(stage);
    for (i, stream) in clients.iter_mut().enumerate() {
        assert_eq!(
            expect_end(stream),
            End::EndOfStream,
            "client {i} should see end-of-stream"
        );
    }
}

#[test]
fn lesson5_shutdown_ends_idle_connections_and_serve_returns_ok() {
    // One client that connected and never spoke, one that was served and is idle.
    assert_shutdown_ends_every_connection(
        sticky_packet::serve,
        |stream| {
            send(stream, b"echo hi");
            assert_eq!(read_line_reply(stream), b"hi\n");
        },
        &[b""],
    );
}

#[test]
fn lesson6_shutdown_ends_idle_and_half_sent_connections_and_serve_returns_ok() {
    let header = format!(r#"{{"total_size":{REQUEST_BODY_LIMIT}}}"#);
    let mid_body = raw_frame(header.as_bytes(), b"echo ");
    // Never spoke; stopped half-way through the length; stopped half-way through an 8 MiB body.
    assert_shutdown_ends_every_connection(
        fixed_header::serve,
        |stream| assert_reply(stream, "echo hi", b"hi\n"),
        &[b"", &[0, 0], &mid_body],
    );
}

// =============================================================================================
// The binaries
// =============================================================================================

#[test]
fn lesson5_demo_is_deterministic_and_draws_the_glued_requests() {
    let transcript = assert_demo_is_deterministic(5);
    for row in [
        "client writes  |echo a|echo b|echo c|",
        "server reads   |echo aecho becho c  |",
    ] {
        assert!(
            transcript.contains(row),
            "the picture row {row:?} is missing:\n{transcript}"
        );
    }
}

#[test]
fn lesson6_demo_is_deterministic() {
    assert_demo_is_deterministic(6);
}

#[cfg(unix)]
#[test]
fn lesson6_binaries_client_and_server_talk_and_ctrl_c_stops_the_server() {
    let server = ServerProcess::start(6);
    // An idle client is connected when Ctrl-C comes: it must not keep the server alive.
    let mut idle = connect(server.addr);

    let finished = client(6, server.addr, b"echo hello\n\nseq 3\nq\nseq 5\n");
    finished.assert_no_panic();
    assert!(finished.status.success(), "{}", finished.stderr);
    // The empty line is skipped, `q` ends the session, seq 5 is never sent.
    assert_eq!(finished.stdout, "hello\n1\n2\n3\n");

    let (status, stderr) = server.interrupt_and_wait();
    assert!(
        status.success(),
        "Ctrl-C should exit 0, got {status}:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // At the default level (info) the server logs as it goes; the quiet test below relies on
    // this to show that `RUST_LOG=warn` is what silences it.
    assert!(
        stderr.lines().any(is_info_line),
        "the server logs INFO lines by default:\n{stderr}"
    );
    assert_eq!(expect_end(&mut idle), End::EndOfStream);
}

/// An `INFO` log line (env_logger's level column, however the line is padded).
fn is_info_line(line: &str) -> bool {
    line.split_whitespace().next() == Some("INFO")
}

#[cfg(unix)]
#[test]
fn lesson6_ctrl_c_stops_the_server_with_an_idle_client_when_logs_are_quiet() {
    // RUST_LOG overrides the log level (docs/contracts.md, "Errors and logs"), and Ctrl-C must
    // still stop the server promptly with idle clients connected. The server prints its address
    // whatever the level, so it can listen on port 0 like every other test server.
    let server = ServerProcess::spawn(lesson_command(6).env("RUST_LOG", "warn"), &[]);
    let mut idle = connect(server.addr);
    // Served once, so the server's thread for this client is surely blocked in read.
    assert_reply(&mut idle, "echo hi", b"hi\n");

    let (status, stderr) = server.interrupt_and_wait();
    assert!(
        status.success(),
        "Ctrl-C should exit 0, got {status}:\n{stderr}"
    );
    assert_eq!(expect_end(&mut idle), End::EndOfStream);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(LISTENING_ON),
        "the address is printed even at warn:\n{stderr}"
    );
    assert!(
        !stderr.lines().any(is_info_line),
        "RUST_LOG=warn should silence the INFO lines:\n{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn lesson5_binaries_client_prints_the_reply_and_the_server_is_built_in_only() {
    let server = ServerProcess::start(5);
    assert!(
        !server
            .stderr_so_far()
            .iter()
            .any(|line| line.contains("shell")),
        "no --shell, no shell warning:\n{}",
        server.stderr_so_far().join("\n")
    );

    let finished = client(5, server.addr, b"seq 3\n");
    finished.assert_no_panic();
    assert!(finished.status.success(), "{}", finished.stderr);
    assert!(
        finished.stdout.starts_with("1\n2\n3\n"),
        "{:?}",
        finished.stdout
    );
    assert_eq!(finished.stdout.trim_end(), "1\n2\n3");

    // The binary's default is the built-in commands too: this is echoed as text, not run.
    let mut a = connect(server.addr);
    send(&mut a, b"echo hi; echo there");
    assert_eq!(read_line_reply(&mut a), b"hi; echo there\n");

    let (status, stderr) = server.interrupt_and_wait();
    assert!(
        status.success(),
        "Ctrl-C should exit 0, got {status}:\n{stderr}"
    );
    assert_eq!(expect_end(&mut a), End::EndOfStream);
}

#[cfg(unix)]
#[test]
fn lesson5_server_with_shell_starts_with_a_loud_warning() {
    // No command is ever sent to this server.
    let server = ServerProcess::start_with(5, &["--shell"]);
    let seen = server.stderr_so_far();
    let listening = seen
        .iter()
        .position(|line| line.contains(LISTENING_ON))
        .unwrap();
    let warned = seen[..listening]
        .iter()
        .any(|line| line.contains("--shell") && line.contains("WARN"));
    assert!(
        warned,
        "expected a WARN line about --shell before listening:\n{}",
        seen.join("\n")
    );
    let (status, stderr) = server.interrupt_and_wait();
    assert!(
        status.success(),
        "Ctrl-C should exit 0, got {status}:\n{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_running_shell_command_does_not_hold_up_shutdown() {
    // The one command this test sends to a --shell server: harmless, and far longer than any
    // wait below, so the server stops in time only if shutdown stops the command.
    let mut server = ServerProcess::start_with(6, &["--shell"]);
    let mut client = connect(server.addr);
    frame::write_frame(&mut client, b"sleep 600 & sleep 600").unwrap();
    server.wait_for_stderr_line("running through the system shell");

    // SIGINT to the server alone (not to its process group, as a terminal's Ctrl-C would be).
    let (status, stderr) = server.interrupt_and_wait();
    assert!(
        status.success(),
        "Ctrl-C should exit 0, got {status}:\n{stderr}"
    );
    assert!(stderr.contains("server stopped"), "{stderr}");
    assert_eq!(expect_end(&mut client), End::EndOfStream);
}

#[test]
fn only_the_command_stages_offer_shell() {
    for number in 1..=6 {
        let offers = number >= 5;
        let finished = run(lesson_command(number).args(["server", "--help"]), b"");
        assert!(
            finished.status.success(),
            "lesson{number} server --help failed"
        );
        assert_eq!(
            finished.stdout.contains("--shell"),
            offers,
            "lesson{number} server --help:\n{}",
            finished.stdout
        );
        if !offers {
            // Asked for anyway, it is refused with one clear line before anything listens.
            let refused = run(
                lesson_command(number).args(["server", "--shell", "--addr", "127.0.0.1:0"]),
                b"",
            );
            refused.assert_no_panic();
            assert!(
                !refused.status.success(),
                "lesson{number} server --shell ran"
            );
            assert_eq!(refused.error_lines().len(), 1, "{}", refused.stderr);
            assert!(
                !refused.stderr.contains("listening on"),
                "{}",
                refused.stderr
            );
        }
    }
}

/// How the stand-in server ends the conversation after its broken reply.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Then {
    /// Keeps its end open until the client gives up, so the client has only the reply to go on.
    WaitForClient,
    /// Closes at once, so the reply ends where the bytes end.
    HangUp,
}

/// A stand-in lesson 6 server: accepts one client, reads its request frame, answers with `reply`
/// (raw bytes, broken on purpose), then does `then`. Returns its address and a channel with the
/// request body it received.
fn fake_lesson6_server(reply: Vec<u8>, then: Then) -> (SocketAddr, Receiver<Vec<u8>>) {
    let (request_tx, request) = mpsc::channel();
    let addr = serve_one_connection(move |mut conn| {
        let Ok(Some(frame)) = frame::read_frame(&mut conn, &Limits::REQUEST) else {
            return;
        };
        let _ = request_tx.send(frame.body);
        let _ = conn.write_all(&reply);
        if then == Then::WaitForClient {
            let _ = io::copy(&mut conn, &mut io::sink());
        }
    });
    (addr, request)
}

#[test]
fn lesson6_client_reports_a_broken_reply_in_one_line() {
    let wrong_md5 = format!(r#"{{"total_size":6,"md5":"{}"}}"#, md5_hex(b"hello\n"));
    // What the server sends back, how it ends, and a word the error line should contain.
    let cases = [
        (vec![0xff; 4], Then::WaitForClient, "header limit"),
        (
            raw_frame(b"not json at all", b""),
            Then::WaitForClient,
            "JSON",
        ),
        (
            raw_frame(wrong_md5.as_bytes(), b"HELLO\n"),
            Then::WaitForClient,
            "md5",
        ),
        (
            raw_frame(br#"{"total_size":1000}"#, b"hel"),
            Then::HangUp,
            "middle",
        ),
    ];
    for (reply, then, reason) in cases {
        let what = format!("reply {:?}", String::from_utf8_lossy(&reply));
        let (addr, request) = fake_lesson6_server(reply, then);
        let finished = client(6, addr, b"echo hello\n");
        assert_eq!(
            request.recv_timeout(PATIENCE).as_deref(),
            Ok(b"echo hello".as_slice()),
            "{what}: the client should send the line as one request frame"
        );
        finished.assert_no_panic();
        assert!(
            !finished.status.success(),
            "{what}: the client should fail, stderr:\n{}",
            finished.stderr
        );
        let errors = finished.error_lines();
        assert_eq!(
            errors.len(),
            1,
            "{what}: one error: line on stderr:\n{}",
            finished.stderr
        );
        assert!(
            errors[0].contains(reason),
            "{what}: the error should say {reason:?}: {}",
            errors[0]
        );
        assert!(
            finished.stdout.is_empty(),
            "{what}: nothing should be printed as a reply: {:?}",
            finished.stdout
        );
    }
}

/// Lesson 5's client ends with replies still unread (one `recv(1024)` per command, and `seq 1000`
/// prints 3,893 bytes). Its close is then a reset (RST), not a goodbye (FIN), and a reset throws
/// away what the client had written but not yet sent: `echo bye`, held back by Nagle's algorithm
/// while `echo hi` was unacknowledged. The stand-in answers `seq 1000` as lesson 5's server does
/// and then only listens, so `echo hi` is acknowledged only by the delayed-ACK timer (40 ms at
/// the least on Linux), long after the client has written `echo bye`, read, and closed. The
/// client exits 0: nothing tells it. (Against `lesson5 server`, which answers `echo hi` at once
/// and so acknowledges it sooner, `echo bye` is lost the same way on a quiet machine; the
/// chapter says so.)
#[cfg(target_os = "linux")]
#[test]
fn lesson5_client_closing_with_a_reply_unread_resets_and_loses_what_it_had_not_sent() {
    let (addr, stand_in) = common::stand_in(|mut conn| {
        use std::io::Read;
        let mut first = [0u8; 1024];
        let n = conn.read(&mut first).unwrap();
        assert_eq!(&first[..n], b"seq 1000");
        conn.write_all(&seq_output(1000)).unwrap();
        // Everything else the client sends, until its connection ends.
        let mut rest = Vec::new();
        let end = conn.read_to_end(&mut rest).map(|_| "end of stream");
        (rest, end.map_err(|e| e.kind()))
    });
    let finished = run(
        lesson_command(5).args(["client", "--addr", &addr.to_string()]),
        b"seq 1000\necho hi\necho bye\n",
    );
    assert!(finished.status.success(), "{}", finished.stderr);
    assert_eq!(
        finished.stdout.len(),
        3 * 1025,
        "three replies of one recv(1024) each"
    );
    let (rest, end) = stand_in.join_within(PATIENCE).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&rest),
        "echo hi",
        "`echo bye` never arrived"
    );
    assert_eq!(
        end,
        Err(io::ErrorKind::ConnectionReset),
        "the close was a reset"
    );
    // The chapter tells it.
    let chapter = common::chapter("05-sticky-packet.md");
    for fact in [
        "printf 'seq 1000\\necho hi\\necho bye\\n' | cargo run --bin lesson5 -- client",
        "the kernel sends a **reset** (RST)",
        "the client exits 0",
    ] {
        assert!(chapter.contains(fact), "chapter 5 should say: {fact}");
    }
}
