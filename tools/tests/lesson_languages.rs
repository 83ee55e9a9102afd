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

use socket_lessons::frame::{self, Limits};
use socket_lessons::menu;
use socket_lessons_tools::demo::display_width;
use socket_lessons_tools::probe::PATIENCE;

use common::{ServerProcess, lesson_command, with_locale};

/// `lessonN` speaking `lang` (`Some("zh")`, `Some("en")`), or, with `None`, with no locale at all
/// (English, the default).
fn lesson(number: u16, lang: Option<&str>) -> Command {
    let mut command = lesson_command(number);
    with_locale(&mut command, None);
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

// ---- wire texts follow the server's language -----------------------------------------------

/// No line a person reads may be wider than a terminal: 80 columns, a Chinese character two.
fn assert_fits(text: &str) {
    for line in text.lines() {
        assert!(display_width(line) <= 80, "wider than 80 columns: {line:?}");
    }
}

#[test]
fn a_chinese_chat_room_speaks_chinese_and_keeps_the_tokens_clients_read() {
    let mut server = server(9, Some("zh"));
    let mut alice = Member::named(server.addr, "alice");
    alice.expect("* 聊天室里有：还没有别人");
    let mut bob = Member::named(server.addr, "bob");
    bob.expect("* 聊天室里有：alice");
    alice.expect("* bob 加入了");
    let mut carol = Member::named(server.addr, "小红");
    carol.expect("* 聊天室里有：alice、bob");
    alice.expect("* 小红 加入了");
    bob.expect("* 小红 加入了");
    // What members say is theirs, and passed on as it came: `[NAME] text`.
    bob.say("hello");
    alice.expect("[bob] hello");
    carol.expect("[bob] hello");
    // Refusals keep `error: ` (what a client reads) and give the reason in Chinese.
    Member::named(server.addr, "Alice").expect("error: 名字 alice 已被占用，请换一个");
    Member::named(server.addr, "bob!").expect("error: 名字须为 1 到 16 个字母或数字，任何文字均可");
    bob.say(&"x".repeat(1001));
    bob.expect("error: 一行超过了 1000 个字节");
    alice.expect("* bob 离开了");
    carol.expect("* bob 离开了");
    // An English client need not know the server's language: the `error: ` line tells it that
    // the room hung up on it, and it passes the reason on as it came.
    let finished = chat_client(server.addr, None, "alice", b"");
    assert_eq!(finished.stdout, "error: 名字 alice 已被占用，请换一个\n");
    assert_eq!(finished.status.code(), Some(1), "{finished:?}");
    assert_eq!(
        finished.error_lines(),
        [format!(
            "error: lesson9 client ({}): the room hung up on us: 名字 alice 已被占用，请换一个",
            server.addr
        )]
    );
    server.interrupt();
    alice.expect("* 服务端正在关停：再见");
    carol.expect("* 服务端正在关停：再见");
    let (status, stderr) = server.wait();
    assert!(status.success(), "{stderr}");
}

#[test]
fn an_english_chat_room_is_unchanged_under_lang_en() {
    let server = server(9, Some("en"));
    let mut alice = Member::named(server.addr, "alice");
    alice.expect("* in the room: nobody else yet");
    let mut bob = Member::named(server.addr, "bob");
    bob.expect("* in the room: alice");
    alice.expect("* bob joined");
    Member::named(server.addr, "ALICE").expect("error: the name alice is taken; choose another");
    drop(bob);
    alice.expect("* bob left");
}

/// A caller of lesson 10's robot: frames both ways.
fn call(addr: SocketAddr) -> TcpStream {
    common::connect(addr)
}

/// The robot's next reply: its text, and whether it hangs up after it.
fn reply(phone: &mut TcpStream) -> (String, bool) {
    let reply = frame::read_frame(phone, &Limits::REPLY)
        .expect("a reply frame")
        .expect("a reply, not the end of the stream");
    let hang_up = reply.header.get("hang_up").and_then(|v| v.as_bool());
    (
        String::from_utf8(reply.body).expect("UTF-8 replies"),
        hang_up.expect("every reply says whether the robot hangs up"),
    )
}

fn press(phone: &mut TcpStream, keys: &str) {
    frame::write_frame(phone, keys.as_bytes()).expect("the caller cannot send");
}

#[test]
fn the_robot_says_the_tutorials_words_in_both_languages() {
    // The 10086 robot is the tutorial's: its words come from the catalogue like every sentence,
    // and both catalogues say the tutorial's own, so a Chinese class hears the same bytes as the
    // tutorial's Python robot sends.
    let mut server = server(10, Some("zh"));
    let mut phone = call(server.addr);
    let line = |text: &str| format!("{text}\n");
    assert_eq!(reply(&mut phone), (line(menu::WELCOME), false));
    let dialog = [
        ("1", line(menu::QUERIES)),
        (
            "2",
            format!("本月已用流量 3.2 GB, 剩余 6.8 GB.\n{}", line(menu::QUERIES)),
        ),
        (
            "4",
            format!("{}{}", line(menu::TRY_AGAIN), line(menu::QUERIES)),
        ),
        ("*", line(menu::WELCOME)),
        ("0", line(menu::OPERATOR)),
        (
            "流量不够用",
            line("已记录您的问题: 流量不够用. 还有别的吗? (* 返回主菜单)"),
        ),
    ];
    for (keys, expected) in dialog {
        let (said, hang_up) = reply_to(&mut phone, keys);
        assert_eq!(said, expected, "after {keys:?}");
        assert!(!hang_up, "after {keys:?}");
        assert_fits(&said);
    }
    assert_eq!(reply_to(&mut phone, "exit"), (line(menu::GOODBYE), true));
    // Ctrl-C: a caller still on the line hears the closing words.
    let mut other = call(server.addr);
    assert_eq!(reply(&mut other), (line(menu::WELCOME), false));
    server.interrupt();
    assert_eq!(reply(&mut other), (line(menu::CLOSING), true));
    let (status, stderr) = server.wait();
    assert!(status.success(), "{stderr}");
}

fn reply_to(phone: &mut TcpStream, keys: &str) -> (String, bool) {
    press(phone, keys);
    reply(phone)
}

#[test]
fn an_english_robot_says_the_tutorials_words_byte_for_byte_under_lang_en() {
    let server = server(10, Some("en"));
    let mut phone = call(server.addr);
    assert_eq!(reply(&mut phone), (format!("{}\n", menu::WELCOME), false));
    assert_eq!(
        reply_to(&mut phone, "1"),
        (format!("{}\n", menu::QUERIES), false)
    );
    assert_eq!(
        reply_to(&mut phone, "exit"),
        (format!("{}\n", menu::GOODBYE), true)
    );
}

// ---- what a person reads from a lesson server or client --------------------------------------

/// The line the probe read the server's address from.
fn listening_line(server: &ServerProcess) -> String {
    server
        .stderr_so_far()
        .iter()
        .find(|line| line.contains("listening on"))
        .expect("the probe started the server from its listening line")
        .clone()
}

#[test]
fn a_chinese_server_says_its_status_in_chinese_around_the_listening_on_token() {
    let mut server = server(9, Some("zh"));
    // The probe found the address in the line (the server would not have started otherwise).
    let listening = listening_line(&server);
    assert_eq!(
        listening,
        format!(
            "lesson9 服务端已启动（Ctrl-C 关停）：listening on {}",
            server.addr
        )
    );
    assert_fits(&listening);
    server.interrupt();
    let (status, stderr) = server.wait();
    assert!(status.success(), "{stderr}");
    assert_eq!(stderr.lines().last(), Some("lesson9 服务端已关停"));
    // English, with no locale: the same lines as ever.
    let server = self::server(9, None);
    let listening = listening_line(&server);
    assert_eq!(
        listening,
        format!(
            "lesson9 server (Ctrl-C stops it) listening on {}",
            server.addr
        )
    );
    let (_, stderr) = server.interrupt_and_wait();
    assert_eq!(stderr.lines().last(), Some("lesson9 server stopped"));
}

#[test]
fn the_locale_chooses_chinese_and_lang_en_overrides_it() {
    let nowhere = common::unused_addr();
    let refused = |command: &mut Command| {
        let finished = common::run(
            command.args(["client", "--addr", &nowhere.to_string()]),
            b"",
        );
        assert_eq!(finished.status.code(), Some(1), "{finished:?}");
        finished.error_lines().join("\n")
    };
    let chinese = format!(
        "error: 无法连接 {nowhere}：那里没有服务端在监听。请先启动服务端：cargo run --bin \
         lesson3 -- server --addr {nowhere}"
    );
    assert_eq!(refused(lesson(3, None).env("LANG", "zh_CN.UTF-8")), chinese);
    assert_eq!(refused(&mut lesson(3, Some("zh"))), chinese);
    let english = format!(
        "error: cannot connect to {nowhere}: nothing is listening there. Start the server first: \
         cargo run --bin lesson3 -- server --addr {nowhere}"
    );
    assert_eq!(refused(&mut lesson(3, None)), english);
    assert_eq!(
        refused(lesson(3, Some("en")).env("LANG", "zh_CN.UTF-8")),
        english
    );
}

#[test]
fn an_address_in_use_is_said_in_chinese() {
    let first = server(4, None);
    let finished = common::run(
        lesson(4, Some("zh")).args(["server", "--addr", &first.addr.to_string()]),
        b"",
    );
    assert_eq!(finished.status.code(), Some(1), "{finished:?}");
    assert_eq!(
        finished.error_lines(),
        [format!(
            "error: 无法在 {} 上监听：地址已被占用。那里多半还有别的服务端在运行（之前的 \
             `lesson4 server`？）：用 Ctrl-C 关停它，或者用 --addr HOST:PORT 换一个地址",
            first.addr
        )]
    );
}

#[test]
fn a_reply_that_is_not_a_frame_is_told_in_chinese_reason_and_all() {
    // Lesson 5's bare output, read by lesson 6's client as a frame: "help\n"'s reply begins
    // with text, which, read as a length prefix, announces a header far over the limit.
    let lesson5 = server(5, None);
    let addr = lesson5.addr.to_string();
    for (lang, expected) in [
        (
            "zh",
            format!("error: lesson6 客户端（{addr}）：回复不是 lesson6 的帧（长度前缀说报头有 "),
        ),
        (
            "en",
            format!(
                "error: lesson6 client ({addr}): the reply is not a lesson6 frame (the header \
                 length prefix says "
            ),
        ),
    ] {
        let finished = common::run(
            lesson(6, Some(lang)).args(["client", "--addr", &addr]),
            b"help\n",
        );
        assert_eq!(finished.status.code(), Some(1), "{finished:?}");
        let errors = finished.error_lines();
        assert_eq!(errors.len(), 1, "{finished:?}");
        assert!(errors[0].starts_with(&expected), "{lang}: {}", errors[0]);
    }
}

#[test]
fn a_bad_flag_value_is_told_in_the_chosen_language() {
    for (lang, sentence) in [
        ("zh", "应为 0.001 到 86400 之间的秒数，比如 2 或 0.5"),
        (
            "en",
            "expected a number of seconds from 0.001 to 86400, like 2 or 0.5",
        ),
    ] {
        let finished = common::run(
            lesson(10, Some(lang)).args(["client", "--timeout", "0"]),
            b"",
        );
        assert_eq!(finished.status.code(), Some(2), "{finished:?}");
        // The Chinese frame folds the sentence to 80 columns: put back together (spaces
        // aside, as a fold may fall on one), it is the sentence.
        let squeezed = |text: &str| text.split_whitespace().collect::<String>();
        assert!(
            squeezed(&finished.stderr).contains(&squeezed(sentence)),
            "{lang}: {}",
            finished.stderr
        );
    }
    let finished = common::run(
        lesson(11, Some("zh")).args(["server", "--max-clients", "0"]),
        b"",
    );
    assert_eq!(finished.status.code(), Some(2), "{finished:?}");
    assert!(
        finished.stderr.contains("应为 1 到 1000000 之间的整数"),
        "{}",
        finished.stderr
    );
}

#[test]
fn a_chinese_guard_says_busy_in_chinese_after_the_busy_token() {
    let server = ServerProcess::spawn(&mut lesson(11, Some("zh")), &["--max-clients", "1"]);
    let mut seated = common::connect(server.addr);
    common::assert_echo(&mut seated, b"first");
    let mut turned_away = common::connect(server.addr);
    let told = String::from_utf8(common::drain(&mut turned_away)).unwrap();
    assert_eq!(
        told,
        "busy: 服务端已经在服务它能服务的最多的客户端了；请稍后再试\n"
    );
    assert_fits(&told);
}

// ---- --help ------------------------------------------------------------------------------

#[test]
fn help_is_chinese_under_lang_zh_and_the_same_bytes_under_lang_en() {
    let help = |lang: Option<&str>, args: &[&str]| {
        let finished = common::run(lesson(10, lang).args(args), b"");
        assert!(finished.status.success(), "{finished:?}");
        finished.stdout
    };
    let top = help(Some("zh"), &["--help"]);
    // The lesson's sentence heads the page, folded to 80 columns between two characters.
    let (sentence, _) = top.split_once("\n\n").unwrap();
    assert_eq!(
        sentence.replace('\n', ""),
        "第 10 课：10086 菜单机器人：服务端先开口，记住每个来电者在菜单里的位置，还会计时。"
    );
    assert!(
        sentence.lines().all(|line| display_width(line) <= 80),
        "{top}"
    );
    // A description goes under its name, where it always starts at the same column.
    assert!(
        top.contains("  server\n          运行本阶段的服务端，直到 Ctrl-C。"),
        "{top}"
    );
    assert!(top.contains("参见 `lesson10 server --help`。"), "{top}");
    let server = help(Some("zh"), &["server", "--help"]);
    assert!(
        server.contains("要监听的地址。默认是回环地址，只有本机能连上"),
        "{server}"
    );
    // A flag with a sentence of its own in this lesson gets that sentence's translation.
    assert!(
        server.contains("来电者这么多秒什么也没说，就挂断（0.5 也可以）"),
        "{server}"
    );
    let client = help(Some("zh"), &["client", "--help"]);
    assert!(client.contains("最多等机器人多少秒开口"), "{client}");
    // English: byte for byte what it is with no locale at all.
    for args in [
        &["--help"][..],
        &["server", "--help"],
        &["client", "--help"],
    ] {
        assert_eq!(help(Some("en"), args), help(None, args), "{args:?}");
    }
    assert!(help(None, &["--help"]).starts_with("Lesson 10: the 10086 menu robot"));
}

#[test]
fn a_misplaced_demo_flag_is_pointed_to_in_chinese() {
    let finished = common::run(lesson(7, Some("zh")).args(["server", "--step"]), b"");
    assert_eq!(finished.status.code(), Some(2), "{finished:?}");
    assert!(
        finished.stderr.contains(
            "提示：--step 控制的是演示的节奏：`lesson7 --step`（或 `lesson7 demo --step`）"
        ),
        "{}",
        finished.stderr
    );
    let finished = common::run(lesson(7, Some("zh")).args(["--step", "server"]), b"");
    assert_eq!(finished.status.code(), Some(2), "{finished:?}");
    assert!(
        finished
            .stderr
            .starts_with("error: 子命令 'server' 不能和 '--step' 一起用\n"),
        "{}",
        finished.stderr
    );
}
