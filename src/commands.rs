//! The command service of lessons 5 and 6: what the "remote command" server runs.
//!
//! The tutorial's server hands whatever text arrives to `subprocess.Popen(cmd, shell=True)`: anyone
//! who can connect can run any program as the server's user. That is the tutorial's biggest hazard,
//! so our server runs a small built-in set of commands instead. They are portable and deterministic,
//! so every run of a demo, and every test, sees the same bytes:
//!
//! - `help`: lists the commands;
//! - `echo TEXT...`: TEXT and a newline;
//! - `seq N`: the numbers 1 to N, one per line, like coreutils `seq` (big output on demand).
//!
//! The operator can opt in to the real shell with `server --shell`, and the log says loudly what
//! that means.

use std::io::{self, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread;

use crossbeam_channel::select;
use log::{info, warn};

use crate::escape::peer_text;
use crate::frame::tutorial::{self, Wire};
use crate::i18n::{self, Lang};
use crate::shutdown::ShutdownSignal;
use crate::stage::ServerFlags;
use crate::t;

/// `server --shell`, the flag of the stages that run commands.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct ShellFlag {
    /// DANGER: run what clients send through the system shell, as the tutorial does
    #[arg(long)]
    pub shell: bool,
}

impl ShellFlag {
    /// The commands this flag asks for: the built-in ones, or (`--shell`) the shell, whose
    /// commands stop when `shutdown` is triggered.
    pub fn commands(self, shutdown: &ShutdownSignal) -> io::Result<Commands> {
        if self.shell {
            Commands::system_shell(shutdown)
        } else {
            Ok(Commands::built_in())
        }
    }
}

/// With `--shell`, the operator is told before the server listens what it now allows.
impl ServerFlags for ShellFlag {
    type Prepared = ShellFlag;

    fn prepare(self, notes: &mut Vec<String>) -> Result<ShellFlag, String> {
        if self.shell {
            // `{addr}` is filled in once the server listens; `WARNING --shell:` is the same in
            // every language, for whoever searches a log for it.
            notes.push(format!(
                "WARNING --shell: {}",
                crate::t!("commands-shell-warning", addr = "{addr}")
            ));
        }
        Ok(self)
    }
}

/// The most output one command may produce. `seq` refuses more; shell output is cut off here,
/// and the command stopped.
/// It fits comfortably inside the lesson 6 reply limit (`frame::Limits::REPLY`).
pub const MAX_OUTPUT: usize = 16 * 1024 * 1024;

/// The largest `N` that `seq N` accepts: its output (about 6.9 MB) stays under [`MAX_OUTPUT`].
pub const MAX_SEQ: u64 = 1_000_000;

/// How the reply to an unknown command begins, in each language the course speaks (`unknown
/// command`, `未知命令`). A program that reads a command server (the grader) knows that reply by
/// it, whichever language the server was started in: the server need not say which.
pub fn unknown_command_openings() -> [String; 2] {
    [Lang::En, Lang::Zh].map(|lang| i18n::loader_in(lang).get("commands-unknown-opening"))
}

/// What a command server runs, and how it sends each output back. Cloned into every client's
/// thread.
#[derive(Clone, Debug)]
pub struct Commands {
    set: CommandSet,
    /// `None`: each output is the reply, as it is (lesson 5 sends it bare; lesson 6 frames it
    /// itself). `Some(wire)`: each output goes back with a header in front, the way the
    /// tutorial's server frames it (`lesson6 --wire tutorial`): see [`Commands::replying_in`].
    reply_wire: Option<Wire>,
}

/// Which commands run.
#[derive(Clone, Debug)]
enum CommandSet {
    /// `help`, `echo`, `seq`: safe, portable, deterministic. The default.
    BuiltIn,
    /// Whatever the client sends, through the system shell (`sh -c`, or `cmd /C` on Windows).
    /// Only with `server --shell`. The list is this server's shell commands still running.
    SystemShell(Arc<RunningCommands>),
}

impl Commands {
    /// `help`, `echo` and `seq`: the default.
    pub fn built_in() -> Commands {
        Commands {
            set: CommandSet::BuiltIn,
            reply_wire: None,
        }
    }

