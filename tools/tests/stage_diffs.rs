//! Each stage changes the stage it builds on by one idea (docs/contracts.md and the course
//! table's `builds_on`): a student who runs `diff` on the two files must see that idea, not noise.
//!
//! This measures, for every stage, how many lines of *code* (not comments, not blank lines)
//! differ from the stage it builds on, prints the figures, and fails over a budget.
//!
//! The budget: **60 changed code lines**. One idea should fit on one screen of a diff, about 60
//! lines; the biggest ideas of the course so far fit in it (lesson 3's communication loop on both
//! sides, and lesson 6's frame in both directions, about 50 each). A stage over it is teaching two
//! ideas, or carrying noise (re-exports, rewritten helpers, moved code) that a student must wade
//! through, and should be split or cleaned.

use std::fs;
use std::path::Path;

use socket_lessons::course::{LESSONS, Lesson};

const BUDGET: usize = 60;

/// The lines of a Rust file that are code: trimmed, without blank lines and `//` comments (doc
/// comments included: the chapter tells the story, the diff shows the code).
fn code_lines(source: &str) -> Vec<&str> {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect()
}

/// The length of the longest common subsequence of two line lists: the lines a diff keeps.
fn common_lines(a: &[&str], b: &[&str]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for line in a {
        let mut diagonal = 0;
        for (j, other) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if line == other {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// (removed, added) code lines between two sources.
fn changed(before: &str, after: &str) -> (usize, usize) {
    let (a, b) = (code_lines(before), code_lines(after));
    let kept = common_lines(&a, &b);
    (a.len() - kept, b.len() - kept)
}

fn read(lesson: &Lesson) -> String {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(lesson.source);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn the_line_counter_counts_a_diff() {
    let before = "// a comment\nfn a() {}\nfn b() {}\n\nfn c() {}\n";
    let after = "fn a() {}\n/// new doc\nfn x() {}\nfn c() {}\nfn d() {}\n";
    // b removed; x and d added; comments and blank lines do not count.
    assert_eq!(changed(before, after), (1, 2));
    assert_eq!(changed(before, before), (0, 0));
}

#[test]
fn every_stage_differs_from_the_one_it_builds_on_by_one_idea() {
    let mut over = Vec::new();
    println!("code lines changed against the stage built on (budget {BUDGET}):");
    for lesson in &LESSONS {
        let Some(previous) = lesson.previous() else {
            continue;
        };
        let (removed, added) = changed(&read(previous), &read(lesson));
        let total = removed + added;
        println!(
            "  {:<8} vs {:<8} -{removed:<3} +{added:<3} = {total:>3}   diff {} {}",
            lesson.bin_name(),
            previous.bin_name(),
            previous.source,
            lesson.source
        );
        if total > BUDGET {
            over.push(format!("{} ({total} lines)", lesson.bin_name()));
        }
    }
    assert!(over.is_empty(), "over the {BUDGET}-line budget: {over:?}");
}

#[test]
fn no_stage_borrows_code_from_another_stage() {
    // Each stage repeats what it builds on, so that its file is whole and the diff is honest: a
    // `use super::…` or `crate::lessons::…` would hide a client or a constant in another file.
    for lesson in &LESSONS {
        let source = read(lesson);
        for (number, line) in source.lines().enumerate() {
            let code = line.trim();
            assert!(
                !(code.starts_with("use super::")
                    || code.starts_with("pub use")
                    || code.contains("crate::lessons::")),
                "{}:{}: a stage must not borrow from another stage: {code}",
                lesson.source,
                number + 1
            );
        }
    }
}

#[test]
fn every_stage_builds_on_an_earlier_stage() {
    for lesson in &LESSONS {
        if let Some(previous) = lesson.builds_on {
            assert!(
                previous < lesson.number,
                "{} builds on lesson{previous}, which is not earlier",
                lesson.bin_name()
            );
        }
    }
}
