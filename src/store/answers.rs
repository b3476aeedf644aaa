//! The queries behind `mlsec stats` and `mlsec export`: cards with their schedule,
//! answers, sessions and the history pass ([`super::history`]), each narrowed by a [`Filter`]
//! and, for history, by a first study day (`--days N`).
//!
//! "Graded" answers are the first answer of a card on a study day in a study or review
//! session (`repeat = 0`); same-day repeats and mock interviews never move the schedule,
//! so accuracy and retention count graded answers only (mock scores are listed apart).
//!
//! Everything that can be long (cards, answers, sessions) is streamed to a callback row
//! by row, never collected: memory may grow with the number of cards (a few bytes each),
//! never with the number of answers.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rusqlite::types::Value as SqlValue;
use rusqlite::{Row, params_from_iter};

use super::history::History;
use super::{CardKey, Filter, SessionId, SessionKind, Store};
use crate::clock::StudyDay;
use crate::deck::{CardBody, CardId, DeckId, TopicId};
use crate::error::{Error, Result};
use crate::sched::{Ef, Interval, Quality, Schedule};

/// A card with its content, schedule and a summary of its graded answers.
#[derive(Clone, Debug)]
pub struct CardRecord {
    pub key: CardKey,
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

/// A card without its content, as `mlsec stats` reads them all: names borrowed from
/// the row being read.
#[derive(Clone, Copy, Debug)]
pub struct CardSummary<'a> {
    pub key: CardKey,
    pub deck: &'a str,
    pub topic: &'a str,
    pub retired: bool,
    /// `None` for a card never graded (new).
    pub schedule: Option<Schedule>,
}

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

/// Which sessions [`Store::each_session`] reads, in which order.
#[derive(Clone, Copy, Debug)]
pub enum SessionOrder {
    /// All of them, oldest first.
    Oldest,
    /// The latest N, newest first.
    Latest(usize),
}

/// Cards by key, both ends included: lets `mlsec stats` split its passes over two
/// threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyRange {
    pub first: i64,
    pub last: i64,
}

impl KeyRange {
    pub const ALL: KeyRange = KeyRange {
        first: i64::MIN,
        last: i64::MAX,
    };

    /// `AND <column> BETWEEN ? AND ?`, or nothing for all cards.
    pub(super) fn sql(self, column: &str, params: &mut Vec<SqlValue>) -> String {
        if self == KeyRange::ALL {
            return String::new();
        }
        params.push(SqlValue::Integer(self.first));
        params.push(SqlValue::Integer(self.last));
        format!(" AND {column} BETWEEN ? AND ?")
    }
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
fn text<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    Ok(row.get_ref(i)?.as_str()?)
}

fn opt_text<'r>(row: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(row.get_ref(i)?.as_str_or_null()?)
}

/// The schedule in columns `at..at + 5` (repetitions, ef, interval, due, lapses) of a
/// LEFT JOIN: `None` when the card has no schedule row.
fn schedule_at(row: &Row<'_>, at: usize) -> rusqlite::Result<Option<Schedule>> {
    let Some(repetitions) = row.get::<_, Option<u32>>(at)? else {
        return Ok(None);
    };
    Ok(Some(Schedule {
        repetitions,
        ef: row.get(at + 1)?,
        interval: row.get(at + 2)?,
        due: row.get(at + 3)?,
        lapses: row.get(at + 4)?,
    }))
}

/// The query of [`Store::each_card_summary`]: without a tag filter it reads the
/// card_topic index, never the card rows.
fn card_summary_sql(filter: &Filter, range: KeyRange, params: &mut Vec<SqlValue>) -> String {
    // `+c.id`: a range of keys must not turn the index scan into a search of the table.
    let range_cond = range.sql("+c.id", params);
    let cond = filter.sql(params);
    format!(
        "SELECT c.id, c.deck_id, c.topic, s.repetitions, s.ef, s.interval, s.due, s.lapses
         FROM card c LEFT JOIN schedule s ON s.card_id = c.id
         WHERE 1 = 1{range_cond}{cond}"
    )
}

impl Store {
    /// Cards matching `filter` in deck and file order, with content and schedule, one at a
    /// time; graded answers from `history` (zero without it). Retired cards are included
    /// only when `retired` is true.
    pub fn each_card(
        &self,
        filter: &Filter,
        retired: bool,
        history: Option<&History>,
        mut f: impl FnMut(CardRecord) -> Result<()>,
    ) -> Result<()> {
        let mut params = Vec::new();
        let cond = filter.sql(&mut params);
        let retired_cond = if retired { "" } else { " AND c.retired = 0" };
        let sql = format!(
            "SELECT c.id, c.deck_id, d.name, c.slug, c.topic, coalesce(t.name, c.topic), c.tags,
                    c.body, c.retired, s.repetitions, s.ef, s.interval, s.due, s.lapses, s.introduced
             FROM card c
             JOIN deck d ON d.id = c.deck_id
             LEFT JOIN topic t ON t.deck_id = c.deck_id AND t.id = c.topic
             LEFT JOIN schedule s ON s.card_id = c.id
             WHERE 1 = 1{retired_cond}{cond}
             ORDER BY c.deck_id, c.position"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params_from_iter(params))
            .map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let key = CardKey(row.get(0).map_err(|e| self.err(e))?);
            let deck: DeckId = row.get(1).map_err(|e| self.err(e))?;
            let slug: CardId = row.get(3).map_err(|e| self.err(e))?;
            let corrupt = |what: &str, e: serde_json::Error| Error::Database {
                path: self.path.clone(),
                message: format!(
                    "card {deck}/{slug} has unreadable {what} ({e}); re-import its deck"
                ),
            };
            let tags = serde_json::from_str(text(row, 6).map_err(|e| self.err(e))?)
                .map_err(|e| corrupt("tags", e))?;
            let body = serde_json::from_str(text(row, 7).map_err(|e| self.err(e))?)
                .map_err(|e| corrupt("content", e))?;
            let graded = history
                .and_then(|h| h.card(key))
                .copied()
                .unwrap_or_default();
            let record = (|| {
                Ok::<_, rusqlite::Error>(CardRecord {
                    key,
                    deck_name: row.get(2)?,
                    topic: row.get(4)?,
                    topic_name: row.get(5)?,
                    tags,
                    body,
                    retired: row.get(8)?,
                    schedule: schedule_at(row, 9)?,
                    introduced: row.get(14)?,
                    answered: graded.answered,
                    correct: graded.correct,
                    last_answered: graded.last_answered,
                    deck,
                    slug,
                })
            })()
            .map_err(|e| self.err(e))?;
            f(record)?;
        }
        Ok(())
    }

