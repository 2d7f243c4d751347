//! The scorecard per category: the level reached, and what is missing for
//! the next one.

use std::fmt::Write as _;

use serde_json::Value;

use crate::charts::{self, Bar};
use crate::escape::{anchor, Esc};
use crate::html::{self, Col};
use crate::json::{list, opt_text, text};

fn level_rank(level: Option<&str>) -> f64 {
    match level {
        Some("gold") => 3.0,
        Some("silver") => 2.0,
        Some("bronze") => 1.0,
        _ => 0.0,
    }
}

pub fn render(out: &mut String, check: &Result<Value, String>) {
    html::section_start(out, "scorecard", "Scorecard");
    let check = match check {
        Ok(check) => check,
        Err(reason) => {
            html::not_available(out, reason);
            html::section_end(out);
            return;
        }
    };
    let cards = list(check, "scorecard");
    if cards.is_empty() {
        html::not_available(out, "the check result carries no scorecard");
        html::section_end(out);
        return;
    }
    out.push_str("<p>Levels are cumulative: Silver needs Bronze's rules too. A category reaches a level when every rule of that level (and below) was assessed and has no finding.</p>");
    let bars: Vec<Bar> = cards
        .iter()
        .map(|c| {
            let level = opt_text(c, "level");
            Bar {
                label: text(c, "category").to_string(),
                value: level_rank(level),
                class: if level.is_none() { "error" } else { "ok" },
                note: Some(level.unwrap_or(text(c, "status")).to_string()),
            }
        })
        .collect();
    let _ = write!(
        out,
        "<figure>{}<figcaption>Level per category (0 none, 1 bronze, 2 silver, 3 gold).</figcaption></figure>",
        charts::bar_chart("scorecard-chart", "Scorecard level per category", &bars)
    );
    html::table_start(
        out,
        "scorecard-table",
        false,
        &[
            ("Category", Col::Text),
            ("Level", Col::Text),
            ("Next", Col::Text),
            ("Missing for the next level", Col::Text),
        ],
    );
    for c in cards {
        out.push_str("<tr>");
        html::td(out, text(c, "category"));
        let status = opt_text(c, "level").unwrap_or(text(c, "status"));
        let _ = write!(out, "<td class=\"level\">{}</td>", Esc(status));
        html::td(out, opt_text(c, "next").unwrap_or("—"));
        out.push_str("<td>");
        let missing: Vec<&str> = list(c, "missing").iter().filter_map(Value::as_str).collect();
        if !missing.is_empty() {
            out.push_str("findings of ");
            for (i, code) in missing.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "<a href=\"#{}\">{}</a>", anchor("rule", code), Esc(code));
            }
        }
        if let Some(not_assessed) = c.get("not_assessed").and_then(Value::as_object).filter(|m| !m.is_empty()) {
            if !missing.is_empty() {
                out.push_str("; ");
            }
            out.push_str("not assessed: ");
            let parts: Vec<String> =
                not_assessed.iter().map(|(code, why)| format!("{code} ({})", why.as_str().unwrap_or(""))).collect();
            let _ = write!(out, "{}", Esc(&parts.join(", ")));
        }
        if missing.is_empty() && c.get("not_assessed").and_then(Value::as_object).is_none_or(|m| m.is_empty()) {
            out.push_str(if opt_text(c, "next").is_some() { "nothing" } else { "top level reached" });
        }
        out.push_str("</td></tr>");
    }
    html::table_end(out);
    html::section_end(out);
}
