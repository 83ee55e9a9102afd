//! The rows of the table: each plays one experiment of the scenario engine
//! ([`crate::scenario`]) against one stage's real server, and renders what it found as a short
//! cell. The experiments are the engine's, the same that `grade` judges and the demos narrate;
//! what is here is only how a finding reads in a table. No cell holds a raw timing (an exit time
//! is bucketed), so the table is the same on every run.

use std::net::SocketAddr;
use std::time::Duration;

use crate::probe::{PATIENCE, ServerProcess};
use crate::scenario::boundaries::{Glue, Glued, InPieces, Long, LongReply, Pieces, glued_texts};
use crate::scenario::clients::{Second, SecondClient, Third};
use crate::scenario::hostile::AfterReset;
use crate::scenario::lifecycle::CtrlC;
use crate::scenario::{Protocol, Target, boundaries, clients, hostile, lifecycle};

/// One cell of the table: its words, and whether it is what a client would want (a terminal
/// shows those green, the others red).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub good: bool,
}

fn good(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        good: true,
    }
}

fn bad(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        good: false,
    }
}

/// A stage's server, started fresh for one scenario (and killed after it, if it still runs).
pub struct Stage {
    pub number: u16,
    pub protocol: Protocol,
    pub addr: SocketAddr,
    pub server: Option<ServerProcess>,
}

impl Stage {
    /// The server as the engine's experiments take it.
    fn target(&self) -> Target {
        Target {
            addr: self.addr,
            protocol: self.protocol,
            patience: PATIENCE,
        }
    }
}

/// One row of the table.
pub struct Scenario {
    /// What `--scenario` takes.
    pub name: &'static str,
    /// The row's label.
    pub title: &'static str,
    pub run: fn(&mut Stage) -> Cell,
    /// Options some stages are started with for this row, beyond `--addr`: a limit the row is
    /// about, set low enough to reach within a bounded run (lesson 11's cap of 512 clients, say).
    pub options: &'static [(u16, &'static [&'static str])],
}

impl Scenario {
    /// The row's label in the reader's language (`compare-row-NAME`; the English is
    /// [`Scenario::title`], as a unit test checks).
    pub fn label(&self) -> String {
        // A computed id, so not checked at compile time: the unit test below checks every row.
        crate::i18n::loader().get(&format!("compare-row-{}", self.name))
    }

    /// The options stage `number` is started with for this row.
    pub fn options_for(&self, number: u16) -> &'static [&'static str] {
        self.options
            .iter()
            .find(|(stage, _)| *stage == number)
            .map_or(&[], |(_, options)| options)
    }
}

/// Every scenario, in the order of the table's rows.
pub static SCENARIOS: [Scenario; 7] = [
    Scenario {
        name: "second-client",
        title: "2nd client, 1st stays",
        run: second_client,
        options: &[],
    },
    Scenario {
        name: "third-client",
        title: "3rd client, 2 stay",
        run: third_client,
        options: &[(11, &["--max-clients", "2"])],
    },
    Scenario {
        name: "back-to-back",
        title: "2 requests in 1 write",
        run: back_to_back,
        options: &[],
    },
    Scenario {
        name: "long-reply",
        title: "3,893-byte reply",
        run: long_reply,
        options: &[],
    },
    Scenario {
        name: "dribbled",
        title: "request dribbled",
        run: dribbled,
        options: &[],
    },
    Scenario {
        name: "reset",
        title: "reset, then new client",
        run: reset_then_fresh,
        options: &[],
    },
    Scenario {
        name: "ctrl-c",
        title: "Ctrl-C, 2 idle clients",
        run: ctrl_c,
        options: &[],
    },
];

/// The protocol each stage `compare` plays speaks (not the chat room, the file transfer or the
/// robot: its scenarios are about one request and its reply).
pub fn protocol_of(number: u16) -> Option<Protocol> {
    Protocol::of_stage(number)
        .filter(|protocol| !matches!(protocol, Protocol::Chat | Protocol::Files | Protocol::Robot))
}