    /// Every card matching `filter`, retired ones included, with its schedule but not its
    /// content (nor its id: see [`Store::card_name`]), in no particular order.
    pub fn each_card_summary(
        &self,
        filter: &Filter,
        range: KeyRange,
        mut f: impl FnMut(&CardSummary<'_>) -> Result<()>,
    ) -> Result<()> {
        // Deck, topic and key come from the card_topic index, whether the card is retired
        // from the card_retired one: the card rows, content and all, are never read.
        let retired: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id FROM card WHERE retired = 1 ORDER BY id")
                .map_err(|e| self.err(e))?;
            stmt.query_map([], |r| r.get(0))
                .and_then(Iterator::collect)
                .map_err(|e| self.err(e))?
        };
        let mut params = Vec::new();
        let sql = card_summary_sql(filter, range, &mut params);
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params_from_iter(params))
            .map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let card = (|| {
                let key: i64 = row.get(0)?;
                Ok::<_, rusqlite::Error>(CardSummary {
                    key: CardKey(key),
                    deck: text(row, 1)?,
                    topic: text(row, 2)?,
                    retired: retired.binary_search(&key).is_ok(),
                    schedule: schedule_at(row, 3)?,
                })
            })()
            .map_err(|e| self.err(e))?;
            f(&card)?;
        }
        Ok(())
    }

    /// A second connection to the same file, to read in another thread; `None` for an
    /// in-memory store.
    pub fn reader(&self) -> Result<Option<Store>> {
        match self.conn.path() {
            Some(p) if !p.is_empty() => Store::open(&self.path, false).map(Some),
            _ => Ok(None),
        }
    }

    /// About how many answers there are (the highest row id: cheap, and exact unless
    /// answers were deleted).
    pub fn answers_estimate(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT coalesce(max(id), 0) FROM review", [], |r| r.get(0))
            .map(count)
            .map_err(|e| self.err(e))
    }

    /// The cards split in two halves by key.
    pub fn key_halves(&self) -> Result<[KeyRange; 2]> {
        let (first, last): (i64, i64) = self
            .conn
            .query_row(
                "SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM card",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        let mid = first + (last - first) / 2;
        Ok([
            KeyRange {
                first: i64::MIN,
                last: mid,
            },
            KeyRange {
                first: mid + 1,
                last: i64::MAX,
            },
        ])
    }

    /// The id scripts see of one card: `deck/card`.
    pub fn card_name(&self, key: CardKey) -> Result<String> {
        self.conn
            .prepare_cached("SELECT deck_id || '/' || slug FROM card WHERE id = ?1")
            .and_then(|mut s| s.query_row([key.0], |r| r.get(0)))
            .map_err(|e| self.err(e))
    }

    /// The content of one card.
    pub fn card_body(&self, key: CardKey) -> Result<CardBody> {
        let body: String = self
            .conn
            .prepare_cached("SELECT body FROM card WHERE id = ?1")
            .and_then(|mut s| s.query_row([key.0], |r| r.get(0)))
            .map_err(|e| self.err(e))?;
        serde_json::from_str(&body).map_err(|e| Error::Database {
            path: self.path.clone(),
            message: format!("a card has unreadable content ({e}); re-import its deck"),
        })
    }

    /// Every answer on the filtered cards since `since`, oldest first, one at a time.
    pub fn each_review(
        &self,
        filter: &Filter,
        since: Option<StudyDay>,
        mut f: impl FnMut(&ReviewRow<'_>) -> Result<()>,
    ) -> Result<()> {
        // Card and session names come from maps read first, not from a join: a join
        // reads a card row (content and all) per answer, at random once answers are in
        // the order they were given. An answer whose card is not in the map is not on
        // the filtered cards.
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
        let name = |i: u32| names.get(i as usize).map_or("", String::as_str);

        let mut params = Vec::new();
        let since_cond = since_sql("r.study_day", since, &mut params);
        let sql = format!(
            "SELECT r.reviewed_at, r.study_day, r.card_id, r.chosen, r.correct, r.quality,
                    r.repeat, r.repetitions, r.ef, r.interval, r.due, r.elapsed_ms, r.session_id
             FROM review r
             WHERE 1 = 1{since_cond}
             ORDER BY r.id"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params_from_iter(params))
            .map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
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
                }))
            })()
            .map_err(|e| self.err(e))?;
            if let Some(review) = review {
                f(&review)?;
            }
        }
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
