//! A UDP socket that Ctrl-C can stop: the datagram counterpart of [`crate::server::Server`]; and
//! what a UDP server logs about its datagrams ([`DatagramLog`]).
//!
//! A UDP server has no connections and no `accept`: one socket receives every client's
//! datagrams, each with its sender's address, and replies with `send_to`. So there is only one
//! blocking call to wake on shutdown, `recv_from`, and no connection to close. It is woken the
//! way `accept` is: by a datagram to ourselves, from a socket made in advance. That datagram is
//! told apart by the shutdown flag, never by its content: an empty datagram is a real message on
//! UDP (unlike TCP, where 0 bytes means "closed").

use std::io;
use std::mem::MaybeUninit;
use std::net::{SocketAddr, UdpSocket};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use crossbeam_channel::{Sender, select};
use log::{info, warn};
use socket2::{Domain, Protocol, Socket, Type};

use crate::echo_loop::{self, NotAnswered};
use crate::endpoint;
use crate::escape::peer_text;
use crate::logging::AtMostOnceASecond;
use crate::shutdown::ShutdownSignal;

/// A bound UDP socket that knows how to stop.
pub struct UdpServer {
    socket: UdpSocket,
    /// Where it is bound: a datagram that says it comes from here is not answered.
    local: SocketAddr,
    /// What it says about its datagrams ([`UdpServer::log`]).
    log: Mutex<DatagramLog>,
    shutdown: ShutdownSignal,
    /// Dropped when the server ends on its own, to let the watcher go.
    done: Option<Sender<()>>,
    watcher: Option<JoinHandle<()>>,
}

/// One datagram received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Datagram {
    /// How many bytes of it are in the buffer.
    pub kept: usize,
    /// How long it really was. More than `kept` when the buffer was too small and the kernel
    /// cut the rest off (known exactly on Linux; elsewhere only *that* it was cut, shown as
    /// `kept + 1`).
    pub size: usize,
    /// Who sent it: where a reply goes.
    pub from: SocketAddr,
}

impl Datagram {
    pub fn truncated(&self) -> bool {
        self.size > self.kept
    }
}

