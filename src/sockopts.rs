//! The socket options a stage can take from the command line: how the server listens
//! (`--backlog N`, `--no-reuse-address`, `--unix PATH`) and `--nodelay` for either end.
//!
//! The command line builds every server's listening socket from these flags (a stage that does
//! not declare them gets their defaults, which are the course's [`ListenOptions`]), so that any
//! stage can offer them by naming them in its course entry, as lesson 11 does.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::endpoint::Endpoint;
use crate::server::ListenOptions;
use crate::stage::{Flag, Options, Side};

/// `--backlog N`: the `listen(N)` of the tutorial. The default is the course's (see
/// [`ListenOptions::default`]); a test checks the two agree.
pub static BACKLOG: Flag = Flag::value(
    "backlog",
    "N",
    "4096",
    "How many finished handshakes the kernel queues before we accept them: listen(N) \
     (Linux caps it at net.core.somaxconn); the tutorial's listen(5) is --backlog 5",
);

/// `--no-reuse-address`: the tutorial's server without `SO_REUSEADDR`.
pub static NO_REUSE_ADDRESS: Flag = Flag::switch(
    "no-reuse-address",
    "Bind without SO_REUSEADDR, as a socket does unless told: restarting right after a stop \
     then fails with 'Address already in use' while old connections sit in TIME_WAIT",
);

/// `--unix PATH`: listen on (or connect to) a Unix domain socket instead of `--addr`.
pub static UNIX: Flag = Flag {
    name: "unix",
    help: "Use the Unix domain socket PATH (AF_UNIX) instead of --addr",
    value_name: Some("PATH"),
    default: None,
    side: Side::Both,
    warning: None,
};

/// `--nodelay`: TCP_NODELAY on every connection (Nagle's algorithm off).
pub static NODELAY: Flag = Flag::switch(
    "nodelay",
    "Set TCP_NODELAY: send small writes at once instead of holding them back until the \
     previous one is acknowledged (Nagle's algorithm)",
)
.on(Side::Both);

/// Where to listen or connect: `--unix PATH` if given, else `addr` (from `--addr`).
pub fn endpoint(addr: SocketAddr, options: &Options) -> Endpoint {
    match options.value(&UNIX) {
        Some(path) => Endpoint::Unix(PathBuf::from(path)),
        None => Endpoint::Ip(addr),
    }
}

/// The listening options the flags ask for.
pub fn listen_options(options: &Options) -> io::Result<ListenOptions> {
    let backlog: i32 = options
        .parse(&BACKLOG)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    if backlog < 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("--backlog {backlog}: expected 0 or more"),
        ));
    }
    Ok(ListenOptions {
        backlog,
        reuse_address: ListenOptions::default().reuse_address && !options.is_set(&NO_REUSE_ADDRESS),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_flags_give_the_course_defaults() {
        assert_eq!(
            listen_options(&Options::default()).unwrap(),
            ListenOptions::default()
        );
        let addr: SocketAddr = "127.0.0.1:8011".parse().unwrap();
        assert_eq!(endpoint(addr, &Options::default()), Endpoint::Ip(addr));
    }

    #[test]
    fn the_flags_turn_the_knobs() {
        let mut options = Options::default();
        options
            .set(&NO_REUSE_ADDRESS)
            .set_value(&BACKLOG, "5")
            .set_value(&UNIX, "/tmp/x.sock");
        let listen = listen_options(&options).unwrap();
        assert_eq!(listen.backlog, 5);
        assert!(!listen.reuse_address);
        assert_eq!(
            endpoint("127.0.0.1:1".parse().unwrap(), &options),
            Endpoint::Unix("/tmp/x.sock".into())
        );
        options.set_value(&BACKLOG, "-1");
        assert!(listen_options(&options).is_err());
    }
}
