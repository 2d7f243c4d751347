//! The `retort` binary: command line, wiring and output rendering.

mod assessment;
mod config;
mod openapi;
mod push;
mod report;
mod runtime;
mod scan_output;
mod team;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;

/// mimalloc instead of glibc's malloc: parsing allocates millions of small
/// AST nodes and frees them in bursts, and allocation took about a fifth
/// of `scan`'s time in a `perf` profile. Without transparent huge pages
/// (`no_thp`): with them, each first touch of a 2 MB page zeroed all of it,
/// which cost up to a second of system time per `scan` on this machine
/// (THP in `madvise` mode). Figures in docs/performance.md ("scan").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use clap::{Parser, Subcommand, ValueEnum};
use retort_flask::Catalog;
use retort_python::{walk::WalkOptions, ProjectOptions};

/// Stack for the analysis thread: ASTs of generated code can be deep.
const ANALYSIS_STACK_BYTES: usize = 512 * 1024 * 1024;

#[derive(Parser)]
#[command(name = "retort", version, about = "Distil a Flask codebase into facts", propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Inventory a Flask codebase without running it: apps, blueprints, routes and more.
    #[command(after_help = "Examples:
  retort scan                         # table of routes of the current folder
  retort scan examples/shopfront --sort rule
  retort scan . --format json > catalog.json
  retort scan . --runtime 'shop:create_app()' --python .venv/bin/python")]
    Scan(ScanArgs),
    /// Write an OpenAPI 3.1 document for the routes found by `scan`.
    #[command(after_help = "Examples:
  retort openapi examples/shopfront > openapi.json
  retort openapi . --title 'Shop API' --version 2.1.0")]
    Openapi(OpenapiArgs),
    /// Review a Flask codebase for security and production readiness.
    #[command(after_help = "Examples:
  retort check                          # findings of the current folder, exit 1 on errors
  retort check . --fail-on warning
  retort check . --format sarif > retort.sarif
  retort check . --select SEC --ignore SEC019             # security rules only
  retort check . --write-baseline .retort-baseline.json   # accept today's findings
  retort check . --baseline .retort-baseline.json         # then report only new ones
  retort check . --diff-base origin/main                  # only findings on changed lines
  retort check . app/views.py                             # only findings in these files
  retort check . --format sarif --output-file retort.sarif
  retort check . --diff                                   # fixes as a diff; --fix applies them")]
    Check(CheckArgs),
    /// List every rule of `retort check`.
    Rules,
    /// Print the documentation of one rule, e.g. `retort rule SEC003`.
    Rule {
        /// Code or name of the rule.
        code: String,
    },
    /// Assess the architecture: import graph, components, cycles, contracts and an extraction plan.
    #[command(after_help = "Examples:
  retort arch examples/shopfront
  retort arch . --format json > arch.json
  retort arch . --format mermaid
  retort arch . --fail-on-contracts        # exit 1 when an import-linter contract is broken
  retort arch . --load run.json            # traffic per component from `retort load ... --json run.json`")]
    Arch(ArchArgs),
    /// Load-test an HTTP service and hold it to SLOs.
    Load(Box<retort_load::cli::LoadArgs>),
    /// SLOs from access logs: SLIs, error budgets, burn-rate alerts; Prometheus rules.
    Slo(retort_slo::cli::SloArgs),
    /// Who knows which part of the code: authorship, truck factor, CODEOWNERS, roles and hiring plan.
    #[command(after_help = "Examples:
  retort team                           # summary of the current repository
  retort team . --format json > team.json
  retort team . --format markdown > TEAM.md   # team report and onboarding playbook
  retort team . --inactive-days 90 --anonymize
  retort team . --write-codeowners CODEOWNERS.proposed")]
    Team(Box<team::TeamArgs>),
    /// The portal: every service's results over time, on SQLite or PostgreSQL.
    #[command(after_help = "Examples:
  retort serve                      # http://127.0.0.1:8080, store in ./retort-portal.db
  retort serve --listen 0.0.0.0:8080 --database postgres://retort@db/portal
  retort serve token create         # prints a write token for `retort push`")]
    Serve(Box<retort_portal::cli::ServeArgs>),
    /// Language server for editors: `retort check` findings on the open files, as you type (LSP over stdio).
    #[command(
        visible_alias = "server",
        after_help = "Editors start it and speak LSP on its stdin and stdout; setup in docs/workflow.md (\"Editor (LSP)\").
