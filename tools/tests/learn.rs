//! Tests of the checker itself (CodeCrafters' practice): for every exercise, the checker that
//! `learn check` runs is played against
//!
//! - (a) the untouched starter: it compiles, and fails, first at the case `info.toml` says;
//! - (b) the reference solution: it passes every case;
//! - (c) every broken-on-purpose solution: it fails exactly the case ids `info.toml` says (all
//!   of its cases run, not only up to the first failure), and its first failure gets its hint.
//!
//! And the runner's own promises: `learn check N` exits 0 or 1, a build error shows the
//! compiler's message first, a program that never listens or hangs is reported and stopped, and
//! nothing is left running.
//!
//! A starter a student has edited (it differs from the committed one) is not checked here.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use socket_lessons_tools::learn::check::{self, Built, Places};
use socket_lessons_tools::learn::info::{Exercise, Info};
use socket_lessons_tools::probe::{self, PATIENCE};

fn places() -> Places {
    Places {
        repository: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")),
    }
}

fn info() -> Info {
    Info::read(&places().exercises()).expect("exercises/info.toml")
}

/// Builds the solutions and every starter once for the whole file.
fn built() {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let places = places();
        let mut packages = vec!["solutions".to_string()];
        packages.extend(
            (1..=11)
                .map(|n| format!("lesson{n}"))
                .filter(|name| starter_is_committed(name)),
        );
        for package in packages {
            match check::build(&places, &package, false).expect("cargo runs") {
                Built::Ok => {}
                Built::Failed(message) => panic!("{package} does not build:\n{message}"),
            }
        }
    });
}

/// Whether `exercises/NAME/src/main.rs` is still the starter as committed.
fn starter_is_committed(name: &str) -> bool {
    let mut git = Command::new("git");
    git.arg("-C")
        .arg(&places().repository)
        .args(["diff", "--quiet", "HEAD", "--"])
        .arg(format!("exercises/{name}/src/main.rs"));
    match probe::run(&mut git, b"", PATIENCE) {
        Ok(finished) => finished.status.code() != Some(1),
        Err(_) => true,
    }
}

/// How long the checker waits here for what should happen. `learn` waits the probe's 10 s; a
/// broken program makes many waits run out, so the tests wait less (loopback answers in
/// milliseconds: 3 s is still a hundred times more than a correct server needs).
const PATIENCE_HERE: Duration = Duration::from_secs(3);

/// Runs the checker on `program` for `exercise`, all cases or up to the first failure.
fn checked(exercise: &Exercise, program: &Path, keep_going: bool) -> check::Checked {
    let settings = check::Settings {
        keep_going,
        patience: PATIENCE_HERE,
    };
    check::check(&places(), exercise, program, settings, &mut |_| {})
        .unwrap_or_else(|e| panic!("{}: the check could not run: {e}", exercise.name))
}

/// Whether `id` is among `ids`, a hostile 4.N bringing its 5.N.
fn among(id: &str, ids: &[String]) -> bool {
    ids.iter().any(|listed| listed == id)
}

/// The three kinds of checker test for exercise `n`.
fn checker_tests(n: usize) {
    built();
    let info = info();
    let exercise = info.exercise(n).expect("an exercise");
    let places = places();
    let mut problems = Vec::new();

    // (b) the reference passes every case.
    let reference = checked(exercise, &places.program(&exercise.solution), true);
    let failed = reference.failed_ids();
    if !failed.is_empty() {
        let why: Vec<String> = reference
            .results
            .iter()
            .filter(|r| failed.contains(&r.id))
            .map(|r| format!("{}: {}", r.id, r.observed))
            .collect();
        problems.push(format!(
            "the reference fails {failed:?}:\n  {}",
            why.join("\n  ")
        ));
    }

    // (a) the untouched starter fails, first at the case info.toml says.
    if starter_is_committed(&exercise.name) {
        let starter = checked(exercise, &places.program(&exercise.name), false);
        match &starter.failure {
            None => problems.push("the starter passes".into()),
            Some(failure) if failure.result.id != exercise.starter_fails_first => {
                problems.push(format!(
                    "the starter fails first at {} ({}), not {}",
                    failure.result.id, failure.result.observed, exercise.starter_fails_first
                ));
            }
            Some(failure) => {
                // Its hint is the exercise's first, or one chosen from what was observed.
                assert!(!failure.hint.is_empty());
            }
        }
    }

    // (c) every broken program fails exactly its ids, and its first failure gets its hint.
    for broken in &exercise.broken {
        let run = checked(exercise, &places.program(&broken.bin), true);
        let failed = run.failed_ids();
        let unexpected: Vec<&String> = failed
            .iter()
            .filter(|id| !among(id, &broken.fails) && !among(id, &broken.may_fail))
            .collect();
        let missing: Vec<&String> = broken
            .fails
            .iter()
            .filter(|id| !failed.contains(id))
            .collect();
        if !unexpected.is_empty() || !missing.is_empty() {
            problems.push(format!(
                "{} fails {failed:?}: unexpected {unexpected:?}, missing {missing:?}",
                broken.bin
            ));
        }
        if let Some(failure) = &run.failure {
            if failure.result.id == broken.fails[0] && failure.hint != broken.hint {
                problems.push(format!(
                    "{}: its first failure ({}: {}) got the hint {:?}, not its own",
                    broken.bin, failure.result.id, failure.result.observed, failure.hint
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}:\n{}",
        exercise.name,
        problems.join("\n")
    );
}

#[test]
fn exercise_1() {
    checker_tests(1);
}

#[test]
fn exercise_2() {
    checker_tests(2);
}

#[test]
fn exercise_3() {
    checker_tests(3);
}

#[test]
fn exercise_4() {
    checker_tests(4);
}

#[test]
fn exercise_5() {
    checker_tests(5);
}

#[test]
fn exercise_6() {
    checker_tests(6);
}

#[test]
fn exercise_7() {
    checker_tests(7);
}

#[test]
fn exercise_8() {
    checker_tests(8);
}

#[test]
fn exercise_9() {
    checker_tests(9);
}

#[test]
fn exercise_10() {
    checker_tests(10);
}

#[test]
fn exercise_11() {
    checker_tests(11);
}
