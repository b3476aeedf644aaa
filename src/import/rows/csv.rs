//! Spreadsheets: CSV with a header row, one card per row.
//!
//! Columns (any order, names case-insensitive, spaces and dashes read as `_`):
//! `id`, `deck`, `topic`, `kind`, `question`, `a`…`h` (or `option_a`…) or `options`
//! (all options in one cell, separated by `|`), `answer`, `explanation`, `why_a`…`why_h`,
//! `tags`, and for recall rows `prompt`, `answer` (the model answer) and `rubric`
//! (points separated by `|` or line breaks). The separator is found from the header:
//! `,`, `;`, tab or `|`.

use super::delimited::{Field, Reader, Record};
use super::{Named, RowDefaults, Rows, slug};
use crate::deck::{CardSink, KEYS};
use crate::error::{Diagnostic, Error, Result};
use crate::import::reader::Parsed;
use crate::import::validate::Pos;
use crate::import::validate::{Fields, OptionFields, Options, Val};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Id,
    Deck,
    Topic,
    Kind,
    Question,
    Prompt,
    Option(usize),
    Options,
    Answer,
    Explanation,
    Why(usize),
    Tags,
    Rubric,
    /// A column without a name whose cells are all empty (spreadsheets add them).
    Blank,
}

impl Column {
    /// A dense index, for a lookup table instead of a map: rows read many cells each.
    fn slot(self) -> usize {
        match self {
            Column::Id => 0,
            Column::Deck => 1,
            Column::Topic => 2,
            Column::Kind => 3,
            Column::Question => 4,
            Column::Prompt => 5,
            Column::Option(i) => 6 + i.min(7),
            Column::Options => 14,
            Column::Answer => 15,
            Column::Explanation => 16,
            Column::Why(i) => 17 + i.min(7),
            Column::Tags => 25,
            Column::Rubric => 26,
            Column::Blank => 27,
        }
    }
}

/// Which cell of a row holds each column.
#[derive(Default)]
struct Slots([Option<usize>; 28]);

impl Slots {
    fn get(&self, c: &Column) -> Option<&usize> {
        self.0[c.slot()].as_ref()
    }
    fn insert(&mut self, c: Column, i: usize) {
        self.0[c.slot()] = Some(i);
    }
    fn contains_key(&self, c: &Column) -> bool {
        self.0[c.slot()].is_some()
    }
}

const COLUMNS: &str = "id, deck, topic, kind, question, a … h (or options), answer, explanation, why_a … why_h, tags, prompt, rubric";

fn column(name: &str) -> Option<Column> {
    let norm: String = name
        .trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    let key = |s: &str| {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => KEYS.iter().position(|&k| k == c.to_ascii_uppercase()),
            _ => None,
        }
    };
    Some(match norm.as_str() {
        "id" => Column::Id,
        "deck" => Column::Deck,
        "topic" => Column::Topic,
        "kind" | "type" => Column::Kind,
        "question" => Column::Question,
        "prompt" => Column::Prompt,
        "options" => Column::Options,
        "answer" => Column::Answer,
        "explanation" => Column::Explanation,
        "tags" => Column::Tags,
        "rubric" => Column::Rubric,
        other => {
            if let Some(i) = key(other) {
                Column::Option(i)
            } else if let Some(i) = other.strip_prefix("option_").and_then(key) {
                Column::Option(i)
            } else if let Some(i) = other.strip_prefix("why_").and_then(key) {
                Column::Why(i)
            } else {
                return None;
            }
        }
    })
}

/// The separator that makes the most header cells known column names.
fn sniff(text: &str) -> u8 {
    let mut best = (b',', 0);
    for d in [b',', b';', b'\t', b'|'] {
        let known = match Reader::new(text, d, false).next_record() {
            Some(Ok(rec)) => rec
                .fields
                .iter()
                .filter(|f| column(&f.text).is_some())
                .count(),
            _ => 0,
        };
        if known > best.1 {
            best = (d, known);
        }
    }
    best.0
}

/// Excel may start a CSV with `sep=;` to name its separator: the separator and where
/// the header starts.
fn excel_separator(text: &str) -> Option<(u8, usize)> {
    let line = text.lines().next()?;
    match line.trim_end().strip_prefix("sep=")?.as_bytes() {
        [d] if d.is_ascii() && !d.is_ascii_alphanumeric() && *d != b'"' => {
            let end = text.find('\n').map_or(text.len(), |i| i + 1);
            Some((*d, end))
        }
        _ => None,
    }
}

