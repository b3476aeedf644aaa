use chrono::TimeZone;

use super::*;
use crate::import::parse_toml;
use crate::sched::{self, Quality};
use crate::store::{SessionId, SessionKind};

fn now() -> DateTime<Local> {
    Local
        .with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .earliest()
        .unwrap()
}

fn day(s: &str) -> StudyDay {
    StudyDay::parse(s).unwrap()
}

/// Cards `a0`… of topic a, `b0`… of topic b; `b*` tagged `x`.
fn store(per_topic: usize) -> Store {
    let mut text = String::from(
        "[deck]\nid = \"d\"\nname = \"D\"\n[[topic]]\nid = \"a\"\nname = \"A\"\n[[topic]]\nid = \"b\"\nname = \"B\"\n",
    );
    for t in ["a", "b"] {
        for i in 0..per_topic {
            let tags = if t == "b" { "[\"x\"]" } else { "[]" };
            text.push_str(&format!(
                "[[card]]\nid = \"{t}{i}\"\nkind = \"choice\"\ntopic = \"{t}\"\ntags = {tags}\nquestion = \"Q?\"\nanswer = \"A\"\n\
                 [[card.option]]\ntext = \"yes\"\n[[card.option]]\ntext = \"no\"\n"
            ));
        }
    }
    let deck = parse_toml("t.toml", &text).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store.import(&[(&deck, "t.toml")], now(), false).unwrap();
    store
}

fn topic(t: &str) -> Filter {
    Filter {
        topics: vec![TopicId::new(t)],
        ..Filter::default()
    }
}

fn review(card: CardKey, session: SessionId, on: StudyDay, q: Quality) -> NewReview<'static> {
    NewReview {
        card,
        session,
        at: now(),
        day: on,
        repeat: false,
        chosen: Some("A"),
        correct: q.passes(),
        quality: q,
        elapsed_ms: 10,
        rubric: None,
        answer_text: None,
    }
}

fn grade(store: &mut Store, card: CardKey, on: StudyDay, q: Quality) {
    let s = store.begin_session(SessionKind::Review, now(), on).unwrap();
    store
        .record_answer(&review(card, s, on, q), |p| sched::grade(p, q, on))
        .unwrap();
}

#[test]
fn a_plan_is_set_replaced_read_and_cleared() {
    let mut store = store(1);
    assert!(store.plan().unwrap().is_none());
    assert!(!store.clear_plan().unwrap());
    let scope = Filter {
        deck: Some(DeckId::new("d")),
        topics: vec![TopicId::new("a"), TopicId::new("b")],
        tags: vec!["x".into()],
        ..Filter::default()
    };
    store.set_plan(day("2026-03-20"), &scope, now()).unwrap();
    let plan = store.plan().unwrap().unwrap();
    assert_eq!(plan.interview, day("2026-03-20"));
    assert_eq!(plan.scope.deck, scope.deck);
    assert_eq!(plan.scope.topics, scope.topics);
    assert_eq!(plan.scope.tags, scope.tags);
    store
        .set_plan(day("2026-03-25"), &Filter::default(), now())
        .unwrap();
    let plan = store.plan().unwrap().unwrap();
    assert_eq!(plan.interview, day("2026-03-25"));
    assert!(
        plan.scope.is_empty(),
        "setting a plan replaces the scope too"
    );
    assert!(store.clear_plan().unwrap());
    assert!(store.plan().unwrap().is_none());
}

#[test]
fn and_and_but_not_split_a_filter() {
    let store = store(3);
    let all = Filter::default();
    let b = topic("b");
    let tagged = Filter {
        tags: vec!["x".into()],
        ..Filter::default()
    };
    assert_eq!(store.count_new(&all.and(&b)).unwrap(), 3);
    assert_eq!(store.count_new(&all.but_not(&b)).unwrap(), 3);
    assert_eq!(store.count_new(&topic("a").and(&tagged)).unwrap(), 0);
    assert_eq!(store.count_new(&topic("a").but_not(&tagged)).unwrap(), 3);
    assert_eq!(store.count_new(&all.but_not(&all)).unwrap(), 0);
    let queue = store.new_cards(&all.but_not(&topic("a")), 10).unwrap();
    assert_eq!(queue, store.new_cards(&b, 10).unwrap());
}

