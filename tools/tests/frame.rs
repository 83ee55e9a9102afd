//! The frame codec (`socket_lessons::frame`), tested from the outside: only the public API.
//!
//! Readers here misbehave the way real sockets are allowed to: they hand out a few bytes at a
//! time ([`ChunkedReader`], the probe's), fail with `Interrupted` or time out, or refuse to be
//! read past a point, which proves a limit was checked before anything was read or allocated.
//! The three frame readers (`read_frame`, `FrameDecoder`, `FrameReader`) are held to one
//! answer: every malformed-frame test, the property tests and the fuzz run check that they
//! agree. The test program's allocator notes the largest allocation of each thread, so that a
//! test can show a body passing through without being held in memory. `tests/README.md` has the
//! map of this file and the command for the long fuzz run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use proptest::prelude::*;
use serde_json::json;
use socket_lessons::frame::{
    BodyReader, Frame, FrameDecoder, FrameError, FrameReader, Header, Limits, Md5Check, md5_hex,
    read_frame, read_header, read_length_prefixed, write_frame, write_frame_from, write_frame_with,
    write_length_prefixed,
};
use socket_lessons_tools::probe::{self, ChunkedReader, Chunking, SplitMix64};

// --- Watching memory ---------------------------------------------------------------------------

/// The allocator of this test program: the system's, plus a note, per thread, of the largest
/// single allocation since the last reset. That is how a test shows that a body streamed through
/// without ever being held in memory.
struct WatchingAllocator;

thread_local! {
    // `const`, and a `Cell` of a plain number: no lazy set-up and nothing to drop, so the
    // allocator can use it at any moment without allocating itself.
    static LARGEST_ALLOCATION: Cell<usize> = const { Cell::new(0) };
}

fn note_allocation(size: usize) {
    // `try_with`: a thread that is being torn down may still free and allocate.
    let _ = LARGEST_ALLOCATION.try_with(|largest| largest.set(largest.get().max(size)));
}

fn largest_allocation_on_this_thread() -> usize {
    LARGEST_ALLOCATION.with(Cell::get)
}

fn reset_largest_allocation_on_this_thread() {
    LARGEST_ALLOCATION.with(|largest| largest.set(0));
}

// SAFETY: every call is passed straight on to the system allocator, with the same arguments;
// noting the size touches only a thread-local number.
unsafe impl GlobalAlloc for WatchingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation(layout.size());
        // SAFETY: the caller's promises about `layout` are the ones `System.alloc` needs.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this `layout` (see above).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation(new_size);
        // SAFETY: as for `dealloc`, and the caller's promises about `new_size` are passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: WatchingAllocator = WatchingAllocator;

// --- Readers that misbehave the way real sockets are allowed to -------------------------------

/// `data` cut in two at `at`.
fn split_at(data: &[u8], at: usize) -> ChunkedReader {
    ChunkedReader::new(data.to_vec(), &Chunking::At(vec![at]))
}

/// `data` one byte per read: the most fragmented a stream can be.
fn byte_by_byte(data: &[u8]) -> ChunkedReader {
    ChunkedReader::new(data.to_vec(), &Chunking::ByteByByte)
}

/// Fails with `Interrupted` before every successful read, like a socket
/// read cut short by a signal. The caller is expected to just try again.
struct Interrupting<R> {
    inner: R,
    interrupt_next: bool,
}

impl<R: Read> Read for Interrupting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.interrupt_next = !self.interrupt_next;
        if self.interrupt_next {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        self.inner.read(buf)
    }
}

/// Passes reads on to `inner`, except one: after `after_reads` reads, one read fails with
/// `WouldBlock`, which is how a socket with a read timeout says "nothing came in time".
struct TimesOutOnce<R> {
    inner: R,
    after_reads: usize,
}

impl<R: Read> Read for TimesOutOnce<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.after_reads {
            0 => {
                self.after_reads = usize::MAX;
                Err(io::Error::from(io::ErrorKind::WouldBlock))
            }
            _ => {
                self.after_reads = self.after_reads.saturating_sub(1);
                self.inner.read(buf)
            }
        }
    }
}

/// A reader whose every read fails as a reset connection does.
struct Broken;

impl Read for Broken {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::from(io::ErrorKind::ConnectionReset))
    }
}

/// Serves `prefix`, then panics if anyone asks for more. Used to prove that
/// an over-limit size is rejected *without* trying to read (or allocate)
/// the body it announced.
struct PanicsAfter {
    prefix: io::Cursor<Vec<u8>>,
}

impl PanicsAfter {
    fn serving(prefix: &[u8]) -> PanicsAfter {
        PanicsAfter {
            prefix: io::Cursor::new(prefix.to_vec()),
        }
    }
}

impl Read for PanicsAfter {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.prefix.read(buf)?;
        if n == 0 && !buf.is_empty() {
            panic!("read past the prefix: the reader should have stopped at the limit");
        }
        Ok(n)
    }
}

/// A frame announcing an 11-byte body (one over [`SMALL`]'s limit), served up to the end of
/// its header; a reader that asks for the body panics.
fn an_over_limit_body_announced_then_nothing() -> PanicsAfter {
    let wire = encode(&[b"0123456789X"]);
    let body_start = wire.len() - 11;
    PanicsAfter::serving(&wire[..body_start])
}

// --- Helpers -------------------------------------------------------------

/// Checks that `err` says the stream ended inside `what`, `received` of its `expected` bytes in.
#[track_caller]
fn assert_ended_mid_frame(err: &FrameError, what: &str, expected: u64, received: u64) {
    assert!(
        matches!(
            err,
            FrameError::EndedMidFrame { what: w, expected: e, received: r }
                if *w == what && *e == expected && *r == received
        ),
        "{err:?}"
    );
}

/// Checks that `err` refuses a `len`-byte header over the `limit`-byte header limit.
#[track_caller]
fn assert_header_too_long(err: &FrameError, len: u32, limit: u32) {
    assert!(
        matches!(err, FrameError::HeaderTooLong { len: l, limit: m } if *l == len && *m == limit),
        "{err:?}"
    );
}

/// Checks that `err` refuses a `size`-byte body over the `limit`-byte body limit.
#[track_caller]
fn assert_body_too_large(err: &FrameError, size: u64, limit: u64) {
    assert!(
        matches!(err, FrameError::BodyTooLarge { size: s, limit: m } if *s == size && *m == limit),
        "{err:?}"
    );
}

fn encode(bodies: &[&[u8]]) -> Vec<u8> {
    let mut wire = Vec::new();
    for body in bodies {
        write_frame(&mut wire, body).unwrap();
    }
    wire
}

/// A frame with a hand-written header, for headers `write_frame` would never send.
fn raw_frame(header: &[u8], body: &[u8]) -> Vec<u8> {
    let mut wire = (header.len() as u32).to_be_bytes().to_vec();
    wire.extend_from_slice(header);
    wire.extend_from_slice(body);
    wire
}

/// Reads frames until a clean end, panicking on any error.
fn decode_all(r: &mut impl Read, limits: &Limits) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    while let Some(frame) = read_frame(r, limits).unwrap() {
        assert_eq!(frame.check_md5(), Md5Check::Matches);
        bodies.push(frame.body);
    }
    bodies
}

/// The error `read_frame` gives for `wire`, after checking that the decoder and the
/// `FrameReader` give the same one, whether the bytes come all at once or one by one.
fn read_err(wire: &[u8], limits: &Limits) -> FrameError {
    let err = match read_frame(&mut &wire[..], limits) {
        Err(e) => e,
        Ok(frame) => panic!("expected an error, got {frame:?}"),
    };
    let expected = Decoded {
        frames: Vec::new(),
        end: Err(format!("{err:?}")),
    };
    for chunking in [Chunking::Whole, Chunking::ByteByByte] {
        assert_eq!(
            decode_pushed(wire, &chunking, limits),
            expected,
            "decoder, {chunking:?}"
        );
        assert_eq!(
            decode_frame_reader(wire, &chunking, limits),
            expected,
            "FrameReader, {chunking:?}"
        );
    }
    err
}

