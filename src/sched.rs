//! SM-2, exactly as `SM2-SPEC.md` (version 1) reads it. Pure: no clock, no I/O.
//!
//! EF lives in integer hundredths ("centi-EF") so that every result is the exact decimal
//! one (spec §6): the interval is `ceil(I × EF)` computed as `(I × ef_c + 99) div 100`
//! in 64-bit integers, using the EF held *before* the review (spec D2); every grade moves
//! EF, failures included (D1); a lapse restarts at (0, EF', 1) (D5).

use std::fmt;

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Serialize, Serializer};

use crate::clock::StudyDay;
use crate::error::Error;

/// The E-Factor in hundredths: `Ef(250)` is 2.50.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ef(i64);

impl Ef {
    pub const INITIAL: Ef = Ef(250);
    pub const FLOOR: Ef = Ef(130);

    pub fn from_centi(centi: i64) -> Ef {
        Ef(centi.max(Self::FLOOR.0))
    }

    pub fn centi(self) -> i64 {
        self.0
    }

    /// For JSON and display only; arithmetic never goes through floating point.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl fmt::Display for Ef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Serialize for Ef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl ToSql for Ef {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for Ef {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(Ef::from_centi)
    }
}

/// The quality of one answer, 0..=5 (spec §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Quality(u8);

impl Quality {
    pub const BLACKOUT: Quality = Quality(0);
    pub const WRONG: Quality = Quality(1);
    pub const GUESSED: Quality = Quality(2);
    pub const HESITANT: Quality = Quality(3);
    pub const CORRECT: Quality = Quality(4);
    pub const PERFECT: Quality = Quality(5);

    /// From this grade up an answer passes: the interval grows (spec §4 step A). The
    /// rule's one home: the store's figures compare with this, never with a 3.
    pub const PASS_FROM: Quality = Quality::HESITANT;
    /// Below this grade the card joins today's repeat queue (spec §7). The rule's one
    /// home: the store's queries bind this, never a 4.
    pub const REPEAT_BELOW: Quality = Quality::CORRECT;

    pub const fn value(self) -> u8 {
        self.0
    }

    /// q ≥ 3: the interval grows (spec §4 step A).
    pub fn passes(self) -> bool {
        self >= Self::PASS_FROM
    }

    /// q < 4: the card joins today's repeat queue (spec §7).
    pub fn needs_repeat(self) -> bool {
        self < Self::REPEAT_BELOW
    }

    /// Woźniak's definition, for labels in the grade prompt.
    pub fn label(self) -> &'static str {
        match self.0 {
            5 => "perfect response",
            4 => "correct after a hesitation",
            3 => "correct, recalled with serious difficulty",
            2 => "incorrect, but the answer seemed easy once shown",
            1 => "incorrect; remembered once shown",
            _ => "complete blackout",
        }
    }
}

impl TryFrom<i64> for Quality {
    type Error = Error;
    fn try_from(q: i64) -> Result<Quality, Error> {
        match u8::try_from(q) {
            Ok(v) if v <= 5 => Ok(Quality(v)),
            _ => Err(Error::InvalidGrade(q.to_string())),
        }
    }
}

impl ToSql for Quality {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(i64::from(self.0)))
    }
}

impl FromSql for Quality {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let v = i64::column_result(value)?;
        Quality::try_from(v).map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
    }
}

/// An inter-repetition interval in days. 64-bit: the spec's fifteen 5s already reach
/// 32,304,906 days and `I × ef_c` passes 2³¹.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Interval(i64);

impl Interval {
    pub const NONE: Interval = Interval(0);

    pub fn days(self) -> i64 {
        self.0
    }

    pub fn from_days(days: i64) -> Interval {
        Interval(days.max(0))
    }
}

impl ToSql for Interval {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for Interval {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(Interval::from_days)
    }
}

/// The SM-2 state of one item (spec §3), without its due date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Memory {
    pub repetitions: u32,
    pub ef: Ef,
    pub interval: Interval,
}

impl Memory {
    pub const NEW: Memory = Memory {
        repetitions: 0,
        ef: Ef::INITIAL,
        interval: Interval::NONE,
    };

