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
use socket_lessons::frame;

/// What client A says in the glued-requests part of both demos: `echo a`, `echo b`, `echo c`,
/// each in a write of its own.
const GLUED: [&str; 3] = ["a", "b", "c"];

pub fn lesson5(demo: &mut Demo) -> io::Result<()> {
    demo.say(
        "A remote-command server (try 'help', 'echo TEXT', 'seq N'). Like the tutorial, it \
         trusts that one recv(1024) returns exactly one command, and the client trusts that one \
         recv(1024) returns exactly one reply. TCP promised neither. Watch both go wrong.",
    );
    demo.part(
        1,
        "The sender's side: requests glued together",
        glued_requests,
    )?;
    demo.part(
        2,
        "The receiver's side: a reply longer than one read",
        long_reply,
    )?;
    demo.part(3, "An empty reply", no_reply)?;
    demo.say(
        "What to notice: TCP keeps bytes in order but does not keep message boundaries. \
         Reading 'about 1024 bytes' and hoping is not a protocol. Lesson 6 sends the length \
         first, in a fixed-size header (报头), so the reader always knows where a message ends.",
    );
    Ok(())
}

/// Lesson 5, part 1: three writes, one read. The server starts only after the client has
/// written, so this part needs a server nobody has started yet: it is the demo's first.
fn glued_requests(demo: &mut Demo) -> io::Result<()> {
    demo.say(
        "For a moment the server is busy (in this demo it has simply not started reading yet, \
         standing in for a server busy with other work). Meanwhile client A writes three \
         commands, one write each.",
    );
    let run = written_before_the_server_reads(
        demo,
        Protocol::Commands,
        &GLUED,
        "server gets to work and calls recv(1024) once",
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
                "client writes",
                &writes,
                |w| String::from_utf8_lossy(w).into_owned(),
                "three messages",
            ))
            .row(Row::new(
                "server reads",
                vec![Piece::new(glued.len(), "")],
                "one read, three messages: 粘包",
            )),
    );
    demo.say(
        "The server ran ONE command, 'echo aecho becho c', as its reply shows. The write \
         boundaries did not travel with the bytes: the receive buffer is one stream.",
    );
    Ok(())
}

/// The engine's "requests glued", each request written (one write each) before the server
/// reads at all: the server starts only then, which the play-by-play tells as `server_starts`.
/// Lessons 5, 6 and 7 open with it.
pub(super) fn written_before_the_server_reads(
    demo: &mut Demo,
    protocol: Protocol,
    texts: &[&str],
    server_starts: &str,
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
    demo.say("'seq 1000' prints 3893 bytes; the client reads at most 1024 of them.");
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
    demo.line("    ^ not the reply to 'echo hi': it is more of seq 1000's output");
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
                "server writes",
                vec![
                    Piece::new(seq_output.len(), "reply to seq 1000: 3893 B"),
                    Piece::new(hi.len(), "hi"),
                ],
                "two replies",
            ))
            .row(Row::new(
                "client reads",
                vec![
                    Piece::new(1024, "read 1: 1024 B"),
                    Piece::new(1024, "read 2: 1024 B"),
                ],
                "the rest waits in A's receive buffer",
            )),
    );
    let rest = observations.since(second_read + 1);
    let read_on = rest.reads("A").concat();
    demo.transcript.narrate(
        "client A",
        "reads on",
        format!(
            "{} more bytes, ending {}",
            read_on.len(),
            show(&read_on[read_on.len().saturating_sub(8)..])
        ),
    );
    demo.replay(&after_reads(&rest, "A"), &Telling::default());
    demo.say(
        "Those 1848 bytes are the 1845 left over from 'seq 1000', and only then the 3 bytes of \
         'hi\\n': the reply to 'echo hi' came last. \
         Every later reply is now off by one: the conversation is out of step for good.",
    );
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
    demo.say("'seq 0' prints nothing, so the server sends nothing at all.");
    demo.start_server()?;
    let run = boundaries::empty_reply(&demo.target(Protocol::Commands)?, None);
    demo.replay(
        &run.observations,
        &Telling {
            silences: &[("A", "no reply, and none will ever come")],
            ..Telling::default()
        },
    );
    expect(&run.finding, |f| *f == Empty::Nothing)?;
    demo.say("A client that waits for the reply to 'seq 0' waits forever.");
    Ok(())
}

