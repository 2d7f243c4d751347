//! `retort team`: wiring of `retort_team` (history, catalog, findings,
//! CODEOWNERS) to the command line.

use std::path::PathBuf;

use anyhow::Context;
use clap::ValueEnum;

use crate::{analyse, emit, ProjectArgs};

#[derive(Copy, Clone, ValueEnum)]
pub enum TeamFormat {
    Table,
    Json,
    /// The team report and the onboarding playbook.
    Markdown,
}

#[derive(clap::Args)]
pub struct TeamArgs {
    #[command(flatten)]
    project: ProjectArgs,
    #[arg(long, value_enum, default_value = "table")]
    format: TeamFormat,
    /// Only commits more recent than this date (any date git understands).
    #[arg(long)]
    since: Option<String>,
    /// Only commits older than this date.
    #[arg(long)]
    until: Option<String>,
    /// At most this many commits, the newest first.
    #[arg(long)]
    max_commits: Option<usize>,
    /// Developers without a commit in this many days (before the newest commit) count as gone.
    #[arg(long)]
    inactive_days: Option<u32>,
    /// Replace names and e-mails with stable pseudonyms.
    #[arg(long)]
    anonymize: bool,
    /// Print e-mail addresses (never printed by default).
    #[arg(long, conflicts_with = "anonymize")]
    show_emails: bool,
    /// Write a CODEOWNERS proposal from the authorship evidence to FILE.
    #[arg(long, value_name = "FILE")]
    write_codeowners: Option<PathBuf>,
    /// Do not run `retort check` for the role evidence.
    #[arg(long)]
    no_check: bool,
    /// Also count surviving lines per developer (`git blame` of every file
    /// at the newest commit, as git-fame does): a second view of authorship.
    #[arg(long)]
    blame: bool,
}

pub fn run_team(args: TeamArgs) -> anyhow::Result<i32> {
    let path = args.project.path.clone();
    let mut config = if path.is_dir() {
        retort_team::config::load(&path).map_err(anyhow::Error::msg)?
    } else {
        anyhow::bail!("{} is not a folder", path.display());
    };
    if let Some(days) = args.inactive_days {
        config.inactive_days = days;
    }
    config.exclude.extend(args.project.exclude.iter().cloned());
    let options = retort_history::HistoryOptions {
        since: args.since.clone(),
        until: args.until.clone(),
        max_commits: args.max_commits.or(Some(retort_history::DEFAULT_MAX_COMMITS)),
        ..Default::default()
    };
    let history = crate::read_history_with_spinner(&path, &options)
        .with_context(|| format!("cannot read the git history of {}", path.display()))?;
    let root = history.repository.root.clone();
    let prefix = match (path.canonicalize(), root.canonicalize()) {
        (Ok(p), Ok(r)) => match p.strip_prefix(&r) {
            Ok(rel) if rel.as_os_str().is_empty() => String::new(),
            Ok(rel) => format!("{}/", rel.to_string_lossy().replace('\\', "/")),
            Err(_) => String::new(),
        },
        _ => String::new(),
    };
    let run_check = !args.no_check;
    let check_config = if run_check { retort_check::CheckConfig::load(&path)? } else { Default::default() };
    let scanned = {
        let prefix = prefix.clone();
        analyse(&args.project, move |project, catalog| {
            let facts = catalog_facts(project, &catalog, &prefix);
            let findings: Vec<retort_team::FindingFact> = if run_check {
                retort_check::check(project, &catalog, &check_config)
                    .findings
                    .into_iter()
                    .map(|f| retort_team::FindingFact {
                        code: f.code,
                        severity: f.severity.as_str().to_string(),
                        file: format!("{prefix}{}", f.file),
                        line: f.line,
                        message: f.message,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Ok((facts, findings))
        })
    };
    let mut scan_problem = None;
    let (facts, findings) = scanned.unwrap_or_else(|e| {
        scan_problem = Some(format!("no catalog ({e:#}): components and capabilities from path rules only"));
        (retort_team::CatalogFacts::default(), Vec::new())
    });
    let codeowners = retort_team::codeowners::find(&root);
    let report_options = retort_team::ReportOptions {
        anonymize: args.anonymize,
        show_emails: args.show_emails,
        findings_assessed: run_check && scan_problem.is_none(),
    };
    let (mut report, analysis) =
        retort_team::build_report(&history, &facts, codeowners, &findings, &config, &report_options);
    report.diagnostics.extend(scan_problem);
    if args.blame {
        let paths: Vec<String> = analysis.files.iter().map(|(path, _, _)| path.clone()).collect();
        let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (blamed, failed) = retort_history::blame::blame_files(&history, &paths, jobs);
        let name_of = |d: retort_history::DevId| analysis.names[d.0 as usize].clone();
        report.surviving_lines =
            Some(retort_team::surviving_lines::surviving_lines(&blamed, failed, &analysis.components, &name_of));
    }
    if let Some(file) = &args.write_codeowners {
        let owner_of = |d: retort_history::DevId| {
            let dev = history.developer(d);
            if args.anonymize {
                analysis.names[d.0 as usize].clone()
            } else {
                dev.emails.first().cloned().unwrap_or_else(|| format!("@{}", dev.name.replace(' ', "")))
            }
        };
        let text = retort_team::render::propose_codeowners(&analysis, &owner_of);
        std::fs::write(file, text).with_context(|| format!("cannot write {}", file.display()))?;
        eprintln!("wrote {}", file.display());
    }
    let text = match args.format {
        TeamFormat::Table => retort_team::render::summary(&report),
        TeamFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        TeamFormat::Markdown => retort_team::render::markdown(&report),
    };
    emit(&text)?;
    Ok(0)
}

/// What `retort team` takes from the catalog, plus the project's imports
/// at file level (test files the scan skipped included as importers), with
/// paths relative to the repository root (`prefix`: the scanned folder).
pub fn catalog_facts(
    project: &retort_python::Project,
    catalog: &retort_flask::Catalog,
    prefix: &str,
) -> retort_team::CatalogFacts {
    let mut facts = retort_team::CatalogFacts::from_catalog(catalog, prefix);
    let path_of = |module: &retort_python::Module| format!("{prefix}{}", module.display_path());
    let scan = retort_plan::imports::scan_imports(project);
    let mut edges: std::collections::BTreeSet<(String, String)> =
        scan.graph.edges.iter().map(|e| (path_of(project.module(e.from)), path_of(project.module(e.to)))).collect();
    // Test files: skipped by the scan (read here, one at a time), or
    // modules when tests are included (their imports are graph edges).
    let side =
        project.map_side_modules(&project.skipped_test_files, &retort_python::ProjectOptions::default(), |test| {
            let imported: Vec<String> = retort_plan::imports::side_module_imports(project, test)
                .into_iter()
                .map(|(target, _line)| path_of(project.module(target)))
                .collect();
            (path_of(test), imported, retort_team::facts::url_literals(&test.source))
        });
    for (test, imported, urls) in side {
        edges.extend(imported.into_iter().map(|to| (test.clone(), to)));
        facts.test_urls.extend(urls.into_iter().map(|url| (test.clone(), url)));
    }
    for test in project.modules.iter().filter(|m| retort_python::walk::is_test_path(&m.display_path())) {
        for url in retort_team::facts::url_literals(&test.source) {
            facts.test_urls.push((path_of(test), url));
        }
    }
    edges.retain(|(from, to)| from != to);
    facts.imports = edges.into_iter().collect();
    facts
}
