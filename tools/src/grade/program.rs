//! The cases that need the program itself, not only an address: group 6, the program's *client*
//! against the course's own server, and group 7, checks of the server's process (its exit, its
//! standard error, its CPU time, the flags of lesson 11's guard).
//!
//! Only a runner that starts the program can play them: the exercise runner (`learn`), through
//! [`Program`]. `grade --addr` has no program to start, so it leaves them out.
//!
//! Each case is still an experiment and a judge: the sockets are the engine's recording
//! connections where the case opens any, so a failure can be drawn like any other; a client's
//! run is judged by what it printed, its exit, and what the course's server saw.

use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use socket_lessons::course;
use socket_lessons::server::Server;
use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons::stage::ServerKind;

use super::{Outcome, Said, Target, Verdict};
use crate::probe::{A_MOMENT, BoundedThread, PATIENCE};
use crate::scenario::hostile::{self, Exchange};
use crate::scenario::wire::{request_and_reply, secs, seq_output, shown};
use crate::scenario::{Conn, Protocol, Recorder, Run};

/// A program under test, as the runner that started it offers it.
pub trait Program {
    /// The server started by the run contract for the exercise's cases.
    fn target(&self) -> Target;
    /// The process id of that server (the leader of its own process group).
    fn pid(&self) -> Option<u32>;
    /// Everything every server process of this check wrote on standard error so far.
    fn stderr(&self) -> String;
    /// A server process of its own, started with `args` added to the exercise's own.
    fn start(&self, args: &[&str]) -> Result<Box<dyn Process>, String>;
    /// The program's client against `addr`, fed `input` (then its standard input closed), in
    /// folder `dir`, run to its end within `within` (stopped then).
    fn client(
        &self,
        addr: SocketAddr,
        input: &[u8],
        dir: &Path,
        within: Duration,
    ) -> Result<ClientRun, String>;
    /// A new, empty folder of the runner's, removed when the check ends.
    fn scratch(&self, what: &str) -> Result<PathBuf, String>;
}

/// A server process a case started.
pub trait Process {
    fn target(&self) -> Target;
    /// Waits at most `within` for the process to exit: `Some(success)`, or `None` if it runs on.
    fn exited_within(&self, within: Duration) -> Option<bool>;
}

/// How a client's run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRun {
    /// Its exit code, `None` when it was stopped (it ran too long) or killed by a signal.
    pub code: Option<i32>,
    /// Whether it had to be stopped: it did not end within its time.
    pub stopped: bool,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// How a program case is run.
pub type ProgramRun = fn(&dyn Program) -> Outcome;

// =============================================================================================
// 6 client: the program's client against the course's own server
// =============================================================================================

/// The course's own server of `lesson`, on `127.0.0.1:0`, serving on a thread of this process
/// until dropped (lesson 1's serves one client and ends by itself).
pub struct CourseServer {
    pub addr: SocketAddr,
    shutdown: ShutdownSignal,
    thread: Option<BoundedThread<std::io::Result<()>>>,
}

impl CourseServer {
    /// Starts lesson `number`'s server, with `flags` as they would follow `lessonN server` on a
    /// command line (`["--root", DIR]`), read by the same parser.
    pub fn start(number: u16, flags: &[&str]) -> Result<CourseServer, Said> {
        let lesson = course::lesson(number);
        let flags: Vec<&OsStr> = flags.iter().map(OsStr::new).collect();
        let shutdown = ShutdownSignal::new();
        let local = SocketAddr::from(([127, 0, 0, 1], 0));
        let cannot = |e: std::io::Error| {
            crate::said!(
                "grade-program-course-server-failed",
                number = number.to_string(),
                error = e.to_string()
            )
        };
        let (addr, thread) = match lesson.server {
            ServerKind::Tcp(part) => {
                let ready = part.ready_from(&flags)?;
                let server = Server::bind(local, shutdown.clone()).map_err(cannot)?;
                let addr = server.local_addr().map_err(cannot)?;
                let thread = BoundedThread::spawn("course server", move || ready.serve(server))
                    .map_err(cannot)?;
                (addr, thread)
            }
            ServerKind::Udp(part) => {
                let ready = part.ready_from(&flags)?;
                let server = socket_lessons::datagram::UdpServer::bind(local, shutdown.clone())
                    .map_err(cannot)?;
                let addr = server.local_addr().map_err(cannot)?;
                let thread = BoundedThread::spawn("course server", move || ready.serve(server))
                    .map_err(cannot)?;
                (addr, thread)
            }
            ServerKind::None => {
                return Err(crate::said!(
                    "grade-program-no-course-server",
                    number = number.to_string()
                ));
            }
        };
        Ok(CourseServer {
            addr,
            shutdown,
            thread: Some(thread),
        })
    }
}

