//! Autofix: each fixable rule has a fixture pair (`tests/fixes/CODE.py`
//! and the expected `CODE.fixed.py`); the fixed code is checked again and
//! the rule no longer fires; on a copy of the example service, applying
//! every fix removes exactly the fixable findings.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use retort_check::fix::{apply, fixes, Applicability, FIXABLE};
use retort_check::{CheckConfig, Report};
use retort_python::Project;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixes").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn count(report: &Report, code: &str) -> usize {
    report.findings.iter().filter(|f| f.code == code).count()
}

#[test]
fn every_fixture_pair_fixes_exactly_as_expected_and_rechecks_clean() {
    let config = CheckConfig::default();
    for &(code, applicability) in FIXABLE {
        let source = fixture(&format!("{code}.py"));
        let expected = fixture(&format!("{code}.fixed.py"));
        let (project, report) = check_sources(&[("service/app.py", &source)], &config);
        let before = count(&report, code);
        assert!(before > 0, "{code}: the fixture must fire");
        let ours: Vec<_> = fixes(&project, &report).into_iter().filter(|f| f.code == code).collect();
        assert_eq!(ours.len(), before, "{code}: one fix per finding");
        assert!(ours.iter().all(|f| f.applicability == applicability));
        // Safe-only runs leave unsafe fixes alone.
        let safe_only = apply(&project, &ours, false);
        assert_eq!(safe_only.is_empty(), applicability == Applicability::Unsafe, "{code}");
        let fixed = apply(&project, &ours, true);
        assert_eq!(fixed.len(), 1);
        assert_eq!(fixed[0].fixed, expected, "{code}: fixed text");
        // The fixed code parses and the rule no longer fires.
        let (project, again) = check_sources(&[("service/app.py", &fixed[0].fixed)], &config);
        assert!(project.diagnostics.is_empty(), "{code}: the fix broke the syntax");
        assert_eq!(count(&again, code), 0, "{code}: still reported after the fix");
    }
}

#[test]
fn overlapping_fixes_on_one_call_apply_one_at_a_time() {
    // REL001 and SEC008 on the same call: both edits are independent
    // (insertion at the end, removal in the middle) and both apply.
    let source = "import requests\n\n\ndef f(url):\n    return requests.get(url, verify=False)\n";
    let (project, report) = check_sources(&[("app.py", source)], &CheckConfig::default());
    let all = fixes(&project, &report);
    let fixed = apply(&project, &all, true);
    assert_eq!(fixed[0].fixed, "import requests\n\n\ndef f(url):\n    return requests.get(url, timeout=10)\n");
}

/// Applies every fix (safe and unsafe) to the files of `root` until none is left.
fn fix_tree(root: &Path) -> usize {
    let mut applied = 0;
    for _ in 0..5 {
        let project = load(root);
        let report = check_project(&project, &CheckConfig::default());
        let fixed = apply(&project, &fixes(&project, &report), true);
        if fixed.is_empty() {
            return applied;
        }
        for file in fixed {
            applied += file.applied.len();
            std::fs::write(root.join(&file.file), &file.fixed).unwrap();
        }
    }
    panic!("fixes did not converge");
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "__pycache__" || name == "instance" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn fixing_the_example_removes_exactly_the_fixable_findings() {
    let dir = tempfile::TempDir::new().unwrap();
    copy_tree(&shopfront_root(), dir.path());
    let project = load(dir.path());
    let before = check_project(&project, &CheckConfig::default());
    let fixable: Vec<_> = fixes(&project, &before);
    assert!(!fixable.is_empty(), "the example has fixable gaps");
    let tally = |report: &Report| {
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for f in &report.findings {
            *counts.entry((f.code.clone(), f.file.clone())).or_default() += 1;
        }
        counts
    };
    let mut expected = tally(&before);
    for fix in &fixable {
        let entry = expected.get_mut(&(fix.code.clone(), fix.file.clone())).unwrap();
        *entry -= 1;
    }
    expected.retain(|_, n| *n > 0);

    let applied = fix_tree(dir.path());
    assert_eq!(applied, fixable.len());
    let after_project: Project = load(dir.path());
    assert!(after_project.diagnostics.is_empty());
    let after = check_project(&after_project, &CheckConfig::default());
    assert_eq!(tally(&after), expected, "fixing changed other findings than the fixable ones");
}
