//! Lesson 7 — UDP (基于UDP的套接字).
//!
//! **What this stage adds:** datagrams (数据报) instead of a byte stream. There is no `listen`, no
//! `accept` and no connection: one socket receives every client's datagrams with `recv_from`,
//! each with its sender's address, and answers with `send_to`. Each datagram arrives whole and
//! alone, so UDP never glues messages together (no 粘包), and an empty datagram is a message too.
//! The client sends every line, even an empty one, and waits for each reply only so long. And
//! since a datagram's sender is only what the datagram says, the server never answers its own
//! address or a well-known service's port ([`crate::echo_loop`]): one forged datagram could
//! otherwise set it answering itself, or another echo service, forever.
//!
//! **What is still broken:** a datagram can be cut short (a buffer too small), lost, duplicated
//! or reordered, and nothing notices or sends it again. The client can only stop waiting, and a
//! reply that comes after it stopped is taken for the reply to its next message.

use std::io::{self, ErrorKind, Write};
use std::net::{SocketAddr, UdpSocket};

use log::warn;

use crate::datagram::UdpServer;
use crate::stage::Lines;

// ANCHOR: serve
/// Serves every client from one loop, one datagram at a time: receive it, answer it, receive the
/// next, whoever it is from. No threads, and yet many clients seem to be served at once: each
/// turn takes microseconds, and no client holds the server between its datagrams (there is no
/// connection to hold). It returns nothing: no datagram can make it fail, only shutdown ends it.
pub fn serve(server: UdpServer) {
    let mut buf = [0u8; 1024];
    // The communication loop, with no connection around it: each datagram says who sent it.
    while let Some(received) = server.recv_from(&mut buf) {
        let (n, size, from) = match received {
            Ok(datagram) => (datagram.kept, datagram.size, datagram.from),
            // A signal interrupted the wait; nothing was received. Wait again.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            // Any other error is about one datagram, not the server (Windows, for one, reports
            // here that an earlier reply found nobody listening): serve on.
            Err(e) => {
                server.log().failed(&e);
                continue;
            }
        };
        // A datagram longer than the buffer is cut by the kernel, and the rest is thrown away:
        // no later `recv_from` will ever see it. We can only say so. (The log says what came, at
        // most a line a second of each kind: a flood of datagrams cannot flood the log too.)
        server.log().received(from, size, &buf[..n]);
        // 0 bytes is not a goodbye here: it was an empty datagram, and it gets an empty reply.
        // But the sender's address is only what the datagram says: answering ourselves, or
        // another echo service, would start a loop that never ends, so we never answer our own
        // address or a well-known service port (`may_answer` asks `echo_loop`). Whether the
        // reply arrives, nobody will tell us (UDP has no acknowledgements), so one that cannot
        // even be sent (to a forged address, say) is dropped like a lost one.
        if server.may_answer(from) {
            let _ = server.send_to(&buf[..n].to_ascii_uppercase(), from);
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// The client's phone (手机): a UDP socket of its own, on any free port, that sends to `addr`
/// and waits at most `timeout` for each reply.
pub fn dial(addr: SocketAddr, timeout: std::time::Duration) -> io::Result<UdpSocket> {
    let phone = UdpSocket::bind((if addr.is_ipv4() { "0.0.0.0" } else { "::" }, 0))?;
    // `connect` on UDP sends nothing: it only says where our datagrams go, and that we accept
    // datagrams from there alone. It also lets the kernel tell us "nobody is listening there"
    // (Connection refused), which an unconnected UDP socket never hears.
    phone.connect(addr)?;
    phone.set_read_timeout(Some(timeout))?;
    Ok(phone)
}

/// Sends each line of `input`, even an empty one, as one datagram and prints each reply, until
/// the input ends or a line says `q`.
pub fn client(phone: UdpSocket, lines: Lines, output: &mut dyn Write) -> io::Result<()> {
    let mut reply = [0u8; 1024];
    for line in lines {
        let message = line?;
        // No empty-line check, unlike lesson 3: an empty datagram is still a datagram, and the
        // server answers it.
        if message == b"q" {
            break;
        }
        phone.send(&message)?;
        let received = phone.recv(&mut reply);
        // "Refused" means nobody listens there at all: `?` below ends the client. Any other
        // error means no reply came: the timeout passed (or the network said the host cannot be
        // reached). Nobody will send the datagram again, so give up on it and go on.
        if matches!(&received, Err(e) if e.kind() != ErrorKind::ConnectionRefused) {
            warn!("no reply: the datagram or its reply may be lost, and UDP does not retry");
            continue;
        }
        let n = received?;
        output.write_all(&reply[..n])?;
        writeln!(output)?;
    }
    Ok(())
}
// ANCHOR_END: client
