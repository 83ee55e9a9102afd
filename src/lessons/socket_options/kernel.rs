//! What every experiment starts from: sockets made the way the tutorial makes them, a connected
//! pair on loopback, and a bound on every wait.
//!
//! An experiment must never hang, whatever the kernel does: each blocking call has a timeout (a
//! std socket timeout, or a channel's `recv_timeout` for a helper thread), and a wait that runs
//! out is an error that says what did not happen.

use std::io::{self, ErrorKind};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use socket2::{Domain, Protocol, Socket, Type};

/// The longest any experiment waits for something that should happen at once on loopback (a
/// connection, a reply, a helper thread's result): far longer than it ever takes, and short
/// enough that a test or a demo that meets a stuck kernel fails with a reason instead of hanging.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// The loopback address, port 0: "any free port".
pub fn loopback_any_port() -> SocketAddr {
    (Ipv4Addr::LOCALHOST, 0).into()
}

/// A TCP socket bound to `addr` and listening, made the way the tutorial makes one: `socket`,
/// `setsockopt(SO_REUSEADDR)` or not, `bind`, `listen(backlog)`.
pub fn listener(addr: SocketAddr, reuse_address: bool, backlog: i32) -> io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(reuse_address)?;
    socket.bind(&addr.into())?;
    socket.listen(backlog)?;
    Ok(socket)
}

/// A connected pair on loopback: the client's socket and the server's, each with [`PATIENCE`]
/// as its read and write timeout.
pub fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let server = TcpListener::bind(loopback_any_port())?;
    let client = TcpStream::connect_timeout(&server.local_addr()?, PATIENCE)?;
    let (accepted, _) = server.accept()?;
    for stream in [&client, &accepted] {
        stream.set_read_timeout(Some(PATIENCE))?;
        stream.set_write_timeout(Some(PATIENCE))?;
    }
    Ok((client, accepted))
}

/// Work on a thread of its own (the other end of a connection), whose result is waited for at
/// most [`PATIENCE`].
pub struct Helper<T> {
    result: mpsc::Receiver<T>,
}

impl<T: Send + 'static> Helper<T> {
    /// Starts `work` on a thread named `name`.
    pub fn start(name: &str, work: impl FnOnce() -> T + Send + 'static) -> io::Result<Helper<T>> {
        let (done, result) = mpsc::channel();
        thread::Builder::new().name(name.into()).spawn(move || {
            // (Nobody may be listening any more: the experiment gave up waiting.)
            let _ = done.send(work());
        })?;
        Ok(Helper { result })
    }

    /// Its result, or an error if it did not finish within [`PATIENCE`] (or panicked).
    pub fn finish(self) -> io::Result<T> {
        self.result.recv_timeout(PATIENCE).map_err(|e| {
            let what = match e {
                mpsc::RecvTimeoutError::Timeout => "did not finish in time",
                mpsc::RecvTimeoutError::Disconnected => "stopped without a result (a panic)",
            };
            io::Error::new(
                ErrorKind::TimedOut,
                format!("the experiment's helper {what}"),
            )
        })
    }
}