pub fn lesson6(demo: &mut Demo) -> io::Result<()> {
    demo.say(
        "The same command service, but every message now travels as a frame: 4 bytes giving the \
         header's length, a JSON header (报头) giving the body's length and md5, then the body. \
         The reader reads exactly 4 bytes, exactly the header, exactly the body: it never guesses.",
    );
    let mut simple = Vec::new();
    frame::write_length_prefixed(&mut simple, b"echo a")?;
    let framed = encode(b"echo a");
    let header_end = 4 + frame_parts(&framed)[0].1;
    // The header alone is 57 columns, so the body goes on a line of its own, under its `|`.
    demo.line("'echo a' on the wire as the tutorial's 初级版 (the body's length, the body):");
    demo.line(format!("  {} | {}", hex(&simple[..4]), show(&simple[4..])));
    demo.line("and as its 终极版 (the header's length, the header, the body):");
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
    demo.say(
        "The bare length (初级版) already ends the guessing, but it can only ever say one thing. \
         The JSON header can say more (the md5 here; a file name in a later lesson), and a \
         reader ignores fields it does not know. Now the same abuse as lesson 5.",
    );
    demo.part(1, "Glued requests", glued_frames)?;
    demo.part(2, "A big reply, then a small one", big_reply)?;
    demo.part(3, "A request dribbled in tiny pieces", dribbled_request)?;
    demo.part(4, "An empty reply", empty_reply)?;
    demo.say(
        "What to notice: glued, split or empty, every message arrived whole and alone. The \
         length travels ahead of the data, so the reader never has to guess; the md5 confirms \
         the body is the one the header promised. Later lessons build on this frame.",
    );
    Ok(())
}

/// Lesson 6, part 1: three frames written before the server reads, so they arrive glued. Like
/// lesson 5's part 1, it needs a server nobody has started yet.
fn glued_frames(demo: &mut Demo) -> io::Result<()> {
    demo.say(
        "The server is busy again (not yet reading), while client A writes three request \
         frames back to back.",
    );
    let run =
        written_before_the_server_reads(demo, Protocol::Framed, &GLUED, "server gets to work")?;
    expect(&run.finding, |f| *f == Glued::Separate)?;
    let requests = run.observations.writes("A");
    let glued = requests.concat();
    demo.picture(
        &Picture::new(&glued)
            .row(Row::cut_by(
                "client writes",
                &requests,
                |f| format!("frame: {}", frame_body(f)),
                "three frames, back to back",
            ))
            .row(Row::new(
                "read_frame asks",
                parts_of(&glued),
                "exactly each part, in turn",
            )),
    );
    demo.say(
        "Three replies to three commands. The frames arrived glued, as in lesson 5, but the \
         server's reader stopped exactly at every frame's end, because the header said where.",
    );
    Ok(())
}

/// Lesson 6, part 2: lesson 5's spilled reply, framed: nothing is left over for the next one.
fn big_reply(demo: &mut Demo) -> io::Result<()> {
    demo.say("The reply to 'seq 1000' is 3893 bytes.");
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
                "server writes",
                vec![
                    Piece::new(frame_len(frames[0]), "reply frame: seq 1000"),
                    Piece::new(frame_len(frames[1]), "hi"),
                ],
                "two reply frames",
            ))
            .row(Row::new("read_frame asks", parts_of(&replies), "")),
    );
    let rest = observations.since(third_request);
    demo.replay(&rest, &Telling::default());
    let big = frame_parts(&rest.reads("A").concat())
        .first()
        .map_or(0, |&(_, _, body)| body);
    demo.say(&format!(
        "No leftovers: 'echo hi' got 'hi'. Even a {big} byte reply arrives whole, its md5 checked."
    ));
    Ok(())
}

/// Lesson 6, part 3: one frame in many small writes; the reader waits until each part is whole.
fn dribbled_request(demo: &mut Demo) -> io::Result<()> {
    demo.say(
        "Client A writes one frame 5 bytes at a time, each piece handed to TCP at once \
         (Nagle's algorithm switched off).",
    );
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
                "message",
                vec![Piece::new(request.len(), "one request frame")],
                "",
            ))
            .row(Row::cut_by(
                "client writes",
                &run.observations.writes("A"),
                |_| String::new(),
                "one frame, many writes",
            ))
            .row(Row::new(
                "read_frame asks",
                parts_of(request),
                "each part is read until it is complete",
            )),
    );
    Ok(())
}

/// Lesson 6, part 4: lesson 5's empty reply, framed: a frame with an empty body still arrives.
fn empty_reply(demo: &mut Demo) -> io::Result<()> {
    demo.say("'seq 0' prints nothing, and that is still a frame.");
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
                Piece::new(len, "len"),
                Piece::new(header, "header"),
                Piece::new(body, "body"),
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
