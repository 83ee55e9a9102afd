//! The demo script for lesson 10 (the 10086 menu robot): a call through the menu, a key the menu
//! does not know, two callers at once, a caller who says nothing, and a server that stops.
//!
//! Everything it narrates is forced by the robot's protocol, not by timing: the robot speaks
//! first, answers each message with exactly one frame, and hangs up after a frame that says so.
//! The one clock in it is the robot's own: the silent caller's part starts a second robot, with
//! an idle limit of `SHORT_IDLE` instead of a minute, and the caller simply waits (boundedly)
//! for what the robot says next. The stopping server is a second robot too, so that the demo's
//! own server keeps serving the other parts.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::{Demo, PATIENCE, Transcript};
use crate::probe::{BoundedThread, End};
use crate::scenario::record::SERVER;
use crate::scenario::{Act, Conn, Protocol, Recorder, Target, robot};
use crate::t;
use socket_lessons::lessons::menu_robot;
use socket_lessons::menu::{self, Reply};
use socket_lessons::server::Server;
use socket_lessons::shutdown::ShutdownSignal;

/// The idle limit of the robot that the silent caller calls (`lesson10 server --idle 1`).
const SHORT_IDLE: Duration = Duration::from_secs(1);

pub fn lesson10(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson10-intro"));
    demo.part(1, &t!("demo-lesson10-part1"), whole_call)?;
    demo.part(2, &t!("demo-lesson10-part2"), unknown_key)?;
    demo.part(3, &t!("demo-lesson10-part3"), two_callers)?;
    demo.part(4, &t!("demo-lesson10-part4"), silent_caller)?;
    demo.part(5, &t!("demo-lesson10-part5"), server_stops)?;
    demo.say(&t!("demo-lesson10-notice"));
    Ok(())
}

/// Part 1: the welcome, the queries (level 2) and back, the human service, and `exit`.
fn whole_call(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let log = Recorder::new();
    let mut a = Caller::connect(demo, "A", demo.addr, &log)?;
    a.hears(&[menu::WELCOME])?;
    a.says("1")?;
    a.hears(&[menu::QUERIES])?;
    a.says("2")?;
    a.hears(&["本月已用流量 3.2 GB, 剩余 6.8 GB.", menu::QUERIES])?;
    a.says("*")?;
    a.hears(&[menu::WELCOME])?;
    a.says("0")?;
    a.hears(&[menu::OPERATOR])?;
    a.says("流量不够用")?;
    a.hears(&["已记录您的问题: 流量不够用. 还有别的吗? (* 返回主菜单)"])?;
    a.says("exit")?;
    a.hears_last(menu::GOODBYE)?;
    demo.draw(&log.observations(Protocol::Robot));
    demo.say(&t!("demo-lesson10-whole-call-notice"));
    Ok(())
}

/// Part 2: an unknown key gets 请重新输入. and the current menu, which differs by menu.
fn unknown_key(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let log = Recorder::new();
    let mut a = Caller::connect(demo, "A", demo.addr, &log)?;
    a.hears(&[menu::WELCOME])?;
    a.says("5")?;
    a.hears(&[menu::TRY_AGAIN, menu::WELCOME])?;
    a.says("1")?;
    a.hears(&[menu::QUERIES])?;
    a.says("0")?;
    a.hears(&[menu::TRY_AGAIN, menu::QUERIES])?;
    a.says("exit")?;
    a.hears_last(menu::GOODBYE)?;
    demo.draw(&log.observations(Protocol::Robot));
    demo.say(&t!("demo-lesson10-unknown-key-notice"));
    Ok(())
}

/// Part 3: two callers in different menus press the same key and hear different answers.
fn two_callers(demo: &mut Demo) -> io::Result<()> {
    demo.start_server()?;
    let log = Recorder::new();
    let mut a = Caller::connect(demo, "A", demo.addr, &log)?;
    let mut b = Caller::connect(demo, "B", demo.addr, &log)?;
    a.hears(&[menu::WELCOME])?;
    b.hears(&[menu::WELCOME])?;
    a.says("1")?;
    b.says("0")?;
    a.hears(&[menu::QUERIES])?;
    b.hears(&[menu::OPERATOR])?;
    a.says("1")?;
    b.says("1")?;
    a.hears(&["您的话费余额为 52.30 元.", menu::QUERIES])?;
    b.hears(&["已记录您的问题: 1. 还有别的吗? (* 返回主菜单)"])?;
    a.says("exit")?;
    a.hears_last(menu::GOODBYE)?;
    b.says("exit")?;
    b.hears_last(menu::GOODBYE)?;
    demo.draw(&log.observations(Protocol::Robot));
    demo.say(&t!("demo-lesson10-two-callers-notice"));
    Ok(())
}

/// Part 4: a robot with a 1-second idle limit hangs up on a caller who says nothing.
fn silent_caller(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!(
        "demo-lesson10-silent-intro",
        seconds = SHORT_IDLE.as_secs().to_string()
    ));
    let robot = Robot::start(SHORT_IDLE)?;
    let log = Recorder::new();
    let mut c = Caller::connect(demo, "C", robot.addr, &log)?;
    c.hears(&[menu::WELCOME])?;
    c.narrate(&t!("demo-replay-waits"), &t!("demo-lesson10-says-nothing"));
    c.hears_last(Reply::idle(SHORT_IDLE).text.trim_end())?;
    robot.stop()?;
    demo.draw(&log.observations(Protocol::Robot));
    demo.say(&t!("demo-lesson10-silent-notice"));
    Ok(())
}

