//! The grader (`grade`, `socket_lessons_tools::grade`) run against servers whose faults are known:
//! the stages, the Python peers that behave like the tutorial, and a server broken on purpose
//! here. Each test pins which cases fail, and why, so the catalogue is checked as much as the
//! servers are (docs/contracts.md, "The grader").
//!
//! A server that fails a case often fails it by waiting the patience out (a hang is a FAIL only
//! once the wait is over), so the runs against servers expected to fail use a patience of
//! `SHORT`; every case that passes is answered in milliseconds on loopback.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use common::python::{python_server, skip_without_python};
use common::{ServerProcess, run};
use socket_lessons_tools::grade::{self, CASES, Protocol, Settings, Target, Verdict};
use socket_lessons_tools::probe::{BoundedThread, PATIENCE};

const SHORT: Duration = Duration::from_secs(3);

/// Every case the catalogue runs for `protocol` against `addr`: id → (verdict, observed).
fn grade_with(
    addr: SocketAddr,
    protocol: Protocol,
    patience: Duration,
    cases: Option<&str>,
    strict: bool,
) -> BTreeMap<String, (Verdict, String)> {
    let settings = Settings {
        target: Target {
            addr,
            protocol,
            patience,
        },
        cases: cases.map(str::to_string),
        strict,
    };
    grade::run(&settings, || {}, |_| {})
        .into_iter()
        .map(|r| (r.id, (r.verdict, r.observed)))
        .collect()
}

fn grade_all(
    addr: SocketAddr,
    protocol: Protocol,
    patience: Duration,
) -> BTreeMap<String, (Verdict, String)> {
    grade_with(addr, protocol, patience, None, false)
}

/// The ids with verdict `verdict`.
fn with_verdict(results: &BTreeMap<String, (Verdict, String)>, verdict: Verdict) -> Vec<&str> {
    results
        .iter()
        .filter(|(_, (v, _))| *v == verdict)
        .map(|(id, _)| id.as_str())
        .collect()
}

fn sorted(mut ids: Vec<&str>) -> Vec<&str> {
    ids.sort();
    ids
}

/// What a server that keeps every promise of `protocol` gets: PASS for every MUST and SHOULD
/// case that applies (and its lifecycle case), INFO for the informational ones, SKIPPED for
/// the rest.
fn all_kept(protocol: Protocol) -> BTreeMap<String, Verdict> {
    let mut expected = BTreeMap::new();
    for case in CASES.iter() {
        // The cases of the program itself (groups 6, 7) need `learn`: grade leaves them out.
        if matches!(case.run, grade::Run::Program(_)) {
            continue;
        }
        if !case.applies_to(protocol) {
            expected.insert(case.id.to_string(), Verdict::Skipped);
            continue;
        }
        let verdict = match case.level {
            grade::Level::Info => Verdict::Info,
            _ => Verdict::Pass,
        };
        expected.insert(case.id.to_string(), verdict);
        if case.group() == 4 {
            expected.insert(case.id.replacen("4.", "5.", 1), Verdict::Pass);
        }
    }
    expected
}

fn verdicts(results: &BTreeMap<String, (Verdict, String)>) -> BTreeMap<String, Verdict> {
    results
        .iter()
        .map(|(id, (v, _))| (id.clone(), *v))
        .collect()
}

fn observed<'a>(results: &'a BTreeMap<String, (Verdict, String)>, id: &str) -> &'a str {
    &results
        .get(id)
        .unwrap_or_else(|| panic!("no result for {id}"))
        .1
}

// =============================================================================================
// The stages
// =============================================================================================

