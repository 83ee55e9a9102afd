//! How much does the frame cost? A 64 MiB reply over a real TCP connection.
//!
//! Run with `cargo bench --bench frame_throughput`. For a quick run, pass a
//! size in MiB, either as an argument or in an environment variable:
//!
//! ```text
//! cargo bench --bench frame_throughput -- 8
//! FRAME_BENCH_MIB=8 cargo bench --bench frame_throughput
//! ```
//!
//! (`FRAME_BENCH_REPS` sets the number of repetitions, 5 by default.)
//!
//! Four measurements, all in the same run so they are comparable:
//!
//! 1. raw: the writer calls `write_all` on the bytes, the reader calls `read`
//!    until it has them all. No framing, no checksum: the fastest possible
//!    transfer, and the yardstick for the others. (The raw reader is told the
//!    size in advance, which in real life is exactly what a frame is for.)
//! 2. codec: `write_frame` / `read_frame` + `check_md5`, what lesson 6's client
//!    does. The sender computes an md5 before sending, the receiver another
//!    one after receiving.
//! 3. framing only: the same wire bytes, but the header is prepared before the
//!    clock starts and the reader skips `check_md5`. This isolates the cost
//!    of the length prefix, the JSON header and the growing body buffer.
//! 4. md5 alone, in memory, over the same bytes: what one digest costs.
//!
//! If the model "codec = framing + two md5s" is right, the gap between raw and
//! codec is almost all digest, and the program prints that estimate next to
//! the measurement so you can check; whatever is left over is what the simple
//! model misses.
//!
//! This is not a statistics package, and the machine's other work shows up as
//! noise. To keep the comparison fair anyway, the four cases take turns (one
//! round runs each case once), so a slow moment hurts all of them alike rather
//! than one case in particular; a first, uncounted round warms everything up.
//! Each case is reported as the *median* of its runs, with the best run in
//! brackets. Nothing here asserts on timing.

use std::hint::black_box;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use socket_lessons::frame::{self, Header, Limits, Md5Check};

const MIB: usize = 1024 * 1024;

/// One thing to measure: run it once, get how long it took.
type Case<'a> = Box<dyn Fn() -> Duration + 'a>;

