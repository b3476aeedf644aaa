//! The queries behind `mlsec stats` and `mlsec export`: cards with their schedule,
//! answers, sessions and day-by-day activity, each narrowed by a [`Filter`] and, for
//! history, by a first study day (`--days N`).
//!
//! "Graded" answers are the first answer of a card on a study day in a study or review
//! session (`repeat = 0`); same-day repeats and mock interviews never move the schedule,
//! so accuracy and retention count graded answers only (mock scores are listed apart).

use rusqlite::params_from_iter;
use rusqlite::types::Value as SqlValue;

use super::{Filter, SessionId, Store};
use crate::clock::StudyDay;
use crate::deck::{CardBody, CardId, DeckId, TopicId};
use crate::error::{Error, Result};
use crate::sched::{Ef, Interval, Quality, Schedule};

/// A card with its schedule and a summary of its graded answers.
#[derive(Clone, Debug)]
pub struct CardRecord {
    pub deck: DeckId,
    pub deck_name: String,
    pub slug: CardId,
    pub topic: TopicId,
    pub topic_name: String,
    pub tags: Vec<String>,
    pub body: CardBody,
    pub retired: bool,
    /// `None` for a card never graded (new).
    pub schedule: Option<Schedule>,
    pub introduced: Option<StudyDay>,
    pub answered: u64,
    pub correct: u64,
    pub last_answered: Option<StudyDay>,
}

impl CardRecord {
    /// The id scripts see: `deck/card`.
    pub fn full_id(&self) -> String {
        format!("{}/{}", self.deck, self.slug)
    }
}

/// One answer as recorded.
#[derive(Clone, Debug)]
pub struct ReviewRecord {
    pub reviewed_at: String,
    pub study_day: StudyDay,
    pub deck: DeckId,
    pub slug: CardId,
    pub topic: TopicId,
    /// The card's kind: `choice` or `recall`.
    pub kind: String,
    /// Option key in file order, `?` for "I don't know", `None` for a recall card.
    pub chosen: Option<String>,
    pub correct: bool,
    pub quality: Quality,
    pub repeat: bool,
    /// The card's schedule after this answer.
    pub repetitions: i64,
    pub ef: Ef,
    pub interval: Interval,
    pub due: StudyDay,
    pub elapsed_ms: i64,
    pub session: SessionId,
    pub session_kind: String,
}

/// A session with the answers it recorded (on the filtered cards).
#[derive(Clone, Debug)]
pub struct SessionRecord {
    pub id: SessionId,
    pub kind: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub study_day: StudyDay,
    /// Graded answers; for a mock interview, every answer.
    pub answered: u64,
    pub correct: u64,
    /// Same-day repeats (study and review sessions only).
    pub repeats: u64,
    pub elapsed_ms: i64,
}

/// Graded answers of one topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicTally {
    pub deck: DeckId,
    pub topic: TopicId,
    pub answered: u64,
    pub correct: u64,
    pub repeats: u64,
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

/// A card row before its JSON columns are parsed.
struct RawCard {
    deck: DeckId,
    deck_name: String,
    slug: CardId,
    topic: TopicId,
    topic_name: String,
    tags: String,
    body: String,
    retired: bool,
    schedule: Option<Schedule>,
    introduced: Option<StudyDay>,
    answered: u64,
    correct: u64,
    last_answered: Option<StudyDay>,
}

/// An interval from which a card counts as mature (Anki's threshold).
pub const MATURE_DAYS: i64 = 21;