#[test]
fn lesson6_server_passes_the_framed_catalogue_through_the_grade_binary() {
    let server = ServerProcess::start(6);
    let json = std::env::temp_dir().join(format!("grade-lesson6-{}.json", std::process::id()));
    let done = run(
        std::process::Command::new(env!("CARGO_BIN_EXE_grade")).args([
            "--addr",
            &server.addr.to_string(),
            "--protocol",
            "framed",
            "--json",
            json.to_str().unwrap(),
        ]),
        b"",
    );
    assert!(done.status.success(), "{}\n{}", done.stdout, done.stderr);
    let expected = all_kept(Protocol::Framed);
    let passed = expected.values().filter(|v| **v == Verdict::Pass).count();
    let skipped = expected
        .values()
        .filter(|v| **v == Verdict::Skipped)
        .count();
    let info = expected.values().filter(|v| **v == Verdict::Info).count();
    assert_eq!(
        done.stdout.lines().last(),
        Some(
            format!("{passed} passed, 0 failed, {skipped} skipped, 0 non-strict, {info} info")
                .as_str()
        ),
        "{}",
        done.stdout
    );
    assert!(done.stdout.starts_with(&format!(
        "grade {} --protocol framed\n1 basics\n",
        server.addr
    )));
    assert!(
        done.stdout
            .contains("  2.1   PASS       two requests in one write are answered separately\n")
    );

    // The JSON says the same, case by case, with every field the contract lists.
    let text = std::fs::read_to_string(&json).expect("--json wrote its file");
    let _ = std::fs::remove_file(&json);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["protocol"], "framed");
    assert_eq!(report["summary"]["failed"], 0);
    let cases = report["cases"].as_array().unwrap();
    let mut seen = BTreeMap::new();
    for case in cases {
        for field in [
            "id",
            "group",
            "title",
            "level",
            "verdict",
            "expected",
            "observed",
            "hint",
            "duration_ms",
        ] {
            assert!(case.get(field).is_some(), "no {field} in {case}");
        }
        let verdict = match case["verdict"].as_str().unwrap() {
            "PASS" => Verdict::Pass,
            "INFO" => Verdict::Info,
            "SKIPPED" => Verdict::Skipped,
            other => panic!("case {}: {other}: {case}", case["id"]),
        };
        seen.insert(case["id"].as_str().unwrap().to_string(), verdict);
    }
    assert_eq!(seen, expected);
    server.interrupt_and_wait();
}

