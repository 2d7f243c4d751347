//! Walking a source tree: parallel, gitignore-aware, with an exclude list.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::diagnostic::{Diagnostic, DiagnosticKind};

/// Folders never worth walking: tool caches, virtualenvs, build output.
const ALWAYS_SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    "__pycache__",
    "site-packages",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".eggs",
    ".idea",
    ".vscode",
];

/// Test folders and files; skipped unless tests are included, because
/// apps built in tests are not the service's own.
const TEST_DIRS: &[&str] = &["tests", "test", "testing"];

/// Non-Python files later stages read: dependency manifests, CI
/// pipelines, container and ownership files, Jinja templates.
fn is_interesting_other_file(relative: &Path) -> bool {
    let name = relative.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let path = relative.to_string_lossy().replace('\\', "/");
    name.starts_with("requirements") && (name.ends_with(".txt") || name.ends_with(".in"))
        || path.contains("requirements/") && name.ends_with(".txt")
        || matches!(
            name,
            "pyproject.toml"
                | "setup.cfg"
                | "Pipfile"
                | "Pipfile.lock"
                | "poetry.lock"
                | "uv.lock"
                | "pdm.lock"
                | ".gitlab-ci.yml"
                | "Jenkinsfile"
                | "azure-pipelines.yml"
                | "bitbucket-pipelines.yml"
                | ".travis.yml"
                | "CODEOWNERS"
                | "tox.ini"
                | "retort.toml"
                | ".pre-commit-config.yaml"
                | "Procfile"
        )
        || name.starts_with("Dockerfile")
        || name.starts_with("docker-compose")
        || name.starts_with("compose.y")
        || (path.starts_with(".github/workflows/") || path.starts_with(".circleci/"))
            && (name.ends_with(".yml") || name.ends_with(".yaml"))
        || is_jinja_template(&path, name)
}

/// An HTML or Jinja file under a `templates/` folder (Flask's default).
fn is_jinja_template(path: &str, name: &str) -> bool {
    (path.starts_with("templates/") || path.contains("/templates/"))
        && [".html", ".htm", ".jinja", ".jinja2", ".j2"].iter().any(|ext| name.ends_with(ext))
}

/// What to walk and what to leave out.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Glob patterns (gitignore-like, matched on the path relative to the
    /// root, e.g. `migrations/**`, `**/legacy_*.py`).
    pub exclude: Vec<String>,
    /// Walk `tests/`, `test_*.py` and `conftest.py` too.
    pub include_tests: bool,
    /// Worker threads; `None` uses all cores.
    pub threads: Option<usize>,
    /// When set, only these packages and modules directly under the root
    /// are walked (by name, `.py` left off): the distributions of a plugin
    /// host in site-packages, say.
    pub only_top_level: Option<Vec<String>>,
}

/// The files a walk found, sorted, with paths relative to the root.
#[derive(Debug, Default)]
pub struct WalkResult {
    pub python_files: Vec<PathBuf>,
    pub other_files: Vec<PathBuf>,
    /// Test files left out (counted, so a "no tests" review can tell).
    pub skipped_test_files: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a walk could not start.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("invalid exclude pattern {pattern:?}")]
    BadPattern { pattern: String, source: globset::Error },
}

fn build_excludes(patterns: &[String]) -> Result<GlobSet, WalkError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let trimmed = pattern.trim_end_matches('/');
        for variant in [trimmed.to_string(), format!("{trimmed}/**")] {
            let glob =
                Glob::new(&variant).map_err(|source| WalkError::BadPattern { pattern: pattern.clone(), source })?;
            builder.add(glob);
        }
    }
    builder.build().map_err(|source| WalkError::BadPattern { pattern: patterns.join(","), source })
}

fn is_test_file(name: &str) -> bool {
    name == "conftest.py" || name.starts_with("test_") && name.ends_with(".py") || name.ends_with("_test.py")
}

