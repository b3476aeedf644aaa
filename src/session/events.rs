//! The JSON Lines protocol of a session (DESIGN §2; docs/protocol.md) as types: one
//! [`Event`] per line, tagged by `"event"`, built here from what the session did and
//! nowhere else. Field names and their order are a public interface: a field
//! may be added (a line in one struct, and its value in the one constructor), never
//! renamed or removed. `tests/cli/contract.rs` pins the shapes and, byte for byte, the
//! lines of a few scripted sessions; `docs/schema/session-event.schema.json` describes
//! them for script authors, and `tests/cli/schema.rs` fails until a new field is in it.
//!
//! A mock speaks the same events. Its fields come from mock structs flattened into the
//! study ones ([`MockAsk`], [`MockVerdict`]), plus two mock-only fields that mock
//! answers have always carried in the middle of the line (`step`, `right_answer`) and
//! that a study answer leaves out. The classify step's verdict has a shape of its own,
//! [`ClassifiedEvent`]; the mock's report is its summary. No event is made by editing
//! another event's JSON.
//!
//! Every answer line ends with `final_pass` (an interview plan's final pass, issue 14),
//! added after the first release and so placed last.

use serde::Serialize;

use super::mock::report::Report;
use super::mock::vector::{Knowledge, Phase};
use super::mock::{Answered, Classified, ClassifyStep, MockQuestion, millis};
use super::{Answer, Feedback, Question, Response, SessionKind, Shown, Summary};
use crate::deck::{CardBody, KEYS, TopicId};
use crate::sched::{Quality, Schedule};

/// One line of a session's output.
#[derive(Serialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum Event<'a> {
    /// A card is asked (in a mock, also its attack vector, as a question of its own).
    Question(QuestionEvent<'a>),
    /// The verdict on an answer to a card.
    Answer(AnswerEvent<'a>),
    /// The verdict on a mock's classify step: an `answer` line of its own shape.
    #[serde(rename = "answer")]
    Classified(ClassifiedEvent),
    /// The end of a study or review session (also when nothing was due).
    Summary(&'a Summary),
    /// The end of a mock: its report is its summary.
    #[serde(rename = "summary")]
    Report(&'a Report),
    /// An answer line that could not be read; the same question follows.
    Error { message: &'a str },
}

/// A mock's two steps on one card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    /// Name the attack vector before the options are shown.
    Classify,
    /// Answer the card itself.
    Answer,
}

/// An option as shown: its display key and text.
#[derive(Serialize)]
pub struct ShownOption<'a> {
    pub key: char,
    pub text: &'a str,
}

impl<'a> ShownOption<'a> {
    fn of(o: &Shown<'a>) -> Self {
        ShownOption {
            key: o.key,
            text: o.text,
        }
    }
}

/// What a recall card shows with its prompt and again with its verdict, so that a
/// front end can grade with the rubric in view.
#[derive(Serialize)]
pub struct RecallText<'a> {
    pub model_answer: &'a str,
    pub rubric: &'a [String],
}

impl<'a> RecallText<'a> {
    fn of(body: &'a CardBody) -> Option<Self> {
        match body {
            CardBody::Recall { answer, rubric, .. } => Some(RecallText {
                model_answer: answer,
                rubric,
            }),
            CardBody::Choice { .. } => None,
        }
    }
}

#[derive(Serialize)]
pub struct QuestionEvent<'a> {
    pub mode: SessionKind,
    /// `deck/card`.
    pub card: String,
    /// `choice` or `recall`; a classify step is a `choice` (the card's is `card_kind`).
    pub kind: &'static str,
    pub topic: &'a TopicId,
    pub topic_name: &'a str,
    pub tags: &'a [String],
    /// Presentations so far in this session, this one included.
    pub position: usize,
    /// Grows when a miss joins the repeat queue.
    pub total: usize,
    pub repeat: bool,
    pub question: &'a str,
    /// Empty for a recall card.
    pub options: Vec<ShownOption<'a>>,
    #[serde(flatten)]
    pub recall: Option<RecallText<'a>>,
    #[serde(flatten)]
    pub mock: Option<MockAsk>,
}

