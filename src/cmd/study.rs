//! `mlsec study`: new questions up to the daily limit, then the same-day repeats.

use crate::cli::{AnswerArgs, FilterArgs, LimitArgs, OrderArgs};
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

    #[command(flatten)]
    pub answers: AnswerArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    super::run_session(
        ctx,
        SessionKind::Study,
        &args.filter,
        args.questions.limit,
        &args.order,
        args.new_per_day,
        &args.answers,
    )
}
