//! `mlsec mock`: a timed mock interview across topics, with a report at the end.

use std::time::Duration;

use crate::cli::{FilterArgs, LimitArgs, TypeArgs};
use crate::config::{self, Context};
use crate::error::{Error, Result};
use crate::rng::Rng;
use crate::session::jsonl::JsonLines;
use crate::session::mock::{self, MockOptions, pick::Weighting};
use crate::session::term::{self, Terminal};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Questions in the mock, one per topic before any topic repeats [default: 5]
    #[arg(
        long,
        value_name = "N",
        conflicts_with = "limit",
        value_parser = clap::value_parser!(u64).range(1..=200)
    )]
    pub count: Option<u64>,

    /// Seconds per question; a later answer counts as a miss (0 = no limit)
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub time_limit: u64,

    /// Pick questions uniformly instead of favouring weak spots (misses, lapses, unseen)
    #[arg(long)]
    pub random: bool,

    /// Classify the attack vector before a card's options, where its tags say (default)
    #[arg(long, overrides_with = "no_structure")]
    pub structure: bool,

    /// Skip the classify step
    #[arg(long, overrides_with = "structure")]
    pub no_structure: bool,

    /// Seed for picking the questions and ordering their options (same seed, same
    /// database: same questions in the same order)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Keep options in file order
    #[arg(long)]
    pub no_shuffle: bool,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub questions: LimitArgs,

    #[command(flatten)]
    pub typing: TypeArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    if !ctx.json && !term::available() {
        return Err(Error::Usage(
            "`mlsec mock` is interactive and needs a terminal; to script it, pass --json and answer on stdin".into(),
        ));
    }
    super::check_typing(ctx, &args.typing)?;
    let mut store = ctx.open_store()?;
    let seed = args.seed.unwrap_or_else(Rng::entropy);
    let count = args
        .count
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
        .or(args.questions.limit)
        .unwrap_or(mock::DEFAULT_COUNT);
    let opts = MockOptions {
        filter: config::resolve_filter(&store, &args.filter)?,
        count,
        weighting: if args.random {
            Weighting::Uniform
        } else {
            Weighting::Weak
        },
        seed,
        order: mock::option_order(seed, args.no_shuffle),
        time_limit: (args.time_limit > 0).then(|| Duration::from_secs(args.time_limit)),
        structure: !args.no_structure,
        type_answer: args.typing.type_answer,
    };
    if ctx.json {
        let mut prompter = JsonLines::new(std::io::stdin().lock(), std::io::stdout().lock());
        mock::run(&mut store, &ctx.clock, opts, &mut prompter)?;
    } else {
        let mut prompter = Terminal::new();
        mock::run(&mut store, &ctx.clock, opts, &mut prompter)?;
    }
    Ok(())
}
