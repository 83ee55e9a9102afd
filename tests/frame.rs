//! The frame codec (`socket_lessons::frame`), tested from the outside: only the public API.
//!
//! Readers here misbehave the way real sockets are allowed to: they hand out a few bytes at a
//! time ([`ChunkedReader`], the probe's), fail with `Interrupted`, or refuse to be read past a
//! point, which proves a limit was checked before anything was read or allocated.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{self, Read};
use std::net::TcpListener;
use std::thread;

use proptest::prelude::*;
use serde_json::json;
use socket_lessons::frame::{
    BodyReader, Frame, FrameError, Header, Limits, Md5Check, md5_hex, read_frame, read_header,
    read_length_prefixed, write_frame, write_frame_from, write_frame_with, write_length_prefixed,
};
use socket_lessons::probe::{self, ChunkedReader, Chunking};

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

/// Serves `prefix`, then panics if anyone asks for more. Used to prove that
/// an over-limit size is rejected *without* trying to read (or allocate)
/// the body it announced.
struct PanicsAfter {
    prefix: io::Cursor<Vec<u8>>,
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

// --- Helpers -------------------------------------------------------------

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

fn read_err(wire: &[u8], limits: &Limits) -> FrameError {
    match read_frame(&mut &wire[..], limits) {
        Err(e) => e,
        Ok(frame) => panic!("expected an error, got {frame:?}"),
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
    struct Broken;
    impl Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::ConnectionReset))
        }
    }
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
    assert!(
        matches!(
            err,
            FrameError::EndedMidFrame {
                what: "header",
                expected: 16,
                received: 5
            }
        ),
        "{err:?}"
    );
}

#[test]
fn body_cut_short() {
    let wire = encode(&[b"0123456789"]);
    let err = read_err(&wire[..wire.len() - 7], &SMALL);
    assert!(
        matches!(
            err,
            FrameError::EndedMidFrame {
                what: "body",
                expected: 10,
                received: 3
            }
        ),
        "{err:?}"
    );
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
    let mut r = PanicsAfter {
        prefix: io::Cursor::new(wire[..4].to_vec()),
    };
    let err = read_frame(&mut r, &SMALL).unwrap_err();
    assert!(
        matches!(
            err,
            FrameError::HeaderTooLong {
                len: 101,
                limit: 100
            }
        ),
        "{err:?}"
    );
}

#[test]
fn body_exactly_at_the_limit_is_accepted() {
    let wire = encode(&[b"0123456789"]);
    let frame = read_frame(&mut &wire[..], &SMALL).unwrap().unwrap();
    assert_eq!(frame.body.len(), 10);
}

#[test]
fn body_one_over_the_limit_is_rejected_before_reading_it() {
    let wire = encode(&[b"0123456789X"]);
    let body_start = wire.len() - 11;
    let mut r = PanicsAfter {
        prefix: io::Cursor::new(wire[..body_start].to_vec()),
    };
    let err = read_frame(&mut r, &SMALL).unwrap_err();
    assert!(
        matches!(
            err,
            FrameError::BodyTooLarge {
                size: 11,
                limit: 10
            }
        ),
        "{err:?}"
    );
}

#[test]
fn huge_announced_body_is_rejected_without_reading_or_allocating() {
    // 2^60 bytes: allocating this would abort the process, so reaching the
    // assertion at all shows the limit was checked first.
    let header = br#"{"total_size":1152921504606846976}"#;
    let mut r = PanicsAfter {
        prefix: io::Cursor::new(raw_frame(header, b"")),
    };
    let err = read_frame(&mut r, &Limits::REPLY).unwrap_err();
    assert!(
        matches!(
            err,
            FrameError::BodyTooLarge { size: 1152921504606846976, limit } if limit == Limits::REPLY.max_body_len
        ),
        "{err:?}"
    );
}

#[test]
fn announced_body_at_the_limit_but_never_sent_ends_mid_frame() {
    // The peer announces a 64 MiB reply and then hangs up. That passes the
    // limit check, and must come back as "ended mid-frame", quickly.
    let header = format!(r#"{{"total_size":{}}}"#, 64 * 1024 * 1024);
    let wire = raw_frame(header.as_bytes(), b"only this");
    let err = read_err(&wire, &Limits::REPLY);
    assert!(
        matches!(
            err,
            FrameError::EndedMidFrame {
                what: "body",
                expected: 67108864,
                received: 9
            }
        ),
        "{err:?}"
    );
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
    let wire = encode(&[b"0123456789X"]);
    let body_start = wire.len() - 11;
    let mut r = PanicsAfter {
        prefix: io::Cursor::new(wire[..body_start].to_vec()),
    };
    let err = read_header(&mut r, &SMALL).unwrap_err();
    assert!(
        matches!(
            err,
            FrameError::BodyTooLarge {
                size: 11,
                limit: 10
            }
        ),
        "{err:?}"
    );
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
    let mut r = PanicsAfter {
        prefix: io::Cursor::new(6u32.to_be_bytes().to_vec()),
    };
    let err = read_length_prefixed(&mut r, 5).unwrap_err();
    assert!(
        matches!(err, FrameError::BodyTooLarge { size: 6, limit: 5 }),
        "{err:?}"
    );
}

#[test]
fn length_prefixed_reports_mid_frame_ends() {
    let err = read_length_prefixed(&mut &[0u8, 0][..], 5).unwrap_err();
    assert!(
        matches!(
            err,
            FrameError::EndedMidFrame {
                what: "length prefix",
                expected: 4,
                received: 2
            }
        ),
        "{err:?}"
    );
    let err = read_length_prefixed(&mut &b"\0\0\0\x05hel"[..], 5).unwrap_err();
    assert!(
        matches!(
            err,
            FrameError::EndedMidFrame {
                what: "body",
                expected: 5,
                received: 3
            }
        ),
        "{err:?}"
    );
}

// --- Property tests ----------------------------------------------------------

/// Reads frames until a clean end or an error. Every `Ok(Some)` consumes
/// at least 4 bytes, so on finite input this always stops.
fn drain(data: &[u8], limits: &Limits) {
    let mut r = data;
    while let Ok(Some(_)) = read_frame(&mut r, limits) {}
}

proptest! {
    #[test]
    fn any_bodies_any_chunking_round_trip(
        bodies in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..2000), 0..=5),
        cuts in prop::collection::vec(any::<usize>(), 0..20),
    ) {
        let mut wire = Vec::new();
        for body in &bodies {
            write_frame(&mut wire, body).unwrap();
        }
        let cuts = cuts.into_iter().map(|c| c % (wire.len() + 1)).collect();
        let mut r = ChunkedReader::new(wire, &Chunking::At(cuts));
        for body in &bodies {
            let frame = read_frame(&mut r, &Limits::REQUEST).unwrap().unwrap();
            prop_assert_eq!(&frame.body, body);
            prop_assert_eq!(frame.check_md5(), Md5Check::Matches);
        }
        prop_assert!(read_frame(&mut r, &Limits::REQUEST).unwrap().is_none());
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..512)) {
        drain(&data, &Limits::REQUEST);
    }

    /// Random bytes almost always start with a huge length, so they stop at
    /// the first check. A small, plausible length gets the garbage past it
    /// and into the JSON parser.
    #[test]
    fn arbitrary_bytes_after_a_small_length_never_panic(
        len in 0u32..64,
        data in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut wire = len.to_be_bytes().to_vec();
        wire.extend_from_slice(&data);
        drain(&wire, &Limits::REQUEST);
    }
}
