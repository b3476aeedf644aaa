//! Anki's plain-text notes (File → Export → "Notes in Plain Text", or a file written
//! for Anki's importer): optional `#key:value` header lines, then one note per line.
//!
//! Every note becomes a recall card: the first field is the prompt, the second the
//! model answer, further fields are added to the answer. A cloze note
//! (`{{c1::answer::hint}}`) asks with the gaps shown as `[…]` (or the hint) and answers
//! with the whole text, its gaps as the rubric. The `#guid column` gives each card its
//! id, so exporting again from Anki and re-importing updates the same cards.
//!
//! Headers read: `#separator` (Tab, Comma, Semicolon, Pipe, Space, Colon or the
//! character itself), `#html`, `#tags`, `#columns`, `#deck`, `#notetype`, and
//! `#deck column`, `#notetype column`, `#tags column`, `#guid column` (1-based).

use super::delimited::{Field, Reader, Record};
use super::{Named, RowDefaults, Rows, html, slug};
use crate::deck::{CardSink, valid_id};
use crate::error::{Error, Result};
use crate::import::reader::Parsed;
use crate::import::validate::Pos;
use crate::import::validate::{Fields, Val};

const HEADERS: [&str; 12] = [
    "separator",
    "html",
    "tags",
    "columns",
    "deck",
    "notetype",
    "deck column",
    "notetype column",
    "tags column",
    "guid column",
    "if matches",
    "match scope",
];

/// Does the text start with Anki's file headers?
pub fn looks_like(text: &str) -> bool {
    let first = text.lines().next().unwrap_or_default().to_ascii_lowercase();
    first.starts_with("tags:")
        || first
            .strip_prefix('#')
            .and_then(|l| l.split_once(':'))
            .is_some_and(|(key, _)| HEADERS.contains(&key.trim()))
}

#[derive(Default)]
struct Header {
    delimiter: Option<u8>,
    html: Option<bool>,
    tags: Vec<String>,
    columns: Option<String>,
    deck: Option<String>,
    deck_column: Option<usize>,
    notetype_column: Option<usize>,
    tags_column: Option<usize>,
    guid_column: Option<usize>,
    /// Where the notes start: byte offset and line.
    body: (usize, usize),
}

fn delimiter_named(value: &str) -> Option<u8> {
    Some(match value.trim().to_ascii_lowercase().as_str() {
        "tab" => b'\t',
        "comma" => b',',
        "semicolon" => b';',
        "pipe" => b'|',
        "space" => b' ',
        "colon" => b':',
        _ => match value.as_bytes() {
            [b @ (b'\t' | b',' | b';' | b'|' | b' ' | b':')] => *b,
            _ => return None,
        },
    })
}

fn read_header(text: &str, rows: &mut Rows<'_, '_>) -> Header {
    let mut h = Header::default();
    let mut offset = 0;
    let mut line_no = 1;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let this_line = line_no;
        let at = move |column: usize| Pos {
            line: this_line,
            column,
        };
        if line_no == 1 {
            if let Some(tags) = content.strip_prefix("tags:") {
                h.tags = tags.split_whitespace().map(str::to_string).collect();
                offset += line.len();
                line_no += 1;
                continue;
            }
        }
        let Some(meta) = content.strip_prefix('#') else {
            break;
        };
        offset += line.len();
        line_no += 1;
        let Some((raw_key, value)) = meta.split_once(':') else {
            continue; // a comment
        };
        let key = raw_key.trim().to_ascii_lowercase();
        let value_pos = at(raw_key.chars().count() + 3);
        let number = |rows: &mut Rows<'_, '_>| match value.trim().parse::<usize>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                rows.error(
                    value_pos,
                    format!(
                        "#{key} needs a column number (1 for the first column), found {value:?}"
                    ),
                );
                None
            }
        };
        match key.as_str() {
            "separator" => match delimiter_named(value) {
                Some(d) => h.delimiter = Some(d),
                None => rows.error(
                    value_pos,
                    format!("unknown separator {value:?} — use Tab, Comma, Semicolon, Pipe, Space or Colon"),
                ),
            },
            "html" => match value.trim().to_ascii_lowercase().as_str() {
                "true" => h.html = Some(true),
                "false" => h.html = Some(false),
                _ => rows.error(value_pos, format!("#html is true or false, found {value:?}")),
            },
            "tags" => h.tags = value.split_whitespace().map(str::to_string).collect(),
            "columns" => h.columns = Some(value.to_string()),
            "deck" => h.deck = Some(value.trim().to_string()).filter(|d| !d.is_empty()),
            "deck column" => h.deck_column = number(rows),
            "notetype column" => h.notetype_column = number(rows),
            "tags column" => h.tags_column = number(rows),
            "guid column" => h.guid_column = number(rows),
            "notetype" | "if matches" | "match scope" => {}
            other => {
                // Anki skips unknown headers as comments; a near miss is a typo, though.
                if let Some(known) = HEADERS.iter().find(|k| close(other, k)) {
                    rows.error(
                        at(2),
                        format!("unknown header `#{other}` — did you mean `#{known}`?"),
                    );
                }
            }
        }
    }
    h.body = (offset, line_no);
    h
}

