//! How fast is lesson 7's one blocking loop? Request/reply throughput over UDP loopback, against
//! a tokio UDP echo server that does the same thing, measured by the same load client in the
//! same run.
//!
//! ```text
//! cargo bench --bench udp_throughput
//! UDP_BENCH_REQUESTS=20000 UDP_BENCH_ROUNDS=3 cargo bench --bench udp_throughput
//! ```
//!
//! The servers:
//!
//! 1. **lesson 7**: the stage's real serve function, taken from the course table, on a
//!    `UdpServer` bound to `127.0.0.1:0`, on one thread of this process. No logger is installed,
//!    so its log lines cost a level check and nothing more.
//! 2. **tokio**: one task looping over `recv_from` into a 1024-byte buffer and `send_to` of the
//!    uppercased bytes to the sender: the same behaviour, written the way most async Rust UDP
//!    servers are. It runs twice: on the runtime `#[tokio::main]` gives (multi-threaded, one
//!    worker per core), and on a current-thread runtime, tokio's fastest for a single socket.
//!
//! The load: C client threads (1, then 16), each with its own connected socket, each sending a
//! small request and waiting for its reply before sending the next, until all of them together
//! have made `UDP_BENCH_REQUESTS` exchanges (20,000 by default). Each request carries its number,
//! and a client checks that the reply is its request uppercased. A reply that does not come within
//! a second is counted as lost (loopback does not lose datagrams, so any loss is reported), and a
//! run is cut off after a minute: every wait is bounded.
//!
//! Everything stays on 127.0.0.1. The servers take turns, round by round, after one uncounted
//! warm-up round, so a slow moment of the machine hurts all of them alike; each figure is the
//! median of the rounds, with the best in brackets. It prints numbers and never fails on timing.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use socket_lessons::course;
use socket_lessons::datagram::UdpServer;
use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons::stage::ServerKind;
use socket_lessons_tools::probe::{BoundedThread, PATIENCE};

/// A reply later than this is counted as lost.
const REPLY_WAIT: Duration = Duration::from_secs(1);
/// No run takes longer than this; the clients stop where they are.
const RUN_LIMIT: Duration = Duration::from_secs(60);
const CONCURRENCY: [usize; 2] = [1, 16];

fn main() {
    let requests = env_number("UDP_BENCH_REQUESTS", 20_000);
    let rounds = env_number("UDP_BENCH_ROUNDS", 9);
    println!(
        "udp_throughput: request/reply over UDP loopback, {requests} exchanges per run \
         (UDP_BENCH_REQUESTS), {rounds} rounds after 1 warm-up round (UDP_BENCH_ROUNDS); \
         exchanges per second, median of the rounds (best in brackets)"
    );
    let servers: [Contender; 3] = [
        ("lesson 7 (one blocking loop)", lesson7),
        ("tokio, multi-thread runtime", tokio_multi_thread),
        ("tokio, current-thread runtime", tokio_current_thread),
    ];
    for clients in CONCURRENCY {
        println!();
        println!("{clients} concurrent client(s):");
        let mut rates = vec![Vec::new(); servers.len()];
        for round in 0..=rounds {
            for ((_, start), rates) in servers.iter().zip(&mut rates) {
                let server = start();
                let outcome = load(server.addr, clients, requests);
                server.stop();
                if outcome.lost > 0 || outcome.wrong > 0 {
                    println!(
                        "  (a run lost {} and got {} wrong replies)",
                        outcome.lost, outcome.wrong
                    );
                }
                if round > 0 {
                    rates.push(outcome.done as f64 / outcome.elapsed.as_secs_f64());
                }
            }
        }
        for ((name, _), rates) in servers.iter().zip(&rates) {
            println!(
                "  {name:<32} {:>9.0} /s  (best {:>9.0})",
                median(rates),
                best(rates)
            );
        }
        let lesson = median(&rates[0]);
        println!(
            "  ratio lesson 7 / tokio: {:.2}x (multi-thread), {:.2}x (current-thread)",
            lesson / median(&rates[1]),
            lesson / median(&rates[2])
        );
    }
}

