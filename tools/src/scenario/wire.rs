//! What the protocols put on the wire, as the experiments need it: the request that carries a
//! text and the reply the protocol promises for it, a command in a frame or bare, a frame built
//! by hand; and how bytes and waits are said in one line.

use std::time::Duration;

use socket_lessons::escape::peer_text;

use crate::said::Said;
use socket_lessons::frame;

use super::Protocol;

/// Python's `bytes.upper()`: the echo rule.
pub fn upper(bytes: &[u8]) -> Vec<u8> {
    bytes.to_ascii_uppercase()
}

/// The request that carries `text` in `protocol`, and the reply the protocol promises for it.
/// In the command protocols `text` travels as `echo TEXT` (single spaces, so the reply is TEXT).
pub fn request_and_reply(protocol: Protocol, text: &[u8]) -> (Vec<u8>, Vec<u8>) {
    match protocol {
        Protocol::Echo | Protocol::Udp | Protocol::Chat => (text.to_vec(), upper(text)),
        Protocol::Rfc862 => (text.to_vec(), text.to_vec()),
        // (The file transfer and the robot have no echo: their cases build their own frames.)
        Protocol::Commands | Protocol::Framed | Protocol::Files | Protocol::Robot => {
            let mut command = b"echo ".to_vec();
            command.extend_from_slice(text);
            let mut reply = text.to_vec();
            reply.push(b'\n');
            (wrap(protocol, &command), reply)
        }
    }
}

/// A command as `protocol` sends it: bare, or in a frame.
pub fn wrap(protocol: Protocol, command: &[u8]) -> Vec<u8> {
    match protocol {
        Protocol::Framed | Protocol::Files | Protocol::Robot => {
            let mut bytes = Vec::new();
            frame::write_frame(&mut bytes, command).expect("writing to a Vec cannot fail");
            bytes
        }
        _ => command.to_vec(),
    }
}

/// A frame built by hand: u32 big-endian header length, header, body.
pub fn raw_frame(header: &[u8], body: &[u8]) -> Vec<u8> {
    let mut bytes = u32::try_from(header.len())
        .unwrap_or(u32::MAX)
        .to_be_bytes()
        .to_vec();
    bytes.extend_from_slice(header);
    bytes.extend_from_slice(body);
    bytes
}

/// What `seq n` prints: `1\n2\n…n\n`.
pub fn seq_output(n: u64) -> Vec<u8> {
    (1..=n)
        .flat_map(|i| format!("{i}\n").into_bytes())
        .collect()
}

/// `len` bytes of `pattern`, over and over: a long message whose every byte is known.
pub fn repeated(pattern: &[u8], len: usize) -> Vec<u8> {
    pattern.iter().copied().cycle().take(len).collect()
}

/// A wait as a report says it: `10 s`, `0.3 s`.
pub fn secs(wait: Duration) -> String {
    let text = format!("{:.1}", wait.as_secs_f64());
    text.strip_suffix(".0").map_or(text.clone(), str::to_string)
}

/// Peer bytes as one short, safe line, in both languages: the bytes are the same in each, but
/// the tail of a value cut short says its length in each (`… (126 bytes)`, `…（126 字节）`).
pub fn shown(bytes: &[u8]) -> Said {
    Said::from(peer_text(bytes).cut_at(60))
}
