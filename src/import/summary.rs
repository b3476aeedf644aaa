//! What an import did, file by file and deck by deck, as the JSON document of
//! `mlsec import --json` and as the lines it prints otherwise. Every count comes from
//! the store's outcomes; a failed import reports its problems and counts nothing.

use serde::Serialize;

use super::format::Format;
use super::reader::Parsed;
use crate::error::{Diagnostic, MAX_SHOWN_DIAGNOSTICS};
use crate::store::{DeckOutcome, ImportCounts};
use crate::text;

/// What happened to one file, as the import found it.
pub(super) struct FileResult {
    /// The path as shown in messages.
    pub name: String,
    pub format: Option<Format>,
    /// Its decks (headers and card counts).
    pub decks: Vec<Parsed>,
    /// What the import did to each of `decks`; empty when nothing was written.
    pub outcomes: Vec<DeckOutcome>,
    pub problems: Vec<Diagnostic>,
}

/// What an import did: the document `mlsec import --json` prints, field for field
/// (`docs/schema/import.schema.json`).
#[derive(Serialize)]
pub struct Summary {
    /// The deck, when every file holds the same one.
    deck: Option<String>,
    #[serde(flatten)]
    counts: ImportCounts,
    pruned: usize,
    neutralised: usize,
    errors: usize,
    dry_run: bool,
    files: Vec<FileSummary>,
    /// Every problem of every file, in order (`files` shows the first of each file's).
    #[serde(skip)]
    problems: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct FileSummary {
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
    decks: Vec<DeckSummary>,
}

#[derive(Serialize)]
struct DeckSummary {
    deck: String,
    #[serde(flatten)]
    counts: ImportCounts,
    pruned: usize,
    neutralised: usize,
}

#[derive(Serialize)]
struct Located {
    line: usize,
    column: usize,
    message: String,
}

impl Summary {
    /// The summary of `files`. When any file has a problem nothing was written, so every
    /// count is zero, even for the files read before it.
    pub(super) fn new(files: Vec<FileResult>, dry_run: bool) -> Summary {
        let written = files.iter().all(|f| f.problems.is_empty());
        let mut problems = Vec::new();
        let files: Vec<FileSummary> = files
            .into_iter()
            .map(|f| {
                let summary = FileSummary::new(&f, written);
                problems.extend(f.problems);
                summary
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
        Summary {
            deck: single,
            counts,
            pruned: files.iter().map(|f| f.pruned).sum(),
            neutralised: files.iter().map(|f| f.neutralised).sum(),
            errors: files.iter().map(|f| f.errors).sum(),
            dry_run,
            files,
            problems,
        }
    }

    /// Some file had a problem: nothing was imported.
    pub fn failed(&self) -> bool {
        !self.problems.is_empty()
    }

    /// Every problem of every file, in order.
    pub fn into_problems(self) -> Vec<Diagnostic> {
        self.problems
    }

    /// Retired cards deleted, or that `--prune` would delete.
    pub fn pruned(&self) -> usize {
        self.pruned
    }

    /// The ids of the decks read, file by file.
    pub fn decks(&self) -> Vec<&str> {
        self.files
            .iter()
            .flat_map(|f| f.decks.iter().map(|d| d.deck.as_str()))
            .collect()
    }

    /// The summary as text, a line each: per deck what changed, per file what was
    /// removed from its text. `prune_declined`: the learner said no to `--prune`.
    pub fn lines(&self, prune_declined: bool) -> Vec<String> {
        let mut lines = Vec::new();
        for f in &self.files {
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
                lines.push(format!(
                    "{}: deck {}: {} added, {} updated, {} unchanged, {} retired{pruned}",
                    file, d.deck, c.added, c.updated, c.unchanged, c.retired
                ));
            }
            if f.neutralised > 0 {
                lines.push(format!(
                    "{}: removed {} control or invisible character{} (escape sequences, bidi overrides, …)",
                    file,
                    f.neutralised,
                    plural(f.neutralised)
                ));
            }
        }
        if prune_declined {
            lines.push("retired cards kept: nothing was pruned".to_string());
        }
        if self.dry_run {
            lines.push("dry run: the files are valid; nothing was written".to_string());
        }
        lines
    }
}

impl FileSummary {
    fn new(f: &FileResult, written: bool) -> FileSummary {
        let decks: Vec<DeckSummary> = f
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
                DeckSummary {
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
        FileSummary {
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
    }
}

fn add(total: &mut ImportCounts, c: &ImportCounts) {
    total.added += c.added;
    total.updated += c.updated;
    total.unchanged += c.unchanged;
    total.retired += c.retired;
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
