//! Decks assembled one row at a time, for the formats with one card per row (CSV, Anki
//! text): each row names its deck and topic, and is checked by the shared validator as
//! soon as it is read, so a large file never exists as a whole tree in memory.

use std::collections::{HashMap, HashSet};

use super::node::{Node, Pos, Value};
use super::{Deck, DeckId, Syntax, Topic, TopicId, Validator};
use crate::error::{Diagnostic, Error};

/// A deck or topic as a row names it: the id, and the name to show.
pub struct Named {
    pub id: String,
    pub name: String,
}

/// What `--deck`, `--topic` and the file name supply when a row does not.
pub struct RowDefaults<'a> {
    pub deck: Named,
    pub topic: Option<&'a str>,
}

pub struct Rows<'a> {
    v: Validator<'a>,
    decks: Vec<Pending>,
    index: HashMap<String, usize>,
}

struct Pending {
    deck: Deck,
    topic_ids: HashSet<String>,
    /// Card id → line of its row, to name the first row when an id repeats.
    card_lines: HashMap<String, usize>,
}

impl<'a> Rows<'a> {
    pub fn new(file: &'a str) -> Rows<'a> {
        Rows {
            v: Validator::new(file, Syntax::Rows),
            decks: Vec::new(),
            index: HashMap::new(),
        }
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.v.error(pos, message);
    }

    pub fn has_errors(&self) -> bool {
        !self.v.diags.is_empty()
    }

    /// Check one row's card (a table node as in the TOML format, without `topic`) and
    /// add it to its deck and topic, creating them on first use.
    pub fn card(&mut self, deck: Named, topic: Named, mut node: Node) {
        let slot = match self.index.get(&deck.id) {
            Some(&i) => i,
            None => {
                self.index.insert(deck.id.clone(), self.decks.len());
                self.decks.push(Pending {
                    deck: Deck {
                        id: DeckId(deck.id),
                        name: deck.name,
                        description: String::new(),
                        framework: Vec::new(),
                        topics: Vec::new(),
                        cards: Vec::new(),
                        neutralised: 0,
                    },
                    topic_ids: HashSet::new(),
                    card_lines: HashMap::new(),
                });
                self.decks.len() - 1
            }
        };
        let pending = &mut self.decks[slot];
        if pending.topic_ids.insert(topic.id.clone()) {
            pending.deck.topics.push(Topic {
                id: TopicId(topic.id.clone()),
                name: topic.name,
            });
        }
        node.insert_missing("topic", Node::str(node.pos, topic.id));
        if let Some(Node {
            value: Value::Str(id),
            pos,
        }) = node.get("id")
        {
            if let Some(&line) = pending.card_lines.get(id.as_str()) {
                let message = format!(
                    "duplicate card id {id:?} — line {line} has it too; card ids must be unique in a deck"
                );
                self.v.error(*pos, message);
                return;
            }
            pending.card_lines.insert(id.clone(), pos.line);
        }
        let before = self.v.neutralised;
        if let Some(card) = self.v.card(&node, &pending.topic_ids) {
            pending.deck.neutralised += self.v.neutralised - before;
            pending.deck.cards.push(card);
        }
    }

    /// The decks in order of first appearance, or every problem found.
    pub fn finish(self) -> Result<Vec<Deck>, Error> {
        if !self.v.diags.is_empty() {
            return Err(Error::Content(self.v.diags));
        }
        Ok(self.decks.into_iter().map(|p| p.deck).collect())
    }

    /// The problems so far, for a reader that stops early.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.v.diags
    }
}
