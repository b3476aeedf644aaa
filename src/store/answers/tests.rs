//! Answers recorded on a small store, read back through every reading query: the
//! answers and sessions, the history pass and the cards.

use chrono::{DateTime, Local, TimeZone};
use rusqlite::params_from_iter;

use super::*;
use crate::deck::TopicId;
use crate::import::parse_toml;
use crate::sched::{self, Quality};
use crate::store::KeyRange;
use crate::store::cards::card_summary_sql;
use crate::store::history::{PassCount, RetentionCounts, Tally};
use crate::store::{CardKey, NewReview};

fn now() -> DateTime<Local> {
    Local
        .with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .earliest()
        .unwrap()
}

fn day(s: &str) -> StudyDay {
    StudyDay::parse(s).unwrap()
}

/// A store with deck `d`: cards `x` (topic a) and `y` (topic b).
fn store() -> (Store, CardKey, CardKey) {
    let text = "[deck]\nid = \"d\"\nname = \"D\"\n[[topic]]\nid = \"a\"\nname = \"A\"\n[[topic]]\nid = \"b\"\nname = \"B\"\n\
        [[card]]\nid = \"x\"\nkind = \"choice\"\ntopic = \"a\"\nquestion = \"X?\"\nanswer = \"A\"\n\
        [[card.option]]\ntext = \"yes\"\n[[card.option]]\ntext = \"no\"\n\
        [[card]]\nid = \"y\"\nkind = \"choice\"\ntopic = \"b\"\nquestion = \"Y?\"\nanswer = \"A\"\n\
        [[card.option]]\ntext = \"yes\"\n[[card.option]]\ntext = \"no\"\n";
    let deck = parse_toml("t.toml", text).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store.import(&[(&deck, "t.toml")], now(), false).unwrap();
    let keys = store.new_cards(&Filter::default(), 10).unwrap();
    (store, keys[0], keys[1])
}

fn answer(store: &mut Store, session: SessionId, card: CardKey, d: &str, q: u8, repeat: bool) {
    let q = Quality::try_from(i64::from(q)).unwrap();
    let d = day(d);
    store
        .record_answer(
            &NewReview {
                card,
                session,
                at: now(),
                day: d,
                repeat,
                chosen: Some("A"),
                correct: q.passes(),
                quality: q,
                elapsed_ms: 5,
                rubric: None,
                answer_text: None,
            },
            |prev| sched::grade(prev, q, d),
        )
        .unwrap();
}

fn sessions(store: &Store) -> Vec<SessionRecord> {
    let mut out = Vec::new();
    store
        .each_session(&Filter::default(), None, None, SessionOrder::Oldest, |s| {
            out.push(s);
            Ok(())
        })
        .unwrap();
    out
}

fn reviews(store: &Store, since: Option<StudyDay>) -> usize {
    let mut n = 0;
    store
        .each_review(&Filter::default(), since, |_| {
            n += 1;
            Ok(())
        })
        .unwrap();
    n
}

