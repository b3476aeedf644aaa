//! Grading a recall answer by its rubric (issue 13): the points an answer covered, and
//! the grade that the share covered suggests. The learner ticks the points in the
//! terminal, a script names them (`{"covered":[1,3]}`); either way the grade follows
//! from the same rule, and SM-2 receives it like any other grade.

use crate::sched::Quality;

/// The rubric points an answer covered: numbers from 1 in the order the rubric is shown,
/// sorted, without repeats, each at most `total`. `total` is at least 1: a card without a
/// rubric is graded 0–5 directly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checklist {
    covered: Vec<u32>,
    total: u32,
}

impl Checklist {
    /// From point numbers as a script gives them (any order, repeats allowed), for a
    /// rubric of `total` points; the error names a point outside it.
    pub fn new(points: &[i64], total: usize) -> Result<Checklist, String> {
        let total32 = u32::try_from(total).unwrap_or(u32::MAX);
        if total32 == 0 {
            return Err(
                "this card has no rubric: grade it with {\"grade\":N}, N from 0 to 5".into(),
            );
        }
        let mut covered = Vec::with_capacity(points.len());
        for &p in points {
            match u32::try_from(p) {
                Ok(n) if (1..=total32).contains(&n) => covered.push(n),
                _ => {
                    return Err(format!(
                        "point {p} is not in the rubric: its points are numbered 1 to {total}"
                    ));
                }
            }
        }
        covered.sort_unstable();
        covered.dedup();
        Ok(Checklist {
            covered,
            total: total32,
        })
    }

    /// From the ticked entries of the terminal's checklist (0-based, in rubric order).
    pub fn ticked(indices: &[usize], total: usize) -> Checklist {
        let total32 = u32::try_from(total).unwrap_or(u32::MAX).max(1);
        let mut covered: Vec<u32> = indices
            .iter()
            .filter_map(|&i| u32::try_from(i + 1).ok())
            .filter(|&n| n <= total32)
            .collect();
        covered.sort_unstable();
        covered.dedup();
        Checklist {
            covered,
            total: total32,
        }
    }

    /// The points covered, numbered from 1, ascending.
    pub fn covered(&self) -> &[u32] {
        &self.covered
    }

    /// The number of points in the rubric.
    pub fn total(&self) -> u32 {
        self.total
    }

    /// The points not covered, numbered from 1, ascending.
    pub fn missed(&self) -> Vec<u32> {
        (1..=self.total)
            .filter(|n| self.covered.binary_search(n).is_err())
            .collect()
    }

    /// The grade the share covered suggests.
    pub fn suggested(&self) -> Quality {
        suggested_grade(self.covered.len(), self.total as usize)
    }
}

/// The grade for `covered` of `points` rubric points, s = covered / points: 5 when
/// s = 1, 4 when s ≥ 0.75, 3 when s ≥ 0.5, 2 when s ≥ 0.25, 1 when some but less, 0 when
/// none. In integers (covered × 4 against points × k), so that 3 of 4 is exactly 0.75
/// and never a float just below it.
pub fn suggested_grade(covered: usize, points: usize) -> Quality {
    let (c, p) = (covered as u128 * 4, points as u128);
    if covered == 0 || points == 0 {
        Quality::BLACKOUT
    } else if c >= p * 4 {
        Quality::PERFECT
    } else if c >= p * 3 {
        Quality::CORRECT
    } else if c >= p * 2 {
        Quality::HESITANT
    } else if c >= p {
        Quality::GUESSED
    } else {
        Quality::WRONG
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(covered: usize, points: usize) -> u8 {
        suggested_grade(covered, points).value()
    }

    #[test]
    fn every_boundary_of_the_share() {
        // Four points: each share is one of the boundaries itself.
        assert_eq!(
            [g(0, 4), g(1, 4), g(2, 4), g(3, 4), g(4, 4)],
            [0, 2, 3, 4, 5]
        );
        // Just below and at each boundary, where a float could land either side.
        assert_eq!(g(74, 100), 3);
        assert_eq!(g(75, 100), 4);
        assert_eq!(g(49, 100), 2);
        assert_eq!(g(50, 100), 3);
        assert_eq!(g(24, 100), 1);
        assert_eq!(g(25, 100), 2);
        assert_eq!(g(99, 100), 4);
        assert_eq!(g(100, 100), 5);
        assert_eq!(g(1, 100), 1, "some but less than a quarter");
        // Shares that are not exact in binary: 2/3 ≥ 0.5, 1/3 ≥ 0.25, 5/6 ≥ 0.75.
        assert_eq!([g(1, 3), g(2, 3), g(3, 3)], [2, 3, 5]);
        assert_eq!(
            [g(1, 6), g(2, 6), g(3, 6), g(4, 6), g(5, 6)],
            [1, 2, 3, 3, 4]
        );
        assert_eq!([g(1, 5), g(2, 5), g(3, 5), g(4, 5)], [1, 2, 3, 4]);
        assert_eq!([g(0, 1), g(1, 1)], [0, 5]);
        assert_eq!([g(1, 2), g(2, 2)], [3, 5]);
        assert_eq!(g(usize::MAX, usize::MAX), 5, "no overflow");
        assert_eq!(g(0, 0), 0);
    }

    #[test]
    fn points_are_sorted_deduplicated_and_checked() {
        let c = Checklist::new(&[3, 1, 3], 4).unwrap();
        assert_eq!((c.covered(), c.total()), (&[1, 3][..], 4));
        assert_eq!(c.missed(), [2, 4]);
        assert_eq!(c.suggested(), Quality::HESITANT);
        assert_eq!(
            Checklist::new(&[], 4).unwrap().suggested(),
            Quality::BLACKOUT
        );
        for bad in [0, 5, -1, i64::MAX] {
            let e = Checklist::new(&[1, bad], 4).unwrap_err();
            assert!(
                e.contains(&format!("point {bad} ")) && e.contains("1 to 4"),
                "{e}"
            );
        }
        assert!(Checklist::new(&[], 0).unwrap_err().contains("no rubric"));
    }

    #[test]
    fn ticked_entries_are_points_from_one() {
        let c = Checklist::ticked(&[2, 0, 1], 4);
        assert_eq!(c.covered(), [1, 2, 3]);
        assert_eq!(c.missed(), [4]);
        assert_eq!(c.suggested(), Quality::CORRECT);
        assert_eq!(Checklist::ticked(&[9], 4).covered(), [0u32; 0]);
    }
}
