//! Importing decks: every deck of a call in one IMMEDIATE transaction, so that a
//! failure anywhere (or a dry run) leaves the file exactly as it was.
//!
//! Cards are matched by `deck id / card id`, so a card keeps its schedule and history
//! when its text changes. Cards missing from a re-imported deck are retired (kept, never
//! asked); pruning deletes the retired cards of the imported decks with their history.
//! Cards are written one at a time as a reader produces them, through the import's port
//! ([`CardSink`], implemented by [`FileSink`]), with statements prepared once per import.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use chrono::{DateTime, Local};
use rusqlite::{Connection, Statement, TransactionBehavior, params};

use super::{ImportCounts, Store, open, timestamp};
use crate::deck::{Card, CardSink, Deck, DeckId};
use crate::error::{Error, Result};

/// One deck to import and where it came from.
#[derive(Clone, Copy, Debug)]
pub struct DeckImport<'a> {
    pub deck: &'a Deck,
    /// Shown as the deck's source (the file name, or `builtin`).
    pub source: &'a str,
    /// The deck's name, description, framework and topic names come from a file that
    /// states them (TOML, JSON). When false (CSV, Anki, `--deck`), a deck already in the
    /// store keeps its name and framework, and a topic keeps its name unless the file
    /// gives one that is more than the id.
    pub describes_deck: bool,
}

impl<'a> DeckImport<'a> {
    pub fn new(deck: &'a Deck, source: &'a str) -> DeckImport<'a> {
        DeckImport {
            deck,
            source,
            describes_deck: true,
        }
    }
}

/// What one import did to one deck.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeckOutcome {
    pub counts: ImportCounts,
    /// Retired cards deleted (with `prune`), or that would be (dry run).
    pub pruned: usize,
}

impl Store {
    /// Add or update decks in one transaction: all of them, or (on any error, or with
    /// `dry_run`) none. Cards are matched by `deck id / card id`, so history survives
    /// text changes; cards missing from a deck's file are retired, not deleted.
    pub fn import(
        &mut self,
        decks: &[(&Deck, &str)],
        now: DateTime<Local>,
        dry_run: bool,
    ) -> Result<Vec<ImportCounts>> {
        self.import_with(now, |tx| {
            let mut counts = Vec::with_capacity(decks.len());
            for (deck, source) in decks {
                let import = DeckImport::new(deck, source);
                tx.open_deck(&import)?;
                for card in &deck.cards {
                    tx.write(&deck.id, card)?;
                }
                counts.push(tx.close_deck(&import, false)?.counts);
            }
            Ok((counts, !dry_run))
        })
    }

    /// Delete the database files if they hold nothing anyone made: no session, no deck
    /// but the built-in one. An import into a store that did not exist before uses this
    /// when it fails, so that a broken file leaves no store behind. Returns whether the
    /// files were removed.
    pub fn remove_if_pristine(self) -> Result<bool> {
        let err = |e: rusqlite::Error| open::db_error(&self.path, &e);
        let made: i64 = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM session) + (SELECT count(*) FROM deck WHERE source <> 'builtin')",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        if made > 0 {
            return Ok(false);
        }
        let path = self.path;
        if self.conn.close().is_err() {
            return Ok(false);
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.clone().into_os_string();
            file.push(suffix);
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(Error::Io {
                        path: file.into(),
                        source: e,
                    });
                }
            }
        }
        Ok(true)
    }

    /// Run `f` with an import transaction, then commit if it returns `true` with its
    /// value, or roll back (also on error).
    pub fn import_with<T>(
        &mut self,
        now: DateTime<Local>,
        f: impl FnOnce(&mut ImportTx<'_>) -> Result<(T, bool)>,
    ) -> Result<T> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| open::db_error(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        // SQLite's default page cache (2 MiB) is kept on purpose: measured with
        // bench/import, a 16 MiB cache made a 100,000-card import slower (dirty pages
        // pile up until the commit instead of going to the WAL as they fill).
        let result = ImportTx::new(&tx, &path, now)
            .map_err(err)
            .and_then(|mut w| f(&mut w));
        match result {
            Ok((value, true)) => {
                tx.commit().map_err(err)?;
                Ok(value)
            }
            Ok((value, false)) => {
                tx.rollback().map_err(err)?;
                Ok(value)
            }
            Err(e) => {
                // Rolled back by the drop of `tx`; the error that caused it matters more.
                drop(tx);
                Err(e)
            }
        }
    }
}

/// The import of a deck under way.
struct DeckState {
    /// slug → (row id, content digest, retired), for the cards stored before.
    existing: HashMap<String, (i64, u64, bool)>,
    position: i64,
    counts: ImportCounts,
}

/// An import in progress; see [`Store::import_with`].
pub struct ImportTx<'c> {
    conn: &'c Connection,
    path: &'c Path,
    now: DateTime<Local>,
    insert: Statement<'c>,
    update: Statement<'c>,
    reposition: Statement<'c>,
    decks: HashMap<DeckId, DeckState>,
    /// Reused for every card: a large import allocates no JSON text per card.
    tags: Vec<u8>,
    body: Vec<u8>,
}

