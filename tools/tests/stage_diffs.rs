//! Each stage changes the stage it builds on by one idea (docs/contracts.md and the course
//! table's `builds_on`): a student who runs `diff` on the two files must see that idea, not noise.
//!
//! This counts, for every stage, the lines `diff` marks as removed and added between the two
//! files, exactly as a student sees them (comments, blank lines and all), prints every pair, and
//! fails when a figure differs from the one recorded beside the course data
//! (`socket_lessons::lessons::DIFFS`). There is no fixed budget: a stage may grow when its idea
//! needs it, but only by a change to that table, made and read in review, never by surprise.

use std::fs;
use std::path::Path;

use socket_lessons::course::{LESSONS, Lesson};
use socket_lessons::lessons::{DIFFS, StageDiff};

/// The length of the longest common subsequence of two line lists: the lines a diff keeps. (A
/// minimal diff, which GNU `diff` finds for files of this size, marks every other line.)
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

/// (removed, added): the lines `diff before after` marks `-` and `+`. Lines are compared as they
/// are, with their indentation and any trailing spaces: a reindented line is a changed line.
fn changed(before: &str, after: &str) -> (usize, usize) {
    let (a, b): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let kept = common_lines(&a, &b);
    (a.len() - kept, b.len() - kept)
}

fn read(lesson: &Lesson) -> String {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(lesson.source);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn the_line_counter_counts_what_diff_shows() {
    let before = "// a comment\nfn a() {}\nfn b() {}\n\nfn c() {}\n";
    let after = "fn a() {}\n/// new doc\nfn x() {}\nfn c() {}\nfn d() {}\n";
    // The comment, b and the blank line removed; the doc, x and d added.
    assert_eq!(changed(before, after), (3, 3));
    assert_eq!(changed(before, before), (0, 0));
    // Indentation is part of a line.
    assert_eq!(changed("fn a() {}\n", "    fn a() {}\n"), (1, 1));
}

/// The figures of every pair, measured now.
fn measured() -> Vec<StageDiff> {
    LESSONS
        .iter()
        .filter_map(|lesson| {
            let previous = lesson.previous()?;
            let (removed, added) = changed(&read(previous), &read(lesson));
            Some(StageDiff {
                lesson: lesson.number,
                builds_on: previous.number,
                removed,
                added,
            })
        })
        .collect()
}

#[test]
fn every_stage_differs_from_the_one_it_builds_on_by_its_recorded_diff() {
    let measured = measured();
    println!("what `diff` shows against the stage built on (recorded in src/lessons/mod.rs):");
    for diff in &measured {
        let (previous, lesson) = (
            socket_lessons::course::lesson(diff.builds_on),
            socket_lessons::course::lesson(diff.lesson),
        );
        println!(
            "  {:<8} vs {:<8} -{:<3} +{:<3} = {:>3}   diff {} {}",
            lesson.bin_name(),
            previous.bin_name(),
            diff.removed,
            diff.added,
            diff.removed + diff.added,
            previous.source,
            lesson.source
        );
    }
    let differing: Vec<String> = measured
        .iter()
        .filter(|diff| !DIFFS.contains(diff))
        .map(|diff| format!("{diff:?}"))
        .collect();
    assert!(
        differing.is_empty(),
        "these stages' diffs are not the ones recorded in src/lessons/mod.rs (DIFFS); if the \
         change is meant, record the new figures there:\n{}",
        differing.join("\n")
    );
    assert_eq!(
        DIFFS.len(),
        measured.len(),
        "DIFFS lists a pair the course table does not have: {DIFFS:?}"
    );
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
