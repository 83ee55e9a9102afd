//! The Python peers (`python/`): starting them, or skipping with one line where Python is
//! missing; running their clients and stopping their servers; and the contract's texts they
//! are checked against. Shared by the tests that run them against the Rust binaries.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::thread;

use md5::{Digest, Md5};
use socket_lessons_tools::probe::{self, Finished, PATIENCE, ServerProcess};

/// The Python interpreter: `python3`, or what `SOCKET_LESSONS_PYTHON` names (`python` on
/// Windows, say).
pub fn interpreter() -> String {
    std::env::var("SOCKET_LESSONS_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// Why the Python peers cannot run on this machine, or `None` if they can (Python 3.8 or newer
/// is there). Asked once per test binary.
pub fn python_missing() -> Option<&'static str> {
    static WHY: OnceLock<Option<String>> = OnceLock::new();
    WHY.get_or_init(|| {
        let python = interpreter();
        let check = probe::run(
            Command::new(&python).args(["-c", "import sys; sys.exit(sys.version_info < (3, 8))"]),
            b"",
            PATIENCE,
        );
        match check {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Some(format!("{python} is not installed"))
            }
            Err(e) => Some(format!("{python} cannot be run: {e}")),
            Ok(done) if !done.status.success() => {
                Some(format!("{python} is not Python 3.8 or newer"))
            }
            Ok(_) => None,
        }
    })
    .as_deref()
}

/// True (after writing one `skipped:` line) if this test cannot run here. The line goes straight
/// to stderr, past the test harness's capture, so `cargo test` shows it.
///
/// Where the Python peers *must* run (CI sets `SOCKET_LESSONS_REQUIRE_PYTHON=1`, after making
/// sure python3 is installed), a missing Python fails the test instead: a suite that skipped
/// everything would prove nothing.
pub fn skip_without_python() -> bool {
    let Some(why) = python_missing() else {
        return false;
    };
    if std::env::var_os("SOCKET_LESSONS_REQUIRE_PYTHON").is_some_and(|v| v == "1") {
        panic!("the Python peers must run here (SOCKET_LESSONS_REQUIRE_PYTHON=1), but {why}");
    }
    let test = thread::current().name().unwrap_or("a test").to_string();
    let _ = writeln!(io::stderr(), "skipped: {why} ({test})");
    true
}

/// `python3 python/PROGRAM`, leaving no `__pycache__` behind in `python/`.
pub fn python(program: &str) -> Command {
    let mut command = Command::new(interpreter());
    command
        .arg(
            Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
                .join("python")
                .join(program),
        )
        .env("PYTHONDONTWRITEBYTECODE", "1");
    command
}

/// `python3 python/PROGRAM --port 0 EXTRA…`, ready.
pub fn python_server(program: &str, extra: &[&str]) -> ServerProcess {
    ServerProcess::spawn(python(program).args(["--port", "0"]).args(extra))
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

/// The Python client `program`, pointed at `addr`.
pub fn python_client(program: &str, addr: SocketAddr) -> Command {
    let mut command = python(program);
    command.args([
        "--host",
        &addr.ip().to_string(),
        "--port",
        &addr.port().to_string(),
    ]);
    command
}

/// Waits for a server that is stopping (or stops by itself) and checks it stopped cleanly.
pub fn stopped(server: ServerProcess) -> String {
    let (status, stderr) = server
        .wait_within(PATIENCE)
        .expect("the server should stop in time");
    if cfg!(unix) {
        // (Elsewhere `interrupt` can only kill.)
        assert!(status.success(), "{status:?}\nstderr:\n{stderr}");
        assert!(stderr.contains("stopped"), "no 'stopped' line:\n{stderr}");
    }
    assert!(!stderr.contains("Traceback"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Runs a client with `input` on its stdin, within PATIENCE; it must exit 0 without a traceback
/// or a panic.
pub fn talk(client: &mut Command, input: &[u8]) -> Finished {
    let what = format!("{client:?}");
    let done = probe::run(client, input, PATIENCE).unwrap_or_else(|e| panic!("{what}: {e}"));
    let stderr = text(&done.stderr);
    assert!(
        done.status.success(),
        "{what} failed: {:?}\nstderr:\n{stderr}",
        done.status
    );
    assert!(!stderr.contains("Traceback"), "{what}:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{what}:\n{stderr}");
    done
}

/// Runs a client that must fail: within PATIENCE, exit status 1. Returns what it wrote, with
/// its stderr as text, for the test to check the one error it should give.
pub fn refused(client: &mut Command, input: &[u8]) -> (Finished, String) {
    let done = probe::run(client, input, PATIENCE).unwrap();
    let stderr = text(&done.stderr);
    assert_eq!(done.status.code(), Some(1), "{client:?}: {stderr}");
    (done, stderr)
}

/// Sends SIGINT (Ctrl-C) and checks that the server stops cleanly: status 0, a `stopped` line.
/// Returns its whole stderr.
pub fn stop(mut server: ServerProcess) -> String {
    server.interrupt().expect("SIGINT");
    stopped(server)
}

/// Bytes as text, for readable failures.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// What the wires carry, from docs/contracts.md: the same for every lesson 5 and 6 peer.

/// The `help` reply, from the contract.
pub const HELP: &str = "commands:
  help          this list
  echo TEXT...  prints TEXT
  seq N         prints the numbers 1 to N, one per line (N up to 1000000)
Only these run here; other commands (ls, dir, ...) need a server started with --shell.
";

/// What `seq n` prints, from the contract: 1 to n, each followed by `\n`.
pub fn seq(n: u64) -> String {
    (1..=n).map(|i| format!("{i}\n")).collect()
}

/// The md5 of `bytes` as Python's `hexdigest()` writes it.
pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
