//! The route catalog: one row per URL rule, searchable and sortable, with
//! its guards.

use std::fmt::Write as _;

use serde_json::Value;

use crate::escape::Esc;
use crate::html::{self, Col};
use crate::json::{flag, list, location, opt_text, strings, text};

pub fn render(out: &mut String, catalog: &Value) {
    let routes = list(catalog, "routes");
    html::section_start(out, "routes", "Routes");
    let unguarded = routes.iter().filter(|r| !list(r, "guards").iter().any(|g| flag(g, "auth"))).count();
    let _ = write!(
        out,
        "<p>{} as Flask would register them; {} without an authentication guard (decorator or <code>before_request</code> hook). Click a column header to sort.</p>",
        html::plural(routes.len() as u64, "route", "routes"),
        unguarded
    );
    if routes.is_empty() {
        html::not_available(out, "no routes found");
        html::section_end(out);
        return;
    }
    html::search_box(out, "route-table", "rule, endpoint, method, guard, file…", routes.len());
    html::table_start(
        out,
        "route-table",
        true,
        &[
            ("Methods", Col::Text),
            ("Rule", Col::Text),
            ("Endpoint", Col::Text),
            ("Blueprint", Col::Text),
            ("Guards", Col::Text),
            ("View", Col::Text),
            ("Location", Col::Text),
        ],
    );
    for route in routes {
        out.push_str("<tr>");
        let methods = strings(route, "methods");
        if flag(route, "methods_unknown") {
            html::td(out, "?");
        } else {
            html::td(out, &methods.join(" "));
        }
        let rule = opt_text(route, "rule").unwrap_or("?");
        let unresolved = route.get("unresolved").and_then(|u| u.get("reason")).and_then(Value::as_str);
        match unresolved {
            Some(reason) => {
                let _ = write!(
                    out,
                    "<td><code>{}</code><br><span class=\"muted\">unresolved: {}</span></td>",
                    Esc(rule),
                    Esc(reason)
                );
            }
            None => html::td_code(out, rule),
        }
        html::td_code(out, opt_text(route, "endpoint").unwrap_or("?"));
        html::td(out, opt_text(route, "blueprint").unwrap_or(""));
        // Authentication guards as badges; other hooks (request ids,
        // logging) only counted, with their names on hover.
        let guards = list(route, "guards");
        let (auth, other): (Vec<&Value>, Vec<&Value>) = guards.iter().partition(|g| flag(g, "auth"));
        let _ = write!(out, "<td data-sort=\"{}\">", auth.len());
        if auth.is_empty() {
            out.push_str("<span class=\"muted\">none</span>");
        }
        for guard in &auth {
            let _ = write!(
                out,
                "<span class=\"guard auth\" title=\"{} at {}\">{}</span>",
                Esc(text(guard, "kind")),
                Esc(&location(guard)),
                Esc(text(guard, "name"))
            );
        }
        if !other.is_empty() {
            let names: Vec<&str> = other.iter().map(|g| text(g, "name")).collect();
            let _ = write!(
                out,
                " <span class=\"muted\" title=\"{}\">+{}</span>",
                Esc(&names.join(", ")),
                html::plural(other.len() as u64, "hook", "hooks")
            );
        }
        out.push_str("</td>");
        let view = opt_text(route, "view").unwrap_or("");
        match opt_text(route, "doc").map(str::trim).filter(|d| !d.is_empty()) {
            Some(doc) => {
                let first = doc.lines().next().unwrap_or("");
                let _ =
                    write!(out, "<td><code>{}</code><br><span class=\"muted\">{}</span></td>", Esc(view), Esc(first));
            }
            None => html::td_code(out, view),
        }
        html::td_code(out, &location(route));
        out.push_str("</tr>");
    }
    html::table_end(out);
    html::section_end(out);
}
