//! A mock over JSON Lines (DESIGN §2). Events are those of a study session with
//! `"mode":"mock"`, plus `step` (`"classify"` or `"answer"`), `time_limit` (seconds or
//! null), `elapsed_ms` and, on answers, `over_time`. The classify step is its own
//! question/answer pair; the report is the final `summary` event.

use std::io::{BufRead, Write};

use serde_json::{Value, json};

use super::report::Report;
use super::{Answered, Classified, ClassifyStep, MockPrompter, MockQuestion, millis};
use crate::deck::{CardBody, KEYS};
use crate::error::Result;
use crate::session::jsonl::{JsonLines, parse_answer, parse_choice, question_event};
use crate::session::{Response, Shown};

fn limit_secs(limit: Option<std::time::Duration>) -> Value {
    json!(limit.map(|d| d.as_secs()))
}

impl<R: BufRead, W: Write> MockPrompter for JsonLines<R, W> {
    fn classify(&mut self, step: &ClassifyStep<'_>) -> Result<Response> {
        let q = step.question;
        let labels: Vec<String> = step.choices.iter().map(ToString::to_string).collect();
        let shown: Vec<Shown<'_>> = labels
            .iter()
            .enumerate()
            .map(|(i, label)| Shown {
                key: KEYS[i],
                file_index: i,
                text: label,
                why: "",
            })
            .collect();
        let mut event = question_event(q);
        if let Some(map) = event.as_object_mut() {
            // The card's own options (and a recall card's model answer) come after.
            map.remove("model_answer");
            map.remove("rubric");
        }
        event["step"] = json!("classify");
        event["card_kind"] = event["kind"].clone();
        event["kind"] = json!("choice");
        event["prompt"] = json!(format!(
            "Classify the attack vector: {}?",
            step.choices.first().map_or("", |v| v.asks())
        ));
        event["options"] = json!(
            shown
                .iter()
                .map(|o| json!({"key": o.key.to_string(), "text": o.text}))
                .collect::<Vec<_>>()
        );
        event["time_limit"] = limit_secs(step.time_limit);
        event["elapsed_ms"] = json!(0);
        self.ask_with(&event, |line| parse_choice(line, &shown))
    }

    fn classified(&mut self, v: &Classified<'_>) -> Result<()> {
        let key = |i: usize| KEYS.get(i).map(|k| k.to_string());
        let correct_key = v.step.choices.iter().position(|c| *c == v.expected);
        self.emit(&json!({
            "event": "answer",
            "mode": "mock",
            "step": "classify",
            "card": v.step.question.card.full_id(),
            "kind": "choice",
            "repeat": false,
            "chosen": v.chosen.map_or(Some("?".to_string()), key),
            "chosen_vector": v.chosen.and_then(|i| v.step.choices.get(i)).map(ToString::to_string),
            "correct": v.correct,
            "correct_key": correct_key.and_then(key),
            "expected": v.expected.to_string(),
            "phase": v.expected.phase,
            "knowledge": v.expected.knowledge,
            "elapsed_ms": millis(v.elapsed),
            "over_time": v.over_time,
        }))
    }

    fn ask_question(&mut self, mq: &MockQuestion<'_>) -> Result<Response> {
        let q = &mq.question;
        let mut event = question_event(q);
        event["step"] = json!("answer");
        event["time_limit"] = limit_secs(mq.time_limit);
        event["elapsed_ms"] = json!(millis(mq.elapsed));
        self.ask_with(&event, |line| parse_answer(line, q))
    }

    fn answered(&mut self, a: &Answered<'_>) -> Result<()> {
        let q = &a.question.question;
        let card = q.card;
        let mut event = json!({
            "event": "answer",
            "mode": "mock",
            "step": "answer",
            "card": card.full_id(),
            "kind": card.body.kind(),
            "repeat": false,
            "chosen": Value::Null,
            "correct": a.correct,
            "right_answer": a.right_answer,
            "correct_key": Value::Null,
            "quality": a.quality,
            "explanation": Value::Null,
            "why": Value::Null,
            "correct_why": Value::Null,
            "elapsed_ms": millis(a.elapsed),
            "over_time": a.over_time,
            "resurfaced": a.resurfaced,
            "schedule": a.schedule.map(|s| json!({
                "repetitions": s.repetitions,
                "ef": s.ef,
                "interval": s.interval,
                "due": s.due,
                "lapses": s.lapses,
            })),
        });
        match &card.body {
            CardBody::Choice { explanation, .. } => {
                let chosen = match a.response {
                    Response::Choice { index, .. } => q.options.get(index),
                    _ => None,
                };
                let best = q.correct.and_then(|i| q.options.get(i));
                event["chosen"] = json!(chosen.map_or("?".to_string(), |o| o.key.to_string()));
                event["correct_key"] = json!(best.map(|o| o.key.to_string()));
                event["explanation"] = json!(explanation);
                event["why"] = json!(chosen.map(|o| o.why));
                event["correct_why"] = json!(best.map(|o| o.why));
            }
            CardBody::Recall { answer, rubric, .. } => {
                event["model_answer"] = json!(answer);
                event["rubric"] = json!(rubric);
            }
        }
        self.emit(&event)
    }

    fn report(&mut self, report: &Report) -> Result<()> {
        let mut event = serde_json::Map::new();
        event.insert("event".into(), json!("summary"));
        if let Ok(Value::Object(fields)) = serde_json::to_value(report) {
            event.extend(fields);
        }
        self.emit(&Value::Object(event))
    }
}
