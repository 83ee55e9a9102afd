//! clap in Chinese: the help pages and usage errors of every binary, under `--lang zh`.
//!
//! clap, the parser behind every command line here, writes some words itself, in English only:
//! the headings (`Usage:`, `Options:`, `Commands:`), `Print help`, `[default: 10]`,
//! `[possible values: en, zh]`, and the frame of a usage error (`unexpected argument '--x'
//! found`, `For more information, try '--help'.`). And it folds a description only at spaces,
//! which a Chinese sentence does not have, so a long one ran past the 80th column.
//!
//! Under `--lang zh` a command line goes through [`in_chinese`] before it is parsed:
//!
//! 1. each description written in English beside the code (a doc comment, an `about`) is
//!    replaced by its translation in the tools' catalogue, found by *where* it is: the message
//!    [`help_ids`] or [`about_ids`] names (a unit test checks that every English description has
//!    one, saying exactly what the English says);
//! 2. clap's own words are replaced by the catalogue's (`用法：`, `选项`, `显示帮助`, `（默认：10）`);
//! 3. every description goes on the line under its flag (clap's `next_line_help`), where it
//!    always starts at the same column, and is folded to fit 80 columns, between two Chinese
//!    characters as well as at spaces ([`crate::terminal::fold`]).
//!
//! A usage error is written by [`InChinese`], through the hook clap offers for it
//! ([`ErrorFormatter`]), keeping the `error: ` that begins the line (scripts `grep` for it).
//! English goes through none of this: it is what clap makes, byte for byte, but for two
//! folds to 80 columns: the help page's (clap's own `max_term_width`) and a usage error's that
//! would run past it (clap leaves a long sentence on one line; [`exit_with`] folds it).

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};
use clap::{Arg, ArgAction, Command};
use i18n_embed::fluent::FluentLanguageLoader;
use i18n_embed_fl::fl;

use socket_lessons::i18n::{Lang, current};

/// The columns a Chinese help page fits in.
pub const WIDTH: usize = 80;

/// Where clap starts a description that goes on the line under its flag: two spaces and clap's
/// eight (`next_line_help`). Fixed, unlike the column beside the flags, which depends on the
/// longest flag; so a description can be folded before clap lays the page out.
const UNDER_THE_FLAG: usize = 10;

/// `command` in the process's language: itself in English (folded to at most [`WIDTH`]
/// columns, as in a classic terminal, rather than clap's 100 when the output is not a
/// terminal), else translated and laid out as the module says. `owner` names the binary
/// (`grade`, `lesson10`), the first part of the messages' ids.
pub fn in_the_chosen_language(command: Command, owner: &str) -> Command {
    match current() {
        Lang::En => command.max_term_width(WIDTH),
        Lang::Zh => in_chinese(command, owner),
    }
}

/// `command` with every description translated, clap's own words in Chinese, and every line
/// within [`WIDTH`] columns.
pub fn in_chinese(command: Command, owner: &str) -> Command {
    let loader = crate::i18n::loader();
    let said = |ids: Vec<String>| {
        ids.into_iter()
            .find(|id| loader.has(id))
            .map(|id| loader.get(&id))
    };
    let mut command = translate(command, owner, "", &said);
    if let Some(about) = said(about_ids(owner, "")) {
        command = command.about(about);
    }
    if let Some(after) = said(vec![format!("cli-after-help-{owner}")]) {
        command = command.after_help(after);
    }
    let mut command = chinese_layout(command, WIDTH);
    // clap adds its `help` subcommand (to a command that has others) only as it builds the
    // command; build it now, so that subcommand can be given its Chinese words too.
    command.build();
    chinese_help_subcommands(command)
}

/// Translates the descriptions of `command`'s flags and subcommands, `place` being where it is
/// (`""` at the top, `client`, `client-get`).
fn translate(
    mut command: Command,
    owner: &str,
    place: &str,
    said: &dyn Fn(Vec<String>) -> Option<String>,
) -> Command {
    let ids: Vec<String> = command
        .get_arguments()
        .filter(|arg| arg.get_help().is_some() && arg.get_id() != "lang")
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in ids {
        if let Some(help) = said(help_ids(owner, place, &id)) {
            command = command.mut_arg(&id, |arg| {
                let long = arg.get_long_help().is_some();
                let arg = arg.help(help.clone());
                if long { arg.long_help(help) } else { arg }
            });
        }
    }
    let subcommands = subcommand_names(&command);
    for name in subcommands {
        let inner = inside(place, &name);
        command = command.mut_subcommand(&name, |sub| {
            let sub = match said(about_ids(owner, &inner)) {
                Some(about) => sub.about(about),
                None => sub,
            };
            translate(sub, owner, &inner, said)
        });
    }
    command
}