impl UdpServer {
    /// socket → bind: a UDP server needs no `listen`, since there is nothing to queue.
    pub fn bind(addr: SocketAddr, shutdown: ShutdownSignal) -> io::Result<UdpServer> {
        let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))?;
        socket.bind(&addr.into())?;
        let socket: UdpSocket = socket.into();

        let target = endpoint::reachable(socket.local_addr()?);
        // Made now, not at shutdown, for the same reason as the TCP server's: a server out of
        // file descriptors must still be able to stop.
        let wake_up = UdpSocket::bind(SocketAddr::new(endpoint::loopback_like(target), 0))?;
        let (done, server_done) = crossbeam_channel::bounded::<()>(0);
        let watcher = {
            let shutdown = shutdown.clone();
            thread::Builder::new()
                .name("shutdown".into())
                .spawn(move || {
                    select! {
                        recv(shutdown.signal()) -> _ => {
                            info!("shutting down");
                            if let Err(e) = wake_up.send_to(&[], target) {
                                warn!("could not wake the receive loop at {target}: {e}");
                            }
                        }
                        recv(server_done) -> _ => {}
                    }
                })?
        };
        Ok(UdpServer {
            local: socket.local_addr()?,
            socket,
            log: Mutex::default(),
            shutdown,
            done: Some(done),
            watcher: Some(watcher),
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    pub fn shutdown(&self) -> &ShutdownSignal {
        &self.shutdown
    }

    /// Waits for the next datagram and puts as much of it as fits into `buf`. `None` means
    /// shutdown was triggered: stop serving.
    pub fn recv_from(&self, buf: &mut [u8]) -> Option<io::Result<Datagram>> {
        if self.shutdown.is_triggered() {
            return None;
        }
        let received = recv_from_knowing_size(&self.socket, buf);
        if self.shutdown.is_triggered() {
            return None;
        }
        Some(received)
    }

    /// What this server says about the datagrams it receives, at most a line a second of each
    /// kind ([`DatagramLog`]).
    pub fn log(&self) -> MutexGuard<'_, DatagramLog> {
        // A panic while logging leaves counters that are still counters.
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    // ANCHOR: may_answer
    /// Whether an echo may answer a datagram from `from`: not if that is this server's own
    /// address, nor a well-known service's port (the rule is [`echo_loop::may_answer`]). A
    /// datagram that may not be answered is logged, with the reason.
    pub fn may_answer(&self, from: SocketAddr) -> bool {
        match echo_loop::may_answer(from, self.local) {
            Ok(()) => true,
            Err(why) => {
                self.log().not_answered(from, why);
                false
            }
        }
    }
    // ANCHOR_END: may_answer

    /// Sends one datagram to `to`.
    pub fn send_to(&self, bytes: &[u8], to: SocketAddr) -> io::Result<usize> {
        self.socket.send_to(bytes, to)
    }

    /// The socket itself, for options and experiments.
    pub fn socket(&self) -> &UdpSocket {
        &self.socket
    }
}

impl Drop for UdpServer {
    fn drop(&mut self) {
        drop(self.done.take());
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
    }
}

/// What a UDP server says about the datagrams it receives: each kind of line (received, cut, not
/// answered, a failed `recv_from`) at most once a second, saying how many datagrams it stands
/// for. A server that logged every datagram would let its senders write its log: a flood, or an
/// echo loop (see [`crate::echo_loop`]), would grow it as fast as datagrams come, without end.
#[derive(Debug, Default)]
pub struct DatagramLog {
    received: AtMostOnceASecond,
    cut: AtMostOnceASecond,
    not_answered: AtMostOnceASecond,
    failed: AtMostOnceASecond,
}

impl DatagramLog {
    /// A datagram of `size` bytes arrived from `from`, and `kept` is what the buffer kept of it:
    /// all of it, or (when `size` is more) its start, the kernel having cut the rest off.
    pub fn received(&mut self, from: SocketAddr, size: usize, kept: &[u8]) {
        let now = Instant::now();
        if size > kept.len() {
            if let Some(count) = self.cut.record(now) {
                warn!(
                    "{from}: a {size}-byte datagram, cut to the {} bytes that fit{}",
                    kept.len(),
                    more(count)
                );
            }
        }
        if let Some(count) = self.received.record(now) {
            info!(
                "{from}: {} bytes: {}{}",
                kept.len(),
                peer_text(kept),
                more(count)
            );
        }
    }

    /// A datagram from `from` is not answered, because of `why`.
    pub fn not_answered(&mut self, from: SocketAddr, why: NotAnswered) {
        if let Some(count) = self.not_answered.record(Instant::now()) {
            warn!("{from}: not answered: {why}{}", more(count));
        }
    }

    /// `recv_from` failed, about one datagram (not the server).
    pub fn failed(&mut self, e: &io::Error) {
        if let Some(count) = self.failed.record(Instant::now()) {
            warn!("recv_from: {e}; serving on{}", more(count));
        }
    }
}

impl Drop for DatagramLog {
    /// The server stops: what was counted and not logged yet is said now, in one line.
    fn drop(&mut self) {
        let received = self.received.take_unlogged();
        let cut = self.cut.take_unlogged();
        let not_answered = self.not_answered.take_unlogged();
        let failed = self.failed.take_unlogged();
        if received + cut + not_answered + failed > 0 {
            info!(
                "since the last lines: {received} more datagram(s) received, {cut} cut, \
                 {not_answered} not answered, {failed} failed recv_from"
            );
        }
    }
}

/// The end of a line that stands for `count` datagrams: nothing for one.
fn more(count: u64) -> String {
    match count {
        0 | 1 => String::new(),
        _ => format!(" (and {} more since the last line like it)", count - 1),
    }
}

/// `recv_from`, also telling how long the datagram really was.
///
/// On Linux, `MSG_TRUNC` makes the kernel return the datagram's real length even when the
/// buffer held less. Elsewhere we learn only that it was cut, through the flags `recvmsg`
/// reports.
fn recv_from_knowing_size(socket: &UdpSocket, buf: &mut [u8]) -> io::Result<Datagram> {
    let socket = socket2::SockRef::from(socket);
    // SAFETY: a `&mut [u8]` is valid as `&mut [MaybeUninit<u8>]` (initialised bytes are valid
    // maybe-uninitialised ones), and the kernel only writes bytes into it, never uninitialised
    // memory.
    let spare = unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) };
    #[cfg(target_os = "linux")]
    {
        let (size, from) = socket.recv_from_with_flags(spare, libc::MSG_TRUNC)?;
        let from = from
            .as_socket()
            .ok_or_else(|| io::Error::other("a UDP datagram from a non-IP address"))?;
        Ok(Datagram {
            kept: size.min(buf.len()),
            size,
            from,
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        let mut bufs = [socket2::MaybeUninitSlice::new(spare)];
        let (kept, flags, from) = socket.recv_from_vectored(&mut bufs)?;
        let from = from
            .as_socket()
            .ok_or_else(|| io::Error::other("a UDP datagram from a non-IP address"))?;
        let size = if flags.is_truncated() { kept + 1 } else { kept };
        Ok(Datagram { kept, size, from })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn datagrams_keep_their_size_and_sender_and_shutdown_wakes_recv_from() {
        let shutdown = ShutdownSignal::new();
        let server = UdpServer::bind("127.0.0.1:0".parse().unwrap(), shutdown.clone()).unwrap();
        let addr = server.local_addr().unwrap();
        let client = UdpSocket::bind("127.0.0.1:0").unwrap();
        client.send_to(b"hello", addr).unwrap();
        client.send_to(b"", addr).unwrap();
        client.send_to(&[b'x'; 20], addr).unwrap();

        let mut buf = [0u8; 8];
        let first = server.recv_from(&mut buf).unwrap().unwrap();
        assert_eq!((first.kept, first.size), (5, 5));
        assert_eq!(first.from, client.local_addr().unwrap());
        let empty = server.recv_from(&mut buf).unwrap().unwrap();
        assert_eq!(
            (empty.kept, empty.size),
            (0, 0),
            "an empty datagram is a message"
        );
        let long = server.recv_from(&mut buf).unwrap().unwrap();
        assert!(long.truncated());
        assert_eq!(long.kept, 8);
        #[cfg(target_os = "linux")]
        assert_eq!(long.size, 20);

        // The blocked recv_from runs on a thread of its own, and says what it returned on a
        // channel; the test waits for that answer a bounded time, never forever.
        let (answer, answered) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8];
            let _ = answer.send(server.recv_from(&mut buf).is_none());
        });
        shutdown.trigger();
        assert_eq!(
            answered.recv_timeout(Duration::from_secs(10)),
            Ok(true),
            "shutdown should end recv_from with None"
        );
    }
}
