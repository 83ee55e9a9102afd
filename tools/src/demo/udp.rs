//! The demo script for lesson 7 (UDP): what datagrams keep, and what they lose.
//!
//! Everything it narrates is forced, never timed:
//! - **three datagrams, three `recvfrom`s** need the server to be slow to read, as in lesson 5.
//!   The demo starts the server only after the client has sent: the datagrams wait in the server
//!   socket's receive queue, and the narration says so.
//! - **truncation** needs a buffer smaller than the datagram: a receiver of the demo's own (not
//!   the lesson's server) reads with a 1-byte buffer.
//! - **a lost datagram** needs a network that loses one, and loopback never does. So the demo
//!   puts a relay of its own between a client and the server, which drops one datagram on
//!   purpose, and says so. The client's wait for the reply that never comes is [`A_MOMENT`]: the
//!   silence is guaranteed by the relay, the wait only decides how long we show it.
//!
//! Every part makes the clients it needs (a UDP socket costs nothing, and none is narrated as
//! "connecting"), so that it can be played alone. Parts 1 and 3 are the scenario engine's
//! experiments (datagrams glued? an empty reply?), the same that `compare` and `grade` play
//! against lesson 7; the others are this demo's own.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};

use super::picture::{Picture, Row};
use super::replay::{Telling, client};
use super::scripts::expect;
use super::sticky::written_before_the_server_reads;
use super::{A_MOMENT, Demo, PATIENCE, Transcript, show};
use crate::scenario::boundaries::{self, Empty, Glued};
use crate::scenario::{Act, Conn, Protocol, Recorder, Target};
use crate::t;
use socket_lessons::datagram::{Datagram, UdpServer};
use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons::timeout::is_timeout;

/// The tutorial's three messages, sent back to back.
const THREE: [&str; 3] = ["hello", "world", "sudada"];

pub fn lesson7(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson7-intro"));
    demo.part(1, &t!("demo-lesson7-part1"), three_datagrams)?;
    demo.part(2, &t!("demo-lesson7-part2"), truncation)?;
    demo.part(3, &t!("demo-lesson7-part3"), empty_datagram)?;
    demo.part(4, &t!("demo-lesson7-part4"), two_clients)?;
    demo.part(5, &t!("demo-lesson7-part5"), lost_datagram)?;
    demo.say(&t!("demo-lesson7-notice"));
    Ok(())
}

/// Part 1: three datagrams queued before the server reads come back as three replies. The
/// server starts only after the client has sent, so this part needs a server nobody has started
/// yet: it is the demo's first.
fn three_datagrams(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson7-three-intro"));
    let run = written_before_the_server_reads(
        demo,
        Protocol::Udp,
        &THREE,
        Some(&t!("demo-lesson7-server-starts")),
    )?;
    expect(&run.finding, |f| *f == Glued::Separate)?;
    // Each reply answers one recvfrom of the server's: its datagrams fall where A's replies do.
    let sent = run.observations.writes("A");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).to_lowercase();
    demo.picture(
        &Picture::new(&sent.concat())
            .row(Row::cut_by(
                &t!("demo-lesson7-client-sends"),
                &sent,
                text,
                &t!("demo-lesson7-three-datagrams"),
            ))
            .row(Row::cut_by(
                &t!("demo-lesson7-server-receives"),
                &run.observations.reads("A"),
                text,
                &t!("demo-lesson7-three-recvfroms"),
            )),
    );
    demo.say(&t!("demo-lesson7-three-notice"));
    Ok(())
}

/// Part 3: an empty datagram is a message, and its reply is one too.
fn empty_datagram(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson7-empty-intro"));
    demo.start_server()?;
    let run = boundaries::empty_reply(&demo.target(Protocol::Udp)?, None);
    demo.replay(&run.observations, &Telling::default());
    expect(&run.finding, |f| *f == Empty::EmptyReply)
}

/// Part 4: one loop answers two clients in turn, and neither waits for the other to leave.
fn two_clients(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson7-two-intro"));
    demo.start_server()?;
    let log = Recorder::new();
    let mut a = DemoUdpClient::new(demo, "A", client("A"), demo.addr, &log)?;
    let mut b = DemoUdpClient::new(demo, "B", client("B"), demo.addr, &log)?;
    a.send("hello from a")?;
    b.send("hi from b")?;
    a.expect_echo("hello from a")?;
    b.expect_echo("hi from b")?;
    demo.draw(&log.observations(Protocol::Udp));
    demo.say(&t!("demo-lesson7-two-notice"));
    Ok(())
}

