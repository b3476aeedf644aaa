//! The ML-security deck compiled into the binary, so a fresh install works with no files.
//! It is read like any TOML deck, by the same reader and rules, which is why it lives
//! with the import.

use crate::deck::Deck;
use crate::error::Error;

/// Where the built-in deck's text came from; shown in diagnostics and `deck.source`.
pub const SOURCE: &str = "content/ml-security.toml";

pub const TEXT: &str = include_str!("../../content/ml-security.toml");

/// The built-in deck, parsed. Its validity is guaranteed by the content test, but a
/// broken build still reports diagnostics rather than panicking.
pub fn deck() -> Result<Deck, Error> {
    super::tree::parse_toml(SOURCE, TEXT)
}

/// A stable fingerprint of the embedded text (FNV-1a, 64-bit): the store re-imports the
/// built-in deck only when a new release changed it, so startup stays one query.
pub fn fingerprint() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in TEXT.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_built_in_deck_parses() {
        let deck = super::deck().unwrap();
        assert_eq!(deck.id.as_str(), "ml-security");
        assert_eq!(deck.framework.len(), 4);
        assert_eq!(deck.neutralised, 0);
    }
}