    /// One graded review (spec §4, steps A and B).
    pub fn review(self, q: Quality) -> Memory {
        let (repetitions, interval) = if q.passes() {
            let next = match self.repetitions {
                0 => 1,
                1 => 6,
                // ceil(I × EF) in exact hundredths; saturate rather than overflow, far
                // beyond any date a calendar can hold.
                _ => self
                    .interval
                    .0
                    .checked_mul(self.ef.0)
                    .map_or(i64::MAX / 100, |p| {
                        p.div_euclid(100) + i64::from(p.rem_euclid(100) != 0)
                    }),
            };
            (self.repetitions.saturating_add(1), Interval(next))
        } else {
            (0, Interval(1))
        };
        let d = 5 - i64::from(q.0);
        let ef = Ef::from_centi(self.ef.0 + 10 - d * (8 + 2 * d));
        Memory {
            repetitions,
            ef,
            interval,
        }
    }
}

/// What the store keeps per card: SM-2 state, due day and a lapse count for stats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub repetitions: u32,
    pub ef: Ef,
    pub interval: Interval,
    pub due: StudyDay,
    pub lapses: u32,
}

impl Schedule {
    pub fn memory(&self) -> Memory {
        Memory {
            repetitions: self.repetitions,
            ef: self.ef,
            interval: self.interval,
        }
    }
}

