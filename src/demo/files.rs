//! The demo script for lesson 8 (file transfer).

use std::io;

use super::Demo;

pub fn lesson8(demo: &mut Demo) -> io::Result<()> {
    demo.say("TODO");
    Ok(())
}
