//! Exercise 10, broken on purpose: no read timeout, so a silent caller holds its thread for ever.
//!
//! This program is `solutions/lesson10.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `idle`:
// (No read timeout: a caller who says nothing is waited for as long as the connection
// lasts, and holds this thread all that time.)
*/