/// What a mock adds to a question.
#[derive(Serialize)]
pub struct MockAsk {
    pub step: Step,
    /// Classify step only: the card's own kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub card_kind: Option<&'static str>,
    /// Classify step only: what to name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Seconds per question; null: no limit.
    pub time_limit: Option<u64>,
    /// Time already spent on this question (in its classify step).
    pub elapsed_ms: u64,
}

fn secs(limit: Option<std::time::Duration>) -> Option<u64> {
    limit.map(|d| d.as_secs())
}

impl<'a> QuestionEvent<'a> {
    pub fn of(q: &'a Question<'a>) -> Self {
        let card = q.card;
        QuestionEvent {
            mode: q.mode,
            card: card.full_id(),
            kind: card.body.kind(),
            topic: &card.topic,
            topic_name: &card.topic_name,
            tags: &card.tags,
            position: q.position,
            total: q.total,
            repeat: q.repeat,
            question: card.body.question(),
            options: q.options.iter().map(ShownOption::of).collect(),
            recall: RecallText::of(&card.body),
            mock: None,
        }
    }

    /// A mock's question on the card itself: its options, or its recall prompt.
    pub fn mock(mq: &'a MockQuestion<'a>) -> Self {
        QuestionEvent {
            mock: Some(MockAsk {
                step: Step::Answer,
                card_kind: None,
                prompt: None,
                time_limit: secs(mq.time_limit),
                elapsed_ms: millis(mq.elapsed),
            }),
            ..QuestionEvent::of(&mq.question)
        }
    }

    /// A mock's classify step: the card's stem with the vectors as its options. The
    /// card's own options (and a recall card's model answer) come with the next question.
    pub fn classify(step: &'a ClassifyStep<'a>, vectors: &'a [Shown<'a>]) -> Self {
        let q = step.question;
        QuestionEvent {
            kind: "choice",
            options: vectors.iter().map(ShownOption::of).collect(),
            recall: None,
            mock: Some(MockAsk {
                step: Step::Classify,
                card_kind: Some(q.card.body.kind()),
                prompt: Some(format!(
                    "Classify the attack vector: {}?",
                    step.choices.first().map_or("", |v| v.asks())
                )),
                time_limit: secs(step.time_limit),
                elapsed_ms: 0,
            }),
            ..QuestionEvent::of(q)
        }
    }
}

#[derive(Serialize)]
pub struct AnswerEvent<'a> {
    pub mode: SessionKind,
    /// Mock only (`answer`): a mock answer has always had it second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<Step>,
    pub card: String,
    pub kind: &'static str,
    /// A same-day repeat: the schedule did not move.
    pub repeat: bool,
    /// The key as shown, `?` for "I don't know"; null for a recall card.
    pub chosen: Option<char>,
    pub correct: bool,
    /// Mock only: the answer itself was right, whatever the time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right_answer: Option<bool>,
    pub correct_key: Option<char>,
    pub quality: Quality,
    pub explanation: Option<&'a str>,
    /// Why the chosen option is right or wrong.
    pub why: Option<&'a str>,
    pub correct_why: Option<&'a str>,
    #[serde(flatten)]
    pub mock: Option<MockVerdict>,
    /// After the answer; null in a mock for a card that stays new.
    pub schedule: Option<Schedule>,
    #[serde(flatten)]
    pub recall: Option<RecallText<'a>>,
    /// The rubric points covered, numbered from 1 and sorted, when a recall answer was
    /// graded by its checklist; otherwise null.
    pub covered: Option<&'a [u32]>,
    /// The number of rubric points, alongside `covered`; otherwise null.
    pub rubric_total: Option<u32>,
    /// The answer in the learner's words, as typed or sent; null if none.
    pub text: Option<&'a str>,
    /// Asked by an interview plan's final pass: recorded like a mock answer, SM-2's
    /// state untouched. Added after the first release, hence last.
    pub final_pass: bool,
}

/// What a mock adds to an answer.
#[derive(Serialize)]
pub struct MockVerdict {
    /// From the question appearing to this answer.
    pub elapsed_ms: u64,
    pub over_time: bool,
    /// The miss moved the card's due day to the next study day.
    pub resurfaced: bool,
}

