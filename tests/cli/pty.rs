//! The real interactive prompts, driven through a pseudo-terminal.

use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{Expect, Session};

use crate::env::TestEnv;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

pub fn spawn(env: &TestEnv, args: &[&str]) -> OsSession {
    let mut cmd = env.cmd(args);
    cmd.env("TERM", "xterm-256color").env("LANG", "C.UTF-8");
    let mut session = Session::spawn(cmd).expect("spawn in a pty");
    session
        .get_process_mut()
        .set_window_size(100, 40)
        .expect("window size");
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session
}

#[test]
fn answering_a_question_in_the_terminal() {
    let env = TestEnv::new();
    let mut p = spawn(&env, &["study", "--no-shuffle", "--limit", "2"]);
    p.expect("Question 1 / 2").unwrap();
    p.expect("The interviewer asks: \"What are the main categories of adversarial attacks")
        .unwrap();
    p.expect("I don't know").unwrap();
    // The seed's answer is B, one step down from A.
    p.send(DOWN).unwrap();
    p.send(ENTER).unwrap();
    p.expect("✔ Right: B").unwrap();
    p.expect("Next review tomorrow (2026-03-02)").unwrap();
    p.expect("Press Enter to continue").unwrap();
    p.send(ENTER).unwrap();
    p.expect("Question 2 / 2").unwrap();
    // "I don't know" is the last entry: up from A wraps to it.
    p.send("\x1b[A").unwrap();
    p.send(ENTER).unwrap();
    p.expect("The best answer is").unwrap();
    p.expect("Structure your answer:").unwrap();
    p.expect("1. Classify the attack vector").unwrap();
    p.send("q").unwrap();
    p.expect("1 correct (50%)").unwrap();
    p.expect("1 card still to repeat today").unwrap();
    // The same command the dashboard names for a waiting repeat.
    p.expect("Next: run mlsec review.").unwrap();
    let status = p.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
    assert_eq!(env.scalar("SELECT count(*) FROM review"), 2);
    assert_eq!(env.scalar("SELECT sum(correct) FROM review"), 1);
}

#[test]
fn ctrl_c_keeps_answers_and_exits_130() {
    let env = TestEnv::new();
    let mut p = spawn(&env, &["study", "--no-shuffle"]);
    p.expect("Question 1 / 10").unwrap();
    p.send(ENTER).unwrap();
    p.expect("Press Enter to continue").unwrap();
    p.send(ENTER).unwrap();
    p.expect("Question 2 / ").unwrap();
    p.send("\x03").unwrap();
    p.expect("your answers are saved").unwrap();
    let status = p.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 130)), "{status:?}");
    assert_eq!(env.scalar("SELECT count(*) FROM review"), 1);
}

/// Stopping at the first question is a stop, not the end of the day's new cards.
#[test]
fn quitting_before_any_answer_says_nothing_was_answered() {
    let env = TestEnv::new();
    let mut p = spawn(&env, &["study", "--no-shuffle"]);
    p.expect("Question 1 / 10").unwrap();
    p.expect("Your answer").unwrap();
    p.send("q").unwrap();
    p.expect("Stopped. Nothing was answered.").unwrap();
    let status = p.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
    assert_eq!(env.scalar("SELECT count(*) FROM review"), 0);
}

/// Tick the first three of the fixture card's four rubric points.
fn tick_three_of_four(p: &mut OsSession) {
    p.expect("Tick the points you covered").unwrap();
    p.expect("4. Names the attack used").unwrap();
    for key in [" ", DOWN, " ", DOWN, " "] {
        p.send(key).unwrap();
    }
    p.send(ENTER).unwrap();
    p.expect("Covered 3 of 4 points").unwrap();
    p.expect("✘ 4. Names the attack used").unwrap();
}

#[test]
fn ticking_three_of_four_points_suggests_4_and_enter_accepts_it() {
    let env = crate::answers::with_deck();
    let mut p = spawn(
        &env,
        &["study", "--deck", "rubric", "--no-shuffle", "--limit", "1"],
    );
    p.expect("Question 1 / 1").unwrap();
    p.expect("press Enter to see a model answer").unwrap();
    p.send(ENTER).unwrap();
    p.expect("Model answer").unwrap();
    tick_three_of_four(&mut p);
    p.expect("Suggested grade 4: correct after a hesitation.")
        .unwrap();
    p.expect("Enter accepts it, 0–5 changes it").unwrap();
    p.send(ENTER).unwrap();
    p.expect("✔ Graded 4: correct after a hesitation · 3 of 4 points")
        .unwrap();
    p.expect("Press Enter to continue").unwrap();
    p.send(ENTER).unwrap();
    p.expect("1 answered · 1 correct").unwrap();
    let status = p.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
    assert_eq!(
        env.query::<String>("SELECT quality || ' ' || covered || ' ' || rubric_total FROM review"),
        ["4 [1,2,3] 4"]
    );
}

