use std::collections::VecDeque;
use std::time::Duration;

use chrono::{Local, TimeZone};

use super::*;
use crate::import::parse_toml;
use crate::sched::{Ef, Interval};
use crate::session::{self, Feedback, Prompter, Summary};

/// What the scripted learner does at each prompt, in order.
#[derive(Clone, Copy, Debug)]
enum Do {
    Right,
    Wrong,
    DontKnow,
    Quit,
}

#[derive(Default)]
struct Scripted {
    script: VecDeque<Do>,
    /// (card id, "classify" or "answer", counted correct, over time, elapsed ms)
    log: Vec<(String, &'static str, bool, bool, u64)>,
    report: Option<Report>,
}

impl Scripted {
    fn new(script: &[Do]) -> Scripted {
        Scripted {
            script: script.iter().copied().collect(),
            ..Scripted::default()
        }
    }

    fn next(&mut self) -> Do {
        self.script.pop_front().unwrap_or(Do::Quit)
    }
}

fn respond(what: Do, correct: Option<usize>, n: usize) -> Response {
    match what {
        Do::Right => Response::Choice {
            index: correct.unwrap(),
            confidence: None,
        },
        Do::Wrong => Response::Choice {
            index: (correct.unwrap() + 1) % n,
            confidence: None,
        },
        Do::DontKnow => Response::DontKnow,
        Do::Quit => Response::Quit,
    }
}

impl MockPrompter for Scripted {
    fn classify(&mut self, step: &ClassifyStep<'_>) -> Result<Response> {
        let expected = Vector::of_tags(&step.question.card.tags).unwrap();
        let right = step.choices.iter().position(|c| *c == expected);
        let what = self.next();
        Ok(respond(what, right, step.choices.len()))
    }
    fn classified(&mut self, v: &Classified<'_>) -> Result<()> {
        self.log.push((
            v.step.question.card.id.to_string(),
            "classify",
            v.correct,
            v.over_time,
            millis(v.elapsed),
        ));
        Ok(())
    }
    fn ask_question(&mut self, q: &MockQuestion<'_>) -> Result<Answer> {
        let what = self.next();
        Ok(respond(what, q.question.correct, q.question.options.len()).into())
    }
    fn answered(&mut self, a: &Answered<'_>) -> Result<()> {
        self.log.push((
            a.question.question.card.id.to_string(),
            "answer",
            a.correct,
            a.over_time,
            millis(a.elapsed),
        ));
        Ok(())
    }
    fn report(&mut self, r: &Report) -> Result<()> {
        self.report = Some(r.clone());
        Ok(())
    }
}

/// Three topics; the classify step asks `evade` both axes (inference-time, black-box),
/// `poison` its phase (training-time) and `sbom` nothing (deployment is not a choice).
const DECK: &str = r#"
[deck]
id = "d"
name = "D"
[[topic]]
id = "adv"
name = "Adversarial"
[[topic]]
id = "poi"
name = "Poisoning"
[[topic]]
id = "sup"
name = "Supply chain"
[[card]]
id = "evade"
kind = "choice"
topic = "adv"
tags = ["inference-time", "black-box", "classify", "defend"]
question = "Evade?"
answer = "B"
[[card.option]]
text = "x"
why = "Not this. Really."
[[card.option]]
text = "y"
why = "Because y. And more."
[[card]]
id = "poison"
kind = "choice"
topic = "poi"
tags = ["training-time", "defend", "quantify"]
question = "Poison?"
answer = "A"
[[card.option]]
text = "p"
why = "P is right."
[[card.option]]
text = "q"
why = "Q is wrong."
[[card]]
id = "sbom"
kind = "choice"
topic = "sup"
tags = ["deployment", "govern"]
question = "SBOM?"
answer = "A"
[[card.option]]
text = "s"
why = "S is right."
[[card.option]]
text = "t"
why = "T is wrong."
"#;

fn now() -> chrono::DateTime<Local> {
    Local
        .with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .earliest()
        .unwrap()
}

fn setup() -> Store {
    let deck = parse_toml("d.toml", DECK).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store.import(&[(&deck, "d.toml")], now(), false).unwrap();
    store
}

/// Every read of the clock takes a minute.
fn minute_clock() -> Clock {
    Clock::new(Some(now()), 4).stepped(Duration::from_secs(60))
}

fn opts(limit_secs: u64) -> MockOptions {
    MockOptions {
        filter: Filter::default(),
        count: 3,
        weighting: Weighting::Uniform,
        seed: 1,
        order: Order::FileOrder,
        time_limit: (limit_secs > 0).then(|| Duration::from_secs(limit_secs)),
        structure: true,
        type_answer: false,
    }
}

fn key_of(store: &Store, slug: &str) -> CardKey {
    store
        .mock_candidates(&Filter::default())
        .unwrap()
        .into_iter()
        .map(|c| c.key)
        .find(|&k| store.card(k).unwrap().id.as_str() == slug)
        .unwrap()
}

/// The cards `opts` picks, in order (uniform weighting does not depend on history).
fn picked(store: &Store) -> Vec<String> {
    let cands = store.mock_candidates(&Filter::default()).unwrap();
    pick::pick(&cands, 3, Weighting::Uniform, &mut crate::rng::Rng::new(1))
        .into_iter()
        .map(|k| store.card(k).unwrap().id.to_string())
        .collect()
}

#[test]
fn a_right_answer_after_the_limit_is_a_miss_marked_over_time() {
    let mut store = setup();
    let clock = minute_clock();
    // Each question: 1 min to the classify answer (if any), 1 more to the answer.
    // A limit of 90 s lets the classify step through and not the answer after it.
    let mut p = Scripted::new(&[Do::Right; 5]);
    let report = run(&mut store, &clock, opts(90), &mut p).unwrap();
    let log = |card: &str| -> Vec<(&'static str, bool, bool, u64)> {
        p.log
            .iter()
            .filter(|l| l.0 == card)
            .map(|l| (l.1, l.2, l.3, l.4))
            .collect()
    };
    for card in ["evade", "poison"] {
        assert_eq!(
            log(card),
            [
                ("classify", true, false, 60_000),
                ("answer", false, true, 120_000)
            ],
            "{card}"
        );
    }
    assert_eq!(log("sbom"), [("answer", true, false, 60_000)]);
    assert_eq!(
        (report.answered, report.correct, report.over_time),
        (3, 1, 2)
    );
    assert_eq!((report.classify.answered, report.classify.correct), (2, 2));
    assert_eq!(report.missed.len(), 2);
    let late = report
        .questions
        .iter()
        .find(|q| q.card == "d/evade")
        .unwrap();
    assert!(late.over_time && !late.correct);
    assert_eq!(late.chosen, late.correct_key, "the answer itself was right");
    // The late answer resurfaces like any miss.
    let s = store.schedule(key_of(&store, "evade")).unwrap().unwrap();
    assert_eq!(s.due, clock.day_of(now()).plus(1));
}

#[test]
fn no_limit_means_no_answer_is_late() {
    let mut store = setup();
    let mut p = Scripted::new(&[Do::Right; 5]);
    let report = run(&mut store, &minute_clock(), opts(0), &mut p).unwrap();
    assert_eq!((report.correct, report.over_time), (3, 0));
    assert_eq!(report.time_limit, None);
}

#[test]
fn the_report_adds_up_a_known_run() {
    let mut store = setup();
    let clock = minute_clock();
    let mut first = Scripted::new(&[]);
    let picked = picked(&store);
    // evade: classify wrong, answer right; poison: classify right, answer wrong;
    // sbom (no classify step): I don't know.
    for card in &picked {
        match card.as_str() {
            "evade" => first.script.extend([Do::Wrong, Do::Right]),
            "poison" => first.script.extend([Do::Right, Do::Wrong]),
            _ => first.script.push_back(Do::DontKnow),
        }
    }
    let r = run(&mut store, &clock, opts(0), &mut first).unwrap();
    assert_eq!((r.planned, r.answered, r.correct), (3, 3, 1));
    assert_eq!(r.accuracy, Some(1.0 / 3.0));
    assert_eq!((r.classify.answered, r.classify.correct), (2, 1));
    // 2 min for evade and poison (classify + answer), 1 min for sbom.
    assert_eq!((r.total_ms, r.average_ms), (300_000, Some(100_000)));
    let topics: Vec<(&str, u64, u64)> = r
        .topics
        .iter()
        .map(|t| (t.topic.as_str(), t.tally.answered, t.tally.correct))
        .collect();
    assert_eq!(topics, [("adv", 1, 1), ("poi", 1, 0), ("sup", 1, 0)]);
    let steps: Vec<(&str, u64, u64)> = r
        .steps
        .iter()
        .map(|s| (s.step, s.tally.answered, s.tally.correct))
        .collect();
    assert_eq!(
        steps,
        [
            ("classify", 1, 1),
            ("defend", 2, 1),
            ("quantify", 1, 0),
            ("govern", 1, 0)
        ]
    );
    let evade = r.questions.iter().find(|q| q.card == "d/evade").unwrap();
    assert_eq!(
        (evade.answer.as_str(), evade.reason.as_str()),
        ("y", "Because y.")
    );
    let sbom = r.questions.iter().find(|q| q.card == "d/sbom").unwrap();
    assert_eq!(
        (sbom.chosen.as_deref(), sbom.correct_key.as_deref()),
        (Some("?"), Some("A"))
    );
    let mut expected = "mlsec review".to_string();
    for card in &picked {
        match card.as_str() {
            "poison" => expected.push_str(" --topic poi"),
            "sbom" => expected.push_str(" --topic sup"),
            _ => {}
        }
    }
    assert_eq!(r.review_command, Some(expected));
    assert_eq!(r.review_day, Some(clock.day_of(now()).plus(1)));
    assert!(r.trend.is_empty() && r.change_points.is_none());

    // A second mock, all right: the trend shows the first, +67 points.
    let mut second = Scripted::new(&[Do::Right; 5]);
    let r2 = run(&mut store, &clock, opts(0), &mut second).unwrap();
    assert_eq!(r2.trend.len(), 1);
    assert_eq!((r2.trend[0].answered, r2.trend[0].correct), (3, 1));
    assert_eq!(r2.change_points, Some(67));
    assert!(r2.review_command.is_none());
}

fn study_or_review(store: &mut Store, clock: &Clock, mode: SessionKind) {
    let opts = session::Options {
        mode,
        filter: Filter::default(),
        limit: None,
        new_per_day: 10,
        plan: None,
        order: Order::FileOrder,
        confidence: false,
        type_answer: false,
    };
    session::run(store, clock, opts, &mut AllRight).unwrap();
}

fn day_clock(days: i64) -> Clock {
    Clock::new(Some(now() + chrono::Duration::days(days)), 4)
}

#[test]
fn a_mock_never_moves_ef_or_intervals_but_misses_come_due_tomorrow() {
    let mut store = setup();
    let day0 = day_clock(0).today();
    // Learn the three cards (due on day 1), review them right on day 1 (due on day 7).
    study_or_review(&mut store, &day_clock(0), SessionKind::Study);
    study_or_review(&mut store, &day_clock(1), SessionKind::Review);
    let schedule =
        |store: &Store, slug: &str| store.schedule(key_of(store, slug)).unwrap().unwrap();
    let before = schedule(&store, "evade");
    assert_eq!(
        (before.due, before.interval),
        (day0.plus(7), Interval::from_days(6))
    );

    // Day 2: a mock misses `evade` and gets the others right.
    let mut o = opts(0);
    o.structure = false;
    let mut p = Scripted::new(&[]);
    for card in &picked(&store) {
        p.script.push_back(if card == "evade" {
            Do::Wrong
        } else {
            Do::Right
        });
    }
    let r = run(&mut store, &day_clock(2), o.clone(), &mut p).unwrap();
    assert_eq!(r.missed, ["d/evade"]);
    let after = schedule(&store, "evade");
    assert_eq!(after.due, day0.plus(3), "due on the next study day");
    assert_eq!(
        (after.repetitions, after.ef, after.interval, after.lapses),
        (
            before.repetitions,
            before.ef,
            before.interval,
            before.lapses
        ),
        "EF, interval, repetitions and lapses untouched"
    );
    for slug in ["poison", "sbom"] {
        assert_eq!(
            schedule(&store, slug).due,
            day0.plus(7),
            "{slug}: right, unchanged"
        );
    }

    // Missing it again on day 3, when it is due that day, keeps it due that day.
    let mut p = Scripted::new(&[Do::Wrong; 3]);
    run(&mut store, &day_clock(3), o, &mut p).unwrap(); // structure off: 3 prompts
    assert_eq!(schedule(&store, "evade").due, day0.plus(3));
    assert_eq!(schedule(&store, "poison").due, day0.plus(4));
}

#[test]
fn a_new_card_missed_in_a_mock_is_due_tomorrow_and_one_answered_right_stays_new() {
    let mut store = setup();
    let clock = Clock::new(Some(now()), 4);
    let mut o = opts(0);
    o.structure = false;
    let mut p = Scripted::new(&[Do::Wrong, Do::Right, Do::Right]);
    let r = run(&mut store, &clock, o, &mut p).unwrap();
    let key = |i: usize| key_of(&store, r.questions[i].card.rsplit('/').next().unwrap());
    let s = store.schedule(key(0)).unwrap().unwrap();
    assert_eq!(
        (s.due, s.repetitions, s.ef),
        (clock.today().plus(1), 0, Ef::INITIAL)
    );
    assert_eq!(store.schedule(key(1)).unwrap(), None);
    assert_eq!(store.new_cards(&Filter::default(), 10).unwrap().len(), 2);
}

#[test]
fn quitting_at_the_first_prompt_leaves_no_session() {
    let mut store = setup();
    let mut p = Scripted::new(&[Do::Quit]);
    let r = run(&mut store, &minute_clock(), opts(0), &mut p).unwrap();
    assert_eq!((r.session, r.answered), (None, 0));
    assert!(store.last_session().unwrap().is_none());
}

/// Answers every study or review question right.
struct AllRight;

impl Prompter for AllRight {
    fn ask(&mut self, q: &Question<'_>) -> Result<Answer> {
        Ok(Response::Choice {
            index: q.correct.unwrap(),
            confidence: None,
        }
        .into())
    }
    fn feedback(&mut self, _: &Feedback<'_>) -> Result<()> {
        Ok(())
    }
    fn summary(&mut self, _: &Summary) -> Result<()> {
        Ok(())
    }
}
