//! A recall card in the terminal: the learner answers in their head or aloud (or types
//! the answer with `--type`: [`super::typing`]), sees the model answer, and grades it. With a rubric the grade comes from a checklist (issue
//! 13): the learner ticks the points their answer covered, the share covered suggests a
//! grade, and Enter accepts it or one key 0–5 changes it. Without a rubric the learner
//! picks 0–5 from a list, as before.

use std::fmt;

use console::{Key, style};
use dialoguer::theme::{ColorfulTheme, Theme};
use dialoguer::{MultiSelect, Select};

use super::{Terminal, dialog_error, io_error};
use crate::deck::CardBody;
use crate::error::Result;
use crate::sched::Quality;
use crate::session::rubric::Checklist;
use crate::session::{Answer, Question, Response};
use crate::text::{self, for_terminal};

/// How a recall card was graded in the terminal.
enum Graded {
    Grade(Quality, Option<Checklist>),
    Quit,
}

impl Terminal {
    pub(in crate::session) fn ask_recall(&mut self, q: &Question<'_>) -> Result<Answer> {
        let CardBody::Recall { answer, rubric, .. } = &q.card.body else {
            return Ok(Response::Quit.into());
        };
        self.line("")?;
        let text = if q.type_answer {
            self.type_answer()?
        } else if self.pause(
            "Answer it in your head or aloud, then press Enter to see a model answer (q to stop).",
        )? {
            None
        } else {
            return Ok(Response::Quit.into());
        };
        self.line(style("Model answer").bold().to_string())?;
        self.wrapped(answer, "  ", "  ")?;
        self.line("")?;
        let graded = if rubric.is_empty() {
            self.pick_grade()?
        } else {
            self.grade_by_rubric(rubric)?
        };
        Ok(match graded {
            Graded::Grade(grade, checklist) => Answer {
                response: Response::Grade(grade),
                checklist,
                text,
            },
            Graded::Quit => Response::Quit.into(),
        })
    }

    /// A grade from the list 0–5, for a card without a rubric.
    fn pick_grade(&mut self) -> Result<Graded> {
        let grades = [5, 4, 3, 2, 1, 0];
        let items: Vec<String> = grades
            .iter()
            .map(|&g| format!("{g}  {}", quality(g).label()))
            .collect();
        let picked = Select::with_theme(&self.theme)
            .with_prompt("How well did you recall it?")
            .items(&items)
            .default(1)
            .report(false)
            .interact_on_opt(&self.term)
            .map_err(dialog_error)?;
        Ok(match picked {
            Some(index) => Graded::Grade(quality(grades[index.min(5)]), None),
            None => Graded::Quit,
        })
    }

    /// Tick the rubric points covered, see what they suggest, confirm or change it.
    fn grade_by_rubric(&mut self, rubric: &[String]) -> Result<Graded> {
        let items = self.checklist_items(rubric)?;
        let ticked = MultiSelect::with_theme(&CursorTheme(&self.theme))
            .with_prompt("Tick the points you covered (Space, then Enter; q to stop)")
            .items(&items)
            .report(false)
            .interact_on_opt(&self.term)
            .map_err(dialog_error)?;
        let Some(ticked) = ticked else {
            return Ok(Graded::Quit);
        };
        let checklist = Checklist::ticked(&ticked, rubric.len());
        self.line(
            style(format!(
                "Covered {} of {} points",
                checklist.covered().len(),
                checklist.total()
            ))
            .bold()
            .to_string(),
        )?;
        for (i, point) in rubric.iter().enumerate() {
            let covered = ticked.contains(&i);
            let mark = if covered {
                style("✔").green()
            } else {
                style("✘").red()
            };
            self.wrapped(point, &format!("  {mark} {}. ", i + 1), "       ")?;
        }
        Ok(match self.confirm_grade(checklist.suggested())? {
            Some(grade) => Graded::Grade(grade, Some(checklist)),
            None => Graded::Quit,
        })
    }

