//! A second Ctrl-C ends a server at once, with exit status 130, while its graceful stop is still
//! running (docs/contracts.md, "Shutdown").
//!
//! A graceful stop waits for every client thread, and a thread finishes what it is doing before
//! it notices the stop: lesson 8 asked for a file hashes all of it before it can write the
//! header. So a `get` of a 16 GiB sparse file (it takes no disk space, and reads as zeros) keeps
//! the first Ctrl-C's stop running for many seconds, which is the window this test needs. It
//! watches the server read the file (`/proc/PID/io`) before the first Ctrl-C, so it knows the
//! hash has begun rather than hoping it has.

#![cfg(target_os = "linux")]

mod common;

use std::fs::{self, File};
use std::io::Read;
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Instant;

use socket_lessons::files;
use socket_lessons::frame;
use socket_lessons_tools::probe::{self, A_MOMENT, PATIENCE, ServerProcess};

use common::lesson_command;

/// The file asked for: far longer than anything hashes in a moment.
const BIG: u64 = 16 << 30;

/// A folder for lesson 8 to serve, with one sparse file in it; removed when dropped.
struct Served(PathBuf);

impl Served {
    fn new() -> Served {
        let dir = std::env::temp_dir().join(format!("second-ctrl-c-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        File::create(dir.join("big")).unwrap().set_len(BIG).unwrap();
        Served(dir)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// How many bytes process `pid` has read so far (`rchar` in `/proc/PID/io`).
fn bytes_read(pid: u32) -> u64 {
    let io = fs::read_to_string(format!("/proc/{pid}/io")).unwrap();
    io.lines()
        .find_map(|line| line.strip_prefix("rchar: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("an rchar line")
}

/// Waits (a moment at a time, within PATIENCE) until the server has read `more` bytes beyond
/// `from`. The pause between looks is a read on the client's connection, which must stay silent:
/// the server cannot answer before its hash is done.
fn wait_until_it_reads(server: &ServerProcess, client: &mut TcpStream, from: u64, more: u64) {
    let start = Instant::now();
    client.set_read_timeout(Some(A_MOMENT / 10)).unwrap();
    while bytes_read(server.id()) < from + more {
        assert!(
            start.elapsed() < PATIENCE,
            "the server did not start reading the file"
        );
        match client.read(&mut [0u8; 1]) {
            Err(e) if socket_lessons::timeout::is_timeout(&e) => {}
            other => panic!("the server answered before its hash was done: {other:?}"),
        }
    }
}

#[test]
fn a_second_ctrl_c_ends_a_graceful_stop_that_is_still_running() {
    let served = Served::new();
    let mut server = ServerProcess::spawn(lesson_command(8).args([
        "server",
        "--addr",
        "127.0.0.1:0",
        "--root",
        served.0.to_str().unwrap(),
    ]))
    .unwrap();
    let before = bytes_read(server.id());
    let mut client = probe::connect(server.addr).unwrap();
    frame::write_frame_with(&mut client, &files::request("get", "big"), b"").unwrap();
    wait_until_it_reads(&server, &mut client, before, 64 << 20);

    // The first Ctrl-C begins the graceful stop, which waits for the thread that is hashing.
    server.interrupt().unwrap();
    server
        .wait_for_stderr_line("shutting down")
        .expect("the first Ctrl-C began the stop");

    // The second one does not wait for it. (Had the stop been over, the process would have
    // exited 0 by now and the status could not be 130: 16 GiB take seconds to hash.)
    let start = Instant::now();
    server.interrupt().unwrap();
    let (status, stderr) = server.wait_within(PATIENCE).unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("second Ctrl-C"), "{stderr}");
    println!(
        "the second Ctrl-C ended the stop after {:?}, with 16 GiB still being hashed",
        start.elapsed()
    );
}
