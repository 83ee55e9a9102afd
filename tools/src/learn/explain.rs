//! A failure, explained: the case, what was expected, what was observed, a picture of the writes
//! and reads involved, the play-by-play of how the case ended, and the hint that fits.
//!
//! The picture and the play-by-play are the demos' own renderers (`demo::picture`,
//! `demo::replay`), drawing the observations the case's experiment kept: the same pictures the
//! chapters show, now of the student's own server.

use crate::demo::picture::{Picture, Piece, Row};
use crate::demo::replay::{Telling, frame_parts, play_by_play};
use crate::demo::{WIDTH, show};
use crate::scenario::record::SERVER;
use crate::scenario::{Act, Observations, Protocol};

use super::check::Failure;
use super::messages;

/// How many lines of play-by-play are shown: the end of the story, where it went wrong.
const LAST_ACTS: usize = 12;
/// How far the pictures and the play-by-play are indented.
const INDENT: usize = 2;

/// Every line that explains `failure` (`colour`: pictures in colour).
pub fn failure(failure: &Failure, colour: bool) -> Vec<String> {
    let result = &failure.result;
    let mut lines = vec![
        messages::case_failed(&result.id, &result.title),
        messages::expected(&result.expected),
        messages::observed(&result.observed),
    ];
    if let Some(observations) = &result.outcome.observations {
        let drawn = pictures(observations, colour);
        if !drawn.is_empty() {
            lines.push(String::new());
            lines.push(messages::the_picture());
            lines.extend(drawn);
        }
        let counted = Telling {
            counted_reads: true,
            ..Telling::default()
        };
        // Each line cut to the terminal's width: a write of kilobytes is one long line.
        let mut told: Vec<String> = play_by_play(observations, &counted)
            .into_iter()
            .map(|line| cut(&line, WIDTH))
            .collect();
        if !told.is_empty() {
            lines.push(String::new());
            lines.push(messages::how_it_ended());
            let skip = told.len().saturating_sub(LAST_ACTS);
            if skip > 0 {
                lines.push(messages::earlier_acts(skip));
            }
            lines.extend(told.drain(skip..));
        }
    }
    if !failure.program.is_empty() {
        lines.push(String::new());
        lines.push(failure.program.clone());
    }
    lines.push(String::new());
    lines.push(messages::hint(&failure.hint));
    lines
}

/// The pictures of one client's writes and reads: the client the case was last about.
pub fn pictures(observations: &Observations, colour: bool) -> Vec<String> {
    let Some(actor) = observations
        .events
        .iter()
        .rev()
        .find(|event| {
            event.actor != SERVER && matches!(event.act, Act::Writes { .. } | Act::Reads { .. })
        })
        .map(|event| event.actor.clone())
    else {
        return Vec::new();
    };
    let framed = matches!(
        observations.protocol,
        Protocol::Framed | Protocol::Files | Protocol::Robot
    );
    let room = WIDTH - INDENT;
    let label = |bytes: &[u8]| format!("{} B", bytes.len());
    let name = |writes: bool| {
        let actor = actor.to_string();
        match (observations.protocol == Protocol::Chat, writes) {
            (true, true) => crate::t!("learn-member-writes", actor = actor),
            (true, false) => crate::t!("learn-member-reads", actor = actor),
            (false, true) => crate::t!("learn-client-writes", actor = actor),
            (false, false) => crate::t!("learn-client-reads", actor = actor),
        }
    };
    let mut lines = Vec::new();
    let indent = |line: String| format!("{}{line}", " ".repeat(INDENT));

    let writes = observations.writes(&actor);
    let written = writes.concat();
    if !written.is_empty() {
        let mut picture = Picture::new(&written);
        if framed {
            picture = picture.row(frame_row(&written));
        }
        picture = picture.row(Row::cut_by(
            &name(true),
            &writes,
            label,
            &messages::writes_note(writes.len()),
        ));
        let server_reads = observations.reads(SERVER);
        if server_reads.concat() == written {
            picture = picture.row(Row::cut_by(
                &messages::server_reads(),
                &server_reads,
                label,
                &messages::reads_note(server_reads.len()),
            ));
        }
        lines.extend(picture.render(colour, room).into_iter().map(indent));
    }
    let reads = observations.reads(&actor);
    let read = reads.concat();
    if !read.is_empty() {
        let mut picture = Picture::new(&read);
        if framed {
            picture = picture.row(frame_row(&read));
        }
        picture = picture.row(Row::cut_by(
            &name(false),
            &reads,
            label,
            &messages::reads_note(reads.len()),
        ));
        lines.extend(picture.render(colour, room).into_iter().map(indent));
    }
    lines
}

/// The frames in `stream`, each as its three parts (the 4-byte length, the header, the body);
/// bytes beyond the last whole frame, one piece.
fn frame_row(stream: &[u8]) -> Row {
    let mut pieces = Vec::new();
    let mut whole = 0;
    for (length, header, body) in frame_parts(stream) {
        pieces.push(Piece::new(length, "len"));
        pieces.push(Piece::new(header, "header"));
        pieces.push(Piece::new(
            body,
            show(&stream[whole + length + header..][..body]),
        ));
        whole += length + header + body;
    }
    if whole < stream.len() {
        pieces.push(Piece::new(stream.len() - whole, "?"));
    }
    Row::new(&messages::frames(), pieces, "")
}

/// `line`, cut to at most `columns` display columns, with `…` where it was cut.
fn cut(line: &str, columns: usize) -> String {
    if crate::demo::display_width(line) <= columns {
        return line.to_string();
    }
    let mut kept = String::new();
    for c in line.chars() {
        if crate::demo::display_width(&kept) + 2 > columns {
            break;
        }
        kept.push(c);
    }
    kept.push('…');
    kept
}
