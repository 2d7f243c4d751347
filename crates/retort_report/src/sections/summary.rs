//! The service summary: what `scan` found, and the headline of `check`.

use std::fmt::Write as _;

use serde_json::Value;

use crate::escape::Esc;
use crate::html::{self, Col};
use crate::json::{count, list, location, opt_text, text};
use crate::ReportInput;

pub fn render(out: &mut String, input: &ReportInput) {
    let catalog = &input.catalog;
    let summary = catalog.get("summary").unwrap_or(&Value::Null);
    html::section_start(out, "summary", "Service summary");
    out.push_str("<div class=\"cards\">");
    html::card(out, &list(catalog, "apps").len().to_string(), "apps");
    html::card(out, &list(catalog, "blueprints").len().to_string(), "blueprints");
    let routes = list(catalog, "routes").len();
    let unresolved = count(summary, "unresolved_routes");
    let route_label = if unresolved > 0 { format!("routes ({unresolved} unresolved)") } else { "routes".to_string() };
    html::card(out, &routes.to_string(), &route_label);
    html::card(out, &list(catalog, "extensions").len().to_string(), "extensions");
    html::card(out, &list(catalog, "models").len().to_string(), "models");
    html::card(out, &list(catalog, "tasks").len().to_string(), "tasks");
    html::card(out, &count(summary, "files").to_string(), &format!("Python files ({} lines)", count(summary, "lines")));
    if let Ok(check) = &input.check {
        let s = check.get("summary").unwrap_or(&Value::Null);
        html::card(
            out,
            &count(s, "findings").to_string(),
            &format!("findings ({} errors, {} warnings)", count(s, "errors"), count(s, "warnings")),
        );
    }
    out.push_str("</div>");
    if let Ok(check) = &input.check {
        let cards = list(check, "scorecard");
        if !cards.is_empty() {
            out.push_str("<p><a href=\"#scorecard\">Scorecard</a>: ");
            for (i, c) in cards.iter().enumerate() {
                if i > 0 {
                    out.push_str(" · ");
                }
                let level = opt_text(c, "level").unwrap_or(text(c, "status"));
                let class = if opt_text(c, "level").is_some() { "pass" } else { "fail" };
                let _ = write!(out, "{} <span class=\"{class}\">{}</span>", Esc(text(c, "category")), Esc(level));
            }
            out.push_str("</p>");
        }
    }
    let diagnostics = list(catalog, "diagnostics");
    if !diagnostics.is_empty() {
        let _ = write!(
            out,
            "<p class=\"muted\">{} could not be read or parsed (see <code>retort scan --format json</code>).</p>",
            html::plural(diagnostics.len() as u64, "file", "files")
        );
    }
    if count(summary, "stops") > 0 {
        let _ = write!(
            out,
            "<p class=\"muted\">The interpreter stopped following the code at {}: what lies beyond may be missing (see <code>stops</code> in <code>retort scan --format json</code>).</p>",
            html::plural(count(summary, "stops"), "place", "places")
        );
    }

    let apps = list(catalog, "apps");
    if !apps.is_empty() {
        out.push_str("<h3>Apps</h3>");
        html::table_start(out, "apps", false, &[("App", Col::Text), ("Class", Col::Text), ("Created at", Col::Text)]);
        for app in apps {
            out.push_str("<tr>");
            html::td_code(out, text(app, "id"));
            html::td(out, text(app, "class"));
            html::td_code(out, &location(app));
            out.push_str("</tr>");
        }
        html::table_end(out);
    }
    let blueprints = list(catalog, "blueprints");
    if !blueprints.is_empty() {
        let _ = write!(out, "<details><summary>Blueprints ({})</summary>", blueprints.len());
        html::table_start(
            out,
            "blueprints",
            true,
            &[("Blueprint", Col::Text), ("URL prefix", Col::Text), ("Parent", Col::Text), ("Defined at", Col::Text)],
        );
        for bp in blueprints {
            out.push_str("<tr>");
            html::td_code(out, text(bp, "name"));
            html::td_code(out, opt_text(bp, "url_prefix").unwrap_or(""));
            html::td(out, opt_text(bp, "parent").unwrap_or(""));
            html::td_code(out, &location(bp));
            out.push_str("</tr>");
        }
        html::table_end(out);
        out.push_str("</details>");
    }
    let extensions = list(catalog, "extensions");
    if !extensions.is_empty() {
        out.push_str("<h3>Extensions</h3>");
        html::table_start(
            out,
            "extensions",
            true,
            &[("Extension", Col::Text), ("Package", Col::Text), ("Wiring", Col::Text), ("Defined at", Col::Text)],
        );
        for ext in extensions {
            out.push_str("<tr>");
            html::td(out, text(ext, "class"));
            html::td_code(out, text(ext, "package"));
            let mut wiring: Vec<String> =
                list(ext, "wiring").iter().map(|w| format!("{} ({})", text(w, "how"), location(w))).collect();
            wiring.dedup();
            html::td(out, &wiring.join(", "));
            html::td_code(out, &location(ext));
            out.push_str("</tr>");
        }
        html::table_end(out);
    }
    let models = list(catalog, "models");
    if !models.is_empty() {
        let _ = write!(out, "<details><summary>Models ({})</summary>", models.len());
        html::table_start(
            out,
            "models",
            true,
            &[("Model", Col::Text), ("Table", Col::Text), ("Columns", Col::Num), ("Defined at", Col::Text)],
        );
        for model in models {
            out.push_str("<tr>");
            html::td(out, text(model, "name"));
            html::td_code(out, opt_text(model, "table").unwrap_or(""));
            let columns = list(model, "columns").len();
            html::td_num(out, columns as f64, &columns.to_string());
            html::td_code(out, &location(model));
            out.push_str("</tr>");
        }
        html::table_end(out);
        out.push_str("</details>");
    }
    let tasks = list(catalog, "tasks");
    if !tasks.is_empty() {
        let _ = write!(out, "<details><summary>Tasks ({})</summary>", tasks.len());
        html::table_start(
            out,
            "tasks",
            true,
            &[("Task", Col::Text), ("Decorator", Col::Text), ("Defined at", Col::Text)],
        );
        for task in tasks {
            out.push_str("<tr>");
            html::td_code(out, text(task, "name"));
            html::td_code(out, text(task, "decorator"));
            html::td_code(out, &location(task));
            out.push_str("</tr>");
        }
        html::table_end(out);
        out.push_str("</details>");
    }
    html::section_end(out);
}
