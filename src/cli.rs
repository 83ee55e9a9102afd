//! The command line every `lessonN` binary shares:
//!
//! ```text
//! lessonN                          the narrated demo (server and clients in one process)
//! lessonN server [--addr H:P]      the stage's server, until Ctrl-C
//! lessonN client [--addr H:P]      the stage's client: one line of stdin = one message
//! ```
//!
//! Errors a user can cause (nothing listening, address in use, a bad `--addr`) end in one clear
//! line on stderr and a non-zero exit status, never a panic.

use std::fmt::Display;
use std::io::{self, BufRead, ErrorKind, IsTerminal, Read};
use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::thread;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::commands::{self, Commands};
use crate::course::Lesson;
use crate::demo::{Demo, Transcript};
use crate::logging;
use crate::server::Server;
use crate::shutdown::Shutdown;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    mode: Option<Mode>,
}

#[derive(Subcommand)]
enum Mode {
    /// Play the narrated demo: the stage's server and scripted clients in one process (the default).
    Demo,
    /// Run the stage's server until Ctrl-C. Logs go to stderr (RUST_LOG=warn for fewer).
    Server {
        /// Address to listen on. Loopback by default, so only this machine can connect.
        #[arg(long, value_parser = parse_addr)]
        addr: SocketAddr,
        /// DANGER: run what clients send through the system shell, as the tutorial does.
        #[arg(long)]
        shell: bool,
    },
    /// Run the stage's client: lines of standard input are messages (from lesson 3 on, every line; `q` quits).
    Client {
        /// Address of the server to connect to.
        #[arg(long, value_parser = parse_addr)]
        addr: SocketAddr,
    },
}

/// Accepts `127.0.0.1:8003`, `[::1]:8003` and `localhost:8003`.
///
/// A name like `localhost` can stand for several addresses (127.0.0.1 and ::1). Servers and
/// clients must pick the same one, so both prefer IPv4, which is what the default address is.
fn parse_addr(text: &str) -> Result<SocketAddr, String> {
    let addrs: Vec<SocketAddr> = text
        .to_socket_addrs()
        .map_err(|e| format!("expected HOST:PORT, like 127.0.0.1:8001 ({e})"))?
        .collect();
    addrs
        .iter()
        .find(|addr| addr.is_ipv4())
        .or(addrs.first())
        .copied()
        .ok_or_else(|| format!("{text} resolves to no address"))
}

