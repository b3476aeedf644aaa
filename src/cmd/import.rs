//! `mlsec import FILE...`: add or update decks from TOML, JSON, CSV or Anki text, all
//! files in one transaction.

use std::path::PathBuf;

use serde::Serialize;

use crate::config::Context;
use crate::deck::valid_id;
use crate::error::{Error, MAX_SHOWN_DIAGNOSTICS, Result};
use crate::import::format::Format;
use crate::import::reader::Defaults;
use crate::import::{self as importer, FileResult};
use crate::store::{ImportCounts, Store};
use crate::ui::{self, Progress};
use crate::{outln, output, text};

/// Imports of at least this many bytes show a progress bar (a few thousand rows).
const PROGRESS_BYTES: u64 = 2 * 1024 * 1024;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum FormatArg {
    Toml,
    Json,
    Csv,
    Anki,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Toml => Format::Toml,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Anki => Format::Anki,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Deck files: TOML, JSON, CSV or Anki text (format from the name or the content)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Read every file as this format instead of guessing
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    /// Deck id for cards whose file names no deck [default for CSV and Anki: the file name]
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,

    /// Topic id for cards that name no topic
    #[arg(long, value_name = "ID")]
    pub topic: Option<String>,

    /// Check the files and report what would change, without writing anything
    #[arg(long)]
    pub dry_run: bool,

    /// Delete the imported decks' retired cards and their history (asks first)
    #[arg(long)]
    pub prune: bool,

    /// Prune without asking
    #[arg(long, short = 'y', requires = "prune")]
    pub yes: bool,
}

#[derive(Serialize)]
struct DeckReport {
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

#[derive(Serialize)]
struct FileReport {
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
struct Report {
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

fn check_id(flag: &str, id: Option<&str>) -> Result<()> {
    match id {
        Some(id) if !valid_id(id) => Err(Error::Usage(format!(
            "{flag} {id:?} is not an id — use letters, digits, '.', '_' and '-' (no spaces or '/'), at most 100"
        ))),
        _ => Ok(()),
    }
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    check_id("--deck", args.deck.as_deref())?;
    check_id("--topic", args.topic.as_deref())?;
    let defaults = Defaults {
        deck: args.deck.as_deref(),
        topic: args.topic.as_deref(),
    };
    let forced = args.format.map(Format::from);
    let total_bytes: u64 = args
        .files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = |message: &str| Progress::new(!ctx.json, total_bytes, PROGRESS_BYTES, message);

    // A store created for this import is removed again if a file turns out broken.
    let new_store = !ctx.db.exists();
    let mut store = ctx.open_store()?;
    let now = ctx.clock.now();
    let mut prune = args.prune;
    if prune && !args.yes && !args.dry_run {
        // Count first (and roll back), so that the question names what it deletes and
        // no write lock is held while the learner reads it.
        let preview = importer::Options {
            dry_run: true,
            prune: true,
        };
        let checking = bar("checking");
        let results = importer::import(
            &mut store,
            &args.files,
            forced,
            defaults,
            now,
            preview,
            &mut |n| checking.set(n),
        )?;
        checking.finish();
        if has_problems(&results) {
            return fail(ctx, store, new_store, &results, args.dry_run);
        }
        let doomed: usize = results
            .iter()
            .flat_map(|r| &r.outcomes)
            .map(|o| o.pruned)
            .sum();
        if doomed > 0 {
            if ctx.json || !ui::can_ask() {
                return Err(Error::Usage(format!(
                    "--prune would delete {doomed} retired card{} and their history; add --yes to confirm without a prompt",
                    plural(doomed)
                )));
            }
            let decks: Vec<&str> = results
                .iter()
                .flat_map(|r| r.decks.iter().map(|p| p.deck.id.as_str()))
                .collect();
            prune = ui::confirm(&format!(
                "Delete {doomed} retired card{} of deck{} {} and their review history for good?",
                plural(doomed),
                plural(decks.len()),
                decks.join(", ")
            ))?;
        }
    }

    let importing = bar("importing");
    let options = importer::Options {
        dry_run: args.dry_run,
        prune,
    };
    let results = importer::import(
        &mut store,
        &args.files,
        forced,
        defaults,
        now,
        options,
        &mut |n| importing.set(n),
    )?;
    importing.finish();
    if has_problems(&results) {
        return fail(ctx, store, new_store, &results, args.dry_run);
    }
    let report = report(&results, args.dry_run, true);
    if ctx.json {
        return output::print_json(&report);
    }
    print(&report, args.dry_run, args.prune && !prune)
}

fn has_problems(results: &[FileResult]) -> bool {
    results.iter().any(|r| !r.problems.is_empty())
}

/// Report the problems (as JSON too under --json) and fail: nothing was imported, and a
/// store created for the import is removed.
fn fail(
    ctx: &Context,
    store: Store,
    new_store: bool,
    results: &[FileResult],
    dry_run: bool,
) -> Result<()> {
    if new_store {
        store.remove_if_pristine()?;
    }
    if ctx.json {
        output::print_json(&report(results, dry_run, false))?;
    }
    Err(Error::Content(
        results
            .iter()
            .flat_map(|r| r.problems.iter().cloned())
            .collect(),
    ))
}

/// The report; with `written` false (a failed import) every count is zero, as nothing
/// was written.
fn report(files: &[FileResult], dry_run: bool, written: bool) -> Report {
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

fn print(report: &Report, dry_run: bool, prune_declined: bool) -> Result<()> {
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
