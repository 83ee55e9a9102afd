//! Lesson 6 on the tutorial's own wires, with the Python peers in `python/`.
//!
//! The tutorial cures sticky packets twice (seed 002, 解决粘包): the 初级版 puts
//! `struct.pack('i', total_size)` before each output, the 终极版 puts `struct.pack('i',
//! len(header_bytes))` and a `json.dumps` header (`total_size`, a placeholder `md5`) before it.
//! Its requests stay bare, one `recv(1024)` each. `python/lesson6_tutorial_*.py` speak those
//! wires (with `'<i'`: little-endian, what `'i'` is on the students' machines).
//!
//! Two parts:
//!
//! - **The Python tutorial-wire programs**, against each other and checked byte for byte on the
//!   raw wire, so that they are known to behave like the tutorial. These run now.
//! - **`lesson6 server --wire tutorial|tutorial-basic` and `lesson6 client --wire …`**, the Rust
//!   side (docs/contracts.md, "The fixed-header frame"), against those programs both ways and
//!   against raw sockets: the client sends commands bare, reads a little-endian signed 4-byte
//!   length, and says once that a placeholder md5 is not checked; the server reads one
//!   `recv(1024)` per request and replies in the tutorial's format with a real md5.
//!
//! Where `python3` (or `SOCKET_LESSONS_PYTHON`) is not installed, each test writes one
//! `skipped: …` line to stderr and passes. Nothing sleeps; every wait is bounded by
//! `probe::PATIENCE`; every child is reaped. (What both Python test files need, from running a
//! client to the contract's `help` text, is in `tests/common/python.rs`.)

mod common;

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::process::Command;

use common::python::{
    HELP, md5_hex, python_client, python_server, refused, seq, skip_without_python, stop, talk,
    text,
};
use common::{drain, stand_in};
use socket_lessons_tools::probe::{
    self, A_MOMENT, Finished, PATIENCE, ServerProcess, expect_silence, read_exactly,
};

// =============================================================================================
// The programs
// =============================================================================================

fn lesson6() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lesson6"))
}

/// `lesson6 server --wire WIRE --addr 127.0.0.1:0`, ready.
fn rust_server(wire: &str) -> ServerProcess {
    ServerProcess::spawn(lesson6().args(["server", "--wire", wire, "--addr", "127.0.0.1:0"]))
        .unwrap_or_else(|e| panic!("lesson6 server --wire {wire}: {e}"))
}

/// `lesson6 client --wire WIRE --addr ADDR`.
fn rust_client(wire: &str, addr: SocketAddr) -> Command {
    let mut command = lesson6();
    command.args(["client", "--wire", wire, "--addr", &addr.to_string()]);
    command
}

// =============================================================================================
// What the wires carry, from the contract and the tutorial
// =============================================================================================

/// The tutorial's stand-in for a digest.
const PLACEHOLDER_MD5: &str = "sssxxxadwc123asd123";

/// A session every client below runs: empty lines skipped, an empty output (`seq 0`), an output
/// far over 1024 bytes (`seq 1000`), UTF-8, `q` ending it.
const SESSION: &str = "echo hi\n\nhelp\nseq 0\nseq 1000\necho  你好   world\nq\necho never\n";

/// What a client prints for [`SESSION`]: each output exactly, nothing added.
fn session_output() -> String {
    format!("hi\n{HELP}{}你好 world\n", seq(1000))
}

/// Runs `client` through [`SESSION`], checks it printed [`session_output`], and stops `server`.
/// Returns what the client wrote, for the test to check its stderr.
fn run_session(client: &mut Command, server: ServerProcess) -> Finished {
    let done = talk(client, SESSION.as_bytes());
    assert_eq!(text(&done.stdout), session_output());
    stop(server);
    done
}

/// [`run_session`] with the Python client `program`, against `server`.
fn python_client_session(program: &str, server: ServerProcess) -> Finished {
    run_session(&mut python_client(program, server.addr), server)
}

/// [`run_session`] with `lesson6 client --wire WIRE`, against `server`.
fn rust_client_session(wire: &str, server: ServerProcess) -> Finished {
    run_session(&mut rust_client(wire, server.addr), server)
}

/// The 4 bytes `struct.pack('i', n)` writes on a little-endian machine.
fn pack_i(n: usize) -> [u8; 4] {
    i32::try_from(n).unwrap().to_le_bytes()
}

