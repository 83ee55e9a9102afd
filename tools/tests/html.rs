//! The pages `lessonN --html`, `chaos --html` and `compare --html` write (docs/contracts.md,
//! "The demo", `chaos`, `compare`), looked at as a student would: in a real browser.
//!
//! Without a browser, these check what the files hold: the transcript on stdout is the same with
//! or without `--html`, the same run gives the same page, a page names nothing outside itself,
//! and a demo that fails writes none. With headless Chromium (Debian's `chromium`), they load the
//! pages: nothing is requested from outside the file, the screenshot is not blank, the bytes of
//! every write and read are in the rendered DOM, nothing is wider than a 1280-pixel window, and
//! one part of lesson 5 prints on one A4 page. Where Chromium is missing these say `skipped:`;
//! CI installs it and sets `SOCKET_LESSONS_REQUIRE_CHROMIUM=1`, which turns a missing browser
//! into a failure.

mod common;

use std::fs;
use std::io::{self, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use common::tools::Tool;
use socket_lessons::course::LESSONS;
use socket_lessons_tools::probe::{self, PATIENCE};

const CHAOS: &str = env!("CARGO_BIN_EXE_chaos");
const COMPARE: &str = env!("CARGO_BIN_EXE_compare");

/// A folder of this test's own, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "socket-lessons-html-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::SeqCst)
        ));
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs lesson `number`'s demo with `args` and `--html`; returns its transcript and its page.
fn demo_page(number: u16, args: &[&str], scratch: &Scratch) -> (String, PathBuf) {
    let page = scratch.path(&format!("lesson{number}.html"));
    let run = common::run(
        common::lesson_command(number)
            .args(args)
            .arg("--html")
            .arg(&page),
        b"",
    );
    run.assert_no_panic();
    assert!(run.status.success(), "lesson{number}: {}", run.stderr);
    (run.stdout, page)
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A transcript with what differs between runs (ports, lesson 11's and 8's measurements) made
/// the same.
fn normalised(text: &str) -> String {
    common::normalise_measurements(&common::normalise_ports(text).0)
}

// ---- What the files hold ----

#[test]
fn the_transcript_is_the_same_with_or_without_a_page() {
    let scratch = Scratch::new();
    for lesson in &LESSONS {
        let number = lesson.number;
        let plain = common::run(&mut common::lesson_command(number), b"");
        let (with_page, _) = demo_page(number, &[], &scratch);
        assert_eq!(
            normalised(&with_page),
            normalised(&plain.stdout),
            "lesson{number}'s transcript changed with --html"
        );
    }
}

#[test]
fn the_same_run_gives_the_same_page() {
    // Lesson 5's first part observes only what its protocol forces (three writes, one read),
    // so two runs are the same run: their pages differ in nothing but the server's port.
    let (one, two) = (Scratch::new(), Scratch::new());
    let (_, first) = demo_page(5, &["--part", "1"], &one);
    let (_, second) = demo_page(5, &["--part", "1"], &two);
    let (first, ports) = common::normalise_ports(&read(&first));
    assert_eq!(
        ports, 1,
        "the page shows the server's address once, as the transcript does"
    );
    assert_eq!(first, common::normalise_ports(&read(&second)).0);
}

/// The tooltips of the boxes of the conversation figures (the lanes) in each part of `page`,
/// by part number, decoded back to the text `show` gave each box's bytes.
fn lanes_by_part(page: &str) -> Vec<(u16, Vec<String>)> {
    let mut parts = Vec::new();
    for section in page.split("<section class=\"part\" id=\"part").skip(1) {
        let number: u16 = section
            .split('"')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a part's section is numbered");
        let section = section.split("</section>").next().unwrap_or(section);
        let mut boxes = Vec::new();
        for figure in section.split("<svg").skip(1) {
            let figure = figure.split("</svg>").next().unwrap_or(figure);
            if !figure.contains("-conversation") {
                continue;
            }
            for group in figure.split("<g><title>").skip(1) {
                if let Some((title, _)) = group.split_once("</title>") {
                    boxes.push(decode_entities(title));
                }
            }
        }
        parts.push((number, boxes));
    }
    parts
}

/// What each part of lessons 10, 7 and 8 writes and reads, as the bytes at the end of one box
/// each: a frame's box ends with its body (its length and header come first); lesson 8's
/// client reads a reply's header alone, then its body.
fn exchanged(lesson: u16, part: u16) -> Vec<Vec<u8>> {
    use socket_lessons::files::request;
    use socket_lessons::frame::Header;
    use socket_lessons::menu;
    let json = |header: &Header| serde_json::to_vec(header).expect("a header is JSON");
    // The files lesson 8's demo serves: a.txt, and notes.txt (which its stand-in server sends
    // with the fourth byte flipped, under the real file's header).
    let notes = b"Bring a laptop.\nRead chapter 8.\n";
    let mut flipped = notes.to_vec();
    flipped[3] ^= 0x20;
    let listing = br#"[{"name":"a.txt","size":6},{"name":"notes.txt","size":32}]"#;
    let line = |text: &str| format!("{text}\n").into_bytes();
    let texts = |texts: &[&str]| texts.iter().map(|t| t.as_bytes().to_vec()).collect();
    match (lesson, part) {
        (10, 1) => [
            texts(&["1", "2", "*", "0", "流量不够用", "exit"]),
            vec![
                line(menu::WELCOME),
                line(menu::QUERIES),
                line(menu::OPERATOR),
            ],
            vec![line(menu::GOODBYE)],
        ]
        .concat(),
        (10, 2) => [
            texts(&["5", "1", "0", "exit"]),
            vec![
                format!("{}\n{}\n", menu::TRY_AGAIN, menu::WELCOME).into_bytes(),
                format!("{}\n{}\n", menu::TRY_AGAIN, menu::QUERIES).into_bytes(),
            ],
        ]
        .concat(),
        (10, 3) => [
            texts(&["1", "0", "exit"]),
            vec![line(menu::QUERIES), line(menu::OPERATOR)],
        ]
        .concat(),
        (10, 4) => vec![line(menu::WELCOME)],
        (10, 5) => [
            texts(&["1"]),
            vec![line(menu::QUERIES), line(menu::CLOSING)],
        ]
        .concat(),
        (7, 2) => texts(&["hello", "world", "sudada", "h", "w", "s"]),
        (7, 4) => texts(&["hello from a", "hi from b", "HELLO FROM A", "HI FROM B"]),
        (7, 5) => texts(&["one", "ONE", "two", "three", "THREE"]),
        (8, 1) => vec![json(&request("list", "")), json(&Header::for_body(listing))],
        (8, 2) => vec![
            json(&request("get", "a.txt")),
            json(&Header::for_body(b"hello\n").with("filename", "a.txt")),
            b"hello\n".to_vec(),
        ],
        (8, 3) => vec![
            // The request's header and the file's bytes leave in one write.
            b"\"filename\":\"b.txt\"}uploaded by the client\n".to_vec(),
            json(&Header::for_body(b"").with("filename", "b.txt")),
        ],
        (8, 4) => vec![
            json(&request("get", "notes.txt")),
            json(&Header::for_body(notes).with("filename", "notes.txt")),
            flipped,
        ],
        (8, 5) => vec![
            json(&request("get", "../secret.txt")),
            b"it would leave the folder\n".to_vec(),
        ],
        (8, 6) => vec![
            json(&request("get", "one.bin")),
            json(&request("get", "two.bin")),
        ],
        _ => Vec::new(),
    }
}

#[test]
fn every_part_that_exchanges_bytes_draws_them_on_lanes() {
    let scratch = Scratch::new();
    for (lesson, parts) in [(10, 1..=5), (7, 1..=5), (8, 1..=6)] {
        let (_, page) = demo_page(lesson, &[], &scratch);
        let drawn = lanes_by_part(&read(&page));
        for part in parts {
            let boxes = drawn
                .iter()
                .find(|(number, _)| *number == part)
                .map(|(_, boxes)| boxes.as_slice())
                .unwrap_or_else(|| panic!("lesson{lesson}'s page has no part {part}"));
            assert!(
                !boxes.is_empty(),
                "lesson{lesson}'s part {part} has no lanes"
            );
            for bytes in exchanged(lesson, part) {
                // `show` quotes: the box's tooltip ends with the bytes and the closing quote.
                let shown = socket_lessons_tools::demo::show(&bytes);
                let tail = &shown[1..];
                assert!(
                    boxes.iter().any(|title| title.ends_with(tail)),
                    "lesson{lesson}'s part {part}: no box on its lanes holds {shown}; its boxes \
                     are {boxes:?}"
                );
            }
        }
    }
    // Lesson 8's part 6 moves megabytes six times (three reads, each run twice and the quicker
    // kept): each reply is drawn as one total (how many bytes in how many reads), not as a box
    // per read. A box of bytes starts with their quote; a total does not.
    let (_, page) = demo_page(8, &["--part", "6"], &scratch);
    let drawn = lanes_by_part(&read(&page));
    let boxes = &drawn.first().expect("lesson8's page has part 6").1;
    let totals = boxes.iter().filter(|title| !title.starts_with('"')).count();
    assert_eq!(
        (totals, boxes.len()),
        (6, 12),
        "lesson8's part 6 should draw six requests and six totals; its boxes are {boxes:?}"
    );
}

#[test]
fn every_page_names_nothing_outside_itself() {
    let scratch = Scratch::new();
    let mut pages: Vec<(String, String)> = LESSONS
        .iter()
        .map(|lesson| {
            let (_, page) = demo_page(lesson.number, &[], &scratch);
            (lesson.bin_name(), read(&page))
        })
        .collect();
    pages.push(("chaos".into(), read(&chaos_page(&scratch).0)));
    pages.push(("compare".into(), read(&compare_page(&scratch))));
    for (name, html) in pages {
        assert!(html.starts_with("<!DOCTYPE html>\n"), "{name}");
        assert!(
            html.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            ),
            "{name}: the policy that forbids every request"
        );
        for fetch in [
            "<script", "<link", "<img", "<iframe", "@import", "src=", "href=",
        ] {
            assert!(!html.contains(fetch), "{name} contains {fetch}");
        }
        assert_eq!(
            html.matches("url(").count(),
            html.matches("url(#").count(),
            "{name}: a url() that is not a pattern of the page's own"
        );
        assert_eq!(
            html.matches("<svg ").count(),
            html.matches("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .count(),
            "{name}: every figure is an SVG document of its own"
        );
    }
}

#[test]
fn a_demo_that_fails_writes_no_page() {
    let scratch = Scratch::new();
    let page = scratch.path("none.html");
    let run = common::run(
        common::lesson_command(5)
            .args(["--part", "9", "--html"])
            .arg(&page),
        b"",
    );
    assert!(!run.status.success());
    assert!(!page.exists(), "a page was written for a demo that failed");
    assert_eq!(
        fs::read_dir(&scratch.0).unwrap().count(),
        0,
        "nor half of one"
    );
}

#[test]
fn html_after_server_is_a_usage_error_with_the_tip() {
    let run = common::run(
        common::lesson_command(5).args(["server", "--html", "x.html"]),
        b"",
    );
    assert_eq!(run.status.code(), Some(2), "{}", run.stderr);
    // The tip is folded to 80 columns, its rest under its first word: put it back together.
    assert!(
        run.stderr.replace("\n       ", " ").contains(
            "tip: --html draws the demo: `lesson5 --html FILE` (or `lesson5 demo --html FILE`)"
        ),
        "{}",
        run.stderr
    );
}

/// `chaos --down split:2 --html` in front of lesson 4, with two requests through it, each sent
/// once the reply to the one before has come back whole. Returns the page, and the bytes that
/// went each way (every request, every reply).
fn chaos_page(scratch: &Scratch) -> (PathBuf, Vec<Vec<u8>>) {
    let server = common::ServerProcess::start(4);
    let page = scratch.path("chaos.html");
    let to = server.addr.to_string();
    let page_arg = page.to_string_lossy().into_owned();
    let (mut chaos, addr) = Tool::listening(
        CHAOS,
        &[
            "--listen",
            "127.0.0.1:0",
            "--to",
            &to,
            "--down",
            "split:2",
            "--json",
            "--html",
            &page_arg,
        ],
    );
    let mut traffic = Vec::new();
    {
        let mut client = probe::connect(addr).unwrap();
        for request in [&b"hello"[..], b"<b>bytes & \"quotes\"</b>\x01"] {
            client.write_all(request).unwrap();
            let reply = common::bytes_upper(request);
            let mut got = vec![0; reply.len()];
            client.read_exact(&mut got).unwrap();
            assert_eq!(got, reply);
            traffic.push(request.to_vec());
            traffic.push(reply);
        }
    }
    // The pair closes once the client has gone; the page is written again then.
    chaos.event("closed", |event| common::tools::is(event, "closed"));
    chaos.interrupt();
    let (status, _, _) = chaos.finish();
    assert!(status.success());
    drop(server);
    (page, traffic)
}

/// `compare --stages 4,5 --scenario back-to-back --html`: one good cell and one bad.
fn compare_page(scratch: &Scratch) -> PathBuf {
    let page = scratch.path("compare.html");
    let run = common::run(
        Command::new(COMPARE)
            .args(["--stages", "4,5", "--scenario", "back-to-back", "--html"])
            .arg(&page),
        b"",
    );
    assert!(run.status.success(), "{}", run.stderr);
    let html = read(&page);
    assert!(
        html.contains("class=\"good\"") && html.contains("class=\"bad\""),
        "{html}"
    );
    page
}

// ---- In a real browser ----

/// Where Chromium is, if it is here. Says `skipped:` (or, where it is required, fails).
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join(name))
                    .find(|path| path.is_file())
            })
        });
    if found.is_none() {
        if std::env::var_os("SOCKET_LESSONS_REQUIRE_CHROMIUM").is_some_and(|v| v == "1") {
            panic!(
                "Chromium must run here (SOCKET_LESSONS_REQUIRE_CHROMIUM=1), but it is not on PATH"
            );
        }
        let test = thread::current().name().unwrap_or("a test").to_string();
        let _ = writeln!(
            io::stderr(),
            "skipped: no chromium on PATH (apt-get install chromium) ({test})"
        );
    }
    found
}

