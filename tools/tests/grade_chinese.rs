//! 中文 (issue 20): a Chinese grade run of broken programs says everything in Chinese.
//!
//! The exercises' broken-on-purpose programs fail cases, so their reports show what grade
//! expected and what it observed: sentences of the grader's judges and of the scenario engine.
//! Under `--lang zh` none of them may be English, and every line fits 80 display columns. The
//! same holds for `learn --lang zh check N`, whose untouched starters fail the cases that run a
//! student's program (a pool of workers, a thread count), which `grade --addr` cannot play.
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
use socket_lessons_tools::probe::{PATIENCE, ServerProcess};
use socket_lessons_tools::scenario::files;

fn places() -> Places {
    Places {
        repository: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")),
    }
}

/// A broken program of the exercises, built, started as `PROGRAM server --addr 127.0.0.1:0`
/// followed by `args`.
fn start_broken(bin: &str, args: &[&str]) -> ServerProcess {
    match check::build(&places(), "solutions", false).expect("cargo runs") {
        Built::Ok => {}
        Built::Failed(message) => panic!("the solutions do not build:\n{message}"),
    }
    let mut command = Command::new(places().program(bin));
    command.args(["server", "--addr", "127.0.0.1:0"]).args(args);
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
    // A failure as `learn` shows it: the observed line wrapped, English on both of its lines.
    let learn = "失败  用例 7.9：线程池\n    告知忙\n  预期：A 和 B 得到回复\n  观察到：C was \
                 answered (\"C, WAITING\") while A\n      and B held both workers\n\n写了什么：\n  \
                 客户端 C 写  |c, waiting|\n";
    let sentences = failure_sentences(learn);
    assert_eq!(sentences.len(), 3, "{sentences:?}");
    assert!(!has_english(&prose(&sentences[0])));
    assert!(sentences[2].ends_with("and B held both workers"));
    assert!(has_english(&prose(&sentences[2])));
}

/// Grades `bin` (of `protocol`, started with `args`) under `--lang zh`; the report must fail
/// some cases, say no English sentence, and fit 80 columns.
fn chinese_report_of(bin: &str, protocol: &str, args: &[&str]) -> String {
    let mut server = start_broken(bin, args);
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
    assert_fits_80(&done.stdout);
    assert_fits_80(&done.stderr);
    let _ = server.interrupt();
    done.stdout
}

fn assert_fits_80(text: &str) {
    for line in text.lines() {
        assert!(
            display_width(line) <= 80,
            "{} columns: {line}",
            display_width(line)
        );
    }
}

#[test]
fn a_chinese_grade_of_a_broken_chat_room_says_no_english() {
    let report = chinese_report_of("lesson9-one-read-one-line", "chat", &[]);
    // The chat cases' own sentences, and the engine's, in Chinese.
    assert!(
        report.contains("预期：每种拆法都得到 \"[a] split line\""),
        "{report}"
    );
    assert!(report.contains("连接一直开着"), "{report}");
}

#[test]
fn a_chinese_grade_of_a_broken_framed_server_says_no_english() {
    let report = chinese_report_of("lesson6-recv4", "framed", &[]);
    assert!(report.contains("2.2   失败"), "{report}");
}

/// A folder of the test's own, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Lesson 8's file cases: a server that serves a name leading out of its folder fails 4.28, and
/// says so in Chinese (`get "../secret.txt"：回来了一个文件，…`).
#[test]
fn a_chinese_grade_of_a_broken_file_server_says_no_english() {
    // The folder the files cases expect (src/grade/files.rs): a.txt in it, secret.txt beside.
    let scratch =
        Scratch(std::env::temp_dir().join(format!("grade-zh-files-{}", std::process::id())));
    let root = scratch.0.join("root");
    std::fs::create_dir_all(&root).expect("a scratch folder");
    std::fs::write(root.join(files::A_TXT), files::A_TXT_BODY).expect("a.txt");
    std::fs::write(scratch.0.join("secret.txt"), files::SECRET_BODY).expect("secret.txt");
    let root = root.to_string_lossy().into_owned();
    let report = chinese_report_of("lesson8-trusts-names", "files", &["--root", &root]);
    assert!(report.contains("4.28  失败"), "{report}");
    assert!(report.contains("回来了一个文件"), "{report}");
    assert!(report.contains("（服务目录旁边"), "{report}");
}

/// Whether `exercises/NAME/src/main.rs` is still the starter as committed (a starter being
/// worked on fails elsewhere, or passes): its bytes are `git show HEAD:…`'s.
fn starter_is_committed(name: &str) -> bool {
    let main_rs = format!("exercises/{name}/src/main.rs");
    let mut git = Command::new("git");
    git.current_dir(&places().repository)
        .args(["show", &format!("HEAD:{main_rs}")]);
    let committed = common::run(&mut git, b"");
    std::fs::read(places().repository.join(&main_rs))
        .is_ok_and(|now| committed.status.success() && now == committed.stdout.as_bytes())
}

