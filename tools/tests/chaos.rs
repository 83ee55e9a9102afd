//! `chaos`, the proxy that re-chunks TCP (docs/contracts.md, "The instructor tools"): the real
//! binary between real sockets on `127.0.0.1:0`. Each SPEC is pinned by what the far side's
//! reads were; `--seed` by two runs giving the same cuts; fidelity by random bytes both ways;
//! the end of a run by Ctrl-C with connections open.
//!
//! Nothing here sleeps to synchronise: "it happened" is a read, an end of stream or an event on
//! chaos's standard output. Every wait is bounded by [`PATIENCE`].

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use serde_json::Value;
use socket_lessons_tools::probe::{self, BoundedThread, End, PATIENCE, SplitMix64};

use common::tools::{Tool, events, is};

const CHAOS: &str = env!("CARGO_BIN_EXE_chaos");

// ---- helpers ----------------------------------------------------------------------------------

/// What a far-side server saw of one connection: each read, and how the stream ended.
#[derive(Debug)]
struct Reads {
    reads: Vec<Vec<u8>>,
    end: Result<End, String>,
}

impl Reads {
    fn bytes(&self) -> Vec<u8> {
        self.reads.concat()
    }
}

/// A server on 127.0.0.1:0 that accepts one connection, writes `reply` (if any), and records
/// every read until the stream ends.
fn recording_server(reply: &'static [u8]) -> (SocketAddr, BoundedThread<Reads>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let thread = BoundedThread::spawn("recorder", move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        if !reply.is_empty() {
            stream.write_all(reply).unwrap();
        }
        record(&mut stream)
    })
    .unwrap();
    (addr, thread)
}

/// Every read of `stream`, one entry each, until it ends.
fn record(stream: &mut TcpStream) -> Reads {
    let mut reads = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let end = loop {
        match stream.read(&mut buf) {
            Ok(0) => break Ok(End::EndOfStream),
            Ok(n) => reads.push(buf[..n].to_vec()),
            Err(e) if matches!(e.kind(), ErrorKind::ConnectionReset) => break Ok(End::Reset),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => break Err(e.to_string()),
        }
    };
    Reads { reads, end }
}

/// chaos in front of `to`, with `--json` and the given arguments.
fn chaos(to: SocketAddr, args: &[&str]) -> (Tool, SocketAddr) {
    let to = to.to_string();
    let mut all = vec!["--listen", "127.0.0.1:0", "--to", &to, "--json"];
    all.extend_from_slice(args);
    Tool::listening(CHAOS, &all)
}

/// A client of chaos: Nagle off, so each of our writes leaves as one segment.
fn client(addr: SocketAddr) -> TcpStream {
    let stream = probe::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    stream
}

/// Stops chaos with Ctrl-C; it must exit 0 within PATIENCE. Returns its events.
fn stop(mut tool: Tool) -> Vec<Value> {
    tool.interrupt();
    let (status, stdout, stderr) = tool.finish();
    assert!(
        status.success(),
        "chaos exited with {status}; stderr:\n{stderr:?}"
    );
    events(&stdout)
}

/// The sizes of chaos's writes out in direction `dir`, from its events.
fn writes_out(events: &[Value], dir: &str) -> Vec<u64> {
    events
        .iter()
        .filter(|e| is(e, "out") && e["dir"] == dir)
        .map(|e| e["bytes"].as_u64().unwrap())
        .collect()
}

fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut random = SplitMix64::new(seed);
    (0..len).map(|_| random.next_u64() as u8).collect()
}

// ---- each SPEC, seen from the far side --------------------------------------------------------

#[test]
fn merge_makes_three_writes_one_read_at_the_server() {
    let (server, recorder) = recording_server(b"");
    let (tool, addr) = chaos(server, &["--up", "merge:200"]);
    let mut stream = client(addr);
    for command in [&b"dir\n"[..], b"ipconfig\n", b"whoami\n"] {
        stream.write_all(command).unwrap();
    }
    stream.shutdown(Shutdown::Write).unwrap();
    let reads = recorder.join_within(PATIENCE).unwrap();
    assert_eq!(
        reads.reads,
        [b"dir\nipconfig\nwhoami\n".to_vec()],
        "three writes within the window should reach the server as one read"
    );
    assert_eq!(
        reads.end,
        Ok(End::EndOfStream),
        "the client's close is passed on"
    );
    let events = stop(tool);
    assert_eq!(
        writes_out(&events, "up"),
        [20],
        "chaos wrote the window as one piece"
    );
}

