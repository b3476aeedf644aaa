use std::collections::VecDeque;

use chrono::{Local, TimeZone};

use super::*;
use crate::import::parse_toml;

type Reply = Box<dyn Fn(&Question<'_>) -> Response>;

/// Answers from a script: each entry decides from the question what to answer.
struct Scripted {
    answers: VecDeque<Reply>,
    asked: Vec<(String, bool)>,
    feedback: Vec<(String, Quality, bool)>,
    summaries: usize,
}

impl Scripted {
    fn new(answers: Vec<Reply>) -> Scripted {
        Scripted {
            answers: answers.into(),
            asked: vec![],
            feedback: vec![],
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
