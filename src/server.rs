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

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
#[cfg(unix)]
use std::os::unix::net::{UnixListener, UnixStream};
#[cfg(unix)]
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{Sender, select};
use log::{debug, info, warn};
use socket2::{Domain, Protocol, Socket, Type};

use crate::endpoint::{self, Endpoint};
use crate::escape::peer_text;
use crate::shutdown::ShutdownSignal;

/// How the listening socket is set up. The course's defaults suit every lesson; lesson 11 turns
/// each knob by hand to show what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenOptions {
    /// How many finished handshakes the kernel may queue for us before we call `accept`.
    pub backlog: i32,
    /// `SO_REUSEADDR`: may we bind a port that still has connections in TIME_WAIT?
    pub reuse_address: bool,
}

impl Default for ListenOptions {
    /// The course's defaults.
    ///
    /// The tutorial's `phone.listen(5)` uses a backlog of 5. We ask for 4096 (Linux caps it at
    /// `net.core.somaxconn`, 4096 by default) because in lesson 4 thousands of clients may arrive
    /// in a burst, faster than one thread can accept them and start a thread for each: when the
    /// queue is full the kernel drops the client's handshake, and the client waits a whole second
    /// to retry.
    ///
    /// Address reuse is on, on Unix: restarting a server right after stopping it would otherwise
    /// fail with "Address already in use" for a minute or two, while the old connections sit in
    /// TIME_WAIT. (On Windows the same option would let a second server steal a port that is in
    /// use, so there it stays off.)
    fn default() -> ListenOptions {
        ListenOptions {
            backlog: 4096,
            reuse_address: cfg!(unix),
        }
    }
}

/// A listening socket that knows how to stop.
pub struct Server {
    listener: Listener,
    shutdown: ShutdownSignal,
    open: Arc<OpenConnections>,
    /// Run by the watcher when shutdown comes, before it closes the connections (see
    /// [`Server::before_closing`]).
    farewell: Arc<Mutex<Option<Farewell>>>,
    /// Dropped when the server ends on its own (lesson 1 serves once), to let the watcher go.
    done: Option<Sender<()>>,
    watcher: Option<JoinHandle<()>>,
}

/// What [`Server::before_closing`] runs.
type Farewell = Box<dyn FnOnce() + Send>;

/// What a server listens with: TCP, or a Unix domain socket (and its path, removed at the end).
enum Listener {
    Tcp(TcpListener),
    #[cfg(unix)]
    /// The listener, its path, and the file's identity (device, inode), so that we remove our
    /// own socket file at the end and never one that another server has bound there since.
    Unix(UnixListener, PathBuf, (u64, u64)),
}

impl Server {
    /// socket → bind → listen on `addr`, with the course's [`ListenOptions`].
    pub fn bind(addr: SocketAddr, shutdown: ShutdownSignal) -> io::Result<Server> {
        Server::bind_with(&Endpoint::Ip(addr), ListenOptions::default(), shutdown)
    }

    /// socket → bind → listen on any endpoint, with the given options.
    pub fn bind_with(
        endpoint: &Endpoint,
        options: ListenOptions,
        shutdown: ShutdownSignal,
    ) -> io::Result<Server> {
        let listener = match endpoint {
            Endpoint::Ip(addr) => Listener::Tcp(listen_tcp(*addr, options)?),
            #[cfg(unix)]
            Endpoint::Unix(path) => {
                let listener = listen_unix(path)?;
                Listener::Unix(listener, path.clone(), file_identity(path)?)
            }
            #[cfg(not(unix))]
            Endpoint::Unix(_) => {
                return Err(io::Error::new(
                    ErrorKind::Unsupported,
                    "Unix domain sockets need a Unix system",
                ));
            }
        };
        let open = Arc::new(OpenConnections::default());
        // The socket that will wake `accept` is made now, not at shutdown: a server that has run
        // out of file descriptors must still be able to stop.
        let wake_up = WakeUp::new(&listener)?;
        let (done, server_done) = crossbeam_channel::bounded::<()>(0);
        let farewell: Arc<Mutex<Option<Farewell>>> = Arc::default();
        let watcher = {
            let (shutdown, open) = (shutdown.clone(), Arc::clone(&open));
            let farewell = Arc::clone(&farewell);
            thread::Builder::new()
                .name("shutdown".into())
                .spawn(move || {
                    select! {
                        recv(shutdown.signal()) -> _ => {
                            let goodbye = farewell.lock().unwrap_or_else(PoisonError::into_inner).take();
                            if let Some(goodbye) = goodbye {
                                goodbye();
                            }
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
            farewell,
            done: Some(done),
            watcher: Some(watcher),
        })
    }

    /// Where we actually listen (useful after binding port 0).
    pub fn local_endpoint(&self) -> io::Result<Endpoint> {
        match &self.listener {
            Listener::Tcp(listener) => listener.local_addr().map(Endpoint::Ip),
            #[cfg(unix)]
            Listener::Unix(_, path, _) => Ok(Endpoint::Unix(path.clone())),
        }
    }

    /// The IP address we actually listen on (useful after binding port 0). An error for a
    /// server on a Unix domain socket, which has a path instead: see [`Server::local_endpoint`].
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        match self.local_endpoint()? {
            Endpoint::Ip(addr) => Ok(addr),
            Endpoint::Unix(path) => Err(io::Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "the server listens on unix:{}, not an IP address",
                    path.display()
                ),
            )),
        }
    }

