//! The play-by-play: a run's observations told as the demos tell them, one line per act, in the
//! same columns in every demo (`  client A sends      "echo a"`).
//!
//! This only reads observations ([`crate::scenario::Observations`]); it never runs anything. How
//! the bytes are told follows the protocol they were written in: bare bytes as they are, frames
//! as their bodies (a frame is told when its last byte has been written or read, however many
//! writes or reads it took), datagrams one per line, an empty one said to be a reply too; in a
//! chat room, the lines each member heard (its reads are not told), its first line its name.

use std::collections::HashMap;

use socket_lessons::frame::{FrameDecoder, Limits, Md5Check};

use super::{INDENT, pad, show};
use crate::scenario::{Act, Observations, Protocol};
use crate::t;

/// How a run is told: the words for what the observations alone cannot say (why a silence is a
/// silence, what the server starting late stands for).
///
/// Without a line of its own for the server starting late, it is told as the catalogue's
/// `demo-replay-server-starts` ("server gets to work").
#[derive(Default)]
pub struct Telling<'a> {
    /// The silences that are told, as (actor, what follows `waits  300 ms: `), in the order each
    /// actor's silences came; an actor's silences beyond its entries are not told (a client that
    /// listened a moment more after its reply, say).
    pub silences: &'a [(&'a str, &'a str)],
    /// The line that tells the server starting late (the clients had written before it read),
    /// if not the usual one.
    pub server_starts: Option<&'a str>,
    /// Bare reads told as their length and their first and last bytes, not in full.
    pub counted_reads: bool,
    /// Tell only the events from this one on: the ones before only set the scene (a chat
    /// member's name, a frame begun), as a part that shows a run in pieces needs.
    pub from: usize,
}

/// The lines (indented, ready for the transcript) that tell `observations`.
pub fn play_by_play(observations: &Observations, telling: &Telling) -> Vec<String> {
    tell(observations, telling)
        .into_iter()
        .map(|(_, line)| line)
        .collect()
}

