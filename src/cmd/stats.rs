//! `mlsec stats`: progress at a glance (tables and pictures) or as one JSON document.

use crate::cli::FilterArgs;
use crate::config::{self, Context};
use crate::error::Result;
use crate::stats::chart::{self, Charset};
use crate::stats::{self, view};
use crate::store::{Filter, Store};
use crate::{outln, output};

/// The card filters of `stats` and `export` (no `--limit`: it means something else here).
#[derive(Debug, clap::Args, Clone, Default)]
pub struct ScopeArgs {
    /// Only cards of this topic (repeatable)
    #[arg(long = "topic", value_name = "ID")]
    pub topics: Vec<String>,

    /// Only cards with this tag (repeatable: any of them)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Only cards of this deck
    #[arg(long, value_name = "ID")]
    pub deck: Option<String>,

    /// Only the history of the last N study days, today included
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub days: Option<u32>,
}

impl ScopeArgs {
    /// Check the names against the store (a typo is an error, not an empty report).
    pub fn filter(&self, store: &Store) -> Result<Filter> {
        config::resolve_filter(
            store,
            &FilterArgs {
                topics: self.topics.clone(),
                tags: self.tags.clone(),
                deck: self.deck.clone(),
                limit: None,
            },
        )
    }

    /// The same filter as command-line options, for suggested commands.
    fn as_options(&self) -> String {
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

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Rows in the weakest-card, session and mock-interview lists
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,

    /// Draw tables and pictures with ASCII only (automatic when the locale is not UTF-8)
    #[arg(long)]
    pub ascii: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let store = ctx.open_store()?;
    let opts = stats::Options {
        filter: args.scope.filter(&store)?,
        today: ctx.clock.today(),
        days: args.scope.days,
        limit: args.limit,
    };
    let figures = stats::compute(&store, &opts)?;
    if ctx.json {
        return output::print_json(&figures);
    }
    let look = view::Look {
        width: terminal_width(),
        charset: if args.ascii || !chart::locale_is_utf8() {
            Charset::Ascii
        } else {
            Charset::Unicode
        },
        scope: args.scope.as_options(),
    };
    for line in view::render(&figures, &look) {
        outln!("{line}")?;
    }
    Ok(())
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
