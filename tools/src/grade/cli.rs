//! `grade`'s command line: what `src/bin/grade.rs` runs.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use socket_lessons::endpoint::parse_addr;
use socket_lessons::shutdown::ShutdownSignal;

use super::{DEFAULT_PATIENCE, Protocol, Settings, Target, report};

/// Grade a server from the outside: a numbered catalogue of cases (1 basics, 2 framing,
/// 3 concurrency, 4 hostile input, 5 lifecycle), each PASS, NON-STRICT, FAIL or INFO.
#[derive(Parser, Debug)]
#[command(
    name = "grade",
    version,
    after_help = "The exit status is 1 when any case failed \
    (with --strict, also when a SHOULD was missed). Hostile cases (group 4) send malformed and \
    oversized input: only to a server you are allowed to test."
)]
pub struct Args {
    /// The server to grade, HOST:PORT (nothing leaves this machine unless you name another)
    #[arg(long, value_name = "ADDR", value_parser = parse_addr)]
    pub addr: std::net::SocketAddr,
    /// What it speaks: echo (lessons 1-4), commands (lesson 5), framed (lesson 6), udp
    /// (lesson 7), chat (lesson 9)
    #[arg(long, value_name = "PROTOCOL", value_parser = Protocol::parse)]
    pub protocol: Protocol,
    /// Only these cases: a group (`2`), a case (`2.3`), a group's cases (`4.*`), or a list
    /// (`1,4.4,5.4`)
    #[arg(long, value_name = "PATTERN")]
    pub cases: Option<String>,
    /// Also write every case's result to FILE as JSON
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Count a missed SHOULD (NON-STRICT) as a FAIL
    #[arg(long)]
    pub strict: bool,
    /// The longest any one wait may take, in seconds; a reply later than this counts as none
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_PATIENCE.as_secs_f64())]
    pub patience: f64,
}

/// Runs the grader as its command line says; an `Err` is the one `error:` line.
pub fn run(args: Args, shutdown: ShutdownSignal) -> Result<(), String> {
    let patience = Duration::try_from_secs_f64(args.patience)
        .ok()
        .filter(|p| !p.is_zero())
        .ok_or_else(|| {
            format!(
                "--patience {}: expected a number of seconds above 0",
                args.patience
            )
        })?;
    let settings = Settings {
        target: Target {
            addr: args.addr,
            protocol: args.protocol,
            patience,
        },
        cases: args.cases.clone(),
        strict: args.strict,
    };
    let colour = io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{}", report::heading(&settings));
    let mut group = String::new();
    let addr = args.addr;
    let mut warn = || {
        if let Some(warning) = hostile_warning(addr) {
            eprintln!("{warning}");
        }
    };
    let mut each = |result: &super::CaseResult| {
        if let Some(heading) = report::heading_before(result, &mut group) {
            let _ = writeln!(out, "{heading}");
        }
        let _ = write!(out, "{}", report::case_lines(result, colour));
        let _ = out.flush();
    };
    let results = super::run_until(&settings, &mut warn, &mut each, &|| shutdown.is_triggered());
    if results.is_empty() {
        return Err(format!(
            "--cases {}: no case of the catalogue matches",
            args.cases.as_deref().unwrap_or("")
        ));
    }
    if let Some(path) = &args.json {
        write_atomically(path, report::json(&settings, &results).as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    // Not `println!`: it panics when stdout is a pipe whose reader has gone (`grade … | head`).
    let _ = writeln!(io::stdout(), "{}", report::summary(&results));
    if shutdown.is_triggered() {
        return Err("interrupted: not every case ran".into());
    }
    let failed = results
        .iter()
        .filter(|r| r.verdict == super::Verdict::Fail)
        .count();
    if failed > 0 {
        return Err(format!("{failed} case(s) failed"));
    }
    Ok(())
}

/// A file is never half-written under its real name: write a sibling, then rename it.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path)
}

/// What the grader says before the hostile cases, when the server is not on this machine.
pub fn hostile_warning(addr: std::net::SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "warning: {addr} is not a loopback address; the hostile cases (group 4) now send it \
             malformed and oversized input. Ctrl-C stops before the next case."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_server_off_this_machine_gets_the_warning() {
        assert_eq!(hostile_warning("127.0.0.1:8006".parse().unwrap()), None);
        assert_eq!(hostile_warning("[::1]:8006".parse().unwrap()), None);
        let warning = hostile_warning("192.0.2.7:8006".parse().unwrap()).unwrap();
        assert!(warning.starts_with("warning: 192.0.2.7:8006 is not a loopback address;"));
    }
}