impl Drop for CourseServer {
    fn drop(&mut self) {
        self.shutdown.trigger();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join_within(PATIENCE);
        }
    }
}

/// A client case: the program's client against `addr`, fed `input` in folder `dir`; `judge`
/// gets its run and says what it saw, or what was wrong.
fn client_case(
    program: &dyn Program,
    addr: SocketAddr,
    input: &[u8],
    dir: &Path,
    expected: &Said,
    judge: impl FnOnce(&ClientRun) -> Result<Said, Said>,
) -> Outcome {
    let typed = |what: Said| crate::said!("grade-program-typed", input = shown(input), what = what);
    let patience = program.target().patience;
    match program.client(addr, input, dir, patience) {
        Err(why) => Outcome::fail(expected, why),
        Ok(run) if run.stopped => Outcome::fail(
            expected,
            typed(crate::said!(
                "grade-program-client-not-ended",
                secs = secs(patience),
                printed = shown(&run.stdout)
            )),
        ),
        Ok(run) => match judge(&run) {
            Ok(observed) => Outcome::pass(expected, typed(observed)),
            Err(observed) => {
                let mut outcome = Outcome::fail(expected, typed(observed));
                if let Some(line) = String::from_utf8_lossy(&run.stderr).lines().next() {
                    outcome.observed = outcome.observed.then(crate::said!(
                        "grade-its-stderr",
                        stderr = shown(line.as_bytes())
                    ));
                }
                outcome
            }
        },
    }
}

/// Judges a client that must print exactly `want` and exit 0.
fn prints_exactly(want: &[u8]) -> impl FnOnce(&ClientRun) -> Result<Said, Said> + '_ {
    move |run| {
        if run.stdout != want {
            return Err(crate::said!(
                "grade-program-it-printed",
                printed = shown(&run.stdout)
            ));
        }
        match run.code {
            Some(0) => Ok(crate::said!("grade-program-printed-exactly")),
            code => Err(crate::said!(
                "grade-program-right-output-but",
                status = format!("{code:?}")
            )),
        }
    }
}

/// Plays a dialog of the program's client with the course's server of `lesson`.
fn dialog(program: &dyn Program, lesson: u16, input: &[u8], want: &[u8]) -> Outcome {
    let expected = crate::said!("grade-program-prints-exactly", want = shown(want));
    let server = match CourseServer::start(lesson, &[]) {
        Ok(server) => server,
        Err(why) => return Outcome::fail(crate::said!("grade-program-course-server"), why),
    };
    let dir = match program.scratch("client") {
        Ok(dir) => dir,
        Err(why) => return Outcome::fail(crate::said!("grade-program-a-folder"), why),
    };
    client_case(
        program,
        server.addr,
        input,
        &dir,
        &expected,
        prints_exactly(want),
    )
}

/// What the lesson of `protocol` replies to `text` as its client prints it.
fn printed_reply(protocol: Protocol, text: &str) -> Vec<u8> {
    match protocol {
        // The command service's reply, and the client's own newline after it.
        Protocol::Commands => [
            request_and_reply(protocol, text.as_bytes()).1,
            b"\n".to_vec(),
        ]
        .concat(),
        Protocol::Framed => request_and_reply(protocol, text.as_bytes()).1,
        _ => [text.to_ascii_uppercase().as_bytes(), b"\n"].concat(),
    }
}

/// The line a student types for `text` in `protocol`'s client.
fn typed(protocol: Protocol, text: &str) -> String {
    match protocol {
        Protocol::Commands | Protocol::Framed => format!("echo {text}\n"),
        _ => format!("{text}\n"),
    }
}

