//! Lesson 8 — file transfer (TCP下载文件 / 上传).
//!
//! **What this stage adds:** the body of a frame is a file. A request names an action and a file
//! (`get`, `put` with the file as its body, `list`); the reply carries the file, or a listing, or
//! an `error` sentence. A file never sits in memory: the header is read alone
//! ([`frame::read_header`]) and the body streams between the socket and the disk, hashed on the
//! way. A received file is written under a temporary name and renamed only once it is whole and
//! its md5 matches ([`files::PartialFile`]); a client's name only ever leads inside the served folder
//! ([`Root`]). The client's `get` and `put` move the same bytes the other way, the same way. A
//! request that goes wrong is refused, with a reason, or fatal ([`FileError`]): a refusal ends
//! that request only, on both sides. The rest is lesson 6's.
//!
//! **What is still broken:** the md5 comes in the header, *before* the body, so a sender reads
//! every file twice: once to hash it, once to send it. And one thread per client is still one
//! thread per client.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::thread::{self, JoinHandle};

use log::{error, info, warn};

use crate::files::{self, FileCommand, FileError, PartialFile, Request, Root};
use crate::frame::{self, BodyReader, Header, Md5Check};
use crate::server::{Connection, Peer, Server};
use crate::stage::Lines;

// ANCHOR: stack
/// Each client thread gets a 256 KiB stack instead of Rust's default 2 MiB. The stack is reserved
/// address space for as long as the thread lives, and a thread per client means one stack per
/// connected client: 10,000 idle clients would reserve 20 GiB at the default, 2.5 GiB at this size.
/// Our communication loop moves files through a 256 KiB buffer on the heap, not the stack,
/// and reads JSON headers; its stack stays far below this size.
pub const CLIENT_THREAD_STACK: usize = 256 * 1024;
// ANCHOR_END: stack

// ANCHOR: serve
/// Serves the files in `root` to every client at the same time, each on its own thread, until
/// Ctrl-C.
pub fn serve(server: Server, root: Root) -> io::Result<()> {
    let mut client_threads: Vec<JoinHandle<()>> = Vec::new();
    // The connection loop, as in lesson 2; but serving happens on another thread.
    while let Some((conn, peer)) = server.accept() {
        info!("{peer} connected");
        // Forget the threads of clients who have left, so the list does not grow forever.
        client_threads.retain(|thread| !thread.is_finished());
        // Every client's thread gets its own handle on the served folder.
        let root = root.clone();
        // Name the thread after its client: log lines, debuggers and panics then say who it serves.
        let spawned = thread::Builder::new()
            .name(format!("client {peer}"))
            .stack_size(CLIENT_THREAD_STACK)
            .spawn(move || serve_one_client(conn, peer, root));
        match spawned {
            Ok(thread) => client_threads.push(thread),
            // Out of threads or memory: this client is turned away (its connection closes as the
            // closure holding it is dropped); everyone already connected carries on.
            Err(e) => warn!("{peer}: cannot start a thread ({e}); hanging up"),
        }
    }
    // Shutdown: `accept` said stop, and every open connection has been closed, so each client
    // thread is returning. Wait for all of them: no thread outlives the server.
    client_threads.retain(|thread| !thread.is_finished());
    info!("waiting for {} client thread(s)", client_threads.len());
    for thread in client_threads {
        if thread.join().is_err() {
            error!("a client thread panicked: that is a bug");
        }
    }
    Ok(())
}

