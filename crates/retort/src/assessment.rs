//! Every static analysis of one codebase in one pass — the catalog, `check`
//! with its scorecard, `arch` and `team` — for `retort report` (and the
//! portal): the code is read and parsed once, the git history once.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use retort_flask::Catalog;

use crate::{analyse, ProjectArgs};

/// Lines shown before and after a finding's line in its code frame.
const FRAME_CONTEXT: u32 = 2;
/// Longer source lines are cut in code frames (minified or generated code).
const FRAME_LINE_CHARS: usize = 240;

pub struct AssessmentOptions {
    /// Read the git history (arch hotspots and co-change, team).
    pub history: bool,
    /// Team: stable pseudonyms instead of developer names.
    pub anonymize: bool,
}

/// The results, each as its command prints it with `--format json`.
pub struct Assessment {
    pub catalog: Catalog,
    /// With its scorecard.
    pub check: retort_check::Report,
    /// Source lines around every finding.
    pub frames: Vec<retort_report::CodeFrame>,
    pub arch: retort_plan::report::ArchReport,
    /// `Err` with the reason when there is no usable git history.
    pub team: Result<retort_team::TeamReport, String>,
    /// Why the git history was not read, if it was not.
    pub history_unavailable: Option<String>,
}

/// Runs scan, check, arch and team on the code at `project.path`. Only an
/// unreadable tree or a broken configuration is an error; a missing git
/// history leaves `team` unavailable and `arch` without its history parts.
pub fn assess(project: &ProjectArgs, options: &AssessmentOptions) -> anyhow::Result<Assessment> {
    let root = project.path.clone();
    if !root.exists() {
        anyhow::bail!("{} does not exist", root.display());
    }
    if !root.is_dir() {
        anyhow::bail!("{} is not a folder", root.display());
    }
    let check_config = retort_check::CheckConfig::load(&root)?;
    let arch_config = retort_plan::ArchConfig::load(&root)?;
    let mut team_config = retort_team::config::load(&root).map_err(anyhow::Error::msg)?;
    team_config.exclude.extend(project.exclude.iter().cloned());

    let history = if !options.history {
        Err("--no-history was given".to_string())
    } else {
        let history_options = retort_history::HistoryOptions {
            max_commits: Some(retort_history::DEFAULT_MAX_COMMITS),
            ..Default::default()
        };
        match retort_history::read_history(&root, &history_options) {
            Ok(history) if history.window.commits_kept == 0 => {
                Err("no git history: no commit touches this folder".to_string())
            }
            Ok(history) => Ok(history),
            Err(e) => Err(format!("no git history: {e}")),
        }
    };
    // Team paths are relative to the repository root; catalog and findings
    // to the scanned folder: the prefix joins them.
    let prefix = match &history {
        Ok(history) => repository_prefix(&root, &history.repository.root),
        Err(_) => String::new(),
    };

    let mut project_args = project.clone();
    project_args.auth_decorators.extend(check_config.extra_auth_decorators.iter().cloned());
    let analysis_root = root.clone();
    let (catalog, check, frames, arch, facts, findings, history) = analyse(&project_args, move |parsed, catalog| {
        let mut check = retort_check::check(parsed, &catalog, &check_config);
        check.scorecard = retort_check::score(&check, &check_config.scorecards());
        retort_check::sort_findings(&mut check.findings, retort_check::SortOrder::Severity);
        let frames = code_frames(parsed, &check.findings);
        let arch = retort_plan::assess(&retort_plan::AssessInput {
            project: parsed,
            catalog: &catalog,
            config: &arch_config,
            root: &analysis_root,
            history: history.as_ref().ok(),
            coupling: Default::default(),
            load: None,
        });
        let facts = crate::team::catalog_facts(parsed, &catalog, &prefix);
        let findings: Vec<retort_team::FindingFact> = check
            .findings
            .iter()
            .map(|f| retort_team::FindingFact {
                code: f.code.clone(),
                severity: f.severity.as_str().to_string(),
                file: format!("{prefix}{}", f.file),
                line: f.line,
                message: f.message.clone(),
            })
            .collect();
        Ok((catalog, check, frames, arch, facts, findings, history))
    })?;

    let history_unavailable = history.as_ref().err().cloned();
    let team = history.map(|history| {
        let codeowners = retort_team::codeowners::find(&history.repository.root);
        let team_options =
            retort_team::ReportOptions { anonymize: options.anonymize, show_emails: false, findings_assessed: true };
        retort_team::build_report(&history, &facts, codeowners, &findings, &team_config, &team_options).0
    });
    Ok(Assessment { catalog, check, frames, arch, team, history_unavailable })
}

/// `sub/dir/` when `path` lies below the repository root, else empty.
fn repository_prefix(path: &Path, repository_root: &Path) -> String {
    match (path.canonicalize(), repository_root.canonicalize()) {
        (Ok(p), Ok(r)) => match p.strip_prefix(&r) {
            Ok(rel) if rel.as_os_str().is_empty() => String::new(),
            Ok(rel) => format!("{}/", rel.to_string_lossy().replace('\\', "/")),
            Err(_) => String::new(),
        },
        _ => String::new(),
    }
}

/// The lines around each finding: Python modules from the parsed project,
/// other files (Dockerfiles, requirements, CI files) read from the root.
fn code_frames(project: &retort_python::Project, findings: &[retort_check::Finding]) -> Vec<retort_report::CodeFrame> {
    let mut others: HashMap<&str, Option<String>> = HashMap::new();
    let mut seen = BTreeSet::new();
    let mut frames = Vec::new();
    for f in findings {
        if f.file.is_empty() || f.line == 0 || !seen.insert((f.file.as_str(), f.line)) {
            continue;
        }
        let text: Option<&str> = match project.module_by_display_path(&f.file) {
            Some(module) => Some(&module.source),
            None => others
                .entry(f.file.as_str())
                .or_insert_with(|| std::fs::read_to_string(project.root.join(&f.file)).ok())
                .as_deref(),
        };
        let Some(text) = text else { continue };
        let first_line = f.line.saturating_sub(FRAME_CONTEXT).max(1);
        let lines: Vec<String> = text
            .lines()
            .skip(first_line as usize - 1)
            .take((f.line - first_line + FRAME_CONTEXT + 1) as usize)
            .map(|line| match line.char_indices().nth(FRAME_LINE_CHARS) {
                Some((cut, _)) => format!("{}…", &line[..cut]),
                None => line.to_string(),
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        frames.push(retort_report::CodeFrame { file: f.file.clone(), line: f.line, first_line, lines });
    }
    frames
}
