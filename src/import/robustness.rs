//! Property tests for every reader: arbitrary bytes and mutated valid files never make
//! a reader panic, and every failure is a located diagnostic with a message.

use std::path::Path;

use proptest::prelude::*;

use super::file;
use super::format::{self, Format};
use super::reader::{Defaults, Discard};
use super::rows::{html, slug};
use crate::deck::valid_id;
use crate::error::Error;

const FORMATS: [Format; 4] = [Format::Toml, Format::Json, Format::Csv, Format::Anki];

const TOML: &str = "[deck]\nid = \"d\"\nname = \"D\"\n\n[[topic]]\nid = \"t\"\nname = \"T\"\n\n\
[[card]]\nid = \"c\"\nkind = \"choice\"\ntopic = \"t\"\ntags = [\"x\"]\nquestion = \"Q?\"\nanswer = \"B\"\n\
[[card.option]]\ntext = \"a\"\nwhy = \"no\"\n[[card.option]]\ntext = \"b\"\n\n\
[[card]]\nid = \"r\"\nkind = \"recall\"\ntopic = \"t\"\nprompt = \"P\"\nanswer = \"A\"\nrubric = [\"one\"]\n";

const JSON: &str = "{\"deck\": {\"id\": \"d\", \"name\": \"D\"}, \"topic\": [{\"id\": \"t\", \"name\": \"T\"}],\n\
\"card\": [{\"id\": \"c\", \"kind\": \"choice\", \"topic\": \"t\", \"question\": \"Q\\u00e9?\", \"answer\": \"A\",\n\
\"option\": [{\"text\": \"a\"}, {\"text\": \"b\", \"why\": \"w\"}]},\n\
{\"id\": \"r\", \"kind\": \"recall\", \"topic\": \"t\", \"prompt\": \"P\", \"answer\": \"A\", \"rubric\": \"one\"}]}\n";

const CSV: &str = "id,deck,topic,kind,question,a,b,c,answer,explanation,why_a,tags,prompt,rubric\n\
q1,,Data poisoning,,\"Which, of these?\",one,\"t\"\"wo\",three,B,Because.,no,x|y,,\n\
r1,Other::Deck,privacy,recall,,,,,Model answer,,,,Prompt?,a|b\n";

const ANKI: &str = "#separator:tab\n#html:true\n#guid column:1\n#deck column:2\n#tags column:5\n\
g!1\tML::Sec\tWhat is <b>x</b>?\tIt&nbsp;is y<br>z\ttag1 tag2\n\
g!2\tML::Sec\t{{c1::Clipping::hint}} bounds {{c2::influence}}\t\t\n";

fn samples() -> [(Format, &'static str); 4] {
    [
        (Format::Toml, TOML),
        (Format::Json, JSON),
        (Format::Csv, CSV),
        (Format::Anki, ANKI),
    ]
}

/// Read `bytes` as `format` the way `mlsec import` does; panics (failing the property)
/// only if a failure is not a located, explained diagnostic.
fn read_as(format: Format, bytes: Vec<u8>) {
    let name = "f";
    let text = match file::decode(name, bytes) {
        Ok(text) => text,
        Err(e) => return assert_diagnostics(e),
    };
    let defaults = Defaults {
        deck: Some("fallback"),
        topic: None,
    };
    let path = Path::new("f.txt");
    match format::read(
        name,
        path,
        &text,
        format,
        defaults,
        &mut |_| {},
        &mut Discard,
    ) {
        Ok(decks) => {
            for p in decks {
                assert!(valid_id(p.deck.id.as_str()), "{:?}", p.deck.id);
            }
        }
        Err(e) => assert_diagnostics(e),
    }
}

fn assert_diagnostics(e: Error) {
    let Error::Content(diags) = e else {
        panic!("not a content error: {e}")
    };
    assert!(!diags.is_empty());
    for d in diags {
        assert!(!d.message.trim().is_empty(), "{d:?}");
        assert!(d.file == "f", "{d:?}");
        assert!(
            d.line > 0 || d.column == 0,
            "a column without a line: {d:?}"
        );
    }
}

/// A small edit of a valid file: bytes removed, inserted (often ones that mean
/// something to a reader), or a line repeated.
fn mutate(text: &str, edits: &[(u8, usize, usize, Vec<u8>)]) -> Vec<u8> {
    const TOKENS: [&[u8]; 20] = [
        b"\"",
        b",",
        b"\n",
        b"\r\n",
        b"{",
        b"}",
        b"[",
        b"]",
        b"#",
        b"\t",
        b"|",
        b"::",
        b"{{c1::",
        b"<b>",
        b"&amp;",
        "é".as_bytes(),
        b"\\u",
        b"=",
        b"\"\"",
        b"\x00",
    ];
    let mut bytes = text.as_bytes().to_vec();
    for (kind, at, len, extra) in edits {
        let at = at % (bytes.len() + 1);
        match kind % 4 {
            0 => {
                let end = (at + len % 8).min(bytes.len());
                bytes.drain(at..end);
            }
            1 => {
                let token = TOKENS[len % TOKENS.len()];
                bytes.splice(at..at, token.iter().copied());
            }
            2 => {
                bytes.splice(at..at, extra.iter().copied());
            }
            _ => {
                let start = bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let end = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |i| at + i + 1);
                let line = bytes[start..end].to_vec();
                bytes.splice(end..end, line);
            }
        }
    }
    bytes
}

#[test]
fn the_samples_are_valid() {
    for (format, text) in samples() {
        let decks = format::read_decks("f", Path::new("f"), text, format, Defaults::default())
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!(
            decks.iter().map(|p| p.cards).sum::<usize>(),
            2,
            "{format:?}"
        );
        assert_eq!(
            format::detect(Path::new("f"), text),
            Some(format),
            "{format:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        for format in FORMATS {
            read_as(format, bytes.clone());
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[ -~\\n\\t\"#,;|{}\\[\\]<>&:é]{0,400}") {
        for format in FORMATS {
            read_as(format, text.clone().into_bytes());
        }
        let _ = format::detect(Path::new("f"), &text);
    }

    #[test]
    fn mutated_valid_files_never_panic(
        edits in proptest::collection::vec(
            (any::<u8>(), any::<usize>(), any::<usize>(), proptest::collection::vec(any::<u8>(), 0..6)),
            1..6,
        )
    ) {
        for (format, text) in samples() {
            read_as(format, mutate(text, &edits));
        }
    }

    #[test]
    fn html_and_slugs_take_anything(s in "\\PC{0,200}") {
        let _ = html::to_text(&s);
        let _ = html::looks_like_html(&s);
        prop_assert!(valid_id(&slug::slug(&s)));
        prop_assert!(valid_id(&slug::text_id(&s)));
    }
}
