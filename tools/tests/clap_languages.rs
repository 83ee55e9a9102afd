//! Every binary's command line in both languages (issue 20; docs/contracts.md, "Languages"):
//! `--help` of every command and subcommand, and the usage errors clap reports, are Chinese
//! under `--lang zh` or a Chinese locale, fit 80 columns, and keep nothing of clap's English;
//! and under `--lang en` they are byte for byte what they are with no locale at all.
//!
//! The subcommands are not listed here: they are read from each binary's own English `--help`
//! (its `Commands:` section), so a subcommand added later is checked too.

mod common;

use std::process::Command;

use socket_lessons_tools::demo::display_width;

use common::{bin, with_locale};

/// Every binary: the thirteen lessons and the tools.
fn binaries() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = (1..=13).map(bin).collect();
    all.extend([
        env!("CARGO_BIN_EXE_grade"),
        env!("CARGO_BIN_EXE_compare"),
        env!("CARGO_BIN_EXE_chaos"),
        env!("CARGO_BIN_EXE_netassist"),
        env!("CARGO_BIN_EXE_learn"),
        env!("CARGO_BIN_EXE_course"),
    ]);
    all
}

/// `path ARGS`, with `--lang LANG` when given, else with the locale `locale` (or none).
fn run(path: &str, args: &[&str], lang: Option<&str>, locale: Option<&str>) -> common::Finished {
    let mut command = Command::new(path);
    with_locale(&mut command, locale);
    command.env_remove("RUST_LOG").args(args);
    if let Some(lang) = lang {
        command.args(["--lang", lang]);
    }
    common::run(&mut command, b"")
}

fn name(path: &str) -> &str {
    path.rsplit('/').next().unwrap()
}

/// The subcommands an English help page lists (clap's own `help` aside), each as the arguments
/// that reach it (`["client", "get"]`).
fn subcommands(path: &str, above: &[&str]) -> Vec<Vec<String>> {
    let mut args: Vec<&str> = above.to_vec();
    args.push("--help");
    let help = run(path, &args, None, None).stdout;
    let mut found = Vec::new();
    let mut listing = false;
    for line in help.lines() {
        if line == "Commands:" {
            listing = true;
        } else if listing && line.starts_with("  ") && !line.starts_with("   ") {
            let sub = line.split_whitespace().next().unwrap();
            if sub != "help" {
                let mut inner: Vec<String> = above.iter().map(|s| s.to_string()).collect();
                inner.push(sub.to_string());
                found.push(inner);
            }
        } else if !line.starts_with("  ") {
            listing = false;
        }
    }
    let deeper: Vec<Vec<String>> = found
        .iter()
        .flat_map(|inner| {
            let inner: Vec<&str> = inner.iter().map(String::as_str).collect();
            subcommands(path, &inner)
        })
        .collect();
    found.extend(deeper);
    found
}

/// The words clap writes itself in English, none of which a Chinese page may show.
const CLAP_ENGLISH: [&str; 10] = [
    "Usage:",
    "Options:",
    "Commands:",
    "Arguments:",
    "Print help",
    "Print version",
    "Print this message",
    "[default:",
    "[possible values:",
    "For more information",
];

fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Checks one Chinese help page: clap's headings in Chinese, no English of clap's, every
/// description (the lines indented under a flag or a subcommand) Chinese, every line within 80
/// columns.
fn assert_chinese_help(page: &str, what: &str) {
    assert!(page.contains("\n用法："), "{what}:\n{page}");
    assert!(page.contains("\n选项：\n"), "{what}:\n{page}");
    for english in CLAP_ENGLISH {
        assert!(!page.contains(english), "{what}: {english:?} in\n{page}");
    }
    for line in page.lines() {
        assert!(display_width(line) <= 80, "{what}: wider than 80: {line:?}");
    }
    // A description is the block of lines indented by ten spaces under its flag.
    let mut block = String::new();
    for line in page.lines().chain(std::iter::once("")) {
        if let Some(text) = line.strip_prefix("          ") {
            block.push_str(text);
        } else if !block.is_empty() {
            assert!(
                is_chinese(&block),
                "{what}: an English description: {block:?}"
            );
            block.clear();
        }
    }
    // The first line says what the command is, in Chinese.
    assert!(is_chinese(page.lines().next().unwrap()), "{what}:\n{page}");
}

#[test]
fn every_help_page_is_chinese_under_lang_zh_and_the_same_bytes_under_lang_en() {
    let mut pages = 0;
    for path in binaries() {
        let mut places = vec![Vec::new()];
        places.extend(subcommands(path, &[]));
        for place in places {
            let mut args: Vec<&str> = place.iter().map(String::as_str).collect();
            args.push("--help");
            let what = format!("{} {}", name(path), args.join(" "));
            let zh = run(path, &args, Some("zh"), None);
            assert!(zh.status.success(), "{what}: {zh:?}");
            assert_chinese_help(&zh.stdout, &what);
            // The locale says the same as the flag.
            let locale = run(path, &args, None, Some("zh_CN.UTF-8"));
            assert_eq!(locale.stdout, zh.stdout, "{what}");
            // English: what clap makes, byte for byte, with or without --lang en.
            let en = run(path, &args, Some("en"), None);
            let none = run(path, &args, None, None);
            assert_eq!(en.stdout, none.stdout, "{what}");
            assert!(
                none.stdout.contains("\nUsage: "),
                "{what}:\n{}",
                none.stdout
            );
            // Folded to 80 columns in English too, off a terminal (clap's own cap is 100).
            for line in none.stdout.lines() {
                assert!(display_width(line) <= 80, "{what}: wider than 80: {line:?}");
            }
            pages += 1;
        }
    }
    // 13 lessons with their subcommands, 6 tools with theirs: a listing that found nothing
    // would check nothing.
    assert!(pages >= 60, "only {pages} help pages found");
}

