//! A deck from a stranger: escape sequences (colour, cursor moves, OSC 52 clipboard
//! writes, OSC 8 links), C0 and C1 controls, bidirectional overrides and zero-width
//! characters in every text field. Import neutralises and counts them; nothing of
//! them reaches the terminal raw; JSON escapes them, also when they are in the
//! database already (a file edited by hand or written by an older version).
//! Exported to CSV, its cells cannot run as spreadsheet formulas.

use expectrl::{Eof, Expect};
use serde_json::Value;

use crate::env::{TestEnv, events, of};
use crate::pty::spawn;

/// Each payload with the number of characters import must remove from it.
const PAYLOADS: [(&str, usize); 8] = [
    ("colour \x1b[31;1mRED\x1b[0m", 2),
    ("cursor \x1b[2J\x1b[5;5Hmoved\x1b[1A", 3),
    ("clipboard \x1b]52;c;cm0gLXJmIH4K\x07", 2),
    (
        "link \x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
        4,
    ),
    ("c0 bell\x07back\x08nul\x00vt\x0bff\x0cdel\x7f", 6),
    ("c1 \u{9b}2J\u{9d}52;c;aGk=\u{9c}\u{85}", 4),
    (
        "bidi \u{202a}\u{202b}\u{202c}\u{202d}\u{202e}nimda\u{2066}\u{2067}\u{2068}\u{2069}",
        9,
    ),
    ("zero\u{200b}width\u{200c}\u{200d}\u{2060}\u{feff}", 5),
];

/// The sequences a hostile deck would use to act on a terminal; none may reach it.
const ATTACKS: [&str; 9] = [
    "\x1b[31;1m",
    "\x1b[2J",
    "\x1b[5;5H",
    "\x1b]52;",
    "\x1b]8;",
    "\x07",
    "\u{9b}2J",
    "\u{9d}52",
    "\x00",
];

/// Characters that never belong in output: C0 controls other than newline, tab and
/// the terminal's own ESC/CR (checked apart), DEL, C1, bidi controls, zero-width.
fn is_hostile(c: char, allow_esc_and_cr: bool) -> bool {
    match c {
        '\n' | '\t' => false,
        '\x1b' | '\r' => !allow_esc_and_cr,
        '\0'..='\x1f' | '\x7f'..='\u{9f}' => true,
        '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' => true,
        '\u{feff}' => true,
        _ => false,
    }
}

fn hostile_in(text: &str, allow_esc_and_cr: bool) -> Vec<String> {
    text.chars()
        .filter(|&c| is_hostile(c, allow_esc_and_cr))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect()
}

/// A TOML basic string: controls as \u escapes (TOML forbids them raw), everything
/// else (C1, bidi, zero-width) raw, as a hostile file would have it.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0'..='\x1f' | '\x7f' => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The hostile deck, and how many characters its texts hold that must be removed.
fn hostile_deck() -> (String, usize) {
    let mut n = 0;
    let mut expected = 0;
    let mut field = |label: &str| {
        let (payload, count) = PAYLOADS[n % PAYLOADS.len()];
        n += 1;
        expected += count;
        toml_string(&format!("{label} {payload}"))
    };
    let deck = format!(
        r#"[deck]
id = "hostile"
name = {}
description = {}
framework = [{}, {}]

[[topic]]
id = "t"
name = {}

[[card]]
id = "choice"
kind = "choice"
topic = "t"
tags = ["plain", {}]
question = {}
answer = "A"
explanation = {}
[[card.option]]
text = {}
why = {}
[[card.option]]
text = {}
why = {}
[[card.option]]
text = {}
why = {}

[[card]]
id = "recall"
kind = "recall"
topic = "t"
prompt = {}
answer = {}
rubric = [{}, {}]
"#,
        field("Deck"),
        field("Description"),
        field("Classify"),
        field("Defend"),
        field("Topic"),
        field("tag"),
        field("Question"),
        field("Explanation"),
        field("Option A"),
        field("Why A"),
        field("Option B"),
        field("Why B"),
        field("Option C"),
        field("Why C"),
        field("Prompt"),
        field("Model answer"),
        field("Point one"),
        field("Point two"),
    );
    (deck, expected)
}

