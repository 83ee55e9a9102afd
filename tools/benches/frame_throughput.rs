//! How much does the frame cost? A 64 MiB reply over a real TCP connection, measured against
//! what the protocol cannot avoid.
//!
//! Run with `cargo bench --bench frame_throughput`. For a quick run, pass a
//! size in MiB, either as an argument or in an environment variable:
//!
//! ```text
//! cargo bench --bench frame_throughput -- 8
//! FRAME_BENCH_MIB=8 cargo bench --bench frame_throughput
//! ```
//!
//! (`FRAME_BENCH_REPS` sets the number of rounds, 7 by default.)
//!
//! # What is measured
//!
//! Over loopback, each from a fresh connection, the clock covering both sides (everything the
//! sender does before its bytes arrive, such as computing an md5, counts too):
//!
//! 1. **raw**: `write_all` on one side, `read` into a buffer of the right size on the other. No
//!    framing, no md5: the yardstick for moving the bytes at all. (The raw reader is told the size
//!    in advance, which in real life is exactly what a frame is for.)
//! 2. **framing, no md5**: the frame's bytes, with a header made before the clock starts; the
//!    receiver reads the header with `read_header` and the body with one `read_to_end`, into a
//!    buffer that grows as bytes arrive, as `read_frame` does. This is the cost of the length, the
//!    JSON and the growing buffer.
//! 3. **codec**: `write_frame` / `read_frame` + `check_md5`, what lesson 6 does. The sender hashes
//!    the body before sending; `read_frame` hashes it in 64 KiB steps while it arrives.
//! 4. **streaming**: `Header::for_reader` + `write_frame_from` / `read_header` + `BodyReader`,
//!    copied through a 64 KiB buffer into nothing: the constant-memory path for a file.
//! 5. **decoder**: `write_frame` / `FrameReader::read_frame` + `check_md5`: the resumable reader.
//!
//! Over a slower link, the sender held to 125 MB/s (what 1 Gbit/s Ethernet carries), with the
//! header made before the clock starts, so that only the receiver's md5 differs:
//!
//! 6. **`read_frame`**, which hashes each step of the body while the next is on its way;
//! 7. **read, then md5**: the body read whole, and hashed after its last byte, as `read_frame`
//!    did before it hashed while reading.
//!
//! And in memory, over the same bytes:
//!
//! 8. **md5 alone**: one digest. The protocol needs two: the sender must hash the whole body
//!    before the header can name its md5, and the receiver must hash what arrived. So **the
//!    protocol's floor is the time of two md5 passes**; no implementation of this protocol can
//!    beat it on one core per side, and a good one comes close.
//! 9. **a fresh buffer**: allocating a 64 MiB `Vec` and writing it once. Memory the process has
//!    never used costs a page fault per 4 KiB the first time it is touched; a receiver that keeps
//!    the whole body pays this (`read_frame`, the decoder, raw), one that streams it does not.
//!
//! Then the ratios: codec ÷ floor and streaming ÷ floor (how close each gets to what the protocol
//! allows), framing ÷ raw (what the frame itself costs), and on the slow link, how long after the
//! body's last byte each receiver was done.
//!
//! This is not a statistics package, and the machine's other work shows up as noise. To keep the
//! comparison fair anyway, the cases take turns (one round runs each case once), so a slow moment
//! hurts all of them alike rather than one case in particular; a first, uncounted round warms
//! everything up. Each case is reported as the *median* of its runs, with the best run in
//! brackets. Nothing here asserts on timing.

use std::hint::black_box;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use socket_lessons::frame::{
    self, BodyReader, FrameReader, Header, Limits, Md5Check, read_header, write_frame_from,
};
use socket_lessons_tools::probe;

const MIB: usize = 1024 * 1024;

/// The slow link's speed: 125 MB/s, what 1 Gbit/s Ethernet carries (before its own overhead).
const LINK_BYTES_PER_SECOND: f64 = 125e6;

/// One thing to measure: run it once, get how long it took.
type Case<'a> = Box<dyn Fn() -> Duration + 'a>;

/// The sending side of a transfer: gets the connected socket and the body.
type SendSide = fn(&mut TcpStream, &[u8]);

/// The receiving side of a transfer: gets the accepted socket and the body's size.
type ReceiveSide = fn(&mut TcpStream, usize);

