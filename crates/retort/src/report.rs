//! `retort report`: the assessment of a codebase as one self-contained
//! HTML page (`retort_report` renders it; `assessment` gathers the data).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::assessment::{assess, AssessmentOptions};
use crate::{emit, folder_name, ProjectArgs};

#[derive(clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// Write the page to FILE (`-`: standard output).
    #[arg(short, long, value_name = "FILE", default_value = "report.html")]
    output: PathBuf,
    /// Add a load test result (`retort load --json run.json`).
    #[arg(long, value_name = "FILE")]
    load: Option<PathBuf>,
    /// Add an SLO report (`retort slo report --format json > slo.json`).
    #[arg(long, value_name = "FILE")]
    slo: Option<PathBuf>,
    /// Do not read the git history: no hotspots or co-change, no team section.
    #[arg(long)]
    no_history: bool,
    /// Team section: stable pseudonyms instead of developer names (for a page shared widely).
    #[arg(long)]
    anonymize: bool,
}

pub fn run_report(args: ReportArgs) -> anyhow::Result<i32> {
    // Inputs first: a bad file is a usage error before minutes of analysis.
    let load = args.load.as_deref().map(read_load).transpose()?;
    let slo = args.slo.as_deref().map(read_slo).transpose()?;
    let path = &args.project.path;
    let assessment =
        assess(&args.project, &AssessmentOptions { history: !args.no_history, anonymize: args.anonymize })?;

    let check_json: serde_json::Value = serde_json::from_str(&retort_check::render_json(&assessment.check))
        .context("internal error: the check result is not JSON")?;
    let mut codes: BTreeSet<String> = assessment.check.findings.iter().map(|f| f.code.clone()).collect();
    codes.extend(assessment.check.scorecard.iter().flat_map(|c| c.missing.iter().cloned()));
    let rules = codes
        .iter()
        .filter_map(|code| retort_check::rule(code))
        .map(|rule| retort_report::RuleDoc {
            code: rule.code.to_string(),
            name: rule.name.to_string(),
            category: rule.category.as_str().to_string(),
            severity: rule.severity.as_str().to_string(),
            summary: rule.summary.to_string(),
            doc: retort_check::rule_doc(rule.code).unwrap_or_default(),
        })
        .collect();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).ok();
    let input = retort_report::ReportInput {
        project: folder_name(path),
        tool: format!("retort {}", env!("CARGO_PKG_VERSION")),
        generated: now.map(retort_slo::time::format_rfc3339),
        catalog: serde_json::to_value(&assessment.catalog)?,
        check: Ok(check_json),
        rules,
        frames: assessment.frames,
        arch: Ok(serde_json::to_value(&assessment.arch)?),
        history_unavailable: assessment.history_unavailable,
        team: match assessment.team {
            Ok(team) => Ok(serde_json::to_value(&team)?),
            Err(reason) => Err(reason),
        },
        load,
        slo,
    };
    let page = retort_report::render(&input);
    if args.output.as_os_str() == "-" {
        emit(&page)?;
    } else {
        std::fs::write(&args.output, &page).with_context(|| format!("cannot write {}", args.output.display()))?;
        eprintln!("wrote {} ({} KB)", args.output.display(), page.len().div_ceil(1024));
    }
    Ok(0)
}

fn read_load(path: &Path) -> anyhow::Result<serde_json::Value> {
    let result = retort_load::result::RunResult::read(path).with_context(|| format!("--load {}", path.display()))?;
    Ok(serde_json::to_value(result)?)
}

fn read_slo(path: &Path) -> anyhow::Result<serde_json::Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("--slo: cannot read {}", path.display()))?;
    let report: retort_slo::report::Report = serde_json::from_str(&text)
        .with_context(|| format!("--slo {}: not a `retort slo report --format json` result", path.display()))?;
    Ok(serde_json::to_value(report)?)
}
