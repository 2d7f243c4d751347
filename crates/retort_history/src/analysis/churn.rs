//! Revisions and churn per file.
//!
//! Source: code-maat's `revisions` and `entity-churn` analyses
//! (`src/code_maat/analysis/entities.clj`, `churn.clj`, Adam Tornhill):
//! per entity, the number of commits that changed it and the lines added
//! and deleted. Here the entity is a file identity, so a file keeps its
//! revisions across renames, and commits without line counts are counted
//! as revisions and reported apart.

use std::collections::HashSet;
use std::sync::Arc;

use serde::Serialize;

use crate::model::{DevId, FileId, History};

/// One file's revisions and churn in the window.
#[derive(Debug, Clone, Serialize)]
pub struct FileChurn {
    pub file: FileId,
    /// Its newest path.
    pub path: Arc<str>,
    /// Commits that changed it.
    pub revisions: u32,
    pub added: u64,
    pub removed: u64,
    /// Revisions whose line counts are unknown (binary, unreadable blob).
    pub uncounted_revisions: u32,
    /// Distinct developers who changed it.
    pub authors: u32,
}

/// Every file changed in the window, most revisions first (then path).
pub fn churn_by_file(history: &History) -> Vec<FileChurn> {
    let mut rows: Vec<FileChurn> = history
        .files
        .iter()
        .map(|f| FileChurn {
            file: f.id,
            path: f.path.clone(),
            revisions: 0,
            added: 0,
            removed: 0,
            uncounted_revisions: 0,
            authors: 0,
        })
        .collect();
    let mut authors: HashSet<(FileId, DevId)> = HashSet::new();
    for change in &history.changes {
        let row = &mut rows[change.file.0 as usize];
        row.revisions += 1;
        match (change.added, change.removed) {
            (Some(a), Some(r)) => {
                row.added += u64::from(a);
                row.removed += u64::from(r);
            }
            _ => row.uncounted_revisions += 1,
        }
        if authors.insert((change.file, history.commit_of(change).author)) {
            row.authors += 1;
        }
    }
    rows.retain(|r| r.revisions > 0);
    rows.sort_by(|a, b| b.revisions.cmp(&a.revisions).then_with(|| a.path.cmp(&b.path)));
    rows
}
