//! Exercise 6, broken on purpose: the request's md5 is never checked (the tutorial's `'md5': 'xxdxxx'`).
//!
//! This program is `solutions/lesson6.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `md5_check`:
// (The header's md5 is carried, never compared: a body that is not the one the header
// describes is run all the same.)
*/
