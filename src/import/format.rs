//! Which reader a file needs (by extension or content, or as forced with `--format`),
//! and reading it with the defaults the command line gives (`--deck`, `--topic`): the
//! one place that lists the formats.

use std::path::Path;

use serde::Serialize;

use super::reader::{Defaults, Keep, Parsed};
use super::rows::{RowDefaults, anki, csv};
use super::tree;
use crate::deck::CardSink;
use crate::error::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Toml,
    Json,
    Csv,
    Anki,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Anki => "anki",
        }
    }
}

/// The format of a file: `.toml` and `.json` by name; then Anki's headers (its exports
/// are `.txt`, and some people name them `.csv`); then `.csv`/`.tsv`; then the content.
pub fn detect(path: &Path, text: &str) -> Option<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("toml") => return Some(Format::Toml),
        Some("json") => return Some(Format::Json),
        _ => {}
    }
    if anki::looks_like(text) {
        return Some(Format::Anki);
    }
    if matches!(ext.as_deref(), Some("csv" | "tsv")) {
        return Some(Format::Csv);
    }
    if text.trim_start().starts_with('{') {
        return Some(Format::Json);
    }
    let toml_table = text.lines().take(200).any(|l| {
        let l = l.trim();
        l == "[deck]" || l == "[[card]]" || l == "[[topic]]"
    });
    if toml_table {
        return Some(Format::Toml);
    }
    if csv::looks_like(text) {
        return Some(Format::Csv);
    }
    // A header-less Anki export: tab-separated notes in a .txt file.
    let first = text.lines().next().unwrap_or_default();
    if ext.as_deref() == Some("txt") || first.contains('\t') {
        return Some(Format::Anki);
    }
    None
}

/// Read `text` (the contents of `path`, shown as `file`) as `format`: every checked
/// card goes to `sink`, the decks are returned. Once a problem is found no more cards
/// go to the sink. `progress` is told how many bytes have been read.
pub fn read(
    file: &str,
    path: &Path,
    text: &str,
    format: Format,
    defaults: Defaults<'_>,
    progress: &mut dyn FnMut(usize),
    sink: &mut dyn CardSink,
) -> Result<Vec<Parsed>, Error> {
    let rows = || RowDefaults::new(path, defaults);
    match format {
        Format::Toml => tree::read(&tree::TOML, file, text, defaults, progress, sink),
        Format::Json => tree::read(&tree::JSON, file, text, defaults, progress, sink),
        Format::Csv => csv::read(file, text, &rows(), progress, sink),
        Format::Anki => anki::read(file, text, &rows(), progress, sink),
    }
}

/// [`read`], keeping the cards in their decks: for small files and tests.
pub fn read_decks(
    file: &str,
    path: &Path,
    text: &str,
    format: Format,
    defaults: Defaults<'_>,
) -> Result<Vec<Parsed>, Error> {
    let mut keep = Keep::default();
    let mut parsed = read(file, path, text, format, defaults, &mut |_| {}, &mut keep)?;
    for (id, cards) in keep.cards {
        if let Some(p) = parsed.iter_mut().find(|p| p.deck.id == id) {
            p.deck.cards = cards;
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_by_extension_then_content() {
        let p = |s: &str| Path::new(s).to_path_buf();
        assert_eq!(detect(&p("a.toml"), "{"), Some(Format::Toml));
        assert_eq!(detect(&p("a.json"), "[deck]"), Some(Format::Json));
        assert_eq!(
            detect(&p("a.csv"), "#separator:tab\nq\ta\n"),
            Some(Format::Anki)
        );
        assert_eq!(detect(&p("a.csv"), "x,y\n"), Some(Format::Csv));
        assert_eq!(detect(&p("deck"), "  {\"deck\": {}}"), Some(Format::Json));
        assert_eq!(
            detect(&p("deck"), "# c\n[deck]\nid = \"x\"\n"),
            Some(Format::Toml)
        );
        assert_eq!(
            detect(&p("bank.txt"), "question,a,b,answer\nQ,1,2,A\n"),
            Some(Format::Csv)
        );
        assert_eq!(detect(&p("notes.txt"), "front,back\n"), Some(Format::Anki));
        assert_eq!(detect(&p("notes"), "front\tback\n"), Some(Format::Anki));
        assert_eq!(detect(&p("notes"), "just words\n"), None);
    }

    #[test]
    fn command_line_defaults_complete_a_toml_file() {
        let text = "[[card]]\nid = \"c\"\nkind = \"recall\"\nprompt = \"P\"\nanswer = \"A\"\n";
        let parsed = read_decks(
            "f.toml",
            Path::new("f.toml"),
            text,
            Format::Toml,
            Defaults {
                deck: Some("mine"),
                topic: Some("general"),
            },
        )
        .unwrap();
        assert_eq!(parsed.len(), 1);
        assert!(!parsed[0].describes_deck);
        let deck = &parsed[0].deck;
        assert_eq!(deck.id.as_str(), "mine");
        assert_eq!(deck.topics[0].id.as_str(), "general");
        assert_eq!(deck.cards[0].topic.as_str(), "general");
    }

    /// A sink that takes `left` cards, then fails as a store would.
    struct Failing {
        left: usize,
    }

    impl CardSink for Failing {
        fn deck(&mut self, _: &crate::deck::Deck, _: bool) -> Result<(), Error> {
            Ok(())
        }

        fn card(&mut self, _: &crate::deck::DeckId, _: crate::deck::Card) -> Result<(), Error> {
            match self.left.checked_sub(1) {
                Some(left) => {
                    self.left = left;
                    Ok(())
                }
                None => Err(Error::Usage("the sink is full".into())),
            }
        }
    }

    #[test]
    fn a_failing_sink_stops_the_reader_with_its_error_not_a_diagnostic() {
        let files = [
            (
                Format::Toml,
                "[deck]\nid = \"d\"\nname = \"D\"\n[[topic]]\nid = \"t\"\nname = \"T\"\n\
                 [[card]]\nid = \"a\"\nkind = \"recall\"\ntopic = \"t\"\nprompt = \"P\"\nanswer = \"A\"\n\
                 [[card]]\nid = \"b\"\nkind = \"recall\"\ntopic = \"t\"\nprompt = \"Q\"\nanswer = \"B\"\n",
            ),
            (
                Format::Csv,
                "id,topic,prompt,answer\na,t,P,A\nb,t,Q,B\nc,t,R,C\n",
            ),
            (Format::Anki, "#separator:tab\nP\tA\nQ\tB\nR\tC\n"),
        ];
        for (format, text) in files {
            let mut sink = Failing { left: 1 };
            let read = read(
                "f",
                Path::new("f"),
                text,
                format,
                Defaults::default(),
                &mut |_| {},
                &mut sink,
            );
            assert!(
                matches!(&read, Err(Error::Usage(m)) if m == "the sink is full"),
                "{format:?}: {:?}",
                read.map(|p| p.len())
            );
        }
    }
}
