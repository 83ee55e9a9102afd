//! Lesson 8: files over the frame. Real sockets on 127.0.0.1:0, served folders under the OS's
//! temporary directory (removed at the end of each test), the library's server on a thread for
//! most tests and the real `lesson8` binary for the command line and Ctrl-C.
//!
//! Every wait is bounded: sockets have the probe's timeouts, threads and processes are joined
//! within PATIENCE. "The server has finished with a connection" is learned from the connection
//! ending (the server closes it only after the temporary file is gone), never from a sleep.

mod common;

use std::fs;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use common::{RunningServer, ServerProcess, connect};
use socket_lessons::files::{self, FileError, Refused, Root};
use socket_lessons::frame::{self, BodyReader, Header, Md5Check, md5_hex};
use socket_lessons::lessons::file_transfer;
use socket_lessons_tools::probe::{BoundedThread, PATIENCE, SplitMix64};

// ---- Helpers ----

/// A fresh folder under the OS's temporary directory, removed (with everything in it) on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(what: &str) -> TempDir {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "socket-lessons-l8-{what}-{}-{n}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        TempDir(dir.canonicalize().unwrap())
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Every entry's name, sorted (temporary files included: they start with a dot).
    fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.0)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Lesson 8's server on 127.0.0.1:0, serving `root` with uploads up to `max_upload` bytes.
fn serve(root: &Path, max_upload: u64) -> RunningServer {
    let root = Root::open(root, max_upload).unwrap();
    RunningServer::start(move |server| file_transfer::serve(server, root))
}

/// `n` bytes of every value, in an order that repeats nowhere (a seeded generator).
fn binary(n: usize, seed: u64) -> Vec<u8> {
    let mut random = SplitMix64::new(seed);
    (0..n).map(|_| random.next_u64() as u8).collect()
}

fn put_bytes(addr: SocketAddr, dir: &TempDir, name: &str, bytes: &[u8]) -> io::Result<Header> {
    let local = dir.join(&format!("upload-{}", md5_hex(name.as_bytes())));
    fs::write(&local, bytes).unwrap();
    // (`replace`: these tests store and store again; the refusal has a test of its own.)
    let put = file_transfer::put(&mut connect(addr), &local, name, true);
    fs::remove_file(&local).unwrap();
    Ok(put?)
}

fn get_bytes(addr: SocketAddr, dir: &TempDir, name: &str) -> io::Result<Vec<u8>> {
    let local = dir.join("download");
    let _ = fs::remove_file(&local);
    file_transfer::get(&mut connect(addr), name, &local)?;
    let bytes = fs::read(&local).unwrap();
    fs::remove_file(&local).unwrap();
    Ok(bytes)
}

/// Sends a request header (and `body`) by hand, and returns the reply's header and body.
fn raw_request(addr: SocketAddr, header: &Header, body: &[u8]) -> (Header, Vec<u8>) {
    let mut conn = connect(addr);
    frame::write_frame_with(&mut conn, header, body).unwrap();
    let reply = frame::read_header(&mut conn, &files::REPLY_LIMITS)
        .unwrap()
        .expect("a reply");
    let mut bytes = Vec::new();
    BodyReader::new(&mut conn, &reply)
        .read_to_end(&mut bytes)
        .unwrap();
    (reply, bytes)
}

fn error_of(e: &FileError) -> String {
    e.to_string()
}

/// Whether `e` ended one command only (a refusal, a wrong md5), leaving the connection usable.
fn ended_one_command(e: &FileError) -> bool {
    matches!(e, FileError::Refused(_))
}

// ---- Byte-exact transfers ----

#[test]
fn put_then_get_is_byte_exact_for_every_size() {
    let root = TempDir::new("root");
    let local = TempDir::new("local");
    let server = serve(root.path(), files::DEFAULT_MAX_UPLOAD);
    // Empty, one byte, 1 MiB, and larger than every buffer on the way (the 64 KiB pieces of
    // write_frame_from, the 8 KiB of io::copy, the sockets' buffers), not a multiple of any.
    for (i, size) in [0, 1, 1 << 20, 5 * (1 << 20) + 17].into_iter().enumerate() {
        let bytes = binary(size, i as u64);
        let name = format!("file-{size}.bin");
        let put = put_bytes(server.addr, &local, &name, &bytes).unwrap();
        assert_eq!(put.total_size, size as u64);
        assert_eq!(put.md5.as_deref(), Some(md5_hex(&bytes).as_str()));
        assert_eq!(fs::read(root.join(&name)).unwrap(), bytes, "stored {name}");
        assert_eq!(
            get_bytes(server.addr, &local, &name).unwrap(),
            bytes,
            "got {name}"
        );
    }
    // A file put into the folder by someone else (never uploaded, so never hashed yet) too.
    let bytes = binary(300_000, 99);
    fs::write(root.join("by hand.bin"), &bytes).unwrap();
    assert_eq!(
        get_bytes(server.addr, &local, "by hand.bin").unwrap(),
        bytes
    );
    assert!(
        root.entries().iter().all(|name| !name.starts_with('.')),
        "{:?}",
        root.entries()
    );
    server.stop().unwrap();
}

