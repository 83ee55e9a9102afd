//! The idle-client flood: what lesson 4 (no cap), lesson 11 (its default `--max-clients`), lesson
//! 12 (its default pool: 4 workers, a queue of 16) and lesson 13 (one thread) do when thousands of
//! clients connect and then say nothing, under a 512 MiB address-space limit (`prlimit --as`), and
//! what each idle client costs a thread-per-connection server.
//!
//! `cargo bench --bench flood` (Linux: it reads `/proc` and starts the servers under `prlimit`).
//! Every flood client proves it is served by one echo (or reads lesson 11's busy line) before it
//! goes idle, so the counts are what the server did, not what the clients hoped. Printed for each
//! run: clients served / refused / lost, whether the server survived, its threads, resident and
//! virtual memory, the resident memory per served client, whether a new client is served once
//! the flood has gone, and how long Ctrl-C takes with every seat taken. A cap beyond what the limit
//! holds (`--max-clients 6000`) is lowered by the server before it listens, with a warning
//! (`src/capacity.rs`); the bench prints the warning and what the flood then meets.
//!
//! A client in lesson 12's queue is, by the pool's design, answered only when a worker is free,
//! and the flood's clients never leave: so each flood client of lesson 12 listens for a moment
//! (the probe's A_MOMENT), not the probe's whole patience, and one that heard nothing in that
//! moment is counted as lost (it waits in the queue: the chapter explains it).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use socket_lessons::guard::{BUSY, DEFAULT_MAX_CLIENTS};
use socket_lessons_tools::probe::{A_MOMENT, PATIENCE, ServerProcess, limits};

/// The limit of the torture run that found lessons 4 and 6 aborting.
const ADDRESS_SPACE: u64 = 512 << 20;
/// Far more than 512 MiB of 256 KiB stacks.
const FLOOD: usize = 3000;
const RUNS: usize = 3;
/// A cap far beyond what the limit holds (the hostile battery's).
const OVERSIZED: usize = 6000;

#[derive(Debug, Default)]
struct Flood {
    served: usize,
    refused: usize,
    /// Connections that failed, were reset, or got neither an echo nor the busy line.
    lost: usize,
    clients: Vec<TcpStream>,
}

/// Connects `count` clients one after another; each sends one byte and waits, at most `wait`,
/// for the answer.
fn flood(addr: SocketAddr, count: usize, wait: Duration) -> Flood {
    let mut flood = Flood::default();
    for _ in 0..count {
        let Ok(mut stream) = TcpStream::connect_timeout(&addr, PATIENCE) else {
            flood.lost += 1;
            continue;
        };
        let _ = stream.set_read_timeout(Some(wait));
        let mut first = [0u8; 1];
        match stream
            .write_all(b"x")
            .and_then(|()| stream.read_exact(&mut first))
        {
            Ok(()) if &first == b"X" => flood.served += 1,
            Ok(()) if first[0] == BUSY.as_bytes()[0] => flood.refused += 1,
            _ => flood.lost += 1,
        }
        flood.clients.push(stream);
    }
    flood
}

/// A field of `/proc/PID/status` (`VmRSS`, `VmSize`, `Threads`), as its number (kB for sizes).
fn status(pid: u32, field: &str) -> Option<u64> {
    limits::status(Some(pid), field)
}

fn alive(pid: u32) -> bool {
    // A zombie (exited, not yet reaped) is not alive.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| !stat.contains(") Z "))
        .unwrap_or(false)
}

/// One new client after the flood: served (true) or not.
fn served_now(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, PATIENCE) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(PATIENCE));
    let mut reply = [0u8; 5];
    stream.write_all(b"again").is_ok()
        && stream.read_exact(&mut reply).is_ok()
        && &reply == b"AGAIN"
}

fn start(lesson: u16, limit: Option<u64>, extra: &[&str]) -> ServerProcess {
    let bin = match lesson {
        4 => env!("CARGO_BIN_EXE_lesson4"),
        11 => env!("CARGO_BIN_EXE_lesson11"),
        12 => env!("CARGO_BIN_EXE_lesson12"),
        13 => env!("CARGO_BIN_EXE_lesson13"),
        _ => unreachable!(),
    };
    let mut command = match limit {
        Some(bytes) => {
            let mut c = Command::new("prlimit");
            c.arg(format!("--as={bytes}")).arg("--").arg(bin);
            c
        }
        None => Command::new(bin),
    };
    command
        .args(["server", "--addr", "127.0.0.1:0"])
        .args(extra)
        // One line per client would be the flood's own cost; warnings (refusals) stay.
        .env("RUST_LOG", "warn");
    ServerProcess::spawn(&mut command).expect("the server did not start")
}

struct Report {
    flood: Flood,
    survived: bool,
    threads: u64,
    rss_kib: u64,
    vm_kib: u64,
    rss_per_client_kib: f64,
}

/// How long a flood client of `lesson` waits for its answer (see the top of this file).
fn wait_of(lesson: u16) -> Duration {
    if lesson == 12 { A_MOMENT } else { PATIENCE }
}

fn measure(lesson: u16, server: &ServerProcess, count: usize) -> Report {
    let pid = server.id();
    let rss_before = status(pid, "VmRSS").unwrap_or(0);
    let flood = flood(server.addr, count, wait_of(lesson));
    let survived = alive(pid);
    let (threads, rss, vm) = (
        status(pid, "Threads").unwrap_or(0),
        status(pid, "VmRSS").unwrap_or(0),
        status(pid, "VmSize").unwrap_or(0),
    );
    Report {
        rss_per_client_kib: rss.saturating_sub(rss_before) as f64 / flood.served.max(1) as f64,
        flood,
        survived,
        threads,
        rss_kib: rss,
        vm_kib: vm,
    }
}

