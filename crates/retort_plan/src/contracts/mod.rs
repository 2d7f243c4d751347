//! Boundary contracts: import-linter's five contract types, checked with
//! its semantics (`importlinter/contracts/*.py`, David Seddon) as thin
//! queries of the one [`ImportGraph`], plus the component rules of
//! `[tool.retort.arch] allowed`.

pub mod config;

use std::collections::{BTreeMap, BTreeSet};

use crate::components::Components;
use crate::config::ArchConfig;
use crate::cycles::{feedback_arc_set, WeightedEdge};
use crate::graph::{in_package, ImportGraph};
use crate::imports::ImportScan;
use crate::report::{ContractResult, Import, Violation};
pub use config::{load_linter_config, ContractSpec, LinterConfig};

/// import-linter's default recursion depth for `acyclic_siblings`.
const ACYCLIC_SIBLINGS_DEFAULT_DEPTH: usize = 10;

/// The graph as import-linter sees it: only modules of the root packages,
/// type-checking imports dropped when the configuration says so.
struct Scope<'g> {
    graph: ImportGraph,
    in_scope: Vec<bool>,
    external: &'g BTreeMap<String, Vec<(usize, u32)>>,
    include_external: bool,
}

impl Scope<'_> {
    fn mask(&self, ids: &[usize]) -> Vec<bool> {
        let mut mask = vec![false; self.graph.len()];
        for &id in ids {
            mask[id] = true;
        }
        mask
    }

    fn module_exists(&self, name: &str) -> bool {
        (0..self.graph.len()).any(|id| self.in_scope[id] && self.graph.names[id] == name)
    }

    /// Modules matching a module expression (`a.b`, `a.*`, `a.**.c`).
    fn expand(&self, expression: &str) -> Vec<String> {
        let expression = expression.trim();
        if !expression.contains('*') {
            return vec![expression.to_string()];
        }
        let mut names: Vec<String> = (0..self.graph.len())
            .filter(|&id| self.in_scope[id] && expression_matches(expression, &self.graph.names[id]))
            .map(|id| self.graph.names[id].clone())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    fn members(&self, name: &str, as_package: bool) -> Vec<usize> {
        (0..self.graph.len())
            .filter(|&id| self.in_scope[id])
            .filter(
                |&id| if as_package { in_package(&self.graph.names[id], name) } else { self.graph.names[id] == name },
            )
            .collect()
    }

    fn chain_imports(&self, chain: &[usize]) -> Vec<Import> {
        chain.windows(2).map(|pair| first_import(&self.graph, pair[0], pair[1])).collect()
    }

    fn children(&self, name: &str) -> Vec<String> {
        let depth = name.split('.').count() + 1;
        let mut children: Vec<String> = (0..self.graph.len())
            .filter(|&id| self.in_scope[id])
            .map(|id| &self.graph.names[id])
            .filter(|n| in_package(n, name) && n.split('.').count() >= depth)
            .map(|n| n.split('.').take(depth).collect::<Vec<_>>().join("."))
            .collect();
        children.sort();
        children.dedup();
        children
    }
}

/// The first import statement from `from` to `to`, as a report link.
pub fn first_import(graph: &ImportGraph, from: usize, to: usize) -> Import {
    let edge = graph.details(from, to).next();
    Import {
        from: graph.names[from].clone(),
        to: graph.names[to].clone(),
        file: graph.files[from].clone(),
        line: edge.map_or(0, |e| e.line),
        in_function: edge.is_some_and(|e| e.in_function),
        type_checking: edge.is_some_and(|e| e.type_checking),
    }
}