/// Within two edits of each other (a typo), but not equal.
fn close(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b || a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()] <= 2
}

/// Anki's fallback when the file names no separator: the first of these found on the
/// first note's line.
fn guess_delimiter(text: &str, from: usize) -> u8 {
    let first = text
        .get(from..)
        .unwrap_or_default()
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .unwrap_or_default();
    [b'\t', b'|', b';', b',']
        .into_iter()
        .find(|&d| first.as_bytes().contains(&d))
        .unwrap_or(b'\t')
}

/// A card id for an Anki guid: the guid itself when it is a valid id, else a hex
/// spelling of it (guids use characters such as `!`, `{` and `;`).
pub fn guid_id(guid: &str) -> String {
    if valid_id(guid) {
        return guid.to_string();
    }
    if guid.len() <= 48 {
        let hex: String = guid.bytes().map(|b| format!("{b:02x}")).collect();
        format!("g-{hex}")
    } else {
        format!("g-{:016x}", slug::fnv1a(guid.as_bytes()))
    }
}

/// Read an Anki text file: its cards go to `sink` as they are read, the decks they
/// belong to are returned. `progress` is told the bytes read.
pub fn read(
    file: &str,
    text: &str,
    defaults: &RowDefaults<'_>,
    progress: &mut dyn FnMut(usize),
    sink: &mut dyn CardSink,
) -> Result<Vec<Parsed>, Error> {
    let mut rows = Rows::new(file, sink);
    let header = read_header(text, &mut rows);
    if rows.has_errors() {
        return rows.finish();
    }
    let (offset, line) = header.body;
    let delimiter = header
        .delimiter
        .unwrap_or_else(|| guess_delimiter(text, offset));
    let names: Vec<String> = header.columns.as_deref().map_or_else(Vec::new, |c| {
        Reader::new(c, delimiter, false)
            .next_record()
            .and_then(Result::ok)
            .map(|r| {
                r.fields
                    .iter()
                    .map(|f| f.text.trim().to_ascii_lowercase())
                    .collect()
            })
            .unwrap_or_default()
    });
    let notes = Notes {
        header: &header,
        names,
        defaults,
    };
    let mut reader = Reader::new(text, delimiter, true).starting_at(offset, line);
    let mut count = 0usize;
    while let Some(record) = reader.next_record() {
        match record {
            Ok(r) => notes.note(&r, &mut rows)?,
            Err((pos, message)) => {
                rows.error(pos, message);
                break;
            }
        }
        count += 1;
        if count % 4096 == 0 {
            progress(reader.offset());
        }
    }
    progress(reader.offset());
    if count == 0 && !rows.has_errors() {
        rows.error(
            Pos { line, column: 1 },
            "no notes in the file — export notes from Anki as \"Notes in Plain Text\"",
        );
    }
    rows.finish()
}

