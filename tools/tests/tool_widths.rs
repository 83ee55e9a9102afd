//! `chaos` and `netassist` fit their lines to 80 columns in both languages (issue 20, "Width"):
//! their status lines, events and counters are folded; the bytes a peer sent are cut at the edge
//! with nothing taken out, so the lines put back together are exactly what was shown before.
//!
//! The real binaries, a real echo server on 127.0.0.1:0, netassist's client talking to it
//! through chaos; every wait bounded.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;

use socket_lessons::escape::peer_text;
use socket_lessons_tools::demo::display_width;
use socket_lessons_tools::probe::{self, BoundedThread, PATIENCE};

use common::tools::Tool;

const CHAOS: &str = env!("CARGO_BIN_EXE_chaos");
const NETASSIST: &str = env!("CARGO_BIN_EXE_netassist");

fn assert_fits(lines: &[String], what: &str) {
    for line in lines {
        assert!(display_width(line) <= 80, "{what}: {line:?}");
    }
}

#[test]
fn chaos_and_netassist_fit_80_columns_in_both_languages_and_lose_no_byte() {
    // One long message: spaces (where a fold would break), Chinese, a terminal escape.
    let message = format!("{}{}\x1b[2J", "x y ".repeat(40), "你好，世界。".repeat(10));
    for lang in ["en", "zh"] {
        // An echo server for one connection: everything back, until the client's end.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let server = listener.local_addr().unwrap();
        let echo = BoundedThread::spawn("echo", move || {
            let (mut stream, _) = listener.accept().unwrap();
            stream.set_read_timeout(Some(PATIENCE)).unwrap();
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = stream.read(&mut buf) {
                stream.write_all(&buf[..n]).unwrap();
            }
        })
        .unwrap();
        let to = server.to_string();
        let (mut chaos, addr) = Tool::listening(
            CHAOS,
            &[
                "--lang",
                lang,
                "--listen",
                "127.0.0.1:0",
                "--to",
                &to,
                "--up",
                "merge:20,delay:10,rate:1000",
                "--down",
                "split:7@1",
            ],
        );
        let mut command = std::process::Command::new(NETASSIST);
        common::with_locale(&mut command, None).args([
            "--lang",
            lang,
            "tcp-client",
            "--addr",
            &addr.to_string(),
        ]);
        let finished = probe::run(&mut command, format!("{message}\n").as_bytes(), PATIENCE)
            .unwrap_or_else(|e| panic!("{e}"));
        echo.join_within(PATIENCE).unwrap();
        chaos.interrupt();
        let (status, chaos_out, chaos_err) = chaos.finish();
        assert!(status.success(), "{chaos_err:?}");
        let what = |name: &str| format!("{name} --lang {lang}");
        let lines = |bytes: &[u8]| -> Vec<String> {
            String::from_utf8_lossy(bytes)
                .lines()
                .map(String::from)
                .collect()
        };
        let (na_out, na_err) = (lines(&finished.stdout), lines(&finished.stderr));
        assert!(finished.status.success(), "{na_out:?} {na_err:?}");
        assert_fits(&chaos_out, &what("chaos stdout"));
        assert_fits(&chaos_err, &what("chaos stderr"));
        assert_fits(&na_out, &what("netassist stdout"));
        assert_fits(&na_err, &what("netassist stderr"));

        // chaos: its SPECs folded above, `listening on ADDR` whole on a line of its own.
        assert!(
            chaos_err.contains(&format!("listening on {addr}")),
            "{chaos_err:?}"
        );
        // Its trace keeps every read and write, the long ones over several lines.
        assert!(
            chaos_out.iter().any(|l| l.contains("#1 up   in ")),
            "{chaos_out:?}"
        );

        // netassist: the block of what it sent, put back together, is the message as shown.
        let sent = na_out
            .iter()
            .position(|l| l.contains("-> sent"))
            .unwrap_or_else(|| panic!("{na_out:?}"));
        let block: String = na_out[sent + 1..]
            .iter()
            .take_while(|l| !l.starts_with('+'))
            .enumerate()
            .map(|(i, l)| if i == 0 { &l[2..] } else { &l[3..] })
            .collect();
        let shown = peer_text(format!("{message}\n").as_bytes())
            .cut_at(usize::MAX)
            .to_string();
        assert_eq!(block, shown, "{}", what("netassist"));
        assert!(na_out[sent + 2].starts_with("   "), "{na_out:?}");
        // The counters, folded under their heading.
        let counters = na_out
            .iter()
            .position(|l| l.starts_with("counters: ") || l.starts_with("计数："))
            .unwrap_or_else(|| panic!("{na_out:?}"));
        assert!(
            na_out[counters..]
                .iter()
                .skip(1)
                .all(|l| l.starts_with("          ")),
            "{na_out:?}"
        );
    }
}

/// What a tool or a lesson is told when a command line is wrong (a usage error), and a tool's
/// own `error: ` line, fit 80 columns in both languages: a long sentence is folded, its rest under
/// its start, and the first line still begins `error: `. Put back together (`error_lines`), the
/// English sentence is whole.
#[test]
fn usage_errors_and_a_tool_s_error_lines_fit_80_columns_in_both_languages() {
    let compare = env!("CARGO_BIN_EXE_compare");
    let grade = env!("CARGO_BIN_EXE_grade");
    let lesson3 = common::bin(3);
    let cases: [(&str, &[&str], i32, &str); 5] = [
        (
            CHAOS,
            &["--to", "127.0.0.1:1", "--up", "bogus"],
            2,
            "error: invalid value 'bogus' for '--up <SPEC>': unknown step \"bogus\": expected \
             pass, split:N[@MS], split:random:MIN-MAX[@MS], merge:MS, delay:MS, rate:KBPS, \
             close-after:BYTES or reset-after:BYTES (joined with commas)",
        ),
        (
            grade,
            &["--addr", "127.0.0.1:0", "--protocol", "telnet"],
            2,
            "error: invalid value 'telnet' for '--protocol <PROTOCOL>': unknown protocol \
             \"telnet\": expected one of echo, commands, framed, udp, chat, rfc862, files, robot",
        ),
        (
            lesson3,
            &["server", "--addr", "1"],
            2,
            "error: invalid value '1' for '--addr <ADDR>': expected HOST:PORT, like \
             127.0.0.1:8001 (invalid socket address)",
        ),
        (
            compare,
            &["--scenario", "nope"],
            1,
            "error: there is no scenario \"nope\"; the scenarios are second-client, \
             third-client, back-to-back, long-reply, dribbled, reset, ctrl-c",
        ),
        (
            compare,
            &["--stages", "14"],
            2,
            "error: invalid value '14' for '--stages <N,N,...>': compare plays lessons 1 to 7 \
             and 11 to 13, not \"14\"",
        ),
    ];
    for (path, args, status, english) in cases {
        for lang in ["en", "zh"] {
            let mut command = std::process::Command::new(path);
            common::with_locale(&mut command, None)
                .args(args)
                .args(["--lang", lang]);
            let told = common::run(&mut command, b"");
            let what = format!("{path} {args:?} --lang {lang}");
            assert_eq!(told.status.code(), Some(status), "{what}: {}", told.stderr);
            assert!(
                told.stderr.starts_with("error: "),
                "{what}: {}",
                told.stderr
            );
            let lines: Vec<String> = told.stderr.lines().map(String::from).collect();
            assert_fits(&lines, &what);
            if lang == "en" {
                assert_eq!(told.error_lines(), [english], "{what}: {}", told.stderr);
                assert!(lines.len() > 1, "{what}: not folded: {}", told.stderr);
            }
        }
    }
}