/// The server refused the connection, or reset it at once: it is not there any more.
fn gone() -> String {
    crate::t!("compare-cell-server-gone")
}

/// Not a question for datagrams: no connections to stay, cap or reset, nothing to dribble.
fn not_for_udp() -> String {
    crate::t!("compare-cell-not-for-udp")
}

fn second_client(stage: &mut Stage) -> Cell {
    match clients::second_client(&stage.target(), &SecondClient::PLAIN).finding {
        Second::Served => good(crate::t!("compare-cell-served")),
        Second::WaitsForFirst { .. } => bad(crate::t!("compare-cell-waits-for-first")),
        Second::NeverServed { .. } => bad(crate::t!("compare-cell-never-served")),
        Second::FirstNotServed { .. } => bad(crate::t!("compare-cell-first-not-served")),
        Second::CannotConnect { .. } | Second::SecondNotServed { .. } => bad(gone()),
    }
}

/// Two clients served and staying connected, then a third: served, left waiting, or told the
/// server is busy (lesson 11, started with `--max-clients 2` for this row, turns it away in one
/// line instead of giving it a thread).
fn third_client(stage: &mut Stage) -> Cell {
    match clients::third_client(&stage.target()).finding {
        Third::Served => good(crate::t!("compare-cell-served")),
        Third::ToldBusy => good(crate::t!("compare-cell-told-busy")),
        Third::SecondWaits => bad(crate::t!("compare-cell-second-waits")),
        Third::ThirdWaits => bad(crate::t!("compare-cell-third-waits")),
        Third::MixedUp { .. } => bad(crate::t!("compare-cell-mixed-up")),
        Third::ServerGone { .. } => bad(gone()),
        Third::NotForDatagrams => good(not_for_udp()),
    }
}

fn back_to_back(stage: &mut Stage) -> Cell {
    let texts = glued_texts(stage.protocol);
    let finding = boundaries::glued(&stage.target(), &texts, Glue::OneWrite).finding;
    match (stage.protocol, finding) {
        (_, Glued::CannotConnect { .. } | Glued::CannotSend { .. }) => bad(gone()),
        (Protocol::Echo, Glued::Echoed) => good(crate::t!("compare-cell-both-echoed")),
        (Protocol::Echo, Glued::EchoedThenClosed) => {
            bad(crate::t!("compare-cell-one-reply-closed"))
        }
        (
            Protocol::Echo,
            Glued::NotAnswered {
                got_nothing: true, ..
            },
        ) => bad(gone()),
        (Protocol::Echo, _) => bad(crate::t!("compare-cell-part-echoed")),
        (_, Glued::Separate) => good(crate::t!("compare-cell-two-replies")),
        (Protocol::Commands, _) => bad(crate::t!("compare-cell-glued")),
        (_, _) => bad(crate::t!("compare-cell-not-two-replies")),
    }
}

fn long_reply(stage: &mut Stage) -> Cell {
    // The echo stages are sent 3,893 bytes, the command stages `seq 1000`: 3,893 bytes back,
    // read as the stage's own client reads it: one recv(1024) per request (lesson 6's client
    // reads one frame).
    match boundaries::long_reply(&stage.target(), &LongReply::tutorial()).finding {
        Long::Whole => good(crate::t!("compare-cell-whole")),
        Long::Spilled { .. } => bad(crate::t!("compare-cell-spilled")),
        Long::Cut { at } => bad(crate::t!("compare-cell-cut-at", at = thousands(at))),
        Long::NoReply { .. } | Long::NotWhole { .. } => bad(crate::t!("compare-cell-no-reply")),
        Long::NoNextReply { .. } => bad(crate::t!("compare-cell-no-second-reply")),
        Long::MixedUp => bad(crate::t!("compare-cell-mixed-up")),
        Long::Gone | Long::CannotConnect { .. } | Long::CannotSend { .. } => bad(gone()),
    }
}

fn thousands(n: usize) -> String {
    if n >= 1000 {
        format!("{},{:03}", n / 1000, n % 1000)
    } else {
        n.to_string()
    }
}