/// import-linter's module expressions: `*` is one name, `**` one or more.
pub fn expression_matches(expression: &str, module: &str) -> bool {
    fn matches(pattern: &[&str], name: &[&str]) -> bool {
        match pattern.split_first() {
            None => name.is_empty(),
            Some((&"**", rest)) => (1..=name.len()).any(|take| matches(rest, &name[take..])),
            Some((&"*", rest)) => !name.is_empty() && matches(rest, &name[1..]),
            Some((part, rest)) => name.first() == Some(part) && matches(rest, &name[1..]),
        }
    }
    let pattern: Vec<&str> = expression.split('.').collect();
    let name: Vec<&str> = module.split('.').collect();
    matches(&pattern, &name)
}

/// Checks every contract of an import-linter configuration.
pub fn check_linter_contracts(scan: &ImportScan, config: &LinterConfig) -> Vec<ContractResult> {
    let in_scope: Vec<bool> =
        scan.graph.names.iter().map(|name| config.root_packages.iter().any(|root| in_package(name, root))).collect();
    let base = scan
        .graph
        .filtered(|e| in_scope[e.from] && in_scope[e.to] && !(config.exclude_type_checking_imports && e.type_checking));
    let external: BTreeMap<String, Vec<(usize, u32)>> = scan
        .external_lines
        .iter()
        .map(|(k, v)| (k.clone(), v.iter().copied().filter(|(id, _)| in_scope[*id]).collect()))
        .collect();
    let mut results = Vec::new();
    for spec in &config.contracts {
        let mut messages = Vec::new();
        let graph = remove_ignored(&base, &in_scope, &spec.list("ignore_imports"), &mut messages);
        let scope = Scope {
            graph,
            in_scope: in_scope.clone(),
            external: &external,
            include_external: config.include_external_packages,
        };
        let missing_roots: Vec<&String> = config.root_packages.iter().filter(|r| !scope.module_exists(r)).collect();
        let outcome = if !missing_roots.is_empty() {
            Err(format!(
                "root package {} not found",
                missing_roots.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            ))
        } else {
            match spec.kind.as_str() {
                "forbidden" => check_forbidden(&scope, spec),
                "independence" => check_independence(&scope, spec),
                "layers" => check_layers(&scope, spec),
                "acyclic_siblings" => check_acyclic_siblings(&scope, spec),
                "protected" => check_protected(&scope, spec),
                other => Err(format!("contract type `{other}` is not supported")),
            }
        };
        let (verdict, violations) = match outcome {
            Ok(violations) if violations.is_empty() => ("kept", violations),
            Ok(violations) => ("broken", violations),
            Err(message) => {
                messages.push(message);
                ("error", Vec::new())
            }
        };
        results.push(ContractResult {
            name: spec.name.clone(),
            kind: spec.kind.clone(),
            source: config.source.clone(),
            verdict: verdict.to_string(),
            violations,
            messages,
        });
    }
    results
}

/// The graph without the imports an `ignore_imports` expression matches;
/// expressions matching nothing are reported (import-linter's default
/// alerting is an error; here a message).
fn remove_ignored(
    graph: &ImportGraph,
    in_scope: &[bool],
    expressions: &[String],
    messages: &mut Vec<String>,
) -> ImportGraph {
    if expressions.is_empty() {
        return graph.clone();
    }
    let mut patterns = Vec::new();
    for expression in expressions {
        match expression.split_once("->") {
            Some((importer, imported)) => {
                patterns.push((expression, importer.trim().to_string(), imported.trim().to_string()))
            }
            None => messages.push(format!("ignored import `{expression}` is not `importer -> imported`")),
        }
    }
    let mut used = vec![false; patterns.len()];
    let matches = |i: usize, from: usize, to: usize| {
        let (_, importer, imported) = &patterns[i];
        in_scope[from]
            && expression_matches(importer, &graph.names[from])
            && expression_matches(imported, &graph.names[to])
    };
    let filtered = graph.filtered(|edge| !(0..patterns.len()).any(|i| matches(i, edge.from, edge.to)));
    for edge in &graph.edges {
        for (i, flag) in used.iter_mut().enumerate() {
            *flag |= matches(i, edge.from, edge.to);
        }
    }
    for (i, (expression, _, _)) in patterns.iter().enumerate() {
        if !used[i] {
            messages.push(format!("ignored import `{expression}` matched no import"));
        }
    }
    filtered
}