Examples:
  retort lsp
  retort lsp --debounce-ms 250
  retort lsp --rules-url 'https://github.com/<owner>/retort/blob/main/docs/rules/{code}.md'"
    )]
    Lsp(LspArgs),
    /// Analyse a repository and upload the results to a portal (`retort serve`).
    #[command(after_help = "Examples:
  retort push http://127.0.0.1:8080 --token $TOKEN .
  retort push http://portal:8080 --token $TOKEN --file load=load.json --file slo=slo.json")]
    Push(Box<retort_portal::cli::PushArgs>),
    /// One self-contained HTML page: summary, routes, scorecard, findings, architecture, team, load and SLOs.
    #[command(after_help = "Examples:
  retort report                         # report.html of the current folder
  retort report examples/shopfront -o shopfront.html
  retort report . --load run.json --slo slo.json
  retort report . --no-history -o - > report.html")]
    Report(Box<report::ReportArgs>),
    /// Parse every Python file and nothing else (the benchmark's reference).
    #[command(hide = true)]
    ParseOnly(ProjectArgs),
}

#[derive(clap::Args, Clone)]
struct ProjectArgs {
    /// Root of the codebase to scan.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Glob of paths to leave out (repeatable), e.g. `migrations/**`.
    #[arg(long = "exclude", value_name = "GLOB")]
    exclude: Vec<String>,
    /// Also scan `tests/`, `test_*.py` and `conftest.py`.
    #[arg(long)]
    include_tests: bool,
    /// Extra decorator names that count as authentication guards.
    #[arg(long = "auth-decorator", value_name = "NAME")]
    auth_decorators: Vec<String>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Packages directly under `path` to read, the rest left out (set for
    /// a plugin host, never from the command line).
    #[arg(skip)]
    only_top_level: Option<Vec<String>>,
}

impl ProjectArgs {
    /// The defaults for the codebase at `path`.
    fn at(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            exclude: Vec::new(),
            include_tests: false,
            auth_decorators: Vec::new(),
            threads: None,
            only_top_level: None,
        }
    }
}

#[derive(Copy, Clone, ValueEnum)]
enum Format {
    Table,
    Json,
}

#[derive(Copy, Clone, ValueEnum, PartialEq)]
pub enum SortKey {
    Endpoint,
    Rule,
    Methods,
    File,
}

#[derive(clap::Args)]
struct ScanArgs {
    #[command(flatten)]
    project: ProjectArgs,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Order of the table.
    #[arg(long, value_enum, default_value = "endpoint")]
    sort: SortKey,
    /// Also build the app with your own interpreter and compare, e.g. `pkg.app:create_app()`.
    /// This imports and runs your code; it is never done by default.
    #[arg(long, value_name = "MODULE:ATTR")]
    runtime: Option<String>,
    /// Python interpreter for --runtime.
    #[arg(long, default_value = "python3", requires = "runtime")]
    python: PathBuf,
    /// Read only the package folder given, even when it is one plugin of an
    /// application assembled from entry points whose other packages are
    /// installed beside it (by default those are read too).
    #[arg(long)]
    package_only: bool,
}

#[derive(Copy, Clone, ValueEnum)]
enum CheckFormat {
    /// Findings with a code frame, a summary and the scorecard.
    #[value(alias = "full")]
    Text,
    /// One line per finding, then the summary and the scorecard.
    Concise,
    Json,
    Sarif,
    Github,
    Junit,
    Markdown,
    /// GitLab Code Quality (Code Climate JSON) for merge requests; alias `codeclimate`.
    #[value(alias = "codeclimate")]
    Gitlab,
}

#[derive(Copy, Clone, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Copy, Clone, ValueEnum)]
enum MinLevel {
    Bronze,
    Silver,
    Gold,
}

