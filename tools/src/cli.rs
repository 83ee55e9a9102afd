//! The command line every binary shares. A lesson's:
//!
//! ```text
//! lessonN [--step | --part N]        the narrated demo (server and clients in one process)
//! lessonN server [--addr H:P] ...    the stage's server, until Ctrl-C
//! lessonN client [--addr H:P] ...    the stage's client: one line of stdin = one message
//! ```
//!
//! What a stage adds (its typed flags, a client with commands of its own) comes from its entry
//! in the course table, never from a special case here: this file never names a stage's flag.
//! Every value is checked as the command line is read, so a bad one is a usage error before
//! anything is bound; what the flags name is prepared next (lesson 8's folder, lesson 11's cap),
//! and only then does a server bind and say `listening on`.
//!
//! The instructor tools are not lessons, but follow the same conventions through [`tool_main`]:
//! logs on stderr, Ctrl-C through the one shutdown channel, and errors a user can cause (nothing
//! listening, address in use, a bad `--addr`) ending in one clear line and a non-zero exit
//! status, never a panic.

use std::fmt::Display;
use std::io::{self, BufRead, BufReader, ErrorKind, IsTerminal, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue};
use clap::{Arg, ArgMatches, Command, FromArgMatches};

use crate::clap_in_chinese;
use crate::demo::{Demo, DemoStage, Enter, Pacing, Transcript};
use socket_lessons::course::Lesson;
use socket_lessons::datagram::UdpServer;
use socket_lessons::endpoint::{Endpoint, parse_addr};
use socket_lessons::escape;
use socket_lessons::files::Hangup;
use socket_lessons::flags::{self, FileKind, what_is_at};
use socket_lessons::frame::FrameError;
use socket_lessons::i18n::Lang;
use socket_lessons::logging;
use socket_lessons::server::Server;
use socket_lessons::shutdown::{Interrupt, ShutdownSignal};
use socket_lessons::sockopts::Listening;
use socket_lessons::stage::{self, ClientKind, Lines, ReadyClient, ReadyServer, ServerKind};

/// Runs one lesson binary. `install_ctrl_c` is called only when a server starts; it connects
/// Ctrl-C to the shutdown handle it is given.
pub fn main<E: Display>(
    lesson: &'static Lesson,
    install_ctrl_c: impl FnOnce(ShutdownSignal) -> Result<(), E>,
) -> ExitCode {
    choose_language();
    let matches = command_for(lesson)
        .try_get_matches()
        .and_then(|matches| demo_flags_only_for_the_demo(lesson, matches))
        .unwrap_or_else(|e| clap_in_chinese::exit_with(with_a_tip_for_the_demo(e, lesson)));
    let result = match matches.subcommand() {
        Some(("server", server)) => {
            logging::init("server", "info");
            run_server(lesson, server, install_ctrl_c)
        }
        Some(("client", client)) => {
            logging::init("client", "info");
            run_client(lesson, client, install_ctrl_c)
        }
        // `lessonN`, `lessonN --step`, `lessonN demo --part 2`: the demo.
        Some(("demo", demo)) => {
            // A demo narrates what its server does, so the server's own log lines (a deliberate
            // refusal's WARN among them) would only interleave with the narration: errors only.
            logging::init("demo", "error");
            run_demo(lesson, demo)
        }
        _ => {
            logging::init("demo", "error");
            run_demo(lesson, &matches)
        }
    };
    exit_with(result, ErrorLine::Whole)
}

/// Runs one instructor tool: parses its arguments, sets up logging under `role`, connects Ctrl-C
/// to a fresh shutdown channel, and turns an error into one line and a non-zero exit status.
pub fn tool_main<A: clap::Parser, E: Display>(
    role: &'static str,
    install_ctrl_c: impl FnOnce(ShutdownSignal) -> Result<(), E>,
    run: impl FnOnce(A, ShutdownSignal) -> Result<(), String>,
) -> ExitCode {
    let args = parse_with_lang::<A>();
    logging::init(role, "info");
    let shutdown = ShutdownSignal::new();
    if let Err(e) = install_ctrl_c(shutdown.clone()) {
        return exit_with(Err(ctrl_c_failed(e)), ErrorLine::Folded);
    }
    let result = run(args, shutdown.clone());
    // A tool that returned on its own (a client whose peer closed, an error) stops whatever
    // still waits on the channel, as a server that fails does.
    shutdown.trigger();
    exit_with(result, ErrorLine::Folded)
}

