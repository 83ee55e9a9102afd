//! The command line every binary shares. A lesson's:
//!
//! ```text
//! lessonN                          the narrated demo (server and clients in one process)
//! lessonN server [--addr H:P]      the stage's server, until Ctrl-C
//! lessonN client [--addr H:P]      the stage's client: one line of stdin = one message
//! ```
//!
//! What a stage adds (a flag such as `--shell`, a client with commands of its own) comes from its
//! entry in the course table, never from a special case here. The instructor tools are not
//! lessons, but follow the same conventions through [`tool_main`]: logs on stderr, Ctrl-C through
//! the one shutdown channel, and errors a user can cause (nothing listening, address in use, a
//! bad `--addr`) ending in one clear line and a non-zero exit status, never a panic.

use std::fmt::Display;
use std::io::{self, BufRead, BufReader, ErrorKind, IsTerminal, Read, Write};
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::demo::{Demo, DemoStage, Transcript};
use socket_lessons::course::Lesson;
use socket_lessons::datagram::UdpServer;
use socket_lessons::endpoint::{Endpoint, parse_addr};
use socket_lessons::escape;
use socket_lessons::frame::FrameError;
use socket_lessons::logging;
use socket_lessons::server::Server;
use socket_lessons::shutdown::{Interrupt, ShutdownSignal};
use socket_lessons::sockopts;
use socket_lessons::stage::{ClientKind, Lines, Options, ServerKind, Side};

/// Runs one lesson binary. `install_ctrl_c` is called only when a server starts; it connects
/// Ctrl-C to the shutdown handle it is given.
pub fn main<E: Display>(
    lesson: &'static Lesson,
    install_ctrl_c: impl FnOnce(ShutdownSignal) -> Result<(), E>,
) -> ExitCode {
    let matches = command_for(lesson).get_matches();
    let result = match matches.subcommand() {
        Some(("server", server)) => {
            logging::init("server", "info");
            run_server(lesson, server, install_ctrl_c)
        }
        Some(("client", client)) => {
            logging::init("client", "info");
            // A client that writes files (lesson 8's downloads): Ctrl-C ends it at once, as it
            // would with no handler at all, but first removes what a download in progress was
            // writing, which no Drop would.
            if matches!(lesson.client, ClientKind::Commands { .. }) {
                let interrupted = ShutdownSignal::new();
                if let Err(e) = install_ctrl_c(interrupted.clone()) {
                    return exit_with(Err(format!("cannot install Ctrl-C handler: {e}")));
                }
                std::thread::spawn(move || {
                    interrupted.wait();
                    for temp in socket_lessons::files::remove_unfinished() {
                        eprintln!("interrupted: removed the unfinished {}", temp.display());
                    }
                    // 130 = 128 + SIGINT, what a shell reports for a program ended by Ctrl-C.
                    std::process::exit(130);
                });
            }
            run_client(lesson, client)
        }
        _ => {
            logging::init("demo", "warn");
            run_demo(lesson, matches.subcommand_matches("demo"))
        }
    };
    exit_with(result)
}

/// Runs one instructor tool: parses its arguments, sets up logging under `role`, connects Ctrl-C
/// to a fresh shutdown channel, and turns an error into one line and a non-zero exit status.
pub fn tool_main<A: clap::Parser, E: Display>(
    role: &'static str,
    install_ctrl_c: impl FnOnce(ShutdownSignal) -> Result<(), E>,
    run: impl FnOnce(A, ShutdownSignal) -> Result<(), String>,
) -> ExitCode {
    let args = A::parse();
    logging::init(role, "info");
    let shutdown = ShutdownSignal::new();
    if let Err(e) = install_ctrl_c(shutdown.clone()) {
        return exit_with(Err(format!("cannot install Ctrl-C handler: {e}")));
    }
    let result = run(args, shutdown.clone());
    // A tool that returned on its own (a client whose peer closed, an error) stops whatever
    // still waits on the channel, as a server that fails does.
    shutdown.trigger();
    exit_with(result)
}

