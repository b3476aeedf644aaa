//! `mlsec plan`: a scripted plan across simulated days (`--now`). The pace day by day,
//! the final pass (each card once, misses repeated, brought forward only before the
//! interview), SM-2 untouched by it (the replay check of `crash.rs`), the plan ending
//! after its day, and the "Done when": a learner who follows the dashboard sees
//! every card of the plan, and again in the last two days.
//!
//! The plan's topics come from a deck of the test's own (`prep`): the built-in deck is
//! loaded too, and whatever it holds (perhaps cards of the same topics one day), the
//! figures are read from the database, not assumed.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::crash::check_database;
use crate::env::{TestEnv, of, right_key};

/// Two topics of 20 cards each; option A is always right, B always wrong.
fn prep_deck() -> String {
    let mut text = String::from(
        "[deck]\nid = \"prep\"\nname = \"Interview prep\"\n\n\
         [[topic]]\nid = \"llm-apps\"\nname = \"LLM applications\"\n\n\
         [[topic]]\nid = \"privacy\"\nname = \"Privacy\"\n",
    );
    for topic in ["llm-apps", "privacy"] {
        for i in 1..=20 {
            text.push_str(&format!(
                "\n[[card]]\nid = \"{topic}-{i:02}\"\nkind = \"choice\"\ntopic = \"{topic}\"\n\
                 question = \"{topic} question {i}?\"\nanswer = \"A\"\n\
                 [[card.option]]\ntext = \"right\"\n[[card.option]]\ntext = \"wrong\"\n"
            ));
        }
    }
    text
}

const SCOPE: &str = "c.topic IN ('llm-apps', 'privacy')";

/// A store with the prep deck, the clock at `now`.
fn env_at(now: &str) -> TestEnv {
    let mut env = TestEnv::new();
    env.at(now);
    let deck = env.file("prep.toml", &prep_deck());
    env.ok(&["import", deck.to_str().unwrap()]);
    env
}

fn at(env: &mut TestEnv, day: &str) {
    env.at(&format!("{day}T09:30:00Z"));
}

/// The right answer to any card (use with `--no-shuffle`).
fn right(q: &Value) -> String {
    let card = q["card"].as_str().unwrap();
    if card.starts_with("prep/") {
        "A".into()
    } else {
        right_key(card)
    }
}

fn scalar(env: &TestEnv, sql: &str) -> u64 {
    env.scalar(sql) as u64
}

fn unseen_in_scope(env: &TestEnv) -> u64 {
    scalar(
        env,
        &format!(
            "SELECT count(*) FROM card c WHERE c.retired = 0 AND {SCOPE}
             AND NOT EXISTS (SELECT 1 FROM schedule s WHERE s.card_id = c.id)"
        ),
    )
}

