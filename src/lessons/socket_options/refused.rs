//! Experiment 4: `connect_ex`. A connection to a port where nobody listens, and the error the
//! kernel gives back: a value, not a crash.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};

use super::kernel::{PATIENCE, loopback_any_port};

/// Connects to a loopback port where nobody listens (one we just had and let go), and returns
/// the error the kernel gave: the value `connect_ex` would return.
pub fn connect_to_closed_port() -> io::Result<(SocketAddr, io::Error)> {
    let addr = TcpListener::bind(loopback_any_port())?.local_addr()?;
    match TcpStream::connect_timeout(&addr, PATIENCE) {
        Err(e) => Ok((addr, e)),
        Ok(_) => Err(io::Error::other(format!(
            "{addr} answered: someone took the port"
        ))),
    }
}