#[test]
fn lesson5_server_fails_its_framing_cases_with_the_sticky_packet_reason() {
    let server = ServerProcess::start(5);
    let results = grade_all(server.addr, Protocol::Commands, PATIENCE);
    let mut expected = all_kept(Protocol::Commands);
    for id in ["2.1", "2.2", "2.3", "2.7"] {
        expected.insert(id.to_string(), Verdict::Fail);
        assert!(
            observed(&results, id)
                .contains("one read was taken for one whole command (粘包, sticky packets)"),
            "{id}: {}",
            observed(&results, id)
        );
    }
    assert_eq!(verdicts(&results), expected);
    // Two requests in one write ran as one command, `echo aecho b`.
    assert!(
        observed(&results, "2.1").contains(r#""aecho b\n""#),
        "{}",
        observed(&results, "2.1")
    );
    // Half a request ran as a command of its own.
    assert!(
        observed(&results, "2.3").contains("unknown command 's'"),
        "{}",
        observed(&results, "2.3")
    );
    server.interrupt_and_wait();
}

#[test]
fn lesson3_server_fails_the_concurrency_cases() {
    let server = ServerProcess::start(3);
    let results = grade_all(server.addr, Protocol::Echo, SHORT);
    let mut expected = all_kept(Protocol::Echo);
    // 3.1 and 3.2 directly; 4.3 because the client that never reads is the one being served.
    for id in ["3.1", "3.2", "4.3"] {
        expected.insert(id.to_string(), Verdict::Fail);
    }
    assert_eq!(verdicts(&results), expected);
    assert!(
        observed(&results, "3.1")
            .contains("answered only once the first client left: one client at a time"),
        "{}",
        observed(&results, "3.1")
    );
    assert!(
        observed(&results, "3.2").starts_with("1 of 100 answered"),
        "{}",
        observed(&results, "3.2")
    );
    server.interrupt_and_wait();
}

#[test]
fn lesson4_server_passes_the_echo_catalogue() {
    let server = ServerProcess::start(4);
    let results = grade_all(server.addr, Protocol::Echo, PATIENCE);
    assert_eq!(verdicts(&results), all_kept(Protocol::Echo));
    server.interrupt_and_wait();
}

#[test]
fn lesson7_server_passes_the_udp_catalogue() {
    let server = ServerProcess::start(7);
    let results = grade_all(server.addr, Protocol::Udp, PATIENCE);
    assert_eq!(verdicts(&results), all_kept(Protocol::Udp));
    // The informational cases say what lesson 7 does with long datagrams: it keeps 1,024 bytes.
    assert_eq!(
        observed(&results, "1.4"),
        "1024 of 2,000 bytes came back, each upper-cased"
    );
    assert_eq!(observed(&results, "4.21"), "1024 bytes came back");
    server.interrupt_and_wait();
}

#[test]
fn lesson9_server_passes_the_chat_catalogue_as_the_chapter_shows() {
    let server = ServerProcess::start(9);
    let done = run(
        std::process::Command::new(env!("CARGO_BIN_EXE_grade")).args([
            "--addr",
            &server.addr.to_string(),
            "--protocol",
            "chat",
        ]),
        b"",
    );
    assert!(done.status.success(), "{}\n{}", done.stdout, done.stderr);
    let expected = all_kept(Protocol::Chat);
    // Every chat case, and the existing ones that list chat: 1.2, 2.2, 2.3 and 4.2 (with 5.2).
    let applies: Vec<&str> = expected
        .iter()
        .filter(|(_, v)| **v != Verdict::Skipped)
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(
        sorted(applies),
        [
            "1.10", "1.11", "1.2", "1.7", "1.8", "1.9", "2.2", "2.3", "2.5", "3.3", "4.2", "4.22",
            "4.23", "4.24", "4.25", "4.26", "4.27", "5.2", "5.22", "5.23", "5.24", "5.25", "5.26",
            "5.27"
        ]
    );
    let got: BTreeMap<String, Verdict> = done
        .stdout
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let id = words.next()?;
            let verdict = match words.next()? {
                "PASS" => Verdict::Pass,
                "INFO" => Verdict::Info,
                "SKIPPED" => Verdict::Skipped,
                "FAIL" => Verdict::Fail,
                "NON-STRICT" => Verdict::NonStrict,
                _ => return None,
            };
            Some((id.to_string(), verdict))
        })
        .collect();
    assert_eq!(got, expected, "{}", done.stdout);
    // The chapter shows this run as it printed (only the port differs).
    let chapter = std::fs::read_to_string(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("lessons/grading.md"),
    )
    .unwrap();
    let (chapter, _) = common::normalise_ports(&chapter);
    let (shown, _) = common::normalise_ports(&done.stdout);
    assert!(
        chapter.contains(&shown),
        "lessons/grading.md should show this run:\n{shown}"
    );
    server.interrupt_and_wait();
}

#[test]
fn the_chat_cases_say_what_lesson9_heard() {
    let server = ServerProcess::start(9);
    let results = grade_with(
        server.addr,
        Protocol::Chat,
        PATIENCE,
        Some("1.8,3.3,4.22,4.23,4.24,4.25,4.26"),
        false,
    );
    // Only alice was present when bob came: the list names her and nobody else.
    let joined = observed(&results, "1.8");
    assert!(joined.starts_with("\"* in the room: alice"), "{joined}");
    let (list, _) = joined.split_once("\", and").unwrap();
    assert!(!list.contains(','), "{joined}");
    assert_eq!(observed(&results, "3.3"), "2450 lines heard, 49 by each");
    // The contract's error lines, word for word, and the leave notice to the others.
    for (id, error) in [
        ("4.22", "error: a line is longer than 1000 bytes"),
        ("4.26", "error: a line is not UTF-8 text"),
    ] {
        let seen = observed(&results, id);
        assert!(
            seen.starts_with(&format!(
                "\"{error}\", then the end; the others told \"* hostile"
            )),
            "{id}: {seen}"
        );
    }
    assert_eq!(
        observed(&results, "4.23"),
        "all 4 refused with an error line, then closed"
    );
    assert_eq!(
        observed(&results, "4.24"),
        "refused with an error line, then closed"
    );
    // Dropped after its queue (1,024 lines) and the kernel's buffers filled: well before the
    // 16,384 lines the case may send, and the listener heard all of them.
    let dropped = observed(&results, "4.25");
    let after: usize = dropped
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{dropped}"));
    assert!((1024..16 * 1024).contains(&after), "{dropped}");
    assert!(dropped.starts_with("all "), "{dropped}");
    for id in ["5.22", "5.23", "5.24", "5.25", "5.26"] {
        assert_eq!(
            results[id].0,
            Verdict::Pass,
            "{id}: {}",
            observed(&results, id)
        );
    }
    server.interrupt_and_wait();
}