fn dribbled(stage: &mut Stage) -> Cell {
    if stage.protocol == Protocol::Udp {
        return good(not_for_udp());
    }
    // One byte per write, listening a moment after each: a reply before the last byte means
    // the server took a piece of the request for the whole.
    let script = Pieces::dribbled(stage.protocol, "dribbled");
    match (
        stage.protocol,
        boundaries::in_pieces(&stage.target(), &script).finding,
    ) {
        (_, InPieces::ClosedEarly { sent, answered, .. }) => {
            // The server hung up part-way: after answering the first byte alone (lessons 1
            // and 2 answer one read), or without a word.
            if answered {
                bad(crate::t!("compare-cell-first-byte-closed"))
            } else {
                bad(crate::t!(
                    "compare-cell-closed-after",
                    sent = sent.to_string()
                ))
            }
        }
        (Protocol::Echo, InPieces::Whole { .. }) => good(crate::t!("compare-cell-echoed-whole")),
        (Protocol::Echo, InPieces::EchoedInPieces) => {
            good(crate::t!("compare-cell-echoed-in-pieces"))
        }
        (Protocol::Echo, InPieces::EchoCutShort { .. }) => {
            bad(crate::t!("compare-cell-first-byte-only"))
        }
        (Protocol::Echo, _) => bad(gone()),
        (Protocol::Commands, InPieces::AnsweredEarly { sent, .. }) => bad(crate::t!(
            "compare-cell-split-ran",
            ran = format!("{:?}", String::from_utf8_lossy(&sent))
        )),
        (_, InPieces::Whole { .. }) => good(crate::t!("compare-cell-whole")),
        (_, _) => bad(crate::t!("compare-cell-not-whole")),
    }
}

fn reset_then_fresh(stage: &mut Stage) -> Cell {
    if stage.protocol == Protocol::Udp {
        return good(not_for_udp());
    }
    match hostile::reset_then_new_client(&stage.target()).finding {
        AfterReset::Served => good(crate::t!("compare-cell-served")),
        AfterReset::NewOneWaits => bad(crate::t!("compare-cell-new-one-waits")),
        AfterReset::ServerGone { .. } => bad(gone()),
    }
}

fn ctrl_c(stage: &mut Stage) -> Cell {
    let Some(server) = stage.server.take() else {
        return bad(gone());
    };
    match lifecycle::ctrl_c_with_idle_clients(&stage.target(), server).finding {
        CtrlC::Exits { success, after_ms } => exit_bucket(Duration::from_millis(after_ms), success),
        CtrlC::NoExit { waited_ms } => bad(crate::t!(
            "compare-cell-no-exit",
            secs = Duration::from_millis(waited_ms).as_secs().to_string()
        )),
        CtrlC::CannotInterrupt { .. } => bad(crate::t!("compare-cell-cannot-sigint")),
        CtrlC::ServerGone { .. } => bad(gone()),
    }
}

/// Buckets an exit time so that the table stays the same from run to run.
pub fn exit_bucket(took: Duration, status_ok: bool) -> Cell {
    let text = if took < Duration::from_secs(1) {
        crate::t!("compare-cell-exits-1s")
    } else if took < Duration::from_secs(5) {
        crate::t!("compare-cell-exits-5s")
    } else {
        crate::t!("compare-cell-exits-slowly")
    };
    if status_ok {
        good(text)
    } else {
        bad(crate::t!("compare-cell-failing", text = text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use socket_lessons::i18n::Lang;

    #[test]
    fn every_row_has_its_label_in_both_languages_the_english_as_written() {
        let (english, chinese) = (
            crate::i18n::loader_for(Lang::En),
            crate::i18n::loader_for(Lang::Zh),
        );
        for scenario in &SCENARIOS {
            let id = format!("compare-row-{}", scenario.name);
            assert_eq!(english.get(&id), scenario.title);
            let label = chinese.get(&id);
            assert!(
                label
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{id}: {label}"
            );
        }
    }
}
