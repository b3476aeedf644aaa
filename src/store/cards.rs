//! The cards as `mlsec stats` and `mlsec export` read them: with their content and
//! schedule (the card export, Anki notes), or without their content for the stats pass,
//! which a [`KeyRange`] splits over two threads on a long history.
//!
//! Cards are streamed to a callback one at a time, never collected.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Row, params_from_iter};

use super::answers::text;
use super::history::History;
use super::{CardKey, Filter, KeyRange, Store};
use crate::clock::StudyDay;
use crate::deck::{CardBody, CardId, DeckId, TopicId};
use crate::error::{Error, Result};
use crate::sched::Schedule;

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
pub(super) fn card_summary_sql(
    filter: &Filter,
    range: KeyRange,
    params: &mut Vec<SqlValue>,
) -> String {
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
}
