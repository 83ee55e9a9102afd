//! `netassist` over a byte stream: TCP, or a Unix domain socket.
//!
//! A client has two threads besides the main one: one reads and shows every read (and with
//! `--echo` writes it back), one sends the input. The main thread waits for whichever comes
//! first: the peer closing, Ctrl-C, or the end of `--wait`. A server accepts on one thread and
//! gives every client a thread that reads it; the input goes to every client connected.

use std::collections::HashMap;
use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, after, never, select};

use super::display::Way;
use super::{Session, bind_error, lock};
use crate::probe::{BoundedThread, PATIENCE, connect_unless_stopped};
use socket_lessons::endpoint::Endpoint;
use socket_lessons::server::{Connection, Peer as PeerAddress};
use socket_lessons::server::{ListenOptions, Server};
use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons::timeout::is_timeout;

/// Every client of a server, by number, and how to send it what the input says.
type Clients = Mutex<HashMap<u64, (Arc<Peer>, Writer)>>;

/// How the input reaches one client of a server.
enum Writer {
    /// A second handle on the TCP socket, written from the input's thread.
    Tcp(TcpStream),
    /// A Unix client's socket is the server's own, with no second handle: the input is queued
    /// for the client's thread, which writes it between reads (see [`Queued`]).
    Queue(Sender<Vec<u8>>),
}

/// How long a Unix client's thread waits in `read` before it looks at its queue: the most a
/// line typed for it is held back.
const QUEUE_POLL: Duration = Duration::from_millis(20);

/// How much one read takes at most: a read shows what the kernel had, up to this.
const READ_SIZE: usize = 64 * 1024;

/// One end of a conversation, as shown: its label, and how far each direction has come.
pub struct Peer {
    pub label: String,
    received: AtomicU64,
    sent: AtomicU64,
}

impl Peer {
    pub fn new(label: String) -> Arc<Peer> {
        Arc::new(Peer {
            label,
            received: AtomicU64::new(0),
            sent: AtomicU64::new(0),
        })
    }

    /// Shows a block received from this peer, at its place in the stream (in order with the
    /// sends: [`Display::in_order`](super::display::Display::in_order)).
    pub fn show_received(&self, session: &Session, bytes: &[u8]) {
        let _in_order = session.display.in_order();
        let offset = self
            .received
            .fetch_add(bytes.len() as u64, Ordering::SeqCst);
        session
            .display
            .block(Way::Received, &self.label, bytes, offset);
    }

    /// Shows a block sent to this peer. (A sender that may race a reader shows it in the same
    /// step as it sends it: `send_shown`, [`Peer::send_and_show`].)
    pub fn show_sent(&self, session: &Session, bytes: &[u8]) {
        let offset = self.sent.fetch_add(bytes.len() as u64, Ordering::SeqCst);
        session.display.block(Way::Sent, &self.label, bytes, offset);
    }

    /// Sends `bytes` with `send`, which must not wait (a datagram, say), and shows the block in
    /// the same step, in order with what is received; or, if the send failed, says why. Says
    /// whether it was sent.
    pub fn send_and_show(
        &self,
        session: &Session,
        bytes: &[u8],
        send: impl FnOnce() -> io::Result<()>,
    ) -> bool {
        let in_order = session.display.in_order();
        let sent = send();
        if sent.is_ok() {
            self.show_sent(session, bytes);
        }
        drop(in_order);
        self.sent_or_failed(session, sent)
    }

    /// Whether a send went; if it failed, the event that says why.
    pub fn sent_or_failed(&self, session: &Session, sent: io::Result<()>) -> bool {
        if let Err(e) = &sent {
            session
                .display
                .event("send failed", &self.label, &e.to_string());
        }
        sent.is_ok()
    }
}