#[test]
fn retention_counts_first_answers_on_due_cards_by_previous_interval() {
    let (mut store, x, y) = store();
    let s1 = store
        .begin_session(SessionKind::Study, now(), day("2026-03-01"))
        .unwrap();
    answer(&mut store, s1, x, "2026-03-01", 4, false); // new: not a retention review
    answer(&mut store, s1, y, "2026-03-01", 1, false);
    answer(&mut store, s1, y, "2026-03-01", 4, true); // a repeat: never counted
    let s2 = store
        .begin_session(SessionKind::Review, now(), day("2026-03-02"))
        .unwrap();
    answer(&mut store, s2, x, "2026-03-02", 4, false); // due, passed
    answer(&mut store, s2, y, "2026-03-02", 2, false); // due, failed (q 2)
    let mock = store
        .begin_session(SessionKind::Mock, now(), day("2026-03-02"))
        .unwrap();
    answer(&mut store, mock, x, "2026-03-02", 1, true); // mock: never counted

    let all = store
        .history(&Filter::default(), None, KeyRange::ALL)
        .unwrap()
        .retention;
    assert_eq!(
        all,
        RetentionCounts {
            young: PassCount { due: 2, passed: 1 },
            mature: PassCount::default()
        }
    );
    let only_a = Filter {
        topics: vec![TopicId::new("a")],
        ..Filter::default()
    };
    assert_eq!(
        store
            .history(&only_a, None, KeyRange::ALL)
            .unwrap()
            .retention
            .young,
        PassCount { due: 1, passed: 1 }
    );
    // A window starting on day 2 still knows day 1's schedule.
    assert_eq!(
        store
            .history(&Filter::default(), Some(day("2026-03-02")), KeyRange::ALL)
            .unwrap()
            .retention
            .young
            .due,
        2
    );

    let sessions = sessions(&store);
    let counts: Vec<(&str, u64, u64, u64)> = sessions
        .iter()
        .map(|s| (s.kind.as_str(), s.answered, s.correct, s.repeats))
        .collect();
    assert_eq!(
        counts,
        [("study", 2, 1, 1), ("review", 2, 1, 0), ("mock", 1, 0, 0)],
        "a mock answer counts, however it was flagged"
    );
    let history = store
        .history(&Filter::default(), None, KeyRange::ALL)
        .unwrap();
    let window = |card| history.card(card).map(|h| h.window);
    // One card per topic: x is topic a, y topic b.
    assert_eq!(
        [window(x), window(y)],
        [
            Some(Tally {
                answered: 2,
                correct: 2,
                repeats: 0
            }),
            Some(Tally {
                answered: 2,
                correct: 0,
                repeats: 1
            })
        ]
    );
    assert_eq!(
        history.days,
        [(day("2026-03-01"), 3), (day("2026-03-02"), 3)]
    );
}

#[test]
fn card_records_carry_schedule_and_graded_answers() {
    let (mut store, x, _) = store();
    let s = store
        .begin_session(SessionKind::Study, now(), day("2026-03-01"))
        .unwrap();
    answer(&mut store, s, x, "2026-03-01", 1, false);
    answer(&mut store, s, x, "2026-03-01", 4, true);
    let history = store
        .history(&Filter::default(), None, KeyRange::ALL)
        .unwrap();
    let mut cards = Vec::new();
    store
        .each_card(&Filter::default(), false, Some(&history), |c| {
            cards.push(c);
            Ok(())
        })
        .unwrap();
    assert_eq!(cards.len(), 2);
    let (cx, cy) = (&cards[0], &cards[1]);
    assert_eq!(cx.full_id(), "d/x");
    assert_eq!(
        (cx.answered, cx.correct),
        (1, 0),
        "the repeat is not graded"
    );
    assert_eq!(cx.schedule.map(|s| s.lapses), Some(1));
    assert_eq!(cx.introduced, Some(day("2026-03-01")));
    assert_eq!(cy.schedule, None);
    assert_eq!(cy.deck_name, "D");
    assert_eq!(reviews(&store, None), 2);
    assert_eq!(reviews(&store, Some(day("2026-03-02"))), 0);
}

#[test]
fn the_card_pass_reads_an_index_not_the_cards() {
    let (store, _, _) = store();
    let topic = Filter {
        topics: vec![TopicId::new("a")],
        ..Filter::default()
    };
    for (filter, range) in [
        (&Filter::default(), KeyRange::ALL),
        (&Filter::default(), KeyRange { first: 1, last: 50 }),
        (&topic, KeyRange::ALL),
    ] {
        let mut params = Vec::new();
        let sql = card_summary_sql(filter, range, &mut params);
        let mut stmt = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let plan: Vec<String> = stmt
            .query_map(params_from_iter(params), |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            plan[0].contains("COVERING INDEX card_topic"),
            "{sql}\n{plan:?}"
        );
    }
    let retired: String = store
        .conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT id FROM card WHERE retired = 1 ORDER BY id",
            [],
            |r| r.get(3),
        )
        .unwrap();
    // card_retired (004) or card_live (003): either way an index, not the card rows.
    assert!(retired.contains("COVERING INDEX card_"), "{retired}");
}
