//! The grader's report: a table for a terminal (one line per case, expected and observed under
//! every FAIL and NON-STRICT), and the same results as JSON for a program.

use std::fmt::Write as _;

use serde::Serialize;

use super::{CaseResult, Settings, Tally, Verdict, group_name};

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
/// what was observed and what usually causes it. `colour` styles the verdict.
pub fn case_lines(result: &CaseResult, colour: bool) -> String {
    let mut out = String::new();
    let label = format!("{:<10}", result.verdict.label());
    let label = if colour {
        paint(result.verdict, &label)
    } else {
        label
    };
    if result.verdict == Verdict::Skipped {
        let _ = writeln!(
            out,
            "  {:<5} {label} {} ({})",
            result.id, result.title, result.observed
        );
        return out;
    }
    let _ = writeln!(out, "  {:<5} {label} {}", result.id, result.title);
    match result.verdict {
        Verdict::Fail | Verdict::NonStrict => {
            let _ = writeln!(out, "        expected: {}", result.expected);
            let _ = writeln!(out, "        observed: {}", result.observed);
            let _ = writeln!(out, "        hint: {}", result.hint);
        }
        Verdict::Info => {
            let _ = writeln!(out, "        {}", result.observed);
        }
        Verdict::Pass | Verdict::Skipped => {}
    }
    out
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
        return "4 hostile input (each case 4.N followed by 5.N: the server still serves)".into();
    }
    let number = groups()
        .iter()
        .position(|g| *g == group)
        .map_or(0, |i| i + 1);
    format!("{number} {group}")
}

/// The whole table at once (the terminal prints it case by case instead, as they finish).
pub fn table(settings: &Settings, results: &[CaseResult], colour: bool) -> String {
    let mut out = heading(settings);
    out.push('\n');
    let mut group = String::new();
    for result in results {
        if let Some(heading) = heading_before(result, &mut group) {
            let _ = writeln!(out, "{heading}");
        }
        out.push_str(&case_lines(result, colour));
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
    cases: &'a [CaseResult],
    summary: Tally,
}

/// The report as JSON: every case's id, group, title, level, verdict, expected, observed, hint
/// and duration_ms, and the tally.
pub fn json(settings: &Settings, results: &[CaseResult]) -> String {
    let report = Json {
        addr: settings.target.addr.to_string(),
        protocol: settings.target.protocol.name(),
        strict: settings.strict,
        cases: results,
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