#[derive(Copy, Clone, ValueEnum)]
enum CheckSort {
    /// Errors first, then warnings, then info (by file within each).
    Severity,
    File,
    Rule,
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// Output format (`--output-format` is an alias, as in ruff).
    #[arg(long, visible_alias = "output-format", value_enum, default_value = "text")]
    format: CheckFormat,
    /// Order of the findings.
    #[arg(long, value_enum, default_value = "severity")]
    sort: CheckSort,
    /// Exit 1 when a finding of this severity or worse is reported.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Report only findings not in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Exit 1 unless every scorecard category reaches this level.
    #[arg(long, value_enum)]
    min_level: Option<MinLevel>,
    /// Write the current findings' fingerprints to FILE (and exit 0).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Only these rule codes or prefixes (`SEC`, `SEC003`, `ALL`), replacing the configured `select`.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    select: Vec<String>,
    /// Also run these rule codes or prefixes (added to `select`).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Also skip these rule codes or prefixes (added to the configured `ignore`).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Report only findings on lines changed since the merge base of REF and HEAD
    /// (committed, uncommitted and untracked); the whole project is still analysed.
    #[arg(long, value_name = "REF")]
    diff_base: Option<String>,
    /// Write the report in `--format` to FILE; the terminal keeps the human (text) output.
    #[arg(long, value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Report only findings in these files (the pre-commit hook passes the staged
    /// files); the whole project under PATH is still analysed.
    #[arg(value_name = "FILES")]
    files: Vec<PathBuf>,
    /// Apply the safe fixes (SEC001 debug off) and report what is left.
    #[arg(long, conflicts_with_all = ["diff", "write_baseline"])]
    fix: bool,
    /// Print the fixes `--fix` would apply as a unified diff (exit 1 if there are any).
    #[arg(long)]
    diff: bool,
    /// Also apply fixes that change run-time behaviour (REL001 timeout=10, SEC008 verify=False removed).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Report data-flow and name-based findings only from this confidence up (see docs/check.md).
    #[arg(long, value_enum)]
    min_confidence: Option<MinConfidence>,
}

#[derive(clap::Args)]
struct LspArgs {
    /// Quiet time after an edit before the project is checked again (opening or saving checks at once).
    #[arg(long, value_name = "MS", default_value_t = 100)]
    debounce_ms: u64,
    /// Link of a rule's documentation, `{code}` standing for its code (the diagnostics' code link).
    #[arg(long, value_name = "URL")]
    rules_url: Option<String>,
}

#[derive(Copy, Clone, ValueEnum)]
enum MinConfidence {
    Low,
    Medium,
    High,
}

#[derive(clap::Args)]
struct OpenapiArgs {
    #[command(flatten)]
    project: ProjectArgs,
    /// API title (default: the folder name).
    #[arg(long)]
    title: Option<String>,
    /// API version.
    #[arg(long, default_value = "0.0.0")]
    version: String,
    /// Only routes of this app id.
    #[arg(long)]
    app: Option<String>,
}

#[derive(Copy, Clone, ValueEnum)]
enum ArchFormat {
    Text,
    Json,
    Dot,
    Mermaid,
    Markdown,
}

#[derive(clap::Args)]
struct ArchArgs {
    #[command(flatten)]
    project: ProjectArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: ArchFormat,
    /// Exit 1 when a contract is broken or cannot be checked.
    #[arg(long)]
    fail_on_contracts: bool,
    /// Leave the git history out (no hotspots, co-change or when-to-move signals).
    #[arg(long)]
    no_history: bool,
    /// Only commits more recent than this date (any date git understands).
    #[arg(long)]
    since: Option<String>,
    /// Only commits older than this date.
    #[arg(long)]
    until: Option<String>,
    /// At most this many commits, newest first.
    #[arg(long)]
    max_commits: Option<usize>,
    /// A `retort load --json` result: requests, rate, latency and errors per
    /// component in the "when to move" scaling signal.
    #[arg(long, value_name = "RESULT.json")]
    load: Option<PathBuf>,
}

/// Reads a `retort load` result with `retort_load`'s own types (schema
/// version checked there) and keeps what `retort arch` uses.
fn read_load_run(path: &Path) -> anyhow::Result<retort_plan::LoadRun> {
    let result = retort_load::result::RunResult::read(path).context("--load")?;
    Ok(retort_plan::LoadRun {
        source: path.display().to_string(),
        target: result.target,
        duration_s: result.duration_s,
        routes: result
            .requests
            .iter()
            .map(|r| retort_plan::MeasuredRoute {
                name: r.name.clone(),
                method: r.method.clone(),
                requests: r.requests,
                errors: r.errors,
                latency_us: r.histogram.iter_recorded().collect(),
            })
            .collect(),
    })
}