#[test]
fn names_with_spaces_and_non_ascii_travel_as_they_are() {
    let root = TempDir::new("root");
    let local = TempDir::new("local");
    let server = serve(root.path(), files::DEFAULT_MAX_UPLOAD);
    for name in ["my notes.txt", "你好 世界.txt", "naïve résumé.md"] {
        let bytes = format!("contents of {name}\n").into_bytes();
        put_bytes(server.addr, &local, name, &bytes).unwrap();
        assert_eq!(fs::read(root.join(name)).unwrap(), bytes);
        assert_eq!(get_bytes(server.addr, &local, name).unwrap(), bytes);
    }
    let mut listed = Vec::new();
    let mut phone = connect(server.addr);
    file_transfer::run(&mut phone, files::FileCommand::List, &mut listed).unwrap();
    let listed = String::from_utf8(listed).unwrap();
    assert!(listed.contains("你好 世界.txt"), "{listed}");
    assert!(listed.contains("my notes.txt"), "{listed}");
    server.stop().unwrap();
}

#[test]
fn sizes_are_printed_for_people() {
    let root = TempDir::new("root");
    let local = TempDir::new("local");
    fs::write(root.join("a.txt"), b"hello\n").unwrap();
    fs::write(root.join("big.bin"), vec![7u8; 3 << 19]).unwrap();
    let server = serve(root.path(), files::DEFAULT_MAX_UPLOAD);
    let mut phone = connect(server.addr);
    let mut said = Vec::new();
    file_transfer::run(&mut phone, files::FileCommand::List, &mut said).unwrap();
    let get = files::FileCommand::Get {
        name: "big.bin".into(),
        output: Some(local.join("big.bin")),
        force: false,
    };
    file_transfer::run(&mut phone, get, &mut said).unwrap();
    let said = String::from_utf8(said).unwrap();
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(
        lines[..2],
        ["    6 bytes  \"a.txt\"", "   1.50 MiB  \"big.bin\""]
    );
    assert!(
        lines[2].starts_with("got \"big.bin\" (1.50 MiB, md5 "),
        "{}",
        lines[2]
    );
    server.stop().unwrap();
}

#[test]
fn a_file_replaced_after_its_md5_was_remembered_is_hashed_again() {
    let root = TempDir::new("root");
    let local = TempDir::new("local");
    let server = serve(root.path(), files::DEFAULT_MAX_UPLOAD);
    put_bytes(server.addr, &local, "a.bin", &binary(10_000, 1)).unwrap();
    // Replaced by someone else, with a file of the same size: a new version (new inode).
    let other = binary(10_000, 2);
    let side = root.join("side.bin");
    fs::write(&side, &other).unwrap();
    fs::rename(&side, root.join("a.bin")).unwrap();
    assert_eq!(get_bytes(server.addr, &local, "a.bin").unwrap(), other);
    server.stop().unwrap();
}

// ---- Confinement ----

