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
