//! `compare`, the real binary, against the real stage binaries: its table checked cell by cell
//! against what docs/contracts.md says each stage does, and its options (docs/contracts.md,
//! "compare").

mod common;

use std::process::Command;

use common::{Finished, run};

/// `compare ARGS`, its output not a terminal, and no `COLUMNS`: 80 columns.
fn compare(args: &[&str]) -> Finished {
    compare_in(args, None)
}

/// `compare ARGS` with `COLUMNS` set to `columns` (a terminal that wide), or unset.
fn compare_in(args: &[&str], columns: Option<usize>) -> Finished {
    let mut command = Command::new(env!("CARGO_BIN_EXE_compare"));
    command.args(args).env_remove("NO_COLOR");
    match columns {
        Some(columns) => command.env("COLUMNS", columns.to_string()),
        None => command.env_remove("COLUMNS"),
    };
    let done = run(&mut command, b"");
    done.assert_no_panic();
    done
}

/// The plain tables, each as its rows of cells (columns are separated by at least two spaces;
/// no cell or title holds two spaces in a row). Tables are separated by an empty line.
fn tables(stdout: &str) -> Vec<Vec<Vec<String>>> {
    stdout
        .split("\n\n")
        .map(|table| {
            table
                .lines()
                .map(|line| {
                    line.split("  ")
                        .map(str::trim)
                        .filter(|cell| !cell.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// The cells of the plain tables, put side by side again: for each row, its title and its
/// cells in every table, left to right. Every table repeats the row titles, in the same order.
fn cells(stdout: &str) -> Vec<Vec<String>> {
    let tables = tables(stdout);
    let mut rows = tables[0].clone();
    for table in &tables[1..] {
        assert_eq!(table.len(), rows.len(), "{stdout}");
        for (row, more) in rows.iter_mut().zip(table) {
            assert_eq!(
                row[0], more[0],
                "every table has the same row titles:\n{stdout}"
            );
            row.extend(more[1..].iter().cloned());
        }
    }
    rows
}

/// What each stage is documented to do, scenario by scenario. Lessons 1 to 6 and 11 to 13, left
/// to right. Lesson 11 is lesson 4's echo with a guard (docs/contracts.md, "Socket options and a
/// guarded server"): to a well-behaved client it is lesson 4, and it differs only at its limits.
/// Lessons 12 (a pool of 4 workers by default) and 13 (one thread) are lesson 4's echo too, and
/// no scenario here holds more than 2 clients at once: they answer as lesson 4 does.
const EXPECTED: [(&str, [&str; 9]); 7] = [
    // "How much each stage echoes": lesson 1 serves exactly one client, ever, then exits; lesson
    // 2 hangs up after one message, so the second client is simply the next; lesson 3 serves
    // one at a time ("the next waits, connected but unanswered, until the current one leaves");
    // lessons 4-6 give each client its own thread.
    (
        "2nd client, 1st stays",
        [
            "server gone",
            "served",
            "waits for 1st",
            "served",
            "served",
            "served",
            "served",
            "served",
            "served",
        ],
    ),
    // Two clients served and staying, then a third. Lesson 3 already leaves the second waiting;
    // lessons 2 and 4-6 serve everyone; lesson 11, played with `--max-clients 2` for this row,
    // sends the third "busy: the server is serving as many clients as it can; try again later"
    // and closes it ("The cap": client N+1 is told so in one line, and costs no thread).
    (
        "3rd client, 2 stay",
        [
            "server gone",
            "served",
            "2nd waits",
            "served",
            "served",
            "served",
            "told busy (cap 2)",
            "served",
            "served",
        ],
    ),
    // Lessons 1 and 2 answer one read, then hang up; 3 and 4 echo every read, and the echo rule
    // is per byte; lesson 5 reads `echo one` `echo two` as one command ("commands written back
    // to back can arrive as one request"); lesson 6 reads frames.
    (
        "2 requests in 1 write",
        [
            "1 reply, closed",
            "1 reply, closed",
            "both echoed",
            "both echoed",
            "glued: 1 reply",
            "2 replies",
            "both echoed",
            "both echoed",
            "both echoed",
        ],
    ),
    // "The server reads at most 1024 bytes at a time": lessons 1 and 2 answer only that first
    // read; 3-5's replies, read as their clients read (one recv(1024) per request), spill into
    // the reply to the next request; lesson 6's client always reads one whole reply.
    (
        "3,893-byte reply",
        [
            "cut at 1,024",
            "cut at 1,024",
            "spilled into next",
            "spilled into next",
            "spilled into next",
            "whole",
            "spilled into next",
            "spilled into next",
            "spilled into next",
        ],
    ),
    // A request written one byte at a time: lessons 1 and 2 answer the first byte's read and hang
    // up; 3 and 4 echo each piece (which put together is the echo of the whole); lesson 5 runs
    // the first byte, `e`, as a command; lesson 6 waits for the whole frame.
    (
        "request dribbled",
        [
            "1st byte, closed",
            "1st byte, closed",
            "echoed in pieces",
            "echoed in pieces",
            "split: ran \"e\"",
            "whole",
            "echoed in pieces",
            "echoed in pieces",
            "echoed in pieces",
        ],
    ),
    // "A client that resets": lesson 1 had already ended with its one exchange; from lesson 2 on
    // a reset ends that one connection, and the next client is served (lesson 11's seat is
    // given back when the reset client's thread ends).
    (
        "reset, then new client",
        [
            "server gone",
            "served",
            "served",
            "served",
            "served",
            "served",
            "served",
            "served",
            "served",
        ],
    ),
    // "Shutdown": every server stops promptly, "without waiting for idle clients to leave", and
    // exits 0; lesson 11's idle timeout (300 s) plays no part in that.
    ("Ctrl-C, 2 idle clients", ["exits < 1 s"; 9]),
];

#[test]
fn the_table_says_what_each_stage_is_documented_to_do_cell_by_cell() {
    let done = compare(&[]);
    assert!(done.status.success(), "{}", done.stderr);
    // Not a terminal: no colours.
    assert!(!done.stdout.contains('\x1b'), "{}", done.stdout);
    let table = cells(&done.stdout);
    assert_eq!(
        table[0],
        [
            "scenario", "lesson1", "lesson2", "lesson3", "lesson4", "lesson5", "lesson6",
            "lesson11", "lesson12", "lesson13"
        ]
    );
    assert_eq!(table.len(), EXPECTED.len() + 1, "{}", done.stdout);
    let stages = [1, 2, 3, 4, 5, 6, 11, 12, 13];
    for (row, (title, expected)) in table[1..].iter().zip(EXPECTED) {
        assert_eq!(row[0], title, "{}", done.stdout);
        for ((got, want), stage) in row[1..].iter().zip(expected).zip(stages) {
            assert_eq!(got, want, "{title}, lesson{stage}:\n{}", done.stdout);
        }
        assert_eq!(row.len(), 10, "{row:?}");
    }
}

#[test]
fn the_table_fits_the_terminal_folded_into_tables_of_as_many_stages_as_fit() {
    use socket_lessons_tools::demo::display_width;
    let wide = compare_in(&[], Some(200));
    assert!(wide.status.success(), "{}", wide.stderr);
    assert_eq!(tables(&wide.stdout).len(), 1, "{}", wide.stdout);
    // 80 columns (off a terminal), and a projector's 100: several tables, each with the row
    // labels, none wider than the terminal, and the same cells as the one wide table.
    for (columns, expected) in [(None, 3), (Some(100), 3)] {
        let done = compare_in(&[], columns);
        assert!(done.status.success(), "{}", done.stderr);
        let width = columns.unwrap_or(80);
        for line in done.stdout.lines() {
            assert!(
                display_width(line) <= width,
                "{width}: {line:?}\n{}",
                done.stdout
            );
        }
        let parts = tables(&done.stdout);
        assert_eq!(parts.len(), expected, "{}", done.stdout);
        for part in &parts {
            assert_eq!(part[0][0], "scenario", "{}", done.stdout);
        }
        assert_eq!(cells(&done.stdout), cells(&wide.stdout), "{width}");
    }
    // At 100 columns the first table holds lessons 1 to 4, whole words in every cell.
    let projector = compare_in(&[], Some(100));
    assert_eq!(
        tables(&projector.stdout)[0][0],
        ["scenario", "lesson1", "lesson2", "lesson3", "lesson4"]
    );
    // Markdown has no width: one table, whatever the terminal.
    let markdown = compare_in(&["--markdown", "--scenario", "reset"], Some(40));
    assert_eq!(
        markdown.stdout,
        "| scenario | lesson1 | lesson2 | lesson3 | lesson4 | lesson5 | lesson6 | lesson11 | lesson12 \
         | lesson13 |\n\
         |---|---|---|---|---|---|---|---|---|---|\n\
         | reset, then new client | server gone | served | served | served | served | served | served \
         | served | served |\n"
    );
}

#[test]
fn stages_and_scenario_choose_columns_and_rows_and_markdown_is_a_table_for_slides() {
    let done = compare(&[
        "--stages",
        "3,5,6",
        "--scenario",
        "back-to-back",
        "--markdown",
    ]);
    assert!(done.status.success(), "{}", done.stderr);
    assert_eq!(
        done.stdout,
        "| scenario | lesson3 | lesson5 | lesson6 |\n\
         |---|---|---|---|\n\
         | 2 requests in 1 write | both echoed | glued: 1 reply | 2 replies |\n"
    );
    // The same cells twice: nothing in a cell depends on timing.
    let again = compare(&[
        "--stages",
        "3,5,6",
        "--scenario",
        "back-to-back",
        "--markdown",
    ]);
    assert_eq!(again.stdout, done.stdout);
}

#[test]
fn an_unknown_scenario_or_stage_is_one_error_line() {
    let done = compare(&["--scenario", "nope"]);
    assert_eq!(done.status.code(), Some(1));
    assert_eq!(
        done.error_lines(),
        [
            "error: there is no scenario \"nope\"; the scenarios are second-client, third-client, \
             back-to-back, long-reply, dribbled, reset, ctrl-c"
        ]
    );
    // Lessons 8 to 10 speak files, a chat room and a menu: no scenario here speaks those.
    for stage in ["8", "9", "10", "14", "0"] {
        let done = compare(&["--stages", stage]);
        assert_eq!(done.status.code(), Some(2), "{}", done.stderr);
        // The sentence is folded to 80 columns, its rest under its start: put it back together.
        assert!(
            done.stderr.replace("\n       ", " ").contains(&format!(
                "compare plays lessons 1 to 7 and 11 to 13, not \"{stage}\""
            )),
            "{}",
            done.stderr
        );
    }
}

#[test]
fn the_chapter_shows_the_table_as_it_runs() {
    let done = compare(&[]);
    assert!(done.status.success(), "{}", done.stderr);
    let chapter = std::fs::read_to_string(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("lessons/grading.md"),
    )
    .unwrap();
    assert!(
        chapter.contains(&format!("```text\n{}```\n", done.stdout)),
        "lessons/grading.md should show compare's table as it prints it:\n{}",
        done.stdout
    );
    // And the lessons' index links to the chapter.
    let index = std::fs::read_to_string(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("lessons/README.md"),
    )
    .unwrap();
    assert!(index.contains("cargo run --bin compare") && index.contains("(grading.md)"));
}

#[test]
fn lesson7_joins_the_table_on_request_where_the_scenarios_apply() {
    // docs/contracts.md, "UDP (lesson 7)": no connections, so the second client is simply served;
    // datagrams are never joined or split, so two of them get two replies; a datagram over 1024
    // bytes is cut to its first 1024; a datagram cannot be dribbled, and there is no connection to
    // stay, to cap or to reset.
    let done = compare(&["--stages", "7"]);
    assert!(done.status.success(), "{}", done.stderr);
    let table = cells(&done.stdout);
    let column: Vec<&str> = table[1..].iter().map(|row| row[1].as_str()).collect();
    assert_eq!(
        column,
        [
            "served",
            "— (datagrams)",
            "2 replies",
            "cut at 1,024",
            "— (datagrams)",
            "— (datagrams)",
            "exits < 1 s"
        ]
    );
}

/// `compare ARGS` with no locale (or `LANG=locale`), 80 columns.
fn compare_speaking(args: &[&str], locale: Option<&str>) -> Finished {
    let mut command = Command::new(env!("CARGO_BIN_EXE_compare"));
    let done = run(common::with_locale(command.args(args), locale), b"");
    done.assert_no_panic();
    done
}

#[test]
fn compare_speaks_chinese_under_lang_zh_and_todays_english_under_lang_en() {
    use socket_lessons_tools::demo::display_width;
    let page = std::env::temp_dir().join(format!("compare-zh-{}.html", std::process::id()));
    let stages = ["--stages", "3,4,5"];
    let plain = compare_speaking(&stages, None);
    let en = compare_speaking(
        &[&stages[..], &["--lang", "en"]].concat(),
        Some("zh_CN.UTF-8"),
    );
    assert!(plain.status.success(), "{}", plain.stderr);
    assert_eq!(en.stdout, plain.stdout);
    let page_arg = page.to_str().unwrap();
    let zh = compare_speaking(
        &[&stages[..], &["--lang", "zh", "--html", page_arg]].concat(),
        None,
    );
    assert!(zh.status.success(), "{}", zh.stderr);
    let by_locale = compare_speaking(&stages, Some("zh_CN.UTF-8"));
    assert_eq!(zh.stdout, by_locale.stdout);
    for line in zh.stdout.lines() {
        assert!(display_width(line) <= 80, "{line}");
    }
    // Row for row and cell for cell, the English table's findings in Chinese words.
    let (english, chinese) = (cells(&plain.stdout), cells(&zh.stdout));
    assert_eq!(english[0], ["scenario", "lesson3", "lesson4", "lesson5"]);
    assert_eq!(chinese[0], ["场景", "lesson3", "lesson4", "lesson5"]);
    assert_eq!(
        english[1][..3],
        ["2nd client, 1st stays", "waits for 1st", "served"]
    );
    assert_eq!(
        chinese[1][..3],
        ["第 2 个客户端，第 1 个不走", "等第 1 个", "得到服务"]
    );
    let glued = |rows: &[Vec<String>], title: &str| {
        rows.iter().find(|row| row[0] == title).unwrap()[3].clone()
    };
    assert_eq!(glued(&english, "2 requests in 1 write"), "glued: 1 reply");
    assert_eq!(glued(&chinese, "一次写 2 个请求"), "粘包：1 个回复");
    assert_eq!(chinese.len(), english.len());
    for (en_row, zh_row) in english.iter().zip(&chinese) {
        assert_eq!(en_row.len(), zh_row.len(), "{en_row:?} / {zh_row:?}");
    }
    // The page speaks Chinese too, and says so.
    let html = std::fs::read_to_string(&page).unwrap();
    let _ = std::fs::remove_file(&page);
    assert!(html.contains("<html lang=\"zh-CN\""), "{html}");
    assert!(html.contains("每一格是那个阶段真正的服务端"), "{html}");
    assert!(html.contains("<th>场景</th>"));
    // Its errors too.
    let unknown = compare_speaking(&["--lang", "zh", "--scenario", "nope"], None);
    assert_eq!(
        unknown.error_lines(),
        [
            "error: 没有场景 \"nope\"；场景有 second-client, third-client, back-to-back, \
          long-reply, dribbled, reset, ctrl-c"
        ]
    );
}
