//! `mlsec import` of JSON, CSV and Anki text: detection, per-file summaries, precise
//! errors, atomicity, idempotence, retiring and pruning.

use serde::Deserialize;

use crate::env::TestEnv;
use crate::store::checksum;

const CSV: &str = "\
id,topic,question,a,b,c,d,answer,explanation,why_a,why_b,tags
dp-clip,Privacy,What does DP-SGD clip?,Each example's gradient,The batch gradient,The weights,The loss,A,Per-example clipping bounds influence.,Right,Bounds nothing per example,defend
mia-metric,Privacy,How do you report membership inference?,Average accuracy,TPR at low FPR,AUC only,Loss,B,Attacks matter at low FPR.,,,quantify
poison-detect,Data poisoning,How do you detect poisoning?,Spectral signatures,Ignore it,Retrain blindly,Bigger model,A,Look for outliers in representations.,,,classify|defend
";

const ANKI: &str = "\
#separator:tab
#html:true
#guid column:1
#notetype column:2
#deck column:3
#tags column:6
Ab1!x\tBasic\tML Security::Privacy\tWhat is <b>membership inference</b>?\tDeciding whether a record was in the <i>training set</i>.\tprivacy
Ab2!y\tBasic\tML Security::Privacy\tName a defence against MIA.\tDP-SGD&nbsp;&mdash; it bounds each example's influence.\tprivacy defend
";

const JSON: &str = r#"{
  "deck": {"id": "json-deck", "name": "From JSON"},
  "topic": [{"id": "t", "name": "Topic"}],
  "card": [
    {"id": "c1", "kind": "choice", "topic": "t", "question": "Q?", "answer": "B",
     "option": [{"text": "one", "why": "no"}, {"text": "two", "why": "yes"}]},
    {"id": "c2", "kind": "recall", "topic": "t", "prompt": "Say it", "answer": "It",
     "rubric": ["point"]}
  ]
}
"#;

