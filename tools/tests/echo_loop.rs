//! The UDP echo loop (docs/contracts.md, "UDP (lesson 7)" and "`netassist`"), against the real
//! `lesson7` and `netassist` binaries on loopback.
//!
//! The attack is a datagram whose sender address is forged. An ordinary socket cannot forge one;
//! a raw socket can, and needs root (CAP_NET_RAW), as does binding a well-known port below 1024.
//! The CI runs as root; elsewhere those tests print why they skip, and the defence's decision
//! itself is tested without privileges in `src/echo_loop.rs`.
//!
//! Nothing here sleeps to synchronise: "it happened" is a log line, an event or a reply, "it did
//! not happen" is a read timeout or the count of lines once the program has exited. Every loop
//! these tests start runs on loopback, and ends when the test stops the servers.

#![cfg(target_os = "linux")]

mod common;

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::process::Command;

use socket_lessons::timeout::is_timeout;
use socket_lessons_tools::probe::{A_MOMENT, PATIENCE, ServerProcess};
use socket2::{Domain, Protocol, Socket, Type};

use common::tools::{Tool, events, is};

const LESSON7: &str = env!("CARGO_BIN_EXE_lesson7");
const NETASSIST: &str = env!("CARGO_BIN_EXE_netassist");

/// A raw IPv4 socket that sends UDP datagrams with any sender address it likes: the attacker.
struct Forger(Socket);

impl Forger {
    /// `None` (and why, printed) where raw sockets are not allowed.
    fn new(test: &str) -> Option<Forger> {
        // IPPROTO_RAW: we write the IP header ourselves, sender address included.
        match Socket::new(
            Domain::IPV4,
            Type::RAW,
            Some(Protocol::from(libc::IPPROTO_RAW)),
        ) {
            Ok(socket) => Some(Forger(socket)),
            Err(e) => {
                println!("{test}: skipped: forging a sender address needs a raw socket ({e})");
                None
            }
        }
    }

    /// Sends `payload` to `to` in a UDP datagram that says it comes from `from`.
    fn send(&self, from: SocketAddr, to: SocketAddr, payload: &[u8]) {
        let (SocketAddr::V4(from), SocketAddr::V4(to)) = (from, to) else {
            panic!("IPv4 only")
        };
        let udp_length = 8 + payload.len();
        let total = 20 + udp_length;
        let mut packet = Vec::with_capacity(total);
        // The IP header: version 4, 5 words long; the kernel fills in the checksum and the id.
        packet.extend_from_slice(&[0x45, 0]);
        packet.extend_from_slice(&(total as u16).to_be_bytes());
        packet.extend_from_slice(&[0, 0, 0, 0, 64, libc::IPPROTO_UDP as u8, 0, 0]);
        packet.extend_from_slice(&from.ip().octets());
        packet.extend_from_slice(&to.ip().octets());
        // The UDP header; a checksum of 0 means "none" on IPv4.
        packet.extend_from_slice(&from.port().to_be_bytes());
        packet.extend_from_slice(&to.port().to_be_bytes());
        packet.extend_from_slice(&(udp_length as u16).to_be_bytes());
        packet.extend_from_slice(&[0, 0]);
        packet.extend_from_slice(payload);
        let to: SocketAddr = SocketAddrV4::new(*to.ip(), 0).into();
        let sent = self.0.send_to(&packet, &to.into()).unwrap();
        assert_eq!(sent, total);
    }
}

/// A UDP socket of the test's own on a well-known port (root only): `None`, and why, printed,
/// when the bind is refused.
fn bind_well_known(port: u16, test: &str) -> Option<UdpSocket> {
    match UdpSocket::bind((Ipv4Addr::LOCALHOST, port)) {
        Ok(socket) => {
            socket.set_read_timeout(Some(PATIENCE)).unwrap();
            Some(socket)
        }
        Err(e) => {
            println!("{test}: skipped: binding port {port} needs root ({e})");
            None
        }
    }
}

