//! An answer line that is a JSON object (issue 13): what a script sends when one token
//! is not enough. `{"key":"B"}` or `{"key":"B","confidence":5}` answers a choice card;
//! `{"grade":4}`, `{"covered":[1,3]}` or `{"covered":[1,3],"grade":2}` a recall card
//! (rubric points numbered from 1 in the order shown; an explicit grade wins over the
//! one the points suggest); any of them may add `"text":"…"`, the answer in words.
//!
//! The object is read strictly (an unknown field, a wrong type, a point outside the
//! rubric, a field of the other kind of card are errors), and every error says what to
//! send instead: the session answers it with an `error` event and the same question.

use serde::Deserialize;

use super::rubric::Checklist;
use super::{Answer, Response, Shown};
use crate::deck::CardBody;
use crate::sched::Quality;

/// The longest answer text kept, in bytes of UTF-8: the terminal's `--type` and a
/// script's `text` alike.
pub const MAX_TEXT_BYTES: usize = 16 * 1024;

/// The fields an answer object may have; which of them a card takes depends on its kind.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerObject {
    key: Option<String>,
    confidence: Option<i64>,
    grade: Option<i64>,
    covered: Option<Vec<i64>>,
    text: Option<String>,
}

/// What the question takes, for the hint that says what to send instead.
#[derive(Clone, Copy)]
enum Asked {
    Choice,
    Recall {
        points: usize,
    },
    /// The mock's classify step: a key and nothing else.
    KeyOnly,
}

impl Asked {
    fn of(body: &CardBody) -> Asked {
        match body {
            CardBody::Choice { .. } => Asked::Choice,
            CardBody::Recall { rubric, .. } => Asked::Recall {
                points: rubric.len(),
            },
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Asked::Choice => {
                "answer a choice card with {\"key\":\"B\"} or {\"key\":\"B\",\"confidence\":5}, optionally with \"text\""
            }
            Asked::Recall { points: 0 } => {
                "grade this recall card (it has no rubric) with {\"grade\":4}, optionally with \"text\""
            }
            Asked::Recall { .. } => {
                "grade a recall card with {\"grade\":4}, {\"covered\":[1,3]} or {\"covered\":[1,3],\"grade\":2}, optionally with \"text\""
            }
            Asked::KeyOnly => "this step takes a key only, e.g. {\"key\":\"A\"}",
        }
    }
}

fn read(line: &str, asked: Asked) -> Result<AnswerObject, String> {
    serde_json::from_str(line)
        .map_err(|e| format!("unreadable answer object ({e}); {}", asked.hint()))
}

