//! The grader: a numbered catalogue of cases, run against any server from the outside.
//!
//! Instructors grade student servers, and the course grades its own stages, the same way the
//! field grades servers: a catalogue of numbered cases, each with a description, an expectation
//! and a verdict (as the Autobahn|Testsuite does for WebSocket servers, or h2spec for HTTP/2).
//! The catalogue is data ([`catalogue::CASES`]): each [`Case`] knows its id (`2.3`), its group,
//! the protocols it applies to, whether what it checks is a MUST or a SHOULD, the hint a student
//! reads when it fails, and how it is run: an experiment of the scenario engine
//! ([`crate::scenario`], the same experiments `compare` tabulates and the demos narrate) and a
//! judge ([`judge`]) that renders what it found as an [`Outcome`]: a [`Verdict`], what was
//! expected and what was observed, and, where the finding tells causes apart, the hint that fits
//! what was observed. Every run is bounded: each case in time and in the bytes it reads
//! ([`case_budget`], [`CASE_MAX_BYTES`]), the whole run in time ([`Settings::budget`]), whatever
//! the server sends.
//!
//! The project's own tests of hostile input run the same cases against the stages
//! (`tests/sticky_stages.rs`, `tests/grade.rs`): there is one list of what a server must survive,
//! not two.
//!
//! Groups: 1 basics, 2 framing, 3 concurrency, 4 hostile input, 5 lifecycle (case 5.N checks,
//! after hostile case 4.N, that the server still serves a well-behaved client).

use std::fmt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::probe::{BoundedThread, PATIENCE};
use crate::scenario::{Act, Budget, Observations};

pub mod catalogue;
pub mod chat;
pub mod cli;
pub mod diagnose;
pub mod files;
pub mod judge;
pub mod program;
pub mod report;
pub mod robot;

pub use crate::scenario::{Protocol, Target};
pub use catalogue::CASES;
pub use judge::still_serves;

use crate::said::Said;

/// How much a case's expectation weighs (the words of RFC 2119).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Level {
    /// Missing it is a FAIL: wrong bytes, a server gone, a hang.
    Must,
    /// Missing it is NON-STRICT (a FAIL with `--strict`): say, no error reply before a hang-up.
    Should,
    /// Nothing is required; the case reports what the server does (INFO).
    Info,
}

/// The verdict of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    #[serde(rename = "PASS")]
    Pass,
    /// A SHOULD was missed; every MUST was kept.
    #[serde(rename = "NON-STRICT")]
    NonStrict,
    /// A MUST was missed.
    #[serde(rename = "FAIL")]
    Fail,
    /// Informational: what the server did, with nothing to pass or fail.
    #[serde(rename = "INFO")]
    Info,
    /// The case does not apply to this protocol, or could not be reached.
    #[serde(rename = "SKIPPED")]
    Skipped,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::NonStrict => "NON-STRICT",
            Verdict::Fail => "FAIL",
            Verdict::Info => "INFO",
            Verdict::Skipped => "SKIPPED",
        }
    }

    /// The verdict as the report prints it, in the reader's language (`PASS`, `通过`).
    pub fn shown(self) -> String {
        match self {
            Verdict::Pass => crate::t!("grade-verdict-pass"),
            Verdict::NonStrict => crate::t!("grade-verdict-non-strict"),
            Verdict::Fail => crate::t!("grade-verdict-fail"),
            Verdict::Info => crate::t!("grade-verdict-info"),
            Verdict::Skipped => crate::t!("grade-verdict-skipped"),
        }
    }
}

/// What one run of a case found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub verdict: Verdict,
    /// What the case expected, in one line.
    pub expected: Said,
    /// What it saw, in one line (for a PASS, what confirmed it).
    pub observed: Said,
    /// The hostile connection's own address, when the case made one (so a test can find the
    /// server's log lines about it).
    pub hostile_peer: Option<SocketAddr>,
    /// The text of the error reply the server sent before hanging up, if it sent one (for a
    /// frame: its header's `error` field, or its body).
    pub error_reply: Option<String>,
    /// That error reply's body, exactly.
    pub error_body: Option<Vec<u8>>,
    /// The hint that fits what was observed, where it tells causes apart (else the case's own).
    pub hint: Option<Said>,
    /// What the case's experiment observed, every write and read, for a reader who wants to see
    /// why (none where the case could not run).
    pub observations: Option<Observations>,
}