fn lesson7_server() -> ServerProcess {
    ServerProcess::spawn(
        Command::new(LESSON7)
            .args(["server", "--addr", "127.0.0.1:0"])
            .env_remove("RUST_LOG")
            .env("RUST_LOG_STYLE", "never"),
    )
    .expect("lesson7 server did not start")
}

/// A client of the test's own, on an ordinary port: it must still be answered.
fn assert_still_served(addr: SocketAddr) {
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.set_read_timeout(Some(PATIENCE)).unwrap();
    client.send_to(b"still there?", addr).unwrap();
    let mut buf = [0u8; 64];
    let (n, from) = client.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"STILL THERE?"[..], addr));
}

/// Listens on `socket` for [`A_MOMENT`]: nothing may come.
fn expect_nothing(socket: &UdpSocket) {
    socket.set_read_timeout(Some(A_MOMENT)).unwrap();
    let mut buf = [0u8; 64];
    match socket.recv_from(&mut buf) {
        Err(e) if is_timeout(&e) => {}
        other => panic!("expected nothing, got {other:?}"),
    }
}

/// Ctrl-C, then every line lesson 7 logged.
fn stop(mut server: ServerProcess) -> Vec<String> {
    server.interrupt().unwrap();
    let (status, stderr) = server.wait_within(PATIENCE).unwrap();
    assert!(status.success(), "{stderr}");
    stderr.lines().map(str::to_string).collect()
}

#[test]
fn lesson7_does_not_answer_a_well_known_service_port() {
    let test = "lesson7_does_not_answer_a_well_known_service_port";
    let Some(discard_service) = bind_well_known(9, test) else {
        return;
    };
    let mut server = lesson7_server();
    // Port 9 is where a classic discard service listens (and 7 echo, 19 chargen): answering
    // one of those could start a loop with it.
    discard_service.send_to(b"ping", server.addr).unwrap();
    let line = server.wait_for_stderr_line("not answered").unwrap();
    assert!(line.contains("127.0.0.1:9: not answered"), "{line}");
    assert!(line.contains("port 9, a well-known service's"), "{line}");
    expect_nothing(&discard_service);
    assert_still_served(server.addr);
    stop(server);
}

#[test]
fn lesson7_does_not_answer_a_datagram_forged_from_itself() {
    let Some(forger) = Forger::new("lesson7_does_not_answer_a_datagram_forged_from_itself") else {
        return;
    };
    let mut server = lesson7_server();
    forger.send(server.addr, server.addr, b"loop");
    server
        .wait_for_stderr_line("it says it comes from this server's own address")
        .unwrap();
    assert_still_served(server.addr);
    let own = format!("{}:", server.addr);
    let log = stop(server);
    // The forged datagram was received and not answered, and that is all: an answer would have
    // come back as another datagram from the server's own address, and been logged or counted.
    let about_itself: Vec<&String> = log.iter().filter(|l| l.contains(&own)).collect();
    assert_eq!(about_itself.len(), 2, "{log:#?}");
    assert!(about_itself[1].contains("not answered"), "{log:#?}");
    assert!(
        log.iter()
            .filter(|l| l.contains("since the last lines"))
            .all(|l| l.contains(" 0 not answered")),
        "{log:#?}"
    );
}

#[test]
fn netassist_echo_does_not_answer_itself_or_a_well_known_port() {
    let Some(forger) = Forger::new("netassist_echo_does_not_answer_itself_or_a_well_known_port")
    else {
        return;
    };
    let (mut netassist, addr) = Tool::listening(
        NETASSIST,
        &["udp-server", "--addr", "127.0.0.1:0", "--echo", "--json"],
    );
    forger.send(addr, addr, b"loop");
    let not_echoed = netassist.event("not echoed", |e| is(e, "not echoed"));
    assert!(
        not_echoed["detail"]
            .as_str()
            .unwrap()
            .contains("this server's own address"),
        "{not_echoed}"
    );
    let chargen: SocketAddr = "127.0.0.1:19".parse().unwrap();
    forger.send(chargen, addr, b"chargen says hello");
    let not_echoed = netassist.event("not echoed to port 19", |e| {
        is(e, "not echoed") && e["peer"] == "127.0.0.1:19"
    });
    assert!(
        not_echoed["detail"].as_str().unwrap().contains("port 19"),
        "{not_echoed}"
    );
    // An ordinary client is echoed as ever.
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.set_read_timeout(Some(PATIENCE)).unwrap();
    client.send_to(b"echo me", addr).unwrap();
    let mut buf = [0u8; 64];
    let (n, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"echo me");
    netassist.interrupt();
    let (status, stdout, _) = netassist.finish();
    assert!(status.success());
    let sent = events(&stdout).iter().filter(|e| is(e, "sent")).count();
    assert_eq!(
        sent, 1,
        "only the ordinary client was answered: {stdout:#?}"
    );
}

