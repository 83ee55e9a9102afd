//! Lesson 12, the thread pool: the pool itself (jobs run on a fixed number of workers, a full
//! pool says so, dropping it waits for every worker), and the real `lesson12` binary (the echo
//! rule on a pool, the busy line when every worker is held and the queue is full, head-of-line
//! blocking, Ctrl-C with clients served and queued, no thread per client). docs/contracts.md,
//! "The thread pool (lesson 12)".

mod common;

use std::io::Read;

use common::*;
use crossbeam_channel::RecvTimeoutError;
use socket_lessons::guard::BUSY;
use socket_lessons::lessons::thread_pool::ThreadPool;
use socket_lessons_tools::probe::{A_MOMENT, PATIENCE, limits};

#[test]
fn the_pool_runs_jobs_on_its_workers_in_order_and_joins_them_when_dropped() {
    let pool = ThreadPool::new(2, 1).expect("two workers start");
    let (started, jobs_started) = crossbeam_channel::unbounded();
    let (release, go) = crossbeam_channel::unbounded::<()>();
    for job in 0..3 {
        let (started, go) = (started.clone(), go.clone());
        pool.execute(move || {
            started
                .send((job, std::thread::current().name().map(String::from)))
                .unwrap();
            let _ = go.recv_timeout(PATIENCE);
        });
    }
    // Two jobs run at once, each on a named worker; the third waits for one of them.
    let mut names = Vec::new();
    for _ in 0..2 {
        let (_, name) = jobs_started.recv_timeout(PATIENCE).expect("a job starts");
        names.push(name.expect("a worker has a name"));
    }
    names.sort();
    assert_eq!(names, ["worker 0", "worker 1"]);
    assert_eq!(
        jobs_started.recv_timeout(A_MOMENT),
        Err(RecvTimeoutError::Timeout),
        "the third job waits while both workers are busy"
    );
    release.send(()).unwrap();
    let (third, _) = jobs_started
        .recv_timeout(PATIENCE)
        .expect("the third job starts");
    assert_eq!(third, 2, "jobs are taken in the order they were given");
    // Dropping the pool waits for every job given, then every worker.
    release.send(()).unwrap();
    release.send(()).unwrap();
    let (done, dropped) = crossbeam_channel::bounded(1);
    std::thread::spawn(move || {
        drop(pool);
        done.send(()).unwrap();
    });
    dropped
        .recv_timeout(PATIENCE)
        .expect("dropping the pool joins its workers once their jobs are done");
}

#[test]
fn lesson12_echoes_by_the_echo_rule_with_its_own_client() {
    let server = ServerProcess::start(12);
    let done = client(12, server.addr, "hello, 你好\n\nq\nnot sent\n".as_bytes());
    assert!(done.status.success(), "{}", done.stderr);
    assert_eq!(done.stdout, "HELLO, 你好\n");
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
}

#[test]
fn a_full_pool_says_busy_and_a_queued_client_is_served_when_a_worker_is_free() {
    let mut server = ServerProcess::start_with(12, &["--workers", "2", "--queue", "1"]);
    // A and B are answered, and stay: each holds a worker.
    let mut a = connect(server.addr);
    assert_echo(&mut a, b"a");
    let mut b = connect(server.addr);
    assert_echo(&mut b, b"b");
    // C waits in the queue: no reply while A and B stay (head-of-line blocking).
    let mut c = connect(server.addr);
    send(&mut c, b"c waits");
    expect_silence(&mut c);
    // D finds the pool full: the busy line, then the end.
    let mut d = connect(server.addr);
    assert_eq!(
        receive(&mut d, BUSY.len() + 1),
        format!("{BUSY}\n").as_bytes()
    );
    expect_end_of_stream(&mut d);
    server.wait_for_stderr_line("refused 1 client(s) (the latest 127.0.0.1:");
    let refused = server.stderr_so_far().last().cloned().unwrap_or_default();
    assert!(
        refused.ends_with(": all 2 worker(s) busy and 1 client(s) waiting (--workers, --queue)"),
        "{refused}"
    );
    // A leaves: its worker takes C, and C's message is answered.
    drop(a);
    assert_eq!(receive(&mut c, 7), b"C WAITS");
    drop((b, c));
    let (status, stderr) = server.interrupt_and_wait();
    assert!(status.success(), "{stderr}");
}