#[test]
fn split_makes_every_read_at_the_client_at_most_n_bytes() {
    let reply = b"HELLO, THIS IS A REPLY OF FIFTY BYTES, MORE OR LE\n";
    let (server, recorder) = recording_server(reply);
    let (tool, addr) = chaos(server, &["--down", "split:7@100"]);
    let mut stream = client(addr);
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while got.len() < reply.len() {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "the stream ended after {} bytes", got.len());
        assert!(
            n <= 7,
            "a read of {n} bytes: split:7 should cut the reply into pieces of 7"
        );
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, reply);
    drop(stream);
    recorder.join_within(PATIENCE).unwrap();
    let events = stop(tool);
    assert_eq!(writes_out(&events, "down"), [7, 7, 7, 7, 7, 7, 7, 1]);
}

#[test]
fn delay_holds_each_write_and_rate_paces_the_stream() {
    let (server, recorder) = recording_server(b"");
    let (tool, addr) = chaos(server, &["--up", "delay:300,rate:16"]);
    let mut stream = client(addr);
    let payload = random_bytes(5, 8 * 1024);
    let sent = Instant::now();
    stream.write_all(&payload).unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let reads = recorder.join_within(PATIENCE).unwrap();
    let took = sent.elapsed();
    assert_eq!(reads.bytes(), payload);
    // 300 ms of delay, then 8 KiB at 16 KiB/s: about half a second more. Only the lower bound
    // is a promise (a slow machine makes it longer, never shorter).
    assert!(
        took >= Duration::from_millis(300 + 400),
        "took only {took:?}"
    );
    let events = stop(tool);
    let out = writes_out(&events, "up");
    assert!(
        out.iter().all(|&n| n <= 16 * 1024 / 50 + 1),
        "rate:16 writes slices of a fiftieth of a second's worth: {out:?}"
    );
}

#[test]
fn close_after_ends_both_sides_with_a_fin() {
    let (server, recorder) = recording_server(b"hello world");
    let (tool, addr) = chaos(server, &["--down", "close-after:5"]);
    let mut stream = client(addr);
    assert_eq!(probe::read_exactly(&mut stream, 5).unwrap(), b"hello");
    assert_eq!(probe::wait_for_end(&mut stream).unwrap(), End::EndOfStream);
    let reads = recorder.join_within(PATIENCE).unwrap();
    assert_eq!(reads.end, Ok(End::EndOfStream), "the server is closed too");
    stop(tool);
}

#[test]
fn reset_after_resets_both_sides() {
    let (server, recorder) = recording_server(b"");
    let (tool, addr) = chaos(server, &["--up", "reset-after:10"]);
    let mut stream = client(addr);
    stream.write_all(b"0123456789abcdefghij").unwrap();
    let reads = recorder.join_within(PATIENCE).unwrap();
    assert_eq!(reads.bytes(), b"0123456789", "exactly the budget passes");
    assert_eq!(
        reads.end,
        Ok(End::Reset),
        "the server sees a reset, not a close"
    );
    assert_eq!(probe::wait_for_end(&mut stream).unwrap(), End::Reset);
    let events = stop(tool);
    assert!(
        events
            .iter()
            .any(|e| is(e, "end") && e["dir"] == "up" && e["how"] == "reset-after"),
        "{events:?}"
    );
}

// ---- determinism and fidelity -----------------------------------------------------------------

/// The sizes chaos cut 300 bytes into, with `split:random:1-9` and this seed.
fn random_cut(seed: &str) -> Vec<u64> {
    let (server, recorder) = recording_server(b"");
    let (tool, addr) = chaos(server, &["--up", "split:random:1-9@0", "--seed", seed]);
    let mut stream = client(addr);
    let payload = random_bytes(1, 300);
    stream.write_all(&payload).unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let reads = recorder.join_within(PATIENCE).unwrap();
    assert_eq!(reads.bytes(), payload);
    let cut = writes_out(&stop(tool), "up");
    assert_eq!(cut.iter().sum::<u64>(), 300);
    assert!(cut.iter().all(|n| (1..=9).contains(n)), "{cut:?}");
    cut
}

