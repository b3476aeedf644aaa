//! The JSON twin of the native format: the same schema as the TOML file (`deck`,
//! `topic`, `card`, `option`), read into the same positioned [`Node`] tree so that one
//! validator checks both and every problem has its `line:column`.
//!
//! A small parser of its own rather than serde_json: serde_json reports positions for
//! syntax errors only, and a deck's errors are mostly about values ("answer E is not
//! one of the options"), which need the position of each value.
//!
//! Crates that do give value positions were measured against it (issue 12), on 30,150
//! files (the tests' samples, broken ones, the built-in deck, and 30,000 random edits
//! of the small ones), 10,000 property-test inputs each, a 54 MiB deck of 20,000 cards
//! (best of 5, two shared cores) and a nesting 1,000,000 deep. None panicked or
//! overflowed its stack; none was kept:
//!
//! - `jsonc-parser` 0.34.0 (MIT, no dependencies): the same value positions as this
//!   parser wherever both accept, but 0.33 s against 0.12 s and 213 against 162 MB on
//!   the large deck; on 4,892 of the 29,285 broken files (17 %) it names another place
//!   than this parser, sometimes lines further on; it accepts raw control characters and
//!   line breaks inside strings and duplicate keys; its messages say nothing of what to
//!   do ("Expected comma"). Of the 12 cases in `syntax_errors_name_line_and_column` it
//!   places 8 elsewhere and accepts one (a duplicate key).
//! - `json-spanned-value` 0.2.2 (serde_json underneath): 0.68 s; serde_json's error
//!   places (after the fault: another place on 3,962 broken files) and wording; keys
//!   sorted by name, or in file order only through a second `indexmap` (1.x), which
//!   deny.toml's rule against duplicate crates refuses.
//! - `spanned_json_parser` 0.2.0: 2.2 s, 321 MB, and other positions or values than
//!   this parser's on 693 files that both accept.

use super::node::{Key, Node, Value};
use crate::error::Diagnostic;
use crate::import::validate::Pos;

/// Deeper nesting is refused (a deck needs four levels) so that a hostile file cannot
/// exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Parse JSON text; the first syntax error becomes one diagnostic at its position.
pub fn parse(file: &str, text: &str) -> Result<Node<'static>, Diagnostic> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        i: 0,
        line: 1,
        line_start: 0,
        col_at: 0,
        col: 1,
        depth: 0,
    };
    let result = p.document();
    result.map_err(|(pos, message)| Diagnostic {
        file: file.to_string(),
        line: pos.line,
        column: pos.column,
        message,
    })
}

type Fail = (Pos, String);

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    i: usize,
    line: usize,
    line_start: usize,
    /// Byte offset and column last computed on the current line: columns are counted
    /// in characters, incrementally, so a minified one-line file stays linear.
    col_at: usize,
    col: usize,
    depth: usize,
}

