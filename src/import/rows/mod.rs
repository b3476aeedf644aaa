//! The formats with one card per row: CSV ([`csv`]) and Anki's text notes ([`anki`]),
//! over one tokenizer (`delimited`), with Anki's HTML made plain ([`html`]) and ids
//! made from names where a file has none ([`slug`]).
//!
//! Decks are assembled here one row at a time ([`Rows`]): each row names its deck and
//! topic, is checked by the shared validator as soon as it is read, and its card goes
//! straight to a [`CardSink`]. A large file is never held as a tree or a list of cards:
//! the store writes each card as it comes.

pub mod anki;
pub mod csv;
mod delimited;
pub mod html;
pub mod slug;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::reader::{Defaults, Parsed};
use super::validate::{Fields, Pos, Syntax, Val, Validator};
use crate::deck::{CardSink, Deck, DeckId, Topic, TopicId};
use crate::error::{Diagnostic, Error, Result};

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

impl<'a> RowDefaults<'a> {
    /// The command line's defaults for the file at `path`: without `--deck`, rows that
    /// name no deck go to a deck named after the file.
    pub fn new(path: &Path, defaults: Defaults<'a>) -> RowDefaults<'a> {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "imported".to_string());
        let deck = match defaults.deck {
            Some(id) => Named {
                id: id.to_string(),
                name: id.to_string(),
            },
            None => Named {
                id: slug::slug(&stem),
                name: stem,
            },
        };
        RowDefaults {
            deck,
            topic: defaults.topic,
        }
    }
}

pub struct Rows<'a, 's> {
    v: Validator<'a>,
    decks: Vec<Pending>,
    /// A row's deck cell (empty for the default deck) → index in `decks`: rows repeat
    /// the same few names, which are turned into ids once.
    deck_keys: HashMap<String, usize>,
    sink: &'s mut dyn CardSink,
}

struct Pending {
    deck: Deck,
    cards: usize,
    /// The sink has been told of the deck.
    announced: bool,
    topic_ids: HashSet<String>,
    /// A row's topic cell → topic id.
    topic_keys: HashMap<String, String>,
    /// Card id → line of its row, to name the first row when an id repeats.
    card_lines: HashMap<String, usize>,
}

impl<'a, 's> Rows<'a, 's> {
    pub fn new(file: &'a str, sink: &'s mut dyn CardSink) -> Rows<'a, 's> {
        Rows {
            v: Validator::new(file, Syntax::Rows),
            decks: Vec::new(),
            deck_keys: HashMap::new(),
            sink,
        }
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.v.error(pos, message);
    }

    pub fn has_errors(&self) -> bool {
        !self.v.diags.is_empty()
    }

    /// Check one row's card and pass it on, creating its deck and topic on first use; an
    /// error is the sink's (a problem of the row is a diagnostic).
    /// `deck_key` and `topic_key` are the row's cells (and where the topic cell is);
    /// `deck` and `topic` make their ids and names the first time a cell is seen.
    pub(crate) fn card(
        &mut self,
        deck_key: &str,
        deck: impl FnOnce() -> Named,
        (topic_key, topic_pos): (&str, Pos),
        topic: impl FnOnce() -> Named,
        fields: Fields<'_>,
    ) -> Result<()> {
        let slot = match self.deck_keys.get(deck_key) {
            Some(&i) => i,
            None => {
                let named = deck();
                let slot = match self
                    .decks
                    .iter()
                    .position(|p| p.deck.id.as_str() == named.id)
                {
                    Some(i) => i,
                    None => {
                        self.decks.push(Pending {
                            deck: Deck {
                                id: DeckId::new(named.id),
                                name: named.name,
                                description: String::new(),
                                framework: Vec::new(),
                                topics: Vec::new(),
                                cards: Vec::new(),
                                neutralised: 0,
                            },
                            cards: 0,
                            announced: false,
                            topic_ids: HashSet::new(),
                            topic_keys: HashMap::new(),
                            card_lines: HashMap::new(),
                        });
                        self.decks.len() - 1
                    }
                };
                self.deck_keys.insert(deck_key.to_string(), slot);
                slot
            }
        };
        let pending = &mut self.decks[slot];
        let topic_id = match pending.topic_keys.get(topic_key) {
            Some(id) => id.clone(),
            None => {
                let named = topic();
                if pending.topic_ids.insert(named.id.clone()) {
                    pending.deck.topics.push(Topic {
                        id: TopicId::new(named.id.clone()),
                        name: named.name,
                    });
                }
                pending
                    .topic_keys
                    .insert(topic_key.to_string(), named.id.clone());
                named.id
            }
        };
        let mut fields = fields;
        fields.topic = Val::Text(&topic_id, topic_pos);
        if let Val::Text(id, pos) = fields.id {
            if let Some(&line) = pending.card_lines.get(id) {
                let message = format!(
                    "duplicate card id {id:?} — line {line} has it too; card ids must be unique in a deck"
                );
                self.v.error(pos, message);
                return Ok(());
            }
            pending.card_lines.insert(id.to_string(), pos.line);
        }
        let before = self.v.neutralised;
        if let Some(card) = self.v.check_card(&fields, &pending.topic_ids) {
            pending.deck.neutralised += self.v.neutralised - before;
            pending.cards += 1;
            // Once the file has an error nothing will be imported: stop passing cards.
            if self.v.diags.is_empty() {
                if !pending.announced {
                    pending.announced = true;
                    self.sink.deck(&pending.deck, false)?;
                }
                self.sink.card(&pending.deck.id, card)?;
            }
        }
        Ok(())
    }

    /// The decks in order of first appearance, or every problem found.
    pub fn finish(self) -> Result<Vec<Parsed>, Error> {
        if !self.v.diags.is_empty() {
            return Err(Error::Content(self.v.diags));
        }
        Ok(self
            .decks
            .into_iter()
            .map(|p| Parsed {
                deck: p.deck,
                cards: p.cards,
                // Rows carry no description or framework: a stored deck keeps its own.
                describes_deck: false,
            })
            .collect())
    }

    /// The problems so far, for a reader that stops early.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.v.diags
    }
}