fn main() {
    let size_mib = size_from_args_or_env().unwrap_or(64);
    let reps = std::env::var("FRAME_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(7);
    let size = size_mib * MIB;

    // Not all zeros, so nothing along the way can be clever about it.
    let data: Arc<Vec<u8>> = Arc::new((0..size).map(|i| (i ^ (i >> 11)) as u8).collect());

    // For "framing, no md5": the length and header, made before any clock starts.
    // These are the same bytes `write_frame` would send.
    let header_json = serde_json::to_vec(&Header::for_body(&data)).expect("a Header serializes");
    let mut prefix = (header_json.len() as u32).to_be_bytes().to_vec();
    prefix.extend_from_slice(&header_json);
    let prefix = Arc::new(prefix);

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let over_loopback =
        |send: SendSide, receive: ReceiveSide| transfer(&listener, addr, &data, send, receive);

    let cases: Vec<(&str, Case)> = vec![
        (
            "raw write_all / read",
            Box::new(|| over_loopback(raw_send, raw_receive)),
        ),
        (
            "framing, no md5",
            Box::new(|| {
                let prefix = Arc::clone(&prefix);
                transfer_with(&listener, addr, &data, framing_receive, move |s, body| {
                    s.write_all(&prefix).unwrap();
                    s.write_all(body).unwrap();
                })
            }),
        ),
        (
            "codec (md5 both sides)",
            Box::new(|| over_loopback(codec_send, codec_receive)),
        ),
        (
            "streaming (BodyReader)",
            Box::new(|| over_loopback(streaming_send, streaming_receive)),
        ),
        (
            "decoder (FrameReader)",
            Box::new(|| over_loopback(codec_send, decoder_receive)),
        ),
        (
            "1 Gbit/s: read_frame",
            Box::new(|| {
                let prefix = Arc::clone(&prefix);
                transfer_with(&listener, addr, &data, codec_receive, move |s, body| {
                    paced_send(s, &prefix, body)
                })
            }),
        ),
        (
            "1 Gbit/s: read, then md5",
            Box::new(|| {
                let prefix = Arc::clone(&prefix);
                transfer_with(
                    &listener,
                    addr,
                    &data,
                    hash_after_receive,
                    move |s, body| paced_send(s, &prefix, body),
                )
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
        (
            "fresh buffer (in memory)",
            Box::new(|| {
                let start = Instant::now();
                let mut fresh: Vec<u8> = Vec::with_capacity(size);
                fresh.extend_from_slice(black_box(&data));
                black_box(&fresh);
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
        report(name, size, median(case_times), best(case_times));
    }
    let [
        raw,
        framing,
        codec,
        streaming,
        decoder,
        paced,
        paced_after,
        md5,
        fresh,
    ] = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(|i| median(&times[i]));
    let floor = 2 * md5;
    report("floor = 2 x md5", size, floor, 2 * best(&times[7]));

    // Throughput ratios: a / b in throughput is b / a in time.
    let ratio = |faster_is_higher: Duration, reference: Duration| {
        reference.as_secs_f64() / faster_is_higher.as_secs_f64()
    };
    println!();
    println!("ratios of throughput (medians):");
    println!(
        "  codec / floor         = {:.2}   (target >= 0.90)",
        ratio(codec, floor)
    );
    println!("  streaming / floor     = {:.2}", ratio(streaming, floor));
    println!("  decoder / floor       = {:.2}", ratio(decoder, floor));
    println!(
        "  framing, no md5 / raw = {:.2}   (target >= 0.95)",
        ratio(framing, raw)
    );
    let link = Duration::from_secs_f64(size as f64 / LINK_BYTES_PER_SECOND);
    println!();
    println!(
        "on the 1 Gbit/s link the body alone takes {:.1} ms; the receiver was done {:.1} ms after \
         it hashing while the bytes arrived (read_frame), {:.1} ms after it hashing at the end",
        ms(link),
        ms(paced.saturating_sub(link)),
        ms(paced_after.saturating_sub(link)),
    );
    println!(
        "where the codec's time goes: 2 x md5 {:.1} ms + a fresh buffer {:.1} ms = {:.1} ms; \
         measured {:.1} ms",
        ms(floor),
        ms(fresh),
        ms(floor + fresh),
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

fn raw_send(s: &mut TcpStream, body: &[u8]) {
    s.write_all(body).unwrap();
}

/// Reads until `size` bytes have arrived, straight into their final `Vec`.
fn raw_receive(s: &mut TcpStream, size: usize) {
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

/// The header, then the body in one `read_to_end` into a buffer that starts at 64 KiB and grows
/// as bytes arrive: `read_frame` without its md5.
fn framing_receive(s: &mut TcpStream, size: usize) {
    let header = read_header(s, &Limits::REPLY).unwrap().unwrap();
    let mut body = Vec::with_capacity(64 * 1024);
    s.take(header.total_size).read_to_end(&mut body).unwrap();
    assert_eq!(body.len(), size);
    black_box(&body);
}

/// The body read whole, then hashed: what `read_frame` did before it hashed while reading.
fn hash_after_receive(s: &mut TcpStream, size: usize) {
    let header = read_header(s, &Limits::REPLY).unwrap().unwrap();
    let mut body = Vec::with_capacity(64 * 1024);
    s.take(header.total_size).read_to_end(&mut body).unwrap();
    assert_eq!(body.len(), size);
    assert_eq!(header.md5, Some(frame::md5_hex(&body)));
    black_box(&body);
}

/// Sends `prefix` and then `body` no faster than the slow link would: a piece of 256 KiB at a
/// time, each one when the link would have carried everything before it. (This sleeps to keep
/// a pace, not to wait for anything.)
fn paced_send(s: &mut TcpStream, prefix: &[u8], body: &[u8]) {
    let start = Instant::now();
    s.write_all(prefix).unwrap();
    let mut sent = 0;
    for piece in body.chunks(256 * 1024) {
        let due = start + Duration::from_secs_f64(sent as f64 / LINK_BYTES_PER_SECOND);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            thread::sleep(wait);
        }
        s.write_all(piece).unwrap();
        sent += piece.len();
    }
}

fn codec_send(s: &mut TcpStream, body: &[u8]) {
    frame::write_frame(s, body).unwrap();
}

fn codec_receive(s: &mut TcpStream, size: usize) {
    let frame = frame::read_frame(s, &Limits::REPLY).unwrap().unwrap();
    assert_eq!(frame.body.len(), size);
    assert_eq!(frame.check_md5(), Md5Check::Matches);
    black_box(&frame);
}

/// What a sender of a file does: hash it in one pass, then send it from the start.
fn streaming_send(s: &mut TcpStream, body: &[u8]) {
    let header = Header::for_reader(&mut io::Cursor::new(body)).unwrap();
    write_frame_from(s, &header, &mut io::Cursor::new(body)).unwrap();
}

/// What a receiver of a file does, with a sink for the file: the header, then the body through
/// one 64 KiB buffer, hashed on the way.
fn streaming_receive(s: &mut TcpStream, size: usize) {
    let limits = Limits {
        max_body_len: u64::MAX,
        ..Limits::REPLY
    };
    let header = read_header(s, &limits).unwrap().unwrap();
    let mut body = BodyReader::new(&mut *s, &header);
    let mut buf = vec![0u8; 64 * 1024];
    while body.read(&mut buf).unwrap() > 0 {
        black_box(&buf); // a file would be written here
    }
    assert_eq!(body.received(), size as u64);
    assert_eq!(body.finish().unwrap(), Md5Check::Matches);
}

fn decoder_receive(s: &mut TcpStream, size: usize) {
    let mut frames = FrameReader::new(s, Limits::REPLY);
    let frame = frames.read_frame().unwrap().unwrap();
    assert_eq!(frame.body.len(), size);
    assert_eq!(frame.check_md5(), Md5Check::Matches);
    black_box(&frame);
}

fn transfer(
    listener: &TcpListener,
    addr: SocketAddr,
    data: &Arc<Vec<u8>>,
    send: SendSide,
    receive: ReceiveSide,
) -> Duration {
    transfer_with(listener, addr, data, receive, send)
}

/// Times one transfer of `data` from a sending thread to this thread, on a fresh loopback
/// connection.
///
/// The clock starts when the receiver tells the sender "go" and stops when the receiver is
/// done, so it covers both sides: everything the sender does before its bytes arrive (such as
/// computing an md5) counts too.
fn transfer_with<S>(
    listener: &TcpListener,
    addr: SocketAddr,
    data: &Arc<Vec<u8>>,
    receive: ReceiveSide,
    send: S,
) -> Duration
where
    S: FnOnce(&mut TcpStream, &[u8]) + Send + 'static,
{
    let size = data.len();
    let data = Arc::clone(data);
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let sender = thread::spawn(move || {
        let mut s = probe::connect(addr).unwrap();
        go_rx.recv().unwrap();
        send(&mut s, &data);
    });
    let (mut s, _) = listener.accept().unwrap();
    s.set_read_timeout(Some(probe::PATIENCE)).unwrap();
    let start = Instant::now();
    go_tx.send(()).unwrap();
    receive(&mut s, size);
    let elapsed = start.elapsed();
    sender.join().unwrap();
    elapsed
}

fn report(name: &str, size: usize, median: Duration, best: Duration) {
    let mbps = |d: Duration| size as f64 / d.as_secs_f64() / 1e6;
    println!(
        "  {name:<26} {:>8.1} MB/s  (best {:>8.1})  {:>7.1} ms",
        mbps(median),
        mbps(best),
        ms(median),
    );
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn best(times: &[Duration]) -> Duration {
    times.iter().min().copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