/// Does this text start like one of our spreadsheets (a header naming a question or
/// prompt column and an answer column)?
pub fn looks_like(text: &str) -> bool {
    let mut reader = match excel_separator(text) {
        Some((d, offset)) => Reader::new(text, d, false).starting_at(offset, 2),
        None => Reader::new(text, sniff(text), false),
    };
    match reader.next_record() {
        Some(Ok(rec)) => {
            let cols: Vec<Option<Column>> = rec.fields.iter().map(|f| column(&f.text)).collect();
            cols.contains(&Some(Column::Answer))
                && (cols.contains(&Some(Column::Question)) || cols.contains(&Some(Column::Prompt)))
        }
        _ => false,
    }
}

/// Read a CSV file: its cards go to `sink` as they are read, the decks they belong to
/// are returned. `progress` is told the bytes read every few thousand rows.
pub fn read(
    file: &str,
    text: &str,
    defaults: &RowDefaults<'_>,
    progress: &mut dyn FnMut(usize),
    sink: &mut dyn CardSink,
) -> Result<Vec<Parsed>, Error> {
    let mut reader = match excel_separator(text) {
        Some((d, offset)) => Reader::new(text, d, false).starting_at(offset, 2),
        None => Reader::new(text, sniff(text), false),
    };
    let mut rows = Rows::new(file, sink);
    let fail = |(pos, message): (Pos, String)| {
        Error::Content(vec![Diagnostic {
            file: file.to_string(),
            line: pos.line,
            column: pos.column,
            message,
        }])
    };
    let header = match reader.next_record() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(fail(e)),
        None => {
            return Err(fail((
                Pos::default(),
                "is empty — the first line must name the columns".into(),
            )));
        }
    };
    let Some(layout) = Layout::new(&header, defaults, &mut rows) else {
        return Err(Error::Content(rows.into_diagnostics()));
    };

    let mut seen_rows = 0usize;
    while let Some(record) = reader.next_record() {
        let record = match record {
            Ok(r) => r,
            Err((pos, message)) => {
                rows.error(pos, message);
                break;
            }
        };
        seen_rows += 1;
        if seen_rows % 4096 == 0 {
            progress(reader.offset());
        }
        layout.row(&record, defaults, &mut rows)?;
    }
    progress(reader.offset());
    if seen_rows == 0 && !rows.has_errors() {
        rows.error(
            Pos {
                line: header.line,
                column: 1,
            },
            "no rows under the header — add one question per row",
        );
    }
    rows.finish()
}

struct Layout {
    columns: Vec<Column>,
    /// Index of each named column in a row.
    at: Slots,
    header_line: usize,
}

impl Layout {
    /// Read the header; `None` (with diagnostics in `rows`) when rows cannot be read.
    fn new(
        header: &Record<'_>,
        defaults: &RowDefaults<'_>,
        rows: &mut Rows<'_, '_>,
    ) -> Option<Layout> {
        let mut columns = Vec::with_capacity(header.fields.len());
        let mut at = Slots::default();
        for (i, f) in header.fields.iter().enumerate() {
            let name = f.text.trim();
            let col = if name.is_empty() {
                Column::Blank
            } else if let Some(c) = column(name) {
                c
            } else {
                rows.error(
                    f.pos,
                    format!("unknown column `{name}` — rename it to one of: {COLUMNS}; or delete the column"),
                );
                Column::Blank
            };
            if col != Column::Blank {
                if let Some(&first) = at.get(&col) {
                    let first: usize = first;
                    rows.error(
                        f.pos,
                        format!(
                            "column `{name}` appears twice (also column {}) — keep one",
                            first + 1
                        ),
                    );
                }
                at.insert(col, i);
            }
            columns.push(col);
        }
        let start = Pos {
            line: header.line,
            column: 1,
        };
        let has = |c: Column| at.contains_key(&c);
        if !has(Column::Question) && !has(Column::Prompt) {
            rows.error(
                start,
                "no `question` (or `prompt`) column — the header needs at least question, a, b, answer",
            );
        }
        if !has(Column::Answer) {
            rows.error(
                start,
                "no `answer` column — add one: the key of the correct option (A, B, …), or the model answer of a recall row",
            );
        }
        if has(Column::Options) && (0..KEYS.len()).any(|i| has(Column::Option(i))) {
            rows.error(
                start,
                "both an `options` column and option columns (a, b, …) — keep one of the two",
            );
        }
        if !has(Column::Topic) && defaults.topic.is_none() {
            rows.error(
                start,
                "no `topic` column — add one, or pass --topic ID to put every row in one topic",
            );
        }
        if rows.has_errors() {
            return None;
        }
        Some(Layout {
            columns,
            at,
            header_line: header.line,
        })
    }

