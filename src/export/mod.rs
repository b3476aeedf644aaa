//! `mlsec export`: the export writers. `rows` picks the rows of cards, reviews,
//! sessions or per-topic stats, `table` writes them as CSV or JSON; `anki` writes the
//! cards as Anki notes.

pub mod anki;
pub mod rows;
pub mod table;
