//! Content: the deck model, its readers, its validation and the built-in deck.
//!
//! Identity is `deck id / card id`, never a hash of the text, so editing a card keeps
//! its history. The TOML and JSON readers produce a [`node::Node`] tree; [`validate`]
//! turns it into a [`Deck`] or into every problem it finds, each with
//! `file:line:column`. The row readers (CSV, Anki text) build one small tree per row and
//! check it with the same rules ([`rows`]). [`format`] picks the reader for a file.

pub mod anki;
pub mod builtin;
pub mod csv;
mod delimited;
pub mod file;
pub mod format;
pub mod html;
pub mod json;
pub mod node;
mod rows;
pub mod slug;
pub mod toml;

use std::collections::HashSet;
use std::fmt;

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error};
use crate::text;
use node::{Node, Pos, Value};

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

/// Read a deck in the native TOML format.
pub fn parse_toml(file: &str, text: &str) -> Result<Deck, Error> {
    let root = toml::parse(file, text).map_err(|d| Error::Content(vec![d]))?;
    validate(file, &root)
}

/// How the file being checked spells tables and fields, so that every "what to do" in a
/// message shows what to type in that file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Json,
    /// One card per row (CSV, Anki text): fields are cells.
    Rows,
}

/// The parts of a deck file that messages name.
#[derive(Clone, Copy)]
enum Part {
    File,
    Deck,
    Topic,
    Card,
    Option,
}

impl Syntax {
    fn label(self, part: Part) -> &'static str {
        match (self, part) {
            (_, Part::File) => "the file",
            (Syntax::Toml, Part::Deck) => "[deck]",
            (Syntax::Toml, Part::Topic) => "[[topic]]",
            (Syntax::Toml, Part::Card) => "[[card]]",
            (Syntax::Toml, Part::Option) => "[[card.option]]",
            (_, Part::Deck) => "the deck object",
            (_, Part::Topic) => "a topic",
            (Syntax::Json, Part::Card) => "a card",
            (Syntax::Rows, Part::Card) => "the row",
            (_, Part::Option) => "an option",
        }
    }

    /// What to write to supply a missing field.
    fn add_field(self, key: &str) -> String {
        match self {
            Syntax::Toml => format!("add `{key} = \"…\"`"),
            Syntax::Json => format!("add \"{key}\": \"…\""),
            Syntax::Rows => format!("fill the `{key}` cell"),
        }
    }

    fn type_name(self, node: &Node) -> &'static str {
        match (self, &node.value) {
            (Syntax::Json, Value::Table(_)) => "an object",
            _ => node.type_name(),
        }
    }
}

/// Turn a TOML document tree into a deck, collecting every problem.
pub fn validate(file: &str, root: &Node) -> Result<Deck, Error> {
    validate_as(file, root, Syntax::Toml)
}

/// Turn a document tree (TOML or its JSON twin) into a deck, collecting every problem.
pub fn validate_as(file: &str, root: &Node, syntax: Syntax) -> Result<Deck, Error> {
    let mut v = Validator::new(file, syntax);
    let deck = v.deck(root);
    if v.diags.is_empty() {
        if let Some(mut deck) = deck {
            deck.neutralised = v.neutralised;
            return Ok(deck);
        }
    }
    Err(Error::Content(v.diags))
}

/// The checks shared by every format. Row formats use [`Validator::card`] one row at a
/// time, so a large spreadsheet never exists as a whole tree in memory.
pub(crate) struct Validator<'a> {
    file: &'a str,
    syntax: Syntax,
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) neutralised: usize,
}