fn run_arch(args: ArchArgs) -> anyhow::Result<i32> {
    let root = args.project.path.clone();
    let config = if root.is_dir() { retort_plan::ArchConfig::load(&root)? } else { Default::default() };
    let format = args.format;
    // Read before the analysis: a bad file fails fast.
    let load = args.load.as_deref().map(read_load_run).transpose()?;
    let history = if args.no_history || !root.is_dir() {
        None
    } else {
        let mut options = retort_history::HistoryOptions {
            since: args.since.clone(),
            until: args.until.clone(),
            ..Default::default()
        };
        if args.max_commits.is_some() {
            options.max_commits = args.max_commits;
        }
        match read_history_with_spinner(&root, &options) {
            Ok(history) => Some(history),
            Err(err) => {
                eprintln!("warning: no git history used: {err}");
                None
            }
        }
    };
    let report = analyse(&args.project, move |project, catalog| {
        Ok(retort_plan::assess(&retort_plan::AssessInput {
            project,
            catalog: &catalog,
            config: &config,
            root: &root,
            history: history.as_ref(),
            coupling: Default::default(),
            load: load.as_ref(),
        }))
    })?;
    let rendered = match format {
        ArchFormat::Text => retort_plan::render::render_text(&report),
        ArchFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ArchFormat::Dot => retort_plan::render::render_dot(&report),
        ArchFormat::Mermaid => retort_plan::render::render_mermaid(&report),
        ArchFormat::Markdown => retort_plan::render::render_markdown(&report),
    };
    emit(&rendered)?;
    Ok(if args.fail_on_contracts && report.summary.broken_contracts > 0 { 1 } else { 0 })
}

fn project_options(args: &ProjectArgs) -> ProjectOptions {
    ProjectOptions {
        walk: WalkOptions {
            exclude: args.exclude.clone(),
            include_tests: args.include_tests,
            threads: args.threads,
            only_top_level: args.only_top_level.clone(),
        },
        ..Default::default()
    }
}

/// Loads and scans a codebase and hands the project and its catalog to
/// `then`; the heavy work runs on a thread with a big stack.
fn analyse<R: Send + 'static>(
    args: &ProjectArgs,
    then: impl FnOnce(&retort_python::Project, Catalog) -> anyhow::Result<R> + Send + 'static,
) -> anyhow::Result<R> {
    analyse_with_overlay(args, Default::default(), then)
}

/// [`analyse`], reading the texts of `overlay` (an editor's buffers, by
/// path relative to the root) instead of those files on disk.
fn analyse_with_overlay<R: Send + 'static>(
    args: &ProjectArgs,
    overlay: retort_lsp::Overlay,
    then: impl FnOnce(&retort_python::Project, Catalog) -> anyhow::Result<R> + Send + 'static,
) -> anyhow::Result<R> {
    let mut args = args.clone();
    if args.path.is_dir() {
        let config = config::load(&args.path)?;
        args.exclude.extend(config.exclude);
        args.include_tests |= config.include_tests;
        args.auth_decorators.extend(config.auth_decorators);
    }
    let handle = std::thread::Builder::new()
        .stack_size(ANALYSIS_STACK_BYTES)
        .spawn(move || -> anyhow::Result<R> {
            let progress = progress_bar();
            let tick = |n: usize| {
                if let Some(bar) = &progress {
                    bar.inc(n as u64);
                }
            };
            let options = ProjectOptions { overlay, ..project_options(&args) };
            let project = retort_python::load_project(&args.path, &options, &tick)
                .with_context(|| format!("cannot scan {}", args.path.display()))?;
            if let Some(bar) = &progress {
                bar.finish_and_clear();
            }
            let options = retort_flask::ScanOptions { extra_auth_decorators: args.auth_decorators.clone() };
            let catalog = retort_flask::build_catalog(&project, &options);
            let result = then(&project, catalog);
            // Freeing every AST takes a noticeable share of a big scan: do it
            // on a detached thread (with a big stack, the trees can be deep);
            // process exit reclaims whatever is left.
            let _ = std::thread::Builder::new().stack_size(ANALYSIS_STACK_BYTES).spawn(move || drop(project));
            result
        })
        .context("cannot start the analysis thread")?;
    handle.join().map_err(|_| anyhow::anyhow!("internal error: the analysis thread panicked"))?
}

/// Scans a codebase. A package folder that is one plugin of an application
/// assembled from entry points (see `retort_python::plugin_host`) is read
/// with the packages beside it that make up that application, unless
/// `package_only`.
fn scan(args: &ProjectArgs, package_only: bool) -> anyhow::Result<Catalog> {
    let host = (!package_only && args.path.is_dir())
        .then(|| {
            let import_root = retort_python::ImportRoot::discover(&args.path);
            retort_python::plugin_host::find(&args.path, &import_root)
        })
        .flatten();
    let Some(host) = host else { return analyse(args, |_, catalog| Ok(catalog)) };
    // The package's own configuration still applies, its excludes now
    // relative to the folder above it.
    let config = config::load(&args.path)?;
    let below = |pattern: &String| format!("{}/{}", host.package, pattern.trim_start_matches("./"));
    let mut widened = args.clone();
    widened.exclude = args.exclude.iter().chain(&config.exclude).map(below).collect();
    widened.include_tests |= config.include_tests;
    widened.auth_decorators.extend(config.auth_decorators);
    widened.path = host.root.clone();
    widened.only_top_level = Some(host.packages.clone());
    analyse(&widened, move |_, mut catalog| {
        catalog.summary.plugin_host = Some(host);
        Ok(catalog)
    })
}