impl<'c> ImportTx<'c> {
    fn new(conn: &'c Connection, path: &'c Path, now: DateTime<Local>) -> rusqlite::Result<Self> {
        Ok(ImportTx {
            conn,
            path,
            now,
            insert: conn.prepare(
                "INSERT INTO card (deck_id, slug, topic, kind, tags, body, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?,
            update: conn.prepare(
                "UPDATE card SET topic = ?2, kind = ?3, tags = ?4, body = ?5, position = ?6, retired = 0 WHERE id = ?1",
            )?,
            reposition: conn
                .prepare("UPDATE card SET position = ?2 WHERE id = ?1 AND position <> ?2")?,
            decks: HashMap::new(),
            tags: Vec::with_capacity(64),
            body: Vec::with_capacity(1024),
        })
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        open::db_error(self.path, &e)
    }

    /// Is the deck open in this import (its cards are being written)?
    fn is_open(&self, deck: &DeckId) -> bool {
        self.decks.contains_key(deck)
    }

    /// Create the deck or update its header, and note its cards as they are now.
    fn open_deck(&mut self, import: &DeckImport<'_>) -> Result<()> {
        let state = open_deck(self.conn, import, self.now).map_err(|e| self.err(e))?;
        self.decks.insert(import.deck.id.clone(), state);
        Ok(())
    }

    /// Add or update one card of an opened deck.
    fn write(&mut self, deck: &DeckId, card: &Card) -> Result<()> {
        self.write_card(deck, card).map_err(|e| self.err(e))
    }

    fn write_card(&mut self, deck: &DeckId, card: &Card) -> rusqlite::Result<()> {
        let Some(state) = self.decks.get_mut(deck) else {
            return Err(rusqlite::Error::InvalidParameterName(format!(
                "deck {deck} is not open"
            )));
        };
        let conversion = |e: Box<dyn std::error::Error + Send + Sync>| {
            rusqlite::Error::ToSqlConversionFailure(e)
        };
        self.tags.clear();
        self.body.clear();
        serde_json::to_writer(&mut self.tags, &card.tags).map_err(|e| conversion(e.into()))?;
        serde_json::to_writer(&mut self.body, &card.body).map_err(|e| conversion(e.into()))?;
        let tags = std::str::from_utf8(&self.tags).map_err(|e| conversion(e.into()))?;
        let body = std::str::from_utf8(&self.body).map_err(|e| conversion(e.into()))?;
        let kind = card.body.kind();
        let position = state.position;
        state.position += 1;
        match state.existing.remove(card.id.as_str()) {
            None => {
                self.insert.execute(params![
                    deck, card.id, card.topic, kind, tags, body, position
                ])?;
                state.counts.added += 1;
            }
            Some((id, content, retired)) => {
                if retired || content != digest(card.topic.as_str(), kind, tags, body) {
                    self.update
                        .execute(params![id, card.topic, kind, tags, body, position])?;
                    state.counts.updated += 1;
                } else {
                    self.reposition.execute(params![id, position])?;
                    state.counts.unchanged += 1;
                }
            }
        }
        Ok(())
    }

    /// Write the deck's topics (known completely only now, for a row format), retire
    /// the deck's cards that were not written, and with `prune` delete every retired
    /// card of the deck. Returns what the import did to the deck.
    pub fn close_deck(&mut self, import: &DeckImport<'_>, prune: bool) -> Result<DeckOutcome> {
        let state = match self.decks.remove(&import.deck.id) {
            Some(state) => state,
            // A deck whose cards never came (none passed the checks): open it now so
            // that its header is stored and its old cards are retired like any other.
            None => open_deck(self.conn, import, self.now).map_err(|e| self.err(e))?,
        };
        close_deck(self.conn, import, state, prune).map_err(|e| self.err(e))
    }

    /// The sink for the cards of the file `source`, shown as the source of its decks.
    pub fn file<'t>(&'t mut self, source: &'t str) -> FileSink<'t, 'c> {
        FileSink { tx: self, source }
    }
}

/// Writes a file's cards as a reader checks them, opening each deck (creating it, or
/// updating its header) the first time the file names it; see [`ImportTx::file`].
pub struct FileSink<'t, 'c> {
    tx: &'t mut ImportTx<'c>,
    source: &'t str,
}

impl CardSink for FileSink<'_, '_> {
    fn deck(&mut self, deck: &Deck, describes_deck: bool) -> Result<()> {
        // Opening again would re-read the deck's stored cards and lose what this import
        // has counted so far.
        if self.tx.is_open(&deck.id) {
            return Ok(());
        }
        self.tx.open_deck(&DeckImport {
            deck,
            source: self.source,
            describes_deck,
        })
    }

    fn card(&mut self, deck: &DeckId, card: Card) -> Result<()> {
        self.tx.write(deck, &card)
    }
}

