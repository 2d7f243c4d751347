//! The onboarding playbook: per component, an ordered reading path for a
//! newcomer, each step with the files it points at.
//!
//! Order: the app factory and configuration, the component's blueprints
//! and their routes, its models, its most depended-on modules (most
//! importers elsewhere in the project), its tests (test files importing
//! its modules or request its routes' URLs) and docs, the hotspots to
//! handle with care, first safe tasks (low churn, reached by a test, an
//! active author to review) and whom to ask (active authors). Imports and
//! test URLs come from [`CatalogFacts`]; without them, tests fall back to
//! path names and the step says so.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use retort_python::walk::is_test_path;
use schemars::JsonSchema;
use serde::Serialize;

use crate::facts::{url_matches_rule, CatalogFacts};
use crate::report::{ComponentRow, DeveloperRow, FileRow};

/// Files listed per step at most.
const LISTED: usize = 5;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OnboardingPath {
    pub component: String,
    pub steps: Vec<OnboardingStep>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OnboardingStep {
    /// `app`, `config`, `blueprint`, `models`, `depended_on`, `tests`,
    /// `docs`, `hotspots`, `first_tasks` or `ask`.
    pub kind: String,
    /// The step as the Markdown playbook prints it.
    pub text: String,
    /// The files (or, for `ask`, the developers) it points at.
    pub items: Vec<String>,
}

/// Who imports each file, and which test files reach each file: by
/// importing it, or by requesting a URL of a route defined in it.
struct ImportIndex<'a> {
    importers: HashMap<&'a str, BTreeSet<&'a str>>,
    tests_of: HashMap<&'a str, BTreeSet<&'a str>>,
    known: bool,
}

impl<'a> ImportIndex<'a> {
    fn new(facts: &'a CatalogFacts) -> Self {
        let mut importers: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        let mut tests_of: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for (from, to) in &facts.imports {
            importers.entry(to.as_str()).or_default().insert(from.as_str());
            if is_test_path(from) {
                tests_of.entry(to.as_str()).or_default().insert(from.as_str());
            }
        }
        for (test, url) in &facts.test_urls {
            for (file, ..) in facts.routes.iter().filter(|r| url_matches_rule(url, &r.2)) {
                tests_of.entry(file.as_str()).or_default().insert(test.as_str());
            }
        }
        ImportIndex { importers, tests_of, known: !facts.imports.is_empty() || !facts.test_urls.is_empty() }
    }

    fn importers_of(&self, file: &str) -> impl Iterator<Item = &'a str> + '_ {
        self.importers.get(file).into_iter().flatten().copied()
    }

    fn tests_of(&self, file: &str) -> impl Iterator<Item = &'a str> + '_ {
        self.tests_of.get(file).into_iter().flatten().copied()
    }
}

pub fn playbooks(
    components: &[ComponentRow],
    files: &[FileRow],
    developers: &[DeveloperRow],
    facts: &CatalogFacts,
) -> Vec<OnboardingPath> {
    let imports = ImportIndex::new(facts);
    let active: HashMap<&str, bool> = developers.iter().map(|d| (d.name.as_str(), d.active)).collect();
    let mut by_component: BTreeMap<&str, Vec<&FileRow>> = BTreeMap::new();
    for f in files {
        by_component.entry(f.component.as_str()).or_default().push(f);
    }
    let config_files: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            matches!(name, "config.py" | "settings.py" | "configuration.py" | "default_config.py") && !is_test_path(p)
        })
        .collect();
    components
        .iter()
        .map(|c| {
            let own = by_component.get(c.name.as_str()).cloned().unwrap_or_default();
            let steps = component_steps(c, &own, facts, &imports, &active, &config_files);
            OnboardingPath { component: c.name.clone(), steps }
        })
        .collect()
}

