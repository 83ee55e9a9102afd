//! The demo scripts for the sticky-packet lessons (5 and 6): the same abuse, first against the
//! server that trusts one `recv` to be one message, then against the framed one.
//!
//! Both kinds of sticky packet are made to happen on cue, without pretending the network did
//! something it did not:
//! - **glued requests** need the server to be slow to read. The demo makes it so by starting the
//!   server only after the client has written: the kernel has already completed the client's
//!   handshake (that is what `listen` is for), so the writes wait in the server's receive buffer.
//!   The narration says so. A busy server in real life does exactly the same.
//! - **a spilled reply** needs nothing special: `seq 1000` prints 3893 bytes, and a client that
//!   reads 1024 bytes leaves the rest for its next read, every time.
//!
//! Every part plays one of the scenario engine's experiments (requests glued, a long reply, a
//! request in pieces, an empty reply: the same that `compare` tabulates and `grade` judges) with
//! a client of its own, and tells what it observed; so each can be played alone (`--part N`) and
//! leaves nothing behind for the next.

use std::io;

use super::picture::{Picture, Piece, Row};
use super::replay::{Telling, abbreviate, frame_parts};
use super::scripts::expect;
use super::{Demo, show};
use crate::probe::Chunking;
use crate::scenario::boundaries::{
    self, Empty, Glue, Glued, InPieces, Long, LongReply, Pieces, Reading,
};
use crate::scenario::wire::request_and_reply;
use crate::scenario::{Act, Observations, Protocol, Run};
use crate::t;
use socket_lessons::frame;

/// What client A says in the glued-requests part of both demos: `echo a`, `echo b`, `echo c`,
/// each in a write of its own.
const GLUED: [&str; 3] = ["a", "b", "c"];

pub fn lesson5(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson5-intro"));
    demo.part(1, &t!("demo-lesson5-part1"), glued_requests)?;
    demo.part(2, &t!("demo-lesson5-part2"), long_reply)?;
    demo.part(3, &t!("demo-empty-reply"), no_reply)?;
    demo.say(&t!("demo-lesson5-notice"));
    Ok(())
}

/// Lesson 5, part 1: three writes, one read. The server starts only after the client has
/// written, so this part needs a server nobody has started yet: it is the demo's first.
fn glued_requests(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson5-glued-intro"));
    let run = written_before_the_server_reads(
        demo,
        Protocol::Commands,
        &GLUED,
        Some(&t!("demo-lesson5-server-reads-once")),
    )?;
    // One reply, "aecho becho c": the server ran *one* command, `echo aecho becho c`. Had the three
    // writes been read separately there would be three replies, "a", "b" and "c".
    expect(&run.finding, |f| {
        matches!(f, Glued::TakenAsOne { reply: 0, .. })
    })?;
    let reads = run.observations.reads("A");
    if reads != [b"aecho becho c\n"] {
        return Err(unexpected(
            "one reply to one glued command",
            &reads.concat(),
        ));
    }
    let writes = run.observations.writes("A");
    let glued = writes.concat();
    demo.picture(
        &Picture::new(&glued)
            .row(Row::cut_by(
                &t!("demo-picture-client-writes"),
                &writes,
                |w| String::from_utf8_lossy(w).into_owned(),
                &t!("demo-lesson5-three-messages"),
            ))
            .row(Row::new(
                &t!("demo-picture-server-reads"),
                vec![Piece::new(glued.len(), "")],
                &t!("demo-lesson5-one-read"),
            )),
    );
    demo.say(&t!("demo-lesson5-glued-notice"));
    Ok(())
}

/// The engine's "requests glued", each request written (one write each) before the server
/// reads at all: the server starts only then, which the play-by-play tells as `server_starts`
/// (or in the usual words). Lessons 5, 6 and 7 open with it.
pub(super) fn written_before_the_server_reads(
    demo: &mut Demo,
    protocol: Protocol,
    texts: &[&str],
    server_starts: Option<&str>,
) -> io::Result<Run<Glued>> {
    let target = demo.target(protocol)?;
    let run = boundaries::glued(
        &target,
        texts,
        Glue::BeforeServerReads(&mut || demo.start_server()),
    );
    demo.replay(
        &run.observations,
        &Telling {
            server_starts,
            ..Telling::default()
        },
    );
    Ok(run)
}

