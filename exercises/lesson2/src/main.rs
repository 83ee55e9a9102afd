//! Exercise 2: the connection loop (加入链接循环).
//!
//! This is exercise 1, solved: a server that serves one client and exits. Make it serve one
//! client after another, one message each, and never let one client's trouble end it.
//! Chapter: lessons/02-connection-loop.md. The worked stage is src/lessons/connection_loop.rs.
//! 中文：这是练习 1 的答案：一个服务端，服务一个客户端就退出。让它服务完一个客户端再服务下一个，每
//! 个客户端一条消息，而且决不让一个客户端的麻烦结束整个服务端。章节：
//! lessons/zh/02-connection-loop.md。对应的阶段是 src/lessons/connection_loop.rs。
//!
//! Left for you, each marked `TODO N` where its code goes:
//! 中文：留给你的，每一项都在它的代码该放的地方标着 `TODO N`：
//!
//! - TODO 1: the connection loop (链接循环): after one client, go back to `accept` for the next
//!   (chapter: "The code" and "Why it works", the connection loop). Move the conversation into a
//!   function of its own, `serve_one_message(conn, peer)`, as the chapter does.
//!   中文：链接循环：服务完一个客户端，回到 `accept` 等下一个（章节：“代码”和“为什么能行”，链接循
//!   环）。像本章那样，把一次对话挪进它自己的函数 `serve_one_message(conn, peer)`。
//! - TODO 2: one client's trouble is that client's: a failed `accept`, `read` or `write_all` (a
//!   client that resets its connection) is printed on stderr, and the loop goes on. A `?` here
//!   would end the whole server (chapter: "Why it works", one client's trouble is that client's).
//!   中文：一个客户端的麻烦只是那个客户端的：`accept`、`read` 或 `write_all` 失败（比如客户端重置了
//!   连接），就打印到 stderr，循环继续。这里写一个 `?` 会结束整个服务端（章节：“为什么能行”，一个客
//!   户端的麻烦只是那个客户端的）。
//!
//! The client is exercise 1's, unchanged. Check it: `cargo run --bin learn -- check 2`.
//! 中文：客户端就是练习 1 的，不用改。检查它：`cargo run --bin learn -- check 2`。

use std::env;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
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

/// Serves one client, one message, then returns: the program exits.
// TODO 1
// TODO 2
fn server(addr: &str) -> io::Result<()> {
    // socket → bind → listen: the standard library makes all three calls in `bind`.
    let listener = TcpListener::bind(addr)?;
    eprintln!("listening on {}", listener.local_addr()?);

    // accept: wait for a client. `conn` is a new socket, for talking to that one client.
    let (mut conn, peer) = listener.accept()?;
    eprintln!("{peer} connected");

    // recv(1024): whatever has arrived, at most 1024 bytes; `n` says how many.
    let mut buf = [0u8; 1024];
    let n = conn.read(&mut buf)?;

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
