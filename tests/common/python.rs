//! The Python peers (`python/`): starting them, or skipping with one line where Python is
//! missing. Shared by the tests that run them against the Rust binaries.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;
use std::thread;

use socket_lessons::probe::{self, PATIENCE, ServerProcess};

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
            Path::new(env!("CARGO_MANIFEST_DIR"))
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
