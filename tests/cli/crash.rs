//! Crash safety: scripted sessions killed with SIGKILL at random moments.
//!
//! After every kill: each answer whose `answer` event was printed is in the database,
//! none is recorded twice, `PRAGMA integrity_check` is `ok`, and the schedule equals what
//! replaying the recorded graded reviews through `mlsec::sched` gives.
//!
//! `CRASH_KILLS=N` sets the number of kills (default 60; `bench/crash-soak` runs 1,000)
//! and `CRASH_SEED=S` replays a run: the seed is in every failure message.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::time::Duration;

use mlsec::clock::StudyDay;
use mlsec::rng::Rng;
use mlsec::sched::{self, Quality, Schedule};
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

use crate::env::{TestEnv, builtin_cards, right_key, wrong_key};

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A session as a coprocess, read line by line so that what it printed before it died
/// can be told from what it did not get to print.
struct Proc {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Proc {
    fn spawn(env: &TestEnv, args: &[&str]) -> Proc {
        let mut child = env
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn mlsec");
        Proc {
            stdin: child.stdin.take().unwrap(),
            stdout: BufReader::new(child.stdout.take().unwrap()),
            child,
        }
    }

    /// The next complete event line; `None` at end of output. A line cut short by the
    /// kill was never printed in full, so it does not count as printed.
    fn next(&mut self) -> Option<Value> {
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) if !line.ends_with('\n') => None,
            Ok(_) => Some(serde_json::from_str(&line).expect("a JSON event")),
        }
    }

    fn send(&mut self, line: &str) {
        // The process may already be gone (killed, or finished): that is the point.
        let _ = writeln!(self.stdin, "{line}");
        let _ = self.stdin.flush();
    }

    /// SIGKILL, then collect every event it printed before it died. Returns whether
    /// the kill hit a running process; one that had already ended must have succeeded.
    fn kill(mut self) -> (bool, Vec<Value>) {
        let _ = self.child.kill();
        let status = self.child.wait().expect("reap");
        let killed = status.code().is_none();
        assert!(killed || status.success(), "mlsec ended with {status}");
        let mut rest = Vec::new();
        while let Some(e) = self.next() {
            rest.push(e);
        }
        (killed, rest)
    }
}

/// What the test sent and saw in one round.
#[derive(Default)]
struct Round {
    printed: Vec<Value>,
    /// The card of an answer that was sent but whose `answer` event may not have been
    /// printed: it may or may not be recorded.
    in_flight: Option<String>,
    killed: bool,
}

/// An answer: mostly right (so schedules grow and reviews come due), some wrong, some
/// "I don't know", some with a confidence grade, recall grades across 0–5.
fn answer(rng: &mut Rng, question: &Value) -> String {
    let card = question["card"].as_str().unwrap();
    if question["kind"] == "recall" {
        return rng.below(6).to_string();
    }
    match rng.below(10) {
        0..=3 => right_key(card),
        4 => format!("{} 5", right_key(card)),
        5 => format!("{} 2", right_key(card)),
        6..=8 => wrong_key(card),
        _ => "?".to_string(),
    }
}

/// One session killed at a random moment: during start-up, at a prompt, a few
/// microseconds to milliseconds after an answer was sent (before, during or after its
/// commit), or while it is ending after `quit`. The pauses only place the kill; no
/// result depends on them.
fn kill_round(env: &TestEnv, rng: &mut Rng, command: &str) -> Round {
    let mut args = vec![command, "--json", "--no-shuffle"];
    if command == "study" {
        args.extend(["--new", "100"]);
    }
    let mut p = Proc::spawn(env, &args);
    let mut round = Round::default();
    if rng.below(10) == 0 {
        std::thread::sleep(Duration::from_micros(rng.below(30_000) as u64));
        let (killed, rest) = p.kill();
        round.killed = killed;
        round.printed = rest;
        return round;
    }
    let answers = rng.below(6);
    let mut given = 0;
    while let Some(event) = p.next() {
        let is_question = event["event"] == "question";
        round.printed.push(event.clone());
        if !is_question {
            continue;
        }
        if given < answers {
            // Wait for its answer event: acknowledged, so it must survive any kill.
            let line = answer(rng, &event);
            p.send(&line);
            given += 1;
            continue;
        }
        match rng.below(5) {
            0 => {}
            1 => {
                p.send("quit");
                std::thread::sleep(Duration::from_micros(rng.below(5_000) as u64));
            }
            _ => {
                let line = answer(rng, &event);
                p.send(&line);
                round.in_flight = Some(event["card"].as_str().unwrap().to_string());
                std::thread::sleep(Duration::from_micros(rng.below(4_000) as u64));
            }
        }
        break;
    }
    let (killed, rest) = p.kill();
    round.killed = killed;
    round.printed.extend(rest);
    round
}

