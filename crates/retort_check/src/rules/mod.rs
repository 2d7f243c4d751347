//! Every rule, one file each, grouped by category. The registry below is
//! the single list the engine, `retort rules` and `docs/rules/` read.

pub mod delivery;
pub mod meta;
pub mod observability;
pub mod performance;
pub mod reliability;
pub mod security;

use crate::checker::Checker;
use crate::registry::Registered;

/// A rule file's `RULE` with its entry points `m::…` (`m` is the rule
/// module); a rule may hook in more than once (an expression check and a
/// taint sink).
macro_rules! registered {
    ($module:path, $($check:expr),+) => {{
        use $module as m;
        $crate::registry::Registered { rule: &m::RULE, checks: &[$($check),+] }
    }};
}
pub(crate) use registered;

/// Every rule, in code order: each category lists its own rules in
/// `REGISTERED` (in its `mod.rs`), so adding a rule touches one category.
pub(crate) fn registry() -> &'static [Registered] {
    static ALL: std::sync::OnceLock<Vec<Registered>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        [
            security::REGISTERED,
            reliability::REGISTERED,
            performance::REGISTERED,
            observability::REGISTERED,
            delivery::REGISTERED,
            meta::REGISTERED,
        ]
        .concat()
    })
}

/// Words that mark a class or module as development or test configuration.
const NON_PRODUCTION_WORDS: &[&str] = &["dev", "test", "local", "debug", "example", "sample"];

/// Whether a class or module name says it is development or test code.
fn says_non_production(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    NON_PRODUCTION_WORDS.iter().any(|w| lower.contains(w))
}

/// Whether the current scope is a development or test configuration
/// (a class or module whose name says so), where debug settings and
/// throwaway secrets are expected.
pub(crate) fn in_non_production_scope(checker: &Checker) -> bool {
    checker.class_stack.iter().any(|c| says_non_production(c)) || checker.in_non_production_module
}

/// Whether a module's path says it is development, test or generated code
/// (see [`in_non_production_scope`]). Computed once per module: rules ask
/// for every statement.
pub(crate) fn is_non_production_module(module: &retort_python::Module) -> bool {
    // A module under a `templates`/`project_template`/`scaffold` folder is
    // the template of code a tool generates (`django-admin startproject`),
    // not this application's configuration (seventh blind review).
    const GENERATOR_FOLDERS: &[&str] = &["template", "scaffold", "skeleton", "cookiecutter"];
    let generated = |path: &str| {
        let folders = path.rsplit_once('/').map_or("", |(folders, _)| folders).to_ascii_lowercase();
        folders.split('/').any(|folder| GENERATOR_FOLDERS.iter().any(|w| folder.contains(w)))
    };
    let path = module.display_path();
    says_non_production(&path) || generated(&path)
}
