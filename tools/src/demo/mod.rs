//! The demo runner: what `cargo run --bin lessonN` (no arguments) does.
//!
//! It starts the stage's real server on a free loopback port, in this process, then plays a short
//! script of clients against it, narrating on stdout what each side sent and received and what to
//! notice. The scripts themselves live beside this file, one function per lesson; this module is
//! the stage they play on: starting and stopping the server, the parts, and the narration.
//!
//! Where a script shows what `compare` and `grade` also examine (a second client while the first
//! stays, requests glued in one read, a reply longer than one read, a member who never reads…),
//! it plays the scenario engine's experiment ([`crate::scenario`]) and only tells what that
//! observed: the play-by-play ([`replay`]) and pictures of the byte stream ([`picture`]), both
//! read from the observations. Its own scripted clients ([`DemoClient`]) are the engine's
//! recording connections too, told by the same play-by-play.
//!
//! A script is made of parts, so that an instructor can pace it: `lessonN demo --step` waits for
//! Enter before each part after the first, and `lessonN demo --part N` plays part N alone. The
//! demos of lessons 5 to 7 have numbered parts ([`Demo::part`]); a demo without numbers is one
//! part ([`Demo::one_part`]). Everything a script does with sockets happens inside a part, and a
//! part sets up all it needs (its own clients, the server if nobody has started it yet), so any
//! part can play alone, and a part that is skipped does nothing at all. Between parts a script
//! only narrates: the introduction and the closing "what to notice", which `--part` leaves out.
//!
//! Every wait in a script is bounded (its clients wait as the probe's do, [`crate::probe`], as in
//! the tests) and every event it narrates is forced by the protocol, not by timing, so the
//! transcript is the same on every run apart from port numbers. Every line of it fits [`WIDTH`]
//! columns.