struct Notes<'h> {
    header: &'h Header,
    /// `#columns`, lowercased; empty without that header.
    names: Vec<String>,
    defaults: &'h RowDefaults<'h>,
}

impl Notes<'_> {
    fn meta<'r, 'a>(&self, record: &'r Record<'a>, column: Option<usize>) -> Option<&'r Field<'a>> {
        column.and_then(|c| record.fields.get(c - 1))
    }

    fn text(&self, field: &Field<'_>) -> String {
        let html = self
            .header
            .html
            .unwrap_or_else(|| html::looks_like_html(&field.text));
        if html {
            html::to_text(&field.text)
        } else {
            field.text.to_string()
        }
    }

    /// Check one note and pass its card on, in steps: which fields are the front and
    /// the back, the card's id, its text (a cloze's gaps, or front and back), its tags,
    /// then its deck and topic. A problem is reported and ends the note.
    fn note(&self, record: &Record<'_>, rows: &mut Rows<'_, '_>) -> Result<()> {
        let row_pos = Pos {
            line: record.line,
            column: 1,
        };
        let parts = self.parts(record);
        let Some(front) = parts.front() else {
            rows.error(row_pos, "the note has no fields — check #separator");
            return Ok(());
        };
        let front_text = self.text(front);
        let (id, id_pos) = self.id(record, &front_text, row_pos);
        let Some(text) = self.card_text(&parts, front_text, row_pos, rows) else {
            return Ok(());
        };
        let answer_pos = parts.back().map_or(front.pos, |f| f.pos);
        let card = Fields {
            pos: row_pos,
            id: Val::Text(&id, id_pos),
            kind: Val::Text("recall", row_pos),
            tags: self.tags(record, row_pos),
            prompt: Val::Text(&text.prompt, front.pos),
            answer: Val::Text(&text.answer, answer_pos),
            rubric: text
                .rubric
                .iter()
                .map(|g| (g.as_str(), front.pos))
                .collect(),
            ..Fields::default()
        };
        self.pass_on(record, row_pos, card, rows)
    }

    /// The note's fields (every column but the meta columns, with its `#columns` name)
    /// and which are its front and back.
    fn parts<'n, 'a>(&'n self, record: &'n Record<'a>) -> Parts<'n, 'a> {
        let h = self.header;
        let meta = [
            h.guid_column,
            h.notetype_column,
            h.deck_column,
            h.tags_column,
        ];
        let fields: Vec<(&Field<'_>, Option<&str>)> = record
            .fields
            .iter()
            .enumerate()
            .filter(|(i, _)| !meta.contains(&Some(i + 1)))
            .map(|(i, f)| (f, self.names.get(i).map(String::as_str)))
            .collect();
        let named = |wanted: &[&str]| {
            fields
                .iter()
                .position(|(_, n)| n.is_some_and(|n| wanted.contains(&n)))
        };
        let front = named(&["front", "text", "question"]).unwrap_or(0);
        // The back: by name, else the first other field that is not a cloze's extra.
        let back = named(&["back", "answer"]).or_else(|| {
            (0..fields.len()).find(|&i| {
                i != front
                    && !fields[i]
                        .1
                        .is_some_and(|n| n == "back extra" || n == "extra")
            })
        });
        Parts {
            fields,
            front,
            back,
        }
    }

    /// The card's id: the note's guid, else one made from its front.
    fn id(&self, record: &Record<'_>, front_text: &str, row_pos: Pos) -> (String, Pos) {
        let guid = self.meta(record, self.header.guid_column);
        let id = match guid.map(|f| f.text.trim()) {
            Some(guid) if !guid.is_empty() => guid_id(guid),
            _ => slug::text_id(front_text),
        };
        (id, guid.map_or(row_pos, |f| f.pos))
    }

    /// What the card asks and answers: a cloze asks its front with the gaps shown and
    /// has the gaps as its rubric; otherwise the front asks and the back answers. Every
    /// other field is added to the answer. `None` (reported) when a note has no back.
    fn card_text(
        &self,
        parts: &Parts<'_, '_>,
        front_text: String,
        row_pos: Pos,
        rows: &mut Rows<'_, '_>,
    ) -> Option<CardText> {
        let cloze = cloze(&front_text);
        let mut answer = match &cloze {
            Some(c) => c.answer.clone(),
            None => parts.back().map(|f| self.text(f)).unwrap_or_default(),
        };
        if cloze.is_none() && answer.trim().is_empty() {
            let pos = parts.back().map_or(row_pos, |f| f.pos);
            rows.error(
                pos,
                "the note's back is empty — a recall card needs a model answer: fill it in Anki, or check #separator and #columns",
            );
            return None;
        }
        for (i, (f, _)) in parts.fields.iter().enumerate() {
            if i == parts.front || (cloze.is_none() && Some(i) == parts.back) {
                continue;
            }
            let extra = self.text(f);
            if !extra.trim().is_empty() {
                answer.push_str("\n\n");
                answer.push_str(extra.trim());
            }
        }
        Some(match cloze {
            Some(c) => CardText {
                prompt: c.prompt,
                answer,
                rubric: c.gaps,
            },
            None => CardText {
                prompt: front_text,
                answer,
                rubric: Vec::new(),
            },
        })
    }

    /// `#tags`, for every note, and the note's own from its tags column.
    fn tags<'n>(&'n self, record: &'n Record<'_>, row_pos: Pos) -> Vec<(&'n str, Pos)> {
        let mut tags: Vec<(&str, Pos)> = self
            .header
            .tags
            .iter()
            .map(|t| (t.as_str(), row_pos))
            .collect();
        if let Some(f) = self.meta(record, self.header.tags_column) {
            tags.extend(f.text.split_whitespace().map(|t| (t, f.pos)));
        }
        tags
    }

    /// Pass the card on to its deck (the note's deck column, `#deck`, else the default
    /// deck) and topic (the deck path's last level, unless `--topic` is given).
    fn pass_on(
        &self,
        record: &Record<'_>,
        row_pos: Pos,
        card: Fields<'_>,
        rows: &mut Rows<'_, '_>,
    ) -> Result<()> {
        let path = self
            .meta(record, self.header.deck_column)
            .map(|f| f.text.trim())
            .filter(|d| !d.is_empty())
            .or(self.header.deck.as_deref());
        let deck_key = path.unwrap_or("");
        let deck = || match path {
            Some(p) => Named {
                id: slug::slug(p),
                name: p.to_string(),
            },
            None => Named {
                id: self.defaults.deck.id.clone(),
                name: self.defaults.deck.name.clone(),
            },
        };
        // The last level of the deck path (`ML Security::Privacy` → `privacy`), unless
        // --topic says otherwise.
        let topic_key = match self.defaults.topic {
            Some(t) => t,
            None => path
                .unwrap_or(&self.defaults.deck.name)
                .rsplit("::")
                .next()
                .unwrap_or_default()
                .trim(),
        };
        let topic = || Named {
            id: match self.defaults.topic {
                Some(t) => t.to_string(),
                None => slug::slug(topic_key),
            },
            name: topic_key.to_string(),
        };
        rows.card(deck_key, deck, (topic_key, row_pos), topic, card)
    }
}

