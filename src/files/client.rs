//! What the file client needs besides its transfers (which are the lesson's: `get`, `put` and the
//! typed loop are in `src/lessons/file_transfer.rs`): its commands, given on the command line
//! (`lesson8 client get a.txt`) or typed (`get a.txt`); where a download goes and what an upload
//! is called; the progress bar; `list`; and what it prints.

use std::io::{self, IsTerminal, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};

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
    },
    /// List the files the server serves, with their sizes
    List,
}

/// What a typed line that is not a command gets.
pub const TYPED_USAGE: &str = "type `get NAME`, `put PATH`, `list`, or `q` to quit";

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
            }),
            _ => None,
        }
    }
}

/// A progress bar for the body `header` announces (bytes, rate, time left) on stderr; hidden
/// when stderr is not a terminal, so scripts and logs get no bar.
pub fn progress(header: &Header, name: &str) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
    )
    .expect("the template is valid")
    .progress_chars("=> ");
    ProgressBar::new(header.total_size)
        .with_style(style)
        .with_message(peer_text(name).cut_at(30).to_string())
}

/// Where `get NAME` writes: `-o PATH`, or NAME's last part here. Refuses a file already there
/// unless `force`.
pub fn download_path(name: &str, output: Option<PathBuf>, force: bool) -> Result<PathBuf, Refused> {
    let path = match output {
        Some(path) => path,
        None => Path::new(name)
            .file_name()
            .map(PathBuf::from)
            .ok_or_else(|| Refused(format!("{name:?} names no file")))?,
    };
    // Checked before anything is asked: the download is written under a longer, temporary name.
    let length = path.file_name().map_or(0, |name| name.len());
    if length > MAX_NAME_BYTES {
        return Err(Refused(format!(
            "{}: the file name is {length} bytes long; this client writes names of at most \
             {MAX_NAME_BYTES} (the download goes first under a longer, temporary name); \
             -o PATH writes it under another",
            path.display()
        )));
    }
    if !force && std::fs::symlink_metadata(&path).is_ok() {
        return Err(Refused(format!(
            // Typed lines take no flags, so the hint says what works in both modes.
            "{} exists here; not overwriting it (move it away first; on the command line, \
             --force replaces it and -o PATH writes elsewhere)",
            path.display()
        )));
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
            .ok_or_else(|| Refused(format!("{} names no file; use --as NAME", path.display()))),
    }
}

/// What `get` prints when the file has its name.
pub fn say_got(output: &mut dyn Write, reply: &Header, to: &Path) -> io::Result<()> {
    writeln!(
        output,
        "got {} ({} bytes, md5 {} checked) -> {}",
        peer_text(reply.get_str("filename").unwrap_or("?")),
        reply.total_size,
        peer_text(reply.md5.as_deref().unwrap_or("?")),
        to.display()
    )
}

/// What `put` prints once the server has stored the file.
pub fn say_stored(output: &mut dyn Write, request: &Header, name: &str) -> io::Result<()> {
    writeln!(
        output,
        "stored {name} ({} bytes, md5 {} checked by the server)",
        request.total_size,
        request.md5.as_deref().unwrap_or("?")
    )
}

/// `list`: asks, and prints one `SIZE  NAME` line per file.
pub fn list(phone: &mut TcpStream, output: &mut dyn Write) -> Result<(), FileError> {
    frame::write_frame_with(phone, &request("list", ""), b"")?;
    let reply = read_reply(phone)?;
    Limits::REPLY.check_body_len(reply.total_size)?;
    let mut body = Vec::new();
    let mut reader = BodyReader::new(&mut *phone, &reply);
    io::copy(&mut reader, &mut body)?;
    if let Md5Check::Mismatch { .. } = reader.finish()? {
        return Err(FileError::refused(
            "the listing arrived damaged (its md5 does not match)",
        ));
    }
    let listed: Vec<Listed> = serde_json::from_slice(&body)
        .map_err(|e| FileError::refused(format!("the listing is not what lesson8 sends: {e}")))?;
    if listed.is_empty() {
        writeln!(output, "(no files)")?;
    }
    for file in listed {
        writeln!(output, "{:>12}  {}", file.size, peer_text(&file.name))?;
    }
    Ok(())
}
