//! `exercises/info.toml`, the table of the exercises (the shape of rustlings' `info.toml`), read
//! with the `toml` crate into plain structs. The file's own comments say what every key means.

use std::path::Path;

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Deserialize)]
pub struct Info {
    pub format_version: u32,
    pub exercises: Vec<Exercise>,
}

/// One exercise.
#[derive(Debug, Clone, Deserialize)]
pub struct Exercise {
    /// `lesson3`: also its package in the exercises' workspace.
    pub name: String,
    /// Its folder under `exercises/`; the file a student edits is `DIR/src/main.rs`.
    pub dir: String,
    pub chapter: String,
    /// The stage file that is its worked solution.
    pub stage: String,
    /// The reference solution's program (`lesson3-solution`).
    pub solution: String,
    /// What its server speaks, as `grade --protocol` names it.
    pub protocol: String,
    /// A new server process for every case (lesson 1 serves one client and exits).
    #[serde(default)]
    pub fresh_server: bool,
    /// Flags after `server --addr 127.0.0.1:0`; `{ROOT}` stands for the runner's folder.
    #[serde(default)]
    pub server_args: Vec<String>,
    /// The catalogue's cases it must pass, in the order they are run.
    pub cases: Vec<String>,
    /// Cases the stage fails by design (the next lesson's job): not run.
    #[serde(default)]
    pub known_limits: Vec<String>,
    pub starter_fails_first: String,
    /// In increasing detail, one per `learn hint`.
    pub hints: Vec<String>,
    /// The same hints in Simplified Chinese, one for one (a test checks they are all there).
    #[serde(default)]
    pub hints_zh: Vec<String>,
    #[serde(default)]
    pub broken: Vec<Broken>,
}

/// A broken-on-purpose program of the solutions package: the reference with one classic
/// mistake, the cases it fails, and the hint that gives the mistake away.
#[derive(Debug, Clone, Deserialize)]
pub struct Broken {
    pub bin: String,
    pub mistake: String,
    /// The ids it fails, of `cases` (a hostile 4.N brings its 5.N), in a run of all of them.
    pub fails: Vec<String>,
    /// Ids it fails only on some runs (a race it cannot help).
    #[serde(default)]
    pub may_fail: Vec<String>,
    pub hint: String,
    /// The same hint in Simplified Chinese.
    #[serde(default)]
    pub hint_zh: Option<String>,
    /// What the first failure's observed line contains when this is the mistake: the runner
    /// shows `hint` for a failure of `fails[0]` whose observed line contains all of these.
    #[serde(default)]
    pub when_observed: Vec<String>,
    /// ... and none of these: what would show another mistake with the same first failure (the
    /// starter's `todo!()` panics, where a server that reads to the end does not).
    #[serde(default)]
    pub unless_observed: Vec<String>,
}

impl Info {
    /// Reads and parses `exercises/info.toml` under `exercises`.
    pub fn read(exercises: &Path) -> Result<Info, String> {
        let path = exercises.join("info.toml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Info::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Info, String> {
        let info: Info = toml::from_str(text).map_err(|e| e.to_string())?;
        if info.format_version != 1 {
            return Err(format!(
                "format_version {} (this runner reads 1)",
                info.format_version
            ));
        }
        Ok(info)
    }

    /// Exercise number `n` (1 for lesson 1).
    pub fn exercise(&self, n: usize) -> Option<&Exercise> {
        n.checked_sub(1).and_then(|i| self.exercises.get(i))
    }
}

/// Whether the reader reads Chinese (`--lang zh`, a `zh` locale).
fn in_chinese() -> bool {
    socket_lessons::i18n::current() == socket_lessons::i18n::Lang::Zh
}

impl Broken {
    /// The hint in the reader's language (English where a translation is missing).
    pub fn hint_shown(&self) -> &str {
        match &self.hint_zh {
            Some(chinese) if in_chinese() => chinese,
            _ => &self.hint,
        }
    }
}

impl Exercise {
    /// The hints in the reader's language (English where the translation is missing).
    pub fn hints_shown(&self) -> &[String] {
        if in_chinese() && self.hints_zh.len() == self.hints.len() {
            &self.hints_zh
        } else {
            &self.hints
        }
    }

    /// Its number: 3 for `lesson3`.
    pub fn number(&self) -> usize {
        self.name.trim_start_matches("lesson").parse().unwrap_or(0)
    }

    /// The file a student edits, relative to the repository.
    pub fn main_rs(&self) -> String {
        format!("exercises/{}/src/main.rs", self.dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_table_reads() {
        let exercises = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../exercises"));
        let info = Info::read(exercises).unwrap();
        assert_eq!(info.exercises.len(), 13);
        assert_eq!(info.exercise(3).unwrap().name, "lesson3");
        assert_eq!(info.exercise(13).unwrap().number(), 13);
        assert!(info.exercise(0).is_none());
    }

    #[test]
    fn every_hint_has_its_chinese_twin() {
        let exercises = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../exercises"));
        let info = Info::read(exercises).unwrap();
        let chinese = |text: &str| text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for exercise in &info.exercises {
            assert_eq!(
                exercise.hints_zh.len(),
                exercise.hints.len(),
                "{}: hints_zh, one for each of hints",
                exercise.name
            );
            assert!(
                exercise.hints_zh.iter().all(|hint| chinese(hint)),
                "{}",
                exercise.name
            );
            for broken in &exercise.broken {
                assert!(
                    broken.hint_zh.as_deref().is_some_and(chinese),
                    "{}: hint_zh",
                    broken.bin
                );
            }
        }
    }
}
