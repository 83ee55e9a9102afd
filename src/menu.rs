//! The 10086 robot's dialog: a state machine with no sockets, so that every turn of a call can
//! be tested alone, and lesson 10's server only carries its words to and fro.
//!
//! A phone menu (语音菜单) is the classic example of a conversation with *state*: the same key
//! means different things in different places. `1` in the main menu opens the self-service
//! queries; `1` in the queries menu is the balance. So the robot remembers where each caller is
//! ([`Call`], one per connection: two callers never share one), and each message is answered
//! from there ([`Call::answer`]).
//!
//! ```text
//!   main menu ── 1 ──▶ self-service queries   1, 2, 3: an answer, and the menu again
//!       ▲ ◀──── * ────────────┘
//!       ├──── 0 ──▶ human service (人工服务)     any words: noted down
//!       └──── * ──────────────┘
//!   exit, anywhere:   a goodbye, and the robot hangs up
//!   anything else:    请重新输入. and the current menu again
//! ```
//!
//! The caller's input is bytes, and it is compared with bytes. That is the bug of the tutorial's
//! robot in Python 3, where `conn.recv(1024) == 'exit'` compares `bytes` with `str`, which is
//! never equal, so its robot never hears `exit`. Rust does not let the mistake compile:
//!
//! ```compile_fail,E0277
//! let received: &[u8] = b"exit";
//! let heard_exit = received == "exit"; // error[E0277]: can't compare `[u8]` with `str`
//! ```
//!
//! Every answer is made up and the same on every call (a teaching robot has no billing system),
//! so tests and the demo can say exactly what a caller hears.

use std::time::Duration;

use crate::frame::Header;
use crate::t;

// The robot's words come from the course's catalogue (`i18n/*/socket_lessons.ftl`), in the
// server's language, as every sentence of the course does. It is the tutorial's 10086 robot, so
// both catalogues say the tutorial's words, byte for byte (the constants below, which a test
// holds the English catalogue to): a student comparing our robot with the tutorial's Python one
// hears the same bytes in either course. The caller's keys (`1`, `0`, `*`, `exit`) are the same
// in every language too: programs type them.

/// What the robot says when a call begins: the main menu. (The tutorial's words.)
pub const WELCOME: &str = "欢迎致电 10086,请输入1xxx,0转人工服务.";

/// The self-service queries menu: 话费 (the balance), 流量 (mobile data), 套餐 (the plan).
pub const QUERIES: &str = "自助查询: 1 话费余额, 2 流量, 3 套餐, * 返回主菜单.";

/// The human service (人工服务), starting with the recording notice every hotline gives.
pub const OPERATOR: &str = "您的通话可能会被录音. 客服为您服务, 请讲 (* 返回主菜单).";

/// What an input the current menu does not know is answered with, before the menu again.
pub const TRY_AGAIN: &str = "请重新输入.";

/// What the robot says as it hangs up after `exit`.
pub const GOODBYE: &str = "感谢您的来电, 再见.";

/// What the robot says as it hangs up because the server is stopping (Ctrl-C).
pub const CLOSING: &str = "系统维护中, 本次通话结束, 再见.";

/// Where a caller is in the menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    /// The main menu: `1` queries, `0` the human service.
    Main,
    /// The self-service queries: `1` the balance, `2` data, `3` the plan, `*` back.
    Queries,
    /// The human service: anything said is noted down, `*` back.
    Operator,
}

impl Menu {
    /// What the robot says to offer this menu, in the server's language ([`WELCOME`],
    /// [`QUERIES`], [`OPERATOR`] in the English course).
    pub fn prompt(self) -> String {
        match self {
            Menu::Main => t!("menu-welcome"),
            Menu::Queries => t!("menu-queries"),
            Menu::Operator => t!("menu-operator"),
        }
    }
}

/// [`TRY_AGAIN`] in the server's language.
pub fn try_again() -> String {
    t!("menu-try-again")
}

/// [`GOODBYE`] in the server's language.
pub fn goodbye() -> String {
    t!("menu-goodbye")
}

