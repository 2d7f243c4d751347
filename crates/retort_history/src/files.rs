//! File identities that survive renames.
//!
//! Commits arrive newest first. Walking back in time, `current` maps a path
//! to the identity that path has at this point of the walk: a change to an
//! unknown path opens a new identity; a rename `old → new` moves the
//! identity to `old`, joining it with whatever `old` already held further
//! up the walk (a side branch that kept editing the file under its old name
//! before the merge). A copy is a new file.
//!
//! An addition (or a rename's target) *closes* the path: before that
//! commit the path held nothing, or an older file that was deleted. By
//! default an older file at the same path continues the same identity
//! (code-maat's per-path view, and right for reverted deletions), except
//! when that older file was renamed away: then the path was reused by a new
//! file. With `recreated_is_new`, every addition starts a new identity.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::model::{ChangeKind, Creation, FileId, FileInfo};

#[derive(Debug, Default)]
pub struct FileTracker {
    recreated_is_new: bool,
    paths: HashSet<Arc<str>>,
    /// Path → (identity, closed by an addition or a rename's target).
    current: HashMap<Arc<str>, (u32, bool)>,
    /// Union-find over provisional identities.
    parent: Vec<u32>,
    /// Per provisional identity: its paths, newest first.
    names: Vec<Vec<Arc<str>>>,
    /// Per provisional identity: the creating commit (the oldest seen).
    created: Vec<Option<Creation>>,
    /// Paths renamed away from, per provisional identity: not its name at
    /// the end of the window, even when a side branch edited them later.
    renamed_from: Vec<Vec<Arc<str>>>,
}

impl FileTracker {
    pub fn new(recreated_is_new: bool) -> Self {
        FileTracker { recreated_is_new, ..FileTracker::default() }
    }

    /// One shared allocation per distinct path.
    pub fn intern(&mut self, path: &str) -> Arc<str> {
        if let Some(existing) = self.paths.get(path) {
            return existing.clone();
        }
        let path: Arc<str> = Arc::from(path);
        self.paths.insert(path.clone());
        path
    }

    fn open(&mut self, path: &Arc<str>) -> u32 {
        let id = self.parent.len() as u32;
        self.parent.push(id);
        self.names.push(vec![path.clone()]);
        self.created.push(None);
        self.renamed_from.push(Vec::new());
        id
    }

    fn find(&mut self, mut id: u32) -> u32 {
        while self.parent[id as usize] != id {
            let up = self.parent[id as usize];
            self.parent[id as usize] = self.parent[up as usize];
            id = up;
        }
        id
    }

    /// The provisional identity of one change; `created` is who made the
    /// commit, for additions and copies.
    pub fn track(
        &mut self,
        kind: ChangeKind,
        path: &Arc<str>,
        old_path: Option<&Arc<str>>,
        creation: impl FnOnce() -> Creation,
    ) -> u32 {
        let id = match self.current.get(path) {
            Some(&(id, closed)) if !(closed && self.recreated_is_new) => self.find(id),
            _ => self.open(path),
        };
        match kind {
            ChangeKind::Added | ChangeKind::Copied => {
                self.current.insert(path.clone(), (id, true));
                self.created[id as usize] = Some(creation());
            }
            ChangeKind::Renamed => {
                self.current.insert(path.clone(), (id, true));
                if let Some(old) = old_path {
                    self.renamed_from[id as usize].push(old.clone());
                    match self.current.get(old) {
                        // `old` edited further up the walk: the same file.
                        Some(&(other, false)) => self.join(id, other),
                        // `old` re-created later, or unknown: `old` now
                        // means this file.
                        _ => {
                            self.current.insert(old.clone(), (id, false));
                            let root = self.find(id) as usize;
                            if !self.names[root].contains(old) {
                                self.names[root].push(old.clone());
                            }
                        }
                    }
                }
            }
            _ => {
                self.current.insert(path.clone(), (id, false));
            }
        }
        id
    }

    fn join(&mut self, a: u32, b: u32) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        // The newer identity (lower number) is the root.
        let (root, child) = if a < b { (a, b) } else { (b, a) };
        self.parent[child as usize] = root;
        let moved = std::mem::take(&mut self.names[child as usize]);
        for name in moved {
            if !self.names[root as usize].contains(&name) {
                self.names[root as usize].push(name);
            }
        }
        // The older creation wins.
        if let Some(c) = self.created[child as usize].take() {
            let keep = self.created[root as usize].as_ref().is_none_or(|r| c.time < r.time);
            if keep {
                self.created[root as usize] = Some(c);
            }
        }
    }

    /// Final identities: a dense [`FileId`] for every provisional one, and
    /// the files (`deleted` is filled by the caller from the change order).
    pub fn finish(mut self) -> (Vec<FileId>, Vec<FileInfo>) {
        let count = self.parent.len();
        let mut dense: HashMap<u32, FileId> = HashMap::new();
        let mut of_provisional = Vec::with_capacity(count);
        let mut files = Vec::new();
        let mut renamed_from: HashMap<u32, Vec<Arc<str>>> = HashMap::new();
        for id in 0..count as u32 {
            let root = self.find(id);
            let from = std::mem::take(&mut self.renamed_from[id as usize]);
            renamed_from.entry(root).or_default().extend(from);
        }
        for id in 0..count as u32 {
            let root = self.find(id);
            let file = *dense.entry(root).or_insert_with(|| {
                let mut names = std::mem::take(&mut self.names[root as usize]);
                // Its name at the end: the newest seen that no rename left.
                let gone = renamed_from.get(&root);
                let current = names.iter().position(|n| gone.is_none_or(|g| !g.contains(n))).unwrap_or(0);
                let path = if names.is_empty() { Arc::from("") } else { names.remove(current) };
                files.push(FileInfo {
                    id: FileId(files.len() as u32),
                    path,
                    former_paths: names,
                    created: self.created[root as usize].take(),
                    deleted: false,
                });
                FileId(files.len() as u32 - 1)
            });
            of_provisional.push(file);
        }
        (of_provisional, files)
    }
}
