//! A mock over JSON Lines (DESIGN §2): the events of a study session with
//! `"mode":"mock"` and the mock's fields ([`crate::session::events`] has them all). The
//! classify step is its own question/answer pair; the report is the final `summary`.

use std::io::{BufRead, Write};

use super::report::Report;
use super::{Answered, Classified, ClassifyStep, MockPrompter, MockQuestion};
use crate::deck::KEYS;
use crate::error::Result;
use crate::session::events::{AnswerEvent, ClassifiedEvent, Event, QuestionEvent};
use crate::session::jsonl::{JsonLines, parse_answer, parse_choice};
use crate::session::{Answer, Response, Shown};

impl<R: BufRead, W: Write> MockPrompter for JsonLines<R, W> {
    fn classify(&mut self, step: &ClassifyStep<'_>) -> Result<Response> {
        let labels: Vec<String> = step.choices.iter().map(ToString::to_string).collect();
        let vectors: Vec<Shown<'_>> = labels
            .iter()
            .enumerate()
            .map(|(i, label)| Shown {
                key: KEYS[i],
                file_index: i,
                text: label,
                why: "",
            })
            .collect();
        let event = Event::Question(QuestionEvent::classify(step, &vectors));
        self.ask_with(&event, |line| parse_choice(line, &vectors))
    }

    fn classified(&mut self, v: &Classified<'_>) -> Result<()> {
        self.emit(&Event::Classified(ClassifiedEvent::of(v)))
    }

    fn ask_question(&mut self, mq: &MockQuestion<'_>) -> Result<Answer> {
        let event = Event::Question(QuestionEvent::mock(mq));
        self.ask_with(&event, |line| parse_answer(line, &mq.question))
    }

    fn answered(&mut self, a: &Answered<'_>) -> Result<()> {
        self.emit(&Event::Answer(AnswerEvent::mock(a)))
    }

    fn report(&mut self, report: &Report) -> Result<()> {
        self.emit(&Event::Report(report))
    }
}
