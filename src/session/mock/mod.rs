//! A mock interview: a few questions across topics under a time limit, the structure
//! drill (classify the attack vector before seeing the options), and a report at the end.
//!
//! A mock is a rehearsal, not a review: it never moves EF or an interval (its answers are
//! reviews of a session of kind `mock`, which the queue queries skip), but every card it
//! finds missed is made due on the next study day, so it resurfaces in `review`.
//!
//! Time is read from the [`Clock`] (one read when a question appears, one per answer), so
//! `MLSEC_CLOCK_STEP_MS` makes every measured time exact in tests.

mod jsonl;
pub mod pick;
pub mod report;
mod term;
pub mod vector;

use std::time::Duration;

use crate::clock::{Clock, Moment, StudyDay};
use crate::deck::CardBody;
use crate::error::{Error, Result};
use crate::sched::{Quality, Schedule};
use crate::store::{
    CardKey, Filter, MockSettings, NewClassify, NewReview, SessionId, Store, StoredCard,
};

use super::{Answer, Order, Question, Response, SessionKind, quality_of, shown_options};
use pick::Weighting;
use report::{ClassifyResult, QuestionResult, Report};
use vector::Vector;

/// Questions in a mock unless `--count` says otherwise.
pub const DEFAULT_COUNT: usize = 5;

/// Option order for a mock: shuffled from the mock's seed (salted, so that the options
/// do not replay the draws that picked the questions), or file order.
pub fn option_order(seed: u64, no_shuffle: bool) -> Order {
    if no_shuffle {
        Order::FileOrder
    } else {
        Order::Shuffled(crate::rng::Rng::new(seed ^ 0x6d6f_636b))
    }
}

#[derive(Clone, Debug)]
pub struct MockOptions {
    pub filter: Filter,
    pub count: usize,
    pub weighting: Weighting,
    /// Seeds the choice of questions (and nothing else).
    pub seed: u64,
    /// Option order.
    pub order: Order,
    /// Per question; `None` means no limit.
    pub time_limit: Option<Duration>,
    /// Ask the classify step before the options where a card's tags allow it.
    pub structure: bool,
    /// Ask for a recall answer in words before its model answer (`--type`).
    pub type_answer: bool,
}

/// The classify step of one question: its stem is shown, its options are not yet.
pub struct ClassifyStep<'a> {
    pub question: &'a Question<'a>,
    /// The choices in display order (keys A, B, …).
    pub choices: &'a [Vector],
    pub time_limit: Option<Duration>,
}

/// The verdict on a classify step.
pub struct Classified<'a> {
    pub step: &'a ClassifyStep<'a>,
    pub expected: Vector,
    /// Display index of the choice, `None` for "I don't know".
    pub chosen: Option<usize>,
    /// Right and in time.
    pub correct: bool,
    pub over_time: bool,
    pub elapsed: Duration,
}

/// A mock question as asked.
pub struct MockQuestion<'a> {
    pub question: Question<'a>,
    pub time_limit: Option<Duration>,
    /// Time already spent on this question (in its classify step).
    pub elapsed: Duration,
    /// The classify step already showed the stem: show the options only.
    pub stem_shown: bool,
}

/// The verdict on a mock answer.
pub struct Answered<'a> {
    pub question: &'a MockQuestion<'a>,
    pub answer: &'a Answer,
    /// Counted right: the right answer, in time.
    pub correct: bool,
    /// The answer itself was right (whatever the time).
    pub right_answer: bool,
    pub quality: Quality,
    pub over_time: bool,
    /// From the question appearing to this answer.
    pub elapsed: Duration,
    /// The card's schedule after the answer (`None`: a new card that stays new).
    pub schedule: Option<Schedule>,
    /// The miss moved the card's due date to the next study day.
    pub resurfaced: bool,
    pub today: StudyDay,
}

