//! The chapters as a book (`lessons/book.toml`, mdBook): its contents follow the course data,
//! every chapter carries its minutes and its speaker notes, the instructor's schedule adds up,
//! no link leaves the book or points nowhere, and the pictures in the chapters are what the
//! demos draw today.
//!
//! Building the book needs `mdbook` (0.5.4, what CI installs); without it the build check says
//! `skipped:`, and `SOCKET_LESSONS_REQUIRE_MDBOOK=1` (set by CI) turns that into a failure.
//! `SOCKET_LESSONS_UPDATE_PICTURES=1 cargo test --test book` rewrites the pictures from a fresh
//! run of every demo, as a transcript is pasted from one.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use socket_lessons::course::LESSONS;
use socket_lessons_tools::probe::{self, PATIENCE};

fn lessons() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../lessons")).to_path_buf()
}

fn read(name: &str) -> String {
    let path = lessons().join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The book's contents, as src/course.rs orders the stages: the course map first, then the
/// instructor's page, then every chapter; the tools' chapters after lesson 6, where they are
/// first needed.
fn expected_summary() -> String {
    let mut summary = String::from(
        "# Summary\n\n\
         <!-- The book's contents in course order, from src/course.rs: tools/tests/book.rs checks it. -->\n\n\
         [The course map](README.md)\n\
         [Running the course](running-the-course.md)\n\n\
         # The lessons\n\n",
    );
    for lesson in &LESSONS {
        let mut title = lesson.title.to_string();
        if let Some(first) = title.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        summary.push_str(&format!(
            "- [Lesson {} — {title}]({})\n",
            lesson.number, lesson.chapter
        ));
        if lesson.number == 6 {
            summary.push_str(
                "- [The instructor tools: netassist and chaos](tools.md)\n\
                 - [Comparing and grading servers: compare and grade](grading.md)\n",
            );
        }
    }
    summary
}

/// The pages SUMMARY.md lists, in order.
fn pages() -> Vec<String> {
    read("SUMMARY.md")
        .lines()
        .filter_map(|line| {
            let start = line.find("](")? + 2;
            Some(line[start..start + line[start..].find(')')?].to_string())
        })
        .collect()
}

/// The pages that are chapters: every page but the course map and the instructor's.
fn chapters() -> Vec<String> {
    pages()
        .into_iter()
        .filter(|page| page != "README.md" && page != "running-the-course.md")
        .collect()
}

#[test]
fn the_summary_follows_the_course() {
    let expected = expected_summary();
    assert!(
        read("SUMMARY.md") == expected,
        "lessons/SUMMARY.md is not what src/course.rs gives. Replace it with:\n{expected}"
    );
}

#[test]
fn every_page_in_lessons_is_in_the_book() {
    let listed: BTreeSet<String> = pages().into_iter().collect();
    for entry in fs::read_dir(lessons()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && name != "SUMMARY.md" {
            assert!(
                listed.contains(&name),
                "lessons/{name} is not in SUMMARY.md"
            );
        }
    }
}

/// A chapter's `Time:` line: its total, and its parts (`demo 10`, …).
fn minutes(chapter: &str) -> (u32, Vec<(String, u32)>) {
    let text = read(chapter);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("# "), "{chapter}: no title first");
    let line = lines.get(2).copied().unwrap_or("");
    let rest = line
        .strip_prefix("> **Time:** about ")
        .unwrap_or_else(|| panic!("{chapter}: line 3, right under the title, should be its minutes: `> **Time:** about N minutes: demo N, …`, found {line:?}"));
    let (total, rest) = rest.split_once(" minutes: ").expect("N minutes: …");
    let parts = rest
        .split(" ([how these are estimated]")
        .next()
        .unwrap()
        .split(", ")
        .map(|part| {
            let (what, n) = part.rsplit_once(' ').expect("what N");
            (what.to_string(), n.parse().unwrap())
        })
        .collect();
    (total.parse().unwrap(), parts)
}

#[test]
fn every_chapter_has_its_minutes_under_its_title() {
    for chapter in chapters() {
        let (total, parts) = minutes(&chapter);
        assert_eq!(
            parts.iter().map(|(_, n)| n).sum::<u32>(),
            total,
            "{chapter}: the parts do not add up"
        );
        let names: Vec<&str> = parts.iter().map(|(what, _)| what.as_str()).collect();
        assert!(
            names.contains(&"demo") && names.contains(&"code") && names.contains(&"exercise"),
            "{chapter}: the minutes should say what the demo, the code and the exercise take"
        );
        assert!(
            read(&chapter).contains("(running-the-course.md#how-the-minutes-are-estimated)"),
            "{chapter}: the minutes should link to how they are estimated"
        );
    }
}

