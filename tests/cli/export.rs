//! `mlsec export`: CSV that round-trips and cannot run formulas, JSON with the same
//! fields, Anki notes with the documented headers and stable guids, no overwriting.

use serde_json::Value;

use crate::env::{TestEnv, builtin_cards, right_key, wrong_key};
use crate::stats::DRILL;

/// Parse CSV output with the csv crate: the header row and the records.
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// A JSON value as its CSV cell should read (before formula neutralisation).
fn as_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Two days on the built-in deck: four cards learned, one missed the next day.
fn studied() -> TestEnv {
    let mut env = TestEnv::new();
    env.play(&["study", "--no-shuffle", "--new", "4"], |q| {
        right_key(q["card"].as_str().unwrap())
    });
    env.at("2026-03-02T09:00:00Z");
    let mut first = true;
    env.play(&["review", "--no-shuffle"], |q| {
        let card = q["card"].as_str().unwrap();
        if std::mem::take(&mut first) {
            wrong_key(card)
        } else {
            right_key(card)
        }
    });
    env
}

#[test]
fn csv_round_trips_with_the_same_values_as_json() {
    let env = studied();
    for what in ["reviews", "cards", "sessions", "stats"] {
        let csv_text = env.ok(&["export", "--what", what, "--format", "csv"]);
        let json: Value =
            serde_json::from_str(&env.ok(&["export", "--what", what, "--format", "json"])).unwrap();
        let (header, rows) = parse_csv(&csv_text);
        let objects = json.as_array().unwrap();
        assert_eq!(rows.len(), objects.len(), "{what}");
        for (row, object) in rows.iter().zip(objects) {
            let keys: Vec<&String> = object.as_object().unwrap().keys().collect();
            assert_eq!(
                keys,
                header.iter().collect::<Vec<_>>(),
                "{what}: same columns, same order"
            );
            for (cell, column) in row.iter().zip(&header) {
                assert_eq!(cell, &as_cell(&object[column]), "{what}.{column}");
            }
        }
        assert!(csv_text.ends_with("\r\n"), "RFC 4180 line ends");
    }

    // The review export holds every answer, with the columns docs/export.md documents.
    let (header, rows) = parse_csv(&env.ok(&["export", "--what", "reviews"]));
    for column in [
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
    ] {
        assert!(
            header.iter().any(|h| h == column),
            "missing column {column}"
        );
    }
    assert_eq!(rows.len() as i64, env.scalar("SELECT count(*) FROM review"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let missed: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[col("correct")] == "false")
        .collect();
    assert_eq!(missed.len(), 1);
    let m = missed[0];
    assert_eq!(
        (
            &m[col("study_day")][..],
            &m[col("quality")][..],
            &m[col("ef")][..],
            &m[col("interval")][..],
            &m[col("due")][..]
        ),
        ("2026-03-02", "1", "1.96", "1", "2026-03-03")
    );
    assert!(m[col("card")].starts_with("ml-security/"));

    let (header, rows) =
        parse_csv(&env.ok(&["export", "--what", "stats", "--topic", "adversarial"]));
    assert_eq!(header[..4], ["deck", "topic", "name", "cards"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1], "adversarial");
}

const FORMULAS: &str = r##"[deck]
id = "evil"
name = "=Evil deck"

[[topic]]
id = "t"
name = "@topic"

[[card]]
id = "f"
kind = "choice"
topic = "t"
tags = ["-tag", "#hash"]
question = "=HYPERLINK(\"http://x\",\"click\")"
answer = "A"
explanation = "+1 <b>bold</b> & \"quotes\""
[[card.option]]
text = "-2+3"
why = "@SUM(A1:A2)"
[[card.option]]
text = "plain"
"##;

#[test]
fn formula_looking_text_is_neutralised_in_csv_only() {
    let env = TestEnv::new();
    let deck = env.file("evil.toml", FORMULAS);
    env.ok(&["import", deck.to_str().unwrap()]);
    let (header, rows) = parse_csv(&env.ok(&["export", "--deck", "evil"]));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0][col("question")],
        "'=HYPERLINK(\"http://x\",\"click\")"
    );
    assert_eq!(rows[0][col("answer")], "'-2+3");
    assert_eq!(rows[0][col("tags")], "'-tag;#hash");
    // Plain cells are untouched.
    assert_eq!(rows[0][col("card")], "evil/f");
    assert_eq!(rows[0][col("state")], "new");
    // No cell of any export starts with a formula character.
    for what in ["cards", "stats"] {
        let (_, rows) = parse_csv(&env.ok(&["export", "--what", what, "--deck", "evil"]));
        for cell in rows.iter().flatten() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{what}: {cell:?}"
            );
        }
    }
    // JSON is data for programs: the text as written.
    let json: Value =
        serde_json::from_str(&env.ok(&["export", "--deck", "evil", "--format", "json"])).unwrap();
    assert_eq!(json[0]["question"], "=HYPERLINK(\"http://x\",\"click\")");
}

