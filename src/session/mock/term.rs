//! A mock in the terminal: the question with its time limit, the classify step as a
//! short menu before the options, a one-line verdict (no explanation: that waits for the
//! report, as in an interview), and the report at the end.

use std::time::Duration;

use console::style;
use dialoguer::Select;

use super::report::{QuestionResult, Report};
use super::{Answered, Classified, ClassifyStep, MockPrompter, MockQuestion};
use crate::deck::CardBody;
use crate::error::Result;
use crate::session::Question;
use crate::session::term::{Terminal, dialog_error, due_phrase};
use crate::session::{Answer, Response};
use crate::text::{for_terminal, truncate};

/// 83 s → "1:23".
pub fn clock_time(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}

fn ms(ms: u64) -> String {
    clock_time(Duration::from_millis(ms))
}

impl Terminal {
    fn mock_header(&self, q: &Question<'_>, limit: Option<Duration>) -> Result<()> {
        self.line("")?;
        self.line(style("─".repeat(self.width())).dim().to_string())?;
        let limit = match limit {
            Some(l) => format!(" · {} to answer", clock_time(l)),
            None => String::new(),
        };
        self.line(format!(
            "{}{}{}",
            style(format!("Mock question {} / {}", q.position, q.total)).bold(),
            style(format!(" · {}", for_terminal(&q.card.topic_name))).cyan(),
            style(limit).yellow()
        ))?;
        self.line("")?;
        self.wrapped(q.card.body.question(), "", "")
    }

    fn late(&self, over_time: bool, elapsed: Duration, limit: Option<Duration>) -> String {
        match limit {
            Some(l) if over_time => format!(
                " · over time ({} of {}): counted as a miss",
                clock_time(elapsed),
                clock_time(l)
            ),
            _ => format!(" · {}", clock_time(elapsed)),
        }
    }

    fn question_line(&self, q: &QuestionResult) -> Result<()> {
        let mark = if q.correct {
            style("✔").green()
        } else {
            style("✘").red()
        };
        let mut notes = Vec::new();
        if !q.answered {
            notes.push("stopped".to_string());
        } else {
            notes.push(ms(q.elapsed_ms));
        }
        if q.over_time {
            notes.push(style("over time").yellow().to_string());
        }
        if let Some(c) = &q.classify {
            notes.push(format!("classify {}", if c.correct { "✔" } else { "✘" }));
        }
        self.line(format!(
            "{mark} {:>2}. {} · {} · {}",
            q.position,
            for_terminal(&q.topic_name),
            q.card.rsplit('/').next().unwrap_or(&q.card),
            notes.join(" · ")
        ))?;
        if !q.answered {
            return Ok(());
        }
        let width = self.width().saturating_sub(12);
        let you = match (&q.chosen, &q.correct_key) {
            (Some(c), _) if c == "?" => "you: I don't know · ".to_string(),
            (Some(c), Some(_)) => format!("you: {c} · "),
            (Some(g), None) => format!("you graded {g} · "),
            _ => String::new(),
        };
        let best = match &q.correct_key {
            Some(k) => format!("{you}best: {k} — "),
            None => format!("{you}model answer: "),
        };
        self.line(format!(
            "      {}{}",
            best,
            style(truncate(
                &for_terminal(&q.answer),
                width.saturating_sub(console::measure_text_width(&best))
            ))
            .dim()
        ))?;
        if let Some(text) = &q.text {
            // Next to the model answer, cut to a few lines: the whole answer is kept
            // with the review (`mlsec export --what reviews`).
            let said = truncate(&for_terminal(text), width.saturating_mul(3));
            self.wrapped(&said, "      your answer: ", "                   ")?;
        }
        // A recall card's reason is its rubric's first point: after a checklist, the
        // points missed say more (and the first may be among them).
        if !q.reason.is_empty() && q.points_missed.is_none() {
            self.wrapped(&q.reason, "      why: ", "           ")?;
        }
        for (i, p) in q.points_missed.iter().flatten().enumerate() {
            let first = if i == 0 {
                "      missed: "
            } else {
                "              "
            };
            self.wrapped(
                &p.text,
                &format!("{first}{}. ", p.point),
                "                 ",
            )?;
        }
        if let Some(c) = &q.classify {
            if !c.correct {
                let said = c.chosen.as_deref().unwrap_or("I don't know");
                self.line(format!(
                    "      vector: {} (you said {said}{})",
                    c.expected,
                    if c.over_time { ", over time" } else { "" }
                ))?;
            }
        }
        Ok(())
    }

