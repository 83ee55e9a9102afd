//! The file client's commands, given on the command line (`lesson8 client get a.txt`) or typed
//! (`get a.txt`), and what it says about them.

use std::fs::File;
use std::io::{self, IsTerminal, Seek, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};

use super::PartialFile;
use super::protocol::{Listed, ended_mid_frame, not_kept, read_reply, request};
use crate::escape::peer_text;
use crate::frame::{self, BodyReader, Header, Limits, Md5Check};

/// One command on an open connection, and one line on `output` about how it went: the
/// command line's `lesson8 client get a.txt`, and each typed line.
pub fn run(phone: &mut TcpStream, command: FileCommand, output: &mut dyn Write) -> io::Result<()> {
    match command {
        FileCommand::Get {
            name,
            output: to,
            force,
        } => {
            let to = download_path(&name, to, force)?;
            let reply = get(phone, &name, &to).map_err(|e| explain(e, &name))?;
            say_got(output, &reply, &to)
        }
        FileCommand::Put { path, name } => {
            let name = upload_name(&path, name)?;
            let request = put(phone, &path, &name).map_err(|e| explain(e, &name))?;
            say_stored(output, &request, &name)
        }
        FileCommand::List => list(phone, output),
    }
}

/// One typed line (`get a.txt`, `put ./b.txt`, `list`). A line that is none of these gets a
/// reminder, and a command that failed but left the connection usable (a refused name, a wrong
/// md5, a local file in the way) an `error:` line, both on stderr; only an error that leaves the
/// connection unusable (the server gone) is returned.
pub fn run_typed(phone: &mut TcpStream, line: &[u8], output: &mut dyn Write) -> io::Result<()> {
    let command = match FileCommand::from_line(line) {
        Ok(Some(command)) => command,
        // (`q` is the lesson's own loop's to see; here it is just not a command.)
        Ok(None) | Err(_) => {
            eprintln!("type `get NAME`, `put PATH`, `list`, or `q` to quit");
            return Ok(());
        }
    };
    match run(phone, command, output) {
        Err(e) if command_failed(&e) => {
            eprintln!("error: {e}");
            Ok(())
        }
        other => other,
    }
}

/// `get NAME`: asks for the file and writes it to `to`, under a temporary name until the whole
/// body is there and its md5 matches. Returns the reply's header.
pub fn get(phone: &mut TcpStream, name: &str, to: &Path) -> io::Result<Header> {
    frame::write_frame_with(phone, &request("get", name), b"")?;
    let reply = read_reply(phone)?;
    if reply.md5.is_none() {
        // (Read the body anyway, so that the connection stays usable.)
        BodyReader::new(&mut *phone, &reply).finish()?;
        return Err(not_kept(name, &Md5Check::Absent));
    }
    let mut partial = PartialFile::create(to)?;
    let mut body = BodyReader::new(&mut *phone, &reply);
    // Whatever goes wrong from here (the server gone, the disk full), `partial` is dropped, and
    // its temporary file with it.
    // (Through a 256 KiB buffer: fewer, larger reads and writes than io::copy's own 8 KiB.)
    let mut bar = progress(&reply, name).wrap_read(&mut body);
    io::copy(&mut super::buffered(&mut bar), &mut partial)?;
    drop(bar);
    match body.finish()? {
        Md5Check::Matches => {
            partial.commit()?;
            Ok(reply)
        }
        wrong => Err(not_kept(name, &wrong)),
    }
}

/// `put PATH --as NAME`: hashes the file, then sends it as the body of the request. Returns the
/// request's header (its size and md5).
pub fn put(phone: &mut TcpStream, path: &Path, name: &str) -> io::Result<Header> {
    let mut file =
        File::open(path).map_err(|e| failed(format!("cannot read {}: {e}", path.display())))?;
    // The header comes first and carries the md5: read the file once to hash it, then again
    // to send it.
    let request = Header::for_reader(&mut super::buffered(&mut file))
        .map_err(|e| failed(format!("cannot read {}: {e}", path.display())))?
        .with("action", "put")
        .with("filename", name);
    file.rewind()?;
    let sent = frame::write_frame_from(
        phone,
        &request,
        &mut progress(&request, name).wrap_read(file),
    );
    match sent {
        Ok(()) => read_reply(phone).map(|_| request),
        // The server may have refused the upload from its header and hung up before it all
        // arrived: its reply, already on the way, says why.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionReset
            ) =>
        {
            Err(read_reply(phone).err().unwrap_or(e))
        }
        Err(e) => Err(e),
    }
}

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

