//! `mlsec export` as CSV or JSON: one row per card, review, session or topic, with the
//! same columns in both formats (documented in the README's "Export columns").
//!
//! CSV goes through the `csv` crate: a header row, RFC 4180 quoting and CRLF line ends,
//! UTF-8. A text cell that a spreadsheet would run as a formula (leading `=`, `+`, `-`,
//! `@`, tab or CR) gets a leading `'`, as OWASP's CSV-injection advice has it.

use std::borrow::Cow;

use serde_json::{Map, Value, json};

use super::stats::{CardState, TopicStats, is_leech, ratio};
use crate::deck::{CardBody, KEYS};
use crate::error::{Error, Result};
use crate::store::report::{CardRecord, ReviewRecord, SessionRecord};
use crate::text;

/// A table to export: column names and rows of JSON values (null, bool, number, text).
#[derive(Clone, Debug, PartialEq)]
pub struct Rows {
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Value>>,
}

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

/// Deck text as exported: whatever could act on a terminal replaced (the store never
/// holds such characters, but a file edited by hand might).
fn txt(s: &str) -> Value {
    Value::String(text::for_terminal(s))
}

/// One row per card: its content, schedule and graded answers. Tags are joined by `;`.
pub fn cards(cards: &[CardRecord]) -> Rows {
    let rows = cards
        .iter()
        .map(|c| {
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
            vec![
                txt(&c.full_id()),
                txt(c.deck.as_str()),
                txt(c.topic.as_str()),
                json!(c.body.kind()),
                txt(&c.tags.join(";")),
                txt(question),
                json!(answer_key),
                txt(answer),
                json!(CardState::of(s).as_str()),
                json!(s.map(|s| s.repetitions)),
                json!(s.map(|s| s.ef.as_f64())),
                json!(s.map(|s| s.interval.days())),
                json!(s.map(|s| s.due.to_string())),
                json!(s.map(|s| s.lapses)),
                json!(is_leech(s)),
                json!(c.introduced.map(|d| d.to_string())),
                json!(c.answered),
                json!(c.correct),
                json!(c.last_answered.map(|d| d.to_string())),
                json!(c.retired),
            ]
        })
        .collect();
    Rows {
        columns: CARD_COLUMNS,
        rows,
    }
}

/// One row per answer, oldest first; `ef`, `interval` and `due` are the card's
/// schedule after the answer (unchanged by a repeat).
pub fn reviews(reviews: &[ReviewRecord]) -> Rows {
    let rows = reviews
        .iter()
        .map(|r| {
            vec![
                json!(r.reviewed_at),
                json!(r.study_day.to_string()),
                txt(&format!("{}/{}", r.deck, r.slug)),
                txt(r.deck.as_str()),
                txt(r.topic.as_str()),
                json!(r.kind),
                json!(r.chosen),
                json!(r.correct),
                json!(r.quality.value()),
                json!(r.ef.as_f64()),
                json!(r.interval.days()),
                json!(r.due.to_string()),
                json!(r.elapsed_ms),
                json!(r.session.0),
                json!(r.session_kind),
                json!(r.repeat),
                json!(r.repetitions),
            ]
        })
        .collect();
    Rows {
        columns: REVIEW_COLUMNS,
        rows,
    }
}

/// One row per session that recorded an answer, oldest first.
pub fn sessions(sessions: &[SessionRecord]) -> Rows {
    let rows = sessions
        .iter()
        .map(|s| {
            vec![
                json!(s.id.0),
                json!(s.kind),
                json!(s.study_day.to_string()),
                json!(s.started_at),
                json!(s.ended_at),
                json!(s.answered),
                json!(s.correct),
                json!(ratio(s.correct, s.answered)),
                json!(s.repeats),
                json!(s.elapsed_ms),
            ]
        })
        .collect();
    Rows {
        columns: SESSION_COLUMNS,
        rows,
    }
}

/// One row per topic: the "By topic" table of `mlsec stats`.
pub fn topics(topics: &[TopicStats]) -> Rows {
    let rows = topics
        .iter()
        .map(|t| {
            vec![
                txt(&t.deck),
                txt(&t.topic),
                txt(&t.name),
                json!(t.cards.total),
                json!(t.cards.new),
                json!(t.cards.learning),
                json!(t.cards.young),
                json!(t.cards.mature),
                json!(t.cards.leeches),
                json!(t.answered),
                json!(t.correct),
                json!(t.accuracy),
                json!(t.repeats),
            ]
        })
        .collect();
    Rows {
        columns: TOPIC_COLUMNS,
        rows,
    }
}

/// A cell a spreadsheet would evaluate gets a leading `'` (shown as text, not run).
pub fn neutralise_formula(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A JSON value as a CSV cell: null is empty, booleans are `true`/`false`, text is
/// neutralised.
fn cell(v: &Value) -> Cow<'_, str> {
    match v {
        Value::Null => Cow::Borrowed(""),
        Value::String(s) => neutralise_formula(s),
        other => Cow::Owned(other.to_string()),
    }
}

pub fn to_csv(rows: &Rows) -> Result<Vec<u8>> {
    let fail = |e: csv::Error| Error::Io {
        path: "<csv>".into(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(rows.columns).map_err(fail)?;
    for row in &rows.rows {
        w.write_record(row.iter().map(|v| cell(v).into_owned()))
            .map_err(fail)?;
    }
    w.into_inner().map_err(|e| Error::Io {
        path: "<csv>".into(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// One JSON document: an array of objects keyed by column, in column order.
pub fn to_json(rows: &Rows) -> String {
    let objects: Vec<Value> = rows
        .rows
        .iter()
        .map(|row| {
            let map: Map<String, Value> = rows
                .columns
                .iter()
                .map(|c| c.to_string())
                .zip(row.iter().cloned())
                .collect();
            Value::Object(map)
        })
        .collect();
    crate::output::json(&objects, true) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_get_a_quote() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise_formula(bad), format!("'{bad}"));
        }
        for fine in ["1+1", "a=b", "", "'quoted", "2026-03-01"] {
            assert_eq!(neutralise_formula(fine), fine);
        }
    }

    #[test]
    fn csv_quotes_and_neutralises_text_but_not_numbers() {
        let rows = Rows {
            columns: &["a", "b", "c", "d"],
            rows: vec![vec![
                json!("=HYPERLINK(\"x\")"),
                json!("one, \"two\"\nthree"),
                json!(-1),
                Value::Null,
            ]],
        };
        let out = String::from_utf8(to_csv(&rows).unwrap()).unwrap();
        assert_eq!(
            out,
            "a,b,c,d\r\n\"'=HYPERLINK(\"\"x\"\")\",\"one, \"\"two\"\"\nthree\",-1,\r\n"
        );
    }

    #[test]
    fn json_rows_are_objects_in_column_order() {
        let rows = Rows {
            columns: &["z", "a"],
            rows: vec![vec![json!(1), json!("=x")]],
        };
        let v: Value = serde_json::from_str(&to_json(&rows)).unwrap();
        assert_eq!(v, json!([{"z": 1, "a": "=x"}]));
        assert!(to_json(&rows).find("\"z\"") < to_json(&rows).find("\"a\""));
    }
}
