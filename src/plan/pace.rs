//! The plan's arithmetic, pure: days left, the pace of new cards, the final pass's days.
//! No store and no clock: every figure of `mlsec plan`, the dashboard and study comes
//! from these few functions.

use crate::clock::StudyDay;

/// The final pass runs on this many study days before the interview; every card of the
/// scope is to be introduced before them.
pub const FINAL_PASS_DAYS: i64 = 2;

/// A pace above this many new cards a day is too fast to learn well: `mlsec plan` and
/// the dashboard say so and suggest narrowing the scope.
pub const FAST_PACE: u64 = 40;

/// Where a study day stands against the interview.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Three days or more before: new cards at the pace.
    Pacing,
    /// The last two days before: `mlsec review` ends with the final pass.
    FinalPass,
    /// The interview's own study day: the plan still applies, without a final pass.
    InterviewDay,
    /// After the interview: the plan no longer applies.
    Passed,
}

/// L: days from `today` to the interview (0 on its day, negative after it).
pub fn days_left(today: StudyDay, interview: StudyDay) -> i64 {
    today.days_until(interview)
}

pub fn phase(days_left: i64) -> Phase {
    match days_left {
        i64::MIN..=-1 => Phase::Passed,
        0 => Phase::InterviewDay,
        1..=FINAL_PASS_DAYS => Phase::FinalPass,
        _ => Phase::Pacing,
    }
}

/// ceil(U / max(1, L − 2)), in exact integers: `unseen` cards (U, counted at the start
/// of the study day) spread over the days left before the final pass, so that the last
/// of them is introduced on the third day before the interview. From then on (and on
/// the interview day) the pace is everything still unseen.
pub fn pace(unseen: u64, days_left: i64) -> u64 {
    let days = days_left.saturating_sub(FINAL_PASS_DAYS).max(1);
    unseen.div_ceil(u64::try_from(days).unwrap_or(1))
}

/// The daily new limit while a plan applies: the pace, never below `--new`.
pub fn new_per_day(new_flag: u64, pace: u64) -> u64 {
    new_flag.max(pace)
}

/// The final pass's first day (a card answered since then is not asked again).
pub fn final_pass_from(interview: StudyDay) -> StudyDay {
    interview.plus(-FINAL_PASS_DAYS)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn day(s: &str) -> StudyDay {
        StudyDay::parse(s).unwrap()
    }

    #[test]
    fn the_pace_spreads_the_unseen_over_the_days_before_the_final_pass() {
        // Ten days out: 8 days to introduce 40 cards.
        assert_eq!(pace(40, 10), 5);
        assert_eq!(pace(41, 10), 6, "rounded up");
        assert_eq!(pace(0, 10), 0);
        // Three days out is the last pacing day: everything left.
        assert_eq!(pace(13, 3), 13);
        // In the final pass and on the interview day, the divisor stays 1.
        assert_eq!(pace(7, 2), 7);
        assert_eq!(pace(7, 1), 7);
        assert_eq!(pace(7, 0), 7);
        assert_eq!(pace(7, -3), 7);
        // Exact integers at the extremes.
        assert_eq!(pace(u64::MAX, 3), u64::MAX);
        assert_eq!(
            pace(u64::MAX, i64::MAX),
            3,
            "2·(2⁶³ − 3) falls 5 short of 2⁶⁴ − 1"
        );
        assert_eq!(pace(u64::MAX - 1, 4), u64::MAX / 2);
    }

    #[test]
    fn the_limit_is_never_below_new() {
        assert_eq!(new_per_day(10, 5), 10);
        assert_eq!(new_per_day(10, 14), 14);
        assert_eq!(new_per_day(0, 0), 0);
    }

    #[test]
    fn phases_and_days() {
        let interview = day("2026-12-20");
        assert_eq!(days_left(day("2026-12-10"), interview), 10);
        assert_eq!(final_pass_from(interview), day("2026-12-18"));
        let phases: Vec<Phase> = [4, 3, 2, 1, 0, -1].map(phase).to_vec();
        assert_eq!(
            phases,
            [
                Phase::Pacing,
                Phase::Pacing,
                Phase::FinalPass,
                Phase::FinalPass,
                Phase::InterviewDay,
                Phase::Passed
            ]
        );
    }

    proptest! {
        /// A learner who studies every day, taking each day's quota (at least `--new`),
        /// has introduced every card by the third day before the interview, and never
        /// takes more than the pace or `--new` allows.
        #[test]
        fn following_the_pace_sees_everything_by_the_third_day_before(
            unseen in 0u64..5_000,
            days in 3i64..200,
            new_flag in 0u64..50,
        ) {
            let mut left = unseen;
            for l in (FINAL_PASS_DAYS + 1..=days).rev() {
                let quota = new_per_day(new_flag, pace(left, l));
                prop_assert!(quota >= new_flag);
                let taken = quota.min(left);
                // Never more than an even share rounded up, unless --new asks for more.
                prop_assert!(taken <= new_flag.max(left.div_ceil((l - FINAL_PASS_DAYS) as u64)));
                left -= taken;
            }
            prop_assert_eq!(left, 0);
        }

        /// ceil(U / d) is the smallest q with q·d ≥ U.
        #[test]
        fn the_pace_is_the_exact_ceiling(unseen in 0u64..u64::MAX / 2, days in 3i64..10_000) {
            let d = (days - FINAL_PASS_DAYS) as u64;
            let p = pace(unseen, days);
            prop_assert!(p * d >= unseen);
            prop_assert!(p == 0 || (p - 1) * d < unseen);
        }
    }
}
