//! Demos an instructor can pace (docs/contracts.md, "The demo"): `lessonN demo --step` waits for
//! Enter before each part after the first, `lessonN demo --part N` plays part N alone, and every
//! line of every demo fits an 80-column terminal.
//!
//! Through the real binaries, each run bounded by the probe. "It waited" is shown the probe's
//! way: after the prompt, nothing more arrives on stdout for a moment, and the next part comes
//! once Enter is sent.

mod common;

use std::io::Write;
use std::process::Stdio;

use socket_lessons_tools::demo::{WIDTH, display_width, step_prompt};
use socket_lessons_tools::probe::{self, A_MOMENT, ChildGuard, PATIENCE, PipeLines};

use common::{lesson_command, normalise_measurements, normalise_ports};

/// How many parts each lesson's demo has, as its narration numbers them. Lessons 1–4 tell one
/// short story without numbers: one part. Lessons 5 and later number theirs.
const PARTS: [(u16, u16); 11] = [
    (1, 1),
    (2, 1),
    (3, 1),
    (4, 1),
    (5, 3),
    (6, 4),
    (7, 5),
    (8, 6),
    (9, 4),
    (10, 5),
    (11, 8),
];

/// What one run of a demo left behind, as text.
struct Played {
    what: String,
    success: bool,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `lessonN ARGS...` with `stdin` as its whole input (closed after it), within
/// [`PATIENCE`]. It must not panic.
fn play(number: u16, args: &[&str], stdin: &[u8]) -> Played {
    let what = format!("lesson{number} {}", args.join(" "));
    let finished = probe::run(lesson_command(number).args(args), stdin, PATIENCE)
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let text = |bytes| String::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
    let played = Played {
        success: finished.status.success(),
        code: finished.status.code(),
        stdout: text(finished.stdout),
        stderr: text(finished.stderr),
        what,
    };
    assert!(
        !played.stderr.contains("panicked"),
        "{} panicked:\n{}",
        played.what,
        played.stderr
    );
    played
}

/// Like [`play`], and it must exit 0.
fn play_ok(number: u16, args: &[&str], stdin: &[u8]) -> Played {
    let played = play(number, args, stdin);
    assert!(played.success, "{} failed:\n{}", played.what, played.stderr);
    played
}

/// The part headings of a transcript ("2. The receiver's side…", at the start of a line), by
/// number, in the order they came.
fn headings(transcript: &str) -> Vec<u16> {
    transcript
        .lines()
        .filter_map(|line| {
            let (number, title) = line.split_once(". ")?;
            let starts_a_title = title.starts_with(|c: char| c.is_ascii_uppercase());
            number.parse().ok().filter(|_| starts_a_title)
        })
        .collect()
}

/// The headings a demo of `parts` parts shows when it plays them all: none for a demo without
/// numbered parts.
fn all_headings(parts: u16) -> Vec<u16> {
    if parts == 1 {
        Vec::new()
    } else {
        (1..=parts).collect()
    }
}

fn assert_fits(played: &Played) {
    for line in played.stdout.lines() {
        let width = display_width(line);
        assert!(
            width <= WIDTH,
            "{}: a line of {width} columns (at most {WIDTH}):\n{line}\n\n{}",
            played.what,
            played.stdout
        );
    }
}

#[test]
fn every_line_of_every_demo_fits_80_columns_played_whole_or_by_part() {
    assert_eq!(WIDTH, 80);
    for (number, parts) in PARTS {
        assert_fits(&play_ok(number, &[], b""));
        for part in 1..=parts {
            assert_fits(&play_ok(
                number,
                &["demo", "--part", &part.to_string()],
                b"",
            ));
        }
    }
}

/// The transcript shows every part's heading, in order (none for a one-part demo).
fn assert_plays_every_part(played: &Played, parts: u16) {
    assert_eq!(
        headings(&played.stdout),
        all_headings(parts),
        "{}:\n{}",
        played.what,
        played.stdout
    );
}

#[test]
fn the_plain_demo_plays_every_part_in_order() {
    for (number, parts) in PARTS {
        let played = play_ok(number, &[], b"");
        assert_plays_every_part(&played, parts);
    }
}

#[test]
fn step_prompts_between_parts_and_plays_the_same_transcript() {
    for (number, parts) in PARTS {
        let plain = play_ok(number, &[], b"");
        let enters = "\n".repeat(usize::from(parts));
        let stepped = play_ok(number, &["demo", "--step"], enters.as_bytes());
        assert_eq!(
            stepped.stderr.matches(&step_prompt()).count(),
            usize::from(parts - 1),
            "{} should prompt once between each two parts:\n{}",
            stepped.what,
            stepped.stderr
        );
        // The prompts are on stderr: the transcript is the plain demo's.
        // (Lessons 8 and 11 show what they measure: durations differ between any two runs.)
        assert_eq!(
            normalise_measurements(&normalise_ports(&stepped.stdout).0),
            normalise_measurements(&normalise_ports(&plain.stdout).0),
            "{}'s transcript differs from the plain demo's",
            stepped.what
        );
    }
}

#[test]
fn step_with_no_input_plays_through() {
    for (number, parts) in PARTS {
        let played = play_ok(number, &["demo", "--step"], b"");
        assert_plays_every_part(&played, parts);
        // It asks once, learns that nobody is there, and asks no more.
        let prompts = played.stderr.matches(&step_prompt()).count();
        assert_eq!(prompts, usize::from(parts > 1), "{}", played.stderr);
    }
}

#[test]
fn step_waits_for_enter_before_the_next_part() {
    let mut child = ChildGuard::spawn(
        lesson_command(5)
            .args(["demo", "--step"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        "lesson5 demo --step",
    )
    .unwrap();
    let mut enter = child.child().stdin.take().unwrap();
    let what = "lesson5 demo --step";
    let mut stdout = PipeLines::spawn(child.child().stdout.take().unwrap(), "stdout", what);
    let mut stderr = PipeLines::spawn(child.child().stderr.take().unwrap(), "stderr", what);

    stderr
        .wait_for("with the step prompt", |line| line == step_prompt())
        .unwrap();
    // Part 1 has been played, and the demo now waits: nothing more comes until Enter.
    stdout.wait_until_quiet(A_MOMENT).unwrap();
    let out = stdout.seen().join("\n");
    assert_eq!(headings(&out), [1], "{out}");

    enter.write_all(b"\n").unwrap();
    stdout
        .wait_for("with part 2's heading", |line| line.starts_with("2. "))
        .unwrap();
    // End of input: the rest plays through without waiting.
    drop(enter);
    let status = child.wait_within(PATIENCE).unwrap();
    assert!(status.success(), "{status}");
    stdout.read_rest().unwrap();
    stderr.read_rest().unwrap();
    let out = stdout.seen().join("\n");
    assert_eq!(headings(&out), [1, 2, 3], "{out}");
    assert_eq!(
        stderr.seen(),
        [step_prompt(), step_prompt()],
        "stderr: {:#?}",
        stderr.seen()
    );
}

#[test]
fn part_n_plays_that_part_alone() {
    for (number, parts) in PARTS.into_iter().filter(|&(_, parts)| parts > 1) {
        for part in 1..=parts {
            let played = play_ok(number, &["demo", "--part", &part.to_string()], b"");
            assert!(
                played.stdout.starts_with(&format!("lesson{number} — ")),
                "{} shows the demo's heading first:\n{}",
                played.what,
                played.stdout
            );
            assert_eq!(
                headings(&played.stdout),
                [part],
                "{} plays part {part} and no other:\n{}",
                played.what,
                played.stdout
            );
        }
    }
}

#[test]
fn part_1_of_a_demo_without_numbered_parts_is_the_whole_demo() {
    for (number, _) in PARTS.into_iter().filter(|&(_, parts)| parts == 1) {
        let plain = play_ok(number, &[], b"");
        let part = play_ok(number, &["demo", "--part", "1"], b"");
        assert_eq!(
            normalise_ports(&part.stdout).0,
            normalise_ports(&plain.stdout).0,
            "{}",
            part.what
        );
    }
}

#[test]
fn a_part_out_of_range_is_one_error_line_naming_the_parts() {
    for (number, parts) in PARTS {
        let played = play(number, &["demo", "--part", &(parts + 1).to_string()], b"");
        assert_eq!(played.code, Some(1), "{}:\n{}", played.what, played.stderr);
        assert_eq!(played.stdout, "", "{} plays nothing", played.what);
        let lines: Vec<&str> = played.stderr.lines().collect();
        let how_many = match parts {
            1 => "one part".to_string(),
            n => format!("{n} parts"),
        };
        assert!(
            lines.len() == 1 && lines[0].starts_with("error: ") && lines[0].contains(&how_many),
            "{}: expected one error line naming {how_many}:\n{}",
            played.what,
            played.stderr
        );
    }
    // Part 0 does not exist anywhere: the argument parser says so (a usage error).
    let zero = play(5, &["demo", "--part", "0"], b"");
    assert_eq!(zero.code, Some(2), "{}", zero.stderr);
    assert!(zero.stderr.starts_with("error: "), "{}", zero.stderr);
}

#[test]
fn step_and_part_do_not_go_together() {
    let played = play(5, &["demo", "--step", "--part", "2"], b"");
    assert_eq!(played.code, Some(2), "{}", played.stderr);
    assert!(played.stderr.starts_with("error: "), "{}", played.stderr);
}