/// The place of subcommand `name` inside `place`: `client`, then `client-get`.
fn inside(place: &str, name: &str) -> String {
    if place.is_empty() {
        name.to_string()
    } else {
        format!("{place}-{name}")
    }
}

/// The names of `command`'s subcommands (collected, so that each can then be changed in turn).
fn subcommand_names(command: &Command) -> Vec<String> {
    command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect()
}

/// The messages that may translate the description of flag `id` at `place`, the most particular
/// first: this binary's flag at this place (`cli-help-lesson10-client-timeout`,
/// `cli-help-netassist-tcp-client-addr`), this binary's flag anywhere (`cli-help-netassist-hex`,
/// which its six subcommands share), the flag at this place (`cli-help-client-addr`), the flag
/// anywhere (`cli-help-nodelay`).
pub fn help_ids(owner: &str, place: &str, id: &str) -> Vec<String> {
    let id = id.replace('_', "-");
    let at = if place.is_empty() {
        String::new()
    } else {
        format!("{place}-")
    };
    vec![
        format!("cli-help-{owner}-{at}{id}"),
        format!("cli-help-{owner}-{id}"),
        format!("cli-help-{at}{id}"),
        format!("cli-help-{id}"),
    ]
}

/// The messages that may translate the description of the (sub)command at `place`: the binary's
/// own sentence at the top (`cli-about-lesson9`), else by place, this binary's first
/// (`cli-about-learn-check`, then `cli-about-client-get`).
pub fn about_ids(owner: &str, place: &str) -> Vec<String> {
    if place.is_empty() {
        vec![format!("cli-about-{owner}")]
    } else {
        vec![
            format!("cli-about-{owner}-{place}"),
            format!("cli-about-{place}"),
        ]
    }
}

/// What is missing for `command` to be told in Chinese: each English description (its own, its
/// flags', its subcommands', all the way down, and the words after the flags) that has no
/// message, or whose message does not say exactly what the English says. Empty when nothing
/// is. For the tests of every binary's command line (the English catalogue stands for both:
/// another test checks that the Chinese one has the same messages).
pub fn untranslated(command: &Command, owner: &str) -> Vec<String> {
    let english = crate::i18n::english();
    let mut all = Vec::new();
    if let Some(about) = command.get_about() {
        all.push((about.to_string(), about_ids(owner, "")));
    }
    if let Some(after) = command.get_after_help() {
        all.push((after.to_string(), vec![format!("cli-after-help-{owner}")]));
    }
    descriptions_at(command, owner, "", &mut all);
    all.into_iter()
        .filter_map(|(text, ids)| match ids.iter().find(|id| english.has(id)) {
            None => Some(format!(
                "{owner}: no message for {text:?}: add one of {ids:?}"
            )),
            Some(id) if english.get(id) != text => Some(format!(
                "{owner}: {id} says {:?}, its English {text:?}",
                english.get(id)
            )),
            Some(_) => None,
        })
        .collect()
}

fn descriptions_at(
    command: &Command,
    owner: &str,
    place: &str,
    out: &mut Vec<(String, Vec<String>)>,
) {
    for arg in command.get_arguments() {
        if let (Some(help), true) = (arg.get_help(), arg.get_id() != "lang") {
            out.push((
                help.to_string(),
                help_ids(owner, place, arg.get_id().as_str()),
            ));
        }
    }
    for sub in command.get_subcommands() {
        let inner = inside(place, sub.get_name());
        if let Some(about) = sub.get_about() {
            out.push((about.to_string(), about_ids(owner, &inner)));
        }
        descriptions_at(sub, owner, &inner, out);
    }
}