fn open(env: &TestEnv) -> Connection {
    Connection::open_with_flags(&env.db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// (review id, card, session, repeat, quality) of the reviews after `after`.
type Row = (i64, String, i64, bool, i64);

fn reviews_after(conn: &Connection, after: i64) -> Vec<Row> {
    conn.prepare(
        "SELECT r.id, c.deck_id || '/' || c.slug, r.session_id, r.repeat, r.quality
         FROM review r JOIN card c ON c.id = r.card_id WHERE r.id > ?1 ORDER BY r.id",
    )
    .unwrap()
    .query_map([after], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Replay every graded review (first answer of a card on a day, outside mock
/// interviews and final passes) through the scheduler and compare with the stored
/// schedule. A mock miss moves nothing but the due date, to the next study day at the
/// latest (a new card gets its first schedule there), and is replayed as such. So is a
/// final-pass miss (q < 3) when the next day is before the interview the row names; a
/// final-pass row must log the replayed schedule as it stands, SM-2's state untouched.
pub fn check_schedule_is_the_replay(conn: &Connection, context: &str) {
    type Stored = (u32, i64, i64, String, u32, String);
    let mut replayed: HashMap<i64, (Schedule, String)> = HashMap::new();
    let mut graded = conn
        .prepare(
            "SELECT r.card_id, r.quality, r.study_day, r.repetitions, r.ef, r.interval, r.due,
                    se.kind = 'mock', r.correct, r.final_pass_for
             FROM review r JOIN session se ON se.id = r.session_id
             WHERE r.repeat = 0 ORDER BY r.id",
        )
        .unwrap();
    let rows = graded
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                (
                    r.get::<_, u32>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, String>(6)?,
                ),
                (
                    r.get::<_, bool>(7)?,
                    r.get::<_, bool>(8)?,
                    r.get::<_, Option<String>>(9)?,
                ),
            ))
        })
        .unwrap();
    for row in rows {
        let (card, q, day, logged, (mock, correct, final_pass)) = row.unwrap();
        let day_parsed = StudyDay::parse(&day).unwrap();
        if let Some(interview) = final_pass {
            let interview = StudyDay::parse(&interview).unwrap();
            let Some((state, _)) = replayed.get_mut(&card) else {
                panic!("{context}: a final pass asked card {card}, never introduced, on {day}");
            };
            let next_day = day_parsed.plus(1);
            if q < i64::from(Quality::PASS_FROM.value()) && next_day < interview {
                state.due = state.due.min(next_day);
            }
            assert_eq!(
                logged,
                (
                    state.repetitions,
                    state.ef.centi(),
                    state.interval.days(),
                    state.due.to_string()
                ),
                "{context}: the final-pass row of card {card} on {day} logs another schedule than the replay"
            );
            continue;
        }
        if mock {
            if !correct {
                let next_day = day_parsed.plus(1);
                let entry = replayed.entry(card).or_insert_with(|| {
                    let first = Schedule {
                        repetitions: 0,
                        ef: sched::Ef::INITIAL,
                        interval: sched::Interval::NONE,
                        due: next_day,
                        lapses: 0,
                    };
                    (first, day.clone())
                });
                entry.0.due = entry.0.due.min(next_day);
            }
            continue;
        }
        let q = Quality::try_from(q).unwrap();
        let entry = replayed.get(&card);
        let next = sched::grade(entry.map(|(s, _)| s), q, day_parsed);
        let introduced = entry.map_or(day.clone(), |(_, d)| d.clone());
        assert_eq!(
            logged,
            (
                next.repetitions,
                next.ef.centi(),
                next.interval.days(),
                next.due.to_string()
            ),
            "{context}: the review row of card {card} on {day} logs another schedule than SM-2 gives"
        );
        replayed.insert(card, (next, introduced));
    }
    let stored: HashMap<i64, Stored> = conn
        .prepare("SELECT card_id, repetitions, ef, interval, due, lapses, introduced FROM schedule")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                (
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ),
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let expected: HashMap<i64, Stored> = replayed
        .into_iter()
        .map(|(card, (s, introduced))| {
            (
                card,
                (
                    s.repetitions,
                    s.ef.centi(),
                    s.interval.days(),
                    s.due.to_string(),
                    s.lapses,
                    introduced,
                ),
            )
        })
        .collect();
    assert_eq!(
        stored, expected,
        "{context}: the schedule is not the replay of the graded reviews"
    );
}

/// The checks that hold after any kill, whatever was on screen.
pub fn check_database(env: &TestEnv, context: &str) {
    let conn = open(env);
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "{context}");
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0, "{context}: rows pointing at nothing");
    let twice: Vec<(i64, String)> = conn
        .prepare(
            "SELECT r.card_id, r.study_day FROM review r JOIN session se ON se.id = r.session_id
             WHERE r.repeat = 0 AND se.kind <> 'mock' AND r.final_pass_for IS NULL
             GROUP BY r.card_id, r.study_day HAVING count(*) > 1",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        twice.is_empty(),
        "{context}: graded twice on one day: {twice:?}"
    );
    check_schedule_is_the_replay(&conn, context);
}