impl FileCommand {
    /// A typed line: `get NAME`, `put PATH`, `list`, or `q` (`Ok(None)`: quit). Everything after
    /// the first space is the name, spaces included. A line that is none of these is an `Err`
    /// with a one-line reminder of what is.
    pub fn from_line(line: &[u8]) -> Result<Option<FileCommand>, String> {
        let usage = "type `get NAME`, `put PATH`, `list`, or `q` to quit";
        let line = std::str::from_utf8(line).map_err(|_| format!("not UTF-8: {usage}"))?;
        let line = line.trim();
        let (verb, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        match (verb, rest.is_empty()) {
            ("q", true) => Ok(None),
            ("list", true) => Ok(Some(FileCommand::List)),
            ("get", false) => Ok(Some(FileCommand::Get {
                name: rest.to_string(),
                output: None,
                force: false,
            })),
            ("put", false) => Ok(Some(FileCommand::Put {
                path: rest.into(),
                name: None,
            })),
            _ => Err(usage.to_string()),
        }
    }
}

/// A command that failed but left the connection usable (the server refused, the md5 did not
/// match, a local file is in the way): the typed client reports it and reads the next line.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct CommandFailed(String);

pub(super) fn failed(text: impl Into<String>) -> io::Error {
    io::Error::other(CommandFailed(text.into()))
}

/// Whether `e` ended one command only (see `CommandFailed`), not the conversation.
pub fn command_failed(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<CommandFailed>())
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
pub fn download_path(name: &str, output: Option<PathBuf>, force: bool) -> io::Result<PathBuf> {
    let path = match output {
        Some(path) => path,
        None => Path::new(name)
            .file_name()
            .map(PathBuf::from)
            .ok_or_else(|| failed(format!("{name:?} names no file")))?,
    };
    if !force && std::fs::symlink_metadata(&path).is_ok() {
        return Err(failed(format!(
            // Typed lines take no flags, so the hint says what works in both modes.
            "{} exists here; not overwriting it (move it away first; on the command line, \
             --force replaces it and -o PATH writes elsewhere)",
            path.display()
        )));
    }
    Ok(path)
}

/// The name `put PATH` stores a file under: `--as NAME`, or PATH's file name.
pub fn upload_name(path: &Path, name: Option<String>) -> io::Result<String> {
    match name {
        Some(name) => Ok(name),
        None => path
            .file_name()
            .and_then(|name| name.to_str())
            .map(str::to_string)
            .ok_or_else(|| failed(format!("{} names no file; use --as NAME", path.display()))),
    }
}

/// Turns a transfer's error into what the user should read: a body cut off means the server
/// went away mid-transfer.
pub fn explain(e: io::Error, what: &str) -> io::Error {
    match ended_mid_frame(&e) {
        Some((received, expected)) => io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!(
                "{what}: the server closed the connection mid-transfer, after {received} of \
                 {expected} bytes; nothing was kept"
            ),
        ),
        None => e,
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
pub fn list(phone: &mut TcpStream, output: &mut dyn Write) -> io::Result<()> {
    frame::write_frame_with(phone, &request("list", ""), b"")?;
    let reply = read_reply(phone)?;
    Limits::REPLY.check_body_len(reply.total_size)?;
    let mut body = Vec::new();
    let mut reader = BodyReader::new(&mut *phone, &reply);
    io::copy(&mut reader, &mut body)?;
    if let Md5Check::Mismatch { .. } = reader.finish()? {
        return Err(failed(
            "the listing arrived damaged (its md5 does not match)",
        ));
    }
    let listed: Vec<Listed> = serde_json::from_slice(&body)
        .map_err(|e| failed(format!("the listing is not what lesson8 sends: {e}")))?;
    if listed.is_empty() {
        writeln!(output, "(no files)")?;
    }
    for file in listed {
        writeln!(output, "{:>12}  {}", file.size, peer_text(&file.name))?;
    }
    Ok(())
}