/// An answer object to a card: `options` are the choices as shown (empty for a recall
/// card).
pub fn parse(line: &str, body: &CardBody, options: &[Shown<'_>]) -> Result<Answer, String> {
    let asked = Asked::of(body);
    let object = read(line, asked)?;
    let text = checked_text(object.text.clone())?;
    match asked {
        Asked::Recall { points } => {
            if object.key.is_some() || object.confidence.is_some() {
                return Err(format!(
                    "key and confidence are for choice cards; {}",
                    asked.hint()
                ));
            }
            let checklist = match &object.covered {
                Some(covered) => Some(Checklist::new(covered, points)?),
                None => None,
            };
            let grade = match (object.grade, &checklist) {
                (Some(g), _) => Quality::try_from(g).map_err(|_| {
                    format!("grade {g} is outside 0–5; send a whole number from 0 to 5")
                })?,
                (None, Some(c)) => c.suggested(),
                (None, None) => {
                    return Err(format!(
                        "a recall answer needs \"grade\" or \"covered\"; {}",
                        asked.hint()
                    ));
                }
            };
            Ok(Answer {
                response: Response::Grade(grade),
                checklist,
                text,
            })
        }
        Asked::Choice | Asked::KeyOnly => {
            if object.grade.is_some() || object.covered.is_some() {
                return Err(format!(
                    "grade and covered are for recall cards; {}",
                    asked.hint()
                ));
            }
            Ok(Answer {
                response: choice(&object, options, asked)?,
                checklist: None,
                text,
            })
        }
    }
}

/// A key object where only a key is wanted (the mock's classify step): a text would be
/// kept nowhere, so it is refused rather than dropped.
pub fn parse_key(line: &str, options: &[Shown<'_>]) -> Result<Response, String> {
    let object = read(line, Asked::KeyOnly)?;
    if object.text.is_some() || object.grade.is_some() || object.covered.is_some() {
        return Err(Asked::KeyOnly.hint().to_string());
    }
    choice(&object, options, Asked::KeyOnly)
}

/// The key (and confidence) of a choice answer object.
fn choice(object: &AnswerObject, options: &[Shown<'_>], asked: Asked) -> Result<Response, String> {
    let Some(key) = object.key.as_deref() else {
        return Err(format!("a choice answer needs \"key\"; {}", asked.hint()));
    };
    let shown: Vec<String> = options.iter().map(|o| o.key.to_string()).collect();
    if key == "?" {
        if object.confidence.is_some() {
            return Err("confidence follows a key, not \"?\" (I don't know)".into());
        }
        return Ok(Response::DontKnow);
    }
    let mut chars = key.chars();
    let index = match (chars.next(), chars.next()) {
        (Some(c), None) => options.iter().position(|o| o.key == c.to_ascii_uppercase()),
        _ => None,
    }
    .ok_or_else(|| {
        format!(
            "unreadable key {key:?}: expected one of {}, or \"?\" (I don't know)",
            shown.join(", ")
        )
    })?;
    let confidence = match object.confidence {
        None => None,
        Some(5) => Some(Quality::PERFECT),
        Some(4) => Some(Quality::CORRECT),
        Some(2) => Some(Quality::GUESSED),
        Some(other) => {
            return Err(format!(
                "confidence {other} is not one of 5 (knew it cold), 4 (fairly sure) or 2 (guessed)"
            ));
        }
    };
    Ok(Response::Choice { index, confidence })
}

/// The text as sent, refused when over [`MAX_TEXT_BYTES`]; an empty text is no text.
fn checked_text(text: Option<String>) -> Result<Option<String>, String> {
    match text {
        Some(t) if t.len() > MAX_TEXT_BYTES => Err(format!(
            "text is {} bytes long; an answer text holds at most {MAX_TEXT_BYTES} bytes: shorten it",
            t.len()
        )),
        Some(t) if t.is_empty() => Ok(None),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::ChoiceOption;

    fn choice_card() -> CardBody {
        CardBody::Choice {
            question: "Q?".into(),
            options: ["a", "b", "c"]
                .iter()
                .map(|t| ChoiceOption {
                    text: t.to_string(),
                    why: String::new(),
                })
                .collect(),
            answer: 1,
            explanation: String::new(),
        }
    }

    fn recall_card(points: usize) -> CardBody {
        CardBody::Recall {
            prompt: "P?".into(),
            answer: "A.".into(),
            rubric: (1..=points).map(|i| format!("point {i}")).collect(),
        }
    }

    fn shown() -> Vec<Shown<'static>> {
        ['A', 'B', 'C']
            .iter()
            .enumerate()
            .map(|(i, &key)| Shown {
                key,
                file_index: i,
                text: "",
                why: "",
            })
            .collect()
    }

    fn on_choice(line: &str) -> Result<Answer, String> {
        parse(line, &choice_card(), &shown())
    }

    fn on_recall(line: &str) -> Result<Answer, String> {
        parse(line, &recall_card(4), &[])
    }

    fn grade(q: u8) -> Response {
        Response::Grade(Quality::try_from(i64::from(q)).unwrap())
    }

    #[test]
    fn choice_objects() {
        let b = |confidence| Response::Choice {
            index: 1,
            confidence,
        };
        assert_eq!(on_choice(r#"{"key":"B"}"#).unwrap(), b(None).into());
        assert_eq!(on_choice(r#"{"key":"b"}"#).unwrap().response, b(None));
        assert_eq!(
            on_choice(r#"{"key":"B","confidence":5}"#).unwrap().response,
            b(Some(Quality::PERFECT))
        );
        assert_eq!(
            on_choice(r#"{"key":"B","confidence":2}"#).unwrap().response,
            b(Some(Quality::GUESSED))
        );
        assert_eq!(
            on_choice(r#"{"key":"?"}"#).unwrap().response,
            Response::DontKnow
        );
        let with_text = on_choice(r#"{"key":"B","text":"poisoning, \"at\" training"}"#).unwrap();
        assert_eq!(
            with_text.text.as_deref(),
            Some("poisoning, \"at\" training")
        );
        assert_eq!(with_text.checklist, None);
        assert_eq!(on_choice(r#"{"key":"B","text":""}"#).unwrap().text, None);
    }

    #[test]
    fn recall_objects() {
        let a = on_recall(r#"{"grade":4}"#).unwrap();
        assert_eq!((a.response, a.checklist), (grade(4), None));
        let a = on_recall(r#"{"covered":[3,1]}"#).unwrap();
        assert_eq!(a.response, grade(3), "2 of 4 suggests 3");
        let c = a.checklist.unwrap();
        assert_eq!((c.covered(), c.total()), (&[1, 3][..], 4));
        let a = on_recall(r#"{"covered":[1,3],"grade":2}"#).unwrap();
        assert_eq!(a.response, grade(2), "an explicit grade wins");
        assert_eq!(a.checklist.unwrap().covered(), [1, 3]);
        let a =
            on_recall(r#"{"covered":[1,2,3],"text":"threat model, ε, clean accuracy"}"#).unwrap();
        assert_eq!(a.response, grade(4));
        assert_eq!(a.text.as_deref(), Some("threat model, ε, clean accuracy"));
        let a = on_recall(r#"{"covered":[]}"#).unwrap();
        assert_eq!(a.response, grade(0), "none covered");
        assert_eq!(a.checklist.unwrap().covered(), [0u32; 0]);
        assert_eq!(
            parse(r#"{"grade":5}"#, &recall_card(0), &[])
                .unwrap()
                .response,
            grade(5)
        );
        // Whitespace and key order are JSON's business.
        assert_eq!(
            on_recall(r#"{ "text" : "x" , "covered" : [ 4 , 4 ] }"#)
                .unwrap()
                .checklist
                .unwrap()
                .covered(),
            [4]
        );
    }

    /// Every refusal says what is wrong and what to send instead.
    #[track_caller]
    fn refused(result: Result<Answer, String>, says: &[&str]) {
        let message = result.unwrap_err();
        for part in says {
            assert!(message.contains(part), "{message:?} lacks {part:?}");
        }
    }

    #[test]
    fn errors_say_what_to_send() {
        let recall_hint = r#"{"covered":[1,3]}"#;
        let choice_hint = r#"{"key":"B"}"#;
        refused(
            on_choice(r#"{"key":"B","colour":1}"#),
            &["unknown field `colour`", choice_hint],
        );
        refused(
            on_recall(r#"{"grade":4,"note":"x"}"#),
            &["unknown field `note`", recall_hint],
        );
        refused(on_choice(r#"{"key":2}"#), &["invalid type", choice_hint]);
        refused(
            on_choice(r#"{"key":"B","confidence":"5"}"#),
            &["invalid type", choice_hint],
        );
        refused(
            on_recall(r#"{"grade":"4"}"#),
            &["invalid type", recall_hint],
        );
        refused(
            on_recall(r#"{"grade":4.5}"#),
            &["invalid type", recall_hint],
        );
        refused(
            on_recall(r#"{"covered":"1,3"}"#),
            &["invalid type", recall_hint],
        );
        refused(
            on_recall(r#"{"covered":[1,"3"]}"#),
            &["invalid type", recall_hint],
        );
        refused(
            on_recall(r#"{"grade":4,"text":7}"#),
            &["invalid type", recall_hint],
        );
        refused(
            on_recall(r#"{"grade":4"#),
            &["unreadable answer object", recall_hint],
        );
        refused(on_recall(r#"{"covered":[1,5]}"#), &["point 5", "1 to 4"]);
        refused(on_recall(r#"{"covered":[0]}"#), &["point 0", "1 to 4"]);
        refused(on_recall(r#"{"grade":6}"#), &["grade 6", "0 to 5"]);
        refused(on_recall(r#"{"grade":-1}"#), &["grade -1", "0 to 5"]);
        refused(
            on_recall(r#"{"text":"just words"}"#),
            &["needs \"grade\" or \"covered\"", recall_hint],
        );
        refused(on_recall(r#"{}"#), &["needs \"grade\" or \"covered\""]);
        refused(
            on_recall(r#"{"key":"B"}"#),
            &["for choice cards", recall_hint],
        );
        refused(
            on_recall(r#"{"grade":4,"confidence":5}"#),
            &["for choice cards"],
        );
        refused(
            on_choice(r#"{"grade":4}"#),
            &["for recall cards", choice_hint],
        );
        refused(
            on_choice(r#"{"key":"B","covered":[1]}"#),
            &["for recall cards", choice_hint],
        );
        refused(on_choice(r#"{}"#), &["needs \"key\"", choice_hint]);
        refused(
            on_choice(r#"{"key":"Z"}"#),
            &["unreadable key \"Z\"", "A, B, C"],
        );
        refused(on_choice(r#"{"key":"AB"}"#), &["unreadable key \"AB\""]);
        refused(
            on_choice(r#"{"key":"B","confidence":3}"#),
            &["confidence 3", "5 (knew it cold)"],
        );
        refused(
            on_choice(r#"{"key":"?","confidence":5}"#),
            &["confidence follows a key"],
        );
        refused(
            parse(r#"{"covered":[1]}"#, &recall_card(0), &[]),
            &["no rubric", r#"{"grade":N}"#],
        );
        let long = format!(
            r#"{{"grade":4,"text":"{}"}}"#,
            "x".repeat(MAX_TEXT_BYTES + 1)
        );
        refused(on_recall(&long), &["16385 bytes", "at most 16384"]);
        let at_limit = format!(
            r#"{{"grade":4,"text":"{}"}}"#,
            "é".repeat(MAX_TEXT_BYTES / 2)
        );
        assert!(on_recall(&at_limit).is_ok());
    }

    #[test]
    fn a_step_that_takes_a_key_takes_nothing_else() {
        assert_eq!(
            parse_key(r#"{"key":"c"}"#, &shown()).unwrap(),
            Response::Choice {
                index: 2,
                confidence: None
            }
        );
        assert_eq!(
            parse_key(r#"{"key":"?"}"#, &shown()).unwrap(),
            Response::DontKnow
        );
        for bad in [
            r#"{"key":"A","text":"x"}"#,
            r#"{"grade":4}"#,
            r#"{"key":"A","covered":[]}"#,
        ] {
            assert!(
                parse_key(bad, &shown()).unwrap_err().contains("key only"),
                "{bad}"
            );
        }
    }
}
