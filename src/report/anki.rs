//! `mlsec export --format anki`: the cards as an Anki plain-text notes file (File →
//! Import in Anki 2.1.55 or later), one Basic note per card.
//!
//! Columns: 1 guid, 2 Front, 3 Back, 4 tags, 5 deck. The guid is derived from
//! `deck/card`, so importing a newer export updates the notes instead of adding
//! duplicates. Fields are HTML (escaped text, line breaks as `<br>`); the file is
//! written by the `csv` crate with tabs, and a field holding `#` is quoted so that Anki
//! never takes a line for a comment.

use crate::deck::{CardBody, KEYS};
use crate::error::{Error, Result};
use crate::store::report::CardRecord;
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

/// The whole notes file.
pub fn notes(cards: &[CardRecord]) -> Result<Vec<u8>> {
    let deck = cards
        .first()
        .map_or_else(|| "mlsec".to_string(), |c| one_line(&c.deck_name));
    // `#deck:` names the deck, but Anki ignores it when no deck of that name exists yet;
    // the deck column, which comes later and so wins, creates it.
    let mut out = format!(
        "#separator:tab\n#html:true\n#notetype:Basic\n#deck:{deck}\n#guid column:1\n#tags column:4\n#deck column:5\n"
    )
    .into_bytes();
    let fail = |e: String| Error::Io {
        path: "<anki>".into(),
        source: std::io::Error::other(e),
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .comment(Some(b'#'))
        .from_writer(Vec::new());
    for card in cards {
        w.write_record([
            guid(card),
            front(&card.body),
            back(&card.body),
            tags(card),
            one_line(&card.deck_name),
        ])
        .map_err(|e| fail(e.to_string()))?;
    }
    out.extend(w.into_inner().map_err(|e| fail(e.to_string()))?);
    Ok(out)
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
