//! Capabilities: the areas of work the roles of a Flask team cover, mapped
//! to files through the catalog (route, blueprint, model, task and CI
//! files) and through path rules (gitignore-style, extendable in
//! `[tool.retort.team] capabilities`). A file may serve several
//! capabilities.

use std::collections::{BTreeMap, BTreeSet};

use crate::facts::CatalogFacts;

use crate::pattern::PathPattern;

/// The default path rules per capability.
pub const DEFAULT_RULES: &[(&str, &[&str])] = &[
    (
        "http-api",
        &[
            "views.py",
            "views/",
            "routes.py",
            "routes/",
            "api/",
            "resources/",
            "endpoints/",
            "schemas.py",
            "schemas/",
            "serializers.py",
        ],
    ),
    (
        "data",
        &[
            "models.py",
            "models/",
            "migrations/",
            "alembic/",
            "alembic.ini",
            "*.sql",
            "db.py",
            "database.py",
            "repositories/",
            "repository.py",
        ],
    ),
    (
        "async-work",
        &["tasks.py", "tasks/", "celery*.py", "worker.py", "workers/", "jobs/", "consumers/", "*kafka*", "*rq*.py"],
    ),
    (
        "front-end",
        &[
            "templates/",
            "static/",
            "*.html",
            "*.jinja",
            "*.jinja2",
            "*.js",
            "*.jsx",
            "*.ts",
            "*.tsx",
            "*.vue",
            "*.css",
            "*.scss",
            "package.json",
        ],
    ),
    (
        "delivery",
        &[
            ".github/workflows/",
            ".gitlab-ci.yml",
            ".circleci/",
            "Jenkinsfile",
            "Dockerfile*",
            "docker-compose*.yml",
            "compose*.yml",
            "Procfile",
            "k8s/",
            "kubernetes/",
            "helm/",
            "charts/",
            "deploy/",
            "deployment/",
            "terraform/",
            "*.tf",
            "tox.ini",
            "noxfile.py",
            "Makefile",
            "setup.py",
            "setup.cfg",
            "pyproject.toml",
            "requirements*.txt",
        ],
    ),
    (
        "security",
        &[
            "auth.py",
            "auth/",
            "*auth*.py",
            "security.py",
            "security/",
            "permissions.py",
            "*crypto*",
            "*secret*",
            "login*.py",
            "*jwt*",
            "*oauth*",
            "csrf*.py",
        ],
    ),
    (
        "observability",
        &[
            "logging*.py",
            "*logging*.conf",
            "*logger*.py",
            "metrics*.py",
            "*metrics*/",
            "*tracing*",
            "*telemetry*",
            "*sentry*",
            "*prometheus*",
            "monitoring/",
            "health*.py",
        ],
    ),
    ("tests", &["tests/", "test/", "test_*.py", "*_test.py", "conftest.py", "pytest.ini", "e2e/", "cypress/"]),
];

#[derive(Debug, Clone)]
pub struct CapabilityMap {
    pub names: Vec<String>,
    rules: Vec<Vec<PathPattern>>,
    /// Files placed by the catalog: repository-relative path → capabilities.
    from_catalog: BTreeMap<String, BTreeSet<usize>>,
}

impl CapabilityMap {
    pub fn new(facts: &CatalogFacts, extra: &BTreeMap<String, Vec<String>>) -> CapabilityMap {
        let mut names: Vec<String> = DEFAULT_RULES.iter().map(|(n, _)| n.to_string()).collect();
        let mut rules: Vec<Vec<PathPattern>> = DEFAULT_RULES
            .iter()
            .map(|(_, pats)| pats.iter().filter_map(|p| PathPattern::new(p, false).ok()).collect())
            .collect();
        for (name, patterns) in extra {
            let index = names.iter().position(|n| n == name).unwrap_or_else(|| {
                names.push(name.clone());
                rules.push(Vec::new());
                names.len() - 1
            });
            rules[index].extend(patterns.iter().filter_map(|p| PathPattern::new(p, false).ok()));
        }
        let mut from_catalog: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        let mut place = |file: &str, capability: &str| {
            if let Some(i) = names.iter().position(|n| n == capability) {
                from_catalog.entry(file.to_string()).or_default().insert(i);
            }
        };
        facts.routes.iter().for_each(|r| place(&r.0, "http-api"));
        facts.blueprints.iter().for_each(|b| place(&b.1, "http-api"));
        facts.models.iter().for_each(|m| place(&m.1, "data"));
        facts.task_files.iter().for_each(|f| place(f, "async-work"));
        facts.ci_files.iter().for_each(|f| place(f, "delivery"));
        CapabilityMap { names, rules, from_catalog }
    }

    /// The capabilities of a repository-relative path, and whether the
    /// catalog (rather than a path rule) placed it there.
    pub fn of(&self, path: &str) -> Vec<(usize, &'static str)> {
        let mut out: Vec<(usize, &'static str)> =
            self.from_catalog.get(path).into_iter().flatten().map(|&i| (i, "catalog")).collect();
        for (i, rules) in self.rules.iter().enumerate() {
            if !out.iter().any(|(j, _)| *j == i) && rules.iter().any(|r| r.matches(path)) {
                out.push((i, "path rule"));
            }
        }
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_rules_place_files() {
        let map = CapabilityMap::new(&CatalogFacts::default(), &BTreeMap::new());
        let names = |p: &str| map.of(p).into_iter().map(|(i, _)| map.names[i].clone()).collect::<Vec<_>>();
        assert_eq!(names("shop/models.py"), ["data"]);
        assert_eq!(names("shop/templates/index.html"), ["front-end"]);
        assert_eq!(names(".github/workflows/ci.yml"), ["delivery"]);
        assert_eq!(names("tests/test_auth.py"), ["security", "tests"]);
        assert!(names("shop/util.py").is_empty());
    }
}
