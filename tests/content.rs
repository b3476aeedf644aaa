//! The content check of the built-in deck: everything about the question bank that can
//! be checked mechanically. (Facts are checked by people against the fact sheet.)

// Test code: a failed expectation should panic with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashSet};

use mlsec::deck::{CardBody, Deck, KEYS};
use mlsec::import::builtin;

const TOPICS: [&str; 8] = [
    "adversarial",
    "poisoning",
    "model-stealing",
    "supply-chain",
    "communication",
    "privacy",
    "llm-apps",
    "infrastructure",
];
const PHASE: [&str; 3] = ["training-time", "inference-time", "deployment"];
const KNOWLEDGE: [&str; 2] = ["white-box", "black-box"];
const STEPS: [&str; 4] = ["classify", "defend", "quantify", "govern"];

fn deck() -> Deck {
    builtin::deck().unwrap_or_else(|e| panic!("the built-in deck does not parse: {e}"))
}

fn choices(deck: &Deck) -> Vec<(&str, &Vec<mlsec::deck::ChoiceOption>, usize, &str)> {
    deck.cards
        .iter()
        .filter_map(|c| match &c.body {
            CardBody::Choice {
                options,
                answer,
                explanation,
                ..
            } => Some((c.id.as_str(), options, *answer, explanation.as_str())),
            CardBody::Recall { .. } => None,
        })
        .collect()
}

#[test]
fn every_topic_has_enough_choice_recall_and_design_cards() {
    let deck = deck();
    assert!(deck.cards.len() >= 150, "{} cards", deck.cards.len());
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for card in &deck.cards {
        *counts
            .entry((card.topic.as_str(), card.body.kind()))
            .or_default() += 1;
        if card.tags.iter().any(|t| t == "design") {
            *counts.entry((card.topic.as_str(), "design")).or_default() += 1;
        }
    }
    for topic in TOPICS {
        let choice = counts.get(&(topic, "choice")).copied().unwrap_or(0);
        let recall = counts.get(&(topic, "recall")).copied().unwrap_or(0);
        let design = counts.get(&(topic, "design")).copied().unwrap_or(0);
        assert!(
            choice >= 14 && recall >= 5 && design >= 2,
            "{topic}: {choice} choice, {recall} recall ({design} design); want 14, 5 and 2"
        );
    }
    let declared: Vec<&str> = deck.topics.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(declared, TOPICS);
    assert_eq!(
        deck.framework.len(),
        4,
        "the four steps of the answer framework"
    );
}

#[test]
fn ids_are_unique_and_prefixed_by_topic() {
    let deck = deck();
    let mut seen = HashSet::new();
    for card in &deck.cards {
        assert!(seen.insert(card.id.as_str()), "duplicate id {}", card.id);
        assert!(
            card.id.as_str().starts_with(card.topic.as_str()),
            "{} is not prefixed by {}",
            card.id,
            card.topic
        );
    }
}

#[test]
fn every_option_and_card_explains_itself() {
    let deck = deck();
    for (id, options, _, explanation) in choices(&deck) {
        assert_eq!(options.len(), 4, "{id}: four options");
        assert!(!explanation.trim().is_empty(), "{id}: no explanation");
        for (i, o) in options.iter().enumerate() {
            assert!(
                !o.why.trim().is_empty(),
                "{id}: option {} has no `why`",
                KEYS[i]
            );
        }
    }
    for card in &deck.cards {
        if let CardBody::Recall { answer, rubric, .. } = &card.body {
            assert!(
                !answer.trim().is_empty() && rubric.len() >= 3,
                "{}: model answer and 3+ rubric points",
                card.id
            );
            if card.tags.iter().any(|t| t == "design") {
                assert!(
                    (5..=7).contains(&rubric.len()),
                    "{}: a design question has 5-7 rubric points, not {}",
                    card.id,
                    rubric.len()
                );
            }
        } else {
            assert!(
                !card.tags.iter().any(|t| t == "design"),
                "{}: `design` marks open (recall) questions",
                card.id
            );
        }
    }
}

