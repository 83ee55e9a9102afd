//! `cargo run --bin chaos -- --to HOST:PORT --up SPEC --down SPEC`: the proxy that re-chunks TCP.
//! Everything it does is in `socket_lessons_tools::chaos`; see `chaos --help`.

fn main() -> std::process::ExitCode {
    // The Ctrl-C handler lives here, in the binary: the library only obeys the shutdown channel.
    socket_lessons_tools::cli::tool_main(
        "chaos",
        |shutdown| ctrlc::set_handler(socket_lessons_tools::cli::on_ctrl_c(shutdown)),
        socket_lessons_tools::chaos::run,
    )
}
