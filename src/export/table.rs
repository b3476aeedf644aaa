//! `mlsec export` as CSV or JSON: one row per card, review, session or topic, with the
//! same columns in both formats (documented in the README's "Export columns").
//!
//! Rows are written as the store reads them ([`write_table`]), never collected:
//! exporting a million answers takes the memory of a few hundred rows.
//!
//! CSV goes through the `csv` crate: a header row, RFC 4180 quoting and CRLF line ends,
//! UTF-8. A text cell that a spreadsheet would run as a formula (leading `=`, `+`, `-`,
//! `@`, tab or CR) gets a leading `'`, as OWASP's CSV-injection advice has it. JSON is
//! one array of objects, laid out exactly as `serde_json`'s pretty printer would.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::clock::StudyDay;
use crate::deck::{CardBody, KEYS};
use crate::error::{Error, Result};
use crate::stats::{CardState, TopicStats, is_leech, ratio};
use crate::store::report::{CardRecord, History, ReviewRow, SessionOrder, SessionRecord};
use crate::store::{Filter, Store};
use crate::{output, text};

pub const CARD_COLUMNS: &[&str] = &[
    "card",
    "deck",
    "topic",
    "kind",
    "tags",
    "question",
    "answer_key",
    "answer",
    "state",
    "repetitions",
    "ef",
    "interval",
    "due",
    "lapses",
    "leech",
    "introduced",
    "answered",
    "correct",
    "last_answered",
    "retired",
];

pub const REVIEW_COLUMNS: &[&str] = &[
    "reviewed_at",
    "study_day",
    "card",
    "deck",
    "topic",
    "kind",
    "chosen",
    "correct",
    "quality",
    "ef",
    "interval",
    "due",
    "elapsed_ms",
    "session",
    "session_kind",
    "repeat",
    "repetitions",
];

pub const SESSION_COLUMNS: &[&str] = &[
    "session",
    "kind",
    "study_day",
    "started_at",
    "ended_at",
    "answered",
    "correct",
    "accuracy",
    "repeats",
    "elapsed_ms",
];

pub const TOPIC_COLUMNS: &[&str] = &[
    "deck", "topic", "name", "cards", "new", "learning", "young", "mature", "leeches", "answered",
    "correct", "accuracy", "repeats",
];

/// One value of a row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    /// Written as `serde_json` writes it (`1.96`, `2.0`); null if not finite.
    Float(f64),
    /// Text mlsec wrote itself: times, days, kinds, option keys.
    Text(&'a str),
    /// Text from a deck: whatever could act on a terminal is replaced on the way out (the
    /// store never holds such characters, but a file edited by hand might).
    Deck(&'a str),
}

impl<'a> Cell<'a> {
    fn text(s: Option<&'a str>) -> Cell<'a> {
        s.map_or(Cell::Null, Cell::Text)
    }

    fn day(d: Option<StudyDay>, buf: &'a mut String) -> Cell<'a> {
        match d {
            Some(d) => {
                *buf = d.to_string();
                Cell::Text(buf)
            }
            None => Cell::Null,
        }
    }

    fn float(x: Option<f64>) -> Cell<'a> {
        x.map_or(Cell::Null, Cell::Float)
    }

    fn uint(x: Option<u64>) -> Cell<'a> {
        x.map_or(Cell::Null, Cell::UInt)
    }
}

/// A cell a spreadsheet would evaluate gets a leading `'` (shown as text, not run).
pub fn neutralise_formula(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The file formats of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// A table being written: the header (CSV) or the array's opening (JSON) at the start,
/// then one row at a time.
struct Table<W: Write> {
    sink: Sink<W>,
    columns: &'static [&'static str],
    rows: u64,
    /// Where the table goes, for error messages.
    path: PathBuf,
    /// One number at a time (CSV), reused.
    scratch: Vec<u8>,
}

enum Sink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json {
        out: std::io::BufWriter<W>,
        /// Per column: what comes before its value (`,` + line break, indent, key).
        keys: Vec<Vec<u8>>,
    },
}

/// Bytes written at a time: big enough that a million rows are a few thousand writes.
const BUFFER: usize = 1 << 16;

