//! A loaded Python project: every module parsed, named and indexed for
//! import resolution.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use ruff_python_ast::ModModule;
use ruff_python_parser::{parse_unchecked_source, ParseError};
use ruff_source_file::LineIndex;
use ruff_text_size::TextSize;

use crate::decode::{decode_source, nesting_over, prefix_operators_over};
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::import_root::ImportRoot;
use crate::module_name::{dotted_suffixes, module_name};
use crate::walk::{relative_display, walk, WalkError, WalkOptions, WalkResult};

/// Deeper bracket nesting than this is refused (CPython stops at 200).
const MAX_BRACKET_DEPTH: usize = 200;

/// Longer runs of prefix operators (`- - -x`, `not not x`) are refused:
/// CPython gives up after a few thousand, ruff's parser would spend about
/// 1 KB of memory on each.
const MAX_PREFIX_OPERATORS: usize = 5000;

/// Stack for parser threads: ASTs of long operator chains are deep.
const PARSER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Index of a module in [`Project::modules`].
pub type ModuleId = usize;

/// How to load a project.
#[derive(Debug, Clone)]
pub struct ProjectOptions {
    pub walk: WalkOptions,
    /// Files larger than this are reported and skipped.
    pub max_file_bytes: u64,
    /// Text to analyse instead of a file's bytes on disk (an editor's
    /// unsaved buffers), by path relative to the root. Only files the walk
    /// finds are read, so an overlay never adds or un-excludes a file.
    pub overlay: HashMap<PathBuf, String>,
}

impl Default for ProjectOptions {
    fn default() -> Self {
        Self { walk: WalkOptions::default(), max_file_bytes: 8 * 1024 * 1024, overlay: HashMap::new() }
    }
}

/// One parsed Python file.
#[derive(Debug)]
pub struct Module {
    /// Canonical dotted name from the `__init__.py` chain.
    pub name: String,
    /// Path relative to the scanned root.
    pub path: PathBuf,
    pub is_package: bool,
    pub source: String,
    pub ast: ModModule,
    pub line_index: LineIndex,
    /// Lines of the source (counted for reports).
    pub line_count: usize,
}

impl Module {
    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: TextSize) -> u32 {
        self.line_index.line_index(offset).get() as u32
    }

    /// The path with `/` separators.
    pub fn display_path(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }
}

/// Why a project could not be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}")]
    Root { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a folder")]
    NotADirectory { path: PathBuf },
    #[error(transparent)]
    Walk(#[from] WalkError),
    #[error("cannot start parser threads: {0}")]
    Threads(String),
}

/// The whole project as later stages see it.
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    /// Where module names start (the scanned folder may be a package).
    pub import_root: ImportRoot,
    pub modules: Vec<Module>,
    /// Manifests, CI files and the like (relative paths).
    pub other_files: Vec<PathBuf>,
    pub skipped_test_files: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
    /// Bytes and lines of every Python file read.
    pub total_bytes: u64,
    pub total_lines: usize,
    by_name: HashMap<String, Vec<ModuleId>>,
    by_suffix: HashMap<String, Vec<ModuleId>>,
    by_path: HashMap<PathBuf, ModuleId>,
}

enum FileOutcome {
    Parsed(Box<Module>, Option<Diagnostic>),
    Failed(Diagnostic, u64),
}

