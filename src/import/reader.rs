//! What every reader is given and gives back, whatever its format: the defaults the
//! command line supplies (`--deck`, `--topic`), the decks it read ([`Parsed`]), and two
//! sinks for reading without a store ([`Discard`] checks only, [`Keep`] keeps).

use crate::deck::{Card, CardSink, Deck, DeckId};
use crate::error::Result;

/// What the command line supplies where a file has none.
#[derive(Clone, Copy, Debug, Default)]
pub struct Defaults<'a> {
    pub deck: Option<&'a str>,
    pub topic: Option<&'a str>,
}

/// A deck read from a file: its header (name, topics, …) without the cards, which went
/// to the sink one by one.
#[derive(Debug)]
pub struct Parsed {
    pub deck: Deck,
    /// How many cards went to the sink.
    pub cards: usize,
    /// The file gave the deck's name, description and framework. When false (CSV,
    /// Anki, or a TOML/JSON file completed by `--deck`) the store keeps what it has.
    pub describes_deck: bool,
}

/// A sink that drops every card: for checking a file without keeping it.
pub struct Discard;

impl CardSink for Discard {
    fn deck(&mut self, _: &Deck, _: bool) -> Result<()> {
        Ok(())
    }

    fn card(&mut self, _: &DeckId, _: Card) -> Result<()> {
        Ok(())
    }
}

/// A sink that keeps every card, by deck, in order: for small files and tests.
#[derive(Default)]
pub struct Keep {
    pub cards: Vec<(DeckId, Vec<Card>)>,
}

impl CardSink for Keep {
    fn deck(&mut self, _: &Deck, _: bool) -> Result<()> {
        Ok(())
    }

    fn card(&mut self, deck: &DeckId, card: Card) -> Result<()> {
        match self.cards.iter_mut().rev().find(|(d, _)| d == deck) {
            Some((_, cards)) => cards.push(card),
            None => self.cards.push((deck.clone(), vec![card])),
        }
        Ok(())
    }
}
