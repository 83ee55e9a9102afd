//! A demo as one page for a browser (`lessonN --html FILE`): the same parts, paragraphs and
//! play-by-play the terminal showed, with the byte stream drawn beside them ([`super::svg`]).
//!
//! It renders what the demo kept while it played ([`Shown`]), never anything else: the words
//! are the transcript's own, the figures are drawn from the observations and pictures the
//! transcript told. Every sentence this page adds of its own is in [`Words`].
//!
//! The page is laid out in *steps*: narration on the left, and on the right the figures of
//! what that narration told (one conversation per step, every client's writes and reads in
//! time order, then the stream pictures); a paragraph that follows a figure begins the next
//! step. A narrow window or paper puts the figures under their words.

use std::fmt::Write as _;

use super::picture::Picture;
use super::shown::Shown;
use super::svg;
use crate::page::{self, escape};
use crate::scenario::{Act, Event, Observations};
use crate::t;

/// Everything the page says that the demo did not, in one place, in the chosen language (the
/// catalogue's `demo-html-*` messages).
pub struct Words {
    /// The page's `lang`: `en` or `zh-CN`.
    pub lang: String,
    pub legend: String,
    pub part: String,
}

impl Words {
    /// The words in the language chosen for this process.
    pub fn current() -> Words {
        Words {
            lang: t!("demo-html-lang"),
            legend: t!("demo-html-legend"),
            part: t!("demo-html-part"),
        }
    }
}

/// The page for everything in `shown`, in order.
pub fn page(shown: &[Shown]) -> String {
    let words = Words::current();
    let mut title = String::new();
    let mut body = String::new();
    let mut section = Section::default();
    let mut figures = 0;
    for item in shown {
        match item {
            Shown::Heading {
                title: heading,
                listening,
            } => {
                title = heading.clone();
                let _ = write!(
                    body,
                    "<header>\n<h1>{}</h1>\n<p class=\"quiet\">{}</p>\n<p class=\"legend\">{}</p>\n</header>\n",
                    escape(heading),
                    escape(listening),
                    escape(&words.legend)
                );
            }
            Shown::Part { number, title } => {
                section.render_into(&mut body, &mut figures);
                section = Section {
                    part: Some((*number, title.clone())),
                    ..Section::default()
                };
            }
            Shown::PartEnds => {
                section.render_into(&mut body, &mut figures);
                section = Section::default();
            }
            Shown::Aside(text) => {
                section.render_into(&mut body, &mut figures);
                section = Section::default();
                let _ = writeln!(
                    body,
                    "<footer><p class=\"quiet\">{}</p></footer>",
                    escape(text)
                );
            }
            other => section.blocks.push(other),
        }
    }
    section.render_into(&mut body, &mut figures);
    page::page(&words.lang, &title, "", &body)
}

/// A part (or the narration between parts) and what it showed.
#[derive(Default)]
struct Section<'a> {
    part: Option<(u16, Option<String>)>,
    blocks: Vec<&'a Shown>,
}

/// A replay as the play-by-play told it: its observations, the first event told, and the
/// lines told with their events' numbers.
type Told<'a> = (&'a Observations, usize, &'a [(usize, String)]);

/// Narration, and the figures of what it told.
#[derive(Default)]
struct Step<'a> {
    /// Paragraphs and runs of play-by-play lines, as HTML.
    words: Vec<String>,
    lines: Vec<String>,
    replays: Vec<Told<'a>>,
    pictures: Vec<&'a Picture>,
}

impl Step<'_> {
    fn has_figures(&self) -> bool {
        !self.replays.is_empty() || !self.pictures.is_empty()
    }

    /// Ends a run of play-by-play lines: one `<pre>` for all of them.
    fn end_lines(&mut self) {
        if self.lines.is_empty() {
            return;
        }
        // The terminal indents the play-by-play under the paragraphs; here it has its own box.
        let indent = self
            .lines
            .iter()
            .map(|line| line.len() - line.trim_start_matches(' ').len())
            .min()
            .unwrap_or(0);
        let text: Vec<String> = self
            .lines
            .drain(..)
            .map(|line| escape(&line[indent..]))
            .collect();
        self.words
            .push(format!("<pre class=\"play\">{}</pre>", text.join("\n")));
    }
}