/// The Ctrl-C handler every binary installs: the first Ctrl-C (or SIGTERM) stops the server
/// cleanly; a second one, while that clean stop is still running (a client thread that will not
/// finish, say), exits at once and says so, instead of leaving the operator with `kill -9`.
pub fn on_ctrl_c(shutdown: ShutdownSignal) -> impl FnMut() + Send + 'static {
    move || {
        if shutdown.interrupt() == Interrupt::Again {
            // The stop may be stuck *because* stderr is (a terminal paused with Ctrl-S, a pipe
            // nobody reads): so the message is written by a thread of its own, given a moment,
            // and the exit does not wait for it any longer than that.
            let (said, saying) = crossbeam_channel::bounded::<()>(1);
            let _ = std::thread::Builder::new().spawn(move || {
                eprintln!(
                    "second Ctrl-C: the graceful stop has not finished; exiting now without \
                     waiting for it"
                );
                let _ = said.send(());
            });
            let _ = saying.recv_timeout(crate::probe::A_MOMENT);
            // 130 = 128 + SIGINT, what a shell reports for a program ended by Ctrl-C.
            std::process::exit(130);
        }
    }
}

fn exit_with(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The whole command line of one lesson, built from its entry in the course table.
pub fn command_for(lesson: &'static Lesson) -> Command {
    let default_addr = lesson.default_addr().to_string();
    let addr = |help: &'static str| {
        Arg::new("addr")
            .long("addr")
            .value_name("ADDR")
            .help(help)
            .value_parser(parse_addr)
            .default_value(default_addr.clone())
    };
    let mut command = Command::new(lesson.bin_name())
        .version(env!("CARGO_PKG_VERSION"))
        .about(lesson.about)
        .after_help(format!(
            "With no command, plays the demo. The server and client use --addr \
             (default {default_addr}); see `{} server --help`.",
            lesson.bin_name()
        ))
        .subcommand(
            Command::new("demo")
                .about(
                    "Play the narrated demo: the stage's server and scripted clients in one \
                     process (the default)",
                )
                .arg(
                    Arg::new("step")
                        .long("step")
                        .action(ArgAction::SetTrue)
                        .help(
                            "Wait for Enter before each part (the prompt is on stderr; the end \
                             of input plays the rest through)",
                        ),
                )
                .arg(
                    Arg::new("part")
                        .long("part")
                        .value_name("N")
                        .value_parser(clap::value_parser!(u16).range(1..))
                        .conflicts_with("step")
                        .help(
                            "Play part N alone, numbered as the narration numbers them (a demo \
                             without numbered parts has one part, 1)",
                        ),
                ),
        );
    if !matches!(lesson.server, ServerKind::None) {
        let server = Command::new("server")
            .about(
                "Run the stage's server until Ctrl-C. Logs go to stderr (RUST_LOG=warn for fewer)",
            )
            .arg(addr(
                "Address to listen on. Loopback by default, so only this machine can connect",
            ));
        command = command.subcommand(with_flags(server, lesson, Side::Server));
    }
    if !matches!(lesson.client, ClientKind::None) {
        let mut client = Command::new("client")
            .about(
                "Run the stage's client: lines of standard input are messages (from lesson 3 on, \
                 every line; `q` quits)",
            )
            .arg(addr("Address of the server to connect to"));
        if let ClientKind::Commands { commands, .. } = lesson.client {
            client = commands(client);
        }
        command = command.subcommand(with_flags(client, lesson, Side::Client));
    }
    command
}

/// Adds the stage's own flags for `side` to a subcommand.
fn with_flags(mut command: Command, lesson: &'static Lesson, side: Side) -> Command {
    for flag in lesson.flags_for(side) {
        let mut arg = Arg::new(flag.name).long(flag.name).help(flag.help);
        arg = match (flag.value_name, flag.default) {
            (None, _) => arg.action(ArgAction::SetTrue),
            (Some(name), Some(default)) => arg.value_name(name).default_value(default),
            (Some(name), None) => arg.value_name(name),
        };
        command = command.arg(arg);
    }
    command
}

