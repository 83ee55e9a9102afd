//! A stage repeats what it builds on, on purpose: the accept loop, `CLIENT_THREAD_STACK` and its
//! doc, the communication loop, the client loop. A student reads each stage whole and `diff`s it
//! with the one before, so the repeats must stay true copies: a comment fixed in one stage and not
//! in the next, or a sentence copied into a stage where it is false, is a lie on a page.
//!
//! The regions are found by their first and last lines ([`REGIONS`]), so the pages carry no
//! marks for this test: what a student diffs is only the lesson. A region found in a stage is
//! compared, line by line (indentation aside), with the same region in the stage it builds on
//! (the course table's `builds_on`). Every difference must be declared below: the stage's idea,
//! or a sentence that would be false in this stage. Anything else (a drifted comment, a fix made
//! in one copy only) fails, and so does a declared difference that is no longer there.

use std::fs;
use std::path::Path;

use socket_lessons::course::{self, LESSONS};

/// A difference a copy may have from its source: the source's lines `was` replaced by `is`
/// (either may be empty: a deletion or an insertion). Lines are given without their indentation.
struct Change {
    was: &'static [&'static str],
    is: &'static [&'static str],
}

/// One repeated region: the region `region` of lesson `lesson`, a copy of the region of the same
/// name in the stage it builds on, with exactly these changes.
struct Copy {
    lesson: u16,
    region: &'static str,
    changes: &'static [Change],
}

const SAME: &[Change] = &[];