#[cfg(unix)]
#[test]
fn every_way_out_of_the_folder_is_refused_and_nothing_outside_is_touched() {
    let base = TempDir::new("base");
    let root_dir = base.join("root");
    fs::create_dir(&root_dir).unwrap();
    let outside = base.join("secret.txt");
    fs::write(&outside, b"secret").unwrap();
    let outside_dir = base.join("elsewhere");
    fs::create_dir(&outside_dir).unwrap();
    std::os::unix::fs::symlink(&outside, root_dir.join("link.txt")).unwrap();
    std::os::unix::fs::symlink(&outside_dir, root_dir.join("door")).unwrap();
    // A symlink that stays inside is fine.
    fs::write(root_dir.join("real.txt"), b"inside").unwrap();
    std::os::unix::fs::symlink(root_dir.join("real.txt"), root_dir.join("alias.txt")).unwrap();

    let root = Root::open(&root_dir, 1 << 20).unwrap();
    let names = [
        "../secret.txt",
        "a/../../secret.txt",
        "..",
        outside.to_str().unwrap(),
        "/etc/passwd",
        "real.txt\0",
        "link.txt",
        "door/x.txt",
        "sub\\..\\..\\secret.txt",
        ".hidden",
        "",
    ];
    for name in names {
        let refused: Result<PathBuf, Refused> = root.resolve(name);
        assert!(refused.is_err(), "{name:?} resolved to {refused:?}");
    }
    assert_eq!(
        root.resolve("alias.txt").unwrap(),
        root_dir.join("real.txt")
    );

    // The same names over the wire: every get and every put is refused with an `error` reply,
    // and the connection carries on (the next request is answered).
    let local = TempDir::new("local");
    let server = serve(&root_dir, 1 << 20);
    let mut phone = connect(server.addr);
    for name in names {
        let to = local.join("download");
        let got = file_transfer::get(&mut phone, name, &to);
        let e = got.expect_err(name);
        assert!(ended_one_command(&e), "{name:?}: {e}");
        assert!(error_of(&e).contains("the server refused"), "{name:?}: {e}");
        assert!(!to.exists());

        let upload = local.join("upload");
        fs::write(&upload, b"overwritten!").unwrap();
        let e = file_transfer::put(&mut phone, &upload, name, true).expect_err(name);
        assert!(ended_one_command(&e), "{name:?}: {e}");
    }
    let to = local.join("alias");
    file_transfer::get(&mut phone, "alias.txt", &to).unwrap();
    assert_eq!(fs::read(&to).unwrap(), b"inside");
    server.stop().unwrap();

    assert_eq!(
        fs::read(&outside).unwrap(),
        b"secret",
        "the file outside is untouched"
    );
    assert_eq!(
        fs::read_dir(&outside_dir).unwrap().count(),
        0,
        "nothing was created outside"
    );
    let mut base_entries: Vec<_> = fs::read_dir(base.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    base_entries.sort();
    assert_eq!(base_entries, ["elsewhere", "root", "secret.txt"]);
}

#[test]
fn a_dot_or_an_empty_part_anywhere_in_a_name_is_refused() {
    let root = TempDir::new("root");
    let local = TempDir::new("local");
    fs::create_dir(root.join("sub")).unwrap();
    fs::write(root.join("a.txt"), b"a").unwrap();
    fs::write(root.join("sub").join("b.txt"), b"b").unwrap();
    let server = serve(root.path(), 1 << 20);
    let mut phone = connect(server.addr);
    // `Path::components` would drop every one of these dots (and the slashes): each would name
    // a real file. The contract refuses `.` anywhere, and a name of plain parts has no empty one.
    for (name, why) in [
        ("a.txt/.", "may not contain `.`"),
        ("sub/./b.txt", "may not contain `.`"),
        ("./a.txt", "may not contain `.`"),
        ("sub//b.txt", "no empty part"),
        ("sub/", "no empty part"),
    ] {
        let e = file_transfer::get(&mut phone, name, &local.join("got")).expect_err(name);
        assert!(ended_one_command(&e), "{name:?}: {e}");
        assert!(error_of(&e).contains(why), "{name:?}: {e}");
        let upload = local.join("upload");
        fs::write(&upload, b"new").unwrap();
        let e = file_transfer::put(&mut phone, &upload, name, true).expect_err(name);
        assert!(error_of(&e).contains(why), "{name:?}: {e}");
    }
    assert_eq!(local.entries(), ["upload"]);
    assert_eq!(root.entries(), ["a.txt", "sub"]);
    assert_eq!(fs::read(root.join("a.txt")).unwrap(), b"a");
    assert_eq!(fs::read(root.join("sub").join("b.txt")).unwrap(), b"b");
    server.stop().unwrap();
}

#[test]
fn a_name_too_long_for_its_temporary_name_is_refused_with_a_sentence() {
    let root = TempDir::new("root");
    let local = TempDir::new("local");
    let server = serve(root.path(), 1 << 20);
    // 250 bytes: the system allows it, but not `.NAME.PID-N.part` beside it.
    let long = "n".repeat(250);
    let e = put_bytes(server.addr, &local, &long, b"x").unwrap_err();
    assert!(
        e.to_string()
            .contains("at most 200 bytes long, and this one has 250"),
        "{e}"
    );
    assert!(root.entries().is_empty(), "{:?}", root.entries());
    // The longest allowed goes there and back.
    let longest = "m".repeat(files::MAX_NAME_BYTES);
    put_bytes(server.addr, &local, &longest, b"fits").unwrap();
    assert_eq!(get_bytes(server.addr, &local, &longest).unwrap(), b"fits");
    // A download whose own file name is too long is refused by the client before it asks.
    let mut phone = connect(server.addr);
    let get = files::FileCommand::Get {
        name: longest,
        output: Some(local.join(&long)),
        force: false,
    };
    let e = file_transfer::run(&mut phone, get, &mut Vec::new()).unwrap_err();
    assert!(ended_one_command(&e), "{e}");
    assert!(error_of(&e).contains("at most 200"), "{e}");
    assert!(local.entries().is_empty(), "{:?}", local.entries());
    server.stop().unwrap();
}

#[test]
fn a_request_that_makes_no_sense_is_refused_with_a_reason() {
    let root = TempDir::new("root");
    let server = serve(root.path(), 1 << 20);
    // The whole reply: the client's word is quoted once (and escaped), as every peer text is.
    let (reply, body) = raw_request(
        server.addr,
        &Header::for_body(b"")
            .with("action", "delete")
            .with("filename", "a.txt"),
        b"",
    );
    let sentence = r#"unknown action "delete": the actions are get, put and list"#;
    assert_eq!(
        reply,
        Header::for_body(format!("error: {sentence}\n").as_bytes()).with("error", sentence)
    );
    assert_eq!(
        String::from_utf8(body).unwrap(),
        format!("error: {sentence}\n")
    );
    let (reply, _) = raw_request(server.addr, &Header::for_body(b""), b"");
    assert!(reply.get_str("error").unwrap().contains("no \"action\""));
    // Only a put has a body: a get with one is refused, and its body skipped, not taken for the
    // next request.
    let mut conn = connect(server.addr);
    let with_body = Header::for_body(b"junk")
        .with("action", "get")
        .with("filename", "x");
    frame::write_frame_with(&mut conn, &with_body, b"junk").unwrap();
    frame::write_frame_with(&mut conn, &files::request("list", ""), b"").unwrap();
    let refusal = frame::read_header(&mut conn, &files::REPLY_LIMITS)
        .unwrap()
        .unwrap();
    assert!(
        refusal
            .get_str("error")
            .unwrap()
            .contains("only a put has a body")
    );
    BodyReader::new(&mut conn, &refusal).finish().unwrap();
    let listing = frame::read_header(&mut conn, &files::REPLY_LIMITS)
        .unwrap()
        .unwrap();
    assert_eq!(
        listing.get_str("error"),
        None,
        "the list after it was answered"
    );
    // A put without an md5 could never be checked: refused, nothing stored.
    let no_md5 = Header::new(3).with("action", "put").with("filename", "x");
    let (reply, _) = raw_request(server.addr, &no_md5, b"abc");
    assert!(reply.get_str("error").unwrap().contains("md5"));
    assert!(root.entries().is_empty(), "{:?}", root.entries());
    server.stop().unwrap();
}

// ---- Nothing half-written, ever ----

/// Sends a put of `announced` bytes by hand, but only `sent` of them, then hangs up, and waits
/// for the server to close its end: by then it has dropped the upload.
fn cut_off_put(addr: SocketAddr, announced: &[u8], sent: usize, reset: bool) {
    let header = Header::for_body(announced)
        .with("action", "put")
        .with("filename", "cut.bin");
    let mut conn = connect(addr);
    let mut frame_bytes = Vec::new();
    frame::write_frame_with(&mut frame_bytes, &header, announced).unwrap();
    let header_len = frame_bytes.len() - announced.len();
    conn.write_all(&frame_bytes[..header_len + sent]).unwrap();
    if reset {
        // SO_LINGER 0: close sends a reset instead of a FIN.
        common::reset(conn);
        return;
    }
    conn.shutdown(std::net::Shutdown::Write).unwrap();
    // The server's reply to a cut-off upload is to hang up.
    common::expect_end(&mut conn);
}

#[test]
fn a_put_cut_off_anywhere_leaves_no_file_and_no_temporary_file() {
    let root = TempDir::new("root");
    let server = serve(root.path(), files::DEFAULT_MAX_UPLOAD);
    let bytes = binary(3 << 20, 7);
    for sent in [0, 1, 8191, 65_536, 1 << 20, bytes.len() - 1] {
        cut_off_put(server.addr, &bytes, sent, false);
        assert!(
            root.entries().is_empty(),
            "cut at {sent}: {:?}",
            root.entries()
        );
    }
    // A reset instead of a goodbye: the server learns it from a failed read, just the same.
    // (No end of stream to wait for here, so the server is stopped, which joins its threads.)
    cut_off_put(server.addr, &bytes, 100_000, true);
    server.stop().unwrap();
    assert!(
        root.entries().is_empty(),
        "after a reset: {:?}",
        root.entries()
    );
}

#[test]
fn an_upload_whose_md5_does_not_match_is_not_kept() {
    let root = TempDir::new("root");
    let server = serve(root.path(), files::DEFAULT_MAX_UPLOAD);
    fs::write(root.join("keep.txt"), b"the old contents").unwrap();
    // (A replacing put, so that only the md5 stands in its way.)
    let mut header = Header::for_body(b"new contents")
        .with("action", "put")
        .with("filename", "keep.txt")
        .with("replace", true);
    header.md5 = Some(md5_hex(b"something else"));
    let (reply, _) = raw_request(server.addr, &header, b"new contents");
    let error = reply.get_str("error").expect("an error reply");
    assert!(error.contains("nothing was kept"), "{error}");
    assert_eq!(
        fs::read(root.join("keep.txt")).unwrap(),
        b"the old contents"
    );
    assert_eq!(root.entries(), ["keep.txt"]);
    server.stop().unwrap();
}

/// `put` is as careful as `get`: a file already there is replaced only when asked (`--force`),
/// and the refusal comes from the header, before a byte of the body is kept.
#[test]
fn a_put_replaces_a_file_on_the_server_only_with_force() {
    let root = TempDir::new("root");
    let local = TempDir::new("local");
    let server = serve(root.path(), files::DEFAULT_MAX_UPLOAD);
    fs::write(root.join("b.txt"), b"the old contents").unwrap();
    let upload = local.join("b.txt");
    fs::write(&upload, b"new").unwrap();
    let mut phone = connect(server.addr);
    let e = file_transfer::put(&mut phone, &upload, "b.txt", false).unwrap_err();
    assert!(ended_one_command(&e), "{e}");
    assert_eq!(
        error_of(&e),
        "the server refused: \"b.txt exists on the server; lesson8 client put --force replaces it\""
    );
    assert_eq!(fs::read(root.join("b.txt")).unwrap(), b"the old contents");
    assert_eq!(root.entries(), ["b.txt"]);
    // The same connection goes on, and --force replaces it.
    file_transfer::put(&mut phone, &upload, "b.txt", true).unwrap();
    assert_eq!(fs::read(root.join("b.txt")).unwrap(), b"new");
    // The command line: `put` refuses, `put --force` replaces.
    let run = |force: bool| {
        let put = files::FileCommand::Put {
            path: upload.clone(),
            name: None,
            force,
        };
        file_transfer::run(&mut connect(server.addr), put, &mut Vec::new())
    };
    fs::write(&upload, b"newer").unwrap();
    assert!(run(false).is_err());
    run(true).unwrap();
    assert_eq!(fs::read(root.join("b.txt")).unwrap(), b"newer");
    server.stop().unwrap();
}

#[test]
fn an_upload_over_max_upload_is_refused_from_its_header() {
    let root = TempDir::new("root");
    let local = TempDir::new("local");
    let server = serve(root.path(), 1000);
    put_bytes(server.addr, &local, "small.bin", &binary(1000, 1)).unwrap();
    let e = put_bytes(server.addr, &local, "big.bin", &binary(1001, 2)).unwrap_err();
    assert!(e.to_string().contains("1001"), "{e}");
    assert_eq!(root.entries(), ["small.bin"]);
    server.stop().unwrap();
}

#[test]
fn a_download_whose_body_is_damaged_keeps_nothing() {
    let local = TempDir::new("local");
    let good = binary(200_000, 3);
    let (addr, stand_in) = common::stand_in(move |mut conn| {
        // A stand-in server that flips one byte of the body on purpose.
        let request = frame::read_header(&mut conn, &frame::Limits::REQUEST)
            .unwrap()
            .unwrap();
        assert_eq!(request.get_str("action"), Some("get"));
        let mut damaged = good.clone();
        damaged[123_456] ^= 0x01;
        let header = Header::for_body(&good).with("filename", "a.bin");
        frame::write_frame_with(&mut conn, &header, &damaged).unwrap();
        common::drain(&mut conn);
    });
    let to = local.join("a.bin");
    let e = file_transfer::get(&mut connect(addr), "a.bin", &to).unwrap_err();
    assert!(error_of(&e).contains("nothing was kept"), "{e}");
    assert!(
        ended_one_command(&e),
        "the connection is still in step: {e}"
    );
    assert!(local.entries().is_empty(), "{:?}", local.entries());
    stand_in.join_within(PATIENCE).unwrap();
}

#[test]
fn concurrent_puts_of_one_name_end_with_one_whole_file() {
    let root = TempDir::new("root");
    let server = serve(root.path(), files::DEFAULT_MAX_UPLOAD);
    let contents: Vec<Vec<u8>> = (0..4).map(|i| binary(2 << 20, 100 + i)).collect();
    let uploads: Vec<BoundedThread<io::Result<Header>>> = contents
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let local = TempDir::new(&format!("local{i}"));
            let (addr, bytes) = (server.addr, bytes.clone());
            BoundedThread::spawn(format!("put {i}"), move || {
                put_bytes(addr, &local, "same.bin", &bytes)
            })
            .unwrap()
        })
        .collect();
    for upload in uploads {
        upload.join_within(PATIENCE).unwrap().unwrap();
    }
    let stored = fs::read(root.join("same.bin")).unwrap();
    assert!(
        contents.contains(&stored),
        "the stored file is one of the uploads, whole"
    );
    assert_eq!(root.entries(), ["same.bin"]);
    server.stop().unwrap();
}

