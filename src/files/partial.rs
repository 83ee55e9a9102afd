//! A file that nobody sees until it is whole: written under a temporary name, then renamed.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

/// A file being received, under a temporary name in the same folder as its real name.
///
/// Writing a download or an upload straight under its real name has two faults: a reader who
/// opens it meanwhile sees half a file, and a transfer that is cut off (the peer killed, Ctrl-C,
/// a full disk, a wrong md5) leaves half a file behind that looks like a whole one. So the bytes go
/// to a temporary file (`.NAME.PID-N.part`), and only [`PartialFile::commit`] gives it its name,
/// with one `rename`: the operating system replaces the directory entry in one step, so a reader
/// sees the old file or the new one, never a mixture. Two uploads of the same name each have
/// their own temporary file, and whichever renames last wins, whole.
///
/// Dropping a `PartialFile` that was not committed removes the temporary file: every way out of
/// a transfer other than success leaves nothing behind, because in Rust every way out drops.
#[derive(Debug)]
pub struct PartialFile {
    file: File,
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

/// The longest file name, in bytes, that a file may be received under.
///
/// A file is written first under a temporary name beside its own, `.NAME.PID-N.part`, which is up
/// to 38 bytes longer than NAME (a process id of up to 10 digits, a counter of up to 20). File
/// systems allow names of at most 255 bytes, so a NAME of 250 would have a temporary name the
/// system refuses (`File name too long`). 200 leaves room to spare, and is longer than any name a
/// person types.
pub const MAX_NAME_BYTES: usize = 200;

/// The temporary files this process is writing now, so that a Ctrl-C handler can remove them:
/// a process ended by a signal runs no `Drop`. Each [`PartialFile`] is listed from its creation
/// until it is committed or dropped.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every temporary file this process is still writing, and returns their paths. For a
/// Ctrl-C handler that ends the process right after (so that no `Drop` will): a client stopped
/// half-way through a download leaves no hidden `.NAME.PID-N.part` behind.
pub fn remove_unfinished() -> Vec<PathBuf> {
    let mut unfinished = UNFINISHED.lock().unwrap_or_else(PoisonError::into_inner);
    let removed: Vec<PathBuf> = unfinished
        .drain(..)
        .filter(|temp| fs::remove_file(temp).is_ok())
        .collect();
    removed
}

fn unlist(temp: &Path) {
    let mut unfinished = UNFINISHED.lock().unwrap_or_else(PoisonError::into_inner);
    unfinished.retain(|listed| listed != temp);
}

/// Makes temporary names unique within this process (the process id makes them unique between
/// processes).
static NEXT: AtomicU64 = AtomicU64::new(0);

impl PartialFile {
    /// A new temporary file beside `target`, empty, created fresh (never an existing file).
    pub fn create(target: &Path) -> io::Result<PartialFile> {
        let dir = target.parent().unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
        if name.len() > MAX_NAME_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the file name is {} bytes long; at most {MAX_NAME_BYTES} leave room for the \
                     temporary name beside it",
                    name.len()
                ),
            ));
        }
        // A transfer to this name that was killed outright (Ctrl-C on a client has no handler)
        // left its temporary file; clear it now, as the next transfer to the same name. Only a
        // clean-up: if the folder cannot be read, creating the file below says why.
        let _ = remove_leftovers_of(dir, name);
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let mut temp_name = std::ffi::OsString::from(".");
            temp_name.push(name);
            temp_name.push(format!(".{}-{n}.part", std::process::id()));
            let temp = dir.join(temp_name);
            // `create_new`: fail rather than reuse a file (or follow a symlink) already there.
            match OpenOptions::new().write(true).create_new(true).open(&temp) {
                Ok(file) => {
                    UNFINISHED
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(temp.clone());
                    return Ok(PartialFile {
                        file,
                        temp,
                        target: target.to_path_buf(),
                        committed: false,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Where the bytes are going for now.
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Flushes the bytes to the disk, then gives the file its real name, replacing whatever had
    /// that name. `sync_all` first: otherwise a power cut just after the rename could leave the
    /// new name pointing at a file whose bytes never reached the disk.
    ///
    /// Returns the real name and what the file was just before the rename (a rename keeps a
    /// file's size, modification time and inode), so that a caller can remember facts about this
    /// very file even if another one is renamed over it a moment later.
    pub fn commit(mut self) -> io::Result<(PathBuf, fs::Metadata)> {
        self.file.sync_all()?;
        let meta = self.file.metadata()?;
        fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        unlist(&self.temp);
        Ok((std::mem::take(&mut self.target), meta))
    }
}

/// Removes the temporary files, anywhere under `dir`, that a process which no longer runs left
/// behind, and returns how many it removed.
///
/// `Drop` removes a temporary file on every way out that Rust sees, but not when the process
/// itself is killed outright (`kill -9`, a power cut): then a `.NAME.PID-N.part` stays. Its name
/// says which process wrote it, so a server starting on the folder can tell a leftover (its
/// process is gone) from an upload in progress in another server on the same folder (its process
/// still runs), and remove only the leftovers. Where a process cannot be asked about (not Unix),
/// nothing is removed.
pub fn remove_leftovers(dir: &Path) -> io::Result<usize> {
    let mut removed = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        // `file_type` does not follow symlinks: a link to a folder outside is not walked into.
        let kind = entry.file_type()?;
        if kind.is_dir() {
            removed += remove_leftovers(&entry.path())?;
        } else if kind.is_file()
            && writer_of(&entry.file_name()).is_some_and(|pid| !process_runs(pid))
        {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// The temporary files directly in `dir` that a process which no longer runs left behind: the
/// leftovers `remove_leftovers` would remove there, listed (`course reset` shows them before
/// it asks).
pub fn leftovers(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file()
            && writer_of(&entry.file_name()).is_some_and(|pid| !process_runs(pid))
        {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found)
}

/// Removes, beside a file named `name` in `dir`, the temporary files for that name whose writer
/// no longer runs (only those: not the whole folder, which may be a user's home).
fn remove_leftovers_of(dir: &Path, name: &std::ffi::OsStr) -> io::Result<()> {
    let Some(name) = name.to_str() else {
        return Ok(());
    };
    // `Path::new("b.txt").parent()` is the empty path: the current folder.
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!(".{name}.");
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let file_name = entry.file_name();
        let ours = file_name
            .to_str()
            .is_some_and(|other| other.starts_with(&prefix));
        if ours
            && entry.file_type()?.is_file()
            && writer_of(&file_name).is_some_and(|pid| !process_runs(pid))
        {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// The process id in a temporary file's name (`.NAME.PID-N.part`), if it is one.
fn writer_of(file_name: &std::ffi::OsStr) -> Option<u32> {
    let name = file_name
        .to_str()?
        .strip_prefix('.')?
        .strip_suffix(".part")?;
    let (_, pid_and_n) = name.rsplit_once('.')?;
    let (pid, n) = pid_and_n.split_once('-')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

/// Whether process `pid` is running: `kill(pid, 0)` sends no signal, it only asks.
#[cfg(unix)]
fn process_runs(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 only checks that the process exists; it touches no memory.
    let answer = unsafe { libc::kill(pid, 0) };
    // EPERM: it runs, as another user.
    answer == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_runs(_pid: u32) -> bool {
    true
}

impl Write for PartialFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
            unlist(&self.temp);
        }
    }
}
