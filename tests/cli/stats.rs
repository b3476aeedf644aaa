//! `mlsec stats`: figures from scripted sessions over simulated days, checked against
//! numbers worked out by hand; the terminal pictures; mock scores; leeches.

use serde_json::{Value, json};

use crate::env::TestEnv;

/// Three cards over two topics; option A is always right, B always wrong.
pub const DRILL: &str = r#"[deck]
id = "drill"
name = "Drill"

[[topic]]
id = "t1"
name = "Topic one"

[[topic]]
id = "t2"
name = "Topic two"

[[card]]
id = "a"
kind = "choice"
topic = "t1"
tags = ["x"]
question = "Question a?"
answer = "A"
explanation = "Because a."
[[card.option]]
text = "right a"
why = "yes"
[[card.option]]
text = "wrong a"
why = "no"

[[card]]
id = "b"
kind = "choice"
topic = "t1"
question = "Question b?"
answer = "A"
[[card.option]]
text = "right b"
[[card.option]]
text = "wrong b"

[[card]]
id = "c"
kind = "choice"
topic = "t2"
question = "Question c?"
answer = "A"
[[card.option]]
text = "right c"
[[card.option]]
text = "wrong c"
"#;

/// Answer each question of a `--deck drill` session: wrong (B) for the cards in
/// `miss` on their graded presentation, right (A) otherwise.
fn drill(env: &TestEnv, command: &str, extra: &[&str], miss: &[&str]) -> Vec<Value> {
    let mut args = vec![command, "--deck", "drill", "--no-shuffle"];
    args.extend_from_slice(extra);
    env.play(&args, |q| {
        let card = q["card"].as_str().unwrap();
        if q["repeat"] == false && miss.iter().any(|m| card == format!("drill/{m}")) {
            "B".into()
        } else {
            "A".into()
        }
    })
}