impl<W: Write> Table<W> {
    /// Start a table of `columns` on `out`; `path` names it in errors.
    fn new(
        format: Format,
        columns: &'static [&'static str],
        out: W,
        path: &Path,
    ) -> Result<Table<W>> {
        let sink = match format {
            Format::Csv => Sink::Csv(Box::new(
                csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .buffer_capacity(BUFFER)
                    .from_writer(out),
            )),
            Format::Json => {
                let keys = columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let sep = if i == 0 { "\n" } else { ",\n" };
                        let key = serde_json::to_string(c).unwrap_or_default();
                        format!("{sep}    {key}: ").into_bytes()
                    })
                    .collect();
                Sink::Json {
                    out: std::io::BufWriter::with_capacity(BUFFER, out),
                    keys,
                }
            }
        };
        let mut table = Table {
            sink,
            columns,
            rows: 0,
            path: path.to_path_buf(),
            scratch: Vec::new(),
        };
        if let Sink::Csv(w) = &mut table.sink {
            let result = w.write_record(columns);
            table.check_csv(result)?;
        }
        Ok(table)
    }

    fn io(&self, e: std::io::Error) -> Error {
        Error::Io {
            path: self.path.clone(),
            source: e,
        }
    }

    /// A csv error as an I/O error on the table's path (a closed pipe stays one, so it
    /// ends the run quietly).
    fn check_csv(&self, result: csv::Result<()>) -> Result<()> {
        result.map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(e) => self.io(e),
            other => self.io(std::io::Error::other(format!("{other:?}"))),
        })
    }

    /// Write one row: as many cells as columns, in column order.
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.rows += 1;
        let result = match &mut self.sink {
            Sink::Csv(w) => csv_row(w, cells, &mut self.scratch),
            Sink::Json { out, keys } => {
                json_row(out, keys, cells, self.rows == 1).map_err(Into::into)
            }
        };
        self.check_csv(result)
    }

    /// Close the table (the array's end in JSON) and flush it; the number of rows.
    fn finish(self) -> Result<u64> {
        let rows = self.rows;
        match self.sink {
            Sink::Csv(mut w) => {
                let result = w.flush();
                result.map_err(|e| Error::Io {
                    path: self.path,
                    source: e,
                })?;
            }
            Sink::Json { mut out, .. } => {
                let end: &[u8] = if rows == 0 { b"[]\n" } else { b"\n  }\n]\n" };
                out.write_all(end)
                    .and_then(|()| out.flush())
                    .map_err(|e| Error::Io {
                        path: self.path,
                        source: e,
                    })?;
            }
        }
        Ok(rows)
    }
}

/// Write a table of `columns` on `out` (`path` names it in errors) with the rows that
/// `produce` hands over; the number of rows. The rows are formatted and written by a
/// second thread while `produce` reads the store, each on its own core when there is one
/// free; they pass in batches of a few hundred, so memory stays small.
///
/// If `produce` fails, the table is left unclosed (no closing `]` in JSON): what was
/// written is not mistaken for a complete export.
pub fn write_table<W: Write + Send>(
    format: Format,
    columns: &'static [&'static str],
    out: W,
    path: &Path,
    produce: impl FnOnce(&mut Rows) -> Result<()>,
) -> Result<u64> {
    let table = Table::new(format, columns, out, path)?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
    std::thread::scope(|s| {
        let writer = s.spawn(move || write_batches(table, &rx, columns.len()));
        let mut rows = Rows {
            tx,
            batch: Batch::new(),
            gone: false,
            path,
        };
        let produced = produce(&mut rows).and_then(|()| rows.send(true));
        let gone = rows.gone;
        drop(rows);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match produced {
            Ok(()) => written,
            // The writer stopped first (a closed pipe, a full disk): its error says why.
            Err(e) if gone => Err(written.err().unwrap_or(e)),
            Err(e) => Err(e),
        }
    })
}

/// Batches queued between the two threads at most.
const BATCHES_IN_FLIGHT: usize = 4;
/// Cells in a batch: about a thousand answers.
const BATCH_CELLS: usize = 1 << 14;

/// The reading side of [`write_table`]: each row is copied into the current batch,
/// which goes to the writer when full.
pub struct Rows<'p> {
    tx: std::sync::mpsc::SyncSender<Batch>,
    batch: Batch,
    /// The writer thread has stopped.
    gone: bool,
    path: &'p Path,
}

impl Rows<'_> {
    /// Hand over one row: as many cells as columns, in column order.
    pub fn row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        for &cell in cells {
            let held = self.batch.hold(cell);
            self.batch.cells.push(held);
        }
        if self.batch.cells.len() >= BATCH_CELLS {
            self.send(false)?;
        }
        Ok(())
    }

    fn send(&mut self, last: bool) -> Result<()> {
        let mut batch = std::mem::replace(&mut self.batch, Batch::new());
        batch.last = last;
        self.tx.send(batch).map_err(|_| {
            self.gone = true;
            Error::Io {
                path: self.path.to_path_buf(),
                source: std::io::Error::other("the export stopped writing"),
            }
        })
    }
}

