//! Requests re-cut by the `chaos` proxy on their way: the sticky-packet experiment that fails a
//! wrong reader on every run, on every machine.
//!
//! Client A writes three requests in one write to a `chaos` proxy run inside this program,
//! which passes them to the server cut into pieces of 1 to 3 bytes, the cuts drawn from a fixed
//! seed, 5 ms apart, so that the server reads them apart. A server that takes one read for a
//! message, or trusts a read to return the 4 bytes of a length, meets a read that cuts one in two
//! (no 4 bytes in a row escape a cut of at most 3 bytes) unless it is more than 5 ms late at
//! every cut. What A hears back must be the three replies, whole and in order.
//!
//! The same cut is one command away for a student (`chaos --up split:random:1-3@5 --seed 19`,
//! in front of their own server): [`chaos_command`] says it.

use crate::said::Said;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::record::{Act, SERVER};
use super::wire::{request_and_reply, shown};
use super::{Conn, Protocol, Run, Target};
use crate::chaos::{self, Proxy, Report, Way};

/// The seed of the cuts: fixed, so a failure is the same on every run and every machine.
pub const SEED: u64 = 19;
/// How the proxy cuts what the client writes.
pub const CUT: &str = "split:random:1-3@5";
/// What the client says, three requests in one write.
pub const TEXTS: [&str; 3] = ["first", "second", "third"];

/// What became of three requests re-cut on their way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rechunked {
    /// Every reply came, whole and in order; the server read the requests in `reads` pieces.
    Answered { reads: usize },
    /// Reply number `reply` (from 0) was not what it should be: `why`.
    NotAnswered { reply: usize, why: Said },
    /// The proxy could not be started, or the client could not connect or send: `why`.
    CannotStart { why: Said },
}

/// The `chaos` command that makes the same cuts in front of a server at `addr`.
pub fn chaos_command(addr: SocketAddr) -> String {
    format!("cargo run --bin chaos -- --to {addr} --up {CUT} --seed {SEED}")
}

/// Three requests, in one write, through the proxy; then their replies.
pub fn through_chaos(target: &Target) -> Run<Rechunked> {
    let proxy = start_proxy(target.addr);
    Run::play(target.protocol, |log| {
        let (proxy, pieces) = match proxy {
            Ok(started) => started,
            Err(why) => return Rechunked::CannotStart { why },
        };
        let via = Target {
            addr: proxy.addr,
            ..target.clone()
        };
        let mut a = match Conn::open(&via, "A", log) {
            Ok(a) => a,
            Err(why) => return Rechunked::CannotStart { why },
        };
        let exchanges: Vec<(Vec<u8>, Vec<u8>)> = TEXTS
            .iter()
            .map(|text| request_and_reply(target.protocol, text.as_bytes()))
            .collect();
        let written: Vec<u8> = exchanges.iter().flat_map(|(r, _)| r.clone()).collect();
        if let Err(why) = a.send(&written) {
            return Rechunked::CannotStart { why };
        }
        // What the proxy passed on, piece by piece, is what the server read, read by read.
        let passed = passed_on(&pieces, written.len(), target.patience);
        for piece in &passed {
            log.record(
                SERVER,
                Act::Reads {
                    bytes: piece.clone(),
                },
            );
        }
        let finding = if target.protocol == Protocol::Echo {
            let all: Vec<u8> = exchanges.iter().flat_map(|(_, r)| r.clone()).collect();
            match a.expect(&all) {
                Ok(()) => Rechunked::Answered {
                    reads: passed.len(),
                },
                Err(why) => Rechunked::NotAnswered { reply: 0, why },
            }
        } else {
            let mut finding = Rechunked::Answered {
                reads: passed.len(),
            };
            for (reply, (_, expected)) in exchanges.iter().enumerate() {
                if let Err(why) = a.expect(expected) {
                    finding = Rechunked::NotAnswered { reply, why };
                    break;
                }
            }
            finding
        };
        a.close();
        drop(proxy);
        finding
    })
}

type Pieces = std::sync::Arc<std::sync::Mutex<Vec<chaos::Piece>>>;

/// A proxy to `to`, cutting as [`CUT`] says with [`SEED`], keeping the pieces it writes.
fn start_proxy(to: SocketAddr) -> Result<(Proxy, Pieces), Said> {
    let args = chaos::Args {
        html: None,
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        to,
        up: chaos::spec::Spec::parse(CUT)?,
        down: chaos::spec::Spec::default(),
        seed: Some(SEED),
        json: false,
        quiet: true,
    };
    let (report, pieces) = Report::collecting();
    Ok((Proxy::start(args, SEED, report)?, pieces))
}

/// The pieces the proxy wrote to the server, once `len` bytes have gone (or the patience is
/// over: a server that stopped reading leaves some unsent).
fn passed_on(pieces: &Pieces, len: usize, patience: Duration) -> Vec<Vec<u8>> {
    let deadline = Instant::now() + patience;
    loop {
        let up: Vec<Vec<u8>> = pieces
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .filter(|piece| piece.way == Way::Up)
            .map(|piece| piece.bytes.clone())
            .collect();
        let sent: usize = up.iter().map(Vec::len).sum();
        if sent >= len || Instant::now() >= deadline {
            return up;
        }
        // The proxy's own record decides; this only looks again shortly.
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A finding in one line, for a report.
pub fn said(finding: &Rechunked) -> Said {
    match finding {
        Rechunked::Answered { reads } => {
            crate::said!("scenario-rechunked-answered", reads = reads.to_string())
        }
        // Without the count of what came (it depends on how many pieces were answered before
        // the client looked): the start of it says what went wrong.
        Rechunked::NotAnswered { reply, why } => {
            let reply = (reply + 1).to_string();
            let without_count = |text: &str| match text.split_once("… (") {
                Some((start, rest)) => format!(
                    "{start}…{}",
                    rest.split_once(')').map_or("", |(_, after)| after)
                ),
                None => text.to_string(),
            };
            let why = Said {
                en: without_count(&why.en),
                shown: without_count(&why.shown),
            };
            crate::said!("scenario-reply-of-three", reply = reply, why = why)
        }
        Rechunked::CannotStart { why } => why.clone(),
    }
}

/// The client's one write, shown.
pub fn written(protocol: Protocol) -> Said {
    let written: Vec<u8> = TEXTS
        .iter()
        .flat_map(|text| request_and_reply(protocol, text.as_bytes()).0)
        .collect();
    shown(&written)
}
