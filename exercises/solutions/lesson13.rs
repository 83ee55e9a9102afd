//! Exercise 13, solved: one thread, many sockets (I/O 多路复用).
//!
//! Lesson 4's echo on one thread: every socket is nonblocking, and the thread asks the kernel
//! which of them are ready (`epoll` on Linux, `kqueue` on macOS, through the `mio` crate, the
//! stage's own), then does for each what it can without waiting: it reads until the socket
//! would block, and writes what fits of the replies. What did not fit is kept, per client, and
//! written when the kernel says the socket has room again. The client is lesson 4's. The worked
//! stage is `src/lessons/event_loop.rs`.

use std::collections::HashMap;
use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Registry, Token};

/// The stage's own address: this program and `cargo run --bin lesson13` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8013";

/// What `poll` says is ready is named by a token: the listener's is this one, and each client
/// gets the next free number.
const LISTENER: Token = Token(0);

/// How much a client may owe us (replies it has not read) before we stop reading what it sends:
/// its next bytes wait in the kernel, and TCP slows it down. Memory stays bounded.
const OWED_AT_MOST: usize = 64 * 1024;

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: lesson13 server|client [--addr HOST:PORT]");
        return ExitCode::from(2);
    };
    let result = match options.mode.as_str() {
        "server" => server(&options.addr),
        _ => client(&options.addr),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What the command line asked for.
struct Options {
    /// `server` or `client`.
    mode: String,
    addr: String,
}

/// `server` or `client`, then `--addr HOST:PORT` if given. `None` for anything else.
fn parse_args() -> Option<Options> {
    let mut args = env::args().skip(1);
    let mode = args
        .next()
        .filter(|mode| mode == "server" || mode == "client")?;
    let mut options = Options {
        mode,
        addr: DEFAULT_ADDR.to_string(),
    };
    while let Some(flag) = args.next() {
        let value = args.next()?;
        match flag.as_str() {
            "--addr" => options.addr = value,
            _ => return None,
        }
    }
    Some(options)
}

/// One client of the loop: what lesson 4 kept on a thread's stack, kept here instead.
struct Client {
    /// mio's `TcpStream`: std's, set nonblocking, that `poll` can watch.
    stream: mio::net::TcpStream,
    peer: SocketAddr,
    /// Replies the socket had no room for yet, oldest first.
    unsent: Vec<u8>,
    /// The client has closed its end: once `unsent` is written, so do we.
    finished: bool,
}

/// Serves every client on this one thread, until the program is stopped.
fn server(addr: &str) -> io::Result<()> {
    let listener = std::net::TcpListener::bind(addr)?;
    eprintln!("listening on {}", listener.local_addr()?);
    // Nonblocking: `accept` returns at once, with a client or with `WouldBlock`.
    listener.set_nonblocking(true)?;
    let mut listener = TcpListener::from_std(listener);
    let mut poll = Poll::new()?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    let mut clients: HashMap<Token, Client> = HashMap::new();
    let mut next_token = LISTENER.0 + 1;
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
        if accept_failed {
            accept_failed = !accept_all(&listener, poll.registry(), &mut clients, &mut next_token);
        }
        for event in events.iter() {
            if event.token() == LISTENER {
                accept_failed =
                    !accept_all(&listener, poll.registry(), &mut clients, &mut next_token);
                continue;
            }
            // (A client ended earlier in this round may still have an event in it.)
            let Some(client) = clients.get_mut(&event.token()) else {
                continue;
            };
            if !serve_ready(client) {
                // Dropping the socket closes it, and the kernel stops watching it.
                clients.remove(&event.token());
            }
        }
    }
}

/// Accepts every client waiting, until `accept` would block, and asks `poll` to watch each.
/// False if `accept` failed (out of file descriptors, say): the clients still waiting will not
/// make the listener ready again, so the loop must come back by itself.
fn accept_all(
    listener: &TcpListener,
    registry: &Registry,
    clients: &mut HashMap<Token, Client>,
    next_token: &mut usize,
) -> bool {
    loop {
        let (mut stream, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            // Nobody else is waiting: back to the loop.
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
                eprintln!("accept: {e}; retrying shortly");
                return false;
            }
        };
        eprintln!("{peer} connected");
        let token = Token(*next_token);
        *next_token += 1;
        // Readable: it sent something, or closed. Writable: its socket has room again.
        let both = Interest::READABLE | Interest::WRITABLE;
        if let Err(e) = registry.register(&mut stream, token, both) {
            eprintln!("{peer}: cannot watch this connection ({e}); hanging up");
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
fn serve_ready(client: &mut Client) -> bool {
    let peer = client.peer;
    let mut buf = [0u8; 1024];
    loop {
        if !write_owed(client) {
            return false;
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
                eprintln!("{peer}: recv returned 0 bytes; the conversation is over");
                client.finished = true;
                continue;
            }
            Ok(n) => n,
            // Nothing more to read for now: back to the loop, which serves the others. Only
            // here: `poll` says "has become readable" once, not "is readable" while it is.
            Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
            // A signal interrupted the read; nothing happened to the connection. Read again.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            // A reset or any other error: this client is gone, but the server is fine.
            Err(e) => {
                eprintln!("{peer}: {e}; ending this connection");
                return false;
            }
        };
        // ANCHOR: answer
        client.unsent.extend(buf[..n].to_ascii_uppercase());
        // ANCHOR_END: answer
    }
}

/// Writes what `client` is owed, as much as its socket takes: the rest stays in `unsent`, and
/// `poll` says when the socket is writable again. False if the connection failed.
fn write_owed(client: &mut Client) -> bool {
    // ANCHOR: write_owed
    while !client.unsent.is_empty() {
        match client.stream.write(&client.unsent) {
            // A short write is not an error: what was written goes, the rest waits its turn.
            Ok(n) => drop(client.unsent.drain(..n)),
            // The socket's buffer is full: keep the rest for the next time it is writable.
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => {
                eprintln!("{}: {e}; ending this connection", client.peer);
                return false;
            }
        }
    }
    true
    // ANCHOR_END: write_owed
}

/// Sends each non-empty line as one message and prints each reply, until the input ends or a
/// line says `q`.
fn client(addr: &str) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    let mut reply = [0u8; 1024];
    let mut stdout = io::stdout();
    for line in io::stdin().lines() {
        let message = line?;
        // An empty message sends no bytes at all: the server's `recv` would never return, and
        // ours below would wait for a reply that is never coming. So don't.
        if message.is_empty() {
            continue;
        }
        if message == "q" {
            break;
        }
        phone.write_all(message.as_bytes())?;
        let n = phone.read(&mut reply)?;
        // 0 bytes: the server closed the connection; there will be no more replies.
        if n == 0 {
            eprintln!("the server closed the connection");
            break;
        }
        stdout.write_all(&reply[..n])?;
        writeln!(stdout)?;
    }
    Ok(())
}
