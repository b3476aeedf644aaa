//! The interactive side of a session: questions, options and explanations printed to
//! the terminal, answers read with dialoguer; a recall card's steps (the typed answer,
//! the model answer, the rubric checklist and the grade) are in `recall`. Every deck
//! text, and every text a learner typed, passes through [`text::for_terminal`] before
//! it is printed.

mod recall;
mod typing;

use std::io;

use console::{Key, Term, style};
use dialoguer::Select;
use dialoguer::theme::ColorfulTheme;

use super::{Answer, Feedback, Prompter, Question, Response, SessionKind, Summary};
use crate::clock::{LAST_DAY, StudyDay};
use crate::deck::CardBody;
use crate::error::{Error, Result};
use crate::sched::Quality;
use crate::text::{self, for_terminal};

pub struct Terminal {
    pub(super) term: Term,
    pub(super) theme: ColorfulTheme,
    /// Set when the learner pressed q after an explanation: the next `ask` quits.
    pub(super) quit_requested: bool,
}

impl Default for Terminal {
    fn default() -> Self {
        Self::new()
    }
}

/// Is an interactive session possible (both ends a terminal)?
pub fn available() -> bool {
    Term::stdout().is_term()
        && console::user_attended()
        && std::io::IsTerminal::is_terminal(&std::io::stdin())
}

pub(super) fn io_error(e: io::Error) -> Error {
    if e.kind() == io::ErrorKind::Interrupted {
        crate::app::INTERRUPT_SEEN.store(true, std::sync::atomic::Ordering::SeqCst);
        Error::Interrupted
    } else {
        Error::Io {
            path: "<terminal>".into(),
            source: e,
        }
    }
}

pub(super) fn dialog_error(e: dialoguer::Error) -> Error {
    match e {
        dialoguer::Error::IO(e) => io_error(e),
    }
}

/// "tomorrow (2026-03-02)", "in 6 days (2026-03-08)", "today".
pub fn due_phrase(today: StudyDay, due: StudyDay) -> String {
    if due >= LAST_DAY {
        return format!("beyond {LAST_DAY}");
    }
    match today.days_until(due) {
        i64::MIN..=0 => "today".to_string(),
        1 => format!("tomorrow ({due})"),
        n => format!("in {n} days ({due})"),
    }
}

impl Terminal {
    pub fn new() -> Terminal {
        crate::app::INTERACTIVE.store(true, std::sync::atomic::Ordering::SeqCst);
        Terminal {
            term: Term::stdout(),
            theme: ColorfulTheme::default(),
            quit_requested: false,
        }
    }

    pub(super) fn width(&self) -> usize {
        usize::from(self.term.size().1).clamp(40, 100)
    }

    pub(super) fn line(&self, s: impl AsRef<str>) -> Result<()> {
        self.term.write_line(s.as_ref()).map_err(io_error)
    }

    pub(super) fn wrapped(&self, body: &str, first: &str, indent: &str) -> Result<()> {
        self.line(text::wrap(&for_terminal(body), self.width(), first, indent))
    }

    /// Wait for Enter (continue) or q / Esc (stop after this card).
    pub(super) fn pause(&mut self, prompt: &str) -> Result<bool> {
        self.line(style(prompt).dim().to_string())?;
        loop {
            match self.term.read_key().map_err(io_error)? {
                Key::Enter | Key::Char(' ') => break,
                Key::Escape | Key::Char('q') | Key::Char('Q') => {
                    self.quit_requested = true;
                    break;
                }
                _ => {}
            }
        }
        self.term.clear_last_lines(1).map_err(io_error)?;
        Ok(!self.quit_requested)
    }

    fn header(&self, q: &Question<'_>) -> Result<()> {
        self.line("")?;
        self.line(style("─".repeat(self.width())).dim().to_string())?;
        let label = if q.repeat {
            "Repeat"
        } else if q.final_pass {
            "Final pass"
        } else {
            "Question"
        };
        self.line(format!(
            "{}{}",
            style(format!("{label} {} / {}", q.position, q.total)).bold(),
            style(format!(" · {}", for_terminal(&q.card.topic_name))).cyan()
        ))?;
        self.line("")?;
        self.wrapped(q.card.body.question(), "", "")
    }

