//! Exercise 7: UDP (基于UDP的套接字).
//!
//! This is exercise 3, solved: an echo over TCP. Make it the tutorial's UDP echo: one socket,
//! one loop, no connection. Chapter: lessons/07-udp.md. The worked stage is src/lessons/udp.rs.
//! 中文：这是练习 3 的答案：TCP 上的回显。把它改成教程的 UDP 回显：一个套接字，一个循环，没有连接。
//! 章节：lessons/zh/07-udp.md。对应的阶段是 src/lessons/udp.rs。
//!
//! Left for you, each marked `TODO N` where its code goes:
//! 中文：留给你的，每一项都在它的代码该放的地方标着 `TODO N`：
//!
//! - TODO 1: the server: a datagram socket (`std::net::UdpSocket::bind`; it prints the same
//!   `listening on ADDR` line), no `listen`, no `accept`, no thread: one loop of `recv_from`
//!   into a 1024-byte buffer, which gives one datagram and who sent it, and `send_to` of its
//!   echo back to that sender. An empty datagram is a message too: it gets an empty reply, and
//!   nothing ends the loop (chapter: "The code"; "Why it works", 0 bytes is a message, not a
//!   goodbye).
//!   中文：服务端：一个数据报套接字（`std::net::UdpSocket::bind`；它打印同样的 `listening on ADDR`
//!   那一行），没有 `listen`，没有 `accept`，没有线程：一个循环，`recv_from` 进一个 1024 字节的缓冲
//!   区，得到一个数据报和它的发送者，再用 `send_to` 把回显发回给那个发送者。空数据报也是一条消息：
//!   它得到一个空回复，什么也不会结束这个循环（章节：“代码”；“为什么能行”，0 字节是一条消息，不是告
//!   别）。
//! - TODO 2: the client: a socket of its own on any free port (`UdpSocket::bind("0.0.0.0:0")`),
//!   `connect`ed to the server (it sends nothing, and lets the kernel tell you when nobody
//!   listens), with a read timeout of `REPLY_TIMEOUT`. Every line, even an empty one, is one
//!   datagram; a line `q` ends the client. A reply that does not come in time is given up on
//!   (a message on stderr), and the client goes on with the next line (chapter: "Why it works",
//!   `connect` on a UDP socket; why the client stops waiting).
//!   中文：客户端：一个自己的套接字，用任意空闲端口（`UdpSocket::bind("0.0.0.0:0")`），`connect` 到
//!   服务端（它什么也不发送，只是让内核在没人监听时告诉你），读超时设为 `REPLY_TIMEOUT`。每一行，哪
//!   怕是空行，都是一个数据报；一行 `q` 结束客户端。没有按时到达的回复就不再等了（在 stderr 上说一
//!   句），客户端接着处理下一行（章节：“为什么能行”，UDP 套接字上的 `connect`；为什么客户端不再等下
//!   去）。
//!
//! Check it: `cargo run --bin learn -- check 7`.
//! 中文：检查它：`cargo run --bin learn -- check 7`。

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

/// How long the client waits for each reply.
#[allow(dead_code)] // for TODO 2
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

/// Serves clients one after another, each for as long as it stays connected.
// TODO 1
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
// TODO 2
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
