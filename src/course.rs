//! The course map as data: one [`Lesson`] per stage, in order.
//!
//! The command line, the demo runner, the tests and every table of the course in the docs read
//! this one table (a test checks the tables against it). Adding a stage means its file in
//! `src/lessons/` (and a line in `lessons/mod.rs`), one entry here, its demo script in the
//! tools crate (`tools/src/demo/`, listed in `demo::script_for`), a short
//! `tools/src/bin/lessonN.rs`, and its chapter in `lessons/` (a test insists). This crate knows
//! nothing of the demos: they look the stage up here, never the other way round.
//!
//! A stage is described by what it has (the parts are defined in [`crate::stage`]), not by
//! special cases elsewhere: a TCP or a UDP server or none; a client that sends lines (with
//! commands of its own or not), or one that prints while the user types; the typed flags each
//! takes; and the stage it builds on, which is the file to `diff` it with.
//!
//! A side's flags are a clap `Args` struct. Those that configure a shared part live with it
//! (`--shell` in `commands`, `--root` in `files`, the guard's in `guard`, the socket options in
//! `sockopts`); those that belong to one stage only (`--wire`, `--timeout`, `--name`, lesson
//! 10's `--idle`) are declared here, after the table.

use std::io::{self, Read as _};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;

use crate::commands::ShellFlag;
use crate::endpoint::Endpoint;
use crate::files::{self, FileCommand, FileServerFlags};
use crate::flags::{self, Seconds};
use crate::frame::tutorial::Wire;
use crate::guard::{Guard, GuardFlags};
use crate::interop;
use crate::lessons::{
    basic, chat_room, communication_loop, concurrent, connection_loop, event_loop, file_transfer,
    fixed_header, menu_robot, socket_options, sticky_packet, thread_pool, udp,
};
use crate::sockopts::{ListenFlags, Listening, NodelayFlag, UnixFlag};
use crate::stage::{
    ClientFlags, ClientKind, DuplexClient, LineClient, NoFlags, ServerFlags, ServerKind, Tcp, Udp,
};

/// One stage of the course.
pub struct Lesson {
    /// `lessonN`; the default port is `8000 + N`.
    pub number: u16,
    /// What the stage is called in English ("communication loop").
    pub title: &'static str,
    /// The tutorial step it mirrors, in the tutorial's words ("加入通信循环").
    pub tutorial_step: &'static str,
    /// The stage's file, the page students read.
    pub source: &'static str,
    /// Its chapter, in `lessons/`.
    pub chapter: &'static str,
    /// The stage whose code this one repeats and changes by one idea: `diff` the two files.
    pub builds_on: Option<u16>,
    /// The one new idea, in a few words (a column of the course map).
    pub idea: &'static str,
    /// What is still broken: the hook for the next stage (a column of the course map).
    pub still_broken: &'static str,
    /// One sentence for `--help`.
    pub about: &'static str,
    /// Its server, with the flags `lessonN server` takes beyond `--addr`.
    pub server: ServerKind,
    /// Its client, with the flags `lessonN client` takes beyond `--addr`.
    pub client: ClientKind,
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

    /// The stage this one builds on, from the table.
    pub fn previous(&self) -> Option<&'static Lesson> {
        self.builds_on.map(lesson)
    }
}

