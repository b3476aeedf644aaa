//! One pass over every answer of the filtered cards, in card and answer order, that
//! yields what `mlsec stats` and the card export need from the history: each card's
//! graded answers, retention, and answers per study day.
//!
//! The pass reads the `review_history` index of migration 004 and nothing else: per
//! answer the card, one packed integer (study day, due day, interval, quality, correct,
//! repeat) and, only when mock interviews exist, the session, and only when final-pass
//! answers exist (migration 007), the answer's id. On a million answers that
//! is a fraction of what the equivalent SQL (a window function for the previous
//! interval, GROUP BYs over a join with the card) costs, and memory stays at one entry
//! per card and per day.

use chrono::{Datelike, NaiveDate};
use rusqlite::params_from_iter;
use rusqlite::types::Value as SqlValue;

use super::answers::KeyMap;
use crate::clock::StudyDay;
use crate::error::{Error, Result};
use crate::sched::Quality;
use crate::store::{CardKey, Filter, KeyRange, SessionKind, Store};

/// The third column of the `review_history` index, spelled as in migration 004: SQLite
/// reads it from the index only when the query's expression is the same.
const PACKED: &str = "(max(0, min(8388607, CAST(julianday(study_day) AS INTEGER))) << 40)
        | (max(0, min(8388607, CAST(julianday(due) AS INTEGER))) << 17)
        | (max(0, min(4095, interval)) << 5)
        | (quality << 2) | (correct << 1) | repeat";

/// Julian day number of 0001-01-01 minus one: chrono counts days from there.
const JULIAN_CE_OFFSET: i64 = 1_721_424;

/// A study day as the Julian day number SQLite's `julianday()` gives (truncated).
pub(super) fn julian(day: StudyDay) -> i64 {
    i64::from(day.date().num_days_from_ce()) + JULIAN_CE_OFFSET
}

fn from_julian(jd: i64) -> Option<StudyDay> {
    let days = i32::try_from(jd - JULIAN_CE_OFFSET).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days).map(StudyDay::new)
}

/// One review as packed in the index.
#[derive(Clone, Copy)]
struct Packed(i64);

impl Packed {
    fn repeat(self) -> bool {
        self.0 & 1 != 0
    }
    fn correct(self) -> bool {
        self.0 >> 1 & 1 != 0
    }
    fn quality(self) -> i64 {
        self.0 >> 2 & 0b111
    }
    /// The interval after the answer, capped at 4095 days.
    fn interval(self) -> i64 {
        self.0 >> 5 & 0xfff
    }
    fn due(self) -> i64 {
        self.0 >> 17 & 0x7f_ffff
    }
    fn day(self) -> i64 {
        self.0 >> 40 & 0x7f_ffff
    }
}

/// Graded reviews of cards that were due, and how many of them passed (q ≥ 3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PassCount {
    pub due: u64,
    pub passed: u64,
}

/// Retention split by the interval the card had before the review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetentionCounts {
    /// Previous interval under [`MATURE_DAYS`] days.
    pub young: PassCount,
    /// Previous interval of [`MATURE_DAYS`] days or more.
    pub mature: PassCount,
}

/// An interval from which a card counts as mature (Anki's threshold).
pub const MATURE_DAYS: i64 = 21;

/// Graded answers and same-day repeats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub answered: u64,
    pub correct: u64,
    pub repeats: u64,
}

/// What the history says about one card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CardHistory {
    /// Graded answers over all history (mock interviews apart).
    pub answered: u64,
    pub correct: u64,
    pub last_answered: Option<StudyDay>,
    /// Graded answers and repeats (mock interviews apart) in the window.
    pub window: Tally,
}

/// The history of the filtered cards.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Cards with at least one answer, by key.
    cards: Vec<(CardKey, CardHistory)>,
    /// Retention in the window (see [`Store::history`]).
    pub retention: RetentionCounts,
    /// Answers of any kind (repeats, mock interviews and final passes included) per
    /// study day over all history, oldest first: the activity heatmap and the streaks.
    pub days: Vec<(StudyDay, u64)>,
}

impl History {
    /// The card's history; `None` when it was never answered.
    pub fn card(&self, key: CardKey) -> Option<&CardHistory> {
        self.cards
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .and_then(|i| self.cards.get(i))
            .map(|(_, h)| h)
    }
}

/// The card being read and its previous graded answer.
struct Current {
    key: CardKey,
    history: CardHistory,
    last: i64,
    /// Interval and due day after the previous graded answer.
    previous: Option<(i64, i64)>,
}

impl Current {
    fn new(key: CardKey) -> Current {
        Current {
            key,
            history: CardHistory::default(),
            last: 0,
            previous: None,
        }
    }

