//! Findings of `check`, grouped by rule, with code frames and links to the
//! rule documentation.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde_json::Value;

use crate::charts::{self, Bar};
use crate::escape::{anchor, Esc};
use crate::html;
use crate::json::{count, list, location, text};
use crate::CodeFrame;

/// Findings shown per rule; the rest are counted.
const SHOWN_PER_RULE: usize = 200;

fn severity_rank(severity: &str) -> u8 {
    match severity {
        "error" => 3,
        "warning" => 2,
        "info" => 1,
        _ => 0,
    }
}

fn severity_class(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        "info" => "info",
        _ => "",
    }
}

pub fn render(out: &mut String, check: &Result<Value, String>, frames: &[CodeFrame]) {
    html::section_start(out, "findings", "Findings");
    let check = match check {
        Ok(check) => check,
        Err(reason) => {
            html::not_available(out, reason);
            html::section_end(out);
            return;
        }
    };
    let findings = list(check, "findings");
    let summary = check.get("summary").unwrap_or(&Value::Null);
    let _ = write!(
        out,
        "<p>{} ({} errors, {} warnings, {} info); {} suppressed in the code. Each rule links to its documentation.</p>",
        html::plural(findings.len() as u64, "finding", "findings"),
        count(summary, "errors"),
        count(summary, "warnings"),
        count(summary, "info"),
        count(summary, "suppressed"),
    );
    if findings.is_empty() {
        html::section_end(out);
        return;
    }
    let mut groups: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for f in findings {
        groups.entry(text(f, "code")).or_default().push(f);
    }
    let mut ordered: Vec<(&str, Vec<&Value>)> = groups.into_iter().collect();
    let worst = |items: &[&Value]| items.iter().map(|f| severity_rank(text(f, "severity"))).max().unwrap_or(0);
    ordered.sort_by(|a, b| worst(&b.1).cmp(&worst(&a.1)).then_with(|| b.1.len().cmp(&a.1.len())).then(a.0.cmp(b.0)));

    let bars: Vec<Bar> = ordered
        .iter()
        .take(20)
        .map(|(code, items)| Bar {
            label: format!("{code} {}", text(items[0], "rule")),
            value: items.len() as f64,
            class: severity_class(text(items[0], "severity")),
            note: None,
        })
        .collect();
    let _ = write!(
        out,
        "<figure>{}<figcaption>Findings per rule{} (colour: severity).</figcaption></figure>",
        charts::bar_chart("findings-chart", "Findings per rule", &bars),
        if ordered.len() > 20 { ", the 20 largest" } else { "" }
    );

    let shown: usize = ordered.iter().map(|(_, items)| items.len().min(SHOWN_PER_RULE)).sum();
    let _ = write!(
        out,
        "<div class=\"search\"><label for=\"findings-search\">Search</label><input id=\"findings-search\" type=\"search\" data-filter-findings=\"findings\" placeholder=\"rule, severity, message, file…\" autocomplete=\"off\"><span id=\"findings-search-shown\" class=\"muted\">{shown} of {shown} shown</span></div>"
    );
    let by_place: HashMap<(&str, u32), &CodeFrame> = frames.iter().map(|f| ((f.file.as_str(), f.line), f)).collect();
    for (code, items) in &ordered {
        let first = items[0];
        let severity = text(first, "severity");
        let open = if severity == "error" { " open" } else { "" };
        let _ = write!(
            out,
            "<details class=\"rule\" id=\"{id}\"{open}><summary><span class=\"sev-{sev}\">{severity}</span> <strong>{code}</strong> {name} · {n} · <span class=\"muted\">{category}</span> · <a href=\"#{doc}\">rule documentation</a></summary>",
            id = anchor("findings", code),
            sev = severity_class(severity),
            severity = Esc(severity),
            code = Esc(code),
            name = Esc(text(first, "rule")),
            n = html::plural(items.len() as u64, "finding", "findings"),
            category = Esc(text(first, "category")),
            doc = anchor("rule", code),
        );
        for f in items.iter().take(SHOWN_PER_RULE) {
            render_finding(out, f, &by_place);
        }
        if items.len() > SHOWN_PER_RULE {
            let _ = write!(
                out,
                "<p class=\"muted\">{} more (see <code>retort check --select {}</code>).</p>",
                items.len() - SHOWN_PER_RULE,
                Esc(code)
            );
        }
        out.push_str("</details>");
    }
    html::section_end(out);
}

fn render_finding(out: &mut String, f: &Value, frames: &HashMap<(&str, u32), &CodeFrame>) {
    let file = text(f, "file");
    let line = count(f, "line") as u32;
    let column = count(f, "column");
    let place = match (file.is_empty(), line) {
        (true, _) => "project".to_string(),
        (false, 0) => file.to_string(),
        (false, _) => format!("{file}:{line}:{column}"),
    };
    let _ = write!(
        out,
        "<div class=\"finding\"><div>{}</div><div class=\"where\">{}",
        html::with_code_spans(text(f, "message")),
        Esc(&place)
    );
    if let Some(cwe) = f.get("cwe").and_then(Value::as_u64) {
        let _ = write!(out, " · CWE-{cwe}");
    }
    if let Some(confidence) = f.get("confidence").and_then(Value::as_str) {
        let _ = write!(out, " · confidence {}", Esc(confidence));
    }
    out.push_str("</div>");
    if let Some(frame) = frames.get(&(file, line)) {
        render_frame(out, frame);
    }
    let flow = list(f, "flow");
    if !flow.is_empty() {
        out.push_str("<ol class=\"flow\">");
        for step in flow {
            let _ = write!(out, "<li><code>{}</code> {}</li>", Esc(&location(step)), Esc(text(step, "note")));
        }
        out.push_str("</ol>");
    }
    out.push_str("</div>");
}

fn render_frame(out: &mut String, frame: &CodeFrame) {
    out.push_str("<pre class=\"frame\">");
    for (i, source) in frame.lines.iter().enumerate() {
        let number = frame.first_line + i as u32;
        let class = if number == frame.line { " class=\"hit\"" } else { "" };
        let _ = write!(out, "<span{class}><i>{number}</i>{}</span>", Esc(&source.replace('\t', "    ")));
    }
    out.push_str("</pre>");
}
