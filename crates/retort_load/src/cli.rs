//! The `retort load` command line.

use std::path::Path;

/// One route of the scanned Flask catalog, as the load engine needs it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RouteSpec {
    /// Flask rule syntax, e.g. `/users/<int:user_id>`.
    pub rule: String,
    /// Methods without HEAD/OPTIONS.
    pub methods: Vec<String>,
    pub endpoint: String,
}

#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// Target URL.
    pub url: Option<String>,
}

/// Runs `retort load`; returns the process exit code.
pub fn run(
    _args: LoadArgs,
    _scan_routes: &dyn Fn(&Path) -> anyhow::Result<Vec<RouteSpec>>,
) -> anyhow::Result<i32> {
    anyhow::bail!("retort load is not implemented yet")
}
