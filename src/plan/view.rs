//! `mlsec plan` for people: what changed, where the plan stands, and what to do.
//! Also the phrases the dashboard shares with it.

use console::style;

use super::pace::{FAST_PACE, FINAL_PASS_DAYS, Phase};
use super::{Change, Outcome, Status};
use crate::session::NEW_PER_DAY;
use crate::text;

/// "in 10 days (2026-12-20)", "tomorrow (…)", "today (…)", for a plan that applies.
pub fn when(status: &Status) -> String {
    let day = status.interview;
    match status.days_left {
        0 => format!("today ({day})"),
        1 => format!("tomorrow ({day})"),
        n => format!("in {n} days ({day})"),
    }
}

/// The scope in words: its options, or "all cards".
pub fn scope(status: &Status) -> String {
    let options = status.scope.options();
    let cards = plural(status.detail.cards, "card", "cards");
    if options.is_empty() {
        format!("all cards ({cards})")
    } else {
        format!("{} ({cards})", text::for_terminal(&options))
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The warning for a pace above [`FAST_PACE`], with the command that narrows the plan.
pub fn too_fast(status: &Status) -> String {
    format!(
        "{} new cards a day is more than {FAST_PACE}: narrow the plan, e.g. `mlsec plan {} --topic ID` \
         (or --tag, --deck)",
        status.detail.pace, status.interview
    )
}

/// Width of a field's label, its two-space indent included.
const LABEL: usize = 16;

/// `  Label         value`, the value wrapped at `width` under itself.
fn field(out: &mut Vec<String>, width: usize, label: &str, value: &str) {
    let first = format!("  {label:<w$}", w = LABEL - 2);
    out.push(text::wrap(value, width, &first, &" ".repeat(LABEL)));
}

/// A sentence wrapped at `width`.
fn say(out: &mut Vec<String>, width: usize, sentence: &str) {
    out.push(text::wrap(sentence, width, "", ""));
}

/// The lines `mlsec plan` prints, wrapped at `width`.
pub fn lines(outcome: &Outcome, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    match (&outcome.change, &outcome.status) {
        (Change::Cleared { was: Some(day) }, _) => {
            say(
                &mut out,
                width,
                &format!("Cleared the plan for the interview on {day}."),
            );
            return out;
        }
        (Change::Cleared { was: None }, _) => {
            say(&mut out, width, "There was no plan to clear.");
            return out;
        }
        (Change::Set { replaced }, Some(status)) => {
            let verb = match replaced {
                Some(old) if *old != status.interview => format!("Replaced the plan for {old}"),
                Some(_) => "Replaced the plan".to_string(),
                None => "Plan set".to_string(),
            };
            say(
                &mut out,
                width,
                &format!("{verb}: interview on {}.", status.interview),
            );
            out.push(String::new());
        }
        (_, None) => {
            say(&mut out, width, "No interview plan.");
            say(
                &mut out,
                width,
                "Set one with `mlsec plan YYYY-MM-DD` (the interview day), narrowed to the cards \
                 that matter with --topic, --tag or --deck.",
            );
            return out;
        }
        (Change::None, Some(_)) => {}
    }
    if let Some(status) = &outcome.status {
        status_lines(&mut out, status, width);
    }
    out
}

fn status_lines(out: &mut Vec<String>, status: &Status, width: usize) {
    let d = &status.detail;
    if status.phase() == Phase::Passed {
        say(
            out,
            width,
            &format!(
                "The interview on {} was {}: the plan no longer applies (new cards at --new a \
                 day, reviews as SM-2 schedules them).",
                status.interview,
                match status.days_left {
                    -1 => "yesterday".to_string(),
                    n => format!("{} days ago", -n),
                }
            ),
        );
        say(
            out,
            width,
            "Clear it with `mlsec plan --clear`, or set a new one with `mlsec plan YYYY-MM-DD`.",
        );
        return;
    }
    let head = format!(
        "{} {} · {}",
        style("Interview").bold(),
        when(status),
        scope(status)
    );
    out.push(text::wrap(&head, width, "", "  "));
    let seen = d.cards.saturating_sub(d.unseen_now);
    field(
        out,
        width,
        "Seen",
        &format!("{seen} of {} · {} unseen", d.cards, d.unseen_now),
    );
    if status.unseen == Some(0) {
        field(
            out,
            width,
            "New cards",
            "none left: every card of the plan has been seen",
        );
    } else if let Some(quota) = status.new_per_day {
        let unseen = status.unseen.unwrap_or(0);
        let over = match status.days_left - FINAL_PASS_DAYS {
            n if n > 1 => {
                format!("{unseen} unseen this morning over the {n} days before the final pass")
            }
            1 => {
                format!("{unseen} unseen this morning; today is the last day before the final pass")
            }
            _ => "everything unseen this morning".to_string(),
        };
        field(out, width, "Pace", &format!("{} a day: {over}", d.pace));
        field(
            out,
            width,
            "New today",
            &format!(
                "{} of {quota} studied (the pace, never fewer than --new: {NEW_PER_DAY})",
                d.new_today
            ),
        );
    }
    let final_pass = match (
        status.phase(),
        status.final_pass_cards,
        status.final_pass_from,
    ) {
        (Phase::FinalPass, Some(0), _) => Some("nothing left to ask today".to_string()),
        (Phase::FinalPass, Some(n), _) => Some(format!(
            "{} to go today, after the due cards in `mlsec review`",
            plural(n, "card", "cards")
        )),
        (Phase::Pacing, _, Some(from)) => Some(format!(
            "from {from}: `mlsec review` then also asks every card of the plan that SM-2 \
             would not show again before the interview"
        )),
        _ => None,
    };
    if let Some(text) = final_pass {
        field(out, width, "Final pass", &text);
    }
    if status.too_fast() {
        out.push(String::new());
        let warning = format!(
            "{} {}.",
            style("Too fast:").yellow().bold(),
            too_fast(status)
        );
        say(out, width, &warning);
    }
}
