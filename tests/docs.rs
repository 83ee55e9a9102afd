//! The course map exists once, as data (`src/course.rs`). Every table of it in the docs must be
//! exactly what that data generates, and the docs' lists of stage diffs must follow the table's
//! `builds_on`, so that no copy can drift.

use std::fs;
use std::path::Path;

use socket_lessons::course::{LESSONS, map_markdown};

const START: &str = "<!-- course map: generated from src/course.rs (course::map_markdown); tests/docs.rs checks it -->";
const END: &str = "<!-- end of course map -->";

fn read(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
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

#[test]
fn only_the_command_line_reads_the_course_table() {
    // The table imports every stage and its demo; anything it imports must not import it back,
    // or the course's parts would be one knot. Only the command line and the binaries read it.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.clone()];
    let mut offenders = Vec::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(
                fs::read_dir(&path)
                    .unwrap()
                    .map(|entry| entry.unwrap().path()),
            );
            continue;
        }
        let relative = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let allowed = ["course.rs", "cli.rs", "lib.rs"].contains(&relative.as_str())
            || relative.starts_with("bin/");
        let text = fs::read_to_string(&path).unwrap();
        let imports = text
            .lines()
            .any(|line| line.trim_start().starts_with("use crate::course"));
        if !allowed && imports {
            offenders.push(relative);
        }
    }
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
