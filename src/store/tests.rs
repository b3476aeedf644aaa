use chrono::TimeZone;

use super::*;
use crate::import::parse_toml;
use crate::sched;

fn now() -> DateTime<Local> {
    Local
        .with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .earliest()
        .unwrap()
}

fn day(s: &str) -> StudyDay {
    StudyDay::parse(s).unwrap()
}

fn deck(cards: &[(&str, &str, &str)]) -> Deck {
    let mut text = String::from(
        "[deck]\nid = \"d\"\nname = \"D\"\n[[topic]]\nid = \"a\"\nname = \"A\"\n[[topic]]\nid = \"b\"\nname = \"B\"\n",
    );
    for (id, topic, question) in cards {
        text.push_str(&format!(
            "[[card]]\nid = \"{id}\"\nkind = \"choice\"\ntopic = \"{topic}\"\nquestion = \"{question}\"\nanswer = \"A\"\n\
             [[card.option]]\ntext = \"yes\"\n[[card.option]]\ntext = \"no\"\n"
        ));
    }
    parse_toml("t.toml", &text).unwrap()
}

fn store_with(d: &Deck) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.import(&[(d, "t.toml")], now(), false).unwrap();
    store
}

fn answer(
    store: &mut Store,
    card: CardKey,
    session: SessionId,
    d: StudyDay,
    q: Quality,
) -> Recorded {
    store
        .record_answer(
            &NewReview {
                card,
                session,
                at: now(),
                day: d,
                repeat: false,
                chosen: Some("A"),
                correct: q.passes(),
                quality: q,
                elapsed_ms: 10,
                rubric: None,
                answer_text: None,
            },
            |prev| sched::grade(prev, q, d),
        )
        .unwrap()
}

#[test]
fn import_counts_added_updated_unchanged_retired() {
    let mut store = Store::open_in_memory().unwrap();
    let v1 = deck(&[("x", "a", "one"), ("y", "a", "two"), ("z", "b", "three")]);
    let c = store.import(&[(&v1, "t.toml")], now(), false).unwrap();
    assert_eq!(
        c[0],
        ImportCounts {
            added: 3,
            ..Default::default()
        }
    );
    let again = store.import(&[(&v1, "t.toml")], now(), false).unwrap();
    assert_eq!(
        again[0],
        ImportCounts {
            unchanged: 3,
            ..Default::default()
        }
    );
    let v2 = deck(&[("x", "a", "one, edited"), ("y", "a", "two")]);
    let c = store.import(&[(&v2, "t.toml")], now(), false).unwrap();
    assert_eq!(
        c[0],
        ImportCounts {
            updated: 1,
            unchanged: 1,
            retired: 1,
            added: 0
        }
    );
    assert_eq!(
        store.count_new(&Filter::default()).unwrap(),
        2,
        "a retired card is not offered"
    );
}

#[test]
fn dry_run_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let d = deck(&[("x", "a", "one")]);
    let c = store.import(&[(&d, "t.toml")], now(), true).unwrap();
    assert_eq!(c[0].added, 1);
    assert_eq!(store.count_new(&Filter::default()).unwrap(), 0);
    assert!(store.deck_ids().unwrap().is_empty());
}

#[test]
fn editing_a_card_keeps_its_schedule() {
    let d = deck(&[("x", "a", "one")]);
    let mut store = store_with(&d);
    let key = store.new_cards(&Filter::default(), 10).unwrap()[0];
    let session = store
        .begin_session(SessionKind::Study, now(), day("2026-03-01"))
        .unwrap();
    answer(
        &mut store,
        key,
        session,
        day("2026-03-01"),
        Quality::CORRECT,
    );
    let edited = deck(&[("x", "a", "one, reworded")]);
    store.import(&[(&edited, "t.toml")], now(), false).unwrap();
    let s = store.schedule(key).unwrap().unwrap();
    assert_eq!((s.repetitions, s.due), (1, day("2026-03-02")));
    assert_eq!(store.card(key).unwrap().body.question(), "one, reworded");
}

#[test]
fn new_cards_interleave_topics() {
    let d = deck(&[
        ("a1", "a", "q"),
        ("a2", "a", "q"),
        ("a3", "a", "q"),
        ("b1", "b", "q"),
        ("b2", "b", "q"),
    ]);
    let store = store_with(&d);
    let ids: Vec<String> = store
        .new_cards(&Filter::default(), 10)
        .unwrap()
        .into_iter()
        .map(|k| store.card(k).unwrap().id.to_string())
        .collect();
    assert_eq!(ids, ["a1", "b1", "a2", "b2", "a3"]);
    let only_b = Filter {
        topics: vec![TopicId::new("b")],
        ..Default::default()
    };
    assert_eq!(store.new_cards(&only_b, 1).unwrap().len(), 1);
}

