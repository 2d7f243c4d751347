//! Changed-code mode: which lines of which files changed, so a report can
//! keep only the findings there (`retort check --diff-base main`, a
//! new-code gate without a baseline) or only the findings in some files
//! (`retort check . FILE…`, the pre-commit hook).
//!
//! The whole project is still analysed — rules need the catalog, and taint
//! crosses files — and only the report is narrowed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::finding::Report;

/// What changed in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// A new (or untracked) file, or a file named on the command line: all of it counts.
    Whole,
    /// Inclusive 1-based line ranges of the new version that were added or changed.
    Lines(Vec<(u32, u32)>),
}

/// Changed lines by file, paths relative to the checked root with `/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedLines {
    pub files: BTreeMap<String, FileChange>,
}

/// Why the changed lines could not be found.
#[derive(Debug, thiserror::Error)]
pub enum ChangesError {
    #[error("cannot run git in {path}: {source}")]
    Spawn { path: PathBuf, source: std::io::Error },
    #[error("`git {command}` failed in {path}: {stderr}")]
    Git { command: String, path: PathBuf, stderr: String },
}

impl ChangedLines {
    /// Every file in `files` counts whole.
    pub fn whole_files(files: impl IntoIterator<Item = String>) -> Self {
        ChangedLines { files: files.into_iter().map(|f| (f, FileChange::Whole)).collect() }
    }

    /// Whether a finding at `file`, lines `line..=end_line`, touches a
    /// change. A finding about a whole file (line 0) counts when the file
    /// changed at all; a project-level finding (no file) never does.
    pub fn touches(&self, file: &str, line: u32, end_line: u32) -> bool {
        match self.files.get(file) {
            None => false,
            Some(FileChange::Whole) => true,
            Some(FileChange::Lines(ranges)) => {
                if line == 0 {
                    return !ranges.is_empty();
                }
                let end = end_line.max(line);
                ranges.iter().any(|&(first, last)| first <= end && line <= last)
            }
        }
    }

    /// Keeps only the findings that touch a change; returns how many were dropped.
    pub fn filter(&self, report: &mut Report) -> usize {
        let before = report.findings.len();
        report.findings.retain(|f| self.touches(&f.file, f.line, f.end_line));
        before - report.findings.len()
    }
}

/// Parses `git diff --unified=0` output (with `a/` and `b/` prefixes): the
/// added or changed line ranges of each file's new version. Deleted files
/// and pure deletions add nothing; a file created in the diff counts whole.
pub fn parse_unified_diff(diff: &str) -> ChangedLines {
    let mut changes = ChangedLines::default();
    let mut current: Option<String> = None;
    let mut created = false;
    for line in diff.lines() {
        if line.starts_with("diff --git ") {
            current = None;
            created = false;
        } else if line.starts_with("new file mode") {
            created = true;
        } else if let Some(old) = line.strip_prefix("--- ") {
            created |= old == "/dev/null";
        } else if let Some(new) = line.strip_prefix("+++ ") {
            current = if new == "/dev/null" { None } else { Some(strip_prefix(&unquote(new))) };
            if let (Some(file), true) = (&current, created) {
                changes.files.insert(file.clone(), FileChange::Whole);
            }
        } else if let (Some(hunk), Some(file)) = (line.strip_prefix("@@ "), &current) {
            let Some((first, count)) = new_range(hunk) else { continue };
            if count == 0 {
                continue;
            }
            let entry = changes.files.entry(file.clone()).or_insert_with(|| FileChange::Lines(Vec::new()));
            if let FileChange::Lines(ranges) = entry {
                ranges.push((first, first + count - 1));
            }
        }
    }
    changes
}

/// `-12,3 +14,2 @@ def f():` → `(14, 2)`; a missing count means 1.
fn new_range(hunk: &str) -> Option<(u32, u32)> {
    let new = hunk.split_whitespace().find(|part| part.starts_with('+'))?.trim_start_matches('+');
    let (first, count) = match new.split_once(',') {
        Some((first, count)) => (first.parse().ok()?, count.parse().ok()?),
        None => (new.parse().ok()?, 1),
    };
    Some((first, count))
}

