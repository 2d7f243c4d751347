//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use retort_check::{check, CheckConfig, Report};
use retort_flask::{build_catalog, ScanOptions};
use retort_python::{load_project, Project, ProjectOptions};

pub fn shopfront_root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/shopfront")).to_path_buf()
}

pub fn load(root: &Path) -> Project {
    load_project(root, &ProjectOptions::default(), &|_| {}).expect("project loads")
}

pub fn check_project(project: &Project, config: &CheckConfig) -> Report {
    let catalog = build_catalog(project, &ScanOptions { extra_auth_decorators: config.extra_auth_decorators.clone() });
    check(project, &catalog, config)
}

/// Checks Python sources given as (path, text).
pub fn check_sources(files: &[(&str, &str)], config: &CheckConfig) -> (Project, Report) {
    let project = Project::from_sources(files);
    let report = check_project(&project, config);
    (project, report)
}

/// `CODE file:line` of each finding, for compact assertions.
pub fn keys(report: &Report) -> Vec<String> {
    report.findings.iter().map(|f| format!("{} {}:{}", f.code, f.file, f.line)).collect()
}