/// What a reader made of a stream: the frames it returned, then how the stream ended.
#[derive(Debug, PartialEq)]
struct Decoded {
    frames: Vec<(Header, Vec<u8>, Md5Check)>,
    /// `Ok` for a clean end between frames, else the error, written out with `{:?}` (a
    /// `FrameError` holds an `io::Error`, which cannot be compared).
    end: Result<(), String>,
}

impl Decoded {
    /// No frames yet, and (until told otherwise) a clean end.
    fn nothing_yet() -> Decoded {
        Decoded {
            frames: Vec::new(),
            end: Ok(()),
        }
    }

    fn push(&mut self, frame: Frame) {
        let check = frame.check_md5();
        self.frames.push((frame.header, frame.body, check));
    }

    /// Records the end and returns the whole story.
    fn ended(mut self, end: Result<(), FrameError>) -> Decoded {
        self.end = end.map_err(|e| format!("{e:?}"));
        self
    }
}

/// Decodes `wire` with `read_frame`, the stream cut as `chunking` says.
fn decode_blocking(wire: &[u8], chunking: &Chunking, limits: &Limits) -> Decoded {
    let mut r = ChunkedReader::new(wire.to_vec(), chunking);
    let mut decoded = Decoded::nothing_yet();
    loop {
        match read_frame(&mut r, limits) {
            Ok(Some(frame)) => decoded.push(frame),
            Ok(None) => return decoded.ended(Ok(())),
            Err(e) => return decoded.ended(Err(e)),
        }
    }
}

/// Decodes `wire` by pushing the pieces of `chunking` into a `FrameDecoder`, taking out every
/// frame after each push, and telling it about the end at the end.
fn decode_pushed(wire: &[u8], chunking: &Chunking, limits: &Limits) -> Decoded {
    let mut decoder = FrameDecoder::new(*limits);
    let mut decoded = Decoded::nothing_yet();
    for piece in chunking.cut(wire) {
        decoder.push(piece);
        loop {
            match decoder.next_frame() {
                Ok(Some(frame)) => decoded.push(frame),
                Ok(None) => break,
                Err(e) => return decoded.ended(Err(e)),
            }
        }
    }
    loop {
        match decoder.next_frame_at_end() {
            Ok(Some(frame)) => decoded.push(frame),
            Ok(None) => return decoded.ended(Ok(())),
            Err(e) => return decoded.ended(Err(e)),
        }
    }
}

/// Decodes `wire` with a `FrameReader` over a reader that hands out the pieces of `chunking`.
fn decode_frame_reader(wire: &[u8], chunking: &Chunking, limits: &Limits) -> Decoded {
    let mut frames = FrameReader::new(ChunkedReader::new(wire.to_vec(), chunking), *limits);
    let mut decoded = Decoded::nothing_yet();
    loop {
        match frames.read_frame() {
            Ok(Some(frame)) => decoded.push(frame),
            Ok(None) => return decoded.ended(Ok(())),
            Err(e) => return decoded.ended(Err(e)),
        }
    }
}

const SMALL: Limits = Limits {
    max_header_len: 100,
    max_body_len: 10,
};

// --- Round trips and fragmentation -----------------------------------------

#[test]
fn round_trip() {
    let wire = encode(&[b"hello"]);
    let frame = read_frame(&mut &wire[..], &Limits::REQUEST)
        .unwrap()
        .unwrap();
    assert_eq!(frame, Frame::new(b"hello".to_vec()));
    assert_eq!(frame.header.total_size, 5);
    assert_eq!(
        frame.header.md5.as_deref(),
        Some("5d41402abc4b2a76b9719d911017c592")
    );
    assert_eq!(frame.check_md5(), Md5Check::Matches);
}

#[test]
fn empty_body_round_trips() {
    let wire = encode(&[b""]);
    let frame = read_frame(&mut &wire[..], &SMALL).unwrap().unwrap();
    assert_eq!(frame.body, b"");
    assert_eq!(frame.check_md5(), Md5Check::Matches);
}

#[test]
fn wire_format_is_big_endian_length_then_json_then_body() {
    let wire = encode(&[b"hi"]);
    let header = br#"{"total_size":2,"md5":"49f68a5c8493ec2c0bf489821c21fc3b"}"#;
    assert_eq!(wire, raw_frame(header, b"hi"));
    // The most significant byte comes first: 0x00 0x00 0x00 len.
    assert_eq!(wire[..4], [0, 0, 0, header.len() as u8]);
}

#[test]
fn empty_stream_is_a_clean_end() {
    assert!(read_frame(&mut &b""[..], &SMALL).unwrap().is_none());
}

#[test]
fn glued_frames_decode_one_by_one_then_none() {
    let bodies: [&[u8]; 4] = [b"first", b"", b"third frame", &[0, 1, 2, 255]];
    let wire = encode(&bodies);
    let mut r = &wire[..];
    for body in bodies {
        let frame = read_frame(&mut r, &Limits::REQUEST).unwrap().unwrap();
        assert_eq!(frame.body, body);
    }
    assert!(read_frame(&mut r, &Limits::REQUEST).unwrap().is_none());
    // And it stays ended.
    assert!(read_frame(&mut r, &Limits::REQUEST).unwrap().is_none());
}

#[test]
fn split_at_every_offset_decodes_the_same() {
    // Two frames, so some splits land inside the second frame's prefix.
    let bodies: [&[u8]; 2] = [b"dir output line 1\nline 2\n", b"ok"];
    let wire = encode(&bodies);
    for at in 0..=wire.len() {
        let got = decode_all(&mut split_at(&wire, at), &Limits::REQUEST);
        assert_eq!(got, bodies, "split at byte {at}");
    }
}

#[test]
fn one_byte_per_read_decodes_the_same() {
    let bodies: [&[u8]; 3] = [b"one", b"", b"three"];
    let wire = encode(&bodies);
    let got = decode_all(&mut byte_by_byte(&wire), &Limits::REQUEST);
    assert_eq!(got, bodies);
}

#[test]
fn interrupted_reads_are_retried() {
    let bodies: [&[u8]; 2] = [b"signal", b"safe"];
    let wire = encode(&bodies);
    let mut r = Interrupting {
        inner: byte_by_byte(&wire),
        interrupt_next: false,
    };
    assert_eq!(decode_all(&mut r, &Limits::REQUEST), bodies);
}

#[test]
fn other_io_errors_are_reported_as_io() {
    let err = read_frame(&mut Broken, &SMALL).unwrap_err();
    assert!(
        matches!(&err, FrameError::Io(e) if e.kind() == io::ErrorKind::ConnectionReset),
        "{err:?}"
    );
}

// --- Headers -------------------------------------------------------------

#[test]
fn unknown_header_fields_are_kept_not_refused() {
    // This is what Python's json.dumps writes: spaces after ':' and ','.
    let header = br#"{"filename": "a.txt", "total_size": 3, "md5": "900150983cd24fb0d6963f7d28e17f72", "nested": {"x": [1]}}"#;
    let frame = read_frame(&mut &raw_frame(header, b"abc")[..], &Limits::REQUEST)
        .unwrap()
        .unwrap();
    assert_eq!(frame.header.total_size, 3);
    assert_eq!(frame.check_md5(), Md5Check::Matches);
    assert_eq!(frame.header.get_str("filename"), Some("a.txt"));
    assert_eq!(frame.header.get("nested"), Some(&json!({"x": [1]})));
    let names: Vec<&str> = frame
        .header
        .extra_fields()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["filename", "nested"]);
}