/// The lesson whose course server a client of this exercise talks to.
fn lesson_of(program: &dyn Program) -> u16 {
    match program.target().protocol {
        Protocol::Commands => 5,
        Protocol::Framed => 6,
        Protocol::Udp => 7,
        Protocol::Files => 8,
        Protocol::Chat => 9,
        Protocol::Robot => 10,
        // The echo clients talk to lesson 4's server: it serves each for as long as it stays.
        // (No exercise speaks plain RFC 862: its clients would be lesson 4's too.)
        Protocol::Echo | Protocol::Rfc862 => 4,
    }
}

/// 6.1: the first line is one message, and its one reply printed (lessons 1 and 2).
pub fn first_line(program: &dyn Program) -> Outcome {
    dialog(
        program,
        1,
        "hello, 你好\n".as_bytes(),
        "HELLO, 你好\n".as_bytes(),
    )
}

/// 6.2: each line is one message, each reply printed.
pub fn each_line(program: &dyn Program) -> Outcome {
    dialog(program, 4, b"hello\nstill here\n", b"HELLO\nSTILL HERE\n")
}

/// 6.3: an empty line is skipped, not sent.
pub fn empty_line(program: &dyn Program) -> Outcome {
    let protocol = program.target().protocol;
    let input = format!("{}\n{}", typed(protocol, "a"), typed(protocol, "b"));
    let want = [printed_reply(protocol, "a"), printed_reply(protocol, "b")].concat();
    let mut outcome = dialog(program, lesson_of(program), input.as_bytes(), &want);
    if outcome.observed.contains("had not ended") {
        outcome.hint = Some(crate::said!("grade-hint-hung-after-empty-line"));
    }
    outcome
}

/// 6.4: a line `q` ends the client.
pub fn q_ends(program: &dyn Program) -> Outcome {
    let protocol = program.target().protocol;
    let input = format!("{}q\n{}", typed(protocol, "a"), typed(protocol, "b"));
    dialog(
        program,
        lesson_of(program),
        input.as_bytes(),
        &printed_reply(protocol, "a"),
    )
}

/// 6.5: a server that hangs up ends the client. The server is a stand-in of lesson 2's, serving
/// the one connection the client makes: one read, its echo, and the end.
pub fn server_hangs_up(program: &dyn Program) -> Outcome {
    let expected = crate::said!("grade-program-prints-a-and-ends");
    let listener = match std::net::TcpListener::bind(("127.0.0.1", 0)) {
        Ok(listener) => listener,
        Err(e) => return Outcome::fail(crate::said!("grade-program-stand-in"), e.to_string()),
    };
    let Ok(addr) = listener.local_addr() else {
        return Outcome::fail(
            crate::said!("grade-program-stand-in"),
            crate::said!("grade-program-no-address"),
        );
    };
    let patience = program.target().patience;
    let serving = BoundedThread::spawn("one message, then the end", move || {
        use std::io::{Read, Write};
        let (mut conn, _) = listener.accept()?;
        conn.set_read_timeout(Some(patience))?;
        let mut buf = [0u8; 1024];
        let n = conn.read(&mut buf)?;
        conn.write_all(&buf[..n].to_ascii_uppercase())
    });
    let dir = match program.scratch("client") {
        Ok(dir) => dir,
        Err(why) => return Outcome::fail(crate::said!("grade-program-a-folder"), why),
    };
    let outcome = client_case(program, addr, b"a\nb\nc\n", &dir, &expected, |run| {
        if run.stdout == b"A\n" {
            Ok(crate::said!(
                "grade-program-printed-a-ended",
                status = format!("{:?}", run.code)
            ))
        } else {
            Err(crate::said!(
                "grade-program-printed-end-as-reply",
                printed = shown(&run.stdout)
            ))
        }
    });
    // A client that never connected leaves the stand-in waiting: one connection of ours ends it.
    let _ = std::net::TcpStream::connect(addr);
    if let Ok(thread) = serving {
        let _ = thread.join_within(patience);
    }
    outcome
}

