//! The SQLite store: the only module with SQL in it.
//!
//! One file, STRICT tables, WAL, a busy timeout, foreign keys, migrations tracked by
//! `PRAGMA user_version`. A file written by a newer mlsec, a file of another program
//! or a file that is not SQLite is refused before anything is written to it. Each
//! answer is one IMMEDIATE transaction (review row + schedule), committed before the
//! next question is shown.

pub mod answers;
mod bulk;
pub mod cards;
pub mod history;
mod import;
mod mock;
mod new_queue;
mod open;
pub mod plan;
pub mod rubric;

pub use bulk::Bulk;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, SecondsFormat};
use rusqlite::types::{ToSqlOutput, Value as SqlValue};
use rusqlite::{
    Connection, OptionalExtension, ToSql, TransactionBehavior, params, params_from_iter,
};
use serde::Serialize;

use crate::clock::StudyDay;
use crate::deck::{CardBody, CardId, Deck, DeckId, TopicId};
use crate::error::{Error, Result};
use crate::sched::{Ef, Interval, Quality, Schedule};

pub use import::{DeckImport, DeckOutcome, FileSink, ImportTx};
pub use mock::{MockCandidate, MockRecorded, MockSettings, NewClassify, PastMock};
pub use open::LATEST_VERSION;

/// Internal row id of a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardKey(pub i64);

/// Row id of a study, review or mock session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct SessionId(pub i64);

/// What a session is: the `session.kind` column, and the `mode` of its JSON events.
/// Queries name a kind by binding this, never by a string in the SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    Study,
    Review,
    /// A rehearsal: its answers never grade a card or count as the day's review.
    Mock,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Study => "study",
            SessionKind::Review => "review",
            SessionKind::Mock => "mock",
        }
    }
}

impl std::fmt::Display for SessionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ToSql for SessionKind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

/// Which cards a command works on. Empty lists mean "all".
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub deck: Option<DeckId>,
    pub topics: Vec<TopicId>,
    /// A card matches when it carries any of these tags.
    pub tags: Vec<String>,
    /// A card must also match each of these: an interview plan's scope within the
    /// filter given on the command line ([`Filter::and`]).
    pub within: Vec<Filter>,
    /// A card must match none of these: the cards outside a plan's scope
    /// ([`Filter::but_not`]).
    pub except: Vec<Filter>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.deck.is_none()
            && self.topics.is_empty()
            && self.tags.is_empty()
            && self.within.is_empty()
            && self.except.is_empty()
    }

    /// The cards of `self` that `other` matches too.
    pub fn and(&self, other: &Filter) -> Filter {
        let mut both = self.clone();
        both.within.push(other.clone());
        both
    }

    /// The cards of `self` that `other` does not match.
    pub fn but_not(&self, other: &Filter) -> Filter {
        let mut rest = self.clone();
        rest.except.push(other.clone());
        rest
    }

    /// `AND …` conditions on the card alias `c`, with their parameters appended.
    fn sql(&self, params: &mut Vec<SqlValue>) -> String {
        let mut sql = String::new();
        if let Some(deck) = &self.deck {
            sql.push_str(" AND c.deck_id = ?");
            params.push(SqlValue::Text(deck.to_string()));
        }
        if !self.topics.is_empty() {
            sql.push_str(&format!(
                " AND c.topic IN ({})",
                placeholders(self.topics.len())
            ));
            params.extend(self.topics.iter().map(|t| SqlValue::Text(t.to_string())));
        }
        if !self.tags.is_empty() {
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM json_each(c.tags) WHERE json_each.value IN ({}))",
                placeholders(self.tags.len())
            ));
            params.extend(self.tags.iter().map(|t| SqlValue::Text(t.clone())));
        }
        for other in &self.within {
            sql.push_str(&format!(" AND (1 = 1{})", other.sql(params)));
        }
        for other in &self.except {
            sql.push_str(&format!(" AND NOT (1 = 1{})", other.sql(params)));
        }
        sql
    }
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
    fn sql(self, column: &str, params: &mut Vec<SqlValue>) -> String {
        if self == KeyRange::ALL {
            return String::new();
        }
        params.push(SqlValue::Integer(self.first));
        params.push(SqlValue::Integer(self.last));
        format!(" AND {column} BETWEEN ? AND ?")
    }
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// A card as the session needs it.
#[derive(Clone, Debug)]
pub struct StoredCard {
    pub key: CardKey,
    pub deck: DeckId,
    pub id: CardId,
    pub topic: TopicId,
    pub topic_name: String,
    pub tags: Vec<String>,
    pub body: CardBody,
}