#[test]
fn ctrl_c_ends_served_and_queued_clients_and_joins_every_worker() {
    let mut server = ServerProcess::start_with(12, &["--workers", "1", "--queue", "2"]);
    let mut served = connect(server.addr);
    assert_echo(&mut served, b"served");
    let mut queued = connect(server.addr);
    send(&mut queued, b"queued");
    expect_silence(&mut queued);
    server.interrupt();
    // Both see the end. The served one's worker is woken, then takes the queued one: if
    // shutdown has closed that connection already, it ends at once; if not yet (shutdown closes
    // connections in no particular order), the queued message is answered first. Either way,
    // nothing but its own echo may come before the end.
    expect_end(&mut served);
    let mut before_the_end = Vec::new();
    let mut buf = [0u8; 64];
    loop {
        match queued.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => before_the_end.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("the queued client's connection did not end: {e}"),
        }
    }
    assert!(
        before_the_end.is_empty() || before_the_end == b"QUEUED",
        "{before_the_end:?}"
    );
    let (status, stderr) = server.wait();
    assert!(status.success(), "{stderr}");
    assert!(
        stderr.contains("INFO [server] waiting for 1 worker(s)"),
        "{stderr}"
    );
    assert!(stderr.contains("lesson12 server stopped"), "{stderr}");
}

#[test]
fn a_flood_of_clients_starts_no_thread() {
    let server = ServerProcess::start_with(12, &["--workers", "3", "--queue", "5"]);
    // The workers start with the pool, as `serve` begins: once a client is answered, they are
    // all there.
    let mut clients = vec![connect(server.addr)];
    assert_echo(&mut clients[0], b"x");
    let Some(before) = limits::threads(Some(server.id())) else {
        eprintln!("skipped: this system does not say how many threads a process has");
        return;
    };
    for i in 1..40 {
        let mut client = connect(server.addr);
        if i < 3 {
            assert_echo(&mut client, b"x");
        }
        clients.push(client);
    }
    // Every client beyond 3 served and 5 queued is told so; wait for the last one's line, so
    // that the server has taken all 40.
    let last = clients.last_mut().unwrap();
    assert_eq!(
        receive(last, BUSY.len() + 1),
        format!("{BUSY}\n").as_bytes()
    );
    assert_eq!(limits::threads(Some(server.id())), Some(before));
    drop(clients);
    let (status, _) = server.interrupt_and_wait();
    assert!(status.success());
}

#[test]
fn the_pool_flags_are_checked_before_the_server_listens() {
    for (flag, bad) in [
        ("--workers", "0"),
        ("--workers", "1025"),
        ("--workers", "many"),
        ("--queue", "-1"),
    ] {
        let done = run(
            lesson_command(12).args(["server", "--addr", "127.0.0.1:0", flag, bad]),
            b"",
        );
        assert_eq!(done.status.code(), Some(2), "{flag} {bad}: {}", done.stderr);
        assert!(
            done.stderr
                .contains(&format!("invalid value '{bad}' for '{flag} <N>'")),
            "{}",
            done.stderr
        );
        assert!(!done.stderr.contains("listening on"), "{}", done.stderr);
    }
    // A queue of 0: nobody waits; beyond the workers, busy at once.
    let server = ServerProcess::start_with(12, &["--workers", "1", "--queue", "0"]);
    let mut a = connect(server.addr);
    assert_echo(&mut a, b"a");
    let mut b = connect(server.addr);
    assert_eq!(
        receive(&mut b, BUSY.len() + 1),
        format!("{BUSY}\n").as_bytes()
    );
}

#[test]
fn the_demo_shows_the_flood_and_the_wait_the_same_on_every_run() {
    let transcript = assert_demo_is_deterministic(12);
    for line in [
        "  answered by a worker:   2",
        "  waiting in the queue:   1   (no reply within 300 ms)",
        "  told busy and closed:  17",
        "  client C waits      300 ms: no reply: A and B hold both workers, C is queued",
        "  client C receives   \"ME TOO\"",
    ] {
        assert!(
            transcript.lines().any(|l| l == line),
            "{line:?} in:\n{transcript}"
        );
    }
}
