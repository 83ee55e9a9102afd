//! Exercise 8: file transfer (TCP下载文件 / 上传).
//!
//! This is exercise 6's frame, carrying files: a request's header names the action and the
//! file, `{"action": "get", "filename": NAME}` or `{"action": "put", "filename": NAME}` with
//! the file as its body; a reply's header names the file (`"filename"`), or says why not
//! (`"error"`). The server serves one folder, `--root DIR` (docs/contracts.md, "Exercises").
//! Chapter: lessons/08-file-transfer.md. The worked stage is src/lessons/file_transfer.rs, with
//! src/files/.
//! 中文：这是练习 6 的帧，拿来运文件：请求的报头写明动作和文件，
//! `{"action": "get", "filename": NAME}`，或者 `{"action": "put", "filename": NAME}` 并以文件作为正
//! 文；回复的报头写明文件（`"filename"`），或者说明为什么不行（`"error"`）。服务端提供一个服务目
//! 录，`--root DIR`（docs/contracts.md，"Exercises"）。章节：lessons/zh/08-file-transfer.md。对应的
//! 阶段是 src/lessons/file_transfer.rs，以及 src/files/。
//!
//! Done for you: the command line, the frame (`frame`, exercise 6's reference solution: point
//! its `#[path]` at your own if you like), the connection loop and a thread per client.
//! Left for you, each marked `TODO N` where its code goes:
//! 中文：已经写好的：命令行、帧（`frame`，练习 6 的参考答案：你愿意的话，可以把它的 `#[path]` 指向
//! 你自己的）、链接循环和每个客户端一个线程。留给你的，每一项都在它的代码该放的地方标着 `TODO N`：
//!
//! - TODO 1: `path_in`: a name is a plain file name (not empty, no `/`, `\` or NUL, not starting
//!   with `.`), or it is refused: `../secret.txt` and `/etc/passwd` must never lead out of the
//!   folder (chapter: "Why it works", no name leads outside the folder).
//!   中文：`path_in`：名字必须是一个普通的文件名（不为空，没有 `/`、`\` 或 NUL，不以 `.` 开头），否
//!   则拒绝：`../secret.txt` 和 `/etc/passwd` 决不能走出服务目录（章节：“为什么能行”，没有哪个名字
//!   能走出服务目录）。
//! - TODO 2: `get NAME`: the reply is a frame whose body is the file; a missing file or a bad
//!   name is an error frame, and the connection goes on (chapter: "Why it works", a refusal ends
//!   the request, not the connection).
//!   中文：`get NAME`：回复是一个帧，正文就是这个文件；文件不存在或名字不合格，回复一个错误帧，连接
//!   继续（章节：“为什么能行”，拒绝只结束这个请求，不结束连接）。
//! - TODO 3: `put NAME`: the body goes to a temporary file in the folder (`.NAME.part`), hashed
//!   as it arrives, and gets NAME only once it is whole and its md5 is the header's
//!   (`sync_all`, then `fs::rename`); otherwise the temporary file is removed. A wrong md5 gets
//!   an error frame; a body cut off ends the connection (chapter: "Why it works", a file gets
//!   its name only when it is whole; the md5 is checked).
//!   中文：`put NAME`：正文写进服务目录里的一个临时文件（`.NAME.part`），边收边算 md5，只有在它完整
//!   了、md5 和报头里的一致时才改名为 NAME（先 `sync_all`，再 `fs::rename`）；否则删掉临时文件。md5
//!   不对，回复一个错误帧；正文被截断，就结束连接（章节：“为什么能行”，文件只有完整了才有名字；md5
//!   被校验了）。
//! - TODO 4: the client: a line `get NAME` downloads NAME into the current folder (the same
//!   way: a temporary file, the md5 checked, then the name), `put PATH` uploads the file at PATH
//!   under its file name; each prints one line saying what it did.
//!   中文：客户端：一行 `get NAME` 把 NAME 下载到当前目录（同样的做法：临时文件，校验 md5，然后改
//!   名），`put PATH` 把 PATH 处的文件以它的文件名上传；每个命令打印一行，说明它做了什么。
//!
//! Check it: `cargo run --bin learn -- check 8`.
//! 中文：检查它：`cargo run --bin learn -- check 8`。

use std::env;
use std::fs;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::thread;

#[path = "../../solutions/frame.rs"]
mod frame;

/// The stage's own address: this program and `cargo run --bin lesson8` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8008";

/// The folder the server serves unless `--root` says otherwise.
const DEFAULT_ROOT: &str = "lesson8-files";

/// The largest upload the server takes: any client may upload, and the disk is not endless.
const MAX_UPLOAD: u64 = 1024 * 1024 * 1024;

/// The largest download the client takes into memory.
const MAX_DOWNLOAD: u64 = 1024 * 1024 * 1024;

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!(
            "usage: lesson8 server [--addr HOST:PORT] [--root DIR] | client [--addr HOST:PORT]"
        );
        return ExitCode::from(2);
    };
    let result = match options.mode.as_str() {
        "server" => server(&options.addr, Path::new(&options.root)),
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
    /// The folder the server serves.
    root: String,
}

