//! Exercise 5: the sticky-packet problem (粘包现象).
//!
//! This is exercise 4, solved: an echo server, a thread per client. Make it the tutorial's
//! remote command service instead, with three built-in commands (the tutorial runs a real
//! shell; these three show every phenomenon, and run nothing else). Like the tutorial, it trusts
//! one `read` of at most 1024 bytes to be one whole command: that is the flaw this lesson is
//! about, and you keep it. Chapter: lessons/05-sticky-packet.md. The worked stage is
//! src/lessons/sticky_packet.rs.
//! 中文：这是练习 4 的答案：一个回显服务端，每个客户端一个线程。把它改成教程的远程执行命令服务，带
//! 三个内置命令（教程运行的是真正的 shell；这三个命令足以展示每一种现象，此外什么也不运行）。和教程
//! 一样，它相信一次最多 1024 字节的 `read` 就是一条完整的命令：这正是本课要讲的缺陷，你要保留它。章
//! 节：lessons/zh/05-sticky-packet.md。对应的阶段是 src/lessons/sticky_packet.rs。
//!
//! Left for you, each marked `TODO N` where its code goes:
//! 中文：留给你的，每一项都在它的代码该放的地方标着 `TODO N`：
//!
//! - TODO 1: `run_command`: the reply to a command, worded exactly as docs/contracts.md says
//!   ("The built-in commands"): `help` replies `HELP`; `echo TEXT...` the words of TEXT joined
//!   by single spaces, then `\n`; `seq N` the numbers 1 to N, each followed by `\n` (N up to
//!   `MAX_SEQ`; `seq 0` replies nothing at all); anything else a one-line error. The words of a
//!   command are split at whitespace (`split_whitespace`) (chapter: "The code", the built-in
//!   commands).
//!   中文：`run_command`：一条命令的回复，措辞和 docs/contracts.md（"The built-in commands"）说的一
//!   字不差：`help` 回复 `HELP`；`echo TEXT...` 回复 TEXT 的各个词用单个空格连起来，再加 `\n`；
//!   `seq N` 回复 1 到 N 的数，每个后面跟一个 `\n`（N 最大 `MAX_SEQ`；`seq 0` 什么也不回复）；其他
//!   任何东西回复一行错误。命令的词按空白切分（`split_whitespace`）（章节：“代码”，内置命令）。
//! - TODO 2: a command's bytes need not be text: bytes that are not UTF-8 get the reply
//!   `error: the command is not UTF-8 text; try 'help'`, never a panic: a panic would kill
//!   this client's thread, and its connection with it (chapter: "Bytes, not text").
//!   中文：命令的字节不一定是文本：不是 UTF-8 的字节得到回复
//!   `error: the command is not UTF-8 text; try 'help'`，决不 panic：panic 会杀死这个客户端的线程，
//!   连同它的连接（章节：“是字节，不是文本：教程里的 `decode('gbk')`”）。
//!
//! The client is exercise 3's, unchanged: try `seq 1000`, then `echo hi`, and watch the replies
//! fall out of step. Check it: `cargo run --bin learn -- check 5`.
//! 中文：客户端就是练习 3 的，不用改：试试 `seq 1000`，再试 `echo hi`，看回复怎样对不上号。检查它：
//! `cargo run --bin learn -- check 5`。

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

/// Serves every client at the same time, each on its own thread, until the program is stopped.
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
        // The flaw this lesson is about: these n bytes are taken to be exactly one command.
        let output = run_command(&buf[..n]);
        if let Err(e) = conn.write_all(&output) {
            eprintln!("{peer}: {e}; ending this connection");
            return;
        }
    }
}

/// What `help` replies: the command list.
#[allow(dead_code)] // for TODO 1
const HELP: &str = "commands:
  help          this list
  echo TEXT...  prints TEXT
  seq N         prints the numbers 1 to N, one per line (N up to 1000000)
Only these run here; other commands (ls, dir, ...) need a server started with --shell.
";

/// The largest N that `seq N` prints: a reply of 6,888,896 bytes.
#[allow(dead_code)] // for TODO 1
const MAX_SEQ: u64 = 1_000_000;

/// Runs one command and returns its output: the reply, exactly as the contract words it
/// (docs/contracts.md, "The command service").
fn run_command(request: &[u8]) -> Vec<u8> {
    // TODO 2
    // TODO 1
    request.to_ascii_uppercase()
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
