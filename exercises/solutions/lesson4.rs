//! Exercise 4, solved: concurrency (支持并发).
//!
//! One thread per client: the accept loop hands each connection to a new thread and goes
//! straight back to `accept`. The communication loop and the client are lesson 3's.
//! The worked stage is `src/lessons/concurrent.rs`.

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;

/// The stage's own address: this program and `cargo run --bin lesson4` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8004";

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: lesson4 server|client [--addr HOST:PORT]");
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

/// Serves every client at the same time, each on its own thread, until the program is stopped.
fn server(addr: &str) -> io::Result<()> {
    let listener = TcpListener::bind(addr)?;
    eprintln!("listening on {}", listener.local_addr()?);

    // The connection loop, as in lesson 2; but serving happens on another thread.
    loop {
        let (conn, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("accept: {e}");
                continue;
            }
        };
        eprintln!("{peer} connected");
        // ANCHOR: spawn
        // `move`: the connection now belongs to the new thread alone. The thread is named after
        // its client, so a panic message says whom it served. Nobody waits for it here: the
        // loop goes straight back to `accept`.
        let spawned = thread::Builder::new()
            .name(format!("client {peer}"))
            .spawn(move || serve_one_client(conn, peer));
        // Out of threads or memory: this client is turned away (its connection closes as the
        // closure holding it is dropped); everyone already connected carries on.
        if let Err(e) = spawned {
            eprintln!("{peer}: cannot start a thread ({e}); hanging up");
        }
        // ANCHOR_END: spawn
    }
}

/// The communication loop (通信循环): echo every message until the client leaves.
fn serve_one_client(mut conn: TcpStream, peer: SocketAddr) {
    let mut buf = [0u8; 1024];
    loop {
        let n = match conn.read(&mut buf) {
            // ANCHOR: end_of_stream
            // 0 bytes: the client closed its end. This is how TCP says goodbye.
            Ok(0) => {
                eprintln!("{peer}: recv returned 0 bytes; the conversation is over");
                return;
            }
            // ANCHOR_END: end_of_stream
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