    fn cell<'r, 'a>(&self, record: &'r Record<'a>, c: Column) -> Option<&'r Field<'a>> {
        self.at.get(&c).and_then(|&i| record.fields.get(i))
    }

    /// Check one row and pass its card on, in steps: the row fits the header, its kind
    /// decides which cells it may fill, its deck and topic come from its cells or the
    /// defaults. A problem is reported at its cell and ends the row.
    fn row(
        &self,
        record: &Record<'_>,
        defaults: &RowDefaults<'_>,
        rows: &mut Rows<'_, '_>,
    ) -> Result<()> {
        if record.fields.iter().all(|f| f.text.trim().is_empty()) || !self.fits(record, rows) {
            return Ok(());
        }
        let row = Row {
            layout: self,
            record,
            pos: Pos {
                line: record.line,
                column: 1,
            },
        };
        let kind = row.kind();
        let recall = matches!(kind, Val::Text(k, _) if k.trim().eq_ignore_ascii_case("recall"));
        let derived_id = if self.at.contains_key(&Column::Id) {
            None
        } else {
            row.asked(recall).map(slug::text_id)
        };
        let mut fields = Fields {
            pos: row.pos,
            id: row.id(derived_id.as_deref()),
            kind,
            answer: row.val(Column::Answer),
            tags: row.tags(),
            ..Fields::default()
        };
        let complete = if recall {
            row.recall(&mut fields, rows)
        } else {
            row.choice(&mut fields, rows)
        };
        if !complete {
            return Ok(());
        }
        row.pass_on(defaults, fields, rows)
    }

    /// Does the row fit the header: no cell past the last column, none under a column
    /// without a name? Every misfit is reported.
    fn fits(&self, record: &Record<'_>, rows: &mut Rows<'_, '_>) -> bool {
        let mut fits = true;
        if record.fields.len() > self.columns.len() {
            let extra = &record.fields[self.columns.len()];
            rows.error(
                extra.pos,
                format!(
                    "this row has {} cells but the header (line {}) names {} — quote cells that contain the separator (\"…\"), or name the extra column",
                    record.fields.len(),
                    self.header_line,
                    self.columns.len()
                ),
            );
            fits = false;
        }
        for (f, col) in record.fields.iter().zip(&self.columns) {
            if *col == Column::Blank && !f.text.trim().is_empty() {
                rows.error(
                    f.pos,
                    "a cell under a column without a name — name the column in the header or empty the cell",
                );
                fits = false;
            }
        }
        fits
    }

    /// The options of a choice row, from a…h or from `options`; `None` when reported.
    fn options<'r>(
        &self,
        record: &'r Record<'_>,
        row_pos: Pos,
        rows: &mut Rows<'_, '_>,
    ) -> Option<Options<'r>> {
        let mut items: Vec<(Pos, &'r str)> = Vec::new();
        if let Some(f) = self.cell(record, Column::Options) {
            let mut column = f.pos.column;
            for part in f.text.split('|') {
                let trimmed = part.trim();
                if !trimmed.is_empty() {
                    let pos = Pos {
                        line: f.pos.line,
                        column: column + (part.len() - part.trim_start().len()),
                    };
                    items.push((pos, cell_text(trimmed)));
                }
                column += part.chars().count() + 1;
            }
        } else {
            let mut gap: Option<usize> = None;
            for (i, key) in KEYS.iter().enumerate() {
                match self.cell(record, Column::Option(i)) {
                    Some(f) if !f.text.trim().is_empty() => {
                        if let Some(g) = gap {
                            rows.error(
                                f.pos,
                                format!(
                                    "option {} is filled but option {} before it is empty — fill the options from a without gaps",
                                    key.to_ascii_lowercase(),
                                    KEYS[g].to_ascii_lowercase()
                                ),
                            );
                            return None;
                        }
                        items.push((f.pos, cell_text(&f.text)));
                    }
                    _ => {
                        gap.get_or_insert(i);
                    }
                }
            }
        }
        for (i, key) in KEYS.iter().enumerate() {
            if let Some(f) = self.cell(record, Column::Why(i)) {
                if i >= items.len() && !f.text.trim().is_empty() {
                    rows.error(
                        f.pos,
                        format!(
                            "why_{} explains an option that is not there — add option {key} or clear this cell",
                            key.to_ascii_lowercase(),
                        ),
                    );
                    return None;
                }
            }
        }
        let pos = items.first().map_or(row_pos, |(p, _)| *p);
        let list = items
            .into_iter()
            .enumerate()
            .map(|(i, (p, text))| {
                Some(OptionFields {
                    pos: p,
                    text: Val::Text(text, p),
                    why: match self.cell(record, Column::Why(i)) {
                        Some(f) => Val::Text(cell_text(&f.text), f.pos),
                        None => Val::Missing,
                    },
                })
            })
            .collect();
        Some(Options::Given(pos, list))
    }
}

