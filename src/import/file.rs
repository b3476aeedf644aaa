//! Reading a deck file: bounded, text only, UTF-8, with clear errors.

use std::io::Read;
use std::path::Path;

use crate::error::{Diagnostic, Error};

/// Larger inputs are refused before they are read: no deck is that big.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

fn problem(file: &str, line: usize, column: usize, message: impl Into<String>) -> Error {
    Error::Content(vec![Diagnostic {
        file: file.to_string(),
        line,
        column,
        message: message.into(),
    }])
}

/// The text of a deck file.
pub fn read(path: &Path) -> Result<String, Error> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(problem(&name, 0, 0, "is a directory — give a deck file"));
    }
    if meta.len() > MAX_BYTES {
        return Err(problem(
            &name,
            0,
            0,
            format!(
                "is {} MiB, over the 64 MiB limit — split it into several decks",
                meta.len() / (1024 * 1024)
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // `take` guards against files that grow while read (or lie about their size).
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(problem(
            &name,
            0,
            0,
            "is over the 64 MiB limit — split it into several decks",
        ));
    }
    decode(&name, bytes)
}

/// Check and decode the bytes of a deck file.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(problem(
            name,
            0,
            0,
            "is empty — write some cards in it, or pick another file",
        ));
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(problem(
            name,
            0,
            0,
            "looks like a binary file, not a deck — give a text file (TOML, JSON, CSV or Anki text)",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let bad = e.utf8_error().valid_up_to();
            let before = &bytes[..bad];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1;
            Err(problem(
                name,
                line,
                column,
                "invalid UTF-8 — save the file as UTF-8",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<String, Error>) -> String {
        match r {
            Err(Error::Content(d)) => d[0].to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn invalid_utf8_is_located() {
        let m = message(decode("f.toml", b"[deck]\nid = \"x\xff\"\n".to_vec()));
        assert_eq!(m, "f.toml:2:8: invalid UTF-8 — save the file as UTF-8");
    }

    #[test]
    fn empty_and_binary_files() {
        assert!(message(decode("f", b"  \n".to_vec())).contains("is empty"));
        assert!(message(decode("f", b"SQLite format 3\0\0".to_vec())).contains("binary"));
        assert_eq!(
            decode("f", "\u{feff}[deck]".as_bytes().to_vec()).unwrap(),
            "[deck]"
        );
    }
}
