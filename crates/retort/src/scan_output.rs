//! Human output of `retort scan`: a `flask routes`-style table.

use std::time::Duration;

use retort_flask::catalog::Route;
use retort_flask::Catalog;

use crate::SortKey;

fn paint(text: &str, code: &str, colour: bool) -> String {
    if colour {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// The route table: Endpoint, Methods, Rule, Location (+ guards marker).
/// Unknown parts print as `?`; a rule whose blueprint prefix is unknown
/// prints as `?/rule`.
pub fn render_table(catalog: &Catalog, sort: SortKey, colour: bool) -> String {
    let mut routes: Vec<&Route> = catalog.routes.iter().collect();
    routes.sort_by(|a, b| {
        let key = |r: &Route| match sort {
            SortKey::Endpoint => (r.endpoint.clone().unwrap_or_default(), r.rule.clone().unwrap_or_default()),
            SortKey::Rule => (r.rule.clone().unwrap_or_default(), r.endpoint.clone().unwrap_or_default()),
            SortKey::Methods => (r.methods.join(","), r.rule.clone().unwrap_or_default()),
            SortKey::File => (format!("{}:{:08}", r.file, r.line), String::new()),
        };
        key(a).cmp(&key(b))
    });
    let rows: Vec<[String; 5]> = routes
        .iter()
        .map(|r| {
            [
                r.endpoint.clone().unwrap_or_else(|| "?".into()),
                if r.methods.is_empty() { "?".into() } else { r.methods.join(", ") },
                match (&r.rule, r.rule_prefix_unknown) {
                    // The prefix is unknown: show that the rule is partial.
                    (Some(rule), true) => format!("?{rule}"),
                    (Some(rule), false) => rule.clone(),
                    (None, _) => "?".into(),
                },
                if r.guards.iter().any(|g| g.auth) { "auth".into() } else { String::new() },
                format!("{}:{}", r.file, r.line),
            ]
        })
        .collect();
    let headers = ["Endpoint", "Methods", "Rule", "Guard", "Location"];
    let mut widths = headers.map(str::len);
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: &[String], out: &mut String| {
        let padded: Vec<String> =
            cells.iter().enumerate().map(|(i, c)| format!("{c:<width$}", width = widths[i])).collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    };
    line(&headers.map(String::from), &mut out);
    line(&widths.map(|w| "-".repeat(w)), &mut out);
    for (row, route) in rows.iter().zip(&routes) {
        let mut cells = row.clone();
        if colour {
            cells = std::array::from_fn(|i| format!("{:<width$}", row[i], width = widths[i]));
            cells[1] = paint(&cells[1], "36", true);
            cells[3] = paint(&cells[3], "32", true);
            cells[4] = paint(&cells[4], "2", true);
            if route.unresolved.is_some() {
                cells[2] = paint(&cells[2], "33", true);
            }
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        } else {
            line(&cells, &mut out);
        }
    }
    let unresolved: Vec<&&Route> = routes.iter().filter(|r| r.unresolved.is_some()).collect();
    if !unresolved.is_empty() {
        out.push_str(&format!("\n{}\n", paint("Unresolved:", "33;1", colour)));
        for route in unresolved {
            let u = route.unresolved.as_ref().expect("filtered");
            out.push_str(&format!("  {}:{}: {}\n", u.file, u.line, u.reason));
        }
    }
    let conditional: Vec<&&Route> =
        routes.iter().filter(|r| !r.conditions.is_empty() && r.unresolved.is_none()).collect();
    if !conditional.is_empty() {
        out.push_str(&format!("\n{}\n", paint("Registered only under a condition:", "1", colour)));
        for route in conditional {
            out.push_str(&format!(
                "  {} ({}) if {}\n",
                route.rule.as_deref().unwrap_or("?"),
                route.endpoint.as_deref().unwrap_or("?"),
                route.conditions.join(" and ")
            ));
        }
    }
    for stop in &catalog.stops {
        out.push_str(&format!(
            "{}:{}: {}: {}\n",
            stop.file,
            stop.line,
            paint(&format!("stop ({})", stop.kind), "33", colour),
            stop.reason
        ));
    }
    for d in &catalog.diagnostics {
        out.push_str(&format!(
            "{}{}: {}: {}\n",
            d.file,
            d.line.map(|l| format!(":{l}")).unwrap_or_default(),
            paint(&format!("{:?}", d.kind).to_lowercase(), "31", colour),
            d.message
        ));
    }
    out
}

/// The first `n` items, then how many more.
fn shortened(items: &[String], n: usize) -> String {
    match items.len().checked_sub(n) {
        Some(more) if more > 0 => format!("{}, and {more} more", items[..n].join(", ")),
        _ => items.join(", "),
    }
}

pub fn summary_line(catalog: &Catalog, elapsed: Duration) -> String {
    let s = &catalog.summary;
    let import_root = match &s.import_root.package {
        Some(package) => format!("\nimport root: {} (the scanned folder is package `{package}`)", s.import_root.path),
        None if !s.import_root.source_roots.is_empty() => {
            format!("\nsource roots: {}", s.import_root.source_roots.join(", "))
        }
        None => String::new(),
    };
    let import_root = match &s.plugin_host {
        Some(host) => format!(
            "\nplugin host: package `{}` is loaded through entry points ({}); read with the {} packages beside it that \
             make up its application, in {} (--package-only reads the package alone)",
            host.package,
            shortened(&host.groups, 4),
            host.packages.len() - 1,
            host.root.display()
        ),
        None => import_root,
    };
    format!(
        "{import_root}\n{} apps, {} blueprints, {} routes ({} resolved, {} unresolved) in {} files ({} lines), {} diagnostics{}, {:.0} ms",
        s.apps,
        s.blueprints,
        s.routes,
        s.resolved_routes,
        s.unresolved_routes,
        s.files,
        s.lines,
        s.diagnostics,
        match (s.stops, s.budget_exhausted) {
            (0, _) => String::new(),
            (n, false) => format!(", {n} interpreter stops (see `stops`)"),
            (n, true) => format!(", {n} interpreter stops (step budget exhausted)"),
        },
        elapsed.as_secs_f64() * 1000.0
    )
}
