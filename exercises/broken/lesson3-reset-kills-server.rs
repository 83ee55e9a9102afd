//! Exercise 3, broken on purpose: the tutorial's loop without its `try`/`except ConnectionResetError`.
//!
//! This program is `solutions/lesson3.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

// The mistake leaves part of the reference unused.
#![allow(unused_imports)]

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `communication`:
        // An error is not handled here: it ends the thread, and this thread is the program.
        let n = conn.read(&mut buf).expect("recv failed");
        if n == 0 {
            eprintln!("{peer}: recv returned 0 bytes; the conversation is over");
            return;
        }
        conn.write_all(&buf[..n].to_ascii_uppercase()).expect("send failed");
*/
