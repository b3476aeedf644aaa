//! The new-card queue of `mlsec study`: the first new card of each topic, then the
//! second of each, and so on, so that a day's new cards span the topics. Topics come in
//! deck order and, within a deck, in the order of its file; cards within a topic in file
//! order.
//!
//! Each topic is read from the `card_study_order` index (migration 005) a few cards at a
//! time and only as far as the queue needs, so ten new cards out of 100,000 cost a few
//! index entries per topic visited. (Numbering every new card with a window function and
//! sorting them all took 150 ms on that collection.)

use std::collections::VecDeque;

use rusqlite::params_from_iter;
use rusqlite::types::Value as SqlValue;

use super::{CardKey, Filter, Result, Store, limit_param};

/// Cards read from one topic at a time: a whole study day in one read for most topics.
const BATCH: usize = 16;

/// One topic's place in the queue: the cards read but not yet queued, and where to read on.
struct TopicCursor {
    deck: String,
    topic: String,
    /// The topic's position in its deck file (the order of topics in a round).
    position: i64,
    read: VecDeque<(i64, CardKey)>,
    /// The last card read, as (position, id): the next read starts after it.
    after: (i64, i64),
    exhausted: bool,
}

impl Store {
    /// At most `limit` new cards in introduction order.
    pub fn new_cards(&self, filter: &Filter, limit: usize) -> Result<Vec<CardKey>> {
        let mut topics = self.topic_cursors()?;
        let mut queue = Vec::new();
        while queue.len() < limit {
            let before = queue.len();
            // One round: the next card of every topic, in topic order. Topics of a deck
            // that share a position (left over from an older file) are ordered by their
            // cards' positions.
            let mut start = 0;
            while start < topics.len() && queue.len() < limit {
                let end = start
                    + topics[start..]
                        .iter()
                        .take_while(|t| {
                            (&t.deck, t.position) == (&topics[start].deck, topics[start].position)
                        })
                        .count();
                let mut heads = Vec::new();
                for t in &mut topics[start..end] {
                    if let Some(head) = self.next_new(t, filter, limit - queue.len())? {
                        heads.push(head);
                    }
                }
                heads.sort_unstable();
                queue.extend(
                    heads
                        .into_iter()
                        .map(|(_, key)| key)
                        .take(limit - queue.len()),
                );
                start = end;
            }
            if queue.len() == before {
                break;
            }
        }
        Ok(queue)
    }

