//! The answers as recorded, for `mlsec export` and the session lists of `mlsec stats`:
//! every answer one at a time ([`Store::each_review`]) and each session's totals
//! ([`Store::each_session`]), narrowed by a [`Filter`] and a first study day
//! (`--days N`). What the history says per card and per day comes from one pass
//! instead ([`super::history`]).
//!
//! "Graded" answers are the first answer of a card on a study day in a study or review
//! session (`repeat = 0`); same-day repeats, mock interviews and a plan's final pass
//! never move the schedule, so accuracy and retention count graded answers only (mock
//! scores are listed apart). A session's totals count its final-pass answers as
//! answered, as a mock's are.
//!
//! Everything that can be long (answers, sessions) is streamed to a callback row by
//! row, never collected: memory may grow with the number of cards (a few bytes each),
//! never with the number of answers.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rusqlite::types::Value as SqlValue;
use rusqlite::{Row, params_from_iter};

use super::{Filter, SessionId, SessionKind, Store};
use crate::clock::StudyDay;
use crate::error::{Error, Result};
use crate::sched::{Ef, Interval, Quality};

/// One answer as recorded, borrowed from the row being read. Days are the stored text
/// (`YYYY-MM-DD`).
#[derive(Clone, Copy, Debug)]
pub struct ReviewRow<'a> {
    pub reviewed_at: &'a str,
    pub study_day: &'a str,
    /// `deck/card`.
    pub card: &'a str,
    pub deck: &'a str,
    pub topic: &'a str,
    /// The card's kind: `choice` or `recall`.
    pub kind: &'a str,
    /// Option key in file order, `?` for "I don't know", `None` for a recall card.
    pub chosen: Option<&'a str>,
    pub correct: bool,
    pub quality: Quality,
    pub repeat: bool,
    /// The card's schedule after this answer.
    pub repetitions: i64,
    pub ef: Ef,
    pub interval: Interval,
    pub due: &'a str,
    pub elapsed_ms: i64,
    pub session: SessionId,
    pub session_kind: &'a str,
    /// A recall answer graded by its checklist: the rubric points covered (from 1) and
    /// the rubric's size then; both `None` otherwise.
    pub covered: Option<&'a [u32]>,
    pub rubric_total: Option<u32>,
    /// The answer in the learner's words, as typed or sent.
    pub answer_text: Option<&'a str>,
    /// Asked by an interview plan's final pass (migration 007).
    pub final_pass: bool,
}

/// A session with the answers it recorded (on the filtered cards).
#[derive(Clone, Debug)]
pub struct SessionRecord {
    pub id: SessionId,
    pub kind: String,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub study_day: StudyDay,
    /// Graded and final-pass answers; for a mock interview, every answer.
    pub answered: u64,
    pub correct: u64,
    /// Same-day repeats (study and review sessions only).
    pub repeats: u64,
    pub elapsed_ms: i64,
}

/// Which sessions [`Store::each_session`] reads, in which order.
#[derive(Clone, Copy, Debug)]
pub enum SessionOrder {
    /// All of them, oldest first.
    Oldest,
    /// The latest N, newest first.
    Latest(usize),
}

/// A map from row ids or day numbers, looked up once per answer: the default
/// (DoS-resistant) hasher would cost as much as reading the answer.
pub(super) type KeyMap<V> = HashMap<i64, V, BuildHasherDefault<KeyHasher>>;

/// Hashes an integer with one multiplication (Fibonacci hashing).
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_i64(&mut self, n: i64) {
        self.0 = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A card's names as an answer shows them, kept while the answers are read (interned:
/// a few bytes per card).
struct CardNames {
    /// `deck/card`.
    id: Box<str>,
    deck_len: u32,
    /// Indexes into the interned names.
    topic: u32,
    kind: u32,
}

/// The names of the cards and sessions answers refer to, their texts interned.
struct AnswerNames {
    names: Vec<String>,
    cards: KeyMap<CardNames>,
    /// A session's kind, as an index into `names`.
    sessions: KeyMap<u32>,
}

impl AnswerNames {
    fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map_or("", String::as_str)
    }
}

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

