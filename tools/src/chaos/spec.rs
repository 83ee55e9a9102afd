//! The SPEC grammar of `chaos --up SPEC --down SPEC`: what to do to one direction of the stream.
//!
//! ```text
//! SPEC   := STEP ("," STEP)*
//! STEP   := "pass"                          leave the chunking as it comes
//!         | "split:" N ["@" MS]             each write leaves as pieces of N bytes, MS apart (5)
//!         | "split:random:" MIN "-" MAX ["@" MS]   pieces of MIN..=MAX bytes, cut by --seed
//!         | "split:" ... "@read"            ... each piece sent once the receiver has read the
//!                                           last (on this machine, Linux: every piece is one read)
//!         | "merge:" MS                     hold what arrives for MS, then write it as one piece
//!         | "delay:" MS                     hold each write MS before it goes on
//!         | "rate:" KBPS                    at most KBPS KiB per second
//!         | "close-after:" BYTES            after BYTES bytes, close both sides (FIN)
//!         | "reset-after:" BYTES            after BYTES bytes, reset both sides (RST)
//! ```
//!
//! A SPEC has at most one way of chunking (`pass`, `split`, `merge`), at most one of each other
//! step, and at most one ending (`close-after` or `reset-after`). It is parsed once, when the
//! command line is read, and every mistake is a sentence that says what was expected.

use std::fmt;
use std::time::Duration;

/// How long `split` pauses between pieces unless told (`split:N@MS`): long enough that the
/// receiver's kernel hands the pieces to its reader one by one, short enough not to be noticed.
pub const DEFAULT_SPLIT_PAUSE: Duration = Duration::from_millis(5);

/// Everything one direction of a proxied connection does to the bytes' chunking.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Spec {
    pub chunking: Rechunk,
    /// Each batch of bytes waits this long before it is written.
    pub delay: Option<Duration>,
    /// At most this many bytes per second.
    pub rate: Option<u64>,
    /// After this many bytes have gone through, end the pair.
    pub end: Option<(u64, Ending)>,
    /// (`split:…@read`) Each piece waits until the receiver has read the one before, instead of
    /// a pause: on this machine the kernel says when (`probe::wait_until_read`), so every piece
    /// reaches the receiver's program as a read of its own, however loaded the machine is.
    pub until_read: bool,
}

/// How the bytes are grouped into writes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Rechunk {
    /// Each read is written as it came: the chunking the sender's kernel made is kept.
    #[default]
    Pass,
    /// Each read is cut into pieces, written separately with a pause between them.
    Split { cut: Cut, pause: Duration },
    /// Reads within this window (from the first byte after the last write) become one write.
    Merge(Duration),
}

/// Where `split` cuts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Pieces of this many bytes.
    Fixed(usize),
    /// Pieces of `min..=max` bytes, drawn from the connection's seed.
    Random { min: usize, max: usize },
}

/// How a pair ends when its byte budget is spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Both sides get a FIN: their reads return 0 bytes.
    Close,
    /// Both sides get a RST: their next read or write fails with "connection reset".
    Reset,
}

