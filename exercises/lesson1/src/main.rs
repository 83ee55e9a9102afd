//! Exercise 1: the most basic version (最基础版本).
//!
//! Write the tutorial's first two scripts: a server that takes one client, reads one message and
//! replies with it uppercased, then exits; and a client that sends the first line you type and
//! prints the reply. Chapter: lessons/01-basic.md. The worked stage is src/lessons/basic.rs.
//! 中文：亲手写出教程的前两个脚本：一个服务端，接受一个客户端，读一条消息，把它转成大写回复，然后退
//! 出；一个客户端，发送你输入的第一行，打印回复。章节：lessons/zh/01-basic.md。对应的阶段是
//! src/lessons/basic.rs。
//!
//! Done for you: the command line (`server` or `client`, `--addr HOST:PORT`) and the server's
//! `listening on ADDR` line. Left for you, each marked `TODO N` where its code goes:
//! 中文：已经写好的：命令行（`server` 或 `client`，`--addr HOST:PORT`）和服务端的
//! `listening on ADDR` 那一行。留给你的，每一项都在它的代码该放的地方标着 `TODO N`：
//!
//! - TODO 1: accept one client. `listener.accept()` waits for it and gives you a new socket
//!   for talking to it, and its address (chapter: "Why it works", two sockets).
//!   中文：接受一个客户端。`listener.accept()` 等它连进来，给你一个新的套接字专门和它通信，以及它的
//!   地址（章节：“为什么能行”，两个套接字）。
//! - TODO 2: read once, at most 1024 bytes (`read` into a `[0u8; 1024]` buffer: only the first
//!   `n` bytes are the message), and send them back with a-z uppercased
//!   (`to_ascii_uppercase`), every byte of them (`write_all`). Then return: the program exits
//!   (chapter: "Why it works", `read` fills a buffer you own, `write_all`, the echo rule).
//!   中文：读一次，最多 1024 字节（`read` 进一个 `[0u8; 1024]` 缓冲区：只有前 `n` 个字节是消息），
//!   把其中的 a-z 转成大写（`to_ascii_uppercase`）发回去，一个字节也不少（`write_all`）。然后返回：
//!   程序退出（章节：“为什么能行”，`read` 填的是你自己的缓冲区，`write_all`，回显的规则）。
//! - TODO 3: the client. Connect (`TcpStream::connect`), send the first line of input without
//!   its line end, read the reply once (at most 1024 bytes) and print it, then a newline
//!   (chapter: "The code", the client). `Read` and `Write` are traits: the compiler will tell
//!   you which `use` line they need.
//!   中文：客户端。连接（`TcpStream::connect`），发送输入的第一行（不带行尾），读一次回复（最多
//!   1024 字节），打印出来，再加一个换行（章节：“代码”，客户端）。`Read` 和 `Write` 是 trait：编译
//!   器会告诉你需要哪一行 `use`。
//!
//! Try it: `cargo run -- server` here, and `cargo run -- client` in a second terminal. Check it:
//! `cargo run --bin learn -- check 1` from the top of the repository.
//! 中文：试一试：在这里运行 `cargo run -- server`，在第二个终端里运行 `cargo run -- client`。检查
//! 它：在仓库根目录下运行 `cargo run --bin learn -- check 1`。

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
