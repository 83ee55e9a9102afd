//! Exercise 5, broken on purpose: the command is decoded with `unwrap`.
//!
//! This program is `solutions/lesson5.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `decode`:
    // Like `cmd.decode('utf-8')` with nothing to catch its error: bytes that are not UTF-8
    // panic this client's thread, and its connection dies without a word.
    let command = std::str::from_utf8(request).unwrap();
*/
