//! What the file client needs besides its transfers (which are the lesson's: `get`, `put` and the
//! typed loop are in `src/lessons/file_transfer.rs`): its commands, given on the command line
//! (`lesson8 client get a.txt`) or typed (`get a.txt`); where a download goes and what an upload
//! is called; the progress bar; `list`; and what it prints.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use indicatif::{HumanBytes, ProgressBar, ProgressStyle};
use unicode_width::UnicodeWidthStr;

use super::protocol::{Listed, read_reply, request};
use super::{FileError, MAX_NAME_BYTES, Refused};
use crate::escape::peer_text;
use crate::frame::{self, BodyReader, Header, Limits, Md5Check};

/// The client's commands.
#[derive(Debug, Clone, PartialEq, Eq, clap::Subcommand)]
pub enum FileCommand {
    /// Download the file NAME from the server (the md5 is checked before it gets its name)
    Get {
        name: String,
        /// Where to write it (default: NAME's last part, in the current folder)
        #[arg(short = 'o', long = "output", value_name = "PATH")]
        output: Option<PathBuf>,
        /// Replace a local file of that name
        #[arg(long)]
        force: bool,
    },
    /// Upload the file at PATH (under its own file name, or --as NAME)
    Put {
        path: PathBuf,
        /// The name to store it under on the server
        #[arg(long = "as", value_name = "NAME")]
        name: Option<String>,
        /// Replace a file of that name on the server
        #[arg(long)]
        force: bool,
    },
    /// List the files the server serves, with their sizes
    List,
}

/// What a typed line that is not a command gets: the commands, whose words are the same in every
/// language, in a sentence of the process's language.
pub fn typed_usage() -> String {
    crate::t!("files-typed-usage")
}

impl FileCommand {
    /// A typed line: `get NAME`, `put PATH` or `list`; `None` for anything else. Everything after
    /// the first space is the name, spaces included. (`q` is the typed loop's to see.)
    pub fn from_line(line: &[u8]) -> Option<FileCommand> {
        let line = std::str::from_utf8(line).ok()?.trim();
        let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        match (verb, rest.is_empty()) {
            ("list", true) => Some(FileCommand::List),
            ("get", false) => Some(FileCommand::Get {
                name: rest.to_string(),
                output: None,
                force: false,
            }),
            ("put", false) => Some(FileCommand::Put {
                path: rest.into(),
                name: None,
                force: false,
            }),
            _ => None,
        }
    }
}

/// A progress bar for `total` bytes of `name` on stderr, saying what is `doing` with them (`md5`,
/// `put`, `get`): bytes so far, rate and time left, on one line that fits in 80 columns. Hidden
/// when stderr is not a terminal, so scripts and logs get no bar.
pub fn progress(total: u64, name: &str, doing: &'static str) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    labelled(ProgressBar::new(total), name, doing)
}

/// How much of a name the bar shows, in characters; a longer one is cut, with a `…`.
const BAR_NAME: usize = 10;

/// The bar's layout: `put "big.bin"      [=======>       ]  476.84 MiB/1.00 GiB   112.45 MiB/s   5s`.
/// Every field has a fixed width (the widest values: `1023.99 MiB` for a size, `1023.99 MiB/s`
/// for a rate, `59m` or `23h` for the time left), so the line is 79 columns whatever the numbers:
/// a terminal of 80 never wraps it (a wrapped bar is redrawn one line lower each time, a ladder
/// down the screen).
fn labelled(bar: ProgressBar, name: &str, doing: &'static str) -> ProgressBar {
    let style = ProgressStyle::with_template(
        "{prefix:3} {msg:14!} [{bar:15}] {bytes:>11}/{total_bytes:<11} {bytes_per_sec:>13} {eta:>4}",
    )
    .expect("the template is valid")
    .progress_chars("=> ");
    let shown = match name.char_indices().nth(BAR_NAME) {
        None => peer_text(name).to_string(),
        Some((cut, _)) => format!("{}…", peer_text(&name[..cut])),
    };
    bar.with_style(style).with_prefix(doing).with_message(shown)
}

/// Where `get NAME` writes: `-o PATH`, or NAME's last part here. Refuses a file already there
/// unless `force`.
pub fn download_path(name: &str, output: Option<PathBuf>, force: bool) -> Result<PathBuf, Refused> {
    let path = match output {
        Some(path) => path,
        None => Path::new(name)
            .file_name()
            .map(PathBuf::from)
            .ok_or_else(|| Refused::NamesNoFile {
                name: format!("{name:?}"),
            })?,
    };
    // Checked before anything is asked: the download is written under a longer, temporary name.
    let length = path.file_name().map_or(0, |name| name.len());
    if length > MAX_NAME_BYTES {
        return Err(Refused::DownloadNameTooLong {
            path: path.display().to_string(),
            bytes: length,
        });
    }
    if !force && std::fs::symlink_metadata(&path).is_ok() {
        // (Typed lines take no flags, so the refusal says what works in both modes.)
        return Err(Refused::ExistsHere {
            path: path.display().to_string(),
        });
    }
    Ok(path)
}