    /// The real shell, for one server: when `shutdown` is triggered, every shell command this
    /// server started (and whatever those started) is stopped, and any started later is stopped
    /// at once. A thread blocked reading a command's output cannot be woken any other way.
    pub fn system_shell(shutdown: &ShutdownSignal) -> io::Result<Commands> {
        let (alive, gone) = crossbeam_channel::bounded::<()>(0);
        let running = Arc::new(RunningCommands {
            state: Mutex::new(Running::default()),
            _alive: alive,
        });
        // The stopper holds the list weakly, and ends when the list does: once the server and
        // its threads are done with the commands, nothing is left to stop.
        let list = Arc::downgrade(&running);
        let shutdown = shutdown.clone();
        thread::Builder::new()
            .name("shell stopper".into())
            .spawn(move || stop_on_shutdown(&shutdown, &gone, &list))?;
        Ok(Commands {
            set: CommandSet::SystemShell(running),
            reply_wire: None,
        })
    }

    /// The same commands, each reply sent in `wire`'s format: a header in front of the output,
    /// as the tutorial's 终极版 or 初级版 server sends it.
    pub fn replying_in(self, wire: Wire) -> Commands {
        Commands {
            reply_wire: Some(wire),
            ..self
        }
    }

    /// Runs one command and returns its reply: what the server sends back. A command that fails
    /// (unknown, bad argument) still has an output: the error text, so the client always hears why.
    pub fn run(&self, command: &[u8]) -> Vec<u8> {
        let output = self.output_of(command);
        match self.reply_wire {
            None => output,
            // Only a reply of 2 GiB or more does not fit the tutorial's signed length, and
            // MAX_OUTPUT keeps every reply far below that.
            Some(wire) => tutorial::reply(wire, &output)
                .expect("a reply under MAX_OUTPUT fits struct.pack('i')"),
        }
    }

    /// What one command prints.
    fn output_of(&self, command: &[u8]) -> Vec<u8> {
        let Ok(command) = std::str::from_utf8(command) else {
            return (t!("commands-not-utf8") + "\n").into_bytes();
        };
        let output = match &self.set {
            CommandSet::BuiltIn => built_in(command).into_bytes(),
            CommandSet::SystemShell(running) => system_shell(command, running),
        };
        info!(
            "ran {}: {} bytes of output",
            peer_text(command),
            output.len()
        );
        output
    }
}

// ANCHOR: built_in
/// The replies are sentences of the catalogue, in the server's language (`t!`); the command
/// names (`help`, `echo`, `seq`) are the same in every language.
fn built_in(command: &str) -> String {
    let mut words = command.split_whitespace();
    match words.next() {
        None => t!("commands-empty") + "\n",
        Some("help") => t!("commands-help", max = MAX_SEQ.to_string()) + "\n",
        Some("echo") => format!("{}\n", words.collect::<Vec<_>>().join(" ")),
        Some("seq") => match (words.next(), words.next()) {
            (Some(n), None) => seq(n),
            _ => t!("commands-seq-usage") + "\n",
        },
        Some(other) => t!("commands-unknown", command = other) + "\n",
    }
}

fn seq(n: &str) -> String {
    match n.parse::<u64>() {
        Ok(n) if n <= MAX_SEQ => {
            let mut out = String::new();
            for i in 1..=n {
                out.push_str(&i.to_string());
                out.push('\n');
            }
            out
        }
        Ok(_) => t!("commands-seq-too-large", n = n, max = MAX_SEQ.to_string()) + "\n",
        Err(_) => t!("commands-seq-not-a-number", n = n) + "\n",
    }
}
// ANCHOR_END: built_in

fn system_shell(command: &str, running: &RunningCommands) -> Vec<u8> {
    warn!("running through the system shell: {}", peer_text(command));
    match run_in_shell(command, running) {
        Ok(output) => output,
        Err(e) => format!("{}\n", t!("commands-shell-failed", why = e.to_string())).into_bytes(),
    }
}