impl Outcome {
    pub fn new(verdict: Verdict, expected: impl Into<Said>, observed: impl Into<Said>) -> Self {
        Outcome {
            verdict,
            expected: expected.into(),
            observed: observed.into(),
            hostile_peer: None,
            error_reply: None,
            error_body: None,
            hint: None,
            observations: None,
        }
    }

    /// This outcome, judged from `run`: its observations kept with it.
    pub fn from_run<F>(self, run: crate::scenario::Run<F>) -> Self {
        self.with_observations(run.observations)
    }

    /// This outcome, with what was observed to reach it.
    pub fn with_observations(mut self, observations: Observations) -> Self {
        self.observations = Some(observations);
        self
    }

    pub fn pass(expected: impl Into<Said>, observed: impl Into<Said>) -> Self {
        Outcome::new(Verdict::Pass, expected, observed)
    }

    pub fn fail(expected: impl Into<Said>, observed: impl Into<Said>) -> Self {
        Outcome::new(Verdict::Fail, expected, observed)
    }

    pub fn info(observed: impl Into<Said>) -> Self {
        Outcome::new(Verdict::Info, crate::said!("grade-informational"), observed)
    }

    pub fn skipped(why: impl Into<Said>) -> Self {
        Outcome::new(Verdict::Skipped, "", why)
    }
}

/// How a case is run.
#[derive(Clone, Copy)]
pub enum Run {
    /// On its own.
    Plain(fn(&Target) -> Outcome),
    /// A hostile case (group 4): run, then followed by its lifecycle case 5.N, which checks
    /// that a new, well-behaved client is still served.
    Hostile(fn(&Target) -> Outcome),
    /// A case that needs the program itself (groups 6 and 7, [`program`]): only a runner that
    /// starts it can play it (`learn`); `grade --addr` leaves it out.
    Program(program::ProgramRun),
}

/// One case of the catalogue.
#[derive(Clone, Copy)]
pub struct Case {
    /// `group.number`, e.g. `2.3`.
    pub id: &'static str,
    /// What it checks, as one sentence: `two requests in one write are answered separately`.
    pub title: &'static str,
    pub level: Level,
    /// The protocols it applies to; for the others it is skipped with a reason.
    pub protocols: &'static [Protocol],
    /// What a failure here usually means, said to the person reading the report (unless what
    /// was observed tells another cause apart: then the judge gives that one's hint).
    pub hint: &'static str,
    pub run: Run,
}

impl Case {
    /// The title in both languages: English as written above, the reader's from the
    /// catalogue (`grade-case-2-3-title`; a lifecycle case's is `grade-lifecycle-title`).
    pub fn said_title(&self) -> Said {
        self.said("title", self.title, crate::i18n::loader())
    }

    /// The hint in both languages, as [`Case::said_title`].
    pub fn said_hint(&self) -> Said {
        self.said("hint", self.hint, crate::i18n::loader())
    }

    fn said(
        &self,
        what: &str,
        english: &str,
        reader: &i18n_embed::fluent::FluentLanguageLoader,
    ) -> Said {
        let id = if self.id.contains('.') {
            format!("grade-case-{}-{what}", self.id.replace('.', "-"))
        } else {
            format!("grade-lifecycle-{what}")
        };
        // Looked up by a computed id, so not checked at compile time: a unit test checks that
        // every case's title and hint are in the catalogue, the English exactly as written here.
        Said {
            en: english.to_string(),
            shown: reader.get(&id),
        }
    }

    pub fn group(&self) -> u32 {
        group_of(self.id)
    }

    pub fn applies_to(&self, protocol: Protocol) -> bool {
        self.protocols.contains(&protocol)
    }
}

fn group_of(id: &str) -> u32 {
    id.split('.')
        .next()
        .and_then(|g| g.parse().ok())
        .unwrap_or(0)
}

/// The name of a group.
pub fn group_name(group: u32) -> &'static str {
    match group {
        1 => "basics",
        2 => "framing",
        3 => "concurrency",
        4 => "hostile input",
        5 => "lifecycle",
        6 => "client",
        7 => "program",
        _ => "other",
    }
}

