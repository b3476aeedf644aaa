//! `TestEnv`: a temporary database, a pinned clock and helpers to run the real binary.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_mlsec");

pub struct TestEnv {
    // Owns the directory: dropped (and deleted) with the env, not before.
    dir: TempDir,
    pub db: PathBuf,
    pub now: String,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("mlsec.db");
        TestEnv {
            dir,
            db,
            now: "2026-03-01T09:30:00Z".to_string(),
        }
    }

    /// Move the clock.
    pub fn at(&mut self, now: &str) -> &mut Self {
        self.now = now.to_string();
        self
    }

    /// A command for the binary with this env's database and clock, no colour, UTC,
    /// and none of the developer's own MLSEC_* or RUST_BACKTRACE settings.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_of(std::path::Path::new(BIN), args)
    }

    /// [`TestEnv::cmd`] for another copy of the binary (see `files.rs`: a copy that
    /// another user can run when the build directory is private).
    pub fn cmd_of(&self, bin: &std::path::Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("MLSEC_") {
                cmd.env_remove(key);
            }
        }
        cmd.args(args)
            .env("MLSEC_DB", &self.db)
            .env("MLSEC_NOW", &self.now)
            .env("NO_COLOR", "1")
            .env("TZ", "UTC")
            .env_remove("RUST_BACKTRACE")
            .env_remove("MLSEC_DAY_STARTS_AT");
        cmd
    }

    /// Run with `stdin` piped in.
    #[track_caller]
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn mlsec");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait for mlsec")
    }

    /// Run and expect success; returns stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, "");
        assert!(
            out.status.success(),
            "mlsec {args:?} failed with {:?}\nstderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Run and expect failure with `code`; returns stderr.
    #[track_caller]
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args, "");
        assert_eq!(
            out.status.code(),
            Some(code),
            "mlsec {args:?}: stdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// One JSON document from a non-session command.
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
    }

    /// A scripted session: `answers` one per line; returns the events.
    #[track_caller]
    pub fn session(&self, args: &[&str], answers: &[&str]) -> Vec<Value> {
        let mut all = args.to_vec();
        all.push("--json");
        let mut input = answers.join("\n");
        input.push('\n');
        let out = self.run(&all, &input);
        assert!(
            out.status.success(),
            "session {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        events(&out.stdout)
    }

    /// A read-only query on the database.
    pub fn query<T: rusqlite::types::FromSql>(&self, sql: &str) -> Vec<T> {
        let conn = rusqlite::Connection::open_with_flags(
            &self.db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open db");
        let mut stmt = conn.prepare(sql).expect("prepare");
        stmt.query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    pub fn scalar(&self, sql: &str) -> i64 {
        self.query::<i64>(sql)[0]
    }

    /// Write a file into the env's directory.
    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write fixture");
        path
    }
}

pub fn events(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

/// The events named `name`.
pub fn of<'a>(events: &'a [Value], name: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["event"] == name).collect()
}

/// A session driven as a coprocess: read an event, write an answer.
pub struct Driver {
    pub child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    pub events: Vec<Value>,
}

impl Driver {
    /// The next event, or `None` at end of output.
    pub fn next(&mut self) -> Option<Value> {
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => {
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
                self.events.push(v.clone());
                Some(v)
            }
        }
    }

    pub fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("write answer");
        stdin.flush().expect("flush answer");
    }

    /// Close stdin (end of input = quit), read what is left and wait.
    pub fn finish(mut self) -> (ExitStatus, Vec<Value>) {
        drop(self.stdin.take());
        while self.next().is_some() {}
        let status = self.child.wait().expect("wait");
        (status, self.events)
    }
}

impl TestEnv {
    pub fn drive(&self, args: &[&str]) -> Driver {
        let mut all = args.to_vec();
        all.push("--json");
        let mut child = self
            .cmd(&all)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn mlsec");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Driver {
            child,
            stdin,
            stdout,
            events: vec![],
        }
    }

    /// Play a whole session, answering each question with `answer(question)`.
    /// Returns every event; the last is the summary.
    #[track_caller]
    pub fn play(&self, args: &[&str], mut answer: impl FnMut(&Value) -> String) -> Vec<Value> {
        let mut d = self.drive(args);
        let mut asked = 0;
        while let Some(event) = d.next() {
            match event["event"].as_str() {
                Some("question") => {
                    asked += 1;
                    assert!(
                        asked < 1000,
                        "runaway session: {:?}",
                        &d.events[d.events.len().saturating_sub(4)..]
                    );
                    d.send(&answer(&event));
                }
                Some("summary") => break,
                _ => {}
            }
        }
        let (status, events) = d.finish();
        assert!(status.success(), "session {args:?} ended with {status}");
        events
    }
}

/// The key of the correct option of a card in file order (use with `--no-shuffle`),
/// e.g. `ml-security/adversarial-taxonomy` → `B`; a recall card gets a passing grade.
/// Cards of the built-in deck and of the test decks in tests/fixtures (`drill/…`).
pub fn right_key(card: &str) -> String {
    let (deck, slug) = card.split_once('/').unwrap_or(("ml-security", card));
    if deck != "ml-security" {
        return fixture_key(deck, slug);
    }
    let deck = mlsec::import::builtin::deck().expect("built-in deck");
    let found = deck
        .cards
        .iter()
        .find(|c| c.id.as_str() == slug)
        .expect("card in built-in deck");
    match &found.body {
        mlsec::deck::CardBody::Choice { answer, .. } => mlsec::deck::KEYS[*answer].to_string(),
        mlsec::deck::CardBody::Recall { .. } => "4".to_string(),
    }
}

/// A test deck's file in tests/fixtures.
pub fn fixture_deck(deck: &str) -> String {
    format!("{}/tests/fixtures/{deck}.toml", env!("CARGO_MANIFEST_DIR"))
}

fn fixture_key(deck: &str, slug: &str) -> String {
    let text = std::fs::read_to_string(fixture_deck(deck)).expect("a test deck");
    let parsed: toml::Table = toml::from_str(&text).expect("a TOML deck");
    let card = parsed["card"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"].as_str() == Some(slug))
        .expect("card in the test deck");
    card.get("answer")
        .filter(|_| card["kind"].as_str() == Some("choice"))
        .and_then(|a| a.as_str())
        .unwrap_or("4")
        .to_string()
}

/// The number of cards in the built-in deck.
pub fn builtin_cards() -> i64 {
    mlsec::import::builtin::deck()
        .expect("built-in deck")
        .cards
        .len() as i64
}

/// A wrong key (or a failing grade for a recall card), file order.
pub fn wrong_key(card: &str) -> String {
    match right_key(card).as_str() {
        "4" => "1".to_string(),
        "A" => "B".to_string(),
        _ => "A".to_string(),
    }
}
