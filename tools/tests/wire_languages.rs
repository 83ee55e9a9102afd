//! The wire texts that follow the server's language (issue 20; docs/contracts.md, "Languages"):
//! the `error` frames of lessons 6, 8 and 10, lesson 8's refusals (and its client's own), and the
//! replies of lessons 5 and 6's command service. Each is checked in Chinese (`--lang zh`: the
//! words, and 80 display columns), beside the server's log line, which stays English, and
//! under `--lang en`, byte for byte what the course has always said.
//!
//! Every server and client is the real binary, on 127.0.0.1:0; every read is bounded.

mod common;

use std::fs;
use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use socket_lessons::commands::unknown_command_openings;
use socket_lessons::frame::{self, Header, Limits};
use socket_lessons_tools::demo::display_width;

use common::{ServerProcess, lesson_command, with_locale};

/// `lessonN --lang LANG`, with no locale around it.
fn lesson(number: u16, lang: &str) -> Command {
    let mut command = lesson_command(number);
    with_locale(&mut command, None).args(["--lang", lang]);
    command
}

fn server(number: u16, lang: &str, extra: &[&str]) -> ServerProcess {
    ServerProcess::spawn(&mut lesson(number, lang), extra)
}

/// No line a person reads may be wider than a terminal: 80 columns, a Chinese character two.
fn assert_fits(text: &str) {
    for line in text.lines() {
        assert!(display_width(line) <= 80, "wider than 80 columns: {line:?}");
    }
}

fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

// ---- the error frames of lessons 6 and 10 ---------------------------------------------------

/// The `error` field of the one frame a server sends before it hangs up, and that frame's body.
fn error_frame(phone: &mut TcpStream) -> (String, String) {
    let told = frame::read_frame(phone, &Limits::REPLY)
        .expect("an error frame")
        .expect("a frame, not the end of the stream");
    let error = told.header.get_str("error").expect("an `error` field");
    let body = String::from_utf8(told.body).expect("a UTF-8 body");
    (error.to_string(), body)
}

/// Opens a call to lesson `number`; lesson 10's robot speaks first, and is heard out.
fn call(number: u16, addr: SocketAddr) -> TcpStream {
    let mut phone = common::connect(addr);
    if number == 10 {
        frame::read_frame(&mut phone, &Limits::REPLY)
            .expect("the robot's welcome")
            .expect("a welcome, not the end of the stream");
    }
    phone
}

/// A request `1` whose header's md5 is not the body's.
fn send_damaged_request(phone: &mut TcpStream) {
    let mut header = Header::for_body(b"1");
    header.md5 = Some("0".repeat(32));
    frame::write_frame_with(phone, &header, b"1").expect("the request is sent");
}

/// md5("1"): what the server computes of the damaged request's body.
const MD5_OF_1: &str = "c4ca4238a0b923820dcc509a6f75849b";

#[test]
fn a_chinese_server_tells_a_broken_frame_why_in_chinese_and_logs_it_in_english() {
    for number in [6, 10] {
        let mut server = server(number, "zh", &[]);
        let mut phone = call(number, server.addr);
        send_damaged_request(&mut phone);
        let (error, body) = error_frame(&mut phone);
        assert_eq!(
            error,
            format!("请求正文的 md5 是 {MD5_OF_1}，和报头里的不一致"),
            "lesson{number}"
        );
        assert_eq!(body, format!("error: {error}\n"), "lesson{number}");
        assert_fits(&body);
        let logged = server.wait_for_stderr_line("request md5 is");
        assert!(
            logged.contains(&format!("request md5 is {MD5_OF_1}, header said \"000")),
            "lesson{number}: {logged}"
        );

        // A header length of 4 GiB - 1: over the limit, refused before anything is read.
        let mut phone = call(number, server.addr);
        common::send(&mut phone, &[0xff; 4]);
        let (error, body) = error_frame(&mut phone);
        assert_eq!(
            error, "长度前缀说报头有 4294967295 字节，超过了报头 65536 字节的上限",
            "lesson{number}"
        );
        assert_fits(&body);
        let logged = server.wait_for_stderr_line("header limit");
        assert!(
            logged.contains(
                "the header length prefix says 4294967295 bytes, over the 65536-byte header limit"
            ),
            "lesson{number}: {logged}"
        );
    }
}

