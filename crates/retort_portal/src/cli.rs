//! `retort serve`, `retort serve token create` and `retort push`: argument
//! parsing and wiring. The analyses `push` runs come from the binary as a
//! callback, so this crate depends on no analysis crate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context};
use serde_json::Value as Json;

use crate::backstage::read_catalog_info;
use crate::model::{Push, PushOutcome, ServiceIdentity, TOOLS};
use crate::server::{ServerConfig, DEFAULT_BODY_LIMIT};

/// The embedded store when no `--database` is given.
pub const DEFAULT_DATABASE: &str = "retort-portal.db";

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ServeArgs {
    #[command(subcommand)]
    pub command: Option<ServeCommand>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// A SQLite file (created and migrated on first start; `sqlite:PATH` also works) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "RETORT_DATABASE_URL", hide_env_values = true, default_value = DEFAULT_DATABASE)]
    pub database: String,
    /// Reads (pages and the GET API) need a bearer token too, not only writes.
    #[arg(long)]
    pub require_read_token: bool,
    /// Largest accepted push body, in MiB.
    #[arg(long, default_value_t = DEFAULT_BODY_LIMIT / (1024 * 1024))]
    pub max_body_mib: usize,
}

#[derive(clap::Subcommand)]
pub enum ServeCommand {
    /// Tokens for `retort push` (and for reads with --require-read-token).
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(clap::Subcommand)]
pub enum TokenCommand {
    /// Create a token: printed once, alone, on stdout; only its SHA-256 is stored.
    Create {
        /// The store, as for `retort serve --database`.
        #[arg(long, env = "RETORT_DATABASE_URL", hide_env_values = true, default_value = DEFAULT_DATABASE)]
        database: String,
        /// A note kept with the token's hash (who or what uses it).
        #[arg(long, default_value = "")]
        label: String,
    },
}

#[derive(clap::Args)]
pub struct PushArgs {
    /// The portal, e.g. http://127.0.0.1:8080.
    pub url: String,
    /// Write token (`retort serve token create`).
    #[arg(long, env = "RETORT_PORTAL_TOKEN", hide_env_values = true)]
    pub token: String,
    /// The repository (or service folder) to analyse and identify.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Upload an existing result file instead of analysing, e.g. `load=result.json` (repeatable;
    /// kinds: scan, check, openapi, arch, team, load, slo). With --file no analysis runs.
    #[arg(long = "file", value_name = "KIND=PATH")]
    pub files: Vec<String>,
    /// Service name (default: catalog-info.yaml's metadata.name, else the repository or folder name).
    #[arg(long)]
    pub service: Option<String>,
    /// Commit the results describe (default: `git rev-parse HEAD` in PATH).
    #[arg(long)]
    pub commit: Option<String>,
    /// Unix time of the results (default: now).
    #[arg(long)]
    pub time: Option<i64>,
    /// Print the push document on stdout instead of sending it.
    #[arg(long)]
    pub dry_run: bool,
    /// Seconds to wait for the portal.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
    /// PEM file of CA certificates to trust for an https portal (besides the built-in roots).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
}

/// What the binary's analyses produced for `push`: documents by tool,
/// and notes on what was skipped and why.
#[derive(Default)]
pub struct Gathered {
    pub results: BTreeMap<String, Json>,
    pub notes: Vec<String>,
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

pub fn run_serve(args: ServeArgs) -> anyhow::Result<i32> {
    if let Some(ServeCommand::Token(TokenCommand::Create { database, label })) = args.command {
        let store = crate::open_store(&database).with_context(|| format!("database {}", redact(&database)))?;
        let token =
            crate::token::generate().map_err(|e| anyhow::anyhow!("no randomness from the operating system: {e}"))?;
        store.add_token(&crate::token::hash(&token), &label, crate::now())?;
        println!("{token}");
        return Ok(0);
    }
    let store = crate::open_store(&args.database).with_context(|| format!("database {}", redact(&args.database)))?;
    let config = ServerConfig {
        read_token_required: args.require_read_token,
        body_limit: args.max_body_mib.saturating_mul(1024 * 1024).max(1024),
    };
    // The store is synchronous (the PostgreSQL client runs a runtime of its
    // own): call it here, never inside the server's runtime but on its
    // blocking threads.
    let no_token = store.token_hashes()?.is_empty();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the runtime")?;
    // `store` outlives the runtime (declared before it, dropped after it):
    // closing PostgreSQL connections blocks, which must not happen on it.
    let server_store = store.clone();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let address = listener.local_addr()?;
        eprintln!("retort serve: http://{address} (database {})", redact(&args.database));
        if no_token {
            eprintln!("note: no token yet; pushes are refused until `retort serve token create` makes one");
        }
        crate::server::serve(listener, server_store, config, shutdown_signal()).await.context("server failed")?;
        eprintln!("retort serve: stopped");
        Ok(0)
    })
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(_) => {
                let _ = interrupt.await;
                return;
            }
        };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

