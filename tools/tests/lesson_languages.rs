//! The lessons' own servers and clients in both languages (issue 20; docs/contracts.md,
//! "Languages"): chat names in any script, the chat room's and the robot's words following the
//! server's language, and what a person reads from a server or a client.
//!
//! Every server and client here is the real binary. A process's language is `--lang`, else the
//! locale: the English runs clear the locale's variables, so that a Chinese desktop running the
//! tests still checks the English bytes.

mod common;

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;

use socket_lessons_tools::probe::PATIENCE;

use common::{ServerProcess, lesson_command};

/// `lessonN` speaking `lang` (`Some("zh")`, `Some("en")`), or, with `None`, with no locale at all
/// (English, the default).
fn lesson(number: u16, lang: Option<&str>) -> Command {
    let mut command = lesson_command(number);
    command
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    if let Some(lang) = lang {
        command.args(["--lang", lang]);
    }
    command
}

/// `lessonN server --addr 127.0.0.1:0` speaking `lang`.
fn server(number: u16, lang: Option<&str>) -> ServerProcess {
    ServerProcess::spawn(&mut lesson(number, lang), &[])
}

/// A chat member over a raw socket (what `nc` would be), reading the room's lines.
struct Member {
    stream: TcpStream,
    lines: BufReader<TcpStream>,
}

impl Member {
    /// Connects and sends `name` as the first line.
    fn named(addr: SocketAddr, name: &str) -> Member {
        let mut stream = common::connect(addr);
        let lines = BufReader::new(stream.try_clone().unwrap());
        common::send(&mut stream, format!("{name}\n").as_bytes());
        Member { stream, lines }
    }

    fn say(&mut self, text: &str) {
        common::send(&mut self.stream, format!("{text}\n").as_bytes());
    }

    /// The next line, without its `\n`; panics on a timeout or an end of stream.
    fn line(&mut self) -> String {
        let mut line = String::new();
        match self.lines.read_line(&mut line) {
            Ok(0) => panic!("the room hung up instead of sending a line"),
            Ok(_) => line.trim_end_matches('\n').to_string(),
            Err(e) => panic!("no line within {PATIENCE:?}: {e}"),
        }
    }

    fn expect(&mut self, expected: &str) {
        assert_eq!(self.line(), expected);
    }
}

/// `lesson9 client --name NAME` run to its end against `addr`, `typed` as its input.
fn chat_client(addr: SocketAddr, lang: Option<&str>, name: &str, typed: &[u8]) -> common::Finished {
    common::run(
        lesson(9, lang).args(["client", "--addr", &addr.to_string(), "--name", name]),
        typed,
    )
}

#[test]
fn a_chinese_name_joins_the_room_and_is_heard_by_it() {
    let server = server(9, None);
    let mut alice = Member::named(server.addr, "alice");
    alice.expect("* in the room: nobody else yet");
    let finished = chat_client(server.addr, None, "小明", "大家好\n".as_bytes());
    assert!(finished.status.success(), "{finished:?}");
    assert_eq!(finished.stdout, "* in the room: alice\n");
    alice.expect("* 小明 joined");
    alice.expect("[小明] 大家好");
    alice.expect("* 小明 left");
    // Sixteen characters of any script are a name (48 bytes here), and Émile is the same name as
    // ÉMILE: compared without regard to case in every script.
    let sixteen = "明".repeat(16);
    let mut long = Member::named(server.addr, &sixteen);
    long.expect("* in the room: alice");
    alice.expect(&format!("* {sixteen} joined"));
    let mut emile = Member::named(server.addr, "Émile");
    emile.expect(&format!("* in the room: alice, {sixteen}"));
    alice.expect("* Émile joined");
    emile.say("Ça va, 小明?");
    alice.expect("[Émile] Ça va, 小明?");
    let mut again = Member::named(server.addr, "ÉMILE");
    again.expect("error: the name Émile is taken; choose another");
}

#[test]
fn a_refused_name_ends_the_client_with_the_servers_reason_and_status_1() {
    let server = server(9, None);
    for name in ["小 明", "小明！", &"明".repeat(17)] {
        let finished = chat_client(server.addr, None, name, b"");
        let why = "a name is 1 to 16 letters or digits, in any script";
        assert_eq!(finished.stdout, format!("error: {why}\n"), "{name:?}");
        assert_eq!(finished.status.code(), Some(1), "{name:?}: {finished:?}");
        assert_eq!(
            finished.error_lines(),
            [format!(
                "error: lesson9 client ({}): the room hung up on us: {why}",
                server.addr
            )],
            "{name:?}"
        );
    }
}
