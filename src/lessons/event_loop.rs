//! Lesson 13 — one thread, many sockets (I/O 多路复用).
//!
//! **What this stage adds:** one thread serves every client. Lesson 4 gives each client a thread
//! that blocks in its `read`; here every socket is nonblocking, and one thread asks the kernel
//! which of them are ready (`epoll` on Linux, `kqueue` on macOS, through the mio crate), then does
//! for each what it can without waiting: it reads until the socket would block, and writes what
//! fits of the replies. What did not fit is kept, per client, and written when the kernel says
//! the socket has room again: a short write (lesson 11's part 6) is kept, not an error. Ctrl-C
//! rings a waker, which the loop hears as one more ready event. The echo and the client are
//! lesson 4's.
//!
//! **What is still broken:** everything happens on the one thread, one thing at a time. A
//! handler that takes its time (a long computation, a blocking call) holds up every client at
//! once, and the loop uses one CPU core, however many the machine has.

use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use log::{info, warn};
use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Registry, Token, Waker};

use crate::server::Server;
use crate::stage::Lines;

// ANCHOR: state
/// What `poll` says is ready is named by a token: ours are these two, and one per client.
const LISTENER: Token = Token(0);
const WAKER: Token = Token(1);

/// How much a client may owe us (replies it has not read) before we stop reading what it sends.
/// Its next bytes then wait in the kernel's buffers, and TCP slows the client down: a client that
/// sends and never reads costs this much memory at most, and nobody else waits for it.
const OWED_AT_MOST: usize = 64 * 1024;

/// One client of the loop: what lesson 4 kept on a thread's stack, kept here instead.
struct Client {
    /// mio's `TcpStream`: std's, set nonblocking, that `poll` can watch.
    stream: mio::net::TcpStream,
    peer: SocketAddr,
    /// Replies the socket had no room for yet, oldest first.
    unsent: Vec<u8>,
    /// The client has closed its end (a read of 0 bytes): once `unsent` is written, so do we.
    finished: bool,
}

/// What the loop does with the bytes of one read: appends the reply to `reply`. It runs on the
/// loop's one thread, so it must not wait for anything.
pub fn echo(request: &[u8], reply: &mut Vec<u8>) {
    reply.extend_from_slice(&request.to_ascii_uppercase());
}
// ANCHOR_END: state

/// Serves every client on this one thread, each read answered by the echo rule, until Ctrl-C.
pub fn serve(server: Server) -> io::Result<()> {
    serve_with(server, echo)
}

