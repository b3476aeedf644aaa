//! `mlsec plan`: prepare for an interview on a date (issue 14), without bending SM-2.
//!
//! A plan is an interview day and a scope (`--topic/--tag/--deck`), kept in the store.
//! While it applies (up to and including the interview's study day) it does two things
//! around SM-2, never inside it:
//!
//! - **Pace.** Study's daily new limit becomes max(`--new`, ceil(U / max(1, L − 2))):
//!   U unseen cards of the scope at the start of the day, L days left ([`pace`]). A
//!   study session takes the scope's new cards first, at that quota; the rest of its
//!   filter at the ordinary `--new` ([`crate::session::PlanShare`]).
//! - **Final pass.** On the last two days before the interview, `mlsec review` ends by
//!   asking each card of the scope that SM-2 will not show again before the interview
//!   (due on the interview day or later) and that has had no answer since the pass
//!   began. Its answers are recorded like a mock's: EF, interval and repetitions stay; a
//!   miss makes the card due the next day when that day is before the interview.
//!
//! The figures are computed here ([`Status`], [`Readiness`]) and drawn by [`view`], the
//! dashboard and `mlsec stats`.

pub mod pace;
pub mod view;

use chrono::{DateTime, Local};
use serde::Serialize;

use crate::clock::StudyDay;
use crate::deck::{DeckId, TopicId};
use crate::error::{Error, Result};
use crate::session::{FinalPass, NEW_PER_DAY, PlanShare};
use crate::store::plan::{ScopeCounts, StoredPlan};
use crate::store::{Filter, Store};
use pace::Phase;

/// A plan's cards, as `--json` shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scope {
    pub deck: Option<DeckId>,
    pub topics: Vec<TopicId>,
    pub tags: Vec<String>,
}

impl Scope {
    fn of(filter: &Filter) -> Scope {
        Scope {
            deck: filter.deck.clone(),
            topics: filter.topics.clone(),
            tags: filter.tags.clone(),
        }
    }

    /// The scope as options (`--topic a --topic b`), empty for every card.
    pub fn options(&self) -> String {
        let mut s = Vec::new();
        if let Some(deck) = &self.deck {
            s.push(format!("--deck {deck}"));
        }
        s.extend(self.topics.iter().map(|t| format!("--topic {t}")));
        s.extend(self.tags.iter().map(|t| format!("--tag {t}")));
        s.join(" ")
    }
}

/// Where the plan stands on a study day: `mlsec plan --json`, and the dashboard's `plan`.
/// Field names are a public interface (`docs/schema/plan.schema.json`). A field that
/// does not apply (yet, or any more, after the interview) is null.
#[derive(Clone, Debug, Serialize)]
pub struct Status {
    pub interview: StudyDay,
    /// Study days from today to the interview: 0 on its day, negative after it.
    pub days_left: i64,
    /// U: cards of the scope unseen at the start of today (those introduced today
    /// count as unseen until tomorrow, so that the day's quota holds all day).
    pub unseen: Option<u64>,
    /// Today's new-card quota for the scope, with the default `--new`.
    pub new_per_day: Option<u64>,
    /// The final pass's first day, the second day before the interview.
    pub final_pass_from: Option<StudyDay>,
    /// Cards the final pass still has to ask today; only on its two days.
    pub final_pass_cards: Option<u64>,
    pub scope: Scope,
    /// The figures behind the text (not in the JSON, whose fields the issue fixes).
    #[serde(skip)]
    pub detail: Detail,
}

/// What the text of the plan and the dashboard show besides [`Status`]'s fields.
#[derive(Clone, Copy, Debug, Default)]
pub struct Detail {
    /// Live cards in the scope.
    pub cards: u64,
    /// Cards of the scope still unseen now.
    pub unseen_now: u64,
    /// Cards of the scope introduced today.
    pub new_today: u64,
    /// ceil(U / max(1, L − 2)), before `--new` is taken into account.
    pub pace: u64,
}

impl Status {
    pub fn phase(&self) -> Phase {
        pace::phase(self.days_left)
    }

    /// The pace is above [`pace::FAST_PACE`]: say so, and suggest narrowing the scope.
    pub fn too_fast(&self) -> bool {
        self.phase() != Phase::Passed && self.detail.pace > pace::FAST_PACE
    }
}

/// Where `plan` stands on `today`.
pub fn status(store: &Store, plan: &StoredPlan, today: StudyDay) -> Result<Status> {
    let days_left = pace::days_left(today, plan.interview);
    let phase = pace::phase(days_left);
    let counts = store.scope_counts(&plan.scope, today)?;
    let unseen = counts.unseen() + counts.introduced_on_day;
    let pace = pace::pace(unseen, days_left);
    let applies = phase != Phase::Passed;
    let final_pass_cards = if phase == Phase::FinalPass {
        let from = pace::final_pass_from(plan.interview);
        Some(store.count_final_pass(&plan.scope, from, plan.interview)?)
    } else {
        None
    };
    Ok(Status {
        interview: plan.interview,
        days_left,
        unseen: applies.then_some(unseen),
        new_per_day: applies.then(|| pace::new_per_day(NEW_PER_DAY as u64, pace)),
        final_pass_from: applies.then(|| pace::final_pass_from(plan.interview)),
        final_pass_cards,
        scope: Scope::of(&plan.scope),
        detail: Detail {
            cards: counts.cards,
            unseen_now: counts.unseen(),
            new_today: counts.introduced_on_day,
            pace: if applies { pace } else { 0 },
        },
    })
}

