//! `mlsec stats`: progress at a glance (tables and pictures) or as one JSON document.

use crate::cli::{DaysArgs, FilterArgs};
use crate::config::{self, Context};
use crate::error::Result;
use crate::stats::chart::Charset;
use crate::stats::{self, view};
use crate::{outln, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub history: DaysArgs,

    /// Rows in the weakest-card, rubric-point, session and mock-interview lists
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,

    /// Draw tables and pictures with ASCII only (automatic when the locale is not UTF-8)
    #[arg(long)]
    pub ascii: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let store = ctx.open_store()?;
    let query = stats::Query {
        filter: config::resolve_filter(&store, &args.filter)?,
        today: ctx.clock.today(),
        days: args.history.days,
        limit: args.limit,
    };
    let figures = stats::compute(&store, &query)?;
    if ctx.json {
        return output::print_json(&figures);
    }
    let look = view::Look {
        width: ctx.width,
        charset: if args.ascii || !ctx.utf8 {
            Charset::Ascii
        } else {
            Charset::Unicode
        },
        scope: args.filter.as_options(),
        colour: ctx.colour,
    };
    for line in view::render(&figures, &look) {
        outln!("{line}")?;
    }
    Ok(())
}
