//! Lesson 7, UDP (docs/contracts.md, "UDP (lesson 7)"): real UDP sockets on `127.0.0.1:0`, the
//! stage's real serve function (taken from the course table), and the real `lesson7` binary.
//!
//! Nothing here sleeps to synchronise. "It happened" is a reply, a line on stderr or an exit;
//! "it did not happen" is a read timeout of [`A_MOMENT`]. Every other wait is bounded by
//! [`PATIENCE`].

mod common;

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};
use std::process::Command;
use std::time::Instant;

use socket_lessons::course;
use socket_lessons::datagram::UdpServer;
use socket_lessons::lessons::udp;
use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons::stage::{Lines, ServerKind};
use socket_lessons::timeout::is_timeout;
use socket_lessons_tools::probe::{self, A_MOMENT, BoundedThread, PATIENCE, ServerProcess};

use common::{bytes_upper, normalise_ports};

const LESSON7: &str = env!("CARGO_BIN_EXE_lesson7");

// ---- helpers ----------------------------------------------------------------------------------

/// Lesson 7's server, bound to `127.0.0.1:0`, served on a thread once [`Served::start`] is
/// called. Dropping it triggers shutdown, so a failing test leaves nothing behind.
struct Served {
    addr: SocketAddr,
    shutdown: ShutdownSignal,
    bound: Option<UdpServer>,
    thread: Option<BoundedThread<io::Result<()>>>,
}

impl Served {
    /// Bound, not yet serving: datagrams sent now wait in the socket's receive queue.
    fn bind() -> Served {
        let shutdown = ShutdownSignal::new();
        let server = UdpServer::bind("127.0.0.1:0".parse().unwrap(), shutdown.clone())
            .expect("bind 127.0.0.1:0");
        Served {
            addr: server.local_addr().unwrap(),
            shutdown,
            bound: Some(server),
            thread: None,
        }
    }

    /// Runs the stage's server, the one `lesson7 server` runs, from the course table.
    fn start(mut self) -> Served {
        let ServerKind::Udp(part) = course::lesson(7).server else {
            panic!("lesson7 should have a UDP server")
        };
        let server = self.bound.take().expect("started once");
        let ready = part.with_defaults().expect("the defaults are good flags");
        let thread = BoundedThread::spawn("lesson7 server", move || ready.serve(server));
        self.thread = Some(thread.expect("spawn the server thread"));
        self
    }

    fn running() -> Served {
        Served::bind().start()
    }

    /// Triggers shutdown (what Ctrl-C does) and waits, bounded, for the server to return.
    fn stop(mut self) {
        self.shutdown.trigger();
        let thread = self.thread.take().expect("a started server");
        thread
            .join_within(PATIENCE)
            .expect("the server returns after shutdown")
            .expect("the server returns Ok");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// A client socket of the test's own, connected to `to`, every wait bounded.
fn socket_to(to: SocketAddr) -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.connect(to).unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket
}

/// One datagram from `socket`'s peer, whole (up to the largest UDP payload).
fn datagram(socket: &UdpSocket) -> Vec<u8> {
    let mut buf = vec![0u8; 65536];
    match socket.recv(&mut buf) {
        Ok(n) => {
            buf.truncate(n);
            buf
        }
        Err(e) if is_timeout(&e) => panic!("no datagram within {PATIENCE:?}"),
        Err(e) => panic!("recv failed: {e}"),
    }
}

/// Listens for [`A_MOMENT`] and checks that nothing arrives.
fn expect_nothing(socket: &UdpSocket) {
    socket.set_read_timeout(Some(A_MOMENT)).unwrap();
    let mut buf = [0u8; 1024];
    match socket.recv_from(&mut buf) {
        Err(e) if is_timeout(&e) => {}
        Ok((n, from)) => panic!(
            "expected nothing, but {from} sent {:?}",
            String::from_utf8_lossy(&buf[..n])
        ),
        Err(e) => panic!("expected nothing, but recv failed: {e}"),
    }
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
}

/// `lesson7 ARGS...` with the documented defaults (no RUST_LOG, no colours in logs).
fn lesson7(args: &[&str]) -> Command {
    let mut command = Command::new(LESSON7);
    command
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .env("RUST_LOG_STYLE", "never");
    command
}

/// Runs `lesson7 client --addr ADDR EXTRA...` to the end with `stdin`.
fn client(addr: SocketAddr, extra: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let addr = addr.to_string();
    let mut args = vec!["client", "--addr", &addr];
    args.extend_from_slice(extra);
    let finished = probe::run(&mut lesson7(&args), stdin, 2 * PATIENCE).expect("run the client");
    let stderr = String::from_utf8(finished.stderr).unwrap();
    assert!(
        !stderr.contains("panicked"),
        "the client panicked:\n{stderr}"
    );
    (
        finished
            .status
            .code()
            .expect("the client exited, not killed"),
        String::from_utf8(finished.stdout).unwrap(),
        stderr,
    )
}

/// `lesson7 server --addr 127.0.0.1:0`, ready: its address read from its `listening on` line.
fn server_process() -> ServerProcess {
    ServerProcess::spawn(&mut lesson7(&["server", "--addr", "127.0.0.1:0"]))
        .expect("start lesson7 server")
}

/// The recording server's socket, and every datagram it answered.
type Recorded = (UdpSocket, Vec<Vec<u8>>);

/// A UDP socket that plays the server for the client binary: it answers the first `answers`
/// datagrams with their `bytes.upper()` and records them. After them it answers nothing.
fn recording_server(answers: usize) -> (SocketAddr, BoundedThread<Recorded>) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    let addr = socket.local_addr().unwrap();
    let thread = BoundedThread::spawn("recording server", move || {
        let mut recorded = Vec::new();
        let mut buf = [0u8; 2048];
        while recorded.len() < answers {
            let Ok((n, from)) = socket.recv_from(&mut buf) else {
                break; // the test fails on what was recorded
            };
            recorded.push(buf[..n].to_vec());
            let _ = socket.send_to(&bytes_upper(&buf[..n]), from);
        }
        (socket, recorded)
    })
    .unwrap();
    (addr, thread)
}

