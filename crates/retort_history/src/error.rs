//! Typed errors of the history reader. A failure *inside* a history that
//! could be read in part (missing blobs, an unreadable commit) is not an
//! error: it gives a partial [`crate::History`] whose
//! [`crate::Window`] says what it covers.

use std::path::PathBuf;

/// Why no history could be read at all.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("the path {0} does not exist")]
    PathNotFound(PathBuf),
    #[error("`git` could not be started ({0}); Retort reads history through the git command, install git")]
    GitNotFound(String),
    #[error("{0} is not inside a git repository")]
    NotARepository(PathBuf),
    #[error("git refused to read {path}: {message}")]
    GitRefused { path: PathBuf, message: String },
    #[error("invalid option: {0}")]
    InvalidOption(String),
    #[error("unexpected output from `git log` ({0}); this is a bug in Retort, please report it")]
    UnexpectedOutput(String),
    #[error("I/O error while reading git's output: {0}")]
    Io(#[from] std::io::Error),
}