use std::ffi::OsStr;
use std::io::{self, BufRead, IsTerminal, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use crate::probe::{A_MOMENT, BoundedThread, PATIENCE};
use crate::scenario::{Act, Conn, Observations, Protocol, Recorder, Target};
use socket_lessons::course::Lesson;
use socket_lessons::datagram::UdpServer;
use socket_lessons::server::Server;
use socket_lessons::shutdown::ShutdownSignal;
use socket_lessons::stage::ServerKind;

pub mod chat;
pub mod event_loop;
pub mod files;
pub mod html;
pub mod picture;
pub mod pool;
pub mod replay;
pub mod robot;
pub mod scripts;
pub mod shown;
pub mod socket_options;
pub mod sticky;
pub mod svg;
pub mod udp;

use shown::Shown;

/// How wide a transcript may be: an 80-column terminal, the default nearly everywhere, and what a
/// projector shows legibly. Paragraphs are wrapped to it, and pictures are drawn within it.
pub const WIDTH: usize = 80;

/// How far the play-by-play and the pictures are indented under the paragraphs.
const INDENT: &str = "  ";

/// What `--step` shows on stderr before each part after the first: `[Enter: next part]`, or
/// its Chinese.
pub fn step_prompt() -> String {
    crate::t!("demo-step-prompt")
}

/// Where the narration goes. Cloneable, so every scripted client can write to it.
#[derive(Clone)]
pub struct Transcript {
    out: Arc<Mutex<Output>>,
    colour: bool,
}

struct Output {
    writer: Box<dyn Write + Send>,
    /// Whether the last line written was empty, so that paragraphs get one blank line between
    /// them, not two.
    after_blank: bool,
    /// What has been shown so far, as data, when a second rendering was asked for (`--html`):
    /// kept under the same lock as the writing, so its order is the transcript's.
    shown: Option<Vec<Shown>>,
}

impl Transcript {
    /// `colour`: whether pictures may use ANSI colours (true only for a terminal).
    pub fn new(out: impl Write + Send + 'static, colour: bool) -> Transcript {
        Transcript {
            out: Arc::new(Mutex::new(Output {
                writer: Box::new(out),
                after_blank: true,
                shown: None,
            })),
            colour,
        }
    }

    /// Standard output, in colour when it is a terminal and `NO_COLOR` is not set.
    pub fn stdout() -> Transcript {
        let colour = io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
        Transcript::new(io::stdout(), colour)
    }

    /// From now on, keeps what is shown as data too, for [`Transcript::shown`]. The transcript
    /// itself does not change by a byte.
    pub fn keep_what_is_shown(&self) {
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        out.shown.get_or_insert_with(Vec::new);
    }

    /// What has been shown since [`Transcript::keep_what_is_shown`], in order.
    pub fn shown(&self) -> Vec<Shown> {
        let out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        out.shown.clone().unwrap_or_default()
    }

    /// Writes one line (a narration line never fails the demo; stdout closing early just ends it).
    pub fn line(&self, text: impl AsRef<str>) {
        let text = text.as_ref();
        let kept = (!text.is_empty()).then(|| Shown::Line(text.to_string()));
        self.show([text], kept);
    }

    /// Writes `lines`, and keeps `what` if what is shown is kept: both under one lock, so that
    /// what another thread shows cannot come between them.
    fn show<S: AsRef<str>>(&self, lines: impl IntoIterator<Item = S>, what: Option<Shown>) {
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        for line in lines {
            let text = line.as_ref();
            if text.is_empty() && out.after_blank {
                continue;
            }
            out.after_blank = text.is_empty();
            let _ = writeln!(out.writer, "{text}");
        }
        let _ = out.writer.flush();
        if let (Some(shown), Some(what)) = (out.shown.as_mut(), what) {
            shown.push(what);
        }
    }

    /// One line of the play-by-play: who (`client A`, `relay`), what they did, and the detail,
    /// in the same columns in every demo. The detail is written as it is, never wrapped (it is
    /// often bytes, and a line break inside them would look like part of the data), so scripts
    /// keep it short: the tests check that every line fits [`WIDTH`].
    pub fn narrate(&self, who: &str, what: &str, detail: impl AsRef<str>) {
        self.line(replay::narration(who, what, detail.as_ref()));
    }

    /// Tells what `observations` hold as the play-by-play, and keeps them for a drawing.
    fn replay(&self, observations: &Observations, telling: &replay::Telling) {
        let told = replay::tell(observations, telling);
        let lines: Vec<String> = told.iter().map(|(_, line)| line.clone()).collect();
        let kept = Shown::Replay {
            observations: observations.clone(),
            from: telling.from,
            told,
        };
        self.show(lines, Some(kept));
    }

    /// Keeps `observations` for a drawing and prints nothing: for a part whose play-by-play
    /// was narrated as it happened, line by line, while its connections recorded what they did.
    /// Its silences were waited for on purpose and narrated in the part's own words, so each is
    /// kept as told, with no line of its own (the page adds no line for it, and draws it).
    fn draw(&self, observations: &Observations) {
        let told = observations
            .events
            .iter()
            .enumerate()
            .filter(|(_, event)| matches!(event.act, Act::Silence { .. }))
            .map(|(i, _)| (i, String::new()))
            .collect();
        let kept = Shown::Replay {
            observations: observations.clone(),
            from: 0,
            told,
        };
        self.show([""; 0], Some(kept));
    }
}

/// What the demo runner needs to know of a stage: [`DemoStage::of`] takes it from the course
/// table and this crate's own list of scripts, [`script_for`].
pub struct DemoStage {
    /// `lesson3`.
    pub bin_name: String,
    /// `lesson3 — the communication loop (加入通信循环)`.
    pub heading: String,
    pub server: ServerKind,
    /// The scripted demo itself.
    pub script: fn(&mut Demo) -> io::Result<()>,
}

impl DemoStage {
    /// The demo of `lesson`: its server from the course table, its script from [`script_for`].
    pub fn of(lesson: &Lesson) -> DemoStage {
        DemoStage {
            bin_name: lesson.bin_name(),
            heading: crate::t!(
                "demo-heading",
                bin = lesson.bin_name(),
                title = lesson.title,
                step = lesson.tutorial_step
            ),
            server: lesson.server,
            script: script_for(lesson.number),
        }
    }
}

/// The scripted demo that `lessonN` with no arguments plays, for every stage of the course.
pub fn script_for(lesson: u16) -> fn(&mut Demo) -> io::Result<()> {
    match lesson {
        1 => scripts::lesson1,
        2 => scripts::lesson2,
        3 => scripts::lesson3,
        4 => scripts::lesson4,
        5 => sticky::lesson5,
        6 => sticky::lesson6,
        7 => udp::lesson7,
        8 => files::lesson8,
        9 => chat::lesson9,
        10 => robot::lesson10,
        11 => socket_options::lesson11,
        12 => pool::lesson12,
        13 => event_loop::lesson13,
        _ => |demo| {
            demo.say(&crate::t!("demo-no-demo-yet"));
            Ok(())
        },
    }
}

/// How the parts of a demo are played: `lessonN demo`, `--step` or `--part N`.
pub enum Pacing {
    /// Every part, one after the other: the plain demo.
    Straight,
    /// Every part, waiting for Enter before each one after the first.
    Step(Enter),
    /// Part N alone, without the narration between parts.
    Only(u16),
}

/// Where `--step` waits for Enter: a line of input, asked for with [`step_prompt`] on stderr,
/// so that stdout carries the same transcript as without `--step`.
pub struct Enter {
    input: Box<dyn BufRead>,
    /// Whether a person types at a terminal, which echoes the Enter and so ends the prompt's line.
    typed: bool,
    /// The input has ended: nobody is there to press Enter, so the rest plays through.
    ended: bool,
}

impl Enter {
    /// Standard input.
    pub fn stdin() -> Enter {
        Enter::new(io::stdin().lock(), io::stdin().is_terminal())
    }

    /// Any input (`typed`: a terminal, which echoes the Enter).
    fn new(input: impl BufRead + 'static, typed: bool) -> Enter {
        Enter {
            input: Box::new(input),
            typed,
            ended: false,
        }
    }

    /// Shows the prompt and waits for a line (what it says does not matter). Once the input has
    /// ended it returns at once, with no prompt.
    fn wait(&mut self) -> io::Result<()> {
        if self.ended {
            return Ok(());
        }
        // (A prompt that cannot be written, stderr closed, is no reason to stop the demo.)
        let mut stderr = io::stderr();
        let prompt = step_prompt();
        if self.typed {
            let _ = write!(stderr, "{prompt} ");
        } else {
            // A whole line, so that a program driving the demo sees the prompt when it comes.
            let _ = writeln!(stderr, "{prompt}");
        }
        let _ = stderr.flush();
        let mut line = Vec::new();
        self.ended = self.input.read_until(b'\n', &mut line)? == 0;
        if self.ended && self.typed {
            // Ctrl-D ends the input, but not the prompt's line.
            let _ = writeln!(stderr);
        }
        Ok(())
    }
}

/// Why a demo did not play to its end.
#[derive(Debug)]
pub enum DemoError {
    /// `--part N` beyond the demo's last part.
    NoSuchPart {
        bin_name: String,
        asked: u16,
        parts: u16,
    },
    /// The script saw something other than it narrates, or could not do what it narrates. (What
    /// it saw is said in English: it is a bug's description, for whoever fixes it.)
    Failed(io::Error),
}

impl std::fmt::Display for DemoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let said = match self {
            DemoError::NoSuchPart {
                bin_name,
                asked,
                parts,
            } => crate::t!(
                "demo-error-no-such-part",
                asked = asked.to_string(),
                bin = bin_name.as_str(),
                parts = parts_to_choose_from(*parts)
            ),
            DemoError::Failed(e) => crate::t!("demo-error-failed", error = e.to_string()),
        };
        f.write_str(&said)
    }
}