impl<'a> AnswerEvent<'a> {
    pub fn of(f: &'a Feedback<'a>) -> Self {
        AnswerEvent {
            // Not graded and not the final pass: a repeat (or another session graded
            // the card first).
            repeat: !f.graded && !f.final_pass,
            final_pass: f.final_pass,
            ..AnswerEvent::verdict(f.question, f.answer, f.correct, f.quality, Some(f.schedule))
        }
    }

    pub fn mock(a: &'a Answered<'a>) -> Self {
        AnswerEvent {
            step: Some(Step::Answer),
            right_answer: Some(a.right_answer),
            mock: Some(MockVerdict {
                elapsed_ms: millis(a.elapsed),
                over_time: a.over_time,
                resurfaced: a.resurfaced,
            }),
            ..AnswerEvent::verdict(
                &a.question.question,
                a.answer,
                a.correct,
                a.quality,
                a.schedule,
            )
        }
    }

    /// The fields every answer has.
    fn verdict(
        q: &'a Question<'a>,
        answer: &'a Answer,
        correct: bool,
        quality: Quality,
        schedule: Option<Schedule>,
    ) -> Self {
        let card = q.card;
        let index = match answer.response {
            Response::Choice { index, .. } => Some(index),
            _ => None,
        };
        let picked = index.and_then(|i| q.options.get(i));
        let best = q.correct.and_then(|i| q.options.get(i));
        let dont_know = (answer.response == Response::DontKnow).then_some('?');
        let (explanation, chosen) = match &card.body {
            CardBody::Choice { explanation, .. } => (
                Some(explanation.as_str()),
                picked.map(|o| o.key).or(dont_know),
            ),
            // A recall card has no key to choose; `?` is its "I don't know" too.
            CardBody::Recall { .. } => (None, dont_know),
        };
        AnswerEvent {
            mode: q.mode,
            step: None,
            card: card.full_id(),
            kind: card.body.kind(),
            repeat: false,
            chosen,
            correct,
            right_answer: None,
            correct_key: best.map(|o| o.key),
            quality,
            explanation,
            why: picked.map(|o| o.why),
            correct_why: best.map(|o| o.why),
            mock: None,
            schedule,
            recall: RecallText::of(&card.body),
            covered: answer.checklist.as_ref().map(|c| c.covered()),
            rubric_total: answer.checklist.as_ref().map(|c| c.total()),
            text: answer.text.as_deref(),
            final_pass: false,
        }
    }
}

/// The verdict on a mock's classify step.
#[derive(Serialize)]
pub struct ClassifiedEvent {
    pub mode: SessionKind,
    pub step: Step,
    pub card: String,
    /// Always `choice`: the step is a choice among vectors.
    pub kind: &'static str,
    pub repeat: bool,
    /// The key as shown, `?` for "I don't know".
    pub chosen: Option<char>,
    pub chosen_vector: Option<String>,
    /// Right and in time.
    pub correct: bool,
    pub correct_key: Option<char>,
    /// The vector the card's tags give, e.g. `inference-time, black-box`.
    pub expected: String,
    pub phase: Option<Phase>,
    pub knowledge: Option<Knowledge>,
    pub elapsed_ms: u64,
    pub over_time: bool,
    /// Always false: a mock is never a final pass (every answer line has the field).
    pub final_pass: bool,
}

impl ClassifiedEvent {
    pub fn of(v: &Classified<'_>) -> Self {
        let choices = v.step.choices;
        let key = |i: usize| KEYS.get(i).copied();
        ClassifiedEvent {
            mode: v.step.question.mode,
            step: Step::Classify,
            card: v.step.question.card.full_id(),
            kind: "choice",
            repeat: false,
            chosen: v.chosen.map_or(Some('?'), key),
            chosen_vector: v
                .chosen
                .and_then(|i| choices.get(i))
                .map(ToString::to_string),
            correct: v.correct,
            correct_key: choices.iter().position(|c| *c == v.expected).and_then(key),
            expected: v.expected.to_string(),
            phase: v.expected.phase,
            knowledge: v.expected.knowledge,
            elapsed_ms: millis(v.elapsed),
            over_time: v.over_time,
            final_pass: false,
        }
    }
}
