//! A sentence in two languages at once: English, which programs read (`grade --json`, the
//! records of acts, a log), and the reader's own language, which a person is shown (`grade`'s
//! table, `learn`, `netassist`). Under English the two are the same bytes. It lives beside
//! [`i18n`](crate::i18n), not in `grade`: the scenario engine and `netassist` say things this
//! way too.
//!
//! A judge says a sentence with [`said!`](crate::said!), by its message id in the tools'
//! catalogue (`grade-…`), checked at compile time as [`t!`](crate::t) is. The scenario engine
//! says what it observed the same way (`scenario-…`), so that its sentences reach a Chinese
//! report in Chinese and `--json` in English. An argument of a sentence may itself be a
//! [`Said`] (a reason inside a larger sentence): each language gets its own. What is no sentence
//! of ours (bytes a peer sent, shown escaped; an operating system's error) is the same in both,
//! and converts from a `String`; and a [`Said`] converts to its English `String` where only
//! English is kept (a log, a record of acts).

use std::fmt;

use serde::{Deserialize, Serialize};

/// One sentence, in English and in the language the process speaks. Serialised as its English
/// (what programs read); read back, it is English in both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct Said {
    /// For programs: `--json`, and the tests that match on the report's words.
    pub en: String,
    /// For the person reading: the table, `learn`.
    pub shown: String,
}

impl Said {
    /// Both sentences with `more` appended to each (`more` says the same in both languages).
    pub fn then(self, more: Said) -> Said {
        Said {
            en: self.en + &more.en,
            shown: self.shown + &more.shown,
        }
    }

    /// Whether the English sentence contains `text`.
    pub fn contains(&self, text: &str) -> bool {
        self.en.contains(text)
    }
}

impl From<String> for Said {
    fn from(text: String) -> Said {
        Said {
            en: text.clone(),
            shown: text,
        }
    }
}

impl From<&String> for Said {
    fn from(text: &String) -> Said {
        Said::from(text.clone())
    }
}

impl From<&Said> for Said {
    fn from(said: &Said) -> Said {
        said.clone()
    }
}

/// Bytes a peer sent, shown escaped: the same in both languages, but for the tail of a value cut
/// short, which says its length in each (`… (126 bytes)`, `…（126 字节）`).
impl From<socket_lessons::escape::PeerText<'_>> for Said {
    fn from(text: socket_lessons::escape::PeerText<'_>) -> Said {
        Said {
            en: text.to_string(),
            shown: text.told(),
        }
    }
}

impl From<&str> for Said {
    fn from(text: &str) -> Said {
        Said::from(text.to_string())
    }
}

/// The English sentence, where only English is kept.
impl From<Said> for String {
    fn from(said: Said) -> String {
        said.en
    }
}

/// One argument of a sentence in each language: a [`Said`] gives each language its own; text
/// and numbers are the same in both.
pub trait Part {
    fn en(&self) -> String;
    fn shown(&self) -> String;
}

impl Part for Said {
    fn en(&self) -> String {
        self.en.clone()
    }
    fn shown(&self) -> String {
        self.shown.clone()
    }
}

impl Part for str {
    fn en(&self) -> String {
        self.to_string()
    }
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Part for String {
    fn en(&self) -> String {
        self.clone()
    }
    fn shown(&self) -> String {
        self.clone()
    }
}

impl<T: Part + ?Sized> Part for &T {
    fn en(&self) -> String {
        (**self).en()
    }
    fn shown(&self) -> String {
        (**self).shown()
    }
}

/// The English sentence (what a log line or a test sees).
impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// A message of the tools' catalogue as a [`Said`]: `said!("id")` or
/// `said!("id", name = value, ...)`, each value evaluated once.
#[macro_export]
macro_rules! said {
    ($id:literal) => {
        $crate::said::Said {
            en: i18n_embed_fl::fl!($crate::i18n::english(), $id),
            shown: $crate::t!($id),
        }
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        // All values first, then their names: a value may use a name an argument shadows.
        let ($($name,)+) = ($($value,)+);
        $crate::said::Said {
            en: i18n_embed_fl::fl!(
                $crate::i18n::english(),
                $id,
                $($name = $crate::said::Part::en(&$name)),+
            ),
            shown: $crate::t!($id, $($name = $crate::said::Part::shown(&$name)),+),
        }
    }};
}

/// A reason that becomes an error (`io::Error::other(said)`) keeps its English, as it was.
impl std::error::Error for Said {}