/// Every binary's first step: the language it speaks, from `--lang` on its command line, else
/// the locale, else English (`socket_lessons::i18n`). Read before the command line is parsed, so
/// that `--help` and the parser's own errors speak it too.
pub fn choose_language() {
    socket_lessons::i18n::choose(socket_lessons::i18n::Lang::for_this_process());
}

/// `--lang en|zh`, which every binary takes, before or after a subcommand.
pub fn lang_arg() -> Arg {
    Arg::new("lang")
        .long("lang")
        .value_name("LANG")
        .global(true)
        .value_parser(["en", "zh"])
        .help(crate::t!("cli-help-lang"))
}

/// A tool's arguments, its derive's command with `--lang` added, the language chosen first (so
/// that its `--help` and usage errors speak it).
pub fn parse_with_lang<A: clap::Parser>() -> A {
    choose_language();
    let command = A::command().arg(lang_arg());
    let name = command.get_name().to_string();
    let matches = clap_in_chinese::in_the_chosen_language(command, &name)
        .try_get_matches()
        .unwrap_or_else(|e| clap_in_chinese::exit_with(e));
    A::from_arg_matches(&matches).unwrap_or_else(|e| clap_in_chinese::exit_with(e))
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
                eprintln!("{}", crate::t!("cli-second-ctrl-c"));
                let _ = said.send(());
            });
            let _ = saying.recv_timeout(crate::probe::A_MOMENT);
            // 130 = 128 + SIGINT, what a shell reports for a program ended by Ctrl-C.
            std::process::exit(130);
        }
    }
}

/// Why a binary could not start: Ctrl-C could not be connected to its shutdown channel.
fn ctrl_c_failed(e: impl Display) -> String {
    crate::t!("cli-ctrl-c-failed", error = e.to_string())
}

/// How an error is written: a lesson's is one line, whatever its length, since scripts and tests
/// read it whole (docs/contracts.md, "Error lines"); a tool's is folded to the terminal's width,
/// like every other line a tool prints.
enum ErrorLine {
    Whole,
    Folded,
}

fn exit_with(result: Result<(), String>, error_line: ErrorLine) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            match error_line {
                ErrorLine::Whole => logging::status(&format!("error: {message}")),
                ErrorLine::Folded => logging::status(
                    crate::terminal::error_line(&message, crate::terminal::width()).trim_end(),
                ),
            }
            ExitCode::FAILURE
        }
    }
}

/// How the demo is paced: `--step` and `--part N`, taken by `lessonN demo` and, since the demo
/// is what `lessonN` plays, by `lessonN` itself; and `--html FILE`, the page it also writes.
#[derive(Debug, Clone, clap::Args)]
struct DemoFlags {
    /// Demo: wait for Enter before each part (the prompt is on stderr; the end of input plays
    /// the rest through)
    #[arg(long)]
    step: bool,

    /// Demo: play part N alone, numbered as the narration numbers them (a demo without numbered
    /// parts has one part, 1)
    #[arg(
        long,
        value_name = "N",
        conflicts_with = "step",
        value_parser = flags::count::<u16, 1, 65535>,
        allow_negative_numbers = true
    )]
    part: Option<u16>,

    /// Demo: also write what it showed (the parts played) as one self-contained page, the byte
    /// stream drawn, to FILE; the transcript on stdout stays the same
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

