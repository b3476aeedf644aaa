//! The store's promises: foreign and newer files are refused untouched, the file is
//! private. (Crash safety is in `crash.rs`.)

use crate::env::TestEnv;

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