/// Every case, in the order of their ids (group, then number): the order they are run in. (New
/// cases are appended to [`CASES`], whatever their group, so that the list's older entries never
/// move.)
pub fn in_order() -> Vec<&'static Case> {
    let mut cases: Vec<&'static Case> = CASES.iter().collect();
    cases.sort_by_key(|case| id_key(case.id));
    cases
}

/// An id as (group, number), for ordering: `4.10` after `4.9`.
pub fn id_key(id: &str) -> (u32, u32) {
    let (group, number) = id.split_once('.').unwrap_or((id, "0"));
    (group.parse().unwrap_or(0), number.parse().unwrap_or(0))
}

/// The case with id `id`, if the catalogue has one.
pub fn case(id: &str) -> Option<&'static Case> {
    CASES.iter().find(|case| case.id == id)
}

/// One line of the report: a case and what became of it. Its sentences (title, expected,
/// observed, hint) are in the reader's language; [`CaseResult::english`] keeps them in English
/// for `--json`.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub id: String,
    /// The group's name, in English (`framing`): a token the report and `--json` key on.
    pub group: String,
    pub title: String,
    pub level: Level,
    pub verdict: Verdict,
    pub expected: String,
    pub observed: String,
    pub hint: String,
    pub duration_ms: u64,
    /// The protocol the server's replies look like, when that is not the one graded: said once
    /// in a run, under the first case that shows it.
    pub looks_like: Option<Protocol>,
    pub outcome: Outcome,
    /// The same sentences in English, whatever the reader speaks.
    pub english: English,
}

/// A result's sentences in English: what `--json` writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct English {
    pub title: String,
    pub expected: String,
    pub observed: String,
    pub hint: String,
}

