//! The figures of a finished mock: score, each question, per topic, per framework step,
//! the classify drill, the trend against earlier mocks and what to review. Computed into
//! one struct; the terminal renders it, JSON Lines prints it as the `summary` event.

use serde::Serialize;

use super::{Answered, MockOptions, answer_and_reason, millis};
use crate::clock::StudyDay;
use crate::deck::CardBody;
use crate::sched::Schedule;
use crate::session::SessionKind;
use crate::session::rubric::Checklist;
use crate::store::{PastMock, SessionId, StoredCard, TopicInfo};

/// Earlier mocks shown in the trend.
pub const TREND_LENGTH: usize = 5;

/// The deck's framework steps, as tags, in the framework's order.
pub const STEPS: [&str; 4] = ["classify", "defend", "quantify", "govern"];

/// The classify step of one question.
#[derive(Clone, Debug, Serialize)]
pub struct ClassifyResult {
    /// The vector from the card's tags, e.g. "inference-time, black-box".
    pub expected: String,
    /// The learner's, `None` for "I don't know".
    pub chosen: Option<String>,
    pub correct: bool,
    pub over_time: bool,
    pub elapsed_ms: u64,
}

/// One question of the mock.
#[derive(Clone, Debug, Serialize)]
pub struct QuestionResult {
    pub position: usize,
    pub card: String,
    pub topic: String,
    pub topic_name: String,
    pub kind: &'static str,
    /// The framework steps the card drills (its step tags).
    pub steps: Vec<String>,
    /// False when the mock was stopped at this question, after its classify step.
    pub answered: bool,
    /// The key chosen as shown, `?`, or the self-grade of a recall card.
    pub chosen: Option<String>,
    pub correct_key: Option<String>,
    /// The best option's text, or the first sentence of the model answer.
    pub answer: String,
    /// One line on why that answer is right.
    pub reason: String,
    pub correct: bool,
    pub over_time: bool,
    pub elapsed_ms: u64,
    /// The card's due day after the mock (`None`: still a new card).
    pub due: Option<StudyDay>,
    /// The miss brought the due day forward.
    pub resurfaced: bool,
    pub classify: Option<ClassifyResult>,
    /// A recall answer graded by its checklist: the rubric points covered (numbered
    /// from 1), the rubric's size, and the points missed with their text; otherwise null.
    pub covered: Option<Vec<u32>>,
    pub rubric_total: Option<u32>,
    pub points_missed: Option<Vec<PointMissed>>,
    /// The answer in the learner's words (`--type`, or a script's `text`).
    pub text: Option<String>,
    #[serde(skip)]
    deck: String,
}

/// A rubric point an answer did not cover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PointMissed {
    /// Its number, from 1 in the rubric's order.
    pub point: u32,
    pub text: String,
}

/// The points of `rubric` that `checklist` left out.
fn points_missed(checklist: &Checklist, rubric: &[String]) -> Vec<PointMissed> {
    checklist
        .missed()
        .into_iter()
        .map(|point| PointMissed {
            point,
            text: (point as usize)
                .checked_sub(1)
                .and_then(|i| rubric.get(i))
                .cloned()
                .unwrap_or_default(),
        })
        .collect()
}

impl QuestionResult {
    pub(super) fn of(
        a: &Answered<'_>,
        classify: Option<ClassifyResult>,
        schedule: Option<Schedule>,
    ) -> QuestionResult {
        let q = &a.question.question;
        let mut r = QuestionResult::unanswered(q.card, q.position, classify);
        let (answer, reason) = answer_and_reason(q.card, q);
        r.answered = true;
        r.answer = answer;
        r.reason = reason;
        r.chosen = match a.answer.response {
            super::Response::Choice { index, .. } => {
                q.options.get(index).map(|o| o.key.to_string())
            }
            super::Response::DontKnow => Some("?".to_string()),
            super::Response::Grade(g) => Some(g.value().to_string()),
            super::Response::Quit => None,
        };
        r.correct_key = q
            .correct
            .and_then(|i| q.options.get(i))
            .map(|o| o.key.to_string());
        r.correct = a.correct;
        r.over_time = a.over_time;
        r.elapsed_ms = millis(a.elapsed);
        r.due = schedule.map(|s| s.due);
        r.resurfaced = a.resurfaced;
        if let (Some(c), CardBody::Recall { rubric, .. }) = (&a.answer.checklist, &q.card.body) {
            r.covered = Some(c.covered().to_vec());
            r.rubric_total = Some(c.total());
            r.points_missed = Some(points_missed(c, rubric));
        }
        r.text = a.answer.text.clone();
        r
    }

