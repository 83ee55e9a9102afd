//! What does `chaos` cost when it changes nothing? Bulk throughput through the proxy with no
//! SPEC, beside a direct connection (no proxy at all) and beside `socat`, the usual tool for a
//! plain TCP relay, in the same run.
//!
//! ```text
//! cargo bench --bench chaos_throughput
//! CHAOS_BENCH_MIB=64 CHAOS_BENCH_ROUNDS=3 cargo bench --bench chaos_throughput
//! ```
//!
//! The paths, each moving `CHAOS_BENCH_MIB` MiB (256 by default) from one client to one sink
//! server over loopback, per round:
//!
//! 1. **direct**: client → sink, a raw copy with no proxy: the ceiling of the machine.
//! 2. **chaos**: client → `chaos --quiet` (the real binary, built by `cargo bench` with the
//!    bench profile) → sink. `--quiet` leaves out the line per read: printing 256 MiB's worth of
//!    read lines would measure the terminal, not the proxy.
//! 3. **socat** with its defaults (`socat TCP-LISTEN:0,fork TCP:SINK`), and again with
//!    `-b 65536` (the block size chaos reads with), when socat is installed. Debian and Ubuntu:
//!    `apt-get install socat`. Without it the socat lines say so and are skipped.
//!
//! The client writes 64 KiB blocks and then closes its side; the time runs from `connect` until
//! the sink has read the last byte (it counts the bytes; a short count fails the run). The
//! paths take turns, round by round, after one uncounted warm-up round, so a slow moment of the
//! machine hurts all of them alike; each figure is the median MB/s of the rounds (1 MB = 10^6
//! bytes), with the best in brackets, and the ratios compare medians. It prints numbers and never
//! fails on timing. Everything stays on 127.0.0.1.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use socket_lessons_tools::probe::{PATIENCE, ServerProcess};

const BLOCK: usize = 64 * 1024;

fn main() {
    let mib = env_number("CHAOS_BENCH_MIB", 256);
    let rounds = env_number("CHAOS_BENCH_ROUNDS", 5);
    let bytes = mib as u64 * 1024 * 1024;
    println!(
        "chaos_throughput: {mib} MiB client -> sink over loopback per run (CHAOS_BENCH_MIB), \
         {rounds} rounds after 1 warm-up round (CHAOS_BENCH_ROUNDS); MB/s, median of the rounds \
         (best in brackets)"
    );
    let sink = Sink::start();

    let chaos = ServerProcess::spawn(Command::new(env!("CARGO_BIN_EXE_chaos")).args([
        "--listen",
        "127.0.0.1:0",
        "--to",
        &sink.addr.to_string(),
        "--quiet",
    ]))
    .expect("cannot start chaos");
    let socat = |block: Option<&str>| {
        let mut command = Command::new("socat");
        command.arg("-d").arg("-d");
        if let Some(size) = block {
            command.args(["-b", size]);
        }
        command.args([
            "TCP-LISTEN:0,bind=127.0.0.1,reuseaddr,fork".to_string(),
            format!("TCP:{}", sink.addr),
        ]);
        ServerProcess::spawn(&mut command)
    };
    let socat_default = socat(None);
    let socat_64k = socat(Some("65536"));

    let mut paths: Vec<(&str, SocketAddr)> = vec![("direct (no proxy)", sink.addr)];
    paths.push(("chaos, no SPEC", chaos.addr));
    match (&socat_default, &socat_64k) {
        (Ok(default), Ok(big)) => {
            paths.push(("socat (defaults, 8 KiB blocks)", default.addr));
            paths.push(("socat -b 65536", big.addr));
        }
        (Err(e), _) | (_, Err(e)) => {
            println!("socat: skipped ({e}). To compare with it, install it: apt-get install socat")
        }
    }

    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); paths.len()];
    for round in 0..=rounds {
        for ((_, addr), rates) in paths.iter().zip(&mut rates) {
            let rate = match transfer(*addr, &sink, bytes) {
                Ok(rate) => rate,
                Err(e) => {
                    println!("  a run through {addr} failed: {e}");
                    continue;
                }
            };
            if round > 0 {
                rates.push(rate);
            }
        }
    }
    println!();
    let medians: Vec<Option<f64>> = rates.iter().map(|r| median(r)).collect();
    for ((name, _), (rates, median)) in paths.iter().zip(rates.iter().zip(&medians)) {
        let best = rates.iter().copied().fold(0.0, f64::max);
        match median {
            Some(median) => println!("  {name:<32} {median:>8.0} MB/s  [{best:.0}]"),
            None => println!("  {name:<32} no successful run"),
        }
    }
    println!();
    let of = |name: &str| {
        paths
            .iter()
            .position(|(n, _)| *n == name)
            .and_then(|i| medians[i])
    };
    let chaos_rate = of("chaos, no SPEC");
    for other in [
        "direct (no proxy)",
        "socat (defaults, 8 KiB blocks)",
        "socat -b 65536",
    ] {
        if let (Some(chaos), Some(rate)) = (chaos_rate, of(other)) {
            println!("  chaos / {other:<32} {:>5.2}x", chaos / rate);
        }
    }
    drop(chaos);
    drop(socat_default);
    drop(socat_64k);
}

/// A server that reads each connection to its end and reports how many bytes it got.
struct Sink {
    addr: SocketAddr,
    counted: mpsc::Receiver<u64>,
}

impl Sink {
    fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("cannot bind the sink");
        let addr = listener.local_addr().unwrap();
        let (count, counted) = mpsc::channel();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let count = count.clone();
                thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(PATIENCE));
                    let mut buf = vec![0u8; BLOCK];
                    let mut total = 0u64;
                    while let Ok(n @ 1..) = stream.read(&mut buf) {
                        total += n as u64;
                    }
                    let _ = count.send(total);
                });
            }
        });
        Sink { addr, counted }
    }
}

/// Sends `bytes` through `addr` to the sink; MB/s from connect to the sink's last byte.
fn transfer(addr: SocketAddr, sink: &Sink, bytes: u64) -> io::Result<f64> {
    let block = vec![0x5au8; BLOCK];
    let start = Instant::now();
    let mut stream = TcpStream::connect_timeout(&addr, PATIENCE)?;
    stream.set_write_timeout(Some(PATIENCE))?;
    let mut left = bytes;
    while left > 0 {
        let n = left.min(BLOCK as u64) as usize;
        stream.write_all(&block[..n])?;
        left -= n as u64;
    }
    stream.shutdown(std::net::Shutdown::Write)?;
    let got = sink
        .counted
        .recv_timeout(PATIENCE * 6)
        .map_err(|_| io::Error::other("the sink did not finish in time"))?;
    let elapsed = start.elapsed();
    if got != bytes {
        return Err(io::Error::other(format!(
            "the sink got {got} of {bytes} bytes"
        )));
    }
    Ok(bytes as f64 / elapsed.max(Duration::from_nanos(1)).as_secs_f64() / 1e6)
}

fn median(rates: &[f64]) -> Option<f64> {
    if rates.is_empty() {
        return None;
    }
    let mut sorted = rates.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(sorted[sorted.len() / 2])
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