/// A digest of a stored card's content, to tell "unchanged" without keeping every
/// stored text in memory during a large re-import.
fn digest(topic: &str, kind: &str, tags: &str, body: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (topic, kind, tags, body).hash(&mut h);
    h.finish()
}

/// Import a whole deck inside the caller's transaction (the built-in deck).
pub(super) fn deck_into(
    conn: &Connection,
    import: &DeckImport<'_>,
    now: DateTime<Local>,
) -> rusqlite::Result<ImportCounts> {
    let path = Path::new("");
    let mut tx = ImportTx::new(conn, path, now)?;
    tx.decks
        .insert(import.deck.id.clone(), open_deck(conn, import, now)?);
    for card in &import.deck.cards {
        tx.write_card(&import.deck.id, card)?;
    }
    let state = tx.decks.remove(&import.deck.id);
    drop(tx);
    match state {
        Some(state) => Ok(close_deck(conn, import, state, false)?.counts),
        None => Ok(ImportCounts::default()),
    }
}

fn open_deck(
    conn: &Connection,
    import: &DeckImport<'_>,
    now: DateTime<Local>,
) -> rusqlite::Result<DeckState> {
    let deck = import.deck;
    let framework = serde_json::to_string(&deck.framework).unwrap_or_else(|_| "[]".into());
    let sql = if import.describes_deck {
        "INSERT INTO deck (id, name, description, framework, source, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
            framework = excluded.framework, source = excluded.source, updated_at = excluded.updated_at"
    } else {
        "INSERT INTO deck (id, name, description, framework, source, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at"
    };
    conn.execute(
        sql,
        params![
            deck.id,
            deck.name,
            deck.description,
            framework,
            import.source,
            timestamp(now)
        ],
    )?;

    let mut existing = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, slug, topic, kind, tags, body, retired FROM card WHERE deck_id = ?1",
    )?;
    let mut rows = stmt.query([&deck.id])?;
    while let Some(r) = rows.next()? {
        let content = digest(
            r.get_ref(2)?.as_str()?,
            r.get_ref(3)?.as_str()?,
            r.get_ref(4)?.as_str()?,
            r.get_ref(5)?.as_str()?,
        );
        existing.insert(r.get(1)?, (r.get(0)?, content, r.get(6)?));
    }
    Ok(DeckState {
        existing,
        position: 0,
        counts: ImportCounts::default(),
    })
}

fn close_deck(
    conn: &Connection,
    import: &DeckImport<'_>,
    state: DeckState,
    prune: bool,
) -> rusqlite::Result<DeckOutcome> {
    let deck = import.deck;
    if import.describes_deck {
        for (position, topic) in deck.topics.iter().enumerate() {
            conn.execute(
                "INSERT INTO topic (deck_id, id, name, position) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (deck_id, id) DO UPDATE SET name = excluded.name, position = excluded.position",
                params![deck.id, topic.id, topic.name, position as i64],
            )?;
        }
    } else {
        for topic in &deck.topics {
            // New topics go after the deck's others; a bare id never replaces a name.
            conn.execute(
                "INSERT INTO topic (deck_id, id, name, position)
                 VALUES (?1, ?2, ?3, (SELECT coalesce(max(position) + 1, 0) FROM topic WHERE deck_id = ?1))
                 ON CONFLICT (deck_id, id) DO UPDATE SET name = excluded.name WHERE excluded.name <> excluded.id",
                params![deck.id, topic.id, topic.name],
            )?;
        }
    }
    let mut counts = state.counts;
    let mut retire = conn.prepare_cached("UPDATE card SET retired = 1 WHERE id = ?1")?;
    for (id, _, retired) in state.existing.values() {
        if !retired {
            retire.execute([id])?;
            counts.retired += 1;
        }
    }
    let pruned = if prune {
        conn.execute(
            "DELETE FROM card WHERE deck_id = ?1 AND retired = 1",
            [&deck.id],
        )?
    } else {
        0
    };
    Ok(DeckOutcome { counts, pruned })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::import::parse_toml;

    fn now() -> DateTime<Local> {
        Local
            .with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
            .earliest()
            .unwrap()
    }

    #[test]
    fn only_a_store_without_anything_made_in_it_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path, false).unwrap();
        assert!(store.remove_if_pristine().unwrap());
        assert!(!path.exists());

        let deck = parse_toml(
            "t.toml",
            "[deck]\nid = \"d\"\nname = \"D\"\n[[topic]]\nid = \"t\"\nname = \"T\"\n\
             [[card]]\nid = \"c\"\nkind = \"recall\"\ntopic = \"t\"\nprompt = \"P\"\nanswer = \"A\"\n",
        )
        .unwrap();
        let mut store = Store::open(&path, false).unwrap();
        store.import(&[(&deck, "t.toml")], now(), false).unwrap();
        assert!(!store.remove_if_pristine().unwrap());
        assert!(
            path.exists(),
            "a store with a deck of the learner's is kept"
        );
    }
}