impl std::error::Error for DemoError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DemoError::Failed(e) => Some(e),
            DemoError::NoSuchPart { .. } => None,
        }
    }
}

impl From<io::Error> for DemoError {
    fn from(e: io::Error) -> DemoError {
        DemoError::Failed(e)
    }
}

fn parts_to_choose_from(parts: u16) -> String {
    match parts {
        1 => crate::t!("demo-error-one-part"),
        n => crate::t!("demo-error-parts", parts = n.to_string()),
    }
}

/// A running demo: the stage's server, and the narration.
pub struct Demo {
    stage: DemoStage,
    transcript: Transcript,
    pacing: Pacing,
    /// How many parts the script has begun so far, played or skipped.
    parts: u16,
    /// Whether the script is inside a part now: only then may it use sockets, and only then does
    /// `--part N` narrate.
    in_part: bool,
    /// Whether the heading has been written. With `--part N` that waits for part N: a part that
    /// does not exist is then an error with nothing on stdout.
    announced: bool,
    shutdown: ShutdownSignal,
    /// Bound (and, for TCP, listening), but not yet serving: some scripts need clients, or
    /// datagrams, to queue up first.
    waiting_server: Option<Bound>,
    addr: SocketAddr,
    server_thread: Option<BoundedThread<io::Result<()>>>,
}