fn git(path: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git").arg("-C").arg(path).args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string()).filter(|s| !s.is_empty())
}

/// A remote URL without credentials (`https://user:token@host/…`).
fn without_credentials(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}{}", &url[..scheme + 3], &url[at + 1..]),
        _ => url.to_string(),
    }
}

fn repository_name(remote: &str) -> Option<String> {
    let tail = remote.trim_end_matches('/').rsplit(['/', ':']).next()?;
    let name = tail.strip_suffix(".git").unwrap_or(tail);
    (!name.is_empty()).then(|| name.to_string())
}

/// Service identity and commit of the code at `path`: `--service` first,
/// then catalog-info.yaml's `metadata.name`, then the git remote's name
/// (when PATH is the repository root), then the folder name; owner and
/// system from catalog-info.yaml.
pub fn identify(path: &Path, service: Option<&str>, commit: Option<&str>) -> anyhow::Result<(ServiceIdentity, String)> {
    let root = std::fs::canonicalize(path).with_context(|| format!("cannot read {}", path.display()))?;
    let folder =
        if root.is_dir() { root.clone() } else { root.parent().map(Path::to_path_buf).unwrap_or(root.clone()) };
    let catalog = ["catalog-info.yaml", "catalog-info.yml"].iter().map(|f| folder.join(f)).find(|p| p.is_file());
    let catalog = match catalog {
        Some(file) => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            match read_catalog_info(&text) {
                Ok(identity) => identity,
                Err(err) => {
                    eprintln!("warning: {} ignored: {err}", file.display());
                    Default::default()
                }
            }
        }
        None => Default::default(),
    };
    let toplevel = git(&folder, &["rev-parse", "--show-toplevel"]).map(PathBuf::from);
    let remote = git(&folder, &["remote", "get-url", "origin"]).map(|r| without_credentials(&r));
    let at_root = toplevel.as_ref().and_then(|t| std::fs::canonicalize(t).ok()).as_deref() == Some(folder.as_path());
    let name = service
        .map(str::to_string)
        .or(catalog.name)
        .or_else(|| if at_root { remote.as_deref().and_then(repository_name) } else { None })
        .or_else(|| folder.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "service".to_string());
    let commit = match commit {
        Some(commit) => commit.to_string(),
        None => match git(&folder, &["rev-parse", "HEAD"]) {
            Some(commit) => commit,
            None => bail!("{} is not in a git repository with commits: pass --commit", path.display()),
        },
    };
    let identity = ServiceIdentity { name, owner: catalog.owner, system: catalog.system, repository: remote };
    Ok((identity, commit))
}

/// `--file KIND=PATH` values read and parsed.
fn read_files(files: &[String]) -> anyhow::Result<BTreeMap<String, Json>> {
    let mut results = BTreeMap::new();
    for spec in files {
        let Some((kind, file)) = spec.split_once('=') else {
            bail!("--file {spec}: expected KIND=PATH, e.g. load=result.json");
        };
        if !TOOLS.contains(&kind) {
            bail!("--file {spec}: unknown kind `{kind}` (known: {})", TOOLS.join(", "));
        }
        let text = std::fs::read_to_string(file).with_context(|| format!("--file {spec}: cannot read {file}"))?;
        let doc: Json =
            serde_json::from_str(&text).with_context(|| format!("--file {spec}: {file} is not a JSON document"))?;
        if results.insert(kind.to_string(), doc).is_some() {
            bail!("--file: `{kind}` given twice");
        }
    }
    Ok(results)
}

