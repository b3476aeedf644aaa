//! `mlsec plan`: set, show or clear the interview plan.

use crate::cli::FilterArgs;
use crate::clock::StudyDay;
use crate::config::{self, Context};
use crate::error::{Error, Result};
use crate::plan::{self, view};
use crate::{outln, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The interview's day, YYYY-MM-DD, after today's study day (without it: show the plan)
    #[arg(value_name = "DATE", value_parser = interview_day)]
    pub date: Option<StudyDay>,

    /// The cards that matter for this interview, saved with the plan
    #[command(flatten)]
    pub filter: FilterArgs,

    /// Remove the plan
    #[arg(long, conflicts_with_all = ["date", "topics", "tags", "deck"])]
    pub clear: bool,
}

/// A date exactly as YYYY-MM-DD.
fn interview_day(text: &str) -> std::result::Result<StudyDay, String> {
    StudyDay::parse(text)
        .filter(|_| text.len() == 10)
        .ok_or_else(|| "expected the interview day as YYYY-MM-DD, e.g. 2026-12-20".to_string())
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let mut store = ctx.open_store()?;
    let today = ctx.clock.today();
    let outcome = match args.date {
        _ if args.clear => plan::clear(&mut store, today)?,
        Some(date) => {
            let scope = config::resolve_filter(&store, &args.filter)?;
            plan::set(&mut store, date, scope, today, ctx.clock.now())?
        }
        None if !args.filter.as_options().is_empty() => {
            return Err(Error::Usage(
                "--topic, --tag and --deck narrow a plan as it is set: give the interview day too, e.g. `mlsec plan 2026-12-20 --topic ID`".into(),
            ));
        }
        None => plan::show(&store, today)?,
    };
    if ctx.json {
        return output::print_json(&outcome.status);
    }
    for line in view::lines(&outcome, ctx.width) {
        outln!("{line}")?;
    }
    Ok(())
}