/// Which cases to run: `--cases 2,4.1,3.*` (a group, an id, or `N.*`); `None` is all.
pub fn selects(pattern: Option<&str>, id: &str) -> bool {
    let Some(pattern) = pattern else { return true };
    pattern.split(',').map(str::trim).any(|item| {
        let item = item.strip_suffix(".*").unwrap_or(item);
        item == "*"
            || item == id
            || id
                .strip_prefix(item)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

/// The settings of one grading run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub target: Target,
    pub cases: Option<String>,
    pub strict: bool,
    /// How long the whole run may take: no case starts after that, and none runs past it.
    pub budget: Duration,
    /// Whether each result keeps the observations it was judged from (a reader of the results
    /// wants them; a report printed case by case does not need to hold them all).
    pub keep_observations: bool,
}

impl Settings {
    /// Every case against `target`, not strict, within [`DEFAULT_BUDGET`], each result with its
    /// observations.
    pub fn new(target: Target) -> Settings {
        Settings {
            target,
            cases: None,
            strict: false,
            budget: DEFAULT_BUDGET,
            keep_observations: true,
        }
    }
}

/// How long one case may take in all before it is called a hang. Each wait inside a case is
/// bounded by the target's patience; a case makes a few of them in a row.
pub fn case_budget(patience: Duration) -> Duration {
    patience * 4 + Duration::from_secs(2)
}

/// The most one case takes in from the server, over all its connections: 32 MiB, read or kept in
/// its record ([`Budget`]). The most any case needs from a server that keeps the protocol is
/// under 16 MiB (4.25's flood of lines), and the largest single reply is 2 MiB (2.4); a frame
/// that announces a body over 8 MiB is refused as it is announced
/// ([`REPLY_LIMITS`](crate::scenario::conn::REPLY_LIMITS)). So a server cannot make the grader
/// hold more than a few tens of MiB, whatever it sends.
pub const CASE_MAX_BYTES: u64 = 32 * 1024 * 1024;

/// How long a whole run may take, unless `--budget` says otherwise: 5 minutes. The course's
/// servers are graded in seconds, and a server that makes a few cases wait their patience out
/// (the tutorial's, say) in a minute or two; one that makes every case wait is stopped here,
/// with the cases not run counted.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(300);

/// Why a run stopped before every selected case had run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// The first case found nothing listening at the address: no case could run.
    NothingListening,
    /// Case `during` found nothing listening any more: the server had stopped.
    ServerGone { during: String, not_run: usize },
    /// The run's budget was spent.
    OutOfTime { budget: Duration, not_run: usize },
    /// Ctrl-C.
    Interrupted { not_run: usize },
}

impl Stopped {
    /// How many selected cases were not run.
    pub fn not_run(&self) -> Option<usize> {
        match self {
            Stopped::NothingListening => None,
            Stopped::ServerGone { not_run, .. }
            | Stopped::OutOfTime { not_run, .. }
            | Stopped::Interrupted { not_run } => Some(*not_run),
        }
    }
}

/// What a run did: every case's result, in order, and why it stopped early, if it did.
#[derive(Debug)]
pub struct Finished {
    pub results: Vec<CaseResult>,
    pub stopped: Option<Stopped>,
}

/// Runs the selected cases in catalogue order, each on its own bounded thread, and calls
/// `each` with every result as it comes (so a terminal shows progress). `before_hostile` is
/// called once, before the first hostile case runs.
pub fn run(
    settings: &Settings,
    mut before_hostile: impl FnMut(),
    mut each: impl FnMut(&CaseResult),
) -> Vec<CaseResult> {
    run_until(settings, &mut before_hostile, &mut each, &|| false).results
}

/// [`run`], stopping before the next case once `interrupted` says so (Ctrl-C), once the run's
/// budget is spent, or once nothing listens at the address any more: there is no use in
/// grading a server that is not there, case after case.
pub fn run_until(
    settings: &Settings,
    before_hostile: &mut dyn FnMut(),
    each: &mut dyn FnMut(&CaseResult),
    interrupted: &dyn Fn() -> bool,
) -> Finished {
    let target = settings.target.clone();
    let started = Instant::now();
    let mut results = Vec::new();
    let mut warned = false;
    let mut connected_before = false;
    let mut suggested = false;
    let planned = planned(settings);
    let mut record = |mut result: CaseResult, results: &mut Vec<CaseResult>| {
        // The protocol the replies look like, said once, under the first case that shows it.
        if !suggested && matches!(result.verdict, Verdict::Fail | Verdict::NonStrict) {
            result.looks_like = result
                .outcome
                .observations
                .as_ref()
                .and_then(|o| diagnose::looks_like(target.protocol, o));
            suggested = result.looks_like.is_some();
        }
        each(&result);
        if !settings.keep_observations {
            result.outcome.observations = None;
        }
        results.push(result);
    };
    for (i, case) in planned.iter().enumerate() {
        let not_run = || planned[i..].iter().filter(|c| c.runs).count();
        if interrupted() {
            let stopped = Stopped::Interrupted { not_run: not_run() };
            return Finished::stopped(results, stopped);
        }
        if !case.runs {
            let only: Vec<&str> = case.case.protocols.iter().map(|p| p.name()).collect();
            let why = crate::said!("grade-only-for", protocols = only.join(", "));
            let skipped = Outcome::skipped(why);
            record(
                result_of(&case.id, &case.case, skipped, Duration::ZERO, settings),
                &mut results,
            );
            continue;
        }
        let Some(left) = settings.budget.checked_sub(started.elapsed()) else {
            let stopped = Stopped::OutOfTime {
                budget: settings.budget,
                not_run: not_run(),
            };
            return Finished::stopped(results, stopped);
        };
        if case.case.group() == 4 && !warned {
            warned = true;
            before_hostile();
        }
        let (outcome, took) = run_bounded_within(&case.case, &target, left);
        let gone = outcome.observations.as_ref().map(Listening::of);
        if gone == Some(Listening::Never) && !connected_before {
            return Finished::stopped(results, Stopped::NothingListening);
        }
        connected_before = true;
        record(
            result_of(&case.id, &case.case, outcome, took, settings),
            &mut results,
        );
        if matches!(gone, Some(Listening::NotAnyMore | Listening::Never)) && !listens(&target) {
            let stopped = Stopped::ServerGone {
                during: case.id.clone(),
                not_run: not_run() - 1,
            };
            return Finished::stopped(results, stopped);
        }
    }
    Finished {
        results,
        stopped: None,
    }
}

impl Finished {
    fn stopped(results: Vec<CaseResult>, stopped: Stopped) -> Finished {
        Finished {
            results,
            stopped: Some(stopped),
        }
    }
}

/// Whether a case found the server listening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listening {
    /// Every connection it tried was refused, and nothing ever came: nobody listens.
    Never,
    /// Some connection was refused after others were made: the server is gone.
    NotAnyMore,
    /// No connection was refused.
    Yes,
}

