//! `netassist`: the network debugging assistant (网络调试助手) the tutorials tell students to
//! install, as a terminal program: a TCP, UDP or Unix-socket server or client that shows every
//! read as its own block, and sends lines, hex or a file, once or on a timer.
//!
//! ```text
//! netassist tcp-server [--addr HOST:PORT]     netassist tcp-client --addr HOST:PORT
//! netassist udp-server [--addr HOST:PORT]     netassist udp-client --addr HOST:PORT
//! netassist unix-server PATH                  netassist unix-client PATH
//!   [--hex] [--json] [--echo] [--crlf | --no-newline]
//!   [--send TEXT | --send-hex HEX | --file PATH] [--repeat N] [--interval MS] [--wait MS]
//! ```
//!
//! What is shown is in [`display`]; what is sent, in [`send`]; the two kinds of socket, in
//! [`stream`] (TCP and Unix) and [`datagram`] (UDP). The servers listen through the course's
//! [`socket_lessons::server::Server`] and [`socket_lessons::datagram::UdpServer`], so Ctrl-C ends them the way it
//! ends every lesson's server: connections closed, threads joined, then the counters.

pub mod datagram;
pub mod display;
pub mod send;
pub mod stream;

use std::fmt;
use std::io::{self, ErrorKind};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::Duration;

use clap::{Parser, Subcommand};
use crossbeam_channel::{Receiver, after, never, select};

use self::display::{Display, Format};
use self::send::{HexBytes, Sending, parse_hex_arg};
use crate::probe::{BoundedThread, LISTENING_ON, PATIENCE};
use socket_lessons::endpoint::{Endpoint, parse_addr};
use socket_lessons::flags;
use socket_lessons::shutdown::ShutdownSignal;

/// Where the servers listen unless told: loopback, next to the lessons' 8001-8007.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8100";

/// The command line of `netassist`.
#[derive(Parser, Debug)]
#[command(
    name = "netassist",
    version,
    about = "The network debugging assistant (网络调试助手): a TCP, UDP or Unix-socket server or \
             client that shows every read as its own block",
    after_help = "Lines of standard input are sent (or --send/--send-hex/--file, --repeat N times, \
                  --interval MS apart). The counters are printed at the end of input (clients) \
                  or at Ctrl-C."
)]
pub struct Args {
    #[command(subcommand)]
    pub mode: Mode,
}