/// A note's fields, with their `#columns` names, and which are its front and back.
struct Parts<'n, 'a> {
    fields: Vec<(&'n Field<'a>, Option<&'n str>)>,
    front: usize,
    back: Option<usize>,
}

impl<'n, 'a> Parts<'n, 'a> {
    fn front(&self) -> Option<&'n Field<'a>> {
        self.fields.get(self.front).map(|(f, _)| *f)
    }

    fn back(&self) -> Option<&'n Field<'a>> {
        self.back.and_then(|b| self.fields.get(b)).map(|(f, _)| *f)
    }
}

/// What a card asks and answers, as text.
struct CardText {
    prompt: String,
    answer: String,
    rubric: Vec<String>,
}

struct Cloze {
    prompt: String,
    answer: String,
    gaps: Vec<String>,
}

/// `{{c1::answer}}` and `{{c1::answer::hint}}` gaps: the text with gaps shown, the text
/// filled in, and the answers. `None` when the text has no gap.
fn cloze(text: &str) -> Option<Cloze> {
    let mut c = Cloze {
        prompt: String::with_capacity(text.len()),
        answer: String::with_capacity(text.len()),
        gaps: Vec::new(),
    };
    let mut rest = text;
    while let Some(start) = rest.find("{{c") {
        let after = &rest[start + 3..];
        let digits = after.len()
            - after
                .trim_start_matches(|ch: char| ch.is_ascii_digit())
                .len();
        let body_start = 3 + digits + 2;
        let opens = digits > 0 && after[digits..].starts_with("::");
        let end = rest[start..].find("}}");
        let (true, Some(end)) = (opens, end.filter(|&e| e >= body_start)) else {
            c.prompt.push_str(&rest[..start + 3]);
            c.answer.push_str(&rest[..start + 3]);
            rest = &rest[start + 3..];
            continue;
        };
        let body = &rest[start + body_start..start + end];
        let (answer, hint) = match body.split_once("::") {
            Some((a, h)) => (a, Some(h)),
            None => (body, None),
        };
        c.prompt.push_str(&rest[..start]);
        c.answer.push_str(&rest[..start]);
        c.prompt.push('[');
        c.prompt
            .push_str(hint.filter(|h| !h.trim().is_empty()).unwrap_or("…"));
        c.prompt.push(']');
        c.answer.push_str(answer);
        if !answer.trim().is_empty() {
            c.gaps.push(answer.trim().to_string());
        }
        rest = &rest[start + end + 2..];
    }
    if c.gaps.is_empty() {
        return None;
    }
    c.prompt.push_str(rest);
    c.answer.push_str(rest);
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{CardBody, Deck};
    use crate::import::reader::{Discard, Keep};

    fn defaults() -> RowDefaults<'static> {
        RowDefaults {
            deck: Named {
                id: "export".into(),
                name: "export".into(),
            },
            topic: None,
        }
    }

