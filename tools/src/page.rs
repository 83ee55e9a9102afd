//! One self-contained HTML page: what `lessonN --html`, `chaos --html` and `compare --html`
//! write for a projector, a handout or a chapter.
//!
//! Everything is inside the one file: the style sheet and the pictures (SVG) are inline, and
//! nothing is fetched from anywhere: no script, no font, no image. The page says so to the
//! browser too: its first `<meta>` is a Content-Security-Policy that forbids every request
//! except the inline style, so a page that one day tried to load something would be refused,
//! and the tests would see the refusal (`tools/tests/html.rs`).
//!
//! A page is the same, byte for byte, for the same input: no clock, no random number, nothing
//! in hash order. It is written as a whole under a temporary name first and then renamed, so a
//! reader never finds half a page under its real name.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// The policy every page carries: nothing may be loaded, only the inline style applies.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// The fonts pages ask for, all already on the reader's machine: the system's own, with the
/// common Chinese fonts named so that 粘包 is drawn where one of them exists.
pub const TEXT_FONTS: &str = "system-ui, 'Segoe UI', 'Noto Sans', 'DejaVu Sans', \
                              'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/// The monospace fonts for bytes and play-by-play lines.
pub const MONO_FONTS: &str = "ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, \
                              Consolas, 'Noto Sans Mono CJK SC', monospace";

/// The style every page shares: readable on a projector at 1280 pixels, never wider than the
/// window (long lines wrap, pictures shrink), and on paper an A4 page with no picture cut in two.
const STYLE: &str = "
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 16px 24px 32px; max-width: 1280px; color: #111;
  background: #fff; font: 17px/1.45 TEXT_FONTS; overflow-wrap: anywhere; }
h1 { font-size: 1.6em; margin: 0.2em 0; }
h2 { font-size: 1.3em; margin: 1.2em 0 0.4em; border-bottom: 2px solid #111; }
p { margin: 0.4em 0; max-width: 48em; }
.quiet { color: #444; font-size: 0.9em; }
pre, code { font-family: MONO_FONTS; }
pre.play { font-size: 13px; line-height: 1.35; white-space: pre-wrap; background: #f4f4f4;
  border-left: 4px solid #888; padding: 6px 8px; margin: 0.5em 0; }
.step { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 24px;
  align-items: start; margin: 0.6em 0 1.2em; }
.step.words-only { grid-template-columns: minmax(0, 1fr); }
figure { margin: 0 0 1em; break-inside: avoid; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #333; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #555; padding: 4px 8px; text-align: left; vertical-align: top; }
.legend { font-size: 0.9em; }
@media (max-width: 1000px) { .step { grid-template-columns: minmax(0, 1fr); } }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .step { grid-template-columns: minmax(0, 1fr); gap: 4px; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
";

/// A whole page: `title` in the window's title bar, `extra_style` after the shared style, and
/// `body` (already HTML) as its content.
pub fn page(lang: &str, title: &str, extra_style: &str, body: &str) -> String {
    let style = STYLE
        .replace("TEXT_FONTS", TEXT_FONTS)
        .replace("MONO_FONTS", MONO_FONTS);
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{style}{extra_style}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    );
    html
}

/// `text` made safe inside HTML or SVG, as text or as an attribute's value. Control characters
/// (which a peer could send) become `\xNN` here too, as they do in a terminal, so that nothing a
/// peer wrote can be taken for markup or mislead the reader.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Writes `html` to `path`: first under a temporary name beside it, then renamed, so that the
/// page under its real name is always whole (an old one, or the new one).
pub fn write(path: &Path, html: &str) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other(format!("{} is not a file name", path.display())))?;
    let mut temporary = name.to_os_string();
    temporary.push(format!(".{}.partial", std::process::id()));
    let temporary = path.with_file_name(temporary);
    fs::write(&temporary, html)
        .and_then(|()| fs::rename(&temporary, path))
        .inspect_err(|_| {
            let _ = fs::remove_file(&temporary);
        })
        .map_err(|e| io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            escape("<b>\"a\" & 'b'</b>\u{1b}[2J"),
            "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;\\x1b[2J"
        );
    }

    #[test]
    fn a_page_forbids_every_request_and_is_the_same_every_time() {
        let one = page("en", "a <title>", "", "<p>hi</p>\n");
        assert_eq!(one, page("en", "a <title>", "", "<p>hi</p>\n"));
        assert!(one.contains("<title>a &lt;title&gt;</title>"));
        assert!(one.contains(&format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">"
        )));
        for fetch in ["<script", "<link", "@import", "url(", "src="] {
            assert!(!one.contains(fetch), "{fetch}");
        }
    }

    #[test]
    fn a_page_is_written_whole_or_not_at_all() {
        let dir = std::env::temp_dir().join(format!("page-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.html");
        write(&path, "<p>one</p>").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "<p>one</p>");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left"
        );
        let missing = dir.join("no/such/folder/a.html");
        assert!(write(&missing, "x").is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
