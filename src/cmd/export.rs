//! `mlsec export`: cards, reviews, sessions or per-topic stats as CSV, JSON or Anki
//! notes, on stdout or into a file that is never overwritten without `--force`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Serialize;

use super::stats::ScopeArgs;
use crate::config::Context;
use crate::error::{Error, Result};
use crate::export::{anki, file, rows, table};
use crate::stats;
use crate::store::report::KeyRange;
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
    rows: u64,
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
    // The rows go out as the store reads them: nothing is collected first.
    let write = |out: &mut (dyn Write + Send), path: &Path| -> Result<u64> {
        let kind = match format {
            Format::Anki => return anki::write_notes(&store, &filter, out, path),
            Format::Json => table::Format::Json,
            Format::Csv => table::Format::Csv,
        };
        let columns = match args.what {
            What::Cards => rows::CARD_COLUMNS,
            What::Reviews => rows::REVIEW_COLUMNS,
            What::Sessions => rows::SESSION_COLUMNS,
            What::Stats => rows::TOPIC_COLUMNS,
        };
        table::write_table(kind, columns, out, path, |sink| match args.what {
            What::Cards => {
                let history = store.history(&filter, None, KeyRange::ALL)?;
                rows::cards(&store, &filter, &history, sink)
            }
            What::Reviews => rows::reviews(&store, &filter, since, sink),
            What::Sessions => rows::sessions(&store, &filter, since, sink),
            What::Stats => {
                let opts = stats::Options {
                    filter: filter.clone(),
                    today,
                    days: args.scope.days,
                    limit: 0,
                };
                rows::topics(&stats::compute(&store, &opts)?.topics, sink)
            }
        })
    };

    let Some(path) = file else {
        let mut out = std::io::stdout();
        write(&mut out, Path::new("<stdout>"))?;
        return out.flush().map_err(output::stdout_error);
    };
    let rows = file::write_file(path, args.force, |f| write(f, path))?;
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