/// Parse Anki notes the way Anki's importer does (csv crate, tab, `#` comments).
fn parse_anki(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .delimiter(b'\t')
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn anki_notes_have_the_headers_columns_and_stable_guids() {
    let env = TestEnv::new();
    let deck = env.file("evil.toml", FORMULAS);
    env.ok(&["import", deck.to_str().unwrap()]);
    let text = env.ok(&["export", "--format", "anki", "--deck", "evil"]);
    let headers: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
    assert_eq!(
        headers,
        [
            "#separator:tab",
            "#html:true",
            "#notetype:Basic",
            "#deck:=Evil deck",
            "#guid column:1",
            "#tags column:4",
            "#deck column:5",
        ]
    );
    let notes = parse_anki(&text);
    assert_eq!(notes.len(), 1, "one note per card");
    let n = &notes[0];
    assert_eq!(n.len(), 5);
    assert_eq!(n[0], "mlsec:evil/f");
    assert_eq!(
        n[1],
        "<div>=HYPERLINK(&quot;http://x&quot;,&quot;click&quot;)</div><ol type=A><li>-2+3</li><li>plain</li></ol>"
    );
    assert_eq!(
        n[2],
        "<div><b>A. -2+3</b></div><div>@SUM(A1:A2)</div><hr><div>+1 &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;</div>"
    );
    assert_eq!(n[3], "t -tag #hash", "topic, then the card's tags");
    assert_eq!(n[4], "=Evil deck");
    // The tags field holds a `#`: it is quoted, so no line of the file starts with one
    // except the headers.
    let data: Vec<&str> = text.lines().skip(headers.len()).collect();
    assert!(data.iter().all(|l| !l.starts_with('#')));
    assert!(data[0].contains("\t\"t -tag #hash\"\t"), "{}", data[0]);

    // Editing the card keeps its guid, so Anki updates the note.
    let edited = env.file("evil.toml", &FORMULAS.replace("plain", "plainer"));
    env.ok(&["import", edited.to_str().unwrap()]);
    let again = parse_anki(&env.ok(&["export", "--format", "anki", "--deck", "evil"]));
    assert_eq!(again[0][0], n[0]);
    assert!(again[0][1].contains("plainer"));

    // The built-in deck: one note per card, every guid different, recall cards too.
    let all = parse_anki(&env.ok(&["export", "--format", "anki", "--deck", "ml-security"]));
    assert_eq!(
        all.len() as i64,
        env.scalar("SELECT count(*) FROM card WHERE deck_id = 'ml-security' AND retired = 0")
    );
    let guids: std::collections::BTreeSet<&String> = all.iter().map(|n| &n[0]).collect();
    assert_eq!(guids.len(), all.len());
    assert!(
        all.iter()
            .all(|n| n.len() == 5 && !n[1].is_empty() && !n[2].is_empty())
    );
}

#[test]
fn export_never_overwrites_without_force() {
    let env = studied();
    let path = env.file("out.csv", "keep me");
    let p = path.to_str().unwrap();
    let err = env.fails(&["export", "-o", p], 1);
    assert!(
        err.contains("already exists; pass --force to overwrite it"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");

    let report = env.json(&["export", "--what", "reviews", "-o", p, "--force"]);
    assert_eq!(
        report["rows"].as_u64(),
        Some(env.scalar("SELECT count(*) FROM review") as u64)
    );
    assert_eq!(report["format"], "csv");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("reviewed_at,study_day,card,"));

    let new = env.file("new.json", "");
    std::fs::remove_file(&new).unwrap();
    let msg = env.ok(&["export", "--format", "json", "-o", new.to_str().unwrap()]);
    assert!(
        msg.starts_with(&format!("wrote {} cards to ", builtin_cards())),
        "{msg}"
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&new).unwrap()).unwrap();
    assert_eq!(v.as_array().unwrap().len() as i64, builtin_cards());
}

#[test]
fn export_rejects_combinations_that_make_no_sense() {
    let env = TestEnv::new();
    let err = env.fails(&["--json", "export", "--format", "csv"], 2);
    assert!(err.contains("--json prints JSON"), "{err}");
    let err = env.fails(&["export", "--what", "reviews", "--format", "anki"], 2);
    assert!(err.contains("--format anki exports cards only"), "{err}");
    let err = env.fails(&["export", "--days", "7"], 2);
    assert!(err.contains("--days"), "{err}");
    let err = env.fails(&["export", "--topic", "nope"], 2);
    assert!(err.contains("unknown topic"), "{err}");
    // --json alone means JSON on stdout.
    let v = env.json(&["export", "--what", "sessions"]);
    assert_eq!(v, serde_json::json!([]));
}

#[test]
fn drill_deck_exports_by_day_window() {
    let mut env = TestEnv::new();
    let deck = env.file("drill.toml", DRILL);
    env.ok(&["import", deck.to_str().unwrap()]);
    env.play(&["study", "--deck", "drill", "--no-shuffle"], |_| {
        "A".into()
    });
    env.at("2026-03-02T09:00:00Z");
    env.play(&["review", "--deck", "drill", "--no-shuffle"], |_| {
        "A".into()
    });
    let all = env.json(&["export", "--what", "reviews", "--deck", "drill"]);
    let last_day = env.json(&[
        "export", "--what", "reviews", "--deck", "drill", "--days", "1",
    ]);
    assert_eq!(all.as_array().unwrap().len(), 6);
    assert_eq!(last_day.as_array().unwrap().len(), 3);
    assert!(
        last_day
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["study_day"] == "2026-03-02")
    );
    let sessions = env.json(&["export", "--what", "sessions", "--days", "1"]);
    assert_eq!(sessions.as_array().unwrap().len(), 1);
    assert_eq!(sessions[0]["kind"], "review");
}
