//! The figures of `mlsec stats`, computed from the store into one struct that is then
//! printed as tables and pictures ([`view`], [`chart`]) or as JSON.

use chrono::Datelike;
use serde::Serialize;

use crate::clock::StudyDay;
use crate::error::{Error, Result};
use crate::sched::{Ef, Schedule};
use crate::store::report::{KeyRange, MATURE_DAYS, PassCount, SessionOrder, SessionRecord};
use crate::store::{Filter, SessionId, SessionKind, Store};

pub mod chart;
mod fold;
mod streak;
pub mod view;

use fold::Part;
pub use streak::streaks;

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

/// From this many answers on, `compute` reads the two halves of the cards in two threads
/// (on a million answers, about halving the time when a second core is free).
const PARALLEL_FROM: u64 = 100_000;

pub fn compute(store: &Store, opts: &Options) -> Result<Stats> {
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let reader = if two_cores && store.answers_estimate()? >= PARALLEL_FROM {
        store.reader()?
    } else {
        None
    };
    compute_with(store, opts, reader)
}

/// [`compute`], reading half of the cards through `reader` in a second thread if given.
fn compute_with(store: &Store, opts: &Options, reader: Option<Store>) -> Result<Stats> {
    let today = opts.today;
    let since = window_start(today, opts.days);
    let part = match reader {
        Some(reader) => {
            let [mine, theirs] = store.key_halves()?;
            std::thread::scope(|s| {
                let other = s.spawn(move || Part::read(&reader, opts, since, theirs));
                let part = Part::read(store, opts, since, mine);
                let other = other
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                Ok::<_, Error>(part?.merge(other?))
            })?
        }
        None => Part::read(store, opts, since, KeyRange::ALL)?,
    };

    let mut reviews = ReviewCounts {
        answered: part.reviews.answered,
        correct: part.reviews.correct,
        accuracy: ratio(part.reviews.correct, part.reviews.answered),
        repeats: part.reviews.repeats,
        days: 0,
    };
    reviews.days = part
        .days
        .iter()
        .filter(|(day, _)| since.is_none_or(|s| *day >= s))
        .count() as u64;
    let day_list: Vec<StudyDay> = part.days.iter().map(|(d, _)| *d).collect();
    let (current, longest) = streaks(&day_list, today);

    let mut by_topic = part.topics;
    let mut topics = Vec::new();
    for info in store.topics()? {
        if opts.filter.deck.as_ref().is_some_and(|d| *d != info.deck)
            || (!opts.filter.topics.is_empty() && !opts.filter.topics.contains(&info.id))
        {
            continue;
        }
        let Some(acc) = by_topic.remove(info.deck.as_str(), info.id.as_str()) else {
            continue; // no matching card (e.g. under --tag)
        };
        if acc.cards.is_none() && acc.tally.is_none() {
            continue; // only retired cards, and no history in the window
        }
        let tally = acc.tally.unwrap_or_default();
        topics.push(TopicStats {
            deck: info.deck.to_string(),
            topic: info.id.to_string(),
            name: info.name,
            cards: acc.cards.unwrap_or_default(),
            answered: tally.answered,
            correct: tally.correct,
            accuracy: ratio(tally.correct, tally.answered),
            repeats: tally.repeats,
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

    let forecast = part.due.days();
    let due_today = forecast.first().map_or(0, |d| d.due);
    let repeats_today = store.leftover_repeats(&opts.filter, today)?.len() as u64;

    let latest = |kind: Option<SessionKind>| -> Result<Vec<SessionStats>> {
        let mut out = Vec::new();
        store.each_session(
            &opts.filter,
            since,
            kind,
            SessionOrder::Latest(opts.limit),
            |s| {
                out.push(SessionStats::from(&s));
                Ok(())
            },
        )?;
        Ok(out)
    };
    let start = heatmap_start(today);
    let activity = part
        .days
        .iter()
        .filter(|(day, _)| *day >= start)
        .map(|&(day, answers)| ActivityDay { day, answers })
        .collect();

    Ok(Stats {
        today,
        since,
        cards: part.cards,
        reviews,
        retention: Retention {
            young: part.retention.young.into(),
            mature: part.retention.mature.into(),
        },
        streak: Streak { current, longest },
        due_today,
        repeats_today,
        weakest_topic,
        topics,
        forecast,
        weakest: part.weak.finish(store)?,
        sessions: latest(None)?,
        mock: latest(Some(SessionKind::Mock))?,
        activity,
    })
}

#[cfg(test)]
mod tests {
    use chrono::{Local, TimeZone};

    use super::*;
    use crate::sched::{self, Interval, Quality};
    use crate::store::NewReview;

    /// A store in a file (a second connection needs one): twelve cards over three
    /// topics answered on most of 21 days with misses and repeats, a mock interview each
    /// week, and a retired card.
    fn answered_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db"), false).unwrap();
        let deck = |n: usize| {
            let mut text = String::from("[deck]\nid = \"d\"\nname = \"D\"\n");
            for t in ["a", "b", "c"] {
                text += &format!("[[topic]]\nid = \"{t}\"\nname = \"T{t}\"\n");
            }
            for i in 0..n {
                text += &format!(
                    "[[card]]\nid = \"k{i:02}\"\nkind = \"choice\"\ntopic = \"{}\"\nquestion = \"Q{i}?\"\n\
                     answer = \"A\"\n[[card.option]]\ntext = \"yes\"\n[[card.option]]\ntext = \"no\"\n",
                    ["a", "b", "c"][i % 3]
                );
            }
            crate::deck::parse_toml("d.toml", &text).unwrap()
        };
        let now = Local
            .with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
            .earliest()
            .unwrap();
        store.import(&[(&deck(12), "d.toml")], now, false).unwrap();
        let keys = store.new_cards(&Filter::default(), 100).unwrap();
        for day in 0..21usize {
            let on = d("2026-03-01").plus(day as i64);
            let kind = if day % 7 == 6 {
                SessionKind::Mock
            } else {
                SessionKind::Review
            };
            let session = store.begin_session(kind, now, on).unwrap();
            for (i, &card) in keys.iter().enumerate() {
                if (i + day) % 3 == 0 {
                    continue;
                }
                let q = Quality::try_from(((i * 7 + day * 3) % 6) as i64).unwrap();
                for (repeat, q) in [(false, q), (true, Quality::CORRECT)] {
                    let review = NewReview {
                        card,
                        session,
                        at: now,
                        day: on,
                        repeat,
                        chosen: Some("A"),
                        correct: q.passes(),
                        quality: q,
                        elapsed_ms: 10,
                    };
                    store
                        .record_answer(&review, |prev| sched::grade(prev, q, on))
                        .unwrap();
                    if !q.needs_repeat() {
                        break;
                    }
                }
            }
        }
        store.import(&[(&deck(11), "d.toml")], now, false).unwrap();
        (dir, store)
    }

    #[test]
    fn two_threads_add_up_to_what_one_computes() {
        let (_dir, store) = answered_store();
        for (days, limit) in [(None, 3), (Some(9), 20), (None, 0)] {
            let opts = Options {
                filter: Filter::default(),
                today: d("2026-03-22"),
                days,
                limit,
            };
            let one = compute_with(&store, &opts, None).unwrap();
            let two = compute_with(&store, &opts, store.reader().unwrap()).unwrap();
            let (one, two) = (
                serde_json::to_value(&one).unwrap(),
                serde_json::to_value(&two).unwrap(),
            );
            assert_eq!(one, two, "--days {days:?} --limit {limit}");
            // Figures that a wrong merge would get wrong are there to compare.
            assert_eq!(one["topics"].as_array().unwrap().len(), 3);
            assert!(one["retention"]["young"]["due"].as_u64().unwrap() > 0);
            assert!(one["streak"]["longest"].as_u64().unwrap() >= 9);
            assert_eq!(one["weakest"].as_array().unwrap().len(), limit.min(11));
            assert_eq!(one["mock"].as_array().unwrap().is_empty(), limit == 0);
        }
    }

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
