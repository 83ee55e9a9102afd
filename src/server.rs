//! The parts of a server that are the same in every lesson: the listening socket, and the
//! bookkeeping that lets Ctrl-C stop a server whose threads are all blocked in system calls.
//!
//! Each stage in `src/lessons/` writes its own loop around [`Server::accept`]; that loop *is* the
//! lesson. Everything here is plumbing the tutorial does not show, because a Python script killed by
//! Ctrl-C just dies. We want ours to stop *cleanly*: every client told, every thread joined.
//!
//! The difficulty is that a thread blocked in `accept` or `read` does not look at any flag. It has
//! to be woken from outside:
//! - `accept` is woken by connecting to ourselves: the blocked call returns that connection, the
//!   loop sees the shutdown flag, and stops.
//! - `read` is woken by `shutdown(Both)` on the same socket from another thread: the blocked read
//!   returns 0 bytes, exactly as if the client had hung up, so the lesson's ordinary "0 bytes means
//!   closed" code ends the conversation. For that the server keeps a list of every open connection
//!   (the same sockets the lesson's threads use, shared, not copies).

use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown as Direction, SocketAddr, TcpListener, TcpStream};
use std::ops::Deref;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{Sender, select};
use log::{info, warn};
use socket2::{Domain, Protocol, Socket, Type};

use crate::shutdown::Shutdown;

/// How many finished handshakes the kernel may queue for us before we call `accept`.
/// The tutorial's `phone.listen(5)` uses 5. We ask for 4096 (Linux caps it at
/// `net.core.somaxconn`, 4096 by default) because in lesson 4 thousands of clients may arrive in
/// a burst, faster than one thread can accept them and start a thread for each: when the queue
/// is full the kernel drops the client's handshake, and the client waits a whole second to retry.
const BACKLOG: i32 = 4096;

/// A listening socket that knows how to stop.
pub struct Server {
    listener: TcpListener,
    shutdown: Shutdown,
    open: Arc<OpenConnections>,
    /// Dropped when the server ends on its own (lesson 1 serves once), to let the watcher go.
    done: Option<Sender<()>>,
    watcher: Option<JoinHandle<()>>,
}

impl Server {
    /// socket → bind → listen: the tutorial's first three lines.
    ///
    /// ```python
    /// phone = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # buy a phone
    /// phone.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    /// phone.bind(('127.0.0.1', 8080))                             # insert the SIM card
    /// phone.listen(5)                                             # switch it on
    /// ```
    // ANCHOR: bind
    pub fn bind(addr: SocketAddr, shutdown: Shutdown) -> io::Result<Server> {
        // socket(): an IPv4 or IPv6 *stream* socket, i.e. TCP.
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
        // Restarting a server right after stopping it would otherwise fail with "Address already
        // in use" for a minute or two, while the old connections sit in TIME_WAIT. (Only on
        // Unix: on Windows this option would let a second server steal a port that is in use.)
        #[cfg(unix)]
        socket.set_reuse_address(true)?;
        // bind(): claim the address and port. Port 0 asks the kernel for any free port.
        socket.bind(&addr.into())?;
        // listen(): from now on the kernel completes handshakes for us and queues them.
        socket.listen(BACKLOG)?;
        let listener: TcpListener = socket.into();
        // ANCHOR_END: bind

        let local = listener.local_addr()?;
        let open = Arc::new(OpenConnections::default());
        // The socket that will wake `accept` is made now, not at shutdown: a server that has run
        // out of file descriptors must still be able to stop.
        let wake_up = WakeUp::new(local)?;
        let (done, server_done) = crossbeam_channel::bounded::<()>(0);
        let watcher = {
            let (shutdown, open) = (shutdown.clone(), Arc::clone(&open));
            thread::Builder::new()
                .name("shutdown".into())
                .spawn(move || {
                    select! {
                        recv(shutdown.signal()) -> _ => {
                            // Not inside `info!(...)`: a log macro skips its arguments when its
                            // level is off, and closing the connections must never be skipped.
                            let closed = open.close_all();
                            info!("shutting down: closed {closed} open connection(s)");
                            wake_up.ring();
                        }
                        recv(server_done) -> _ => {}
                    }
                })?
        };
        Ok(Server {
            listener,
            shutdown,
            open,
            done: Some(done),
            watcher: Some(watcher),
        })
    }

