//! The served folder: how a name a client sends becomes a path, and why it must never become a
//! path outside the folder.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::md5_memory::{Md5Memory, Version};
use super::{FileError, FileKind, MAX_NAME_BYTES, PartialFile, Refused};
use crate::frame::{Header, Limits};

/// The folder a file server serves (`--root`), and the rules a client's name must follow.
///
/// A name comes from the network, so it is hostile until checked. `../../etc/passwd` walks out of
/// the folder with `..`; `/etc/passwd` is absolute, and `Path::join` would *replace* the root with
/// it; a NUL byte ends a C string early, so the operating system would see a different name than
/// we checked; and a symlink inside the folder can point anywhere. Every one is refused, and the
/// refusal says why.
///
/// Cloning is cheap (the path is shared), so every client thread gets its own handle.
#[derive(Debug, Clone)]
pub struct Root {
    /// Absolute, with every symlink resolved: what a resolved path must start with.
    dir: Arc<Path>,
    /// The largest upload accepted (`--max-upload`), in bytes.
    max_upload: u64,
    md5s: Arc<Md5Memory>,
}

/// A file opened for a download: a `Read + Seek`, and which version of which file it is.
#[derive(Debug)]
pub struct OpenedFile {
    file: File,
    /// The name the client asked for, which the reply repeats.
    name: String,
    path: PathBuf,
    version: Version,
}

impl Read for OpenedFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.file.read(buf)
    }
}

impl Seek for OpenedFile {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.file.seek(pos)
    }
}

impl Root {
    /// The folder `dir`, created if it is missing, accepting uploads of up to `max_upload` bytes.
    pub fn open(dir: impl AsRef<Path>, max_upload: u64) -> io::Result<Root> {
        let dir = dir.as_ref();
        fs::create_dir_all(dir)?;
        let dir = dir.canonicalize()?;
        let leftovers = super::partial::remove_leftovers(&dir)?;
        if leftovers > 0 {
            log::info!(
                "removed {leftovers} temporary file(s) left by a server that was killed mid-upload"
            );
        }
        Ok(Root {
            dir: dir.into(),
            max_upload,
            md5s: Arc::default(),
        })
    }

    /// What the server accepts in a request: a header as lesson 6's, and a body (an upload) of
    /// at most `--max-upload` bytes, refused from its header before a single byte is stored.
    pub fn limits(&self) -> Limits {
        Limits {
            max_body_len: self.max_upload,
            ..Limits::REQUEST
        }
    }

    /// Where the folder is, as an absolute path (the server's log names it at start).
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The path inside the folder that `name` names, or why there is none.
    ///
    /// The rules, in order: a name is not empty and has no NUL; it is relative; it is made of
    /// plain names separated by single `/`s (no `..`, no `.`, no `\`, no empty part); no part
    /// starts with a dot (hidden files, and the temporary files of uploads in progress, are not
    /// served), and none is longer than [`MAX_NAME_BYTES`]. Then the folder
    /// the file would be in must exist and, with every symlink resolved, lie inside the root;
    /// and if the file itself is a symlink, where it leads must lie inside the root too.
    pub fn resolve(&self, name: &str) -> Result<PathBuf, Refused> {
        if name.is_empty() {
            return Err(Refused::NameEmpty);
        }
        if name.contains('\0') {
            return Err(Refused::NameHasNul);
        }
        if name.contains('\\') {
            return Err(Refused::NameHasBackslash);
        }
        let path = Path::new(name);
        if path.is_absolute() {
            return Err(Refused::NameAbsolute);
        }
        // Part by part, as the client wrote it: `Path::components` would quietly drop a `.`
        // (`a.txt/.` and `sub/./b.txt` would pass), and the contract refuses it anywhere.
        for part in name.split('/') {
            match part {
                "" => return Err(Refused::NameHasEmptyPart),
                "." => return Err(Refused::NameHasDot),
                ".." => return Err(Refused::NameHasDotDot),
                _ if part.starts_with('.') => return Err(Refused::NameHidden),
                // A file is received under a longer, temporary name beside it, and the system
                // allows 255 bytes.
                _ if part.len() > MAX_NAME_BYTES => {
                    return Err(Refused::NamePartTooLong { bytes: part.len() });
                }
                _ => {}
            }
        }
        let wanted = self.dir.join(path);
        let (Some(parent), Some(file_name)) = (wanted.parent(), wanted.file_name()) else {
            return Err(Refused::NameNamesNoFile);
        };
        // The folder the file is in, with every symlink on the way resolved: a symlinked folder
        // that leads outside is caught here.
        let parent = parent.canonicalize().map_err(|_| Refused::NoSuchFolder)?;
        if !parent.starts_with(&self.dir) {
            return Err(Refused::LeadsOutside);
        }
        let inside = parent.join(file_name);
        // The file itself may be a symlink: where does it lead? (`symlink_metadata` does not
        // follow it; a missing file is fine here, a put creates it.)
        if fs::symlink_metadata(&inside).is_ok_and(|meta| meta.file_type().is_symlink()) {
            match inside.canonicalize() {
                Ok(target) if target.starts_with(&self.dir) => return Ok(target),
                _ => return Err(Refused::LeadsOutside),
            }
        }
        Ok(inside)
    }

