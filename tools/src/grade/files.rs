//! The file-transfer cases: lesson 8's `get` and `put`, graded from the outside
//! (docs/contracts.md, "File transfer", and the exercise's wire in "Exercises").
//!
//! The folder the server serves must hold `a.txt` with `hello\n` (the exercise runner makes it
//! so; an instructor grading the course's `lesson8` starts it with `--root` on such a folder).
//! Every case plays the engine's file experiments ([`crate::scenario::files`]) and judges the
//! answers.

use super::{Outcome, Said, Target};
use crate::probe::Chunking;
use crate::scenario::files::{
    self, A_TXT, A_TXT_BODY, Answer, Beside, Conversation, CutUpload, Request, SECRET_BODY,
};
use crate::scenario::wire::shown;

/// Plays `requests` on one connection and judges the answers with `judge`, which gets the
/// answers (one per request, up to the first missing) and says what it saw, or what was wrong.
fn conversation(
    t: &Target,
    requests: &[Request],
    expected: Said,
    judge: impl FnOnce(&[Answer]) -> Result<Said, Said>,
) -> Outcome {
    let run = files::conversation(t, requests);
    let outcome = match &run.finding {
        Conversation::CannotConnect { why } => {
            Outcome::fail(crate::said!("grade-judge-a-connection"), why.clone())
        }
        Conversation::Answered { answers } => match judge(answers) {
            Ok(observed) => Outcome::pass(expected, observed),
            Err(observed) => Outcome::fail(expected, observed),
        },
    };
    outcome.from_run(run)
}

/// The answer to request `i` of `requests`, or what the conversation stopped on.
fn answer<'a>(answers: &'a [Answer], requests: &[Request], i: usize) -> Result<&'a Answer, Said> {
    answers.get(i).ok_or_else(|| {
        let last = answers
            .last()
            .map_or_else(|| crate::said!("grade-files-nothing"), Answer::said);
        crate::said!(
            "grade-files-no-answer",
            request = requests[i].said(),
            last = last
        )
    })
}

/// Whether `answer` is the file `name` with `body`, its md5 right; else what it was.
fn the_file(answer: &Answer, name: &str, body: &[u8]) -> Result<(), Said> {
    match answer {
        Answer::File {
            filename,
            body: got,
            md5_matches,
        } if got == body && *md5_matches && filename.as_deref() == Some(name) => Ok(()),
        Answer::File {
            filename,
            body: got,
            ..
        } if got == body && filename.as_deref() != Some(name) => Err(crate::said!(
            "grade-files-under-filename",
            filename = format!("{:?}", filename.as_deref().unwrap_or("(none)"))
        )),
        Answer::File {
            md5_matches: false, ..
        } => Err(crate::said!(
            "grade-files-md5-not-matching",
            answer = answer.said()
        )),
        other => Err(other.said()),
    }
}

/// 1.12: an existing file, downloaded whole, under its name and md5.
pub fn download(t: &Target) -> Outcome {
    let requests = [Request::get(A_TXT)];
    conversation(
        t,
        &requests,
        crate::said!("grade-files-download-expected"),
        |answers| {
            the_file(answer(answers, &requests, 0)?, A_TXT, A_TXT_BODY)?;
            Ok(crate::said!("grade-program-file-whole", name = A_TXT))
        },
    )
}

/// 1.13: an uploaded file can be downloaded again, on the same connection.
pub fn upload_then_download(t: &Target) -> Outcome {
    let body = b"uploaded\n";
    let requests = [Request::put("b.txt", body), Request::get("b.txt")];
    conversation(
        t,
        &requests,
        crate::said!("grade-files-upload-expected"),
        |answers| {
            match answer(answers, &requests, 0)? {
                Answer::File { .. } => {}
                other => return Err(crate::said!("grade-files-to-the-put", what = other.said())),
            }
            the_file(answer(answers, &requests, 1)?, "b.txt", body)
                .map_err(|e| crate::said!("grade-files-to-the-get", what = e))?;
            Ok(crate::said!("grade-files-upload-observed"))
        },
    )
}

/// 1.14: a missing file is an error reply, and the connection goes on.
pub fn missing_file(t: &Target) -> Outcome {
    let requests = [Request::get("nothing.txt"), Request::get(A_TXT)];
    conversation(
        t,
        &requests,
        crate::said!("grade-files-missing-expected"),
        |answers| {
            let first = answer(answers, &requests, 0)?;
            if !first.is_refusal() {
                return Err(crate::said!(
                    "grade-files-to-get",
                    name = "nothing.txt",
                    what = first.said()
                ));
            }
            the_file(answer(answers, &requests, 1)?, A_TXT, A_TXT_BODY)
                .map_err(|e| crate::said!("grade-files-then-to-get-a", what = e))?;
            Ok(crate::said!(
                "grade-files-missing-observed",
                answer = first.said()
            ))
        },
    )
}