/// Reads the git history, with a spinner counting commits on a terminal.
fn read_history_with_spinner(
    path: &Path,
    options: &retort_history::HistoryOptions,
) -> Result<retort_history::History, retort_history::HistoryError> {
    let spinner = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} read {msg} commits") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let mut tick = |commits: usize| {
        if let Some(bar) = &spinner {
            bar.set_message(commits.to_string());
        }
    };
    let read = retort_history::read_history_with_progress(path, options, &mut tick);
    if let Some(bar) = &spinner {
        bar.finish_and_clear();
    }
    read
}

fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(indicatif::ProgressStyle::with_template("{spinner} parsed {pos} files ({per_sec})").ok()?);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}

/// Writes results to stdout; a reader that went away (`| head`) is not an error.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn use_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn run_scan(args: ScanArgs) -> anyhow::Result<i32> {
    let started = Instant::now();
    let catalog = scan(&args.project, args.package_only)?;
    let elapsed = started.elapsed();
    if catalog.summary.files == 0 && catalog.summary.diagnostics == 0 {
        // As ruff does: an empty result is almost always the wrong folder.
        eprintln!("warning: no Python files found under {}", args.project.path.display());
    }
    let comparison = match &args.runtime {
        Some(entry) => {
            // A plugin host's files are relative to the folder above the package.
            let root = catalog.summary.plugin_host.as_ref().map_or(&args.project.path, |host| &host.root);
            Some(runtime::compare(root, entry, &args.python, &catalog)?)
        }
        None => None,
    };
    match args.format {
        Format::Json => {
            let text = match &comparison {
                // Straight from the catalog, without an intermediate JSON tree.
                None => serde_json::to_string_pretty(&catalog)?,
                Some(comparison) => {
                    let mut value = serde_json::to_value(&catalog)?;
                    value["runtime"] = serde_json::to_value(comparison)?;
                    serde_json::to_string_pretty(&value)?
                }
            };
            emit(&(text + "\n"))?;
        }
        Format::Table => {
            let mut out = scan_output::render_table(&catalog, args.sort, use_colour());
            if let Some(comparison) = &comparison {
                out.push_str(&runtime::render(comparison));
            }
            out.push_str(&scan_output::summary_line(&catalog, elapsed));
            out.push('\n');
            emit(&out)?;
        }
    }
    Ok(0)
}

