//! The demo script for lesson 11: eight experiments with socket options, one per part.
//!
//! The experiments are the lesson's own (`src/lessons/socket_options/`, one file each): each does
//! the thing on real sockets and returns what the kernel said (an errno, a queue length, a byte
//! count, a duration). This file only narrates those values, and the tests
//! (`tests/socket_options.rs`) call the same functions and assert them, so the demo cannot claim
//! what did not happen. What is forced is forced by the kernel's rules, never by timing: the only
//! numbers that differ between runs are ports, the measured durations (printed as "N.NN ms"), and
//! part 6's byte counts, which differ between kernels (the chapter check reads all of them as
//! measurements).
//!
//! Linux-specific (and said so where it is narrated): the accept-queue numbers of part 2 come
//! from `TCP_INFO` on the listening socket, and part 1's TIME_WAIT count from `/proc/net/tcp`.
//! Elsewhere those values are `None`, and the narration says they could not be read.

use std::io;
use std::time::Duration;

use super::Demo;
use socket_lessons::endpoint::Endpoint;
use socket_lessons::lessons::socket_options::{
    backlog, families, nagle, names, refused, short_write, time_wait, timeouts,
};

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
    let t = time_wait::time_wait_rebind()?;
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
    let b = backlog::backlog(asked, clients)?;
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
    let timed = timeouts::read_with_timeout(Duration::from_millis(200))?;
    let nonblocking = timeouts::read_nonblocking()?;
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
    let (addr, e) = refused::connect_to_closed_port()?;
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
    let n = names::names()?;
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
    let w = short_write::short_write(asked)?;
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
    let with_nagle = nagle::write_write_read(false, requests)?;
    let without_nagle = nagle::write_write_read(true, requests)?;
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
    let read = nagle::linger_zero_close()?;
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
    match families::echo_over(&families::ipv6_loopback(), "over ipv6") {
        Ok((_, reply)) => demo.line(format!(
            "AF_INET6 [::1]: the client prints {:?}",
            String::from_utf8_lossy(&reply).trim_end()
        )),
        Err(e) => demo.line(format!("AF_INET6 skipped: no IPv6 loopback here ({e})")),
    }
    if cfg!(unix) {
        let folder = families::SocketFolder::new("demo")?;
        let path = folder.0.join("lesson11.sock");
        let (_, reply) = families::echo_over(&Endpoint::Unix(path), "over a path")?;
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