/// The stage's flags for `side`, as given on the command line.
fn options_from(lesson: &'static Lesson, side: Side, matches: &ArgMatches) -> Options {
    let mut options = Options::default();
    for flag in lesson.flags_for(side) {
        if flag.value_name.is_none() {
            if matches.get_flag(flag.name) {
                options.set(flag);
            }
        } else if let Some(value) = matches.get_one::<String>(flag.name) {
            options.set_value(flag, value.clone());
        }
    }
    options
}

fn addr_from(matches: &ArgMatches) -> SocketAddr {
    *matches
        .get_one::<SocketAddr>("addr")
        .expect("--addr has a default value")
}

fn run_demo(lesson: &'static Lesson, matches: Option<&ArgMatches>) -> Result<(), String> {
    use crate::demo::{Enter, Pacing};
    let pacing = match matches {
        Some(demo) if demo.get_flag("step") => Pacing::Step(Enter::stdin()),
        Some(demo) => demo
            .get_one::<u16>("part")
            .map_or(Pacing::Straight, |&part| Pacing::Only(part)),
        // `lessonN` alone plays the demo straight through.
        None => Pacing::Straight,
    };
    let demo = Demo::new(DemoStage::of(lesson), Transcript::stdout(), pacing)
        .map_err(|e| e.to_string())?;
    demo.run().map_err(|e| e.to_string())
}

fn run_server<E: Display>(
    lesson: &'static Lesson,
    matches: &ArgMatches,
    install_ctrl_c: impl FnOnce(ShutdownSignal) -> Result<(), E>,
) -> Result<(), String> {
    let addr = addr_from(matches);
    let options = options_from(lesson, Side::Server, matches);
    let shutdown = ShutdownSignal::new();
    install_ctrl_c(shutdown.clone()).map_err(|e| format!("cannot install Ctrl-C handler: {e}"))?;
    let cannot_listen_at = |at: &dyn Display, e: io::Error| match e.kind() {
        // Without SO_REUSEADDR, a connection that closed a moment ago also holds the port, in
        // TIME_WAIT, for up to a minute: lesson 11's first experiment. Say so, not only "another
        // server".
        ErrorKind::AddrInUse if options.is_set(&sockopts::NO_REUSE_ADDRESS) => format!(
            "cannot listen on {at}: the address is already in use: another server is running              there, or (with --no-reuse-address) a connection that just closed still holds the              port in TIME_WAIT; wait a minute, or drop --no-reuse-address (`{} demo --part 1`              shows why)",
            lesson.bin_name()
        ),
        ErrorKind::AddrInUse => format!(
            "cannot listen on {at}: the address is already in use. Another server is probably \
             still running there (an earlier `{} server`?): stop it with Ctrl-C, or pick another \
             address with --addr HOST:PORT",
            lesson.bin_name()
        ),
        _ => format!("cannot listen on {at}: {e}"),
    };
    let cannot_listen = |e: io::Error| cannot_listen_at(&addr, e);
    let name = lesson.bin_name();
    let served = match lesson.server {
        ServerKind::None => return Err(format!("{name} has no server; run its demo: {name}")),
        ServerKind::Tcp(serve) => {
            // `--backlog`, `--no-reuse-address` and `--unix`, for the stages that offer them.
            let endpoint = sockopts::endpoint(addr, &options);
            let listen = sockopts::listen_options(&options).map_err(|e| e.to_string())?;
            let server = Server::bind_with(&endpoint, listen, shutdown.clone())
                .map_err(|e| cannot_listen_at(&endpoint, e))?;
            announce(
                lesson,
                &options,
                server.local_endpoint().map_err(|e| e.to_string())?,
            );
            serve(server, &options)
        }
        ServerKind::Udp(serve) => {
            let server = UdpServer::bind(addr, shutdown.clone()).map_err(cannot_listen)?;
            announce(
                lesson,
                &options,
                server.local_addr().map_err(|e| e.to_string())?.into(),
            );
            serve(server, &options)
        }
    };
    // Normally the server returned because of shutdown; if it failed instead, stop the rest too.
    shutdown.trigger();
    served.map_err(|e| format!("{name} server: {e}"))?;
    eprintln!("{name} server stopped");
    Ok(())
}