/// Runs `command` with `sh -c` (or `cmd /C`) and returns what it printed, stdout and stderr
/// together in the order they were written, as a terminal would show them.
///
/// The output is read as it comes, and at most [`MAX_OUTPUT`] bytes of it: `yes` never stops
/// printing, and collecting all of it before looking would run the server out of memory.
fn run_in_shell(command: &str, running: &RunningCommands) -> io::Result<Vec<u8>> {
    let mut shell = if cfg!(windows) {
        let mut shell = Command::new("cmd");
        shell.args(["/C", command]);
        shell
    } else {
        let mut shell = Command::new("sh");
        shell.args(["-c", command]);
        shell
    };
    // Its own process group, so that stopping it stops whatever it started (`sleep 9 & yes`).
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut shell, 0);
    // One pipe for both streams, like `2>&1`.
    let (mut output_pipe, child_end) = io::pipe()?;
    let child = shell
        .stdin(Stdio::null())
        .stdout(child_end.try_clone()?)
        .stderr(child_end)
        .spawn()?;
    // `shell` still holds the pipe's write ends; drop it, or our read never sees end-of-file.
    drop(shell);
    let mut running = RunningCommand::register(child, running);
    let mut output = Vec::new();
    let read = output_pipe
        .by_ref()
        .take(MAX_OUTPUT as u64 + 1)
        .read_to_end(&mut output);
    if output.len() > MAX_OUTPUT {
        warn!("shell output cut off at {MAX_OUTPUT} bytes; stopping the command");
        output.truncate(MAX_OUTPUT);
        running.stop();
    }
    running.wait()?;
    read?;
    Ok(output)
}

/// One server's shell commands that are still running, so that its shutdown can stop them.
#[derive(Debug)]
pub struct RunningCommands {
    state: Mutex<Running>,
    /// Dropped with the list, which tells the stopper thread that it can go.
    _alive: crossbeam_channel::Sender<()>,
}

#[derive(Debug, Default)]
struct Running {
    /// Set on shutdown: commands started after it are stopped at once.
    stopped: bool,
    process_groups: Vec<u32>,
}

impl RunningCommands {
    fn lock(&self) -> std::sync::MutexGuard<'_, Running> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops every command that is running now or starts later.
    fn stop_all(&self) {
        let mut running = self.lock();
        running.stopped = true;
        for &group in &running.process_groups {
            kill_process_group(group);
        }
    }
}

/// The stopper thread: waits for shutdown, or for the list to go away.
fn stop_on_shutdown(
    shutdown: &ShutdownSignal,
    gone: &crossbeam_channel::Receiver<()>,
    list: &Weak<RunningCommands>,
) {
    select! {
        recv(shutdown.signal()) -> _ => {
            if let Some(running) = list.upgrade() {
                running.stop_all();
            }
        }
        recv(gone) -> _ => {}
    }
}

/// A shell command's process, listed in its server's [`RunningCommands`] until waited for.
struct RunningCommand<'a> {
    child: Child,
    list: &'a RunningCommands,
}

