"""Retort's static routes against the runtime url_map of real Flask applications.

For each app of apps.toml (installed from PyPI into its own venv by setup.sh,
cached under .cache/realapps/): run `$RETORT_BIN scan --format json` on the
app's package sources, from two roots (the distribution root `src/` and the
package folder `src/<package>`), and compare (rule, method) pairs of the
app's own routes with what the real app registers. Targets and enforcement
live in thresholds.toml, per app and root; below a target that is not
enforced yet the test is xfail with the measured figures. After the apps,
the macro averages per root over every app are checked against [macro]. The
table and the miss lists are printed (run pytest with -s or -rx to see them)
and written to .cache/realapps/report.json.

Environment: RETORT_BIN (required, else skipped), REALAPPS_APPS (subset,
comma-separated), REALAPPS_SKIP=1 (skip the apps entirely, e.g. offline),
REALAPPS_CACHE (cache folder).
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import realapps as R  # noqa: E402

APPS = R.load_apps()
SELECTED = R.selected_apps() if os.environ.get("REALAPPS_APPS") else APPS


def test_apps_and_thresholds_are_consistent():
    """Every app has a runtime script, a package list and a thresholds entry
    (for each root), and no threshold table names an unknown root or app."""
    table = R.load_thresholds()
    for name, app in APPS.items():
        assert (R.HERE / app["runtime"]).is_file(), name
        assert app["packages"] and app["own_modules"], name
        assert "==" not in app["version"] and app["version"][0].isdigit(), name
        assert name in table.get("apps", {}), f"{name} missing from thresholds.toml"
        for root in R.ROOTS:
            t = R.thresholds_for(name, table, root)
            assert 0 <= t["min_recall"] <= t["recall"] <= 1, (name, root)
            assert 0 <= t["min_precision"] <= t["precision"] <= 1, (name, root)
    for name, entry in table.get("apps", {}).items():
        assert name in APPS, f"thresholds.toml names {name}, which apps.toml does not"
        subs = [k for k, v in entry.items() if isinstance(v, dict)]
        assert set(subs) <= set(R.ROOTS), (name, subs)
    for root in R.ROOTS:
        m = R.macro_thresholds(table, root)
        assert 0 <= m["min_recall"] <= m["recall"] <= 1, root
        assert 0 <= m["min_precision"] <= m["precision"] <= 1, root


def test_thresholds_per_root():
    """[apps.X.package] overrides [apps.X] for the package root only."""
    table = {"default": {"recall": 0.95, "precision": 0.98, "enforce": False,
                         "min_recall": 0.0, "min_precision": 0.0},
             "apps": {"a": {"enforce": True, "package": {"enforce": False, "min_recall": 0.4}}}}
    assert R.thresholds_for("a", table, "dist")["enforce"] is True
    assert R.thresholds_for("a", table, "dist")["min_recall"] == 0.0
    assert R.thresholds_for("a", table, "package")["enforce"] is False
    assert R.thresholds_for("a", table, "package")["min_recall"] == 0.4
    assert R.thresholds_for("b", table, "package")["recall"] == 0.95
    with pytest.raises(ValueError):
        R.thresholds_for("a", table, "elsewhere")


def test_comparator_on_synthetic_data():
    """The scoring itself, on a tiny hand-made case (no retort needed)."""
    app = {"name": "demo", "version": "1", "packages": ["demo"], "own_modules": ["demo"]}
    runtime = {
        "site_packages": "/sp",
        "routes": [
            {"rule": "/a", "methods": ["GET", "POST"], "endpoint": "a", "module": "demo.views"},
            {"rule": "/b/<int:x>", "methods": ["GET"], "endpoint": "bp.b", "module": "demo.bp"},
            {"rule": "/ext", "methods": ["GET"], "endpoint": "ext.x", "module": "flask_ext.views"},
            {"rule": "/static/<path:filename>", "methods": ["GET"], "endpoint": "static",
             "module": "demo", "static": True, "static_root": "/sp/demo/static"},
            {"rule": "/lib/<path:filename>", "methods": ["GET"], "endpoint": "lib.static",
             "module": "lib", "static": True, "static_root": "/sp/lib/static"},
        ],
    }
    scan = {"routes": [
        {"rule": "/a", "methods": ["GET", "HEAD", "OPTIONS"], "endpoint": "a", "unresolved": None},
        {"rule": "/static/<path:filename>", "methods": ["GET"], "endpoint": "static", "unresolved": None},
        {"rule": "/c", "methods": ["PUT"], "endpoint": "c", "unresolved": None, "file": "demo/x.py", "line": 3},
        {"rule": "/b", "methods": ["GET"], "endpoint": "bp.b", "unresolved": {"reason": "prefix unknown"}},
        {"rule": None, "methods": ["GET"], "endpoint": None, "unresolved": {"reason": "dynamic rule"}},
    ]}
    res = R.compare(app, runtime, scan)
    assert (res.own_routes, res.runtime_pairs) == (3, 4)
    assert (res.static_pairs, res.matched, res.unresolved) == (3, 2, 2)
    assert res.recall == pytest.approx(2 / 4) and res.precision == pytest.approx(2 / 3)
    assert [(m["rule"], m["method"]) for m in res.missed] == [("/a", "POST"), ("/b/<int:x>", "GET")]
    assert [(m["rule"], m["method"], m["at"]) for m in res.invented] == [("/c", "PUT", "demo/x.py:3")]
    assert R.compare(app, runtime, {"routes": []}).precision is None

    # The same catalog from the package-folder root: paths are relative to
    # the package folder (`_base` is the package, as run_retort sets it), and
    # are reported relative to src/ like those of the distribution root. The
    # static route's ownership is decided on the runtime side, so it counts
    # the same from either root.
    pkg_scan = {"routes": [dict(r, file=(r["file"][len("demo/"):] if r.get("file") else None), _base="demo")
                           for r in scan["routes"]]}
    pres = R.compare(app, runtime, pkg_scan, root="package")
    assert pres.root == "package"
    assert (pres.recall, pres.precision, pres.matched) == (res.recall, res.precision, res.matched)
    assert [m["at"] for m in pres.invented] == ["demo/x.py:3"]
    assert R._src_relative("demo/x.py", "demo") == "demo/x.py"
    assert R._src_relative("/abs/x.py", "demo") == "/abs/x.py"
    assert R._src_relative("x.py", "") == "x.py"

    # Macro averages: unweighted means; an app without a resolved pair counts
    # as precision 0, so it lowers the average.
    empty = R.compare(app, runtime, {"routes": []})
    m = R.macro([res, empty])
    assert m["apps"] == 2
    assert m["recall"] == pytest.approx((2 / 4 + 0) / 2)
    assert m["precision"] == pytest.approx((2 / 3 + 0) / 2)
    assert R.macro([])["recall"] is None


def test_the_dist_root_keeps_the_owning_distributions_metadata(tmp_path):
    """The dist root holds the metadata of the distributions whose RECORD
    lists a file of the copied packages (a namespace package filled by
    several), and only the files an installed package declares itself by."""
    site = tmp_path / "site"
    for dist, files in {"demo-1.0": ["demo/__init__.py"], "demo_plugin-2.0": ["demo/plugins/x.py"],
                        "other-3.0": ["other/__init__.py"]}.items():
        info = site / f"{dist}.dist-info"
        info.mkdir(parents=True)
        (info / "RECORD").write_text("".join(f"{f},sha256=x,1\n" for f in files))
        (info / "METADATA").write_text(f"Name: {dist}\n")
        (info / "entry_points.txt").write_text("[demo.plugins]\nx = demo.plugins.x:X\n")
    owners = R._owning_dist_infos(site, ["demo"])
    assert [o.name for o in owners] == ["demo-1.0.dist-info", "demo_plugin-2.0.dist-info"]
    dest = tmp_path / "src"
    R._copy_dist_infos(site, {"packages": ["demo"]}, dest)
    assert sorted(p.name for p in dest.iterdir()) == ["demo-1.0.dist-info", "demo_plugin-2.0.dist-info"]
    assert sorted(p.name for p in (dest / "demo-1.0.dist-info").iterdir()) == ["METADATA", "entry_points.txt"]


@pytest.fixture(scope="session")
def retort():
    if os.environ.get("REALAPPS_SKIP"):
        pytest.skip("REALAPPS_SKIP is set")
    try:
        return R.retort_bin()
    except R.RetortUnavailable as exc:
        pytest.skip(str(exc))




@pytest.fixture(scope="session")
def setup_results(retort):
    return R.setup_all(SELECTED)


# (app, root) -> AppResult, filled by test_real_app for test_macro (which
# runs after it: pytest keeps the file's order).
RESULTS: dict = {}


@pytest.mark.parametrize("root", R.ROOTS)
@pytest.mark.parametrize("name", list(SELECTED))
def test_real_app(name, root, retort, setup_results, capsys):
    app = SELECTED[name]
    setup = setup_results[name]
    if not setup["ok"]:
        pytest.fail(f"setting up {name} failed: {setup['error']}")
    try:
        res = R.evaluate(app, root)
    except R.RetortUnavailable as exc:
        pytest.skip(str(exc))
    RESULTS[(name, root)] = res
    R.write_report([res])
    t = R.thresholds_for(name, root=root)
    with capsys.disabled():
        print()
        print(R.format_table([res]))
        print(R.format_misses(res, limit=40))
    figures = (f"{name} {app['version']} [{root} root]: recall {res.recall:.1%} ({res.matched}/{res.runtime_pairs}), "
               f"precision {R.fmt_pct(res.precision)} ({res.matched}/{res.static_pairs}), "
               f"{res.unresolved} unresolved, {len(res.missed)} missed, {len(res.invented)} invented")
    # Hard floors (the ratchet): always enforced.
    assert R.meets(res, t["min_recall"], t["min_precision"]), (
        f"below the floor (min_recall {t['min_recall']}, min_precision {t['min_precision']}): {figures}")
    if not R.meets(res, t["recall"], t["precision"]):
        msg = f"below target ({t['recall']:.0%} recall / {t['precision']:.0%} precision): {figures}"
        if t.get("enforce"):
            pytest.fail(msg)
        pytest.xfail(msg)


@pytest.mark.parametrize("root", R.ROOTS)
def test_macro(root, retort, capsys):
    """Macro recall/precision over every app of apps.toml, per root.

    Needs the results of all apps (skipped when REALAPPS_APPS selects a
    subset or an app's test did not produce a result).
    """
    if set(SELECTED) != set(APPS):
        pytest.skip("REALAPPS_APPS selects a subset: the macro is over all apps")
    results = [RESULTS.get((name, root)) for name in APPS]
    if any(r is None for r in results):
        pytest.skip("not every app produced a result for this root")
    m = R.macro(results)
    t = R.macro_thresholds(root=root)
    with capsys.disabled():
        print()
        print(f"macro over {m['apps']} apps [{root} root]: recall {m['recall']:.1%}, "
              f"precision {m['precision']:.1%}")
    figures = f"macro [{root} root] over {m['apps']} apps: recall {m['recall']:.1%}, precision {m['precision']:.1%}"
    assert m["recall"] >= t["min_recall"] and m["precision"] >= t["min_precision"], (
        f"below the floor (min_recall {t['min_recall']}, min_precision {t['min_precision']}): {figures}")
    if m["recall"] < t["recall"] or m["precision"] < t["precision"]:
        msg = f"below target ({t['recall']:.0%} recall / {t['precision']:.0%} precision): {figures}"
        if t.get("enforce"):
            pytest.fail(msg)
        pytest.xfail(msg)
