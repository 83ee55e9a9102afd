//! `compare`: the same traffic against every stage's server, as one table.
//!
//! A row per scenario (a second client while the first stays, two requests in one write, a long
//! reply, a dribbled request, a reset, Ctrl-C), a column per stage, each cell a short verdict
//! ("served", "waits for the first", "glued: 1 reply", "spilled into next reply", "whole").
//! Each stage's server is the real binary (`lessonN server`, next to `compare`'s own
//! executable), started fresh on `127.0.0.1:0` for every cell and stopped after it, so no cell
//! depends on another. The cells are forced by each stage's design, never by timing, so the
//! table is the same on every run (exit times are bucketed: "exits < 1 s").
//!
//! The plain table fits the terminal (or 80 columns when it goes to a file or a pipe): when all
//! the stages do not fit side by side, it is folded into several tables of as many stages as
//! fit, one under the other, each with the row labels again; a cell too wide even for a table of
//! its own is folded within its column. A projector's 100 columns show lessons 1-4, then 5, 6
//! and 11. `--markdown` is always one table: Markdown has no width.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::Command;

use clap::Parser;

use crate::demo::display_width;
use crate::probe::ServerProcess;
use crate::terminal::fold;
use socket_lessons::shutdown::ShutdownSignal;

pub mod html;
pub mod scenarios;

pub use scenarios::{Cell, SCENARIOS, Scenario, Stage, protocol_of};

/// The stages `compare` plays by default: the TCP stages of the first half, lessons 1-6, and
/// lessons 11-13, lesson 4's echo with a guard, on a thread pool and on one thread (their
/// scenarios are echo scenarios). Lesson 7 (UDP) is played when asked for (`--stages 3,7`):
/// there some scenarios do not apply. Lessons 8-10 speak other protocols (files, a chat room, a
/// menu), which none of these scenarios speaks.
pub const STAGES: [u16; 9] = [1, 2, 3, 4, 5, 6, 11, 12, 13];

/// Every stage `--stages` may name.
pub const PLAYABLE: [u16; 10] = [1, 2, 3, 4, 5, 6, 7, 11, 12, 13];

/// `--stages`' parser: a stage compare can play, or a usage error that lists them.
fn playable_stage(text: &str) -> Result<u16, String> {
    text.parse::<u16>()
        .ok()
        .filter(|n| PLAYABLE.contains(n))
        .ok_or_else(|| crate::t!("compare-error-not-playable", text = format!("{text:?}")))
}

