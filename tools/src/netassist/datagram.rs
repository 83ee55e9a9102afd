//! `netassist` over UDP: every datagram is one block (UDP keeps boundaries, so here a block is
//! a whole message, never a piece of one).

use std::collections::HashMap;
use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::sync::{Arc, Mutex};
use std::thread;

use crossbeam_channel::never;

use super::stream::Peer;
use super::{Session, bind_error, lock};
use crate::probe::BoundedThread;
use socket_lessons::datagram::UdpServer;
use socket_lessons::echo_loop;

/// The largest datagram UDP can carry: a read never cuts one short.
const DATAGRAM_SIZE: usize = 65_535;

/// `udp-server`: shows every datagram with its sender; the input goes to every peer heard from.
pub fn serve(addr: SocketAddr, session: Arc<Session>) -> Result<(), String> {
    let server = UdpServer::bind(addr, session.shutdown.clone()).map_err(|e| {
        let what = crate::t!("netassist-error-cannot-bind", addr = addr.to_string());
        bind_error(&what, &e)
    })?;
    let local = server.local_addr().map_err(|e| e.to_string())?;
    session.announce_listening("udp-server", &local);
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
                    session.count_connection();
                    Peer::new(datagram.from.to_string())
                }));
                let bytes = &buf[..datagram.kept];
                peer.show_received(&session, bytes);
                if session.echo {
                    // The course's one echo-loop defence, as lesson 7's: a datagram "from"
                    // ourselves or from a well-known service is shown, and not echoed.
                    match echo_loop::may_answer(datagram.from, local) {
                        Ok(()) => {
                            peer.send_and_show(&session, bytes, || {
                                server.send_to(bytes, datagram.from).map(drop)
                            });
                        }
                        Err(why) => {
                            session
                                .display
                                .event("not echoed", &peer.label, &why.to_string())
                        }
                    }
                }
            }
        })
        .map_err(|e| e.to_string())?
    };
    {
        let (server, sender) = (Arc::clone(&server), Arc::clone(&session));
        session.spawn_sender(move |message| {
            let mut targets: Vec<(SocketAddr, Arc<Peer>)> = lock(&peers)
                .iter()
                .map(|(addr, peer)| (*addr, Arc::clone(peer)))
                .collect();
            targets.sort_by_key(|(addr, _)| *addr);
            if targets.is_empty() {
                sender
                    .display
                    .notice("not sent", "-", &crate::said!("netassist-no-peer-yet"));
            }
            for (addr, peer) in targets {
                peer.send_and_show(&sender, message, || server.send_to(message, addr).map(drop));
            }
            true
        })?;
    }
    session.stop_serving(receiving, "udp-server")
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
    let socket = UdpSocket::bind(any)
        .map_err(|e| crate::t!("netassist-error-cannot-bind-udp", error = e.to_string()))?;
    // Connected: only `addr`'s datagrams reach us, and send needs no address.
    socket.connect(addr).map_err(|e| {
        crate::t!(
            "netassist-error-cannot-use",
            addr = addr.to_string(),
            error = e.to_string()
        )
    })?;
    let peer = Peer::new(addr.to_string());
    session.count_connection();
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
                            session.display.notice(
                                "refused",
                                &peer.label,
                                &crate::said!("netassist-icmp-unreachable"),
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
    let input_ended = {
        let (sender, peer) = (Arc::clone(&session), Arc::clone(&peer));
        let socket = socket.try_clone().map_err(|e| e.to_string())?;
        session.spawn_sender(move |message| {
            peer.send_and_show(&sender, message, || socket.send(message).map(drop));
            true
        })?
    };
    // A UDP peer never closes: only Ctrl-C, or --wait after the input ended, ends a client.
    session.wait_for_end(input_ended, |_| {}, &never::<()>());
    session.print_counters();
    Ok(())
}