/// Every string inside a JSON value.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

fn import_hostile(env: &TestEnv) -> Value {
    let (deck, _) = hostile_deck();
    let file = env.file("hostile.toml", &deck);
    env.json(&["import", file.to_str().unwrap()])
}

/// Put the raw payloads back into the stored choice card, topic and framework, as a
/// database edited by hand (or written by an older mlsec) could hold them.
fn poison_the_store(env: &TestEnv) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let body: String = conn
        .query_row(
            "SELECT body FROM card WHERE deck_id = 'hostile' AND slug = 'choice'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut body: Value = serde_json::from_str(&body).unwrap();
    body["question"] = PAYLOADS
        .iter()
        .map(|(p, _)| *p)
        .collect::<Vec<_>>()
        .join(" ")
        .into();
    for (i, option) in body["options"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        option["text"] = format!("Option {i} {}", PAYLOADS[i].0).into();
        option["why"] = format!("Why {i} {}", PAYLOADS[i + 3].0).into();
    }
    body["explanation"] = format!("Explanation {}", PAYLOADS[6].0).into();
    conn.execute(
        "UPDATE card SET body = ?1 WHERE deck_id = 'hostile' AND slug = 'choice'",
        [body.to_string()],
    )
    .unwrap();
    conn.execute(
        "UPDATE topic SET name = ?1 WHERE deck_id = 'hostile'",
        [format!("Topic {}", PAYLOADS[2].0)],
    )
    .unwrap();
    conn.execute(
        "UPDATE deck SET framework = ?1 WHERE id = 'hostile'",
        [serde_json::json!([PAYLOADS[3].0, PAYLOADS[7].0]).to_string()],
    )
    .unwrap();
}

#[test]
fn import_neutralises_and_counts_every_hostile_character() {
    let env = TestEnv::new();
    let (deck, expected) = hostile_deck();
    let file = env.file("hostile.toml", &deck);
    let text = env.ok(&["import", "--dry-run", file.to_str().unwrap()]);
    assert!(
        text.contains(&format!(
            "removed {expected} control or invisible characters (escape sequences, bidi overrides, …)"
        )),
        "{text}"
    );
    let report = import_hostile(&env);
    assert_eq!(report["neutralised"], expected);
    assert_eq!(report["files"][0]["neutralised"], expected);
    assert_eq!(report["added"], 2);

    // Nothing hostile is stored, and the visible text around it is kept.
    let mut stored: Vec<String> = Vec::new();
    for sql in [
        "SELECT name FROM deck WHERE id = 'hostile'",
        "SELECT description FROM deck WHERE id = 'hostile'",
        "SELECT name FROM topic WHERE deck_id = 'hostile'",
    ] {
        stored.extend(env.query::<String>(sql));
    }
    for sql in [
        "SELECT framework FROM deck WHERE id = 'hostile'",
        "SELECT body FROM card WHERE deck_id = 'hostile'",
        "SELECT tags FROM card WHERE deck_id = 'hostile'",
    ] {
        for json in env.query::<String>(sql) {
            strings(&serde_json::from_str(&json).unwrap(), &mut stored);
        }
    }
    // 18 hostile fields, the tag "plain" and the two kinds.
    assert_eq!(stored.len(), 21, "every text field: {stored:?}");
    for text in &stored {
        assert_eq!(hostile_in(text, false), Vec::<String>::new(), "{text:?}");
    }
    let body: Value = serde_json::from_str(
        &env.query::<String>("SELECT body FROM card WHERE slug = 'choice'")[0],
    )
    .unwrap();
    assert_eq!(body["question"], "Question bidi nimda");
    assert_eq!(
        body["options"][1]["text"],
        "Option B clipboard ]52;c;cm0gLXJmIH4K"
    );

    // Importing the same file again changes nothing: the clean text is stable.
    let again = import_hostile(&env);
    assert_eq!(
        (again["unchanged"].as_u64(), again["updated"].as_u64()),
        (Some(2), Some(0))
    );
}

