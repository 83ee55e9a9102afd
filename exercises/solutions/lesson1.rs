//! Exercise 1, solved: the most basic version (最基础版本).
//!
//! The server goes socket → bind → listen → accept → recv → send → close, once; the client
//! socket → connect → send → recv → close. The worked stage is `src/lessons/basic.rs`.

use std::env;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
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

    // accept: wait for a client. `conn` is a new socket, for talking to that one client.
    let (mut conn, peer) = listener.accept()?;
    eprintln!("{peer} connected");

    // recv(1024): whatever has arrived, at most 1024 bytes; `n` says how many.
    // ANCHOR: recv
    let mut buf = [0u8; 1024];
    let n = conn.read(&mut buf)?;
    // ANCHOR_END: recv

    // send: the bytes with a-z uppercased, like Python's bytes.upper(); `write_all` sends all.
    conn.write_all(&buf[..n].to_ascii_uppercase())?;
    eprintln!("{peer}: served one message; exiting");
    Ok(())
    // close: `conn` and `listener` are dropped here, and with them both sockets.
}

/// Sends the first line of input as one message and prints the reply.
fn client(addr: &str) -> io::Result<()> {
    // socket → connect: fails at once if nobody is listening.
    let mut phone = TcpStream::connect(addr)?;

    // send: the first line, without its line end. No input at all: nothing to send.
    let Some(line) = io::stdin().lines().next() else {
        return Ok(());
    };
    phone.write_all(line?.as_bytes())?;

    // recv(1024), and print what came, as it came.
    let mut reply = [0u8; 1024];
    let n = phone.read(&mut reply)?;
    let mut stdout = io::stdout();
    stdout.write_all(&reply[..n])?;
    writeln!(stdout)?;
    Ok(())
}
