//! `mlsec import FILE...`: add or update decks from TOML, JSON, CSV or Anki text, all
//! files in one transaction.
//!
//! Glue: the arguments, the progress bar and the question before `--prune` deletes
//! anything are here; reading, checking, writing and the summary are [`crate::import`].

use std::path::PathBuf;

use crate::config::Context;
use crate::deck::valid_id;
use crate::error::{Error, Result};
use crate::import;
use crate::import::format::Format;
use crate::import::reader::Defaults;
use crate::import::summary::Summary;
use crate::store::Store;
use crate::ui::{self, Progress};
use crate::{outln, output};

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
    let mut options = import::Options {
        format: args.format.map(Format::from),
        defaults: Defaults {
            deck: args.deck.as_deref(),
            topic: args.topic.as_deref(),
        },
        dry_run: args.dry_run,
        prune: args.prune,
    };
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
    if args.prune && !args.yes && !args.dry_run {
        let checking = bar("checking");
        let preview = import::preview_prune(&mut store, &args.files, &options, now, &mut |n| {
            checking.set(n)
        })?;
        checking.finish();
        if preview.failed() {
            return fail(ctx, store, new_store, preview);
        }
        options.prune = confirm_prune(ctx, &preview)?;
    }

    let importing = bar("importing");
    let summary = import::import(&mut store, &args.files, &options, now, &mut |n| {
        importing.set(n)
    })?;
    importing.finish();
    if summary.failed() {
        return fail(ctx, store, new_store, summary);
    }
    if ctx.json {
        return output::print_json(&summary);
    }
    for line in summary.lines(args.prune && !options.prune) {
        outln!("{line}")?;
    }
    Ok(())
}

/// Ask before `--prune` deletes what `preview` counted; without a terminal to ask on,
/// only `--yes` may.
fn confirm_prune(ctx: &Context, preview: &Summary) -> Result<bool> {
    let doomed = preview.pruned();
    if doomed == 0 {
        return Ok(true);
    }
    if ctx.json || !ui::can_ask() {
        return Err(Error::Usage(format!(
            "--prune would delete {doomed} retired card{} and their history; add --yes to confirm without a prompt",
            plural(doomed)
        )));
    }
    let decks = preview.decks();
    ui::confirm(&format!(
        "Delete {doomed} retired card{} of deck{} {} and their review history for good?",
        plural(doomed),
        plural(decks.len()),
        decks.join(", ")
    ))
}

/// Report the problems (as JSON too under --json) and fail: nothing was imported, and a
/// store created for the import is removed.
fn fail(ctx: &Context, store: Store, new_store: bool, summary: Summary) -> Result<()> {
    if new_store {
        store.remove_if_pristine()?;
    }
    if ctx.json {
        output::print_json(&summary)?;
    }
    Err(Error::Content(summary.into_problems()))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
