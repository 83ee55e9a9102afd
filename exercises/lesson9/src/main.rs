//! Exercise 9: the chat room (TCP 聊天室).
//!
//! This is exercise 4, solved: every client has a thread, and each thread talks to its own
//! client only. Make them talk to each other: a chat room, on the wire docs/contracts.md gives
//! ("The chat room": its notices word for word). Chapter: lessons/09-chat-room.md. The worked
//! stage is src/lessons/chat_room.rs, with src/room.rs and src/line.rs.
//! 中文：这是练习 4 的答案：每个客户端一个线程，每个线程只和它自己的客户端说话。让他们彼此说话：一
//! 个聊天室，线路上的格式按 docs/contracts.md 说的来（"The chat room"：通知一字不差）。章节：
//! lessons/zh/09-chat-room.md。对应的阶段是 src/lessons/chat_room.rs，以及 src/room.rs 和
//! src/line.rs。
//!
//! Left for you, each marked `TODO N` where its code goes:
//! 中文：留给你的，每一项都在它的代码该放的地方标着 `TODO N`：
//!
//! - TODO 1: a message is a line: read up to `\n` (a `\r` before it is dropped), however TCP cut
//!   it up, at most `MAX_LINE` bytes without its end, and UTF-8 text (a `BufReader` and
//!   `take(...).read_until(b'\n', ...)` do it). An empty line is no message (chapter: "Why it
//!   works", a delimiter; one line is one message, however TCP cut it up).
//!   中文：一条消息就是一行：读到 `\n` 为止（它前面的 `\r` 丢掉），不管 TCP 把它切成了什么样，不算
//!   行尾最多 `MAX_LINE` 个字节，而且是 UTF-8 文本（一个 `BufReader` 加上
//!   `take(...).read_until(b'\n', ...)` 就能做到）。空行不是消息（章节：“为什么能行”，分隔符；一行
//!   就是一条消息，不管 TCP 把它切成了什么样）。
//! - TODO 2: the room: the first line is the member's name, 1 to `MAX_NAME` characters, each a
//!   letter or a digit of any script (`alice`, `小明`, `Émile`: `char::is_alphanumeric`), not
//!   taken (without regard to case); otherwise one `error: ...` line and hang up. A member who
//!   joins is told `* in the room: A, B` (or `* in the room: nobody else yet`), the others
//!   `* NAME joined`. One list of members, shared by every thread: `Arc<Mutex<Vec<...>>>`.
//!   中文：聊天室：第一行是成员的名字，1 到 `MAX_NAME` 个字符，每个都是任何文字的字母或数字
//!   （`alice`、`小明`、`Émile`：`char::is_alphanumeric`），没被占用（不区分大小写）；否则发一行
//!   `error: ...` 然后挂断。加入的成员收到 `* in the room: A, B`（或者
//!   `* in the room: nobody else yet`），其他成员收到 `* NAME joined`。一份成员名单，所有线程共享：
//!   `Arc<Mutex<Vec<...>>>`。
//! - TODO 3: every line reaches every other member as `[NAME] text`, never its sender, and the
//!   broadcast never waits for anybody: each member gets a bounded queue
//!   (`std::sync::mpsc::sync_channel(QUEUE)`) and a writer thread, the only one that writes to
//!   its socket; `try_send` never waits, and a member whose queue is full has stopped reading:
//!   drop it (`* NAME left (it stopped reading)`) (chapter: "Why it works", why nobody waits for a
//!   slow member).
//!   中文：每一行都以 `[NAME] text` 的形式送到每一个其他成员，决不送回给发送者，而且广播决不等任何
//!   人：每个成员有一个有界队列（`std::sync::mpsc::sync_channel(QUEUE)`）和一个写线程，只有它写这个
//!   成员的套接字；`try_send` 从不等待，队列满了的成员已经不再读了：把它踢掉
//!   （`* NAME left (it stopped reading)`）（章节：“为什么能行”，为什么谁也不用为一个成员等太久）。
//! - TODO 4: leaving: when a member's stream ends, or breaks the rules (its one `error: ...`
//!   line first), take it out of the room, tell the others `* NAME left`, and only then close
//!   its connection (chapter: "Why it works", leaving).
//!   中文：离开：成员的流结束了，或者它违反了规则（先发给它那一行 `error: ...`），就把它移出聊天
//!   室，告诉其他成员 `* NAME left`，然后才关闭它的连接（章节：“为什么能行”，离开）。
//! - TODO 5: the client prints what arrives while you type: one thread sends the lines you type
//!   (the first is your name; `q` or the end of input leaves, closing the sending side), the
//!   other prints every line the server sends until it hangs up (chapter: "Why it works",
//!   printing while you type).
//!   中文：客户端边打字边打印收到的东西：一个线程发送你输入的行（第一行是你的名字；`q` 或输入结束就
//!   离开，关闭发送的那一端），另一个线程打印服务端发来的每一行，直到服务端挂断（章节：“为什么能
//!   行”，边打字边打印）。
//!
//! Check it: `cargo run --bin learn -- check 9`.
//! 中文：检查它：`cargo run --bin learn -- check 9`。

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;

/// The longest line, in bytes, without its line end.
#[allow(dead_code)] // for TODO 1
const MAX_LINE: usize = 1000;

/// The longest name, in characters (letters or digits of any script; at most 64 bytes).
#[allow(dead_code)] // for TODO 2
const MAX_NAME: usize = 16;

/// How many lines may wait for one member's writer before the member counts as gone.
#[allow(dead_code)] // for TODO 3
const QUEUE: usize = 1024;

/// The stage's own address: this program and `cargo run --bin lesson9` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8009";

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!("usage: lesson9 server|client [--addr HOST:PORT]");
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
// TODO 1
// TODO 2
// TODO 3
// TODO 4
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
// TODO 5
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
