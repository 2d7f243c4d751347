//! The module import graph: one data structure with queries (grimp's
//! model). Contracts, cycles, components and the extraction plan all read
//! it; nothing rebuilds it.

use std::collections::{HashMap, VecDeque};

use retort_python::{ModuleId, Project};

/// One import statement's edge (a statement importing several objects of
/// the same module gives one edge per object, as grimp's details do).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImportEdge {
    pub from: ModuleId,
    pub to: ModuleId,
    pub line: u32,
    /// Inside a function body: runs when called, not at import time.
    pub in_function: bool,
    /// Under `if TYPE_CHECKING:`: never runs.
    pub type_checking: bool,
    /// The imported object's last name (`Product` in `from m import Product`;
    /// the module's own last name for `import a.b`).
    pub object: String,
}

/// Modules and the imports between them.
#[derive(Debug, Default, Clone)]
pub struct ImportGraph {
    /// Dotted module names, by [`ModuleId`].
    pub names: Vec<String>,
    /// Paths relative to the scanned root, by [`ModuleId`].
    pub files: Vec<String>,
    /// Lines of code, by [`ModuleId`].
    pub lines: Vec<usize>,
    /// Indentation complexity (sum of logical indentation levels of the
    /// non-blank lines), by [`ModuleId`].
    pub indentation: Vec<u64>,
    /// Every import statement's edge, sorted.
    pub edges: Vec<ImportEdge>,
    /// Distinct modules each module imports (self-imports left out).
    out: Vec<Vec<ModuleId>>,
    /// Distinct modules importing each module (self-imports left out).
    into: Vec<Vec<ModuleId>>,
}

impl ImportGraph {
    pub fn new(project: &Project) -> Self {
        Self {
            names: project.modules.iter().map(|m| m.name.clone()).collect(),
            files: project.modules.iter().map(|m| m.display_path()).collect(),
            lines: project.modules.iter().map(|m| m.line_count).collect(),
            indentation: project.modules.iter().map(|m| indentation_complexity(&m.source)).collect(),
            ..Default::default()
        }
    }

    /// A graph of named modules without a project (tests).
    pub fn from_names(names: &[&str], edges: &[(usize, usize, u32)]) -> Self {
        let mut graph = Self {
            names: names.iter().map(|n| n.to_string()).collect(),
            files: names.iter().map(|n| format!("{}.py", n.replace('.', "/"))).collect(),
            lines: vec![1; names.len()],
            indentation: vec![0; names.len()],
            ..Default::default()
        };
        for &(from, to, line) in edges {
            graph.add_edge(ImportEdge {
                from,
                to,
                line,
                in_function: false,
                type_checking: false,
                object: String::new(),
            });
        }
        graph.finish();
        graph
    }

    pub fn add_edge(&mut self, edge: ImportEdge) {
        self.edges.push(edge);
    }