impl Demo {
    /// Binds the lesson's server on `127.0.0.1:0`. It does not serve until [`Demo::start_server`].
    pub fn new(stage: DemoStage, transcript: Transcript, pacing: Pacing) -> io::Result<Demo> {
        let shutdown = ShutdownSignal::new();
        let any_port = (Ipv4Addr::LOCALHOST, 0).into();
        let (server, addr) = match stage.server {
            ServerKind::Udp(_) => {
                let server = UdpServer::bind(any_port, shutdown.clone())?;
                let addr = server.local_addr()?;
                (Bound::Udp(server), addr)
            }
            _ => {
                let server = Server::bind(any_port, shutdown.clone())?;
                let addr = server.local_addr()?;
                (Bound::Tcp(server), addr)
            }
        };
        Ok(Demo {
            stage,
            transcript,
            pacing,
            parts: 0,
            in_part: false,
            announced: false,
            shutdown,
            waiting_server: Some(server),
            addr,
            server_thread: None,
        })
    }

    /// Runs the lesson's script from start to end, as the pacing says, then shuts the server down
    /// through the same shutdown channel Ctrl-C uses.
    pub fn run(mut self) -> Result<(), DemoError> {
        if !matches!(self.pacing, Pacing::Only(_)) {
            self.announce();
        }
        (self.stage.script)(&mut self)?;
        self.stop_server()?;
        if let Pacing::Only(asked) = self.pacing {
            if asked > self.parts {
                return Err(DemoError::NoSuchPart {
                    bin_name: self.stage.bin_name.clone(),
                    asked,
                    parts: self.parts,
                });
            }
        }
        // (A part played alone may end on a play-by-play line, not a paragraph.)
        let aside = crate::t!("demo-server-log-aside", bin = self.stage.bin_name.as_str());
        self.transcript
            .show(["", aside.as_str()], Some(Shown::Aside(aside.clone())));
        Ok(())
    }

    /// The demo's heading, and where its server listens.
    fn announce(&mut self) {
        if self.announced {
            return;
        }
        self.announced = true;
        let title = self.stage.heading.clone();
        let listening = crate::t!("demo-listening", addr = self.addr.to_string());
        let underline = "=".repeat(display_width(&title));
        self.transcript.show(
            [title.as_str(), &underline, &listening],
            Some(Shown::Heading {
                title: title.clone(),
                listening: listening.clone(),
            }),
        );
    }

    /// Part `number` of the demo, headed "`number`. `title`" in the transcript. Parts are
    /// numbered 1, 2, 3… in the order the script plays them, as the narration numbers them.
    /// `play` must set up everything it needs, so that the part can also be played alone.
    pub fn part(
        &mut self,
        number: u16,
        title: &str,
        play: impl FnOnce(&mut Demo) -> io::Result<()>,
    ) -> io::Result<()> {
        if !self.begin_part(number)? {
            return Ok(());
        }
        self.play_part(number, Some(title), play)
    }

