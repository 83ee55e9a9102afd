//! The demo script for lesson 8 (file transfer): list, get, put, a damaged download caught by
//! its md5, a refused `../` name, and the tutorial's `res += recv(1024)` against a streaming read.
//!
//! The server serves a folder of the demo's own, made fresh under the system's temporary
//! directory and removed at the end (never `./lesson8-files`). Everything it narrates is forced:
//! - **a damaged download** needs a byte that changes on the way, and loopback never changes one.
//!   So the demo puts a stand-in server of its own in front of the folder, which flips one byte
//!   on purpose, and says so.
//! - **the timings** are measured, so their milliseconds differ on every run. The transcript
//!   shows them as they were and draws no verdict from them: a "ten times faster" could come out
//!   false on a busy machine (the chapter check treats `12.3 ms` as a measurement, like a port).

use std::fs;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::{Demo, PATIENCE, pad};
use crate::probe::{self, BoundedThread};
use crate::scenario::{Conn, Protocol, Recorder, Target};
use crate::t;
use socket_lessons::files::{self, FileCommand, FileError, Refused};
use socket_lessons::frame::{self, BodyReader, Header, Md5Check, md5_hex};
use socket_lessons::lessons::file_transfer;

/// The two files the folder starts with.
const HELLO: &[u8] = b"hello\n";
const NOTES: &str = "notes.txt";

pub fn lesson8(demo: &mut Demo) -> io::Result<()> {
    let scratch = Scratch::new()?;
    demo.say(&t!("demo-lesson8-intro"));
    demo.part(1, &t!("demo-lesson8-part1"), |demo| list(demo, &scratch))?;
    demo.part(2, &t!("demo-lesson8-part2"), |demo| get(demo, &scratch))?;
    demo.part(3, &t!("demo-lesson8-part3"), |demo| put(demo, &scratch))?;
    demo.part(4, &t!("demo-lesson8-part4"), |demo| damaged(demo, &scratch))?;
    demo.part(5, &t!("demo-lesson8-part5"), |demo| outside(demo, &scratch))?;
    demo.part(6, &t!("demo-lesson8-part6"), |demo| {
        quadratic(demo, &scratch)
    })?;
    demo.say(&t!("demo-lesson8-notice"));
    Ok(())
}

/// The demo's folders: the served one, one outside it, and the client's.
struct Scratch {
    base: PathBuf,
}

impl Scratch {
    fn new() -> io::Result<Scratch> {
        let base = std::env::temp_dir().join(format!("lesson8-demo-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        for dir in ["served", "client"] {
            fs::create_dir_all(base.join(dir))?;
        }
        fs::write(base.join("served").join("a.txt"), HELLO)?;
        fs::write(
            base.join("served").join(NOTES),
            "Bring a laptop.\nRead chapter 8.\n",
        )?;
        fs::write(base.join("secret.txt"), "outside the folder\n")?;
        Ok(Scratch { base })
    }

    fn served(&self) -> PathBuf {
        self.base.join("served")
    }

    /// A fresh path in the client's folder (nothing there yet).
    fn client_path(&self, name: &str) -> PathBuf {
        let path = self.base.join("client").join(name);
        let _ = fs::remove_file(&path);
        path
    }

    /// Whether the client's folder holds nothing: no file, no temporary file.
    fn client_folder_is_empty(&self) -> io::Result<bool> {
        Ok(fs::read_dir(self.base.join("client"))?.next().is_none())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.base);
    }
}

/// Starts the lesson's server on the demo's folder (once), and connects a client whose acts go
/// to `log`.
fn client(demo: &mut Demo, scratch: &Scratch, log: &Recorder) -> io::Result<Conn> {
    demo.start_server_with(&["--root".as_ref(), scratch.served().as_os_str()])?;
    connect(demo.addr, log)
}

/// The client: a connection of the scenario engine's, which notes every write and read in the
/// part's `log`, so that the page draws them on lanes. The lesson's own `get`, `put` and `list`
/// speak through it, as they would through a bare socket.
fn connect(addr: SocketAddr, log: &Recorder) -> io::Result<Conn> {
    let target = Target {
        addr,
        protocol: Protocol::Files,
        patience: PATIENCE,
    };
    Conn::open(&target, "A", log).map_err(io::Error::other)
}