#[test]
fn an_english_server_tells_a_broken_frame_the_sentences_it_always_has() {
    for number in [6, 10] {
        let server = server(number, "en", &[]);
        let mut phone = call(number, server.addr);
        send_damaged_request(&mut phone);
        assert_eq!(
            error_frame(&mut phone),
            (
                format!("the request's md5 is {MD5_OF_1}"),
                format!("error: the request's md5 is {MD5_OF_1}\n")
            ),
            "lesson{number}"
        );
        let mut phone = call(number, server.addr);
        common::send(&mut phone, &[0xff; 4]);
        let (error, _) = error_frame(&mut phone);
        assert_eq!(
            error,
            "the header length prefix says 4294967295 bytes, over the 65536-byte header limit"
        );
    }
}

// ---- the command service of lessons 5 and 6 -------------------------------------------------

/// The reply of lesson 5 (bare bytes) or 6 (a frame) to `command`.
fn command_reply(number: u16, addr: SocketAddr, command: &str) -> String {
    let mut phone = common::connect(addr);
    if number == 6 {
        frame::write_frame(&mut phone, command.as_bytes()).expect("the request is sent");
        let reply = frame::read_frame(&mut phone, &Limits::REPLY)
            .expect("a reply frame")
            .expect("a reply, not the end of the stream");
        return String::from_utf8(reply.body).expect("a UTF-8 reply");
    }
    // Lesson 5 has no frame: the reply is whole once its last line has arrived. (A read that
    // times out fails the test: every read of `connect`'s stream is bounded.)
    common::send(&mut phone, command.as_bytes());
    let mut reply = Vec::new();
    let mut buf = [0u8; 4096];
    while !reply.ends_with(b"\n") {
        let n = phone.read(&mut buf).expect("a reply within the patience");
        assert!(n > 0, "lesson5 hung up in the middle of a reply");
        reply.extend_from_slice(&buf[..n]);
    }
    String::from_utf8(reply).expect("a UTF-8 reply")
}

#[test]
fn a_chinese_command_service_answers_in_chinese_and_keeps_the_command_names() {
    for number in [5, 6] {
        let mut server = server(number, "zh", &[]);
        let unknown = command_reply(number, server.addr, "frobnicate");
        assert_eq!(
            unknown,
            "未知命令 'frobnicate'：只运行 help、echo、seq，别的命令要 --shell；试试 'help'\n",
            "lesson{number}"
        );
        assert_fits(&unknown);
        // The grader knows the reply in either language, from the catalogue.
        assert!(
            unknown_command_openings()
                .iter()
                .any(|opening| unknown.starts_with(opening.as_str()))
        );
        let help = command_reply(number, server.addr, "help");
        assert!(help.starts_with("命令：\n  help  "), "{help}");
        for name in ["echo TEXT...", "seq N", "--shell"] {
            assert!(help.contains(name), "lesson{number}: {help}");
        }
        assert!(is_chinese(&help));
        assert_fits(&help);
        let not_a_number = command_reply(number, server.addr, "seq ten");
        assert_eq!(not_a_number, "seq: 'ten' 不是整数\n");
        // What a command prints is not a sentence of ours: the same in every language.
        assert_eq!(command_reply(number, server.addr, "seq 3"), "1\n2\n3\n");
        assert_eq!(command_reply(number, server.addr, "echo 你好"), "你好\n");
        // The log stays English.
        let logged = server.wait_for_stderr_line("ran \"frobnicate\"");
        assert!(logged.contains("bytes of output"), "{logged}");
    }
}

#[test]
fn an_english_command_service_answers_as_it_always_has() {
    for number in [5, 6] {
        let server = server(number, "en", &[]);
        assert_eq!(
            command_reply(number, server.addr, "frobnicate"),
            "unknown command 'frobnicate': this server runs only help, echo and seq (any command \
             only when started with --shell); try 'help'\n"
        );
        assert_eq!(
            command_reply(number, server.addr, "help"),
            "commands:\n  help          this list\n  echo TEXT...  prints TEXT\n  seq N         \
             prints the numbers 1 to N, one per line (N up to 1000000)\nOnly these run here; \
             other commands (ls, dir, ...) need a server started with --shell.\n"
        );
        assert_eq!(
            command_reply(number, server.addr, "seq ten"),
            "seq: 'ten' is not a whole number\n"
        );
    }
}

