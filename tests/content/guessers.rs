//! Blind guessers: test-taking rules that pick an option by its form alone, never
//! reading the subject. A bank whose keys these rules find far above chance teaches
//! test-wiseness instead of ML security (issue 11), so the content test runs them all
//! over the bank and fails when any of them beats [`MAX_SCORE`].
//!
//! A rule scores each card by the share of its picks that is the key (ties split the
//! credit, as a guesser choosing among them at random would), averaged over the bank.
//! Chance is 1/4 with four options.

/// The highest share of keys any blind rule may pick.
pub const MAX_SCORE: f64 = 0.40;

/// A choice card as the rules see it.
pub struct Item<'a> {
    pub id: &'a str,
    pub question: &'a str,
    pub options: Vec<&'a str>,
    pub key: usize,
}

const ABSOLUTE: &[&str] = &[
    "always",
    "never",
    "only",
    "all",
    "none",
    "every",
    "any",
    "must",
    "guarantee",
    "guarantees",
    "guaranteed",
    "complete",
    "completely",
    "entire",
    "entirely",
    "impossible",
    "cannot",
    "can't",
    "no",
    "nothing",
    "fully",
    "totally",
    "certain",
    "certainly",
    "prove",
    "proves",
    "proven",
    "solely",
    "alone",
    "whole",
    "everything",
    "sufficient",
];

const FRAMEWORK: &[&str] = &[
    "layer",
    "layered",
    "layers",
    "monitor",
    "monitors",
    "monitored",
    "monitoring",
    "quantify",
    "quantifies",
    "quantified",
    "measure",
    "measures",
    "measured",
    "measuring",
    "audit",
    "audits",
    "audited",
    "auditing",
    "governance",
    "govern",
    "governs",
    "governed",
    "risk",
    "risks",
    "log",
    "logs",
    "logged",
    "logging",
    "provenance",
    "policy",
    "policies",
    "review",
    "reviews",
    "reviewed",
    "control",
    "controls",
    "disclose",
    "disclosure",
    "compliance",
    "compliant",
    "incident",
    "incidents",
    "escalate",
    "escalation",
    "document",
    "documented",
    "documents",
    "documentation",
];

/// Two- and three-word framework phrases, counted once each.
const FRAMEWORK_PHRASES: &[&[&str]] = &[
    &["threat", "model"],
    &["threat", "models"],
    &["threat", "modelled"],
    &["threat", "modelling"],
    &["model", "card"],
    &["model", "cards"],
    &["least", "privilege"],
    &["red", "team"],
    &["red", "teams"],
    &["red", "teaming"],
    &["defence", "in", "depth"],
    &["defense", "in", "depth"],
];

const HEDGES: &[&str] = &[
    "may",
    "might",
    "can",
    "could",
    "usually",
    "often",
    "typically",
    "generally",
    "likely",
    "some",
    "most",
    "partly",
    "partially",
    "reduce",
    "reduces",
    "reduced",
    "help",
    "helps",
];

const NEGATIONS: &[&str] = &["not", "no", "never", "without", "nor"];

/// Words of an all-clear verdict ("the risk is closed", "that is enough").
const ALL_CLEAR: &[&str] = &[
    "accept",
    "accepts",
    "accepted",
    "acceptable",
    "close",
    "closes",
    "closed",
    "resolve",
    "resolves",
    "resolved",
    "safe",
    "done",
    "sufficient",
    "enough",
    "solve",
    "solves",
    "solved",
    "fine",
    "settled",
    "covered",
    "over",
];

const STOP: &[&str] = &[
    "the", "and", "for", "with", "that", "this", "these", "those", "from", "will", "would",
    "should", "could", "does", "what", "which", "when", "where", "have", "than", "then", "into",
    "over", "under", "more", "most", "less", "their", "there", "they", "them", "were", "been",
    "being", "such", "also", "each", "other", "about", "only", "just", "very", "your", "ours",
];

/// Words: runs of letters, digits and apostrophes (hyphens and other punctuation split).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .collect()
}

fn lower_words(text: &str) -> Vec<String> {
    words(text).iter().map(|w| w.to_lowercase()).collect()
}

fn count_in(text: &str, list: &[&str]) -> usize {
    lower_words(text)
        .iter()
        .filter(|w| list.contains(&w.as_str()))
        .count()
}

fn negations(text: &str) -> usize {
    count_in(text, NEGATIONS)
        + lower_words(text)
            .iter()
            .filter(|w| w.ends_with("n't"))
            .count()
}

fn all_clear(text: &str) -> usize {
    let w = lower_words(text);
    let phrases = w
        .windows(2)
        .filter(|p| {
            (p[0] == "no" && matches!(p[1].as_str(), "further" | "need" | "more"))
                || (p[0] == "nothing" && matches!(p[1].as_str(), "more" | "else"))
        })
        .count();
    count_in(text, ALL_CLEAR) + phrases
}

/// Sentences and clauses: `.`, `;` or `:` followed by a space or the end.
fn clause_breaks(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len())
        .filter(|&i| {
            matches!(chars[i], '.' | ';' | ':')
                && chars.get(i + 1).is_none_or(|c| c.is_whitespace())
        })
        .count()
}

