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
//! [`crate::server::Server`] and [`crate::datagram::UdpServer`], so Ctrl-C ends them the way it
//! ends every lesson's server: connections closed, threads joined, then the counters.

pub mod datagram;
pub mod display;
pub mod send;
pub mod stream;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};

use self::display::{Display, Format};
use self::send::{HexBytes, Sending, parse_hex_arg};
use crate::endpoint::{Endpoint, parse_addr};
use crate::shutdown::Shutdown;

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
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub repeat: u64,
    /// Milliseconds between repeats
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub interval: u64,
    /// After the input ends, wait at most MS for more (clients; default: until the peer closes,
    /// or for UDP until Ctrl-C)
    #[arg(long, value_name = "MS")]
    pub wait: Option<u64>,
}

/// What every part of one run shares.
pub struct Session {
    pub display: Display,
    pub sending: Sending,
    pub echo: bool,
    pub wait: Option<Duration>,
    pub shutdown: Shutdown,
}

impl Common {
    fn session(&self, shutdown: Shutdown) -> Result<Arc<Session>, String> {
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
            (_, _, Some(path)) => Some(
                std::fs::read(path)
                    .map_err(|e| format!("cannot read --file {}: {e}", path.display()))?,
            ),
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
pub fn run(args: Args, shutdown: Shutdown) -> Result<(), String> {
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
