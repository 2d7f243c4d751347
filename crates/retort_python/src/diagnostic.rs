//! Problems met while loading a project. They never abort a scan: the
//! affected file is reported and the rest of the project is still used.

use serde::Serialize;

/// What went wrong with one file or folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticKind {
    /// The file (or folder) could not be read.
    Unreadable,
    /// The bytes are not text in the declared (or default UTF-8) encoding.
    Decode,
    /// The file looks binary (it contains NUL bytes).
    Binary,
    /// The file is larger than the configured limit and was skipped.
    TooLarge,
    /// The file has syntax errors; what could be parsed was still used.
    Syntax,
    /// Nesting deeper than Python itself accepts; the file was skipped.
    TooDeep,
    /// A walking problem such as a symlink loop.
    Walk,
}

/// One problem, with a location relative to the scanned root.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    pub file: String,
    pub line: Option<u32>,
    pub kind: DiagnosticKind,
    pub message: String,
}