#[test]
fn json_sessions_escape_hostile_text_and_keep_it_intact() {
    let env = TestEnv::new();
    import_hostile(&env);
    poison_the_store(&env);
    let out = env.run(
        &["study", "--json", "--deck", "hostile", "--no-shuffle"],
        "B\n2\nA\nquit\n",
    );
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        hostile_in(&stdout, false),
        Vec::<String>::new(),
        "raw in:\n{stdout}"
    );
    let events = events(stdout.as_bytes());
    let question = of(&events, "question")[0];
    let all: Vec<&str> = PAYLOADS.iter().map(|(p, _)| *p).collect();
    assert_eq!(question["question"], all.join(" "), "escaped, not dropped");
    assert_eq!(question["topic_name"], format!("Topic {}", PAYLOADS[2].0));
    assert_eq!(
        question["options"][0]["text"],
        format!("Option 0 {}", PAYLOADS[0].0)
    );
    let answer = of(&events, "answer")[0];
    assert_eq!(answer["why"], format!("Why 1 {}", PAYLOADS[4].0));
    assert_eq!(
        answer["explanation"],
        format!("Explanation {}", PAYLOADS[6].0)
    );
    // The imported (neutralised) recall card comes through as stored.
    let recall = of(&events, "question")
        .into_iter()
        .find(|q| q["kind"] == "recall")
        .unwrap();
    assert_eq!(recall["question"], "Prompt bidi nimda");

    // The dashboard and the import report are JSON documents too.
    let dashboard = env.ok(&["--json"]);
    assert_eq!(hostile_in(&dashboard, false), Vec::<String>::new());
}

#[test]
fn an_error_quoting_a_hostile_deck_is_printed_inert() {
    let env = TestEnv::new();
    let (deck, _) = hostile_deck();
    // An unknown key made of escape sequences: the error message quotes it.
    let deck = deck.replacen(
        "[deck]\n",
        "[deck]\n\"\\u001B]52;c;cm0gLXJmIH4K\\u0007\\u202E\" = 1\n",
        1,
    );
    let file = env.file("bad.toml", &deck);
    let err = env.fails(&["import", file.to_str().unwrap()], 1);
    assert!(err.contains("unknown field"), "{err}");
    assert_eq!(hostile_in(&err, false), Vec::<String>::new(), "{err:?}");
    assert!(
        err.contains("\u{fffd}]52;c;cm0gLXJmIH4K\u{fffd}\u{fffd}"),
        "{err}"
    );
}