/// One line of the play-by-play, in the columns of every demo's: `client   sends      ...`.
fn play(demo: &Demo, what: &str, detail: impl AsRef<str>) {
    let who = t!("demo-lesson8-client");
    demo.line(format!(
        "{} {} {}",
        pad(&who, 8),
        pad(what, 10),
        detail.as_ref()
    ));
}

/// Part 1: `list`.
fn list(demo: &mut Demo, scratch: &Scratch) -> io::Result<()> {
    let log = Recorder::new();
    let mut phone = client(demo, scratch, &log)?;
    play(
        demo,
        &t!("demo-replay-sends"),
        t!("demo-lesson8-list-request"),
    );
    let mut listing = Vec::new();
    file_transfer::run(&mut phone, FileCommand::List, &mut listing)?;
    for line in String::from_utf8_lossy(&listing).lines() {
        play(demo, &t!("demo-replay-receives"), line.trim_start());
    }
    demo.draw(&log.observations(Protocol::Files));
    demo.say(&t!("demo-lesson8-list-notice"));
    Ok(())
}

/// Part 2: `get a.txt`, md5 checked.
fn get(demo: &mut Demo, scratch: &Scratch) -> io::Result<()> {
    let log = Recorder::new();
    let mut phone = client(demo, scratch, &log)?;
    let to = scratch.client_path("a.txt");
    play(
        demo,
        &t!("demo-replay-sends"),
        "{\"action\": \"get\", \"filename\": \"a.txt\"}",
    );
    let reply = file_transfer::get(&mut phone, "a.txt", &to)?;
    play(
        demo,
        &t!("demo-replay-receives"),
        t!(
            "demo-lesson8-get-received",
            bytes = reply.total_size.to_string(),
            md5 = reply.md5.as_deref().unwrap_or("?")
        ),
    );
    play(
        demo,
        &t!("demo-lesson8-checks"),
        t!("demo-lesson8-get-checked", md5 = md5_hex(&fs::read(&to)?)),
    );
    play(
        demo,
        &t!("demo-lesson8-renames"),
        t!("demo-lesson8-get-renamed"),
    );
    demo.draw(&log.observations(Protocol::Files));
    demo.say(&t!("demo-lesson8-get-notice"));
    fs::remove_file(&to)
}

/// Part 3: `put b.txt`, md5 checked by the server.
fn put(demo: &mut Demo, scratch: &Scratch) -> io::Result<()> {
    let log = Recorder::new();
    let mut phone = client(demo, scratch, &log)?;
    let from = scratch.client_path("b.txt");
    let contents = b"uploaded by the client\n";
    fs::write(&from, contents)?;
    play(
        demo,
        &t!("demo-lesson8-hashes"),
        t!("demo-lesson8-put-hashed", md5 = md5_hex(contents)),
    );
    let request = file_transfer::put(&mut phone, &from, "b.txt", false)?;
    play(
        demo,
        &t!("demo-replay-sends"),
        t!(
            "demo-lesson8-put-sent",
            bytes = request.total_size.to_string()
        ),
    );
    let stored = fs::read(scratch.served().join("b.txt"))?;
    play(
        demo,
        &t!("demo-replay-receives"),
        t!("demo-lesson8-put-stored", bytes = stored.len().to_string()),
    );
    demo.draw(&log.observations(Protocol::Files));
    demo.say(&t!("demo-lesson8-put-notice"));
    fs::remove_file(&from)?;
    fs::remove_file(scratch.served().join("b.txt"))
}

