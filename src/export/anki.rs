//! `mlsec export --format anki`: the cards as an Anki plain-text notes file (File →
//! Import in Anki 2.1.55 or later), one Basic note per card.
//!
//! Columns: 1 guid, 2 Front, 3 Back, 4 tags, 5 deck. The guid is derived from
//! `deck/card`, so importing a newer export updates the notes instead of adding
//! duplicates. Fields are HTML (escaped text, line breaks as `<br>`); the file is
//! written by the `csv` crate with tabs, and a field holding `#` is quoted so that Anki
//! never takes a line for a comment.

use std::io::Write;
use std::path::Path;

use crate::deck::{CardBody, KEYS};
use crate::error::{Error, Result};
use crate::store::cards::CardRecord;
use crate::store::{Filter, Store};
use crate::text;

/// The stable note id of a card.
pub fn guid(card: &CardRecord) -> String {
    format!("mlsec:{}", card.full_id())
}

/// Text as HTML: `& < > "` escaped, line breaks as `<br>`, tabs as spaces.
pub fn html(s: &str) -> String {
    let s = text::for_terminal(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A name for a header line or the deck column: one line, no tabs.
fn one_line(s: &str) -> String {
    text::for_terminal(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Front: the question and, for a choice card, its options in file order.
pub fn front(body: &CardBody) -> String {
    match body {
        CardBody::Choice {
            question, options, ..
        } => {
            let items: String = options
                .iter()
                .map(|o| format!("<li>{}</li>", html(&o.text)))
                .collect();
            format!("<div>{}</div><ol type=A>{items}</ol>", html(question))
        }
        CardBody::Recall { prompt, .. } => format!("<div>{}</div>", html(prompt)),
    }
}

/// Back: the correct answer, why it is right, and the explanation (choice); the model
/// answer and the rubric (recall).
pub fn back(body: &CardBody) -> String {
    match body {
        CardBody::Choice {
            options,
            answer,
            explanation,
            ..
        } => {
            let mut out = String::new();
            if let Some(o) = options.get(*answer) {
                let key = KEYS.get(*answer).copied().unwrap_or('?');
                out.push_str(&format!("<div><b>{key}. {}</b></div>", html(&o.text)));
                if !o.why.is_empty() {
                    out.push_str(&format!("<div>{}</div>", html(&o.why)));
                }
            }
            if !explanation.is_empty() {
                out.push_str(&format!("<hr><div>{}</div>", html(explanation)));
            }
            out
        }
        CardBody::Recall { answer, rubric, .. } => {
            let mut out = format!("<div>{}</div>", html(answer));
            if !rubric.is_empty() {
                let items: String = rubric
                    .iter()
                    .map(|r| format!("<li>{}</li>", html(r)))
                    .collect();
                out.push_str(&format!(
                    "<hr><div>A good answer covers:</div><ul>{items}</ul>"
                ));
            }
            out
        }
    }
}

/// Anki tags: the topic, then the card's tags; spaces inside a tag become `_` (Anki
/// separates tags by spaces).
pub fn tags(card: &CardRecord) -> String {
    let mut tags: Vec<String> = Vec::new();
    for t in std::iter::once(card.topic.as_str()).chain(card.tags.iter().map(String::as_str)) {
        let t = one_line(t).replace(' ', "_");
        if !t.is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
    tags.join(" ")
}

/// The notes file of the filtered cards (retired ones left out), written to `out` one
/// note at a time; the number of notes. `path` names the output in errors.
pub fn write_notes<W: Write>(store: &Store, filter: &Filter, out: W, path: &Path) -> Result<u64> {
    let io = |e: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let csv_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => io(e),
        other => io(std::io::Error::other(format!("{other:?}"))),
    };
    let builder = {
        let mut b = csv::WriterBuilder::new();
        b.delimiter(b'\t')
            .comment(Some(b'#'))
            .buffer_capacity(1 << 16);
        b
    };
    // The header names the first note's deck, so the csv writer starts with that note.
    let mut out = Some(out);
    let mut w: Option<csv::Writer<W>> = None;
    let mut notes = 0;
    store.each_card(filter, false, None, |card| {
        if let Some(mut raw) = out.take() {
            header(&mut raw, &card.deck_name).map_err(io)?;
            w = Some(builder.from_writer(raw));
        }
        let Some(w) = w.as_mut() else {
            return Ok(());
        };
        notes += 1;
        w.write_record([
            guid(&card),
            front(&card.body),
            back(&card.body),
            tags(&card),
            one_line(&card.deck_name),
        ])
        .map_err(csv_error)
    })?;
    match (out, w) {
        (Some(mut raw), _) => header(&mut raw, "mlsec").and_then(|()| raw.flush()),
        (None, Some(mut w)) => w.flush(),
        (None, None) => Ok(()),
    }
    .map_err(io)?;
    Ok(notes)
}

/// The header lines, naming the deck of the first note.
fn header(out: &mut impl Write, deck_name: &str) -> std::io::Result<()> {
    // `#deck:` names the deck, but Anki ignores it when no deck of that name exists yet;
    // the deck column, which comes later and so wins, creates it.
    write!(
        out,
        "#separator:tab\n#html:true\n#notetype:Basic\n#deck:{}\n#guid column:1\n#tags column:4\n#deck column:5\n",
        one_line(deck_name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::ChoiceOption;

    #[test]
    fn html_escapes_markup_and_keeps_line_breaks() {
        assert_eq!(
            html("<script>\"a\" & b\nc\td"),
            "&lt;script&gt;&quot;a&quot; &amp; b<br>c d"
        );
    }

    #[test]
    fn choice_back_has_the_key_answer_reason_and_explanation() {
        let body = CardBody::Choice {
            question: "Q?".into(),
            options: vec![
                ChoiceOption {
                    text: "wrong".into(),
                    why: "no".into(),
                },
                ChoiceOption {
                    text: "right <b>".into(),
                    why: "because".into(),
                },
            ],
            answer: 1,
            explanation: "structure".into(),
        };
        assert_eq!(
            front(&body),
            "<div>Q?</div><ol type=A><li>wrong</li><li>right &lt;b&gt;</li></ol>"
        );
        assert_eq!(
            back(&body),
            "<div><b>B. right &lt;b&gt;</b></div><div>because</div><hr><div>structure</div>"
        );
    }
}