/// Which socket, and which end of it.
#[derive(Subcommand, Debug)]
pub enum Mode {
    /// Accept TCP clients (many at once, each labelled #N); standard input goes to all of them
    TcpServer {
        /// Where to listen. Loopback by default, so only this machine can connect
        #[arg(long, value_name = "HOST:PORT", value_parser = parse_addr, default_value = DEFAULT_ADDR)]
        addr: SocketAddr,
        #[command(flatten)]
        common: Common,
    },
    /// Connect to a TCP server
    TcpClient {
        /// The server to connect to
        #[arg(long, value_name = "HOST:PORT", value_parser = parse_addr)]
        addr: SocketAddr,
        #[command(flatten)]
        common: Common,
    },
    /// Receive UDP datagrams; standard input goes to every peer heard from
    UdpServer {
        /// Where to bind. Loopback by default
        #[arg(long, value_name = "HOST:PORT", value_parser = parse_addr, default_value = DEFAULT_ADDR)]
        addr: SocketAddr,
        #[command(flatten)]
        common: Common,
    },
    /// Send UDP datagrams to a server, and show its replies
    UdpClient {
        /// The server to send to
        #[arg(long, value_name = "HOST:PORT", value_parser = parse_addr)]
        addr: SocketAddr,
        #[command(flatten)]
        common: Common,
    },
    /// Accept clients on a Unix domain socket; standard input goes to all of them
    UnixServer {
        /// The socket's path
        path: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Connect to a Unix domain socket
    UnixClient {
        /// The socket's path
        path: PathBuf,
        #[command(flatten)]
        common: Common,
    },
}

/// The options every mode has.
#[derive(clap::Args, Debug, Clone)]
pub struct Common {
    /// Show the bytes as rows of offset, 16 hex bytes and ASCII
    #[arg(long, conflicts_with = "json")]
    pub hex: bool,
    /// Print one JSON object per event instead (for scripts)
    #[arg(long)]
    pub json: bool,
    /// Send back every read, as it came
    #[arg(long)]
    pub echo: bool,
    /// End each line of input with \r\n instead of \n
    #[arg(long, conflicts_with = "no_newline")]
    pub crlf: bool,
    /// Send each line of input without its line ending
    #[arg(long)]
    pub no_newline: bool,
    /// Send TEXT (with the line ending) instead of the lines of standard input
    #[arg(long, value_name = "TEXT", group = "payload")]
    pub send: Option<String>,
    /// Send these bytes, written in hex ("48 65 6c"), instead of standard input
    #[arg(long, value_name = "HEX", value_parser = parse_hex_arg, group = "payload")]
    pub send_hex: Option<HexBytes>,
    /// Send the contents of a file (one write) instead of standard input
    #[arg(long, value_name = "PATH", group = "payload")]
    pub file: Option<PathBuf>,
    /// Send each message N times (the assistant's timed repeat send)
    #[arg(long, value_name = "N", default_value_t = 1, allow_negative_numbers = true,
          value_parser = flags::count::<u64, 1, 1_000_000>)]
    pub repeat: u64,
    /// Milliseconds between repeats
    #[arg(long, value_name = "MS", default_value_t = 1000, allow_negative_numbers = true,
          value_parser = flags::count::<u64, 0, 3_600_000>)]
    pub interval: u64,
    /// After the input ends, wait at most MS for more (clients; default: until the peer closes,
    /// or for UDP until Ctrl-C)
    #[arg(long, value_name = "MS", allow_negative_numbers = true,
          value_parser = flags::count::<u64, 0, 3_600_000>)]
    pub wait: Option<u64>,
}

/// What every part of one run shares.
pub struct Session {
    pub display: Display,
    pub sending: Sending,
    pub echo: bool,
    pub wait: Option<Duration>,
    pub shutdown: ShutdownSignal,
}

/// What every mode does the same way, TCP, UDP or Unix, server or client.
impl Session {
    /// Counts one more connection (for UDP: one more peer heard from).
    fn count_connection(&self) {
        self.display
            .counters
            .connections
            .fetch_add(1, Ordering::Relaxed);
    }

    /// Says where a server listens: the [`LISTENING_ON`] line on stderr (scripts and tests read
    /// the port from it), and the "listening" event.
    fn announce_listening(&self, mode: &str, local: &impl fmt::Display) {
        // `listening on ADDR` stays as it is in every language: scripts and tests read it.
        let status = crate::t!(
            "netassist-status",
            mode = mode,
            listening = format!("{LISTENING_ON}{local}")
        );
        eprintln!("{status}");
        self.display.event("listening", &local.to_string(), "");
    }

    /// Starts the thread that sends the input (or the `--send`/`--file` payload), handing each
    /// message to `send`, which says whether to go on. The receiver gets how the input ended:
    /// `Ok(true)` when it ran out, `Ok(false)` when sending stopped first.
    ///
    /// Not joined: it may be blocked reading a terminal, which nothing can wake; it ends with
    /// the process.
    fn spawn_sender(
        self: &Arc<Self>,
        send: impl FnMut(&[u8]) -> bool + Send + 'static,
    ) -> Result<Receiver<io::Result<bool>>, String> {
        let session = Arc::clone(self);
        let (done, input_ended) = crossbeam_channel::bounded(1);
        thread::Builder::new()
            .name("sender".into())
            .spawn(move || {
                let mut input = io::stdin().lock();
                let _ = done.send(session.sending.run(&mut input, &session.shutdown, send));
            })
            .map_err(|e| e.to_string())?;
        Ok(input_ended)
    }

