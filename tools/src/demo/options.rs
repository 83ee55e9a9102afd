//! The demo script for lesson 11: eight experiments with socket options, one per part.
//!
//! Each experiment is a function here that does the thing on real sockets and returns what the
//! kernel said (an errno, a queue length, a byte count, a duration). The demo narrates those
//! values, and the tests (`tests/socket_options.rs`) call the same functions and assert them, so
//! the demo cannot claim what did not happen. What is forced is forced by the kernel's rules,
//! never by timing: the only numbers that differ between runs are ports, the measured durations
//! (printed as "N.NN ms"), and part 6's byte counts, which differ between kernels (the chapter
//! check reads all of them as measurements).
//!
//! Linux-specific (and said so where it is narrated): the accept-queue numbers of part 2 come
//! from `TCP_INFO` on the listening socket, and part 1's TIME_WAIT count from `/proc/net/tcp`.
//! Elsewhere those values are `None`, and the narration says they could not be read.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, SockRef, Socket, Type};

use super::Demo;
use crate::probe::{A_MOMENT, BoundedThread, PATIENCE};
use socket_lessons::endpoint::Endpoint;
use socket_lessons::guard::Guard;
use socket_lessons::lessons::socket_options;
use socket_lessons::server::{ListenOptions, Server};
use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons::stage::Lines;

fn loopback_any_port() -> SocketAddr {
    (Ipv4Addr::LOCALHOST, 0).into()
}

/// A TCP socket bound to `addr` and listening, made the way the tutorial makes one: `socket`,
/// `setsockopt(SO_REUSEADDR)` or not, `bind`, `listen(backlog)`.
pub fn listener(addr: SocketAddr, reuse_address: bool, backlog: i32) -> io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(reuse_address)?;
    socket.bind(&addr.into())?;
    socket.listen(backlog)?;
    Ok(socket)
}

/// An error's number and name, as C and Python see it: `98 (EADDRINUSE)`.
pub fn errno(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => format!("{code} ({})", errno_name(code)),
        None => format!("no errno ({:?})", e.kind()),
    }
}

fn errno_name(code: i32) -> &'static str {
    #[cfg(unix)]
    {
        match code {
            libc::EADDRINUSE => "EADDRINUSE",
            libc::ECONNREFUSED => "ECONNREFUSED",
            libc::ECONNRESET => "ECONNRESET",
            libc::EAGAIN => "EAGAIN",
            libc::EPIPE => "EPIPE",
            _ => "?",
        }
    }
    #[cfg(not(unix))]
    {
        match code {
            10048 => "WSAEADDRINUSE",
            10061 => "WSAECONNREFUSED",
            10054 => "WSAECONNRESET",
            10035 => "WSAEWOULDBLOCK",
            _ => "?",
        }
    }
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

// ---------------------------------------------------------------------------------------------
// 1. Address already in use
// ---------------------------------------------------------------------------------------------

/// What binding a port with a connection in TIME_WAIT gives, with and without `SO_REUSEADDR`.
#[derive(Debug)]
pub struct TimeWait {
    pub addr: SocketAddr,
    /// Whether the kernel lists the server's side of the connection in TIME_WAIT (Linux:
    /// `/proc/net/tcp`; `None` elsewhere).
    pub in_time_wait: Option<bool>,
    /// `bind` without the option.
    pub without: io::Result<()>,
    /// `bind` with it.
    pub with: io::Result<()>,
    /// std's `TcpListener::bind`, which sets it for you on Unix.
    pub std_bind: io::Result<()>,
}

/// A server that closes its side of a connection first keeps that connection in TIME_WAIT (for
/// a minute on Linux), on its own port. Then it tries to bind that port again, three ways.
pub fn time_wait_rebind() -> io::Result<TimeWait> {
    let server = listener(loopback_any_port(), true, 5)?;
    let addr = server
        .local_addr()?
        .as_socket()
        .ok_or(ErrorKind::InvalidData)?;
    let mut client = crate::probe::connect(addr)?;
    let client_port = client.local_addr()?.port();
    let (accepted, _) = server.accept()?;
    // The server hangs up first: *its* side is the one that will wait in TIME_WAIT.
    drop(accepted);
    // The client reads the end of the stream and closes too: the server side gets its FIN.
    crate::probe::wait_for_end(&mut client)?;
    drop(client);
    drop(server);
    let bind = |reuse: bool| {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
        socket.set_reuse_address(reuse)?;
        socket.bind(&addr.into())
    };
    Ok(TimeWait {
        addr,
        in_time_wait: in_time_wait(addr.port(), client_port),
        without: bind(false),
        with: bind(true),
        std_bind: TcpListener::bind(addr).map(drop),
    })
}

