//! `docs/rules/` is generated from the rules' own documentation; this test
//! fails when it drifts. Regenerate with `RETORT_BLESS=1 cargo test -p retort_check --test docs`.

use std::path::Path;

use retort_check::{rule_doc, rules};

fn expected() -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut index = String::from(
        "# Rules of `retort check`\n\nGenerated from `crates/retort_check/src/rules/` (`retort rule CODE` prints the same text).\n\n| code | name | category | severity | CWE | summary |\n|---|---|---|---|---|---|\n",
    );
    for rule in rules() {
        let cwe = rule.cwes().iter().map(|c| format!("CWE-{c}")).collect::<Vec<_>>().join(", ");
        index.push_str(&format!(
            "| [{code}]({code}.md) | {} | {} | {} | {cwe} | {} |\n",
            rule.name,
            rule.category.as_str(),
            rule.severity.as_str(),
            rule.summary.replace('|', "\\|"),
            code = rule.code
        ));
        files.push((format!("{}.md", rule.code), rule_doc(rule.code).unwrap()));
    }
    files.push(("README.md".to_string(), index));
    files
}

#[test]
fn docs_rules_match_the_rules() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let bless = std::env::var_os("RETORT_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
    }
    for (name, text) in expected() {
        let path = dir.join(&name);
        if bless {
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == text,
            "docs/rules/{name} is out of date: run RETORT_BLESS=1 cargo test -p retort_check --test docs"
        );
    }
}
