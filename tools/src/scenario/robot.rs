//! Lesson 10's menu robot, played from outside: a caller connects, hears the welcome (the
//! robot speaks first), says things, and hears one reply per thing said, each a frame whose
//! header says whether the robot hangs up after it (docs/contracts.md, "The menu robot").
//!
//! What the robot should say is the course's own model of the dialog, `menu::Call`: the
//! experiments here only record what was said and heard; the cases compare it with the model.

use crate::said::Said as Reason;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use socket_lessons::frame::{self, FrameError, Limits};

use super::conn::is_reset;
use super::wire::{secs, wrap};
use super::{Conn, Protocol, Recorder, Run, Target};

/// One thing the robot said: its text, and whether it hung up after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    pub text: String,
    pub hang_up: bool,
}

/// What a caller heard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Heard {
    /// The robot said `said`, one per frame, in order (the welcome first); then, when it hung up
    /// after the last, `ended`: the end of the stream (or a reset) came after it.
    Said { said: Vec<Said>, ended: bool },
    /// After `said`, what came instead of the next frame: `why`.
    Stopped { said: Vec<Said>, why: Reason },
    /// The caller could not connect: `why`.
    CannotConnect { why: Reason },
}

/// One frame from the robot, or why none came.
pub fn hear(caller: &mut Conn) -> Result<Said, Reason> {
    let patience = caller.patience();
    match frame::read_frame(caller, &Limits::REPLY) {
        Ok(Some(reply)) => Ok(Said {
            text: String::from_utf8_lossy(&reply.body).into_owned(),
            hang_up: reply.header.get("hang_up") == Some(&true.into()),
        }),
        Ok(None) => Err(crate::said!("scenario-robot-closed")),
        Err(FrameError::Io(e)) if socket_lessons::timeout::is_timeout(&e) => Err(crate::said!(
            "scenario-robot-nothing-within",
            secs = secs(patience)
        )),
        Err(FrameError::Io(e)) if is_reset(&e) => Err(crate::said!("scenario-robot-reset")),
        Err(e) => Err(crate::said!(
            "scenario-robot-not-a-frame",
            error = Reason::from(&e)
        )),
    }
}

/// What one caller says to the robot, as frames.
pub fn say(caller: &mut Conn, input: &[u8]) -> Result<(), Reason> {
    caller.send(&wrap(Protocol::Robot, input))
}

/// A call: connect, hear the welcome, then say each of `inputs` and hear the reply to each.
/// After a reply whose `hang_up` is true the caller says nothing more and listens for the end.
pub fn call(target: &Target, inputs: &[&[u8]]) -> Run<Heard> {
    Run::play(target.protocol, |log| play_call(target, "A", inputs, log))
}

fn play_call(target: &Target, actor: &str, inputs: &[&[u8]], log: &Recorder) -> Heard {
    let mut caller = match Conn::open(target, actor, log) {
        Ok(caller) => caller,
        Err(why) => return Heard::CannotConnect { why },
    };
    let mut said = Vec::new();
    let heard = (|| {
        let mut next = inputs.iter();
        loop {
            match hear(&mut caller) {
                Ok(line) => {
                    let hung_up = line.hang_up;
                    said.push(line);
                    if hung_up {
                        let ended = caller.wait_for_end().is_ok();
                        return Heard::Said {
                            said: std::mem::take(&mut said),
                            ended,
                        };
                    }
                }
                Err(why) => {
                    return Heard::Stopped {
                        said: std::mem::take(&mut said),
                        why,
                    };
                }
            }
            let Some(input) = next.next() else {
                return Heard::Said {
                    said: std::mem::take(&mut said),
                    ended: false,
                };
            };
            if let Err(why) = say(&mut caller, input) {
                return Heard::Stopped {
                    said: std::mem::take(&mut said),
                    why,
                };
            }
        }
    })();
    caller.close();
    heard
}

/// What two callers heard, each in its own place in the menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TwoCallers {
    /// A's replies, then B's, in the order the experiment asked.
    Heard { a: Vec<Said>, b: Vec<Said> },
    /// A reply did not come: `who` (`A` or `B`), `why`.
    Stopped { who: String, why: Reason },
}

/// Callers A and B, side by side: A hears the welcome and says `1`; B hears the welcome; then
/// A says `1` and B says `1`. Each hears one reply to each.
pub fn two_callers(target: &Target) -> Run<TwoCallers> {
    Run::play(target.protocol, |log| {
        let stop = |who: &str, why: Reason| TwoCallers::Stopped {
            who: who.to_string(),
            why,
        };
        let mut a = match Conn::open(target, "A", log) {
            Ok(a) => a,
            Err(why) => return stop("A", why),
        };
        let mut heard_a = Vec::new();
        let mut heard_b = Vec::new();
        for step in [hear(&mut a), say(&mut a, b"1").and_then(|()| hear(&mut a))] {
            match step {
                Ok(said) => heard_a.push(said),
                Err(why) => return stop("A", why),
            }
        }
        let mut b = match Conn::open(target, "B", log) {
            Ok(b) => b,
            Err(why) => return stop("B", why),
        };
        match hear(&mut b) {
            Ok(said) => heard_b.push(said),
            Err(why) => return stop("B", why),
        }
        match say(&mut a, b"1").and_then(|()| hear(&mut a)) {
            Ok(said) => heard_a.push(said),
            Err(why) => return stop("A", why),
        }
        match say(&mut b, b"1").and_then(|()| hear(&mut b)) {
            Ok(said) => heard_b.push(said),
            Err(why) => return stop("B", why),
        }
        a.close();
        b.close();
        TwoCallers::Heard {
            a: heard_a,
            b: heard_b,
        }
    })
}

/// A caller who hears the welcome and says nothing, listening `idle` plus the target's
/// patience for the robot's goodbye and the end of the call.
pub fn silent_caller(target: &Target, idle: Duration) -> Run<Heard> {
    Run::play(target.protocol, |log| {
        let mut caller = match Conn::open(target, "A", log) {
            Ok(caller) => caller,
            Err(why) => return Heard::CannotConnect { why },
        };
        let mut said = Vec::new();
        let heard = match hear(&mut caller) {
            Err(why) => Heard::Stopped { said, why },
            Ok(welcome) => {
                said.push(welcome);
                caller.set_wait(idle + target.patience);
                match hear(&mut caller) {
                    Ok(goodbye) => {
                        said.push(goodbye);
                        let ended = caller.wait_for_end().is_ok();
                        Heard::Said { said, ended }
                    }
                    Err(why) => Heard::Stopped { said, why },
                }
            }
        };
        caller.close();
        heard
    })
}