/// clap's own words in Chinese, and every description folded to fit, in `command` and in each
/// of its subcommands. `about_width` is the room for the command's own sentence: the whole
/// width at the top, where it only heads the page; less for a subcommand, whose sentence is
/// also listed under its name in the page above.
fn chinese_layout(command: Command, about_width: usize) -> Command {
    let mut command = command
        .next_line_help(true)
        .max_term_width(WIDTH)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .display_order(LAST)
                .help(crate::t!("clap-help-help")),
        );
    if command.get_version().is_some() && !command.is_disable_version_flag_set() {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .display_order(LAST)
                .help(crate::t!("clap-help-version")),
        );
    }
    let template = template(
        command.has_subcommands(),
        command.get_positionals().next().is_some(),
    );
    command = command.help_template(template);
    command = command.mut_args(chinese_arg);
    if let Some(about) = command.get_about() {
        let about = folded(&about.to_string(), about_width);
        command = command.about(about);
    }
    if let Some(after) = command.get_after_help() {
        // After the flags, at the left edge: the whole width.
        let after = crate::terminal::fold(&after.to_string(), WIDTH, "", "");
        command = command.after_help(after);
    }
    let subcommands = subcommand_names(&command);
    for name in subcommands {
        command = command.mut_subcommand(&name, |sub| chinese_layout(sub, WIDTH - UNDER_THE_FLAG));
    }
    command
}

/// Where `-h` and `-V` go: after every other flag, as clap puts its own.
const LAST: usize = usize::MAX;

/// The layout of a help page, clap's own but for the headings, which clap writes in English
/// (and with an ASCII colon) whatever a flag's heading is: the sections a command has, in
/// clap's order, each under its Chinese heading.
fn template(subcommands: bool, positionals: bool) -> String {
    let mut template = format!(
        "{{before-help}}{{about-with-newline}}\n{}{{usage}}\n\n",
        crate::t!("clap-usage")
    );
    if subcommands {
        template += &format!(
            "{}\n{{subcommands}}\n\n",
            crate::t!("clap-heading-commands")
        );
    }
    if positionals {
        template += &format!(
            "{}\n{{positionals}}\n\n",
            crate::t!("clap-heading-arguments")
        );
    }
    template += &format!(
        "{}\n{{options}}{{after-help}}",
        crate::t!("clap-heading-options")
    );
    template
}

/// One flag in Chinese: its default and its possible values said in Chinese inside its
/// description, and the whole folded to fit under the flag.
fn chinese_arg(arg: Arg) -> Arg {
    let Some(help) = arg.get_help().map(ToString::to_string) else {
        return arg;
    };
    let mut help = help;
    let takes_values = arg.get_action().takes_values();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    if takes_values && !defaults.is_empty() && !arg.is_hide_default_value_set() {
        help.push_str(&crate::t!("clap-default", value = defaults.join(" ")));
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|value| !value.is_hide_set())
        .map(|value| value.get_name().to_string())
        .collect();
    if takes_values && !possible.is_empty() && !arg.is_hide_possible_values_set() {
        help.push_str(&crate::t!("clap-possible", values = possible.join("、")));
    }
    let arg = arg.help(folded(&help, WIDTH - UNDER_THE_FLAG));
    if takes_values {
        arg.hide_default_value(true).hide_possible_values(true)
    } else {
        arg
    }
}

/// `text` folded to at most `width` columns a line, without the last line's end. A line that
/// fits its room is not folded again by clap.
fn folded(text: &str, width: usize) -> String {
    crate::terminal::fold(text, width, "", "")
        .trim_end()
        .to_string()
}

/// clap's `help` subcommand (`learn help check`) in Chinese, in `command` and below it.
fn chinese_help_subcommands(mut command: Command) -> Command {
    let names = subcommand_names(&command);
    for name in names {
        command = if name == "help" && !command.is_disable_help_subcommand_set() {
            command.mut_subcommand("help", |help| {
                let ids: Vec<String> = help
                    .get_arguments()
                    .map(|arg| arg.get_id().to_string())
                    .collect();
                let mut help = help
                    .about(crate::t!("clap-about-help-subcommand"))
                    .help_template(format!(
                        "{{about-with-newline}}\n{}{{usage}}\n\n{}\n{{positionals}}",
                        crate::t!("clap-usage"),
                        crate::t!("clap-heading-arguments")
                    ));
                for id in ids {
                    help = help.mut_arg(&id, |arg| {
                        arg.help(crate::t!("clap-help-help-subcommand-which"))
                    });
                }
                help
            })
        } else {
            command.mut_subcommand(&name, chinese_help_subcommands)
        };
    }
    command
}