    /// Sorts the edges and builds the adjacency lists.
    pub fn finish(&mut self) {
        self.edges.sort();
        self.edges.dedup();
        let n = self.names.len();
        self.out = vec![Vec::new(); n];
        self.into = vec![Vec::new(); n];
        for edge in &self.edges {
            if edge.from != edge.to {
                self.out[edge.from].push(edge.to);
                self.into[edge.to].push(edge.from);
            }
        }
        for list in self.out.iter_mut().chain(self.into.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The same modules with only the edges `keep` accepts.
    pub fn filtered(&self, keep: impl Fn(&ImportEdge) -> bool) -> Self {
        let mut graph = Self {
            names: self.names.clone(),
            files: self.files.clone(),
            lines: self.lines.clone(),
            indentation: self.indentation.clone(),
            edges: self.edges.iter().filter(|e| keep(e)).cloned().collect(),
            ..Default::default()
        };
        graph.finish();
        graph
    }

    pub fn imported_by(&self, module: ModuleId) -> &[ModuleId] {
        &self.out[module]
    }

    pub fn importers_of(&self, module: ModuleId) -> &[ModuleId] {
        &self.into[module]
    }

    /// The import statements from `from` to `to`.
    pub fn details(&self, from: ModuleId, to: ModuleId) -> impl Iterator<Item = &ImportEdge> {
        let start = self.edges.partition_point(|e| (e.from, e.to) < (from, to));
        self.edges[start..].iter().take_while(move |e| e.from == from && e.to == to)
    }

    /// Modules named `name` (several in a monorepo).
    pub fn modules_named(&self, name: &str) -> Vec<ModuleId> {
        (0..self.len()).filter(|&id| self.names[id] == name).collect()
    }

    /// `name` itself and every module below it.
    pub fn package_members(&self, name: &str) -> Vec<ModuleId> {
        (0..self.len()).filter(|&id| in_package(&self.names[id], name)).collect()
    }

    /// The shortest import chain from any module in `sources` to any in
    /// `targets` that passes through no module in `blocked` (masks by
    /// [`ModuleId`]); breadth-first, ties broken by module order.
    pub fn shortest_chain(&self, sources: &[bool], targets: &[bool], blocked: &[bool]) -> Option<Vec<ModuleId>> {
        let n = self.len();
        let mut parent: Vec<Option<ModuleId>> = vec![None; n];
        let mut seen = vec![false; n];
        let mut queue = VecDeque::new();
        for id in (0..n).filter(|&id| sources[id]) {
            seen[id] = true;
            queue.push_back(id);
        }
        while let Some(current) = queue.pop_front() {
            for &next in &self.out[current] {
                if seen[next] {
                    continue;
                }
                if targets[next] {
                    let mut chain = vec![next, current];
                    let mut at = current;
                    while let Some(p) = parent[at] {
                        chain.push(p);
                        at = p;
                    }
                    chain.reverse();
                    return Some(chain);
                }
                if blocked[next] || sources[next] {
                    continue;
                }
                seen[next] = true;
                parent[next] = Some(current);
                queue.push_back(next);
            }
        }
        None
    }

    /// Strongly connected components with more than one module (import
    /// cycles), each sorted, largest first.
    pub fn cycles(&self) -> Vec<Vec<ModuleId>> {
        let mut sccs: Vec<Vec<ModuleId>> =
            strongly_connected(self.len(), |v| self.out[v].as_slice()).into_iter().filter(|c| c.len() > 1).collect();
        for scc in &mut sccs {
            scc.sort_unstable();
        }
        sccs.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        sccs
    }

    /// The shortest cycle through the modules of `component` (an SCC).
    pub fn shortest_cycle(&self, component: &[ModuleId]) -> Vec<ModuleId> {
        let mut inside = vec![false; self.len()];
        for &id in component {
            inside[id] = true;
        }
        let mut best: Option<Vec<ModuleId>> = None;
        // Bounded work on huge tangles: the first modules are enough to
        // show a short cycle.
        for &start in component.iter().take(MAX_CYCLE_STARTS) {
            let mut parent: HashMap<ModuleId, ModuleId> = HashMap::new();
            let mut queue = VecDeque::from([start]);
            let mut found = None;
            'search: while let Some(current) = queue.pop_front() {
                for &next in &self.out[current] {
                    if !inside[next] {
                        continue;
                    }
                    if next == start {
                        found = Some(current);
                        break 'search;
                    }
                    if next != start && !parent.contains_key(&next) {
                        parent.insert(next, current);
                        queue.push_back(next);
                    }
                }
            }
            if let Some(last) = found {
                let mut chain = vec![last];
                let mut at = last;
                while at != start {
                    at = parent[&at];
                    chain.push(at);
                }
                chain.reverse();
                chain.push(start);
                if best.as_ref().is_none_or(|b| chain.len() < b.len()) {
                    best = Some(chain);
                }
            }
        }
        best.unwrap_or_default()
    }
}

/// Whitespace complexity (Tornhill, "Your Code as a Crime Scene", ch. 6;
/// Hindle et al., "Reading beside the lines", ICPC 2008): the sum over
/// non-blank, non-comment lines of their indentation in logical levels
/// (four spaces or one tab per level).
pub fn indentation_complexity(source: &str) -> u64 {
    source
        .lines()
        .filter(|line| {
            let trimmed = line.trim_start();
            !trimmed.is_empty() && !trimmed.starts_with('#')
        })
        .map(|line| {
            let mut spaces = 0u64;
            for c in line.chars() {
                match c {
                    ' ' => spaces += 1,
                    '\t' => spaces += 4,
                    _ => break,
                }
            }
            spaces / 4
        })
        .sum()
}

/// Cycle searches started per strongly connected component at most.
const MAX_CYCLE_STARTS: usize = 200;

/// `module` is `package` or lies below it.
pub fn in_package(module: &str, package: &str) -> bool {
    module == package
        || (module.len() > package.len() && module.starts_with(package) && module.as_bytes()[package.len()] == b'.')
}

/// Tarjan's strongly connected components, iterative (deep graphs must not
/// overflow the stack).
pub fn strongly_connected<'a>(n: usize, successors: impl Fn(usize) -> &'a [usize]) -> Vec<Vec<usize>> {
    const UNVISITED: usize = usize::MAX;
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut result = Vec::new();
    let mut counter = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut next)) = work.last_mut() {
            let succ = successors(v);
            if *next < succ.len() {
                let w = succ[*next];
                *next += 1;
                if index[w] == UNVISITED {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    result.push(component);
                }
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_and_chains() {
        // a -> b -> c -> a, c -> d, d -> e
        let graph = ImportGraph::from_names(
            &["a", "b", "c", "d", "e"],
            &[(0, 1, 1), (1, 2, 1), (2, 0, 1), (2, 3, 2), (3, 4, 1)],
        );
        assert_eq!(graph.cycles(), vec![vec![0, 1, 2]]);
        assert_eq!(graph.shortest_cycle(&[0, 1, 2]), vec![0, 1, 2, 0]);
        let mask = |ids: &[usize]| (0..5).map(|i| ids.contains(&i)).collect::<Vec<_>>();
        assert_eq!(graph.shortest_chain(&mask(&[0]), &mask(&[4]), &mask(&[])), Some(vec![0, 1, 2, 3, 4]));
        assert_eq!(graph.shortest_chain(&mask(&[0]), &mask(&[4]), &mask(&[3])), None);
        assert_eq!(graph.details(2, 3).map(|e| e.line).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn indentation_counts_logical_levels() {
        assert_eq!(indentation_complexity("def f():\n    if x:\n        return 1\n\n    # note\n\treturn 2\n"), 4);
    }

    #[test]
    fn package_membership_is_by_dotted_boundary() {
        assert!(in_package("shop.api.views", "shop.api"));
        assert!(in_package("shop.api", "shop.api"));
        assert!(!in_package("shop.apis", "shop.api"));
    }
}