// ---- The command line ----

fn lesson8(args: &[&str], dir: &Path, stdin: &[u8]) -> common::Finished {
    common::run(common::lesson_command(8).current_dir(dir).args(args), stdin)
}

#[test]
fn the_client_command_line_gets_puts_and_lists() {
    let root = TempDir::new("root");
    let here = TempDir::new("here");
    let mut server = ServerProcess::start_with(8, &["--root", root.path().to_str().unwrap()]);
    let line = server.wait_for_stderr_line("serving the files in");
    assert!(line.contains(root.path().to_str().unwrap()), "{line}");
    let addr = server.addr.to_string();
    fs::write(here.join("b.txt"), b"hello").unwrap();

    let put = lesson8(
        &["client", "--addr", &addr, "put", "b.txt", "--as", "c.txt"],
        here.path(),
        b"",
    );
    assert!(put.status.success(), "{put:?}");
    assert!(put.stdout.contains(&md5_hex(b"hello")), "{put:?}");
    assert_eq!(fs::read(root.join("c.txt")).unwrap(), b"hello");

    let list = lesson8(&["client", "--addr", &addr, "list"], here.path(), b"");
    assert!(
        list.status.success() && list.stdout.contains("c.txt"),
        "{list:?}"
    );

    let get = lesson8(
        &["client", "--addr", &addr, "get", "c.txt"],
        here.path(),
        b"",
    );
    assert!(get.status.success(), "{get:?}");
    assert_eq!(fs::read(here.join("c.txt")).unwrap(), b"hello");

    // A local file in the way: refused, and the error says how to overwrite.
    fs::write(here.join("c.txt"), b"mine").unwrap();
    let again = lesson8(
        &["client", "--addr", &addr, "get", "c.txt"],
        here.path(),
        b"",
    );
    assert!(!again.status.success());
    assert_eq!(again.error_lines().len(), 1, "{again:?}");
    assert!(again.stderr.contains("--force"), "{again:?}");
    assert_eq!(fs::read(here.join("c.txt")).unwrap(), b"mine");
    let forced = lesson8(
        &["client", "--addr", &addr, "get", "c.txt", "--force"],
        here.path(),
        b"",
    );
    assert!(forced.status.success(), "{forced:?}");
    assert_eq!(fs::read(here.join("c.txt")).unwrap(), b"hello");
    let elsewhere = lesson8(
        &["client", "--addr", &addr, "get", "c.txt", "-o", "other.txt"],
        here.path(),
        b"",
    );
    assert!(elsewhere.status.success(), "{elsewhere:?}");
    assert_eq!(fs::read(here.join("other.txt")).unwrap(), b"hello");

    // No such file, a refused name: one clear line each, and a non-zero exit.
    for (name, says) in [("nope.txt", "no such file"), ("../x", "..")] {
        let failed = lesson8(&["client", "--addr", &addr, "get", name], here.path(), b"");
        assert!(!failed.status.success(), "{failed:?}");
        assert_eq!(failed.error_lines().len(), 1, "{failed:?}");
        assert!(failed.error_lines()[0].contains(says), "{failed:?}");
        failed.assert_no_panic();
    }
    let (status, stderr) = server.interrupt_and_wait();
    assert!(status.success(), "{stderr}");
    assert!(
        here.entries().iter().all(|name| !name.starts_with('.')),
        "{:?}",
        here.entries()
    );
}

