//! Importing decks: every deck of a call in one IMMEDIATE transaction, so that a
//! failure anywhere (or `--dry-run`) leaves the file exactly as it was.
//!
//! Cards are matched by `deck id / card id`, so a card keeps its schedule and history
//! when its text changes. Cards missing from a re-imported deck are retired (kept, never
//! asked); pruning deletes the retired cards of the imported decks with their history.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::{DateTime, Local};
use rusqlite::{Connection, TransactionBehavior, params};

use super::{ImportCounts, Store, open, timestamp};
use crate::deck::Deck;
use crate::error::Result;

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

#[derive(Default)]
pub struct ImportOptions<'p> {
    /// Check and count, then roll back.
    pub dry_run: bool,
    /// Delete the retired cards of the imported decks (with their schedule and reviews).
    pub prune: bool,
    /// Told the number of cards written so far, every few hundred cards.
    pub progress: Option<&'p mut dyn FnMut(usize)>,
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
        let decks: Vec<DeckImport<'_>> = decks.iter().map(|(d, s)| DeckImport::new(d, s)).collect();
        let options = ImportOptions {
            dry_run,
            ..ImportOptions::default()
        };
        let outcomes = self.import_decks(&decks, now, options)?;
        Ok(outcomes.into_iter().map(|o| o.counts).collect())
    }

    /// [`Store::import`] with every option: one transaction for all `decks`.
    pub fn import_decks(
        &mut self,
        decks: &[DeckImport<'_>],
        now: DateTime<Local>,
        mut options: ImportOptions<'_>,
    ) -> Result<Vec<DeckOutcome>> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| open::db_error(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut outcomes = Vec::with_capacity(decks.len());
        let mut done = 0;
        for deck in decks {
            let mut progress = |n: usize| {
                if let Some(p) = options.progress.as_mut() {
                    p(done + n);
                }
            };
            let counts = deck_into(&tx, deck, now, &mut progress).map_err(err)?;
            done += deck.deck.cards.len();
            let pruned = if options.prune {
                tx.execute(
                    "DELETE FROM card WHERE deck_id = ?1 AND retired = 1",
                    [&deck.deck.id],
                )
                .map_err(err)?
            } else {
                0
            };
            outcomes.push(DeckOutcome { counts, pruned });
        }
        if options.dry_run {
            tx.rollback().map_err(err)?;
        } else {
            tx.commit().map_err(err)?;
        }
        Ok(outcomes)
    }
}

/// A digest of a stored card's content, to tell "unchanged" without keeping every
/// stored text in memory during a large re-import.
fn digest(topic: &str, kind: &str, tags: &str, body: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (topic, kind, tags, body).hash(&mut h);
    h.finish()
}

/// Import one deck inside the caller's transaction. `progress` is told the number of
/// this deck's cards written so far.
pub(super) fn deck_into(
    tx: &Connection,
    import: &DeckImport<'_>,
    now: DateTime<Local>,
    progress: &mut dyn FnMut(usize),
) -> rusqlite::Result<ImportCounts> {
    let deck = import.deck;
    let framework = serde_json::to_string(&deck.framework).unwrap_or_else(|_| "[]".into());
    if import.describes_deck {
        tx.execute(
            "INSERT INTO deck (id, name, description, framework, source, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
                framework = excluded.framework, source = excluded.source, updated_at = excluded.updated_at",
            params![deck.id, deck.name, deck.description, framework, import.source, timestamp(now)],
        )?;
        for (position, topic) in deck.topics.iter().enumerate() {
            tx.execute(
                "INSERT INTO topic (deck_id, id, name, position) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (deck_id, id) DO UPDATE SET name = excluded.name, position = excluded.position",
                params![deck.id, topic.id, topic.name, position as i64],
            )?;
        }
    } else {
        tx.execute(
            "INSERT INTO deck (id, name, description, framework, source, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at",
            params![deck.id, deck.name, deck.description, framework, import.source, timestamp(now)],
        )?;
        for topic in &deck.topics {
            // New topics go after the deck's others; a bare id never replaces a name.
            tx.execute(
                "INSERT INTO topic (deck_id, id, name, position)
                 VALUES (?1, ?2, ?3, (SELECT coalesce(max(position) + 1, 0) FROM topic WHERE deck_id = ?1))
                 ON CONFLICT (deck_id, id) DO UPDATE SET name = excluded.name WHERE excluded.name <> excluded.id",
                params![deck.id, topic.id, topic.name],
            )?;
        }
    }

    // slug → (row id, content digest, retired)
    let mut existing: HashMap<String, (i64, u64, bool)> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached(
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
    }

    let mut counts = ImportCounts::default();
    let mut insert = tx.prepare_cached(
        "INSERT INTO card (deck_id, slug, topic, kind, tags, body, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE card SET topic = ?2, kind = ?3, tags = ?4, body = ?5, position = ?6, retired = 0 WHERE id = ?1",
    )?;
    let mut reposition =
        tx.prepare_cached("UPDATE card SET position = ?2 WHERE id = ?1 AND position <> ?2")?;
    // Reused for every card: a large import allocates no JSON text per card.
    let (mut tags, mut body) = (Vec::with_capacity(64), Vec::with_capacity(1024));
    for (position, card) in deck.cards.iter().enumerate() {
        tags.clear();
        body.clear();
        let json_failed =
            |e: serde_json::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
        serde_json::to_writer(&mut tags, &card.tags).map_err(json_failed)?;
        serde_json::to_writer(&mut body, &card.body).map_err(json_failed)?;
        let utf8_failed =
            |e: std::str::Utf8Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
        let tags_json = std::str::from_utf8(&tags).map_err(utf8_failed)?;
        let body_json = std::str::from_utf8(&body).map_err(utf8_failed)?;
        let kind = card.body.kind();
        match existing.remove(card.id.as_str()) {
            None => {
                insert.execute(params![
                    deck.id,
                    card.id,
                    card.topic,
                    kind,
                    tags_json,
                    body_json,
                    position as i64
                ])?;
                counts.added += 1;
            }
            Some((id, content, retired)) => {
                if retired || content != digest(card.topic.as_str(), kind, tags_json, body_json) {
                    update.execute(params![
                        id,
                        card.topic,
                        kind,
                        tags_json,
                        body_json,
                        position as i64
                    ])?;
                    counts.updated += 1;
                } else {
                    reposition.execute(params![id, position as i64])?;
                    counts.unchanged += 1;
                }
            }
        }
        if position % 512 == 511 {
            progress(position + 1);
        }
    }
    progress(deck.cards.len());
    let mut retire = tx.prepare_cached("UPDATE card SET retired = 1 WHERE id = ?1")?;
    for (id, _, retired) in existing.values() {
        if !retired {
            retire.execute([id])?;
            counts.retired += 1;
        }
    }
    Ok(counts)
}