#[test]
fn every_chapter_has_speaker_notes_before_its_exercise_block() {
    for chapter in chapters() {
        let text = read(&chapter);
        let start = text
            .find("<details>\n<summary>Speaker notes</summary>\n\n")
            .unwrap_or_else(|| {
                panic!(
                    "{chapter}: no speaker notes (<details> with <summary>Speaker notes</summary>)"
                )
            });
        let end = start + text[start..].find("\n</details>\n").expect("the notes end");
        let notes = &text[start..end];
        for part in [
            "**Show**",
            "**Students ask**",
            "**Students get wrong**",
            "**Time**",
        ] {
            assert!(notes.contains(part), "{chapter}: the notes lack {part}");
        }
        assert!(
            notes.contains("cargo run"),
            "{chapter}: the notes should give the commands"
        );
        // Just before the final exercise block (which other changes edit), or last.
        let after = text[end..]
            .trim_start_matches("\n</details>\n")
            .trim_start();
        assert!(
            after.is_empty() || after.starts_with("<!-- exercise: the block below"),
            "{chapter}: the speaker notes should come just before the exercise block, or last"
        );
    }
}

#[test]
fn the_instructors_schedule_is_the_chapters_minutes() {
    let page = read("running-the-course.md");
    let mut listed = Vec::new();
    let (mut all, mut in_class, mut exercises) = (0, 0, 0);
    for row in page.lines().filter(|l| l.starts_with("| [")) {
        let cells: Vec<&str> = row.split(" | ").collect();
        let file = &cells[0][cells[0].find("](").unwrap() + 2..cells[0].len() - 1];
        let numbers: Vec<u32> = cells[1..4].iter().map(|c| c.parse().unwrap()).collect();
        let (total, parts) = minutes(file);
        let exercise = parts.iter().find(|(w, _)| w == "exercise").unwrap().1;
        assert_eq!(numbers, [total, total - exercise, exercise], "{row}");
        (all, in_class, exercises) = (
            all + total,
            in_class + total - exercise,
            exercises + exercise,
        );
        listed.push(file.to_string());
    }
    assert_eq!(
        listed,
        chapters(),
        "the schedule lists every chapter, in the book's order"
    );
    let sums = format!("| **all** | **{all}** | **{in_class}** | **{exercises}** | |");
    assert!(
        page.contains(&sums),
        "the schedule's last row should be {sums}"
    );
}

/// The targets of the Markdown links and images of `text`, outside code.
fn links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // Inline code is not a link.
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = prose.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            found.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    found
}

#[test]
fn no_link_in_a_page_leaves_the_book_or_points_nowhere() {
    // A link to ../docs/contracts.md works on GitHub but not in the book (mdBook turns it into
    // ../docs/contracts.html, which no one builds): name such a file in `code` instead.
    for page in pages() {
        for target in links(&read(&page)) {
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let file = target.split('#').next().unwrap();
            assert!(
                !file.starts_with("../") && !file.starts_with('/'),
                "{page}: the link {target} leaves the book; name the file in `code` instead"
            );
            assert!(
                lessons().join(file).exists(),
                "{page}: the link {target} points nowhere"
            );
        }
    }
}

/// Every stream picture the page holds, by its id (`part1-stream1`), as a standalone SVG file.
fn stream_figures(html: &str) -> Vec<(String, String)> {
    let mut figures = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg ") {
        let svg = &rest[start..];
        let end = svg.find("</svg>").expect("an SVG ends") + "</svg>".len();
        let id_at = svg.find(" id=\"").unwrap() + 5;
        let id = &svg[id_at..id_at + svg[id_at..].find('"').unwrap()];
        if id.contains("-stream") {
            figures.push((
                id.to_string(),
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
                    &svg[..end]
                ),
            ));
        }
        rest = &svg[end..];
    }
    figures
}