/// The plan and where it stands, passed or not; `None` without a plan.
pub fn current(store: &Store, today: StudyDay) -> Result<Option<Status>> {
    match store.plan()? {
        Some(plan) => status(store, &plan, today).map(Some),
        None => Ok(None),
    }
}

/// The plan while it applies: `None` without one and after the interview day.
pub fn active(store: &Store, today: StudyDay) -> Result<Option<Status>> {
    Ok(current(store, today)?.filter(|s| s.phase() != Phase::Passed))
}

/// What `mlsec plan` did, for [`view`].
#[derive(Clone, Debug)]
pub enum Change {
    /// Only shown.
    None,
    /// Set; `replaced` is the interview day of the plan it replaced.
    Set { replaced: Option<StudyDay> },
    /// Cleared; `was` is the interview day of the plan removed, if there was one.
    Cleared { was: Option<StudyDay> },
}

/// The outcome of `mlsec plan`: what changed and the plan as it now stands.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub change: Change,
    pub status: Option<Status>,
    pub today: StudyDay,
}

/// `mlsec plan DATE [--topic …]`: set the plan, replacing any other. The interview must
/// come after today's study day.
pub fn set(
    store: &mut Store,
    interview: StudyDay,
    scope: Filter,
    today: StudyDay,
    now: DateTime<Local>,
) -> Result<Outcome> {
    if interview <= today {
        return Err(Error::Usage(format!(
            "the interview day {interview} is not after today's study day ({today}); give a later date as YYYY-MM-DD"
        )));
    }
    let replaced = store.plan()?.map(|p| p.interview);
    store.set_plan(interview, &scope, now)?;
    Ok(Outcome {
        change: Change::Set { replaced },
        status: current(store, today)?,
        today,
    })
}

/// `mlsec plan`: the plan as it stands.
pub fn show(store: &Store, today: StudyDay) -> Result<Outcome> {
    Ok(Outcome {
        change: Change::None,
        status: current(store, today)?,
        today,
    })
}

/// `mlsec plan --clear`.
pub fn clear(store: &mut Store, today: StudyDay) -> Result<Outcome> {
    let was = store.plan()?.map(|p| p.interview);
    store.clear_plan()?;
    Ok(Outcome {
        change: Change::Cleared { was },
        status: None,
        today,
    })
}

/// The plan's share of a study or review session on `today`, while a plan applies.
/// `new_flag` is the session's `--new`: the scope's quota is never below it.
pub fn session_share(store: &Store, today: StudyDay, new_flag: usize) -> Result<Option<PlanShare>> {
    let Some(plan) = store.plan()? else {
        return Ok(None);
    };
    let days_left = pace::days_left(today, plan.interview);
    let phase = pace::phase(days_left);
    if phase == Phase::Passed {
        return Ok(None);
    }
    let counts = store.scope_counts(&plan.scope, today)?;
    let pace = pace::pace(counts.unseen() + counts.introduced_on_day, days_left);
    // The scope's quota under a `--new`, less its cards introduced today.
    let room = |new_flag: usize| {
        let quota = pace::new_per_day(new_flag as u64, pace);
        usize::try_from(quota.saturating_sub(counts.introduced_on_day)).unwrap_or(usize::MAX)
    };
    Ok(Some(PlanShare {
        new_room: room(new_flag),
        plain_new_room: room(NEW_PER_DAY),
        final_pass: (phase == Phase::FinalPass).then(|| FinalPass {
            from: pace::final_pass_from(plan.interview),
            interview: plan.interview,
        }),
        scope: plan.scope,
    }))
}

/// How ready the learner is for the plan's scope, for `mlsec stats`. Field names are a
/// public interface (`stats --json`, `docs/schema/stats.schema.json`).
#[derive(Clone, Debug, Serialize)]
pub struct Readiness {
    pub interview: StudyDay,
    pub days_left: i64,
    pub scope: Scope,
    /// Live cards in the scope.
    pub cards: u64,
    /// Cards seen at least once (they have a schedule).
    pub introduced: u64,
    /// Cards whose last graded answer passed (q ≥ 3).
    pub passed: u64,
    /// Cards never seen.
    pub unseen: u64,
}

/// Readiness for the plan's scope while a plan applies.
pub fn readiness(store: &Store, today: StudyDay) -> Result<Option<Readiness>> {
    let Some(plan) = store.plan()? else {
        return Ok(None);
    };
    let days_left = pace::days_left(today, plan.interview);
    if pace::phase(days_left) == Phase::Passed {
        return Ok(None);
    }
    let counts: ScopeCounts = store.scope_counts(&plan.scope, today)?;
    Ok(Some(Readiness {
        interview: plan.interview,
        days_left,
        scope: Scope::of(&plan.scope),
        cards: counts.cards,
        introduced: counts.introduced,
        passed: counts.passed,
        unseen: counts.unseen(),
    }))
}