/// Every repeated region of the course. A region anchored in two neighbouring stages and not
/// listed here fails too: a copy nobody checks is how drift starts.
const COPIES: &[Copy] = &[
    // Lesson 3's client loop, in lesson 7: datagrams instead of a stream.
    Copy {
        lesson: 7,
        region: "client_loop",
        changes: &[
            Change {
                was: &[
                    "// Sending an empty message sends no bytes at all: the server's `recv` never returns, and",
                    "// our `recv` below would wait for a reply that is never coming. So don't.",
                    "if message.is_empty() {",
                    "continue;",
                    "}",
                ],
                is: &[
                    "// No empty-line check, unlike lesson 3: an empty datagram is still a datagram, and the",
                    "// server answers it.",
                ],
            },
            Change {
                was: &[
                    "phone.write_all(&message)?;",
                    "let n = phone.read(&mut reply)?;",
                    "if n == 0 {",
                    "warn!(\"the server closed the connection\");",
                    "break;",
                ],
                is: &[
                    "phone.send(&message)?;",
                    "let received = phone.recv(&mut reply);",
                    "// \"Refused\" means nobody listens there at all: `?` below ends the client. Any other",
                    "// error means no reply came: the timeout passed (or the network said the host cannot be",
                    "// reached). Nobody will send the datagram again, so give up on it and go on.",
                    "if matches!(&received, Err(e) if e.kind() != ErrorKind::ConnectionRefused) {",
                    "warn!(\"no reply: the datagram or its reply may be lost, and UDP does not retry\");",
                    "continue;",
                ],
            },
            Change {
                was: &[],
                is: &["let n = received?;"],
            },
        ],
    },
    // Lesson 1's client, in lesson 2: a loop around `accept` changes only the server.
    Copy {
        lesson: 2,
        region: "one_message",
        changes: SAME,
    },
    // Lesson 3's communication loop and client loop, in lesson 4: threads change neither.
    Copy {
        lesson: 4,
        region: "recv",
        changes: SAME,
    },
    Copy {
        lesson: 4,
        region: "client_loop",
        changes: SAME,
    },
    // Lesson 4's stack and accept loop, in lesson 5: the server's commands go to each thread.
    Copy {
        lesson: 5,
        region: "stack",
        changes: SAME,
    },
    Copy {
        lesson: 5,
        region: "accept",
        changes: &[
            Change {
                was: &[],
                is: &[
                    "// Every client's thread gets its own handle on the server's commands.",
                    "let commands = commands.clone();",
                ],
            },
            Change {
                was: &[".spawn(move || serve_one_client(conn, peer));"],
                is: &[".spawn(move || serve_one_client(conn, peer, commands));"],
            },
        ],
    },
    Copy {
        lesson: 5,
        region: "recv",
        changes: SAME,
    },
    Copy {
        lesson: 5,
        region: "client_loop",
        changes: SAME,
    },
    // Lesson 6 keeps lesson 5's accept loop; its stack's doc says what *its* loop holds.
    Copy {
        lesson: 6,
        region: "stack",
        changes: &[Change {
            was: STACK_1_KIB,
            is: &[
                "/// Our communication loop reads whole frames, whose header and body live on the heap, and",
                "/// runs commands; its stack stays far below this size.",
            ],
        }],
    },
    Copy {
        lesson: 6,
        region: "accept",
        changes: SAME,
    },
    // Lesson 8: lesson 6's accept loop serving a folder instead of commands.
    Copy {
        lesson: 8,
        region: "stack",
        changes: &[Change {
            was: STACK_6,
            is: &[
                "/// Our communication loop moves files through a 256 KiB buffer on the heap, not the stack,",
                "/// and reads JSON headers; its stack stays far below this size.",
            ],
        }],
    },
    Copy {
        lesson: 8,
        region: "accept",
        changes: &[
            Change {
                was: COMMANDS_HANDLE,
                is: &[
                    "// Every client's thread gets its own handle on the served folder.",
                    "let root = root.clone();",
                ],
            },
            Change {
                was: &[".spawn(move || serve_one_client(conn, peer, commands));"],
                is: &[".spawn(move || serve_one_client(conn, peer, root));"],
            },
        ],
    },
    // Lesson 9: lesson 4's accept loop, each thread with a handle on the room; its stack refers to lesson 4's reasons
    // instead of repeating them (its loop reads lines, not 1 KiB reads).
    Copy {
        lesson: 9,
        region: "stack",
        changes: &[Change {
            was: STACK_DOC,
            is: &[
                "/// Each client thread gets a 256 KiB stack instead of Rust's default 2 MiB, as in lesson 4.",
            ],
        }],
    },
    Copy {
        lesson: 9,
        region: "accept",
        changes: &[
            Change {
                was: &[],
                is: &["let room = Arc::clone(&room);"],
            },
            Change {
                was: &[".spawn(move || serve_one_client(conn, peer));"],
                is: &[".spawn(move || serve_one_member(conn, peer, &room));"],
            },
        ],
    },
    // Lesson 10: lesson 6's accept loop for callers, and its frame checks.
    Copy {
        lesson: 10,
        region: "stack",
        changes: &[Change {
            was: STACK_6,
            is: &[
                "/// Our communication loop reads JSON headers and keeps one caller's place in the menu; its",
                "/// stack stays far below this size.",
            ],
        }],
    },
    Copy {
        lesson: 10,
        region: "accept",
        changes: &[
            Change {
                was: COMMANDS_HANDLE,
                is: &[],
            },
            Change {
                was: &[".spawn(move || serve_one_client(conn, peer, commands));"],
                is: &[".spawn(move || serve_one_caller(conn, peer, idle));"],
            },
        ],
    },
    Copy {
        lesson: 10,
        region: "check_request",
        changes: &[Change {
            was: &[
                "// The header's md5 is the peer's text: escaped, so that it cannot forge a log line.",
            ],
            is: &[
                "// The header's md5 is the peer's text: escaped, so that it cannot forge a",
                "// log line.",
            ],
        }],
    },
    Copy {
        lesson: 10,
        region: "reply",
        changes: &[
            Change {
                was: &["let Some(reply) = frame::read_frame(&mut phone, &Limits::REPLY)? else {"],
                is: &["let Some(reply) = frame::read_frame(phone, &Limits::REPLY)? else {"],
            },
            Change {
                was: &["break;"],
                is: &["return Ok(false);"],
            },
        ],
    },
    // Lesson 11: lesson 4 with a guard (the cap, the timeouts) and TCP_NODELAY.
    Copy {
        lesson: 11,
        region: "stack",
        changes: SAME,
    },
    Copy {
        lesson: 11,
        region: "accept",
        changes: &[
            Change {
                was: &["while let Some((conn, peer)) = server.accept() {"],
                is: &["while let Some((mut conn, peer)) = server.accept() {"],
            },
            Change {
                was: &[],
                is: &[
                    "// The cap comes before the thread: a client beyond it costs no thread and no stack.",
                    "let Some(seat) = guard.admit(&mut conn, peer) else {",
                    "continue;",
                    "};",
                    "// TCP_NODELAY: send each reply at once, even while the last one is unacknowledged.",
                    "if let (true, Some(tcp)) = (nodelay, conn.as_tcp()) {",
                    "if let Err(e) = tcp.set_nodelay(true) {",
                    "warn!(\"{peer}: cannot set TCP_NODELAY ({e})\");",
                    "}",
                    "}",
                ],
            },
            Change {
                was: &[".spawn(move || serve_one_client(conn, peer));"],
                is: &[
                    "// The seat moves into the thread, and is given back when the thread ends.",
                    ".spawn(move || serve_one_client(conn, peer, seat));",
                ],
            },
        ],
    },
    Copy {
        lesson: 11,
        region: "recv",
        changes: &[Change {
            was: &[],
            is: &[
                "// The read timeout is the idle timeout. Every byte read so far has been answered, so",
                "// hanging up loses nothing.",
                "Err(e) if is_timeout(&e) => {",
                "info!(\"{peer}: silent for too long (--idle); hanging up\");",
                "return;",
                "}",
            ],
        }],
    },
    Copy {
        lesson: 11,
        region: "client_loop",
        changes: &[Change {
            was: &[],
            is: &["// With a read timeout, a reply that does not come is an error, not a hang."],
        }],
    },
    // Lesson 12: lesson 4 on a fixed pool of workers; a worker runs lesson 4's communication
    // loop unchanged, and the client is lesson 4's.
    Copy {
        lesson: 12,
        region: "recv",
        changes: SAME,
    },
    Copy {
        lesson: 12,
        region: "client_loop",
        changes: SAME,
    },
    // Lesson 13: lesson 4's client, unchanged; the server's loop is the lesson.
    Copy {
        lesson: 13,
        region: "client_loop",
        changes: SAME,
    },
];