    fn finish(mut self) -> (CardKey, CardHistory) {
        if self.history.answered > 0 {
            self.history.last_answered = from_julian(self.last);
        }
        (self.key, self.history)
    }
}

/// What the pass's query reads besides the card and the packed answer: the session
/// when mock interviews have to be told apart, the answer's id when final passes do.
#[derive(Clone, Copy, Debug, Default)]
struct Extra {
    session: bool,
    id: bool,
}

/// The pass's query: answers in card and answer order, read from the review_history
/// index alone.
fn history_sql(
    filter: &Filter,
    range: KeyRange,
    extra: Extra,
    params: &mut Vec<SqlValue>,
) -> String {
    let mut cond = range.sql("card_id", params);
    let card_cond = filter.sql(params);
    if !card_cond.is_empty() {
        cond.push_str(&format!(
            " AND card_id IN (SELECT c.id FROM card c WHERE 1 = 1{card_cond})"
        ));
    }
    let session = if extra.session { ", session_id" } else { "" };
    let id = if extra.id { ", id" } else { "" };
    format!(
        "SELECT card_id, {PACKED}{session}{id} FROM review WHERE 1 = 1{cond} ORDER BY card_id, id"
    )
}

impl Store {
    /// The history of the filtered cards, retired ones included. `since` opens the
    /// window of [`CardHistory::window`] and of retention; each card's totals and the
    /// day list always cover everything.
    ///
    /// "Graded" answers are first answers of a day in study and review sessions
    /// (`repeat = 0`, mock interviews and final passes apart). Retention counts graded
    /// answers in the
    /// window of cards that were due: the card had a graded answer before (looked up over
    /// all history, so a window does not make its first review a new card's) and that
    /// answer's due day had come; young and mature apart by that answer's interval.
    pub fn history(
        &self,
        filter: &Filter,
        since: Option<StudyDay>,
        range: KeyRange,
    ) -> Result<History> {
        let mocks = self.mock_sessions()?;
        let finals = self.final_pass_answers()?;
        let extra = Extra {
            session: !mocks.is_empty(),
            id: !finals.is_empty(),
        };
        let id_column = if extra.session { 3 } else { 2 };
        let mut params = Vec::new();
        let sql = history_sql(filter, range, extra, &mut params);
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params_from_iter(params))
            .map_err(|e| self.err(e))?;

