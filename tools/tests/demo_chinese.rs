//! Every demo in Simplified Chinese (issue 20): `lessonN --lang zh`, or a Chinese locale, narrates
//! in Chinese, every line within 80 display columns, the same on every run; `--lang en` and no
//! locale give today's English, byte for byte (the English transcripts themselves are checked
//! against the chapters by `chapters.rs`).
//!
//! Through the real binaries, each run bounded by the probe.

mod common;

use std::process::Command;

use socket_lessons_tools::demo::{WIDTH, display_width};

use common::{lesson_command, normalise_measurements, normalise_ports, run, with_locale};

/// Every lesson with a demo.
const LESSONS: std::ops::RangeInclusive<u16> = 1..=13;

/// `lessonN` with no locale at all, so that only `--lang` (or the test's own `LANG`) decides.
fn without_locale(number: u16) -> Command {
    let mut command = lesson_command(number);
    with_locale(&mut command, None);
    command
}

/// Runs the demo with `args`; it must exit 0 without a panic, and without a log record of its
/// servers among the narration (a demo narrates what happens; its log is for RUST_LOG=info).
/// Returns stdout.
fn demo(mut command: Command, args: &[&str], what: &str) -> String {
    let finished = run(command.args(args), b"");
    finished.assert_no_panic();
    assert!(
        finished.status.success(),
        "{what} failed: {:?}\n{}",
        finished.status,
        finished.stderr
    );
    let logged = |line: &&str| {
        let record = line.trim_start();
        ["ERROR [", "WARN [", "INFO [", "DEBUG [", "TRACE ["]
            .iter()
            .any(|level| record.starts_with(level))
    };
    let records: Vec<&str> = finished.stderr.lines().filter(logged).collect();
    assert!(records.is_empty(), "{what} logged: {records:#?}");
    finished.stdout
}

