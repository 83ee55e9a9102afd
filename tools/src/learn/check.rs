//! Checking one exercise: build it, start it by the run contract, and run its cases from the
//! one catalogue (`grade`'s), in id order, stopping at the first failure (or, for the tests of
//! the checker itself, running them all).
//!
//! The server cases are run as `grade` runs them (`grade::run_bounded`, each within its budget)
//! against the program started as `PROGRAM server --addr 127.0.0.1:0 ARGS`, its address read
//! from its `listening on` line; lesson 1's program is started anew for every case. The cases of
//! the program itself (groups 6 and 7) get it through [`grade::program::Program`].

use std::cell::RefCell;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::child::Supervised;
use super::info::Exercise;
use super::messages;
use crate::grade::program::{ClientRun, Process, Program};
use crate::grade::{self, CaseResult, Protocol, Run, Target, Verdict};
use crate::probe::{self, PATIENCE};

/// The longest a build may take (a cold one builds serde_json and md-5 once).
pub const BUILD_LIMIT: Duration = Duration::from_secs(600);

/// Where things are.
#[derive(Debug, Clone)]
pub struct Places {
    /// The repository's top folder.
    pub repository: PathBuf,
}

impl Places {
    pub fn exercises(&self) -> PathBuf {
        self.repository.join("exercises")
    }

    /// The exercises' own build folder (their workspace's `target`).
    pub fn target_dir(&self) -> PathBuf {
        self.exercises().join("target")
    }

    /// Where a program of the exercises' build is.
    pub fn program(&self, name: &str) -> PathBuf {
        self.target_dir()
            .join("debug")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
    }
}

/// What a build said.
pub enum Built {
    Ok,
    /// The compiler's message, exactly as it wrote it.
    Failed(String),
}

/// Builds package `package` of the exercises' workspace, the compiler's colours kept when
/// `colour`.
pub fn build(places: &Places, package: &str, colour: bool) -> Result<Built, String> {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .args(["build", "--quiet", "--manifest-path"])
        .arg(places.exercises().join("Cargo.toml"))
        .arg("--target-dir")
        .arg(places.target_dir())
        .args(["-p", package])
        .args(["--color", if colour { "always" } else { "never" }]);
    let finished = probe::run(&mut command, b"", BUILD_LIMIT).map_err(|e| e.to_string())?;
    if finished.status.success() {
        Ok(Built::Ok)
    } else {
        Ok(Built::Failed(
            String::from_utf8_lossy(&finished.stderr).into_owned(),
        ))
    }
}

/// The result of one check.
pub struct Checked {
    /// Every case that ran, in order, with its result.
    pub results: Vec<CaseResult>,
    /// The first failure, if any.
    pub failure: Option<Failure>,
    pub took: Duration,
}

/// A failure, with what the student needs to see it.
pub struct Failure {
    pub result: CaseResult,
    /// The hint that fits what was observed.
    pub hint: String,
    /// How the program stood after it: still running, or exited (and its last words).
    pub program: String,
}

impl Checked {
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }

    /// The ids of the cases that failed.
    pub fn failed_ids(&self) -> Vec<String> {
        self.results
            .iter()
            .filter(|r| r.verdict == Verdict::Fail)
            .map(|r| r.id.clone())
            .collect()
    }
}

/// How a check runs.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Run every case, not only up to the first failure (the checker's own tests do).
    pub keep_going: bool,
    /// The longest any one wait may take (`learn` waits the probe's patience).
    pub patience: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            keep_going: false,
            patience: PATIENCE,
        }
    }
}

