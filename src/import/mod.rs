//! Reading deck files into the store: `mlsec import`, and the built-in deck.
//!
//! Each file is read, checked and written in one pass, card by card, inside one
//! transaction for the whole call; a problem in any file rolls it all back, after every
//! file has been checked so that every problem is reported. A 100,000-row spreadsheet is
//! never held in memory as cards.
//!
//! The way in: [`mod@file`] reads a file's text (bounded, UTF-8), [`mod@format`] tells its
//! format and hands it to a reader: [`tree`] for the formats read whole (TOML, JSON),
//! [`rows`] for the formats with one card per row (CSV, Anki text). Every reader takes
//! and returns the types in [`reader`], checks each card with the rules in [`validate`]
//! and passes it to a [`CardSink`]: the store's sink writes it. A new format is a reader
//! in `tree/` or `rows/`, and a variant, its detection and a line in [`mod@format`].

pub mod builtin;
pub mod file;
pub mod format;
pub mod reader;
#[cfg(test)]
mod robustness;
pub mod rows;
pub mod summary;
pub mod tree;
pub mod validate;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Local};

use crate::deck::CardSink;
use crate::error::{Diagnostic, Error, Result};
use crate::store::{DeckImport, Store};
use format::Format;
use reader::{Defaults, Discard};
use summary::{FileResult, Summary};

pub use tree::parse_toml;

/// What the command line asks of an import, beyond the files.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Read every file as this format instead of telling it from its name or content.
    pub format: Option<Format>,
    /// What `--deck` and `--topic` supply where a file has none.
    pub defaults: Defaults<'a>,
    /// Check and count, then roll back: nothing is written.
    pub dry_run: bool,
    /// Delete the retired cards of the imported decks.
    pub prune: bool,
}

fn problem(name: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        file: name.to_string(),
        line: 0,
        column: 0,
        message: message.into(),
    }
}

/// Read, check and write every file in one transaction, committed only when no file
/// has a problem (and this is not a dry run). `progress` is told the bytes read.
pub fn import(
    store: &mut Store,
    paths: &[PathBuf],
    options: &Options<'_>,
    now: DateTime<Local>,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary> {
    run(store, paths, options, now, progress, !options.dry_run)
}

/// What `--prune` would delete, counted before anyone is asked: the same import with
/// `prune`, rolled back whatever `dry_run` says, so that no write lock is held while
/// the learner reads the question.
pub fn preview_prune(
    store: &mut Store,
    paths: &[PathBuf],
    options: &Options<'_>,
    now: DateTime<Local>,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary> {
    let prune = Options {
        prune: true,
        ..*options
    };
    run(store, paths, &prune, now, progress, false)
}

/// [`import`], committed only if `write` and no file has a problem.
fn run(
    store: &mut Store,
    paths: &[PathBuf],
    options: &Options<'_>,
    now: DateTime<Local>,
    progress: &mut dyn FnMut(u64),
    write: bool,
) -> Result<Summary> {
    let (forced, defaults) = (options.format, options.defaults);
    let files = store.import_with(now, |tx| {
        let mut results: Vec<FileResult> = Vec::with_capacity(paths.len());
        let mut before = 0;
        for path in paths {
            let clean = results.iter().all(|r| r.problems.is_empty());
            let name = path.display().to_string();
            let mut bytes = |n| progress(before + n);
            let mut result = if clean {
                read_file(path, forced, defaults, &mut bytes, &mut tx.file(&name))?
            } else {
                // After a problem nothing will be committed: only check the rest.
                read_file(path, forced, defaults, &mut bytes, &mut Discard)?
            };
            one_file_per_deck(&results, &mut result);
            if clean && result.problems.is_empty() {
                for parsed in &result.decks {
                    let import = DeckImport {
                        deck: &parsed.deck,
                        source: &name,
                        describes_deck: parsed.describes_deck,
                    };
                    result.outcomes.push(tx.close_deck(&import, options.prune)?);
                }
            }
            before += size(path);
            progress(before);
            results.push(result);
        }
        let commit = write && results.iter().all(|r| r.problems.is_empty());
        Ok((results, commit))
    })?;
    Ok(Summary::new(files, options.dry_run))
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// A deck may come from one file only: two files with the same deck would each retire
/// the other's cards.
fn one_file_per_deck(earlier: &[FileResult], result: &mut FileResult) {
    for parsed in &result.decks {
        let id = &parsed.deck.id;
        if let Some(other) = earlier
            .iter()
            .find(|f| f.decks.iter().any(|p| p.deck.id == *id))
        {
            let message = format!(
                "deck {:?} is also in {} — keep each deck in one file, or import the files one at a time",
                id.as_str(),
                other.name
            );
            result.problems.push(problem(&result.name, message));
        }
    }
}

/// Read, detect and parse one file into `sink`; every failure of the file becomes a
/// problem, a failure of the sink is returned.
fn read_file(
    path: &Path,
    forced: Option<Format>,
    defaults: Defaults<'_>,
    progress: &mut dyn FnMut(u64),
    sink: &mut dyn CardSink,
) -> Result<FileResult> {
    let name = path.display().to_string();
    let mut result = FileResult {
        name: name.clone(),
        format: forced,
        decks: Vec::new(),
        outcomes: Vec::new(),
        problems: Vec::new(),
    };
    let text = match read(path) {
        Ok(text) => text,
        Err(problems) => {
            result.problems = problems;
            return Ok(result);
        }
    };
    let Some(format) = forced.or_else(|| format::detect(path, &text)) else {
        result.problems.push(problem(
            &name,
            "cannot tell the format from the name or the content — pass --format toml, json, csv or anki",
        ));
        return Ok(result);
    };
    result.format = Some(format);
    let mut bytes = |n: usize| progress(n as u64);
    match format::read(&name, path, &text, format, defaults, &mut bytes, sink) {
        Ok(decks) => result.decks = decks,
        Err(Error::Content(d)) => result.problems = d,
        Err(e) => return Err(e),
    }
    Ok(result)
}

/// The text of a file, or why it cannot be had, as problems of that file.
fn read(path: &Path) -> Result<String, Vec<Diagnostic>> {
    let name = path.display().to_string();
    match file::read(path) {
        Ok(text) => Ok(text),
        Err(Error::Content(d)) => Err(d),
        Err(Error::Io { source, .. }) => {
            let what = match source.kind() {
                std::io::ErrorKind::NotFound => "no such file — check the path".to_string(),
                std::io::ErrorKind::PermissionDenied => {
                    "permission denied — make the file readable".to_string()
                }
                _ => format!("cannot be read ({source}) — check the file"),
            };
            Err(vec![problem(&name, what)])
        }
        Err(e) => Err(vec![problem(&name, e.to_string())]),
    }
}
