//! How long does lesson 4 take to stop with many idle clients connected?
//!
//! docs/contracts.md, "Shutdown": Ctrl-C stops a server promptly, even with idle clients
//! connected: every client blocked in `read` sees end-of-stream, every thread is joined, the
//! process exits 0. This measures "promptly" against a 200 ms target, in two ways:
//!
//! 1. **in-process**: a `Server` on `127.0.0.1:0` and `lessons::concurrent::serve` on a thread of
//!    this process, with no logger installed: the shutdown plumbing alone. Timed from
//!    `ShutdownSignal::trigger()`.
//! 2. **binary**: the real `lesson4 server --addr 127.0.0.1:0`, logging at `info` as a student
//!    runs it. Timed from SIGINT.
//!
//! Either way, N clients are connected and each is answered once (so each has its own server
//! thread, blocked reading it), and every run prints when each part of the shutdown was done:
//! - `clients ended`: every client has seen its connection end (end-of-stream or reset);
//! - `serve returned`: `serve` has returned, after joining every client thread (for the binary,
//!   the moment it printed "lesson4 server stopped", which it does right after);
//! - `exited` (the binary only): the process is gone.
//!
//! The shutdown is complete when the last of them is done; that total is what the median and the
//! target speak of. Nothing asserts on time (a slow machine is not a failure), but a run that
//! does not complete within 10 s fails, and so does the benchmark.
//!
//! A third, **reference** section times N bare threads with lesson 4's stack size, blocked on a
//! channel, woken one by one and joined: no sockets, no locks, no logging. That is the least any
//! thread-per-client shutdown can take on the machine. Where lesson 4's figures come close to it,
//! the time goes to the threads themselves (waking, ending, freeing their stacks), not to the
//! shutdown plumbing.
//!
//! ```text
//! cargo bench --bench shutdown_latency                            # 1,000 clients, 5 runs
//! CLIENTS=10000 RUNS=5 cargo bench --bench shutdown_latency       # the course's 10,000
//! ```
//!
//! The clients live in a process of their own (this benchmark, started again with
//! `SHUTDOWN_LATENCY_CLIENTS_FOR` set), as real clients would: then every process holds one file
//! descriptor per client, not two. The benchmark raises its soft limit on open files
//! (`RLIMIT_NOFILE`) to the hard limit itself, and its children inherit that; 10,000 clients need
//! a hard limit of about 10,100 (`ulimit -Hn` shows it; most Linux systems allow far more).

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use socket_lessons::lessons::concurrent;
use socket_lessons::server::Server;
use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons_tools::probe::{self, BoundedThread, ChildGuard, PATIENCE, ServerProcess};

const TARGET: Duration = Duration::from_millis(200);

/// Set (to a server's address), this benchmark measures nothing: it is the clients' process.
const CLIENTS_FOR: &str = "SHUTDOWN_LATENCY_CLIENTS_FOR";

/// What a server binary prints once `serve` has returned, whatever `RUST_LOG` says.
const STOPPED: &str = "server stopped";

/// Open files a process needs besides one per client: standard streams, pipes, the listener.
const SPARE_FILES: usize = 64;