/// The whole command line of one lesson, built from its entry in the course table.
pub fn command_for(lesson: &'static Lesson) -> Command {
    let default_addr = lesson.default_addr().to_string();
    let addr = |help: &'static str| {
        Arg::new(stage::ADDR)
            .long("addr")
            .value_name("ADDR")
            .help(help)
            .value_parser(parse_addr)
            .default_value(default_addr.clone())
    };
    let bin = lesson.bin_name();
    let command = Command::new(lesson.bin_name())
        .version(env!("CARGO_PKG_VERSION"))
        .about(lesson.about)
        .after_help(format!(
            "With no command, plays the demo (--step and --part pace it). The server and client \
             use --addr (default {default_addr}); see `{bin} server --help`."
        ))
        .subcommand(stage::with_flags::<DemoFlags>(Command::new("demo").about(
            "Play the narrated demo: the stage's server and scripted clients in one process \
             (the default)",
        )));
    let mut command = stage::with_flags::<DemoFlags>(command).arg(lang_arg());
    if let ServerKind::Tcp(part) = lesson.server {
        command = command.subcommand(part.flags(server_command(&addr)));
    }
    if let ServerKind::Udp(part) = lesson.server {
        command = command.subcommand(part.flags(server_command(&addr)));
    }
    let client = Command::new("client")
        .about(
            "Run the stage's client: lines of standard input are messages (from lesson 3 on, \
             every line; `q` quits)",
        )
        .arg(addr("Address of the server to connect to"));
    let command = match lesson.client {
        ClientKind::None => command,
        ClientKind::Lines(part) => command.subcommand(part.flags(client)),
        ClientKind::Duplex(part) => command.subcommand(part.flags(client)),
    };
    // The closing words name the lesson's own address: a message with arguments, said here
    // (in English they are built above, beside the code they describe).
    let command = match socket_lessons::i18n::current() {
        Lang::En => command,
        Lang::Zh => command.after_help(crate::t!(
            "cli-after-help",
            addr = lesson.default_addr().to_string(),
            bin = bin.as_str()
        )),
    };
    clap_in_chinese::in_the_chosen_language(command, &bin)
}

fn server_command(addr: &dyn Fn(&'static str) -> Arg) -> Command {
    Command::new("server")
        .about("Run the stage's server until Ctrl-C. Logs go to stderr (RUST_LOG=warn for fewer)")
        .arg(addr(
            "Address to listen on. Loopback by default, so only this machine can connect",
        ))
}

/// A usage error, with a tip when the unknown argument is the demo's: `lesson7 server --step`
/// meant the demo, which `lesson7 --step` plays.
/// `lessonN --step server` mixes two things: the demo's pacing and a server. Refused, as clap
/// refuses a conflict, rather than guessed at. (clap's own `args_conflicts_with_subcommands`
/// would refuse `lessonN --lang zh server` too, and `--lang` belongs to every subcommand.)
fn demo_flags_only_for_the_demo(
    lesson: &'static Lesson,
    matches: ArgMatches,
) -> Result<ArgMatches, clap::Error> {
    if let Some((name @ ("server" | "client"), _)) = matches.subcommand() {
        // The demo's flags, as its derive declares them (so `--html`, say, comes with them).
        let demo = <DemoFlags as clap::Args>::augment_args(Command::new("demo"));
        let given = demo.get_arguments().map(Arg::get_id).find(|id| {
            matches.value_source(id.as_str()) == Some(clap::parser::ValueSource::CommandLine)
        });
        if let Some(flag) = given {
            // Built from the parts clap records for its own conflicts (not as a finished
            // sentence), so that it is told in the process's language as they are.
            let mut command = command_for(lesson);
            let usage = command.render_usage();
            let mut error =
                clap::Error::new(clap::error::ErrorKind::ArgumentConflict).with_cmd(&command);
            error.insert(
                ContextKind::InvalidSubcommand,
                ContextValue::String(name.to_string()),
            );
            error.insert(
                ContextKind::PriorArg,
                ContextValue::String(format!("--{flag}")),
            );
            error.insert(ContextKind::Usage, ContextValue::StyledStr(usage));
            return Err(error);
        }
    }
    Ok(matches)
}

fn with_a_tip_for_the_demo(mut e: clap::Error, lesson: &Lesson) -> clap::Error {
    let misplaced = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => ["--step", "--part", "--html"]
            .into_iter()
            .find(|flag| arg.split('=').next() == Some(*flag)),
        _ => None,
    };
    if let Some(flag) = misplaced {
        let bin = lesson.bin_name();
        let example = match flag {
            "--part" => "--part 1",
            "--html" => "--html FILE",
            _ => flag,
        };
        let (bin, example) = (bin.as_str(), example.to_string());
        let tip = match flag {
            "--html" => crate::t!(
                "cli-tip-draws-the-demo",
                flag = flag,
                bin = bin,
                example = example
            ),
            _ => crate::t!(
                "cli-tip-paces-the-demo",
                flag = flag,
                bin = bin,
                example = example
            ),
        };
        e.insert(
            ContextKind::Suggested,
            ContextValue::StyledStrs(vec![tip.into()]),
        );
    }
    e
}

