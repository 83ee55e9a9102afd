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
//! Every part connects a client of its own and quits it at the end, so that it can be played
//! alone (`--part N`) and leaves nothing behind for the next.

use std::io;

use super::picture::{Picture, Piece, Row};
use super::{Demo, show};
use crate::probe::{self, Chunking};
use socket_lessons::frame::{self, Limits, Md5Check};

/// Commands written back to back by the glued-requests part of both demos.
const GLUED: [&str; 3] = ["echo a", "echo b", "echo c"];

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
    let mut a = demo.connect("A")?;
    for command in GLUED {
        a.send(command)?;
    }
    demo.line("server gets to work and calls recv(1024) once");
    demo.start_server()?;
    let reply = a.receive_quietly(1024)?;
    a.narrate("receives", show(&reply));
    // One reply, "aecho becho c": the server ran *one* command, `echo aecho becho c`. Had the three
    // writes been read separately there would be three replies, "a", "b" and "c".
    if reply != b"aecho becho c\n" {
        return Err(unexpected("one reply to one glued command", &reply));
    }
    a.quit();
    let glued = GLUED.concat();
    demo.picture(
        &Picture::new(glued.as_bytes())
            .row(Row::new(
                "client writes",
                GLUED.iter().map(|c| Piece::new(c.len(), *c)).collect(),
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

/// Lesson 5, part 2: a reply of 3893 bytes, read 1024 at a time, answers the next command too.
fn long_reply(demo: &mut Demo) -> io::Result<()> {
    demo.say("'seq 1000' prints 3893 bytes; the client reads at most 1024 of them.");
    demo.start_server()?;
    let mut a = demo.connect("A")?;
    a.send("seq 1000")?;
    let first = a.receive_quietly(1024)?;
    a.narrate(
        "receives",
        format!("{} bytes: {}", first.len(), abbreviate(&first)),
    );
    a.send("echo hi")?;
    let second = a.receive_quietly(1024)?;
    a.narrate(
        "receives",
        format!("{} bytes: {}", second.len(), abbreviate(&second)),
    );
    demo.line("    ^ not the reply to 'echo hi': it is more of seq 1000's output");
    let seq_output = socket_lessons::commands::Commands::built_in().run(b"seq 1000");
    let mut stream = seq_output.clone();
    stream.extend_from_slice(b"hi\n");
    if first.len() + second.len() != 2048 || !stream.starts_with(&[first, second].concat()) {
        return Err(io::Error::other(
            "the demo expected two full 1024-byte reads of seq 1000's output",
        ));
    }
    demo.picture(
        &Picture::new(&stream)
            .row(Row::new(
                "server writes",
                vec![
                    Piece::new(seq_output.len(), "reply to seq 1000: 3893 B"),
                    Piece::new(3, "hi"),
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
    let rest = probe::read_exactly(a.stream(), stream.len() - 2048)?;
    a.narrate(
        "reads on",
        format!(
            "{} more bytes, ending {}",
            rest.len(),
            show(&rest[rest.len() - 8..])
        ),
    );
    a.quit();
    demo.say(
        "Those 1848 bytes are the 1845 left over from 'seq 1000', and only then the 3 bytes of \
         'hi\\n': the reply to 'echo hi' came last. \
         Every later reply is now off by one: the conversation is out of step for good.",
    );
    Ok(())
}

/// Lesson 5, part 3: a command whose reply is empty sends nothing, and its client waits.
fn no_reply(demo: &mut Demo) -> io::Result<()> {
    demo.say("'seq 0' prints nothing, so the server sends nothing at all.");
    demo.start_server()?;
    let mut a = demo.connect("A")?;
    a.send("seq 0")?;
    a.expect_silence("and none will ever come")?;
    a.quit();
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
    let header_end = 4 + header_len(&framed);
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
    let mut a = demo.connect("A")?;
    let mut glued = Vec::new();
    for command in GLUED {
        a.send_frame(command)?;
        glued.extend(encode(command.as_bytes()));
    }
    demo.line("server gets to work");
    demo.start_server()?;
    for expected in ["a\n", "b\n", "c\n"] {
        let reply = receive_frame(&mut a)?;
        if reply != expected.as_bytes() {
            return Err(unexpected(expected, &reply));
        }
    }
    a.quit();
    let requests: Vec<_> = GLUED.iter().map(|c| encode(c.as_bytes())).collect();
    demo.picture(
        &Picture::new(&glued)
            .row(Row::new(
                "client writes",
                requests
                    .iter()
                    .zip(GLUED)
                    .map(|(f, c)| Piece::new(f.len(), format!("frame: {c}")))
                    .collect(),
                "three frames, back to back",
            ))
            .row(Row::new(
                "read_frame asks",
                frame_parts(&requests),
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
    let mut a = demo.connect("A")?;
    a.send_frame("seq 1000")?;
    let seq = receive_frame(&mut a)?;
    a.send_frame("echo hi")?;
    let hi = receive_frame(&mut a)?;
    if seq.len() != 3893 || hi != b"hi\n" {
        return Err(unexpected("all of seq 1000, then hi", &hi));
    }
    let replies = [encode(&seq), encode(&hi)];
    demo.picture(
        &Picture::new(&replies.concat())
            .row(Row::new(
                "server writes",
                vec![
                    Piece::new(replies[0].len(), "reply frame: seq 1000"),
                    Piece::new(replies[1].len(), "hi"),
                ],
                "two reply frames",
            ))
            .row(Row::new("read_frame asks", frame_parts(&replies), "")),
    );
    a.send_frame("seq 200000")?;
    let big = receive_frame(&mut a)?;
    a.quit();
    demo.say(&format!(
        "No leftovers: 'echo hi' got 'hi'. Even a {} byte reply arrives whole, its md5 checked.",
        big.len()
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
    let mut a = demo.connect("A")?;
    let command = "echo dribbled in tiny pieces";
    let request = encode(command.as_bytes());
    let dribble = Chunking::Fixed(5);
    a.stream().set_nodelay(true)?;
    let writes = probe::write_chunked(a.stream(), &request, &dribble)?;
    a.narrate(
        "sends",
        format!("frame {} in {writes} writes", show(command.as_bytes())),
    );
    receive_frame(&mut a)?;
    a.quit();
    demo.picture(
        &Picture::new(&request)
            .row(Row::new(
                "message",
                vec![Piece::new(request.len(), "one request frame")],
                "",
            ))
            .row(Row::new(
                "client writes",
                dribble
                    .cut(&request)
                    .iter()
                    .map(|piece| Piece::new(piece.len(), ""))
                    .collect(),
                "one frame, many writes",
            ))
            .row(Row::new(
                "read_frame asks",
                frame_parts(std::slice::from_ref(&request)),
                "each part is read until it is complete",
            )),
    );
    Ok(())
}

/// Lesson 6, part 4: lesson 5's empty reply, framed: a frame with an empty body still arrives.
fn empty_reply(demo: &mut Demo) -> io::Result<()> {
    demo.say("'seq 0' prints nothing, and that is still a frame.");
    demo.start_server()?;
    let mut a = demo.connect("A")?;
    a.send_frame("seq 0")?;
    receive_frame(&mut a)?;
    a.quit();
    Ok(())
}

/// One frame, as bytes, exactly as `write_frame` puts it on the wire.
fn encode(body: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::new();
    frame::write_frame(&mut bytes, body).expect("writing to a Vec cannot fail");
    bytes
}

/// The three parts `read_frame` reads, in order, for each encoded frame.
fn frame_parts(frames: &[Vec<u8>]) -> Vec<Piece> {
    let mut parts = Vec::new();
    for bytes in frames {
        let header_len = header_len(bytes);
        parts.push(Piece::new(4, "len"));
        parts.push(Piece::new(header_len, "header"));
        parts.push(Piece::new(bytes.len() - 4 - header_len, "body"));
    }
    parts
}

/// The header length an encoded frame starts with (its first 4 bytes, big-endian).
fn header_len(frame: &[u8]) -> usize {
    let prefix: [u8; 4] = frame[..4]
        .try_into()
        .expect("an encoded frame starts with 4 bytes");
    u32::from_be_bytes(prefix) as usize
}

/// Reads one reply frame, checks its md5 and narrates its body (as lesson 5 narrates a read:
/// how many bytes, and how they start and end); returns the body.
fn receive_frame(client: &mut super::DemoClient) -> io::Result<Vec<u8>> {
    let Some(reply) = frame::read_frame(client.stream(), &Limits::REPLY)? else {
        return Err(io::Error::other(
            "the server closed the connection instead of replying",
        ));
    };
    let md5 = match reply.check_md5() {
        Md5Check::Matches => "md5 ok",
        Md5Check::Absent => "no md5",
        Md5Check::Mismatch { .. } => return Err(unexpected("a matching md5", &reply.body)),
    };
    client.narrate(
        "receives",
        format!(
            "{} bytes, {md5}: {}",
            reply.body.len(),
            abbreviate(&reply.body)
        ),
    );
    Ok(reply.body)
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The start and end of a long text, so a reply of a thousand bytes fits on one line.
fn abbreviate(bytes: &[u8]) -> String {
    if bytes.len() <= 24 {
        return show(bytes);
    }
    format!(
        "{} … {}",
        show(&bytes[..8]),
        show(&bytes[bytes.len() - 8..])
    )
}

fn unexpected(expected: &str, got: &[u8]) -> io::Error {
    io::Error::other(format!(
        "the demo expected {expected}, but got {}",
        show(got)
    ))
}
