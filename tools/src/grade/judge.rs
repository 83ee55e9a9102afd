//! How the grader judges what the engine's experiments found: one function per case's
//! experiment, which plays it ([`crate::scenario`]) and renders its finding as an [`Outcome`]: a
//! verdict, what was expected and what was observed, in one line each, and, where the finding
//! tells causes apart, the hint that fits what was observed (otherwise the case's own).
//!
//! Every outcome keeps the observations it was judged from, so that a reader of the result (a
//! test, an exercise runner) can show the writes and reads behind a verdict.

use std::time::Duration;

use crate::probe::Chunking;
use crate::scenario::boundaries::{
    self, BETWEEN_PIECES, Empty, Glue, Glued, InPieces, Large, Long, LongReply, OpenHeader, Pieces,
    Reading, Splits, glued_texts, shows_a_command_run_whole,
};
use crate::scenario::clients::{self, HUNDRED, Hundred, Second, SecondClient};
use crate::scenario::hostile::{
    self, DatagramBack, Exchange, NOT_TEXT, NeverReads, NotText, Refusal, Refused, ResetMidRequest,
    Stalled,
};
use crate::scenario::wire::{repeated, request_and_reply, secs, seq_output, shown, upper, wrap};
use crate::scenario::{Act, Protocol, Run};

use super::Protocol::{Chat, Echo, Framed, Rfc862, Udp};
use super::{Outcome, Said, Target, Verdict, chat};

/// The request body limit of the framed protocol (docs/contracts.md, "Limits": 8 MiB).
pub const REQUEST_BODY_LIMIT: u64 = 8 * 1024 * 1024;
/// The header limit: 64 KiB.
pub const HEADER_LIMIT: u32 = 64 * 1024;

/// The outcome of a connection that could not be made.
fn no_connection(why: Said) -> Outcome {
    Outcome::fail(crate::said!("grade-judge-a-connection"), why)
}

/// Adds the sticky-packet diagnosis to what a bare command reply looked like.
fn sticky_reason(observed: impl Into<Said>) -> Said {
    let observed = observed.into();
    if shows_a_command_run_whole(&observed.en) {
        observed.then(crate::said!("grade-judge-sticky"))
    } else {
        observed
    }
}

// =============================================================================================
// 1 basics
// =============================================================================================

