//! Lesson 13, one thread for many sockets: the echo rule on a readiness loop, replies the socket
//! had no room for kept and delivered whole (a client that sends a lot and reads nothing loses no
//! byte and stalls nobody else), a client's goodbye honoured only after its last reply, Ctrl-C
//! with clients connected (the waker), and one thread however many clients. docs/contracts.md,
//! "One thread, many sockets (lesson 13)".

mod common;

use std::io::{Read, Write};
use std::net::Shutdown;
use std::sync::mpsc;

use common::*;
use socket_lessons::lessons::event_loop;
use socket_lessons_tools::probe::{A_MOMENT, BoundedThread, PATIENCE, limits};

#[test]
fn lesson13_echoes_by_the_echo_rule_with_its_own_client() {
    let server = ServerProcess::start(13);
    let done = client(13, server.addr, "hello, 你好\n\nq\nnot sent\n".as_bytes());
    assert!(done.status.success(), "{}", done.stderr);
    assert_eq!(done.stdout, "HELLO, 你好\n");
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
}

#[test]
fn every_client_is_served_at_once_by_the_one_loop() {
    let server = RunningServer::start(event_loop::serve);
    let mut a = connect(server.addr);
    assert_echo(&mut a, b"first");
    // B is answered while A stays: the loop waits for neither.
    let mut b = connect(server.addr);
    assert_echo(&mut b, b"second");
    assert_echo(&mut a, "ünïcödé ß".as_bytes());
    // A message longer than one read is answered read by read; the pieces are its upper().
    let long: Vec<u8> = (0..5000u32)
        .map(|i| b"abcXYZ19\n"[i as usize % 9])
        .collect();
    assert_echo(&mut b, &long);
    server.stop().expect("serve returns Ok at shutdown");
}

#[test]
fn a_client_that_sends_without_reading_loses_nothing_and_stalls_nobody() {
    // More than the kernel's buffers on the way can hold (Linux lets a loopback connection's
    // buffers grow to a few tens of MiB: `net.ipv4.tcp_rmem`, `tcp_wmem`).
    const TOTAL: usize = 64 << 20;
    let server = RunningServer::start(event_loop::serve);
    let mut flooder = connect(server.addr);
    let mut writer = flooder.try_clone().expect("a second handle on the socket");
    // The writer sends 8 MiB in chunks and says how far it got after each; it does not read.
    let (progress, written) = mpsc::channel();
    let writing = BoundedThread::spawn("flooder", move || -> std::io::Result<()> {
        let chunk: Vec<u8> = (0..65_536u32).map(|i| b'a' + (i % 26) as u8).collect();
        let mut sent = 0;
        while sent < TOTAL {
            writer.write_all(&chunk)?;
            sent += chunk.len();
            let _ = progress.send(sent);
        }
        // Its goodbye: the server must still deliver every reply before it closes.
        writer.shutdown(Shutdown::Write)
    })
    .unwrap();
    // Wait until the writer is stuck: every buffer on the way is full, because the server stopped
    // reading what it cannot send back (its replies wait, unread, for this client).
    let mut sent = 0;
    loop {
        match written.recv_timeout(A_MOMENT) {
            Ok(now) => sent = now,
            Err(mpsc::RecvTimeoutError::Timeout) => break,
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the writer stopped: {sent} bytes"),
        }
    }
    assert!(
        sent < TOTAL,
        "the writer should be held back by TCP once the server stops reading, yet sent all"
    );
    // Meanwhile, another client is served at once.
    let mut other = connect(server.addr);
    assert_echo(&mut other, b"not stalled");
    // Now read everything back: every byte, upper-cased, in order, then the end.
    let mut back = Vec::with_capacity(TOTAL);
    let mut buf = vec![0u8; 65_536];
    loop {
        let n = flooder
            .read(&mut buf)
            .expect("reading the replies (bounded)");
        if n == 0 {
            break;
        }
        back.extend_from_slice(&buf[..n]);
        assert!(back.len() <= TOTAL, "more came back than was sent");
    }
    writing
        .join_within(PATIENCE)
        .unwrap()
        .expect("the writer sent everything once replies were read");
    assert_eq!(back.len(), TOTAL, "every byte sent came back");
    assert!(
        back.iter()
            .enumerate()
            .all(|(i, &byte)| byte == b'A' + ((i % 65_536) % 26) as u8),
        "the replies are the bytes sent, upper-cased, in order"
    );
    assert_echo(&mut other, b"still here");
    server.stop().expect("serve returns Ok at shutdown");
}

#[test]
fn ctrl_c_rings_the_waker_and_closes_every_connection() {
    let mut server = ServerProcess::start(13);
    let mut clients: Vec<_> = (0..3).map(|_| connect(server.addr)).collect();
    for client in &mut clients {
        assert_echo(client, b"idle now");
    }
    server.interrupt();
    for client in &mut clients {
        expect_end_of_stream(client);
    }
    let (status, stderr) = server.wait();
    assert!(status.success(), "{stderr}");
    assert!(
        stderr.contains("INFO [server] the waker rang: closing 3 connection(s)"),
        "{stderr}"
    );
    assert!(stderr.contains("lesson13 server stopped"), "{stderr}");
}

#[test]
fn one_thread_holds_every_client() {
    let server = ServerProcess::start(13);
    let Some(before) = limits::threads(Some(server.id())) else {
        eprintln!("skipped: this system does not say how many threads a process has");
        return;
    };
    let mut clients: Vec<_> = (0..200).map(|_| connect(server.addr)).collect();
    for client in &mut clients {
        send(client, b"x");
    }
    for client in &mut clients {
        assert_eq!(receive(client, 1), b"X");
    }
    assert_eq!(limits::threads(Some(server.id())), Some(before));
    drop(clients);
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
}

#[test]
fn a_reset_client_ends_only_its_own_connection() {
    let server = RunningServer::start(event_loop::serve);
    let mut a = connect(server.addr);
    assert_echo(&mut a, b"before");
    let mut resetting = connect(server.addr);
    send(&mut resetting, b"half a req");
    reset(resetting);
    assert_echo(&mut a, b"after");
    let mut b = connect(server.addr);
    assert_echo(&mut b, b"new client");
    server.stop().expect("serve returns Ok at shutdown");
}

#[test]
fn the_demo_shows_one_thread_and_the_slow_handler_the_same_on_every_run() {
    let transcript = assert_demo_is_deterministic(13);
    assert!(
        transcript
            .lines()
            .any(|l| l.starts_with("  threads in this process: 4 before they came, 4 with all")),
        "{transcript}"
    );
    for line in [
        "  client B waits      300 ms: no reply: the loop is busy with A's \"slow\"",
        "  client C waits      300 ms: no reply: nobody has even accepted C",
        "  client B receives   \"HI AGAIN\"",
    ] {
        assert!(
            transcript.lines().any(|l| l == line),
            "{line:?} in:\n{transcript}"
        );
    }
}
