//! SLO status (`retort slo report --format json`), when given.

use std::fmt::Write as _;

use serde_json::Value;

use crate::charts::{self, Series};
use crate::escape::Esc;
use crate::html::{self, Col};
use crate::json::{count, flag, list, num, opt_text, text};

fn percent(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{:.3}%", v * 100.0),
        _ => "—".to_string(),
    }
}

pub fn render(out: &mut String, slo: Option<&Value>) {
    html::section_start(out, "slo", "SLOs");
    let Some(slo) = slo else {
        html::not_available(out, "no SLO report given (retort report --slo slo.json)");
        html::section_end(out);
        return;
    };
    let input = slo.get("input").unwrap_or(&Value::Null);
    let objectives = list(slo, "objectives");
    let violated = objectives.iter().filter(|o| flag(o, "violated")).count();
    let _ = write!(
        out,
        "<p>Spec <code>{}</code>: {} from {} requests ({} to {}); <span class=\"{}\">{} violated</span>.</p>",
        Esc(text(slo, "spec")),
        html::plural(objectives.len() as u64, "objective", "objectives"),
        count(input, "requests"),
        Esc(opt_text(input, "first").unwrap_or("?")),
        Esc(opt_text(input, "end").or(opt_text(input, "last")).unwrap_or("?")),
        if violated > 0 { "fail" } else { "pass" },
        violated,
    );
    if objectives.is_empty() {
        html::section_end(out);
        return;
    }
    html::table_start(
        out,
        "slo-table",
        true,
        &[
            ("Objective", Col::Text),
            ("Scope", Col::Text),
            ("Indicator", Col::Text),
            ("Target", Col::Num),
            ("Window", Col::Text),
            ("SLI", Col::Num),
            ("Budget left", Col::Num),
            ("Status", Col::Text),
        ],
    );
    for o in objectives {
        out.push_str("<tr>");
        html::td(out, text(o, "name"));
        html::td(out, text(o, "scope"));
        html::td(out, text(o, "indicator"));
        let target = num(o, "target");
        html::td_num(out, target.unwrap_or(f64::NAN), &percent(target));
        html::td(out, text(o, "window"));
        let sli = num(o, "sli");
        html::td_num(out, sli.unwrap_or(f64::NAN), &percent(sli));
        let left = num(o, "budget_remaining");
        html::td_num(out, left.unwrap_or(f64::NAN), &percent(left));
        match opt_text(o, "unresolved") {
            Some(why) => html::td(out, &format!("unresolved: {why}")),
            None if flag(o, "violated") => out.push_str("<td class=\"fail\">violated</td>"),
            None => out.push_str("<td class=\"pass\">met</td>"),
        }
        out.push_str("</tr>");
    }
    html::table_end(out);
    let series: Vec<Series> = objectives
        .iter()
        .take(4)
        .map(|o| Series {
            name: text(o, "name").to_string(),
            points: list(o, "timeline")
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((i as f64, num(p, "budget_remaining")? * 100.0)))
                .collect(),
        })
        .filter(|s| !s.points.is_empty())
        .collect();
    if !series.is_empty() {
        let _ = write!(
            out,
            "<figure>{}<figcaption>Error budget remaining over the window (%), per objective{}.</figcaption></figure>",
            charts::line_chart("budget-chart", "Error budget remaining", "step", "% budget left", &series),
            if objectives.len() > 4 { " (the first four)" } else { "" }
        );
    }
    let fired: Vec<String> = objectives
        .iter()
        .flat_map(|o| {
            list(o, "alerts").iter().filter(|a| count(a, "fired_minutes") > 0).map(move |a| {
                format!(
                    "{}: {} alert ({}/{} windows) fired {} in {}",
                    text(o, "name"),
                    text(a, "severity"),
                    text(a, "long_window"),
                    text(a, "short_window"),
                    html::plural(count(a, "fired_minutes"), "minute", "minutes"),
                    html::plural(list(a, "episodes").len() as u64, "episode", "episodes")
                )
            })
        })
        .collect();
    if !fired.is_empty() {
        out.push_str("<h3>Burn-rate alerts (back-test)</h3><ul>");
        for line in fired {
            let _ = write!(out, "<li>{}</li>", Esc(&line));
        }
        out.push_str("</ul>");
    }
    html::section_end(out);
}