/// Rows in transit: their cells, with the text they hold copied into one string.
struct Batch {
    text: String,
    cells: Vec<Held>,
    /// The table is complete after this batch.
    last: bool,
}

/// A [`Cell`] whose text is a range of [`Batch::text`].
#[derive(Clone, Copy)]
enum Held {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Text(usize, usize),
    Deck(usize, usize),
}

impl Batch {
    fn new() -> Batch {
        Batch {
            text: String::new(),
            cells: Vec::with_capacity(BATCH_CELLS + 64),
            last: false,
        }
    }

    fn hold(&mut self, cell: Cell<'_>) -> Held {
        let mut copy = |s: &str| {
            let start = self.text.len();
            self.text.push_str(s);
            (start, self.text.len())
        };
        match cell {
            Cell::Null => Held::Null,
            Cell::Bool(b) => Held::Bool(b),
            Cell::Int(i) => Held::Int(i),
            Cell::UInt(u) => Held::UInt(u),
            Cell::Float(x) => Held::Float(x),
            Cell::Text(s) => {
                let (a, b) = copy(s);
                Held::Text(a, b)
            }
            Cell::Deck(s) => {
                let (a, b) = copy(s);
                Held::Deck(a, b)
            }
        }
    }

    fn cell(&self, held: Held) -> Cell<'_> {
        let text = |a: usize, b: usize| self.text.get(a..b).unwrap_or_default();
        match held {
            Held::Null => Cell::Null,
            Held::Bool(b) => Cell::Bool(b),
            Held::Int(i) => Cell::Int(i),
            Held::UInt(u) => Cell::UInt(u),
            Held::Float(x) => Cell::Float(x),
            Held::Text(a, b) => Cell::Text(text(a, b)),
            Held::Deck(a, b) => Cell::Deck(text(a, b)),
        }
    }
}

/// The writing side of [`write_table`].
fn write_batches<W: Write>(
    mut table: Table<W>,
    rx: &std::sync::mpsc::Receiver<Batch>,
    width: usize,
) -> Result<u64> {
    for batch in rx {
        let mut cells = Vec::with_capacity(width);
        for row in batch.cells.chunks(width.max(1)) {
            cells.clear();
            cells.extend(row.iter().map(|&h| batch.cell(h)));
            table.row(&cells)?;
        }
        if batch.last {
            return table.finish();
        }
    }
    Ok(table.rows) // the reader failed: the table stays unclosed
}

