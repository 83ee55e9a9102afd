//! Exercise 4, broken on purpose: each client's thread is waited for before the next `accept`.
//!
//! This program is `solutions/lesson4.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `spawn`:
        // Like `p.start(); p.join()`: a thread per client, waited for at once, so the loop is
        // back in `accept` only when this client has left. One client at a time, as in lesson 3.
        let spawned = thread::Builder::new()
            .name(format!("client {peer}"))
            .spawn(move || serve_one_client(conn, peer));
        match spawned {
            Ok(thread) => {
                let _ = thread.join();
            }
            Err(e) => eprintln!("{peer}: cannot start a thread ({e}); hanging up"),
        }
*/
