//! Exercise 7: UDP (基于UDP的套接字).
//!
//! This is exercise 3, solved: an echo over TCP. Make it the tutorial's UDP echo: one socket,
//! one loop, no connection. Chapter: lessons/07-udp.md. The worked stage is src/lessons/udp.rs.
//!
//! Left for you, each marked `TODO N` where its code goes:
//!
//! - TODO 1: the server: a datagram socket (`std::net::UdpSocket::bind`; it prints the same
//!   `listening on ADDR` line), no `listen`, no `accept`, no thread: one loop of `recv_from`
//!   into a 1024-byte buffer, which gives one datagram and who sent it, and `send_to` of its
//!   echo back to that sender. An empty datagram is a message too: it gets an empty reply, and
//!   nothing ends the loop (chapter: "The code"; "Why it works", 0 bytes is a message, not a
//!   goodbye).
//! - TODO 2: the client: a socket of its own on any free port (`UdpSocket::bind("0.0.0.0:0")`),
//!   `connect`ed to the server (it sends nothing, and lets the kernel tell you when nobody
//!   listens), with a read timeout of `REPLY_TIMEOUT`. Every line, even an empty one, is one
//!   datagram; a line `q` ends the client. A reply that does not come in time is given up on
//!   (a message on stderr), and the client goes on with the next line (chapter: "Why it works",
//!   `connect` on a UDP socket; why the client stops waiting).
//!
//! Check it: `cargo run --bin learn -- check 7`.

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

/// How long the client waits for each reply.
#[allow(dead_code)] // for TODO 2
const REPLY_TIMEOUT: Duration = Duration::from_secs(2);

/// The stage's own address: this program and `cargo run --bin lesson7` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8007";

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: lesson7 server|client [--addr HOST:PORT]");
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

/// Serves clients one after another, each for as long as it stays connected.
// TODO 1
fn server(addr: &str) -> io::Result<()> {
    let listener = TcpListener::bind(addr)?;
    eprintln!("listening on {}", listener.local_addr()?);

    // The connection loop, as in lesson 2.
    loop {
        let (conn, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("accept: {e}");
                continue;
            }
        };
        eprintln!("{peer} connected");
        serve_one_client(conn, peer);
    }
}

/// The communication loop (通信循环): echo every message until the client leaves.
fn serve_one_client(mut conn: TcpStream, peer: SocketAddr) {
    let mut buf = [0u8; 1024];
    loop {
        let n = match conn.read(&mut buf) {
            // 0 bytes: the client closed its end. This is how TCP says goodbye.
            Ok(0) => {
                eprintln!("{peer}: recv returned 0 bytes; the conversation is over");
                return;
            }
            Ok(n) => n,
            // A signal interrupted the wait; nothing happened to the connection. Wait again.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            // A reset or any other error: this client is gone, but the server is fine.
            Err(e) => {
                eprintln!("{peer}: {e}; ending this connection");
                return;
            }
        };
        if let Err(e) = conn.write_all(&buf[..n].to_ascii_uppercase()) {
            eprintln!("{peer}: {e}; ending this connection");
            return;
        }
    }
}

/// Sends each non-empty line as one message and prints each reply, until the input ends or a
/// line says `q`.
// TODO 2
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