impl Section<'_> {
    fn render_into(&self, body: &mut String, figures: &mut usize) {
        if self.part.is_none() && self.blocks.is_empty() {
            return;
        }
        let number = self.part.as_ref().map_or(0, |(number, _)| *number);
        let _ = match &self.part {
            Some((number, _)) => writeln!(body, "<section class=\"part\" id=\"part{number}\">"),
            None => writeln!(body, "<section>"),
        };
        if let Some((number, Some(title))) = &self.part {
            let _ = writeln!(
                body,
                "<h2><span class=\"quiet\">{} </span>{number}. {}</h2>",
                Words::current().part,
                escape(title)
            );
        }
        let mut steps = vec![Step::default()];
        for block in &self.blocks {
            let step = steps.last_mut().expect("there is always a step");
            match block {
                Shown::Paragraph(text) => {
                    step.end_lines();
                    if step.has_figures() {
                        steps.push(Step::default());
                    }
                    let step = steps.last_mut().expect("there is always a step");
                    let lines: Vec<String> = text.split('\n').map(escape).collect();
                    step.words.push(format!("<p>{}</p>", lines.join("<br>\n")));
                }
                Shown::Line(line) => step.lines.push(line.clone()),
                Shown::Replay {
                    observations,
                    from,
                    told,
                } => {
                    // A silence kept with no words was narrated in the part's own words.
                    let lines = told.iter().filter(|(_, line)| !line.is_empty());
                    step.lines.extend(lines.map(|(_, line)| line.clone()));
                    step.replays.push((observations, *from, told));
                }
                Shown::Picture(picture) => step.pictures.push(picture),
                Shown::Heading { .. } | Shown::Part { .. } | Shown::PartEnds | Shown::Aside(_) => {}
            }
        }
        let (mut conversations, mut streams) = (0, 0);
        for mut step in steps {
            step.end_lines();
            if step.words.is_empty() && !step.has_figures() {
                continue;
            }
            let class = if step.has_figures() {
                "step"
            } else {
                "step words-only"
            };
            let _ = writeln!(body, "<div class=\"{class}\">\n<div class=\"words\">");
            for words in &step.words {
                let _ = writeln!(body, "{words}");
            }
            body.push_str("</div>\n");
            if step.has_figures() {
                body.push_str("<div class=\"figures\">\n");
                for (protocol, events) in conversations_of(&step.replays) {
                    conversations += 1;
                    *figures += 1;
                    let id = format!("part{number}-conversation{conversations}");
                    let _ = writeln!(
                        body,
                        "<figure>{}</figure>",
                        svg::conversation(protocol, &events, &id)
                    );
                }
                for picture in &step.pictures {
                    streams += 1;
                    *figures += 1;
                    let id = format!("part{number}-stream{streams}");
                    let _ = writeln!(body, "<figure>{}</figure>", svg::stream(picture, &id));
                }
                body.push_str("</div>\n");
            }
            body.push_str("</div>\n");
        }
        body.push_str("</section>\n");
    }
}

type Drawn<'a> = Vec<(&'a Event, bool)>;

/// The replays of one step as conversations: the events each told (from its `from` on, a
/// silence only if the play-by-play told it), one conversation for each run of replays of the
/// same protocol.
fn conversations_of<'a>(replays: &[Told<'a>]) -> Vec<(crate::scenario::Protocol, Drawn<'a>)> {
    let mut conversations: Vec<(crate::scenario::Protocol, Drawn<'a>)> = Vec::new();
    for (observations, from, told) in replays {
        let events = observations
            .events
            .iter()
            .enumerate()
            .skip(*from)
            .map(|(i, event)| {
                let silent = matches!(event.act, Act::Silence { .. });
                (event, !silent || told.iter().any(|(e, _)| *e == i))
            });
        match conversations.last_mut() {
            Some((protocol, drawn)) if *protocol == observations.protocol => drawn.extend(events),
            _ => conversations.push((observations.protocol, events.collect())),
        }
    }
    conversations
}