/// 1.1, 1.2: `text` is answered by the protocol's rule.
pub fn exchange_once(t: &Target, text: &str) -> Outcome {
    if t.protocol == Chat {
        return chat::relayed(t, text);
    }
    let run = hostile::one_exchange(t, text);
    let expected = shown(&request_and_reply(t.protocol, text.as_bytes()).1);
    let outcome = match &run.finding {
        Exchange::Answered => Outcome::pass(expected.clone(), expected),
        Exchange::NotAnswered { why, .. } => Outcome::fail(expected, why),
        Exchange::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

/// 1.3: a message of 1,024+ bytes, answered whole.
pub fn long_message(t: &Target) -> Outcome {
    let script = LongReply {
        echo_text: repeated("the quick brown fox, 你好. ".as_bytes(), 3_000),
        reading: Reading::Whole,
        next: None,
        then_seq: &[],
    };
    let run = boundaries::long_reply(t, &script);
    let (expected, observed) = match t.protocol {
        Echo | Rfc862 => (
            crate::said!("grade-judge-echo-3000"),
            crate::said!("grade-judge-all-3000-echoed"),
        ),
        _ => (
            crate::said!("grade-judge-seq-1000-bytes"),
            crate::said!("grade-judge-all-3893"),
        ),
    };
    let outcome = match &run.finding {
        Long::Whole => Outcome::pass(expected, observed),
        Long::CannotConnect { why } => no_connection(why.clone()),
        Long::NotWhole { why } | Long::CannotSend { why } => Outcome::fail(expected, why),
        other => Outcome::fail(expected, format!("{other:?}")),
    };
    outcome.from_run(run)
}

/// 1.4: a 2,000-byte datagram, and how much of it comes back.
pub fn long_datagram(t: &Target) -> Outcome {
    let text = vec![b'x'; 2_000];
    let run = hostile::one_datagram(t, &text);
    let outcome = match &run.finding {
        DatagramBack::Came { bytes }
            if bytes.len() <= text.len() && *bytes == upper(&text[..bytes.len()]) =>
        {
            Outcome::info(crate::said!(
                "grade-judge-came-back-upper",
                bytes = bytes.len().to_string()
            ))
        }
        DatagramBack::Came { bytes } => Outcome::info(crate::said!(
            "grade-judge-came-back-as",
            bytes = bytes.len().to_string(),
            shown = shown(bytes)
        )),
        DatagramBack::NoneCame { why } => Outcome::info(why),
        DatagramBack::CannotSend { why } => {
            Outcome::fail(crate::said!("grade-judge-a-datagram-sent"), why)
        }
        DatagramBack::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

/// 1.5: `seq 0` is a frame with an empty body, and the stream stays in step.
pub fn empty_reply_frame(t: &Target) -> Outcome {
    let run = boundaries::empty_reply(t, Some("next"));
    let expected = crate::said!("grade-judge-empty-frame-expected");
    let outcome = match &run.finding {
        Empty::EmptyReply => {
            Outcome::pass(expected, crate::said!("grade-judge-empty-frame-in-step"))
        }
        Empty::Got { got } => Outcome::fail(
            expected,
            crate::said!("grade-judge-instead", got = shown(got)),
        ),
        Empty::CannotConnect { why } => no_connection(why.clone()),
        Empty::NoReply { why } | Empty::NextNotAnswered { why } | Empty::CannotSend { why } => {
            Outcome::fail(expected, why)
        }
        Empty::Nothing => Outcome::fail(expected, crate::said!("grade-judge-no-reply-frame")),
    };
    outcome.from_run(run)
}

/// 1.6: a header with fields the reader does not know, and one without an md5.
pub fn open_header(t: &Target) -> Outcome {
    let run = boundaries::open_header(t);
    let expected = "\"extra\\n\", then (no md5) \"1\\n2\\n\"";
    let outcome = match &run.finding {
        OpenHeader::BothServed => Outcome::pass(expected, crate::said!("grade-judge-both-served")),
        OpenHeader::NotServed { why } => Outcome::fail(expected, why),
        OpenHeader::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

// =============================================================================================
// 2 framing
// =============================================================================================

/// 2.1: two requests in one write (two datagrams back to back), answered separately.
pub fn glued(t: &Target) -> Outcome {
    let run = boundaries::glued(t, &glued_texts(t.protocol), Glue::OneWrite);
    let both = shown(&t.protocol.echo_of(b"first,second"));
    let (expected, observed) = match t.protocol {
        // The echo rule is per byte: however the two arrive, the replies together are both.
        Echo | Rfc862 => (
            crate::said!("grade-judge-in-all", both = both.clone()),
            both,
        ),
        Udp => (
            crate::said!("grade-judge-one-two-datagrams"),
            crate::said!("grade-judge-two-replies"),
        ),
        _ => (
            crate::said!("grade-judge-a-then-b"),
            crate::said!("grade-judge-two-replies-whole"),
        ),
    };
    let ordinal = |reply: usize, why: &Said| {
        let why = why.clone();
        if reply == 0 {
            crate::said!("grade-judge-first-reply", why = why)
        } else {
            crate::said!("grade-judge-second-reply", why = why)
        }
    };
    let outcome = match &run.finding {
        Glued::Separate | Glued::Echoed | Glued::EchoedThenClosed => {
            Outcome::pass(expected, observed)
        }
        Glued::TakenAsOne { reply, why } | Glued::NotAnswered { reply, why, .. }
            if matches!(t.protocol, super::Protocol::Commands | Framed) =>
        {
            Outcome::fail(expected, sticky_reason(ordinal(*reply, why)))
        }
        Glued::TakenAsOne { why, .. }
        | Glued::NotAnswered { why, .. }
        | Glued::CannotSend { why } => Outcome::fail(expected, why),
        Glued::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

/// 2.2: a small request split in two, at every offset.
pub fn split_at_every_offset(t: &Target) -> Outcome {
    if t.protocol == Chat {
        return chat::split_at_every_offset(t);
    }
    let run = boundaries::split_at_every_offset(t, "split");
    let expected = crate::said!(
        "grade-judge-for-every-split",
        reply = shown(&request_and_reply(t.protocol, b"split").1)
    );
    let at = |at: usize, len: usize, what: Said| {
        sticky_reason(
            crate::said!(
                "grade-judge-split-after",
                at = at.to_string(),
                len = len.to_string()
            )
            .then(what),
        )
    };
    let outcome = match &run.finding {
        Splits::WholeAtEveryOffset { offsets } => Outcome::pass(
            expected,
            crate::said!(
                "grade-judge-whole-at-all-offsets",
                offsets = offsets.to_string()
            ),
        ),
        Splits::AnsweredEarly {
            at: offset,
            len,
            sent,
            answer,
        } => Outcome::fail(
            expected,
            at(*offset, *len, answered_early(*sent, *len, answer)),
        ),
        Splits::ClosedEarly {
            at: offset,
            len,
            sent,
            error,
        } => Outcome::fail(
            expected,
            at(*offset, *len, closed_early(t.protocol, *sent, *len, error)),
        ),
        Splits::NotWhole {
            at: offset,
            len,
            why,
        } => Outcome::fail(expected, at(*offset, *len, why.into())),
        Splits::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

/// What a server said between the pieces of a request.
fn answered_early(sent: usize, len: usize, answer: &[u8]) -> Said {
    crate::said!(
        "grade-judge-answered-early",
        sent = sent.to_string(),
        len = len.to_string(),
        answer = shown(answer)
    )
}

/// What a failed write of a piece means: the server had closed the connection (the echo rule's
/// pieces go out without listening, so there it is only a failed write).
fn closed_early(protocol: Protocol, sent: usize, len: usize, error: &str) -> Said {
    let error = error.to_string();
    if protocol.echoes_bytes() {
        crate::said!("grade-judge-could-not-send", error = error)
    } else {
        crate::said!(
            "grade-judge-closed-after",
            sent = sent.to_string(),
            len = len.to_string(),
            error = error
        )
    }
}

/// 2.3: a request dribbled one byte per write.
pub fn dribbled(t: &Target) -> Outcome {
    if t.protocol == Chat {
        return chat::dribbled(t);
    }
    let (request, reply) = match t.protocol {
        protocol if protocol.echoes_bytes() => {
            (b"dribbled".to_vec(), protocol.echo_of(b"dribbled"))
        }
        protocol => (wrap(protocol, b"seq 5"), seq_output(5)),
    };
    let len = request.len();
    let script = Pieces {
        request,
        reply: reply.clone(),
        chunking: Chunking::ByteByByte,
        // Replies to each piece are fine for the echo rule, so there nobody listens between.
        listen_between: (!t.protocol.echoes_bytes()).then_some(BETWEEN_PIECES),
        then: Some("after"),
    };
    let run = boundaries::in_pieces(t, &script);
    let expected = crate::said!("grade-judge-then-next-answered", reply = shown(&reply));
    let mut outcome = match &run.finding {
        InPieces::Whole { writes } => Outcome::pass(
            expected,
            crate::said!("grade-judge-whole-from-writes", writes = writes.to_string()),
        ),
        InPieces::EchoedInPieces => Outcome::pass(
            expected,
            crate::said!("grade-judge-whole-from-writes", writes = len.to_string()),
        ),
        InPieces::AnsweredEarly { sent, answer } => Outcome::fail(
            expected,
            sticky_reason(answered_early(sent.len(), len, answer)),
        ),
        InPieces::ClosedEarly { sent, error, .. } => Outcome::fail(
            expected,
            sticky_reason(closed_early(t.protocol, *sent, len, error)),
        ),
        InPieces::EchoCutShort { why, .. }
        | InPieces::NotWhole { why, .. }
        | InPieces::NextNotAnswered { why } => Outcome::fail(expected, sticky_reason(why.clone())),
        InPieces::CannotConnect { why } => no_connection(why.clone()),
    };
    // What was observed tells two causes apart: a server that answers the first piece and
    // keeps the connection (it trusts one recv), and one that answers a piece and hangs up.
    if let InPieces::ClosedEarly { answered: true, .. } | InPieces::EchoCutShort { .. } =
        run.finding
    {
        outcome.hint = Some(crate::said!("grade-hint-answered-a-piece"));
    }
    outcome.from_run(run)
}

/// 2.4: a message of over a megabyte, whole, and the next reply the next request's.
pub fn large(t: &Target) -> Outcome {
    let run = boundaries::large(t);
    let expected = crate::said!(
        "grade-judge-bytes-then-next-answered",
        bytes = boundaries::large_exchange(t.protocol).1.len().to_string()
    );
    let outcome = match &run.finding {
        Large::Whole => Outcome::pass(expected, crate::said!("grade-judge-large-whole")),
        Large::Differs { got, from } => Outcome::fail(
            expected,
            crate::said!(
                "grade-judge-bytes-differ",
                got = got.to_string(),
                from = from.to_string()
            ),
        ),
        Large::NotWhole {
            why,
            unsent: Some(send),
        } => Outcome::fail(
            expected,
            Said::from(why).then(crate::said!(
                "grade-judge-not-sent-whole",
                send = send.to_string()
            )),
        ),
        Large::NotWhole { why, unsent: None } | Large::NextNotAnswered { why } => {
            Outcome::fail(expected, why)
        }
        Large::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

// =============================================================================================
// 3 concurrency
// =============================================================================================

/// 3.1: a second client served while the first stays connected.
pub fn second_client(t: &Target) -> Outcome {
    let run = clients::second_client(t, &SecondClient::PLAIN);
    let expected = crate::said!("grade-judge-second-expected");
    let not_while = |waited_ms: u64, then: Said| {
        crate::said!(
            "grade-judge-no-reply-while-first-stayed",
            secs = secs(Duration::from_millis(waited_ms))
        )
        .then(then)
    };
    let mut outcome = match &run.finding {
        Second::Served => Outcome::pass(expected, crate::said!("grade-judge-answered-at-once")),
        Second::WaitsForFirst { waited_ms } => Outcome::fail(
            expected,
            not_while(*waited_ms, crate::said!("grade-judge-one-at-a-time")),
        ),
        Second::NeverServed { waited_ms, then } => Outcome::fail(
            expected,
            not_while(
                *waited_ms,
                crate::said!("grade-judge-not-even-after", then = then.to_string()),
            ),
        ),
        Second::FirstNotServed { why } => {
            Outcome::fail(crate::said!("grade-judge-first-served"), why)
        }
        Second::CannotConnect { why } => no_connection(why.clone()),
        Second::SecondNotServed { why } => Outcome::fail(expected, why),
    };
    outcome.hint = match &run.finding {
        Second::NeverServed { .. } => Some(crate::said!("grade-hint-never-served")),
        Second::CannotConnect { .. } | Second::SecondNotServed { .. }
            if run.observations.of("B").any(|act| {
                matches!(
                    act,
                    Act::CannotConnect { .. } | Act::EndOfStream | Act::Reset
                )
            }) =>
        {
            Some(crate::said!("grade-hint-gone-after-first"))
        }
        _ => None,
    };
    outcome.from_run(run)
}

/// 3.2: a hundred clients connected at once, all answered.
pub fn hundred_clients(t: &Target) -> Outcome {
    let run = clients::hundred_clients(t);
    let expected = crate::said!("grade-judge-hundred-expected");
    let mut outcome = match &run.finding {
        Hundred::AllAnswered => {
            Outcome::pass(expected, crate::said!("grade-judge-hundred-answered"))
        }
        // Every client that got in was served, and the rest were left waiting to connect: the
        // server serves concurrently (the MUST), but its listen backlog is too small for a
        // hundred at once (a SHOULD: each of them would have got in, a retry or two later).
        Hundred::NotAllConnected {
            connected,
            answered,
            refused: false,
            ..
        } if answered == connected && *connected > 0 => Outcome::new(
            Verdict::NonStrict,
            expected,
            crate::said!(
                "grade-judge-backlog-full",
                connected = connected.to_string(),
                hundred = HUNDRED.to_string(),
                secs = secs(t.patience),
                answered = answered.to_string(),
                waited = (HUNDRED - connected).to_string()
            ),
        ),
        Hundred::NotAllConnected {
            connected,
            answered,
            why,
            ..
        } => Outcome::fail(
            expected,
            crate::said!(
                "grade-judge-not-all-connected",
                connected = connected.to_string(),
                hundred = HUNDRED.to_string(),
                secs = secs(t.patience),
                answered = answered.to_string(),
                client = (connected + 1).to_string(),
                why = why
            ),
        ),
        Hundred::CannotSend { client, why } => {
            let said = crate::said!(
                "grade-judge-client-of",
                client = client.to_string(),
                hundred = HUNDRED.to_string(),
                why = why
            );
            Outcome::fail(expected, said)
        }
        Hundred::NotAllAnswered { answered, why } => Outcome::fail(
            expected,
            crate::said!(
                "grade-judge-not-all-answered",
                answered = answered.to_string(),
                hundred = HUNDRED.to_string(),
                secs = secs(t.patience),
                client = (answered + 1).to_string(),
                why = why
            ),
        ),
    };
    // Clients that could not even connect tell a server that accepts too slowly (its backlog
    // full) from one that accepted them all and answered too few.
    if let Hundred::NotAllConnected { answered, .. } = run.finding {
        outcome.hint = Some(if answered > 0 {
            crate::said!("grade-hint-backlog")
        } else {
            crate::said!("grade-hint-accepts-but-serves-none")
        });
    }
    outcome.from_run(run)
}

// =============================================================================================
// 4 hostile input, and 5 lifecycle
// =============================================================================================

/// Case 5.N: after hostile case 4.N, a new client is served as usual.
pub fn still_serves(t: &Target) -> Outcome {
    match t.protocol {
        Chat => return chat::still_chats(t),
        super::Protocol::Files => return super::files::still_serves(t),
        super::Protocol::Robot => return super::robot::still_serves(t),
        _ => {}
    }
    let run = hostile::one_exchange(t, "still there?");
    let expected = crate::said!("grade-judge-new-client-expected");
    let mut outcome = match &run.finding {
        Exchange::Answered => Outcome::pass(expected, crate::said!("grade-judge-served")),
        Exchange::NotAnswered { why, .. } | Exchange::CannotConnect { why } => {
            Outcome::fail(expected, why)
        }
    };
    if let Exchange::CannotConnect { .. } = run.finding {
        outcome.hint = Some(crate::said!("grade-hint-nobody-listens"));
    }
    outcome.from_run(run)
}

/// 4.1: bytes that are not UTF-8 text.
pub fn not_utf8(t: &Target) -> Outcome {
    let run = hostile::not_utf8(t);
    let expected = match t.protocol {
        Echo | Rfc862 | Udp => shown(&t.protocol.echo_of(NOT_TEXT)),
        _ => crate::said!("grade-judge-a-reply-still-usable"),
    };
    let echoed = match t.protocol {
        Rfc862 => crate::said!("grade-judge-echoed-unchanged"),
        _ => crate::said!("grade-judge-echoed-upper"),
    };
    let outcome = match &run.finding {
        NotText::Echoed => Outcome::pass(expected, echoed),
        NotText::Answered { reply } => Outcome::pass(
            expected,
            crate::said!("grade-judge-replied", reply = shown(reply)),
        ),
        NotText::NotAnswered { why } => Outcome::fail(expected, why),
        NotText::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

/// 4.2: a client that resets the connection half-way through a request.
pub fn reset_mid_request(t: &Target) -> Outcome {
    if t.protocol == Chat {
        return chat::reset_mid_line(t);
    }
    let run = hostile::reset_mid_request(t, None);
    let outcome = match &run.finding {
        ResetMidRequest::Reset { sent, of } => Outcome::info(crate::said!(
            "grade-judge-sent-then-reset",
            sent = sent.to_string(),
            of = of.to_string()
        )),
        ResetMidRequest::CannotSend { why } => {
            Outcome::fail(crate::said!("grade-judge-half-request-sent"), why)
        }
        ResetMidRequest::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

/// 4.3: a client that never reads its replies.
pub fn never_reads(t: &Target) -> Outcome {
    let run = hostile::never_reads(t);
    let expected = crate::said!("grade-judge-never-reads-expected");
    let outcome = match &run.finding {
        NeverReads::OtherServed => Outcome::pass(expected, crate::said!("grade-judge-served")),
        NeverReads::OtherNotServed { why, unread } => Outcome::fail(
            expected,
            crate::said!(
                "grade-judge-other-client",
                why = why,
                unread = unread.to_string()
            ),
        ),
        NeverReads::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

/// 4.4–4.14, 4.18: `bytes` on a fresh connection must be refused: the server ends that
/// connection without running anything; an error reply first is what it SHOULD do.
pub fn cut_off(t: &Target, bytes: Vec<u8>) -> Outcome {
    judge_cut_off(hostile::cut_off(t, &bytes, false))
}

/// 4.15–4.17: the same, but the client half-closes after its bytes: the stream ends mid-frame.
pub fn cut_off_after_half_close(t: &Target, bytes: Vec<u8>) -> Outcome {
    judge_cut_off(hostile::cut_off(t, &bytes, true))
}

// ANCHOR: judge_cut_off
fn judge_cut_off(run: Run<Refusal>) -> Outcome {
    let expected = crate::said!("grade-judge-refused-expected");
    let Refusal { peer, how } = &run.finding;
    let mut outcome = match how {
        Refused::ErrorThenEnd { text, .. } => Outcome::pass(
            expected,
            crate::said!("grade-judge-error-then-end", error = shown(text.as_bytes())),
        ),
        Refused::ErrorButNoEnd { then, .. } => {
            let then = then.to_string();
            Outcome::fail(
                expected,
                crate::said!("grade-judge-error-but-then", then = then),
            )
        }
        Refused::RanIt { body } => Outcome::fail(
            expected,
            crate::said!("grade-judge-ran-it", body = shown(body)),
        ),
        Refused::EndedWithoutError => Outcome::new(
            Verdict::NonStrict,
            expected,
            crate::said!("grade-judge-ended-without-error"),
        ),
        Refused::StillWaits { waited_ms } => Outcome::fail(
            expected,
            crate::said!(
                "grade-judge-still-waits",
                secs = secs(Duration::from_millis(*waited_ms))
            ),
        ),
        Refused::Wrong { what } => Outcome::fail(expected, what),
        Refused::CannotSend { why } => Outcome::fail(expected, why),
        Refused::CannotConnect { why } => no_connection(why.clone()),
    };
    if let Refused::ErrorThenEnd { text, body } | Refused::ErrorButNoEnd { text, body, .. } = how {
        outcome.error_reply = Some(text.clone());
        outcome.error_body = Some(body.clone());
    }
    outcome.hostile_peer = *peer;
    outcome.from_run(run)
}
// ANCHOR_END: judge_cut_off

/// 4.19: clients that announce an 8 MiB body and send none of it.
pub fn stalled_bodies(t: &Target) -> Outcome {
    let run = hostile::stalled_bodies(t, REQUEST_BODY_LIMIT);
    let expected = crate::said!("grade-judge-stalled-expected");
    let outcome = match &run.finding {
        Stalled::OtherServed {
            all_still_wait: true,
        } => Outcome::pass(expected, crate::said!("grade-judge-four-still-wait")),
        Stalled::OtherServed {
            all_still_wait: false,
        } => Outcome::new(
            Verdict::Info,
            expected,
            "served; the server ended (or answered) a client whose body was allowed",
        ),
        Stalled::OtherNotServed { why } | Stalled::CannotStall { why } => {
            Outcome::fail(expected, why)
        }
        Stalled::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

/// 4.20: an empty datagram is a message, and gets an empty reply.
pub fn empty_datagram(t: &Target) -> Outcome {
    let run = boundaries::empty_reply(t, None);
    let expected = crate::said!("grade-judge-empty-datagram-expected");
    let outcome = match &run.finding {
        Empty::EmptyReply => Outcome::pass(expected, crate::said!("grade-judge-an-empty-datagram")),
        Empty::Got { got } => Outcome::fail(expected, shown(got)),
        Empty::NoReply { why } | Empty::CannotSend { why } | Empty::NextNotAnswered { why } => {
            Outcome::new(Verdict::NonStrict, expected, why)
        }
        Empty::Nothing => Outcome::new(
            Verdict::NonStrict,
            expected,
            crate::said!("grade-judge-no-datagram"),
        ),
        Empty::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

/// 4.21: the largest datagram over IPv4.
pub fn largest_datagram(t: &Target) -> Outcome {
    let run = hostile::one_datagram(t, &vec![b'y'; 65_507]);
    let outcome = match &run.finding {
        DatagramBack::Came { bytes } => Outcome::info(crate::said!(
            "grade-judge-bytes-came-back",
            bytes = bytes.len().to_string()
        )),
        DatagramBack::NoneCame { why } | DatagramBack::CannotSend { why } => Outcome::info(why),
        DatagramBack::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}

// =============================================================================================
// Appended cases: requests re-cut by the chaos proxy (2.7), a reset before a byte (4.27)
// =============================================================================================

/// 2.7: three requests in one write, re-cut by the `chaos` proxy into pieces of 1 to 3 bytes
/// (seeded), each piece one read of the server's.
pub fn through_chaos(t: &Target) -> Outcome {
    use crate::scenario::rechunked::{self, CUT, Rechunked, SEED};
    let run = rechunked::through_chaos(t);
    let expected = match t.protocol {
        Echo => crate::said!("grade-judge-three-echo"),
        _ => crate::said!("grade-judge-three-replies"),
    };
    let observed = rechunked::said(&run.finding);
    let mut outcome = match &run.finding {
        Rechunked::Answered { .. } => Outcome::pass(expected, observed),
        Rechunked::NotAnswered { .. } => Outcome::fail(
            expected,
            sticky_reason(observed).then(crate::said!(
                "grade-judge-same-cuts",
                cut = CUT,
                seed = SEED.to_string()
            )),
        ),
        Rechunked::CannotStart { .. } => {
            Outcome::fail(crate::said!("grade-judge-proxy-and-connection"), observed)
        }
    };
    if let Rechunked::NotAnswered { .. } = run.finding {
        outcome.hint = Some(crate::said!("grade-hint-rechunked"));
    }
    outcome.from_run(run)
}

/// 4.27: a client that connects and resets before sending a byte.
pub fn reset_at_once(t: &Target) -> Outcome {
    use crate::scenario::reset_at_once::{self, ResetAtOnce};
    let run = reset_at_once::reset_at_once(t);
    let outcome = match &run.finding {
        ResetAtOnce::Reset => Outcome::info(crate::said!("grade-judge-reset-at-once")),
        ResetAtOnce::CannotConnect { why } => no_connection(why.clone()),
    };
    outcome.from_run(run)
}
