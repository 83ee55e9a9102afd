//! Exercise 10: the 10086 menu robot (实例: 智能机器人).
//!
//! This is exercise 6's shape (frames, a thread per connection) with the robot's words, its
//! menus and the command line (`--idle SECS`) already here. Make it the robot: it speaks first,
//! keeps each caller's place in the menu, and keeps time (docs/contracts.md, "The menu robot").
//! Chapter: lessons/10-menu-robot.md. The worked stage is src/lessons/menu_robot.rs, with
//! src/menu.rs.
//! 中文：这是练习 6 的样子（帧，每个连接一个线程），机器人的话、它的菜单和命令行（`--idle SECS`）都
//! 已经在这里了。把它做成那个机器人：它先开口，记住每个来电者在菜单里的位置，还要计时
//! （docs/contracts.md，"The menu robot"）。章节：lessons/zh/10-menu-robot.md。对应的阶段是
//! src/lessons/menu_robot.rs，以及 src/menu.rs。
//!
//! Left for you, each marked `TODO N` where its code goes:
//! 中文：留给你的，每一项都在它的代码该放的地方标着 `TODO N`：
//!
//! - TODO 1: the server speaks first: the welcome, before it reads anything (chapter: "Why it
//!   works", the server speaks first).
//!   中文：服务端先开口：在读任何东西之前先发欢迎词（章节：“为什么能行”，服务端先开口）。
//! - TODO 2: `answer`: each message is answered from where this caller is (`1` in the main menu
//!   opens the queries, `1` in the queries is the balance, `*` goes back, `0` the human service,
//!   which notes down any words; `exit` anywhere says `GOODBYE`; anything else `TRY_AGAIN` and
//!   the menu again). The caller's place is one `Menu` per call, owned by its thread: never
//!   shared (chapter: "Why it works", one call, one `Call`; bytes are compared with bytes).
//!   中文：`answer`：每条消息都按这个来电者所在的位置来回答（主菜单里的 `1` 打开查询，查询里的 `1`
//!   是余额，`*` 返回上一级，`0` 是人工服务，它把任何话记下来；任何地方的 `exit` 都说 `GOODBYE`；其
//!   他任何东西说 `TRY_AGAIN`，再把菜单说一遍）。来电者的位置是每通电话一个 `Menu`，归它的线程所
//!   有：决不共享（章节：“为什么能行”，一通电话，一个 `Call`；字节和字节比）。
//! - TODO 3: every reply's header carries `"hang_up"`: true on the robot's last words, after
//!   which it closes the connection.
//!   中文：每个回复的报头都带着 `"hang_up"`：机器人的最后一句话里它是 true，说完就关闭连接。
//! - TODO 4: the robot's clock: a caller silent for `--idle` seconds (the connection's read
//!   timeout) is told `您已 SECS 秒没有输入, 本次通话结束, 再见.` and hung up on (chapter: "Why it
//!   works", the robot's clock).
//!   中文：机器人的时钟：来电者沉默了 `--idle` 秒（连接的读超时），就告诉它
//!   `您已 SECS 秒没有输入, 本次通话结束, 再见.`，然后挂断（章节：“为什么能行”，机器人的时钟：
//!   `--idle`）。
//! - TODO 5: the client listens first (it prints the welcome before it reads a line), waits at
//!   most `CLIENT_TIMEOUT` for each reply, and ends after a reply whose `"hang_up"` is true
//!   (chapter: "Why it works", the client's clock).
//!   中文：客户端先听（读一行输入之前先打印欢迎词），每个回复最多等 `CLIENT_TIMEOUT`，收到
//!   `"hang_up"` 为 true 的回复后结束（章节：“为什么能行”，客户端的时钟：`--timeout`）。
//!
//! Check it: `cargo run --bin learn -- check 10`.
//! 中文：检查它：`cargo run --bin learn -- check 10`。

use std::env;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

#[path = "../../solutions/frame.rs"]
mod frame;

use frame::Header;

/// The stage's own address: this program and `cargo run --bin lesson10` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8010";

/// How long a caller may say nothing before the robot hangs up, unless `--idle` says otherwise.
const DEFAULT_IDLE: Duration = Duration::from_secs(60);

/// How long the client waits for the robot to speak (the tutorial's `settimeout(5)`).
#[allow(dead_code)] // for TODO 5
const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest request the robot reads, as in lesson 6.
const MAX_REQUEST: u64 = 8 * 1024 * 1024;

/// The robot's words (docs/contracts.md, "The menu robot").
const WELCOME: &str = "欢迎致电 10086,请输入1xxx,0转人工服务.";
const QUERIES: &str = "自助查询: 1 话费余额, 2 流量, 3 套餐, * 返回主菜单.";
const OPERATOR: &str = "您的通话可能会被录音. 客服为您服务, 请讲 (* 返回主菜单).";
const TRY_AGAIN: &str = "请重新输入.";
#[allow(dead_code)] // for TODO 2
const GOODBYE: &str = "感谢您的来电, 再见.";

/// The most of a caller's words the human service repeats back.
const NOTED_CHARS: usize = 40;