    /// The one part of a demo whose narration has no numbered parts (lessons 1–4): all of it.
    pub fn one_part(&mut self, play: impl FnOnce(&mut Demo) -> io::Result<()>) -> io::Result<()> {
        if !self.begin_part(1)? {
            return Ok(());
        }
        self.play_part(1, None, play)
    }

    /// Counts part `number`, then waits before it or skips it as the pacing says. Returns
    /// whether it is to be played.
    fn begin_part(&mut self, number: u16) -> io::Result<bool> {
        if self.in_part {
            return Err(io::Error::other(format!(
                "part {number} starts inside part {}: parts do not nest",
                self.parts
            )));
        }
        if number != self.parts + 1 {
            return Err(io::Error::other(format!(
                "part {number} comes after part {}: a script numbers its parts 1, 2, 3… in order",
                self.parts
            )));
        }
        self.parts = number;
        match &mut self.pacing {
            Pacing::Straight => Ok(true),
            Pacing::Step(enter) => {
                if number > 1 {
                    enter.wait()?;
                }
                Ok(true)
            }
            Pacing::Only(only) if *only == number => {
                self.announce();
                Ok(true)
            }
            Pacing::Only(_) => Ok(false),
        }
    }

    /// Plays a part that is to be played: headed "`number`. `title`" if it has a title.
    fn play_part(
        &mut self,
        number: u16,
        title: Option<&str>,
        play: impl FnOnce(&mut Demo) -> io::Result<()>,
    ) -> io::Result<()> {
        self.in_part = true;
        let title = title.map(str::to_string);
        let heading = title.as_ref().map(|title| format!("{number}. {title}"));
        self.paragraph(heading.as_deref(), Shown::Part { number, title });
        let played = play(self);
        self.transcript.show([""; 0], Some(Shown::PartEnds));
        self.in_part = false;
        played
    }

    /// Whether narration is shown now: always, except between parts when one part plays alone.
    fn narrating(&self) -> bool {
        self.in_part || !matches!(self.pacing, Pacing::Only(_))
    }

    /// Fails unless the script is inside a part: what a script does with sockets belongs to a
    /// part, so that skipping the part skips it too.
    fn inside_a_part(&self, what: &str) -> io::Result<()> {
        if self.in_part {
            Ok(())
        } else {
            Err(io::Error::other(format!(
                "the script {what} between parts; only a part may use sockets"
            )))
        }
    }

    /// Starts the stage's server on its own thread (named "server", so its log lines say so).
    /// Every part that needs the server calls this; only the first call starts it.
    pub fn start_server(&mut self) -> io::Result<()> {
        self.start_server_with(&[])
    }

    /// [`Demo::start_server`] with flags of the script's choosing, as they would follow
    /// `lessonN server` on the command line (lesson 8 serves a folder of its own, not
    /// `./lesson8-files`: `--root DIR`). Nothing a demo passes here may reach a shell.
    pub fn start_server_with(&mut self, flags: &[&OsStr]) -> io::Result<()> {
        self.inside_a_part("starts the server")?;
        let Some(server) = self.waiting_server.take() else {
            return Ok(()); // already started
        };
        let ready = |e: String| io::Error::new(io::ErrorKind::InvalidInput, e);
        // Demos run with the defaults, or the flags their script chose: never `--shell`.
        let serve: Box<dyn FnOnce() -> io::Result<()> + Send> = match (self.stage.server, server) {
            (ServerKind::Tcp(part), Bound::Tcp(server)) => {
                let ready = part.ready_from(flags).map_err(ready)?;
                Box::new(move || ready.serve(server))
            }
            (ServerKind::Udp(part), Bound::Udp(server)) => {
                let ready = part.ready_from(flags).map_err(ready)?;
                Box::new(move || ready.serve(server))
            }
            _ => {
                return Err(io::Error::other(
                    "this stage has no server for its demo to play",
                ));
            }
        };
        self.server_thread = Some(BoundedThread::spawn("server", serve)?);
        Ok(())
    }