/// A transcript with what differs between runs (ports, measurements) made `P` and `N`.
fn normalised(transcript: &str) -> String {
    transcript
        .lines()
        .map(|line| normalise_measurements(&normalise_ports(line).0))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `text` holds a Chinese character (or Chinese punctuation): two columns wide.
fn has_chinese(text: &str) -> bool {
    text.chars()
        .any(|c| unicode_width::UnicodeWidthChar::width(c) == Some(2))
}

/// Checks a Chinese transcript of lesson `number`: its lines fit, its heading, its listening
/// line, and every line of narration (a paragraph's line or a part's title, not the indented
/// play-by-play, which shows bytes as they were) has Chinese in it.
fn assert_chinese(number: u16, transcript: &str) {
    let lines: Vec<&str> = transcript.lines().collect();
    for line in &lines {
        let width = display_width(line);
        assert!(
            width <= WIDTH,
            "lesson{number} --lang zh: a line of {width} columns (at most {WIDTH}):\n{line}\n\n\
             {transcript}"
        );
    }
    assert!(
        lines[0].starts_with(&format!("lesson{number} — ")) && has_chinese(lines[0]),
        "lesson{number}'s heading should be Chinese: {:?}",
        lines[0]
    );
    assert_eq!(
        display_width(lines[1]),
        display_width(lines[0]),
        "the heading's underline is as wide as the heading, in columns"
    );
    assert!(
        lines[2].starts_with("（服务端在 127.0.0.1:") && lines[2].ends_with(" 上监听）"),
        "lesson{number}'s listening line: {:?}",
        lines[2]
    );
    let english: Vec<&&str> = lines[3..]
        .iter()
        .filter(|line| !line.is_empty() && !line.starts_with("  "))
        .filter(|line| !has_chinese(line))
        .collect();
    assert!(
        english.is_empty(),
        "lesson{number} --lang zh: lines of narration without Chinese: {english:#?}\n\n{transcript}"
    );
}

#[test]
fn every_demo_speaks_chinese_within_80_columns_the_same_on_every_run() {
    for number in LESSONS {
        let what = format!("lesson{number} --lang zh");
        let first = demo(without_locale(number), &["--lang", "zh"], &what);
        assert_chinese(number, &first);
        let second = demo(without_locale(number), &["--lang", "zh"], &what);
        assert_eq!(
            normalised(&first),
            normalised(&second),
            "{what}: the transcript changed between two runs"
        );
    }
}

#[test]
fn a_chinese_locale_chooses_chinese_and_lang_en_overrides_it() {
    for number in [5, 9] {
        let mut locale = without_locale(number);
        locale.env("LANG", "zh_CN.UTF-8");
        let by_locale = demo(locale, &[], "LANG=zh_CN.UTF-8");
        let by_flag = demo(without_locale(number), &["--lang", "zh"], "--lang zh");
        assert_eq!(normalised(&by_locale), normalised(&by_flag));

        let mut overridden = without_locale(number);
        overridden.env("LC_ALL", "zh_CN.UTF-8");
        let english = demo(
            overridden,
            &["--lang", "en"],
            "LC_ALL=zh_CN.UTF-8 --lang en",
        );
        let plain = demo(without_locale(number), &[], "no locale");
        assert_eq!(
            normalised(&english),
            normalised(&plain),
            "lesson{number}: --lang en must print what no locale prints"
        );
        assert!(!has_chinese(plain.lines().nth(2).unwrap_or_default()));
        assert!(
            plain.contains("What to notice:"),
            "lesson{number} without a locale should be English:\n{plain}"
        );
    }
}

#[test]
fn every_part_alone_fits_80_columns_in_chinese() {
    // The parts' own titles, and a part's first lines, which `--part` shows without the
    // introduction before them.
    for (number, parts) in [(5, 3), (6, 4), (7, 5), (9, 4), (10, 5), (12, 2)] {
        for part in 1..=parts {
            let what = format!("lesson{number} --lang zh demo --part {part}");
            let played = demo(
                without_locale(number),
                &["--lang", "zh", "demo", "--part", &part.to_string()],
                &what,
            );
            let title = played
                .lines()
                .find(|line| line.starts_with(&format!("{part}. ")))
                .unwrap_or_else(|| panic!("{what}: no title '{part}. ...':\n{played}"));
            assert!(has_chinese(title), "{what}: {title:?}");
            for line in played.lines() {
                assert!(display_width(line) <= WIDTH, "{what}: {line:?}");
            }
        }
    }
}

#[test]
fn the_step_prompt_and_a_part_out_of_range_are_chinese() {
    let finished = run(
        without_locale(5).args(["--lang", "zh", "demo", "--step"]),
        b"",
    );
    assert!(finished.status.success(), "{}", finished.stderr);
    assert!(
        finished
            .stderr
            .lines()
            .any(|line| line == "[回车：下一部分]"),
        "{}",
        finished.stderr
    );
    let finished = run(
        without_locale(5).args(["--lang", "zh", "demo", "--part", "9"]),
        b"",
    );
    assert!(!finished.status.success());
    assert!(finished.stdout.is_empty(), "{}", finished.stdout);
    assert!(
        finished.stderr.contains("没有第 9 部分") && finished.stderr.contains("3 个部分"),
        "{}",
        finished.stderr
    );
}

#[test]
fn the_html_page_is_chinese_and_english_as_the_demo_is() {
    let dir = std::env::temp_dir().join(format!("demo-chinese-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page_of = |lang: &str| {
        let page = dir.join(format!("lesson5-{lang}.html"));
        demo(
            without_locale(5),
            &[
                "--lang",
                lang,
                "demo",
                "--part",
                "1",
                "--html",
                page.to_str().unwrap(),
            ],
            &format!("lesson5 --lang {lang} --html"),
        );
        std::fs::read_to_string(&page).unwrap()
    };
    let (zh, en) = (page_of("zh"), page_of("en"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(zh.contains("<html lang=\"zh-CN\">"), "{zh}");
    for chinese in [
        "怎么看这些图",
        "一条字节流，在两边各自写和读的地方切开",
        "客户端 A 写",
    ] {
        assert!(zh.contains(chinese), "the Chinese page lacks {chinese:?}");
    }
    assert!(en.contains("<html lang=\"en\">"));
    for english in [
        "How to read the figures",
        "One stream of bytes",
        "client A writes",
    ] {
        assert!(en.contains(english), "the English page lacks {english:?}");
    }
}