/// Text of column `i`, borrowed from the row.
pub(super) fn text<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    Ok(row.get_ref(i)?.as_str()?)
}

fn opt_text<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(row.get_ref(i)?.as_str_or_null()?)
}

impl Store {
    /// About how many answers there are (the highest row id: cheap, and exact unless
    /// answers were deleted).
    pub fn answers_estimate(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT coalesce(max(id), 0) FROM review", [], |r| r.get(0))
            .map(count)
            .map_err(|e| self.err(e))
    }

    /// Every answer on the filtered cards since `since`, oldest first, one at a time.
    pub fn each_review(
        &self,
        filter: &Filter,
        since: Option<StudyDay>,
        mut f: impl FnMut(&ReviewRow<'_>) -> Result<()>,
    ) -> Result<()> {
        let names = self.answer_names(filter)?;
        let (cards, sessions) = (&names.cards, &names.sessions);
        let name = |i: u32| names.name(i);

        let mut params = Vec::new();
        let since_cond = since_sql("r.study_day", since, &mut params);
        let sql = format!(
            "SELECT r.reviewed_at, r.study_day, r.card_id, r.chosen, r.correct, r.quality,
                    r.repeat, r.repetitions, r.ef, r.interval, r.due, r.elapsed_ms, r.session_id,
                    r.covered, r.rubric_total, r.answer_text, r.final_pass_for IS NOT NULL
             FROM review r
             WHERE 1 = 1{since_cond}
             ORDER BY r.id"
        );
        // The covered points of the answer being read, parsed from their JSON.
        let mut covered: Vec<u32> = Vec::new();
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params_from_iter(params))
            .map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let has_covered = self.covered_points(r, 13, &mut covered)?;
            let review = (|| {
                let Some(card) = cards.get(&r.get(2)?) else {
                    return Ok(None);
                };
                let Some(&session_kind) = sessions.get(&r.get(12)?) else {
                    return Ok(None);
                };
                Ok::<_, rusqlite::Error>(Some(ReviewRow {
                    reviewed_at: text(r, 0)?,
                    study_day: text(r, 1)?,
                    card: &card.id,
                    deck: card.id.get(..card.deck_len as usize).unwrap_or_default(),
                    topic: name(card.topic),
                    kind: name(card.kind),
                    chosen: opt_text(r, 3)?,
                    correct: r.get(4)?,
                    quality: r.get(5)?,
                    repeat: r.get(6)?,
                    repetitions: r.get(7)?,
                    ef: r.get(8)?,
                    interval: r.get(9)?,
                    due: text(r, 10)?,
                    elapsed_ms: r.get(11)?,
                    session: SessionId(r.get(12)?),
                    session_kind: name(session_kind),
                    covered: has_covered.then_some(&covered[..]),
                    rubric_total: r.get(14)?,
                    answer_text: opt_text(r, 15)?,
                    final_pass: r.get(16)?,
                }))
            })()
            .map_err(|e| self.err(e))?;
            if let Some(review) = review {
                f(&review)?;
            }
        }
        Ok(())
    }

    /// The names an answer shows, read before the answers: the filtered cards and every
    /// session. Read as maps rather than joined, since a join reads a card row (content
    /// and all) per answer, at random once answers are in the order they were given. An
    /// answer whose card is not in the map is not on the filtered cards.
    fn answer_names(&self, filter: &Filter) -> Result<AnswerNames> {
        let mut names: Vec<String> = Vec::new();
        let mut intern = |s: &str| {
            let i = match names.iter().position(|n| n == s) {
                Some(i) => i,
                None => {
                    names.push(s.to_string());
                    names.len() - 1
                }
            };
            u32::try_from(i).unwrap_or(u32::MAX)
        };
        let mut cards: KeyMap<CardNames> = KeyMap::default();
        {
            let mut params = Vec::new();
            let cond = filter.sql(&mut params);
            let sql = format!(
                "SELECT c.id, c.deck_id, c.slug, c.topic, c.kind FROM card c WHERE 1 = 1{cond}"
            );
            let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
            let mut rows = stmt
                .query(params_from_iter(params))
                .map_err(|e| self.err(e))?;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                let (key, deck, slug, topic, kind) = (|| {
                    Ok::<_, rusqlite::Error>((
                        r.get(0)?,
                        text(r, 1)?,
                        text(r, 2)?,
                        text(r, 3)?,
                        text(r, 4)?,
                    ))
                })()
                .map_err(|e| self.err(e))?;
                let names = CardNames {
                    id: format!("{deck}/{slug}").into_boxed_str(),
                    deck_len: u32::try_from(deck.len()).unwrap_or(0),
                    topic: intern(topic),
                    kind: intern(kind),
                };
                cards.insert(key, names);
            }
        }
        let mut sessions: KeyMap<u32> = KeyMap::default();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT id, kind FROM session")
                .map_err(|e| self.err(e))?;
            let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
            while let Some(r) = rows.next().map_err(|e| self.err(e))? {
                let key = r.get(0).map_err(|e| self.err(e))?;
                let kind = intern(text(r, 1).map_err(|e| self.err(e))?);
                sessions.insert(key, kind);
            }
        }
        Ok(AnswerNames {
            names,
            cards,
            sessions,
        })
    }

    /// The JSON array of rubric points in column `i` into `into`; false when it is NULL.
    fn covered_points(&self, row: &Row<'_>, i: usize, into: &mut Vec<u32>) -> Result<bool> {
        into.clear();
        let Some(json) = opt_text(row, i).map_err(|e| self.err(e))? else {
            return Ok(false);
        };
        self.parse_covered(json, into)?;
        Ok(true)
    }

    /// A `covered` column (a JSON array of point numbers) into `into`, cleared first.
    pub(super) fn parse_covered(&self, json: &str, into: &mut Vec<u32>) -> Result<()> {
        into.clear();
        let points: Vec<u32> = serde_json::from_str(json).map_err(|e| Error::Database {
            path: self.path.clone(),
            message: format!(
                "an answer's covered points are unreadable ({e}: {json:?}); the file was edited by hand"
            ),
        })?;
        into.extend(points);
        Ok(())
    }

    /// Sessions since `since` that recorded at least one answer on the filtered cards,
    /// only those of `kind` when given, in `order`. A mock interview never repeats a
    /// card, so all of its answers count as answered.
    pub fn each_session(
        &self,
        filter: &Filter,
        since: Option<StudyDay>,
        kind: Option<SessionKind>,
        order: SessionOrder,
        mut f: impl FnMut(SessionRecord) -> Result<()>,
    ) -> Result<()> {
        // ?1, in the select list, comes before every anonymous `?`, numbered from 2 on.
        let mut params = vec![SqlValue::Text(SessionKind::Mock.to_string())];
        let since_cond = since_sql("se.study_day", since, &mut params);
        let kind_cond = match kind {
            Some(k) => {
                params.push(SqlValue::Text(k.to_string()));
                " AND se.kind = ?"
            }
            None => "",
        };
        let cond = filter.sql(&mut params);
        // Without a card filter the totals come from the review_session_totals index
        // alone; the card is looked up only to filter on it.
        let card_join = if cond.is_empty() {
            ""
        } else {
            "JOIN card c ON c.id = r.card_id"
        };
        let order_sql = match order {
            SessionOrder::Oldest => "ORDER BY se.id".to_string(),
            SessionOrder::Latest(n) => {
                params.push(SqlValue::Integer(i64::try_from(n).unwrap_or(i64::MAX)));
                "ORDER BY se.id DESC LIMIT ?".to_string()
            }
        };
        let sql = format!(
            "SELECT se.id, se.kind, se.started_at, se.ended_at, se.study_day,
                    sum(r.repeat = 0 OR se.kind = ?1),
                    sum((r.repeat = 0 OR se.kind = ?1) AND r.correct = 1),
                    sum(r.repeat = 1 AND se.kind <> ?1),
                    sum(r.elapsed_ms)
             FROM session se
             JOIN review r ON r.session_id = se.id
             {card_join}
             WHERE 1 = 1{since_cond}{kind_cond}{cond}
             GROUP BY se.id
             {order_sql}"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params_from_iter(params))
            .map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let session = (|| {
                Ok::<_, rusqlite::Error>(SessionRecord {
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
            })()
            .map_err(|e| self.err(e))?;
            f(session)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
