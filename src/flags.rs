//! The kinds of value the course's flags take, each read in one place and each refused with one
//! sentence: a length of time, a size, a count, a folder, a socket's path. (An address,
//! `HOST:PORT`, is read by [`crate::endpoint::parse_addr`].)
//!
//! clap calls these parsers while it reads the command line, before a server binds anything or
//! a client connects. So a bad value is a usage error in clap's own words (folded to 80 columns
//! by the tools' command line), with exit status 2:
//!
//! ```text
//! error: invalid value 'abc' for '--idle <SECS>': expected a number of seconds
//!        from 0.001 to 86400, like 2 or 0.5
//! ```
//!
//! and the same kind of value gets the same sentence on every flag of every lesson. A flag whose
//! value may be negative-looking (`--timeout -1`) is declared with `allow_negative_numbers`, so
//! that clap hands `-1` to the parser here instead of taking it for a flag it does not know.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// The shortest length of time a flag accepts: one millisecond. Anything shorter would round to
/// nothing somewhere on the way to the socket, and "nothing" must never quietly mean "forever".
const SHORTEST: f64 = 0.001;
/// The longest: a day. Far beyond any lesson's need, and far from the overflow of a clock.
const LONGEST: f64 = 86_400.0;

/// A length of time given in seconds, fractions allowed: `2`, `0.5`. From 0.001 (a millisecond)
/// to 86400 (a day).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seconds(f64);

impl Seconds {
    /// The length of time, for a socket's timeout.
    pub fn duration(self) -> Duration {
        Duration::from_secs_f64(self.0)
    }
}

impl FromStr for Seconds {
    type Err = String;

    fn from_str(text: &str) -> Result<Seconds, String> {
        // One sentence for every bad value: `abc` (not a number), `0`, `-1`, `inf`, `NaN`, `1e-12`.
        text.parse::<f64>()
            .ok()
            .filter(|seconds| (SHORTEST..=LONGEST).contains(seconds))
            .map(Seconds)
            .ok_or_else(|| {
                crate::t!(
                    "value-seconds",
                    shortest = SHORTEST.to_string(),
                    longest = LONGEST.to_string()
                )
            })
    }
}

/// The shortest decimal number that reads back as the same value: `60`, `0.5`.
impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A length of time the program chose (a default), as seconds. Unlike a typed value, it is not
/// checked against the range: the program is trusted with its own constants.
impl From<Duration> for Seconds {
    fn from(duration: Duration) -> Seconds {
        Seconds(duration.as_secs_f64())
    }
}

impl From<Seconds> for Duration {
    fn from(seconds: Seconds) -> Duration {
        seconds.duration()
    }
}

/// A length of time in seconds as [`Seconds`], or `never`: a timeout that may be switched off.
///
/// `0` is not a way to say "never". Python's `settimeout(0)` makes a socket non-blocking, and
/// Rust's `set_read_timeout(Some(0))` is an error: a zero that meant "forever" here would teach
/// the opposite of both. So "never" is a word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SecondsOrNever {
    After(Seconds),
    Never,
}

impl SecondsOrNever {
    /// The timeout to give a socket: `None` waits forever.
    pub fn duration(self) -> Option<Duration> {
        match self {
            SecondsOrNever::After(seconds) => Some(seconds.duration()),
            SecondsOrNever::Never => None,
        }
    }
}

impl FromStr for SecondsOrNever {
    type Err = String;

    fn from_str(text: &str) -> Result<SecondsOrNever, String> {
        if text == "never" {
            return Ok(SecondsOrNever::Never);
        }
        text.parse()
            .map(SecondsOrNever::After)
            .map_err(|sentence| crate::t!("value-or-never", sentence = sentence))
    }
}

impl fmt::Display for SecondsOrNever {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecondsOrNever::After(seconds) => seconds.fmt(f),
            SecondsOrNever::Never => f.write_str("never"),
        }
    }
}

/// A number of bytes: `1048576`, `64K`, `512M`, `1G`. The units are binary (`1K` is 1024 bytes)
/// and may be written `KiB`, `MiB`, `GiB`, `TiB` too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size(pub u64);

/// The units a [`Size`] may carry, largest first: the letter, and how far to shift.
const UNITS: [(&str, u32); 4] = [("T", 40), ("G", 30), ("M", 20), ("K", 10)];