/// One record read through its file's layout: its cells by column.
struct Row<'l, 'r, 'a> {
    layout: &'l Layout,
    record: &'r Record<'a>,
    /// Where a problem of the whole row is reported.
    pos: Pos,
}

impl<'r, 'a> Row<'_, 'r, 'a> {
    fn cell(&self, c: Column) -> Option<&'r Field<'a>> {
        self.layout.cell(self.record, c)
    }

    fn val(&self, c: Column) -> Val<'r> {
        match self.cell(c) {
            Some(f) => Val::Text(cell_text(&f.text), f.pos),
            None => Val::Missing,
        }
    }

    fn filled(&self, c: Column) -> Option<&'r str> {
        match self.val(c) {
            Val::Text(t, _) if !t.trim().is_empty() => Some(t),
            _ => None,
        }
    }

    /// The `kind` cell, or what the row looks like: a prompt makes a recall card.
    fn kind(&self) -> Val<'r> {
        match (self.filled(Column::Kind), self.filled(Column::Prompt)) {
            (Some(_), _) => self.val(Column::Kind),
            (None, Some(_)) => Val::Text("recall", self.pos),
            (None, None) => Val::Text("choice", self.pos),
        }
    }

    /// The text the card asks, from which a file without an `id` column makes its id.
    fn asked(&self, recall: bool) -> Option<&'r str> {
        let question = self.filled(Column::Question);
        if recall {
            self.filled(Column::Prompt).or(question)
        } else {
            question
        }
    }

    /// The `id` cell (empty in a short row), else the id `derived` from the text.
    fn id<'d>(&self, derived: Option<&'d str>) -> Val<'d>
    where
        'r: 'd,
    {
        match self.cell(Column::Id) {
            Some(f) => Val::Text(f.text.trim(), f.pos),
            None if self.layout.at.contains_key(&Column::Id) => Val::Text("", self.pos),
            None => derived.map_or(Val::Missing, |id| Val::Text(id, self.pos)),
        }
    }

    fn tags(&self) -> Vec<(&'r str, Pos)> {
        match self.cell(Column::Tags) {
            Some(f) => split_tags(&f.text).map(|t| (t, f.pos)).collect(),
            None => Vec::new(),
        }
    }

    /// A recall row's prompt and rubric; false (reported) when it fills a choice's cells.
    fn recall<'t>(&self, fields: &mut Fields<'t>, rows: &mut Rows<'_, '_>) -> bool
    where
        'r: 't,
    {
        // A recall row may keep its prompt in the question column.
        fields.prompt =
            if self.filled(Column::Prompt).is_none() && self.filled(Column::Question).is_some() {
                self.val(Column::Question)
            } else {
                self.val(Column::Prompt)
            };
        if let Some(f) = self.cell(Column::Rubric) {
            fields.rubric = f
                .text
                .split(['|', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| (p, f.pos))
                .collect();
        }
        let stray = self.layout.columns.iter().enumerate().find(|(i, c)| {
            matches!(
                c,
                Column::Option(_) | Column::Options | Column::Why(_) | Column::Explanation
            ) && self
                .record
                .fields
                .get(*i)
                .is_some_and(|f| !f.text.trim().is_empty())
        });
        if let Some((i, _)) = stray {
            rows.error(
                self.record.fields[i].pos,
                "a recall row has options or an explanation — clear them, or make it a choice row (question and options, no prompt)",
            );
            return false;
        }
        true
    }

    /// A choice row's question, explanation and options; false (reported) when it fills
    /// a recall's cells or its options are broken.
    fn choice<'t>(&self, fields: &mut Fields<'t>, rows: &mut Rows<'_, '_>) -> bool
    where
        'r: 't,
    {
        fields.question = self.val(Column::Question);
        fields.explanation = self.val(Column::Explanation);
        if let Some(c) = [Column::Rubric, Column::Prompt]
            .into_iter()
            .find(|&c| self.filled(c).is_some())
        {
            let pos = self.cell(c).map_or(self.pos, |f| f.pos);
            rows.error(
                pos,
                "a choice row has a prompt or a rubric — clear them, or make it a recall row (kind recall, or no question)",
            );
            return false;
        }
        match self.layout.options(self.record, self.pos, rows) {
            Some(options) => {
                fields.options = options;
                true
            }
            None => false,
        }
    }

    /// Pass the card on to its deck and topic: the row's cells name them, else the
    /// defaults (`--deck` or the file name, `--topic`).
    fn pass_on(
        &self,
        defaults: &RowDefaults<'_>,
        fields: Fields<'_>,
        rows: &mut Rows<'_, '_>,
    ) -> Result<()> {
        let deck_key = self.filled(Column::Deck).map_or("", str::trim);
        let topic_cell = self.filled(Column::Topic);
        let topic_pos = self.cell(Column::Topic).map_or(self.pos, |f| f.pos);
        let topic_key = match (topic_cell, defaults.topic) {
            (Some(name), _) => name.trim(),
            (None, Some(t)) => t,
            (None, None) => {
                rows.error(
                    topic_pos,
                    "`topic` is empty — fill the topic cell, or pass --topic ID for rows without one",
                );
                return Ok(());
            }
        };
        let deck = || match deck_key {
            "" => Named {
                id: defaults.deck.id.clone(),
                name: defaults.deck.name.clone(),
            },
            name => Named {
                id: slug::slug(name),
                name: name.to_string(),
            },
        };
        // --topic is an id already; a cell is a name ("Data poisoning") or an id.
        let topic = || Named {
            id: if topic_cell.is_some() {
                slug::slug(topic_key)
            } else {
                topic_key.to_string()
            },
            name: topic_key.to_string(),
        };
        rows.card(deck_key, deck, (topic_key, topic_pos), topic, fields)
    }
}