#[test]
fn a_plan_is_set_shown_replaced_and_cleared() {
    let env = env_at("2026-12-10T09:30:00Z");
    assert!(env.ok(&["plan"]).contains("No interview plan"));
    assert_eq!(env.json(&["plan"]), Value::Null);

    // Not after today's study day, or not a date: usage errors (exit 2).
    for (date, says) in [
        ("2026-12-10", "is not after today's study day (2026-12-10)"),
        ("2026-12-01", "is not after today's study day"),
        ("2026-12-32", "YYYY-MM-DD"),
        ("2026-12-5", "YYYY-MM-DD"),
        ("tomorrow", "YYYY-MM-DD"),
    ] {
        let err = env.fails(&["plan", date], 2);
        assert!(err.contains(says), "{date}: {err}");
    }
    // 01:30 on the 11th is still the study day of the 10th.
    let err = env.fails(&["plan", "2026-12-10", "--now", "2026-12-11T01:30:00Z"], 2);
    assert!(err.contains("(2026-12-10)"), "{err}");
    let err = env.fails(&["plan", "2026-12-20", "--topic", "nope"], 2);
    assert!(err.contains("unknown topic \"nope\""), "{err}");
    let err = env.fails(&["plan", "--topic", "privacy"], 2);
    assert!(err.contains("give the interview day too"), "{err}");
    env.fails(&["plan", "2026-12-20", "--clear"], 2);
    assert_eq!(env.json(&["plan"]), Value::Null, "nothing was set");

    let text = env.ok(&[
        "plan",
        "2026-12-20",
        "--topic",
        "llm-apps",
        "--topic",
        "privacy",
    ]);
    assert!(
        text.contains("Plan set: interview on 2026-12-20."),
        "{text}"
    );
    assert!(text.contains("Interview in 10 days (2026-12-20)"), "{text}");
    assert!(text.contains("--topic llm-apps --topic privacy"), "{text}");
    let plan = env.json(&["plan"]);
    let keys: BTreeSet<&str> = plan
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "interview",
            "days_left",
            "unseen",
            "new_per_day",
            "final_pass_from",
            "final_pass_cards",
            "scope"
        ])
    );
    let unseen = unseen_in_scope(&env);
    assert_eq!(plan["interview"], "2026-12-20");
    assert_eq!(plan["days_left"], 10);
    assert_eq!(plan["unseen"], unseen);
    assert_eq!(plan["new_per_day"], 10u64.max(unseen.div_ceil(8)));
    assert_eq!(plan["final_pass_from"], "2026-12-18");
    assert_eq!(plan["final_pass_cards"], Value::Null, "not yet");
    assert_eq!(
        plan["scope"],
        serde_json::json!({"deck": null, "topics": ["llm-apps", "privacy"], "tags": []})
    );

    // Setting again replaces it, scope included; --json prints the new plan.
    let replaced = env.json(&["plan", "2026-12-24", "--deck", "prep"]);
    assert_eq!(replaced["interview"], "2026-12-24");
    assert_eq!(replaced["scope"]["deck"], "prep");
    assert_eq!(replaced["scope"]["topics"], serde_json::json!([]));
    assert!(
        env.ok(&["plan", "2026-12-21"])
            .contains("Replaced the plan for 2026-12-24")
    );
    assert_eq!(env.scalar("SELECT count(*) FROM plan"), 1);

    assert!(
        env.ok(&["plan", "--clear"])
            .contains("Cleared the plan for the interview on 2026-12-21.")
    );
    assert_eq!(env.json(&["plan"]), Value::Null);
    assert_eq!(env.json(&["plan", "--clear"]), Value::Null);
    assert!(env.ok(&["plan", "--clear"]).contains("no plan to clear"));
}

/// Events of a session answered by `answer`, with a database check after it.
fn session(env: &TestEnv, args: &[&str], answer: impl FnMut(&Value) -> String) -> Vec<Value> {
    let events = env.play(args, answer);
    check_database(env, &format!("after {args:?} at {}", env.now));
    events
}

/// (repetitions, ef, interval) of every card with a schedule, by card id.
fn sm2_state(env: &TestEnv) -> BTreeMap<String, (i64, i64, i64)> {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT c.deck_id || '/' || c.slug, s.repetitions, s.ef, s.interval
             FROM schedule s JOIN card c ON c.id = s.card_id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn due_of(env: &TestEnv, card: &str) -> String {
    let slug = card.trim_start_matches("prep/");
    env.query::<String>(&format!(
        "SELECT s.due FROM schedule s JOIN card c ON c.id = s.card_id
         WHERE c.deck_id = 'prep' AND c.slug = '{slug}'"
    ))
    .remove(0)
}

/// On the last day before the interview, a miss is repeated but not made due the next
/// day: that is the interview's.
#[test]
fn a_final_pass_miss_on_the_last_day_keeps_its_due_day() {
    let mut env = env_at("2026-12-10T09:30:00Z");
    env.ok(&["plan", "2026-12-20", "--deck", "prep"]);
    session(
        &env,
        &["study", "--no-shuffle", "--deck", "prep", "--new", "100"],
        right,
    );
    for today in ["2026-12-11", "2026-12-17"] {
        at(&mut env, today);
        session(&env, &["review", "--no-shuffle", "--deck", "prep"], right);
    }
    at(&mut env, "2026-12-19");

    let before = sm2_state(&env);
    let mut first = None;
    let events = session(&env, &["review", "--no-shuffle"], |q| {
        if first.is_none() {
            first = Some(q["card"].as_str().unwrap().to_string());
            return "?".into();
        }
        "A".into()
    });
    let first = first.unwrap();
    let answers = of(&events, "answer");
    let verdicts: Vec<(&str, bool, bool)> = answers
        .iter()
        .filter(|a| a["card"] == first.as_str())
        .map(|a| {
            (
                a["card"].as_str().unwrap(),
                a["final_pass"] == true,
                a["repeat"] == true,
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [(first.as_str(), true, false), (first.as_str(), false, true)]
    );
    assert_ne!(due_of(&env, &first), "2026-12-20");
    assert!(due_of(&env, &first).as_str() > "2026-12-20");
    assert_eq!(sm2_state(&env), before);
}
