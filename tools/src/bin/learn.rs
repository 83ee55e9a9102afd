//! `cargo run --bin learn`: the exercises' runner (watch, list, check, hint, reset). Everything
//! it does is in `socket_lessons_tools::learn`; see `learn --help`.

fn main() -> std::process::ExitCode {
    // Ctrl-C: the student's programs run in process groups of their own (so that stopping one
    // stops all it started), which the terminal's Ctrl-C does not reach: stop them, then exit.
    let _ = ctrlc::set_handler(|| {
        socket_lessons_tools::learn::child::stop_all();
        std::process::exit(130);
    });
    socket_lessons_tools::learn::run(socket_lessons_tools::cli::parse_with_lang::<
        socket_lessons_tools::learn::Args,
    >())
}
