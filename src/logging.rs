//! What servers say, on stderr, through `log` + `env_logger`.
//!
//! Every line is labelled with the thread that wrote it (`server`, `client 127.0.0.1:50312`, ...),
//! because a demo runs a server and its clients in one process and their lines interleave. A
//! line from a client's thread names that client once, in its label.
//! Servers and clients log at `info` by default. A demo logs only warnings by default, because
//! its narration on stdout already tells the story and interleaved log lines would blur it.
//! `RUST_LOG=info` (or `warn`, `error`, `off`, ...) overrides either default.

use std::io::Write;
use std::thread;

use env_logger::{Builder, Env};

/// Sets up logging once per process. `role` labels the main thread ("server", "client", "demo").
pub fn init(role: &'static str, default_level: &str) {
    let _ = Builder::from_env(Env::default().default_filter_or(default_level))
        .format(move |out, record| {
            let current = thread::current();
            let label = match current.name() {
                Some("main") | None => role,
                Some(name) => name,
            };
            let style = out.default_level_style(record.level());
            let message = record.args().to_string();
            // A client's thread is labelled with its peer, and the stages' messages start with
            // the peer too (lesson 3 logs them from the server's thread): say it once.
            let message = match label.strip_prefix("client ") {
                Some(peer) => message.strip_prefix(peer).map_or(message.as_str(), |rest| {
                    rest.trim_start_matches(':').trim_start()
                }),
                None => message.as_str(),
            };
            writeln!(
                out,
                "{style}{:>5}{style:#} [{label}] {message}",
                record.level()
            )
        })
        // Tests call into the library from many threads; a second init is not an error for us.
        .try_init();
}
