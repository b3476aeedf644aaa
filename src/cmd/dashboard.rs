//! `mlsec` alone: where you stand today and what to run next.

use crate::config::Context;
use crate::error::Result;
use crate::stats::dashboard::Dashboard;
use crate::{outln, output};

pub fn run(ctx: &Context) -> Result<()> {
    let store = ctx.open_store()?;
    let dashboard = Dashboard::read(&store, ctx.clock.today())?;
    if ctx.json {
        return output::print_json(&dashboard);
    }
    for line in dashboard.lines(ctx.width) {
        outln!("{line}")?;
    }
    Ok(())
}