impl FromStr for Size {
    type Err = String;

    fn from_str(text: &str) -> Result<Size, String> {
        let refused = || crate::t!("value-size");
        let at = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (digits, unit) = text.split_at(at);
        let unit = unit.to_ascii_uppercase();
        let unit = unit.strip_suffix("IB").unwrap_or(&unit);
        let shift = match unit {
            "" | "B" => 0,
            letter => UNITS
                .iter()
                .find(|(name, _)| *name == letter)
                .map(|&(_, shift)| shift)
                .ok_or_else(refused)?,
        };
        let number: u64 = digits.parse().map_err(|_| refused())?;
        number.checked_mul(1 << shift).map(Size).ok_or_else(refused)
    }
}

/// The largest unit that divides the size exactly: `1G`, `1536K`, `100`.
impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Size(bytes) = *self;
        match UNITS
            .iter()
            .find(|&&(_, shift)| bytes != 0 && bytes % (1 << shift) == 0)
        {
            Some((unit, shift)) => write!(f, "{}{unit}", bytes >> shift),
            None => write!(f, "{bytes}"),
        }
    }
}

/// A whole number from `MIN` to `MAX`, as a `T` (a `usize` of clients, an `i32` backlog): for
/// clap's `value_parser = flags::count::<usize, 1, 1000000>`.
pub fn count<T: TryFrom<u64>, const MIN: u64, const MAX: u64>(text: &str) -> Result<T, String> {
    text.parse::<u64>()
        .ok()
        .filter(|n| (MIN..=MAX).contains(n))
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| crate::t!("value-count", min = MIN.to_string(), max = MAX.to_string()))
}

/// A path to a folder, which need not exist yet (it is made when the server starts). Something
/// else at that path, a regular file say, is refused by name.
pub fn folder(text: &str) -> Result<PathBuf, String> {
    let path = path(text)?;
    match std::fs::metadata(&path) {
        Ok(found) if !found.is_dir() => Err(crate::t!(
            "value-folder-but",
            kind = file_kind(&found).to_string()
        )),
        _ => Ok(path),
    }
}

/// The longest path a Unix domain socket can have: its address (`sun_path`) holds 108 bytes on
/// Linux, the last of them the terminating NUL (104 on the BSDs and macOS, where the system
/// itself refuses longer ones).
pub const SOCKET_PATH_MAX: usize = 107;

/// A path for a Unix domain socket (`--unix PATH`): not empty, and short enough to be one.
pub fn socket_path(text: &str) -> Result<PathBuf, String> {
    if text.len() > SOCKET_PATH_MAX {
        return Err(crate::t!(
            "value-socket-path-too-long",
            max = SOCKET_PATH_MAX.to_string(),
            length = text.len().to_string()
        ));
    }
    path(text)
}

/// Any path: not empty.
fn path(text: &str) -> Result<PathBuf, String> {
    if text.is_empty() {
        Err(crate::t!("value-path-empty"))
    } else {
        Ok(PathBuf::from(text))
    }
}

/// What kind of thing is at a path. Said in words (`a regular file`, `a folder`, `a FIFO (named
/// pipe)`, in the process's language) by `Display`, for sentences that must say what is in the
/// way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Folder,
    RegularFile,
    SymbolicLink,
    Socket,
    Fifo,
    Device,
    Other,
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&match self {
            FileKind::Folder => crate::t!("kind-folder"),
            FileKind::RegularFile => crate::t!("kind-regular-file"),
            FileKind::SymbolicLink => crate::t!("kind-symbolic-link"),
            FileKind::Socket => crate::t!("kind-socket"),
            FileKind::Fifo => crate::t!("kind-fifo"),
            FileKind::Device => crate::t!("kind-device"),
            FileKind::Other => crate::t!("kind-other"),
        })
    }
}

/// What kind of thing `found` describes.
pub fn file_kind(found: &std::fs::Metadata) -> FileKind {
    let kind = found.file_type();
    if kind.is_dir() {
        return FileKind::Folder;
    }
    if kind.is_file() {
        return FileKind::RegularFile;
    }
    if kind.is_symlink() {
        return FileKind::SymbolicLink;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_socket() {
            return FileKind::Socket;
        }
        if kind.is_fifo() {
            return FileKind::Fifo;
        }
        if kind.is_block_device() || kind.is_char_device() {
            return FileKind::Device;
        }
    }
    FileKind::Other
}

