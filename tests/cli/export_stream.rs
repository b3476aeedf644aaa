//! `mlsec export` streams its rows (issue 8): what a person notices is that a failure
//! part way never leaves a half-written file, and that an export of many answers is the
//! same whichever way it goes out.

use serde_json::Value;

use crate::env::TestEnv;
use crate::stats::DRILL;

/// The drill deck with one card whose stored content was damaged by hand, so that an
/// export of the cards fails after it has started writing.
fn damaged() -> TestEnv {
    let env = TestEnv::new();
    let deck = env.file("drill.toml", DRILL);
    env.ok(&["import", deck.to_str().unwrap()]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "UPDATE card SET body = '{not json' WHERE deck_id = 'drill' AND slug = 'c'",
        [],
    )
    .unwrap();
    env
}

#[test]
fn a_failed_export_leaves_no_half_written_file() {
    let env = damaged();
    let new = env.file("new.csv", "");
    std::fs::remove_file(&new).unwrap();
    let err = env.fails(
        &["export", "--deck", "drill", "-o", new.to_str().unwrap()],
        1,
    );
    assert!(err.contains("card drill/c has unreadable content"), "{err}");
    assert!(!new.exists(), "a new file is removed");

    let old = env.file("old.csv", "keep me");
    let err = env.fails(
        &[
            "export",
            "--deck",
            "drill",
            "-o",
            old.to_str().unwrap(),
            "--force",
        ],
        1,
    );
    assert!(err.contains("unreadable content"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&old).unwrap(),
        "keep me",
        "an existing file is replaced only by a complete export"
    );
    let dir: Vec<String> = std::fs::read_dir(old.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !dir.iter().any(|n| n.contains("mlsec-")),
        "no temporary file left: {dir:?}"
    );

    // The same export of the sound cards goes through, and --force replaces the file.
    let report = env.json(&[
        "export",
        "--deck",
        "drill",
        "--topic",
        "t1",
        "-o",
        old.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(report["rows"], 2);
    assert!(
        std::fs::read_to_string(&old)
            .unwrap()
            .starts_with("card,deck,")
    );
}

#[test]
fn reviews_go_out_the_same_to_a_file_as_to_stdout() {
    let env = TestEnv::new();
    let deck = env.file("drill.toml", DRILL);
    env.ok(&["import", deck.to_str().unwrap()]);
    let events = env.play(&["study", "--deck", "drill", "--no-shuffle"], |q| {
        if q["repeat"] == false && q["card"] == "drill/b" {
            "B".into()
        } else {
            "A".into()
        }
    });
    // Every answer, in the order it was given.
    let answers: Vec<(&str, bool, bool)> = events
        .iter()
        .filter(|e| e["event"] == "answer")
        .map(|e| {
            (
                e["card"].as_str().unwrap(),
                e["correct"].as_bool().unwrap(),
                e["repeat"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(answers.len(), 4, "b was missed and asked again");
    for format in ["csv", "json"] {
        let out = env.file(&format!("reviews.{format}"), "");
        std::fs::remove_file(&out).unwrap();
        let piped = env.ok(&["export", "--what", "reviews", "--format", format]);
        env.ok(&[
            "export",
            "--what",
            "reviews",
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), piped, "{format}");
    }
    let rows: Value =
        serde_json::from_str(&env.ok(&["export", "--what", "reviews", "--format", "json"]))
            .unwrap();
    let exported: Vec<(&str, bool, bool)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["card"].as_str().unwrap(),
                r["correct"].as_bool().unwrap(),
                r["repeat"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(exported, answers);
}
