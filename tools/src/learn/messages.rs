//! Every sentence `learn` prints, in one place: the runner's words are here and nowhere else, so
//! that they can be translated as one catalogue (the course's Chinese edition, issue 20). What a
//! case expected and observed is the catalogue's; the exercises' hints are `info.toml`'s.

use std::path::Path;
use std::process::ExitStatus;
use std::time::Duration;

use crate::scenario::wire::secs;

/// A duration as the runner says it: `1.4 s`.
pub fn took(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

// ---- list, progress ---------------------------------------------------------------------------

pub fn list_heading() -> String {
    "  #  exercise   done  chapter".to_string()
}

pub fn list_line(number: usize, name: &str, done: bool, current: bool, chapter: &str) -> String {
    format!(
        "{} {number:>2}  {name:<9}  {}  {chapter}",
        if current { ">" } else { " " },
        if done { "yes " } else { "    " }
    )
}

pub fn progress(done: usize, all: usize) -> String {
    format!("progress: {done}/{all} exercises done")
}

pub fn all_done(all: usize) -> String {
    format!(
        "Every exercise passes ({all}/{all}). The stages in src/lessons/ are the course's own \
         versions of what you wrote: read them side by side with yours."
    )
}

// ---- building -----------------------------------------------------------------------------

pub fn building(name: &str) -> String {
    format!("building {name}…")
}

pub fn build_failed(name: &str, main_rs: &str) -> String {
    format!(
        "{name} does not compile yet: the compiler's message is above, unchanged. Fix \
         {main_rs} and check again."
    )
}

pub fn cannot_start(program: &Path, error: &std::io::Error) -> String {
    format!("cannot start {}: {error}", program.display())
}

// ---- checking -----------------------------------------------------------------------------

pub fn checking(name: &str, cases: usize) -> String {
    format!("checking {name}: {cases} cases, in order, stopping at the first that fails")
}

pub fn case_passed(id: &str, title: &str) -> String {
    format!("  ok    {id:<5} {title}")
}

pub fn case_line(id: &str, label: &str, title: &str) -> String {
    format!("  {label:<5} {id:<5} {title}")
}

pub fn no_such_case(id: &str) -> String {
    format!("info.toml names case {id}, which the catalogue does not have")
}

pub fn never_listened(within: Duration) -> String {
    format!(
        "it never listened: no line ending in `listening on ADDR` within {} s (the run \
         contract, docs/contracts.md, \"Exercises\")",
        secs(within)
    )
}

pub fn exited_before_listening(status: ExitStatus) -> String {
    format!("it exited ({status}) before saying `listening on ADDR`")
}

pub fn still_running() -> String {
    "your program: still running when the case ended.".to_string()
}

pub fn has_exited(status: ExitStatus, stderr: &str) -> String {
    let last: Vec<&str> = stderr.lines().rev().take(3).collect();
    let said = if last.is_empty() {
        String::new()
    } else {
        let lines: Vec<&str> = last.into_iter().rev().collect();
        format!(
            " Its last words on stderr:\n    {}",
            crate::scenario::wire::shown(lines.join("\n    ").as_bytes())
        )
    };
    format!("your program: it has exited ({status}).{said}")
}

pub fn flooded(bytes: u64) -> String {
    format!(
        " It wrote more than 1 MiB of output ({bytes} bytes beyond it were read and thrown \
         away): a loop that prints without end?"
    )
}

// ---- a failure ----------------------------------------------------------------------------

pub fn case_failed(id: &str, title: &str) -> String {
    format!("FAIL  case {id}: {title}")
}

pub fn expected(text: &str) -> String {
    format!("  expected: {text}")
}

pub fn observed(text: &str) -> String {
    format!("  observed: {text}")
}

pub fn the_picture() -> String {
    "What was written and read (each |…| one write, or one read):".to_string()
}

pub fn how_it_ended() -> String {
    "How the case ended:".to_string()
}

pub fn earlier_acts(n: usize) -> String {
    format!("  ({n} earlier lines left out)")
}

pub fn hint(text: &str) -> String {
    format!("hint: {text}")
}

pub fn frames() -> &'static str {
    "frames"
}

pub fn server_reads() -> &'static str {
    "server reads"
}

pub fn writes_note(n: usize) -> String {
    match n {
        1 => "one write".into(),
        n => format!("{n} writes"),
    }
}

pub fn reads_note(n: usize) -> String {
    match n {
        1 => "one read".into(),
        n => format!("{n} reads"),
    }
}

pub fn more_hints(number: usize) -> String {
    format!("More help, one hint at a time: cargo run --bin learn -- hint {number}")
}

pub fn failed_after(failed: &str, passed: usize, took: Duration) -> String {
    format!(
        "{failed} failed, after {passed} case(s) passed; the check took {}.",
        self::took(took)
    )
}

// ---- a pass -------------------------------------------------------------------------------

pub fn passed(name: &str, ids: &[String], took: Duration) -> String {
    format!(
        "{name} passes all {} cases ({}) in {}.",
        ids.len(),
        ids.join(", "),
        self::took(took)
    )
}

pub fn known_limits(ids: &[String]) -> String {
    format!(
        "Not checked, on purpose: {} (this stage fails them by design; a later lesson is about \
         them).",
        ids.join(", ")
    )
}

pub fn worked_solution(stage: &str, reference: &str) -> String {
    format!("The course's own version of this lesson: {stage}; a reference solution: {reference}.")
}

pub fn next_exercise(name: &str, main_rs: &str, chapter: &str) -> String {
    format!("Next: {name}, in {main_rs} (chapter: {chapter}).")
}

// ---- hints --------------------------------------------------------------------------------

pub fn hint_numbered(n: usize, of: usize, text: &str) -> String {
    format!("hint {n} of {of}: {text}")
}

pub fn no_more_hints(of: usize) -> String {
    format!("That was the last of {of} hints; `--all` shows them all again.")
}

// ---- reset --------------------------------------------------------------------------------

pub fn reset_confirm(main_rs: &str) -> String {
    format!("Reset {main_rs} to the starter? Your file is kept beside it as main.rs.bak. [y/N] ")
}

pub fn reset_done(main_rs: &str, backup: &str) -> String {
    format!("{main_rs} is the starter again; your version is in {backup}.")
}

pub fn reset_cancelled() -> String {
    "Nothing changed.".to_string()
}

// ---- watching -----------------------------------------------------------------------------

pub fn watching(main_rs: &str) -> String {
    format!("Watching {main_rs}: save it to check again. (Ctrl-C to stop.)")
}

pub fn manual(main_rs: &str) -> String {
    format!("Press Enter to check {main_rs} again, q then Enter to stop.")
}

// ---- errors -------------------------------------------------------------------------------

pub fn no_such_exercise(n: usize, all: usize) -> String {
    format!("there is no exercise {n}: they are numbered 1 to {all}")
}

pub fn cannot_save_progress(error: &str) -> String {
    format!("warning: cannot save your progress ({error})")
}