/// A server under test: its name, and how to start it.
type Contender = (&'static str, fn() -> Running);

/// A running server under test, and how to stop it.
struct Running {
    addr: SocketAddr,
    stop: Box<dyn FnOnce()>,
}

impl Running {
    fn stop(self) {
        (self.stop)();
    }
}

/// Lesson 7's server, the one `lesson7 server` runs, on a thread of its own.
fn lesson7() -> Running {
    let ServerKind::Udp(part) = course::lesson(7).server else {
        panic!("lesson7 should have a UDP server")
    };
    let shutdown = ShutdownSignal::new();
    let server = UdpServer::bind("127.0.0.1:0".parse().unwrap(), shutdown.clone()).unwrap();
    let addr = server.local_addr().unwrap();
    let ready = part.with_defaults().expect("the defaults are good flags");
    let thread = BoundedThread::spawn("lesson7", move || ready.serve(server))
        .expect("spawn the lesson 7 server");
    Running {
        addr,
        stop: Box::new(move || {
            shutdown.trigger();
            thread
                .join_within(PATIENCE)
                .expect("lesson 7 stops on shutdown")
                .expect("lesson 7 returns Ok");
        }),
    }
}

fn tokio_multi_thread() -> Running {
    tokio_echo(Flavour::MultiThread)
}

fn tokio_current_thread() -> Running {
    tokio_echo(Flavour::CurrentThread)
}

#[derive(Clone, Copy)]
enum Flavour {
    MultiThread,
    CurrentThread,
}

/// The same echo on tokio: one task, a 1024-byte buffer, the uppercased bytes back to the sender.
fn tokio_echo(flavour: Flavour) -> Running {
    let runtime = match flavour {
        Flavour::MultiThread => tokio::runtime::Builder::new_multi_thread(),
        Flavour::CurrentThread => tokio::runtime::Builder::new_current_thread(),
    }
    .enable_io()
    .build()
    .expect("a tokio runtime");
    let std_socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = std_socket.local_addr().unwrap();
    std_socket.set_nonblocking(true).unwrap();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    // The runtime lives on its own thread (a current-thread runtime runs only inside block_on).
    let thread = BoundedThread::spawn("tokio", move || {
        runtime.block_on(async move {
            let socket = tokio::net::UdpSocket::from_std(std_socket).expect("register the socket");
            let echo = tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                loop {
                    let Ok((n, from)) = socket.recv_from(&mut buf).await else {
                        continue;
                    };
                    let _ = socket.send_to(&buf[..n].to_ascii_uppercase(), from).await;
                }
            });
            // Wait for "stop" without blocking the runtime's only thread.
            let stopped = tokio::task::spawn_blocking(move || stop_rx.recv());
            let _ = stopped.await;
            echo.abort();
        });
        runtime.shutdown_timeout(PATIENCE);
    })
    .expect("spawn the tokio server");
    Running {
        addr,
        stop: Box::new(move || {
            let _ = stop_tx.send(());
            thread.join_within(PATIENCE).expect("tokio stops");
        }),
    }
}

/// What one run of the load did.
struct Outcome {
    done: usize,
    lost: usize,
    wrong: usize,
    elapsed: Duration,
}

/// `clients` threads make `requests` exchanges with `server` between them.
fn load(server: SocketAddr, clients: usize, requests: usize) -> Outcome {
    let start = Arc::new(Barrier::new(clients + 1));
    let deadline_after = Instant::now() + RUN_LIMIT;
    let threads: Vec<_> = (0..clients)
        .map(|client| {
            let share = requests / clients + usize::from(client < requests % clients);
            let start = Arc::clone(&start);
            thread::spawn(move || {
                let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
                socket.connect(server).unwrap();
                socket.set_read_timeout(Some(REPLY_WAIT)).unwrap();
                start.wait();
                exchange(&socket, client, share, deadline_after)
            })
        })
        .collect();
    start.wait();
    let began = Instant::now();
    let mut outcome = Outcome {
        done: 0,
        lost: 0,
        wrong: 0,
        elapsed: Duration::ZERO,
    };
    for thread in threads {
        let (done, lost, wrong) = thread.join().expect("a load client panicked");
        outcome.done += done;
        outcome.lost += lost;
        outcome.wrong += wrong;
    }
    outcome.elapsed = began.elapsed();
    outcome
}

/// One client's exchanges: (replied correctly, lost, wrong).
fn exchange(
    socket: &UdpSocket,
    client: usize,
    count: usize,
    deadline: Instant,
) -> (usize, usize, usize) {
    let (mut done, mut lost, mut wrong) = (0, 0, 0);
    let mut reply = [0u8; 1024];
    for n in 0..count {
        if Instant::now() > deadline {
            break;
        }
        let request = format!("request {n:08} from client {client:02}: hello, udp");
        socket.send(request.as_bytes()).expect("send a request");
        let expected = request.to_ascii_uppercase();
        // A reply to an earlier request that was given up on may still come: skip it.
        loop {
            match socket.recv(&mut reply) {
                Ok(len) if reply[..len] == *expected.as_bytes() => {
                    done += 1;
                    break;
                }
                Ok(len) if reply[..len].starts_with(b"REQUEST ") => continue,
                Ok(_) => {
                    wrong += 1;
                    break;
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    lost += 1;
                    break;
                }
                Err(e) => panic!("recv failed: {e}"),
            }
        }
    }
    (done, lost, wrong)
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(default)
}

fn median(rates: &[f64]) -> f64 {
    let mut sorted = rates.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

fn best(rates: &[f64]) -> f64 {
    rates.iter().copied().fold(0.0, f64::max)
}
