//! The formats read whole: the native TOML ([`toml`]) and its JSON twin ([`json`]).
//!
//! Each is parsed into one [`node::Node`] tree that keeps every value's `line:column`,
//! completed by `--deck` and `--topic`, and checked against the deck schema
//! (`schema`) as a whole, so that one set of checks serves both and names the place of
//! every problem. A new whole-file format is a parser into this tree and a [`Syntax`]
//! for its messages.

pub mod json;
pub mod node;
mod schema;
pub mod toml;

use crate::deck::{CardSink, Deck};
use crate::error::{Diagnostic, Error};
use crate::import::reader::{Defaults, Parsed};
use crate::import::validate::Syntax;
use node::{Node, Value};

pub use schema::check;

/// A format read whole: its parser, and how its messages spell tables and fields.
pub struct TreeFormat {
    parse: fn(&str, &str) -> Result<Node<'static>, Diagnostic>,
    syntax: Syntax,
}

pub const TOML: TreeFormat = TreeFormat {
    parse: toml::parse,
    syntax: Syntax::Toml,
};

pub const JSON: TreeFormat = TreeFormat {
    parse: json::parse,
    syntax: Syntax::Json,
};

/// Read `text` (the contents of `file`) as `format`: its tree, completed by `--deck`
/// and `--topic`, is checked as a whole, and only a valid deck's cards go to `sink`.
/// `progress` is told when the text has been read.
pub fn read(
    format: &TreeFormat,
    file: &str,
    text: &str,
    defaults: Defaults<'_>,
    progress: &mut dyn FnMut(usize),
    sink: &mut dyn CardSink,
) -> Result<Vec<Parsed>, Error> {
    let mut root = (format.parse)(file, text).map_err(|d| Error::Content(vec![d]))?;
    let completed = apply_defaults(&mut root, defaults);
    let mut deck = check(file, &root, format.syntax)?;
    progress(text.len());
    let cards = std::mem::take(&mut deck.cards);
    let count = cards.len();
    sink.deck(&deck, !completed)?;
    for card in cards {
        sink.card(&deck.id, card)?;
    }
    Ok(vec![Parsed {
        deck,
        cards: count,
        describes_deck: !completed,
    }])
}

/// Read a deck in the native TOML format, cards included.
pub fn parse_toml(file: &str, text: &str) -> Result<Deck, Error> {
    let root = toml::parse(file, text).map_err(|d| Error::Content(vec![d]))?;
    check(file, &root, Syntax::Toml)
}

/// Fill in `--deck` and `--topic` where a TOML or JSON file has no deck table or a card
/// has no topic. Returns whether the deck table came from `--deck`.
fn apply_defaults(root: &mut Node<'_>, defaults: Defaults<'_>) -> bool {
    let mut completed = false;
    if let Some(deck) = defaults.deck {
        let pos = root.pos;
        let header = Node::table(
            pos,
            vec![
                ("id".into(), Node::str(pos, deck.to_string())),
                ("name".into(), Node::str(pos, deck.to_string())),
            ],
        );
        completed = root.insert_missing("deck", header);
    }
    let Some(topic) = defaults.topic else {
        return completed;
    };
    let mut used = false;
    if let Some(Node {
        value: Value::Array(cards),
        ..
    }) = root.get_mut("card")
    {
        for card in cards {
            let pos = card.pos;
            used |= card.insert_missing("topic", Node::str(pos, topic.to_string()));
        }
    }
    if used {
        let pos = root.pos;
        root.insert_missing("topic", Node::array(pos, Vec::new()));
        if let Some(Node {
            value: Value::Array(topics),
            ..
        }) = root.get_mut("topic")
        {
            let declared = topics.iter().any(
                |t| matches!(t.get("id"), Some(Node { value: Value::Str(id), .. }) if id == topic),
            );
            if !declared {
                topics.push(Node::table(
                    pos,
                    vec![
                        ("id".into(), Node::str(pos, topic.to_string())),
                        ("name".into(), Node::str(pos, topic.to_string())),
                    ],
                ));
            }
        }
    }
    completed
}
