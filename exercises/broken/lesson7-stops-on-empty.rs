//! Exercise 7, broken on purpose: an empty datagram is taken for a goodbye, the habit of TCP.
//!
//! This program is `solutions/lesson7.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `empty_datagram`:
        // The habit of lessons 3 to 6: 0 bytes means the peer has gone. Not on UDP: it was an
        // empty datagram, and this ends the server.
        if n == 0 {
            return Ok(());
        }
*/