    /// What a client waits for once its threads run: `ended` (the peer closed; what it sent
    /// is returned), Ctrl-C, or the end of `--wait` after the input ended (`None` for both).
    /// `when_input_ends` is told how the input ended, as soon as it does.
    fn wait_for_end<T>(
        &self,
        input_ended: Receiver<io::Result<bool>>,
        mut when_input_ends: impl FnMut(io::Result<bool>),
        ended: &Receiver<T>,
    ) -> Option<T> {
        let mut deadline = never();
        let mut input_open = input_ended;
        loop {
            select! {
                recv(ended) -> outcome => return outcome.ok(),
                recv(self.shutdown.signal()) -> _ => return None,
                recv(input_open) -> how => {
                    input_open = never();
                    if let Ok(how) = how {
                        when_input_ends(how);
                    }
                    if let Some(wait) = self.wait {
                        deadline = after(wait);
                    }
                }
                recv(deadline) -> _ => return None,
            }
        }
    }

    /// A server's end: after Ctrl-C, its receiving thread joined, then the counters.
    fn stop_serving(&self, receiving: BoundedThread<()>, mode: &str) -> Result<(), String> {
        self.shutdown.wait();
        receiving.join_within(PATIENCE).map_err(|e| e.to_string())?;
        self.print_counters();
        eprintln!(
            "{}",
            crate::t!("netassist-stopped", mode = mode.to_string())
        );
        Ok(())
    }

    /// The counters, printed once no message is half-way between sent and shown.
    fn print_counters(&self) {
        let _quiet = self.sending.hold();
        self.display.counters();
    }
}

/// The error for a server that cannot bind `what` (`cannot bind ADDR`, `cannot listen on ADDR`).
fn bind_error(what: &str, e: &io::Error) -> String {
    match e.kind() {
        ErrorKind::AddrInUse => crate::t!("netassist-error-in-use", what = what),
        _ => format!("{what}: {e}"),
    }
}

/// A lock that a panicked thread did not spoil: the maps it guards stay usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Common {
    fn session(&self, shutdown: ShutdownSignal) -> Result<Arc<Session>, String> {
        let line_end: &'static [u8] = if self.no_newline {
            b""
        } else if self.crlf {
            b"\r\n"
        } else {
            b"\n"
        };
        let payload = match (&self.send, &self.send_hex, &self.file) {
            (Some(text), _, _) => Some([text.as_bytes(), line_end].concat()),
            (_, Some(HexBytes(bytes)), _) => Some(bytes.clone()),
            (_, _, Some(path)) => Some(std::fs::read(path).map_err(|e| {
                crate::t!(
                    "netassist-error-cannot-read-file",
                    path = path.display().to_string(),
                    error = e.to_string()
                )
            })?),
            _ => None,
        };
        let format = if self.json {
            Format::Json
        } else if self.hex {
            Format::Hex
        } else {
            Format::Text
        };
        Ok(Arc::new(Session {
            display: Display::stdout(format),
            sending: Sending::new(
                payload,
                line_end,
                self.repeat,
                Duration::from_millis(self.interval),
            ),
            echo: self.echo,
            wait: self.wait.map(Duration::from_millis),
            shutdown,
        }))
    }
}

/// Runs one mode until its end (clients) or Ctrl-C (servers), then prints the counters.
pub fn run(args: Args, shutdown: ShutdownSignal) -> Result<(), String> {
    match args.mode {
        Mode::TcpServer { addr, common } => {
            stream::serve(&Endpoint::Ip(addr), common.session(shutdown)?, "tcp-server")
        }
        Mode::TcpClient { addr, common } => {
            stream::connect(&Endpoint::Ip(addr), common.session(shutdown)?)
        }
        Mode::UdpServer { addr, common } => datagram::serve(addr, common.session(shutdown)?),
        Mode::UdpClient { addr, common } => datagram::connect(addr, common.session(shutdown)?),
        Mode::UnixServer { path, common } => stream::serve(
            &Endpoint::Unix(path),
            common.session(shutdown)?,
            "unix-server",
        ),
        Mode::UnixClient { path, common } => {
            stream::connect(&Endpoint::Unix(path), common.session(shutdown)?)
        }
    }
}