/// A reply on the 终极版 wire, as the tutorial's server builds it, with `md5` in its header.
fn tutorial_reply(body: &[u8], md5: &str) -> Vec<u8> {
    let header = format!(
        r#"{{"filenema": "a.txt", "total_size": {}, "md5": "{md5}"}}"#,
        body.len()
    );
    let mut bytes = pack_i(header.len()).to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(body);
    bytes
}

/// A reply on the 初级版 wire.
fn basic_reply(body: &[u8]) -> Vec<u8> {
    let mut bytes = pack_i(body.len()).to_vec();
    bytes.extend_from_slice(body);
    bytes
}

/// Reads one 终极版 reply off `stream`: (the header's bytes, the header as JSON, the body).
fn read_tutorial_reply(stream: &mut TcpStream) -> (Vec<u8>, serde_json::Value, Vec<u8>) {
    let prefix = read_exactly(stream, 4).unwrap();
    let header_len = i32::from_le_bytes(prefix[..].try_into().unwrap());
    assert!(
        (1..=65536).contains(&header_len),
        "a little-endian header length, got {prefix:02x?}"
    );
    let header = read_exactly(stream, header_len as usize).unwrap();
    let fields: serde_json::Value = serde_json::from_slice(&header)
        .unwrap_or_else(|e| panic!("a JSON header, got {:?}: {e}", text(&header)));
    let total_size = fields["total_size"].as_u64().expect("a total_size");
    let body = read_exactly(stream, total_size as usize).unwrap();
    (header, fields, body)
}

/// Reads one 初级版 reply off `stream`: the body its length announced.
fn read_basic_reply(stream: &mut TcpStream) -> Vec<u8> {
    let prefix = read_exactly(stream, 4).unwrap();
    let total_size = i32::from_le_bytes(prefix[..].try_into().unwrap());
    assert!(total_size >= 0, "a little-endian length, got {prefix:02x?}");
    read_exactly(stream, total_size as usize).unwrap()
}

/// One recv(1024) per request, on the 终极版 wire: two commands in one write are one command,
/// and one reply comes back for it, nothing more.
fn assert_one_write_is_one_command(stream: &mut TcpStream) {
    stream.write_all(b"echo aecho b").unwrap();
    let (_, _, body) = read_tutorial_reply(stream);
    assert_eq!(text(&body), "aecho b\n");
    expect_silence(stream, A_MOMENT).unwrap();
}

/// Checks that `server` (Python or Rust) answers on the 初级版 wire exactly as the tutorial's
/// does, then stops it.
fn assert_speaks_the_tutorials_first_wire(server: ServerProcess) {
    let mut a = probe::connect(server.addr).unwrap();
    a.write_all(b"seq 3").unwrap();
    assert_eq!(
        read_exactly(&mut a, 10).unwrap(),
        b"\x06\x00\x00\x001\n2\n3\n"
    );
    a.write_all(b"seq 0").unwrap();
    assert_eq!(read_exactly(&mut a, 4).unwrap(), [0, 0, 0, 0]);
    a.write_all(b"seq 1000").unwrap();
    assert_eq!(text(&read_basic_reply(&mut a)), seq(1000));
    expect_silence(&mut a, A_MOMENT).unwrap();
    drop(a);
    stop(server);
}

/// Runs the client `client_for(addr)` with `echo hi` against a stand-in server on the 终极版
/// wire that answers `hi\n` with a real md5 that does not fit it (the md5 of `ho\n`). The
/// client must fail (status 1); returns what it wrote, and its stderr, for the test to check.
fn refuses_a_wrong_md5(client_for: impl FnOnce(SocketAddr) -> Command) -> (Finished, String) {
    let (addr, server) = stand_in(|mut conn| {
        read_exactly(&mut conn, 7).unwrap();
        conn.write_all(&tutorial_reply(b"hi\n", &md5_hex(b"ho\n")))
            .unwrap();
        drain(&mut conn)
    });
    let refusal = refused(&mut client_for(addr), b"echo hi\n");
    server.join_within(PATIENCE).unwrap();
    refusal
}

/// Runs the client `client_for(addr)` with `echo hi` against a stand-in server that checks the
/// command came bare (7 bytes, then nothing while the client waits), then answers with
/// `reply_writes`, one write each; the client must print `printed`, and send nothing more.
/// `what` names the client in failures.
fn assert_sends_the_command_bare(
    client_for: impl FnOnce(SocketAddr) -> Command,
    reply_writes: Vec<Vec<u8>>,
    printed: &str,
    what: &str,
) {
    let (addr, server) = stand_in(move |mut conn| {
        let request = read_exactly(&mut conn, 7).unwrap();
        // Nothing follows the bare command: the client waits for its reply.
        expect_silence(&mut conn, A_MOMENT).unwrap();
        for piece in reply_writes {
            conn.write_all(&piece).unwrap();
        }
        (request, drain(&mut conn))
    });
    let done = talk(&mut client_for(addr), b"echo hi\n");
    assert_eq!(text(&done.stdout), printed, "{what}");
    let (request, rest) = server.join_within(PATIENCE).unwrap();
    assert_eq!(text(&request), "echo hi", "{what}: the command, bare");
    assert_eq!(rest, b"", "{what}");
}

