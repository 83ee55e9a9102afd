//! Exercise 11: a server that protects itself (套接字选项, 半连接池, 超时).
//!
//! This is exercise 4, solved, with the guard's three limits already read from the command line
//! (`--max-clients N`, default 512; `--idle SECS`, default 300; `--write-timeout SECS`, default
//! 30; `0` seconds means "never"). Make the server keep them, so that no client can take it
//! down. Chapter: lessons/11-socket-options.md. The worked stage is
//! src/lessons/socket_options.rs, with src/guard.rs.
//! 中文：这是练习 4 的答案，守卫的三个上限已经从命令行读好了（`--max-clients N`，默认 512；
//! `--idle SECS`，默认 300；`--write-timeout SECS`，默认 30；`0` 秒表示“永不”）。让服务端守住它们，
//! 这样就没有哪个客户端能把它拖垮。章节：lessons/zh/11-socket-options.md。对应的阶段是
//! src/lessons/socket_options.rs，以及 src/guard.rs。
//!
//! Left for you, each marked `TODO N` where its code goes:
//! 中文：留给你的，每一项都在它的代码该放的地方标着 `TODO N`：
//!
//! - TODO 1: the cap: count the clients being served (one `Arc<AtomicUsize>`, shared by the
//!   accept loop and every client's thread). A client beyond `--max-clients` is sent exactly
//!   the line in `BUSY` and closed, without a thread (chapter: "The code", the guard).
//!   中文：上限：数一数正在服务的客户端（一个 `Arc<AtomicUsize>`，由 accept 循环和每个客户端的线程
//!   共享）。超出 `--max-clients` 的客户端，只发给它 `BUSY` 里的那一行，然后关闭，不为它启动线程
//!   （章节：“代码”，守卫）。
//! - TODO 2: give the place back however the client's thread ends: a goodbye, a timeout, a
//!   reset, even a panic. A value that gives it back in its `Drop` does it on every way out.
//!   中文：不管客户端的线程怎样结束，都要把名额还回去：告别、超时、重置，甚至 panic。一个在 `Drop`
//!   里归还名额的值，每一条出路都会归还。
//! - TODO 3: the idle and write limits: the connection's read timeout and write timeout
//!   (`set_read_timeout`, `set_write_timeout`: the tutorial's `settimeout`). A read that times
//!   out (`ErrorKind::WouldBlock` or `TimedOut`) is a client silent for too long: hang up on it.
//!   中文：空闲和写的上限：连接的读超时和写超时（`set_read_timeout`、`set_write_timeout`：教程的
//!   `settimeout`）。一次超时的读（`ErrorKind::WouldBlock` 或 `TimedOut`）就是一个沉默太久的客户
//!   端：挂断它。
//! - TODO 4: the client waits at most `CLIENT_TIMEOUT` for each reply; a reply that does not
//!   come is an error, not a hang.
//!   中文：客户端每个回复最多等 `CLIENT_TIMEOUT`；不来的回复是一个错误，而不是卡住不动。
//!
//! Check it: `cargo run --bin learn -- check 11`.
//! 中文：检查它：`cargo run --bin learn -- check 11`。

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

/// What a client beyond the cap is told, before it is closed.
#[allow(dead_code)] // for TODO 1
const BUSY: &[u8] = b"busy: the server is serving as many clients as it can; try again later\n";

/// How long the client waits for each reply.
#[allow(dead_code)] // for TODO 4
const CLIENT_TIMEOUT: Duration = Duration::from_secs(2);

/// The stage's own address: this program and `cargo run --bin lesson11` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8011";

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!(
            "usage: lesson11 server [--addr HOST:PORT] [--max-clients N] [--idle SECS] \
             [--write-timeout SECS] | client [--addr HOST:PORT]"
        );
        return ExitCode::from(2);
    };
    let result = match options.mode.as_str() {
        "server" => server(&options),
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
    /// The most clients served at once.
    max_clients: usize,
    /// How long a client may send nothing; `None`: for ever.
    idle: Option<Duration>,
    /// How long a write to a client that reads nothing may wait; `None`: for ever.
    write_timeout: Option<Duration>,
}

/// `server` or `client`, then `--addr HOST:PORT` and the guard's limits (server) if given.
/// `None` for anything else.
fn parse_args() -> Option<Options> {
    let mut args = env::args().skip(1);
    let mode = args
        .next()
        .filter(|mode| mode == "server" || mode == "client")?;
    let mut options = Options {
        mode,
        addr: DEFAULT_ADDR.to_string(),
        max_clients: 512,
        idle: Some(Duration::from_secs(300)),
        write_timeout: Some(Duration::from_secs(30)),
    };
    while let Some(flag) = args.next() {
        let value = args.next()?;
        match flag.as_str() {
            "--addr" => options.addr = value,
            "--max-clients" => options.max_clients = value.parse().ok().filter(|&n| n > 0)?,
            "--idle" => options.idle = seconds(&value)?,
            "--write-timeout" => options.write_timeout = seconds(&value)?,
            _ => return None,
        }
    }
    Some(options)
}

/// A number of seconds (`0.5` is fine); `0` is "never", a time limit of `None`.
fn seconds(text: &str) -> Option<Option<Duration>> {
    let limit = Duration::try_from_secs_f64(text.parse().ok()?).ok()?;
    Some((!limit.is_zero()).then_some(limit))
}

/// Serves every client at the same time, each on its own thread, until the program is stopped.
fn server(options: &Options) -> io::Result<()> {
    let listener = TcpListener::bind(&options.addr)?;
    eprintln!("listening on {}", listener.local_addr()?);
    eprintln!(
        "at most {} clients at once; idle limit {:?}, write limit {:?}",
        options.max_clients, options.idle, options.write_timeout
    );

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
        // TODO 1
        // TODO 2
        // TODO 3
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
fn client(addr: &str) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    // TODO 4
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