/// The whole of a terminal session over the hostile deck: a wrong answer (both reasons,
/// the explanation and the framework are shown), a recall card (model answer and its
/// rubric as a checklist, then as the record of what was ticked), then quit from the
/// repeat queue.
#[test]
fn no_hostile_byte_reaches_the_terminal() {
    let env = TestEnv::new();
    import_hostile(&env);
    poison_the_store(&env);
    // In colour, as most learners see it: the terminal then carries mlsec's own escape
    // sequences, and the check is that none of the deck's gets through.
    let mut p = spawn(
        &env,
        &[
            "study",
            "--deck",
            "hostile",
            "--no-shuffle",
            "--color",
            "always",
        ],
    );
    let mut screen: Vec<u8> = Vec::new();
    let mut step = |p: &mut expectrl::session::OsSession, until: &str, send: Option<&str>| {
        let found = p
            .expect(until)
            .unwrap_or_else(|e| panic!("waiting for {until:?}: {e}"));
        screen.extend_from_slice(found.as_bytes());
        if let Some(keys) = send {
            p.send(keys).unwrap();
        }
    };
    step(&mut p, "Question 1 / 2", None);
    step(&mut p, "I don't know", Some("\x1b[B\r")); // B: wrong
    step(&mut p, "Structure your answer:", None);
    step(&mut p, "Press Enter to continue", Some("\r"));
    step(&mut p, "Question 2 / ", None);
    step(&mut p, "then press Enter to see a model answer", Some("\r"));
    // The rubric as a checklist: tick the first point, then take the suggested grade.
    step(&mut p, "Tick the points you covered", Some(" \r"));
    step(&mut p, "Enter accepts it", Some("\r"));
    step(&mut p, "Press Enter to continue", Some("\r"));
    step(&mut p, "Repeat", None);
    step(&mut p, "I don't know", Some("q"));
    let rest = p.expect(Eof).unwrap();
    screen.extend_from_slice(rest.as_bytes());

    let text = String::from_utf8_lossy(&screen);
    assert!(text.contains("\x1b[31m"), "mlsec's own colours are on");
    for attack in ATTACKS {
        assert!(
            !text.contains(attack),
            "{attack:?} reached the terminal:\n{text:?}"
        );
    }
    assert_eq!(hostile_in(&text, true), Vec::<String>::new(), "{text:?}");
    // What the learner sees instead: the text, with U+FFFD where a control was.
    assert!(
        text.contains("\u{fffd}]52;c;cm0gLXJmIH4K\u{fffd}"),
        "{text:?}"
    );
    assert!(text.contains("Prompt bidi nimda"), "{text:?}");
    assert_eq!(env.scalar("SELECT count(*) FROM review"), 2);
}

/// A file name is as untrusted as its content: `mlsec import decks/*` in an unpacked
/// archive prints every name.
#[test]
fn a_hostile_file_name_is_printed_inert() {
    let env = TestEnv::new();
    let (deck, _) = hostile_deck();
    let file = env.file("deck\x1b]52;c;cm0gLXJmIH4K\x07\u{202e}lmot.toml", &deck);
    let out = env.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("deck hostile: 2 added"), "{out}");
    assert_eq!(hostile_in(&out, false), Vec::<String>::new(), "{out:?}");
    assert!(
        out.contains("deck\u{fffd}]52;c;cm0gLXJmIH4K\u{fffd}\u{fffd}lmot.toml"),
        "{out}"
    );
    // A missing file of that name: the error is inert too.
    let missing = file.with_file_name("gone\x1b[2J.toml");
    let err = env.fails(&["import", missing.to_str().unwrap()], 1);
    assert_eq!(hostile_in(&err, false), Vec::<String>::new(), "{err:?}");
}

#[test]
fn a_csv_export_of_a_hostile_deck_has_no_formula_and_no_raw_control() {
    let env = TestEnv::new();
    import_hostile(&env);
    poison_the_store(&env);
    // A question that a spreadsheet would run, as a hand-edited database could hold it.
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "UPDATE card SET body = json_set(body, '$.question', '=HYPERLINK(\"http://x.invalid\",\"click\")')
         WHERE deck_id = 'hostile' AND slug = 'choice'",
        [],
    )
    .unwrap();
    drop(conn);
    let csv = env.ok(&[
        "export", "--what", "cards", "--format", "csv", "--deck", "hostile",
    ]);
    assert!(
        hostile_in(&csv, true).is_empty(),
        "raw controls in the CSV: {:?}",
        hostile_in(&csv, true)
    );
    // CRLF ends CSV records; an escape sequence has no business there.
    assert!(!csv.contains('\x1b'), "a raw ESC in the CSV");
    let mut reader = ::csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let mut cells = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            cells += 1;
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?}"
            );
        }
    }
    assert!(cells > 0);
    assert!(
        csv.contains("'=HYPERLINK("),
        "the formula is kept, quoted: {csv}"
    );
}
