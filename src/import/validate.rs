//! The rules every card must satisfy, whatever its format: a reader hands over a card's
//! `Fields` as it found them (a TOML or JSON table, or the cells of a row), and
//! `Validator` checks them (an id, a known topic, an answer among 2 to 8 options, …)
//! into a [`Card`], collecting every problem with `file:line:column` instead of stopping
//! at the first. Text is neutralised here too, and what was removed is counted.
//!
//! Each message says what to type in the file at hand ([`Syntax`]): a missing field is
//! `add \`answer = "…"\`` in TOML, `add "answer": "…"` in JSON, `fill the \`answer\` cell`
//! in a spreadsheet.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::deck::{Card, CardBody, CardId, ChoiceOption, KEYS, TopicId, valid_id};
use crate::error::Diagnostic;
use crate::text;

/// How the file being checked spells tables and fields, so that every "what to do" in a
/// message shows what to type in that file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Json,
    /// One card per row (CSV, Anki text): fields are cells.
    Rows,
}

/// The parts of a deck file that messages name.
#[derive(Clone, Copy)]
pub(crate) enum Part {
    File,
    Deck,
    Topic,
    Card,
    Option,
}

impl Syntax {
    pub(crate) fn label(self, part: Part) -> &'static str {
        match (self, part) {
            (_, Part::File) => "the file",
            (Syntax::Toml, Part::Deck) => "[deck]",
            (Syntax::Toml, Part::Topic) => "[[topic]]",
            (Syntax::Toml, Part::Card) => "[[card]]",
            (Syntax::Toml, Part::Option) => "[[card.option]]",
            (_, Part::Deck) => "the deck object",
            (_, Part::Topic) => "a topic",
            (Syntax::Json, Part::Card) => "a card",
            (Syntax::Rows, Part::Card) => "the row",
            (_, Part::Option) => "an option",
        }
    }

    /// What to write to supply a missing field.
    pub(crate) fn add_field(self, key: &str) -> String {
        match self {
            Syntax::Toml => format!("add `{key} = \"…\"`"),
            Syntax::Json => format!("add \"{key}\": \"…\""),
            Syntax::Rows => format!("fill the `{key}` cell"),
        }
    }
}

/// The checks shared by every format, and the problems they found. A whole-file format
/// walks its tree into [`Fields`] ([`crate::import::tree`]); a row format fills them
/// from one row's cells at a time, so a large spreadsheet never exists as a whole tree
/// in memory. Either way [`Validator::check_card`] applies the same rules.
pub(crate) struct Validator<'a> {
    file: &'a str,
    syntax: Syntax,
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) neutralised: usize,
}