/// Part 4: a stand-in server flips one byte; the client's md5 catches it and keeps nothing.
fn damaged(demo: &mut Demo, scratch: &Scratch) -> io::Result<()> {
    demo.say(&t!("demo-lesson8-damaged-intro"));
    let real = fs::read(scratch.served().join(NOTES))?;
    let (addr, stand_in) = flipping_stand_in(real.clone())?;
    let log = Recorder::new();
    let mut phone = connect(addr, &log)?;
    let to = scratch.client_path(NOTES);
    let got = file_transfer::get(&mut phone, NOTES, &to);
    drop(phone);
    stand_in.join_within(PATIENCE)??;
    let Err(e) = got else {
        return Err(io::Error::other("the damaged download was kept"));
    };
    if !scratch.client_folder_is_empty()? {
        return Err(io::Error::other("the damaged download left a file behind"));
    }
    play(
        demo,
        &t!("demo-replay-receives"),
        t!(
            "demo-lesson8-damaged-received",
            bytes = real.len().to_string()
        ),
    );
    play(
        demo,
        &t!("demo-lesson8-computes"),
        t!("demo-lesson8-damaged-computed"),
    );
    // What the client says is its refusal, with the facts it holds: the file's name and the
    // md5 it computed, cut to its first 8 digits so that the line fits the 80 columns of a
    // slide.
    let FileError::Refused(Refused::Md5Mismatch { name, actual, .. }) = e else {
        return Err(io::Error::other(format!("not an md5 refusal: {e}")));
    };
    let shown = format!("{}…", actual.get(..8).unwrap_or(&actual));
    play(
        demo,
        &t!("demo-lesson8-says"),
        t!("demo-lesson8-damaged-said", name = name, actual = shown),
    );
    play(
        demo,
        &t!("demo-lesson8-keeps"),
        t!("demo-lesson8-damaged-kept"),
    );
    demo.draw(&log.observations(Protocol::Files));
    demo.say(&t!("demo-lesson8-damaged-notice"));
    Ok(())
}

/// A one-connection server that answers a `get` with `real`'s header and `real` with one byte
/// flipped.
fn flipping_stand_in(real: Vec<u8>) -> io::Result<(SocketAddr, BoundedThread<io::Result<()>>)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let addr = listener.local_addr()?;
    let thread = BoundedThread::spawn("stand-in", move || {
        let (mut conn, _) = listener.accept()?;
        conn.set_read_timeout(Some(PATIENCE))?;
        conn.set_write_timeout(Some(PATIENCE))?;
        frame::read_header(&mut conn, &frame::Limits::REQUEST)?;
        let header = Header::for_body(&real).with("filename", NOTES);
        let mut flipped = real;
        flipped[3] ^= 0x20;
        frame::write_frame_with(&mut conn, &header, &flipped)?;
        // Wait for the client to hang up, so that our close cannot reset the connection.
        let _ = io::copy(&mut conn, &mut io::sink());
        Ok(())
    })?;
    Ok((addr, thread))
}

/// Part 5: `get ../secret.txt` is refused.
fn outside(demo: &mut Demo, scratch: &Scratch) -> io::Result<()> {
    let log = Recorder::new();
    let mut phone = client(demo, scratch, &log)?;
    play(
        demo,
        &t!("demo-replay-sends"),
        "{\"action\": \"get\", \"filename\": \"../secret.txt\"}",
    );
    let to = scratch.client_path("secret.txt");
    let Err(e) = file_transfer::get(&mut phone, "../secret.txt", &to) else {
        return Err(io::Error::other("a name outside the folder was served"));
    };
    play(
        demo,
        &t!("demo-replay-receives"),
        t!("demo-lesson8-an-error-reply"),
    );
    // The server's own sentence, passed on by the client as the server said it.
    let FileError::Refused(Refused::ServerRefused { said }) = e else {
        return Err(io::Error::other(format!("not the server's refusal: {e}")));
    };
    play(demo, "", said.trim_matches('"'));
    demo.draw(&log.observations(Protocol::Files));
    demo.say(&t!("demo-lesson8-outside-notice"));
    Ok(())
}

/// The file part 6 moves: 1 MiB and 2 MiB, small enough to stay quick even the slow way.
const SMALL: usize = 1 << 20;