#[test]
fn the_same_seed_gives_the_same_cuts() {
    let first = random_cut("7");
    assert_eq!(random_cut("7"), first, "--seed 7 twice");
    assert_ne!(random_cut("8"), first, "another seed, another cut");
}

/// Random bytes both ways at once through chaos with `args`: each side must get exactly what
/// the other sent.
fn round_trip_is_byte_exact(args: &[&str]) {
    const SIZE: usize = 1 << 20;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server_addr = listener.local_addr().unwrap();
    let down = random_bytes(2, SIZE);
    let server = {
        let down = down.clone();
        BoundedThread::spawn("server", move || {
            let (mut stream, _) = listener.accept().unwrap();
            stream.set_read_timeout(Some(PATIENCE)).unwrap();
            let mut writer = stream.try_clone().unwrap();
            let writing = BoundedThread::spawn("server writer", move || {
                writer.write_all(&down).unwrap();
                writer.shutdown(Shutdown::Write).unwrap();
            })
            .unwrap();
            let got = record(&mut stream).bytes();
            writing.join_within(PATIENCE).unwrap();
            got
        })
        .unwrap()
    };
    let mut all = vec!["--quiet"];
    all.extend_from_slice(args);
    let (tool, addr) = chaos(server_addr, &all);
    let mut stream = client(addr);
    let up = random_bytes(3, SIZE);
    let mut writer = stream.try_clone().unwrap();
    let writing = {
        let up = up.clone();
        BoundedThread::spawn("client writer", move || {
            writer.write_all(&up).unwrap();
            writer.shutdown(Shutdown::Write).unwrap();
        })
        .unwrap()
    };
    let got_down = record(&mut stream);
    writing.join_within(PATIENCE).unwrap();
    let got_up = server.join_within(PATIENCE).unwrap();
    assert!(
        got_up == up,
        "client -> server changed ({} bytes came)",
        got_up.len()
    );
    assert!(
        got_down.bytes() == down,
        "server -> client changed ({} bytes came)",
        got_down.bytes().len()
    );
    let events = stop(tool);
    for dir in ["up", "down"] {
        let end = events
            .iter()
            .find(|e| is(e, "end") && e["dir"] == dir)
            .unwrap_or_else(|| panic!("no end event for {dir}: {events:?}"));
        assert_eq!(end["bytes_in"], SIZE as u64);
        assert_eq!(end["bytes_out"], SIZE as u64);
        assert_eq!(end["how"], "closed");
    }
}

#[test]
fn bytes_pass_unchanged_both_ways() {
    round_trip_is_byte_exact(&[]);
}

#[test]
fn bytes_pass_unchanged_both_ways_however_they_are_cut() {
    round_trip_is_byte_exact(&[
        "--up",
        "split:random:1-3000@0",
        "--down",
        "merge:2",
        "--seed",
        "11",
    ]);
}

// ---- the end of pairs and of the run ----------------------------------------------------------

#[test]
fn ctrl_c_closes_every_open_pair_and_exits_0() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server_addr = listener.local_addr().unwrap();
    // The server keeps both connections open and records how each ended.
    let server = BoundedThread::spawn("server", move || {
        let mut ends = Vec::new();
        let mut streams: Vec<TcpStream> = (0..2).map(|_| listener.accept().unwrap().0).collect();
        for stream in &mut streams {
            stream.set_read_timeout(Some(PATIENCE)).unwrap();
            ends.push(record(stream).end);
        }
        ends
    })
    .unwrap();
    let (mut tool, addr) = chaos(server_addr, &[]);
    let mut clients = vec![client(addr), client(addr)];
    // The pairs run on threads of their own, so their "open" lines may come in either order.
    let opened = std::cell::Cell::new(0);
    tool.event("both pairs open", |e| {
        opened.set(opened.get() + usize::from(is(e, "open")));
        opened.get() == 2
    });
    tool.interrupt();
    for stream in &mut clients {
        assert_eq!(probe::wait_for_end(stream).unwrap(), End::EndOfStream);
    }
    assert_eq!(
        server.join_within(PATIENCE).unwrap(),
        [Ok(End::EndOfStream), Ok(End::EndOfStream)]
    );
    let (status, stdout, stderr) = tool.finish();
    assert!(status.success(), "{status}: {stderr:?}");
    assert!(
        stderr
            .iter()
            .any(|l| l == "chaos stopped: 2 connection(s) proxied"),
        "{stderr:?}"
    );
    let closed = events(&stdout).iter().filter(|e| is(e, "closed")).count();
    assert_eq!(closed, 2, "both pairs reported closed");
}