/// The two lines lesson 5 adds to the accept loop, which lessons 8 and 10 change again.
const COMMANDS_HANDLE: &[&str] = &[
    "// Every client's thread gets its own handle on the server's commands.",
    "let commands = commands.clone();",
];

/// Lesson 4's doc of `CLIENT_THREAD_STACK`, whose last two lines are true only where the loop
/// reads into a 1 KiB buffer.
const STACK_DOC: &[&str] = &[
    "/// Each client thread gets a 256 KiB stack instead of Rust's default 2 MiB. The stack is reserved",
    "/// address space for as long as the thread lives, and a thread per client means one stack per",
    "/// connected client: 10,000 idle clients would reserve 20 GiB at the default, 2.5 GiB at this size.",
    "/// Our communication loop needs a 1 KiB buffer and some logging; lessons 5 and 6 reuse this size",
    "/// for running commands and parsing JSON headers, still far below it.",
];
const STACK_1_KIB: &[&str] = &[STACK_DOC[3], STACK_DOC[4]];
/// Lesson 6's version of those two lines.
const STACK_6: &[&str] = &[
    "/// Our communication loop reads whole frames, whose header and body live on the heap, and",
    "/// runs commands; its stack stays far below this size.",
];

fn read(source: &str) -> String {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(source);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Where a repeated region is in a stage's file: from the first lines that start with `first`
/// (one after the other) to the next line after them that starts with `last`, all included
/// (lines without indentation).
struct Region {
    name: &'static str,
    first: &'static [&'static str],
    last: &'static str,
}

