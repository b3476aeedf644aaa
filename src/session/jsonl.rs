//! The scripting side of a session (DESIGN §2): one JSON event per line on stdout (the
//! events are [`super::events`]), one answer per line on stdin: a plain answer (a key,
//! a grade, `?` or `quit`) or a JSON object ([`super::answer_object`]). End of input is
//! `quit`.

use std::io::{BufRead, Write};

use super::answer_object;
use super::events::{AnswerEvent, Event, QuestionEvent};
use super::{Answer, Feedback, Prompter, Question, Response, Shown, Summary};
use crate::deck::CardBody;
use crate::error::{Error, Result};
use crate::output;
use crate::sched::Quality;

pub struct JsonLines<R, W> {
    input: R,
    output: W,
}

impl<R: BufRead, W: Write> JsonLines<R, W> {
    pub fn new(input: R, output: W) -> Self {
        JsonLines { input, output }
    }

    pub(super) fn emit(&mut self, event: &Event<'_>) -> Result<()> {
        writeln!(self.output, "{}", output::json(event, false)).map_err(output::stdout_error)?;
        self.output.flush().map_err(output::stdout_error)
    }

    /// Emit a question event and read answer lines until `parse` accepts one; each
    /// unreadable line gets an error event and the question again. End of input is quit.
    pub(super) fn ask_with<T: From<Response>>(
        &mut self,
        event: &Event<'_>,
        parse: impl Fn(&str) -> std::result::Result<T, String>,
    ) -> Result<T> {
        loop {
            self.emit(event)?;
            let parsed = match self.line()? {
                None => return Ok(Response::Quit.into()),
                Some(Err(message)) => Err(message),
                Some(Ok(line)) if line.trim().is_empty() => Err("empty answer line".to_string()),
                Some(Ok(line)) => parse(&line),
            };
            match parsed {
                Ok(response) => return Ok(response),
                Err(message) => self.emit(&Event::Error { message: &message })?,
            }
        }
    }

    /// The next line of input, or `None` at end of input. Invalid UTF-8 and overlong
    /// lines are lines we cannot read, not a crash: a line is kept up to
    /// [`MAX_OBJECT_BYTES`] and the rest of it is skipped, so a runaway script cannot
    /// make the session hold its whole output in memory. A plain answer is refused past
    /// [`MAX_LINE_BYTES`], an object line (starting with `{`) past [`MAX_OBJECT_BYTES`].
    fn line(&mut self) -> Result<Option<std::result::Result<String, String>>> {
        let io = |e: std::io::Error| Error::Io {
            path: "<stdin>".into(),
            source: e,
        };
        let mut buf = Vec::new();
        let mut seen = 0usize;
        loop {
            let chunk = match self.input.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io(e)),
            };
            if chunk.is_empty() {
                break;
            }
            let (len, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let room = MAX_OBJECT_BYTES.saturating_sub(buf.len());
            buf.extend_from_slice(&chunk[..len.min(room)]);
            seen = seen.saturating_add(len);
            self.input.consume(len);
            if done {
                break;
            }
        }
        if seen == 0 {
            return Ok(None);
        }
        let object = buf.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        if object && seen > MAX_OBJECT_BYTES {
            return Ok(Some(Err(format!(
                "the answer object is {seen} bytes long; an object line holds at most {MAX_OBJECT_BYTES} bytes (its text at most {})",
                answer_object::MAX_TEXT_BYTES
            ))));
        }
        if !object && seen > MAX_LINE_BYTES {
            return Ok(Some(Err(format!(
                "the answer line is {seen} bytes long; an answer is a key, a grade or quit"
            ))));
        }
        Ok(Some(String::from_utf8(buf).map_err(|_| {
            "the answer line is not valid UTF-8".to_string()
        })))
    }
}

/// The longest plain answer line read in full; plain answers are a few bytes.
pub const MAX_LINE_BYTES: usize = 4096;

/// The longest answer object line read in full: room for a text of
/// [`answer_object::MAX_TEXT_BYTES`] even when every character is escaped.
pub const MAX_OBJECT_BYTES: usize = 64 * 1024;

