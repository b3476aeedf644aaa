//! `mlsec stats`: the figures, computed from the store ([`compute`], and the rubric
//! points missed most: `rubric`) into one struct that is then printed as tables and
//! pictures ([`view`], [`chart`]) or as JSON. The dashboard's figures (`mlsec` alone)
//! are here too ([`dashboard`]). While an interview plan applies, both show it, from
//! [`crate::plan`].

use serde::Serialize;

use crate::clock::StudyDay;
use crate::plan::Readiness;
use crate::sched::{Ef, Schedule};
use crate::session::Next;
use crate::store::answers::SessionRecord;
use crate::store::history::{MATURE_DAYS, PassCount};
use crate::store::{Filter, SessionId};

pub mod chart;
mod compute;
pub mod dashboard;
mod fold;
mod rubric;
mod streak;
pub mod view;

pub use compute::{compute, heatmap_start, window_start};
pub use streak::streaks;

/// Days in the due forecast, today included.
pub const FORECAST_DAYS: usize = 14;
/// Weeks in the activity heatmap, the current one included.
pub const HEATMAP_WEEKS: i64 = 26;
/// A card with this many lapses is a leech: drilling it again rarely helps; re-read it.
pub const LEECH_LAPSES: u32 = 4;

/// What the figures are asked for: which cards, how much history, how long the lists.
#[derive(Clone, Debug)]
pub struct Query {
    pub filter: Filter,
    pub today: StudyDay,
    /// Only the last N study days of history (today included).
    pub days: Option<u32>,
    /// Rows in the weakest-card, session and rubric-miss lists.
    pub limit: usize,
}

/// Where a card stands. Learning: not yet passed twice in a row (its interval is still
/// one of SM-2's fixed first steps); young: an interval under 21 days; mature: 21 or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CardState {
    New,
    Learning,
    Young,
    Mature,
}

impl CardState {
    pub fn of(schedule: Option<&Schedule>) -> CardState {
        match schedule {
            None => CardState::New,
            Some(s) if s.interval.days() >= MATURE_DAYS => CardState::Mature,
            Some(s) if s.repetitions < 2 => CardState::Learning,
            Some(_) => CardState::Young,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CardState::New => "new",
            CardState::Learning => "learning",
            CardState::Young => "young",
            CardState::Mature => "mature",
        }
    }
}

/// Is this card a leech (4 or more lapses)?
pub fn is_leech(schedule: Option<&Schedule>) -> bool {
    schedule.is_some_and(|s| s.lapses >= LEECH_LAPSES)
}

/// `part / whole`, or `None` when there is nothing to divide.
pub fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct CardCounts {
    pub total: u64,
    pub new: u64,
    pub learning: u64,
    pub young: u64,
    pub mature: u64,
    pub leeches: u64,
}

impl CardCounts {
    fn add(&mut self, schedule: Option<&Schedule>) {
        self.total += 1;
        match CardState::of(schedule) {
            CardState::New => self.new += 1,
            CardState::Learning => self.learning += 1,
            CardState::Young => self.young += 1,
            CardState::Mature => self.mature += 1,
        }
        self.leeches += u64::from(is_leech(schedule));
    }

    fn merge(&mut self, other: &CardCounts) {
        self.total += other.total;
        self.new += other.new;
        self.learning += other.learning;
        self.young += other.young;
        self.mature += other.mature;
        self.leeches += other.leeches;
    }
}

/// Graded answers (first answer of a card on a day, mock interviews apart).
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReviewCounts {
    pub answered: u64,
    pub correct: u64,
    pub accuracy: Option<f64>,
    /// Same-day repeats of missed cards, not graded.
    pub repeats: u64,
    /// Study days with at least one answer.
    pub days: u64,
}

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Rate {
    /// Graded reviews of cards that were due.
    pub due: u64,
    /// Of those, answers that passed (q ≥ 3).
    pub passed: u64,
    pub rate: Option<f64>,
}

impl From<PassCount> for Rate {
    fn from(c: PassCount) -> Rate {
        Rate {
            due: c.due,
            passed: c.passed,
            rate: ratio(c.passed, c.due),
        }
    }
}

