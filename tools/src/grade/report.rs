//! The grader's report: a table for a terminal (one line per case, expected and observed under
//! every FAIL and NON-STRICT), and the same results as JSON for a program.
//!
//! The table fits the width it is given ([`Look::width`]: the terminal's, or 80 columns): a
//! title, a reason or a hint too long for one line is folded under itself, never cut by the
//! terminal's edge. Skipped cases (those for other protocols) are counted in the last line and
//! listed only when asked for (`--all`): against one protocol most of the catalogue is skipped,
//! and a list of them hides the lines that matter.

use std::fmt::Write as _;

use serde::Serialize;

use super::{CaseResult, Level, Protocol, Settings, Tally, Verdict, group_name};
use crate::demo::{display_width, pad};
use crate::terminal::fold;

/// How the table is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// The columns it may use.
    pub width: usize,
    /// Whether verdicts are coloured.
    pub colour: bool,
    /// Whether skipped cases are listed too.
    pub all: bool,
}

impl Look {
    /// 80 columns, no colour, skipped cases not listed: the table as a file or a pipe gets it.
    pub const PLAIN: Look = Look {
        width: crate::terminal::DEFAULT_WIDTH,
        colour: false,
        all: false,
    };
}

/// Where a case's details start: under its title.
const DETAIL: &str = "        ";

/// The line that heads a report.
pub fn heading(settings: &Settings) -> String {
    format!(
        "grade {} --protocol {}{}",
        settings.target.addr,
        settings.target.protocol,
        if settings.strict { " --strict" } else { "" }
    )
}

/// One case as the table shows it: its line, and under a FAIL or NON-STRICT what was expected,
/// what was observed and what usually causes it (and, once in a run, the protocol the server
/// seems to speak instead). Empty for a skipped case, unless `look.all`.
pub fn case_lines(result: &CaseResult, look: &Look) -> String {
    if result.verdict == Verdict::Skipped && !look.all {
        return String::new();
    }
    let mut out = String::new();
    // The verdict is padded before it is painted: colours take no columns.
    let label = pad(&result.verdict.shown(), 10);
    let start = format!("  {:<5} {label} ", result.id);
    let under = " ".repeat(display_width(&start));
    let title = match result.verdict {
        Verdict::Skipped => format!("{} ({})", result.title, result.observed),
        _ => result.title.clone(),
    };
    let mut first = fold(&title, look.width, &start, &under);
    if look.colour {
        first = first.replacen(&label, &paint(result.verdict, &label), 1);
    }
    out.push_str(&first);
    let detail = |out: &mut String, name: &str, text: &str| {
        let start = format!("{DETAIL}{name}");
        let under = " ".repeat(display_width(&start));
        out.push_str(&fold(text, look.width, &start, &under));
    };
    match result.verdict {
        Verdict::Fail | Verdict::NonStrict => {
            detail(
                &mut out,
                &crate::t!("grade-label-expected"),
                &result.expected,
            );
            detail(
                &mut out,
                &crate::t!("grade-label-observed"),
                &result.observed,
            );
            detail(&mut out, &crate::t!("grade-label-hint"), &result.hint);
        }
        Verdict::Info => detail(&mut out, "", &result.observed),
        Verdict::Pass | Verdict::Skipped => {}
    }
    if let Some(protocol) = result.looks_like {
        detail(&mut out, "", &suggestion(protocol));
    }
    out
}

/// What the report says, once, of a server whose replies are another protocol's.
pub fn suggestion(protocol: Protocol) -> String {
    let name = protocol.to_string();
    match protocol {
        Protocol::Echo => crate::t!("grade-looks-like-echo", protocol = name),
        Protocol::Rfc862 => crate::t!("grade-looks-like-rfc862", protocol = name),
        Protocol::Commands => crate::t!("grade-looks-like-commands", protocol = name),
        _ => crate::t!("grade-looks-like-other", protocol = name),
    }
}