#[test]
fn the_client_reads_typed_commands_without_a_subcommand() {
    let root = TempDir::new("root");
    let here = TempDir::new("here");
    let server = ServerProcess::start_with(8, &["--root", root.path().to_str().unwrap()]);
    let addr = server.addr.to_string();
    fs::write(here.join("b c.txt"), b"typed").unwrap();
    let typed = b"put b c.txt\nlist\nget nope.txt\nget ../../etc/passwd\nfrobnicate\nget b c.txt\nq\nlist\n";
    let session = lesson8(&["client", "--addr", &addr], here.path(), typed);
    assert!(session.status.success(), "{session:?}");
    session.assert_no_panic();
    // Two refusals and a local file in the way, each one line; the session went on after each.
    assert_eq!(session.error_lines().len(), 3, "{session:?}");
    assert!(session.stderr.contains("no such file"), "{session:?}");
    assert!(session.stderr.contains("--force"), "{session:?}");
    assert!(session.stderr.contains("type `get NAME`"), "{session:?}");
    assert!(session.stdout.contains("stored b c.txt"), "{session:?}");
    assert_eq!(
        session.stdout.matches("b c.txt").count(),
        2,
        "one stored, one listed; `q` ended it: {session:?}"
    );
    assert_eq!(fs::read(root.join("b c.txt")).unwrap(), b"typed");
    server.interrupt_and_wait();
}