/// The name `put PATH` stores a file under: `--as NAME`, or PATH's file name.
pub fn upload_name(path: &Path, name: Option<String>) -> Result<String, Refused> {
    match name {
        Some(name) => Ok(name),
        None => path
            .file_name()
            .and_then(|name| name.to_str())
            .map(str::to_string)
            .ok_or_else(|| Refused::PathNamesNoFile {
                path: path.display().to_string(),
            }),
    }
}

/// A size as a person reads it: bytes up to 1023 (`6 bytes`, `6 字节`), then binary units with
/// two decimals (`1.50 KiB`, `476.84 MiB`, `1.00 GiB`, the same in every language), as the
/// progress bar shows them.
pub fn human_size(bytes: u64) -> String {
    match bytes {
        0..1024 => crate::t!("files-size-bytes", count = bytes),
        _ => HumanBytes(bytes).to_string(),
    }
}

/// What `get` prints when the file has its name.
pub fn say_got(output: &mut dyn Write, reply: &Header, to: &Path) -> io::Result<()> {
    let said = crate::t!(
        "files-got",
        name = peer_text(reply.get_str("filename").unwrap_or("?")).to_string(),
        size = human_size(reply.total_size),
        md5 = peer_text(reply.md5.as_deref().unwrap_or("?")).to_string(),
        path = to.display().to_string()
    );
    writeln!(output, "{said}")
}

/// What `put` prints once the server has stored the file.
pub fn say_stored(output: &mut dyn Write, request: &Header, name: &str) -> io::Result<()> {
    let said = crate::t!(
        "files-stored",
        name = name,
        size = human_size(request.total_size),
        md5 = request.md5.as_deref().unwrap_or("?")
    );
    writeln!(output, "{said}")
}

/// `list`: asks, and prints one `SIZE  NAME` line per file (the size for a person: the exact
/// count is in the listing's JSON).
pub fn list(phone: &mut (impl Read + Write), output: &mut dyn Write) -> Result<(), FileError> {
    frame::write_frame_with(phone, &request("list", ""), b"")?;
    let reply = read_reply(phone)?;
    Limits::REPLY.check_body_len(reply.total_size)?;
    let mut body = Vec::new();
    let mut reader = BodyReader::new(&mut *phone, &reply);
    io::copy(&mut reader, &mut body)?;
    if let Md5Check::Mismatch { .. } = reader.finish()? {
        return Err(Refused::ListingDamaged.into());
    }
    let listed: Vec<Listed> = serde_json::from_slice(&body)
        .map_err(|e| Refused::ListingNotJson { why: e.to_string() })?;
    if listed.is_empty() {
        writeln!(output, "{}", crate::t!("files-no-files"))?;
    }
    for file in listed {
        // Right-aligned in 11 columns: counted as the terminal shows them, not as characters
        // (`{:>11}` counts characters, and a Chinese one takes two columns).
        let size = human_size(file.size);
        let pad = 11usize.saturating_sub(UnicodeWidthStr::width(size.as_str()));
        writeln!(
            output,
            "{}{size}  {}",
            " ".repeat(pad),
            peer_text(&file.name)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex, PoisonError};

    use indicatif::{ProgressDrawTarget, TermLike};

    use super::*;

    /// A terminal that records what is drawn on it.
    #[derive(Debug, Default, Clone)]
    struct Screen(Arc<Mutex<Vec<String>>>);

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            // Wider than any line, so that nothing is cut for us: the bar must fit by itself.
            500
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            let mut lines = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            lines.extend(s.split('\n').filter(|l| !l.is_empty()).map(str::to_string));
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_progress_bar_fits_in_80_columns_whatever_it_shows() {
        // The widest sizes (1023.99 MiB), a long name, wide characters, escapes.
        let total = (1 << 30) - (1 << 14);
        for name in [
            "a.txt",
            "a-very-long-name-of-a-lecture-video-2024.mp4",
            "你好世界你好世界你好世界.txt",
            "bell\x07\x07\x07\x07\x07.bin",
        ] {
            for doing in ["md5", "put", "get"] {
                let screen = Screen::default();
                let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
                let bar = labelled(
                    ProgressBar::with_draw_target(Some(total), target),
                    name,
                    doing,
                );
                bar.set_position(total - (1 << 14));
                bar.finish();
                let lines = screen.0.lock().unwrap().clone();
                assert!(!lines.is_empty(), "nothing was drawn");
                // (Trailing spaces are indicatif clearing the rest of its 500-column line.)
                for line in lines.iter().map(|line| line.trim_end()) {
                    let columns = console_width(line);
                    assert!(columns <= 79, "{columns} columns: {line:?}");
                }
            }
        }
    }

    /// Columns on a terminal: CJK characters take two.
    fn console_width(line: &str) -> usize {
        line.chars()
            .map(|c| {
                if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                    2
                } else {
                    1
                }
            })
            .sum()
    }

    #[test]
    fn sizes_are_for_people() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1), "1 byte");
        assert_eq!(human_size(1023), "1023 bytes");
        assert_eq!(human_size(1536), "1.50 KiB");
        assert_eq!(human_size(500_000_000), "476.84 MiB");
        assert_eq!(human_size(1 << 30), "1.00 GiB");
    }
}