impl StoredCard {
    /// The id scripts see: `deck/card`.
    pub fn full_id(&self) -> String {
        format!("{}/{}", self.deck, self.id)
    }
}

/// A topic known to the store.
#[derive(Clone, Debug, Serialize)]
pub struct TopicInfo {
    pub deck: DeckId,
    pub id: TopicId,
    pub name: String,
}

/// What one import did to one deck.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub retired: usize,
}

/// One answer to record.
#[derive(Clone, Debug)]
pub struct NewReview<'a> {
    pub card: CardKey,
    pub session: SessionId,
    pub at: DateTime<Local>,
    pub day: StudyDay,
    pub repeat: bool,
    /// Option key in file order, `?`, or `None` for a recall card.
    pub chosen: Option<&'a str>,
    pub correct: bool,
    pub quality: Quality,
    pub elapsed_ms: u64,
    /// A recall answer graded by its rubric checklist: the points it covered.
    pub rubric: Option<RubricPoints<'a>>,
    /// The answer in the learner's words, as typed or sent.
    pub answer_text: Option<&'a str>,
}

/// The rubric points a recall answer covered (the `covered` and `rubric_total` columns).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RubricPoints<'a> {
    /// Point numbers from 1 in the rubric's order, ascending, without repeats.
    pub covered: &'a [u32],
    /// Points in the rubric.
    pub total: u32,
}

impl RubricPoints<'_> {
    /// The `covered` column: a JSON array of the point numbers, e.g. `[1,3]`.
    pub(crate) fn covered_json(&self) -> String {
        let numbers: Vec<String> = self.covered.iter().map(u32::to_string).collect();
        format!("[{}]", numbers.join(","))
    }
}

/// How an answer was recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The card's schedule after the answer.
    pub schedule: Schedule,
    /// False when another session graded the card today first: the answer was kept as a
    /// same-day repeat instead of moving the schedule twice.
    pub graded: bool,
}

/// The last finished or interrupted session.
#[derive(Clone, Debug, Serialize)]
pub struct SessionInfo {
    pub id: SessionId,
    pub kind: String,
    pub started_at: String,
    pub study_day: String,
    pub answered: u64,
    pub correct: u64,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

pub fn timestamp(t: DateTime<Local>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, false)
}

impl Store {
    /// Open (or create, owner-only) the database at `path` and migrate it.
    /// `create_parent` creates a missing directory (for the default location only: an
    /// explicit `--db` in a missing directory is more likely a typo).
    pub fn open(path: &Path, create_parent: bool) -> Result<Store> {
        let conn = open::open(path, create_parent)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// A private in-memory store, for unit tests and tools.
    pub fn open_in_memory() -> Result<Store> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| open::db_error(&path, &e))?;
        let conn = open::prepare(conn, &path)?;
        Ok(Store { conn, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        open::db_error(&self.path, &e)
    }

    // ----- content -------------------------------------------------------------------

    /// Load the built-in deck when this file has not seen this version of it yet.
    pub fn ensure_builtin(
        &mut self,
        deck: impl FnOnce() -> Result<Deck>,
        fingerprint: &str,
        now: DateTime<Local>,
    ) -> Result<()> {
        let seen: Option<String> = open::retry_busy(|| {
            self.conn
                .query_row(
                    "SELECT value FROM meta WHERE key = 'builtin_fingerprint'",
                    [],
                    |r| r.get(0),
                )
                .optional()
        })
        .map_err(|e| self.err(e))?;
        if seen.as_deref() == Some(fingerprint) {
            return Ok(());
        }
        let deck = deck()?;
        let conn = &mut self.conn;
        open::retry_busy(|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            import::deck_into(&tx, &import::DeckImport::new(&deck, "builtin"), now)?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('builtin_fingerprint', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [fingerprint],
            )?;
            tx.commit()
        })
        .map_err(|e| open::db_error(&self.path, &e))
    }