/// The regions stages repeat.
const REGIONS: &[Region] = &[
    // `CLIENT_THREAD_STACK` and its doc (lesson 4's).
    Region {
        name: "stack",
        first: &["/// Each client thread gets"],
        last: "pub const CLIENT_THREAD_STACK",
    },
    // The accept loop with a thread per client, to the end of `serve` (lesson 4's).
    Region {
        name: "accept",
        first: &["let mut client_threads: Vec<JoinHandle<()>> = Vec::new();"],
        last: "Ok(())",
    },
    // The communication loop's read (lesson 3's).
    Region {
        name: "recv",
        first: &["let n = match conn.read(&mut buf) {"],
        last: "};",
    },
    // Lesson 1's client: one message, one reply.
    Region {
        name: "one_message",
        first: &["/// Sends the first of `lines` as one message"],
        last: "// close: `phone` is dropped here",
    },
    // The client's loop over its lines (lesson 3's).
    Region {
        name: "client_loop",
        first: &["let mut reply = [0u8; 1024];", "for line in lines {"],
        last: "Ok(())",
    },
    // Reading a framed reply and checking its md5 (lesson 6's client).
    Region {
        name: "reply",
        first: &["// The whole reply, however long"],
        last: "output.flush()?;",
    },
    // Checking a framed request's md5 (lesson 6's server).
    Region {
        name: "check_request",
        first: &["if let Md5Check::Mismatch { expected, actual } = request.check_md5() {"],
        last: "return;",
    },
];

/// The lines of `region` in `source`, without indentation, if the file has it.
fn find(source: &str, region: &Region) -> Option<Vec<String>> {
    let lines: Vec<String> = source.lines().map(|line| line.trim().to_string()).collect();
    let start = lines.windows(region.first.len()).position(|window| {
        window
            .iter()
            .zip(region.first)
            .all(|(line, first)| line.starts_with(first))
    })?;
    let after = start + region.first.len();
    let end = after
        + lines[after..]
            .iter()
            .position(|line| line.starts_with(region.last))?;
    Some(lines[start..=end].to_vec())
}

fn region(source: &str, name: &str) -> Option<Vec<String>> {
    let region = REGIONS
        .iter()
        .find(|region| region.name == name)
        .unwrap_or_else(|| panic!("no region called {name} in REGIONS"));
    find(source, region)
}

/// A difference found between two regions: `was` replaced by `is`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    was: Vec<String>,
    is: Vec<String>,
}

/// The differences between `source` and `copy`: a minimal line diff (a longest common
/// subsequence), grouped into runs of removed and added lines.
fn differences(source: &[String], copy: &[String]) -> Vec<Found> {
    let (n, m) = (source.len(), copy.len());
    // common[i][j]: the longest common subsequence of source[i..] and copy[j..].
    let mut common = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] = if source[i] == copy[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut found = Vec::new();
    let mut run = Found {
        was: Vec::new(),
        is: Vec::new(),
    };
    while i < n || j < m {
        if i < n && j < m && source[i] == copy[j] {
            if !run.was.is_empty() || !run.is.is_empty() {
                found.push(std::mem::replace(
                    &mut run,
                    Found {
                        was: Vec::new(),
                        is: Vec::new(),
                    },
                ));
            }
            i += 1;
            j += 1;
        } else if j < m && (i == n || common[i][j + 1] >= common[i + 1][j]) {
            run.is.push(copy[j].clone());
            j += 1;
        } else {
            run.was.push(source[i].clone());
            i += 1;
        }
    }
    if !run.was.is_empty() || !run.is.is_empty() {
        found.push(run);
    }
    found
}

/// What is wrong with `copy` (region `name`, lines `copied`) as a copy of `source`, given the
/// changes it declares: differences not declared, and declared changes not found.
fn check(source: &[String], copied: &[String], changes: &[Change]) -> Vec<String> {
    let found = differences(source, copied);
    let declared: Vec<Found> = changes
        .iter()
        .map(|change| Found {
            was: change.was.iter().map(|l| l.to_string()).collect(),
            is: change.is.iter().map(|l| l.to_string()).collect(),
        })
        .collect();
    let mut problems = Vec::new();
    for difference in &found {
        if !declared.contains(difference) {
            problems.push(format!(
                "an undeclared difference:\n{}",
                show(&difference.was, &difference.is)
            ));
        }
    }
    for change in &declared {
        if !found.contains(change) {
            problems.push(format!(
                "a declared change that is not there (any more):\n{}",
                show(&change.was, &change.is)
            ));
        }
    }
    problems
}