impl<'a> Validator<'a> {
    pub(crate) fn new(file: &'a str, syntax: Syntax) -> Validator<'a> {
        Validator {
            file,
            syntax,
            diags: Vec::new(),
            neutralised: 0,
        }
    }

    pub(crate) fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.diags.push(Diagnostic {
            file: self.file.to_string(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
        });
    }

    fn table<'n>(&mut self, node: &'n Node, part: Part) -> Option<&'n [(String, Node)]> {
        match &node.value {
            Value::Table(entries) => Some(entries),
            _ => {
                let (what, wanted) = (
                    self.syntax.label(part),
                    if self.syntax == Syntax::Json {
                        "an object"
                    } else {
                        "a table"
                    },
                );
                let found = self.syntax.type_name(node);
                self.error(node.pos, format!("{what} must be {wanted}, found {found}"));
                None
            }
        }
    }

    fn unknown_fields(&mut self, entries: &[(String, Node)], known: &[&str], what: &str) {
        for (key, node) in entries {
            if !known.contains(&key.as_str()) {
                self.error(
                    node.pos,
                    format!(
                        "unknown field `{key}` in {what} — expected one of: {}",
                        known.join(", ")
                    ),
                );
            }
        }
    }

    fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.value {
            Value::Str(s) => {
                let (clean, removed) = text::neutralise(s);
                self.neutralised += removed;
                Some(clean)
            }
            _ => {
                let found = self.syntax.type_name(node);
                self.error(
                    node.pos,
                    format!("`{what}` must be a string, found {found}"),
                );
                None
            }
        }
    }

    /// A required, non-empty string field of `table` (positioned at `at` when missing).
    fn required(&mut self, table: &Node, key: &str, part: Part) -> Option<(String, Pos)> {
        self.required_in(table, key, self.syntax.label(part))
    }

    fn required_in(&mut self, table: &Node, key: &str, what: &str) -> Option<(String, Pos)> {
        match table.get(key) {
            None => {
                let hint = self.syntax.add_field(key);
                self.error(table.pos, format!("{what} is missing `{key}` — {hint}"));
                None
            }
            Some(node) => {
                let s = self.string(node, key)?;
                if s.is_empty() {
                    self.error(node.pos, format!("`{key}` is empty — write the {key} text"));
                    return None;
                }
                Some((s, node.pos))
            }
        }
    }

    fn optional(&mut self, table: &Node, key: &str) -> Option<String> {
        table.get(key).and_then(|n| self.string(n, key))
    }

    fn string_list(&mut self, node: &Node, key: &str) -> Vec<String> {
        match &node.value {
            Value::Array(items) => items.iter().filter_map(|i| self.string(i, key)).collect(),
            _ => {
                let found = self.syntax.type_name(node);
                self.error(
                    node.pos,
                    format!("`{key}` must be an array of strings, found {found}"),
                );
                Vec::new()
            }
        }
    }

    fn id(&mut self, table: &Node, part: Part) -> Option<(String, Pos)> {
        let (id, pos) = self.required(table, "id", part)?;
        if !valid_id(&id) {
            self.error(
                pos,
                format!("invalid id {id:?} — use letters, digits, '.', '_' and '-' (no spaces or '/'), at most 100"),
            );
            return None;
        }
        Some((id, pos))
    }

    fn array<'n>(&mut self, root: &'n Node, key: &str) -> &'n [Node] {
        match root.get(key) {
            None => &[],
            Some(Node {
                value: Value::Array(items),
                ..
            }) => items,
            Some(other) => {
                let message = match self.syntax {
                    Syntax::Toml => format!("`{key}` must be an array of tables ([[{key}]])"),
                    _ => format!("`{key}` must be an array of objects ([{{…}}, …])"),
                };
                self.error(other.pos, message);
                &[]
            }
        }
    }

    fn deck(&mut self, root: &Node) -> Option<Deck> {
        let entries = self.table(root, Part::File)?;
        self.unknown_fields(entries, &["deck", "topic", "card"], "the file");
        let header = match root.get("deck") {
            Some(h) => h,
            None => {
                let message = match self.syntax {
                    Syntax::Json => {
                        "missing \"deck\" object — add \"deck\": {\"id\": \"…\", \"name\": \"…\"}, or pass --deck ID"
                    }
                    _ => {
                        "missing [deck] table — start the file with [deck] and `id = \"…\"`, or pass --deck ID"
                    }
                };
                self.error(Pos { line: 1, column: 1 }, message);
                return None;
            }
        };
        let deck_label = self.syntax.label(Part::Deck);
        let header_entries = self.table(header, Part::Deck)?;
        self.unknown_fields(
            header_entries,
            &["id", "name", "description", "framework"],
            deck_label,
        );
        let id = self.id(header, Part::Deck);
        let name = self.required(header, "name", Part::Deck);
        let description = self.optional(header, "description").unwrap_or_default();
        let framework = header
            .get("framework")
            .map(|n| self.string_list(n, "framework"))
            .unwrap_or_default();

        let mut topics = Vec::new();
        let mut topic_ids = HashSet::new();
        let topic_label = self.syntax.label(Part::Topic);
        for node in self.array(root, "topic") {
            let Some(entries) = self.table(node, Part::Topic) else {
                continue;
            };
            self.unknown_fields(entries, &["id", "name"], topic_label);
            let id = self.id(node, Part::Topic);
            let name = self.required(node, "name", Part::Topic);
            if let (Some((id, pos)), Some((name, _))) = (id, name) {
                if !topic_ids.insert(id.clone()) {
                    self.error(
                        pos,
                        format!("duplicate topic id {id:?} — topic ids must be unique in a deck"),
                    );
                }
                topics.push(Topic {
                    id: TopicId(id),
                    name,
                });
            }
        }

        let mut cards = Vec::new();
        let mut card_ids = HashSet::new();
        for node in self.array(root, "card") {
            // Checked apart from the rest, so a duplicate is reported even on a broken card.
            if let Some(Node {
                value: Value::Str(id),
                pos,
            }) = node.get("id")
            {
                if !card_ids.insert(id.clone()) {
                    self.error(
                        *pos,
                        format!("duplicate card id {id:?} — card ids must be unique in a deck"),
                    );
                }
            }
            if let Some(card) = self.card(node, &topic_ids) {
                cards.push(card);
            }
        }
        if self.array(root, "card").is_empty() && root.get("card").is_none() {
            let message = match self.syntax {
                Syntax::Json => "the deck has no cards — add at least one object to \"card\"",
                _ => "the deck has no cards — add at least one [[card]]",
            };
            self.error(header.pos, message);
        }
        Some(Deck {
            id: DeckId(id?.0),
            name: name?.0,
            description,
            framework,
            topics,
            cards,
            neutralised: 0,
        })
    }

    /// Check one card against the deck's `topics`.
    pub(crate) fn card(&mut self, node: &Node, topics: &HashSet<String>) -> Option<Card> {
        let entries = self.table(node, Part::Card)?;
        let id = self.id(node, Part::Card);
        let kind = self.required(node, "kind", Part::Card);
        let topic = self.required(node, "topic", Part::Card);
        if let Some((t, pos)) = &topic {
            if !topics.contains(t) {
                let known: Vec<&str> = topics.iter().map(String::as_str).collect();
                let declare = match self.syntax {
                    Syntax::Toml => "declare it in a [[topic]] table",
                    _ => "declare it in \"topic\"",
                };
                self.error(
                    *pos,
                    format!("unknown topic {t:?} — {declare} (known: {})", sorted(known)),
                );
            }
        }
        let tags = node
            .get("tags")
            .map(|n| self.string_list(n, "tags"))
            .unwrap_or_default();
        let body = match kind.as_ref().map(|(k, p)| (k.as_str(), *p)) {
            Some(("choice", _)) => {
                self.unknown_fields(
                    entries,
                    &[
                        "id",
                        "kind",
                        "topic",
                        "tags",
                        "question",
                        "answer",
                        "explanation",
                        "option",
                    ],
                    "a choice card",
                );
                self.choice(node)
            }
            Some(("recall", _)) => {
                self.unknown_fields(
                    entries,
                    &["id", "kind", "topic", "tags", "prompt", "answer", "rubric"],
                    "a recall card",
                );
                self.recall(node)
            }
            Some((other, pos)) => {
                self.error(
                    pos,
                    format!("unknown kind {other:?} — use \"choice\" or \"recall\""),
                );
                None
            }
            None => None,
        };
        Some(Card {
            id: CardId(id?.0),
            topic: TopicId(topic?.0),
            tags,
            body: body?,
        })
    }

    fn choice(&mut self, node: &Node) -> Option<CardBody> {
        let question = self.required_in(node, "question", "a choice card");
        let answer = self.required_in(node, "answer", "a choice card");
        let explanation = self.optional(node, "explanation").unwrap_or_default();
        let options: Vec<ChoiceOption> = match node.get("option") {
            None => {
                let message = match self.syntax {
                    Syntax::Toml => {
                        "a choice card needs options — add [[card.option]] tables with `text = \"…\"`"
                    }
                    Syntax::Json => {
                        "a choice card needs options — add \"option\": [{\"text\": \"…\"}, …]"
                    }
                    Syntax::Rows => {
                        "a choice card needs options — fill the option cells (a, b, … or options)"
                    }
                };
                self.error(node.pos, message);
                return None;
            }
            Some(Node {
                value: Value::Array(items),
                pos,
            }) => {
                if items.len() < 2 || items.len() > KEYS.len() {
                    self.error(
                        *pos,
                        format!("a choice card needs 2 to 8 options, found {}", items.len()),
                    );
                }
                items.iter().filter_map(|o| self.option(o)).collect()
            }
            Some(other) => {
                let message = match self.syntax {
                    Syntax::Toml => "`option` must be an array of tables ([[card.option]])",
                    _ => "`option` must be an array of objects ([{\"text\": \"…\"}, …])",
                };
                self.error(other.pos, message);
                return None;
            }
        };
        let (answer, pos) = answer?;
        let key = answer.trim().to_ascii_uppercase();
        let index = match key.chars().next() {
            Some(c) if key.len() == 1 => KEYS.iter().position(|&k| k == c),
            _ => None,
        };
        let index = match index {
            Some(i) if i < options.len() => i,
            _ => {
                let last = KEYS[options.len().clamp(1, KEYS.len()) - 1];
                self.error(
                    pos,
                    format!("answer {answer:?} is not one of the options — use a key from A to {last}, in file order"),
                );
                return None;
            }
        };
        Some(CardBody::Choice {
            question: question?.0,
            options,
            answer: index,
            explanation,
        })
    }

    fn option(&mut self, node: &Node) -> Option<ChoiceOption> {
        let label = self.syntax.label(Part::Option);
        let entries = self.table(node, Part::Option)?;
        self.unknown_fields(entries, &["text", "why"], label);
        let text = self.required(node, "text", Part::Option)?.0;
        let why = self.optional(node, "why").unwrap_or_default();
        Some(ChoiceOption { text, why })
    }

    fn recall(&mut self, node: &Node) -> Option<CardBody> {
        let prompt = self.required_in(node, "prompt", "a recall card");
        let answer = self.required_in(node, "answer", "a recall card");
        let rubric = match node.get("rubric") {
            Some(
                n @ Node {
                    value: Value::Str(_),
                    ..
                },
            ) => self.string(n, "rubric").into_iter().collect(),
            Some(n) => self.string_list(n, "rubric"),
            None => Vec::new(),
        };
        Some(CardBody::Recall {
            prompt: prompt?.0,
            answer: answer?.0,
            rubric,
        })
    }
}