/// Lesson 5, part 2: a reply of 3893 bytes, read 1024 at a time, answers the next command too.
fn long_reply(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson5-long-intro"));
    demo.start_server()?;
    let run = boundaries::long_reply(&demo.target(Protocol::Commands)?, &LongReply::tutorial());
    expect(&run.finding, |f| {
        *f == Long::Spilled {
            first: 1024,
            second: 1024,
        }
    })?;
    // Told in three pieces: the two reads of 1024 bytes, the picture of where they fell, and
    // the rest of the stream, read on.
    let observations = &run.observations;
    let second_read = observations
        .position("A", 1, |act| matches!(act, Act::Reads { .. }))
        .expect("a spilled reply was read twice");
    let counted = Telling {
        counted_reads: true,
        ..Telling::default()
    };
    demo.replay(&observations.until(second_read + 1), &counted);
    demo.line(format!("    {}", t!("demo-lesson5-not-the-reply")));
    let seq_output = socket_lessons::commands::Commands::built_in().run(b"seq 1000");
    let (_, hi) = request_and_reply(Protocol::Commands, b"hi");
    let stream = [seq_output.as_slice(), &hi].concat();
    let read = observations.reads("A").concat();
    if read != stream {
        return Err(unexpected("all of seq 1000's output, then hi", &read));
    }
    demo.picture(
        &Picture::new(&stream)
            .row(Row::new(
                &t!("demo-picture-server-writes"),
                vec![
                    Piece::new(seq_output.len(), t!("demo-lesson5-reply-to-seq")),
                    Piece::new(hi.len(), "hi"),
                ],
                &t!("demo-lesson5-two-replies"),
            ))
            .row(Row::new(
                &t!("demo-picture-client-reads"),
                vec![
                    Piece::new(1024, t!("demo-lesson5-read-n", n = "1")),
                    Piece::new(1024, t!("demo-lesson5-read-n", n = "2")),
                ],
                &t!("demo-lesson5-the-rest-waits"),
            )),
    );
    let rest = observations.since(second_read + 1);
    let read_on = rest.reads("A").concat();
    demo.transcript.narrate(
        &super::replay::client("A"),
        &t!("demo-lesson5-reads-on"),
        t!(
            "demo-lesson5-more-bytes",
            bytes = read_on.len().to_string(),
            ending = show(&read_on[read_on.len().saturating_sub(8)..])
        ),
    );
    demo.replay(&after_reads(&rest, "A"), &Telling::default());
    demo.say(&t!("demo-lesson5-long-notice"));
    Ok(())
}

/// What `actor` did after its last read.
fn after_reads(observations: &Observations, actor: &str) -> Observations {
    let last_read = observations
        .events
        .iter()
        .rposition(|e| e.actor == actor && matches!(e.act, Act::Reads { .. }));
    observations.since(last_read.map_or(0, |i| i + 1))
}

/// Lesson 5, part 3: a command whose reply is empty sends nothing, and its client waits.
fn no_reply(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson5-empty-intro"));
    demo.start_server()?;
    let run = boundaries::empty_reply(&demo.target(Protocol::Commands)?, None);
    let never = t!("demo-lesson5-no-reply-ever");
    demo.replay(
        &run.observations,
        &Telling {
            silences: &[("A", &never)],
            ..Telling::default()
        },
    );
    expect(&run.finding, |f| *f == Empty::Nothing)?;
    demo.say(&t!("demo-lesson5-empty-notice"));
    Ok(())
}

pub fn lesson6(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson6-intro"));
    let mut simple = Vec::new();
    frame::write_length_prefixed(&mut simple, b"echo a")?;
    let framed = encode(b"echo a");
    let header_end = 4 + frame_parts(&framed)[0].1;
    // The header alone is 57 columns, so the body goes on a line of its own, under its `|`.
    demo.line(t!("demo-lesson6-first-version"));
    demo.line(format!("  {} | {}", hex(&simple[..4]), show(&simple[4..])));
    demo.line(t!("demo-lesson6-final-version"));
    demo.line(format!(
        "  {} | {}",
        hex(&framed[..4]),
        String::from_utf8_lossy(&framed[4..header_end])
    ));
    demo.line(format!(
        "  {:w$} | {}",
        "",
        show(&framed[header_end..]),
        w = hex(&framed[..4]).len()
    ));
    demo.say(&t!("demo-lesson6-why-json"));
    demo.part(1, &t!("demo-lesson6-part1"), glued_frames)?;
    demo.part(2, &t!("demo-lesson6-part2"), big_reply)?;
    demo.part(3, &t!("demo-lesson6-part3"), dribbled_request)?;
    demo.part(4, &t!("demo-empty-reply"), empty_reply)?;
    demo.say(&t!("demo-lesson6-notice"));
    Ok(())
}

/// Lesson 6, part 1: three frames written before the server reads, so they arrive glued. Like
/// lesson 5's part 1, it needs a server nobody has started yet.
fn glued_frames(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson6-glued-intro"));
    let run = written_before_the_server_reads(demo, Protocol::Framed, &GLUED, None)?;
    expect(&run.finding, |f| *f == Glued::Separate)?;
    let requests = run.observations.writes("A");
    let glued = requests.concat();
    demo.picture(
        &Picture::new(&glued)
            .row(Row::cut_by(
                &t!("demo-picture-client-writes"),
                &requests,
                |f| t!("demo-lesson6-frame-label", body = frame_body(f)),
                &t!("demo-lesson6-three-frames"),
            ))
            .row(Row::new(
                &t!("demo-picture-read-frame-asks"),
                parts_of(&glued),
                &t!("demo-lesson6-each-part"),
            )),
    );
    demo.say(&t!("demo-lesson6-glued-notice"));
    Ok(())
}