fn main() -> ExitCode {
    let Some(options) = parse_args() else {
        eprintln!(
            "usage: lesson10 server [--addr HOST:PORT] [--idle SECS] | client [--addr HOST:PORT]"
        );
        return ExitCode::from(2);
    };
    let result = match options.mode.as_str() {
        "server" => server(&options.addr, options.idle),
        _ => client(&options.addr),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What the command line asked for.
struct Options {
    /// `server` or `client`.
    mode: String,
    addr: String,
    /// How long a caller may say nothing.
    idle: Duration,
}

/// `server` or `client`, then `--addr HOST:PORT` and (server) `--idle SECS` if given. `None`
/// for anything else.
fn parse_args() -> Option<Options> {
    let mut args = env::args().skip(1);
    let mode = args
        .next()
        .filter(|mode| mode == "server" || mode == "client")?;
    let mut options = Options {
        mode,
        addr: DEFAULT_ADDR.to_string(),
        idle: DEFAULT_IDLE,
    };
    while let Some(flag) = args.next() {
        let value = args.next()?;
        match flag.as_str() {
            "--addr" => options.addr = value,
            "--idle" => {
                let idle = Duration::try_from_secs_f64(value.parse().ok()?).ok()?;
                options.idle = (!idle.is_zero()).then_some(idle)?;
            }
            _ => return None,
        }
    }
    Some(options)
}

/// Answers every caller at the same time, each on its own thread.
fn server(addr: &str, idle: Duration) -> io::Result<()> {
    let listener = TcpListener::bind(addr)?;
    eprintln!("listening on {}", listener.local_addr()?);
    loop {
        let (conn, peer) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("accept: {e}");
                continue;
            }
        };
        eprintln!("{peer} connected");
        let spawned = thread::Builder::new()
            .name(format!("caller {peer}"))
            .spawn(move || serve_one_caller(conn, peer, idle));
        if let Err(e) = spawned {
            eprintln!("{peer}: cannot start a thread ({e}); hanging up");
        }
    }
}

/// Where a caller is in the menu.
#[derive(Clone, Copy)]
#[allow(dead_code)] // for TODO 2
enum Menu {
    /// `1` the queries, `0` the human service.
    Main,
    /// `1` the balance, `2` data, `3` the plan, `*` back.
    Queries,
    /// Any words are noted down, `*` back.
    Operator,
}

impl Menu {
    /// What the robot says to offer this menu.
    fn prompt(self) -> &'static str {
        match self {
            Menu::Main => WELCOME,
            Menu::Queries => QUERIES,
            Menu::Operator => OPERATOR,
        }
    }
}

/// One call: the robot answers each message.
#[allow(unused_variables)] // for TODO 4
fn serve_one_caller(mut conn: TcpStream, peer: SocketAddr, idle: Duration) {
    // TODO 1
    // TODO 4
    loop {
        let request = match frame::read_frame(&mut conn, MAX_REQUEST) {
            Ok(Some(request)) => request,
            Ok(None) => return eprintln!("{peer}: hung up"),
            Err(e) => {
                eprintln!("{peer}: {e}; ending this connection");
                let _ = frame::write_error(&mut conn, &e.to_string());
                return;
            }
        };
        if let Err(e) = request.check_md5() {
            eprintln!("{peer}: {e}; ending this connection");
            let _ = frame::write_error(&mut conn, &e);
            return;
        }
        // TODO 2
        let (lines, hang_up) = answer(&mut Menu::Main, &request.body);
        let words: Vec<&str> = lines.iter().map(String::as_str).collect();
        // TODO 3
        if say(&mut conn, &words, hang_up).is_err() {
            return;
        }
    }
}

/// Answers one message from `menu`, and moves to where the answer leads: the lines to say, and
/// whether the robot hangs up after them. Spaces around the input do not matter.
#[allow(unused_variables)] // for TODO 2
fn answer(menu: &mut Menu, input: &[u8]) -> (Vec<String>, bool) {
    // TODO 2
    (
        vec![TRY_AGAIN.to_string(), menu.prompt().to_string()],
        false,
    )
}

/// The caller's words as text, cut after [`NOTED_CHARS`] characters with `…`.
#[allow(dead_code)] // for TODO 2
fn first_words(words: &[u8]) -> String {
    let text = String::from_utf8_lossy(words);
    match text.char_indices().nth(NOTED_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

/// Sends one reply: `lines`, each ending in `\n`, in a frame whose header says whether the robot
/// hangs up after it.
fn say(conn: &mut TcpStream, lines: &[&str], hang_up: bool) -> io::Result<()> {
    let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
    let mut header = Header::new();
    header.insert("hang_up".into(), hang_up.into());
    frame::write_frame_with(conn, header, text.as_bytes())
}

/// Sends each non-empty line as one request frame and prints each reply frame's body, until
/// the input ends or a line says `q`.
// TODO 5
fn client(addr: &str) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    let mut stdout = io::stdout();
    for line in io::stdin().lines() {
        let command = line?;
        if command.is_empty() {
            continue;
        }
        if command == "q" {
            break;
        }
        frame::write_frame(&mut phone, command.as_bytes())?;
        // The whole reply, however long: its header said how long.
        let Some(reply) = frame::read_frame(&mut phone, MAX_REQUEST)? else {
            eprintln!("the server closed the connection");
            break;
        };
        if let Some(reason) = reply.text("error") {
            return Err(io::Error::other(format!("the server refused: {reason}")));
        }
        reply.check_md5().map_err(io::Error::other)?;
        stdout.write_all(&reply.body)?;
        stdout.flush()?;
    }
    Ok(())
}