// =============================================================================================
// The Python peers that behave like the tutorial
// =============================================================================================

#[test]
fn the_tutorials_final_server_fails_every_framed_case_because_its_length_is_little_endian() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson6_tutorial_server.py", &[]);
    let results = grade_all(server.addr, Protocol::Framed, SHORT);
    // Every case that applies fails, except 4.2, which is informational.
    let expected: BTreeMap<String, Verdict> = all_kept(Protocol::Framed)
        .into_iter()
        .map(|(id, kept)| {
            let verdict = if kept == Verdict::Pass {
                Verdict::Fail
            } else {
                kept
            };
            (id, verdict)
        })
        .collect();
    assert_eq!(verdicts(&results), expected);
    // Its replies start with struct.pack('i', len(header)): little-endian, which the frame
    // reads as a header of over a gigabyte; and its requests are bare, so our frame's bytes
    // ran as a command.
    let first = observed(&results, "1.1");
    assert!(first.contains("a little-endian length"), "{first}");
    assert!(first.contains("struct.pack('i')"), "{first}");
    assert!(first.contains("unknown command"), "{first}");
}

#[test]
fn a_server_that_reads_requests_the_tutorials_way_fails_the_hostile_cases_for_the_right_reasons() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson6_tutorial_reader_server.py", &[]);
    let results = grade_all(server.addr, Protocol::Framed, SHORT);
    let mut expected = all_kept(Protocol::Framed);
    // It waits for whatever a header announces, never checks the md5, and trusts one recv.
    for id in [
        "2.1", "2.2", "2.3", "2.7", "4.5", "4.10", "4.13", "4.14", "4.17", "4.18",
    ] {
        expected.insert(id.to_string(), Verdict::Fail);
    }
    // Every exception ends the connection, but without an error reply.
    for id in ["4.6", "4.7", "4.8", "4.9", "4.11", "4.12", "4.15", "4.16"] {
        expected.insert(id.to_string(), Verdict::NonStrict);
    }
    let mut got = verdicts(&results);
    // Three verdicts depend on the machine, so they are reported but not pinned: 2.4 on how
    // fast Python copies 2 MiB with `body += recv(1024)` (quadratic: PASS when quick, FAIL when
    // slower than the patience); 3.2 on how fast Python drains its listen(5) backlog; 4.4 on
    // whether recv(4294967295) may allocate 4 GiB here (then it waits: FAIL) or not
    // (MemoryError: the connection ends, NON-STRICT).
    for (id, not) in [
        ("2.4", Verdict::Skipped),
        ("3.2", Verdict::Skipped),
        ("4.4", Verdict::Pass),
    ] {
        let verdict = got.remove(id).unwrap();
        assert_ne!(verdict, not, "{id}: {}", observed(&results, id));
        expected.remove(id);
    }
    assert_eq!(got, expected);

    // The reasons, as a student reads them.
    let trusts =
        "the server still waits for bytes it was promised (it trusts what the header announced)";
    for id in ["4.5", "4.13", "4.14", "4.17"] {
        assert!(
            observed(&results, id).ends_with(trusts),
            "{id}: {}",
            observed(&results, id)
        );
    }
    // recv(4) returned 1 byte: struct.error, and the connection is gone.
    assert!(
        observed(&results, "2.3").starts_with("the server closed the connection after only"),
        "{}",
        observed(&results, "2.3")
    );
    assert!(
        observed(&results, "4.18").contains("taken for a command"),
        "{}",
        observed(&results, "4.18")
    );
    assert_eq!(
        observed(&results, "4.9"),
        "the connection ended, but without an error reply saying why"
    );

    // --strict: a missed SHOULD is a FAIL.
    let strict = grade_with(server.addr, Protocol::Framed, SHORT, Some("4.9"), true);
    assert_eq!(strict["4.9"].0, Verdict::Fail);
    assert!(
        strict["4.9"]
            .1
            .ends_with("(--strict: a SHOULD counts as a MUST)")
    );
    assert_eq!(strict["5.9"].0, Verdict::Pass);
}