/// What is at `path`, without following a symbolic link; `None` if nothing is.
pub fn what_is_at(path: &Path) -> Option<FileKind> {
    std::fs::symlink_metadata(path)
        .ok()
        .map(|found| file_kind(&found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_a_millisecond_to_a_day_and_nothing_else() {
        for good in ["2", "0.5", "0.001", "86400", "1e-3"] {
            assert!(good.parse::<Seconds>().is_ok(), "{good}");
        }
        let sentence = "expected a number of seconds from 0.001 to 86400, like 2 or 0.5";
        for bad in [
            "0",
            "-1",
            "abc",
            "",
            "inf",
            "NaN",
            "1e-10",
            "0.0000000001",
            "86401",
        ] {
            assert_eq!(bad.parse::<Seconds>(), Err(sentence.to_string()), "{bad}");
        }
        assert_eq!("0.5".parse::<Seconds>().unwrap().to_string(), "0.5");
        assert_eq!("60".parse::<Seconds>().unwrap().to_string(), "60");
        assert_eq!(
            "0.3".parse::<Seconds>().unwrap().duration(),
            Duration::from_millis(300)
        );
    }

    #[test]
    fn never_is_a_word_and_zero_is_refused() {
        assert_eq!("never".parse::<SecondsOrNever>().unwrap().duration(), None);
        assert_eq!(
            "2".parse::<SecondsOrNever>().unwrap().duration(),
            Some(Duration::from_secs(2))
        );
        for bad in ["0", "-1", "0.0000000001", "forever"] {
            assert_eq!(
                bad.parse::<SecondsOrNever>(),
                Err(
                    "expected a number of seconds from 0.001 to 86400, like 2 or 0.5, or never"
                        .to_string()
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn sizes_read_and_print_binary_units() {
        for (text, bytes) in [
            ("0", 0),
            ("100", 100),
            ("64K", 64 << 10),
            ("512m", 512 << 20),
            ("1G", 1 << 30),
            ("1GiB", 1 << 30),
            ("2T", 2 << 40),
        ] {
            assert_eq!(text.parse::<Size>(), Ok(Size(bytes)), "{text}");
        }
        for bad in ["1Q", "-1", "", "K", "1.5G", " 1G", "99999999999T"] {
            assert!(bad.parse::<Size>().is_err(), "{bad}");
        }
        assert_eq!(Size(1 << 30).to_string(), "1G");
        assert_eq!(Size(1536 << 10).to_string(), "1536K");
        assert_eq!(Size(100).to_string(), "100");
        assert_eq!(Size(0).to_string(), "0");
    }

    #[test]
    fn counts_say_their_range() {
        assert_eq!(count::<usize, 1, 10>("3"), Ok(3));
        for bad in ["0", "11", "-1", "x", "2.5"] {
            assert_eq!(
                count::<usize, 1, 10>(bad),
                Err("expected a whole number from 1 to 10".to_string())
            );
        }
        // A range wider than the type: the type's limit refuses with the same sentence.
        assert!(count::<u8, 0, 1000>("300").is_err());
    }

    #[test]
    fn a_folder_path_refuses_what_is_not_a_folder() {
        let here = std::env::temp_dir();
        assert_eq!(folder(here.to_str().unwrap()), Ok(here.clone()));
        assert!(folder("a/folder/that/does/not/exist/yet").is_ok());
        let file = here.join(format!("flags-test-{}", std::process::id()));
        std::fs::write(&file, b"x").unwrap();
        let refused = folder(file.to_str().unwrap());
        std::fs::remove_file(&file).unwrap();
        assert_eq!(
            refused,
            Err("expected a path to a folder (made if missing), but this is a regular file".into())
        );
        assert!(folder("").is_err());
    }

    #[test]
    fn a_socket_path_fits_a_socket_address() {
        assert!(socket_path("/tmp/l11.sock").is_ok());
        assert!(socket_path(&"x".repeat(SOCKET_PATH_MAX)).is_ok());
        assert!(socket_path(&"x".repeat(SOCKET_PATH_MAX + 1)).is_err());
        assert!(socket_path("").is_err());
    }
}