#[test]
fn a_usage_error_is_told_in_chinese_and_keeps_its_error_token() {
    for path in binaries() {
        let what = name(path);
        let zh = run(path, &["--no-such-flag"], Some("zh"), None);
        assert_eq!(zh.status.code(), Some(2), "{what}: {zh:?}");
        assert!(
            zh.stderr
                .starts_with("error: 多了一个不认识的参数 '--no-such-flag'\n"),
            "{what}:\n{}",
            zh.stderr
        );
        assert!(zh.stderr.contains("\n用法："), "{what}:\n{}", zh.stderr);
        assert!(
            zh.stderr.ends_with("\n想了解更多，请用 '--help'。\n"),
            "{what}:\n{}",
            zh.stderr
        );
        for english in CLAP_ENGLISH {
            assert!(
                !zh.stderr.contains(english),
                "{what}: {english:?} in\n{}",
                zh.stderr
            );
        }
        for line in zh.stderr.lines() {
            assert!(display_width(line) <= 80, "{what}: {line:?}");
        }
        let en = run(path, &["--no-such-flag"], Some("en"), None);
        let none = run(path, &["--no-such-flag"], None, None);
        assert_eq!(en.stderr, none.stderr, "{what}");
        assert!(
            none.stderr
                .starts_with("error: unexpected argument '--no-such-flag' found\n"),
            "{what}:\n{}",
            none.stderr
        );
    }
}

#[test]
fn clap_s_suggestions_and_our_value_checks_are_told_in_chinese() {
    // A near miss: clap's suggestion, in Chinese.
    let lesson7 = bin(7);
    let near = run(lesson7, &["serv"], Some("zh"), None);
    assert_eq!(near.status.code(), Some(2), "{near:?}");
    assert!(
        near.stderr
            .starts_with("error: 不认识的子命令 'serv'\n\n  提示：有一个相近的子命令：'server'\n"),
        "{}",
        near.stderr
    );
    // A value our parser refuses: the frame in Chinese around our Chinese reason.
    let grade = env!("CARGO_BIN_EXE_grade");
    let value = run(
        grade,
        &["--addr", "127.0.0.1:0", "--protocol", "telnet"],
        Some("zh"),
        None,
    );
    assert_eq!(value.status.code(), Some(2), "{value:?}");
    let first = value.stderr.lines().next().unwrap();
    assert!(
        first.starts_with("error: '--protocol <PROTOCOL>' 的值 'telnet' 不对："),
        "{}",
        value.stderr
    );
    // The values the tools and lessons check themselves, with reasons of their own: in
    // Chinese, folded to 80 columns under the `error: `.
    let chaos = env!("CARGO_BIN_EXE_chaos");
    for (path, args, reason) in [
        (
            chaos,
            &["--to", "127.0.0.1:1", "--up", "bogus"][..],
            "不认识的一步 \"bogus\"：应为 pass、",
        ),
        (
            chaos,
            &["--to", "127.0.0.1:1", "--down", "split:random:9-2"][..],
            "split:random:9-2 的 MIN 比 MAX 大",
        ),
        (
            bin(3),
            &["server", "--addr", "1"][..],
            "应为 HOST:PORT，比如 127.0.0.1:8001",
        ),
        (
            grade,
            &["--addr", "unix:", "--protocol", "echo"][..],
            "应为 HOST:PORT",
        ),
    ] {
        let told = run(path, args, Some("zh"), None);
        assert_eq!(told.status.code(), Some(2), "{told:?}");
        // Folded lines put back together (spaces aside: a fold may fall on one).
        let squeezed = |text: &str| text.split_whitespace().collect::<String>();
        assert!(
            squeezed(&told.stderr).contains(&squeezed(reason)),
            "{}",
            told.stderr
        );
        assert!(told.stderr.starts_with("error: "), "{}", told.stderr);
        for line in told.stderr.lines() {
            assert!(display_width(line) <= 80, "{line:?}");
        }
        let english = run(path, args, Some("en"), None);
        assert!(!is_chinese(&english.stderr), "{}", english.stderr);
    }
    // A required flag left out.
    let missing = run(grade, &["--addr", "127.0.0.1:0"], Some("zh"), None);
    assert!(
        missing
            .stderr
            .starts_with("error: 缺少必需的参数：\n  --protocol <PROTOCOL>\n"),
        "{}",
        missing.stderr
    );
    // A flag a subcommand needs a value for, given none.
    let netassist = env!("CARGO_BIN_EXE_netassist");
    let none = run(netassist, &["tcp-client", "--addr"], Some("zh"), None);
    assert!(
        none.stderr
            .starts_with("error: '--addr <HOST:PORT>' 需要一个值，但没有给\n"),
        "{}",
        none.stderr
    );
}