/// 2.6: an upload dribbled one byte per write is stored whole.
pub fn dribbled_upload(t: &Target) -> Outcome {
    let body = b"dribbled\n";
    let mut put = Request::put("c.txt", body);
    if let Request::Put { chunking, .. } = &mut put {
        *chunking = Chunking::ByteByByte;
    }
    let requests = [put, Request::get("c.txt")];
    conversation(
        t,
        &requests,
        crate::said!("grade-files-dribbled-expected"),
        |answers| {
            match answer(answers, &requests, 0)? {
                Answer::File { .. } => {}
                other => return Err(crate::said!("grade-files-to-the-put", what = other.said())),
            }
            the_file(answer(answers, &requests, 1)?, "c.txt", body)
                .map_err(|e| crate::said!("grade-files-to-the-get", what = e))?;
            Ok(crate::said!("grade-files-dribbled-observed"))
        },
    )
}

/// 3.4: a download is served while another client's upload is half sent.
pub fn download_beside_upload(t: &Target) -> Outcome {
    let run = files::download_beside_upload(t, 1_000_000);
    let expected = crate::said!("grade-files-beside-expected");
    let mut outcome = match &run.finding {
        Beside::Answered { answer } => match the_file(answer, A_TXT, A_TXT_BODY) {
            Ok(()) => Outcome::pass(expected, crate::said!("grade-judge-served")),
            Err(e) => Outcome::fail(expected, crate::said!("grade-files-client-b", why = e)),
        },
        Beside::CannotStart { why } => Outcome::fail(expected, why.clone()),
    };
    if matches!(
        &run.finding,
        Beside::Answered {
            answer: Answer::Missing { .. }
        }
    ) {
        outcome.hint = Some(crate::said!("grade-hint-upload-holds-up"));
    }
    outcome.from_run(run)
}

/// 4.28: names that lead out of the folder are refused, and nothing outside is read.
pub fn names_outside(t: &Target) -> Outcome {
    let names = [
        "../secret.txt",
        "/etc/passwd",
        ".hidden",
        "a/../../secret.txt",
        "",
    ];
    let mut requests: Vec<Request> = names.iter().map(|name| Request::get(name)).collect();
    requests.push(Request::get(A_TXT));
    conversation(
        t,
        &requests,
        crate::said!("grade-files-names-expected"),
        |answers| {
            for (i, name) in names.iter().enumerate() {
                let got = answer(answers, &requests, i)?;
                if let Answer::File { body, .. } = got {
                    let leak = if body == SECRET_BODY {
                        crate::said!("grade-files-the-secret")
                    } else {
                        Said::default()
                    };
                    return Err(crate::said!(
                        "grade-files-file-came-back",
                        name = shown(name.as_bytes()),
                        body = shown(body),
                        leak = leak
                    ));
                }
                if !got.is_refusal() {
                    return Err(crate::said!(
                        "grade-files-get-answered",
                        name = shown(name.as_bytes()),
                        what = got.said()
                    ));
                }
            }
            the_file(answer(answers, &requests, names.len())?, A_TXT, A_TXT_BODY)
                .map_err(|e| crate::said!("grade-files-then-to-get-a", what = e))?;
            Ok(crate::said!("grade-files-names-observed"))
        },
    )
}

/// 4.29: an upload whose md5 does not match is refused, and nothing is kept.
pub fn wrong_md5_upload(t: &Target) -> Outcome {
    let put = Request::Put {
        name: "d.txt".into(),
        body: b"what was sent\n".to_vec(),
        md5_of: b"what the header promised\n".to_vec(),
        chunking: Chunking::Whole,
    };
    let requests = [put, Request::get("d.txt")];
    conversation(
        t,
        &requests,
        crate::said!("grade-files-wrong-md5-expected"),
        |answers| {
            let first = answer(answers, &requests, 0)?;
            if !first.is_refusal() {
                return Err(crate::said!("grade-files-to-the-put", what = first.said()));
            }
            let then = answer(answers, &requests, 1)?;
            if !then.is_refusal() {
                return Err(crate::said!("grade-files-kept", got = then.said()));
            }
            Ok(crate::said!("grade-files-wrong-md5-observed"))
        },
    )
}

/// 4.30: an upload cut off in the middle is not kept, not even in part.
pub fn cut_off_upload(t: &Target) -> Outcome {
    let run = files::cut_upload(t, "e.txt", 100, 10);
    let expected = crate::said!("grade-files-cut-expected");
    let outcome = match &run.finding {
        CutUpload::Ended { after, .. } if !after.is_refusal() => Outcome::fail(
            expected,
            crate::said!("grade-files-part-kept", got = after.said()),
        ),
        CutUpload::Ended { error: Some(_), .. } => {
            Outcome::pass(expected, crate::said!("grade-files-nothing-kept"))
        }
        CutUpload::Ended { error: None, .. } => Outcome::new(
            super::Verdict::NonStrict,
            expected,
            crate::said!("grade-files-no-error-frame"),
        ),
        CutUpload::NotEnded { what } => Outcome::fail(
            expected,
            crate::said!("grade-files-after-close", what = what.to_string()),
        ),
        CutUpload::CannotConnect { why } => {
            Outcome::fail(crate::said!("grade-judge-a-connection"), why.clone())
        }
    };
    outcome.from_run(run)
}

/// 5.N for the file transfer: a new client still gets a.txt.
pub fn still_serves(t: &Target) -> Outcome {
    download(t)
}