    /// A second handle on the listening TCP socket, set nonblocking, for a server that waits on
    /// many sockets at once instead of blocking in [`Server::accept`] (lesson 13's event loop).
    /// Both handles share one socket, and so its nonblocking mode: such a server never calls
    /// [`Server::accept`]. Its connections are its own, not in the list that shutdown closes;
    /// [`Server::before_closing`] is how it hears shutdown come. An error for a Unix socket.
    pub fn nonblocking_listener(&self) -> io::Result<TcpListener> {
        match &self.listener {
            Listener::Tcp(listener) => {
                let listener = listener.try_clone()?;
                listener.set_nonblocking(true)?;
                Ok(listener)
            }
            #[cfg(unix)]
            Listener::Unix(..) => Err(io::Error::new(
                ErrorKind::Unsupported,
                "this server listens on a Unix socket, not TCP",
            )),
        }
    }

    /// The shutdown signal this server obeys (its connection threads may want to wait on it).
    pub fn shutdown(&self) -> &ShutdownSignal {
        &self.shutdown
    }

    /// Gives the stage a last word: when shutdown comes, `goodbye` runs first, and only then are
    /// the open connections closed. A chat room tells every member it is closing (lesson 9);
    /// bytes written before the close still reach the peer, because closing (`shutdown`) sends
    /// what is queued before its FIN. `goodbye` must return promptly, and it runs at most once
    /// (a second call replaces the first).
    pub fn before_closing(&self, goodbye: impl FnOnce() + Send + 'static) {
        *self.farewell.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(goodbye));
    }

    /// Waits for the next client. `None` means shutdown was triggered: stop accepting.
    ///
    /// Failures of `accept` itself belong to no client we know. A client that gave up during the
    /// handshake is simply skipped; anything else (no file descriptors left, say) is logged, and
    /// we pause before trying again.
    pub fn accept(&self) -> Option<(Connection, Peer)> {
        loop {
            if self.shutdown.is_triggered() {
                return None;
            }
            let accepted = match &self.listener {
                Listener::Tcp(listener) => listener
                    .accept()
                    .map(|(stream, peer)| (Stream::Tcp(stream), Some(peer))),
                #[cfg(unix)]
                Listener::Unix(listener, ..) => listener
                    .accept()
                    .map(|(stream, _)| (Stream::Unix(stream), None)),
            };
            match accepted {
                // This may be the watcher's wake-up call, or a real client who arrived just as we
                // began to stop; either way we are stopping, and dropping the stream hangs up.
                Ok(_) if self.shutdown.is_triggered() => return None,
                Ok((stream, addr)) => return Some(self.open.register(stream, addr)),
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

// ANCHOR: bind
/// socket → bind → listen: the tutorial's first three lines.
///
/// ```python
/// phone = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # buy a phone
/// phone.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
/// phone.bind(('127.0.0.1', 8080))                             # insert the SIM card
/// phone.listen(5)                                             # switch it on
/// ```
fn listen_tcp(addr: SocketAddr, options: ListenOptions) -> io::Result<TcpListener> {
    // socket(): an IPv4 or IPv6 *stream* socket, i.e. TCP.
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // May we bind a port whose old connections still sit in TIME_WAIT? (Yes, on Unix, by default:
    // see `ListenOptions`.)
    socket.set_reuse_address(options.reuse_address)?;
    // bind(): claim the address and port. Port 0 asks the kernel for any free port.
    socket.bind(&addr.into())?;
    // listen(): from now on the kernel completes handshakes for us and queues them, up to
    // `backlog` of them (4096 by default; the tutorial asks for 5).
    socket.listen(options.backlog)?;
    Ok(socket.into())
}
// ANCHOR_END: bind

/// A Unix domain socket is a name in the file system. A file left there by a server that was
/// killed would make `bind` fail with "Address in use" although nobody listens; so a stale
/// *socket* file (never any other kind of file) is removed first.
#[cfg(unix)]
fn listen_unix(path: &Path) -> io::Result<UnixListener> {
    use std::os::unix::fs::FileTypeExt;
    if let Ok(metadata) = std::fs::symlink_metadata(path) {
        let nobody_listens = UnixStream::connect(path).is_err();
        if metadata.file_type().is_socket() && nobody_listens {
            std::fs::remove_file(path)?;
        }
    }
    UnixListener::bind(path)
}

/// Which file is at `path` now: its device and inode.
#[cfg(unix)]
fn file_identity(path: &Path) -> io::Result<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::symlink_metadata(path)?;
    Ok((metadata.dev(), metadata.ino()))
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing our end of the `done` channel wakes the watcher if shutdown never came.
        drop(self.done.take());
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
        // A Unix socket's name outlives the socket unless we remove it.
        #[cfg(unix)]
        if let Listener::Unix(_, path, identity) = &self.listener {
            if file_identity(path).is_ok_and(|now| now == *identity) {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// Who is on the other end of a connection: an IP address and port, or, for a Unix domain
/// socket (whose clients usually have no name), the number the server gave the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    Ip(SocketAddr),
    Unix(u64),
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Ip(addr) => write!(f, "{addr}"),
            Peer::Unix(number) => write!(f, "unix client #{number}"),
        }
    }
}

// ANCHOR: wake_up
/// A socket made in advance, that connects to our own listening address so that a thread
/// blocked in `accept` returns.
enum WakeUp {
    Tcp {
        socket: Socket,
        target: SocketAddr,
    },
    #[cfg(unix)]
    Unix(PathBuf),
}

impl WakeUp {
    fn new(listener: &Listener) -> io::Result<WakeUp> {
        // A server bound to "every interface" is reached through loopback.
        let target = match listener {
            Listener::Tcp(listener) => endpoint::reachable(listener.local_addr()?),
            // Connecting to a path needs no socket made in advance: the path is enough.
            #[cfg(unix)]
            Listener::Unix(_, path, _) => return Ok(WakeUp::Unix(path.clone())),
        };
        let socket = Socket::new(
            Domain::for_address(target),
            Type::STREAM,
            Some(Protocol::TCP),
        )?;
        Ok(WakeUp::Tcp { socket, target })
    }

    fn ring(self) {
        let rung = match &self {
            WakeUp::Tcp { socket, target } => {
                socket.connect_timeout(&(*target).into(), Duration::from_secs(1))
            }
            #[cfg(unix)]
            WakeUp::Unix(path) => UnixStream::connect(path).map(drop),
        };
        if let Err(e) = rung {
            warn!("could not wake the accept loop: {e}");
        }
    }
}
// ANCHOR_END: wake_up

/// A connected socket of either kind. Reading, writing and shutting down all work through a
/// shared reference (the kernel, not Rust, keeps a socket's state), which is what lets the
/// connection's thread and the shutdown watcher share one socket.
enum Stream {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(UnixStream),
}

impl Stream {
    fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        match self {
            Stream::Tcp(stream) => stream.shutdown(how),
            #[cfg(unix)]
            Stream::Unix(stream) => stream.shutdown(how),
        }
    }
}

/// Every connection that is still open, so shutdown can close them all.
#[derive(Default)]
struct OpenConnections {
    state: Mutex<OpenState>,
    /// Set once shutdown has swept the list (written under the lock; read without it, by every
    /// connection whose read just returned 0 bytes).
    closed: AtomicBool,
}

#[derive(Default)]
struct OpenState {
    next_id: u64,
    streams: HashMap<u64, Arc<Stream>>,
    /// The connections whose threads asked to say goodbye at shutdown
    /// ([`Connection::keep_writable_at_shutdown`]).
    say_goodbye: HashSet<u64>,
}

impl OpenConnections {
    fn lock(&self) -> std::sync::MutexGuard<'_, OpenState> {
        // Poisoning means a thread panicked mid-update of a HashMap insert/remove; the map is
        // still usable, and shutdown must not fail because of an unrelated bug.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn register(self: &Arc<Self>, stream: Stream, addr: Option<SocketAddr>) -> (Connection, Peer) {
        // One socket, two owners: the connection's thread, and this list. (A shared socket can
        // read, write and shut down, so sharing it needs no second file descriptor.)
        let stream = Arc::new(stream);
        let mut state = self.lock();
        if self.closed.load(Ordering::SeqCst) {
            // Shutdown already swept the list; close this one now so its reader is not stranded.
            let _ = stream.shutdown(Shutdown::Both);
        }
        let id = state.next_id;
        state.next_id += 1;
        state.streams.insert(id, Arc::clone(&stream));
        let peer = addr.map_or(Peer::Unix(id), Peer::Ip);
        let connection = Connection {
            stream,
            id,
            peer,
            open: Arc::clone(self),
        };
        (connection, peer)
    }

    // ANCHOR: close_all
    fn close_all(&self) -> usize {
        // Take the list out under the lock, and close outside it. Each close wakes a client
        // thread whose way out (`Connection::drop`) takes this same lock: held through every
        // close, it would park all those threads on it, to be let through one at a time.
        let (streams, say_goodbye) = {
            let mut state = self.lock();
            self.closed.store(true, Ordering::SeqCst);
            (
                std::mem::take(&mut state.streams),
                std::mem::take(&mut state.say_goodbye),
            )
        };
        let closed = streams.len();
        for (id, stream) in streams {
            // Wakes the thread blocked reading this connection: its read returns 0 bytes. One
            // that asked to say goodbye first (lesson 10) keeps its writing side for that.
            let how = if say_goodbye.contains(&id) {
                Shutdown::Read
            } else {
                Shutdown::Both
            };
            let _ = stream.shutdown(how);
        }
        closed
    }
    // ANCHOR_END: close_all
}