// ANCHOR: send_shown
/// Writes all of `message` to a stream socket, showing each piece in the same step as the
/// kernel takes it, so that a reply to it can never be shown above it (see
/// [`Display::in_order`](super::display::Display::in_order)). A piece is sent without waiting
/// (`MSG_DONTWAIT`); when the socket's buffer is full, we wait for room without holding the
/// order, so that the reading thread goes on reading and showing what arrives meanwhile (a
/// peer that answers while we send, and that we did not read, would otherwise stop reading us).
/// A message the kernel takes whole, as it almost always does, is one block.
#[cfg(unix)]
fn send_shown(
    session: &Session,
    peer: &Peer,
    stream: &impl std::os::fd::AsFd,
    message: &[u8],
) -> io::Result<()> {
    let socket = socket2::SockRef::from(stream);
    let mut rest = message;
    while !rest.is_empty() {
        let sent = {
            let _in_order = session.display.in_order();
            let sent = socket.send_with_flags(rest, libc::MSG_DONTWAIT);
            if let Ok(n @ 1..) = sent {
                peer.show_sent(session, &rest[..n]);
            }
            sent
        };
        match sent {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => rest = &rest[n..],
            Err(e) if e.kind() == ErrorKind::WouldBlock => wait_for_room(&socket)?,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
// ANCHOR_END: send_shown

/// Waits until `socket` can take more bytes, or has failed (then the next send says how). A
/// socket shut down from another thread (Ctrl-C) wakes it too.
#[cfg(unix)]
fn wait_for_room(socket: &socket2::SockRef<'_>) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let mut room = libc::pollfd {
        fd: socket.as_raw_fd(),
        events: libc::POLLOUT,
        revents: 0,
    };
    // SAFETY: poll(2) reads and writes the one pollfd we pass, and nothing else.
    match unsafe { libc::poll(&mut room, 1, -1) } {
        -1 => {
            let e = io::Error::last_os_error();
            if e.kind() == ErrorKind::Interrupted {
                Ok(())
            } else {
                Err(e)
            }
        }
        _ => Ok(()),
    }
}

/// Where there is no `MSG_DONTWAIT`: the message is written whole, then shown.
#[cfg(not(unix))]
fn send_shown<S>(session: &Session, peer: &Peer, stream: &S, message: &[u8]) -> io::Result<()>
where
    for<'a> &'a S: Write,
{
    let mut stream = stream;
    stream.write_all(message)?;
    peer.show_sent(session, message);
    Ok(())
}

// ANCHOR: show_every_read
/// Reads until the peer closes, showing each read as its block; with `--echo`, writes each
/// read back as it came.
fn show_every_read(
    session: &Session,
    peer: &Peer,
    stream: &mut (impl Read + Write),
) -> io::Result<()> {
    let mut buf = vec![0u8; READ_SIZE];
    loop {
        let n = match stream.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(());
        }
        peer.show_received(session, &buf[..n]);
        if session.echo {
            stream.write_all(&buf[..n])?;
            peer.show_sent(session, &buf[..n]);
        }
    }
}
// ANCHOR_END: show_every_read

/// A connected stream socket of either kind.
enum Duplex {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(UnixStream),
}

impl Duplex {
    /// Connects; `None` if Ctrl-C came first (a TCP server that never answers would otherwise
    /// hold us for [`PATIENCE`]).
    fn open(endpoint: &Endpoint, shutdown: &ShutdownSignal) -> io::Result<Option<Duplex>> {
        match endpoint {
            Endpoint::Ip(addr) => {
                let Some(stream) = connect_unless_stopped(*addr, shutdown) else {
                    return Ok(None);
                };
                let stream = stream?;
                // What we send leaves as we send it: one line, one write, one segment.
                stream.set_nodelay(true)?;
                Ok(Some(Duplex::Tcp(stream)))
            }
            #[cfg(unix)]
            Endpoint::Unix(path) => UnixStream::connect(path).map(|s| Some(Duplex::Unix(s))),
            #[cfg(not(unix))]
            Endpoint::Unix(_) => Err(io::Error::new(
                ErrorKind::Unsupported,
                "Unix domain sockets need a Unix system",
            )),
        }
    }

    fn try_clone(&self) -> io::Result<Duplex> {
        match self {
            Duplex::Tcp(s) => s.try_clone().map(Duplex::Tcp),
            #[cfg(unix)]
            Duplex::Unix(s) => s.try_clone().map(Duplex::Unix),
        }
    }

    fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        match self {
            Duplex::Tcp(s) => s.shutdown(how),
            #[cfg(unix)]
            Duplex::Unix(s) => s.shutdown(how),
        }
    }
}

