//! Exercise 13, broken on purpose: one read each time `poll` says a client is ready.
//!
//! This program is `solutions/lesson13.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `answer`:
        client.unsent.extend(buf[..n].to_ascii_uppercase());
        // One read per event, as a blocking server reads once per turn of its loop: answer it,
        // and back to `poll`. What arrived beyond these 1024 bytes stays in the kernel, and
        // `poll`, which says "has become readable" once, never mentions it again.
        return write_owed(client);
*/