impl<'a> Validator<'a> {
    pub(crate) fn new(file: &'a str, syntax: Syntax) -> Validator<'a> {
        Validator {
            file,
            syntax,
            diags: Vec::new(),
            neutralised: 0,
        }
    }

    pub(crate) fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.diags.push(Diagnostic {
            file: self.file.to_string(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
        });
    }

    /// Neutralised text (see [`text::neutralise`]), counting what was removed.
    pub(crate) fn clean<'s>(&mut self, s: &'s str) -> Cow<'s, str> {
        // Printable ASCII (with tabs and line breaks) not padded by white space is what
        // `neutralise` returns unchanged: skip its character loop, which dominates the
        // reading of a large spreadsheet, and borrow instead of copying.
        if is_plain(s) {
            return Cow::Borrowed(s);
        }
        let (clean, removed) = text::neutralise(s);
        self.neutralised += removed;
        Cow::Owned(clean)
    }

    /// A required, non-empty field; `at` is where a missing one is reported.
    fn need<'t>(
        &mut self,
        v: Val<'t>,
        key: &str,
        at: Pos,
        what: &str,
    ) -> Option<(Cow<'t, str>, Pos)> {
        match v {
            Val::Missing => {
                let hint = self.syntax.add_field(key);
                self.error(at, format!("{what} is missing `{key}` — {hint}"));
                None
            }
            Val::Invalid => None,
            Val::Text(s, pos) => {
                let s = self.clean(s);
                if s.is_empty() {
                    self.error(pos, format!("`{key}` is empty — write the {key} text"));
                    return None;
                }
                Some((s, pos))
            }
        }
    }

    fn maybe(&mut self, v: Val<'_>) -> String {
        match v {
            Val::Text(s, _) => self.clean(s).into_owned(),
            _ => String::new(),
        }
    }

    /// Every rule about a card, whatever the format it came from.
    pub(crate) fn check_card(&mut self, f: &Fields<'_>, topics: &HashSet<String>) -> Option<Card> {
        let card = self.syntax.label(Part::Card);
        let id = self.need(f.id, "id", f.pos, card).and_then(|(id, pos)| {
            if valid_id(&id) {
                Some(id.into_owned())
            } else {
                self.error(
                    pos,
                    format!("invalid id {id:?} — use letters, digits, '.', '_' and '-' (no spaces or '/'), at most 100"),
                );
                None
            }
        });
        let kind = self.need(f.kind, "kind", f.pos, card);
        let topic = self.need(f.topic, "topic", f.pos, card);
        if let Some((t, pos)) = &topic {
            if !topics.contains(t.as_ref()) {
                let known: Vec<&str> = topics.iter().map(String::as_str).collect();
                let declare = match self.syntax {
                    Syntax::Toml => "declare it in a [[topic]] table",
                    _ => "declare it in \"topic\"",
                };
                self.error(
                    *pos,
                    format!("unknown topic {t:?} — {declare} (known: {})", sorted(known)),
                );
            }
        }
        let tags = f
            .tags
            .iter()
            .map(|&(t, _)| self.clean(t).into_owned())
            .collect();
        let body = match kind.as_ref().map(|(k, p)| (k.as_ref(), *p)) {
            Some(("choice", _)) => self.choice(f),
            Some(("recall", _)) => self.recall(f),
            Some((other, pos)) => {
                self.error(
                    pos,
                    format!("unknown kind {other:?} — use \"choice\" or \"recall\""),
                );
                None
            }
            None => None,
        };
        Some(Card {
            id: CardId::new(id?),
            topic: TopicId::new(topic?.0.into_owned()),
            tags,
            body: body?,
        })
    }

    fn choice(&mut self, f: &Fields<'_>) -> Option<CardBody> {
        let question = self.need(f.question, "question", f.pos, "a choice card");
        let answer = self.need(f.answer, "answer", f.pos, "a choice card");
        let explanation = self.maybe(f.explanation);
        let options: Vec<ChoiceOption> = match &f.options {
            Options::Missing => {
                let message = match self.syntax {
                    Syntax::Toml => {
                        "a choice card needs options — add [[card.option]] tables with `text = \"…\"`"
                    }
                    Syntax::Json => {
                        "a choice card needs options — add \"option\": [{\"text\": \"…\"}, …]"
                    }
                    Syntax::Rows => {
                        "a choice card needs options — fill the option cells (a, b, … or options)"
                    }
                };
                self.error(f.pos, message);
                return None;
            }
            Options::Invalid => return None,
            Options::Given(pos, items) => {
                if items.len() < 2 || items.len() > KEYS.len() {
                    self.error(
                        *pos,
                        format!("a choice card needs 2 to 8 options, found {}", items.len()),
                    );
                }
                let label = self.syntax.label(Part::Option);
                items
                    .iter()
                    .flatten()
                    .filter_map(|o| {
                        let text = self.need(o.text, "text", o.pos, label)?.0.into_owned();
                        let why = self.maybe(o.why);
                        Some(ChoiceOption { text, why })
                    })
                    .collect()
            }
        };
        let (answer, pos) = answer?;
        let index = match answer.trim().as_bytes() {
            [c] => KEYS
                .iter()
                .position(|&k| u32::from(k) == u32::from(c.to_ascii_uppercase())),
            _ => None,
        };
        let index = match index {
            Some(i) if i < options.len() => i,
            _ => {
                let last = KEYS[options.len().clamp(1, KEYS.len()) - 1];
                self.error(
                    pos,
                    format!("answer {answer:?} is not one of the options — use a key from A to {last}, in file order"),
                );
                return None;
            }
        };
        Some(CardBody::Choice {
            question: question?.0.into_owned(),
            options,
            answer: index,
            explanation,
        })
    }

    fn recall(&mut self, f: &Fields<'_>) -> Option<CardBody> {
        let prompt = self.need(f.prompt, "prompt", f.pos, "a recall card");
        let answer = self.need(f.answer, "answer", f.pos, "a recall card");
        let rubric = f
            .rubric
            .iter()
            .map(|&(r, _)| self.clean(r).into_owned())
            .collect();
        Some(CardBody::Recall {
            prompt: prompt?.0.into_owned(),
            answer: answer?.0.into_owned(),
            rubric,
        })
    }
}

/// Where a value starts in its file: 1-based line and column; `line == 0` when the reader cannot tell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A field as a reader found it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) enum Val<'t> {
    #[default]
    Missing,
    /// Present but not text; already reported.
    Invalid,
    Text(&'t str, Pos),
}