#[test]
fn a_second_graded_answer_on_the_same_day_is_a_repeat() {
    let d = deck(&[("x", "a", "one")]);
    let mut store = store_with(&d);
    let key = store.new_cards(&Filter::default(), 10).unwrap()[0];
    let today = day("2026-03-01");
    let s1 = store
        .begin_session(SessionKind::Review, now(), today)
        .unwrap();
    let s2 = store
        .begin_session(SessionKind::Review, now(), today)
        .unwrap();
    let first = answer(&mut store, key, s1, today, Quality::WRONG);
    assert!(first.graded);
    assert!(store.graded_on(key, today).unwrap());
    assert_eq!(
        store.leftover_repeats(&Filter::default(), today).unwrap(),
        [key]
    );
    let second = answer(&mut store, key, s2, today, Quality::CORRECT);
    assert!(
        !second.graded,
        "the other session's answer must not move the schedule again"
    );
    assert_eq!(second.schedule, first.schedule);
    assert!(
        store
            .leftover_repeats(&Filter::default(), today)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn due_cards_most_overdue_first() {
    let d = deck(&[("x", "a", "one"), ("y", "a", "two")]);
    let mut store = store_with(&d);
    let keys = store.new_cards(&Filter::default(), 10).unwrap();
    let s = store
        .begin_session(SessionKind::Study, now(), day("2026-03-01"))
        .unwrap();
    answer(&mut store, keys[1], s, day("2026-03-01"), Quality::CORRECT); // due 03-02
    answer(&mut store, keys[0], s, day("2026-03-03"), Quality::CORRECT); // due 03-04
    assert_eq!(
        store
            .due_cards(&Filter::default(), day("2026-03-05"), 10)
            .unwrap(),
        [keys[1], keys[0]]
    );
    assert_eq!(
        store
            .due_cards(&Filter::default(), day("2026-03-02"), 10)
            .unwrap(),
        [keys[1]]
    );
    assert_eq!(
        store
            .count_due(&Filter::default(), day("2026-03-01"))
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .next_due_after(&Filter::default(), day("2026-03-01"))
            .unwrap(),
        Some(day("2026-03-02"))
    );
}

#[test]
fn refuses_newer_and_foreign_databases() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.db");
    {
        let conn = Connection::open(&newer).unwrap();
        conn.pragma_update(None, "application_id", open::APPLICATION_ID)
            .unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
    }
    assert!(matches!(
        Store::open(&newer, false),
        Err(Error::NewerDatabase { .. })
    ));
    let foreign = dir.path().join("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x);")
        .unwrap();
    let err = Store::open(&foreign, false).err().unwrap().to_string();
    assert!(err.contains("another program"), "{err}");
}

#[test]
fn creates_the_file_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("m.db");
    assert!(
        Store::open(&path, false).is_err(),
        "no implicit directory for an explicit path"
    );
    let store = Store::open(&path, true).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn retired_cards_leave_the_due_counts_and_come_back_when_restored() {
    let d = deck(&[("x", "a", "one"), ("y", "a", "two")]);
    let mut store = store_with(&d);
    let keys = store.new_cards(&Filter::default(), 10).unwrap();
    let s = store
        .begin_session(SessionKind::Study, now(), day("2026-03-01"))
        .unwrap();
    for &k in &keys {
        answer(&mut store, k, s, day("2026-03-01"), Quality::CORRECT);
    }
    let tomorrow = day("2026-03-02");
    let topic_a = Filter {
        topics: vec![TopicId::new("a")],
        ..Default::default()
    };
    assert_eq!(store.count_due(&Filter::default(), tomorrow).unwrap(), 2);
    let only_x = deck(&[("x", "a", "one")]);
    store.import(&[(&only_x, "t.toml")], now(), false).unwrap();
    for filter in [Filter::default(), topic_a.clone()] {
        assert_eq!(store.count_due(&filter, tomorrow).unwrap(), 1);
        assert_eq!(store.due_cards(&filter, tomorrow, 10).unwrap(), [keys[0]]);
        assert_eq!(store.count_new(&filter).unwrap(), 0);
    }
    store.import(&[(&d, "t.toml")], now(), false).unwrap();
    assert_eq!(store.count_due(&Filter::default(), tomorrow).unwrap(), 2);
    assert_eq!(store.count_due(&topic_a, tomorrow).unwrap(), 2);
}

#[test]
fn an_answer_keeps_its_covered_points_and_text_as_given() {
    let d = deck(&[("x", "a", "one"), ("y", "a", "two")]);
    let mut store = store_with(&d);
    let keys = store.new_cards(&Filter::default(), 10).unwrap();
    let today = day("2026-03-01");
    let session = store
        .begin_session(SessionKind::Study, now(), today)
        .unwrap();
    let typed = "clean\u{1b}[2J and attacked\naccuracy";
    for (card, rubric) in [
        (
            keys[0],
            Some(RubricPoints {
                covered: &[1, 3],
                total: 4,
            }),
        ),
        (keys[1], None),
    ] {
        let review = NewReview {
            card,
            session,
            at: now(),
            day: today,
            repeat: false,
            chosen: None,
            correct: true,
            quality: Quality::CORRECT,
            elapsed_ms: 10,
            rubric,
            answer_text: rubric.map(|_| typed),
        };
        store
            .record_answer(&review, |prev| sched::grade(prev, Quality::CORRECT, today))
            .unwrap();
    }
    let rows: Vec<(Option<String>, Option<i64>, Option<String>)> = store
        .conn
        .prepare("SELECT covered, rubric_total, answer_text FROM review ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        rows,
        [
            (Some("[1,3]".into()), Some(4), Some(typed.into())),
            (None, None, None)
        ]
    );
}
