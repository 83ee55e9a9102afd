//! Exercise 8, broken on purpose: an upload is written straight to its real name.
//!
//! This program is `solutions/lesson8.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `store`:
    // Straight to the real name, as the tutorial's `open(filename, 'wb')`: until the last byte
    // is in, a reader sees half a file, and a body cut off or with the wrong md5 stays there.
    match receive_into(conn, &path, total_size) {
        Ok(actual) if actual.eq_ignore_ascii_case(expected) => {}
        Ok(actual) => {
            return Ok(Err(format!("{name}: the md5 of what arrived is {actual}")));
        }
        Err(e) => return Err(e),
    }
*/
