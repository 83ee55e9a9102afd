//! `compare [--stages 1,3,5] [--scenario NAME] [--markdown]`: the stages side by side, as one
//! table (see `socket_lessons_tools::compare`).

fn main() -> std::process::ExitCode {
    socket_lessons_tools::cli::tool_main(
        "compare",
        |shutdown| ctrlc::set_handler(socket_lessons_tools::cli::on_ctrl_c(shutdown)),
        socket_lessons_tools::compare::main,
    )
}
