use std::collections::VecDeque;

use chrono::{Datelike, Local, TimeZone};

use super::*;
use crate::import::parse_toml;

type Reply = Box<dyn Fn(&Question<'_>) -> Response>;

/// Answers from a script: each entry decides from the question what to answer.
struct Scripted {
    answers: VecDeque<Reply>,
    asked: Vec<(String, bool)>,
    feedback: Vec<(String, Quality, bool)>,
    /// (card, final pass, resurfaced) of every answer.
    final_pass: Vec<(String, bool, bool)>,
    summaries: usize,
}

impl Scripted {
    fn new(answers: Vec<Reply>) -> Scripted {
        Scripted {
            answers: answers.into(),
            asked: vec![],
            feedback: vec![],
            final_pass: vec![],
            summaries: 0,
        }
    }
}

impl Prompter for Scripted {
    fn ask(&mut self, q: &Question<'_>) -> Result<Answer> {
        self.asked.push((q.card.id.to_string(), q.repeat));
        Ok(match self.answers.pop_front() {
            Some(f) => f(q),
            None => Response::Quit,
        }
        .into())
    }
    fn feedback(&mut self, f: &Feedback<'_>) -> Result<()> {
        self.feedback
            .push((f.question.card.id.to_string(), f.quality, f.graded));
        assert_eq!(f.final_pass, f.question.final_pass);
        self.final_pass
            .push((f.question.card.id.to_string(), f.final_pass, f.resurfaced));
        Ok(())
    }
    fn summary(&mut self, _: &Summary) -> Result<()> {
        self.summaries += 1;
        Ok(())
    }
}

fn right() -> Reply {
    Box::new(|q| Response::Choice {
        index: q.correct.unwrap(),
        confidence: None,
    })
}

fn wrong() -> Reply {
    Box::new(|q| Response::Choice {
        index: (q.correct.unwrap() + 1) % q.options.len(),
        confidence: None,
    })
}

fn setup() -> (Store, Clock) {
    let text = "[deck]\nid = \"d\"\nname = \"D\"\n[[topic]]\nid = \"t\"\nname = \"T\"\n\
        [[card]]\nid = \"one\"\nkind = \"choice\"\ntopic = \"t\"\nquestion = \"1?\"\nanswer = \"B\"\n\
        [[card.option]]\ntext = \"x\"\n[[card.option]]\ntext = \"y\"\n[[card.option]]\ntext = \"z\"\n\
        [[card]]\nid = \"two\"\nkind = \"choice\"\ntopic = \"t\"\nquestion = \"2?\"\nanswer = \"A\"\n\
        [[card.option]]\ntext = \"x\"\n[[card.option]]\ntext = \"y\"\n";
    let deck = parse_toml("t.toml", text).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let now = Local
        .with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .earliest()
        .unwrap();
    store.import(&[(&deck, "t.toml")], now, false).unwrap();
    (store, Clock::new(Some(now), 4))
}

fn opts(mode: SessionKind) -> Options {
    Options {
        mode,
        filter: Filter::default(),
        limit: None,
        new_per_day: 10,
        plan: None,
        order: Order::Shuffled(Rng::new(3)),
        confidence: false,
        type_answer: false,
    }
}

#[test]
fn a_miss_is_repeated_at_the_end_without_moving_the_schedule() {
    let (mut store, clock) = setup();
    let mut p = Scripted::new(vec![wrong(), right(), wrong(), right()]);
    let summary = run(&mut store, &clock, opts(SessionKind::Study), &mut p).unwrap();
    assert_eq!(
        p.asked,
        [
            ("one".into(), false),
            ("two".into(), false),
            ("one".into(), true),
            ("one".into(), true)
        ]
    );
    assert_eq!(
        (summary.answered, summary.correct, summary.repeats),
        (2, 1, 2)
    );
    let graded: Vec<bool> = p.feedback.iter().map(|f| f.2).collect();
    assert_eq!(graded, [true, true, false, false]);
    let key = store.new_cards(&Filter::default(), 10).unwrap();
    assert!(key.is_empty(), "both cards were introduced");
}

#[test]
fn leftover_repeats_come_back_in_a_second_session_the_same_day() {
    let (mut store, clock) = setup();
    let mut first = Scripted::new(vec![wrong(), right()]);
    let s = run(&mut store, &clock, opts(SessionKind::Study), &mut first).unwrap();
    assert_eq!(s.repeats_left, 1);
    let mut second = Scripted::new(vec![right()]);
    let s = run(&mut store, &clock, opts(SessionKind::Review), &mut second).unwrap();
    assert_eq!(second.asked, [("one".into(), true)]);
    assert_eq!((s.answered, s.repeats, s.repeats_left), (0, 1, 0));
    let mut third = Scripted::new(vec![]);
    run(&mut store, &clock, opts(SessionKind::Review), &mut third).unwrap();
    assert!(third.asked.is_empty(), "nothing left today");
    assert_eq!(third.summaries, 1, "an empty session still reports");
}

#[test]
fn the_daily_new_limit_counts_earlier_sessions() {
    let (mut store, clock) = setup();
    let mut o = opts(SessionKind::Study);
    o.new_per_day = 1;
    let mut p = Scripted::new(vec![right()]);
    run(&mut store, &clock, o.clone(), &mut p).unwrap();
    let mut again = Scripted::new(vec![right()]);
    run(&mut store, &clock, o, &mut again).unwrap();
    assert!(again.asked.is_empty(), "{:?}", again.asked);
}

#[test]
fn quality_mapping_follows_the_design() {
    let c = Some(1);
    let pick = |index, confidence| Response::Choice { index, confidence };
    assert_eq!(quality_of(pick(1, None), c), (true, Quality::CORRECT));
    assert_eq!(
        quality_of(pick(1, Some(Quality::PERFECT)), c),
        (true, Quality::PERFECT)
    );
    assert_eq!(
        quality_of(pick(1, Some(Quality::GUESSED)), c),
        (true, Quality::GUESSED)
    );
    assert_eq!(
        quality_of(pick(0, Some(Quality::PERFECT)), c),
        (false, Quality::WRONG)
    );
    assert_eq!(
        quality_of(Response::DontKnow, c),
        (false, Quality::BLACKOUT)
    );
    assert_eq!(
        quality_of(Response::Grade(Quality::HESITANT), None),
        (true, Quality::HESITANT)
    );
}

#[test]
fn file_order_keeps_keys() {
    let (mut store, clock) = setup();
    let mut o = opts(SessionKind::Study);
    o.order = Order::FileOrder;
    let p = &mut Scripted::new(vec![Box::new(|q: &Question<'_>| {
        assert_eq!(q.correct, Some(1), "answer B in file order");
        assert_eq!(q.options.iter().map(|o| o.key).collect::<String>(), "ABC");
        Response::Quit
    })]);
    run(&mut store, &clock, o, p).unwrap();
}

