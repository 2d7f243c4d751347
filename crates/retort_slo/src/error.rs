//! Typed errors of the SLO library.

/// What can go wrong reading specs and logs.
#[derive(Debug, thiserror::Error)]
pub enum SloError {
    /// A spec is invalid; the message names file, line and field.
    #[error("{0}")]
    Spec(String),
    /// A file could not be read.
    #[error("{0}")]
    Io(String),
    /// A command-line value is invalid.
    #[error("{0}")]
    Usage(String),
}
