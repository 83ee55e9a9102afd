//! The course map as data: one [`Lesson`] per stage, in order.
//!
//! The command line, the demo runner and the tests all read this table. Adding a stage means its
//! file in `src/lessons/` (and a line in `lessons/mod.rs`), its demo script in `src/demo/`, one
//! entry here, a short `src/bin/lessonN.rs`, and its chapter in `lessons/` (a test insists).

use std::io::{self, BufRead, Write};
use std::net::SocketAddr;

use crate::commands::Commands;
use crate::demo::{Demo, scripts, sticky};
use crate::lessons::{
    basic, communication_loop, concurrent, connection_loop, fixed_header, sticky_packet,
};
use crate::server::Server;

/// One stage of the course.
pub struct Lesson {
    /// `lessonN`; the default port is `8000 + N`.
    pub number: u16,
    /// What the stage is called in English ("communication loop").
    pub title: &'static str,
    /// The tutorial step it mirrors, in the tutorial's words ("加入通信循环").
    pub tutorial_step: &'static str,
    /// One sentence for `--help`.
    pub about: &'static str,
    pub server: Serve,
    /// The matching client: reads messages from `input`, prints replies to `output`.
    pub client: fn(SocketAddr, &mut dyn BufRead, &mut dyn Write) -> io::Result<()>,
    /// The scripted demo that `lessonN` with no arguments plays.
    pub demo: fn(&mut Demo) -> io::Result<()>,
}

/// How a stage's server is started: the echo stages need only the listening socket; the command
/// stages also need to know which commands they may run.
#[derive(Clone, Copy)]
pub enum Serve {
    Echo(fn(Server) -> io::Result<()>),
    Commands(fn(Server, Commands) -> io::Result<()>),
}

impl Serve {
    /// Runs the server. `commands` matters only to the command stages.
    pub fn run(self, server: Server, commands: Commands) -> io::Result<()> {
        match self {
            Serve::Echo(serve) => serve(server),
            Serve::Commands(serve) => serve(server, commands),
        }
    }

    /// Whether `server --shell` means anything for this stage.
    pub fn runs_commands(self) -> bool {
        matches!(self, Serve::Commands(_))
    }
}

impl Lesson {
    /// Where this stage listens unless told otherwise: `127.0.0.1:800N`, so that stages can run
    /// side by side. Loopback only: nothing outside this machine can reach a lesson by default.
    pub fn default_addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], 8000 + self.number))
    }

    pub fn bin_name(&self) -> String {
        format!("lesson{}", self.number)
    }
}

/// Every stage, in course order.
pub static LESSONS: [Lesson; 6] = [
    Lesson {
        number: 1,
        title: "the most basic version",
        tutorial_step: "最基础版本",
        about: "Lesson 1: a TCP server that serves one client, one message, then exits.",
        server: Serve::Echo(basic::serve),
        client: basic::client,
        demo: scripts::lesson1,
    },
    Lesson {
        number: 2,
        title: "the connection loop",
        tutorial_step: "加入链接循环",
        about: "Lesson 2: the server loops around accept, serving one message per connection.",
        server: Serve::Echo(connection_loop::serve),
        client: connection_loop::client,
        demo: scripts::lesson2,
    },
    Lesson {
        number: 3,
        title: "the communication loop",
        tutorial_step: "加入通信循环",
        about: "Lesson 3: the server loops around recv, serving one client at a time for as long as it stays.",
        server: Serve::Echo(communication_loop::serve),
        client: communication_loop::client,
        demo: scripts::lesson3,
    },
    Lesson {
        number: 4,
        title: "concurrency",
        tutorial_step: "支持并发",
        about: "Lesson 4: one thread per client, so every client is served at the same time.",
        server: Serve::Echo(concurrent::serve),
        client: concurrent::client,
        demo: scripts::lesson4,
    },
    Lesson {
        number: 5,
        title: "the sticky-packet problem",
        tutorial_step: "粘包现象",
        about: "Lesson 5: a remote-command server that trusts one recv to be one message, and the sticky packets (粘包) that follow.",
        server: Serve::Commands(sticky_packet::serve),
        client: sticky_packet::client,
        demo: sticky::lesson5,
    },
    Lesson {
        number: 6,
        title: "the fixed header",
        tutorial_step: "解决粘包: 初级版 → 终极版",
        about: "Lesson 6: every message framed by a fixed-size header (报头: length, md5), so sticky packets cannot happen.",
        server: Serve::Commands(fixed_header::serve),
        client: fixed_header::client,
        demo: sticky::lesson6,
    },
];

/// The stage numbered `number`. Panics on a number that is not in the course: the binaries pass
/// constants, and a typo there should fail loudly at the first run.
pub fn lesson(number: u16) -> &'static Lesson {
    LESSONS
        .iter()
        .find(|lesson| lesson.number == number)
        .unwrap_or_else(|| panic!("there is no lesson{number} in the course"))
}
