//! `retort check`: the rule registry, the rules, suppressions, baselines
//! and report formats. Rules only read the [`Project`] and the
//! [`Catalog`] and push findings into a [`Checker`]; the engine applies
//! configuration, suppressions and fingerprints; renderers return strings.

pub mod assessment;
pub mod calls;
pub mod changes;
pub mod checker;
pub mod config;
pub mod corroboration;
pub mod exposure;
pub mod finding;
pub mod fingerprint;
pub mod fix;
pub mod handlers;
pub mod registry;
pub mod render;
pub mod rules;
pub mod scorecard;
pub mod suppression;
pub mod taint;
pub mod templates;
pub mod view_effects;

use std::collections::HashMap;

use rayon::prelude::*;
use retort_flask::Catalog;
use retort_python::Project;

pub use assessment::Completeness;
pub use checker::Checker;
pub use config::{CheckConfig, ConfigError};
pub use finding::{fails, retain_confidence, Category, Confidence, Finding, FlowStep, Report, Severity};
pub use finding::{sort_findings, SortOrder};
pub use fingerprint::{Baseline, BaselineEntry, BaselineError};
pub use registry::{rule, rule_doc, rules, Check, Rule};
pub use render::render_concise;
pub use render::render_gitlab;
pub use render::{render_github, render_json, render_junit, render_markdown, render_sarif, render_text};
pub use scorecard::{gate_failures, meets, render_scorecard, score, CategoryScore, Level};

use checker::{check_module, Hooks, Memo, RawFinding};
use handlers::HandlerIndex;
use registry::registry;
use suppression::{parse_suppressions, Suppression};

/// Stack for traversal threads: ASTs of long operator chains are deep.
const WALKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Runs every enabled rule over `project` and returns the findings sorted by
/// file, line and column, unused suppressions included.
pub fn check(project: &Project, catalog: &Catalog, config: &CheckConfig) -> Report {
    let handlers = HandlerIndex::build(project, catalog);
    let enabled: Vec<(&'static Rule, Check)> = registry()
        .iter()
        .filter(|r| config.is_enabled(r.rule.code))
        .flat_map(|r| r.checks.iter().map(|c| (r.rule, *c)))
        .collect();
    let hooks = Hooks::new(&enabled);
    let memo = Memo::new(project, config);

    let per_module = |module| {
        let mut checker = Checker::new(project, catalog, config, &handlers, &memo);
        check_module(&mut checker, module, &hooks);
        checker.raw
    };
    let mut raw: Vec<RawFinding> = match rayon::ThreadPoolBuilder::new().stack_size(WALKER_STACK_BYTES).build() {
        Ok(pool) => pool.install(|| project.modules.par_iter().flat_map_iter(per_module).collect()),
        Err(_) => project.modules.iter().flat_map(per_module).collect(),
    };

    let mut checker = Checker::new(project, catalog, config, &handlers, &memo);
    for (_, check) in &enabled {
        if let Check::Project(rule) = check {
            rule(&mut checker);
        }
    }
    let not_assessed = assessment::not_assessed(registry(), project, catalog, config, &checker);
    raw.extend(std::mem::take(&mut checker.raw));
    let mut report = finish(raw, project, config);
    report.not_assessed = not_assessed;
    report.completeness = assessment::Completeness::of(project);
    report.diagnostics = project.diagnostics.clone();
    report.diagnostics.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    report
}

/// Applies per-file ignores, severity overrides and suppressions; adds
/// unused-suppression findings; sorts; fingerprints.
fn finish(raw: Vec<RawFinding>, project: &Project, config: &CheckConfig) -> Report {
    let globs = config.compile_globs().unwrap_or_default();
    let mut suppressions: HashMap<String, Vec<Suppression>> = project
        .modules
        .iter()
        .map(|m| (m.display_path(), parse_suppressions(&m.source)))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    let mut report = Report::default();
    for finding in raw {
        let ignored_here = globs.iter().any(|(set, codes)| {
            set.is_match(&finding.file) && codes.iter().any(|c| config::matches_code(c, finding.rule.code))
        });
        if ignored_here {
            continue;
        }
        let suppression = suppressions
            .get_mut(&finding.file)
            .and_then(|list| list.iter_mut().find(|s| s.line == finding.line && s.covers(finding.rule.code)));
        if let Some(suppression) = suppression {
            suppression.used += 1;
            report.suppressed += 1;
            continue;
        }
        report.findings.push(to_finding(&finding, config));
    }

    let unused: &'static Rule = &rules::meta::unused_suppression::RULE;
    if config.is_enabled(unused.code) {
        for (file, list) in &suppressions {
            for s in list.iter().filter(|s| s.used == 0) {
                // A suppression of rules that are switched off is not stale.
                if let Some(codes) = &s.codes {
                    if !codes.iter().any(|c| {
                        registry()
                            .iter()
                            .any(|r| config::matches_code(c, r.rule.code) && config.is_enabled(r.rule.code))
                    }) {
                        continue;
                    }
                }
                let what = match &s.codes {
                    None => "`# retort: ignore`".to_string(),
                    Some(codes) => format!("`# retort: ignore[{}]`", codes.join(", ")),
                };
                let raw = RawFinding {
                    rule: unused,
                    message: format!("Unused suppression: {what} suppresses nothing on this line"),
                    file: file.clone(),
                    line: s.line,
                    column: s.column,
                    end_line: s.line,
                    end_column: s.column,
                    confidence: None,
                    flow: Vec::new(),
                    demoted: false,
                };
                report.findings.push(to_finding(&raw, config));
            }
        }
    }

    report.findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.code, &a.message).cmp(&(&b.file, b.line, b.column, &b.code, &b.message))
    });
    // One finding per sink: of several flows into it, the surest is kept,
    // and of equally sure ones the shortest (the path a reviewer reads). A
    // flow also supersedes a rule's uncorroborated finding at that place.
    let uncorroborated_beside_flow = |a: &Finding, b: &Finding| {
        let low = |f: &Finding| f.confidence == Some(Confidence::Low) && f.flow.is_empty();
        (low(a) && !b.flow.is_empty()) || (low(b) && !a.flow.is_empty())
    };
    report.findings.dedup_by(|a, b| {
        let same = a.code == b.code
            && a.file == b.file
            && a.line == b.line
            && a.column == b.column
            && (a.message == b.message
                || (!a.flow.is_empty() && !b.flow.is_empty())
                || uncorroborated_beside_flow(a, b));
        let better = (a.confidence, std::cmp::Reverse(a.flow.len())) > (b.confidence, std::cmp::Reverse(b.flow.len()));
        if same && better {
            std::mem::swap(a, b);
        }
        same
    });
    let mut files = render::SourceFiles::new(project);
    fingerprint::assign(&mut report.findings, |f| {
        if f.line == 0 {
            f.message.clone()
        } else {
            files.line(&f.file, f.line).unwrap_or_default()
        }
    });
    report
}

fn to_finding(raw: &RawFinding, config: &CheckConfig) -> Finding {
    Finding {
        code: raw.rule.code.to_string(),
        rule: raw.rule.name.to_string(),
        category: raw.rule.category,
        // The configured severity is that of corroborated findings.
        severity: if raw.demoted { Severity::Info } else { config.severity(raw.rule.code, raw.rule.severity) },
        message: raw.message.clone(),
        file: raw.file.clone(),
        line: raw.line,
        column: raw.column,
        end_line: raw.end_line,
        end_column: raw.end_column,
        cwe: raw.rule.cwe,
        fingerprint: String::new(),
        confidence: raw.confidence,
        flow: raw.flow.clone(),
    }
}