/// Three study days, the second one studied at 01:30 after midnight (it still counts
/// for the day before, as the rollover hour is 04:00), then a day off.
///
/// Day 1, 03-01 09:00: study a ✓, c ✗ (repeat ✓), b ✓
///   a (1, 2.50, 1) due 03-02 · c (0, 1.96, 1) due 03-02, 1 lapse · b (1, 2.50, 1) due 03-02
/// Day 2, 03-03 01:30 = study day 03-02: review c ✓ (c first: it lapsed), a ✓, b ✗ (repeat ✓)
///   c (1, 1.96, 1) due 03-03 · a (2, 2.50, 6) due 03-08 · b (0, 1.96, 1) due 03-03, 1 lapse
/// Day 3, 03-03 10:00: review b ✓, c ✓
///   b (1, 1.96, 1) due 03-04 · c (2, 1.96, 6) due 03-09
/// 03-04: nothing (b stays overdue).
fn three_days() -> TestEnv {
    let mut env = TestEnv::new();
    let deck = env.file("drill.toml", DRILL);
    env.ok(&["import", deck.to_str().unwrap()]);
    let day1 = drill(&env, "study", &["--new", "3"], &["c"]);
    assert_eq!(day1.last().unwrap()["correct"], 2, "{day1:#?}");
    env.at("2026-03-03T01:30:00Z");
    let day2 = drill(&env, "review", &[], &["b"]);
    let order: Vec<&str> = day2
        .iter()
        .filter(|e| e["event"] == "question" && e["repeat"] == false)
        .map(|e| e["card"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["drill/c", "drill/a", "drill/b"]);
    env.at("2026-03-03T10:00:00Z");
    drill(&env, "review", &[], &[]);
    env
}

#[test]
fn stats_after_three_days_match_the_hand_computed_figures() {
    let mut env = three_days();
    env.at("2026-03-05T12:00:00Z");
    let s = env.json(&["stats", "--deck", "drill"]);

    assert_eq!(s["today"], "2026-03-05");
    assert_eq!(s["since"], Value::Null);
    assert_eq!(
        s["cards"],
        json!({"total": 3, "new": 0, "learning": 1, "young": 2, "mature": 0, "leeches": 0})
    );
    // Graded: day 1 three (2 right), day 2 three (2 right), day 3 two (2 right).
    assert_eq!(
        s["reviews"],
        json!({"answered": 8, "correct": 6, "accuracy": 0.75, "repeats": 2, "days": 3})
    );
    // Reviews of due cards: c, a, b on day 2 (b failed), b and c on day 3; all young.
    assert_eq!(
        s["retention"],
        json!({"young": {"due": 5, "passed": 4, "rate": 0.8},
               "mature": {"due": 0, "passed": 0, "rate": null}})
    );
    // 03-01, 03-02 (the 01:30 session), 03-03: three days in a row, none since.
    assert_eq!(s["streak"], json!({"current": 0, "longest": 3}));

    let topics: Vec<(&str, u64, u64)> = s["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["topic"].as_str().unwrap(),
                t["answered"].as_u64().unwrap(),
                t["correct"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(topics, [("t1", 5, 4), ("t2", 3, 2)]);
    assert_eq!(s["topics"][1]["cards"]["young"], 1);
    // t2 is less accurate, but three answers are too few to judge a topic by.
    assert_eq!(s["weakest_topic"], "t1");

    // b is overdue (due 03-04) so it counts today; a is due 03-08, c 03-09.
    let forecast: Vec<u64> = s["forecast"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["due"].as_u64().unwrap())
        .collect();
    assert_eq!(forecast, [1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(s["forecast"][0]["day"], "2026-03-05");
    assert_eq!(s["forecast"][13]["day"], "2026-03-18");
    assert_eq!(s["due_today"], 1);

    let weakest: Vec<(&str, u64, f64, bool)> = s["weakest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["card"].as_str().unwrap(),
                w["lapses"].as_u64().unwrap(),
                w["ef"].as_f64().unwrap(),
                w["leech"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        weakest,
        [("drill/b", 1, 1.96, false), ("drill/c", 1, 1.96, false)],
        "a never lapsed, so it is not weak"
    );

    let sessions: Vec<(&str, &str, u64, u64, u64)> = s["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["kind"].as_str().unwrap(),
                x["study_day"].as_str().unwrap(),
                x["answered"].as_u64().unwrap(),
                x["correct"].as_u64().unwrap(),
                x["repeats"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sessions,
        [
            ("review", "2026-03-03", 2, 2, 0),
            ("review", "2026-03-02", 3, 2, 1),
            ("study", "2026-03-01", 3, 2, 1),
        ],
        "newest first"
    );
    assert_eq!(s["mock"], json!([]));
    assert_eq!(
        s["activity"],
        json!([{"day": "2026-03-01", "answers": 4},
               {"day": "2026-03-02", "answers": 4},
               {"day": "2026-03-03", "answers": 2}])
    );
}

#[test]
fn the_streak_follows_the_rollover_hour_and_survives_an_unfinished_day() {
    let mut env = three_days();
    // 03:00 on 03-04 is still study day 03-03: the streak is current.
    env.at("2026-03-04T03:00:00Z");
    let s = env.json(&["stats", "--deck", "drill"]);
    assert_eq!(
        (s["today"].as_str(), s["streak"].clone()),
        (Some("2026-03-03"), json!({"current": 3, "longest": 3}))
    );
    // During 03-04 nothing has been studied yet, but the day is not over.
    env.at("2026-03-04T20:00:00Z");
    assert_eq!(
        env.json(&["stats"])["streak"],
        json!({"current": 3, "longest": 3})
    );
    // The dashboard agrees.
    assert_eq!(env.json(&[])["streak"], 3);
}

#[test]
fn days_narrow_the_history_but_not_the_cards() {
    let mut env = three_days();
    env.at("2026-03-05T12:00:00Z");
    let s = env.json(&["stats", "--deck", "drill", "--days", "3"]);
    assert_eq!(s["since"], "2026-03-03");
    assert_eq!(
        s["reviews"],
        json!({"answered": 2, "correct": 2, "accuracy": 1.0, "repeats": 0, "days": 1})
    );
    // Day 3's reviews still count as reviews of due cards: their previous review is
    // looked up before the window.
    assert_eq!(
        s["retention"]["young"],
        json!({"due": 2, "passed": 2, "rate": 1.0})
    );
    assert_eq!(s["cards"]["total"], 3);
    assert_eq!(s["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(
        s["streak"]["longest"], 3,
        "streaks always look at all history"
    );
}

#[test]
fn topic_filter_narrows_every_figure() {
    let mut env = three_days();
    env.at("2026-03-05T12:00:00Z");
    let s = env.json(&["stats", "--topic", "t2", "--deck", "drill"]);
    assert_eq!(s["cards"]["total"], 1);
    assert_eq!(
        (
            s["reviews"]["answered"].as_u64(),
            s["reviews"]["correct"].as_u64()
        ),
        (Some(3), Some(2))
    );
    assert_eq!(s["topics"].as_array().unwrap().len(), 1);
    assert_eq!(s["weakest"][0]["card"], "drill/c");
    assert_eq!(s["forecast"][4]["due"], 1);
    assert_eq!(s["forecast"][0]["due"], 0);
    let err = env.fails(&["stats", "--topic", "nope"], 2);
    assert!(err.contains("unknown topic \"nope\""), "{err}");
    let err = env.fails(&["stats", "--days", "0"], 2);
    assert!(err.contains("--days"), "{err}");
}

#[test]
fn a_card_with_four_lapses_is_a_leech() {
    let mut env = TestEnv::new();
    let deck = env.file("drill.toml", DRILL);
    env.ok(&["import", deck.to_str().unwrap()]);
    let leech = |env: &TestEnv| {
        let s = env.json(&["stats", "--deck", "drill"]);
        let w = s["weakest"][0].clone();
        (
            w["card"].as_str().unwrap().to_string(),
            w["lapses"].as_u64().unwrap(),
            w["leech"].as_bool().unwrap(),
            s["cards"]["leeches"].as_u64().unwrap(),
        )
    };
    // Miss a on four days running; each lapse makes it due the next day.
    drill(&env, "study", &["--new", "1"], &["a"]);
    for (i, day) in ["2026-03-02", "2026-03-03", "2026-03-04"]
        .iter()
        .enumerate()
    {
        env.at(&format!("{day}T09:00:00Z"));
        assert_eq!(leech(&env), ("drill/a".into(), i as u64 + 1, false, 0));
        drill(&env, "review", &[], &["a"]);
    }
    assert_eq!(leech(&env), ("drill/a".into(), 4, true, 1));
    let text = stats_text(&env, &["--deck", "drill"], "C.UTF-8", 100);
    assert!(text.contains("4 leech"), "{text}");
    assert!(text.contains("Leech: drill/a"), "{text}");
}

/// A mock interview as `mlsec mock` records it: a session of kind 'mock' with its
/// answers, which never move the schedule.
fn record_mock(env: &TestEnv, day: &str, answers: &[(&str, bool)]) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "INSERT INTO session (kind, started_at, study_day, ended_at) VALUES ('mock', ?1, ?2, ?1)",
        [format!("{day}T15:00:00.000+00:00"), day.to_string()],
    )
    .unwrap();
    let session = conn.last_insert_rowid();
    for (card, correct) in answers {
        conn.execute(
            "INSERT INTO review (card_id, session_id, reviewed_at, study_day, repeat, chosen, correct,
                                 quality, elapsed_ms, repetitions, ef, interval, due)
             SELECT c.id, ?1, ?2, ?3, 0, ?4, ?5, ?6, 1000, 0, 250, 0, ?3
             FROM card c WHERE c.deck_id = 'drill' AND c.slug = ?7",
            rusqlite::params![
                session,
                format!("{day}T15:00:01.000+00:00"),
                day,
                if *correct { "A" } else { "B" },
                correct,
                if *correct { 4 } else { 1 },
                card
            ],
        )
        .unwrap();
    }
}

#[test]
fn mock_interviews_are_scored_apart_from_study() {
    let mut env = three_days();
    record_mock(
        &env,
        "2026-03-03",
        &[("a", true), ("b", false), ("c", true), ("a", true)],
    );
    env.at("2026-03-05T12:00:00Z");
    let s = env.json(&["stats", "--deck", "drill"]);
    assert_eq!(s["mock"].as_array().unwrap().len(), 1);
    let m = &s["mock"][0];
    assert_eq!(
        (
            m["kind"].as_str(),
            m["study_day"].as_str(),
            m["answered"].as_u64(),
            m["correct"].as_u64(),
            m["accuracy"].as_f64()
        ),
        (
            Some("mock"),
            Some("2026-03-03"),
            Some(4),
            Some(3),
            Some(0.75)
        )
    );
    assert_eq!(
        s["reviews"]["answered"], 8,
        "mock answers are not graded reviews"
    );
    assert_eq!(s["retention"]["young"]["due"], 5);
    assert_eq!(s["sessions"][0]["kind"], "mock");
    assert_eq!(s["activity"][2], json!({"day": "2026-03-03", "answers": 6}));
    let text = stats_text(&env, &["--deck", "drill"], "C.UTF-8", 100);
    assert!(text.contains("Mock interviews"), "{text}");
}

/// `mlsec stats` as a person sees it (stdout is a pipe here, so the width comes from
/// COLUMNS).
fn stats_text(env: &TestEnv, args: &[&str], lang: &str, columns: usize) -> String {
    let mut all = vec!["stats"];
    all.extend_from_slice(args);
    let out = env
        .cmd(&all)
        .env_remove("LC_ALL")
        .env_remove("LC_CTYPE")
        .env("LANG", lang)
        .env("COLUMNS", columns.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_terminal_report_has_tables_and_pictures_that_fit() {
    let mut env = three_days();
    env.at("2026-03-05T12:00:00Z");
    let text = stats_text(&env, &["--deck", "drill"], "C.UTF-8", 100);
    for part in [
        "By topic",
        "Due in the next 14 days",
        "Activity, last 26 weeks",
        "Weakest cards",
        "Last sessions",
        "Next: mlsec review --deck drill (1 due today)",
        "Weakest topic: Topic one (80% right)",
    ] {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
    assert!(text.contains('█') && text.contains('┌'), "{text}");
    // The forecast: today's bar (1 card) is as long as the others of one card.
    let bar = |date: &str| {
        text.lines()
            .find(|l| l.contains(date))
            .unwrap_or_else(|| panic!("no forecast line for {date}:\n{text}"))
            .to_string()
    };
    assert!(bar("Thu 03-05").ends_with(" 1"), "{}", bar("Thu 03-05"));
    assert_eq!(
        bar("Thu 03-05").replace("Thu 03-05", ""),
        bar("Sun 03-08").replace("Sun 03-08", "")
    );
    assert!(bar("Fri 03-06").ends_with(" 0"));
    // Activity: Sunday 03-01 and Monday 03-02 (4 answers, busiest) are full, Tuesday
    // 03-03 (2 answers) half.
    let heat: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Activity"))
        .skip(2)
        .take(7)
        .collect();
    assert!(
        heat[0].starts_with("  Mon") && heat[0].ends_with('█'),
        "{heat:#?}"
    );
    assert!(heat[1].ends_with('▒'), "{heat:#?}");
    assert!(
        heat[6].starts_with("  Sun") && heat[6].ends_with('█'),
        "{heat:#?}"
    );

    for width in [60, 80, 120] {
        let text = stats_text(&env, &["--deck", "drill"], "C.UTF-8", width);
        for line in text.lines() {
            let w = console::measure_text_width(line);
            assert!(w <= width, "{w} > {width}: {line:?}\n{text}");
        }
        // The questions of the weakest cards show where they fit.
        assert!(text.contains("Accuracy"), "{text}");
        assert_eq!(text.contains("Question b?"), width >= 80, "{text}");
    }
}

#[test]
fn pictures_fall_back_to_ascii_and_vanish_under_json() {
    let mut env = three_days();
    env.at("2026-03-05T12:00:00Z");
    let utf8 = stats_text(&env, &["--deck", "drill"], "C.UTF-8", 100);
    let by_locale = stats_text(&env, &["--deck", "drill"], "C", 100);
    let by_flag = stats_text(&env, &["--deck", "drill", "--ascii"], "C.UTF-8", 100);
    assert!(!utf8.is_ascii());
    for text in [&by_locale, &by_flag] {
        assert!(text.is_ascii(), "{text}");
        assert!(
            text.contains("Activity, last 26 weeks") && text.contains("+--"),
            "{text}"
        );
        assert_eq!(text.lines().count(), utf8.lines().count());
    }
    assert_eq!(by_locale, by_flag);
    // Under --json: one JSON document and nothing else.
    let out = env
        .cmd(&["--json", "stats", "--deck", "drill"])
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert!(v.is_object());
}

#[test]
fn a_fresh_database_has_stats_too() {
    let env = TestEnv::new();
    let s = env.json(&["stats"]);
    assert_eq!(s["cards"]["new"], s["cards"]["total"]);
    assert_eq!(s["reviews"]["accuracy"], Value::Null);
    assert_eq!(s["streak"], json!({"current": 0, "longest": 0}));
    let text = stats_text(&env, &[], "C.UTF-8", 80);
    assert!(
        text.contains("none yet: start with `mlsec study`"),
        "{text}"
    );
    assert!(text.contains("Next: mlsec study"), "{text}");
    // On a narrow terminal the topic table keeps what matters most.
    let narrow = stats_text(&env, &[], "C.UTF-8", 60);
    assert!(
        narrow.contains("model-stealing") && narrow.contains("Accuracy"),
        "{narrow}"
    );
    let wide = stats_text(&env, &[], "C.UTF-8", 100);
    assert!(
        wide.contains("Learning") && !narrow.contains("Learning"),
        "{narrow}"
    );
}
