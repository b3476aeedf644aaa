//! Writing JSON and text to stdout: the scripting contract's encoding rules in one place.

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::text::is_invisible;

/// JSON text with every character that could act on a terminal or reorder text
/// escaped as `\uXXXX`: serde_json escapes the C0 controls, this the rest (the list
/// of [`is_invisible`], shared with the terminal's rule). Such characters can only
/// occur inside JSON strings, so replacing them anywhere keeps the document valid.
pub fn json(value: &impl Serialize, pretty: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }
    .unwrap_or_else(|e| {
        format!("{{\"event\":\"error\",\"message\":\"cannot encode output: {e}\"}}")
    });
    if let Cow::Owned(escaped) = escape_invisible(&text) {
        return escaped;
    }
    text
}

/// JSON text with the characters of [`json`]'s rule escaped; for JSON written piece by
/// piece (a streamed export), where [`json`] cannot see the whole document.
pub fn escape_invisible(text: &str) -> Cow<'_, str> {
    // All of them are U+007F or above: plain ASCII below DEL needs no look at each char.
    if text.bytes().all(|b| b < 0x7f) || !text.chars().any(is_invisible) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Print one JSON document (pretty) on stdout.
pub fn print_json(value: &impl Serialize) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", json(value, true)).map_err(stdout_error)?;
    out.flush().map_err(stdout_error)
}

pub fn stdout_error(e: std::io::Error) -> Error {
    Error::Io {
        path: "<stdout>".into(),
        source: e,
    }
}

/// Print a line on stdout, returning an error (not panicking like `println!`) when
/// stdout is closed, e.g. piped into `head`.
pub fn write_line(args: std::fmt::Arguments<'_>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(stdout_error)
}

/// `println!` that returns a `Result` instead of panicking on a closed stdout.
#[macro_export]
macro_rules! outln {
    () => { $crate::output::write_line(format_args!("")) };
    ($($arg:tt)*) => { $crate::output::write_line(format_args!($($arg)*)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_characters_are_escaped_and_json_stays_valid() {
        let v = serde_json::json!({"q": "a\u{1b}[2J\u{9b}b\u{202e}c\u{200b}"});
        let s = json(&v, false);
        assert!(
            !s.chars()
                .any(|c| c == '\u{1b}' || c == '\u{9b}' || c == '\u{202e}' || c == '\u{200b}'),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