/// The lines that tell `observations`, each with the number of the event it tells: what a
/// drawing of the same run needs to show the same events (a silence that is not told is not
/// drawn either).
pub fn tell(observations: &Observations, telling: &Telling) -> Vec<(usize, String)> {
    let datagrams = observations.protocol == Protocol::Udp;
    let framed = matches!(
        observations.protocol,
        Protocol::Framed | Protocol::Files | Protocol::Robot
    );
    let chat = observations.protocol == Protocol::Chat;
    let mut writing: HashMap<&str, (FrameDecoder, usize)> = HashMap::new();
    let mut reading: HashMap<&str, FrameDecoder> = HashMap::new();
    let mut silences: HashMap<&str, usize> = HashMap::new();
    let mut named: Vec<&str> = Vec::new();
    let mut lines = Vec::new();
    for (i, event) in observations.events.iter().enumerate() {
        if i == telling.from {
            lines.clear();
        }
        let actor = event.actor.as_str();
        // A chat member is its own name; anyone else is a client.
        let who = if chat || actor == crate::scenario::record::SERVER {
            actor.to_string()
        } else {
            client(actor)
        };
        let mut tell = |what: &str, detail: String| lines.push((i, narration(&who, what, &detail)));
        match &event.act {
            Act::Connects if !datagrams && !chat => {
                lines.push((
                    i,
                    format!("{INDENT}{}", t!("demo-replay-connects", who = who.as_str())),
                ));
            }
            Act::Connects => {}
            // A member's first line is its name.
            Act::Writes { bytes } if chat && !named.contains(&actor) => {
                named.push(actor);
                tell(&t!("demo-replay-joins"), show(bytes));
            }
            Act::Hears { line } => tell(&t!("demo-replay-receives"), show(line.as_bytes())),
            Act::HearsMany { lines, .. } => tell(
                &t!("demo-replay-receives"),
                t!("demo-replay-lines", lines = lines.to_string()),
            ),
            Act::Reads { .. } | Act::ReadsMany { .. } | Act::EndOfStream | Act::Reset if chat => {}
            Act::Closes | Act::Resets if chat => {}
            Act::HalfCloses if chat => {
                tell(
                    &t!("demo-replay-leaves"),
                    t!("demo-replay-closes-its-connection"),
                );
            }
            Act::ReadsMany { reads, bytes } => tell(
                &t!("demo-replay-receives"),
                t!(
                    "demo-replay-bytes-in-reads",
                    bytes = bytes.to_string(),
                    reads = reads.to_string()
                ),
            ),
            Act::CannotConnect { refused: true, .. } => lines.push((
                i,
                format!("{INDENT}{}", t!("demo-replay-refused", who = who.as_str())),
            )),
            Act::CannotConnect { error, .. } => {
                let said = t!(
                    "demo-replay-cannot-connect",
                    who = who.as_str(),
                    error = error.as_str()
                );
                lines.push((i, format!("{INDENT}{said}")));
            }
            Act::Writes { bytes } if framed => {
                let (decoder, writes) = writing
                    .entry(&event.actor)
                    .or_insert_with(|| (FrameDecoder::new(Limits::REPLY), 0));
                *writes += 1;
                decoder.push(bytes);
                while let Ok(Some(frame)) = decoder.next_frame() {
                    let body = show(&frame.body);
                    let detail = match *writes {
                        1 => t!("demo-replay-frame", body = body),
                        n => t!(
                            "demo-replay-frame-in-writes",
                            body = body,
                            writes = n.to_string()
                        ),
                    };
                    tell(&t!("demo-replay-sends"), detail);
                    *writes = 0;
                }
            }
            Act::Writes { bytes } => tell(&t!("demo-replay-sends"), show(bytes)),
            Act::WriteFails { bytes, error, .. } => tell(
                &t!("demo-replay-sends"),
                t!(
                    "demo-replay-write-fails",
                    bytes = show(bytes),
                    error = error.as_str()
                ),
            ),
            Act::Floods { writes, bytes } => tell(
                &t!("demo-replay-sends"),
                t!(
                    "demo-replay-bytes-in-writes",
                    bytes = bytes.to_string(),
                    writes = writes.to_string()
                ),
            ),
            Act::Reads { bytes } if framed => {
                let decoder = reading
                    .entry(&event.actor)
                    .or_insert_with(|| FrameDecoder::new(Limits::REPLY));
                decoder.push(bytes);
                while let Ok(Some(frame)) = decoder.next_frame() {
                    let md5 = match frame.check_md5() {
                        Md5Check::Matches => t!("demo-replay-md5-ok"),
                        Md5Check::Absent => t!("demo-replay-md5-absent"),
                        Md5Check::Mismatch { .. } => t!("demo-replay-md5-wrong"),
                    };
                    let body = &frame.body;
                    tell(
                        &t!("demo-replay-receives"),
                        t!(
                            "demo-replay-frame-received",
                            bytes = body.len().to_string(),
                            md5 = md5,
                            body = abbreviate(body)
                        ),
                    );
                }
            }
            Act::Reads { bytes } if datagrams && bytes.is_empty() => tell(
                &t!("demo-replay-receives"),
                t!("demo-replay-empty-datagram", bytes = show(bytes)),
            ),
            Act::Reads { bytes } if telling.counted_reads => tell(
                &t!("demo-replay-receives"),
                t!(
                    "demo-replay-counted-read",
                    bytes = bytes.len().to_string(),
                    ends = abbreviate(bytes)
                ),
            ),
            Act::Reads { bytes } => tell(&t!("demo-replay-receives"), show(bytes)),
            Act::Silence { waited_ms } => {
                let told = silences.entry(actor).or_insert(0);
                let why = telling
                    .silences
                    .iter()
                    .filter(|(who, _)| *who == actor)
                    .nth(*told);
                if let Some((_, why)) = why {
                    *told += 1;
                    tell(
                        &t!("demo-replay-waits"),
                        t!(
                            "demo-replay-silence",
                            ms = waited_ms.to_string(),
                            why = why.to_string()
                        ),
                    );
                }
            }
            Act::EndOfStream | Act::Reset => {
                tell(&t!("demo-replay-receives"), t!("demo-replay-hung-up"));
            }
            Act::ReadFails { error } => tell(
                &t!("demo-replay-receives"),
                t!("demo-replay-read-fails", error = error.as_str()),
            ),
            Act::Closes if !datagrams => {
                tell(
                    &t!("demo-replay-quits"),
                    t!("demo-replay-closes-its-connection"),
                );
            }
            Act::Closes => {}
            Act::Resets => tell(&t!("demo-replay-resets"), t!("demo-replay-linger-zero")),
            Act::HalfCloses => tell(&t!("demo-replay-shuts"), t!("demo-replay-sending-side")),
            Act::StartsServing => {
                let told = telling
                    .server_starts
                    .map_or_else(|| t!("demo-replay-server-starts"), str::to_string);
                lines.push((i, format!("{INDENT}{told}")));
            }
            Act::Interrupted => {
                lines.push((i, format!("{INDENT}{}", t!("demo-replay-interrupted"))));
            }
            Act::Exits { success, after_ms } => {
                let after_ms = after_ms.to_string();
                let said = if *success {
                    t!("demo-replay-exits", ms = after_ms)
                } else {
                    t!("demo-replay-exits-failing", ms = after_ms)
                };
                lines.push((i, format!("{INDENT}{said}")));
            }
            Act::DoesNotExit { waited_ms } => lines.push((
                i,
                format!(
                    "{INDENT}{}",
                    t!("demo-replay-does-not-exit", ms = waited_ms.to_string())
                ),
            )),
        }
    }
    if telling.from >= observations.events.len() {
        lines.clear();
    }
    lines
}