#[test]
fn a_server_gone_mid_download_is_one_line_and_keeps_nothing() {
    // In English, and in Chinese under `--lang zh`: the same facts, and nothing kept.
    for (lang, gone) in [
        ("en", "the server closed the connection mid-transfer, after"),
        ("zh", "服务端在传输途中关闭了连接"),
    ] {
        let here = TempDir::new("here");
        let (addr, stand_in) = common::stand_in(|mut conn| {
            frame::read_header(&mut conn, &frame::Limits::REQUEST).unwrap();
            let whole = vec![7u8; 1 << 20];
            let header = Header::for_body(&whole).with("filename", "a.bin");
            let mut frame_bytes = Vec::new();
            frame::write_frame_with(&mut frame_bytes, &header, &whole).unwrap();
            // Half the frame, then gone.
            conn.write_all(&frame_bytes[..frame_bytes.len() / 2])
                .unwrap();
        });
        let got = lesson8(
            &[
                "client",
                "--addr",
                &addr.to_string(),
                "get",
                "a.bin",
                "--lang",
                lang,
            ],
            here.path(),
            b"",
        );
        stand_in.join_within(PATIENCE).unwrap();
        assert!(!got.status.success(), "{got:?}");
        let errors = got.error_lines();
        assert_eq!(errors.len(), 1, "{got:?}");
        assert!(
            errors[0].contains("a.bin") && errors[0].contains(gone),
            "{got:?}"
        );
        // How much of the 1 MiB body had arrived when the stream ended.
        assert!(errors[0].contains("1048576"), "{got:?}");
        assert!(here.entries().is_empty(), "{:?}", here.entries());
    }
}

// ---- Ctrl-C ----

#[test]
fn ctrl_c_mid_upload_ends_the_connection_removes_the_temporary_file_and_exits_0() {
    let root = TempDir::new("root");
    let mut server = ServerProcess::start_with(8, &["--root", root.path().to_str().unwrap()]);
    // Announce 64 MiB, send 24 MiB. Loopback buffers hold a few MiB at most, so once write_all
    // returns, the server has read (and written to its temporary file) most of what was sent:
    // the upload is under way.
    let announced = 64 << 20;
    let header = {
        let mut header = Header::new(announced)
            .with("action", "put")
            .with("filename", "big.bin");
        header.md5 = Some("0".repeat(32));
        header
    };
    let mut conn = connect(server.addr);
    let json = serde_json::to_vec(&header).unwrap();
    conn.write_all(&(json.len() as u32).to_be_bytes()).unwrap();
    conn.write_all(&json).unwrap();
    let chunk = vec![0x5a; 1 << 20];
    for _ in 0..24 {
        conn.write_all(&chunk).unwrap();
    }
    let temporary: Vec<String> = root.entries();
    assert_eq!(temporary.len(), 1, "{temporary:?}");
    assert!(temporary[0].starts_with(".big.bin."), "{temporary:?}");

    server.interrupt();
    // The client sees the connection end (an end of stream or a reset, as the close found it).
    common::expect_end(&mut conn);
    let (status, stderr) = server.wait();
    assert!(status.success(), "{stderr}");
    assert!(root.entries().is_empty(), "{:?}", root.entries());
}

/// A named pipe in the served folder: opening it the usual way waits for a writer, perhaps
/// forever. The server says what it is instead, lists only regular files, and Ctrl-C still ends
/// it at once.
#[cfg(unix)]
#[test]
fn a_fifo_in_the_folder_is_refused_and_listed_nowhere_and_ctrl_c_still_stops_the_server() {
    let root = TempDir::new("root");
    fs::write(root.join("a.txt"), b"a").unwrap();
    let fifo = std::ffi::CString::new(root.join("pipe").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a NUL-terminated path that lives until the call returns.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let mut server = ServerProcess::start_with(8, &["--root", root.path().to_str().unwrap()]);
    // Every read below waits at most the probe's patience: a server stuck on the pipe is a
    // failed test, not a hung one.
    let mut phone = connect(server.addr);
    let here = TempDir::new("here");
    let e = file_transfer::get(&mut phone, "pipe", &here.join("pipe")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the server refused: \"pipe is a named pipe (FIFO), not a regular file: only regular \
         files are served\""
    );
    let mut listed = Vec::new();
    file_transfer::run(&mut phone, files::FileCommand::List, &mut listed).unwrap();
    assert_eq!(
        String::from_utf8(listed).unwrap(),
        "     1 byte  \"a.txt\"\n"
    );
    // A connection still open, and one in the middle of a request: Ctrl-C ends both.
    let mut idle = connect(server.addr);
    server.interrupt();
    common::expect_end(&mut phone);
    common::expect_end(&mut idle);
    let (status, stderr) = server.wait();
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("lesson8 server stopped"), "{stderr}");
}

