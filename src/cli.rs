//! The command line (clap). The same definition generates the shell completions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cmd;

const AFTER_HELP: &str = "\
Start with `mlsec study` (new questions), come back tomorrow for `mlsec review`.
Every command speaks JSON with --json; sessions then read one answer per line on stdin.";

#[derive(Debug, Parser)]
#[command(
    name = "mlsec",
    version,
    about = "Drill ML Security Engineer interview questions with spaced repetition (SM-2)",
    after_help = AFTER_HELP,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The options every command takes. Shown under their own heading, after the command's
/// own options, so that `mlsec study --help` starts with what is particular to study.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// SQLite file holding cards, schedule and history [default: the platform data dir]
    #[arg(long, global = true, env = "MLSEC_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Pretend the time is TIME: RFC 3339 (2026-03-01T09:30:00Z) or a date (noon local)
    #[arg(long, global = true, env = "MLSEC_NOW", value_name = "TIME")]
    pub now: Option<String>,

    /// Hour (0-23) at which a new study day starts; earlier answers count for the day before
    #[arg(
        long,
        global = true,
        env = "MLSEC_DAY_STARTS_AT",
        value_name = "HOUR",
        default_value_t = 4,
        value_parser = clap::value_parser!(u32).range(0..=23)
    )]
    pub day_starts_at: u32,

    /// Machine-readable output: one JSON document, or JSON Lines for sessions
    #[arg(long, global = true)]
    pub json: bool,

    /// When to use colour (NO_COLOR in the environment means never)
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Learn new questions (10 a day by default), then repeat the ones you missed
    Study(cmd::study::Args),
    /// Answer today's due questions, most overdue first, then repeat the misses
    Review(cmd::review::Args),
    /// Timed mock interview: a few questions across topics, then a score and a plan
    Mock(cmd::mock::Args),
    /// Prepare for an interview on a date: pace new cards to it, final pass before it
    Plan(cmd::plan::Args),
    /// Progress: cards by state, accuracy, retention, streak, forecast, weakest cards
    Stats(cmd::stats::Args),
    /// Add or update decks from TOML, JSON, CSV or Anki text (any error: nothing imported)
    Import(cmd::import::Args),
    /// Write cards, reviews, sessions or stats as CSV, JSON or Anki notes
    Export(cmd::export::Args),
    /// Print a shell completion script
    Completions(cmd::completions::Args),
    /// Print the manual page of mlsec or of one command (roff: pipe it to `man -l -`)
    Man(cmd::man::Args),
}

/// The card filters, the same for every command that picks cards. What `--limit` and
/// `--days` mean differs from command to command, so each adds its own.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Only cards of this topic (repeatable)
    #[arg(long = "topic", value_name = "ID")]
    pub topics: Vec<String>,

    /// Only cards with this tag (repeatable: any of them)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Only cards of this deck
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,
}

impl FilterArgs {
    /// The same filter as command-line options (` --deck d --topic t`), for the
    /// commands that mlsec suggests.
    pub fn as_options(&self) -> String {
        let mut s = String::new();
        if let Some(deck) = &self.deck {
            s.push_str(&format!(" --deck {deck}"));
        }
        for t in &self.topics {
            s.push_str(&format!(" --topic {t}"));
        }
        for t in &self.tags {
            s.push_str(&format!(" --tag {t}"));
        }
        s
    }
}

/// `--limit` of the sessions (study, review, mock): how many questions at most.
#[derive(Debug, Args, Clone, Default)]
pub struct LimitArgs {
    /// At most N questions (same-day repeats come on top)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = count)]
    pub limit: Option<usize>,
}

/// `--days` of stats and export: how much history to look at.
#[derive(Debug, Args, Clone, Default)]
pub struct DaysArgs {
    /// Only the history of the last N study days, today included
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub days: Option<u32>,
}

