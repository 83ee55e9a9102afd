//! The robot cases: lesson 10's menu robot, graded from the outside (docs/contracts.md, "The
//! menu robot"). What the robot should say, turn by turn, is the course's own model of the
//! dialog, `menu::Call`; the calls are the engine's ([`crate::scenario::robot`]).
//!
//! The server is expected to run with `--idle 1` (the exercise runner starts it so); case 4.31
//! waits that second, plus the patience.

use std::time::Duration;

use socket_lessons::menu::{Call, Reply};

use super::{Outcome, Target};
use crate::scenario::robot::{self, Heard, Said, TwoCallers};
use crate::scenario::wire::shown;

/// The `--idle` the cases expect the robot to run with.
pub const IDLE: Duration = Duration::from_secs(1);

/// What the model says for `reply`.
fn said(reply: &Reply) -> Said {
    Said {
        text: reply.text.clone(),
        hang_up: reply.hang_up,
    }
}

/// The welcome, then what the model answers to each of `inputs` (up to its first hang-up).
fn the_dialog(inputs: &[&[u8]]) -> Vec<Said> {
    let mut call = Call::new();
    let mut dialog = vec![said(&call.welcome())];
    for input in inputs {
        let reply = call.answer(input);
        let last = reply.hang_up;
        dialog.push(said(&reply));
        if last {
            break;
        }
    }
    dialog
}

/// How a frame of the robot's is said in a report.
fn quoted(said: &Said) -> String {
    format!(
        "{}{}",
        shown(said.text.as_bytes()),
        if said.hang_up { " (hang_up)" } else { "" }
    )
}

/// Compares what was heard with what the model says, turn by turn.
fn compare(heard: &[Said], wanted: &[Said], inputs: &[&[u8]]) -> Result<(), super::Said> {
    for (turn, want) in wanted.iter().enumerate() {
        let after = match turn {
            0 => crate::said!("grade-robot-turn-first"),
            n => crate::said!("grade-robot-turn-after", input = shown(inputs[n - 1])),
        };
        match heard.get(turn) {
            Some(got) if got == want => {}
            Some(got) => {
                return Err(crate::said!(
                    "grade-robot-turn-instead",
                    after = after,
                    got = quoted(got),
                    want = quoted(want)
                ));
            }
            None => {
                return Err(crate::said!(
                    "grade-robot-nothing-where-due",
                    after = after,
                    want = quoted(want)
                ));
            }
        }
    }
    Ok(())
}

/// Plays a call of `inputs` and compares it with the model; `ends`: the call must end after a
/// hang-up.
fn dialog(t: &Target, inputs: &[&[u8]], expected: super::Said, ends: bool) -> Outcome {
    let run = robot::call(t, inputs);
    let wanted = the_dialog(inputs);
    let outcome = match &run.finding {
        Heard::CannotConnect { why } => {
            Outcome::fail(crate::said!("grade-judge-a-connection"), why.clone())
        }
        Heard::Said { said, ended } => match compare(said, &wanted, inputs) {
            Err(why) => Outcome::fail(expected, why),
            Ok(()) if ends && !ended => {
                Outcome::fail(expected, crate::said!("grade-robot-goodbye-stayed-open"))
            }
            Ok(()) => Outcome::pass(
                expected,
                crate::said!("grade-robot-replies-right", count = said.len().to_string()),
            ),
        },
        Heard::Stopped { said, why } => match compare(said, &wanted, inputs) {
            Err(wrong) => Outcome::fail(expected, wrong),
            Ok(()) => Outcome::fail(
                expected,
                crate::said!(
                    "grade-robot-after-replies",
                    count = said.len().to_string(),
                    why = why
                ),
            ),
        },
    };
    let mut outcome = outcome.from_run(run);
    if outcome.verdict == super::Verdict::Fail
        && matches!(
            outcome
                .observations
                .as_ref()
                .map(|o| o.reads("A").is_empty()),
            Some(true)
        )
    {
        outcome.hint = Some(crate::said!("grade-hint-robot-silent"));
    }
    outcome
}

