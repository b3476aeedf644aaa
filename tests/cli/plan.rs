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

/// Cards of the plan's scope introduced on `day`.
fn introduced_on(env: &TestEnv, day: &str, in_scope: bool) -> u64 {
    let not = if in_scope { "" } else { "NOT " };
    scalar(
        env,
        &format!(
            "SELECT count(*) FROM schedule s JOIN card c ON c.id = s.card_id
             WHERE s.introduced = '{day}' AND {not}({SCOPE})"
        ),
    )
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

/// Text with its line breaks and runs of spaces as single spaces: what it says,
/// however it was wrapped.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn day(s: &str) -> mlsec::clock::StudyDay {
    mlsec::clock::StudyDay::parse(s).unwrap()
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

/// Five days out, 40 cards in scope (or whatever the store holds): the quota is
/// recomputed each morning from U and L, and study takes exactly it from the scope.
#[test]
fn the_pace_follows_the_unseen_and_the_days_left() {
    let mut env = env_at("2026-12-15T09:30:00Z");
    env.ok(&[
        "plan",
        "2026-12-20",
        "--topic",
        "llm-apps",
        "--topic",
        "privacy",
    ]);
    let mut unseen = unseen_in_scope(&env);
    assert!(unseen >= 40);
    for (today, days_left) in [("2026-12-15", 5u64), ("2026-12-16", 4), ("2026-12-17", 3)] {
        at(&mut env, today);
        let quota = 10u64.max(unseen.div_ceil(days_left - 2));
        let plan = env.json(&["plan"]);
        assert_eq!(
            (&plan["days_left"], &plan["unseen"], &plan["new_per_day"]),
            (
                &Value::from(days_left),
                &Value::from(unseen),
                &Value::from(quota)
            ),
            "{today}"
        );
        env.play(&["review", "--no-shuffle"], right);
        env.play(&["study", "--no-shuffle"], right);
        let taken = quota.min(unseen);
        assert_eq!(
            introduced_on(&env, today, true),
            taken,
            "{today}: the scope first"
        );
        assert_eq!(
            introduced_on(&env, today, false),
            10u64.saturating_sub(taken),
            "{today}: other cards only within the ordinary limit"
        );
        // U is counted at the start of the day: the quota holds all day.
        let later = env.json(&["plan"]);
        assert_eq!(
            (&later["unseen"], &later["new_per_day"]),
            (&plan["unseen"], &plan["new_per_day"])
        );
        let dashboard = env.json(&[]);
        assert_eq!(dashboard["plan"]["new_per_day"], quota);
        assert_ne!(
            dashboard["next"], "mlsec study",
            "{today}: the day's quota is done"
        );
        unseen -= taken;
    }
    assert_eq!(unseen, 0, "every card of the scope by the third day before");
    assert_eq!(unseen_in_scope(&env), 0);
    // --new above the pace wins.
    let mut env = env_at("2026-12-15T09:30:00Z");
    env.ok(&[
        "plan",
        "2026-12-20",
        "--topic",
        "llm-apps",
        "--topic",
        "privacy",
    ]);
    at(&mut env, "2026-12-15");
    env.play(&["study", "--no-shuffle", "--new", "30"], right);
    assert_eq!(introduced_on(&env, "2026-12-15", true), 30);
}

#[test]
fn a_pace_over_40_a_day_says_to_narrow_the_plan() {
    let env = env_at("2026-12-17T09:30:00Z");
    // Every card of the store (the built-in deck and prep) in three days.
    let plan = env.json(&["plan", "2026-12-20"]);
    assert!(plan["new_per_day"].as_u64().unwrap() > 40, "{plan}");
    let text = flat(&env.ok(&["plan"]));
    assert!(
        text.contains("Too fast") && text.contains("narrow the plan"),
        "{text}"
    );
    assert!(text.contains("mlsec plan 2026-12-20 --topic ID"), "{text}");
    let dashboard = flat(&env.ok(&[]));
    assert!(
        dashboard.contains("Too fast") && dashboard.contains("more than 40"),
        "{dashboard}"
    );
    // Twenty cards in three days: fine.
    env.ok(&["plan", "2026-12-20", "--deck", "prep", "--topic", "privacy"]);
    assert!(!env.ok(&["plan"]).contains("Too fast"));
    assert!(!env.ok(&[]).contains("Too fast"));
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

fn final_pass_answers(events: &[Value]) -> Vec<&Value> {
    of(events, "answer")
        .into_iter()
        .filter(|a| a["final_pass"] == true)
        .collect()
}

/// The interview on 12-20 with the prep deck as scope; all of it learnt on 12-10 and
/// reviewed on 12-11, 12-17: every card is due after the interview by 12-18.
#[test]
fn the_final_pass_asks_each_card_once_and_leaves_sm2_alone() {
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
    at(&mut env, "2026-12-18");
    let cards = scalar(&env, "SELECT count(*) FROM card WHERE deck_id = 'prep'");
    let dashboard = env.json(&[]);
    assert_eq!(dashboard["plan"]["final_pass_cards"], cards);
    assert_eq!(dashboard["next"], "mlsec review");
    let text = env.ok(&[]);
    assert!(
        text.contains(&format!("Final pass      {cards:>4}  cards to go")),
        "{text}"
    );
    let before = sm2_state(&env);

    // Miss the first three, answer five more, quit.
    let mut n = 0;
    let events = session(&env, &["review", "--no-shuffle"], |_| {
        n += 1;
        match n {
            1..=3 => "B".into(),
            4..=8 => "A".into(),
            _ => "quit".into(),
        }
    });
    let asked = final_pass_answers(&events);
    assert_eq!(asked.len(), 8);
    let missed: Vec<&str> = asked[..3]
        .iter()
        .map(|a| a["card"].as_str().unwrap())
        .collect();
    for a in &asked {
        assert_eq!(a["repeat"], false);
        let brought_forward = missed.contains(&a["card"].as_str().unwrap());
        let due = if brought_forward {
            "2026-12-19"
        } else {
            a["schedule"]["due"].as_str().unwrap()
        };
        assert_eq!(a["schedule"]["due"], due);
        assert_eq!(due_of(&env, a["card"].as_str().unwrap()), due);
    }
    let mut after = sm2_state(&env);
    assert_eq!(after, before, "EF, interval and repetitions untouched");
    assert_eq!(
        env.json(&[])["repeats_today"],
        3,
        "the misses wait in today's repeat queue"
    );

    // Later the same day: the three misses as repeats, then the rest of the pass, each
    // card once; the misses again.
    let events = session(&env, &["review", "--no-shuffle"], |q| {
        if q["repeat"] == true {
            "A".into()
        } else if q["card"] == "prep/privacy-20" {
            "B".into()
        } else {
            "A".into()
        }
    });
    let repeats: Vec<&Value> = of(&events, "answer")
        .into_iter()
        .filter(|a| a["repeat"] == true)
        .collect();
    assert_eq!(repeats.len(), 4, "three from before, one new miss");
    assert!(repeats.iter().all(|a| a["final_pass"] == false));
    let rest = final_pass_answers(&events);
    assert_eq!(rest.len() as u64, cards - 8);
    let mut seen: BTreeSet<&str> = asked.iter().map(|a| a["card"].as_str().unwrap()).collect();
    for a in &rest {
        assert!(
            seen.insert(a["card"].as_str().unwrap()),
            "asked twice: {}",
            a["card"]
        );
    }
    assert_eq!(seen.len() as u64, cards);
    assert_eq!(env.json(&[])["plan"]["final_pass_cards"], 0);
    let again = session(&env, &["review", "--no-shuffle"], right);
    assert!(
        of(&again, "question").is_empty(),
        "each card once: {again:?}"
    );
    after = sm2_state(&env);
    assert_eq!(after, before);

    // 12-19: the four misses are due and graded by SM-2; nothing left for the pass.
    at(&mut env, "2026-12-19");
    assert_eq!(env.json(&[])["plan"]["final_pass_cards"], 0);
    let events = session(&env, &["review", "--no-shuffle"], right);
    let graded = of(&events, "answer");
    assert_eq!(graded.len(), 4);
    assert!(
        graded
            .iter()
            .all(|a| a["final_pass"] == false && a["repeat"] == false)
    );

    // The export says which answers were the final pass's.
    let csv = env.ok(&["export", "--what", "reviews"]);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"final_pass"));
    let flagged = lines.filter(|l| l.ends_with(",true")).count() as u64;
    assert_eq!(flagged, cards, "one final-pass answer per card");
    assert_eq!(
        scalar(
            &env,
            "SELECT count(*) FROM review WHERE final_pass_for = '2026-12-20'"
        ),
        cards
    );
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
    assert!(env.ok(&[]).contains("Final pass"));
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

/// After the interview day the plan no longer applies: no plan on the dashboard, the
/// ordinary limit, SM-2 as always; `mlsec plan` says so.
#[test]
fn the_plan_ends_after_the_interview_day() {
    let mut env = env_at("2026-12-17T09:30:00Z");
    env.ok(&["plan", "2026-12-20"]);
    // The interview day itself: still the plan's (the pace is everything unseen).
    at(&mut env, "2026-12-20");
    let plan = env.json(&["plan"]);
    assert_eq!(
        (plan["days_left"].as_i64(), &plan["final_pass_cards"]),
        (Some(0), &Value::Null)
    );
    assert!(env.ok(&[]).contains("Interview       today (2026-12-20)"));

    at(&mut env, "2026-12-21");
    let dashboard = env.json(&[]);
    assert_eq!(dashboard["plan"], Value::Null);
    assert_eq!(dashboard["next"], "mlsec study");
    assert!(!env.ok(&[]).contains("Interview"));
    assert_eq!(env.json(&["stats"])["plan"], Value::Null);
    let text = flat(&env.ok(&["plan"]));
    assert!(
        text.contains("The interview on 2026-12-20 was yesterday: the plan no longer applies"),
        "{text}"
    );
    assert!(text.contains("mlsec plan --clear"), "{text}");
    assert!(text.contains("mlsec plan YYYY-MM-DD"), "{text}");
    let plan = env.json(&["plan"]);
    assert_eq!(plan["days_left"], -1);
    for key in [
        "unseen",
        "new_per_day",
        "final_pass_from",
        "final_pass_cards",
    ] {
        assert_eq!(plan[key], Value::Null, "{key}");
    }
    session(&env, &["study", "--no-shuffle"], right);
    assert_eq!(
        scalar(
            &env,
            "SELECT count(*) FROM schedule WHERE introduced = '2026-12-21'"
        ),
        10,
        "--new again"
    );
    env.ok(&["plan", "--clear"]);
    assert!(env.ok(&["plan"]).contains("No interview plan"));
}

#[test]
fn stats_show_readiness_for_the_plan_s_scope() {
    let env = env_at("2026-12-10T09:30:00Z");
    env.ok(&["plan", "2026-12-20", "--deck", "prep"]);
    let mut n = 0;
    session(
        &env,
        &["study", "--no-shuffle", "--deck", "prep", "--new", "5"],
        |_| {
            n += 1;
            if n == 2 { "B".into() } else { "A".into() }
        },
    );
    // Readiness is the plan's, whatever `stats` is narrowed to.
    let stats = env.json(&["stats", "--topic", "adversarial"]);
    let cards = scalar(&env, "SELECT count(*) FROM card WHERE deck_id = 'prep'");
    assert_eq!(
        stats["plan"],
        serde_json::json!({
            "interview": "2026-12-20",
            "days_left": 10,
            "scope": {"deck": "prep", "topics": [], "tags": []},
            "cards": cards,
            "introduced": 5,
            "passed": 4,
            "unseen": cards - 5,
        })
    );
    let text = env.ok(&["stats"]);
    assert!(text.contains("Interview"), "{text}");
    assert!(text.contains("4 passed at their last review"), "{text}");
}

/// The "Done when": `mlsec plan 2026-12-20 --topic llm-apps --topic privacy`
/// ten days out, then each day whatever the dashboard says next, answered right, until
/// it says nothing. Every card of the scope is seen by the third day before the
/// interview and again in the last two days; the schedule is SM-2's replay throughout.
#[test]
fn a_learner_who_follows_the_dashboard_sees_every_card_and_again_at_the_end() {
    let mut env = env_at("2026-12-10T09:30:00Z");
    env.ok(&[
        "plan",
        "2026-12-20",
        "--topic",
        "llm-apps",
        "--topic",
        "privacy",
    ]);
    let scope_cards = env.query::<String>(&format!(
        "SELECT c.deck_id || '/' || c.slug FROM card c WHERE c.retired = 0 AND {SCOPE}"
    ));
    assert!(scope_cards.len() >= 40);
    let mut unseen = scope_cards.len() as u64;
    let mut answered: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for offset in 0..10 {
        let today = day("2026-12-10").plus(offset).to_string();
        at(&mut env, &today);
        let days_left = 10 - offset as u64;
        let dashboard = env.json(&[]);
        let plan = &dashboard["plan"];
        assert_eq!(plan["days_left"], days_left, "{today}");
        assert_eq!(plan["unseen"], unseen, "{today}");
        let quota = 10u64.max(unseen.div_ceil(days_left.saturating_sub(2).max(1)));
        assert_eq!(plan["new_per_day"], quota, "{today}");
        assert_eq!(plan["final_pass_cards"].is_null(), days_left > 2, "{today}");
        let text = env.ok(&[]);
        assert!(
            text.contains(&format!("Interview       in {days_left} days (2026-12-20)"))
                || days_left == 1,
            "{today}: {text}"
        );
        let mut commands = 0;
        loop {
            let next = env.json(&[])["next"].clone();
            let Some(next) = next.as_str() else { break };
            commands += 1;
            assert!(
                commands < 10,
                "{today}: the dashboard keeps asking for {next}"
            );
            let mut args: Vec<&str> = next.split_whitespace().skip(1).collect();
            args.push("--no-shuffle");
            for a in of(&session(&env, &args, right), "answer") {
                answered
                    .entry(a["card"].as_str().unwrap().to_string())
                    .or_default()
                    .push(today.clone());
            }
        }
        unseen -= introduced_on(&env, &today, true);
    }
    let final_days = ["2026-12-18", "2026-12-19"];
    for card in &scope_cards {
        let days = answered
            .get(card)
            .unwrap_or_else(|| panic!("{card} was never asked"));
        assert!(
            days[0].as_str() <= "2026-12-17",
            "{card} first seen on {}",
            days[0]
        );
        assert!(
            days.iter().any(|d| final_days.contains(&d.as_str())),
            "{card} not seen in the last two days: {days:?}"
        );
    }
    // Cards due on the interview day itself come back only through the final pass: SM-2
    // would not show them before the interview.
    assert!(
        scalar(
            &env,
            "SELECT count(*) FROM review WHERE final_pass_for IS NOT NULL"
        ) > 0,
        "the final pass asked something"
    );
    // The final pass asked each card at most once.
    let twice = scalar(
        &env,
        "SELECT count(*) FROM (SELECT card_id FROM review WHERE final_pass_for IS NOT NULL
                               GROUP BY card_id HAVING count(*) > 1)",
    );
    assert_eq!(twice, 0);
}