impl Listening {
    fn of(observations: &Observations) -> Listening {
        let refused = |act: &Act| matches!(act, Act::CannotConnect { refused: true, .. });
        let heard = |act: &Act| {
            matches!(
                act,
                Act::Reads { .. } | Act::Hears { .. } | Act::EndOfStream | Act::Reset
            )
        };
        let acts = || observations.events.iter().map(|event| &event.act);
        if !acts().any(refused) {
            Listening::Yes
        } else if acts().any(heard) || acts().any(|act| matches!(act, Act::Connects)) {
            // Over UDP a socket "connects" on its own: only a reply shows a server there.
            if observations.protocol == Protocol::Udp && !acts().any(heard) {
                Listening::Never
            } else {
                Listening::NotAnyMore
            }
        } else {
            Listening::Never
        }
    }
}

/// How many cases `settings` selects: those that run, and those skipped (for other protocols).
pub fn selected(settings: &Settings) -> usize {
    planned(settings).len()
}

/// Whether a server listens at the target's address now: a connection refused in a case may have
/// been one the server turned away while it still listens (a kernel that answers a full backlog
/// with a reset does that). Over UDP nothing turns a datagram away but a closed port.
fn listens(target: &Target) -> bool {
    target.protocol != Protocol::Udp
        && std::net::TcpStream::connect_timeout(&target.addr, crate::probe::A_MOMENT).is_ok()
}

/// One case of a run's plan: its id, the case (a lifecycle case 5.N is made for its 4.N), and
/// whether it runs (it applies to the protocol graded) or is skipped.
struct Planned {
    id: String,
    case: Case,
    runs: bool,
}

/// The cases `settings` selects, in the order they run: each hostile case 4.N that runs followed
/// by its lifecycle case 5.N.
fn planned(settings: &Settings) -> Vec<Planned> {
    let mut plan = Vec::new();
    for case in in_order() {
        // The cases of the program itself need a runner that started it (`learn`).
        if matches!(case.run, Run::Program(_)) {
            continue;
        }
        let lifecycle_id = lifecycle_id(case);
        let wanted = selects(settings.cases.as_deref(), case.id)
            || lifecycle_id
                .as_deref()
                .is_some_and(|id| selects(settings.cases.as_deref(), id));
        if !wanted {
            continue;
        }
        let runs = case.applies_to(settings.target.protocol);
        plan.push(Planned {
            id: case.id.to_string(),
            case: *case,
            runs,
        });
        // (A lifecycle case 5.N exists only where 4.N runs.)
        if let (Some(id), true) = (lifecycle_id, runs) {
            plan.push(Planned {
                id,
                case: lifecycle_case(case),
                runs,
            });
        }
    }
    plan
}

/// Case 4.N's lifecycle case is 5.N.
pub fn lifecycle_id(case: &Case) -> Option<String> {
    match case.run {
        Run::Hostile(_) => case.id.strip_prefix("4.").map(|n| format!("5.{n}")),
        Run::Plain(_) | Run::Program(_) => None,
    }
}

/// The lifecycle case that follows hostile `case`.
pub fn lifecycle_case(case: &Case) -> Case {
    Case {
        id: "5",
        title: "after it, a new well-behaved client is served",
        level: Level::Must,
        protocols: case.protocols,
        hint: "a hostile peer must end only its own connection, never the server",
        run: Run::Plain(judge::still_serves),
    }
}

/// Runs one case on a thread of its own, within [`case_budget`] and [`CASE_MAX_BYTES`].
pub fn run_bounded(case: &Case, target: &Target) -> (Outcome, Duration) {
    run_bounded_within(case, target, case_budget(target.patience))
}

