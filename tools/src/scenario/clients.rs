//! Clients side by side: a second client while the first stays, a third while two stay (under a
//! cap), a hundred at once. What each finds is forced by how the server serves: one client at a
//! time (lesson 3) leaves the second connected and unanswered, a thread per client (lesson 4)
//! answers it at once, a cap (lesson 11) tells the one too many so.

use crate::said::Said;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::wire::request_and_reply;
use super::{Conn, Protocol, Recorder, Run, Target};
use crate::probe::A_MOMENT;

/// "A second client while the first stays": A is served and stays connected; then B speaks.
pub struct SecondClient<'a> {
    /// What A says before B connects, each text one exchange.
    pub first_says: &'a [&'a str],
    /// What B says, once.
    pub second_says: &'a str,
    /// How long B's reply is listened for while A stays: a moment where a wait is the point,
    /// the patience where B is expected to be served at once.
    pub second_waits: Duration,
    /// What A says after that (B answered or still waiting), each text one exchange.
    pub first_then_says: &'a [&'a str],
}

impl SecondClient<'static> {
    /// One exchange each, and B listened to for a moment: what `compare` and `grade` play.
    pub const PLAIN: SecondClient<'static> = SecondClient {
        first_says: &["first"],
        second_says: "second",
        second_waits: A_MOMENT,
        first_then_says: &[],
    };
}

/// What became of the second client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Second {
    /// B was answered while A stayed connected.
    Served,
    /// Nothing for `waited_ms` while A stayed; B was answered once A had left.
    WaitsForFirst { waited_ms: u64 },
    /// Nothing for `waited_ms` while A stayed, and no answer even after A left: `then` is what
    /// came instead.
    NeverServed { waited_ms: u64, then: String },
    /// A itself was not served: `why`.
    FirstNotServed { why: Said },
    /// A client could not connect: `why`.
    CannotConnect { why: Said },
    /// B's request could not go out, or what came back was not its reply (nor silence): `why`.
    SecondNotServed { why: Said },
}

/// Plays "a second client while the first stays" against `target`, as `script` says. A leaves
/// before B's last wait when B was not answered, and after B when it was.
pub fn second_client(target: &Target, script: &SecondClient) -> Run<Second> {
    Run::play(target.protocol, |log| {
        play_second_client(target, script, log)
    })
}

fn play_second_client(target: &Target, script: &SecondClient, log: &Recorder) -> Second {
    let mut a = match Conn::open(target, "A", log) {
        Ok(a) => a,
        Err(why) => return Second::CannotConnect { why },
    };
    for text in script.first_says {
        if let Err(why) = a.exchange(text.as_bytes()) {
            return Second::FirstNotServed { why };
        }
    }
    let mut b = match Conn::open(target, "B", log) {
        Ok(b) => b,
        Err(why) => return Second::CannotConnect { why },
    };
    let (request, reply) = request_and_reply(target.protocol, script.second_says.as_bytes());
    if let Err(why) = b.send(&request) {
        return Second::SecondNotServed { why };
    }
    b.set_wait(script.second_waits);
    let listening = log.len();
    match b.expect(&reply) {
        Ok(()) => {
            for text in script.first_then_says {
                if let Err(why) = a.exchange(text.as_bytes()) {
                    return Second::FirstNotServed { why };
                }
            }
            b.close();
            a.close();
            return Second::Served;
        }
        Err(why) if !log.heard_nothing_since(listening, "B") => {
            return Second::SecondNotServed { why };
        }
        Err(_) => {}
    }
    // Not answered while A stays: does A's leaving let B in?
    let waited_ms = super::record::millis(script.second_waits);
    for text in script.first_then_says {
        if let Err(why) = a.exchange(text.as_bytes()) {
            return Second::FirstNotServed { why };
        }
    }
    a.close();
    b.set_wait(target.patience);
    match b.expect(&reply) {
        Ok(()) => {
            b.close();
            Second::WaitsForFirst { waited_ms }
        }
        Err(then) => Second::NeverServed {
            waited_ms,
            then: then.to_string(),
        },
    }
}

/// What became of a third client while two stay connected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Third {
    /// Answered, as the two before it were.
    Served,
    /// Told in one line that the server is busy (a cap on clients), instead of its reply.
    ToldBusy,
    /// The second client was not answered within a moment: one client at a time.
    SecondWaits,
    /// The third was not answered within a moment.
    ThirdWaits,
    /// Something else came back: `got`.
    MixedUp { got: Vec<u8> },
    /// A client could not connect, or its connection failed: `why`.
    ServerGone { why: Said },
    /// Datagrams have no connections to stay, or to cap.
    NotForDatagrams,
}

/// Two clients served and staying connected, then a third: served, left waiting, or told the
/// server is busy (lesson 11 with `--max-clients 2` turns it away in one line). Each reply is
/// listened for a moment.
pub fn third_client(target: &Target) -> Run<Third> {
    Run::play(target.protocol, |log| {
        if target.protocol == Protocol::Udp {
            Third::NotForDatagrams
        } else {
            play_third_client(target, log)
        }
    })
}

