//! Exercise 10, solved: the 10086 menu robot (实例: 智能机器人).
//!
//! A server that speaks first, keeps each caller's place in a menu (one `Menu` per connection,
//! never shared), and keeps time: a caller silent for `--idle` seconds is told goodbye and hung
//! up on. Every message is lesson 6's frame; the robot's replies carry `"hang_up"`, true on its
//! last words. The client listens before it types, and gives up on a robot silent for 5 s (the
//! tutorial's `settimeout(5)`). The worked stage is `src/lessons/menu_robot.rs` (with
//! `src/menu.rs`).

use std::env;
use std::io::{self, ErrorKind, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

mod frame;

use frame::Header;

/// The stage's own address: this program and `cargo run --bin lesson10` meet without `--addr`.
const DEFAULT_ADDR: &str = "127.0.0.1:8010";

/// How long a caller may say nothing before the robot hangs up, unless `--idle` says otherwise.
const DEFAULT_IDLE: Duration = Duration::from_secs(60);

/// How long the client waits for the robot to speak (the tutorial's `settimeout(5)`).
const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest request the robot reads, as in lesson 6.
const MAX_REQUEST: u64 = 8 * 1024 * 1024;

/// The robot's words (docs/contracts.md, "The menu robot").
const WELCOME: &str = "欢迎致电 10086,请输入1xxx,0转人工服务.";
const QUERIES: &str = "自助查询: 1 话费余额, 2 流量, 3 套餐, * 返回主菜单.";
const OPERATOR: &str = "您的通话可能会被录音. 客服为您服务, 请讲 (* 返回主菜单).";
const TRY_AGAIN: &str = "请重新输入.";
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

/// One call: the robot speaks first, then answers each message from where this caller is.
fn serve_one_caller(mut conn: TcpStream, peer: SocketAddr, idle: Duration) {
    // ANCHOR: idle
    // A read that waits longer than `idle` fails with a timeout: the caller said nothing.
    let _ = conn.set_read_timeout(Some(idle));
    // ANCHOR_END: idle
    // ANCHOR: state
    // This caller's place in the menu, owned by this caller's thread alone.
    let mut menu = Menu::Main;
    // ANCHOR_END: state
    if say(&mut conn, &[WELCOME], false).is_err() {
        return;
    }
    loop {
        let request = match frame::read_frame(&mut conn, MAX_REQUEST) {
            Ok(Some(request)) => request,
            Ok(None) => return eprintln!("{peer}: hung up"),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                let goodbye = format!(
                    "您已 {} 秒没有输入, 本次通话结束, 再见.",
                    idle.as_secs_f64()
                );
                let _ = say(&mut conn, &[&goodbye], true);
                return eprintln!("{peer}: silent for {idle:?}; hung up");
            }
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
        // ANCHOR: answer
        let (lines, hang_up) = answer(&mut menu, &request.body);
        // ANCHOR_END: answer
        let words: Vec<&str> = lines.iter().map(String::as_str).collect();
        if say(&mut conn, &words, hang_up).is_err() || hang_up {
            return;
        }
    }
}

/// Answers one message from `menu`, and moves to where the answer leads: the lines to say, and
/// whether the robot hangs up after them. Spaces around the input do not matter.
fn answer(menu: &mut Menu, input: &[u8]) -> (Vec<String>, bool) {
    let input = input.trim_ascii();
    if input == b"exit" {
        return (vec![GOODBYE.to_string()], true);
    }
    let lines: Vec<String> = match (*menu, input) {
        (Menu::Main, b"1") => go(menu, Menu::Queries),
        (Menu::Main, b"0") => go(menu, Menu::Operator),
        (Menu::Queries, b"1") => vec!["您的话费余额为 52.30 元.".into(), QUERIES.into()],
        (Menu::Queries, b"2") => vec!["本月已用流量 3.2 GB, 剩余 6.8 GB.".into(), QUERIES.into()],
        (Menu::Queries, b"3") => vec![
            "您的套餐: 畅享套餐 58 元/月, 含 10 GB 流量, 300 分钟通话.".into(),
            QUERIES.into(),
        ],
        (Menu::Queries | Menu::Operator, b"*") => go(menu, Menu::Main),
        // The human service notes down any words (but not silence).
        (Menu::Operator, words) if !words.is_empty() => {
            vec![format!(
                "已记录您的问题: {}. 还有别的吗? (* 返回主菜单)",
                first_words(words)
            )]
        }
        _ => vec![TRY_AGAIN.into(), menu.prompt().into()],
    };
    (lines, false)
}

/// Moves to `to`, and offers it.
fn go(menu: &mut Menu, to: Menu) -> Vec<String> {
    *menu = to;
    vec![to.prompt().to_string()]
}

/// The caller's words as text, cut after [`NOTED_CHARS`] characters with `…`.
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

/// Prints the robot's welcome, then sends each non-empty line as one request and prints each
/// reply, until the robot hangs up, the input ends or a line says `q`.
fn client(addr: &str) -> io::Result<()> {
    let mut phone = TcpStream::connect(addr)?;
    // The tutorial's settimeout(5): a robot that says nothing is an error, not a hang.
    phone.set_read_timeout(Some(CLIENT_TIMEOUT))?;
    // The robot speaks first: listen before typing.
    if hear(&mut phone)? {
        return Ok(());
    }
    for line in io::stdin().lines() {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        if line == "q" {
            break;
        }
        frame::write_frame(&mut phone, line.as_bytes())?;
        if hear(&mut phone)? {
            break;
        }
    }
    Ok(())
}

/// Reads and prints one reply of the robot; `true` if it hangs up after it.
fn hear(phone: &mut TcpStream) -> io::Result<bool> {
    let reply = match frame::read_frame(phone, MAX_REQUEST) {
        Ok(Some(reply)) => reply,
        Ok(None) => return Err(io::Error::other("the robot hung up")),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            return Err(io::Error::other(format!(
                "the server said nothing for {} s",
                CLIENT_TIMEOUT.as_secs()
            )));
        }
        Err(e) => return Err(e),
    };
    reply.check_md5().map_err(io::Error::other)?;
    let mut stdout = io::stdout();
    stdout.write_all(&reply.body)?;
    stdout.flush()?;
    Ok(reply.header.get("hang_up").and_then(|h| h.as_bool()) == Some(true))
}
