//! Exercise 12: the thread pool (线程池).
//!
//! This is exercise 4, solved: a thread for every client, however many come. Serve them on a
//! fixed number of threads instead, started once, with the pool's size already read from the
//! command line (`--workers N`, default 4; `--queue N`, default 16).
//! Chapter: lessons/12-thread-pool.md. The worked stage is src/lessons/thread_pool.rs.
//! 中文：这是练习 4 的答案：每个客户端一个线程，来多少个就开多少个。改成用固定数目的线程来服务它
//! 们，只启动一次；线程池的大小已经从命令行读好了（`--workers N`，默认 4；`--queue N`，默认 16）。
//! 章节：lessons/zh/12-thread-pool.md。对应的阶段是 src/lessons/thread_pool.rs。
//!
//! Left for you, each marked `TODO N` where its code goes:
//! 中文：留给你的，每一项都在它的代码该放的地方标着 `TODO N`：
//!
//! - TODO 1: the queue: one bounded channel of connections, `std::sync::mpsc::sync_channel(N)`
//!   with N = `--queue` (the standard library's twin of the stage's crossbeam `bounded(N)`).
//!   Bounded, so that a flood costs a place each, never memory without end (chapter: "Why it
//!   works", a bounded queue, and the busy line).
//!   中文：队列：一个装连接的有界通道，`std::sync::mpsc::sync_channel(N)`，N = `--queue`（标准库里
//!   对应阶段所用 crossbeam `bounded(N)` 的那一个）。有界，是为了让一波洪水每个连接只占一个位置，决
//!   不无休止地吃内存（章节：“为什么能行”，有界队列，以及 busy 那一行）。
//! - TODO 2: the workers: `--workers` threads, started before the accept loop, each taking the
//!   next connection from the queue and serving it to its end, then the next. std's receiver
//!   has one owner: share it as `Arc<Mutex<Receiver<…>>>`, and let go of the lock before
//!   serving, or one worker serves everyone (chapter: "Workers, started once").
//!   中文：工作线程：`--workers` 个线程，在 accept 循环之前启动，每个从队列里取下一个连接，一直服务
//!   到它结束，再取下一个。std 的接收端只有一个主人：用 `Arc<Mutex<Receiver<…>>>` 共享它，并且在服
//!   务之前放开锁，否则一个工作线程会服务所有人（章节：“工作线程，只启动一次”）。
//! - TODO 3: the accept loop hands each connection to the queue without waiting (`try_send`),
//!   instead of starting a thread. When the queue is full (`TrySendError::Full`, which gives the
//!   connection back), the client is sent exactly the line in `BUSY` and closed.
//!   中文：accept 循环把每个连接交给队列，不等待（`try_send`），而不是启动一个线程。队列满了的时候
//!   （`TrySendError::Full`，它会把连接还给你），只发给客户端 `BUSY` 里的那一行，然后关闭。
//!
//! The communication loop and the client are exercise 4's, unchanged.
//! Check it: `cargo run --bin learn -- check 12`.
//! 中文：通信循环和客户端都是练习 4 的，不用改。检查它：`cargo run --bin learn -- check 12`。

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;

/// What a client the full queue cannot take is told, before it is closed.
#[allow(dead_code)] // for TODO 3
const BUSY: &[u8] = b"busy: the server is serving as many clients as it can; try again later\n";

/// The stage's own address: this program and `cargo run --bin lesson12` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8012";

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!(
            "usage: lesson12 server [--addr HOST:PORT] [--workers N] [--queue N] | client [--addr HOST:PORT]"
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
    /// How many worker threads serve clients.
    #[allow(dead_code)] // for TODO 2
    workers: usize,
    /// How many more clients may wait for a free worker.
    #[allow(dead_code)] // for TODO 1
    queue: usize,
}

/// `server` or `client`, then `--addr HOST:PORT` and the pool's size (server) if given. `None`
/// for anything else.
fn parse_args() -> Option<Options> {
    let mut args = env::args().skip(1);
    let mode = args
        .next()
        .filter(|mode| mode == "server" || mode == "client")?;
    let mut options = Options {
        mode,
        addr: DEFAULT_ADDR.to_string(),
        workers: 4,
        queue: 16,
    };
    while let Some(flag) = args.next() {
        let value = args.next()?;
        match flag.as_str() {
            "--addr" => options.addr = value,
            "--workers" => options.workers = value.parse().ok().filter(|&n| n > 0)?,
            "--queue" => options.queue = value.parse().ok()?,
            _ => return None,
        }
    }
    Some(options)
}

/// Serves every client at the same time, each on its own thread, until the program is stopped.
fn server(options: &Options) -> io::Result<()> {
    let listener = TcpListener::bind(&options.addr)?;
    eprintln!("listening on {}", listener.local_addr()?);
    // TODO 1
    // TODO 2

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