/// Whether the kernel lists the connection from local port `port` to remote port `remote` in
/// TIME_WAIT (state 06 in Linux's `/proc/net/tcp`). `None` where there is no such file.
fn in_time_wait(port: u16, remote: u16) -> Option<bool> {
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    let (local, remote) = (format!(":{port:04X}"), format!(":{remote:04X}"));
    Some(table.lines().skip(1).any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        fields.len() > 3
            && fields[1].ends_with(&local)
            && fields[2].ends_with(&remote)
            && fields[3] == "06"
    }))
}

// ---------------------------------------------------------------------------------------------
// 2. The backlog
// ---------------------------------------------------------------------------------------------

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
    // On loopback the handshakes are usually done before `connect` returns; to be sure, give
    // every client a moment to become writable (connected). A client whose SYN was dropped
    // sends it again only after a second, so after the moment it is still waiting.
    wait_until_connected(&sockets, A_MOMENT);
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

// ---------------------------------------------------------------------------------------------
// 3. Timeouts and blocking
// ---------------------------------------------------------------------------------------------

/// A connected pair on loopback: the client's socket and the server's.
pub fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let server = TcpListener::bind(loopback_any_port())?;
    let client = TcpStream::connect(server.local_addr()?)?;
    let (accepted, _) = server.accept()?;
    Ok((client, accepted))
}

/// What a read of a socket with nothing to read gives: the error, and how long it took.
#[derive(Debug)]
pub struct Waited {
    pub error: io::Error,
    pub after: Duration,
}

/// `recv` with a read timeout of `timeout`, when the peer sends nothing.
pub fn read_with_timeout(timeout: Duration) -> io::Result<Waited> {
    let (mut client, _server) = pair()?;
    client.set_read_timeout(Some(timeout))?;
    timed_failing_read(&mut client)
}

/// `recv` on a nonblocking socket, when the peer sends nothing.
pub fn read_nonblocking() -> io::Result<Waited> {
    let (mut client, _server) = pair()?;
    client.set_nonblocking(true)?;
    timed_failing_read(&mut client)
}

