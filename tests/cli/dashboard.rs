//! `mlsec` with no subcommand.

use serde_json::Value;

use crate::env::{TestEnv, right_key};

#[test]
fn the_dashboard_says_what_to_run_next() {
    let mut env = TestEnv::new();
    let fresh = env.json(&[]);
    assert_eq!(fresh["due_today"], 0);
    assert!(fresh["new_available"].as_u64().unwrap() >= 10);
    assert_eq!(fresh["next"], "mlsec study");
    assert_eq!(fresh["last_session"], serde_json::Value::Null);
    assert_eq!(fresh["plan"], serde_json::Value::Null, "no interview plan");

    env.play(&["study", "--no-shuffle", "--new", "2"], |q| {
        right_key(q["card"].as_str().unwrap())
    });
    let done = env.json(&[]);
    assert_eq!(
        (done["next"].as_str(), done["streak"].as_u64()),
        (Some("mlsec study"), Some(1))
    );
    assert_eq!(done["last_session"]["answered"], 2);

    env.at("2026-03-02T12:00:00Z");
    let tomorrow = env.json(&[]);
    assert_eq!(
        (tomorrow["due_today"].as_u64(), tomorrow["next"].as_str()),
        (Some(2), Some("mlsec review"))
    );
    let text = env.ok(&[]);
    assert!(
        text.contains("Due today") && text.contains("Next: mlsec review"),
        "{text}"
    );
}

#[test]
fn bad_clock_values_are_clear_usage_errors() {
    let env = TestEnv::new();
    let out = env.cmd(&[]).env("MLSEC_NOW", "yesterday").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid time \"yesterday\""), "{err}");
    let out = env.cmd(&["--day-starts-at", "25"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The end of a session, the dashboard and `mlsec stats` name the same command for the
/// same state (issue 15): missed cards waiting for their same-day repeat are
/// `mlsec review`'s everywhere, new cards `mlsec study`'s while today's limit lasts,
/// and nothing once both are done.
#[test]
fn every_view_names_the_same_next_command() {
    let mut env = TestEnv::new();
    let said = |env: &TestEnv, summary: &serde_json::Value| {
        let dashboard = env.json(&[]);
        let stats = env.json(&["stats"]);
        let text = env.ok(&["stats"]);
        (
            summary["next"].clone(),
            dashboard["next"].clone(),
            stats["next"].clone(),
            match stats["next"].as_str() {
                Some(cmd) => text.contains(&format!("Next: {cmd} (")),
                None => text.contains("Nothing due today"),
            },
        )
    };
    let same = |(summary, dashboard, stats, text): (Value, Value, Value, bool), want: Value| {
        assert_eq!(
            (summary, dashboard, stats, text),
            (want.clone(), want.clone(), want, true)
        );
    };
    // Two new cards, one of them missed: its repeat waits, for review.
    let mut n = 0;
    let events = env.play(&["study", "--no-shuffle", "--new", "2"], |q| {
        n += 1;
        match n {
            1 => right_key(q["card"].as_str().unwrap()),
            2 => "?".into(),
            _ => "quit".into(),
        }
    });
    let summary = events.last().unwrap().clone();
    assert_eq!(summary["repeats_left"], 1);
    same(said(&env, &summary), "mlsec review".into());

    // The repeat done: eight new cards are left in today's limit of ten.
    let events = env.play(&["review", "--no-shuffle"], |q| {
        right_key(q["card"].as_str().unwrap())
    });
    let summary = events.last().unwrap().clone();
    same(said(&env, &summary), "mlsec study".into());

    // Today's limit studied: nothing more today, whatever is still new.
    let events = env.play(&["study", "--no-shuffle"], |q| {
        right_key(q["card"].as_str().unwrap())
    });
    let summary = events.last().unwrap().clone();
    assert!(summary["new_available"].as_u64().unwrap() > 0);
    same(said(&env, &summary), Value::Null);

    // Tomorrow the cards are due.
    env.at("2026-03-02T12:00:00Z");
    let events = env.session(&["study", "--new", "0"], &[]);
    same(said(&env, events.last().unwrap()), "mlsec review".into());
}
