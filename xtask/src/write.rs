//! Stage 6 — write: put generated files on disk, or (check mode) compare and name what differs.

use std::path::Path;

/// Makes `path` hold `contents`. In check mode nothing is written; a difference is returned.
pub fn ensure_file_contents(path: &Path, contents: &str, check: bool) -> Result<(), String> {
    let current = std::fs::read_to_string(path).ok();
    if current.as_deref() == Some(contents) {
        return Ok(());
    }
    if check {
        return Err(format!("{} is stale", path.display()));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes a whole output folder: every file in `files`, and (outside check mode) removes
/// files that are no longer generated, so stale output disappears.
pub fn write_dir(
    dir: &Path,
    files: &std::collections::BTreeMap<String, String>,
    check: bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, text) in files {
        if let Err(e) = ensure_file_contents(&dir.join(name), text, check) {
            problems.push(e);
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut extra: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs") && !files.contains_key(n))
            .collect();
        extra.sort();
        for n in extra {
            if check {
                problems.push(format!("{} is no longer generated", dir.join(&n).display()));
            } else if let Err(e) = std::fs::remove_file(dir.join(&n)) {
                problems.push(format!("{n}: {e}"));
            }
        }
    }
    problems
}
