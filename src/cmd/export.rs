//! `mlsec export`: cards, reviews, sessions or per-topic stats as CSV, JSON or Anki
//! notes, on stdout or into a file that is never overwritten without `--force`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Serialize;

use super::stats::ScopeArgs;
use crate::config::Context;
use crate::error::{Error, Result};
use crate::report::{anki, export, stats};
use crate::{outln, output};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum What {
    /// One row per card: content, schedule, answers
    Cards,
    /// One row per answer
    Reviews,
    /// One row per session
    Sessions,
    /// One row per topic: the `mlsec stats` topic table
    Stats,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated, a header row, RFC 4180 quoting; formulas neutralised
    Csv,
    /// One array of objects with the CSV's columns
    Json,
    /// Anki plain-text notes (cards only)
    Anki,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Json => "JSON",
            Format::Anki => "Anki notes",
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to export
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = What::Cards)]
    pub what: What,

    /// File format [default: csv; json with --json]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Write to FILE instead of stdout (`-` is stdout)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Overwrite FILE if it exists
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub scope: ScopeArgs,
}

/// What `--json` prints when the export went to a file.
#[derive(Serialize)]
struct Written {
    what: What,
    format: Format,
    file: String,
    rows: usize,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let file = args.output.as_deref().filter(|p| *p != Path::new("-"));
    let format = match (args.format, ctx.json, file) {
        (Some(Format::Json) | None, true, None) => Format::Json,
        (Some(other), true, None) => {
            return Err(Error::Usage(format!(
                "--json prints JSON on stdout, not {}; pass --format json, or write the file with -o FILE",
                other.name()
            )));
        }
        (Some(f), _, _) => f,
        (None, _, _) => Format::Csv,
    };
    if format == Format::Anki && args.what != What::Cards {
        return Err(Error::Usage(
            "--format anki exports cards only; drop --what or pass --what cards".into(),
        ));
    }
    if args.scope.days.is_some() && args.what == What::Cards {
        return Err(Error::Usage(
            "--days narrows history (reviews, sessions, stats); cards are exported whole".into(),
        ));
    }

    let store = ctx.open_store()?;
    let filter = args.scope.filter(&store)?;
    let today = ctx.clock.today();
    let since = stats::window_start(today, args.scope.days);
    let (bytes, rows) = if format == Format::Anki {
        let cards = store.card_records(&filter, false)?;
        (anki::notes(&cards)?, cards.len())
    } else {
        let rows = match args.what {
            What::Cards => export::cards(&store.card_records(&filter, true)?),
            What::Reviews => export::reviews(&store.review_records(&filter, since)?),
            What::Sessions => export::sessions(&store.session_records(&filter, since, None)?),
            What::Stats => {
                let opts = stats::Options {
                    filter,
                    today,
                    days: args.scope.days,
                    limit: 0,
                };
                export::topics(&stats::compute(&store, &opts)?.topics)
            }
        };
        let bytes = match format {
            Format::Json => export::to_json(&rows).into_bytes(),
            _ => export::to_csv(&rows)?,
        };
        (bytes, rows.rows.len())
    };

    let Some(path) = file else {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes).map_err(output::stdout_error)?;
        return out.flush().map_err(output::stdout_error);
    };
    write_file(path, &bytes, args.force)?;
    let report = Written {
        what: args.what,
        format,
        file: path.display().to_string(),
        rows,
    };
    if ctx.json {
        return output::print_json(&report);
    }
    let noun = match (args.what, format) {
        (_, Format::Anki) | (What::Cards, _) => "cards",
        (What::Reviews, _) => "reviews",
        (What::Sessions, _) => "sessions",
        (What::Stats, _) => "topics",
    };
    outln!("wrote {rows} {noun} to {}", report.file)
}

/// Write the whole export at once; an existing file only with `force`.
fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    let io = |e: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let mut f = if force {
        std::fs::File::create(path).map_err(io)?
    } else {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Error::WouldOverwrite(path.to_path_buf()),
                _ => io(e),
            })?
    };
    f.write_all(bytes).and_then(|()| f.flush()).map_err(io)
}