/// Part 5: the server's shutdown (Ctrl-C) gives a caller in the middle of a call a goodbye.
fn server_stops(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson10-stops-intro"));
    let robot = Robot::start(Duration::from_secs(60))?;
    let log = Recorder::new();
    let mut d = Caller::connect(demo, "D", robot.addr, &log)?;
    d.hears(&[menu::WELCOME])?;
    d.says("1")?;
    d.hears(&[menu::QUERIES])?;
    demo.line(t!("demo-replay-interrupted"));
    log.record(SERVER, Act::Interrupted);
    robot.shutdown.trigger();
    d.hears_last(menu::CLOSING)?;
    robot.stop()?;
    demo.draw(&log.observations(Protocol::Robot));
    demo.say(&t!("demo-lesson10-stops-notice"));
    Ok(())
}

/// A robot of the demo's own, on its own port, with its own idle limit and its own shutdown.
struct Robot {
    addr: SocketAddr,
    shutdown: ShutdownSignal,
    serving: BoundedThread<io::Result<()>>,
}

impl Robot {
    fn start(idle: Duration) -> io::Result<Robot> {
        let shutdown = ShutdownSignal::new();
        let server = Server::bind((Ipv4Addr::LOCALHOST, 0).into(), shutdown.clone())?;
        let addr = server.local_addr()?;
        let serving = BoundedThread::spawn("robot", move || menu_robot::serve(server, idle))?;
        Ok(Robot {
            addr,
            shutdown,
            serving,
        })
    }

    /// Stops it, as Ctrl-C would, and waits (boundedly) for it to finish.
    fn stop(self) -> io::Result<()> {
        self.shutdown.trigger();
        self.serving.join_within(PATIENCE)?
    }
}

/// A scripted caller: a framed connection of the scenario engine's ([`Conn`]), which records
/// every write and read in the part's log for the page's drawing, and narrates what it says and
/// hears, checking that what it hears is what the robot's menu says. Every wait is bounded.
struct Caller {
    /// `caller A` (`来电者 A`).
    name: String,
    phone: Conn,
    transcript: Transcript,
}

impl Caller {
    /// Caller `name` ("A", "B", ...) calls the robot at `addr`; its acts go to `log`.
    fn connect(demo: &Demo, name: &str, addr: SocketAddr, log: &Recorder) -> io::Result<Caller> {
        demo.inside_a_part("connects a caller")?;
        let target = Target {
            addr,
            protocol: Protocol::Robot,
            patience: PATIENCE,
        };
        let phone = Conn::open(&target, name, log).map_err(io::Error::other)?;
        let caller = Caller {
            name: t!("demo-lesson10-caller", name = name),
            phone,
            transcript: demo.transcript.clone(),
        };
        caller.narrate(&t!("demo-lesson10-calls"), "10086");
        Ok(caller)
    }

    fn narrate(&self, what: &str, detail: &str) {
        self.transcript.narrate(&self.name, what, detail);
    }

    /// Sends `text` as one frame.
    fn says(&mut self, text: &str) -> io::Result<()> {
        robot::say(&mut self.phone, text.as_bytes()).map_err(io::Error::other)?;
        self.narrate(&t!("demo-lesson10-says"), text);
        Ok(())
    }

    /// Reads one reply frame, which must be `lines` and keep the call going.
    fn hears(&mut self, lines: &[&str]) -> io::Result<()> {
        self.hear(lines, false)
    }

    /// Reads one reply frame, which must be `line` and hang up; then the robot's end of stream.
    fn hears_last(&mut self, line: &str) -> io::Result<()> {
        self.hear(&[line], true)?;
        match self.phone.wait_for_end().map_err(io::Error::other)? {
            End::EndOfStream => {
                self.narrate(&t!("demo-lesson10-sees"), &t!("demo-lesson10-hung-up"))
            }
            end => return Err(io::Error::other(format!("expected a hang-up, got {end:?}"))),
        }
        Ok(())
    }

    fn hear(&mut self, lines: &[&str], hang_up: bool) -> io::Result<()> {
        let reply = robot::hear(&mut self.phone)
            .map_err(|why| io::Error::other(format!("{}: {why}", self.name)))?;
        let expected: String = lines.iter().map(|line| format!("{line}\n")).collect();
        if reply.text != expected || reply.hang_up != hang_up {
            return Err(io::Error::other(format!(
                "{} expected {expected:?} (hang_up: {hang_up}), but heard {:?} (hang_up: {})",
                self.name, reply.text, reply.hang_up
            )));
        }
        for (i, line) in lines.iter().enumerate() {
            let what = if i == 0 {
                t!("demo-lesson10-hears")
            } else {
                String::new()
            };
            self.narrate(&what, line);
        }
        Ok(())
    }
}
