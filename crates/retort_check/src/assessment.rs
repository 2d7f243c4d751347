//! Which rules judged the scanned tree, and how much of it they could read.
//! A rule that was deselected, or that had nothing to judge because the
//! input lacks what it needs (no Python file, no Flask app, an unpacked
//! package instead of a repository), is *not assessed*: its silence is no
//! evidence, so the scorecard must not count it as passed.

use std::collections::BTreeMap;

use retort_flask::Catalog;
use retort_python::{DiagnosticKind, Project};
use serde::{Deserialize, Serialize};

use crate::checker::Checker;
use crate::config::CheckConfig;
use crate::finding::Category;
use crate::registry::{Check, Registered};

/// Why each rule that did not judge the tree did not, by code.
pub(crate) fn not_assessed(
    registry: &[Registered],
    project: &Project,
    catalog: &Catalog,
    config: &CheckConfig,
    checker: &Checker,
) -> BTreeMap<String, String> {
    let no_python = project.modules.is_empty();
    let has_app = !catalog.apps.is_empty() && catalog.routes.iter().any(|r| r.view_location.is_some());
    let reads_requests = catalog.routes.iter().any(|r| r.view_location.is_some())
        || project.modules.iter().any(|m| m.source.contains("request") && m.source.contains("flask"));
    let artefact = crate::rules::delivery::package_artefact(checker);
    let mut out = BTreeMap::new();
    for registered in registry {
        let rule = registered.rule;
        if rule.category == Category::Meta {
            continue;
        }
        let reason = if !config.is_enabled(rule.code) {
            Some("deselected".to_string())
        } else if no_python {
            Some("no Python file was analysed".to_string())
        } else if rule.category == Category::Delivery && artefact.is_some() {
            Some(format!("not a repository ({})", artefact.clone().unwrap_or_default()))
        } else if rule.name.starts_with("ci-without-") && catalog.ci.is_empty() {
            // Steps of a pipeline that does not exist: DEL001 judges its absence.
            Some("no CI pipeline found".to_string())
        } else if registered.checks.iter().all(|c| matches!(c, Check::Taint(_))) && !reads_requests {
            Some("no request handler found".to_string())
        } else if rule.category != Category::Delivery
            && registered.checks.iter().all(|c| matches!(c, Check::Project(_)))
            && !has_app
        {
            Some("no Flask app with routes found".to_string())
        } else {
            None
        };
        if let Some(reason) = reason {
            out.insert(rule.code.to_string(), reason);
        }
    }
    out
}

/// How much of the tree the rules could read: Python files that could not
/// be read, decoded or parsed in full are not analysed (a file with syntax
/// errors is analysed only in part), so findings in them may be missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Completeness {
    /// Python files found (analysed or not).
    pub files: usize,
    /// Files analysed in full.
    pub analysed: usize,
    /// Files analysed only in part (syntax errors: what parsed was checked).
    pub partial: usize,
    /// Files skipped: unreadable, undecodable, binary, too large or too deep.
    pub skipped: usize,
    /// Folders or paths the walk could not enter (their files are unknown).
    pub walk_errors: usize,
}

impl Completeness {
    pub(crate) fn of(project: &Project) -> Completeness {
        let count = |kinds: &[DiagnosticKind]| project.diagnostics.iter().filter(|d| kinds.contains(&d.kind)).count();
        let partial = count(&[DiagnosticKind::Syntax]);
        let walk_errors = count(&[DiagnosticKind::Walk]);
        let skipped = project.diagnostics.len() - partial - walk_errors;
        Completeness {
            files: project.modules.len() + skipped,
            analysed: project.modules.len().saturating_sub(partial),
            partial,
            skipped,
            walk_errors,
        }
    }

    /// Whether every file found was analysed in full.
    pub fn is_complete(&self) -> bool {
        self.analysed == self.files && self.walk_errors == 0
    }

    /// Share of the Python files analysed in full, in percent.
    pub fn percent(&self) -> f64 {
        if self.files == 0 {
            return 100.0;
        }
        self.analysed as f64 * 100.0 / self.files as f64
    }

    /// `38 of 40 Python files analysed in full (95 %): 1 skipped, 1 with syntax errors`.
    pub fn describe(&self) -> String {
        let mut text =
            format!("{} of {} Python files analysed in full ({:.0} %)", self.analysed, self.files, self.percent());
        let mut parts = Vec::new();
        if self.skipped > 0 {
            parts.push(format!("{} could not be read or decoded", self.skipped));
        }
        if self.partial > 0 {
            parts.push(format!("{} with syntax errors", self.partial));
        }
        if self.walk_errors > 0 {
            parts.push(format!("{} paths could not be walked", self.walk_errors));
        }
        if !parts.is_empty() {
            text.push_str(": ");
            text.push_str(&parts.join(", "));
        }
        text
    }
}