/// Checks `exercise`'s `program` (a path): every case of its list in id order, up to the first
/// failure or (`keep_going`) all of them. `each` sees every result as it comes.
pub fn check(
    places: &Places,
    exercise: &Exercise,
    program: &Path,
    settings: Settings,
    each: &mut dyn FnMut(&CaseResult),
) -> Result<Checked, String> {
    let started = Instant::now();
    let keep_going = settings.keep_going;
    let protocol = Protocol::parse(&exercise.protocol)?;
    let bench = Bench::new(places, exercise, program, protocol, settings.patience)?;
    let mut ids: Vec<&String> = exercise.cases.iter().collect();
    ids.sort_by_key(|id| grade::id_key(id));
    let mut results = Vec::new();
    let mut failure = None;
    'cases: for id in ids {
        let case = grade::case(id).ok_or_else(|| messages::no_such_case(id))?;
        if exercise.fresh_server || !bench.has_server() {
            bench.restart()?;
        }
        let mut runs = vec![(case.id.to_string(), *case)];
        if let Some(after) = grade::lifecycle_id(case) {
            runs.push((after, grade::lifecycle_case(case)));
        }
        for (id, case) in runs {
            let (outcome, took) = match case.run {
                Run::Program(run) => {
                    let started = Instant::now();
                    // The client cases do not need the exercise's server: it is paused while
                    // they run, so that one spinning on a core cannot slow them down.
                    let client = grade::id_key(&id).0 == 6;
                    let paused = bench.pid().filter(|_| client);
                    if let Some(pid) = paused {
                        super::child::pause(pid, true);
                    }
                    let outcome = run(&bench);
                    if let Some(pid) = paused {
                        super::child::pause(pid, false);
                    }
                    (outcome, started.elapsed())
                }
                _ => grade::run_bounded(&case, &bench.target()),
            };
            // As grade makes it, without `--strict`: a SHOULD missed is not a failure here.
            let settings = grade::Settings::new(bench.target());
            let result = grade::result_of(&id, &case, outcome, took, &settings);
            each(&result);
            let failed = result.verdict == Verdict::Fail;
            results.push(result);
            if failed && failure.is_none() {
                let result = results.last().expect("just pushed").clone();
                let program = bench.state();
                let hint = hint_for(exercise, &result, &program);
                failure = Some(Failure {
                    result,
                    hint,
                    program,
                });
                if !keep_going {
                    break 'cases;
                }
            }
        }
    }
    drop(bench);
    Ok(Checked {
        results,
        failure,
        took: started.elapsed(),
    })
}

/// The hint that fits what was observed: the exercise's own diagnosis of a classic mistake
/// (`info.toml`: a broken program's hint, when this is the first case it fails and what was
/// observed says what it says); else the judge's, chosen from what was observed; else, for the
/// case an untouched starter fails first, the exercise's first hint; else the case's own.
fn hint_for(exercise: &Exercise, result: &CaseResult, program: &str) -> String {
    // The words an exercise looks for are English, whatever the reader speaks.
    let seen = format!("{} {program}", result.english.observed);
    let diagnosis = exercise.broken.iter().find(|broken| {
        broken.fails.first() == Some(&result.id)
            && broken.when_observed.iter().all(|word| seen.contains(word))
            && !broken
                .unless_observed
                .iter()
                .any(|word| seen.contains(word))
    });
    if let Some(broken) = diagnosis {
        return broken.hint_shown().to_string();
    }
    match (&result.outcome.hint, exercise.hints_shown().first()) {
        (Some(judge), _) => judge.shown.clone(),
        (None, Some(first)) if result.id == exercise.starter_fails_first => first.clone(),
        _ => result.hint.clone(),
    }
}

/// The program under test and everything the cases need of it: the server started by the run
/// contract (restarted where the exercise says), the other servers and clients the program
/// cases start, and the scratch folders; all stopped and removed when dropped.
struct Bench<'a> {
    exercise: &'a Exercise,
    program: &'a Path,
    protocol: Protocol,
    patience: Duration,
    /// The scratch folder of this check (under `exercises/target`).
    scratch: PathBuf,
    /// The served folder of lesson 8 (`{ROOT}`).
    root: PathBuf,
    server: RefCell<Option<(Supervised, SocketAddr)>>,
    /// Every server process started, for their standard error (the last one's is live).
    retired: RefCell<Vec<Supervised>>,
    scratches: RefCell<usize>,
}

impl<'a> Bench<'a> {
    fn new(
        places: &Places,
        exercise: &'a Exercise,
        program: &'a Path,
        protocol: Protocol,
        patience: Duration,
    ) -> Result<Bench<'a>, String> {
        let scratch = places.target_dir().join("learn").join(format!(
            "{}-{}",
            exercise.name,
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&scratch);
        let files = scratch.join("files");
        let root = files.join("root");
        std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
        let write = |path: PathBuf, body: &[u8]| {
            std::fs::write(&path, body).map_err(|e| format!("{}: {e}", path.display()))
        };
        write(
            root.join(crate::scenario::files::A_TXT),
            crate::scenario::files::A_TXT_BODY,
        )?;
        write(
            files.join("secret.txt"),
            crate::scenario::files::SECRET_BODY,
        )?;
        Ok(Bench {
            exercise,
            program,
            protocol,
            patience,
            scratch,
            root,
            server: RefCell::new(None),
            retired: RefCell::new(Vec::new()),
            scratches: RefCell::new(0),
        })
    }

    fn has_server(&self) -> bool {
        self.server.borrow().is_some()
    }

