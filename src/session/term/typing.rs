//! A typed answer in the terminal (`--type`, issue 13): the learner writes their answer
//! to a recall card before its model answer appears. Several lines; an empty line or
//! Ctrl-D ends it; Ctrl-C stops the session like any other prompt (exit 130, answers so
//! far kept). At most [`MAX_TEXT_BYTES`]: what comes after is not kept, and the learner
//! is told so.
//!
//! Keys are read one at a time (console's raw key reader), so that Ctrl-C and Ctrl-D are
//! seen as keys and the limit holds while typing. A paste arrives as keys too: bracketed
//! paste is switched on while typing, so that a pasted blank line stays part of the
//! answer instead of ending it. The text is kept as typed, control characters included;
//! on screen it is always shown through [`for_terminal`].

use console::{Key, style};

use super::{Terminal, io_error};
use crate::error::Result;
use crate::session::answer_object::MAX_TEXT_BYTES;
use crate::text::for_terminal;

/// Switch bracketed paste on and off (xterm; other terminals ignore it).
const PASTE_ON: &str = "\x1b[?2004h";
const PASTE_OFF: &str = "\x1b[?2004l";

/// What one key does to the answer being typed.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Effect {
    /// Show this (already safe) text after the cursor.
    Echo(String),
    /// Start a new line.
    NewLine,
    /// The current line lost its last character: draw it again over the `before`
    /// columns it took.
    Redraw { before: usize },
    /// Nothing to show (a key with no meaning here, or one past the limit).
    Nothing,
    /// The answer is complete.
    Done,
}

/// The answer being typed: its lines so far, and how the keys are read.
#[derive(Debug, Default)]
pub(super) struct Typing {
    lines: Vec<String>,
    current: String,
    /// Bytes of the text so far, line breaks included.
    bytes: usize,
    /// Something typed was not kept: the limit was reached.
    cut: bool,
    /// Inside a bracketed paste: Enter is a line break, never the end.
    pasting: bool,
    /// The part of a paste marker (`ESC [ 2 0 0 ~` / `ESC [ 2 0 1 ~`) read so far.
    marker: Option<String>,
}

impl Typing {
    /// The effect of one key.
    pub(super) fn key(&mut self, key: Key) -> Effect {
        if let Some(effect) = self.paste_marker(&key) {
            return effect;
        }
        match key {
            Key::Enter if self.current.is_empty() && !self.pasting => Effect::Done,
            Key::Enter => {
                if !self.fits("\n") {
                    return Effect::Nothing;
                }
                self.lines.push(std::mem::take(&mut self.current));
                Effect::NewLine
            }
            Key::Char('\u{4}') => Effect::Done,
            Key::Backspace => {
                let before = console::measure_text_width(&self.current_shown());
                match self.current.pop() {
                    Some(c) => {
                        self.bytes -= c.len_utf8();
                        Effect::Redraw { before }
                    }
                    None => Effect::Nothing,
                }
            }
            Key::Tab => self.push('\t'),
            Key::Char(c) => self.push(c),
            _ => Effect::Nothing,
        }
    }

    fn push(&mut self, c: char) -> Effect {
        if !self.fits(c.encode_utf8(&mut [0; 4])) {
            return Effect::Nothing;
        }
        self.current.push(c);
        Effect::Echo(shown(c))
    }

    /// Does `s` still fit under the limit? If so it is counted; if not the answer is cut.
    fn fits(&mut self, s: &str) -> bool {
        if self.bytes + s.len() > MAX_TEXT_BYTES {
            self.cut = true;
            return false;
        }
        self.bytes += s.len();
        true
    }

    /// Follow a paste marker, which console reads as an unknown escape sequence `[20`
    /// and then the keys `0~` (start) or `1~` (end); `None` when the key is not part of
    /// one.
    fn paste_marker(&mut self, key: &Key) -> Option<Effect> {
        if let Key::UnknownEscSeq(seq) = key {
            self.marker = (seq[..] == ['[', '2', '0']).then(String::new);
            return Some(Effect::Nothing);
        }
        let marker = self.marker.as_mut()?;
        let Key::Char(c) = key else {
            self.marker = None;
            return None;
        };
        marker.push(*c);
        match marker.as_str() {
            "0" | "1" => {}
            "0~" => {
                self.pasting = true;
                self.marker = None;
            }
            "1~" => {
                self.pasting = false;
                self.marker = None;
            }
            _ => {
                self.marker = None;
                return None;
            }
        }
        Some(Effect::Nothing)
    }

