//! The demo scripts for the echo stages (lessons 1–4): each shows its stage's one idea, and what
//! is still broken, with real sockets against the stage's real server. Each is one short scene,
//! with no numbered parts: the whole of it is the demo's one part.
//!
//! Lessons 3 and 4 play the scenario engine's "a second client while the first stays" (the same
//! experiment `compare` tabulates and `grade` judges as case 3.1) and tell what it observed.

use std::io;

use super::replay::Telling;
use super::{Demo, Received};
use crate::probe::{A_MOMENT, PATIENCE};
use crate::scenario::Protocol;
use crate::scenario::clients::{self, Second, SecondClient};
use crate::t;

pub fn lesson1(demo: &mut Demo) -> io::Result<()> {
    demo.one_part(|demo| {
        demo.say(&t!("demo-lesson1-intro"));
        demo.start_server()?;
        let mut a = demo.connect("A")?;
        a.send("hello, 你好")?;
        expect_echo(a.receive()?, "hello, 你好")?;
        a.quit();
        demo.wait_for_server_to_exit()?;
        demo.line(t!("demo-lesson1-server-exited"));
        demo.connect_expecting_refusal("B")?;
        demo.say(&t!("demo-lesson1-notice"));
        Ok(())
    })
}

pub fn lesson2(demo: &mut Demo) -> io::Result<()> {
    demo.one_part(|demo| {
        demo.say(&t!("demo-lesson2-intro"));
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
        demo.say(&t!("demo-lesson2-notice"));
        Ok(())
    })
}

pub fn lesson3(demo: &mut Demo) -> io::Result<()> {
    demo.one_part(|demo| {
        demo.say(&t!("demo-lesson3-intro"));
        demo.start_server()?;
        let script = SecondClient {
            first_says: &["hello", "still here"],
            second_says: "hi from b",
            second_waits: A_MOMENT,
            first_then_says: &["bye"],
        };
        let run = clients::second_client(&demo.target(Protocol::Echo)?, &script);
        let waits = t!("demo-lesson3-b-waits");
        demo.replay(
            &run.observations,
            &Telling {
                silences: &[("B", &waits)],
                ..Telling::default()
            },
        );
        expect(&run.finding, |f| matches!(f, Second::WaitsForFirst { .. }))?;
        demo.say(&t!("demo-lesson3-notice"));
        Ok(())
    })
}

pub fn lesson4(demo: &mut Demo) -> io::Result<()> {
    demo.one_part(|demo| {
        demo.say(&t!("demo-lesson4-intro"));
        demo.start_server()?;
        // B is expected to be answered at once, so it may wait as long as it takes.
        let script = SecondClient {
            first_says: &["hello from a"],
            second_says: "hi from b",
            second_waits: PATIENCE,
            first_then_says: &["a again"],
        };
        let run = clients::second_client(&demo.target(Protocol::Echo)?, &script);
        demo.replay(&run.observations, &Telling::default());
        expect(&run.finding, |f| *f == Second::Served)?;
        demo.say(&t!("demo-lesson4-notice"));
        Ok(())
    })
}

/// The demo narrates what happened; this makes sure the experiment found what the stage
/// promises, so a broken stage fails its demo instead of telling a wrong story.
pub fn expect<F: std::fmt::Debug>(finding: &F, promised: impl Fn(&F) -> bool) -> io::Result<()> {
    if promised(finding) {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "the stage did not do what its demo tells: {finding:?}"
        )))
    }
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