fn main() -> ExitCode {
    let clients = env_number("CLIENTS", 1000);
    if let Ok(addr) = std::env::var(CLIENTS_FOR) {
        return be_the_clients(&addr, clients);
    }
    let runs = env_number("RUNS", 5);
    if let Err(e) = raise_open_file_limit(clients + SPARE_FILES) {
        eprintln!("CLIENTS={clients}: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "shutdown latency of lesson4 with {clients} idle clients (CLIENTS={clients}), \
         {runs} runs each (RUNS={runs}); target {}",
        ms(TARGET)
    );

    println!();
    println!("in-process: from ShutdownSignal::trigger()");
    let in_process_ok = section(runs, || in_process(clients));

    println!();
    println!("binary: from SIGINT to `lesson4 server`");
    let binary_ok = section(runs, || binary(clients));

    println!();
    println!(
        "reference: {clients} bare threads ({} KiB stacks), from waking them",
        concurrent::CLIENT_THREAD_STACK / 1024
    );
    let reference_ok = section(runs, || bare_threads(clients));

    // A slow shutdown is a number to read; a shutdown that did not happen is a failure.
    if in_process_ok && binary_ok && reference_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// When each part of one shutdown was done, counted from the moment it was asked for, in the
/// order the parts are printed.
type Phases = Vec<(&'static str, Duration)>;

/// The shutdown is complete when its last part is.
fn total(phases: &Phases) -> Duration {
    phases.iter().map(|&(_, at)| at).max().unwrap_or_default()
}

fn describe(phases: &Phases) -> String {
    let parts: Vec<String> = phases
        .iter()
        .map(|&(what, at)| format!("{what} {}", ms(at)))
        .collect();
    parts.join(", ")
}

/// Runs one way of measuring `runs` times, printing each run and then the medians (of the
/// total, and of each part on its own). A failed run ends the section: the next would wait out
/// the same timeout for the same reason. Returns whether every run completed.
fn section(runs: usize, mut measure: impl FnMut() -> Result<Phases, String>) -> bool {
    let mut measured: Vec<Phases> = Vec::new();
    for run in 1..=runs {
        match measure() {
            Ok(phases) => {
                println!(
                    "  run {run}: {:>9}   ({})",
                    ms(total(&phases)),
                    describe(&phases)
                );
                measured.push(phases);
            }
            Err(e) => {
                println!("  run {run}: FAILED: {e}");
                if run < runs {
                    println!("  (skipping the remaining runs)");
                }
                break;
            }
        }
    }
    let Some(first) = measured.first() else {
        println!("  median: no successful run   target {}", ms(TARGET));
        return false;
    };
    let median_phases: Phases = first
        .iter()
        .enumerate()
        .map(|(i, &(what, _))| (what, median(measured.iter().map(|phases| phases[i].1))))
        .collect();
    let median_total = median(measured.iter().map(total));
    println!(
        "  median: {:>9}   ({})   target {}: {:.2}x",
        ms(median_total),
        describe(&median_phases),
        ms(TARGET),
        median_total.as_secs_f64() / TARGET.as_secs_f64()
    );
    measured.len() == runs
}

fn in_process(clients: usize) -> Result<Phases, String> {
    let shutdown = ShutdownSignal::new();
    let server = Server::bind((Ipv4Addr::LOCALHOST, 0).into(), shutdown.clone())
        .map_err(|e| format!("cannot bind: {e}"))?;
    let addr = server.local_addr().map_err(|e| e.to_string())?;
    let serving = BoundedThread::spawn("serve", move || {
        let result = concurrent::serve(server);
        (Instant::now(), result)
    })
    .map_err(|e| format!("cannot start the serve thread: {e}"))?;

    let connected = Clients::connect(addr, clients);
    let start = Instant::now();
    // Triggered even if the clients failed to connect, so that serve returns either way.
    shutdown.trigger();
    let (returned, result) = serving.join_within(PATIENCE).map_err(|e| e.to_string())?;
    result.map_err(|e| format!("serve returned an error: {e}"))?;
    let ended = connected?.said("ended")?;
    Ok(vec![
        ("clients ended", ended.duration_since(start)),
        ("serve returned", returned.duration_since(start)),
    ])
}

fn binary(clients: usize) -> Result<Phases, String> {
    let mut server = ServerProcess::spawn(
        Command::new(env!("CARGO_BIN_EXE_lesson4"))
            .args(["server", "--addr", "127.0.0.1:0"])
            // The default level, so the run is what a student sees; no colours in what we parse.
            // (The server logs a line per client: ServerProcess drains its stderr all along.)
            .env("RUST_LOG", "info")
            .env("RUST_LOG_STYLE", "never"),
    )
    .map_err(|e| format!("cannot start lesson4 server: {e}"))?;
    let clients = Clients::connect(server.addr, clients)?;
    let start = Instant::now();
    server
        .interrupt()
        .map_err(|e| format!("cannot send SIGINT: {e}"))?;
    server
        .wait_for_stderr_line(STOPPED)
        .map_err(|e| e.to_string())?;
    let stopped = Instant::now();
    let (status, _stderr) = server.wait_within(PATIENCE).map_err(|e| e.to_string())?;
    let exited = Instant::now();
    if !status.success() {
        return Err(format!("lesson4 exited with {status} after SIGINT"));
    }
    let ended = clients.said("ended")?;
    Ok(vec![
        ("clients ended", ended.duration_since(start)),
        ("serve returned", stopped.duration_since(start)),
        ("exited", exited.duration_since(start)),
    ])
}

/// `n` threads that do nothing but wait, each on a channel of its own, woken one by one (as
/// closing each connection wakes its reader) and joined: what is left is the operating system's
/// cost of waking, ending and freeing a thread.
fn bare_threads(n: usize) -> Result<Phases, String> {
    // Each thread says when it is waiting and when it has woken, so that every wait here is
    // bounded and joining (only once it has woken) is immediate.
    let (ready_tx, ready) = mpsc::channel();
    let (woken_tx, woken) = mpsc::channel();
    let mut wake_ups = Vec::with_capacity(n);
    let mut threads = Vec::with_capacity(n);
    for i in 0..n {
        let (wake_up, wait) = mpsc::channel::<()>();
        let (ready_tx, woken_tx) = (ready_tx.clone(), woken_tx.clone());
        let thread = thread::Builder::new()
            .stack_size(concurrent::CLIENT_THREAD_STACK)
            .spawn(move || {
                let _ = ready_tx.send(());
                // Returns when the other end is dropped: that is the wake-up.
                let _ = wait.recv();
                let _ = woken_tx.send(());
            })
            .map_err(|e| format!("cannot start thread {i}: {e}"))?;
        wake_ups.push(wake_up);
        threads.push(thread);
    }
    receive_n(&ready, n, "waiting")?;
    let start = Instant::now();
    drop(wake_ups);
    receive_n(&woken, n, "awake")?;
    let ended = Instant::now();
    for thread in threads {
        thread.join().map_err(|_| "a bare thread panicked")?;
    }
    let joined = Instant::now();
    Ok(vec![
        ("threads ended", ended.duration_since(start)),
        ("joined", joined.duration_since(start)),
    ])
}

/// Waits, within [`PATIENCE`] in all, for `n` messages: one from each thread.
fn receive_n(events: &Receiver<()>, n: usize, what: &str) -> Result<(), String> {
    let deadline = Instant::now() + PATIENCE;
    for received in 0..n {
        let left = deadline.saturating_duration_since(Instant::now());
        events.recv_timeout(left).map_err(|_| {
            format!("only {received} of {n} threads were {what} within {PATIENCE:?}")
        })?;
    }
    Ok(())
}

/// The clients' process: this benchmark run again, connected to a server with N idle clients.
/// It prints `ready` once every client has been answered, then `ended` once every connection
/// has ended (or `failed: why`). Killed when dropped.
struct Clients {
    _process: ChildGuard,
    /// Every line the process printed, with the moment it arrived.
    lines: Receiver<(String, Instant)>,
}

impl Clients {
    /// Starts the clients' process, and waits until it is `ready`.
    fn connect(addr: SocketAddr, clients: usize) -> Result<Clients, String> {
        let this = std::env::current_exe().map_err(|e| format!("where am I? {e}"))?;
        let mut process = ChildGuard::spawn(
            Command::new(this)
                .env(CLIENTS_FOR, addr.to_string())
                .env("CLIENTS", clients.to_string())
                .stdin(Stdio::null())
                .stdout(Stdio::piped()),
            "the clients' process",
        )
        .map_err(|e| e.to_string())?;
        let stdout = process.child().stdout.take().ok_or("no stdout pipe")?;
        let (line_tx, lines) = mpsc::channel();
        // Each line is stamped as it arrives: the moment `ended` came is a measurement.
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line_tx.send((line, Instant::now())).is_err() {
                    break;
                }
            }
        });
        let clients = Clients {
            _process: process,
            lines,
        };
        clients.said("ready")?;
        Ok(clients)
    }

    /// Waits, within [`PATIENCE`], for the process's next line, which must be `word`; returns
    /// when it arrived.
    fn said(&self, word: &str) -> Result<Instant, String> {
        match self.lines.recv_timeout(PATIENCE) {
            Ok((line, at)) if line == word => Ok(at),
            Ok((line, _)) => Err(format!("the clients' process: {line}")),
            Err(_) => Err(format!(
                "the clients' process did not say {word:?} within {PATIENCE:?}"
            )),
        }
    }
}

