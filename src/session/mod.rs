//! A study or review session: which cards, in which order, how answers become grades
//! (a recall card's by the rubric points it covered: [`rubric`]), and the same-day
//! repeat queue (SM-2 spec §7). While an interview plan applies, its share of the
//! session comes in a [`PlanShare`]: new cards of its scope first, at its own quota, and
//! on the two days before the interview a final pass at the end of a review, whose
//! answers leave SM-2's state alone (as a mock's). Input and output go through a
//! [`Prompter`]: the terminal one ([`term`], dialoguer) or the JSON Lines one
//! ([`jsonl`], whose lines are the types of [`events`]). A mock interview ([`mock`])
//! reuses the questions, the answers and both front ends.

pub mod answer_object;
pub mod events;
pub mod jsonl;
pub mod mock;
pub mod next;
pub mod rubric;
pub mod term;

use std::collections::VecDeque;

use serde::Serialize;

use crate::clock::{Clock, StudyDay};
use crate::deck::{CardBody, KEYS};
use crate::error::{Error, Result};
use crate::rng::Rng;
use crate::sched::{self, Quality, Schedule};
pub use crate::store::SessionKind;
use crate::store::{CardKey, Filter, NewReview, RubricPoints, SessionId, Store, StoredCard};
pub use next::{Next, what_next};
use rubric::Checklist;

/// How option order is chosen on each presentation.
#[derive(Clone, Debug)]
pub enum Order {
    Shuffled(Rng),
    FileOrder,
}

/// New cards a study day unless `mlsec study --new N` says otherwise; the dashboard
/// counts the day's new cards against it too.
pub const NEW_PER_DAY: usize = 10;

#[derive(Clone, Debug)]
pub struct Options {
    pub mode: SessionKind,
    pub filter: Filter,
    /// Most cards in the main queue (repeats come on top).
    pub limit: Option<usize>,
    /// New cards per study day outside a plan's scope (study only).
    pub new_per_day: usize,
    /// An interview plan's share of the session, while a plan applies.
    pub plan: Option<PlanShare>,
    pub order: Order,
    /// Ask "how sure were you?" after a correct answer (5 / 4 / 2).
    pub confidence: bool,
    /// Ask for a recall card's answer in words before its model answer (`--type`).
    pub type_answer: bool,
}

/// What an interview plan asks of a session (built by [`crate::plan`]).
#[derive(Clone, Debug)]
pub struct PlanShare {
    /// The plan's cards; within the session's filter, they come first.
    pub scope: Filter,
    /// New cards of the scope still to introduce today (study): the plan's daily quota
    /// less the cards of the scope introduced today.
    pub new_room: usize,
    /// The same for a plain `mlsec study` (the default `--new`), which is what the
    /// summary's `next` suggests.
    pub plain_new_room: usize,
    /// Set on the two days before the interview: a review ends with the final pass.
    pub final_pass: Option<FinalPass>,
}

impl PlanShare {
    /// The share a plain `mlsec study` or `mlsec review` would get.
    pub fn plain(&self) -> PlanShare {
        PlanShare {
            new_room: self.plain_new_room,
            ..self.clone()
        }
    }
}

/// The final pass of an interview plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FinalPass {
    /// Its first day: a card answered since then is not asked again.
    pub from: StudyDay,
    pub interview: StudyDay,
}

/// An option as shown: its display key and its index in file order.
#[derive(Clone, Debug)]
pub struct Shown<'a> {
    pub key: char,
    pub file_index: usize,
    pub text: &'a str,
    pub why: &'a str,
}

/// One presentation of a card.
pub struct Question<'a> {
    pub mode: SessionKind,
    pub card: &'a StoredCard,
    pub position: usize,
    pub total: usize,
    pub repeat: bool,
    /// Empty for recall cards.
    pub options: Vec<Shown<'a>>,
    /// Display index of the correct option (choice cards).
    pub correct: Option<usize>,
    pub confidence: bool,
    /// Ask for a recall answer in words first (`--type`).
    pub type_answer: bool,
    /// Asked by an interview plan's final pass.
    pub final_pass: bool,
}

