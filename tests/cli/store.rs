//! The store's promises: answers survive SIGKILL, foreign and newer files are refused
//! untouched, the file is private.

use std::time::Duration;

use crate::env::{TestEnv, right_key};

/// A byte-for-byte fingerprint of the database and its WAL, to prove nothing wrote.
pub fn checksum(env: &TestEnv) -> Vec<(String, Option<Vec<u8>>)> {
    ["", "-wal"]
        .iter()
        .map(|suffix| {
            let path = format!("{}{suffix}", env.db.display());
            (path.clone(), std::fs::read(&path).ok())
        })
        .collect()
}

/// Kill a scripted session with SIGKILL at a pseudo-random moment after `answers`
/// acknowledged answers; return the acknowledged (card, quality) pairs.
fn kill_mid_session(env: &TestEnv, answers: usize, seed: u64) -> usize {
    let mut d = env.drive(&["study", "--no-shuffle", "--new", "100"]);
    let mut acknowledged = 0;
    while let Some(event) = d.next() {
        match event["event"].as_str() {
            Some("question") => {
                if acknowledged == answers {
                    // Send the next answer, then kill at once or after a short, varying
                    // pause: the kill lands before, during or after that commit.
                    d.send(&right_key(event["card"].as_str().unwrap()));
                    std::thread::sleep(Duration::from_micros(seed % 3 * 700));
                    break;
                }
                d.send(&right_key(event["card"].as_str().unwrap()));
            }
            Some("answer") => acknowledged += 1,
            _ => {}
        }
    }
    d.child.kill().expect("SIGKILL");
    d.child.wait().expect("reap");
    acknowledged
}

#[test]
fn sigkill_mid_session_keeps_every_acknowledged_answer() {
    let env = TestEnv::new();
    env.ok(&[]);
    let mut total_acknowledged = 0i64;
    for round in 0..6u64 {
        let before = env.scalar("SELECT count(*) FROM review").max(0);
        let acked = kill_mid_session(&env, 1 + (round as usize % 3), round) as i64;
        total_acknowledged += acked;
        let after = env.scalar("SELECT count(*) FROM review");
        assert!(
            after == before + acked || after == before + acked + 1,
            "round {round}: {acked} acknowledged, {before} → {after} rows"
        );
        assert_eq!(env.query::<String>("PRAGMA integrity_check"), ["ok"]);
        let duplicates = env.scalar(
            "SELECT count(*) FROM (SELECT card_id FROM review WHERE repeat = 0 GROUP BY card_id, study_day HAVING count(*) > 1)",
        );
        assert_eq!(duplicates, 0, "no card graded twice on one day");
        assert_eq!(
            env.scalar("SELECT count(*) FROM schedule"),
            env.scalar("SELECT count(DISTINCT card_id) FROM review WHERE repeat = 0"),
            "every graded answer has its schedule row"
        );
    }
    assert!(env.scalar("SELECT count(*) FROM review") >= total_acknowledged);
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let env = TestEnv::new();
    env.ok(&[]);
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = checksum(&env);
    let err = env.fails(&[], 1);
    assert!(
        err.contains("newer mlsec") && err.contains("schema version 99"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    assert_eq!(checksum(&env), before);
}

#[test]
fn files_that_are_not_ours_are_refused_and_left_untouched() {
    let env = TestEnv::new();
    std::fs::write(
        &env.db,
        b"this is a text file, not a database\n".repeat(200),
    )
    .unwrap();
    let before = checksum(&env);
    let err = env.fails(&[], 1);
    assert!(
        err.contains(&env.db.display().to_string()) && err.contains("not an mlsec database"),
        "{err}"
    );
    assert_eq!(checksum(&env), before);

    std::fs::remove_file(&env.db).unwrap();
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .execute_batch("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);")
        .unwrap();
    let before = checksum(&env);
    let err = env.fails(&[], 1);
    assert!(err.contains("another program"), "{err}");
    assert_eq!(checksum(&env), before);
}

#[test]
fn the_database_is_created_owner_only() {
    let env = TestEnv::new();
    env.ok(&[]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&env.db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert_eq!(env.query::<String>("PRAGMA journal_mode"), ["wal"]);
    assert_eq!(
        env.scalar("PRAGMA user_version"),
        mlsec::store::LATEST_VERSION
    );
}
