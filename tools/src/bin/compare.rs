//! `compare [--stages 1,3,5] [--scenario NAME] [--markdown]`: the stages side by side, as one
//! table (see `socket_lessons_tools::compare`).

fn main() -> std::process::ExitCode {
    socket_lessons_tools::cli::tool_main(
        "compare",
        |shutdown| ctrlc::set_handler(move || shutdown.trigger()),
        socket_lessons_tools::compare::main,
    )
}
