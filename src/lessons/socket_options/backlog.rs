//! Experiment 2: the backlog of `listen(N)` (半连接池). A listener that never accepts, and what
//! the kernel does with the clients that connect anyway.
//!
//! Linux-specific (and said so where it is narrated): the accept queue's numbers come from
//! `TCP_INFO` on the listening socket, and each client's state from `TCP_INFO` on it; elsewhere
//! those values are `None`.

use std::io;
use std::time::Duration;

use socket2::{Domain, Protocol, Socket, Type};

use super::kernel::{listener, loopback_any_port};

/// How long the clients get to finish their handshakes. On loopback they are usually done before
/// `connect` returns; a client whose SYN was dropped sends it again only after a second, so after
/// this moment it is still waiting.
const HANDSHAKES: Duration = Duration::from_millis(300);

/// What the kernel says about a listener with `listen(backlog)` that never accepts, after
/// `clients` clients tried to connect.
#[derive(Debug)]
pub struct Backlog {
    pub asked: i32,
    pub clients: usize,
    /// Linux's own numbers for the listener (`TCP_INFO`): the accept queue's length now
    /// (`tcpi_unacked`) and its limit (`tcpi_sacked`). `None` elsewhere.
    pub accept_queue: Option<(u32, u32)>,
    /// How many clients finished the handshake (ESTABLISHED) and how many still wait for the
    /// server's answer to their SYN (SYN_SENT), by `TCP_INFO` on each client. `None` elsewhere.
    pub established: Option<usize>,
    pub syn_sent: Option<usize>,
}

/// Listens with `listen(backlog)`, never accepts, and lets `clients` clients connect at once
/// (nonblocking `connect`, so nobody waits). Then reads the kernel's numbers back.
pub fn backlog(backlog: i32, clients: usize) -> io::Result<Backlog> {
    let server = listener(loopback_any_port(), true, backlog)?;
    let addr = server.local_addr()?;
    let mut sockets = Vec::with_capacity(clients);
    for _ in 0..clients {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
        socket.set_nonblocking(true)?;
        match socket.connect(&addr) {
            Ok(()) => {}
            Err(e) if e.raw_os_error() == Some(in_progress()) => {}
            Err(e) => return Err(e),
        }
        sockets.push(socket);
    }
    // To be sure every handshake that can finish has finished, give every client a moment to
    // become writable (connected).
    wait_until_connected(&sockets, HANDSHAKES);
    let states: Option<Vec<u8>> = sockets.iter().map(|s| tcp_info(s).map(|i| i.0)).collect();
    let count = |state: u8| {
        states
            .as_ref()
            .map(|s| s.iter().filter(|&&x| x == state).count())
    };
    Ok(Backlog {
        asked: backlog,
        clients,
        accept_queue: tcp_info(&server).map(|(_, unacked, sacked)| (unacked, sacked)),
        established: count(1),
        syn_sent: count(2),
    })
}

/// Waits until every socket is writable or `moment` has passed, whichever comes first.
#[cfg(unix)]
fn wait_until_connected(sockets: &[Socket], moment: Duration) {
    use std::os::fd::AsRawFd;
    use std::time::Instant;
    let deadline = Instant::now() + moment;
    let mut fds: Vec<libc::pollfd> = sockets
        .iter()
        .map(|s| libc::pollfd {
            fd: s.as_raw_fd(),
            events: libc::POLLOUT,
            revents: 0,
        })
        .collect();
    while !fds.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        let millis = libc::c_int::try_from(left.as_millis().max(1)).unwrap_or(libc::c_int::MAX);
        // SAFETY: `fds` is a valid array of `fds.len()` pollfd structs, which poll only writes.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, millis) };
        if ready < 0 {
            return;
        }
        fds.retain(|fd| fd.revents == 0);
        for fd in &mut fds {
            fd.revents = 0;
        }
    }
}

#[cfg(not(unix))]
fn wait_until_connected(_: &[Socket], _: Duration) {}

fn in_progress() -> i32 {
    #[cfg(unix)]
    {
        libc::EINPROGRESS
    }
    #[cfg(not(unix))]
    {
        10035 // WSAEWOULDBLOCK: what Windows' nonblocking connect says instead
    }
}

/// `getsockopt(TCP_INFO)`: the socket's state, `tcpi_unacked` and `tcpi_sacked`. On a
/// listening socket Linux reuses the last two for the accept queue's length and limit.
#[cfg(target_os = "linux")]
fn tcp_info(socket: &Socket) -> Option<(u8, u32, u32)> {
    use std::os::fd::AsRawFd;
    // SAFETY: tcp_info is plain integers, so all-zero is a valid value; getsockopt writes at
    // most `len` bytes into it and tells us how many it wrote.
    let mut info: libc::tcp_info = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
    let rc = unsafe {
        libc::getsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&raw mut info).cast(),
            &mut len,
        )
    };
    (rc == 0).then_some((info.tcpi_state, info.tcpi_unacked, info.tcpi_sacked))
}

#[cfg(not(target_os = "linux"))]
fn tcp_info(_: &Socket) -> Option<(u8, u32, u32)> {
    None
}
