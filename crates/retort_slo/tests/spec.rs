//! Specs: OpenSLO v1 and the native TOML form, and their errors.

use std::path::Path;

use retort_slo::{Budgeting, Indicator, Scope, Spec};

fn openslo(text: &str) -> Result<Spec, String> {
    Spec::from_openslo(text, Path::new("slo.yaml")).map_err(|e| e.to_string())
}

const SEVERAL: &str = "\
apiVersion: openslo/v1
kind: SLI
metadata:
  name: items-fast
spec:
  ratioMetric:
    counter: true
    good:
      metricSource:
        type: access-log
        spec:
          route: /items/<int:item_id>
          latency: 250ms
    total:
      metricSource:
        type: access-log
        spec:
          route: /items/<int:item_id>
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: items
spec:
  service: shop
  indicatorRef: items-fast
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: tight
      target: 0.99
    - displayName: loose
      target: 0.9
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: p99
spec:
  service: shop
  indicator:
    metadata:
      name: p99-latency
    spec:
      thresholdMetric:
        metricSource:
          type: access-log
          spec:
            blueprint: admin
            latency: p99
  timeWindow:
    - duration: 7d
      isRolling: true
  budgetingMethod: Timeslices
  objectives:
    - target: 0.95
      op: lte
      value: 300
      timeSliceWindow: 5m
";

#[test]
fn openslo_with_an_sli_document_several_objectives_and_a_threshold_metric() {
    let spec = openslo(SEVERAL).unwrap();
    let names: Vec<&str> = spec.objectives.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["items/tight", "items/loose", "p99"]);
    let tight = &spec.objectives[0];
    assert_eq!(tight.scope, Scope::Route("/items/<int:item_id>".into()));
    assert_eq!(tight.indicator, Indicator::Latency { threshold_us: 250_000, quantile: None });
    assert_eq!(tight.target, 0.99);
    assert_eq!(tight.window_secs, 28 * 86_400);
    assert_eq!(tight.budgeting, Budgeting::Occurrences);
    assert_eq!(spec.objectives[1].target, 0.9);
    let p99 = &spec.objectives[2];
    assert_eq!(p99.scope, Scope::Blueprint("admin".into()));
    assert_eq!(p99.indicator, Indicator::Latency { threshold_us: 300_000, quantile: Some(0.99) });
    assert_eq!(p99.target, 0.95);
    assert_eq!(p99.budgeting, Budgeting::Timeslices { slice_secs: 300, slice_target: 0.99 });
    assert_eq!(p99.window_secs, 7 * 86_400);
}

#[test]
fn openslo_errors_name_file_line_and_field() {
    // A string target: the YAML parser's own error, with its line (33).
    let bad = SEVERAL.replace("target: 0.99\n", "target: high\n");
    let err = openslo(&bad).unwrap_err();
    assert!(err.starts_with("slo.yaml:33:"), "{err}");
    assert!(err.contains("target"), "{err}");
    // A target out of range: a semantic error, on the objective's line.
    let bad = SEVERAL.replace("target: 0.9\n", "target: 90\n");
    let err = openslo(&bad).unwrap_err();
    assert!(err.contains("spec.objectives[1].target"), "{err}");
    assert!(err.contains("slo.yaml:"), "{err}");
    // Unknown reference.
    let bad = SEVERAL.replace("indicatorRef: items-fast", "indicatorRef: nope");
    let err = openslo(&bad).unwrap_err();
    assert!(err.contains("slo.yaml:26: spec.indicatorRef: no SLI named `nope`"), "{err}");
    // Timeslices without a slice window.
    let bad = SEVERAL.replace("      timeSliceWindow: 5m\n", "");
    let err = openslo(&bad).unwrap_err();
    assert!(err.contains("timeSliceWindow"), "{err}");
    // Unknown budgeting method.
    let bad = SEVERAL.replace("budgetingMethod: Occurrences", "budgetingMethod: Sometimes");
    let err = openslo(&bad).unwrap_err();
    assert!(err.contains("spec.budgetingMethod: `Sometimes`"), "{err}");
    // A misspelt metric source key.
    let bad = SEVERAL.replace("          latency: 250ms", "          latancy: 250ms");
    let err = openslo(&bad).unwrap_err();
    assert!(err.contains("slo.yaml:13:") && err.contains("latancy"), "{err}");
    // Wrong apiVersion.
    let err = openslo("apiVersion: openslo/v2\nkind: SLO\n").unwrap_err();
    assert!(err.contains("slo.yaml:1: apiVersion"), "{err}");
}

#[test]
fn native_toml_and_pyproject() {
    let dir = tempfile::tempdir().unwrap();
    let native = "\
service = \"shop\"
window = \"28d\"

[[objectives]]
name = \"availability\"
availability = \"99.9%\"

[[objectives]]
name = \"items p95\"
route = \"/items/<int:item_id>\"
methods = [\"get\"]
latency = \"200ms\"
quantile = \"p95\"

[[objectives]]
name = \"admin\"
blueprint = \"admin\"
latency = \"1s\"
target = 0.9
budgeting = \"timeslices\"
timeslice = \"1m\"
timeslice_target = \"80%\"
window = \"7d\"
";
    let file = dir.path().join("retort-slo.toml");
    std::fs::write(&file, native).unwrap();
    let spec = Spec::load(&file).unwrap();
    assert_eq!(spec.objectives.len(), 3);
    assert_eq!(spec.objectives[0].indicator, Indicator::Availability);
    assert!((spec.objectives[0].target - 0.999).abs() < 1e-12);
    assert_eq!(spec.objectives[0].scope, Scope::Service);
    assert_eq!(spec.objectives[1].target, 0.95);
    assert_eq!(spec.objectives[1].methods, ["GET"]);
    assert_eq!(spec.objectives[1].indicator, Indicator::Latency { threshold_us: 200_000, quantile: Some(0.95) });
    assert_eq!(spec.objectives[2].budgeting, Budgeting::Timeslices { slice_secs: 60, slice_target: 0.8 });
    assert_eq!(spec.objectives[2].window_secs, 7 * 86_400);

    let py = dir.path().join("pyproject.toml");
    let text = format!(
        "[project]\nname = \"shop\"\n\n[tool.retort.slo]\n{}",
        native.replace("[[objectives]]", "[[tool.retort.slo.objectives]]")
    );
    std::fs::write(&py, text).unwrap();
    assert_eq!(Spec::load(&py).unwrap().objectives, spec.objectives);

    // Errors: unknown key (with the TOML parser's line), and a semantic one.
    std::fs::write(&file, "[[objectives]]\nname = \"a\"\navailabilty = \"99%\"\n").unwrap();
    let err = Spec::load(&file).unwrap_err().to_string();
    assert!(err.contains("retort-slo.toml") && err.contains("line 3") && err.contains("availabilty"), "{err}");
    std::fs::write(
        &file,
        "[[objectives]]\nname = \"a\"\n\n[[objectives]]\nname = \"b\"\nlatency = \"fast\"\ntarget = 0.9\n",
    )
    .unwrap();
    let err = Spec::load(&file).unwrap_err().to_string();
    assert!(err.contains("retort-slo.toml:2: objectives[0] (a).availability"), "{err}");
    std::fs::write(&file, "[[objectives]]\nname = \"b\"\nlatency = \"fast\"\ntarget = 0.9\n").unwrap();
    let err = Spec::load(&file).unwrap_err().to_string();
    assert!(err.contains("retort-slo.toml:2: objectives[0] (b).latency: `fast`"), "{err}");
}
