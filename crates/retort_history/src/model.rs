//! The change table: the one output of the reader, which every analysis
//! reads (code-maat's model: one table of changes, analyses are pure
//! functions over it).

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use crate::options::MergePolicy;

/// A developer after identity merging: an index into [`History::developers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DevId(pub u32);

/// A file's identity, stable across renames: an index into [`History::files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct FileId(pub u32);

/// The history of one repository (or of one folder of it), newest first.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub repository: Repository,
    pub window: Window,
    pub developers: Vec<Developer>,
    /// Commits kept (bots left out unless asked), newest first.
    pub commits: Vec<Commit>,
    pub files: Vec<FileInfo>,
    /// One row per (commit, file) change, grouped by commit in the order
    /// of [`History::commits`].
    pub changes: Vec<Change>,
}

impl History {
    pub fn developer(&self, id: DevId) -> &Developer {
        &self.developers[id.0 as usize]
    }

    pub fn file(&self, id: FileId) -> &FileInfo {
        &self.files[id.0 as usize]
    }

    pub fn commit_of(&self, change: &Change) -> &Commit {
        &self.commits[change.commit as usize]
    }

    /// The changes of each commit, in commit order (one slice per commit).
    pub fn changesets(&self) -> impl Iterator<Item = (&Commit, &[Change])> {
        let mut start = 0;
        self.commits.iter().enumerate().map(move |(index, commit)| {
            let mut end = start;
            while end < self.changes.len() && self.changes[end].commit as usize == index {
                end += 1;
            }
            let slice = &self.changes[start..end];
            start = end;
            (commit, slice)
        })
    }
}

/// Where the history comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Repository {
    /// The work tree's root (the git directory for a bare repository).
    pub root: PathBuf,
    /// The folder the history is restricted to, relative to `root` with a
    /// trailing `/`; `None` for the whole repository.
    pub path_filter: Option<String>,
    /// The commit the walk started from.
    pub head: Option<String>,
    /// A shallow clone: history older than its boundary is absent.
    pub shallow: bool,
}

/// What part of the history a result covers: every result states it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Window {
    pub since: Option<String>,
    pub until: Option<String>,
    pub max_commits: Option<usize>,
    pub merges: MergePolicy,
    pub follow_renames: bool,
    /// The first and last commit of the change table (git's walk order:
    /// newest first).
    pub newest_commit: Option<String>,
    pub oldest_commit: Option<String>,
    /// Author times (Unix seconds) of those two commits.
    pub newest_time: Option<i64>,
    pub oldest_time: Option<i64>,
    /// Commits git walked (bots included).
    pub commits_read: usize,
    /// Commits in the change table.
    pub commits_kept: usize,
    pub merge_commits: usize,
    pub bot_commits_left_out: usize,
    /// Bots' commits are in the table (`HistoryOptions::keep_bots`).
    pub bots_kept: bool,
    /// The walk stopped at `max_commits`: older history exists.
    pub truncated: bool,
    /// Commits whose files are known but whose line counts are not (an
    /// object git could not read, e.g. a blob missing from a mirror).
    pub commits_without_line_counts: Vec<String>,
    /// Commits that could not be read at all and are absent.
    pub commits_unreadable: Vec<String>,
    /// Shallow-clone boundary commits: git shows them as adding every file,
    /// so their changes are left out.
    pub shallow_boundary: Vec<String>,
    /// Why the walk ended before the start of the history, if it did for a
    /// reason other than the window's own bounds.
    pub stopped_early: Option<String>,
    /// Warnings from git (e.g. rename detection skipped in a huge commit).
    pub warnings: Vec<String>,
}

impl Window {
    /// Every commit in the window is in the table with its line counts.
    pub fn complete(&self) -> bool {
        !self.truncated
            && self.commits_without_line_counts.is_empty()
            && self.commits_unreadable.is_empty()
            && self.stopped_early.is_none()
    }
}

/// One developer: identities merged by the rules of
/// [`crate::IdentityOptions`].
#[derive(Debug, Clone, Serialize)]
pub struct Developer {
    pub id: DevId,
    /// The name used most often (after `.mailmap`).
    pub name: String,
    /// Every name and e-mail seen for this developer, most used first.
    pub names: Vec<String>,
    pub emails: Vec<String>,
    pub bot: bool,
    /// Commits authored in the window (bots' included, even when left out).
    pub authored_commits: u32,
}

/// One commit.
#[derive(Debug, Clone, Serialize)]
pub struct Commit {
    pub hash: String,
    pub parents: Vec<String>,
    pub author: DevId,
    pub committer: DevId,
    /// Unix seconds.
    pub author_time: i64,
    pub commit_time: i64,
    /// `false` when an object could not be read: files known, no counts.
    pub line_counts: bool,
}

impl Commit {
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }
}

/// What a change did to its file (git's diff status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
    Renamed,
    /// A new file copied from another (its own identity, created here).
    Copied,
    TypeChanged,
}

/// One file changed by one commit.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// Index into [`History::commits`].
    pub commit: u32,
    pub file: FileId,
    /// The path after the commit, relative to the repository root.
    pub path: Arc<str>,
    /// The path before, for renames and copies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<Arc<str>>,
    pub kind: ChangeKind,
    /// Lines added and removed; `None` for binary files and when the
    /// commit's line counts are unknown.
    pub added: Option<u32>,
    pub removed: Option<u32>,
    pub binary: bool,
}

/// A file identity: one file followed through its renames.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    pub id: FileId,
    /// Its newest path in the window.
    pub path: Arc<str>,
    /// Older paths, newest first.
    pub former_paths: Vec<Arc<str>>,
    /// The commit that created it, when that commit is in the window.
    pub created: Option<Creation>,
    /// Its newest change in the window deletes it, or its newest path is
    /// not in the tree of the newest commit (a merge kept a deletion that
    /// a side branch's later edits hide from the change order).
    pub deleted: bool,
}

/// Who created a file, and when.
#[derive(Debug, Clone, Serialize)]
pub struct Creation {
    pub commit: String,
    pub author: DevId,
    pub time: i64,
}