/// Part 5: a relay of the demo's own drops one datagram, and nothing sends it again.
fn lost_datagram(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson7-lost-intro"));
    demo.start_server()?;
    let relay = Relay::new(demo)?;
    let log = Recorder::new();
    let mut a = DemoUdpClient::new(demo, "A", client("A"), relay.addr, &log)?;
    a.send("one")?;
    relay.pass()?;
    a.expect_echo("one")?;
    a.send("two")?;
    relay.lose()?;
    a.expect_no_reply(&t!("demo-lesson7-gives-up", message = show(b"two")))?;
    a.send("three")?;
    relay.pass()?;
    a.expect_echo("three")?;
    demo.draw(&log.observations(Protocol::Udp));
    demo.say(&t!("demo-lesson7-lost-notice"));
    Ok(())
}

/// Part 2: a receiver with a 1-byte buffer keeps the first byte of each datagram, and no later
/// `recvfrom` ever sees the rest.
fn truncation(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson7-cut-intro"));
    // A `UdpServer` because it knows each datagram's real size; it is stopped when dropped.
    let receiver = UdpServer::bind((Ipv4Addr::LOCALHOST, 0).into(), ShutdownSignal::new())?;
    receiver.socket().set_read_timeout(Some(PATIENCE))?;
    let log = Recorder::new();
    let mut sender = DemoUdpClient::new(
        demo,
        "A",
        t!("demo-lesson7-sender"),
        receiver.local_addr()?,
        &log,
    )?;
    for message in THREE {
        sender.send(message)?;
    }
    let mut one_byte = [0u8; 1];
    for message in THREE {
        let datagram = receive(&receiver, &mut one_byte)?;
        if !datagram.truncated() || one_byte[..datagram.kept] != message.as_bytes()[..1] {
            return Err(unexpected(
                &format!("the first byte of {message:?}"),
                &one_byte,
            ));
        }
        // The receiver is the lesson's own socket, not a connection of the engine's: what its
        // one `recvfrom` returned goes in the same log by hand.
        log.record(
            RECEIVER,
            Act::Reads {
                bytes: one_byte[..datagram.kept].to_vec(),
            },
        );
        demo.transcript.narrate(
            &t!("demo-lesson7-receiver"),
            &t!("demo-lesson7-keeps"),
            t!(
                "demo-lesson7-kept",
                kept = show(&one_byte),
                message = show(message.as_bytes()),
                lost = (message.len() - 1).to_string()
            ),
        );
    }
    receiver.socket().set_read_timeout(Some(A_MOMENT))?;
    match receive(&receiver, &mut one_byte) {
        Err(e) if is_timeout(&e) => {
            log.record(
                RECEIVER,
                Act::Silence {
                    waited_ms: A_MOMENT.as_millis() as u64,
                },
            );
            demo.transcript.narrate(
                &t!("demo-lesson7-receiver"),
                &t!("demo-replay-waits"),
                t!(
                    "demo-lesson7-nothing-more",
                    ms = A_MOMENT.as_millis().to_string()
                ),
            );
        }
        Err(e) => return Err(e),
        Ok(_) => return Err(io::Error::other("the rest of a cut datagram arrived")),
    }
    demo.draw(&log.observations(Protocol::Udp));
    demo.say(&t!("demo-lesson7-cut-notice"));
    Ok(())
}

/// One `recv_from` on a receiver that is never shut down while the demo uses it.
fn receive(receiver: &UdpServer, buf: &mut [u8]) -> io::Result<Datagram> {
    receiver
        .recv_from(buf)
        .unwrap_or_else(|| Err(io::Error::other("the receiver was shut down")))
}

/// The actor part 2's receiver is drawn as (its lanes are named `client B`: the figure's one
/// other socket).
const RECEIVER: &str = "B";

/// A scripted UDP client: a socket of its own, connected to one address (a connection of the
/// scenario engine's, [`Conn`], which records every datagram sent and received in the part's log
/// for the page's drawing), that narrates what it does. Every wait is bounded.
struct DemoUdpClient {
    name: String,
    socket: Conn,
    transcript: Transcript,
}