fn run_check(args: CheckArgs) -> anyhow::Result<i32> {
    let root = args.project.path.clone();
    // Unknown codes select or ignore nothing: a usage error, not a silent pass.
    for (flag, selectors) in
        [("--select", &args.select), ("--extend-select", &args.extend_select), ("--ignore", &args.ignore)]
    {
        retort_check::config::check_selectors(flag, selectors).map_err(anyhow::Error::msg)?;
    }
    let mut config = if root.is_dir() { retort_check::CheckConfig::load(&root)? } else { Default::default() };
    if !args.select.is_empty() {
        config.select = args.select.clone();
    }
    config.extend_select.extend(args.extend_select.iter().cloned());
    config.ignore.extend(args.ignore.iter().cloned());
    let sort = match args.sort {
        CheckSort::Severity => retort_check::SortOrder::Severity,
        CheckSort::File => retort_check::SortOrder::File,
        CheckSort::Rule => retort_check::SortOrder::Rule,
    };
    let mut project_args = args.project.clone();
    project_args.auth_decorators.extend(config.extra_auth_decorators.iter().cloned());
    let colour = use_colour();
    let writes_baseline = args.write_baseline.is_some();
    let fail_on = match args.fail_on {
        FailOn::Error => retort_check::Severity::Error,
        FailOn::Warning => retort_check::Severity::Warning,
        FailOn::Info => retort_check::Severity::Info,
    };
    let min_level = args.min_level.map(|level| match level {
        MinLevel::Bronze => retort_check::Level::Bronze,
        MinLevel::Silver => retort_check::Level::Silver,
        MinLevel::Gold => retort_check::Level::Gold,
    });
    let min_confidence = args.min_confidence.map(|level| match level {
        MinConfidence::Low => retort_check::Confidence::Low,
        MinConfidence::Medium => retort_check::Confidence::Medium,
        MinConfidence::High => retort_check::Confidence::High,
    });
    let output_file = args.output_file.clone();
    let changes = changed_lines(&args)?;
    let (report, scores, rendered, terminal, outside_changes, diff_mode) =
        analyse(&project_args, move |project, catalog| {
            let mut report = retort_check::check(project, &catalog, &config);
            // Levels come from every finding: a baseline hides findings, it never raises a level.
            let mut scores = retort_check::score(&report, &config.scorecards());
            report.scorecard = scores.clone();
            if let Some(min) = min_confidence {
                retort_check::retain_confidence(&mut report, min);
            }
            if let Some(path) = &args.baseline {
                report = retort_check::Baseline::load(path)?.filter(report);
            }
            if let Some(path) = &args.write_baseline {
                retort_check::Baseline::from_report(&report).save(path)?;
            }
            let outside_changes = changes.as_ref().map(|changes| changes.filter(&mut report));
            if args.fix || args.diff {
                let available = retort_check::fix::fixes(project, &report);
                let fixed = retort_check::fix::apply(project, &available, args.unsafe_fixes);
                let applied: usize = fixed.iter().map(|f| f.applied.len()).sum();
                let held_back = if args.unsafe_fixes { 0 } else { available.len() - applied };
                if args.diff {
                    let note = format!("{applied} fixes would be applied{}", unsafe_note(held_back));
                    let diff = retort_check::fix::unified_diff(&fixed);
                    return Ok((report, scores, diff, None, outside_changes, Some((applied, note))));
                }
                write_fixes(&project.root, &fixed)?;
                report.findings.retain(|f| {
                    !fixed
                        .iter()
                        .flat_map(|file| &file.applied)
                        .any(|x| x.code == f.code && x.file == f.file && x.line == f.line)
                });
                eprintln!("Fixed {applied} findings{}", unsafe_note(held_back));
                // The fixed findings no longer count against the levels (unless the
                // report was narrowed, which scores never see).
                if args.baseline.is_none() && changes.is_none() {
                    scores = retort_check::score(&report, &config.scorecards());
                    report.scorecard = scores.clone();
                }
            }
            retort_check::sort_findings(&mut report.findings, sort);
            let rendered = match args.format {
                CheckFormat::Text => {
                    retort_check::render_text(&report, project, colour) + &retort_check::render_scorecard(&scores)
                }
                CheckFormat::Concise => {
                    retort_check::render_concise(&report, colour) + &retort_check::render_scorecard(&scores)
                }
                CheckFormat::Json => retort_check::render_json(&report),
                CheckFormat::Sarif => retort_check::render_sarif(&report),
                CheckFormat::Github => retort_check::render_github(&report),
                CheckFormat::Junit => retort_check::render_junit(&report),
                CheckFormat::Markdown => retort_check::render_markdown(&report),
                CheckFormat::Gitlab => retort_check::render_gitlab(&report),
            };
            let terminal = match (&args.output_file, args.format) {
                (None, _) | (Some(_), CheckFormat::Text | CheckFormat::Concise) => None,
                (Some(_), _) => {
                    Some(retort_check::render_text(&report, project, colour) + &retort_check::render_scorecard(&scores))
                }
            };
            Ok((report, scores, rendered, terminal, outside_changes, None))
        })?;
    if let Some((fixes, note)) = diff_mode {
        emit(&rendered)?;
        eprintln!("{note}");
        return Ok(i32::from(fixes > 0));
    }
    if let Some(dropped) = outside_changes.filter(|n| *n > 0) {
        eprintln!("note: {dropped} findings outside the changed lines or files are not reported");
    }
    match &output_file {
        Some(path) => {
            std::fs::write(path, &rendered).with_context(|| format!("cannot write {}", path.display()))?;
            emit(terminal.as_deref().unwrap_or(&rendered))?;
        }
        None => emit(&rendered)?,
    }
    if writes_baseline {
        return Ok(0);
    }
    let mut below_level = false;
    if let Some(min) = min_level {
        let reasons = retort_check::gate_failures(&scores, &report.completeness, min);
        for reason in &reasons {
            eprintln!("--min-level {} not met: {reason}", min.as_str());
        }
        below_level = !reasons.is_empty();
    }
    Ok(if retort_check::fails(&report, fail_on) || below_level { 1 } else { 0 })
}

