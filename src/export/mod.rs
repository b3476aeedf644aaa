//! `mlsec export`: cards, reviews, sessions or per-topic stats as CSV, JSON or Anki
//! notes, on stdout or into a file.
//!
//! [`Job::new`] checks what was asked before the store is opened; [`run`] then streams
//! the rows ([`rows`]) through a writer ([`table`] for CSV and JSON, [`anki`] for
//! notes) to stdout or into a file that is never overwritten without `--force` and
//! never left half-written ([`file`](mod@file)). Nothing is collected first.

pub mod anki;
pub mod file;
pub mod rows;
pub mod table;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Serialize;

use self::table::Rows;
use crate::clock::StudyDay;
use crate::error::{Error, Result};
use crate::store::{Filter, KeyRange, Store};
use crate::{output, stats};

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

/// Where an export goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    /// A file, replaced only with `force`.
    File {
        path: PathBuf,
        force: bool,
    },
}

impl Destination {
    /// `-o FILE`: none or `-` is stdout.
    pub fn new(output: Option<PathBuf>, force: bool) -> Destination {
        match output {
            Some(path) if path != Path::new("-") => Destination::File { path, force },
            _ => Destination::Stdout,
        }
    }
}

/// One export, checked: what, in which format, where, and how much history.
#[derive(Clone, Debug)]
pub struct Job {
    pub what: What,
    pub format: Format,
    pub to: Destination,
    /// Only the last N study days of reviews, sessions and stats.
    pub days: Option<u32>,
}

impl Job {
    /// The export asked for, or a usage error for a combination that cannot be written:
    /// under `--json` stdout is JSON (default: CSV), Anki notes are cards, and cards are
    /// exported whole (no `--days`).
    pub fn new(
        what: What,
        format: Option<Format>,
        json: bool,
        to: Destination,
        days: Option<u32>,
    ) -> Result<Job> {
        let format = match (format, json, &to) {
            (Some(Format::Json) | None, true, Destination::Stdout) => Format::Json,
            (Some(other), true, Destination::Stdout) => {
                return Err(Error::Usage(format!(
                    "--json prints JSON on stdout, not {}; pass --format json, or write the file with -o FILE",
                    other.name()
                )));
            }
            (Some(f), _, _) => f,
            (None, _, _) => Format::Csv,
        };
        if format == Format::Anki && what != What::Cards {
            return Err(Error::Usage(
                "--format anki exports cards only; drop --what or pass --what cards".into(),
            ));
        }
        if days.is_some() && what == What::Cards {
            return Err(Error::Usage(
                "--days narrows history (reviews, sessions, stats); cards are exported whole"
                    .into(),
            ));
        }
        Ok(Job {
            what,
            format,
            to,
            days,
        })
    }
}

/// What `--json` prints when the export went to a file (`docs/schema/export.schema.json`).
#[derive(Clone, Debug, Serialize)]
pub struct Written {
    pub what: What,
    pub format: Format,
    pub file: String,
    pub rows: u64,
}

impl std::fmt::Display for Written {
    /// `wrote 70 cards to FILE`, for people.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let noun = match (self.what, self.format) {
            (_, Format::Anki) | (What::Cards, _) => "cards",
            (What::Reviews, _) => "reviews",
            (What::Sessions, _) => "sessions",
            (What::Stats, _) => "topics",
        };
        write!(f, "wrote {} {noun} to {}", self.rows, self.file)
    }
}

/// Export the cards of `filter` as `job` says, with `--days` counted back from `today`;
/// what was written when it went to a file.
pub fn run(store: &Store, job: &Job, filter: &Filter, today: StudyDay) -> Result<Option<Written>> {
    let export = Export {
        store,
        job,
        filter,
        today,
    };
    match &job.to {
        Destination::Stdout => {
            let mut out = std::io::stdout();
            export.write(&mut out, Path::new("<stdout>"))?;
            out.flush().map_err(output::stdout_error)?;
            Ok(None)
        }
        Destination::File { path, force } => {
            let rows = file::write_file(path, *force, |f| export.write(f, path))?;
            Ok(Some(Written {
                what: job.what,
                format: job.format,
                file: path.display().to_string(),
                rows,
            }))
        }
    }
}

/// An export under way: a job over the filtered cards of a store.
struct Export<'a> {
    store: &'a Store,
    job: &'a Job,
    filter: &'a Filter,
    today: StudyDay,
}

impl Export<'_> {
    /// Write the export on `out` (`path` names it in errors); the number of rows.
    fn write(&self, out: &mut (dyn Write + Send), path: &Path) -> Result<u64> {
        let columns = match self.job.what {
            What::Cards => rows::CARD_COLUMNS,
            What::Reviews => rows::REVIEW_COLUMNS,
            What::Sessions => rows::SESSION_COLUMNS,
            What::Stats => rows::TOPIC_COLUMNS,
        };
        let produce = |sink: &mut Rows| self.rows(sink);
        match self.job.format {
            Format::Anki => anki::write_notes(self.store, self.filter, out, path),
            Format::Csv => table::write_csv(columns, out, path, produce),
            Format::Json => table::write_json(columns, out, path, produce),
        }
    }

    /// Hand the rows to `sink` as the store reads them.
    fn rows(&self, sink: &mut Rows) -> Result<()> {
        let (store, filter) = (self.store, self.filter);
        let since = stats::window_start(self.today, self.job.days);
        match self.job.what {
            What::Cards => {
                let history = store.history(filter, None, KeyRange::ALL)?;
                rows::cards(store, filter, &history, sink)
            }
            What::Reviews => rows::reviews(store, filter, since, sink),
            What::Sessions => rows::sessions(store, filter, since, sink),
            What::Stats => {
                let query = stats::Query {
                    filter: filter.clone(),
                    today: self.today,
                    days: self.job.days,
                    limit: 0,
                };
                rows::topics(&stats::compute(store, &query)?.topics, sink)
            }
        }
    }
}