// ANCHOR: serve
/// Serves every client on this one thread, each read answered by `handle`, until Ctrl-C.
pub fn serve_with(server: Server, mut handle: impl FnMut(&[u8], &mut Vec<u8>)) -> io::Result<()> {
    let mut poll = Poll::new()?;
    // Ctrl-C: the server's shutdown watcher runs this first, and the waker makes `poll` return.
    let waker = Waker::new(poll.registry(), WAKER)?;
    server.before_closing(move || {
        if let Err(e) = waker.wake() {
            warn!("cannot wake the event loop: {e}");
        }
    });
    let mut listener = TcpListener::from_std(server.nonblocking_listener()?);
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    let mut clients: HashMap<Token, Client> = HashMap::new();
    let mut next_token = WAKER.0 + 1;
    let mut events = Events::with_capacity(1024);
    let mut accept_failed = false;
    // The event loop: wait until some socket is ready, then serve every one that is.
    loop {
        // After a failed accept, look again in 100 ms even if nothing happens (see accept_all).
        let timeout = accept_failed.then_some(Duration::from_millis(100));
        match poll.poll(&mut events, timeout) {
            Ok(()) => {}
            // A signal interrupted the wait; nothing happened to any socket. Wait again.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        // Ctrl-C rang the waker: stop, whatever else is ready.
        if server.shutdown().is_triggered() {
            break;
        }
        if accept_failed {
            accept_failed = !accept_all(&listener, poll.registry(), &mut clients, &mut next_token);
        }
        for event in events.iter() {
            match event.token() {
                // Ctrl-C, seen above.
                WAKER => {}
                LISTENER => {
                    accept_failed =
                        !accept_all(&listener, poll.registry(), &mut clients, &mut next_token);
                }
                token => {
                    // (A client ended earlier in this round may still have an event in it.)
                    let Some(client) = clients.get_mut(&token) else {
                        continue;
                    };
                    if !serve_ready(client, &mut handle) {
                        // Dropping the socket closes it, and the kernel stops watching it.
                        clients.remove(&token);
                    }
                }
            }
        }
    }
    // Nothing is blocked anywhere but in `poll`, so stopping is this: close every connection.
    info!("the waker rang: closing {} connection(s)", clients.len());
    Ok(())
}

/// Accepts every client waiting in the backlog, until `accept` would block, and asks `poll` to
/// watch each. False if `accept` failed (out of file descriptors, say): clients still waiting
/// will not make the listener "ready" again, so the loop must come back by itself.
fn accept_all(
    listener: &TcpListener,
    registry: &Registry,
    clients: &mut HashMap<Token, Client>,
    next_token: &mut usize,
) -> bool {
    loop {
        let (mut stream, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            // The backlog is empty: back to the loop.
            Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
            // A client that hung up during the handshake, or a signal: try the next.
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::ConnectionAborted | ErrorKind::Interrupted
                ) =>
            {
                continue;
            }
            Err(e) => {
                warn!("accept failed: {e}; retrying shortly");
                return false;
            }
        };
        info!("{peer} connected");
        let token = Token(*next_token);
        *next_token += 1;
        // Readable: it sent something, or closed. Writable: its socket has room again.
        let both = Interest::READABLE | Interest::WRITABLE;
        if let Err(e) = registry.register(&mut stream, token, both) {
            warn!("{peer}: cannot watch this connection ({e}); hanging up");
            continue;
        }
        let client = Client {
            stream,
            peer,
            unsent: Vec::new(),
            finished: false,
        };
        clients.insert(token, client);
    }
}

/// Does all it can for `client` without waiting: writes what it owes, then reads and answers,
/// until the socket would block. False when the conversation is over.
fn serve_ready(client: &mut Client, handle: &mut impl FnMut(&[u8], &mut Vec<u8>)) -> bool {
    let peer = client.peer;
    let mut buf = [0u8; 1024];
    loop {
        // Write what we owe, as much as the socket takes. The rest stays in `unsent`, and `poll`
        // says when the socket is writable again.
        while !client.unsent.is_empty() {
            match client.stream.write(&client.unsent) {
                Ok(n) => drop(client.unsent.drain(..n)),
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    warn!("{peer}: {e}; ending this connection");
                    return false;
                }
            }
        }
        // The client said goodbye: we stay only until it has every reply.
        if client.finished {
            return !client.unsent.is_empty();
        }
        // It owes us reading: read no more of its bytes until it has (see OWED_AT_MOST).
        if client.unsent.len() >= OWED_AT_MOST {
            return true;
        }
        let n = match client.stream.read(&mut buf) {
            // 0 bytes: the client closed its end. This is how TCP says goodbye.
            Ok(0) => {
                info!("{peer}: recv returned 0 bytes; the conversation is over");
                client.finished = true;
                continue;
            }
            Ok(n) => n,
            // Nothing more to read for now: back to the loop, which serves the others.
            Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
            // A signal interrupted the read; nothing happened to the connection. Read again.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            // A reset or any other error: this client is gone, but the server is fine.
            Err(e) => {
                warn!("{peer}: {e}; ending this connection");
                return false;
            }
        };
        handle(&buf[..n], &mut client.unsent);
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// Sends each non-empty one of `lines` as one message and prints each reply, until the input
/// ends or a line says `q`.
pub fn client(addr: SocketAddr, lines: Lines, output: &mut dyn Write) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    let mut reply = [0u8; 1024];
    for line in lines {
        let message = line?;
        // Sending an empty message sends no bytes at all: the server's `recv` never returns, and
        // our `recv` below would wait for a reply that is never coming. So don't.
        if message.is_empty() {
            continue;
        }
        if message == b"q" {
            break;
        }
        phone.write_all(&message)?;
        let n = phone.read(&mut reply)?;
        if n == 0 {
            warn!("the server closed the connection");
            break;
        }
        output.write_all(&reply[..n])?;
        writeln!(output)?;
    }
    Ok(())
}
// ANCHOR_END: client
