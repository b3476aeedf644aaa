//! The store side of `mlsec mock`: the candidate pool with each card's track record,
//! mock answers that leave EF and intervals alone, the classify drill, and past scores.

use chrono::{DateTime, Local};
use rusqlite::types::Value as SqlValue;
use rusqlite::{TransactionBehavior, params, params_from_iter};
use serde::Serialize;

use super::{
    CardKey, Filter, NewReview, RowMarks, SessionId, SessionKind, Store, insert_review, open,
    schedule_of, timestamp,
};
use crate::clock::StudyDay;
use crate::error::Result;
use crate::sched::{Ef, Interval, Schedule};

/// A card a mock may ask, with what the learner's history says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockCandidate {
    pub key: CardKey,
    /// `deck/topic`: the unit of stratification.
    pub topic: String,
    /// Answers that counted (same-day repeats excluded), in any kind of session.
    pub answered: u32,
    pub correct: u32,
    /// SM-2 lapses (graded reviews below 3).
    pub lapses: u32,
}

/// How a mock chose and timed its questions, stored with its session.
#[derive(Clone, Debug)]
pub struct MockSettings {
    pub planned: usize,
    pub seed: u64,
    /// `weak` or `random`.
    pub weighting: &'static str,
    pub time_limit_secs: Option<u64>,
    pub structure: bool,
}

/// What recording a mock answer did to the card's schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MockRecorded {
    /// The schedule after the answer; `None` for a new card answered right (it stays new).
    pub schedule: Option<Schedule>,
    /// The miss moved the due date forward.
    pub resurfaced: bool,
}

/// One answer to the classify drill.
#[derive(Clone, Debug)]
pub struct NewClassify<'a> {
    pub session: SessionId,
    pub card: CardKey,
    pub at: DateTime<Local>,
    pub day: StudyDay,
    pub expected: &'a str,
    pub chosen: Option<&'a str>,
    pub correct: bool,
    pub over_time: bool,
    pub elapsed_ms: u64,
}

/// The score of an earlier mock.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PastMock {
    pub session: SessionId,
    pub study_day: StudyDay,
    pub answered: u64,
    pub correct: u64,
    pub accuracy: f64,
}

