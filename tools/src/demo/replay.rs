//! The play-by-play: a run's observations told as the demos tell them, one line per act, in the
//! same columns in every demo (`  client A sends      "echo a"`).
//!
//! This only reads observations ([`crate::scenario::Observations`]); it never runs anything. How
//! the bytes are told follows the protocol they were written in: bare bytes as they are, frames
//! as their bodies (a frame is told when its last byte has been written or read, however many
//! writes or reads it took), datagrams one per line, an empty one said to be a reply too.

use std::collections::HashMap;

use socket_lessons::frame::{FrameDecoder, Limits, Md5Check};

use super::{INDENT, show};
use crate::scenario::{Act, Observations, Protocol};

/// How a run is told: who its actors are called, and the words for what the observations alone
/// cannot say (why a silence is a silence, what the server starting late stands for).
pub struct Telling<'a> {
    /// `client A` (the default), or the actors' own names (`alice`).
    pub clients: bool,
    /// What follows `waits  300 ms: no reply, ` for each silence; `None`: silences are not told
    /// (a client that listened a moment more after its reply, say).
    pub silence: Option<&'a str>,
    /// The line that tells the server starting late (the clients had written before it read).
    pub server_starts: &'a str,
    /// Bare reads told as their length and their first and last bytes, not in full.
    pub counted_reads: bool,
}

impl Default for Telling<'_> {
    fn default() -> Self {
        Telling {
            clients: true,
            silence: None,
            server_starts: "server gets to work",
            counted_reads: false,
        }
    }
}

/// The lines (indented, ready for the transcript) that tell `observations`.
pub fn play_by_play(observations: &Observations, telling: &Telling) -> Vec<String> {
    let datagrams = observations.protocol == Protocol::Udp;
    let framed = observations.protocol == Protocol::Framed;
    let mut writing: HashMap<&str, (FrameDecoder, usize)> = HashMap::new();
    let mut reading: HashMap<&str, FrameDecoder> = HashMap::new();
    let mut lines = Vec::new();
    for event in &observations.events {
        let who = if telling.clients && event.actor != crate::scenario::record::SERVER {
            format!("client {}", event.actor)
        } else {
            event.actor.clone()
        };
        let mut tell = |what: &str, detail: String| lines.push(narration(&who, what, &detail));
        match &event.act {
            Act::Connects if !datagrams => lines.push(format!("{INDENT}{who} connects")),
            Act::Connects => {}
            Act::CannotConnect { refused: true, .. } => lines.push(format!(
                "{INDENT}{who} tries to connect: connection refused, nobody is listening"
            )),
            Act::CannotConnect { error, .. } => {
                lines.push(format!("{INDENT}{who} tries to connect: {error}"));
            }
            Act::Writes { bytes } if framed => {
                let (decoder, writes) = writing
                    .entry(&event.actor)
                    .or_insert_with(|| (FrameDecoder::new(Limits::REPLY), 0));
                *writes += 1;
                decoder.push(bytes);
                while let Ok(Some(frame)) = decoder.next_frame() {
                    let detail = match *writes {
                        1 => format!("frame {}", show(&frame.body)),
                        n => format!("frame {} in {n} writes", show(&frame.body)),
                    };
                    tell("sends", detail);
                    *writes = 0;
                }
            }
            Act::Writes { bytes } => tell("sends", show(bytes)),
            Act::WriteFails { bytes, error, .. } => {
                tell(
                    "sends",
                    format!("{}: the write fails ({error})", show(bytes)),
                );
            }
            Act::Floods { writes, bytes } => {
                tell("sends", format!("{bytes} bytes in {writes} writes"));
            }
            Act::Reads { bytes } if framed => {
                let decoder = reading
                    .entry(&event.actor)
                    .or_insert_with(|| FrameDecoder::new(Limits::REPLY));
                decoder.push(bytes);
                while let Ok(Some(frame)) = decoder.next_frame() {
                    let md5 = match frame.check_md5() {
                        Md5Check::Matches => "md5 ok",
                        Md5Check::Absent => "no md5",
                        Md5Check::Mismatch { .. } => "md5 WRONG",
                    };
                    let body = &frame.body;
                    tell(
                        "receives",
                        format!("{} bytes, {md5}: {}", body.len(), abbreviate(body)),
                    );
                }
            }
            Act::Reads { bytes } if datagrams && bytes.is_empty() => tell(
                "receives",
                format!(
                    "{} (an empty datagram: 0 bytes, and still a reply)",
                    show(bytes)
                ),
            ),
            Act::Reads { bytes } if telling.counted_reads => {
                tell(
                    "receives",
                    format!("{} bytes: {}", bytes.len(), abbreviate(bytes)),
                );
            }
            Act::Reads { bytes } => tell("receives", show(bytes)),
            Act::Silence { waited_ms } => {
                if let Some(why) = telling.silence {
                    tell("waits", format!("{waited_ms} ms: no reply, {why}"));
                }
            }
            Act::EndOfStream | Act::Reset => {
                tell("receives", "nothing: the server hung up".to_string());
            }
            Act::ReadFails { error } => tell("receives", format!("an error: {error}")),
            Act::Closes if !datagrams => tell("quits", "(closes its connection)".to_string()),
            Act::Closes => {}
            Act::Resets => tell("resets", "(closes with SO_LINGER 0)".to_string()),
            Act::HalfCloses => tell("shuts", "its sending side (the server reads an end)".into()),
            Act::StartsServing => lines.push(format!("{INDENT}{}", telling.server_starts)),
            Act::Interrupted => lines.push(format!("{INDENT}the server is stopped (Ctrl-C)")),
            Act::Exits { success, after_ms } => lines.push(format!(
                "{INDENT}the server exits after {after_ms} ms{}",
                if *success { "" } else { ", failing" }
            )),
            Act::DoesNotExit { waited_ms } => lines.push(format!(
                "{INDENT}the server has not exited {waited_ms} ms later"
            )),
        }
    }
    lines
}

/// One line of the play-by-play: who, what they did, and the detail, in the same columns in
/// every demo. The detail is written as it is, never wrapped (it is often bytes, and a line
/// break inside them would look like part of the data).
pub fn narration(who: &str, what: &str, detail: &str) -> String {
    format!("{INDENT}{who:<8} {what:<10} {detail}")
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
