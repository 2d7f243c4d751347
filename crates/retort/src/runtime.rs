//! Opt-in runtime truth: `--runtime pkg:create_app()` asks the user's own
//! interpreter to build the app and dump its `url_map`, then compares it
//! with the static catalog. This imports and runs the user's code, so it
//! only happens when asked.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context};
use retort_flask::Catalog;
use serde::{Deserialize, Serialize};

/// The dumper, run by the user's interpreter.
const DUMP_SCRIPT: &str = r#"
import importlib, json, sys
root, entry = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
module_name, _, attr = entry.partition(":")
module = importlib.import_module(module_name)
attr = attr or "app"
if attr.endswith(")"):
    app = eval(attr, vars(module))
else:
    app = getattr(module, attr)
routes = []
for rule in app.url_map.iter_rules():
    routes.append({
        "rule": rule.rule,
        "endpoint": rule.endpoint,
        "methods": sorted(m for m in (rule.methods or ()) if m not in ("HEAD", "OPTIONS")),
        "subdomain": rule.subdomain or None,
        "host": rule.host or None,
    })
json.dump({"routes": routes}, sys.stdout)
"#;

#[derive(Debug, Deserialize, Serialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuntimeRoute {
    pub rule: String,
    pub endpoint: String,
    pub methods: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Dump {
    routes: Vec<RuntimeRoute>,
}

/// How the static catalog compares with the running app.
#[derive(Debug, Serialize)]
pub struct Comparison {
    pub entry: String,
    pub runtime_routes: usize,
    pub matched: usize,
    /// In the running app, not found statically.
    pub missed: Vec<RuntimeRoute>,
    /// Found statically, not in the running app.
    pub invented: Vec<RuntimeRoute>,
}

pub fn compare(root: &Path, entry: &str, python: &Path, catalog: &Catalog) -> anyhow::Result<Comparison> {
    let output = Command::new(python)
        .arg("-c")
        .arg(DUMP_SCRIPT)
        .arg(root)
        .arg(entry)
        .output()
        .with_context(|| format!("cannot run {}", python.display()))?;
    if !output.status.success() {
        bail!("building the app with `{entry}` failed:\n{}", String::from_utf8_lossy(&output.stderr).trim_end());
    }
    let dump: Dump = serde_json::from_slice(&output.stdout).context("the runtime dump is not valid JSON")?;
    let runtime: BTreeSet<RuntimeRoute> = dump.routes.into_iter().collect();
    let static_routes: BTreeSet<RuntimeRoute> = catalog
        .routes
        .iter()
        .filter(|r| r.unresolved.is_none())
        .filter_map(|r| {
            let mut methods: Vec<String> =
                r.methods.iter().filter(|m| *m != "HEAD" && *m != "OPTIONS").cloned().collect();
            methods.sort();
            Some(RuntimeRoute { rule: r.rule.clone()?, endpoint: r.endpoint.clone()?, methods })
        })
        .collect();
    Ok(Comparison {
        entry: entry.to_string(),
        runtime_routes: runtime.len(),
        matched: runtime.intersection(&static_routes).count(),
        missed: runtime.difference(&static_routes).cloned().collect(),
        invented: static_routes.difference(&runtime).cloned().collect(),
    })
}

pub fn render(comparison: &Comparison) -> String {
    let mut out = format!(
        "\nRuntime check ({}): {} of {} runtime routes found statically, {} missed, {} not in the running app\n",
        comparison.entry,
        comparison.matched,
        comparison.runtime_routes,
        comparison.missed.len(),
        comparison.invented.len()
    );
    for route in &comparison.missed {
        out.push_str(&format!("  missed:   {} {} ({})\n", route.methods.join(","), route.rule, route.endpoint));
    }
    for route in &comparison.invented {
        out.push_str(&format!("  invented: {} {} ({})\n", route.methods.join(","), route.rule, route.endpoint));
    }
    out
}