/// Walks, decodes and parses the project under `root`. `progress` is
/// called once per file handled (from worker threads).
pub fn load_project(
    root: &Path,
    options: &ProjectOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Project, LoadError> {
    let metadata = std::fs::metadata(root).map_err(|source| LoadError::Root { path: root.to_path_buf(), source })?;
    if !metadata.is_dir() {
        return Err(LoadError::NotADirectory { path: root.to_path_buf() });
    }
    let WalkResult { python_files, other_files, skipped_test_files, diagnostics: walk_diagnostics } =
        walk(root, &options.walk)?;
    let import_root = ImportRoot::discover(root);
    let package_dirs: HashSet<PathBuf> = python_files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "__init__.py"))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.walk.threads.unwrap_or(0))
        .stack_size(PARSER_STACK_BYTES)
        .build()
        .map_err(|err| LoadError::Threads(err.to_string()))?;
    let outcomes: Vec<FileOutcome> = pool.install(|| {
        python_files
            .par_iter()
            .map(|relative| {
                let outcome = load_file(root, relative, &package_dirs, &import_root, options);
                progress(1);
                outcome
            })
            .collect()
    });

    let mut modules = Vec::with_capacity(outcomes.len());
    let mut diagnostics = walk_diagnostics;
    let mut total_bytes = 0;
    let mut total_lines = 0;
    for outcome in outcomes {
        match outcome {
            FileOutcome::Parsed(module, diagnostic) => {
                total_bytes += module.source.len() as u64;
                total_lines += module.line_count;
                diagnostics.extend(diagnostic);
                modules.push(*module);
            }
            FileOutcome::Failed(diagnostic, bytes) => {
                total_bytes += bytes;
                diagnostics.push(diagnostic);
            }
        }
    }
    // Parsing is parallel; dropping deep ASTs must not happen on a small stack,
    // so the pool is kept until here and the project owns the trees.
    drop(pool);
    let project = Project::index(
        root.to_path_buf(),
        import_root.package.as_deref(),
        modules,
        other_files,
        skipped_test_files,
        diagnostics,
        total_bytes,
        total_lines,
    );
    Ok(Project { import_root, ..project })
}

fn load_file(
    root: &Path,
    relative: &Path,
    package_dirs: &HashSet<PathBuf>,
    import_root: &ImportRoot,
    options: &ProjectOptions,
) -> FileOutcome {
    let file = relative_display(root, &root.join(relative));
    let fail = |kind, message: String, bytes| {
        FileOutcome::Failed(Diagnostic { file: file.clone(), line: None, kind, message }, bytes)
    };
    let max_bytes = options.max_file_bytes;
    let read = match options.overlay.get(relative) {
        Some(text) if text.len() as u64 > max_bytes => Err(too_large(text.len() as u64, max_bytes)),
        Some(text) => Ok((text.clone(), text.len() as u64)),
        None => read_source(&root.join(relative), max_bytes),
    };
    let (source, size) = match read {
        Ok(read) => read,
        Err((kind, message, bytes)) => return fail(kind, message, bytes),
    };
    if let Some(depth) = nesting_over(&source, MAX_BRACKET_DEPTH) {
        return fail(
            DiagnosticKind::TooDeep,
            format!("brackets nested {depth} deep (Python allows {MAX_BRACKET_DEPTH}); file skipped"),
            size,
        );
    }
    if prefix_operators_over(&source, MAX_PREFIX_OPERATORS).is_some() {
        return fail(
            DiagnosticKind::TooDeep,
            format!("more than {MAX_PREFIX_OPERATORS} prefix operators (`-`, `not`, ...) in a row; file skipped"),
            size,
        );
    }
    let parsed = parse_unchecked_source(&source, ruff_python_ast::PySourceType::Python);
    let line_index = LineIndex::from_source_text(&source);
    let diagnostic = parsed.errors().first().map(|first: &ParseError| Diagnostic {
        file: file.clone(),
        line: Some(line_index.line_index(first.location.start()).get() as u32),
        kind: DiagnosticKind::Syntax,
        message: format!(
            "{} syntax error(s), first: {}; the rest of the file was still read",
            parsed.errors().len(),
            first.error
        ),
    });
    let line_count = source.lines().count();
    let is_package = relative.file_name().is_some_and(|n| n == "__init__.py");
    FileOutcome::Parsed(
        Box::new(Module {
            name: module_name(relative, package_dirs, import_root),
            path: relative.to_path_buf(),
            is_package,
            line_count,
            ast: parsed.into_syntax(),
            line_index,
            source,
        }),
        diagnostic,
    )
}

fn too_large(size: u64, max_bytes: u64) -> (DiagnosticKind, String, u64) {
    (DiagnosticKind::TooLarge, format!("{size} bytes is over the {max_bytes}-byte limit; file skipped"), 0)
}

