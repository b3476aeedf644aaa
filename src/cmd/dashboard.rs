//! `mlsec` alone: where you stand today and what to run next.

use console::style;
use serde::Serialize;

use crate::clock::StudyDay;
use crate::config::Context;
use crate::error::Result;
use crate::store::{Filter, SessionInfo};
use crate::{outln, output, stats};

/// New cards a day unless `mlsec study --new N` says otherwise.
const NEW_PER_DAY: u64 = 10;

#[derive(Serialize)]
struct Dashboard {
    today: StudyDay,
    due_today: u64,
    repeats_today: u64,
    new_available: u64,
    new_today: u64,
    streak: u32,
    longest_streak: u32,
    last_session: Option<SessionInfo>,
    next_due: Option<StudyDay>,
    /// The command to run next, or null when there is nothing to do today.
    next: Option<String>,
    db: String,
}

pub fn run(ctx: &Context) -> Result<()> {
    let store = ctx.open_store()?;
    let all = Filter::default();
    let today = ctx.clock.today();
    let (streak, longest_streak) = stats::streaks(&store.study_days()?, today);
    let due_today = store.count_due(&all, today)?;
    let repeats_today = store.leftover_repeats(&all, today)?.len() as u64;
    let new_available = store.count_new(&all)?;
    let new_today = store.count_introduced(&all, today)?;
    let next = if due_today > 0 || repeats_today > 0 {
        Some("mlsec review")
    } else if new_available > 0 && new_today < NEW_PER_DAY {
        Some("mlsec study")
    } else {
        None
    };
    let d = Dashboard {
        today,
        due_today,
        repeats_today,
        new_available,
        new_today,
        streak,
        longest_streak,
        last_session: store.last_session()?,
        next_due: store.next_due_after(&all, today)?,
        next: next.map(str::to_string),
        db: store.path().display().to_string(),
    };
    if ctx.json {
        return output::print_json(&d);
    }
    outln!(
        "{} · ML Security Engineer interview trainer",
        style("mlsec").bold()
    )?;
    outln!()?;
    outln!("  Due today       {:>4}", d.due_today)?;
    if d.repeats_today > 0 {
        outln!(
            "  To repeat       {:>4}  (missed earlier today)",
            d.repeats_today
        )?;
    }
    outln!(
        "  New available   {:>4}  ({} of {NEW_PER_DAY} studied today)",
        d.new_available,
        d.new_today.min(NEW_PER_DAY)
    )?;
    let days = |n: u32| if n == 1 { "day" } else { "days" };
    outln!(
        "  Streak          {:>4}  {} (longest {longest_streak})",
        d.streak,
        days(d.streak)
    )?;
    match &d.last_session {
        Some(s) => {
            let pct = (s.correct * 100)
                .checked_div(s.answered)
                .map_or(String::new(), |p| format!(", {p}% correct"));
            outln!(
                "  Last session    {} on {} · {} answered{pct}",
                s.kind,
                s.study_day,
                s.answered
            )?;
        }
        None => outln!("  Last session    none yet")?,
    }
    outln!()?;
    match (&d.next, d.next_due) {
        (Some(cmd), _) => outln!("Next: {}", style(cmd).bold())?,
        (None, Some(due)) => outln!("All done for today. Next review: {due}.")?,
        (None, None) => outln!("All done for today.")?,
    }
    Ok(())
}