#[test]
fn a_client_that_resets_ends_only_its_own_pair() {
    // An echo server for any number of connections.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server_addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            std::thread::spawn(move || {
                let mut buf = [0u8; 1024];
                while let Ok(n @ 1..) = stream.read(&mut buf) {
                    if stream.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    let (mut tool, addr) = chaos(server_addr, &[]);
    let mut calm = client(addr);
    calm.write_all(b"before").unwrap();
    assert_eq!(probe::read_exactly(&mut calm, 6).unwrap(), b"before");

    let rude = client(addr);
    tool.event("the second pair open", |e| is(e, "open") && e["conn"] == 2);
    // Lingering 0 seconds turns the close into a reset.
    socket2::SockRef::from(&rude)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(rude);
    tool.event("the reset pair closed", |e| {
        is(e, "closed") && e["conn"] == 2
    });

    calm.write_all(b"after").unwrap();
    assert_eq!(probe::read_exactly(&mut calm, 5).unwrap(), b"after");
    let mut third = client(addr);
    third.write_all(b"new").unwrap();
    assert_eq!(probe::read_exactly(&mut third, 3).unwrap(), b"new");
    stop(tool);
}

#[test]
fn a_server_that_refuses_ends_only_that_client() {
    // A port nobody listens on: bound, then closed.
    let gone = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (mut tool, addr) = chaos(gone, &[]);
    let mut stream = client(addr);
    tool.event("refused", |e| is(e, "refused"));
    assert!(probe::wait_for_end(&mut stream).is_ok());
    stop(tool);
}

#[test]
fn a_bad_spec_is_a_sentence_and_exit_status_2() {
    let finished = probe::run(
        std::process::Command::new(CHAOS).args(["--to", "127.0.0.1:9", "--up", "split:0"]),
        b"",
        PATIENCE,
    )
    .unwrap();
    assert_eq!(finished.status.code(), Some(2));
    // The sentence is folded to 80 columns, its rest under its start: put it back on one line.
    let stderr = String::from_utf8_lossy(&finished.stderr).replace("\n       ", " ");
    assert!(
        stderr
            .contains("split:N cuts every write into pieces of N bytes, and N must be at least 1"),
        "{stderr}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_ends_chaos_at_once_while_it_waits_for_a_server_that_never_accepts() {
    const CLIENTS: usize = 20;
    let (_listener, _filler, upstream) = common::tools::server_that_never_accepts();
    let (mut tool, addr) = chaos(upstream, &[]);
    let mut clients: Vec<TcpStream> = (0..CLIENTS).map(|_| client(addr)).collect();
    // Every client has its pair thread, waiting to connect to the server.
    tool.wait_for_threads("pair #", CLIENTS);
    let interrupted = Instant::now();
    tool.interrupt();
    let (status, stdout, stderr) = tool.finish_within(Duration::from_secs(3));
    let took = interrupted.elapsed();
    println!("chaos exited {took:?} after Ctrl-C, with {CLIENTS} pairs connecting");
    assert!(status.success(), "{status}: {stderr:?}");
    assert!(
        stderr
            .iter()
            .any(|l| l == &format!("chaos stopped: {CLIENTS} connection(s) proxied")),
        "{stderr:?}"
    );
    // Nothing was opened or refused: Ctrl-C came first.
    assert!(events(&stdout).is_empty(), "{stdout:?}");
    for stream in &mut clients {
        assert!(probe::wait_for_end(stream).is_ok());
    }
}

#[test]
fn the_end_line_counts_reads_in_and_writes_out_and_says_so() {
    let (server, recorder) = recording_server(b"");
    let to = server.to_string();
    // Text, as an instructor reads it; then the same counts must be in the JSON's names.
    let (mut tool, addr) = Tool::listening(CHAOS, &["--listen", "127.0.0.1:0", "--to", &to]);
    let mut stream = client(addr);
    for piece in [&b"one "[..], b"two ", b"three ", b"four"] {
        stream.write_all(piece).unwrap();
    }
    stream.shutdown(Shutdown::Write).unwrap();
    assert_eq!(
        recorder.join_within(PATIENCE).unwrap().bytes(),
        b"one two three four"
    );
    probe::wait_for_end(&mut stream).unwrap();
    tool.interrupt();
    let (status, stdout, _) = tool.finish();
    assert!(status.success());
    let reads = stdout.iter().filter(|l| l.contains("#1 up   in ")).count();
    let writes = stdout.iter().filter(|l| l.contains("#1 up   out ")).count();
    let end = stdout
        .iter()
        .find(|l| l.contains("#1 up   end"))
        .expect("an end line");
    // Four writes went on the wire; chaos saw as many reads as the kernel made of them (often
    // fewer), and says "reads", which is what it counted.
    assert!(
        end.ends_with(&format!(
            "end (closed): {reads} read(s) in, 18 bytes; {writes} write(s) out, 18 bytes"
        )),
        "{end}"
    );
    println!("four writes on the wire were {reads} read(s) in: {end}");
}

/// 中文 (issue 20): under `--lang zh` chaos says its status, the end of a direction and its
/// last line in Chinese (keeping `listening on ADDR`, which scripts read), and draws its page in
/// Chinese; the event lines stay a trace for grep, and `--lang en` says what it always said.
#[test]
fn chaos_speaks_chinese_under_lang_zh_and_english_under_lang_en() {
    use socket_lessons_tools::demo::display_width;
    let page = std::env::temp_dir().join(format!("chaos-zh-{}.html", std::process::id()));
    let run = |lang: &str| {
        let (server, recorder) = recording_server(b"");
        let to = server.to_string();
        let page = page.to_str().unwrap();
        let args = [
            "--lang",
            lang,
            "--listen",
            "127.0.0.1:0",
            "--to",
            &to,
            "--html",
            page,
        ];
        let (mut tool, addr) = Tool::listening(CHAOS, &args);
        let mut stream = client(addr);
        stream.write_all(b"hello").unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        assert_eq!(recorder.join_within(PATIENCE).unwrap().bytes(), b"hello");
        probe::wait_for_end(&mut stream).unwrap();
        tool.interrupt();
        let (status, stdout, stderr) = tool.finish();
        assert!(status.success(), "{stderr:?}");
        let html = std::fs::read_to_string(page).unwrap();
        (stdout, stderr, html)
    };
    let (stdout, stderr, html) = run("zh");
    let _ = std::fs::remove_file(&page);
    // The status, and `listening on ADDR` on a line of its own under it (both within 80 columns).
    let at = stderr
        .iter()
        .position(|l| l.starts_with("chaos（Ctrl-C 停止）"));
    let at = at.unwrap_or_else(|| panic!("{stderr:?}"));
    assert!(
        stderr[at].starts_with("chaos（Ctrl-C 停止）上行：pass，下行：pass，转发到 127.0.0.1:"),
        "{stderr:?}"
    );
    assert!(
        stderr[at + 1].starts_with("listening on 127.0.0.1:"),
        "{stderr:?}"
    );
    assert_eq!(stderr.last().unwrap(), "chaos 已停止：代理了 1 个连接");
    let end = stdout
        .iter()
        .find(|l| l.contains("#1 up   结束"))
        .expect("an end line");
    assert!(
        end.ends_with("结束（关闭）：读进 1 次，5 字节；写出 1 次，5 字节"),
        "{end}"
    );
    // The trace keeps its words: a reader greps `#1 up   in` in either language.
    assert!(
        stdout.iter().any(|l| l.contains("#1 up   in ")),
        "{stdout:?}"
    );
    for line in stdout.iter().chain(&stderr) {
        assert!(display_width(line) <= 80, "{line}");
    }
    assert!(html.contains("<html lang=\"zh-CN\""));
    assert!(html.contains("上行：客户端 → 服务端"), "{html}");
    assert!(html.contains("按需制造的粘包"));

    let (stdout, stderr, html) = run("en");
    let _ = std::fs::remove_file(&page);
    assert_eq!(
        stderr.last().unwrap(),
        "chaos stopped: 1 connection(s) proxied"
    );
    let end = stdout
        .iter()
        .find(|l| l.contains("#1 up   end"))
        .expect("an end line");
    assert!(
        end.ends_with("end (closed): 1 read(s) in, 5 bytes; 1 write(s) out, 5 bytes"),
        "{end}"
    );
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("up: client → server"));
}