fn print(label: &str, r: &Report) {
    println!(
        "  {label:<34} served {:>5}  refused {:>5}  lost {:>5}  {}  threads {:>5}  \
         RSS {:>7.1} MiB  VM {:>7.1} MiB  RSS/client {:>5.1} KiB",
        r.flood.served,
        r.flood.refused,
        r.flood.lost,
        if r.survived { "up  " } else { "DIED" },
        r.threads,
        r.rss_kib as f64 / 1024.0,
        r.vm_kib as f64 / 1024.0,
        r.rss_per_client_kib
    );
}

/// Ctrl-C, and how long until the process has exited (bounded).
fn stop(mut server: ServerProcess) -> Option<Duration> {
    let started = Instant::now();
    if server.interrupt().is_err() {
        return None;
    }
    server.wait_within(PATIENCE).ok().map(|_| started.elapsed())
}

fn main() {
    if !cfg!(target_os = "linux") || Command::new("prlimit").arg("--version").output().is_err() {
        println!("flood: needs Linux and prlimit; skipped");
        return;
    }
    println!(
        "flood: {FLOOD} idle clients, server under a {} MiB address-space limit, {RUNS} runs \
         each; lesson 11 at its default --max-clients {DEFAULT_MAX_CLIENTS}, lesson 12 at its \
         default pool (4 workers, --queue 16); load average {}",
        ADDRESS_SPACE >> 20,
        limits::load_average()
    );
    for lesson in [4u16, 11, 12, 13] {
        let (mut died, mut again) = (0, 0);
        for run in 1..=RUNS {
            let server = start(lesson, Some(ADDRESS_SPACE), &[]);
            let addr = server.addr;
            let report = measure(lesson, &server, FLOOD);
            print(&format!("lesson{lesson} run {run}"), &report);
            if !report.survived {
                died += 1;
                continue;
            }
            drop(report.flood.clients);
            // The flood is gone: once the server has noticed, a new client is served. (The
            // threads of the flood end as their clients' FINs arrive; a refused client retries.)
            let deadline = Instant::now() + PATIENCE;
            let served = loop {
                if served_now(addr) {
                    break true;
                }
                if Instant::now() > deadline || !alive(server.id()) {
                    break false;
                }
            };
            again += usize::from(served);
            let _ = stop(server);
        }
        println!(
            "  lesson{lesson}: died in {died} of {RUNS} runs; served a new client after the flood in \
             {again} of {} surviving runs",
            RUNS - died
        );
    }

    println!(
        "\nan oversized cap under the limit (lesson 11 --max-clients {OVERSIZED}: before the cap \
         was checked, a flood past what the limit holds ended in an abort, `failed to allocate an \
         alternative stack`):"
    );
    let oversized = OVERSIZED.to_string();
    for run in 1..=RUNS {
        let server = start(11, Some(ADDRESS_SPACE), &["--max-clients", &oversized]);
        let said = server
            .stderr_so_far()
            .iter()
            .find(|line| line.starts_with("warning: --max-clients"))
            .cloned()
            .unwrap_or_else(|| "(no warning: the cap was kept)".to_string());
        let report = measure(11, &server, FLOOD);
        print(
            &format!("lesson11 --max-clients {OVERSIZED} run {run}"),
            &report,
        );
        if run == 1 {
            println!("    the server said, before listening: {said}");
        }
        drop(report.flood.clients);
        let _ = stop(server);
    }

    println!("\nwhat an idle client costs a thread-per-connection server (no limit):");
    for count in [1000, 4000] {
        let server = start(4, None, &[]);
        let report = measure(4, &server, count);
        print(&format!("lesson4, {count} idle clients"), &report);
        drop(report.flood.clients);
        let _ = stop(server);
    }

    println!(
        "\nCtrl-C with the cap full (lesson 11, {DEFAULT_MAX_CLIENTS} idle clients + 100 refused):"
    );
    for run in 1..=RUNS {
        let server = start(11, Some(ADDRESS_SPACE), &[]);
        let report = measure(11, &server, DEFAULT_MAX_CLIENTS + 100);
        let exit = stop(server);
        println!(
            "  run {run}: served {} refused {}; exit {}",
            report.flood.served,
            report.flood.refused,
            exit.map_or("did not exit within PATIENCE".to_string(), |d| format!(
                "{:.1} ms after SIGINT",
                d.as_secs_f64() * 1000.0
            ))
        );
    }

    println!("\nCtrl-C with the flood connected (lessons 12 and 13, under the limit):");
    for lesson in [12u16, 13] {
        for run in 1..=RUNS {
            let server = start(lesson, Some(ADDRESS_SPACE), &[]);
            let report = measure(lesson, &server, FLOOD);
            let exit = stop(server);
            println!(
                "  lesson{lesson} run {run}: served {} refused {} lost {}; exit {}",
                report.flood.served,
                report.flood.refused,
                report.flood.lost,
                exit.map_or("did not exit within PATIENCE".to_string(), |d| format!(
                    "{:.1} ms after SIGINT",
                    d.as_secs_f64() * 1000.0
                ))
            );
        }
    }
}