/// The clients' side of [`Clients`]: connects, says `ready`, waits for every end, says `ended`.
fn be_the_clients(addr: &str, clients: usize) -> ExitCode {
    let outcome = addr
        .parse()
        .map_err(|e| format!("{CLIENTS_FOR}={addr:?}: {e}"))
        .and_then(|addr| connect_and_echo(addr, clients))
        .and_then(|mut streams| {
            say("ready");
            // In order is fine: a connection that already ended answers at once.
            for (i, stream) in streams.iter_mut().enumerate() {
                probe::wait_for_end(stream).map_err(|e| format!("client {i}: {e}"))?;
            }
            say("ended");
            Ok(())
        });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("failed: {e}"));
            ExitCode::FAILURE
        }
    }
}

fn say(line: &str) {
    let mut out = io::stdout().lock();
    // If the benchmark has gone, nobody is listening, and there is nothing left to tell.
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

/// Connects `n` clients, then sends one message on each, then reads each echo: afterwards every
/// client has been accepted and has a server thread blocked reading it.
fn connect_and_echo(addr: SocketAddr, n: usize) -> Result<Vec<TcpStream>, String> {
    let mut streams = Vec::with_capacity(n);
    for i in 0..n {
        let stream = probe::connect(addr).map_err(|e| format!("client {i} cannot connect: {e}"))?;
        streams.push(stream);
    }
    for (i, stream) in streams.iter_mut().enumerate() {
        stream
            .write_all(b"ping")
            .map_err(|e| format!("client {i} cannot send: {e}"))?;
    }
    for (i, stream) in streams.iter_mut().enumerate() {
        let reply = probe::read_exactly(stream, 4).map_err(|e| format!("client {i}: {e}"))?;
        if reply != b"PING" {
            return Err(format!("client {i} got {reply:?} instead of PING"));
        }
    }
    Ok(streams)
}

/// Raises this process's soft limit on open files to its hard limit (child processes inherit
/// it), and checks that `needed` files fit under it.
#[cfg(unix)]
fn raise_open_file_limit(needed: usize) -> Result<(), String> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one `rlimit` into memory we own, and touches nothing else.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(format!(
            "cannot read the open-file limit: {}",
            io::Error::last_os_error()
        ));
    }
    let needed = libc::rlim_t::try_from(needed).unwrap_or(libc::rlim_t::MAX);
    if limit.rlim_cur < limit.rlim_max {
        let hard = libc::rlimit {
            rlim_cur: limit.rlim_max,
            ..limit
        };
        // Some systems (macOS) report an "unlimited" hard limit but refuse it as a soft limit:
        // then ask for what is needed, which any hard limit above it allows.
        let enough = libc::rlimit {
            rlim_cur: needed.clamp(limit.rlim_cur, limit.rlim_max),
            ..limit
        };
        for wanted in [hard, enough] {
            // SAFETY: setrlimit only reads the `rlimit` we pass.
            if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &wanted) } == 0 {
                limit = wanted;
                break;
            }
        }
    }
    if limit.rlim_cur < needed {
        return Err(format!(
            "each process needs about {needed} open files, but may open only {} \
             (hard limit {}); lower CLIENTS, or raise the hard limit",
            limit.rlim_cur, limit.rlim_max
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn raise_open_file_limit(_needed: usize) -> Result<(), String> {
    Ok(())
}

fn median(values: impl Iterator<Item = Duration>) -> Duration {
    let mut values: Vec<Duration> = values.collect();
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text.trim().parse().unwrap_or_else(|_| {
            eprintln!("{name}={text:?} is not a number; using {default}");
            default
        }),
        Err(_) => default,
    }
    .max(1)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