/// The changed-code filter of `check`: lines changed since `--diff-base`,
/// narrowed to the FILES given (or those files whole without a base).
fn changed_lines(args: &CheckArgs) -> anyhow::Result<Option<retort_check::changes::ChangedLines>> {
    let root = &args.project.path;
    if args.diff_base.is_none() && args.files.is_empty() {
        return Ok(None);
    }
    if !root.is_dir() {
        anyhow::bail!("{} is not a folder: with --diff-base or FILES, PATH is the project root", root.display());
    }
    let mut changes = match &args.diff_base {
        Some(base) => retort_check::changes::git_changes(root, base)?,
        None => Default::default(),
    };
    if !args.files.is_empty() {
        let canonical_root = std::fs::canonicalize(root).with_context(|| format!("cannot read {}", root.display()))?;
        // Files are named from the current folder (as pre-commit passes them);
        // findings are relative to the root. Files outside the root report nothing.
        let named: Vec<String> = args
            .files
            .iter()
            .filter_map(|file| std::fs::canonicalize(file).ok())
            .filter_map(|file| file.strip_prefix(&canonical_root).ok().map(Path::to_path_buf))
            .map(|relative| {
                relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
            })
            .collect();
        changes = match &args.diff_base {
            Some(_) => {
                changes.files.retain(|file, _| named.contains(file));
                changes
            }
            None => retort_check::changes::ChangedLines::whole_files(named),
        };
    }
    Ok(Some(changes))
}

fn unsafe_note(held_back: usize) -> String {
    if held_back == 0 {
        String::new()
    } else {
        format!(" ({held_back} more with --unsafe-fixes)")
    }
}

