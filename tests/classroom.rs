//! What a student or instructor reads from the programs themselves: `cargo run` with no
//! `--bin`, `--version`, `--help` that fits, and error messages that say what to do
//! (docs/contracts.md, "Command lines").

mod common;

use std::net::TcpListener;
use std::process::Command;

use socket_lessons::course::LESSONS;
use socket_lessons::probe::{self, PATIENCE};

use common::bin;

fn output(program: &str, args: &[&str]) -> (bool, String, String) {
    let finished = probe::run(Command::new(program).args(args), b"", PATIENCE)
        .unwrap_or_else(|e| panic!("{program} {args:?}: {e}"));
    (
        finished.status.success(),
        String::from_utf8(finished.stdout).unwrap(),
        String::from_utf8(finished.stderr).unwrap(),
    )
}

#[test]
fn cargo_run_without_a_bin_prints_the_course_and_how_to_start() {
    let (ok, stdout, _) = output(env!("CARGO_BIN_EXE_course"), &[]);
    assert!(ok);
    for lesson in &LESSONS {
        assert!(
            stdout.contains(&lesson.bin_name()) && stdout.contains(lesson.tutorial_step),
            "the overview should name {}:\n{stdout}",
            lesson.bin_name()
        );
    }
    assert!(stdout.contains("cargo run --bin lesson1"), "{stdout}");
}

#[test]
fn every_binary_answers_version() {
    let version = env!("CARGO_PKG_VERSION");
    let mut programs: Vec<&str> = LESSONS.iter().map(|l| bin(l.number)).collect();
    programs.push(env!("CARGO_BIN_EXE_course"));
    for program in programs {
        let (ok, stdout, _) = output(program, &["--version"]);
        assert!(ok, "{program} --version failed");
        assert!(stdout.trim_end().ends_with(version), "{program}: {stdout}");
    }
}

#[test]
fn help_fits_100_columns_when_not_a_terminal() {
    for lesson in &LESSONS {
        for args in [
            &["--help"][..],
            &["server", "--help"],
            &["client", "--help"],
        ] {
            let (ok, stdout, _) = output(bin(lesson.number), args);
            assert!(ok);
            for line in stdout.lines() {
                assert!(
                    line.chars().count() <= 100,
                    "{} {args:?}: a line of {} columns:\n{line}",
                    lesson.bin_name(),
                    line.chars().count()
                );
            }
        }
    }
}

#[test]
fn an_address_in_use_says_what_to_do() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (ok, _, stderr) = output(bin(3), &["server", "--addr", &addr]);
    assert!(!ok);
    let error = stderr
        .lines()
        .find(|line| line.starts_with("error:"))
        .unwrap_or_else(|| panic!("no error line:\n{stderr}"));
    assert!(error.contains("already in use"), "{error}");
    assert!(error.contains("still running"), "{error}");
    assert!(error.contains("--addr"), "{error}");
}