    fn parse_ok(text: &str) -> Vec<Deck> {
        let mut keep = Keep::default();
        let decks = read("f.txt", text, &defaults(), &mut |_| {}, &mut keep).unwrap();
        decks
            .into_iter()
            .zip(keep.cards)
            .map(|(mut d, (_, cards))| {
                d.deck.cards = cards;
                d.deck
            })
            .collect()
    }

    fn errors(text: &str) -> Vec<String> {
        match read("f.txt", text, &defaults(), &mut |_| {}, &mut Discard) {
            Ok(_) => vec![],
            Err(Error::Content(d)) => d.iter().map(ToString::to_string).collect(),
            Err(e) => vec![e.to_string()],
        }
    }

    fn recall(deck: &Deck, i: usize) -> (&str, &str, &[String]) {
        match &deck.cards[i].body {
            CardBody::Recall {
                prompt,
                answer,
                rubric,
            } => (prompt, answer, rubric),
            CardBody::Choice { .. } => panic!("not a recall card"),
        }
    }

    #[test]
    fn a_modern_export_with_guid_deck_and_tags_columns() {
        let decks = parse_ok(
            "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n\
             f!gk2]Lm;q\tBasic\tML Security::Privacy\tWhat is <b>DP</b>?\tA bound on<br>influence\tprivacy defend\n\
             AbC123\tBasic\tML Security::Privacy\tMIA?\tMembership &amp; inference\t\n",
        );
        assert_eq!(decks.len(), 1);
        let deck = &decks[0];
        assert_eq!(
            (deck.id.as_str(), deck.name.as_str()),
            ("ml-security.privacy", "ML Security::Privacy")
        );
        assert_eq!(deck.topics[0].id.as_str(), "privacy");
        assert_eq!(deck.cards[0].id.as_str(), "g-6621676b325d4c6d3b71");
        assert_eq!(deck.cards[1].id.as_str(), "AbC123");
        assert_eq!(recall(deck, 0).0, "What is DP?");
        assert_eq!(recall(deck, 0).1, "A bound on\ninfluence");
        assert_eq!(recall(deck, 1).1, "Membership & inference");
        assert_eq!(deck.cards[0].tags, ["privacy", "defend"]);
    }