/// Runs one case on a thread of its own, within [`case_budget`] (or `left`, if that is less):
/// every connection of the case stops reading and writing then, and after [`CASE_MAX_BYTES`]
/// bytes read. A case still running a moment after its time is a FAIL (a hang); its thread is
/// left to finish on its own, which its spent budget makes it do at once.
pub fn run_bounded_within(case: &Case, target: &Target, left: Duration) -> (Outcome, Duration) {
    let started = Instant::now();
    let run = match case.run {
        Run::Plain(run) | Run::Hostile(run) => run,
        Run::Program(_) => {
            return (
                Outcome::skipped(crate::said!("grade-needs-the-program")),
                Duration::ZERO,
            );
        }
    };
    let for_thread = target.clone();
    let budget = case_budget(target.patience).min(left);
    let play = move || Budget::new(budget, CASE_MAX_BYTES).spend_within(|| run(&for_thread));
    let outcome = match BoundedThread::spawn(format!("case {}", case.id), play) {
        Err(e) => Outcome::fail(
            crate::said!("grade-the-case-runs"),
            crate::said!("grade-cannot-start-thread", error = e.to_string()),
        ),
        Ok(thread) => match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // A moment more than the budget: a case whose connections ran out of it ends with
            // what it has, and says so better than "a hang" would.
            thread.join_within(budget + crate::probe::A_MOMENT)
        })) {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => Outcome::fail(
                crate::said!(
                    "grade-case-ends-within",
                    secs = budget.as_secs().to_string()
                ),
                crate::said!("grade-a-hang"),
            ),
            Err(_) => Outcome::fail(
                crate::said!("grade-the-case-runs"),
                crate::said!("grade-grader-panicked"),
            ),
        },
    };
    (outcome, started.elapsed())
}

/// A case's result as the report shows it (with `--strict`, a SHOULD missed is a FAIL).
pub fn result_of(
    id: &str,
    case: &Case,
    mut outcome: Outcome,
    took: Duration,
    settings: &Settings,
) -> CaseResult {
    // An informational case requires nothing, so nothing it finds is a failure: what it could
    // not do is what it reports.
    if case.level == Level::Info && matches!(outcome.verdict, Verdict::Fail | Verdict::NonStrict) {
        outcome.verdict = Verdict::Info;
    }
    // Replies of another protocol (or the other echo rule) are the cause of any failure they
    // show up in, before whatever the judge read into them as this protocol's.
    if matches!(outcome.verdict, Verdict::Fail | Verdict::NonStrict) {
        let observed = outcome
            .observations
            .as_ref()
            .and_then(|o| diagnose::hint(settings.target.protocol, o));
        outcome.hint = observed.or(outcome.hint);
    }
    if settings.strict && outcome.verdict == Verdict::NonStrict {
        outcome.verdict = Verdict::Fail;
        outcome.observed = outcome.observed.then(crate::said!("grade-strict-suffix"));
    }
    let title = case.said_title();
    let hint = outcome.hint.clone().unwrap_or_else(|| case.said_hint());
    CaseResult {
        id: id.to_string(),
        group: group_name(group_of(id)).to_string(),
        title: title.shown,
        level: case.level,
        verdict: outcome.verdict,
        expected: outcome.expected.shown.clone(),
        observed: outcome.observed.shown.clone(),
        hint: hint.shown,
        duration_ms: u64::try_from(took.as_millis()).unwrap_or(u64::MAX),
        looks_like: None,
        english: English {
            title: title.en,
            expected: outcome.expected.en.clone(),
            observed: outcome.observed.en.clone(),
            hint: hint.en,
        },
        outcome,
    }
}

/// The default patience of a grading run: the probe's.
pub const DEFAULT_PATIENCE: Duration = PATIENCE;

/// Counts of each verdict.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub non_strict: usize,
    pub info: usize,
}

