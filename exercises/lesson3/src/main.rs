//! Exercise 3: the communication loop (加入通信循环).
//!
//! This is exercise 2, solved: one message per connection. Make one client able to send many,
//! until it leaves, and make the client send every line you type.
//! Chapter: lessons/03-communication-loop.md. The worked stage is
//! src/lessons/communication_loop.rs.
//! 中文：这是练习 2 的答案：每个连接一条消息。让一个客户端能发送许多条消息，直到它离开；再让客户端
//! 发送你输入的每一行。章节：lessons/zh/03-communication-loop.md。对应的阶段是
//! src/lessons/communication_loop.rs。
//!
//! Left for you, each marked `TODO N` where its code goes:
//! 中文：留给你的，每一项都在它的代码该放的地方标着 `TODO N`：
//!
//! - TODO 1: the communication loop (通信循环): read, reply, and read again, until the client
//!   leaves (chapter: "The code"). Call it `serve_one_client`: it returns nothing, because no
//!   error of one client may end the server.
//!   中文：通信循环：读，回复，再读，直到客户端离开（章节：“代码”）。把它叫作 `serve_one_client`：
//!   它什么也不返回，因为一个客户端的任何错误都不能结束服务端。
//! - TODO 2: `read` returning 0 bytes means the client closed its end: this conversation is
//!   over, go back to `accept` (chapter: "Why it works", 0 bytes means "the peer closed").
//!   中文：`read` 返回 0 字节，表示客户端关闭了它那一端：这场对话结束了，回到 `accept`（章节：“为什
//!   么能行”，0 字节意味着“对端关闭了”）。
//! - TODO 3: a reset is not a crash: any error ends this client's conversation only; an
//!   `ErrorKind::Interrupted` only means "read again" (chapter: "Why it works", a reset is not
//!   a crash).
//!   中文：重置不是崩溃：任何错误都只结束这一个客户端的对话；`ErrorKind::Interrupted` 只是“再读一
//!   次”的意思（章节：“为什么能行”，重置不是崩溃）。
//! - TODO 4: the client loops over every line: it skips an empty line (sending 0 bytes sends
//!   nothing, and both sides would wait for ever), stops at a line `q`, and stops when the
//!   server closes (its `read` returns 0) (chapter: "Why it works", why an empty send hangs both
//!   sides).
//!   中文：客户端对每一行循环：跳过空行（发送 0 字节什么也没发出去，两边就会永远等下去），遇到一行
//!   `q` 就停，服务端关闭时（它的 `read` 返回 0）也停（章节：“为什么能行”，为什么发送空消息会让两边
//!   都卡住）。
//!
//! Check it: `cargo run --bin learn -- check 3`.
//! 中文：检查它：`cargo run --bin learn -- check 3`。

use std::env;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;

/// The stage's own address: this program and `cargo run --bin lesson3` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8003";

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: lesson3 server|client [--addr HOST:PORT]");
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
        // A client that resets the connection ends its own turn, never the server.
        if let Err(e) = serve_one_message(conn, peer) {
            eprintln!("{peer}: {e}");
        }
    }
}

/// Lesson 1's conversation: one recv, one send, and hang up.
// TODO 1
// TODO 2
// TODO 3
fn serve_one_message(mut conn: TcpStream, peer: SocketAddr) -> io::Result<()> {
    let mut buf = [0u8; 1024];
    let n = conn.read(&mut buf)?;
    conn.write_all(&buf[..n].to_ascii_uppercase())?;
    eprintln!("{peer}: one message served; hanging up");
    Ok(())
    // close: `conn` is dropped here, and the loop goes back to `accept`.
}

/// Sends the first line of input as one message and prints the reply.
// TODO 4
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
