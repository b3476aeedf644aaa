//! `mlsec export`: cards, reviews, sessions or per-topic stats as CSV, JSON or Anki
//! notes, on stdout or into a file that is never overwritten without `--force`.

use std::path::PathBuf;

use crate::cli::{DaysArgs, FilterArgs};
use crate::config::{self, Context};
use crate::error::Result;
use crate::export::{self, Destination, Format, Job, What};
use crate::{outln, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to export
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = What::Cards)]
    pub what: What,

    /// File format [default: csv; json with --json]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Write to FILE instead of stdout (`-` is stdout)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Overwrite FILE if it exists
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub filter: FilterArgs,

    #[command(flatten)]
    pub history: DaysArgs,
}

pub fn run(ctx: &Context, args: Args) -> Result<()> {
    let to = Destination::new(args.output, args.force);
    let job = Job::new(args.what, args.format, ctx.json, to, args.history.days)?;
    let store = ctx.open_store()?;
    let filter = config::resolve_filter(&store, &args.filter)?;
    match export::run(&store, &job, &filter, ctx.clock.today())? {
        None => Ok(()),
        Some(written) if ctx.json => output::print_json(&written),
        Some(written) => outln!("{written}"),
    }
}
