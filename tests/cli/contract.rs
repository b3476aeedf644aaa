//! The `--json` session contract of DESIGN §2, pinned with mirror structs: a renamed or
//! removed field fails here. (Adding a field means adding it here, on purpose.) The
//! exact lines of a few scripted sessions are pinned too, field order and escapes
//! included (`tests/fixtures/events/`).

use std::io::Write;
use std::process::Stdio;

use serde::Deserialize;

use crate::env::{TestEnv, of, right_key};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct QuestionEvent {
    event: String,
    mode: String,
    card: String,
    kind: String,
    topic: String,
    topic_name: String,
    tags: Vec<String>,
    position: u64,
    total: u64,
    repeat: bool,
    question: String,
    options: Vec<ShownOption>,
    model_answer: Option<String>,
    rubric: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ShownOption {
    key: String,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct AnswerEvent {
    event: String,
    mode: String,
    card: String,
    kind: String,
    repeat: bool,
    chosen: Option<String>,
    correct: bool,
    correct_key: Option<String>,
    quality: u8,
    explanation: Option<String>,
    why: Option<String>,
    correct_why: Option<String>,
    schedule: ScheduleOut,
    model_answer: Option<String>,
    rubric: Option<Vec<String>>,
    // Issue 13: added at the end, null unless a recall answer was graded by its rubric
    // checklist (covered, rubric_total) or the answer came with its words (text).
    covered: Option<Vec<u32>>,
    rubric_total: Option<u32>,
    text: Option<String>,
    final_pass: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ScheduleOut {
    repetitions: u32,
    ef: f64,
    interval: i64,
    due: String,
    lapses: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SummaryEvent {
    event: String,
    mode: String,
    session: Option<i64>,
    answered: u64,
    correct: u64,
    repeats: u64,
    accuracy: Option<f64>,
    due_tomorrow: u64,
    next_due: Option<String>,
    new_available: u64,
    repeats_left: u64,
    due_left: u64,
    // Issue 15: the command to run next, as the dashboard's `next` (added at the end).
    next: Option<String>,
}

#[test]
fn a_scripted_study_session_speaks_the_contract() {
    let env = TestEnv::new();
    let mut n = 0;
    let events = env.play(&["study", "--no-shuffle", "--limit", "3"], |q| {
        n += 1;
        match n {
            1 => right_key(q["card"].as_str().unwrap()),
            2 => "?".to_string(),
            _ => "quit".to_string(),
        }
    });
    let questions = of(&events, "question");
    let answers = of(&events, "answer");
    let summaries = of(&events, "summary");
    assert_eq!(
        (questions.len(), answers.len(), summaries.len()),
        (3, 2, 1),
        "{events:#?}"
    );
    for q in &questions {
        let q: QuestionEvent = serde_json::from_value((*q).clone()).unwrap();
        assert_eq!((q.event.as_str(), q.mode.as_str()), ("question", "study"));
        assert!(q.card.starts_with("ml-security/"), "{}", q.card);
        assert_eq!(
            q.options.iter().map(|o| o.key.as_str()).collect::<String>(),
            "ABCD"
        );
    }
    let first: AnswerEvent = serde_json::from_value(answers[0].clone()).unwrap();
    assert!(first.correct && !first.repeat && !first.final_pass);
    assert_eq!(first.chosen, first.correct_key);
    assert_eq!(
        (
            first.quality,
            first.schedule.repetitions,
            first.schedule.interval
        ),
        (4, 1, 1)
    );
    assert_eq!(
        (first.schedule.ef, first.schedule.due.as_str()),
        (2.5, "2026-03-02")
    );
    assert!(first.why.is_some() && first.explanation.is_some());
    let dont_know: AnswerEvent = serde_json::from_value(answers[1].clone()).unwrap();
    assert_eq!(
        (
            dont_know.chosen.as_deref(),
            dont_know.correct,
            dont_know.quality
        ),
        (Some("?"), false, 0)
    );
    assert_eq!((dont_know.schedule.ef, dont_know.schedule.lapses), (1.7, 1));
    let summary: SummaryEvent = serde_json::from_value(summaries[0].clone()).unwrap();
    assert_eq!(
        (summary.answered, summary.correct, summary.repeats),
        (2, 1, 0)
    );
    assert_eq!(summary.accuracy, Some(0.5));
    assert_eq!(
        summary.repeats_left, 1,
        "the unknown card waits in today's repeat queue"
    );
    assert_eq!(
        summary.next.as_deref(),
        Some("mlsec review"),
        "review serves the repeat"
    );
    assert_eq!(summary.due_tomorrow, 2);
}

#[test]
fn end_of_input_is_quit_and_keeps_answers() {
    let env = TestEnv::new();
    let card = "ml-security/adversarial-taxonomy";
    let events = env.session(&["study", "--no-shuffle"], &[&right_key(card)]);
    assert_eq!(of(&events, "answer").len(), 1);
    assert_eq!(events.last().unwrap()["event"], "summary");
    assert_eq!(env.scalar("SELECT count(*) FROM review"), 1);
}

#[test]
fn unreadable_lines_get_an_error_and_the_same_question() {
    let env = TestEnv::new();
    let events = env.session(&["study", "--no-shuffle"], &["Z", "", "B 3", "b"]);
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        &kinds[..8],
        [
            "question", "error", "question", "error", "question", "error", "question", "answer"
        ]
    );
    let errors = of(&events, "error");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("expected one of A, B, C, D")
    );
    assert!(
        errors[2]["message"]
            .as_str()
            .unwrap()
            .contains("confidence")
    );
    assert_eq!(
        events[6]["card"], events[0]["card"],
        "the same question again"
    );
    assert_eq!(
        of(&events, "answer")[0]["chosen"],
        "B",
        "keys are case-insensitive"
    );
}

#[test]
fn confidence_turns_a_right_answer_into_5_or_2() {
    let env = TestEnv::new();
    let mut n = 0;
    let events = env.play(&["study", "--no-shuffle", "--limit", "2"], |q| {
        n += 1;
        let key = right_key(q["card"].as_str().unwrap());
        match n {
            1 => format!("{key} 5"),
            2 => format!("{key} 2"),
            _ => "quit".into(),
        }
    });
    let answers = of(&events, "answer");
    assert_eq!(
        (
            answers[0]["quality"].as_u64(),
            answers[0]["schedule"]["ef"].as_f64()
        ),
        (Some(5), Some(2.6))
    );
    assert_eq!(answers[1]["quality"], 2, "a guess is a lapse");
    assert_eq!(answers[1]["schedule"]["lapses"], 1);
}

#[test]
fn seed_makes_the_shuffle_reproducible() {
    let run = |seed: &str| {
        let env = TestEnv::new();
        let events = env.session(&["study", "--seed", seed, "--limit", "3"], &["A", "A", "A"]);
        of(&events, "question")
            .iter()
            .map(|q| q["options"].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(run("42"), run("42"));
    assert_ne!(run("42"), run("43"));
}

#[test]
fn recall_cards_take_a_grade() {
    let env = TestEnv::new();
    // Recall cards come after the choice cards of each topic; study them by limit.
    let mut graded = None;
    env.play(&["study", "--no-shuffle", "--new", "1000"], |q| {
        if q["kind"] == "recall" && graded.is_none() {
            graded = Some(q["card"].as_str().unwrap().to_string());
            assert!(q["model_answer"].as_str().is_some_and(|a| !a.is_empty()));
            assert!(q["options"].as_array().unwrap().is_empty());
            return "3".into();
        }
        if q["kind"] == "recall" {
            "quit".into()
        } else {
            right_key(q["card"].as_str().unwrap())
        }
    });
    let card = graded.expect("a recall card was asked");
    let slug = card.rsplit('/').next().unwrap();
    let q = env.scalar(&format!(
        "SELECT r.quality FROM review r JOIN card c ON c.id = r.card_id WHERE c.slug = '{slug}'"
    ));
    assert_eq!(q, 3);
}

/// Run one scripted session and return its stdout as text; with `step_ms`, every clock
/// read takes that long (see `mock.rs`).
#[track_caller]
fn lines(env: &TestEnv, args: &[&str], step_ms: Option<&str>, answers: &[&str]) -> String {
    let mut cmd = env.cmd(args);
    if let Some(ms) = step_ms {
        cmd.env("MLSEC_CLOCK_STEP_MS", ms);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mlsec");
    let mut input = child.stdin.take().expect("stdin");
    for answer in answers {
        writeln!(input, "{answer}").expect("write answer");
    }
    drop(input);
    let out = child.wait_with_output().expect("wait for mlsec");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

/// Compare line by line, naming the first line that differs.
#[track_caller]
/// The lines must be the pinned ones. After a deliberate change (a field added on
/// purpose), `BLESS=1 cargo test --test cli contract` rewrites the pinned files; review
/// their diff before committing it.
fn same_lines(pinned_file: &str, actual: &str) {
    let path = format!(
        "{}/tests/fixtures/events/{pinned_file}",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).expect("rewrite the pinned lines");
    }
    let pinned = std::fs::read_to_string(&path).expect("pinned lines");
    for (i, (want, got)) in pinned.lines().zip(actual.lines()).enumerate() {
        assert_eq!(got, want, "{pinned_file}:{}: the line differs", i + 1);
    }
    assert_eq!(
        actual.lines().count(),
        pinned.lines().count(),
        "{pinned_file}: another number of lines:\n{actual}"
    );
    assert_eq!(actual, pinned, "{pinned_file}: line endings differ");
}

/// Field names, their order, nulls and escapes are what scripts parse: the lines of
/// these sessions are pinned byte for byte as mlsec printed them before the events
/// became types. Study (error lines, confidence, `?`, recall, repeats), review (a
/// session with nothing left prints only its summary), and mocks (a new card that
/// stays new, classify steps, over time, a quit after a classify step, the trend).
/// Every mock runs on a stepped clock (0 ms: a frozen one), so its times are exact.
#[test]
fn session_lines_are_byte_for_byte_those_pinned() {
    let mut env = TestEnv::new();
    let deck = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/events/deck.toml"
    );
    env.ok(&["import", deck]);
    // A question as a hand-edited database could hold it: JSON escapes what import strips.
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .execute(
            "UPDATE card SET body = json_set(body, '$.question', 'Labels only' || char(8238) || ' from the API' || char(155) || '2J?') WHERE deck_id = 'pinned' AND slug = 'api-probe'",
            [],
        )
        .unwrap();
    // Every run: `--json --deck pinned`, then its own arguments.
    let run = |env: &TestEnv, args: &[&str], step_ms, answers: &[&str]| {
        let all = [&args[..1], &["--json", "--deck", "pinned"], &args[1..]].concat();
        lines(env, &all, step_ms, answers)
    };

    let mut mock = run(
        &env,
        &[
            "mock",
            "--topic",
            "supply",
            "--no-structure",
            "--seed",
            "5",
            "--count",
            "2",
            "--time-limit",
            "0",
        ],
        Some("0"),
        &["A", "A"],
    );
    let study = run(
        &env,
        &["study", "--no-shuffle"],
        None,
        &["Z", "B 5", "?", "3", "A", "3", "A 2", "4", "quit"],
    );
    same_lines("study.jsonl", &study);

    env.at("2026-03-02T09:30:00Z");
    let mut review = run(
        &env,
        &["review", "--no-shuffle"],
        None,
        &["A", "C 4", "4", "B", "B", "A"],
    );
    review += &run(&env, &["review"], None, &[]);
    same_lines("review.jsonl", &review);

    env.at("2026-03-03T09:30:00Z");
    let step = Some("70000");
    mock += &run(
        &env,
        &[
            "mock",
            "--random",
            "--seed",
            "7",
            "--count",
            "3",
            "--no-shuffle",
        ],
        step,
        &["A", "B", "C", "?", "3"],
    );
    mock += &run(
        &env,
        &["mock", "--seed", "11", "--count", "5"],
        step,
        &["A", "B", "B", "A", "A", "A", "2"],
    );
    same_lines("mock.jsonl", &mock);
}

/// The fields issue 13 added, with values: answer objects (a key with confidence and
/// words, `?`, a refused object, a checklist), their answer events and errors, pinned
/// byte for byte like the sessions above; the mirror structs read every answer.
#[test]
fn answer_objects_and_their_fields_are_those_pinned() {
    let env = TestEnv::new();
    let deck = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/events/deck.toml"
    );
    env.ok(&["import", deck]);
    let out = lines(
        &env,
        &["study", "--json", "--deck", "pinned", "--no-shuffle"],
        None,
        &[
            r#"{"key":"b","confidence":5,"text":"label flipping: \"poisoning\" at training time"}"#,
            r#"{"key":"?"}"#,
            r#"{"grade":4}"#,
            r#"{"key":"A","text":"tab\there, ε and \u001b[2J"}"#,
            r#"{"key":"A"}"#,
            r#"{"covered":[3]}"#,
            r#"{"covered":[2,2]}"#,
            "quit",
        ],
    );
    same_lines("objects.jsonl", &out);
    let answers: Vec<AnswerEvent> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["event"] == "answer")
        .map(|e| serde_json::from_value(e).unwrap())
        .collect();
    assert_eq!(answers.len(), 5);
    let recall = &answers[4];
    assert_eq!(
        (
            recall.quality,
            recall.covered.as_deref(),
            recall.rubric_total
        ),
        (3, Some(&[2][..]), Some(2))
    );
    assert_eq!(
        answers[0].text.as_deref(),
        Some("label flipping: \"poisoning\" at training time")
    );
}