    /// Opens the file `name` names for a download, or says why not.
    pub fn open_file(&self, name: &str) -> Result<OpenedFile, FileError> {
        Ok(self.open_checked(name)?)
    }

    fn open_checked(&self, name: &str) -> Result<OpenedFile, Refused> {
        let path = self.resolve(name)?;
        let file = open_without_waiting(&path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => Refused::NoSuchFile {
                name: name.to_string(),
            },
            _ => Refused::CannotOpen {
                name: name.to_string(),
                why: e.to_string(),
            },
        })?;
        // What was opened, asked of the open file itself (not of the name, which someone could
        // point elsewhere in between): only a regular file is served.
        let meta = file
            .metadata()
            .map_err(|e| Refused::cannot_read(Path::new(name), &e))?;
        if !meta.is_file() {
            return Err(Refused::NotARegularFile {
                name: name.to_string(),
                kind: what_it_is(&meta.file_type()),
            });
        }
        let version = Version::of(&meta);
        Ok(OpenedFile {
            file,
            name: name.to_string(),
            path,
            version,
        })
    }

    /// The header of a download of `opened`: its size, its md5 and its `filename`, with the
    /// file rewound to its start, ready to send.
    ///
    /// The md5 is the one remembered from the upload (or an earlier download) if the file is
    /// still that version (`md5_memory.rs`); otherwise the file is read once, to its end, to hash
    /// it: the price of a header that names the md5 before the body.
    pub fn header_for(&self, opened: &mut OpenedFile) -> io::Result<Header> {
        let mut header = match self.md5s.recall(&opened.path, &opened.version) {
            Some(md5) => {
                let mut header = Header::new(opened.version_len());
                header.md5 = Some(md5);
                header
            }
            None => {
                let header = Header::for_reader(&mut super::buffered(&mut opened.file))?;
                // Remember it only if the file did not change while we read it.
                let after = Version::of(&opened.file.metadata()?);
                if after == opened.version && header.total_size == opened.version_len() {
                    if let Some(md5) = &header.md5 {
                        self.md5s.remember(&opened.path, after, md5.clone());
                    }
                }
                opened.file.rewind()?;
                header
            }
        };
        header.set("filename", opened.name.clone());
        Ok(header)
    }

    /// Gives an upload whose md5 matched (`put`'s) its name, remembers its md5, and returns the
    /// reply that tells the client it is stored.
    pub fn store(&self, partial: PartialFile, put: &Header) -> io::Result<Header> {
        let (target, meta) = partial.commit()?;
        if let Some(md5) = &put.md5 {
            self.md5s
                .remember(&target, Version::of(&meta), md5.to_ascii_lowercase());
        }
        let name = put.get_str("filename").unwrap_or_default();
        Ok(Header::for_body(b"").with("filename", name))
    }

    /// Starts an upload to `name`: a temporary file beside it, renamed over it only when whole.
    /// A file already called `name` is replaced only if `replace` (as a download never writes
    /// over a local file without `--force`, an upload never writes over one on the server).
    pub fn create_file(&self, name: &str, replace: bool) -> Result<PartialFile, FileError> {
        let path = self.resolve(name)?;
        if path.is_dir() {
            let name = name.to_string();
            return Err(Refused::IsAFolder { name }.into());
        }
        if !replace && fs::symlink_metadata(&path).is_ok() {
            let name = name.to_string();
            return Err(Refused::ExistsOnServer { name }.into());
        }
        PartialFile::create(&path).map_err(|e| {
            let (name, why) = (name.to_string(), e.to_string());
            Refused::CannotStore { name, why }.into()
        })
    }

    /// The files in the folder itself (not in folders below it), with their sizes, sorted by
    /// name. Hidden files, temporary files of uploads and symlinks leading outside are left out.
    pub fn list(&self) -> io::Result<Vec<(String, u64)>> {
        let mut files = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue; // not UTF-8: no client could name it in a JSON header anyway
            };
            if let Ok(opened) = self.open_checked(&name) {
                files.push((name, opened.version_len()));
            }
        }
        files.sort();
        Ok(files)
    }
}

/// Opens `path` for reading without ever waiting. A named pipe (FIFO) opened the usual way blocks
/// until something opens it for writing, which may be never: the thread serving the request would
/// hang there, and no Ctrl-C could wake it. Opened nonblocking, a FIFO opens at once (and is then
/// refused: it is not a regular file); a regular file ignores the flag.
fn open_without_waiting(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

/// What a file that is not a regular file is: the refusal says it.
fn what_it_is(kind: &fs::FileType) -> FileKind {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return FileKind::NamedPipe;
        }
        if kind.is_socket() {
            return FileKind::Socket;
        }
        if kind.is_char_device() || kind.is_block_device() {
            return FileKind::Device;
        }
    }
    if kind.is_dir() {
        FileKind::Folder
    } else {
        FileKind::Other
    }
}

impl OpenedFile {
    /// The file's size when it was opened.
    pub fn version_len(&self) -> u64 {
        self.version.len()
    }
}
