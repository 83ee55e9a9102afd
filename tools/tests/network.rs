//! The network parts under the stages: IPv6, Unix domain sockets, listening options, and the
//! per-server list of shell commands. Real sockets on loopback (or a temporary path), real threads.

use std::io::{Read, Write};
use std::net::SocketAddr;

use socket_lessons::commands::Commands;
use socket_lessons::endpoint::Endpoint;
use socket_lessons::lessons::concurrent;
use socket_lessons::server::{ListenOptions, Server};
use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons_tools::probe::{self, BoundedThread, PATIENCE};

/// Serves lesson 4 on `endpoint` on a thread; returns the server's real endpoint.
fn serve_lesson4(
    endpoint: &Endpoint,
    shutdown: &ShutdownSignal,
) -> std::io::Result<(Endpoint, BoundedThread<std::io::Result<()>>)> {
    let server = Server::bind_with(endpoint, ListenOptions::default(), shutdown.clone())?;
    let local = server.local_endpoint()?;
    let thread = BoundedThread::spawn("lesson4", move || concurrent::serve(server))?;
    Ok((local, thread))
}

#[test]
fn the_course_listens_with_a_large_backlog_and_address_reuse_on_unix() {
    let options = ListenOptions::default();
    assert_eq!(options.backlog, 4096);
    assert_eq!(options.reuse_address, cfg!(unix));
}

#[cfg(unix)]
#[test]
fn without_address_reuse_a_port_with_a_closing_connection_cannot_be_bound_again() {
    // The server closes a connection first, so its end waits in FIN_WAIT/TIME_WAIT after the
    // listener is gone. Binding that port again is refused without SO_REUSEADDR (the tutorial's
    // "Address already in use") and allowed with it (the course's default).
    let shutdown = ShutdownSignal::new();
    let endpoint = Endpoint::Ip("127.0.0.1:0".parse().unwrap());
    let server = Server::bind_with(&endpoint, ListenOptions::default(), shutdown.clone()).unwrap();
    let addr = server.local_addr().unwrap();
    let mut client = probe::connect(addr).unwrap();
    let (conn, _) = server.accept().expect("a client");
    drop(conn); // the server closes first
    assert_eq!(
        probe::wait_for_end(&mut client).unwrap(),
        probe::End::EndOfStream
    );
    drop(client);
    shutdown.trigger();
    drop(server);

    let without = ListenOptions {
        reuse_address: false,
        ..ListenOptions::default()
    };
    let refused = Server::bind_with(&Endpoint::Ip(addr), without, ShutdownSignal::new());
    assert_eq!(
        refused.err().map(|e| e.kind()),
        Some(std::io::ErrorKind::AddrInUse),
        "without SO_REUSEADDR the port of a closing connection should be in use"
    );
    let again = Server::bind_with(
        &Endpoint::Ip(addr),
        ListenOptions::default(),
        ShutdownSignal::new(),
    );
    assert!(
        again.is_ok(),
        "with SO_REUSEADDR it should bind: {:?}",
        again.err()
    );
}

#[test]
fn lesson4_echoes_over_ipv6() {
    let shutdown = ShutdownSignal::new();
    let endpoint = Endpoint::Ip("[::1]:0".parse().unwrap());
    let (local, server) = match serve_lesson4(&endpoint, &shutdown) {
        Ok(running) => running,
        Err(e) => {
            println!("skipped: this machine has no IPv6 loopback ({e})");
            return;
        }
    };
    let Endpoint::Ip(addr) = local else {
        panic!("an IPv6 server should have an IP address")
    };
    assert!(addr.is_ipv6());
    let mut client = probe::connect(addr).unwrap();
    client.write_all(b"hello over ipv6").unwrap();
    assert_eq!(
        probe::read_exactly(&mut client, 15).unwrap(),
        b"HELLO OVER IPV6"
    );
    shutdown.trigger();
    assert_eq!(
        probe::wait_for_end(&mut client).unwrap(),
        probe::End::EndOfStream
    );
    server.join_within(PATIENCE).unwrap().unwrap();
}