/// Part 6: the tutorial's `res += recv(1024)` against the lesson's streaming read.
fn quadratic(demo: &mut Demo, scratch: &Scratch) -> io::Result<()> {
    demo.say(&t!("demo-lesson8-quadratic-intro"));
    let log = Recorder::new();
    let mut phone = client(demo, scratch, &log)?;
    for (name, size) in [("one.bin", SMALL), ("two.bin", 2 * SMALL)] {
        let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
        fs::write(scratch.served().join(name), bytes)?;
    }
    let tutorial_one = best_of(2, || tutorial_read(&mut phone, "one.bin"))?;
    let tutorial_two = best_of(2, || tutorial_read(&mut phone, "two.bin"))?;
    let streaming_two = best_of(2, || {
        let to = scratch.client_path("two.bin");
        let started = Instant::now();
        // The reply's reads are noted as one total, the request as what it is.
        phone.start_counting_reads();
        let got = file_transfer::get(&mut phone, "two.bin", &to);
        phone.stop_counting();
        got?;
        let took = started.elapsed();
        fs::remove_file(&to)?;
        Ok(took)
    })?;
    // The real times, and their real ratio, not a verdict on them: a fixed "four times as
    // long" or "ten times faster" comes out false on some machine (a run measured 7 times), and
    // a demo must never say what did not happen.
    play(
        demo,
        "res +=",
        t!(
            "demo-lesson8-tutorial-read",
            size = "1 MiB",
            ms = format!("{:.1}", millis(tutorial_one))
        ),
    );
    play(
        demo,
        "res +=",
        t!(
            "demo-lesson8-tutorial-read",
            size = "2 MiB",
            ms = format!("{:.1}", millis(tutorial_two))
        ),
    );
    play(
        demo,
        &t!("demo-lesson8-streams"),
        t!(
            "demo-lesson8-streaming-read",
            size = "2 MiB",
            ms = format!("{:.1}", millis(streaming_two))
        ),
    );
    play(
        demo,
        &t!("demo-lesson8-compares"),
        t!(
            "demo-lesson8-ratio",
            ratio = format!(
                "{:.1}",
                tutorial_two.as_secs_f64() / tutorial_one.as_secs_f64()
            )
        ),
    );
    demo.draw(&log.observations(Protocol::Files));
    demo.say(&t!("demo-lesson8-quadratic-notice"));
    for name in ["one.bin", "two.bin"] {
        fs::remove_file(scratch.served().join(name))?;
    }
    Ok(())
}

/// A duration in milliseconds, with a fraction: what the narration prints.
fn millis(took: Duration) -> f64 {
    took.as_secs_f64() * 1000.0
}

/// The quickest of `runs` runs: the least disturbed by whatever else the machine was doing.
fn best_of(runs: usize, mut run: impl FnMut() -> io::Result<Duration>) -> io::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        best = best.min(run()?);
    }
    Ok(best)
}

/// The tutorial's client, in Rust: the header, then `res = res + recv(1024)` until the body is
/// all there, every time into a fresh buffer holding all the bytes so far. Checks the md5 at the
/// end (the tutorial does not), so that the two reads are known to have read the same bytes.
///
/// The reply's thousand reads are noted as one total, as the streaming read's are: the page
/// draws each request, and how many bytes came back in how many reads.
fn tutorial_read(phone: &mut Conn, name: &str) -> io::Result<Duration> {
    let started = Instant::now();
    frame::write_frame_with(phone, &files::request("get", name), b"")?;
    phone.start_counting_reads();
    let reply = files::read_reply(phone).map_err(io::Error::from);
    let body = reply.and_then(|reply| Ok((tutorial_body(phone, &reply)?, reply)));
    phone.stop_counting();
    let (res, reply) = body?;
    let took = started.elapsed();
    let check = BodyReader::new(&res[..], &reply)
        .finish()
        .map_err(io::Error::from)?;
    if check != Md5Check::Matches {
        return Err(io::Error::other("the tutorial's read got other bytes"));
    }
    Ok(took)
}

/// `res = res + recv(1024)` until the body that `reply` announced is all there.
fn tutorial_body(phone: &mut Conn, reply: &Header) -> io::Result<Vec<u8>> {
    let mut res: Vec<u8> = Vec::new();
    let mut buf = [0u8; 1024];
    while (res.len() as u64) < reply.total_size {
        let left = (reply.total_size - res.len() as u64).min(1024) as usize;
        let n = probe::read_retrying(phone, &mut buf[..left])?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        // res += data: a new object, with the old bytes and the new ones copied in.
        let mut joined = Vec::with_capacity(res.len() + n);
        joined.extend_from_slice(&res);
        joined.extend_from_slice(&buf[..n]);
        res = joined;
    }
    Ok(res)
}
