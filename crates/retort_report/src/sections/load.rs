//! Load test results (`retort load --json run.json`), when given.

use std::fmt::Write as _;

use serde_json::Value;

use crate::charts::{self, number, Series};
use crate::escape::Esc;
use crate::html::{self, Col};
use crate::json::{count, flag, list, num, text};

fn ms(micros: Option<f64>) -> String {
    match micros {
        Some(us) if us.is_finite() => format!("{} ms", number(us / 1000.0)),
        _ => "—".to_string(),
    }
}

fn latency(result: &Value, key: &str) -> Option<f64> {
    result.get("latency_us").and_then(|l| num(l, key))
}

pub fn render(out: &mut String, load: Option<&Value>) {
    html::section_start(out, "load", "Load test");
    let Some(load) = load else {
        html::not_available(out, "no load result given (retort report --load run.json)");
        html::section_end(out);
        return;
    };
    let totals = load.get("totals").unwrap_or(&Value::Null);
    let _ = write!(
        out,
        "<p>Against <code>{}</code>, {} model, {} connections{}, {} s{}.</p>",
        Esc(text(load, "target")),
        Esc(text(load, "model")),
        count(load, "connections"),
        num(load, "rate").map(|r| format!(", target rate {}/s", number(r))).unwrap_or_default(),
        number(num(load, "duration_s").unwrap_or(0.0)),
        if flag(load, "interrupted") || flag(load, "aborted") { ", stopped early" } else { "" },
    );
    out.push_str("<div class=\"cards\">");
    html::card(out, &count(totals, "requests").to_string(), "requests");
    html::card(out, &number(num(totals, "rps").unwrap_or(0.0)), "requests per second");
    html::card(out, &format!("{}%", number(num(totals, "error_rate").unwrap_or(0.0) * 100.0)), "errors");
    html::card(out, &ms(latency(totals, "p50")), "p50 latency");
    html::card(out, &ms(latency(totals, "p95")), "p95 latency");
    html::card(out, &ms(latency(totals, "p99")), "p99 latency");
    out.push_str("</div>");

    let thresholds = list(load, "thresholds");
    if !thresholds.is_empty() {
        out.push_str("<h3>Thresholds</h3>");
        html::table_start(
            out,
            "threshold-table",
            false,
            &[("Threshold", Col::Text), ("Scope", Col::Text), ("Measured", Col::Text), ("Result", Col::Text)],
        );
        for t in thresholds {
            out.push_str("<tr>");
            html::td_code(out, text(t, "threshold"));
            html::td(out, text(t, "scope"));
            html::td(out, text(t, "actual"));
            let passed = flag(t, "passed");
            let _ = write!(
                out,
                "<td class=\"{}\">{}</td>",
                if passed { "pass" } else { "fail" },
                if passed { "passed" } else { "failed" }
            );
            out.push_str("</tr>");
        }
        html::table_end(out);
    }

    let timeline = list(load, "timeline");
    if !timeline.is_empty() {
        let series = |key: &str, name: &str| Series {
            name: name.to_string(),
            points: timeline
                .iter()
                .filter(|s| count(s, "requests") > 0)
                .filter_map(|s| Some((count(s, "second") as f64, latency(s, key)? / 1000.0)))
                .collect(),
        };
        let _ = write!(
            out,
            "<figure>{}<figcaption>Latency per second of the run (ms).</figcaption></figure>",
            charts::line_chart(
                "latency-chart",
                "Latency over time",
                "second",
                "ms",
                &[series("p50", "p50"), series("p95", "p95"), series("p99", "p99")]
            )
        );
        let throughput = Series {
            name: "requests/s".into(),
            points: timeline.iter().map(|s| (count(s, "second") as f64, count(s, "requests") as f64)).collect(),
        };
        let errors = Series {
            name: "errors/s".into(),
            points: timeline.iter().map(|s| (count(s, "second") as f64, count(s, "errors") as f64)).collect(),
        };
        let _ = write!(
            out,
            "<figure>{}<figcaption>Requests and errors per second.</figcaption></figure>",
            charts::line_chart(
                "throughput-chart",
                "Throughput over time",
                "second",
                "per second",
                &[throughput, errors]
            )
        );
    }

    let requests = list(load, "requests");
    if !requests.is_empty() {
        out.push_str("<h3>Per request</h3>");
        html::table_start(
            out,
            "load-table",
            true,
            &[
                ("Request", Col::Text),
                ("Method", Col::Text),
                ("Requests", Col::Num),
                ("Errors", Col::Num),
                ("p50", Col::Num),
                ("p95", Col::Num),
                ("p99", Col::Num),
                ("Max", Col::Num),
            ],
        );
        for r in requests {
            out.push_str("<tr>");
            html::td_code(out, text(r, "name"));
            html::td(out, text(r, "method"));
            for key in ["requests", "errors"] {
                let n = count(r, key);
                html::td_num(out, n as f64, &n.to_string());
            }
            for key in ["p50", "p95", "p99", "max"] {
                let v = latency(r, key);
                html::td_num(out, v.unwrap_or(f64::NAN), &ms(v));
            }
            out.push_str("</tr>");
        }
        html::table_end(out);
    }
    html::section_end(out);
}
