//! "Rubric points you miss most" (issue 13): per recall card, how often each rubric point
//! was left unticked among the answers graded by their checklist, worst first. Answers
//! graded 0–5 without a checklist say nothing about single points and are not counted.

use std::collections::HashMap;

use super::{Query, RubricMiss, window_start};
use crate::deck::CardBody;
use crate::error::Result;
use crate::store::{CardKey, Store};

/// Missed and answered counts of one point of one card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Count {
    missed: u64,
    answered: u64,
}

/// The points missed at least once, worst first, at most `query.limit` of them.
pub(super) fn rubric_misses(store: &Store, query: &Query) -> Result<Vec<RubricMiss>> {
    let since = window_start(query.today, query.days);
    let mut counts: HashMap<(CardKey, u32), Count> = HashMap::new();
    store.each_checklist(&query.filter, since, |card, covered, total| {
        for point in 1..=total {
            let count = counts.entry((card, point)).or_default();
            count.answered += 1;
            count.missed += u64::from(covered.binary_search(&point).is_err());
        }
    })?;
    let worst = worst_first(counts, query.limit);
    let mut misses = Vec::with_capacity(worst.len());
    for ((card, point), count) in worst {
        // The point's text as the rubric reads today; a re-import may have shortened it.
        let text = match store.card_body(card)? {
            CardBody::Recall { rubric, .. } => (point as usize)
                .checked_sub(1)
                .and_then(|i| rubric.get(i))
                .cloned(),
            CardBody::Choice { .. } => None,
        };
        misses.push(RubricMiss {
            card: store.card_name(card)?,
            point,
            text,
            missed: count.missed,
            answered: count.answered,
        });
    }
    Ok(misses)
}

/// The points missed at least once: most often missed first, then the larger share
/// missed (fewer answers), then by card and point so that the order is stable.
fn worst_first(
    counts: HashMap<(CardKey, u32), Count>,
    limit: usize,
) -> Vec<((CardKey, u32), Count)> {
    let mut worst: Vec<((CardKey, u32), Count)> =
        counts.into_iter().filter(|(_, c)| c.missed > 0).collect();
    worst.sort_by(|(ka, a), (kb, b)| {
        b.missed
            .cmp(&a.missed)
            .then(
                (u128::from(b.missed) * u128::from(a.answered))
                    .cmp(&(u128::from(a.missed) * u128::from(b.answered))),
            )
            .then(ka.cmp(kb))
    });
    worst.truncate(limit);
    worst
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(missed: u64, answered: u64) -> Count {
        Count { missed, answered }
    }

    #[test]
    fn most_missed_first_then_the_larger_share() {
        let counts: HashMap<(CardKey, u32), Count> = [
            ((CardKey(1), 1), count(1, 4)),
            ((CardKey(1), 2), count(3, 4)),
            ((CardKey(2), 1), count(1, 1)),
            ((CardKey(2), 2), count(0, 5)),
            ((CardKey(3), 4), count(3, 3)),
        ]
        .into_iter()
        .collect();
        let order: Vec<(i64, u32)> = worst_first(counts.clone(), 10)
            .into_iter()
            .map(|((k, p), _)| (k.0, p))
            .collect();
        assert_eq!(
            order,
            [(3, 4), (1, 2), (2, 1), (1, 1)],
            "never missed: not listed"
        );
        assert_eq!(worst_first(counts, 2).len(), 2);
    }
}
