//! Exercise 11, solved: a server that protects itself (套接字选项, 半连接池, 超时).
//!
//! Lesson 4's echo with a guard: at most `--max-clients` clients are served at once (the next
//! one is told so in one line and closed, without a thread), a client silent for `--idle`
//! seconds is hung up on, and so is one that reads none of our reply for `--write-timeout`
//! seconds. The client gives up on a reply after 2 s. The worked stage is
//! `src/lessons/socket_options.rs` (with `src/guard.rs`).

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// What a client beyond the cap is told, before it is closed.
const BUSY: &[u8] = b"busy: the server is serving as many clients as it can; try again later\n";

/// How long the client waits for each reply.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(2);

/// The stage's own address: this program and `cargo run --bin lesson11` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8011";

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!(
            "usage: lesson11 server [--addr HOST:PORT] [--max-clients N] [--idle SECS] \
             [--write-timeout SECS] | client [--addr HOST:PORT]"
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
    /// The most clients served at once.
    max_clients: usize,
    /// How long a client may send nothing; `None`: for ever.
    idle: Option<Duration>,
    /// How long a write to a client that reads nothing may wait; `None`: for ever.
    write_timeout: Option<Duration>,
}

/// `server` or `client`, then `--addr HOST:PORT` and the guard's limits (server) if given.
/// `None` for anything else.
fn parse_args() -> Option<Options> {
    let mut args = env::args().skip(1);
    let mode = args
        .next()
        .filter(|mode| mode == "server" || mode == "client")?;
    let mut options = Options {
        mode,
        addr: DEFAULT_ADDR.to_string(),
        max_clients: 512,
        idle: Some(Duration::from_secs(300)),
        write_timeout: Some(Duration::from_secs(30)),
    };
    while let Some(flag) = args.next() {
        let value = args.next()?;
        match flag.as_str() {
            "--addr" => options.addr = value,
            "--max-clients" => options.max_clients = value.parse().ok().filter(|&n| n > 0)?,
            "--idle" => options.idle = seconds(&value)?,
            "--write-timeout" => options.write_timeout = seconds(&value)?,
            _ => return None,
        }
    }
    Some(options)
}

/// A number of seconds (`0.5` is fine); `0` is "never", a time limit of `None`.
fn seconds(text: &str) -> Option<Option<Duration>> {
    let limit = Duration::try_from_secs_f64(text.parse().ok()?).ok()?;
    Some((!limit.is_zero()).then_some(limit))
}

/// Serves up to `--max-clients` clients at the same time, each on its own thread, until the
/// program is stopped.
fn server(options: &Options) -> io::Result<()> {
    let listener = TcpListener::bind(&options.addr)?;
    eprintln!("listening on {}", listener.local_addr()?);

    // How many clients are being served right now: the accept loop and every client's thread
    // share it, so it is an atomic counter, shared through an `Arc`.
    let served = Arc::new(AtomicUsize::new(0));
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
        // The cap comes before the thread: a client beyond it costs no thread at all.
        let Some(seat) = Seat::take(&served, options.max_clients) else {
            eprintln!(
                "{peer}: {} clients already served; refused",
                options.max_clients
            );
            refuse(conn);
            continue;
        };
        // The read timeout is the idle limit, the write timeout the limit on a client that
        // reads nothing (std's `settimeout`, one for each direction).
        if let Err(e) = conn
            .set_read_timeout(options.idle)
            .and_then(|()| conn.set_write_timeout(options.write_timeout))
        {
            eprintln!("{peer}: {e}; hanging up");
            continue;
        }
        // The seat moves into the thread, and is given back when the thread is done with it.
        let spawned = thread::Builder::new()
            .name(format!("client {peer}"))
            .spawn(move || serve_one_client(conn, peer, seat));
        // Out of threads or memory: this client is turned away (its connection closes as the
        // closure holding it is dropped); everyone already connected carries on.
        if let Err(e) = spawned {
            eprintln!("{peer}: cannot start a thread ({e}); hanging up");
        }
    }
}

/// Tells a client beyond the cap why it is turned away, and closes its connection.
fn refuse(mut conn: TcpStream) {
    let _ = conn.write_all(BUSY);
    let _ = conn.shutdown(Shutdown::Write);
}

/// A place among the clients served at once. Dropping it gives the place back, however the
/// client's thread ends: a goodbye, a timeout, a reset, even a panic.
struct Seat(Arc<AtomicUsize>);

impl Seat {
    /// A seat, if fewer than `max` are taken.
    fn take(served: &Arc<AtomicUsize>, max: usize) -> Option<Seat> {
        // Check and take in one step: two clients accepted at once cannot both take the last.
        served
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()?;
        Some(Seat(Arc::clone(served)))
    }
}

impl Drop for Seat {
    // ANCHOR: give_back
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
    // ANCHOR_END: give_back
}

/// The communication loop: echo every message until the client leaves, goes silent for too
/// long, or stops reading our replies.
fn serve_one_client(mut conn: TcpStream, peer: SocketAddr, _seat: Seat) {
    let mut buf = [0u8; 1024];
    loop {
        let n = match conn.read(&mut buf) {
            // ANCHOR: end_of_stream
            // 0 bytes: the client closed its end. This is how TCP says goodbye.
            Ok(0) => {
                eprintln!("{peer}: recv returned 0 bytes; the conversation is over");
                return;
            }
            // ANCHOR_END: end_of_stream
            Ok(n) => n,
            // A signal interrupted the wait; nothing happened to the connection. Wait again.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            // The read timeout is the idle limit. Every byte read so far has been answered, so
            // hanging up loses nothing.
            Err(e) if is_timeout(&e) => {
                eprintln!("{peer}: silent for too long (--idle); hanging up");
                return;
            }
            // A reset or any other error: this client is gone, but the server is fine.
            Err(e) => {
                eprintln!("{peer}: {e}; ending this connection");
                return;
            }
        };
        // A write that times out is a client that reads none of our replies.
        if let Err(e) = conn.write_all(&buf[..n].to_ascii_uppercase()) {
            if is_timeout(&e) {
                eprintln!(
                    "{peer}: the client reads none of our reply (--write-timeout); ending this connection"
                );
            } else {
                eprintln!("{peer}: {e}; ending this connection");
            }
            return;
        }
    }
}

/// Whether `e` is a read or write timeout (`WouldBlock` on Unix, `TimedOut` on Windows).
fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// Sends each non-empty line as one message and prints each reply, until the input ends or a
/// line says `q`.
fn client(addr: &str) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    // A reply that takes longer is an error, not a hang: a busy or stuck server says nothing.
    phone.set_read_timeout(Some(CLIENT_TIMEOUT))?;
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