// ---- lesson 8's refusals --------------------------------------------------------------------

/// A folder of its own under the system's temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(what: &str) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("socket-lessons-wire-{what}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("a scratch folder");
        Scratch(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// `lesson8 --lang LANG client --addr ADDR ARGS...` in `here`, `typed` as its input.
fn file_session(
    lang: &str,
    addr: SocketAddr,
    here: &Path,
    args: &[&str],
    typed: &[u8],
) -> common::Finished {
    let finished = common::run(
        lesson(8, lang)
            .current_dir(here)
            .args(["client", "--addr", &addr.to_string()])
            .args(args),
        typed,
    );
    finished.assert_no_panic();
    finished
}

/// What that client says on standard error.
fn file_client(lang: &str, addr: SocketAddr, here: &Path, args: &[&str], typed: &[u8]) -> String {
    file_session(lang, addr, here, args, typed).stderr
}

/// The session every language is tried with: a missing file, a name outside the folder, a
/// local file in the way, and an upload over one already on the server.
const TYPED: &[u8] = b"get nope.txt\nget ../x\nget here.txt\nput here.txt\n";

/// Lesson 8's server on a folder holding `here.txt`, and a client folder holding one too.
fn file_server(lang: &str, tag: &str) -> (ServerProcess, Scratch, Scratch) {
    let served = Scratch::new(&format!("{tag}-served"));
    let here = Scratch::new(&format!("{tag}-here"));
    fs::write(served.path().join("here.txt"), b"served").unwrap();
    fs::write(here.path().join("here.txt"), b"mine").unwrap();
    let root = served.path().to_str().expect("a UTF-8 path").to_string();
    (server(8, lang, &["--root", &root]), served, here)
}

#[test]
fn a_chinese_file_server_refuses_in_chinese_and_logs_in_english() {
    let (mut server, _served, here) = file_server("zh", "zh");
    // On the wire: the `error` field and the body, in Chinese.
    let mut phone = common::connect(server.addr);
    let get = Header::for_body(b"")
        .with("action", "get")
        .with("filename", "nope.txt");
    frame::write_frame_with(&mut phone, &get, b"").expect("the request is sent");
    let (error, body) = error_frame(&mut phone);
    assert_eq!(error, "没有这个文件：nope.txt");
    assert_eq!(body, "error: 没有这个文件：nope.txt\n");
    let logged = server.wait_for_stderr_line("refused: ");
    assert!(
        logged.ends_with("refused: \"no such file: nope.txt\""),
        "{logged}"
    );

    // A Chinese client: each refusal one line, in Chinese, within 80 columns.
    let session = file_session("zh", server.addr, here.path(), &[], TYPED);
    assert_eq!(
        session.error_lines(),
        [
            "error: 服务端拒绝了：\"没有这个文件：nope.txt\"",
            "error: 服务端拒绝了：\"文件名里不能有 `..`：它会走出服务目录\"",
            "error: 这里已有 here.txt，不覆盖：先挪走它，或在命令行上用 --force 或 -o PATH",
            "error: 服务端拒绝了：\"服务端已有 here.txt，lesson8 client put --force 会替换它\"",
        ],
        "{session:?}"
    );
    assert_fits(&session.stderr);
    // The log says each in English.
    server.wait_for_stderr_line("refused: \"a name may not contain `..`");
    server.wait_for_stderr_line("refused: \"here.txt exists on the server;");

    // An English client of a Chinese server: its own words in English, the server's as they came.
    let stderr = file_client("en", server.addr, here.path(), &[], b"get nope.txt\n");
    assert_eq!(
        stderr.trim_end(),
        "error: the server refused: \"没有这个文件：nope.txt\""
    );
    // The command line's one-shot client says it on its error line.
    let stderr = file_client("zh", server.addr, here.path(), &["get", "nope.txt"], b"");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("error: "), "{stderr}");
    assert!(
        last.ends_with("服务端拒绝了：\"没有这个文件：nope.txt\""),
        "{stderr}"
    );
    assert!(fs::read(here.path().join("here.txt")).unwrap() == b"mine");
}