    /// The line being typed, as shown.
    pub(super) fn current_shown(&self) -> String {
        self.current.chars().map(shown).collect()
    }

    /// Every line typed, as shown (for measuring the screen they took).
    fn lines_shown(&self) -> impl Iterator<Item = String> + '_ {
        self.lines
            .iter()
            .map(|l| l.chars().map(shown).collect())
            .chain(std::iter::once(self.current_shown()))
    }

    /// The text as typed, without the empty line that ended it; `None` when nothing was
    /// typed.
    pub(super) fn text(&self) -> Option<String> {
        let mut lines: Vec<&str> = self.lines.iter().map(String::as_str).collect();
        if !self.current.is_empty() {
            lines.push(&self.current);
        }
        let text = lines.join("\n");
        (!text.is_empty()).then_some(text)
    }
}

/// A typed character as the screen shows it: controls become U+FFFD, a tab one space (so
/// that Backspace takes back exactly what was shown).
fn shown(c: char) -> String {
    if c == '\t' {
        " ".to_string()
    } else {
        for_terminal(c.encode_utf8(&mut [0; 4]))
    }
}

/// Each typed line is shown after this.
const INDENT: &str = "  ";

impl Terminal {
    /// Read a typed answer; `None` when nothing was typed. Ctrl-C is an error
    /// ([`crate::error::Error::Interrupted`]), as in every prompt.
    pub(super) fn type_answer(&mut self) -> Result<Option<String>> {
        let prompt = "Type your answer; an empty line or Ctrl-D ends it (Ctrl-C stops).";
        self.line(style(prompt).dim().to_string())?;
        self.term.write_str(PASTE_ON).map_err(io_error)?;
        let mut typing = Typing::default();
        let read = self.read_typing(&mut typing);
        // Off again whatever happened: the shell after us must not get paste markers.
        self.term.write_str(PASTE_OFF).map_err(io_error)?;
        if read.is_err() {
            // Ctrl-C: what comes next (the summary) starts on a line of its own.
            self.term.write_line("").map_err(io_error)?;
        }
        read?;
        // Replace the prompt and what was echoed key by key (the cursor is on the row
        // below them) with the answer wrapped like the model answer below it.
        let rows = self.rows(console::measure_text_width(prompt))
            + typing
                .lines_shown()
                .map(|l| self.rows(INDENT.len() + console::measure_text_width(&l)))
                .sum::<usize>();
        self.term.clear_last_lines(rows).map_err(io_error)?;
        let text = typing.text();
        self.line(style("Your answer").bold().to_string())?;
        match &text {
            Some(t) => self.wrapped(t, INDENT, INDENT)?,
            None => self.line(style("  (nothing typed)").dim().to_string())?,
        }
        if typing.cut {
            self.line(
                style(format!(
                    "  Cut at {} KiB: what you typed after that was not kept.",
                    MAX_TEXT_BYTES / 1024
                ))
                .yellow()
                .to_string(),
            )?;
        }
        self.line("")?;
        Ok(text)
    }

    fn read_typing(&mut self, typing: &mut Typing) -> Result<()> {
        self.term.write_str(INDENT).map_err(io_error)?;
        loop {
            let was_cut = typing.cut;
            match typing.key(self.term.read_key().map_err(io_error)?) {
                Effect::Done => return self.term.write_line("").map_err(io_error),
                Effect::Echo(s) => self.term.write_str(&s).map_err(io_error)?,
                Effect::NewLine => self
                    .term
                    .write_str(&format!("\r\n{INDENT}"))
                    .map_err(io_error)?,
                Effect::Redraw { before } => self.redraw(typing, before)?,
                Effect::Nothing => {}
            }
            if typing.cut && !was_cut {
                // The bell, once: the limit is reached. The answer's record says more.
                self.term.write_str("\x07").map_err(io_error)?;
            }
        }
    }

    /// Draw the line being typed again, from the first of the rows it took with
    /// `before` columns (it may have wrapped at the terminal's edge).
    fn redraw(&self, typing: &Typing, before: usize) -> Result<()> {
        let line = typing.current_shown();
        let up = self.rows(INDENT.len() + before) - 1;
        let mut out = String::new();
        if up > 0 {
            out.push_str(&format!("\x1b[{up}A"));
        }
        out.push_str(&format!("\r\x1b[J{INDENT}{line}"));
        self.term.write_str(&out).map_err(io_error)
    }