/// 6.6: a reply frame is read whole, however it is cut: the course's lesson 6 server behind
/// the `chaos` proxy, its replies cut into pieces of 1 to 64 bytes.
pub fn reply_cut(program: &dyn Program) -> Outcome {
    let want = [seq_output(1000), b"hi\n".to_vec()].concat();
    let expected = crate::said!(
        "grade-program-seq-then-hi",
        bytes = (want.len() - 3).to_string()
    );
    let server = match CourseServer::start(6, &[]) {
        Ok(server) => server,
        Err(why) => return Outcome::fail(crate::said!("grade-program-course-server"), why),
    };
    let (report, _pieces) = crate::chaos::Report::collecting();
    let args = crate::chaos::Args {
        html: None,
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        to: server.addr,
        up: crate::chaos::spec::Spec::default(),
        // Pieces of at most 64 bytes, 5 ms apart: no read can hold a whole reply of 3,954
        // bytes, so a client that takes one read for a reply fails on every run.
        down: match crate::chaos::spec::Spec::parse("split:random:1-64") {
            Ok(spec) => spec,
            Err(why) => return Outcome::fail(crate::said!("grade-program-the-proxy"), why),
        },
        seed: Some(6),
        json: false,
        quiet: true,
    };
    let proxy = match crate::chaos::Proxy::start(args, 6, report) {
        Ok(proxy) => proxy,
        Err(why) => return Outcome::fail(crate::said!("grade-program-the-proxy"), why),
    };
    let dir = match program.scratch("client") {
        Ok(dir) => dir,
        Err(why) => return Outcome::fail(crate::said!("grade-program-a-folder"), why),
    };
    let mut outcome = client_case(
        program,
        proxy.addr,
        b"seq 1000\necho hi\n",
        &dir,
        &expected,
        |run| {
            if run.stdout == want {
                Ok(crate::said!("grade-program-both-whole-cut"))
            } else {
                Err(crate::said!(
                    "grade-program-bytes-printed",
                    bytes = run.stdout.len().to_string(),
                    printed = shown(&run.stdout)
                ))
            }
        },
    );
    if outcome.verdict == Verdict::Fail {
        outcome.hint = Some(crate::said!("grade-hint-reply-in-many-reads"));
    }
    drop(proxy);
    outcome
}

/// 6.7: an empty reply is a frame, and the next reply follows.
pub fn empty_reply(program: &dyn Program) -> Outcome {
    dialog(program, 6, b"seq 0\necho next\n", b"next\n")
}

/// 6.8: an empty line is an empty datagram, and its empty reply is printed.
pub fn empty_datagram(program: &dyn Program) -> Outcome {
    dialog(program, 7, b"a\n\nb\n", b"A\n\nB\n")
}

/// 6.10 and 6.11: `get NAME` downloads into the client's folder, `put PATH` uploads.
pub fn download_and_upload(program: &dyn Program, upload: bool) -> Outcome {
    let setup = || -> Result<(PathBuf, PathBuf), Said> {
        let root = program.scratch("course-root")?;
        let here = program.scratch("client")?;
        let write = |path: PathBuf, body: &[u8]| {
            std::fs::write(&path, body).map_err(|e| format!("{}: {e}", path.display()))
        };
        write(root.join("a.txt"), b"hello\n")?;
        if upload {
            write(here.join("b.txt"), b"uploaded\n")?;
        }
        Ok((root, here))
    };
    let (root, here) = match setup() {
        Ok(folders) => folders,
        Err(why) => return Outcome::fail(crate::said!("grade-program-the-folders"), why),
    };
    let server = match CourseServer::start(8, &["--root", &root.to_string_lossy()]) {
        Ok(server) => server,
        Err(why) => return Outcome::fail(crate::said!("grade-program-course-server"), why),
    };
    let (input, expected, folder, name, body): (&[u8], _, _, _, &[u8]) = if upload {
        (
            b"put b.txt\n",
            crate::said!("grade-program-put-expected"),
            &root,
            "b.txt",
            b"uploaded\n",
        )
    } else {
        (
            b"get a.txt\n",
            crate::said!("grade-program-get-expected"),
            &here,
            "a.txt",
            b"hello\n",
        )
    };
    let outcome = client_case(program, server.addr, input, &here, &expected, |run| {
        if run.code != Some(0) {
            return Err(crate::said!(
                "grade-program-exit-status",
                status = format!("{:?}", run.code)
            ));
        }
        match std::fs::read(folder.join(name)) {
            Ok(got) if got == body => {}
            Ok(got) => {
                return Err(crate::said!(
                    "grade-program-file-holds",
                    name = name,
                    got = shown(&got)
                ));
            }
            Err(_) => return Err(crate::said!("grade-program-no-file", name = name)),
        }
        let count = std::fs::read_dir(folder).map(Iterator::count).unwrap_or(0);
        let others_allowed = if upload { 2 } else { 1 };
        if count > others_allowed {
            return Err(crate::said!(
                "grade-program-files-more",
                name = name,
                more = (count - 1).to_string()
            ));
        }
        Ok(crate::said!("grade-program-file-whole", name = name))
    });
    drop(server);
    outcome
}

