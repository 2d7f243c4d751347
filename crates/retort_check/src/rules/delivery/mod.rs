pub mod ci_without_lint;
pub mod ci_without_security_scan;
pub mod ci_without_tests;
pub mod ci_without_type_check;
pub mod dockerfile_latest_tag;
pub mod dockerfile_missing_healthcheck;
pub mod dockerfile_runs_as_root;
pub mod no_ci_pipeline;
pub mod no_codeowners;
pub mod no_dependency_lock;
pub mod no_tests;
pub mod unpinned_dependency;

use crate::registry::{Check, Registered};
use crate::rules::registered;

/// The rules of this category, in code order.
pub(crate) static REGISTERED: &[Registered] = &[
    registered!(no_ci_pipeline, Check::Project(m::check)),
    registered!(ci_without_lint, Check::Project(m::check)),
    registered!(ci_without_security_scan, Check::Project(m::check)),
    registered!(unpinned_dependency, Check::Project(m::check)),
    registered!(dockerfile_runs_as_root, Check::Project(m::check)),
    registered!(dockerfile_latest_tag, Check::Project(m::check)),
    registered!(dockerfile_missing_healthcheck, Check::Project(m::check)),
    registered!(ci_without_type_check, Check::Project(m::check)),
    registered!(no_codeowners, Check::Project(m::check)),
    registered!(no_tests, Check::Project(m::check)),
    registered!(no_dependency_lock, Check::Project(m::check)),
    registered!(ci_without_tests, Check::Project(m::check)),
];

use crate::checker::Checker;
use crate::registry::Rule;

/// Why the scanned tree is not a repository whose CI, CODEOWNERS, tests and
/// lock files the delivery rules can judge, if it is not: an unpacked wheel
/// or sdist (`calibreweb-0.6.27.dist-info`, `PKG-INFO` at the root or one
/// folder below), or a folder with no file at its top, only packages (an
/// installed package, a `src/` folder scanned on its own). A `.git` at the
/// root always makes it a repository.
pub(crate) fn package_artefact(checker: &Checker) -> Option<String> {
    let is_marker = |name: &str| name == "PKG-INFO" || name.ends_with(".dist-info") || name.ends_with(".egg-info");
    let root = &checker.project.root;
    if root.join(".git").exists() {
        return None;
    }
    let entries = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default()
    };
    let top = entries(root);
    for entry in &top {
        let name = entry.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if is_marker(&name) {
            return Some(name);
        }
        if entry.is_dir() {
            let inner = entries(entry).into_iter().find_map(|e| {
                let name = e.file_name()?.to_string_lossy().into_owned();
                is_marker(&name).then_some(name)
            });
            if inner.is_some() {
                return inner;
            }
        }
    }
    let only_packages = !top.is_empty() && top.iter().all(|e| e.is_dir() && e.join("__init__.py").is_file());
    only_packages.then(|| "only package folders at the top".to_string())
}

/// Reports `rule` when pipelines exist but none has a step of `kind`,
/// at the first test step (where the missing step belongs) or the file.
pub(crate) fn ci_missing_step(checker: &mut Checker, rule: &'static Rule, kind: &str, what: &str) {
    let ci = &checker.catalog.ci;
    if ci.is_empty() || ci.iter().any(|p| p.steps.iter().any(|s| s.kind == kind)) {
        return;
    }
    let pipeline = &ci[0];
    let anchor = pipeline.steps.iter().find(|s| s.kind == "test").or(pipeline.steps.first());
    let line = anchor.map_or(1, |s| s.line);
    let (file, system) = (pipeline.file.clone(), pipeline.system.clone());
    checker.report_at(rule, &file, line, format!("the {system} pipeline has no {what} step"));
}

/// One instruction of a Dockerfile (continuation lines joined).
#[derive(Debug)]
pub(crate) struct Instruction {
    pub line: u32,
    /// Upper-cased keyword.
    pub keyword: String,
    pub arguments: String,
}

/// The Dockerfiles among the project's non-Python files.
pub(crate) fn dockerfiles(checker: &Checker) -> Vec<(String, Vec<Instruction>)> {
    let project = checker.project;
    project
        .other_files
        .iter()
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
            name == "dockerfile"
                || name.starts_with("dockerfile.")
                || name.ends_with(".dockerfile")
                || name == "containerfile"
        })
        .filter_map(|p| {
            let text = std::fs::read_to_string(project.root.join(p)).ok()?;
            Some((p.to_string_lossy().replace('\\', "/"), parse_dockerfile(&text)))
        })
        .collect()
}

pub(crate) fn parse_dockerfile(text: &str) -> Vec<Instruction> {
    let mut out = Vec::new();
    let mut current: Option<Instruction> = None;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if current.is_none() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        let (content, continues) = match line.strip_suffix('\\') {
            Some(c) => (c.trim(), true),
            None => (line, false),
        };
        match &mut current {
            Some(instruction) => {
                if !content.starts_with('#') {
                    instruction.arguments.push(' ');
                    instruction.arguments.push_str(content);
                }
            }
            None => {
                let (keyword, arguments) = content.split_once(char::is_whitespace).unwrap_or((content, ""));
                current = Some(Instruction {
                    line: index as u32 + 1,
                    keyword: keyword.to_ascii_uppercase(),
                    arguments: arguments.trim().to_string(),
                });
            }
        }
        if !continues {
            out.extend(current.take());
        }
    }
    out.extend(current);
    out
}

/// The instructions of the last build stage (from its `FROM` on).
pub(crate) fn final_stage(instructions: &[Instruction]) -> &[Instruction] {
    let start = instructions.iter().rposition(|i| i.keyword == "FROM").unwrap_or(0);
    &instructions[start..]
}
