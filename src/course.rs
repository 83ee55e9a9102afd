//! The course map as data: one [`Lesson`] per stage, in order.
//!
//! The command line, the demo runner and the tests all read this table, so adding a stage means
//! writing its file in `src/lessons/`, its demo script, and one entry here.

use std::io::{self, BufRead, Write};
use std::net::SocketAddr;

use crate::demo::{Demo, scripts};
use crate::lessons::{basic, communication_loop, concurrent, connection_loop};
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

/// How a stage's server is started: the echo stages need only the listening socket.
#[derive(Clone, Copy)]
pub enum Serve {
    Echo(fn(Server) -> io::Result<()>),
}

impl Serve {
    pub fn run(self, server: Server) -> io::Result<()> {
        match self {
            Serve::Echo(serve) => serve(server),
        }
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
pub static LESSONS: [Lesson; 4] = [
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
];

/// The stage numbered `number`. Panics on a number that is not in the course: the binaries pass
/// constants, and a typo there should fail loudly at the first run.
pub fn lesson(number: u16) -> &'static Lesson {
    LESSONS
        .iter()
        .find(|lesson| lesson.number == number)
        .unwrap_or_else(|| panic!("there is no lesson{number} in the course"))
}
