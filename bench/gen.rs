//! Build a synthetic mlsec collection for benchmarks, deterministically from a seed:
//! `cargo run --release --example gen -- DB [CARDS] [REVIEWS] [SEED]`
//! (defaults: 100,000 cards in 20 decks of 5 topics, 1,000,000 reviews over three years).
//!
//! Everything goes through the project's store (`Store::import`, `Store::bulk`) and
//! scheduler (`sched::grade`), so schedules are exactly what replaying the reviews gives.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Duration, Local, NaiveDate, TimeZone};
use mlsec::clock::StudyDay;
use mlsec::deck::{Card, CardBody, CardId, ChoiceOption, Deck, DeckId, Topic, TopicId};
use mlsec::rng::Rng;
use mlsec::sched::{self, Quality};
use mlsec::store::Store;

const DECKS: usize = 20;
const TOPICS: [&str; 5] = [
    "adversarial",
    "poisoning",
    "model-stealing",
    "supply-chain",
    "communication",
];
const DAYS: i64 = 3 * 365;

fn arg<T: std::str::FromStr>(args: &[String], i: usize, default: T) -> T {
    args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn deck(d: usize, cards: usize) -> Deck {
    let topics = TOPICS
        .iter()
        .map(|t| Topic {
            id: TopicId::new(*t),
            name: format!("Topic {t}"),
        })
        .collect();
    let cards = (0..cards)
        .map(|i| {
            let topic = TOPICS[i % TOPICS.len()];
            let body = if i % 7 == 6 {
                CardBody::Recall {
                    prompt: format!("Deck {d}, recall prompt {i}: explain the threat model of scenario {i}."),
                    answer: format!("Model answer {i}: classify, defend, quantify, govern."),
                    rubric: vec!["classify".into(), "defend".into(), "quantify".into()],
                }
            } else {
                CardBody::Choice {
                    question: format!("Deck {d}, question {i}: which answer is best structured for case {i}?"),
                    options: (0..4)
                        .map(|o| ChoiceOption {
                            text: format!("Option {o} of question {i}: a plausible answer with some length to it."),
                            why: format!("Reason {o} for question {i}."),
                        })
                        .collect(),
                    answer: i % 4,
                    explanation: format!("Explanation of question {i}, teaching the structure."),
                }
            };
            Card {
                id: CardId::new(format!("q{i:06}")),
                topic: TopicId::new(topic),
                tags: vec!["classify".into(), ["training-time", "inference-time"][i % 2].into()],
                body,
            }
        })
        .collect();
    Deck {
        id: DeckId::new(format!("bench-{d:02}")),
        name: format!("Benchmark deck {d}"),
        description: String::new(),
        framework: vec![
            "Classify".into(),
            "Defend".into(),
            "Quantify".into(),
            "Govern".into(),
        ],
        topics,
        cards,
        neutralised: 0,
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(db) = args.first().map(PathBuf::from) else {
        eprintln!("usage: gen DB [CARDS] [REVIEWS] [SEED]");
        return ExitCode::from(2);
    };
    let cards: usize = arg(&args, 1, 100_000);
    let target: usize = arg(&args, 2, 1_000_000);
    let mut rng = Rng::new(arg(&args, 3, 1));
    match run(&db, cards, target, &mut rng) {
        Ok(n) => {
            println!(
                "{}: {cards} cards in {DECKS} decks, {n} reviews over {DAYS} days",
                db.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(
    db: &std::path::Path,
    cards: usize,
    target: usize,
    rng: &mut Rng,
) -> mlsec::error::Result<usize> {
    let _ = std::fs::remove_file(db);
    let start = NaiveDate::from_ymd_opt(2023, 3, 1).unwrap_or_default();
    let first = StudyDay::new(start);
    let mut store = Store::open(db, true)?;
    let noon = |day: StudyDay, minutes: i64| {
        Local
            .from_local_datetime(&day.date().and_hms_opt(9, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t + Duration::minutes(minutes))
    };
    let decks: Vec<Deck> = (0..DECKS).map(|d| deck(d, cards.div_ceil(DECKS))).collect();
    let now = noon(first, 0).unwrap_or_default();
    let pairs: Vec<(&Deck, &str)> = decks.iter().map(|d| (d, "bench")).collect();
    store.import(&pairs, now, false)?;
    // Round robin over the decks, so that history spreads over all of them and the
    // cards left without history (new cards) are spread too.
    let per_deck: Vec<Vec<mlsec::store::CardKey>> = decks
        .iter()
        .map(|d| store.card_keys(&d.id))
        .collect::<Result<_, _>>()?;
    let longest = per_deck.iter().map(Vec::len).max().unwrap_or(0);
    let keys: Vec<mlsec::store::CardKey> = (0..longest)
        .flat_map(|i| per_deck.iter().filter_map(move |d| d.get(i).copied()))
        .collect();

    // Each card is introduced on some day and then reviewed whenever due until the
    // end of the three years; outcomes get better as a card matures.
    let per_card = target / keys.len().max(1) + 1;
    let mut bulk = store.bulk()?;
    let mut sessions: HashMap<StudyDay, mlsec::store::SessionId> = HashMap::new();
    let mut written = 0;
    for (n, &card) in keys.iter().enumerate() {
        if written >= target {
            break;
        }
        // Spread introductions so that the busiest cards get about `per_card` reviews.
        let intro = first.plus((rng.below(DAYS as usize * 2 / 3)) as i64);
        let mut day = intro;
        let mut state = None;
        let mut count = 0;
        while first.days_until(day) < DAYS && written < target && count < per_card * 2 {
            let p_right = match state
                .as_ref()
                .map_or(0, |s: &sched::Schedule| s.repetitions)
            {
                0 => 70,
                1 => 80,
                _ => 90,
            };
            let right = rng.below(100) < p_right;
            let q = match (right, rng.below(10)) {
                (true, 0..=1) => Quality::PERFECT,
                (true, _) => Quality::CORRECT,
                (false, 0..=2) => Quality::BLACKOUT,
                (false, _) => Quality::WRONG,
            };
            let next = sched::grade(state.as_ref(), q, day);
            let session = match sessions.get(&day) {
                Some(s) => *s,
                None => {
                    let s = bulk.session("review", noon(day, 0).unwrap_or(now), day)?;
                    sessions.insert(day, s);
                    s
                }
            };
            let at = noon(day, (n % 600) as i64).unwrap_or(now);
            let chosen = if right { "A" } else { "B" };
            bulk.review(
                card,
                session,
                at,
                day,
                false,
                Some(chosen),
                right,
                q,
                4000 + rng.below(20_000) as u64,
                &next,
            )?;
            written += 1;
            count += 1;
            if q.needs_repeat() && written < target {
                bulk.review(
                    card,
                    session,
                    at + Duration::minutes(5),
                    day,
                    true,
                    Some("A"),
                    true,
                    Quality::CORRECT,
                    3000,
                    &next,
                )?;
                written += 1;
            }
            state = Some(next);
            day = next.due;
        }
        if let Some(s) = state {
            bulk.schedule(card, &s, intro)?;
        }
    }
    bulk.commit()?;
    Ok(written)
}
