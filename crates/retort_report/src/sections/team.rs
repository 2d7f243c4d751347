//! The team: ownership per component, truck (bus) factor, knowledge lost
//! and the role map (`retort team`).

use std::fmt::Write as _;

use serde_json::Value;

use crate::charts::{self, number, Bar};
use crate::escape::Esc;
use crate::html::{self, Col};
use crate::json::{count, flag, list, num, strings, text};

pub fn render(out: &mut String, team: &Result<Value, String>) {
    html::section_start(out, "team", "Team");
    let team = match team {
        Ok(team) => team,
        Err(reason) => {
            html::not_available(out, reason);
            html::section_end(out);
            return;
        }
    };
    let window = team.get("window").unwrap_or(&Value::Null);
    let truck = team.get("truck_factor").unwrap_or(&Value::Null);
    let active_truck = team.get("active_truck_factor").unwrap_or(&Value::Null);
    let lost = team.get("knowledge_lost").unwrap_or(&Value::Null);
    let developers = list(team, "developers");
    out.push_str("<div class=\"cards\">");
    html::card(out, &count(truck, "value").to_string(), "truck factor");
    html::card(out, &count(active_truck, "value").to_string(), "truck factor, active developers");
    let active = developers.iter().filter(|d| flag(d, "active")).count();
    html::card(out, &developers.len().to_string(), &format!("developers ({active} active)"));
    html::card(out, &count(lost, "files").to_string(), "files whose authors are all inactive");
    html::card(out, &count(window, "commits").to_string(), "commits read");
    out.push_str("</div>");
    let _ = write!(
        out,
        "<p class=\"muted\">Authorship by degree of authorship (DOA) from the git history; developers without a commit in the {} days before the newest commit count as inactive.{}</p>",
        count(team, "inactive_days"),
        if flag(window, "complete") { "" } else { " The history window is incomplete (truncated or shallow)." }
    );
    let tf_names = strings(active_truck, "developers");
    if !tf_names.is_empty() {
        let _ = write!(
            out,
            "<p>Losing {} would leave more than half of the files without an active author.</p>",
            Esc(&tf_names.join(", "))
        );
    }

    if !developers.is_empty() {
        let bars: Vec<Bar> = developers
            .iter()
            .take(15)
            .map(|d| Bar {
                label: text(d, "name").to_string(),
                value: count(d, "files_authored") as f64,
                class: if flag(d, "active") { "ok" } else { "warning" },
                note: Some(format!(
                    "{}, {}",
                    html::plural(count(d, "files_authored"), "file", "files"),
                    html::plural(count(d, "commits"), "commit", "commits")
                )),
            })
            .collect();
        let _ = write!(
            out,
            "<figure>{}<figcaption>Files authored per developer (green: active, amber: inactive).</figcaption></figure>",
            charts::bar_chart("authors-chart", "Files authored per developer", &bars)
        );
    }

    out.push_str("<h3>Ownership per component</h3>");
    let components = list(team, "components");
    if components.is_empty() {
        out.push_str("<p>No component.</p>");
    } else {
        html::table_start(
            out,
            "ownership-table",
            true,
            &[
                ("Component", Col::Text),
                ("Files", Col::Num),
                ("Main authors", Col::Text),
                ("Truck factor", Col::Num),
                ("Active truck factor", Col::Num),
                ("Files without an active author", Col::Num),
            ],
        );
        for c in components {
            out.push_str("<tr>");
            html::td_code(out, text(c, "name"));
            let files = count(c, "files");
            html::td_num(out, files as f64, &files.to_string());
            let authors: Vec<String> = list(c, "authors")
                .iter()
                .take(3)
                .map(|a| {
                    let gone = if flag(a, "active") { "" } else { ", inactive" };
                    format!("{} ({}{gone})", text(a, "developer"), html::plural(count(a, "files"), "file", "files"))
                })
                .collect();
            html::td(out, &authors.join(", "));
            for key in ["truck_factor", "active_truck_factor"] {
                let v = c.get(key).map(|t| count(t, "value")).unwrap_or(0);
                html::td_num(out, v as f64, &v.to_string());
            }
            let orphaned = count(c, "orphaned_files");
            html::td_num(out, orphaned as f64, &orphaned.to_string());
            out.push_str("</tr>");
        }
        html::table_end(out);
    }

    out.push_str("<h3>Knowledge lost</h3>");
    if count(lost, "files") == 0 {
        out.push_str("<p>Every authored file keeps an active author.</p>");
    } else {
        let _ = write!(
            out,
            "<p>{} whose authors are all inactive, e.g. <code>{}</code>.</p>",
            html::plural(count(lost, "files"), "file", "files"),
            Esc(&strings(lost, "examples").join(", "))
        );
    }
    let components_lost = strings(lost, "components");
    if !components_lost.is_empty() {
        let _ = write!(
            out,
            "<p>Components where fewer than half the files keep an active author: {}.</p>",
            Esc(&components_lost.join(", "))
        );
    }
    let leaves = list(team, "if_leaves");
    if !leaves.is_empty() {
        out.push_str("<p>If one more developer leaves:</p>");
        html::table_start(
            out,
            "departure-table",
            true,
            &[("Developer", Col::Text), ("Files orphaned", Col::Num), ("Components lost", Col::Text)],
        );
        for d in leaves {
            out.push_str("<tr>");
            html::td(out, text(d, "developer"));
            let n = count(d, "files_orphaned");
            html::td_num(out, n as f64, &n.to_string());
            html::td(out, &strings(d, "components_lost").join(", "));
            out.push_str("</tr>");
        }
        html::table_end(out);
    }

    out.push_str("<h3>Role map and hiring plan</h3>");
    let roles = list(team, "roles");
    if roles.is_empty() {
        out.push_str("<p>No role evidence.</p>");
    } else {
        html::table_start(
            out,
            "role-table",
            true,
            &[("Role", Col::Text), ("Need", Col::Num), ("Strongest evidence", Col::Text)],
        );
        for r in roles {
            out.push_str("<tr>");
            html::td(out, text(r, "title"));
            let need = num(r, "need").unwrap_or(0.0);
            html::td_num(out, need, &number(need));
            let evidence: Vec<String> =
                list(r, "evidence").iter().take(3).map(|e| html::with_code_spans(text(e, "text"))).collect();
            let _ = write!(out, "<td>{}</td>", evidence.join("; "));
            out.push_str("</tr>");
        }
        html::table_end(out);
    }
    let hiring = list(team, "hiring_plan");
    if !hiring.is_empty() {
        out.push_str("<ol>");
        for step in hiring {
            let _ = write!(
                out,
                "<li><strong>{}</strong> (need {}): {}</li>",
                Esc(text(step, "title")),
                Esc(&number(num(step, "need").unwrap_or(0.0))),
                html::with_code_spans(text(step, "because"))
            );
        }
        out.push_str("</ol>");
    }
    let diagnostics = strings(team, "diagnostics");
    for d in diagnostics {
        let _ = write!(out, "<p class=\"muted\">{}</p>", Esc(d));
    }
    html::section_end(out);
}
