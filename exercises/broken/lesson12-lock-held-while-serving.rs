//! Exercise 12, broken on purpose: a worker keeps the queue's lock while it serves its client.
//!
//! This program is `solutions/lesson12.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `take_job`:
    // The lock taken once, and kept: the guard lives as long as `jobs_here`, so this worker
    // holds the queue for every client it serves, and no other worker can take the next.
    // (The Book warns of the same with `while let Ok(job) = receiver.lock().unwrap().recv()`.)
    let jobs_here = jobs.lock().unwrap_or_else(PoisonError::into_inner);
    while let Ok((conn, peer)) = jobs_here.recv() {
        serve_one_client(conn, peer);
    }
*/