/// Every stage, in course order.
pub static LESSONS: [Lesson; 13] = [
    Lesson {
        number: 1,
        title: "the most basic version",
        tutorial_step: "最基础版本",
        source: "src/lessons/basic.rs",
        chapter: "01-basic.md",
        builds_on: None,
        idea: "socket → bind → listen → accept → recv → send → close",
        still_broken: "serves one client once, then exits",
        about: "Lesson 1: a TCP server that serves one client, one message, then exits.",
        server: ServerKind::Tcp(&Tcp::<NoFlags>(|server, ()| basic::serve(server))),
        client: ClientKind::Lines(&LineClient::<NoFlags>(|addr, _, lines, output| {
            basic::client(addr, lines, output)
        })),
    },
    Lesson {
        number: 2,
        title: "the connection loop",
        tutorial_step: "加入链接循环",
        source: "src/lessons/connection_loop.rs",
        chapter: "02-connection-loop.md",
        builds_on: Some(1),
        idea: "a loop around `accept`",
        still_broken: "one message per connection",
        about: "Lesson 2: the server loops around accept, serving one message per connection.",
        server: ServerKind::Tcp(&Tcp::<NoFlags>(|server, ()| connection_loop::serve(server))),
        client: ClientKind::Lines(&LineClient::<NoFlags>(|addr, _, lines, output| {
            connection_loop::client(addr, lines, output)
        })),
    },
    Lesson {
        number: 3,
        title: "the communication loop",
        tutorial_step: "加入通信循环",
        source: "src/lessons/communication_loop.rs",
        chapter: "03-communication-loop.md",
        builds_on: Some(2),
        idea: "a loop around `recv`; 0 bytes = peer closed; a reset ends one client, not the server",
        still_broken: "one client at a time; the next waits in the backlog (半连接池)",
        about: "Lesson 3: the server loops around recv, serving one client at a time for as long as it stays.",
        server: ServerKind::Tcp(&Tcp::<NoFlags>(|server, ()| {
            communication_loop::serve(server)
        })),
        client: ClientKind::Lines(&LineClient::<NoFlags>(|addr, _, lines, output| {
            communication_loop::client(addr, lines, output)
        })),
    },
    Lesson {
        number: 4,
        title: "concurrency",
        tutorial_step: "支持并发",
        source: "src/lessons/concurrent.rs",
        chapter: "04-concurrent.md",
        builds_on: Some(3),
        idea: "one `std::thread` per connection",
        still_broken: "message boundaries are assumed, not real",
        about: "Lesson 4: one thread per client, so every client is served at the same time.",
        server: ServerKind::Tcp(&Tcp::<NoFlags>(|server, ()| concurrent::serve(server))),
        client: ClientKind::Lines(&LineClient::<NoFlags>(|addr, _, lines, output| {
            concurrent::client(addr, lines, output)
        })),
    },
    Lesson {
        number: 5,
        title: "the sticky-packet problem",
        tutorial_step: "粘包现象",
        source: "src/lessons/sticky_packet.rs",
        chapter: "05-sticky-packet.md",
        builds_on: Some(4),
        idea: "a remote-command service that trusts one `recv(1024)` = one message",
        still_broken: "replies spill into the next read; requests glue together (粘包)",
        about: "Lesson 5: a remote-command server that trusts one recv to be one message: sticky packets (粘包).",
        server: ServerKind::Tcp(&Tcp::<ShellFlag>(|server, shell| {
            let commands = shell.commands(server.shutdown())?;
            sticky_packet::serve(server, commands)
        })),
        client: ClientKind::Lines(&LineClient::<NoFlags>(|addr, _, lines, output| {
            sticky_packet::client(addr, lines, output)
        })),
    },
    Lesson {
        number: 6,
        title: "the fixed header",
        tutorial_step: "解决粘包: 初级版 → 终极版",
        source: "src/lessons/fixed_header.rs",
        chapter: "06-fixed-header.md",
        builds_on: Some(5),
        idea: "every message framed: u32 big-endian header length, JSON header (报头: `total_size`, `md5`), body",
        still_broken: "— the cure; later lessons build on its frame (`src/frame/`)",
        about: "Lesson 6: every message framed by a fixed-size header (报头), so sticky packets cannot happen.",
        server: ServerKind::Tcp(&Tcp::<FixedHeaderServer>(|server, flags| {
            let commands = flags.shell.commands(server.shutdown())?;
            match flags.wire.wire {
                Wire::Framed => fixed_header::serve(server, commands),
                // The tutorial's own servers are lesson 5's loop (one recv(1024) is one command,
                // still sticky) with a header put in front of each reply.
                wire => sticky_packet::serve(server, commands.replying_in(wire)),
            }
        })),
        client: ClientKind::Lines(&LineClient::<WireFlag>(
            |addr, flags, lines, output| match flags.wire {
                Wire::Framed => fixed_header::client(addr, lines, output),
                wire => interop::client(addr, wire, lines, output),
            },
        )),
    },
    Lesson {
        number: 7,
        title: "UDP",
        tutorial_step: "基于UDP的套接字",
        source: "src/lessons/udp.rs",
        chapter: "07-udp.md",
        builds_on: Some(3),
        idea: "datagrams: one socket, `recv_from` / `send_to`, no `listen`, no `accept`; boundaries are kept, and an empty datagram is a message",
        still_broken: "datagrams can be cut short, lost, duplicated or reordered, and nothing retries",
        about: "Lesson 7: a UDP echo server: each datagram arrives whole and alone (no 粘包), or not at all.",
        server: ServerKind::Udp(&Udp::<NoFlags>(|server, ()| {
            udp::serve(server);
            Ok(())
        })),
        client: ClientKind::Lines(&LineClient::<ReplyTimeout>(|addr, flags, lines, output| {
            udp::client(udp::dial(addr, flags.timeout.duration())?, lines, output)
        })),
    },
    Lesson {
        number: 8,
        title: "file transfer",
        tutorial_step: "TCP下载文件 / 上传",
        source: "src/lessons/file_transfer.rs",
        chapter: "08-file-transfer.md",
        builds_on: Some(6),
        idea: "the body is a file: streamed to disk, md5-checked, renamed only when whole; names confined to `--root`",
        still_broken: "the md5 comes before the body, so a sender reads each file twice",
        about: "Lesson 8: get, put and list files over lesson 6's frame: streamed, md5-checked, atomic, confined to --root.",
        server: ServerKind::Tcp(&Tcp::<FileServerFlags>(|server, root| {
            log::info!("serving the files in {}", root.path().display());
            file_transfer::serve(server, root)
        })),
        client: ClientKind::Lines(&LineClient::<FileClient>(
            |addr, flags, lines, output| match flags.command {
                Some(command) => Ok(file_transfer::run(
                    &mut TcpStream::connect(addr)?,
                    command,
                    output,
                )?),
                None => file_transfer::client(addr, lines, output),
            },
        )),
    },
    Lesson {
        number: 9,
        title: "the chat room",
        tutorial_step: "TCP 聊天室",
        source: "src/lessons/chat_room.rs",
        chapter: "09-chat-room.md",
        builds_on: Some(4),
        idea: "members talk to each other: one line = one message (a delimiter); each member has a bounded queue and a writer: a talker faster than its readers is slowed, and only a member who stops reading is dropped",
        still_broken: "two threads per member; anybody can take any free name",
        about: "Lesson 9: a chat room: each line a member sends reaches every other member, and one who stops reading cannot stall the room.",
        server: ServerKind::Tcp(&Tcp::<NoFlags>(|server, ()| chat_room::serve(server))),
        client: ClientKind::Duplex(&DuplexClient::<ChatName>(|addr, flags, input, output| {
            // `--name NAME` is NAME typed as the first line.
            let name = flags.name.map(|name| format!("{name}\n"));
            let typed = io::Cursor::new(name.unwrap_or_default()).chain(input);
            chat_room::client(addr, Box::new(typed), output)
        })),
    },
    Lesson {
        number: 10,
        title: "the 10086 menu robot",
        tutorial_step: "实例: 智能机器人",
        source: "src/lessons/menu_robot.rs",
        chapter: "10-menu-robot.md",
        builds_on: Some(6),
        idea: "a conversation with state and a clock: the server speaks first, a menu per caller (`src/menu.rs`), an idle caller is hung up on, the client gives up on a silent server",
        still_broken: "a caller dribbling bytes is never \"silent\"; the client shows a goodbye said while you type only at your next Enter",
        about: "Lesson 10: the 10086 menu robot: the server speaks first, keeps each caller's place in its menu, and keeps time.",
        server: ServerKind::Tcp(&Tcp::<RobotIdle>(|server, flags| {
            menu_robot::serve(server, flags.idle.duration())
        })),
        client: ClientKind::Lines(&LineClient::<RobotTimeout>(|addr, flags, lines, output| {
            menu_robot::client(addr, flags.timeout.duration(), lines, output)
        })),
    },
    Lesson {
        number: 11,
        title: "socket options",
        tutorial_step: "套接字选项, 半连接池, 超时",
        source: "src/lessons/socket_options.rs",
        chapter: "11-socket-options.md",
        builds_on: Some(4),
        idea: "the options behind the happy path (SO_REUSEADDR, backlog, timeouts, TCP_NODELAY, SO_LINGER, IPv6, AF_UNIX), and a server that protects itself: a client cap, idle and write timeouts",
        still_broken: "a thread per client: the cap is what this machine can hold, not what one event loop could serve",
        about: "Lesson 11: socket options made visible, and lesson 4's echo with a client cap and idle and write timeouts.",
        server: ServerKind::Tcp(&Tcp::<GuardedServer>(|server, (guard, nodelay)| {
            socket_options::serve(server, guard, nodelay.nodelay)
        })),
        client: ClientKind::Lines(&LineClient::<SocketOptionsClient>(
            |addr, flags, lines, output| {
                let to = match flags.unix.path {
                    Some(path) => Endpoint::Unix(path),
                    None => Endpoint::Ip(addr),
                };
                let (nodelay, timeout) = (flags.nodelay.nodelay, flags.timeout.timeout);
                socket_options::client(&to, nodelay, timeout.duration(), lines, output)
            },
        )),
    },
    Lesson {
        number: 12,
        title: "the thread pool",
        tutorial_step: "线程池",
        source: "src/lessons/thread_pool.rs",
        chapter: "12-thread-pool.md",
        builds_on: Some(4),
        idea: "a fixed pool of worker threads fed by a bounded queue (`--workers`, `--queue`); a client beyond it is told `busy`, as by lesson 11's cap",
        still_broken: "a worker serves one client for as long as it stays: N idle clients hold every worker, and the next waits unanswered (head-of-line blocking, 队头阻塞)",
        about: "Lesson 12: a fixed pool of worker threads and a bounded queue: a flood costs no thread each, but N idle clients stall the rest.",
        server: ServerKind::Tcp(&Tcp::<PoolFlags>(|server, pool| {
            thread_pool::serve(server, pool.workers, pool.queue)
        })),
        client: ClientKind::Lines(&LineClient::<NoFlags>(|addr, _, lines, output| {
            thread_pool::client(addr, lines, output)
        })),
    },
    Lesson {
        number: 13,
        title: "one thread, many sockets",
        tutorial_step: "I/O 多路复用",
        source: "src/lessons/event_loop.rs",
        chapter: "13-event-loop.md",
        builds_on: Some(4),
        idea: "nonblocking sockets and a readiness loop (mio: `epoll`, `kqueue`): one thread reads whatever is ready, keeps each client's unwritten replies, and hears Ctrl-C through a waker",
        still_broken: "one thread does everything in turn: one slow handler stalls every client, and the loop uses one CPU core",
        about: "Lesson 13: one thread serves every client: nonblocking sockets, a readiness loop (mio), and per-client buffers for replies not yet written.",
        server: ServerKind::Tcp(&Tcp::<NoFlags>(|server, ()| event_loop::serve(server))),
        client: ClientKind::Lines(&LineClient::<NoFlags>(|addr, _, lines, output| {
            event_loop::client(addr, lines, output)
        })),
    },
];

