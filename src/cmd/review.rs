//! `mlsec review`: today's due questions, most overdue first, then the same-day repeats.

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

    /// After a right answer, ask how sure you were: knew it (5), fairly sure (4), guessed (2)
    #[arg(long)]
    pub confidence: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    super::run_session(
        ctx,
        SessionKind::Review,
        &args.filter,
        args.questions.limit,
        &args.order,
        0,
        args.confidence,
    )
}