impl DemoUdpClient {
    /// A client recorded in `log` as `actor` ("A", "B", ...), narrated as `name`.
    fn new(
        demo: &Demo,
        actor: &str,
        name: String,
        to: SocketAddr,
        log: &Recorder,
    ) -> io::Result<DemoUdpClient> {
        demo.inside_a_part("makes a UDP client")?;
        let target = Target {
            addr: to,
            protocol: Protocol::Udp,
            patience: PATIENCE,
        };
        let socket = Conn::open(&target, actor, log).map_err(io::Error::other)?;
        Ok(DemoUdpClient {
            name,
            socket,
            transcript: demo.transcript.clone(),
        })
    }

    /// One `send`: one datagram, even an empty one.
    fn send(&mut self, text: &str) -> io::Result<()> {
        self.socket.write(text.as_bytes())?;
        self.transcript
            .narrate(&self.name, &t!("demo-replay-sends"), show(text.as_bytes()));
        Ok(())
    }

    /// One `recv(1024)`, which must be the echo of `sent` (the course's echo rule).
    fn expect_echo(&mut self, sent: &str) -> io::Result<()> {
        let got = self.socket.read_once(1024)?;
        let expected = sent.as_bytes().to_ascii_uppercase();
        if got != expected {
            return Err(unexpected(&format!("the echo of {sent:?}"), &got));
        }
        self.transcript
            .narrate(&self.name, &t!("demo-replay-receives"), show(&got));
        Ok(())
    }

    /// Waits [`A_MOMENT`] for a reply that must not come.
    fn expect_no_reply(&mut self, what_now: &str) -> io::Result<()> {
        match self.socket.listen(A_MOMENT) {
            Ok(()) => {
                self.transcript.narrate(
                    &self.name,
                    &t!("demo-replay-waits"),
                    t!(
                        "demo-lesson7-no-reply",
                        ms = A_MOMENT.as_millis().to_string(),
                        what_now = what_now
                    ),
                );
                Ok(())
            }
            Err(got) => Err(unexpected("no reply", &got)),
        }
    }
}

/// The demo's stand-in for a network that loses datagrams: a socket between client A and the
/// server that forwards each datagram, and the reply, when the script says [`Relay::pass`], and
/// swallows one when it says [`Relay::lose`]. It works in step with the script, on the demo's own
/// thread, so what it does never depends on timing.
struct Relay {
    socket: UdpSocket,
    addr: SocketAddr,
    server: SocketAddr,
    transcript: Transcript,
}

impl Relay {
    fn new(demo: &Demo) -> io::Result<Relay> {
        demo.inside_a_part("makes a relay")?;
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
        socket.set_read_timeout(Some(PATIENCE))?;
        Ok(Relay {
            addr: socket.local_addr()?,
            socket,
            server: demo.addr,
            transcript: demo.transcript.clone(),
        })
    }

    /// Passes the next datagram on to the server, and the server's reply back to its sender.
    fn pass(&self) -> io::Result<()> {
        let mut buf = [0u8; 1024];
        let (n, client) = self.socket.recv_from(&mut buf)?;
        self.socket.send_to(&buf[..n], self.server)?;
        self.transcript.narrate(
            &t!("demo-lesson7-relay"),
            &t!("demo-lesson7-passes"),
            t!("demo-lesson7-passed", message = show(&buf[..n])),
        );
        let (m, _) = self.socket.recv_from(&mut buf)?;
        self.socket.send_to(&buf[..m], client)?;
        Ok(())
    }

    /// Receives the next datagram, and drops it.
    fn lose(&self) -> io::Result<()> {
        let mut buf = [0u8; 1024];
        let (n, _) = self.socket.recv_from(&mut buf)?;
        self.transcript.narrate(
            &t!("demo-lesson7-relay"),
            &t!("demo-lesson7-drops"),
            t!("demo-lesson7-dropped", message = show(&buf[..n])),
        );
        Ok(())
    }
}

fn unexpected(expected: &str, got: &[u8]) -> io::Error {
    io::Error::other(format!(
        "the demo expected {expected}, but got {}",
        show(got)
    ))
}