pub fn run_push(args: PushArgs, gather: &dyn Fn(&Path) -> anyhow::Result<Gathered>) -> anyhow::Result<i32> {
    if !args.dry_run {
        crate::client::parse_url(&args.url)?;
        if args.token.trim().is_empty() {
            bail!("--token is empty");
        }
    }
    let (service, commit) = identify(&args.path, args.service.as_deref(), args.commit.as_deref())?;
    // Local mistakes first, then whether a portal answers, then the
    // (possibly long) analysis.
    let files = read_files(&args.files)?;
    if !args.dry_run {
        let probe = crate::client::Target {
            url: &args.url,
            ca_cert: args.ca_cert.as_deref(),
            timeout: Duration::from_secs(args.timeout.min(30)),
        };
        let answer = crate::client::health(&probe)?;
        if answer.status != 200 {
            bail!("{} does not look like a Retort portal: GET /healthz answered {}", args.url, answer.status);
        }
    }
    let results = if args.files.is_empty() {
        let gathered = gather(&args.path)?;
        for note in &gathered.notes {
            eprintln!("note: {note}");
        }
        gathered.results
    } else {
        files
    };
    let push = Push { service, commit, time: Some(args.time.unwrap_or_else(crate::now)), results };
    push.validate().map_err(|e| anyhow::anyhow!("cannot push: {e}"))?;
    let body = serde_json::to_vec(&push)?;
    if args.dry_run {
        println!("{}", String::from_utf8_lossy(&body));
        return Ok(0);
    }
    let target = crate::client::Target {
        url: &args.url,
        ca_cert: args.ca_cert.as_deref(),
        timeout: Duration::from_secs(args.timeout),
    };
    let response = crate::client::post_push(&target, &args.token, body)?;
    let outcome: Option<PushOutcome> = serde_json::from_str(&response.body).ok();
    let what = format!("{}@{}", push.service.name, push.commit);
    match (response.status, outcome) {
        (200 | 201, Some(outcome)) => {
            eprintln!(
                "pushed {what}: stored [{}], unchanged [{}]",
                outcome.stored.join(", "),
                outcome.unchanged.join(", ")
            );
            println!("{}", response.body);
            Ok(0)
        }
        (409, Some(outcome)) => {
            eprintln!(
                "error: {what}: [{}] already stored with different content; nothing was written (see docs/portal.md, duplicates)",
                outcome.conflicts.join(", ")
            );
            println!("{}", response.body);
            Ok(1)
        }
        (401, _) => bail!("the portal refused the token (401): {}", error_message(&response.body)),
        (413, _) => bail!("the push is larger than the portal accepts (413); raise `retort serve --max-body-mib`"),
        (status, _) => bail!("the portal answered {status}: {}", error_message(&response.body)),
    }
}

fn error_message(body: &str) -> String {
    serde_json::from_str::<Json>(body)
        .ok()
        .and_then(|v| v.get("error").and_then(Json::as_str).map(str::to_string))
        .unwrap_or_else(|| body.chars().take(200).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_leave_urls() {
        assert_eq!(redact("postgres://me:secret@db/portal"), "postgres://me:***@db/portal");
        assert_eq!(redact("portal.db"), "portal.db");
        assert_eq!(without_credentials("https://x:tok@github.com/o/r.git"), "https://github.com/o/r.git");
        assert_eq!(repository_name("git@github.com:org/shop.git").as_deref(), Some("shop"));
        assert_eq!(repository_name("https://github.com/org/shop/").as_deref(), Some("shop"));
    }

    #[test]
    fn files_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("load.json");
        std::fs::write(&good, "{\"totals\": {}}").unwrap();
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "not json").unwrap();
        let good = good.display().to_string();
        assert_eq!(read_files(&[format!("load={good}")]).unwrap().len(), 1);
        assert!(read_files(&[format!("exec={good}")]).is_err());
        assert!(read_files(std::slice::from_ref(&good)).is_err());
        assert!(read_files(&[format!("load={}", bad.display())]).is_err());
        assert!(read_files(&[format!("load={good}"), format!("load={good}")]).is_err());
    }
}