#[test]
fn unknown_header_fields_round_trip() {
    // A relay that reads a frame and sends it on passes along fields it knows nothing about.
    let header = br#"{"total_size":2,"action":"put","error":null,"mode":420,"tags":["a","b"]}"#;
    let frame = read_frame(&mut &raw_frame(header, b"hi")[..], &SMALL)
        .unwrap()
        .unwrap();
    let mut resent = Vec::new();
    write_frame_with(&mut resent, &frame.header, &frame.body).unwrap();
    let again = read_frame(&mut &resent[..], &SMALL).unwrap().unwrap();
    assert_eq!(again.header, frame.header);
    assert_eq!(again.body, b"hi");
    assert_eq!(again.header.get("mode"), Some(&json!(420)));
    assert_eq!(again.header.get("error"), Some(&json!(null)));
}

#[test]
fn a_header_with_extra_fields_is_built_and_read_back() {
    let header = Header::for_body(b"file bytes").with("filename", "a.txt");
    let mut wire = Vec::new();
    write_frame_with(&mut wire, &header, b"file bytes").unwrap();
    // The two fields everybody knows come first, in the order write_frame has always used.
    let expected = format!(
        r#"{{"total_size":10,"md5":"{}","filename":"a.txt"}}"#,
        md5_hex(b"file bytes")
    );
    assert_eq!(wire, raw_frame(expected.as_bytes(), b"file bytes"));

    let frame = read_frame(&mut &wire[..], &SMALL).unwrap().unwrap();
    assert_eq!(frame.header, header);
    assert_eq!(frame.header.get_str("filename"), Some("a.txt"));
    assert_eq!(frame.check_md5(), Md5Check::Matches);
}

#[test]
fn extra_field_helpers() {
    let mut header = Header::new(0)
        .with("filename", "a.txt")
        .with("size_hint", 7);
    assert_eq!(header.md5, None);
    assert_eq!(header.get_str("filename"), Some("a.txt"));
    // A field that is there but not a string is not a string.
    assert_eq!(header.get_str("size_hint"), None);
    assert_eq!(header.get("size_hint"), Some(&json!(7)));
    assert_eq!(header.get_str("missing"), None);
    // The two fields of its own are not among the extras.
    assert_eq!(header.get("total_size"), None);
    assert_eq!(header.set("filename", "b.txt"), Some(json!("a.txt")));
    assert_eq!(header.remove("filename"), Some(json!("b.txt")));
    assert_eq!(header.extra_fields().len(), 1);
}

#[test]
#[should_panic(expected = "set `header.total_size` instead")]
fn total_size_is_not_an_extra_field() {
    let _ = Header::new(0).with("total_size", 5);
}

#[test]
fn write_frame_with_refuses_a_header_that_does_not_describe_the_body() {
    let mut wire = Vec::new();
    let err = write_frame_with(&mut wire, &Header::new(3), b"four").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(wire.is_empty(), "nothing may be written: {wire:?}");
}

#[test]
fn write_frame_sends_what_write_frame_with_sends_for_the_header_of_the_body() {
    for body in [&b""[..], b"hello", &[7u8; 70_000]] {
        let (mut plain, mut with) = (Vec::new(), Vec::new());
        write_frame(&mut plain, body).unwrap();
        write_frame_with(&mut with, &Header::for_body(body), body).unwrap();
        assert_eq!(plain, with);
    }
}

