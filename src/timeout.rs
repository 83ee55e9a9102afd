//! How a read or a write that waited too long shows itself.
//!
//! A socket with a read (or write) timeout does not return a special "timed out" error: the
//! system call fails, and the error's kind depends on the platform. Every part of the course that
//! sets a timeout (lesson 10's idle caller, lesson 11's guard, the frame readers) asks this one
//! function what happened.

use std::io::{self, ErrorKind};

/// Whether an I/O error is a timeout: `WouldBlock` on Unix (the call would have blocked past the
/// timeout), `TimedOut` on Windows.
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}
