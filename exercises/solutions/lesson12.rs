//! Exercise 12, solved: the thread pool (线程池).
//!
//! Lesson 4's echo on a fixed number of threads: `--workers` threads are started once, with the
//! server, and take connections from one bounded queue of `--queue` places. A client the full
//! queue cannot take is told so in one line (lesson 11's busy line) and closed, without a
//! thread. The communication loop and the client are lesson 4's. The worked stage is
//! `src/lessons/thread_pool.rs`, whose queue is a crossbeam channel: std's `sync_channel` is its
//! twin in the standard library.

use std::env;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

/// What a client the full queue cannot take is told, before it is closed.
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
    workers: usize,
    /// How many more clients may wait for a free worker.
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

/// A client waiting for a worker: its connection, and who it is.
type Job = (TcpStream, SocketAddr);

/// Serves every client on `--workers` threads, with up to `--queue` more waiting for one of
/// them, until the program is stopped.
fn server(options: &Options) -> io::Result<()> {
    let listener = TcpListener::bind(&options.addr)?;
    eprintln!("listening on {}", listener.local_addr()?);
    eprintln!(
        "{} worker(s), and up to {} client(s) waiting for one",
        options.workers, options.queue
    );

    // ANCHOR: queue
    // One queue, bounded: `sync_channel(N)` holds at most N connections, and `try_send` says
    // `Full` rather than wait. (With N = 0 it holds none: a connection is taken only by a worker
    // waiting for one.) The stage's crossbeam `bounded(N)` is the same queue.
    let (queue, jobs) = mpsc::sync_channel::<Job>(options.queue);
    // ANCHOR_END: queue
    // std's receiver has one owner: the workers share it behind a mutex, as the Book's pool does.
    let jobs = Arc::new(Mutex::new(jobs));
    for id in 0..options.workers {
        let jobs = Arc::clone(&jobs);
        thread::Builder::new()
            .name(format!("worker {id}"))
            .spawn(move || work(&jobs))?;
    }

    // The connection loop, as in lesson 2; but serving happens on a worker.
    loop {
        let (conn, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("accept: {e}");
                continue;
            }
        };
        eprintln!("{peer} connected");
        // ANCHOR: hand_over
        // Handed to the queue, never waited for: the accept loop must stay free to refuse.
        match queue.try_send((conn, peer)) {
            Ok(()) => {}
            // Every worker busy and the queue full: the connection comes back, to be refused.
            Err(TrySendError::Full((conn, peer))) => {
                eprintln!("{peer}: every worker busy and the queue full; refused");
                refuse(conn);
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(io::Error::other("every worker has gone"));
            }
        }
        // ANCHOR_END: hand_over
    }
}

/// A worker's life: take the next client from the queue, serve it to the end, and again, until
/// the queue is closed.
fn work(jobs: &Mutex<Receiver<Job>>) {
    // ANCHOR: take_job
    loop {
        // The lock is held while waiting for the next client, and let go at the end of this
        // statement, before serving: the other workers can take the clients that come next.
        // (A worker that panicked holding it leaves it "poisoned"; the queue inside is fine.)
        let next = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        // The queue is closed (the accept loop has gone): this worker's work is done.
        let Ok((conn, peer)) = next else {
            return;
        };
        serve_one_client(conn, peer);
    }
    // ANCHOR_END: take_job
}

/// Tells a client the server cannot take why it is turned away, and closes its connection.
fn refuse(mut conn: TcpStream) {
    let _ = conn.write_all(BUSY);
    let _ = conn.shutdown(Shutdown::Write);
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
            // A reset or any other error: this client is gone, but the worker is fine.
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
