//! How fast does lesson 9's room fan a message out, and what does a member who never reads cost
//! it? Measured against a tokio chat server that speaks the same wire, by the same load client,
//! in the same run.
//!
//! ```text
//! cargo bench --bench chat_fanout
//! CHAT_BENCH_LINES=50000 CHAT_BENCH_ROUNDS=3 cargo bench --bench chat_fanout
//! ```
//!
//! The servers, each a process of its own, so that its memory can be read from `/proc`:
//!
//! 1. **lesson 9**: the real `lesson9 server` binary (`RUST_LOG=warn`): a reader thread and a
//!    writer thread per member, a bounded queue (`room::QUEUE` lines) per member.
//! 2. **tokio**: this benchmark's own binary, started again as a server (`CHAT_BENCH_SERVE=tokio`),
//!    written in the shape of tokio's `examples/chat.rs`: a shared map of every peer's sender
//!    behind a `tokio::sync::Mutex`, one task per peer that `select!`s between its unbounded
//!    channel and its socket's next line, one `write_all` per message. Where the example uses
//!    tokio-util's `LinesCodec`, this uses tokio's own `BufReader::lines` (the same line
//!    reading, without one more crate), and it speaks lesson 9's wire exactly: the first line is
//!    the name, `* in the room: ...`, `* NAME joined`, `[NAME] text`, `* NAME left`, lines of at
//!    most 1,000 bytes.
//!
//! **Fan-out.** 100 members join; one of them (the sender) sends `CHAT_BENCH_LINES` lines
//! (100,000 by default) of 100 bytes, and the other 99 each read every one. The figure is lines
//! delivered per second, all readers together (lines × 99 / the time from the first line sent to
//! the last line read by the last reader). The sender keeps at most two rounds of 256 lines
//! ahead of the slowest reader (each reader reports every round): a chat client does not send a
//! megabyte ahead of its room, and with fewer lines in flight than lesson 9's queue holds, no
//! reader that reads can be taken for one that stopped. Both servers get the same load. The
//! servers take turns, round by round, after one uncounted warm-up round; each figure is the
//! median of `CHAT_BENCH_ROUNDS` rounds (5 by default), best in brackets.
//!
//! **Memory.** Three members: a sender, a reader, and dave, who never reads. The sender sends
//! 100,000 lines of 1,000 bytes (100 MB), in rounds the reader has read, and then the server's
//! peak resident memory (`VmHWM` in `/proc/PID/status`) is read. Lesson 9 drops dave once his
//! queue has stayed full for `room::READING_PATIENCE` (the sender waits that long, once); tokio's
//! unbounded channel keeps every line for him.
//!
//! Everything stays on 127.0.0.1, every read and write has a timeout, and a run is cut off after
//! a minute. It prints numbers and never fails on timing.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use socket_lessons::room::{QUEUE, SEND_BUFFER};
use socket_lessons_tools::probe::{self, BoundedThread, PATIENCE, ServerProcess};

