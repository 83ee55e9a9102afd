//! The UDP echo loop, and the one defence against it that lesson 7 and `netassist --echo` share.
//!
//! An echo server answers every datagram to the address it came from. On UDP that address is
//! whatever the sender wrote into the packet: nothing checks it, because there is no handshake
//! (TCP's first round trip would fail to reach a forged address). So anybody can send an echo
//! server a datagram that says it comes from somewhere else, and the answer goes there:
//!
//! - **from the server itself.** The server answers itself, receives its own answer as a new
//!   datagram, answers that, and so on, forever, from one datagram: a core kept busy, and a log
//!   line per turn (lesson 7 used to grow its log by about 21 MB a second).
//! - **from another echo server.** The two answer each other forever. This is the classic loop
//!   of the 1990s: a datagram forged between the echo service (port 7) of one machine and the
//!   chargen service (port 19, which answers anything with a line of characters) of another kept
//!   both busy and filled the network between them (CERT advisory CA-1996-01). It is why those
//!   services are switched off almost everywhere today.
//!
//! The defence is a rule about *whom* we answer, checked before each answer:
//!
//! - **never our own address**;
//! - **never a well-known service port**, below 1024 (echo 7, discard 9, daytime 13, chargen 19,
//!   time 37, DNS 53, NTP 123, ...): the services that answer datagrams on their own are there,
//!   and a client's port is never there (the kernel gives clients ports from 32768 up, and a
//!   port below 1024 needs root to bind).
//!
//! It cannot stop everything: two echo servers on ordinary ports (two lesson 7 servers, say)
//! can still be set against each other by one forged datagram, since each is an ordinary peer to
//! the other. What bounds that case is the log: lesson 7 logs its datagrams at most once a
//! second ([`crate::datagram::DatagramLog`]), so no input, loop or flood, can grow the log
//! without bound. The rest is the old advice: do not leave an echo service open to the world.

use std::fmt;
use std::net::SocketAddr;

/// Ports below this are the well-known services' (and binding one needs root): never answered.
pub const FIRST_UNPRIVILEGED_PORT: u16 = 1024;

/// Why a datagram is not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAnswered {
    /// It says it comes from this server's own address.
    OwnAddress,
    /// It comes from a well-known service's port (below [`FIRST_UNPRIVILEGED_PORT`]).
    ServicePort(u16),
}

impl fmt::Display for NotAnswered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotAnswered::OwnAddress => write!(
                f,
                "it says it comes from this server's own address (an answer would answer \
                 itself, forever)"
            ),
            NotAnswered::ServicePort(port) => write!(
                f,
                "it comes from port {port}, a well-known service's (below \
                 {FIRST_UNPRIVILEGED_PORT}): an answer could start an echo loop with it"
            ),
        }
    }
}

// ANCHOR: may_answer
/// Whether a server at `local` may answer a datagram from `from`.
///
/// A server bound to every interface (`0.0.0.0`, `::`) does not know which of its addresses a
/// datagram was sent to, so for it any datagram from its own port counts as its own.
pub fn may_answer(from: SocketAddr, local: SocketAddr) -> Result<(), NotAnswered> {
    let ours = if local.ip().is_unspecified() {
        from.port() == local.port()
    } else {
        from == local
    };
    if ours {
        Err(NotAnswered::OwnAddress)
    } else if from.port() < FIRST_UNPRIVILEGED_PORT {
        Err(NotAnswered::ServicePort(from.port()))
    } else {
        Ok(())
    }
}
// ANCHOR_END: may_answer

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_server_never_answers_its_own_address() {
        let local = addr("127.0.0.1:8007");
        assert_eq!(may_answer(local, local), Err(NotAnswered::OwnAddress));
        // Another loopback address, the same port: somebody else (a server there is not us).
        assert_eq!(may_answer(addr("127.0.0.2:8007"), local), Ok(()));
        let v6 = addr("[::1]:8007");
        assert_eq!(may_answer(v6, v6), Err(NotAnswered::OwnAddress));
    }

    #[test]
    fn a_server_on_every_interface_takes_its_own_port_for_its_own_address() {
        for local in ["0.0.0.0:8007", "[::]:8007"] {
            let local = addr(local);
            for from in ["127.0.0.1:8007", "10.0.0.5:8007", "[::1]:8007"] {
                assert_eq!(
                    may_answer(addr(from), local),
                    Err(NotAnswered::OwnAddress),
                    "{from}"
                );
            }
            assert_eq!(may_answer(addr("10.0.0.5:50000"), local), Ok(()));
        }
    }

    #[test]
    fn the_well_known_service_ports_are_never_answered() {
        let local = addr("127.0.0.1:8007");
        // echo, discard, daytime, chargen, time, DNS, NTP, and the last of them.
        for port in [7, 9, 13, 19, 37, 53, 123, 1023, 0] {
            let from = SocketAddr::new(local.ip(), port);
            assert_eq!(
                may_answer(from, local),
                Err(NotAnswered::ServicePort(port)),
                "{from}"
            );
        }
        for port in [1024, 8008, 32768, 60999, 65535] {
            assert_eq!(may_answer(SocketAddr::new(local.ip(), port), local), Ok(()));
        }
    }

    #[test]
    fn the_reasons_say_what_was_not_done_and_why() {
        assert!(NotAnswered::OwnAddress.to_string().contains("own address"));
        assert!(NotAnswered::ServicePort(19).to_string().contains("port 19"));
    }
}
