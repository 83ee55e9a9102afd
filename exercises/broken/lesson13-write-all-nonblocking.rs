//! Exercise 13, broken on purpose: replies written with `write_all`, as lesson 4 writes them.
//!
//! This program is `solutions/lesson13.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `write_owed`:
    // All or an error, as on a blocking socket. On a nonblocking one, a full buffer is an error
    // too (`WouldBlock`), after some of the bytes have gone: the short write taken for a failure
    // (mio's own example does the same), and the rest of the reply lost with the client.
    if let Err(e) = client.stream.write_all(&client.unsent) {
        eprintln!("{}: {e}; ending this connection", client.peer);
        return false;
    }
    client.unsent.clear();
    true
*/