/// [`CLOSING`] in the server's language.
pub fn closing() -> String {
    t!("menu-closing")
}

/// The queries' answers, in the server's language: `1` the balance, `2` the data used, `3` the
/// plan. Made up, and the same on every call.
pub fn balance() -> String {
    t!("menu-balance")
}

/// The answer to `2` in the queries.
pub fn data_used() -> String {
    t!("menu-data")
}

/// The answer to `3` in the queries.
pub fn plan() -> String {
    t!("menu-plan")
}

/// One turn of the robot: what it says, and whether it hangs up after saying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// One or more lines, each ending in `\n`.
    pub text: String,
    pub hang_up: bool,
}

impl Reply {
    /// Lines that keep the call going.
    fn say<S: AsRef<str>>(lines: &[S]) -> Reply {
        Reply {
            text: lines
                .iter()
                .map(|line| format!("{}\n", line.as_ref()))
                .collect(),
            hang_up: false,
        }
    }

    /// Last words: the robot hangs up after them.
    fn last(line: String) -> Reply {
        Reply {
            hang_up: true,
            ..Reply::say(&[line])
        }
    }

    /// The frame header this reply travels under: its size and md5, as every frame's, and
    /// `"hang_up"`, which tells the caller whether the robot hangs up after it.
    pub fn header(&self) -> Header {
        Header::for_body(self.text.as_bytes()).with("hang_up", self.hang_up)
    }

    /// The goodbye of a call that has been silent for `idle`.
    pub fn idle(idle: Duration) -> Reply {
        Reply::last(t!("menu-idle", seconds = idle.as_secs_f64().to_string()))
    }

    /// The goodbye of a call that the server's shutdown ends.
    pub fn closing() -> Reply {
        Reply::last(closing())
    }
}

/// One caller's call: where they are in the menu. Each connection has its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    menu: Menu,
}

impl Default for Call {
    fn default() -> Call {
        Call::new()
    }
}

impl Call {
    /// A new call, in the main menu.
    pub fn new() -> Call {
        Call { menu: Menu::Main }
    }

    /// Where the caller is now.
    pub fn menu(&self) -> Menu {
        self.menu
    }

    /// What the robot says first, before the caller says anything: the server speaks first.
    pub fn welcome(&self) -> Reply {
        Reply::say(&[Menu::Main.prompt()])
    }

    // ANCHOR: answer
    /// Answers one message of the caller, and moves to where the answer leads. Spaces (and a
    /// line end) around the input do not matter; anything else does.
    pub fn answer(&mut self, input: &[u8]) -> Reply {
        let input = input.trim_ascii();
        if input == b"exit" {
            return Reply::last(goodbye());
        }
        let queries = || Menu::Queries.prompt();
        match (self.menu, input) {
            (Menu::Main, b"1") => self.go(Menu::Queries),
            (Menu::Main, b"0") => self.go(Menu::Operator),
            (Menu::Queries, b"1") => Reply::say(&[balance(), queries()]),
            (Menu::Queries, b"2") => Reply::say(&[data_used(), queries()]),
            (Menu::Queries, b"3") => Reply::say(&[plan(), queries()]),
            (Menu::Queries | Menu::Operator, b"*") => self.go(Menu::Main),
            // The human service takes any words (but not silence) and notes them down.
            (Menu::Operator, words) if !words.is_empty() => {
                Reply::say(&[t!("menu-noted", words = first_words(words))])
            }
            _ => Reply::say(&[try_again(), self.menu.prompt()]),
        }
    }

    /// Moves to `menu`, and offers it.
    fn go(&mut self, menu: Menu) -> Reply {
        self.menu = menu;
        Reply::say(&[menu.prompt()])
    }
    // ANCHOR_END: answer
}

/// The most of a caller's words the human service repeats back: a question is a sentence, and
/// a frame may carry megabytes.
pub const NOTED_CHARS: usize = 40;

