//! Manual run over real applications (not part of the default test run):
//! `RETORT_REALAPP=path cargo test -p retort_check --test realapps -- --ignored --nocapture`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use retort_check::{render_text, CheckConfig};

#[test]
#[ignore = "needs a real application checked out; set RETORT_REALAPP"]
fn check_a_real_application() {
    let Some(root) = std::env::var_os("RETORT_REALAPP") else { return };
    let project = load(Path::new(&root));
    let report = check_project(&project, &CheckConfig::default());
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        *by_code.entry(f.code.as_str()).or_default() += 1;
    }
    if std::env::var_os("RETORT_REALAPP_TEXT").is_some() {
        println!("{}", render_text(&report, &project, false));
    }
    println!("{} modules, {} findings: {by_code:?}", project.modules.len(), report.findings.len());
}
