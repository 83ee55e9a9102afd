//! Exercise 1: the most basic version (最基础版本).
//!
//! Write the tutorial's first two scripts: a server that takes one client, reads one message and
//! replies with it uppercased, then exits; and a client that sends the first line you type and
//! prints the reply. Chapter: lessons/01-basic.md. The worked stage is src/lessons/basic.rs.
//!
//! Done for you: the command line (`server` or `client`, `--addr HOST:PORT`) and the server's
//! `listening on ADDR` line. Left for you, each marked `TODO N` where its code goes:
//!
//! - TODO 1: accept one client. `listener.accept()` waits for it and gives you a new socket
//!   for talking to it, and its address (chapter: "Why it works", two sockets).
//! - TODO 2: read once, at most 1024 bytes (`read` into a `[0u8; 1024]` buffer: only the first
//!   `n` bytes are the message), and send them back with a-z uppercased
//!   (`to_ascii_uppercase`), every byte of them (`write_all`). Then return: the program exits
//!   (chapter: "Why it works", `read` fills a buffer you own, `write_all`, the echo rule).
//! - TODO 3: the client. Connect (`TcpStream::connect`), send the first line of input without
//!   its line end, read the reply once (at most 1024 bytes) and print it, then a newline
//!   (chapter: "The code", the client). `Read` and `Write` are traits: the compiler will tell
//!   you which `use` line they need.
//!
//! Try it: `cargo run -- server` here, and `cargo run -- client` in a second terminal. Check it:
//! `cargo run --bin learn -- check 1` from the top of the repository.

use std::env;
use std::io;
use std::net::TcpListener;
use std::process::ExitCode;

/// The stage's own address: this program and `cargo run --bin lesson1` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8001";

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: lesson1 server|client [--addr HOST:PORT]");
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

/// Serves one client, one message, then returns: the program exits.
fn server(addr: &str) -> io::Result<()> {
    // socket → bind → listen: the standard library makes all three calls in `bind`.
    let listener = TcpListener::bind(addr)?;
    eprintln!("listening on {}", listener.local_addr()?);

    // TODO 1

    // TODO 2

    todo!()
}

/// Sends the first line of input as one message and prints the reply.
fn client(addr: &str) -> io::Result<()> {
    // TODO 3
    todo!("connect to {addr}")
}
