//! `[tool.retort.dataflow]`: the project's own sources, sinks, sanitisers
//! and validators, added to the library models. Unknown keys are errors.

use serde::Deserialize;

use crate::models::SinkKind;

/// The project's additions to the library models.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct DataflowConfig {
    /// Functions whose return value is client-controlled (`myapp.get_input`).
    pub sources: Vec<String>,
    /// Calls that must not receive client data.
    pub sinks: Vec<SinkConfig>,
    /// Functions whose result carries no client data into a sink (of the
    /// given kinds; all kinds when none is given).
    #[serde(alias = "sanitizers")]
    pub sanitisers: Vec<SanitiserConfig>,
    /// Functions that, used as an `if` test or called for their effect
    /// (raising on bad input), make their arguments safe.
    pub validators: Vec<String>,
}

/// `{ call = "myapp.db.raw_query", kind = "sql", arg = 0 }`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SinkConfig {
    /// The qualified name of the function (`myapp.db.raw_query`) or the
    /// name as called (`raw_query`).
    pub call: String,
    pub kind: SinkKind,
    /// The argument that must stay clean (position; default 0).
    pub arg: Option<usize>,
    /// The same argument passed by keyword.
    pub keyword: Option<String>,
}

/// `"myapp.clean"` or `{ call = "myapp.clean_path", kinds = ["path"] }`.
#[derive(Deserialize)]
#[serde(untagged)]
enum SanitiserSpec {
    Call(String),
    Detailed(DetailedSanitiser),
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(from = "SanitiserSpec")]
pub struct SanitiserConfig {
    pub call: String,
    pub kinds: Vec<SinkKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DetailedSanitiser {
    call: String,
    #[serde(default)]
    kinds: Vec<SinkKind>,
}

impl From<SanitiserSpec> for SanitiserConfig {
    fn from(spec: SanitiserSpec) -> SanitiserConfig {
        match spec {
            SanitiserSpec::Call(call) => SanitiserConfig { call, kinds: Vec::new() },
            SanitiserSpec::Detailed(d) => SanitiserConfig { call: d.call, kinds: d.kinds },
        }
    }
}
