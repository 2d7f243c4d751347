//! The result file's JSON Schema is generated from the types; this test
//! keeps the committed copy in sync (`UPDATE_SCHEMA=1 cargo test` rewrites it).

use retort_load::result::RunResult;

#[test]
fn result_schema_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("result.schema.json");
    let generated = RunResult::json_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date: run `UPDATE_SCHEMA=1 cargo test -p retort_load --test schema`",
        path.display()
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let required = schema["required"].as_array().unwrap();
    for field in ["schema_version", "totals", "requests", "timeline", "thresholds"] {
        assert!(required.iter().any(|r| r == field), "{field}");
    }
}