fn addr_from(matches: &ArgMatches) -> SocketAddr {
    *matches
        .get_one::<SocketAddr>(stage::ADDR)
        .expect("--addr has a default value")
}

fn run_demo(lesson: &'static Lesson, matches: &ArgMatches) -> Result<(), String> {
    let flags = DemoFlags::from_arg_matches(matches).map_err(|e| e.to_string())?;
    let pacing = match flags {
        DemoFlags { step: true, .. } => Pacing::Step(Enter::stdin()),
        DemoFlags {
            part: Some(part), ..
        } => Pacing::Only(part),
        // `lessonN` alone plays the demo straight through.
        _ => Pacing::Straight,
    };
    let transcript = Transcript::stdout();
    if flags.html.is_some() {
        transcript.keep_what_is_shown();
    }
    let demo =
        Demo::new(DemoStage::of(lesson), transcript.clone(), pacing).map_err(|e| e.to_string())?;
    demo.run().map_err(|e| e.to_string())?;
    // The page is drawn from what the demo showed, once it has shown all of it; a demo that
    // failed writes none.
    match flags.html {
        Some(file) => crate::page::write(&file, &crate::demo::html::page(&transcript.shown()))
            .map_err(|e| e.to_string()),
        None => Ok(()),
    }
}

fn run_server<E: Display>(
    lesson: &'static Lesson,
    matches: &ArgMatches,
    install_ctrl_c: impl FnOnce(ShutdownSignal) -> Result<(), E>,
) -> Result<(), String> {
    let addr = addr_from(matches);
    let name = lesson.bin_name();
    // The flags were checked as they were read; what they name is prepared now (lesson 8's
    // folder, lesson 11's cap), still before anything is bound.
    let preparing = |e: String| format!("{name} server: {e}");
    match lesson.server {
        ServerKind::None => Err(crate::t!("cli-no-server", bin = name.as_str())),
        ServerKind::Tcp(part) => {
            let ready = part.ready(matches).map_err(preparing)?;
            serve(
                lesson,
                ready,
                addr,
                install_ctrl_c,
                |at, listening, shutdown| {
                    let server = Server::bind_with(at, listening.options, shutdown)?;
                    let local = server.local_endpoint()?;
                    Ok((server, local))
                },
            )
        }
        ServerKind::Udp(part) => {
            let ready = part.ready(matches).map_err(preparing)?;
            serve(lesson, ready, addr, install_ctrl_c, |at, _, shutdown| {
                let Endpoint::Ip(addr) = at else {
                    return Err(io::Error::new(
                        ErrorKind::Unsupported,
                        crate::t!("cli-udp-not-a-path"),
                    ));
                };
                let server = UdpServer::bind(*addr, shutdown)?;
                let local = server.local_addr()?.into();
                Ok((server, local))
            })
        }
    }
}

/// Binds a ready server where its flags say, announces it, and serves until Ctrl-C.
fn serve<S: 'static, E: Display>(
    lesson: &'static Lesson,
    ready: ReadyServer<S>,
    addr: SocketAddr,
    install_ctrl_c: impl FnOnce(ShutdownSignal) -> Result<(), E>,
    bind: impl FnOnce(&Endpoint, &Listening, ShutdownSignal) -> io::Result<(S, Endpoint)>,
) -> Result<(), String> {
    let name = lesson.bin_name();
    let shutdown = ShutdownSignal::new();
    install_ctrl_c(shutdown.clone()).map_err(ctrl_c_failed)?;
    let at = ready.listening.endpoint(addr);
    let (socket, local) = bind(&at, &ready.listening, shutdown.clone())
        .map_err(|e| cannot_listen(lesson, &at, &ready.listening, e))?;
    announce(lesson, &ready.notes, local);
    let served = ready.serve(socket);
    // Normally the server returned because of shutdown; if it failed instead, stop the rest too.
    shutdown.trigger();
    served.map_err(|e| format!("{name} server: {e}"))?;
    logging::status(&crate::t!("cli-server-stopped", bin = name.as_str()));
    Ok(())
}

