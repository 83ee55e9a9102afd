//! Ways to cut a byte stream into pieces: how a probe makes sticky and split packets on cue.
//!
//! TCP decides for itself how the bytes of a stream are grouped into reads; on loopback one write
//! usually arrives as one read, which hides both kinds of sticky packet. A probe that writes the
//! same bytes as one piece, as many fixed-size pieces, one byte at a time, cut at chosen offsets
//! or cut at random (with a seed, so a failing cut can be replayed) shows what a reader really
//! does with each. [`ChunkedReader`] plays the same cuts back as reads, for tests without sockets.

use std::io::{self, Read, Write};

/// How to cut a byte string into pieces. Every way keeps every byte, in order; only the places
/// where one piece ends and the next begins differ. No piece is empty (except the one piece of
/// an empty string under [`Chunking::Whole`], which is no piece at all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunking {
    /// All of it in one piece.
    Whole,
    /// Pieces of this many bytes (the last may be shorter). `Fixed(0)` is taken as `Fixed(1)`.
    Fixed(usize),
    /// One byte per piece: the most a sender can split a message.
    ByteByByte,
    /// Cut at these offsets (in any order; duplicates, 0 and offsets past the end are ignored).
    At(Vec<usize>),
    /// Pieces of random length between `min` and `max` bytes (inclusive), the same cuts for the
    /// same seed on every machine.
    Random { seed: u64, min: usize, max: usize },
}

impl Chunking {
    /// The pieces of `bytes`, in order.
    pub fn cut<'a>(&self, bytes: &'a [u8]) -> Vec<&'a [u8]> {
        let ends = self.ends(bytes.len());
        let mut pieces = Vec::with_capacity(ends.len());
        let mut start = 0;
        for end in ends {
            pieces.push(&bytes[start..end]);
            start = end;
        }
        pieces
    }

    /// Where each piece ends, for a stream of `len` bytes: strictly increasing, the last is `len`.
    fn ends(&self, len: usize) -> Vec<usize> {
        let fixed = |size: usize| {
            (1..=len.div_ceil(size))
                .map(|i| (i * size).min(len))
                .collect()
        };
        match self {
            Chunking::Whole if len == 0 => Vec::new(),
            Chunking::Whole => vec![len],
            Chunking::Fixed(size) => fixed((*size).max(1)),
            Chunking::ByteByByte => fixed(1),
            Chunking::At(offsets) => {
                let mut ends: Vec<usize> = offsets
                    .iter()
                    .copied()
                    .filter(|&at| at > 0 && at < len)
                    .collect();
                ends.sort_unstable();
                ends.dedup();
                if len > 0 {
                    ends.push(len);
                }
                ends
            }
            Chunking::Random { seed, min, max } => {
                let min = (*min).max(1);
                let max = (*max).max(min);
                let mut random = SplitMix64::new(*seed);
                let mut ends = Vec::new();
                let mut at = 0;
                while at < len {
                    let size = min + random.below((max - min + 1) as u64) as usize;
                    at = (at + size).min(len);
                    ends.push(at);
                }
                ends
            }
        }
    }
}

/// Writes `bytes` as the pieces of `chunking`, one `write_all` per piece, and returns how many
/// writes that took. On a TCP stream, switch Nagle's algorithm off first (`set_nodelay(true)`),
/// or the kernel may glue the pieces back together before they leave.
pub fn write_chunked(w: &mut impl Write, bytes: &[u8], chunking: &Chunking) -> io::Result<usize> {
    let pieces = chunking.cut(bytes);
    for piece in &pieces {
        w.write_all(piece)?;
        w.flush()?;
    }
    Ok(pieces.len())
}

/// A reader that returns the pieces of a byte string, at most one piece per `read`: the cuts a
/// network might make, played back without a network.
pub struct ChunkedReader {
    bytes: Vec<u8>,
    ends: std::vec::IntoIter<usize>,
    pos: usize,
    /// Where the current piece ends.
    end: usize,
}

impl ChunkedReader {
    pub fn new(bytes: Vec<u8>, chunking: &Chunking) -> ChunkedReader {
        let ends = chunking.ends(bytes.len()).into_iter();
        ChunkedReader {
            bytes,
            ends,
            pos: 0,
            end: 0,
        }
    }
}

impl Read for ChunkedReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.end {
            match self.ends.next() {
                Some(end) => self.end = end,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.end - self.pos);
        buf[..n].copy_from_slice(&self.bytes[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A tiny, well-known pseudo-random generator (SplitMix64, by Sebastiano Vigna). Written out
/// here rather than taken from a crate because a seed must give the same cuts on every machine
/// and every version of this project: a test, a demo or an instructor replays a cut by its seed.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0). The modulo bias is far below anything a test could notice.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(chunking: Chunking, len: usize) -> Vec<usize> {
        let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
        let pieces = chunking.cut(&bytes);
        assert_eq!(pieces.concat(), bytes, "{chunking:?} lost or moved bytes");
        assert!(
            pieces.iter().all(|p| !p.is_empty()),
            "{chunking:?} made an empty piece"
        );
        pieces.iter().map(|p| p.len()).collect()
    }

    #[test]
    fn each_way_cuts_where_it_says() {
        assert_eq!(sizes(Chunking::Whole, 5), [5]);
        assert_eq!(sizes(Chunking::Whole, 0), [0usize; 0]);
        assert_eq!(sizes(Chunking::Fixed(2), 5), [2, 2, 1]);
        assert_eq!(sizes(Chunking::Fixed(0), 2), [1, 1]);
        assert_eq!(sizes(Chunking::ByteByByte, 3), [1, 1, 1]);
        assert_eq!(sizes(Chunking::At(vec![4, 1, 1, 0, 99]), 6), [1, 3, 2]);
        let random = sizes(
            Chunking::Random {
                seed: 7,
                min: 2,
                max: 4,
            },
            100,
        );
        assert!(
            random[..random.len() - 1]
                .iter()
                .all(|&n| (2..=4).contains(&n))
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_cuts() {
        let cut = |seed| {
            sizes(
                Chunking::Random {
                    seed,
                    min: 1,
                    max: 9,
                },
                200,
            )
        };
        assert_eq!(cut(1), cut(1));
        assert_ne!(cut(1), cut(2));
        // Pinned: a seed must replay the same cut in every version of the project.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn the_reader_returns_one_piece_per_read_at_most() {
        let mut reader = ChunkedReader::new(b"abcdefg".to_vec(), &Chunking::Fixed(3));
        let mut buf = [0u8; 10];
        let mut reads = Vec::new();
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            reads.push(buf[..n].to_vec());
        }
        assert_eq!(reads, [b"abc".to_vec(), b"def".to_vec(), b"g".to_vec()]);
        // A small buffer takes a piece in several reads, never more than one piece in one.
        let mut reader = ChunkedReader::new(b"abcd".to_vec(), &Chunking::Fixed(3));
        let mut two = [0u8; 2];
        assert_eq!(reader.read(&mut two).unwrap(), 2);
        assert_eq!(reader.read(&mut two).unwrap(), 1);
        assert_eq!(reader.read(&mut two).unwrap(), 1);
    }

    #[test]
    fn write_chunked_counts_its_writes() {
        let mut out = Vec::new();
        assert_eq!(
            write_chunked(&mut out, b"hello", &Chunking::Fixed(2)).unwrap(),
            3
        );
        assert_eq!(out, b"hello");
    }
}
