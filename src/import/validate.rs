//! The rules every deck file must satisfy, whatever its format: `Validator` turns a
//! TOML or JSON document tree into a [`Deck`], and checks the cards that the row formats
//! (CSV, Anki text) assemble one row at a time, collecting every problem with
//! `file:line:column` instead of stopping at the first.
//!
//! Each message says what to type in the file at hand ([`Syntax`]): a missing field is
//! `add \`answer = "…"\`` in TOML, `add "answer": "…"` in JSON, `fill the \`answer\` cell`
//! in a spreadsheet.

use std::borrow::Cow;
use std::collections::HashSet;

use super::tree::node::{Key, Node, Pos, Value};
use super::tree::toml;
use crate::deck::{
    Card, CardBody, CardId, ChoiceOption, Deck, DeckId, KEYS, Topic, TopicId, valid_id,
};
use crate::error::{Diagnostic, Error};
use crate::text;

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

    fn table<'n, 't>(&mut self, node: &'n Node<'t>, part: Part) -> Option<&'n [(Key, Node<'t>)]> {
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

    fn unknown_fields(&mut self, entries: &[(Key, Node)], known: &[&str], what: &str) {
        if self.syntax == Syntax::Rows {
            return; // row readers build their tables from known columns only
        }
        for (key, node) in entries {
            if !known.contains(&key.as_ref()) {
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
            Value::Str(s) => Some(self.clean(s).into_owned()),
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

    fn array<'n, 't>(&mut self, root: &'n Node<'t>, key: &str) -> &'n [Node<'t>] {
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
                    id: TopicId::new(id),
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
            id: DeckId::new(id?.0),
            name: name?.0,
            description,
            framework,
            topics,
            cards,
            neutralised: 0,
        })
    }

    /// Check one card (a table of the TOML or JSON tree) against the deck's `topics`.
    fn card(&mut self, node: &Node, topics: &HashSet<String>) -> Option<Card> {
        let fields = self.fields(node)?;
        self.check_card(&fields, topics)
    }

    /// A string field of a table: missing, of the wrong type (reported), or its text.
    fn val<'n>(&mut self, node: &'n Node<'_>, key: &str) -> Val<'n> {
        match node.get(key) {
            None => Val::Missing,
            Some(Node {
                value: Value::Str(s),
                pos,
            }) => Val::Text(s, *pos),
            Some(other) => {
                let found = self.syntax.type_name(other);
                self.error(
                    other.pos,
                    format!("`{key}` must be a string, found {found}"),
                );
                Val::Invalid
            }
        }
    }

    /// An array of strings (or, with `one`, a single string), its bad items reported.
    fn list<'n>(&mut self, node: &'n Node<'_>, key: &str, one: bool) -> Vec<(&'n str, Pos)> {
        match node.get(key) {
            None => Vec::new(),
            Some(Node {
                value: Value::Str(s),
                pos,
            }) if one => vec![(&**s, *pos)],
            Some(Node {
                value: Value::Array(items),
                ..
            }) => items
                .iter()
                .filter_map(|i| match &i.value {
                    Value::Str(s) => Some((&**s, i.pos)),
                    _ => {
                        let found = self.syntax.type_name(i);
                        self.error(i.pos, format!("`{key}` must be a string, found {found}"));
                        None
                    }
                })
                .collect(),
            Some(other) => {
                let found = self.syntax.type_name(other);
                self.error(
                    other.pos,
                    format!("`{key}` must be an array of strings, found {found}"),
                );
                Vec::new()
            }
        }
    }

    /// The fields of a card table, with type errors and unknown fields reported.
    fn fields<'n>(&mut self, node: &'n Node<'_>) -> Option<Fields<'n>> {
        let entries = self.table(node, Part::Card)?;
        let kind = self.val(node, "kind");
        match kind {
            Val::Text("choice", _) => self.unknown_fields(
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
            ),
            Val::Text("recall", _) => self.unknown_fields(
                entries,
                &["id", "kind", "topic", "tags", "prompt", "answer", "rubric"],
                "a recall card",
            ),
            _ => {}
        }
        let options = match node.get("option") {
            None => Options::Missing,
            Some(Node {
                value: Value::Array(items),
                pos,
            }) => {
                let label = self.syntax.label(Part::Option);
                let list = items
                    .iter()
                    .map(|o| {
                        let entries = self.table(o, Part::Option)?;
                        self.unknown_fields(entries, &["text", "why"], label);
                        Some(OptionFields {
                            pos: o.pos,
                            text: self.val(o, "text"),
                            why: self.val(o, "why"),
                        })
                    })
                    .collect();
                Options::Given(*pos, list)
            }
            Some(other) => {
                let message = match self.syntax {
                    Syntax::Toml => "`option` must be an array of tables ([[card.option]])",
                    _ => "`option` must be an array of objects ([{\"text\": \"…\"}, …])",
                };
                self.error(other.pos, message);
                Options::Invalid
            }
        };
        Some(Fields {
            pos: node.pos,
            id: self.val(node, "id"),
            kind,
            topic: self.val(node, "topic"),
            tags: self.list(node, "tags", false),
            question: self.val(node, "question"),
            answer: self.val(node, "answer"),
            explanation: self.val(node, "explanation"),
            options,
            prompt: self.val(node, "prompt"),
            rubric: self.list(node, "rubric", true),
        })
    }

    /// Neutralised text (see [`text::neutralise`]), counting what was removed.
    fn clean<'s>(&mut self, s: &'s str) -> Cow<'s, str> {
        // Printable ASCII (with tabs and line breaks) not padded by white space is what
        // `neutralise` returns unchanged: skip its character loop, which dominates the
        // reading of a large spreadsheet, and borrow instead of copying.
        if is_plain(s) {
            return Cow::Borrowed(s);
        }
        let (clean, removed) = text::neutralise(s);
        self.neutralised += removed;
        Cow::Owned(clean)
    }

    /// A required, non-empty field; `at` is where a missing one is reported.
    fn need<'t>(
        &mut self,
        v: Val<'t>,
        key: &str,
        at: Pos,
        what: &str,
    ) -> Option<(Cow<'t, str>, Pos)> {
        match v {
            Val::Missing => {
                let hint = self.syntax.add_field(key);
                self.error(at, format!("{what} is missing `{key}` — {hint}"));
                None
            }
            Val::Invalid => None,
            Val::Text(s, pos) => {
                let s = self.clean(s);
                if s.is_empty() {
                    self.error(pos, format!("`{key}` is empty — write the {key} text"));
                    return None;
                }
                Some((s, pos))
            }
        }
    }

    fn maybe(&mut self, v: Val<'_>) -> String {
        match v {
            Val::Text(s, _) => self.clean(s).into_owned(),
            _ => String::new(),
        }
    }

    /// Every rule about a card, whatever the format it came from.
    pub(crate) fn check_card(&mut self, f: &Fields<'_>, topics: &HashSet<String>) -> Option<Card> {
        let card = self.syntax.label(Part::Card);
        let id = self.need(f.id, "id", f.pos, card).and_then(|(id, pos)| {
            if valid_id(&id) {
                Some(id.into_owned())
            } else {
                self.error(
                    pos,
                    format!("invalid id {id:?} — use letters, digits, '.', '_' and '-' (no spaces or '/'), at most 100"),
                );
                None
            }
        });
        let kind = self.need(f.kind, "kind", f.pos, card);
        let topic = self.need(f.topic, "topic", f.pos, card);
        if let Some((t, pos)) = &topic {
            if !topics.contains(t.as_ref()) {
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
        let tags = f
            .tags
            .iter()
            .map(|&(t, _)| self.clean(t).into_owned())
            .collect();
        let body = match kind.as_ref().map(|(k, p)| (k.as_ref(), *p)) {
            Some(("choice", _)) => self.choice(f),
            Some(("recall", _)) => self.recall(f),
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
            id: CardId::new(id?),
            topic: TopicId::new(topic?.0.into_owned()),
            tags,
            body: body?,
        })
    }

    fn choice(&mut self, f: &Fields<'_>) -> Option<CardBody> {
        let question = self.need(f.question, "question", f.pos, "a choice card");
        let answer = self.need(f.answer, "answer", f.pos, "a choice card");
        let explanation = self.maybe(f.explanation);
        let options: Vec<ChoiceOption> = match &f.options {
            Options::Missing => {
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
                self.error(f.pos, message);
                return None;
            }
            Options::Invalid => return None,
            Options::Given(pos, items) => {
                if items.len() < 2 || items.len() > KEYS.len() {
                    self.error(
                        *pos,
                        format!("a choice card needs 2 to 8 options, found {}", items.len()),
                    );
                }
                let label = self.syntax.label(Part::Option);
                items
                    .iter()
                    .flatten()
                    .filter_map(|o| {
                        let text = self.need(o.text, "text", o.pos, label)?.0.into_owned();
                        let why = self.maybe(o.why);
                        Some(ChoiceOption { text, why })
                    })
                    .collect()
            }
        };
        let (answer, pos) = answer?;
        let index = match answer.trim().as_bytes() {
            [c] => KEYS
                .iter()
                .position(|&k| u32::from(k) == u32::from(c.to_ascii_uppercase())),
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
            question: question?.0.into_owned(),
            options,
            answer: index,
            explanation,
        })
    }

    fn recall(&mut self, f: &Fields<'_>) -> Option<CardBody> {
        let prompt = self.need(f.prompt, "prompt", f.pos, "a recall card");
        let answer = self.need(f.answer, "answer", f.pos, "a recall card");
        let rubric = f
            .rubric
            .iter()
            .map(|&(r, _)| self.clean(r).into_owned())
            .collect();
        Some(CardBody::Recall {
            prompt: prompt?.0.into_owned(),
            answer: answer?.0.into_owned(),
            rubric,
        })
    }
}