    pub(super) fn ask_choice(&mut self, q: &Question<'_>) -> Result<Response> {
        for o in &q.options {
            self.line("")?;
            self.wrapped(o.text, &format!("  {}  ", style(o.key).bold()), "     ")?;
        }
        self.line("")?;
        let preview = self.width().saturating_sub(8);
        let mut items: Vec<String> = q
            .options
            .iter()
            .map(|o| {
                format!(
                    "{}  {}",
                    o.key,
                    text::truncate(&for_terminal(o.text), preview)
                )
            })
            .collect();
        items.push("?  I don't know".to_string());
        let picked = Select::with_theme(&self.theme)
            .with_prompt("Your answer (↑/↓, Enter; q to stop)")
            .items(&items)
            .default(0)
            .report(false)
            .interact_on_opt(&self.term)
            .map_err(dialog_error)?;
        let Some(index) = picked else {
            return Ok(Response::Quit);
        };
        if index >= q.options.len() {
            return Ok(Response::DontKnow);
        }
        let mut confidence = None;
        if q.confidence && Some(index) == q.correct {
            let level = Select::with_theme(&self.theme)
                .with_prompt("How sure were you?")
                .items(["Knew it cold", "Fairly sure", "Guessed"])
                .default(1)
                .report(false)
                .interact_on(&self.term)
                .map_err(dialog_error)?;
            confidence = Some([Quality::PERFECT, Quality::CORRECT, Quality::GUESSED][level.min(2)]);
        }
        Ok(Response::Choice { index, confidence })
    }

    fn schedule_line(&self, f: &Feedback<'_>) -> Result<()> {
        let next = due_phrase(f.today, f.schedule.due);
        if f.final_pass {
            return self.final_pass_line(f, &next);
        }
        let text = match (f.graded, f.quality.needs_repeat()) {
            (true, true) => format!("Back at the end of this session; next review {next}."),
            (true, false) => format!(
                "Next review {next} · interval {} day{} · EF {}",
                f.schedule.interval.days(),
                if f.schedule.interval.days() == 1 {
                    ""
                } else {
                    "s"
                },
                f.schedule.ef
            ),
            (false, true) => "Again at the end of this session.".to_string(),
            (false, false) => format!("Done for today; next review {next}."),
        };
        // Another session (a second terminal) graded the card while it was on screen.
        let text = if !f.graded && !f.question.repeat {
            format!("Another session answered this card first today, so this was a repeat. {text}")
        } else {
            text
        };
        let text = text::wrap(&text, self.width(), "  ", "  ");
        self.line(style(text).dim().to_string())
    }

    /// After a final-pass answer: the schedule stands; a miss comes back.
    fn final_pass_line(&self, f: &Feedback<'_>, next: &str) -> Result<()> {
        let text = match (f.quality.needs_repeat(), f.resurfaced) {
            (_, true) => format!(
                "Final pass: back at the end of this session, and due again {next}, before the                  interview. EF and interval are unchanged."
            ),
            (true, false) => format!(
                "Final pass: back at the end of this session. The schedule stands: next review {next}."
            ),
            (false, false) => format!("Final pass: the schedule stands; next review {next}."),
        };
        let text = text::wrap(&text, self.width(), "  ", "  ");
        self.line(style(text).dim().to_string())
    }
}

impl Prompter for Terminal {
    fn ask(&mut self, q: &Question<'_>) -> Result<Answer> {
        if self.quit_requested {
            return Ok(Response::Quit.into());
        }
        self.header(q)?;
        match q.card.body {
            CardBody::Choice { .. } => self.ask_choice(q).map(Answer::from),
            CardBody::Recall { .. } => self.ask_recall(q),
        }
    }

