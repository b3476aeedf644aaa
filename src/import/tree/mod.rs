//! The formats read whole: the native TOML ([`toml`]) and its JSON twin ([`json`]),
//! each parsed into one [`node::Node`] tree that keeps every value's `line:column`, so
//! that one validator checks both and names the place of every problem.

pub mod json;
pub mod node;
mod schema;
pub mod toml;

use crate::deck::Deck;
use crate::error::Error;
use crate::import::validate::Syntax;

pub use schema::check;

/// Read a deck in the native TOML format.
pub fn parse_toml(file: &str, text: &str) -> Result<Deck, Error> {
    let root = toml::parse(file, text).map_err(|d| Error::Content(vec![d]))?;
    check(file, &root, Syntax::Toml)
}
