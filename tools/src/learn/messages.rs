//! Every sentence `learn` prints, in one place: the runner's words are here and nowhere else, and
//! each is a message of the tools' catalogue (`learn-*` in `tools/i18n/`), in English or
//! Simplified Chinese as the process speaks (issue 20). What a case expected and observed is the
//! grader's; the exercises' hints are `info.toml`'s, in both languages.

use std::path::Path;
use std::process::ExitStatus;
use std::time::Duration;

use crate::demo::pad;
use crate::scenario::wire::secs;

/// A message of the catalogue, fitted to the terminal.
///
/// Lines are folded to the terminal's width (80 columns off a terminal), each continuation
/// indented under its text: at spaces, and in Chinese also between characters. A terminal would
/// wrap a long line too, but at its edge, mid-word, and back at the left margin.
macro_rules! t {
    ($($message:tt)*) => {
        fitted(crate::t!($($message)*))
    };
}

fn fitted(text: String) -> String {
    let width = crate::terminal::width();
    let mut out = String::new();
    for line in text.split('\n') {
        let body = line.trim_start_matches(' ');
        let first = " ".repeat(line.len() - body.len());
        let then = format!("{first}    ");
        out.push_str(&crate::terminal::fold(body, width, &first, &then));
    }
    out.pop();
    out
}

/// A duration as the runner says it: `1.4 s`.
pub fn took(duration: Duration) -> String {
    t!(
        "learn-took",
        secs = format!("{:.1}", duration.as_secs_f64())
    )
}

// ---- list, progress ---------------------------------------------------------------------------

pub fn list_heading() -> String {
    format!(
        "  #  {}  {}  {}",
        pad(&t!("learn-list-exercise"), 9),
        pad(&t!("learn-list-done"), 4),
        t!("learn-list-chapter")
    )
}

pub fn list_line(number: usize, name: &str, done: bool, current: bool, chapter: &str) -> String {
    let done = if done {
        t!("learn-list-yes")
    } else {
        String::new()
    };
    format!(
        "{} {number:>2}  {}  {}  {chapter}",
        if current { ">" } else { " " },
        pad(name, 9),
        pad(&done, 4)
    )
}

pub fn progress(done: usize, all: usize) -> String {
    t!(
        "learn-progress",
        done = done.to_string(),
        all = all.to_string()
    )
}

pub fn all_done(all: usize) -> String {
    t!("learn-all-done", all = all.to_string())
}

// ---- building -----------------------------------------------------------------------------

pub fn building(name: &str) -> String {
    t!("learn-building", name = name)
}

pub fn build_failed(name: &str, main_rs: &str) -> String {
    t!("learn-build-failed", name = name, main_rs = main_rs)
}

pub fn cannot_start(program: &Path, error: &std::io::Error) -> String {
    t!(
        "learn-cannot-start",
        program = program.display().to_string(),
        error = error.to_string()
    )
}

// ---- checking -----------------------------------------------------------------------------

pub fn checking(name: &str, cases: usize) -> String {
    t!("learn-checking", name = name, cases = cases.to_string())
}

pub fn case_passed(id: &str, title: &str) -> String {
    fitted(format!("  {} {id:<5} {title}", pad(&t!("learn-ok"), 5)))
}

pub fn case_line(id: &str, label: &str, title: &str) -> String {
    fitted(format!("  {} {id:<5} {title}", pad(label, 5)))
}

pub fn no_such_case(id: &str) -> String {
    t!("learn-no-such-case", id = id)
}

pub fn never_listened(within: Duration) -> String {
    t!("learn-never-listened", secs = secs(within))
}

pub fn exited_before_listening(status: ExitStatus) -> String {
    t!("learn-exited-before-listening", status = status.to_string())
}

pub fn still_running() -> String {
    t!("learn-still-running")
}

pub fn has_exited(status: ExitStatus, stderr: &str) -> String {
    let last: Vec<&str> = stderr.lines().rev().take(3).collect();
    let said = if last.is_empty() {
        String::new()
    } else {
        let lines: Vec<&str> = last.into_iter().rev().collect();
        format!(
            "{}\n    {}",
            crate::t!("learn-last-words"),
            crate::scenario::wire::shown(lines.join("\n    ").as_bytes())
        )
    };
    fitted(format!(
        "{}{said}",
        crate::t!("learn-has-exited", status = status.to_string())
    ))
}