/// The heading to print before `result`, if it starts a group. Lifecycle cases (5.N) come
/// right after their hostile case (4.N), under its heading.
pub fn heading_before(result: &CaseResult, previous_group: &mut String) -> Option<String> {
    if result.group == group_name(5) || result.group == *previous_group {
        return None;
    }
    previous_group.clone_from(&result.group);
    Some(group_heading(&result.group))
}

/// A group's heading: `2 framing`; the hostile group says that its lifecycle cases follow it.
pub fn group_heading(group: &str) -> String {
    if group == group_name(4) {
        return crate::t!("grade-group-hostile-heading");
    }
    let number = groups()
        .iter()
        .position(|g| *g == group)
        .map_or(0, |i| i + 1);
    let name = match number {
        1 => crate::t!("grade-group-basics"),
        2 => crate::t!("grade-group-framing"),
        3 => crate::t!("grade-group-concurrency"),
        5 => crate::t!("grade-group-lifecycle"),
        _ => group.to_string(),
    };
    format!("{number} {name}")
}

/// The whole table at once (the terminal prints it case by case instead, as they finish).
pub fn table(settings: &Settings, results: &[CaseResult], look: &Look) -> String {
    let mut out = heading(settings);
    out.push('\n');
    let mut group = String::new();
    for result in results {
        let lines = case_lines(result, look);
        if lines.is_empty() {
            continue;
        }
        if let Some(heading) = heading_before(result, &mut group) {
            let _ = writeln!(out, "{heading}");
        }
        out.push_str(&lines);
    }
    out.push_str(&summary(results));
    out.push('\n');
    out
}

/// The last line: `N passed, N failed, N skipped, N non-strict, N info`.
pub fn summary(results: &[CaseResult]) -> String {
    Tally::of(results).to_string()
}

/// Whether the run failed: any FAIL (with `--strict`, NON-STRICT has already become FAIL).
pub fn failed(results: &[CaseResult]) -> bool {
    results.iter().any(|r| r.verdict == Verdict::Fail)
}

#[derive(Serialize)]
struct Json<'a> {
    addr: String,
    protocol: &'a str,
    strict: bool,
    cases: Vec<JsonCase<'a>>,
    summary: Tally,
}

/// One case as `--json` writes it: its sentences in English whatever the reader speaks (the
/// file is for programs, which match on its words).
#[derive(Serialize)]
struct JsonCase<'a> {
    id: &'a str,
    group: &'a str,
    title: &'a str,
    level: Level,
    verdict: Verdict,
    expected: &'a str,
    observed: &'a str,
    hint: &'a str,
    duration_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    looks_like: Option<Protocol>,
}

impl<'a> JsonCase<'a> {
    fn of(result: &'a CaseResult) -> JsonCase<'a> {
        JsonCase {
            id: &result.id,
            group: &result.group,
            title: &result.english.title,
            level: result.level,
            verdict: result.verdict,
            expected: &result.english.expected,
            observed: &result.english.observed,
            hint: &result.english.hint,
            duration_ms: result.duration_ms,
            looks_like: result.looks_like,
        }
    }
}

/// The report as JSON: every case's id, group, title, level, verdict, expected, observed, hint
/// and duration_ms, and the tally. English, whatever the table speaks.
pub fn json(settings: &Settings, results: &[CaseResult]) -> String {
    let report = Json {
        addr: settings.target.addr.to_string(),
        protocol: settings.target.protocol.name(),
        strict: settings.strict,
        cases: results.iter().map(JsonCase::of).collect(),
        summary: Tally::of(results),
    };
    serde_json::to_string_pretty(&report).expect("the report is plain data")
}

fn paint(verdict: Verdict, text: &str) -> String {
    use anstyle::{AnsiColor, Style};
    let style = match verdict {
        Verdict::Pass => Style::new().fg_color(Some(AnsiColor::Green.into())),
        Verdict::Fail => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
        Verdict::NonStrict => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        Verdict::Info => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
        Verdict::Skipped => Style::new().dimmed(),
    };
    format!("{style}{text}{style:#}")
}

/// The group names, in order (for numbering the headings).
pub fn groups() -> [&'static str; 5] {
    [1, 2, 3, 4, 5].map(group_name)
}
