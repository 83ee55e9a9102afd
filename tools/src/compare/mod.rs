//! `compare`: the same traffic against every stage's server, as one table.
//!
//! A row per scenario (a second client while the first stays, two requests in one write, a long
//! reply, a dribbled request, a reset, Ctrl-C), a column per stage, each cell a short verdict
//! ("served", "waits for the first", "glued: 1 reply", "spilled into next reply", "whole").
//! Each stage's server is the real binary (`lessonN server`, next to `compare`'s own
//! executable), started fresh on `127.0.0.1:0` for every cell and stopped after it, so no cell
//! depends on another. The cells are forced by each stage's design, never by timing, so the
//! table is the same on every run (exit times are bucketed: "exits < 1 s").

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::Command;

use clap::Parser;

use crate::probe::ServerProcess;
use socket_lessons::shutdown::ShutdownSignal;

pub mod html;
pub mod scenarios;

pub use scenarios::{Cell, SCENARIOS, Scenario, Stage, protocol_of};

/// The stages `compare` plays by default: the TCP stages of the first half, lessons 1-6, and
/// lesson 11, lesson 4's echo with a guard (its scenarios are echo scenarios). Lesson 7 (UDP)
/// is played when asked for (`--stages 3,7`): there some scenarios do not apply. Lessons 8-10
/// speak other protocols (files, a chat room, a menu), which none of these scenarios speaks.
pub const STAGES: [u16; 7] = [1, 2, 3, 4, 5, 6, 11];

/// Every stage `--stages` may name.
pub const PLAYABLE: [u16; 8] = [1, 2, 3, 4, 5, 6, 7, 11];

/// `--stages`' parser: a stage compare can play, or a usage error that lists them.
fn playable_stage(text: &str) -> Result<u16, String> {
    text.parse::<u16>()
        .ok()
        .filter(|n| PLAYABLE.contains(n))
        .ok_or_else(|| format!("compare plays lessons 1 to 7 and 11, not {text:?}"))
}