#[test]
fn the_helpers_pack_like_the_tutorial() {
    // The tutorial's own example: struct.pack('i', 1231231) is b'\x7f\xc9\x12\x00'.
    assert_eq!(pack_i(1_231_231), [0x7f, 0xc9, 0x12, 0x00]);
    // Its header example packs 118 as b'v\x00\x00\x00'.
    assert_eq!(pack_i(118), *b"v\0\0\0");
    assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
}

// =============================================================================================
// The Python tutorial-wire programs: against each other, and on the raw wire
// =============================================================================================

/// Lines of `stderr` that say an md5 was not checked.
fn not_checked_lines(stderr: &[u8]) -> usize {
    text(stderr)
        .lines()
        .filter(|line| line.contains("not checked"))
        .count()
}

#[test]
fn python_tutorial_server_and_client_agree() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson6_tutorial_server.py", &[]);
    let done = python_client_session("lesson6_tutorial_client.py", server);
    // A real md5 is checked, so nothing is said about it; each header is shown, as the
    // tutorial's client prints it.
    assert_eq!(not_checked_lines(&done.stderr), 0, "{}", text(&done.stderr));
    let headers = text(&done.stderr)
        .lines()
        .filter(|line| line.starts_with("header: {'filenema': 'a.txt', 'total_size': "))
        .count();
    assert_eq!(headers, 5, "{}", text(&done.stderr));
}

#[test]
fn python_tutorial_client_says_once_that_a_placeholder_md5_is_not_checked() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson6_tutorial_server.py", &["--placeholder-md5"]);
    let done = python_client_session("lesson6_tutorial_client.py", server);
    assert_eq!(not_checked_lines(&done.stderr), 1, "{}", text(&done.stderr));
    assert!(text(&done.stderr).contains(PLACEHOLDER_MD5));
}

#[test]
fn python_tutorial_basic_server_and_client_agree() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson6_tutorial_basic_server.py", &[]);
    python_client_session("lesson6_tutorial_basic_client.py", server);
}

#[test]
fn python_tutorial_server_sends_the_tutorials_bytes() {
    if skip_without_python() {
        return;
    }
    for placeholder in [false, true] {
        let server = if placeholder {
            python_server("lesson6_tutorial_server.py", &["--placeholder-md5"])
        } else {
            python_server("lesson6_tutorial_server.py", &[])
        };
        let md5 = |body: &[u8]| {
            if placeholder {
                PLACEHOLDER_MD5.to_string()
            } else {
                md5_hex(body)
            }
        };
        let mut a = probe::connect(server.addr).unwrap();
        // The request is bare, and the reply is exactly the tutorial's: '<i' length, json.dumps
        // header (its spaces, its key order, its `filenema`), body.
        a.write_all(b"echo hi").unwrap();
        let expected = tutorial_reply(b"hi\n", &md5(b"hi\n"));
        assert_eq!(
            text(&read_exactly(&mut a, expected.len()).unwrap()),
            text(&expected)
        );
        // An empty output is a header saying 0, and no body.
        a.write_all(b"seq 0").unwrap();
        let expected = tutorial_reply(b"", &md5(b""));
        assert_eq!(read_exactly(&mut a, expected.len()).unwrap(), expected);
        // Only the reply is framed: two commands in one write are one recv(1024), one command.
        assert_one_write_is_one_command(&mut a);
        drop(a);
        stop(server);
    }
}

#[test]
fn python_tutorial_basic_server_sends_the_tutorials_bytes() {
    if skip_without_python() {
        return;
    }
    assert_speaks_the_tutorials_first_wire(python_server("lesson6_tutorial_basic_server.py", &[]));
}

/// How a server on one of the tutorial's wires replies with a body.
type Reply = fn(&[u8]) -> Vec<u8>;

/// The Python tutorial-wire clients, each with the reply its wire carries.
const PYTHON_TUTORIAL_CLIENTS: [(&str, Reply); 2] = [
    ("lesson6_tutorial_client.py", |body| {
        tutorial_reply(body, &md5_hex(body))
    }),
    ("lesson6_tutorial_basic_client.py", basic_reply),
];

