//! `chaos`: a TCP proxy that rewrites the *chunking* of a byte stream, never its bytes.
//!
//! On loopback one `send` usually arrives as one `recv`, so students conclude that TCP keeps
//! message boundaries. Put `chaos` between any client and any server and the boundaries move on
//! cue: `--up merge:50` glues the client's writes into one (the sender-side sticky packet, 粘包),
//! `--down split:7` cuts the server's replies into pieces of 7 bytes, each its own read at the
//! client (拆包). A server that frames its messages (lesson 6) does not notice; one that trusts
//! one `recv` = one message (lesson 5) is caught out.
//!
//! ```text
//! chaos --to HOST:PORT [--listen HOST:PORT] [--up SPEC] [--down SPEC] [--seed N] [--json] [--quiet]
//!       [--html FILE]
//! ```
//!
//! The SPEC grammar is in [`spec`]; what happens to each batch of bytes, in [`pipe`]; what is
//! printed, in [`report`]; the page `--html` draws, in [`html`]. Each accepted client gets one thread per direction. Ctrl-C closes both
//! sides of every pair (the client side through the [`Server`]'s own bookkeeping, the server
//! side through `Upstreams`), joins every thread and exits 0. A peer that resets ends only its
//! own pair.

pub mod html;
pub mod pipe;
pub mod report;
pub mod spec;

use std::collections::HashMap;
use std::io::{self, ErrorKind};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use clap::Parser;
use socket2::SockRef;

use self::pipe::pump;
use self::report::DirectionEnd;
pub use self::report::{Piece, Report, Way};
use self::spec::{Ending, Spec};
use crate::probe::{self, LISTENING_ON, SplitMix64};
use socket_lessons::endpoint::parse_addr;
use socket_lessons::flags;
use socket_lessons::server::{Connection, Server};
use socket_lessons::shutdown::ShutdownSignal;

/// The command line of `chaos`.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "chaos",
    version,
    about = "A TCP proxy that rewrites the chunking of the byte stream (never the bytes): \
             sticky and split packets on cue, in front of any server",
    after_help = "SPEC is one or more steps joined with commas: pass, split:N[@MS], \
                  split:random:MIN-MAX[@MS], merge:MS, delay:MS, rate:KBPS, close-after:BYTES, \
                  reset-after:BYTES. `up` is client -> server, `down` is server -> client. \
                  Example: chaos --to 127.0.0.1:8005 --up merge:50 --down split:7@20"
)]
pub struct Args {
    /// Where to accept clients. Loopback by default, so only this machine can connect
    #[arg(long, value_name = "HOST:PORT", value_parser = parse_addr, default_value = "127.0.0.1:9000")]
    pub listen: SocketAddr,
    /// The server every client is passed on to
    #[arg(long, value_name = "HOST:PORT", value_parser = parse_addr)]
    pub to: SocketAddr,
    /// What to do to the chunking from client to server
    #[arg(long, value_name = "SPEC", value_parser = Spec::parse, default_value = "pass")]
    pub up: Spec,
    /// What to do to the chunking from server to client
    #[arg(long, value_name = "SPEC", value_parser = Spec::parse, default_value = "pass")]
    pub down: Spec,
    /// Seed of split:random's cuts; the same seed and the same input give the same cuts
    /// (without it, one is chosen and printed)
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = flags::count::<u64, 0, { u64::MAX }>)]
    pub seed: Option<u64>,
    /// Print one JSON object per event instead of text
    #[arg(long)]
    pub json: bool,
    /// Print only the lines about whole connections, not one per read and write
    #[arg(long)]
    pub quiet: bool,
    /// Also draw every connection, per direction, on one self-contained page, FILE (written
    /// again as each connection closes)
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
}

