//! Per-developer activity: commits, changes, churn and the first and last
//! commit time (what `retort team` needs for inactivity and for change
//! counts per developer).
//!
//! Source: code-maat's `author-churn` analysis (`churn.clj`: added,
//! deleted and commits per author), plus the activity span used for
//! Avelino et al.'s recency extension of the truck factor.

use std::collections::HashSet;

use serde::Serialize;

use crate::model::{DevId, FileId, History};

/// One developer's activity in the window.
#[derive(Debug, Clone, Serialize)]
pub struct DeveloperActivity {
    pub developer: DevId,
    pub name: String,
    pub commits: u32,
    /// (commit, file) changes.
    pub changes: u32,
    pub files: u32,
    pub added: u64,
    pub removed: u64,
    /// Author times (Unix seconds) of the first and last commit.
    pub first_time: i64,
    pub last_time: i64,
}

/// Developers with at least one commit in the change table, most commits
/// first (then name).
pub fn developer_activity(history: &History) -> Vec<DeveloperActivity> {
    let mut rows: Vec<Option<DeveloperActivity>> = vec![None; history.developers.len()];
    for commit in &history.commits {
        let dev = history.developer(commit.author);
        let row = rows[dev.id.0 as usize].get_or_insert_with(|| DeveloperActivity {
            developer: dev.id,
            name: dev.name.clone(),
            commits: 0,
            changes: 0,
            files: 0,
            added: 0,
            removed: 0,
            first_time: commit.author_time,
            last_time: commit.author_time,
        });
        row.commits += 1;
        row.first_time = row.first_time.min(commit.author_time);
        row.last_time = row.last_time.max(commit.author_time);
    }
    let mut touched: HashSet<(DevId, FileId)> = HashSet::new();
    for change in &history.changes {
        let author = history.commit_of(change).author;
        if let Some(row) = rows[author.0 as usize].as_mut() {
            row.changes += 1;
            row.added += u64::from(change.added.unwrap_or(0));
            row.removed += u64::from(change.removed.unwrap_or(0));
            if touched.insert((author, change.file)) {
                row.files += 1;
            }
        }
    }
    let mut rows: Vec<DeveloperActivity> = rows.into_iter().flatten().collect();
    rows.sort_by(|a, b| b.commits.cmp(&a.commits).then_with(|| a.name.cmp(&b.name)));
    rows
}
