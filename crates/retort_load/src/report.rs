//! The human summary of a run: a per-name table like `flask routes`
//! prints, errors by class, and the threshold table.

use std::fmt::Write as _;

use crate::result::{CheckCount, NameResult, RunResult, Verdict};
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
    if result.totals.secure_cookies_ignored > 0 {
        let _ = writeln!(
            out,
            "note: {} Secure cookie(s) received over http were not stored (Secure cookies only go over https)",
            result.totals.secure_cookies_ignored
        );
    }
    if result.totals.checks_passed + result.totals.checks_failed > 0 {
        out.push_str(&checks(result));
    }
    if !result.thresholds.is_empty() {
        out.push_str(&thresholds(result));
    }
    let _ = writeln!(out, "\n{}", verdict_line(&result.verdict()));
    out
}

/// One line saying how the run ended.
pub fn verdict_line(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Passed => "result: PASSED".into(),
        Verdict::Failed(reasons) => format!("result: FAILED: {}", reasons.join("; ")),
        Verdict::NothingMeasured(why) => format!("result: NOTHING MEASURED: {why}"),
    }
}

/// Renders the checks table: per request name and check, passes and fails.
pub fn checks(result: &RunResult) -> String {
    let mut out = String::new();
    let t = &result.totals;
    let total = t.checks_passed + t.checks_failed;
    let _ = writeln!(
        out,
        "\nchecks: {} passed, {} failed ({:.2}% passed)",
        t.checks_passed,
        t.checks_failed,
        t.checks_passed as f64 * 100.0 / total.max(1) as f64
    );
    let rows: Vec<(&str, &CheckCount)> =
        result.requests.iter().flat_map(|r| r.checks.iter().map(move |c| (r.name.as_str(), c))).collect();
    let name_width = rows.iter().map(|(n, _)| n.chars().count()).max().unwrap_or(0);
    let check_width = rows.iter().map(|(_, c)| c.name.chars().count()).max().unwrap_or(0);
    for (name, c) in rows {
        let _ = writeln!(
            out,
            "  {}  {name:<name_width$}  {:<check_width$}  {} passed, {} failed",
            if c.failed == 0 { "pass" } else { "FAIL" },
            c.name,
            c.passed,
            c.failed
        );
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