#[test]
fn ctrl_c_mid_download_ends_the_connection_and_exits_0() {
    let root = TempDir::new("root");
    fs::write(root.join("big.bin"), vec![1u8; 32 << 20]).unwrap();
    let mut server = ServerProcess::start_with(8, &["--root", root.path().to_str().unwrap()]);
    let mut conn = connect(server.addr);
    frame::write_frame_with(&mut conn, &files::request("get", "big.bin"), b"").unwrap();
    let reply = frame::read_header(&mut conn, &files::REPLY_LIMITS)
        .unwrap()
        .unwrap();
    assert_eq!(reply.total_size, 32 << 20);
    let mut first = vec![0u8; 1 << 20];
    conn.read_exact(&mut first).unwrap();
    server.interrupt();
    // The rest of the body never comes whole: the stream ends (or resets) before it.
    let ended = io::copy(&mut BodyReader::new(&mut conn, &reply), &mut io::sink());
    assert!(ended.is_err(), "the download was cut short: {ended:?}");
    let (status, stderr) = server.wait();
    assert!(status.success(), "{stderr}");
    assert_eq!(root.entries(), ["big.bin"]);
}

#[test]
fn md5_check_of_an_empty_body_matches() {
    // The empty body's md5 is what every bodiless request carries.
    let header = files::request("list", "");
    assert_eq!(header.md5.as_deref(), Some(md5_hex(b"").as_str()));
    assert_eq!(
        BodyReader::new(&b""[..], &header).finish().unwrap(),
        Md5Check::Matches
    );
}

/// The worked example of docs/contracts.md, byte for byte: a `get` of `a.txt` (`hello\n`).
#[test]
fn a_get_is_the_bytes_the_contract_shows() {
    let mut request = Vec::new();
    frame::write_frame_with(&mut request, &files::request("get", "a.txt"), b"").unwrap();
    let json = r#"{"total_size":0,"md5":"d41d8cd98f00b204e9800998ecf8427e","action":"get","filename":"a.txt"}"#;
    assert_eq!(&request[..4], &[0, 0, 0, 0x5b]);
    assert_eq!(&request[4..], json.as_bytes());

    let root = TempDir::new("root");
    fs::write(root.join("a.txt"), b"hello\n").unwrap();
    let server = serve(root.path(), 1 << 20);
    let mut conn = connect(server.addr);
    conn.write_all(&request).unwrap();
    let reply = json_reply(&mut conn, 4 + 76 + 6);
    let expected =
        r#"{"total_size":6,"md5":"b1946ac92492d2347c6235b4d2611184","filename":"a.txt"}"#;
    assert_eq!(&reply[..4], &[0, 0, 0, 0x4c]);
    assert_eq!(&reply[4..80], expected.as_bytes());
    assert_eq!(&reply[80..], b"hello\n");

    let (refusal, body) = raw_request(server.addr, &files::request("get", "c.txt"), b"");
    assert_eq!(
        serde_json::to_string(&refusal).unwrap(),
        r#"{"total_size":27,"md5":"f89552c1cfd5ac5653820a69c4e65382","error":"no such file: c.txt"}"#
    );
    assert_eq!(body, b"error: no such file: c.txt\n");
    server.stop().unwrap();
}

fn json_reply(conn: &mut std::net::TcpStream, len: usize) -> Vec<u8> {
    socket_lessons_tools::probe::read_exactly(conn, len).unwrap()
}

/// A server killed outright (`kill -9`) cannot run its temporary files' `Drop`: the next server
/// on the folder removes what such a process left, and nothing else.
#[cfg(unix)]
#[test]
fn a_server_starting_on_a_folder_removes_only_what_dead_writers_left() {
    let dir = TempDir::new("leftovers");
    fs::create_dir_all(dir.join("sub")).unwrap();
    // 999999999 is above every Linux pid_max (at most 2^22): no such process can run.
    let gone = [".a.txt.999999999-0.part", "sub/.b.bin.999999999-7.part"];
    // This test's own process runs: its temporary file is an upload in progress, not a leftover.
    let running = format!(".c.txt.{}-0.part", std::process::id());
    let kept = [
        running.as_str(),
        ".keep",
        "notes.part",
        ".d.txt.notapid-0.part",
        "a.txt",
    ];
    for name in gone.iter().chain(&kept) {
        fs::write(dir.join(name), b"bytes").unwrap();
    }
    Root::open(dir.path(), 1 << 20).unwrap();
    for name in gone {
        assert!(!dir.join(name).exists(), "{name} should be removed");
    }
    for name in kept {
        assert!(dir.join(name).exists(), "{name} should be kept");
    }
}

/// A client killed mid-download (Ctrl-C: it has no handler) leaves its temporary file; the next
/// transfer to the same name clears it, and leaves other names' files alone.
#[cfg(unix)]
#[test]
fn a_new_transfer_to_a_name_clears_what_a_killed_one_left_for_it() {
    let dir = TempDir::new("client-leftovers");
    let left = ".x.bin.999999999-3.part";
    let other = ".y.bin.999999999-0.part";
    for name in [left, other] {
        fs::write(dir.join(name), b"half").unwrap();
    }
    drop(files::PartialFile::create(&dir.join("x.bin")).unwrap());
    assert_eq!(dir.entries(), [other]);
}

