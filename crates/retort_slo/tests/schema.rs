//! The report's JSON Schema is generated from the types; this test keeps
//! the committed copy in `docs/` in sync (`UPDATE_SCHEMA=1` rewrites it).

use retort_slo::report::Report;

#[test]
fn report_schema_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/slo-report.schema.json");
    let generated = Report::json_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is out of date: run `UPDATE_SCHEMA=1 cargo test -p retort_slo --test schema`",
        path.display()
    );
    let schema: serde_json::Value = serde_json::from_str(&committed).unwrap();
    let objective = &schema["definitions"]["ObjectiveReport"];
    for field in ["name", "target", "sli", "good", "total", "budget_remaining", "alerts"] {
        assert!(objective["properties"].get(field).is_some(), "{field}");
    }
    // Always present; `sli` and `budget_remaining` are null without traffic.
    for field in ["name", "target", "good", "total", "alerts"] {
        assert!(objective["required"].as_array().unwrap().iter().any(|r| r == field), "{field}");
    }
}