#[test]
fn the_pictures_in_the_chapters_are_what_the_demos_draw() {
    let pictures = lessons().join("pictures");
    let update = std::env::var_os("SOCKET_LESSONS_UPDATE_PICTURES").is_some_and(|v| v == "1");
    let scratch = std::env::temp_dir().join(format!("socket-lessons-book-{}", std::process::id()));
    fs::create_dir_all(&scratch).unwrap();
    let mut drawn = BTreeSet::new();
    for lesson in &LESSONS {
        let page = scratch.join(format!("{}.html", lesson.bin_name()));
        let run = common::run(
            common::lesson_command(lesson.number)
                .arg("--html")
                .arg(&page),
            b"",
        );
        assert!(
            run.status.success(),
            "{}: {}",
            lesson.bin_name(),
            run.stderr
        );
        let html = fs::read_to_string(&page).unwrap();
        let chapter = read(lesson.chapter);
        for (id, svg) in stream_figures(&html) {
            let name = format!("{}-{id}.svg", lesson.bin_name());
            let path = pictures.join(&name);
            // Pictures hold no port; were one to appear, a run's port is not a change.
            let svg = common::normalise_ports(&svg).0;
            if update {
                fs::create_dir_all(&pictures).unwrap();
                fs::write(&path, &svg).unwrap();
            }
            let committed = fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == svg,
                "lessons/pictures/{name} is not what {} draws today: run \
                 SOCKET_LESSONS_UPDATE_PICTURES=1 cargo test --test book, and look at it",
                lesson.bin_name()
            );
            assert!(
                chapter.contains(&format!("](pictures/{name})")),
                "{}: the demo draws {name}; show it where the chapter talks about its pictures",
                lesson.chapter
            );
            drawn.insert(name);
        }
    }
    let _ = fs::remove_dir_all(&scratch);
    for entry in fs::read_dir(&pictures).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            drawn.contains(&name),
            "lessons/pictures/{name}: no demo draws it any more"
        );
    }
}

// ---- The book, built ----

/// `mdbook`, if it is here. Says `skipped:` (or, where it is required, fails).
fn mdbook() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("mdbook"))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        if std::env::var_os("SOCKET_LESSONS_REQUIRE_MDBOOK").is_some_and(|v| v == "1") {
            panic!("mdbook must run here (SOCKET_LESSONS_REQUIRE_MDBOOK=1), but it is not on PATH");
        }
        let _ = writeln!(
            io::stderr(),
            "skipped: no mdbook on PATH (cargo install mdbook --version 0.5.4 --locked)"
        );
    }
    found
}

/// Builds the book in `source` into `into`; returns whether it built, and what mdbook said.
fn build(mdbook: &Path, source: &Path, into: &Path) -> (bool, String) {
    let run = probe::run(
        Command::new(mdbook)
            .arg("build")
            .arg(source)
            .arg("--dest-dir")
            .arg(into),
        b"",
        3 * PATIENCE,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    (run.status.success(), said)
}

/// The values of every `href="…"` and `src="…"` in `html`.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            let after = &rest[at + attribute.len()..];
            let end = after.find('"').unwrap_or(after.len());
            found.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    found
}

#[test]
fn the_book_builds_and_every_link_in_it_arrives() {
    let Some(mdbook) = mdbook() else { return };
    let out = std::env::temp_dir().join(format!("socket-lessons-built-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    let (built, said) = build(&mdbook, &lessons(), &out);
    assert!(built, "the book does not build:\n{said}");
    let mut checked = 0;
    for page in pages() {
        let html_name = if page == "README.md" {
            "index.html".to_string()
        } else {
            page.replace(".md", ".html")
        };
        let html = fs::read_to_string(out.join(&html_name))
            .unwrap_or_else(|e| panic!("the book has no {html_name} ({e})"));
        for target in references(&html) {
            if target.contains("://") || target.starts_with("mailto:") || target.is_empty() {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let file = file.split('?').next().unwrap();
            let arrives = if file.is_empty() {
                out.join(&html_name)
            } else {
                out.join(file)
            };
            assert!(
                arrives.exists(),
                "{html_name}: the link {target} points nowhere in the built book"
            );
            if !fragment.is_empty() && arrives.extension().is_some_and(|e| e == "html") {
                let target_html = fs::read_to_string(&arrives).unwrap();
                assert!(
                    target_html.contains(&format!("id=\"{fragment}\"")),
                    "{html_name}: the link {target} names a place that {} does not have",
                    arrives.display()
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked > 100,
        "only {checked} links checked: is the book empty?"
    );
    let _ = fs::remove_dir_all(&out);
}

#[test]
fn a_page_missing_from_the_book_fails_its_build() {
    let Some(mdbook) = mdbook() else { return };
    // A copy of the book's set-up, with one page more in its contents than there are files.
    let copy = std::env::temp_dir().join(format!("socket-lessons-missing-{}", std::process::id()));
    let _ = fs::remove_dir_all(&copy);
    fs::create_dir_all(&copy).unwrap();
    fs::copy(lessons().join("book.toml"), copy.join("book.toml")).unwrap();
    fs::write(copy.join("README.md"), "# The course map\n").unwrap();
    fs::write(
        copy.join("SUMMARY.md"),
        "# Summary\n\n[The course map](README.md)\n\n- [Lesson 99](99-missing.md)\n",
    )
    .unwrap();
    let (built, said) = build(&mdbook, &copy, &copy.join("out"));
    assert!(
        !built,
        "a missing page should fail the build (create-missing = false):\n{said}"
    );
    assert!(
        !copy.join("99-missing.md").exists(),
        "mdbook made the missing page up"
    );
    let _ = fs::remove_dir_all(&copy);
}
