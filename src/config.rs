//! Resolve the command line and environment into what commands need, before any runs:
//! database path, clock, output mode, colour, the terminal's width and character set.
//! Apart from the variables clap reads for its options (`MLSEC_DB`, …), this is the
//! one place that reads the environment.

use std::path::PathBuf;

use crate::cli::{ColorChoice, FilterArgs, Global, OrderArgs};
use crate::clock::{self, Clock};
use crate::deck::{DeckId, TopicId};
use crate::error::{Error, Result};
use crate::import::builtin;
use crate::rng::Rng;
use crate::session::Order;
use crate::store::{Filter, Store};

/// Environment variables mlsec reads; any other `MLSEC_*` is probably a typo.
pub const ENV_VARS: [&str; 4] = [
    "MLSEC_DB",
    "MLSEC_NOW",
    "MLSEC_DAY_STARTS_AT",
    "MLSEC_CLOCK_STEP_MS",
];

/// What every command may need from the command line and the environment, read once
/// before it runs: nothing deeper reads an environment variable.
pub struct Context {
    pub clock: Clock,
    pub json: bool,
    /// Colour on (`--color`, `NO_COLOR`, a terminal); `console` is set to match, for
    /// everything that styles text.
    pub colour: bool,
    /// Columns to fit tables and pictures in: the terminal's, else `COLUMNS`, else 100.
    pub width: usize,
    /// The locale's character set is UTF-8, so pictures may use Unicode blocks.
    pub utf8: bool,
    pub db: PathBuf,
    /// The path came from the platform default (its directory may be created).
    pub default_db: bool,
}

impl Context {
    pub fn new(global: &Global) -> Result<Context> {
        let pinned = global.now.as_deref().map(clock::parse_now).transpose()?;
        let (db, default_db) = match &global.db {
            Some(path) if path.as_os_str().is_empty() => {
                return Err(Error::Usage(
                    "--db/MLSEC_DB is empty: give a file path".into(),
                ));
            }
            Some(path) => (path.clone(), false),
            None => (default_db_path()?, true),
        };
        let colour = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && console::Term::stdout().is_term()
            }
        };
        console::set_colors_enabled(colour);
        console::set_colors_enabled_stderr(colour);
        let mut clock = Clock::new(pinned, global.day_starts_at);
        if let Some(step) = clock_step()? {
            clock = clock.stepped(step);
        }
        Ok(Context {
            clock,
            json: global.json,
            colour,
            width: terminal_width(),
            utf8: locale_is_utf8(),
            db,
            default_db,
        })
    }

    /// Open the store and make sure the built-in deck is loaded.
    pub fn open_store(&self) -> Result<Store> {
        let mut store = Store::open(&self.db, self.default_db)?;
        store.ensure_builtin(builtin::deck, &builtin::fingerprint(), self.clock.now())?;
        Ok(store)
    }
}

/// `MLSEC_CLOCK_STEP_MS=N`, for tests and demos: every read of the clock advances it by
/// N milliseconds instead of following real time, so measured times (a mock's answer
/// times, its time limit) are exact. An environment variable only, not an option: it is
/// no part of the everyday command line (nor of its completions).
fn clock_step() -> Result<Option<std::time::Duration>> {
    let Some(raw) = std::env::var_os("MLSEC_CLOCK_STEP_MS") else {
        return Ok(None);
    };
    raw.to_str()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(|ms| Some(std::time::Duration::from_millis(ms)))
        .ok_or_else(|| {
            Error::Usage(format!(
                "invalid MLSEC_CLOCK_STEP_MS {raw:?}: give whole milliseconds, e.g. 1000, or unset it"
            ))
        })
}

/// The terminal's width; when stdout is not a terminal, `COLUMNS` or 100.
fn terminal_width() -> usize {
    let term = console::Term::stdout();
    if term.is_term() {
        if let Some((_, cols)) = term.size_checked() {
            return usize::from(cols).max(20);
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c >= 20)
        .unwrap_or(100)
}

/// Is the terminal's character set UTF-8, by the POSIX locale variables (the first one
/// set among LC_ALL, LC_CTYPE, LANG decides; none set means the C locale, ASCII)?
fn locale_is_utf8() -> bool {
    if cfg!(windows) {
        return true; // Windows terminals render UTF-8 and set no locale variables
    }
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("utf-8") || v.contains("utf8")
        })
}

fn default_db_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "mlsec")
        .map(|dirs| dirs.data_dir().join("mlsec.db"))
        .ok_or_else(|| {
            Error::Usage(
                "cannot find a home directory for the database; pass --db PATH or set MLSEC_DB"
                    .into(),
            )
        })
}

/// `MLSEC_*` variables that mlsec does not know, for a warning (names that are not
/// UTF-8 are shown with U+FFFD).
pub fn unknown_env_vars() -> Vec<String> {
    std::env::vars_os()
        .map(|(k, _)| k.to_string_lossy().into_owned())
        .filter(|k| k.starts_with("MLSEC_") && !ENV_VARS.contains(&k.as_str()))
        .collect()
}

/// A text variable that is not UTF-8 would reach clap as "invalid UTF-8 was detected in
/// one or more arguments", which sends the user looking at the command line; name the
/// variable instead. (`MLSEC_DB` is a path: any bytes are fine.)
pub fn check_env_encoding() -> Result<()> {
    for name in ["MLSEC_NOW", "MLSEC_DAY_STARTS_AT"] {
        if std::env::var_os(name).is_some_and(|v| v.to_str().is_none()) {
            return Err(Error::Usage(format!(
                "{name} is not valid UTF-8; unset it or give it a value such as {}",
                if name == "MLSEC_NOW" {
                    "2026-03-01T09:30:00Z"
                } else {
                    "4"
                }
            )));
        }
    }
    Ok(())
}

/// Check `--deck/--topic/--tag` against the store, so a typo is an error and not an
/// empty session.
pub fn resolve_filter(store: &Store, args: &FilterArgs) -> Result<Filter> {
    let mut filter = Filter::default();
    if let Some(deck) = &args.deck {
        let decks = store.deck_ids()?;
        if !decks.iter().any(|d| d.as_str() == deck) {
            let known: Vec<String> = decks.iter().map(ToString::to_string).collect();
            return Err(Error::Usage(format!(
                "unknown deck {deck:?}; known decks: {}",
                known.join(", ")
            )));
        }
        filter.deck = Some(DeckId::new(deck.clone()));
    }
    if !args.topics.is_empty() {
        let topics = store.topics()?;
        for topic in &args.topics {
            let known = topics.iter().any(|t| {
                t.id.as_str() == topic && filter.deck.as_ref().is_none_or(|d| *d == t.deck)
            });
            if !known {
                let mut names: Vec<&str> = topics.iter().map(|t| t.id.as_str()).collect();
                names.sort_unstable();
                names.dedup();
                return Err(Error::Usage(format!(
                    "unknown topic {topic:?}; known topics: {}",
                    names.join(", ")
                )));
            }
            filter.topics.push(TopicId::new(topic.clone()));
        }
    }
    if !args.tags.is_empty() {
        let tags = store.tags()?;
        for tag in &args.tags {
            if !tags.contains(tag) {
                return Err(Error::Usage(format!(
                    "unknown tag {tag:?}; tags in use: {}",
                    tags.join(", ")
                )));
            }
        }
        filter.tags = args.tags.clone();
    }
    Ok(filter)
}

pub fn order(args: &OrderArgs) -> Order {
    if args.no_shuffle {
        Order::FileOrder
    } else {
        Order::Shuffled(Rng::new(args.seed.unwrap_or_else(Rng::entropy)))
    }
}