    /// A question stopped after its classify step (or the shell of an answered one).
    pub(super) fn unanswered(
        card: &StoredCard,
        position: usize,
        classify: Option<ClassifyResult>,
    ) -> QuestionResult {
        QuestionResult {
            position,
            card: card.full_id(),
            topic: card.topic.to_string(),
            topic_name: card.topic_name.clone(),
            kind: card.body.kind(),
            steps: card
                .tags
                .iter()
                .filter(|t| STEPS.contains(&t.as_str()))
                .cloned()
                .collect(),
            answered: false,
            chosen: None,
            correct_key: None,
            answer: String::new(),
            reason: String::new(),
            correct: false,
            over_time: false,
            elapsed_ms: classify.as_ref().map_or(0, |c| c.elapsed_ms),
            due: None,
            resurfaced: false,
            classify,
            covered: None,
            rubric_total: None,
            points_missed: None,
            text: None,
            deck: card.deck.to_string(),
        }
    }
}

/// Right answers out of those given, for a topic or a step.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Tally {
    pub answered: u64,
    pub correct: u64,
    pub accuracy: Option<f64>,
}

impl Tally {
    fn add(&mut self, correct: bool) {
        self.answered += 1;
        self.correct += u64::from(correct);
        self.accuracy = Some(self.correct as f64 / self.answered as f64);
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TopicTally {
    pub topic: String,
    pub name: String,
    #[serde(flatten)]
    pub tally: Tally,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepTally {
    pub step: &'static str,
    #[serde(flatten)]
    pub tally: Tally,
}

/// The report of a mock; the JSON `summary` event.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub mode: SessionKind,
    pub session: Option<SessionId>,
    /// Questions chosen (fewer than asked for when the filter allows fewer cards).
    pub planned: usize,
    pub answered: u64,
    pub correct: u64,
    /// Always 0: a mock has no same-day repeats (kept for the summary contract).
    pub repeats: u64,
    pub accuracy: Option<f64>,
    pub over_time: u64,
    /// Seconds per question; `None`: no limit.
    pub time_limit: Option<u64>,
    pub total_ms: u64,
    pub average_ms: Option<u64>,
    pub seed: u64,
    pub weighting: &'static str,
    pub structure: bool,
    /// The classify drill, scored on its own.
    pub classify: Tally,
    pub questions: Vec<QuestionResult>,
    pub topics: Vec<TopicTally>,
    /// Per framework step, from the cards' tags.
    pub steps: Vec<StepTally>,
    /// Earlier mocks, oldest first.
    pub trend: Vec<PastMock>,
    /// Accuracy now minus the last mock's, in percentage points.
    pub change_points: Option<i64>,
    /// Cards missed (wrong, "I don't know" or over time).
    pub missed: Vec<String>,
    /// The command that reviews the missed cards once they are due.
    pub review_command: Option<String>,
    /// The day the missed cards are all due (tomorrow, or today if they already were).
    pub review_day: Option<StudyDay>,
    pub due_tomorrow: u64,
    #[serde(skip)]
    pub interrupted: bool,
    #[serde(skip)]
    pub today: StudyDay,
}

impl Report {
    pub(super) fn build(
        opts: &MockOptions,
        session: Option<SessionId>,
        planned: usize,
        questions: Vec<QuestionResult>,
        trend: Vec<PastMock>,
        topic_order: &[TopicInfo],
        today: StudyDay,
    ) -> Report {
        let answered: Vec<&QuestionResult> = questions.iter().filter(|q| q.answered).collect();
        let mut score = Tally::default();
        let mut classify = Tally::default();
        for q in &answered {
            score.add(q.correct);
        }
        for c in questions.iter().filter_map(|q| q.classify.as_ref()) {
            classify.add(c.correct);
        }
        let missed: Vec<&QuestionResult> =
            answered.iter().copied().filter(|q| !q.correct).collect();
        let total_ms = answered.iter().map(|q| q.elapsed_ms).sum();
        let change_points = match (score.accuracy, trend.last()) {
            (Some(now), Some(last)) => Some(((now - last.accuracy) * 100.0).round() as i64),
            _ => None,
        };
        Report {
            mode: SessionKind::Mock,
            session,
            planned,
            answered: score.answered,
            correct: score.correct,
            repeats: 0,
            accuracy: score.accuracy,
            over_time: answered.iter().filter(|q| q.over_time).count() as u64,
            time_limit: opts.time_limit.map(|d| d.as_secs()),
            total_ms,
            average_ms: total_ms.checked_div(score.answered),
            seed: opts.seed,
            weighting: opts.weighting.as_str(),
            structure: opts.structure,
            classify,
            topics: topic_tallies(&answered, topic_order),
            steps: step_tallies(&answered),
            trend,
            change_points,
            missed: missed.iter().map(|q| q.card.clone()).collect(),
            review_command: review_command(opts, &missed),
            review_day: missed.iter().filter_map(|q| q.due).max(),
            due_tomorrow: 0,
            interrupted: false,
            today,
            questions,
        }
    }
}

/// Per topic, in the deck's topic order.
fn topic_tallies(answered: &[&QuestionResult], topic_order: &[TopicInfo]) -> Vec<TopicTally> {
    let mut topics: Vec<(usize, TopicTally)> = Vec::new();
    for q in answered {
        match topics.iter_mut().find(|(_, t)| t.topic == q.topic) {
            Some((_, t)) => t.tally.add(q.correct),
            None => {
                let rank = topic_order
                    .iter()
                    .position(|t| t.deck.as_str() == q.deck && t.id.as_str() == q.topic)
                    .unwrap_or(usize::MAX);
                let mut tally = Tally::default();
                tally.add(q.correct);
                topics.push((
                    rank,
                    TopicTally {
                        topic: q.topic.clone(),
                        name: q.topic_name.clone(),
                        tally,
                    },
                ));
            }
        }
    }
    topics.sort_by_key(|(rank, _)| *rank);
    topics.into_iter().map(|(_, t)| t).collect()
}

/// Per framework step, every step listed (a card drills the steps it is tagged with).
fn step_tallies(answered: &[&QuestionResult]) -> Vec<StepTally> {
    STEPS
        .iter()
        .map(|&step| {
            let mut tally = Tally::default();
            for q in answered
                .iter()
                .filter(|q| q.steps.iter().any(|s| s == step))
            {
                tally.add(q.correct);
            }
            StepTally { step, tally }
        })
        .collect()
}

/// `mlsec review` narrowed to the deck and the topics of the missed cards.
fn review_command(opts: &MockOptions, missed: &[&QuestionResult]) -> Option<String> {
    if missed.is_empty() {
        return None;
    }
    let mut cmd = String::from("mlsec review");
    if let Some(deck) = &opts.filter.deck {
        cmd.push_str(&format!(" --deck {deck}"));
    }
    let mut seen: Vec<&str> = Vec::new();
    for q in missed {
        if !seen.contains(&q.topic.as_str()) {
            seen.push(&q.topic);
            cmd.push_str(&format!(" --topic {}", q.topic));
        }
    }
    Some(cmd)
}
