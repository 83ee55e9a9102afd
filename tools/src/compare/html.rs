//! `compare --html FILE`: the comparison table as a page for a projector.
//!
//! The same table as the text (a row per scenario, a column per stage, the same words in every
//! cell), with what a client would want marked so that it survives a black-and-white print: a
//! sign before the words (✓ or ✗), a fill *and* a pattern (plain green, red with stripes), and a
//! legend that says so. Every sentence the page adds is in [`words`]. The page holds no time and
//! no port, so the same table gives the same page, byte for byte.

use std::fmt::Write as _;

use super::Table;
use crate::page::{self, escape};

/// Everything the page says besides the table's own words, in one place, in the reader's
/// language (the tools' catalogue, `compare-html-*`).
pub struct Words {
    pub lang: &'static str,
    pub title: String,
    pub scenario: String,
    pub good: String,
    pub bad: String,
    pub legend: String,
}

/// The page's words in the language the process speaks.
pub fn words() -> Words {
    Words {
        lang: crate::i18n::html_lang(),
        title: crate::t!("compare-html-title"),
        scenario: crate::t!("compare-head-scenario"),
        good: crate::t!("compare-html-good"),
        bad: crate::t!("compare-html-bad"),
        legend: crate::t!("compare-html-legend"),
    }
}

/// The marks of a good and a bad cell: a sign and a class (colour and pattern).
const GOOD: (&str, &str) = ("✓", "good");
const BAD: (&str, &str) = ("✗", "bad");

/// The table's own look: big enough for the back of a room, and a fill that is also a pattern.
const STYLE: &str = "
table.compare { font-size: 1.15em; }
table.compare td.good { background: #d4f4cf; }
table.compare td.bad { background-color: #fbd0cc;
  background-image: repeating-linear-gradient(135deg, transparent 0 6px, #0000001f 6px 8px); }
table.compare .sign { font-weight: bold; margin-right: 0.3em; }
";

/// The page of `table`.
pub fn page(table: &Table) -> String {
    let words = words();
    let mut body = format!("<header>\n<h1>{}</h1>\n", escape(&words.title));
    let _ = writeln!(
        body,
        "<p class=\"legend\">{} <span class=\"sign\">{}</span> {} · <span class=\"sign\">{}</span> {}</p>\n</header>",
        escape(&words.legend),
        GOOD.0,
        escape(&words.good),
        BAD.0,
        escape(&words.bad)
    );
    body.push_str("<table class=\"compare\">\n<thead><tr>");
    let _ = write!(body, "<th>{}</th>", escape(&words.scenario));
    for number in &table.stages {
        let _ = write!(body, "<th>lesson{number}</th>");
    }
    body.push_str("</tr></thead>\n<tbody>\n");
    for (scenario, cells) in &table.rows {
        let _ = write!(body, "<tr><th>{}</th>", escape(&scenario.label()));
        for cell in cells {
            let (sign, class) = if cell.good { GOOD } else { BAD };
            let _ = write!(
                body,
                "<td class=\"{class}\"><span class=\"sign\">{sign}</span>{}</td>",
                escape(&cell.text)
            );
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody>\n</table>\n");
    page::page(words.lang, &words.title, STYLE, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{Cell, SCENARIOS};

    #[test]
    fn every_cell_carries_its_sign_and_the_page_is_the_same_every_time() {
        let table = Table {
            stages: vec![4, 5],
            rows: vec![(
                &SCENARIOS[0],
                vec![
                    Cell {
                        text: "served".into(),
                        good: true,
                    },
                    Cell {
                        text: "waits for 1st".into(),
                        good: false,
                    },
                ],
            )],
        };
        let html = page(&table);
        assert_eq!(html, page(&table));
        assert!(html.contains("<td class=\"good\"><span class=\"sign\">✓</span>served</td>"));
        assert!(html.contains("<td class=\"bad\"><span class=\"sign\">✗</span>waits for 1st</td>"));
        assert!(html.contains("<th>lesson4</th><th>lesson5</th>"));
    }
}
