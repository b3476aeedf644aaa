//! The figures of `mlsec stats`, computed from the store into one struct that is then
//! printed as tables and pictures ([`super::view`]) or as JSON.

use std::collections::HashMap;

use chrono::Datelike;
use serde::Serialize;

use crate::clock::StudyDay;
use crate::deck::CardBody;
use crate::error::Result;
use crate::sched::{Ef, Schedule};
use crate::store::report::{CardRecord, MATURE_DAYS, PassCount, SessionRecord};
use crate::store::{Filter, SessionId, Store};

/// Days in the due forecast, today included.
pub const FORECAST_DAYS: usize = 14;
/// Weeks in the activity heatmap, the current one included.
pub const HEATMAP_WEEKS: i64 = 26;
/// A card with this many lapses is a leech: drilling it again rarely helps; re-read it.
pub const LEECH_LAPSES: u32 = 4;
/// A topic needs this many graded answers before it can be called the weakest.
const MIN_ANSWERS_FOR_WEAKEST: u64 = 5;

/// What `mlsec stats` looks at.
#[derive(Clone, Debug)]
pub struct Options {
    pub filter: Filter,
    pub today: StudyDay,
    /// Only the last N study days of history (today included).
    pub days: Option<u32>,
    /// Rows in the weakest-card and session lists.
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
    fn add(&mut self, card: &CardRecord) {
        self.total += 1;
        match CardState::of(card.schedule.as_ref()) {
            CardState::New => self.new += 1,
            CardState::Learning => self.learning += 1,
            CardState::Young => self.young += 1,
            CardState::Mature => self.mature += 1,
        }
        self.leeches += u64::from(is_leech(card.schedule.as_ref()));
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

/// Everything `mlsec stats` shows. Field names are a public interface (`--json`).
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
}

/// The first day of the heatmap: the Monday `HEATMAP_WEEKS - 1` weeks before this week's.
pub fn heatmap_start(today: StudyDay) -> StudyDay {
    let monday = today.plus(-i64::from(today.date().weekday().num_days_from_monday()));
    monday.plus(-7 * (HEATMAP_WEEKS - 1))
}

/// The first day of a `--days N` window ending today.
pub fn window_start(today: StudyDay, days: Option<u32>) -> Option<StudyDay> {
    days.map(|n| today.plus(1 - i64::from(n.max(1))))
}

pub fn compute(store: &Store, opts: &Options) -> Result<Stats> {
    let today = opts.today;
    let since = window_start(today, opts.days);
    let cards = store.card_records(&opts.filter, false)?;

    let mut totals = CardCounts::default();
    let mut by_topic: HashMap<(String, String), CardCounts> = HashMap::new();
    for card in &cards {
        totals.add(card);
        by_topic
            .entry((card.deck.to_string(), card.topic.to_string()))
            .or_default()
            .add(card);
    }

    let tallies = store.topic_tallies(&opts.filter, since)?;
    let mut reviews = ReviewCounts::default();
    for t in &tallies {
        reviews.answered += t.answered;
        reviews.correct += t.correct;
        reviews.repeats += t.repeats;
    }
    reviews.accuracy = ratio(reviews.correct, reviews.answered);
    let all_days = store.activity(&opts.filter, None)?;
    reviews.days = all_days
        .iter()
        .filter(|(day, _)| since.is_none_or(|s| *day >= s))
        .count() as u64;
    let day_list: Vec<StudyDay> = all_days.iter().map(|(d, _)| *d).collect();
    let (current, longest) = super::streaks(&day_list, today);

    let mut topics = Vec::new();
    for info in store.topics()? {
        if opts.filter.deck.as_ref().is_some_and(|d| *d != info.deck)
            || (!opts.filter.topics.is_empty() && !opts.filter.topics.contains(&info.id))
        {
            continue;
        }
        let key = (info.deck.to_string(), info.id.to_string());
        let tally = tallies
            .iter()
            .find(|t| t.deck == info.deck && t.topic == info.id);
        let counts = by_topic.remove(&key);
        if counts.is_none() && tally.is_none() {
            continue; // no matching card (e.g. under --tag) and no history
        }
        let (answered, correct, repeats) =
            tally.map_or((0, 0, 0), |t| (t.answered, t.correct, t.repeats));
        topics.push(TopicStats {
            deck: key.0,
            topic: key.1,
            name: info.name,
            cards: counts.unwrap_or_default(),
            answered,
            correct,
            accuracy: ratio(correct, answered),
            repeats,
        });
    }
    let weakest_topic = topics
        .iter()
        .filter(|t| t.answered >= MIN_ANSWERS_FOR_WEAKEST && t.correct < t.answered)
        .min_by(|a, b| {
            let (x, y) = (a.accuracy.unwrap_or(1.0), b.accuracy.unwrap_or(1.0));
            x.total_cmp(&y)
        })
        .map(|t| t.topic.clone());

    let forecast = forecast(&cards, today);
    let due_today = forecast.first().map_or(0, |d| d.due);

    let sessions = store.session_records(&opts.filter, since, None)?;
    let mock = store.session_records(&opts.filter, since, Some("mock"))?;
    let activity = store
        .activity(&opts.filter, Some(heatmap_start(today)))?
        .into_iter()
        .map(|(day, answers)| ActivityDay { day, answers })
        .collect();

    Ok(Stats {
        today,
        since,
        cards: totals,
        reviews,
        retention: {
            let r = store.retention(&opts.filter, since)?;
            Retention {
                young: r.young.into(),
                mature: r.mature.into(),
            }
        },
        streak: Streak { current, longest },
        due_today,
        weakest_topic,
        topics,
        forecast,
        weakest: weakest(&cards, opts.limit),
        sessions: sessions
            .iter()
            .rev()
            .take(opts.limit)
            .map(Into::into)
            .collect(),
        mock: mock.iter().rev().take(opts.limit).map(Into::into).collect(),
        activity,
    })
}

/// Cards due on each of the next [`FORECAST_DAYS`] days; overdue cards count today.
pub fn forecast(cards: &[CardRecord], today: StudyDay) -> Vec<ForecastDay> {
    let mut counts = [0u64; FORECAST_DAYS];
    for s in cards
        .iter()
        .filter(|c| !c.retired)
        .filter_map(|c| c.schedule.as_ref())
    {
        let offset = today.days_until(s.due).max(0);
        if let Some(slot) = usize::try_from(offset).ok().and_then(|i| counts.get_mut(i)) {
            *slot += 1;
        }
    }
    counts
        .iter()
        .enumerate()
        .map(|(i, &due)| ForecastDay {
            day: today.plus(i as i64),
            due,
        })
        .collect()
}

/// The cards that hurt most: most lapses, then lowest EF, then lowest accuracy. A card
/// that never lapsed and kept its starting EF is not weak, whatever its accuracy.
pub fn weakest(cards: &[CardRecord], limit: usize) -> Vec<WeakCard> {
    let mut weak: Vec<WeakCard> = cards
        .iter()
        .filter_map(|c| {
            let s = c.schedule.as_ref()?;
            (s.lapses > 0 || s.ef < Ef::INITIAL).then(|| WeakCard {
                card: c.full_id(),
                topic: c.topic.to_string(),
                question: question_line(&c.body),
                lapses: s.lapses,
                ef: s.ef,
                interval: s.interval.days(),
                due: s.due,
                answered: c.answered,
                correct: c.correct,
                accuracy: ratio(c.correct, c.answered),
                leech: is_leech(Some(s)),
            })
        })
        .collect();
    weak.sort_by(|a, b| {
        b.lapses
            .cmp(&a.lapses)
            .then(a.ef.cmp(&b.ef))
            .then(
                a.accuracy
                    .unwrap_or(1.0)
                    .total_cmp(&b.accuracy.unwrap_or(1.0)),
            )
            .then_with(|| a.card.cmp(&b.card))
    });
    weak.truncate(limit);
    weak
}

/// The question on one line, for lists.
fn question_line(body: &CardBody) -> String {
    body.question()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
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

    #[test]
    fn heatmap_starts_on_a_monday_25_weeks_back() {
        // 2026-03-07 is a Saturday; its week starts on Monday 2026-03-02.
        let start = heatmap_start(d("2026-03-07"));
        assert_eq!(start, d("2026-03-02").plus(-7 * 25));
        assert_eq!(start.date().weekday(), chrono::Weekday::Mon);
        assert_eq!(heatmap_start(d("2026-03-02")), start);
    }

    #[test]
    fn a_window_of_n_days_ends_today() {
        assert_eq!(
            window_start(d("2026-03-07"), Some(7)),
            Some(d("2026-03-01"))
        );
        assert_eq!(
            window_start(d("2026-03-07"), Some(1)),
            Some(d("2026-03-07"))
        );
        assert_eq!(window_start(d("2026-03-07"), None), None);
    }
}
