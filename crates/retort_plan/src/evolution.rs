//! Evolution from git history: hotspots, co-change between files and
//! between components, and the hidden dependencies (co-change across a
//! component boundary that no import explains).
//!
//! Sources: code-maat (Adam Tornhill, `src/code_maat/analysis/`):
//! hotspots are revisions × lines of code ("Your Code as a Crime Scene",
//! ch. 4); logical coupling uses code-maat's algorithm and defaults through
//! `retort_history::analysis::logical_coupling` (degree = shared revisions
//! / mean revisions × 100; minimum 5 mean revisions, 5 shared revisions,
//! 30 % degree; change sets over 30 files ignored). Component coupling
//! applies the same algorithm with components as the entities.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use retort_history::analysis::{logical_coupling, CouplingOptions, FileChurn as HistoryFileChurn};
use retort_history::History;

use crate::assess::ComponentEdges;
use crate::components::{Components, CORE};
use crate::graph::ImportGraph;
use crate::report::{
    ComponentChurn, ComponentCoupling, FileChurn, FileCoupling, HistoryWindow, Hotspot, QuarterSignal,
};

/// Hotspots listed at most.
const MAX_HOTSPOTS: usize = 25;
/// Coupled file pairs listed at most.
const MAX_FILE_PAIRS: usize = 200;

/// Maps repository paths to project modules: the scanned root may lie
/// below the repository root.
pub struct PathMap {
    /// The scanned root relative to the repository root, with a trailing `/` (or empty).
    prefix: String,
    module_of_path: BTreeMap<String, usize>,
}

impl PathMap {
    pub fn new(graph: &ImportGraph, scanned_root: &Path, history: &History) -> Self {
        let scanned = std::fs::canonicalize(scanned_root).unwrap_or_else(|_| scanned_root.to_path_buf());
        let repo = std::fs::canonicalize(&history.repository.root).unwrap_or_else(|_| history.repository.root.clone());
        let prefix = scanned.strip_prefix(&repo).map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
        let prefix = if prefix.is_empty() { prefix } else { format!("{prefix}/") };
        let module_of_path = graph.files.iter().enumerate().map(|(id, f)| (format!("{prefix}{f}"), id)).collect();
        Self { prefix, module_of_path }
    }

    pub fn module(&self, repo_path: &str) -> Option<usize> {
        self.module_of_path.get(repo_path).copied()
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

/// What the history says about the window it covers.
pub fn history_window(history: &History) -> HistoryWindow {
    let w = &history.window;
    let mut note = format!("{} commits kept of {} read", w.commits_kept, w.commits_read);
    if w.truncated {
        note.push_str("; truncated at --max-commits (older history exists)");
    }
    if history.repository.shallow {
        note.push_str("; shallow clone");
    }
    if let Some(reason) = &w.stopped_early {
        note.push_str(&format!("; stopped early: {reason}"));
    }
    HistoryWindow {
        commits: w.commits_kept,
        newest_commit: w.newest_commit.clone(),
        oldest_commit: w.oldest_commit.clone(),
        complete: w.complete(),
        note,
    }
}

/// Revisions × lines of code for the project's Python files, from
/// `retort_history`'s churn per file.
pub fn hotspots(
    churn: &[HistoryFileChurn],
    graph: &ImportGraph,
    components: &Components,
    paths: &PathMap,
) -> Vec<Hotspot> {
    let mut rows: Vec<Hotspot> = churn
        .iter()
        .filter_map(|churn| {
            let module = paths.module(&churn.path)?;
            let lines = graph.lines[module];
            Some(Hotspot {
                file: churn.path.to_string(),
                component: components.name_of_module(module).to_string(),
                revisions: churn.revisions,
                lines,
                added: churn.added,
                removed: churn.removed,
                score: u64::from(churn.revisions) * lines as u64,
                complexity: graph.indentation[module],
            })
        })
        .collect();
    rows.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.file.cmp(&b.file)));
    rows.truncate(MAX_HOTSPOTS);
    rows
}

/// Revisions per component (commits touching one of its modules).
pub fn component_revisions(history: &History, components: &Components, paths: &PathMap) -> Vec<u32> {
    let mut revisions = vec![0u32; components.defs.len()];
    for (_, changes) in history.changesets() {
        let touched: BTreeSet<usize> =
            changes.iter().filter_map(|c| paths.module(&c.path)).map(|m| components.of_module[m]).collect();
        for c in touched {
            revisions[c] += 1;
        }
    }
    revisions
}

/// Churn per component (one entry per component, in `components.defs`
/// order): lines added and removed in each of its Python files that exist
/// today, summed. A file renamed into a component brings its history along
/// (`retort_history` follows files through renames).
pub fn component_churn(
    history: &History,
    churn: &[HistoryFileChurn],
    components: &Components,
    paths: &PathMap,
) -> Vec<ComponentChurn> {
    let mut per_component = vec![ComponentChurn::default(); components.defs.len()];
    for row in churn {
        if history.file(row.file).deleted {
            continue;
        }
        let Some(module) = paths.module(&row.path) else { continue };
        let component = &mut per_component[components.of_module[module]];
        component.added += row.added;
        component.removed += row.removed;
        component.uncounted_changes += row.uncounted_revisions;
        component.files.push(FileChurn {
            file: row.path.to_string(),
            revisions: row.revisions,
            added: row.added,
            removed: row.removed,
            total: row.added + row.removed,
        });
    }
    for component in &mut per_component {
        component.total = component.added + component.removed;
        component.files.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.file.cmp(&b.file)));
    }
    per_component
}

