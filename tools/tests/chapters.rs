//! The lesson chapters (`lessons/*.md`) quote the source, and the quotes must not drift.
//!
//! A chapter quotes a region of a source file like this:
//!
//! ````markdown
//! <!-- quote: src/lessons/basic.rs#serve -->
//! ```rust
//! ...the lines between `// ANCHOR: serve` and `// ANCHOR_END: serve`...
//! ```
//! ````
//!
//! The source marks the region with mdBook-style anchor lines (`// ANCHOR: name` and
//! `// ANCHOR_END: name`). The fenced block must equal the lines strictly between them, with any
//! other anchor lines inside left out, compared line by line after trimming trailing whitespace.
//! The marker is an HTML comment, so a code host shows only the code.
//!
//! Besides the quotes themselves, these tests pin the chapter set: every `src/bin/lessonN.rs` has
//! a chapter `lessons/NN-*.md`, and chapters 01–04 each quote the code at least once.
//!
//! The Chinese chapters (`lessons/zh/`) are checked the same way: their quotes against the same
//! source, their demo transcripts against `lessonN --lang zh`.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Where the chapters live, relative to the package root, and the language each folder's
/// demo transcripts are in (the `--lang` their demos are run with).
const CHAPTER_DIRS: [(&str, Lang); 2] = [("lessons", Lang::En), ("lessons/zh", Lang::Zh)];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lang {
    En,
    Zh,
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// One chapter: its file name (for messages), its text, and its language.
struct Chapter {
    name: String,
    text: String,
    lang: Lang,
}

/// Every `lessons/*.md` and `lessons/zh/*.md`, sorted by file name in each folder.
fn chapters() -> Vec<Chapter> {
    CHAPTER_DIRS
        .iter()
        .flat_map(|&(dir, lang)| chapters_in(dir, lang))
        .collect()
}

/// Every `DIR/*.md`, sorted by file name.
fn chapters_in(chapter_dir: &'static str, lang: Lang) -> Vec<Chapter> {
    let dir = root().join(chapter_dir);
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| Chapter {
            name: format!(
                "{chapter_dir}/{}",
                path.file_name().expect("a file name").to_string_lossy()
            ),
            text: fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())),
            lang,
        })
        .collect()
}

/// One `<!-- quote: PATH#NAME -->` and the rust fence under it.
#[derive(Debug, PartialEq, Eq)]
struct Quote {
    /// 1-based line of the marker in the chapter.
    line: usize,
    /// The quoted file, relative to the package root.
    path: String,
    /// The anchor name.
    name: String,
    /// The lines inside the fence, trailing whitespace trimmed.
    body: Vec<String>,
}

impl Quote {
    fn label(&self, chapter: &str) -> String {
        format!("{chapter}:{}: quote {}#{}", self.line, self.path, self.name)
    }
}

/// The start of every quote marker. Any line containing it must be a well-formed marker, so a
/// typo cannot silently turn a checked quote into an unchecked one.
const MARKER_START: &str = "<!-- quote:";
const MARKER_END: &str = "-->";

/// Finds every quote in a chapter. Errors name the line: a malformed marker, a marker not
/// followed by a rust fence, or a fence that never closes.
fn parse_quotes(text: &str) -> Result<Vec<Quote>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut quotes = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        if !line.contains(MARKER_START) {
            i += 1;
            continue;
        }
        let marker_line = i + 1;
        let (path, name) = parse_marker(line).map_err(|e| format!("line {marker_line}: {e}"))?;

        let fence = lines.get(i + 1).map(|l| l.trim_end());
        if fence != Some("```rust") {
            return Err(format!(
                "line {marker_line}: a quote marker must be followed immediately by a line \
                 \"```rust\", found {}",
                match fence {
                    Some(l) => format!("{l:?}"),
                    None => "the end of the file".to_string(),
                }
            ));
        }
        let mut body = Vec::new();
        let mut j = i + 2;
        loop {
            match lines.get(j) {
                None => {
                    return Err(format!(
                        "line {marker_line}: the rust fence opened on line {} never closes",
                        i + 2
                    ));
                }
                Some(l) if l.trim_end() == "```" => break,
                Some(l) => body.push(l.trim_end().to_string()),
            }
            j += 1;
        }
        quotes.push(Quote {
            line: marker_line,
            path,
            name,
            body,
        });
        i = j + 1;
    }
    Ok(quotes)
}