#[test]
fn scope_counts_follow_the_schedule() {
    let mut store = store(3);
    let a = topic("a");
    let keys = store.new_cards(&a, 3).unwrap();
    let (d1, d2) = (day("2026-03-01"), day("2026-03-02"));
    grade(&mut store, keys[0], d1, Quality::CORRECT);
    grade(&mut store, keys[1], d1, Quality::WRONG);
    grade(&mut store, keys[2], d2, Quality::HESITANT);
    let counts = store.scope_counts(&a, d2).unwrap();
    assert_eq!(
        counts,
        ScopeCounts {
            cards: 3,
            introduced: 3,
            passed: 2,
            introduced_on_day: 1,
        }
    );
    assert_eq!(counts.unseen(), 0);
    let all = store.scope_counts(&Filter::default(), d1).unwrap();
    assert_eq!((all.cards, all.unseen(), all.introduced_on_day), (6, 3, 2));
}

/// "Passed" is read from SM-2's repetitions; the definition is the last graded
/// answer's quality. Both agree whatever the grades, mock misses and final passes.
#[test]
fn passed_is_the_last_graded_answer_passing() {
    let mut store = store(4);
    let keys = store.new_cards(&Filter::default(), 8).unwrap();
    let grades = [[4, 1, 5], [0, 3, 2], [2, 4, 0], [3, 3, 4]];
    for (i, &key) in keys.iter().enumerate().take(4) {
        for (n, &g) in grades[i].iter().enumerate() {
            grade(
                &mut store,
                key,
                day("2026-03-01").plus(n as i64),
                Quality::try_from(g).unwrap(),
            );
        }
        let s = store
            .begin_session(SessionKind::Review, now(), day("2026-03-09"))
            .unwrap();
        store
            .record_final_pass_answer(
                &review(key, s, day("2026-03-09"), Quality::BLACKOUT),
                day("2026-03-11"),
                Some(day("2026-03-10")),
            )
            .unwrap();
    }
    let oracle: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM card c WHERE (
                SELECT r.quality FROM review r WHERE r.card_id = c.id AND r.repeat = 0
                  AND r.final_pass_for IS NULL ORDER BY r.id DESC LIMIT 1) >= 3",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let counts = store
        .scope_counts(&Filter::default(), day("2026-03-09"))
        .unwrap();
    assert_eq!(counts.passed as i64, oracle);
    assert_eq!(counts.passed, 2, "cards 0 and 3 passed last");
}

#[test]
fn the_final_pass_asks_cards_not_due_before_the_interview_and_not_answered_since() {
    let mut store = store(3);
    let (a, b) = (
        store.new_cards(&topic("a"), 3).unwrap(),
        store.new_cards(&topic("b"), 3).unwrap(),
    );
    let (from, interview) = (day("2026-03-18"), day("2026-03-20"));
    // b[2] stays new.
    for (key, due) in [
        (a[0], "2026-03-19"),
        (a[1], "2026-03-20"),
        (a[2], "2026-03-25"),
        (b[0], "2026-03-25"),
        (b[1], "2026-03-30"),
    ] {
        grade(&mut store, key, day("2026-03-01"), Quality::CORRECT);
        store
            .conn
            .execute(
                "UPDATE schedule SET due = ?2 WHERE card_id = ?1",
                params![key.0, due],
            )
            .unwrap();
    }
    // b[0] was answered on the pass's first day (and is due after the interview again);
    // a[2] is the shakiest.
    grade(&mut store, b[0], from, Quality::CORRECT);
    store
        .conn
        .execute_batch(&format!(
            "UPDATE schedule SET due = '2026-03-25' WHERE card_id = {};
             UPDATE schedule SET ef = 236 WHERE card_id = {};",
            b[0].0, a[2].0
        ))
        .unwrap();
    let all = Filter::default();
    let cards = store.final_pass_cards(&all, from, interview).unwrap();
    assert_eq!(cards, vec![a[2], a[1], b[1]], "lowest EF, then deck order");
    assert_eq!(store.count_final_pass(&all, from, interview).unwrap(), 3);
    assert_eq!(
        store
            .final_pass_cards(&topic("b"), from, interview)
            .unwrap(),
        vec![b[1]],
        "the scope narrows it"
    );
    assert!(store.answered_since(b[0], from).unwrap());
    assert!(!store.answered_since(a[2], from).unwrap());
}

