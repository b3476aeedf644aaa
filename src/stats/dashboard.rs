//! The dashboard (`mlsec` alone): where you stand today and what to run next, as
//! figures (the `--json` document) and as the few lines people read. While an interview
//! plan applies, it shows the plan too ([`crate::plan`]), and what to run next follows it.

use console::style;
use serde::Serialize;

use super::streaks;
use crate::clock::StudyDay;
use crate::error::Result;
use crate::plan::{self, Status, pace::Phase, view};
use crate::session::{self, NEW_PER_DAY};
use crate::store::{Filter, SessionInfo, Store};
use crate::text;

/// Everything the dashboard shows. Field names are a public interface (`--json`),
/// described in `docs/schema/dashboard.schema.json`.
#[derive(Clone, Debug, Serialize)]
pub struct Dashboard {
    pub today: StudyDay,
    pub due_today: u64,
    pub repeats_today: u64,
    pub new_available: u64,
    pub new_today: u64,
    pub streak: u32,
    pub longest_streak: u32,
    pub last_session: Option<SessionInfo>,
    pub next_due: Option<StudyDay>,
    /// The command to run next, or null when there is nothing to do today.
    pub next: Option<String>,
    pub db: String,
    /// The interview plan while it applies (null without one, and after its day): the
    /// document of `mlsec plan --json`.
    pub plan: Option<Status>,
}

impl Dashboard {
    /// Where the whole store stands on study day `today`.
    pub fn read(store: &Store, today: StudyDay) -> Result<Dashboard> {
        let all = Filter::default();
        let (streak, longest_streak) = streaks(&store.study_days()?, today);
        let due_today = store.count_due(&all, today)?;
        let repeats_today = store.leftover_repeats(&all, today)?.len() as u64;
        let new_available = store.count_new(&all)?;
        let new_today = store.count_introduced(&all, today)?;
        let plan = plan::active(store, today)?;
        // The command a plain `mlsec review` or `mlsec study` would find work for, as the
        // end of a session and `mlsec stats` say.
        let share = plan::session_share(store, today, NEW_PER_DAY)?;
        let waiting = due_today > 0 || repeats_today > 0;
        let next = session::what_next(store, &all, share.as_ref(), NEW_PER_DAY, today, waiting)?;
        Ok(Dashboard {
            today,
            due_today,
            repeats_today,
            new_available,
            new_today,
            streak,
            longest_streak,
            last_session: store.last_session()?,
            next_due: store.next_due_after(&all, today)?,
            next: next.map(|n| n.command().to_string()),
            db: store.path().display().to_string(),
            plan,
        })
    }

    /// The dashboard as lines of text; the plan's, which can be long, wrapped at `width`.
    pub fn lines(&self, width: usize) -> Vec<String> {
        let mut out = vec![
            format!(
                "{} · ML Security Engineer interview trainer",
                style("mlsec").bold()
            ),
            String::new(),
            format!("  Due today       {:>4}", self.due_today),
        ];
        if self.repeats_today > 0 {
            out.push(format!(
                "  To repeat       {:>4}  (missed earlier today)",
                self.repeats_today
            ));
        }
        match &self.plan {
            Some(plan) => {
                out.push(format!(
                    "  New available   {:>4}  ({} studied today)",
                    self.new_available, self.new_today
                ));
                plan_lines(&mut out, plan, width);
            }
            None => out.push(format!(
                "  New available   {:>4}  ({} of {NEW_PER_DAY} studied today)",
                self.new_available,
                self.new_today.min(NEW_PER_DAY as u64)
            )),
        }
        let days = |n: u32| if n == 1 { "day" } else { "days" };
        out.push(format!(
            "  Streak          {:>4}  {} (longest {})",
            self.streak,
            days(self.streak),
            self.longest_streak
        ));
        out.push(match &self.last_session {
            Some(s) => {
                let pct = (s.correct * 100)
                    .checked_div(s.answered)
                    .map_or(String::new(), |p| format!(", {p}% correct"));
                format!(
                    "  Last session    {} on {} · {} answered{pct}",
                    s.kind, s.study_day, s.answered
                )
            }
            None => "  Last session    none yet".to_string(),
        });
        out.push(String::new());
        out.push(match (&self.next, self.next_due) {
            (Some(cmd), _) => format!("Next: {}", style(cmd).bold()),
            (None, Some(due)) => format!("All done for today. Next review: {due}."),
            (None, None) => "All done for today.".to_string(),
        });
        out
    }
}

/// The plan's lines: the interview, today's new-card quota, the final pass, a warning.
fn plan_lines(out: &mut Vec<String>, plan: &Status, width: usize) {
    // Values start in column 18, as the figures' units do.
    let indent = " ".repeat(18);
    let head = format!("{} · {}", view::when(plan), view::scope(plan));
    out.push(text::wrap(&head, width, "  Interview       ", &indent));
    let d = &plan.detail;
    if let Some(quota) = plan.new_per_day.filter(|_| d.unseen_now + d.new_today > 0) {
        out.push(format!(
            "  Plan quota      {:>4}  of {quota} new cards today · {} of {} still unseen",
            d.new_today, d.unseen_now, d.cards
        ));
    }
    if let (Phase::FinalPass, Some(n)) = (plan.phase(), plan.final_pass_cards) {
        out.push(format!(
            "  Final pass      {n:>4}  {}",
            match n {
                0 => "cards to ask today",
                1 => "card to go, after the due cards in `mlsec review`",
                _ => "cards to go, after the due cards in `mlsec review`",
            }
        ));
    }
    if plan.too_fast() {
        let first = format!("  {}        ", style("Too fast").yellow().bold());
        out.push(text::wrap(&view::too_fast(plan), width, &first, &indent));
    }
}