// The flags that belong to one stage. Each is a clap `Args` struct; its doc comments are its
// `--help`, and its `default_value` is the one place its default is written.

/// `lesson6 server`: the command service's `--shell`, and the wire it speaks.
#[derive(clap::Args)]
struct FixedHeaderServer {
    #[command(flatten)]
    shell: ShellFlag,
    #[command(flatten)]
    wire: WireFlag,
}

impl ServerFlags for FixedHeaderServer {
    type Prepared = FixedHeaderServer;

    fn prepare(self, notes: &mut Vec<String>) -> Result<FixedHeaderServer, String> {
        Ok(FixedHeaderServer {
            shell: self.shell.prepare(notes)?,
            wire: self.wire,
        })
    }
}

/// `--wire`: lesson 6 can speak the tutorial's own wire too, so its Python programs can talk to
/// our server and our client to its server.
#[derive(clap::Args)]
struct WireFlag {
    /// framed (ours: every message framed), tutorial (the tutorial's 终极版: bare requests,
    /// struct.pack('i') header length, JSON header) or tutorial-basic (its 初级版: bare
    /// requests, struct.pack('i') body length)
    #[arg(long, value_name = "WIRE", default_value = "framed", value_parser = str::parse::<Wire>)]
    wire: Wire,
}

impl ClientFlags for WireFlag {
    fn wire(&self) -> Option<Wire> {
        Some(self.wire)
    }
}

