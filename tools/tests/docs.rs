//! The course map exists once, as data (`src/course.rs`). Every table of it in the docs must be
//! exactly what that data generates, and the docs' lists of stage diffs must follow the table's
//! `builds_on`, so that no copy can drift.

use std::fs;
use std::path::Path;

use socket_lessons::course::{LESSONS, map_markdown};

const START: &str = "<!-- course map: generated from src/course.rs (course::map_markdown); tools/tests/docs.rs checks it -->";
const END: &str = "<!-- end of course map -->";

fn read(path: &str) -> String {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(path);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The text between the course-map markers of `doc`.
fn course_map_in(doc: &str) -> String {
    let text = read(doc);
    let start = text
        .find(START)
        .unwrap_or_else(|| panic!("{doc} has no course-map start marker:\n{START}"));
    let after = start + START.len() + 1;
    let end = text[after..]
        .find(END)
        .unwrap_or_else(|| panic!("{doc} has no course-map end marker {END}"));
    assert_eq!(
        text.matches(START).count(),
        1,
        "{doc} should hold the course map once"
    );
    text[after..after + end].to_string()
}

fn assert_map(doc: &str, chapters: &str) {
    let expected = map_markdown(chapters);
    let found = course_map_in(doc);
    assert!(
        found == expected,
        "the course map in {doc} is not what src/course.rs generates. Replace it with:\n{expected}"
    );
}

#[test]
fn the_readme_shows_the_course_map_from_the_data() {
    assert_map("README.md", "lessons/");
}

#[test]
fn the_lessons_index_shows_the_course_map_from_the_data() {
    assert_map("lessons/README.md", "");
}

#[test]
fn the_crate_docs_do_not_copy_the_course_map() {
    let lib = read("src/lib.rs");
    assert!(
        !lib.lines().any(|line| line.starts_with("//! | `lesson")),
        "src/lib.rs should point to course::LESSONS, not copy its table"
    );
}

#[test]
fn every_chapter_and_stage_in_the_table_exists() {
    for lesson in &LESSONS {
        read(&format!("lessons/{}", lesson.chapter));
        read(lesson.source);
    }
}

#[test]
fn the_lessons_index_lists_every_stage_diff_from_the_table() {
    let index = read("lessons/README.md");
    for lesson in &LESSONS {
        if let Some(previous) = lesson.previous() {
            let command = format!("diff {} {}", previous.source, lesson.source);
            assert!(
                index.contains(&command),
                "lessons/README.md should show `{command}` (the table says {} builds on {})",
                lesson.bin_name(),
                previous.bin_name()
            );
        }
    }
}

/// Every `.rs` file below `dir`, with its path relative to `dir` (`/`-separated).
fn rust_files(dir: &Path) -> Vec<(String, String)> {
    let mut files = vec![dir.to_path_buf()];
    let mut found = Vec::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(
                fs::read_dir(&path)
                    .unwrap()
                    .map(|entry| entry.unwrap().path()),
            );
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            found.push((relative, fs::read_to_string(&path).unwrap()));
        }
    }
    found.sort();
    found
}

#[test]
fn the_course_crate_never_looks_up_at_the_tools() {
    // Two crates: the course a student reads (src/) and the tools beside it (tools/). The tools
    // use the course; the course must not know the tools exist, or `cargo doc` and every `use`
    // a student follows would lead into grader internals.
    let src = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("src");
    let tool_modules = [
        "probe",
        "demo",
        "grade",
        "compare",
        "chaos",
        "netassist",
        "cli",
    ];
    let mut offenders = Vec::new();
    for (relative, text) in rust_files(&src) {
        for line in text.lines().map(str::trim_start) {
            let names_a_tool = line.contains("socket_lessons_tools")
                || tool_modules
                    .iter()
                    .any(|module| line.contains(&format!("crate::{module}::")));
            if names_a_tool && !line.starts_with("//") {
                offenders.push(format!("{relative}: {line}"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "the course crate reaches up into the tools: {offenders:#?}"
    );
}

#[test]
fn only_the_table_itself_reads_the_course_table_in_the_course_crate() {
    // The table imports every stage; anything it imports must not import it back, or the
    // course's parts would be one knot.
    let src = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("src");
    let offenders: Vec<String> = rust_files(&src)
        .into_iter()
        .filter(|(relative, text)| {
            !["course.rs", "lib.rs"].contains(&relative.as_str())
                && text
                    .lines()
                    .any(|line| line.trim_start().starts_with("use crate::course"))
        })
        .map(|(relative, _)| relative)
        .collect();
    assert!(
        offenders.is_empty(),
        "these import the course table: {offenders:?}"
    );
}

#[test]
fn the_tests_cite_the_contract_in_the_repository() {
    // The contract the tests cite is docs/contracts.md, not a note outside the repository.
    read("docs/contracts.md");
    for entry in fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "rs") && !path.ends_with("docs.rs") {
            let text = fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("COURSE.md"),
                "{} cites COURSE.md, which is not in the repository; cite docs/contracts.md",
                path.display()
            );
        }
    }
}
