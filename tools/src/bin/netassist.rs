//! `cargo run --bin netassist -- tcp-server`: the network debugging assistant (网络调试助手).
//! Everything it does is in `socket_lessons_tools::netassist`; see `netassist --help`.

fn main() -> std::process::ExitCode {
    // The Ctrl-C handler lives here, in the binary: the library only obeys the shutdown channel.
    socket_lessons_tools::cli::tool_main(
        "netassist",
        |shutdown| ctrlc::set_handler(socket_lessons_tools::cli::on_ctrl_c(shutdown)),
        socket_lessons_tools::netassist::run,
    )
}