/// Runs the proxy until shutdown.
pub fn run(args: Args, shutdown: ShutdownSignal) -> Result<(), String> {
    let seed = match args.seed {
        Some(seed) => seed,
        None => {
            let seed = chosen_seed();
            if args.up.is_random() || args.down.is_random() {
                eprintln!("{}", crate::t!("chaos-no-seed", seed = seed.to_string()));
            }
            seed
        }
    };
    let report = Report::new(args.json, args.quiet);
    let (server, shared) = bind(args, seed, report, shutdown)?;
    let local = server.local_addr().map_err(|e| e.to_string())?;
    // `listening on ADDR` stays as it is in every language, on a line of its own: scripts and
    // tests read it. The line above it is folded to fit (a long SPEC).
    let status = crate::t!(
        "chaos-status",
        up = shared.args.up.to_string(),
        down = shared.args.down.to_string(),
        to = shared.args.to.to_string(),
        listening = format!("{LISTENING_ON}{local}")
    );
    for line in status.lines() {
        eprint!(
            "{}",
            crate::terminal::fold(line, crate::terminal::width(), "", "    ")
        );
    }
    let count = serve(&server, &shared);
    drop(server);
    shared.upstreams.join_watcher();
    shared.report.write_page();
    eprintln!("{}", crate::t!("chaos-stopped", count = count.to_string()));
    Ok(())
}

/// A proxy running on a thread of this program (the exercise runner puts one between its
/// clients and a student's server): where it listens, and its thread. It stops when the
/// shutdown signal it was given is triggered.
pub struct Proxy {
    pub addr: SocketAddr,
    thread: Option<JoinHandle<()>>,
    shutdown: ShutdownSignal,
}

impl Proxy {
    /// Binds `args.listen` and proxies on a thread of its own, reporting to `report` (see
    /// [`Report::collecting`]); the cuts of `split:random` come from `seed`.
    pub fn start(args: Args, seed: u64, report: Report) -> Result<Proxy, String> {
        let shutdown = ShutdownSignal::new();
        let (server, shared) = bind(args, seed, report, shutdown.clone())?;
        let addr = server.local_addr().map_err(|e| e.to_string())?;
        let thread = thread::Builder::new()
            .name("chaos".into())
            .spawn(move || {
                serve(&server, &shared);
                drop(server);
                shared.upstreams.join_watcher();
            })
            .map_err(|e| crate::t!("chaos-error-thread", error = e.to_string()))?;
        Ok(Proxy {
            addr,
            thread: Some(thread),
            shutdown,
        })
    }
}

impl Drop for Proxy {
    /// Closes every pair and joins the proxy's threads (each ends as its sockets close).
    fn drop(&mut self) {
        self.shutdown.trigger();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Binds where `args` says, ready to serve.
fn bind(
    args: Args,
    seed: u64,
    report: Report,
    shutdown: ShutdownSignal,
) -> Result<(Server, Arc<Shared>), String> {
    let server = Server::bind(args.listen, shutdown.clone()).map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => crate::t!("chaos-error-in-use", addr = args.listen.to_string()),
        _ => crate::t!(
            "chaos-error-listen",
            addr = args.listen.to_string(),
            error = e.to_string()
        ),
    })?;
    let upstreams = Upstreams::watching(&shutdown).map_err(|e| e.to_string())?;
    let page = args.html.clone().map(|file| {
        let heading = format!("up: {}, down: {}, to {}", args.up, args.down, args.to);
        html::ChaosPage::new(file, heading)
    });
    let shared = Arc::new(Shared {
        report: report.drawing_on(page),
        args,
        seed,
        upstreams,
        shutdown,
    });
    shared.report.write_page();
    Ok((server, shared))
}

/// Accepts and proxies clients until shutdown; returns how many it proxied.
fn serve(server: &Server, shared: &Arc<Shared>) -> u64 {
    let mut pairs: Vec<JoinHandle<()>> = Vec::new();
    let mut count = 0u64;
    while let Some((connection, peer)) = server.accept() {
        count += 1;
        let conn = count;
        let shared = Arc::clone(shared);
        let spawned = thread::Builder::new()
            .name(format!("pair #{conn}"))
            .spawn(move || proxy_pair(conn, connection, peer.to_string(), &shared));
        match spawned {
            Ok(pair) => pairs.push(pair),
            Err(e) => log::warn!("#{conn} {peer}: cannot start a thread ({e}); hanging up"),
        }
        // Join the pairs that are over, so a long run does not pile up finished handles.
        let (over, open): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|p| p.is_finished());
        over.into_iter().for_each(join_pair);
        pairs = open;
    }
    pairs.into_iter().for_each(join_pair);
    count
}

