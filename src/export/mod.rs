//! `mlsec export`: the export writers. `rows` picks the rows of cards, reviews,
//! sessions or per-topic stats, `table` writes them as CSV or JSON; `anki` writes the
//! cards as Anki notes; `file` writes into a file that is never overwritten without
//! `--force` and never left half-written.

pub mod anki;
pub mod file;
pub mod rows;
pub mod table;
