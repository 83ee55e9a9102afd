//! `netassist` over UDP: every datagram is one block (UDP keeps boundaries, so here a block is
//! a whole message, never a piece of one).

use std::collections::HashMap;
use std::io::{self, ErrorKind};
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

use crossbeam_channel::{after, never, select};

use super::Session;
use super::stream::Peer;
use crate::datagram::UdpServer;
use crate::probe::{BoundedThread, LISTENING_ON, PATIENCE};

/// The largest datagram UDP can carry: a read never cuts one short.
const DATAGRAM_SIZE: usize = 65_535;

/// `udp-server`: shows every datagram with its sender; the input goes to every peer heard from.
pub fn serve(addr: SocketAddr, session: Arc<Session>) -> Result<(), String> {
    let server = UdpServer::bind(addr, session.shutdown.clone()).map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => format!(
            "cannot bind {addr}: the address is already in use; pick another with --addr \
             HOST:PORT"
        ),
        _ => format!("cannot bind {addr}: {e}"),
    })?;
    let local = server.local_addr().map_err(|e| e.to_string())?;
    eprintln!("netassist udp-server (Ctrl-C stops it) {LISTENING_ON}{local}");
    session.display.event("listening", &local.to_string(), "");
    let server = Arc::new(server);
    let peers: Arc<Mutex<HashMap<SocketAddr, Arc<Peer>>>> = Arc::default();

    let receiving = {
        let (server, session, peers) = (
            Arc::clone(&server),
            Arc::clone(&session),
            Arc::clone(&peers),
        );
        BoundedThread::spawn("receiver", move || {
            let mut buf = vec![0u8; DATAGRAM_SIZE];
            while let Some(received) = server.recv_from(&mut buf) {
                let datagram = match received {
                    Ok(datagram) => datagram,
                    // An ICMP "port unreachable" for an earlier reply of ours, on some systems.
                    Err(e) => {
                        session.display.event("receive failed", "-", &e.to_string());
                        continue;
                    }
                };
                let peer = Arc::clone(lock(&peers).entry(datagram.from).or_insert_with(|| {
                    session
                        .display
                        .counters
                        .connections
                        .fetch_add(1, Ordering::Relaxed);
                    Peer::new(datagram.from.to_string())
                }));
                let bytes = &buf[..datagram.kept];
                peer.show_received(&session, bytes);
                if session.echo {
                    match server.send_to(bytes, datagram.from) {
                        Ok(_) => peer.show_sent(&session, bytes),
                        Err(e) => session
                            .display
                            .event("send failed", &peer.label, &e.to_string()),
                    }
                }
            }
        })
        .map_err(|e| e.to_string())?
    };
    {
        let (server, session, peers) = (
            Arc::clone(&server),
            Arc::clone(&session),
            Arc::clone(&peers),
        );
        // Not joined: it may wait on a terminal until the process ends.
        thread::Builder::new()
            .name("sender".into())
            .spawn(move || {
                let mut input = io::stdin().lock();
                let _ = session
                    .sending
                    .run(&mut input, &session.shutdown, |message| {
                        let mut targets: Vec<(SocketAddr, Arc<Peer>)> = lock(&peers)
                            .iter()
                            .map(|(addr, peer)| (*addr, Arc::clone(peer)))
                            .collect();
                        targets.sort_by_key(|(addr, _)| *addr);
                        if targets.is_empty() {
                            session.display.event(
                                "not sent",
                                "-",
                                "no peer has sent anything (yet)",
                            );
                        }
                        for (addr, peer) in targets {
                            match server.send_to(message, addr) {
                                Ok(_) => peer.show_sent(&session, message),
                                Err(e) => session.display.event(
                                    "send failed",
                                    &peer.label,
                                    &e.to_string(),
                                ),
                            }
                        }
                        true
                    });
            })
            .map_err(|e| e.to_string())?;
    }
    session.shutdown.wait();
    receiving.join_within(PATIENCE).map_err(|e| e.to_string())?;
    let _quiet = session.sending.hold();
    session.display.counters();
    eprintln!("netassist udp-server stopped");
    Ok(())
}

/// `udp-client`: sends the input as datagrams to `addr`, shows every datagram that comes back.
pub fn connect(addr: SocketAddr, session: Arc<Session>) -> Result<(), String> {
    let any = SocketAddr::new(
        if addr.is_ipv4() {
            std::net::Ipv4Addr::UNSPECIFIED.into()
        } else {
            std::net::Ipv6Addr::UNSPECIFIED.into()
        },
        0,
    );
    let socket = UdpSocket::bind(any).map_err(|e| format!("cannot bind a UDP socket: {e}"))?;
    // Connected: only `addr`'s datagrams reach us, and send needs no address.
    socket
        .connect(addr)
        .map_err(|e| format!("cannot use {addr}: {e}"))?;
    let peer = Peer::new(addr.to_string());
    session
        .display
        .counters
        .connections
        .fetch_add(1, Ordering::Relaxed);
    {
        let (session, peer) = (Arc::clone(&session), Arc::clone(&peer));
        let socket = socket.try_clone().map_err(|e| e.to_string())?;
        // Not joined: a UDP socket's blocked `recv` has nothing to wake it (no close, no end of
        // stream); it ends with the process, after the counters.
        thread::Builder::new()
            .name("receiver".into())
            .spawn(move || {
                let mut buf = vec![0u8; DATAGRAM_SIZE];
                loop {
                    match socket.recv(&mut buf) {
                        Ok(n) => peer.show_received(&session, &buf[..n]),
                        Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
                            session.display.event(
                                "refused",
                                &peer.label,
                                "nothing is listening there (ICMP port unreachable)",
                            )
                        }
                        Err(e) if e.kind() == ErrorKind::Interrupted => {}
                        Err(e) => {
                            session
                                .display
                                .event("receive failed", &peer.label, &e.to_string());
                            break;
                        }
                    }
                }
            })
            .map_err(|e| e.to_string())?;
    }
    let (input_done, input_ended) = crossbeam_channel::bounded::<()>(1);
    {
        let (session, peer) = (Arc::clone(&session), Arc::clone(&peer));
        let socket = socket.try_clone().map_err(|e| e.to_string())?;
        thread::Builder::new()
            .name("sender".into())
            .spawn(move || {
                let mut input = io::stdin().lock();
                let _ = session
                    .sending
                    .run(&mut input, &session.shutdown, |message| {
                        match socket.send(message) {
                            Ok(_) => peer.show_sent(&session, message),
                            Err(e) => {
                                session
                                    .display
                                    .event("send failed", &peer.label, &e.to_string())
                            }
                        }
                        true
                    });
                let _ = input_done.send(());
            })
            .map_err(|e| e.to_string())?;
    }
    let mut deadline = never();
    let mut input_open = input_ended;
    loop {
        select! {
            recv(session.shutdown.signal()) -> _ => break,
            recv(input_open) -> _ => {
                input_open = never();
                if let Some(wait) = session.wait {
                    deadline = after(wait);
                }
            }
            recv(deadline) -> _ => break,
        }
    }
    let _quiet = session.sending.hold();
    session.display.counters();
    Ok(())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
