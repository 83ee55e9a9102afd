//! Exercise 2, solved: the connection loop (加入链接循环).
//!
//! A loop around `accept`: after one client the server waits for the next, one message each,
//! and one client's failure (a reset) ends only that client's turn. The client is lesson 1's.
//! The worked stage is `src/lessons/connection_loop.rs`.

use std::env;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;

/// The stage's own address: this program and `cargo run --bin lesson2` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8002";

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: lesson2 server|client [--addr HOST:PORT]");
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

/// Serves clients one after another, one message each, until the program is stopped.
fn server(addr: &str) -> io::Result<()> {
    let listener = TcpListener::bind(addr)?;
    eprintln!("listening on {}", listener.local_addr()?);

    // The connection loop (链接循环): after each client, back to `accept` for the next.
    loop {
        // A connection that failed before we took it is that connection's trouble, not ours.
        let (conn, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("accept: {e}");
                continue;
            }
        };
        eprintln!("{peer} connected");
        // ANCHOR: one_client_trouble
        // A client that resets the connection ends its own turn, never the server.
        if let Err(e) = serve_one_message(conn, peer) {
            eprintln!("{peer}: {e}");
        }
        // ANCHOR_END: one_client_trouble
    }
}

/// Lesson 1's conversation: one recv, one send, and hang up.
fn serve_one_message(mut conn: TcpStream, peer: SocketAddr) -> io::Result<()> {
    let mut buf = [0u8; 1024];
    let n = conn.read(&mut buf)?;
    conn.write_all(&buf[..n].to_ascii_uppercase())?;
    eprintln!("{peer}: one message served; hanging up");
    Ok(())
    // close: `conn` is dropped here, and the loop goes back to `accept`.
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
