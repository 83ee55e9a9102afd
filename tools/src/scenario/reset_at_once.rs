//! A client that connects and resets before sending a byte: the server's first read on that
//! connection fails with a reset, on every run (there is nothing it could read first).
//!
//! The catalogue's reset half-way through a request (`hostile::reset_mid_request`) can miss a
//! server that dies of a reset: the server may read and answer the half request before the reset
//! arrives, and then never read again. Here the reset is the only thing there is to read.

use crate::said::Said;
use serde::{Deserialize, Serialize};

use super::{Conn, Run, Target};

/// What the client did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetAtOnce {
    /// It connected and reset the connection, without a byte sent.
    Reset,
    /// It could not connect: `why`.
    CannotConnect { why: Said },
}

/// Connects, and closes with SO_LINGER 0: a reset, with nothing sent.
pub fn reset_at_once(target: &Target) -> Run<ResetAtOnce> {
    Run::play(target.protocol, |log| match Conn::open(target, "A", log) {
        Ok(a) => {
            a.reset();
            ResetAtOnce::Reset
        }
        Err(why) => ResetAtOnce::CannotConnect { why },
    })
}
