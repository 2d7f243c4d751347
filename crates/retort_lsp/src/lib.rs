//! The language server of Retort (`retort lsp`): `retort check` findings
//! as LSP diagnostics of the files open in an editor, over stdio.
//!
//! This crate speaks the protocol and keeps the editor's buffers; it does
//! not know how to analyse a project. The binary hands it a [`CheckFn`]
//! that runs `retort check` on a project with the buffers read instead of
//! the files on disk, so the editor shows exactly what `retort check`
//! reports, on text not yet saved.
//!
//! Synchronous and single-threaded apart from the reader: one check runs
//! at a time, and edits that arrive meanwhile are coalesced into the next
//! one. Built on `lsp-server` (rust-analyzer's scaffold) for the message
//! types and `lsp-types` for the protocol's structures.

pub mod diagnostic;
pub mod position;
pub mod root;
mod server;
pub mod transport;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use server::{serve, serve_stdio, Ending, LspError};

/// Texts to analyse instead of the files on disk, by path relative to the
/// project root (see `retort_python::ProjectOptions::overlay`).
pub type Overlay = HashMap<PathBuf, String>;

/// Runs `retort check` on the project at `root` with `overlay` in place of
/// those files: every finding (paths relative to `root`), or why the check
/// could not run (a malformed `pyproject.toml`, say), in words.
pub type CheckFn = dyn Fn(&Path, Overlay) -> Result<Vec<retort_check::Finding>, String>;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Quiet time after an edit before the project is checked again, so
    /// a burst of keystrokes runs one check. Opening and saving a file
    /// check at once.
    pub debounce: Duration,
    /// Where a rule's documentation lives, with `{code}` for its code
    /// (`https://…/docs/rules/{code}.md`): the diagnostics' `codeDescription`.
    pub rules_url: Option<String>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self { debounce: Duration::from_millis(100), rules_url: None }
    }
}
