//! Opening a database file safely: refuse what is not ours before writing a byte,
//! then set the pragmas and apply migrations in one transaction.

use std::fs::{self, OpenOptions};
use std::io::ErrorKind;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Result};

/// Migrations in order; `user_version` is the number applied. Never edit one that has
/// shipped: add a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_mock.sql"),
    include_str!("migrations/003_live_schedule.sql"),
    include_str!("migrations/004_report_indexes.sql"),
    include_str!("migrations/005_new_queue.sql"),
    include_str!("migrations/006_rubric.sql"),
    include_str!("migrations/007_plan.sql"),
];

pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// `PRAGMA application_id` of mlsec files ("MLSC"), so a database of another program is
/// recognised and left alone.
pub const APPLICATION_ID: i64 = 0x4d4c_5343;

/// How long a writer waits for another mlsec process before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub fn open(path: &Path, create_parent: bool) -> Result<Connection> {
    if let Ok(meta) = fs::metadata(path) {
        // SQLite would block on a FIFO and write `-wal` files beside a device node.
        let kind = if meta.is_dir() {
            Some("a directory")
        } else if !meta.is_file() {
            Some("not a regular file (a device, pipe or socket)")
        } else {
            None
        };
        if let Some(kind) = kind {
            return Err(Error::Database {
                path: path.to_path_buf(),
                message: format!("is {kind}; give --db a file path, e.g. --db ~/mlsec.db"),
            });
        }
        // Someone made it read-only on purpose; root could still write it, so the
        // permission bits are checked here rather than left to open(2).
        if meta.permissions().readonly() {
            return Err(read_only(path));
        }
    }
    if !path.exists() {
        create_file(path, create_parent)?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| db_error(path, &e))?;
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        return Err(read_only(path));
    }
    prepare(conn, path)
}

fn read_only(path: &Path) -> Error {
    Error::Database {
        path: path.to_path_buf(),
        message:
            "is read-only; make it writable (chmod u+w) or copy it and pass the copy with --db"
                .into(),
    }
}

/// Create the database file with owner-only permissions before SQLite touches it.
fn create_file(path: &Path, create_parent: bool) -> Result<()> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = parent {
        if !dir.exists() {
            if !create_parent {
                return Err(Error::Database {
                    path: path.to_path_buf(),
                    message: format!(
                        "directory {} does not exist; create it or choose another --db",
                        dir.display()
                    ),
                });
            }
            create_private_dir(dir).map_err(|e| Error::Database {
                path: path.to_path_buf(),
                message: format!(
                    "cannot create directory {}: {e}; choose another location with --db",
                    dir.display()
                ),
            })?;
        }
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::Database {
            path: path.to_path_buf(),
            message: format!(
                "cannot create the database: {e}; choose a writable location with --db"
            ),
        }),
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Check the file is ours and current, then configure and migrate it.
pub fn prepare(conn: Connection, path: &Path) -> Result<Connection> {
    let err = |e: rusqlite::Error| db_error(path, &e);
    conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
    // Reads only, until we know the file is ours.
    let (version, app_id, tables): (i64, i64, i64) = retry_busy(|| {
        Ok((
            conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
            conn.query_row("PRAGMA application_id", [], |r| r.get(0))?,
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?,
        ))
    })
    .map_err(err)?;
    if app_id != APPLICATION_ID && (app_id != 0 || tables > 0 || version != 0) {
        return Err(Error::Database {
            path: path.to_path_buf(),
            message: "is an SQLite database of another program, not mlsec's; leave it alone and choose another file with --db"
                .into(),
        });
    }
    if version > LATEST_VERSION {
        return Err(Error::NewerDatabase {
            path: path.to_path_buf(),
            found: version,
            known: LATEST_VERSION,
        });
    }
    let mode: String = retry_busy(|| conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)))
        .map_err(err)?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        return Err(Error::Database {
            path: path.to_path_buf(),
            message: format!(
                "cannot switch to WAL journaling (got {mode}); put the file on a local, writable disk"
            ),
        });
    }
    // FULL: an answer acknowledged on screen survives power loss, not only a crash.
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
        .map_err(err)?;
    migrate(conn, version, path)
}

fn migrate(mut conn: Connection, from: i64, path: &Path) -> Result<Connection> {
    if from == LATEST_VERSION {
        return Ok(conn);
    }
    let err = |e: rusqlite::Error| db_error(path, &e);
    retry_busy(|| {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Re-read inside the write lock: another process may have migrated meanwhile.
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, sql) in MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(current).unwrap_or(0))
        {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()
    })
    .map_err(err)?;
    Ok(conn)
}

/// Run `f` again while SQLite answers "busy" without waiting: some steps (switching
/// to WAL, WAL recovery, a lock upgrade) return SQLITE_BUSY at once instead of calling
/// the busy handler, which happens when several mlsec processes start on one file
/// together. Gives up after [`BUSY_TIMEOUT`], like the busy handler.
pub fn retry_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        match f() {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// One clear line for an SQLite failure: which file, what happened, what to do.
pub fn db_error(path: &Path, e: &rusqlite::Error) -> Error {
    let advice = match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            "is not an mlsec database (not SQLite, or encrypted); choose another file with --db".to_string()
        }
        Some(ErrorCode::DatabaseCorrupt) => {
            "is damaged (SQLite reports a malformed database); restore it from a backup, or move it aside to start afresh"
                .to_string()
        }
        Some(ErrorCode::ReadOnly) => {
            "cannot be written (read-only file or directory); fix its permissions or choose another file with --db"
                .to_string()
        }
        Some(ErrorCode::CannotOpen) => {
            "cannot be opened; check that it and its directory exist and are writable (SQLite writes a -wal file beside it)"
                .to_string()
        }
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => {
            "is busy: another program holds a lock on it for too long; close it and try again".to_string()
        }
        Some(ErrorCode::DiskFull) => "cannot be written: the disk is full; free some space and try again".to_string(),
        _ => format!("database error: {e}"),
    };
    Error::Database {
        path: path.to_path_buf(),
        message: advice,
    }
}
