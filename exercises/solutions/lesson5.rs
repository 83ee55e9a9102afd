//! Exercise 5, solved: the sticky-packet problem (粘包现象), on purpose.
//!
//! Lesson 4's server runs commands instead of echoing: the built-in `help`, `echo` and `seq`
//! (the tutorial runs a real shell; these three show every phenomenon and run nothing else). Like
//! the tutorial, it trusts one `recv(1024)` to be one whole command, and the client trusts one
//! `recv(1024)` to be one whole reply: that is the lesson's flaw, kept. The client is lesson 3's.
//! The worked stage is `src/lessons/sticky_packet.rs`.

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;

/// The stage's own address: this program and `cargo run --bin lesson5` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8005";

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: lesson5 server|client [--addr HOST:PORT]");
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

/// The communication loop: run every command until the client leaves.
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
        // The flaw this lesson is about: these n bytes are taken to be exactly one command.
        let output = run_command(&buf[..n]);
        eprintln!("{peer}: {} bytes of output", output.len());
        // One `write_all` of the whole output, with nothing to say where it ends.
        if let Err(e) = conn.write_all(&output) {
            eprintln!("{peer}: {e}; ending this connection");
            return;
        }
    }
}

/// What `help` replies: the command list.
const HELP: &str = "commands:
  help          this list
  echo TEXT...  prints TEXT
  seq N         prints the numbers 1 to N, one per line (N up to 1000000)
Only these run here; other commands (ls, dir, ...) need a server started with --shell.
";

/// The largest N that `seq N` prints: a reply of 6,888,896 bytes.
const MAX_SEQ: u64 = 1_000_000;

/// Runs one command and returns its output: the reply, exactly as the contract words it
/// (docs/contracts.md, "The command service").
fn run_command(request: &[u8]) -> Vec<u8> {
    // ANCHOR: decode
    // The peer's bytes need not be text: that is an answer, never a crash.
    let Ok(command) = std::str::from_utf8(request) else {
        return b"error: the command is not UTF-8 text; try 'help'\n".to_vec();
    };
    // ANCHOR_END: decode
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