/// `--timeout`: lesson 7's client (and lesson 11's) waits this long for each reply: a datagram
/// can be lost, and nothing resends it, so waiting forever would hang the client.
#[derive(clap::Args)]
struct ReplyTimeout {
    /// How long to wait for each reply, in seconds (0.5 is fine); then the client gives up on it
    #[arg(
        long,
        value_name = "SECS",
        default_value = "2",
        allow_negative_numbers = true
    )]
    timeout: Seconds,
}

impl ClientFlags for ReplyTimeout {
    fn timeout(&self) -> Option<Seconds> {
        Some(self.timeout)
    }
}

/// `lesson8 client`: its commands (`get NAME`, `put PATH`, `list`); without one, it reads them
/// typed, a line each.
#[derive(clap::Args)]
struct FileClient {
    #[command(subcommand)]
    command: Option<FileCommand>,
}

impl ClientFlags for FileClient {
    /// A download in progress writes a hidden temporary file, which Ctrl-C must not leave behind.
    fn on_interrupt(&self) -> Option<fn() -> Vec<std::path::PathBuf>> {
        Some(files::remove_unfinished)
    }
}

/// `--name`: lesson 9's client joins the room under this name.
#[derive(clap::Args)]
struct ChatName {
    /// Join the room as NAME (1 to 16 letters or digits); without it, the first line you type
    /// is your name
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
}