/// The flags every run takes: headless, and none of Chromium's own trips to the network that
/// can be switched off.
const QUIET_CHROMIUM: [&str; 10] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    // Without this, Chromium asks a Google host for the time over plain HTTP.
    "--disable-features=NetworkTimeServiceQuerying",
];

/// What one run of the browser printed.
struct Browsed {
    stdout: String,
    stderr: String,
}

/// Runs Chromium on `page` with `args`, a profile of its own, and a bounded wait.
fn browse(chromium: &Path, page: &Path, args: &[String]) -> Browsed {
    let profile = Scratch::new();
    let mut command = Command::new(chromium);
    command
        .args(QUIET_CHROMIUM)
        .arg(format!("--user-data-dir={}", profile.0.display()))
        .args(args)
        .arg(format!("file://{}", page.display()));
    let run = probe::run(&mut command, b"", 6 * PATIENCE).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        run.status.success(),
        "chromium failed on {}: {}",
        page.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    Browsed {
        stdout: String::from_utf8_lossy(&run.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&run.stderr).into_owned(),
    }
}

/// The rendered DOM of `page` in a 1280-pixel window, its entities decoded back to text.
fn dom(chromium: &Path, page: &Path) -> String {
    let dumped = browse(
        chromium,
        page,
        &["--window-size=1280,900".into(), "--dump-dom".into()],
    );
    decode_entities(&dumped.stdout)
}