// =============================================================================================
// A server broken on purpose
// =============================================================================================

/// An echo server with two bugs, one thread per client: it upper-cases with Rust's
/// `str::to_uppercase` when a read is UTF-8 (so `ü` becomes `Ü` and `ß` becomes `SS`), and it
/// hangs up on any read that holds a NUL byte.
fn broken_echo_server() -> (SocketAddr, BoundedThread<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let accepting = BoundedThread::spawn("broken echo server", move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut buf = [0u8; 1024];
                while let Ok(n) = stream.read(&mut buf) {
                    let got = &buf[..n];
                    if n == 0 || got.contains(&0) {
                        return;
                    }
                    let reply = match std::str::from_utf8(got) {
                        Ok(text) => text.to_uppercase().into_bytes(),
                        Err(_) => got.to_ascii_uppercase(),
                    };
                    if stream.write_all(&reply).is_err() {
                        return;
                    }
                }
            });
        }
    })
    .unwrap();
    (addr, accepting)
}

#[test]
fn a_deliberately_broken_server_fails_exactly_the_cases_it_should() {
    let (addr, _server) = broken_echo_server();
    let results = grade_all(addr, Protocol::Echo, SHORT);
    let mut expected = all_kept(Protocol::Echo);
    expected.insert("1.2".into(), Verdict::Fail);
    expected.insert("4.1".into(), Verdict::Fail);
    assert_eq!(verdicts(&results), expected);
    assert_eq!(
        sorted(with_verdict(&results, Verdict::Fail)),
        ["1.2", "4.1"]
    );
    assert!(
        observed(&results, "1.2").contains("ÜNÏCÖDÉ SS"),
        "{}",
        observed(&results, "1.2")
    );
    assert_eq!(
        observed(&results, "4.1"),
        "the server closed the connection without replying"
    );
    // (The accepting thread ends with the test process.)
}

/// A server that serves its first client for as long as it stays, and never accepts another:
/// its listener stays open (held by the caller), so later clients connect into the backlog and
/// wait there forever.
fn first_client_only_server(listener: &TcpListener) -> BoundedThread<std::io::Result<()>> {
    let accepting = listener.try_clone().unwrap();
    BoundedThread::spawn("first client only", move || {
        let (mut stream, _) = accepting.accept()?;
        let mut buf = [0u8; 1024];
        loop {
            let n = stream.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            stream.write_all(&buf[..n].to_ascii_uppercase())?;
        }
    })
    .unwrap()
}

#[test]
fn a_second_client_never_served_gets_the_hint_for_what_was_observed_with_its_observations() {
    use socket_lessons_tools::scenario::Act;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = first_client_only_server(&listener);
    let settings = Settings {
        target: Target {
            addr,
            protocol: Protocol::Echo,
            patience: SHORT,
        },
        cases: Some("3.1".into()),
        strict: false,
    };
    let results = grade::run(&settings, || {}, |_| {});
    let result = &results[0];
    assert_eq!(result.verdict, Verdict::Fail);
    assert!(
        result
            .observed
            .ends_with("not answered even after the first client left: no reply within 3 s"),
        "{}",
        result.observed
    );
    // Not "one client at a time" (the case's own hint, for a second client served once the
    // first left): what was observed is a server that never went back to accept.
    assert_ne!(result.hint, grade::case("3.1").unwrap().hint);
    assert!(result.hint.contains("go back to accept"), "{}", result.hint);
    // The verdict keeps what it was judged from: B's request, its silence while A stayed, A
    // leaving, B's silence after.
    let observations = result.outcome.observations.as_ref().expect("observations");
    assert_eq!(observations.writes("B"), [b"second"]);
    let silences = observations
        .of("B")
        .filter(|act| matches!(act, Act::Silence { .. }))
        .count();
    assert_eq!(silences, 2, "{observations:#?}");
    assert!(observations.of("A").any(|act| matches!(act, Act::Closes)));
    serving.join_within(PATIENCE).unwrap().unwrap();
    drop(listener);
}

