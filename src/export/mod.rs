//! `mlsec export`: the export writers. `table` writes cards, reviews, sessions or
//! per-topic stats as CSV or JSON rows; `anki` writes the cards as Anki notes.

pub mod anki;
pub mod table;