fn decode_entities(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// A proxy that refuses everything and writes down the first line of every request it gets.
struct Refusing {
    addr: std::net::SocketAddr,
    requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Refusing {
    fn start() -> Refusing {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let noted = requests.clone();
        thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { break };
                let _ = conn.set_read_timeout(Some(PATIENCE));
                let mut first = [0u8; 200];
                let n = conn.read(&mut first).unwrap_or(0);
                let line = String::from_utf8_lossy(&first[..n])
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string();
                noted.lock().unwrap().push(line);
                let _ = conn.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            }
        });
        Refusing { addr, requests }
    }

    /// The requests that came from the page: Chromium itself still opens tunnels to Google's
    /// hosts for its own services (sign-in, variations, the time) whatever it is shown, with
    /// every background flag given; those are told apart here (no page of ours names a Google
    /// host), and anything else is the page's.
    fn the_page_s(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|line| !is_chromium_own(line))
            .cloned()
            .collect()
    }
}

fn is_chromium_own(request: &str) -> bool {
    let target = match request.split_once(' ') {
        Some(("CONNECT", target)) => target,
        Some(("GET", url)) => url.strip_prefix("http://").unwrap_or(""),
        _ => return false,
    };
    let host = target.split([':', '/']).next().unwrap_or("");
    host == "google.com" || host.ends_with(".google.com") || host.ends_with(".googleapis.com")
}