/// Topics `in` (cards i1, i2, i3) and `out` (o1, o2, o3); every answer is A. The filter
/// is the topic `in`, a plan's scope.
fn plan_setup() -> (Store, Filter) {
    let mut text = String::from(
        "[deck]\nid = \"d\"\nname = \"D\"\n[[topic]]\nid = \"in\"\nname = \"In\"\n\
         [[topic]]\nid = \"out\"\nname = \"Out\"\n",
    );
    for t in ["i", "o"] {
        for n in 1..=3 {
            let topic = if t == "i" { "in" } else { "out" };
            text.push_str(&format!(
                "[[card]]\nid = \"{t}{n}\"\nkind = \"choice\"\ntopic = \"{topic}\"\nquestion = \"?\"\n\
                 answer = \"A\"\n[[card.option]]\ntext = \"x\"\n[[card.option]]\ntext = \"y\"\n"
            ));
        }
    }
    let deck = parse_toml("t.toml", &text).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store
        .import(&[(&deck, "t.toml")], on("2026-03-01").now(), false)
        .unwrap();
    let scope = Filter {
        topics: vec![crate::deck::TopicId::new("in")],
        ..Filter::default()
    };
    (store, scope)
}

fn on(day: &str) -> Clock {
    let d = StudyDay::parse(day).unwrap().date();
    let noon = Local
        .with_ymd_and_hms(d.year(), d.month(), d.day(), 12, 0, 0)
        .earliest()
        .unwrap();
    Clock::new(Some(noon), 4)
}