    /// Every topic of every deck, in deck and file order.
    pub fn topics(&self) -> Result<Vec<TopicInfo>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT deck_id, id, name FROM topic ORDER BY deck_id, position")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(TopicInfo {
                    deck: r.get(0)?,
                    id: r.get(1)?,
                    name: r.get(2)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    pub fn deck_ids(&self) -> Result<Vec<DeckId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM deck ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Tags in use, for validating `--tag`.
    pub fn tags(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT json_each.value FROM card, json_each(card.tags) ORDER BY 1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// The answer framework of a deck (empty if it has none).
    pub fn framework(&self, deck: &DeckId) -> Result<Vec<String>> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT framework FROM deck WHERE id = ?1", [deck], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(json
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default())
    }

    pub fn card(&self, key: CardKey) -> Result<StoredCard> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.id, c.deck_id, c.slug, c.topic, coalesce(t.name, c.topic), c.tags, c.body
                 FROM card c LEFT JOIN topic t ON t.deck_id = c.deck_id AND t.id = c.topic
                 WHERE c.id = ?1",
            )
            .map_err(|e| self.err(e))?;
        let (key, deck, id, topic, topic_name, tags, body): (
            i64,
            DeckId,
            CardId,
            TopicId,
            String,
            String,
            String,
        ) = stmt
            .query_row([key.0], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let corrupt = |what: &str, e: serde_json::Error| Error::Database {
            path: self.path.clone(),
            message: format!("card {deck}/{id} has unreadable {what} ({e}); re-import its deck"),
        };
        Ok(StoredCard {
            key: CardKey(key),
            tags: serde_json::from_str(&tags).map_err(|e| corrupt("tags", e))?,
            body: serde_json::from_str(&body).map_err(|e| corrupt("content", e))?,
            deck,
            id,
            topic,
            topic_name,
        })
    }

    // ----- queues --------------------------------------------------------------------

    fn keys(&self, sql: &str, params: Vec<SqlValue>) -> Result<Vec<CardKey>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params_from_iter(params), |r| r.get(0).map(CardKey))
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Cards due on `day`, most overdue first; at equal due dates, missed ones first.
    pub fn due_cards(&self, filter: &Filter, day: StudyDay, limit: usize) -> Result<Vec<CardKey>> {
        let mut params = vec![SqlValue::Text(day.to_string())];
        // Without a filter the schedule's own index answers (migration 003).
        let (join, cond) = if filter.is_empty() {
            ("", String::new())
        } else {
            (" JOIN card c ON c.id = s.card_id", filter.sql(&mut params))
        };
        params.push(SqlValue::Integer(limit_param(limit)));
        let sql = format!(
            "SELECT s.card_id FROM schedule s{join}
             WHERE s.retired = 0 AND s.due <= ?{cond}
             ORDER BY s.due, s.repetitions > 0, s.ef, s.card_id
             LIMIT ?"
        );
        self.keys(&sql, params)
    }

    /// Cards of today's repeat queue left over from earlier sessions of the day: their
    /// latest answer today was below 4 (spec §7.4).
    pub fn leftover_repeats(&self, filter: &Filter, day: StudyDay) -> Result<Vec<CardKey>> {
        let mut params = vec![
            SqlValue::Text(day.to_string()),
            SqlValue::Text(SessionKind::Mock.to_string()),
            SqlValue::Integer(Quality::REPEAT_BELOW.value().into()),
        ];
        let cond = filter.sql(&mut params);
        let sql = format!(
            "SELECT c.id FROM (
                SELECT r.card_id, r.quality,
                       row_number() OVER (PARTITION BY r.card_id ORDER BY r.id DESC) AS latest
                FROM review r JOIN session se ON se.id = r.session_id
                WHERE r.study_day = ? AND se.kind <> ?) last
             JOIN card c ON c.id = last.card_id
             WHERE last.latest = 1 AND last.quality < ? AND c.retired = 0{cond}
             ORDER BY c.position"
        );
        self.keys(&sql, params)
    }

    /// Has the card had its graded review on `day` (in any study or review session; a
    /// final-pass answer is not one)?
    pub fn graded_on(&self, card: CardKey, day: StudyDay) -> Result<bool> {
        graded_on(&self.conn, card, day).map_err(|e| self.err(e))
    }

    /// Is the card still in the repeat queue of `day` (latest answer below 4)?
    pub fn needs_repeat(&self, card: CardKey, day: StudyDay) -> Result<bool> {
        let q: Option<Quality> = self
            .conn
            .query_row(
                "SELECT r.quality FROM review r JOIN session se ON se.id = r.session_id
                 WHERE r.card_id = ?1 AND r.study_day = ?2 AND se.kind <> ?3
                 ORDER BY r.id DESC LIMIT 1",
                params![card.0, day, SessionKind::Mock],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(q.is_some_and(Quality::needs_repeat))
    }

    pub fn schedule(&self, card: CardKey) -> Result<Option<Schedule>> {
        schedule_of(&self.conn, card).map_err(|e| self.err(e))
    }

    // ----- sessions and answers ------------------------------------------------------

    pub fn begin_session(
        &mut self,
        kind: SessionKind,
        at: DateTime<Local>,
        day: StudyDay,
    ) -> Result<SessionId> {
        self.conn
            .execute(
                "INSERT INTO session (kind, started_at, study_day) VALUES (?1, ?2, ?3)",
                params![kind, timestamp(at), day],
            )
            .map_err(|e| self.err(e))?;
        Ok(SessionId(self.conn.last_insert_rowid()))
    }

    pub fn end_session(&mut self, id: SessionId, at: DateTime<Local>) -> Result<()> {
        self.conn
            .execute(
                "UPDATE session SET ended_at = ?2 WHERE id = ?1",
                params![id.0, timestamp(at)],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Record one answer: the review row and, for a graded review, the new schedule, in
    /// one transaction. `grade` computes the schedule from the one stored (SM-2).
    pub fn record_answer(
        &mut self,
        review: &NewReview<'_>,
        grade: impl FnOnce(Option<&Schedule>) -> Schedule,
    ) -> Result<Recorded> {
        let path = self.path.clone();
        let dberr = |e: rusqlite::Error| open::db_error(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(dberr)?;
        let previous = schedule_of(&tx, review.card).map_err(dberr)?;
        // Another session may have graded this card while ours was showing it.
        let graded = !review.repeat && !graded_on(&tx, review.card, review.day).map_err(dberr)?;
        let schedule = if graded {
            let next = grade(previous.as_ref());
            tx.execute(
                "INSERT INTO schedule (card_id, repetitions, ef, interval, due, lapses, introduced)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (card_id) DO UPDATE SET repetitions = excluded.repetitions, ef = excluded.ef,
                    interval = excluded.interval, due = excluded.due, lapses = excluded.lapses",
                params![review.card.0, next.repetitions, next.ef, next.interval, next.due, next.lapses, review.day],
            )
            .map_err(dberr)?;
            next
        } else {
            previous.unwrap_or(Schedule {
                repetitions: 0,
                ef: Ef::INITIAL,
                interval: Interval::NONE,
                due: review.day,
                lapses: 0,
            })
        };
        let marks = RowMarks {
            repeat: !graded,
            ..RowMarks::default()
        };
        insert_review(&tx, review, &schedule, marks).map_err(dberr)?;
        tx.commit().map_err(dberr)?;
        Ok(Recorded { schedule, graded })
    }

    // ----- dashboard figures ---------------------------------------------------------

    fn count(&self, sql: &str, params: Vec<SqlValue>) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached(sql)
            .and_then(|mut s| s.query_row(params_from_iter(params), |r| r.get(0)))
            .map_err(|e| self.err(e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Cards due on or before `day` (not yet graded that day).
    pub fn count_due(&self, filter: &Filter, day: StudyDay) -> Result<u64> {
        let mut params = vec![SqlValue::Text(day.to_string())];
        if filter.is_empty() {
            return self.count(
                "SELECT count(*) FROM schedule s WHERE s.retired = 0 AND s.due <= ?",
                params,
            );
        }
        let cond = filter.sql(&mut params);
        self.count(
            &format!(
                "SELECT count(*) FROM schedule s JOIN card c ON c.id = s.card_id WHERE s.retired = 0 AND s.due <= ?{cond}"
            ),
            params,
        )
    }

    /// Cards never reviewed.
    pub fn count_new(&self, filter: &Filter) -> Result<u64> {
        let mut params = Vec::new();
        if filter.is_empty() {
            // Live cards minus live schedules: two index counts, no join.
            return self.count(
                "SELECT (SELECT count(*) FROM card WHERE retired = 0) - (SELECT count(*) FROM schedule WHERE retired = 0)",
                params,
            );
        }
        let cond = filter.sql(&mut params);
        self.count(
            &format!(
                "SELECT count(*) FROM card c
                 WHERE c.retired = 0 AND NOT EXISTS (SELECT 1 FROM schedule s WHERE s.card_id = c.id){cond}"
            ),
            params,
        )
    }

    /// Cards whose first graded review was on `day` (counts against the daily new limit).
    pub fn count_introduced(&self, filter: &Filter, day: StudyDay) -> Result<u64> {
        let mut params = vec![SqlValue::Text(day.to_string())];
        let cond = filter.sql(&mut params);
        self.count(
            &format!("SELECT count(*) FROM schedule s JOIN card c ON c.id = s.card_id WHERE s.introduced = ?{cond}"),
            params,
        )
    }

    /// The earliest due day after `day`, if any card is scheduled.
    pub fn next_due_after(&self, filter: &Filter, day: StudyDay) -> Result<Option<StudyDay>> {
        let mut params = vec![SqlValue::Text(day.to_string())];
        let (join, cond) = if filter.is_empty() {
            ("", String::new())
        } else {
            (" JOIN card c ON c.id = s.card_id", filter.sql(&mut params))
        };
        self.conn
            .prepare_cached(&format!(
                "SELECT min(s.due) FROM schedule s{join} WHERE s.retired = 0 AND s.due > ?{cond}"
            ))
            .and_then(|mut s| s.query_row(params_from_iter(params), |r| r.get(0)))
            .map_err(|e| self.err(e))
    }

    /// The most recent session that recorded at least one answer.
    pub fn last_session(&self) -> Result<Option<SessionInfo>> {
        self.conn
            .query_row(
                "SELECT se.id, se.kind, se.started_at, se.study_day,
                        (SELECT count(*) FROM review r WHERE r.session_id = se.id AND r.repeat = 0),
                        (SELECT count(*) FROM review r WHERE r.session_id = se.id AND r.repeat = 0 AND r.correct = 1)
                 FROM session se
                 WHERE EXISTS (SELECT 1 FROM review r WHERE r.session_id = se.id)
                 ORDER BY se.id DESC LIMIT 1",
                [],
                |r| {
                    Ok(SessionInfo {
                        id: SessionId(r.get(0)?),
                        kind: r.get(1)?,
                        started_at: r.get(2)?,
                        study_day: r.get(3)?,
                        answered: r.get::<_, i64>(4)?.try_into().unwrap_or(0),
                        correct: r.get::<_, i64>(5)?.try_into().unwrap_or(0),
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Study days (descending) on which at least one answer was recorded.
    pub fn study_days(&self) -> Result<Vec<StudyDay>> {
        let mut stmt = self
            .conn
            // One index seek per distinct day instead of a scan of every review.
            .prepare_cached(
                "WITH RECURSIVE days(day) AS (
                    SELECT max(study_day) FROM review
                    UNION ALL
                    SELECT (SELECT max(study_day) FROM review WHERE study_day < days.day) FROM days
                    WHERE days.day IS NOT NULL)
                 SELECT day FROM days WHERE day IS NOT NULL",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Run `PRAGMA integrity_check`; `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }
}

/// SQLite's LIMIT takes an i64; `usize::MAX` means "no limit".
fn limit_param(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

fn graded_on(conn: &Connection, card: CardKey, day: StudyDay) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM review r JOIN session se ON se.id = r.session_id
                        WHERE r.card_id = ?1 AND r.study_day = ?2 AND r.repeat = 0
                          AND r.final_pass_for IS NULL AND se.kind <> ?3)",
        params![card.0, day, SessionKind::Mock],
        |r| r.get(0),
    )
}

/// How an answer's row stands apart from an SM-2 review: a same-day repeat, a mock answer
/// over its time limit, an answer of an interview plan's final pass.
#[derive(Clone, Copy, Debug, Default)]
struct RowMarks {
    repeat: bool,
    over_time: bool,
    /// The interview day of the plan whose final pass asked it.
    final_pass_for: Option<StudyDay>,
}

/// Write one answer's review row: the answer and the card's schedule after it. Every
/// way of answering (an SM-2 review or repeat, a mock answer, a final-pass answer)
/// writes its row here, so a column is added in one place.
fn insert_review(
    conn: &Connection,
    review: &NewReview<'_>,
    schedule: &Schedule,
    marks: RowMarks,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO review (card_id, session_id, reviewed_at, study_day, repeat, chosen, correct, quality,
                             elapsed_ms, repetitions, ef, interval, due, over_time, covered,
                             rubric_total, answer_text, final_pass_for)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        review.card.0,
        review.session.0,
        timestamp(review.at),
        review.day,
        marks.repeat,
        review.chosen,
        review.correct,
        review.quality,
        i64::try_from(review.elapsed_ms).unwrap_or(i64::MAX),
        schedule.repetitions,
        schedule.ef,
        schedule.interval,
        schedule.due,
        marks.over_time,
        review.rubric.map(|r| r.covered_json()),
        review.rubric.map(|r| r.total),
        review.answer_text,
        marks.final_pass_for,
    ])
    .map(drop)
}

fn schedule_of(conn: &Connection, card: CardKey) -> rusqlite::Result<Option<Schedule>> {
    conn.prepare_cached(
        "SELECT repetitions, ef, interval, due, lapses FROM schedule WHERE card_id = ?1",
    )?
    .query_row([card.0], |r| {
        Ok(Schedule {
            repetitions: r.get(0)?,
            ef: r.get(1)?,
            interval: r.get(2)?,
            due: r.get(3)?,
            lapses: r.get(4)?,
        })
    })
    .optional()
}

#[cfg(test)]
mod tests;