impl<'a> RunningCommand<'a> {
    fn register(child: Child, list: &'a RunningCommands) -> RunningCommand<'a> {
        let mut running = list.lock();
        running.process_groups.push(child.id());
        let stopped = running.stopped;
        drop(running);
        let mut command = RunningCommand { child, list };
        if stopped {
            command.stop();
        }
        command
    }

    fn stop(&mut self) {
        kill_process_group(self.child.id());
        // Where process groups do not exist, at least the shell itself goes.
        let _ = self.child.kill();
    }

    /// Waits for the command to end (so that no zombie is left behind), and unlists it.
    fn wait(mut self) -> io::Result<()> {
        let result = self.child.wait().map(drop);
        let id = self.child.id();
        self.list.lock().process_groups.retain(|&group| group != id);
        result
    }
}

/// Sends SIGKILL to every process in the group (the shell made it, with the shell's id).
#[cfg(unix)]
fn kill_process_group(group: u32) {
    let Ok(group) = libc::pid_t::try_from(group) else {
        return;
    };
    // SAFETY: kill(2) takes plain integers and touches no memory of ours. A negative pid means
    // "the process group". The group is our own child's: its id cannot be reused before the
    // child is reaped, and `RunningCommand::wait` unlists it right after reaping (the kernel would
    // have to cycle through every process id in between). A group that has already ended makes
    // kill return ESRCH, which changes nothing.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}

#[cfg(not(unix))]
fn kill_process_group(_group: u32) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(command: &str) -> String {
        String::from_utf8(Commands::built_in().run(command.as_bytes())).unwrap()
    }

    #[test]
    fn echo_joins_words_like_a_shell() {
        assert_eq!(run("echo hello   world"), "hello world\n");
        assert_eq!(run("echo"), "\n");
        assert_eq!(run("echo 你好"), "你好\n");
    }

    #[test]
    fn seq_counts_from_one() {
        assert_eq!(run("seq 3"), "1\n2\n3\n");
        assert_eq!(run("seq 0"), "");
        // 9 one-digit, 90 two-digit, 900 three-digit numbers, 1 four-digit, each plus a newline.
        assert_eq!(run("seq 1000").len(), 9 * 2 + 90 * 3 + 900 * 4 + 5);
    }

    #[test]
    fn seq_refuses_bad_and_huge_numbers() {
        assert!(run("seq ten").contains("not a whole number"));
        assert!(run("seq").contains("expected one number"));
        assert!(run("seq 1 2").contains("expected one number"));
        assert!(run(&format!("seq {}", MAX_SEQ + 1)).contains("too large"));
        assert!(run(&format!("seq {MAX_SEQ}")).len() <= MAX_OUTPUT);
    }

    #[test]
    fn unknown_commands_name_themselves_and_suggest_help() {
        let reply = run("rm -rf /");
        assert!(reply.contains("'rm'"), "{reply}");
        assert!(reply.contains("help"), "{reply}");
        assert!(run("   ").contains("empty command"));
        assert!(run("help").contains("seq N"));
    }

    #[test]
    fn an_unknown_command_and_help_say_that_only_the_built_ins_run() {
        for reply in [run("ls -l"), run("dir"), run("help")] {
            assert!(reply.contains("--shell"), "{reply}");
        }
        assert!(run("dir").contains("only help, echo and seq"));
    }

    #[test]
    fn the_english_replies_are_the_bytes_they_always_were() {
        assert_eq!(
            run("help"),
            "commands:\n  help          this list\n  echo TEXT...  prints TEXT\n  seq N         \
             prints the numbers 1 to N, one per line (N up to 1000000)\nOnly these run here; \
             other commands (ls, dir, ...) need a server started with --shell.\n"
        );
        assert_eq!(
            run("dir"),
            "unknown command 'dir': this server runs only help, echo and seq (any command only \
             when started with --shell); try 'help'\n"
        );
        assert_eq!(run(""), "error: empty command; try 'help'\n");
        assert_eq!(run("seq"), "seq: expected one number, as in 'seq 10'\n");
        assert_eq!(run("seq ten"), "seq: 'ten' is not a whole number\n");
        assert_eq!(
            run("seq 1000001"),
            "seq: 1000001 is too large; the most is 1000000\n"
        );
        assert_eq!(
            Commands::built_in().run(&[0xff]),
            b"error: the command is not UTF-8 text; try 'help'\n"
        );
    }

    #[test]
    fn an_unknown_command_is_known_by_its_opening_in_either_language() {
        // (Through each language's loader: the language is the process's, and this crate's
        // tests share one process.)
        let [english, chinese] = unknown_command_openings();
        assert_eq!(english, "unknown command");
        assert_eq!(chinese, "未知命令");
        let args = std::collections::HashMap::from([("command", "ls")]);
        let said = i18n::loader_in(Lang::Zh).get_args("commands-unknown", args);
        assert!(said.starts_with("未知命令 'ls'"), "{said}");
        assert!(run("ls").starts_with(&english));
    }

    #[test]
    fn non_utf8_is_an_error_reply() {
        let reply = Commands::built_in().run(&[0xff, 0xfe]);
        assert!(String::from_utf8(reply).unwrap().contains("not UTF-8"));
    }

    #[cfg(unix)]
    #[test]
    fn the_shell_runs_only_when_chosen() {
        let shell = Commands::system_shell(&ShutdownSignal::new()).unwrap();
        assert_eq!(shell.run(b"echo hi; echo oops >&2"), b"hi\noops\n");
        assert!(run("echo hi; echo oops").contains("hi; echo oops"));
    }
}