/// Whether a `/`-separated path relative to the scanned folder is a test
/// file by the walk's rules (a test file name, or inside a test folder).
pub fn is_test_path(relative: &str) -> bool {
    let mut parts: Vec<&str> = relative.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    is_test_file(name) || parts.iter().any(|dir| TEST_DIRS.contains(dir))
}

/// Walks `root` in parallel. Unreadable folders and symlink loops become
/// diagnostics; the walk goes on.
pub fn walk(root: &Path, options: &WalkOptions) -> Result<WalkResult, WalkError> {
    let excludes = build_excludes(&options.exclude)?;
    let result = Mutex::new(WalkResult::default());
    let mut builder = WalkBuilder::new(root);
    builder.hidden(false).require_git(false).follow_links(true).threads(options.threads.unwrap_or(0));
    let root_owned = root.to_path_buf();
    let only_top_level = options.only_top_level.clone();
    builder.filter_entry(move |entry| {
        let name = entry.file_name().to_string_lossy();
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if let Some(only) = only_top_level.as_ref().filter(|_| entry.depth() == 1) {
            let stem = if is_dir { name.as_ref() } else { name.strip_suffix(".py").unwrap_or("") };
            if !only.iter().any(|o| o == stem) {
                return false;
            }
        }
        let skipped = entry.depth() > 0 && ALWAYS_SKIPPED_DIRS.contains(&name.as_ref())
            || name.ends_with(".egg-info")
            || entry.path() != root_owned && entry.path().join("pyvenv.cfg").is_file();
        !(is_dir && skipped)
    });
    builder.build_parallel().run(|| {
        let result = &result;
        let excludes = &excludes;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let file = error_path(&err).map(|p| relative_display(root, &p)).unwrap_or_default();
                    let kind = if err.is_io() { DiagnosticKind::Unreadable } else { DiagnosticKind::Walk };
                    result.lock().unwrap().diagnostics.push(Diagnostic {
                        file,
                        line: None,
                        kind,
                        message: err.to_string(),
                    });
                    return WalkState::Continue;
                }
            };
            let relative = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
            if entry.depth() > 0 && excludes.is_match(&relative) {
                return WalkState::Skip;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            let name = entry.file_name().to_string_lossy();
            if is_dir {
                if !options.include_tests && entry.depth() > 0 && TEST_DIRS.contains(&name.as_ref()) {
                    collect_skipped_tests(entry.path(), root, &mut result.lock().unwrap());
                    return WalkState::Skip;
                }
                return WalkState::Continue;
            }
            let mut result = result.lock().unwrap();
            let wanted = name.ends_with(".py") || is_interesting_other_file(&relative);
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                // Opening a FIFO blocks until a writer comes and `/dev/zero`
                // never ends: only regular files (or links to them) are read.
                if wanted {
                    result.diagnostics.push(Diagnostic {
                        file: relative_display(root, entry.path()),
                        line: None,
                        kind: DiagnosticKind::Unreadable,
                        message: "not a regular file (FIFO, socket or device); skipped".to_string(),
                    });
                }
                return WalkState::Continue;
            }
            if name.ends_with(".py") {
                if !options.include_tests && is_test_file(&name) {
                    result.skipped_test_files.push(relative);
                } else {
                    result.python_files.push(relative);
                }
            } else if is_interesting_other_file(&relative) {
                result.other_files.push(relative);
            }
            WalkState::Continue
        })
    });
    let mut result = result.into_inner().unwrap();
    result.python_files.sort();
    result.python_files.dedup();
    result.other_files.sort();
    result.skipped_test_files.sort();
    result.diagnostics.sort_by(|a, b| a.file.cmp(&b.file).then(a.message.cmp(&b.message)));
    Ok(result)
}

/// Counts the Python files under a skipped test folder (bounded, no links).
fn collect_skipped_tests(dir: &Path, root: &Path, result: &mut WalkResult) {
    for entry in WalkBuilder::new(dir).follow_links(false).max_depth(Some(8)).build().flatten() {
        if entry.path().extension().is_some_and(|e| e == "py") {
            result.skipped_test_files.push(entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf());
        }
    }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// A path relative to the root, with `/` separators, for reports.
pub fn relative_display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}
