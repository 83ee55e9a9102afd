//! `grade`'s command line: what `src/bin/grade.rs` runs.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use socket_lessons::endpoint::parse_addr;
use socket_lessons::shutdown::ShutdownSignal;

use super::{
    CASE_MAX_BYTES, DEFAULT_BUDGET, DEFAULT_PATIENCE, Protocol, Settings, Stopped, Target, report,
};
use crate::scenario::budget::mebibytes;

/// Grade a server from the outside: a numbered catalogue of cases (1 basics, 2 framing,
/// 3 concurrency, 4 hostile input, 5 lifecycle), each PASS, NON-STRICT, FAIL or INFO.
#[derive(Parser, Debug)]
#[command(
    name = "grade",
    version,
    after_help = format!(
        "Bounded whatever the server does: each case takes in at most {} from it (a reply \
        frame announcing more than 8 MiB is refused unread) and takes at most 4 × patience + 2 s; \
        the whole run stops at --budget, counting the cases it did not run. The exit status is 1 when any case failed (with --strict, also when a SHOULD was \
        missed), when nothing listens at ADDR, or when the run stopped early. Hostile cases \
        (group 4) send malformed and oversized input: only to a server you are allowed to test.",
        mebibytes(CASE_MAX_BYTES)
    )
)]
pub struct Args {
    /// The server to grade, HOST:PORT (nothing leaves this machine unless you name another)
    #[arg(long, value_name = "ADDR", value_parser = parse_addr)]
    pub addr: std::net::SocketAddr,
    /// What it speaks: echo (lessons 1-4), commands (lesson 5), framed (lesson 6), udp
    /// (lesson 7), chat (lesson 9), or rfc862 (a plain echo server: the bytes as sent)
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
    /// The longest any one wait may take, in seconds; a reply not whole by then counts as none
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_PATIENCE.as_secs_f64())]
    pub patience: f64,
    /// The longest the whole run may take, in seconds: no case starts after it
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_BUDGET.as_secs_f64())]
    pub budget: f64,
    /// Also list the cases skipped because they are for other protocols (always counted)
    #[arg(long)]
    pub all: bool,
}

/// `--patience` or `--budget`: a number of seconds above 0.
fn seconds(flag: &str, value: f64) -> Result<Duration, String> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|wait| !wait.is_zero())
        .ok_or_else(|| {
            crate::t!(
                "grade-error-seconds",
                flag = flag,
                value = value.to_string()
            )
        })
}

/// Runs the grader as its command line says; an `Err` is the one `error:` line.
pub fn run(args: Args, shutdown: ShutdownSignal) -> Result<(), String> {
    let patience = seconds("--patience", args.patience)?;
    let budget = seconds("--budget", args.budget)?;
    let settings = Settings {
        target: Target {
            addr: args.addr,
            protocol: args.protocol,
            patience,
        },
        cases: args.cases.clone(),
        strict: args.strict,
        budget,
        // Each result is printed as it comes: what it observed need not be kept after.
        keep_observations: false,
    };
    if super::selected(&settings) == 0 {
        return Err(crate::t!(
            "grade-error-no-case-matches",
            cases = args.cases.as_deref().unwrap_or("")
        ));
    }
    let look = report::Look {
        width: crate::terminal::width(),
        colour: io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
        all: args.all,
    };
    let mut out = io::stdout().lock();
    let mut group = String::new();
    let mut headed = false;
    let addr = args.addr;
    let mut warn = || {
        if let Some(warning) = hostile_warning(addr) {
            eprintln!("{warning}");
        }
    };
    // The heading comes with the first line of a result: a run that finds nobody listening
    // prints only its one error line.
    let mut each = |result: &super::CaseResult| {
        let lines = report::case_lines(result, &look);
        if lines.is_empty() {
            return;
        }
        if !headed {
            headed = true;
            let _ = writeln!(out, "{}", report::heading(&settings));
        }
        if let Some(heading) = report::heading_before(result, &mut group) {
            let _ = writeln!(out, "{heading}");
        }
        let _ = write!(out, "{lines}");
        let _ = out.flush();
    };
    let finished = super::run_until(&settings, &mut warn, &mut each, &|| shutdown.is_triggered());
    let results = &finished.results;
    if finished.stopped == Some(Stopped::NothingListening) {
        let over = if args.protocol == Protocol::Udp {
            "UDP"
        } else {
            "TCP"
        };
        return Err(crate::t!(
            "grade-error-nothing-listening",
            addr = addr.to_string(),
            over = over
        ));
    }
    if let Some(path) = &args.json {
        write_atomically(path, report::json(&settings, results).as_bytes()).map_err(|e| {
            crate::t!(
                "grade-error-cannot-write",
                path = path.display().to_string(),
                error = e.to_string()
            )
        })?;
    }
    // Not `println!`: it panics when stdout is a pipe whose reader has gone (`grade … | head`).
    if !headed {
        let _ = writeln!(io::stdout(), "{}", report::heading(&settings));
    }
    let _ = writeln!(io::stdout(), "{}", report::summary(results));
    let failed = results
        .iter()
        .filter(|r| r.verdict == super::Verdict::Fail)
        .count();
    let mut why = Vec::new();
    if failed > 0 {
        why.push(crate::t!("grade-error-failed", failed = failed.to_string()));
    }
    match finished.stopped {
        None | Some(Stopped::NothingListening) => {}
        Some(Stopped::ServerGone { during, not_run }) => why.push(crate::t!(
            "grade-error-server-gone",
            addr = addr.to_string(),
            during = during,
            not_run = not_run.to_string()
        )),
        Some(Stopped::OutOfTime { budget, not_run }) => why.push(crate::t!(
            "grade-error-out-of-time",
            secs = crate::scenario::wire::secs(budget),
            not_run = not_run.to_string()
        )),
        Some(Stopped::Interrupted { .. }) => why.push(crate::t!("grade-error-interrupted")),
    }
    if why.is_empty() {
        Ok(())
    } else {
        Err(why.join(&crate::t!("grade-error-separator")))
    }
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
    (!addr.ip().is_loopback())
        .then(|| crate::t!("grade-warning-not-loopback", addr = addr.to_string()))
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
