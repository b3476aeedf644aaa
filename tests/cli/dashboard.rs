//! `mlsec` with no subcommand.

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
