//! What `retort arch --format json` prints. Documented by
//! `docs/arch.schema.json` (generated from these types); bump
//! [`SCHEMA_VERSION`] on incompatible changes.

use schemars::JsonSchema;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ArchReport {
    pub schema_version: u32,
    pub tool: String,
    pub summary: Summary,
    pub components: Vec<Component>,
    /// Component → component dependencies (module imports crossing a boundary).
    pub dependencies: Vec<ComponentDependency>,
    /// Project-internal module imports, one per imported object (grimp's edges).
    pub imports: Vec<Import>,
    /// Top-level external packages imported, with how many modules import each.
    pub external_imports: Vec<ExternalImport>,
    /// Imports that point into the project but name no module found.
    pub unresolved_imports: Vec<UnresolvedImport>,
    /// Module-level import cycles (strongly connected components).
    pub cycles: Vec<Cycle>,
    /// Cycles between components.
    pub component_cycles: Vec<ComponentCycle>,
    pub contracts: Vec<ContractResult>,
    /// Every model of the catalog: the component defining it and the other
    /// components importing it by name.
    pub shared_models: Vec<SharedModel>,
    /// Foreign keys whose referenced table belongs to another component.
    pub cross_component_foreign_keys: Vec<ForeignKey>,
    /// Tasks imported (to be enqueued) by a component other than their own.
    pub shared_tasks: Vec<SharedModel>,
    pub hotspots: Vec<Hotspot>,
    pub coupling: Coupling,
    pub plan: Plan,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Summary {
    pub modules: usize,
    pub imports: usize,
    pub components: usize,
    pub cycles: usize,
    pub contracts: usize,
    pub broken_contracts: usize,
    /// How components were chosen: `blueprints` (default) or `configured`.
    pub components_from: String,
    /// Where the history came from and what it covers; `null` without history.
    pub history: Option<HistoryWindow>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HistoryWindow {
    pub commits: usize,
    pub newest_commit: Option<String>,
    pub oldest_commit: Option<String>,
    pub complete: bool,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Component {
    pub name: String,
    /// `blueprint`, `configured` or `core`.
    pub origin: String,
    /// Module prefixes it owns (empty for core: everything unclaimed).
    pub packages: Vec<String>,
    pub blueprints: Vec<String>,
    pub modules: usize,
    pub lines: usize,
    /// Components it imports / that import it.
    pub fan_out: Vec<String>,
    pub fan_in: Vec<String>,
    /// Martin's afferent coupling: modules outside importing a module inside.
    pub afferent: usize,
    /// Martin's efferent coupling: modules inside importing a module outside.
    pub efferent: usize,
    /// efferent / (afferent + efferent); 0 stable … 1 unstable; `null` when isolated.
    pub instability: Option<f64>,
    pub routes: usize,
    /// Commits touching it in the history window (`null` without history).
    pub revisions: Option<u32>,
    /// Lines added and removed in its Python files in the history window
    /// (`null` without history).
    pub churn: Option<ComponentChurn>,
    /// Celery (and similar) tasks defined in it.
    pub tasks: Vec<String>,
    /// Who authors its Python files (`null` without history).
    pub ownership: Option<Ownership>,
}

/// Churn of a component: lines added and removed (git's `--numstat`) in
/// its Python files that exist today, each followed through its renames
/// (code-maat's `entity-churn`, summed per component).
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct ComponentChurn {
    pub added: u64,
    pub removed: u64,
    /// `added + removed`.
    pub total: u64,
    /// Changes whose line counts are unknown (binary, unreadable blob):
    /// counted as revisions, not as churn.
    pub uncounted_changes: u32,
    /// Per file, most churn first.
    pub files: Vec<FileChurn>,
}

/// One file's revisions and churn; `file` is relative to the repository root.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FileChurn {
    pub file: String,
    pub revisions: u32,
    pub added: u64,
    pub removed: u64,
    /// `added + removed`.
    pub total: u64,
}

/// Authorship of a component's Python files, by `retort team`'s
/// definitions (degree of authorship, truck factor; `docs/team.md`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Ownership {
    /// Files alive at the newest commit with history in the window.
    pub files: usize,
    /// Avelino's truck factor over these files, everyone counted.
    pub truck_factor: usize,
    /// The same with developers inactive for six months counted as gone.
    pub active_truck_factor: usize,
    /// Files whose authors are all inactive (knowledge already lost).
    pub orphaned_files: usize,
    /// Main authors, most files first: `Name (N files[, inactive])`.
    pub authors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ComponentDependency {
    pub from: String,
    pub to: String,
    /// Import statements behind it.
    pub imports: usize,
    /// All of them are inside functions or under TYPE_CHECKING.
    pub deferred_only: bool,
}

/// One import: `from` imports `to` at `file:line` (`file` is the importer's).
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
pub struct Import {
    pub from: String,
    pub to: String,
    pub file: String,
    pub line: u32,
    /// Inside a function body (absent when false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub in_function: bool,
    /// Under `if TYPE_CHECKING:` (absent when false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub type_checking: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExternalImport {
    pub package: String,
    pub importers: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnresolvedImport {
    pub name: String,
    pub file: String,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Cycle {
    /// Modules of the strongly connected component.
    pub modules: Vec<String>,
    /// The shortest cycle found, as imports (`a -> b -> … -> a`).
    pub chain: Vec<Import>,
    /// Imports to cut first: a small weighted feedback-arc set (Eades-Lin-Smyth).
    pub breakers: Vec<Import>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ComponentCycle {
    pub components: Vec<String>,
    /// Component pairs to cut first, with the imports behind each.
    pub breakers: Vec<ComponentBreaker>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ComponentBreaker {
    pub from: String,
    pub to: String,
    pub imports: Vec<Import>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ContractResult {
    pub name: String,
    /// `forbidden`, `independence`, `layers`, `acyclic_siblings`, `protected`, `components`.
    pub kind: String,
    /// Where it is declared (`.importlinter`, `setup.cfg`, `pyproject.toml`).
    pub source: String,
    /// `kept`, `broken`, or `error` (the contract could not be checked).
    pub verdict: String,
    pub violations: Vec<Violation>,
    /// Why a contract is `error`, and ignored imports that matched nothing.
    pub messages: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Violation {
    /// In words: `shop.orders is not allowed to import shop.cart`.
    pub summary: String,
    /// The offending chain, one import per link, with file:line.
    pub chain: Vec<Import>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SharedModel {
    pub model: String,
    pub table: Option<String>,
    pub file: String,
    pub line: u32,
    /// The component defining it.
    pub owner: String,
    /// Components whose modules import the model's module.
    pub used_by: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ForeignKey {
    pub model: String,
    pub column: String,
    /// `table.column` as written.
    pub references: String,
    pub file: String,
    pub line: u32,
    pub from_component: String,
    pub to_component: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Hotspot {
    pub file: String,
    pub component: String,
    pub revisions: u32,
    pub lines: usize,
    /// Lines added and removed in the history window (git's `--numstat`).
    pub added: u64,
    pub removed: u64,
    /// revisions × lines (code-maat's hotspot measure).
    pub score: u64,
    /// Indentation complexity of the file today (sum of logical indentation
    /// levels; Tornhill's whitespace complexity).
    pub complexity: u64,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Coupling {
    pub files: Vec<FileCoupling>,
    pub components: Vec<ComponentCoupling>,
}

/// Two files that change together (code-maat's logical coupling); paths
/// relative to the repository root.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FileCoupling {
    pub a: String,
    pub b: String,
    pub shared_revisions: u32,
    pub degree: f64,
    /// The two files are in different components.
    pub cross_component: bool,
    /// Cross-component and no import between the two components explains it.
    pub hidden: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ComponentCoupling {
    pub a: String,
    pub b: String,
    pub shared_revisions: u32,
    pub degree: f64,
    /// No import between the two components explains it.
    pub hidden: bool,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Plan {
    /// Components by extraction readiness, best candidate first.
    pub candidates: Vec<Candidate>,
    /// "When to move": per quarter, commits touching blueprint components
    /// and the share touching two or more (release coordination).
    pub quarters: Vec<QuarterSignal>,
    /// "When to move": uneven scaling needs (route counts, load results if given).
    pub scaling: ScalingSignal,
    /// Why a plan is partial (no history, no blueprints, …).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QuarterSignal {
    /// 0 = the 91-day window ending at the newest commit.
    pub quarters_ago: u32,
    pub commits: u32,
    pub multi_component_commits: u32,
    pub share: f64,
}

/// Which components carry uneven scaling needs: each component's share of
/// the routes and, with `--load`, of a `retort load` run's requests.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct ScalingSignal {
    /// The load result read with `--load` (`null` without).
    pub load: Option<LoadRunSummary>,
    /// Per component, in `components` order.
    pub components: Vec<ComponentScaling>,
    /// Request names of the load result no catalog route explains, with why.
    pub unmapped: Vec<UnmappedLoad>,
    /// Components whose share of routes or of the load stands out, one
    /// evidence line each.
    pub uneven: Vec<UnevenScaling>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LoadRunSummary {
    /// The result file, as given to `--load`.
    pub source: String,
    /// The URL the run targeted.
    pub target: String,
    pub duration_s: f64,
    /// Requests of every request name together.
    pub requests: u64,
    /// Those whose name maps to a component.
    pub mapped_requests: u64,
    pub unmapped_requests: u64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ComponentScaling {
    pub component: String,
    /// Its routes (as `components[].routes`).
    pub routes: usize,
    /// Its share of the service's routes (0 … 1).
    pub route_share: f64,
    /// What the load run measured on its routes (`null` without `--load`
    /// or when no request reached it).
    pub traffic: Option<TrafficShare>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TrafficShare {
    /// The load result's request names mapped to it.
    pub load_names: Vec<String>,
    pub requests: u64,
    /// Its share of all requests of the run (0 … 1).
    pub share: f64,
    /// Requests per second over the run's duration.
    pub rate: f64,
    /// errors / requests.
    pub error_rate: f64,
    /// Latency percentiles of its requests, from the merged histograms (µs).
    pub p95_us: u64,
    pub p99_us: u64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnmappedLoad {
    pub name: String,
    pub method: String,
    pub requests: u64,
    /// Its share of all requests of the run (0 … 1).
    pub share: f64,
    /// Why no component: no route matches, only another method does, or
    /// routes of several components match.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnevenScaling {
    pub component: String,
    /// `routes`, `requests`, `latency` or `errors`.
    pub factor: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Candidate {
    pub component: String,
    /// 0 (entangled) … 100 (ready to extract).
    pub readiness: u32,
    /// Each deduction with its evidence.
    pub evidence: Vec<Evidence>,
    /// Imports into this component from others, to replace by API calls or events.
    pub inbound_cuts: Vec<Import>,
    /// Imports from this component into others, to replace by API calls or events.
    pub outbound_cuts: Vec<Import>,
    /// Routes that become the new service's API (`METHOD rule`).
    pub api: Vec<String>,
    /// The same routes as an OpenAPI 3.1 paths object (a subset of `retort openapi`).
    pub openapi_paths: serde_json::Value,
    /// Files of this component that co-change with files of others (to separate).
    pub co_changing_files: Vec<FileCoupling>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Evidence {
    pub factor: String,
    pub value: f64,
    /// Points taken off the readiness score.
    pub penalty: f64,
    pub detail: String,
}

/// The JSON Schema of the report (`docs/arch.schema.json`).
pub fn json_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(ArchReport)).expect("schemas serialise");
    schema["$id"] = serde_json::json!(format!("urn:retort:arch:v{SCHEMA_VERSION}"));
    schema["description"] = serde_json::json!(
        "The architecture assessment printed by `retort arch --format json`. Module paths are relative to the scanned root; coupling paths to the repository root."
    );
    schema
}