/// 6.16: `exit` ends the call.
pub fn robot_exit(program: &dyn Program) -> Outcome {
    let mut call = socket_lessons::menu::Call::new();
    let want: String = [call.welcome(), call.answer(b"1"), call.answer(b"exit")]
        .iter()
        .map(|reply| reply.text.clone())
        .collect();
    dialog(program, 10, b"1\nexit\nmore\n", want.as_bytes())
}

// =============================================================================================
// 7 program: the server's process
// =============================================================================================

/// 7.1: after its one client, the server exits, with status 0.
pub fn exits_after_one(program: &dyn Program) -> Outcome {
    let expected = crate::said!("grade-program-exits-0");
    let server = match program.start(&[]) {
        Ok(server) => server,
        Err(why) => return Outcome::fail(expected, why),
    };
    let target = server.target();
    let run = hostile::one_exchange(&target, "hello");
    if let Exchange::NotAnswered { why, .. } | Exchange::CannotConnect { why } = &run.finding {
        return Outcome::fail(
            crate::said!("grade-program-one-client-answered"),
            why.clone(),
        )
        .from_run(run);
    }
    let outcome = match server.exited_within(target.patience) {
        Some(true) => Outcome::pass(expected, crate::said!("grade-program-exited-0")),
        Some(false) => Outcome::fail(expected, crate::said!("grade-program-exited-failing")),
        None => Outcome::fail(
            expected,
            crate::said!("grade-program-still-running", secs = secs(target.patience)),
        ),
    };
    outcome.from_run(run)
}

/// 7.2: no thread panicked, in any server process of the check.
pub fn no_panic(program: &dyn Program) -> Outcome {
    let expected = crate::said!("grade-program-no-panic-expected");
    let stderr = program.stderr();
    match stderr.lines().find(|line| line.contains("panicked at")) {
        None => Outcome::pass(expected, crate::said!("grade-program-none")),
        Some(line) => {
            let mut outcome = Outcome::fail(
                expected,
                crate::said!("grade-program-stderr-says", line = shown(line.as_bytes())),
            );
            outcome.hint = Some(crate::said!("grade-hint-a-thread-panicked"));
            outcome
        }
    }
}

/// The CPU time (user and system) of process `pid` so far, from `/proc` (Linux).
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, in parentheses, may hold spaces: count the fields after it.
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf only reads a constant of the system.
    #[cfg(unix)]
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    #[cfg(not(unix))]
    let per_second = 100;
    let per_second = u64::try_from(per_second).ok().filter(|n| *n > 0)?;
    Some(Duration::from_millis(ticks * 1000 / per_second))
}

/// How long 7.3 watches an idle server, and the most CPU time it may use meanwhile.
const IDLE_WATCH: Duration = Duration::from_millis(600);
const IDLE_CPU: Duration = Duration::from_millis(150);
/// How many watches 7.3 may take. A server may still be finishing the work the last case
/// gave it (on a busy machine that takes a while); a server that spins is busy in every
/// watch, so one quiet watch is enough to pass and only busy watches one after another fail.
const IDLE_WATCHES: usize = 3;