/// SIGKILL in the middle of the final pass, right after an answer is sent: every answer
/// printed is recorded, at most the one in flight is added, no card is asked twice, and
/// the schedule is still SM-2's replay.
#[test]
fn a_kill_in_the_final_pass_loses_and_duplicates_nothing() {
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
    at(&mut env, "2026-12-18");
    let final_rows = "SELECT count(*) FROM review WHERE final_pass_for IS NOT NULL";
    for round in 0..6 {
        let before = scalar(&env, final_rows);
        let mut d = env.drive(&["review", "--no-shuffle"]);
        let mut sent = 0;
        while let Some(e) = d.next() {
            if e["event"] != "question" {
                continue;
            }
            // A miss now and then, so that repeats and brought-forward days are killed too.
            d.send(if sent % 3 == 1 { "B" } else { "A" });
            sent += 1;
            if sent > round {
                break;
            }
        }
        let _ = d.child.kill();
        let (_, events) = d.finish();
        let printed = final_pass_answers(&events).len() as u64;
        let recorded = scalar(&env, final_rows) - before;
        assert!(
            recorded == printed || recorded == printed + 1,
            "round {round}: printed {printed} final-pass answers, recorded {recorded}"
        );
        check_database(&env, &format!("kill round {round}"));
    }
    let twice = scalar(
        &env,
        "SELECT count(*) FROM (SELECT card_id FROM review WHERE final_pass_for IS NOT NULL
                               GROUP BY card_id HAVING count(*) > 1)",
    );
    assert_eq!(twice, 0, "each card once, kills or not");
}