/// Reads and decodes a file: its text and its size in bytes, or why not
/// (the diagnostic's kind, message and the bytes it counts for).
fn read_source(absolute: &Path, max_bytes: u64) -> Result<(String, u64), (DiagnosticKind, String, u64)> {
    let size = match std::fs::metadata(absolute) {
        // The walk only yields regular files; this guards other callers
        // against FIFOs (which would block `read`) and devices.
        Ok(meta) if !meta.is_file() => {
            return Err((DiagnosticKind::Unreadable, "not a regular file; skipped".to_string(), 0));
        }
        Ok(meta) => meta.len(),
        Err(err) => return Err((DiagnosticKind::Unreadable, err.to_string(), 0)),
    };
    if size > max_bytes {
        return Err(too_large(size, max_bytes));
    }
    let bytes = std::fs::read(absolute).map_err(|err| (DiagnosticKind::Unreadable, err.to_string(), 0))?;
    match decode_source(&bytes) {
        Ok(text) => Ok((text.into_owned(), size)),
        Err(err @ crate::decode::DecodeError::Binary) => Err((DiagnosticKind::Binary, err.to_string(), size)),
        Err(err) => Err((DiagnosticKind::Decode, err.to_string(), size)),
    }
}

impl Project {
    /// Reads and parses files of the project folder that are not modules of
    /// the project (the test files the walk skipped) without adding them to
    /// it, so the catalog is unchanged, and returns `f` of each: `retort
    /// team` follows their imports to find which tests exercise which
    /// component. Files are parsed in parallel and each tree is dropped as
    /// soon as `f` is done with it (memory stays that of a few files).
    /// Files that cannot be read or parsed are left out.
    pub fn map_side_modules<T: Send>(
        &self,
        paths: &[PathBuf],
        options: &ProjectOptions,
        f: impl Fn(&Module) -> T + Sync,
    ) -> Vec<T> {
        let mut package_dirs: HashSet<PathBuf> = self
            .modules
            .iter()
            .filter(|m| m.is_package)
            .filter_map(|m| m.path.parent().map(Path::to_path_buf))
            .collect();
        package_dirs.extend(
            paths
                .iter()
                .filter(|p| p.file_name().is_some_and(|n| n == "__init__.py"))
                .filter_map(|p| p.parent().map(Path::to_path_buf)),
        );
        let each = |relative: &PathBuf| match load_file(&self.root, relative, &package_dirs, &self.import_root, options)
        {
            FileOutcome::Parsed(module, _) => Some(f(&module)),
            FileOutcome::Failed(..) => None,
        };
        // On big stacks, as the project itself; without a pool, one by one
        // on this thread.
        match rayon::ThreadPoolBuilder::new()
            .num_threads(options.walk.threads.unwrap_or(0))
            .stack_size(PARSER_STACK_BYTES)
            .build()
        {
            Ok(pool) => pool.install(|| paths.par_iter().filter_map(each).collect()),
            Err(_) => paths.iter().filter_map(each).collect(),
        }
    }

    /// Indexes the modules by name, dotted path suffix and path. `package`
    /// is the scanned folder's own package name when it is one (see
    /// [`ImportRoot::package`]): path suffixes then start above it, so
    /// that `swh.objstorage.interface` finds `objstorage/interface.py`
    /// scanned from inside the `swh` namespace.
    #[allow(clippy::too_many_arguments)]
    fn index(
        root: PathBuf,
        package: Option<&str>,
        modules: Vec<Module>,
        other_files: Vec<PathBuf>,
        skipped_test_files: Vec<PathBuf>,
        diagnostics: Vec<Diagnostic>,
        total_bytes: u64,
        total_lines: usize,
    ) -> Self {
        let mut by_name: HashMap<String, Vec<ModuleId>> = HashMap::new();
        let mut by_suffix: HashMap<String, Vec<ModuleId>> = HashMap::new();
        let mut by_path = HashMap::new();
        for (id, module) in modules.iter().enumerate() {
            by_name.entry(module.name.clone()).or_default().push(id);
            let full: PathBuf = match package {
                Some(package) => package.split('.').collect::<PathBuf>().join(&module.path),
                None => module.path.clone(),
            };
            for suffix in dotted_suffixes(&full) {
                by_suffix.entry(suffix).or_default().push(id);
            }
            by_path.insert(module.path.clone(), id);
        }
        Self {
            root,
            import_root: ImportRoot::plain(),
            modules,
            other_files,
            skipped_test_files,
            diagnostics,
            total_bytes,
            total_lines,
            by_name,
            by_suffix,
            by_path,
        }
    }