fn sorted(mut items: Vec<&str>) -> String {
    items.sort_unstable();
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[deck]
id = "d"
name = "A deck"
framework = ["one", "two"]

[[topic]]
id = "t"
name = "Topic"

[[card]]
id = "c1"
kind = "choice"
topic = "t"
tags = ["classify"]
question = "Q?"
answer = "b"
explanation = "Because."
[[card.option]]
text = "first"
why = "no"
[[card.option]]
text = "second"
why = "yes"

[[card]]
id = "c2"
kind = "recall"
topic = "t"
prompt = "Say it"
answer = "It"
rubric = ["point"]
"#;

    fn errors(text: &str) -> Vec<String> {
        match parse_toml("f.toml", text) {
            Ok(_) => vec![],
            Err(Error::Content(d)) => d.iter().map(ToString::to_string).collect(),
            Err(e) => vec![e.to_string()],
        }
    }

    #[test]
    fn parses_a_valid_deck() {
        let deck = parse_toml("f.toml", GOOD).unwrap();
        assert_eq!(deck.id.as_str(), "d");
        assert_eq!(deck.framework, ["one", "two"]);
        assert_eq!(deck.cards.len(), 2);
        let CardBody::Choice {
            answer, options, ..
        } = &deck.cards[0].body
        else {
            panic!("not a choice card")
        };
        assert_eq!((*answer, options.len()), (1, 2));
        assert_eq!(deck.cards[1].body.kind(), "recall");
    }

    #[test]
    fn every_rule_is_reported_with_its_line() {
        let bad = GOOD
            .replace("topic = \"t\"\ntags", "topic = \"nope\"\ntags")
            .replace("answer = \"b\"", "answer = \"E\"")
            .replace("id = \"c2\"", "id = \"c1\"")
            .replace("prompt = \"Say it\"\n", "");
        let errs = errors(&bad);
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.toml:14:9:") && e.contains("unknown topic \"nope\"")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.toml:17:10:") && e.contains("answer \"E\"")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.toml:27:6:") && e.contains("duplicate card id \"c1\"")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.toml:26:1:") && e.contains("missing `prompt`")),
            "{errs:#?}"
        );
    }

    #[test]
    fn option_count_limits() {
        let one = GOOD
            .replacen("[[card.option]]\ntext = \"second\"\nwhy = \"yes\"\n", "", 1)
            .replace("answer = \"b\"", "answer = \"A\"");
        assert!(
            errors(&one)
                .iter()
                .any(|e| e.contains("2 to 8 options, found 1")),
            "{:?}",
            errors(&one)
        );
        let many = GOOD.replacen(
            "[[card.option]]\ntext = \"first\"",
            &"[[card.option]]\ntext = \"x\"\n".repeat(8),
            1,
        );
        assert!(
            errors(&many).iter().any(|e| e.contains("2 to 8 options")),
            "{:?}",
            errors(&many)
        );
    }

    #[test]
    fn unknown_fields_and_missing_deck() {
        let typo = GOOD.replace("explanation =", "explaination =");
        assert!(
            errors(&typo)
                .iter()
                .any(|e| e.contains("unknown field `explaination`"))
        );
        assert!(
            errors("[[card]]\nid = \"x\"\n")
                .iter()
                .any(|e| e.contains("missing [deck]"))
        );
    }

    #[test]
    fn hostile_characters_are_counted_and_removed() {
        let hostile = GOOD.replace("Q?", "Q\\u001b[2J?\\u202e");
        let deck = parse_toml("f.toml", &hostile).unwrap();
        assert_eq!(deck.neutralised, 2);
        assert_eq!(deck.cards[0].body.question(), "Q[2J?");
    }

    #[test]
    fn ids_are_restricted() {
        assert!(valid_id("poisoning-detect.v2_b"));
        for bad in ["", "a b", "a/b", "-x", "é"] {
            assert!(!valid_id(bad), "{bad:?}");
        }
    }
}
