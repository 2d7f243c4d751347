//! Per-file authorship inputs: who created each file and how many changes
//! each developer made to it.
//!
//! Source: the degree-of-authorship model of Fritz et al., "A degree-of-
//! knowledge model to capture source code familiarity" (ICSE 2010), as
//! used by Avelino et al., "A novel approach for estimating truck factors"
//! (ICPC 2016): `DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)`,
//! where FA is 1 for the file's creator, DL the developer's changes
//! (commits) to the file and AC the changes by everyone else. This module
//! gives FA, DL and AC per file; the formula and its thresholds live with
//! `retort team`. Files are identities that survive renames.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::model::{DevId, FileId, History};

/// The authorship inputs of one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileAuthorship {
    pub file: FileId,
    pub path: Arc<str>,
    /// The developer whose commit added the file, if that commit is in the
    /// window and its author is not a left-out bot (FA).
    pub creator: Option<DevId>,
    /// Commits per developer that changed the file, most first (DL; AC is
    /// the total minus DL).
    pub changes_by: Vec<(DevId, u32)>,
    pub total_changes: u32,
}

impl FileAuthorship {
    pub fn changes_of(&self, developer: DevId) -> u32 {
        self.changes_by.iter().find(|(d, _)| *d == developer).map_or(0, |(_, n)| *n)
    }

    /// AC: changes to the file by everyone but `developer`.
    pub fn changes_by_others(&self, developer: DevId) -> u32 {
        self.total_changes - self.changes_of(developer)
    }
}

/// One row per file changed in the window, in [`FileId`] order.
pub fn file_authorship(history: &History) -> Vec<FileAuthorship> {
    let mut counts: Vec<HashMap<DevId, u32>> = vec![HashMap::new(); history.files.len()];
    for change in &history.changes {
        let author = history.commit_of(change).author;
        *counts[change.file.0 as usize].entry(author).or_default() += 1;
    }
    history
        .files
        .iter()
        .zip(counts)
        .filter(|(_, by)| !by.is_empty())
        .map(|(file, by)| {
            let mut changes_by: Vec<(DevId, u32)> = by.into_iter().collect();
            changes_by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let creator = file
                .created
                .as_ref()
                .map(|c| c.author)
                .filter(|&d| history.window.bots_kept || !history.developer(d).bot);
            FileAuthorship {
                file: file.id,
                path: file.path.clone(),
                creator,
                total_changes: changes_by.iter().map(|(_, n)| n).sum(),
                changes_by,
            }
        })
        .collect()
}
