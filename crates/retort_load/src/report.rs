//! The human summary of a run: a per-name table like `flask routes`
//! prints, errors by class, and the threshold table.

use std::fmt::Write as _;

use crate::result::{NameResult, RunResult};
use crate::units::{format_bytes, format_micros};

/// Renders the final summary printed on stdout.
pub fn summary(result: &RunResult) -> String {
    let mut out = String::new();
    let model = match (result.model.as_str(), result.rate) {
        ("open", Some(rate)) => format!("open model, {rate:.0}/s peak over {} connections", result.connections),
        _ => format!("{} model, {} connections", result.model, result.connections),
    };
    let _ = writeln!(
        out,
        "{}  {model}, {:.1}s{}{}",
        result.target,
        result.duration_s,
        if result.agents > 1 { format!(", {} agents", result.agents) } else { String::new() },
        match (result.interrupted, result.aborted) {
            (_, true) => "  (aborted: threshold failed)",
            (true, _) => "  (interrupted: partial result)",
            _ => "",
        }
    );
    let _ = writeln!(out);
    out.push_str(&table(result));

    let classes = result.totals.error_classes.nonzero();
    if !classes.is_empty() {
        let list: Vec<String> = classes.iter().map(|(c, n)| format!("{c} {n}")).collect();
        let _ = writeln!(out, "\nerrors: {}", list.join(", "));
    }
    let statuses: Vec<String> = result.totals.statuses.iter().map(|(s, n)| format!("{s} {n}")).collect();
    if !statuses.is_empty() {
        let _ = writeln!(out, "statuses: {}", statuses.join(", "));
    }
    if result.totals.redirects > 0 {
        let _ = writeln!(out, "redirects followed: {}", result.totals.redirects);
    }
    if result.missed_arrivals > 0 {
        let _ =
            writeln!(out, "missed arrivals: {} (due before the stop but never sent: raise -c)", result.missed_arrivals);
    }
    if result.abandoned > 0 {
        let _ = writeln!(out, "abandoned in flight at stop: {}", result.abandoned);
    }
    if !result.thresholds.is_empty() {
        out.push_str(&thresholds(result));
    }
    out
}

fn table(result: &RunResult) -> String {
    let header = ["name", "reqs", "rps", "err%", "p50", "p90", "p95", "p99", "p99.9", "max", "recv"];
    let mut rows: Vec<Vec<String>> = Vec::new();
    let row = |r: &NameResult| -> Vec<String> {
        let name = if r.method.is_empty() || r.name.starts_with(&format!("{} ", r.method)) || r.method == "GET" {
            r.name.clone()
        } else {
            format!("{} {}", r.method, r.name)
        };
        let l = &r.latency_us;
        vec![
            name,
            r.requests.to_string(),
            format!("{:.1}", r.rps),
            format!("{:.2}", r.error_rate * 100.0),
            format_micros(l.p50),
            format_micros(l.p90),
            format_micros(l.p95),
            format_micros(l.p99),
            format_micros(l.p999),
            format_micros(l.max),
            format_bytes(r.bytes_received),
        ]
    };
    for r in &result.requests {
        rows.push(row(r));
    }
    if result.requests.len() != 1 {
        rows.push(row(&result.totals));
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i == 0 {
                let _ = write!(text, "{cell:<w$}");
            } else {
                let _ = write!(text, "  {cell:>w$}");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    for r in &rows {
        line(r);
    }
    out
}

/// Renders the threshold table.
pub fn thresholds(result: &RunResult) -> String {
    let mut out = String::new();
    let failed = result.thresholds.iter().filter(|t| !t.passed).count();
    let _ = writeln!(out, "\nthresholds: {} passed, {failed} failed", result.thresholds.len() - failed);
    let scope_width = result.thresholds.iter().map(|t| t.scope.chars().count()).max().unwrap_or(0);
    let threshold_width = result.thresholds.iter().map(|t| t.threshold.chars().count()).max().unwrap_or(0);
    for t in &result.thresholds {
        let _ = writeln!(
            out,
            "  {}  {:<scope_width$}  {:<threshold_width$}  actual {}",
            if t.passed { "pass" } else { "FAIL" },
            t.scope,
            t.threshold,
            t.actual
        );
    }
    out
}
