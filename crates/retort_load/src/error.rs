//! Typed errors of the load engine.

use thiserror::Error;

/// Errors the load engine reports for bad input or failed runs. The binary
/// maps every one of them to exit code 2.
#[derive(Debug, Error)]
pub enum LoadError {
    /// A value given by the user (flag, scenario field, threshold) is invalid.
    #[error("{0}")]
    Invalid(String),
    /// A scenario file could not be read or parsed.
    #[error("scenario {path}: {message}")]
    Scenario {
        /// The scenario file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A data (CSV) file could not be read.
    #[error("data file {path}: {message}")]
    Data {
        /// The data file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A result file could not be read, parsed or written.
    #[error("result file {path}: {message}")]
    Result {
        /// The result file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The run measured nothing useful (no response at all, or every
    /// response failed a check): a broken setup, not a result.
    #[error("the run measured nothing useful: {0}")]
    NothingMeasured(String),
    /// An I/O error outside of the measured requests.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}
