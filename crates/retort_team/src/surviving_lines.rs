//! The second view of authorship: surviving lines per developer (`git
//! blame` at the newest commit, as git-fame counts them), for the whole
//! repository and per component, next to the degree-of-authorship view
//! that counts commits. Built from [`retort_history::blame`]'s per-file
//! counts; `retort team --blame` asks for it (one `git blame` per file).

use std::collections::BTreeMap;

use retort_history::blame::FileBlame;
use retort_history::DevId;
use schemars::JsonSchema;
use serde::Serialize;

use crate::components::Components;

/// Developers listed per component, most lines first.
const LISTED: usize = 5;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SurvivingLines {
    /// Files blamed.
    pub files: usize,
    /// Their lines.
    pub lines: u64,
    /// Lines whose author the history does not know (before its window, bots).
    pub unattributed_lines: u64,
    /// Developers, most lines first.
    pub developers: Vec<LineShare>,
    pub components: Vec<ComponentLines>,
    /// Files git could not blame, with the reason (binary, missing object…).
    pub not_blamed: Vec<NotBlamed>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LineShare {
    pub name: String,
    pub lines: u64,
    /// Share of all blamed lines, 0–1.
    pub share: f64,
    /// Files where this developer has the most lines.
    pub files_led: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ComponentLines {
    pub name: String,
    pub lines: u64,
    pub developers: Vec<LineShare>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NotBlamed {
    pub path: String,
    pub reason: String,
}

/// Lines and files led, per developer.
type Tally = BTreeMap<DevId, (u64, usize)>;

/// Rolls per-file blame up to developers and components.
pub fn surviving_lines(
    blamed: &[FileBlame],
    not_blamed: Vec<(String, String)>,
    components: &Components,
    name_of: &dyn Fn(DevId) -> String,
) -> SurvivingLines {
    let total: u64 = blamed.iter().map(file_lines).sum();
    let unattributed: u64 = blamed.iter().map(|f| u64::from(f.unattributed)).sum();
    let mut all: Tally = BTreeMap::new();
    let mut per_component: Vec<(u64, Tally)> = vec![(0, BTreeMap::new()); components.defs.len()];
    for file in blamed {
        let component = &mut per_component[components.of(&file.path)];
        component.0 += file_lines(file);
        for (index, &(developer, lines)) in file.lines.iter().enumerate() {
            let led = usize::from(index == 0);
            for table in [&mut all, &mut component.1] {
                let entry = table.entry(developer).or_default();
                entry.0 += u64::from(lines);
                entry.1 += led;
            }
        }
    }
    SurvivingLines {
        files: blamed.len(),
        lines: total,
        unattributed_lines: unattributed,
        developers: ranked(&all, total, usize::MAX, name_of),
        components: components
            .defs
            .iter()
            .zip(&per_component)
            .filter(|(_, (lines, _))| *lines > 0)
            .map(|(def, (lines, table))| ComponentLines {
                name: def.name.clone(),
                lines: *lines,
                developers: ranked(table, *lines, LISTED, name_of),
            })
            .collect(),
        not_blamed: not_blamed.into_iter().map(|(path, reason)| NotBlamed { path, reason }).collect(),
    }
}

fn file_lines(file: &FileBlame) -> u64 {
    file.lines.iter().map(|&(_, n)| u64::from(n)).sum::<u64>() + u64::from(file.unattributed)
}

fn ranked(table: &Tally, total: u64, limit: usize, name_of: &dyn Fn(DevId) -> String) -> Vec<LineShare> {
    let mut rows: Vec<LineShare> = table
        .iter()
        .map(|(&developer, &(lines, files_led))| LineShare {
            name: name_of(developer),
            lines,
            share: if total == 0 { 0.0 } else { lines as f64 / total as f64 },
            files_led,
        })
        .collect();
    rows.sort_by(|a, b| b.lines.cmp(&a.lines).then_with(|| a.name.cmp(&b.name)));
    rows.truncate(limit);
    rows
}
