//! How long does lesson 4 take to stop with many idle clients connected?
//!
//! COURSE.md promises that Ctrl-C stops a server "promptly, even with idle clients connected":
//! every client blocked in `read` sees end-of-stream, every thread is joined, the process exits 0.
//! This measures "promptly" against a 200 ms target, in two ways:
//!
//! 1. **in-process**: a `Server` on `127.0.0.1:0`, `lessons::concurrent::serve` on a thread, N
//!    clients connected and each answered once (so each has its own server thread, blocked reading
//!    it). Timed from `Shutdown::trigger()` until `serve` has returned (it joins every client
//!    thread first) *and* every client has seen end-of-stream.
//! 2. **binary**: the real `lesson4 server --addr 127.0.0.1:0`, N clients connected and answered.
//!    Timed from sending SIGINT until the process has exited *and* every client has seen
//!    end-of-stream. This includes starting the `kill` command (about a millisecond).
//!
//! It prints every run and the median, with the target beside it. It never asserts on time: a
//! slow machine is not a failure. A run that does not finish within 10 s is reported as failed.
//!
//! ```text
//! cargo bench --bench shutdown_latency
//! CLIENTS=5000 RUNS=9 cargo bench --bench shutdown_latency
//! ```
//! Each client costs three file descriptors in process 1 (ours, the server's, and the server's
//! clone for shutdown); raise `ulimit -n` for large CLIENTS.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use socket_lessons::lessons::concurrent;
use socket_lessons::server::Server;
use socket_lessons::shutdown::Shutdown;
use wait_timeout::ChildExt;

const TARGET: Duration = Duration::from_millis(200);
/// The longest any single wait may take: beyond this the server is broken, not slow.
const PATIENCE: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    let clients = env_number("CLIENTS", 1000);
    let runs = env_number("RUNS", 5);
    println!(
        "shutdown latency of lesson4 with {clients} idle clients (CLIENTS={clients}), \
         {runs} runs each (RUNS={runs}); target {} ms",
        TARGET.as_millis()
    );

    println!();
    println!(
        "in-process: Shutdown::trigger() -> serve returned and every client saw end-of-stream"
    );
    let in_process_ok = section(runs, "serve returned", || in_process(clients));

    println!();
    println!("binary: SIGINT -> `lesson4 server` exited and every client saw end-of-stream");
    let binary_ok = section(runs, "process exited", || binary(clients));

    // A slow shutdown is a number to read; a shutdown that did not happen is a failure.
    if in_process_ok && binary_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// One timed shutdown: when the server side finished, and when the last client saw its end.
struct Measurement {
    server_done: Duration,
    clients_done: Duration,
    note: String,
}

impl Measurement {
    /// Both must have happened for the shutdown to be complete.
    fn total(&self) -> Duration {
        self.server_done.max(self.clients_done)
    }
}