fn require_modules(scope: &Scope, names: &[String]) -> Result<(), String> {
    match names.iter().find(|n| !scope.module_exists(n)) {
        Some(missing) => Err(format!("module `{missing}` does not exist")),
        None => Ok(()),
    }
}

fn expand_all(scope: &Scope, expressions: &[String]) -> Vec<String> {
    let mut names: Vec<String> = expressions.iter().flat_map(|e| scope.expand(e)).collect();
    names.sort();
    names.dedup();
    names
}

fn check_forbidden(scope: &Scope, spec: &ContractSpec) -> Result<Vec<Violation>, String> {
    let as_packages = spec.flag("as_packages", true);
    let indirect_allowed = spec.flag("allow_indirect_imports", false);
    let sources = expand_all(scope, &spec.list("source_modules"));
    let forbidden = expand_all(scope, &spec.list("forbidden_modules"));
    require_modules(scope, &sources)?;
    let (internal, external): (Vec<String>, Vec<String>) = forbidden.into_iter().partition(|f| {
        scope
            .in_scope
            .iter()
            .zip(&scope.graph.names)
            .any(|(s, n)| *s && in_package(n, f.split('.').next().unwrap_or(f)))
    });
    require_modules(scope, &internal)?;
    if !external.is_empty() && !scope.include_external {
        return Err("the top level configuration must have include_external_packages=True when there are external forbidden modules".into());
    }
    let no_block = vec![false; scope.graph.len()];
    let mut violations = Vec::new();
    for source in &sources {
        let source_members = scope.members(source, as_packages);
        let source_mask = scope.mask(&source_members);
        for target in &internal {
            let overlap = source == target || as_packages && (in_package(source, target) || in_package(target, source));
            if overlap {
                continue;
            }
            let target_members = scope.members(target, as_packages);
            let chain = if indirect_allowed {
                source_members.iter().find_map(|&s| {
                    scope.graph.imported_by(s).iter().find(|t| target_members.contains(t)).map(|&t| vec![s, t])
                })
            } else {
                scope.graph.shortest_chain(&source_mask, &scope.mask(&target_members), &no_block)
            };
            if let Some(chain) = chain {
                violations.push(Violation {
                    summary: format!("{source} is not allowed to import {target}"),
                    chain: scope.chain_imports(&chain),
                });
            }
        }
        for package in &external {
            let importers: Vec<(usize, u32)> = scope.external.get(package).cloned().unwrap_or_default();
            let importer_ids: Vec<usize> = importers.iter().map(|(id, _)| *id).collect();
            let direct = importers.iter().find(|(id, _)| source_mask[*id]);
            let chain = match direct {
                Some(&(id, _)) => Some(vec![id]),
                None if !indirect_allowed => {
                    scope.graph.shortest_chain(&source_mask, &scope.mask(&importer_ids), &no_block)
                }
                None => None,
            };
            if let Some(chain) = chain {
                let last = *chain.last().expect("chains are not empty");
                let mut links = scope.chain_imports(&chain);
                let line = importers.iter().find(|(id, _)| *id == last).map_or(0, |(_, l)| *l);
                links.push(Import {
                    from: scope.graph.names[last].clone(),
                    to: package.clone(),
                    file: scope.graph.files[last].clone(),
                    line,
                    in_function: false,
                    type_checking: false,
                });
                violations
                    .push(Violation { summary: format!("{source} is not allowed to import {package}"), chain: links });
            }
        }
    }
    Ok(violations)
}

