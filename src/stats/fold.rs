//! How `mlsec stats` folds what the store streams into its figures: the answers of a
//! range of cards (one pass over the history index), then the cards themselves without
//! their content, each added in as it comes. Two ranges read in two threads merge into
//! the same figures as one.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use super::{CardCounts, FORECAST_DAYS, ForecastDay, Query, WeakCard, is_leech, ratio};
use crate::clock::StudyDay;
use crate::deck::CardBody;
use crate::error::Result;
use crate::sched::{Ef, Schedule};
use crate::store::cards::CardSummary;
use crate::store::history::{CardHistory, RetentionCounts, Tally};
use crate::store::{CardKey, KeyRange, Store};

/// The figures of a range of cards: one pass over their answers, then one over the
/// cards themselves (without their content), each folded in as it comes. Memory holds a
/// few numbers per card and per topic, never the cards or the answers.
pub(super) struct Part {
    pub(super) cards: CardCounts,
    /// Graded answers and repeats in the window.
    pub(super) reviews: Tally,
    pub(super) topics: TopicTable,
    pub(super) due: Forecast,
    pub(super) weak: Weakest,
    pub(super) retention: RetentionCounts,
    pub(super) days: Vec<(StudyDay, u64)>,
}

impl Part {
    pub(super) fn read(
        store: &Store,
        query: &Query,
        since: Option<StudyDay>,
        range: KeyRange,
    ) -> Result<Part> {
        let history = store.history(&query.filter, since, range)?;
        let mut cards = CardCounts::default();
        let mut reviews = Tally::default();
        let mut topics = TopicTable::default();
        let mut due = Forecast::new(query.today);
        let mut weak = Weakest::new(query.limit);
        store.each_card_summary(&query.filter, range, |card| {
            let graded = history.card(card.key);
            let topic = topics.get(card.deck, card.topic);
            if let Some(h) = graded {
                let w = h.window;
                add_tally(&mut reviews, w);
                // A topic has history when it has any answer in the window, as a GROUP
                // BY over the answers would have it.
                if w.answered + w.repeats > 0 {
                    add_tally(topic.tally.get_or_insert_default(), w);
                }
            }
            if card.retired {
                return Ok(()); // its history counts, the card itself is gone from the deck
            }
            let schedule = card.schedule.as_ref();
            cards.add(schedule);
            topic.cards.get_or_insert_default().add(schedule);
            if let Some(s) = schedule {
                due.add(s.due);
                weak.offer(store, card, s, graded)?;
            }
            Ok(())
        })?;
        Ok(Part {
            cards,
            reviews,
            topics,
            due,
            weak,
            retention: history.retention,
            days: history.days,
        })
    }

    pub(super) fn merge(mut self, other: Part) -> Part {
        self.cards.merge(&other.cards);
        add_tally(&mut self.reviews, other.reviews);
        self.topics.merge(other.topics);
        for (mine, theirs) in self.due.counts.iter_mut().zip(other.due.counts) {
            *mine += theirs;
        }
        for candidate in other.weak.heap {
            self.weak.keep(candidate);
        }
        for (mine, theirs) in [
            (&mut self.retention.young, other.retention.young),
            (&mut self.retention.mature, other.retention.mature),
        ] {
            mine.due += theirs.due;
            mine.passed += theirs.passed;
        }
        self.days.extend(other.days);
        self.days.sort_unstable();
        self.days.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        self
    }
}

fn add_tally(sum: &mut Tally, t: Tally) {
    sum.answered += t.answered;
    sum.correct += t.correct;
    sum.repeats += t.repeats;
}

/// Card counts and graded answers of one topic, as the cards come.
#[derive(Default)]
pub(super) struct TopicAcc {
    /// `None` until a card of the topic that is not retired comes.
    pub(super) cards: Option<CardCounts>,
    /// `None` until an answer in the window comes.
    pub(super) tally: Option<Tally>,
}

/// Topics by deck and id, looked up without allocating for each card.
#[derive(Default)]
pub(super) struct TopicTable {
    index: HashMap<String, usize>,
    topics: Vec<TopicAcc>,
    /// `deck` LF `topic` (ids never hold a line break), reused for every lookup.
    key: String,
}

impl TopicTable {
    fn key(&mut self, deck: &str, topic: &str) {
        self.key.clear();
        self.key.push_str(deck);
        self.key.push('\n');
        self.key.push_str(topic);
    }

    fn get(&mut self, deck: &str, topic: &str) -> &mut TopicAcc {
        self.key(deck, topic);
        let i = match self.index.get(self.key.as_str()) {
            Some(&i) => i,
            None => {
                self.index.insert(self.key.clone(), self.topics.len());
                self.topics.push(TopicAcc::default());
                self.topics.len() - 1
            }
        };
        &mut self.topics[i]
    }

    pub(super) fn remove(&mut self, deck: &str, topic: &str) -> Option<TopicAcc> {
        self.key(deck, topic);
        let i = self.index.remove(self.key.as_str())?;
        self.topics.get_mut(i).map(std::mem::take)
    }