// ---- the server: what a datagram keeps --------------------------------------------------------

#[test]
fn three_datagrams_back_to_back_get_three_replies_in_order() {
    // Sent before the server reads anything, so all three wait in its receive queue together:
    // the set-up that glued lesson 5's commands into one read.
    let server = Served::bind();
    let client = socket_to(server.addr);
    for message in ["hello", "world", "sudada"] {
        client.send(message.as_bytes()).unwrap();
    }
    let server = server.start();
    for reply in ["HELLO", "WORLD", "SUDADA"] {
        assert_eq!(String::from_utf8(datagram(&client)).unwrap(), reply);
    }
    expect_nothing(&client);
    server.stop();
}

#[test]
fn an_empty_datagram_gets_an_empty_reply_and_the_server_serves_on() {
    let server = Served::running();
    let client = socket_to(server.addr);
    client.send(b"").unwrap();
    assert_eq!(datagram(&client), b"", "an empty datagram is a message");
    client.send(b"still here").unwrap();
    assert_eq!(datagram(&client), b"STILL HERE");
    server.stop();
}

#[test]
fn any_bytes_are_echoed_by_the_echo_rule() {
    let server = Served::running();
    let client = socket_to(server.addr);
    let all_bytes: Vec<u8> = (0..=255).collect();
    for message in [
        "hello, 你好".as_bytes(),
        "ünïcödé ß".as_bytes(),
        &[0xff, 0xfe, 0x00, b'a', 0x80],
        &all_bytes,
        &[b'z'; 1024],
    ] {
        client.send(message).unwrap();
        assert_eq!(datagram(&client), bytes_upper(message));
    }
    server.stop();
}

#[test]
fn a_datagram_longer_than_the_buffer_is_cut_to_1024_bytes_and_logged() {
    let mut server = server_process();
    let client = socket_to(server.addr);
    let long: Vec<u8> = (0..2000).map(|i| b"abcdefghij"[i % 10]).collect();
    client.send(&long).unwrap();
    let reply = datagram(&client);
    assert_eq!(
        reply.len(),
        1024,
        "the reply is what the 1024-byte buffer kept"
    );
    assert_eq!(reply, bytes_upper(&long[..1024]));
    let line = server.wait_for_stderr_line("2000-byte").unwrap();
    assert!(line.starts_with(" WARN [server]"), "{line}");
    assert!(line.contains("cut to the 1024 bytes"), "{line}");
    // The rest is gone: nothing more comes back, and the next datagram is served as usual.
    expect_nothing(&client);
    client.send(b"next").unwrap();
    assert_eq!(datagram(&client), b"NEXT");
    server.interrupt().unwrap();
    let (status, _) = server.wait_within(PATIENCE).unwrap();
    assert!(status.success());
}