impl Question<'_> {
    /// The answer as the store keeps it: the option's key in file order (the display
    /// key depends on the shuffle), `?` for "I don't know", nothing for a grade.
    pub fn stored_choice(&self, response: Response) -> Option<String> {
        match response {
            Response::Choice { index, .. } => self
                .options
                .get(index)
                .map(|o| KEYS[o.file_index].to_string()),
            Response::DontKnow => Some("?".to_string()),
            Response::Grade(_) | Response::Quit => None,
        }
    }
}

/// What the learner answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Response {
    /// Display index of the chosen option, and the confidence grade if one was given.
    Choice {
        index: usize,
        confidence: Option<Quality>,
    },
    DontKnow,
    /// A self-grade for a recall card.
    Grade(Quality),
    Quit,
}

/// An answer as given: the response, and what else an answer may carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub response: Response,
    /// The rubric points covered, when a recall answer was graded by its checklist (the
    /// grade in `response` is then the one suggested, or the learner's own).
    pub checklist: Option<Checklist>,
    /// The answer in the learner's words: typed with `--type`, or a script's `text`.
    pub text: Option<String>,
}

impl From<Response> for Answer {
    fn from(response: Response) -> Answer {
        Answer {
            response,
            checklist: None,
            text: None,
        }
    }
}

impl Answer {
    /// The covered points as the store records them.
    pub fn rubric_points(&self) -> Option<RubricPoints<'_>> {
        self.checklist.as_ref().map(|c| RubricPoints {
            covered: c.covered(),
            total: c.total(),
        })
    }
}

/// What happened, for the prompter to show.
pub struct Feedback<'a> {
    pub question: &'a Question<'a>,
    pub answer: &'a Answer,
    pub chosen: Option<usize>,
    pub correct: bool,
    pub quality: Quality,
    pub schedule: Schedule,
    /// False for same-day repeats and final-pass answers: SM-2's state did not move.
    pub graded: bool,
    /// A final-pass answer.
    pub final_pass: bool,
    /// A final-pass miss made the card due the next day.
    pub resurfaced: bool,
    /// The deck's answer framework, shown after a miss.
    pub framework: &'a [String],
    pub today: StudyDay,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub mode: Option<SessionKind>,
    pub session: Option<SessionId>,
    pub answered: u64,
    pub correct: u64,
    pub repeats: u64,
    pub accuracy: Option<f64>,
    pub due_tomorrow: u64,
    pub next_due: Option<StudyDay>,
    /// New cards that could still be studied (ignoring today's limit).
    pub new_available: u64,
    /// Repeats left in today's queue when the learner quit.
    pub repeats_left: u64,
    /// Cards still due today (for review) when the session ended.
    pub due_left: u64,
    /// The command to run next (the dashboard's `next`), or null when nothing is left
    /// today.
    pub next: Option<Next>,
    #[serde(skip)]
    pub interrupted: bool,
    /// The learner stopped (`q`, `quit`, end of input) before the queue was done.
    #[serde(skip)]
    pub stopped: bool,
    #[serde(skip)]
    pub today: Option<StudyDay>,
    /// Final-pass answers among `answered` (shown on the terminal only: the summary's
    /// JSON fields are pinned).
    #[serde(skip)]
    pub final_pass: u64,
    /// Cards of today's final pass not asked yet.
    #[serde(skip)]
    pub final_pass_left: u64,
}