/// Ends the process with a usage error (or with the help or version asked for), in the
/// process's language.
pub fn exit_with(error: clap::Error) -> ! {
    match current() {
        Lang::En if error.use_stderr() => {
            // clap's English, but clap writes a sentence on one line however long (`invalid
            // value 'bogus' for '--up <SPEC>': unknown step …` runs to 216 columns). One that
            // fits is left exactly as clap writes it, colours and all; a longer one is folded
            // as the Chinese is.
            let told = error.render().to_string();
            if told
                .lines()
                .all(|line| crate::demo::display_width(line) <= WIDTH)
            {
                error.exit()
            }
            eprint!("{}", folded_error(&told));
            std::process::exit(error.exit_code())
        }
        Lang::En => error.exit(),
        Lang::Zh => error.apply::<InChinese>().exit(),
    }
}

/// A usage error with every line folded to [`WIDTH`] columns: the rest of the `error: ` line
/// under its first word, and so the rest of a `tip: `; the rest of another indented line (a
/// required flag, a usage) two columns deeper than it. A blank line stays blank, and every line
/// ends with `\n`.
fn folded_error(text: &str) -> String {
    let mut folded = String::new();
    for line in text.trim_end_matches('\n').split('\n') {
        if let Some(message) = line.strip_prefix("error: ") {
            folded.push_str(&crate::terminal::error_line(message, WIDTH));
            continue;
        }
        let body = line.trim_start();
        let indent = " ".repeat(line.len() - body.len());
        // clap's `tip: ` goes on under the tip's first word, as `error: ` does.
        let (first, body, then) = match body.strip_prefix("tip: ") {
            Some(tip) => (format!("{indent}tip: "), tip, format!("{indent}     ")),
            None => (indent.clone(), body, format!("{indent}  ")),
        };
        folded.push_str(&crate::terminal::fold(body, WIDTH, &first, &then));
    }
    folded
}

/// clap's usage errors in Chinese: what went wrong (from the error's kind and the context clap
/// records with it: the flag, the value, what was expected), clap's suggestions, the usage, and
/// where to read more. The `error: ` that begins it stays, as on every error line.
pub struct InChinese;

impl ErrorFormatter for InChinese {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        StyledStr::from(told(error, crate::i18n::loader()))
    }
}

/// A usage error as [`InChinese`] tells it, in the catalogue `loader` reads (the tests give it
/// the Chinese one, whatever the process speaks).
fn told<F: ErrorFormatter>(error: &clap::error::Error<F>, loader: &FluentLanguageLoader) -> String {
    let mut told = folded_error(&format!("error: {}", what_went_wrong(error, loader)));
    told.pop();
    let tips = suggestions(error, loader);
    if !tips.is_empty() {
        told.push('\n');
    }
    for tip in tips {
        told.push_str(&format!("\n  {}", fl!(loader, "clap-tip", tip = tip)));
    }
    if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
        told.push_str("\n\n");
        told.push_str(&in_chinese_usage(&usage.to_string(), loader));
    }
    told.push_str("\n\n");
    told.push_str(&fl!(loader, "clap-more-information", help = "--help"));
    told.push('\n');
    told
}

