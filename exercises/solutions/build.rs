//! Makes the broken-on-purpose programs: each is a reference solution with one region replaced.
//!
//! A file `../broken/lessonN-BUG.rs` is a program of its own only in name: it includes the one
//! this script writes for it, `OUT_DIR/lessonN-BUG.rs`, which is `lessonN.rs` of this folder
//! (its `mod NAME;` files written inline) with each region that the broken file names put in
//! place of the reference's region of that name. A region is the lines between
//! `// ANCHOR: NAME` and `// ANCHOR_END: NAME`, the anchors the chapters quote by too; in the
//! broken file it is written as
//!
//! ```text
//! /* in place of `NAME`:
//! ...the lines that take its place...
//! */
//! ```
//!
//! So a broken program differs from its reference by its mistake alone, written once, and a
//! region that does not exist (a reference edited since) stops the build with a clear message.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let here =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let broken_dir = here.join("../broken");
    println!("cargo:rerun-if-changed={}", here.display());
    println!("cargo:rerun-if-changed={}", broken_dir.display());
    for entry in fs::read_dir(&broken_dir).expect("exercises/broken/ exists") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let bin = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 file name");
        let lesson = bin.split('-').next().unwrap_or(bin);
        let reference = here.join(format!("{lesson}.rs"));
        let program = splice(&inline_modules(&reference), &read(&path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        fs::write(out.join(format!("{bin}.rs")), program).expect("OUT_DIR is writable");
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The reference as one file: each `mod NAME;` line replaced by `mod NAME { ... }` holding
/// `NAME.rs`, and the crate's own `//!` lines made plain comments (an included file may not
/// carry inner doc comments).
fn inline_modules(reference: &Path) -> String {
    println!("cargo:rerun-if-changed={}", reference.display());
    let folder = reference.parent().expect("a file in a folder");
    let mut program = String::new();
    for line in read(reference).lines() {
        let module = line
            .strip_prefix("mod ")
            .and_then(|rest| rest.strip_suffix(';'));
        if let Some(name) = module {
            let file = folder.join(format!("{name}.rs"));
            println!("cargo:rerun-if-changed={}", file.display());
            program.push_str(&format!("mod {name} {{\n{}}}\n", read(&file)));
        } else if let Some(doc) = line.strip_prefix("//!") {
            program.push_str(&format!("//{doc}\n"));
        } else {
            program.push_str(line);
            program.push('\n');
        }
    }
    program
}

/// `program` with every region that `broken` writes put in place of the region of that name.
fn splice(program: &str, broken: &str) -> Result<String, String> {
    let mut program: Vec<String> = program.lines().map(str::to_string).collect();
    let mut lines = broken.lines();
    let mut regions = 0;
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("/* in place of `")
            .and_then(|rest| rest.strip_suffix("`:"))
        else {
            continue;
        };
        let replacement: Vec<String> = lines
            .by_ref()
            .take_while(|line| line.trim() != "*/")
            .map(str::to_string)
            .collect();
        let at = |marker: String| -> Result<usize, String> {
            let found: Vec<usize> = (0..program.len())
                .filter(|&i| program[i].trim() == marker)
                .collect();
            match found.as_slice() {
                [one] => Ok(*one),
                _ => Err(format!(
                    "the reference has {} lines `{marker}`, not one",
                    found.len()
                )),
            }
        };
        let start = at(format!("// ANCHOR: {name}"))?;
        let end = at(format!("// ANCHOR_END: {name}"))?;
        if end < start {
            return Err(format!("`{name}` ends before it starts in the reference"));
        }
        program.splice(start + 1..end, replacement);
        regions += 1;
    }
    if regions == 0 {
        return Err("no region to replace: expected a line \"/* in place of `NAME`:\"".into());
    }
    Ok(program.join("\n") + "\n")
}