/// What every pair's threads share.
struct Shared {
    args: Args,
    seed: u64,
    report: Report,
    upstreams: Upstreams,
    shutdown: ShutdownSignal,
}

fn join_pair(pair: JoinHandle<()>) {
    if pair.join().is_err() {
        log::error!("a connection's thread panicked (a bug); the others go on");
    }
}

/// A seed for a run that was not given one: the clock's nanoseconds.
fn chosen_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// One client and its connection to the server: two directions, each on its own thread.
fn proxy_pair(conn: u64, connection: Connection, client: String, shared: &Shared) {
    let report = &shared.report;
    let to = shared.args.to;
    let Some(client_side) = connection.as_tcp().and_then(|s| s.try_clone().ok()) else {
        log::warn!("#{conn} {client}: cannot share the client's socket; hanging up");
        return;
    };
    let server_side = match probe::connect_unless_stopped(to, &shared.shutdown) {
        Some(Ok(stream)) => stream,
        Some(Err(e)) => {
            report.refused(conn, &client, &to.to_string(), &e);
            return;
        }
        // Ctrl-C came while we were connecting: the pair never opened.
        None => return,
    };
    let registered = shared.upstreams.register(conn, &server_side);
    report.opened(conn, &client, &to.to_string());
    let result = (|| -> io::Result<()> {
        // Our writes leave as we cut them, not glued back together by Nagle's algorithm.
        client_side.set_nodelay(true)?;
        server_side.set_nodelay(true)?;
        let pair = Pair {
            client: client_side.try_clone()?,
            server: server_side.try_clone()?,
            ended: AtomicBool::new(false),
        };
        // One generator per connection, split in two: connection N's cuts depend only on the
        // seed and N, never on what other connections did.
        let mut seeds = SplitMix64::new(shared.seed.wrapping_add(conn));
        let (up_seed, down_seed) = (seeds.next_u64(), seeds.next_u64());
        // Scoped: the up thread borrows what this thread owns, and is joined before it returns.
        thread::scope(|scope| -> io::Result<()> {
            let (mut from, mut to) = (client_side.try_clone()?, server_side.try_clone()?);
            let pair = &pair;
            let up = thread::Builder::new()
                .name(format!("pair #{conn} up"))
                .spawn_scoped(scope, move || {
                    one_way(conn, Way::Up, &mut from, &mut to, up_seed, pair, shared);
                })?;
            let (mut from, mut to) = (server_side.try_clone()?, client_side.try_clone()?);
            one_way(conn, Way::Down, &mut from, &mut to, down_seed, pair, shared);
            if up.join().is_err() {
                log::error!("#{conn}: the up direction's thread panicked (a bug)");
            }
            Ok(())
        })?;
        Ok(())
    })();
    if let Err(e) = result {
        log::warn!("#{conn} {client}: {e}; ending this pair");
        let _ = client_side.shutdown(Shutdown::Both);
        let _ = server_side.shutdown(Shutdown::Both);
    }
    drop(registered);
    drop(connection);
    report.closed(conn);
}

/// Both sockets of a pair, for the directions to close each other's.
struct Pair {
    client: TcpStream,
    server: TcpStream,
    /// Set when one direction ended the whole pair: the other's 0-byte read is then ours, not
    /// its sender's goodbye, and must not be passed on as a half-close (a reset must arrive as
    /// a reset, not after a FIN).
    ended: AtomicBool,
}

impl Pair {
    /// Both sides get a FIN; the other direction's blocked read returns 0 bytes.
    fn close(&self) {
        self.ended.store(true, Ordering::SeqCst);
        let _ = self.client.shutdown(Shutdown::Both);
        let _ = self.server.shutdown(Shutdown::Both);
    }