#[test]
fn one_key_overrides_the_suggested_grade() {
    let env = crate::answers::with_deck();
    let mut p = spawn(
        &env,
        &["study", "--deck", "rubric", "--no-shuffle", "--limit", "1"],
    );
    p.expect("press Enter to see a model answer").unwrap();
    p.send(ENTER).unwrap();
    tick_three_of_four(&mut p);
    p.expect("Suggested grade 4").unwrap();
    p.send("2").unwrap();
    p.expect("✘ Graded 2: incorrect, but the answer seemed easy once shown · 3 of 4 points, which suggested 4")
        .unwrap();
    p.expect("Back at the end of this session").unwrap();
    p.send("q").unwrap();
    p.expect("1 card still to repeat today").unwrap();
    let status = p.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
    assert_eq!(
        env.query::<String>("SELECT quality || ' ' || covered || ' ' || correct FROM review"),
        ["2 [1,2,3] 0"],
        "SM-2 receives the grade given; the points are kept"
    );
}

#[test]
fn a_typed_answer_is_shown_with_the_model_answer_and_kept() {
    let env = crate::answers::with_deck();
    let mut p = spawn(
        &env,
        &[
            "study",
            "--deck",
            "rubric",
            "--no-shuffle",
            "--limit",
            "1",
            "--type",
        ],
    );
    p.expect("Type your answer; an empty line or Ctrl-D ends it")
        .unwrap();
    p.send("The threat model").unwrap();
    p.expect("The threat model").unwrap();
    p.send(ENTER).unwrap();
    // A control character is kept as typed and shown harmless; Backspace takes back.
    p.send("and \x02 eps").unwrap();
    p.expect("and \u{fffd} eps").unwrap();
    p.send("\x7f\x7f\x7fε").unwrap();
    p.send(ENTER).unwrap();
    p.send(ENTER).unwrap();
    p.expect("Your answer").unwrap();
    p.expect("The threat model").unwrap();
    p.expect("and \u{fffd} ε").unwrap();
    p.expect("Model answer").unwrap();
    p.expect("State the threat model and ε").unwrap();
    tick_three_of_four(&mut p);
    p.send(ENTER).unwrap();
    p.expect("Graded 4").unwrap();
    p.send(ENTER).unwrap();
    let status = p.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
    assert_eq!(
        env.query::<String>("SELECT answer_text FROM review"),
        ["The threat model\nand \u{2} ε"]
    );
}

#[test]
fn ctrl_d_ends_a_typed_answer_and_ctrl_c_stops_the_session() {
    let env = crate::answers::with_deck();
    let mut p = spawn(
        &env,
        &["study", "--deck", "rubric", "--no-shuffle", "--type"],
    );
    p.expect("Type your answer").unwrap();
    p.send("clean and attacked accuracy").unwrap();
    p.expect("attacked accuracy").unwrap();
    p.send("\x04").unwrap();
    p.expect("Your answer").unwrap();
    tick_three_of_four(&mut p);
    p.send("5").unwrap();
    p.expect("Graded 5").unwrap();
    p.send(ENTER).unwrap();
    p.expect("Question 2 / 3").unwrap();
    p.expect("I don't know").unwrap();
    p.send(DOWN).unwrap();
    p.send(ENTER).unwrap();
    p.expect("Press Enter to continue").unwrap();
    p.send(ENTER).unwrap();
    p.expect("Question 3 / 3").unwrap();
    p.expect("Type your answer").unwrap();
    p.send("half an ans").unwrap();
    p.expect("half an ans").unwrap();
    p.send("\x03").unwrap();
    p.expect("Stopped; your answers are saved · 2 answered")
        .unwrap();
    let status = p.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 130)), "{status:?}");
    assert_eq!(
        env.query::<Option<String>>("SELECT answer_text FROM review ORDER BY id"),
        [Some("clean and attacked accuracy".to_string()), None]
    );
}

#[test]
fn a_mock_recall_question_typed_and_ticked_shows_both_in_the_report() {
    let env = crate::answers::with_deck();
    let mut p = spawn(
        &env,
        &[
            "mock",
            "--deck",
            "rubric",
            "--tag",
            "quantify",
            "--count",
            "1",
            "--no-structure",
            "--time-limit",
            "0",
            "--type",
        ],
    );
    p.expect("Mock question 1 / 1").unwrap();
    p.expect("Type your answer").unwrap();
    p.send("threat model, eps, both accuracies").unwrap();
    p.expect("both accuracies").unwrap();
    p.send(ENTER).unwrap();
    p.send(ENTER).unwrap();
    p.expect("Model answer").unwrap();
    tick_three_of_four(&mut p);
    p.expect("Suggested grade 4").unwrap();
    p.send(ENTER).unwrap();
    p.expect("You graded 4 · 3 of 4 points").unwrap();
    p.expect("Press Enter for the report").unwrap();
    p.send(ENTER).unwrap();
    p.expect("Mock interview done · 1 / 1 right").unwrap();
    p.expect("you graded 4 · model answer: State the threat model")
        .unwrap();
    p.expect("your answer: threat model, eps, both accuracies")
        .unwrap();
    p.expect("missed: 4. Names the attack used to measure it")
        .unwrap();
    let status = p.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
    assert_eq!(
        env.query::<String>("SELECT covered || ' ' || answer_text FROM review"),
        ["[1,2,3] threat model, eps, both accuracies"]
    );
}