/// The sentences of a failure `learn` shows: the failure's line, `预期：`, `观察到：` and `提示：`,
/// each with the lines under it that continue it (indented deeper).
fn failure_sentences(output: &str) -> Vec<String> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let starts = ["失败  用例", "预期：", "观察到：", "提示："];
    let mut sentences: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for line in output.lines() {
        let trimmed = line.trim_start();
        let starts_one = starts.iter().any(|start| trimmed.starts_with(start));
        match sentences.last_mut() {
            Some((depth, sentence)) if open && !starts_one && indent(line) > *depth => {
                sentence.push(' ');
                sentence.push_str(trimmed);
            }
            _ => {
                open = starts_one;
                if open {
                    sentences.push((indent(line), line.to_string()));
                }
            }
        }
    }
    sentences.into_iter().map(|(_, s)| s).collect()
}

/// `learn --lang zh check N` on the untouched starter of exercise N: it fails `case` first, and
/// what it expected and observed is Chinese, in 80 columns. `None` when the starter is being
/// worked on (it is not the committed one: it may fail elsewhere, or pass).
fn chinese_learn_check(n: u16, case: &str) -> Option<String> {
    if !starter_is_committed(&format!("lesson{n}")) {
        eprintln!("note: exercises/lesson{n} is being worked on: not run");
        return None;
    }
    let mut command = Command::new(env!("CARGO_BIN_EXE_learn"));
    command.args(["--lang", "zh", "check", &n.to_string()]);
    let done = common::run(common::with_locale(&mut command, None), b"");
    done.assert_no_panic();
    assert_eq!(
        done.status.code(),
        Some(1),
        "{}\n{}",
        done.stdout,
        done.stderr
    );
    assert!(
        done.stdout.contains(&format!("失败  用例 {case}：")),
        "{}",
        done.stdout
    );
    let sentences = failure_sentences(&done.stdout);
    assert!(
        sentences
            .iter()
            .any(|s| s.trim_start().starts_with("观察到：")),
        "{}",
        done.stdout
    );
    let english: Vec<&String> = sentences
        .iter()
        .filter(|s| has_english(&prose(s)))
        .collect();
    assert_eq!(english, Vec::<&String>::new(), "{}", done.stdout);
    assert_fits_80(&done.stdout);
    assert_fits_80(&done.stderr);
    Some(done.stdout)
}

/// 7.9 (src/grade/program.rs): lesson 12's starter still spawns a thread per client, so a third
/// client is answered while two hold both workers.
#[test]
fn a_chinese_learn_check_of_the_pool_case_says_no_english() {
    if let Some(output) = chinese_learn_check(12, "7.9") {
        assert!(output.contains("C 却得到了回复"), "{output}");
    }
}

/// 7.10 (src/grade/program.rs): lesson 13's starter costs a thread per client.
#[test]
fn a_chinese_learn_check_of_the_thread_count_says_no_english() {
    if let Some(output) = chinese_learn_check(13, "7.10") {
        assert!(output.contains("每个客户端一个线程"), "{output}");
    }
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

/// Peer bytes cut short in an observation end with their length in the report's language:
/// `…（100 字节）` in Chinese, `… (100 bytes)` in English (and in `--json`, whatever the table
/// speaks).
#[test]
fn a_long_reply_cut_short_says_its_length_in_the_report_s_language() {
    // A broken echo server: whatever it reads, it answers 100 bytes of `x`.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            std::thread::spawn(move || {
                use std::io::{Read, Write};
                let _ = conn.set_read_timeout(Some(PATIENCE));
                let mut buf = [0u8; 1024];
                while let Ok(1..) = conn.read(&mut buf) {
                    if conn.write_all(&[b'x'; 100]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    let json = std::env::temp_dir().join(format!("grade-cut-{}.json", std::process::id()));
    for (lang, tail, not) in [
        ("zh", "…（100 字节）", "bytes)"),
        ("en", "… (100 bytes)", "字节"),
    ] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_grade"));
        command
            .args(["--lang", lang, "--addr", &addr, "--protocol", "echo"])
            .args(["--cases", "1.1", "--patience", "2", "--json"])
            .arg(&json);
        let done = common::run(common::with_locale(&mut command, None), b"");
        done.assert_no_panic();
        assert_eq!(done.status.code(), Some(1), "{}", done.stdout);
        // The table folds its lines, and a fold may fall inside the tail.
        let squeezed = |text: &str| text.split_whitespace().collect::<String>();
        assert!(
            squeezed(&done.stdout).contains(&squeezed(tail)),
            "{lang}: {}",
            done.stdout
        );
        assert!(!done.stdout.contains(not), "{lang}: {}", done.stdout);
        let written = std::fs::read_to_string(&json).unwrap();
        assert!(written.contains("… (100 bytes)"), "{lang}: {written}");
        assert!(!written.contains("字节"), "{lang}: {written}");
    }
    std::fs::remove_file(&json).unwrap();
}
