//! The store side of `mlsec plan` (migration 007): the plan itself, what its scope
//! holds, and the final pass: which cards it asks, and its answers, which leave EF,
//! intervals and repetitions alone (as a mock's do, [`super::mock`]).

use chrono::{DateTime, Local};
use rusqlite::types::Value as SqlValue;
use rusqlite::{OptionalExtension, TransactionBehavior, params, params_from_iter};

use super::{
    CardKey, Filter, NewReview, RowMarks, Store, insert_review, open, schedule_of, timestamp,
};
use crate::clock::StudyDay;
use crate::deck::{DeckId, TopicId};
use crate::error::{Error, Result};
use crate::sched::Schedule;

/// The plan as stored.
#[derive(Clone, Debug)]
pub struct StoredPlan {
    pub interview: StudyDay,
    /// Its cards: deck, topics and tags (never `within`/`except`).
    pub scope: Filter,
}

/// What a plan's scope holds (live cards only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScopeCounts {
    pub cards: u64,
    /// Cards with a schedule: answered in a study or review session, or missed in a mock.
    pub introduced: u64,
    /// Cards whose last graded answer passed (q ≥ 3). SM-2 keeps exactly that as
    /// `repetitions > 0`: a pass adds one, a lapse resets it to 0, and nothing else
    /// (repeats, mocks, final passes) touches it.
    pub passed: u64,
    /// Cards introduced on the day asked for.
    pub introduced_on_day: u64,
}

impl ScopeCounts {
    pub fn unseen(&self) -> u64 {
        self.cards.saturating_sub(self.introduced)
    }
}

/// What recording a final-pass answer did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FinalPassRecorded {
    /// The card's schedule after the answer: SM-2's state as it was, the due day maybe
    /// earlier.
    pub schedule: Schedule,
    /// The miss moved the due day forward.
    pub resurfaced: bool,
}

fn strings(json: &str) -> Option<Vec<String>> {
    serde_json::from_str(json).ok()
}

impl Store {
    /// The interview plan, if one is set.
    pub fn plan(&self) -> Result<Option<StoredPlan>> {
        let row: Option<(StudyDay, Option<DeckId>, String, String)> = self
            .conn
            .query_row(
                "SELECT interview, deck, topics, tags FROM plan WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((interview, deck, topics, tags)) = row else {
            return Ok(None);
        };
        let (Some(topics), Some(tags)) = (strings(&topics), strings(&tags)) else {
            return Err(Error::Database {
                path: self.path.clone(),
                message: "the interview plan's scope is unreadable; set the plan again with `mlsec plan DATE`".into(),
            });
        };
        Ok(Some(StoredPlan {
            interview,
            scope: Filter {
                deck,
                topics: topics.into_iter().map(TopicId::new).collect(),
                tags,
                ..Filter::default()
            },
        }))
    }

