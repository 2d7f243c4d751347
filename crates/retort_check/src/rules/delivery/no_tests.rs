//! DEL010: the documentation is [`DOC`].

use super::package_artefact;
use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;

pub const RULE: Rule = Rule {
    code: "DEL010",
    name: "no-tests",
    category: Category::Delivery,
    severity: Severity::Warning,
    cwe: None,
    summary: "No test suite",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports a Flask service (an application with routes) that has no test
suite: no Python file in a `tests/`, `test/` or `testing/` folder, no
`test_*.py`, `*_test.py` or `conftest.py` anywhere, and no module importing
`pytest`, `unittest` or `hypothesis` (tests kept under other names).
Reported once, at the application. Test files are found even though
`retort` does not analyse them (they are counted while walking).

A tree that is not a repository root is not judged: an unpacked wheel or
sdist (a `*.dist-info`, `*.egg-info` or `PKG-INFO` at the root or one
folder below), or a folder holding only package folders (an installed
package, a `src/` folder scanned alone) — unless it has a `.git`. Such a
tree does not hold the repository's tests.

## Why is this bad?
Without tests every change is verified by hand, or in production. Routes,
error handlers, configuration and migrations break silently; refactoring
and dependency upgrades become risky enough that they stop happening.

## Example
```text
app/
  __init__.py
  views.py
requirements.txt
```

Use instead:
```text
app/
  __init__.py
  views.py
tests/
  conftest.py      # app fixture: create_app({"TESTING": True})
  test_views.py    # client.get("/") …
requirements.txt
```

## References
- [Flask: Testing Flask Applications](https://flask.palletsprojects.com/en/latest/testing/)
- [pytest: Good integration practices](https://docs.pytest.org/en/stable/explanation/goodpractices.html)
"#;

const TEST_DIRS: &[&str] = &["tests", "test", "testing"];
const TEST_IMPORTS: &[&str] = &["pytest", "unittest", "hypothesis"];

pub fn check(checker: &mut Checker) {
    let catalog = checker.catalog;
    let Some(app) = catalog.apps.first() else { return };
    if !catalog.routes.iter().any(|r| r.view_location.is_some())
        || has_tests(checker)
        || package_artefact(checker).is_some()
    {
        return;
    }
    checker.report_at(
        &RULE,
        &app.file,
        app.line,
        format!("`{}` has no tests: no tests/ folder, test_*.py, *_test.py or conftest.py", app.id),
    );
}

fn has_tests(checker: &Checker) -> bool {
    let project = checker.project;
    if !project.skipped_test_files.is_empty() {
        return true;
    }
    project.modules.iter().any(|module| {
        let path = module.display_path();
        let name = path.rsplit('/').next().unwrap_or(&path);
        let in_test_dir = path.split('/').rev().skip(1).any(|dir| TEST_DIRS.contains(&dir));
        let test_file =
            name == "conftest.py" || name.starts_with("test_") || name.ends_with("_test.py") || name == "tests.py";
        let imports_runner = module.source.lines().any(|line| {
            let line = line.trim();
            TEST_IMPORTS.iter().any(|i| {
                line.strip_prefix("import ").or_else(|| line.strip_prefix("from ")).is_some_and(|rest| {
                    rest.strip_prefix(i).is_some_and(|after| after.is_empty() || after.starts_with([' ', '.', ',']))
                })
            })
        });
        in_test_dir || test_file || imports_runner
    })
}