fn play_third_client(target: &Target, log: &Recorder) -> Third {
    let mut staying = Vec::new();
    for (actor, text) in [("A", "first"), ("B", "second")] {
        let mut client = match Conn::open(target, actor, log) {
            Ok(client) => client,
            Err(why) => return Third::ServerGone { why },
        };
        let (request, reply) = request_and_reply(target.protocol, text.as_bytes());
        client.set_wait(A_MOMENT);
        let listening = log.len();
        match client.send(&request).and_then(|()| client.expect(&reply)) {
            Ok(()) => {}
            Err(_) if actor == "B" && log.heard_nothing_since(listening, actor) => {
                return Third::SecondWaits;
            }
            Err(why) => return Third::ServerGone { why },
        }
        staying.push(client);
    }
    let mut third = match Conn::open(target, "C", log) {
        Ok(client) => client,
        Err(why) => return Third::ServerGone { why },
    };
    let (request, reply) = request_and_reply(target.protocol, b"third");
    third.set_wait(A_MOMENT);
    if let Err(why) = third.send(&request) {
        return Third::ServerGone { why };
    }
    let listening = log.len();
    let finding = match third.read_reply(reply.len()) {
        Ok(got) if got == reply => Third::Served,
        Ok(got) if got.starts_with(b"busy") => Third::ToldBusy,
        Ok(got) => Third::MixedUp { got },
        Err(_) if log.heard_nothing_since(listening, "C") => Third::ThirdWaits,
        Err(why) => Third::ServerGone { why },
    };
    third.close();
    for client in staying {
        client.close();
    }
    finding
}

/// How many clients [`hundred_clients`] connects.
pub const HUNDRED: usize = 100;

/// What became of a hundred clients connected at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Hundred {
    /// Every one answered, each with its own reply, within the patience.
    AllAnswered,
    /// Only `connected` connected within the patience (the next could not: `why`; `refused`:
    /// it was refused, rather than left waiting), and of those, `answered` were answered, each
    /// with its own reply, within one patience more.
    NotAllConnected {
        connected: usize,
        answered: usize,
        refused: bool,
        why: Said,
    },
    /// Client number `client` (from 1) could not send: `why`.
    CannotSend { client: usize, why: Said },
    /// Only `answered` were answered within the patience; client `answered + 1`: `why`.
    NotAllAnswered { answered: usize, why: Said },
}

/// A hundred clients connect (all within one patience), each sends `client N`, and each must be
/// answered with its own reply, all within the same patience. When not all of them could
/// connect, those that did are still asked, within one patience more: how many of them the
/// server answered tells a server that accepts slowly from one that answers nobody.
pub fn hundred_clients(target: &Target) -> Run<Hundred> {
    Run::play(target.protocol, |log| play_hundred(target, log))
}

fn play_hundred(target: &Target, log: &Recorder) -> Hundred {
    // One deadline for all of it: a server that takes them one after another, however slowly,
    // must still be done within the patience.
    let deadline = Instant::now() + target.patience;
    let left = || deadline.saturating_duration_since(Instant::now());
    let mut clients = Vec::with_capacity(HUNDRED);
    for i in 0..HUNDRED {
        let within = target.with_patience(left().max(Duration::from_millis(1)));
        match Conn::open(&within, &format!("C{}", i + 1), log) {
            Ok(client) => clients.push(client),
            Err(why) => {
                let refused = log
                    .observations(target.protocol)
                    .events
                    .last()
                    .is_some_and(|e| {
                        matches!(e.act, super::Act::CannotConnect { refused: true, .. })
                    });
                let answered = answered_of(target, &mut clients, Instant::now() + target.patience);
                return Hundred::NotAllConnected {
                    connected: i,
                    answered,
                    refused,
                    why,
                };
            }
        }
    }
    let texts: Vec<Vec<u8>> = (0..HUNDRED)
        .map(|i| format!("client {i}").into_bytes())
        .collect();
    for (i, (client, text)) in clients.iter_mut().zip(&texts).enumerate() {
        if let Err(why) = client.send(&request_and_reply(target.protocol, text).0) {
            return Hundred::CannotSend { client: i + 1, why };
        }
    }
    for (i, (client, text)) in clients.iter_mut().zip(&texts).enumerate() {
        let listening = log.len();
        let answered = if left().is_zero() {
            Err(crate::said!("scenario-no-time-left"))
        } else {
            client.set_wait(left());
            client.expect(&request_and_reply(target.protocol, text).1)
        };
        if let Err(why) = answered {
            // Silence is said against the one deadline of the whole run, not what was left of it.
            let why = if log.heard_nothing_since(listening, client.actor()) {
                let secs = super::wire::secs(target.patience);
                match target.protocol {
                    Protocol::Udp => crate::said!("scenario-no-datagram-within", secs = secs),
                    _ => crate::said!("scenario-no-reply-within", secs = secs),
                }
            } else {
                why
            };
            return Hundred::NotAllAnswered { answered: i, why };
        }
    }
    for client in clients {
        client.close();
    }
    Hundred::AllAnswered
}

/// How many of `clients` are answered, each with its own reply, by `deadline`: each sends
/// `client N`, and then each reads its reply in turn.
fn answered_of(target: &Target, clients: &mut [Conn], deadline: Instant) -> usize {
    let exchanges: Vec<(Vec<u8>, Vec<u8>)> = (0..clients.len())
        .map(|i| request_and_reply(target.protocol, format!("client {i}").as_bytes()))
        .collect();
    let sent: Vec<bool> = clients
        .iter_mut()
        .zip(&exchanges)
        .map(|(client, (request, _))| client.send(request).is_ok())
        .collect();
    let mut answered = 0;
    for ((client, (_, reply)), sent) in clients.iter_mut().zip(&exchanges).zip(sent) {
        let left = deadline.saturating_duration_since(Instant::now());
        if !sent || left.is_zero() {
            continue;
        }
        client.set_wait(left);
        if client.expect(reply).is_ok() {
            answered += 1;
        }
    }
    answered
}