    /// `PROGRAM server --addr 127.0.0.1:0 ARGS EXTRA`, once it has said where it listens.
    fn spawn_server(&self, extra: &[&str]) -> Result<(Supervised, SocketAddr), String> {
        let root = self.root.to_string_lossy().into_owned();
        let mut command = Command::new(self.program);
        command.args(["server", "--addr", "127.0.0.1:0"]);
        command.args(
            self.exercise
                .server_args
                .iter()
                .map(|arg| arg.replace("{ROOT}", &root)),
        );
        command.args(extra).current_dir(&self.scratch);
        let mut server = Supervised::spawn(&mut command, None)
            .map_err(|e| messages::cannot_start(self.program, &e))?;
        let addr = server.wait_for_listening(self.patience)?;
        Ok((server, addr))
    }

    /// A new main server, the old one stopped.
    fn restart(&self) -> Result<(), String> {
        if let Some((mut old, _)) = self.server.borrow_mut().take() {
            old.stop();
            self.retired.borrow_mut().push(old);
        }
        let started = self.spawn_server(&[])?;
        *self.server.borrow_mut() = Some(started);
        Ok(())
    }

    /// How the main server stands: still running, or exited, and what it said last.
    fn state(&self) -> String {
        let mut server = self.server.borrow_mut();
        let Some((server, _)) = server.as_mut() else {
            return String::new();
        };
        let flood = server.flooded();
        let mut state = match server.exited_within(Duration::ZERO) {
            None => messages::still_running(),
            Some(status) => messages::has_exited(status, &server.stderr_text()),
        };
        if flood > 0 {
            state.push_str(&messages::flooded(flood));
        }
        state
    }
}

impl Drop for Bench<'_> {
    fn drop(&mut self) {
        if let Some((mut server, _)) = self.server.borrow_mut().take() {
            server.stop();
        }
        self.retired.borrow_mut().clear();
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

impl Program for Bench<'_> {
    fn target(&self) -> Target {
        let addr = self
            .server
            .borrow()
            .as_ref()
            .map_or(SocketAddr::from(([127, 0, 0, 1], 9)), |(_, addr)| *addr);
        Target {
            addr,
            protocol: self.protocol,
            patience: self.patience,
        }
    }

    fn pid(&self) -> Option<u32> {
        self.server
            .borrow()
            .as_ref()
            .map(|(server, _)| server.pid())
    }

    fn stderr(&self) -> String {
        let mut all: Vec<String> = self
            .retired
            .borrow()
            .iter()
            .map(Supervised::stderr_text)
            .collect();
        if let Some((server, _)) = self.server.borrow().as_ref() {
            all.push(server.stderr_text());
        }
        all.join("\n")
    }

    fn start(&self, args: &[&str]) -> Result<Box<dyn Process>, String> {
        let (server, addr) = self.spawn_server(args)?;
        Ok(Box::new(Started {
            server: RefCell::new(server),
            target: Target {
                addr,
                protocol: self.protocol,
                patience: self.patience,
            },
        }))
    }

    fn client(
        &self,
        addr: SocketAddr,
        input: &[u8],
        dir: &Path,
        within: Duration,
    ) -> Result<ClientRun, String> {
        let mut command = Command::new(self.program);
        command
            .args(["client", "--addr", &addr.to_string()])
            .current_dir(dir);
        let mut client = Supervised::spawn(&mut command, Some(input.to_vec()))
            .map_err(|e| messages::cannot_start(self.program, &e))?;
        let status = client.exited_within(within);
        // Stopped if it runs on; either way its pipes are read to their end before its output
        // is taken (a process that has exited may have left its last bytes in them).
        client.stop();
        Ok(ClientRun {
            code: status.and_then(|s| s.code()),
            stopped: status.is_none(),
            stdout: client.stdout(),
            stderr: client.stderr_text().into_bytes(),
        })
    }

    fn scratch(&self, what: &str) -> Result<PathBuf, String> {
        let mut count = self.scratches.borrow_mut();
        *count += 1;
        let path = self.scratch.join(format!("{what}-{count}"));
        std::fs::create_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }
}

/// A server a program case started: stopped when the case drops it.
struct Started {
    server: RefCell<Supervised>,
    target: Target,
}

impl Process for Started {
    fn target(&self) -> Target {
        self.target.clone()
    }

    fn exited_within(&self, within: Duration) -> Option<bool> {
        self.server
            .borrow_mut()
            .exited_within(within)
            .map(|status| status.success())
    }
}
