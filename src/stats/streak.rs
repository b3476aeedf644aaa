//! Streaks: the current and longest runs of consecutive study days, shown by
//! `mlsec stats` and by the dashboard.

use crate::clock::StudyDay;

/// Current and longest run of consecutive study days. `days` holds each day with at
/// least one answer, in any order. The current streak still counts when today has no
/// answer yet but yesterday had: the day is not over.
pub fn streaks(days: &[StudyDay], today: StudyDay) -> (u32, u32) {
    let mut sorted = days.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<StudyDay> = None;
    for &day in &sorted {
        run = match previous {
            Some(p) if p.days_until(day) == 1 => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let current = match sorted.last() {
        Some(&last) if last == today || last.days_until(today) == 1 => run,
        _ => 0,
    };
    (current, longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> StudyDay {
        StudyDay::parse(s).unwrap()
    }

    #[test]
    fn streaks_count_consecutive_days() {
        let days = [
            d("2026-03-01"),
            d("2026-03-02"),
            d("2026-03-03"),
            d("2026-03-05"),
            d("2026-03-06"),
        ];
        assert_eq!(streaks(&days, d("2026-03-06")), (2, 3));
        assert_eq!(
            streaks(&days, d("2026-03-07")),
            (2, 3),
            "today is not over yet"
        );
        assert_eq!(streaks(&days, d("2026-03-08")), (0, 3));
        assert_eq!(streaks(&[], d("2026-03-08")), (0, 0));
    }
}
