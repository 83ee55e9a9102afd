//! Exercise 8, solved: file transfer (TCP下载文件 / 上传).
//!
//! Lesson 6's frame carries files: a request's header names the action (`get` or `put`) and the
//! file; a `get` reply's body is the file, a `put` request's body is the file. An upload goes to
//! a temporary file, hashed as it arrives, and gets its name only when it is whole and its md5
//! matches, in one `rename`; no name may lead outside the served folder. The client downloads
//! the same way. The worked stage is `src/lessons/file_transfer.rs`.

use std::env;
use std::fs::{self, File};
use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::thread;

use md5::{Digest, Md5};

mod frame;

use frame::Header;

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
        let answered = match action {
            "get" => {
                skip_body(&mut conn, total_size).and_then(|()| send_file(&mut conn, root, name))
            }
            "put" => receive_file(&mut conn, root, name, &request, total_size),
            other => skip_body(&mut conn, total_size)
                .map(|()| Err(format!("unknown action {other:?}: expected get or put"))),
        };
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
// ANCHOR: check_name
fn path_in(root: &Path, name: &str) -> Result<PathBuf, String> {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && name.len() <= 255;
    if plain {
        Ok(root.join(name))
    } else {
        Err(format!("{name:?} is not a plain file name"))
    }
}
// ANCHOR_END: check_name

/// `get NAME`: the reply's body is the file, under its name and md5.
fn send_file(conn: &mut TcpStream, root: &Path, name: &str) -> io::Result<Result<(), String>> {
    let path = match path_in(root, name) {
        Ok(path) => path,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let contents = match fs::read(&path) {
        Ok(contents) => contents,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Ok(Err(format!("no such file: {name}")));
        }
        Err(e) => return Ok(Err(format!("{name}: {e}"))),
    };
    let mut header = Header::new();
    header.insert("filename".into(), name.into());
    frame::write_frame_with(conn, header, &contents).map(Ok)
}

/// `put NAME`: the request's body is the file. It goes to a temporary file beside NAME, hashed
/// on the way, and gets NAME only if it arrived whole and its md5 is the header's.
fn receive_file(
    conn: &mut TcpStream,
    root: &Path,
    name: &str,
    request: &Header,
    total_size: u64,
) -> io::Result<Result<(), String>> {
    let path = match path_in(root, name) {
        Ok(path) => path,
        // Refused from its header: read the body into nothing, so the next request starts
        // where it should.
        Err(refusal) => return skip_body(conn, total_size).map(|()| Err(refusal)),
    };
    let Some(expected) = request.get("md5").and_then(|m| m.as_str()) else {
        return skip_body(conn, total_size)
            .map(|()| Err(format!("{name}: an upload needs its md5")));
    };
    // ANCHOR: store
    // A hidden name (`.NAME.part`), which no client can ask for; removed on every way out but
    // the one where it becomes NAME.
    let partial = root.join(format!(".{name}.part"));
    let received = receive_into(conn, &partial, total_size);
    let stored = match received {
        Ok(actual) if actual.eq_ignore_ascii_case(expected) => fs::rename(&partial, &path),
        Ok(actual) => {
            let _ = fs::remove_file(&partial);
            return Ok(Err(format!(
                "{name}: the md5 of what arrived is {actual}; nothing was kept"
            )));
        }
        Err(e) => Err(e),
    };
    if let Err(e) = stored {
        let _ = fs::remove_file(&partial);
        return Err(e);
    }
    // ANCHOR_END: store
    let mut header = Header::new();
    header.insert("filename".into(), name.into());
    frame::write_frame_with(conn, header, b"").map(Ok)
}

/// Copies the next `total_size` bytes of `conn` into a new file at `path`, in pieces (the whole
/// file is never in memory), and returns their md5. The file is on the disk when this returns.
fn receive_into(conn: &mut TcpStream, path: &Path, total_size: u64) -> io::Result<String> {
    let mut file = File::create(path)?;
    let mut md5 = Md5::new();
    let mut left = total_size;
    let mut buf = vec![0u8; 64 * 1024];
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = conn.read(&mut buf[..want])?;
        // The stream ended before the body did: the client is gone, and so is this upload.
        if n == 0 {
            return Err(io::Error::new(
                ErrorKind::UnexpectedEof,
                format!(
                    "the upload ended after {} of {total_size} bytes",
                    total_size - left
                ),
            ));
        }
        md5.update(&buf[..n]);
        file.write_all(&buf[..n])?;
        left -= n as u64;
    }
    // On the disk before it gets its name: a crash after the rename must not leave it empty.
    file.sync_all()?;
    Ok(format!("{:x}", md5.finalize()))
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

/// Runs each typed command (`get NAME`, `put PATH`) on one connection, until the input ends or
/// a line says `q`.
fn client(addr: &str) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    for line in io::stdin().lines() {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        if line == "q" {
            break;
        }
        let done = match line.split_once(' ') {
            Some(("get", name)) => get(&mut phone, name),
            Some(("put", path)) => put(&mut phone, Path::new(path)),
            _ => Ok(Err("type get NAME, put PATH or q".to_string())),
        };
        // A refusal ends that command only; a connection that fails ends the client.
        match done? {
            Ok(said) => println!("{said}"),
            Err(refusal) => eprintln!("{refusal}"),
        }
    }
    Ok(())
}

/// Downloads `name` into the current folder, through a temporary file renamed only once the
/// whole file has arrived and its md5 is the header's.
fn get(phone: &mut TcpStream, name: &str) -> io::Result<Result<String, String>> {
    let path = match path_in(Path::new("."), name) {
        Ok(path) if path.exists() => {
            return Ok(Err(format!("{name} exists here; not overwriting it")));
        }
        Ok(path) => path,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let mut request = Header::new();
    request.insert("action".into(), "get".into());
    request.insert("filename".into(), name.into());
    frame::write_frame_with(phone, request, b"")?;
    let reply = read_reply(phone)?;
    if let Some(refusal) = reply.text("error") {
        return Ok(Err(format!("the server refused: {refusal}")));
    }
    if let Err(e) = reply.check_md5() {
        return Ok(Err(format!("{name}: {e}; nothing was kept")));
    }
    let partial = PathBuf::from(format!(".{name}.part"));
    let written = fs::write(&partial, &reply.body).and_then(|()| fs::rename(&partial, &path));
    if let Err(e) = written {
        let _ = fs::remove_file(&partial);
        return Err(e);
    }
    Ok(Ok(format!(
        "got {name} ({} bytes, md5 checked)",
        reply.body.len()
    )))
}

/// Uploads the file at `path` under its file name.
fn put(phone: &mut TcpStream, path: &Path) -> io::Result<Result<String, String>> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Ok(Err(format!("{} has no file name", path.display())));
    };
    let contents = match fs::read(path) {
        Ok(contents) => contents,
        Err(e) => return Ok(Err(format!("{}: {e}", path.display()))),
    };
    let mut request = Header::new();
    request.insert("action".into(), "put".into());
    request.insert("filename".into(), name.into());
    frame::write_frame_with(phone, request, &contents)?;
    let reply = read_reply(phone)?;
    match reply.text("error") {
        Some(refusal) => Ok(Err(format!("the server refused: {refusal}"))),
        None => Ok(Ok(format!("stored {name} ({} bytes)", contents.len()))),
    }
}

/// The server's reply frame; the end of the stream instead is an error.
fn read_reply(phone: &mut TcpStream) -> io::Result<frame::Frame> {
    frame::read_frame(phone, MAX_DOWNLOAD)?
        .ok_or_else(|| io::Error::new(ErrorKind::UnexpectedEof, "the server closed the connection"))
}
