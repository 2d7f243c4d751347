//! What `retort team` takes from the catalog, with paths made relative to
//! the repository root (the catalog's are relative to the scanned folder).

use retort_flask::Catalog;

#[derive(Debug, Clone, Default)]
pub struct CatalogFacts {
    pub app_files: Vec<String>,
    /// (registered name, file, line).
    pub blueprints: Vec<(String, String, u32)>,
    /// (file, line, rule, endpoint).
    pub routes: Vec<(String, u32, String, String)>,
    /// (model name, file).
    pub models: Vec<(String, String)>,
    pub task_files: Vec<String>,
    pub ci_files: Vec<String>,
    /// Project-internal imports as (importing file, imported file), test
    /// files included as importers; empty when the imports were not read.
    pub imports: Vec<(String, String)>,
    /// URL paths written as string literals in test files, as (test file,
    /// literal): how Flask tests reach views through the test client.
    pub test_urls: Vec<(String, String)>,
}

impl CatalogFacts {
    /// `prefix`: the scanned folder relative to the repository root, `""`
    /// or ending in `/`.
    pub fn from_catalog(catalog: &Catalog, prefix: &str) -> CatalogFacts {
        let p = |f: &str| format!("{prefix}{f}");
        CatalogFacts {
            app_files: catalog.apps.iter().map(|a| p(&a.file)).collect(),
            blueprints: catalog.blueprints.iter().map(|b| (b.name.clone(), p(&b.file), b.line)).collect(),
            routes: catalog
                .routes
                .iter()
                .map(|r| {
                    (p(&r.file), r.line, r.rule.clone().unwrap_or_default(), r.endpoint.clone().unwrap_or_default())
                })
                .collect(),
            models: catalog.models.iter().map(|m| (m.name.clone(), p(&m.file))).collect(),
            task_files: catalog.tasks.iter().map(|t| p(&t.file)).collect(),
            ci_files: catalog.ci.iter().map(|c| p(&c.file)).collect(),
            imports: Vec::new(),
            test_urls: Vec::new(),
        }
    }
}

/// The string literals of a Python source that look like URL paths
/// (`"/admin/users?page=2"`, `f"/api/v1/items/{item.id}"`), as written
/// between the quotes. A lexical scan, not a parse: a literal spanning
/// lines or holding an escaped quote is cut there, which at worst loses
/// a path.
pub fn url_literals(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in source.lines() {
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let quote = bytes[i];
            if (quote == b'"' || quote == b'\'') && bytes.get(i + 1) == Some(&b'/') {
                if let Some(len) = bytes[i + 1..].iter().position(|&b| b == quote) {
                    let literal = &line[i + 1..i + 1 + len];
                    if !literal.contains(char::is_whitespace) && !literal.starts_with("//") {
                        found.push(literal.to_string());
                    }
                    i += len + 2;
                    continue;
                }
            }
            i += 1;
        }
    }
    found
}

/// Whether a URL path written in a test (query and fragment cut off,
/// `{...}` f-string fields matching any segment) can reach a Flask rule
/// (`<converter:name>` matching one segment, `<path:name>` the rest).
pub fn url_matches_rule(url: &str, rule: &str) -> bool {
    if rule.is_empty() {
        return false;
    }
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let segments = |s: &str| -> Vec<String> { s.trim_matches('/').split('/').map(str::to_string).collect() };
    let (url, rule) = (segments(path), segments(rule));
    for (i, part) in rule.iter().enumerate() {
        if part.starts_with("<path:") {
            return url.len() > i;
        }
        let Some(given) = url.get(i) else { return false };
        let variable = part.starts_with('<') && part.ends_with('>');
        let field = given.starts_with('{') && given.ends_with('}');
        if !(variable && !given.is_empty() || field || given == part) {
            return false;
        }
    }
    url.len() == rule.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_url_paths_in_literals() {
        let source = "r = client.get('/admin/users?page=2')\nclient.post(f\"/api/v1/items/{item.id}\", json={})\n\
                      x = 'not a path'; y = \"//cdn\"; z = '/two words'\n";
        assert_eq!(url_literals(source), vec!["/admin/users?page=2", "/api/v1/items/{item.id}"]);
    }

    #[test]
    fn matches_rules_like_werkzeug_would_for_literal_paths() {
        assert!(url_matches_rule("/admin/users?page=2", "/admin/users"));
        assert!(url_matches_rule("/admin/users/", "/admin/users"));
        assert!(url_matches_rule("/api/v1/items/42", "/api/v1/items/<int:item_id>"));
        assert!(url_matches_rule("/api/v1/items/{item.id}", "/api/v1/items/<int:item_id>"));
        assert!(url_matches_rule("/static/css/site.css", "/static/<path:filename>"));
        assert!(!url_matches_rule("/api/v1/items", "/api/v1/items/<int:item_id>"));
        assert!(!url_matches_rule("/api/v1/items/42/extra", "/api/v1/items/<int:item_id>"));
        assert!(!url_matches_rule("/admin/orders", "/admin/users"));
        assert!(!url_matches_rule("/", ""));
        assert!(url_matches_rule("/", "/"));
    }
}