/// `AND <column> >= ?` when there is a first day.
fn since_sql(column: &str, since: Option<StudyDay>, params: &mut Vec<SqlValue>) -> String {
    match since {
        Some(day) => {
            params.push(SqlValue::Text(day.to_string()));
            format!(" AND {column} >= ?")
        }
        None => String::new(),
    }
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl Store {
    /// Cards matching `filter` in deck and file order, with schedule and answer counts.
    /// Retired cards are included only when `retired` is true.
    pub fn card_records(&self, filter: &Filter, retired: bool) -> Result<Vec<CardRecord>> {
        let mut params = Vec::new();
        let cond = filter.sql(&mut params);
        let retired_cond = if retired { "" } else { " AND c.retired = 0" };
        let sql = format!(
            "SELECT c.deck_id, d.name, c.slug, c.topic, coalesce(t.name, c.topic), c.tags, c.body, c.retired,
                    s.repetitions, s.ef, s.interval, s.due, s.lapses, s.introduced,
                    coalesce(h.answered, 0), coalesce(h.correct, 0), h.last
             FROM card c
             JOIN deck d ON d.id = c.deck_id
             LEFT JOIN topic t ON t.deck_id = c.deck_id AND t.id = c.topic
             LEFT JOIN schedule s ON s.card_id = c.id
             LEFT JOIN (SELECT r.card_id, count(*) AS answered, sum(r.correct) AS correct,
                               max(r.study_day) AS last
                        FROM review r JOIN session se ON se.id = r.session_id
                        WHERE r.repeat = 0 AND se.kind <> 'mock'
                        GROUP BY r.card_id) h ON h.card_id = c.id
             WHERE 1 = 1{retired_cond}{cond}
             ORDER BY c.deck_id, c.position"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let raw: Vec<RawCard> = stmt
            .query_map(params_from_iter(params), |r| {
                let repetitions: Option<u32> = r.get(8)?;
                let schedule = match repetitions {
                    Some(repetitions) => Some(Schedule {
                        repetitions,
                        ef: r.get(9)?,
                        interval: r.get(10)?,
                        due: r.get(11)?,
                        lapses: r.get(12)?,
                    }),
                    None => None,
                };
                Ok(RawCard {
                    deck: r.get(0)?,
                    deck_name: r.get(1)?,
                    slug: r.get(2)?,
                    topic: r.get(3)?,
                    topic_name: r.get(4)?,
                    tags: r.get(5)?,
                    body: r.get(6)?,
                    retired: r.get(7)?,
                    schedule,
                    introduced: r.get(13)?,
                    answered: count(r.get(14)?),
                    correct: count(r.get(15)?),
                    last_answered: r.get(16)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        raw.into_iter()
            .map(|raw| {
                let corrupt = |what: &str, e: serde_json::Error| Error::Database {
                    path: self.path.clone(),
                    message: format!(
                        "card {}/{} has unreadable {what} ({e}); re-import its deck",
                        raw.deck, raw.slug
                    ),
                };
                Ok(CardRecord {
                    tags: serde_json::from_str(&raw.tags).map_err(|e| corrupt("tags", e))?,
                    body: serde_json::from_str(&raw.body).map_err(|e| corrupt("content", e))?,
                    deck: raw.deck,
                    deck_name: raw.deck_name,
                    slug: raw.slug,
                    topic: raw.topic,
                    topic_name: raw.topic_name,
                    retired: raw.retired,
                    schedule: raw.schedule,
                    introduced: raw.introduced,
                    answered: raw.answered,
                    correct: raw.correct,
                    last_answered: raw.last_answered,
                })
            })
            .collect()
    }

    /// Every answer on the filtered cards since `since`, oldest first.
    pub fn review_records(
        &self,
        filter: &Filter,
        since: Option<StudyDay>,
    ) -> Result<Vec<ReviewRecord>> {
        let mut params = Vec::new();
        let since_cond = since_sql("r.study_day", since, &mut params);
        let cond = filter.sql(&mut params);
        let sql = format!(
            "SELECT r.reviewed_at, r.study_day, c.deck_id, c.slug, c.topic, c.kind, r.chosen, r.correct,
                    r.quality, r.repeat, r.repetitions, r.ef, r.interval, r.due, r.elapsed_ms,
                    r.session_id, se.kind
             FROM review r
             JOIN card c ON c.id = r.card_id
             JOIN session se ON se.id = r.session_id
             WHERE 1 = 1{since_cond}{cond}
             ORDER BY r.id"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params_from_iter(params), |r| {
                Ok(ReviewRecord {
                    reviewed_at: r.get(0)?,
                    study_day: r.get(1)?,
                    deck: r.get(2)?,
                    slug: r.get(3)?,
                    topic: r.get(4)?,
                    kind: r.get(5)?,
                    chosen: r.get(6)?,
                    correct: r.get(7)?,
                    quality: r.get(8)?,
                    repeat: r.get(9)?,
                    repetitions: r.get(10)?,
                    ef: r.get(11)?,
                    interval: r.get(12)?,
                    due: r.get(13)?,
                    elapsed_ms: r.get(14)?,
                    session: SessionId(r.get(15)?),
                    session_kind: r.get(16)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Sessions since `since` that recorded at least one answer on the filtered cards,
    /// oldest first; only those of `kind` when given. A mock interview never repeats a
    /// card, so all of its answers count as answered.
    pub fn session_records(
        &self,
        filter: &Filter,
        since: Option<StudyDay>,
        kind: Option<&str>,
    ) -> Result<Vec<SessionRecord>> {
        let mut params = Vec::new();
        let since_cond = since_sql("se.study_day", since, &mut params);
        let kind_cond = match kind {
            Some(k) => {
                params.push(SqlValue::Text(k.to_string()));
                " AND se.kind = ?"
            }
            None => "",
        };
        let cond = filter.sql(&mut params);
        let sql = format!(
            "SELECT se.id, se.kind, se.started_at, se.ended_at, se.study_day,
                    sum(r.repeat = 0 OR se.kind = 'mock'),
                    sum((r.repeat = 0 OR se.kind = 'mock') AND r.correct = 1),
                    sum(r.repeat = 1 AND se.kind <> 'mock'),
                    sum(r.elapsed_ms)
             FROM session se
             JOIN review r ON r.session_id = se.id
             JOIN card c ON c.id = r.card_id
             WHERE 1 = 1{since_cond}{kind_cond}{cond}
             GROUP BY se.id
             ORDER BY se.id"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params_from_iter(params), |r| {
                Ok(SessionRecord {
                    id: SessionId(r.get(0)?),
                    kind: r.get(1)?,
                    started_at: r.get(2)?,
                    ended_at: r.get(3)?,
                    study_day: r.get(4)?,
                    answered: count(r.get(5)?),
                    correct: count(r.get(6)?),
                    repeats: count(r.get(7)?),
                    elapsed_ms: r.get(8)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Graded answers per topic since `since` (topics without answers are absent).
    pub fn topic_tallies(
        &self,
        filter: &Filter,
        since: Option<StudyDay>,
    ) -> Result<Vec<TopicTally>> {
        let mut params = Vec::new();
        let since_cond = since_sql("r.study_day", since, &mut params);
        let cond = filter.sql(&mut params);
        let sql = format!(
            "SELECT c.deck_id, c.topic, sum(r.repeat = 0), sum(r.repeat = 0 AND r.correct = 1),
                    sum(r.repeat = 1)
             FROM review r
             JOIN session se ON se.id = r.session_id
             JOIN card c ON c.id = r.card_id
             WHERE se.kind <> 'mock'{since_cond}{cond}
             GROUP BY c.deck_id, c.topic"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params_from_iter(params), |r| {
                Ok(TopicTally {
                    deck: r.get(0)?,
                    topic: r.get(1)?,
                    answered: count(r.get(2)?),
                    correct: count(r.get(3)?),
                    repeats: count(r.get(4)?),
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Retention since `since`: graded reviews of cards that were due (they had a
    /// schedule, and its due day had come), young and mature apart by the interval the
    /// card had before the review. The previous review is looked up over the whole
    /// history, so a window does not turn its first review into a new card's.
    pub fn retention(&self, filter: &Filter, since: Option<StudyDay>) -> Result<RetentionCounts> {
        let mut params = Vec::new();
        let since_cond = since_sql("g.study_day", since, &mut params);
        let cond = filter.sql(&mut params);
        let sql = format!(
            "SELECT g.prev_interval >= {MATURE_DAYS}, count(*), sum(g.quality >= 3)
             FROM (SELECT r.card_id, r.study_day, r.quality,
                          lag(r.interval) OVER w AS prev_interval,
                          lag(r.due) OVER w AS prev_due
                   FROM review r JOIN session se ON se.id = r.session_id
                   WHERE r.repeat = 0 AND se.kind <> 'mock'
                   WINDOW w AS (PARTITION BY r.card_id ORDER BY r.id)) g
             JOIN card c ON c.id = g.card_id
             WHERE g.prev_interval IS NOT NULL AND g.prev_due <= g.study_day{since_cond}{cond}
             GROUP BY 1"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows: Vec<(bool, i64, i64)> = stmt
            .query_map(params_from_iter(params), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        let mut out = RetentionCounts::default();
        for (mature, due, passed) in rows {
            let slot = if mature {
                &mut out.mature
            } else {
                &mut out.young
            };
            *slot = PassCount {
                due: count(due),
                passed: count(passed),
            };
        }
        Ok(out)
    }

    /// Answers of any kind (repeats and mock interviews included) per study day since
    /// `since`, oldest first: what the activity heatmap and the streaks are made of.
    pub fn activity(
        &self,
        filter: &Filter,
        since: Option<StudyDay>,
    ) -> Result<Vec<(StudyDay, u64)>> {
        let mut params = Vec::new();
        let since_cond = since_sql("r.study_day", since, &mut params);
        let cond = filter.sql(&mut params);
        let sql = format!(
            "SELECT r.study_day, count(*)
             FROM review r JOIN card c ON c.id = r.card_id
             WHERE 1 = 1{since_cond}{cond}
             GROUP BY r.study_day
             ORDER BY r.study_day"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params_from_iter(params), |r| {
                Ok((r.get(0)?, count(r.get(1)?)))
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests;
