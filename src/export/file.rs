//! How an export reaches the file given with `-o`: never over an existing file without
//! `--force`, and never half-written, although the rows are streamed and an export can
//! fail part way (a damaged database, a full disk).

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Write the export into `path`, which must not exist unless `force`. The rows are
/// streamed, so a failure can come part way; it never leaves a half-written export: a
/// new file is removed, and an existing regular file is replaced only once the export is
/// complete (a device, a pipe or a symbolic link is written in place, as before).
pub fn write_file(
    path: &Path,
    force: bool,
    write: impl FnOnce(&mut (dyn Write + Send)) -> Result<u64>,
) -> Result<u64> {
    let io = |e: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let create_new = |p: &Path| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(p)
    };
    let finish = |mut f: std::fs::File, rows: Result<u64>| {
        rows.and_then(|rows| f.flush().map(|()| rows).map_err(io))
    };
    let existing = std::fs::symlink_metadata(path).ok();
    if existing.is_some() && !force {
        return Err(Error::WouldOverwrite(path.to_path_buf()));
    }
    match existing {
        None => {
            let mut f = create_new(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Error::WouldOverwrite(path.to_path_buf()),
                _ => io(e),
            })?;
            let result = write(&mut f);
            let result = finish(f, result);
            if result.is_err() {
                let _ = std::fs::remove_file(path);
            }
            result
        }
        Some(meta) if meta.is_file() => {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let tmp = path.with_file_name(format!(".{name}.mlsec-{}.tmp", std::process::id()));
            let Ok(mut f) = create_new(&tmp) else {
                // No room for a second file beside it (e.g. a read-only directory).
                let mut f = std::fs::File::create(path).map_err(io)?;
                let result = write(&mut f);
                return finish(f, result);
            };
            let _ = std::fs::set_permissions(&tmp, meta.permissions());
            let result = write(&mut f);
            let result = finish(f, result)
                .and_then(|rows| std::fs::rename(&tmp, path).map(|()| rows).map_err(io));
            if result.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            result
        }
        Some(_) => {
            let mut f = std::fs::File::create(path).map_err(io)?;
            let result = write(&mut f);
            finish(f, result)
        }
    }
}
