//! Where a server listens or a client connects: an IP address and port, or (on Unix) a path.
//!
//! The lessons speak TCP and UDP over IP, so `--addr` takes `HOST:PORT`. Lesson 11 and the tools
//! also speak over Unix domain sockets (`AF_UNIX`), which are named by a path in the file system:
//! written `unix:PATH` wherever an endpoint is asked for.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

/// An address to listen on or connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// TCP or UDP over IPv4 or IPv6: `127.0.0.1:8003`, `[::1]:8003`.
    Ip(SocketAddr),
    /// A Unix domain socket: `unix:/tmp/lesson11.sock`.
    Unix(PathBuf),
}

impl Endpoint {
    /// Parses `HOST:PORT` (see [`parse_addr`]) or `unix:PATH`.
    pub fn parse(text: &str) -> Result<Endpoint, String> {
        match text.strip_prefix("unix:") {
            Some("") => Err(crate::t!("value-unix-needs-a-path")),
            Some(path) => Ok(Endpoint::Unix(PathBuf::from(path))),
            None => parse_addr(text).map(Endpoint::Ip),
        }
    }
}

impl From<SocketAddr> for Endpoint {
    fn from(addr: SocketAddr) -> Endpoint {
        Endpoint::Ip(addr)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Ip(addr) => write!(f, "{addr}"),
            Endpoint::Unix(path) => write!(f, "unix:{}", path.display()),
        }
    }
}

/// Where a program on this machine reaches a server bound to `addr`: at `addr` itself, except
/// that a server bound to "every interface" (0.0.0.0 or ::) cannot be connected to at that
/// address, and loopback reaches it.
pub fn reachable(mut addr: SocketAddr) -> SocketAddr {
    if addr.ip().is_unspecified() {
        addr.set_ip(loopback_like(addr));
    }
    addr
}

/// The loopback address of `addr`'s family: 127.0.0.1 or ::1.
pub fn loopback_like(addr: SocketAddr) -> IpAddr {
    match addr {
        SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
        SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
    }
}

/// Accepts `127.0.0.1:8003`, `[::1]:8003` and `localhost:8003`.
///
/// A name like `localhost` can stand for several addresses (127.0.0.1 and ::1). Servers and
/// clients must pick the same one, so both prefer IPv4, which is what the default address is.
/// Write `[::1]:8003` to choose IPv6.
pub fn parse_addr(text: &str) -> Result<SocketAddr, String> {
    let addrs: Vec<SocketAddr> = text
        .to_socket_addrs()
        .map_err(|e| crate::t!("value-addr", error = e.to_string()))?
        .collect();
    addrs
        .iter()
        .find(|addr| addr.is_ipv4())
        .or(addrs.first())
        .copied()
        .ok_or_else(|| crate::t!("value-addr-resolves-to-nothing", text = text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_and_unix_endpoints_parse_and_print_alike() {
        for text in ["127.0.0.1:8003", "[::1]:8003", "unix:/tmp/x.sock"] {
            assert_eq!(Endpoint::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            Endpoint::parse("localhost:7").unwrap(),
            Endpoint::Ip("127.0.0.1:7".parse().unwrap())
        );
        assert!(Endpoint::parse("unix:").is_err());
        assert!(Endpoint::parse("nonsense").is_err());
    }
}