/// Compare the stages side by side: the same scenarios against every stage's server, as one
/// table (a row per scenario, a column per stage).
#[derive(Parser, Debug)]
#[command(name = "compare", version)]
pub struct Args {
    /// Only these stages, e.g. `--stages 1,3,5`: lessons 1 to 6 and 11 to 13 by default; 7 (UDP) on
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

/// Starts `lessonN server` on `127.0.0.1:0` with `options`, quietly (warnings only), in
/// English, ready.
fn start(number: u16, options: &[&str]) -> Result<ServerProcess, String> {
    let binary = lesson_binary(number).map_err(|e| e.to_string())?;
    ServerProcess::spawn(
        Command::new(&binary)
            .args(["server", "--addr", "127.0.0.1:0"])
            // The scenarios read the servers' words on the wire (a busy notice, say): the
            // servers speak English whatever the table speaks.
            .args(["--lang", "en"])
            .args(options)
            .env("RUST_LOG", "warn")
            .env("RUST_LOG_STYLE", "never"),
    )
    .map_err(|e| {
        crate::t!(
            "compare-error-cannot-start",
            number = number.to_string(),
            binary = binary.display().to_string(),
            error = e.to_string()
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
                return Err(crate::t!("compare-error-interrupted"));
            }
            let protocol = protocol_of(number)
                .ok_or_else(|| crate::t!("compare-error-no-lesson", number = number.to_string()))?;
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

/// The space between two columns.
const GAP: &str = "  ";

/// The narrowest a column is made when a table must be squeezed to fit at all.
const NARROWEST_COLUMN: usize = 8;

/// The table as plain columns, at most `width` columns wide: folded into several tables (each
/// with the row labels) when the stages do not fit side by side. `colour` paints the cells
/// (green: what a client wants).
pub fn plain(table: &Table, colour: bool, width: usize) -> String {
    let widest = |texts: &mut dyn Iterator<Item = &str>, least: &str| {
        texts
            .map(display_width)
            .max()
            .unwrap_or(0)
            .max(display_width(least))
    };
    let titles: Vec<String> = table.rows.iter().map(|(s, _)| s.label()).collect();
    let labels = widest(
        &mut titles.iter().map(String::as_str),
        &crate::t!("compare-head-scenario"),
    );
    let columns: Vec<usize> = (table.stages.iter().enumerate())
        .map(|(i, number)| {
            let mut cells = table.rows.iter().map(|(_, cells)| cells[i].text.as_str());
            widest(&mut cells, &format!("lesson{number}"))
        })
        .collect();
    // As many stages as fit in each table, in order.
    let mut parts: Vec<Vec<usize>> = Vec::new();
    let mut used = labels;
    for (i, column) in columns.iter().enumerate() {
        match parts.last_mut() {
            Some(part) if used + GAP.len() + column <= width => part.push(i),
            _ => {
                parts.push(vec![i]);
                used = labels;
            }
        }
        used += GAP.len() + column;
    }
    let parts: Vec<String> = parts
        .iter()
        .map(|stages| part(table, stages, labels, &columns, width, colour))
        .collect();
    parts.join("\n")
}

/// One table of `stages` (their indices), at most `width` wide: a header row, then a row per
/// scenario, each cell folded within its column when the column had to be narrowed to fit.
fn part(
    table: &Table,
    stages: &[usize],
    labels: usize,
    columns: &[usize],
    width: usize,
    colour: bool,
) -> String {
    let mut columns: Vec<usize> = stages.iter().map(|&i| columns[i]).collect();
    let mut labels = labels;
    // Only a table of one stage can be too wide. Then the cells are folded in what is left
    // beside the labels, and the labels too, if that leaves too little.
    if labels + columns.iter().map(|c| GAP.len() + c).sum::<usize>() > width {
        let room = width.saturating_sub(GAP.len() * columns.len());
        if room.saturating_sub(labels) / columns.len() < NARROWEST_COLUMN {
            labels = (room / 2).max(NARROWEST_COLUMN);
        }
        let each = (room.saturating_sub(labels) / columns.len()).max(NARROWEST_COLUMN);
        for column in &mut columns {
            *column = (*column).min(each);
        }
    }
    let mut out = String::new();
    let header: Vec<(String, Option<&Cell>)> = stages
        .iter()
        .map(|&i| (format!("lesson{}", table.stages[i]), None))
        .collect();
    let scenario = crate::t!("compare-head-scenario");
    out.push_str(&row(&scenario, &header, labels, &columns, colour));
    for (scenario, cells) in &table.rows {
        let cells: Vec<(String, Option<&Cell>)> = stages
            .iter()
            .map(|&i| (cells[i].text.clone(), Some(&cells[i])))
            .collect();
        out.push_str(&row(&scenario.label(), &cells, labels, &columns, colour));
    }
    out
}

/// One row: its label and cells, each folded within its column and padded to line up; as
/// many lines as its tallest cell needs. A cell of the table (not of the header) is painted.
fn row(
    label: &str,
    cells: &[(String, Option<&Cell>)],
    labels: usize,
    columns: &[usize],
    colour: bool,
) -> String {
    let folded = |text: &str, width: usize| -> Vec<String> {
        fold(text, width, "", "")
            .lines()
            .map(str::to_string)
            .collect()
    };
    let label = folded(label, labels);
    let texts: Vec<Vec<String>> = cells
        .iter()
        .zip(columns)
        .map(|((text, _), &width)| folded(text, width))
        .collect();
    let height = texts
        .iter()
        .map(Vec::len)
        .chain([label.len()])
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for n in 0..height {
        let mut line = pad(label.get(n).map_or("", String::as_str), labels);
        for ((lines, (_, cell)), &width) in texts.iter().zip(cells).zip(columns) {
            let padded = pad(lines.get(n).map_or("", String::as_str), width);
            line.push_str(GAP);
            match cell {
                Some(cell) if colour => line.push_str(&paint(cell, &padded)),
                _ => line.push_str(&padded),
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `text` followed by spaces up to `width` columns (Chinese characters take two).
fn pad(text: &str, width: usize) -> String {
    let spaces = width.saturating_sub(display_width(text));
    format!("{text}{}", " ".repeat(spaces))
}

/// The table in Markdown.
pub fn markdown(table: &Table) -> String {
    let mut out = format!("| {} |", crate::t!("compare-head-scenario"));
    for number in &table.stages {
        out.push_str(&format!(" lesson{number} |"));
    }
    out.push_str("\n|---|");
    for _ in &table.stages {
        out.push_str("---|");
    }
    out.push('\n');
    for (scenario, cells) in &table.rows {
        out.push_str(&format!("| {} |", scenario.label()));
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
            crate::t!(
                "compare-error-no-scenario",
                name = format!("{name:?}"),
                names = names.join(", ")
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
        plain(&table, colour, crate::terminal::width())
    };
    let mut out = io::stdout().lock();
    // A closed pipe (`compare | head`) is not an error worth a line.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Ok(())
}
