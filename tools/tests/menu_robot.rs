//! Lesson 10, the 10086 menu robot (docs/contracts.md, "The menu robot (lesson 10)"): the dialog
//! over real sockets on `127.0.0.1:0`, the stage's real serve function (from the course table,
//! or with a short idle limit), and the real `lesson10` binary.
//!
//! The dialog itself, every transition of it, is tested alone in `src/menu.rs`; here it is the
//! robot on the wire: it speaks first, answers each whole frame once, keeps callers apart, keeps
//! time, and says goodbye when it stops.
//!
//! Nothing here sleeps to synchronise. "It happened" is a frame, an end of stream, a line on
//! stderr or an exit; every wait is bounded by [`PATIENCE`]. Two tests pause on purpose (a caller
//! thinking between keys, a message with a gap in it): the pause is what is tested, not a wait
//! for something else to happen.

mod common;

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use socket_lessons::frame::{self, Limits};
use socket_lessons::lessons::menu_robot;
use socket_lessons::menu::{self, Reply};
use socket_lessons_tools::probe::{self, Chunking, End, PATIENCE};
use socket2::SockRef;

use common::{RunningServer, ServerProcess, lesson_command, stand_in};

// ---- helpers ----------------------------------------------------------------------------------

/// The robot from the course table, as `lesson10 server` runs it (idle: 60 s).
fn robot() -> RunningServer {
    RunningServer::lesson(10)
}

/// The stage's robot with another idle limit (`lesson10 server --idle ...`).
fn robot_with_idle(idle: Duration) -> RunningServer {
    RunningServer::start(move |server| menu_robot::serve(server, idle))
}

/// A caller speaking the robot's wire: frames both ways, every wait bounded.
struct Caller {
    phone: TcpStream,
}

impl Caller {
    fn call(addr: SocketAddr) -> Caller {
        Caller {
            phone: common::connect(addr),
        }
    }

    fn says(&mut self, text: &str) {
        frame::write_frame(&mut self.phone, text.as_bytes()).expect("the caller cannot send");
    }

    /// The next reply: its text and its `hang_up` field.
    fn next_reply(&mut self) -> (String, Option<bool>) {
        let reply = frame::read_frame(&mut self.phone, &Limits::REPLY)
            .expect("a reply frame")
            .expect("a reply, not the end of the stream");
        assert!(
            !matches!(reply.check_md5(), frame::Md5Check::Mismatch { .. }),
            "a reply with a wrong md5"
        );
        let hang_up = reply.header.get("hang_up").and_then(|v| v.as_bool());
        (
            String::from_utf8(reply.body).expect("UTF-8 replies"),
            hang_up,
        )
    }

    /// The next reply must be `lines`, and keep the call going.
    fn hears(&mut self, lines: &[&str]) {
        assert_eq!(self.next_reply(), (text(lines), Some(false)));
    }

    /// The next reply must be `line` and hang up, and then the stream must end.
    fn hears_last(&mut self, line: &str) {
        assert_eq!(self.next_reply(), (text(&[line]), Some(true)));
        assert_eq!(common::expect_end(&mut self.phone), End::EndOfStream);
    }
}

