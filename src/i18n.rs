//! The course in its readers' own language: English or Simplified Chinese (简体中文).
//!
//! Every sentence a person reads (an error, a client's notice, the chat room's `* alice joined`,
//! the robot's menu) lives in a message catalogue, one per language, out of the code:
//! `i18n/en/socket_lessons.ftl` and `i18n/zh-CN/socket_lessons.ftl`, in Fluent, the format
//! Firefox is translated in. Code names a message by its id, through [`t!`](crate::t):
//!
//! ```text
//! t!("busy-line")                        // one message
//! t!("client-cannot-connect", at = addr) // with an argument, named as the message names it
//! ```
//!
//! `t!` is `i18n-embed-fl`'s `fl!`, which reads the English catalogue while the crate compiles:
//! a message id that does not exist, or an argument the message does not take, is a compile
//! error, not a blank on a student's screen. A test checks that the Chinese catalogue has exactly
//! the English one's messages, with the same arguments.
//!
//! One language for the whole process, chosen once at start ([`choose`]): `--lang zh|en` on the
//! command line, else the locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`: one beginning with
//! `zh` means Chinese), else English. Log lines stay English: they are for `grep` and for the
//! people who run servers, and one language in a log file keeps it searchable.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use i18n_embed::{LanguageLoader, unic_langid::LanguageIdentifier};
use rust_embed::RustEmbed;

/// A language the course speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English: the course's first language, and what every message falls back to.
    #[default]
    En,
    /// Simplified Chinese (简体中文), the tutorials' own language.
    Zh,
}

impl Lang {
    /// `en` or `zh`, as `--lang` spells it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// `--lang`'s value: `en` or `zh` (also `zh-CN`, `zh_CN.UTF-8` and the like, as a locale
    /// spells it).
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.to_ascii_lowercase();
        if lower == "en" || lower.starts_with("en_") || lower.starts_with("en-") {
            Some(Lang::En)
        } else if lower == "zh" || lower.starts_with("zh_") || lower.starts_with("zh-") {
            Some(Lang::Zh)
        } else {
            None
        }
    }

    /// The language a locale asks for: `LC_ALL`, else `LC_MESSAGES`, else `LANG` (the first of
    /// them that is set and not empty, as the C library reads them). One beginning with `zh`
    /// (`zh_CN.UTF-8`, `zh_TW`) is Chinese; anything else, or nothing, is English.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| var(name))
            .find(|value| !value.is_empty())
            .map_or(Lang::En, |value| {
                if value.to_ascii_lowercase().starts_with("zh") {
                    Lang::Zh
                } else {
                    Lang::En
                }
            })
    }

    /// The language `args` (a command line, program name first) asks for with `--lang X` or
    /// `--lang=X`, if it does. Read before the command line is parsed, so that even `--help` and
    /// clap's own errors can speak it; a bad value is left for the parser to refuse.
    pub fn from_args<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Option<Lang> {
        let mut args = args.iter().map(|arg| arg.as_ref().to_string_lossy());
        while let Some(arg) = args.next() {
            if arg == "--" {
                return None;
            }
            if arg == "--lang" {
                return args.next().and_then(|value| Lang::parse(&value));
            }
            if let Some(value) = arg.strip_prefix("--lang=") {
                return Lang::parse(value);
            }
        }
        None
    }

    /// What a binary speaks: `--lang` on its command line, else the locale, else English.
    pub fn for_this_process() -> Lang {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        Lang::from_args(&args).unwrap_or_else(|| Lang::from_locale(|name| std::env::var(name).ok()))
    }

    fn identifier(self) -> LanguageIdentifier {
        match self {
            Lang::En => "en".parse(),
            Lang::Zh => "zh-CN".parse(),
        }
        .expect("a valid language identifier")
    }
}

/// The language chosen for this process (0: English, 1: Chinese).
static CHOSEN: AtomicU8 = AtomicU8::new(0);

/// Makes `lang` the language of every message from now on, in every thread. The binaries call it
/// once, first thing; a test may call it to hear the other language.
pub fn choose(lang: Lang) {
    CHOSEN.store(lang as u8, Ordering::SeqCst);
}

/// The language chosen, English until [`choose`] says otherwise.
pub fn current() -> Lang {
    match CHOSEN.load(Ordering::SeqCst) {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

/// The catalogues, embedded in the binary: nothing is read from disk at run time.
#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Catalogues;

/// The loader of the chosen language.
pub fn loader() -> &'static FluentLanguageLoader {
    loader_in(current())
}

/// One loader per language, each made (and its catalogue parsed) the first time it is needed.
/// Most code wants the chosen language's ([`loader`]); this is for code that must know what a
/// peer may say in either language (a program reading a server that speaks its own).
pub fn loader_in(lang: Lang) -> &'static FluentLanguageLoader {
    static EN: OnceLock<FluentLanguageLoader> = OnceLock::new();
    static ZH: OnceLock<FluentLanguageLoader> = OnceLock::new();
    let cell = match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    };
    cell.get_or_init(|| loader_for(lang))
}

