//! Domain errors: each variant is something a user can cause and can act on.
//!
//! Messages are one line, say what went wrong and what to do, and name the file (and
//! line) where there is one. `main` prints them once as `mlsec: error: …`.

use std::fmt;
use std::path::PathBuf;

/// A problem at a place in an input file, printed `file:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}: {}", self.file, self.message),
            (l, 0) => write!(f, "{}:{}: {}", self.file, l, self.message),
            (l, c) => write!(f, "{}:{}:{}: {}", self.file, l, c, self.message),
        }
    }
}

/// How many diagnostics are printed before the rest are only counted.
pub const MAX_SHOWN_DIAGNOSTICS: usize = 20;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),

    #[error("invalid grade {0:?}: a grade is a whole number from 0 to 5")]
    InvalidGrade(String),

    /// Invalid content: every problem found, not only the first.
    #[error("{}", render_diagnostics(.0))]
    Content(Vec<Diagnostic>),

    #[error("{path}: {message}")]
    Database { path: PathBuf, message: String },

    #[error(
        "{path} was written by a newer mlsec (schema version {found}, this mlsec knows up to {known}); upgrade mlsec, or use another file with --db"
    )]
    NewerDatabase {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error("{0} already exists; pass --force to overwrite it")]
    WouldOverwrite(PathBuf),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The learner pressed Ctrl-C: not a failure, but the run ends with exit 130.
    #[error("interrupted")]
    Interrupted,
}

fn render_diagnostics(diags: &[Diagnostic]) -> String {
    let n = diags.len();
    format!(
        "{n} problem{} found; nothing was imported",
        if n == 1 { "" } else { "s" }
    )
}

/// The lines printed before the summary of a [`Error::Content`]: the first
/// [`MAX_SHOWN_DIAGNOSTICS`] diagnostics, then a count of the rest.
pub fn diagnostic_lines(diags: &[Diagnostic]) -> Vec<String> {
    let mut lines: Vec<String> = diags
        .iter()
        .take(MAX_SHOWN_DIAGNOSTICS)
        .map(ToString::to_string)
        .collect();
    if diags.len() > MAX_SHOWN_DIAGNOSTICS {
        lines.push(format!(
            "… and {} more not shown",
            diags.len() - MAX_SHOWN_DIAGNOSTICS
        ));
    }
    lines
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
