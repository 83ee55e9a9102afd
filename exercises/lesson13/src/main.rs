//! Exercise 13: one thread, many sockets (I/O 多路复用).
//!
//! This is exercise 4, solved: a thread for every client, each blocked in its own `read`.
//! Serve every client on this one thread instead: nonblocking sockets, and one loop that asks
//! the kernel which of them are ready. This exercise may use the `mio` crate, the stage's own
//! (already in Cargo.toml: `mio::{Poll, Events, Interest, Token}`, `mio::net::{TcpListener,
//! TcpStream}`): the standard library can make a socket nonblocking, but has no way to wait
//! for many at once. Chapter: lessons/13-event-loop.md. The worked stage is
//! src/lessons/event_loop.rs.
//! 中文：这是练习 4 的答案：每个客户端一个线程，每个线程阻塞在它自己的 `read` 里。改成在这一个线程
//! 上服务每一个客户端：非阻塞的套接字，加上一个循环，问内核它们当中哪些就绪了。这个练习可以用 `mio`
//! crate，也就是阶段自己用的那个（已经在 Cargo.toml 里：`mio::{Poll, Events, Interest, Token}`，
//! `mio::net::{TcpListener, TcpStream}`）：标准库能把套接字设成非阻塞，却没有办法同时等许多个。章
//! 节：lessons/zh/13-event-loop.md。对应的阶段是 src/lessons/event_loop.rs。
//!
//! Left for you, each marked `TODO N` where its code goes:
//! 中文：留给你的，每一项都在它的代码该放的地方标着 `TODO N`：
//!
//! - TODO 1: the loop: make the listener nonblocking (`set_nonblocking(true)`, then
//!   `mio::net::TcpListener::from_std`), register it with a `Poll` under a `Token` of its own,
//!   and loop on `poll.poll(&mut events, None)`, serving each ready token in turn; keep every
//!   client in a `HashMap<Token, Client>` (chapter: "Ready, not waiting").
//!   中文：事件循环：把监听套接字设成非阻塞（`set_nonblocking(true)`，然后
//!   `mio::net::TcpListener::from_std`），用它自己的一个 `Token` 注册到一个 `Poll` 上，然后在
//!   `poll.poll(&mut events, None)` 上循环，依次处理每一个就绪的 token；把每个客户端放在一个
//!   `HashMap<Token, Client>` 里（章节：“就绪，而不是等待”）。
//! - TODO 2: when the listener is ready, accept until `accept` says `WouldBlock` (several may
//!   be waiting for one event), and register each client, `READABLE | WRITABLE`, under a new
//!   token, instead of starting a thread for it.
//!   中文：监听套接字就绪时，一直 `accept`，直到它说 `WouldBlock`（一个事件背后可能有好几个在等），
//!   把每个客户端以 `READABLE | WRITABLE` 注册到一个新的 token 下，而不是为它启动一个线程。
//! - TODO 3: when a client is ready, read until `read` says `WouldBlock`: `poll` reports a
//!   socket once as it *becomes* ready, so bytes left unread are never mentioned again
//!   (chapter: "Until `WouldBlock`, every time"). `Ok(0)` is still the goodbye, `WouldBlock` is
//!   not an error: it means "nothing more for now, back to the loop".
//!   中文：客户端就绪时，一直读，直到 `read` 说 `WouldBlock`：`poll` 只在套接字*变成*就绪的那一刻报
//!   告一次，没读完的字节再也不会被提起（章节：“每一次都要读到 `WouldBlock`”）。`Ok(0)` 仍然是告
//!   别，`WouldBlock` 不是错误：它的意思是“暂时没有了，回到循环去”。
//! - TODO 4: keep each client's replies in a buffer of its own and write what the socket takes
//!   (`write`, not `write_all`): a short write, or `WouldBlock`, leaves the rest in the buffer
//!   for the next time the socket is writable; it is not an error (chapter: "The short write,
//!   kept"). Stop reading a client that owes more than `OWED_AT_MOST`.
//!   中文：把每个客户端的回复放在它自己的缓冲区里，套接字收多少就写多少（用 `write`，不用
//!   `write_all`）：短写或者 `WouldBlock` 把剩下的留在缓冲区里，等下次套接字可写时再写；这不是错误
//!   （章节：“短写，保存下来”）。一个客户端欠着的超过 `OWED_AT_MOST`，就不再读它。
//!
//! The echo and the client are exercise 4's, unchanged.
//! Check it: `cargo run --bin learn -- check 13`.
//! 中文：回显和客户端都是练习 4 的，不用改。检查它：`cargo run --bin learn -- check 13`。

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;

/// The stage's own address: this program and `cargo run --bin lesson13` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8013";

/// How much a client may owe us (replies it has not read) before we stop reading what it sends.
#[allow(dead_code)] // for TODO 4
const OWED_AT_MOST: usize = 64 * 1024;

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: lesson13 server|client [--addr HOST:PORT]");
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
    // TODO 1

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
        // TODO 2
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
        // TODO 3
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
        // TODO 4
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