/// Loads `page` through a refusing proxy (loopback too), logging the console to stderr;
/// returns the page's own requests and the console's policy violations.
fn requests_of(chromium: &Path, page: &Path) -> (Vec<String>, Vec<String>) {
    let proxy = Refusing::start();
    let browsed = browse(
        chromium,
        page,
        &[
            format!("--proxy-server=http://{}", proxy.addr),
            "--proxy-bypass-list=<-loopback>".into(),
            "--enable-logging=stderr".into(),
            "--v=0".into(),
            "--dump-dom".into(),
        ],
    );
    let refused: Vec<String> = browsed
        .stderr
        .lines()
        .filter(|line| line.contains("Content Security Policy"))
        .map(str::to_string)
        .collect();
    (proxy.the_page_s(), refused)
}

#[test]
fn the_pages_load_nothing_from_outside_the_file() {
    let Some(chromium) = chromium() else { return };
    let scratch = Scratch::new();
    // First, that the check can fail: a page that fetches an image over HTTP is seen by the
    // proxy; with the pages' policy, the same image is refused, and the console says so.
    let outside = "<img src=\"http://192.0.2.7/picture.png\">";
    let control = scratch.path("control.html");
    fs::write(&control, format!("<!DOCTYPE html><p>control</p>{outside}")).unwrap();
    let (requests, _) = requests_of(&chromium, &control);
    assert!(
        requests.iter().any(|r| r.contains("192.0.2.7/picture.png")),
        "the proxy should have seen the control page's image: {requests:?}"
    );
    let guarded = scratch.path("guarded.html");
    fs::write(
        &guarded,
        socket_lessons_tools::page::page("en", "guarded", "", outside),
    )
    .unwrap();
    let (requests, refused) = requests_of(&chromium, &guarded);
    assert!(requests.is_empty(), "{requests:?}");
    assert!(
        !refused.is_empty(),
        "the console should say the policy refused the image"
    );

    let mut pages = vec![
        demo_page(5, &[], &scratch).1,
        demo_page(9, &[], &scratch).1,
        chaos_page(&scratch).0,
        compare_page(&scratch),
    ];
    pages.push(demo_page(6, &[], &scratch).1);
    for page in pages {
        let (requests, refused) = requests_of(&chromium, &page);
        assert!(requests.is_empty(), "{}: {requests:?}", page.display());
        assert!(refused.is_empty(), "{}: {refused:?}", page.display());
    }
}