    /// Terminal rows that a line of `width` columns takes, wrapped at the edge (a line
    /// exactly as wide as the terminal takes one).
    fn rows(&self, width: usize) -> usize {
        let columns = usize::from(self.term.size().1).max(1);
        width.div_ceil(columns).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(keys: &[Key]) -> (Typing, Vec<Effect>) {
        let mut t = Typing::default();
        let effects = keys.iter().map(|k| t.key(k.clone())).collect();
        (t, effects)
    }

    fn chars(s: &str) -> Vec<Key> {
        s.chars()
            .map(|c| if c == '\n' { Key::Enter } else { Key::Char(c) })
            .collect()
    }

    #[test]
    fn lines_until_an_empty_one() {
        let (t, effects) = typed(&chars("threat model\nclean vs attacked\n\n"));
        assert_eq!(t.text().as_deref(), Some("threat model\nclean vs attacked"));
        assert_eq!(effects.last(), Some(&Effect::Done));
        assert_eq!(effects[12], Effect::NewLine);
        assert!(!t.cut);
    }

    #[test]
    fn ctrl_d_ends_it_with_the_line_being_typed() {
        let mut keys = chars("one\ntwo");
        keys.push(Key::Char('\u{4}'));
        let (t, effects) = typed(&keys);
        assert_eq!(t.text().as_deref(), Some("one\ntwo"));
        assert_eq!(effects.last(), Some(&Effect::Done));
        let (t, _) = typed(&[Key::Enter]);
        assert_eq!(t.text(), None, "nothing typed");
    }

    #[test]
    fn backspace_takes_back_a_character_of_this_line() {
        let mut keys = chars("ab");
        keys.extend([Key::Backspace, Key::Backspace, Key::Backspace]);
        keys.extend(chars("c"));
        let (t, effects) = typed(&keys);
        assert_eq!(t.current_shown(), "c");
        assert_eq!(
            effects[2..5],
            [
                Effect::Redraw { before: 2 },
                Effect::Redraw { before: 1 },
                Effect::Nothing
            ]
        );
        assert_eq!(t.bytes, 1);
    }

    #[test]
    fn controls_are_kept_as_typed_and_shown_harmless() {
        let (t, effects) = typed(&[
            Key::Char('a'),
            Key::Char('\u{1b}'),
            Key::Char('\u{9b}'),
            Key::Tab,
        ]);
        assert_eq!(t.text().as_deref(), Some("a\u{1b}\u{9b}\t"));
        assert_eq!(
            effects,
            [
                Effect::Echo("a".into()),
                Effect::Echo("\u{fffd}".into()),
                Effect::Echo("\u{fffd}".into()),
                Effect::Echo(" ".into())
            ]
        );
        // Keys that are not text do nothing.
        let (t, effects) = typed(&[Key::ArrowUp, Key::Escape, Key::Del, Key::Home]);
        assert_eq!(
            (t.text(), effects.iter().all(|e| *e == Effect::Nothing)),
            (None, true)
        );
    }

    #[test]
    fn the_limit_cuts_and_says_so() {
        let mut t = Typing::default();
        for _ in 0..MAX_TEXT_BYTES / 2 {
            t.key(Key::Char('é'));
        }
        assert!(!t.cut);
        assert_eq!(t.key(Key::Char('x')), Effect::Nothing);
        assert_eq!(t.key(Key::Enter), Effect::Nothing);
        assert!(t.cut);
        assert_eq!(t.text().map(|s| s.len()), Some(MAX_TEXT_BYTES));
        assert_eq!(t.key(Key::Char('\u{4}')), Effect::Done);
    }

    #[test]
    fn a_pasted_blank_line_does_not_end_the_answer() {
        let mut keys = vec![
            Key::UnknownEscSeq(vec!['[', '2', '0']),
            Key::Char('0'),
            Key::Char('~'),
        ];
        keys.extend(chars("para one\n\npara two"));
        keys.extend([
            Key::UnknownEscSeq(vec!['[', '2', '0']),
            Key::Char('1'),
            Key::Char('~'),
        ]);
        keys.extend(chars("\n\n"));
        let (t, effects) = typed(&keys);
        assert_eq!(t.text().as_deref(), Some("para one\n\npara two"));
        assert_eq!(effects.last(), Some(&Effect::Done));
        // An unknown sequence that is not a marker is not text either.
        let (t, _) = typed(&[Key::UnknownEscSeq(vec!['[', '1', '5']), Key::Char('x')]);
        assert_eq!(t.text().as_deref(), Some("x"));
    }
}
