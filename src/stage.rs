//! The parts a stage is made of, as the course table ([`crate::course`]) names them: what kind of
//! server it runs, what kind of client it has, and the flags each takes.
//!
//! A side's flags are a typed struct, a clap `Args` derive, declared beside what they configure
//! (`--idle` beside the guard, `--root` beside the files, `--backlog` with the socket options).
//! Its every value is read by its kind's parser in [`crate::flags`], so a bad value is a usage
//! error before anything is bound or connected; and its defaults are written once, in its
//! `#[arg]` attributes: [`Part::with_defaults`] is what clap makes of a command line that gives
//! no flag at all.
//!
//! The table holds each side behind one small interface, [`Part`], because the flags of lesson 8's
//! server and of lesson 11's are different types, and a table holds one type. The command line,
//! the demo runner and the tests ask a part for its flags and for the side ready to run; they
//! never name a flag.
//!
//! These live apart from the table so that the parts that use them (the command line, the demo
//! runner, the modules that declare flags) need not depend on every stage of the course.

use std::ffi::OsStr;
use std::io::{self, BufRead, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{ArgMatches, Command};

use crate::datagram::UdpServer;
use crate::flags::Seconds;
use crate::frame::tutorial::Wire;
use crate::server::Server;
use crate::sockopts::Listening;

/// What kind of server a stage runs, and its flags.
#[derive(Clone, Copy)]
pub enum ServerKind {
    /// No server: the stage is experiments only, shown by its demo.
    None,
    /// A TCP server: a listening socket that Ctrl-C can stop (see [`Tcp`]).
    Tcp(&'static dyn Part<ReadyServer<Server>>),
    /// A UDP server: a datagram socket that Ctrl-C can stop (see [`Udp`]).
    Udp(&'static dyn Part<ReadyServer<UdpServer>>),
}

/// What kind of client a stage has, and its flags.
#[derive(Clone, Copy)]
pub enum ClientKind {
    /// No client of its own.
    None,
    /// One line of input is one message; replies are printed as they come back (see
    /// [`LineClient`]). A client with commands of its own (`lesson8 client get NAME`) is one of
    /// these too: its commands are a subcommand field of its flags, and without one it reads
    /// typed lines.
    Lines(&'static dyn Part<ReadyClient<LinesRun>>),
    /// Prints what arrives *while* the user types (a chat room): one thread reads the input,
    /// another prints, so both ends come owned (see [`DuplexClient`]).
    Duplex(&'static dyn Part<ReadyClient<DuplexRun>>),
}

/// Standard input, handed to a duplex client's reading thread.
pub type OwnedInput = Box<dyn BufRead + Send>;
/// Standard output, shared by a duplex client's threads.
pub type OwnedOutput = Box<dyn Write + Send>;
/// A line client, its flags given: what it does with an address, the typed lines and the output.
pub type LinesRun =
    Box<dyn for<'a> FnOnce(SocketAddr, Lines<'a>, &mut dyn Write) -> io::Result<()>>;
/// A duplex client, its flags given.
pub type DuplexRun = Box<dyn FnOnce(SocketAddr, OwnedInput, OwnedOutput) -> io::Result<()>>;

/// The id of `--addr`, which the command line gives every server and client. A flag that
/// replaces it (`--unix PATH`) says `conflicts_with = stage::ADDR`.
pub const ADDR: &str = "addr";

/// One side of a stage (its server or its client) as the command line sees it: the flags it
/// adds to its subcommand, and, from what the user gave, the side ready to run.
pub trait Part<Ready>: Sync {
    /// Adds this side's flags to `command` (a clap derive's `augment_args`).
    fn flags(&self, command: Command) -> Command;

    /// This side with the flags in `given` (matches of a command built by [`Part::flags`]),
    /// checked and prepared. An error is one sentence, and nothing has been bound yet.
    fn ready(&self, given: &ArgMatches) -> Result<Ready, String>;

    /// This side with the flags `args`, written as they would follow `lessonN server` (or
    /// `client`) on a command line, and read exactly as the command line reads them: what a
    /// demo passes when it serves a folder of its own (`--root DIR`).
    fn ready_from(&self, args: &[&OsStr]) -> Result<Ready, String> {
        let command = self.flags(Command::new("flags").arg(clap::Arg::new(ADDR).long(ADDR)));
        let given = command
            .try_get_matches_from([OsStr::new("flags")].iter().chain(args))
            .map_err(|e| e.to_string())?;
        self.ready(&given)
    }

    /// This side with every flag at its default: what the demos and the tests run.
    fn with_defaults(&self) -> Result<Ready, String> {
        self.ready_from(&[])
    }
}

/// A server's flags, typed: a clap `Args` struct (see [`Tcp`]).
pub trait ServerFlags: clap::Args + clap::FromArgMatches + Send + 'static {
    /// What the flags become once prepared: lesson 8's folder, opened; lesson 11's guard, with
    /// its cap checked against what the machine can hold.
    type Prepared: Send + 'static;

    /// Where and how to listen: at `--addr` with the course's [`crate::server::ListenOptions`],
    /// unless the flags say otherwise (lesson 11's `--unix`, `--backlog`, `--no-reuse-address`).
    fn listening(&self) -> Listening {
        Listening::default()
    }

    /// Prepares what the flags name, before the socket is bound. Lines the operator must read
    /// before `listening on` (a warning, a cap lowered to fit) go to `notes`, `{addr}` standing
    /// for where the server listens. An error is one sentence: the server does not start.
    fn prepare(self, notes: &mut Vec<String>) -> Result<Self::Prepared, String>;
}

/// A client's flags, typed: a clap `Args` struct (see [`LineClient`]). The command line reads
/// what its error lines need from them.
pub trait ClientFlags: clap::Args + clap::FromArgMatches + 'static {
    /// The Unix socket to connect to instead of `--addr` (lesson 11's `--unix PATH`).
    fn unix(&self) -> Option<PathBuf> {
        None
    }

    /// How long the client waits for a reply before it gives up (`--timeout`).
    fn timeout(&self) -> Option<Seconds> {
        None
    }

    /// The wire the user chose (lesson 6's `--wire`): a reply that breaks the frame may be
    /// another wire's.
    fn wire(&self) -> Option<Wire> {
        None
    }

    /// What Ctrl-C must clean up before this client exits, returning what it removed (lesson 8's
    /// unfinished downloads). A process ended by a signal runs no `Drop`, so a client that
    /// leaves files behind on the way names its clean-up here.
    fn on_interrupt(&self) -> Option<fn() -> Vec<PathBuf>> {
        None
    }
}

/// The flags of a side that has none of its own.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct NoFlags {}

impl ServerFlags for NoFlags {
    type Prepared = ();

    fn prepare(self, _: &mut Vec<String>) -> Result<(), String> {
        Ok(())
    }
}

impl ClientFlags for NoFlags {}

/// A server, its flags parsed and prepared: ready to be bound, and then to serve.
pub struct ReadyServer<S> {
    /// Where and how to listen.
    pub listening: Listening,
    /// What to print before `listening on` (see [`ServerFlags::prepare`]).
    pub notes: Vec<String>,
    serve: Box<dyn FnOnce(S) -> io::Result<()> + Send>,
}

impl<S: 'static> ReadyServer<S> {
    fn prepare<F: ServerFlags>(
        flags: F,
        serve: fn(S, F::Prepared) -> io::Result<()>,
    ) -> Result<ReadyServer<S>, String> {
        let listening = flags.listening();
        let mut notes = Vec::new();
        let prepared = flags.prepare(&mut notes)?;
        Ok(ReadyServer {
            listening,
            notes,
            serve: Box::new(move |socket| serve(socket, prepared)),
        })
    }

    /// Serves on `socket`, bound as [`ReadyServer::listening`] says, until Ctrl-C.
    pub fn serve(self, socket: S) -> io::Result<()> {
        (self.serve)(socket)
    }
}

/// A client, its flags parsed: what its error lines need, and the client itself.
pub struct ReadyClient<Run> {
    /// See [`ClientFlags::unix`].
    pub unix: Option<PathBuf>,
    /// See [`ClientFlags::timeout`].
    pub timeout: Option<Seconds>,
    /// See [`ClientFlags::wire`].
    pub wire: Option<Wire>,
    /// See [`ClientFlags::on_interrupt`].
    pub on_interrupt: Option<fn() -> Vec<PathBuf>>,
    pub run: Run,
}

impl<Run> ReadyClient<Run> {
    /// What the error lines need from `flags`, and the client that `run` makes of them.
    fn new<F: ClientFlags>(flags: F, run: impl FnOnce(F) -> Run) -> ReadyClient<Run> {
        ReadyClient {
            unix: flags.unix(),
            timeout: flags.timeout(),
            wire: flags.wire(),
            on_interrupt: flags.on_interrupt(),
            run: run(flags),
        }
    }
}

/// A TCP server with flags `F`: `serve` gets the listening socket and the prepared flags. In the
/// course table: `ServerKind::Tcp(&Tcp::<RobotFlags>(|server, idle| ...))`.
pub struct Tcp<F: ServerFlags>(pub fn(Server, F::Prepared) -> io::Result<()>);

/// A UDP server with flags `F`.
pub struct Udp<F: ServerFlags>(pub fn(UdpServer, F::Prepared) -> io::Result<()>);

/// A line client with flags `F`: `run` gets the server's address, the flags, the typed lines
/// and standard output.
pub struct LineClient<F: ClientFlags>(
    pub fn(SocketAddr, F, Lines, &mut dyn Write) -> io::Result<()>,
);

/// A duplex client with flags `F`.
pub struct DuplexClient<F: ClientFlags>(
    pub fn(SocketAddr, F, OwnedInput, OwnedOutput) -> io::Result<()>,
);

/// `command` with the flags of `F`. A derive's `augment_args` also gives the command the struct's
/// doc comment as its description, which is written for readers of the code; the subcommand
/// keeps the one it had.
pub fn with_flags<F: clap::Args>(command: Command) -> Command {
    use clap::builder::Resettable;
    let kept = |text: Option<&clap::builder::StyledStr>| match text {
        Some(text) => Resettable::Value(text.clone()),
        None => Resettable::Reset,
    };
    let (about, long_about) = (kept(command.get_about()), kept(command.get_long_about()));
    F::augment_args(command).about(about).long_about(long_about)
}

/// The flags in `given`, as the typed struct.
fn typed<F: clap::FromArgMatches>(given: &ArgMatches) -> Result<F, String> {
    F::from_arg_matches(given).map_err(|e| e.to_string())
}

impl<F: ServerFlags> Part<ReadyServer<Server>> for Tcp<F> {
    fn flags(&self, command: Command) -> Command {
        with_flags::<F>(command)
    }

    fn ready(&self, given: &ArgMatches) -> Result<ReadyServer<Server>, String> {
        ReadyServer::prepare(typed::<F>(given)?, self.0)
    }
}

impl<F: ServerFlags> Part<ReadyServer<UdpServer>> for Udp<F> {
    fn flags(&self, command: Command) -> Command {
        with_flags::<F>(command)
    }

    fn ready(&self, given: &ArgMatches) -> Result<ReadyServer<UdpServer>, String> {
        ReadyServer::prepare(typed::<F>(given)?, self.0)
    }
}

impl<F: ClientFlags> Part<ReadyClient<LinesRun>> for LineClient<F> {
    fn flags(&self, command: Command) -> Command {
        with_flags::<F>(command)
    }

    fn ready(&self, given: &ArgMatches) -> Result<ReadyClient<LinesRun>, String> {
        let run = self.0;
        Ok(ReadyClient::new(typed::<F>(given)?, |flags| -> LinesRun {
            Box::new(move |addr, lines, output| run(addr, flags, lines, output))
        }))
    }
}

impl<F: ClientFlags> Part<ReadyClient<DuplexRun>> for DuplexClient<F> {
    fn flags(&self, command: Command) -> Command {
        with_flags::<F>(command)
    }

    fn ready(&self, given: &ArgMatches) -> Result<ReadyClient<DuplexRun>, String> {
        let run = self.0;
        Ok(ReadyClient::new(typed::<F>(given)?, |flags| -> DuplexRun {
            Box::new(move |addr, input, output| run(addr, flags, input, output))
        }))
    }
}

/// Standard input as the line clients see it: one line, one message, as bytes.
///
/// A line is sent exactly as it was typed: bytes, not text, so a line in GBK (what a Windows
/// console in China types) travels as it is, as the tutorial's own client would send it. Its
/// line end (`\n`, or `\r\n` from Windows) is not part of the message.
pub struct Lines<'a> {
    input: &'a mut dyn BufRead,
}

impl<'a> Lines<'a> {
    pub fn new(input: &'a mut dyn BufRead) -> Lines<'a> {
        Lines { input }
    }
}

impl Iterator for Lines<'_> {
    type Item = io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<io::Result<Vec<u8>>> {
        let mut line = Vec::new();
        match self.input.read_until(b'\n', &mut line) {
            Ok(0) => None,
            Ok(_) => {
                if line.last() == Some(&b'\n') {
                    line.pop();
                    if line.last() == Some(&b'\r') {
                        line.pop();
                    }
                }
                Some(Ok(line))
            }
            Err(e) => Some(Err(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_bytes_without_their_line_ends() {
        let mut input: &[u8] = b"hello\r\n\xc4\xe3\xba\xc3\n\nq";
        let lines: Vec<Vec<u8>> = Lines::new(&mut input).map(Result::unwrap).collect();
        assert_eq!(
            lines,
            [
                b"hello".to_vec(),
                b"\xc4\xe3\xba\xc3".to_vec(),
                b"".to_vec(),
                b"q".to_vec()
            ]
        );
    }
}