    /// Builds a project from in-memory sources (tests, fuzzing).
    pub fn from_sources(files: &[(&str, &str)]) -> Self {
        let package_dirs: HashSet<PathBuf> = files
            .iter()
            .map(|(p, _)| PathBuf::from(p))
            .filter(|p| p.file_name().is_some_and(|n| n == "__init__.py"))
            .filter_map(|p| p.parent().map(Path::to_path_buf))
            .collect();
        let mut modules = Vec::new();
        let mut diagnostics = Vec::new();
        for (path, source) in files {
            if nesting_over(source, MAX_BRACKET_DEPTH).is_some()
                || prefix_operators_over(source, MAX_PREFIX_OPERATORS).is_some()
            {
                diagnostics.push(Diagnostic {
                    file: path.to_string(),
                    line: None,
                    kind: DiagnosticKind::TooDeep,
                    message: "too deep".into(),
                });
                continue;
            }
            let parsed = parse_unchecked_source(source, ruff_python_ast::PySourceType::Python);
            let relative = PathBuf::from(path);
            modules.push(Module {
                name: module_name(&relative, &package_dirs, &ImportRoot::plain()),
                is_package: relative.file_name().is_some_and(|n| n == "__init__.py"),
                path: relative,
                line_count: source.lines().count(),
                ast: parsed.into_syntax(),
                line_index: LineIndex::from_source_text(source),
                source: source.to_string(),
            });
        }
        Self::index(PathBuf::from("."), None, modules, Vec::new(), Vec::new(), diagnostics, 0, 0)
    }

    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id]
    }

    /// Resolves an absolute dotted module name as seen from `importer`.
    /// Exact package names win; otherwise the file whose path ends with the
    /// dotted name and lies closest to the importer (namespace packages,
    /// monorepos with several source roots).
    pub fn resolve_absolute(&self, name: &str, importer: ModuleId) -> Option<ModuleId> {
        self.resolve_absolute_at(name, &self.modules[importer].path)
    }

    /// [`Project::resolve_absolute`] for an importer known by its path
    /// (relative to the root), which need not be a module of the project
    /// (a test file read with [`Project::map_side_modules`]).
    pub fn resolve_absolute_at(&self, name: &str, importer_path: &Path) -> Option<ModuleId> {
        let pick = |candidates: &Vec<ModuleId>| -> Option<ModuleId> {
            candidates
                .iter()
                .copied()
                .max_by_key(|&id| (common_prefix_len(importer_path, &self.modules[id].path), std::cmp::Reverse(id)))
        };
        if let Some(found) = self.by_name.get(name).and_then(pick) {
            return Some(found);
        }
        // A path suffix only counts when it spans the file's whole package
        // chain (`ns.pkg.mod` for `ns/pkg/mod.py` with `pkg` a package), so
        // `import flask` never resolves to some `util/flask.py` inside a package.
        let spanning: Vec<ModuleId> = self
            .by_suffix
            .get(name)?
            .iter()
            .copied()
            .filter(|&id| {
                let canonical = &self.modules[id].name;
                name == canonical || name.ends_with(&format!(".{canonical}"))
            })
            .collect();
        pick(&spanning)
    }

    /// Resolves `from <dots><module> import …` relative to `importer`.
    pub fn resolve_relative(&self, importer: ModuleId, level: u32, module: Option<&str>) -> Option<ModuleId> {
        self.resolve_relative_at(&self.modules[importer].path, level, module)
    }

    /// [`Project::resolve_relative`] for an importer known by its path.
    pub fn resolve_relative_at(&self, importer_path: &Path, level: u32, module: Option<&str>) -> Option<ModuleId> {
        let mut dir = importer_path.parent()?.to_path_buf();
        for _ in 1..level {
            dir = dir.parent()?.to_path_buf();
        }
        let Some(module) = module else {
            return self.by_path.get(&dir.join("__init__.py")).copied();
        };
        for part in module.split('.') {
            dir.push(part);
        }
        let as_file = dir.with_extension("py");
        self.by_path.get(&as_file).or_else(|| self.by_path.get(&dir.join("__init__.py"))).copied()
    }

    /// Resolves a possibly relative import to a module of the project.
    pub fn resolve_import(&self, importer: ModuleId, level: u32, module: Option<&str>) -> Option<ModuleId> {
        if level == 0 {
            self.resolve_absolute(module?, importer)
        } else {
            self.resolve_relative(importer, level, module)
        }
    }

    /// The package (folder) of a relative import's base, as a dotted name,
    /// used when the module itself is not in the project.
    pub fn module_by_path(&self, path: &Path) -> Option<ModuleId> {
        self.by_path.get(path).copied()
    }

    /// The module of a path as reports print it (`/`-separated, relative to the root).
    pub fn module_by_display_path(&self, file: &str) -> Option<&Module> {
        let id = self.module_by_path(Path::new(file)).or_else(|| {
            // Reports use `/`; on Windows the stored path has `\`.
            let native: PathBuf = file.split('/').collect();
            self.module_by_path(&native)
        })?;
        Some(&self.modules[id])
    }
}

