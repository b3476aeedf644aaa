//! The store's promises: the file is private. (Crash safety is in `crash.rs`, damaged and
//! foreign files in `files.rs`, several processes at once in `concurrency.rs`.)

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
