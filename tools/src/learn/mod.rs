//! `learn`: the exercises' runner, in the manner of rustlings (`cargo run --bin learn`).
//!
//! ```text
//! learn [--manual-run]     watch: check the first unfinished exercise on every save
//! learn list               every exercise, done or not
//! learn check N            build and check exercise N once (exit 0: it passes, 1: it does not)
//! learn hint N [--all]     the next hint of exercise N (or all of them)
//! learn reset N [--yes]    the starter back, the student's file kept as main.rs.bak
//! ```
//!
//! Checking ([`check`]) runs the exercise's cases from the one catalogue, `grade`'s, against the
//! student's own program; a failure is explained ([`explain`]) with the case's expectation, what
//! was observed, a picture of the writes and reads, and the hint that fits. Progress is one small
//! git-ignored file, `exercises/.learn-progress` ([`progress`]); nothing is written outside
//! `exercises/` (the build goes to `exercises/target`, as do the checks' scratch folders).
//!
//! Watching polls the file's modification time every [`POLL`] rather than using the `notify`
//! crate: one `stat` a third of a second costs nothing, needs no dependency, and works where
//! file events do not arrive (network and container mounts, editors that replace the file).
//! `--manual-run` checks on Enter instead, for wherever even that fails.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, SystemTime};

use clap::{Parser, Subcommand};

pub mod check;
pub mod child;
pub mod explain;
pub mod info;
pub mod messages;
pub mod progress;

use check::{Built, Places};
use info::{Exercise, Info};
use progress::Progress;

/// How often watch mode looks at the file's modification time.
pub const POLL: Duration = Duration::from_millis(300);

/// The exercises: write each lesson's server and client yourself, checked by the course's own
/// cases (exercises/README.md).
#[derive(Parser, Debug)]
#[command(name = "learn", version)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Action>,
    /// Watch mode without watching: check when Enter is pressed (where saving is not noticed)
    #[arg(long)]
    pub manual_run: bool,
}

#[derive(Subcommand, Debug)]
pub enum Action {
    /// Every exercise, done or not
    List,
    /// Build and check exercise N once: exit status 0 when it passes, 1 when it does not
    Check {
        /// The exercise's number (3 for exercises/lesson3)
        n: usize,
    },
    /// The next hint of exercise N, in increasing detail
    Hint {
        n: usize,
        /// All its hints at once
        #[arg(long)]
        all: bool,
    },
    /// Put exercise N's starter back (your file is kept as main.rs.bak beside it)
    Reset {
        n: usize,
        /// Do not ask first
        #[arg(long)]
        yes: bool,
    },
}

/// The repository this binary was built from: the exercises are beside its tools.
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs `learn` as its command line says.
pub fn run(args: Args) -> ExitCode {
    let places = Places {
        repository: repository(),
    };
    match run_action(&places, args) {
        Ok(code) => code,
        Err(e) => {
            eprint!(
                "{}",
                crate::terminal::error_line(&e.to_string(), crate::terminal::width())
            );
            ExitCode::from(2)
        }
    }
}

