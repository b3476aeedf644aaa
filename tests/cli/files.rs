//! Damaged and foreign database files are refused with one clear line and left exactly
//! as they were; databases of every released schema open with their history intact.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rusqlite::types::ValueRef;
use serde_json::{Value, json};

use crate::crash::check_database;
use crate::env::{TestEnv, events, of};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// The user tests run as when they run as root, which ignores permission bits.
const NOBODY: u32 = 65534;

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// Everything under `dir`: names, kinds, modes and the bytes of regular files.
fn fingerprint(dir: &Path) -> Vec<(String, u32, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let name = path.display().to_string();
        if meta.is_dir() {
            out.push((name, meta.mode(), None));
            out.extend(fingerprint(&path));
        } else if meta.is_file() {
            out.push((name, meta.mode(), Some(std::fs::read(&path).unwrap())));
        } else {
            out.push((name, meta.mode(), None)); // a FIFO: reading it would block
        }
    }
    out
}

fn copy_fixture(to: &Path) {
    std::fs::copy(format!("{FIXTURES}/schema-1.db"), to).unwrap();
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

struct Damage {
    what: &'static str,
    /// Prepare the case in its directory; returns the `--db` path.
    make: fn(&Path) -> PathBuf,
    /// Run as an ordinary user (matters when the tests run as root).
    unprivileged: bool,
    /// What the one line must say, besides the file's name.
    says: &'static str,
}

fn damages() -> Vec<Damage> {
    vec![
        Damage {
            what: "a text file",
            make: |dir| {
                let db = dir.join("notes.txt");
                std::fs::write(&db, "my interview notes\n".repeat(300)).unwrap();
                db
            },
            unprivileged: false,
            says: "is not an mlsec database (not SQLite, or encrypted); choose another file with --db",
        },
        Damage {
            what: "random bytes",
            make: |dir| {
                let db = dir.join("random.db");
                let mut rng = mlsec::rng::Rng::new(7);
                let bytes: Vec<u8> = (0..16384).map(|_| rng.next_u64() as u8).collect();
                std::fs::write(&db, bytes).unwrap();
                db
            },
            unprivileged: false,
            says: "is not an mlsec database",
        },
        Damage {
            what: "a database cut in half",
            make: |dir| {
                let db = dir.join("half.db");
                copy_fixture(&db);
                let len = std::fs::metadata(&db).unwrap().len();
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&db)
                    .unwrap()
                    .set_len(len / 2)
                    .unwrap();
                db
            },
            unprivileged: false,
            says: "is damaged (SQLite reports a malformed database); restore it from a backup, or move it aside to start afresh",
        },
        Damage {
            what: "a database cut inside its header",
            make: |dir| {
                let db = dir.join("header.db");
                copy_fixture(&db);
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&db)
                    .unwrap()
                    .set_len(50)
                    .unwrap();
                db
            },
            unprivileged: false,
            says: "is damaged",
        },
        Damage {
            what: "another program's SQLite database",
            make: |dir| {
                let db = dir.join("places.sqlite");
                rusqlite::Connection::open(&db)
                    .unwrap()
                    .execute_batch(
                        "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);
                         INSERT INTO moz_places (url) VALUES ('https://example.org');",
                    )
                    .unwrap();
                db
            },
            unprivileged: false,
            says: "is an SQLite database of another program, not mlsec's; leave it alone and choose another file with --db",
        },
        Damage {
            what: "a database of a newer mlsec",
            make: |dir| {
                let db = dir.join("newer.db");
                copy_fixture(&db);
                rusqlite::Connection::open(&db)
                    .unwrap()
                    .pragma_update(None, "user_version", 99)
                    .unwrap();
                db
            },
            unprivileged: false,
            says: "was written by a newer mlsec (schema version 99, this mlsec knows up to",
        },
        Damage {
            what: "a read-only database",
            make: |dir| {
                let db = dir.join("mlsec.db");
                copy_fixture(&db);
                set_mode(&db, 0o400);
                db
            },
            unprivileged: true,
            says: "is read-only; make it writable (chmod u+w) or copy it and pass the copy with --db",
        },
        Damage {
            what: "a read-only database, even for root",
            make: |dir| {
                let db = dir.join("mlsec.db");
                copy_fixture(&db);
                set_mode(&db, 0o444);
                db
            },
            unprivileged: false,
            says: "is read-only; make it writable (chmod u+w)",
        },
        Damage {
            what: "a database in a read-only directory",
            make: |dir| {
                let sub = dir.join("locked");
                std::fs::create_dir(&sub).unwrap();
                let db = sub.join("mlsec.db");
                copy_fixture(&db);
                db
            },
            unprivileged: true,
            says: "cannot be written (read-only file or directory); fix its permissions or choose another file with --db",
        },
        Damage {
            what: "a new database in a read-only directory",
            make: |dir| {
                let sub = dir.join("locked");
                std::fs::create_dir(&sub).unwrap();
                sub.join("mlsec.db")
            },
            unprivileged: true,
            says: "cannot create the database: Permission denied (os error 13); choose a writable location with --db",
        },
        Damage {
            what: "a database in a directory that does not exist",
            make: |dir| dir.join("typo").join("mlsec.db"),
            unprivileged: false,
            says: "typo does not exist; create it or choose another --db",
        },
        Damage {
            what: "a directory",
            make: |dir| {
                let sub = dir.join("data");
                std::fs::create_dir(&sub).unwrap();
                sub
            },
            unprivileged: false,
            says: "is a directory; give --db a file path",
        },
        Damage {
            what: "a named pipe",
            make: |dir| {
                let fifo = dir.join("fifo");
                assert!(
                    Command::new("mkfifo")
                        .arg(&fifo)
                        .status()
                        .unwrap()
                        .success()
                );
                fifo
            },
            unprivileged: false,
            says: "is not a regular file (a device, pipe or socket); give --db a file path",
        },
    ]
}

