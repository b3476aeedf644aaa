//! `mlsec stats` for people: a summary, tables (comfy-table, fitted to the terminal's
//! width) and the two pictures. Every text from a deck passes through
//! [`text::for_terminal`] before it is shown.

use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table};
use console::style;

use super::chart::{self, Charset};
use super::{HEATMAP_WEEKS, LEECH_LAPSES, Rate, SessionStats, Stats};
use crate::plan::Readiness;
use crate::session::Next;
use crate::text;

/// How to draw: the width to fit and the characters allowed.
#[derive(Clone, Debug)]
pub struct Look {
    pub width: usize,
    pub charset: Charset,
    /// What the figures are narrowed to, e.g. `--topic poisoning`, for the heading and
    /// the suggested commands ("" for everything).
    pub scope: String,
    /// Colour is on: tables then carry the colour codes of their cells.
    pub colour: bool,
}

fn percent(r: Option<f64>, charset: Charset) -> String {
    match r {
        Some(r) => format!("{:.0}%", r * 100.0),
        None => dash(charset).to_string(),
    }
}

fn dash(charset: Charset) -> &'static str {
    match charset {
        Charset::Unicode => "–",
        Charset::Ascii => "-",
    }
}

fn dot(charset: Charset) -> &'static str {
    match charset {
        Charset::Unicode => " · ",
        Charset::Ascii => " | ",
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A table column: its cells, and how much it matters when the terminal is narrow.
struct Column {
    header: &'static str,
    cells: Vec<Cell>,
    widths: Vec<usize>,
    right: bool,
    /// Columns are dropped from the lowest rank up until the table fits.
    rank: u8,
    /// Takes the room left, its text cut to fit (the question); never below 20.
    flexible: bool,
}

impl Column {
    fn new(header: &'static str, rank: u8) -> Column {
        Column {
            header,
            cells: Vec::new(),
            widths: Vec::new(),
            right: false,
            rank,
            flexible: false,
        }
    }

    fn right(mut self) -> Column {
        self.right = true;
        self
    }

    fn push(&mut self, text: String) {
        self.widths.push(console::measure_text_width(&text));
        self.cells.push(Cell::new(text));
    }

    fn push_red(&mut self, text: String) {
        self.widths.push(console::measure_text_width(&text));
        // comfy-table measures text without ANSI codes only when it colours the cell.
        self.cells.push(Cell::new(text).fg(Color::Red));
    }

    /// Columns of text plus padding and the border on its left.
    fn width(&self) -> usize {
        let content = self.widths.iter().copied().max().unwrap_or(0);
        content.max(console::measure_text_width(self.header)) + 3
    }
}

/// The narrowest question column worth showing, padding and border included.
const MIN_FLEXIBLE: usize = 20 + 3;

/// A table of the columns that fit in the look's width (the table is indented by two
/// and closed by one border), dropping the least important first.
fn fit(look: &Look, mut columns: Vec<Column>) -> Table {
    let room = look.width.saturating_sub(2 + 1);
    let needed = |cols: &[Column]| -> usize {
        cols.iter()
            .map(|c| if c.flexible { MIN_FLEXIBLE } else { c.width() })
            .sum()
    };
    while needed(&columns) > room && columns.len() > 1 {
        let Some(lowest) = columns
            .iter()
            .enumerate()
            .min_by_key(|(i, c)| (c.rank, usize::MAX - i))
            .map(|(i, _)| i)
        else {
            break;
        };
        columns.remove(lowest);
    }
    let fixed: usize = columns
        .iter()
        .filter(|c| !c.flexible)
        .map(Column::width)
        .sum();
    let flexible_room = room.saturating_sub(fixed).saturating_sub(3);
    let mut t = Table::new();
    t.force_no_tty()
        .load_style(match look.charset {
            Charset::Unicode => UTF8_FULL_CONDENSED,
            Charset::Ascii => ASCII_FULL_CONDENSED,
        })
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(look.width.saturating_sub(2)).unwrap_or(u16::MAX))
        .set_header(columns.iter().map(|c| c.header).collect::<Vec<_>>());
    if look.charset == Charset::Ascii {
        t.set_truncation_indicator("...");
    }
    if look.colour {
        t.enforce_styling();
    }
    let rows = columns.first().map_or(0, |c| c.cells.len());
    for r in 0..rows {
        let row: Vec<Cell> = columns
            .iter()
            .map(|c| {
                let cell = c.cells.get(r).cloned().unwrap_or_else(|| Cell::new(""));
                if c.flexible {
                    Cell::new(truncate(&cell.content(), flexible_room, look.charset))
                } else {
                    cell
                }
            })
            .collect();
        t.add_row(row);
    }
    for (i, c) in columns.iter().enumerate() {
        if let Some(col) = t.column_mut(i) {
            if c.right {
                col.set_cell_alignment(CellAlignment::Right);
            }
            if !c.flexible {
                // What was measured to fit is never wrapped.
                col.set_constraint(ColumnConstraint::ContentWidth);
            }
        }
    }
    t
}