/// Option order: shuffled on every presentation unless pinned.
#[derive(Debug, Args, Clone, Default)]
pub struct OrderArgs {
    /// Seed for shuffling options (the same seed gives the same order)
    #[arg(long, value_name = "N", conflicts_with = "no_shuffle", allow_negative_numbers = true, value_parser = seed)]
    pub seed: Option<u64>,

    /// Keep options in file order
    #[arg(long)]
    pub no_shuffle: bool,
}

/// `--type` of the sessions (study, review, mock).
#[derive(Debug, Args, Clone, Default)]
pub struct TypeArgs {
    /// Type your answer to a recall card before its model answer is shown; it is kept
    /// with the review
    #[arg(long = "type")]
    pub type_answer: bool,
}

/// How study and review ask for answers.
#[derive(Debug, Args, Clone, Default)]
pub struct AnswerArgs {
    /// After a right answer, ask how sure you were: knew it (5), fairly sure (4), guessed (2)
    #[arg(long)]
    pub confidence: bool,

    #[command(flatten)]
    pub typing: TypeArgs,
}

/// A count such as `--limit N`. Negative numbers are parsed as values (not as unknown
/// flags) so that `--limit -1` says what is wrong with it.
pub fn count(text: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|_| "expected a whole number, 0 or more".to_string())
}

fn seed(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("expected a whole number from 0 to {}", u64::MAX))
}

pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// The manual pages, generated from the command line as the files in `man/` are:
/// `mlsec.1`, then `mlsec-study.1` and so on, one per command (as git's are), each a
/// file name and its roff text.
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut cli = command().disable_help_subcommand(true);
    // Names each command's page and synopsis the way clap_mangen's own generator does.
    cli.build();
    let mut pages = Vec::new();
    for cmd in std::iter::once(&cli).chain(cli.get_subcommands()) {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut roff = Vec::new();
        man.render(&mut roff)?;
        if cmd.get_name() == cli.get_name() {
            roff.extend(man_appendix().to_roff().bytes());
        }
        pages.push((man.get_filename(), roff));
    }
    Ok(pages)
}

/// What mlsec(1) says beyond the options: the environment, the files, the exit codes
/// and the other pages.
fn man_appendix() -> clap_mangen::roff::Roff {
    use clap_mangen::roff::{Roff, bold, roman};
    let mut r = Roff::new();
    let entry = |r: &mut Roff, name: &str, text: &str| {
        r.control("TP", []).text([bold(name)]).text([roman(text)]);
    };
    r.control("SH", ["ENVIRONMENT"]);
    entry(&mut r, "MLSEC_DB", "The database file, as --db.");
    entry(&mut r, "MLSEC_NOW", "The clock, as --now.");
    entry(
        &mut r,
        "MLSEC_DAY_STARTS_AT",
        "The hour a study day starts, as --day-starts-at.",
    );
    entry(&mut r, "NO_COLOR", "Set and not empty: no colour.");
    entry(
        &mut r,
        "MLSEC_CLOCK_STEP_MS",
        "For tests and demos: the clock ignores real time and advances by this many milliseconds on every read.",
    );
    r.control("SH", ["FILES"]);
    entry(
        &mut r,
        "~/.local/share/mlsec/mlsec.db",
        "The database on Linux (the platform data directory elsewhere): cards, schedule and history, created owner-only.",
    );
    r.control("SH", ["EXIT STATUS"]);
    r.text([roman(
        "0 success; 1 a runtime or data error, said in one line on stderr; 2 a usage error; 130 interrupted (every answer given is kept).",
    )]);
    r.control("SH", ["SEE ALSO"]);
    let pages: Vec<String> = command()
        .get_subcommands()
        .filter(|c| c.get_name() != "help")
        .map(|c| format!("mlsec-{}(1)", c.get_name()))
        .collect();
    r.text([roman(pages.join(", "))]);
    r
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cli_is_well_formed() {
        super::command().debug_assert();
    }
}
