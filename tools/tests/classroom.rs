//! What a student or instructor reads from the programs themselves: `cargo run` with no
//! `--bin`, `--version`, `--help` that fits, and error messages that say what to do
//! (docs/contracts.md, "Command lines").

mod common;

use std::net::TcpListener;
use std::process::Command;

use socket_lessons::course::LESSONS;
use socket_lessons_tools::probe::{self, PATIENCE};

use common::bin;

fn output(program: &str, args: &[&str]) -> (bool, String, String) {
    let finished = probe::run(Command::new(program).args(args), b"", PATIENCE)
        .unwrap_or_else(|e| panic!("{program} {args:?}: {e}"));
    (
        finished.status.success(),
        String::from_utf8(finished.stdout).unwrap(),
        String::from_utf8(finished.stderr).unwrap(),
    )
}

#[test]
fn cargo_run_without_a_bin_prints_the_course_and_how_to_start() {
    let (ok, stdout, _) = output(env!("CARGO_BIN_EXE_course"), &[]);
    assert!(ok);
    for lesson in &LESSONS {
        assert!(
            stdout.contains(&lesson.bin_name()) && stdout.contains(lesson.tutorial_step),
            "the overview should name {}:\n{stdout}",
            lesson.bin_name()
        );
    }
    assert!(stdout.contains("cargo run --bin lesson1"), "{stdout}");
}

#[test]
fn every_binary_answers_version() {
    let version = env!("CARGO_PKG_VERSION");
    let mut programs: Vec<&str> = LESSONS.iter().map(|l| bin(l.number)).collect();
    programs.push(env!("CARGO_BIN_EXE_course"));
    for program in programs {
        let (ok, stdout, _) = output(program, &["--version"]);
        assert!(ok, "{program} --version failed");
        assert!(stdout.trim_end().ends_with(version), "{program}: {stdout}");
    }
}

#[test]
fn help_fits_100_columns_when_not_a_terminal() {
    for lesson in &LESSONS {
        for args in [
            &["--help"][..],
            &["server", "--help"],
            &["client", "--help"],
        ] {
            let (ok, stdout, _) = output(bin(lesson.number), args);
            assert!(ok);
            for line in stdout.lines() {
                assert!(
                    line.chars().count() <= 100,
                    "{} {args:?}: a line of {} columns:\n{line}",
                    lesson.bin_name(),
                    line.chars().count()
                );
            }
        }
    }
}

#[test]
fn an_address_in_use_says_what_to_do() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (ok, _, stderr) = output(bin(3), &["server", "--addr", &addr]);
    assert!(!ok);
    let error = stderr
        .lines()
        .find(|line| line.starts_with("error:"))
        .unwrap_or_else(|| panic!("no error line:\n{stderr}"));
    assert!(error.contains("already in use"), "{error}");
    assert!(error.contains("still running"), "{error}");
    assert!(error.contains("--addr"), "{error}");
}

