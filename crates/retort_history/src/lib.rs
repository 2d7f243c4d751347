//! Git history for Retort's `arch` and `team`: one change table, read by
//! streaming git's own `git log --raw --numstat -z`, and small pure
//! analyses over it (code-maat's model).
//!
//! - [`read_history`] with [`HistoryOptions`] → [`History`]: commits,
//!   developers (`.mailmap` via git, identities merged, bots flagged),
//!   files followed through renames, one [`Change`] per (commit, file), and
//!   the [`Window`] the result covers (bounds, truncation, what could not
//!   be read);
//! - [`analysis`]: churn per file, logical (co-change) coupling, per-file
//!   authorship inputs and per-developer activity;
//! - [`blame`]: surviving lines per developer at the newest commit
//!   (`git blame`, git-fame's count), on request.
//!
//! Why git's plumbing rather than a library, the merge policy, the
//! identity rule and the limits: `docs/history.md`.

pub mod analysis;
pub mod blame;
pub mod error;
mod files;
mod git;
pub mod identity;
pub mod model;
pub mod options;
mod parse;
mod read;

pub use error::HistoryError;
pub use model::{
    Change, ChangeKind, Commit, Creation, DevId, Developer, FileId, FileInfo, History, Repository, Window,
};
pub use options::{Alias, HistoryOptions, IdentityOptions, MergePolicy, DEFAULT_MAX_COMMITS};
pub use read::{read_history, read_history_with_progress};