/// `server` or `client`, then `--addr HOST:PORT` and (server) `--root DIR` if given. `None` for
/// anything else.
fn parse_args() -> Option<Options> {
    let mut args = env::args().skip(1);
    let mode = args
        .next()
        .filter(|mode| mode == "server" || mode == "client")?;
    let mut options = Options {
        mode,
        addr: DEFAULT_ADDR.to_string(),
        root: DEFAULT_ROOT.to_string(),
    };
    while let Some(flag) = args.next() {
        let value = args.next()?;
        match flag.as_str() {
            "--addr" => options.addr = value,
            "--root" => options.root = value,
            _ => return None,
        }
    }
    Some(options)
}

/// Serves the files in `root` to every client at the same time, each on its own thread.
fn server(addr: &str, root: &Path) -> io::Result<()> {
    fs::create_dir_all(root)?;
    let root = root.canonicalize()?;
    let listener = TcpListener::bind(addr)?;
    eprintln!("serving the files in {}", root.display());
    eprintln!("listening on {}", listener.local_addr()?);
    loop {
        let (conn, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("accept: {e}");
                continue;
            }
        };
        eprintln!("{peer} connected");
        let root = root.clone();
        let spawned = thread::Builder::new()
            .name(format!("client {peer}"))
            .spawn(move || serve_one_client(conn, peer, &root));
        if let Err(e) = spawned {
            eprintln!("{peer}: cannot start a thread ({e}); hanging up");
        }
    }
}

/// The communication loop, one request at a time, until the client leaves.
#[allow(unused_variables)] // for TODO 2 and 3
fn serve_one_client(mut conn: TcpStream, peer: SocketAddr, root: &Path) {
    loop {
        // Only the header: a `put`'s body is a file, and goes straight to the disk.
        let (request, total_size) = match frame::read_header(&mut conn, MAX_UPLOAD) {
            Ok(Some(header)) => header,
            Ok(None) => {
                eprintln!("{peer}: the stream ended between frames; the conversation is over");
                return;
            }
            // A broken frame, an upload over the limit (its body is still on its way), a reset.
            Err(e) => {
                eprintln!("{peer}: {e}; ending this connection");
                let _ = frame::write_error(&mut conn, &e.to_string());
                return;
            }
        };
        let action = request.get("action").and_then(|a| a.as_str()).unwrap_or("");
        let name = request
            .get("filename")
            .and_then(|n| n.as_str())
            .unwrap_or("");
        // TODO 2
        // TODO 3
        // Until then, every request is refused (its body read into nothing first, so that the
        // next request starts where it should).
        let answered = skip_body(&mut conn, total_size)
            .map(|()| Err(format!("{action} {name}: not served yet")));
        // A refusal (a bad name, a missing file, a wrong md5) is told, and the conversation
        // goes on; an I/O error (the client gone mid-upload) ends it.
        let replied = match answered {
            Ok(Ok(())) => Ok(()),
            Ok(Err(refusal)) => {
                eprintln!("{peer}: refused: {refusal}");
                frame::write_error(&mut conn, &refusal)
            }
            Err(e) => Err(e),
        };
        if let Err(e) = replied {
            eprintln!("{peer}: {e}; ending this connection");
            return;
        }
    }
}

/// Where `name` is in `root`, if it is a plain file name: no folder, nothing hidden, nothing
/// that climbs out (`..`, `/etc/passwd`, `a/../../b`).
#[allow(dead_code, unused_variables)] // for TODO 1 to 4
fn path_in(root: &Path, name: &str) -> Result<PathBuf, String> {
    // TODO 1
    Err(format!("{name:?}: not checked yet"))
}

/// Reads the next `total_size` bytes of `conn` into nothing: the body of a refused request.
fn skip_body(conn: &mut TcpStream, total_size: u64) -> io::Result<()> {
    let skipped = io::copy(&mut conn.take(total_size), &mut io::sink())?;
    if skipped < total_size {
        return Err(io::Error::new(
            ErrorKind::UnexpectedEof,
            "the request ended mid-body",
        ));
    }
    Ok(())
}

/// Sends each non-empty line as one request frame and prints each reply frame's body, until
/// the input ends or a line says `q`.
// TODO 4
fn client(addr: &str) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    let mut stdout = io::stdout();
    for line in io::stdin().lines() {
        let command = line?;
        if command.is_empty() {
            continue;
        }
        if command == "q" {
            break;
        }
        frame::write_frame(&mut phone, command.as_bytes())?;
        // The whole reply, however long: its header said how long.
        let Some(reply) = frame::read_frame(&mut phone, MAX_DOWNLOAD)? else {
            eprintln!("the server closed the connection");
            break;
        };
        if let Some(reason) = reply.text("error") {
            return Err(io::Error::other(format!("the server refused: {reason}")));
        }
        reply.check_md5().map_err(io::Error::other)?;
        stdout.write_all(&reply.body)?;
        stdout.flush()?;
    }
    Ok(())
}
