//! Lesson 11: every experiment of the lesson (`src/lessons/socket_options/`) asserted on real
//! sockets (the demo narrates the same functions' results, so it cannot claim what did not
//! happen), every flag of the server and the client through the real binary, and the guard: the
//! cap, the idle and the write timeout.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{ServerProcess, lesson_command};
use socket_lessons::endpoint::Endpoint;
use socket_lessons::guard::BUSY;
use socket_lessons::lessons::socket_options::{
    backlog, families, nagle, names, refused, short_write, time_wait, timeouts,
};
use socket_lessons_tools::demo::socket_options::errno;
use socket_lessons_tools::probe::{self, End, PATIENCE};

// ---------------------------------------------------------------------------------------------
// The eight experiments
// ---------------------------------------------------------------------------------------------

#[test]
fn part1_a_port_in_time_wait_needs_so_reuseaddr() {
    let t = time_wait::time_wait_rebind().unwrap();
    let without = t.without.as_ref().expect_err("bind without SO_REUSEADDR");
    assert_eq!(without.kind(), ErrorKind::AddrInUse, "{without}");
    #[cfg(unix)]
    assert_eq!(without.raw_os_error(), Some(libc::EADDRINUSE));
    assert!(t.with.is_ok(), "with SO_REUSEADDR: {:?}", t.with);
    #[cfg(unix)]
    assert!(
        t.std_bind.is_ok(),
        "std sets SO_REUSEADDR on Unix: {:?}",
        t.std_bind
    );
    #[cfg(target_os = "linux")]
    assert_eq!(
        t.in_time_wait,
        Some(true),
        "the server's side should be in TIME_WAIT"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn part2_the_kernel_queues_backlog_plus_one_finished_handshakes() {
    let b = backlog::backlog(2, 6).unwrap();
    assert_eq!(b.accept_queue, Some((3, 2)), "accept queue (length, limit)");
    assert_eq!(b.established, Some(3));
    assert_eq!(
        b.syn_sent,
        Some(3),
        "the others' SYNs are dropped and they wait"
    );
    let b = backlog::backlog(0, 3).unwrap();
    assert_eq!(b.accept_queue, Some((1, 0)), "listen(0) still lets one in");
}

#[test]
fn part3_a_read_timeout_waits_a_nonblocking_read_does_not() {
    let timed = timeouts::read_with_timeout(Duration::from_millis(200)).unwrap();
    assert!(
        socket_lessons::timeout::is_timeout(&timed.error),
        "{:?}",
        timed.error
    );
    assert!(
        timed.after >= Duration::from_millis(190),
        "{:?}",
        timed.after
    );
    let nonblocking = timeouts::read_nonblocking().unwrap();
    assert_eq!(nonblocking.error.kind(), ErrorKind::WouldBlock);
    assert!(
        nonblocking.after < Duration::from_millis(190),
        "a nonblocking read must not wait: {:?}",
        nonblocking.after
    );
}

#[test]
fn part4_a_closed_port_refuses_with_econnrefused() {
    let (_, e) = refused::connect_to_closed_port().unwrap();
    assert_eq!(e.kind(), ErrorKind::ConnectionRefused);
    #[cfg(unix)]
    assert_eq!(e.raw_os_error(), Some(libc::ECONNREFUSED));
    #[cfg(target_os = "linux")]
    assert_eq!(errno(&e), "111 (ECONNREFUSED)");
}

#[test]
fn part5_each_ends_sockname_is_the_others_peername() {
    let n = names::names().unwrap();
    assert_ne!(n.listener.port(), 0, "port 0 is replaced by a real port");
    assert_eq!(n.client_peer, n.listener);
    assert_eq!(
        n.server_local, n.listener,
        "the accepted socket has the listener's port"
    );
    assert_eq!(n.server_peer, n.client_local);
    assert_ne!(n.client_local.port(), 0);
    assert_ne!(n.client_local.port(), n.listener.port());
}

#[test]
fn part6_send_is_short_and_then_would_block_sendall_delivers_everything() {
    let asked = 8 << 20;
    let w = short_write::short_write(asked).unwrap();
    let taken: usize = w.writes.iter().sum();
    assert!(w.writes[0] > 0 && w.writes[0] < asked, "{:?}", w.writes);
    assert!(taken < asked, "{taken}");
    assert_eq!(w.then.kind(), ErrorKind::WouldBlock, "{:?}", w.then);
    assert_eq!(w.delivered, asked, "write_all must deliver every byte");
}

#[cfg(target_os = "linux")]
#[test]
fn part7_nagle_stalls_write_write_read_and_nodelay_does_not() {
    // The stall is the peer's delayed ACK (Linux: at least 40 ms, minus quick ACKs at the start
    // of a connection); this is the kernel's rule, so a lower bound cannot fail on a slow machine.
    let with_nagle = nagle::write_write_read(false, 10).unwrap();
    assert!(with_nagle >= Duration::from_millis(20), "{with_nagle:?}");
    let nodelay = nagle::write_write_read(true, 10).unwrap();
    assert!(nodelay < with_nagle, "{nodelay:?} vs {with_nagle:?}");
}

#[test]
fn part7_so_linger_zero_turns_close_into_a_reset() {
    let read = nagle::linger_zero_close().unwrap();
    let e = read.expect_err("the peer should see a reset, not an end of stream");
    assert_eq!(e.kind(), ErrorKind::ConnectionReset);
    #[cfg(unix)]
    assert_eq!(e.raw_os_error(), Some(libc::ECONNRESET));
}

#[test]
fn part8_lesson11_echoes_over_ipv6() {
    match families::echo_over(&families::ipv6_loopback(), "hello v6") {
        Ok((Endpoint::Ip(addr), reply)) => {
            assert!(addr.is_ipv6());
            assert_eq!(reply, b"HELLO V6\n");
        }
        Ok((other, _)) => panic!("listened on {other}"),
        Err(e) => println!("skipped: this machine has no IPv6 loopback ({e})"),
    }
}

#[cfg(unix)]
#[test]
fn part8_lesson11_echoes_over_a_unix_socket() {
    let folder = families::SocketFolder::new("test").unwrap();
    let path = folder.0.join("echo.sock");
    let (local, reply) = families::echo_over(&Endpoint::Unix(path.clone()), "hello path").unwrap();
    assert_eq!(local, Endpoint::Unix(path.clone()));
    assert_eq!(reply, b"HELLO PATH\n");
    assert!(!path.exists(), "the server removes its socket file");
}

// ---------------------------------------------------------------------------------------------
// The server's and the client's flags, through the binary
// ---------------------------------------------------------------------------------------------

fn server(args: &[&str]) -> ServerProcess {
    ServerProcess::start_with(11, args)
}

fn echo(stream: &mut TcpStream, message: &[u8]) {
    common::assert_echo(stream, message);
}

/// Reads what a refused client gets: the busy line, then the end.
fn expect_refusal(stream: &mut TcpStream) {
    let line = probe::read_exactly(stream, BUSY.len() + 1).unwrap();
    assert_eq!(line, format!("{BUSY}\n").as_bytes());
    assert_eq!(probe::wait_for_end(stream).unwrap(), End::EndOfStream);
}

#[test]
fn the_cap_refuses_the_next_client_serves_the_first_and_a_new_one_after_one_leaves() {
    let mut server = server(&["--max-clients", "2"]);
    let mut a = probe::connect(server.addr).unwrap();
    let mut b = probe::connect(server.addr).unwrap();
    echo(&mut a, b"first");
    echo(&mut b, b"second");
    let mut c = probe::connect(server.addr).unwrap();
    expect_refusal(&mut c);
    server.wait_for_stderr_line("refused 1 client(s)");
    // The first two are still served.
    echo(&mut a, b"still here");
    echo(&mut b, b"me too");
    // A leaves; once its thread has given the seat back, a new client is served. The seat is
    // freed just after the log line, so a client that still meets the busy line tries again.
    drop(a);
    server.wait_for_stderr_line("recv returned 0 bytes");
    let deadline = Instant::now() + PATIENCE;
    let mut d = loop {
        let mut d = probe::connect(server.addr).unwrap();
        d.write_all(b"x").unwrap();
        let mut first = [0u8; 1];
        d.read_exact(&mut first).unwrap();
        if &first == b"X" {
            break d;
        }
        assert!(Instant::now() < deadline, "the seat was never given back");
    };
    echo(&mut d, b"served after one left");
    echo(&mut b, b"b too");
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
}

/// How long a person takes between two steps of a recipe in different terminals (typing in A,
/// then moving to B's terminal and starting B), generously.
const A_PERSONS_STEP: Duration = Duration::from_secs(10);

/// The chapter's recipe for the cap (A stays connected, then B is refused) must work when a
/// person types it: the server line it gives must not hang up on A before B can arrive.
#[test]
fn the_chapters_cap_recipe_works_at_a_persons_pace() {
    let chapter = common::chapter("11-socket-options.md");
    let command = common::line_starting(
        &chapter,
        "cargo run --bin lesson11 -- server --max-clients 1",
    );
    let flags: Vec<&str> = command
        .split_whitespace()
        .skip_while(|word| *word != "server")
        .skip(1)
        .collect();
    if let Some(at) = flags.iter().position(|flag| *flag == "--idle") {
        let idle: f64 = flags[at + 1].parse().unwrap();
        assert!(
            Duration::from_secs_f64(idle) >= 2 * A_PERSONS_STEP,
            "`{command}`: a person cannot start B within --idle {idle} of A's last word"
        );
    }
    let server = server(&flags);
    let mut a = probe::connect(server.addr).unwrap();
    echo(&mut a, b"hello");
    // A says nothing for a few seconds, as while its person moves to another terminal: it is
    // not hung up on ("it did not happen" is a read that times out)...
    a.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let waited = a.read(&mut [0u8; 1]).unwrap_err();
    assert!(
        matches!(waited.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{waited}"
    );
    // ...so B, arriving now, is refused, and A is still served.
    expect_refusal(&mut probe::connect(server.addr).unwrap());
    a.set_read_timeout(Some(PATIENCE)).unwrap();
    echo(&mut a, b"still here");
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
}

#[test]
fn refusals_are_logged_with_a_count_not_one_line_each() {
    let server = server(&["--max-clients", "1"]);
    let mut a = probe::connect(server.addr).unwrap();
    echo(&mut a, b"seated");
    for _ in 0..20 {
        expect_refusal(&mut probe::connect(server.addr).unwrap());
    }
    let (status, stderr) = server.interrupt_and_wait();
    assert!(status.success());
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains("refused")).collect();
    let counted: u64 = lines
        .iter()
        .map(|l| {
            let after = l.split("refused ").nth(1).unwrap();
            after
                .split_whitespace()
                .next()
                .unwrap()
                .parse::<u64>()
                .unwrap()
        })
        .sum();
    assert_eq!(counted, 20, "every refusal is counted once:\n{stderr}");
    assert!(lines.len() < 20, "not one log line per refusal:\n{stderr}");
}

#[test]
fn a_silent_client_is_hung_up_on_after_idle() {
    let mut server = server(&["--idle", "0.3"]);
    let mut a = probe::connect(server.addr).unwrap();
    echo(&mut a, b"then silence");
    assert_eq!(probe::wait_for_end(&mut a).unwrap(), End::EndOfStream);
    server.wait_for_stderr_line("silent for too long (--idle)");
    // The server is fine, and serves the next client.
    echo(&mut probe::connect(server.addr).unwrap(), b"next");
    server.interrupt_and_wait();
}

#[test]
fn a_client_that_never_reads_is_hung_up_on_after_the_write_timeout() {
    let mut server = server(&["--write-timeout", "0.3"]);
    let addr = server.addr;
    // The client sends and sends and never reads: the server's echo fills our receive buffer
    // and then its send buffer, its write waits, and after 0.3 s gives up.
    let flooding = probe::BoundedThread::spawn("flooder", move || {
        let mut a = probe::connect(addr).unwrap();
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..2048 {
            // Once the server has hung up, writes fail (reset or broken pipe): we are done.
            if a.write_all(&chunk).is_err() {
                return true;
            }
        }
        false
    })
    .unwrap();
    server
        .wait_for_stderr_line("reads none of our reply (--write-timeout); ending this connection");
    assert!(
        flooding.join_within(PATIENCE).unwrap(),
        "the server never hung up"
    );
    echo(&mut probe::connect(server.addr).unwrap(), b"next");
    server.interrupt_and_wait();
}

#[test]
fn bad_values_of_the_flags_are_one_clear_error() {
    for (flag, value) in [
        ("--max-clients", "0"),
        ("--idle", "-1"),
        ("--write-timeout", "x"),
        ("--backlog", "-5"),
    ] {
        let finished = common::run(
            lesson_command(11).args([
                "server",
                "--addr",
                "127.0.0.1:0",
                &format!("{flag}={value}"),
            ]),
            b"",
        );
        assert!(!finished.status.success(), "{flag} {value}");
        let errors = finished.error_lines();
        assert_eq!(errors.len(), 1, "{flag} {value}:\n{}", finished.stderr);
        assert!(errors[0].contains(flag), "{}", errors[0]);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn backlog_sets_the_listen_queue_limit() {
    let server = server(&["--backlog", "7"]);
    let port = server.addr.port().to_string();
    // `ss` shows a listener's accept-queue limit as Send-Q; skip where it is missing.
    let Ok(out) = Command::new("ss")
        .args(["-ltnH", "sport", "=", &format!(":{port}")])
        .output()
    else {
        println!("skipped: no `ss` here");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(fields.get(2), Some(&"7"), "ss -ltn: {text}");
    server.interrupt_and_wait();
}

/// A port with the server's side of a connection in TIME_WAIT, and nothing listening on it.
fn port_in_time_wait() -> SocketAddr {
    let t = time_wait::time_wait_rebind().unwrap();
    assert!(t.without.is_err(), "the port should be in use");
    t.addr
}

#[test]
fn no_reuse_address_meets_time_wait_and_the_default_does_not() {
    let addr = port_in_time_wait().to_string();
    let refused = common::run(
        lesson_command(11).args(["server", "--addr", &addr, "--no-reuse-address"]),
        b"",
    );
    assert!(!refused.status.success());
    assert!(
        refused.stderr.contains("already in use") && refused.stderr.contains("TIME_WAIT"),
        "the error should name TIME_WAIT as a cause: {}",
        refused.stderr
    );
    let mut started =
        probe::ServerProcess::spawn(lesson_command(11).args(["server", "--addr", &addr])).unwrap();
    started.interrupt().unwrap();
    assert!(started.wait_within(PATIENCE).unwrap().0.success());
}

/// Time per round of `rounds` requests of 2048 bytes, each read back whole, against `addr`.
/// The server reads at most 1024 bytes at a time, so it answers each request with two writes:
/// with Nagle on, the second waits for our ACK of the first, which our kernel delays (we send
/// nothing until the whole answer is in).
fn two_write_answers(addr: SocketAddr, rounds: u32) -> Duration {
    let mut client = probe::connect(addr).unwrap();
    client.set_nodelay(true).unwrap();
    let request = vec![b'a'; 2048];
    let started = Instant::now();
    for _ in 0..rounds {
        client.write_all(&request).unwrap();
        assert_eq!(
            probe::read_exactly(&mut client, 2048).unwrap(),
            vec![b'A'; 2048]
        );
    }
    started.elapsed() / rounds
}

#[cfg(target_os = "linux")]
#[test]
fn the_servers_nodelay_ends_the_nagle_stall_of_its_two_write_answers() {
    let nagle = server(&[]);
    let with_nagle = two_write_answers(nagle.addr, 10);
    nagle.interrupt_and_wait();
    let nodelay = server(&["--nodelay"]);
    let without_nagle = two_write_answers(nodelay.addr, 10);
    nodelay.interrupt_and_wait();
    println!("per round: {with_nagle:?} with Nagle, {without_nagle:?} with --nodelay");
    // The stall is the delayed ACK (40 ms on Linux): a kernel rule, not a speed.
    assert!(with_nagle >= Duration::from_millis(20), "{with_nagle:?}");
    assert!(
        without_nagle * 2 < with_nagle,
        "--nodelay {without_nagle:?}, without {with_nagle:?}"
    );
}

#[test]
fn nodelay_on_both_ends_still_echoes() {
    // The server's --nodelay is measured above. The client writes each message in one write,
    // so Nagle never holds anything of it back: its --nodelay changes nothing this test could
    // see (part 7 shows the option itself on sockets the test owns). Here: both are accepted,
    // and the conversation is unchanged.
    let server = server(&["--nodelay"]);
    let finished = common::run(
        lesson_command(11).args(["client", "--nodelay", "--addr", &server.addr.to_string()]),
        b"hello\nworld\n",
    );
    assert!(finished.status.success(), "{}", finished.stderr);
    assert_eq!(finished.stdout, "HELLO\nWORLD\n");
    server.interrupt_and_wait();
}

#[test]
fn the_client_gives_up_after_its_timeout() {
    let (addr, silent) = common::stand_in(|mut conn| {
        // Reads the message and never answers; returns when the client hangs up.
        common::drain(&mut conn)
    });
    let started = Instant::now();
    let finished = common::run(
        lesson_command(11).args(["client", "--timeout", "0.3", "--addr", &addr.to_string()]),
        b"anyone?\n",
    );
    assert!(!finished.status.success());
    assert!(
        finished
            .stderr
            .contains("the server said nothing for 0.3 s"),
        "{}",
        finished.stderr
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(silent.join_within(PATIENCE).unwrap(), b"anyone?");
}

#[cfg(unix)]
#[test]
fn server_and_client_over_a_unix_socket_path() {
    let folder = families::SocketFolder::new("cli").unwrap();
    let path = folder.0.join("l11.sock");
    let path_text = path.to_str().unwrap();
    let mut child = probe::ChildGuard::spawn(
        lesson_command(11)
            .args(["server", "--unix", path_text])
            .stderr(std::process::Stdio::piped()),
        "lesson11 server --unix",
    )
    .unwrap();
    let stderr = child.child().stderr.take().unwrap();
    let mut lines = std::io::BufReader::new(stderr);
    let mut line = String::new();
    std::io::BufRead::read_line(&mut lines, &mut line).unwrap();
    assert!(
        line.contains(&format!("listening on unix:{path_text}")),
        "{line}"
    );
    let finished = common::run(
        lesson_command(11).args(["client", "--unix", path_text]),
        b"over a path\n",
    );
    assert!(finished.status.success(), "{}", finished.stderr);
    assert_eq!(finished.stdout, "OVER A PATH\n");
    child.interrupt().unwrap();
    assert!(child.wait_within(PATIENCE).unwrap().success());
    assert!(!path.exists(), "the socket file is removed at the end");
}

#[test]
fn ctrl_c_with_clients_connected_stops_cleanly() {
    let mut server = server(&["--max-clients", "3"]);
    let mut clients: Vec<TcpStream> = (0..3)
        .map(|_| probe::connect(server.addr).unwrap())
        .collect();
    for client in &mut clients {
        echo(client, b"here");
    }
    server.interrupt();
    for client in &mut clients {
        assert_eq!(probe::wait_for_end(client).unwrap(), End::EndOfStream);
    }
    let (status, stderr) = server.wait();
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("lesson11 server stopped"), "{stderr}");
}

#[test]
fn the_demo_shows_the_same_facts_on_every_run() {
    let runs: Vec<String> = (0..2)
        .map(|_| {
            let finished = common::run(&mut lesson_command(11), b"");
            assert!(finished.status.success(), "{}", finished.stderr);
            finished.assert_no_panic();
            common::normalise_measurements(&common::normalise_ports(&finished.stdout).0)
        })
        .collect();
    assert_eq!(runs[0], runs[1]);
    #[cfg(target_os = "linux")]
    for fact in [
        "errno 98 (EADDRINUSE)",
        "accept queue 3, limit 2 (TCP_INFO)",
        "errno 111 (ECONNREFUSED)",
        "errno 104 (ECONNRESET)",
        "WouldBlock, errno 11 (EAGAIN)",
    ] {
        assert!(runs[0].contains(fact), "{fact}");
    }
}

#[test]
fn the_chapter_check_reads_only_measurements_as_measurements() {
    assert_eq!(
        common::normalise_measurements("after 204.51 ms: WouldBlock; waits 300 ms"),
        "after N ms: WouldBlock; waits 300 ms"
    );
    assert_eq!(
        common::normalise_measurements("send: took 130964 bytes of 8388608"),
        "send: took N bytes of 8388608"
    );
    assert_eq!(
        common::normalise_measurements("the next 1 send(s): 44028 bytes more, 174992 in all"),
        "the next N send(s): N bytes more, N in all"
    );
    assert_eq!(common::normalise_measurements("v1.0 ms"), "vN ms");
    assert_eq!(common::normalise_measurements("no numbers"), "no numbers");
}