    /// The address we actually listen on (useful after binding port 0).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Waits for the next client. `None` means shutdown was triggered: stop accepting.
    ///
    /// Failures of `accept` itself belong to no client we know. A client that gave up during the
    /// handshake is simply skipped; anything else (no file descriptors left, say) is logged, and
    /// we pause before trying again.
    pub fn accept(&self) -> Option<(Connection, SocketAddr)> {
        loop {
            if self.shutdown.is_triggered() {
                return None;
            }
            match self.listener.accept() {
                // This may be the watcher's wake-up call, or a real client who arrived just as we
                // began to stop; either way we are stopping, and dropping the stream hangs up.
                Ok(_) if self.shutdown.is_triggered() => return None,
                Ok((stream, peer)) => return Some((self.open.register(stream), peer)),
                // A client that hung up during the handshake: nothing to serve, try again.
                Err(e) if e.kind() == ErrorKind::ConnectionAborted => {}
                Err(e) => {
                    // Out of file descriptors or memory: retrying at once would fail again at
                    // 100% CPU. Pause, so that clients who leave can free what we need.
                    warn!("accept failed: {e}; retrying shortly");
                    thread::sleep(Duration::from_millis(100));
                }
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing our end of the `done` channel wakes the watcher if shutdown never came.
        drop(self.done.take());
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
    }
}

// ANCHOR: wake_up
/// A socket made in advance, that connects to our own listening address so that a thread
/// blocked in `accept` returns.
struct WakeUp {
    socket: Socket,
    target: SocketAddr,
}

impl WakeUp {
    fn new(mut target: SocketAddr) -> io::Result<WakeUp> {
        // A server bound to "every interface" (0.0.0.0 or ::) cannot be connected to at that
        // address; loopback reaches it.
        if target.ip().is_unspecified() {
            target.set_ip(match target {
                SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
            });
        }
        let socket = Socket::new(
            Domain::for_address(target),
            Type::STREAM,
            Some(Protocol::TCP),
        )?;
        Ok(WakeUp { socket, target })
    }

    fn ring(self) {
        if let Err(e) = self
            .socket
            .connect_timeout(&self.target.into(), Duration::from_secs(1))
        {
            warn!("could not wake the accept loop at {}: {e}", self.target);
        }
    }
}
// ANCHOR_END: wake_up

/// Every connection that is still open, so shutdown can close them all.
#[derive(Default)]
struct OpenConnections {
    state: Mutex<OpenState>,
}

#[derive(Default)]
struct OpenState {
    closed: bool,
    next_id: u64,
    streams: HashMap<u64, Arc<TcpStream>>,
}

impl OpenConnections {
    fn lock(&self) -> std::sync::MutexGuard<'_, OpenState> {
        // Poisoning means a thread panicked mid-update of a HashMap insert/remove; the map is
        // still usable, and shutdown must not fail because of an unrelated bug.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn register(self: &Arc<Self>, stream: TcpStream) -> Connection {
        // One socket, two owners: the connection's thread, and this list. (`&TcpStream` can read,
        // write and shut down, so sharing it needs no second file descriptor.)
        let stream = Arc::new(stream);
        let mut state = self.lock();
        if state.closed {
            // Shutdown already swept the list; close this one now so its reader is not stranded.
            let _ = stream.shutdown(Direction::Both);
        }
        let id = state.next_id;
        state.next_id += 1;
        state.streams.insert(id, Arc::clone(&stream));
        Connection {
            stream,
            id,
            open: Arc::clone(self),
        }
    }

    // ANCHOR: close_all
    fn close_all(&self) -> usize {
        let mut state = self.lock();
        state.closed = true;
        for stream in state.streams.values() {
            // Wakes the thread blocked reading this connection: its read returns 0 bytes.
            let _ = stream.shutdown(Direction::Both);
        }
        state.streams.len()
    }
    // ANCHOR_END: close_all
}

/// An accepted connection: read and write it like a [`TcpStream`] (and call `TcpStream`'s methods
/// on it). The server remembers it until it is dropped, so that Ctrl-C can close it.
pub struct Connection {
    stream: Arc<TcpStream>,
    id: u64,
    open: Arc<OpenConnections>,
}

impl Deref for Connection {
    type Target = TcpStream;
    fn deref(&self) -> &TcpStream {
        &self.stream
    }
}

// Reading and writing go straight to the socket, through `&TcpStream`, which std lets read and
// write (the kernel, not Rust, keeps a socket's state).
impl Read for Connection {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (&*self.stream).read(buf)
    }
}

impl Write for Connection {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&*self.stream).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&*self.stream).flush()
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.open.lock().streams.remove(&self.id);
    }
}
