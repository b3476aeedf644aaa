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

fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// SECURITY.md promises: the default directory is created 0700, the file 0600, and
/// SQLite's -wal and -shm files beside it (which hold answers too) are as private as
/// the file, whatever the umask.
#[test]
fn the_default_location_and_the_wal_files_are_private() {
    let env = TestEnv::new();
    let home = env.file("placeholder", "").parent().unwrap().join("home");
    let data = home.join(".local/share");
    // Under a permissive umask, which must not widen what mlsec creates.
    let run = |args: &[&str]| {
        let mlsec = env.cmd(args);
        let mut cmd = std::process::Command::new("sh");
        cmd.args(["-c", "umask 000 && exec \"$0\" \"$@\"", crate::env::BIN])
            .args(args);
        for (key, value) in mlsec.get_envs() {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            };
        }
        cmd.env_remove("MLSEC_DB")
            .env("HOME", &home)
            .env("XDG_DATA_HOME", &data)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped());
        cmd
    };
    let out = run(&["--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dashboard: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let db = data.join("mlsec/mlsec.db");
    assert_eq!(dashboard["db"], db.display().to_string());
    assert_eq!(mode(&data.join("mlsec")), 0o700);
    assert_eq!(mode(&db), 0o600);

    // While a session runs, its WAL and shared-memory files exist: check them then.
    let mut child = run(&["study", "--json", "--no-shuffle"]).spawn().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
    assert!(line.contains("\"question\""), "{line}");
    for suffix in ["-wal", "-shm"] {
        let path = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
}
