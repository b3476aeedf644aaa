//! Text from decks is untrusted: anyone can write a deck file. This module removes what
//! could act on a terminal or hide text (escape sequences, C0/C1 controls, bidirectional
//! overrides, zero-width characters) and wraps text for display.

use std::borrow::Cow;

/// Characters that are never kept in deck text: they move the cursor, start escape
/// sequences, reorder text (Trojan Source) or hide it. The C0 controls (but newline
/// and tab), and everything [`is_invisible`] names.
fn is_hostile(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' => true,
        _ => is_invisible(c),
    }
}

/// The hostile characters above the C0 controls, the one list of them: DEL and the C1
/// controls, zero-width characters, line and paragraph separators, bidirectional
/// controls, the byte order mark and the interlinear annotation marks. JSON output
/// escapes exactly these ([`crate::output::json`]; serde_json escapes C0 itself).
#[inline]
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2069}'
        | '\u{061c}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// Deck text as it is stored: hostile characters removed, CRLF folded to LF, outer
/// whitespace trimmed. Returns the clean text and how many characters were removed.
pub fn neutralise(raw: &str) -> (String, usize) {
    let mut removed = 0;
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                continue; // CRLF is a line ending, not an attack
            }
            out.push('\n');
            continue;
        }
        if is_hostile(c) {
            removed += 1;
        } else {
            out.push(c);
        }
    }
    let trimmed = out.trim();
    if trimmed.len() != out.len() {
        out = trimmed.to_string();
    }
    (out, removed)
}

/// Text made safe for a terminal at the last moment, whatever the store holds (a file
/// written by hand or by an older version): hostile characters become U+FFFD.
pub fn for_terminal(text: &str) -> String {
    terminal_safe(text).into_owned()
}

/// [`for_terminal`] without a copy when the text is clean, as it nearly always is
/// (exports call it for every cell).
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    // Printable ASCII, line breaks and tabs are never hostile: most text is only that.
    let plain = |b: u8| matches!(b, b' '..=b'~' | b'\n' | b'\t');
    if text.bytes().all(plain) || !text.chars().any(is_hostile) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_hostile(c) { '\u{fffd}' } else { c })
            .collect(),
    )
}

/// Greedy word wrap to `width` display columns, each line prefixed by `indent`
/// (the first line by `first`). Paragraph breaks in the text are kept.
pub fn wrap(text: &str, width: usize, first: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut prefix = first;
    for (i, paragraph) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut line = String::from(prefix);
        let mut line_width = console::measure_text_width(prefix);
        let mut empty = true;
        for word in paragraph.split_whitespace() {
            let w = console::measure_text_width(word);
            if !empty && line_width + 1 + w > width {
                out.push_str(line.trim_end());
                out.push('\n');
                line = String::from(indent);
                line_width = console::measure_text_width(indent);
                empty = true;
            }
            if !empty {
                line.push(' ');
                line_width += 1;
            }
            line.push_str(word);
            line_width += w;
            empty = false;
        }
        out.push_str(line.trim_end());
        prefix = indent;
    }
    out
}

/// Shorten to at most `width` display columns, with an ellipsis when cut.
pub fn truncate(text: &str, width: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    console::truncate_str(&flat, width, "…").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_escapes_controls_bidi_and_zero_width() {
        let raw = "a\u{1b}[31mred\u{7}\u{9b}2J\u{202e}evil\u{2066}x\u{200b}y\u{feff}";
        let (clean, n) = neutralise(raw);
        assert_eq!(clean, "a[31mred2Jevilxy");
        assert_eq!(n, 7);
    }

    #[test]
    fn keeps_newlines_tabs_and_folds_crlf() {
        assert_eq!(
            neutralise("one\r\ntwo\tthree\rfour"),
            ("one\ntwo\tthree\nfour".to_string(), 0)
        );
    }

    #[test]
    fn terminal_text_replaces_instead_of_dropping() {
        assert_eq!(
            for_terminal("x\u{1b}]52;c;SGVsbG8=\u{7}"),
            "x\u{fffd}]52;c;SGVsbG8=\u{fffd}"
        );
        assert_eq!(for_terminal("plain"), "plain");
        // The ASCII shortcut agrees with the rule, character by character.
        for b in 0..=0x7fu8 {
            let c = char::from(b);
            let expected = if is_hostile(c) { '\u{fffd}' } else { c };
            assert_eq!(
                terminal_safe(&c.to_string()),
                expected.to_string(),
                "{b:#x}"
            );
        }
    }

    #[test]
    fn wraps_on_word_boundaries() {
        let w = wrap(
            "the quick brown fox jumps over the lazy dog",
            16,
            "  ",
            "  ",
        );
        assert_eq!(w, "  the quick\n  brown fox\n  jumps over the\n  lazy dog");
        assert!(w.lines().all(|l| console::measure_text_width(l) <= 16));
    }

    #[test]
    fn wrap_keeps_paragraphs_and_hanging_indent() {
        assert_eq!(wrap("ab cd\nef", 80, "A) ", "   "), "A) ab cd\n   ef");
    }
}
