//! What an import did, file by file and deck by deck, as the JSON document of
//! `mlsec import --json` and as the lines it prints otherwise. Every count comes from
//! the store's outcomes; a failed import reports its problems and counts nothing.

use serde::Serialize;

use super::format::Format;
use super::reader::Parsed;
use crate::error::{Diagnostic, MAX_SHOWN_DIAGNOSTICS, Result};
use crate::store::{DeckOutcome, ImportCounts};
use crate::{outln, text};

/// What happened to one file.
pub struct FileResult {
    /// The path as shown in messages.
    pub name: String,
    pub format: Option<Format>,
    /// Its decks (headers and card counts).
    pub decks: Vec<Parsed>,
    /// What the import did to each of `decks`; empty when nothing was written.
    pub outcomes: Vec<DeckOutcome>,
    pub problems: Vec<Diagnostic>,
}

#[derive(Serialize)]
pub struct DeckReport {
    deck: String,
    #[serde(flatten)]
    counts: ImportCounts,
    pruned: usize,
    neutralised: usize,
}

#[derive(Serialize)]
pub struct Located {
    line: usize,
    column: usize,
    message: String,
}

#[derive(Serialize)]
pub struct FileReport {
    file: String,
    format: Option<Format>,
    /// The deck, when the file holds exactly one.
    deck: Option<String>,
    #[serde(flatten)]
    counts: ImportCounts,
    pruned: usize,
    neutralised: usize,
    errors: usize,
    /// The first problems (all of them are counted in `errors`).
    diagnostics: Vec<Located>,
    decks: Vec<DeckReport>,
}

#[derive(Serialize)]
pub struct Report {
    /// The deck, when every file holds the same one.
    deck: Option<String>,
    #[serde(flatten)]
    counts: ImportCounts,
    pruned: usize,
    neutralised: usize,
    errors: usize,
    dry_run: bool,
    files: Vec<FileReport>,
}

/// The report; with `written` false (a failed import) every count is zero, as nothing
/// was written.
pub fn report(files: &[FileResult], dry_run: bool, written: bool) -> Report {
    let files: Vec<FileReport> = files
        .iter()
        .map(|f| {
            let decks: Vec<DeckReport> = f
                .decks
                .iter()
                .enumerate()
                .map(|(j, p)| {
                    let o = f
                        .outcomes
                        .get(j)
                        .filter(|_| written)
                        .cloned()
                        .unwrap_or_default();
                    DeckReport {
                        deck: p.deck.id.to_string(),
                        counts: o.counts,
                        pruned: o.pruned,
                        neutralised: p.deck.neutralised,
                    }
                })
                .collect();
            let mut counts = ImportCounts::default();
            for d in &decks {
                add(&mut counts, &d.counts);
            }
            FileReport {
                file: f.name.clone(),
                format: f.format,
                deck: match decks.as_slice() {
                    [only] => Some(only.deck.clone()),
                    _ => None,
                },
                counts,
                pruned: decks.iter().map(|d| d.pruned).sum(),
                neutralised: decks.iter().map(|d| d.neutralised).sum(),
                errors: f.problems.len(),
                diagnostics: f
                    .problems
                    .iter()
                    .take(MAX_SHOWN_DIAGNOSTICS)
                    .map(|d| Located {
                        line: d.line,
                        column: d.column,
                        message: d.message.clone(),
                    })
                    .collect(),
                decks,
            }
        })
        .collect();
    let mut counts = ImportCounts::default();
    for f in &files {
        add(&mut counts, &f.counts);
    }
    let all_decks: Vec<&str> = files
        .iter()
        .flat_map(|f| f.decks.iter().map(|d| d.deck.as_str()))
        .collect();
    let single = all_decks
        .first()
        .filter(|d| all_decks.iter().all(|x| x == *d))
        .map(|d| d.to_string());
    Report {
        deck: single,
        counts,
        pruned: files.iter().map(|f| f.pruned).sum(),
        neutralised: files.iter().map(|f| f.neutralised).sum(),
        errors: files.iter().map(|f| f.errors).sum(),
        dry_run,
        files,
    }
}

fn add(total: &mut ImportCounts, c: &ImportCounts) {
    total.added += c.added;
    total.updated += c.updated;
    total.unchanged += c.unchanged;
    total.retired += c.retired;
}

pub fn print(report: &Report, dry_run: bool, prune_declined: bool) -> Result<()> {
    for f in &report.files {
        // A file name is as untrusted as the deck inside it (think `import decks/*`
        // in an unpacked archive): no escape sequence in it reaches the terminal.
        let file = text::for_terminal(&f.file);
        for d in &f.decks {
            let c = &d.counts;
            let pruned = if d.pruned > 0 {
                format!(", {} pruned", d.pruned)
            } else {
                String::new()
            };
            outln!(
                "{}: deck {}: {} added, {} updated, {} unchanged, {} retired{pruned}",
                file,
                d.deck,
                c.added,
                c.updated,
                c.unchanged,
                c.retired
            )?;
        }
        if f.neutralised > 0 {
            outln!(
                "{}: removed {} control or invisible character{} (escape sequences, bidi overrides, …)",
                file,
                f.neutralised,
                plural(f.neutralised)
            )?;
        }
    }
    if prune_declined {
        outln!("retired cards kept: nothing was pruned")?;
    }
    if dry_run {
        outln!("dry run: the files are valid; nothing was written")?;
    }
    Ok(())
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
