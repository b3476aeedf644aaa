//! `mlsec study`: new questions up to the daily limit, then the same-day repeats.

use crate::cli::{FilterArgs, LimitArgs, OrderArgs};
use crate::config::Context;
use crate::error::Result;
use crate::session::SessionKind;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub questions: LimitArgs,

    #[command(flatten)]
    pub order: OrderArgs,

    /// New questions per study day (counting earlier sessions of the day)
    #[arg(
        long = "new",
        value_name = "N",
        default_value_t = crate::session::NEW_PER_DAY,
        allow_negative_numbers = true,
        value_parser = crate::cli::count
    )]
    pub new_per_day: usize,

    /// After a right answer, ask how sure you were: knew it (5), fairly sure (4), guessed (2)
    #[arg(long)]
    pub confidence: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    super::run_session(
        ctx,
        SessionKind::Study,
        &args.filter,
        args.questions.limit,
        &args.order,
        args.new_per_day,
        args.confidence,
    )
}
