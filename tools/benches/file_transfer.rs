//! Lesson 8: how fast a 1 GiB file moves over loopback, and how much memory each side holds.
//!
//! `cargo bench --bench file_transfer` (`-- --mib N` for another size). Measured in the same run,
//! on the same bytes (a file of N MiB in a folder under the OS's temporary directory):
//!
//! - **md5 floor**: hashing the file once, in this process. The protocol names the md5 in the
//!   header, so no transfer can be faster than one md5 pass over the file;
//! - **raw copy**: the file sent over a loopback TCP connection with no frame and no hash,
//!   file → socket → file, in this process: what the disk and the socket cost;
//! - **get** and **put**: the real `lesson8` binaries, the server (`lesson8 server --root`) and
//!   the client (`lesson8 client get|put`), each its own process. A get is timed twice: once for
//!   a file the server has never hashed ("cold": it reads the file once to hash it, then again
//!   to send it, while the client hashes what arrives), and once for a file whose md5 it
//!   remembers from the upload ("remembered"). A put is always two passes at the client: hash,
//!   then send (the server hashes as it receives, alongside).
//!
//! Times are whole-process figures (from starting the client to its exit). Peak memory is each
//! process's own high-water mark: the server's `VmHWM` from `/proc/PID/status` (a fresh server
//! for each transfer), the client's `ru_maxrss` from `wait4`. Targets (issue 9): throughput at
//! least 0.9 × the md5 floor; at most 32 MiB on either side.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use socket_lessons_tools::probe::{PATIENCE, ServerProcess, SplitMix64};

const MIB: u64 = 1 << 20;

fn main() {
    let mib = mib_from_args();
    let size = mib * MIB;
    let dir = std::env::temp_dir().join(format!("lesson8-bench-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let (served, here) = (dir.join("served"), dir.join("here"));
    fs::create_dir_all(&served).unwrap();
    fs::create_dir_all(&here).unwrap();
    let original = here.join("original.bin");
    write_file(&original, size);
    // Warm the page cache, so the first measurement does not pay for the disk alone.
    md5_of(&original);

    println!("lesson8 file transfer, {mib} MiB over loopback (whole-process times)");
    let (floor, floor_cpu) = best_of(2, || {
        time_and_cpu(|| {
            md5_of(&original);
        })
    });
    report("md5 floor (one pass)", size, floor, None);
    println!("{:>38}cpu {:.2} s", "", floor_cpu.as_secs_f64());
    let (raw, raw_cpu) = best_of(2, || {
        time_and_cpu(|| raw_copy(&original, &here.join("raw.bin")))
    });
    report("raw copy (no frame, no md5)", size, raw, None);
    println!("{:>38}cpu {:.2} s (both ends)", "", raw_cpu.as_secs_f64());

    // put: the client hashes the file, then sends it; the server hashes as it receives.
    let put = transfer(&served, |addr| {
        let mut client = lesson8_client(addr, &here);
        client.args(["put", "original.bin", "--as", "big.bin"]);
        client
    });
    report("put", size, put.took, Some(&put));
    // get of a file the server never hashed: it hashes it first, then sends it.
    fs::copy(&original, served.join("cold.bin")).unwrap();
    let cold = transfer(&served, |addr| {
        let mut client = lesson8_client(addr, &here);
        client.args(["get", "cold.bin", "-o", "cold-copy.bin"]);
        client
    });
    report(
        "get, cold (server hashes first)",
        size,
        cold.took,
        Some(&cold),
    );
    // get of a file whose md5 the server remembers: one pass on each side, side by side. (A
    // fresh server remembers nothing, so this one uploads first, then downloads.)
    let remembered = transfer(&served, |addr| {
        let mut put = lesson8_client(addr.clone(), &here);
        put.args(["put", "original.bin", "--as", "warm.bin"]);
        assert!(
            run_child(&mut put).0,
            "the upload before the warm get failed"
        );
        let mut client = lesson8_client(addr, &here);
        client.args(["get", "warm.bin", "-o", "warm-copy.bin"]);
        client
    });
    report(
        "get, md5 remembered",
        size,
        remembered.took,
        Some(&remembered),
    );

    for copy in ["cold-copy.bin", "warm-copy.bin"] {
        assert!(
            same_file(&original, &here.join(copy)),
            "{copy} differs from the original"
        );
    }
    assert!(
        same_file(&original, &served.join("big.bin")),
        "the upload differs"
    );

    let mb_s = |took: Duration| size as f64 / 1e6 / took.as_secs_f64();
    println!();
    println!("ratios (throughput / md5 floor, throughput / raw copy):");
    for (what, took) in [
        ("put", put.took),
        ("get, cold", cold.took),
        ("get, remembered", remembered.took),
    ] {
        println!(
            "  {what:<16} {:.2} x md5 floor   {:.2} x raw copy",
            mb_s(took) / mb_s(floor),
            mb_s(took) / mb_s(raw)
        );
    }
    println!("targets: >= 0.90 x md5 floor; <= 32768 KiB peak RSS on each side");
    fs::remove_dir_all(&dir).unwrap();
}

fn mib_from_args() -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|arg| arg == "--mib")
        .and_then(|at| args.get(at + 1))
        .map(|n| n.parse().expect("--mib takes a number"))
        .unwrap_or(1024)
}

/// `size` bytes that do not repeat, written 1 MiB at a time.
fn write_file(path: &Path, size: u64) {
    let mut random = SplitMix64::new(8);
    let mut out = BufWriter::new(File::create(path).unwrap());
    let mut block = vec![0u8; MIB as usize];
    for _ in 0..size / MIB {
        for chunk in block.chunks_mut(8) {
            chunk.copy_from_slice(&random.next_u64().to_le_bytes()[..chunk.len()]);
        }
        out.write_all(&block).unwrap();
    }
    out.flush().unwrap();
}