fn all_right(n: usize) -> Scripted {
    Scripted::new((0..n).map(|_| right()).collect())
}

fn asked(p: &Scripted) -> Vec<&str> {
    p.asked.iter().map(|(id, _)| id.as_str()).collect()
}

fn study_with_plan(new_per_day: usize, new_room: usize) -> Options {
    let mut o = opts(SessionKind::Study);
    o.order = Order::FileOrder;
    o.new_per_day = new_per_day;
    o.plan = Some(PlanShare {
        scope: plan_setup().1,
        new_room,
        plain_new_room: new_room,
        final_pass: None,
    });
    o
}

#[test]
fn a_plan_takes_the_new_cards_of_its_scope_first() {
    let (mut store, _) = plan_setup();
    let clock = on("2026-03-01");
    let mut p = all_right(10);
    run(&mut store, &clock, study_with_plan(5, 3), &mut p).unwrap();
    assert_eq!(asked(&p), ["i1", "i2", "i3", "o1", "o2"]);
}

#[test]
fn the_scope_s_quota_and_the_ordinary_limit_are_apart() {
    let (mut store, _) = plan_setup();
    let clock = on("2026-03-01");
    // The scope's quota (its room today) goes beyond --new; the rest gets what --new
    // leaves after every card introduced today: nothing.
    let mut p = all_right(10);
    run(&mut store, &clock, study_with_plan(1, 2), &mut p).unwrap();
    assert_eq!(asked(&p), ["i1", "i2"]);
    // An explicit filter outside the scope: the ordinary limit on those cards alone.
    let mut o = study_with_plan(2, 0);
    o.filter = Filter {
        topics: vec![crate::deck::TopicId::new("out")],
        ..Filter::default()
    };
    let mut p = all_right(10);
    run(&mut store, &clock, o, &mut p).unwrap();
    assert_eq!(asked(&p), ["o1", "o2"]);
    // --limit bounds both parts together.
    let (mut store, _) = plan_setup();
    let mut o = study_with_plan(10, 2);
    o.limit = Some(3);
    let mut p = all_right(10);
    run(&mut store, &clock, o, &mut p).unwrap();
    assert_eq!(asked(&p), ["i1", "i2", "o1"]);
}

fn review_with_final_pass(interview: &str) -> Options {
    let interview = StudyDay::parse(interview).unwrap();
    let mut o = opts(SessionKind::Review);
    o.order = Order::FileOrder;
    o.plan = Some(PlanShare {
        scope: plan_setup().1,
        new_room: 0,
        plain_new_room: 0,
        final_pass: Some(FinalPass {
            from: interview.plus(-2),
            interview,
        }),
    });
    o
}

fn schedule(store: &Store, slug: &str) -> Schedule {
    let all = Filter::default();
    let key = store
        .due_cards(&all, StudyDay::parse("2100-01-01").unwrap(), 100)
        .unwrap()
        .into_iter()
        .find(|&k| store.card(k).unwrap().id.as_str() == slug)
        .unwrap();
    store.schedule(key).unwrap().unwrap()
}