fn mean_word_length(text: &str) -> f64 {
    let w: Vec<&str> = text.split_whitespace().collect();
    w.iter().map(|x| x.chars().count()).sum::<usize>() as f64 / w.len().max(1) as f64
}

fn framework_words(text: &str) -> usize {
    let w = lower_words(text);
    let phrases = FRAMEWORK_PHRASES
        .iter()
        .map(|p| {
            w.windows(p.len())
                .filter(|win| win.iter().eq(p.iter()))
                .count()
        })
        .sum::<usize>();
    count_in(text, FRAMEWORK) + phrases
}

/// Enumerations: commas, semicolons and "and".
fn list_items(text: &str) -> usize {
    text.matches([',', ';']).count() + lower_words(text).iter().filter(|w| *w == "and").count()
}

/// Numbers: runs of digits, with `.`, `,` or `/` between digits inside one (8/255, 1.5).
pub fn numbers(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut n = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            n += 1;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], '.' | ',' | '/')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    n
}

/// Capitalised words and acronyms that do not open a sentence (named techniques,
/// tools, papers, organisations). "I" is not a name.
fn names(text: &str) -> usize {
    let mut n = 0;
    let mut sentence_start = true;
    for w in text.split_whitespace() {
        for (j, word) in words(w).into_iter().enumerate() {
            let first = word.chars().next().unwrap_or(' ');
            let opens = sentence_start && j == 0;
            if first.is_alphabetic() && first.is_uppercase() && !opens && word != "I" {
                n += 1;
            }
        }
        sentence_start = w.ends_with(['.', '!', '?', ':']);
    }
    n
}

/// Citations: "et al.", a year in parentheses, CVE and GHSA ids, articles, sections.
pub fn citations(text: &str) -> usize {
    let lower = text.to_lowercase();
    let years_in_parens = text
        .match_indices('(')
        .filter(|(i, _)| {
            let rest = &text[i + 1..];
            rest.len() >= 5
                && rest[..4].chars().all(|c| c.is_ascii_digit())
                && rest[4..].starts_with(')')
        })
        .count();
    let w = words(text);
    let articles = w
        .windows(2)
        .filter(|p| {
            matches!(p[0], "Art" | "Article")
                && p[1].chars().next().is_some_and(|c| c.is_ascii_digit())
        })
        .count();
    lower.matches("et al").count()
        + years_in_parens
        + text.matches("CVE-").count()
        + text.matches("GHSA-").count()
        + text.matches('§').count()
        + articles
}

/// Version qualifiers: "as of", edition, version, v2, and years.
pub fn versions(text: &str) -> usize {
    let w = lower_words(text);
    let as_of = w
        .windows(2)
        .filter(|p| p[0] == "as" && p[1] == "of")
        .count();
    let tagged = w
        .iter()
        .filter(|x| {
            *x == "edition"
                || *x == "version"
                || (x.len() > 1 && x.starts_with('v') && x[1..].chars().all(|c| c.is_ascii_digit()))
                || (x.len() == 4
                    && (x.starts_with("19") || x.starts_with("20"))
                    && x.chars().all(|c| c.is_ascii_digit()))
        })
        .count();
    as_of + tagged
}

fn specific(text: &str) -> usize {
    numbers(text) + names(text) + citations(text) + versions(text)
}

fn content_words(text: &str) -> std::collections::BTreeSet<String> {
    lower_words(text)
        .into_iter()
        .filter(|w| w.chars().count() >= 4 && !STOP.contains(&w.as_str()))
        .collect()
}

/// The form features a guesser can see, each per option.
fn features(item: &Item<'_>) -> Vec<Vec<f64>> {
    let q = content_words(item.question);
    let per = |f: &dyn Fn(&str) -> f64| item.options.iter().map(|o| f(o)).collect::<Vec<f64>>();
    vec![
        per(&|o| o.chars().count() as f64),
        per(&|o| list_items(o) as f64),
        per(&|o| specific(o) as f64),
        per(&|o| count_in(o, ABSOLUTE) as f64),
        per(&|o| framework_words(o) as f64),
        per(&|o| count_in(o, HEDGES) as f64),
        per(&|o| negations(o) as f64),
        per(&|o| numbers(o) as f64),
        per(&|o| names(o) as f64),
        per(&|o| o.matches('(').count() as f64),
        per(&|o| clause_breaks(o) as f64),
        per(&|o| all_clear(o) as f64),
        per(&mean_word_length),
        per(&|o| content_words(o).intersection(&q).count() as f64),
    ]
}

/// For each option, on how many features it is its card's maximum or minimum. A key
/// written to be unremarkable on every count is as easy to spot as one that is always
/// the most detailed: "avoid the extremes" is a test-taking rule too.
fn extremes(item: &Item<'_>) -> Vec<f64> {
    let mut count = vec![0.0; item.options.len()];
    for values in features(item) {
        let max = values.iter().copied().fold(f64::MIN, f64::max);
        let min = values.iter().copied().fold(f64::MAX, f64::min);
        if max == min {
            continue;
        }
        for (i, v) in values.iter().enumerate() {
            if *v == max || *v == min {
                count[i] += 1.0;
            }
        }
    }
    count
}

