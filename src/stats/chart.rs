//! Terminal pictures: the activity heatmap (one cell a day, like a contribution graph)
//! and the due-forecast bar chart. Unicode blocks by default, plain ASCII for terminals
//! that are not UTF-8 or under `--ascii` (the locale is read by [`crate::config`]).

use chrono::Datelike;

use super::{ActivityDay, ForecastDay, HEATMAP_WEEKS, heatmap_start};
use crate::clock::StudyDay;

/// Which characters the pictures (and tables) may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    Unicode,
    Ascii,
}

impl Charset {
    /// Cell glyphs from "no answer" to "busiest day".
    fn shades(self) -> [&'static str; 5] {
        match self {
            Charset::Unicode => ["·", "░", "▒", "▓", "█"],
            Charset::Ascii => [".", ":", "+", "*", "#"],
        }
    }
}

/// Shade level 0–4 of `count` against the busiest day `max` (0 only for no answers).
fn level(count: u64, max: u64) -> usize {
    if count == 0 || max == 0 {
        return 0;
    }
    let l = (count * 4).div_ceil(max);
    usize::try_from(l).unwrap_or(4).clamp(1, 4)
}

fn paint(glyph: &str, level: usize) -> String {
    let s = console::style(glyph);
    match level {
        0 => s.dim().to_string(),
        4 => s.green().bold().to_string(),
        _ => s.green().to_string(),
    }
}

const ROW_LABELS: [&str; 7] = ["Mon", "", "Wed", "", "Fri", "", "Sun"];
const LABEL_WIDTH: usize = 4;

/// The last [`HEATMAP_WEEKS`] weeks, a column per week (Monday first), a row per
/// weekday, month names above and a legend below. Days after today stay blank.
pub fn heatmap(
    activity: &[ActivityDay],
    today: StudyDay,
    charset: Charset,
    width: usize,
) -> Vec<String> {
    let weeks = usize::try_from(HEATMAP_WEEKS).unwrap_or(26);
    // Two columns a cell reads better; one keeps it on a narrow terminal.
    let cell = if width >= LABEL_WIDTH + 2 * weeks {
        2
    } else {
        1
    };
    let start = heatmap_start(today);
    let max = activity.iter().map(|a| a.answers).max().unwrap_or(0);
    let count_on = |day: StudyDay| {
        activity
            .iter()
            .find(|a| a.day == day)
            .map_or(0, |a| a.answers)
    };

    let mut months = vec![' '; LABEL_WIDTH + cell * weeks + 3];
    let mut free_from = 0;
    for w in 0..weeks {
        let monday = start.plus(7 * w as i64);
        let new_month = w == 0 || monday.date().month() != monday.plus(-7).date().month();
        let at = LABEL_WIDTH + cell * w;
        if new_month && at >= free_from {
            let name = monday.date().format("%b").to_string();
            // The first column's month is only named if the next one leaves room.
            let next_month_at = (w + 1..weeks)
                .find(|&v| {
                    let m = start.plus(7 * v as i64);
                    m.date().month() != m.plus(-7).date().month()
                })
                .map_or(usize::MAX, |v| LABEL_WIDTH + cell * v);
            if w > 0 || at + name.len() < next_month_at {
                for (i, c) in name.chars().enumerate() {
                    if let Some(slot) = months.get_mut(at + i) {
                        *slot = c;
                    }
                }
                free_from = at + name.len() + 1;
            }
        }
    }
    let mut lines = vec![
        months
            .into_iter()
            .collect::<String>()
            .trim_end()
            .to_string(),
    ];

    let shades = charset.shades();
    for (row, label) in ROW_LABELS.iter().enumerate() {
        let mut line = format!("{label:<LABEL_WIDTH$}");
        for w in 0..weeks {
            let day = start.plus((7 * w + row) as i64);
            if day > today {
                break;
            }
            let l = level(count_on(day), max);
            line.push_str(&paint(shades[l], l));
            if cell == 2 {
                line.push(' ');
            }
        }
        lines.push(line.trim_end().to_string());
    }
    let sep = if cell == 2 { " " } else { "" };
    let legend: Vec<String> = (0..5).map(|l| paint(shades[l], l)).collect();
    let busiest = if max > 0 {
        format!("   busiest day: {max} answers")
    } else {
        "   no answers yet".to_string()
    };
    lines.push(format!(
        "{:LABEL_WIDTH$}less {} more{busiest}",
        "",
        legend.join(sep)
    ));
    lines
}

/// One bar per forecast day, scaled to the busiest day and to `width`.
pub fn bars(days: &[ForecastDay], charset: Charset, width: usize) -> Vec<String> {
    let max = days.iter().map(|d| d.due).max().unwrap_or(0);
    let digits = max.to_string().len();
    // "  Sat 03-07  " + bar + " " + count
    let room = width.saturating_sub(2 + 9 + 2 + 1 + digits);
    let longest = room.clamp(10, 50) as u64;
    days.iter()
        .map(|d| {
            let label = d.day.date().format("%a %m-%d");
            let bar = bar(d.due, max, longest, charset);
            let bar = console::style(bar).cyan();
            if d.due == 0 {
                format!("  {label}  {}", console::style("0").dim())
            } else {
                format!("  {label}  {bar} {}", d.due)
            }
        })
        .collect()
}