fn strip_prefix(path: &str) -> String {
    path.strip_prefix("b/").unwrap_or(path).to_string()
}

/// Git quotes paths with control characters, `"` or `\` as C strings.
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let mut bytes = Vec::new();
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'r') => bytes.push(b'\r'),
            Some(digit @ b'0'..=b'7') => {
                let mut value = u32::from(digit - b'0');
                for _ in 0..2 {
                    match chars.peek() {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            chars.next();
                        }
                        _ => break,
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The lines changed in the working tree under `root` since `base`: the
/// diff from the merge base of `base` and `HEAD` (what a merge request
/// adds, as `git diff base...HEAD` shows it, plus uncommitted edits), and
/// untracked files whole. Paths are relative to `root`.
pub fn git_changes(root: &Path, base: &str) -> Result<ChangedLines, ChangesError> {
    let merge_base = git(root, &["merge-base", base, "HEAD"]).map(|out| out.trim().to_string());
    let from = match merge_base {
        Ok(commit) if !commit.is_empty() => commit,
        // No common ancestor (or HEAD unborn): compare with `base` itself,
        // which also reports a `base` that does not exist.
        _ => base.to_string(),
    };
    let diff = git(
        root,
        &[
            "-c",
            "core.quotePath=false",
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            "--relative",
            &from,
            "--",
        ],
    )?;
    let mut changes = parse_unified_diff(&diff);
    let untracked = git(root, &["-c", "core.quotePath=false", "ls-files", "--others", "--exclude-standard", "-z"])?;
    for file in untracked.split('\0').filter(|f| !f.is_empty()) {
        changes.files.insert(file.to_string(), FileChange::Whole);
    }
    Ok(changes)
}

fn git(root: &Path, args: &[&str]) -> Result<String, ChangesError> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|source| ChangesError::Spawn { path: root.to_path_buf(), source })?;
    if !output.status.success() {
        return Err(ChangesError::Git {
            command: args
                .iter()
                .filter(|a| !a.starts_with("core.") && **a != "-c")
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            path: root.to_path_buf(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "\
diff --git a/app/views.py b/app/views.py
index 1111111..2222222 100644
--- a/app/views.py
+++ b/app/views.py
@@ -3,0 +4,2 @@ def index():
+    x = 1
+    y = 2
@@ -10 +12 @@ def other():
-    old()
+    new()
@@ -20,3 +21,0 @@ def gone():
-    a
-    b
-    c
diff --git a/app/new.py b/app/new.py
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/app/new.py
@@ -0,0 +1,3 @@
+import os
+
+print(os)
diff --git a/old.py b/old.py
deleted file mode 100644
--- a/old.py
+++ /dev/null
@@ -1,2 +0,0 @@
-a
-b
diff --git \"a/we\\\"ird.py\" \"b/we\\\"ird.py\"
--- \"a/we\\\"ird.py\"
+++ \"b/we\\\"ird.py\"
@@ -1 +1 @@
-a
+b
";

    #[test]
    fn hunks_give_the_new_line_ranges() {
        let changes = parse_unified_diff(DIFF);
        assert_eq!(changes.files["app/views.py"], FileChange::Lines(vec![(4, 5), (12, 12)]));
        assert_eq!(changes.files["app/new.py"], FileChange::Whole);
        assert!(!changes.files.contains_key("old.py"));
        assert_eq!(changes.files["we\"ird.py"], FileChange::Lines(vec![(1, 1)]));
    }

    #[test]
    fn findings_touching_a_change_are_kept() {
        let changes = parse_unified_diff(DIFF);
        assert!(changes.touches("app/views.py", 5, 5));
        assert!(changes.touches("app/views.py", 2, 4), "a multi-line finding ending in the change");
        assert!(!changes.touches("app/views.py", 6, 11));
        assert!(!changes.touches("app/views.py", 21, 21), "a pure deletion adds no line");
        assert!(changes.touches("app/views.py", 0, 0), "a whole-file finding of a changed file");
        assert!(changes.touches("app/new.py", 99, 99));
        assert!(!changes.touches("", 0, 0), "project-level findings are not in any change");
        assert!(!changes.touches("app/other.py", 1, 1));
    }
}