/// The communication loop, one request at a time, until the client leaves.
fn serve_one_client(mut conn: Connection, peer: Peer, root: Root) {
    loop {
        // Only the header: the body, if there is one, is a file, and goes straight to disk.
        let request = match frame::read_header(&mut conn, &root.limits()) {
            Ok(Some(request)) => request,
            // The stream ended between two frames: the client said goodbye (or Ctrl-C on the
            // server ended the conversation from our side).
            Ok(None) => {
                info!("{peer}: the stream ended between frames; the conversation is over");
                return;
            }
            // A broken or hostile frame (an upload over --max-upload, too), or a reset: this
            // client is done; the server is not.
            Err(e) => {
                warn!("{peer}: {e}; ending this connection");
                // Say why before hanging up, where the peer can still hear it.
                let _ = frame::write_error(&mut conn, e.told());
                return;
            }
        };
        let answered = match Request::from_header(&request) {
            Ok(Request::Get(name)) => send_file(&mut conn, &root, &name),
            Ok(Request::Put { name, replace }) => {
                receive_file(&mut conn, &root, &name, replace, &request)
            }
            Ok(Request::List) => files::send_list(&mut conn, &root).map_err(FileError::Fatal),
            // A request that makes no sense (no action, a get with a body) is refused.
            Err(refused) => Err(refused.into()),
        };
        match answered {
            Ok(()) => {}
            // A refused request (a name outside the folder, a missing file) is told why, and the
            // conversation goes on.
            Err(FileError::Refused(why)) => {
                if let Err(e) = files::refuse(&mut conn, &request, &why) {
                    warn!("{peer}: {e}; ending this connection");
                    return;
                }
            }
            // Anything else (the client gone mid-upload, a full disk) ends it.
            Err(FileError::Fatal(e)) => {
                warn!("{peer}: {e}; ending this connection");
                return;
            }
        }
    }
}

/// `get NAME`: the reply's body is the file. The header comes first and carries the md5, so the
/// file is hashed (unless its md5 is remembered) and rewound, then sent.
fn send_file(conn: &mut Connection, root: &Root, name: &str) -> Result<(), FileError> {
    let mut file = root.open_file(name)?;
    let header = root.header_for(&mut file)?;
    frame::write_frame_from(conn, &header, &mut file)?;
    Ok(())
}

/// `put NAME`: the request's body is the file. It goes to a temporary file, hashed on the way,
/// and gets its name only if it arrived whole and its md5 matches (and, if a file has that name
/// already, only if the client asked to `replace` it).
fn receive_file(
    conn: &mut Connection,
    root: &Root,
    name: &str,
    replace: bool,
    put: &Header,
) -> Result<(), FileError> {
    let mut partial = root.create_file(name, replace)?;
    let mut body = BodyReader::new(&mut *conn, put);
    // A cut-off body is an error here, and `partial` is dropped: its temporary file is removed.
    io::copy(&mut files::buffered(&mut body), &mut partial)?;
    match body.finish()? {
        // Whole and matching: now it gets its name, and the reply says it is stored.
        Md5Check::Matches => frame::write_frame_with(conn, &root.store(partial, put)?, b"")?,
        // Dropped before the reply, so its temporary file is gone when the client hears of it.
        wrong => frame::write_error(conn, files::discard(partial, name, &wrong).told())?,
    }
    Ok(())
}
// ANCHOR_END: serve

// ANCHOR: client
/// Sends each typed command (`get a.txt`, `put ./b.txt`, `list`) on one connection, until the
/// input ends or a line says `q`.
pub fn client(addr: SocketAddr, lines: Lines, output: &mut dyn Write) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    for line in lines {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        if line == b"q" {
            break;
        }
        let Some(command) = FileCommand::from_line(&line) else {
            eprintln!("{}", files::typed_usage());
            continue;
        };
        match run(&mut phone, command, output) {
            Ok(()) => output.flush()?,
            // A refused name, a wrong md5, a local file in the way: that command is over (the
            // connection is still in step), and the user reads why.
            Err(FileError::Refused(why)) => eprintln!("error: {}", why.told()),
            // The server gone: nothing more can be said on this connection.
            Err(FileError::Fatal(e)) => {
                warn!("the connection cannot go on ({e})");
                break;
            }
        }
    }
    Ok(())
}