/// Why a server could not listen at `at`, in a sentence that says what to do.
fn cannot_listen(lesson: &Lesson, at: &Endpoint, listening: &Listening, e: io::Error) -> String {
    let bin = lesson.bin_name();
    if let Endpoint::Unix(path) = at {
        return cannot_listen_on_a_path(&bin, path, e);
    }
    match e.kind() {
        // Without SO_REUSEADDR, a connection that closed a moment ago also holds the port, in
        // TIME_WAIT, for up to a minute: lesson 11's first experiment. Say so, not only "another
        // server".
        ErrorKind::AddrInUse if listening.refuses_reuse() => crate::t!(
            "cli-cannot-listen-time-wait",
            at = at.to_string(),
            bin = bin.as_str()
        ),
        ErrorKind::AddrInUse => crate::t!(
            "cli-cannot-listen-in-use",
            at = at.to_string(),
            bin = bin.as_str()
        ),
        _ => crate::t!(
            "cli-cannot-listen",
            at = at.to_string(),
            error = e.to_string()
        ),
    }
}

/// Why a server could not listen on the Unix socket `path`: the system's short words
/// (`No such file or directory`) say little about a path, so the sentence says what is there.
fn cannot_listen_on_a_path(bin: &str, path: &Path, e: io::Error) -> String {
    let at = format!("unix:{}", path.display());
    let folder = folder_of(path);
    let path = path.display().to_string();
    match e.kind() {
        // A socket that nobody listens on is removed before binding (`server.rs`), so a socket
        // still there has a server behind it.
        ErrorKind::AddrInUse => match what_is_at(Path::new(&path)) {
            Some(FileKind::Socket) | None => crate::t!(
                "cli-cannot-listen-socket-in-use",
                at = at,
                bin = bin,
                path = path
            ),
            Some(kind) => crate::t!(
                "cli-cannot-listen-not-a-socket",
                at = at,
                kind = kind.to_string()
            ),
        },
        ErrorKind::NotFound => crate::t!("cli-cannot-listen-no-folder", at = at, folder = folder),
        ErrorKind::PermissionDenied => {
            crate::t!("cli-cannot-listen-permission", at = at, folder = folder)
        }
        _ => crate::t!("cli-cannot-listen", at = at, error = e.to_string()),
    }
}

/// The folder a path is in, for a sentence: `.` for a bare name.
fn folder_of(path: &Path) -> String {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder.display().to_string(),
        _ => ".".to_string(),
    }
}

/// What the operator must see, whatever `RUST_LOG` says (so status lines, not log lines): the
/// notes of the flags given (the `--shell` warning, a cap lowered to fit), then where the server
/// listens (a test or script that asked for port 0 reads its real port from this line).
fn announce(lesson: &Lesson, notes: &[String], local: Endpoint) {
    for note in notes {
        logging::status(&note.replace("{addr}", &local.to_string()));
    }
    // The words around it are the process's language; `listening on ADDR` is the same in
    // every language, for the scripts and tests that read the address from it.
    logging::status(&crate::t!(
        "cli-server-listening",
        bin = lesson.bin_name(),
        listening = format!("{}{local}", crate::probe::LISTENING_ON)
    ));
}

