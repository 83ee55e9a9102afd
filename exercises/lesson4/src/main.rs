//! Exercise 4: concurrency (支持并发).
//!
//! This is exercise 3, solved: while it talks to one client, the next waits, connected but
//! unanswered. Serve every client at once.
//! Chapter: lessons/04-concurrent.md. The worked stage is src/lessons/concurrent.rs.
//! 中文：这是练习 3 的答案：它和一个客户端通信的时候，下一个客户端已经连上了，却没人理它。让它同时
//! 服务每一个客户端。章节：lessons/zh/04-concurrent.md。对应的阶段是 src/lessons/concurrent.rs。
//!
//! Left for you, marked `TODO 1` where its code goes:
//! 中文：留给你的，在它的代码该放的地方标着 `TODO 1`：
//!
//! - TODO 1: a thread per client: hand the connection to a new thread
//!   (`std::thread::spawn(move || ...)`, or `thread::Builder` to name it after its client) and
//!   go straight back to `accept`. `move` gives the connection to that thread alone. Do not wait
//!   for the thread (`join`) in the loop: that would be one client at a time again. If a thread
//!   cannot be started, say so and hang up on that client only (chapter: "Why it works", a
//!   thread per client; a small stack, and a name).
//!   中文：每个客户端一个线程：把连接交给一个新线程（`std::thread::spawn(move || ...)`，或者用
//!   `thread::Builder` 按它的客户端给线程起名），然后直接回到 `accept`。`move` 把连接只交给那一个线
//!   程。不要在循环里等这个线程（`join`）：那又变成一次一个客户端了。如果线程启动不了，就说出来，只
//!   挂断那一个客户端（章节：“为什么能行”，每个客户端一个线程；一个小栈，一个名字）。
//!
//! The communication loop and the client are exercise 3's, unchanged.
//! Check it: `cargo run --bin learn -- check 4`.
//! 中文：通信循环和客户端都是练习 3 的，不用改。检查它：`cargo run --bin learn -- check 4`。

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;

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

/// Serves clients one after another, each for as long as it stays connected.
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
        // TODO 1
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