/// A bar of `value / max × longest` columns; Unicode uses eighth blocks, and any
/// non-zero value shows at least a sliver.
fn bar(value: u64, max: u64, longest: u64, charset: Charset) -> String {
    if value == 0 || max == 0 {
        return String::new();
    }
    match charset {
        Charset::Unicode => {
            const PARTIAL: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
            let eighths = ((value * longest * 8 + max / 2) / max).max(1);
            let mut s = "█".repeat(usize::try_from(eighths / 8).unwrap_or(0));
            let rest = usize::try_from(eighths % 8).unwrap_or(0);
            if rest > 0 {
                s.push(PARTIAL[rest]);
            }
            s
        }
        Charset::Ascii => {
            let n = ((value * longest + max / 2) / max).max(1);
            "#".repeat(usize::try_from(n).unwrap_or(0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> StudyDay {
        StudyDay::parse(s).unwrap()
    }

    fn plain(lines: &[String]) -> Vec<String> {
        lines
            .iter()
            .map(|l| console::strip_ansi_codes(l).into_owned())
            .collect()
    }

    #[test]
    fn levels_scale_to_the_busiest_day() {
        assert_eq!(level(0, 10), 0);
        assert_eq!(level(1, 10), 1);
        assert_eq!(level(3, 10), 2);
        assert_eq!(level(10, 10), 4);
        assert_eq!(level(5, 0), 0);
    }

    #[test]
    fn heatmap_puts_each_day_in_its_weekday_row() {
        // Saturday 2026-03-07; answers on Monday 03-02 (busiest) and Friday 03-06.
        let today = d("2026-03-07");
        let activity = [
            ActivityDay {
                day: d("2026-03-02"),
                answers: 8,
            },
            ActivityDay {
                day: d("2026-03-06"),
                answers: 2,
            },
        ];
        let lines = plain(&heatmap(&activity, today, Charset::Ascii, 80));
        assert_eq!(lines.len(), 9, "{lines:#?}");
        let last_cell = |row: usize| lines[row + 1].chars().nth(LABEL_WIDTH + 2 * 25);
        assert_eq!(last_cell(0), Some('#'), "Monday is the busiest day");
        assert_eq!(last_cell(4), Some(':'), "Friday: 2 of 8 is level 1");
        assert_eq!(last_cell(2), Some('.'), "Wednesday: nothing");
        assert_eq!(last_cell(5), Some('.'), "Saturday is today");
        assert_eq!(last_cell(6), None, "Sunday has not come yet");
        assert!(lines[0].contains("Mar"), "{}", lines[0]);
        assert!(lines[8].contains("busiest day: 8"), "{}", lines[8]);
        assert!(lines.iter().all(|l| l.is_ascii()), "{lines:#?}");
        assert!(lines.iter().all(|l| l.len() <= 80));
    }

    #[test]
    fn heatmap_narrows_to_one_column_a_day() {
        let lines = plain(&heatmap(&[], d("2026-03-07"), Charset::Unicode, 40));
        assert!(
            lines
                .iter()
                .all(|l| console::measure_text_width(l) <= 40 || l.contains("no answers")),
            "{lines:#?}"
        );
        assert_eq!(lines[1].chars().filter(|&c| c == '·').count(), 26);
    }

    #[test]
    fn bars_scale_to_the_busiest_day() {
        let days: Vec<ForecastDay> = [6, 3, 0, 1]
            .iter()
            .enumerate()
            .map(|(i, &due)| ForecastDay {
                day: d("2026-03-07").plus(i as i64),
                due,
            })
            .collect();
        let lines = plain(&bars(&days, Charset::Ascii, 40));
        assert_eq!(
            lines,
            [
                format!("  Sat 03-07  {} 6", "#".repeat(25)),
                format!("  Sun 03-08  {} 3", "#".repeat(13)),
                "  Mon 03-09  0".to_string(),
                "  Tue 03-10  #### 1".to_string(),
            ]
        );
        let unicode = plain(&bars(&days, Charset::Unicode, 40));
        assert_eq!(unicode[0], format!("  Sat 03-07  {} 6", "█".repeat(25)));
        assert!(unicode[3].ends_with("████▏ 1"), "{}", unicode[3]);
    }

    #[test]
    fn a_small_value_still_shows() {
        assert_eq!(bar(1, 1000, 10, Charset::Unicode), "▏");
        assert_eq!(bar(1, 1000, 10, Charset::Ascii), "#");
        assert_eq!(bar(0, 1000, 10, Charset::Ascii), "");
    }
}