/// 7.3: a server with no clients sleeps.
pub fn sleeps_when_idle(program: &dyn Program) -> Outcome {
    let expected = crate::said!(
        "grade-program-idle-expected-cpu",
        cpu = IDLE_CPU.as_millis().to_string(),
        watch = IDLE_WATCH.as_millis().to_string()
    );
    let Some(pid) = program.pid() else {
        return Outcome::skipped(crate::said!("grade-program-no-server-process"));
    };
    let mut used = Duration::MAX;
    for _ in 0..IDLE_WATCHES {
        let Some(before) = cpu_time(pid) else {
            return Outcome::skipped(crate::said!("grade-program-no-cpu-time"));
        };
        // Not a wait for something to happen: the length of the watch is the measure itself.
        std::thread::sleep(IDLE_WATCH);
        let Some(after) = cpu_time(pid) else {
            return Outcome::fail(expected, crate::said!("grade-program-process-gone"));
        };
        used = used.min(after.saturating_sub(before));
        if used < IDLE_CPU {
            break;
        }
    }
    if used < IDLE_CPU {
        Outcome::pass(
            expected,
            crate::said!("grade-program-ms", ms = used.as_millis().to_string()),
        )
    } else {
        let mut outcome = Outcome::fail(
            expected,
            crate::said!(
                "grade-program-spins",
                cpu = used.as_millis().to_string(),
                watches = IDLE_WATCHES.to_string(),
                watch = IDLE_WATCH.as_millis().to_string()
            ),
        );
        outcome.hint = Some(crate::said!("grade-hint-spins-when-idle"));
        outcome
    }
}

/// 7.5: one message per connection, then the server hangs up (lesson 2).
pub fn hangs_up_after_one(program: &dyn Program) -> Outcome {
    let target = program.target();
    let expected = crate::said!("grade-program-hello-then-end");
    let run = Run::one_client(&target, Err, |a, _| {
        a.exchange(b"hello")?;
        a.wait_for_end().map(|_| ())
    });
    let outcome = match &run.finding {
        Ok(()) => Outcome::pass(&expected, crate::said!("grade-program-answered-hung-up")),
        Err(why) => Outcome::fail(expected, why.clone()),
    };
    outcome.from_run(run)
}

/// The one line lesson 11's guard sends a client beyond the cap.
const BUSY: &[u8] = b"busy: the server is serving as many clients as it can; try again later\n";

/// A client of lesson 11's guard, answered or told busy: `Ok(true)` answered, `Ok(false)` busy.
fn served_or_busy(target: &Target, actor: &str, log: &Recorder) -> Result<(bool, Conn), Said> {
    let mut conn = Conn::open(target, actor, log)?;
    let (request, reply) = request_and_reply(Protocol::Echo, actor.as_bytes());
    conn.send(&request)?;
    let first = conn.read_bare(reply.len().min(BUSY.len()))?;
    if BUSY.starts_with(&first) && reply != first {
        let rest = conn.read_bare(BUSY.len() - first.len())?;
        if [first.as_slice(), &rest].concat() != BUSY {
            return Err(crate::said!(
                "grade-program-instead-of-busy",
                got = shown(&rest)
            ));
        }
        return Ok((false, conn));
    }
    if first == reply {
        return Ok((true, conn));
    }
    Err(crate::said!("grade-program-instead", got = shown(&first)))
}

