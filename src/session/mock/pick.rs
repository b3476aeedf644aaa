//! Choosing a mock's questions: stratified across topics, weighted toward weak spots.
//!
//! Round by round, each topic that still has cards offers one, drawn by weight; the
//! round's cards are then put in order by a weighted draw without replacement, and the
//! last round, when only part of it is needed, keeps the first ones. So every topic is
//! asked once before any is asked twice, and the weaker the card, the likelier it is
//! asked (and asked early). Everything is a pure function of the candidates and the
//! seeded [`Rng`]: same seed, same database, same questions in the same order.

use crate::rng::Rng;
use crate::store::{CardKey, MockCandidate};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weighting {
    /// Toward low accuracy, lapses and cards never seen.
    Weak,
    /// Every card alike (`--random`).
    Uniform,
}

impl Weighting {
    pub fn as_str(self) -> &'static str {
        match self {
            Weighting::Weak => "weak",
            Weighting::Uniform => "random",
        }
    }
}

/// A card never answered: as likely as one answered wrong four times in five.
const NEVER_SEEN: u64 = 5;

/// How much a card is wanted: 1 for a card always answered right, plus up to 4 for the
/// share of misses, plus 2 per lapse (up to 3 lapses); [`NEVER_SEEN`] for a new card.
pub fn weight(c: &MockCandidate, weighting: Weighting) -> u64 {
    if weighting == Weighting::Uniform {
        return 1;
    }
    if c.answered == 0 {
        return NEVER_SEEN;
    }
    let answered = u64::from(c.answered);
    let misses = answered.saturating_sub(u64::from(c.correct));
    // Rounded share of misses, in quarters.
    let miss_share = (4 * misses + answered / 2) / answered;
    1 + miss_share + 2 * u64::from(c.lapses.min(3))
}

/// Index of a weighted draw from `weights` (all positive).
fn draw(weights: &[u64], rng: &mut Rng) -> usize {
    let total: u64 = weights.iter().sum();
    let mut r = rng.below(usize::try_from(total).unwrap_or(usize::MAX)) as u64;
    for (i, &w) in weights.iter().enumerate() {
        if r < w {
            return i;
        }
        r -= w;
    }
    weights.len().saturating_sub(1)
}

/// Up to `count` cards, in the order to ask them.
pub fn pick(
    candidates: &[MockCandidate],
    count: usize,
    weighting: Weighting,
    rng: &mut Rng,
) -> Vec<CardKey> {
    // Topics in order of first appearance, each with its remaining cards.
    let mut topics: Vec<(&str, Vec<&MockCandidate>)> = Vec::new();
    for c in candidates {
        match topics.iter_mut().find(|(t, _)| *t == c.topic) {
            Some((_, cards)) => cards.push(c),
            None => topics.push((&c.topic, vec![c])),
        }
    }
    let mut picked = Vec::new();
    while picked.len() < count {
        let mut round: Vec<&MockCandidate> = Vec::new();
        for (_, cards) in topics.iter_mut().filter(|(_, cards)| !cards.is_empty()) {
            let weights: Vec<u64> = cards.iter().map(|c| weight(c, weighting)).collect();
            round.push(cards.remove(draw(&weights, rng)));
        }
        if round.is_empty() {
            break;
        }
        while !round.is_empty() && picked.len() < count {
            let weights: Vec<u64> = round.iter().map(|c| weight(c, weighting)).collect();
            picked.push(round.remove(draw(&weights, rng)).key);
        }
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(key: i64, topic: &str, answered: u32, correct: u32, lapses: u32) -> MockCandidate {
        MockCandidate {
            key: CardKey(key),
            topic: topic.to_string(),
            answered,
            correct,
            lapses,
        }
    }

    /// Three topics of four cards each, never seen.
    fn pool() -> Vec<MockCandidate> {
        (0..12)
            .map(|i| card(i, ["a", "b", "c"][(i % 3) as usize], 0, 0, 0))
            .collect()
    }

    fn topic_of(pool: &[MockCandidate], key: CardKey) -> String {
        pool.iter().find(|c| c.key == key).unwrap().topic.clone()
    }

    #[test]
    fn every_topic_once_before_any_twice() {
        let pool = pool();
        for seed in 0..50 {
            let keys = pick(&pool, 7, Weighting::Weak, &mut Rng::new(seed));
            assert_eq!(keys.len(), 7);
            let topics: Vec<String> = keys.iter().map(|&k| topic_of(&pool, k)).collect();
            for round in topics.chunks(3) {
                let mut r = round.to_vec();
                r.sort();
                r.dedup();
                assert_eq!(r.len(), round.len(), "seed {seed}: {topics:?}");
            }
            let mut unique = keys.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 7, "no card twice");
        }
    }

    #[test]
    fn same_seed_same_questions_and_a_small_pool_is_used_up() {
        let pool = pool();
        let a = pick(&pool, 5, Weighting::Weak, &mut Rng::new(9));
        assert_eq!(a, pick(&pool, 5, Weighting::Weak, &mut Rng::new(9)));
        assert_ne!(a, pick(&pool, 5, Weighting::Weak, &mut Rng::new(10)));
        assert_eq!(
            pick(&pool, 50, Weighting::Uniform, &mut Rng::new(1)).len(),
            12
        );
        assert!(pick(&[], 5, Weighting::Weak, &mut Rng::new(1)).is_empty());
    }

    #[test]
    fn weak_cards_are_asked_more_often_unless_random() {
        // One topic: a card always right, one often missed with lapses, one never seen.
        let pool = vec![
            card(1, "t", 10, 10, 0),
            card(2, "t", 10, 3, 3),
            card(3, "t", 0, 0, 0),
        ];
        assert_eq!(weight(&pool[0], Weighting::Weak), 1);
        assert_eq!(weight(&pool[1], Weighting::Weak), 1 + 3 + 6);
        assert_eq!(weight(&pool[2], Weighting::Weak), NEVER_SEEN);
        let firsts = |weighting| {
            let mut n = [0; 3];
            for seed in 0..600 {
                let k = pick(&pool, 1, weighting, &mut Rng::new(seed))[0];
                n[(k.0 - 1) as usize] += 1;
            }
            n
        };
        let weak = firsts(Weighting::Weak);
        assert!(weak[1] > weak[2] && weak[2] > weak[0], "{weak:?}");
        assert!(weak[0] < 100, "a known card is rarely asked: {weak:?}");
        let uniform = firsts(Weighting::Uniform);
        assert!(
            uniform.iter().all(|&n| (150..250).contains(&n)),
            "{uniform:?}"
        );
    }
}