#[test]
fn python_tutorial_clients_send_commands_bare_and_read_replies_in_pieces() {
    if skip_without_python() {
        return;
    }
    for (program, reply) in PYTHON_TUTORIAL_CLIENTS {
        // The length and the header whole (the tutorial's client needs each in one recv), the
        // output split over two writes.
        let bytes = reply(b"hi there\n");
        let split_at = bytes.len() - 9 + 2;
        let pieces = vec![bytes[..split_at].to_vec(), bytes[split_at..].to_vec()];
        let client_for = |addr| python_client(program, addr);
        assert_sends_the_command_bare(client_for, pieces, "hi there\n", program);
    }
}

#[test]
fn python_tutorial_clients_stop_when_the_server_hangs_up_mid_reply() {
    if skip_without_python() {
        return;
    }
    // The tutorial's loop `while recv_size < total_size: recv(1024)` would spin for ever here,
    // each recv returning b''. Ours stops with one error line.
    for (program, reply) in PYTHON_TUTORIAL_CLIENTS {
        let (addr, server) = stand_in(move |mut conn| {
            read_exactly(&mut conn, 7).unwrap();
            let bytes = reply(&[b'x'; 100]);
            conn.write_all(&bytes[..bytes.len() - 97]).unwrap();
        });
        let (done, stderr) = refused(&mut python_client(program, addr), b"echo hi\n");
        server.join_within(PATIENCE).unwrap();
        let error = stderr.lines().last().unwrap_or_default();
        assert!(
            error.starts_with("error: ") && error.contains("hung up after 3 of 100 bytes"),
            "{program}: {stderr}"
        );
        assert_eq!(text(&done.stdout), "", "{program}");
    }
}

#[test]
fn python_tutorial_client_refuses_a_real_md5_that_does_not_fit() {
    if skip_without_python() {
        return;
    }
    let (done, stderr) =
        refuses_a_wrong_md5(|addr| python_client("lesson6_tutorial_client.py", addr));
    assert!(stderr.contains("the reply is damaged"), "{stderr}");
    assert_eq!(text(&done.stdout), "");
}

// =============================================================================================
// The Rust side: lesson6 --wire tutorial | tutorial-basic
// =============================================================================================

#[test]
fn python_tutorial_client_against_rust_tutorial_server() {
    if skip_without_python() {
        return;
    }
    let server = rust_server("tutorial");
    let done = python_client_session("lesson6_tutorial_client.py", server);
    // The Rust server sends a real md5, which the Python client checked.
    assert_eq!(not_checked_lines(&done.stderr), 0, "{}", text(&done.stderr));
}

#[test]
fn rust_tutorial_server_speaks_the_tutorials_wire() {
    // No Python needed: a raw socket plays the tutorial's client.
    let server = rust_server("tutorial");
    let mut a = probe::connect(server.addr).unwrap();
    for (request, output) in [
        ("echo hi", "hi\n".to_string()),
        ("seq 0", String::new()),
        ("seq 1000", seq(1000)),
    ] {
        a.write_all(request.as_bytes()).unwrap();
        let (header, fields, body) = read_tutorial_reply(&mut a);
        assert_eq!(text(&body), output, "{request}");
        assert_eq!(
            fields["md5"].as_str(),
            Some(md5_hex(output.as_bytes()).as_str()),
            "{request}: a real md5 in {}",
            text(&header)
        );
    }
    assert_one_write_is_one_command(&mut a);
    drop(a);
    stop(server);
}

#[test]
fn rust_tutorial_client_against_python_tutorial_server_with_the_placeholder_md5() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson6_tutorial_server.py", &["--placeholder-md5"]);
    let done = rust_client_session("tutorial", server);
    // Five replies, each with the placeholder: "not checked" is said once.
    assert_eq!(not_checked_lines(&done.stderr), 1, "{}", text(&done.stderr));
}

#[test]
fn rust_tutorial_client_against_python_tutorial_server_with_a_real_md5() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson6_tutorial_server.py", &[]);
    let done = rust_client_session("tutorial", server);
    assert_eq!(not_checked_lines(&done.stderr), 0, "{}", text(&done.stderr));
}

