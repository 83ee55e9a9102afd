//! The exercises (`exercises/`, a workspace of their own): what can be checked before their
//! runner exists (docs/contracts.md, "Exercises").
//!
//! - The exercises workspace builds: every starter as it was committed, every reference solution
//!   and every broken one (`cargo build --offline`, bounded like every child process here).
//! - Each reference solution, started by the run contract (`PROGRAM server --addr
//!   127.0.0.1:0`), says where it listens and answers a first request; each reference client,
//!   against the course's own server of its lesson, prints the replies it should. The full case
//!   runs, against references, starters and broken programs, come with the runner.
//! - `info.toml` names only programs that exist, files that exist, and cases that exist in the
//!   catalogue or in `PROPOSED_CASES.md`.
//!
//! A student's exercise in progress must not break the course's tests: a starter that differs
//! from the committed one (`git diff`) is not built here, and the test says so.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

mod common;

use socket_lessons::frame::{self, Header, Limits, Md5Check};
use socket_lessons_tools::grade;
use socket_lessons_tools::probe::{self, PATIENCE};

use common::ServerProcess;

/// The longest the exercises' build may take. A cold build takes seconds (std-only programs,
/// and serde_json and md-5 once); this only turns a stuck build into a failure.
const BUILD_LIMIT: Duration = Duration::from_secs(600);

fn repository() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn exercises() -> PathBuf {
    repository().join("exercises")
}

// ---------------------------------------------------------------------------------------------
// The build, once for every test of this file
// ---------------------------------------------------------------------------------------------

/// What the build made: where its programs are, and which starters it left out.
struct Built {
    programs: PathBuf,
    starters_left_out: Vec<String>,
}

static BUILT: OnceLock<Result<Built, String>> = OnceLock::new();

fn built() -> &'static Built {
    BUILT
        .get_or_init(build)
        .as_ref()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Builds the solutions package and every starter still as committed.
