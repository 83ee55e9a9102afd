//! `grade --addr HOST:PORT --protocol echo|commands|framed|udp`: the catalogue of cases, run
//! against any server (see `socket_lessons_tools::grade`).

fn main() -> std::process::ExitCode {
    socket_lessons_tools::cli::tool_main(
        "grade",
        |shutdown| ctrlc::set_handler(socket_lessons_tools::cli::on_ctrl_c(shutdown)),
        socket_lessons_tools::grade::cli::run,
    )
}