/// Share of passing first answers of the day on cards that were due, by the interval
/// the card had before (young < 21 days ≤ mature).
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Retention {
    pub young: Rate,
    pub mature: Rate,
}

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Streak {
    pub current: u32,
    pub longest: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct TopicStats {
    pub deck: String,
    pub topic: String,
    pub name: String,
    pub cards: CardCounts,
    pub answered: u64,
    pub correct: u64,
    pub accuracy: Option<f64>,
    pub repeats: u64,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct ForecastDay {
    pub day: StudyDay,
    /// Cards due that day; today's count includes overdue cards.
    pub due: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct WeakCard {
    pub card: String,
    pub topic: String,
    pub question: String,
    pub lapses: u32,
    pub ef: Ef,
    pub interval: i64,
    pub due: StudyDay,
    pub answered: u64,
    pub correct: u64,
    pub accuracy: Option<f64>,
    pub leech: bool,
}

/// A rubric point of a recall card left unticked in its checklist answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RubricMiss {
    pub card: String,
    /// From 1, in the rubric's order.
    pub point: u32,
    /// The point as the card's rubric reads now; null if it no longer has that point.
    pub text: Option<String>,
    /// Checklist answers that left the point unticked …
    pub missed: u64,
    /// … of those on the card (same-day repeats apart).
    pub answered: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SessionStats {
    pub id: SessionId,
    pub kind: String,
    pub study_day: StudyDay,
    pub started_at: String,
    pub answered: u64,
    pub correct: u64,
    pub accuracy: Option<f64>,
    pub repeats: u64,
}

impl From<&SessionRecord> for SessionStats {
    fn from(s: &SessionRecord) -> SessionStats {
        SessionStats {
            id: s.id,
            kind: s.kind.clone(),
            study_day: s.study_day,
            started_at: s.started_at.clone(),
            answered: s.answered,
            correct: s.correct,
            accuracy: ratio(s.correct, s.answered),
            repeats: s.repeats,
        }
    }
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct ActivityDay {
    pub day: StudyDay,
    /// Every answer of the day: graded, repeats and mock interviews.
    pub answers: u64,
}

/// Everything `mlsec stats` shows. Field names are a public interface (`--json`),
/// described in `docs/schema/stats.schema.json`.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    pub today: StudyDay,
    /// First study day of the history figures (`--days`), or null for all of it.
    pub since: Option<StudyDay>,
    pub cards: CardCounts,
    pub reviews: ReviewCounts,
    pub retention: Retention,
    pub streak: Streak,
    pub due_today: u64,
    /// Cards missed earlier today and not yet repeated to a 4 (SM-2's same-day queue).
    pub repeats_today: u64,
    /// The topic with the lowest accuracy (at least 5 graded answers), if any.
    pub weakest_topic: Option<String>,
    pub topics: Vec<TopicStats>,
    pub forecast: Vec<ForecastDay>,
    pub weakest: Vec<WeakCard>,
    /// The latest sessions, newest first.
    pub sessions: Vec<SessionStats>,
    /// Mock interviews, newest first.
    pub mock: Vec<SessionStats>,
    /// Days with answers in the heatmap's weeks, oldest first.
    pub activity: Vec<ActivityDay>,
    /// The rubric points missed most often in checklist answers, worst first.
    pub rubric_misses: Vec<RubricMiss>,
    /// Readiness for the interview plan's scope (whatever the filter), while a plan
    /// applies; null otherwise.
    pub plan: Option<Readiness>,
    /// The command to run next for these cards (as the dashboard's `next`, narrowed to
    /// the filter), or null when nothing is left today.
    pub next: Option<Next>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sched::Interval;

    fn d(s: &str) -> StudyDay {
        StudyDay::parse(s).unwrap()
    }

    fn sched(repetitions: u32, interval: i64, due: &str, lapses: u32, ef: i64) -> Schedule {
        Schedule {
            repetitions,
            ef: Ef::from_centi(ef),
            interval: Interval::from_days(interval),
            due: d(due),
            lapses,
        }
    }

    #[test]
    fn states_follow_repetitions_and_the_21_day_line() {
        assert_eq!(CardState::of(None), CardState::New);
        assert_eq!(
            CardState::of(Some(&sched(1, 1, "2026-03-02", 0, 250))),
            CardState::Learning
        );
        assert_eq!(
            CardState::of(Some(&sched(0, 1, "2026-03-02", 1, 196))),
            CardState::Learning,
            "a lapsed card relearns"
        );
        assert_eq!(
            CardState::of(Some(&sched(2, 6, "2026-03-08", 0, 250))),
            CardState::Young
        );
        assert_eq!(
            CardState::of(Some(&sched(3, 20, "2026-03-08", 0, 250))),
            CardState::Young
        );
        assert_eq!(
            CardState::of(Some(&sched(4, 21, "2026-03-08", 0, 250))),
            CardState::Mature
        );
    }
}
