//! Delimited text (RFC 4180 CSV, and the same with tab, `;` or `|`): the tokenizer
//! under the CSV and Anki readers. Written here rather than taken from the `csv` crate
//! because every cell needs its own `line:column` for messages, including cells that
//! follow a quoted cell spanning several lines.

use std::borrow::Cow;

use crate::import::validate::Pos;

/// One cell: its text (quotes removed, `""` unescaped) and where it starts.
#[derive(Debug, PartialEq, Eq)]
pub struct Field<'a> {
    pub text: Cow<'a, str>,
    pub pos: Pos,
}

/// One record: the line it starts on and its cells.
#[derive(Debug)]
pub struct Record<'a> {
    pub line: usize,
    pub fields: Vec<Field<'a>>,
}

/// A syntax error: where, and the message.
pub type Fail = (Pos, String);

pub struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    i: usize,
    line: usize,
    line_start: usize,
    col_at: usize,
    col: usize,
    delimiter: u8,
    /// Lines starting with `#` are skipped (Anki's files; never inside a record).
    comments: bool,
    failed: bool,
}

impl<'a> Reader<'a> {
    /// `delimiter` must be ASCII.
    pub fn new(text: &'a str, delimiter: u8, comments: bool) -> Reader<'a> {
        Reader {
            text,
            bytes: text.as_bytes(),
            i: 0,
            line: 1,
            line_start: 0,
            col_at: 0,
            col: 1,
            delimiter,
            comments,
            failed: false,
        }
    }

    /// Start reading at byte `offset`, which begins line `line` (after a file's
    /// header lines).
    pub fn starting_at(mut self, offset: usize, line: usize) -> Reader<'a> {
        self.i = offset.min(self.bytes.len());
        self.line = line;
        self.line_start = self.i;
        self.col_at = self.i;
        self
    }

    /// Bytes consumed so far, for progress.
    pub fn offset(&self) -> usize {
        self.i
    }

    fn pos(&mut self) -> Pos {
        if self.col_at < self.line_start {
            self.col_at = self.line_start;
            self.col = 1;
        }
        if self.i > self.col_at {
            let s = &self.bytes[self.col_at..self.i];
            // Characters = bytes that do not continue a UTF-8 sequence.
            self.col += s.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
            self.col_at = self.i;
        }
        Pos {
            line: self.line,
            column: self.col,
        }
    }

    fn newline(&mut self) {
        self.line += 1;
        self.line_start = self.i;
    }

    /// Skip to the start of the next line.
    fn skip_line(&mut self) {
        while let Some(&b) = self.bytes.get(self.i) {
            self.i += 1;
            if b == b'\n' {
                self.newline();
                return;
            }
        }
    }

    fn at_line_end(&self) -> bool {
        match self.bytes.get(self.i) {
            None | Some(b'\n') => true,
            Some(b'\r') => matches!(self.bytes.get(self.i + 1), None | Some(b'\n')),
            _ => false,
        }
    }

    /// Consume a line ending (or nothing at the end of the text).
    fn end_line(&mut self) {
        if self.bytes.get(self.i) == Some(&b'\r') {
            self.i += 1;
        }
        if self.bytes.get(self.i) == Some(&b'\n') {
            self.i += 1;
            self.newline();
        }
    }

    /// The next record, skipping empty lines (and comment lines when asked). After a
    /// syntax error nothing more is read: the rest of the file cannot be trusted.
    pub fn next_record(&mut self) -> Option<Result<Record<'a>, Fail>> {
        if self.failed {
            return None;
        }
        loop {
            if self.i >= self.bytes.len() {
                return None;
            }
            if self.at_line_end() {
                self.end_line();
                continue;
            }
            if self.comments && self.bytes[self.i] == b'#' {
                self.skip_line();
                continue;
            }
            break;
        }
        let line = self.line;
        let mut fields = Vec::new();
        loop {
            match self.field() {
                Ok(f) => fields.push(f),
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
            if self.bytes.get(self.i) == Some(&self.delimiter) {
                self.i += 1;
                continue;
            }
            self.end_line();
            return Some(Ok(Record { line, fields }));
        }
    }

