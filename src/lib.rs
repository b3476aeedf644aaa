//! mlsec: a terminal trainer for ML Security Engineer interviews.
//!
//! The binary is a thin shell over [`main`] ([`app`]); everything else is library code
//! so that tests and tools can drive it.
//!
//! # Module map
//!
//! Which module owns what, from the process down to the store. The flows a user
//! triggers (import, sessions, stats and export) are the top rooms; `store`, `sched`
//! and `clock` are shared below them; `cmd` connects arguments to them.
//!
//! - [`app`]: the process: exit codes, Ctrl-C and the interrupt flags, stderr messages.
//! - [`cli`]: the command line (clap), which also generates the shell completions.
//! - [`config`]: arguments and environment resolved before any command runs: the
//!   clock, the database path, the output mode, colour, the terminal's width and
//!   character set; the one place that reads the environment.
//! - [`cmd`]: one file per subcommand, glue only: arguments, one library call, output.
//! - [`import`]: `mlsec import` and the built-in deck. Deck files (TOML, JSON, CSV,
//!   Anki text) read, validated and written in one transaction: the formats read whole
//!   in [`import::tree`], those with a card per row in [`import::rows`].
//! - [`deck`]: the content model (decks, topics, cards and their ids) that every flow
//!   shares, and [`deck::CardSink`], the port through which a reader hands checked
//!   cards to the store.
//! - [`session`]: study, review and mock sessions with their terminal and JSON Lines
//!   front ends; [`session::events`] is the JSON Lines protocol, a public interface, and
//!   [`session::answer_object`] the answer objects scripts send; [`session::rubric`]
//!   grades a recall answer by the rubric points it covered.
//! - [`plan`]: `mlsec plan`, an interview date: the pace of new cards before it and the
//!   final pass of the last two days, both around SM-2 (the arithmetic in
//!   [`plan::pace`]); sessions, the dashboard and stats ask it for their share.
//! - [`stats`]: `mlsec stats` and the dashboard: the figures, computed in one pass over
//!   the history, drawn as tables and charts or printed as JSON.
//! - [`export`]: `mlsec export`: which rows, the streaming CSV/JSON writer, Anki notes,
//!   and the file that is never overwritten without `--force` nor left half-written.
//! - [`store`]: SQLite, the only module with SQL: migrations and one method per query;
//!   what stats and export read is in [`store::cards`], [`store::answers`],
//!   [`store::history`] and [`store::rubric`].
//! - [`sched`]: SM-2, pure: grades, intervals, the pass and repeat thresholds.
//! - [`clock`]: the clock and the study day; nothing else reads the time.
//! - [`text`], [`output`], [`ui`]: untrusted text made safe and wrapped; what stdout
//!   gets (JSON escaped); progress bars and yes/no questions on stderr.
//! - [`error`], [`rng`]: the errors a user can cause; the seeded shuffle.

pub mod app;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod config;
pub mod deck;
pub mod error;
pub mod export;
pub mod import;
pub mod output;
pub mod plan;
pub mod rng;
pub mod sched;
pub mod session;
pub mod stats;
pub mod store;
pub mod text;
pub mod ui;

pub use app::main;