impl Parser<'_> {
    fn pos(&mut self) -> Pos {
        if self.col_at < self.line_start {
            self.col_at = self.line_start;
            self.col = 1;
        }
        if self.i > self.col_at {
            let end = self.i.min(self.text.len());
            self.col += self
                .text
                .get(self.col_at..end)
                .map_or(0, |s| s.chars().count());
            self.col_at = end;
        }
        Pos {
            line: self.line,
            column: self.col,
        }
    }

    fn fail<T>(&mut self, message: impl Into<String>) -> Result<T, Fail> {
        let pos = self.pos();
        Err((
            pos,
            format!(
                "invalid JSON: {} — fix the syntax at this place",
                message.into()
            ),
        ))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.i).copied()
    }

    /// What is at the cursor, for messages.
    fn found(&self) -> String {
        match self.text.get(self.i..).and_then(|s| s.chars().next()) {
            None => "the end of the file".to_string(),
            Some(c) if c.is_control() => format!("{:?}", c),
            Some(c) => format!("`{c}`"),
        }
    }

    fn skip_ws(&mut self) -> Result<(), Fail> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' => self.i += 1,
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.line_start = self.i;
                }
                b'/' if matches!(self.bytes.get(self.i + 1), Some(b'/' | b'*')) => {
                    return self.fail("JSON has no comments — remove the comment");
                }
                _ => break,
            }
        }
        Ok(())
    }

    fn document(&mut self) -> Result<Node<'static>, Fail> {
        self.skip_ws()?;
        let root = self.value()?;
        self.skip_ws()?;
        if self.i < self.bytes.len() {
            let found = self.found();
            return self.fail(format!(
                "unexpected {found} after the end of the document (one top-level object per file)"
            ));
        }
        Ok(root)
    }

    fn value(&mut self) -> Result<Node<'static>, Fail> {
        let pos = self.pos();
        match self.peek() {
            Some(b'{') => self.nested(|p| p.object(pos)),
            Some(b'[') => self.nested(|p| p.array(pos)),
            Some(b'"') => Ok(Node::str(pos, self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(pos),
            Some(b't') => self.word("true", pos, "a boolean"),
            Some(b'f') => self.word("false", pos, "a boolean"),
            Some(b'n') => self.word("null", pos, "null"),
            _ => {
                let found = self.found();
                self.fail(format!("expected a value, found {found}"))
            }
        }
    }

    fn nested(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<Node<'static>, Fail>,
    ) -> Result<Node<'static>, Fail> {
        if self.depth >= MAX_DEPTH {
            return self.fail(format!("nested more than {MAX_DEPTH} levels deep"));
        }
        self.depth += 1;
        let node = f(self);
        self.depth -= 1;
        node
    }

    fn object(&mut self, pos: Pos) -> Result<Node<'static>, Fail> {
        self.i += 1; // {
        let mut entries: Vec<(Key, Node<'static>)> = Vec::new();
        self.skip_ws()?;
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(Node::table(pos, entries));
        }
        loop {
            self.skip_ws()?;
            if self.peek() != Some(b'"') {
                let found = self.found();
                return if self.peek() == Some(b'}') {
                    self.fail("trailing comma before `}` — remove the last comma")
                } else {
                    self.fail(format!("expected a key in double quotes, found {found}"))
                };
            }
            let key_pos = self.pos();
            let key = self.string()?;
            if entries.iter().any(|(k, _)| *k == key) {
                return Err((
                    key_pos,
                    format!("duplicate key `{key}` — each key may appear once in an object"),
                ));
            }
            self.skip_ws()?;
            if self.peek() != Some(b':') {
                let found = self.found();
                return self.fail(format!("expected `:` after the key, found {found}"));
            }
            self.i += 1;
            self.skip_ws()?;
            let value = self.value()?;
            entries.push((Key::Owned(key), value));
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(Node::table(pos, entries));
                }
                None => return self.fail("the file ends inside an object — close it with `}`"),
                _ => {
                    let found = self.found();
                    return self.fail(format!(
                        "expected `,` or `}}` after a value, found {found} (a comma may be missing)"
                    ));
                }
            }
        }
    }

    fn array(&mut self, pos: Pos) -> Result<Node<'static>, Fail> {
        self.i += 1; // [
        let mut items = Vec::new();
        self.skip_ws()?;
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(Node::array(pos, items));
        }
        loop {
            self.skip_ws()?;
            if self.peek() == Some(b']') {
                return self.fail("trailing comma before `]` — remove the last comma");
            }
            items.push(self.value()?);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(Node::array(pos, items));
                }
                None => return self.fail("the file ends inside an array — close it with `]`"),
                _ => {
                    let found = self.found();
                    return self.fail(format!(
                        "expected `,` or `]` after a value, found {found} (a comma may be missing)"
                    ));
                }
            }
        }
    }

    fn word(&mut self, word: &str, pos: Pos, kind: &'static str) -> Result<Node<'static>, Fail> {
        if self.text.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(Node {
                pos,
                value: Value::Other(kind),
            })
        } else {
            let found = self.found();
            self.fail(format!(
                "expected a value, found {found} (strings need double quotes)"
            ))
        }
    }

    fn number(&mut self, pos: Pos) -> Result<Node<'static>, Fail> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let from = p.i;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.i += 1;
            }
            p.i - from
        };
        let int_start = self.i;
        let n = digits(self);
        if n == 0 || (n > 1 && self.bytes.get(int_start) == Some(&b'0')) {
            return self.fail("malformed number");
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.i += 1;
            if digits(self) == 0 {
                return self.fail("malformed number: digits must follow `.`");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return self.fail("malformed number: digits must follow the exponent");
            }
        }
        let literal = self.text.get(start..self.i).unwrap_or_default();
        let value = if integer {
            literal
                .parse::<i64>()
                .map(Value::Int)
                .unwrap_or(Value::Other("an integer out of range"))
        } else {
            Value::Other("a number with a fraction")
        };
        Ok(Node { pos, value })
    }

    fn string(&mut self) -> Result<String, Fail> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character at once.
            let run_start = self.i;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            out.push_str(self.text.get(run_start..self.i).unwrap_or_default());
            match self.peek() {
                None => return self.fail("the file ends inside a string — close it with `\"`"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(b'\n') => {
                    return self.fail("a string runs past the end of the line — close it with `\"`, or write a line break as \\n");
                }
                Some(_) => {
                    return self.fail(
                        "control character inside a string — write it as an escape (\\t, \\n or \\u00XX)",
                    );
                }
            }
        }
    }

    fn escape(&mut self) -> Result<char, Fail> {
        let Some(b) = self.peek() else {
            return self.fail("the file ends inside a string — close it with `\"`");
        };
        self.i += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi) {
                    if self.bytes.get(self.i..self.i + 2) != Some(b"\\u") {
                        return self.fail(format!("unpaired surrogate \\u{hi:04X}"));
                    }
                    self.i += 2;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return self.fail(format!("unpaired surrogate \\u{hi:04X}"));
                    }
                    let code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    char::from_u32(code).unwrap_or('\u{fffd}')
                } else if (0xDC00..0xE000).contains(&hi) {
                    return self.fail(format!("unpaired surrogate \\u{hi:04X}"));
                } else {
                    char::from_u32(hi).unwrap_or('\u{fffd}')
                }
            }
            _ => {
                self.i -= 1;
                let found = self.found();
                return self.fail(format!(
                    "unknown escape \\{} — use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX",
                    found.trim_matches('`')
                ));
            }
        })
    }

    fn hex4(&mut self) -> Result<u32, Fail> {
        let digits = self
            .text
            .get(self.i..self.i + 4)
            .filter(|s| s.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(v) => {
                self.i += 4;
                Ok(v)
            }
            None => self.fail("\\u needs four hex digits"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::import::tree::check;
    use crate::import::validate::Syntax;

    fn err(text: &str) -> String {
        parse("f.json", text).unwrap_err().to_string()
    }

    #[test]
    fn values_carry_their_positions() {
        let text = "{\n  \"deck\": {\"id\": \"d\"},\n  \"card\": [\n    {\"id\": \"é\", \"n\": -12}\n  ]\n}";
        let root = parse("f.json", text).unwrap();
        let deck = root.get("deck").unwrap();
        assert_eq!(
            deck.pos,
            Pos {
                line: 2,
                column: 11
            }
        );
        assert_eq!(
            deck.get("id").unwrap().pos,
            Pos {
                line: 2,
                column: 18
            }
        );
        let Value::Array(cards) = &root.get("card").unwrap().value else {
            panic!("card is not an array")
        };
        assert_eq!(cards[0].pos, Pos { line: 4, column: 5 });
        let n = cards[0].get("n").unwrap();
        assert_eq!(
            (n.pos, &n.value),
            (
                Pos {
                    line: 4,
                    column: 22
                },
                &Value::Int(-12)
            )
        );
    }

    #[test]
    fn strings_unescape() {
        let root = parse("f", r#"{"s": "a\"b\\c\n\u00e9\ud83d\ude00\/"}"#).unwrap();
        assert_eq!(
            root.get("s").unwrap().value,
            Value::Str("a\"b\\c\né😀/".into())
        );
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        assert_eq!(
            err("{\n  \"a\": \"x\"\n  \"b\": 1\n}"),
            "f.json:3:3: invalid JSON: expected `,` or `}` after a value, found `\"` (a comma may be missing) — fix the syntax at this place"
        );
        assert!(
            err("{\"a\": [1, 2,]}")
                .starts_with("f.json:1:13: invalid JSON: trailing comma before `]`")
        );
        assert!(err("{\"a\": 1,}").contains("trailing comma before `}`"));
        assert!(err("{\"a\": \"x").contains("ends inside a string"));
        assert!(err("{\"a\": tru}").contains("strings need double quotes"));
        assert!(err("{\"a\": 1} x").contains("after the end of the document"));
        assert!(err("{\"a\": 1, \"a\": 2}").starts_with("f.json:1:10: duplicate key `a`"));
        assert!(err("// c\n{}").contains("JSON has no comments"));
        assert!(err("{\"a\": \"\\ud800\"}").contains("unpaired surrogate"));
        assert!(err("{\"a\": \"\\q\"}").contains("unknown escape \\q"));
        assert!(err("{\"a\": 01}").contains("malformed number"));
        assert!(err(&"[".repeat(100)).contains("nested more than 64"));
    }

    #[test]
    fn the_validator_speaks_json() {
        let text = r#"{"deck": {"id": "d", "name": "D"},
 "topic": [{"id": "t", "name": "T"}],
 "card": [{"id": "c", "kind": "choice", "topic": "t", "question": "Q?", "answer": "C",
           "option": [{"text": "a"}, {"text": "b"}]},
          {"id": "r", "kind": "recall", "topic": "t", "answer": "x"}]}"#;
        let root = parse("f.json", text).unwrap();
        let Err(Error::Content(diags)) = check("f.json", &root, Syntax::Json) else {
            panic!("expected problems")
        };
        let messages: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("f.json:3:83: answer \"C\" is not one of the options")),
            "{messages:#?}"
        );
        assert!(
            messages.iter().any(|m| m.starts_with("f.json:5:11:")
                && m.contains("a recall card is missing `prompt` — add \"prompt\": \"…\"")),
            "{messages:#?}"
        );
    }
}
