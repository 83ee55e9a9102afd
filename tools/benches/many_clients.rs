//! Past one thread per client, measured side by side: lessons 4 (a thread per client), 11 (the
//! same, guarded), 12 (a pool of four workers) and 13 (one thread, a readiness loop), with a tokio
//! echo server as the anchor, in the same run, by the same load client.
//!
//! ```text
//! cargo bench --bench many_clients
//! MANY_BENCH_REQUESTS=200000 MANY_BENCH_ROUNDS=5 MANY_BENCH_IDLE=10000 cargo bench --bench many_clients
//! ```
//!
//! The servers, each a process of its own, started with `server --addr 127.0.0.1:0` and
//! `RUST_LOG=warn`:
//!
//! - **lesson 4**, **lesson 11** (`--max-clients 20000`: its default cap of 512 would turn most
//!   of the clients away; the cap is lowered to what its descriptor limit holds, as it says),
//!   **lesson 12** (its default 4 workers, `--queue 20000`: every client waits its turn instead
//!   of being told busy), **lesson 13** (no flags);
//! - **tokio**: this benchmark's own binary, started again as a server (`MANY_BENCH_SERVE=tokio`),
//!   in the shape of tokio's `examples/echo.rs`: the multi-threaded runtime (one worker per core),
//!   a task per connection, reads of at most 1,024 bytes, each answered with its bytes
//!   upper-cased (the echo rule) by one `write_all`.
//!
//! **Throughput.** N clients (1, 100, 1,000) connect, then each sends `MANY_BENCH_REQUESTS / N`
//! requests of 64 bytes, one at a time, reading each whole reply before the next: requests
//! answered per second, from the first request to the last reply. The load is one thread of this
//! process (a tokio current-thread runtime driving every client), the same for every server. The
//! servers take turns, round by round, after one uncounted warm-up round; each figure is the
//! median of `MANY_BENCH_ROUNDS` rounds (3 by default), best in brackets, and each is set beside
//! tokio's as a ratio. Lesson 12 serves 4 clients at a time, whatever N is: the others wait in
//! its queue until a worker is free, and that is what its figure measures.
//!
//! **Idle clients.** `MANY_BENCH_IDLE` clients (10,000 by default) connect to a fresh server and
//! each sends one byte; the echo proves each is served (in lesson 12, only the 4 a worker holds;
//! the others are in its queue, and waited for by nobody). Then the server's threads and resident
//! memory (`/proc/PID/status`) are read, its resident memory per client computed (growth since
//! it started, divided by the clients), and it is stopped with SIGINT with every client still
//! connected: the time from the signal to the exit. (The tokio anchor has no Ctrl-C handler: the
//! signal kills it, and its time is the kernel's, not a shutdown.)
//!
//! The clients live in this process: it raises its own open-file limit to its hard limit, and
//! children inherit it. Everything stays on 127.0.0.1, every wait is bounded, and a run is cut
//! off after a minute. It prints numbers and never fails on timing. Linux only (it reads
//! `/proc`).

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use socket_lessons_tools::probe::{self, PATIENCE, ServerProcess, limits};

const CLIENT_COUNTS: [usize; 3] = [1, 100, 1000];
const MESSAGE: usize = 64;
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// A server under test: its name, its binary (`None`: this benchmark, as the tokio anchor), and
/// its flags.
struct Contender {
    name: &'static str,
    bin: Option<&'static str>,
    args: &'static [&'static str],
}

const CONTENDERS: [Contender; 5] = [
    Contender {
        name: "lesson 4 (a thread per client)",
        bin: Some(env!("CARGO_BIN_EXE_lesson4")),
        args: &[],
    },
    Contender {
        name: "lesson 11 (the same, guarded)",
        bin: Some(env!("CARGO_BIN_EXE_lesson11")),
        args: &["--max-clients", "20000"],
    },
    Contender {
        name: "lesson 12 (4 workers, a queue)",
        bin: Some(env!("CARGO_BIN_EXE_lesson12")),
        args: &["--queue", "20000"],
    },
    Contender {
        name: "lesson 13 (one thread, mio)",
        bin: Some(env!("CARGO_BIN_EXE_lesson13")),
        args: &[],
    },
    Contender {
        name: "tokio (examples/echo.rs shape)",
        bin: None,
        args: &[],
    },
];

