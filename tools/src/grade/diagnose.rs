//! What the observations of a case say about its cause, beyond the case itself.
//!
//! A case's hint is written for the fault the case is about (two requests glued in one read,
//! say). But a server can fail a case for a reason that has nothing to do with it: a correct
//! RFC 862 echo server fails every echo case because it does not upper-case, and a framed server
//! graded as an echo server fails them all because it answers in frames. Blaming framing or
//! concurrency then sends a student looking in the wrong place. So before the case's own hint is
//! given, the grader looks at what was actually written and read:
//!
//! - [`looks_like`]: the server's replies are those of another protocol the grader knows (a
//!   4-byte length and a JSON header: framed; `* in the room:` or `[name] text`: the chat room;
//!   a reply that starts `unknown command`: the command service; the request upper-cased: the
//!   course's echo; the request as sent: RFC 862). The report says so once, with the
//!   `--protocol` to try.
//! - [`hint`]: the hint that fits what was observed, where the observations show a cause the
//!   case's own hint does not name.

use crate::scenario::{Act, Observations, Protocol};
use socket_lessons::frame::Limits;

/// The protocol the server's replies in `observations` look like, if that is not `protocol`
/// and the grader knows it. Read from the first client that heard anything: what it wrote first,
/// and all that it read.
pub fn looks_like(protocol: Protocol, observations: &Observations) -> Option<Protocol> {
    let (wrote, heard) = first_exchange(observations)?;
    guess(&wrote, &heard).filter(|guess| *guess != protocol)
}

/// The hint that fits what was observed, where it names a cause the case's own hint does not:
/// replies that are the request as sent where the echo rule upper-cases it (or the other way
/// round), or replies of another protocol.
pub fn hint(protocol: Protocol, observations: &Observations) -> Option<crate::said::Said> {
    match looks_like(protocol, observations)? {
        Protocol::Rfc862 if protocol == Protocol::Echo => {
            Some(crate::said!("grade-hint-bytes-as-sent"))
        }
        Protocol::Echo if protocol == Protocol::Rfc862 => {
            Some(crate::said!("grade-hint-upper-cased"))
        }
        Protocol::Echo => Some(crate::said!("grade-hint-speaks-echo")),
        Protocol::Rfc862 => Some(crate::said!("grade-hint-speaks-rfc862")),
        Protocol::Framed => Some(crate::said!("grade-hint-speaks-framed")),
        Protocol::Chat => Some(crate::said!("grade-hint-speaks-chat")),
        Protocol::Commands => Some(crate::said!("grade-hint-speaks-commands")),
        // (No reply tells a datagram server, or any other, from a stream: guess never says so.)
        _ => None,
    }
}

/// What the first client that heard anything wrote first, and everything it read. (A client: an
/// actor that wrote. An experiment may record what the server read too, as the server's own
/// reads, and the server wrote nothing to us.)
fn first_exchange(observations: &Observations) -> Option<(Vec<u8>, Vec<u8>)> {
    let wrote_something = |actor: &str| !observations.writes(actor).is_empty();
    let listener = observations.events.iter().find_map(|event| {
        match &event.act {
            Act::Reads { bytes } if !bytes.is_empty() => Some(event.actor.as_str()),
            Act::Hears { .. } => Some(event.actor.as_str()),
            _ => None,
        }
        .filter(|actor| wrote_something(actor))
    })?;
    let wrote = observations.writes(listener).first()?.to_vec();
    let mut heard = Vec::new();
    for act in observations.of(listener) {
        match act {
            Act::Reads { bytes } => heard.extend_from_slice(bytes),
            Act::Hears { line } => {
                heard.extend_from_slice(line.as_bytes());
                heard.push(b'\n');
            }
            _ => {}
        }
        if heard.len() > 64 * 1024 {
            break;
        }
    }
    Some((wrote, heard))
}

/// Which protocol a reply `heard` to the request `wrote` is of, if it is recognisably one.
fn guess(wrote: &[u8], heard: &[u8]) -> Option<Protocol> {
    if heard.is_empty() {
        return None;
    }
    // The request sent back: as it came, or upper-cased. Where the request has no lower-case
    // letters the two rules give the same reply, and say nothing.
    let common = heard.len().min(wrote.len());
    let sent = &wrote[..common];
    if sent.iter().any(u8::is_ascii_lowercase) {
        if heard[..common] == *sent {
            return Some(Protocol::Rfc862);
        }
        if heard[..common] == sent.to_ascii_uppercase() {
            return Some(Protocol::Echo);
        }
    }
    if is_frame_start(heard) {
        return Some(Protocol::Framed);
    }
    let text = String::from_utf8_lossy(heard);
    if text.lines().any(is_chat_line) {
        return Some(Protocol::Chat);
    }
    // Lesson 5's answer to what is not a command. (Only at the start: the tutorial's 终极版
    // server sends the same words, but inside a frame of its own wire, which the framed cases
    // already tell apart.)
    let reply = text.strip_prefix("error: ").unwrap_or(&text);
    let openings = socket_lessons::commands::unknown_command_openings();
    if openings
        .iter()
        .any(|opening| reply.starts_with(opening.as_str()))
    {
        return Some(Protocol::Commands);
    }
    None
}

