//! Exercise 8, broken on purpose: the file name a client sends is joined to the folder unchecked.
//!
//! This program is `solutions/lesson8.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `check_name`:
fn path_in(root: &Path, name: &str) -> Result<PathBuf, String> {
    // Whatever the client says: `../secret.txt` is outside the folder, `/etc/passwd` replaces it.
    Ok(root.join(name))
}
*/