/// Where lesson 13 and the anchor are in [`CONTENDERS`].
const LESSON13: usize = 3;
const TOKIO: usize = 4;

fn main() {
    if std::env::var("MANY_BENCH_SERVE").as_deref() == Ok("tokio") {
        tokio_echo::main();
        return;
    }
    if !cfg!(target_os = "linux") {
        println!("many_clients: reads /proc, so Linux only; skipped");
        return;
    }
    let requests = env_number("MANY_BENCH_REQUESTS", 100_000);
    let rounds = env_number("MANY_BENCH_ROUNDS", 3);
    let mut idle = env_number("MANY_BENCH_IDLE", 10_000);
    let files = limits::raise_open_file_limit().unwrap_or(1024);
    let fits = usize::try_from(files.saturating_sub(200)).unwrap_or(idle);
    if idle > fits {
        println!(
            "(MANY_BENCH_IDLE={idle} needs about {} open files per process; this one may open \
             {files}: {fits} idle clients instead)",
            idle + 200
        );
        idle = fits;
    }
    println!(
        "many_clients: load average before: {}",
        limits::load_average()
    );

    println!(
        "throughput: N clients, {requests} requests of {MESSAGE} bytes in all (MANY_BENCH_REQUESTS), \
         one at a time per client; requests answered per second, median of {rounds} rounds after \
         1 warm-up (MANY_BENCH_ROUNDS), best in brackets"
    );
    for clients in CLIENT_COUNTS {
        let per_client = (requests / clients).max(1);
        let mut rates: Vec<Vec<f64>> = vec![Vec::new(); CONTENDERS.len()];
        for round in 0..=rounds {
            for (index, contender) in CONTENDERS.iter().enumerate() {
                let server = start(contender);
                let rate = echo_load(server.addr, clients, per_client)
                    .unwrap_or_else(|e| panic!("{} with {clients} clients: {e}", contender.name));
                stop(server);
                if round > 0 {
                    rates[index].push(rate);
                }
            }
        }
        println!("  {clients} client(s), {per_client} requests each:");
        let medians: Vec<f64> = rates.iter_mut().map(|r| median(r)).collect();
        for (index, contender) in CONTENDERS.iter().enumerate() {
            let best = rates[index].iter().copied().fold(0.0, f64::max);
            println!(
                "    {:<32} {:>9.0} req/s  [{:>9.0}]  {:.2}x tokio",
                contender.name,
                medians[index],
                best,
                medians[index] / medians[TOKIO]
            );
        }
        println!(
            "    ratio lesson 13 / tokio: {:.2}x (target >= 1.0x)",
            medians[LESSON13] / medians[TOKIO]
        );
    }

    println!(
        "idle: {idle} clients connected at once (MANY_BENCH_IDLE), each served one byte, then \
         silent; the server's threads, resident memory, and the time from SIGINT to its exit with \
         all of them connected"
    );
    for contender in &CONTENDERS {
        let mut server = start(contender);
        let pid = server.id();
        let rss_before = limits::status(Some(pid), "VmRSS").unwrap_or(0);
        let served_at_most = if contender.name.starts_with("lesson 12") {
            4
        } else {
            idle
        };
        let clients = match hold_idle(server.addr, idle, served_at_most) {
            Ok(clients) => clients,
            Err(e) => {
                println!("    {:<32} FAILED: {e}", contender.name);
                stop(server);
                continue;
            }
        };
        let threads = limits::threads(Some(pid)).unwrap_or(0);
        let rss = limits::status(Some(pid), "VmRSS").unwrap_or(0);
        let per_client = rss.saturating_sub(rss_before) as f64 * 1024.0 / clients.len() as f64;
        let signalled = Instant::now();
        let exit = server
            .interrupt()
            .ok()
            .and_then(|()| server.wait_within(PATIENCE).ok())
            .map(|(status, _)| (status, signalled.elapsed()));
        let exit = match exit {
            Some((status, took)) if status.success() => {
                format!("exit {:>7.1} ms after SIGINT", took.as_secs_f64() * 1000.0)
            }
            Some((_, took)) => format!(
                "killed {:>5.1} ms after SIGINT (no handler)",
                took.as_secs_f64() * 1000.0
            ),
            None => "no exit within 10 s of SIGINT".to_string(),
        };
        println!(
            "    {:<32} threads {threads:>6}  RSS {:>7.1} MiB  RSS/client {:>7.0} bytes  {exit}",
            contender.name,
            rss as f64 / 1024.0,
            per_client
        );
        drop(clients);
    }
    println!(
        "  targets for lesson 13: <= 2048 bytes of RSS per idle client, 1 thread serving them \
         (besides its shutdown watcher and Ctrl-C handler), exit <= 50 ms after SIGINT"
    );
    println!(
        "many_clients: load average after: {}",
        limits::load_average()
    );
}

