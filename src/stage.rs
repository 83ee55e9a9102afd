//! The parts a stage is made of, as the course table ([`crate::course`]) names them: what kind of
//! server it runs, what kind of client it has, and the flags it adds to either.
//!
//! They live apart from the table so that the parts that use them (the command line, the demo
//! runner, the command service's `--shell` flag) need not depend on every stage of the course.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufRead, Write};
use std::net::SocketAddr;

use crate::datagram::UdpServer;
use crate::server::Server;

/// What kind of server a stage runs, and how it is started. Each gets the socket, already bound
/// (so that the command line can say where it listens before it serves), and the stage's flags.
#[derive(Clone, Copy)]
pub enum ServerKind {
    /// No server: the stage is experiments only, shown by its demo.
    None,
    /// A TCP server: a listening socket that Ctrl-C can stop.
    Tcp(fn(Server, &Options) -> io::Result<()>),
    /// A UDP server: a datagram socket that Ctrl-C can stop.
    Udp(fn(UdpServer, &Options) -> io::Result<()>),
}

/// What kind of client a stage has.
#[derive(Clone, Copy)]
pub enum ClientKind {
    /// No client of its own.
    None,
    /// One line of input is one message; replies are printed as they come back.
    Lines(fn(SocketAddr, &Options, Lines, &mut dyn Write) -> io::Result<()>),
    /// Prints what arrives *while* the user types (a chat room): one thread reads the input,
    /// another prints, so both ends come owned.
    Duplex(fn(SocketAddr, &Options, OwnedInput, OwnedOutput) -> io::Result<()>),
    /// A client with commands of its own (`client get NAME`). `commands` adds them to the
    /// `client` subcommand (a clap derive's `augment_subcommands` fits); `run` gets what was
    /// chosen, or `None` when no command was given (then it reads typed lines instead).
    Commands {
        commands: fn(clap::Command) -> clap::Command,
        run: fn(
            SocketAddr,
            &Options,
            Chosen<'_>,
            &mut dyn BufRead,
            &mut dyn Write,
        ) -> io::Result<()>,
    },
}

/// Standard input, handed to a duplex client's reading thread.
pub type OwnedInput = Box<dyn BufRead + Send>;
/// Standard output, shared by a duplex client's threads.
pub type OwnedOutput = Box<dyn Write + Send>;
/// The `client` subcommand's matches when the user chose one of the client's own commands.
pub type Chosen<'a> = Option<&'a clap::ArgMatches>;

/// A flag a stage adds to its server or client: `--shell`, `--root DIR`, `--timeout SECS`.
#[derive(Debug)]
pub struct Flag {
    /// The long name, without the dashes.
    pub name: &'static str,
    pub help: &'static str,
    /// `None`: a switch, on or off. `Some(NAME)`: it takes a value, shown as NAME in `--help`.
    pub value_name: Option<&'static str>,
    /// The value when the flag is not given (only for flags that take one).
    pub default: Option<&'static str>,
    /// Which of `server` and `client` take it.
    pub side: Side,
    /// Printed on stderr (not logged, so no `RUST_LOG` hides it) when the flag is given to a
    /// server, before it starts serving; `{addr}` in it stands for the address it listens on.
    pub warning: Option<&'static str>,
}

/// Which part of a stage a flag belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Server,
    Client,
    Both,
}

impl Side {
    pub fn includes(self, side: Side) -> bool {
        self == Side::Both || self == side
    }
}

impl Flag {
    /// A server switch (`--shell`).
    pub const fn switch(name: &'static str, help: &'static str) -> Flag {
        Flag {
            name,
            help,
            value_name: None,
            default: None,
            side: Side::Server,
            warning: None,
        }
    }

    /// A server flag that takes a value, with its default (`--root DIR`, default `./files`).
    pub const fn value(
        name: &'static str,
        value_name: &'static str,
        default: &'static str,
        help: &'static str,
    ) -> Flag {
        Flag {
            name,
            help,
            value_name: Some(value_name),
            default: Some(default),
            side: Side::Server,
            warning: None,
        }
    }

    /// The same flag, for the other side(s).
    pub const fn on(mut self, side: Side) -> Flag {
        self.side = side;
        self
    }

    /// The same flag, with a warning printed whenever a server is started with it.
    pub const fn warning(mut self, warning: &'static str) -> Flag {
        self.warning = Some(warning);
        self
    }
}

/// The stage flags given on the command line (or their defaults). A demo passes
/// `Options::default()`: every switch off, every value at its default.
#[derive(Debug, Default, Clone)]
pub struct Options {
    switches: BTreeSet<&'static str>,
    values: BTreeMap<&'static str, String>,
}

impl Options {
    /// Whether switch `flag` was given.
    pub fn is_set(&self, flag: &Flag) -> bool {
        self.switches.contains(flag.name)
    }

    /// The value of `flag`: what was given, or its default.
    pub fn value(&self, flag: &Flag) -> Option<&str> {
        self.values
            .get(flag.name)
            .map(String::as_str)
            .or(flag.default)
    }

    /// The value of `flag`, parsed; the error names the flag and the value.
    pub fn parse<T: std::str::FromStr>(&self, flag: &Flag) -> Result<T, String>
    where
        T::Err: std::fmt::Display,
    {
        let text = self
            .value(flag)
            .ok_or_else(|| format!("--{} needs a value", flag.name))?;
        text.parse()
            .map_err(|e| format!("--{} {text}: {e}", flag.name))
    }

    /// The value of `flag` as a length of time: a number of seconds above 0, fractions allowed
    /// (`2`, `0.5`). The error names the flag and the value.
    pub fn seconds(&self, flag: &Flag) -> Result<std::time::Duration, String> {
        let text = self
            .value(flag)
            .ok_or_else(|| format!("--{} needs a value", flag.name))?;
        // One sentence for every bad value: `abc` (not a number), `0`, `-1`, `inf`.
        text.parse::<f64>()
            .ok()
            .and_then(|seconds| std::time::Duration::try_from_secs_f64(seconds).ok())
            .filter(|duration| !duration.is_zero())
            .ok_or_else(|| {
                format!(
                    "--{} {text}: expected a number of seconds above 0, like 2 or 0.5",
                    flag.name
                )
            })
    }

    /// Records a switch as given (the command line does this; so can a test).
    pub fn set(&mut self, flag: &Flag) -> &mut Options {
        self.switches.insert(flag.name);
        self
    }

    /// Records a value as given.
    pub fn set_value(&mut self, flag: &Flag, value: impl Into<String>) -> &mut Options {
        self.values.insert(flag.name, value.into());
        self
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