#[test]
fn hostile_datagrams_are_served_and_logged_escaped() {
    let mut server = server_process();
    let client = socket_to(server.addr);
    let forged = b"x\nERROR [server] FORGED LOG LINE \x1b]0;pwned\x07";
    let biggest = vec![b'q'; 65507]; // the largest UDP payload over IPv4
    for message in [&forged[..], &[0xff, 0xc3, 0x28], &biggest] {
        client.send(message).unwrap();
        let reply = datagram(&client);
        let kept = message.len().min(1024);
        assert_eq!(reply, bytes_upper(&message[..kept]));
    }
    let line = server.wait_for_stderr_line("FORGED").unwrap();
    assert!(
        line.contains(r#""x\nERROR [server] FORGED LOG LINE \x1b]0;pwned\x07""#),
        "{line}"
    );
    server.wait_for_stderr_line("65507-byte").unwrap();
    server.interrupt().unwrap();
    let (status, stderr) = server.wait_within(PATIENCE).unwrap();
    assert!(status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !stderr
            .lines()
            .any(|l| l.starts_with("ERROR [server] FORGED")),
        "a forged line reached the log:\n{stderr}"
    );
    assert!(!stderr.contains('\x1b'), "an ESC reached the log");
}

#[test]
fn a_hundred_clients_are_served_by_one_loop() {
    const CLIENTS: usize = 100;
    const EXCHANGES: usize = 100;
    let server = Served::running();
    let addr = server.addr;
    let deadline = Instant::now() + 3 * PATIENCE;
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            BoundedThread::spawn(format!("client {i}"), move || {
                let socket = socket_to(addr);
                for j in 0..EXCHANGES {
                    // Every client and exchange its own bytes, some of them not UTF-8.
                    let mut message = format!("client {i} message {j}: hé").into_bytes();
                    message.extend_from_slice(&[0xff, i as u8, j as u8]);
                    socket.send(&message).unwrap();
                    let reply = datagram(&socket);
                    assert_eq!(reply, bytes_upper(&message), "client {i}, exchange {j}");
                }
            })
            .unwrap()
        })
        .collect();
    for client in clients {
        let left = deadline.saturating_duration_since(Instant::now());
        client.join_within(left).expect("every client finishes");
    }
    server.stop();
}

#[test]
fn shutdown_wakes_a_server_blocked_in_recv_from() {
    let server = Served::running();
    let client = socket_to(server.addr);
    client.send(b"are you there").unwrap();
    assert_eq!(datagram(&client), b"ARE YOU THERE");
    // The server is back in recv_from, waiting for a datagram that will not come.
    let started = Instant::now();
    server.stop();
    assert!(started.elapsed() < PATIENCE);
}

#[test]
fn ctrl_c_stops_the_real_server_blocked_in_recv_from() {
    let mut server = server_process();
    let client = socket_to(server.addr);
    client.send(b"hello").unwrap();
    assert_eq!(datagram(&client), b"HELLO");
    server.wait_for_stderr_line("5 bytes").unwrap();
    server.interrupt().unwrap();
    let (status, stderr) = server.wait_within(PATIENCE).unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(
        stderr.trim_end().ends_with("lesson7 server stopped"),
        "{stderr}"
    );
    // Nobody is there any more: the kernel says so to a connected socket.
    client.send(b"anyone?").unwrap();
    let mut buf = [0u8; 16];
    let error = client
        .recv(&mut buf)
        .expect_err("no reply from a stopped server");
    assert_eq!(error.kind(), ErrorKind::ConnectionRefused);
}

// ---- the client ------------------------------------------------------------------------------

#[test]
fn the_client_sends_every_line_even_an_empty_one_and_stops_at_q() {
    let (addr, recorder) = recording_server(3);
    let (status, stdout, stderr) = client(
        addr,
        &[],
        b"hello\n\nhello, \xe4\xbd\xa0\xe5\xa5\xbd\nq\nnot sent\n",
    );
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "HELLO\n\nHELLO, 你好\n");
    let (socket, recorded) = recorder.join_within(PATIENCE).unwrap();
    assert_eq!(
        recorded,
        [&b"hello"[..], b"", "hello, 你好".as_bytes()],
        "one datagram per line, the empty line too"
    );
    expect_nothing(&socket); // nothing after `q`
}

#[test]
fn the_client_ends_at_the_end_of_its_input() {
    let (addr, recorder) = recording_server(2);
    let (status, stdout, stderr) = client(addr, &[], b"one\r\ntwo");
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "ONE\nTWO\n");
    let (_, recorded) = recorder.join_within(PATIENCE).unwrap();
    assert_eq!(recorded, [b"one", b"two"], "no line ending is sent");
}

