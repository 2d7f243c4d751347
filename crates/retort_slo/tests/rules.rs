//! Prometheus rules: validated by `promtool check rules` and exercised by
//! `promtool test rules` on synthetic series (Debian: `apt-get install
//! prometheus`). Without promtool the tests say so and pass.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use retort_slo::rules::{generate, MetricNames};
use retort_slo::windows::Windows;
use retort_slo::Spec;

const SPEC: &str = "\
service = \"shop\"
[[objectives]]
name = \"availability\"
availability = \"99.9%\"

[[objectives]]
name = \"items latency\"
route = \"/items/<int:item_id>\"
methods = [\"GET\"]
latency = \"250ms\"
target = 0.99
window = \"28d\"
";

fn promtool() -> Option<&'static str> {
    match Command::new("promtool").arg("--version").output() {
        Ok(out) if out.status.success() => Some("promtool"),
        _ => {
            eprintln!(
                "SKIPPED: promtool not found (apt-get install -y prometheus); the generated rules were not validated"
            );
            None
        }
    }
}

fn rules_file(dir: &Path) -> std::path::PathBuf {
    let spec_path = dir.join("retort-slo.toml");
    std::fs::write(&spec_path, SPEC).unwrap();
    let spec = Spec::load(&spec_path).unwrap();
    let names = MetricNames { selector: "flask_http_request_total{job=\"shop\"}".into(), ..Default::default() };
    let yaml = generate(&spec, &Windows::sre_workbook(), &names, &BTreeMap::new()).unwrap();
    let path = dir.join("rules.yml");
    std::fs::write(&path, yaml).unwrap();
    path
}

#[test]
fn generated_rules_are_a_pure_function_of_the_spec() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let (ra, rb) = (rules_file(a.path()), rules_file(b.path()));
    let text = std::fs::read_to_string(ra).unwrap();
    assert_eq!(text, std::fs::read_to_string(rb).unwrap());
    // Every burn-rate and alert window is recorded, plus each SLO period.
    for w in ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d", "28d"] {
        assert!(text.contains(&format!("record: slo:sli_error:ratio_rate{w}\n")), "{w}");
    }
    assert!(text.contains("(14.4 * 0.0010000000000000009)"), "page factor on the 99.9% budget");
    assert!(text.contains("url_rule=\"/items/<int:item_id>\""));
    assert!(text.contains("le=\"0.25\""));
}

#[test]
fn promtool_check_rules_accepts_them() {
    let Some(promtool) = promtool() else { return };
    let dir = tempfile::tempdir().unwrap();
    let rules = rules_file(dir.path());
    let out = Command::new(promtool).args(["check", "rules"]).arg(&rules).output().unwrap();
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// 9 good and 1 failing request per second from minute 60 on (10% errors);
/// the latency histogram has 8 of 10 requests per second under 250 ms.
const PROMTOOL_TEST: &str = r#"
rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'flask_http_request_total{job="shop", status="200"}'
        values: '0+540x180'
      - series: 'flask_http_request_total{job="shop", status="500"}'
        values: '0x60 60+60x119'
      - series: 'flask_http_request_duration_seconds_count{url_rule="/items/<int:item_id>", method="GET"}'
        values: '0+600x180'
      - series: 'flask_http_request_duration_seconds_bucket{url_rule="/items/<int:item_id>", method="GET", le="0.25"}'
        values: '0+480x180'
    promql_expr_test:
      - expr: slo:sli_error:ratio_rate5m{sloth_slo="availability"}
        eval_time: 120m
        exp_samples:
          - labels: 'slo:sli_error:ratio_rate5m{sloth_id="shop-availability", sloth_service="shop", sloth_slo="availability", sloth_window="5m"}'
            value: 0.1
      - expr: slo:sli_error:ratio_rate5m{sloth_slo="items latency"}
        eval_time: 120m
        exp_samples:
          - labels: 'slo:sli_error:ratio_rate5m{sloth_id="shop-items-latency", sloth_service="shop", sloth_slo="items latency", sloth_window="5m"}'
            value: 0.2
    alert_rule_test:
      # Before any error: nothing fires.
      - eval_time: 30m
        alertname: AvailabilityErrorBudgetBurn
        exp_alerts: []
      # Three failing minutes in: 180 errors of 34 200 requests since the
      # start (0.53%) and 180 of 32 580 over 1h (0.55%) stay under both page
      # limits (6x = 0.6% over 6h, 14.4x = 1.44% over 1h), but are over the
      # ticket limits (3x = 0.3% over 1d and 2h, 1x = 0.1% over 3d and 6h).
      # (At 65m the 6h/30m page condition already holds: 0.87% > 0.6%.)
      - eval_time: 63m
        alertname: AvailabilityErrorBudgetBurn
        exp_alerts:
          - exp_labels: {sloth_id: shop-availability, sloth_service: shop, sloth_slo: availability, sloth_severity: ticket, severity: ticket}
            exp_annotations:
              summary: shop availability SLO error budget burn rate is over the expected.
              title: (ticket) shop availability SLO error budget burn rate is too fast.
      # An hour of 10% errors: page and ticket.
      - eval_time: 120m
        alertname: AvailabilityErrorBudgetBurn
        exp_alerts:
          - exp_labels: {sloth_id: shop-availability, sloth_service: shop, sloth_slo: availability, sloth_severity: page, severity: page}
            exp_annotations:
              summary: shop availability SLO error budget burn rate is over the expected.
              title: (page) shop availability SLO error budget burn rate is too fast.
          - exp_labels: {sloth_id: shop-availability, sloth_service: shop, sloth_slo: availability, sloth_severity: ticket, severity: ticket}
            exp_annotations:
              summary: shop availability SLO error budget burn rate is over the expected.
              title: (ticket) shop availability SLO error budget burn rate is too fast.
"#;

#[test]
fn promtool_test_rules_fires_page_and_ticket_at_the_right_times() {
    let Some(promtool) = promtool() else { return };
    let dir = tempfile::tempdir().unwrap();
    rules_file(dir.path());
    let test = dir.path().join("test.yml");
    std::fs::write(&test, PROMTOOL_TEST).unwrap();
    let out = Command::new(promtool).current_dir(dir.path()).args(["test", "rules", "test.yml"]).output().unwrap();
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