fn md5_of(path: &Path) -> String {
    let mut md5 = Md5::new();
    io::copy(&mut File::open(path).unwrap(), &mut md5).unwrap();
    format!("{:x}", md5.finalize())
}

fn same_file(a: &Path, b: &Path) -> bool {
    fs::metadata(a).unwrap().len() == fs::metadata(b).unwrap().len() && md5_of(a) == md5_of(b)
}

fn time(run: impl FnOnce()) -> Duration {
    let started = Instant::now();
    run();
    started.elapsed()
}

/// This process's CPU time so far (user + system, all threads).
fn own_cpu() -> Duration {
    // SAFETY: `rusage` is plain data that getrusage fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) }, 0);
    cpu_of(&usage)
}

fn cpu_of(usage: &libc::rusage) -> Duration {
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// A live process's CPU time so far (user + system), from `/proc/PID/stat`.
fn cpu_of_pid(pid: u32) -> Duration {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command name (which is in parentheses and may contain spaces).
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as u64;
    Duration::from_millis(ticks * 1000 / per_second)
}

/// Wall time and this process's CPU time of `run`.
fn time_and_cpu(run: impl FnOnce()) -> (Duration, Duration) {
    let cpu = own_cpu();
    let took = time(run);
    (took, own_cpu() - cpu)
}

fn best_of<T: Ord>(runs: usize, mut run: impl FnMut() -> T) -> T {
    (0..runs).map(|_| run()).min().unwrap()
}

/// file → socket → file, no frame, no hash: two threads of this process.
fn raw_copy(from: &Path, to: &Path) {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    let to = to.to_path_buf();
    let receiver = thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut file = File::create(&to).unwrap();
        io::copy(&mut conn, &mut file).unwrap();
        file.sync_all().unwrap();
        fs::remove_file(&to).unwrap();
    });
    let mut conn = TcpStream::connect(addr).unwrap();
    io::copy(&mut File::open(from).unwrap(), &mut conn).unwrap();
    drop(conn);
    receiver.join().unwrap();
}

struct Transfer {
    took: Duration,
    server_kib: u64,
    client_kib: u64,
    server_cpu: Duration,
    client_cpu: Duration,
}

/// Starts a fresh `lesson8 server` on `served`, runs the client `make_client` builds (timed),
/// then reads the server's peak memory and stops it with Ctrl-C.
fn transfer(served: &Path, make_client: impl FnOnce(String) -> Command) -> Transfer {
    let mut server = ServerProcess::spawn(
        Command::new(env!("CARGO_BIN_EXE_lesson8"))
            .env("RUST_LOG", "warn")
            .args([
                "server",
                "--addr",
                "127.0.0.1:0",
                "--max-upload",
                "64G",
                "--root",
            ])
            .arg(served),
    )
    .expect("the server did not start");
    let mut client = make_client(server.addr.to_string());
    let server_cpu_before = cpu_of_pid(server.id());
    let started = Instant::now();
    let (ok, client_kib, client_cpu) = run_child(&mut client);
    let took = started.elapsed();
    assert!(ok, "the client failed: {client:?}");
    let server_kib = vm_hwm_kib(server.id());
    let server_cpu = cpu_of_pid(server.id()) - server_cpu_before;
    server.interrupt().unwrap();
    let (status, stderr) = server.wait_within(PATIENCE).unwrap();
    assert!(status.success(), "{stderr}");
    Transfer {
        took,
        server_kib,
        client_kib,
        server_cpu,
        client_cpu,
    }
}

fn lesson8_client(addr: String, dir: &Path) -> Command {
    let mut client = Command::new(env!("CARGO_BIN_EXE_lesson8"));
    client
        .current_dir(dir)
        .env("RUST_LOG", "warn")
        .args(["client", "--addr", &addr])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    client
}

/// Runs a child to its end (a transfer of a large file may take a while; nothing here waits
/// without end: the server is bounded by its own timeouts). Returns whether it succeeded, and
/// its peak resident memory in KiB (`ru_maxrss`, from `wait4`), and its CPU time.
fn run_child(command: &mut Command) -> (bool, u64, Duration) {
    let child = command.spawn().expect("cannot start the client");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; `pid` is our own child, not yet reaped
    // (std's `Child` never reaps by itself).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4: {}", io::Error::last_os_error());
    drop(child);
    (
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        usage.ru_maxrss as u64,
        cpu_of(&usage),
    )
}

/// A live process's peak resident memory (`VmHWM`), in KiB.
fn vm_hwm_kib(pid: u32) -> u64 {
    let mut status = String::new();
    File::open(format!("/proc/{pid}/status"))
        .unwrap()
        .read_to_string(&mut status)
        .unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmHWM line")
}

fn report(what: &str, size: u64, took: Duration, transfer: Option<&Transfer>) {
    let rss = match transfer {
        Some(t) => format!(
            "   peak RSS: server {} KiB, client {} KiB\n{:>38}cpu: server {:.2} s, client {:.2} s",
            t.server_kib,
            t.client_kib,
            "",
            t.server_cpu.as_secs_f64(),
            t.client_cpu.as_secs_f64()
        ),
        None => String::new(),
    };
    println!(
        "  {what:<32} {:>8.1} ms  {:>7.1} MB/s{rss}",
        took.as_secs_f64() * 1e3,
        size as f64 / 1e6 / took.as_secs_f64()
    );
}