impl ClientFlags for ChatName {}

/// `--idle`: lesson 10's robot hangs up on a caller who has said nothing for this long.
#[derive(clap::Args)]
struct RobotIdle {
    /// Hang up on a caller who has said nothing for this long, in seconds (0.5 is fine)
    #[arg(
        long,
        value_name = "SECS",
        default_value = "60",
        allow_negative_numbers = true
    )]
    idle: Seconds,
}

impl ServerFlags for RobotIdle {
    type Prepared = RobotIdle;

    fn prepare(self, _: &mut Vec<String>) -> Result<RobotIdle, String> {
        Ok(self)
    }
}

/// `--timeout`: lesson 10's client waits this long for the robot to speak (the tutorial's
/// settimeout(5)).
#[derive(clap::Args)]
struct RobotTimeout {
    /// How long to wait for the robot to speak, in seconds (0.5 is fine); then the client gives
    /// up
    #[arg(
        long,
        value_name = "SECS",
        default_value = "5",
        allow_negative_numbers = true
    )]
    timeout: Seconds,
}

impl ClientFlags for RobotTimeout {
    fn timeout(&self) -> Option<Seconds> {
        Some(self.timeout)
    }
}

/// `lesson11 server`: how it listens, its guard, and `--nodelay`.
#[derive(clap::Args)]
struct GuardedServer {
    #[command(flatten)]
    listen: ListenFlags,
    #[command(flatten)]
    guard: GuardFlags,
    #[command(flatten)]
    nodelay: NodelayFlag,
}

/// The guard is made before the server listens, its cap checked against what this process can
/// hold with lesson 11's client threads.
impl ServerFlags for GuardedServer {
    type Prepared = (Guard, NodelayFlag);

