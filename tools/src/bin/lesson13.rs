//! `cargo run --bin lesson13`: see `socket_lessons::course::LESSONS` for what this stage teaches.

fn main() -> std::process::ExitCode {
    // The Ctrl-C handler lives here, in the binary: the library's servers only obey the shutdown
    // channel, so tests can fire it themselves.
    socket_lessons_tools::cli::main(socket_lessons::course::lesson(13), |shutdown| {
        ctrlc::set_handler(socket_lessons_tools::cli::on_ctrl_c(shutdown))
    })
}
