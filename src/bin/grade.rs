//! `grade --addr HOST:PORT --protocol echo|commands|framed|udp`: the catalogue of cases, run
//! against any server (see `socket_lessons::grade`).

fn main() -> std::process::ExitCode {
    socket_lessons::cli::tool_main(
        "grade",
        |shutdown| ctrlc::set_handler(move || shutdown.trigger()),
        socket_lessons::grade::cli::run,
    )
}