/// How a chat server is broken on purpose.
#[derive(Clone, Copy)]
enum ChatBug {
    /// Like `ncat --chat`: every `recv` is a message, labelled as it came, wherever the line
    /// ends (so `hel` + `lo\n` is two messages), and no line is ever too long or not text.
    LabelsPerRead,
    /// Lines framed as the contract says, but each one also sent back to its sender.
    EchoesToSender,
}

/// A chat server with one bug, built on the course's own room (`socket_lessons::room`), so
/// that everything but the bug keeps the contract: names, notices, bounded queues.
fn broken_chat_server(bug: ChatBug) -> (SocketAddr, BoundedThread<()>) {
    use socket_lessons::line::LineReader;
    use socket_lessons::room::Room;
    use std::sync::Arc;

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let room = Arc::new(Room::new());
    let accepting = BoundedThread::spawn("broken chat server", move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let room = Arc::clone(&room);
            std::thread::spawn(move || {
                let mut lines = LineReader::new(&stream);
                let mut chunk = [0u8; 8 * 1024];
                // The name: one read, or one line.
                let name = match bug {
                    ChatBug::LabelsPerRead => match (&stream).read(&mut chunk) {
                        Ok(n @ 1..) => String::from_utf8_lossy(&chunk[..n]).trim_end().to_string(),
                        _ => return,
                    },
                    ChatBug::EchoesToSender => match lines.read_line() {
                        Ok(Some(name)) => name,
                        _ => return,
                    },
                };
                let seat = match room.join_with(&name, &stream) {
                    Ok(seat) => seat,
                    Err(refusal) => {
                        let _ = (&stream).write_all(format!("error: {refusal}\n").as_bytes());
                        return;
                    }
                };
                loop {
                    match bug {
                        ChatBug::LabelsPerRead => match (&stream).read(&mut chunk) {
                            Ok(n @ 1..) => {
                                let text = String::from_utf8_lossy(&chunk[..n]);
                                seat.say(text.strip_suffix('\n').unwrap_or(&text));
                            }
                            _ => return,
                        },
                        ChatBug::EchoesToSender => match lines.read_line() {
                            Ok(Some(text)) => {
                                seat.say(&text);
                                seat.tell(&format!("[{name}] {text}"));
                            }
                            Ok(None) => return,
                            Err(e) => return seat.tell(&format!("error: {e}")),
                        },
                    }
                }
            });
        }
    })
    .unwrap();
    (addr, accepting)
}

#[test]
fn a_chat_server_that_labels_each_read_like_ncat_fails_the_framing_and_limit_cases() {
    let (addr, _server) = broken_chat_server(ChatBug::LabelsPerRead);
    let results = grade_all(addr, Protocol::Chat, SHORT);
    let mut expected = all_kept(Protocol::Chat);
    for id in ["2.2", "2.3", "2.5", "4.22", "4.25", "4.26"] {
        expected.insert(id.to_string(), Verdict::Fail);
    }
    assert_eq!(verdicts(&results), expected);
    // 4.25 fails for its framing, not for the silent member (the room's queues are bounded):
    // the talker's 58 KB writes are read 8 KiB at a time, and a line cut by a read comes out
    // as two messages.
    let flood = observed(&results, "4.25");
    assert!(flood.contains(": the listener heard \""), "{flood}");
    assert!(!flood.contains("stalled"), "{flood}");
    // `spl` + `it line\n` came out as two labelled messages, as ncat's `<user5> hel<user5> lo`.
    let split = observed(&results, "2.2");
    assert!(split.starts_with("split after byte 1 of 11: "), "{split}");
    assert!(split.contains("] s\" where"), "{split}");
    assert!(
        split.ends_with("(a label per read, not per line?)"),
        "{split}"
    );
    // Two lines in one write were one message: the second line came without a label.
    assert!(
        observed(&results, "2.5").contains("heard \"second\" where"),
        "{}",
        observed(&results, "2.5")
    );
    // Nothing is too long and nothing is not text to it: the member stays, the line goes on.
    for id in ["4.22", "4.26"] {
        assert!(
            observed(&results, id).ends_with("without a word or an end): the member was not ended"),
            "{id}: {}",
            observed(&results, id)
        );
    }
}

