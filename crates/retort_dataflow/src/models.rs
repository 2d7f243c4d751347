//! Library models as data: one TOML table per library under `models/`
//! (documented in `docs/dataflow.md`), embedded in the binary and merged
//! with the project's `[tool.retort.dataflow]` entries.

use std::collections::HashMap;

use serde::Deserialize;

use crate::config::DataflowConfig;

/// What a sink does with the data that reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SinkKind {
    Sql,
    Command,
    Path,
    Ssti,
    Xss,
    Redirect,
    Ssrf,
    #[serde(alias = "deserialization")]
    Deserialisation,
    Code,
    Xxe,
    Ldap,
    Xpath,
    TrustBoundary,
    Log,
}

impl SinkKind {
    pub const ALL: [SinkKind; 14] = [
        SinkKind::Sql,
        SinkKind::Command,
        SinkKind::Path,
        SinkKind::Ssti,
        SinkKind::Xss,
        SinkKind::Redirect,
        SinkKind::Ssrf,
        SinkKind::Deserialisation,
        SinkKind::Code,
        SinkKind::Xxe,
        SinkKind::Ldap,
        SinkKind::Xpath,
        SinkKind::TrustBoundary,
        SinkKind::Log,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SinkKind::Sql => "sql",
            SinkKind::Command => "command",
            SinkKind::Path => "path",
            SinkKind::Ssti => "ssti",
            SinkKind::Xss => "xss",
            SinkKind::Redirect => "redirect",
            SinkKind::Ssrf => "ssrf",
            SinkKind::Deserialisation => "deserialisation",
            SinkKind::Code => "code",
            SinkKind::Xxe => "xxe",
            SinkKind::Ldap => "ldap",
            SinkKind::Xpath => "xpath",
            SinkKind::TrustBoundary => "trust-boundary",
            SinkKind::Log => "log",
        }
    }

    /// Sinks where only data at the start of the value matters: a URL whose
    /// scheme and host are fixed cannot point elsewhere.
    pub fn prefix_only(self) -> bool {
        matches!(self, SinkKind::Redirect | SinkKind::Ssrf)
    }

    /// A bit for sets of kinds ([`KindSet`]).
    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A small set of sink kinds (the kinds a value was sanitised for).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindSet(u16);

impl KindSet {
    pub const EMPTY: KindSet = KindSet(0);
    pub const ALL: KindSet = KindSet(u16::MAX);

    pub fn of(kinds: &[SinkKind]) -> KindSet {
        if kinds.is_empty() {
            return KindSet::ALL;
        }
        KindSet(kinds.iter().fold(0, |bits, k| bits | k.bit()))
    }

    pub fn contains(self, kind: SinkKind) -> bool {
        self.0 & kind.bit() != 0
    }

    pub fn union(self, other: KindSet) -> KindSet {
        KindSet(self.0 | other.0)
    }

    pub fn intersection(self, other: KindSet) -> KindSet {
        KindSet(self.0 & other.0)
    }

