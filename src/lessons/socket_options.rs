//! Lesson 11 — socket options, and a server that protects itself (套接字选项, 半连接池, 超时).
//!
//! **What this stage adds:** lesson 4's echo, with a [`Guard`]: at most `--max-clients` clients
//! are served at once (the next one is told so in one line and closed, without a thread), a
//! client silent for `--idle` seconds is hung up on, and so is one that reads none of our reply
//! for `--write-timeout` seconds. `--nodelay` turns off Nagle's algorithm on both ends; the
//! listening options (`--backlog`, `--no-reuse-address`, `--unix`) are the command line's, so
//! the loop below is the same for all of them.
//!
//! The experiments behind every option are below this page, one file each: each does the thing
//! on real sockets and returns what the kernel said (an errno, a queue length, a byte count, a
//! duration). The demo narrates what they return, and the tests assert it, so neither can claim
//! what did not happen.
//!
//! **What is still broken:** a thread per client is still a thread per client. The cap is how
//! many this machine can hold, not how many clients a server could serve: that takes one
//! thread watching many sockets (an event loop), which is another course.

use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use log::{error, info, warn};

use crate::endpoint::Endpoint;
use crate::guard::{self, Guard};
use crate::server::{Connection, Peer, Server};
use crate::stage::Lines;
use crate::timeout::is_timeout;

// The experiments, one file each in `socket_options/` (the number is the demo's part), and what
// they share (`kernel.rs`: sockets made the tutorial's way, and a bound on every wait).
pub mod backlog; // 2. listen(N): the accept queue (半连接池)
pub mod families; // 8. the same echo over IPv6 and AF_UNIX
mod kernel;
pub mod nagle; // 7. Nagle, TCP_NODELAY, SO_LINGER 0
pub mod names; // 5. getsockname and getpeername
pub mod refused; // 4. connect_ex: an error as a value
pub mod short_write; // 6. send versus sendall
pub mod time_wait; // 1. SO_REUSEADDR and TIME_WAIT
pub mod timeouts; // 3. settimeout and setblocking

// ANCHOR: stack
/// Each client thread gets a 256 KiB stack instead of Rust's default 2 MiB. The stack is reserved
/// address space for as long as the thread lives, and a thread per client means one stack per
/// connected client: 10,000 idle clients would reserve 20 GiB at the default, 2.5 GiB at this size.
/// Our communication loop needs a 1 KiB buffer and some logging; lessons 5 and 6 reuse this size
/// for running commands and parsing JSON headers, still far below it.
pub const CLIENT_THREAD_STACK: usize = 256 * 1024;
// ANCHOR_END: stack

// ANCHOR: serve
/// Serves up to the guard's cap of clients at the same time, each on its own thread, until Ctrl-C.
pub fn serve(server: Server, guard: Guard, nodelay: bool) -> io::Result<()> {
    let mut client_threads: Vec<JoinHandle<()>> = Vec::new();
    // The connection loop, as in lesson 2; but serving happens on another thread.
    while let Some((mut conn, peer)) = server.accept() {
        info!("{peer} connected");
        // The cap comes before the thread: a client beyond it costs no thread and no stack.
        let Some(seat) = guard.admit(&mut conn, peer) else {
            continue;
        };
        // TCP_NODELAY: send each reply at once, even while the last one is unacknowledged.
        if let (true, Some(tcp)) = (nodelay, conn.as_tcp()) {
            if let Err(e) = tcp.set_nodelay(true) {
                warn!("{peer}: cannot set TCP_NODELAY ({e})");
            }
        }
        // Forget the threads of clients who have left, so the list does not grow forever.
        client_threads.retain(|thread| !thread.is_finished());
        // Name the thread after its client: log lines, debuggers and panics then say who it serves.
        let spawned = thread::Builder::new()
            .name(format!("client {peer}"))
            .stack_size(CLIENT_THREAD_STACK)
            // The seat moves into the thread, and is given back when the thread ends.
            .spawn(move || serve_one_client(conn, peer, seat));
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

/// The communication loop: echo every message until the client leaves, goes silent for too
/// long, or stops reading our replies.
fn serve_one_client(mut conn: Connection, peer: Peer, _seat: guard::Seat) {
    let mut buf = [0u8; 1024];
    loop {
        let n = match conn.read(&mut buf) {
            // 0 bytes: the client closed its end. This is how TCP says goodbye. (Ctrl-C on the
            // server ends conversations the same way, from our side.)
            Ok(0) => {
                info!("{peer}: recv returned 0 bytes; the conversation is over");
                return;
            }
            Ok(n) => n,
            // A signal interrupted the wait; nothing happened to the connection. Wait again.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            // The read timeout is the idle timeout. Every byte read so far has been answered, so
            // hanging up loses nothing.
            Err(e) if is_timeout(&e) => {
                info!("{peer}: silent for too long (--idle); hanging up");
                return;
            }
            // A reset or any other error: this client is gone, but the server is fine.
            Err(e) => {
                warn!("{peer}: {e}; ending this connection");
                return;
            }
        };
        // A write that times out is a client that does not read (--write-timeout).
        if let Err(e) = conn.write_all(&buf[..n].to_ascii_uppercase()) {
            warn!("{peer}: {}; ending this connection", guard::reason(&e));
            return;
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// Connects to `to` (TCP, or a Unix domain socket), then sends each non-empty one of `lines` as
/// one message and prints each reply, until the input ends or a line says `q`. A reply that takes
/// longer than `timeout` is an error (a timeout), not a hang.
pub fn client(
    to: &Endpoint,
    nodelay: bool,
    timeout: Duration,
    lines: Lines,
    output: &mut dyn Write,
) -> io::Result<()> {
    match to {
        Endpoint::Ip(addr) => {
            let phone = TcpStream::connect(addr)?;
            phone.set_nodelay(nodelay)?;
            phone.set_read_timeout(Some(timeout))?;
            converse(phone, lines, output)
        }
        #[cfg(unix)]
        Endpoint::Unix(path) => {
            let phone = UnixStream::connect(path)?;
            phone.set_read_timeout(Some(timeout))?;
            converse(phone, lines, output)
        }
        #[cfg(not(unix))]
        Endpoint::Unix(_) => Err(io::Error::new(
            ErrorKind::Unsupported,
            "Unix domain sockets need a Unix system",
        )),
    }
}

/// Lesson 4's client loop, over either kind of socket.
fn converse(mut phone: impl Read + Write, lines: Lines, output: &mut dyn Write) -> io::Result<()> {
    let mut reply = [0u8; 1024];
    for line in lines {
        let message = line?;
        // Sending an empty message sends no bytes at all: the server's `recv` never returns, and
        // our `recv` below would wait for a reply that is never coming. So don't.
        if message.is_empty() {
            continue;
        }
        if message == b"q" {
            break;
        }
        phone.write_all(&message)?;
        // With a read timeout, a reply that does not come is an error, not a hang.
        let n = phone.read(&mut reply)?;
        if n == 0 {
            warn!("the server closed the connection");
            break;
        }
        output.write_all(&reply[..n])?;
        writeln!(output)?;
    }
    Ok(())
}
// ANCHOR_END: client
