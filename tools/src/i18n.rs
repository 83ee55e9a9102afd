//! The tools' sentences in English and Simplified Chinese: the demos' narration, `grade`'s
//! cases and verdicts, `compare`'s rows, `learn`'s explanations, and every command line's help.
//!
//! The same machinery as the course's own (`socket_lessons::i18n`): a catalogue per language,
//! `i18n/en/socket_lessons_tools.ftl` and `i18n/zh-CN/socket_lessons_tools.ftl` under `tools/`,
//! read through Fluent, with message ids and arguments checked at compile time by
//! [`t!`](crate::t). The language is the process's one, chosen by `socket_lessons::i18n`.

use std::sync::OnceLock;

use i18n_embed::LanguageLoader;
use i18n_embed::fluent::{FluentLanguageLoader, fluent_language_loader};
use rust_embed::RustEmbed;
use socket_lessons::i18n::{Lang, current};

#[derive(RustEmbed)]
#[folder = "i18n/"]
struct Catalogues;

/// The tools' catalogue in the chosen language.
pub fn loader() -> &'static FluentLanguageLoader {
    static ZH: OnceLock<FluentLanguageLoader> = OnceLock::new();
    match current() {
        Lang::En => english(),
        Lang::Zh => ZH.get_or_init(|| loader_for(Lang::Zh)),
    }
}

/// The language the process speaks as an HTML page names it (`<html lang="zh-CN">`).
pub fn html_lang() -> &'static str {
    match current() {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    }
}

/// The tools' catalogue in English, whatever the process speaks: for what is written for
/// programs rather than people (`grade --json`), which stays English.
pub fn english() -> &'static FluentLanguageLoader {
    static EN: OnceLock<FluentLanguageLoader> = OnceLock::new();
    EN.get_or_init(|| loader_for(Lang::En))
}

/// A fresh catalogue in `lang`, whatever the process speaks (for tests that read both
/// languages without changing the process's one, which other threads read).
pub fn loader_for(lang: Lang) -> FluentLanguageLoader {
    let loader: FluentLanguageLoader = fluent_language_loader!();
    let id = match lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    loader
        .load_languages(&Catalogues, &[id.parse().expect("a language identifier")])
        .expect("the embedded catalogues parse (a test checks them)");
    // No invisible isolation marks around arguments: the bytes are what a terminal shows.
    loader.set_use_isolating(false);
    loader
}

/// A message of the tools' catalogue in the chosen language: `t!("id")` or
/// `t!("id", name = value, ...)`, checked at compile time against
/// `tools/i18n/en/socket_lessons_tools.ftl`.
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        i18n_embed_fl::fl!($crate::i18n::loader(), $id)
    };
    ($id:literal, $($args:tt)*) => {
        i18n_embed_fl::fl!($crate::i18n::loader(), $id, $($args)*)
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use socket_lessons::i18n::catalogue_shape;

    #[test]
    fn both_catalogues_have_the_same_messages_with_the_same_arguments() {
        let en = catalogue_shape(include_str!("../i18n/en/socket_lessons_tools.ftl"));
        let zh = catalogue_shape(include_str!("../i18n/zh-CN/socket_lessons_tools.ftl"));
        let only_en: Vec<&String> = en.keys().filter(|id| !zh.contains_key(*id)).collect();
        let only_zh: Vec<&String> = zh.keys().filter(|id| !en.contains_key(*id)).collect();
        assert!(
            only_en.is_empty() && only_zh.is_empty(),
            "only in English: {only_en:?}; only in Chinese: {only_zh:?}"
        );
        for (id, variables) in &en {
            assert_eq!(&zh[id], variables, "the arguments of {id}");
        }
        for lang in [Lang::En, Lang::Zh] {
            let loader = loader_for(lang);
            for id in en.keys() {
                assert!(loader.has(id), "{lang:?} lacks {id}");
            }
        }
        assert_eq!(loader_for(Lang::Zh).get("tools-language-name"), "简体中文");
    }
}