const LABEL: usize = 14;

/// `  Label       part · part · …`, continued on indented lines at the width.
fn field(out: &mut Vec<String>, label: &str, parts: &[String], look: &Look) {
    let sep = dot(look.charset);
    let mut line = format!("  {label:<width$}", width = LABEL - 2);
    let mut empty = true;
    for part in parts {
        let candidate = if empty {
            format!("{line}{part}")
        } else {
            format!("{line}{sep}{part}")
        };
        if !empty && console::measure_text_width(&candidate) > look.width {
            out.push(line);
            line = format!("{:LABEL$}{part}", "");
        } else {
            line = candidate;
        }
        empty = false;
    }
    out.push(line);
}

fn heading(out: &mut Vec<String>, title: &str) {
    out.push(String::new());
    out.push(style(title).bold().to_string());
}

fn push_table(out: &mut Vec<String>, t: &Table) {
    out.extend(t.lines().map(|l| format!("  {l}")));
}

/// The whole report as lines of text.
pub fn render(stats: &Stats, look: &Look) -> Vec<String> {
    let mut out = Vec::new();
    title(&mut out, stats, look);
    summary(&mut out, stats, look);
    topic_table(&mut out, stats, look);
    forecast(&mut out, stats, look);
    activity(&mut out, stats, look);
    weakest_cards(&mut out, stats, look);
    rubric_misses(&mut out, stats, look);
    sessions(&mut out, stats, look);
    out.push(String::new());
    for line in advice(stats, look) {
        out.push(text::wrap(&line, look.width, "", "  "));
    }
    out
}

/// `mlsec stats DAY`, what the figures are narrowed to, and a blank line.
fn title(out: &mut Vec<String>, stats: &Stats, look: &Look) {
    let sep = dot(look.charset);
    let mut title = format!("{} {}", style("mlsec stats").bold(), stats.today);
    if !look.scope.is_empty() {
        title.push_str(&format!("{sep}{}", look.scope.trim()));
    }
    if let Some(since) = stats.since {
        title.push_str(&format!("{sep}history since {since}"));
    }
    out.push(text::wrap(&title, look.width, "", "  "));
    out.push(String::new());
}

/// The labelled lines: cards, answers, retention, streak, due today.
fn summary(out: &mut Vec<String>, stats: &Stats, look: &Look) {
    let cs = look.charset;
    let c = &stats.cards;
    let mut cards = vec![
        plural(c.total, "card", "cards"),
        format!("{} new", c.new),
        format!("{} learning", c.learning),
        format!("{} young", c.young),
        format!("{} mature", c.mature),
    ];
    if c.leeches > 0 {
        cards.push(
            style(plural(c.leeches, "leech", "leeches"))
                .red()
                .to_string(),
        );
    }
    field(out, "Cards", &cards, look);

    let r = &stats.reviews;
    let answers = [
        format!("{} graded", r.answered),
        format!("{} right ({})", r.correct, percent(r.accuracy, cs)),
        plural(r.repeats, "repeat", "repeats"),
        plural(r.days, "study day", "study days"),
    ];
    field(out, "Answers", &answers, look);
    let rate = |x: &Rate| {
        if x.due == 0 {
            format!("{} (none due yet)", dash(cs))
        } else {
            format!("{} ({} of {})", percent(x.rate, cs), x.passed, x.due)
        }
    };
    let retention = [
        format!("young {}", rate(&stats.retention.young)),
        format!("mature {}", rate(&stats.retention.mature)),
    ];
    field(out, "Retention", &retention, look);
    let streak = [
        plural(u64::from(stats.streak.current), "day", "days"),
        format!("longest {}", stats.streak.longest),
    ];
    field(out, "Streak", &streak, look);
    field(out, "Due today", &[stats.due_today.to_string()], look);
    if let Some(p) = &stats.plan {
        readiness(out, p, look);
    }
}

/// Readiness for the interview plan: its scope, seen, passed, unseen.
fn readiness(out: &mut Vec<String>, p: &Readiness, look: &Look) {
    let when = match p.days_left {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    };
    let scope = p.scope.options();
    let scope = if scope.is_empty() {
        "all cards".to_string()
    } else {
        text::for_terminal(&scope)
    };
    field(
        out,
        "Interview",
        &[
            format!("{} ({when})", p.interview),
            format!("{scope}: {}", plural(p.cards, "card", "cards")),
            format!("{} seen", p.introduced),
            format!("{} passed at their last review", p.passed),
            format!("{} unseen", p.unseen),
        ],
        look,
    );
}