    /// Starts the stage's TCP server with `serve`, a function of the script's own, instead of
    /// the course table's: lesson 13's demo runs the stage's loop with a handler that takes its
    /// time on cue. Like [`Demo::start_server`], only the first call starts it.
    pub fn start_server_serving(
        &mut self,
        serve: impl FnOnce(Server) -> io::Result<()> + Send + 'static,
    ) -> io::Result<()> {
        self.inside_a_part("starts the server")?;
        match self.waiting_server.take() {
            None => Ok(()), // already started
            Some(Bound::Tcp(server)) => {
                self.server_thread = Some(BoundedThread::spawn("server", move || serve(server))?);
                Ok(())
            }
            Some(other) => {
                self.waiting_server = Some(other);
                Err(io::Error::other("this stage has no TCP server to serve"))
            }
        }
    }

    /// Waits (boundedly) for a server that stops by itself (lesson 1) to finish, and passes on
    /// what it returned.
    pub fn wait_for_server_to_exit(&mut self) -> io::Result<()> {
        let Some(server) = self.server_thread.take() else {
            return Ok(());
        };
        server.join_within(PATIENCE)?
    }

    fn stop_server(&mut self) -> io::Result<()> {
        self.shutdown.trigger();
        drop(self.waiting_server.take());
        self.wait_for_server_to_exit()
    }

    /// A paragraph of narration, wrapped to [`WIDTH`] columns.
    pub fn say(&self, text: &str) {
        if self.narrating() {
            self.paragraph(Some(text), Shown::Paragraph(text.to_string()));
        }
    }

    /// `text` as a paragraph (or nothing, if there is none), kept as `what`.
    fn paragraph(&self, text: Option<&str>, what: Shown) {
        let chinese = socket_lessons::i18n::current() == socket_lessons::i18n::Lang::Zh;
        let wrapped = text
            .map(|text| wrap(text, WIDTH, chinese))
            .unwrap_or_default();
        let lines = std::iter::once(String::new())
            .chain(wrapped)
            .chain(std::iter::once(String::new()));
        // A part without a title prints nothing, not even its blank lines.
        let lines: Vec<String> = if text.is_some() {
            lines.collect()
        } else {
            Vec::new()
        };
        self.transcript.show(lines, Some(what));
    }

    /// One line of the play-by-play, indented under the paragraphs. It is not wrapped: scripts
    /// keep it within [`WIDTH`] (the tests check).
    pub fn line(&self, text: impl AsRef<str>) {
        if self.narrating() {
            self.transcript.line(format!("{INDENT}{}", text.as_ref()));
        }
    }

    /// Draws a picture of a byte stream into the transcript, within [`WIDTH`] once indented.
    pub fn picture(&self, picture: &picture::Picture) {
        if !self.narrating() {
            return;
        }
        let drawn = picture.render(self.transcript.colour, WIDTH - INDENT.len());
        let lines = std::iter::once(String::new())
            .chain(drawn.into_iter().map(|line| format!("{INDENT}{line}")))
            .chain(std::iter::once(String::new()));
        self.transcript
            .show(lines, Some(Shown::Picture(picture.clone())));
    }

    /// The stage's server as the scenario engine's experiments take it, speaking `protocol`.
    /// Only a part plays an experiment.
    pub fn target(&self, protocol: Protocol) -> io::Result<Target> {
        self.inside_a_part("plays an experiment")?;
        Ok(Target {
            addr: self.addr,
            protocol,
            patience: PATIENCE,
        })
    }

    /// Tells what an experiment observed, as the play-by-play ([`replay::play_by_play`]).
    pub fn replay(&self, observations: &Observations, telling: &replay::Telling) {
        if self.narrating() {
            self.transcript.replay(observations, telling);
        }
    }