    /// The set without `kind`.
    pub const fn without(self, kind: SinkKind) -> KindSet {
        KindSet(self.0 & !kind.bit())
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// How sure a flow is, from how it was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Through name-based heuristics or calls nothing models.
    Low,
    /// Through library models, object attributes or other functions.
    Medium,
    /// Direct, inside one function, through the language's own operations.
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// Parses `high`, `medium` or `low` (case-insensitive).
    pub fn parse(text: &str) -> Option<Confidence> {
        match text.to_ascii_lowercase().as_str() {
            "high" => Some(Confidence::High),
            "medium" => Some(Confidence::Medium),
            "low" => Some(Confidence::Low),
            _ => None,
        }
    }
}

/// One library's table, as written in `models/<library>.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    library: String,
    /// How sure flows through this library's propagators are.
    confidence: Confidence,
    #[serde(default)]
    source: Vec<SourceEntry>,
    #[serde(default)]
    propagator: Vec<PropagatorEntry>,
    #[serde(default)]
    sanitiser: Vec<SanitiserEntry>,
    #[serde(default)]
    validator: Vec<ValidatorEntry>,
    #[serde(default)]
    sink: Vec<SinkEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    /// The object whose attributes or methods are sources (`flask.request`).
    object: Option<String>,
    #[serde(default)]
    attributes: Vec<String>,
    #[serde(default)]
    methods: Vec<String>,
    /// Functions whose return value is a source.
    #[serde(default)]
    calls: Vec<String>,
    /// `form.<field>.<this>` on a name ending in `form`.
    form_field_attribute: Option<String>,
    #[serde(default)]
    requires_import: Vec<String>,
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PropagatorEntry {
    #[serde(default)]
    calls: Vec<String>,
    #[serde(default)]
    methods: Vec<String>,
    from: String,
    to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SanitiserEntry {
    #[serde(default)]
    calls: Vec<String>,
    #[serde(default)]
    methods: Vec<String>,
    #[serde(default)]
    kinds: Vec<SinkKind>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidatorEntry {
    #[serde(default)]
    calls: Vec<String>,
    #[serde(default)]
    methods: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SinkEntry {
    #[serde(default)]
    calls: Vec<String>,
    #[serde(default)]
    methods: Vec<String>,
    kind: SinkKind,
    arg: Option<usize>,
    keyword: Option<String>,
    #[serde(default)]
    receiver: bool,
    requires_true: Option<String>,
    #[serde(default)]
    argv: bool,
    #[serde(default)]
    requires_import: Vec<String>,
    #[serde(default)]
    handler_returns_html: bool,
    subscript_store: Option<String>,
    /// Calls that, made anywhere in the project at a module's top level,
    /// make the sink harmless (`js2py.disable_pyimport()`).
    #[serde(default)]
    disarmed_by: Vec<String>,
}

/// Where a propagator takes data from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum From {
    /// Every positional and keyword argument.
    Args,
    Arg(usize),
    Receiver,
    /// The receiver and every argument.
    Any,
}

/// Where a propagator puts it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum To {
    Return,
    Receiver,
}

#[derive(Debug, Clone)]
pub struct Propagator {
    pub from: From,
    pub to: To,
    pub library: String,
    pub confidence: Confidence,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub description: String,
    pub requires_import: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SinkModel {
    pub kind: SinkKind,
    pub arg: Option<usize>,
    pub keyword: Option<String>,
    pub receiver: bool,
    pub requires_true: Option<String>,
    pub argv: bool,
    pub requires_import: Vec<String>,
    pub disarmed_by: Vec<String>,
}

/// Every model the engine uses, looked up by qualified call name
/// (`os.path.join`) or by method name (`append`).
#[derive(Debug, Clone, Default)]
pub struct Models {
    /// Objects whose attributes are sources, by qualified name, with the
    /// attribute names.
    pub source_attributes: HashMap<String, Vec<String>>,
    pub source_object_methods: HashMap<String, Vec<String>>,
    pub source_calls: HashMap<String, Source>,
    pub source_methods: HashMap<String, Source>,
    pub form_field_attributes: Vec<(String, String)>,
    pub propagator_calls: HashMap<String, Propagator>,
    pub propagator_methods: HashMap<String, Propagator>,
    pub sanitiser_calls: HashMap<String, KindSet>,
    pub sanitiser_methods: HashMap<String, KindSet>,
    pub validator_calls: Vec<String>,
    pub validator_methods: Vec<String>,
    pub sink_calls: HashMap<String, Vec<SinkModel>>,
    pub sink_methods: HashMap<String, Vec<SinkModel>>,
    pub html_return_sink: bool,
    /// Objects whose items must not be set from request data (`flask.session`).
    pub subscript_store_sinks: Vec<(String, SinkKind)>,
    /// Names of the libraries modelled, for documentation and tests.
    pub libraries: Vec<String>,
}

/// The embedded tables, one per library.
pub const BUILTIN_TABLES: &[(&str, &str)] = &[
    ("builtins", include_str!("../models/builtins.toml")),
    ("flask", include_str!("../models/flask.toml")),
    ("forms", include_str!("../models/forms.toml")),
    ("os", include_str!("../models/os.toml")),
    ("pathlib", include_str!("../models/pathlib.toml")),
    ("codecs", include_str!("../models/codecs.toml")),
    ("json", include_str!("../models/json.toml")),
    ("urllib", include_str!("../models/urllib.toml")),
    ("jwt", include_str!("../models/jwt.toml")),
    ("configparser", include_str!("../models/configparser.toml")),
    ("jinja2", include_str!("../models/jinja2.toml")),
    ("ldap", include_str!("../models/ldap.toml")),
    ("lxml", include_str!("../models/lxml.toml")),
    ("js2py", include_str!("../models/js2py.toml")),
    ("validators", include_str!("../models/validators.toml")),
];

/// A model table that does not read.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelError(pub String);

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ModelError {}

impl Models {
    /// The built-in tables with the project's configuration added.
    pub fn new(config: &DataflowConfig) -> Result<Models, ModelError> {
        let mut models = Models::default();
        for (name, text) in BUILTIN_TABLES {
            models.add_table(name, text)?;
        }
        models.add_config(config)?;
        Ok(models)
    }

    /// Adds one table (TOML text in the format of `models/*.toml`).
    pub fn add_table(&mut self, name: &str, text: &str) -> Result<(), ModelError> {
        let file: ModelFile = toml::from_str(text).map_err(|e| ModelError(format!("model table {name}: {e}")))?;
        self.libraries.push(file.library.clone());
        for source in file.source {
            let description = source.description.clone();
            if let Some(object) = &source.object {
                if !source.attributes.is_empty() {
                    self.source_attributes.entry(object.clone()).or_default().extend(source.attributes.iter().cloned());
                }
                if !source.methods.is_empty() {
                    self.source_object_methods
                        .entry(object.clone())
                        .or_default()
                        .extend(source.methods.iter().cloned());
                }
            } else {
                for method in &source.methods {
                    let description = description.clone().unwrap_or_else(|| format!("`{method}()`"));
                    let source = Source { description, requires_import: source.requires_import.clone() };
                    self.source_methods.insert(method.clone(), source);
                }
            }
            for call in &source.calls {
                let description = description.clone().unwrap_or_else(|| format!("`{call}()`"));
                self.source_calls
                    .insert(call.clone(), Source { description, requires_import: source.requires_import.clone() });
            }
            if let Some(attribute) = &source.form_field_attribute {
                let description = description.clone().unwrap_or_else(|| format!("a form field's `.{attribute}`"));
                self.form_field_attributes.push((attribute.clone(), description));
            }
        }
        for entry in file.propagator {
            let from = parse_from(&entry.from).ok_or_else(|| {
                ModelError(format!(
                    "model table {name}: `from = \"{}\"` is not args, arg:N, receiver or any",
                    entry.from
                ))
            })?;
            let to = match entry.to.as_str() {
                "return" => To::Return,
                "receiver" => To::Receiver,
                other => {
                    return Err(ModelError(format!("model table {name}: `to = \"{other}\"` is not return or receiver")))
                }
            };
            let propagator = Propagator { from, to, library: file.library.clone(), confidence: file.confidence };
            for call in entry.calls {
                self.propagator_calls.insert(call, propagator.clone());
            }
            for method in entry.methods {
                self.propagator_methods.insert(method, propagator.clone());
            }
        }
        for entry in file.sanitiser {
            let kinds = KindSet::of(&entry.kinds);
            for call in entry.calls {
                self.sanitiser_calls.insert(call, kinds);
            }
            for method in entry.methods {
                self.sanitiser_methods.insert(method, kinds);
            }
        }
        for entry in file.validator {
            self.validator_calls.extend(entry.calls);
            self.validator_methods.extend(entry.methods);
        }
        for entry in file.sink {
            if entry.handler_returns_html {
                self.html_return_sink = true;
                continue;
            }
            if let Some(object) = entry.subscript_store {
                self.subscript_store_sinks.push((object, entry.kind));
                continue;
            }
            if entry.arg.is_none() && entry.keyword.is_none() && !entry.receiver {
                return Err(ModelError(format!(
                    "model table {name}: a sink needs `arg`, `keyword` or `receiver = true`"
                )));
            }
            let model = SinkModel {
                kind: entry.kind,
                arg: entry.arg,
                keyword: entry.keyword,
                receiver: entry.receiver,
                requires_true: entry.requires_true,
                argv: entry.argv,
                requires_import: entry.requires_import,
                disarmed_by: entry.disarmed_by,
            };
            for call in entry.calls {
                self.sink_calls.entry(call).or_default().push(model.clone());
            }
            for method in entry.methods {
                self.sink_methods.entry(method).or_default().push(model.clone());
            }
        }
        Ok(())
    }

    fn add_config(&mut self, config: &DataflowConfig) -> Result<(), ModelError> {
        for source in &config.sources {
            self.source_calls.insert(
                source.clone(),
                Source { description: format!("`{source}()` (configured source)"), requires_import: Vec::new() },
            );
        }
        for sanitiser in &config.sanitisers {
            self.sanitiser_calls.insert(sanitiser.call.clone(), KindSet::of(&sanitiser.kinds));
        }
        self.validator_calls.extend(config.validators.iter().cloned());
        for sink in &config.sinks {
            let model = SinkModel {
                kind: sink.kind,
                arg: Some(sink.arg.unwrap_or(0)),
                keyword: sink.keyword.clone(),
                receiver: false,
                requires_true: None,
                argv: false,
                requires_import: Vec::new(),
                disarmed_by: Vec::new(),
            };
            self.sink_calls.entry(sink.call.clone()).or_default().push(model);
        }
        Ok(())
    }
}

fn parse_from(text: &str) -> Option<From> {
    match text {
        "args" => Some(From::Args),
        "receiver" => Some(From::Receiver),
        "any" => Some(From::Any),
        other => other.strip_prefix("arg:")?.parse().ok().map(From::Arg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_tables_read() {
        let models = Models::new(&DataflowConfig::default()).expect("built-in tables are valid");
        assert_eq!(models.libraries.len(), BUILTIN_TABLES.len());
        assert!(models.propagator_calls.contains_key("os.path.join"));
        assert!(models.sink_methods.contains_key("from_string"));
        assert!(models.html_return_sink);
    }

    #[test]
    fn a_bad_table_is_an_error_not_a_panic() {
        let mut models = Models::default();
        let err = models
            .add_table("x", "library = \"x\"\nconfidence = \"high\"\n[[sink]]\ncalls = [\"f\"]\nkind = \"sql\"\n");
        assert!(err.unwrap_err().0.contains("needs `arg`"));
        let err = models.add_table("x", "library = \"x\"\nconfidence = \"high\"\nwhat = 1\n");
        assert!(err.unwrap_err().0.contains("unknown field"));
    }
}
