//! `mlsec review`: today's due questions, most overdue first, then the same-day repeats.

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

    #[command(flatten)]
    pub answers: AnswerArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    super::run_session(
        ctx,
        SessionKind::Review,
        &args.filter,
        args.questions.limit,
        &args.order,
        0,
        &args.answers,
    )
}
