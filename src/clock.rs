//! The clock and the study day.
//!
//! Every read of the current time goes through [`Clock`], so `--now` / `MLSEC_NOW` pin
//! all of it (tests, scripted sessions). A study day is the local date shifted back by
//! the rollover hour: with the default of 4, a review at 01:30 counts for the day before.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Days, Local, NaiveDate, NaiveTime, TimeZone};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Serialize, Serializer};

use crate::error::Error;

/// A calendar date in the learner's study calendar (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StudyDay(NaiveDate);

/// The last day we store. SM-2 has no maximum interval (spec §8); a due date beyond this
/// is stored as this day and shown as "beyond 9999-12-31", while the interval stays exact.
pub const LAST_DAY: StudyDay = StudyDay(match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
});

impl StudyDay {
    pub fn new(date: NaiveDate) -> Self {
        StudyDay(date)
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// `self + n` days; saturates at [`LAST_DAY`] (spec §8: never wrap, never crash).
    pub fn plus(self, days: i64) -> StudyDay {
        if days < 0 {
            return self
                .0
                .checked_sub_days(Days::new(days.unsigned_abs()))
                .map_or(self, StudyDay);
        }
        match self.0.checked_add_days(Days::new(days.unsigned_abs())) {
            Some(d) if d <= LAST_DAY.0 => StudyDay(d),
            _ => LAST_DAY,
        }
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: StudyDay) -> i64 {
        (later.0 - self.0).num_days()
    }

    pub fn parse(s: &str) -> Option<StudyDay> {
        // The stored form, `YYYY-MM-DD`, read directly: stats parse a date per card, and
        // chrono's format-string parser costs more than the rest of reading the card.
        if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *s.as_bytes() {
            let digits = [y1, y2, y3, y4, m1, m2, d1, d2];
            if digits.iter().all(u8::is_ascii_digit) {
                let n = |ds: &[u8]| ds.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
                let year = i32::try_from(n(&digits[..4])).ok()?;
                return NaiveDate::from_ymd_opt(year, n(&digits[4..6]), n(&digits[6..]))
                    .map(StudyDay);
            }
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(StudyDay)
    }
}

impl fmt::Display for StudyDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for StudyDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl ToSql for StudyDay {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for StudyDay {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        StudyDay::parse(text)
            .ok_or_else(|| FromSqlError::Other(format!("bad study day {text:?}").into()))
    }
}

/// The time source of one run of `mlsec`.
///
/// Under `--now` the clock starts at the given instant and then advances with real
/// time, like `faketime`: answers still get distinct, ordered timestamps.
///
/// With a step ([`Clock::stepped`], `MLSEC_CLOCK_STEP_MS`) the clock ignores real time:
/// every read (`now`, `today`, `moment`) moves it forward by exactly the step. Tests and
/// demos use it to make measured times (how long an answer took, whether it was over a
/// mock's time limit) exact without sleeping.
#[derive(Debug)]
pub struct Clock {
    pinned: Option<DateTime<Local>>,
    started: Instant,
    rollover_hour: u32,
    step: Option<Duration>,
    /// Reads so far, for the stepped clock.
    reads: AtomicU64,
}

/// One read of the clock: the wall time (what is stored) and the place on a monotonic
/// timeline (what durations are measured on, immune to wall-clock jumps).
#[derive(Clone, Copy, Debug)]
pub struct Moment {
    pub at: DateTime<Local>,
    offset: Duration,
}

impl Moment {
    /// Time from `earlier` to this moment (zero if `earlier` is later).
    pub fn since(&self, earlier: &Moment) -> Duration {
        self.offset.saturating_sub(earlier.offset)
    }
}

impl Clock {
    pub fn new(pinned: Option<DateTime<Local>>, rollover_hour: u32) -> Clock {
        Clock {
            pinned,
            started: Instant::now(),
            rollover_hour: rollover_hour.min(23),
            step: None,
            reads: AtomicU64::new(0),
        }
    }

    /// Make every read advance the clock by `step` instead of following real time
    /// (starting from `--now`, or from the wall clock when it is not pinned).
    pub fn stepped(mut self, step: Duration) -> Clock {
        if self.pinned.is_none() {
            self.pinned = Some(wall_clock());
        }
        self.step = Some(step);
        self
    }

    /// The system clock, with the default rollover hour. For tests and tools.
    pub fn system() -> Clock {
        Clock::new(None, 4)
    }

    /// Read the clock once.
    pub fn moment(&self) -> Moment {
        let offset = match self.step {
            Some(step) => {
                let n = self.reads.fetch_add(1, Ordering::SeqCst) + 1;
                step.saturating_mul(u32::try_from(n).unwrap_or(u32::MAX))
            }
            None => self.started.elapsed(),
        };
        let at = match self.pinned {
            Some(t) => t + chrono::Duration::from_std(offset).unwrap_or_default(),
            None => wall_clock(),
        };
        Moment { at, offset }
    }

    pub fn now(&self) -> DateTime<Local> {
        self.moment().at
    }

    pub fn today(&self) -> StudyDay {
        self.day_of(self.now())
    }

    /// The study day a moment belongs to.
    pub fn day_of(&self, t: DateTime<Local>) -> StudyDay {
        let shifted = t - chrono::Duration::hours(i64::from(self.rollover_hour));
        StudyDay(shifted.date_naive())
    }

    pub fn rollover_hour(&self) -> u32 {
        self.rollover_hour
    }
}

#[allow(clippy::disallowed_methods)] // the one sanctioned read of the wall clock
fn wall_clock() -> DateTime<Local> {
    Local::now()
}

/// Parse `--now`: RFC 3339 (`2026-03-01T09:30:00Z`) or a plain date (noon local time).
pub fn parse_now(text: &str) -> Result<DateTime<Local>, Error> {
    let text = text.trim();
    let parsed = DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Local))
        .or_else(|| {
            let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
            let noon = date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
            Local.from_local_datetime(&noon).earliest()
        });
    match parsed {
        // Study days are stored as YYYY-MM-DD text and compared as text, which holds
        // for four-digit years only (a time zone can move 9999-12-31 into year 10000).
        Some(t) if (1..=9998).contains(&t.year()) => Ok(t),
        Some(_) => Err(Error::Usage(format!(
            "time {text:?} for --now/MLSEC_NOW is out of range: use a year from 0001 to 9998"
        ))),
        None => Err(Error::Usage(format!(
            "invalid time {text:?} for --now/MLSEC_NOW: use RFC 3339 like 2026-03-01T09:30:00Z or a date like 2026-03-01"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> StudyDay {
        StudyDay::parse(s).unwrap()
    }

    #[test]
    fn parsing_agrees_with_chrono() {
        let chrono = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(StudyDay);
        let mut d = day("1999-12-25");
        for _ in 0..800 {
            let text = d.to_string();
            assert_eq!(StudyDay::parse(&text), Some(d));
            d = d.plus(1);
        }
        for text in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "0000-01-01",
            "9999-12-31",
            "2026-3-1",
            "2026-03-1x",
            "+2026-03-01",
            "２026-03-01",
            "",
        ] {
            assert_eq!(StudyDay::parse(text), chrono(text), "{text:?}");
        }
    }

    #[test]
    fn calendar_arithmetic_matches_spec_section_8() {
        assert_eq!(day("2024-02-27").plus(3), day("2024-03-01"));
        assert_eq!(day("2023-02-27").plus(3), day("2023-03-02"));
        assert_eq!(day("2024-12-30").plus(6), day("2025-01-05"));
    }

    #[test]
    fn far_due_dates_saturate_instead_of_wrapping() {
        assert_eq!(day("2026-01-01").plus(32_304_906), LAST_DAY);
        assert_eq!(day("2026-01-01").plus(i64::MAX), LAST_DAY);
    }

    #[test]
    fn review_before_rollover_belongs_to_previous_day() {
        let at = |h, m| {
            let naive = NaiveDate::from_ymd_opt(2026, 3, 2)
                .unwrap()
                .and_hms_opt(h, m, 0)
                .unwrap();
            Local.from_local_datetime(&naive).earliest().unwrap()
        };
        assert_eq!(Clock::new(Some(at(1, 30)), 4).today(), day("2026-03-01"));
        assert_eq!(Clock::new(Some(at(3, 59)), 4).today(), day("2026-03-01"));
        assert_eq!(Clock::new(Some(at(4, 0)), 4).today(), day("2026-03-02"));
        assert_eq!(Clock::new(Some(at(1, 30)), 0).today(), day("2026-03-02"));
    }

    #[test]
    fn plain_date_means_local_noon() {
        let t = parse_now("2026-03-01").unwrap();
        assert_eq!(t.format("%H:%M").to_string(), "12:00");
        assert_eq!(Clock::new(Some(t), 4).today(), day("2026-03-01"));
    }

    #[test]
    fn a_stepped_clock_advances_by_the_step_on_every_read() {
        let t = parse_now("2026-03-01T09:30:00Z").unwrap();
        let clock = Clock::new(Some(t), 4).stepped(Duration::from_secs(30));
        let a = clock.moment();
        assert_eq!(a.at, t + chrono::Duration::seconds(30));
        let _ = clock.now();
        let b = clock.moment();
        assert_eq!(b.since(&a), Duration::from_secs(60));
        assert_eq!(a.since(&b), Duration::ZERO);
    }

    #[test]
    fn bad_times_are_usage_errors() {
        for bad in [
            "yesterday",
            "2026-13-01",
            "",
            "2026-03-01T25:00:00Z",
            "9999-12-31T23:59:59-23:59",
            "9999-06-01",
            "0000-01-01T00:00:00Z",
        ] {
            assert!(parse_now(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(parse_now("9998-12-31T12:00:00Z").is_ok());
        assert!(parse_now("0001-01-01T12:00:00Z").is_ok());
    }
}