    fn field(&mut self) -> Result<Field<'a>, Fail> {
        let pos = self.pos();
        if self.bytes.get(self.i) != Some(&b'"') {
            let start = self.i;
            loop {
                let rest = self.bytes.get(self.i..).unwrap_or_default();
                match memchr::memchr3(self.delimiter, b'\n', b'\r', rest) {
                    None => {
                        self.i = self.bytes.len();
                        break;
                    }
                    Some(n) => {
                        self.i += n;
                        // A CR is a line ending only before LF or at the end.
                        if self.bytes[self.i] == b'\r' && !self.at_line_end() {
                            self.i += 1;
                            continue;
                        }
                        break;
                    }
                }
            }
            let text = self.text.get(start..self.i).unwrap_or_default();
            return Ok(Field {
                text: Cow::Borrowed(text),
                pos,
            });
        }
        // Quoted: runs between doubled quotes are borrowed when there are none.
        self.i += 1;
        let mut start = self.i;
        let mut owned: Option<String> = None;
        loop {
            match self.bytes.get(self.i) {
                None => {
                    return Err((
                        pos,
                        "this quoted cell is never closed — add the closing `\"` (a quote inside a cell is written `\"\"`)".to_string(),
                    ));
                }
                Some(b'"') => {
                    if self.bytes.get(self.i + 1) == Some(&b'"') {
                        let run = self.text.get(start..=self.i).unwrap_or_default();
                        owned.get_or_insert_with(String::new).push_str(run);
                        self.i += 2;
                        start = self.i;
                        continue;
                    }
                    let run = self.text.get(start..self.i).unwrap_or_default();
                    self.i += 1;
                    if !(self.at_line_end() || self.bytes.get(self.i) == Some(&self.delimiter)) {
                        let at = self.pos();
                        return Err((
                            at,
                            "text after the closing quote of a cell — quote the whole cell and double the quotes inside it (\"\")".to_string(),
                        ));
                    }
                    let text = match owned {
                        Some(mut s) => {
                            s.push_str(run);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(run),
                    };
                    return Ok(Field { text, pos });
                }
                Some(b'\n') => {
                    self.i += 1;
                    self.newline();
                }
                Some(_) => {
                    let rest = self.bytes.get(self.i..).unwrap_or_default();
                    self.i += memchr::memchr2(b'"', b'\n', rest).unwrap_or(rest.len());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str, d: u8) -> Vec<Vec<(String, usize, usize)>> {
        let mut r = Reader::new(text, d, false);
        let mut out = Vec::new();
        while let Some(rec) = r.next_record() {
            out.push(
                rec.unwrap()
                    .fields
                    .into_iter()
                    .map(|f| (f.text.into_owned(), f.pos.line, f.pos.column))
                    .collect(),
            );
        }
        out
    }

    #[test]
    fn rfc4180_quoting_and_positions() {
        let text = "a,\"b,\"\"c\"\"\",é\r\n\n\"multi\nline\",x\nlast,\n";
        let rows = cells(text, b',');
        assert_eq!(
            rows,
            vec![
                vec![
                    ("a".into(), 1, 1),
                    ("b,\"c\"".into(), 1, 3),
                    ("é".into(), 1, 13)
                ],
                vec![("multi\nline".into(), 3, 1), ("x".into(), 4, 7)],
                vec![("last".into(), 5, 1), ("".into(), 5, 6)],
            ]
        );
    }

    #[test]
    fn other_delimiters_and_comments() {
        let mut r = Reader::new("#separator:tab\na\tb;c\n# note\nd\te\n", b'\t', true);
        let first = r.next_record().unwrap().unwrap();
        assert_eq!(first.line, 2);
        assert_eq!(first.fields[1].text, "b;c");
        let second = r.next_record().unwrap().unwrap();
        assert_eq!((second.line, second.fields.len()), (4, 2));
        assert!(r.next_record().is_none());
    }

    #[test]
    fn broken_quotes_are_located() {
        let mut r = Reader::new("a,b\nc,\"never closed\n", b',', false);
        r.next_record().unwrap().unwrap();
        let (pos, msg) = r.next_record().unwrap().unwrap_err();
        assert_eq!(pos, Pos { line: 2, column: 3 });
        assert!(msg.contains("never closed"));
        assert!(r.next_record().is_none());

        let mut r = Reader::new("\"ab\"c,d\n", b',', false);
        let (pos, msg) = r.next_record().unwrap().unwrap_err();
        assert_eq!(pos, Pos { line: 1, column: 5 });
        assert!(msg.contains("after the closing quote"));
    }
}