#[test]
fn a_chat_server_that_echoes_to_the_sender_fails_exactly_the_relay_cases() {
    let (addr, _server) = broken_chat_server(ChatBug::EchoesToSender);
    let results = grade_all(addr, Protocol::Chat, SHORT);
    let mut expected = all_kept(Protocol::Chat);
    for id in ["1.7", "3.3"] {
        expected.insert(id.to_string(), Verdict::Fail);
    }
    assert_eq!(verdicts(&results), expected);
    assert!(
        observed(&results, "1.7").ends_with("the sender got its own line back"),
        "{}",
        observed(&results, "1.7")
    );
    assert!(
        observed(&results, "3.3").ends_with("heard its own line back"),
        "{}",
        observed(&results, "3.3")
    );
}

// =============================================================================================
// The command line
// =============================================================================================

#[test]
fn grade_says_so_when_no_case_matches_or_the_protocol_is_unknown() {
    let grade = env!("CARGO_BIN_EXE_grade");
    let none = run(
        std::process::Command::new(grade).args([
            "--addr",
            "127.0.0.1:9",
            "--protocol",
            "echo",
            "--cases",
            "9",
        ]),
        b"",
    );
    assert_eq!(none.status.code(), Some(1));
    assert_eq!(
        none.error_lines(),
        ["error: --cases 9: no case of the catalogue matches"]
    );
    let bad = run(
        std::process::Command::new(grade).args(["--addr", "127.0.0.1:9", "--protocol", "http"]),
        b"",
    );
    assert_eq!(bad.status.code(), Some(2), "{}", bad.stderr);
}

#[test]
fn nothing_listening_fails_every_case_quickly_and_the_status_says_so() {
    // A port nobody listens on: every case fails at its first connection, none hangs.
    let addr = common::unused_addr();
    let done = run(
        std::process::Command::new(env!("CARGO_BIN_EXE_grade")).args([
            "--addr",
            &addr.to_string(),
            "--protocol",
            "echo",
            "--cases",
            "1,3",
        ]),
        b"",
    );
    assert_eq!(done.status.code(), Some(1));
    assert_eq!(
        done.stdout.lines().last(),
        Some("0 passed, 5 failed, 17 skipped, 0 non-strict, 0 info")
    );
    assert!(
        done.stdout.contains("observed: cannot connect to"),
        "{}",
        done.stdout
    );
    assert_eq!(done.error_lines(), ["error: 5 case(s) failed"]);
}

#[test]
fn the_chapter_shows_lesson5s_framing_grades_as_they_run() {
    let server = ServerProcess::start(5);
    let done = run(
        std::process::Command::new(env!("CARGO_BIN_EXE_grade")).args([
            "--addr",
            &server.addr.to_string(),
            "--protocol",
            "commands",
            "--cases",
            "2",
        ]),
        b"",
    );
    assert_eq!(done.status.code(), Some(1));
    // The chapter shows stdout and then the one error line, as a terminal shows them.
    let shown = format!("{}{}\n", done.stdout, done.error_lines().join("\n"));
    let chapter = std::fs::read_to_string(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("lessons/grading.md"),
    )
    .unwrap();
    let (chapter, _) = common::normalise_ports(&chapter);
    let (shown, ports) = common::normalise_ports(&shown);
    assert_eq!(ports, 1);
    assert!(
        chapter.contains(&shown),
        "lessons/grading.md should show this run:\n{shown}"
    );
    server.interrupt_and_wait();
}

/// `grade … | head -1`: when the reader of its output has gone, the grader must not panic
/// (`println!` does, on a broken pipe); it finishes quietly with its own exit status.
#[test]
fn grade_piped_into_a_reader_that_stops_early_does_not_panic() {
    let server = ServerProcess::start(4);
    let done = run(
        std::process::Command::new("bash").args([
            "-o",
            "pipefail",
            "-c",
            &format!(
                "'{}' --addr {} --protocol echo | head -1",
                env!("CARGO_BIN_EXE_grade"),
                server.addr
            ),
        ]),
        b"",
    );
    assert!(!done.stderr.contains("panicked"), "{}", done.stderr);
    assert_eq!(done.stdout.lines().count(), 1, "{}", done.stdout);
    assert!(done.status.success(), "{:?}\n{}", done.status, done.stderr);
    server.interrupt_and_wait();
}
