//! Who owns each component, for the extraction plan: the authors of its
//! Python files by degree of authorship (Fritz et al.; Avelino et al.,
//! ICPC 2016 — the definitions of `retort team`, `docs/team.md`) and the
//! component's truck factor, with developers inactive for
//! [`INACTIVE_DAYS`] before the newest commit counted as gone.
//!
//! An extraction needs the people who know the code: a component whose
//! files one person authors moves with that person's time, and one whose
//! authors have all left moves with nobody's.

use std::collections::{BTreeMap, BTreeSet};

use retort_history::analysis::{developer_activity, file_authorship};
use retort_history::{DevId, History};
use retort_team::doa::{file_doa, DoaOptions};
use retort_team::truck_factor::truck_factor;

use crate::components::Components;
use crate::evolution::PathMap;
use crate::report::Ownership;

/// `retort team`'s default: six months without a commit counts as gone.
pub const INACTIVE_DAYS: i64 = 182;
/// Avelino et al.'s coverage threshold.
const COVERAGE: f64 = 0.5;
/// Authors listed per component, most files first.
const LISTED_AUTHORS: usize = 5;

/// One entry per component (`None` when no file of it is in the history).
pub fn component_ownership(history: &History, components: &Components, paths: &PathMap) -> Vec<Option<Ownership>> {
    let names: Vec<String> = history.developers.iter().map(|d| d.name.clone()).collect();
    let name_of = |d: DevId| names[d.0 as usize].clone();
    let activity = developer_activity(history);
    let newest = activity.iter().map(|a| a.last_time).max().unwrap_or(0);
    let gone: BTreeSet<DevId> =
        activity.iter().filter(|a| a.last_time < newest - INACTIVE_DAYS * 86_400).map(|a| a.developer).collect();

    let mut authors_per_component: Vec<Vec<Vec<DevId>>> = vec![Vec::new(); components.defs.len()];
    for file in file_authorship(history) {
        if history.files[file.file.0 as usize].deleted {
            continue;
        }
        let Some(module) = paths.module(&file.path) else { continue };
        let authors: Vec<DevId> =
            file_doa(&file, &DoaOptions::default()).into_iter().filter(|d| d.author).map(|d| d.developer).collect();
        authors_per_component[components.of_module[module]].push(authors);
    }

    authors_per_component
        .iter()
        .map(|files| {
            if files.is_empty() {
                return None;
            }
            let slices: Vec<&[DevId]> = files.iter().map(Vec::as_slice).collect();
            let all = truck_factor(&slices, &BTreeSet::new(), &name_of, COVERAGE);
            let active = truck_factor(&slices, &gone, &name_of, COVERAGE);
            let mut authored: BTreeMap<DevId, usize> = BTreeMap::new();
            for authors in files {
                for &a in authors {
                    *authored.entry(a).or_default() += 1;
                }
            }
            let mut ranked: Vec<(DevId, usize)> = authored.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| name_of(a.0).cmp(&name_of(b.0))));
            Some(Ownership {
                files: files.len(),
                truck_factor: all.value,
                active_truck_factor: active.value,
                orphaned_files: active.orphaned_files,
                authors: ranked
                    .iter()
                    .take(LISTED_AUTHORS)
                    .map(|&(d, n)| {
                        let files = if n == 1 { "file" } else { "files" };
                        format!("{} ({n} {files}{})", name_of(d), if gone.contains(&d) { ", inactive" } else { "" })
                    })
                    .collect(),
            })
        })
        .collect()
}