#[test]
fn damaged_and_foreign_files_get_one_clear_line_and_stay_untouched() {
    let env = TestEnv::new();
    let root = running_as_root();
    let top = env.db.parent().unwrap().to_path_buf();
    if root {
        set_mode(&top, 0o711); // let the unprivileged user reach its case directories
    }
    // The build directory may be private (a clone in a 0700 home): the unprivileged
    // cases run a copy of the binary that the other user can reach.
    let unprivileged_bin = if root { nobody_can_run(&top) } else { None };
    for (i, damage) in damages().iter().enumerate() {
        let dir = top.join(format!("case-{i}"));
        std::fs::create_dir(&dir).unwrap();
        if damage.unprivileged && root && unprivileged_bin.is_none() {
            continue;
        }
        let db = (damage.make)(&dir);
        if damage.unprivileged {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if root {
                    std::os::unix::fs::chown(&path, Some(NOBODY), Some(NOBODY)).unwrap();
                }
                // A read-only directory (the cases that make one call it "locked").
                if path.ends_with("locked") {
                    for inner in std::fs::read_dir(&path).unwrap() {
                        let inner = inner.unwrap().path();
                        if root {
                            std::os::unix::fs::chown(&inner, Some(NOBODY), Some(NOBODY)).unwrap();
                        }
                    }
                    set_mode(&path, 0o555);
                }
            }
            if root {
                std::os::unix::fs::chown(&dir, Some(NOBODY), Some(NOBODY)).unwrap();
            }
        }
        let before = fingerprint(&dir);
        for args in [&["--json"][..], &["study", "--json"]] {
            let mut cmd = env.cmd(args);
            if let (true, Some(bin)) = (damage.unprivileged, &unprivileged_bin) {
                use std::os::unix::process::CommandExt;
                cmd = env.cmd_of(bin, args);
                cmd.uid(NOBODY).gid(NOBODY);
            }
            cmd.env("MLSEC_DB", &db).stdin(Stdio::null());
            let out = cmd.output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let what = format!("{} ({args:?})", damage.what);
            assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
            assert!(out.stdout.is_empty(), "{what}: nothing on stdout");
            assert_eq!(stderr.lines().count(), 1, "{what}: one line: {stderr}");
            assert!(
                stderr.starts_with(&format!("mlsec: error: {}", db.display())),
                "{what}: names the file: {stderr}"
            );
            assert!(stderr.contains(damage.says), "{what}: {stderr}");
        }
        assert_eq!(
            fingerprint(&dir),
            before,
            "{}: the file (and its directory) changed",
            damage.what
        );
        let locked = dir.join("locked");
        if locked.exists() {
            set_mode(&locked, 0o755); // so that the temporary directory can be removed
        }
    }
}

