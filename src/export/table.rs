//! The table writer of `mlsec export`: rows of cells as CSV or JSON, with the same
//! columns in both formats.
//!
//! Rows are written as the store reads them ([`write_csv`], [`write_json`]), never
//! collected: exporting a million answers takes the memory of a few hundred rows. The
//! rows are formatted and written by a second thread while the first reads the store,
//! each on its own core when there is one free; they pass in batches of a few hundred.
//! If the reading fails, the table is left unclosed (no closing `]` in JSON): what was
//! written is not mistaken for a complete export.
//!
//! CSV goes through the `csv` crate: a header row, RFC 4180 quoting and CRLF line ends,
//! UTF-8. A text cell that a spreadsheet would run as a formula (leading `=`, `+`, `-`,
//! `@`, tab or CR) gets a leading `'`, as OWASP's CSV-injection advice has it. JSON is
//! one array of objects, laid out exactly as `serde_json`'s pretty printer would.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::clock::StudyDay;
use crate::error::{Error, Result};
use crate::{output, text};

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
    /// Text a learner typed or a script sent, kept as given (control characters too):
    /// escaped in JSON, made harmless in CSV like deck text.
    Typed(&'a str),
    /// Numbers: `1;3` in CSV, an array in JSON (`[]` when empty).
    Numbers(&'a [u32]),
}

impl<'a> Cell<'a> {
    pub(super) fn text(s: Option<&'a str>) -> Cell<'a> {
        s.map_or(Cell::Null, Cell::Text)
    }

    pub(super) fn day(d: Option<StudyDay>, buf: &'a mut String) -> Cell<'a> {
        match d {
            Some(d) => {
                *buf = d.to_string();
                Cell::Text(buf)
            }
            None => Cell::Null,
        }
    }

    pub(super) fn float(x: Option<f64>) -> Cell<'a> {
        x.map_or(Cell::Null, Cell::Float)
    }

    pub(super) fn uint(x: Option<u64>) -> Cell<'a> {
        x.map_or(Cell::Null, Cell::UInt)
    }

    pub(super) fn typed(s: Option<&'a str>) -> Cell<'a> {
        s.map_or(Cell::Null, Cell::Typed)
    }

    pub(super) fn numbers(n: Option<&'a [u32]>) -> Cell<'a> {
        n.map_or(Cell::Null, Cell::Numbers)
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

impl<W: Write> Sink<W> {
    fn csv(out: W) -> Sink<W> {
        Sink::Csv(Box::new(
            csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .buffer_capacity(BUFFER)
                .from_writer(out),
        ))
    }

    fn json(out: W, columns: &[&str]) -> Sink<W> {
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
}

impl<W: Write> Table<W> {
    /// Start a table of `columns` on `sink`; `path` names it in errors.
    fn new(sink: Sink<W>, columns: &'static [&'static str], path: &Path) -> Result<Table<W>> {
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

/// Write a CSV table of `columns` on `out` (`path` names it in errors) with the rows
/// that `produce` hands over; the number of rows.
pub fn write_csv<W: Write + Send>(
    columns: &'static [&'static str],
    out: W,
    path: &Path,
    produce: impl FnOnce(&mut Rows) -> Result<()>,
) -> Result<u64> {
    write_table(Sink::csv(out), columns, path, produce)
}

/// Write a JSON table (an array of objects) of `columns` on `out` (`path` names it in
/// errors) with the rows that `produce` hands over; the number of rows.
pub fn write_json<W: Write + Send>(
    columns: &'static [&'static str],
    out: W,
    path: &Path,
    produce: impl FnOnce(&mut Rows) -> Result<()>,
) -> Result<u64> {
    write_table(Sink::json(out, columns), columns, path, produce)
}

/// Write a table of `columns` on `sink` with the rows that `produce` hands over, in two
/// threads as the module's opening comment says; the number of rows.
fn write_table<W: Write + Send>(
    sink: Sink<W>,
    columns: &'static [&'static str],
    path: &Path,
    produce: impl FnOnce(&mut Rows) -> Result<()>,
) -> Result<u64> {
    let table = Table::new(sink, columns, path)?;
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

/// The reading side of a table ([`write_csv`], [`write_json`]): each row is copied into the current batch,
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

/// Rows in transit: their cells, with the text they hold copied into one string and
/// their lists of numbers into one vector.
struct Batch {
    text: String,
    numbers: Vec<u32>,
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
    Typed(usize, usize),
    Numbers(usize, usize),
}

impl Batch {
    fn new() -> Batch {
        Batch {
            text: String::new(),
            numbers: Vec::new(),
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
            Cell::Typed(s) => {
                let (a, b) = copy(s);
                Held::Typed(a, b)
            }
            Cell::Numbers(n) => {
                let start = self.numbers.len();
                self.numbers.extend_from_slice(n);
                Held::Numbers(start, self.numbers.len())
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
            Held::Typed(a, b) => Cell::Typed(text(a, b)),
            Held::Numbers(a, b) => Cell::Numbers(self.numbers.get(a..b).unwrap_or_default()),
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
            Cell::Deck(s) | Cell::Typed(s) => {
                w.write_field(neutralise_formula(&text::terminal_safe(s)).as_bytes())?
            }
            Cell::Numbers(n) => {
                scratch.clear();
                for (i, x) in n.iter().enumerate() {
                    if i > 0 {
                        scratch.push(b';');
                    }
                    scratch.extend_from_slice(x.to_string().as_bytes());
                }
                w.write_field(&scratch[..])?;
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

/// A cell as JSON: a number, bool, null or string, or a list of numbers laid out as the
/// pretty printer lays out an array inside a row's object.
fn json_scalar<W: Write>(out: &mut W, cell: Cell<'_>) -> std::io::Result<()> {
    match cell {
        Cell::Null => out.write_all(b"null"),
        Cell::Bool(b) => out.write_all(if b { b"true" } else { b"false" }),
        Cell::Int(i) => Ok(serde_json::to_writer(out, &i)?),
        Cell::UInt(u) => Ok(serde_json::to_writer(out, &u)?),
        Cell::Float(x) if x.is_finite() => Ok(serde_json::to_writer(out, &x)?),
        Cell::Float(_) => out.write_all(b"null"),
        Cell::Text(s) | Cell::Typed(s) => json_str(out, s),
        Cell::Deck(s) => json_str(out, &text::terminal_safe(s)),
        // In a row object, laid out as the pretty printer lays out a nested array.
        Cell::Numbers([]) => out.write_all(b"[]"),
        Cell::Numbers(n) => {
            out.write_all(b"[")?;
            for (i, x) in n.iter().enumerate() {
                out.write_all(if i == 0 { b"\n      " } else { b",\n      " })?;
                serde_json::to_writer(&mut *out, x)?;
            }
            out.write_all(b"\n    ]")
        }
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

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::export::Format;

    fn table(format: Format, columns: &'static [&'static str], rows: &[&[Cell<'_>]]) -> String {
        let mut out = Vec::new();
        let produce = |t: &mut Rows| rows.iter().try_for_each(|row| t.row(row));
        let n = match format {
            Format::Csv => write_csv(columns, &mut out, Path::new("<test>"), produce),
            Format::Json => write_json(columns, &mut out, Path::new("<test>"), produce),
            Format::Anki => unreachable!("Anki notes are not a table"),
        }
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
        let err = write_json(&["a"], &mut out, Path::new("<test>"), |t| {
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
        let err = write_csv(&["a", "b"], ClosedPipe(100), Path::new("<stdout>"), |t| {
            for i in 0..10_000_000 {
                read += 1;
                t.row(&[Cell::Int(i), Cell::Text("some text")])?;
            }
            Ok(())
        })
        .unwrap_err();
        assert!(
            matches!(&err, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe),
            "{err:?}"
        );
        assert!(read < 1_000_000, "reading went on for {read} rows");
    }

    #[test]
    fn lists_of_numbers_and_typed_text_in_both_formats() {
        let rows: &[&[Cell<'_>]] = &[
            &[Cell::Numbers(&[1, 3]), Cell::Typed("=1+1\u{1b}[2J\nok")],
            &[Cell::Numbers(&[]), Cell::Null],
            &[Cell::Null, Cell::Typed("plain")],
        ];
        let json_text = table(Format::Json, &["covered", "answer_text"], rows);
        let objects = json!([
            {"covered": [1, 3], "answer_text": "=1+1\u{1b}[2J\nok"},
            {"covered": [], "answer_text": null},
            {"covered": null, "answer_text": "plain"},
        ]);
        assert_eq!(json_text, output::json(&objects, true) + "\n");
        assert!(!json_text.contains('\u{1b}'), "escaped, kept as typed");
        assert_eq!(
            table(Format::Csv, &["covered", "answer_text"], rows),
            "covered,answer_text\r\n1;3,\"'=1+1\u{fffd}[2J\nok\"\r\n,\r\n,plain\r\n"
        );
    }

    #[test]
    fn json_escapes_what_could_act_on_a_terminal() {
        let out = table(Format::Json, &["t"], &[&[Cell::Text("x\u{9b}y\u{200b}")]]);
        assert!(out.contains("x\\u009by\\u200b"), "{out}");
    }
}