#[cfg(unix)]
impl std::os::fd::AsFd for Duplex {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        match self {
            Duplex::Tcp(s) => s.as_fd(),
            Duplex::Unix(s) => s.as_fd(),
        }
    }
}

impl Read for Duplex {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Duplex::Tcp(s) => s.read(buf),
            #[cfg(unix)]
            Duplex::Unix(s) => s.read(buf),
        }
    }
}

#[cfg(not(unix))]
impl Write for &Duplex {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Duplex::Tcp(s) => (&*s).write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Write for Duplex {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Duplex::Tcp(s) => s.write(buf),
            #[cfg(unix)]
            Duplex::Unix(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `tcp-client` and `unix-client`.
pub fn connect(endpoint: &Endpoint, session: Arc<Session>) -> Result<(), String> {
    let opened = Duplex::open(endpoint, &session.shutdown).map_err(|e| match e.kind() {
        ErrorKind::ConnectionRefused | ErrorKind::NotFound => {
            crate::t!(
                "netassist-error-nothing-listening",
                endpoint = endpoint.to_string(),
                error = e.to_string()
            )
        }
        _ => crate::t!(
            "netassist-error-cannot-connect",
            endpoint = endpoint.to_string(),
            error = e.to_string()
        ),
    })?;
    let Some(stream) = opened else {
        // Ctrl-C while connecting: nothing was sent or received.
        session.print_counters();
        return Ok(());
    };
    let peer = Peer::new(endpoint.to_string());
    session.count_connection();
    session.display.event("connected", &peer.label, "");
    let clone = |stream: &Duplex| stream.try_clone().map_err(|e| e.to_string());

    let (read_done, read_ended) = crossbeam_channel::bounded::<io::Result<()>>(1);
    let reader = {
        let (session, peer, mut stream) =
            (Arc::clone(&session), Arc::clone(&peer), clone(&stream)?);
        thread::Builder::new()
            .name("reader".into())
            .spawn(move || {
                let _ = read_done.send(show_every_read(&session, &peer, &mut stream));
            })
            .map_err(|e| e.to_string())?
    };
    let input_ended = {
        let (sender, peer, stream) = (Arc::clone(&session), Arc::clone(&peer), clone(&stream)?);
        session.spawn_sender(move |message| {
            let written = send_shown(&sender, &peer, &stream, message);
            peer.sent_or_failed(&sender, written)
        })?
    };

    let end = wait_for_both_ends(&session, &peer, &stream, input_ended, &read_ended);
    // The end for our side too: the reader, if it still waits, reads 0 bytes, and a send still
    // waiting for room on a peer that stopped reading fails now, instead of keeping the counters
    // waiting.
    let _ = stream.shutdown(Shutdown::Both);
    if let End::ByUs { reader_done } = end {
        if !reader_done {
            read_ended
                .recv_timeout(PATIENCE)
                .map_err(|_| "the reader did not stop within PATIENCE".to_string())?
                .unwrap_or_else(|e| session.display.event("failed", &peer.label, &e.to_string()));
        }
        session.display.event("closed", &peer.label, "");
    }
    let _ = reader.join();
    session.print_counters();
    Ok(())
}

/// How a client's conversation ended.
enum End {
    /// Ctrl-C, or the end of `--wait`; `reader_done`: the peer had closed its side already.
    ByUs { reader_done: bool },
    /// Both sides closed, or the connection failed.
    ByItself,
}

/// What a client waits for once its threads run: Ctrl-C, or the end of `--wait` after the input
/// ended (then we end it); a failed connection; or **both** ends of the stream: the
/// peer's (it closed its sending side: `closed by peer`) and our input's. The peer may have
/// closed only its sending side, and still read (a half-close): so what we still have to send
/// is sent first, as `nc` and `ncat` do, and only then is the conversation over.
fn wait_for_both_ends(
    session: &Session,
    peer: &Peer,
    stream: &Duplex,
    input_ended: Receiver<io::Result<bool>>,
    read_ended: &Receiver<io::Result<()>>,
) -> End {
    let (mut input_open, mut peer_open) = (input_ended, read_ended.clone());
    let (mut input_done, mut peer_done) = (false, false);
    let mut deadline = never();
    loop {
        select! {
            recv(session.shutdown.signal()) -> _ => return End::ByUs { reader_done: peer_done },
            recv(deadline) -> _ => return End::ByUs { reader_done: peer_done },
            recv(input_open) -> how => {
                input_open = never();
                input_done = true;
                // The end of our input is the end of what we send: the peer reads 0 bytes.
                if matches!(how, Ok(Ok(true))) {
                    let _ = stream.shutdown(Shutdown::Write);
                }
                if peer_done {
                    return End::ByItself;
                }
                if let Some(wait) = session.wait {
                    deadline = after(wait);
                }
            }
            recv(peer_open) -> outcome => {
                peer_open = never();
                peer_done = true;
                match outcome {
                    Ok(Ok(())) => session.display.event("closed by peer", &peer.label, ""),
                    // A reset: nothing more can be sent either.
                    Ok(Err(e)) => {
                        session.display.event("failed", &peer.label, &e.to_string());
                        return End::ByItself;
                    }
                    Err(_) => return End::ByItself,
                }
                if input_done {
                    return End::ByItself;
                }
            }
        }
    }
}

/// `tcp-server` and `unix-server`.
pub fn serve(endpoint: &Endpoint, session: Arc<Session>, mode: &str) -> Result<(), String> {
    let server = Server::bind_with(endpoint, ListenOptions::default(), session.shutdown.clone())
        .map_err(|e| {
            let what = crate::t!(
                "netassist-error-cannot-listen",
                endpoint = endpoint.to_string()
            );
            bind_error(&what, &e)
        })?;
    let local = server.local_endpoint().map_err(|e| e.to_string())?;
    session.announce_listening(mode, &local);

    // Every client that can be written to, for the input to go to. (A Unix client's socket is
    // the server's own; only TCP lets us hold a second handle on it.)
    let clients: Arc<Clients> = Arc::default();
    let accepting = {
        let (session, clients) = (Arc::clone(&session), Arc::clone(&clients));
        BoundedThread::spawn("accept", move || accept_clients(server, &session, &clients))
            .map_err(|e| e.to_string())?
    };
    {
        let sender = Arc::clone(&session);
        session.spawn_sender(move |message| {
            send_to_all(&sender, &clients, message);
            true
        })?;
    }
    session.stop_serving(accepting, mode)
}

fn accept_clients(server: Server, session: &Arc<Session>, clients: &Arc<Clients>) {
    let mut threads = Vec::new();
    let mut number = 0u64;
    while let Some((mut connection, address)) = server.accept() {
        number += 1;
        let id = number;
        let peer = Peer::new(match address {
            PeerAddress::Ip(addr) => format!("#{id} {addr}"),
            // A Unix client has no name of its own; its number says which it is.
            PeerAddress::Unix(_) => crate::t!("netassist-unix-client", id = id.to_string()),
        });
        session.count_connection();
        session.display.event("connected", &peer.label, "");
        let mut queued = None;
        let writer = match connection.as_tcp().map(TcpStream::try_clone) {
            Some(Ok(writer)) => {
                let _ = writer.set_nodelay(true);
                Some(Writer::Tcp(writer))
            }
            Some(Err(e)) => {
                log::warn!("{address}: cannot write to it from the input ({e})");
                None
            }
            None => {
                let (queue, receiver) = crossbeam_channel::unbounded();
                queued = Some(receiver);
                Some(Writer::Queue(queue))
            }
        };
        if let Some(writer) = writer {
            lock(clients).insert(id, (Arc::clone(&peer), writer));
        }
        let (session, clients) = (Arc::clone(session), Arc::clone(clients));
        let spawned = thread::Builder::new()
            .name(format!("client {address}"))
            .spawn(move || {
                let outcome = match queued {
                    None => show_every_read(&session, &peer, &mut connection),
                    Some(queued) => connection
                        .set_read_timeout(Some(QUEUE_POLL))
                        .and_then(|()| {
                            let mut stream = Queued {
                                connection: &mut connection,
                                queued,
                                session: &session,
                                peer: &peer,
                            };
                            show_every_read(&session, &peer, &mut stream)
                        }),
                };
                lock(&clients).remove(&id);
                match outcome {
                    Ok(()) if session.shutdown.is_triggered() => {
                        session.display.event("closed", &peer.label, "")
                    }
                    Ok(()) => session.display.event("closed by peer", &peer.label, ""),
                    Err(e) => session.display.event("failed", &peer.label, &e.to_string()),
                }
            });
        match spawned {
            Ok(thread) => threads.push(thread),
            Err(e) => log::warn!("{address}: cannot start a thread ({e}); hanging up"),
        }
        threads.retain(|t: &thread::JoinHandle<()>| !t.is_finished());
    }
    for thread in threads {
        let _ = thread.join();
    }
}

/// Sends one message to every connected client, each write its own block.
fn send_to_all(session: &Session, clients: &Clients, message: &[u8]) {
    let mut targets: Vec<(u64, Arc<Peer>, Option<TcpStream>)> = Vec::new();
    let mut queued = 0;
    for (id, (peer, writer)) in lock(clients).iter() {
        match writer {
            Writer::Tcp(stream) => {
                targets.push((*id, Arc::clone(peer), stream.try_clone().ok()));
            }
            // The client's own thread writes it, and shows the block.
            Writer::Queue(queue) => queued += usize::from(queue.send(message.to_vec()).is_ok()),
        }
    }
    targets.sort_by_key(|(id, ..)| *id);
    if targets.is_empty() && queued == 0 {
        session
            .display
            .notice("not sent", "-", &crate::said!("netassist-no-client-yet"));
    }
    // Written outside the lock: a client that does not read must not hold up the others' list.
    for (_, peer, stream) in targets {
        let written = match stream {
            Some(stream) => send_shown(session, &peer, &stream, message),
            None => Err(io::Error::other("cannot use the socket")),
        };
        peer.sent_or_failed(session, written);
    }
}

/// A Unix client's connection, read with a short timeout ([`QUEUE_POLL`]) so that its thread
/// can write, between reads, what the input queued for it. To [`show_every_read`] it is an
/// ordinary stream: a read returns only when bytes (or the end) came.
struct Queued<'a> {
    connection: &'a mut Connection,
    queued: Receiver<Vec<u8>>,
    session: &'a Session,
    peer: &'a Peer,
}

impl Read for Queued<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            for message in self.queued.try_iter() {
                self.connection.write_all(&message)?;
                self.peer.show_sent(self.session, &message);
            }
            match self.connection.read(buf) {
                Err(e) if is_timeout(&e) => continue,
                other => return other,
            }
        }
    }
}

impl Write for Queued<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.connection.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.connection.flush()
    }
}
