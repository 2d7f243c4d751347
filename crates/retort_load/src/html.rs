//! `--html FILE`: a self-contained report (inline SVG, no scripts, no
//! network): latency over time, throughput and errors over time, latency
//! by percentile per request name, and the summary tables.

use std::fmt::Write as _;

use crate::histogram::LatencyHistogram;
use crate::result::{NameResult, RunResult, Verdict};
use crate::units::{format_bytes, format_micros};

const WIDTH: f64 = 860.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 70.0;
const BOTTOM: f64 = 30.0;
const TOP: f64 = 12.0;
const RIGHT: f64 = 140.0;
const COLORS: [&str; 8] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

/// Escapes text for HTML and SVG (names come from untrusted code): the
/// report's one escaping function.
pub use retort_report::escape::escape;

struct Series {
    label: String,
    points: Vec<(f64, f64)>,
}

/// Axis scaling of a chart.
struct Axes {
    x_max: f64,
    y_max: f64,
    x_log: bool,
}

impl Axes {
    fn x(&self, v: f64) -> f64 {
        let fraction = if self.x_log {
            if self.x_max <= 0.0 {
                0.0
            } else {
                v.max(0.0) / self.x_max
            }
        } else if self.x_max > 0.0 {
            v / self.x_max
        } else {
            0.0
        };
        LEFT + fraction * (WIDTH - LEFT - RIGHT)
    }

    fn y(&self, v: f64) -> f64 {
        let fraction = if self.y_max > 0.0 { v / self.y_max } else { 0.0 };
        HEIGHT - BOTTOM - fraction * (HEIGHT - BOTTOM - TOP)
    }
}

fn chart(
    title: &str,
    series: &[Series],
    x_ticks: &[(f64, String)],
    y_format: &dyn Fn(f64) -> String,
    x_log: bool,
) -> String {
    let x_max =
        series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).chain(x_ticks.iter().map(|t| t.0)).fold(0.0, f64::max);
    let y_max = series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(0.0, f64::max) * 1.1;
    let axes = Axes { x_max, y_max, x_log };
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<h2>{}</h2><svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\">",
        escape(title)
    );
    let _ = write!(
        svg,
        "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#ccc\"/>",
        WIDTH - LEFT - RIGHT,
        HEIGHT - BOTTOM - TOP
    );
    for i in 0..=4 {
        let v = y_max * i as f64 / 4.0;
        let y = axes.y(v);
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e5e5e5\"/>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            escape(&y_format(v))
        );
    }
    for (v, label) in x_ticks {
        let x = axes.x(*v);
        let _ = write!(
            svg,
            "<text x=\"{x:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            HEIGHT - 10.0,
            escape(label)
        );
    }
    for (i, s) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let points: Vec<String> = s.points.iter().map(|&(x, y)| format!("{:.1},{:.1}", axes.x(x), axes.y(y))).collect();
        if points.len() == 1 {
            let (x, y) = s.points[0];
            let _ = write!(svg, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{color}\"/>", axes.x(x), axes.y(y));
        } else {
            let _ = write!(
                svg,
                "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{}\"/>",
                points.join(" ")
            );
        }
        let y = TOP + 14.0 + 16.0 * i as f64;
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{color}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>",
            WIDTH - RIGHT + 10.0,
            y - 9.0,
            WIDTH - RIGHT + 24.0,
            y,
            escape(&truncate(&s.label, 18))
        );
    }
    svg.push_str("</svg>");
    svg
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn time_ticks(max_second: f64) -> Vec<(f64, String)> {
    let step = ((max_second / 8.0).ceil()).max(1.0);
    let mut ticks = Vec::new();
    let mut t = 0.0;
    while t <= max_second + 0.5 {
        ticks.push((t, format!("{t:.0}s")));
        t += step;
    }
    ticks
}