/// A copy of the binary in `dir` that the unprivileged user can run, or `None` (with
/// the reason printed) when no such copy can be made, e.g. when the temporary
/// directory itself lies in a private directory.
fn nobody_can_run(dir: &Path) -> Option<PathBuf> {
    use std::os::unix::process::CommandExt;
    let bin = dir.join("mlsec-for-nobody");
    std::fs::copy(crate::env::BIN, &bin).unwrap();
    set_mode(&bin, 0o755);
    let ran = Command::new(&bin)
        .arg("--version")
        .uid(NOBODY)
        .gid(NOBODY)
        .output();
    match ran {
        Ok(out) if out.status.success() => Some(bin),
        other => {
            eprintln!(
                "skipping the unprivileged cases: user {NOBODY} cannot run {} ({other:?})",
                bin.display()
            );
            None
        }
    }
}

/// Rows of `sql` as JSON arrays, the shape of the fixture's expected file.
fn rows(conn: &rusqlite::Connection, sql: &str) -> Value {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    let rows: Vec<Value> = stmt
        .query_map([], |r| {
            Ok(Value::Array(
                (0..n)
                    .map(|i| match r.get_ref(i).unwrap() {
                        ValueRef::Null => Value::Null,
                        ValueRef::Integer(v) => json!(v),
                        ValueRef::Real(v) => json!(v),
                        ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                        ValueRef::Blob(_) => json!("<blob>"),
                    })
                    .collect(),
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    Value::Array(rows)
}

/// The history the fixture script recorded, read with today's schema.
fn history(db: &Path) -> Value {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let card = "c.deck_id || '/' || c.slug";
    json!({
        "decks": rows(&conn, "SELECT id, name, source FROM deck ORDER BY id"),
        "sessions": rows(&conn, "SELECT id, kind, started_at, study_day, ended_at FROM session ORDER BY id"),
        "reviews": rows(&conn, &format!(
            "SELECT r.id, {card}, r.session_id, r.reviewed_at, r.study_day, r.repeat, r.chosen,
                    r.correct, r.quality, r.elapsed_ms, r.repetitions, r.ef, r.interval, r.due
             FROM review r JOIN card c ON c.id = r.card_id ORDER BY r.id")),
        "schedule": rows(&conn, &format!(
            "SELECT {card}, s.repetitions, s.ef, s.interval, s.due, s.lapses, s.introduced
             FROM schedule s JOIN card c ON c.id = s.card_id ORDER BY c.deck_id, c.slug")),
        "retired": rows(&conn, &format!("SELECT {card} FROM card c WHERE c.retired = 1 ORDER BY 1"))
            .as_array().unwrap().iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
        "over_time": rows(&conn, "SELECT id FROM review WHERE over_time = 1 ORDER BY id")
            .as_array().unwrap().iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
        "mocks": rows(&conn, "SELECT session_id, planned, seed, weighting, time_limit, structure
                              FROM mock ORDER BY session_id"),
        "classify": rows(&conn, &format!(
            "SELECT k.id, k.session_id, {card}, k.answered_at, k.study_day, k.expected, k.chosen,
                    k.correct, k.over_time, k.elapsed_ms
             FROM classify k JOIN card c ON c.id = k.card_id ORDER BY k.id")),
        "rubric": rows(&conn,
            "SELECT id, covered, rubric_total, answer_text FROM review
             WHERE covered IS NOT NULL OR answer_text IS NOT NULL ORDER BY id"),
        "plan": rows(&conn, "SELECT interview, deck, topics, tags, set_at FROM plan"),
        "final_pass": rows(&conn,
            "SELECT id, final_pass_for FROM review WHERE final_pass_for IS NOT NULL ORDER BY id"),
    })
}

/// Each released schema has a database in tests/fixtures, written by the mlsec that
/// introduced it (tests/fixtures/make-schema-N.py). Today's mlsec opens it, migrates
/// it, and every session, review and schedule in it is still there.
#[test]
fn a_schema_1_database_opens_with_its_history_intact() {
    opens_with_its_history_intact(1);
}

/// Schema 4 (the first release with mock interviews, the classify drill and the stats
/// indexes), so mock settings, classify answers and over-time flags survive too.
#[test]
fn a_schema_4_database_opens_with_its_history_intact() {
    opens_with_its_history_intact(4);
}

/// Schema 6 (rubric checklists and answers in words), so the points covered, the rubric
/// sizes and the typed text survive too.
#[test]
fn a_schema_6_database_opens_with_its_history_intact() {
    opens_with_its_history_intact(6);
}

/// Schema 7 (an interview plan and its final pass), so the plan and the final-pass
/// answers survive too.
#[test]
fn a_schema_7_database_opens_with_its_history_intact() {
    opens_with_its_history_intact(7);
}

fn opens_with_its_history_intact(schema: u32) {
    let mut env = TestEnv::new();
    std::fs::copy(format!("{FIXTURES}/schema-{schema}.db"), &env.db).unwrap();
    set_mode(&env.db, 0o600);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{FIXTURES}/schema-{schema}.expected.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(expected["user_version"], schema);
    let fixture = format!("the schema {schema} fixture");

    env.at("2026-03-09T12:00:00Z");
    let dashboard = env.json(&[]);
    let mut shown = vec!["today", "streak", "longest_streak", "last_session"];
    if schema >= 7 {
        shown.push("plan");
    }
    for key in shown {
        assert_eq!(
            dashboard[key], expected["dashboard"][key],
            "dashboard {key}"
        );
    }
    assert_eq!(
        env.scalar("PRAGMA user_version"),
        mlsec::store::LATEST_VERSION
    );

    let now = history(&env.db);
    let mut keys = vec!["decks", "sessions", "reviews", "schedule", "retired"];
    if schema >= 2 {
        keys.extend(["over_time", "mocks", "classify"]);
        assert!(
            !expected["mocks"].as_array().unwrap().is_empty()
                && !expected["classify"].as_array().unwrap().is_empty()
                && !expected["over_time"].as_array().unwrap().is_empty(),
            "the fixture holds mocks, classify answers and over-time answers"
        );
    }
    if schema >= 6 {
        keys.push("rubric");
        assert!(
            expected["rubric"].as_array().unwrap().len() >= 5,
            "the fixture holds checklist answers and answers with words"
        );
    }
    if schema >= 7 {
        keys.extend(["plan", "final_pass"]);
        assert!(
            !expected["plan"].as_array().unwrap().is_empty()
                && !expected["final_pass"].as_array().unwrap().is_empty(),
            "the fixture holds a plan and final-pass answers"
        );
    }
    for key in keys {
        assert_eq!(
            now[key], expected[key],
            "{fixture}: {key} changed on opening"
        );
    }
    check_database(&env, &fixture);

    // And it is a working database: today's reviews can be answered, and the card the
    // deck dropped (retired, history kept) is never asked.
    let events = env.play(&["review", "--no-shuffle"], |q| {
        match (q["repeat"] == true, q["kind"] == "recall") {
            (true, _) => "quit", // the same-day repeats can wait
            (false, true) => "4",
            (false, false) => "?",
        }
        .to_string()
    });
    let questions = of(&events, "question");
    assert!(!questions.is_empty(), "cards were due on 2026-03-09");
    assert!(questions.iter().all(|q| q["card"] != "fixture/to-retire"));
    let studied = events_of(&env, &["study", "--deck", "fixture", "--new", "10"]);
    assert!(
        of(&studied, "question")
            .iter()
            .all(|q| q["card"] != "fixture/to-retire")
    );
    check_database(&env, &format!("{fixture} after a review"));
    let after = history(&env.db);
    assert_eq!(
        after["reviews"].as_array().unwrap()[..expected["reviews"].as_array().unwrap().len()],
        expected["reviews"].as_array().unwrap()[..],
        "old reviews kept as they were"
    );
}

fn events_of(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let mut all = args.to_vec();
    all.push("--json");
    events(&env.run(&all, "quit\n").stdout)
}
