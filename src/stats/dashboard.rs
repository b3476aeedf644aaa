//! The dashboard (`mlsec` alone): where you stand today and what to run next, as
//! figures (the `--json` document) and as the few lines people read.

use console::style;
use serde::Serialize;

use super::streaks;
use crate::clock::StudyDay;
use crate::error::Result;
use crate::session::NEW_PER_DAY;
use crate::store::{Filter, SessionInfo, Store};

/// Everything the dashboard shows. Field names are a public interface (`--json`).
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
        let next = if due_today > 0 || repeats_today > 0 {
            Some("mlsec review")
        } else if new_available > 0 && new_today < NEW_PER_DAY as u64 {
            Some("mlsec study")
        } else {
            None
        };
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
            next: next.map(str::to_string),
            db: store.path().display().to_string(),
        })
    }

    /// The dashboard as lines of text.
    pub fn lines(&self) -> Vec<String> {
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
        out.push(format!(
            "  New available   {:>4}  ({} of {NEW_PER_DAY} studied today)",
            self.new_available,
            self.new_today.min(NEW_PER_DAY as u64)
        ));
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