impl Spec {
    /// Parses a SPEC (see the module's grammar).
    pub fn parse(text: &str) -> Result<Spec, String> {
        let mut spec = Spec::default();
        let mut chunking_given: Option<&str> = None;
        if text.trim().is_empty() {
            return Err(crate::t!("chaos-spec-empty"));
        }
        for step in text.split(',') {
            let step = step.trim();
            let (name, value) = step.split_once(':').unwrap_or((step, ""));
            let once = |given: bool| {
                if given {
                    Err(crate::t!(
                        "chaos-spec-twice",
                        name = name,
                        text = format!("{text:?}")
                    ))
                } else {
                    Ok(())
                }
            };
            match name {
                "pass" | "split" | "merge" => {
                    if let Some(first) = chunking_given {
                        return Err(crate::t!(
                            "chaos-spec-two-chunkings",
                            first = first,
                            step = step,
                            text = format!("{text:?}")
                        ));
                    }
                    chunking_given = Some(step);
                    spec.chunking = match name {
                        "pass" if value.is_empty() => Rechunk::Pass,
                        "pass" => {
                            return Err(crate::t!(
                                "chaos-spec-pass-value",
                                step = format!("{step:?}")
                            ));
                        }
                        "split" => {
                            let (chunking, until_read) = parse_split(value)?;
                            spec.until_read = until_read;
                            chunking
                        }
                        _ => Rechunk::Merge(millis(value, &crate::t!("chaos-spec-usage-merge"))?),
                    };
                }
                "delay" => {
                    once(spec.delay.is_some())?;
                    spec.delay = Some(millis_or_zero(value, &crate::t!("chaos-spec-usage-delay"))?);
                }
                "rate" => {
                    once(spec.rate.is_some())?;
                    let kib = positive(value, &crate::t!("chaos-spec-usage-rate"))?;
                    spec.rate = Some(kib.saturating_mul(1024) as u64);
                }
                "close-after" | "reset-after" => {
                    if let Some((_, ending)) = spec.end {
                        let first = if ending == Ending::Close {
                            "close-after"
                        } else {
                            "reset-after"
                        };
                        return Err(crate::t!(
                            "chaos-spec-two-endings",
                            first = first,
                            name = name,
                            text = format!("{text:?}")
                        ));
                    }
                    let bytes: u64 = value.parse().map_err(|_| {
                        crate::t!(
                            "chaos-spec-usage-ending",
                            name = name,
                            value = format!("{value:?}")
                        )
                    })?;
                    let ending = if name == "close-after" {
                        Ending::Close
                    } else {
                        Ending::Reset
                    };
                    spec.end = Some((bytes, ending));
                }
                _ => {
                    return Err(crate::t!("chaos-spec-unknown", step = format!("{step:?}")));
                }
            }
        }
        Ok(spec)
    }

    /// Whether this direction needs the random cut (and so a seed).
    pub fn is_random(&self) -> bool {
        matches!(
            self.chunking,
            Rechunk::Split {
                cut: Cut::Random { .. },
                ..
            }
        )
    }
}

/// A `split` step, and whether its pieces wait for the receiver to read (`@read`).
fn parse_split(value: &str) -> Result<(Rechunk, bool), String> {
    let until_read = value.ends_with("@read");
    let (cut, pause) = match value.split_once('@') {
        Some((cut, _)) if until_read => (cut, Duration::ZERO),
        Some((cut, pause)) => (
            cut,
            millis_or_zero(pause, &crate::t!("chaos-spec-usage-pause"))?,
        ),
        None => (value, DEFAULT_SPLIT_PAUSE),
    };
    let cut = match cut.strip_prefix("random:") {
        Some(range) => {
            let usage = crate::t!("chaos-spec-usage-random");
            let (min, max) = range.split_once('-').ok_or_else(|| got(&usage, range))?;
            let min = positive(min, &usage)?;
            let max = positive(max, &usage)?;
            if min > max {
                return Err(crate::t!(
                    "chaos-spec-min-above-max",
                    min = min.to_string(),
                    max = max.to_string(),
                    usage = usage
                ));
            }
            Cut::Random { min, max }
        }
        None => Cut::Fixed(positive(cut, &crate::t!("chaos-spec-usage-split"))?),
    };
    Ok((Rechunk::Split { cut, pause }, until_read))
}

/// A whole number of at least 1.
fn positive(value: &str, usage: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(0) => Err(crate::t!("chaos-spec-got", usage = usage, value = "0")),
        Ok(n) => Ok(n),
        Err(_) => Err(got(usage, value)),
    }
}

/// What a step is for (`usage`), and the value it was given instead.
fn got(usage: &str, value: &str) -> String {
    crate::t!(
        "chaos-spec-got",
        usage = usage,
        value = format!("{value:?}")
    )
}

/// Milliseconds, at least 1 (`10` or `10ms`).
fn millis(value: &str, usage: &str) -> Result<Duration, String> {
    let n = positive(value.strip_suffix("ms").unwrap_or(value), usage)?;
    Ok(Duration::from_millis(n as u64))
}