fn run_client<E: Display>(
    lesson: &'static Lesson,
    matches: &ArgMatches,
    install_ctrl_c: impl FnOnce(ShutdownSignal) -> Result<(), E>,
) -> Result<(), String> {
    let addr = addr_from(matches);
    let bin = lesson.bin_name();
    let preparing = |e: String| format!("{bin} client: {e}");
    // The line clients print from one thread, so they may hold the stdout lock throughout; a
    // duplex client prints from another thread, which must be able to take it.
    let (context, result) = match lesson.client {
        ClientKind::None => return Err(crate::t!("cli-no-client", bin = bin.as_str())),
        ClientKind::Lines(part) => {
            let ready = part.ready(matches).map_err(preparing)?;
            if let Some(clean_up) = ready.on_interrupt {
                clean_up_on_ctrl_c(clean_up, install_ctrl_c)?;
            }
            let (context, run) = ErrorContext::apart(ready);
            let mut input = Prompted::new(io::stdin().lock());
            let mut output = TerminalSafe::new(io::stdout().lock());
            (context, run(addr, Lines::new(&mut input), &mut output))
        }
        ClientKind::Duplex(part) => {
            let (context, run) = ErrorContext::apart(part.ready(matches).map_err(preparing)?);
            // No `>>: ` prompt: lines arrive while the user types, and would land after it.
            let input = BufReader::new(io::stdin());
            let output = TerminalSafe::new(io::stdout());
            (context, run(addr, Box::new(input), Box::new(output)))
        }
    };
    result.map_err(|e| context.client_error(lesson, addr, e))
}

/// A client that leaves files behind when interrupted (lesson 8's downloads): Ctrl-C ends it at
/// once, as it would with no handler at all, but first runs `clean_up` and says what it removed.
fn clean_up_on_ctrl_c<E: Display>(
    clean_up: fn() -> Vec<std::path::PathBuf>,
    install_ctrl_c: impl FnOnce(ShutdownSignal) -> Result<(), E>,
) -> Result<(), String> {
    let interrupted = ShutdownSignal::new();
    install_ctrl_c(interrupted.clone()).map_err(ctrl_c_failed)?;
    std::thread::spawn(move || {
        interrupted.wait();
        for temp in clean_up() {
            let path = temp.display().to_string();
            eprintln!("{}", crate::t!("cli-interrupted-removed", path = path));
        }
        // 130 = 128 + SIGINT, what a shell reports for a program ended by Ctrl-C.
        std::process::exit(130);
    });
    Ok(())
}

/// What a client's error line may need from its flags.
struct ErrorContext {
    unix: Option<std::path::PathBuf>,
    timeout: Option<flags::Seconds>,
    wire: bool,
}

impl ErrorContext {
    fn apart<Run>(ready: ReadyClient<Run>) -> (ErrorContext, Run) {
        let context = ErrorContext {
            unix: ready.unix,
            timeout: ready.timeout,
            wire: ready.wire.is_some(),
        };
        (context, ready.run)
    }

    /// A client's failure, as one line that says what it means.
    fn client_error(&self, lesson: &Lesson, addr: SocketAddr, e: io::Error) -> String {
        let bin = lesson.bin_name();
        // What the client connects to, as its error lines name it (`unix:PATH` in lesson 11),
        // and how to start the server it wanted.
        let (to, start) = match &self.unix {
            Some(path) => (
                Endpoint::Unix(path.clone()),
                format!(" --unix {}", path.display()),
            ),
            None if addr == lesson.default_addr() => (Endpoint::Ip(addr), String::new()),
            None => (Endpoint::Ip(addr), format!(" --addr {addr}")),
        };
        let start_first = crate::t!("cli-start-first", bin = bin.as_str(), start = start);
        let in_the_way = self.unix.as_deref().and_then(what_is_at);
        let to = to.to_string();
        match e.kind() {
            // A path with something other than a socket at it refuses a connection too.
            ErrorKind::ConnectionRefused
                if in_the_way.is_some_and(|kind| kind != FileKind::Socket) =>
            {
                let kind = in_the_way.map(|kind| kind.to_string()).unwrap_or_default();
                crate::t!("cli-cannot-connect-not-a-socket", to = to, kind = kind)
            }
            ErrorKind::ConnectionRefused => crate::t!(
                "cli-cannot-connect-nothing-listening",
                to = to,
                start_first = start_first
            ),
            ErrorKind::NotFound if self.unix.is_some() => crate::t!(
                "cli-cannot-connect-no-socket",
                to = to,
                start_first = start_first
            ),
            ErrorKind::PermissionDenied if self.unix.is_some() => {
                crate::t!("cli-cannot-connect-permission", to = to)
            }
            // A client with a --timeout waited that long for a reply (lessons 7, 10 and 11):
            // say what that means, not the system's "Resource temporarily unavailable".
            ErrorKind::WouldBlock | ErrorKind::TimedOut if self.timeout.is_some() => {
                let seconds = self.timeout.map(|s| s.to_string()).unwrap_or_default();
                crate::t!(
                    "cli-client-server-silent",
                    bin = bin.as_str(),
                    to = to,
                    seconds = seconds
                )
            }
            // Our message found the server gone (it closed, and its kernel refused the bytes).
            ErrorKind::BrokenPipe => {
                crate::t!("cli-client-server-closed", bin = bin.as_str(), to = to)
            }
            // The reply broke the frame's rules: most likely the server is another stage's
            // (lesson 5's bare output, read as a header length), so say that first.
            ErrorKind::InvalidData if e.get_ref().is_some_and(|inner| inner.is::<FrameError>()) => {
                let error = told(&e);
                if self.wire {
                    crate::t!(
                        "cli-client-not-a-frame-wire",
                        bin = bin.as_str(),
                        to = to,
                        error = error
                    )
                } else {
                    crate::t!(
                        "cli-client-not-a-frame",
                        bin = bin.as_str(),
                        to = to,
                        error = error
                    )
                }
            }
            _ => format!("{bin} client ({to}): {}", told(&e)),
        }
    }
}