/// The graded review of a card on `day` (spec §4 steps A–C). `previous` is `None` for a
/// new card, which starts from (0, 2.50, 0) (spec D8). Lateness does not matter (D9).
pub fn grade(previous: Option<&Schedule>, q: Quality, day: StudyDay) -> Schedule {
    let memory = previous.map_or(Memory::NEW, Schedule::memory).review(q);
    let lapses = previous.map_or(0, |s| s.lapses) + u32::from(!q.passes());
    Schedule {
        repetitions: memory.repetitions,
        ef: memory.ef,
        interval: memory.interval,
        due: day.plus(memory.interval.0),
        lapses,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(grades: &[u8]) -> Vec<(u32, String, i64)> {
        let mut m = Memory::NEW;
        grades
            .iter()
            .map(|&g| {
                m = m.review(Quality::try_from(i64::from(g)).unwrap());
                (m.repetitions, m.ef.to_string(), m.interval.days())
            })
            .collect()
    }

    fn states(expected: &[(u32, &str, i64)]) -> Vec<(u32, String, i64)> {
        expected
            .iter()
            .map(|&(n, ef, i)| (n, ef.to_string(), i))
            .collect()
    }

    #[test]
    fn example_1_four_fours() {
        assert_eq!(
            run(&[4, 4, 4, 4]),
            states(&[
                (1, "2.50", 1),
                (2, "2.50", 6),
                (3, "2.50", 15),
                (4, "2.50", 38)
            ])
        );
    }

    #[test]
    fn example_2_three_threes() {
        assert_eq!(
            run(&[3, 3, 3]),
            states(&[(1, "2.36", 1), (2, "2.22", 6), (3, "2.08", 14)])
        );
    }

    #[test]
    fn example_3_lapse_restarts_with_lower_ef() {
        assert_eq!(
            run(&[4, 4, 4, 0, 4, 4, 4]),
            states(&[
                (1, "2.50", 1),
                (2, "2.50", 6),
                (3, "2.50", 15),
                (0, "1.70", 1),
                (1, "1.70", 1),
                (2, "1.70", 6),
                (3, "1.70", 11),
            ])
        );
    }

    #[test]
    fn example_4_four_fives() {
        assert_eq!(
            run(&[5, 5, 5, 5]),
            states(&[
                (1, "2.60", 1),
                (2, "2.70", 6),
                (3, "2.80", 17),
                (4, "2.90", 48)
            ])
        );
    }

    #[test]
    fn example_5_precision_trap() {
        assert_eq!(
            run(&[2, 0, 1, 5, 5, 5]),
            states(&[
                (0, "2.18", 1),
                (0, "1.38", 1),
                (0, "1.30", 1),
                (1, "1.40", 1),
                (2, "1.50", 6),
                (3, "1.60", 9),
            ])
        );
    }

    #[test]
    fn fifteen_fives_reach_ef_4_and_a_huge_interval() {
        let last = run(&[5; 15]).pop().unwrap();
        assert_eq!(last, (15, "4.00".to_string(), 32_304_906));
    }

    #[test]
    fn ef_deltas_match_the_table() {
        for (q, delta) in [(5, 10), (4, 0), (3, -14), (2, -32), (1, -54), (0, -80)] {
            let m = Memory {
                repetitions: 3,
                ef: Ef(250),
                interval: Interval(10),
            }
            .review(Quality::try_from(q).unwrap());
            assert_eq!(m.ef.centi(), 250 + delta, "q = {q}");
        }
    }

    #[test]
    fn invalid_grades_are_rejected() {
        for q in [-1, 6, 100, i64::MIN, i64::MAX] {
            assert!(Quality::try_from(q).is_err(), "q = {q}");
        }
    }

    #[test]
    fn due_is_review_day_plus_interval_and_lapses_count() {
        let day = StudyDay::parse("2024-02-27").unwrap();
        let s1 = grade(None, Quality::CORRECT, day);
        assert_eq!(s1.due.to_string(), "2024-02-28");
        let s2 = grade(
            Some(&s1),
            Quality::CORRECT,
            StudyDay::parse("2024-02-28").unwrap(),
        );
        assert_eq!(
            (s2.interval.days(), s2.due.to_string()),
            (6, "2024-03-05".to_string())
        );
        let s3 = grade(
            Some(&s2),
            Quality::WRONG,
            StudyDay::parse("2024-03-10").unwrap(),
        );
        assert_eq!((s3.repetitions, s3.interval.days(), s3.lapses), (0, 1, 1));
        assert_eq!(s3.due.to_string(), "2024-03-11");
    }

    #[test]
    fn lateness_is_ignored() {
        let s = grade(
            None,
            Quality::CORRECT,
            StudyDay::parse("2026-01-01").unwrap(),
        );
        let on_time = grade(
            Some(&s),
            Quality::CORRECT,
            StudyDay::parse("2026-01-02").unwrap(),
        );
        let late = grade(
            Some(&s),
            Quality::CORRECT,
            StudyDay::parse("2026-02-02").unwrap(),
        );
        assert_eq!(on_time.memory(), late.memory());
        assert_eq!(late.due.to_string(), "2026-02-08");
    }

    fn quality() -> impl Strategy<Value = Quality> {
        (0u8..=5).prop_map(Quality)
    }

    /// A float-free reference: the spec's formula in exact rational arithmetic on
    /// hundredths, written independently of `Memory::review`.
    fn reference(grades: &[Quality]) -> Vec<(u32, i64, i64)> {
        let (mut n, mut ef, mut i) = (0u32, 250i64, 0i64);
        let mut out = vec![];
        for q in grades {
            let q = i64::from(q.0);
            if q >= 3 {
                i = match n {
                    0 => 1,
                    1 => 6,
                    _ => (i * ef + 99) / 100,
                };
                n += 1;
            } else {
                n = 0;
                i = 1;
            }
            ef = (ef * 100 + (10 * 100 - (5 - q) * (8 * 100 + (5 - q) * 2 * 100))) / 100;
            ef = ef.max(130);
            out.push((n, ef, i));
        }
        out
    }

    proptest! {
        #[test]
        fn matches_reference_and_keeps_invariants(grades in prop::collection::vec(quality(), 1..15)) {
            let mut m = Memory::NEW;
            let expected = reference(&grades);
            for (q, want) in grades.iter().zip(expected) {
                let before = m;
                m = m.review(*q);
                prop_assert_eq!((m.repetitions, m.ef.centi(), m.interval.days()), want);
                prop_assert!(m.ef >= Ef::FLOOR);
                prop_assert!(m.interval.days() >= 1);
                prop_assert_eq!(m.ef.centi() % 2, 0, "every reachable EF is a multiple of 0.02");
                if q.passes() {
                    prop_assert_eq!(m.repetitions, before.repetitions + 1);
                    prop_assert!(m.interval >= before.interval);
                } else {
                    prop_assert_eq!((m.repetitions, m.interval.days()), (0, 1));
                    prop_assert!(m.ef < before.ef || m.ef == Ef::FLOOR);
                }
                if *q == Quality::CORRECT {
                    prop_assert_eq!(m.ef, before.ef);
                }
            }
        }

        #[test]
        fn grading_is_pure(grades in prop::collection::vec(quality(), 1..10), offset in 0i64..5000) {
            let day = StudyDay::parse("2026-01-01").unwrap().plus(offset);
            let mut a = None;
            let mut b = None;
            for q in &grades {
                a = Some(grade(a.as_ref(), *q, day));
                b = Some(grade(b.as_ref(), *q, day));
            }
            prop_assert_eq!(a, b);
            let s = a.unwrap();
            prop_assert_eq!(s.due, day.plus(s.interval.days()));
        }
    }
}