/// "By topic": cards by state, answers and accuracy per topic (none without topics).
fn topic_table(out: &mut Vec<String>, stats: &Stats, look: &Look) {
    if stats.topics.is_empty() {
        return;
    }
    heading(out, "By topic");
    let mut topic = Column::new("Topic", 9);
    let mut cards = Column::new("Cards", 5).right();
    let mut new = Column::new("New", 4).right();
    let mut learning = Column::new("Learning", 2).right();
    let mut young = Column::new("Young", 3).right();
    let mut mature = Column::new("Mature", 3).right();
    let mut answers = Column::new("Answers", 6).right();
    let mut accuracy = Column::new("Accuracy", 8).right();
    for tp in &stats.topics {
        topic.push(text::for_terminal(&tp.topic));
        cards.push(tp.cards.total.to_string());
        new.push(tp.cards.new.to_string());
        learning.push(tp.cards.learning.to_string());
        young.push(tp.cards.young.to_string());
        mature.push(tp.cards.mature.to_string());
        answers.push(tp.answered.to_string());
        accuracy.push(percent(tp.accuracy, look.charset));
    }
    let t = fit(
        look,
        vec![
            topic, cards, new, learning, young, mature, answers, accuracy,
        ],
    );
    push_table(out, &t);
}

/// The due forecast as a bar chart.
fn forecast(out: &mut Vec<String>, stats: &Stats, look: &Look) {
    heading(
        out,
        &format!(
            "Due in the next {} days (today includes overdue cards)",
            stats.forecast.len()
        ),
    );
    out.extend(chart::bars(&stats.forecast, look.charset, look.width));
}

/// The activity heatmap.
fn activity(out: &mut Vec<String>, stats: &Stats, look: &Look) {
    heading(
        out,
        &format!("Activity, last {HEATMAP_WEEKS} weeks (answers a day)"),
    );
    out.extend(
        chart::heatmap(
            &stats.activity,
            stats.today,
            look.charset,
            look.width.saturating_sub(2),
        )
        .into_iter()
        .map(|l| format!("  {l}")),
    );
}

/// The weakest cards, leeches marked; card ids without their deck when all share one.
fn weakest_cards(out: &mut Vec<String>, stats: &Stats, look: &Look) {
    heading(
        out,
        &format!("Weakest cards (a leech has {LEECH_LAPSES} or more lapses)"),
    );
    if stats.weakest.is_empty() {
        out.push("  none yet: no card has lapsed".to_string());
        return;
    }
    let single_deck = stats
        .weakest
        .iter()
        .all(|w| w.card.split('/').next() == stats.weakest[0].card.split('/').next());
    let name = |card: &str| {
        if single_deck {
            card.split_once('/').map_or(card, |(_, s)| s).to_string()
        } else {
            card.to_string()
        }
    };
    let mut card = Column::new("Card", 9);
    let mut lapses = Column::new("Lapses", 8).right();
    let mut ef = Column::new("EF", 5).right();
    let mut accuracy = Column::new("Accuracy", 6).right();
    let mut due = Column::new("Due", 4);
    let mut question = Column::new("Question", 1);
    question.flexible = true;
    for w in &stats.weakest {
        card.push(text::for_terminal(&name(&w.card)));
        if w.leech {
            lapses.push_red(format!("{} leech", w.lapses));
        } else {
            lapses.push(w.lapses.to_string());
        }
        ef.push(w.ef.to_string());
        accuracy.push(percent(w.accuracy, look.charset));
        due.push(w.due.to_string());
        question.push(text::for_terminal(&w.question));
    }
    let t = fit(look, vec![card, lapses, ef, accuracy, due, question]);
    push_table(out, &t);
}

/// The rubric points left unticked most often, per card; card ids without their deck
/// when all share one.
fn rubric_misses(out: &mut Vec<String>, stats: &Stats, look: &Look) {
    heading(out, "Rubric points you miss most");
    let misses = &stats.rubric_misses;
    let Some(first) = misses.first() else {
        out.push(text::wrap(
            "none yet: they come from recall answers graded by their rubric checklist",
            look.width,
            "  ",
            "  ",
        ));
        return;
    };
    let deck = |card: &str| card.split('/').next().map(str::to_string);
    let single_deck = misses.iter().all(|m| deck(&m.card) == deck(&first.card));
    let mut card = Column::new("Card", 9);
    let mut point = Column::new("#", 7).right();
    let mut missed = Column::new("Missed", 8).right();
    let mut covers = Column::new("Point", 1);
    covers.flexible = true;
    for m in misses {
        let name = match card_without_deck(&m.card) {
            Some(slug) if single_deck => slug,
            _ => &m.card,
        };
        card.push(text::for_terminal(name));
        point.push(m.point.to_string());
        missed.push(format!("{} of {}", m.missed, m.answered));
        covers.push(match &m.text {
            Some(t) => text::for_terminal(t),
            None => "(no longer in the rubric)".to_string(),
        });
    }
    let t = fit(look, vec![card, point, missed, covers]);
    push_table(out, &t);
}

