//! Lesson 8 — file transfer (TCP下载文件 / 上传).
//!
//! **What this stage adds:** the body of a frame is a file. A request names an action and a file
//! (`get`, `put` with the file as its body, `list`); the reply carries the file, or a listing, or
//! an `error` sentence. A file never sits in memory: the header is read alone
//! ([`frame::read_header`]) and the body streams between the socket and the disk, hashed on the
//! way. A received file is written under a temporary name and renamed only once it is whole and
//! its md5 matches ([`files::PartialFile`]); a client's name only ever leads inside the served folder
//! ([`Root`]). The rest is lesson 6's.
//!
//! **What is still broken:** the md5 comes in the header, *before* the body, so a sender reads
//! every file twice: once to hash it, once to send it. And one thread per client is still one
//! thread per client.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread::{self, JoinHandle};

use log::{error, info, warn};

use crate::files::{self, Request, Root};
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
                let _ = frame::write_error(&mut conn, &e);
                return;
            }
        };
        let answered = match Request::from_header(&request) {
            // `get NAME`: the reply's body is the file. The header comes first and carries the
            // md5, so the file is hashed (unless its md5 is remembered) and rewound, then sent.
            Ok(Request::Get(name)) => root.open_file(&name).and_then(|mut file| {
                frame::write_frame_from(&mut conn, &root.header_for(&mut file)?, &mut file)
            }),
            Ok(Request::Put(name)) => receive_file(&mut conn, &root, &name, &request),
            // `list`, or a request that makes no sense (refused, with the reason).
            other => files::answer(&mut conn, &root, other),
        };
        // A refused request (a name outside the folder, a missing file) is told why, and the
        // conversation goes on; anything else (the client gone mid-upload) ends it.
        if let Err(e) = files::reply_if_refused(&mut conn, &request, answered) {
            warn!("{peer}: {e}; ending this connection");
            return;
        }
    }
}

/// `put NAME`: the request's body is the file. It goes to a temporary file, hashed on the way,
/// and gets its name only if it arrived whole and its md5 matches.
fn receive_file(conn: &mut Connection, root: &Root, name: &str, put: &Header) -> io::Result<()> {
    let mut partial = root.create_file(name)?;
    let mut body = BodyReader::new(&mut *conn, put);
    // A cut-off body is an error here, and `partial` is dropped: its temporary file is removed.
    io::copy(&mut files::buffered(&mut body), &mut partial)?;
    match body.finish()? {
        // Whole and matching: now it gets its name, and the reply says it is stored.
        Md5Check::Matches => frame::write_frame_with(conn, &root.store(partial, put)?, b""),
        // Dropped before the reply, so its temporary file is gone when the client hears of it.
        wrong => frame::write_error(conn, files::discard(partial, name, &wrong)),
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// Sends each typed command (`get a.txt`, `put ./b.txt`, `list`) on one connection, until the
/// input ends or a line says `q`.
pub fn client(addr: SocketAddr, lines: Lines, output: &mut dyn Write) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    for line in lines {
        let command = line?;
        if command.is_empty() {
            continue;
        }
        if command == b"q" {
            break;
        }
        // `get` writes the reply's body to a file, `put` sends a file as the request's body
        // (`src/files/client.rs`). A refused name or a wrong md5 ends that command only (it is
        // reported on stderr); only an error that leaves the connection unusable ends here.
        if let Err(e) = files::run_typed(&mut phone, &command, output) {
            warn!("the connection cannot go on ({e})");
            break;
        }
        output.flush()?;
    }
    Ok(())
}
// ANCHOR_END: client
