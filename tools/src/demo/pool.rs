//! The demo script for lesson 12: what a fixed pool of workers fixes (a flood costs no thread
//! each) and what it costs (every worker held by an idle client, and the next client waits:
//! head-of-line blocking).
//!
//! The server runs with two workers and a queue of one (`--workers 2 --queue 1`), so that every
//! outcome is forced by the pool's design, not by timing: a client is answered only once a
//! worker has taken it, the clients already answered hold both workers for as long as they stay,
//! the next one waits in the queue (a silence of a moment, the server's design says so), and the
//! one after that is told `busy`. The scripted clients are the scenario engine's recording
//! connections; the play-by-play is read from what they recorded.

use std::ffi::OsStr;
use std::io;

use super::Demo;
use super::replay::{self, Telling};
use crate::probe::{A_MOMENT, limits};
use crate::scenario::{Conn, Protocol, Recorder, Run};
use crate::t;
use socket_lessons::guard;

/// The pool the demo plays on.
const WORKERS: usize = 2;
const QUEUE: usize = 1;
const FLAGS: [&str; 4] = ["--workers", "2", "--queue", "1"];

/// How many clients the flood of part 1 sends.
const FLOOD: usize = 20;

pub fn lesson12(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!(
        "demo-lesson12-intro",
        workers = WORKERS.to_string(),
        queue = QUEUE.to_string()
    ));
    demo.part(1, &t!("demo-lesson12-part1"), part_flood)?;
    demo.part(2, &t!("demo-lesson12-part2"), part_head_of_line)?;
    demo.say(&t!("demo-lesson12-notice"));
    Ok(())
}

fn start(demo: &mut Demo) -> io::Result<()> {
    let flags: Vec<&OsStr> = FLAGS.iter().map(OsStr::new).collect();
    demo.start_server_with(&flags)
}

/// What became of the flood's clients, counted as the pool's design sorts them.
#[derive(Debug, Default)]
struct Flood {
    answered: usize,
    waiting: usize,
    busy: usize,
}

fn part_flood(demo: &mut Demo) -> io::Result<()> {
    start(demo)?;
    let target = demo.target(Protocol::Echo)?;
    // (The workers start as the server begins to serve: counted once the first client is
    // answered, they are all there.)
    let mut first_answered = None;
    // One after another, and each is settled before the next comes: the first two are answered
    // (each by a worker that now belongs to it), the third waits in the queue, the rest are
    // turned away.
    let log = Recorder::new();
    let mut clients = Vec::new();
    let mut flood = Flood::default();
    for i in 1..=FLOOD {
        let mut client = Conn::open(&target, &format!("C{i}"), &log).map_err(io::Error::other)?;
        if i <= WORKERS {
            client.exchange(b"x").map_err(io::Error::other)?;
            flood.answered += 1;
            if i == 1 {
                first_answered = limits::threads(None);
            }
        } else if i <= WORKERS + QUEUE {
            client.send(b"x").map_err(io::Error::other)?;
            expect_silence(&mut client)?;
            flood.waiting += 1;
        } else {
            expect_busy(&mut client)?;
            flood.busy += 1;
        }
        clients.push(client);
    }
    let during = limits::threads(None);
    demo.say(&t!(
        "demo-lesson12-flood-intro",
        clients = FLOOD.to_string()
    ));
    // The counts line up, right-aligned in two columns.
    let count = |n: usize| format!("{n:>2}");
    demo.line(t!("demo-lesson12-answered", count = count(flood.answered)));
    demo.line(t!(
        "demo-lesson12-waiting",
        count = count(flood.waiting),
        ms = A_MOMENT.as_millis().to_string()
    ));
    demo.line(t!("demo-lesson12-busy", count = count(flood.busy)));
    match (first_answered, during) {
        (Some(first), Some(during)) => demo.line(t!(
            "demo-lesson12-threads",
            first = first.to_string(),
            during = during.to_string(),
            clients = FLOOD.to_string()
        )),
        _ => demo.line(t!("demo-no-thread-count")),
    }
    // The flood leaves, and waits until the server has let go of each client: a seat is given
    // back before its connection closes, so the next part finds the pool empty. The queued
    // client is served first, as soon as a worker is free.
    for (i, mut client) in clients.into_iter().enumerate() {
        client.half_close();
        client.set_wait(target.patience);
        if i == WORKERS {
            client.expect(b"X").map_err(io::Error::other)?;
        }
        client.wait_for_end().map_err(io::Error::other)?;
        client.close();
    }
    demo.say(&t!(
        "demo-lesson12-flood-notice",
        clients = FLOOD.to_string(),
        workers = WORKERS.to_string()
    ));
    Ok(())
}

fn part_head_of_line(demo: &mut Demo) -> io::Result<()> {
    start(demo)?;
    let target = demo.target(Protocol::Echo)?;
    // The busy line is longer than a line of the play-by-play: it is told in words, between
    // the parts of the run before and after it.
    let (mut before_busy, mut after_busy) = (0, 0);
    let run = Run::play(Protocol::Echo, |log| -> io::Result<()> {
        let open = |actor| Conn::open(&target, actor, log).map_err(io::Error::other);
        let mut a = open("A")?;
        a.exchange(b"hello").map_err(io::Error::other)?;
        let mut b = open("B")?;
        b.exchange(b"hi").map_err(io::Error::other)?;
        // A and B stay, saying nothing: each holds its worker.
        let mut c = open("C")?;
        c.send(b"me too").map_err(io::Error::other)?;
        expect_silence(&mut c)?;
        let mut d = open("D")?;
        before_busy = log.len();
        expect_busy(&mut d)?;
        after_busy = log.len();
        d.close();
        // A leaves: its worker is free, and takes the client at the head of the queue.
        a.close();
        c.set_wait(target.patience);
        c.expect(b"ME TOO").map_err(io::Error::other)?;
        c.close();
        b.close();
        Ok(())
    });
    run.finding?;
    let queued = t!("demo-lesson12-c-queued");
    let telling = Telling {
        silences: &[("C", &queued)],
        ..Telling::default()
    };
    demo.replay(&run.observations.until(before_busy), &telling);
    demo.line(
        replay::narration(
            &replay::client("D"),
            &t!("demo-replay-receives"),
            &t!("demo-lesson12-busy-line"),
        )
        .trim_start(),
    );
    demo.replay(&run.observations.since(after_busy), &telling);
    demo.say(&t!("demo-lesson12-head-of-line-notice"));
    Ok(())
}

/// A queued client hears nothing for a moment: every worker is held, by the pool's design.
fn expect_silence(client: &mut Conn) -> io::Result<()> {
    match client.listen(A_MOMENT) {
        Ok(()) => Ok(()),
        Err(heard) => Err(io::Error::other(format!(
            "{} should wait in the queue, but heard {:?}",
            client.actor(),
            String::from_utf8_lossy(&heard)
        ))),
    }
}

/// A client beyond the pool reads the busy line (lesson 11's).
fn expect_busy(client: &mut Conn) -> io::Result<()> {
    // The busy line in the language of the server, which runs in this process.
    let busy = format!("{}\n", guard::busy());
    let line = client.read_bare(busy.len()).map_err(io::Error::other)?;
    if line == busy.as_bytes() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "{} should be told busy, but heard {:?}",
            client.actor(),
            String::from_utf8_lossy(&line)
        )))
    }
}