fn start(contender: &Contender) -> ServerProcess {
    let mut command = match contender.bin {
        Some(bin) => {
            let mut command = Command::new(bin);
            command.args(["server", "--addr", "127.0.0.1:0"]);
            command
        }
        None => {
            let mut command = Command::new(std::env::current_exe().expect("this benchmark's path"));
            command.env("MANY_BENCH_SERVE", "tokio");
            command
        }
    };
    command.args(contender.args).env("RUST_LOG", "warn");
    ServerProcess::spawn(&mut command)
        .unwrap_or_else(|e| panic!("{} did not start: {e}", contender.name))
}

fn stop(mut server: ServerProcess) {
    let _ = server.interrupt();
    let _ = server.wait_within(PATIENCE);
}

/// `clients` connections, each sending `per_client` requests one at a time: requests per second,
/// from the first request to the last reply. One thread drives them all.
fn echo_load(addr: SocketAddr, clients: usize, per_client: usize) -> Result<f64, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let run = async {
            let mut streams = Vec::with_capacity(clients);
            for _ in 0..clients {
                let stream = tokio::net::TcpStream::connect(addr)
                    .await
                    .map_err(|e| format!("cannot connect: {e}"))?;
                stream.set_nodelay(true).map_err(|e| e.to_string())?;
                streams.push(stream);
            }
            let started = Instant::now();
            let tasks: Vec<_> = streams
                .into_iter()
                .map(|stream| tokio::spawn(ping_pong(stream, per_client)))
                .collect();
            for task in tasks {
                task.await.map_err(|e| e.to_string())??;
            }
            Ok::<f64, String>((clients * per_client) as f64 / started.elapsed().as_secs_f64())
        };
        tokio::time::timeout(RUN_LIMIT, run)
            .await
            .map_err(|_| format!("not done within {RUN_LIMIT:?}"))?
    })
}

/// One client of the load: `count` requests, each read back whole before the next is sent.
async fn ping_pong(mut stream: tokio::net::TcpStream, count: usize) -> Result<(), String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let request = [b'x'; MESSAGE];
    let mut reply = [0u8; MESSAGE];
    for _ in 0..count {
        stream
            .write_all(&request)
            .await
            .map_err(|e| format!("send: {e}"))?;
        stream
            .read_exact(&mut reply)
            .await
            .map_err(|e| format!("reply: {e}"))?;
        if reply != [b'X'; MESSAGE] {
            return Err(format!(
                "a wrong reply: {:?}",
                String::from_utf8_lossy(&reply)
            ));
        }
    }
    Ok(())
}

/// Connects `count` clients; each sends one byte, and the first `served` of them read its echo
/// (the others are connected, and wait). Returns them all, still connected.
fn hold_idle(addr: SocketAddr, count: usize, served: usize) -> io::Result<Vec<TcpStream>> {
    let mut clients = Vec::with_capacity(count);
    for _ in 0..count {
        let mut client = probe::connect(addr)?;
        client.write_all(b"x")?;
        clients.push(client);
    }
    for client in clients.iter_mut().take(served) {
        let mut reply = [0u8; 1];
        client.read_exact(&mut reply)?;
        if &reply != b"X" {
            return Err(io::Error::other(format!("{reply:?} instead of X")));
        }
    }
    Ok(clients)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or(default)
}

/// The anchor: the echo rule, served in the shape of tokio's `examples/echo.rs`.
mod tokio_echo {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    #[tokio::main]
    pub async fn main() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        eprintln!(
            "tokio echo server listening on {}",
            listener.local_addr().expect("an address")
        );
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 1024];
                loop {
                    let n = match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    buf[..n].make_ascii_uppercase();
                    if socket.write_all(&buf[..n]).await.is_err() {
                        return;
                    }
                }
            });
        }
    }
}
