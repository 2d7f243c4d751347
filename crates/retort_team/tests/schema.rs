//! `docs/team.schema.json` is generated from the report types; this test
//! fails when they drift. Regenerate with `UPDATE_SCHEMA=1 cargo test -p retort_team --test schema`.

#[test]
fn documented_schema_matches_the_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/team.schema.json");
    let generated = serde_json::to_string_pretty(&retort_team::report::json_schema()).unwrap() + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let documented = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        documented == generated,
        "docs/team.schema.json is stale: run UPDATE_SCHEMA=1 cargo test -p retort_team --test schema"
    );
}