/// What the operator must see, whatever `RUST_LOG` says (so not log lines): the warnings of the
/// flags given, then where the server listens (a test or script that asked for port 0 reads its
/// real port from this line).
fn announce(lesson: &Lesson, options: &Options, local: Endpoint) {
    for flag in lesson.flags_for(Side::Server) {
        if let (Some(warning), true) = (flag.warning, options.is_set(flag)) {
            eprintln!("{}", warning.replace("{addr}", &local.to_string()));
        }
    }
    eprintln!(
        "{} server (Ctrl-C stops it) {}{local}",
        lesson.bin_name(),
        crate::probe::LISTENING_ON
    );
}

fn run_client(lesson: &'static Lesson, matches: &ArgMatches) -> Result<(), String> {
    let addr = addr_from(matches);
    let options = options_from(lesson, Side::Client, matches);
    // What the client connects to, as its error lines name it (`--unix PATH` in lesson 11).
    let to = sockopts::endpoint(addr, &options);
    // The line clients print from one thread, so they may hold the stdout lock throughout; a
    // duplex client prints from another thread, which must be able to take it.
    let result = match lesson.client {
        ClientKind::None => return Err(format!("{} has no client", lesson.bin_name())),
        ClientKind::Lines(client) => client(
            addr,
            &options,
            Lines::new(&mut Prompted::new(io::stdin().lock())),
            &mut TerminalSafe::new(io::stdout().lock()),
        ),
        ClientKind::Duplex(client) => {
            // No `>>: ` prompt: lines arrive while the user types, and would land after it.
            let input = BufReader::new(io::stdin());
            let output = TerminalSafe::new(io::stdout());
            client(addr, &options, Box::new(input), Box::new(output))
        }
        ClientKind::Commands { run, .. } => {
            let chosen = matches.subcommand().is_some().then_some(matches);
            let mut input = Prompted::new(io::stdin().lock());
            let mut output = TerminalSafe::new(io::stdout().lock());
            run(addr, &options, chosen, &mut input, &mut output)
        }
    };
    result.map_err(|e| match e.kind() {
        ErrorKind::ConnectionRefused => {
            let at = if addr == lesson.default_addr() {
                String::new()
            } else {
                format!(" --addr {addr}")
            };
            format!(
                "cannot connect to {to}: nothing is listening there. Start the server first: \
                 cargo run --bin {} -- server{at}",
                lesson.bin_name()
            )
        }
        // A client with a --timeout waited that long for a reply (lessons 10 and 11): say what
        // that means, not the system's "Resource temporarily unavailable".
        ErrorKind::WouldBlock | ErrorKind::TimedOut
            if lesson
                .flags_for(Side::Client)
                .any(|flag| flag.name == "timeout") =>
        {
            let waited = lesson
                .flags_for(Side::Client)
                .find(|flag| flag.name == "timeout")
                .and_then(|flag| options.value(flag))
                .map_or(String::new(), |seconds| format!(" for {seconds} s"));
            format!(
                "{} client ({to}): the server said nothing{waited}",
                lesson.bin_name()
            )
        }
        // Our message found the server gone (it closed, and its kernel refused the bytes).
        ErrorKind::BrokenPipe => format!(
            "{} client ({to}): the server closed the connection",
            lesson.bin_name()
        ),
        // The reply broke the frame's rules: most likely the server is another stage's (lesson
        // 5's bare output, read as a header length), so say that first.
        ErrorKind::InvalidData if e.get_ref().is_some_and(|inner| inner.is::<FrameError>()) => {
            let bin = lesson.bin_name();
            let wire = if lesson.flags.iter().any(|flag| flag.name == "wire") {
                ", on the same --wire"
            } else {
                ""
            };
            format!(
                "{bin} client ({to}): the reply is not a {bin} frame ({e}): is this a {bin} \
                 server{wire}?"
            )
        }
        _ => format!("{} client ({to}): {e}", lesson.bin_name()),
    })
}

