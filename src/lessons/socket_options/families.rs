//! Experiment 8: the same echo over IPv6 and `AF_UNIX`. Lesson 11's own server and client,
//! unchanged: only the address differs.

use std::io;
use std::net::Ipv6Addr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use super::kernel::{Helper, PATIENCE};
use crate::endpoint::Endpoint;
use crate::guard::Guard;
use crate::server::{ListenOptions, Server};
use crate::shutdown::ShutdownSignal;
use crate::stage::Lines;

/// Runs lesson 11's own server on `endpoint` and its own client against it with `message`;
/// returns where the server listened and what the client printed.
pub fn echo_over(endpoint: &Endpoint, message: &str) -> io::Result<(Endpoint, Vec<u8>)> {
    let shutdown = ShutdownSignal::new();
    let server = Server::bind_with(endpoint, ListenOptions::default(), shutdown.clone())?;
    let local = server.local_endpoint()?;
    let guard = Guard::new(4, Some(PATIENCE), Some(PATIENCE));
    let serving = Helper::start("server", move || super::serve(server, guard, false))?;
    let mut output = Vec::new();
    let input = format!("{message}\n");
    let talked = super::client(
        &local,
        false,
        PATIENCE,
        Lines::new(&mut input.as_bytes()),
        &mut output,
    );
    // Ctrl-C, as the command line would give it: the server closes every connection and
    // returns.
    shutdown.trigger();
    serving.finish()??;
    talked?;
    Ok((local, output))
}

/// The IPv6 loopback, port 0.
pub fn ipv6_loopback() -> Endpoint {
    Endpoint::Ip((Ipv6Addr::LOCALHOST, 0).into())
}

/// A fresh folder for a Unix socket, under the system's temporary directory, removed when
/// dropped.
pub struct SocketFolder(pub PathBuf);

impl SocketFolder {
    pub fn new(tag: &str) -> io::Result<SocketFolder> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let folder =
            std::env::temp_dir().join(format!("lesson11-{tag}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&folder)?;
        Ok(SocketFolder(folder))
    }
}

impl Drop for SocketFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