    /// Draws what a part's own connections recorded (their writes and reads, on two lanes
    /// each), beside the play-by-play the part narrated as it went: the page gets the figure,
    /// the terminal nothing more.
    pub fn draw(&self, observations: &Observations) {
        if self.narrating() {
            self.transcript.draw(observations);
        }
    }

    /// Connects a scripted client named `name` ("A", "B", ...).
    pub fn connect(&self, name: &'static str) -> io::Result<DemoClient> {
        let target = self.target(Protocol::Echo)?;
        let mut client = DemoClient {
            conn: None,
            log: Recorder::new(),
            told: 0,
            transcript: self.transcript.clone(),
        };
        // Every read and write of a scripted client is bounded, however the script uses it.
        let conn = Conn::open(&target, name, &client.log);
        client.tell();
        client.conn = Some(conn.map_err(io::Error::other)?);
        Ok(client)
    }

    /// Tries to connect, expecting nobody to be listening any more.
    pub fn connect_expecting_refusal(&self, name: &'static str) -> io::Result<()> {
        let target = self.target(Protocol::Echo)?;
        let log = Recorder::new();
        let connected = Conn::open(&target, name, &log);
        let observations = log.observations(Protocol::Echo);
        match (connected, observations.of(name).next()) {
            (Err(_), Some(Act::CannotConnect { refused: true, .. })) => {
                self.replay(&observations, &replay::Telling::default());
                Ok(())
            }
            (Err(e), _) => Err(io::Error::other(e)),
            (Ok(_), _) => Err(io::Error::other(format!(
                "client {name} expected the server to be gone, but it answered"
            ))),
        }
    }
}

impl Drop for Demo {
    /// A script that fails part-way still stops its server (and the server's threads end).
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// A stage's server socket, bound but not yet serving: TCP or UDP, as its course entry says.
enum Bound {
    Tcp(Server),
    Udp(UdpServer),
}

/// A scripted client: a connection of the scenario engine's ([`Conn`]), whose every act is told
/// as it happens, by the same play-by-play that tells an experiment's run.
pub struct DemoClient {
    conn: Option<Conn>,
    log: Recorder,
    /// How many of its acts have been told so far.
    told: usize,
    transcript: Transcript,
}

/// What one `recv` gave a scripted client.
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    Bytes(Vec<u8>),
    /// The server closed the connection: end of stream, or reset.
    Closed,
}

impl DemoClient {
    /// Sends `text` with one `write_all`.
    pub fn send(&mut self, text: &str) -> io::Result<()> {
        let sent = self.conn().write(text.as_bytes());
        self.tell();
        sent
    }

    /// One `recv(1024)`, as the tutorial's client does; waits as long as it takes (bounded).
    pub fn receive(&mut self) -> io::Result<Received> {
        let received = match self.conn().read_once(1024) {
            Ok(bytes) if bytes.is_empty() => Ok(Received::Closed),
            Ok(bytes) => Ok(Received::Bytes(bytes)),
            // A server that hung up before our message arrived answers it with a reset.
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => Ok(Received::Closed),
            Err(e) => Err(e),
        };
        self.tell();
        received
    }

    /// Closes the connection (the tutorial's `phone.close()`).
    pub fn quit(mut self) {
        if let Some(conn) = self.conn.take() {
            conn.close();
        }
        self.tell();
    }

    fn conn(&mut self) -> &mut Conn {
        self.conn
            .as_mut()
            .expect("a demo client has its connection until it quits")
    }

    /// Tells the acts not told yet.
    fn tell(&mut self) {
        let observations = self.log.observations(Protocol::Echo).since(self.told);
        self.told += observations.events.len();
        self.transcript
            .replay(&observations, &replay::Telling::default());
    }
}

