//! The report for people: a terminal table, Markdown (CI summaries) and a
//! self-contained HTML page with inline SVG charts. Printing only; the
//! figures come from [`crate::report`].

use std::fmt::Write;

use crate::report::{ObjectiveReport, Report};

fn pct(value: Option<f64>) -> String {
    match value {
        Some(v) => format!("{:.3}%", v * 100.0),
        None => "-".to_string(),
    }
}

fn rate(value: Option<f64>) -> String {
    match value {
        Some(v) => format!("{v:.2}x"),
        None => "-".to_string(),
    }
}

fn status(o: &ObjectiveReport) -> &'static str {
    if o.unresolved.is_some() {
        "UNKNOWN"
    } else if o.violated {
        "VIOLATED"
    } else {
        "ok"
    }
}

fn alert_summary(o: &ObjectiveReport) -> String {
    let fired: Vec<String> = o
        .alerts
        .iter()
        .filter(|a| a.fired_minutes > 0)
        .map(|a| format!("{} {}x {}/{}: {} min", a.severity, a.factor, a.long_window, a.short_window, a.fired_minutes))
        .collect();
    if fired.is_empty() {
        "none".to_string()
    } else {
        fired.join("; ")
    }
}

/// Terminal output.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let i = &report.input;
    let _ = writeln!(
        out,
        "read {} lines: {} requests, {} bad; window end {}",
        i.lines,
        i.requests,
        i.bad_lines,
        i.end.as_deref().unwrap_or("-")
    );
    for o in &report.objectives {
        let _ = writeln!(
            out,
            "\n{}  [{}]  {} — {}, target {}, window {}, {}",
            o.name,
            status(o),
            o.scope,
            o.indicator,
            pct(Some(o.target)),
            o.window,
            o.budgeting
        );
        if let Some(why) = &o.unresolved {
            let _ = writeln!(out, "  unresolved: {why}");
            continue;
        }
        let _ = writeln!(
            out,
            "  SLI {}  ({}/{} good)  budget consumed {}  remaining {}",
            pct(o.sli),
            o.good,
            o.total,
            pct(o.budget_consumed),
            pct(o.budget_remaining)
        );
        let burn: Vec<String> = o.burn_rates.iter().map(|b| format!("{} {}", b.window, rate(b.burn_rate))).collect();
        let _ = writeln!(out, "  burn rate: {}", burn.join("  "));
        for a in &o.alerts {
            let episodes: Vec<String> =
                a.episodes.iter().take(5).map(|e| format!("{} → {} ({} min)", e.first, e.last, e.minutes)).collect();
            let more = if a.episodes.len() > 5 { format!(" and {} more", a.episodes.len() - 5) } else { String::new() };
            let _ = writeln!(
                out,
                "  alert {:<6} {:>4}x over {}/{}: {}",
                a.severity,
                a.factor,
                a.long_window,
                a.short_window,
                if a.fired_minutes == 0 {
                    "never fired".to_string()
                } else {
                    format!("fired {} min: {}{more}", a.fired_minutes, episodes.join(", "))
                }
            );
        }
        if o.requests_without_duration > 0 {
            let _ = writeln!(out, "  {} requests had no duration", o.requests_without_duration);
        }
    }
    if report.unmatched.requests > 0 {
        let _ = writeln!(out, "\nunmatched: {} requests", report.unmatched.requests);
        for g in report.unmatched.groups.iter().take(10) {
            let _ = writeln!(out, "  {:>8}  {}", g.requests, g.shape);
        }
    }
    if i.bad_lines > 0 {
        let _ = writeln!(out, "\nbad lines: {}", i.bad_lines);
        for s in &i.bad_samples {
            let _ = writeln!(out, "  {s}");
        }
    }
    for e in &i.read_errors {
        let _ = writeln!(out, "warning: {e}");
    }
    if i.after_end > 0 {
        let _ = writeln!(
            out,
            "warning: {} requests are after the window end (clock skew?) and were not counted",
            i.after_end
        );
    }
    for n in &report.notes {
        let _ = writeln!(out, "note: {n}");
    }
    let violated = report.objectives.iter().filter(|o| o.violated).count();
    let _ = writeln!(out, "\n{} objectives, {} violated", report.objectives.len(), violated);
    out
}

/// Escapes Markdown table cells.
fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('<', "&lt;").replace('>', "&gt;")
}

/// Markdown for CI job summaries.
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::from("## SLO report\n\n");
    let _ = writeln!(
        out,
        "{} requests from {} lines ({} bad), window end {}.\n",
        report.input.requests,
        report.input.lines,
        report.input.bad_lines,
        report.input.end.as_deref().unwrap_or("-")
    );
    out.push_str("| objective | scope | indicator | target | SLI | good / total | budget remaining | 1h burn | alerts | status |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    for o in &report.objectives {
        let burn_1h = o.burn_rates.iter().find(|b| b.window == "1h").and_then(|b| b.burn_rate);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} / {} | {} | {} | {} | {} |",
            md(&o.name),
            md(&o.scope),
            md(&o.indicator),
            pct(Some(o.target)),
            pct(o.sli),
            o.good,
            o.total,
            pct(o.budget_remaining),
            rate(burn_1h),
            md(&alert_summary(o)),
            status(o)
        );
    }
    if report.unmatched.requests > 0 {
        let _ = writeln!(out, "\n{} requests matched no route; most frequent shapes:\n", report.unmatched.requests);
        for g in report.unmatched.groups.iter().take(10) {
            let _ = writeln!(out, "- `{}`: {}", g.shape.replace('`', "'"), g.requests);
        }
    }
    out
}