fn common_prefix_len(a: &Path, b: &Path) -> usize {
    a.components().zip(b.components()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_absolute_imports() {
        let project = Project::from_sources(&[
            ("src/shop/__init__.py", "from .api import bp\n"),
            ("src/shop/api/__init__.py", "bp = 1\n"),
            ("src/shop/api/views.py", "from ..models import User\n"),
            ("src/shop/models.py", "User = 1\n"),
            ("ns/pkg/mod.py", "x = 1\n"),
        ]);
        let init = project.by_path[Path::new("src/shop/__init__.py")];
        let views = project.by_path[Path::new("src/shop/api/views.py")];
        let api = project.resolve_import(init, 1, Some("api")).unwrap();
        assert_eq!(project.module(api).name, "shop.api");
        let models = project.resolve_import(views, 2, Some("models")).unwrap();
        assert_eq!(project.module(models).name, "shop.models");
        assert_eq!(project.resolve_absolute("shop.api.views", init), Some(views));
        assert!(project.resolve_absolute("ns.pkg.mod", init).is_some());
        assert!(project.resolve_absolute("flask", init).is_none());
        // A module named like a library inside a package is not that library.
        let project =
            Project::from_sources(&[("app/__init__.py", ""), ("app/util/__init__.py", ""), ("app/util/flask.py", "")]);
        assert!(project.resolve_absolute("flask", 0).is_none());
        assert!(project.resolve_absolute("app.util.flask", 0).is_some());
    }

    #[test]
    fn overlay_replaces_the_text_on_disk_and_adds_no_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.py"), "on_disk = 1\n").unwrap();
        std::fs::write(dir.path().join("other.py"), "untouched = 1\n").unwrap();
        let mut options = ProjectOptions::default();
        options.overlay.insert(PathBuf::from("app.py"), "in_memory = 1\nsecond = 2\n".to_string());
        options.overlay.insert(PathBuf::from("unsaved.py"), "x = 1\n".to_string());
        let project = load_project(dir.path(), &options, &|_| {}).unwrap();
        let app = project.module_by_display_path("app.py").unwrap();
        assert_eq!(app.source, "in_memory = 1\nsecond = 2\n");
        assert_eq!(app.line_count, 2);
        assert_eq!(project.module_by_display_path("other.py").unwrap().source, "untouched = 1\n");
        assert!(project.module_by_display_path("unsaved.py").is_none());
        // The size limit holds for buffers too.
        options.max_file_bytes = 4;
        let project = load_project(dir.path(), &options, &|_| {}).unwrap();
        assert!(project.module_by_display_path("app.py").is_none());
        assert!(project.diagnostics.iter().any(|d| d.file == "app.py" && d.kind == DiagnosticKind::TooLarge));
    }
}
