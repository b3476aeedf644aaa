//! The content model: decks, topics and cards as the rest of mlsec sees them, their
//! ids, and [`CardSink`], the port through which a reader hands checked cards on.
//!
//! Identity is `deck id / card id`, never a hash of the text, so editing a card keeps
//! its history. How a file becomes a [`Deck`] (formats, validation, the built-in deck)
//! is the import's business: [`crate::import`].

use std::fmt;

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

use crate::error::Result;

/// Option keys in display and file order.
pub const KEYS: [char; 8] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(s: impl Into<String>) -> Self {
                $name(s.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                String::column_result(value).map($name)
            }
        }
    };
}

id_type!(
    /// A deck's stable id, e.g. `ml-security`.
    DeckId
);
id_type!(
    /// A topic id, unique within its deck, e.g. `poisoning`.
    TopicId
);
id_type!(
    /// A card id, unique within its deck, e.g. `poisoning-detect-prevent`.
    CardId
);

/// Is `s` usable as an id: 1–100 characters of `A–Z a–z 0–9 . _ -`, starting with a
/// letter or digit. Ids appear in commands and file names, so no spaces or slashes.
pub fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub text: String,
    #[serde(default)]
    pub why: String,
}

/// What a card asks. Stored as JSON in the card row; the field names are part of the
/// store format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum CardBody {
    Choice {
        question: String,
        options: Vec<ChoiceOption>,
        /// Index into `options` of the correct one (file order).
        answer: usize,
        explanation: String,
    },
    Recall {
        prompt: String,
        answer: String,
        rubric: Vec<String>,
    },
}

impl CardBody {
    pub fn kind(&self) -> &'static str {
        match self {
            CardBody::Choice { .. } => "choice",
            CardBody::Recall { .. } => "recall",
        }
    }

    /// The question or prompt.
    pub fn question(&self) -> &str {
        match self {
            CardBody::Choice { question, .. } => question,
            CardBody::Recall { prompt, .. } => prompt,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    pub id: CardId,
    pub topic: TopicId,
    pub tags: Vec<String>,
    pub body: CardBody,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    pub id: TopicId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deck {
    pub id: DeckId,
    pub name: String,
    pub description: String,
    /// The answer framework shown after a miss, in order.
    pub framework: Vec<String>,
    pub topics: Vec<Topic>,
    pub cards: Vec<Card>,
    /// Characters removed from the file's texts (escape sequences, controls, …).
    pub neutralised: usize,
}

/// Where a reader hands the cards it has checked, one at a time, so that a large file is
/// never held whole: the store's sink writes each card as it comes. A sink that fails
/// (the store could not write) says so in its result, and the reader stops there and
/// returns that error: it is not a problem of the file, so it is not a diagnostic.
pub trait CardSink {
    /// A deck whose cards are about to come: its header as known so far (a row format
    /// may add topics later). `describes_deck` as in [`crate::import::reader::Parsed`].
    fn deck(&mut self, deck: &Deck, describes_deck: bool) -> Result<()>;

    /// One checked card of a deck announced before.
    fn card(&mut self, deck: &DeckId, card: Card) -> Result<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_restricted() {
        assert!(valid_id("poisoning-detect.v2_b"));
        for bad in ["", "a b", "a/b", "-x", "é"] {
            assert!(!valid_id(bad), "{bad:?}");
        }
    }
}