/// Compare the stages side by side: the same scenarios against every stage's server, as one
/// table (a row per scenario, a column per stage).
#[derive(Parser, Debug)]
#[command(name = "compare", version)]
pub struct Args {
    /// Only these stages, e.g. `--stages 1,3,5`: lessons 1 to 6 and 11 by default; 7 (UDP) on
    /// request
    #[arg(long, value_name = "N,N,...", value_delimiter = ',', value_parser = playable_stage)]
    pub stages: Vec<u16>,
    /// Only this scenario: second-client, third-client, back-to-back, long-reply, dribbled,
    /// reset or ctrl-c
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// A Markdown table (for slides and notes) instead of plain columns
    #[arg(long)]
    pub markdown: bool,
    /// Also write the table as a page for a projector, FILE (see compare::html)
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

/// The table: for each scenario, one cell per stage.
pub struct Table {
    pub stages: Vec<u16>,
    pub rows: Vec<(&'static Scenario, Vec<Cell>)>,
}

/// Where `lessonN` is: beside the running executable (`target/debug/`, or wherever the
/// binaries were installed together).
pub fn lesson_binary(number: u16) -> io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .ok_or_else(|| io::Error::other("the executable has no folder"))?;
    Ok(dir.join(format!("lesson{number}{}", std::env::consts::EXE_SUFFIX)))
}

/// Starts `lessonN server` on `127.0.0.1:0` with `options`, quietly (warnings only), ready.
fn start(number: u16, options: &[&str]) -> Result<ServerProcess, String> {
    let binary = lesson_binary(number).map_err(|e| e.to_string())?;
    ServerProcess::spawn(
        Command::new(&binary)
            .args(["server", "--addr", "127.0.0.1:0"])
            .args(options)
            .env("RUST_LOG", "warn")
            .env("RUST_LOG_STYLE", "never"),
    )
    .map_err(|e| {
        format!(
            "cannot start lesson{number} server ({}): {e}",
            binary.display()
        )
    })
}

/// Plays `scenarios` against each of `stages`, a fresh server per cell. Stops early (with the
/// cells so far) once `interrupted` says so.
pub fn run(
    stages: &[u16],
    scenarios: &[&'static Scenario],
    interrupted: &dyn Fn() -> bool,
) -> Result<Table, String> {
    let mut rows = Vec::new();
    for scenario in scenarios {
        let mut cells = Vec::new();
        for &number in stages {
            if interrupted() {
                return Err("interrupted".into());
            }
            let protocol =
                protocol_of(number).ok_or_else(|| format!("compare has no lesson{number}"))?;
            let server = start(number, scenario.options_for(number))?;
            let mut stage = Stage {
                number,
                protocol,
                addr: server.addr,
                server: Some(server),
            };
            cells.push((scenario.run)(&mut stage));
            // Dropping the stage kills its server if the scenario left it running.
        }
        rows.push((*scenario, cells));
    }
    Ok(Table {
        stages: stages.to_vec(),
        rows,
    })
}

/// The table as plain columns; `colour` paints the cells (green: what a client wants).
pub fn plain(table: &Table, colour: bool) -> String {
    let first = table
        .rows
        .iter()
        .map(|(s, _)| s.title.chars().count())
        .max()
        .unwrap_or(0)
        .max("scenario".len());
    let widths: Vec<usize> = (0..table.stages.len())
        .map(|i| {
            table
                .rows
                .iter()
                .map(|(_, cells)| cells[i].text.chars().count())
                .max()
                .unwrap_or(0)
                .max("lessonN".len())
        })
        .collect();
    let mut out = String::new();
    out.push_str(&format!("{:<first$}", "scenario"));
    for (number, width) in table.stages.iter().zip(&widths) {
        out.push_str(&format!("  {:<width$}", format!("lesson{number}")));
    }
    out = out.trim_end().to_string();
    out.push('\n');
    for (scenario, cells) in &table.rows {
        let mut line = format!("{:<first$}", scenario.title);
        for (cell, width) in cells.iter().zip(&widths) {
            let padded = format!("{:<width$}", cell.text);
            line.push_str("  ");
            line.push_str(&if colour { paint(cell, &padded) } else { padded });
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The table in Markdown.
pub fn markdown(table: &Table) -> String {
    let mut out = String::from("| scenario |");
    for number in &table.stages {
        out.push_str(&format!(" lesson{number} |"));
    }
    out.push_str("\n|---|");
    for _ in &table.stages {
        out.push_str("---|");
    }
    out.push('\n');
    for (scenario, cells) in &table.rows {
        out.push_str(&format!("| {} |", scenario.title));
        for cell in cells {
            out.push_str(&format!(" {} |", cell.text));
        }
        out.push('\n');
    }
    out
}

fn paint(cell: &Cell, text: &str) -> String {
    use anstyle::{AnsiColor, Style};
    let colour = if cell.good {
        AnsiColor::Green
    } else {
        AnsiColor::Red
    };
    let style = Style::new().fg_color(Some(colour.into()));
    format!("{style}{text}{style:#}")
}

/// Runs `compare` as its command line says; an `Err` is the one `error:` line.
pub fn main(args: Args, shutdown: ShutdownSignal) -> Result<(), String> {
    let stages = if args.stages.is_empty() {
        STAGES.to_vec()
    } else {
        args.stages.clone()
    };
    let scenarios: Vec<&'static Scenario> = match &args.scenario {
        None => SCENARIOS.iter().collect(),
        Some(name) => vec![SCENARIOS.iter().find(|s| s.name == name).ok_or_else(|| {
            let names: Vec<&str> = SCENARIOS.iter().map(|s| s.name).collect();
            format!(
                "there is no scenario {name:?}; the scenarios are {}",
                names.join(", ")
            )
        })?],
    };
    let table = run(&stages, &scenarios, &|| shutdown.is_triggered())?;
    if let Some(file) = &args.html {
        crate::page::write(file, &html::page(&table)).map_err(|e| e.to_string())?;
    }
    let text = if args.markdown {
        markdown(&table)
    } else {
        let colour = io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
        plain(&table, colour)
    };
    let mut out = io::stdout().lock();
    // A closed pipe (`compare | head`) is not an error worth a line.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Ok(())
}
