//! `mlsec import FILE...`: add or update decks, all files in one transaction.

use std::path::PathBuf;

use serde::Serialize;

use crate::config::Context;
use crate::deck::{self, Deck, file};
use crate::error::{Diagnostic, Error, Result};
use crate::store::ImportCounts;
use crate::{outln, output, text};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Deck files (TOML)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Check the files and report what would change, without writing anything
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Serialize)]
struct FileReport {
    file: String,
    deck: String,
    #[serde(flatten)]
    counts: ImportCounts,
    neutralised: usize,
}

#[derive(Serialize)]
struct Report {
    /// The deck, when every file holds the same one.
    deck: Option<String>,
    #[serde(flatten)]
    counts: ImportCounts,
    neutralised: usize,
    dry_run: bool,
    files: Vec<FileReport>,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let mut decks: Vec<(Deck, String)> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let parsed = file::read(path).and_then(|text| deck::parse_toml(&name, &text));
        match parsed {
            Ok(deck) => {
                if let Some((_, other)) = decks.iter().find(|(d, _)| d.id == deck.id) {
                    problems.push(Diagnostic {
                        file: name.clone(),
                        line: 0,
                        column: 0,
                        message: format!(
                            "deck {:?} is also in {other} — keep each deck in one file",
                            deck.id.as_str()
                        ),
                    });
                }
                decks.push((deck, name));
            }
            Err(Error::Content(d)) => problems.extend(d),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Content(problems));
    }
    let mut store = ctx.open_store()?;
    let pairs: Vec<(&Deck, &str)> = decks.iter().map(|(d, f)| (d, f.as_str())).collect();
    let counts = store.import(&pairs, ctx.clock.now(), args.dry_run)?;

    let files: Vec<FileReport> = decks
        .iter()
        .zip(counts)
        .map(|((deck, name), counts)| FileReport {
            file: name.clone(),
            deck: deck.id.to_string(),
            counts,
            neutralised: deck.neutralised,
        })
        .collect();
    let mut total = ImportCounts::default();
    for f in &files {
        total.added += f.counts.added;
        total.updated += f.counts.updated;
        total.unchanged += f.counts.unchanged;
        total.retired += f.counts.retired;
    }
    let single = files
        .first()
        .map(|f| f.deck.clone())
        .filter(|d| files.iter().all(|f| &f.deck == d));
    let report = Report {
        deck: single,
        neutralised: files.iter().map(|f| f.neutralised).sum(),
        counts: total,
        dry_run: args.dry_run,
        files,
    };
    if ctx.json {
        return output::print_json(&report);
    }
    for f in &report.files {
        // A file name is as untrusted as the deck inside it (think `import decks/*`
        // in an unpacked archive): no escape sequence in it reaches the terminal.
        let file = text::for_terminal(&f.file);
        let c = &f.counts;
        outln!(
            "{}: deck {}: {} added, {} updated, {} unchanged, {} retired",
            file,
            f.deck,
            c.added,
            c.updated,
            c.unchanged,
            c.retired
        )?;
        if f.neutralised > 0 {
            outln!(
                "{}: removed {} control or invisible character{} (escape sequences, bidi overrides, …)",
                file,
                f.neutralised,
                if f.neutralised == 1 { "" } else { "s" }
            )?;
        }
    }
    if args.dry_run {
        outln!("dry run: the files are valid; nothing was written")?;
    }
    Ok(())
}