/// The printed answers of a round are exactly the rows it added, in order, plus at most
/// the one answer that was in flight when it died.
fn check_round(env: &TestEnv, before: i64, round: &Round, context: &str) {
    let rows = reviews_after(&open(env), before);
    let printed: Vec<(String, bool, i64)> = round
        .printed
        .iter()
        .filter(|e| e["event"] == "answer")
        .map(|e| {
            (
                e["card"].as_str().unwrap().to_string(),
                e["repeat"].as_bool().unwrap(),
                e["quality"].as_i64().unwrap(),
            )
        })
        .collect();
    let recorded: Vec<(String, bool, i64)> = rows
        .iter()
        .map(|(_, card, _, repeat, q)| (card.clone(), *repeat, *q))
        .collect();
    assert!(
        recorded.len() >= printed.len() && recorded[..printed.len()] == printed[..],
        "{context}: an answer printed as recorded is missing or different\nprinted:  {printed:?}\nrecorded: {recorded:?}"
    );
    let extra = &recorded[printed.len()..];
    match (&round.in_flight, extra) {
        (_, []) => {}
        (Some(card), [(c, _, _)]) if c == card => {}
        _ => panic!(
            "{context}: recorded more than was answered: printed {printed:?}, in flight {:?}, recorded {recorded:?}",
            round.in_flight
        ),
    }
    let sessions: Vec<i64> = rows.iter().map(|r| r.2).collect();
    assert!(
        sessions.windows(2).all(|w| w[0] == w[1]),
        "{context}: one process, one session: {sessions:?}"
    );
}

#[test]
fn sigkill_at_random_moments_loses_and_duplicates_nothing() {
    let kills_wanted = setting("CRASH_KILLS", 60);
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(Rng::entropy);
    let mut rng = Rng::new(seed);
    let mut env = TestEnv::new();
    env.ok(&[]);
    let mut kills = 0;
    let mut rounds = 0u64;
    let mut day = StudyDay::parse("2026-03-01").unwrap();
    while kills < kills_wanted {
        assert!(
            rounds < kills_wanted * 4 + 40,
            "seed {seed}: only {kills} kills in {rounds} rounds"
        );
        // A new study day every few rounds, so that reviews come due and the repeat
        // queue of an interrupted day is picked up again.
        if rounds > 0 && rng.below(6) == 0 {
            day = day.plus(1 + rng.below(3) as i64);
        }
        let at = format!("{day}T{:02}:{:02}:00Z", 5 + rng.below(18), rng.below(60));
        env.at(&at);
        let command = if rng.below(2) == 0 { "study" } else { "review" };
        let before: i64 = open(&env)
            .query_row("SELECT coalesce(max(id), 0) FROM review", [], |r| r.get(0))
            .unwrap();
        let round = kill_round(&env, &mut rng, command);
        kills += u64::from(round.killed);
        rounds += 1;
        let context = format!("seed {seed}, round {rounds} ({command} at {at})");
        check_round(&env, before, &round, &context);
        check_database(&env, &context);
        if round.printed.iter().all(|e| e["event"] == "summary") {
            // Nothing to do today: move on to a day with work.
            day = day.plus(1 + rng.below(4) as i64);
        }
    }
    // After all that, the file is an ordinary, usable database.
    env.at(&format!("{}T12:00:00Z", day.plus(1)));
    let dashboard = env.json(&[]);
    assert!(dashboard["due_today"].as_u64().is_some(), "seed {seed}");
    let reviews = env.scalar("SELECT count(*) FROM review");
    assert!(
        reviews > kills_wanted as i64 / 2,
        "seed {seed}: the rounds answered too little to prove anything ({reviews} reviews)"
    );
    // Shown with --nocapture (bench/crash-soak).
    eprintln!("{kills} kills in {rounds} rounds, {reviews} answers recorded, seed {seed}");
}

#[test]
fn sigkill_while_the_database_is_created_leaves_a_usable_file() {
    let mut rng = Rng::new(Rng::entropy());
    let env = TestEnv::new();
    for round in 0..6 {
        let _ = std::fs::remove_file(&env.db);
        let mut p = Proc::spawn(&env, &["--json"]);
        // Creation, migration and loading the built-in deck take 100–200 ms here.
        std::thread::sleep(Duration::from_micros(rng.below(150_000) as u64));
        let _ = p.child.kill();
        p.child.wait().unwrap(); // killed, or done: either way the file must be usable
        let context = format!("creation round {round}");
        let dashboard = env.json(&[]);
        assert_eq!(dashboard["new_available"], builtin_cards(), "{context}");
        assert_eq!(
            env.scalar("PRAGMA user_version"),
            mlsec::store::LATEST_VERSION,
            "{context}"
        );
        check_database(&env, &context);
    }
}