/// Runs one way of measuring `runs` times, printing each run and then the median. A failed run
/// ends the section: the next would wait out the same timeout for the same reason. Returns
/// whether every run completed.
fn section(
    runs: usize,
    server_done: &str,
    mut measure: impl FnMut() -> Result<Measurement, String>,
) -> bool {
    let mut totals = Vec::new();
    for run in 1..=runs {
        match measure() {
            Ok(m) => {
                println!(
                    "  run {run}: {:>9}   ({server_done} after {}, last client end-of-stream after {}{})",
                    ms(m.total()),
                    ms(m.server_done),
                    ms(m.clients_done),
                    m.note
                );
                totals.push(m.total());
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
    if totals.is_empty() {
        println!("  median: no successful run   target {}", ms(TARGET));
        return false;
    }
    totals.sort();
    let median = totals[totals.len() / 2];
    println!(
        "  median: {:>9}   target {}   ({:.2}x the target)",
        ms(median),
        ms(TARGET),
        median.as_secs_f64() / TARGET.as_secs_f64()
    );
    totals.len() == runs
}

fn in_process(clients: usize) -> Result<Measurement, String> {
    let shutdown = Shutdown::new();
    let server = Server::bind((Ipv4Addr::LOCALHOST, 0).into(), shutdown.clone())
        .map_err(|e| format!("cannot bind: {e}"))?;
    let addr = server.local_addr().map_err(|e| e.to_string())?;
    let (done, finished) = mpsc::channel();
    let serving = thread::spawn(move || {
        let result = concurrent::serve(server);
        let _ = done.send((Instant::now(), result));
    });

    let connected = connect_and_echo(addr, clients);
    let start = Instant::now();
    shutdown.trigger();
    // The clients are dropped as soon as they have been read, so even a server that failed to
    // close them sees them leave, and ends below.
    let measured = connected
        .and_then(|mut streams| Ok(wait_for_end_of_stream(&mut streams)?.duration_since(start)));
    let (served_at, result) = finished
        .recv_timeout(PATIENCE)
        .map_err(|_| format!("serve did not return within {PATIENCE:?}"))?;
    let _ = serving.join();
    result.map_err(|e| format!("serve returned an error: {e}"))?;
    Ok(Measurement {
        server_done: served_at.duration_since(start),
        clients_done: measured?,
        note: String::new(),
    })
}

fn binary(clients: usize) -> Result<Measurement, String> {
    let mut server = Killed(
        Command::new(env!("CARGO_BIN_EXE_lesson4"))
            .args(["server", "--addr", "127.0.0.1:0"])
            // The default level, so the run is what a student sees; no colours in what we parse.
            .env("RUST_LOG", "info")
            .env("RUST_LOG_STYLE", "never")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start lesson4: {e}"))?,
    );
    // The server logs a line per client: drain stderr all along, or it blocks on a full pipe.
    let (lines_tx, lines) = mpsc::channel::<String>();
    let stderr = BufReader::new(server.0.stderr.take().expect("stderr is piped"));
    thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let addr = loop {
        let line = lines
            .recv_timeout(PATIENCE)
            .map_err(|_| "lesson4 server never logged `listening on`".to_string())?;
        if let Some(text) = line.split("listening on ").nth(1) {
            break text
                .trim()
                .parse::<SocketAddr>()
                .map_err(|e| format!("bad address in {line:?}: {e}"))?;
        }
    };

    let mut streams = connect_and_echo(addr, clients)?;
    let pid = server.0.id().to_string();
    let start = Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .map_err(|e| format!("cannot run kill: {e}"))?;
    if !kill.success() {
        return Err(format!("kill -INT {pid} failed"));
    }
    let reader = thread::spawn(move || wait_for_end_of_stream(&mut streams));
    let status = server
        .0
        .wait_timeout(PATIENCE)
        .map_err(|e| format!("cannot wait for lesson4: {e}"))?
        .ok_or_else(|| format!("lesson4 did not exit within {PATIENCE:?} of SIGINT"))?;
    let exited = start.elapsed();
    let clients_done = reader
        .join()
        .map_err(|_| "the reading thread panicked".to_string())??
        .duration_since(start);
    if !status.success() {
        return Err(format!("lesson4 exited with {status} after SIGINT"));
    }
    let stopped = lines.try_iter().any(|line| line.contains("stopped"));
    Ok(Measurement {
        server_done: exited,
        clients_done,
        note: if stopped {
            String::new()
        } else {
            ", but it never logged that it stopped".into()
        },
    })
}

/// Connects `n` clients, then sends one message on each, then reads each echo: afterwards every
/// client has been accepted and has a server thread blocked reading it.
fn connect_and_echo(addr: SocketAddr, n: usize) -> Result<Vec<TcpStream>, String> {
    let mut streams = Vec::with_capacity(n);
    for i in 0..n {
        let stream = TcpStream::connect_timeout(&addr, PATIENCE).map_err(|e| {
            if e.raw_os_error() == Some(24) {
                format!(
                    "client {i}: too many open files; raise `ulimit -n` (about 3 per client) \
                     or lower CLIENTS"
                )
            } else {
                format!("client {i} cannot connect: {e}")
            }
        })?;
        stream
            .set_read_timeout(Some(PATIENCE))
            .and_then(|()| stream.set_write_timeout(Some(PATIENCE)))
            .map_err(|e| e.to_string())?;
        streams.push(stream);
    }
    for (i, stream) in streams.iter_mut().enumerate() {
        stream
            .write_all(b"ping")
            .map_err(|e| format!("client {i} cannot send: {e}"))?;
    }
    for (i, stream) in streams.iter_mut().enumerate() {
        let mut reply = [0u8; 4];
        stream
            .read_exact(&mut reply)
            .map_err(|e| format!("client {i} got no echo: {e}"))?;
        if &reply != b"PING" {
            return Err(format!("client {i} got {reply:?} instead of PING"));
        }
    }
    Ok(streams)
}

/// Reads every client until its connection ends (end-of-stream, or a reset), in order; returns
/// when the last one did. Reading in order is fine: a client that already ended returns at once.
fn wait_for_end_of_stream(streams: &mut [TcpStream]) -> Result<Instant, String> {
    let mut buf = [0u8; 64];
    for (i, stream) in streams.iter_mut().enumerate() {
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => return Err(format!("client {i} received {n} bytes instead of its end")),
                // wait-timeout's SIGCHLD handler can interrupt a read with a timeout set.
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Err(format!(
                        "client {i} did not see end-of-stream within {PATIENCE:?}"
                    ));
                }
                Err(e) => return Err(format!("client {i}: {e}")),
            }
        }
    }
    Ok(Instant::now())
}

/// A child process killed (and reaped) if a run ends early.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
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