    /// How the mock ended, the score and the time taken.
    fn score_line(&self, r: &Report) -> Result<()> {
        let head = if r.interrupted {
            "Mock stopped; your answers are saved".to_string()
        } else if (r.answered as usize) < r.planned {
            format!(
                "Mock stopped after {} of {} questions",
                r.answered, r.planned
            )
        } else {
            "Mock interview done".to_string()
        };
        let mut score = format!(
            "{} · {} / {} right ({})",
            style(head).bold(),
            r.correct,
            r.answered,
            r.accuracy.map_or(String::new(), pct)
        );
        if r.over_time > 0 {
            score.push_str(&format!(" · {} over time", r.over_time));
        }
        score.push_str(&format!(
            " · {} in all, {} a question",
            ms(r.total_ms),
            ms(r.average_ms.unwrap_or(0))
        ));
        self.line(score)
    }

    /// Results by topic, by framework step and for the classify drill.
    fn tallies(&self, r: &Report) -> Result<()> {
        let topics: Vec<String> = r
            .topics
            .iter()
            .map(|t| {
                format!(
                    "{} {}",
                    for_terminal(&t.name),
                    tally(t.tally.correct, t.tally.answered)
                )
            })
            .collect();
        self.wrapped(&topics.join(" · "), "By topic     ", "             ")?;
        let steps: Vec<String> = r
            .steps
            .iter()
            .map(|s| format!("{} {}", s.step, tally(s.tally.correct, s.tally.answered)))
            .collect();
        self.line(format!("By step      {}", steps.join(" · ")))?;
        if r.classify.answered > 0 {
            self.line(format!(
                "Classify     {} attack vectors named right before the options",
                tally(r.classify.correct, r.classify.answered)
            ))?;
        }
        Ok(())
    }

    /// This mock's accuracy after the earlier ones'.
    fn trend_line(&self, r: &Report) -> Result<()> {
        let Some(last) = r.trend.last() else {
            return self.line("Trend        your first mock: the next one will show the trend");
        };
        let mut past: Vec<String> = r.trend.iter().map(|p| pct(p.accuracy)).collect();
        past.push(
            style(r.accuracy.map_or(String::new(), pct))
                .bold()
                .to_string(),
        );
        let change = match r.change_points {
            Some(0) => "same as".to_string(),
            Some(p) if p > 0 => format!("+{p} points on"),
            Some(p) => format!("{p} points on"),
            None => String::new(),
        };
        self.line(format!(
            "Trend        {} ({change} the last mock, {})",
            past.join(" → "),
            last.study_day
        ))
    }

    /// When the missed cards come back, and the command that reviews them.
    fn what_to_review(&self, r: &Report) -> Result<()> {
        let (Some(cmd), Some(day)) = (&r.review_command, r.review_day) else {
            return self.line("Nothing missed: nothing to add to your review.");
        };
        let n = r.missed.len();
        let cards = if n == 1 {
            "1 missed card is".to_string()
        } else {
            format!("{n} missed cards are")
        };
        self.line(if day <= r.today {
            format!("{cards} due in review today. Review now with:")
        } else {
            format!(
                "{cards} due in review {}. Then run:",
                due_phrase(r.today, day)
            )
        })?;
        self.line(format!("  {}", style(cmd).bold()))
    }
}

fn tally(correct: u64, answered: u64) -> String {
    if answered == 0 {
        return "—".to_string();
    }
    format!("{correct}/{answered}")
}

fn pct(a: f64) -> String {
    format!("{:.0}%", a * 100.0)
}