/// A lesson server started with info logs, its address read from its readiness line.
fn server_process(number: u16) -> probe::ServerProcess {
    let mut command = Command::new(bin(number));
    command
        .args(["server", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .env("RUST_LOG_STYLE", "never");
    probe::ServerProcess::spawn(&mut command).unwrap()
}

#[test]
fn a_client_cannot_forge_a_server_log_line_through_the_md5() {
    use std::io::Write;
    let mut server = server_process(6);
    let mut client = probe::connect(server.addr).unwrap();
    let header = br#"{"total_size":7,"md5":"x\nERROR [server] FORGED LOG LINE"}"#;
    let mut frame = (header.len() as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(header);
    frame.extend_from_slice(b"echo hi");
    client.write_all(&frame).unwrap();
    let line = server.wait_for_stderr_line("header said").unwrap();
    assert!(
        line.contains(r#""x\nERROR [server] FORGED LOG LINE""#),
        "{line}"
    );
    server.interrupt().unwrap();
    let (_, stderr) = server.wait_within(PATIENCE).unwrap();
    assert!(
        !stderr
            .lines()
            .any(|line| line.starts_with("ERROR [server] FORGED")),
        "a forged line reached the log:\n{stderr}"
    );
}

#[test]
fn terminal_escapes_in_a_command_reach_the_log_escaped() {
    use std::io::Write;
    let mut server = server_process(5);
    let mut client = probe::connect(server.addr).unwrap();
    client.write_all(b"echo \x1b]0;pwned\x07\x1b[2J").unwrap();
    let line = server.wait_for_stderr_line("ran ").unwrap();
    assert!(line.contains(r#""echo \x1b]0;pwned\x07\x1b[2J""#), "{line}");
    assert!(!line.contains('\x1b'), "an ESC reached the log: {line:?}");
    server.interrupt().unwrap();
    server.wait_within(PATIENCE).unwrap();
}

#[test]
fn a_client_talking_to_the_wrong_stage_says_so() {
    let server = server_process(5);
    let finished = probe::run(
        Command::new(bin(6)).args(["client", "--addr", &server.addr.to_string()]),
        b"echo hello\n",
        PATIENCE,
    )
    .unwrap();
    assert!(!finished.status.success());
    let stderr = String::from_utf8(finished.stderr).unwrap();
    assert!(
        stderr.contains("the reply is not a lesson6 frame")
            && stderr.contains("is this a lesson6 server, on the same --wire?"),
        "{stderr}"
    );
}

#[test]
fn the_clients_send_a_line_that_is_not_utf8_as_it_is() {
    // 你好 in GBK, as a Windows console in China types it.
    let gbk = b"\xc4\xe3\xba\xc3";
    let server = server_process(4);
    let mut input = gbk.to_vec();
    input.push(b'\n');
    let finished = probe::run(
        Command::new(bin(4)).args(["client", "--addr", &server.addr.to_string()]),
        &input,
        PATIENCE,
    )
    .unwrap();
    assert!(finished.status.success(), "{:?}", finished);
    // Not a letter among them: the echo is the same bytes, passed through untouched.
    assert_eq!(finished.stdout, [&gbk[..], b"\n"].concat());
}

#[test]
fn log_lines_name_the_peer_once_show_the_traffic_at_debug_and_tell_who_ended_it() {
    use std::io::Write;
    let mut command = Command::new(bin(4));
    command
        .args(["server", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "debug")
        .env("RUST_LOG_STYLE", "never");
    let mut server = probe::ServerProcess::spawn(&mut command).unwrap();
    let mut client = probe::connect(server.addr).unwrap();
    client.write_all(b"hello").unwrap();
    assert_eq!(probe::read_exactly(&mut client, 5).unwrap(), b"HELLO");
    let peer = client.local_addr().unwrap().to_string();
    server.wait_for_stderr_line("sent 5 bytes").unwrap();
    server.interrupt().unwrap();
    assert_eq!(
        probe::wait_for_end(&mut client).unwrap(),
        probe::End::EndOfStream
    );
    let (status, stderr) = server.wait_within(PATIENCE).unwrap();
    assert!(status.success(), "{stderr}");
    let thread_lines: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains(&format!("[client {peer}]")))
        .collect();
    assert!(!thread_lines.is_empty(), "{stderr}");
    for line in &thread_lines {
        assert_eq!(
            line.matches(&peer).count(),
            1,
            "the peer is named twice: {line}"
        );
    }
    let said = |text: &str| thread_lines.iter().any(|line| line.contains(text));
    assert!(said(r#"received 5 bytes: "hello""#), "{stderr}");
    assert!(said(r#"sent 5 bytes: "HELLO""#), "{stderr}");
    assert!(
        said("the server is shutting down and ends this conversation"),
        "{stderr}"
    );
}

// --- `cargo run -- reset` ----------------------------------------------------------------------

/// What the chapters' recipes create in the folder a student runs them from: the targets of a
/// shell redirection (`echo hello > b.txt`) and of `mkdir`, in shell blocks and inline code.
fn recipe_scratch() -> Vec<String> {
    let chapters = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../lessons"));
    // Every chapter, in every language (`lessons/zh/` too): a Markdown file at any depth.
    let mut paths = Vec::new();
    let mut folders = vec![chapters];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                paths.push(path);
            }
        }
    }
    let mut made = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).unwrap();
        let mut shell = false;
        for line in text.lines() {
            if let Some(fence) = line.trim_start().strip_prefix("```") {
                shell = matches!(fence, "sh" | "bash" | "console" | "shell");
                continue;
            }
            // Shell blocks whole; elsewhere, only what is inside `code spans`.
            let spans: Vec<&str> = if shell {
                vec![line]
            } else {
                line.split('`').skip(1).step_by(2).collect()
            };
            for span in spans {
                let words: Vec<&str> = span.split_whitespace().collect();
                for pair in words.windows(2) {
                    let target = pair[1].trim_end_matches([';', ',', ')']);
                    // A redirection makes a file (`> b.txt`: a name with an extension, not a
                    // comparison such as `size > n`); `mkdir` makes a folder.
                    let makes = (pair[0] == ">" && target.contains('.')) || pair[0] == "mkdir";
                    if makes && !target.starts_with('/') && !target.starts_with('-') {
                        made.push(target.to_string());
                    }
                }
            }
        }
    }
    made.sort();
    made.dedup();
    made
}

/// A process id that runs nothing now, for a leftover's name.
fn a_dead_pid() -> u32 {
    (100_000..)
        .step_by(7919)
        .find(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists())
        .unwrap()
}

/// `course reset ARGS` run in `folder`, with `answer` on stdin: (success, stdout).
fn reset_in(folder: &std::path::Path, args: &[&str], answer: &[u8]) -> (bool, String) {
    let finished = probe::run(
        Command::new(env!("CARGO_BIN_EXE_course"))
            .arg("reset")
            .args(args)
            .current_dir(folder),
        answer,
        PATIENCE,
    )
    .unwrap();
    let stderr = String::from_utf8(finished.stderr).unwrap();
    assert!(!stderr.contains("error:"), "{stderr}");
    (
        finished.status.success(),
        String::from_utf8(finished.stdout).unwrap(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn reset_lists_what_it_removes_asks_and_touches_nothing_outside_the_folder() {
    use std::fs;
    let base = std::env::temp_dir().join(format!("course-reset-{}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    let (classroom, outside) = (base.join("classroom"), base.join("outside"));
    fs::create_dir_all(&classroom).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("keep.txt"), b"not the course's").unwrap();

    // What the lessons leave: lesson 8's folder (a link to elsewhere, here: only the link may
    // go), a dead transfer's temporary file, a running one's (ours: it must stay), and every
    // file the chapters' recipes make.
    std::os::unix::fs::symlink(&outside, classroom.join("lesson8-files")).unwrap();
    let dead = format!(".big.bin.{}-0.part", a_dead_pid());
    let running = format!(".big.bin.{}-0.part", std::process::id());
    fs::write(classroom.join(&dead), b"half").unwrap();
    fs::write(classroom.join(&running), b"half").unwrap();
    fs::write(classroom.join("notes.txt"), b"a student's own").unwrap();
    let scratch = recipe_scratch();
    assert!(
        scratch.contains(&"b.txt".to_string()) && scratch.contains(&"dl".to_string()),
        "the chapters' recipes were not found: {scratch:?}"
    );
    for name in &scratch {
        if name.contains('.') {
            fs::write(classroom.join(name), b"hello\n").unwrap();
        } else {
            fs::create_dir(classroom.join(name)).unwrap();
            fs::write(classroom.join(name).join("b.txt"), b"hello\n").unwrap();
        }
    }

    // Asked, and told no: everything is listed, nothing removed.
    let (ok, listed) = reset_in(&classroom, &[], b"n\n");
    assert!(ok);
    for name in scratch.iter().chain([&"lesson8-files".to_string(), &dead]) {
        assert!(
            listed
                .lines()
                .any(|line| line.trim_start().starts_with(name.as_str())),
            "{name} is not listed:\n{listed}"
        );
        assert!(
            classroom.join(name).symlink_metadata().is_ok(),
            "{name} was removed"
        );
    }
    assert!(listed.contains("Nothing removed."), "{listed}");
    assert!(!listed.contains(&running), "{listed}");

    // With --yes: gone, all but the student's own file and the transfer still running; the
    // folder the link pointed to is untouched.
    let (ok, removed) = reset_in(&classroom, &["--yes"], b"");
    assert!(ok, "{removed}");
    let mut left: Vec<String> = fs::read_dir(&classroom)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [running.clone(), "notes.txt".to_string()],
        "{removed}"
    );
    assert_eq!(
        fs::read(outside.join("keep.txt")).unwrap(),
        b"not the course's"
    );
    // And once clean, it says so.
    fs::remove_file(classroom.join(&running)).unwrap();
    let (ok, clean) = reset_in(&classroom, &[], b"");
    assert!(ok && clean.contains("the classroom is clean"), "{clean}");
    fs::remove_dir_all(&base).unwrap();
}

/// 中文 (issue 20): the course map (`cargo run`) and `course reset` in Chinese, within 80
/// columns; under `--lang en` the same bytes as with no locale.
#[test]
fn the_course_map_and_reset_speak_chinese_under_lang_zh() {
    use socket_lessons_tools::demo::display_width;
    let course = |args: &[&str], folder: &std::path::Path, answer: &[u8]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_course"));
        common::with_locale(&mut command, None)
            .args(args)
            .current_dir(folder);
        let finished = probe::run(&mut command, answer, PATIENCE).unwrap();
        assert!(finished.status.success(), "{finished:?}");
        (
            String::from_utf8(finished.stdout).unwrap(),
            String::from_utf8(finished.stderr).unwrap(),
        )
    };
    let folder = std::env::temp_dir().join(format!("course-zh-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(folder.join("lesson8-files/a")).unwrap();
    std::fs::write(folder.join("b.txt"), b"hello\n").unwrap();
    let fits = |text: &str| text.lines().all(|line| display_width(line) <= 80);

    let (map, _) = course(&["--lang", "zh"], &folder, b"");
    assert!(
        map.starts_with("socket-lessons：一套经典的 Python 套接字教程"),
        "{map}"
    );
    assert!(
        map.contains("  lesson2   加入链接循环（the connection loop）\n"),
        "{map}"
    );
    assert!(
        map.contains("\n    cargo run --bin lesson1 -- server\n"),
        "{map}"
    );
    assert!(fits(&map), "{map}");
    let (english, _) = course(&["--lang", "en"], &folder, b"");
    assert_eq!(english, course(&[], &folder, b"").0);
    assert!(english.contains("  lesson2   the connection loop (加入链接循环)\n"));

    let (listed, asked) = course(&["--lang", "zh", "reset"], &folder, b"n\n");
    assert!(
        listed.starts_with("在这个文件夹里，course reset 会删除：\n"),
        "{listed}"
    );
    assert!(
        listed.contains("  b.txt（第 8 章的 `echo hello > b.txt`：6 字节）\n"),
        "{listed}"
    );
    assert!(listed.ends_with("什么也没删。\n"), "{listed}");
    assert_eq!(asked, "要删除它们吗？[y/N] ");
    assert!(fits(&listed), "{listed}");
    let (english, asked) = course(&["--lang", "en", "reset"], &folder, b"n\n");
    assert!(english.contains("  b.txt  (chapter 8's `echo hello > b.txt`: 6 bytes)\n"));
    assert_eq!(asked, "Remove them? [y/N] ");
    assert!(fits(&english), "{english}");
    let (removed, _) = course(&["--lang", "zh", "reset", "--yes"], &folder, b"");
    assert!(removed.contains("已删除 b.txt\n"), "{removed}");
    let (clean, _) = course(&["--lang", "zh", "reset"], &folder, b"");
    assert_eq!(clean, "没有要删除的东西：教室是干净的。\n");
    std::fs::remove_dir_all(&folder).unwrap();
}