/// Runs one lesson binary. `install_ctrl_c` is called only when a server starts; it connects
/// Ctrl-C to the shutdown handle it is given.
pub fn main<E: Display>(
    lesson: &'static Lesson,
    install_ctrl_c: impl FnOnce(Shutdown) -> Result<(), E>,
) -> ExitCode {
    let default_addr = lesson.default_addr().to_string();
    let mut command = Cli::command()
        .name(lesson.bin_name())
        .about(lesson.about)
        .after_help(format!(
            "With no command, plays the demo. The server and client use --addr \
             (default {default_addr}); see `{} server --help`.",
            lesson.bin_name()
        ))
        .mut_subcommand("server", |server| {
            server.mut_arg("addr", |arg| {
                arg.default_value(default_addr.clone()).required(false)
            })
        })
        .mut_subcommand("client", |client| {
            client.mut_arg("addr", |arg| {
                arg.default_value(default_addr.clone()).required(false)
            })
        });
    // Only the command stages have a shell to opt in to; the others do not show the flag.
    if !lesson.server.runs_commands() {
        command = command.mut_subcommand("server", |server| {
            server.mut_arg("shell", |arg| arg.hide(true))
        });
    }
    let cli = match Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };

    let result = match cli.mode.unwrap_or(Mode::Demo) {
        Mode::Demo => {
            logging::init("demo", "warn");
            run_demo(lesson)
        }
        Mode::Server { addr, shell } => {
            logging::init("server", "info");
            run_server(lesson, addr, shell, install_ctrl_c)
        }
        Mode::Client { addr } => {
            logging::init("client", "info");
            run_client(lesson, addr)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_demo(lesson: &'static Lesson) -> Result<(), String> {
    let demo = Demo::new(lesson, Transcript::stdout()).map_err(|e| e.to_string())?;
    demo.run().map_err(|e| format!("the demo failed: {e}"))
}

fn run_server<E: Display>(
    lesson: &Lesson,
    addr: SocketAddr,
    shell: bool,
    install_ctrl_c: impl FnOnce(Shutdown) -> Result<(), E>,
) -> Result<(), String> {
    let commands = match (shell, lesson.server.runs_commands()) {
        (false, _) => Commands::BuiltIn,
        (true, true) => Commands::SystemShell,
        (true, false) => {
            return Err(format!(
                "{} runs no commands: --shell is for lessons 5 and 6",
                lesson.bin_name()
            ));
        }
    };
    let shutdown = Shutdown::new();
    install_ctrl_c(shutdown.clone()).map_err(|e| format!("cannot install Ctrl-C handler: {e}"))?;
    let server = Server::bind(addr, shutdown.clone())
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = server.local_addr().map_err(|e| e.to_string())?;
    // A shell command blocks its client's thread until it ends, and no socket trick wakes it:
    // on shutdown, stop the commands themselves.
    let mut shell_stopper = None;
    if commands == Commands::SystemShell {
        // Not a log line either: no RUST_LOG setting may hide this.
        eprintln!(
            "WARNING --shell: every client that can reach {local} may now run ANY command on \
             this machine, as this user. Use it only on a machine and network you trust."
        );
        let shutdown = shutdown.clone();
        shell_stopper = Some(thread::spawn(move || {
            shutdown.wait();
            commands::stop_shell_commands();
        }));
    }
    // Not a log line: whatever RUST_LOG says, the operator (and a test that asked for port 0)
    // must learn where the server is, and when it has stopped.
    let name = lesson.bin_name();
    eprintln!("{name} server (Ctrl-C stops it) listening on {local}");
    let served = lesson.server.run(server, commands);
    // Normally the server returned because of shutdown; if it failed instead, stop the rest too.
    shutdown.trigger();
    if let Some(stopper) = shell_stopper {
        let _ = stopper.join();
    }
    served.map_err(|e| format!("{name} server: {e}"))?;
    eprintln!("{name} server stopped");
    Ok(())
}

fn run_client(lesson: &Lesson, addr: SocketAddr) -> Result<(), String> {
    let mut input = Prompted::new(io::stdin().lock());
    let mut output = io::stdout().lock();
    (lesson.client)(addr, &mut input, &mut output).map_err(|e| match e.kind() {
        ErrorKind::ConnectionRefused => {
            let at = if addr == lesson.default_addr() {
                String::new()
            } else {
                format!(" --addr {addr}")
            };
            format!(
                "cannot connect to {addr}: nothing is listening there. Start the server first: \
                 cargo run --bin {} -- server{at}",
                lesson.bin_name()
            )
        }
        _ => format!("{} client ({addr}): {e}", lesson.bin_name()),
    })
}

/// Standard input that shows the tutorial's `>>: ` prompt on stderr before each line, but only
/// when a person is typing: piped input gets no prompts, so scripts see clean output.
struct Prompted<R> {
    inner: R,
    interactive: bool,
    buf: Vec<u8>,
    pos: usize,
}

impl<R: BufRead> Prompted<R> {
    fn new(inner: R) -> Prompted<R> {
        Prompted {
            inner,
            interactive: io::stdin().is_terminal(),
            buf: Vec::new(),
            pos: 0,
        }
    }
}

impl<R: BufRead> Read for Prompted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Prompted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.buf.len() {
            // Everything typed so far is used up: the next read waits for a person, so ask.
            if self.interactive {
                eprint!(">>: ");
            }
            self.buf.clear();
            self.pos = 0;
            let n = self.inner.read_until(b'\n', &mut self.buf)?;
            // The clients read text lines; say plainly which stream was not text, before
            // `lines()` reports a bare "stream did not contain valid UTF-8".
            if std::str::from_utf8(&self.buf).is_err() {
                return Err(io::Error::new(
                    ErrorKind::InvalidData,
                    "standard input is not UTF-8 text (the clients send what you type as UTF-8)",
                ));
            }
            // End of input (Ctrl-D): end the prompt's line, so the shell's prompt starts afresh.
            if n == 0 && self.interactive {
                eprintln!();
            }
        }
        Ok(&self.buf[self.pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.buf.len());
    }
}
