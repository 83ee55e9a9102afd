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
use crate::t;
use socket_lessons::endpoint::Endpoint;
use socket_lessons::lessons::socket_options::{
    backlog, families, nagle, names, refused, short_write, time_wait, timeouts,
};

/// An error's number and name, as C and Python see it: `98 (EADDRINUSE)`.
pub fn errno(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => format!("{code} ({})", errno_name(code)),
        None => t!("demo-lesson11-no-errno", kind = format!("{:?}", e.kind())),
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

/// An error as the demo prints it: its kind, as Rust names it, and its errno.
fn kind_and_errno(e: &io::Error) -> String {
    t!(
        "demo-lesson11-error",
        kind = format!("{:?}", e.kind()),
        errno = errno(e)
    )
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

pub fn lesson11(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson11-intro"));
    demo.part(1, &t!("demo-lesson11-part1"), part_reuse)?;
    demo.part(2, &t!("demo-lesson11-part2"), part_backlog)?;
    demo.part(3, &t!("demo-lesson11-part3"), part_timeouts)?;
    demo.part(4, &t!("demo-lesson11-part4"), part_refused)?;
    demo.part(5, &t!("demo-lesson11-part5"), part_names)?;
    demo.part(6, &t!("demo-lesson11-part6"), part_short_write)?;
    demo.part(7, &t!("demo-lesson11-part7"), part_nagle)?;
    demo.part(8, &t!("demo-lesson11-part8"), part_families)?;
    demo.say(&t!("demo-lesson11-notice"));
    Ok(())
}

fn outcome(result: &io::Result<()>) -> String {
    match result {
        Ok(()) => t!("demo-lesson11-succeeds"),
        Err(e) => t!("demo-lesson11-fails", errno = errno(e)),
    }
}

fn part_reuse(demo: &mut Demo) -> io::Result<()> {
    let t = time_wait::time_wait_rebind()?;
    demo.say(&t!("demo-lesson11-reuse-intro"));
    match t.in_time_wait {
        Some(listed) => demo.line(t!(
            "demo-lesson11-in-time-wait",
            listed = if listed {
                t!("demo-lesson11-yes")
            } else {
                t!("demo-lesson11-no")
            }
        )),
        None => demo.line(t!("demo-lesson11-no-proc")),
    }
    demo.line(t!(
        "demo-lesson11-bind-without",
        addr = t.addr.to_string(),
        outcome = outcome(&t.without)
    ));
    demo.line(t!(
        "demo-lesson11-bind-with",
        addr = t.addr.to_string(),
        outcome = outcome(&t.with)
    ));
    demo.line(t!("demo-lesson11-bind-std", outcome = outcome(&t.std_bind)));
    demo.say(&t!("demo-lesson11-reuse-notice"));
    Ok(())
}

fn part_backlog(demo: &mut Demo) -> io::Result<()> {
    let (asked, clients) = (2, 6);
    let b = backlog::backlog(asked, clients)?;
    demo.say(&t!(
        "demo-lesson11-backlog-intro",
        asked = asked.to_string(),
        clients = clients.to_string()
    ));
    match (b.accept_queue, b.established, b.syn_sent) {
        (Some((queued, limit)), Some(done), Some(waiting)) => {
            demo.line(t!(
                "demo-lesson11-accept-queue",
                queued = queued.to_string(),
                limit = limit.to_string()
            ));
            demo.line(t!(
                "demo-lesson11-clients-states",
                done = done.to_string(),
                waiting = waiting.to_string()
            ));
            demo.say(&t!(
                "demo-lesson11-backlog-numbers",
                queued = queued.to_string(),
                waiting = waiting.to_string()
            ));
        }
        _ => demo.line(t!("demo-lesson11-no-tcp-info")),
    }
    demo.say(&t!("demo-lesson11-backlog-notice"));
    Ok(())
}

fn part_timeouts(demo: &mut Demo) -> io::Result<()> {
    let timed = timeouts::read_with_timeout(Duration::from_millis(200))?;
    let nonblocking = timeouts::read_nonblocking()?;
    demo.say(&t!("demo-lesson11-timeouts-intro"));
    demo.line(t!("demo-lesson11-settimeout"));
    demo.line(format!(
        "  {}",
        t!(
            "demo-lesson11-after",
            took = ms(timed.after),
            kind = format!("{:?}", timed.error.kind()),
            errno = errno(&timed.error)
        )
    ));
    demo.line(t!("demo-lesson11-setblocking"));
    demo.line(format!(
        "  {}",
        t!(
            "demo-lesson11-after",
            took = ms(nonblocking.after),
            kind = format!("{:?}", nonblocking.error.kind()),
            errno = errno(&nonblocking.error)
        )
    ));
    demo.say(&t!("demo-lesson11-timeouts-notice"));
    Ok(())
}

fn part_refused(demo: &mut Demo) -> io::Result<()> {
    let (addr, e) = refused::connect_to_closed_port()?;
    demo.line(t!("demo-lesson11-connect-closed", addr = addr.to_string()));
    demo.line(format!("  {}", kind_and_errno(&e)));
    demo.say(&t!("demo-lesson11-refused-notice"));
    Ok(())
}

fn part_names(demo: &mut Demo) -> io::Result<()> {
    let n = names::names()?;
    demo.say(&t!("demo-lesson11-names-intro"));
    let names = t!(
        "demo-lesson11-names",
        listener = n.listener.to_string(),
        client_local = n.client_local.to_string(),
        client_peer = n.client_peer.to_string(),
        server_local = n.server_local.to_string(),
        server_peer = n.server_peer.to_string()
    );
    for line in names.lines() {
        demo.line(line);
    }
    demo.say(&t!("demo-lesson11-names-notice"));
    Ok(())
}

fn part_short_write(demo: &mut Demo) -> io::Result<()> {
    let asked = 8 << 20;
    let w = short_write::short_write(asked)?;
    demo.say(&t!("demo-lesson11-short-intro"));
    let taken: usize = w.writes.iter().sum();
    demo.line(t!(
        "demo-lesson11-send-took",
        took = w.writes[0].to_string(),
        asked = w.asked.to_string()
    ));
    if w.writes.len() > 1 {
        demo.line(t!(
            "demo-lesson11-next-sends",
            sends = (w.writes.len() - 1).to_string(),
            more = (taken - w.writes[0]).to_string(),
            taken = taken.to_string()
        ));
    }
    demo.line(t!(
        "demo-lesson11-send-again",
        kind = format!("{:?}", w.then.kind()),
        errno = errno(&w.then)
    ));
    demo.line(t!("demo-lesson11-sendall", bytes = w.delivered.to_string()));
    demo.say(&t!("demo-lesson11-short-notice"));
    Ok(())
}

fn part_nagle(demo: &mut Demo) -> io::Result<()> {
    let requests = 10;
    let with_nagle = nagle::write_write_read(false, requests)?;
    let without_nagle = nagle::write_write_read(true, requests)?;
    demo.say(&t!(
        "demo-lesson11-nagle-intro",
        requests = requests.to_string()
    ));
    demo.line(t!("demo-lesson11-nagle-on", took = ms(with_nagle)));
    demo.line(t!("demo-lesson11-nodelay", took = ms(without_nagle)));
    demo.say(&t!("demo-lesson11-nagle-notice"));
    let read = nagle::linger_zero_close()?;
    demo.line(t!("demo-lesson11-linger"));
    match &read {
        Err(e) => demo.line(format!("  {}", kind_and_errno(e))),
        Ok(n) => demo.line(format!(
            "  {}",
            t!("demo-lesson11-no-reset", bytes = n.to_string())
        )),
    }
    demo.say(&t!("demo-lesson11-linger-notice"));
    Ok(())
}

fn part_families(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson11-families-intro"));
    demo.start_server()?;
    let mut a = demo.connect("A")?;
    a.send("over ipv4")?;
    a.receive()?;
    a.quit();
    match families::echo_over(&families::ipv6_loopback(), "over ipv6") {
        Ok((_, reply)) => demo.line(t!(
            "demo-lesson11-ipv6",
            reply = format!("{:?}", String::from_utf8_lossy(&reply).trim_end())
        )),
        Err(e) => demo.line(t!("demo-lesson11-no-ipv6", error = e.to_string())),
    }
    if cfg!(unix) {
        let folder = families::SocketFolder::new("demo")?;
        let path = folder.0.join("lesson11.sock");
        let (_, reply) = families::echo_over(&Endpoint::Unix(path), "over a path")?;
        demo.line(t!(
            "demo-lesson11-unix",
            reply = format!("{:?}", String::from_utf8_lossy(&reply).trim_end())
        ));
    } else {
        demo.line(t!("demo-lesson11-no-unix"));
    }
    demo.say(&t!("demo-lesson11-families-notice"));
    Ok(())
}