/// Chains between each ordered pair of `groups` (package names), each
/// search blocked from passing through the other groups (grimp's layer
/// search); `pairs` says which ordered pairs are illegal.
fn illegal_chains(scope: &Scope, groups: &[String], pairs: &[(usize, usize)]) -> Vec<Violation> {
    let members: Vec<Vec<usize>> = groups.iter().map(|g| scope.members(g, true)).collect();
    let mut violations = Vec::new();
    for &(importer, imported) in pairs {
        let blocked: Vec<usize> = members
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != importer && *i != imported)
            .flat_map(|(_, m)| m.iter().copied())
            .collect();
        if let Some(chain) = scope.graph.shortest_chain(
            &scope.mask(&members[importer]),
            &scope.mask(&members[imported]),
            &scope.mask(&blocked),
        ) {
            violations.push(Violation {
                summary: format!("{} is not allowed to import {}", groups[importer], groups[imported]),
                chain: scope.chain_imports(&chain),
            });
        }
    }
    violations
}

fn check_independence(scope: &Scope, spec: &ContractSpec) -> Result<Vec<Violation>, String> {
    let modules = expand_all(scope, &spec.list("modules"));
    require_modules(scope, &modules)?;
    let pairs: Vec<(usize, usize)> =
        (0..modules.len()).flat_map(|a| (0..modules.len()).filter(move |&b| b != a).map(move |b| (a, b))).collect();
    Ok(illegal_chains(scope, &modules, &pairs))
}

/// One layer: its module tails, whether its siblings must be independent,
/// and which tails are optional (written in parentheses).
struct Layer {
    tails: Vec<(String, bool)>,
    independent: bool,
}

fn parse_layer(raw: &str) -> Result<Layer, String> {
    if raw.contains('|') && raw.contains(':') {
        return Err(format!("layer `{raw}` mixes independent (|) and non-independent (:) siblings"));
    }
    let independent = !raw.contains(':');
    let tails = raw
        .split(['|', ':'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| match t.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            Some(inner) => (inner.trim().to_string(), true),
            None => (t.to_string(), false),
        })
        .collect();
    Ok(Layer { tails, independent })
}

fn check_layers(scope: &Scope, spec: &ContractSpec) -> Result<Vec<Violation>, String> {
    let layers: Vec<Layer> = spec.list("layers").iter().map(|l| parse_layer(l)).collect::<Result<_, _>>()?;
    let containers = expand_all(scope, &spec.list("containers"));
    let exhaustive = spec.flag("exhaustive", false);
    let exhaustive_ignores = spec.list("exhaustive_ignores");
    let container_list: Vec<Option<String>> =
        if containers.is_empty() { vec![None] } else { containers.iter().cloned().map(Some).collect() };
    let mut violations = Vec::new();
    for container in &container_list {
        let full = |tail: &str| container.as_ref().map_or(tail.to_string(), |c| format!("{c}.{tail}"));
        if let Some(c) = container {
            require_modules(scope, std::slice::from_ref(c)).map_err(|_| format!("container `{c}` does not exist"))?;
        }
        // Groups: every existing layer module, with its layer index.
        let mut groups: Vec<String> = Vec::new();
        let mut layer_of: Vec<usize> = Vec::new();
        for (index, layer) in layers.iter().enumerate() {
            for (tail, optional) in &layer.tails {
                let name = full(tail);
                if scope.module_exists(&name) {
                    groups.push(name);
                    layer_of.push(index);
                } else if !optional && container.is_none() {
                    return Err(format!("missing layer `{name}`: module does not exist"));
                }
            }
        }
        let mut pairs = Vec::new();
        for a in 0..groups.len() {
            for b in 0..groups.len() {
                if a == b {
                    continue;
                }
                // A lower layer (greater index) must not import a higher one;
                // independent siblings must not import each other.
                let lower_imports_higher = layer_of[a] > layer_of[b];
                let siblings = layer_of[a] == layer_of[b] && layers[layer_of[a]].independent;
                if lower_imports_higher || siblings {
                    pairs.push((a, b));
                }
            }
        }
        violations.extend(illegal_chains(scope, &groups, &pairs));
        if exhaustive {
            if let Some(c) = container {
                let declared: BTreeSet<String> =
                    layers.iter().flat_map(|l| l.tails.iter().map(|(t, _)| t.clone())).collect();
                for child in scope.children(c) {
                    let tail = child.rsplit('.').next().unwrap_or(&child).to_string();
                    if !declared.contains(&tail) && !exhaustive_ignores.contains(&tail) {
                        violations.push(Violation {
                            summary: format!("{child} is not listed as a layer"),
                            chain: Vec::new(),
                        });
                    }
                }
            }
        }
    }
    Ok(violations)
}

