//! How the figures of `mlsec stats` are computed: one pass over the history and the
//! cards of the filter ([`super::fold`]), in two threads on a long history, then the
//! topics, sessions and pictures' days around it.

use chrono::Datelike;

use super::fold::{Part, TopicTable};
use super::{
    ActivityDay, HEATMAP_WEEKS, Query, Retention, ReviewCounts, SessionStats, Stats, Streak,
    TopicStats, ratio, streaks,
};
use crate::clock::StudyDay;
use crate::error::{Error, Result};
use crate::session::{self, NEW_PER_DAY, Next};
use crate::store::answers::SessionOrder;
use crate::store::history::Tally;
use crate::store::{Filter, KeyRange, SessionKind, Store};

/// A topic needs this many graded answers before it can be called the weakest.
const MIN_ANSWERS_FOR_WEAKEST: u64 = 5;

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

/// The figures of `query`.
pub fn compute(store: &Store, query: &Query) -> Result<Stats> {
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let reader = if two_cores && store.answers_estimate()? >= PARALLEL_FROM {
        store.reader()?
    } else {
        None
    };
    compute_with(store, query, reader)
}

/// [`compute`], reading half of the cards through `reader` in a second thread if given.
fn compute_with(store: &Store, query: &Query, reader: Option<Store>) -> Result<Stats> {
    let today = query.today;
    let since = window_start(today, query.days);
    let part = read(store, query, since, reader)?;
    let topics = topics(store, &query.filter, part.topics)?;
    let forecast = part.due.days();
    let due_today = forecast.first().map_or(0, |d| d.due);
    let repeats_today = store.leftover_repeats(&query.filter, today)?.len() as u64;
    Ok(Stats {
        today,
        since,
        cards: part.cards,
        reviews: review_counts(part.reviews, &part.days, since),
        retention: Retention {
            young: part.retention.young.into(),
            mature: part.retention.mature.into(),
        },
        streak: streak(&part.days, today),
        due_today,
        repeats_today,
        weakest_topic: weakest_topic(&topics),
        topics,
        forecast,
        weakest: part.weak.finish(store)?,
        sessions: latest_sessions(store, query, since, None)?,
        mock: latest_sessions(store, query, since, Some(SessionKind::Mock))?,
        activity: activity(&part.days, today),
        rubric_misses: super::rubric::rubric_misses(store, query)?,
        plan: crate::plan::readiness(store, today)?,
        next: next(
            store,
            &query.filter,
            today,
            due_today > 0 || repeats_today > 0,
        )?,
    })
}

/// The figures of every card of the query: the two halves of the cards at once, the
/// second through `reader` in another thread, or all of them here.
fn read(
    store: &Store,
    query: &Query,
    since: Option<StudyDay>,
    reader: Option<Store>,
) -> Result<Part> {
    let Some(reader) = reader else {
        return Part::read(store, query, since, KeyRange::ALL);
    };
    let [mine, theirs] = store.key_halves()?;
    std::thread::scope(|s| {
        let other = s.spawn(move || Part::read(&reader, query, since, theirs));
        let part = Part::read(store, query, since, mine);
        let other = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok::<_, Error>(part?.merge(other?))
    })
}

/// Graded answers and repeats in the window, and the study days with an answer in it.
fn review_counts(tally: Tally, days: &[(StudyDay, u64)], since: Option<StudyDay>) -> ReviewCounts {
    ReviewCounts {
        answered: tally.answered,
        correct: tally.correct,
        accuracy: ratio(tally.correct, tally.answered),
        repeats: tally.repeats,
        days: days
            .iter()
            .filter(|(day, _)| since.is_none_or(|s| *day >= s))
            .count() as u64,
    }
}

/// Streaks over every study day with an answer, whatever the window.
fn streak(days: &[(StudyDay, u64)], today: StudyDay) -> Streak {
    let day_list: Vec<StudyDay> = days.iter().map(|(d, _)| *d).collect();
    let (current, longest) = streaks(&day_list, today);
    Streak { current, longest }
}

/// The topics of the filter in the store's order, each with its cards and answers;
/// a topic with no matching card, or with only retired cards and no history in the
/// window, is left out.
fn topics(store: &Store, filter: &Filter, mut by_topic: TopicTable) -> Result<Vec<TopicStats>> {
    let mut topics = Vec::new();
    for info in store.topics()? {
        if filter.deck.as_ref().is_some_and(|d| *d != info.deck)
            || (!filter.topics.is_empty() && !filter.topics.contains(&info.id))
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
    Ok(topics)
}

/// The topic with the lowest accuracy among those with enough graded answers and at
/// least one miss.
fn weakest_topic(topics: &[TopicStats]) -> Option<String> {
    topics
        .iter()
        .filter(|t| t.answered >= MIN_ANSWERS_FOR_WEAKEST && t.correct < t.answered)
        .min_by(|a, b| {
            let (x, y) = (a.accuracy.unwrap_or(1.0), b.accuracy.unwrap_or(1.0));
            x.total_cmp(&y)
        })
        .map(|t| t.topic.clone())
}

/// The latest sessions in the window (only those of `kind` when given), newest first.
fn latest_sessions(
    store: &Store,
    query: &Query,
    since: Option<StudyDay>,
    kind: Option<SessionKind>,
) -> Result<Vec<SessionStats>> {
    let mut out = Vec::new();
    store.each_session(
        &query.filter,
        since,
        kind,
        SessionOrder::Latest(query.limit),
        |s| {
            out.push(SessionStats::from(&s));
            Ok(())
        },
    )?;
    Ok(out)
}

/// Answers per day in the heatmap's weeks.
fn activity(days: &[(StudyDay, u64)], today: StudyDay) -> Vec<ActivityDay> {
    let start = heatmap_start(today);
    days.iter()
        .filter(|(day, _)| *day >= start)
        .map(|&(day, answers)| ActivityDay { day, answers })
        .collect()
}

/// What to run next for the filter's cards: the same answer as the dashboard's and a
/// session summary's ([`session::what_next`]), for a plain study at the default limit.
fn next(
    store: &Store,
    filter: &Filter,
    today: StudyDay,
    review_waiting: bool,
) -> Result<Option<Next>> {
    let share = crate::plan::session_share(store, today, NEW_PER_DAY)?;
    session::what_next(
        store,
        filter,
        share.as_ref(),
        NEW_PER_DAY,
        today,
        review_waiting,
    )
}

#[cfg(test)]
mod tests {
    use chrono::{Local, TimeZone};

    use super::*;
    use crate::sched::{self, Quality};
    use crate::store::{Filter, NewReview};

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
            crate::import::parse_toml("d.toml", &text).unwrap()
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
                        rubric: None,
                        answer_text: None,
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
            let query = Query {
                filter: Filter::default(),
                today: d("2026-03-22"),
                days,
                limit,
            };
            let one = compute_with(&store, &query, None).unwrap();
            let two = compute_with(&store, &query, store.reader().unwrap()).unwrap();
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