// Percentile plots use x = log10(1 / (1 - q)), the usual HDR layout where
// each step to the right is one more nine.
fn percentile_series(name: &str, histogram: &LatencyHistogram) -> Series {
    let mut points = Vec::new();
    if !histogram.is_empty() {
        let mut q: f64 = 0.0;
        while q < 0.99999 {
            points.push(((1.0 / (1.0 - q)).log10(), histogram.quantile(q)));
            q = 1.0 - (1.0 - q) * 0.85;
        }
        points.push((5.0, histogram.quantile(1.0)));
    }
    Series { label: name.to_string(), points }
}

/// The pass/fail banner at the top of the report.
fn banner(verdict: &Verdict) -> String {
    let (class, title, lines) = match verdict {
        Verdict::Passed => ("passed", "PASSED: every threshold held and every check passed", Vec::new()),
        Verdict::Failed(reasons) => ("failed", "FAILED", reasons.clone()),
        Verdict::NothingMeasured(why) => ("nothing", "NOTHING MEASURED: the run is not a result", vec![why.clone()]),
    };
    let mut out = format!("<div class=\"banner {class}\">{title}");
    if !lines.is_empty() {
        out.push_str("<ul>");
        for line in lines {
            let _ = write!(out, "<li>{}</li>", escape(&line));
        }
        out.push_str("</ul>");
    }
    out.push_str("</div>");
    out
}