/// Writes fixed files back; a file whose bytes on disk are not the text
/// analysed (a BOM, another encoding, or edited meanwhile) is left alone.
fn write_fixes(root: &Path, fixed: &[retort_check::fix::FixedFile]) -> anyhow::Result<()> {
    for file in fixed {
        let path = root.join(&file.file);
        let on_disk = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        if on_disk != file.original.as_bytes() {
            eprintln!("warning: {} not fixed: its bytes differ from the analysed text", file.file);
            continue;
        }
        std::fs::write(&path, &file.fixed).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn run_lsp(args: LspArgs) -> anyhow::Result<i32> {
    if std::io::stdin().is_terminal() {
        eprintln!("retort lsp: waiting for an editor's LSP messages on stdin (the portal is `retort serve`)");
    }
    if let Some(template) = &args.rules_url {
        if retort_lsp::diagnostic::rule_link(template, "SEC001").is_none() {
            anyhow::bail!("--rules-url `{template}` is not a URL (e.g. `https://example.org/rules/{{code}}.md`)");
        }
    }
    let options = retort_lsp::ServerOptions {
        debounce: std::time::Duration::from_millis(args.debounce_ms),
        rules_url: args.rules_url,
    };
    Ok(retort_lsp::serve_stdio(options, &check_for_editor)?.exit_code())
}

/// `retort check` as the editor shows it: the project's configuration and
/// rules, the open buffers read instead of their files, every finding.
fn check_for_editor(root: &Path, overlay: retort_lsp::Overlay) -> Result<Vec<retort_check::Finding>, String> {
    let run = || -> anyhow::Result<Vec<retort_check::Finding>> {
        let config = retort_check::CheckConfig::load(root)?;
        let args = ProjectArgs { auth_decorators: config.extra_auth_decorators.clone(), ..ProjectArgs::at(root) };
        analyse_with_overlay(&args, overlay, move |project, catalog| {
            Ok(retort_check::check(project, &catalog, &config).findings)
        })
    };
    run().map_err(|err| format!("{err:#}"))
}

fn run_rules() -> anyhow::Result<i32> {
    let mut out = String::new();
    for rule in retort_check::rules() {
        let cwe = rule.cwes().iter().map(|c| format!("CWE-{c}")).collect::<Vec<_>>().join(",");
        out.push_str(&format!(
            "{:<8} {:<36} {:<14} {:<8} {:<8} {}\n",
            rule.code,
            rule.name,
            rule.category.as_str(),
            rule.severity.as_str(),
            cwe,
            rule.summary
        ));
    }
    emit(&out)?;
    Ok(0)
}

fn run_rule(code: &str) -> anyhow::Result<i32> {
    match retort_check::rule_doc(code) {
        Some(doc) => {
            emit(&(doc + "\n"))?;
            Ok(0)
        }
        None => {
            let codes = retort_check::rules().into_iter().map(|r| r.code);
            match retort_check::config::closest(&code.to_ascii_uppercase(), codes) {
                Some(similar) => anyhow::bail!("no rule `{code}`; did you mean `{similar}`?"),
                None => anyhow::bail!("no rule `{code}`; `retort rules` lists them"),
            }
        }
    }
}

fn run_openapi(args: OpenapiArgs) -> anyhow::Result<i32> {
    let catalog = scan(&args.project, false)?;
    let title = args.title.unwrap_or_else(|| folder_name(&args.project.path));
    let document = openapi::build(&catalog, &title, &args.version, args.app.as_deref());
    emit(&(serde_json::to_string_pretty(&document)? + "\n"))?;
    Ok(0)
}

fn folder_name(path: &Path) -> String {
    std::fs::canonicalize(path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "API".to_string())
}

fn run_parse_only(args: ProjectArgs) -> anyhow::Result<i32> {
    let handle = std::thread::Builder::new().stack_size(ANALYSIS_STACK_BYTES).spawn(
        move || -> anyhow::Result<(usize, usize)> {
            let project = retort_python::load_project(&args.path, &project_options(&args), &|_| {})?;
            Ok((project.modules.len(), project.total_lines))
        },
    )?;
    let (files, lines) = handle.join().map_err(|_| anyhow::anyhow!("internal error"))??;
    emit(&format!("parsed {files} files, {lines} lines\n"))?;
    Ok(0)
}

/// The catalog of the code at PATH with the default scan options.
fn scan_with_defaults(path: &Path) -> anyhow::Result<Catalog> {
    scan(&ProjectArgs::at(path), false)
}

/// Only the resolved routes: a partial rule (prefix unknown) would load or
/// match the wrong URL, and unknown methods are not GET.
fn only_resolved(routes: Vec<retort_flask::catalog::Route>) -> Vec<retort_flask::catalog::Route> {
    routes.into_iter().filter(|route| route.unresolved.is_none() && route.rule.is_some()).collect()
}

/// The resolved routes of the code at PATH (default scan options).
fn resolved_routes(path: &Path) -> anyhow::Result<Vec<retort_flask::catalog::Route>> {
    Ok(only_resolved(scan_with_defaults(path)?.routes))
}

/// `retort load --from-scan PATH`: the routes of the code at PATH.
fn scan_routes(path: &Path) -> anyhow::Result<Vec<retort_load::cli::RouteSpec>> {
    Ok(resolved_routes(path)?
        .into_iter()
        .filter_map(|route| {
            Some(retort_load::cli::RouteSpec {
                rule: route.rule?,
                methods: route.methods,
                endpoint: route.endpoint.unwrap_or_default(),
                guards: route.guards.into_iter().filter(|g| g.auth).map(|g| g.name).collect(),
            })
        })
        .collect())
}

/// `retort slo --scan PATH`: the resolved route rules and the custom
/// converters of the code at PATH, as data.
fn slo_routes(path: &Path) -> anyhow::Result<retort_slo::routes::RouteTable> {
    let catalog = scan_with_defaults(path)?;
    let converters = catalog
        .converters
        .iter()
        .map(|c| retort_slo::routes::CustomConverter {
            name: c.name.clone(),
            regex: c.regex.clone(),
            regex_from_argument: c.regex_from_argument,
            weight: c.weight,
        })
        .collect();
    let rules = only_resolved(catalog.routes)
        .into_iter()
        .filter_map(|route| {
            Some(retort_slo::routes::RouteRule {
                rule: route.rule?,
                endpoint: route.endpoint,
                blueprint: route.blueprint,
            })
        })
        .collect();
    Ok(retort_slo::routes::RouteTable { rules, converters })
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Openapi(args) => run_openapi(args),
        Command::Check(args) => run_check(args),
        Command::Rules => run_rules(),
        Command::Rule { code } => run_rule(&code),
        Command::Arch(args) => run_arch(args),
        Command::Load(args) => retort_load::cli::run(*args, &scan_routes),
        Command::Slo(args) => retort_slo::cli::run(args, &slo_routes),
        Command::Team(args) => team::run_team(*args),
        Command::Serve(args) => retort_portal::cli::run_serve(*args),
        Command::Lsp(args) => run_lsp(args),
        Command::Push(args) => retort_portal::cli::run_push(*args, &push::gather),
        Command::Report(args) => report::run_report(*args),
        Command::ParseOnly(args) => run_parse_only(args),
    };
    let code = match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            2
        }
    };
    std::process::exit(code);
}