    fn listening(&self) -> Listening {
        self.listen.listening()
    }

    fn prepare(self, notes: &mut Vec<String>) -> Result<(Guard, NodelayFlag), String> {
        let guard = self
            .guard
            .guard(socket_options::CLIENT_THREAD_STACK, notes)?;
        Ok((guard, self.nodelay))
    }
}

/// `lesson12 server`: how many workers, and how many clients may wait for one.
#[derive(clap::Args)]
struct PoolFlags {
    /// Serve on N worker threads, started with the server; a client holds one for as long as it
    /// stays connected
    #[arg(
        long,
        value_name = "N",
        default_value_t = 4,
        value_parser = flags::count::<usize, 1, 1024>,
        allow_negative_numbers = true
    )]
    workers: usize,

    /// Let N more clients wait for a free worker; the next is told the server is busy, and
    /// closed (0: nobody waits)
    #[arg(
        long,
        value_name = "N",
        default_value_t = 16,
        value_parser = flags::count::<usize, 0, 1_000_000>,
        allow_negative_numbers = true
    )]
    queue: usize,
}

impl ServerFlags for PoolFlags {
    type Prepared = PoolFlags;

    fn prepare(self, _: &mut Vec<String>) -> Result<PoolFlags, String> {
        Ok(self)
    }
}

/// `lesson11 client`: where it connects, `--nodelay`, and how long it waits for a reply.
#[derive(clap::Args)]
struct SocketOptionsClient {
    #[command(flatten)]
    unix: UnixFlag,
    #[command(flatten)]
    nodelay: NodelayFlag,
    #[command(flatten)]
    timeout: ReplyTimeout,
}

impl ClientFlags for SocketOptionsClient {
    fn unix(&self) -> Option<PathBuf> {
        self.unix.path.clone()
    }

    fn timeout(&self) -> Option<Seconds> {
        self.timeout.timeout()
    }
}

/// The stage numbered `number`. Panics on a number that is not in the course: the binaries pass
/// constants, and a typo there should fail loudly at the first run.
pub fn lesson(number: u16) -> &'static Lesson {
    LESSONS
        .iter()
        .find(|lesson| lesson.number == number)
        .unwrap_or_else(|| panic!("there is no lesson{number} in the course"))
}

/// The course map as a Markdown table: the one source of every copy of it in the docs (a test
/// checks each against this). `chapters` is the path from the document to `lessons/`.
pub fn map_markdown(chapters: &str) -> String {
    let mut table = String::from(
        "| run | chapter | stage (`src/lessons/`) | tutorial step | the one new idea | what is still broken |\n\
         |---|---|---|---|---|---|\n",
    );
    for lesson in &LESSONS {
        let file = lesson.source.trim_start_matches("src/lessons/");
        let mut title = lesson.title.to_string();
        if let Some(first) = title.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        table.push_str(&format!(
            "| `{}` | [{title}]({chapters}{}) | `{file}` | {} | {} | {} |\n",
            lesson.bin_name(),
            lesson.chapter,
            lesson.tutorial_step,
            lesson.idea,
            lesson.still_broken
        ));
    }
    table
}

/// What `cargo run` with no `--bin` prints: the stages, and how to start.
pub fn overview() -> String {
    let mut text = format!("{}\n\n", crate::t!("course-map-heading"));
    for lesson in &LESSONS {
        let title = crate::t!(
            "course-map-lesson",
            title = lesson.title,
            step = lesson.tutorial_step
        );
        text.push_str(&format!("  {:<9} {title}\n", lesson.bin_name()));
    }
    let first = LESSONS[0].bin_name();
    text.push_str(&format!(
        "\n{}\n{}\n\x20   cargo run --bin {first} -- server\n\x20   cargo run --bin {first} -- client\n{}\n",
        crate::t!("course-map-start", first = first.as_str()),
        crate::t!("course-map-then"),
        crate::t!("course-map-chapters"),
    ));
    text
}
