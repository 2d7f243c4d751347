//! What `retort push` uploads: the analyses of one codebase as the
//! commands' JSON documents. [`gather`] is the one place that decides
//! which analyses run (a shared assessment module can replace it).

use std::path::Path;
use std::process::Command;

use retort_portal::cli::Gathered;
use serde_json::Value;

use crate::{analyse, folder_name, openapi, team, ProjectArgs};

fn project(path: &Path) -> ProjectArgs {
    ProjectArgs {
        path: path.to_path_buf(),
        exclude: Vec::new(),
        include_tests: false,
        auth_decorators: Vec::new(),
        threads: None,
    }
}

fn in_git_work_tree(path: &Path) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(path)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// `scan`, `check` (with its scorecard) and `openapi` always; `arch` and
/// `team` when PATH is in a git work tree (they read its history).
pub fn gather(path: &Path) -> anyhow::Result<Gathered> {
    if !path.is_dir() {
        anyhow::bail!("{} is not a folder", path.display());
    }
    let mut gathered = Gathered::default();
    let git = in_git_work_tree(path);
    let check_config = retort_check::CheckConfig::load(path)?;
    let arch_config = retort_plan::ArchConfig::load(path)?;
    let history = if git {
        match retort_history::read_history(path, &Default::default()) {
            Ok(history) => Some(history),
            Err(err) => {
                gathered.notes.push(format!("arch without history: {err}"));
                None
            }
        }
    } else {
        None
    };
    let mut args = project(path);
    args.auth_decorators.extend(check_config.extra_auth_decorators.iter().cloned());
    let title = folder_name(path);
    let root = path.to_path_buf();
    let (scan, check, openapi, arch) = analyse(&args, move |project, catalog| {
        let mut report = retort_check::check(project, &catalog, &check_config);
        report.scorecard = retort_check::score(&report, &check_config.scorecards());
        let check: Value = serde_json::from_str(&retort_check::render_json(&report))?;
        let openapi = openapi::build(&catalog, &title, "0.0.0", None);
        let arch = git.then(|| {
            retort_plan::assess(&retort_plan::AssessInput {
                project,
                catalog: &catalog,
                config: &arch_config,
                root: &root,
                history: history.as_ref(),
                coupling: Default::default(),
            })
        });
        let arch = arch.map(|a| serde_json::to_value(&a)).transpose()?;
        Ok((serde_json::to_value(&catalog)?, check, openapi, arch))
    })?;
    gathered.results.insert("scan".into(), scan);
    gathered.results.insert("check".into(), check);
    gathered.results.insert("openapi".into(), openapi);
    match arch {
        Some(arch) => {
            gathered.results.insert("arch".into(), arch);
        }
        None => gathered.notes.push("arch and team skipped: not a git work tree".into()),
    }
    if git {
        match team::team_report(&team::TeamArgs::for_path(project(path))) {
            Ok(report) => {
                gathered.results.insert("team".into(), serde_json::to_value(&report)?);
            }
            Err(err) => gathered.notes.push(format!("team skipped: {err:#}")),
        }
    }
    Ok(gathered)
}
