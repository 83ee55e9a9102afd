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

mod common;

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
            (1..=13)
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

/// One check at a time: the checks load the machine (a hundred clients, megabytes of
/// replies), and a test that looks for programs left running must not see another test's.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The three kinds of checker test for exercise `n`.
fn checker_tests(n: usize) {
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
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
            let why: Vec<String> = run
                .results
                .iter()
                .filter(|r| unexpected.contains(&&r.id))
                .map(|r| format!("{}: {}", r.id, r.observed))
                .collect();
            problems.push(format!(
                "{} fails {failed:?}: unexpected {unexpected:?}, missing {missing:?}\n  {}",
                broken.bin,
                why.join("\n  ")
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
    // Nothing is left running, whatever the programs did.
    for name in [&exercise.name, &exercise.solution]
        .into_iter()
        .chain(exercise.broken.iter().map(|broken| &broken.bin))
    {
        if running_copies(&places.program(name)) > 0 {
            problems.push(format!("{name} was left running"));
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

#[test]
fn exercise_12() {
    checker_tests(12);
}

#[test]
fn exercise_13() {
    checker_tests(13);
}

/// The cases made for exercises 12 and 13 (7.9 the pool, 7.10 no thread per client, 7.11 a
/// reader late for its replies) judge the course's own stages as they judge the references:
/// `lesson12` and `lesson13` pass them, and `lesson4`, a thread per client, fails 7.10 and
/// passes 7.11 (a blocking write waits for the reader, as it should). Their broken programs
/// fail them in `exercise_12` and `exercise_13`.
#[test]
fn the_pool_and_event_loop_cases_judge_the_course_stages() {
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let info = info();
    let (pool, event_loop) = (info.exercise(12).unwrap(), info.exercise(13).unwrap());
    let runs: [(&Exercise, &str, &str, &[&str]); 5] = [
        (pool, "7.9", env!("CARGO_BIN_EXE_lesson12"), &[]),
        (event_loop, "7.10", env!("CARGO_BIN_EXE_lesson13"), &[]),
        (event_loop, "7.11", env!("CARGO_BIN_EXE_lesson13"), &[]),
        (event_loop, "7.10", env!("CARGO_BIN_EXE_lesson4"), &["7.10"]),
        (event_loop, "7.11", env!("CARGO_BIN_EXE_lesson4"), &[]),
    ];
    let mut problems = Vec::new();
    for (exercise, id, stage, fails) in runs {
        let only = Exercise {
            cases: vec![id.to_string()],
            ..exercise.clone()
        };
        let run = checked(&only, Path::new(stage), true);
        let ran: Vec<&String> = run.results.iter().map(|r| &r.id).collect();
        assert_eq!(ran, [id], "{stage}");
        if run.failed_ids() != fails {
            let result = &run.results[0];
            problems.push(format!(
                "{stage}, case {id}: {:?}, expected to fail {fails:?} ({})",
                result.verdict, result.observed
            ));
        }
        if running_copies(Path::new(stage)) > 0 {
            problems.push(format!("{stage} was left running"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The runner's own promises: bounded, and nothing left behind
// ---------------------------------------------------------------------------------------------

/// How many running processes execute `program` (Linux: /proc/PID/exe).
fn running_copies(program: &Path) -> usize {
    let Ok(program) = program.canonicalize() else {
        return 0;
    };
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| {
            std::fs::read_link(entry.path().join("exe")).is_ok_and(|exe| exe == program)
        })
        .count()
}

/// Whether process `pid` is still there (a zombie counts as gone).
#[cfg(unix)]
fn alive(pid: i32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat.rsplit(')').next().unwrap_or("").trim_start();
    !stat.is_empty() && !state.starts_with('Z')
}

/// A program that never listens, and starts another process that would outlive it: the check
/// says it never listened, within the patience, and neither process is left.
#[cfg(target_os = "linux")]
#[test]
fn a_program_that_never_listens_is_reported_and_stopped_with_what_it_started() {
    let scratch = places()
        .target_dir()
        .join(format!("learn-test-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let script = scratch.join("never-listens.sh");
    let pids = scratch.join("pids");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nsleep 60 &\necho $$ $! > {}\necho 'this is not the line you want'\nexec sleep 60\n",
            pids.display()
        ),
    )
    .unwrap();
    let mut permissions = std::fs::metadata(&script).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&script, permissions).unwrap();
    let info = info();
    let exercise = info.exercise(3).unwrap();
    let started = std::time::Instant::now();
    let settings = check::Settings {
        keep_going: false,
        patience: PATIENCE_HERE,
    };
    let error = check::check(&places(), exercise, &script, settings, &mut |_| {})
        .err()
        .expect("a program that never listens cannot be checked");
    assert!(error.contains("never listened"), "{error}");
    assert!(
        started.elapsed() < PATIENCE_HERE * 3,
        "{:?}",
        started.elapsed()
    );
    let written = std::fs::read_to_string(&pids).unwrap();
    for pid in written.split_whitespace() {
        let pid: i32 = pid.parse().unwrap();
        assert!(!alive(pid), "process {pid} was left running");
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// Output without end is read and thrown away past 1 MiB, reported as a flood, and stopped.
#[cfg(target_os = "linux")]
#[test]
fn a_flood_of_output_is_kept_to_a_mebibyte_and_stopped() {
    use socket_lessons_tools::learn::child::{KEPT, Supervised};
    let mut flood = Supervised::spawn(Command::new("yes").arg("flood"), None).unwrap();
    // It floods at once; "it happened" is the count of bytes thrown away growing.
    let deadline = std::time::Instant::now() + PATIENCE;
    while flood.flooded() == 0 && std::time::Instant::now() < deadline {
        std::thread::yield_now();
    }
    assert!(flood.flooded() > 0, "no flood seen");
    assert!(flood.stdout().len() <= KEPT);
    let pid = i32::try_from(flood.pid()).unwrap();
    flood.stop();
    assert!(!alive(pid));
}

/// `learn check N` is scriptable: exit status 1 for the untouched starter (it fails), and a
/// first line that says it builds.
#[test]
fn learn_check_exits_1_on_a_failing_exercise() {
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    built();
    if !starter_is_committed("lesson2") {
        eprintln!("note: exercises/lesson2 is being worked on: not run");
        return;
    }
    let finished = probe::run(
        Command::new(env!("CARGO_BIN_EXE_learn")).args(["check", "2"]),
        b"",
        check::BUILD_LIMIT,
    )
    .unwrap();
    let stdout = String::from_utf8_lossy(&finished.stdout);
    assert_eq!(finished.status.code(), Some(1), "{stdout}");
    assert!(stdout.starts_with("building lesson2"), "{stdout}");
    assert!(stdout.contains("FAIL  case 1.2"), "{stdout}");
    assert!(stdout.contains("hint: "), "{stdout}");
    assert_eq!(running_copies(&places().program("lesson2")), 0);
}

/// `learn ARGS` with no locale (or `LANG=locale`), 80 columns.
fn learn_speaking(args: &[&str], locale: Option<&str>) -> probe::Finished {
    let mut command = Command::new(env!("CARGO_BIN_EXE_learn"));
    probe::run(
        common::with_locale(command.args(args), locale),
        b"",
        check::BUILD_LIMIT,
    )
    .unwrap()
}

/// Whether `text` holds Chinese (a CJK ideograph).
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn assert_fits_80(text: &str) {
    for line in text.lines() {
        let width = socket_lessons_tools::demo::display_width(line);
        assert!(width <= 80, "{width} columns: {line}");
    }
}

/// 中文 (issue 20): `learn list`, `learn hint --all` and `learn check` in Chinese, fitted to 80
/// columns; `--lang en` prints what it prints with no locale, fitted to 80 columns too.
#[test]
fn learn_speaks_chinese_under_lang_zh_and_todays_english_under_lang_en() {
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    built();
    let text = |finished: &probe::Finished| String::from_utf8_lossy(&finished.stdout).to_string();
    for args in [&["list"][..], &["hint", "3", "--all"][..]] {
        let plain = learn_speaking(args, None);
        let en = learn_speaking(&[&["--lang", "en"][..], args].concat(), Some("zh_CN.UTF-8"));
        assert_eq!(text(&en), text(&plain), "{args:?}");
        assert_fits_80(&text(&plain));
        let zh = learn_speaking(&[&["--lang", "zh"][..], args].concat(), None);
        let by_locale = learn_speaking(args, Some("zh_CN.UTF-8"));
        assert_eq!(text(&zh), text(&by_locale), "{args:?}");
        assert!(has_chinese(&text(&zh)), "{}", text(&zh));
        assert_fits_80(&text(&zh));
    }
    let list = text(&learn_speaking(&["--lang", "zh", "list"], None));
    assert!(list.starts_with("  #  练习       完成  章节\n"), "{list}");
    assert!(list.contains("进度："), "{list}");
    // The hints are info.toml's hints_zh, one for one.
    let hints = text(&learn_speaking(
        &["--lang", "zh", "hint", "3", "--all"],
        None,
    ));
    let exercise = info().exercise(3).unwrap().clone();
    assert!(hints.starts_with("提示 1/3："), "{hints}");
    // Folded lines put back together (spaces aside: a fold may fall on one).
    let unfolded: String = hints.split_whitespace().collect();
    for hint in &exercise.hints_zh {
        let hint: String = hint.split_whitespace().collect();
        assert!(unfolded.contains(&hint), "{hint}\n{hints}");
    }
    // And the English ones, folded at spaces only.
    let english = text(&learn_speaking(&["hint", "3", "--all"], None));
    let unfolded = english.split_whitespace().collect::<Vec<_>>().join(" ");
    for hint in &exercise.hints {
        let hint = hint.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(unfolded.contains(&hint), "{hint}\n{english}");
    }
    // A failing check: its steps, the case, what was expected and observed, the hint.
    if !starter_is_committed("lesson2") {
        eprintln!("note: exercises/lesson2 is being worked on: not run");
        return;
    }
    let finished = learn_speaking(&["--lang", "zh", "check", "2"], None);
    let stdout = text(&finished);
    assert_eq!(finished.status.code(), Some(1), "{stdout}");
    assert!(stdout.starts_with("正在编译 lesson2"), "{stdout}");
    assert!(stdout.contains("失败  用例 1.2："), "{stdout}");
    assert!(stdout.contains("提示："), "{stdout}");
    assert_fits_80(&stdout);
    assert_eq!(running_copies(&places().program("lesson2")), 0);
}
