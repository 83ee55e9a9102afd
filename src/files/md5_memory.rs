//! What a file server remembers of its files' md5s, so that a download does not read a file twice.
//!
//! The frame names the md5 in the header, *before* the body. A server that hashes each file just
//! before sending it reads every file twice per download, and hashing is the slowest part of the
//! whole transfer (a loopback socket moves bytes several times faster than md5 digests them). But
//! the server has often hashed the file already: it computed the md5 of every upload as it
//! arrived, and of every file it sent before. So it remembers each md5 beside what identifies
//! that exact version of the file (its size, modification time, and on Unix its device and inode),
//! and uses it only while all of those are unchanged.
//!
//! If the file is changed in a way that keeps all of them (a tool that restores the modification
//! time after writing the same number of bytes in place), the remembered md5 is stale, and the
//! client's check of the md5 catches it: the download is refused, never wrong.

use std::collections::HashMap;
use std::fs::Metadata;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

/// One version of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Version {
    len: u64,
    modified: Option<SystemTime>,
    /// (device, inode) on Unix: a new file renamed over the old one has a new inode.
    identity: (u64, u64),
}

impl Version {
    pub(super) fn of(meta: &Metadata) -> Version {
        #[cfg(unix)]
        let identity = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let identity = (0, 0);
        Version {
            len: meta.len(),
            modified: meta.modified().ok(),
            identity,
        }
    }

    pub(super) fn len(&self) -> u64 {
        self.len
    }
}

/// The md5 of the last known version of each file, by path.
#[derive(Debug, Default)]
pub(super) struct Md5Memory {
    known: Mutex<HashMap<PathBuf, (Version, String)>>,
}

impl Md5Memory {
    pub(super) fn remember(&self, path: &Path, version: Version, md5: String) {
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        known.insert(path.to_path_buf(), (version, md5));
    }

    /// The md5 of `path` if it is still the version we hashed.
    pub(super) fn recall(&self, path: &Path, version: &Version) -> Option<String> {
        let known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        match known.get(path) {
            Some((seen, md5)) if seen == version => Some(md5.clone()),
            _ => None,
        }
    }
}
