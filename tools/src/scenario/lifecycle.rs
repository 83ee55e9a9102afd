//! A server's life with clients in it: Ctrl-C while clients are connected and idle.
//!
//! Every stage stops promptly on Ctrl-C, without waiting for idle clients to leave
//! (docs/contracts.md, "Shutdown"). Here the time it took is the point, so it is kept: how long
//! from SIGINT to the exit, and whether the exit status said success.

use crate::said::Said;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::record::{Act, SERVER, millis};
use super::{Conn, Protocol, Recorder, Run, Target};
use crate::probe::ServerProcess;

/// How a server ended on Ctrl-C.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CtrlC {
    /// It exited `after_ms` after SIGINT, with a status that says `success` or not.
    Exits { success: bool, after_ms: u64 },
    /// It had not exited `waited_ms` after SIGINT.
    NoExit { waited_ms: u64 },
    /// SIGINT could not be sent: `why`.
    CannotInterrupt { why: Said },
    /// The idle clients could not connect (or, over UDP, were not answered): `why`.
    ServerGone { why: Said },
}

/// Two clients connect and stay idle (over UDP: are answered once, and then idle; the server has
/// no state for them), then the server is sent SIGINT, as Ctrl-C does, and given its patience to
/// exit.
pub fn ctrl_c_with_idle_clients(target: &Target, server: ServerProcess) -> Run<CtrlC> {
    Run::play(target.protocol, |log| play_ctrl_c(target, server, log))
}

fn play_ctrl_c(target: &Target, mut server: ServerProcess, log: &Recorder) -> CtrlC {
    let mut idle = Vec::new();
    for actor in ["A", "B"] {
        // Connected, silent (the kernel completed both handshakes, so each is accepted, or queued
        // in the backlog, by now).
        let mut client = match Conn::open(target, actor, log) {
            Ok(client) => client,
            Err(why) => return CtrlC::ServerGone { why },
        };
        if target.protocol == Protocol::Udp {
            if let Err(why) = client.exchange(b"hi") {
                return CtrlC::ServerGone { why };
            }
        }
        idle.push(client);
    }
    log.record(SERVER, Act::Interrupted);
    let started = Instant::now();
    if let Err(e) = server.interrupt() {
        return CtrlC::CannotInterrupt {
            why: e.to_string().into(),
        };
    }
    let finding = match server.wait_within(target.patience) {
        Ok((status, _)) => {
            let after_ms = millis(started.elapsed());
            log.record(
                SERVER,
                Act::Exits {
                    success: status.success(),
                    after_ms,
                },
            );
            CtrlC::Exits {
                success: status.success(),
                after_ms,
            }
        }
        Err(_) => {
            let waited_ms = millis(target.patience);
            log.record(SERVER, Act::DoesNotExit { waited_ms });
            CtrlC::NoExit { waited_ms }
        }
    };
    for client in idle {
        client.close();
    }
    finding
}