/// A field as a reader found it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) enum Val<'t> {
    #[default]
    Missing,
    /// Present but not text; already reported.
    Invalid,
    Text(&'t str, Pos),
}

/// The options of a choice card as found.
#[derive(Debug, Default)]
pub(crate) enum Options<'t> {
    #[default]
    Missing,
    /// Present but not a list; already reported.
    Invalid,
    /// Where the list starts, and each option (`None`: not a table, already reported).
    Given(Pos, Vec<Option<OptionFields<'t>>>),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct OptionFields<'t> {
    pub pos: Pos,
    pub text: Val<'t>,
    pub why: Val<'t>,
}

/// A card's fields as a reader found them, before any rule is checked: a TOML or JSON
/// table, or the cells of a row.
#[derive(Debug, Default)]
pub(crate) struct Fields<'t> {
    /// Where the card starts (a missing field is reported here).
    pub pos: Pos,
    pub id: Val<'t>,
    pub kind: Val<'t>,
    pub topic: Val<'t>,
    pub tags: Vec<(&'t str, Pos)>,
    pub question: Val<'t>,
    pub answer: Val<'t>,
    pub explanation: Val<'t>,
    pub options: Options<'t>,
    pub prompt: Val<'t>,
    pub rubric: Vec<(&'t str, Pos)>,
}

fn is_plain(s: &str) -> bool {
    let b = s.as_bytes();
    let edge = |c: Option<&u8>| !matches!(c, Some(b' ' | b'\n' | b'\t'));
    // Without an early exit the scan compiles to vector instructions.
    let odd = b.iter().fold(false, |odd, &c| {
        odd | (c >= 0x7f) | (c < 0x20 && c != b'\n' && c != b'\t')
    });
    edge(b.first()) && edge(b.last()) && !odd
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
    fn the_plain_text_shortcut_agrees_with_neutralise() {
        for s in [
            "",
            "abc",
            "a b\tc\nd",
            " a",
            "a ",
            "a\n",
            "\ta",
            "a\rb",
            "é",
            "a\u{1b}b",
        ] {
            if is_plain(s) {
                assert_eq!(text::neutralise(s), (s.to_string(), 0), "{s:?}");
            }
        }
        assert!(is_plain("The interviewer asks: \"why?\"\n- point"));
        assert!(!is_plain("a\rb") && !is_plain(" a") && !is_plain("é"));
    }
}