#[test]
fn an_english_file_server_and_client_refuse_with_the_sentences_they_always_have() {
    let (server, served, here) = file_server("en", "en");
    let session = file_session("en", server.addr, here.path(), &[], TYPED);
    assert_eq!(
        session.error_lines(),
        [
            "error: the server refused: \"no such file: nope.txt\"",
            "error: the server refused: \"a name may not contain `..`: it would leave the folder\"",
            "error: here.txt exists here; not overwriting it (move it away first; on the command \
             line, --force replaces it and -o PATH writes elsewhere)",
            "error: the server refused: \"here.txt exists on the server; lesson8 client put \
             --force replaces it\"",
        ],
        "{session:?}"
    );
    assert_eq!(fs::read(served.path().join("here.txt")).unwrap(), b"served");
}

/// md5("abc"), the file the next tests upload.
const MD5_OF_ABC: &str = "900150983cd24fb0d6963f7d28e17f72";

/// Uploads `new.txt` (`abc`), lists, types a line that is no command, then downloads it again
/// under another name: what the client prints, stdout and stderr.
fn put_list_get(lang: &str) -> (String, String, String) {
    let (server, _served, here) = file_server(lang, &format!("said-{lang}"));
    fs::write(here.path().join("new.txt"), b"abc").unwrap();
    let typed = file_session(
        lang,
        server.addr,
        here.path(),
        &[],
        b"put new.txt\nlist\nfrob\n",
    );
    let get = file_session(
        lang,
        server.addr,
        here.path(),
        &["get", "new.txt", "-o", "got.txt"],
        b"",
    );
    assert!(get.status.success(), "{get:?}");
    assert_eq!(fs::read(here.path().join("got.txt")).unwrap(), b"abc");
    (typed.stdout, typed.stderr, get.stdout)
}

#[test]
fn a_chinese_file_client_says_what_it_did_in_chinese() {
    let (typed, usage, got) = put_list_get("zh");
    assert_eq!(
        typed,
        format!(
            "已保存 new.txt（3 字节，md5 {MD5_OF_ABC} 已由服务端校验）\n     6 字节  \"here.txt\"\n     \
             3 字节  \"new.txt\"\n"
        )
    );
    assert_eq!(
        usage,
        "请输入 `get NAME`、`put PATH`、`list`，或者输入 `q` 退出\n"
    );
    assert_eq!(
        got,
        format!("收到 \"new.txt\"（3 字节，md5 \"{MD5_OF_ABC}\" 一致）-> got.txt\n")
    );
    for text in [&typed, &usage, &got] {
        assert_fits(text);
    }
    // The sizes line up by columns, as the terminal shows them.
    let widths: Vec<usize> = typed
        .lines()
        .skip(1)
        .map(|line| display_width(&line[..line.find('"').unwrap()]))
        .collect();
    assert_eq!(widths, [13, 13]);
}

#[test]
fn an_english_file_client_says_what_it_did_as_it_always_has() {
    let (typed, usage, got) = put_list_get("en");
    assert_eq!(
        typed,
        format!(
            "stored new.txt (3 bytes, md5 {MD5_OF_ABC} checked by the server)\n    6 bytes  \
             \"here.txt\"\n    3 bytes  \"new.txt\"\n"
        )
    );
    assert_eq!(
        usage,
        "type `get NAME`, `put PATH`, `list`, or `q` to quit\n"
    );
    assert_eq!(
        got,
        format!("got \"new.txt\" (3 bytes, md5 \"{MD5_OF_ABC}\" checked) -> got.txt\n")
    );
}

#[test]
fn the_grader_knows_a_chinese_command_server_by_its_reply_to_an_unknown_command() {
    // An English grader, a Chinese server: graded as an echo server, lesson 5 answers `未知命令
    // …`, and the grader says once what it is (it asked the catalogue for both openings).
    let server = server(5, "zh", &[]);
    let mut grade = Command::new(env!("CARGO_BIN_EXE_grade"));
    with_locale(&mut grade, None).args([
        "--addr",
        &server.addr.to_string(),
        "--protocol",
        "echo",
        "--cases",
        "1",
        "--patience",
        "1",
    ]);
    let done = common::run(&mut grade, b"");
    assert_eq!(done.status.code(), Some(1), "{}", done.stderr);
    let suggestion = "        this looks like a command server: try --protocol commands";
    assert!(
        done.stdout.lines().any(|line| line == suggestion),
        "{}",
        done.stdout
    );
    assert_eq!(
        done.stdout.matches("this looks like").count(),
        1,
        "{}",
        done.stdout
    );
}
