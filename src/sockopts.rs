//! The socket options a stage can take from the command line: how the server listens
//! (`--backlog N`, `--no-reuse-address`, `--unix PATH`) and `--nodelay` for either end.
//!
//! Each is a small clap `Args` struct that a stage's flags take in whole (`#[command(flatten)]`),
//! as lesson 11's do. The command line builds every server's listening socket from
//! [`Listening`]: a stage without these flags gets its default, the course's [`ListenOptions`],
//! so that the loop in each stage is the same whichever knobs were turned.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::endpoint::Endpoint;
use crate::flags;
use crate::server::ListenOptions;
use crate::stage;

/// `--backlog N`, `--no-reuse-address` and `--unix PATH`: how a server listens.
#[derive(Debug, Clone, clap::Args)]
pub struct ListenFlags {
    /// How many finished handshakes the kernel queues before we accept them: listen(N)
    /// (Linux caps it at net.core.somaxconn); the tutorial's listen(5) is --backlog 5
    #[arg(
        long,
        value_name = "N",
        default_value_t = ListenOptions::default().backlog,
        value_parser = flags::count::<i32, 0, 65535>,
        allow_negative_numbers = true
    )]
    pub backlog: i32,

    /// Bind without SO_REUSEADDR, as a socket does unless told: restarting right after a stop
    /// then fails with 'Address already in use' while old connections sit in TIME_WAIT
    #[arg(long)]
    pub no_reuse_address: bool,

    #[command(flatten)]
    pub unix: UnixFlag,
}

/// `--unix PATH`: listen on (or connect to) a Unix domain socket instead of `--addr`.
#[derive(Debug, Clone, clap::Args)]
pub struct UnixFlag {
    /// Use the Unix domain socket PATH (AF_UNIX) instead of --addr
    #[arg(
        long = "unix",
        value_name = "PATH",
        value_parser = flags::socket_path,
        conflicts_with = stage::ADDR
    )]
    pub path: Option<PathBuf>,
}

/// `--nodelay`: TCP_NODELAY on every connection (Nagle's algorithm off).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct NodelayFlag {
    /// Set TCP_NODELAY: send small writes at once instead of holding them back until the
    /// previous one is acknowledged (Nagle's algorithm)
    #[arg(long)]
    pub nodelay: bool,
}

/// Where and how a server listens: on `--unix PATH` instead of `--addr` if given, with these
/// options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listening {
    pub unix: Option<PathBuf>,
    pub options: ListenOptions,
}

impl Listening {
    /// Where to listen: the Unix socket if one was asked for, else `addr` (from `--addr`).
    pub fn endpoint(&self, addr: SocketAddr) -> Endpoint {
        match &self.unix {
            Some(path) => Endpoint::Unix(path.clone()),
            None => Endpoint::Ip(addr),
        }
    }

    /// Whether the socket is bound without SO_REUSEADDR although the course would set it: then
    /// a port may be held by a connection in TIME_WAIT (lesson 11's first experiment).
    pub fn refuses_reuse(&self) -> bool {
        ListenOptions::default().reuse_address && !self.options.reuse_address
    }
}

impl ListenFlags {
    /// Where and how these flags ask a server to listen.
    pub fn listening(&self) -> Listening {
        Listening {
            unix: self.unix.path.clone(),
            options: ListenOptions {
                backlog: self.backlog,
                reuse_address: ListenOptions::default().reuse_address && !self.no_reuse_address,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::{Args, Command, FromArgMatches};

    use super::*;

    fn given(args: &[&str]) -> Result<ListenFlags, clap::Error> {
        let command = ListenFlags::augment_args(
            Command::new("server").arg(clap::Arg::new(stage::ADDR).long(stage::ADDR)),
        );
        ListenFlags::from_arg_matches(&command.try_get_matches_from(args)?)
    }

    #[test]
    fn no_flags_give_the_course_defaults() {
        let listening = given(&["server"]).unwrap().listening();
        assert_eq!(listening, Listening::default());
        let addr: SocketAddr = "127.0.0.1:8011".parse().unwrap();
        assert_eq!(listening.endpoint(addr), Endpoint::Ip(addr));
        assert!(!listening.refuses_reuse());
    }

    #[test]
    fn the_flags_turn_the_knobs() {
        let listening = given(&[
            "server",
            "--no-reuse-address",
            "--backlog",
            "5",
            "--unix",
            "/tmp/x.sock",
        ])
        .unwrap()
        .listening();
        assert_eq!(listening.options.backlog, 5);
        assert!(!listening.options.reuse_address);
        assert_eq!(listening.refuses_reuse(), cfg!(unix));
        assert_eq!(
            listening.endpoint("127.0.0.1:1".parse().unwrap()),
            Endpoint::Unix("/tmp/x.sock".into())
        );
        assert!(given(&["server", "--backlog", "-1"]).is_err());
        // A Unix socket is where to listen: with an address as well, one of them is a mistake.
        let both = given(&["server", "--unix", "/tmp/x.sock", "--addr", "127.0.0.1:1"]);
        assert_eq!(
            both.unwrap_err().kind(),
            clap::error::ErrorKind::ArgumentConflict
        );
    }
}
