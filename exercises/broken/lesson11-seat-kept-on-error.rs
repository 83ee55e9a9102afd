//! Exercise 11, broken on purpose: a seat is given back only when its client says goodbye.
//!
//! This program is `solutions/lesson11.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `give_back`:
    // (Nothing here: the seat is given back by hand, below, on the one way out thought of.)
    fn drop(&mut self) {}
*/

/* in place of `end_of_stream`:
            Ok(0) => {
                // Given back on a clean goodbye only. A reset, a timeout or a panic keeps it.
                _seat.0.fetch_sub(1, Ordering::SeqCst);
                eprintln!("{peer}: recv returned 0 bytes; the conversation is over");
                return;
            }
*/
