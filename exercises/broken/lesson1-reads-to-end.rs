//! Exercise 1, broken on purpose: the server reads "the whole message" with `read_to_end`.
//!
//! This program is `solutions/lesson1.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `recv`:
    // "The whole message": every byte until the client closes. It never does: it is waiting
    // for our reply. Each side waits for the other.
    let mut buf = Vec::new();
    let n = conn.read_to_end(&mut buf)?;
*/