fn build() -> Result<Built, String> {
    let target = exercises().join("target");
    let mut command = Command::new(env!("CARGO"));
    command
        .args([
            "build",
            "--offline",
            "--locked",
            "--quiet",
            "--manifest-path",
        ])
        .arg(exercises().join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .args(["-p", "solutions"]);
    let mut starters_left_out = Vec::new();
    for lesson in 1..=13 {
        let name = format!("lesson{lesson}");
        if starter_is_committed(&name) {
            command.args(["-p", &name]);
        } else {
            starters_left_out.push(name);
        }
    }
    let finished = probe::run(&mut command, b"", BUILD_LIMIT).map_err(|e| e.to_string())?;
    if !finished.status.success() {
        return Err(format!(
            "the exercises do not build ({}):\n{}",
            finished.status,
            String::from_utf8_lossy(&finished.stderr)
        ));
    }
    Ok(Built {
        programs: target.join("debug"),
        starters_left_out,
    })
}

/// Whether `exercises/NAME/src/main.rs` is still the starter as committed. Where git cannot
/// say (no git, not a checkout), it is taken to be.
fn starter_is_committed(name: &str) -> bool {
    let file = format!("exercises/{name}/src/main.rs");
    let mut git = Command::new("git");
    git.arg("-C")
        .arg(repository())
        .args(["diff", "--quiet", "HEAD", "--"])
        .arg(&file);
    match probe::run(&mut git, b"", PATIENCE) {
        Ok(finished) => finished.status.code() != Some(1),
        Err(_) => true,
    }
}

/// The path of program `name` of the exercises' build.
fn program(name: &str) -> PathBuf {
    built().programs.join(name)
}

#[test]
fn every_starter_reference_and_broken_program_builds() {
    let built = built();
    let info = Info::read();
    let mut expected: Vec<String> = Vec::new();
    for exercise in &info.exercises {
        if !built.starters_left_out.contains(&exercise.name) {
            expected.push(exercise.name.clone());
        }
        expected.push(exercise.solution.clone());
        expected.extend(exercise.broken.iter().map(|broken| broken.bin.clone()));
    }
    let missing: Vec<&String> = expected
        .iter()
        .filter(|name| !built.programs.join(name).is_file())
        .collect();
    assert!(missing.is_empty(), "built no program for {missing:?}");
    if !built.starters_left_out.is_empty() {
        eprintln!(
            "note: not built, being yours now (they differ from the committed starters): {:?}",
            built.starters_left_out
        );
    }
}

// ---------------------------------------------------------------------------------------------
// info.toml: a reader for the little of TOML it uses
// ---------------------------------------------------------------------------------------------

/// What this file checks in `info.toml`. (The runner will read it with a TOML library; this
/// test reads only `key = "text"` and `key = ["text", …]` lines, one array per key, under
/// `[[exercises]]` and `[[exercises.broken]]`.)
struct Info {
    exercises: Vec<Exercise>,
}

#[derive(Default)]
struct Exercise {
    name: String,
    dir: String,
    chapter: String,
    stage: String,
    solution: String,
    protocol: String,
    starter_fails_first: String,
    cases: Vec<String>,
    proposed_cases: Vec<String>,
    known_limits: Vec<String>,
    hints: Vec<String>,
    broken: Vec<Broken>,
}

#[derive(Default)]
struct Broken {
    bin: String,
    fails: Vec<String>,
    fails_proposed: Vec<String>,
    hint: String,
}

impl Info {
    fn read() -> Info {
        let path = exercises().join("info.toml");
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut exercises: Vec<Exercise> = Vec::new();
        let mut lines = text.lines();
        let mut in_broken = false;
        while let Some(line) = lines.next() {
            let line = line.trim();
            match line {
                "[[exercises]]" => {
                    exercises.push(Exercise::default());
                    in_broken = false;
                    continue;
                }
                "[[exercises.broken]]" => {
                    let exercise = exercises
                        .last_mut()
                        .expect("a broken table inside an exercise");
                    exercise.broken.push(Broken::default());
                    in_broken = true;
                    continue;
                }
                _ => {}
            }
            let Some((key, value)) = line.split_once(" = ") else {
                continue;
            };
            let Some(exercise) = exercises.last_mut() else {
                continue;
            };
            // An array may go on over several lines, until its closing bracket.
            let mut value = value.to_string();
            if value.starts_with('[') {
                while !value.trim_end().ends_with(']') {
                    value.push_str(lines.next().expect("an array that ends"));
                }
            }
            let strings = quoted_strings(&value);
            let one = || strings.first().cloned().unwrap_or_default();
            if in_broken {
                let broken = exercise.broken.last_mut().expect("a broken table");
                match key {
                    "bin" => broken.bin = one(),
                    "fails" => broken.fails = strings,
                    "fails_proposed" => broken.fails_proposed = strings,
                    "hint" => broken.hint = one(),
                    _ => {}
                }
            } else {
                match key {
                    "name" => exercise.name = one(),
                    "dir" => exercise.dir = one(),
                    "chapter" => exercise.chapter = one(),
                    "stage" => exercise.stage = one(),
                    "solution" => exercise.solution = one(),
                    "protocol" => exercise.protocol = one(),
                    "starter_fails_first" => exercise.starter_fails_first = one(),
                    "cases" => exercise.cases = strings,
                    "proposed_cases" => exercise.proposed_cases = strings,
                    "known_limits" => exercise.known_limits = strings,
                    "hints" => exercise.hints = strings,
                    _ => {}
                }
            }
        }
        Info { exercises }
    }
}

/// Every basic string (`"…"`, with `\"` and `\\` escapes) in `value`, unescaped.
fn quoted_strings(value: &str) -> Vec<String> {
    let mut strings = Vec::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut text = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => text.extend(
                    chars
                        .next()
                        .map(|escaped| if escaped == 'n' { '\n' } else { escaped }),
                ),
                c => text.push(c),
            }
        }
        strings.push(text);
    }
    strings
}