#[cfg(unix)]
#[test]
fn lesson4_echoes_over_a_unix_socket_and_removes_it_when_done() {
    use std::os::unix::net::UnixStream;
    let folder = std::env::temp_dir().join(format!("socket-lessons-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("lesson4.sock");
    let shutdown = ShutdownSignal::new();
    let endpoint = Endpoint::Unix(path.clone());
    let (local, server) = serve_lesson4(&endpoint, &shutdown).unwrap();
    assert_eq!(local, endpoint);
    assert_eq!(local.to_string(), format!("unix:{}", path.display()));

    let mut clients: Vec<UnixStream> = (0..2)
        .map(|_| UnixStream::connect(&path).unwrap())
        .collect();
    for (i, client) in clients.iter_mut().enumerate() {
        client.set_read_timeout(Some(PATIENCE)).unwrap();
        let message = format!("client {i}");
        client.write_all(message.as_bytes()).unwrap();
        let mut reply = vec![0u8; message.len()];
        client.read_exact(&mut reply).unwrap();
        assert_eq!(reply, message.to_ascii_uppercase().as_bytes());
    }
    shutdown.trigger();
    for client in &mut clients {
        let mut buf = [0u8; 8];
        assert_eq!(
            client.read(&mut buf).unwrap(),
            0,
            "shutdown should end every connection"
        );
    }
    server.join_within(PATIENCE).unwrap().unwrap();
    assert!(
        !path.exists(),
        "the socket file should be removed when the server ends"
    );
    let _ = std::fs::remove_dir_all(&folder);
}

#[cfg(unix)]
#[test]
fn a_stale_unix_socket_file_is_replaced_but_no_other_file_is() {
    use std::os::unix::net::UnixListener;
    let folder = std::env::temp_dir().join(format!("socket-lessons-stale-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let stale = folder.join("stale.sock");
    drop(UnixListener::bind(&stale).unwrap()); // a socket file that nobody listens on
    let server = Server::bind_with(
        &Endpoint::Unix(stale.clone()),
        ListenOptions::default(),
        ShutdownSignal::new(),
    );
    assert!(
        server.is_ok(),
        "a stale socket file should not block the server"
    );
    drop(server);

    let plain = folder.join("notes.txt");
    std::fs::write(&plain, "keep me").unwrap();
    let refused = Server::bind_with(
        &Endpoint::Unix(plain.clone()),
        ListenOptions::default(),
        ShutdownSignal::new(),
    );
    assert!(refused.is_err());
    assert_eq!(std::fs::read_to_string(&plain).unwrap(), "keep me");
    let _ = std::fs::remove_dir_all(&folder);
}

#[cfg(unix)]
#[test]
fn each_server_stops_only_its_own_shell_commands() {
    let (first, second) = (ShutdownSignal::new(), ShutdownSignal::new());
    let first_shell = Commands::system_shell(&first).unwrap();
    let second_shell = Commands::system_shell(&second).unwrap();
    first.trigger();
    // A long command on the stopped server ends at once (killed), well before its 600 s...
    let stopped =
        BoundedThread::spawn("stopped shell", move || first_shell.run(b"sleep 600")).unwrap();
    stopped
        .join_within(PATIENCE)
        .expect("the first server's command should be stopped");
    // ...while the other server's commands still run and finish normally.
    assert_eq!(second_shell.run(b"echo still here"), b"still here\n");
    second.trigger();
}

#[test]
fn a_udp_server_is_woken_by_shutdown() {
    use socket_lessons::datagram::UdpServer;
    let shutdown = ShutdownSignal::new();
    let server = UdpServer::bind("127.0.0.1:0".parse().unwrap(), shutdown.clone()).unwrap();
    let addr: SocketAddr = server.local_addr().unwrap();
    let receiving = BoundedThread::spawn("udp", move || {
        let mut buf = [0u8; 16];
        let mut served = 0;
        while let Some(datagram) = server.recv_from(&mut buf) {
            let datagram = datagram.unwrap();
            server
                .send_to(&buf[..datagram.kept], datagram.from)
                .unwrap();
            served += 1;
        }
        served
    })
    .unwrap();
    let client = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    client.set_read_timeout(Some(PATIENCE)).unwrap();
    client.send_to(b"ping", addr).unwrap();
    let mut reply = [0u8; 16];
    let (n, _) = client.recv_from(&mut reply).unwrap();
    assert_eq!(&reply[..n], b"ping");
    shutdown.trigger();
    assert_eq!(receiving.join_within(PATIENCE).unwrap(), 1);
}

#[cfg(unix)]
#[test]
fn a_server_removes_only_its_own_socket_file() {
    let folder = std::env::temp_dir().join(format!("socket-lessons-own-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("shared.sock");
    let endpoint = Endpoint::Unix(path.clone());
    let first =
        Server::bind_with(&endpoint, ListenOptions::default(), ShutdownSignal::new()).unwrap();
    // Someone removes the first server's file and a second server binds the same path.
    std::fs::remove_file(&path).unwrap();
    let second =
        Server::bind_with(&endpoint, ListenOptions::default(), ShutdownSignal::new()).unwrap();
    drop(first);
    assert!(
        path.exists(),
        "the first server removed the second server's socket file"
    );
    drop(second);
    assert!(
        !path.exists(),
        "the second server should remove its own file"
    );
    let _ = std::fs::remove_dir_all(&folder);
}