/// One command on an open connection, and one line on `output` about how it went: each typed
/// line, and the command line's `lesson8 client get a.txt`. `phone` is anything that reads and
/// writes bytes: here the `TcpStream` that `client` opened (a demo passes a connection that also
/// notes down each read and write, to draw them).
pub fn run(
    phone: &mut (impl Read + Write),
    command: FileCommand,
    output: &mut dyn Write,
) -> Result<(), FileError> {
    match command {
        FileCommand::Get {
            name,
            output: to,
            force,
        } => {
            let to = files::download_path(&name, to, force)?;
            let reply = get(phone, &name, &to)?;
            Ok(files::say_got(output, &reply, &to)?)
        }
        FileCommand::Put { path, name, force } => {
            let name = files::upload_name(&path, name)?;
            let request = put(phone, &path, &name, force)?;
            Ok(files::say_stored(output, &request, &name)?)
        }
        FileCommand::List => files::list(phone, output),
    }
}

/// `get NAME`: asks for the file and writes it to `to`, the way the server's `receive_file`
/// does: under a temporary name until the whole body is there and its md5 matches. Returns the
/// reply's header.
pub fn get(phone: &mut (impl Read + Write), name: &str, to: &Path) -> Result<Header, FileError> {
    frame::write_frame_with(phone, &files::request("get", name), b"")?;
    // A refusal ("no such file") comes back as an error with the server's sentence.
    let reply = files::read_reply(phone)?;
    if reply.md5.is_none() {
        // (Read the body anyway, so that the connection stays usable.)
        BodyReader::new(&mut *phone, &reply).finish()?;
        return Err(files::not_kept(name, &Md5Check::Absent).into());
    }
    let mut partial = PartialFile::create(to)?;
    let mut body = BodyReader::new(&mut *phone, &reply);
    // Whatever goes wrong from here (the server gone, the disk full), `partial` is dropped, and
    // its temporary file with it. (Through a 256 KiB buffer: fewer, larger reads and writes
    // than io::copy's own 8 KiB.)
    let bar = files::progress(reply.total_size, name, "get");
    let copied = io::copy(
        &mut files::buffered(&mut body),
        &mut bar.wrap_write(&mut partial),
    );
    copied.map_err(|e| files::cut_off(e, name, body.received(), body.total_size()))?;
    match body.finish()? {
        Md5Check::Matches => {
            partial.commit()?;
            Ok(reply)
        }
        wrong => Err(files::not_kept(name, &wrong).into()),
    }
}

/// `put PATH --as NAME`: hashes the file, then sends it as the body of the request, the way the
/// server's `send_file` does; the server replaces a file of that name only if `replace`.
/// Returns the request's header (its size and md5).
pub fn put(
    phone: &mut (impl Read + Write),
    path: &Path,
    name: &str,
    replace: bool,
) -> Result<Header, FileError> {
    let cannot_read = |e: io::Error| FileError::cannot_read(path, e);
    let mut file = File::open(path).map_err(cannot_read)?;
    let size = file.metadata().map_err(cannot_read)?.len();
    // The header comes first and carries the md5: read the file once to hash it (a bar shows
    // this pass too: a big file takes seconds), then again to send it.
    let hashing = files::progress(size, name, "md5");
    let request = Header::for_reader(&mut files::buffered(hashing.wrap_read(&mut file)))
        .map_err(cannot_read)?
        .with("action", "put")
        .with("filename", name);
    let request = if replace {
        request.with("replace", true)
    } else {
        request
    };
    file.rewind()?;
    let sent = frame::write_frame_from(
        phone,
        &request,
        &mut files::progress(request.total_size, name, "put").wrap_read(file),
    );
    match sent {
        Ok(()) => files::read_reply(phone).map(|_| request),
        // The server may have refused the upload from its header and hung up before it all
        // arrived: its reply, already on the way, says why.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
            ) =>
        {
            Err(files::read_reply(phone).err().unwrap_or(e.into()))
        }
        Err(e) => Err(e.into()),
    }
}
// ANCHOR_END: client