/// Escapes HTML text and attribute values: the report's one escaping
/// function.
pub use retort_report::escape::escape as html_escape;

/// A polyline chart of `values` in [lo, hi] with a dashed reference line.
fn svg_chart(values: &[Option<f64>], lo: f64, hi: f64, reference: Option<f64>, label: &str) -> String {
    let (w, h) = (600.0, 160.0);
    let n = values.len().max(2) as f64 - 1.0;
    let y = |v: f64| h - ((v.clamp(lo, hi) - lo) / (hi - lo).max(1e-12)) * h;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", i as f64 / n * w, y(v))))
        .collect();
    let mut svg = format!(
        "<svg viewBox=\"-40 -10 650 190\" width=\"650\" height=\"190\" role=\"img\" aria-label=\"{}\"><rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#fafafa\" stroke=\"#ccc\"/>",
        html_escape(label)
    );
    if let Some(r) = reference {
        let _ = write!(
            svg,
            "<line x1=\"0\" x2=\"{w}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#c00\" stroke-dasharray=\"4 3\"/>",
            y(r),
            y(r)
        );
    }
    let _ = write!(
        svg,
        "<polyline fill=\"none\" stroke=\"#036\" stroke-width=\"1.5\" points=\"{}\"/><text x=\"-38\" y=\"10\" font-size=\"10\">{}</text><text x=\"-38\" y=\"{h}\" font-size=\"10\">{}</text></svg>",
        points.join(" "),
        html_escape(&format!("{hi:.3}")),
        html_escape(&format!("{lo:.3}"))
    );
    svg
}

/// A self-contained HTML page: no scripts, no external resources.
pub fn render_html(report: &Report) -> String {
    let mut out = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>SLO report</title><style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}.bad{color:#b00;font-weight:bold}</style></head><body><h1>SLO report</h1>",
    );
    let i = &report.input;
    let _ = write!(
        out,
        "<p>{} requests from {} lines ({} bad) in {}; window end {}.</p>",
        i.requests,
        i.lines,
        i.bad_lines,
        html_escape(&i.files.join(", ")),
        html_escape(i.end.as_deref().unwrap_or("-"))
    );
    for o in &report.objectives {
        let class = if o.violated { " class=\"bad\"" } else { "" };
        let _ = write!(
            out,
            "<h2>{}</h2><p>{} — {}, target {}, window {}, {}. <span{class}>{}</span></p>",
            html_escape(&o.name),
            html_escape(&o.scope),
            html_escape(&o.indicator),
            pct(Some(o.target)),
            html_escape(&o.window),
            html_escape(&o.budgeting),
            status(o)
        );
        if let Some(why) = &o.unresolved {
            let _ = write!(out, "<p>{}</p>", html_escape(why));
            continue;
        }
        let _ = write!(
            out,
            "<p>SLI {} ({} / {} good); budget consumed {}, remaining {}.</p><table><tr><th>window</th>",
            pct(o.sli),
            o.good,
            o.total,
            pct(o.budget_consumed),
            pct(o.budget_remaining)
        );
        for b in &o.burn_rates {
            let _ = write!(out, "<th>{}</th>", html_escape(&b.window));
        }
        out.push_str("</tr><tr><td>burn rate</td>");
        for b in &o.burn_rates {
            let _ = write!(out, "<td>{}</td>", rate(b.burn_rate));
        }
        out.push_str("</tr></table><h3>Error budget remaining</h3>");
        let remaining: Vec<Option<f64>> = o.timeline.iter().map(|p| Some(p.budget_remaining)).collect();
        let low = remaining.iter().flatten().fold(0.0f64, |a, b| a.min(*b));
        out.push_str(&svg_chart(&remaining, low, 1.0, Some(0.0), "error budget remaining over time"));
        out.push_str("<h3>SLI over time</h3>");
        let sli: Vec<Option<f64>> = o.timeline.iter().map(|p| p.sli).collect();
        let lowest = sli.iter().flatten().fold(o.target, |a, b| a.min(*b));
        out.push_str(&svg_chart(&sli, lowest, 1.0, Some(o.target), "SLI over time"));
        out.push_str("<h3>Alert back-test</h3><table><tr><th>severity</th><th>factor</th><th>windows</th><th>fired (min)</th><th>episodes</th></tr>");
        for a in &o.alerts {
            let episodes: Vec<String> =
                a.episodes.iter().take(20).map(|e| format!("{} → {} ({} min)", e.first, e.last, e.minutes)).collect();
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}x</td><td>{} / {}</td><td>{}</td><td>{}</td></tr>",
                html_escape(&a.severity),
                a.factor,
                html_escape(&a.long_window),
                html_escape(&a.short_window),
                a.fired_minutes,
                html_escape(&episodes.join("; "))
            );
        }
        out.push_str("</table>");
    }
    if report.unmatched.requests > 0 {
        let _ = write!(
            out,
            "<h2>Unmatched requests ({})</h2><table><tr><th>shape</th><th>requests</th><th>example</th></tr>",
            report.unmatched.requests
        );
        for g in report.unmatched.groups.iter().take(50) {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                html_escape(&g.shape),
                g.requests,
                html_escape(&g.example)
            );
        }
        out.push_str("</table>");
    }
    out.push_str("</body></html>\n");
    out
}