#[test]
fn a_reply_that_never_comes_is_given_up_after_the_timeout() {
    // A UDP socket that receives and never answers: to the client, every datagram or its reply
    // is lost.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    silent.set_read_timeout(Some(PATIENCE)).unwrap();
    let addr = silent.local_addr().unwrap();
    let started = Instant::now();
    let (status, stdout, stderr) = client(addr, &["--timeout", "0.2"], b"one\ntwo\n");
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        stdout, "",
        "nothing is printed for a reply that did not come"
    );
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("no reply")).collect();
    assert_eq!(warnings.len(), 2, "{stderr}");
    for warning in warnings {
        assert!(warning.starts_with(" WARN [client]"), "{warning}");
        assert!(warning.contains("may be lost") && warning.contains("does not retry"));
    }
    assert!(started.elapsed() >= std::time::Duration::from_millis(400));
    // It went on with the next line after giving up on the first.
    let mut buf = [0u8; 16];
    for line in [&b"one"[..], b"two"] {
        let (n, _) = silent.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], line);
    }
}

#[test]
fn a_client_with_nothing_listening_says_so_in_one_line() {
    // A port that was free a moment ago: on loopback the kernel answers a datagram to it with
    // "port unreachable", which a connected socket reports as "connection refused".
    let addr = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (status, stdout, stderr) = client(addr, &[], b"hello\n");
    assert_ne!(status, 0);
    assert_eq!(stdout, "");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("nothing is listening"), "{}", errors[0]);
    assert!(errors[0].contains("lesson7 -- server"), "{}", errors[0]);
}

#[test]
fn a_bad_timeout_is_one_error_line() {
    let addr = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    for bad in ["0", "-1", "abc", "inf", "NaN", "1e-12"] {
        let flag = format!("--timeout={bad}");
        let (status, stdout, stderr) = client(addr, &[&flag], b"hello\n");
        assert_ne!(status, 0, "--timeout {bad} was accepted");
        assert_eq!(stdout, "");
        let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "--timeout {bad}: {stderr}");
        assert!(errors[0].contains("--timeout"), "{}", errors[0]);
    }
}

#[test]
fn the_client_talks_to_the_real_server() {
    let server = Served::running();
    let (status, stdout, stderr) = client(server.addr, &[], b"hello\n\nbye\n");
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout, "HELLO\n\nBYE\n");
    server.stop();
}

#[test]
fn the_client_speaks_ipv6_too() {
    let shutdown = ShutdownSignal::new();
    let server = match UdpServer::bind("[::1]:0".parse().unwrap(), shutdown.clone()) {
        Ok(server) => server,
        Err(e) => {
            println!("skipped: this machine has no IPv6 loopback ({e})");
            return;
        }
    };
    let addr = server.local_addr().unwrap();
    let serving = BoundedThread::spawn("lesson7 over ipv6", move || udp::serve(server)).unwrap();
    let mut output = Vec::new();
    let phone = udp::dial(addr, PATIENCE).unwrap();
    udp::client(phone, Lines::new(&mut &b"over ipv6\n"[..]), &mut output).unwrap();
    assert_eq!(output, b"OVER IPV6\n");
    shutdown.trigger();
    serving.join_within(PATIENCE).unwrap();
}

// ---- the demo --------------------------------------------------------------------------------

#[test]
fn the_demo_is_the_same_on_every_run_and_fits_80_columns() {
    let run = || {
        let finished = probe::run(&mut lesson7(&[]), b"", 2 * PATIENCE).expect("run the demo");
        let stderr = String::from_utf8(finished.stderr).unwrap();
        assert!(finished.status.success(), "the demo failed:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        String::from_utf8(finished.stdout).unwrap()
    };
    let (first, ports) = normalise_ports(&run());
    assert!(ports > 0, "the demo names the server's address:\n{first}");
    let (second, _) = normalise_ports(&run());
    assert_eq!(first, second, "the transcript changed between two runs");

    for shown in [
        "  client A receives   \"SUDADA\"",
        "three recvfroms: no 粘包",
        "  receiver keeps      \"h\" of \"hello\": the other 4 bytes are gone",
        "  receiver keeps      \"s\" of \"sudada\": the other 5 bytes are gone",
        "  client A receives   \"\" (an empty datagram",
        "  client B receives   \"HI FROM B\"",
        "  relay    drops      \"two\" (on purpose)",
        "  client A receives   \"THREE\"",
    ] {
        assert!(
            first.contains(shown),
            "the demo should show {shown:?}:\n{first}"
        );
    }
    // (That every line fits 80 columns is tests/demo_pacing.rs's to check, for every lesson.)
}
