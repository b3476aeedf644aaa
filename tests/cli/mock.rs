//! `mlsec mock`: choosing questions, time pressure, the classify drill, the report, and
//! misses coming back in the next day's review. Time is exact through
//! `MLSEC_CLOCK_STEP_MS` (every clock read advances by the step), never by sleeping.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::{Expect, Session};
use mlsec::session::mock::vector::Vector;
use serde_json::Value;

use crate::env::{TestEnv, fixture_deck, of, right_key, wrong_key};

/// Play a mock over JSON Lines, answering each question with `answer(event)`; with
/// `step_ms`, every clock read takes that long. Returns every event.
#[track_caller]
fn play(
    env: &TestEnv,
    args: &[&str],
    step_ms: Option<u64>,
    mut answer: impl FnMut(&Value) -> String,
) -> Vec<Value> {
    let mut all = vec!["mock", "--json"];
    all.extend_from_slice(args);
    let mut cmd = env.cmd(&all);
    if let Some(ms) = step_ms {
        cmd.env("MLSEC_CLOCK_STEP_MS", ms.to_string());
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn mlsec");
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut seen = Vec::new();
    for line in stdout.lines() {
        let event: Value = serde_json::from_str(&line.unwrap()).unwrap();
        if event["event"] == "question" {
            assert!(seen.len() < 200, "runaway mock");
            writeln!(stdin, "{}", answer(&event)).unwrap();
            stdin.flush().unwrap();
        }
        seen.push(event);
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "mock {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    seen
}

/// The right key of a classify question: the option naming the card's vector.
fn classify_key(q: &Value) -> String {
    let tags: Vec<String> = serde_json::from_value(q["tags"].clone()).unwrap();
    let expected = Vector::of_tags(&tags).unwrap().to_string();
    q["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["text"] == expected.as_str())
        .map(|o| o["key"].as_str().unwrap().to_string())
        .unwrap()
}

/// "I don't know": `?`, or grade 0 for a recall card.
fn dont_know(q: &Value) -> String {
    if q["kind"] == "recall" { "0" } else { "?" }.to_string()
}

/// Answer right (file order: pass --no-shuffle), the classify step included.
fn right(q: &Value) -> String {
    if q["step"] == "classify" {
        classify_key(q)
    } else {
        right_key(q["card"].as_str().unwrap())
    }
}

fn cards(events: &[Value]) -> Vec<String> {
    of(events, "question")
        .iter()
        .filter(|q| q["step"] == "answer")
        .map(|q| q["card"].as_str().unwrap().to_string())
        .collect()
}

fn summary(events: &[Value]) -> &Value {
    let last = events.last().unwrap();
    assert_eq!(last["event"], "summary", "{last}");
    last
}

#[test]
fn questions_span_every_topic_before_any_repeats() {
    let env = TestEnv::new();
    let five = play(&env, &["--seed", "11", "--no-structure"], None, dont_know);
    let topics: Vec<String> = of(&five, "question")
        .iter()
        .map(|q| q["topic"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(topics.len(), 5, "the default is five questions");
    assert_eq!(
        topics.iter().collect::<BTreeSet<_>>().len(),
        5,
        "one per topic: {topics:?}"
    );

    let env = TestEnv::new();
    let seven = play(
        &env,
        &["--seed", "11", "--count", "7", "--no-structure"],
        None,
        dont_know,
    );
    let topics: Vec<String> = of(&seven, "question")
        .iter()
        .map(|q| q["topic"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(topics.len(), 7);
    assert_eq!(topics[..5].iter().collect::<BTreeSet<_>>().len(), 5);
    assert_eq!(topics[5..].iter().collect::<BTreeSet<_>>().len(), 2);

    let env = TestEnv::new();
    let one_topic = play(
        &env,
        &["--topic", "poisoning", "--count", "3", "--no-structure"],
        None,
        dont_know,
    );
    assert!(
        of(&one_topic, "question")
            .iter()
            .all(|q| q["topic"] == "poisoning")
    );
    assert_eq!(summary(&one_topic)["answered"], 3);
}

#[test]
fn the_same_seed_on_the_same_database_asks_the_same_questions_in_the_same_order() {
    let run = |seed: &str| {
        let env = TestEnv::new();
        // Some history first, so that weak-spot weighting has something to weigh.
        env.play(&["study", "--no-shuffle", "--new", "6"], |q| {
            let card = q["card"].as_str().unwrap();
            if q["repeat"] == true {
                right_key(card)
            } else {
                wrong_key(card)
            }
        });
        let events = play(&env, &["--seed", seed, "--count", "6"], None, dont_know);
        of(&events, "question")
            .iter()
            .map(|q| {
                (
                    q["card"].as_str().unwrap().to_string(),
                    q["step"].as_str().unwrap().to_string(),
                    q["options"].to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let first = run("42");
    assert_eq!(first, run("42"), "same seed, same questions and options");
    assert_ne!(
        first.iter().map(|q| &q.0).collect::<Vec<_>>(),
        run("43").iter().map(|q| &q.0).collect::<Vec<_>>(),
        "another seed, other questions"
    );
}

#[test]
fn an_answer_after_the_time_limit_is_a_miss_marked_over_time() {
    let env = TestEnv::new();
    // Every clock read takes 150 s: each answer comes 150 s after its question.
    let args = [
        "--seed",
        "5",
        "--count",
        "3",
        "--no-shuffle",
        "--no-structure",
    ];
    let events = play(&env, &args, Some(150_000), right);
    for q in of(&events, "question") {
        assert_eq!(
            (&q["time_limit"], &q["elapsed_ms"]),
            (&Value::from(120), &Value::from(0))
        );
    }
    for a in of(&events, "answer") {
        assert_eq!(a["elapsed_ms"], 150_000, "{a}");
        assert_eq!(
            (&a["over_time"], &a["correct"]),
            (&Value::Bool(true), &Value::Bool(false))
        );
        assert_eq!(a["right_answer"], true, "the answer itself was right");
    }
    let s = summary(&events);
    assert_eq!(
        (&s["answered"], &s["correct"], &s["over_time"]),
        (&3.into(), &0.into(), &3.into())
    );
    assert_eq!(
        env.scalar("SELECT count(*) FROM review WHERE over_time = 1 AND correct = 0"),
        3
    );

    // The same answers with a 200 s limit, or none, are in time.
    let env = TestEnv::new();
    let events = play(
        &env,
        &[&args[..], &["--time-limit", "200"]].concat(),
        Some(150_000),
        right,
    );
    assert_eq!(
        (&summary(&events)["correct"], &summary(&events)["over_time"]),
        (&3.into(), &0.into())
    );
    let env = TestEnv::new();
    let events = play(
        &env,
        &[&args[..], &["--time-limit", "0"]].concat(),
        Some(999_000),
        right,
    );
    assert_eq!(summary(&events)["correct"], 3);
    assert_eq!(of(&events, "question")[0]["time_limit"], Value::Null);
}

#[test]
fn the_classify_step_is_its_own_question_scored_on_its_own() {
    let env = TestEnv::new();
    env.ok(&["import", &fixture_deck("drill")]);
    // The drill deck's poisoning cards are training-time: the drill asks the phase only.
    // Classify wrong, then answer right: the question counts, the drill does not.
    let events = play(
        &env,
        &[
            "--deck",
            "drill",
            "--topic",
            "poisoning",
            "--count",
            "2",
            "--seed",
            "3",
            "--no-shuffle",
        ],
        Some(10_000),
        |q| {
            if q["step"] == "classify" {
                assert_eq!(q["kind"], "choice");
                let options: Vec<&str> = q["options"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|o| o["text"].as_str().unwrap())
                    .collect();
                assert_eq!(options, ["training-time", "inference-time"]);
                "B".into()
            } else {
                right(q)
            }
        },
    );
    let steps: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e["step"].is_string())
        .map(|e| (e["event"].as_str().unwrap(), e["step"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("question", "classify"),
            ("answer", "classify"),
            ("question", "answer"),
            ("answer", "answer"),
            ("question", "classify"),
            ("answer", "classify"),
            ("question", "answer"),
            ("answer", "answer"),
        ]
    );
    let classified = of(&events, "answer")
        .into_iter()
        .find(|a| a["step"] == "classify")
        .unwrap();
    assert_eq!(
        (
            &classified["correct"],
            &classified["correct_key"],
            &classified["expected"]
        ),
        (
            &Value::Bool(false),
            &Value::from("A"),
            &Value::from("training-time")
        )
    );
    // The question after it has already taken one clock step (10 s).
    let second_question = &of(&events, "question")[1];
    assert_eq!(second_question["elapsed_ms"], 10_000);
    let s = summary(&events);
    assert_eq!(
        (
            &s["correct"],
            &s["classify"]["answered"],
            &s["classify"]["correct"]
        ),
        (&2.into(), &2.into(), &0.into())
    );
    assert_eq!(
        env.scalar("SELECT count(*) FROM classify WHERE correct = 0"),
        2
    );

    // --no-structure skips the drill.
    let events = play(
        &env,
        &["--topic", "poisoning", "--count", "2", "--no-structure"],
        None,
        dont_know,
    );
    assert!(events.iter().all(|e| e["step"] != "classify"));
}

#[test]
fn the_report_of_a_known_run() {
    let env = TestEnv::new();
    // Right, wrong, I don't know, right, right; 20 s a clock read.
    let script = ["right", "wrong", "?", "right", "right"];
    let mut n = 0;
    let events = play(&env, &["--seed", "8", "--no-shuffle"], Some(20_000), |q| {
        if q["step"] == "classify" {
            return classify_key(q);
        }
        let card = q["card"].as_str().unwrap();
        n += 1;
        match script[n - 1] {
            "right" => right_key(card),
            "wrong" => wrong_key(card),
            _ => dont_know(q),
        }
    });
    let asked = cards(&events);
    let questions: Vec<&Value> = of(&events, "question")
        .into_iter()
        .filter(|q| q["step"] == "answer")
        .collect();
    let classified: Vec<bool> = questions
        .iter()
        .map(|q| q["elapsed_ms"] == 20_000)
        .collect();
    let s = summary(&events);
    assert_eq!(
        (
            &s["mode"],
            &s["planned"],
            &s["answered"],
            &s["correct"],
            &s["accuracy"]
        ),
        (&"mock".into(), &5.into(), &5.into(), &3.into(), &0.6.into())
    );
    // Each question takes 20 s, 40 s with a classify step.
    let expected_ms: Vec<u64> = classified
        .iter()
        .map(|&c| if c { 40_000 } else { 20_000 })
        .collect();
    let report_ms: Vec<u64> = s["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["elapsed_ms"].as_u64().unwrap())
        .collect();
    assert_eq!(report_ms, expected_ms);
    assert_eq!(s["total_ms"], expected_ms.iter().sum::<u64>());
    let drills = classified.iter().filter(|&&c| c).count() as u64;
    assert_eq!(
        (&s["classify"]["answered"], &s["classify"]["correct"]),
        (&drills.into(), &drills.into())
    );

    // Per question: the result, the best key and a one-line reason.
    for (i, q) in s["questions"].as_array().unwrap().iter().enumerate() {
        assert_eq!(q["card"], asked[i].as_str());
        assert_eq!(q["correct"], script[i] == "right", "{q}");
        assert!(!q["reason"].as_str().unwrap().is_empty());
        assert!(!q["reason"].as_str().unwrap().contains('\n'));
    }
    // Per topic: five topics, one question each.
    let topic_correct: Vec<(String, u64)> = s["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["topic"].as_str().unwrap().to_string(),
                t["correct"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(topic_correct.len(), 5);
    // Per step: from the tags of the cards asked.
    for step in s["steps"].as_array().unwrap() {
        let name = step["step"].as_str().unwrap();
        let tagged: Vec<usize> = (0..5)
            .filter(|&i| {
                questions[i]["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t == name)
            })
            .collect();
        assert_eq!(step["answered"], tagged.len(), "{name}");
        assert_eq!(
            step["correct"],
            tagged.iter().filter(|&&i| script[i] == "right").count(),
            "{name}"
        );
    }
    // What to review: the two misses, by topic, tomorrow.
    assert_eq!(s["missed"], serde_json::json!([asked[1], asked[2]]));
    let topic = |i: usize| questions[i]["topic"].as_str().unwrap().to_string();
    assert_eq!(
        s["review_command"],
        format!("mlsec review --topic {} --topic {}", topic(1), topic(2)).as_str()
    );
    assert_eq!(s["review_day"], "2026-03-02");
    assert_eq!(
        (&s["trend"], &s["change_points"]),
        (&serde_json::json!([]), &Value::Null)
    );
    assert_eq!(
        env.scalar("SELECT count(*) FROM session WHERE kind = 'mock'"),
        1
    );
    assert_eq!(env.scalar("SELECT seed FROM mock"), 8);

    // A second mock, all right: the trend shows the first.
    let events = play(&env, &["--no-shuffle"], Some(20_000), right);
    let s = summary(&events);
    assert_eq!(s["trend"][0]["accuracy"], 0.6);
    assert_eq!(s["change_points"], 40);
}

#[test]
fn cards_missed_in_a_mock_come_back_in_the_next_days_review_with_their_intervals() {
    let mut env = TestEnv::new();
    env.ok(&["import", &fixture_deck("drill")]);
    let adversarial = ["--deck", "drill", "--topic", "adversarial", "--no-shuffle"];
    // Day 1: learn the 7 adversarial cards; day 2: review them right (interval 6).
    env.play(
        &[&["study", "--new", "7"], &adversarial[..]].concat(),
        |q| right_key(q["card"].as_str().unwrap()),
    );
    env.at("2026-03-02T08:00:00Z");
    env.play(&[&["review"], &adversarial[..]].concat(), |q| {
        right_key(q["card"].as_str().unwrap())
    });
    // Day 3: a mock misses everything. EF and interval stay; due moves to day 4.
    env.at("2026-03-03T08:00:00Z");
    let events = play(
        &env,
        &[&adversarial[..], &["--no-structure"]].concat(),
        None,
        dont_know,
    );
    let missed: BTreeSet<String> = cards(&events).into_iter().collect();
    assert_eq!(missed.len(), 5);
    for a in of(&events, "answer") {
        let s = &a["schedule"];
        assert_eq!(
            (&s["ef"], &s["interval"], &s["repetitions"], &s["due"]),
            (&2.5.into(), &6.into(), &2.into(), &"2026-03-04".into()),
            "{a}"
        );
        assert_eq!(a["resurfaced"], true);
    }
    // Day 4: review asks exactly the missed cards, and their interval grows from 6.
    env.at("2026-03-04T08:00:00Z");
    let review = env.play(&["review", "--no-shuffle"], |q| {
        right_key(q["card"].as_str().unwrap())
    });
    let asked: BTreeSet<String> = of(&review, "question")
        .iter()
        .map(|q| q["card"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(asked, missed);
    for a in of(&review, "answer") {
        assert_eq!(a["schedule"]["interval"], 15, "ceil(6 × 2.5): {a}");
    }
}

#[test]
fn mock_needs_a_terminal_or_json_and_checks_its_options() {
    let env = TestEnv::new();
    let err = env.fails(&["mock"], 2);
    assert!(err.contains("pass --json"), "{err}");
    env.fails(&["mock", "--json", "--count", "0"], 2);
    env.fails(&["mock", "--json", "--count", "3", "--limit", "4"], 2);
    let err = env.fails(&["mock", "--json", "--topic", "nope"], 2);
    assert!(err.contains("unknown topic"), "{err}");
    // --limit is --count by another name.
    let events = play(&env, &["--limit", "2", "--no-structure"], None, dont_know);
    assert_eq!(summary(&events)["answered"], 2);
}

#[test]
fn one_mock_question_in_the_terminal() {
    let env = TestEnv::new();
    env.ok(&["import", &fixture_deck("drill")]);
    let mut cmd = env.cmd(&[
        "mock",
        "--count",
        "1",
        "--deck",
        "drill",
        "--topic",
        "poisoning",
        "--seed",
        "3",
        "--no-shuffle",
    ]);
    cmd.env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .env("MLSEC_CLOCK_STEP_MS", "61000");
    let mut p = Session::spawn(cmd).expect("spawn in a pty");
    p.get_process_mut().set_window_size(100, 40).unwrap();
    p.set_expect_timeout(Some(Duration::from_secs(20)));
    p.expect("Mock question 1 / 1").unwrap();
    p.expect("2:00 to answer").unwrap();
    p.expect("First, classify the attack vector").unwrap();
    p.expect("training-time or inference-time?").unwrap();
    // training-time is the first entry.
    p.send("\r").unwrap();
    p.expect("✔ Classified: training-time · 1:01").unwrap();
    p.expect("Your answer").unwrap();
    // "I don't know" is the last entry: up from A wraps to it.
    p.send("\x1b[A").unwrap();
    p.send("\r").unwrap();
    p.expect("✘ The best answer is").unwrap();
    p.expect("2:02").unwrap();
    p.expect("It comes back in review tomorrow (2026-03-02)")
        .unwrap();
    p.expect("Press Enter for the report").unwrap();
    p.send("\r").unwrap();
    p.expect("Mock interview done · 0 / 1 right (0%)").unwrap();
    p.expect("classify ✔").unwrap();
    p.expect("you: I don't know · best:").unwrap();
    p.expect("Classify     1/1 attack vectors named right")
        .unwrap();
    p.expect("1 missed card is due in review tomorrow (2026-03-02)")
        .unwrap();
    p.expect("mlsec review --deck drill --topic poisoning")
        .unwrap();
    let status = p.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
    assert_eq!(
        env.scalar("SELECT count(*) FROM review r JOIN session s ON s.id = r.session_id WHERE s.kind = 'mock'"),
        1
    );
    assert_eq!(env.scalar("SELECT correct FROM classify"), 1);
}

/// The mock's events, pinned by their field names (DESIGN §2: fields may be added on
/// purpose, here, never renamed or removed).
#[test]
fn mock_events_keep_their_fields() {
    let env = TestEnv::new();
    env.ok(&["import", &fixture_deck("drill")]);
    let events = play(
        &env,
        &[
            "--deck",
            "drill",
            "--topic",
            "poisoning",
            "--count",
            "1",
            "--seed",
            "3",
        ],
        None,
        dont_know,
    );
    let keys = |e: &Value| -> Vec<String> {
        let mut k: Vec<String> = e.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let sorted = |list: &[&str]| -> Vec<String> {
        let mut k: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    };
    let common_question = [
        "event",
        "mode",
        "card",
        "kind",
        "topic",
        "topic_name",
        "tags",
        "position",
        "total",
        "repeat",
        "question",
        "options",
        "step",
        "time_limit",
        "elapsed_ms",
    ];
    let kinds: Vec<(&str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap(),
                e["step"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("question", "classify"),
            ("answer", "classify"),
            ("question", "answer"),
            ("answer", "answer"),
            ("summary", "")
        ]
    );
    assert_eq!(
        keys(&events[0]),
        sorted(&[&common_question[..], &["card_kind", "prompt"]].concat())
    );
    assert_eq!(
        keys(&events[1]),
        sorted(&[
            "event",
            "mode",
            "step",
            "card",
            "kind",
            "repeat",
            "chosen",
            "chosen_vector",
            "correct",
            "correct_key",
            "expected",
            "phase",
            "knowledge",
            "elapsed_ms",
            "over_time",
            "final_pass",
        ])
    );
    assert_eq!(keys(&events[2]), sorted(&common_question));
    assert_eq!(
        keys(&events[3]),
        sorted(&[
            "event",
            "mode",
            "step",
            "card",
            "kind",
            "repeat",
            "chosen",
            "correct",
            "right_answer",
            "correct_key",
            "quality",
            "explanation",
            "why",
            "correct_why",
            "elapsed_ms",
            "over_time",
            "resurfaced",
            "schedule",
            "covered",
            "rubric_total",
            "text",
            "final_pass",
        ])
    );
    assert_eq!(
        keys(&events[4]),
        sorted(&[
            "event",
            "mode",
            "session",
            "planned",
            "answered",
            "correct",
            "repeats",
            "accuracy",
            "over_time",
            "time_limit",
            "total_ms",
            "average_ms",
            "seed",
            "weighting",
            "structure",
            "classify",
            "questions",
            "topics",
            "steps",
            "trend",
            "change_points",
            "missed",
            "review_command",
            "review_day",
            "due_tomorrow",
        ])
    );
    assert_eq!(
        keys(&events[4]["questions"][0]),
        sorted(&[
            "position",
            "card",
            "topic",
            "topic_name",
            "kind",
            "steps",
            "answered",
            "chosen",
            "correct_key",
            "answer",
            "reason",
            "correct",
            "over_time",
            "elapsed_ms",
            "due",
            "resurfaced",
            "classify",
            "covered",
            "rubric_total",
            "points_missed",
            "text",
        ])
    );
}