fn step(kind: &str, text: String, items: Vec<String>) -> OnboardingStep {
    OnboardingStep { kind: kind.to_string(), text, items }
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

fn component_steps(
    c: &ComponentRow,
    own: &[&FileRow],
    facts: &CatalogFacts,
    imports: &ImportIndex,
    active: &HashMap<&str, bool>,
    config_files: &[&str],
) -> Vec<OnboardingStep> {
    let in_component: BTreeSet<&str> = own.iter().map(|f| f.path.as_str()).collect();
    let code: Vec<&FileRow> =
        own.iter().copied().filter(|f| f.path.ends_with(".py") && !is_test_path(&f.path)).collect();
    let mut steps = Vec::new();

    for app in &facts.app_files {
        steps.push(step("app", format!("App factory and configuration: `{app}`"), vec![app.clone()]));
    }
    if !config_files.is_empty() {
        let list: Vec<String> = config_files.iter().take(LISTED).map(|s| s.to_string()).collect();
        steps.push(step("config", format!("Configuration: {}", quoted(&list)), list));
    }
    let blueprints: BTreeSet<&(String, String, u32)> = facts.blueprints.iter().collect();
    for (name, file, line) in blueprints {
        if !(in_component.contains(file.as_str()) || c.blueprints.contains(name)) {
            continue;
        }
        let endpoint_prefix = format!("{name}.");
        let routes = facts.routes.iter().filter(|r| r.0 == *file || r.3.starts_with(&endpoint_prefix)).count();
        steps.push(step(
            "blueprint",
            format!("Blueprint `{name}`: `{file}:{line}` ({routes} routes)"),
            vec![file.clone()],
        ));
    }
    let models: Vec<&(String, String)> = facts.models.iter().filter(|m| in_component.contains(m.1.as_str())).collect();
    if !models.is_empty() {
        let text = models.iter().map(|m| format!("`{}` (`{}`)", m.0, m.1)).collect::<Vec<_>>().join(", ");
        let files: BTreeSet<String> = models.iter().map(|m| m.1.clone()).collect();
        steps.push(step("models", format!("Models: {text}"), files.into_iter().collect()));
    }

    // Most depended-on: importers that are not tests, anywhere in the project.
    let mut depended: Vec<(&str, usize)> = code
        .iter()
        .map(|f| (f.path.as_str(), imports.importers_of(&f.path).filter(|i| !is_test_path(i)).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    depended.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    depended.truncate(3);
    if !depended.is_empty() {
        let text = depended.iter().map(|(p, n)| format!("`{p}` (imported by {n})")).collect::<Vec<_>>().join(", ");
        let items = depended.iter().map(|(p, _)| p.to_string()).collect();
        steps.push(step("depended_on", format!("Most depended-on modules: {text}"), items));
    }

    // Tests: test files importing the component's modules or requesting
    // its routes' URLs, those reaching most of its files first; by path
    // names only when neither imports nor test URLs are known.
    let tested: BTreeSet<&str>;
    if imports.known {
        let mut by_test: BTreeMap<&str, usize> = BTreeMap::new();
        for f in &code {
            for test in imports.tests_of(&f.path) {
                *by_test.entry(test).or_default() += 1;
            }
        }
        tested = code.iter().map(|f| f.path.as_str()).filter(|p| imports.tests_of(p).next().is_some()).collect();
        let mut ranked: Vec<(&str, usize)> = by_test.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        if !ranked.is_empty() {
            let total = ranked.len();
            let items: Vec<String> = ranked.iter().take(LISTED).map(|(p, _)| p.to_string()).collect();
            let more = if total > LISTED { format!(" and {} more", total - LISTED) } else { String::new() };
            steps.push(step(
                "tests",
                format!("Its tests (they import its modules or request its routes): {}{more}", quoted(&items)),
                items,
            ));
        } else if !code.is_empty() {
            steps.push(step(
                "tests",
                "Its tests: no test file imports its modules or requests its routes".to_string(),
                Vec::new(),
            ));
        }
    } else {
        tested = BTreeSet::new();
        let items: Vec<String> =
            own.iter().filter(|f| is_test_path(&f.path)).take(LISTED).map(|f| f.path.clone()).collect();
        if !items.is_empty() {
            steps.push(step("tests", format!("Its tests (by path; imports were not read): {}", quoted(&items)), items));
        }
    }

    // Docs: the most revised first (the ones kept up to date).
    let mut docs: Vec<&FileRow> = own
        .iter()
        .copied()
        .filter(|f| [".md", ".rst"].iter().any(|e| f.path.to_ascii_lowercase().ends_with(e)))
        .collect();
    docs.sort_by(|a, b| b.revisions.cmp(&a.revisions).then_with(|| a.path.cmp(&b.path)));
    let docs: Vec<String> = docs.iter().take(LISTED).map(|f| f.path.clone()).collect();
    if !docs.is_empty() {
        steps.push(step("docs", format!("Its docs: {}", quoted(&docs)), docs));
    }

    // A file changed once is no hotspot, however small the history.
    let mut hot: Vec<&FileRow> = code.iter().copied().filter(|f| f.revisions > 1).collect();
    hot.sort_by(|a, b| b.revisions.cmp(&a.revisions).then_with(|| a.path.cmp(&b.path)));
    hot.truncate(3);
    if !hot.is_empty() {
        let text = hot.iter().map(|f| format!("`{}` ({} commits)", f.path, f.revisions)).collect::<Vec<_>>();
        let items = hot.iter().map(|f| f.path.clone()).collect();
        steps.push(step("hotspots", format!("Hotspots, handle with care: {}", text.join(", ")), items));
    }

    let has_active_author = |f: &FileRow| f.authors.iter().any(|a| active.get(a.as_str()) == Some(&true));
    let mut safe: Vec<&FileRow> = code
        .iter()
        .copied()
        .filter(|f| has_active_author(f) && (!imports.known || tested.contains(f.path.as_str())))
        .collect();
    safe.sort_by(|a, b| a.revisions.cmp(&b.revisions).then_with(|| a.path.cmp(&b.path)));
    safe.truncate(3);
    if !safe.is_empty() {
        let items: Vec<String> = safe.iter().map(|f| f.path.clone()).collect();
        let why = if imports.known {
            "low churn, reached by a test, an active author"
        } else {
            "low churn, an active author"
        };
        steps.push(step("first_tasks", format!("First safe tasks ({why} to review): {}", quoted(&items)), items));
    }

    let ask: Vec<String> = c.authors.iter().filter(|a| a.active).take(3).map(|a| a.developer.clone()).collect();
    let text = if ask.is_empty() { "no active author — knowledge lost".to_string() } else { ask.join(", ") };
    steps.push(step("ask", format!("Whom to ask: {text}"), ask));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::TruckFactor;

    fn file(path: &str, component: &str, revisions: u32) -> FileRow {
        FileRow {
            path: path.into(),
            authors: vec!["Ann".into()],
            component: component.into(),
            doa: Vec::new(),
            revisions,
        }
    }

    fn component(name: &str) -> ComponentRow {
        let tf = TruckFactor { value: 1, developers: vec!["Ann".into()], files: 1, covered_files: 1 };
        ComponentRow {
            name: name.into(),
            origin: "blueprint".into(),
            paths: vec![format!("app/{name}/")],
            blueprints: vec![name.into()],
            files: 1,
            authors: vec![crate::report::AuthorShare { developer: "Ann".into(), files: 1, active: true }],
            truck_factor: tf.clone(),
            active_truck_factor: tf,
            orphaned_files: 0,
        }
    }

    fn items<'a>(path: &'a OnboardingPath, kind: &str) -> Vec<&'a str> {
        path.steps.iter().filter(|s| s.kind == kind).flat_map(|s| s.items.iter().map(String::as_str)).collect()
    }

    #[test]
    fn tests_depended_on_modules_and_safe_tasks_come_from_imports_and_test_urls() {
        let files = vec![
            file("app/users/views.py", "users", 7),
            file("app/users/models.py", "users", 2),
            file("app/users/helpers.py", "users", 1),
            file("app/orders/views.py", "orders", 1),
            file("tests/test_user_models.py", "core", 1),
            file("tests/test_orders_http.py", "core", 1),
        ];
        let developers = vec![DeveloperRow {
            name: "Ann".into(),
            email: None,
            commits: 3,
            files_authored: 4,
            last_commit_time: 0,
            active: true,
        }];
        let facts = CatalogFacts {
            routes: vec![
                ("app/users/views.py".into(), 5, "/users/<int:id>".into(), "users.show".into()),
                ("app/orders/views.py".into(), 3, "/orders/".into(), "orders.list".into()),
            ],
            imports: vec![
                ("app/users/views.py".into(), "app/users/models.py".into()),
                ("app/orders/views.py".into(), "app/users/models.py".into()),
                ("app/orders/views.py".into(), "app/users/helpers.py".into()),
                ("tests/test_user_models.py".into(), "app/users/models.py".into()),
            ],
            test_urls: vec![("tests/test_orders_http.py".into(), "/orders/?page=2".into())],
            ..Default::default()
        };
        let books = playbooks(&[component("users"), component("orders")], &files, &developers, &facts);
        let users = &books[0];
        // models.py has two importers (tests do not count), helpers.py one.
        assert_eq!(items(users, "depended_on"), vec!["app/users/models.py", "app/users/helpers.py"]);
        assert_eq!(items(users, "tests"), vec!["tests/test_user_models.py"]);
        // Only the file a test reaches is a safe first task.
        assert_eq!(items(users, "first_tasks"), vec!["app/users/models.py"]);
        // views.py changed 7 times, models.py twice; helpers.py once is no hotspot.
        assert_eq!(items(users, "hotspots"), vec!["app/users/views.py", "app/users/models.py"]);
        let orders = &books[1];
        assert_eq!(items(orders, "tests"), vec!["tests/test_orders_http.py"]);
        assert_eq!(items(orders, "ask"), vec!["Ann"]);
        assert_eq!(orders.steps.last().map(|s| s.kind.as_str()), Some("ask"));
    }

    #[test]
    fn without_imports_tests_are_found_by_path_and_the_step_says_so() {
        let files = vec![file("app/users/views.py", "users", 1), file("app/users/tests/test_views.py", "users", 1)];
        let mut users = component("users");
        users.authors[0].active = false;
        let books = playbooks(&[users], &files, &[], &CatalogFacts::default());
        let step = books[0].steps.iter().find(|s| s.kind == "tests").expect("a tests step");
        assert_eq!(step.items, vec!["app/users/tests/test_views.py"]);
        assert!(step.text.contains("by path"), "{}", step.text);
        assert_eq!(
            books[0].steps.last().map(|s| s.text.as_str()),
            Some("Whom to ask: no active author — knowledge lost")
        );
    }
}