    #[test]
    fn separators_by_name_and_by_character() {
        for (header, line) in [
            ("#separator:Comma", "Q,A"),
            ("#separator:semicolon", "Q;A"),
            ("#separator:Pipe", "Q|A"),
            ("#separator:|", "Q|A"),
            ("#separator:\t", "Q\tA"),
            ("#separator:Tab", "Q\tA"),
        ] {
            let decks = parse_ok(&format!("{header}\n#html:false\n{line}\n"));
            assert_eq!(recall(&decks[0], 0).0, "Q", "{header}");
            assert_eq!(recall(&decks[0], 0).1, "A", "{header}");
        }
        // No header at all: Anki's guess from the first line.
        let decks = parse_ok("front one\tback, with comma\n");
        assert_eq!(recall(&decks[0], 0).1, "back, with comma");
        assert_eq!(decks[0].id.as_str(), "export");
    }

    #[test]
    fn columns_header_and_global_tags_and_deck() {
        let decks = parse_ok(
            "#separator:;\n#columns:Back;Front;Notes\n#deck:Interview\n#tags:anki imported\n\
             An answer;A question;An extra\n",
        );
        let (prompt, answer, _) = recall(&decks[0], 0);
        assert_eq!(prompt, "A question");
        assert_eq!(answer, "An answer\n\nAn extra");
        assert_eq!(decks[0].id.as_str(), "interview");
        assert_eq!(decks[0].cards[0].tags, ["anki", "imported"]);
    }

    #[test]
    fn cloze_notes() {
        let decks = parse_ok(
            "#separator:tab\n#html:true\n#notetype:Cloze\n\
             {{c1::Clipping}} bounds each example's {{c2::gradient::what?}}.\tSee DP-SGD.\n",
        );
        let (prompt, answer, rubric) = recall(&decks[0], 0);
        assert_eq!(prompt, "[…] bounds each example's [what?].");
        assert_eq!(
            answer,
            "Clipping bounds each example's gradient.\n\nSee DP-SGD."
        );
        assert_eq!(rubric, ["Clipping", "gradient"]);
    }

    #[test]
    fn header_and_note_problems_are_located() {
        assert_eq!(
            errors("#separator:Tabs\nQ\tA\n"),
            [
                "f.txt:1:12: unknown separator \"Tabs\" — use Tab, Comma, Semicolon, Pipe, Space or Colon"
            ]
        );
        assert_eq!(
            errors("#seperator:tab\nQ\tA\n"),
            ["f.txt:1:2: unknown header `#seperator` — did you mean `#separator`?"]
        );
        assert!(errors("#guid column:x\nQ\tA\n")[0].contains("needs a column number"));
        assert!(errors("#html:yes\nQ\tA\n")[0].contains("#html is true or false"));
        let errs = errors("#separator:tab\nQ1\tA1\nQ2\t\nQ1\tA again\n");
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(
            errs[0].starts_with("f.txt:3:4: the note's back is empty"),
            "{errs:?}"
        );
        assert!(
            errs[1].starts_with("f.txt:4:1: duplicate card id"),
            "{errs:?}"
        );
        assert!(errors("#separator:tab\n# only comments\n")[0].contains("no notes"));
        // A comment with a colon is still a comment.
        assert!(errors("#Source: my notes\nQ\tA\n").is_empty());
    }

    #[test]
    fn recognised_by_its_headers() {
        assert!(looks_like("#separator:tab\n"));
        assert!(looks_like("#HTML:true\n"));
        assert!(looks_like("tags:a b\nQ\tA\n"));
        assert!(!looks_like("# a comment\n"));
        assert!(!looks_like("[deck]\n"));
    }
}