/// The caller's words as text (bytes that are not UTF-8 become `\u{fffd}`), cut after
/// [`NOTED_CHARS`] characters with `…`.
fn first_words(words: &[u8]) -> String {
    let text = String::from_utf8_lossy(words);
    match text.char_indices().nth(NOTED_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A call that has answered `inputs`, in order.
    fn call_after(inputs: &[&str]) -> Call {
        let mut call = Call::new();
        for input in inputs {
            assert!(!call.answer(input.as_bytes()).hang_up, "{input:?} hung up");
        }
        call
    }

    fn lines(reply: &Reply) -> Vec<&str> {
        reply.text.lines().collect()
    }

    #[test]
    fn the_english_course_says_the_tutorials_words_byte_for_byte() {
        // The tests of this crate run in English (the language of a process that chose none).
        assert_eq!(Menu::Main.prompt(), WELCOME);
        assert_eq!(Menu::Queries.prompt(), QUERIES);
        assert_eq!(Menu::Operator.prompt(), OPERATOR);
        assert_eq!(try_again(), TRY_AGAIN);
        assert_eq!(goodbye(), GOODBYE);
        assert_eq!(closing(), CLOSING);
        assert_eq!(
            Reply::idle(Duration::from_millis(1500)).text,
            "您已 1.5 秒没有输入, 本次通话结束, 再见.\n"
        );
        assert_eq!(
            Reply::idle(Duration::from_secs(60)).text,
            "您已 60 秒没有输入, 本次通话结束, 再见.\n"
        );
    }

    #[test]
    fn a_call_begins_in_the_main_menu_with_the_welcome() {
        let call = Call::new();
        assert_eq!(call.menu(), Menu::Main);
        assert_eq!(
            call.welcome(),
            Reply {
                text: "欢迎致电 10086,请输入1xxx,0转人工服务.\n".into(),
                hang_up: false
            }
        );
    }

    #[test]
    fn main_menu_1_opens_the_queries() {
        let mut call = Call::new();
        assert_eq!(lines(&call.answer(b"1")), [QUERIES]);
        assert_eq!(call.menu(), Menu::Queries);
    }

    #[test]
    fn main_menu_0_transfers_to_a_human_with_the_recording_notice() {
        let mut call = Call::new();
        let reply = call.answer(b"0");
        assert_eq!(lines(&reply), [OPERATOR]);
        assert!(reply.text.starts_with("您的通话可能会被录音."));
        assert_eq!(call.menu(), Menu::Operator);
    }

    #[test]
    fn each_query_has_its_answer_and_stays_in_the_queries() {
        for (key, answer) in [
            ("1", "您的话费余额为 52.30 元."),
            ("2", "本月已用流量 3.2 GB, 剩余 6.8 GB."),
            (
                "3",
                "您的套餐: 畅享套餐 58 元/月, 含 10 GB 流量, 300 分钟通话.",
            ),
        ] {
            let mut call = call_after(&["1"]);
            let reply = call.answer(key.as_bytes());
            assert_eq!(lines(&reply), [answer, QUERIES], "query {key}");
            assert!(!reply.hang_up);
            assert_eq!(call.menu(), Menu::Queries, "after query {key}");
        }
    }

    #[test]
    fn star_goes_back_to_the_main_menu_from_either_second_level() {
        for first in ["1", "0"] {
            let mut call = call_after(&[first]);
            assert_eq!(lines(&call.answer(b"*")), [WELCOME]);
            assert_eq!(call.menu(), Menu::Main, "back from {first}");
        }
    }

    #[test]
    fn the_human_service_notes_any_words_and_stays() {
        let mut call = call_after(&["0"]);
        let reply = call.answer("我的流量不够用".as_bytes());
        assert_eq!(
            lines(&reply),
            ["已记录您的问题: 我的流量不够用. 还有别的吗? (* 返回主菜单)"]
        );
        assert_eq!(call.menu(), Menu::Operator);
        // Keys mean nothing special there: `1` is words too.
        assert!(call.answer(b"1").text.contains("已记录您的问题: 1."));
        assert_eq!(call.menu(), Menu::Operator);
    }

    #[test]
    fn the_human_service_repeats_only_the_first_words_of_a_long_question() {
        let mut call = call_after(&["0"]);
        let long = "话".repeat(10_000);
        let reply = call.answer(long.as_bytes());
        let expected = format!("{}…", "话".repeat(NOTED_CHARS));
        assert_eq!(
            lines(&reply),
            [format!("已记录您的问题: {expected}. 还有别的吗? (* 返回主菜单)").as_str()]
        );
        let exactly = "a".repeat(NOTED_CHARS);
        assert!(
            call.answer(exactly.as_bytes())
                .text
                .contains(&format!(": {exactly}."))
        );
    }

    #[test]
    fn exit_says_goodbye_and_hangs_up_from_every_menu() {
        for path in [&[][..], &["1"], &["0"], &["1", "2"]] {
            let mut call = call_after(path);
            let reply = call.answer(b"exit");
            assert_eq!(
                reply,
                Reply {
                    text: format!("{GOODBYE}\n"),
                    hang_up: true
                },
                "after {path:?}"
            );
        }
    }

    #[test]
    fn anything_else_is_try_again_plus_the_current_menu_and_changes_nothing() {
        let cases: [(&[&str], &str, Menu); 7] = [
            (&[], "2", Menu::Main),
            (&[], "*", Menu::Main),
            (&[], "", Menu::Main),
            (&[], "EXIT", Menu::Main),
            (&["1"], "0", Menu::Queries),
            (&["1"], "4", Menu::Queries),
            (&["0"], "", Menu::Operator),
        ];
        for (path, input, menu) in cases {
            let mut call = call_after(path);
            let reply = call.answer(input.as_bytes());
            assert_eq!(
                lines(&reply),
                [TRY_AGAIN, menu.prompt().as_str()],
                "{input:?} after {path:?}"
            );
            assert!(!reply.hang_up);
            assert_eq!(call.menu(), menu, "{input:?} after {path:?} moved the call");
        }
    }

    #[test]
    fn spaces_and_line_ends_around_the_input_do_not_matter() {
        let mut call = Call::new();
        assert_eq!(lines(&call.answer(b" 1\r\n")), [QUERIES]);
        assert!(call.answer(b"exit\n").hang_up);
        // But inside the input they do: "1 1" is not a key.
        assert_eq!(lines(&Call::new().answer(b"1 1")), [TRY_AGAIN, WELCOME]);
    }

    #[test]
    fn input_that_is_not_utf8_is_answered_too() {
        // GBK for 你好, typed on a Chinese Windows console: not a key, and no panic.
        let mut call = Call::new();
        assert_eq!(
            lines(&call.answer(b"\xc4\xe3\xba\xc3")),
            [TRY_AGAIN, WELCOME]
        );
        let mut call = call_after(&["0"]);
        assert!(
            call.answer(b"\xc4\xe3")
                .text
                .contains("已记录您的问题: \u{fffd}")
        );
    }

    #[test]
    fn two_calls_never_share_their_place_in_the_menu() {
        let mut a = Call::new();
        let mut b = Call::new();
        a.answer(b"1");
        b.answer(b"0");
        assert_eq!((a.menu(), b.menu()), (Menu::Queries, Menu::Operator));
        assert_eq!(
            lines(&a.answer(b"1")),
            ["您的话费余额为 52.30 元.", QUERIES]
        );
        assert!(b.answer(b"1").text.starts_with("已记录您的问题: 1."));
    }

    #[test]
    fn the_robot_s_own_goodbyes_hang_up() {
        let idle = Reply::idle(Duration::from_secs(60));
        assert_eq!(idle.text, "您已 60 秒没有输入, 本次通话结束, 再见.\n");
        assert!(idle.hang_up);
        assert_eq!(
            Reply::idle(Duration::from_millis(500)).text,
            "您已 0.5 秒没有输入, 本次通话结束, 再见.\n"
        );
        assert_eq!(
            Reply::closing(),
            Reply {
                text: format!("{CLOSING}\n"),
                hang_up: true
            }
        );
    }
}