fn check_acyclic_siblings(scope: &Scope, spec: &ContractSpec) -> Result<Vec<Violation>, String> {
    let ancestors = expand_all(scope, &spec.list("ancestors"));
    require_modules(scope, &ancestors)?;
    let depth = spec
        .options
        .get("depth")
        .and_then(|v| v.first())
        .map(|d| d.parse::<usize>().map_err(|_| format!("depth `{d}` is not a number")))
        .transpose()?
        .unwrap_or(ACYCLIC_SIBLINGS_DEFAULT_DEPTH);
    let skipped = expand_all(scope, &spec.list("skip_descendants"));
    let mut violations = Vec::new();
    let mut stack: Vec<(String, usize)> = ancestors.iter().map(|a| (a.clone(), depth)).collect();
    while let Some((package, remaining)) = stack.pop() {
        let children = scope.children(&package);
        if children.len() >= 2 {
            violations.extend(sibling_cycles(scope, &package, &children));
        }
        if remaining > 0 {
            for child in children.iter().rev().filter(|c| !skipped.contains(c)) {
                stack.push((child.clone(), remaining - 1));
            }
        }
    }
    Ok(violations)
}

/// Cycles between the children of `package`, each child squashed with its
/// descendants: one violation per import nominated as a cycle breaker.
fn sibling_cycles(scope: &Scope, package: &str, children: &[String]) -> Vec<Violation> {
    let child_of = |module: usize| children.iter().position(|c| in_package(&scope.graph.names[module], c));
    // (child, child) → (import statements, distinct module pairs behind them)
    type SiblingEdges = BTreeMap<(usize, usize), (f64, Vec<(usize, usize)>)>;
    let mut weights: SiblingEdges = BTreeMap::new();
    for edge in &scope.graph.edges {
        if let (Some(a), Some(b)) = (child_of(edge.from), child_of(edge.to)) {
            if a != b {
                let entry = weights.entry((a, b)).or_insert((0.0, Vec::new()));
                entry.0 += 1.0;
                if !entry.1.contains(&(edge.from, edge.to)) {
                    entry.1.push((edge.from, edge.to));
                }
            }
        }
    }
    let adjacency: Vec<Vec<usize>> =
        (0..children.len()).map(|a| weights.keys().filter(|(x, _)| *x == a).map(|(_, b)| *b).collect()).collect();
    let sccs = crate::graph::strongly_connected(children.len(), |v| adjacency[v].as_slice());
    let mut violations = Vec::new();
    for scc in sccs.into_iter().filter(|c| c.len() > 1) {
        let edges: Vec<WeightedEdge> = weights
            .iter()
            .filter(|((a, b), _)| scc.contains(a) && scc.contains(b))
            .map(|((a, b), (w, _))| WeightedEdge { from: *a, to: *b, weight: *w })
            .collect();
        let mut nodes = scc.clone();
        nodes.sort_unstable();
        for cut in feedback_arc_set(&nodes, &edges) {
            let links = &weights[&(cut.from, cut.to)].1;
            violations.push(Violation {
                summary: format!(
                    "cycle between children of {package}: {} imports {} (cut here)",
                    children[cut.from], children[cut.to]
                ),
                chain: links.iter().map(|&(f, t)| first_import(&scope.graph, f, t)).collect(),
            });
        }
    }
    violations
}