/// The first sentence of a usage error, from its kind and context.
fn what_went_wrong<F: ErrorFormatter>(
    error: &clap::error::Error<F>,
    loader: &FluentLanguageLoader,
) -> String {
    let text = |kind| match error.get(kind) {
        Some(ContextValue::String(text)) => Some(text.clone()),
        _ => None,
    };
    let number = |kind| match error.get(kind) {
        Some(ContextValue::Number(n)) => Some(*n),
        _ => None,
    };
    let list = |kind| match error.get(kind) {
        Some(ContextValue::Strings(all)) => Some(all.clone()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    let said = match error.kind() {
        ErrorKind::ArgumentConflict => {
            let prior = error.get(ContextKind::PriorArg);
            let other = match prior {
                Some(ContextValue::String(other)) => format!("'{other}'"),
                Some(ContextValue::Strings(others)) => others
                    .iter()
                    .map(|other| format!("'{other}'"))
                    .collect::<Vec<_>>()
                    .join("、"),
                _ => fl!(loader, "clap-error-the-other-arguments"),
            };
            match (&arg, text(ContextKind::InvalidSubcommand)) {
                (Some(arg), _) if prior == Some(&ContextValue::String(arg.clone())) => {
                    Some(fl!(loader, "clap-error-used-twice", arg = arg.as_str()))
                }
                (Some(arg), _) => Some(fl!(
                    loader,
                    "clap-error-conflict",
                    arg = arg.as_str(),
                    other = other
                )),
                (None, Some(subcommand)) => Some(fl!(
                    loader,
                    "clap-error-subcommand-conflict",
                    subcommand = subcommand,
                    other = other
                )),
                (None, None) => None,
            }
        }
        ErrorKind::NoEquals => arg.map(|arg| fl!(loader, "clap-error-no-equals", arg = arg)),
        ErrorKind::InvalidValue => match (arg, value) {
            (Some(arg), Some(value)) if value.is_empty() => {
                Some(fl!(loader, "clap-error-value-missing", arg = arg))
            }
            (Some(arg), Some(value)) => {
                let mut said = fl!(loader, "clap-error-invalid-value", arg = arg, value = value);
                if let Some(valid) = list(ContextKind::ValidValue).filter(|v| !v.is_empty()) {
                    said.push_str("\n  ");
                    said.push_str(&fl!(
                        loader,
                        "clap-possible-list",
                        values = valid.join("、")
                    ));
                }
                Some(said)
            }
            _ => None,
        },
        ErrorKind::ValueValidation => match (arg, value) {
            (Some(arg), Some(value)) => Some(match std::error::Error::source(error) {
                Some(why) => fl!(
                    loader,
                    "clap-error-invalid-value-because",
                    arg = arg,
                    value = value,
                    why = why.to_string()
                ),
                None => fl!(loader, "clap-error-invalid-value", arg = arg, value = value),
            }),
            _ => None,
        },
        ErrorKind::InvalidSubcommand => text(ContextKind::InvalidSubcommand).map(|subcommand| {
            fl!(
                loader,
                "clap-error-unknown-subcommand",
                subcommand = subcommand
            )
        }),
        ErrorKind::UnknownArgument => {
            arg.map(|arg| fl!(loader, "clap-error-unknown-argument", arg = arg))
        }
        ErrorKind::MissingRequiredArgument => list(ContextKind::InvalidArg).map(|missing| {
            let mut said = fl!(loader, "clap-error-missing-arguments");
            for arg in missing {
                said.push_str(&format!("\n  {arg}"));
            }
            said
        }),
        ErrorKind::MissingSubcommand => text(ContextKind::InvalidSubcommand).map(|command| {
            let mut said = fl!(loader, "clap-error-missing-subcommand", command = command);
            if let Some(valid) = list(ContextKind::ValidSubcommand).filter(|v| !v.is_empty()) {
                said.push_str("\n  ");
                said.push_str(&fl!(
                    loader,
                    "clap-subcommands-list",
                    subcommands = valid.join("、")
                ));
            }
            said
        }),
        ErrorKind::TooManyValues => match (arg, value) {
            (Some(arg), Some(value)) => Some(fl!(
                loader,
                "clap-error-too-many-values",
                arg = arg,
                value = value
            )),
            _ => None,
        },
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let wanted = number(ContextKind::MinValues).or(number(ContextKind::ExpectedNumValues));
            match (arg, wanted, number(ContextKind::ActualNumValues)) {
                (Some(arg), Some(wanted), Some(given)) => Some(fl!(
                    loader,
                    "clap-error-number-of-values",
                    arg = arg,
                    wanted = wanted.to_string(),
                    given = given.to_string()
                )),
                _ => None,
            }
        }
        ErrorKind::InvalidUtf8 => Some(fl!(loader, "clap-error-invalid-utf8")),
        _ => None,
    };
    said.unwrap_or_else(|| fl!(loader, "clap-error-other", kind = error.kind().to_string()))
}

/// clap's suggestions in Chinese: a similar name, and how to pass a value that looks like a
/// flag. A suggestion of ours (a Chinese sentence) is passed on as it is.
fn suggestions<F: ErrorFormatter>(
    error: &clap::error::Error<F>,
    loader: &FluentLanguageLoader,
) -> Vec<String> {
    let mut tips = Vec::new();
    for (kind, id) in [
        (ContextKind::SuggestedSubcommand, "subcommand"),
        (ContextKind::SuggestedArg, "argument"),
        (ContextKind::SuggestedValue, "value"),
    ] {
        let similar = match error.get(kind) {
            Some(ContextValue::String(one)) => vec![one.clone()],
            Some(ContextValue::Strings(all)) => all.clone(),
            _ => continue,
        };
        let similar = similar
            .iter()
            .map(|name| format!("'{name}'"))
            .collect::<Vec<_>>()
            .join("、");
        tips.push(match id {
            "subcommand" => fl!(loader, "clap-tip-similar-subcommand", similar = similar),
            "argument" => fl!(loader, "clap-tip-similar-argument", similar = similar),
            _ => fl!(loader, "clap-tip-similar-value", similar = similar),
        });
    }
    if let Some(ContextValue::StyledStrs(suggested)) = error.get(ContextKind::Suggested) {
        tips.extend(
            suggested
                .iter()
                .map(|tip| clap_tip_in_chinese(&tip.to_string(), loader)),
        );
    }
    tips
}

/// clap's own suggestions, which it makes in English (`to pass '-x' as a value, use '-- -x'`),
/// in Chinese; anything else as it is.
fn clap_tip_in_chinese(tip: &str, loader: &FluentLanguageLoader) -> String {
    let quoted: Vec<&str> = tip.split('\'').skip(1).step_by(2).collect();
    if tip.starts_with("to pass '") && quoted.len() == 2 {
        fl!(
            loader,
            "clap-tip-pass-as-a-value",
            arg = quoted[0],
            example = quoted[1]
        )
    } else if tip.starts_with("subcommand '") && tip.contains("remove the '--'") {
        fl!(loader, "clap-tip-remove-the-dashes", subcommand = quoted[0])
    } else {
        tip.to_string()
    }
}

/// clap's usage (`Usage: grade [OPTIONS] ...`, perhaps on several lines) with a Chinese heading.
fn in_chinese_usage(usage: &str, loader: &FluentLanguageLoader) -> String {
    let heading = fl!(loader, "clap-usage");
    let english = "Usage: ";
    let Some(rest) = usage.strip_prefix(english) else {
        return usage.to_string();
    };
    // Later lines are indented to line up under the first; the heading changed width.
    let indent = " ".repeat(crate::demo::display_width(&heading));
    let rest = rest.replace(
        &format!("\n{}", " ".repeat(english.len())),
        &format!("\n{indent}"),
    );
    format!("{heading}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chinese() -> FluentLanguageLoader {
        crate::i18n::loader_for(Lang::Zh)
    }

    fn a_command() -> Command {
        Command::new("tool")
            .about("A tool")
            .arg(
                Arg::new("count")
                    .long("count")
                    .value_parser(clap::value_parser!(u8))
                    .default_value("3")
                    .help("How many"),
            )
            .arg(
                Arg::new("mode")
                    .long("mode")
                    .value_parser(["fast", "slow"])
                    .help("Which"),
            )
            .subcommand(Command::new("run").about("Run it"))
    }

    fn error_in_chinese(args: &[&str]) -> String {
        let error = a_command()
            .try_get_matches_from(args)
            .expect_err("a usage error");
        told(&error, &chinese())
    }

    #[test]
    fn every_tool_s_descriptions_have_translations_that_say_what_their_english_says() {
        use clap::CommandFactory;
        let tools = [
            crate::grade::cli::Args::command(),
            crate::compare::Args::command(),
            crate::chaos::Args::command(),
            crate::netassist::Args::command(),
            crate::learn::Args::command(),
        ];
        let missing: Vec<String> = tools
            .iter()
            .flat_map(|tool| untranslated(tool, tool.get_name()))
            .collect();
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }

    #[test]
    fn usage_errors_are_said_in_chinese_and_keep_the_error_token() {
        let unknown = error_in_chinese(&["tool", "--bogus"]);
        assert!(
            unknown.starts_with("error: 多了一个不认识的参数 '--bogus'\n"),
            "{unknown}"
        );
        assert!(unknown.contains("\n用法：tool [OPTIONS]"), "{unknown}");
        assert!(
            unknown.ends_with("想了解更多，请用 '--help'。\n"),
            "{unknown}"
        );
        let similar = error_in_chinese(&["tool", "--coun", "2"]);
        assert!(
            similar.contains("提示：有一个相近的参数：'--count'"),
            "{similar}"
        );
        let invalid = error_in_chinese(&["tool", "--mode", "medium"]);
        assert!(
            invalid
                .starts_with("error: '--mode <mode>' 的值 'medium' 不对\n  可选的值：fast、slow"),
            "{invalid}"
        );
        let because = error_in_chinese(&["tool", "--count", "300"]);
        assert!(
            because.starts_with("error: '--count <count>' 的值 '300' 不对：300 is not in 0..=255"),
            "{because}"
        );
        let subcommand = error_in_chinese(&["tool", "runs"]);
        assert!(
            subcommand
                .starts_with("error: 不认识的子命令 'runs'\n\n  提示：有一个相近的子命令：'run'"),
            "{subcommand}"
        );
        let missing = error_in_chinese(&["tool", "--count"]);
        assert!(
            missing.starts_with("error: '--count <count>' 需要一个值，但没有给"),
            "{missing}"
        );
        for told in [unknown, similar, invalid, because, subcommand, missing] {
            assert!(!told.contains("Usage:"), "{told}");
            assert!(!told.contains("For more information"), "{told}");
        }
    }

    #[test]
    fn a_long_usage_keeps_its_lines_lined_up_under_the_chinese_heading() {
        let usage = "Usage: tool [OPTIONS]\n       tool run";
        let zh = chinese();
        let chinese = in_chinese_usage(usage, &zh);
        let heading = fl!(zh, "clap-usage");
        let lines: Vec<&str> = chinese.lines().collect();
        assert_eq!(lines[0], format!("{heading}tool [OPTIONS]"));
        assert_eq!(
            crate::demo::display_width(lines[1]) - "tool run".len(),
            crate::demo::display_width(&heading)
        );
    }

    #[test]
    fn a_long_usage_error_is_folded_under_its_start_and_the_rest_is_kept() {
        let long = format!(
            "error: invalid value 'x' for '--up <SPEC>': {}",
            "word ".repeat(30)
        );
        let tip = format!("  tip: {}", "more ".repeat(20));
        let told = format!("{long}\n\n{tip}\n\nUsage: chaos [OPTIONS]\n");
        let folded = folded_error(&told);
        let lines: Vec<&str> = folded.lines().collect();
        assert!(lines[0].starts_with("error: invalid value 'x'"), "{folded}");
        assert!(lines.len() > 6, "{folded}");
        for line in &lines {
            assert!(crate::demo::display_width(line) <= WIDTH, "{folded}");
        }
        // The error's rest under its first word, the tip's under the tip's; blank lines kept.
        let under = |prefix: &str, indent: usize| {
            let mut text = String::new();
            for line in lines.iter().skip_while(|l| !l.starts_with(prefix)) {
                if line.is_empty() {
                    break;
                }
                let body = line.trim_start();
                if !text.is_empty() {
                    assert_eq!(line.len() - body.len(), indent, "{folded}");
                    text.push(' ');
                }
                text.push_str(body);
            }
            text
        };
        assert_eq!(under("error: ", 7), long.trim_end());
        assert_eq!(under("  tip: ", 7), tip.trim());
        assert!(folded.ends_with("\n\nUsage: chaos [OPTIONS]\n"), "{folded}");
    }

    #[test]
    fn clap_s_own_tips_are_recognised_and_others_pass_through() {
        let pass = clap_tip_in_chinese("to pass '-x' as a value, use '-- -x'", &chinese());
        assert!(pass.contains("'-x'") && pass.contains("'-- -x'"), "{pass}");
        assert_ne!(pass, "to pass '-x' as a value, use '-- -x'");
        let dashes = clap_tip_in_chinese(
            "subcommand 'run' exists; to use it, remove the '--' before it",
            &chinese(),
        );
        assert!(
            dashes.contains("'run'") && !dashes.contains("exists"),
            "{dashes}"
        );
        assert_eq!(
            clap_tip_in_chinese("我们自己的提示", &chinese()),
            "我们自己的提示"
        );
    }
}