/// Lesson 6, part 2: lesson 5's spilled reply, framed: nothing is left over for the next one.
fn big_reply(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson6-big-intro"));
    demo.start_server()?;
    let script = LongReply {
        then_seq: &[200_000],
        reading: Reading::Whole,
        ..LongReply::tutorial()
    };
    let run = boundaries::long_reply(&demo.target(Protocol::Framed)?, &script);
    expect(&run.finding, |f| *f == Long::Whole)?;
    // Told in two pieces, with the picture of the first two replies between them.
    let observations = &run.observations;
    let third_request = observations
        .position("A", 2, |act| matches!(act, Act::Writes { .. }))
        .expect("the long-reply experiment wrote its third request");
    let replies = observations.until(third_request).reads("A").concat();
    let frames = frame_parts(&replies);
    if frames.iter().map(|(_, _, body)| *body).collect::<Vec<_>>() != [3893, 3] {
        return Err(unexpected("all of seq 1000, then hi", &replies));
    }
    demo.replay(&observations.until(third_request), &Telling::default());
    let frame_len = |(len, header, body): (usize, usize, usize)| len + header + body;
    demo.picture(
        &Picture::new(&replies)
            .row(Row::new(
                &t!("demo-picture-server-writes"),
                vec![
                    Piece::new(frame_len(frames[0]), t!("demo-lesson6-reply-frame")),
                    Piece::new(frame_len(frames[1]), "hi"),
                ],
                &t!("demo-lesson6-two-reply-frames"),
            ))
            .row(Row::new(
                &t!("demo-picture-read-frame-asks"),
                parts_of(&replies),
                "",
            )),
    );
    let rest = observations.since(third_request);
    demo.replay(&rest, &Telling::default());
    let big = frame_parts(&rest.reads("A").concat())
        .first()
        .map_or(0, |&(_, _, body)| body);
    demo.say(&t!("demo-lesson6-big-notice", bytes = big.to_string()));
    Ok(())
}

/// Lesson 6, part 3: one frame in many small writes; the reader waits until each part is whole.
fn dribbled_request(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson6-dribbled-intro"));
    demo.start_server()?;
    let (request, reply) = request_and_reply(Protocol::Framed, b"dribbled in tiny pieces");
    let script = Pieces {
        request,
        reply,
        chunking: Chunking::Fixed(5),
        listen_between: None,
        then: None,
    };
    let run = boundaries::in_pieces(&demo.target(Protocol::Framed)?, &script);
    demo.replay(&run.observations, &Telling::default());
    expect(&run.finding, |f| matches!(f, InPieces::Whole { .. }))?;
    let request = &script.request;
    demo.picture(
        &Picture::new(request)
            .row(Row::new(
                &t!("demo-lesson6-message"),
                vec![Piece::new(
                    request.len(),
                    t!("demo-lesson6-one-request-frame"),
                )],
                "",
            ))
            .row(Row::cut_by(
                &t!("demo-picture-client-writes"),
                &run.observations.writes("A"),
                |_| String::new(),
                &t!("demo-lesson6-many-writes"),
            ))
            .row(Row::new(
                &t!("demo-picture-read-frame-asks"),
                parts_of(request),
                &t!("demo-lesson6-until-complete"),
            )),
    );
    Ok(())
}

/// Lesson 6, part 4: lesson 5's empty reply, framed: a frame with an empty body still arrives.
fn empty_reply(demo: &mut Demo) -> io::Result<()> {
    demo.say(&t!("demo-lesson6-empty-intro"));
    demo.start_server()?;
    let run = boundaries::empty_reply(&demo.target(Protocol::Framed)?, None);
    demo.replay(&run.observations, &Telling::default());
    expect(&run.finding, |f| *f == Empty::EmptyReply)
}

/// One frame, as bytes, exactly as `write_frame` puts it on the wire.
fn encode(body: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    frame::write_frame(&mut bytes, body).expect("writing to a Vec cannot fail");
    bytes
}

/// The body of the one frame `bytes` holds, as text.
fn frame_body(bytes: &[u8]) -> String {
    let (_, header, _) = frame_parts(bytes)[0];
    String::from_utf8_lossy(&bytes[4 + header..]).into_owned()
}

/// The three parts `read_frame` reads, in order, for each frame in `stream`.
fn parts_of(stream: &[u8]) -> Vec<Piece> {
    frame_parts(stream)
        .into_iter()
        .flat_map(|(len, header, body)| {
            [
                Piece::new(len, t!("demo-picture-len")),
                Piece::new(header, t!("demo-picture-header")),
                Piece::new(body, t!("demo-picture-body")),
            ]
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn unexpected(expected: &str, got: &[u8]) -> io::Error {
    io::Error::other(format!(
        "the demo expected {expected}, but got {}",
        abbreviate(got)
    ))
}