        let since = since.map_or(i64::MIN, julian);
        let mut out = History::default();
        let mut days: KeyMap<u64> = KeyMap::default();
        let mut current: Option<Current> = None;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let key = CardKey(row.get(0).map_err(|e| self.err(e))?);
            let packed = match row.get::<_, Option<i64>>(1).map_err(|e| self.err(e))? {
                Some(p) => Packed(p),
                None => return Err(self.unreadable_dates()),
            };
            let card = match current.take() {
                Some(c) if c.key == key => current.insert(c),
                other => {
                    out.cards.extend(other.map(Current::finish));
                    current.insert(Current::new(key))
                }
            };
            let day = packed.day();
            *days.entry(day).or_default() += 1;
            if !mocks.is_empty() {
                let session: i64 = row.get(2).map_err(|e| self.err(e))?;
                if mocks.binary_search(&session).is_ok() {
                    continue; // scored apart: neither graded nor a repeat
                }
            }
            if !finals.is_empty() {
                let id: i64 = row.get(id_column).map_err(|e| self.err(e))?;
                if finals.binary_search(&id).is_ok() {
                    continue; // like a mock's: neither graded nor a repeat
                }
            }
            let in_window = day >= since;
            if packed.repeat() {
                card.history.window.repeats += u64::from(in_window);
                continue;
            }
            let h = &mut card.history;
            h.answered += 1;
            h.correct += u64::from(packed.correct());
            card.last = card.last.max(day);
            if in_window {
                h.window.answered += 1;
                h.window.correct += u64::from(packed.correct());
                if let Some((interval, _)) = card.previous.filter(|&(_, due)| due <= day) {
                    let slot = if interval >= MATURE_DAYS {
                        &mut out.retention.mature
                    } else {
                        &mut out.retention.young
                    };
                    slot.due += 1;
                    slot.passed +=
                        u64::from(packed.quality() >= i64::from(Quality::PASS_FROM.value()));
                }
            }
            card.previous = Some((packed.interval(), packed.due()));
        }
        out.cards.extend(current.map(Current::finish));

        let mut days: Vec<(i64, u64)> = days.into_iter().collect();
        days.sort_unstable();
        out.days = days
            .into_iter()
            .map(|(jd, n)| from_julian(jd).map(|d| (d, n)))
            .collect::<Option<_>>()
            .ok_or_else(|| self.unreadable_dates())?;
        Ok(out)
    }

    /// Ids of mock-interview sessions, ascending.
    fn mock_sessions(&self) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM session WHERE kind = ?1 ORDER BY id")
            .map_err(|e| self.err(e))?;
        let ids = stmt
            .query_map([SessionKind::Mock], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(ids)
    }

    /// Ids of final-pass answers, ascending (from the partial index of migration 007).
    fn final_pass_answers(&self) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM review WHERE final_pass_for IS NOT NULL ORDER BY id")
            .map_err(|e| self.err(e))?;
        let ids = stmt
            .query_map([], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(ids)
    }

    fn unreadable_dates(&self) -> Error {
        Error::Database {
            path: self.path.clone(),
            message: "an answer has a study day or due day that is not a date (YYYY-MM-DD); \
                      the file was changed outside mlsec: restore it from a backup"
                .into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The steps of a query's plan, one per line.
    fn plan(store: &Store, sql: &str, params: Vec<SqlValue>) -> String {
        let mut stmt = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let rows = stmt
            .query_map(params_from_iter(params), |r| r.get::<_, String>(3))
            .unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn the_pass_reads_the_index_alone_in_its_order() {
        let store = Store::open_in_memory().unwrap();
        let topic = Filter {
            topics: vec![crate::deck::TopicId::new("t")],
            ..Filter::default()
        };
        let half = KeyRange { first: 1, last: 50 };
        for (filter, range, session, id) in [
            (&Filter::default(), KeyRange::ALL, false, false),
            (&Filter::default(), half, true, true),
            (&topic, KeyRange::ALL, true, false),
            (&topic, half, false, true),
        ] {
            let mut params = Vec::new();
            let sql = history_sql(filter, range, Extra { session, id }, &mut params);
            let plan = plan(&store, &sql, params);
            assert!(
                plan.contains("COVERING INDEX review_history") && !plan.contains("TEMP B-TREE"),
                "{sql}\n{plan}"
            );
        }
    }

    #[test]
    fn julian_days_match_sqlite() {
        let store = Store::open_in_memory().unwrap();
        for text in [
            "0001-01-01",
            "1970-01-01",
            "2000-02-29",
            "2026-02-27",
            "2026-03-01",
            "9999-12-31",
        ] {
            let day = StudyDay::parse(text).unwrap();
            let sqlite: i64 = store
                .conn
                .query_row("SELECT CAST(julianday(?1) AS INTEGER)", [text], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(julian(day), sqlite, "{text}");
            assert_eq!(from_julian(sqlite), Some(day), "{text}");
        }
    }

    #[test]
    fn the_packed_column_decodes_to_the_row_and_comes_from_the_index() {
        let store = Store::open_in_memory().unwrap();
        let c = &store.conn;
        c.execute_batch(
            "INSERT INTO deck (id, name, source, updated_at) VALUES ('d', 'D', 'x', 'x');
             INSERT INTO card (id, deck_id, slug, topic, kind, body, position)
                 VALUES (1, 'd', 'a', 't', 'choice', '{}', 0);
             INSERT INTO session (id, kind, started_at, study_day) VALUES (1, 'study', 'x', '2026-03-01');
             INSERT INTO review (card_id, session_id, reviewed_at, study_day, repeat, chosen, correct,
                                 quality, elapsed_ms, repetitions, ef, interval, due)
             VALUES (1, 1, 'x', '2026-03-01', 1, 'A', 1, 5, 0, 3, 250, 36500, '9999-12-31'),
                    (1, 1, 'x', '1999-12-31', 0, 'B', 0, 0, 0, 0, 130, 21, '2000-01-21');",
        )
        .unwrap();
        let sql = history_sql(
            &Filter::default(),
            KeyRange::ALL,
            Extra::default(),
            &mut Vec::new(),
        );
        let rows: Vec<i64> = c
            .prepare(&sql)
            .unwrap()
            .query_map([], |r| r.get(1))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let (a, b) = (Packed(rows[0]), Packed(rows[1]));
        assert!(a.repeat() && a.correct());
        assert_eq!((a.quality(), a.interval()), (5, 4095), "interval capped");
        assert_eq!(from_julian(a.day()), StudyDay::parse("2026-03-01"));
        assert_eq!(from_julian(a.due()), StudyDay::parse("9999-12-31"));
        assert!(!b.repeat() && !b.correct());
        assert_eq!((b.quality(), b.interval()), (0, 21));
        assert_eq!(from_julian(b.day()), StudyDay::parse("1999-12-31"));
        assert_eq!(from_julian(b.due()), StudyDay::parse("2000-01-21"));
    }
}