/// `<!-- quote: src/lessons/basic.rs#serve -->` → (`src/lessons/basic.rs`, `serve`).
fn parse_marker(line: &str) -> Result<(String, String), String> {
    let malformed = || {
        format!(
            "malformed quote marker {line:?}; expected \"<!-- quote: PATH#NAME -->\" alone on its line"
        )
    };
    let inner = line
        .strip_prefix(MARKER_START)
        .and_then(|rest| rest.strip_suffix(MARKER_END))
        .ok_or_else(malformed)?
        .trim();
    let (path, name) = inner.split_once('#').ok_or_else(malformed)?;
    let valid = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace);
    if !valid(path) || !valid(name) || name.contains('#') {
        return Err(malformed());
    }
    Ok((path.to_string(), name.to_string()))
}

/// What an anchor line says, if it is one: `// ANCHOR: serve` → `Start("serve")`.
#[derive(Debug, PartialEq, Eq)]
enum Anchor<'a> {
    Start(&'a str),
    End(&'a str),
}

fn anchor(line: &str) -> Option<Anchor<'_>> {
    let comment = line.trim().strip_prefix("//")?.trim();
    if let Some(name) = comment.strip_prefix("ANCHOR_END:") {
        Some(Anchor::End(name.trim()))
    } else {
        comment
            .strip_prefix("ANCHOR:")
            .map(|name| Anchor::Start(name.trim()))
    }
}

/// The lines strictly between `ANCHOR: name` and `ANCHOR_END: name`, with other anchor lines
/// left out and trailing whitespace trimmed. Each of the two anchor lines must appear exactly
/// once, start before end.
fn extract_region(source: &str, name: &str) -> Result<Vec<String>, String> {
    let lines: Vec<&str> = source.lines().collect();
    let find = |wanted: Anchor| -> Vec<usize> {
        (0..lines.len())
            .filter(|&i| anchor(lines[i]).as_ref() == Some(&wanted))
            .collect()
    };
    let starts = find(Anchor::Start(name));
    let ends = find(Anchor::End(name));
    let (start, end) = match (starts.as_slice(), ends.as_slice()) {
        ([start], [end]) if start < end => (*start, *end),
        ([start], [end]) => {
            return Err(format!(
                "ANCHOR_END: {name} (line {}) comes before ANCHOR: {name} (line {})",
                end + 1,
                start + 1
            ));
        }
        _ => {
            return Err(format!(
                "expected exactly one \"// ANCHOR: {name}\" and one \"// ANCHOR_END: {name}\", \
                 found {} and {}",
                starts.len(),
                ends.len()
            ));
        }
    };
    Ok(lines[start + 1..end]
        .iter()
        .filter(|line| anchor(line).is_none())
        .map(|line| line.trim_end().to_string())
        .collect())
}

/// `None` if the quote equals the region, otherwise a message showing the first difference.
fn compare(quoted: &[String], source: &[String]) -> Option<String> {
    let first_difference =
        (0..quoted.len().max(source.len())).find(|&i| quoted.get(i) != source.get(i))?;
    let show = |line: Option<&String>| match line {
        Some(l) => format!("{l:?}"),
        None => "(nothing: the block ends here)".to_string(),
    };
    Some(format!(
        "line {} of the quoted region differs (chapter has {} lines, source has {}):\n    \
         chapter: {}\n     source: {}\n  Copy the region from the source again.",
        first_difference + 1,
        quoted.len(),
        source.len(),
        show(quoted.get(first_difference)),
        show(source.get(first_difference)),
    ))
}