/// Standard output for what a server sent. On a terminal, the bytes are escaped on the way
/// ([`escape::for_terminal`]): a server's ESC sequences cannot move the cursor or retitle the
/// window, and bytes that are not UTF-8 (a Windows server's GBK) show as `\xNN` instead of
/// turning into replacement characters. Into a pipe or a file they pass exactly as they came.
struct TerminalSafe<W: Write> {
    inner: W,
    escape: bool,
    /// The start of a character whose other bytes are still to come (a reply may be cut
    /// anywhere, even inside a character).
    pending: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    fn new(inner: W) -> TerminalSafe<W> {
        TerminalSafe {
            inner,
            escape: io::stdout().is_terminal(),
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.escape {
            return self.inner.write(buf);
        }
        self.pending.extend_from_slice(buf);
        // Keep back at most the 1 to 3 bytes of a character cut off at the end.
        let complete = self.pending.len() - incomplete_tail(&self.pending);
        let shown = escape::for_terminal(&self.pending[..complete]);
        self.inner.write_all(shown.as_bytes())?;
        self.pending.drain(..complete);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// How many bytes at the end of `bytes` begin a UTF-8 character whose other bytes have not come
/// yet (0 to 3). Earlier bytes that are not UTF-8 at all do not matter: they are shown as `\xNN`.
fn incomplete_tail(bytes: &[u8]) -> usize {
    for back in 1..=3.min(bytes.len()) {
        let byte = bytes[bytes.len() - back];
        if byte & 0xC0 != 0x80 {
            // A lead byte (or ASCII): how long a character does it start?
            let needs = match byte {
                0xC2..=0xDF => 2,
                0xE0..=0xEF => 3,
                0xF0..=0xF4 => 4,
                _ => return 0,
            };
            return if needs > back { back } else { 0 };
        }
    }
    0
}

impl<W: Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        // A character that never got its other bytes is shown as the bytes it had.
        let rest = escape::for_terminal(&std::mem::take(&mut self.pending));
        let _ = self.inner.write_all(rest.as_bytes());
        let _ = self.inner.flush();
    }
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

#[cfg(test)]
mod tests {
    //! The course table can describe stages unlike lessons 1–6 (a UDP server, a client with
    //! commands of its own, a flag of the client's), and the command line follows the table.

    use clap::{FromArgMatches, Subcommand};

    use super::*;
    use socket_lessons::stage::Flag;

    static TIMEOUT: Flag =
        Flag::value("timeout", "SECS", "2", "how long to wait for a reply").on(Side::Client);
    static ROOT: Flag = Flag::value("root", "DIR", "./files", "the folder served");

    #[derive(Subcommand, Debug, PartialEq)]
    enum Request {
        Get { name: String },
        List,
    }

    static FILE_STAGE: Lesson = Lesson {
        number: 98,
        title: "a test stage",
        tutorial_step: "测试",
        source: "src/lessons/none.rs",
        chapter: "none.md",
        builds_on: None,
        idea: "",
        still_broken: "",
        about: "A stage with a UDP server and a client with commands.",
        server: ServerKind::Udp(|_, _| Ok(())),
        client: ClientKind::Commands {
            commands: Request::augment_subcommands,
            run: |_, _, _, _, _| Ok(()),
        },
        flags: &[&TIMEOUT, &ROOT],
    };

    static EXPERIMENTS_ONLY: Lesson = Lesson {
        number: 99,
        server: ServerKind::None,
        client: ClientKind::None,
        flags: &[],
        ..FILE_STAGE
    };

    fn parse(lesson: &'static Lesson, args: &[&str]) -> Result<ArgMatches, clap::Error> {
        command_for(lesson).try_get_matches_from(args)
    }

    #[test]
    fn a_client_with_commands_and_a_client_flag() {
        let all = parse(
            &FILE_STAGE,
            &["lesson98", "client", "--timeout", "5", "get", "a.txt"],
        )
        .unwrap();
        let (name, client) = all.subcommand().unwrap();
        assert_eq!(name, "client");
        let options = options_from(&FILE_STAGE, Side::Client, client);
        assert_eq!(options.parse::<u64>(&TIMEOUT), Ok(5));
        assert_eq!(
            Request::from_arg_matches(client).unwrap(),
            Request::Get {
                name: "a.txt".into()
            }
        );
        // Without a command the client is still valid (it reads typed lines then).
        let all = parse(&FILE_STAGE, &["lesson98", "client"]).unwrap();
        let (_, client) = all.subcommand().unwrap();
        assert!(client.subcommand().is_none());
        assert_eq!(
            options_from(&FILE_STAGE, Side::Client, client).parse::<u64>(&TIMEOUT),
            Ok(2),
            "a flag not given has its default"
        );
    }

    #[test]
    fn flags_go_to_their_side_only() {
        let all = parse(&FILE_STAGE, &["lesson98", "server", "--root", "/srv"]).unwrap();
        let (_, server) = all.subcommand().unwrap();
        let options = options_from(&FILE_STAGE, Side::Server, server);
        assert_eq!(options.value(&ROOT), Some("/srv"));
        assert!(parse(&FILE_STAGE, &["lesson98", "server", "--timeout", "1"]).is_err());
        assert!(parse(&FILE_STAGE, &["lesson98", "client", "--root", "/srv"]).is_err());
    }

    #[test]
    fn a_stage_without_server_or_client_offers_only_its_demo() {
        assert!(parse(&EXPERIMENTS_ONLY, &["lesson99"]).is_ok());
        assert!(parse(&EXPERIMENTS_ONLY, &["lesson99", "demo"]).is_ok());
        assert!(parse(&EXPERIMENTS_ONLY, &["lesson99", "server"]).is_err());
        assert!(parse(&EXPERIMENTS_ONLY, &["lesson99", "client"]).is_err());
    }

    #[test]
    fn terminal_output_is_escaped_even_when_a_character_is_cut_in_two() {
        let mut shown = Vec::new();
        {
            let mut out = TerminalSafe {
                inner: &mut shown,
                escape: true,
                pending: Vec::new(),
            };
            let reply = "你好\x1b[2J\n".as_bytes();
            out.write_all(&reply[..4]).unwrap(); // 你 and the first byte of 好
            out.write_all(&reply[4..]).unwrap();
            out.write_all(b"\xff").unwrap();
            // A character cut in two after a byte that is not UTF-8 at all is still held back.
            let hao = "好".as_bytes();
            out.write_all(&[b'\xc4', hao[0]]).unwrap();
            out.write_all(&hao[1..]).unwrap();
        }
        assert_eq!(
            String::from_utf8(shown).unwrap(),
            "你好\\x1b[2J\n\\xff\\xc4好"
        );
        assert_eq!(incomplete_tail(b"ok"), 0);
        assert_eq!(incomplete_tail(&"好".as_bytes()[..2]), 2);
        assert_eq!(incomplete_tail("好".as_bytes()), 0);
    }

    #[test]
    fn the_shell_flag_is_declared_by_the_command_stages_only() {
        for lesson in &socket_lessons::course::LESSONS {
            let offered = parse(lesson, &["x", "server", "--shell"]).is_ok();
            assert_eq!(
                offered,
                matches!(lesson.number, 5 | 6),
                "{}",
                lesson.bin_name()
            );
        }
    }
}
