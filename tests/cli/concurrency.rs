//! Several mlsec processes on one database at once: two review sessions, a dashboard
//! loop and an importer. Nobody sees "database is locked", every answer is recorded
//! exactly once, and no card is graded twice or asked again once another session has
//! answered it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};

use mlsec::rng::Rng;
use serde_json::Value;

use crate::crash::check_database;
use crate::env::{TestEnv, builtin_cards, right_key, wrong_key};

/// What one session thread saw, stamped with a sequence number shared by all threads.
#[derive(Default)]
struct Log {
    /// (seq at which the event was read, event, seq of the last line sent before it)
    events: Vec<(u64, Value, u64)>,
    stderr: String,
    success: bool,
}

fn review_session(env: &TestEnv, seq: Arc<AtomicU64>, start: Arc<Barrier>, seed: u64) -> Log {
    let mut child = env
        .cmd(&["review", "--json", "--no-shuffle"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut rng = Rng::new(seed);
    let mut log = Log::default();
    let mut last_sent = seq.fetch_add(1, Ordering::SeqCst);
    start.wait();
    let mut line = String::new();
    loop {
        line.clear();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let event: Value = serde_json::from_str(&line).unwrap();
        let at = seq.fetch_add(1, Ordering::SeqCst);
        log.events.push((at, event.clone(), last_sent));
        match event["event"].as_str() {
            Some("question") => {
                let card = event["card"].as_str().unwrap();
                // Mostly right; a miss now and then feeds the repeat queue.
                let answer = if rng.below(5) == 0 {
                    wrong_key(card)
                } else {
                    right_key(card)
                };
                last_sent = seq.fetch_add(1, Ordering::SeqCst);
                writeln!(stdin, "{answer}").unwrap();
                stdin.flush().unwrap();
            }
            Some("summary") => break,
            _ => {}
        }
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    log.success = out.status.success();
    log.stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    log
}

/// Run `args` until `stop`; every run must succeed quietly. Returns the runs made.
fn loop_command(env: &TestEnv, args: &[&str], stop: &AtomicBool) -> u32 {
    let mut runs = 0;
    while !stop.load(Ordering::SeqCst) {
        let out = env.cmd(args).stdin(Stdio::null()).output().unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "mlsec {args:?} beside two sessions: {:?}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        if args == ["--json"] {
            let _: Value = serde_json::from_slice(&out.stdout).unwrap();
        }
        runs += 1;
    }
    runs
}

#[test]
fn two_review_sessions_a_dashboard_and_an_import_share_one_database() {
    let mut env = TestEnv::new();
    // Day 1: 30 cards studied (and missed), so all 30 are due on day 2.
    let mut studied = 0;
    env.play(&["study", "--no-shuffle", "--new", "30"], |q| {
        studied += 1;
        if studied > 30 {
            "quit".into() // the repeats can wait
        } else if q["kind"] == "recall" {
            "0".into()
        } else {
            "?".into()
        }
    });
    assert_eq!(env.scalar("SELECT count(*) FROM schedule"), 30);
    env.at("2026-03-02T09:30:00Z");
    let due = env.json(&[])["due_today"].as_u64().unwrap();
    assert_eq!(due, 30);

    let seq = Arc::new(AtomicU64::new(0));
    let start = Arc::new(Barrier::new(2));
    let stop = AtomicBool::new(false);
    let deck = concat!(env!("CARGO_MANIFEST_DIR"), "/content/ml-security.toml");
    let seed = Rng::entropy();
    let (logs, dashboards, imports) = std::thread::scope(|s| {
        let sessions: Vec<_> = (0..2)
            .map(|i| {
                let (env, seq, start) = (&env, seq.clone(), start.clone());
                s.spawn(move || review_session(env, seq, start, seed + i))
            })
            .collect();
        let dashboards = s.spawn(|| loop_command(&env, &["--json"], &stop));
        let imports = s.spawn(|| loop_command(&env, &["import", "--json", deck], &stop));
        let logs: Vec<Log> = sessions.into_iter().map(|h| h.join().unwrap()).collect();
        stop.store(true, Ordering::SeqCst);
        (logs, dashboards.join().unwrap(), imports.join().unwrap())
    });
    assert!(dashboards > 0 && imports > 0);

    for log in &logs {
        assert!(log.success, "seed {seed}: a session failed: {}", log.stderr);
        assert!(log.stderr.is_empty(), "seed {seed}: {}", log.stderr);
    }

    // Every printed answer is one row of its session, in order, and nothing else is.
    for log in &logs {
        let summary = &log.events.last().unwrap().1;
        assert_eq!(summary["event"], "summary");
        let session = summary["session"].as_i64().unwrap();
        let printed: Vec<(String, bool, i64)> = log
            .events
            .iter()
            .filter(|(_, e, _)| e["event"] == "answer")
            .map(|(_, e, _)| {
                (
                    e["card"].as_str().unwrap().to_string(),
                    e["repeat"].as_bool().unwrap(),
                    e["quality"].as_i64().unwrap(),
                )
            })
            .collect();
        let recorded: Vec<(String, bool, i64)> = env
            .query::<String>(&format!(
                "SELECT c.deck_id || '/' || c.slug || ' ' || r.repeat || ' ' || r.quality
                 FROM review r JOIN card c ON c.id = r.card_id
                 WHERE r.session_id = {session} ORDER BY r.id"
            ))
            .iter()
            .map(|row| {
                let mut parts = row.split(' ');
                (
                    parts.next().unwrap().to_string(),
                    parts.next().unwrap() == "1",
                    parts.next().unwrap().parse().unwrap(),
                )
            })
            .collect();
        assert_eq!(printed, recorded, "seed {seed}: session {session}");
    }

    // Each due card had exactly one graded review today, across both sessions.
    assert_eq!(
        env.scalar("SELECT count(*) FROM review WHERE study_day = '2026-03-02' AND repeat = 0"),
        30,
        "seed {seed}"
    );
    check_database(&env, &format!("seed {seed}"));

    // Once one session's answer to a card was printed (so committed) before the other
    // session read its next answer line, that other session must not ask the card again
    // as a graded question.
    let mut graded_questions: HashMap<&str, u32> = HashMap::new();
    for (i, log) in logs.iter().enumerate() {
        let other = &logs[1 - i];
        for (_, e, sent_before) in &log.events {
            if e["event"] != "question" || e["repeat"] == true {
                continue;
            }
            let card = e["card"].as_str().unwrap();
            *graded_questions.entry(card).or_default() += 1;
            let answered_by_other = other.events.iter().find(|(_, a, _)| {
                a["event"] == "answer" && a["card"] == card && a["repeat"] == false
            });
            if let Some((at, _, _)) = answered_by_other {
                assert!(
                    at > sent_before,
                    "seed {seed}: {card} was asked again after the other session had answered it"
                );
            }
        }
    }
    // Both sessions worked through the queue; at most a few cards were on both screens
    // at once (answered by one, then recorded as a repeat for the other).
    assert_eq!(graded_questions.len(), 30, "seed {seed}");
}

#[test]
fn processes_racing_to_create_the_database_all_succeed() {
    let env = TestEnv::new();
    let children: Vec<_> = (0..4)
        .map(|_| {
            env.cmd(&["--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut errors = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        if !out.status.success() || !out.stderr.is_empty() {
            errors.push(String::from_utf8_lossy(&out.stderr).into_owned());
        }
    }
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(env.scalar("SELECT count(*) FROM card"), builtin_cards());
    assert_eq!(env.scalar("SELECT count(*) FROM deck"), 1);
    check_database(&env, "after the race");
}

/// In two terminals: the card on screen in one is answered in the other first. The
/// late answer is kept as a same-day repeat, and the learner is told why.
#[test]
fn the_terminal_says_when_another_session_answered_first() {
    use expectrl::Expect;

    let mut env = TestEnv::new();
    env.session(
        &["study", "--no-shuffle", "--limit", "2"],
        &["?", "?", "quit"],
    );
    env.at("2026-03-02T09:30:00Z");
    let mut p = crate::pty::spawn(&env, &["review", "--no-shuffle"]);
    p.expect("Question 1 / 2").unwrap();
    p.expect("I don't know").unwrap();
    let other = env.session(&["review", "--no-shuffle", "--limit", "1"], &["?"]);
    let answered = of_event(&other, "answer");
    assert_eq!(answered["repeat"], false, "the other session graded it");
    p.send("\r").unwrap();
    p.expect("Another session answered this card first today, so this was a repeat.")
        .unwrap();
    p.send("q").unwrap();
    p.expect(expectrl::Eof).unwrap();
    assert_eq!(
        env.scalar("SELECT count(*) FROM review WHERE study_day = '2026-03-02' AND repeat = 0"),
        1
    );
    assert_eq!(
        env.scalar("SELECT count(*) FROM review WHERE study_day = '2026-03-02' AND repeat = 1"),
        1
    );
}

fn of_event<'a>(events: &'a [Value], name: &str) -> &'a Value {
    events.iter().find(|e| e["event"] == name).unwrap()
}
