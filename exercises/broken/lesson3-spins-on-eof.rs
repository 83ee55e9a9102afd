//! Exercise 3, broken on purpose: no check for 0 bytes (the tutorial's `if not data: break`).
//!
//! This program is `solutions/lesson3.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `end_of_stream`:
// (No arm for 0 bytes: after the client leaves, every read returns 0 at once, the
// loop echoes nothing and reads again, for ever.)
*/
