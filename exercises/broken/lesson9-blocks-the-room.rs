//! Exercise 9, broken on purpose: the broadcast writes to every member's socket itself.
//!
//! This program is `solutions/lesson9.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

// The mistake leaves part of the reference unused.
#![allow(unused_imports)]

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `broadcast`:
fn say(room: &Room, from: u64, text: &str) {
    let text = line(text);
    let members = room.lock().unwrap_or_else(PoisonError::into_inner);
    // Like the tutorial's `for other in clients: other.send(data)`: a member that stops reading
    // fills its buffers, this write waits for it, and so does everyone after it in the list,
    // and every other talker, behind the lock.
    for member in members.iter().filter(|m| m.id != from) {
        let _ = (&member.conn).write_all(text.as_bytes());
    }
}
*/