impl MockPrompter for Terminal {
    fn classify(&mut self, step: &ClassifyStep<'_>) -> Result<Response> {
        if self.quit_requested {
            return Ok(Response::Quit);
        }
        self.mock_header(step.question, step.time_limit)?;
        self.line("")?;
        self.line(
            style("First, classify the attack vector (framework step 1).")
                .bold()
                .to_string(),
        )?;
        let mut items: Vec<String> = step.choices.iter().map(ToString::to_string).collect();
        items.push("?  I don't know".to_string());
        let prompt = format!(
            "{}? (↑/↓, Enter; q to stop)",
            step.choices.first().map_or("", |v| v.asks())
        );
        let picked = Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(&items)
            .default(0)
            .report(false)
            .interact_on_opt(&self.term)
            .map_err(dialog_error)?;
        Ok(match picked {
            None => Response::Quit,
            Some(i) if i >= step.choices.len() => Response::DontKnow,
            Some(index) => Response::Choice {
                index,
                confidence: None,
            },
        })
    }

    fn classified(&mut self, v: &Classified<'_>) -> Result<()> {
        let late = self.late(v.over_time, v.elapsed, v.step.time_limit);
        let line = if v.correct {
            style(format!("✔ Classified: {}{late}", v.expected)).green()
        } else {
            let said = v
                .chosen
                .and_then(|i| v.step.choices.get(i))
                .map_or("I don't know".to_string(), ToString::to_string);
            style(format!("✘ It is {} (you: {said}){late}", v.expected)).red()
        };
        self.line(line.to_string())
    }

    fn ask_question(&mut self, mq: &MockQuestion<'_>) -> Result<Answer> {
        if self.quit_requested {
            return Ok(Response::Quit.into());
        }
        let q = &mq.question;
        if !mq.stem_shown {
            self.mock_header(q, mq.time_limit)?;
        }
        match q.card.body {
            CardBody::Choice { .. } => self.ask_choice(q).map(Answer::from),
            CardBody::Recall { .. } => self.ask_recall(q),
        }
    }

    fn answered(&mut self, a: &Answered<'_>) -> Result<()> {
        let q = &a.question.question;
        let late = self.late(a.over_time, a.elapsed, a.question.time_limit);
        let best = q.correct.and_then(|i| q.options.get(i)).map(|o| o.key);
        let text = match (&q.card.body, a.correct, best) {
            (CardBody::Recall { .. }, _, _) => match a.answer.response {
                Response::Grade(g) => {
                    let points = a.answer.checklist.as_ref().map_or(String::new(), |c| {
                        format!(" · {} of {} points", c.covered().len(), c.total())
                    });
                    format!("You graded {}{points}{late}", g.value())
                }
                _ => format!("Missed{late}"),
            },
            (_, true, _) => format!("Right{late}"),
            (_, false, Some(b)) if a.right_answer => format!("{b} was right{late}"),
            (_, false, Some(b)) => format!("The best answer is {b}{late}"),
            (_, false, None) => format!("Missed{late}"),
        };
        let line = if a.correct {
            style(format!("✔ {text}")).green()
        } else {
            style(format!("✘ {text}")).red()
        };
        self.line(line.bold().to_string())?;
        if a.resurfaced {
            self.line(
                style(format!(
                    "  It comes back in review {}.",
                    a.schedule
                        .map_or("tomorrow".to_string(), |s| due_phrase(a.today, s.due))
                ))
                .dim()
                .to_string(),
            )?;
        }
        let last = q.position >= q.total;
        self.pause(if last {
            "Press Enter for the report, q to stop."
        } else {
            "Press Enter for the next question, q to stop."
        })?;
        Ok(())
    }

    fn report(&mut self, r: &Report) -> Result<()> {
        self.line("")?;
        self.line(style("─".repeat(self.width())).dim().to_string())?;
        if r.answered == 0 {
            if r.planned == 0 {
                self.line("No cards match this mock's filters: try fewer --topic/--tag filters.")?;
            } else {
                self.line("Mock stopped. Nothing was answered.")?;
            }
            return Ok(());
        }
        self.score_line(r)?;
        self.line("")?;
        for q in &r.questions {
            self.question_line(q)?;
        }
        self.line("")?;
        self.tallies(r)?;
        self.trend_line(r)?;
        self.line("")?;
        self.what_to_review(r)
    }
}
