//! `cargo run` with no `--bin`: the course map, and how to start.

use clap::Parser;

/// Prints the course's stages and how to start the first one.
#[derive(Parser)]
#[command(name = "socket-lessons", version)]
struct Args {}

fn main() {
    Args::parse();
    print!("{}", socket_lessons::course::overview());
}