    /// Set the plan, replacing any other.
    pub fn set_plan(
        &mut self,
        interview: StudyDay,
        scope: &Filter,
        at: DateTime<Local>,
    ) -> Result<()> {
        let topics: Vec<&str> = scope.topics.iter().map(TopicId::as_str).collect();
        let json = |v: &[&str]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        let tags: Vec<&str> = scope.tags.iter().map(String::as_str).collect();
        self.conn
            .execute(
                "INSERT INTO plan (id, interview, deck, topics, tags, set_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET interview = excluded.interview, deck = excluded.deck,
                    topics = excluded.topics, tags = excluded.tags, set_at = excluded.set_at",
                params![
                    interview,
                    scope.deck,
                    json(&topics),
                    json(&tags),
                    timestamp(at)
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Remove the plan; false when there was none.
    pub fn clear_plan(&mut self) -> Result<bool> {
        let n = self
            .conn
            .execute("DELETE FROM plan", [])
            .map_err(|e| self.err(e))?;
        Ok(n > 0)
    }

    /// What the live cards of `scope` hold, and how many were introduced on `day`.
    pub fn scope_counts(&self, scope: &Filter, day: StudyDay) -> Result<ScopeCounts> {
        let mut params = vec![SqlValue::Text(day.to_string())];
        let cond = scope.sql(&mut params);
        let sql = format!(
            "SELECT count(*), count(s.card_id), coalesce(sum(s.repetitions > 0), 0),
                    coalesce(sum(s.introduced = ?1), 0)
             FROM card c LEFT JOIN schedule s ON s.card_id = c.id
             WHERE c.retired = 0{cond}"
        );
        let counts: [i64; 4] = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut s| {
                s.query_row(params_from_iter(params), |r| {
                    Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
                })
            })
            .map_err(|e| self.err(e))?;
        let [cards, introduced, passed, introduced_on_day] =
            counts.map(|n| u64::try_from(n).unwrap_or(0));
        Ok(ScopeCounts {
            cards,
            introduced,
            passed,
            introduced_on_day,
        })
    }

    /// The final pass's cards: introduced cards of `filter` that SM-2 will not show
    /// again before the interview (due on `interview` or later) and that have had no
    /// answer of any kind since `from`, the first day of the pass. The shakiest (lowest
    /// EF) first, then in deck order.
    pub fn final_pass_cards(
        &self,
        filter: &Filter,
        from: StudyDay,
        interview: StudyDay,
    ) -> Result<Vec<CardKey>> {
        let (sql, params) = final_pass_sql("c.id", filter, from, interview);
        self.keys(
            &format!("{sql} ORDER BY s.ef, c.deck_id, c.position, c.id"),
            params,
        )
    }

    /// How many cards [`Store::final_pass_cards`] would ask.
    pub fn count_final_pass(
        &self,
        filter: &Filter,
        from: StudyDay,
        interview: StudyDay,
    ) -> Result<u64> {
        let (sql, params) = final_pass_sql("count(*)", filter, from, interview);
        self.count(&sql, params)
    }

    /// Has the card had any answer on `from` or later?
    pub fn answered_since(&self, card: CardKey, from: StudyDay) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM review WHERE card_id = ?1 AND study_day >= ?2)",
                params![card.0, from],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Record a final-pass answer for the plan of `interview`: a review row marked with
    /// it, which leaves repetitions, EF and interval as they are. With `resurface_on`
    /// (a miss, and the next day is before the interview) the card becomes due that day
    /// if it was due later.
    pub fn record_final_pass_answer(
        &mut self,
        review: &NewReview<'_>,
        interview: StudyDay,
        resurface_on: Option<StudyDay>,
    ) -> Result<FinalPassRecorded> {
        let path = self.path.clone();
        let dberr = |e: rusqlite::Error| open::db_error(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(dberr)?;
        let Some(before) = schedule_of(&tx, review.card).map_err(dberr)? else {
            return Err(Error::Database {
                path: path.clone(),
                message:
                    "a card of the final pass has no schedule; was the file changed outside mlsec?"
                        .into(),
            });
        };
        let mut schedule = before;
        if let Some(day) = resurface_on.filter(|&d| d < before.due) {
            tx.execute(
                "UPDATE schedule SET due = ?2 WHERE card_id = ?1",
                params![review.card.0, day],
            )
            .map_err(dberr)?;
            schedule.due = day;
        }
        let marks = RowMarks {
            final_pass_for: Some(interview),
            ..RowMarks::default()
        };
        insert_review(&tx, review, &schedule, marks).map_err(dberr)?;
        tx.commit().map_err(dberr)?;
        Ok(FinalPassRecorded {
            schedule,
            resurfaced: schedule.due != before.due,
        })
    }
}

/// `SELECT <what>` over the final pass's cards, with its parameters.
fn final_pass_sql(
    what: &str,
    filter: &Filter,
    from: StudyDay,
    interview: StudyDay,
) -> (String, Vec<SqlValue>) {
    let mut params = vec![
        SqlValue::Text(interview.to_string()),
        SqlValue::Text(from.to_string()),
    ];
    let cond = filter.sql(&mut params);
    let sql = format!(
        "SELECT {what} FROM schedule s JOIN card c ON c.id = s.card_id
         WHERE s.retired = 0 AND s.due >= ?
           AND NOT EXISTS (SELECT 1 FROM review r WHERE r.card_id = s.card_id AND r.study_day >= ?){cond}"
    );
    (sql, params)
}

#[cfg(test)]
mod tests;