fn card_without_deck(card: &str) -> Option<&str> {
    card.split_once('/').map(|(_, slug)| slug)
}

/// The last sessions, then the mock interviews when there are any.
fn sessions(out: &mut Vec<String>, stats: &Stats, look: &Look) {
    heading(out, "Last sessions");
    if stats.sessions.is_empty() {
        out.push("  none yet: start with `mlsec study`".to_string());
    } else {
        push_table(out, &session_table(look, &stats.sessions, true));
    }
    if !stats.mock.is_empty() {
        heading(out, "Mock interviews");
        push_table(out, &session_table(look, &stats.mock, false));
    }
}

fn session_table(look: &Look, sessions: &[SessionStats], with_kind: bool) -> Table {
    let cs = look.charset;
    let mut day = Column::new("Day", 9);
    let mut started = Column::new("Started", 2);
    let mut kind = Column::new("Kind", 6);
    let mut answered = Column::new("Answered", 7).right();
    let mut right = Column::new("Right", 5).right();
    let mut accuracy = Column::new("Accuracy", 8).right();
    let mut repeats = Column::new("Repeats", 3).right();
    for s in sessions {
        day.push(s.study_day.to_string());
        // RFC 3339 → "09:30"
        started.push(s.started_at.get(11..16).unwrap_or("").to_string());
        kind.push(s.kind.clone());
        answered.push(s.answered.to_string());
        right.push(s.correct.to_string());
        accuracy.push(percent(s.accuracy, cs));
        repeats.push(s.repeats.to_string());
    }
    let columns = if with_kind {
        vec![day, started, kind, answered, right, accuracy, repeats]
    } else {
        vec![day, started, answered, right, accuracy]
    };
    fit(look, columns)
}

fn truncate(s: &str, width: usize, cs: Charset) -> String {
    match cs {
        Charset::Unicode => text::truncate(s, width),
        Charset::Ascii => {
            let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
            console::truncate_str(&flat, width, "...").into_owned()
        }
    }
}

/// What to do next, in the order it matters: due cards, the weakest topic, leeches.
fn advice(stats: &Stats, look: &Look) -> Vec<String> {
    let scope = &look.scope;
    let mut lines = Vec::new();
    let why = if stats.due_today > 0 {
        format!("{} due today", stats.due_today)
    } else if stats.repeats_today > 0 {
        format!("{} missed earlier today to repeat", stats.repeats_today)
    } else if stats.next == Some(Next::Review) {
        "the interview's final pass".to_string()
    } else {
        format!("nothing due; {} new", stats.cards.new)
    };
    match stats.next {
        Some(next) => lines.push(format!(
            "Next: {} ({why})",
            style(format!("{}{scope}", next.command())).bold()
        )),
        None if stats.cards.new > 0 => {
            lines.push("Nothing due today, and today's new cards are studied.".to_string())
        }
        None => lines.push("Nothing due today.".to_string()),
    }
    if let Some(topic) = &stats.weakest_topic {
        if let Some(t) = stats.topics.iter().find(|t| &t.topic == topic) {
            // More of the topic's questions help; with none left, its due reviews do.
            let command = if t.cards.new > 0 { "study" } else { "review" };
            lines.push(format!(
                "Weakest topic: {} ({} right): {}",
                text::for_terminal(&t.name),
                percent(t.accuracy, look.charset),
                style(format!(
                    "mlsec {command} --topic {}",
                    text::for_terminal(topic)
                ))
                .bold()
            ));
        }
    }
    let leeches: Vec<&str> = stats
        .weakest
        .iter()
        .filter(|w| w.leech)
        .map(|w| w.card.as_str())
        .collect();
    match (stats.cards.leeches, leeches.first()) {
        (0, _) => {}
        (1, Some(one)) => lines.push(format!(
            "Leech: {}: re-read its explanation rather than drill it again",
            text::for_terminal(one)
        )),
        (n, _) => lines.push(format!(
            "{n} leeches (see Weakest cards): re-read their explanations rather than drill them again"
        )),
    }
    lines
}