#[test]
fn tags_come_from_the_vocabulary_and_name_a_framework_step() {
    let deck = deck();
    for card in &deck.cards {
        for tag in &card.tags {
            let known = PHASE.contains(&tag.as_str())
                || KNOWLEDGE.contains(&tag.as_str())
                || STEPS.contains(&tag.as_str())
                || tag == "llm"
                || tag == "design";
            assert!(known, "{}: tag {tag:?} is not in the vocabulary", card.id);
        }
        assert!(
            card.tags.iter().any(|t| STEPS.contains(&t.as_str())),
            "{}: needs a framework-step tag",
            card.id
        );
        let unique: HashSet<&String> = card.tags.iter().collect();
        assert_eq!(unique.len(), card.tags.len(), "{}: repeated tag", card.id);
    }
    assert!(
        deck.cards.iter().any(|c| c.tags.iter().any(|t| t == "llm")),
        "LLM threats appear"
    );
}

/// A named count of something in an option's text.
type Count = (&'static str, fn(&str) -> usize);

#[test]
fn no_giveaway_cues_in_length_detail_or_key() {
    let deck = deck();
    let cards = choices(&deck);
    let (mut longest, mut shortest) = (0, 0);
    let mut keys: BTreeMap<char, usize> = BTreeMap::new();
    let mut uneven = Vec::new();
    for (id, options, answer, _) in &cards {
        let lens: Vec<usize> = options.iter().map(|o| o.text.chars().count()).collect();
        let (min, max) = (
            lens.iter().min().copied().unwrap_or(0),
            lens.iter().max().copied().unwrap_or(0),
        );
        assert!(
            2 * max <= 3 * min,
            "{id}: longest option {max} chars is over 1.5 times the shortest {min}"
        );
        longest += usize::from(lens[*answer] == max);
        shortest += usize::from(lens[*answer] == min);
        *keys.entry(KEYS[*answer]).or_default() += 1;
        // Distractors carry as many numbers, citations and version qualifiers as the key.
        let key = &options[*answer].text;
        let counts: [Count; 3] = [
            ("numbers", guessers::numbers),
            ("citations", guessers::citations),
            ("version qualifiers", guessers::versions),
        ];
        for (what, count) in counts {
            for (i, o) in options.iter().enumerate() {
                if count(&o.text).abs_diff(count(key)) > 1 {
                    uneven.push(format!(
                        "{id}: {what}: the key has {}, option {} has {}",
                        count(key),
                        KEYS[i],
                        count(&o.text)
                    ));
                }
            }
        }
    }
    assert!(uneven.is_empty(), "{}", uneven.join("\n"));
    let n = cards.len();
    assert!(
        longest * 100 <= n * 30,
        "the correct option is the longest in {longest} of {n} cards (max 30%)"
    );
    assert!(
        shortest * 100 >= n * 15,
        "the correct option is the shortest in {shortest} of {n} cards (min 15%)"
    );
    for (key, count) in &keys {
        assert!(
            count * 100 <= n * 35,
            "key {key} is correct in {count} of {n} cards (max 35%)"
        );
    }
    assert_eq!(keys.len(), 4, "correct keys spread over A–D: {keys:?}");
}

/// Every OWASP Top 10 for LLM Applications id names its edition (`LLM01:2025`): the 2026
/// edition renumbers the list, so a bare `LLM06` means two different risks.
#[test]
fn owasp_llm_ids_name_their_edition() {
    let deck = deck();
    for card in &deck.cards {
        let text = card_text(card);
        let bytes = text.as_bytes();
        for (at, _) in text.match_indices("LLM") {
            let id = &bytes[at + 3..];
            if id.len() >= 2 && id[0].is_ascii_digit() && id[1].is_ascii_digit() {
                let edition = &text[at + 5..];
                assert!(
                    edition.starts_with(":2025") || edition.starts_with(":2026"),
                    "{}: {} without its edition (write {}:2025 or {}:2026)",
                    card.id,
                    &text[at..at + 5],
                    &text[at..at + 5],
                    &text[at..at + 5]
                );
            }
        }
    }
}

/// All the text of a card, for checks that look at every word of it.
fn card_text(card: &mlsec::deck::Card) -> String {
    match &card.body {
        CardBody::Choice {
            question,
            options,
            explanation,
            ..
        } => {
            let mut t = format!("{question}\n{explanation}");
            for o in options {
                t.push_str(&format!("\n{}\n{}", o.text, o.why));
            }
            t
        }
        CardBody::Recall {
            prompt,
            answer,
            rubric,
            ..
        } => format!("{prompt}\n{answer}\n{}", rubric.join("\n")),
    }
}

#[test]
fn texts_do_not_point_at_option_letters() {
    // Options are shuffled when shown, so "option B" in a text would be wrong on screen.
    let deck = deck();
    let letter = |s: &str| {
        let lower = s.to_lowercase();
        KEYS.iter()
            .any(|k| lower.contains(&format!("option {}", k.to_ascii_lowercase())))
    };
    for (id, options, _, explanation) in choices(&deck) {
        assert!(
            !letter(explanation),
            "{id}: explanation names an option letter"
        );
        for o in options {
            assert!(
                !letter(&o.why) && !letter(&o.text),
                "{id}: an option names an option letter"
            );
        }
    }
}

/// The five seed exercises, as the seed file has them: question and correct option.
#[test]
fn the_seed_exercises_are_faithful() {
    let seeds = [
        (
            "adversarial-taxonomy",
            "The interviewer asks: \"What are the main categories of adversarial attacks on ML models, and how do you think about defending against them?\" Which answer best covers the full threat model?",
        ),
        (
            "poisoning-detect-prevent",
            "The interviewer asks: \"How do you detect and prevent data poisoning in a machine learning pipeline?\" Which answer demonstrates the deepest understanding?",
        ),
        (
            "model-stealing-controls",
            "The interviewer asks: \"What is model stealing, and what technical controls do you put in place to protect against it?\" Which answer best explains the attack and layered defences?",
        ),
        (
            "supply-chain-ml-sbom",
            "The interviewer asks: \"How do you apply software supply chain security principles to ML systems, and what does an ML SBOM look like?\" Which answer best covers the ML-specific dimensions?",
        ),
        (
            "communication-cto",
            "The interviewer asks: \"How do you communicate ML security risks to a CTO who has a strong software engineering background but limited ML background?\" Which answer best demonstrates effective technical communication?",
        ),
    ];
    let deck = deck();
    for (id, question) in seeds {
        let card = deck
            .cards
            .iter()
            .find(|c| c.id.as_str() == id)
            .unwrap_or_else(|| panic!("seed {id} missing"));
        let CardBody::Choice {
            question: q,
            answer,
            options,
            ..
        } = &card.body
        else {
            panic!("{id} is not a choice card")
        };
        assert_eq!(q, question, "{id}: the seed's question, verbatim");
        assert_eq!(KEYS[*answer], 'B', "{id}: the seed's correct answer is B");
        assert_eq!(options.len(), 4);
        let first_of_topic = deck
            .cards
            .iter()
            .find(|c| c.topic == card.topic)
            .map(|c| c.id.as_str());
        assert_eq!(
            first_of_topic,
            Some(id),
            "the seed opens its topic, so it is studied first"
        );
    }
}

#[path = "content/guessers.rs"]
mod guessers;

/// A candidate who picks by form alone (the longest option, the one listing the most
/// things, the most specific one, …) must score near chance (issue 11).
#[test]
fn blind_guessers_score_near_chance() {
    let deck = deck();
    let items: Vec<guessers::Item<'_>> = deck
        .cards
        .iter()
        .filter_map(|c| match &c.body {
            CardBody::Choice {
                question,
                options,
                answer,
                ..
            } => Some(guessers::Item {
                id: c.id.as_str(),
                question,
                options: options.iter().map(|o| o.text.as_str()).collect(),
                key: *answer,
            }),
            CardBody::Recall { .. } => None,
        })
        .collect();
    println!(
        "blind guessers over {} choice cards (chance 0.25):",
        items.len()
    );
    let mut over = Vec::new();
    for (name, rule, _) in guessers::RULES {
        let score = guessers::score(&items, *rule);
        println!("  {score:.2}  {name}");
        if score > guessers::MAX_SCORE {
            over.push(format!(
                "{name} picks the key in {score:.2} of cards (max {}); it alone picks the key of: {}",
                guessers::MAX_SCORE,
                guessers::giveaways(&items, *rule).join(", ")
            ));
        }
    }
    assert!(over.is_empty(), "{}", over.join("\n"));
}