/// Every quote of every chapter, labelled with its chapter. Panics on a malformed chapter.
fn all_quotes() -> Vec<(String, Quote)> {
    let mut all = Vec::new();
    for chapter in chapters() {
        let quotes =
            parse_quotes(&chapter.text).unwrap_or_else(|e| panic!("{}: {e}", chapter.name));
        all.extend(quotes.into_iter().map(|q| (chapter.name.clone(), q)));
    }
    all
}

fn read_source(path: &str) -> Result<String, String> {
    fs::read_to_string(root().join(path)).map_err(|e| format!("cannot read {path}: {e}"))
}

/// Panics listing every failure at once, so one run shows everything to fix.
fn assert_no_failures(what: &str, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} {what}:\n\n{}\n",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The demo transcript a chapter shows: the ```text block whose first line is the demo's title
/// (`lessonN — ...`). Returns its 1-based first line and its lines.
fn demo_block(chapter: &Chapter, number: u16) -> Option<(usize, Vec<String>)> {
    let title = format!("lesson{number} — ");
    let lines: Vec<&str> = chapter.text.lines().collect();
    let start = lines
        .windows(2)
        .position(|pair| pair[0].trim_end() == "```text" && pair[1].starts_with(&title))?;
    let body: Vec<String> = lines[start + 1..]
        .iter()
        .take_while(|line| line.trim_end() != "```")
        .map(|line| line.trim_end().to_string())
        .collect();
    Some((start + 2, body))
}

// ---- The checks on the real chapters ----

#[test]
fn every_quote_marker_opens_a_rust_fence() {
    let failures: Vec<String> = chapters()
        .iter()
        .filter_map(|chapter| {
            parse_quotes(&chapter.text)
                .err()
                .map(|e| format!("{}: {e}", chapter.name))
        })
        .collect();
    assert_no_failures("malformed quote(s)", failures);
}

#[test]
fn every_quoted_anchor_exists_exactly_once() {
    let failures: Vec<String> = all_quotes()
        .iter()
        .filter_map(|(chapter, quote)| {
            let result = read_source(&quote.path).and_then(|s| extract_region(&s, &quote.name));
            result
                .err()
                .map(|e| format!("{}: {e}", quote.label(chapter)))
        })
        .collect();
    assert_no_failures("quote(s) naming a missing or ambiguous anchor", failures);
}

#[test]
fn every_quote_matches_its_source() {
    let failures: Vec<String> = all_quotes()
        .iter()
        .filter_map(|(chapter, quote)| {
            // A missing anchor is the previous test's failure; here we only compare.
            let source = read_source(&quote.path).ok()?;
            let region = extract_region(&source, &quote.name).ok()?;
            compare(&quote.body, &region).map(|e| format!("{}: {e}", quote.label(chapter)))
        })
        .collect();
    assert_no_failures("quote(s) that drifted from the source", failures);
}

#[test]
fn every_rust_block_in_a_chapter_is_a_checked_quote() {
    // Rust code in a chapter is quoted, never retyped: an unmarked rust fence would drift unseen.
    let mut failures = Vec::new();
    for chapter in chapters() {
        let lines: Vec<&str> = chapter.text.lines().collect();
        let mut in_fence = false;
        for (i, line) in lines.iter().enumerate() {
            // Fences may be indented (inside a list item), so look at the trimmed line.
            let line = line.trim();
            if in_fence {
                in_fence = line != "```";
                continue;
            }
            if line.starts_with("```") {
                in_fence = true;
                let quoted = i > 0 && lines[i - 1].contains(MARKER_START);
                if line.trim_start_matches('`').trim().starts_with("rust") && !quoted {
                    failures.push(format!(
                        "{}:{}: a rust block without a \"<!-- quote: PATH#NAME -->\" line above it",
                        chapter.name,
                        i + 1
                    ));
                }
            }
        }
    }
    assert_no_failures("unchecked rust block(s)", failures);
}