/// 1.15: the robot speaks first.
pub fn speaks_first(t: &Target) -> Outcome {
    dialog(t, &[], crate::said!("grade-robot-welcome-expected"), false)
}

/// 1.16: the menus, turn by turn, and `exit`.
pub fn menus(t: &Target) -> Outcome {
    dialog(
        t,
        &[b"1", b"2", b"*", b"0", b"hello there", b"exit"],
        crate::said!("grade-robot-menus-expected"),
        true,
    )
}

/// 1.17: input compared as bytes, trimmed of ASCII space only.
pub fn trimmed_bytes(t: &Target) -> Outcome {
    dialog(
        t,
        &[b" 1\r\n", b"EXIT"],
        crate::said!("grade-robot-trimmed-expected"),
        false,
    )
}

/// 3.5: two callers keep their own place in the menu.
pub fn two_callers(t: &Target) -> Outcome {
    let run = robot::two_callers(t);
    let expected = crate::said!("grade-robot-two-callers-expected");
    let mut a_call = Call::new();
    let a_wanted: Vec<Said> = [a_call.welcome(), a_call.answer(b"1"), a_call.answer(b"1")]
        .iter()
        .map(said)
        .collect();
    let mut b_call = Call::new();
    let b_wanted: Vec<Said> = [b_call.welcome(), b_call.answer(b"1")]
        .iter()
        .map(said)
        .collect();
    let outcome = match &run.finding {
        TwoCallers::Heard { a, b } => {
            match compare(a, &a_wanted, &[b"1", b"1"])
                .map_err(|why| crate::said!("grade-robot-caller-a", why = why))
                .and_then(|()| {
                    compare(b, &b_wanted, &[b"1"])
                        .map_err(|why| crate::said!("grade-robot-caller-b", why = why))
                }) {
                Ok(()) => Outcome::pass(expected, crate::said!("grade-robot-own-menu")),
                Err(why) => Outcome::fail(expected, why),
            }
        }
        TwoCallers::Stopped { who, why } => Outcome::fail(
            expected,
            crate::said!("grade-robot-caller", who = who.to_string(), why = why),
        ),
    };
    outcome.from_run(run)
}

/// 4.31: a silent caller is told goodbye after `--idle`, and hung up on.
pub fn silent_caller(t: &Target) -> Outcome {
    let run = robot::silent_caller(t, IDLE);
    let goodbye = said(&Reply::idle(IDLE));
    let expected = crate::said!("grade-robot-idle-expected", goodbye = quoted(&goodbye));
    let outcome = match &run.finding {
        Heard::Said { said, ended } => match said.get(1) {
            Some(last) if *last == goodbye && *ended => {
                Outcome::pass(expected, crate::said!("grade-robot-idle-goodbye-end"))
            }
            Some(last) if *last == goodbye => {
                Outcome::fail(expected, crate::said!("grade-robot-idle-goodbye-open"))
            }
            Some(last) => Outcome::fail(
                expected,
                crate::said!("grade-robot-instead", got = quoted(last)),
            ),
            None => Outcome::fail(expected, crate::said!("grade-robot-nothing-after-welcome")),
        },
        Heard::Stopped { said, why } if said.len() == 1 => Outcome::fail(
            expected,
            crate::said!("grade-robot-after-welcome", why = why),
        ),
        Heard::Stopped { why, .. } => Outcome::fail(expected, why.clone()),
        Heard::CannotConnect { why } => {
            Outcome::fail(crate::said!("grade-judge-a-connection"), why.clone())
        }
    };
    outcome.from_run(run)
}

/// 5.N for the robot: a new call gets its welcome.
pub fn still_serves(t: &Target) -> Outcome {
    speaks_first(t)
}
