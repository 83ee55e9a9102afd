//! Exercise 6, broken on purpose: the header length in the machine's byte order (`struct.pack('i')`).
//!
//! This program is `solutions/lesson6.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `header_length`:
    // Like `struct.unpack('i', ...)` on x86 or ARM: least significant byte first.
    let mut length = [0u8; 4];
    if !read_first_part(r, &mut length)? {
        return Ok(None);
    }
    let header_len = u32::from_le_bytes(length);
*/

/* in place of `header_length_write`:
    frame.extend_from_slice(&header_len.to_le_bytes());
*/