    fn merge(&mut self, mut other: TopicTable) {
        for (key, i) in other.index {
            let Some(theirs) = other.topics.get_mut(i).map(std::mem::take) else {
                continue;
            };
            let mine = match self.index.get(&key) {
                Some(&j) => &mut self.topics[j],
                None => {
                    self.index.insert(key, self.topics.len());
                    self.topics.push(TopicAcc::default());
                    let last = self.topics.len() - 1;
                    &mut self.topics[last]
                }
            };
            if let Some(c) = theirs.cards {
                mine.cards.get_or_insert_default().merge(&c);
            }
            if let Some(t) = theirs.tally {
                add_tally(mine.tally.get_or_insert_default(), t);
            }
        }
    }
}

/// Cards due on each of the next [`FORECAST_DAYS`] days; overdue cards count today.
pub(super) struct Forecast {
    today: StudyDay,
    counts: [u64; FORECAST_DAYS],
}

impl Forecast {
    fn new(today: StudyDay) -> Forecast {
        Forecast {
            today,
            counts: [0; FORECAST_DAYS],
        }
    }

    fn add(&mut self, due: StudyDay) {
        let offset = self.today.days_until(due).max(0);
        if let Some(slot) = usize::try_from(offset)
            .ok()
            .and_then(|i| self.counts.get_mut(i))
        {
            *slot += 1;
        }
    }

    pub(super) fn days(&self) -> Vec<ForecastDay> {
        self.counts
            .iter()
            .enumerate()
            .map(|(i, &due)| ForecastDay {
                day: self.today.plus(i as i64),
                due,
            })
            .collect()
    }
}

/// The `limit` cards that hurt most: most lapses, then lowest EF, then lowest accuracy,
/// then by id. A card that never lapsed and kept its starting EF is not weak, whatever
/// its accuracy. Only `limit` candidates are ever kept.
pub(super) struct Weakest {
    limit: usize,
    /// The worst-ranked kept candidate on top.
    heap: BinaryHeap<WeakCandidate>,
}

struct WeakCandidate {
    key: CardKey,
    card: WeakCard,
}

/// Most lapses, then lowest EF, then lowest accuracy (none counts as 100%) come first.
fn weakness(a: (u32, Ef, Option<f64>), b: (u32, Ef, Option<f64>)) -> Ordering {
    b.0.cmp(&a.0)
        .then(a.1.cmp(&b.1))
        .then(a.2.unwrap_or(1.0).total_cmp(&b.2.unwrap_or(1.0)))
}

impl WeakCandidate {
    fn key(&self) -> (u32, Ef, Option<f64>) {
        (self.card.lapses, self.card.ef, self.card.accuracy)
    }

    fn rank(&self, other: &Self) -> Ordering {
        weakness(self.key(), other.key()).then_with(|| self.card.card.cmp(&other.card.card))
    }
}

impl PartialEq for WeakCandidate {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other) == Ordering::Equal
    }
}
impl Eq for WeakCandidate {}
impl PartialOrd for WeakCandidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for WeakCandidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank(other)
    }
}

impl Weakest {
    fn new(limit: usize) -> Weakest {
        Weakest {
            limit,
            heap: BinaryHeap::new(),
        }
    }

    fn offer(
        &mut self,
        store: &Store,
        card: &CardSummary<'_>,
        s: &Schedule,
        graded: Option<&CardHistory>,
    ) -> Result<()> {
        if self.limit == 0 || !(s.lapses > 0 || s.ef < Ef::INITIAL) {
            return Ok(());
        }
        let (answered, correct) = graded.map_or((0, 0), |h| (h.answered, h.correct));
        let accuracy = ratio(correct, answered);
        let mut name = None;
        if self.heap.len() >= self.limit {
            // Most cards lose to the weakest kept one: tell without reading their id,
            // unless they tie with it.
            let Some(worst) = self.heap.peek() else {
                return Ok(());
            };
            let order = match weakness((s.lapses, s.ef, accuracy), worst.key()) {
                Ordering::Equal => {
                    let n = store.card_name(card.key)?;
                    let order = n.cmp(&worst.card.card);
                    name = Some(n);
                    order
                }
                order => order,
            };
            if order != Ordering::Less {
                return Ok(());
            }
        }
        let candidate = WeakCandidate {
            key: card.key,
            card: WeakCard {
                card: match name {
                    Some(n) => n,
                    None => store.card_name(card.key)?,
                },
                topic: card.topic.to_string(),
                question: String::new(), // read for the few that are kept, at the end
                lapses: s.lapses,
                ef: s.ef,
                interval: s.interval.days(),
                due: s.due,
                answered,
                correct,
                accuracy,
                leech: is_leech(Some(s)),
            },
        };
        if self.heap.len() >= self.limit {
            self.heap.pop();
        }
        self.heap.push(candidate);
        Ok(())
    }

    /// Keep a candidate of another part if it ranks among the `limit` weakest.
    fn keep(&mut self, candidate: WeakCandidate) {
        if self.heap.len() < self.limit {
            self.heap.push(candidate);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if candidate < *worst {
                *worst = candidate;
            }
        }
    }

    pub(super) fn finish(self, store: &Store) -> Result<Vec<WeakCard>> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|c| {
                let mut card = c.card;
                card.question = question_line(&store.card_body(c.key)?);
                Ok(card)
            })
            .collect()
    }
}

/// The question on one line, for lists.
fn question_line(body: &CardBody) -> String {
    body.question()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
