//! Exercise 6: the fixed header (解决粘包: 初级版 → 终极版).
//!
//! This is exercise 5, solved: commands and replies travel bare, and one `read` is trusted to be
//! one message. Send every message, both ways, as the tutorial's 终极版 frame, with its two
//! fixes: 4 bytes, big-endian (`'!I'`, not `'i'`), giving the length of a JSON header
//! `{"total_size": N, "md5": "..."}`, then the N bytes of the body (docs/contracts.md, "The
//! fixed-header frame"). Chapter: lessons/06-fixed-header.md. The worked stage is
//! src/lessons/fixed_header.rs, with src/frame/.
//! 中文：这是练习 5 的答案：命令和回复光着身子传输，一次 `read` 被当成一条消息。让每一条消息，两个
//! 方向，都用教程的终极版帧来发送，带上它的两处修正：4 个字节，大端序（`'!I'`，不是 `'i'`），给出
//! JSON 报头 `{"total_size": N, "md5": "..."}` 的长度，然后是 N 个字节的正文（docs/contracts.md，
//! "The fixed-header frame"）。章节：lessons/zh/06-fixed-header.md。对应的阶段是
//! src/lessons/fixed_header.rs，以及 src/frame/。
//!
//! Left for you, each marked `TODO N` where its code goes (a module `frame` of your own, in
//! src/frame.rs, is a good home for the first two):
//! 中文：留给你的，每一项都在它的代码该放的地方标着 `TODO N`（前两项很适合放进你自己的模块
//! `frame`，即 src/frame.rs）：
//!
//! - TODO 1: writing a frame: the header as JSON (`serde_json`), its length as `u32::to_be_bytes`,
//!   the md5 of the body as 32 lower-case hex digits (`format!("{:x}", md5::Md5::digest(body))`),
//!   the three parts in one `write_all` (chapter: "The code", the 终极版: the frame; "Why it
//!   works", two bugs in `struct.pack('i')`).
//!   中文：写一个帧：报头是 JSON（`serde_json`），它的长度用 `u32::to_be_bytes`，正文的 md5 是 32
//!   个小写十六进制数字（`format!("{:x}", md5::Md5::digest(body))`），三部分用一次 `write_all` 发出
//!   （章节：“代码”，终极版：帧；“为什么能行”，`struct.pack('i')` 里的两个 bug）。
//! - TODO 2: reading a frame, exactly: 4 bytes (`read_exact`: one `read`, the tutorial's
//!   `recv(4)`, may return fewer), a header length over 64 KiB refused before a byte of it is
//!   read, exactly that many bytes of header, a JSON object whose `total_size` is a whole number
//!   not over 8 MiB, then exactly `total_size` bytes of body (`take(n).read_to_end`, which never
//!   trusts the number with an allocation). A stream that ends before the first byte is a
//!   goodbye; one that ends inside a frame is an error (chapter: "Why it works", read exactly,
//!   never "about"; `recv(4)` may return fewer than 4 bytes; limits are part of the protocol).
//!   中文：准确地读一个帧：4 个字节（`read_exact`：一次 `read`，也就是教程的 `recv(4)`，可能返回得
//!   更少），报头长度超过 64 KiB 就拒绝，一个字节都不读；然后正好那么多字节的报头，一个 JSON 对象，
//!   它的 `total_size` 是不超过 8 MiB 的整数；然后正好 `total_size` 个字节的正文
//!   （`take(n).read_to_end`，决不凭这个数字分配内存）。在第一个字节之前就结束的流是告别；在帧中间
//!   结束的是错误（章节：“为什么能行”，读准确的字节数，决不“大约”；`recv(4)` 可能返回不到 4 个字
//!   节；上限是协议的一部分）。
//! - TODO 3: the server reads one request frame, checks its md5 when it has one, runs the
//!   command, and sends the output as one reply frame, even when it is empty (`seq 0`). A bad
//!   frame ends that one connection, after an error frame (a header with `"error": REASON`)
//!   saying why (chapter: "Why it works", what the md5 does; a bad frame ends one connection,
//!   not the server).
//!   中文：服务端读一个请求帧，有 md5 时校验它，运行命令，把输出作为一个回复帧发出，即使输出为空
//!   （`seq 0`）。坏帧只结束这一个连接，结束前先发一个错误帧（报头里带 `"error": REASON`）说明原因
//!   （章节：“为什么能行”，md5 能做什么，不能做什么；一个坏帧只结束一个连接，而不是服务端）。
//! - TODO 4: the client sends each line as a request frame, reads each reply as one whole
//!   frame, and prints its body exactly, adding nothing.
//!   中文：客户端把每一行作为一个请求帧发出，把每个回复作为一个完整的帧读进来，原样打印它的正文，什
//!   么也不加。
//!
//! Check it: `cargo run --bin learn -- check 6`.
//! 中文：检查它：`cargo run --bin learn -- check 6`。

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;

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

// TODO 1
// TODO 2

/// The communication loop: run every command until the client leaves.
// TODO 3
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

/// Sends each non-empty line as one message and prints each reply, until the input ends or a
/// line says `q`.
// TODO 4
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
