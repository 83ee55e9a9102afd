//! Exercise 9, broken on purpose: whatever one `read` returns is taken for one line.
//!
//! This program is `solutions/lesson9.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

// The mistake leaves part of the reference unused.
#![allow(unused_imports, dead_code)]

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `read_line`:
fn read_line(lines: &mut BufReader<TcpStream>) -> io::Result<Option<String>> {
    // Like `data = conn.recv(1024)`: one read, taken for one message. TCP keeps no boundaries.
    let mut buf = [0u8; 1024];
    let n = lines.read(&mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&buf[..n]);
    Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()))
}
*/
