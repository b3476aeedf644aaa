//! Loading many sessions and reviews in one transaction: for the benchmark generator
//! (`bench/gen.rs`), which must build its collection through the store's own code.

use chrono::{DateTime, Local};
use rusqlite::{Transaction, TransactionBehavior, params};

use super::{CardKey, SessionId, Store, open, timestamp};
use crate::clock::StudyDay;
use crate::deck::DeckId;
use crate::error::{Error, Result};
use crate::sched::{Quality, Schedule};

/// An open bulk-load transaction; nothing is visible until [`Bulk::commit`].
pub struct Bulk<'a> {
    tx: Transaction<'a>,
    path: std::path::PathBuf,
}

impl Store {
    /// Cards of a deck in file order.
    pub fn card_keys(&self, deck: &DeckId) -> Result<Vec<CardKey>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM card WHERE deck_id = ?1 ORDER BY position")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([deck], |r| r.get(0).map(CardKey))
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    pub fn bulk(&mut self) -> Result<Bulk<'_>> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| open::db_error(&path, &e))?;
        Ok(Bulk { tx, path })
    }
}

impl Bulk<'_> {
    fn err(&self, e: rusqlite::Error) -> Error {
        open::db_error(&self.path, &e)
    }

    pub fn session(
        &mut self,
        kind: &str,
        started: DateTime<Local>,
        day: StudyDay,
    ) -> Result<SessionId> {
        self.tx
            .prepare_cached("INSERT INTO session (kind, started_at, study_day, ended_at) VALUES (?1, ?2, ?3, ?2)")
            .and_then(|mut s| s.execute(params![kind, timestamp(started), day]))
            .map_err(|e| self.err(e))?;
        Ok(SessionId(self.tx.last_insert_rowid()))
    }

    /// One review row, with the schedule the card had after it.
    #[allow(clippy::too_many_arguments)]
    pub fn review(
        &mut self,
        card: CardKey,
        session: SessionId,
        at: DateTime<Local>,
        day: StudyDay,
        repeat: bool,
        chosen: Option<&str>,
        correct: bool,
        quality: Quality,
        elapsed_ms: u64,
        after: &Schedule,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO review (card_id, session_id, reviewed_at, study_day, repeat, chosen, correct, quality,
                                     elapsed_ms, repetitions, ef, interval, due)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    card.0,
                    session.0,
                    timestamp(at),
                    day,
                    repeat,
                    chosen,
                    correct,
                    quality,
                    i64::try_from(elapsed_ms).unwrap_or(i64::MAX),
                    after.repetitions,
                    after.ef,
                    after.interval,
                    after.due,
                ])
            })
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn schedule(&mut self, card: CardKey, s: &Schedule, introduced: StudyDay) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO schedule (card_id, repetitions, ef, interval, due, lapses, introduced)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut st| {
                st.execute(params![card.0, s.repetitions, s.ef, s.interval, s.due, s.lapses, introduced])
            })
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    pub fn commit(self) -> Result<()> {
        let path = self.path.clone();
        self.tx.commit().map_err(|e| open::db_error(&path, &e))
    }
}
