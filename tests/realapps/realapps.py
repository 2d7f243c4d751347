"""Real-applications check: Retort's static routes against real Flask apps' url_map.

Stdlib only (Python >= 3.11 for tomllib). Used by setup.sh, report.py and
test_realapps.py; also a command line:

    python3 tests/realapps/realapps.py setup [APP ...]     # install + truth
    python3 tests/realapps/realapps.py report [APP ...]    # needs RETORT_BIN
    python3 tests/realapps/realapps.py freeze [APP ...]    # rewrite constraints/

Layout of the cache (default <repo>/.cache/realapps, env REALAPPS_CACHE):

    <app>/venv/           the app's own virtualenv (pip install name==ver)
    <app>/src/<package>/  copy of the app's package sources: what Retort scans
    <app>/src/<dist>.dist-info/  the metadata of the distributions owning them
    <app>/runtime.json    the url_map dumped by runtime/<app>.py (ground truth)
    <app>/retort.json     Retort's last `scan --format json` output (distribution root)
    <app>/retort-package.json   the same from the package-folder root
    <app>/stamp.json      what the cached pieces were built from

Each venv installs with `-c constraints/<app>.txt` (a pip freeze of a venv
that worked) so the truth does not drift with new releases of dependencies.
    report.json           the last comparison, per app

Matching is on (rule, method) pairs of the application's own routes, methods
without HEAD and OPTIONS. Every app is scanned from two roots (ROOTS): the
distribution root `<app>/src` (the folder that holds the package with its
distributions' metadata, as site-packages does) and the package folder `<app>/src/<package>` (what a
user who points Retort at the package itself gives it). See docs/realapps.md.
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
APPS_TOML = HERE / "apps.toml"
THRESHOLDS_TOML = HERE / "thresholds.toml"
IGNORED_METHODS = {"HEAD", "OPTIONS"}
RUNTIME_TIMEOUT = 300
PIP_TIMEOUT = 900
# The scan roots every app is scored from: "dist" is <app>/src (the folder
# holding the package), "package" is <app>/src/<package> (the package folder
# itself; with several packages, each is scanned and the catalogs joined).
ROOTS = ("dist", "package")


def cache_root() -> Path:
    return Path(os.environ.get("REALAPPS_CACHE") or REPO / ".cache" / "realapps").resolve()


def load_apps() -> dict[str, dict]:
    with open(APPS_TOML, "rb") as fh:
        apps = tomllib.load(fh)["apps"]
    for name, app in apps.items():
        app.setdefault("extras", [])
        app.setdefault("exclude", [])
        app.setdefault("env", {})
        app.setdefault("requires", [])
        app["name"] = name
    return apps


def selected_apps(names: list[str] | None = None) -> dict[str, dict]:
    apps = load_apps()
    if not names:
        env = os.environ.get("REALAPPS_APPS", "").strip()
        names = [n for n in env.replace(",", " ").split() if n] if env else []
    if not names:
        return apps
    unknown = [n for n in names if n not in apps]
    if unknown:
        raise SystemExit(f"unknown app(s): {', '.join(unknown)}; known: {', '.join(apps)}")
    return {n: apps[n] for n in names}


def load_thresholds() -> dict:
    with open(THRESHOLDS_TOML, "rb") as fh:
        return tomllib.load(fh)


def thresholds_for(app: str, table: dict | None = None, root: str = "dist") -> dict:
    """The thresholds of `app` scanned from `root`.

    Layered: [default], then [default.<root>], then [apps.<app>], then
    [apps.<app>.<root>] (sub-tables named after a root only apply to that
    root; "dist" values may sit directly in [apps.<app>], which holds for
    every root unless the root's sub-table overrides them).
    """
    if root not in ROOTS:
        raise ValueError(f"unknown root {root!r}; known: {', '.join(ROOTS)}")
    table = table if table is not None else load_thresholds()
    default = table.get("default", {})
    per_app = table.get("apps", {}).get(app, {})
    out: dict = {}
    for layer in (default, default.get(root, {}), per_app, per_app.get(root, {})):
        out.update({k: v for k, v in layer.items() if not isinstance(v, dict)})
    return out


def macro_thresholds(table: dict | None = None, root: str = "dist") -> dict:
    """Targets and floors for the macro averages over all apps ([macro], [macro.<root>])."""
    table = table if table is not None else load_thresholds()
    macro = table.get("macro", {})
    out: dict = {}
    for layer in (macro, macro.get(root, {})):
        out.update({k: v for k, v in layer.items() if not isinstance(v, dict)})
    return out


# --------------------------------------------------------------------------
# setup: venv, sources, runtime truth


def _log(msg: str) -> None:
    print(f"[realapps] {msg}", file=sys.stderr, flush=True)


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(json.dumps(part, sort_keys=True, default=str).encode())
    return h.hexdigest()[:16]


def _file_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _requirement(app: dict) -> str:
    extras = f"[{','.join(app['extras'])}]" if app["extras"] else ""
    return f"{app['pypi']}{extras}=={app['version']}"


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _site_packages(venv: Path) -> Path:
    out = subprocess.run(
        [str(_venv_python(venv)), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip())


def _excluded(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(rel, pat) for pat in patterns)


def _copy_sources(site: Path, app: dict, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    patterns = list(app["exclude"])
    for package in app["packages"]:
        root = site / package
        if not root.is_dir():
            raise RuntimeError(f"{app['name']}: package directory {root} not found after install")
        for dirpath, dirnames, filenames in os.walk(root):
            rel_dir = Path(dirpath).relative_to(site).as_posix()
            kept = []
            for d in dirnames:
                rel = f"{rel_dir}/{d}"
                if d == "__pycache__" or _excluded(rel, patterns):
                    continue
                kept.append(d)
            dirnames[:] = kept
            out_dir = dest / rel_dir
            out_dir.mkdir(parents=True, exist_ok=True)
            for f in filenames:
                rel = f"{rel_dir}/{f}"
                if f.endswith((".pyc", ".pyo")) or _excluded(rel, patterns):
                    continue
                src = Path(dirpath) / f
                if src.is_symlink() and not src.exists():
                    continue
                shutil.copy2(src, out_dir / f)


# Bumped when what _copy_sources copies changes, so that caches recopy.
SOURCES_LAYOUT = 2
# What is kept of a distribution's *.dist-info folder: what an installed
# package declares about itself (requirements, entry points, its packages).
DIST_INFO_FILES = ("METADATA", "entry_points.txt", "top_level.txt")


def _owning_dist_infos(site: Path, packages: list[str]) -> list[Path]:
    """The *.dist-info folders in `site` whose RECORD lists a file of one of
    `packages` (namespace packages are filled by several distributions)."""
    prefixes = tuple(f"{p}/" for p in packages)
    owners = []
    for info in sorted(site.glob("*.dist-info")):
        try:
            record = (info / "RECORD").read_text(errors="replace")
        except OSError:
            continue
        if any(line.startswith(prefixes) for line in record.splitlines()):
            owners.append(info)
    return owners


def _copy_dist_infos(site: Path, app: dict, dest: Path) -> None:
    for info in _owning_dist_infos(site, app["packages"]):
        out = dest / info.name
        out.mkdir(parents=True, exist_ok=True)
        for name in DIST_INFO_FILES:
            if (info / name).is_file():
                shutil.copy2(info / name, out / name)


def _read_stamp(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def setup_app(app: dict, force: bool = False) -> dict:
    """Make <cache>/<app>/{venv,src,runtime.json} current. Returns timings.

    Holds an exclusive lock on <cache>/<app>.lock: two runs sharing a cache
    (report.py and a test run, say) must not rebuild a venv under each other.
    """
    import fcntl

    cache_root().mkdir(parents=True, exist_ok=True)
    with open(cache_root() / f"{app['name']}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _setup_app_locked(app, force)


def _setup_app_locked(app: dict, force: bool) -> dict:
    name = app["name"]
    base = cache_root() / name
    base.mkdir(parents=True, exist_ok=True)
    stamp_path = base / "stamp.json"
    stamp = {} if force else _read_stamp(stamp_path)
    venv = base / "venv"
    timings: dict[str, float] = {}

    constraints = HERE / "constraints" / f"{name}.txt"
    pins = _file_text(constraints) if constraints.exists() else ""
    venv_key = _digest(_requirement(app), app["requires"], sys.version_info[:2], pins)
    if (stamp.get("venv") != venv_key or not _venv_python(venv).exists()
            or not (venv / "pyvenv.cfg").exists()):
        t0 = time.monotonic()
        _log(f"{name}: creating venv and installing {_requirement(app)}")
        if venv.exists():
            shutil.rmtree(venv)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        cmd = [str(_venv_python(venv)), "-m", "pip", "install", "--disable-pip-version-check",
               "--no-input", "-q", _requirement(app), *app["requires"]]
        if pins:
            cmd += ["-c", str(constraints)]  # the whole dependency tree pinned
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT)
        (base / "install.log").write_text(proc.stdout + proc.stderr)
        if proc.returncode != 0:
            raise RuntimeError(f"{name}: pip install failed (see {base / 'install.log'}):\n"
                               + (proc.stdout + proc.stderr)[-3000:])
        stamp = {"venv": venv_key}
        stamp_path.write_text(json.dumps(stamp))
        timings["install"] = time.monotonic() - t0

    site = _site_packages(venv)
    if not site.is_relative_to(venv.resolve()) and not site.is_relative_to(venv):
        raise RuntimeError(f"{name}: {venv} is not a working virtualenv (site-packages is {site});"
                           " delete it and run setup again")
    src_key = _digest(venv_key, app["packages"], app["exclude"], SOURCES_LAYOUT)
    if stamp.get("src") != src_key or not (base / "src").is_dir():
        t0 = time.monotonic()
        _copy_sources(site, app, base / "src")
        _copy_dist_infos(site, app, base / "src")
        stamp["src"] = src_key
        stamp.pop("runtime", None)
        stamp_path.write_text(json.dumps(stamp))
        timings["copy"] = time.monotonic() - t0

    script = HERE / app["runtime"]
    rt_key = _digest(
        src_key,
        _file_text(script),
        _file_text(HERE / "runtime" / "_dump.py"),
        _file_text(HERE / "runtime" / "_offline.py"),
        app["env"],
    )
    runtime_json = base / "runtime.json"
    if stamp.get("runtime") != rt_key or not runtime_json.exists():
        t0 = time.monotonic()
        _log(f"{name}: building the app to dump its url_map")
        with tempfile.TemporaryDirectory(prefix=f"realapps-{name}-") as home:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
            env.update({"HOME": home, "TMPDIR": home, "REALAPPS_RUNTIME_OUT": str(runtime_json) + ".tmp",
                        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONWARNINGS": "ignore"})
            env.update({k: str(v) for k, v in app["env"].items()})
            proc = subprocess.run([str(_venv_python(venv)), str(script)], cwd=home, env=env,
                                  capture_output=True, text=True, timeout=RUNTIME_TIMEOUT,
                                  stdin=subprocess.DEVNULL)
        (base / "runtime.log").write_text(proc.stdout + proc.stderr)
        tmp = Path(str(runtime_json) + ".tmp")
        if proc.returncode != 0 or not tmp.exists():
            raise RuntimeError(f"{name}: runtime dump failed (rc={proc.returncode}, see "
                               f"{base / 'runtime.log'}):\n" + (proc.stdout + proc.stderr)[-3000:])
        json.loads(tmp.read_text())  # must be valid
        tmp.replace(runtime_json)
        stamp["runtime"] = rt_key
        stamp_path.write_text(json.dumps(stamp))
        timings["runtime"] = time.monotonic() - t0
    return timings


def setup_all(apps: dict[str, dict], force: bool = False, jobs: int = 2) -> dict[str, dict]:
    """Set up several apps (2 at a time: pip is mostly waiting on the network)."""
    results: dict[str, dict] = {}

    def one(app):
        t0 = time.monotonic()
        try:
            timings = setup_app(app, force=force)
            timings["total"] = time.monotonic() - t0
            return app["name"], {"ok": True, "timings": timings}
        except Exception as exc:  # reported per app
            return app["name"], {"ok": False, "error": str(exc)}

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for name, res in pool.map(one, apps.values()):
            results[name] = res
    return results


# --------------------------------------------------------------------------
# comparison


def _pairs(rule: str, methods) -> set[tuple[str, str]]:
    return {(rule, m.upper()) for m in (methods or []) if m.upper() not in IGNORED_METHODS}


def _under(path: str | None, roots: list[str]) -> bool:
    if not path:
        return False
    p = os.path.realpath(path)
    return any(p == r or p.startswith(r + os.sep) for r in roots)


def own_runtime_routes(app: dict, runtime: dict) -> tuple[list[dict], list[dict]]:
    """Split the runtime routes into (own, foreign)."""
    site = runtime.get("site_packages") or ""
    roots = [os.path.realpath(os.path.join(site, p)) for p in app["packages"]]
    prefixes = app["own_modules"]
    own, foreign = [], []
    for r in runtime["routes"]:
        if r.get("static"):
            is_own = _under(r.get("static_root"), roots)
        else:
            mod = r.get("module") or ""
            is_own = any(mod == p or mod.startswith(p + ".") for p in prefixes)
        (own if is_own else foreign).append(r)
    return own, foreign


@dataclass
class AppResult:
    app: str
    version: str
    runtime_routes: int
    own_routes: int
    runtime_pairs: int
    static_routes: int = 0
    static_resolved_routes: int = 0
    static_pairs: int = 0
    unresolved: int = 0
    matched: int = 0
    recall: float = 0.0
    precision: float | None = None
    missed: list = field(default_factory=list)
    invented: list = field(default_factory=list)
    endpoint_mismatches: list = field(default_factory=list)
    unresolved_reasons: dict = field(default_factory=dict)
    retort_seconds: float = 0.0
    retort_summary: dict = field(default_factory=dict)
    root: str = "dist"
    scanned: list = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _src_relative(path: str | None, base: str) -> str | None:
    """A catalog `file` as a path relative to <app>/src.

    Retort writes paths relative to the folder it was pointed at, so in a
    package-folder scan `views.py` is `<package>/views.py` of the
    distribution root; `base` is that package ("" for the distribution root).
    Absolute paths and paths already starting with the package are kept.
    """
    if not path or not base or os.path.isabs(path):
        return path
    if path == base or path.startswith(base + "/"):
        return path
    return f"{base}/{path}"


def compare(app: dict, runtime: dict, scan: dict, root: str = "dist") -> AppResult:
    """Score a catalog against the runtime truth.

    `scan` is one catalog, or for a package-folder scan of an app with several
    packages the catalogs joined (see run_retort): each route may carry
    `_base`, the package folder its `file` is relative to. The truth does not
    depend on the root: own routes are decided on the runtime side (view
    modules, and static folders inside the installed packages).
    """
    own, foreign = own_runtime_routes(app, runtime)
    truth: set[tuple[str, str]] = set()
    truth_endpoints: dict[tuple[str, str], set[str]] = {}
    for r in own:
        for pair in _pairs(r["rule"], r["methods"]):
            truth.add(pair)
            truth_endpoints.setdefault(pair, set()).add(r["endpoint"])
    # Pairs only library code serves (Flask-RESTX's /swagger.json): outside
    # the comparison on both sides, as the truth leaves them out. A static
    # pair equal to one exists in the app, so it is neither matched nor
    # invented.
    foreign_pairs = {pair for r in foreign for pair in _pairs(r["rule"], r["methods"])} - truth

    static: set[tuple[str, str]] = set()
    static_where: dict[tuple[str, str], str] = {}
    static_endpoints: dict[tuple[str, str], set[str]] = {}
    routes = scan.get("routes") or []
    unresolved = 0
    resolved_routes = 0
    reasons: dict[str, int] = {}
    for r in routes:
        if r.get("unresolved"):
            unresolved += 1
            why = r["unresolved"]
            reason = why.get("reason") if isinstance(why, dict) else str(why)
            reasons[reason or "?"] = reasons.get(reason or "?", 0) + 1
        rule = r.get("rule")
        if r.get("unresolved") or not isinstance(rule, str):
            # Reported as unresolved: Retort makes no claim about the full URL
            # (e.g. a blueprint whose registration it could not follow), so it
            # costs recall, not precision.
            continue
        resolved_routes += 1
        for pair in _pairs(rule, r.get("methods")):
            if pair in foreign_pairs:
                continue
            static.add(pair)
            static_where.setdefault(pair, f"{_src_relative(r.get('file'), r.get('_base', ''))}:{r.get('line')}")
            if r.get("endpoint"):
                static_endpoints.setdefault(pair, set()).add(r["endpoint"])

    matched = truth & static
    res = AppResult(
        app=app["name"],
        version=app["version"],
        root=root,
        runtime_routes=len(runtime["routes"]),
        own_routes=len(own),
        runtime_pairs=len(truth),
        static_routes=len(routes),
        static_resolved_routes=resolved_routes,
        static_pairs=len(static),
        unresolved=unresolved,
        matched=len(matched),
        recall=len(matched) / len(truth) if truth else 1.0,
        # No resolved static pair at all: precision is undefined (None); it
        # never meets a target.
        precision=len(matched) / len(static) if static else None,
    )
    res.missed = [
        {"rule": rule, "method": m, "endpoints": sorted(truth_endpoints[(rule, m)])}
        for rule, m in sorted(truth - static)
    ]
    res.invented = [
        {"rule": rule, "method": m, "at": static_where.get((rule, m)),
         "endpoints": sorted(static_endpoints.get((rule, m), ()))}
        for rule, m in sorted(static - truth)
    ]
    res.endpoint_mismatches = [
        {"rule": rule, "method": m, "runtime": sorted(truth_endpoints[(rule, m)]),
         "static": sorted(static_endpoints.get((rule, m), ()))}
        for rule, m in sorted(matched)
        if static_endpoints.get((rule, m)) and not (truth_endpoints[(rule, m)] & static_endpoints[(rule, m)])
    ]
    res.unresolved_reasons = dict(sorted(reasons.items(), key=lambda kv: -kv[1]))
    res.retort_summary = scan.get("summary") or {}
    return res


def scan_roots(app: dict, root: str) -> list[tuple[Path, str]]:
    """The folders `retort scan` is pointed at for `root`, with the package
    each one's paths are relative to ("" for the distribution root)."""
    src = cache_root() / app["name"] / "src"
    if root == "dist":
        return [(src, "")]
    if root == "package":
        return [(src / p, p) for p in app["packages"]]
    raise ValueError(f"unknown root {root!r}; known: {', '.join(ROOTS)}")


class RetortUnavailable(Exception):
    """RETORT_BIN is unset, missing, or has no `scan` command yet."""


def retort_bin() -> str:
    path = os.environ.get("RETORT_BIN", "").strip()
    if not path:
        raise RetortUnavailable("RETORT_BIN is not set (point it at a built retort binary)")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise RetortUnavailable(f"RETORT_BIN={path} is not an executable file")
    return path


def run_retort(app: dict | str, root: str = "dist") -> tuple[dict, float]:
    """Run `retort scan --format json` on the app's sources from `root`.

    Returns (catalog, seconds). For a package-folder scan of an app with
    several packages, each package folder is scanned and the catalogs are
    joined: routes get `_base` (their package) and the summaries' counts are
    added up.
    """
    if isinstance(app, str):
        app = load_apps()[app]
    catalogs = []
    seconds = 0.0
    folders = scan_roots(app, root)
    for folder, base in folders:
        catalog, secs = _run_retort_once(app["name"], folder)
        # Retort's own output, kept as it printed it: retort.json (dist),
        # retort-package.json (or retort-package-<package>.json when the app
        # has several packages).
        name = "retort.json" if root == "dist" else f"retort-{root}.json"
        if len(folders) > 1:
            name = f"retort-{root}-{base}.json"
        (cache_root() / app["name"] / name).write_text(json.dumps(catalog, indent=1) + "\n")
        for r in catalog.get("routes") or []:
            r["_base"] = base
        catalogs.append(catalog)
        seconds += secs
    if len(catalogs) == 1:
        out = catalogs[0]
    else:
        out = {"routes": [], "summary": {}}
        for c in catalogs:
            out["routes"] += c.get("routes") or []
            for k, v in (c.get("summary") or {}).items():
                if isinstance(v, bool):
                    out["summary"][k] = out["summary"].get(k, False) or v
                elif isinstance(v, (int, float)):
                    out["summary"][k] = out["summary"].get(k, 0) + v
    return out, seconds


def _run_retort_once(app_name: str, src: Path) -> tuple[dict, float]:
    exe = retort_bin()
    if not src.is_dir():
        raise RuntimeError(f"{app_name}: scan root {src} does not exist (run setup first)")
    t0 = time.monotonic()
    proc = subprocess.run([exe, "scan", "--format", "json", str(src)], capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL)
    elapsed = time.monotonic() - t0
    if proc.returncode == 2 and "scan" in proc.stderr and (
        "unrecognized subcommand" in proc.stderr or "unexpected argument" in proc.stderr
    ):
        raise RetortUnavailable(f"{exe} has no `scan` command yet: {proc.stderr.strip()[:300]}")
    if proc.returncode != 0:
        raise RuntimeError(f"retort scan exited {proc.returncode} on {src}:\n{proc.stderr[-3000:]}")
    try:
        catalog = json.loads(proc.stdout)
    except ValueError as exc:
        raise RuntimeError(f"retort scan printed invalid JSON on {src}: {exc}") from exc
    return catalog, elapsed


def load_runtime(app_name: str) -> dict:
    return json.loads((cache_root() / app_name / "runtime.json").read_text())


def evaluate(app: dict, root: str = "dist") -> AppResult:
    runtime = load_runtime(app["name"])
    catalog, seconds = run_retort(app, root)
    res = compare(app, runtime, catalog, root)
    res.retort_seconds = seconds
    res.scanned = [str(folder.relative_to(cache_root())) for folder, _ in scan_roots(app, root)]
    return res


def macro(results: list[AppResult]) -> dict:
    """Macro averages over apps (one result per app, one root).

    recall and precision are the unweighted means of the per-app figures; an
    app whose precision is undefined (no resolved pair) or that could not be
    evaluated counts as 0 in both, so a broken app lowers the average instead
    of leaving it. `apps` is how many apps the means are over.
    """
    if not results:
        return {"apps": 0, "recall": None, "precision": None}
    rec = [0.0 if r.error else r.recall for r in results]
    prec = [0.0 if (r.error or r.precision is None) else r.precision for r in results]
    return {"apps": len(results), "recall": sum(rec) / len(rec), "precision": sum(prec) / len(prec)}


def _result_from_dict(d: dict) -> AppResult:
    known = {f for f in AppResult.__dataclass_fields__}
    return AppResult(**{k: v for k, v in d.items() if k in known})


def write_report(results: list[AppResult]) -> Path:
    """Merge `results` into <cache>/report.json: apps -> root -> result, and
    the macro averages per root over the apps of apps.toml present in it
    (pytest writes one app and root at a time)."""
    path = cache_root() / "report.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    old: dict = {}
    try:
        old = json.loads(path.read_text()).get("apps", {})
    except (OSError, ValueError):
        pass
    # Reports written before the two roots held one flat result per app.
    old = {a: v for a, v in old.items()
           if isinstance(v, dict) and v and all(k in ROOTS and isinstance(x, dict) for k, x in v.items())}
    for r in results:
        old.setdefault(r.app, {})[r.root] = r.as_dict()
    known = load_apps()
    macros = {}
    for root in ROOTS:
        rs = [_result_from_dict(v[root]) for a, v in old.items() if a in known and root in v]
        m = macro(rs)
        m["complete"] = m["apps"] == len(known)
        macros[root] = m
    path.write_text(json.dumps({"retort_bin": os.environ.get("RETORT_BIN"),
                                "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                "roots": {"dist": "<app>/src", "package": "<app>/src/<package>"},
                                "macro": macros,
                                "apps": old}, indent=1) + "\n")
    return path


def fmt_pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1%}"