/// Lines as the robot sends them: each ends in `\n`.
fn text(lines: &[&str]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

const BALANCE: &str = "您的话费余额为 52.30 元.";
const DATA: &str = "本月已用流量 3.2 GB, 剩余 6.8 GB.";
const PLAN: &str = "您的套餐: 畅享套餐 58 元/月, 含 10 GB 流量, 300 分钟通话.";

// ---- the dialog on the wire -------------------------------------------------------------------

#[test]
fn the_robot_speaks_first_and_a_call_goes_through_both_levels() {
    let robot = robot();
    let mut a = Caller::call(robot.addr);
    // Nothing sent yet: the welcome comes anyway.
    a.hears(&["欢迎致电 10086,请输入1xxx,0转人工服务."]);
    a.says("1");
    a.hears(&[menu::QUERIES]);
    for (key, answer) in [("1", BALANCE), ("2", DATA), ("3", PLAN)] {
        a.says(key);
        a.hears(&[answer, menu::QUERIES]);
    }
    a.says("*");
    a.hears(&[menu::WELCOME]);
    a.says("0");
    a.hears(&[menu::OPERATOR]);
    a.says("我想换套餐");
    a.hears(&["已记录您的问题: 我想换套餐. 还有别的吗? (* 返回主菜单)"]);
    a.says("*");
    a.hears(&[menu::WELCOME]);
    a.says("exit");
    a.hears_last("感谢您的来电, 再见.");
    robot.stop().unwrap();
}

#[test]
fn an_unknown_key_and_an_empty_message_get_try_again_and_the_current_menu() {
    let robot = robot();
    let mut a = Caller::call(robot.addr);
    a.hears(&[menu::WELCOME]);
    for input in ["9", "", "EXIT", "1 1"] {
        a.says(input);
        a.hears(&["请重新输入.", menu::WELCOME]);
    }
    a.says("1");
    a.hears(&[menu::QUERIES]);
    a.says("0");
    a.hears(&["请重新输入.", menu::QUERIES]);
    a.says("exit");
    a.hears_last(menu::GOODBYE);
}

#[test]
fn messages_glued_together_or_cut_into_bytes_are_answered_once_each_whole() {
    let robot = robot();
    let mut a = Caller::call(robot.addr);
    a.hears(&[menu::WELCOME]);
    // Three frames in one write...
    let mut glued = Vec::new();
    for key in ["1", "2", "3"] {
        frame::write_frame(&mut glued, key.as_bytes()).unwrap();
    }
    a.phone.write_all(&glued).unwrap();
    a.hears(&[menu::QUERIES]);
    a.hears(&[DATA, menu::QUERIES]);
    a.hears(&[PLAN, menu::QUERIES]);
    // ...and one frame, one byte per write.
    let mut exit = Vec::new();
    frame::write_frame(&mut exit, b"exit").unwrap();
    probe::write_chunked(&mut a.phone, &exit, &Chunking::ByteByByte).unwrap();
    a.hears_last(menu::GOODBYE);
}

#[test]
fn two_callers_at_once_keep_their_own_place_in_the_menu() {
    let robot = robot();
    let mut a = Caller::call(robot.addr);
    let mut b = Caller::call(robot.addr);
    a.hears(&[menu::WELCOME]);
    b.hears(&[menu::WELCOME]);
    a.says("1");
    b.says("0");
    a.hears(&[menu::QUERIES]);
    b.hears(&[menu::OPERATOR]);
    // The same key, two menus, two answers.
    a.says("1");
    b.says("1");
    b.hears(&["已记录您的问题: 1. 还有别的吗? (* 返回主菜单)"]);
    a.hears(&[BALANCE, menu::QUERIES]);
    // B leaves; A, who waited, is still where it was.
    b.says("exit");
    b.hears_last(menu::GOODBYE);
    a.says("2");
    a.hears(&[DATA, menu::QUERIES]);
    // A third caller starts at the welcome, not where anyone else is.
    let mut c = Caller::call(robot.addr);
    c.hears(&[menu::WELCOME]);
    c.says("1");
    c.hears(&[menu::QUERIES]);
    robot.stop().unwrap();
}

#[test]
fn many_callers_at_once_each_get_their_own_whole_call() {
    let robot = robot();
    let addr = robot.addr;
    let callers: Vec<_> = (0..20)
        .map(|i| {
            probe::BoundedThread::spawn(format!("caller {i}"), move || {
                let mut caller = Caller::call(addr);
                caller.hears(&[menu::WELCOME]);
                // Even callers go to the queries, odd ones to a human, at the same time.
                if i % 2 == 0 {
                    caller.says("1");
                    caller.hears(&[menu::QUERIES]);
                    caller.says("3");
                    caller.hears(&[PLAN, menu::QUERIES]);
                } else {
                    caller.says("0");
                    caller.hears(&[menu::OPERATOR]);
                    caller.says(&format!("caller {i}"));
                    caller.hears(&[&format!(
                        "已记录您的问题: caller {i}. 还有别的吗? (* 返回主菜单)"
                    )]);
                }
                caller.says("exit");
                caller.hears_last(menu::GOODBYE);
            })
            .unwrap()
        })
        .collect();
    for caller in callers {
        caller.join_within(PATIENCE).unwrap();
    }
    robot.stop().unwrap();
}

#[test]
fn a_broken_frame_ends_only_that_caller() {
    let robot = robot();
    let mut hostile = Caller::call(robot.addr);
    hostile.hears(&[menu::WELCOME]);
    // A header length of 4 GiB: over the limit, refused before anything is allocated.
    hostile.phone.write_all(&[0xff, 0xff, 0xff, 0xff]).unwrap();
    let (error, _) = hostile.next_reply();
    assert!(error.starts_with("error: "), "{error}");
    common::expect_end(&mut hostile.phone);
    // Everyone else is served on.
    let mut a = Caller::call(robot.addr);
    a.hears(&[menu::WELCOME]);
    a.says("exit");
    a.hears_last(menu::GOODBYE);
    robot.stop().unwrap();
}

#[test]
fn a_request_whose_md5_is_wrong_ends_only_that_caller() {
    let robot = robot();
    let mut liar = Caller::call(robot.addr);
    liar.hears(&[menu::WELCOME]);
    // The body is `1`, but the header's md5 is that of `0`.
    let mut header = frame::Header::for_body(b"1");
    header.md5 = Some(frame::md5_hex(b"0"));
    frame::write_frame_with(&mut liar.phone, &header, b"1").unwrap();
    let (error, _) = liar.next_reply();
    assert!(error.starts_with("error: the request's md5 is"), "{error}");
    common::expect_end(&mut liar.phone);
    let mut a = Caller::call(robot.addr);
    a.hears(&[menu::WELCOME]);
    a.says("1");
    a.hears(&[menu::QUERIES]);
    robot.stop().unwrap();
}

#[test]
fn a_caller_who_hangs_up_needs_no_goodbye() {
    let robot = robot();
    let mut a = Caller::call(robot.addr);
    a.hears(&[menu::WELCOME]);
    a.says("1");
    a.hears(&[menu::QUERIES]);
    drop(a);
    // The robot noticed (its thread ended): a stop finds no call left to end.
    robot.stop().unwrap();
}

// ---- the clock --------------------------------------------------------------------------------

#[test]
fn a_silent_caller_is_hung_up_on_after_idle_with_a_goodbye() {
    let idle = Duration::from_millis(300);
    let robot = robot_with_idle(idle);
    let mut a = Caller::call(robot.addr);
    a.hears(&[menu::WELCOME]);
    let welcomed = Instant::now();
    a.hears_last("您已 0.3 秒没有输入, 本次通话结束, 再见.");
    assert!(
        welcomed.elapsed() >= idle,
        "hung up after {:?}, before the idle limit",
        welcomed.elapsed()
    );
    robot.stop().unwrap();
}

#[test]
fn a_caller_who_stops_in_the_middle_of_a_message_is_hung_up_on_too() {
    let robot = robot_with_idle(Duration::from_millis(300));
    let mut a = Caller::call(robot.addr);
    a.hears(&[menu::WELCOME]);
    let mut message = Vec::new();
    frame::write_frame(&mut message, b"1").unwrap();
    a.phone.write_all(&message[..6]).unwrap();
    a.hears_last(Reply::idle(Duration::from_millis(300)).text.trim_end());
    robot.stop().unwrap();
}

#[test]
fn a_caller_who_keeps_talking_is_not_idle_however_long_the_call() {
    // Idle 1.5 s; five messages 0.5 s apart make a call of 2.5 s that is never silent for long.
    let robot = robot_with_idle(Duration::from_millis(1500));
    let mut a = Caller::call(robot.addr);
    a.hears(&[menu::WELCOME]);
    a.says("1");
    a.hears(&[menu::QUERIES]);
    for _ in 0..5 {
        thread::sleep(Duration::from_millis(500)); // the caller thinks
        a.says("2");
        a.hears(&[DATA, menu::QUERIES]);
    }
    // A pause inside a message does not lose it either: the frame is read whole after the gap.
    let mut message = Vec::new();
    frame::write_frame(&mut message, b"1").unwrap();
    a.phone.write_all(&message[..10]).unwrap();
    thread::sleep(Duration::from_millis(500)); // the gap
    a.phone.write_all(&message[10..]).unwrap();
    a.hears(&[BALANCE, menu::QUERIES]);
    a.says("exit");
    a.hears_last(menu::GOODBYE);
    robot.stop().unwrap();
}

// ---- shutdown ---------------------------------------------------------------------------------

#[test]
fn shutdown_says_goodbye_to_every_caller_wherever_they_are() {
    let robot = robot();
    let mut a = Caller::call(robot.addr);
    let mut b = Caller::call(robot.addr);
    let mut c = Caller::call(robot.addr);
    a.hears(&[menu::WELCOME]);
    b.hears(&[menu::WELCOME]);
    c.hears(&[menu::WELCOME]);
    a.says("1");
    a.hears(&[menu::QUERIES]);
    b.says("0");
    b.hears(&[menu::OPERATOR]);
    let shutdown = robot.shutdown.clone();
    let stopping = probe::BoundedThread::spawn("stop", move || robot.stop()).unwrap();
    for caller in [&mut a, &mut b, &mut c] {
        caller.hears_last(menu::CLOSING);
    }
    stopping.join_within(PATIENCE).unwrap().unwrap();
    assert!(shutdown.is_triggered());
}

#[test]
fn a_caller_who_never_reads_cannot_keep_the_robot_from_stopping() {
    let robot = robot();
    let deaf = common::connect(robot.addr);
    // A tiny receive window, so that the robot's replies soon have nowhere to go.
    SockRef::from(&deaf).set_recv_buffer_size(4096).unwrap();
    deaf.set_write_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut request = Vec::new();
    frame::write_frame(&mut request, b"1").unwrap();
    // Ask and never listen, until our own writes block: by then the robot is stuck writing to
    // us (or has given up on us). However big the kernel's buffers, this is bounded in time.
    let deadline = Instant::now() + PATIENCE;
    let stuck = loop {
        if Instant::now() > deadline {
            break false;
        }
        if (&deaf).write_all(&request).is_err() {
            break true;
        }
    };
    assert!(
        stuck,
        "the robot kept reading unanswered requests for {PATIENCE:?}"
    );
    let started = Instant::now();
    robot.stop().unwrap();
    // Its writes to us time out (server::LAST_WORDS), and then it stops.
    assert!(started.elapsed() < PATIENCE);
}

// ---- the real binary --------------------------------------------------------------------------

#[test]
fn the_real_client_prints_the_dialog_and_ends_when_the_robot_hangs_up() {
    let server = ServerProcess::start(10);
    let finished = common::client(
        10,
        server.addr,
        "1\n\n2\n*\n0\n流量\nexit\nthis line is never sent\n".as_bytes(),
    );
    finished.assert_no_panic();
    assert!(finished.status.success(), "{}", finished.stderr);
    assert_eq!(
        finished.stdout,
        text(&[
            menu::WELCOME,
            menu::QUERIES,
            DATA,
            menu::QUERIES,
            menu::WELCOME,
            menu::OPERATOR,
            "已记录您的问题: 流量. 还有别的吗? (* 返回主菜单)",
            menu::GOODBYE,
        ])
    );
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
}

#[test]
fn the_real_client_hangs_up_at_q_or_the_end_of_input() {
    let server = ServerProcess::start(10);
    for input in ["1\nq\n2\n", "1\n"] {
        let finished = common::client(10, server.addr, input.as_bytes());
        assert!(finished.status.success(), "{input:?}: {}", finished.stderr);
        assert_eq!(finished.stdout, text(&[menu::WELCOME, menu::QUERIES]));
    }
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
}

#[test]
fn the_real_server_hangs_up_on_a_silent_caller_after_its_idle() {
    let server = ServerProcess::start_with(10, &["--idle", "0.3"]);
    let mut a = Caller::call(server.addr);
    a.hears(&[menu::WELCOME]);
    a.hears_last("您已 0.3 秒没有输入, 本次通话结束, 再见.");
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
}

#[test]
fn ctrl_c_of_the_real_server_says_goodbye_to_callers_and_exits_0() {
    let mut server = ServerProcess::start(10);
    let mut a = Caller::call(server.addr);
    let mut b = Caller::call(server.addr);
    a.hears(&[menu::WELCOME]);
    b.hears(&[menu::WELCOME]);
    a.says("1");
    a.hears(&[menu::QUERIES]);
    server.interrupt();
    a.hears_last(menu::CLOSING);
    b.hears_last(menu::CLOSING);
    let (status, stderr) = server.wait();
    assert!(status.success(), "{stderr}");
    assert_eq!(stderr.lines().last(), Some("lesson10 server stopped"));
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A stand-in for a robot that never says a word: it holds the connection until the client
/// leaves (or its own patience ends), and reports what the client sent.
fn silent_robot(say_first: &'static [u8]) -> (SocketAddr, probe::BoundedThread<Vec<u8>>) {
    stand_in(move |mut conn| {
        conn.write_all(say_first).unwrap();
        common::drain(&mut conn)
    })
}

#[test]
fn the_real_client_gives_up_on_a_silent_server_after_its_timeout() {
    let mut half_a_frame = Vec::new();
    frame::write_frame(&mut half_a_frame, menu::WELCOME.as_bytes()).unwrap();
    let half: &'static [u8] = half_a_frame[..20].to_vec().leak();
    for (say_first, why) in [(&b""[..], "says nothing"), (half, "stops half way")] {
        let (addr, stand_in) = silent_robot(say_first);
        let started = Instant::now();
        let finished = common::run(
            lesson_command(10).args(["client", "--addr", &addr.to_string(), "--timeout", "0.3"]),
            b"1\n",
        );
        let waited = started.elapsed();
        finished.assert_no_panic();
        assert_eq!(finished.status.code(), Some(1), "a robot that {why}");
        assert_eq!(
            finished.error_lines(),
            [format!(
                "error: lesson10 client ({addr}): the server said nothing for 0.3 s"
            )],
            "a robot that {why}"
        );
        assert!(finished.stdout.is_empty(), "{}", finished.stdout);
        assert!(
            waited >= Duration::from_millis(300),
            "gave up after {waited:?}"
        );
        // It sent nothing: it was still waiting for the welcome.
        assert_eq!(stand_in.join_within(PATIENCE).unwrap(), b"");
    }
}

#[test]
fn the_flags_and_their_errors() {
    let help = |side: &str| {
        let finished = common::run(lesson_command(10).args([side, "--help"]), b"");
        assert!(finished.status.success());
        finished.stdout
    };
    let server_help = help("server");
    assert!(server_help.contains("--idle <SECS>"), "{server_help}");
    assert!(server_help.contains("[default: 60]"), "{server_help}");
    let client_help = help("client");
    assert!(client_help.contains("--timeout <SECS>"), "{client_help}");
    assert!(client_help.contains("[default: 5]"), "{client_help}");
    assert!(client_help.contains("127.0.0.1:8010"), "{client_help}");

    // Each flag belongs to its own side: elsewhere it is a usage error (status 2).
    for args in [
        &["server", "--timeout", "1"][..],
        &["client", "--idle", "1"],
        &["server", "--shell"],
    ] {
        let finished = common::run(lesson_command(10).args(args), b"");
        assert_eq!(
            finished.status.code(),
            Some(2),
            "{args:?}: {}",
            finished.stderr
        );
    }

    // A value that is not a number of seconds is a usage error (status 2) in the words every
    // lesson uses for seconds, before the client connects or the server listens.
    let nowhere = common::unused_addr().to_string();
    let seconds = "expected a number of seconds from 0.001 to 86400, like 2 or 0.5";
    for (side, flag, value) in [
        ("client", "--timeout", "0"),
        ("client", "--timeout", "ten"),
        ("client", "--timeout", "-1"),
        ("server", "--idle", "0"),
    ] {
        let finished = common::run(
            lesson_command(10).args([side, "--addr", &nowhere, flag, value]),
            b"",
        );
        assert_eq!(finished.status.code(), Some(2), "{}", finished.stderr);
        assert_eq!(
            finished.error_lines(),
            [format!(
                "error: invalid value '{value}' for '{flag} <SECS>': {seconds}"
            )]
        );
        assert!(
            !finished.stderr.contains("listening on"),
            "{}",
            finished.stderr
        );
    }
}

#[test]
fn the_demo_is_the_same_on_every_run() {
    let transcript = common::assert_demo_is_deterministic(10);
    for line in [
        "1. A whole call, through both levels",
        "2. A key the menu does not know",
        "3. Two callers at once",
        "4. A caller who says nothing",
        "5. The server stops (Ctrl-C)",
        "  caller C hears      您已 1 秒没有输入, 本次通话结束, 再见.",
        "  caller D hears      系统维护中, 本次通话结束, 再见.",
    ] {
        assert!(
            transcript.lines().any(|shown| shown == line),
            "the demo does not show {line:?}:\n{transcript}"
        );
    }
}