/// Milliseconds, 0 allowed (`0`, `10` or `10ms`).
fn millis_or_zero(value: &str, usage: &str) -> Result<Duration, String> {
    let digits = value.strip_suffix("ms").unwrap_or(value);
    digits
        .parse::<u64>()
        .map(Duration::from_millis)
        .map_err(|_| got(usage, value))
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut steps = Vec::new();
        match self.chunking {
            Rechunk::Pass => {}
            Rechunk::Split { cut, pause } => {
                let cut = match cut {
                    Cut::Fixed(n) => n.to_string(),
                    Cut::Random { min, max } => format!("random:{min}-{max}"),
                };
                if self.until_read {
                    steps.push(format!("split:{cut}@read"));
                } else {
                    steps.push(format!("split:{cut}@{}", pause.as_millis()));
                }
            }
            Rechunk::Merge(window) => steps.push(format!("merge:{}", window.as_millis())),
        }
        if let Some(delay) = self.delay {
            steps.push(format!("delay:{}", delay.as_millis()));
        }
        if let Some(rate) = self.rate {
            steps.push(format!("rate:{}", rate / 1024));
        }
        match self.end {
            Some((bytes, Ending::Close)) => steps.push(format!("close-after:{bytes}")),
            Some((bytes, Ending::Reset)) => steps.push(format!("reset-after:{bytes}")),
            None => {}
        }
        if steps.is_empty() {
            f.write_str("pass")
        } else {
            f.write_str(&steps.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn each_step_parses_to_what_it_says() {
        let split = |cut, pause| Rechunk::Split { cut, pause };
        assert_eq!(Spec::parse("pass").unwrap(), Spec::default());
        assert_eq!(
            Spec::parse("split:7").unwrap().chunking,
            split(Cut::Fixed(7), DEFAULT_SPLIT_PAUSE)
        );
        assert_eq!(
            Spec::parse("split:7@20").unwrap().chunking,
            split(Cut::Fixed(7), ms(20))
        );
        assert_eq!(
            Spec::parse("split:random:1-8@0ms").unwrap().chunking,
            split(Cut::Random { min: 1, max: 8 }, ms(0))
        );
        assert_eq!(
            Spec::parse("merge:50").unwrap().chunking,
            Rechunk::Merge(ms(50))
        );
        let all = Spec::parse("merge:50, delay:10, rate:2, reset-after:100").unwrap();
        assert_eq!(all.delay, Some(ms(10)));
        assert_eq!(all.rate, Some(2048));
        assert_eq!(all.end, Some((100, Ending::Reset)));
        assert_eq!(
            Spec::parse("close-after:0").unwrap().end,
            Some((0, Ending::Close))
        );
    }

    #[test]
    fn a_spec_prints_as_it_parses() {
        for text in [
            "pass",
            "split:7@5",
            "split:random:2-9@0",
            "split:random:1-3@read",
            "merge:50,delay:3,rate:64,close-after:9",
        ] {
            assert_eq!(Spec::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn mistakes_are_sentences() {
        let error = |text: &str| Spec::parse(text).unwrap_err();
        assert_eq!(
            error("split:0"),
            "split:N cuts every write into pieces of N bytes, and N must be at least 1, as in \
             split:7; got 0"
        );
        assert!(error("split:x").contains("got \"x\""));
        assert!(error("split:random:9-2").contains("MIN above MAX"));
        assert!(error("split:random:3").contains("MIN to MAX"));
        assert!(error("merge:0").contains("merge:MS"));
        assert!(error("merge:50,split:3").contains("both decide the chunking"));
        assert!(error("close-after:1,reset-after:2").contains("both end the connection"));
        assert!(error("delay:1,delay:2").contains("given twice"));
        assert!(error("slice:3").starts_with("unknown step \"slice:3\""));
        assert!(error("").contains("empty"));
        assert!(error("rate:0").contains("at least 1"));
        assert!(error("pass:1").contains("no value"));
    }
}
