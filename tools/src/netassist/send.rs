//! What `netassist` sends: the lines of standard input, or one fixed payload (`--send TEXT`,
//! `--send-hex "48 65 6c"`, `--file PATH`), each sent `--repeat N` times, `--interval MS` apart
//! (the assistant's timed repeat send, 定时发送).

use std::io::{self, BufRead};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use socket_lessons::shutdown::ShutdownSignal;

/// The bytes of `--send-hex`, parsed (a type of its own, so the command line takes it as one
/// value rather than a list of bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexBytes(pub Vec<u8>);

/// [`parse_hex`] for the command line.
pub fn parse_hex_arg(text: &str) -> Result<HexBytes, String> {
    parse_hex(text).map(HexBytes)
}

/// Parses `--send-hex`: pairs of hex digits, with or without spaces, commas, colons or `0x`
/// between them (`48 65 6c`, `48656c`, `0x48,0x65`).
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let mut digits = String::new();
    for word in text.split(|c: char| c.is_whitespace() || c == ',' || c == ':') {
        let word = word
            .strip_prefix("0x")
            .or_else(|| word.strip_prefix("0X"))
            .unwrap_or(word);
        if word.len() % 2 == 1 {
            return Err(crate::t!(
                "netassist-error-odd-hex",
                word = format!("{word:?}")
            ));
        }
        digits.push_str(word);
    }
    (0..digits.len())
        .step_by(2)
        .map(|i| {
            let pair = digits.get(i..i + 2).unwrap_or("");
            u8::from_str_radix(pair, 16)
                .map_err(|_| crate::t!("netassist-error-not-hex", pair = format!("{pair:?}")))
        })
        .collect()
}

/// What to send and how.
#[derive(Debug)]
pub struct Sending {
    /// A fixed payload; `None`: the lines of standard input.
    pub payload: Option<Vec<u8>>,
    /// Put after each line of input (and after `--send TEXT`): `\n`, `\r\n` or nothing.
    pub line_end: &'static [u8],
    pub repeat: u64,
    pub interval: Duration,
    /// Held while one message is sent and shown, so that the counters, printed under it, never
    /// miss a message that has left but is not shown yet.
    pub in_flight: Mutex<()>,
}

impl Sending {
    pub fn new(
        payload: Option<Vec<u8>>,
        line_end: &'static [u8],
        repeat: u64,
        interval: Duration,
    ) -> Sending {
        Sending {
            payload,
            line_end,
            repeat,
            interval,
            in_flight: Mutex::new(()),
        }
    }

    /// Waits until no message is half-way between sent and shown, and keeps the next one from
    /// starting while the guard lives: take it to print the counters.
    pub fn hold(&self) -> MutexGuard<'_, ()> {
        self.in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Calls `send` with every message, in order, pausing `interval` between repeats. Stops
    /// early (returning `false`) when shutdown comes or `send` says so; `true` when the input
    /// ran out.
    pub fn run(
        &self,
        input: &mut dyn BufRead,
        shutdown: &ShutdownSignal,
        mut send: impl FnMut(&[u8]) -> bool,
    ) -> io::Result<bool> {
        let mut send_repeated = |message: &[u8]| -> bool {
            for i in 0..self.repeat {
                // The interval is between the repeats of one message; lines go as they come.
                if i > 0 && shutdown.wait_timeout(self.interval) {
                    return false;
                }
                let _sending = self.hold();
                if shutdown.is_triggered() || !send(message) {
                    return false;
                }
            }
            true
        };
        if let Some(payload) = &self.payload {
            return Ok(send_repeated(payload));
        }
        let mut line = Vec::new();
        loop {
            line.clear();
            if input.read_until(b'\n', &mut line)? == 0 {
                return Ok(true);
            }
            // The line without its own ending, then the ending asked for.
            if line.last() == Some(&b'\n') {
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
            }
            line.extend_from_slice(self.line_end);
            // An empty line with --no-newline is no bytes at all: nothing to send.
            if !line.is_empty() && !send_repeated(&line) {
                return Ok(false);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_read_in_the_usual_spellings() {
        assert_eq!(parse_hex("48 65 6c").unwrap(), b"Hel");
        assert_eq!(parse_hex("48656C").unwrap(), b"Hel");
        assert_eq!(parse_hex("0x48,0x65:6c\n").unwrap(), b"Hel");
        assert_eq!(parse_hex("").unwrap(), b"");
        assert!(parse_hex("4 8").unwrap_err().contains("odd number"));
        assert!(parse_hex("zz").unwrap_err().contains("not a hex byte"));
    }

    #[test]
    fn lines_get_the_ending_asked_for_and_repeat() {
        let sending = Sending::new(None, b"\r\n", 2, Duration::ZERO);
        let mut sent = Vec::new();
        let ended = sending
            .run(&mut &b"a\nb\r\n\nc"[..], &ShutdownSignal::new(), |m| {
                sent.push(m.to_vec());
                true
            })
            .unwrap();
        assert!(ended);
        let expected: Vec<&[u8]> = vec![
            b"a\r\n", b"a\r\n", b"b\r\n", b"b\r\n", b"\r\n", b"\r\n", b"c\r\n", b"c\r\n",
        ];
        assert_eq!(sent, expected);
        let none = Sending::new(None, b"", 1, Duration::ZERO);
        let mut sent = Vec::new();
        none.run(&mut &b"x\n\ny\n"[..], &ShutdownSignal::new(), |m| {
            sent.push(m.to_vec());
            true
        })
        .unwrap();
        assert_eq!(sent, [b"x".to_vec(), b"y".to_vec()]);
    }
}
