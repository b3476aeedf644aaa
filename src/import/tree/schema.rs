//! The deck schema of a whole-file format: which tables and fields a TOML or JSON deck
//! has and of which types, checked over its [`Node`] tree. Each card's fields are then
//! checked by the rules every format shares ([`crate::import::validate`]).
//!
//! An unknown field is an error (as an unknown column is in a spreadsheet): a typo in a
//! field name (`explaination`) would otherwise drop its text without a word.

use std::collections::HashSet;

use super::node::{Key, Node, Value};
use crate::deck::{Card, Deck, DeckId, Topic, TopicId, valid_id};
use crate::error::Error;
use crate::import::validate::{Fields, OptionFields, Options, Part, Pos, Syntax, Val, Validator};

/// Turn a document tree (TOML or its JSON twin) into a deck, collecting every problem.
pub fn check(file: &str, root: &Node, syntax: Syntax) -> Result<Deck, Error> {
    let mut s = Schema {
        v: Validator::new(file, syntax),
        syntax,
    };
    let deck = s.deck(root);
    if s.v.diags.is_empty() {
        if let Some(mut deck) = deck {
            deck.neutralised = s.v.neutralised;
            return Ok(deck);
        }
    }
    Err(Error::Content(s.v.diags))
}

/// A walk over a deck's tree, reporting through the shared validator.
struct Schema<'a> {
    v: Validator<'a>,
    syntax: Syntax,
}

impl Schema<'_> {
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
                let found = type_name(self.syntax, node);
                self.v
                    .error(node.pos, format!("{what} must be {wanted}, found {found}"));
                None
            }
        }
    }

    fn unknown_fields(&mut self, entries: &[(Key, Node)], known: &[&str], what: &str) {
        for (key, node) in entries {
            if !known.contains(&key.as_ref()) {
                self.v.error(
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
            Value::Str(s) => Some(self.v.clean(s).into_owned()),
            _ => {
                let found = type_name(self.syntax, node);
                self.v.error(
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
                self.v
                    .error(table.pos, format!("{what} is missing `{key}` — {hint}"));
                None
            }
            Some(node) => {
                let s = self.string(node, key)?;
                if s.is_empty() {
                    self.v
                        .error(node.pos, format!("`{key}` is empty — write the {key} text"));
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
                let found = type_name(self.syntax, node);
                self.v.error(
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
            self.v.error(
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
                self.v.error(other.pos, message);
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
                self.v.error(Pos { line: 1, column: 1 }, message);
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
                    self.v.error(
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
                    self.v.error(
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
            self.v.error(header.pos, message);
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
        self.v.check_card(&fields, topics)
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
                let found = type_name(self.syntax, other);
                self.v.error(
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
                        let found = type_name(self.syntax, i);
                        self.v
                            .error(i.pos, format!("`{key}` must be a string, found {found}"));
                        None
                    }
                })
                .collect(),
            Some(other) => {
                let found = type_name(self.syntax, other);
                self.v.error(
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
                self.v.error(other.pos, message);
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
}

fn type_name(syntax: Syntax, node: &Node) -> &'static str {
    match (syntax, &node.value) {
        (Syntax::Json, Value::Table(_)) => "an object",
        _ => node.type_name(),
    }
}