/// Interview on 03-08: the final pass runs on 03-06 and 03-07. Every card was learnt on
/// 03-01 and 03-02, so all are due on 03-08, not before the interview.
#[test]
fn the_final_pass_asks_each_card_once_and_repeats_its_misses() {
    let (mut store, _) = plan_setup();
    let mut o = opts(SessionKind::Study);
    o.order = Order::FileOrder;
    run(&mut store, &on("2026-03-01"), o, &mut all_right(6)).unwrap();
    let mut p = all_right(6);
    run(
        &mut store,
        &on("2026-03-02"),
        opts(SessionKind::Review),
        &mut p,
    )
    .unwrap();
    assert_eq!(p.asked.len(), 6);
    assert!(p.final_pass.iter().all(|(_, f, _)| !f));
    let before = schedule(&store, "i1");
    assert_eq!(before.due, StudyDay::parse("2026-03-08").unwrap());

    // 03-06: i1 missed (due again 03-07, before the interview), then quit.
    let mut p = Scripted::new(vec![wrong()]);
    let day1 = on("2026-03-06");
    let s = run(
        &mut store,
        &day1,
        review_with_final_pass("2026-03-08"),
        &mut p,
    )
    .unwrap();
    assert_eq!(p.final_pass, [("i1".into(), true, true)]);
    assert_eq!((s.answered, s.final_pass, s.final_pass_left), (1, 1, 2));
    let after = schedule(&store, "i1");
    assert_eq!(
        after.memory(),
        before.memory(),
        "EF, interval, repetitions kept"
    );
    assert_eq!(after.due, StudyDay::parse("2026-03-07").unwrap());
    assert_eq!(after.lapses, before.lapses);

    // Later that day: the repeat, then the two cards not yet asked; nothing twice.
    let mut p = Scripted::new(vec![right(), right(), right()]);
    let s = run(
        &mut store,
        &day1,
        review_with_final_pass("2026-03-08"),
        &mut p,
    )
    .unwrap();
    assert_eq!(
        p.asked,
        [
            ("i1".into(), true),
            ("i2".into(), false),
            ("i3".into(), false)
        ]
    );
    assert_eq!((s.answered, s.repeats, s.final_pass_left), (2, 1, 0));
    let mut p = all_right(3);
    run(
        &mut store,
        &day1,
        review_with_final_pass("2026-03-08"),
        &mut p,
    )
    .unwrap();
    assert!(p.asked.is_empty(), "each card once: {:?}", p.asked);

    // 03-07: i1 is due (the miss brought it back) and graded by SM-2; the final pass
    // asked everything yesterday.
    let mut p = all_right(3);
    let s = run(
        &mut store,
        &on("2026-03-07"),
        review_with_final_pass("2026-03-08"),
        &mut p,
    )
    .unwrap();
    assert_eq!(asked(&p), ["i1"]);
    assert!(p.feedback[0].2, "a graded review");
    assert_eq!((s.answered, s.final_pass), (1, 0));
}

#[test]
fn a_miss_on_the_last_day_is_repeated_but_not_brought_forward() {
    let (mut store, _) = plan_setup();
    let mut o = opts(SessionKind::Study);
    o.order = Order::FileOrder;
    run(&mut store, &on("2026-03-01"), o, &mut all_right(6)).unwrap();
    run(
        &mut store,
        &on("2026-03-02"),
        opts(SessionKind::Review),
        &mut all_right(6),
    )
    .unwrap();
    let before = schedule(&store, "i1");
    let mut p = Scripted::new(vec![wrong(), right(), right(), right()]);
    run(
        &mut store,
        &on("2026-03-07"),
        review_with_final_pass("2026-03-08"),
        &mut p,
    )
    .unwrap();
    assert_eq!(
        p.asked,
        [
            ("i1".into(), false),
            ("i2".into(), false),
            ("i3".into(), false),
            ("i1".into(), true)
        ]
    );
    assert_eq!(
        p.final_pass[0],
        ("i1".into(), true, false),
        "not resurfaced"
    );
    assert_eq!(
        p.final_pass[3],
        ("i1".into(), false, false),
        "the repeat is a repeat"
    );
    assert_eq!(schedule(&store, "i1"), before, "the schedule stands");
    // Only the plan's scope is in the pass, and a study session never runs it.
    let mut study = opts(SessionKind::Study);
    study.plan = review_with_final_pass("2026-03-08").plan;
    let mut p = all_right(3);
    run(&mut store, &on("2026-03-07"), study, &mut p).unwrap();
    assert!(p.asked.is_empty());
}

#[test]
fn limit_bounds_the_final_pass_too() {
    let (mut store, _) = plan_setup();
    let mut o = opts(SessionKind::Study);
    o.order = Order::FileOrder;
    run(&mut store, &on("2026-03-01"), o, &mut all_right(6)).unwrap();
    let review = opts(SessionKind::Review);
    run(&mut store, &on("2026-03-02"), review, &mut all_right(6)).unwrap();
    let mut limited = review_with_final_pass("2026-03-08");
    limited.limit = Some(2);
    let mut p = all_right(3);
    let s = run(&mut store, &on("2026-03-06"), limited, &mut p).unwrap();
    assert_eq!(asked(&p), ["i1", "i2"]);
    assert_eq!(s.final_pass_left, 1);
}