/// A 4-byte big-endian header length within the course's limit, and a JSON object after it.
fn is_frame_start(bytes: &[u8]) -> bool {
    let Some((prefix, rest)) = bytes.split_first_chunk::<4>() else {
        return false;
    };
    let len = u32::from_be_bytes(*prefix);
    (2..=Limits::REPLY.max_header_len).contains(&len) && rest.starts_with(b"{\"")
}

/// A line only lesson 9's room sends: a notice, a member's line, or its refusal of a name. The
/// notice a member is told on joining is recognised in either of the room's languages (`* in
/// the room: …`, `* 聊天室里有：…`).
fn is_chat_line(line: &str) -> bool {
    let notice = socket_lessons::room::is_present_notice(line)
        || (line.starts_with("* ") && (line.ends_with(" joined") || line.ends_with(" left")));
    let said = line
        .strip_prefix('[')
        .and_then(|rest| rest.split_once("] "))
        .is_some_and(|(name, _)| socket_lessons::room::valid_name(name));
    notice || said || line.starts_with("error: a name is")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Recorder;
    use crate::scenario::wire::{raw_frame, wrap};

    fn exchange(wrote: &[u8], heard: &[u8]) -> Observations {
        let log = Recorder::new();
        log.record("A", Act::Connects);
        log.record(
            "A",
            Act::Writes {
                bytes: wrote.to_vec(),
            },
        );
        log.record(
            "A",
            Act::Reads {
                bytes: heard.to_vec(),
            },
        );
        log.observations(Protocol::Echo)
    }

    #[test]
    fn replies_are_recognised_as_the_protocol_they_are_of() {
        let frame = raw_frame(br#"{"total_size":3}"#, b"hi\n");
        let cases: [(&[u8], &[u8], Option<Protocol>); 9] = [
            (b"hello world", b"hello world", Some(Protocol::Rfc862)),
            (b"hello world", b"HELLO WORLD", Some(Protocol::Echo)),
            (b"hello world", &frame, Some(Protocol::Framed)),
            (
                b"hello world",
                b"error: a name is 1 to 16 letters or digits (a-z, A-Z, 0-9)\n",
                Some(Protocol::Chat),
            ),
            (b"alice\n", b"* in the room: bob\n", Some(Protocol::Chat)),
            // A room started with --lang zh.
            (
                b"alice\n",
                "* 聊天室里有：bob\n".as_bytes(),
                Some(Protocol::Chat),
            ),
            (
                b"hello world",
                b"unknown command 'hello': this server runs only help, echo and seq\n",
                Some(Protocol::Commands),
            ),
            // Nothing to tell: no lower-case letters to upper-case, and nothing else known.
            (b"12345", b"12345", None),
            (b"hello", b"something else", None),
        ];
        for (wrote, heard, expected) in cases {
            let observations = exchange(wrote, heard);
            assert_eq!(
                guess(wrote, heard),
                expected,
                "{:?}",
                String::from_utf8_lossy(heard)
            );
            // Never the protocol graded.
            if let Some(protocol) = expected {
                assert_eq!(looks_like(protocol, &observations), None);
            }
        }
        // A frame sent to an echo server comes back upper-cased: that is an echo, not a frame.
        let request = wrap(Protocol::Framed, b"echo hi");
        assert_eq!(
            guess(&request, &request.to_ascii_uppercase()),
            Some(Protocol::Echo)
        );
    }

    #[test]
    fn an_rfc862_server_graded_as_echo_is_told_it_does_not_upper_case() {
        let observations = exchange(b"first,second", b"first,second");
        let hint = hint(Protocol::Echo, &observations).unwrap();
        assert!(
            hint.en
                .starts_with("the reply was the bytes as sent, not upper-cased")
        );
        assert_eq!(hint_of_echo_graded_correctly(), None);
    }

    fn hint_of_echo_graded_correctly() -> Option<crate::said::Said> {
        hint(Protocol::Echo, &exchange(b"first", b"FIRST"))
    }
}