/// Parse one answer line for a question.
pub fn parse_answer(line: &str, q: &Question<'_>) -> std::result::Result<Answer, String> {
    let line = line.trim();
    if line.eq_ignore_ascii_case("quit") {
        return Ok(Response::Quit.into());
    }
    if line.starts_with('{') {
        return answer_object::parse(line, &q.card.body, &q.options);
    }
    match &q.card.body {
        CardBody::Recall { .. } if line == "?" => Ok(Response::DontKnow.into()),
        CardBody::Recall { .. } => match line.parse::<i64>() {
            Ok(g) => Quality::try_from(g)
                .map(|g| Response::Grade(g).into())
                .map_err(|e| e.to_string()),
            Err(_) => Err(format!(
                "unreadable answer {:?}: give a grade from 0 to 5, or quit",
                clip(line)
            )),
        },
        CardBody::Choice { .. } => parse_choice(line, &q.options).map(Answer::from),
    }
}

/// Parse an answer to a multiple-choice question: one of the shown keys (any case),
/// optionally followed by a confidence (5, 4 or 2); `?` (I don't know); `quit`; or the
/// same as an object without text (`{"key":"B"}`).
pub fn parse_choice(line: &str, options: &[Shown<'_>]) -> std::result::Result<Response, String> {
    let line = line.trim();
    if line.eq_ignore_ascii_case("quit") {
        return Ok(Response::Quit);
    }
    if line.starts_with('{') {
        return answer_object::parse_key(line, options);
    }
    if line == "?" {
        return Ok(Response::DontKnow);
    }
    let shown: String = options
        .iter()
        .map(|o| o.key.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let mut parts = line.split_whitespace();
    let key = parts.next().unwrap_or_default();
    let confidence = parts.next();
    let bad = || {
        format!(
            "unreadable answer {:?}: expected one of {shown}, ? (I don't know) or quit",
            clip(line)
        )
    };
    if parts.next().is_some() || key.chars().count() != 1 {
        return Err(bad());
    }
    let letter = key
        .chars()
        .next()
        .map(|c| c.to_ascii_uppercase())
        .ok_or_else(bad)?;
    let index = options
        .iter()
        .position(|o| o.key == letter)
        .ok_or_else(bad)?;
    let confidence = match confidence {
        None => None,
        Some("5") => Some(Quality::PERFECT),
        Some("4") => Some(Quality::CORRECT),
        Some("2") => Some(Quality::GUESSED),
        Some(other) => {
            return Err(format!(
                "unreadable confidence {:?}: after the key give 5 (knew it cold), 4 (fairly sure) or 2 (guessed)",
                clip(other)
            ));
        }
    };
    Ok(Response::Choice { index, confidence })
}

/// Long garbage is echoed back shortened.
fn clip(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

impl<R: BufRead, W: Write> Prompter for JsonLines<R, W> {
    fn ask(&mut self, q: &Question<'_>) -> Result<Answer> {
        self.ask_with(&Event::Question(QuestionEvent::of(q)), |line| {
            parse_answer(line, q)
        })
    }

    fn feedback(&mut self, f: &Feedback<'_>) -> Result<()> {
        self.emit(&Event::Answer(AnswerEvent::of(f)))
    }

    fn summary(&mut self, s: &Summary) -> Result<()> {
        self.emit(&Event::Summary(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlong_line_is_reported_and_skipped_whole() {
        let mut input = vec![b'x'; 3 * MAX_LINE_BYTES];
        input.extend_from_slice(b"\nB\nC");
        let mut j = JsonLines::new(std::io::Cursor::new(input), Vec::new());
        let first = j.line().unwrap().unwrap().unwrap_err();
        assert!(
            first.contains(&format!("{} bytes", 3 * MAX_LINE_BYTES + 1)),
            "{first}"
        );
        assert_eq!(j.line().unwrap(), Some(Ok("B\n".to_string())));
        assert_eq!(j.line().unwrap(), Some(Ok("C".to_string())));
        assert_eq!(j.line().unwrap(), None);
    }

    #[test]
    fn a_line_at_the_limit_is_read() {
        let mut input = vec![b' '; MAX_LINE_BYTES - 2];
        input.extend_from_slice(b"B\n");
        let mut j = JsonLines::new(std::io::Cursor::new(input), Vec::new());
        assert!(matches!(j.line().unwrap(), Some(Ok(l)) if l.trim() == "B"));
    }
}
