//! `netassist`, the network debugging assistant (docs/contracts.md, "The instructor tools"):
//! the real binary against real sockets on `127.0.0.1:0`, read through its `--json` events
//! (and its text and hex blocks where the display itself is the point).
//!
//! Nothing here sleeps to synchronise: a test writes the next piece only after netassist has
//! shown the one before, so "two reads" is caused, not hoped for. Every wait is bounded by
//! [`PATIENCE`].

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};

use serde_json::Value;
use socket_lessons_tools::probe::{self, BoundedThread, End, PATIENCE};

use common::tools::{Tool, events, is};

const NETASSIST: &str = env!("CARGO_BIN_EXE_netassist");

fn counters(events: &[Value]) -> &Value {
    events
        .iter()
        .find(|e| is(e, "counters"))
        .unwrap_or_else(|| panic!("no counters in {events:?}"))
}

fn blocks<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| is(e, kind)).collect()
}

/// A TCP server on 127.0.0.1:0 whose one connection is handed to `serve` on a thread.
fn one_connection<T: Send + 'static>(
    serve: impl FnOnce(TcpStream) -> T + Send + 'static,
) -> (SocketAddr, BoundedThread<T>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let thread = BoundedThread::spawn("server", move || {
        let (stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream.set_nodelay(true).unwrap();
        serve(stream)
    })
    .unwrap();
    (addr, thread)
}

/// Runs `netassist args` to its end, with `stdin` as its input (bounded by [`PATIENCE`]).
fn run_netassist(args: &[&str], stdin: &[u8]) -> probe::Finished {
    probe::run(
        std::process::Command::new(NETASSIST).args(args),
        stdin,
        PATIENCE,
    )
    .unwrap()
}

/// The `--json` events a finished run printed, one a stdout line.
fn stdout_events(finished: &probe::Finished) -> Vec<Value> {
    let stdout = String::from_utf8(finished.stdout.clone()).unwrap();
    events(&stdout.lines().map(String::from).collect::<Vec<_>>())
}

/// Everything a connection sends, until it closes its side.
fn read_all(stream: &mut TcpStream) -> Vec<u8> {
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_glued_message_is_one_block_and_a_split_one_is_two() {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let (addr, server) = one_connection(move |mut stream| {
        // Two messages in one write: glued.
        stream.write_all(b"one\ntwo\n").unwrap();
        // One message in two writes, the second only once the first has been shown.
        rx.recv_timeout(PATIENCE).unwrap();
        stream.write_all(b"thr").unwrap();
        rx.recv_timeout(PATIENCE).unwrap();
        stream.write_all(b"ee\n").unwrap();
    });
    let mut tool = Tool::start(
        NETASSIST,
        &["tcp-client", "--addr", &addr.to_string(), "--json"],
    );
    tool.close_stdin();
    let glued = tool.event("the glued read", |e| is(e, "recv"));
    assert_eq!(glued["text"], "one\ntwo\n");
    assert_eq!(
        (glued["bytes"].as_u64(), glued["offset"].as_u64()),
        (Some(8), Some(0))
    );
    tx.send(()).unwrap();
    let first = tool.event("the first piece", |e| is(e, "recv"));
    assert_eq!(
        (first["text"].as_str(), first["offset"].as_u64()),
        (Some("thr"), Some(8))
    );
    tx.send(()).unwrap();
    let second = tool.event("the second piece", |e| is(e, "recv"));
    assert_eq!(
        (second["text"].as_str(), second["offset"].as_u64()),
        (Some("ee\n"), Some(11))
    );
    server.join_within(PATIENCE).unwrap();
    let (status, stdout, _) = tool.finish();
    assert!(status.success());
    let events = events(&stdout);
    assert!(events.iter().any(|e| is(e, "closed by peer")), "{events:?}");
    let counted = counters(&events);
    assert_eq!(
        (counted["reads"].as_u64(), counted["bytes_in"].as_u64()),
        (Some(3), Some(14))
    );
    assert_eq!(counted["connections"], 1);
}

#[test]
fn the_text_display_shows_each_read_as_its_own_escaped_block() {
    let (addr, server) = one_connection(|mut stream| {
        stream.write_all(b"hi\x1b[2J\n").unwrap();
    });
    let finished = run_netassist(&["tcp-client", "--addr", &addr.to_string()], b"");
    server.join_within(PATIENCE).unwrap();
    let stdout = String::from_utf8(finished.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.contains("<- recv 7 bytes at 0"))
        .unwrap_or_else(|| panic!("no block header in:\n{stdout}"));
    assert_eq!(
        lines[header + 1],
        r#"  "hi\x1b[2J\n""#,
        "escaped, quoted, one line"
    );
    assert!(
        !stdout.contains('\x1b'),
        "no escape sequence reaches the terminal"
    );
    // The counters, last (folded to 80 columns, the rest under them).
    let counters = lines
        .iter()
        .rposition(|l| l.starts_with("counters: "))
        .unwrap_or_else(|| panic!("no counters in:\n{stdout}"));
    assert!(
        lines[counters].starts_with("counters: received 7 bytes in 1 read(s)"),
        "{stdout}"
    );
    assert!(
        lines[counters + 1..]
            .iter()
            .all(|l| l.starts_with("          ")),
        "{stdout}"
    );
}

#[test]
fn hex_goes_out_exactly_and_comes_back_as_hex_rows() {
    let (addr, server) = one_connection(|mut stream| {
        let got = read_all(&mut stream);
        stream.write_all(b"\x00\x01ABC\xff").unwrap();
        got
    });
    let finished = run_netassist(
        &[
            "tcp-client",
            "--addr",
            &addr.to_string(),
            "--hex",
            "--send-hex",
            "48 65 6c 6c 6f 00 ff",
        ],
        b"",
    );
    assert_eq!(server.join_within(PATIENCE).unwrap(), b"Hello\x00\xff");
    let stdout = String::from_utf8(finished.stdout).unwrap();
    assert!(
        stdout.contains("-> sent 7 bytes at 0\n  00000000  48 65 6c 6c 6f 00 ff"),
        "{stdout}"
    );
    assert!(stdout.contains("  |Hello..|\n"), "{stdout}");
    assert!(
        stdout.contains("<- recv 6 bytes at 0\n  00000000  00 01 41 42 43 ff"),
        "{stdout}"
    );
    assert!(stdout.contains("  |..ABC.|\n"), "{stdout}");
}

#[test]
fn repeat_sends_the_payload_n_times_and_the_counters_count_them() {
    let (addr, server) = one_connection(|mut stream| read_all(&mut stream));
    let finished = run_netassist(
        &[
            "tcp-client",
            "--addr",
            &addr.to_string(),
            "--json",
            "--send",
            "ping",
            "--repeat",
            "3",
            "--interval",
            "20",
        ],
        b"",
    );
    assert_eq!(server.join_within(PATIENCE).unwrap(), b"ping\nping\nping\n");
    let events = stdout_events(&finished);
    let offsets: Vec<u64> = blocks(&events, "sent")
        .iter()
        .map(|e| e["offset"].as_u64().unwrap())
        .collect();
    assert_eq!(offsets, [0, 5, 10]);
    let sent_at: Vec<u64> = blocks(&events, "sent")
        .iter()
        .map(|e| e["ms"].as_u64().unwrap())
        .collect();
    assert!(
        sent_at.windows(2).all(|w| w[1] >= w[0] + 19),
        "--interval 20 keeps the repeats apart: {sent_at:?}"
    );
    let counted = counters(&events);
    assert_eq!(
        (counted["writes"].as_u64(), counted["bytes_out"].as_u64()),
        (Some(3), Some(15))
    );
}

#[test]
fn a_file_goes_out_as_one_write_and_wait_ends_a_client_whose_server_stays() {
    let path = std::env::temp_dir().join(format!("netassist-file-{}.bin", std::process::id()));
    let contents: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    std::fs::write(&path, &contents).unwrap();
    // The server reads what comes and keeps the connection open: only --wait ends the client.
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let (done, finished_client) = std::sync::mpsc::channel::<()>();
    let (addr, server) = one_connection(move |mut stream| {
        let got = read_all(&mut stream);
        tx.send(got).unwrap();
        // Held open (the client's side is closed, ours is not) until the client has exited.
        let _ = finished_client.recv_timeout(PATIENCE);
        drop(stream);
    });
    let finished = run_netassist(
        &[
            "tcp-client",
            "--addr",
            &addr.to_string(),
            "--json",
            "--file",
            path.to_str().unwrap(),
            "--wait",
            "200",
        ],
        b"",
    );
    let _ = std::fs::remove_file(&path);
    done.send(()).unwrap();
    assert!(finished.status.success());
    assert_eq!(rx.recv_timeout(PATIENCE).unwrap(), contents);
    server.join_within(PATIENCE).unwrap();
    let events = stdout_events(&finished);
    let sent = blocks(&events, "sent");
    assert_eq!(sent.len(), 1, "one file, one write");
    assert_eq!(sent[0]["bytes"], 3000);
    assert!(
        events.iter().any(|e| is(e, "closed")),
        "--wait ended it: {events:?}"
    );
}

#[test]
fn lines_get_the_line_ending_asked_for() {
    for (flag, expected) in [
        (None, &b"a\nb\n"[..]),
        (Some("--crlf"), b"a\r\nb\r\n"),
        (Some("--no-newline"), b"ab"),
    ] {
        let (addr, server) = one_connection(|mut stream| read_all(&mut stream));
        let addr = addr.to_string();
        let mut args = vec!["tcp-client", "--addr", &addr];
        args.extend(flag);
        let finished = run_netassist(&args, b"a\r\nb\n");
        assert!(finished.status.success());
        assert_eq!(server.join_within(PATIENCE).unwrap(), expected, "{flag:?}");
    }
}

#[test]
fn a_tcp_server_labels_its_clients_echoes_and_counts_until_ctrl_c() {
    let (mut tool, addr) = Tool::listening(
        NETASSIST,
        &["tcp-server", "--addr", "127.0.0.1:0", "--echo", "--json"],
    );
    let mut first = probe::connect(addr).unwrap();
    tool.event("#1 connected", |e| is(e, "connected"));
    let mut second = probe::connect(addr).unwrap();
    tool.event("#2 connected", |e| is(e, "connected"));
    first.write_all(b"from one").unwrap();
    assert_eq!(probe::read_exactly(&mut first, 8).unwrap(), b"from one");
    second.write_all(b"from two").unwrap();
    assert_eq!(probe::read_exactly(&mut second, 8).unwrap(), b"from two");
    // What is typed goes to every client.
    tool.type_in(b"to all\n");
    assert_eq!(probe::read_exactly(&mut first, 7).unwrap(), b"to all\n");
    assert_eq!(probe::read_exactly(&mut second, 7).unwrap(), b"to all\n");
    tool.interrupt();
    assert_eq!(probe::wait_for_end(&mut first).unwrap(), End::EndOfStream);
    assert_eq!(probe::wait_for_end(&mut second).unwrap(), End::EndOfStream);
    let (status, stdout, stderr) = tool.finish();
    assert!(status.success(), "{status}: {stderr:?}");
    assert!(
        stderr.iter().any(|l| l == "netassist tcp-server stopped"),
        "{stderr:?}"
    );
    let events = events(&stdout);
    let received: Vec<(&str, &str)> = blocks(&events, "recv")
        .iter()
        .map(|e| (e["peer"].as_str().unwrap(), e["text"].as_str().unwrap()))
        .collect();
    assert_eq!(received.len(), 2);
    assert!(received[0].0.starts_with("#1 127.0.0.1:") && received[0].1 == "from one");
    assert!(received[1].0.starts_with("#2 127.0.0.1:") && received[1].1 == "from two");
    let counted = counters(&events);
    assert_eq!(counted["connections"], 2);
    assert_eq!(
        (counted["reads"].as_u64(), counted["bytes_in"].as_u64()),
        (Some(2), Some(16))
    );
    // Two echoes and one line to each of two clients.
    assert_eq!(
        (counted["writes"].as_u64(), counted["bytes_out"].as_u64()),
        (Some(4), Some(30))
    );
}

#[test]
fn ctrl_c_ends_a_client_whose_server_says_nothing_and_it_exits_0() {
    let (addr, server) = one_connection(|mut stream| read_all(&mut stream));
    let mut tool = Tool::start(
        NETASSIST,
        &["tcp-client", "--addr", &addr.to_string(), "--json"],
    );
    tool.event("connected", |e| is(e, "connected"));
    tool.interrupt();
    let (status, stdout, _) = tool.finish();
    assert!(status.success(), "{status}");
    assert_eq!(server.join_within(PATIENCE).unwrap(), b"");
    assert_eq!(counters(&events(&stdout))["reads"], 0);
}

#[test]
fn udp_server_and_client_show_whole_datagrams() {
    let (mut server, addr) = Tool::listening(
        NETASSIST,
        &["udp-server", "--addr", "127.0.0.1:0", "--echo", "--json"],
    );
    // A plain socket first: the server shows its datagram and echoes it.
    let plain = UdpSocket::bind("127.0.0.1:0").unwrap();
    plain.set_read_timeout(Some(PATIENCE)).unwrap();
    plain.send_to(b"", addr).unwrap();
    plain.send_to(b"two words", addr).unwrap();
    let mut buf = [0u8; 64];
    assert_eq!(
        plain.recv(&mut buf).unwrap(),
        0,
        "an empty datagram is a message"
    );
    let n = plain.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"two words");

    // Then netassist's own client.
    let mut client = Tool::start(
        NETASSIST,
        &[
            "udp-client",
            "--addr",
            &addr.to_string(),
            "--json",
            "--send",
            "hello udp",
        ],
    );
    let echoed = client.event("the echo", |e| is(e, "recv"));
    assert_eq!(echoed["text"], "hello udp\n");
    client.interrupt();
    let (status, stdout, _) = client.finish();
    assert!(status.success());
    let counted = counters(&events(&stdout)).clone();
    assert_eq!(
        (counted["writes"].as_u64(), counted["reads"].as_u64()),
        (Some(1), Some(1))
    );

    server.interrupt();
    let (status, stdout, _) = server.finish();
    assert!(status.success());
    let events = events(&stdout);
    let sizes: Vec<u64> = blocks(&events, "recv")
        .iter()
        .map(|e| e["bytes"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, [0, 9, 10]);
    assert_eq!(counters(&events)["connections"], 2, "two peers heard from");
}

#[cfg(unix)]
#[test]
fn unix_server_and_client_both_ways() {
    let dir = std::env::temp_dir().join(format!("netassist-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("assist.sock");
    let path_text = path.to_str().unwrap();
    let mut server = Tool::start(NETASSIST, &["unix-server", path_text, "--echo", "--json"]);
    server.stderr_line("listening on ");
    let mut client = Tool::start(NETASSIST, &["unix-client", path_text, "--json"]);
    let connected = server.event("a client", |e| is(e, "connected"));
    assert_eq!(connected["peer"], "#1 unix client");
    client.type_in(b"over a path\n");
    let echoed = client.event("the echo", |e| is(e, "recv"));
    assert_eq!(echoed["text"], "over a path\n");
    // What the server's operator types reaches the client too.
    server.type_in(b"from the server\n");
    let typed = client.event("the typed line", |e| is(e, "recv"));
    assert_eq!(
        (typed["text"].as_str(), typed["offset"].as_u64()),
        (Some("from the server\n"), Some(12))
    );
    // The end of the client's input closes its side; the server closes back; the client ends.
    client.close_stdin();
    let (status, stdout, _) = client.finish();
    assert!(status.success());
    assert!(events(&stdout).iter().any(|e| is(e, "closed by peer")));
    server.event("the client gone", |e| is(e, "closed by peer"));
    server.interrupt();
    let (status, ..) = server.finish();
    assert!(status.success());
    assert!(!path.exists(), "the server removes its socket file");
    let _ = std::fs::remove_dir(&dir);
}

#[test]
fn nothing_listening_is_one_error_line() {
    let gone = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let finished = run_netassist(&["tcp-client", "--addr", &gone.to_string()], b"");
    assert_eq!(finished.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&finished.stderr);
    assert!(
        stderr.starts_with(&format!(
            "error: cannot connect to {gone}: nothing is listening there"
        )),
        "{stderr}"
    );
}

/// A server that closes its sending side at once (a half-close) and then reads everything the
/// client sends, until the client's end of the stream.
fn half_closing_server() -> (SocketAddr, BoundedThread<Vec<u8>>) {
    one_connection(|mut stream| {
        stream.shutdown(std::net::Shutdown::Write).unwrap();
        read_all(&mut stream)
    })
}

#[test]
fn a_server_that_closes_first_still_gets_all_the_input() {
    // Lines of standard input: the server has closed its side before most of them are sent.
    let typed: String = (0..2000).map(|i| format!("line {i:04}\n")).collect();
    let (addr, server) = half_closing_server();
    let finished = run_netassist(
        &["tcp-client", "--addr", &addr.to_string(), "--json"],
        typed.as_bytes(),
    );
    assert!(finished.status.success());
    assert_eq!(server.join_within(PATIENCE).unwrap(), typed.as_bytes());
    let events = stdout_events(&finished);
    assert!(events.iter().any(|e| is(e, "closed by peer")), "{events:?}");
    assert_eq!(counters(&events)["bytes_out"], typed.len());
    // A file, as much a race before: the server's end of the stream is no reason to keep it.
    let path = std::env::temp_dir().join(format!("netassist-half-{}.txt", std::process::id()));
    std::fs::write(&path, &typed).unwrap();
    let (addr, server) = half_closing_server();
    let finished = run_netassist(
        &[
            "tcp-client",
            "--addr",
            &addr.to_string(),
            "--file",
            path.to_str().unwrap(),
        ],
        b"",
    );
    let _ = std::fs::remove_file(&path);
    assert!(finished.status.success());
    assert_eq!(server.join_within(PATIENCE).unwrap(), typed.as_bytes());
}

/// In the events of a run, no byte is shown received before the send that caused it: against
/// an echo, the bytes shown received never get ahead of the bytes shown sent.
fn assert_no_reply_above_its_send(events: &[Value], run: usize) {
    let (mut sent, mut received) = (0u64, 0u64);
    for (i, event) in events.iter().enumerate() {
        if is(event, "sent") {
            sent += event["bytes"].as_u64().unwrap();
        } else if is(event, "recv") {
            received += event["bytes"].as_u64().unwrap();
            assert!(
                received <= sent,
                "run {run}, event {i}: {received} bytes shown received, {sent} shown sent: \
                 a reply above the send that caused it:\n{:#?}",
                &events[i.saturating_sub(4)..=i]
            );
        }
    }
}

#[test]
fn every_reply_is_shown_after_the_send_that_caused_it() {
    const RUNS: usize = 10;
    const MESSAGES: &str = "200";
    for run in 0..RUNS {
        // TCP: an echo of every read, at once.
        let (addr, server) = one_connection(|mut stream| {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = stream.read(&mut buf) {
                stream.write_all(&buf[..n]).unwrap();
            }
        });
        let finished = run_netassist(
            &[
                "tcp-client",
                "--addr",
                &addr.to_string(),
                "--json",
                "--send",
                "ping",
                "--repeat",
                MESSAGES,
                "--interval",
                "0",
            ],
            b"",
        );
        assert!(finished.status.success());
        server.join_within(PATIENCE).unwrap();
        let events = stdout_events(&finished);
        assert_eq!(
            counters(&events)["bytes_in"],
            counters(&events)["bytes_out"]
        );
        assert_no_reply_above_its_send(&events, run);

        // UDP: the same, a datagram each.
        let echo = UdpSocket::bind("127.0.0.1:0").unwrap();
        echo.set_read_timeout(Some(PATIENCE)).unwrap();
        let addr = echo.local_addr().unwrap();
        let echoing = BoundedThread::spawn("udp echo", move || {
            let mut buf = [0u8; 64];
            for _ in 0..200 {
                let (n, from) = echo.recv_from(&mut buf).unwrap();
                echo.send_to(&buf[..n], from).unwrap();
            }
        })
        .unwrap();
        let finished = run_netassist(
            &[
                "udp-client",
                "--addr",
                &addr.to_string(),
                "--json",
                "--send",
                "ping",
                "--repeat",
                MESSAGES,
                "--interval",
                "0",
                "--wait",
                "300",
            ],
            b"",
        );
        assert!(finished.status.success());
        echoing.join_within(PATIENCE).unwrap();
        assert_no_reply_above_its_send(&stdout_events(&finished), run);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_ends_a_client_still_connecting_to_a_server_that_never_accepts() {
    let (_listener, _filler, addr) = common::tools::server_that_never_accepts();
    let mut tool = Tool::start(
        NETASSIST,
        &["tcp-client", "--addr", &addr.to_string(), "--json"],
    );
    // It is waiting to connect (it prints nothing until it has): Ctrl-C must not wait for that.
    tool.wait_for_threads("connect", 1);
    tool.interrupt();
    let (status, stdout, _) = tool.finish_within(std::time::Duration::from_secs(3));
    assert!(status.success(), "{status}");
    assert_eq!(counters(&events(&stdout))["connections"], 0);
}

/// 中文 (issue 20): under `--lang zh` the text display names its blocks, events and counters
/// in Chinese (the bytes it shows are the peer's, escaped, in any language); `--json` is for
/// programs and stays English; `--lang en` says what it always said.
#[test]
fn netassist_speaks_chinese_under_lang_zh_and_json_stays_english() {
    use socket_lessons_tools::demo::display_width;
    let text_of = |lang: &str, json: bool| {
        let (addr, server) = one_connection(|mut stream| {
            stream.write_all(b"hi\n").unwrap();
        });
        let addr = addr.to_string();
        let mut args = vec!["--lang", lang, "tcp-client", "--addr", &addr];
        if json {
            args.push("--json");
        }
        let finished = run_netassist(&args, b"");
        server.join_within(PATIENCE).unwrap();
        finished
    };
    let zh = String::from_utf8(text_of("zh", false).stdout).unwrap();
    assert!(zh.contains("<- recv 3 字节，位于 0\n  \"hi\\n\"\n"), "{zh}");
    assert!(zh.contains("  已连接\n"), "{zh}");
    assert!(
        zh.lines()
            .last()
            .unwrap()
            .starts_with("计数：收到 3 字节，读了 1 次；"),
        "{zh}"
    );
    for line in zh.lines() {
        assert!(display_width(line) <= 80, "{line}");
    }
    let en = String::from_utf8(text_of("en", false).stdout).unwrap();
    assert!(en.contains("<- recv 3 bytes at 0\n"), "{en}");
    assert!(en.contains("  connected\n"), "{en}");
    // The counters, last: folded to 80 columns, the rest under them.
    let counters = en
        .lines()
        .rev()
        .find(|l| !l.starts_with("          "))
        .unwrap();
    assert!(
        counters.starts_with("counters: received 3 bytes in 1 read(s)"),
        "{en}"
    );
    for line in en.lines() {
        assert!(display_width(line) <= 80, "{line}");
    }
    // --json: the same events, the same English names, whatever the language.
    let json = |lang| {
        let events = stdout_events(&text_of(lang, true));
        events
            .iter()
            .map(|e| e["event"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    let (zh_events, en_events) = (json("zh"), json("en"));
    assert_eq!(zh_events, en_events);
    assert!(zh_events.iter().any(|e| e == "connected"), "{zh_events:?}");
    // An error of its command line, in Chinese.
    let odd = run_netassist(
        &[
            "--lang",
            "zh",
            "tcp-client",
            "--addr",
            "127.0.0.1:9",
            "--send-hex",
            "486",
        ],
        b"",
    );
    let stderr = String::from_utf8_lossy(&odd.stderr);
    assert!(stderr.contains("的十六进制数字个数是奇数"), "{stderr}");
}
