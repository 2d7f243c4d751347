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
        }
    }
}
