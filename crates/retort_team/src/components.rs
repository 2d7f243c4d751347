//! Components for `retort team`: by default one per blueprint's package
//! plus the shared `core`, the rule of `retort arch` (issue 12), applied to
//! file paths so that templates and static files in a blueprint's package
//! belong to it too; or the groups of `[tool.retort.team] components`.
//!
//! To be unified with `retort_plan::components` once both have landed.

use crate::facts::CatalogFacts;

use crate::pattern::PathPattern;

pub const CORE: &str = "core";

#[derive(Debug, Clone)]
pub struct ComponentDef {
    pub name: String,
    /// `blueprint`, `configured` or `core`.
    pub origin: &'static str,
    /// Paths (relative to the repository root) or patterns it owns.
    pub paths: Vec<String>,
    pub blueprints: Vec<String>,
    patterns: Vec<PathPattern>,
}

#[derive(Debug, Clone)]
pub struct Components {
    pub defs: Vec<ComponentDef>,
}

impl Components {
    /// Index of the component holding `path` (repository-relative): the
    /// most specific (longest) matching path wins; otherwise `core`.
    pub fn of(&self, path: &str) -> usize {
        let mut best: Option<(usize, usize)> = None;
        for (i, def) in self.defs.iter().enumerate() {
            for (text, pattern) in def.paths.iter().zip(&def.patterns) {
                if pattern.matches(path) && best.is_none_or(|(_, len)| text.len() > len) {
                    best = Some((i, text.len()));
                }
            }
        }
        best.map_or(self.defs.len() - 1, |(i, _)| i)
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Components from the catalog facts (repository-relative paths) or the
/// configured groups.
pub fn assign(facts: &CatalogFacts, configured: &std::collections::BTreeMap<String, Vec<String>>) -> Components {
    let mut defs: Vec<ComponentDef> = Vec::new();
    let mut core_paths: Vec<String> = Vec::new();
    if configured.is_empty() {
        let app_dirs: Vec<String> = facts.app_files.iter().map(|f| parent(f).to_string()).collect();
        let candidates: Vec<(String, String, String)> = facts
            .blueprints
            .iter()
            .map(|(name, file, _)| (parent(file).to_string(), file.clone(), name.clone()))
            .collect();
        let mut grouped: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for (dir, file, blueprint) in &candidates {
            let nested_other = candidates
                .iter()
                .any(|(other, _, _)| other != dir && (dir.is_empty() || other.starts_with(&format!("{dir}/"))));
            let shared = dir.is_empty() || app_dirs.contains(dir) || nested_other;
            let owned = if shared { file.clone() } else { format!("{dir}/") };
            let list = grouped.entry(owned).or_default();
            if !list.contains(blueprint) {
                list.push(blueprint.clone());
            }
        }
        for (path, blueprints) in grouped {
            let trimmed = path.trim_end_matches('/');
            let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
            let short = last.strip_suffix(".py").unwrap_or(last).to_string();
            let name = if short == CORE || defs.iter().any(|d| d.name == short) { trimmed.to_string() } else { short };
            let anchored = format!("/{path}");
            defs.push(ComponentDef {
                name,
                origin: "blueprint",
                patterns: PathPattern::new(&anchored, false).into_iter().collect(),
                paths: vec![path],
                blueprints,
            });
        }
    } else {
        for (name, paths) in configured {
            if name == CORE {
                core_paths = paths.clone();
                continue;
            }
            let patterns: Vec<PathPattern> = paths.iter().filter_map(|p| PathPattern::new(p, false).ok()).collect();
            defs.push(ComponentDef {
                name: name.clone(),
                origin: "configured",
                paths: paths.clone(),
                blueprints: Vec::new(),
                patterns,
            });
        }
    }
    defs.push(ComponentDef {
        name: CORE.to_string(),
        origin: "core",
        patterns: core_paths.iter().filter_map(|p| PathPattern::new(p, false).ok()).collect(),
        paths: core_paths,
        blueprints: Vec::new(),
    });
    let mut components = Components { defs };
    // Name the blueprints of configured components where they live.
    if !configured.is_empty() {
        for (name, file, _) in &facts.blueprints {
            let i = components.of(file);
            if !components.defs[i].blueprints.contains(name) {
                components.defs[i].blueprints.push(name.clone());
            }
        }
    }
    components
}
