//! The component graph as SVG, with a deterministic layered layout: edges
//! that close a cycle are set aside (depth-first, in name order), every
//! other component goes one column right of the rightmost component that
//! imports it, and each column is ordered by the mean row of its importers.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::escape::Esc;

pub struct Node {
    pub name: String,
    pub detail: String,
    /// `core` components are drawn grey.
    pub core: bool,
}

pub struct Edge {
    pub from: String,
    pub to: String,
    pub imports: u64,
    /// Both ends are in one component cycle.
    pub in_cycle: bool,
}

const COLUMN: f64 = 320.0;
const ROW: f64 = 48.0;
const NODE_W: f64 = 240.0;
const NODE_H: f64 = 34.0;
const MARGIN: f64 = 20.0;
const NAME_CHARS: usize = 24;
/// How far below the nodes an edge closing a cycle is drawn.
const BACK_DIP: f64 = 40.0;

/// Column and row of every node, by index into `nodes` sorted by name. Rows
/// are fractional: a node sits level with the mean row of its importers
/// when nothing above it is in the way.
fn layout(names: &[&str], edges: &[(usize, usize)]) -> Vec<(usize, f64)> {
    let n = names.len();
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b && !out_edges[a].contains(&b) {
            out_edges[a].push(b);
        }
    }
    for targets in &mut out_edges {
        targets.sort_unstable();
    }
    // Depth-first from every node in name order; an edge to a node still on
    // the stack closes a cycle and does not constrain the columns.
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut forward: Vec<Vec<usize>> = vec![Vec::new(); n];
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&target) = out_edges[node].get(*next) {
                *next += 1;
                match state[target] {
                    0 => {
                        forward[node].push(target);
                        state[target] = 1;
                        stack.push((target, 0));
                    }
                    2 => forward[node].push(target),
                    _ => {} // back edge
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    // Longest path from the sources over the forward edges (a DAG).
    let mut indegree = vec![0usize; n];
    for targets in &forward {
        for &t in targets {
            indegree[t] += 1;
        }
    }
    let mut column = vec![0usize; n];
    let mut ready: std::collections::BTreeSet<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    while let Some(node) = ready.pop_first() {
        for &t in &forward[node] {
            column[t] = column[t].max(column[node] + 1);
            indegree[t] -= 1;
            if indegree[t] == 0 {
                ready.insert(t);
            }
        }
    }
    // Rows: the first column by name, the others by the mean row of their importers.
    let columns = column.iter().copied().max().map_or(0, |m| m + 1);
    let mut row = vec![0f64; n];
    for c in 0..columns {
        let mut members: Vec<(f64, usize)> = (0..n)
            .filter(|&i| column[i] == c)
            .map(|i| {
                let importers: Vec<f64> =
                    (0..n).filter(|&p| column[p] < c && forward[p].contains(&i)).map(|p| row[p]).collect();
                let key = if importers.is_empty() {
                    f64::MAX
                } else {
                    importers.iter().sum::<f64>() / importers.len() as f64
                };
                (key, i)
            })
            .collect();
        members.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| names[a.1].cmp(names[b.1])));
        let mut next = 0.0_f64;
        for (key, i) in members {
            let wanted = if key == f64::MAX { next } else { key };
            row[i] = wanted.max(next);
            next = row[i] + 1.0;
        }
    }
    column.into_iter().zip(row).collect()
}

fn shorten(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(NAME_CHARS - 1).collect::<String>())
    }
}