/// The case ids of PROPOSED_CASES.md: the first cell of every table row.
fn proposed_case_ids() -> BTreeSet<String> {
    let text =
        fs::read_to_string(exercises().join("PROPOSED_CASES.md")).expect("PROPOSED_CASES.md");
    text.lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|row| row.split(" |").next())
        .filter(|id| id.split('.').all(|part| part.parse::<u32>().is_ok()))
        .map(str::to_string)
        .collect()
}

/// Whether `list` runs case `id` (5.N runs after 4.N).
fn among(id: &str, list: &[String]) -> bool {
    let hostile = id.strip_prefix("5.").map(|n| format!("4.{n}"));
    list.iter()
        .any(|listed| listed == id || Some(listed) == hostile.as_ref())
}

/// Whether the catalogue has case `id` (5.N exists where 4.N does: it follows it).
fn in_catalogue(id: &str) -> bool {
    let hostile = id.strip_prefix("5.").map(|n| format!("4.{n}"));
    grade::CASES
        .iter()
        .any(|case| case.id == id || Some(case.id) == hostile.as_deref())
}

#[test]
fn info_toml_names_what_exists() {
    let info = Info::read();
    let proposed = proposed_case_ids();
    let names: Vec<&str> = info.exercises.iter().map(|e| e.name.as_str()).collect();
    let wanted: Vec<String> = (1..=13).map(|n| format!("lesson{n}")).collect();
    assert_eq!(names, wanted, "one exercise per lesson, in order");

    let mut problems = Vec::new();
    let mut broken_files = BTreeSet::new();
    for exercise in &info.exercises {
        let name = &exercise.name;
        for file in [
            format!("exercises/{}/src/main.rs", exercise.dir),
            exercise.chapter.clone(),
            exercise.stage.clone(),
        ] {
            if !repository().join(&file).is_file() {
                problems.push(format!("{name}: no file {file}"));
            }
        }
        if exercise.solution != format!("{name}-solution") {
            problems.push(format!(
                "{name}: its solution is {name}-solution, not {}",
                exercise.solution
            ));
        }
        if exercise.hints.is_empty() || exercise.hints.iter().any(String::is_empty) {
            problems.push(format!("{name}: no hints, or an empty one"));
        }
        if exercise.broken.is_empty() {
            problems.push(format!("{name}: no broken program"));
        }
        let protocol = grade::Protocol::parse(&exercise.protocol).ok();
        // A case must exist, and apply to the exercise's protocol when the catalogue has both.
        let check = |id: &String, list: &str, may_be_proposed: bool| -> Option<String> {
            let exists = in_catalogue(id) || (may_be_proposed && proposed.contains(id));
            if !exists {
                return Some(format!(
                    "{name}: {list} names {id}, which is in neither the catalogue nor PROPOSED_CASES.md"
                ));
            }
            match (grade::case(id), protocol) {
                (Some(case), Some(protocol)) if !case.applies_to(protocol) => Some(format!(
                    "{name}: {list} names {id}, which is not for {protocol}"
                )),
                _ => None,
            }
        };
        problems.extend(
            exercise
                .cases
                .iter()
                .filter_map(|id| check(id, "cases", false)),
        );
        problems.extend(
            exercise
                .known_limits
                .iter()
                .filter_map(|id| check(id, "known_limits", false)),
        );
        problems.extend(check(
            &exercise.starter_fails_first,
            "starter_fails_first",
            true,
        ));
        for id in &exercise.proposed_cases {
            problems.extend(check(id, "proposed_cases", true));
            if in_catalogue(id) {
                problems.push(format!(
                    "{name}: {id} exists now: move it from proposed_cases to cases"
                ));
            }
        }
        for broken in &exercise.broken {
            let bin = &broken.bin;
            broken_files.insert(format!("{bin}.rs"));
            if !bin.starts_with(&format!("{name}-")) {
                problems.push(format!(
                    "{name}: its broken program {bin} is not named {name}-…"
                ));
            }
            if broken.hint.is_empty() || broken.fails.len() + broken.fails_proposed.len() == 0 {
                problems.push(format!("{bin}: no hint, or no case it fails"));
            }
            // What a broken program fails, it fails among the cases its exercise is checked with.
            for (fails, list, what) in [
                (&broken.fails, &exercise.cases, "cases"),
                (
                    &broken.fails_proposed,
                    &exercise.proposed_cases,
                    "proposed cases",
                ),
            ] {
                for id in fails.iter().filter(|id| !among(id, list)) {
                    problems.push(format!(
                        "{bin}: fails {id}, which is not among {name}'s {what}"
                    ));
                }
            }
        }
    }
    // Every broken program is in info.toml, and nothing else is in exercises/broken/.
    let on_disk: BTreeSet<String> = fs::read_dir(exercises().join("broken"))
        .expect("exercises/broken")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    if on_disk != broken_files {
        problems.push(format!(
            "exercises/broken/ holds {on_disk:?}, info.toml names {broken_files:?}"
        ));
    }
    assert!(problems.is_empty(), "info.toml:\n{}", problems.join("\n"));
}