    /// The checklist's entries: each point whole, wrapped under its number, unless the
    /// points would not fit on the screen together; then each on one line, cut, with the
    /// whole points listed above the checklist.
    fn checklist_items(&self, rubric: &[String]) -> Result<Vec<String>> {
        // "❯ ✔ " before each entry, and a column to spare for a wide check mark.
        let width = self.width().saturating_sub(5);
        let wrapped: Vec<String> = rubric
            .iter()
            .enumerate()
            .map(|(i, p)| {
                // dialoguer puts the cursor and the box before an entry's first line
                // only: continued lines are indented to start under the point's text.
                text::wrap(&for_terminal(p), width, &format!("{}. ", i + 1), "       ")
            })
            .collect();
        let lines: usize = wrapped.iter().map(|w| w.lines().count()).sum();
        // dialoguer pages by entries, keeping two rows for its prompt: entries of several
        // lines are drawn right only when they all fit at once.
        if lines + 2 <= usize::from(self.term.size().0) {
            return Ok(wrapped);
        }
        self.line(style("A good answer covers").bold().to_string())?;
        for (i, point) in rubric.iter().enumerate() {
            self.wrapped(point, &format!("  {}. ", i + 1), "     ")?;
        }
        self.line("")?;
        Ok(rubric
            .iter()
            .enumerate()
            .map(|(i, p)| text::truncate(&format!("{}. {}", i + 1, for_terminal(p)), width))
            .collect())
    }

    /// The suggested grade: Enter accepts it, a key 0–5 gives another, q or Esc stops.
    fn confirm_grade(&mut self, suggested: Quality) -> Result<Option<Quality>> {
        let offer = text::wrap(
            &format!(
                "Suggested grade {}: {}.",
                suggested.value(),
                suggested.label()
            ),
            self.width(),
            "",
            "  ",
        );
        self.line(style(&offer).bold().to_string())?;
        self.line(
            style("Enter accepts it, 0–5 changes it, q stops.")
                .dim()
                .to_string(),
        )?;
        let grade = loop {
            match self.term.read_key().map_err(io_error)? {
                Key::Enter => break Some(suggested),
                Key::Char(c @ '0'..='5') => {
                    break Some(quality(c.to_digit(10).unwrap_or(0)));
                }
                Key::Escape | Key::Char('q' | 'Q') => break None,
                _ => {}
            }
        };
        // The feedback names the grade and what the points suggested.
        self.term
            .clear_last_lines(offer.lines().count() + 1)
            .map_err(io_error)?;
        Ok(grade)
    }
}

/// A grade from a number known to be 0–5.
fn quality(g: u32) -> Quality {
    Quality::try_from(i64::from(g)).unwrap_or(Quality::BLACKOUT)
}

/// The session's theme with a cursor mark in the checklist: dialoguer's colourful theme
/// shows the entry under the cursor by its colour alone, which is invisible when colour
/// is off (`NO_COLOR`, `--color never`).
struct CursorTheme<'a>(&'a ColorfulTheme);

impl Theme for CursorTheme<'_> {
    fn format_multi_select_prompt(&self, f: &mut dyn fmt::Write, prompt: &str) -> fmt::Result {
        self.0.format_multi_select_prompt(f, prompt)
    }

    fn format_multi_select_prompt_selection(
        &self,
        f: &mut dyn fmt::Write,
        prompt: &str,
        selections: &[&str],
    ) -> fmt::Result {
        self.0
            .format_multi_select_prompt_selection(f, prompt, selections)
    }

    fn format_multi_select_prompt_item(
        &self,
        f: &mut dyn fmt::Write,
        text: &str,
        checked: bool,
        active: bool,
    ) -> fmt::Result {
        let cursor = if active {
            &self.0.active_item_prefix
        } else {
            &self.0.inactive_item_prefix
        };
        write!(f, "{cursor} ")?;
        self.0
            .format_multi_select_prompt_item(f, text, checked, active)
    }
}
