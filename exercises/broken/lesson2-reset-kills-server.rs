//! Exercise 2, broken on purpose: one client's error ends the whole server.
//!
//! This program is `solutions/lesson2.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `one_client_trouble`:
        // `?`: the error of one connection (a reset) leaves the loop, and the program.
        serve_one_message(conn, peer)?;
*/