pub trait Prompter {
    /// Show a question and read an answer.
    fn ask(&mut self, question: &Question<'_>) -> Result<Answer>;
    /// Show the verdict, the reasons and the new schedule.
    fn feedback(&mut self, feedback: &Feedback<'_>) -> Result<()>;
    /// The end of the session (also when nothing was due).
    fn summary(&mut self, summary: &Summary) -> Result<()>;
}

/// Map a response to SM-2's q (spec §10, M1 + M4 with the optional confidence of M3).
pub fn quality_of(response: Response, correct: Option<usize>) -> (bool, Quality) {
    match response {
        Response::Choice { index, confidence } if Some(index) == correct => {
            (true, confidence.unwrap_or(Quality::CORRECT))
        }
        Response::Choice { .. } => (false, Quality::WRONG),
        Response::DontKnow => (false, Quality::BLACKOUT),
        Response::Grade(q) => (q.passes(), q),
        Response::Quit => (false, Quality::BLACKOUT),
    }
}

/// The options of a card as they will be shown (shuffled unless pinned), and the display
/// index of the correct one. Empty for a recall card.
pub fn shown_options<'a>(
    card: &'a StoredCard,
    order: &mut Order,
) -> (Vec<Shown<'a>>, Option<usize>) {
    let CardBody::Choice {
        options, answer, ..
    } = &card.body
    else {
        return (Vec::new(), None);
    };
    let mut indices: Vec<usize> = (0..options.len()).collect();
    if let Order::Shuffled(rng) = order {
        rng.shuffle(&mut indices);
    }
    let shown = indices
        .iter()
        .enumerate()
        .map(|(display, &file_index)| Shown {
            key: KEYS[display],
            file_index,
            text: &options[file_index].text,
            why: &options[file_index].why,
        })
        .collect();
    (shown, indices.iter().position(|&i| i == *answer))
}

struct Runner<'a, P: Prompter> {
    store: &'a mut Store,
    clock: &'a Clock,
    opts: Options,
    prompter: &'a mut P,
    day: StudyDay,
    session: Option<SessionId>,
    summary: Summary,
    position: usize,
    total: usize,
}

/// Run a session to its end (queue empty, `quit`, end of input or Ctrl-C).
pub fn run<P: Prompter>(
    store: &mut Store,
    clock: &Clock,
    opts: Options,
    prompter: &mut P,
) -> Result<Summary> {
    let day = clock.today();
    let mode = opts.mode;
    let main: Vec<CardKey> = match mode {
        SessionKind::Study => new_queue(
            store,
            &opts.filter,
            opts.plan.as_ref(),
            opts.new_per_day,
            opts.limit,
            day,
        )?,
        SessionKind::Review => {
            store.due_cards(&opts.filter, day, opts.limit.unwrap_or(usize::MAX))?
        }
        // A mock picks its own questions and never grades: see [`mock::run`].
        SessionKind::Mock => {
            return Err(Error::Usage(
                "a mock runs through session::mock::run, not session::run".into(),
            ));
        }
    };
    let leftovers: VecDeque<CardKey> = store
        .leftover_repeats(&opts.filter, day)?
        .into_iter()
        .filter(|k| !main.contains(k))
        .collect();
    let mut runner = Runner {
        total: main.len() + leftovers.len(),
        store,
        clock,
        opts,
        prompter,
        day,
        session: None,
        summary: Summary {
            mode: Some(mode),
            today: Some(day),
            ..Summary::default()
        },
        position: 0,
    };
    let outcome = runner.drive(main, leftovers);
    runner.finish(outcome)
}

/// Today's new cards, within `limit`: those of the plan's scope first, as many as its
/// quota leaves; then the rest of the filter up to the ordinary daily limit, which counts
/// every card of the filter introduced today (the scope's just queued included). Without
/// a plan, only the second part: the filter at the daily limit.
pub(crate) fn new_queue(
    store: &Store,
    filter: &Filter,
    plan: Option<&PlanShare>,
    new_per_day: usize,
    limit: Option<usize>,
    day: StudyDay,
) -> Result<Vec<CardKey>> {
    let limit = limit.unwrap_or(usize::MAX);
    let (mut queue, rest) = match plan {
        Some(plan) => (
            store.new_cards(&filter.and(&plan.scope), plan.new_room.min(limit))?,
            filter.but_not(&plan.scope),
        ),
        None => (Vec::new(), filter.clone()),
    };
    let introduced = usize::try_from(store.count_introduced(filter, day)?)
        .unwrap_or(usize::MAX)
        .saturating_add(queue.len());
    let room = new_per_day
        .saturating_sub(introduced)
        .min(limit - queue.len());
    queue.extend(store.new_cards(&rest, room)?);
    Ok(queue)
}

enum Step {
    Next,
    Again,
    Quit,
}