#[test]
fn a_final_pass_answer_moves_only_the_due_day_and_only_forward() {
    let mut store = store(1);
    let key = store.new_cards(&Filter::default(), 1).unwrap()[0];
    grade(&mut store, key, day("2026-03-01"), Quality::CORRECT);
    grade(&mut store, key, day("2026-03-02"), Quality::CORRECT);
    let before = store.schedule(key).unwrap().unwrap();
    assert_eq!(before.due, day("2026-03-08"));
    let (interview, on) = (day("2026-03-08"), day("2026-03-06"));
    let s = store.begin_session(SessionKind::Review, now(), on).unwrap();
    let kept = store
        .record_final_pass_answer(&review(key, s, on, Quality::CORRECT), interview, None)
        .unwrap();
    assert_eq!((kept.schedule, kept.resurfaced), (before, false));
    let missed = store
        .record_final_pass_answer(
            &review(key, s, on, Quality::WRONG),
            interview,
            Some(on.plus(1)),
        )
        .unwrap();
    assert!(missed.resurfaced);
    assert_eq!(
        missed.schedule.memory(),
        before.memory(),
        "SM-2 state untouched"
    );
    assert_eq!(missed.schedule.due, day("2026-03-07"));
    let late = store
        .record_final_pass_answer(
            &review(key, s, on, Quality::WRONG),
            interview,
            Some(day("2026-03-08")),
        )
        .unwrap();
    assert!(!late.resurfaced, "never later than it was");
    assert_eq!(store.schedule(key).unwrap().unwrap().due, day("2026-03-07"));
    let marked: Vec<Option<String>> = store
        .conn
        .prepare("SELECT final_pass_for FROM review ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        marked,
        [
            None,
            None,
            Some("2026-03-08".into()),
            Some("2026-03-08".into()),
            Some("2026-03-08".into())
        ]
    );
    assert!(
        !store.graded_on(key, on).unwrap(),
        "a final-pass answer is not the day's graded review"
    );
}

#[test]
fn the_history_pass_counts_final_pass_answers_as_activity_only() {
    let mut store = store(1);
    let key = store.new_cards(&topic("a"), 1).unwrap()[0];
    let (d1, d2, d3) = (day("2026-03-01"), day("2026-03-02"), day("2026-03-03"));
    grade(&mut store, key, d1, Quality::CORRECT);
    let s = store.begin_session(SessionKind::Review, now(), d2).unwrap();
    store
        .record_final_pass_answer(&review(key, s, d2, Quality::WRONG), d3, None)
        .unwrap();
    grade(&mut store, key, d2.plus(5), Quality::CORRECT);
    let history = store
        .history(&Filter::default(), None, crate::store::KeyRange::ALL)
        .unwrap();
    let card = history.card(key).unwrap();
    assert_eq!((card.answered, card.correct), (2, 2));
    assert_eq!(card.window.repeats, 0, "not a repeat either");
    assert_eq!(card.last_answered, Some(d2.plus(5)));
    assert_eq!(
        history.retention.young.due, 1,
        "the final pass is not the previous review"
    );
    assert_eq!(history.days, vec![(d1, 1), (d2, 1), (d2.plus(5), 1)]);
}
