//! Study, review and the same-day repeat queue across simulated days.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::env::{TestEnv, of, right_key, wrong_key};

fn cards(events: &[Value], event: &str) -> Vec<String> {
    of(events, event)
        .iter()
        .map(|e| e["card"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn next_day_review_brings_back_exactly_the_missed_cards() {
    let mut env = TestEnv::new();
    // Day 1: learn five cards, all right: each is due tomorrow (I(1) = 1).
    let day1 = env.play(&["study", "--no-shuffle", "--new", "5"], |q| {
        right_key(q["card"].as_str().unwrap())
    });
    let learned = cards(&day1, "answer");
    assert_eq!(learned.len(), 5);

    // Day 2: all five are due; miss two of them.
    env.at("2026-03-02T08:00:00Z");
    let missed: BTreeSet<String> = learned[1..3].iter().cloned().collect();
    let day2 = env.play(&["review", "--no-shuffle"], |q| {
        let card = q["card"].as_str().unwrap();
        if missed.contains(card) && q["repeat"] == false {
            wrong_key(card)
        } else {
            right_key(card)
        }
    });
    let graded: Vec<&Value> = of(&day2, "answer")
        .into_iter()
        .filter(|a| a["repeat"] == false)
        .collect();
    assert_eq!(graded.len(), 5);
    for a in &graded {
        let s = &a["schedule"];
        if missed.contains(a["card"].as_str().unwrap()) {
            // Lapse: (0, 2.50 − 0.54, 1), due the next day.
            assert_eq!(
                (s["repetitions"].as_u64(), s["interval"].as_u64()),
                (Some(0), Some(1)),
                "{a}"
            );
            assert_eq!(
                (s["ef"].as_f64(), s["due"].as_str(), s["lapses"].as_u64()),
                (Some(1.96), Some("2026-03-03"), Some(1))
            );
        } else {
            // Second pass: I(2) = 6.
            assert_eq!(
                (s["repetitions"].as_u64(), s["interval"].as_u64()),
                (Some(2), Some(6)),
                "{a}"
            );
            assert_eq!(
                (s["ef"].as_f64(), s["due"].as_str()),
                (Some(2.5), Some("2026-03-08"))
            );
        }
    }
    let repeats: BTreeSet<String> = of(&day2, "answer")
        .iter()
        .filter(|a| a["repeat"] == true)
        .map(|a| a["card"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(repeats, missed, "missed cards are repeated the same day");

    // Day 3: exactly the missed cards come back.
    env.at("2026-03-03T08:00:00Z");
    let day3 = env.play(&["review", "--no-shuffle"], |q| {
        right_key(q["card"].as_str().unwrap())
    });
    let asked: BTreeSet<String> = cards(&day3, "question").into_iter().collect();
    assert_eq!(asked, missed);
    for a in of(&day3, "answer") {
        let s = &a["schedule"];
        assert_eq!(
            (
                s["repetitions"].as_u64(),
                s["interval"].as_u64(),
                s["ef"].as_f64()
            ),
            (Some(1), Some(1), Some(1.96))
        );
    }

    // Day 8: the three that were never missed; their next interval is ceil(6 × 2.50) = 15.
    env.at("2026-03-08T08:00:00Z");
    let day8 = env.play(&["review", "--no-shuffle"], |q| {
        right_key(q["card"].as_str().unwrap())
    });
    let asked: BTreeSet<String> = cards(&day8, "question").into_iter().collect();
    let kept: BTreeSet<String> = learned
        .iter()
        .filter(|c| !missed.contains(*c))
        .cloned()
        .collect();
    assert!(kept.is_subset(&asked), "{asked:?}");
    for a in of(&day8, "answer")
        .iter()
        .filter(|a| kept.contains(a["card"].as_str().unwrap()))
    {
        assert_eq!(a["schedule"]["interval"], 15);
        assert_eq!(a["schedule"]["due"], "2026-03-23");
    }
}

#[test]
fn the_repeat_queue_asks_until_a_4_without_moving_the_schedule() {
    let env = TestEnv::new();
    let card = "ml-security/adversarial-taxonomy";
    let mut first = true;
    let mut repeats_answered = 0;
    let events = env.play(&["study", "--no-shuffle", "--limit", "1"], |_| {
        if first {
            first = false;
            return wrong_key(card);
        }
        repeats_answered += 1;
        if repeats_answered < 3 {
            wrong_key(card)
        } else {
            right_key(card)
        }
    });
    let answers = of(&events, "answer");
    assert_eq!(
        answers.len(),
        4,
        "one graded answer, two failed repeats, one passing repeat"
    );
    assert!(answers[1..].iter().all(|a| a["repeat"] == true));
    for a in &answers {
        assert_eq!(
            a["schedule"], answers[0]["schedule"],
            "repeats leave the schedule alone"
        );
    }
    let questions = of(&events, "question");
    assert!(
        questions[1..]
            .iter()
            .all(|q| q["repeat"] == true && q["card"] == card)
    );
    assert_eq!(env.scalar("SELECT ef FROM schedule"), 196);
    assert_eq!(
        env.scalar("SELECT count(*) FROM review WHERE repeat = 1"),
        3
    );
}

#[test]
fn leftover_repeats_are_offered_again_the_same_day_but_not_the_next() {
    let mut env = TestEnv::new();
    let card = "ml-security/adversarial-taxonomy";
    // Miss it, then stop before the repeat.
    let mut n = 0;
    let events = env.play(&["study", "--no-shuffle", "--limit", "1"], |_| {
        n += 1;
        if n == 1 {
            wrong_key(card)
        } else {
            "quit".into()
        }
    });
    assert_eq!(of(&events, "summary")[0]["repeats_left"], 1);
    let dash = env.json(&[]);
    assert_eq!(
        (dash["repeats_today"].as_u64(), dash["next"].as_str()),
        (Some(1), Some("mlsec review"))
    );
    // `stats` gives the same advice as the dashboard.
    assert_eq!(env.json(&["stats"])["repeats_today"], 1);
    let stats = env.ok(&["stats"]);
    assert!(
        stats.contains("Next: mlsec review (1 missed earlier today to repeat)"),
        "{stats}"
    );

    // 01:30 the next calendar day is still the same study day (rollover at 4): the
    // repeat comes back, as a repeat. Leave it unanswered again.
    env.at("2026-03-02T01:30:00Z");
    let late = env.play(&["review", "--no-shuffle"], |_| "quit".into());
    let q = of(&late, "question");
    assert_eq!(
        (q.len(), q[0]["repeat"].as_bool(), q[0]["card"].as_str()),
        (1, Some(true), Some(card))
    );

    // After the rollover the leftover is not carried over: the card is simply due (its
    // lapse gave interval 1) and gets a graded review.
    env.at("2026-03-02T04:30:00Z");
    let next = env.play(&["review", "--no-shuffle"], |_| right_key(card));
    let q = of(&next, "question");
    assert_eq!((q.len(), q[0]["repeat"].as_bool()), (1, Some(false)));
    assert_eq!(of(&next, "answer")[0]["schedule"]["repetitions"], 1);
}

#[test]
fn the_daily_new_limit_holds_across_runs() {
    let env = TestEnv::new();
    let first = env.play(&["study", "--new", "3"], |_| "A".into());
    assert_eq!(
        of(&first, "question")
            .iter()
            .filter(|q| q["repeat"] == false)
            .count(),
        3
    );
    let second = env.play(&["study", "--new", "3"], |q| {
        if q["repeat"] == true {
            "quit".into()
        } else {
            "A".into()
        }
    });
    assert_eq!(
        of(&second, "question")
            .iter()
            .filter(|q| q["repeat"] == false)
            .count(),
        0
    );
    let third = env.play(&["study", "--new", "5"], |q| {
        if q["repeat"] == true {
            "quit".into()
        } else {
            "A".into()
        }
    });
    assert_eq!(
        of(&third, "question")
            .iter()
            .filter(|q| q["repeat"] == false)
            .count(),
        2
    );
}

#[test]
fn nothing_due_prints_only_the_summary_with_next_due() {
    let mut env = TestEnv::new();
    let empty = env.session(&["review"], &[]);
    assert_eq!(empty.len(), 1);
    assert_eq!(empty[0]["event"], "summary");
    assert_eq!(empty[0]["next_due"], Value::Null);
    env.play(&["study", "--no-shuffle", "--limit", "1"], |q| {
        right_key(q["card"].as_str().unwrap())
    });
    env.at("2026-03-01T18:00:00Z");
    let later = env.session(&["review"], &[]);
    assert_eq!(later.len(), 1);
    assert_eq!(later[0]["next_due"], "2026-03-02");
    assert_eq!(later[0]["due_tomorrow"], 1);
}

#[test]
fn filters_select_topics_and_reject_unknown_ones() {
    let env = TestEnv::new();
    let events = env.play(
        &["study", "--topic", "model-stealing", "--new", "20"],
        |q| match (q["repeat"].as_bool(), q["kind"].as_str()) {
            (Some(true), _) => "quit".into(),
            (_, Some("recall")) => "0".into(),
            _ => "?".into(),
        },
    );
    let topics: BTreeSet<&str> = of(&events, "question")
        .iter()
        .map(|q| q["topic"].as_str().unwrap())
        .collect();
    assert_eq!(topics, BTreeSet::from(["model-stealing"]));
    let err = env.fails(&["study", "--json", "--topic", "nope"], 2);
    assert!(
        err.contains("unknown topic \"nope\"") && err.contains("model-stealing"),
        "{err}"
    );
    let err = env.fails(&["review", "--json", "--deck", "nope"], 2);
    assert!(err.contains("unknown deck \"nope\""), "{err}");
}

#[test]
fn interactive_mode_needs_a_terminal() {
    let env = TestEnv::new();
    let err = env.fails(&["study"], 2);
    assert!(
        err.contains("needs a terminal") && err.contains("--json"),
        "{err}"
    );
}