/// The two ends of a mock: the terminal and JSON Lines.
pub trait MockPrompter {
    /// Show the question's stem and ask for its attack vector.
    fn classify(&mut self, step: &ClassifyStep<'_>) -> Result<Response>;
    fn classified(&mut self, verdict: &Classified<'_>) -> Result<()>;
    /// Ask the question itself (its options, or the recall prompt).
    fn ask_question(&mut self, q: &MockQuestion<'_>) -> Result<Answer>;
    fn answered(&mut self, verdict: &Answered<'_>) -> Result<()>;
    /// The report at the end (also when nothing was asked).
    fn report(&mut self, report: &Report) -> Result<()>;
}

/// Is an answer after `elapsed` over the limit? Exactly at the limit is in time.
pub fn over_limit(limit: Option<Duration>, elapsed: Duration) -> bool {
    limit.is_some_and(|l| elapsed > l)
}

pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

struct Runner<'a, P: MockPrompter> {
    store: &'a mut Store,
    clock: &'a Clock,
    opts: MockOptions,
    prompter: &'a mut P,
    day: StudyDay,
    session: Option<SessionId>,
    results: Vec<QuestionResult>,
    total: usize,
}

/// Run a mock to its end (all questions, `quit`, end of input or Ctrl-C) and report.
pub fn run<P: MockPrompter>(
    store: &mut Store,
    clock: &Clock,
    opts: MockOptions,
    prompter: &mut P,
) -> Result<Report> {
    let day = clock.today();
    let candidates = store.mock_candidates(&opts.filter)?;
    let picked = pick::pick(
        &candidates,
        opts.count,
        opts.weighting,
        &mut crate::rng::Rng::new(opts.seed),
    );
    let mut runner = Runner {
        total: picked.len(),
        store,
        clock,
        opts,
        prompter,
        day,
        session: None,
        results: Vec::new(),
    };
    let outcome = runner.drive(&picked);
    runner.finish(outcome)
}

enum Step {
    Next,
    Quit,
}

/// How a classify step ended.
enum Classify {
    Quit,
    Done(ClassifyDone),
}

struct ClassifyDone {
    result: ClassifyResult,
    /// Time spent on the step: the question's clock keeps running from it.
    elapsed: Duration,
}

impl<P: MockPrompter> Runner<'_, P> {
    fn drive(&mut self, picked: &[CardKey]) -> Result<()> {
        for (i, &key) in picked.iter().enumerate() {
            if let Step::Quit = self.present(key, i + 1)? {
                break;
            }
        }
        Ok(())
    }

    /// The session is created with the first answer, so a mock quit before any answer
    /// leaves nothing behind.
    fn session(&mut self, started: &Moment) -> Result<SessionId> {
        if let Some(s) = self.session {
            return Ok(s);
        }
        let s = self.store.begin_mock(
            started.at,
            self.day,
            &MockSettings {
                planned: self.opts.count,
                seed: self.opts.seed,
                weighting: self.opts.weighting.as_str(),
                time_limit_secs: self.opts.time_limit.map(|d| d.as_secs()),
                structure: self.opts.structure,
            },
        )?;
        self.session = Some(s);
        Ok(s)
    }

    /// One card: its classify step when the drill asks one, then the question itself.
    fn present(&mut self, key: CardKey, position: usize) -> Result<Step> {
        let card = self.store.card(key)?;
        let (options, correct) = shown_options(&card, &mut self.opts.order);
        let question = Question {
            mode: SessionKind::Mock,
            card: &card,
            position,
            total: self.total,
            repeat: false,
            options,
            correct,
            confidence: false,
            type_answer: self.opts.type_answer,
            final_pass: false,
        };
        let vector = if self.opts.structure {
            Vector::of_tags(&card.tags)
        } else {
            None
        };
        // No other read of the clock until the answer: the step clock stays exact.
        let shown = self.clock.moment();
        let classified = match vector {
            Some(expected) => match self.classify_step(key, &question, expected, &shown)? {
                Classify::Quit => return Ok(Step::Quit),
                Classify::Done(c) => Some(c),
            },
            None => None,
        };
        self.answer_step(key, question, classified, &shown)
    }

    /// Ask for the card's attack vector, score it on its own and record it.
    fn classify_step(
        &mut self,
        key: CardKey,
        question: &Question<'_>,
        expected: Vector,
        shown: &Moment,
    ) -> Result<Classify> {
        let limit = self.opts.time_limit;
        let choices = expected.choices();
        let step = ClassifyStep {
            question,
            choices: &choices,
            time_limit: limit,
        };
        let response = self.prompter.classify(&step)?;
        let at = self.clock.moment();
        let chosen = match response {
            Response::Quit => return Ok(Classify::Quit),
            Response::Choice { index, .. } => Some(index),
            _ => None,
        };
        let elapsed = at.since(shown);
        let over_time = over_limit(limit, elapsed);
        let correct = !over_time && chosen.and_then(|i| choices.get(i)) == Some(&expected);
        let session = self.session(shown)?;
        let expected_label = expected.to_string();
        let chosen_label = chosen.and_then(|i| choices.get(i)).map(ToString::to_string);
        self.store.record_classify(&NewClassify {
            session,
            card: key,
            at: at.at,
            day: self.day,
            expected: &expected_label,
            chosen: chosen_label.as_deref(),
            correct,
            over_time,
            elapsed_ms: millis(elapsed),
        })?;
        self.prompter.classified(&Classified {
            step: &step,
            expected,
            chosen,
            correct,
            over_time,
            elapsed,
        })?;
        Ok(Classify::Done(ClassifyDone {
            result: ClassifyResult {
                expected: expected_label,
                chosen: chosen_label,
                correct,
                over_time,
                elapsed_ms: millis(elapsed),
            },
            elapsed,
        }))
    }

    /// Ask the question itself (after its classify step, if any), grade the answer
    /// against the time limit and record it.
    fn answer_step(
        &mut self,
        key: CardKey,
        question: Question<'_>,
        classified: Option<ClassifyDone>,
        shown: &Moment,
    ) -> Result<Step> {
        let limit = self.opts.time_limit;
        let mock_question = MockQuestion {
            question,
            time_limit: limit,
            elapsed: classified.as_ref().map_or(Duration::ZERO, |c| c.elapsed),
            stem_shown: classified.is_some(),
        };
        let classify = classified.map(|c| c.result);
        let answer = self.prompter.ask_question(&mock_question)?;
        let response = answer.response;
        let answered = self.clock.moment();
        let question = &mock_question.question;
        if response == Response::Quit {
            // A classified but unanswered question still counts its classify step.
            if let Some(c) = classify {
                self.results.push(QuestionResult::unanswered(
                    question.card,
                    question.position,
                    Some(c),
                ));
            }
            return Ok(Step::Quit);
        }
        let elapsed = answered.since(shown);
        let over_time = over_limit(limit, elapsed);
        let (right_answer, quality) = quality_of(response, question.correct);
        let correct = right_answer && !over_time;
        // A late right answer is stored as a plain miss (q = 1), so every figure that
        // reads `correct`/`quality` agrees with the report.
        let quality = if right_answer && over_time {
            Quality::WRONG
        } else {
            quality
        };
        let chosen = question.stored_choice(response);
        let session = self.session(shown)?;
        let recorded = self.store.record_mock_answer(
            &NewReview {
                card: key,
                session,
                at: answered.at,
                day: self.day,
                repeat: false,
                chosen: chosen.as_deref(),
                correct,
                quality,
                elapsed_ms: millis(elapsed),
                rubric: answer.rubric_points(),
                answer_text: answer.text.as_deref(),
            },
            over_time,
            self.day.plus(1),
        )?;
        let verdict = Answered {
            question: &mock_question,
            answer: &answer,
            correct,
            right_answer,
            quality,
            over_time,
            elapsed,
            schedule: recorded.schedule,
            resurfaced: recorded.resurfaced,
            today: self.day,
        };
        self.prompter.answered(&verdict)?;
        self.results
            .push(QuestionResult::of(&verdict, classify, recorded.schedule));
        Ok(Step::Next)
    }

    fn finish(mut self, outcome: Result<()>) -> Result<Report> {
        let interrupted = matches!(outcome, Err(Error::Interrupted));
        if let Some(s) = self.session {
            self.store.end_session(s, self.clock.now())?;
        }
        match outcome {
            Err(e) if !interrupted => return Err(e),
            _ => {}
        }
        let past = self.store.past_mocks(self.session, report::TREND_LENGTH)?;
        let due_tomorrow = self.store.count_due(&self.opts.filter, self.day.plus(1))?;
        let topics = self.store.topics()?;
        let mut report = Report::build(
            &self.opts,
            self.session,
            self.total,
            std::mem::take(&mut self.results),
            past,
            &topics,
            self.day,
        );
        report.due_tomorrow = due_tomorrow;
        report.interrupted = interrupted;
        self.prompter.report(&report)?;
        if interrupted {
            return Err(Error::Interrupted);
        }
        Ok(report)
    }
}

/// The first sentence of a text, for a one-line reason.
pub fn first_sentence(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(i) => flat[..=i].to_string(),
        None => flat,
    }
}

/// The correct answer of a card in a line, and why it is right.
pub fn answer_and_reason(card: &StoredCard, q: &Question<'_>) -> (String, String) {
    match &card.body {
        CardBody::Choice { .. } => match q.correct.and_then(|i| q.options.get(i)) {
            Some(best) => (best.text.to_string(), first_sentence(best.why)),
            None => (String::new(), String::new()),
        },
        CardBody::Recall { answer, rubric, .. } => (
            first_sentence(answer),
            rubric.first().cloned().unwrap_or_default(),
        ),
    }
}

#[cfg(test)]
mod tests;