/// Which presentation of a card: its graded review (a new card's first, or a due one),
/// a same-day repeat, or a question of the final pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pass {
    Graded,
    Repeat,
    Final(FinalPass),
}

/// What recording an answer did.
struct Outcome {
    schedule: Schedule,
    graded: bool,
    resurfaced: bool,
}

impl<P: Prompter> Runner<'_, P> {
    /// The main queue and its repeats, then (in a review on a final-pass day) the final
    /// pass and the repeats of its misses; `false` from a step means the learner quit.
    fn drive(&mut self, main: Vec<CardKey>, mut repeats: VecDeque<CardKey>) -> Result<()> {
        // `--limit` bounds the questions that are not repeats: the final pass's too.
        let room = self
            .opts
            .limit
            .map_or(usize::MAX, |l| l.saturating_sub(main.len()));
        if !self.queue(main, Pass::Graded, &mut repeats)? || !self.repeats(&mut repeats)? {
            self.summary.stopped = true;
            return Ok(());
        }
        let Some((scope, pass)) = self.final_pass() else {
            return Ok(());
        };
        let mut cards = self
            .store
            .final_pass_cards(&scope, pass.from, pass.interview)?;
        cards.truncate(room);
        self.total += cards.len();
        self.summary.stopped =
            !(self.queue(cards, Pass::Final(pass), &mut repeats)? && self.repeats(&mut repeats)?);
        Ok(())
    }

    /// The cards of the session's filter in the plan's final pass, when there is one today.
    fn final_pass(&self) -> Option<(Filter, FinalPass)> {
        let plan = self.opts.plan.as_ref()?;
        let pass = plan
            .final_pass
            .filter(|_| self.opts.mode == SessionKind::Review)?;
        Some((self.opts.filter.and(&plan.scope), pass))
    }

    fn queue(
        &mut self,
        keys: Vec<CardKey>,
        pass: Pass,
        repeats: &mut VecDeque<CardKey>,
    ) -> Result<bool> {
        for key in keys {
            // Another session may have answered it since the queue was built.
            let done = match pass {
                Pass::Final(p) => self.store.answered_since(key, p.from)?,
                Pass::Graded | Pass::Repeat => self.store.graded_on(key, self.day)?,
            };
            if done {
                self.total -= 1;
                continue;
            }
            match self.present(key, pass)? {
                Step::Next => {}
                Step::Again => {
                    repeats.push_back(key);
                    self.total += 1;
                }
                Step::Quit => return Ok(false),
            }
        }
        Ok(true)
    }

    fn repeats(&mut self, repeats: &mut VecDeque<CardKey>) -> Result<bool> {
        while let Some(key) = repeats.pop_front() {
            if !self.store.needs_repeat(key, self.day)? {
                self.total -= 1;
                continue;
            }
            match self.present(key, Pass::Repeat)? {
                Step::Next => {}
                Step::Again => {
                    repeats.push_back(key);
                    self.total += 1;
                }
                Step::Quit => return Ok(false),
            }
        }
        Ok(true)
    }

    fn present(&mut self, key: CardKey, pass: Pass) -> Result<Step> {
        let card = self.store.card(key)?;
        let (options, correct) = shown_options(&card, &mut self.opts.order);
        self.position += 1;
        let question = Question {
            mode: self.opts.mode,
            card: &card,
            position: self.position,
            total: self.total.max(self.position),
            repeat: pass == Pass::Repeat,
            options,
            correct,
            confidence: self.opts.confidence,
            type_answer: self.opts.type_answer,
            final_pass: matches!(pass, Pass::Final(_)),
        };
        let shown = self.clock.moment();
        let answer = self.prompter.ask(&question)?;
        let response = answer.response;
        let answered = self.clock.moment();
        let elapsed_ms = u64::try_from(answered.since(&shown).as_millis()).unwrap_or(u64::MAX);
        if response == Response::Quit {
            self.position -= 1;
            return Ok(Step::Quit);
        }
        let (correct, quality) = quality_of(response, question.correct);
        let chosen = question.stored_choice(response);
        let review = NewReview {
            card: key,
            session: self.session()?,
            at: self.clock.now(),
            day: self.day,
            repeat: pass == Pass::Repeat,
            chosen: chosen.as_deref(),
            correct,
            quality,
            elapsed_ms,
            rubric: answer.rubric_points(),
            answer_text: answer.text.as_deref(),
        };
        let outcome = self.record(&review, pass)?;
        let final_pass = question.final_pass;
        if outcome.graded || final_pass {
            self.summary.answered += 1;
            self.summary.correct += u64::from(correct);
            self.summary.final_pass += u64::from(final_pass);
        } else {
            self.summary.repeats += 1;
        }
        let framework = self.store.framework(&card.deck)?;
        let chosen_index = match response {
            Response::Choice { index, .. } => Some(index),
            _ => None,
        };
        self.prompter.feedback(&Feedback {
            question: &question,
            answer: &answer,
            chosen: chosen_index,
            correct,
            quality,
            schedule: outcome.schedule,
            graded: outcome.graded,
            final_pass,
            resurfaced: outcome.resurfaced,
            framework: &framework,
            today: self.day,
        })?;
        Ok(if quality.needs_repeat() {
            Step::Again
        } else {
            Step::Next
        })
    }

    /// The session, begun with its first answer.
    fn session(&mut self) -> Result<SessionId> {
        if let Some(s) = self.session {
            return Ok(s);
        }
        let s = self
            .store
            .begin_session(self.opts.mode, self.clock.now(), self.day)?;
        self.session = Some(s);
        Ok(s)
    }

    /// Record an answer: a graded review or a repeat through SM-2; a final-pass answer
    /// beside it, a miss (q < 3) making the card due the next day if that is before the
    /// interview.
    fn record(&mut self, review: &NewReview<'_>, pass: Pass) -> Result<Outcome> {
        let (day, quality) = (review.day, review.quality);
        if let Pass::Final(p) = pass {
            let next = day.plus(1);
            let resurface = (!quality.passes() && next < p.interview).then_some(next);
            let r = self
                .store
                .record_final_pass_answer(review, p.interview, resurface)?;
            return Ok(Outcome {
                schedule: r.schedule,
                graded: false,
                resurfaced: r.resurfaced,
            });
        }
        let r = self
            .store
            .record_answer(review, |previous| sched::grade(previous, quality, day))?;
        Ok(Outcome {
            schedule: r.schedule,
            graded: r.graded,
            resurfaced: false,
        })
    }

    fn finish(mut self, outcome: Result<()>) -> Result<Summary> {
        let interrupted = matches!(outcome, Err(Error::Interrupted));
        if let Some(s) = self.session {
            self.store.end_session(s, self.clock.now())?;
        }
        match outcome {
            Err(e) if !interrupted => return Err(e),
            _ => {}
        }
        let final_pass_left = match self.final_pass() {
            Some((scope, pass)) => {
                self.store
                    .count_final_pass(&scope, pass.from, pass.interview)?
            }
            None => 0,
        };
        let filter = &self.opts.filter;
        let s = &mut self.summary;
        s.session = self.session;
        s.interrupted = interrupted;
        s.accuracy = (s.answered > 0).then(|| s.correct as f64 / s.answered as f64);
        s.due_tomorrow = self.store.count_due(filter, self.day.plus(1))?;
        s.due_left = self.store.count_due(filter, self.day)?;
        s.repeats_left = self.store.leftover_repeats(filter, self.day)?.len() as u64;
        s.next_due = self.store.next_due_after(filter, self.day)?;
        s.new_available = self.store.count_new(filter)?;
        s.final_pass_left = final_pass_left;
        let plain = self.opts.plan.as_ref().map(PlanShare::plain);
        let waiting = s.due_left > 0 || s.repeats_left > 0;
        s.next = what_next(
            self.store,
            filter,
            plain.as_ref(),
            NEW_PER_DAY,
            self.day,
            waiting,
        )?;
        self.prompter.summary(&self.summary)?;
        if interrupted {
            return Err(Error::Interrupted);
        }
        Ok(self.summary)
    }
}

#[cfg(test)]
mod tests;