pub fn flooded(bytes: u64) -> String {
    t!("learn-flooded", bytes = bytes.to_string())
}

// ---- a failure ----------------------------------------------------------------------------

pub fn case_failed(id: &str, title: &str) -> String {
    t!("learn-case-failed", id = id, title = title)
}

pub fn expected(text: &str) -> String {
    t!("learn-expected", text = text)
}

pub fn observed(text: &str) -> String {
    t!("learn-observed", text = text)
}

pub fn the_picture() -> String {
    t!("learn-the-picture")
}

pub fn how_it_ended() -> String {
    t!("learn-how-it-ended")
}

pub fn earlier_acts(n: usize) -> String {
    t!("learn-earlier-acts", n = n.to_string())
}

pub fn hint(text: &str) -> String {
    t!("learn-hint", text = text)
}

pub fn frames() -> String {
    t!("learn-frames")
}

pub fn server_reads() -> String {
    t!("learn-server-reads")
}

pub fn writes_note(n: usize) -> String {
    match n {
        1 => t!("learn-one-write"),
        n => t!("learn-writes", n = n.to_string()),
    }
}

pub fn reads_note(n: usize) -> String {
    match n {
        1 => t!("learn-one-read"),
        n => t!("learn-reads", n = n.to_string()),
    }
}

pub fn more_hints(number: usize) -> String {
    t!("learn-more-hints", number = number.to_string())
}

pub fn failed_after(failed: &str, passed: usize, took: Duration) -> String {
    t!(
        "learn-failed-after",
        failed = failed,
        passed = passed.to_string(),
        took = self::took(took)
    )
}

// ---- a pass -------------------------------------------------------------------------------

pub fn passed(name: &str, ids: &[String], took: Duration) -> String {
    t!(
        "learn-passed",
        name = name,
        count = ids.len().to_string(),
        ids = ids.join(", "),
        took = self::took(took)
    )
}

pub fn known_limits(ids: &[String]) -> String {
    t!("learn-known-limits", ids = ids.join(", "))
}

pub fn worked_solution(stage: &str, reference: &str) -> String {
    t!(
        "learn-worked-solution",
        stage = stage,
        reference = reference
    )
}

pub fn next_exercise(name: &str, main_rs: &str, chapter: &str) -> String {
    t!(
        "learn-next-exercise",
        name = name,
        main_rs = main_rs,
        chapter = chapter
    )
}

// ---- hints --------------------------------------------------------------------------------

pub fn hint_numbered(n: usize, of: usize, text: &str) -> String {
    t!(
        "learn-hint-numbered",
        n = n.to_string(),
        of = of.to_string(),
        text = text
    )
}

pub fn no_more_hints(of: usize) -> String {
    t!("learn-no-more-hints", of = of.to_string())
}

// ---- reset --------------------------------------------------------------------------------

pub fn reset_confirm(main_rs: &str) -> String {
    t!("learn-reset-confirm", main_rs = main_rs)
}

pub fn reset_done(main_rs: &str, backup: &str) -> String {
    t!("learn-reset-done", main_rs = main_rs, backup = backup)
}

pub fn reset_cancelled() -> String {
    t!("learn-reset-cancelled")
}

// ---- watching -----------------------------------------------------------------------------

pub fn watching(main_rs: &str) -> String {
    t!("learn-watching", main_rs = main_rs)
}

pub fn manual(main_rs: &str) -> String {
    t!("learn-manual", main_rs = main_rs)
}

// ---- errors -------------------------------------------------------------------------------

pub fn no_such_exercise(n: usize, all: usize) -> String {
    t!(
        "learn-no-such-exercise",
        n = n.to_string(),
        all = all.to_string()
    )
}

pub fn cannot_save_progress(error: &str) -> String {
    t!("learn-cannot-save-progress", error = error)
}