fn argmax(values: &[f64]) -> Vec<usize> {
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    (0..values.len()).filter(|&i| values[i] == max).collect()
}

fn argmin(values: &[f64]) -> Vec<usize> {
    let neg: Vec<f64> = values.iter().map(|v| -v).collect();
    argmax(&neg)
}

fn per_option(item: &Item<'_>, f: impl Fn(&str) -> usize) -> Vec<f64> {
    item.options.iter().map(|o| f(o) as f64).collect()
}

/// A rule: its name, the options it picks for a card (several when tied), and whether
/// it votes in [`majority`] (the test-taking rules the issue names do; the rest are
/// further checks).
pub type Rule = (&'static str, fn(&Item<'_>) -> Vec<usize>, bool);

pub const RULES: &[Rule] = &[
    (
        "the longest option",
        |i| argmax(&per_option(i, |o| o.chars().count())),
        true,
    ),
    (
        "the second-longest option",
        |i| {
            let lens = per_option(i, |o| o.chars().count());
            let mut distinct = lens.clone();
            distinct.sort_by(|a, b| b.total_cmp(a));
            distinct.dedup();
            let second = distinct.get(1).or(distinct.first()).copied().unwrap_or(0.0);
            (0..lens.len()).filter(|&k| lens[k] == second).collect()
        },
        true,
    ),
    (
        "the option listing the most things",
        |i| argmax(&per_option(i, list_items)),
        true,
    ),
    (
        "the most specific option",
        |i| argmax(&per_option(i, specific)),
        true,
    ),
    (
        "the option with the fewest absolute words",
        |i| argmin(&per_option(i, |o| count_in(o, ABSOLUTE))),
        true,
    ),
    (
        "the option with the most framework words",
        |i| argmax(&per_option(i, framework_words)),
        true,
    ),
    (
        "the option sharing the most words with the question",
        |i| {
            let q = content_words(i.question);
            argmax(&per_option(i, |o| {
                content_words(o).intersection(&q).count()
            }))
        },
        true,
    ),
    (
        "the shortest option",
        |i| argmin(&per_option(i, |o| o.chars().count())),
        false,
    ),
    (
        "the option most like the others",
        |i| {
            let sets: Vec<_> = i.options.iter().map(|o| content_words(o)).collect();
            let shared: Vec<f64> = (0..sets.len())
                .map(|a| {
                    (0..sets.len())
                        .filter(|&b| b != a)
                        .map(|b| sets[a].intersection(&sets[b]).count())
                        .sum::<usize>() as f64
                })
                .collect();
            argmax(&shared)
        },
        false,
    ),
    (
        "the option listing the fewest things",
        |i| argmin(&per_option(i, list_items)),
        false,
    ),
    (
        "the least specific option",
        |i| argmin(&per_option(i, specific)),
        false,
    ),
    (
        "the option with the most clause breaks",
        |i| argmax(&per_option(i, clause_breaks)),
        false,
    ),
    (
        "the option with the fewest all-clear words",
        |i| argmin(&per_option(i, all_clear)),
        false,
    ),
    (
        "the option with the most hedges",
        |i| argmax(&per_option(i, |o| count_in(o, HEDGES))),
        false,
    ),
    (
        "the option with the fewest negations",
        |i| argmin(&per_option(i, negations)),
        false,
    ),
    (
        "the most ordinary option (extreme on the fewest counts)",
        |i| argmin(&extremes(i)),
        false,
    ),
    (
        "the most extreme option (on the most counts)",
        |i| argmax(&extremes(i)),
        false,
    ),
    ("a majority vote of the test-taking rules", majority, false),
];

/// The options most rules pick (each rule's vote split among its ties).
pub fn majority(item: &Item<'_>) -> Vec<usize> {
    let mut votes = vec![0.0; item.options.len()];
    for (_, rule, _) in RULES.iter().filter(|r| r.2) {
        let picks = rule(item);
        for &p in &picks {
            votes[p] += 1.0 / picks.len() as f64;
        }
    }
    let rounded: Vec<f64> = votes.iter().map(|v| (v * 1e6).round()).collect();
    argmax(&rounded)
}

/// The share of the key in a rule's picks.
pub fn credit(picks: &[usize], key: usize) -> f64 {
    if picks.contains(&key) {
        1.0 / picks.len() as f64
    } else {
        0.0
    }
}

/// A rule's score over the bank: the share of keys it picks.
pub fn score(items: &[Item<'_>], rule: fn(&Item<'_>) -> Vec<usize>) -> f64 {
    items.iter().map(|i| credit(&rule(i), i.key)).sum::<f64>() / items.len().max(1) as f64
}

/// The cards a rule picks alone and rightly: where to look when its score is high.
pub fn giveaways<'a>(items: &[Item<'a>], rule: fn(&Item<'_>) -> Vec<usize>) -> Vec<&'a str> {
    items
        .iter()
        .filter(|i| rule(i) == [i.key])
        .map(|i| i.id)
        .collect()
}