fn show(was: &[String], is: &[String]) -> String {
    let mut text = String::new();
    for line in was {
        text.push_str(&format!("    - {line}\n"));
    }
    for line in is {
        text.push_str(&format!("    + {line}\n"));
    }
    text
}

#[test]
fn every_repeated_region_is_its_source_with_only_the_declared_changes() {
    let mut problems = Vec::new();
    for copy in COPIES {
        let lesson = course::lesson(copy.lesson);
        let previous = lesson
            .previous()
            .unwrap_or_else(|| panic!("{} builds on no stage", lesson.bin_name()));
        let place = format!(
            "{}#{} (a copy of {}#{})",
            lesson.source, copy.region, previous.source, copy.region
        );
        let Some(copied) = region(&read(lesson.source), copy.region) else {
            problems.push(format!("{place}: no such region in the copy"));
            continue;
        };
        let Some(source) = region(&read(previous.source), copy.region) else {
            problems.push(format!("{place}: no such region in the source"));
            continue;
        };
        for problem in check(&source, &copied, copy.changes) {
            problems.push(format!("{place}: {problem}"));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_region_a_stage_shares_with_the_stage_it_builds_on_is_listed() {
    for lesson in &LESSONS {
        let Some(previous) = lesson.previous() else {
            continue;
        };
        let (ours, theirs) = (read(lesson.source), read(previous.source));
        for name in REGIONS.iter().map(|region| region.name) {
            if region(&ours, name).is_some() && region(&theirs, name).is_some() {
                assert!(
                    COPIES
                        .iter()
                        .any(|copy| copy.lesson == lesson.number && copy.region == name),
                    "{}#{name} repeats {}#{name}, but COPIES does not list it",
                    lesson.source,
                    previous.source
                );
            }
        }
    }
}

#[test]
fn the_check_fails_on_a_drifted_comment() {
    // Lesson 5's accept loop, as it is, passes; with one word of one comment changed, it fails,
    // and the message shows the line.
    let copy = COPIES
        .iter()
        .find(|copy| copy.lesson == 5 && copy.region == "accept")
        .unwrap();
    let source = region(&read("src/lessons/concurrent.rs"), "accept").unwrap();
    let copied = region(&read("src/lessons/sticky_packet.rs"), "accept").unwrap();
    assert_eq!(check(&source, &copied, copy.changes), Vec::<String>::new());
    let drifted: Vec<String> = copied
        .iter()
        .map(|line| {
            line.replace(
                "so the list does not grow",
                "so that the list does not grow",
            )
        })
        .collect();
    assert_ne!(drifted, copied, "the test must change a line");
    let problems = check(&source, &drifted, copy.changes);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("+ // Forget the threads of clients who have left, so that the list"),
        "{}",
        problems[0]
    );
}

#[test]
fn a_declared_change_must_still_be_there() {
    let source = vec!["a".to_string(), "b".to_string()];
    let same = source.clone();
    let stale = [Change {
        was: &["b"],
        is: &["c"],
    }];
    assert_eq!(check(&source, &same, &stale).len(), 1);
    let changed = vec!["a".to_string(), "c".to_string()];
    assert!(check(&source, &changed, &stale).is_empty());
}

/// Two sentences that copies carried into stages where they were false: lesson 4's "recv
/// returned 0 bytes" (said where a stage reads lines or frames, not `recv`), and "a 1 KiB
/// buffer" (said where no such buffer is).
#[test]
fn no_stage_says_what_only_a_1_kib_recv_loop_does() {
    for lesson in &LESSONS {
        let source = read(lesson.source);
        let reads_1_kib = source.contains("[0u8; 1024]") && source.contains(".read(&mut buf)");
        for claim in ["recv returned 0 bytes", "needs a 1 KiB buffer"] {
            assert!(
                reads_1_kib || !source.contains(claim),
                "{} says {claim:?}, but its loop does not recv into a 1 KiB buffer",
                lesson.source
            );
        }
    }
}
