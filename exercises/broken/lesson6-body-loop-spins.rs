//! Exercise 6, broken on purpose: the body is read with the tutorial's loop, which never checks for 0 bytes.
//!
//! This program is `solutions/lesson6.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `body`:
    // The tutorial's `while recv_size < total_size: recv(1024)`, taking no more than the body
    // has left: once the peer is gone, every read returns 0 bytes, and the loop spins for ever.
    let mut body = Vec::new();
    let mut piece = [0u8; 1024];
    while (body.len() as u64) < total_size {
        let left = usize::try_from(total_size - body.len() as u64).unwrap_or(usize::MAX);
        let n = r.read(&mut piece[..left.min(1024)])?;
        body.extend_from_slice(&piece[..n]);
    }
*/
