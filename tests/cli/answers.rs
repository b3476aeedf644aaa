//! Answers beyond one token (issue 13): JSON object lines, recall answers graded by the
//! rubric points they covered, the answer's own words, and `?` on a recall card; what is
//! stored, shown in stats and exported.

use serde_json::{Value, json};

use crate::env::{TestEnv, of};

/// The fixture deck: `eps-report` (recall, four rubric points), `label-flip` (choice, B
/// right), `no-rubric` (recall without a rubric), asked in that order.
pub const DECK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rubric.toml");

pub fn with_deck() -> TestEnv {
    let env = TestEnv::new();
    env.ok(&["import", DECK]);
    env
}

/// A study session on the fixture deck, answers in file order.
fn study(env: &TestEnv, answers: &[&str]) -> Vec<Value> {
    env.session(&["study", "--deck", "rubric", "--no-shuffle"], answers)
}

/// The answer event's fields that issue 13 added, and its grade.
fn added(answer: &Value) -> Value {
    json!({
        "quality": answer["quality"],
        "covered": answer["covered"],
        "rubric_total": answer["rubric_total"],
        "text": answer["text"],
    })
}

#[test]
fn objects_answer_every_kind_of_card_and_keep_their_text() {
    let env = with_deck();
    let events = study(
        &env,
        &[
            r#"{"covered":[3,1,2,2],"text":"Threat model, ε = 0.03; clean 91% vs attacked 64%."}"#,
            r#"{"key":"b","confidence":5,"text":"poisoning"}"#,
            r#"{"grade":3}"#,
            "quit",
        ],
    );
    let answers = of(&events, "answer");
    assert_eq!(answers.len(), 3, "{events:#?}");
    assert_eq!(
        added(answers[0]),
        json!({"quality": 4, "covered": [1, 2, 3], "rubric_total": 4,
               "text": "Threat model, ε = 0.03; clean 91% vs attacked 64%."}),
        "three of four points suggest 4"
    );
    assert_eq!(answers[0]["card"], "rubric/eps-report");
    assert_eq!(answers[0]["schedule"]["interval"], 1);
    assert_eq!(
        added(answers[1]),
        json!({"quality": 5, "covered": null, "rubric_total": null, "text": "poisoning"})
    );
    assert_eq!(answers[1]["chosen"], "B");
    assert_eq!(
        added(answers[2]),
        json!({"quality": 3, "covered": null, "rubric_total": null, "text": null})
    );
    let stored: Vec<String> = env.query(
        "SELECT coalesce(covered, '-') || ' ' || coalesce(rubric_total, '-') || ' ' || coalesce(answer_text, '-')
         FROM review ORDER BY id",
    );
    assert_eq!(
        stored,
        [
            "[1,2,3] 4 Threat model, ε = 0.03; clean 91% vs attacked 64%.",
            "- - poisoning",
            "- - -"
        ]
    );
}

