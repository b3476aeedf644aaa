//! Which rows `mlsec export` writes, and their columns: one row per card, answer,
//! session or topic, with the same columns in CSV and JSON (documented in
//! docs/export.md). Each producer hands its rows to a [`Rows`] as the store reads
//! them; [`super::table`] formats and writes them.

use super::table::{Cell, Rows};
use crate::clock::StudyDay;
use crate::deck::{CardBody, KEYS};
use crate::error::Result;
use crate::stats::{CardState, TopicStats, is_leech, ratio};
use crate::store::answers::{ReviewRow, SessionOrder, SessionRecord};
use crate::store::cards::CardRecord;
use crate::store::history::History;
use crate::store::{Filter, Store};

pub const CARD_COLUMNS: &[&str] = &[
    "card",
    "deck",
    "topic",
    "kind",
    "tags",
    "question",
    "answer_key",
    "answer",
    "state",
    "repetitions",
    "ef",
    "interval",
    "due",
    "lapses",
    "leech",
    "introduced",
    "answered",
    "correct",
    "last_answered",
    "retired",
];

pub const REVIEW_COLUMNS: &[&str] = &[
    "reviewed_at",
    "study_day",
    "card",
    "deck",
    "topic",
    "kind",
    "chosen",
    "correct",
    "quality",
    "ef",
    "interval",
    "due",
    "elapsed_ms",
    "session",
    "session_kind",
    "repeat",
    "repetitions",
    "covered",
    "rubric_total",
    "answer_text",
    "final_pass",
];

pub const SESSION_COLUMNS: &[&str] = &[
    "session",
    "kind",
    "study_day",
    "started_at",
    "ended_at",
    "answered",
    "correct",
    "accuracy",
    "repeats",
    "elapsed_ms",
];

pub const TOPIC_COLUMNS: &[&str] = &[
    "deck", "topic", "name", "cards", "new", "learning", "young", "mature", "leeches", "answered",
    "correct", "accuracy", "repeats",
];

/// One row per card: its content, schedule and graded answers (from `history`). Tags
/// are joined by `;`.
pub fn cards(store: &Store, filter: &Filter, history: &History, table: &mut Rows) -> Result<()> {
    let (mut due, mut introduced, mut last) = (String::new(), String::new(), String::new());
    store.each_card(filter, true, Some(history), |c| {
        card_row(table, &c, [&mut due, &mut introduced, &mut last])
    })
}

fn card_row(
    table: &mut Rows,
    c: &CardRecord,
    [due, introduced, last]: [&mut String; 3],
) -> Result<()> {
    let s = c.schedule.as_ref();
    let (question, answer_key, answer) = match &c.body {
        CardBody::Choice {
            question,
            options,
            answer,
            ..
        } => (
            question,
            KEYS.get(*answer).map(char::to_string),
            options.get(*answer).map_or("", |o| o.text.as_str()),
        ),
        CardBody::Recall { prompt, answer, .. } => (prompt, None, answer.as_str()),
    };
    let full_id = c.full_id();
    let tags = c.tags.join(";");
    table.row(&[
        Cell::Deck(&full_id),
        Cell::Deck(c.deck.as_str()),
        Cell::Deck(c.topic.as_str()),
        Cell::Text(c.body.kind()),
        Cell::Deck(&tags),
        Cell::Deck(question),
        Cell::text(answer_key.as_deref()),
        Cell::Deck(answer),
        Cell::Text(CardState::of(s).as_str()),
        Cell::uint(s.map(|s| u64::from(s.repetitions))),
        Cell::float(s.map(|s| s.ef.as_f64())),
        s.map_or(Cell::Null, |s| Cell::Int(s.interval.days())),
        Cell::day(s.map(|s| s.due), due),
        Cell::uint(s.map(|s| u64::from(s.lapses))),
        Cell::Bool(is_leech(s)),
        Cell::day(c.introduced, introduced),
        Cell::UInt(c.answered),
        Cell::UInt(c.correct),
        Cell::day(c.last_answered, last),
        Cell::Bool(c.retired),
    ])
}

/// One row per answer since `since`, oldest first; `ef`, `interval` and `due` are the
/// card's schedule after the answer (unchanged by a repeat, a mock or a final pass but
/// for the due day). `covered` and `rubric_total` are set for a recall answer graded by
/// its checklist, `answer_text` when the answer came with its words.
pub fn reviews(
    store: &Store,
    filter: &Filter,
    since: Option<StudyDay>,
    table: &mut Rows,
) -> Result<()> {
    store.each_review(filter, since, |r: &ReviewRow<'_>| {
        table.row(&[
            Cell::Text(r.reviewed_at),
            Cell::Text(r.study_day),
            Cell::Deck(r.card),
            Cell::Deck(r.deck),
            Cell::Deck(r.topic),
            Cell::Text(r.kind),
            Cell::text(r.chosen),
            Cell::Bool(r.correct),
            Cell::Int(i64::from(r.quality.value())),
            Cell::Float(r.ef.as_f64()),
            Cell::Int(r.interval.days()),
            Cell::Text(r.due),
            Cell::Int(r.elapsed_ms),
            Cell::Int(r.session.0),
            Cell::Text(r.session_kind),
            Cell::Bool(r.repeat),
            Cell::Int(r.repetitions),
            Cell::numbers(r.covered),
            Cell::uint(r.rubric_total.map(u64::from)),
            Cell::typed(r.answer_text),
            Cell::Bool(r.final_pass),
        ])
    })
}

/// One row per session since `since` that recorded an answer, oldest first.
pub fn sessions(
    store: &Store,
    filter: &Filter,
    since: Option<StudyDay>,
    table: &mut Rows,
) -> Result<()> {
    store.each_session(filter, since, None, SessionOrder::Oldest, |s| {
        session_row(table, &s)
    })
}

fn session_row(table: &mut Rows, s: &SessionRecord) -> Result<()> {
    let day = s.study_day.to_string();
    table.row(&[
        Cell::Int(s.id.0),
        Cell::Text(&s.kind),
        Cell::Text(&day),
        Cell::Text(&s.started_at),
        Cell::text(s.ended_at.as_deref()),
        Cell::UInt(s.answered),
        Cell::UInt(s.correct),
        Cell::float(ratio(s.correct, s.answered)),
        Cell::UInt(s.repeats),
        Cell::Int(s.elapsed_ms),
    ])
}

/// One row per topic: the "By topic" table of `mlsec stats`.
pub fn topics(topics: &[TopicStats], table: &mut Rows) -> Result<()> {
    for t in topics {
        table.row(&[
            Cell::Deck(&t.deck),
            Cell::Deck(&t.topic),
            Cell::Deck(&t.name),
            Cell::UInt(t.cards.total),
            Cell::UInt(t.cards.new),
            Cell::UInt(t.cards.learning),
            Cell::UInt(t.cards.young),
            Cell::UInt(t.cards.mature),
            Cell::UInt(t.cards.leeches),
            Cell::UInt(t.answered),
            Cell::UInt(t.correct),
            Cell::float(t.accuracy),
            Cell::UInt(t.repeats),
        ])?;
    }
    Ok(())
}
