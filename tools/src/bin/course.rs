//! `cargo run` with no `--bin`: the course map, and how to start. `cargo run -- reset` puts the
//! classroom back: it removes, from the current folder only, what the course's programs and the
//! chapters' recipes leave there.

use std::fs;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use socket_lessons::files;
use socket_lessons_tools::t;

/// Prints the course's stages and how to start the first one.
#[derive(Parser)]
#[command(name = "socket-lessons", version)]
struct Args {
    #[command(subcommand)]
    command: Option<Chosen>,
}

#[derive(Subcommand)]
enum Chosen {
    /// Put the classroom back: remove, from the current folder only, what the lessons and the
    /// chapters' recipes leave there (lesson 8's ./lesson8-files, hidden .NAME.PID-N.part files
    /// of interrupted transfers, b.txt, big.bin, dl/). Lists them and asks first
    Reset {
        /// Remove them without asking
        #[arg(long)]
        yes: bool,
    },
}

/// A note in the reader's language, said when it is shown.
type Note = fn() -> String;

/// What the chapters' recipes tell a student to make, in the folder they run the course from:
/// the name, and which recipe makes it. (A test reads the chapters and checks that every file a
/// recipe creates is here.)
const RECIPE_SCRATCH: [(&str, Note); 3] = [
    ("b.txt", || t!("course-recipe-b-txt")),
    ("big.bin", || t!("course-recipe-big-bin")),
    ("dl", || t!("course-recipe-dl")),
];

fn main() -> ExitCode {
    match socket_lessons_tools::cli::parse_with_lang::<Args>().command {
        None => {
            print!("{}", socket_lessons::course::overview());
            ExitCode::SUCCESS
        }
        Some(Chosen::Reset { yes }) => match reset(yes) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprint!(
                    "{}",
                    socket_lessons_tools::terminal::error_line(
                        &e.to_string(),
                        socket_lessons_tools::terminal::width()
                    )
                );
                ExitCode::FAILURE
            }
        },
    }
}

/// One thing `reset` would remove, and why it is there.
struct Leftover {
    path: PathBuf,
    why: String,
}

/// Lists what is left in the current folder, asks (unless `yes`), and removes it.
fn reset(yes: bool) -> Result<(), String> {
    let found =
        leftovers().map_err(|e| t!("course-error-cannot-read-folder", error = e.to_string()))?;
    if found.is_empty() {
        println!("{}", t!("course-clean"));
        return Ok(());
    }
    println!("{}", t!("course-removes"));
    for leftover in &found {
        let line = t!(
            "course-leftover",
            path = leftover.path.display().to_string(),
            why = leftover.why.as_str()
        );
        print!(
            "{}",
            socket_lessons_tools::terminal::fold(
                &line,
                socket_lessons_tools::terminal::width(),
                "  ",
                "      "
            )
        );
    }
    if !yes && !confirmed()? {
        println!("{}", t!("course-nothing-removed"));
        return Ok(());
    }
    for leftover in &found {
        let path = leftover.path.display().to_string();
        remove(&leftover.path).map_err(|e| {
            t!(
                "course-error-cannot-remove",
                path = path.as_str(),
                error = e.to_string()
            )
        })?;
        println!("{}", t!("course-removed", path = path.as_str()));
    }
    Ok(())
}

/// Everything `reset` removes, found in the current folder. Every path is a name in it (or in
/// its `dl` folder): nothing outside it is ever listed.
fn leftovers() -> io::Result<Vec<Leftover>> {
    let mut found = Vec::new();
    let served = Path::new(files::DEFAULT_ROOT.trim_start_matches("./"));
    if let Some(what) = what_is(served) {
        found.push(Leftover {
            path: served.to_path_buf(),
            why: t!("course-served-folder", what = what),
        });
    }
    for (name, recipe) in RECIPE_SCRATCH {
        if let Some(what) = what_is(Path::new(name)) {
            found.push(Leftover {
                path: PathBuf::from(name),
                why: t!("course-recipe-what", recipe = recipe(), what = what),
            });
        }
    }
    // A transfer killed outright (a client has no Ctrl-C handler) leaves its temporary file
    // where it was downloading: here, or in the recipe's download folder. Those of a transfer
    // still running are not leftovers, and stay.
    for folder in [Path::new("."), Path::new("dl")] {
        if !folder.is_dir() || folder.is_symlink() || found.iter().any(|f| f.path == folder) {
            continue;
        }
        for path in files::leftovers(folder)? {
            let path = path.strip_prefix(".").unwrap_or(&path).to_path_buf();
            found.push(Leftover {
                path,
                why: t!("course-killed-transfer"),
            });
        }
    }
    Ok(found)
}

/// What is at `path`, in a few words, without following a symbolic link; `None` if nothing is.
fn what_is(path: &Path) -> Option<String> {
    let found = fs::symlink_metadata(path).ok()?;
    Some(if found.is_dir() {
        let entries = fs::read_dir(path).map_or(0, |entries| entries.count());
        t!("course-folder-of", entries = entries)
    } else if found.is_symlink() {
        // Only the link goes: where it points is outside what reset may touch.
        t!("course-symbolic-link")
    } else {
        t!("course-bytes", bytes = found.len().to_string())
    })
}

/// Removes `path`: a folder with everything in it, anything else alone. A symbolic link is
/// removed, never followed, and so is any link inside a folder (`remove_dir_all` does not follow
/// them): nothing outside the current folder is touched.
fn remove(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir_all(path)
    } else {
        fs::remove_file(path)
    }
}

/// Asks on stderr, reads one line: only `y` or `yes` says yes. The end of input says no.
fn confirmed() -> Result<bool, String> {
    eprint!("{} ", t!("course-confirm"));
    let _ = io::stderr().flush();
    let mut answer = String::new();
    io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| t!("course-error-cannot-read-answer", error = e.to_string()))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn every_description_has_a_translation_that_says_what_its_english_says() {
        let command = super::Args::command();
        let missing =
            socket_lessons_tools::clap_in_chinese::untranslated(&command, "socket-lessons");
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }
}