fn csv_row<W: Write>(
    w: &mut csv::Writer<W>,
    cells: &[Cell<'_>],
    scratch: &mut Vec<u8>,
) -> csv::Result<()> {
    for cell in cells {
        match *cell {
            Cell::Null => w.write_field("")?,
            Cell::Bool(b) => w.write_field(if b { "true" } else { "false" })?,
            Cell::Text(s) => w.write_field(neutralise_formula(s).as_bytes())?,
            Cell::Deck(s) => {
                w.write_field(neutralise_formula(&text::terminal_safe(s)).as_bytes())?
            }
            number => {
                scratch.clear();
                json_scalar(scratch, number)?;
                w.write_field(&scratch[..])?;
            }
        }
    }
    w.write_record(None::<&[u8]>)
}

/// A number, bool, null or string as JSON.
fn json_scalar<W: Write>(out: &mut W, cell: Cell<'_>) -> std::io::Result<()> {
    match cell {
        Cell::Null => out.write_all(b"null"),
        Cell::Bool(b) => out.write_all(if b { b"true" } else { b"false" }),
        Cell::Int(i) => Ok(serde_json::to_writer(out, &i)?),
        Cell::UInt(u) => Ok(serde_json::to_writer(out, &u)?),
        Cell::Float(x) if x.is_finite() => Ok(serde_json::to_writer(out, &x)?),
        Cell::Float(_) => out.write_all(b"null"),
        Cell::Text(s) => json_str(out, s),
        Cell::Deck(s) => json_str(out, &text::terminal_safe(s)),
    }
}

/// A string as JSON, with the invisible characters of [`output::json`] escaped too
/// (only strings can hold them, and only past ASCII).
fn json_str<W: Write>(out: &mut W, s: &str) -> std::io::Result<()> {
    if s.bytes().any(|b| b >= 0x7f) {
        let text = serde_json::to_string(s)?;
        out.write_all(output::escape_invisible(&text).as_bytes())
    } else {
        Ok(serde_json::to_writer(out, s)?)
    }
}

/// One object of the array, as `serde_json::to_string_pretty` lays it out.
fn json_row<W: Write>(
    out: &mut W,
    keys: &[Vec<u8>],
    cells: &[Cell<'_>],
    first: bool,
) -> std::io::Result<()> {
    out.write_all(if first { b"[\n  {" } else { b"\n  },\n  {" })?;
    for (key, cell) in keys.iter().zip(cells) {
        out.write_all(key)?;
        json_scalar(out, *cell)?;
    }
    Ok(())
}

/// One row per card: its content, schedule and graded answers (from `history`). Tags
/// are joined by `;`.
pub fn cards(store: &Store, filter: &Filter, history: &History, table: &mut Rows) -> Result<()> {
    let (mut due, mut introduced, mut last) = (String::new(), String::new(), String::new());
    store.each_card(filter, true, Some(history), |c| {
        card_row(table, &c, [&mut due, &mut introduced, &mut last])
    })
}

fn card_row(
    table: &mut Rows,
    c: &CardRecord,
    [due, introduced, last]: [&mut String; 3],
) -> Result<()> {
    let s = c.schedule.as_ref();
    let (question, answer_key, answer) = match &c.body {
        CardBody::Choice {
            question,
            options,
            answer,
            ..
        } => (
            question,
            KEYS.get(*answer).map(char::to_string),
            options.get(*answer).map_or("", |o| o.text.as_str()),
        ),
        CardBody::Recall { prompt, answer, .. } => (prompt, None, answer.as_str()),
    };
    let full_id = c.full_id();
    let tags = c.tags.join(";");
    table.row(&[
        Cell::Deck(&full_id),
        Cell::Deck(c.deck.as_str()),
        Cell::Deck(c.topic.as_str()),
        Cell::Text(c.body.kind()),
        Cell::Deck(&tags),
        Cell::Deck(question),
        Cell::text(answer_key.as_deref()),
        Cell::Deck(answer),
        Cell::Text(CardState::of(s).as_str()),
        Cell::uint(s.map(|s| u64::from(s.repetitions))),
        Cell::float(s.map(|s| s.ef.as_f64())),
        s.map_or(Cell::Null, |s| Cell::Int(s.interval.days())),
        Cell::day(s.map(|s| s.due), due),
        Cell::uint(s.map(|s| u64::from(s.lapses))),
        Cell::Bool(is_leech(s)),
        Cell::day(c.introduced, introduced),
        Cell::UInt(c.answered),
        Cell::UInt(c.correct),
        Cell::day(c.last_answered, last),
        Cell::Bool(c.retired),
    ])
}

/// One row per answer since `since`, oldest first; `ef`, `interval` and `due` are the
/// card's schedule after the answer (unchanged by a repeat).
pub fn reviews(
    store: &Store,
    filter: &Filter,
    since: Option<StudyDay>,
    table: &mut Rows,
) -> Result<()> {
    store.each_review(filter, since, |r: &ReviewRow<'_>| {
        table.row(&[
            Cell::Text(r.reviewed_at),
            Cell::Text(r.study_day),
            Cell::Deck(r.card),
            Cell::Deck(r.deck),
            Cell::Deck(r.topic),
            Cell::Text(r.kind),
            Cell::text(r.chosen),
            Cell::Bool(r.correct),
            Cell::Int(i64::from(r.quality.value())),
            Cell::Float(r.ef.as_f64()),
            Cell::Int(r.interval.days()),
            Cell::Text(r.due),
            Cell::Int(r.elapsed_ms),
            Cell::Int(r.session.0),
            Cell::Text(r.session_kind),
            Cell::Bool(r.repeat),
            Cell::Int(r.repetitions),
        ])
    })
}

/// One row per session since `since` that recorded an answer, oldest first.
pub fn sessions(
    store: &Store,
    filter: &Filter,
    since: Option<StudyDay>,
    table: &mut Rows,
) -> Result<()> {
    store.each_session(filter, since, None, SessionOrder::Oldest, |s| {
        session_row(table, &s)
    })
}

fn session_row(table: &mut Rows, s: &SessionRecord) -> Result<()> {
    let day = s.study_day.to_string();
    table.row(&[
        Cell::Int(s.id.0),
        Cell::Text(&s.kind),
        Cell::Text(&day),
        Cell::Text(&s.started_at),
        Cell::text(s.ended_at.as_deref()),
        Cell::UInt(s.answered),
        Cell::UInt(s.correct),
        Cell::float(ratio(s.correct, s.answered)),
        Cell::UInt(s.repeats),
        Cell::Int(s.elapsed_ms),
    ])
}

/// One row per topic: the "By topic" table of `mlsec stats`.
pub fn topics(topics: &[TopicStats], table: &mut Rows) -> Result<()> {
    for t in topics {
        table.row(&[
            Cell::Deck(&t.deck),
            Cell::Deck(&t.topic),
            Cell::Deck(&t.name),
            Cell::UInt(t.cards.total),
            Cell::UInt(t.cards.new),
            Cell::UInt(t.cards.learning),
            Cell::UInt(t.cards.young),
            Cell::UInt(t.cards.mature),
            Cell::UInt(t.cards.leeches),
            Cell::UInt(t.answered),
            Cell::UInt(t.correct),
            Cell::float(t.accuracy),
            Cell::UInt(t.repeats),
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn table(format: Format, columns: &'static [&'static str], rows: &[&[Cell<'_>]]) -> String {
        let mut out = Vec::new();
        let n = write_table(format, columns, &mut out, Path::new("<test>"), |t| {
            rows.iter().try_for_each(|row| t.row(row))
        })
        .unwrap();
        assert_eq!(n, rows.len() as u64);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formula_cells_get_a_quote() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise_formula(bad), format!("'{bad}"));
        }
        for fine in ["1+1", "a=b", "", "'quoted", "2026-03-01"] {
            assert_eq!(neutralise_formula(fine), fine);
        }
    }

    #[test]
    fn csv_quotes_and_neutralises_text_but_not_numbers() {
        let out = table(
            Format::Csv,
            &["a", "b", "c", "d", "e"],
            &[&[
                Cell::Deck("=HYPERLINK(\"x\")"),
                Cell::Text("one, \"two\"\nthree"),
                Cell::Int(-1),
                Cell::Null,
                Cell::Float(1.96),
            ]],
        );
        assert_eq!(
            out,
            "a,b,c,d,e\r\n\"'=HYPERLINK(\"\"x\"\")\",\"one, \"\"two\"\"\nthree\",-1,,1.96\r\n"
        );
    }

    #[test]
    fn json_rows_are_what_the_pretty_printer_writes() {
        let cells: &[&[Cell<'_>]] = &[
            &[Cell::Int(1), Cell::Text("=x"), Cell::Float(2.0), Cell::Null],
            &[
                Cell::UInt(2),
                Cell::Deck("a\u{1b}b\u{202e}"),
                Cell::Float(1.96),
                Cell::Bool(true),
            ],
        ];
        let out = table(Format::Json, &["z", "a", "f", "n"], cells);
        let objects = json!([
            {"z": 1, "a": "=x", "f": 2.0, "n": null},
            {"z": 2, "a": "a\u{fffd}b\u{fffd}", "f": 1.96, "n": true},
        ]);
        assert_eq!(out, output::json(&objects, true) + "\n");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v, objects);
        assert!(out.find("\"z\"") < out.find("\"a\""), "column order");
        assert_eq!(table(Format::Json, &["z"], &[]), "[]\n");
    }

    #[test]
    fn a_failed_read_leaves_the_table_unclosed_and_says_why() {
        let mut out = Vec::new();
        let err = write_table(Format::Json, &["a"], &mut out, Path::new("<test>"), |t| {
            for i in 0..40_000 {
                t.row(&[Cell::Int(i)])?;
            }
            Err(Error::Usage("the store broke".into()))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "the store broke");
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("[\n  {\n    \"a\": 0\n  },"));
        assert!(!out.trim_end().ends_with(']'), "no closing bracket");
    }

    /// A sink that takes a few bytes, then fails like a closed pipe.
    struct ClosedPipe(usize);

    impl Write for ClosedPipe {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.0 < buf.len() {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            self.0 -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_stops_the_reading_with_the_writers_error() {
        let mut read = 0;
        let err = write_table(
            Format::Csv,
            &["a", "b"],
            ClosedPipe(100),
            Path::new("<stdout>"),
            |t| {
                for i in 0..10_000_000 {
                    read += 1;
                    t.row(&[Cell::Int(i), Cell::Text("some text")])?;
                }
                Ok(())
            },
        )
        .unwrap_err();
        assert!(
            matches!(&err, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe),
            "{err:?}"
        );
        assert!(read < 1_000_000, "reading went on for {read} rows");
    }

    #[test]
    fn json_escapes_what_could_act_on_a_terminal() {
        let out = table(Format::Json, &["t"], &[&[Cell::Text("x\u{9b}y\u{200b}")]]);
        assert!(out.contains("x\\u009by\\u200b"), "{out}");
    }
}
