//! The `retort team` report: one pure function from the change table, the
//! catalog facts, the CODEOWNERS file, the `retort check` findings and the
//! configuration to a serialisable value. Printing lives in `render`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use retort_history::analysis::{developer_activity, file_authorship};
use retort_history::{DevId, History};
use schemars::JsonSchema;
use serde::Serialize;

use crate::capabilities::CapabilityMap;
use crate::codeowners::{Codeowners, Flavor};
use crate::components::{self, Components};
use crate::config::TeamConfig;
use crate::doa::file_doa;
use crate::facts::CatalogFacts;
use crate::pattern::PathPattern;
use crate::roles::{self, points};
use crate::truck_factor::{truck_factor, TruckFactorResult};

pub const SCHEMA_VERSION: u32 = 1;
const DAY: i64 = 86_400;
/// Examples listed per item in lists that can be long.
const EXAMPLES: usize = 10;

/// A `retort check` finding, as data.
#[derive(Debug, Clone)]
pub struct FindingFact {
    pub code: String,
    pub severity: String,
    pub file: String,
    pub line: u32,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    pub anonymize: bool,
    /// Print e-mail addresses (never by default).
    pub show_emails: bool,
    /// Whether `retort check` ran (roles say so when it did not).
    pub findings_assessed: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TeamReport {
    pub schema_version: u32,
    pub tool: String,
    pub window: WindowSummary,
    /// Unix time the recency is measured from (the newest commit).
    pub as_of: Option<i64>,
    pub inactive_days: u32,
    pub developers: Vec<DeveloperRow>,
    /// Avelino's truck factor over every developer in the window.
    pub truck_factor: TruckFactor,
    /// The same with inactive developers counted as gone first.
    pub active_truck_factor: TruckFactor,
    pub knowledge_lost: KnowledgeLost,
    /// What one more departure would lose, for the active authors.
    pub if_leaves: Vec<Departure>,
    pub files: Vec<FileRow>,
    pub components: Vec<ComponentRow>,
    pub capabilities: Vec<CapabilityRow>,
    pub codeowners: CodeownersReport,
    pub roles: Vec<RoleRow>,
    pub hiring_plan: Vec<HiringStep>,
    /// Per component, the onboarding playbook's reading path.
    pub onboarding: Vec<crate::onboarding::OnboardingPath>,
    /// Surviving lines per developer (`git blame`), with `--blame` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surviving_lines: Option<crate::surviving_lines::SurvivingLines>,
    pub diagnostics: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WindowSummary {
    pub commits: usize,
    pub oldest_time: Option<i64>,
    pub newest_time: Option<i64>,
    pub head: Option<String>,
    /// The folder the history is restricted to, if any.
    pub path_filter: Option<String>,
    pub truncated: bool,
    pub shallow: bool,
    pub bot_commits_left_out: usize,
    /// True when the whole reachable history was read.
    pub complete: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DeveloperRow {
    pub name: String,
    /// Only with `--show-emails`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub commits: u32,
    /// Files (alive, not excluded) this developer authors by DOA.
    pub files_authored: usize,
    pub last_commit_time: i64,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TruckFactor {
    pub value: usize,
    /// Names removed, in order.
    pub developers: Vec<String>,
    /// Files considered.
    pub files: usize,
    /// Files with an author before the removals (inactive ones gone first
    /// in the active variant).
    pub covered_files: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct KnowledgeLost {
    /// Files whose authors are all inactive.
    pub files: usize,
    pub examples: Vec<String>,
    /// Components where fewer than half the files keep an active author.
    pub components: Vec<String>,
    /// Files with no author at all (no DOA reaches the thresholds).
    pub files_without_author: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Departure {
    pub developer: String,
    /// Files that would have no active author left.
    pub files_orphaned: usize,
    pub examples: Vec<String>,
    /// Components that would fall below the coverage threshold.
    pub components_lost: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FileRow {
    pub path: String,
    pub authors: Vec<String>,
    pub component: String,
    pub doa: Vec<DoaRow>,
    pub revisions: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DoaRow {
    pub developer: String,
    pub doa: f64,
    pub normalized: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AuthorShare {
    pub developer: String,
    pub files: usize,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ComponentRow {
    pub name: String,
    pub origin: String,
    pub paths: Vec<String>,
    pub blueprints: Vec<String>,
    pub files: usize,
    pub authors: Vec<AuthorShare>,
    pub truck_factor: TruckFactor,
    pub active_truck_factor: TruckFactor,
    pub orphaned_files: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CapabilityRow {
    pub name: String,
    pub files: usize,
    pub examples: Vec<String>,
    /// Active authors, most files first.
    pub active_experts: Vec<AuthorShare>,
    pub active_truck_factor: usize,
    /// Commits touching its files in the last `inactive_days`.
    pub recent_revisions: u32,
    pub revisions: u32,
    pub findings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema, Default)]
pub struct CodeownersReport {
    pub found: bool,
    pub path: Option<String>,
    pub flavor: Option<Flavor>,
    pub problems: Vec<String>,
    pub files: usize,
    pub unowned_files: usize,
    pub unowned_examples: Vec<String>,
    pub owners: Vec<OwnerRow>,
    /// Developers who author files they are not listed for.
    pub unlisted_authors: Vec<UnlistedAuthor>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OwnerRow {
    pub owner: String,
    /// The developer it resolves to; `None` for teams and unknown handles.
    pub developer: Option<String>,
    pub files_owned: usize,
    /// Owned files the developer ever changed (in the window).
    pub files_touched: usize,
    pub never_touched: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnlistedAuthor {
    pub developer: String,
    pub files: usize,
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RoleRow {
    pub role: String,
    pub title: String,
    pub need: f64,
    pub weight: f64,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Evidence {
    pub points: f64,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HiringStep {
    pub rank: usize,
    pub role: String,
    pub title: String,
    pub need: f64,
    /// The strongest evidence line.
    pub because: String,
}

/// A stable pseudonym: FNV-1a of the developer's first e-mail (or name).
pub fn pseudonym(key: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.to_lowercase().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("dev-{:06x}", hash & 0xff_ffff)
}

/// Masks the local part of an e-mail address: `j***@example.org`.
pub fn mask_email(owner: &str) -> String {
    match owner.split_once('@') {
        Some((local, domain)) if !local.is_empty() => {
            format!("{}***@{domain}", local.chars().next().unwrap_or('*'))
        }
        _ => owner.to_string(),
    }
}

fn normalise_handle(text: &str) -> String {
    text.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Everything computed, before names are chosen for printing.
pub struct Analysis {
    pub names: Vec<String>,
    pub active: Vec<bool>,
    /// Alive, non-excluded files: (path, authors, component).
    pub files: Vec<(String, Vec<DevId>, usize)>,
    pub components: Components,
}

pub fn build_report(
    history: &History,
    facts: &CatalogFacts,
    codeowners: Option<Result<Codeowners, String>>,
    findings: &[FindingFact],
    config: &TeamConfig,
    options: &ReportOptions,
) -> (TeamReport, Analysis) {
    let mut diagnostics: Vec<String> = history.window.warnings.clone();
    let names: Vec<String> = history
        .developers
        .iter()
        .map(|d| if options.anonymize { pseudonym(d.emails.first().unwrap_or(&d.name)) } else { d.name.clone() })
        .collect();
    let name_of = |d: DevId| names[d.0 as usize].clone();
    let activity = developer_activity(history);
    let as_of = activity.iter().map(|a| a.last_time).max();
    let cutoff = as_of.map(|t| t - i64::from(config.inactive_days) * DAY);
    let mut active = vec![false; history.developers.len()];
    let mut last_time = vec![0i64; history.developers.len()];
    let mut commits = vec![0u32; history.developers.len()];
    for a in &activity {
        let i = a.developer.0 as usize;
        active[i] = cutoff.is_none_or(|c| a.last_time >= c);
        last_time[i] = a.last_time;
        commits[i] = a.commits;
    }
    let gone: BTreeSet<DevId> =
        activity.iter().filter(|a| !active[a.developer.0 as usize]).map(|a| a.developer).collect();

    let excludes: Vec<PathPattern> = config
        .exclude
        .iter()
        .filter_map(|p| match PathPattern::new(p, false) {
            Ok(p) => Some(p),
            Err(e) => {
                diagnostics.push(format!("[tool.retort.team] exclude: {e}"));
                None
            }
        })
        .collect();
    let components = components::assign(facts, &config.components);
    let capability_map = CapabilityMap::new(facts, &config.capabilities);

    // Revisions per file (total and recent).
    let mut revisions: HashMap<u32, (u32, u32)> = HashMap::new();
    for change in &history.changes {
        let time = history.commit_of(change).author_time;
        let entry = revisions.entry(change.file.0).or_default();
        entry.0 += 1;
        if cutoff.is_none_or(|c| time >= c) {
            entry.1 += 1;
        }
    }

    let mut file_rows: Vec<FileRow> = Vec::new();
    let mut files: Vec<(String, Vec<DevId>, usize)> = Vec::new();
    let mut touched: HashMap<u32, BTreeSet<DevId>> = HashMap::new();
    for authorship in file_authorship(history) {
        let info = history.file(authorship.file);
        if info.deleted || excludes.iter().any(|p| p.matches(&info.path)) {
            continue;
        }
        let rows = file_doa(&authorship, &config.doa);
        let authors: Vec<DevId> = rows.iter().filter(|r| r.author).map(|r| r.developer).collect();
        let component = components.of(&info.path);
        touched.insert(authorship.file.0, authorship.changes_by.iter().map(|(d, _)| *d).collect());
        file_rows.push(FileRow {
            path: info.path.to_string(),
            authors: authors.iter().map(|&d| name_of(d)).collect(),
            component: components.defs[component].name.clone(),
            doa: rows
                .iter()
                .map(|r| DoaRow {
                    developer: name_of(r.developer),
                    doa: (r.doa * 1000.0).round() / 1000.0,
                    normalized: (r.normalized * 1000.0).round() / 1000.0,
                })
                .collect(),
            revisions: revisions.get(&authorship.file.0).map_or(0, |r| r.0),
        });
        files.push((info.path.to_string(), authors, component));
    }

    let threshold = config.coverage_threshold;
    let tf = |subset: &[&[DevId]], gone: &BTreeSet<DevId>| truck_factor(subset, gone, &name_of, threshold);
    let to_json = |r: &TruckFactorResult| TruckFactor {
        value: r.value,
        developers: r.removed.iter().map(|&d| name_of(d)).collect(),
        files: r.files,
        covered_files: r.covered_files,
    };
    let all_authors: Vec<&[DevId]> = files.iter().map(|f| f.1.as_slice()).collect();
    let none = BTreeSet::new();
    let repo_tf = tf(&all_authors, &none);
    let repo_active_tf = tf(&all_authors, &gone);

    // Authored files per developer.
    let mut authored: HashMap<DevId, usize> = HashMap::new();
    for (_, authors, _) in &files {
        for &a in authors {
            *authored.entry(a).or_default() += 1;
        }
    }

    // Components.
    let mut component_rows = Vec::new();
    let mut components_lost = Vec::new();
    for (index, def) in components.defs.iter().enumerate() {
        let subset: Vec<&[DevId]> = files.iter().filter(|f| f.2 == index).map(|f| f.1.as_slice()).collect();
        if subset.is_empty() && def.origin == "core" && components.defs.len() > 1 {
            continue;
        }
        let all = tf(&subset, &none);
        let act = tf(&subset, &gone);
        if !subset.is_empty() && act.coverage() < threshold {
            components_lost.push(def.name.clone());
        }
        let mut shares: HashMap<DevId, usize> = HashMap::new();
        for authors in &subset {
            for &a in authors.iter() {
                *shares.entry(a).or_default() += 1;
            }
        }
        component_rows.push(ComponentRow {
            name: def.name.clone(),
            origin: def.origin.to_string(),
            paths: def.paths.clone(),
            blueprints: def.blueprints.clone(),
            files: subset.len(),
            authors: author_shares(shares, &name_of, &active),
            truck_factor: to_json(&all),
            active_truck_factor: to_json(&act),
            orphaned_files: act.orphaned_files,
        });
    }

    // Knowledge lost and departures.
    let orphaned: Vec<&str> = files
        .iter()
        .filter(|f| !f.1.is_empty() && f.1.iter().all(|a| gone.contains(a)))
        .map(|f| f.0.as_str())
        .collect();
    let knowledge_lost = KnowledgeLost {
        files: orphaned.len(),
        examples: orphaned.iter().take(EXAMPLES).map(|s| s.to_string()).collect(),
        components: components_lost,
        files_without_author: files.iter().filter(|f| f.1.is_empty()).count(),
    };
    let mut candidates: Vec<DevId> = authored.keys().copied().filter(|d| !gone.contains(d)).collect();
    candidates.sort_by(|a, b| authored[b].cmp(&authored[a]).then_with(|| name_of(*a).cmp(&name_of(*b))));
    let if_leaves: Vec<Departure> = candidates
        .iter()
        .take(EXAMPLES)
        .map(|&dev| {
            let mut gone_too = gone.clone();
            gone_too.insert(dev);
            let lost: Vec<&str> = files
                .iter()
                .filter(|f| f.1.contains(&dev) && f.1.iter().all(|a| gone_too.contains(a)))
                .map(|f| f.0.as_str())
                .collect();
            let components_lost = components
                .defs
                .iter()
                .enumerate()
                .filter(|(i, _)| {
                    let subset: Vec<&[DevId]> = files.iter().filter(|f| f.2 == *i).map(|f| f.1.as_slice()).collect();
                    let before = tf(&subset, &gone).coverage();
                    let after = tf(&subset, &gone_too).coverage();
                    !subset.is_empty() && before >= threshold && after < threshold
                })
                .map(|(_, d)| d.name.clone())
                .collect();
            Departure {
                developer: name_of(dev),
                files_orphaned: lost.len(),
                examples: lost.iter().take(EXAMPLES).map(|s| s.to_string()).collect(),
                components_lost,
            }
        })
        .collect();

    // Capabilities.
    let mut capability_files: Vec<Vec<usize>> = vec![Vec::new(); capability_map.names.len()];
    for (i, f) in files.iter().enumerate() {
        for (c, _) in capability_map.of(&f.0) {
            capability_files[c].push(i);
        }
    }
    let path_revisions: HashMap<&str, (u32, u32)> =
        history.files.iter().filter_map(|f| revisions.get(&f.id.0).map(|r| (&*f.path, *r))).collect();
    let mut capability_rows = Vec::new();
    for (c, name) in capability_map.names.iter().enumerate() {
        let members = &capability_files[c];
        let subset: Vec<&[DevId]> = members.iter().map(|&i| files[i].1.as_slice()).collect();
        let act = tf(&subset, &gone);
        let mut shares: HashMap<DevId, usize> = HashMap::new();
        for authors in &subset {
            for &a in authors.iter().filter(|a| !gone.contains(a)) {
                *shares.entry(a).or_default() += 1;
            }
        }
        let (mut total, mut recent) = (0, 0);
        for &i in members {
            if let Some(r) = path_revisions.get(files[i].0.as_str()) {
                total += r.0;
                recent += r.1;
            }
        }
        let related: Vec<String> = findings
            .iter()
            .filter(|f| {
                roles::role_of_finding(&f.code).is_some_and(|role| {
                    roles::CAPABILITY_ROLES.iter().any(|(cap, rs)| cap == name && rs.contains(&role))
                })
            })
            .map(|f| format!("{} {}:{} {}", f.code, f.file, f.line, f.message))
            .collect();
        capability_rows.push(CapabilityRow {
            name: name.clone(),
            files: members.len(),
            examples: members.iter().take(EXAMPLES).map(|&i| files[i].0.clone()).collect(),
            active_experts: author_shares(shares, &name_of, &active),
            active_truck_factor: act.value,
            recent_revisions: recent,
            revisions: total,
            findings: related,
        });
    }

    let codeowners_report = codeowners_report(history, codeowners, &files, &touched, config, options, &names);
    let roles = role_rows(
        &capability_rows,
        &component_rows,
        &repo_active_tf,
        findings,
        config,
        options,
        &knowledge_lost,
        files.len(),
    );
    let mut hiring_plan: Vec<HiringStep> = roles
        .iter()
        .filter(|r| r.need > 0.0)
        .map(|r| HiringStep {
            rank: 0,
            role: r.role.clone(),
            title: r.title.clone(),
            need: r.need,
            because: r
                .evidence
                .iter()
                .max_by(|a, b| a.points.total_cmp(&b.points))
                .map(|e| e.text.clone())
                .unwrap_or_default(),
        })
        .collect();
    hiring_plan.sort_by(|a, b| b.need.total_cmp(&a.need).then_with(|| a.role.cmp(&b.role)));
    for (i, step) in hiring_plan.iter_mut().enumerate() {
        step.rank = i + 1;
    }

    let mut developers: Vec<DeveloperRow> = activity
        .iter()
        .map(|a| DeveloperRow {
            name: name_of(a.developer),
            email: if options.show_emails && !options.anonymize {
                history.developer(a.developer).emails.first().cloned()
            } else {
                None
            },
            commits: a.commits,
            files_authored: authored.get(&a.developer).copied().unwrap_or(0),
            last_commit_time: a.last_time,
            active: active[a.developer.0 as usize],
        })
        .collect();
    developers.sort_by(|a, b| {
        b.files_authored.cmp(&a.files_authored).then(b.commits.cmp(&a.commits)).then_with(|| a.name.cmp(&b.name))
    });

    let onboarding = crate::onboarding::playbooks(&component_rows, &file_rows, &developers, facts);
    let window = &history.window;
    let report = TeamReport {
        schema_version: SCHEMA_VERSION,
        tool: format!("retort {}", env!("CARGO_PKG_VERSION")),
        window: WindowSummary {
            commits: window.commits_kept,
            oldest_time: window.oldest_time,
            newest_time: window.newest_time,
            head: history.repository.head.clone(),
            path_filter: history.repository.path_filter.clone(),
            truncated: window.truncated,
            shallow: history.repository.shallow,
            bot_commits_left_out: window.bot_commits_left_out,
            complete: window.complete(),
        },
        as_of,
        inactive_days: config.inactive_days,
        developers,
        truck_factor: to_json(&repo_tf),
        active_truck_factor: to_json(&repo_active_tf),
        knowledge_lost,
        if_leaves,
        files: file_rows,
        components: component_rows,
        capabilities: capability_rows,
        codeowners: codeowners_report,
        onboarding,
        roles,
        hiring_plan,
        surviving_lines: None,
        diagnostics,
    };
    (report, Analysis { names, active, files, components })
}

fn author_shares(
    shares: HashMap<DevId, usize>,
    name_of: &dyn Fn(DevId) -> String,
    active: &[bool],
) -> Vec<AuthorShare> {
    let mut rows: Vec<AuthorShare> = shares
        .into_iter()
        .map(|(d, files)| AuthorShare { developer: name_of(d), files, active: active[d.0 as usize] })
        .collect();
    rows.sort_by(|a, b| b.files.cmp(&a.files).then_with(|| a.developer.cmp(&b.developer)));
    rows
}

/// Resolves a CODEOWNERS owner to a developer: configured mapping, then
/// e-mail, then `@handle` against names, e-mail local parts and GitHub
/// no-reply addresses (`123+handle@users.noreply.github.com`).
pub fn resolve_owner(history: &History, owner: &str, config: &TeamConfig) -> Option<DevId> {
    let target = config.owners.get(owner).map(String::as_str).unwrap_or(owner);
    let lower = target.to_lowercase();
    if lower.contains('/') {
        return None; // a team: members are not in the history
    }
    let handle = normalise_handle(lower.trim_start_matches('@'));
    history.developers.iter().filter(|d| !d.bot).find_map(|d| {
        let by_email = d.emails.iter().any(|e| {
            let e = e.to_lowercase();
            e == lower || {
                let local = e.split('@').next().unwrap_or("");
                let local = local.split_once('+').map_or(local, |(_, h)| h);
                !handle.is_empty() && normalise_handle(local) == handle
            }
        });
        let by_name = !handle.is_empty()
            && (d.names.iter().any(|n| normalise_handle(n) == handle) || normalise_handle(&d.name) == handle);
        (by_email || by_name).then_some(d.id)
    })
}

fn codeowners_report(
    history: &History,
    codeowners: Option<Result<Codeowners, String>>,
    files: &[(String, Vec<DevId>, usize)],
    _touched: &HashMap<u32, BTreeSet<DevId>>,
    config: &TeamConfig,
    options: &ReportOptions,
    names: &[String],
) -> CodeownersReport {
    let file = match codeowners {
        None => return CodeownersReport { files: files.len(), unowned_files: files.len(), ..Default::default() },
        Some(Err(e)) => return CodeownersReport { problems: vec![e], ..Default::default() },
        Some(Ok(file)) => file,
    };
    // Who changed each path (by newest path).
    let mut changed_by: HashMap<&str, BTreeSet<DevId>> = HashMap::new();
    for change in &history.changes {
        let path: &str = &history.file(change.file).path;
        changed_by.entry(path).or_default().insert(history.commit_of(change).author);
    }
    let show = |owner: &str| -> String {
        if owner.contains('@') && !owner.starts_with('@') && !options.show_emails {
            mask_email(owner)
        } else {
            owner.to_string()
        }
    };
    let mut unowned = Vec::new();
    let mut owner_stats: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut unlisted: HashMap<DevId, Vec<String>> = HashMap::new();
    let mut resolved: HashMap<String, Option<DevId>> = HashMap::new();
    for (path, authors, _) in files {
        let ownership = file.owners_of(path);
        if ownership.owners.is_empty() {
            unowned.push(path.clone());
        }
        let mut owner_devs = BTreeSet::new();
        for owner in &ownership.owners {
            let dev = *resolved.entry(owner.clone()).or_insert_with(|| resolve_owner(history, owner, config));
            let stats = owner_stats.entry(owner.clone()).or_default();
            stats.0 += 1;
            if let Some(dev) = dev {
                owner_devs.insert(dev);
                if changed_by.get(path.as_str()).is_some_and(|s| s.contains(&dev)) {
                    stats.1 += 1;
                }
            }
        }
        for author in authors {
            if !owner_devs.contains(author) {
                unlisted.entry(*author).or_default().push(path.clone());
            }
        }
    }
    let owners = owner_stats
        .into_iter()
        .map(|(owner, (owned, touched))| {
            let dev = resolved.get(&owner).copied().flatten();
            OwnerRow {
                owner: if options.anonymize {
                    dev.map_or_else(|| pseudonym(&owner), |d| names[d.0 as usize].clone())
                } else {
                    show(&owner)
                },
                developer: dev.map(|d| names[d.0 as usize].clone()),
                files_owned: owned,
                files_touched: touched,
                never_touched: dev.is_some() && touched == 0,
            }
        })
        .collect();
    let mut unlisted_authors: Vec<UnlistedAuthor> = unlisted
        .into_iter()
        .map(|(d, paths)| UnlistedAuthor {
            developer: names[d.0 as usize].clone(),
            files: paths.len(),
            examples: paths.into_iter().take(EXAMPLES).collect(),
        })
        .collect();
    unlisted_authors.sort_by(|a, b| b.files.cmp(&a.files).then_with(|| a.developer.cmp(&b.developer)));
    CodeownersReport {
        found: true,
        path: Some(file.path.clone()),
        flavor: Some(file.flavor),
        problems: file.problems.iter().map(|(l, p)| format!("{}:{l}: {p}", file.path)).collect(),
        files: files.len(),
        unowned_files: unowned.len(),
        unowned_examples: unowned.into_iter().take(EXAMPLES).collect(),
        owners,
        unlisted_authors,
    }
}

#[allow(clippy::too_many_arguments)]
fn role_rows(
    capabilities: &[CapabilityRow],
    components: &[ComponentRow],
    repo_active: &TruckFactorResult,
    findings: &[FindingFact],
    config: &TeamConfig,
    options: &ReportOptions,
    lost: &KnowledgeLost,
    file_count: usize,
) -> Vec<RoleRow> {
    let mut evidence: BTreeMap<&str, Vec<Evidence>> = BTreeMap::new();
    let mut add = |role: &'static str, points: f64, text: String| {
        evidence.entry(role).or_default().push(Evidence { points, text });
    };
    for cap in capabilities {
        let roles_of = roles::CAPABILITY_ROLES.iter().find(|(c, _)| *c == cap.name).map_or(&[][..], |(_, r)| *r);
        for &role in roles_of {
            if cap.files > 0 && cap.active_experts.is_empty() {
                add(
                    role,
                    points::NO_ACTIVE_EXPERT,
                    format!("{}: no active author among its {} files", cap.name, cap.files),
                );
            } else if cap.files > 0 && cap.active_truck_factor == 0 {
                add(
                    role,
                    points::TRUCK_FACTOR_ONE,
                    format!("{}: fewer than half of its {} files keep an active author", cap.name, cap.files),
                );
            } else if cap.files > 0 && cap.active_truck_factor == 1 {
                let who = cap.active_experts.first().map_or(String::new(), |e| format!(" ({})", e.developer));
                add(
                    role,
                    points::TRUCK_FACTOR_ONE,
                    format!("{}: truck factor {} over {} files{who}", cap.name, cap.active_truck_factor, cap.files),
                );
            }
            if cap.files == 0 && (cap.name == "tests" || cap.name == "delivery") && file_count > 0 {
                add(role, points::MISSING_CAPABILITY, format!("{}: no files found", cap.name));
            }
        }
    }
    let mut per_role: BTreeMap<&str, f64> = BTreeMap::new();
    for f in findings {
        if let Some(role) = roles::role_of_finding(&f.code) {
            let p = match f.severity.as_str() {
                "error" => points::ERROR,
                "warning" => points::WARNING,
                _ => points::INFO,
            };
            let used = per_role.entry(role).or_default();
            let granted = p.min(points::FINDINGS_CAP - *used).max(0.0);
            *used += granted;
            add(role, granted, format!("{} {}:{} {}", f.code, f.file, f.line, f.message));
        }
    }
    if repo_active.files > 0 && repo_active.value <= 2 {
        let p = if repo_active.value <= 1 {
            points::REPOSITORY_TRUCK_FACTOR_ONE
        } else {
            points::REPOSITORY_TRUCK_FACTOR_ONE / 2.0
        };
        add("tech-lead-architect", p, format!("repository truck factor {} (active developers)", repo_active.value));
    }
    for c in components.iter().filter(|c| c.files > 0 && c.active_truck_factor.value <= 1).take(3) {
        add(
            "tech-lead-architect",
            points::COMPONENT_TRUCK_FACTOR_ONE,
            format!("component {}: truck factor {} over {} files", c.name, c.active_truck_factor.value, c.files),
        );
    }
    if lost.files > 0 {
        add(
            "tech-lead-architect",
            points::COMPONENT_TRUCK_FACTOR_ONE,
            format!("{} files whose authors are all inactive", lost.files),
        );
    }
    let mut rows: Vec<RoleRow> = roles::ROLES
        .iter()
        .map(|&(role, title)| {
            let weight = config.role_weights.get(role).copied().unwrap_or(1.0);
            let mut ev = evidence.remove(role).unwrap_or_default();
            ev.sort_by(|a, b| b.points.total_cmp(&a.points).then_with(|| a.text.cmp(&b.text)));
            let raw: f64 = ev.iter().map(|e| e.points).sum();
            RoleRow {
                role: role.to_string(),
                title: title.to_string(),
                need: (raw * weight * 100.0).round() / 100.0,
                weight,
                evidence: ev,
            }
        })
        .collect();
    if !options.findings_assessed {
        for r in &mut rows {
            r.evidence.push(Evidence { points: 0.0, text: "retort check findings not assessed".into() });
        }
    }
    rows.sort_by(|a, b| b.need.total_cmp(&a.need).then_with(|| a.role.cmp(&b.role)));
    rows
}

/// The JSON Schema of [`TeamReport`] (`docs/team.schema.json`).
pub fn json_schema() -> schemars::schema::RootSchema {
    schemars::schema_for!(TeamReport)
}