    /// Every topic in queue order. Import writes a topic row for every card's topic and
    /// never deletes one, so the topic table names every card's topic.
    fn topic_cursors(&self) -> Result<Vec<TopicCursor>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT deck_id, id, position FROM topic ORDER BY deck_id, position, id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(TopicCursor {
                    deck: r.get(0)?,
                    topic: r.get(1)?,
                    position: r.get(2)?,
                    read: VecDeque::new(),
                    after: (i64::MIN, i64::MIN),
                    exhausted: false,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// The topic's next new card (with its position), reading on when its cards read so
    /// far are used up; `wanted` bounds the read.
    fn next_new(
        &self,
        t: &mut TopicCursor,
        filter: &Filter,
        wanted: usize,
    ) -> Result<Option<(i64, CardKey)>> {
        if t.read.is_empty() && !t.exhausted {
            let batch = wanted.clamp(1, BATCH);
            let mut params = vec![
                SqlValue::Text(t.deck.clone()),
                SqlValue::Text(t.topic.clone()),
                SqlValue::Integer(t.after.0),
                SqlValue::Integer(t.after.1),
            ];
            let cond = filter.sql(&mut params);
            params.push(SqlValue::Integer(limit_param(batch)));
            let sql = format!(
                "SELECT c.position, c.id FROM card c
                 WHERE c.retired = 0 AND c.deck_id = ? AND c.topic = ? AND (c.position, c.id) > (?, ?){cond}
                   AND NOT EXISTS (SELECT 1 FROM schedule s WHERE s.card_id = c.id)
                 ORDER BY c.position, c.id
                 LIMIT ?"
            );
            let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
            let read: Vec<(i64, CardKey)> = stmt
                .query_map(params_from_iter(params), |r| {
                    Ok((r.get(0)?, CardKey(r.get(1)?)))
                })
                .and_then(Iterator::collect)
                .map_err(|e| self.err(e))?;
            t.exhausted = read.len() < batch;
            if let Some(&(position, key)) = read.last() {
                t.after = (position, key.0);
            }
            t.read.extend(read);
        }
        Ok(t.read.pop_front())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Local, TimeZone};
    use proptest::prelude::*;
    use rusqlite::params;

    use super::*;
    use crate::deck::TopicId;
    use crate::import::parse_toml;

    /// The queue as one statement: every new card numbered within its topic, sorted.
    /// Slow on large collections, plainly right: the oracle for the cursors above.
    fn oracle(store: &Store, filter: &Filter, limit: usize) -> Vec<CardKey> {
        let mut params = Vec::new();
        let cond = filter.sql(&mut params);
        params.push(SqlValue::Integer(limit_param(limit)));
        let sql = format!(
            "SELECT id FROM (
                SELECT c.id, c.deck_id, c.position,
                       row_number() OVER (PARTITION BY c.deck_id, c.topic ORDER BY c.position) AS nth,
                       coalesce(t.position, 0) AS topic_position
                FROM card c
                LEFT JOIN schedule s ON s.card_id = c.id
                LEFT JOIN topic t ON t.deck_id = c.deck_id AND t.id = c.topic
                WHERE s.card_id IS NULL AND c.retired = 0{cond})
             ORDER BY nth, deck_id, topic_position, position
             LIMIT ?"
        );
        store.keys(&sql, params).unwrap()
    }

    /// A store with two decks whose cards are spread over three topics each as
    /// `topics` says; cards listed in `introduced` get a schedule, those in `retired`
    /// are retired.
    fn store(topics: &[(u8, u8)], introduced: &[usize], retired: &[usize]) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let now = Local
            .with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
            .earliest()
            .unwrap();
        for deck in 0..2u8 {
            let mut text = format!("[deck]\nid = \"d{deck}\"\nname = \"D\"\n");
            for t in ["t2", "t0", "t1"] {
                text.push_str(&format!("[[topic]]\nid = \"{t}\"\nname = \"T\"\n"));
            }
            for (i, &(d, t)) in topics.iter().enumerate() {
                if d % 2 == deck {
                    text.push_str(&format!(
                        "[[card]]\nid = \"c{i}\"\nkind = \"recall\"\ntopic = \"t{}\"\nprompt = \"p\"\nanswer = \"a\"\n",
                        t % 3
                    ));
                }
            }
            if !text.contains("[[card]]") {
                continue; // a deck needs a card
            }
            let parsed = parse_toml("t.toml", &text).unwrap();
            store.import(&[(&parsed, "t.toml")], now, false).unwrap();
        }
        let ids: Vec<i64> = store
            .conn
            .prepare("SELECT id FROM card ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for &i in introduced {
            if let Some(id) = ids.get(i % ids.len().max(1)) {
                store
                    .conn
                    .execute(
                        "INSERT OR IGNORE INTO schedule (card_id, repetitions, ef, interval, due, lapses, introduced)
                         VALUES (?1, 1, 250, 1, '2026-03-02', 0, '2026-03-01')",
                        params![id],
                    )
                    .unwrap();
            }
        }
        for &i in retired {
            if let Some(id) = ids.get(i % ids.len().max(1)) {
                store
                    .conn
                    .execute("UPDATE card SET retired = 1 WHERE id = ?1", params![id])
                    .unwrap();
            }
        }
        store
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn the_queue_is_the_numbered_and_sorted_new_cards(
            topics in proptest::collection::vec((0u8..2, 0u8..3), 0..60),
            introduced in proptest::collection::vec(0usize..60, 0..40),
            retired in proptest::collection::vec(0usize..60, 0..5),
            only in proptest::option::of(0u8..3),
            limit in 0usize..70,
        ) {
            let store = store(&topics, &introduced, &retired);
            let filter = Filter {
                topics: only.map(|t| TopicId::new(format!("t{t}"))).into_iter().collect(),
                ..Filter::default()
            };
            prop_assert_eq!(store.new_cards(&filter, limit).unwrap(), oracle(&store, &filter, limit));
        }
    }
}
