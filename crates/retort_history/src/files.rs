//! File identities that survive renames.
//!
//! Commits arrive newest first. Walking back in time, `current` maps a path
//! to the identity that path has at this point of the walk: a change to an
//! unknown path opens a new identity; an addition ends it (before the
//! commit that added it, the path held nothing — or another file); a rename
//! `old → new` moves the identity to `old`, joining it with whatever `old`
//! already held further up the walk (a side branch that kept editing the
//! file under its old name before the merge). A copy is a new file.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::model::{ChangeKind, Creation, FileId, FileInfo};

#[derive(Debug, Default)]
pub struct FileTracker {
    paths: HashSet<Arc<str>>,
    current: HashMap<Arc<str>, u32>,
    /// Union-find over provisional identities.
    parent: Vec<u32>,
    /// Per provisional identity: its paths, newest first.
    names: Vec<Vec<Arc<str>>>,
    /// Per provisional identity: the creating commit (the oldest seen).
    created: Vec<Option<Creation>>,
}

impl FileTracker {
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
            Some(&id) => self.find(id),
            None => {
                let id = self.open(path);
                self.current.insert(path.clone(), id);
                id
            }
        };
        match kind {
            ChangeKind::Added | ChangeKind::Copied => {
                self.current.remove(path);
                self.created[id as usize] = Some(creation());
            }
            ChangeKind::Renamed => {
                self.current.remove(path);
                if let Some(old) = old_path {
                    match self.current.get(old) {
                        Some(&other) => {
                            let (a, b) = (self.find(id), self.find(other));
                            if a != b {
                                // The newer identity (lower number) is the root.
                                let (root, child) = if a < b { (a, b) } else { (b, a) };
                                self.parent[child as usize] = root;
                                let moved = std::mem::take(&mut self.names[child as usize]);
                                for name in moved {
                                    if !self.names[root as usize].contains(&name) {
                                        self.names[root as usize].push(name);
                                    }
                                }
                                if let Some(c) = self.created[child as usize].take() {
                                    self.created[root as usize] = Some(c);
                                }
                            }
                        }
                        None => {
                            self.current.insert(old.clone(), id);
                            let root = self.find(id) as usize;
                            if !self.names[root].contains(old) {
                                self.names[root].push(old.clone());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        id
    }

    /// Final identities: a dense [`FileId`] for every provisional one, and
    /// the files (`deleted` is filled by the caller from the change order).
    pub fn finish(mut self) -> (Vec<FileId>, Vec<FileInfo>) {
        let count = self.parent.len();
        let mut dense: HashMap<u32, FileId> = HashMap::new();
        let mut of_provisional = Vec::with_capacity(count);
        let mut files = Vec::new();
        for id in 0..count as u32 {
            let root = self.find(id);
            let file = *dense.entry(root).or_insert_with(|| {
                let names = std::mem::take(&mut self.names[root as usize]);
                let mut names = names.into_iter();
                let path = names.next().unwrap_or_else(|| Arc::from(""));
                files.push(FileInfo {
                    id: FileId(files.len() as u32),
                    path,
                    former_paths: names.collect(),
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
