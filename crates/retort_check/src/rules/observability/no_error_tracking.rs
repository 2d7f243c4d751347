//! OBS004: the documentation is [`DOC`].

use crate::checker::Checker;
use crate::finding::{Category, Severity};
use crate::registry::Rule;
use crate::rules::observability::report_missing_capability;

pub const RULE: Rule = Rule {
    code: "OBS004",
    name: "no-error-tracking",
    category: Category::Observability,
    severity: Severity::Info,
    cwe: None,
    summary: "No error tracking",
    doc: DOC,
};

pub const DOC: &str = r#"
## What it does
Reports an application with no error tracking: no Sentry, Rollbar,
Bugsnag, Honeybadger or APM agent in the catalog, the dependencies or the
imports.

## Why is this bad?
Unhandled exceptions then only exist as lines in a log nobody reads. An
error tracker groups them, counts the users affected, keeps the stack and
request context, and notifies the team of new ones after a release.

## Example
```python
app = Flask(__name__)
```

Use instead:
```python
import sentry_sdk

sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], traces_sample_rate=0.1)
app = Flask(__name__)
```

## References
- [Sentry: Flask integration](https://docs.sentry.io/platforms/python/integrations/flask/)
"#;

const PACKAGES: &[&str] =
    &["sentry-sdk", "raven", "rollbar", "bugsnag", "honeybadger", "airbrake", "elastic-apm", "newrelic", "ddtrace"];
const IMPORTS: &[&str] = &["sentry_sdk", "raven", "rollbar", "bugsnag", "honeybadger"];

pub fn check(checker: &mut Checker) {
    report_missing_capability(
        checker,
        &RULE,
        "error-tracking",
        PACKAGES,
        IMPORTS,
        "no error tracking (Sentry or similar)",
    );
}