/// The import summary, pinned: fields may be added here, never renamed or removed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // fields are read through Debug and the shape check
struct Report {
    deck: Option<String>,
    added: u64,
    updated: u64,
    unchanged: u64,
    retired: u64,
    pruned: u64,
    neutralised: u64,
    errors: u64,
    dry_run: bool,
    files: Vec<FileReport>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct FileReport {
    file: String,
    format: Option<String>,
    deck: Option<String>,
    added: u64,
    updated: u64,
    unchanged: u64,
    retired: u64,
    pruned: u64,
    neutralised: u64,
    errors: u64,
    diagnostics: Vec<Located>,
    decks: Vec<DeckReport>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Located {
    line: u64,
    column: u64,
    message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct DeckReport {
    deck: String,
    added: u64,
    updated: u64,
    unchanged: u64,
    retired: u64,
    pruned: u64,
    neutralised: u64,
}

fn report(env: &TestEnv, args: &[&str]) -> Report {
    serde_json::from_value(env.json(args)).expect("the import report has the documented shape")
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn a_spreadsheet_and_an_anki_export_import_in_one_command_and_again_as_a_no_op() {
    let env = TestEnv::new();
    let csv = env.file("bank.csv", CSV);
    let anki = env.file("export.txt", ANKI);
    let first = report(&env, &["import", path(&csv), path(&anki)]);
    assert_eq!((first.added, first.updated, first.errors), (5, 0, 0));
    assert_eq!(first.deck, None, "two decks");
    let formats: Vec<_> = first.files.iter().map(|f| f.format.as_deref()).collect();
    assert_eq!(formats, [Some("csv"), Some("anki")]);
    assert_eq!(
        first.files[0].deck.as_deref(),
        Some("bank"),
        "named after the file"
    );
    assert_eq!(
        first.files[1].deck.as_deref(),
        Some("ml-security.privacy"),
        "an Anki deck path becomes a deck id"
    );
    assert_eq!(
        env.query::<String>(
            "SELECT id || '=' || name FROM topic WHERE deck_id = 'bank' ORDER BY position"
        ),
        ["privacy=Privacy", "data-poisoning=Data poisoning"],
        "the topics the rows name are created"
    );
    let prompt: Vec<String> = env.query(
        "SELECT json_extract(body, '$.prompt') FROM card WHERE deck_id = 'ml-security.privacy' ORDER BY position",
    );
    assert_eq!(
        prompt,
        [
            "What is membership inference?",
            "Name a defence against MIA."
        ],
        "HTML becomes plain text"
    );

    let again = report(&env, &["import", path(&csv), path(&anki)]);
    assert_eq!(
        (again.added, again.updated, again.unchanged, again.retired),
        (0, 0, 5, 0),
        "importing the same files again changes nothing"
    );
}

#[test]
fn the_json_twin_imports_like_toml() {
    let env = TestEnv::new();
    let file = env.file("deck.json", JSON);
    let r = report(&env, &["import", path(&file)]);
    assert_eq!((r.deck.as_deref(), r.added), (Some("json-deck"), 2));
    assert_eq!(
        env.scalar("SELECT json_extract(body, '$.answer') FROM card WHERE slug = 'c1'"),
        1,
        "answer B is the second option"
    );
    let broken = env.file(
        "broken.json",
        &JSON.replace("\"answer\": \"B\"", "\"answer\": \"C\""),
    );
    let err = env.fails(&["import", path(&broken)], 1);
    assert!(
        err.contains(&format!(
            "{}:5:78: answer \"C\" is not one of the options — use a key from A to B",
            path(&broken)
        )),
        "{err}"
    );
}

#[test]
fn anki_guids_make_re_import_update_and_keep_history() {
    let env = TestEnv::new();
    let anki = env.file("export.txt", ANKI);
    env.ok(&["import", path(&anki)]);
    env.play(
        &["study", "--deck", "ml-security.privacy", "--limit", "1"],
        |_| "4".into(),
    );
    let edited = env.file(
        "export.txt",
        &ANKI.replace("Name a defence", "Name one defence"),
    );
    let r = report(&env, &["import", path(&edited)]);
    assert_eq!((r.updated, r.unchanged, r.added), (1, 1, 0));
    assert_eq!(env.scalar("SELECT count(*) FROM review"), 1);
    assert_eq!(
        env.scalar("SELECT count(*) FROM schedule"),
        1,
        "the studied card keeps its schedule"
    );
}

#[test]
fn re_importing_a_changed_spreadsheet_updates_retires_and_prunes() {
    let env = TestEnv::new();
    let csv = env.file("bank.csv", CSV);
    env.ok(&["import", path(&csv)]);
    // Answer each card right (keys in file order with --no-shuffle).
    env.play(&["study", "--deck", "bank", "--no-shuffle"], |q| {
        if q["card"] == "bank/mia-metric" {
            "B"
        } else {
            "A"
        }
        .into()
    });
    let reviews = env.scalar("SELECT count(*) FROM review");
    assert!(reviews >= 3);

    // Reword one card, drop another.
    let changed: String = CSV
        .replace(
            "How do you detect poisoning?",
            "How would you detect poisoning?",
        )
        .lines()
        .filter(|l| !l.starts_with("mia-metric"))
        .map(|l| format!("{l}\n"))
        .collect();
    let csv = env.file("bank.csv", &changed);
    let r = report(&env, &["import", path(&csv)]);
    assert_eq!((r.updated, r.unchanged, r.retired), (1, 1, 1));
    assert_eq!(
        env.scalar("SELECT count(*) FROM review"),
        reviews,
        "history is kept, also of the retired card"
    );
    assert_eq!(
        env.scalar("SELECT retired FROM card WHERE slug = 'mia-metric'"),
        1
    );

    // Pruning asks first; without a terminal it needs --yes.
    let err = env.fails(&["import", "--prune", path(&csv)], 2);
    assert!(
        err.contains("--prune would delete 1 retired card and their history; add --yes"),
        "{err}"
    );
    assert_eq!(
        env.scalar("SELECT count(*) FROM card WHERE slug = 'mia-metric'"),
        1
    );
    let dry = report(
        &env,
        &["import", "--prune", "--yes", "--dry-run", path(&csv)],
    );
    assert_eq!((dry.pruned, dry.dry_run), (1, true));
    assert_eq!(
        env.scalar("SELECT count(*) FROM card WHERE slug = 'mia-metric'"),
        1
    );
    let pruned = report(&env, &["import", "--prune", "--yes", path(&csv)]);
    assert_eq!(pruned.pruned, 1);
    assert_eq!(
        env.scalar("SELECT count(*) FROM card WHERE slug = 'mia-metric'"),
        0
    );
    assert!(
        env.scalar("SELECT count(*) FROM review") < reviews,
        "the pruned card's reviews went with it"
    );
    let out = env.ok(&["import", path(&csv)]);
    assert!(
        out.contains("0 added, 0 updated, 2 unchanged, 0 retired"),
        "{out}"
    );
}

#[test]
fn the_format_is_forced_and_defaults_fill_what_a_file_lacks() {
    let env = TestEnv::new();
    let no_topic = env.file(
        "questions.txt",
        "question,a,b,answer\nWhat is evasion?,Test-time attack,Training-time attack,A\n",
    );
    let r = report(
        &env,
        &[
            "import",
            "--format",
            "csv",
            "--deck",
            "interview",
            "--topic",
            "adversarial",
            path(&no_topic),
        ],
    );
    assert_eq!((r.deck.as_deref(), r.added), (Some("interview"), 1));
    assert_eq!(
        env.query::<String>("SELECT topic FROM card WHERE deck_id = 'interview'"),
        ["adversarial"]
    );

    let unknown = env.file("notes", "just some words\n");
    let err = env.fails(&["import", path(&unknown)], 1);
    assert!(
        err.contains("cannot tell the format from the name or the content — pass --format toml, json, csv or anki"),
        "{err}"
    );
    let err = env.fails(&["import", "--deck", "no spaces", path(&no_topic)], 2);
    assert!(err.contains("--deck \"no spaces\" is not an id"), "{err}");
}

/// Each listed error: its message names the place and what to do, exit 1, and the
/// store is exactly as it was.
#[test]
fn every_kind_of_broken_file_is_refused_with_its_place_and_nothing_changes() {
    let env = TestEnv::new();
    env.ok(&[]);
    let before = checksum(&env);
    let header = "id,topic,question,a,b,answer\n";
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "columns.csv",
            b"id,topic,question,a,b,colour,answer\nx,t,Q,1,2,red,A\n".to_vec(),
            ":1:23: unknown column `colour` — rename it to one of:".into(),
        ),
        (
            "answer.csv",
            format!("{header}x,t,Q,1,2,\n").into_bytes(),
            ":2:11: `answer` is empty — write the answer text".into(),
        ),
        (
            "key.csv",
            format!("{header}x,t,Q,1,2,E\n").into_bytes(),
            ":2:11: answer \"E\" is not one of the options — use a key from A to B".into(),
        ),
        (
            "dup.csv",
            format!("{header}x,t,Q,1,2,A\nx,t,Q2,1,2,B\n").into_bytes(),
            ":3:1: duplicate card id \"x\" — line 2 has it too".into(),
        ),
        (
            "utf8.csv",
            [header.as_bytes(), b"x,t,Q\xff,1,2,A\n"].concat(),
            ":2:6: invalid UTF-8 — save the file as UTF-8".into(),
        ),
        (
            "binary.csv",
            b"SQLite format 3\0\x10\0\x01\x01".to_vec(),
            ": looks like a binary file, not a deck".into(),
        ),
        (
            "empty.csv",
            b"\n  \n".to_vec(),
            ": is empty — write some cards in it".into(),
        ),
        (
            "quote.csv",
            format!("{header}x,t,\"Q,1,2,A\n").into_bytes(),
            ":2:5: this quoted cell is never closed".into(),
        ),
    ];
    for (name, bytes, expected) in cases {
        let file = env.file(name, "");
        std::fs::write(&file, bytes).unwrap();
        let err = env.fails(&["import", path(&file)], 1);
        assert!(
            err.contains(&format!("{}{expected}", path(&file))),
            "{name}: expected {expected:?} in:\n{err}"
        );
        assert!(err.contains("nothing was imported"), "{name}: {err}");
        assert_eq!(checksum(&env), before, "{name}: the store is unchanged");
    }

    // Over 64 MiB: refused from its size, before it is read.
    let big = env.file("big.csv", "");
    std::fs::File::options()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let err = env.fails(&["import", path(&big)], 1);
    assert!(
        err.contains("is 65 MiB, over the 64 MiB limit — split it into several decks"),
        "{err}"
    );
    assert_eq!(checksum(&env), before);
}

#[test]
fn at_most_twenty_errors_are_shown_then_a_count() {
    let env = TestEnv::new();
    let mut text = String::from("id,topic,question,a,b,answer\n");
    for i in 0..25 {
        text.push_str(&format!("q{i},t,Q{i},1,2,Z\n"));
    }
    let file = env.file("many.csv", &text);
    let err = env.fails(&["import", path(&file)], 1);
    let located = err.lines().filter(|l| l.contains("answer \"Z\"")).count();
    assert_eq!(located, 20, "{err}");
    assert!(err.contains("… and 5 more not shown"), "{err}");
    assert!(
        err.trim_end()
            .ends_with("25 problems found; nothing was imported"),
        "{err}"
    );
}

#[test]
fn one_broken_file_imports_nothing_from_the_others_and_the_json_says_where() {
    let env = TestEnv::new();
    let good = env.file("good.csv", CSV);
    let bad = env.file(
        "bad.json",
        "{\"deck\": {\"id\": \"d\", \"name\": \"D\"},\n \"card\": [}",
    );
    // No store yet: a broken import does not create one.
    let out = env.run(&["--json", "import", path(&good), path(&bad)], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(!env.db.exists(), "no store was created for a failed import");
    let r: Report = serde_json::from_slice(&out.stdout).expect("a JSON report on failure");
    assert_eq!((r.added, r.errors), (0, 1));
    assert_eq!(r.files[0].errors, 0);
    let d = &r.files[1].diagnostics[0];
    assert_eq!((d.line, d.column), (2, 11));
    assert!(
        d.message
            .starts_with("invalid JSON: expected a value, found `}`"),
        "{d:?}"
    );

    // With a store: the same, and the store is unchanged.
    env.ok(&[]);
    let before = checksum(&env);
    env.fails(&["import", path(&good), path(&bad)], 1);
    assert_eq!(checksum(&env), before);
    assert_eq!(
        env.scalar("SELECT count(*) FROM card WHERE deck_id = 'bank'"),
        0
    );
}

#[test]
fn a_deck_split_across_files_is_refused() {
    let env = TestEnv::new();
    let a = env.file("a.csv", CSV);
    let b = env.file("b.csv", &CSV.replace("dp-clip", "other"));
    let err = env.fails(&["import", "--deck", "same", path(&a), path(&b)], 1);
    assert!(
        err.contains("deck \"same\" is also in") && err.contains("keep each deck in one file"),
        "{err}"
    );
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let env = TestEnv::new();
    let mut text = String::from("id,topic,question,a,b,answer\n");
    let filler = "x".repeat(200);
    for i in 0..12_000 {
        text.push_str(&format!("q{i},t,Question {i} {filler},one,two,A\n"));
    }
    let file = env.file("large.csv", &text);
    let out = env.run(&["import", path(&file)], "");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "nothing on stderr: {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("12000 added"), "{stdout}");
}

mod terminal {
    //! The progress bar and the prune question, in a pseudo-terminal.

    use std::time::Duration;

    use expectrl::process::unix::WaitStatus;
    use expectrl::session::OsSession;
    use expectrl::{Expect, Session};

    use super::{CSV, path};
    use crate::env::TestEnv;

    fn spawn(env: &TestEnv, args: &[&str]) -> OsSession {
        let mut cmd = env.cmd(args);
        cmd.env("TERM", "xterm-256color").env("LANG", "C.UTF-8");
        let mut session = Session::spawn(cmd).expect("spawn in a pty");
        session
            .get_process_mut()
            .set_window_size(100, 40)
            .expect("window size");
        session.set_expect_timeout(Some(Duration::from_secs(30)));
        session
    }

    fn exit_code(p: &OsSession) -> WaitStatus {
        p.get_process().wait().expect("wait")
    }

    #[test]
    fn a_large_import_shows_its_progress() {
        let env = TestEnv::new();
        env.ok(&[]);
        let mut text = String::from("id,topic,question,a,b,answer\n");
        let filler = "y".repeat(200);
        for i in 0..12_000 {
            text.push_str(&format!("q{i},t,Question {i} {filler},one,two,A\n"));
        }
        let file = env.file("large.csv", &text);
        let mut p = spawn(&env, &["import", path(&file)]);
        p.expect("importing [").unwrap();
        p.expect("12000 added").unwrap();
        assert!(matches!(exit_code(&p), WaitStatus::Exited(_, 0)));
    }

    #[test]
    fn pruning_asks_before_deleting_history() {
        let env = TestEnv::new();
        let csv = env.file("bank.csv", CSV);
        env.ok(&["import", path(&csv)]);
        let fewer: String = CSV
            .lines()
            .filter(|l| !l.starts_with("mia-metric"))
            .map(|l| format!("{l}\n"))
            .collect();
        let csv = env.file("bank.csv", &fewer);

        let mut p = spawn(&env, &["import", "--prune", path(&csv)]);
        p.expect("Delete 1 retired card of deck bank and their review history for good?")
            .unwrap();
        p.send("n").unwrap();
        p.expect("1 retired").unwrap();
        p.expect("retired cards kept: nothing was pruned").unwrap();
        assert!(matches!(exit_code(&p), WaitStatus::Exited(_, 0)));
        assert_eq!(
            env.scalar("SELECT count(*) FROM card WHERE slug = 'mia-metric'"),
            1
        );

        let mut p = spawn(&env, &["import", "--prune", path(&csv)]);
        p.expect("Delete 1 retired card").unwrap();
        p.send("y").unwrap();
        p.expect("0 retired, 1 pruned").unwrap();
        assert!(matches!(exit_code(&p), WaitStatus::Exited(_, 0)));
        assert_eq!(
            env.scalar("SELECT count(*) FROM card WHERE slug = 'mia-metric'"),
            0
        );
    }
}
