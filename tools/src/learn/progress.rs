//! Progress: which exercises pass, and how many hints of each were shown, in one small
//! git-ignored file, `exercises/.learn-progress`, one `done NAME` or `hints NAME N` per line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::info::Info;

/// The file's name, in `exercises/`.
pub const FILE: &str = ".learn-progress";

#[derive(Debug, Default)]
pub struct Progress {
    path: PathBuf,
    done: BTreeSet<String>,
    hints: BTreeMap<String, usize>,
}

impl Progress {
    /// The progress kept in `exercises/`, or none yet (a missing or unreadable file is a fresh
    /// start, never an error).
    pub fn load(exercises: &Path) -> Progress {
        let path = exercises.join(FILE);
        let mut progress = Progress {
            path,
            ..Progress::default()
        };
        let text = std::fs::read_to_string(&progress.path).unwrap_or_default();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["done", name] => {
                    progress.done.insert((*name).to_string());
                }
                ["hints", name, n] => {
                    if let Ok(n) = n.parse() {
                        progress.hints.insert((*name).to_string(), n);
                    }
                }
                _ => {}
            }
        }
        progress
    }

    /// Writes it back (beside, then renamed: never half-written under its name).
    pub fn save(&self) -> Result<(), String> {
        let mut text = String::from("# learn's progress (cargo run --bin learn); safe to delete\n");
        for name in &self.done {
            text.push_str(&format!("done {name}\n"));
        }
        for (name, n) in &self.hints {
            text.push_str(&format!("hints {name} {n}\n"));
        }
        let partial = self.path.with_extension("partial");
        std::fs::write(&partial, text)
            .and_then(|()| std::fs::rename(&partial, &self.path))
            .map_err(|e| format!("{}: {e}", self.path.display()))
    }

    pub fn is_done(&self, name: &str) -> bool {
        self.done.contains(name)
    }

    pub fn mark_done(&mut self, name: &str) {
        self.done.insert(name.to_string());
    }

    /// How many of `info`'s exercises are done.
    pub fn done_count(&self, info: &Info) -> usize {
        info.exercises
            .iter()
            .filter(|e| self.is_done(&e.name))
            .count()
    }

    pub fn hints_seen(&self, name: &str) -> usize {
        self.hints.get(name).copied().unwrap_or(0)
    }

    pub fn saw_hint(&mut self, name: &str) {
        *self.hints.entry(name.to_string()).or_insert(0) += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_survives_a_save_and_a_load() {
        let folder = std::env::temp_dir().join(format!("learn-progress-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let mut progress = Progress::load(&folder);
        assert!(!progress.is_done("lesson1"));
        progress.mark_done("lesson1");
        progress.saw_hint("lesson2");
        progress.saw_hint("lesson2");
        progress.save().unwrap();
        let again = Progress::load(&folder);
        assert!(again.is_done("lesson1"));
        assert_eq!(again.hints_seen("lesson2"), 2);
        assert_eq!(again.hints_seen("lesson3"), 0);
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