#[test]
fn rust_tutorial_clients_send_commands_bare() {
    // No Python needed: a stand-in server records what the Rust client sends.
    for (wire, reply) in [
        ("tutorial", tutorial_reply(b"hi\n", PLACEHOLDER_MD5)),
        ("tutorial-basic", basic_reply(b"hi\n")),
    ] {
        let client_for = |addr| rust_client(wire, addr);
        assert_sends_the_command_bare(client_for, vec![reply], "hi\n", &format!("--wire {wire}"));
    }
}

#[test]
fn rust_tutorial_client_refuses_a_real_md5_that_does_not_fit() {
    let (done, stderr) = refuses_a_wrong_md5(|addr| rust_client("tutorial", addr));
    assert!(stderr.contains("md5"), "{stderr}");
    assert_eq!(
        text(&done.stdout),
        "",
        "nothing of a damaged reply is printed"
    );
}

#[test]
fn python_tutorial_basic_client_against_rust_tutorial_basic_server() {
    if skip_without_python() {
        return;
    }
    let server = rust_server("tutorial-basic");
    python_client_session("lesson6_tutorial_basic_client.py", server);
}

#[test]
fn rust_tutorial_basic_server_speaks_the_tutorials_first_wire() {
    assert_speaks_the_tutorials_first_wire(rust_server("tutorial-basic"));
}

#[test]
fn rust_tutorial_basic_client_against_python_tutorial_basic_server() {
    if skip_without_python() {
        return;
    }
    let server = python_server("lesson6_tutorial_basic_server.py", &[]);
    rust_client_session("tutorial-basic", server);
}

#[test]
fn wire_framed_named_explicitly_is_ours_both_ways() {
    if skip_without_python() {
        return;
    }
    let server = rust_server("framed");
    python_client_session("lesson6_framed_client.py", server);

    let server = python_server("lesson6_framed_server.py", &[]);
    rust_client_session("framed", server);
}

/// The tutorial's 初级版 client, as it is written (seed 002): each command bare, then
/// `struct.unpack('i', recv(4))` as the output's length, `recv(1024)` until that many bytes have
/// come, print. No error handling: it ends with whatever Python raises. (The peer in `python/`
/// stops with one error line instead; this is the one the chapter's `--wire` table describes.)
const TUTORIALS_BASIC_CLIENT: &str = r#"
import socket, struct, sys
client = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
for line in sys.stdin:
    cmd = line.strip()
    if not cmd:
        continue
    client.send(cmd.encode('utf-8'))
    total_size = struct.unpack('i', client.recv(4))[0]
    recv_size, res = 0, b''
    while recv_size < total_size:
        data = client.recv(1024)
        res += data
        recv_size += len(data)
    print(repr(res), flush=True)
"#;

/// The cell of the chapter's `--wire` table for the 初级版 client against `--wire framed`: the
/// framed server reads `echo` as a header length, answers with an error frame and hangs up (with
/// ` hi` unread, so with a reset). The client takes that frame's big-endian header length for its
/// little-endian body length, a negative number: it reads no body and prints an empty reply. Its
/// next command dies with `ConnectionResetError` (at the `send`, or in the `recv` that reads the
/// rest of the error frame as another length, as the reset's timing falls), never in the first
/// `recv`.
#[test]
fn the_tutorials_basic_client_against_the_framed_server_prints_an_empty_reply_then_meets_a_reset() {
    if skip_without_python() {
        return;
    }
    let server = rust_server("framed");
    let done = probe::run(
        Command::new(common::python::interpreter()).args([
            "-c",
            TUTORIALS_BASIC_CLIENT,
            &server.addr.port().to_string(),
        ]),
        b"echo hi\necho bye\n",
        PATIENCE,
    )
    .unwrap();
    stop(server);
    assert!(!done.status.success());
    assert_eq!(
        text(&done.stdout),
        "b''\n",
        "one empty reply, for the first command"
    );
    let stderr = text(&done.stderr);
    assert!(stderr.contains("ConnectionResetError"), "{stderr}");
    // Python names the line (of the script above, counting its first, empty line): 8 is the
    // `send`, 12 the body's `recv(1024)`; 9 would be the first `recv(4)`.
    assert!(
        stderr.contains("line 8,") || stderr.contains("line 12,"),
        "it dies in the next command's send or body recv, not in a recv(4): {stderr}"
    );
    // And the chapter's table says so.
    let chapter = common::chapter("06-fixed-header.md");
    let row = common::line_starting(&chapter, "| 初级版 client → `lesson6 server` |");
    let framed_cell = row.split(" | ").nth(1).unwrap();
    for fact in ["prints an empty reply", "ConnectionResetError", "`send`"] {
        assert!(framed_cell.contains(fact), "{fact:?} in {framed_cell:?}");
    }
}