#[test]
fn the_test_reader_of_info_toml_reads_strings_and_arrays() {
    assert_eq!(
        quoted_strings(r#"["1.1", "a \"quoted\" \\ word"]"#),
        ["1.1", r#"a "quoted" \ word"#]
    );
    assert_eq!(quoted_strings("[]"), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// The reference solutions, by the run contract
// ---------------------------------------------------------------------------------------------

/// `lessonN-solution server --addr 127.0.0.1:0 ARGS`, once it has said where it listens.
fn reference_server(lesson: u16, args: &[&str]) -> ServerProcess {
    ServerProcess::spawn(
        &mut Command::new(program(&format!("lesson{lesson}-solution"))),
        args,
    )
}

/// The reference client of `lesson` against `addr`, fed `input`, run to its end (bounded), in
/// folder `cwd`; what it printed.
fn reference_client(lesson: u16, addr: SocketAddr, input: &[u8], cwd: &Path) -> String {
    let finished = common::run(
        Command::new(program(&format!("lesson{lesson}-solution")))
            .args(["client", "--addr", &addr.to_string()])
            .current_dir(cwd),
        input,
    );
    assert!(
        finished.status.success(),
        "lesson{lesson}-solution client: {}\n{}",
        finished.status,
        finished.stderr
    );
    finished.stdout
}

/// One echo exchange on a new connection.
fn echo_once(addr: SocketAddr, text: &str) -> String {
    let mut stream = probe::connect(addr).expect("connect");
    stream.write_all(text.as_bytes()).expect("send");
    let reply = probe::read_exactly(&mut stream, text.len()).expect("the reply");
    String::from_utf8(reply).expect("UTF-8")
}

#[test]
fn the_echo_references_listen_and_answer() {
    for lesson in [1, 2, 3, 4, 11, 12, 13] {
        let server = reference_server(lesson, &[]);
        assert_eq!(
            echo_once(server.addr, "hello, 你好"),
            "HELLO, 你好",
            "lesson {lesson}"
        );
        if lesson == 1 {
            // Lesson 1 serves its one client and exits, by itself, with status 0.
            let (status, _) = server.wait();
            assert!(status.success(), "lesson 1 exited with {status}");
        }
    }
}

#[test]
fn the_command_reference_runs_a_command() {
    let server = reference_server(5, &[]);
    let mut stream = probe::connect(server.addr).expect("connect");
    stream.write_all(b"echo hi").expect("send");
    assert_eq!(
        probe::read_exactly(&mut stream, 3).expect("the reply"),
        b"hi\n"
    );
}

/// A request frame under `header` with `body`, and the reply frame.
fn frame_exchange(stream: &mut TcpStream, header: Header, body: &[u8]) -> frame::Frame {
    frame::write_frame_with(stream, &header, body).expect("send a frame");
    let reply = frame::read_frame(stream, &Limits::REPLY)
        .expect("a reply frame")
        .expect("a reply, not the end");
    assert_eq!(reply.check_md5(), Md5Check::Matches, "the reply's md5");
    reply
}

#[test]
fn the_framed_reference_answers_a_frame() {
    let server = reference_server(6, &[]);
    let mut stream = probe::connect(server.addr).expect("connect");
    let reply = frame_exchange(&mut stream, Header::for_body(b"echo hi"), b"echo hi");
    assert_eq!(reply.body, b"hi\n");
}

#[test]
fn the_udp_reference_answers_a_datagram() {
    let server = reference_server(7, &[]);
    let socket = UdpSocket::bind("127.0.0.1:0").expect("a UDP socket");
    socket.connect(server.addr).expect("connect");
    socket.set_read_timeout(Some(PATIENCE)).expect("a timeout");
    socket.send(b"hello").expect("send");
    let mut reply = [0u8; 64];
    let n = socket
        .recv(&mut reply)
        .expect("a reply within the patience");
    assert_eq!(&reply[..n], b"HELLO");
}

/// A folder of its own under the system's temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(what: &str) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("exercises-test-{}-{what}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("a scratch folder");
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_file_reference_serves_a_file() {
    let root = Scratch::new("root");
    fs::write(root.0.join("a.txt"), "hello\n").expect("a file to serve");
    let root_arg = root.0.to_string_lossy().into_owned();
    let server = reference_server(8, &["--root", &root_arg]);
    let mut stream = probe::connect(server.addr).expect("connect");
    let get = Header::for_body(b"")
        .with("action", "get")
        .with("filename", "a.txt");
    let reply = frame_exchange(&mut stream, get, b"");
    assert_eq!(reply.body, b"hello\n");
    assert_eq!(reply.header.get_str("filename"), Some("a.txt"));
}

/// One line from a chat connection, within the patience.
fn chat_line(reader: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .expect("a line within the patience");
    line
}

/// A member who has named itself, and the line the room greeted it with.
fn member(addr: SocketAddr, name: &str) -> (TcpStream, BufReader<TcpStream>, String) {
    let mut stream = probe::connect(addr).expect("connect");
    let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
    stream
        .write_all(format!("{name}\n").as_bytes())
        .expect("send a name");
    let greeting = chat_line(&mut reader);
    (stream, reader, greeting)
}

#[test]
fn the_chat_reference_relays_a_line() {
    let server = reference_server(9, &[]);
    let (_alice, mut alice_hears, greeting) = member(server.addr, "alice");
    assert_eq!(greeting, "* in the room: nobody else yet\n");
    let (mut bob, _bob_hears, greeting) = member(server.addr, "bob");
    assert_eq!(greeting, "* in the room: alice\n");
    assert_eq!(chat_line(&mut alice_hears), "* bob joined\n");
    bob.write_all(b"hi\n").expect("say hi");
    assert_eq!(chat_line(&mut alice_hears), "[bob] hi\n");
}

#[test]
fn the_robot_reference_speaks_first_and_answers() {
    let server = reference_server(10, &[]);
    let mut stream = probe::connect(server.addr).expect("connect");
    let welcome = frame::read_frame(&mut stream, &Limits::REPLY)
        .expect("a frame")
        .expect("the welcome");
    assert_eq!(
        welcome.body,
        "欢迎致电 10086,请输入1xxx,0转人工服务.\n".as_bytes()
    );
    assert_eq!(welcome.header.get("hang_up"), Some(&false.into()));
    let reply = frame_exchange(&mut stream, Header::for_body(b"1"), b"1");
    assert_eq!(
        reply.body,
        "自助查询: 1 话费余额, 2 流量, 3 套餐, * 返回主菜单.\n".as_bytes()
    );
}

// ---------------------------------------------------------------------------------------------
// The reference clients, against the course's own servers
// ---------------------------------------------------------------------------------------------

#[test]
fn the_reference_clients_talk_to_the_course_servers() {
    let here = Scratch::new("clients");
    // (lesson, input, what the client prints)
    let talks: [(u16, &str, &str); 11] = [
        (1, "hello, 你好\n", "HELLO, 你好\n"),
        (2, "first\nsecond\n", "FIRST\n"),
        (
            3,
            "hello\n\nstill here\nq\nignored\n",
            "HELLO\nSTILL HERE\n",
        ),
        (
            4,
            "hello\n\nstill here\nq\nignored\n",
            "HELLO\nSTILL HERE\n",
        ),
        (5, "echo hi\n", "hi\n\n"),
        (6, "seq 3\n\nseq 0\necho next\n", "1\n2\n3\nnext\n"),
        (7, "a\n\nb\nq\n", "A\n\nB\n"),
        (
            10,
            "1\nexit\nmore\n",
            "欢迎致电 10086,请输入1xxx,0转人工服务.\n自助查询: 1 话费余额, 2 流量, 3 套餐, * 返回主菜单.\n感谢您的来电, 再见.\n",
        ),
        (11, "hello\n", "HELLO\n"),
        (12, "hello\n\nq\nignored\n", "HELLO\n"),
        (13, "hello\n\nq\nignored\n", "HELLO\n"),
    ];
    for (lesson, input, expected) in talks {
        let server = ServerProcess::start(lesson);
        let printed = reference_client(lesson, server.addr, input.as_bytes(), &here.0);
        assert_eq!(printed, expected, "the lesson {lesson} reference client");
    }
}

#[test]
fn the_file_reference_client_downloads_and_uploads() {
    let root = Scratch::new("course-root");
    let here = Scratch::new("client-folder");
    fs::write(root.0.join("a.txt"), "hello\n").expect("a file to serve");
    fs::write(here.0.join("b.txt"), "uploaded\n").expect("a file to upload");
    let root_arg = root.0.to_string_lossy().into_owned();
    let server = ServerProcess::start_with(8, &["--root", &root_arg]);
    let printed = reference_client(8, server.addr, b"get a.txt\nput b.txt\n", &here.0);
    assert_eq!(
        printed,
        "got a.txt (6 bytes, md5 checked)\nstored b.txt (9 bytes)\n"
    );
    assert_eq!(
        fs::read(here.0.join("a.txt")).expect("the download"),
        b"hello\n"
    );
    assert_eq!(
        fs::read(root.0.join("b.txt")).expect("the upload"),
        b"uploaded\n"
    );
    // Nothing but the two files: no temporary file left behind.
    assert_eq!(fs::read_dir(&here.0).expect("the folder").count(), 2);
}

#[test]
fn the_chat_reference_client_joins_and_leaves() {
    let here = Scratch::new("chat-client");
    let server = ServerProcess::start(9);
    // The input ends after the name: the client joins, leaves, and prints to the end.
    let printed = reference_client(9, server.addr, b"alice\n", &here.0);
    assert_eq!(printed, "* in the room: nobody else yet\n");
}

/// Every exercise's program prints usage and exits 2 on a command line it does not know.
#[test]
fn a_bad_command_line_is_a_usage_error() {
    for lesson in 1..=13 {
        let finished = common::run(
            Command::new(program(&format!("lesson{lesson}-solution"))).arg("serve"),
            b"",
        );
        assert_eq!(finished.status.code(), Some(2), "lesson {lesson}");
        let said = &finished.stderr;
        assert!(
            said.starts_with(&format!("usage: lesson{lesson} ")),
            "lesson {lesson}: {said}"
        );
    }
}
