//! `mlsec import`: atomic, in place, with file:line errors.

use crate::env::TestEnv;
use crate::store::checksum;

const DECK: &str = r#"[deck]
id = "mine"
name = "My deck"

[[topic]]
id = "privacy"
name = "Privacy"

[[card]]
id = "dp"
kind = "choice"
topic = "privacy"
question = "What does DP-SGD clip?"
answer = "A"
explanation = "Per-example clipping bounds each example's influence."
[[card.option]]
text = "Each example's gradient"
why = "Right."
[[card.option]]
text = "The batch gradient"
why = "That bounds nothing per example."

[[card]]
id = "mia"
kind = "recall"
topic = "privacy"
prompt = "How do you report membership inference?"
answer = "TPR at low FPR."
rubric = ["TPR at a low FPR", "not average accuracy"]
"#;

#[test]
fn import_adds_then_updates_in_place_keeping_history() {
    let env = TestEnv::new();
    let file = env.file("mine.toml", DECK);
    let path = file.to_str().unwrap();
    let first = env.json(&["import", path]);
    assert_eq!(
        (
            first["deck"].as_str(),
            first["added"].as_u64(),
            first["updated"].as_u64(),
            first["unchanged"].as_u64()
        ),
        (Some("mine"), Some(2), Some(0), Some(0))
    );
    // Study the deck's choice card, then reword it and re-import.
    env.play(
        &["study", "--deck", "mine", "--no-shuffle", "--limit", "1"],
        |_| "A".into(),
    );
    let edited = env.file(
        "mine.toml",
        &DECK.replace("What does DP-SGD clip?", "In DP-SGD, what is clipped?"),
    );
    let second = env.json(&["import", edited.to_str().unwrap()]);
    assert_eq!(
        (second["updated"].as_u64(), second["unchanged"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        env.scalar(
            "SELECT count(*) FROM schedule s JOIN card c ON c.id = s.card_id WHERE c.slug = 'dp'"
        ),
        1
    );
    let third = env.json(&["import", edited.to_str().unwrap()]);
    assert_eq!(
        (third["updated"].as_u64(), third["unchanged"].as_u64()),
        (Some(0), Some(2))
    );
}

#[test]
fn a_file_with_an_error_imports_nothing_and_names_file_line() {
    let env = TestEnv::new();
    env.ok(&[]);
    let before = checksum(&env);
    let broken = DECK
        .replace("answer = \"A\"", "answer = \"C\"")
        .replace("topic = \"privacy\"\nprompt", "topic = \"nope\"\nprompt");
    let file = env.file("broken.toml", &broken);
    let err = env.fails(&["import", file.to_str().unwrap()], 1);
    let name = file.display().to_string();
    assert!(
        err.contains(&format!(
            "{name}:14:10: answer \"C\" is not one of the options"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:26:9: unknown topic \"nope\"")),
        "{err}"
    );
    assert!(
        err.trim_end()
            .ends_with("2 problems found; nothing was imported"),
        "{err}"
    );
    assert_eq!(checksum(&env), before, "the store is unchanged");
}

#[test]
fn dry_run_validates_without_writing() {
    let env = TestEnv::new();
    let file = env.file("mine.toml", DECK);
    let out = env.ok(&["import", "--dry-run", file.to_str().unwrap()]);
    assert!(
        out.contains("2 added") && out.contains("nothing was written"),
        "{out}"
    );
    assert_eq!(
        env.scalar("SELECT count(*) FROM card WHERE deck_id = 'mine'"),
        0
    );
}

#[test]
fn the_built_in_deck_passes_its_own_dry_run() {
    let env = TestEnv::new();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/content/ml-security.toml");
    let report = env.json(&["import", "--dry-run", path]);
    assert_eq!(report["deck"], "ml-security");
    assert_eq!(report["added"], 0, "already loaded from the binary");
    assert_eq!(report["updated"], 0, "the embedded deck is this file");
    assert_eq!(report["dry_run"], true);
}