#[test]
fn header_without_md5_is_valid_but_unchecked() {
    let frame = read_frame(&mut &raw_frame(br#"{"total_size":3}"#, b"abc")[..], &SMALL)
        .unwrap()
        .unwrap();
    assert_eq!(frame.header.md5, None);
    assert_eq!(frame.check_md5(), Md5Check::Absent);
    // And a missing md5 is left out when serializing, not written as null.
    assert_eq!(
        serde_json::to_string(&frame.header).unwrap(),
        r#"{"total_size":3}"#
    );
}

#[test]
fn md5_mismatch_is_detected() {
    let mut frame = Frame::new(b"hello".to_vec());
    frame.body[0] = b'j'; // "jello": same length, different content
    assert_eq!(
        frame.check_md5(),
        Md5Check::Mismatch {
            expected: "5d41402abc4b2a76b9719d911017c592".to_string(),
            actual: md5_hex(b"jello"),
        }
    );
}

#[test]
fn a_body_damaged_on_the_way_is_a_mismatch() {
    // The header describes "hello"; the wire carries "jello" (same length, other bytes).
    let mut wire = encode(&[b"hello"]);
    let last = wire.len() - 5;
    wire[last] = b'j';
    let frame = read_frame(&mut &wire[..], &SMALL).unwrap().unwrap();
    assert_eq!(
        frame.check_md5(),
        Md5Check::Mismatch {
            expected: md5_hex(b"hello"),
            actual: md5_hex(b"jello"),
        }
    );
}

#[test]
fn check_md5_of_a_received_frame_describes_the_body_as_it_arrived() {
    // read_frame hashed the body while it arrived and keeps that md5, so checking costs no
    // second pass. The answer is about what arrived, whatever the caller does to the body later.
    let mut frame = read_frame(&mut &encode(&[b"hello"])[..], &SMALL)
        .unwrap()
        .unwrap();
    frame.body.make_ascii_uppercase();
    assert_eq!(frame.check_md5(), Md5Check::Matches);
    // A frame made from its parts has no such memory: its body is hashed when it is checked.
    let rebuilt = Frame::with_header(frame.header.clone(), frame.body.clone());
    assert_eq!(rebuilt, frame, "equality is about header and body only");
    assert!(matches!(rebuilt.check_md5(), Md5Check::Mismatch { .. }));
    let unchecked = Frame::with_header(Header::new(5), b"HELLO".to_vec());
    assert_eq!(unchecked.check_md5(), Md5Check::Absent);
}

#[test]
fn upper_case_md5_still_matches() {
    let header = br#"{"total_size":5,"md5":"5D41402ABC4B2A76B9719D911017C592"}"#;
    let frame = read_frame(&mut &raw_frame(header, b"hello")[..], &SMALL)
        .unwrap()
        .unwrap();
    assert_eq!(frame.check_md5(), Md5Check::Matches);
}

#[test]
fn md5_hex_matches_python_hexdigest() {
    // python3 -c 'import hashlib; print(hashlib.md5(b"").hexdigest())'
    assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(md5_hex(b"hello"), "5d41402abc4b2a76b9719d911017c592");
}

// --- Malformed frames: each mistake has its own variant --------------------

#[test]
fn length_cut_short_after_1_to_3_bytes() {
    let wire = encode(&[b"x"]);
    for k in 1..4 {
        let err = read_err(&wire[..k], &SMALL);
        assert!(
            matches!(
                err,
                FrameError::EndedMidFrame { what: "header length", expected: 4, received }
                    if received == k as u64
            ),
            "{k} bytes: {err:?}"
        );
    }
}

#[test]
fn header_cut_short() {
    let wire = raw_frame(br#"{"total_size":0}"#, b"");
    let err = read_err(&wire[..4 + 5], &SMALL);
    assert_ended_mid_frame(&err, "header", 16, 5);
}

#[test]
fn body_cut_short() {
    let wire = encode(&[b"0123456789"]);
    let err = read_err(&wire[..wire.len() - 7], &SMALL);
    assert_ended_mid_frame(&err, "body", 10, 3);
}

#[test]
fn header_not_utf8() {
    let err = read_err(&raw_frame(&[b'{', 0xff, 0xfe, b'}'], b""), &SMALL);
    assert!(matches!(err, FrameError::HeaderNotUtf8), "{err:?}");
}

#[test]
fn header_not_json() {
    for header in [&b"total_size: 5"[..], b"", b"{\"total_size\": 5", b"{} {}"] {
        let err = read_err(&raw_frame(header, b""), &SMALL);
        assert!(matches!(err, FrameError::HeaderNotJson(_)), "{err:?}");
    }
}

#[test]
fn header_not_object() {
    for header in [&b"[1, 2]"[..], b"5", b"\"total_size\"", b"null", b"true"] {
        let err = read_err(&raw_frame(header, b""), &SMALL);
        assert!(matches!(err, FrameError::HeaderNotObject), "{err:?}");
    }
}

#[test]
fn header_missing_or_bad_total_size() {
    for header in [
        &br#"{}"#[..],
        br#"{"md5": "d41d8cd98f00b204e9800998ecf8427e"}"#,
        br#"{"total_size": -1}"#,
        br#"{"total_size": 1.5}"#,
        br#"{"total_size": "5"}"#,
        br#"{"total_size": null}"#,
        br#"{"Total_Size": 5}"#,
    ] {
        let err = read_err(&raw_frame(header, b""), &SMALL);
        assert!(
            matches!(err, FrameError::MissingTotalSize),
            "{}: {err:?}",
            String::from_utf8_lossy(header)
        );
    }
}

#[test]
fn md5_of_the_wrong_type_is_a_json_error() {
    let err = read_err(&raw_frame(br#"{"total_size":0,"md5":5}"#, b""), &SMALL);
    assert!(matches!(err, FrameError::HeaderNotJson(_)), "{err:?}");
}

// --- Limits ----------------------------------------------------------------

/// A valid header padded with spaces (legal JSON whitespace) to exactly `len` bytes.
fn padded_header(total_size: u64, len: usize) -> Vec<u8> {
    let mut header = format!(r#"{{"total_size":{total_size}}}"#).into_bytes();
    assert!(header.len() <= len);
    header.resize(len, b' ');
    header
}

#[test]
fn header_exactly_at_the_limit_is_accepted() {
    let wire = raw_frame(&padded_header(0, 100), b"");
    assert!(read_frame(&mut &wire[..], &SMALL).unwrap().is_some());
}

#[test]
fn header_one_over_the_limit_is_rejected_before_reading_it() {
    let wire = raw_frame(&padded_header(0, 101), b"");
    // Only the 4-byte length is available; reading any further panics.
    let mut r = PanicsAfter::serving(&wire[..4]);
    let err = read_frame(&mut r, &SMALL).unwrap_err();
    assert_header_too_long(&err, 101, 100);
}

#[test]
fn body_exactly_at_the_limit_is_accepted() {
    let wire = encode(&[b"0123456789"]);
    let frame = read_frame(&mut &wire[..], &SMALL).unwrap().unwrap();
    assert_eq!(frame.body.len(), 10);
}

#[test]
fn body_one_over_the_limit_is_rejected_before_reading_it() {
    let mut r = an_over_limit_body_announced_then_nothing();
    let err = read_frame(&mut r, &SMALL).unwrap_err();
    assert_body_too_large(&err, 11, 10);
}

#[test]
fn huge_announced_body_is_rejected_without_reading_or_allocating() {
    // 2^60 bytes: allocating this would abort the process, so reaching the
    // assertion at all shows the limit was checked first.
    let header = br#"{"total_size":1152921504606846976}"#;
    let mut r = PanicsAfter::serving(&raw_frame(header, b""));
    let err = read_frame(&mut r, &Limits::REPLY).unwrap_err();
    assert_body_too_large(&err, 1152921504606846976, Limits::REPLY.max_body_len);
}

#[test]
fn announced_body_at_the_limit_but_never_sent_ends_mid_frame() {
    // The peer announces a 64 MiB reply and then hangs up. That passes the
    // limit check, and must come back as "ended mid-frame", quickly.
    let header = format!(r#"{{"total_size":{}}}"#, 64 * 1024 * 1024);
    let wire = raw_frame(header.as_bytes(), b"only this");
    let err = read_err(&wire, &Limits::REPLY);
    assert_ended_mid_frame(&err, "body", 67108864, 9);
}

#[test]
fn protocol_limits() {
    assert_eq!(Limits::REQUEST.max_header_len, 65536);
    assert_eq!(Limits::REQUEST.max_body_len, 8 * 1024 * 1024);
    assert_eq!(Limits::REPLY.max_header_len, 65536);
    assert_eq!(Limits::REPLY.max_body_len, 128 * 1024 * 1024);
}

#[test]
fn error_messages_read_well() {
    let err = FrameError::BodyTooLarge {
        size: 9_000_000,
        limit: 8_388_608,
    };
    assert_eq!(
        err.to_string(),
        "the peer announced a 9000000-byte body, over the 8388608-byte limit"
    );
    let err = FrameError::EndedMidFrame {
        what: "body",
        expected: 10,
        received: 3,
    };
    assert_eq!(
        err.to_string(),
        "the connection ended in the middle of a frame: expected 10 bytes of body, received only 3"
    );
    assert_eq!(
        FrameError::HeaderNotObject.to_string(),
        r#"the header is JSON but not an object; expected something like {"total_size": 5}"#
    );
}

#[test]
fn a_frame_error_survives_a_trip_through_io_error() {
    // Code in io::Result (a client) and code in frame terms meet through `?` both ways.
    let there = io::Error::from(FrameError::HeaderNotObject);
    assert_eq!(there.kind(), io::ErrorKind::InvalidData);
    assert!(matches!(
        FrameError::from(there),
        FrameError::HeaderNotObject
    ));
    // A plain I/O error stays one, in both directions.
    let reset = FrameError::from(io::Error::from(io::ErrorKind::ConnectionReset));
    assert!(matches!(&reset, FrameError::Io(e) if e.kind() == io::ErrorKind::ConnectionReset));
    assert_eq!(
        io::Error::from(reset).kind(),
        io::ErrorKind::ConnectionReset
    );
}

// --- Streaming: read_header, BodyReader, write_frame_from ------------------------------------

/// Reads one frame the streaming way: the header, then the body through a `BodyReader`.
fn read_streamed(r: &mut impl Read, limits: &Limits) -> (Header, Vec<u8>, Md5Check) {
    let header = read_header(r, limits).unwrap().expect("a header");
    let mut body_reader = BodyReader::new(&mut *r, &header);
    let mut body = Vec::new();
    body_reader.read_to_end(&mut body).unwrap();
    (header, body, body_reader.finish().unwrap())
}

#[test]
fn a_streamed_frame_is_the_same_frame_on_the_wire() {
    // Sent from a reader or from a slice, read whole or streamed: one protocol, the same bytes.
    for body in [&b""[..], b"hello", &[9u8; 200_000]] {
        let header = Header::for_reader(&mut &body[..]).unwrap();
        assert_eq!(header, Header::for_body(body));
        let mut streamed = Vec::new();
        write_frame_from(&mut streamed, &header, &mut &body[..]).unwrap();
        assert_eq!(streamed, encode(&[body]));

        let (got_header, got_body, check) =
            read_streamed(&mut byte_by_byte(&streamed), &SMALL_HEADER_ANY_BODY);
        assert_eq!(got_header, header);
        assert_eq!(got_body, body);
        assert_eq!(check, Md5Check::Matches);
    }
}

/// Headers up to 100 bytes, bodies of any size: for streaming tests, where nothing is buffered.
const SMALL_HEADER_ANY_BODY: Limits = Limits {
    max_header_len: 100,
    max_body_len: u64::MAX,
};

#[test]
fn body_reader_reports_progress_and_stops_at_the_frame_end() {
    let wire = encode(&[&[1u8; 10_000], b"next"]);
    let mut r = ChunkedReader::new(wire, &Chunking::Fixed(1500));
    let header = read_header(&mut r, &Limits::REQUEST).unwrap().unwrap();
    let mut body = BodyReader::new(&mut r, &header);
    assert_eq!((body.received(), body.total_size()), (0, 10_000));
    let mut buf = [0u8; 4096];
    let mut progress = Vec::new();
    loop {
        let n = body.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        progress.push(body.received());
    }
    assert!(progress.is_sorted() && progress.len() > 1, "{progress:?}");
    assert_eq!(progress.last(), Some(&10_000));
    assert_eq!(body.finish().unwrap(), Md5Check::Matches);
    // Not one byte of the next frame was taken.
    assert_eq!(
        read_frame(&mut r, &Limits::REQUEST).unwrap().unwrap().body,
        b"next"
    );
}

#[test]
fn finish_reads_the_rest_of_an_unread_body_so_the_next_frame_can_follow() {
    let wire = encode(&[b"a body nobody reads", b"the next frame"]);
    let mut r = &wire[..];
    let header = read_header(&mut r, &Limits::REQUEST).unwrap().unwrap();
    let skipped = BodyReader::new(&mut r, &header);
    assert_eq!(skipped.finish().unwrap(), Md5Check::Matches);
    assert_eq!(
        read_frame(&mut r, &Limits::REQUEST).unwrap().unwrap().body,
        b"the next frame"
    );
}

#[test]
fn a_streamed_body_cut_short_ends_mid_frame() {
    let wire = encode(&[b"0123456789"]);
    let cut = &wire[..wire.len() - 4];
    let mut r = cut;
    let header = read_header(&mut r, &SMALL).unwrap().unwrap();
    let mut body = BodyReader::new(&mut r, &header);
    // To a plain `io::Read` user, a short body is an `UnexpectedEof`, never a quiet end...
    let err = io::copy(&mut body, &mut io::sink()).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    // ...and back in frame terms it is the same error read_frame gives.
    let expected = "EndedMidFrame { what: \"body\", expected: 10, received: 6 }";
    assert_eq!(format!("{:?}", FrameError::from(err)), expected);
    assert_eq!(format!("{:?}", body.finish().unwrap_err()), expected);
    assert_eq!(format!("{:?}", read_err(cut, &SMALL)), expected);
}

#[test]
fn a_damaged_streamed_body_is_a_mismatch() {
    let mut wire = encode(&[b"hello"]);
    let last = wire.len() - 1;
    wire[last] = b'p';
    let (_, body, check) = read_streamed(&mut &wire[..], &SMALL);
    assert_eq!(body, b"hellp");
    assert!(matches!(check, Md5Check::Mismatch { .. }), "{check:?}");
}

#[test]
fn read_header_checks_the_body_limit_before_reading_the_body() {
    let mut r = an_over_limit_body_announced_then_nothing();
    let err = read_header(&mut r, &SMALL).unwrap_err();
    assert_body_too_large(&err, 11, 10);
    assert!(read_header(&mut &b""[..], &SMALL).unwrap().is_none());
}

#[test]
fn a_read_timeout_inside_a_streamed_body_loses_nothing() {
    let wire = encode(&[b"slow body"]);
    let mut r = ChunkedReader::new(wire, &Chunking::Fixed(5));
    let header = read_header(&mut r, &SMALL).unwrap().unwrap();
    // One read of the body, then a read that times out, then the rest.
    let mut slow = TimesOutOnce {
        inner: &mut r,
        after_reads: 1,
    };
    let mut body = BodyReader::new(&mut slow, &header);
    let mut got = Vec::new();
    let err = body.read_to_end(&mut got).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    assert_eq!(body.received(), got.len() as u64);
    body.read_to_end(&mut got).unwrap();
    assert_eq!(got, b"slow body");
    assert_eq!(body.finish().unwrap(), Md5Check::Matches);
}

#[test]
fn write_frame_from_sends_exactly_total_size_bytes_or_says_why_not() {
    // A longer source: only what the header announced is sent.
    let mut wire = Vec::new();
    let mut source = &b"hello, and more"[..];
    write_frame_from(&mut wire, &Header::for_body(b"hello"), &mut source).unwrap();
    assert_eq!(wire, encode(&[b"hello"]));
    assert_eq!(source, b", and more");
    // A shorter one: an error, since the frame on the wire is now incomplete.
    let err = write_frame_from(&mut Vec::new(), &Header::new(10), &mut &b"short"[..]).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    assert!(err.to_string().contains("after 5 of the 10 bytes"), "{err}");
}

#[test]
fn a_large_body_streams_through_in_constant_memory() {
    // 64 MiB from a reader that makes them up as it goes (`io::repeat`), through
    // write_frame_from into a socket, and out of read_header + BodyReader into a sink.
    // Neither side may make a single allocation of even 1 MiB: a body held in memory would
    // need one allocation as large as the body, since a Vec's bytes are all in one piece.
    const SIZE: u64 = 64 * 1024 * 1024;
    const MOST: usize = 1024 * 1024;
    let header = Header::for_reader(&mut io::repeat(b'x').take(SIZE)).unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let sent_header = header.clone();
    let sender = thread::spawn(move || {
        let mut conn = probe::connect(addr).unwrap();
        reset_largest_allocation_on_this_thread();
        write_frame_from(&mut conn, &sent_header, &mut io::repeat(b'x').take(SIZE)).unwrap();
        largest_allocation_on_this_thread()
    });
    let (mut conn, _) = listener.accept().unwrap();
    conn.set_read_timeout(Some(probe::PATIENCE)).unwrap();

    reset_largest_allocation_on_this_thread();
    let got = read_header(&mut conn, &SMALL_HEADER_ANY_BODY)
        .unwrap()
        .unwrap();
    let mut body = BodyReader::new(&mut conn, &got);
    assert_eq!(io::copy(&mut body, &mut io::sink()).unwrap(), SIZE);
    assert_eq!(body.finish().unwrap(), Md5Check::Matches);
    let receiver_largest = largest_allocation_on_this_thread();
    let sender_largest = sender.join().unwrap();
    assert_eq!(got, header);
    assert!(
        receiver_largest < MOST,
        "the receiver allocated {receiver_largest} bytes at once"
    );
    assert!(
        sender_largest < MOST,
        "the sender allocated {sender_largest} bytes at once"
    );
}

// --- The resumable decoder and the FrameReader ------------------------------------------------

#[test]
fn a_frame_cut_at_every_byte_offset_is_decoded_whole() {
    let body = b"dir output line 1\nline 2\n";
    let wire = encode(&[body]);
    for at in 0..=wire.len() {
        let mut decoder = FrameDecoder::new(Limits::REQUEST);
        decoder.push(&wire[..at]);
        if at < wire.len() {
            // Not yet whole: the decoder says so, keeps every byte, and asking twice changes
            // nothing.
            assert!(decoder.next_frame().unwrap().is_none(), "cut at {at}");
            assert!(decoder.next_frame().unwrap().is_none(), "cut at {at}");
            assert_eq!(decoder.is_between_frames(), at == 0, "cut at {at}");
        }
        decoder.push(&wire[at..]);
        let frame = decoder.next_frame().unwrap().expect("the whole frame");
        assert_eq!(frame.body, body, "cut at {at}");
        assert_eq!(frame.check_md5(), Md5Check::Matches);
        assert!(
            decoder.next_frame_at_end().unwrap().is_none(),
            "cut at {at}"
        );
    }
}

#[test]
fn a_stream_that_ends_at_any_byte_offset_ends_as_read_frame_says() {
    // Two frames, so that some ends fall inside the second frame's length and header.
    let wire = encode(&[b"first", b"second"]);
    for at in 0..=wire.len() {
        let cut = &wire[..at];
        let blocking = decode_blocking(cut, &Chunking::Whole, &Limits::REQUEST);
        assert_eq!(
            decode_pushed(cut, &Chunking::Whole, &Limits::REQUEST),
            blocking,
            "end at {at}"
        );
        assert_eq!(
            decode_pushed(cut, &Chunking::ByteByByte, &Limits::REQUEST),
            blocking,
            "end at {at}"
        );
    }
}

#[test]
fn glued_frames_in_one_push_come_out_one_by_one() {
    let bodies: [&[u8]; 4] = [b"first", b"", b"third frame", &[0, 1, 2, 255]];
    let mut decoder = FrameDecoder::new(Limits::REQUEST);
    decoder.push(&encode(&bodies));
    for body in bodies {
        assert_eq!(decoder.next_frame().unwrap().unwrap().body, body);
    }
    assert!(decoder.next_frame().unwrap().is_none());
    assert!(decoder.is_between_frames());
    assert!(decoder.next_frame_at_end().unwrap().is_none());
}

#[test]
fn a_large_body_pushed_in_pieces_comes_out_whole() {
    // The body arrives over many pushes, with the next frame's first bytes in the last one.
    let big: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
    let wire = encode(&[&big, b"after"]);
    let mut decoder = FrameDecoder::new(Limits::REQUEST);
    let mut frames = Vec::new();
    for piece in wire.chunks(64 * 1024) {
        decoder.push(piece);
        while let Some(frame) = decoder.next_frame().unwrap() {
            frames.push(frame);
        }
    }
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0].body, big);
    assert_eq!(frames[0].check_md5(), Md5Check::Matches);
    assert_eq!(frames[1].body, b"after");
}

#[test]
fn after_an_error_the_decoder_gives_the_same_error_again() {
    let mut decoder = FrameDecoder::new(SMALL);
    decoder.push(&raw_frame(b"[1, 2]", b""));
    for _ in 0..3 {
        let err = decoder.next_frame().unwrap_err();
        assert!(matches!(err, FrameError::HeaderNotObject), "{err:?}");
    }
    let err = decoder.next_frame_at_end().unwrap_err();
    assert!(matches!(err, FrameError::HeaderNotObject), "{err:?}");
}

#[test]
fn the_decoder_checks_limits_before_it_waits_for_or_buffers_anything() {
    // An over-limit header length is refused after its 4 bytes alone.
    let mut decoder = FrameDecoder::new(SMALL);
    decoder.push(&101u32.to_be_bytes());
    let err = decoder.next_frame().unwrap_err();
    assert_header_too_long(&err, 101, 100);

    // A body of 2^60 bytes is refused as soon as the header is in.
    let mut decoder = FrameDecoder::new(Limits::REPLY);
    decoder.push(&raw_frame(br#"{"total_size":1152921504606846976}"#, b""));
    let err = decoder.next_frame().unwrap_err();
    assert!(
        matches!(
            err,
            FrameError::BodyTooLarge {
                size: 1152921504606846976,
                ..
            }
        ),
        "{err:?}"
    );

    // A body right at the limit, announced and never sent, costs only the bytes that came:
    // no allocation on this thread comes anywhere near the 8 MiB announced.
    reset_largest_allocation_on_this_thread();
    let mut decoder = FrameDecoder::new(Limits::REQUEST);
    let header = format!(r#"{{"total_size":{}}}"#, Limits::REQUEST.max_body_len);
    decoder.push(&raw_frame(header.as_bytes(), b"only this"));
    assert!(decoder.next_frame().unwrap().is_none());
    let largest = largest_allocation_on_this_thread();
    assert!(
        largest < 4096,
        "the decoder allocated {largest} bytes at once"
    );
    let err = decoder.next_frame_at_end().unwrap_err();
    assert_ended_mid_frame(&err, "body", 8388608, 9);
}

#[test]
fn a_decoder_shows_where_it_is_not_what_it_holds() {
    let wire = encode(&[b"0123456789"]);
    let mut decoder = FrameDecoder::new(SMALL);
    decoder.push(&wire[..wire.len() - 8]); // all but 8 of the 10 body bytes
    assert!(decoder.next_frame().unwrap().is_none());
    let shown = format!("{decoder:?}");
    assert!(
        shown.contains(r#"waiting_for: "body of 10 bytes", received_of_it: 2"#),
        "{shown}"
    );
}

#[test]
fn frame_reader_retries_interrupted_reads_and_reports_other_errors() {
    let bodies: [&[u8]; 2] = [b"signal", b"safe"];
    let mut frames = FrameReader::new(
        Interrupting {
            inner: byte_by_byte(&encode(&bodies)),
            interrupt_next: false,
        },
        Limits::REQUEST,
    );
    for body in bodies {
        assert_eq!(frames.read_frame().unwrap().unwrap().body, body);
    }
    assert!(frames.read_frame().unwrap().is_none());

    let err = FrameReader::new(Broken, SMALL).read_frame().unwrap_err();
    assert!(
        matches!(&err, FrameError::Io(e) if e.kind() == io::ErrorKind::ConnectionReset),
        "{err:?}"
    );
}

/// A connected pair of sockets on 127.0.0.1: (the sending end, the receiving end).
fn socket_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let sender = probe::connect(listener.local_addr().unwrap()).unwrap();
    let (receiver, _) = listener.accept().unwrap();
    sender.set_nodelay(true).unwrap();
    (sender, receiver)
}

/// Half of a frame whose rest begins, at the cut, with the bytes "Hell": what a reader that
/// lost its place would take for a header length.
fn half_and_rest() -> (Vec<u8>, Vec<u8>) {
    let wire = encode(&[b"Hello, the second half of this body arrives later"]);
    let cut = wire.len() - 49;
    assert_eq!(&wire[cut..cut + 4], b"Hell");
    (wire[..cut].to_vec(), wire[cut..].to_vec())
}

#[test]
fn frame_reader_resumes_a_frame_after_a_read_timeout() {
    let (mut sender, receiver) = socket_pair();
    receiver
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let mut frames = FrameReader::new(receiver, Limits::REQUEST);
    let (half, rest) = half_and_rest();

    // Half a frame, then silence: the read times out, and says so.
    sender.write_all(&half).unwrap();
    let err = frames.read_frame().unwrap_err();
    assert!(
        matches!(&err, FrameError::Io(e) if socket_lessons::timeout::is_timeout(e)),
        "{err:?}"
    );

    assert!(
        !frames.is_between_frames(),
        "it knows it is in the middle of a frame"
    );

    // The rest: the next call carries on with the bytes it already had.
    sender.write_all(&rest).unwrap();
    frames
        .get_ref()
        .set_read_timeout(Some(probe::PATIENCE))
        .unwrap();
    let frame = frames.read_frame().unwrap().expect("the whole frame");
    assert_eq!(
        frame.body,
        b"Hello, the second half of this body arrives later"
    );
    assert_eq!(frame.check_md5(), Md5Check::Matches);

    drop(sender);
    assert!(frames.read_frame().unwrap().is_none());
}

#[test]
fn read_frame_loses_its_place_after_a_read_timeout() {
    // The same story with the blocking reader, which is why FrameReader exists: the bytes read
    // before the timeout are gone, and the next call takes the middle of the body for a length.
    let (mut sender, mut receiver) = socket_pair();
    receiver
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let (half, rest) = half_and_rest();

    sender.write_all(&half).unwrap();
    let err = read_frame(&mut receiver, &Limits::REQUEST).unwrap_err();
    assert!(
        matches!(&err, FrameError::Io(e) if socket_lessons::timeout::is_timeout(e)),
        "{err:?}"
    );

    sender.write_all(&rest).unwrap();
    receiver.set_read_timeout(Some(probe::PATIENCE)).unwrap();
    let err = read_frame(&mut receiver, &Limits::REQUEST).unwrap_err();
    let hell = u32::from_be_bytes(*b"Hell");
    assert!(
        matches!(err, FrameError::HeaderTooLong { len, .. } if len == hell),
        "{err:?}"
    );
}

// --- The 初级版: a bare length prefix ----------------------------------------

#[test]
fn length_prefixed_round_trips() {
    let mut wire = Vec::new();
    write_length_prefixed(&mut wire, b"hello").unwrap();
    write_length_prefixed(&mut wire, b"").unwrap();
    assert_eq!(wire, b"\0\0\0\x05hello\0\0\0\0");

    let mut r = byte_by_byte(&wire);
    assert_eq!(
        read_length_prefixed(&mut r, 5).unwrap().as_deref(),
        Some(&b"hello"[..])
    );
    assert_eq!(
        read_length_prefixed(&mut r, 5).unwrap().as_deref(),
        Some(&b""[..])
    );
    assert_eq!(read_length_prefixed(&mut r, 5).unwrap(), None);
}

#[test]
fn length_prefixed_rejects_over_limit_before_reading() {
    let mut r = PanicsAfter::serving(&6u32.to_be_bytes());
    let err = read_length_prefixed(&mut r, 5).unwrap_err();
    assert_body_too_large(&err, 6, 5);
}

#[test]
fn length_prefixed_reports_mid_frame_ends() {
    let err = read_length_prefixed(&mut &[0u8, 0][..], 5).unwrap_err();
    assert_ended_mid_frame(&err, "length prefix", 4, 2);
    let err = read_length_prefixed(&mut &b"\0\0\0\x05hel"[..], 5).unwrap_err();
    assert_ended_mid_frame(&err, "body", 5, 3);
}

// --- Properties: three readers, one answer ---------------------------------------------------

/// Decodes `wire` with all three readers (`read_frame`, the decoder, the `FrameReader`), the
/// stream cut as `chunking` says, checks that they tell the same story, and returns it.
fn decode_with_all_three(wire: &[u8], chunking: &Chunking, limits: &Limits) -> Decoded {
    let blocking = decode_blocking(wire, chunking, limits);
    let pushed = decode_pushed(wire, chunking, limits);
    assert_eq!(
        pushed, blocking,
        "decoder vs read_frame, {chunking:?}, {limits:?}"
    );
    let frame_reader = decode_frame_reader(wire, chunking, limits);
    assert_eq!(
        frame_reader, blocking,
        "FrameReader vs read_frame, {chunking:?}, {limits:?}"
    );
    blocking
}

/// One way to damage a stream of frames: the mistakes of a buggy peer, aimed at the places where
/// a reader decides something. Positions are taken modulo the stream's length.
#[derive(Debug, Clone)]
enum Damage {
    /// The stream ends after this many bytes.
    CutAt(usize),
    /// One byte is changed.
    Flip { at: usize, with: u8 },
    /// One byte too many.
    Insert { at: usize, byte: u8 },
    /// One byte too few.
    Delete { at: usize },
    /// The first frame's header length says this instead.
    HeaderLength(u32),
}

impl Damage {
    fn apply(&self, wire: &mut Vec<u8>) {
        let len = wire.len();
        match *self {
            Damage::CutAt(at) => wire.truncate(at % (len + 1)),
            Damage::Flip { at, with } if len > 0 => wire[at % len] ^= with.max(1),
            Damage::Insert { at, byte } => wire.insert(at % (len + 1), byte),
            Damage::Delete { at } if len > 0 => {
                wire.remove(at % len);
            }
            Damage::HeaderLength(new) if len >= 4 => wire[..4].copy_from_slice(&new.to_be_bytes()),
            Damage::Flip { .. } | Damage::Delete { .. } | Damage::HeaderLength(_) => {}
        }
    }
}

/// Honest frames for `bodies`, some with an extra header field.
fn honest_frames(bodies: &[Vec<u8>], filename: Option<&str>) -> Vec<u8> {
    let mut wire = Vec::new();
    for body in bodies {
        let mut header = Header::for_body(body);
        if let Some(name) = filename {
            header.set("filename", name);
        }
        write_frame_with(&mut wire, &header, body).unwrap();
    }
    wire
}

/// Ways to cut a stream into reads: whole, byte by byte, fixed pieces, at given offsets, random.
fn any_chunking() -> impl Strategy<Value = Chunking> {
    prop_oneof![
        Just(Chunking::Whole),
        Just(Chunking::ByteByByte),
        (1usize..100).prop_map(Chunking::Fixed),
        prop::collection::vec(0usize..4000, 0..20).prop_map(Chunking::At),
        (any::<u64>(), 1usize..16, 1usize..600).prop_map(|(seed, min, max)| Chunking::Random {
            seed,
            min,
            max
        }),
    ]
}

fn any_damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<usize>().prop_map(Damage::CutAt),
        (any::<usize>(), any::<u8>()).prop_map(|(at, with)| Damage::Flip { at, with }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Damage::Insert { at, byte }),
        any::<usize>().prop_map(|at| Damage::Delete { at }),
        prop_oneof![0u32..200, Just(u32::MAX)].prop_map(Damage::HeaderLength),
    ]
}

/// Generous limits, or tight ones that real frames run into.
fn any_limits() -> impl Strategy<Value = Limits> {
    prop_oneof![
        Just(Limits::REQUEST),
        (20u32..120, 0u64..300).prop_map(|(max_header_len, max_body_len)| Limits {
            max_header_len,
            max_body_len,
        }),
    ]
}

fn any_bodies() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(any::<u8>(), 0..2000), 0..=5)
}

proptest! {
    /// Every chunking of every sequence of honest frames: the three readers return the same
    /// frames, each whole and matching its md5, and then the same clean end.
    #[test]
    fn readers_agree_on_every_chunking_of_valid_frames(
        bodies in any_bodies(),
        filename in prop::option::of("[a-z]{1,8}\\.txt"),
        chunking in any_chunking(),
    ) {
        let wire = honest_frames(&bodies, filename.as_deref());
        let decoded = decode_with_all_three(&wire, &chunking, &Limits::REQUEST);
        prop_assert_eq!(decoded.end, Ok(()));
        prop_assert_eq!(decoded.frames.len(), bodies.len());
        for ((header, body, check), sent) in decoded.frames.iter().zip(&bodies) {
            prop_assert_eq!(body, sent);
            prop_assert_eq!(check, &Md5Check::Matches);
            prop_assert_eq!(header.get_str("filename"), filename.as_deref());
        }
    }

    /// The same streams, damaged, under generous and tight limits: the readers agree on the
    /// frames before the damage and on how the stream ends (cleanly, or with the same error).
    #[test]
    fn readers_agree_on_damaged_streams(
        bodies in any_bodies(),
        damage in prop::collection::vec(any_damage(), 1..4),
        limits in any_limits(),
        chunking in any_chunking(),
    ) {
        let mut wire = honest_frames(&bodies, None);
        for d in &damage {
            d.apply(&mut wire);
        }
        decode_with_all_three(&wire, &chunking, &limits);
    }

    /// Bytes that were never frames never make a reader panic, and the readers agree on them.
    #[test]
    fn readers_agree_on_arbitrary_bytes(
        data in prop::collection::vec(any::<u8>(), 0..512),
        chunking in any_chunking(),
    ) {
        decode_with_all_three(&data, &chunking, &Limits::REQUEST);
    }

    /// Random bytes almost always start with a huge length, so they stop at
    /// the first check. A small, plausible length gets the garbage past it
    /// and into the JSON parser.
    #[test]
    fn readers_agree_on_arbitrary_bytes_after_a_small_length(
        len in 0u32..64,
        data in prop::collection::vec(any::<u8>(), 0..512),
        chunking in any_chunking(),
    ) {
        let mut wire = len.to_be_bytes().to_vec();
        wire.extend_from_slice(&data);
        decode_with_all_three(&wire, &chunking, &Limits::REQUEST);
    }
}

// --- The long fuzz run -------------------------------------------------------------------------
//
// cargo-fuzz needs a nightly compiler; this is the same idea on stable: a million inputs, made
// from seeds, through all three readers, which must agree and must not panic. The default test
// run does a small sample of it; the long run is `#[ignore]`d (see tests/README.md).

/// Builds fuzz input number `seed`: the bytes, how to cut them, and the limits to read them with.
/// The same seed makes the same input on every machine, so a failure can be replayed alone.
fn fuzz_input(seed: u64) -> (Vec<u8>, Chunking, Limits) {
    let mut random = SplitMix64::new(seed);
    let wire = if random.below(4) == 0 {
        // Bytes that were never a frame; half of them behind a plausible header length.
        let mut wire = Vec::new();
        if random.below(2) == 0 {
            wire.extend_from_slice(&(random.below(80) as u32).to_be_bytes());
        }
        wire.extend((0..random.below(400)).map(|_| random.next_u64() as u8));
        wire
    } else {
        // A few frames, honest or lying, then perhaps some damage.
        let mut wire = Vec::new();
        for _ in 0..=random.below(3) {
            fuzz_frame(&mut random, &mut wire);
        }
        for _ in 0..random.below(3) {
            fuzz_damage(&mut random).apply(&mut wire);
        }
        wire
    };
    let chunking = match random.below(4) {
        0 => Chunking::Whole,
        1 if wire.len() < 2000 => Chunking::ByteByByte,
        2 => Chunking::Fixed(1 + random.below(64) as usize),
        _ => Chunking::Random {
            seed: random.next_u64(),
            min: 1,
            max: 1 + random.below(300) as usize,
        },
    };
    let limits = match random.below(4) {
        0 => Limits {
            max_header_len: 20 + random.below(100) as u32,
            max_body_len: random.below(300),
        },
        _ => Limits::REQUEST,
    };
    (wire, chunking, limits)
}

/// Appends one frame to `wire`: most often an honest one, sometimes one whose header lies or
/// is malformed in one of the ways a hand-written peer gets it wrong.
fn fuzz_frame(random: &mut SplitMix64, wire: &mut Vec<u8>) {
    let len = match random.below(200) {
        0 => random.below(70_000), // now and then, one bigger than a single write
        _ => random.below(200),
    };
    let body: Vec<u8> = (0..len).map(|_| random.next_u64() as u8).collect();
    let md5 = md5_hex(&body);
    let header: String = match random.below(12) {
        0..=4 => {
            write_frame(wire, &body).unwrap();
            return;
        }
        5 => {
            let header = Header::for_body(&body)
                .with("filename", "a.txt")
                .with("nested", json!({"x": [1, null]}));
            write_frame_with(wire, &header, &body).unwrap();
            return;
        }
        // What Python's json.dumps writes, spaces and all.
        6 => format!(r#"{{"total_size": {len}, "md5": "{md5}", "action": "put"}}"#),
        // A size that is off by a little.
        7 => {
            let size = (len + random.below(3)).saturating_sub(random.below(3));
            format!(r#"{{"total_size":{size},"md5":"{md5}"}}"#)
        }
        // An md5 that is missing, upper case, wrong, null or not a string.
        8 => [
            format!(r#"{{"total_size":{len}}}"#),
            format!(r#"{{"total_size":{len},"md5":"{}"}}"#, md5.to_uppercase()),
            format!(r#"{{"total_size":{len},"md5":"{}"}}"#, md5_hex(b"other")),
            format!(r#"{{"total_size":{len},"md5":null}}"#),
            format!(r#"{{"total_size":{len},"md5":5}}"#),
        ][random.below(5) as usize]
            .clone(),
        // A total_size that cannot be a size.
        9 => [
            r#"{"total_size":-1}"#,
            r#"{"total_size":1.5}"#,
            r#"{"total_size":"5"}"#,
            r#"{"size":5}"#,
            r#"{"total_size":18446744073709551615}"#,
        ][random.below(5) as usize]
            .to_string(),
        // Not an object, or not JSON at all.
        10 => ["[1, 2]", "5", "null", "\"total_size\"", "{", "", "{} {}"][random.below(7) as usize]
            .to_string(),
        // Not UTF-8.
        _ => {
            let header = [b'{', 0xff, b'}'];
            wire.extend_from_slice(&(header.len() as u32).to_be_bytes());
            wire.extend_from_slice(&header);
            wire.extend_from_slice(&body);
            return;
        }
    };
    wire.extend_from_slice(&raw_frame(header.as_bytes(), &body));
}

fn fuzz_damage(random: &mut SplitMix64) -> Damage {
    let at = random.next_u64() as usize;
    match random.below(5) {
        0 => Damage::CutAt(at),
        1 => Damage::Flip {
            at,
            with: random.next_u64() as u8,
        },
        2 => Damage::Insert {
            at,
            byte: random.next_u64() as u8,
        },
        3 => Damage::Delete { at },
        _ => Damage::HeaderLength(match random.below(3) {
            0 => u32::MAX,
            _ => random.below(200) as u32,
        }),
    }
}

/// What the fuzz run saw: how many inputs, frames and bytes, and how the streams ended.
#[derive(Default)]
struct FuzzTally {
    inputs: u64,
    bytes: u64,
    frames: u64,
    /// How the frames' md5 checks came out: matches, mismatch, absent.
    checks: [u64; 3],
    /// "clean end", or the name of the error variant, with how often.
    ends: std::collections::BTreeMap<String, u64>,
}

/// Runs inputs `first..first + count` through the three readers; panics (naming the seed to
/// replay) if a reader panics or the readers disagree.
fn fuzz(first: u64, count: u64) -> FuzzTally {
    let mut tally = FuzzTally::default();
    for seed in first..first + count {
        let (wire, chunking, limits) = fuzz_input(seed);
        let outcome = std::panic::catch_unwind(|| decode_with_all_three(&wire, &chunking, &limits));
        let Ok(decoded) = outcome else {
            panic!(
                "fuzz input {seed} failed; replay it alone with FRAME_FUZZ_SEED={seed} FRAME_FUZZ_INPUTS=1"
            );
        };
        tally.inputs += 1;
        tally.bytes += wire.len() as u64;
        tally.frames += decoded.frames.len() as u64;
        for (_, _, check) in &decoded.frames {
            let i = match check {
                Md5Check::Matches => 0,
                Md5Check::Mismatch { .. } => 1,
                Md5Check::Absent => 2,
            };
            tally.checks[i] += 1;
        }
        let end = match &decoded.end {
            Ok(()) => "clean end".to_string(),
            Err(e) => e
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or(e)
                .to_string(),
        };
        *tally.ends.entry(end).or_default() += 1;
    }
    tally
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value:?} is not a whole number")),
        Err(_) => default,
    }
}

#[test]
fn fuzz_sample() {
    // A few thousand inputs on every `cargo test`, so the long run's code cannot rot, and the
    // inputs reach every way a stream can end.
    let tally = fuzz(0, 3_000);
    for end in [
        "clean end",
        "HeaderTooLong",
        "BodyTooLarge",
        "HeaderNotUtf8",
        "HeaderNotJson",
        "HeaderNotObject",
        "MissingTotalSize",
        "EndedMidFrame",
    ] {
        assert!(
            tally.ends.contains_key(end),
            "no input ended with {end}: {:?}",
            tally.ends
        );
    }
    assert!(
        tally.checks.iter().all(|&n| n > 0),
        "md5 checks: {:?}",
        tally.checks
    );
}

#[test]
#[ignore = "the long fuzz run; see tests/README.md"]
fn fuzz_a_million_inputs() {
    let first = env_number("FRAME_FUZZ_SEED", 0);
    let count = env_number("FRAME_FUZZ_INPUTS", 1_000_000);
    let started = std::time::Instant::now();
    let tally = fuzz(first, count);
    let elapsed = started.elapsed();
    println!(
        "fuzz: {} inputs (seeds {first}..{}), {} bytes, {} frames, through read_frame, \
         FrameDecoder and FrameReader, all agreeing, in {:.1} s",
        tally.inputs,
        first + count,
        tally.bytes,
        tally.frames,
        elapsed.as_secs_f64()
    );
    let [matches, mismatch, absent] = tally.checks;
    println!("  md5 of the frames: {matches} match, {mismatch} mismatch, {absent} absent");
    println!("  how the streams ended:");
    for (end, n) in &tally.ends {
        println!("    {end:<18} {n:>9}");
    }
}
