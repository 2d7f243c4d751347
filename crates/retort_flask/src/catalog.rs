//! The catalog: what `retort scan --format json` prints and what later
//! stages read. Documented by `docs/catalog.schema.json`; bump
//! [`SCHEMA_VERSION`] on incompatible changes.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use retort_python::{Diagnostic, ImportRoot};

pub const SCHEMA_VERSION: u32 = 1;

/// A `file:line` location relative to the scanned root.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
pub struct Location {
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Catalog {
    pub schema_version: u32,
    pub tool: String,
    pub summary: Summary,
    pub apps: Vec<App>,
    pub blueprints: Vec<Blueprint>,
    pub routes: Vec<Route>,
    pub error_handlers: Vec<Handler>,
    pub hooks: Vec<Handler>,
    pub extensions: Vec<Extension>,
    pub models: Vec<Model>,
    pub tasks: Vec<Task>,
    /// Custom URL converters registered on `url_map.converters`.
    #[serde(default)]
    pub converters: Vec<UrlConverter>,
    pub config_keys: Vec<ConfigKey>,
    pub dependencies: Vec<Dependency>,
    pub ci: Vec<CiPipeline>,
    pub diagnostics: Vec<Diagnostic>,
    /// Where the interpreter gave up following the code, and why: what lies
    /// beyond a stop may be missing from the catalog.
    #[serde(default)]
    pub stops: Vec<Stop>,
}

#[derive(Debug, Clone, Serialize, Default, JsonSchema)]
pub struct Summary {
    pub files: usize,
    pub lines: usize,
    pub bytes: u64,
    pub apps: usize,
    pub blueprints: usize,
    pub routes: usize,
    pub unresolved_routes: usize,
    pub skipped_test_files: usize,
    pub diagnostics: usize,
    /// The interpreter hit its step budget: results may be incomplete.
    pub budget_exhausted: bool,
    /// Routes whose rule, endpoint and methods are all known
    /// (`routes - unresolved_routes`): the only ones exported to OpenAPI and
    /// load scenarios.
    pub resolved_routes: usize,
    /// Where module names start: the scanned folder may itself be a package.
    pub import_root: ImportRoot,
    /// Set when the scanned folder was a plugin package of an application
    /// assembled from entry points: the folder and packages read instead
    /// (see `retort_python::plugin_host`). Routes' files are then relative
    /// to `plugin_host.root`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin_host: Option<retort_python::plugin_host::PluginHost>,
    /// Entries in `stops`.
    #[serde(default)]
    pub stops: usize,
    /// The interpreter's bounds: statements per unit (a module with its
    /// imports, or an entry point) and the deepest call chain followed.
    #[serde(default)]
    pub step_budget: usize,
    #[serde(default)]
    pub max_call_depth: usize,
    /// The most statements one unit evaluated (equal to `step_budget` when
    /// a unit ran out).
    #[serde(default)]
    pub most_steps: usize,
}

/// One place where the interpreter stopped following code.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
pub struct Stop {
    /// `step_budget` (a unit ran out of statements), `call_depth` (a call
    /// chain deeper than `max_call_depth`), `recursion` (a function
    /// re-entered on the same receiver), `unknown_callee` (a call of a value
    /// not known statically that receives an app, blueprint, API or admin),
    /// `config_condition` (a branch the project's own config rules out),
    /// `test_switch` (a branch taken only with a test or debug switch that
    /// is known only at run time, such as `if settings.is_test_db:`, not
    /// evaluated because the switch is off in a deployed app),
    /// `loop_bound` (a loop over more items than are unrolled),
    /// `default_assumed` (a run-time input, an environment variable or a
    /// command-line option, taken at the project's default where a URL or
    /// module name needed it: the routes it built carry the assumption).
    pub kind: String,
    pub reason: String,
    /// The function not followed (`module:qualname`), when there is one.
    pub function: Option<String>,
    /// Where it happened: the call or statement not evaluated.
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct App {
    /// `module:variable` or `module:factory()`: how Flask's CLI would name it.
    pub id: String,
    /// Set for an app that a project function builds and drops (a probe app
    /// built only to read its `url_map`): why it is taken for one. Its
    /// routes are not listed; blueprints registered only on it are reported
    /// as unresolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throwaway: Option<String>,
    pub class: String,
    pub import_name: Option<String>,
    pub factory: Option<String>,
    pub variable: Option<String>,
    pub file: String,
    pub line: u32,
    pub static_folder: Option<String>,
    pub static_url_path: Option<String>,
    pub config_sources: Vec<ConfigSource>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConfigSource {
    pub how: String,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Blueprint {
    /// The name it is registered under (dotted for nested blueprints).
    pub name: String,
    pub defined_name: Option<String>,
    pub app: Option<String>,
    pub parent: Option<String>,
    pub class: String,
    pub variable: Option<String>,
    pub file: String,
    pub line: u32,
    pub url_prefix: Option<String>,
    pub subdomain: Option<String>,
    pub registered_at: Option<Location>,
    pub conditions: Vec<String>,
}

/// Something that protects a route: an auth decorator or a
/// `before_request` hook of its app or blueprint.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord, JsonSchema)]
pub struct Guard {
    /// `decorator` or `before_request`.
    pub kind: String,
    pub name: String,
    pub file: String,
    pub line: u32,
    /// Looks like authentication or authorisation.
    pub auth: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, JsonSchema)]
pub struct Unresolved {
    pub reason: String,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Route {
    /// Flask rule syntax; `None` when it could not be determined.
    pub rule: Option<String>,
    /// Methods without the automatic HEAD and OPTIONS.
    pub methods: Vec<String>,
    pub endpoint: Option<String>,
    pub app: Option<String>,
    pub blueprint: Option<String>,
    /// `module:qualname` of the view.
    pub view: Option<String>,
    /// Where the rule is registered.
    pub file: String,
    pub line: u32,
    pub view_location: Option<Location>,
    pub subdomain: Option<String>,
    pub host: Option<String>,
    pub defaults: BTreeMap<String, String>,
    pub strict_slashes: Option<bool>,
    pub guards: Vec<Guard>,
    /// Other decorators wrapping the view (caching, rate limits, …).
    pub decorators: Vec<String>,
    /// Conditions under which the registration runs.
    pub conditions: Vec<String>,
    /// The extension that added it, if any.
    pub via: Option<String>,
    pub doc: Option<String>,
    /// `rule` is only the part the view declares: a blueprint prefix that
    /// applies to it could not be determined (its blueprint is never seen
    /// registered, or the `url_prefix` is unknown). Never a resolved route.
    pub rule_prefix_unknown: bool,
    /// The methods could not be determined; `methods` is then empty and
    /// means nothing (not GET).
    pub methods_unknown: bool,
    /// Set whenever any part of the route is unknown (with the first reason);
    /// consumers treat such a route as partial: not counted as resolved,
    /// not exported to OpenAPI or load scenarios.
    pub unresolved: Option<Unresolved>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Handler {
    pub kind: String,
    pub arg: Option<String>,
    pub function: String,
    pub app: Option<String>,
    pub blueprint: Option<String>,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Extension {
    pub kind: String,
    pub package: String,
    pub class: String,
    pub variable: Option<String>,
    pub file: String,
    pub line: u32,
    /// How it is wired: `constructor` or `init_app`, and where.
    pub wiring: Vec<Wiring>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Wiring {
    pub how: String,
    pub app: Option<String>,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Model {
    pub name: String,
    pub table: Option<String>,
    pub file: String,
    pub line: u32,
    pub columns: Vec<Column>,
    pub relationships: Vec<Relationship>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Column {
    pub name: String,
    pub type_: Option<String>,
    pub primary_key: bool,
    pub foreign_key: Option<String>,
    pub nullable: Option<bool>,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Relationship {
    pub name: String,
    pub target: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Task {
    pub name: String,
    pub function: String,
    pub decorator: String,
    pub options: BTreeMap<String, String>,
    pub file: String,
    pub line: u32,
}

/// A custom converter: `app.url_map.converters[name] = class`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UrlConverter {
    pub name: String,
    pub class: String,
    /// The class's `regex` attribute, when a string literal.
    pub regex: Option<String>,
    /// `__init__` sets `self.regex` from its arguments: the rule's first
    /// converter argument is the regex (`<regex("[a-z]+"):x>`).
    pub regex_from_argument: bool,
    pub weight: Option<u32>,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConfigKey {
    pub key: String,
    /// `read` or `set`.
    pub access: String,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Dependency {
    pub name: String,
    /// The version specifier as written (`==2.3.2`, `>=2`, empty if none).
    pub specifier: String,
    /// Pinned to one exact version.
    pub pinned: bool,
    pub file: String,
    pub line: u32,
    /// `requirements`, `pyproject`, `pipfile`, `setup.cfg`.
    pub source: String,
    pub dev: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CiPipeline {
    /// `github-actions`, `gitlab-ci`, …
    pub system: String,
    pub file: String,
    /// Steps detected by kind: test, lint, type-check, security, build, deploy.
    pub steps: Vec<CiStep>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CiStep {
    pub kind: String,
    pub command: String,
    pub line: u32,
}

/// The JSON Schema of the catalog (`docs/catalog.schema.json`).
pub fn json_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Catalog)).expect("schemas serialise");
    schema["$id"] = serde_json::json!(format!("urn:retort:catalog:v{SCHEMA_VERSION}"));
    schema["description"] =
        serde_json::json!("The catalog of a Flask codebase printed by `retort scan --format json`. Paths are relative to the scanned root.");
    schema
}
