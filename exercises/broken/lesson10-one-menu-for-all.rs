//! Exercise 10, broken on purpose: one menu for the whole robot, shared by every caller.
//!
//! This program is `solutions/lesson10.rs` with the region below put in place of the region of
//! the same name (`solutions/build.rs` does it), so the two differ by this mistake alone.
//! `info.toml` says which cases it fails, and what gives it away.

include!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME"), ".rs"));

/* in place of `state`:
    // One place in the menu for the whole robot, a global variable: every caller moves it.
    static MENU: std::sync::Mutex<Menu> = std::sync::Mutex::new(Menu::Main);
*/

/* in place of `answer`:
        let mut menu = MENU.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (lines, hang_up) = answer(&mut menu, &request.body);
        drop(menu);
*/