/// The graph as an `<svg>` element (nodes sorted by name; edges to unknown
/// components are left out).
pub fn component_graph(nodes: &[Node], edges: &[Edge]) -> String {
    let mut sorted: Vec<&Node> = nodes.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    sorted.dedup_by(|a, b| a.name == b.name);
    let index: BTreeMap<&str, usize> = sorted.iter().enumerate().map(|(i, n)| (n.name.as_str(), i)).collect();
    let resolved: Vec<(usize, usize, &Edge)> = edges
        .iter()
        .filter_map(|e| Some((*index.get(e.from.as_str())?, *index.get(e.to.as_str())?, e)))
        .filter(|(a, b, _)| a != b)
        .collect();
    let names: Vec<&str> = sorted.iter().map(|n| n.name.as_str()).collect();
    let positions = layout(&names, &resolved.iter().map(|(a, b, _)| (*a, *b)).collect::<Vec<_>>());
    let columns = positions.iter().map(|p| p.0 + 1).max().unwrap_or(1);
    let last_row = positions.iter().map(|p| p.1).fold(0.0, f64::max);
    let width = MARGIN * 2.0 + COLUMN * (columns - 1) as f64 + NODE_W;
    let backwards = resolved.iter().any(|(a, b, _)| positions[*b].0 <= positions[*a].0);
    let height = MARGIN * 2.0 + ROW * last_row + NODE_H + if backwards { BACK_DIP } else { 0.0 };
    let at = |i: usize| (MARGIN + COLUMN * positions[i].0 as f64, MARGIN + ROW * positions[i].1);

    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg id="component-graph" class="graph" role="img" viewBox="0 0 {width} {height:.0}" width="{width}" height="{height:.0}" xmlns="http://www.w3.org/2000/svg"><title>Component dependencies: an arrow points from the importing component to the imported one; dashed red arrows are in a cycle</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#8a96a3"/></marker></defs>"##
    );
    for (a, b, edge) in &resolved {
        let (ax, ay) = at(*a);
        let (bx, by) = at(*b);
        let stroke = 1.0 + (edge.imports.max(1) as f64).log2().min(4.0);
        let class = if edge.in_cycle { "edge cycle" } else { "edge" };
        let path = if bx > ax {
            // Forward: right side of the importer to the left side of the imported.
            let (x1, y1) = (ax + NODE_W, ay + NODE_H / 2.0);
            let (x2, y2) = (bx, by + NODE_H / 2.0);
            let bend = ((x2 - x1).abs() / 2.0).max(60.0);
            format!("M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}", x1 + bend, x2 - bend)
        } else {
            // Back (closing a cycle): bottom to bottom, dipping below the nodes.
            let (x1, y1) = (ax + NODE_W / 2.0 + 10.0, ay + NODE_H);
            let (x2, y2) = (bx + NODE_W / 2.0 - 10.0, by + NODE_H);
            let dip = y1.max(y2) + BACK_DIP;
            format!("M{x1:.1},{y1:.1} C{x1:.1},{dip:.1} {x2:.1},{dip:.1} {x2:.1},{y2:.1}")
        };
        let _ = write!(
            out,
            r#"<path class="{class}" stroke-width="{stroke:.1}" marker-end="url(#arrow)" d="{path}"><title>{from} imports {to} ({n} imports)</title></path>"#,
            from = Esc(&edge.from),
            to = Esc(&edge.to),
            n = edge.imports,
        );
    }
    for (i, node) in sorted.iter().enumerate() {
        let (x, y) = at(i);
        let class = if node.core { "node core" } else { "node" };
        let _ = write!(
            out,
            r#"<g class="component"><title>{name}: {detail}</title><rect class="{class}" x="{x:.1}" y="{y:.1}" width="{NODE_W}" height="{NODE_H}" rx="6"/><text x="{tx:.1}" y="{ty:.1}">{short}</text><text class="muted" x="{tx:.1}" y="{dy:.1}" font-size="10">{detail}</text></g>"#,
            name = Esc(&node.name),
            detail = Esc(&node.detail),
            tx = x + 8.0,
            ty = y + 14.0,
            dy = y + 28.0,
            short = Esc(&shorten(&node.name)),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str) -> Node {
        Node { name: name.into(), detail: String::new(), core: false }
    }

    fn edge(from: &str, to: &str) -> Edge {
        Edge { from: from.into(), to: to.into(), imports: 1, in_cycle: false }
    }

    #[test]
    fn importers_sit_left_of_what_they_import() {
        let positions = layout(&["a", "b", "c"], &[(0, 1), (1, 2), (0, 2)]);
        assert_eq!(positions[0].0, 0);
        assert_eq!(positions[1].0, 1);
        assert_eq!(positions[2].0, 2);
    }

    #[test]
    fn an_imported_component_sits_level_with_its_importers() {
        // a, b, c import z: z goes right of them, at b's height.
        let positions = layout(&["a", "b", "c", "z"], &[(0, 3), (1, 3), (2, 3)]);
        assert_eq!(positions[3], (1, 1.0));
        assert_eq!(positions.iter().take(3).map(|p| p.1).collect::<Vec<_>>(), vec![0.0, 1.0, 2.0]);
    }

    #[test]
    fn cycles_do_not_loop_the_layout() {
        let positions = layout(&["a", "b", "c"], &[(0, 1), (1, 2), (2, 0)]);
        let mut columns: Vec<usize> = positions.iter().map(|p| p.0).collect();
        columns.sort_unstable();
        assert_eq!(columns, vec![0, 1, 2]);
    }

    #[test]
    fn same_input_same_drawing_and_names_escaped() {
        let nodes = vec![node("orders"), node("<script>x</script>"), node("core")];
        let edges = vec![edge("orders", "core"), edge("<script>x</script>", "orders"), edge("orders", "gone")];
        let first = component_graph(&nodes, &edges);
        let second = component_graph(&nodes, &edges);
        assert_eq!(first, second);
        assert!(!first.contains("<script>"));
        assert_eq!(first.matches("<g class=\"component\">").count(), 3);
        assert_eq!(first.matches("<path class=\"edge").count(), 2, "the edge to an unknown component is left out");
    }

    #[test]
    fn empty_graph_is_valid_svg() {
        let svg = component_graph(&[], &[]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
