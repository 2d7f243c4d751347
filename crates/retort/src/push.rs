//! What `retort push` uploads: the shared assessment of one codebase
//! (`assessment::assess`, the same pass `retort report` uses) plus the
//! OpenAPI document, each as its command prints it with `--format json`.

use std::path::Path;

use retort_portal::cli::Gathered;

use crate::assessment::{assess, AssessmentOptions};
use crate::{folder_name, openapi, ProjectArgs};

/// `scan`, `check` (with its scorecard), `openapi` and `arch` always
/// (`arch` without its history parts outside git); `team` when the git
/// history can be read.
pub fn gather(path: &Path) -> anyhow::Result<Gathered> {
    let project = ProjectArgs::at(path);
    let assessment = assess(&project, &AssessmentOptions { history: true, anonymize: false })?;
    let mut gathered = Gathered::default();
    let openapi = openapi::build(&assessment.catalog, &folder_name(path), "0.0.0", None);
    gathered.results.insert("scan".into(), serde_json::to_value(&assessment.catalog)?);
    gathered.results.insert("check".into(), serde_json::from_str(&retort_check::render_json(&assessment.check))?);
    gathered.results.insert("openapi".into(), openapi);
    gathered.results.insert("arch".into(), serde_json::to_value(&assessment.arch)?);
    match assessment.team {
        Ok(team) => {
            gathered.results.insert("team".into(), serde_json::to_value(&team)?);
        }
        Err(reason) => gathered.notes.push(format!("team skipped ({reason}); arch without history")),
    }
    Ok(gathered)
}
