//! Exercise 6, broken on purpose: one `read` is trusted to return the 4-byte header length (`recv(4)`).
//!
//! This program is `solutions/lesson6.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `header_length`:
    // Like the tutorial's `recv(4)`: one read, trusted to return all 4 bytes.
    let mut length = [0u8; 4];
    if r.read(&mut length)? == 0 {
        return Ok(None);
    }
    let header_len = u32::from_be_bytes(length);
*/