/// What a person reads of `e`: the course's own errors that travel inside an `io::Error` (a
/// reply that broke the frame's rules, lesson 8's server gone mid-transfer) in the process's
/// language, through their `told`; anything else as the system said it.
fn told(e: &io::Error) -> String {
    let inner = e.get_ref();
    if let Some(frame) = inner.and_then(|inner| inner.downcast_ref::<FrameError>()) {
        return frame.told();
    }
    if let Some(hangup) = inner.and_then(|inner| inner.downcast_ref::<Hangup>()) {
        return hangup.told();
    }
    e.to_string()
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
    //! The course table can describe stages unlike lessons 1–6 (a UDP server with a flag, a
    //! client with commands of its own and a flag of the client's), and the command line follows
    //! the table.

    use clap::Subcommand;

    use super::*;
    use socket_lessons::stage::{ClientFlags, LineClient, ServerFlags, Udp};

    #[derive(Subcommand, Debug, PartialEq)]
    enum Request {
        Get { name: String },
        List,
    }

    #[derive(clap::Args)]
    struct TestServer {
        /// The folder served
        #[arg(long, value_name = "DIR", default_value = "./files", value_parser = flags::folder)]
        root: std::path::PathBuf,
    }

    impl ServerFlags for TestServer {
        type Prepared = ();

        fn prepare(self, notes: &mut Vec<String>) -> Result<(), String> {
            notes.push(format!("serving {} at {{addr}}", self.root.display()));
            Ok(())
        }
    }

    #[derive(clap::Args)]
    struct TestClient {
        /// How many times to ask
        #[arg(
            long,
            value_name = "N",
            default_value_t = 3,
            value_parser = flags::count::<u8, 1, 9>,
            allow_negative_numbers = true
        )]
        tries: u8,
        #[command(subcommand)]
        request: Option<Request>,
    }

    impl ClientFlags for TestClient {}

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
        server: ServerKind::Udp(&Udp::<TestServer>(|_, ()| Ok(()))),
        // The client writes what it was asked for, so that a test can see it.
        client: ClientKind::Lines(&LineClient::<TestClient>(|_, flags, _, output| {
            write!(output, "{} {:?}", flags.tries, flags.request)
        })),
    };

    static EXPERIMENTS_ONLY: Lesson = Lesson {
        number: 99,
        server: ServerKind::None,
        client: ClientKind::None,
        ..FILE_STAGE
    };

    /// `args` read as `main` reads them.
    fn parse(lesson: &'static Lesson, args: &[&str]) -> Result<ArgMatches, clap::Error> {
        command_for(lesson)
            .try_get_matches_from(args)
            .and_then(|matches| demo_flags_only_for_the_demo(lesson, matches))
    }

    /// The stage's client, from `args`, run against nothing: what it wrote.
    fn client(args: &[&str]) -> String {
        let all = parse(&FILE_STAGE, args).unwrap();
        let ("client", given) = all.subcommand().unwrap() else {
            panic!("not a client: {args:?}")
        };
        let ClientKind::Lines(part) = FILE_STAGE.client else {
            unreachable!()
        };
        let ready = part.ready(given).unwrap();
        let mut output = Vec::new();
        (ready.run)(addr_from(given), Lines::new(&mut &b""[..]), &mut output).unwrap();
        String::from_utf8(output).unwrap()
    }

    #[test]
    fn a_client_with_commands_and_a_client_flag() {
        let asked = client(&["lesson98", "client", "--tries", "5", "get", "a.txt"]);
        assert_eq!(asked, r#"5 Some(Get { name: "a.txt" })"#);
        // Without a command the client is still valid (it reads typed lines then), and a flag
        // not given has its default.
        assert_eq!(client(&["lesson98", "client"]), "3 None");
    }

    #[test]
    fn flags_go_to_their_side_only_and_are_prepared_before_binding() {
        let all = parse(&FILE_STAGE, &["lesson98", "server", "--root", "/srv"]).unwrap();
        let (_, server) = all.subcommand().unwrap();
        let ServerKind::Udp(part) = FILE_STAGE.server else {
            unreachable!()
        };
        let ready = part.ready(server).unwrap();
        assert_eq!(ready.notes, ["serving /srv at {addr}"]);
        assert!(parse(&FILE_STAGE, &["lesson98", "server", "--tries", "1"]).is_err());
        assert!(parse(&FILE_STAGE, &["lesson98", "client", "--root", "/srv"]).is_err());
        let defaults = part.with_defaults().unwrap();
        assert_eq!(defaults.notes, ["serving ./files at {addr}"]);
    }

    #[test]
    fn a_bad_value_is_refused_while_the_command_line_is_read() {
        for args in [
            &["lesson98", "client", "--tries", "-1"][..],
            &["lesson98", "client", "--tries=0"],
            &["lesson98", "server", "--root", ""],
            &["lesson98", "--part", "0"],
        ] {
            let refused = parse(&FILE_STAGE, args).unwrap_err();
            assert_eq!(
                refused.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{args:?}: {refused}"
            );
        }
    }

    #[test]
    fn the_demo_flags_work_at_the_top_and_are_pointed_to_when_misplaced() {
        for args in [
            &["lesson98", "--step"][..],
            &["lesson98", "--part", "2"],
            &["lesson98", "demo", "--step"],
        ] {
            assert!(parse(&FILE_STAGE, args).is_ok(), "{args:?}");
        }
        assert!(parse(&FILE_STAGE, &["lesson98", "--step", "client"]).is_err());
        // `--lang` belongs to every subcommand, wherever it is written.
        for args in [
            &["lesson98", "--lang", "zh", "client"][..],
            &["lesson98", "client", "--lang", "zh"],
            &["lesson98", "--lang", "en", "--step"],
        ] {
            assert!(parse(&FILE_STAGE, args).is_ok(), "{args:?}");
        }
        let misplaced = parse(&FILE_STAGE, &["lesson98", "client", "--step"]).unwrap_err();
        let told = with_a_tip_for_the_demo(misplaced, &FILE_STAGE).to_string();
        assert!(
            told.contains(
                "tip: --step paces the demo: `lesson98 --step` (or `lesson98 demo --step`)"
            ),
            "{told}"
        );
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
    fn every_description_has_a_translation_that_says_what_its_english_says() {
        // The tests of this process run in English: the loader is the English catalogue's, and
        // the Chinese one has the same messages (the tools' catalogue test).
        for lesson in &socket_lessons::course::LESSONS {
            let command = command_for(lesson);
            let bin = lesson.bin_name();
            // The words after the flags name the lesson's address: a message with arguments.
            let mut missing = clap_in_chinese::untranslated(&command.clone().after_help(""), &bin);
            missing.retain(|problem| !problem.contains("cli-after-help-"));
            assert!(missing.is_empty(), "{}", missing.join("\n"));
            let after = command
                .get_after_help()
                .expect("every lesson has one")
                .to_string();
            let addr = lesson.default_addr().to_string();
            assert_eq!(
                crate::t!("cli-after-help", addr = addr, bin = bin.as_str()),
                after
            );
        }
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