impl Tally {
    pub fn of(results: &[CaseResult]) -> Tally {
        let mut tally = Tally::default();
        for result in results {
            match result.verdict {
                Verdict::Pass => tally.passed += 1,
                Verdict::Fail => tally.failed += 1,
                Verdict::Skipped => tally.skipped += 1,
                Verdict::NonStrict => tally.non_strict += 1,
                Verdict::Info => tally.info += 1,
            }
        }
        tally
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let summary = crate::t!(
            "grade-summary",
            passed = self.passed.to_string(),
            failed = self.failed.to_string(),
            skipped = self.skipped.to_string(),
            non_strict = self.non_strict.to_string(),
            info = self.info.to_string()
        );
        f.write_str(&summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_select_groups_ids_and_lists() {
        assert!(selects(None, "2.3"));
        assert!(selects(Some("2"), "2.3"));
        assert!(selects(Some("2.*"), "2.3"));
        assert!(selects(Some("1,2.3"), "2.3"));
        assert!(!selects(Some("2.3"), "2.31"));
        assert!(!selects(Some("2"), "12.1"));
        assert!(!selects(Some("4.1"), "4.10"));
        assert!(selects(Some("*"), "5.1"));
    }

    #[test]
    fn a_non_strict_case_is_a_fail_only_under_strict() {
        let case = case("4.9").unwrap();
        let non_strict = || Outcome::new(Verdict::NonStrict, "an error reply", "no error reply");
        let target = Target {
            addr: "127.0.0.1:9".parse().unwrap(),
            protocol: Protocol::Framed,
            patience: PATIENCE,
        };
        let mut settings = Settings::new(target);
        let lenient = result_of("4.9", case, non_strict(), Duration::ZERO, &settings);
        assert_eq!(lenient.verdict, Verdict::NonStrict);
        settings.strict = true;
        let strict = result_of("4.9", case, non_strict(), Duration::ZERO, &settings);
        assert_eq!(strict.verdict, Verdict::Fail);
        assert!(report::failed(&[strict]));
        assert!(!report::failed(&[lenient]));
    }

    #[test]
    fn an_informational_case_is_never_a_failure_whatever_its_judge_says() {
        let info = case("4.2").unwrap();
        assert_eq!(info.level, Level::Info);
        let settings = Settings::new(Target {
            addr: "127.0.0.1:9".parse().unwrap(),
            protocol: Protocol::Chat,
            patience: PATIENCE,
        });
        for verdict in [Verdict::Fail, Verdict::NonStrict] {
            let could_not = Outcome::new(verdict, "a member joins", "the room closed at once");
            let result = result_of("4.2", info, could_not, Duration::ZERO, &settings);
            assert_eq!(result.verdict, Verdict::Info);
            assert_eq!(result.observed, "the room closed at once");
            assert!(!report::failed(std::slice::from_ref(&result)));
            assert_eq!(Tally::of(&[result]).failed, 0);
        }
    }

    #[test]
    fn every_case_says_its_title_and_hint_in_both_languages_the_english_as_written() {
        use socket_lessons::i18n::Lang;
        let (english, chinese) = (
            crate::i18n::loader_for(Lang::En),
            crate::i18n::loader_for(Lang::Zh),
        );
        let lifecycle = lifecycle_case(case("4.1").unwrap());
        for case in CASES.iter().chain([&lifecycle]) {
            for (what, text) in [("title", case.title), ("hint", case.hint)] {
                // The catalogue's English is the message's, byte for byte.
                assert_eq!(case.said(what, text, &english).shown, text, "{}", case.id);
                let said = case.said(what, text, &chinese);
                assert_eq!(said.en, text);
                assert!(
                    said.shown
                        .chars()
                        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{} {what}: {}",
                    case.id,
                    said.shown
                );
            }
        }
    }

    #[test]
    fn the_catalogue_is_numbered_in_order_without_duplicates() {
        let mut seen = std::collections::HashSet::new();
        let mut last = (0, 0);
        for case in in_order() {
            assert!(seen.insert(case.id), "{} twice", case.id);
            let (g, n) = case.id.split_once('.').unwrap();
            let here = (g.parse::<u32>().unwrap(), n.parse::<u32>().unwrap());
            assert!(here > last, "{} out of order", case.id);
            assert!(
                matches!(here.0, 1..=4 | 6 | 7),
                "{}: groups 1-4, 6 and 7 (5 follows 4)",
                case.id
            );
            assert_eq!(
                matches!(case.run, Run::Hostile(_)),
                here.0 == 4,
                "{}",
                case.id
            );
            assert_eq!(
                matches!(case.run, Run::Program(_)),
                here.0 >= 6,
                "{}",
                case.id
            );
            last = here;
        }
    }
}