def meets(r: AppResult, recall: float, precision: float) -> bool:
    p = r.precision if r.precision is not None else (1.0 if precision <= 0 else -1.0)
    return r.recall >= recall and p >= precision


def format_table(results: list[AppResult], thresholds: dict | None = None,
                 with_macro: bool = False) -> str:
    """One row per (app, root); with `with_macro`, the macro averages per root
    over the rows given."""
    thresholds = thresholds if thresholds is not None else load_thresholds()
    head = ("app", "version", "root", "rt routes", "own", "own pairs", "static", "unres", "pairs",
            "matched", "recall", "precision", "target")
    rows = [head]
    for r in results:
        if r.error:
            rows.append((r.app, r.version, r.root, "-", "-", "-", "-", "-", "-", "-", "-", "-", "error"))
            continue
        t = thresholds_for(r.app, thresholds, r.root)
        ok = meets(r, t.get("recall", 0), t.get("precision", 0))
        rows.append((r.app, r.version, r.root, str(r.runtime_routes), str(r.own_routes), str(r.runtime_pairs),
                     str(r.static_routes), str(r.unresolved), str(r.static_pairs), str(r.matched),
                     f"{r.recall:.1%}", fmt_pct(r.precision),
                     ("met" if ok else "below") + f" ({t.get('recall', 0):.0%}/{t.get('precision', 0):.0%})"))
    if with_macro:
        for root in ROOTS:
            rs = [r for r in results if r.root == root]
            if not rs:
                continue
            m = macro(rs)
            t = macro_thresholds(thresholds, root)
            ok = m["recall"] >= t.get("recall", 0) and m["precision"] >= t.get("precision", 0)
            rows.append((f"macro ({m['apps']} apps)", "", root, "", "", "", "", "", "", "",
                         f"{m['recall']:.1%}", f"{m['precision']:.1%}",
                         ("met" if ok else "below") + f" ({t.get('recall', 0):.0%}/{t.get('precision', 0):.0%})"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_misses(r: AppResult, limit: int | None = None) -> str:
    out = [f"== {r.app} {r.version} [{r.root} root]: {len(r.missed)} missed, {len(r.invented)} invented, "
           f"{r.unresolved} unresolved, {len(r.endpoint_mismatches)} endpoint mismatches"]
    if r.error:
        out.append(f"   error: {r.error}")
        return "\n".join(out)

    summary = r.retort_summary or {}
    notes = [f"{k}={summary[k]}" for k in ("budget_exhausted", "diagnostics") if summary.get(k)]
    if notes:
        out.append(f"   retort summary: {', '.join(notes)}")

    def cut(items):
        return items if limit is None else items[:limit]

    for m in cut(r.missed):
        out.append(f"   missed   {m['method']:<7} {m['rule']}   ({', '.join(m['endpoints'])})")
    if limit is not None and len(r.missed) > limit:
        out.append(f"   ... {len(r.missed) - limit} more missed (see report.json)")
    for m in cut(r.invented):
        out.append(f"   invented {m['method']:<7} {m['rule']}   at {m['at']}")
    if limit is not None and len(r.invented) > limit:
        out.append(f"   ... {len(r.invented) - limit} more invented (see report.json)")
    for m in cut(r.endpoint_mismatches):
        out.append(f"   endpoint {m['method']:<7} {m['rule']}   runtime {m['runtime']} static {m['static']}")
    for reason, n in r.unresolved_reasons.items():
        out.append(f"   unresolved x{n}: {reason}")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="realapps.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup", help="install the apps and dump their runtime url_map (cached)")
    s.add_argument("apps", nargs="*")
    s.add_argument("--force", action="store_true", help="rebuild even if cached")
    s.add_argument("--jobs", type=int, default=2)
    f = sub.add_parser("freeze", help="write constraints/<app>.txt from the app's current venv")
    f.add_argument("apps", nargs="*")
    r = sub.add_parser("report", help="run retort on each app and compare (needs RETORT_BIN)")
    r.add_argument("apps", nargs="*")
    r.add_argument("--limit", type=int, default=None, help="cap the miss lists per app")
    r.add_argument("--no-setup", action="store_true")
    r.add_argument("--root", choices=ROOTS, default=None,
                   help="score from this root only (default: both)")
    args = ap.parse_args(argv)

    apps = selected_apps(args.apps)
    if args.cmd == "setup":
        results = setup_all(apps, force=args.force, jobs=args.jobs)
        bad = 0
        for name, res in results.items():
            if res["ok"]:
                t = res["timings"]
                parts = ", ".join(f"{k} {v:.0f}s" for k, v in t.items())
                rt = load_runtime(name)
                own, _ = own_runtime_routes(apps[name], rt)
                print(f"{name:<16} ok   {len(rt['routes'])} routes ({len(own)} own)   {parts}")
            else:
                bad += 1
                print(f"{name:<16} FAILED: {res['error']}")
        return 1 if bad else 0

    if args.cmd == "freeze":
        for name in apps:
            venv = cache_root() / name / "venv"
            out = subprocess.run([str(_venv_python(venv)), "-m", "pip", "freeze", "--disable-pip-version-check"],
                                 check=True, capture_output=True, text=True).stdout
            path = HERE / "constraints" / f"{name}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(f"# pip freeze of .cache/realapps/{name}/venv (Python "
                            f"{sys.version_info[0]}.{sys.version_info[1]}), used as pip -c by realapps.py\n" + out)
            print(f"wrote {path.relative_to(REPO)}")
        return 0

    if not args.no_setup:
        failed = {n: r for n, r in setup_all(apps).items() if not r["ok"]}
    else:
        failed = {}
    roots = [args.root] if args.root else list(ROOTS)
    results = []
    for name, app in apps.items():
        for root in roots:
            if name in failed:
                res = AppResult(app=name, version=app["version"], root=root, runtime_routes=0,
                                own_routes=0, runtime_pairs=0,
                                error="setup failed: " + failed[name]["error"][-500:])
            else:
                try:
                    res = evaluate(app, root)
                except RetortUnavailable as exc:
                    print(f"cannot compare: {exc}", file=sys.stderr)
                    return 2
                except Exception as exc:
                    res = AppResult(app=name, version=app["version"], root=root, runtime_routes=0,
                                    own_routes=0, runtime_pairs=0, error=str(exc)[-1000:])
            results.append(res)
    path = write_report(results)
    print(format_table(results, with_macro=True))
    print()
    for res in results:
        print(format_misses(res, limit=args.limit))
        print()
    print(f"report: {path}")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