/// Bytes as a student would want to see them: text in quotes, with `\n` and friends escaped.
pub fn show(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

/// How many terminal columns `text` takes: a Chinese character takes two, a combining mark
/// none, as the `unicode-width` crate measures them (the field's standard, which terminals and
/// clap follow).
pub fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` followed by spaces up to `width` columns (nothing added if it is that wide already):
/// `format!("{text:<width$}")`, counted in columns, so that Chinese words line up too.
pub fn pad(text: &str, width: usize) -> String {
    let spaces = width.saturating_sub(display_width(text));
    format!("{text}{}", " ".repeat(spaces))
}

/// Greedy word wrap to `width` columns, good enough for narration: [`crate::terminal::fold`],
/// paragraph by paragraph, with runs of spaces read as one. A line breaks at a space, and, in
/// `chinese` text, also between two Chinese characters, which have no spaces between them; never
/// before a closing mark (`，` `。` `）`…) or after an opening one (`（` `“`…), as Chinese
/// typesetting does. English narration (which glosses terms in Chinese, `(并发)`) breaks at
/// spaces only, exactly as it always has.
fn wrap(text: &str, width: usize, chinese: bool) -> Vec<String> {
    let fold = if chinese {
        crate::terminal::fold
    } else {
        crate::terminal::fold_at_spaces
    };
    text.split('\n')
        .flat_map(|paragraph| {
            let words = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
            fold(&words, width, "", "")
                .lines()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_wraps_at_spaces_only() {
        let text = "The server ran ONE command, 'echo aecho becho c', as its reply shows. The \
                    write boundaries did not travel with the bytes: the receive buffer is one \
                    stream.";
        assert_eq!(
            wrap(text, 80, false),
            [
                "The server ran ONE command, 'echo aecho becho c', as its reply shows. The write",
                "boundaries did not travel with the bytes: the receive buffer is one stream.",
            ]
        );
        assert_eq!(wrap("a\nb c", 80, false), ["a", "b c"]);
        // A Chinese gloss in English narration is one word, as it always was.
        assert_eq!(
            wrap("at the same time (并发) and", 20, false),
            ["at the same time", "(并发) and"]
        );
    }

    #[test]
    fn chinese_wraps_between_characters_and_never_before_a_closing_mark() {
        let text = "服务端只执行了一条命令：“echo aecho becho c”，它的回复就是证据。写入的边界\
                    没有随字节一起传过去：接收缓冲区里只有一条字节流。";
        let lines = wrap(text, 40, true);
        assert!(lines.len() > 2, "{lines:#?}");
        for line in &lines {
            assert!(display_width(line) <= 40, "{line:?}");
            assert!(!line.starts_with(['，', '。', '：', '”']), "{line:?}");
            assert!(!line.ends_with(['“', '（']), "{line:?}");
        }
        // Nothing is lost or added: the lines put back together are the text (but for the
        // space a line broke at, which the line break takes the place of).
        let unspaced = |text: &str| text.replace(' ', "");
        assert_eq!(unspaced(&lines.concat()), unspaced(text));
        assert_eq!(
            lines.concat().matches(' ').count() + 1,
            text.matches(' ').count(),
            "{lines:#?}"
        );
        // English words inside Chinese stay whole, and keep the spaces around them.
        let mixed = wrap("客户端调用 recv(1024) 一次，读到了三条消息", 14, true);
        assert!(
            mixed.iter().any(|line| line.contains("recv(1024)")),
            "{mixed:#?}"
        );
        assert_eq!(
            unspaced(&mixed.concat()),
            unspaced("客户端调用 recv(1024) 一次，读到了三条消息")
        );
    }

    #[test]
    fn width_counts_columns_and_padding_follows_it() {
        assert_eq!(display_width("client A"), 8);
        assert_eq!(display_width("客户端 A"), 8);
        assert_eq!(display_width("粘包"), 4);
        assert_eq!(pad("发送", 10), "发送      ");
        assert_eq!(pad("sends", 10), format!("{:<10}", "sends"));
        assert_eq!(pad("a very long word", 4), "a very long word");
    }
}
