//! Python project loading for Retort.
//!
//! Walks a source tree (gitignore-aware, in parallel), decodes each file
//! (UTF-8, BOM, PEP 263 coding cookies), parses it with
//! `ruff_python_parser`, names every module from its package layout and
//! resolves imports between them. Nothing here knows about Flask: the
//! result is a [`Project`] that later stages read.

pub mod decode;
pub mod diagnostic;
pub mod entry_points;
pub mod import_root;
pub mod module_name;
pub mod plugin_host;
pub mod project;
pub mod walk;

pub use diagnostic::{Diagnostic, DiagnosticKind};
pub use import_root::ImportRoot;
pub use project::{load_project, LoadError, Module, ModuleId, Project, ProjectOptions};