#[test]
fn two_echo_servers_do_not_loop_through_a_well_known_port() {
    let test = "two_echo_servers_do_not_loop_through_a_well_known_port";
    let Some(forger) = Forger::new(test) else {
        return;
    };
    // netassist plays the echo service on port 7; lesson 7 is the other echo server.
    let netassist = Tool::start(
        NETASSIST,
        &["udp-server", "--addr", "127.0.0.1:7", "--echo", "--json"],
    );
    let (mut netassist, echo_service) = {
        let mut netassist = netassist;
        let line = netassist.stderr_line("");
        if !line.contains("listening on") {
            println!("{test}: skipped: netassist cannot bind port 7 ({line})");
            return;
        }
        (netassist, "127.0.0.1:7".parse::<SocketAddr>().unwrap())
    };
    let mut lesson7 = lesson7_server();
    // The forged datagram goes to the echo service, "from" lesson 7: it is echoed to lesson 7,
    // which does not answer port 7. The loop ends after one hop.
    forger.send(lesson7.addr, echo_service, b"ping");
    netassist.event("the echo to lesson 7", |e| is(e, "sent"));
    lesson7.wait_for_stderr_line("not answered").unwrap();
    // And "from" the echo service to lesson 7: not answered at all.
    forger.send(echo_service, lesson7.addr, b"pong");
    assert_still_served(lesson7.addr);
    let log = stop(lesson7);
    netassist.interrupt();
    let (status, stdout, _) = netassist.finish();
    assert!(status.success());
    let events = events(&stdout);
    let received = events.iter().filter(|e| is(e, "recv")).count();
    assert_eq!(
        received, 1,
        "the echo service heard only the forged datagram"
    );
    let not_answered: Vec<&String> = log.iter().filter(|l| l.contains("not answered")).collect();
    assert!(
        (1..=2).contains(&not_answered.len()),
        "at most a line a second: {log:#?}"
    );
}

#[test]
fn two_lesson7_servers_on_ordinary_ports_ping_pong_but_their_logs_stay_bounded() {
    let test = "two_lesson7_servers_on_ordinary_ports_ping_pong_but_their_logs_stay_bounded";
    let Some(forger) = Forger::new(test) else {
        return;
    };
    let mut a = lesson7_server();
    let b = lesson7_server();
    let started = std::time::Instant::now();
    // Each is an ordinary peer to the other: no rule about ports can tell this loop from two
    // clients. It runs (a line that stands for more than one datagram proves it), and the log
    // says so at most once a second.
    forger.send(b.addr, a.addr, b"ping");
    let line = a
        .wait_for_stderr_line("more since the last line like it")
        .unwrap();
    assert!(
        line.contains(&format!("{}: 4 bytes: \"PING\"", b.addr)),
        "{line}"
    );
    let log_b = stop(b);
    let log_a = stop(a);
    let seconds = started.elapsed().as_secs() + 1;
    for (name, log) in [("a", &log_a), ("b", &log_b)] {
        let served = log.iter().filter(|l| l.contains("4 bytes")).count() as u64;
        assert!(
            served <= seconds + 2,
            "{name} logged {served} datagram lines in about {seconds} s: {log:#?}"
        );
        println!(
            "{name}: {} lines of log in about {seconds} s:\n{}",
            log.len(),
            log.join("\n")
        );
    }
}
