//! Exercise 7, solved: UDP (基于UDP的套接字).
//!
//! One socket and one loop, no `listen`, no `accept`, no connection: `recv_from` gives a
//! datagram and its sender, `send_to` answers there. A datagram keeps its boundaries, so an
//! empty one is a message too. The client sends every line, the empty ones included, and waits
//! for each reply only so long: a datagram can be lost. The worked stage is `src/lessons/udp.rs`.

use std::env;
use std::io::{self, ErrorKind, Write};
use std::net::UdpSocket;
use std::process::ExitCode;
use std::time::Duration;

/// How long the client waits for each reply: after that, the datagram or its reply is taken
/// to be lost (UDP sends nothing again).
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

/// Answers every datagram, from any client, one after another, until the program is stopped.
fn server(addr: &str) -> io::Result<()> {
    // socket → bind: a datagram socket has nothing to listen for and nothing to accept.
    let socket = UdpSocket::bind(addr)?;
    eprintln!("listening on {}", socket.local_addr()?);
    let mut buf = [0u8; 1024];
    // The communication loop, with no connection around it: each datagram says who sent it.
    loop {
        // recvfrom(1024): exactly one datagram (cut to 1024 bytes if longer), and its sender.
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(received) => received,
            // An error is about one datagram (Windows reports here that an earlier reply found
            // nobody listening), not about the server: serve on.
            Err(e) => {
                eprintln!("recv_from: {e}; serving on");
                continue;
            }
        };
        eprintln!("{from}: {n} bytes");
        // ANCHOR: empty_datagram
        // 0 bytes is no goodbye here: UDP has no connection to end. It was an empty datagram,
        // and it gets an empty reply like any other.
        // ANCHOR_END: empty_datagram
        // Whether the reply arrives, nobody tells us; one that cannot even be sent is dropped
        // like a lost one.
        let _ = socket.send_to(&buf[..n].to_ascii_uppercase(), from);
    }
}

/// Sends each line, even an empty one, as one datagram and prints each reply, until the input
/// ends or a line says `q`.
fn client(addr: &str) -> io::Result<()> {
    // A socket of our own on any free port. `connect` sends nothing: it says where our
    // datagrams go, that we take replies from there alone, and lets the kernel tell us when
    // nobody listens there (Connection refused).
    let phone = UdpSocket::bind("0.0.0.0:0")?;
    phone.connect(addr)?;
    phone.set_read_timeout(Some(REPLY_TIMEOUT))?;
    let mut reply = [0u8; 1024];
    let mut stdout = io::stdout();
    for line in io::stdin().lines() {
        let message = line?;
        // No empty-line check, unlike lesson 3: an empty datagram is still a datagram.
        if message == "q" {
            break;
        }
        phone.send(message.as_bytes())?;
        match phone.recv(&mut reply) {
            Ok(n) => {
                stdout.write_all(&reply[..n])?;
                writeln!(stdout)?;
            }
            // Nobody listens there at all: that ends the client.
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => return Err(e),
            // The wait ran out: nobody will send the datagram again, so give up on it.
            Err(_) => {
                eprintln!("no reply: the datagram or its reply may be lost, and UDP does not retry")
            }
        }
    }
    Ok(())
}