/// One line of the play-by-play: who, what they did, and the detail, in the same columns in
/// every demo. The detail is written as it is, never wrapped (it is often bytes, and a line
/// break inside them would look like part of the data).
pub fn narration(who: &str, what: &str, detail: &str) -> String {
    format!("{INDENT}{} {} {detail}", pad(who, 8), pad(what, 10))
}

/// A scripted client as the play-by-play names it: `client A` (`客户端 A`).
pub fn client(name: &str) -> String {
    t!("demo-replay-client", name = name)
}

/// The start and end of a long text, so a reply of a thousand bytes fits on one line.
pub fn abbreviate(bytes: &[u8]) -> String {
    if bytes.len() <= 24 {
        return show(bytes);
    }
    format!(
        "{} … {}",
        show(&bytes[..8]),
        show(&bytes[bytes.len() - 8..])
    )
}

/// The frames in `stream` (bytes as a frame writer put them on the wire), each as the lengths of
/// its three parts: the 4-byte length, the header, the body. A picture draws them from this.
pub fn frame_parts(stream: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut parts = Vec::new();
    let mut rest = stream;
    while let Some(prefix) = rest.first_chunk::<4>() {
        let header = u32::from_be_bytes(*prefix) as usize;
        let mut decoder = FrameDecoder::new(Limits::REPLY);
        decoder.push(rest);
        let Ok(Some(frame)) = decoder.next_frame() else {
            break;
        };
        let body = frame.body.len();
        parts.push((4, header, body));
        rest = &rest[(4 + header + body).min(rest.len())..];
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::record::SERVER;
    use crate::scenario::{Event, wire};

    fn run(protocol: Protocol, events: &[(&str, Act)]) -> Observations {
        Observations {
            protocol,
            events: events
                .iter()
                .map(|(actor, act)| Event {
                    actor: actor.to_string(),
                    act: act.clone(),
                })
                .collect(),
        }
    }

    fn writes(bytes: &[u8]) -> Act {
        Act::Writes {
            bytes: bytes.to_vec(),
        }
    }

    fn reads(bytes: &[u8]) -> Act {
        Act::Reads {
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn bare_bytes_are_told_as_they_are_and_silences_only_where_a_reason_is_given() {
        let observations = run(
            Protocol::Echo,
            &[
                ("A", Act::Connects),
                ("A", writes(b"hi")),
                ("B", Act::Silence { waited_ms: 300 }),
                ("A", Act::Silence { waited_ms: 100 }),
                (SERVER, Act::StartsServing),
                ("A", reads(b"HI")),
                ("A", Act::EndOfStream),
                ("A", Act::Closes),
            ],
        );
        let telling = Telling {
            silences: &[("B", "no reply, B waits")],
            ..Telling::default()
        };
        assert_eq!(
            play_by_play(&observations, &telling),
            [
                "  client A connects",
                "  client A sends      \"hi\"",
                "  client B waits      300 ms: no reply, B waits",
                "  server gets to work",
                "  client A receives   \"HI\"",
                "  client A receives   nothing: the server hung up",
                "  client A quits      (closes its connection)",
            ]
        );
    }

    #[test]
    fn a_frame_is_told_once_its_last_byte_has_been_written_or_read() {
        let request = wire::wrap(Protocol::Framed, b"echo a");
        let reply = wire::wrap(Protocol::Framed, b"a\n");
        let (head, tail) = request.split_at(5);
        let observations = run(
            Protocol::Framed,
            &[
                ("A", writes(head)),
                ("A", writes(tail)),
                ("A", reads(&reply[..4])),
                ("A", reads(&reply[4..])),
            ],
        );
        assert_eq!(
            play_by_play(&observations, &Telling::default()),
            [
                "  client A sends      frame \"echo a\" in 2 writes",
                "  client A receives   2 bytes, md5 ok: \"a\\n\"",
            ]
        );
        assert_eq!(frame_parts(&[request, reply].concat()).len(), 2);
    }

    #[test]
    fn a_chat_run_is_told_by_the_lines_heard_from_a_mark_on() {
        let observations = run(
            Protocol::Chat,
            &[
                ("alice", writes(b"alice\n")),
                ("alice", reads(b"* in the room: nobody else yet\n")),
                (
                    "alice",
                    Act::Hears {
                        line: "* in the room: nobody else yet".into(),
                    },
                ),
                ("alice", writes(b"hel")),
                ("alice", Act::HalfCloses),
            ],
        );
        let all = play_by_play(&observations, &Telling::default());
        assert_eq!(all[0], "  alice    joins      \"alice\\n\"");
        assert_eq!(
            all[1],
            "  alice    receives   \"* in the room: nobody else yet\""
        );
        // From a mark on, the name written before it is still known to be the name.
        let from_mark = Telling {
            from: 3,
            ..Telling::default()
        };
        assert_eq!(
            play_by_play(&observations, &from_mark),
            [
                "  alice    sends      \"hel\"",
                "  alice    leaves     (closes its connection)",
            ]
        );
    }
}