/// Whether any import (wiring left out) links the two components.
fn imports_explain(edges: &ComponentEdges, a: usize, b: usize) -> bool {
    edges.contains_key(&(a, b)) || edges.contains_key(&(b, a))
}

/// Co-changing file pairs (code-maat's logical coupling), flagged when
/// they cross a component boundary and when no import explains them.
pub fn file_coupling(
    history: &History,
    components: &Components,
    edges: &ComponentEdges,
    paths: &PathMap,
    options: &CouplingOptions,
) -> Vec<FileCoupling> {
    let mut rows: Vec<FileCoupling> = logical_coupling(history, options)
        .into_iter()
        .map(|pair| {
            let ca = paths.module(&pair.a_path).map(|m| components.of_module[m]);
            let cb = paths.module(&pair.b_path).map(|m| components.of_module[m]);
            let cross = matches!((ca, cb), (Some(a), Some(b)) if a != b);
            let hidden = match (ca, cb) {
                (Some(a), Some(b)) if a != b => !imports_explain(edges, a, b),
                _ => false,
            };
            FileCoupling {
                a: pair.a_path.to_string(),
                b: pair.b_path.to_string(),
                shared_revisions: pair.shared_revisions,
                degree: (pair.degree * 10.0).round() / 10.0,
                cross_component: cross,
                hidden,
            }
        })
        .collect();
    rows.truncate(MAX_FILE_PAIRS);
    rows
}

/// The change sets, as sets of components, that code-maat would count
/// (no larger than `max_changeset_size` files), with their author time.
fn component_changesets(
    history: &History,
    components: &Components,
    paths: &PathMap,
    max_changeset_size: usize,
) -> Vec<(i64, BTreeSet<usize>)> {
    history
        .changesets()
        .filter(|(_, changes)| !changes.is_empty() && changes.len() <= max_changeset_size)
        .map(|(commit, changes)| {
            let set = changes.iter().filter_map(|c| paths.module(&c.path)).map(|m| components.of_module[m]).collect();
            (commit.author_time, set)
        })
        .collect()
}

/// code-maat's coupling algorithm with components as entities.
pub fn component_coupling(
    history: &History,
    components: &Components,
    edges: &ComponentEdges,
    paths: &PathMap,
    options: &CouplingOptions,
) -> Vec<ComponentCoupling> {
    let sets = component_changesets(history, components, paths, options.max_changeset_size);
    let mut revisions: BTreeMap<usize, u32> = BTreeMap::new();
    let mut shared: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    for (_, set) in &sets {
        let list: Vec<usize> = set.iter().copied().collect();
        for (i, &a) in list.iter().enumerate() {
            *revisions.entry(a).or_default() += 1;
            for &b in &list[i + 1..] {
                *shared.entry((a, b)).or_default() += 1;
            }
        }
    }
    let mut rows: Vec<ComponentCoupling> = shared
        .into_iter()
        .filter_map(|((a, b), together)| {
            let mean = (f64::from(revisions[&a]) + f64::from(revisions[&b])) / 2.0;
            let degree = f64::from(together) / mean * 100.0;
            let keep = mean >= options.min_revisions
                && together >= options.min_shared_revisions
                && degree >= options.min_degree
                && degree.floor() <= options.max_degree;
            keep.then(|| ComponentCoupling {
                a: components.defs[a].name.clone(),
                b: components.defs[b].name.clone(),
                shared_revisions: together,
                degree: (degree * 10.0).round() / 10.0,
                hidden: !imports_explain(edges, a, b),
            })
        })
        .collect();
    rows.sort_by(|x, y| y.degree.total_cmp(&x.degree).then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b))));
    rows
}

/// Seconds in a quarter of a year (365.25 / 4 days).
const QUARTER_SECONDS: i64 = 7_889_400;

/// "When to move" signals per calendar-free quarter (91.3-day buckets
/// counted back from the newest commit): commits touching any non-core
/// component, and those touching two or more (release coordination; a
/// falling share means the boundaries are stabilising).
pub fn quarterly_signals(
    history: &History,
    components: &Components,
    paths: &PathMap,
    options: &CouplingOptions,
) -> Vec<QuarterSignal> {
    let sets = component_changesets(history, components, paths, options.max_changeset_size);
    let Some(newest) = sets.iter().map(|(t, _)| *t).max() else { return Vec::new() };
    let mut buckets: BTreeMap<i64, (u32, u32)> = BTreeMap::new();
    for (time, set) in &sets {
        let non_core = set.iter().filter(|&&c| components.defs[c].name != CORE).count();
        if non_core == 0 {
            continue;
        }
        let age = (newest - time).max(0) / QUARTER_SECONDS;
        let entry = buckets.entry(age).or_default();
        entry.0 += 1;
        if non_core >= 2 {
            entry.1 += 1;
        }
    }
    buckets
        .into_iter()
        .rev()
        .map(|(age, (commits, multi))| QuarterSignal {
            quarters_ago: age as u32,
            commits,
            multi_component_commits: multi,
            share: if commits == 0 { 0.0 } else { (f64::from(multi) / f64::from(commits) * 1000.0).round() / 1000.0 },
        })
        .collect()
}