const MEMBERS: usize = 100;
const LINE: usize = 100;
const ROUND: usize = 256;
const MEMORY_LINES: usize = 100_000;
const MEMORY_LINE: usize = 1000;
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// A server under test: its name, and how to start it.
type Contender = (&'static str, fn() -> ServerProcess);

fn main() {
    if std::env::var("CHAT_BENCH_SERVE").as_deref() == Ok("tokio") {
        tokio_chat::main();
        return;
    }
    const { assert!(2 * ROUND < QUEUE) };
    let lines = env_number("CHAT_BENCH_LINES", 100_000);
    let rounds = env_number("CHAT_BENCH_ROUNDS", 5);
    println!(
        "chat_fanout: {MEMBERS} members, one sends {lines} lines of {LINE} bytes \
         (CHAT_BENCH_LINES), the other {} read them all; lines delivered per second, median of \
         {rounds} rounds after 1 warm-up (CHAT_BENCH_ROUNDS), best in brackets",
        MEMBERS - 1
    );
    let servers: [Contender; 2] = [
        ("lesson 9 (a thread pair per member)", lesson9),
        ("tokio (examples/chat.rs shape)", tokio_server),
    ];
    let mut results: Vec<Vec<f64>> = vec![Vec::new(); servers.len()];
    for round in 0..=rounds {
        for (index, (_, start)) in servers.iter().enumerate() {
            let server = start();
            let rate = fan_out(server.addr, lines).unwrap_or_else(|e| panic!("fan-out: {e}"));
            stop(server);
            if round > 0 {
                results[index].push(rate);
            }
        }
    }
    let medians: Vec<f64> = results.iter_mut().map(|r| median(r)).collect();
    for ((name, _), (result, median)) in servers.iter().zip(results.iter().zip(&medians)) {
        let best = result.iter().copied().fold(0.0, f64::max);
        println!(
            "  {name:<38} {:>12} lines/s  [{}]",
            thousands(*median),
            thousands(best)
        );
    }
    println!(
        "  ratio lesson 9 / tokio: {:.2}x (target >= 1.0x)",
        medians[0] / medians[1]
    );

    println!(
        "memory: a sender, a reader, and one member who never reads; {MEMORY_LINES} lines of \
         {MEMORY_LINE} bytes sent; the server's peak RSS (VmHWM)"
    );
    for (name, start) in servers {
        let server = start();
        let (dropped, peak) = never_reader(&server).unwrap_or_else(|e| panic!("memory: {e}"));
        let fate = if dropped {
            "the silent member was dropped"
        } else {
            "the silent member is still queued for"
        };
        println!("  {name:<38} {peak:>8.1} MiB  ({fate})");
        stop(server);
    }
    println!(
        "  lesson 9's bound: {QUEUE} lines per member, at most {} KiB each with lines of \
         1,000 bytes, beyond the kernel's send buffer ({} KiB asked, SO_SNDBUF)",
        QUEUE * (MEMORY_LINE + 20) / 1024,
        SEND_BUFFER / 1024
    );
}

fn lesson9() -> ServerProcess {
    ServerProcess::spawn(
        Command::new(env!("CARGO_BIN_EXE_lesson9"))
            .args(["server", "--addr", "127.0.0.1:0"])
            .env("RUST_LOG", "warn"),
    )
    .expect("lesson9 server did not start")
}

fn tokio_server() -> ServerProcess {
    ServerProcess::spawn(
        Command::new(std::env::current_exe().expect("this benchmark's own path"))
            .env("CHAT_BENCH_SERVE", "tokio"),
    )
    .expect("the tokio chat server did not start")
}

fn stop(mut server: ServerProcess) {
    let _ = server.interrupt();
    let _ = server.wait_within(PATIENCE);
}

/// A member of the load: a socket with timeouts, reading lines.
struct Member {
    stream: TcpStream,
    lines: BufReader<TcpStream>,
}

impl Member {
    fn join(addr: SocketAddr, name: &str) -> io::Result<Member> {
        let mut stream = probe::connect(addr)?;
        stream.write_all(format!("{name}\n").as_bytes())?;
        let mut member = Member {
            lines: BufReader::with_capacity(64 * 1024, stream.try_clone()?),
            stream,
        };
        let first = member.line()?;
        if !first.starts_with("* in the room: ") {
            return Err(io::Error::other(format!("{name} was not let in: {first}")));
        }
        Ok(member)
    }

    fn line(&mut self) -> io::Result<String> {
        let mut line = String::new();
        if self.lines.read_line(&mut line)? == 0 {
            return Err(io::Error::other("the server hung up"));
        }
        Ok(line)
    }

    /// Reads until a line that is exactly `wanted` (skipping notices on the way).
    fn skip_to(&mut self, wanted: &str) -> io::Result<()> {
        while self.line()? != wanted {}
        Ok(())
    }

    /// Reads `count` lines (counting their ends, not parsing them), reporting every [`ROUND`].
    fn count_lines(mut self, count: usize, round_read: &Sender<()>) -> io::Result<()> {
        let mut seen = 0;
        let deadline = Instant::now() + RUN_LIMIT;
        while seen < count {
            let buffer = self.lines.fill_buf()?;
            if buffer.is_empty() {
                return Err(io::Error::other("the server hung up on a reader"));
            }
            let mut used = 0;
            for (at, _) in buffer.iter().enumerate().filter(|(_, b)| **b == b'\n') {
                seen += 1;
                used = at + 1;
                if seen % ROUND == 0 {
                    let _ = round_read.send(());
                }
                if seen == count {
                    break;
                }
            }
            if used == 0 {
                used = buffer.len();
            }
            self.lines.consume(used);
            if Instant::now() > deadline {
                return Err(io::Error::other("the run took over a minute"));
            }
        }
        Ok(())
    }
}

/// Sends `lines` lines of `length` bytes from `sender`, round by round, waiting after each round
/// `r` for every reader to have read round `r - 1`.
fn send_rounds(
    sender: &mut Member,
    lines: usize,
    length: usize,
    readers: &[Receiver<()>],
) -> io::Result<()> {
    let filler = "x".repeat(length - 8);
    let mut round = String::new();
    for (r, first) in (0..lines).step_by(ROUND).enumerate() {
        round.clear();
        for i in first..lines.min(first + ROUND) {
            round.push_str(&format!("{i:07} {filler}\n"));
        }
        sender.stream.write_all(round.as_bytes())?;
        if r > 0 {
            for reader in readers {
                reader
                    .recv_timeout(PATIENCE)
                    .map_err(|_| io::Error::other("a reader fell behind"))?;
            }
        }
    }
    Ok(())
}

/// One fan-out run: lines delivered per second, all readers together.
fn fan_out(addr: SocketAddr, lines: usize) -> io::Result<f64> {
    let mut readers = Vec::new();
    for n in 1..MEMBERS {
        readers.push(Member::join(addr, &format!("m{n}"))?);
    }
    let mut sender = Member::join(addr, "sender")?;
    // Everyone has joined; the marker line puts every reader past the join notices.
    sender.stream.write_all(b"go\n")?;
    let mut counting = Vec::new();
    let mut reports = Vec::new();
    for mut reader in readers {
        reader.skip_to("[sender] go\n")?;
        let (round_read, rounds) = crossbeam_channel::unbounded();
        reports.push(rounds);
        counting.push(BoundedThread::spawn("reader", move || {
            reader.count_lines(lines, &round_read)
        })?);
    }
    let start = Instant::now();
    send_rounds(&mut sender, lines, LINE - 1, &reports)?;
    for reader in counting {
        reader.join_within(RUN_LIMIT)??;
    }
    let elapsed = start.elapsed().as_secs_f64();
    Ok((lines * (MEMBERS - 1)) as f64 / elapsed)
}

/// The memory run: returns whether the silent member was dropped, and the server's peak RSS in
/// MiB once every line has reached the reader.
fn never_reader(server: &ServerProcess) -> io::Result<(bool, f64)> {
    let mut sender = Member::join(server.addr, "sender")?;
    let mut reader = Member::join(server.addr, "reader")?;
    sender.skip_to("* reader joined\n")?;
    // Dave names himself and never reads a byte.
    let mut dave = probe::connect(server.addr)?;
    dave.write_all(b"dave\n")?;
    sender.skip_to("* dave joined\n")?;
    reader.skip_to("* dave joined\n")?;
    let (round_read, rounds) = crossbeam_channel::unbounded();
    // The reader sees lines from the sender and, perhaps, the notice that dave was dropped.
    let counting = BoundedThread::spawn("reader", move || {
        let mut dropped = false;
        let mut seen = 0;
        while seen < MEMORY_LINES {
            let line = reader.line()?;
            if line.starts_with("[sender] ") {
                seen += 1;
                if seen % ROUND == 0 {
                    let _ = round_read.send(());
                }
            } else if line.starts_with("* dave left") {
                dropped = true;
            }
        }
        io::Result::Ok(dropped)
    })?;
    send_rounds(&mut sender, MEMORY_LINES, MEMORY_LINE - 1, &[rounds])?;
    let dropped = counting.join_within(RUN_LIMIT)??;
    let peak = peak_rss_mib(server.id())?;
    drop(dave);
    Ok((dropped, peak))
}

/// `VmHWM` of process `pid`, in MiB (Linux).
fn peak_rss_mib(pid: u32) -> io::Result<f64> {
    let mut status = String::new();
    std::fs::File::open(format!("/proc/{pid}/status"))?.read_to_string(&mut status)?;
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| io::Error::other("no VmHWM in /proc/PID/status"))?;
    Ok(kib / 1024.0)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The anchor: lesson 9's wire, served in the shape of tokio's `examples/chat.rs`.
mod tokio_chat {
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::sync::{Mutex, mpsc};

    type Tx = mpsc::UnboundedSender<Arc<str>>;

    /// Every peer's name and sender, as in the example's `Shared`.
    #[derive(Default)]
    struct Shared {
        peers: HashMap<SocketAddr, (String, Tx)>,
        order: Vec<SocketAddr>,
    }

    impl Shared {
        fn broadcast(&mut self, sender: SocketAddr, message: &str) {
            let message: Arc<str> = message.into();
            for (addr, (_, tx)) in self.peers.iter_mut() {
                if *addr != sender {
                    let _ = tx.send(Arc::clone(&message));
                }
            }
        }
    }

    #[tokio::main]
    pub async fn main() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        eprintln!(
            "tokio chat server listening on {}",
            listener.local_addr().unwrap()
        );
        let state = Arc::new(Mutex::new(Shared::default()));
        loop {
            let (stream, addr) = listener.accept().await.expect("accept");
            let state = Arc::clone(&state);
            tokio::spawn(async move {
                let _ = process(state, stream, addr).await;
            });
        }
    }

    async fn process(
        state: Arc<Mutex<Shared>>,
        stream: TcpStream,
        addr: SocketAddr,
    ) -> io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = tokio::io::BufReader::new(read).lines();
        let Some(name) = lines.next_line().await? else {
            return Ok(());
        };
        let valid =
            (1..=16).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric());
        let (tx, mut rx) = mpsc::unbounded_channel();
        {
            let mut state = state.lock().await;
            let taken = state
                .peers
                .values()
                .any(|(other, _)| other.eq_ignore_ascii_case(&name));
            if !valid || taken {
                drop(state);
                write.write_all(b"error: refused\n").await?;
                return Ok(());
            }
            let present: Vec<&str> = state
                .order
                .iter()
                .map(|a| state.peers[a].0.as_str())
                .collect();
            let present = if present.is_empty() {
                "nobody else yet".to_string()
            } else {
                present.join(", ")
            };
            write
                .write_all(format!("* in the room: {present}\n").as_bytes())
                .await?;
            state.broadcast(addr, &format!("* {name} joined\n"));
            state.peers.insert(addr, (name.clone(), tx));
            state.order.push(addr);
        }
        loop {
            tokio::select! {
                Some(message) = rx.recv() => {
                    if write.write_all(message.as_bytes()).await.is_err() {
                        break;
                    }
                }
                result = lines.next_line() => match result {
                    Ok(Some(text)) if text.len() <= 1000 => {
                        if !text.is_empty() {
                            let mut state = state.lock().await;
                            state.broadcast(addr, &format!("[{name}] {text}\n"));
                        }
                    }
                    _ => break,
                },
            }
        }
        let mut state = state.lock().await;
        state.peers.remove(&addr);
        state.order.retain(|a| *a != addr);
        state.broadcast(addr, &format!("* {name} left\n"));
        Ok(())
    }
}