fn timed_failing_read(stream: &mut TcpStream) -> io::Result<Waited> {
    let start = Instant::now();
    match stream.read(&mut [0u8; 16]) {
        Err(error) => Ok(Waited {
            error,
            after: start.elapsed(),
        }),
        Ok(n) => Err(io::Error::other(format!(
            "read {n} bytes from a silent peer"
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// 4. connect_ex
// ---------------------------------------------------------------------------------------------

/// Connects to a loopback port where nobody listens (one we just had and let go), and returns
/// the error the kernel gave: the value `connect_ex` would return.
pub fn connect_to_closed_port() -> io::Result<(SocketAddr, io::Error)> {
    let addr = TcpListener::bind(loopback_any_port())?.local_addr()?;
    match TcpStream::connect_timeout(&addr, PATIENCE) {
        Err(e) => Ok((addr, e)),
        Ok(_) => Err(io::Error::other(format!(
            "{addr} answered: someone took the port"
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// 5. getsockname / getpeername
// ---------------------------------------------------------------------------------------------

/// The four names of one connection: each end's own address (`getsockname`) and its peer's
/// (`getpeername`), plus the address the listener bound with port 0.
#[derive(Debug)]
pub struct Names {
    pub listener: SocketAddr,
    pub client_local: SocketAddr,
    pub client_peer: SocketAddr,
    pub server_local: SocketAddr,
    pub server_peer: SocketAddr,
}

pub fn names() -> io::Result<Names> {
    let server = TcpListener::bind(loopback_any_port())?;
    let client = TcpStream::connect(server.local_addr()?)?;
    let (accepted, _) = server.accept()?;
    Ok(Names {
        listener: server.local_addr()?,
        client_local: client.local_addr()?,
        client_peer: client.peer_addr()?,
        server_local: accepted.local_addr()?,
        server_peer: accepted.peer_addr()?,
    })
}

// ---------------------------------------------------------------------------------------------
// 6. send versus sendall
// ---------------------------------------------------------------------------------------------

/// The send buffer of the writer and the receive buffer of the reader in part 6, as asked for
/// (Linux doubles what it is asked for, to leave room for its own bookkeeping).
pub const BUFFER: usize = 64 * 1024;

/// What writing `asked` bytes to a peer that does not read gives.
#[derive(Debug)]
pub struct ShortWrite {
    pub asked: usize,
    /// What each nonblocking `write` (Python's `send`) accepted, until one failed.
    pub writes: Vec<usize>,
    /// What that `write` said.
    pub then: io::Error,
    /// How many bytes the peer read in the end, once it read and `write_all` did the rest.
    pub delivered: usize,
}

pub fn short_write(asked: usize) -> io::Result<ShortWrite> {
    // Fixed buffer sizes (the kernel's automatic sizing off), so that the count is the same on
    // every run: the receiver's buffer is set on the listener, which its accepted socket copies.
    let listening = listener(loopback_any_port(), true, 1)?;
    listening.set_recv_buffer_size(BUFFER)?;
    let client = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    client.set_send_buffer_size(BUFFER)?;
    client.connect_timeout(&listening.local_addr()?, PATIENCE)?;
    let (server, _) = listening.accept()?;
    let (mut client, mut server) = (TcpStream::from(client), TcpStream::from(server));
    client.set_nonblocking(true)?;
    let message = vec![b'x'; asked];
    // Python's `send`, again and again, until the kernel says there is no room at all. (The
    // first write may be followed by a few smaller ones while the bytes move on into the
    // reader's buffer.)
    let mut writes = Vec::new();
    let mut taken = 0;
    let then = loop {
        match client.write(&message[taken..]) {
            Ok(n) => {
                writes.push(n);
                taken += n;
            }
            Err(e) => break e,
        }
        if taken == asked || writes.len() > 1000 {
            return Err(io::Error::other(format!(
                "the writes took {taken} bytes without EAGAIN"
            )));
        }
    };
    // Now the peer reads, and `write_all` (Python's `sendall`) loops until every byte is gone.
    let reader = BoundedThread::spawn("reader", move || {
        server.set_read_timeout(Some(PATIENCE))?;
        let mut all = Vec::new();
        server.read_to_end(&mut all)?;
        Ok::<usize, io::Error>(all.len())
    })?;
    client.set_nonblocking(false)?;
    client.set_write_timeout(Some(PATIENCE))?;
    client.write_all(&message[taken..])?;
    drop(client);
    Ok(ShortWrite {
        asked,
        writes,
        then,
        delivered: reader.join_within(PATIENCE)??,
    })
}

// ---------------------------------------------------------------------------------------------
// 7. Nagle, delayed ACK, and SO_LINGER 0
// ---------------------------------------------------------------------------------------------

/// The time per request of `requests` requests sent as two small writes (a 4-byte header, then
/// a 4-byte body) and answered after both: with Nagle's algorithm on or off (`nodelay`).
pub fn write_write_read(nodelay: bool, requests: usize) -> io::Result<Duration> {
    let (mut client, mut server) = pair()?;
    client.set_nodelay(nodelay)?;
    client.set_read_timeout(Some(PATIENCE))?;
    let answering = BoundedThread::spawn("answerer", move || -> io::Result<()> {
        server.set_read_timeout(Some(PATIENCE))?;
        server.set_nodelay(true)?;
        for _ in 0..requests {
            let mut request = [0u8; 8];
            server.read_exact(&mut request)?;
            server.write_all(b"ok")?;
        }
        Ok(())
    })?;
    let start = Instant::now();
    for _ in 0..requests {
        client.write_all(b"head")?;
        client.write_all(b"body")?;
        client.read_exact(&mut [0u8; 2])?;
    }
    let per_request = start.elapsed() / requests as u32;
    answering.join_within(PATIENCE)??;
    Ok(per_request)
}

/// What the peer's next read gives after a socket with `SO_LINGER` 0 is closed.
pub fn linger_zero_close() -> io::Result<io::Result<usize>> {
    let (client, mut server) = pair()?;
    server.set_read_timeout(Some(PATIENCE))?;
    SockRef::from(&client).set_linger(Some(Duration::ZERO))?;
    drop(client);
    Ok(server.read(&mut [0u8; 16]))
}

// ---------------------------------------------------------------------------------------------
// 8. IPv6 and Unix domain sockets
// ---------------------------------------------------------------------------------------------

/// Runs lesson 11's own server on `endpoint` and its own client against it with `message`;
/// returns where the server listened and what the client printed.
pub fn echo_over(endpoint: &Endpoint, message: &str) -> io::Result<(Endpoint, Vec<u8>)> {
    let shutdown = ShutdownSignal::new();
    let server = Server::bind_with(endpoint, ListenOptions::default(), shutdown.clone())?;
    let local = server.local_endpoint()?;
    let guard = Guard::new(4, Some(PATIENCE), Some(PATIENCE));
    let serving = BoundedThread::spawn("server", move || {
        socket_options::serve(server, guard, false)
    })?;
    let mut output = Vec::new();
    let input = format!("{message}\n");
    let talked = socket_options::client(
        &local,
        false,
        PATIENCE,
        Lines::new(&mut input.as_bytes()),
        &mut output,
    );
    shutdown.trigger();
    serving.join_within(PATIENCE)??;
    talked?;
    Ok((local, output))
}

/// The IPv6 loopback, port 0.
pub fn ipv6_loopback() -> Endpoint {
    Endpoint::Ip((Ipv6Addr::LOCALHOST, 0).into())
}

/// A fresh folder for a Unix socket, removed when dropped.
pub struct SocketFolder(pub std::path::PathBuf);

impl SocketFolder {
    pub fn new(tag: &str) -> io::Result<SocketFolder> {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let folder =
            std::env::temp_dir().join(format!("lesson11-{tag}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&folder)?;
        Ok(SocketFolder(folder))
    }
}

impl Drop for SocketFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------------
// The demo
// ---------------------------------------------------------------------------------------------

pub fn lesson11(demo: &mut Demo) -> io::Result<()> {
    demo.say(
        "Eight experiments with the options behind the tutorial's happy path. Each one does the \
         thing on real sockets and prints what the kernel answered; the tests run the same \
         functions and check the same answers.",
    );
    demo.part(1, "Address already in use (SO_REUSEADDR)", part_reuse)?;
    demo.part(2, "The backlog: listen(N) (半连接池)", part_backlog)?;
    demo.part(
        3,
        "Timeouts and blocking (settimeout, setblocking)",
        part_timeouts,
    )?;
    demo.part(
        4,
        "Refused: connect_ex and an error as a value",
        part_refused,
    )?;
    demo.part(5, "Names: getsockname and getpeername", part_names)?;
    demo.part(6, "Short writes: send versus sendall", part_short_write)?;
    demo.part(7, "Nagle, TCP_NODELAY and SO_LINGER 0", part_nagle)?;
    demo.part(8, "The same echo over IPv6 and AF_UNIX", part_families)?;
    demo.say(
        "What to notice: every one of these is a number the kernel gave back, not a rule of \
         thumb. `lesson11 server` takes each option as a flag (see --help), so you can repeat \
         any experiment by hand, and it protects itself: --max-clients, --idle and \
         --write-timeout.",
    );
    Ok(())
}

fn outcome(result: &io::Result<()>) -> String {
    match result {
        Ok(()) => "succeeds".to_string(),
        Err(e) => format!("fails: errno {}", errno(e)),
    }
}

fn part_reuse(demo: &mut Demo) -> io::Result<()> {
    let t = time_wait_rebind()?;
    demo.say(
        "A server accepts a client, then closes first; the client closes after it. The side \
         that closes first keeps the connection in TIME_WAIT, on the server's own port, so \
         that late packets of the old connection cannot be taken for a new one.",
    );
    match t.in_time_wait {
        Some(listed) => demo.line(format!(
            "server side of the connection in TIME_WAIT (/proc/net/tcp): {}",
            if listed { "yes" } else { "no" }
        )),
        None => demo.line("(TIME_WAIT is not listed here: /proc/net/tcp is Linux's)"),
    }
    demo.line(format!(
        "bind {} without SO_REUSEADDR: {}",
        t.addr,
        outcome(&t.without)
    ));
    demo.line(format!(
        "bind {} with SO_REUSEADDR:    {}",
        t.addr,
        outcome(&t.with)
    ));
    demo.line(format!(
        "std's TcpListener::bind:          {}",
        outcome(&t.std_bind)
    ));
    demo.say(
        "That errno is the FAQ's \"Address already in use\", and setsockopt(SO_REUSEADDR) is \
         its cure. Rust's std never shows the problem on Unix: TcpListener::bind sets \
         SO_REUSEADDR for you. On Windows it does not, because there the option means more: \
         it lets a second socket bind a port another is listening on (Windows has \
         SO_EXCLUSIVEADDRUSE against that). `lesson11 server --no-reuse-address` runs without \
         it.",
    );
    Ok(())
}

fn part_backlog(demo: &mut Demo) -> io::Result<()> {
    let (asked, clients) = (2, 6);
    let b = backlog(asked, clients)?;
    demo.say(&format!(
        "A listener calls listen({asked}) and never accepts; {clients} clients connect at \
         once. The kernel finishes handshakes without the program: each finished connection \
         waits in the accept queue (全连接队列) until accept takes it."
    ));
    match (b.accept_queue, b.established, b.syn_sent) {
        (Some((queued, limit)), Some(done), Some(waiting)) => {
            demo.line(format!(
                "listener: accept queue {queued}, limit {limit} (TCP_INFO)"
            ));
            demo.line(format!(
                "clients: {done} ESTABLISHED, {waiting} still in SYN_SENT"
            ));
            demo.say(&format!(
                "Linux let limit + 1 = {queued} connections in (the queue is full when it is \
                 longer than the limit). The other {waiting} clients' SYNs were dropped: \
                 they send them again a second later, then after 2, 4, 8 seconds..., and \
                 connect() just takes longer. `ss -ltn` shows the same two numbers as Recv-Q and Send-Q."
            ));
        }
        _ => demo.line("(the queue's numbers come from Linux's TCP_INFO: not on this system)"),
    }
    demo.say(
        "The tutorial calls the backlog 半连接池, the pool of half-open connections. On Linux \
         that is a second queue: the SYN queue (半连接队列) holds handshakes not yet finished. \
         The backlog of listen() limits the accept queue of finished ones.",
    );
    Ok(())
}

fn part_timeouts(demo: &mut Demo) -> io::Result<()> {
    let timed = read_with_timeout(Duration::from_millis(200))?;
    let nonblocking = read_nonblocking()?;
    demo.say("A client reads from a server that says nothing, twice.");
    demo.line("settimeout(0.2), then recv:");
    demo.line(format!(
        "  after {}: {:?}, errno {}",
        ms(timed.after),
        timed.error.kind(),
        errno(&timed.error)
    ));
    demo.line("setblocking(False), then recv:");
    demo.line(format!(
        "  after {}: {:?}, errno {}",
        ms(nonblocking.after),
        nonblocking.error.kind(),
        errno(&nonblocking.error)
    ));
    demo.say(
        "Both are the same errno (EAGAIN: \"try again\"); Python raises socket.timeout for the \
         first and BlockingIOError for the second. A server uses the first as an idle timeout \
         (lesson 11's --idle hangs up on a silent client) and the second to watch many sockets \
         from one thread, coming back when the kernel says there is data.",
    );
    Ok(())
}

fn part_refused(demo: &mut Demo) -> io::Result<()> {
    let (addr, e) = connect_to_closed_port()?;
    demo.line(format!("connect to {addr}, where nobody listens:"));
    demo.line(format!("  {:?}, errno {}", e.kind(), errno(&e)));
    demo.say(
        "connect() raises; connect_ex() returns that number instead. In Rust it is a value \
         anyway: an Err to match on, not a crash. The tutorial's 10061 is the same refusal on \
         Windows (WSAECONNREFUSED); Linux numbers it 111, macOS 61.",
    );
    Ok(())
}

fn part_names(demo: &mut Demo) -> io::Result<()> {
    let n = names()?;
    demo.say(
        "A listener binds port 0, which asks the kernel for any free port; a client connects \
         (and gets an ephemeral port of its own, without bind).",
    );
    demo.line(format!("listener    getsockname: {}", n.listener));
    demo.line(format!("client      getsockname: {}", n.client_local));
    demo.line(format!("client      getpeername: {}", n.client_peer));
    demo.line(format!("server side getsockname: {}", n.server_local));
    demo.line(format!("server side getpeername: {}", n.server_peer));
    demo.say(
        "Each end's sockname is the other's peername. The accepted socket has the listener's \
         port: a connection is named by both ends' addresses, so one port serves them all.",
    );
    Ok(())
}

fn part_short_write(demo: &mut Demo) -> io::Result<()> {
    let asked = 8 << 20;
    let w = short_write(asked)?;
    demo.say(
        "A nonblocking client writes 8 MiB to a peer that is not reading. The kernel takes \
         what fits in the buffers on both sides (asked for 64 KiB each here: SO_SNDBUF, \
         SO_RCVBUF), and no more.",
    );
    let taken: usize = w.writes.iter().sum();
    demo.line(format!("send: took {} bytes of {}", w.writes[0], w.asked));
    if w.writes.len() > 1 {
        demo.line(format!(
            "the next {} send(s): {} bytes more, {taken} in all",
            w.writes.len() - 1,
            taken - w.writes[0]
        ));
    }
    demo.line(format!(
        "send again: {:?}, errno {}",
        w.then.kind(),
        errno(&w.then)
    ));
    demo.line(format!(
        "the peer reads; sendall sends the rest: {} bytes arrive",
        w.delivered
    ));
    demo.say(
        "send returns how much it took, which may be less than asked: the program must send \
         the rest itself. sendall (Rust's write_all) is that loop. A blocking socket waits \
         for room instead of saying EAGAIN, which is why a server needs a write timeout \
         (--write-timeout) against a client that never reads.",
    );
    Ok(())
}

fn part_nagle(demo: &mut Demo) -> io::Result<()> {
    let requests = 10;
    let with_nagle = write_write_read(false, requests)?;
    let without_nagle = write_write_read(true, requests)?;
    demo.say(&format!(
        "A client sends {requests} requests, each as two small writes (header, then body), \
         and waits for each answer."
    ));
    demo.line(format!(
        "Nagle on (the default): {} per request",
        ms(with_nagle)
    ));
    demo.line(format!(
        "TCP_NODELAY:            {} per request",
        ms(without_nagle)
    ));
    demo.say(
        "With Nagle's algorithm the second small write waits until the first is acknowledged, \
         and the server delays its ACK (up to 40 ms on Linux) hoping to send it with an \
         answer, which it cannot send before the body. Write the request in one write, or set \
         TCP_NODELAY (--nodelay).",
    );
    let read = linger_zero_close()?;
    demo.line("client sets SO_LINGER to 0 and closes; the server reads:");
    match &read {
        Err(e) => demo.line(format!("  {:?}, errno {}", e.kind(), errno(e))),
        Ok(n) => demo.line(format!("  {n} bytes (no reset)")),
    }
    demo.say(
        "A close with SO_LINGER 0 throws away what was not sent and sends a reset (RST) \
         instead of the goodbye (FIN). That is what \"connection reset by peer\" is: the other \
         side's kernel said this connection no longer exists.",
    );
    Ok(())
}

fn part_families(demo: &mut Demo) -> io::Result<()> {
    demo.say(
        "Lesson 11's own server and client, unchanged, over three address families: only the \
         address differs.",
    );
    demo.start_server()?;
    let mut a = demo.connect("A")?;
    a.send("over ipv4")?;
    a.receive()?;
    a.quit();
    match echo_over(&ipv6_loopback(), "over ipv6") {
        Ok((_, reply)) => demo.line(format!(
            "AF_INET6 [::1]: the client prints {:?}",
            String::from_utf8_lossy(&reply).trim_end()
        )),
        Err(e) => demo.line(format!("AF_INET6 skipped: no IPv6 loopback here ({e})")),
    }
    if cfg!(unix) {
        let folder = SocketFolder::new("demo")?;
        let path = folder.0.join("lesson11.sock");
        let (_, reply) = echo_over(&Endpoint::Unix(path), "over a path")?;
        demo.line(format!(
            "AF_UNIX lesson11.sock: the client prints {:?}",
            String::from_utf8_lossy(&reply).trim_end()
        ));
    } else {
        demo.line("AF_UNIX skipped: Unix domain sockets need a Unix system");
    }
    demo.say(
        "A Unix domain socket is a name in the file system, not a port: no IP, no TCP, only \
         this machine. Try `lesson11 server --unix /tmp/l11.sock` and `lesson11 client --unix \
         /tmp/l11.sock`.",
    );
    Ok(())
}