/// Renders the report.
pub fn render(result: &RunResult) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>retort load: {}</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:24px;color:#222}}\
         table{{border-collapse:collapse;font-size:13px}}td,th{{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}}\
         td:first-child,th:first-child{{text-align:left}}.fail{{color:#b00;font-weight:bold}}.pass{{color:#070}}\
         h2{{font-size:16px;margin-top:28px}}.banner{{padding:10px 14px;border-radius:4px;font-weight:bold;margin:12px 0}}\
         .banner.passed{{background:#e6f4ea;color:#0b6b2b;border:1px solid #0b6b2b}}\
         .banner.failed,.banner.nothing{{background:#fdecea;color:#a10e0e;border:1px solid #a10e0e}}\
         .banner ul{{margin:4px 0 0;font-weight:normal}}.meta{{font-size:13px;color:#555}}\
         code{{background:#f4f4f4;padding:1px 4px}}</style></head><body>",
        escape(&result.target)
    );
    let _ = write!(
        html,
        "<h1>retort load</h1><p>{} · {} model · {} connections · {:.1}s · {} agent(s){}</p>",
        escape(&result.target),
        escape(&result.model),
        result.connections,
        result.duration_s,
        result.agents,
        if result.interrupted { " · interrupted (partial)" } else { "" }
    );
    html.push_str(&banner(&result.verdict()));
    let started = std::time::UNIX_EPOCH + std::time::Duration::from_millis(result.started_at_unix_ms);
    let _ = write!(
        html,
        "<p class=\"meta\">Started {} · Retort {}{}</p>",
        escape(&httpdate::fmt_http_date(started)),
        escape(result.retort_version.as_deref().unwrap_or("(unknown version)")),
        match &result.command {
            Some(command) => format!(" · <code>{}</code>", escape(command)),
            None => String::new(),
        }
    );

    html.push_str("<h2>Summary</h2><table><tr><th>name</th><th>requests</th><th>rps</th><th>errors</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th><th>received</th></tr>");
    let row = |html: &mut String, r: &NameResult| {
        let l = &r.latency_us;
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{:.1}</td><td>{:.2}%</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.name),
            r.requests,
            r.rps,
            r.error_rate * 100.0,
            format_micros(l.p50),
            format_micros(l.p90),
            format_micros(l.p95),
            format_micros(l.p99),
            format_micros(l.p999),
            format_micros(l.max),
            format_bytes(r.bytes_received)
        );
    };
    for r in &result.requests {
        row(&mut html, r);
    }
    row(&mut html, &result.totals);
    html.push_str("</table>");

    let classes = result.totals.error_classes.nonzero();
    if !classes.is_empty() {
        html.push_str("<p>Errors: ");
        let list: Vec<String> = classes.iter().map(|(c, n)| format!("{} {n}", escape(c))).collect();
        html.push_str(&list.join(", "));
        html.push_str("</p>");
    }
    if !result.thresholds.is_empty() {
        html.push_str(
            "<h2>Thresholds</h2><table><tr><th>scope</th><th>threshold</th><th>actual</th><th>result</th></tr>",
        );
        for t in &result.thresholds {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
                escape(&t.scope),
                escape(&t.threshold),
                escape(&t.actual),
                if t.passed { "pass" } else { "fail" },
                if t.passed { "pass" } else { "FAIL" }
            );
        }
        html.push_str("</table>");
    }

    let checked: Vec<(&str, &crate::result::CheckCount)> =
        result.requests.iter().flat_map(|r| r.checks.iter().map(move |c| (r.name.as_str(), c))).collect();
    if !checked.is_empty() {
        let t = &result.totals;
        let _ = write!(
            html,
            "<h2>Checks</h2><p>{} passed, {} failed</p><table><tr><th>request</th><th>check</th><th>passed</th><th>failed</th><th>result</th></tr>",
            t.checks_passed, t.checks_failed
        );
        for (name, c) in checked {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
                escape(name),
                escape(&c.name),
                c.passed,
                c.failed,
                if c.failed == 0 { "pass" } else { "fail" },
                if c.failed == 0 { "pass" } else { "FAIL" }
            );
        }
        html.push_str("</table>");
    }

    let max_second = result.timeline.iter().map(|s| s.second as f64).fold(0.0, f64::max);
    let ticks = time_ticks(max_second);
    type Pick = fn(&crate::result::SecondResult) -> f64;
    let picks: [(&str, Pick); 4] = [
        ("p50", |s| s.latency_us.p50),
        ("p90", |s| s.latency_us.p90),
        ("p99", |s| s.latency_us.p99),
        ("max", |s| s.latency_us.max),
    ];
    let latency_series = picks
        .into_iter()
        .map(|(label, value)| Series {
            label: label.into(),
            points: result.timeline.iter().filter(|s| s.requests > 0).map(|s| (s.second as f64, value(s))).collect(),
        })
        .collect::<Vec<_>>();
    html.push_str(&chart("Latency over time", &latency_series, &ticks, &format_micros, false));

    let throughput = vec![
        Series {
            label: "requests/s".into(),
            points: result.timeline.iter().map(|s| (s.second as f64, s.requests as f64)).collect(),
        },
        Series {
            label: "errors/s".into(),
            points: result.timeline.iter().map(|s| (s.second as f64, s.errors as f64)).collect(),
        },
    ];
    html.push_str(&chart("Throughput and errors", &throughput, &ticks, &|v| format!("{v:.0}"), false));

    let mut by_volume: Vec<&NameResult> = result.requests.iter().collect();
    by_volume.sort_by_key(|r| std::cmp::Reverse(r.requests));
    let mut percentiles: Vec<Series> = vec![percentile_series("total", &result.totals.histogram)];
    for r in by_volume.iter().take(7) {
        percentiles.push(percentile_series(&r.name, &r.histogram));
    }
    let q_ticks: Vec<(f64, String)> = ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%"]
        .iter()
        .enumerate()
        .map(|(i, label)| (i as f64, label.to_string()))
        .collect();
    html.push_str(&chart("Latency by percentile", &percentiles, &q_ticks, &format_micros, true));
    html.push_str("<p style=\"font-size:12px;color:#666\">Generated by retort load. Latencies of the open model are measured from each request's intended send time.</p></body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_untrusted_names() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn banners_say_how_the_run_ended() {
        assert!(banner(&Verdict::Passed).contains("class=\"banner passed\">PASSED"));
        let failed = banner(&Verdict::Failed(vec!["threshold `p95 < 1ms` <b>".into()]));
        assert!(failed.contains("FAILED") && failed.contains("&lt;b&gt;"), "{failed}");
        assert!(banner(&Verdict::NothingMeasured("x".into())).contains("NOTHING MEASURED"));
    }
}