    /// Both sides get a RST when the last handle on each socket closes: lingering 0 seconds
    /// turns the close into a reset. Only the *read* sides are shut down now (which sends
    /// nothing), to wake the other direction's thread so it lets go of its handles.
    fn reset(&self) {
        self.ended.store(true, Ordering::SeqCst);
        for socket in [&self.client, &self.server] {
            let _ = SockRef::from(socket).set_linger(Some(std::time::Duration::ZERO));
            let _ = socket.shutdown(Shutdown::Read);
        }
    }
}

/// One direction, from its start to its end, and what its end does to the pair.
fn one_way(
    conn: u64,
    way: Way,
    from: &mut TcpStream,
    to: &mut TcpStream,
    seed: u64,
    pair: &Pair,
    shared: &Shared,
) {
    let spec = match way {
        Way::Up => &shared.args.up,
        Way::Down => &shared.args.down,
    };
    let direction = pipe::Direction {
        conn,
        way,
        spec,
        random: SplitMix64::new(seed),
        shutdown: &shared.shutdown,
        report: &shared.report,
        last_piece: None,
    };
    let (mut end, tally) = pump(from, to, direction);
    if matches!(end, DirectionEnd::Closed) && pair.ended.load(Ordering::SeqCst) {
        end = DirectionEnd::WithPair;
    }
    match &end {
        // A half-close is passed on as one: the receiver's read returns 0 bytes, and the
        // other direction goes on until its own sender closes.
        DirectionEnd::Closed => {
            let _ = to.shutdown(Shutdown::Write);
        }
        DirectionEnd::WithPair => {}
        DirectionEnd::Budget(_) if matches!(spec.end, Some((_, Ending::Reset))) => pair.reset(),
        DirectionEnd::Budget(_) | DirectionEnd::Shutdown | DirectionEnd::Failed(_) => pair.close(),
    }
    shared.report.direction_ended(conn, way, &end, tally);
}

/// The proxy's connections to the server, so that shutdown can close them too (the client
/// sides are the [`Server`]'s to close).
struct Upstreams {
    state: Arc<Mutex<UpstreamState>>,
    watcher: Mutex<Option<JoinHandle<()>>>,
}

#[derive(Default)]
struct UpstreamState {
    closed: bool,
    streams: HashMap<u64, TcpStream>,
}

/// Removes a connection from [`Upstreams`] when its pair ends.
struct Registered {
    conn: u64,
    state: Arc<Mutex<UpstreamState>>,
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.streams.remove(&self.conn);
    }
}

impl Upstreams {
    /// A registry whose streams are all shut down when `shutdown` is triggered.
    fn watching(shutdown: &ShutdownSignal) -> io::Result<Upstreams> {
        let state = Arc::new(Mutex::new(UpstreamState::default()));
        let (shutdown, watched) = (shutdown.clone(), Arc::clone(&state));
        let watcher = thread::Builder::new()
            .name("chaos shutdown".into())
            .spawn(move || {
                shutdown.wait();
                let streams = {
                    let mut state = watched.lock().unwrap_or_else(PoisonError::into_inner);
                    state.closed = true;
                    std::mem::take(&mut state.streams)
                };
                for stream in streams.into_values() {
                    let _ = stream.shutdown(Shutdown::Both);
                }
            })?;
        Ok(Upstreams {
            state,
            watcher: Mutex::new(Some(watcher)),
        })
    }

    /// Joins the watcher; call it once shutdown has been triggered (it returns right after).
    fn join_watcher(&self) {
        let watcher = self
            .watcher
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(watcher) = watcher {
            let _ = watcher.join();
        }
    }

    fn register(&self, conn: u64, stream: &TcpStream) -> Registered {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.closed {
            // Shutdown already swept the list: close this one now, so nothing waits on it.
            let _ = stream.shutdown(Shutdown::Both);
        } else if let Ok(clone) = stream.try_clone() {
            state.streams.insert(conn, clone);
        }
        Registered {
            conn,
            state: Arc::clone(&self.state),
        }
    }
}