/// Tries a new client until it is served (not told busy), for at most the patience: a seat
/// given back is given back soon, but not at the same instant as the client that had it left.
fn served_soon(target: &Target, actor: &str, log: &Recorder) -> Result<Conn, Said> {
    let deadline = Instant::now() + target.patience;
    loop {
        match served_or_busy(target, actor, log)? {
            (true, conn) => return Ok(conn),
            (false, conn) if Instant::now() >= deadline => {
                conn.close();
                return Err(crate::said!(
                    "grade-program-still-busy",
                    secs = secs(target.patience)
                ));
            }
            (false, conn) => {
                conn.close();
                // Asking again shortly: the server's answer decides, not this pause.
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

/// Starts a server of its own with `args`, and plays `play` against it.
fn with_server(
    program: &dyn Program,
    args: &[&str],
    expected: Said,
    play: impl FnOnce(&Target, &Recorder) -> Result<Said, Said>,
) -> Outcome {
    let server = match program.start(args) {
        Ok(server) => server,
        Err(why) => return Outcome::fail(expected, why),
    };
    let target = server.target();
    let run = Run::play(target.protocol, |log| play(&target, log));
    let outcome = match &run.finding {
        Ok(observed) => Outcome::pass(expected, observed.clone()),
        Err(why) => Outcome::fail(expected, why.clone()),
    };
    outcome.from_run(run)
}

/// 7.6: clients beyond the cap are told, in one line, and closed.
pub fn cap(program: &dyn Program) -> Outcome {
    with_server(
        program,
        &["--max-clients", "2"],
        crate::said!("grade-program-cap-expected"),
        |target, log| {
            let (a_served, a) = served_or_busy(target, "A", log)?;
            let (b_served, b) = served_or_busy(target, "B", log)?;
            if !(a_served && b_served) {
                return Err(crate::said!("grade-program-a-or-b-busy"));
            }
            let (c_served, mut c) = served_or_busy(target, "C", log)?;
            if c_served {
                return Err(crate::said!("grade-program-c-served"));
            }
            c.wait_for_end()
                .map_err(|e| crate::said!("grade-program-busy-but-then", who = "C", why = e))?;
            c.close();
            a.close();
            let d = served_soon(target, "D", log)
                .map_err(|e| crate::said!("grade-program-after-a-left-d", why = e))?;
            d.close();
            b.close();
            Ok(crate::said!("grade-program-cap-observed"))
        },
    )
}

/// 7.7: a seat comes back however its client left.
pub fn seat_back_after_reset(program: &dyn Program) -> Outcome {
    with_server(
        program,
        &["--max-clients", "2"],
        crate::said!("grade-program-seat-expected"),
        |target, log| {
            let (a_served, a) = served_or_busy(target, "A", log)?;
            let (b_served, b) = served_or_busy(target, "B", log)?;
            if !(a_served && b_served) {
                return Err(crate::said!("grade-program-a-or-b-busy"));
            }
            b.reset();
            let c = served_soon(target, "C", log)
                .map_err(|e| crate::said!("grade-program-after-b-reset-c", why = e))?;
            c.close();
            a.close();
            Ok(crate::said!("grade-program-seat-observed"))
        },
    )
}

/// 7.8: a silent client is hung up on after `--idle`, and a talking one is not.
pub fn idle_limit(program: &dyn Program) -> Outcome {
    with_server(
        program,
        &["--idle", "1"],
        crate::said!("grade-program-idle-expected"),
        |target, log| {
            let started = Instant::now();
            let mut a = Conn::open(target, "A", log)?;
            let mut b = Conn::open(target, "B", log)?;
            for _ in 0..5 {
                b.exchange(b"still here")?;
                // B's pace is the point: it speaks more often than the idle limit.
                let _ = b.listen(Duration::from_millis(300));
            }
            let b_took = started.elapsed();
            a.set_wait(target.patience);
            a.wait_for_end()
                .map_err(|e| crate::said!("grade-program-a-silent", why = e))?;
            a.close();
            b.close();
            Ok(crate::said!(
                "grade-program-idle-observed",
                secs = format!("{:.1}", b_took.as_secs_f64())
            ))
        },
    )
}

/// 7.9: a pool of 2 workers and a queue of 1: two clients served, a third waits in the queue, a
/// fourth is told busy; the third is served as soon as a worker is free.
pub fn pool(program: &dyn Program) -> Outcome {
    with_server(
        program,
        &["--workers", "2", "--queue", "1"],
        crate::said!("grade-program-pool-expected"),
        |target, log| {
            let (a_served, a) = served_or_busy(target, "A", log)
                .map_err(|e| crate::said!("grade-program-client-why", who = "A", why = e))?;
            let (b_served, b) = served_or_busy(target, "B", log)
                .map_err(|e| crate::said!("grade-program-b-one-worker-free", why = e))?;
            if !(a_served && b_served) {
                return Err(crate::said!("grade-program-a-or-b-busy-worker-free"));
            }
            // C goes into the queue: both workers are held by A and B, who stay.
            let mut c = Conn::open(target, "C", log)?;
            let (request, reply) = request_and_reply(Protocol::Echo, b"c, waiting");
            c.send(&request)?;
            if let Err(heard) = c.listen(A_MOMENT) {
                return Err(if heard.is_empty() {
                    crate::said!("grade-program-c-hung-up-at-once")
                } else {
                    crate::said!("grade-program-c-answered", heard = shown(&heard))
                });
            }
            let (d_served, mut d) = served_or_busy(target, "D", log)
                .map_err(|e| crate::said!("grade-program-d-queue-full", why = e))?;
            if d_served {
                return Err(crate::said!("grade-program-d-served"));
            }
            d.wait_for_end()
                .map_err(|e| crate::said!("grade-program-busy-but-then", who = "D", why = e))?;
            d.close();
            a.close();
            let got = c
                .read_bare(reply.len())
                .map_err(|e| crate::said!("grade-program-c-after-a-left", why = e))?;
            if got != reply {
                return Err(crate::said!(
                    "grade-program-c-reply-instead",
                    got = shown(&got)
                ));
            }
            c.close();
            b.close();
            Ok(crate::said!("grade-program-pool-observed"))
        },
    )
}

/// How many clients 7.10 connects at once.
const MANY: usize = 20;

/// The number of threads of process `pid`, from `/proc` (Linux).
fn threads(pid: u32) -> Option<usize> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|count| count.trim().parse().ok())
}

/// 7.10: clients connected at once cost the server no thread each.
pub fn no_thread_per_client(program: &dyn Program) -> Outcome {
    let expected = crate::said!("grade-program-threads-expected", many = MANY.to_string());
    let Some(pid) = program.pid() else {
        return Outcome::skipped(crate::said!("grade-program-no-server-process"));
    };
    if threads(pid).is_none() {
        return Outcome::skipped(crate::said!("grade-program-no-thread-count"));
    }
    let target = program.target();
    let run = Run::play(target.protocol, |log| {
        let mut clients = Vec::with_capacity(MANY);
        let mut first = Conn::open(&target, "1", log)?;
        first.exchange(b"first")?;
        let gone = || crate::said!("grade-program-process-gone");
        let before = threads(pid).ok_or_else(gone)?;
        clients.push(first);
        for n in 2..=MANY {
            let mut client = Conn::open(&target, &n.to_string(), log)?;
            client.exchange(b"and another").map_err(|e| {
                crate::said!(
                    "grade-program-client-n",
                    n = n.to_string(),
                    connected = (n - 1).to_string(),
                    why = e
                )
            })?;
            clients.push(client);
        }
        let after = threads(pid).ok_or_else(gone)?;
        clients.into_iter().for_each(Conn::close);
        let more = after > before;
        let (before, after, many) = (before.to_string(), after.to_string(), MANY.to_string());
        if more {
            Err(crate::said!(
                "grade-program-thread-per-client",
                before = before,
                after = after,
                many = many
            ))
        } else {
            Ok(crate::said!(
                "grade-program-threads-observed",
                before = before,
                after = after,
                many = many
            ))
        }
    });
    judged(expected, run)
}

/// The most 7.11 sends before it reads: far more than any buffers hold.
const LATE_READER_AT_MOST: u64 = 64 << 20;

/// 7.11: a client that reads its replies only once every buffer between it and the server is
/// full still gets every byte of them, and the connection goes on.
pub fn late_reader(program: &dyn Program) -> Outcome {
    let target = program.target();
    let expected = crate::said!("grade-program-late-reader-expected");
    let run = Run::one_client(&target, Err, |a, _| {
        // Each write may wait only a moment: a write that cannot go out means every buffer on
        // the way is full, the server's unsent replies included. A flood ends at the first
        // such write; another that sends nothing at all makes sure it was not only a server
        // slow for a moment on a loaded machine.
        a.set_write_wait(A_MOMENT);
        let mut sent = 0;
        loop {
            let more = a.flood(&[b'x'; 64 * 1024], |more| {
                sent + more >= LATE_READER_AT_MOST
            });
            sent += more;
            if more == 0 || sent >= LATE_READER_AT_MOST {
                break;
            }
        }
        let want = usize::try_from(sent).unwrap_or(usize::MAX);
        a.start_counting();
        let got = a.read_bare(want);
        a.stop_counting();
        let sent = sent.to_string();
        let got =
            got.map_err(|e| crate::said!("grade-program-late-replies", sent = &sent, why = e))?;
        if got.iter().any(|&byte| byte != b'X') {
            return Err(crate::said!("grade-program-late-not-all-x", sent = &sent));
        }
        a.exchange(b"still here")
            .map_err(|e| crate::said!("grade-program-late-next", sent = &sent, why = e))?;
        Ok::<_, Said>(crate::said!("grade-program-late-observed", sent = sent))
    });
    judged(expected, run)
}

/// A run whose finding is what was observed (`Ok`) or why it fails (`Err`), judged against
/// `expected`.
fn judged(expected: Said, run: Run<Result<Said, Said>>) -> Outcome {
    let outcome = match &run.finding {
        Ok(observed) => Outcome::pass(expected, observed.clone()),
        Err(why) => Outcome::fail(expected, why.clone()),
    };
    outcome.from_run(run)
}