/// The options of a choice card as found.
#[derive(Debug, Default)]
pub(crate) enum Options<'t> {
    #[default]
    Missing,
    /// Present but not a list; already reported.
    Invalid,
    /// Where the list starts, and each option (`None`: not a table, already reported).
    Given(Pos, Vec<Option<OptionFields<'t>>>),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct OptionFields<'t> {
    pub pos: Pos,
    pub text: Val<'t>,
    pub why: Val<'t>,
}

/// A card's fields as a reader found them, before any rule is checked: a TOML or JSON
/// table, or the cells of a row.
#[derive(Debug, Default)]
pub(crate) struct Fields<'t> {
    /// Where the card starts (a missing field is reported here).
    pub pos: Pos,
    pub id: Val<'t>,
    pub kind: Val<'t>,
    pub topic: Val<'t>,
    pub tags: Vec<(&'t str, Pos)>,
    pub question: Val<'t>,
    pub answer: Val<'t>,
    pub explanation: Val<'t>,
    pub options: Options<'t>,
    pub prompt: Val<'t>,
    pub rubric: Vec<(&'t str, Pos)>,
}

fn is_plain(s: &str) -> bool {
    let b = s.as_bytes();
    let edge = |c: Option<&u8>| !matches!(c, Some(b' ' | b'\n' | b'\t'));
    // Without an early exit the scan compiles to vector instructions.
    let odd = b.iter().fold(false, |odd, &c| {
        odd | (c >= 0x7f) | (c < 0x20 && c != b'\n' && c != b'\t')
    });
    edge(b.first()) && edge(b.last()) && !odd
}

fn sorted(mut items: Vec<&str>) -> String {
    items.sort_unstable();
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::import::parse_toml;

    const GOOD: &str = r#"
[deck]
id = "d"
name = "A deck"
framework = ["one", "two"]

[[topic]]
id = "t"
name = "Topic"

[[card]]
id = "c1"
kind = "choice"
topic = "t"
tags = ["classify"]
question = "Q?"
answer = "b"
explanation = "Because."
[[card.option]]
text = "first"
why = "no"
[[card.option]]
text = "second"
why = "yes"

[[card]]
id = "c2"
kind = "recall"
topic = "t"
prompt = "Say it"
answer = "It"
rubric = ["point"]
"#;

    fn errors(text: &str) -> Vec<String> {
        match parse_toml("f.toml", text) {
            Ok(_) => vec![],
            Err(Error::Content(d)) => d.iter().map(ToString::to_string).collect(),
            Err(e) => vec![e.to_string()],
        }
    }

    #[test]
    fn parses_a_valid_deck() {
        let deck = parse_toml("f.toml", GOOD).unwrap();
        assert_eq!(deck.id.as_str(), "d");
        assert_eq!(deck.framework, ["one", "two"]);
        assert_eq!(deck.cards.len(), 2);
        let CardBody::Choice {
            answer, options, ..
        } = &deck.cards[0].body
        else {
            panic!("not a choice card")
        };
        assert_eq!((*answer, options.len()), (1, 2));
        assert_eq!(deck.cards[1].body.kind(), "recall");
    }

    #[test]
    fn every_rule_is_reported_with_its_line() {
        let bad = GOOD
            .replace("topic = \"t\"\ntags", "topic = \"nope\"\ntags")
            .replace("answer = \"b\"", "answer = \"E\"")
            .replace("id = \"c2\"", "id = \"c1\"")
            .replace("prompt = \"Say it\"\n", "");
        let errs = errors(&bad);
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.toml:14:9:") && e.contains("unknown topic \"nope\"")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.toml:17:10:") && e.contains("answer \"E\"")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.toml:27:6:") && e.contains("duplicate card id \"c1\"")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.toml:26:1:") && e.contains("missing `prompt`")),
            "{errs:#?}"
        );
    }

    #[test]
    fn option_count_limits() {
        let one = GOOD
            .replacen("[[card.option]]\ntext = \"second\"\nwhy = \"yes\"\n", "", 1)
            .replace("answer = \"b\"", "answer = \"A\"");
        assert!(
            errors(&one)
                .iter()
                .any(|e| e.contains("2 to 8 options, found 1")),
            "{:?}",
            errors(&one)
        );
        let many = GOOD.replacen(
            "[[card.option]]\ntext = \"first\"",
            &"[[card.option]]\ntext = \"x\"\n".repeat(8),
            1,
        );
        assert!(
            errors(&many).iter().any(|e| e.contains("2 to 8 options")),
            "{:?}",
            errors(&many)
        );
    }

    #[test]
    fn unknown_fields_and_missing_deck() {
        let typo = GOOD.replace("explanation =", "explaination =");
        assert!(
            errors(&typo)
                .iter()
                .any(|e| e.contains("unknown field `explaination`"))
        );
        assert!(
            errors("[[card]]\nid = \"x\"\n")
                .iter()
                .any(|e| e.contains("missing [deck]"))
        );
    }

    #[test]
    fn hostile_characters_are_counted_and_removed() {
        let hostile = GOOD.replace("Q?", "Q\\u001b[2J?\\u202e");
        let deck = parse_toml("f.toml", &hostile).unwrap();
        assert_eq!(deck.neutralised, 2);
        assert_eq!(deck.cards[0].body.question(), "Q[2J?");
    }

    #[test]
    fn the_plain_text_shortcut_agrees_with_neutralise() {
        for s in [
            "",
            "abc",
            "a b\tc\nd",
            " a",
            "a ",
            "a\n",
            "\ta",
            "a\rb",
            "é",
            "a\u{1b}b",
        ] {
            if is_plain(s) {
                assert_eq!(text::neutralise(s), (s.to_string(), 0), "{s:?}");
            }
        }
        assert!(is_plain("The interviewer asks: \"why?\"\n- point"));
        assert!(!is_plain("a\rb") && !is_plain(" a") && !is_plain("é"));
    }
}
