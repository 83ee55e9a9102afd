//! Exercise 12, broken on purpose: the queue has no bound, so nobody is ever told busy.
//!
//! This program is `solutions/lesson12.rs` with the regions below put in place of the regions
//! of the same names (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

// The busy line and `refuse` are the reference's, left unused by this mistake.
#![allow(dead_code, unused_imports)]

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `queue`:
    // Unbounded, as the Book's `mpsc::channel()` and Python's `ThreadPoolExecutor`: every
    // client gets a place in the queue, however many come.
    let (queue, jobs) = mpsc::channel::<Job>();
*/

/* in place of `hand_over`:
        // `send` on an unbounded channel never finds it full: a flood costs memory, one queued
        // connection at a time, and every client in the queue waits, told nothing.
        if queue.send((conn, peer)).is_err() {
            return Err(io::Error::other("every worker has gone"));
        }
*/