/// The chapter's "Ctrl-C half-way through a 500 MB upload" must leave a person time to press it:
/// the upload goes through `chaos` with a rate that makes it last, and the client talks to where
/// that `chaos` listens. (Over loopback alone, 500 MB take a second or two.)
#[test]
fn the_chapters_big_upload_is_slowed_enough_to_ctrl_c_half_way() {
    use clap::Parser;
    use socket_lessons_tools::chaos;
    let chapter = common::chapter("08-file-transfer.md");
    let line = |start: &str| -> Vec<String> {
        common::line_starting(&chapter, start)
            .split_once(" -- ")
            .unwrap()
            .1
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    let proxy = chaos::Args::try_parse_from(
        std::iter::once("chaos".to_string()).chain(line("cargo run --bin chaos --")),
    )
    .unwrap();
    assert_eq!(
        proxy.to,
        "127.0.0.1:8008".parse().unwrap(),
        "lesson 8's server"
    );
    let rate = proxy
        .up
        .rate
        .expect("a rate on the way up, where the upload goes");
    let lasts = 500e6 / rate as f64;
    assert!(
        lasts >= 20.0,
        "500 MB at {rate} bytes/s take {lasts:.1} s: too quick to stop half-way by hand"
    );
    let client = line("cargo run --bin lesson8 -- client --addr");
    let at = client.iter().position(|arg| arg == "--addr").unwrap();
    assert_eq!(
        client[at + 1].parse::<SocketAddr>().unwrap(),
        proxy.listen,
        "the client talks to chaos"
    );
    assert_eq!(client[at + 2..], ["put", "big.bin"]);
}

/// On a terminal, `put` shows a bar for each pass over the file: the md5 first (seconds for a
/// big file, during which it used to show nothing), then the sending. The bar needs a terminal,
/// so the client runs under `script`, which gives it one (util-linux; the test is skipped where
/// it is missing).
#[cfg(target_os = "linux")]
#[test]
fn put_on_a_terminal_shows_the_hashing_and_the_sending() {
    let has_script = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !has_script {
        eprintln!("skipped: no `script` (util-linux) to give the client a terminal");
        return;
    }
    let root = TempDir::new("root");
    let here = TempDir::new("here");
    fs::write(here.join("big.bin"), binary(8 << 20, 8)).unwrap();
    let server = ServerProcess::start_with(8, &["--root", root.path().to_str().unwrap()]);
    let client = common::lesson_command(8);
    let command = format!(
        "{} client --addr {} put big.bin",
        client.get_program().to_str().unwrap(),
        server.addr
    );
    let finished = common::run(
        Command::new("script")
            .args(["-q", "-e", "-c", &command, "/dev/null"])
            .current_dir(here.path()),
        b"",
    );
    assert!(finished.status.success(), "{finished:?}");
    for bar in ["md5 \"big.bin\"", "put \"big.bin\"", "8.00 MiB"] {
        assert!(
            finished.stdout.contains(bar),
            "{bar:?} in {:?}",
            finished.stdout
        );
    }
    assert!(
        finished.stdout.contains("stored big.bin (8.00 MiB, md5 "),
        "{finished:?}"
    );
    server.interrupt_and_wait();
}

/// Ctrl-C on a client half-way through a download: the hidden `.NAME.PID-N.part` it was
/// writing is removed before it exits (a process ended by a signal runs no `Drop`), and it says
/// so. The stand-in announces 64 MiB and sends 24: once that `write_all` returns, the client has
/// read most of it (loopback buffers hold a few MiB), so its temporary file is there.
#[cfg(unix)]
#[test]
fn ctrl_c_on_a_client_mid_download_removes_its_temporary_file() {
    use std::process::Stdio;
    let here = TempDir::new("here");
    let (sent, half_way) = std::sync::mpsc::channel();
    let (addr, stand_in) = common::stand_in(move |mut conn| {
        frame::read_header(&mut conn, &frame::Limits::REQUEST)
            .unwrap()
            .unwrap();
        let mut header = Header::new(64 << 20).with("filename", "big.bin");
        header.md5 = Some("0".repeat(32));
        let json = serde_json::to_vec(&header).unwrap();
        conn.write_all(&(json.len() as u32).to_be_bytes()).unwrap();
        conn.write_all(&json).unwrap();
        conn.write_all(&vec![0x5a; 24 << 20]).unwrap();
        sent.send(()).unwrap();
        // Until the client is gone.
        let _ = io::copy(&mut conn, &mut io::sink());
    });
    let mut client = socket_lessons_tools::probe::ChildGuard::spawn(
        common::lesson_command(8)
            .args(["client", "--addr", &addr.to_string(), "get", "big.bin"])
            .current_dir(here.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped()),
        "lesson8 client get big.bin",
    )
    .unwrap();
    half_way.recv_timeout(PATIENCE).unwrap();
    let entries = here.entries();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert!(entries[0].starts_with(".big.bin."), "{entries:?}");
    client.interrupt().unwrap();
    let status = client.wait_within(PATIENCE).unwrap();
    let mut stderr = String::new();
    client
        .child()
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(here.entries().is_empty(), "{:?}", here.entries());
    assert!(
        stderr.contains(&format!(
            "interrupted: removed the unfinished {}",
            entries[0]
        )),
        "{stderr}"
    );
    stand_in.join_within(PATIENCE).unwrap();
}
