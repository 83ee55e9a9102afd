//! The demo script for lesson 13: ten thousand idle clients held by one thread, and what one
//! slow handler does to every client on that thread.
//!
//! The server is lesson 13's own loop (`event_loop::serve_with`) with the echo handler, changed
//! in one way the narration says out loud: a message `slow` is answered only when the script
//! says so, a stand-in for a long computation or a blocking call (the Rust Book's `/sleep`). The
//! handler tells the script when it has begun to wait, so that everything the script shows is
//! forced: while the handler waits, the loop's one thread is inside it, and no other client can
//! be answered, or even accepted.
//!
//! Part 1 holds as many idle clients as the process may open files for, up to 10000: both ends
//! of every connection are in this one process, so each client costs two descriptors here. The
//! narration says how many, and why when it is fewer.

use std::io::{self, Write};
use std::net::{SocketAddr, TcpStream};

use crossbeam_channel::{Receiver, Sender};

use super::Demo;
use super::replay::Telling;
use crate::probe::{PATIENCE, connect, limits, read_exactly};
use crate::scenario::{Conn, Protocol, Run};
use crate::t;
use socket_lessons::lessons::event_loop;

/// The clients of part 1: the ten thousand, if the descriptor limit allows.
const IDLE: usize = 10_000;
/// Descriptors kept for everything else in the process (the listener, the poll, the waker,
/// standard streams, the demo's own clients of part 2) and a margin.
const RESERVE: u64 = 100;

/// The cue between the script and the slow handler: the handler says it has begun, and waits
/// for the script to let it go.
struct Cue {
    begun: (Sender<()>, Receiver<()>),
    go: (Sender<()>, Receiver<()>),
}

impl Cue {
    fn new() -> Cue {
        Cue {
            begun: crossbeam_channel::bounded(1),
            go: crossbeam_channel::bounded(1),
        }
    }
}

pub fn lesson13(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson13-intro"));
    let cue = Cue::new();
    demo.part(1, &t!("demo-lesson13-part1"), |demo| part_idle(demo, &cue))?;
    demo.part(2, &t!("demo-lesson13-part2"), |demo| part_slow(demo, &cue))?;
    demo.say(&t!("demo-lesson13-notice"));
    Ok(())
}

/// Starts lesson 13's loop with the echo, except that `slow` waits for the cue.
fn start(demo: &mut Demo, cue: &Cue) -> io::Result<()> {
    let (begun, go) = (cue.begun.0.clone(), cue.go.1.clone());
    demo.start_server_serving(move |server| {
        event_loop::serve_with(server, move |request, reply| {
            if request == b"slow" {
                let _ = begun.send(());
                // Bounded, as every wait of the course: a demo that failed half-way must not
                // leave its server stuck here.
                let _ = go.recv_timeout(PATIENCE);
            }
            event_loop::echo(request, reply);
        })
    })
}

fn part_idle(demo: &mut Demo, cue: &Cue) -> io::Result<()> {
    start(demo, cue)?;
    let addr = demo.target(Protocol::Echo)?.addr;
    let limit = limits::raise_open_file_limit();
    let clients = match limit {
        Some(limit) => IDLE.min(usize::try_from(limit.saturating_sub(RESERVE) / 2).unwrap_or(IDLE)),
        None => IDLE,
    };
    let before = limits::threads(None);
    let streams = connect_and_echo(addr, clients)?;
    let during = limits::threads(None);
    demo.say(&t!(
        "demo-lesson13-idle-intro",
        clients = clients.to_string()
    ));
    demo.line(t!(
        "demo-lesson13-answered",
        answered = streams.len().to_string()
    ));
    match (before, during) {
        (Some(before), Some(during)) => demo.line(t!(
            "demo-lesson13-threads",
            before = before.to_string(),
            during = during.to_string()
        )),
        _ => demo.line(t!("demo-no-thread-count")),
    }
    // How many fit depends on the machine's descriptor limit, so the paragraph says it on every
    // machine, in the same words.
    demo.say(&t!(
        "demo-lesson13-descriptors",
        limit = limit.map_or_else(|| "?".to_string(), |l| l.to_string()),
        idle = IDLE.to_string()
    ));
    drop(streams);
    demo.say(&t!("demo-lesson13-idle-notice"));
    Ok(())
}

/// Connects `n` clients, then sends one message on each, then reads each echo: afterwards
/// every client has been accepted and answered, and stays connected.
fn connect_and_echo(addr: SocketAddr, n: usize) -> io::Result<Vec<TcpStream>> {
    let mut streams = Vec::with_capacity(n);
    for _ in 0..n {
        streams.push(connect(addr)?);
    }
    for stream in &mut streams {
        stream.write_all(b"ping")?;
    }
    for stream in &mut streams {
        let reply = read_exactly(stream, 4)?;
        if reply != b"PING" {
            return Err(io::Error::other(format!("{reply:?} instead of PING")));
        }
    }
    Ok(streams)
}

fn part_slow(demo: &mut Demo, cue: &Cue) -> io::Result<()> {
    start(demo, cue)?;
    let target = demo.target(Protocol::Echo)?;
    let run = Run::play(Protocol::Echo, |log| -> io::Result<()> {
        let open = |actor| Conn::open(&target, actor, log).map_err(io::Error::other);
        let fail = io::Error::other;
        let mut a = open("A")?;
        a.exchange(b"hello").map_err(fail)?;
        let mut b = open("B")?;
        b.exchange(b"hi").map_err(fail)?;
        a.send(b"slow").map_err(fail)?;
        // The loop is inside A's handler now, and stays there until the cue.
        cue.begun
            .1
            .recv_timeout(PATIENCE)
            .map_err(|_| io::Error::other("the slow handler did not begin"))?;
        b.send(b"hi again").map_err(fail)?;
        silent(&mut b)?;
        let mut c = open("C")?;
        c.send(b"hello?").map_err(fail)?;
        silent(&mut c)?;
        log.record(
            crate::scenario::record::SERVER,
            crate::scenario::Act::StartsServing,
        );
        cue.go
            .0
            .send(())
            .map_err(|_| io::Error::other("the server has gone"))?;
        a.expect(b"SLOW").map_err(fail)?;
        b.expect(b"HI AGAIN").map_err(fail)?;
        c.expect(b"HELLO?").map_err(fail)?;
        for client in [a, b, c] {
            client.close();
        }
        Ok(())
    });
    run.finding?;
    let (b_waits, c_waits) = (t!("demo-lesson13-b-waits"), t!("demo-lesson13-c-waits"));
    demo.replay(
        &run.observations,
        &Telling {
            silences: &[("B", &b_waits), ("C", &c_waits)],
            server_starts: Some(&t!("demo-lesson13-goes-on")),
            ..Telling::default()
        },
    );
    demo.say(&t!("demo-lesson13-slow-notice"));
    Ok(())
}

/// A client of the busy loop hears nothing for a moment: its one thread is in A's handler, by
/// the script's cue.
fn silent(client: &mut Conn) -> io::Result<()> {
    match client.listen(crate::probe::A_MOMENT) {
        Ok(()) => Ok(()),
        Err(heard) => Err(io::Error::other(format!(
            "{} should wait for the loop, but heard {:?}",
            client.actor(),
            String::from_utf8_lossy(&heard)
        ))),
    }
}