    fn feedback(&mut self, f: &Feedback<'_>) -> Result<()> {
        let q = f.question;
        match &q.card.body {
            CardBody::Choice { explanation, .. } => {
                let best = q.correct.and_then(|i| q.options.get(i));
                let chosen = f.chosen.and_then(|i| q.options.get(i));
                match (f.correct, chosen, best) {
                    (true, Some(c), _) => {
                        self.line(
                            style(format!("✔ Right: {}", c.key))
                                .green()
                                .bold()
                                .to_string(),
                        )?;
                        self.wrapped(c.why, "  ", "  ")?;
                    }
                    (false, Some(c), Some(b)) => {
                        self.line(
                            style(format!("✘ Not quite: the best answer is {}", b.key))
                                .red()
                                .bold()
                                .to_string(),
                        )?;
                        self.wrapped(
                            c.why,
                            &format!("  {} (your answer): ", style(c.key).bold()),
                            "  ",
                        )?;
                        self.line("")?;
                        self.wrapped(b.why, &format!("  {} (best): ", style(b.key).bold()), "  ")?;
                    }
                    (_, _, Some(b)) => {
                        self.line(
                            style(format!("· The best answer is {}", b.key))
                                .yellow()
                                .bold()
                                .to_string(),
                        )?;
                        self.wrapped(b.why, "  ", "  ")?;
                    }
                    _ => {}
                }
                if !explanation.is_empty() {
                    self.line("")?;
                    self.wrapped(explanation, "  ", "  ")?;
                }
            }
            CardBody::Recall { .. } => {
                let colour = if f.quality.passes() {
                    style("✔").green()
                } else {
                    style("✘").red()
                };
                let points = match &f.answer.checklist {
                    Some(c) if c.suggested() == f.quality => {
                        format!(" · {} of {} points", c.covered().len(), c.total())
                    }
                    Some(c) => format!(
                        " · {} of {} points, which suggested {}",
                        c.covered().len(),
                        c.total(),
                        c.suggested().value()
                    ),
                    None => String::new(),
                };
                self.line(format!(
                    "{colour} Graded {}: {}{points}",
                    f.quality.value(),
                    f.quality.label()
                ))?;
            }
        }
        if !f.correct && !f.framework.is_empty() {
            self.line("")?;
            self.line(style("  Structure your answer:").bold().to_string())?;
            for (i, step) in f.framework.iter().enumerate() {
                self.wrapped(step, &format!("  {}. ", i + 1), "     ")?;
            }
        }
        self.line("")?;
        self.schedule_line(f)?;
        self.pause("Press Enter to continue, q to stop.")?;
        Ok(())
    }

    fn summary(&mut self, s: &Summary) -> Result<()> {
        let today = s
            .today
            .unwrap_or_else(|| StudyDay::new(chrono::NaiveDate::MIN));
        self.line("")?;
        self.line(style("─".repeat(self.width())).dim().to_string())?;
        if s.answered + s.repeats == 0 {
            if s.interrupted || s.stopped {
                self.line("Stopped. Nothing was answered.")?;
                return Ok(());
            }
            match s.mode {
                Some(SessionKind::Review) => {
                    self.line(style("Nothing due today.").bold().to_string())?
                }
                _ if s.new_available == 0 => {
                    self.line(style("No new cards left to study.").bold().to_string())?
                }
                _ => self.line(
                    style("You have studied today's new cards.")
                        .bold()
                        .to_string(),
                )?,
            }
        } else {
            let pct = s
                .accuracy
                .map_or(String::new(), |a| format!(" ({:.0}%)", a * 100.0));
            let head = if s.interrupted {
                "Stopped; your answers are saved"
            } else {
                "Session done"
            };
            let final_pass = if s.final_pass > 0 {
                format!(" ({} in the final pass)", s.final_pass)
            } else {
                String::new()
            };
            self.line(format!(
                "{} · {} answered{final_pass} · {} correct{pct} · {} repeat{}",
                style(head).bold(),
                s.answered,
                s.correct,
                s.repeats,
                if s.repeats == 1 { "" } else { "s" }
            ))?;
        }
        self.what_is_left(s, today)
    }
}

impl Terminal {
    /// What today still holds, then the one command to run next: the dashboard's and
    /// `mlsec stats`' (review serves due cards, same-day repeats and the final pass).
    fn what_is_left(&self, s: &Summary, today: StudyDay) -> Result<()> {
        let cards = |n: u64| format!("{n} card{}", if n == 1 { "" } else { "s" });
        if s.final_pass_left > 0 {
            self.line(format!(
                "{} left in the interview's final pass.",
                cards(s.final_pass_left)
            ))?;
        }
        if s.repeats_left > 0 {
            self.line(format!("{} still to repeat today.", cards(s.repeats_left)))?;
        }
        if s.due_left > 0 {
            self.line(format!("{} due today.", cards(s.due_left)))?;
        }
        match (s.next, s.next_due) {
            (Some(next), _) => self.line(format!("Next: run {}.", style(next.command()).bold())),
            (None, Some(due)) => self.line(format!(
                "All done for today. Next review: {}; {} due tomorrow.",
                due_phrase(today, due),
                cards(s.due_tomorrow)
            )),
            (None, None) => self.line("All done for today."),
        }
    }
}
