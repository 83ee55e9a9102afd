//! Lesson 12 — the thread pool (线程池).
//!
//! **What this stage adds:** a fixed number of threads. Lesson 4 starts a thread for every
//! client; here `--workers` threads are started once, with the server, and the accept loop hands
//! each connection to them through a bounded queue (`--queue`). A flood of clients costs a place
//! in the queue each, never a thread; when the queue is full, the next client is told so in one
//! line and closed, by lesson 11's guard, whose cap is now the pool's size. The communication loop and the
//! client are lesson 4's. The pool is the Rust Book's (its last chapter's `ThreadPool`), with a
//! bounded crossbeam channel in place of `Arc<Mutex<mpsc::Receiver>>`, and the course's one
//! shutdown channel in place of `.take(2)`.
//!
//! **What is still broken:** a worker serves one client for as long as that client stays. With
//! every worker held by a client that says nothing, the next client waits in the queue,
//! unanswered, however little it asks (head-of-line blocking, 队头阻塞).

use std::io::{self, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender};
use log::{error, info, warn};

use crate::guard::{self, Guard, Refusal};
use crate::server::{Connection, Peer, Server};
use crate::stage::Lines;

// ANCHOR: pool
/// A fixed number of threads (workers) that run the jobs given to [`ThreadPool::execute`], in
/// the order they were given, each on whichever worker is free first.
pub struct ThreadPool {
    workers: Vec<Worker>,
    /// Where jobs wait for a free worker. `None` once the pool is being dropped.
    sender: Option<Sender<Job>>,
}

/// A job: any closure a thread can run once.
type Job = Box<dyn FnOnce() + Send + 'static>;

impl ThreadPool {
    /// Starts `size` workers, and a queue where up to `queue` jobs wait for one of them.
    ///
    /// # Panics
    ///
    /// If `size` is zero: a pool without a worker would never run a job.
    pub fn new(size: usize, queue: usize) -> io::Result<ThreadPool> {
        assert!(size > 0);
        // One queue, many takers: a crossbeam receiver can be cloned, one for each worker, and a
        // job goes to exactly one of them. (The Book shares std's single-taker `mpsc::Receiver`
        // behind an `Arc<Mutex<…>>` for the same effect.) Bounded, so that a flood can never
        // fill memory: `execute` waits while it is full. (The server's guard lets in no more
        // clients than the workers and the queue hold, so that wait lasts only until a worker
        // that has just finished a job comes back for the next.)
        let (sender, receiver) = crossbeam_channel::bounded(queue);
        let mut workers = Vec::with_capacity(size);
        for id in 0..size {
            workers.push(Worker::new(id, receiver.clone())?);
        }
        Ok(ThreadPool {
            workers,
            sender: Some(sender),
        })
    }

    /// Gives `job` to the next free worker, or queues it until one is free; waits while the
    /// queue is full.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        if let Some(sender) = &self.sender {
            // Fails only if every worker has gone, which only a panic in each of them can do.
            if sender.send(Box::new(job)).is_err() {
                error!("every worker has panicked: that is a bug");
            }
        }
    }
}

impl Drop for ThreadPool {
    /// Closes the queue and waits for every worker: each finishes its job and the jobs still
    /// queued, then finds the queue closed and returns. No worker outlives the pool.
    fn drop(&mut self) {
        drop(self.sender.take());
        info!("waiting for {} worker(s)", self.workers.len());
        for worker in self.workers.drain(..) {
            if worker.thread.join().is_err() {
                error!("worker {} panicked: that is a bug", worker.id);
            }
        }
    }
}

/// One thread of the pool, and its number.
struct Worker {
    id: usize,
    thread: JoinHandle<()>,
}

impl Worker {
    /// Starts a thread that takes jobs from the queue, one at a time, until it is closed.
    fn new(id: usize, jobs: Receiver<Job>) -> io::Result<Worker> {
        // A fixed number of threads, started once: Rust's default 2 MiB stack is affordable
        // here, unlike lesson 4's thread per client.
        let thread = thread::Builder::new()
            .name(format!("worker {id}"))
            .spawn(move || {
                // `recv` waits for the next job; it fails once the queue is closed and empty.
                while let Ok(job) = jobs.recv() {
                    job();
                }
            })?;
        Ok(Worker { id, thread })
    }
}
// ANCHOR_END: pool

// ANCHOR: serve
/// Serves every client on `workers` threads, with up to `queue` more clients waiting for one of
/// them, until Ctrl-C.
pub fn serve(server: Server, workers: usize, queue: usize) -> io::Result<()> {
    let pool = ThreadPool::new(workers, queue)?;
    // The pool holds `workers` clients served and `queue` waiting: that is its cap, and lesson
    // 11's guard keeps it, with a seat for each client (and no timeouts: see the chapter).
    let guard = Guard::new(workers + queue, None, None).refusing_as(Refusal::new(
        format!("all {workers} worker(s) busy and {queue} client(s) waiting (--workers, --queue)"),
        format!("--workers {workers} --queue {queue}"),
    ));
    // The connection loop, as in lesson 2; but serving happens on a worker.
    while let Some((mut conn, peer)) = server.accept() {
        info!("{peer} connected");
        // Every worker is busy and the queue is full: the guard says so, as lesson 11's does
        // beyond its cap. A client turned away costs no thread and no place in the queue.
        let Some(seat) = guard.admit(&mut conn, peer) else {
            continue;
        };
        // The seat goes with the job, and is given back when the conversation ends.
        pool.execute(move || serve_one_client(conn, peer, seat));
    }
    // Shutdown: `accept` said stop, and every open connection has been closed, so each worker
    // finishes its client, then the clients still queued (each read returns 0 bytes at once).
    // Dropping the pool waits for all of them: no thread outlives the server.
    drop(pool);
    Ok(())
}

/// The communication loop: echo every message until the client leaves. (The seat, the last
/// argument, is dropped first: it is free again before the connection closes.)
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
            // A reset or any other error: this client is gone, but the server is fine.
            Err(e) => {
                warn!("{peer}: {e}; ending this connection");
                return;
            }
        };
        if let Err(e) = conn.write_all(&buf[..n].to_ascii_uppercase()) {
            warn!("{peer}: {e}; ending this connection");
            return;
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: client
/// Sends each non-empty one of `lines` as one message and prints each reply, until the input
/// ends or a line says `q`.
pub fn client(addr: SocketAddr, lines: Lines, output: &mut dyn Write) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
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