fn run_action(places: &Places, args: Args) -> Result<ExitCode, String> {
    let info = Info::read(&places.exercises())?;
    let mut progress = Progress::load(&places.exercises());
    let exercise = |n: usize| {
        info.exercise(n)
            .ok_or_else(|| messages::no_such_exercise(n, info.exercises.len()))
    };
    match args.command {
        None => watch(places, &info, &mut progress, args.manual_run),
        Some(Action::List) => {
            list(&info, &progress);
            Ok(ExitCode::SUCCESS)
        }
        Some(Action::Check { n }) => {
            let passed = check_once(places, &info, exercise(n)?, &mut progress)?;
            Ok(if passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Action::Hint { n, all }) => {
            hint(exercise(n)?, &mut progress, all);
            save(&progress);
            Ok(ExitCode::SUCCESS)
        }
        Some(Action::Reset { n, yes }) => {
            reset(places, exercise(n)?, yes)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn save(progress: &Progress) {
    if let Err(e) = progress.save() {
        eprintln!("{}", messages::cannot_save_progress(&e));
    }
}

fn list(info: &Info, progress: &Progress) {
    let current = first_unfinished(info, progress).map(Exercise::number);
    println!("{}", messages::list_heading());
    for exercise in &info.exercises {
        println!(
            "{}",
            messages::list_line(
                exercise.number(),
                &exercise.name,
                progress.is_done(&exercise.name),
                Some(exercise.number()) == current,
                &exercise.chapter
            )
        );
    }
    println!(
        "{}",
        messages::progress(progress.done_count(info), info.exercises.len())
    );
}

fn first_unfinished<'a>(info: &'a Info, progress: &Progress) -> Option<&'a Exercise> {
    info.exercises.iter().find(|e| !progress.is_done(&e.name))
}

/// Whether the terminal takes colours.
fn colour() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Builds and checks `exercise`, printing as it goes; records a pass. `Ok(true)`: it passed.
fn check_once(
    places: &Places,
    info: &Info,
    exercise: &Exercise,
    progress: &mut Progress,
) -> Result<bool, String> {
    let colour = colour();
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{}", messages::building(&exercise.name));
    if let Built::Failed(compiler) = check::build(places, &exercise.name, colour)? {
        // The compiler's message first, exactly as it wrote it.
        let _ = write!(out, "{compiler}");
        let _ = writeln!(
            out,
            "{}",
            messages::build_failed(&exercise.name, &exercise.main_rs())
        );
        let _ = writeln!(
            out,
            "{}",
            messages::progress(progress.done_count(info), info.exercises.len())
        );
        return Ok(false);
    }
    let _ = writeln!(
        out,
        "{}",
        messages::checking(&exercise.name, exercise.cases.len())
    );
    let program = places.program(&exercise.name);
    let mut each = |result: &crate::grade::CaseResult| {
        let line = match result.verdict {
            crate::grade::Verdict::Pass => messages::case_passed(&result.id, &result.title),
            verdict => messages::case_line(&result.id, &verdict.shown(), &result.title),
        };
        let _ = writeln!(io::stdout(), "{line}");
    };
    drop(out);
    let checked = check::check(
        places,
        exercise,
        &program,
        check::Settings::default(),
        &mut each,
    )?;
    let mut out = io::stdout().lock();
    let _ = writeln!(out);
    match &checked.failure {
        Some(failure) => {
            for line in explain::failure(failure, colour) {
                let _ = writeln!(out, "{line}");
            }
            let _ = writeln!(out);
            let passed = checked.results.len().saturating_sub(1);
            let _ = writeln!(
                out,
                "{}",
                messages::failed_after(&failure.result.id, passed, checked.took)
            );
            let _ = writeln!(out, "{}", messages::more_hints(exercise.number()));
        }
        None => {
            progress.mark_done(&exercise.name);
            save(progress);
            let ids: Vec<String> = checked.results.iter().map(|r| r.id.clone()).collect();
            let _ = writeln!(
                out,
                "{}",
                messages::passed(&exercise.name, &ids, checked.took)
            );
            if !exercise.known_limits.is_empty() {
                let _ = writeln!(out, "{}", messages::known_limits(&exercise.known_limits));
            }
            let _ = writeln!(
                out,
                "{}",
                messages::worked_solution(
                    &exercise.stage,
                    &format!("exercises/solutions/{}.rs", exercise.name)
                )
            );
            match info.exercise(exercise.number() + 1) {
                Some(next) => {
                    let _ = writeln!(
                        out,
                        "{}",
                        messages::next_exercise(&next.name, &next.main_rs(), &next.chapter)
                    );
                }
                None => {
                    let _ = writeln!(out, "{}", messages::all_done(info.exercises.len()));
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "{}",
        messages::progress(progress.done_count(info), info.exercises.len())
    );
    Ok(checked.passed())
}

fn hint(exercise: &Exercise, progress: &mut Progress, all: bool) {
    let hints = exercise.hints_shown();
    let of = hints.len();
    if all {
        for (i, text) in hints.iter().enumerate() {
            println!("{}", messages::hint_numbered(i + 1, of, text));
        }
        return;
    }
    let seen = progress.hints_seen(&exercise.name);
    match hints.get(seen) {
        Some(text) => {
            println!("{}", messages::hint_numbered(seen + 1, of, text));
            progress.saw_hint(&exercise.name);
        }
        None => {
            if let Some(last) = hints.last() {
                println!("{}", messages::hint_numbered(of, of, last));
            }
            println!("{}", messages::no_more_hints(of));
        }
    }
}

/// Puts the starter back: the file as committed (`git show HEAD:…`), the student's kept as
/// `main.rs.bak` beside it.
fn reset(places: &Places, exercise: &Exercise, yes: bool) -> Result<(), String> {
    let main_rs = exercise.main_rs();
    if !yes {
        print!("{}", messages::reset_confirm(&main_rs));
        let _ = io::stdout().flush();
        let mut answer = String::new();
        let _ = io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("{}", messages::reset_cancelled());
            return Ok(());
        }
    }
    let starter = starter(places, &main_rs)?;
    let path = places.repository.join(&main_rs);
    let backup = format!("{main_rs}.bak");
    if path.exists() {
        std::fs::copy(&path, places.repository.join(&backup)).map_err(|e| {
            crate::t!(
                "learn-error-cannot-keep",
                backup = backup.clone(),
                error = e.to_string()
            )
        })?;
    }
    // Written beside, then renamed: the file is never half-written under its real name.
    let partial = path.with_extension("rs.partial");
    std::fs::write(&partial, starter)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|e| {
            crate::t!(
                "learn-error-cannot-write",
                main_rs = main_rs.clone(),
                error = e.to_string()
            )
        })?;
    println!("{}", messages::reset_done(&main_rs, &backup));
    Ok(())
}

/// The starter as committed.
fn starter(places: &Places, main_rs: &str) -> Result<Vec<u8>, String> {
    let mut git = Command::new("git");
    git.arg("-C")
        .arg(&places.repository)
        .args(["show", &format!("HEAD:{main_rs}")]);
    let finished =
        crate::probe::run(&mut git, b"", crate::probe::PATIENCE).map_err(|e| e.to_string())?;
    if finished.status.success() {
        Ok(finished.stdout)
    } else {
        Err(crate::t!(
            "learn-error-git",
            error = String::from_utf8_lossy(&finished.stderr).trim().to_string()
        ))
    }
}

/// Watch mode: the first unfinished exercise, checked now and on every save (or Enter).
fn watch(
    places: &Places,
    info: &Info,
    progress: &mut Progress,
    manual: bool,
) -> Result<ExitCode, String> {
    let stdin = io::stdin();
    let mut lines = stdin.lock().lines();
    loop {
        let Some(exercise) = first_unfinished(info, progress) else {
            println!("{}", messages::all_done(info.exercises.len()));
            return Ok(ExitCode::SUCCESS);
        };
        let passed = check_once(places, info, exercise, progress)?;
        if passed {
            continue;
        }
        let main_rs = exercise.main_rs();
        let path = places.repository.join(&main_rs);
        if manual {
            println!("{}", messages::manual(&main_rs));
            match lines.next() {
                Some(Ok(line)) if line.trim() == "q" => return Ok(ExitCode::SUCCESS),
                Some(Ok(_)) => continue,
                _ => return Ok(ExitCode::SUCCESS),
            }
        }
        println!("{}", messages::watching(&main_rs));
        let seen = modified(&path);
        while modified(&path) == seen {
            std::thread::sleep(POLL);
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}