fn main() {
    let size_mib = size_from_args_or_env().unwrap_or(64);
    let reps = std::env::var("FRAME_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(5);
    let size = size_mib * MIB;

    // Not all zeros, so nothing along the way can be clever about it.
    let data: Arc<Vec<u8>> = Arc::new((0..size).map(|i| (i ^ (i >> 11)) as u8).collect());

    // For "framing only": the length and header, made before any clock starts.
    // These are the same bytes `write_frame` would send.
    let header = Header::for_body(&data);
    let header_json = serde_json::to_vec(&header).expect("a Header serializes");
    let mut prefix = (header_json.len() as u32).to_be_bytes().to_vec();
    prefix.extend_from_slice(&header_json);
    let prefix = Arc::new(prefix);

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();

    let cases: [(&str, Case); 4] = [
        (
            "raw write_all / read",
            Box::new(|| transfer(&listener, addr, &data, raw_write, raw_read)),
        ),
        (
            "codec + check_md5",
            Box::new(|| transfer(&listener, addr, &data, codec_write, codec_read)),
        ),
        (
            "framing only (no md5)",
            Box::new(|| {
                let prefix = Arc::clone(&prefix);
                let write = move |s: &mut TcpStream, body: &[u8]| {
                    s.write_all(&prefix).unwrap();
                    s.write_all(body).unwrap();
                };
                transfer(&listener, addr, &data, write, framing_read)
            }),
        ),
        (
            "md5 alone (in memory)",
            Box::new(|| {
                let start = Instant::now();
                black_box(frame::md5_hex(black_box(&data)));
                start.elapsed()
            }),
        ),
    ];

    println!(
        "frame_throughput: {size_mib} MiB over TCP loopback, {reps} rounds after 1 warm-up round; \
         MB/s = 10^6 bytes per second, median of the runs (best in brackets)"
    );

    for (_, run) in &cases {
        run(); // warm-up, not counted
    }
    let mut times = vec![Vec::with_capacity(reps); cases.len()];
    for _ in 0..reps {
        for ((_, run), case_times) in cases.iter().zip(&mut times) {
            case_times.push(run());
        }
    }
    for ((name, _), case_times) in cases.iter().zip(&times) {
        report(name, size, case_times);
    }

    let [raw, codec, framing, md5] = [0, 1, 2, 3].map(|i| median(&times[i]));
    println!();
    println!(
        "ratios of throughput (median): codec/raw = {:.2}, framing-only/raw = {:.2}",
        raw.as_secs_f64() / codec.as_secs_f64(),
        raw.as_secs_f64() / framing.as_secs_f64(),
    );
    println!(
        "where the codec's time goes: framing-only {:.1} ms + 2 x md5 {:.1} ms = {:.1} ms estimated, {:.1} ms measured",
        ms(framing),
        ms(md5),
        ms(framing + 2 * md5),
        ms(codec),
    );
}

/// The first argument that parses as a whole number, else `FRAME_BENCH_MIB`.
/// (`cargo bench` adds its own `--bench` argument, which is skipped.)
fn size_from_args_or_env() -> Option<usize> {
    std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .or_else(|| std::env::var("FRAME_BENCH_MIB").ok()?.parse().ok())
        .filter(|&n| n > 0)
}

fn raw_write(s: &mut TcpStream, body: &[u8]) {
    s.write_all(body).unwrap();
}

/// Reads until `size` bytes have arrived, straight into their final `Vec`.
fn raw_read(s: &mut TcpStream, size: usize) {
    let mut buf = vec![0u8; size];
    let mut got = 0;
    while got < size {
        match s.read(&mut buf[got..]).unwrap() {
            0 => panic!("raw: connection closed after {got} of {size} bytes"),
            n => got += n,
        }
    }
    black_box(&buf);
}

fn codec_write(s: &mut TcpStream, body: &[u8]) {
    frame::write_frame(s, body).unwrap();
}

fn codec_read(s: &mut TcpStream, size: usize) {
    let frame = frame::read_frame(s, &Limits::REPLY).unwrap().unwrap();
    assert_eq!(frame.body.len(), size);
    assert_eq!(frame.check_md5(), Md5Check::Matches);
    black_box(&frame);
}

fn framing_read(s: &mut TcpStream, size: usize) {
    let frame = frame::read_frame(s, &Limits::REPLY).unwrap().unwrap();
    assert_eq!(frame.body.len(), size);
    black_box(&frame);
}

/// Times one transfer of `data` from a writer thread to this thread, on a
/// fresh loopback connection.
///
/// The clock starts when the reader tells the writer "go" and stops when the
/// reader is done, so it covers both sides: everything the writer does before
/// its bytes arrive (such as computing an md5) counts too.
fn transfer<W>(
    listener: &TcpListener,
    addr: SocketAddr,
    data: &Arc<Vec<u8>>,
    write: W,
    read: fn(&mut TcpStream, usize),
) -> Duration
where
    W: FnOnce(&mut TcpStream, &[u8]) + Send + 'static,
{
    let size = data.len();
    let data = Arc::clone(data);
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let writer = thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        go_rx.recv().unwrap();
        write(&mut s, &data);
    });
    let (mut s, _) = listener.accept().unwrap();
    let start = Instant::now();
    go_tx.send(()).unwrap();
    read(&mut s, size);
    let elapsed = start.elapsed();
    writer.join().unwrap();
    elapsed
}

fn report(name: &str, size: usize, times: &[Duration]) {
    let mbps = |d: Duration| size as f64 / d.as_secs_f64() / 1e6;
    let best = times.iter().min().copied().unwrap_or_default();
    println!(
        "  {name:<24} {:>8.1} MB/s  (best {:>8.1})  {:>7.1} ms",
        mbps(median(times)),
        mbps(best),
        ms(median(times)),
    );
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