#[test]
fn an_explicit_grade_wins_over_the_points() {
    let env = with_deck();
    let events = study(&env, &[r#"{"covered":[1,3],"grade":2}"#, "quit"]);
    let answer = of(&events, "answer")[0];
    assert_eq!(
        added(answer),
        json!({"quality": 2, "covered": [1, 3], "rubric_total": 4, "text": null})
    );
    assert_eq!(answer["correct"], false);
    assert_eq!(answer["schedule"]["lapses"], 1, "SM-2 gets the grade given");
}

#[test]
fn none_covered_is_a_zero_and_question_mark_is_i_dont_know() {
    let env = with_deck();
    let events = study(&env, &[r#"{"covered":[]}"#, "?", "?", "quit"]);
    let answers = of(&events, "answer");
    assert_eq!(
        added(answers[0]),
        json!({"quality": 0, "covered": [], "rubric_total": 4, "text": null})
    );
    // `?` on a choice card, then on the recall card without a rubric.
    assert_eq!(
        (answers[2]["card"].as_str(), answers[2]["chosen"].as_str()),
        (Some("rubric/no-rubric"), Some("?"))
    );
    assert_eq!(
        (
            answers[2]["quality"].as_u64(),
            answers[2]["correct"].as_bool()
        ),
        (Some(0), Some(false))
    );
    assert_eq!(
        env.query::<Option<String>>("SELECT chosen FROM review ORDER BY id"),
        [None, Some("?".to_string()), Some("?".to_string())],
        "covering nothing is a grade (no key); ? is stored as I don't know"
    );
    assert_eq!(
        env.query::<Option<String>>("SELECT covered FROM review ORDER BY id"),
        [Some("[]".to_string()), None, None]
    );
}

/// Each line is refused with an error event naming what is wrong, then the same question
/// is asked again; nothing is recorded until a good answer comes.
#[test]
fn every_bad_object_gets_an_error_and_the_same_question() {
    let env = with_deck();
    let recall = [
        (r#"{"grade":4,"colour":"red"}"#, "unknown field `colour`"),
        (r#"{"grade":"4"}"#, "invalid type"),
        (r#"{"grade":4.0}"#, "invalid type"),
        (r#"{"covered":"1,2"}"#, "invalid type"),
        (r#"{"grade":4,"text":["a"]}"#, "invalid type"),
        (r#"{"covered":[1,5]}"#, "point 5 is not in the rubric"),
        (r#"{"covered":[0,1]}"#, "point 0 is not in the rubric"),
        (r#"{"grade":6}"#, "grade 6 is outside 0–5"),
        (r#"{"grade":-1}"#, "grade -1 is outside 0–5"),
        (r#"{"key":"B"}"#, "key and confidence are for choice cards"),
        (r#"{"text":"only words"}"#, "needs \"grade\" or \"covered\""),
        (r#"{"grade":4"#, "unreadable answer object"),
        ("{", "unreadable answer object"),
    ];
    let choice = [
        (r#"{"grade":4}"#, "grade and covered are for recall cards"),
        (
            r#"{"key":"B","covered":[1]}"#,
            "grade and covered are for recall cards",
        ),
        (
            r#"{"key":"Q"}"#,
            "unreadable key \"Q\": expected one of A, B, C",
        ),
        (
            r#"{"key":"B","confidence":3}"#,
            "confidence 3 is not one of 5",
        ),
        (r#"{"confidence":5}"#, "needs \"key\""),
        (r#"{"key":"B","why":"x"}"#, "unknown field `why`"),
    ];
    let no_rubric = [(r#"{"covered":[1]}"#, "this card has no rubric")];
    let mut lines: Vec<&str> = recall.iter().map(|(l, _)| *l).collect();
    lines.push(r#"{"grade":5}"#);
    lines.extend(choice.iter().map(|(l, _)| *l));
    lines.push(r#"{"key":"B"}"#);
    lines.extend(no_rubric.iter().map(|(l, _)| *l));
    lines.push(r#"{"grade":4}"#);
    let events = study(&env, &lines);
    let expected: Vec<(&str, &str)> = [&recall[..], &choice[..], &no_rubric[..]].concat();
    let errors = of(&events, "error");
    assert_eq!(errors.len(), expected.len(), "{events:#?}");
    for (error, (line, says)) in errors.iter().zip(&expected) {
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(says), "{line}: {message}");
    }
    // Every error is followed by the question it was about.
    for (i, e) in events.iter().enumerate() {
        if e["event"] == "error" {
            assert_eq!(events[i + 1]["event"], "question");
            assert_eq!(events[i + 1]["card"], events[i - 1]["card"]);
        }
    }
    let answers = of(&events, "answer");
    assert_eq!(
        answers
            .iter()
            .map(|a| a["quality"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [5, 4, 4]
    );
    assert_eq!(env.scalar("SELECT count(*) FROM review"), 3);
}

/// A plain line keeps its 4 KiB limit; an object line may be 64 KiB, its text 16 KiB.
#[test]
fn object_lines_may_be_longer_than_plain_ones() {
    let env = with_deck();
    // 16 KiB of text, every character escaped: about 49 KiB of line.
    let text = "é".repeat(8 * 1024);
    let escaped = "\\u00e9".repeat(8 * 1024);
    let big = format!(r#"{{"grade":5,"text":"{escaped}"}}"#);
    assert!(big.len() > 40 * 1024 && big.len() < 64 * 1024);
    let too_big = format!(r#"{{"grade":5,"text":"{}"}}"#, "x".repeat(64 * 1024));
    let too_much_text = format!(r#"{{"grade":5,"text":"{}"}}"#, "x".repeat(16 * 1024 + 1));
    let plain = format!("{}4", " ".repeat(5000));
    let events = study(&env, &[&too_big, &too_much_text, &plain, &big, "quit"]);
    let errors = of(&events, "error");
    let messages: Vec<&str> = errors
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].contains(&format!("{} bytes", too_big.len() + 1)),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("at most 65536"), "{}", messages[0]);
    assert!(messages[1].contains("16385 bytes") && messages[1].contains("at most 16384"));
    assert!(messages[2].contains("5002 bytes"), "{}", messages[2]);
    let answer = of(&events, "answer")[0];
    assert_eq!(answer["text"].as_str(), Some(text.as_str()));
    assert_eq!(
        env.query::<String>("SELECT answer_text FROM review"),
        [text]
    );
}

/// Text is kept as sent; what could act on a terminal is escaped in the event.
#[test]
fn control_characters_in_a_text_are_kept_and_escaped_on_the_way_out() {
    let env = with_deck();
    let out = env.run(
        &["study", "--json", "--deck", "rubric", "--no-shuffle"],
        "{\"grade\":4,\"text\":\"a\\u001b[2Jb\\u009bc\\u202ed\"}\nquit\n",
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{9b}') && !stdout.contains('\u{202e}')
    );
    assert!(
        stdout.contains(r#""text":"a\u001b[2Jb\u009bc\u202ed""#),
        "{stdout}"
    );
    assert_eq!(
        env.query::<String>("SELECT answer_text FROM review"),
        ["a\u{1b}[2Jb\u{9b}c\u{202e}d"]
    );
}

#[test]
fn a_mock_takes_objects_and_its_answers_carry_the_same_fields() {
    let env = with_deck();
    let mut d = env.drive(&[
        "mock",
        "--deck",
        "rubric",
        "--count",
        "3",
        "--seed",
        "1",
        "--no-shuffle",
    ]);
    while let Some(e) = d.next() {
        if e["event"] != "question" {
            continue;
        }
        let line = match (e["card"].as_str().unwrap(), e["step"].as_str().unwrap()) {
            (_, "classify") => r#"{"key":"A","text":"kept nowhere"}"#,
            ("rubric/eps-report", _) => {
                r#"{"covered":[1,2,3],"text":"threat model, ε, both accuracies"}"#
            }
            ("rubric/label-flip", _) => r#"{"key":"B","text":"label flipping is poisoning"}"#,
            _ => r#"{"grade":5}"#,
        };
        // The classify step keeps no text: refused once, then a plain key object.
        if line.contains("kept nowhere") {
            d.send(line);
            let error = d.next().unwrap();
            assert!(
                error["message"].as_str().unwrap().contains("key only"),
                "{error}"
            );
            d.next().unwrap();
            d.send(r#"{"key":"A"}"#);
            continue;
        }
        d.send(line);
    }
    let (status, events) = d.finish();
    assert!(status.success());
    let answers: Vec<&Value> = of(&events, "answer")
        .into_iter()
        .filter(|a| a["step"] == "answer")
        .collect();
    assert_eq!(answers.len(), 3);
    for a in answers {
        match a["card"].as_str().unwrap() {
            "rubric/eps-report" => assert_eq!(
                added(a),
                json!({"quality": 4, "covered": [1, 2, 3], "rubric_total": 4,
                       "text": "threat model, ε, both accuracies"})
            ),
            "rubric/label-flip" => assert_eq!(
                added(a),
                json!({"quality": 4, "covered": null, "rubric_total": null,
                       "text": "label flipping is poisoning"})
            ),
            _ => assert_eq!(
                added(a),
                json!({"quality": 5, "covered": null, "rubric_total": null, "text": null})
            ),
        }
    }
    assert_eq!(
        env.query::<String>(
            "SELECT r.covered FROM review r JOIN session s ON s.id = r.session_id
             WHERE s.kind = 'mock' AND r.covered IS NOT NULL"
        ),
        ["[1,2,3]"]
    );
    // The report lists, per recall question, the points missed, and the words given.
    let report = events.last().unwrap();
    let entry = |card: &str| {
        report["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["card"] == card)
            .unwrap()
            .clone()
    };
    let recall = entry("rubric/eps-report");
    assert_eq!(
        json!({"covered": recall["covered"], "rubric_total": recall["rubric_total"],
               "points_missed": recall["points_missed"], "text": recall["text"]}),
        json!({"covered": [1, 2, 3], "rubric_total": 4,
               "points_missed": [{"point": 4, "text": "Names the attack used to measure it"}],
               "text": "threat model, ε, both accuracies"})
    );
    let plain = entry("rubric/no-rubric");
    assert_eq!(
        (&plain["covered"], &plain["points_missed"], &plain["text"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!(
        entry("rubric/label-flip")["text"],
        "label flipping is poisoning"
    );
    // A mock's checklist counts in stats like any other.
    assert_eq!(
        env.json(&["stats"])["rubric_misses"],
        json!([{"card": "rubric/eps-report", "point": 4,
                "text": "Names the attack used to measure it", "missed": 1, "answered": 1}])
    );
}

/// Only checklist answers count, same-day repeats apart; mocks count too. Worst first,
/// `--limit` rows, `--days` of history.
#[test]
fn stats_name_the_rubric_points_missed_most() {
    let mut env = with_deck();
    // Day 1: points 1–3 of 4 (a 4: no repeat), then the choice card, then a plain grade.
    study(
        &env,
        &[
            r#"{"covered":[1,2,3],"text":"threat model, ε, accuracy"}"#,
            "B",
            "3",
            "5",
        ],
    );
    // Day 2: the card is due; only point 1 (a 2: a repeat follows, which does not count).
    env.at("2026-03-02T09:30:00Z");
    // Its repeats (2 then all 4 points) do not count.
    let mut repeats = 0;
    let events = env.play(&["review", "--deck", "rubric", "--no-shuffle"], |q| {
        match (q["card"].as_str().unwrap(), q["repeat"].as_bool().unwrap()) {
            ("rubric/eps-report", false) => r#"{"covered":[1]}"#,
            ("rubric/eps-report", true) => {
                repeats += 1;
                if repeats == 1 {
                    r#"{"covered":[2]}"#
                } else {
                    r#"{"covered":[1,2,3,4]}"#
                }
            }
            ("rubric/label-flip", _) => "B",
            _ => "4",
        }
        .to_string()
    });
    assert_eq!(of(&events, "error").len(), 0);
    let s = env.json(&["stats"]);
    assert_eq!(
        s["rubric_misses"],
        json!([
            {"card": "rubric/eps-report", "point": 4, "text": "Names the attack used to measure it", "missed": 2, "answered": 2},
            {"card": "rubric/eps-report", "point": 2, "text": "States the budget ε", "missed": 1, "answered": 2},
            {"card": "rubric/eps-report", "point": 3, "text": "Gives clean and attacked accuracy side by side", "missed": 1, "answered": 2},
        ])
    );
    assert_eq!(
        env.json(&["stats", "--limit", "1"])["rubric_misses"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let today_only = env.json(&["stats", "--days", "1"]);
    assert_eq!(
        today_only["rubric_misses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (
                m["point"].as_u64().unwrap(),
                m["answered"].as_u64().unwrap()
            ))
            .collect::<Vec<_>>(),
        [(2, 1), (3, 1), (4, 1)]
    );
    let out = env.ok(&["stats", "--deck", "rubric"]);
    let section = &out[out
        .find("Rubric points you miss most")
        .expect("the section")..];
    let first_row = section.lines().nth(4).unwrap();
    assert!(
        first_row.contains("eps-report")
            && first_row.contains("2 of 2")
            && first_row.contains("Names the attack used"),
        "{section}"
    );
}

#[test]
fn stats_without_checklist_answers_say_how_to_get_them() {
    let env = with_deck();
    study(&env, &["4", "B", "4"]);
    assert_eq!(env.json(&["stats"])["rubric_misses"], json!([]));
    let out = env.ok(&["stats"]);
    assert!(
        out.contains("Rubric points you miss most\n  none yet"),
        "{out}"
    );
}

/// The issue's "done when", scripted: three of four points covered with the answer's
/// words get a 4, the missed point is in `mlsec stats`, the words in the review export.
#[test]
fn a_scripted_checklist_is_graded_counted_and_exported() {
    let env = with_deck();
    let words = "=threat model, ε;\n\"clean\" vs attacked\u{1b}[2J";
    let line = json!({"covered": [1, 2, 3], "text": words}).to_string();
    let events = study(&env, &[&line, "B", "?", "quit"]);
    let answer = of(&events, "answer")[0];
    assert_eq!(
        added(answer),
        json!({"quality": 4, "covered": [1, 2, 3], "rubric_total": 4, "text": words})
    );
    let misses = &env.json(&["stats"])["rubric_misses"];
    assert_eq!(misses[0]["point"], 4);
    assert_eq!(misses[0]["text"], "Names the attack used to measure it");

    // JSON: the same fields, the words as sent.
    let exported = env.json(&["export", "--what", "reviews"]);
    let rows = exported.as_array().unwrap();
    let fields = |row: &Value| {
        json!([
            row["kind"],
            row["chosen"],
            row["covered"],
            row["rubric_total"],
            row["answer_text"]
        ])
    };
    assert_eq!(
        rows.iter().map(fields).collect::<Vec<_>>(),
        [
            json!(["recall", null, [1, 2, 3], 4, words]),
            json!(["choice", "B", null, null, null]),
            json!(["recall", "?", null, null, null]),
        ]
    );
    // Appended after the first release's last column (the plan's final_pass follows).
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    let at = keys.iter().position(|k| *k == "repetitions").unwrap();
    assert_eq!(
        keys[at..at + 4],
        ["repetitions", "covered", "rubric_total", "answer_text"],
        "appended after the first release's columns"
    );

    // CSV: `1;2;3`, and the words neutralised as every text cell is.
    let csv_text = env.ok(&["export", "--what", "reviews", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let at = header.iter().position(|h| h == "covered").unwrap();
    assert_eq!(
        header[at..at + 3],
        ["covered", "rubric_total", "answer_text"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let last3 = |r: &csv::StringRecord| {
        (
            r[at].to_string(),
            r[at + 1].to_string(),
            r[at + 2].to_string(),
        )
    };
    assert_eq!(
        last3(&rows[0]),
        (
            "1;2;3".to_string(),
            "4".to_string(),
            "'=threat model, ε;\n\"clean\" vs attacked\u{fffd}[2J".to_string()
        )
    );
    assert_eq!(
        last3(&rows[1]),
        (String::new(), String::new(), String::new())
    );
}
