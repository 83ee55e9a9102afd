//! 中文 (issue 20): a Chinese grade run of broken programs says everything in Chinese.
//!
//! The exercises' broken-on-purpose programs fail cases, so their reports show what grade
//! expected and what it observed: sentences of the grader's judges and of the scenario engine.
//! Under `--lang zh` none of them may be English, and every line fits 80 display columns.
//!
//! What counts as English here: a line of the report with three or more ASCII words in a row,
//! once what is not prose is taken out of it: the heading (`grade ADDR --protocol P`, a
//! command), text in double quotes (bytes a peer sent, shown escaped) and in backticks (code).
//! A quoted text that a wrapped line cuts in two is taken out whole: the lines of one case's
//! sentence are put back together first.

mod common;

use std::path::PathBuf;
use std::process::Command;

use socket_lessons_tools::demo::display_width;
use socket_lessons_tools::learn::check::{self, Built, Places};
use socket_lessons_tools::probe::ServerProcess;

fn places() -> Places {
    Places {
        repository: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")),
    }
}

/// A broken program of the exercises, built, started as `PROGRAM server --addr 127.0.0.1:0`.
fn start_broken(bin: &str) -> ServerProcess {
    match check::build(&places(), "solutions", false).expect("cargo runs") {
        Built::Ok => {}
        Built::Failed(message) => panic!("the solutions do not build:\n{message}"),
    }
    let mut command = Command::new(places().program(bin));
    command.args(["server", "--addr", "127.0.0.1:0"]);
    ServerProcess::spawn(&mut command).expect("the broken program starts")
}

/// The report's logical lines: a line indented deeper than the one before continues it.
fn sentences(report: &str) -> Vec<String> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut sentences: Vec<(usize, String)> = Vec::new();
    for line in report.lines() {
        match sentences.last_mut() {
            Some((depth, sentence)) if indent(line) > *depth && *depth >= 8 => {
                sentence.push(' ');
                sentence.push_str(line.trim_start());
            }
            _ => sentences.push((indent(line), line.to_string())),
        }
    }
    sentences.into_iter().map(|(_, s)| s).collect()
}

/// `line` without its quoted peer bytes ("…", escapes kept inside) and code (`…`).
fn prose(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            '`' => {
                for c in chars.by_ref() {
                    if c == '`' {
                        break;
                    }
                }
                out.push_str("``");
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether `text` has three or more ASCII words in a row (a word: ASCII letters, `'` or `-`,
/// starting with a letter; words in a row: apart by spaces only, whatever is around them).
fn has_english(text: &str) -> bool {
    let is_word_char = |c: char| c.is_ascii_alphabetic() || c == '\'' || c == '-';
    let (mut run, mut between_spaces_only) = (0, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphabetic() {
            while chars.peek().is_some_and(|&c| is_word_char(c)) {
                chars.next();
            }
            run = if between_spaces_only { run + 1 } else { 1 };
            if run >= 3 {
                return true;
            }
            between_spaces_only = chars.peek() == Some(&' ');
        } else if c != ' ' {
            between_spaces_only = false;
        }
    }
    false
}

/// The English sentences of a Chinese report.
fn english_in(report: &str) -> Vec<String> {
    sentences(report)
        .into_iter()
        .filter(|s| !s.starts_with("grade "))
        .filter(|s| has_english(&prose(s)))
        .collect()
}

#[test]
fn the_english_detector_finds_english_and_leaves_quotes_and_code_alone() {
    assert!(has_english("the connection stayed open"));
    assert!(!has_english("连接一直开着（2 秒没有一句话，也没有结束）"));
    assert!(english_in("        观察到：no reply within 2 s\n").len() == 1);
    let wrapped = "        观察到：bob 听到的是 \"[alice] dribbled\n                line here now\"，预期的是\n";
    assert_eq!(english_in(wrapped), Vec::<String>::new());
    assert_eq!(
        english_in("  提示：用 `read_until(b'\\n', &mut line)` 读\n").len(),
        0
    );
}

/// Grades `bin` (of `protocol`) under `--lang zh`; the report must fail some cases, say no
/// English sentence, and fit 80 columns.
fn chinese_report_of(bin: &str, protocol: &str) -> String {
    let mut server = start_broken(bin);
    let addr = server.addr.to_string();
    let mut command = Command::new(env!("CARGO_BIN_EXE_grade"));
    command.args([
        "--lang",
        "zh",
        "--addr",
        &addr,
        "--protocol",
        protocol,
        "--patience",
        "2",
    ]);
    let done = common::run(common::with_locale(&mut command, None), b"");
    done.assert_no_panic();
    assert_eq!(done.status.code(), Some(1), "{}", done.stdout);
    assert!(done.stdout.contains("失败"), "{}", done.stdout);
    assert!(done.stdout.contains("观察到："), "{}", done.stdout);
    assert_eq!(
        english_in(&done.stdout),
        Vec::<String>::new(),
        "{}",
        done.stdout
    );
    for line in done.stdout.lines().chain(done.stderr.lines()) {
        assert!(
            display_width(line) <= 80,
            "{} columns: {line}",
            display_width(line)
        );
    }
    let _ = server.interrupt();
    done.stdout
}

#[test]
fn a_chinese_grade_of_a_broken_chat_room_says_no_english() {
    let report = chinese_report_of("lesson9-one-read-one-line", "chat");
    // The chat cases' own sentences, and the engine's, in Chinese.
    assert!(
        report.contains("预期：每种拆法都得到 \"[a] split line\""),
        "{report}"
    );
    assert!(report.contains("连接一直开着"), "{report}");
}

#[test]
fn a_chinese_grade_of_a_broken_framed_server_says_no_english() {
    let report = chinese_report_of("lesson6-recv4", "framed");
    assert!(report.contains("2.2   失败"), "{report}");
}

/// A chat room started with `--lang zh` says its notices in Chinese (`* bob 加入了`); grade reads
/// them in either language, learning the room's from the first notice a member is told. So the
/// course's own room passes every chat case whichever language it speaks, and whichever the
/// grade speaks.
#[test]
fn a_chinese_chat_room_passes_every_chat_case_in_either_languages_grade() {
    let server = common::ServerProcess::start_with(9, &["--lang", "zh"]);
    assert!(
        server
            .stderr_so_far()
            .iter()
            .any(|line| line.contains("服务端已启动")),
        "{:?}",
        server.stderr_so_far()
    );
    for (lang, summary) in [("en", " 0 failed,"), ("zh", "0 个失败")] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_grade"));
        command.args([
            "--lang",
            lang,
            "--addr",
            &server.addr.to_string(),
            "--protocol",
            "chat",
        ]);
        let done = common::run(common::with_locale(&mut command, None), b"");
        done.assert_no_panic();
        assert!(done.status.success(), "{}\n{}", done.stdout, done.stderr);
        assert!(done.stdout.contains(summary), "{}", done.stdout);
    }
}