/// How many pixels of a 1280-pixel-wide screenshot of `page` are not the white background.
fn drawn_pixels(chromium: &Path, page: &Path, scratch: &Scratch) -> usize {
    let png = scratch.path("screenshot.png");
    let _ = fs::remove_file(&png);
    browse(
        chromium,
        page,
        &[
            "--window-size=1280,1600".into(),
            format!("--screenshot={}", png.display()),
        ],
    );
    let decoder = png::Decoder::new(fs::File::open(&png).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(frame.width, 1280);
    let channels = frame.color_type.samples();
    pixels[..frame.buffer_size()]
        .chunks(channels)
        .filter(|pixel| pixel.iter().take(3).any(|&c| c < 240))
        .count()
}

#[test]
fn the_screenshots_are_not_blank() {
    let Some(chromium) = chromium() else { return };
    let scratch = Scratch::new();
    let blank = scratch.path("blank.html");
    fs::write(&blank, "<!DOCTYPE html><title>blank</title>").unwrap();
    assert_eq!(
        drawn_pixels(&chromium, &blank, &scratch),
        0,
        "a blank page draws nothing"
    );
    let screen = 1280 * 1600;
    for page in [
        demo_page(5, &[], &scratch).1,
        chaos_page(&scratch).0,
        compare_page(&scratch),
    ] {
        let drawn = drawn_pixels(&chromium, &page, &scratch);
        // Text, boxes and fills: well over one pixel in a hundred of the window.
        assert!(
            drawn > screen / 100,
            "{}: only {drawn} pixels drawn",
            page.display()
        );
    }
}

/// The quoted bytes of the play-by-play's writes and reads (`sends "echo a"`): the text that
/// `show` gave each, without its quotes (a counted read quotes only its ends).
fn quoted_bytes(transcript: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in transcript.lines() {
        let told = [" sends ", " receives ", " joins "]
            .iter()
            .any(|verb| line.contains(verb));
        if !told {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find('"') {
            let after = &rest[start + 1..];
            let mut end = None;
            let mut escaped = false;
            for (i, c) in after.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(i);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let Some(end) = end else { break };
            found.push(after[..end].to_string());
            rest = &after[end + 1..];
        }
    }
    found
}

#[test]
fn the_bytes_of_every_write_and_read_are_in_the_rendered_dom() {
    let Some(chromium) = chromium() else { return };
    let scratch = Scratch::new();
    for lesson in &LESSONS {
        let (transcript, page) = demo_page(lesson.number, &[], &scratch);
        let dom = dom(&chromium, &page);
        for bytes in quoted_bytes(&transcript) {
            assert!(
                dom.contains(&bytes),
                "{}: the rendered page lacks {bytes:?}, which the transcript shows",
                lesson.bin_name()
            );
        }
    }
    let (page, traffic) = chaos_page(&scratch);
    let dom = dom(&chromium, &page);
    for bytes in traffic {
        // Each request came in as one read and each reply too (one was sent only after the
        // other had come back): each is one box, its bytes its tooltip, as the play-by-play
        // shows bytes.
        let shown = socket_lessons_tools::demo::show(&bytes);
        assert!(dom.contains(&shown), "the chaos page lacks {shown}");
    }
    // The split replies: two bytes per box out.
    assert!(
        dom.contains("\"HE\"") && dom.contains("\"LL\""),
        "no split pieces"
    );
}

/// A copy of `page` with a script that measures, after layout, the right edge of everything
/// on it, and writes the widest into the DOM: the check is not part of the page shipped (its
/// policy forbids scripts; the copy's allows this one, and nothing else changes).
fn widest(chromium: &Path, page: &Path, scratch: &Scratch) -> (f64, f64) {
    let html = read(page).replacen(
        "default-src 'none'; style-src 'unsafe-inline'",
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
        1,
    );
    let measure = "<script>\
        let widest = document.documentElement.scrollWidth;\
        for (const e of document.querySelectorAll('body *')) {\
          widest = Math.max(widest, e.getBoundingClientRect().right);\
        }\
        document.body.setAttribute('data-widest', widest);\
        document.body.setAttribute('data-window', window.innerWidth);\
        </script></body>";
    let copy = scratch.path("measured.html");
    fs::write(&copy, html.replacen("</body>", measure, 1)).unwrap();
    let dom = dom(chromium, &copy);
    let attribute = |name: &str| -> f64 {
        let at = dom
            .find(&format!("{name}=\""))
            .unwrap_or_else(|| panic!("the measuring script did not run: {dom}"));
        let value = &dom[at + name.len() + 2..];
        value[..value.find('"').unwrap()].parse().unwrap()
    };
    (attribute("data-widest"), attribute("data-window"))
}

#[test]
fn nothing_is_wider_than_a_1280_pixel_window() {
    let Some(chromium) = chromium() else { return };
    let scratch = Scratch::new();
    let mut pages: Vec<PathBuf> = LESSONS
        .iter()
        .map(|lesson| demo_page(lesson.number, &[], &scratch).1)
        .collect();
    pages.push(chaos_page(&scratch).0);
    pages.push(compare_page(&scratch));
    for page in pages {
        let (widest, window) = widest(&chromium, &page, &scratch);
        assert_eq!(window, 1280.0);
        assert!(widest <= window, "{}: {widest} px wide", page.display());
    }
}

#[test]
fn one_part_of_lesson_5_prints_on_one_a4_page() {
    let Some(chromium) = chromium() else { return };
    let scratch = Scratch::new();
    let (_, page) = demo_page(5, &["--part", "1"], &scratch);
    let pdf = scratch.path("lesson5-part1.pdf");
    browse(
        &chromium,
        &page,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    let bytes = fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert_eq!(pages, 1, "lesson 5's first part should print on one page");
    // A4 is 595 × 842 points (Chromium writes 594.96 × 841.92): the page's own @page rule,
    // not the browser's Letter default (612 × 792).
    assert!(
        text.contains("/MediaBox [0 0 594.9") && text.contains(" 841.9"),
        "not an A4 page"
    );
}