/// A cell as written, less the `'` that spreadsheet exports (`mlsec export` among them)
/// put before a leading `=`, `+`, `-`, `@`, tab or CR so that it is not run as a formula.
fn cell_text(raw: &str) -> &str {
    match raw.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => raw,
    }
}

/// Tags are separated by spaces, commas, semicolons or `|`.
fn split_tags(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|'))
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{CardBody, Deck};
    use crate::import::reader::{Discard, Keep};

    fn defaults() -> RowDefaults<'static> {
        RowDefaults {
            deck: Named {
                id: "bank".into(),
                name: "bank".into(),
            },
            topic: None,
        }
    }

    fn parse_ok(text: &str) -> Vec<Deck> {
        let mut keep = Keep::default();
        let decks = read("f.csv", text, &defaults(), &mut |_| {}, &mut keep).unwrap();
        decks
            .into_iter()
            .zip(keep.cards)
            .map(|(mut d, (id, cards))| {
                assert_eq!((d.deck.id.clone(), d.cards), (id, cards.len()));
                d.deck.cards = cards;
                d.deck
            })
            .collect()
    }

    fn errors(text: &str) -> Vec<String> {
        match read("f.csv", text, &defaults(), &mut |_| {}, &mut Discard) {
            Ok(_) => vec![],
            Err(Error::Content(d)) => d.iter().map(ToString::to_string).collect(),
            Err(e) => vec![e.to_string()],
        }
    }

    #[test]
    fn choice_and_recall_rows() {
        let decks = parse_ok(
            "id,topic,question,a,b,c,answer,explanation,why_a,why_b,tags,prompt,rubric\n\
             q1,Data poisoning,Which?,one,two,three,b,Because.,no,yes,defend|classify,,\n\
             r1,privacy,,,,,TPR at low FPR,,,,,How to report MIA?,TPR at low FPR|not accuracy\n",
        );
        assert_eq!(decks.len(), 1);
        let deck = &decks[0];
        assert_eq!(deck.id.as_str(), "bank");
        let topics: Vec<(&str, &str)> = deck
            .topics
            .iter()
            .map(|t| (t.id.as_str(), t.name.as_str()))
            .collect();
        assert_eq!(
            topics,
            [("data-poisoning", "Data poisoning"), ("privacy", "privacy")]
        );
        let CardBody::Choice {
            options, answer, ..
        } = &deck.cards[0].body
        else {
            panic!("not a choice card")
        };
        assert_eq!((options.len(), *answer), (3, 1));
        assert_eq!(options[1].why, "yes");
        assert_eq!(deck.cards[0].tags, ["defend", "classify"]);
        let CardBody::Recall { prompt, rubric, .. } = &deck.cards[1].body else {
            panic!("not a recall card")
        };
        assert_eq!(prompt, "How to report MIA?");
        assert_eq!(rubric, &["TPR at low FPR", "not accuracy"]);
    }

    #[test]
    fn semicolons_options_column_deck_column_and_derived_ids() {
        let decks = parse_ok(
            "Question;Options;Answer;Topic;Deck\n\
             Pick one;'=x | y | z;C;t;ML Security::Privacy\n\
             Pick two;a|b;A;t;Other\n",
        );
        assert_eq!(decks.len(), 2);
        assert_eq!(decks[0].id.as_str(), "ml-security.privacy");
        assert_eq!(decks[0].name, "ML Security::Privacy");
        let CardBody::Choice { options, .. } = &decks[0].cards[0].body else {
            panic!("not a choice card")
        };
        assert_eq!(options[0].text, "=x", "the formula guard is removed");
        assert!(decks[0].cards[0].id.as_str().starts_with("pick-one-"));
    }

    #[test]
    fn excel_names_its_separator_on_the_first_line() {
        let decks =
            parse_ok("sep=;\r\nid;topic;question;a;b;answer\r\nx;t;Q, with comma;1;2;B\r\n");
        let CardBody::Choice { question, .. } = &decks[0].cards[0].body else {
            panic!("not a choice card")
        };
        assert_eq!(question, "Q, with comma");
        assert!(looks_like("sep=;\nquestion;answer\n"));
        let errs = errors("sep=;\nid;topic;question;a;b;answer\nx;t;Q;1;2;C\n");
        assert!(errs[0].starts_with("f.csv:3:"), "{errs:?}");
    }

    #[test]
    fn header_problems() {
        let errs = errors("id,topic,question,colour,answer\nx,t,Q,red,A\n");
        assert_eq!(
            errs[0],
            format!(
                "f.csv:1:19: unknown column `colour` — rename it to one of: {COLUMNS}; or delete the column"
            )
        );
        let errs = errors("id,topic,question,a,b\nx,t,Q,1,2\n");
        assert!(
            errs[0].starts_with("f.csv:1:1: no `answer` column"),
            "{errs:?}"
        );
        let errs = errors("id,question,a,b,answer\nx,Q,1,2,A\n");
        assert!(errs[0].contains("no `topic` column"), "{errs:?}");
        let errs = errors("id,topic,question,a,b,answer\n");
        assert!(
            errs[0].starts_with("f.csv:1:1: no rows under the header"),
            "{errs:?}"
        );
    }

    #[test]
    fn row_problems_are_located() {
        let errs = errors(
            "id,topic,question,a,b,c,answer\n\
             x,t,Q,1,2,,D\n\
             y,t,Q,1,,3,A\n\
             x,t,Q,1,2,,\n\
             z,t,Q,1,2,3,A,extra\n\
             w,,Q,1,2,,A\n",
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.csv:2:12: answer \"D\" is not one of the options")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.csv:3:10: option c is filled but option b")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.csv:4:1: duplicate card id \"x\" — line 2 has it too")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.csv:5:15: this row has 8 cells")),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.starts_with("f.csv:6:3: `topic` is empty")),
            "{errs:#?}"
        );
    }

    #[test]
    fn a_missing_answer_is_named() {
        let errs = errors("id,topic,question,a,b,answer\nx,t,Q,1,2,\n");
        assert_eq!(
            errs,
            ["f.csv:2:11: `answer` is empty — write the answer text"]
        );
    }

    #[test]
    fn blank_trailing_columns_are_ignored_but_not_their_cells() {
        assert_eq!(
            parse_ok("id,topic,question,a,b,answer,,\nx,t,Q,1,2,A,,\n")[0]
                .cards
                .len(),
            1
        );
        let errs = errors("id,topic,question,a,b,answer,\nx,t,Q,1,2,A,oops\n");
        assert!(
            errs[0].starts_with("f.csv:2:13: a cell under a column without a name"),
            "{errs:?}"
        );
    }
}
