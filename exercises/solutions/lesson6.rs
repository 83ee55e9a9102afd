//! Exercise 6, solved: the fixed header (解决粘包: 初级版 → 终极版).
//!
//! Lesson 5's command service, but every message, in both directions, travels as a frame
//! (`frame.rs`): the reader reads exactly each part, so glued or split, every message arrives
//! whole, and an empty reply is a frame too. A bad frame ends that one connection, with an error
//! frame saying why. The worked stage is `src/lessons/fixed_header.rs`.

use std::env;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;

mod frame;

/// The stage's own address: this program and `cargo run --bin lesson6` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8006";

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: lesson6 server|client [--addr HOST:PORT]");
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

/// Runs every client's commands at the same time, each client on its own thread, until the
/// program is stopped.
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
    }
}

/// The communication loop, one whole frame at a time, until the client leaves.
fn serve_one_client(mut conn: TcpStream, peer: SocketAddr) {
    loop {
        // Exactly one request, however its bytes were cut up or glued together on the way.
        let request = match frame::read_frame(&mut conn, MAX_REQUEST) {
            Ok(Some(request)) => request,
            // The stream ended between two frames: the client said goodbye.
            Ok(None) => {
                eprintln!("{peer}: the stream ended between frames; the conversation is over");
                return;
            }
            // A broken or hostile frame, or a reset: this client is done; the server is not.
            Err(e) => return refuse(&mut conn, peer, &e.to_string()),
        };
        // ANCHOR: md5_check
        // The md5 catches a body that is not the one the header describes: run nothing then.
        if let Err(e) = request.check_md5() {
            return refuse(
                &mut conn,
                peer,
                &format!("the request's md5 does not match: {e}"),
            );
        }
        // ANCHOR_END: md5_check
        let output = run_command(&request.body);
        eprintln!("{peer}: {} bytes of output", output.len());
        // The reply is a frame too, so the client knows exactly how much to read; even an empty
        // output (`seq 0`) is a frame, and the client is not left waiting.
        if let Err(e) = frame::write_frame(&mut conn, &output) {
            eprintln!("{peer}: {e}; ending this connection");
            return;
        }
    }
}

/// Ends a connection whose request broke the protocol, saying why first (where the peer can
/// still hear it).
fn refuse(conn: &mut TcpStream, peer: SocketAddr, reason: &str) {
    eprintln!("{peer}: {reason}; ending this connection");
    let _ = frame::write_error(conn, reason);
}

/// What `help` replies: the command list.
const HELP: &str = "commands:
  help          this list
  echo TEXT...  prints TEXT
  seq N         prints the numbers 1 to N, one per line (N up to 1000000)
Only these run here; other commands (ls, dir, ...) need a server started with --shell.
";

/// The longest request body the server reads: 8 MiB (docs/contracts.md, "Limits").
const MAX_REQUEST: u64 = 8 * 1024 * 1024;
/// The longest reply body the client reads: 128 MiB.
const MAX_REPLY: u64 = 128 * 1024 * 1024;

/// The largest N that `seq N` prints: a reply of 6,888,896 bytes.
const MAX_SEQ: u64 = 1_000_000;

/// Runs one command and returns its output: the reply, exactly as the contract words it
/// (docs/contracts.md, "The command service").
fn run_command(request: &[u8]) -> Vec<u8> {
    // The peer's bytes need not be text: that is an answer, never a crash.
    let Ok(command) = std::str::from_utf8(request) else {
        return b"error: the command is not UTF-8 text; try 'help'\n".to_vec();
    };
    let mut words = command.split_whitespace();
    let output = match words.next() {
        None => "error: empty command; try 'help'\n".to_string(),
        Some("help") => HELP.to_string(),
        Some("echo") => format!("{}\n", words.collect::<Vec<_>>().join(" ")),
        Some("seq") => match (words.next(), words.next()) {
            (Some(n), None) => seq(n),
            _ => "seq: expected one number, as in 'seq 10'\n".to_string(),
        },
        Some(other) => format!(
            "unknown command '{other}': this server runs only help, echo and seq \
             (any command only when started with --shell); try 'help'\n"
        ),
    };
    output.into_bytes()
}

/// `seq N`: the numbers 1 to N, one per line, like coreutils' seq.
fn seq(n: &str) -> String {
    match n.parse::<u64>() {
        Ok(n) if n <= MAX_SEQ => (1..=n).map(|i| format!("{i}\n")).collect(),
        Ok(_) => format!("seq: {n} is too large; the most is {MAX_SEQ}\n"),
        Err(_) => format!("seq: '{n}' is not a whole number\n"),
    }
}

/// Sends each non-empty line as one request frame and prints each reply frame's body, until
/// the input ends or a line says `q`.
fn client(addr: &str) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    let mut stdout = io::stdout();
    for line in io::stdin().lines() {
        let command = line?;
        if command.is_empty() {
            continue;
        }
        if command == "q" {
            break;
        }
        frame::write_frame(&mut phone, command.as_bytes())?;
        // The whole reply, however long: its header said how long.
        let Some(reply) = frame::read_frame(&mut phone, MAX_REPLY)? else {
            eprintln!("the server closed the connection");
            break;
        };
        if let Some(reason) = reply.text("error") {
            return Err(io::Error::other(format!("the server refused: {reason}")));
        }
        reply.check_md5().map_err(io::Error::other)?;
        stdout.write_all(&reply.body)?;
        stdout.flush()?;
    }
    Ok(())
}