/// How long a write may wait for a peer that does not read, on a connection that stays writable
/// at shutdown ([`Connection::keep_writable_at_shutdown`]).
pub const LAST_WORDS: Duration = Duration::from_secs(2);

/// An accepted connection: read and write it like a `TcpStream`. The server remembers it until
/// it is dropped, so that Ctrl-C can close it.
pub struct Connection {
    stream: Arc<Stream>,
    id: u64,
    peer: Peer,
    open: Arc<OpenConnections>,
}

impl Connection {
    /// The TCP socket, for TCP's own options (`set_nodelay`, ...); `None` on a Unix socket.
    pub fn as_tcp(&self) -> Option<&TcpStream> {
        match &*self.stream {
            Stream::Tcp(stream) => Some(stream),
            #[cfg(unix)]
            Stream::Unix(_) => None,
        }
    }

    /// How long a `read` may wait before it fails with a timeout (`None`: forever).
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match &*self.stream {
            Stream::Tcp(stream) => stream.set_read_timeout(timeout),
            #[cfg(unix)]
            Stream::Unix(stream) => stream.set_read_timeout(timeout),
        }
    }

    /// How long a `write` may wait for the peer to make room before it fails with a timeout.
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match &*self.stream {
            Stream::Tcp(stream) => stream.set_write_timeout(timeout),
            #[cfg(unix)]
            Stream::Unix(stream) => stream.set_write_timeout(timeout),
        }
    }

    /// Shuts down one or both directions (the peer's `read` then returns 0 bytes).
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.stream.shutdown(how)
    }

    // ANCHOR: keep_writable
    /// Asks shutdown to close only this connection's reading side: a blocked read still returns
    /// 0 bytes, but the thread can still write, to say goodbye (lesson 10's robot), and then
    /// hangs up by itself. So that it cannot keep the server from stopping, its writes now time
    /// out after [`LAST_WORDS`]: a peer that never reads would otherwise hold it forever.
    pub fn keep_writable_at_shutdown(&self) -> io::Result<()> {
        self.set_write_timeout(Some(LAST_WORDS))?;
        let mut state = self.open.lock();
        if !self.open.closed.load(Ordering::SeqCst) {
            state.say_goodbye.insert(self.id);
        }
        Ok(())
    }
    // ANCHOR_END: keep_writable

    /// Whether the server is shutting down and has closed (or is closing) its connections: then
    /// a read that returned 0 bytes was our own shutdown, not the peer's goodbye.
    pub fn server_is_stopping(&self) -> bool {
        self.open.closed.load(Ordering::SeqCst)
    }
}

// Reading and writing go straight to the socket, through a shared reference. With
// `RUST_LOG=debug` every read and write is logged, as the tutorial prints what it receives; the
// bytes are the peer's, so they are escaped.
impl Read for Connection {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match &*self.stream {
            Stream::Tcp(stream) => (&*stream).read(buf),
            #[cfg(unix)]
            Stream::Unix(stream) => (&*stream).read(buf),
        }?;
        debug!(
            "{}: received {n} bytes: {}",
            self.peer,
            peer_text(&buf[..n])
        );
        if n == 0 && self.open.closed.load(Ordering::SeqCst) {
            // 0 bytes looks like the peer's goodbye, but it was our own shutdown: say so.
            info!(
                "{}: the server is shutting down and ends this conversation",
                self.peer
            );
        }
        Ok(n)
    }
}

impl Write for Connection {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = match &*self.stream {
            Stream::Tcp(stream) => (&*stream).write(buf),
            #[cfg(unix)]
            Stream::Unix(stream) => (&*stream).write(buf),
        }?;
        debug!("{}: sent {n} bytes: {}", self.peer, peer_text(&buf[..n]));
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        let mut state = self.open.lock();
        state.streams.remove(&self.id);
        state.say_goodbye.remove(&self.id);
    }
}