fn check_protected(scope: &Scope, spec: &ContractSpec) -> Result<Vec<Violation>, String> {
    let as_packages = spec.flag("as_packages", true);
    let allowed: BTreeSet<usize> = expand_all(scope, &spec.list("allowed_importers"))
        .iter()
        .flat_map(|name| scope.members(name, as_packages))
        .collect();
    let protected_names = expand_all(scope, &spec.list("protected_modules"));
    require_modules(scope, &protected_names)?;
    let mut violations = Vec::new();
    for top in &protected_names {
        let protected: BTreeSet<usize> = scope.members(top, as_packages).into_iter().collect();
        let mut chain = Vec::new();
        for &module in &protected {
            for &importer in scope.graph.importers_of(module) {
                if !allowed.contains(&importer) && !protected.contains(&importer) {
                    chain.push(first_import(&scope.graph, importer, module));
                }
            }
        }
        if !chain.is_empty() {
            violations.push(Violation { summary: format!("illegal imports of protected package {top}"), chain });
        }
    }
    Ok(violations)
}

/// `[tool.retort.arch] allowed`: a component may import only the listed
/// components (and itself); every other import crossing its boundary is a
/// violation. One contract per constrained component.
pub fn check_component_rules(graph: &ImportGraph, components: &Components, config: &ArchConfig) -> Vec<ContractResult> {
    let mut results = Vec::new();
    for (name, allowed) in &config.allowed {
        let mut messages = Vec::new();
        let Some(index) = components.index_of(name) else {
            results.push(ContractResult {
                name: format!("{name} imports only {}", allowed.join(", ")),
                kind: "components".into(),
                source: "[tool.retort.arch]".into(),
                verdict: "error".into(),
                violations: Vec::new(),
                messages: vec![format!("no component `{name}`")],
            });
            continue;
        };
        for other in allowed.iter().filter(|a| components.index_of(a).is_none()) {
            messages.push(format!("allowed component `{other}` does not exist"));
        }
        let mut by_target: BTreeMap<String, Vec<Import>> = BTreeMap::new();
        for edge in &graph.edges {
            let (from, to) = (components.of_module[edge.from], components.of_module[edge.to]);
            if from == index && to != index {
                let target = &components.defs[to].name;
                if !allowed.contains(target) {
                    by_target.entry(target.clone()).or_default().push(Import {
                        from: graph.names[edge.from].clone(),
                        to: graph.names[edge.to].clone(),
                        file: graph.files[edge.from].clone(),
                        line: edge.line,
                        in_function: edge.in_function,
                        type_checking: edge.type_checking,
                    });
                }
            }
        }
        let violations: Vec<Violation> = by_target
            .into_iter()
            .map(|(target, chain)| Violation { summary: format!("{name} is not allowed to import {target}"), chain })
            .collect();
        results.push(ContractResult {
            name: format!(
                "{name} imports only {}",
                if allowed.is_empty() { "itself".to_string() } else { allowed.join(", ") }
            ),
            kind: "components".into(),
            source: "[tool.retort.arch]".into(),
            verdict: if violations.is_empty() { "kept" } else { "broken" }.into(),
            violations,
            messages,
        });
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_expressions() {
        assert!(expression_matches("shop.*", "shop.cart"));
        assert!(!expression_matches("shop.*", "shop.cart.views"));
        assert!(expression_matches("shop.**", "shop.cart.views"));
        assert!(expression_matches("shop.*.views", "shop.cart.views"));
        assert!(!expression_matches("shop.**", "shop"));
    }

    #[test]
    fn layers_parse() {
        let layer = parse_layer("a | (b)").unwrap();
        assert!(layer.independent);
        assert_eq!(layer.tails, vec![("a".to_string(), false), ("b".to_string(), true)]);
        assert!(!parse_layer("a : b").unwrap().independent);
        assert!(parse_layer("a | b : c").is_err());
    }
}
