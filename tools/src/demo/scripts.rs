//! The demo scripts for the echo stages (lessons 1–4): each shows its stage's one idea, and what
//! is still broken, with real sockets against the stage's real server. Each is one short scene,
//! with no numbered parts: the whole of it is the demo's one part.

use std::io;

use super::{Demo, Received};

pub fn lesson1(demo: &mut Demo) -> io::Result<()> {
    demo.one_part(|demo| {
        demo.say(
            "The server goes through socket, bind, listen and accept, then reads one message, \
             replies with it uppercased, and exits.",
        );
        demo.start_server()?;
        let mut a = demo.connect("A")?;
        a.send("hello, 你好")?;
        expect_echo(a.receive()?, "hello, 你好")?;
        a.quit();
        demo.wait_for_server_to_exit()?;
        demo.line("server has served its one message and exited");
        demo.connect_expecting_refusal("B")?;
        demo.say(
            "What to notice: the server served exactly one client, once. \
             Nobody answers the second client. Lesson 2 adds a loop around accept. \
             Notice too that 你好 came back untouched: only ASCII letters are uppercased.",
        );
        Ok(())
    })
}

pub fn lesson2(demo: &mut Demo) -> io::Result<()> {
    demo.one_part(|demo| {
        demo.say(
            "The server now loops around accept (链接循环): after one client it waits for the next.",
        );
        demo.start_server()?;
        let mut a = demo.connect("A")?;
        a.send("hello")?;
        expect_echo(a.receive()?, "hello")?;
        a.send("are you still there?")?;
        if a.receive()? != Received::Closed {
            return Err(io::Error::other(
                "lesson 2 should hang up after one message",
            ));
        }
        a.quit();
        let mut b = demo.connect("B")?;
        b.send("hi from b")?;
        expect_echo(b.receive()?, "hi from b")?;
        b.quit();
        demo.say(
            "What to notice: a second client was served, so the connection loop works. \
             But each connection gets one message: the server hung up on A after its first. \
             Lesson 3 adds a loop around recv.",
        );
        Ok(())
    })
}

pub fn lesson3(demo: &mut Demo) -> io::Result<()> {
    demo.one_part(|demo| {
        demo.say(
            "The server now also loops around recv (通信循环): one client can send many messages, \
             until it closes the connection (recv returns 0 bytes).",
        );
        demo.start_server()?;
        let mut a = demo.connect("A")?;
        a.send("hello")?;
        expect_echo(a.receive()?, "hello")?;
        a.send("still here")?;
        expect_echo(a.receive()?, "still here")?;
        let mut b = demo.connect("B")?;
        b.send("hi from b")?;
        b.expect_silence("B waits in the backlog while A is served")?;
        a.send("bye")?;
        expect_echo(a.receive()?, "bye")?;
        a.quit();
        expect_echo(b.receive()?, "hi from b")?;
        b.quit();
        demo.say(
            "What to notice: A had a whole conversation. B was connected all along (the kernel \
             accepted it into the backlog) but got no answer until A left, because the server \
             serves one client at a time. Lesson 4 gives every client its own thread.",
        );
        Ok(())
    })
}

pub fn lesson4(demo: &mut Demo) -> io::Result<()> {
    demo.one_part(|demo| {
        demo.say(
            "Every client now gets its own thread (支持并发), so nobody waits for anybody else.",
        );
        demo.start_server()?;
        let mut a = demo.connect("A")?;
        a.send("hello from a")?;
        expect_echo(a.receive()?, "hello from a")?;
        let mut b = demo.connect("B")?;
        b.send("hi from b")?;
        expect_echo(b.receive()?, "hi from b")?;
        a.send("a again")?;
        expect_echo(a.receive()?, "a again")?;
        b.quit();
        a.quit();
        demo.say(
            "What to notice: B was answered while A was still connected, unlike lesson 3. \
             Still broken: every stage so far assumes one recv returns one whole message. \
             Lesson 5 shows that TCP never promised that.",
        );
        Ok(())
    })
}

/// The demo narrates what happened; this makes sure it happened as the stage promises (the
/// echo rule), so a broken stage fails its demo instead of telling a wrong story.
fn expect_echo(received: Received, sent: &str) -> io::Result<()> {
    let expected = Received::Bytes(sent.as_bytes().to_ascii_uppercase());
    if received == expected {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "expected the echo of {sent:?}, got {received:?}"
        )))
    }
}