impl Store {
    /// Every card the filter allows, in a stable order (row id), with its record.
    /// Selection is seeded, so the same seed on the same file must see the same list.
    pub fn mock_candidates(&self, filter: &Filter) -> Result<Vec<MockCandidate>> {
        let mut params = Vec::new();
        let cond = filter.sql(&mut params);
        let sql = format!(
            "SELECT c.id, c.deck_id || '/' || c.topic,
                    (SELECT count(*) FROM review r WHERE r.card_id = c.id AND r.repeat = 0),
                    (SELECT count(*) FROM review r WHERE r.card_id = c.id AND r.repeat = 0 AND r.correct = 1),
                    coalesce(s.lapses, 0)
             FROM card c LEFT JOIN schedule s ON s.card_id = c.id
             WHERE c.retired = 0{cond}
             ORDER BY c.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params_from_iter(params), |r| {
                Ok(MockCandidate {
                    key: CardKey(r.get(0)?),
                    topic: r.get(1)?,
                    answered: r.get(2)?,
                    correct: r.get(3)?,
                    lapses: r.get(4)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Start a mock session and store its settings, in one transaction.
    pub fn begin_mock(
        &mut self,
        at: DateTime<Local>,
        day: StudyDay,
        settings: &MockSettings,
    ) -> Result<SessionId> {
        let path = self.path.clone();
        let dberr = |e: rusqlite::Error| open::db_error(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(dberr)?;
        tx.execute(
            "INSERT INTO session (kind, started_at, study_day) VALUES (?1, ?2, ?3)",
            params![SessionKind::Mock, timestamp(at), day],
        )
        .map_err(dberr)?;
        let session = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO mock (session_id, planned, seed, weighting, time_limit, structure)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                session,
                i64::try_from(settings.planned).unwrap_or(i64::MAX),
                // SQLite integers are signed: keep the seed's bits.
                settings.seed as i64,
                settings.weighting,
                settings
                    .time_limit_secs
                    .map(|s| i64::try_from(s).unwrap_or(i64::MAX)),
                settings.structure,
            ],
        )
        .map_err(dberr)?;
        tx.commit().map_err(dberr)?;
        Ok(SessionId(session))
    }

    /// Record a mock answer in one transaction. EF, interval and repetitions never
    /// change; a miss makes the card due on `resurface_on` (the next study day) if it
    /// was due later, and a new card that was missed gets a first schedule due then, so
    /// it comes back in that day's `review`. `review.quality` is stored as given.
    pub fn record_mock_answer(
        &mut self,
        review: &NewReview<'_>,
        over_time: bool,
        resurface_on: StudyDay,
    ) -> Result<MockRecorded> {
        let path = self.path.clone();
        let dberr = |e: rusqlite::Error| open::db_error(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(dberr)?;
        let before = schedule_of(&tx, review.card).map_err(dberr)?;
        let mut resurfaced = false;
        if !review.correct {
            resurfaced = before.is_none_or(|s| s.due > resurface_on);
            tx.execute(
                "INSERT INTO schedule (card_id, repetitions, ef, interval, due, lapses, introduced)
                 VALUES (?1, 0, ?2, ?3, ?4, 0, ?5)
                 ON CONFLICT (card_id) DO UPDATE SET due = min(due, excluded.due)",
                params![
                    review.card.0,
                    Ef::INITIAL,
                    Interval::NONE,
                    resurface_on,
                    review.day
                ],
            )
            .map_err(dberr)?;
        }
        let after = schedule_of(&tx, review.card).map_err(dberr)?;
        // The review row keeps the schedule after the answer, as for any review; a card
        // that stays new is stored with the initial state, due today.
        let snapshot = after.unwrap_or(Schedule {
            repetitions: 0,
            ef: Ef::INITIAL,
            interval: Interval::NONE,
            due: review.day,
            lapses: 0,
        });
        let marks = RowMarks {
            over_time,
            ..RowMarks::default()
        };
        insert_review(&tx, review, &snapshot, marks).map_err(dberr)?;
        tx.commit().map_err(dberr)?;
        Ok(MockRecorded {
            schedule: after,
            resurfaced,
        })
    }

    /// Record one answer of the classify drill.
    pub fn record_classify(&mut self, c: &NewClassify<'_>) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO classify (session_id, card_id, answered_at, study_day, expected, chosen,
                                       correct, over_time, elapsed_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    c.session.0,
                    c.card.0,
                    timestamp(c.at),
                    c.day,
                    c.expected,
                    c.chosen,
                    c.correct,
                    c.over_time,
                    i64::try_from(c.elapsed_ms).unwrap_or(i64::MAX),
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Scores of the mocks before `before` (all of them when `None`) that recorded an
    /// answer, oldest first, at most `limit` (the most recent ones).
    pub fn past_mocks(&self, before: Option<SessionId>, limit: usize) -> Result<Vec<PastMock>> {
        let mut params = vec![SqlValue::Integer(before.map_or(i64::MAX, |s| s.0))];
        params.push(SqlValue::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        params.push(SqlValue::Text(SessionKind::Mock.to_string()));
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, study_day, answered, correct FROM (
                    SELECT se.id, se.study_day, count(*) AS answered, sum(r.correct) AS correct
                    FROM session se JOIN review r ON r.session_id = se.id
                    WHERE se.kind = ?3 AND se.id < ?1 AND r.repeat = 0
                    GROUP BY se.id ORDER BY se.id DESC LIMIT ?2)
                 ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params_from_iter(params), |r| {
                let answered: i64 = r.get(2)?;
                let correct: i64 = r.get(3)?;
                Ok(PastMock {
                    session: SessionId(r.get(0)?),
                    study_day: r.get(1)?,
                    answered: u64::try_from(answered).unwrap_or(0),
                    correct: u64::try_from(correct).unwrap_or(0),
                    accuracy: correct as f64 / answered.max(1) as f64,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}