fn loader_for(lang: Lang) -> FluentLanguageLoader {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    loader
        .load_languages(&Catalogues, &[lang.identifier()])
        .expect("the embedded catalogues parse (a test checks them)");
    // Fluent marks every argument with invisible Unicode isolation characters (for text that
    // mixes directions). Our terminals, logs and tests want the bytes as they read.
    loader.set_use_isolating(false);
    loader
}

/// A message of the course's catalogue in the chosen language: `t!("id")`, or with arguments
/// `t!("id", name = value, ...)`. The id and the arguments are checked at compile time against
/// `i18n/en/socket_lessons.ftl`.
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        i18n_embed_fl::fl!($crate::i18n::loader(), $id)
    };
    ($id:literal, $($args:tt)*) => {
        i18n_embed_fl::fl!($crate::i18n::loader(), $id, $($args)*)
    };
}

/// The message ids of a catalogue, and the variables each message uses (`{ $name }`): what the
/// two languages must agree on. Public for the tools crate's test of its own catalogues.
pub fn catalogue_shape(ftl: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut shape = std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for line in ftl.lines() {
        let starts_message = line
            .split_once('=')
            .filter(|(id, _)| {
                !line.starts_with([' ', '#', '.'])
                    && !id.trim().is_empty()
                    && id
                        .trim()
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            .map(|(id, _)| id.trim().to_string());
        if let Some(id) = starts_message {
            shape.insert(id.clone(), Vec::new());
            current = Some(id);
        }
        if let Some(id) = &current {
            let variables = shape.get_mut(id).expect("inserted above");
            let mut rest = line;
            while let Some(at) = rest.find("$") {
                rest = &rest[at + 1..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                if !name.is_empty() && !variables.contains(&name) {
                    variables.push(name);
                }
            }
        }
    }
    for variables in shape.values_mut() {
        variables.sort();
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_reads_lang_then_the_locale_then_speaks_english() {
        assert_eq!(
            Lang::from_args(&["lesson5", "--lang", "zh"]),
            Some(Lang::Zh)
        );
        assert_eq!(
            Lang::from_args(&["lesson5", "server", "--lang=en"]),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_args(&["lesson5", "--lang", "fr"]), None);
        assert_eq!(Lang::from_args(&["lesson5", "--", "--lang", "zh"]), None);
        assert_eq!(Lang::from_args(&["lesson5"]), None);
        let locale = |vars: &'static [(&'static str, &'static str)]| {
            Lang::from_locale(move |name| {
                vars.iter()
                    .find(|(var, _)| *var == name)
                    .map(|(_, value)| value.to_string())
            })
        };
        assert_eq!(locale(&[("LANG", "zh_CN.UTF-8")]), Lang::Zh);
        assert_eq!(
            locale(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")]),
            Lang::En
        );
        assert_eq!(
            locale(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_TW")]),
            Lang::Zh
        );
        assert_eq!(locale(&[]), Lang::En);
    }

    #[test]
    fn both_catalogues_have_the_same_messages_with_the_same_arguments() {
        let en = catalogue_shape(include_str!("../i18n/en/socket_lessons.ftl"));
        let zh = catalogue_shape(include_str!("../i18n/zh-CN/socket_lessons.ftl"));
        let only_en: Vec<&String> = en.keys().filter(|id| !zh.contains_key(*id)).collect();
        let only_zh: Vec<&String> = zh.keys().filter(|id| !en.contains_key(*id)).collect();
        assert!(
            only_en.is_empty() && only_zh.is_empty(),
            "only in English: {only_en:?}; only in Chinese: {only_zh:?}"
        );
        for (id, variables) in &en {
            assert_eq!(&zh[id], variables, "the arguments of {id}");
        }
        // Every message loads in both languages, and says something.
        for lang in [Lang::En, Lang::Zh] {
            let loader = loader_for(lang);
            for id in en.keys() {
                assert!(loader.has(id), "{lang:?} lacks {id}");
            }
        }
    }

    #[test]
    fn a_message_speaks_each_language() {
        // (Through each language's loader, not by switching the process's language: the tests
        // of this crate run in threads of one process, and the language is the process's.)
        assert_eq!(crate::t!("language-name"), "English");
        assert_eq!(loader_for(Lang::Zh).get("language-name"), "简体中文");
    }
}