#[test]
fn chapters_01_to_04_each_quote_the_code() {
    let chapters = chapters();
    let mut failures = Vec::new();
    for (number, (dir, _)) in (1..=4).flat_map(|n| CHAPTER_DIRS.map(|d| (n, d))) {
        let prefix = format!("{dir}/{number:02}-");
        let matching: Vec<&Chapter> = chapters
            .iter()
            .filter(|c| c.name.starts_with(&prefix))
            .collect();
        match matching.as_slice() {
            [] => failures.push(format!("no chapter {prefix}*.md")),
            [chapter] => {
                if parse_quotes(&chapter.text).is_ok_and(|quotes| quotes.is_empty()) {
                    failures.push(format!("{} quotes no code", chapter.name));
                }
            }
            several => failures.push(format!(
                "several chapters numbered {number:02}: {}",
                several
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    assert_no_failures("problem(s) with chapters 01–04", failures);
}

#[test]
fn every_lesson_binary_has_a_chapter() {
    let bins = root().join("tools/src/bin");
    let numbers: BTreeSet<u32> = fs::read_dir(&bins)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", bins.display()))
        .filter_map(|entry| {
            let name = entry.expect("a directory entry").file_name();
            let name = name.to_str()?;
            name.strip_prefix("lesson")?
                .strip_suffix(".rs")?
                .parse()
                .ok()
        })
        .collect();
    assert!(!numbers.is_empty(), "no src/bin/lessonN.rs found");
    let chapter_names: Vec<String> = chapters().into_iter().map(|c| c.name).collect();
    let failures: Vec<String> = numbers
        .iter()
        .flat_map(|number| CHAPTER_DIRS.map(|(dir, _)| (number, dir)))
        .filter(|(number, dir)| {
            let prefix = format!("{dir}/{number:02}-");
            !chapter_names.iter().any(|name| name.starts_with(&prefix))
        })
        .map(|(number, dir)| {
            format!("src/bin/lesson{number}.rs has no chapter {dir}/{number:02}-*.md")
        })
        .collect();
    assert_no_failures("lesson(s) without a chapter", failures);
}

// ---- The checker checks itself, on small made-up inputs ----

fn lines(text: &[&str]) -> Vec<String> {
    text.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_parser_finds_a_well_formed_quote() {
    let chapter =
        "# A chapter\n\n<!-- quote: src/x.rs#serve -->\n```rust\nfn serve() {}   \n\n```\ntext\n";
    assert_eq!(
        parse_quotes(chapter),
        Ok(vec![Quote {
            line: 3,
            path: "src/x.rs".into(),
            name: "serve".into(),
            body: lines(&["fn serve() {}", ""]),
        }])
    );
}

#[test]
fn a_marker_without_a_rust_fence_under_it_is_rejected() {
    for chapter in [
        "<!-- quote: src/x.rs#serve -->\n\n```rust\nfn serve() {}\n```\n",
        "<!-- quote: src/x.rs#serve -->\n```python\nserve()\n```\n",
        "<!-- quote: src/x.rs#serve -->\n",
    ] {
        let error = parse_quotes(chapter).expect_err(chapter);
        assert!(error.contains("line 1"), "{error}");
    }
}

#[test]
fn a_malformed_marker_is_rejected() {
    for marker in [
        "<!-- quote: src/x.rs -->",
        "<!-- quote: #serve -->",
        "<!-- quote: src/x.rs# -->",
        "<!-- quote: src/x.rs#serve",
        "<!-- quote: src/x.rs#serve --> and more",
        "<!-- quote: src/x.rs#two words -->",
    ] {
        let chapter = format!("{marker}\n```rust\nfn serve() {{}}\n```\n");
        assert!(parse_quotes(&chapter).is_err(), "accepted {marker:?}");
    }
}

#[test]
fn an_unclosed_fence_is_rejected() {
    let error = parse_quotes("<!-- quote: src/x.rs#serve -->\n```rust\nfn serve() {}\n")
        .expect_err("an unclosed fence");
    assert!(error.contains("never closes"), "{error}");
}

#[test]
fn a_region_is_the_lines_between_its_anchors_without_other_anchors() {
    let source = "\
use std::io;
// ANCHOR: outer
fn a() {}
    // ANCHOR: inner
fn b() {}   
    // ANCHOR_END: inner
// ANCHOR_END: outer
";
    assert_eq!(
        extract_region(source, "outer"),
        Ok(lines(&["fn a() {}", "fn b() {}"]))
    );
    assert_eq!(extract_region(source, "inner"), Ok(lines(&["fn b() {}"])));
}

#[test]
fn a_missing_duplicated_or_reversed_anchor_is_rejected() {
    let missing = "// ANCHOR: serve\nfn serve() {}\n";
    let duplicated =
        "// ANCHOR: serve\n// ANCHOR_END: serve\n// ANCHOR: serve\n// ANCHOR_END: serve\n";
    let reversed = "// ANCHOR_END: serve\nfn serve() {}\n// ANCHOR: serve\n";
    for source in [missing, duplicated, reversed] {
        assert!(
            extract_region(source, "serve").is_err(),
            "accepted {source:?}"
        );
    }
    // A name that merely starts the same way is a different anchor.
    assert!(extract_region("// ANCHOR: serve_all\n// ANCHOR_END: serve_all\n", "serve").is_err());
}

#[test]
fn a_difference_names_the_first_differing_line() {
    let source = lines(&["fn serve() {", "    accept();", "}"]);
    assert_eq!(compare(&source, &source), None);
    let edited = lines(&["fn serve() {", "    listen();", "}"]);
    let message = compare(&edited, &source).expect("a difference");
    assert!(message.contains("line 2"), "{message}");
    assert!(
        message.contains("listen") && message.contains("accept"),
        "{message}"
    );
    let short = lines(&["fn serve() {"]);
    assert!(
        compare(&short, &source)
            .expect("a difference")
            .contains("line 2")
    );
}

/// A chapter's demo transcript is what the demo prints today (ports aside): the transcripts are
/// pasted from real runs, and this keeps them from drifting when the demo changes. An English
/// chapter's is the demo with no `--lang`, a Chinese chapter's the demo with `--lang zh`.
#[test]
fn every_chapter_shows_its_demo_as_it_runs() {
    let mut failures = Vec::new();
    for chapter in chapters() {
        let Some(number) = chapter_number(&chapter.name) else {
            continue;
        };
        let Some((line, shown)) = demo_block(&chapter, number) else {
            failures.push(format!(
                "{}: no demo transcript (a text block starting 'lesson{number} — ')",
                chapter.name
            ));
            continue;
        };
        let mut command = common::lesson_command(number);
        if chapter.lang == Lang::Zh {
            command.args(["--lang", "zh"]);
        }
        let demo = common::run(&mut command, b"");
        demo.assert_no_panic();
        assert!(
            demo.status.success(),
            "lesson{number} demo failed:\n{}",
            demo.stderr
        );
        let printed: Vec<String> = demo
            .stdout
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect();
        let normalise = |l: &String| common::normalise_measurements(&common::normalise_ports(l).0);
        let shown: Vec<String> = shown.iter().map(normalise).collect();
        let printed: Vec<String> = printed.iter().map(normalise).collect();
        if let Some(diff) = compare(&shown, &printed) {
            failures.push(format!(
                "{}:{line}: the demo transcript differs from lesson{number}'s output: {diff}",
                chapter.name
            ));
        }
    }
    assert_no_failures("demo transcript(s) that drifted from the demo", failures);
}

/// `lessons/03-communication-loop.md` -> 3.
fn chapter_number(name: &str) -> Option<u16> {
    let file = name.rsplit('/').next()?;
    let digits: String = file.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        None
    } else {
        digits.parse().ok()
    }
}
