//! `mlsec import FILE...`: add or update decks from TOML, JSON, CSV or Anki text, all
//! files in one transaction.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Context;
use crate::deck::format::{self, Defaults, Format, Parsed};
use crate::deck::{file, valid_id};
use crate::error::{Diagnostic, Error, MAX_SHOWN_DIAGNOSTICS, Result};
use crate::store::{DeckImport, DeckOutcome, ImportCounts, ImportOptions};
use crate::ui::{self, Progress, Unit};
use crate::{outln, output};

/// Files at least this large show a bar while they are read.
const PROGRESS_BYTES: u64 = 4 * 1024 * 1024;
/// Imports of at least this many cards show a bar while they are written.
const PROGRESS_CARDS: u64 = 20_000;

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

/// One file as read: its decks, or its problems.
struct Loaded {
    name: String,
    format: Option<Format>,
    decks: Vec<Parsed>,
    problems: Vec<Diagnostic>,
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
    let total_bytes: u64 = args
        .files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let reading = Progress::new(
        !ctx.json,
        total_bytes,
        PROGRESS_BYTES,
        Unit::Bytes,
        "reading",
    );
    let mut loaded: Vec<Loaded> = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let before = reading.position();
        let mut file = load(path, args.format.map(Format::from), defaults, &mut |n| {
            reading.set(before + n as u64)
        });
        reading.set(before + std::fs::metadata(path).map_or(0, |m| m.len()));
        duplicate_decks(&loaded, &mut file);
        loaded.push(file);
    }
    reading.finish();

    let problems: Vec<Diagnostic> = loaded
        .iter()
        .flat_map(|f| f.problems.iter().cloned())
        .collect();
    if !problems.is_empty() {
        if ctx.json {
            output::print_json(&report(&loaded, &[], args.dry_run))?;
        }
        return Err(Error::Content(problems));
    }

    let mut store = ctx.open_store()?;
    let imports: Vec<DeckImport<'_>> = loaded
        .iter()
        .flat_map(|f| {
            f.decks.iter().map(|p| DeckImport {
                deck: &p.deck,
                source: &f.name,
                describes_deck: p.describes_deck,
            })
        })
        .collect();
    let now = ctx.clock.now();
    let mut prune = args.prune;
    if prune && !args.yes && !args.dry_run {
        // Count first (and roll back), so that the question names what it deletes and
        // no write lock is held while the learner reads it.
        let preview = store.import_decks(
            &imports,
            now,
            ImportOptions {
                dry_run: true,
                prune: true,
                progress: None,
            },
        )?;
        let doomed: usize = preview.iter().map(|o| o.pruned).sum();
        if doomed > 0 {
            if ctx.json || !ui::can_ask() {
                return Err(Error::Usage(format!(
                    "--prune would delete {doomed} retired card{} and their history; add --yes to confirm without a prompt",
                    plural(doomed)
                )));
            }
            prune = ui::confirm(&format!(
                "Delete {doomed} retired card{} of {} and their review history for good?",
                plural(doomed),
                deck_list(&imports)
            ))?;
        }
    }

    let cards: usize = imports.iter().map(|i| i.deck.cards.len()).sum();
    let writing = Progress::new(
        !ctx.json,
        cards as u64,
        PROGRESS_CARDS,
        Unit::Cards,
        "writing",
    );
    let outcomes = store.import_decks(
        &imports,
        now,
        ImportOptions {
            dry_run: args.dry_run,
            prune,
            progress: Some(&mut |n| writing.set(n as u64)),
        },
    )?;
    writing.finish();

    let report = report(&loaded, &outcomes, args.dry_run);
    if ctx.json {
        return output::print_json(&report);
    }
    print(&report, args.dry_run, args.prune && !prune)
}

/// Read, detect and parse one file; every failure becomes a problem of that file.
fn load(
    path: &Path,
    forced: Option<Format>,
    defaults: Defaults<'_>,
    progress: &mut dyn FnMut(usize),
) -> Loaded {
    let name = path.display().to_string();
    let mut loaded = Loaded {
        name: name.clone(),
        format: forced,
        decks: Vec::new(),
        problems: Vec::new(),
    };
    let problem = |message: String| Diagnostic {
        file: name.clone(),
        line: 0,
        column: 0,
        message,
    };
    let text = match file::read(path) {
        Ok(text) => text,
        Err(Error::Content(d)) => {
            loaded.problems = d;
            return loaded;
        }
        Err(Error::Io { source, .. }) => {
            let what = match source.kind() {
                std::io::ErrorKind::NotFound => "no such file — check the path".to_string(),
                std::io::ErrorKind::PermissionDenied => {
                    "permission denied — make the file readable".to_string()
                }
                _ => format!("cannot read it ({source}) — check the file"),
            };
            loaded.problems.push(problem(what));
            return loaded;
        }
        Err(e) => {
            loaded.problems.push(problem(e.to_string()));
            return loaded;
        }
    };
    let Some(format) = forced.or_else(|| format::detect(path, &text)) else {
        loaded.problems.push(problem(
            "cannot tell the format from the name or the content — pass --format toml, json, csv or anki".into(),
        ));
        return loaded;
    };
    loaded.format = Some(format);
    match format::read(&name, path, &text, format, defaults, progress) {
        Ok(decks) => loaded.decks = decks,
        Err(Error::Content(d)) => loaded.problems = d,
        Err(e) => loaded.problems.push(problem(e.to_string())),
    }
    loaded
}

/// A deck may come from one file only: two files with the same deck would each retire
/// the other's cards.
fn duplicate_decks(earlier: &[Loaded], file: &mut Loaded) {
    for parsed in &file.decks {
        let id = &parsed.deck.id;
        if let Some(other) = earlier
            .iter()
            .find(|f| f.decks.iter().any(|p| p.deck.id == *id))
        {
            file.problems.push(Diagnostic {
                file: file.name.clone(),
                line: 0,
                column: 0,
                message: format!(
                    "deck {:?} is also in {} — keep each deck in one file, or pass the files in separate imports",
                    id.as_str(),
                    other.name
                ),
            });
        }
    }
}

fn report(loaded: &[Loaded], outcomes: &[DeckOutcome], dry_run: bool) -> Report {
    let mut outcomes = outcomes.iter();
    let files: Vec<FileReport> = loaded
        .iter()
        .map(|f| {
            let decks: Vec<DeckReport> = f
                .decks
                .iter()
                .map(|p| {
                    let o = outcomes.next().cloned().unwrap_or_default();
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
        for d in &f.decks {
            let c = &d.counts;
            let pruned = if d.pruned > 0 {
                format!(", {} pruned", d.pruned)
            } else {
                String::new()
            };
            outln!(
                "{}: deck {}: {} added, {} updated, {} unchanged, {} retired{pruned}",
                f.file,
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
                f.file,
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

fn deck_list(imports: &[DeckImport<'_>]) -> String {
    let ids: Vec<&str> = imports.iter().map(|i| i.deck.id.as_str()).collect();
    match ids.as_slice() {
        [one] => format!("deck {one}"),
        many => format!("decks {}", many.join(", ")),
    }
}
