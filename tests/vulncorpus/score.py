"""Score static analysers on the labelled vulnerability corpus (corpus.toml).

Stdlib only (Python >= 3.11). For every entry, each tool runs on the sources
of the vulnerable and of the fixed release (fetch.py) and the entry is

  found          when the tool reports, in the vulnerable release, a finding
                 whose class (tables below) is the entry's class or one of
                 its `accept` classes, in the file of one of the entry's
                 `where` places, and NEAR it (see below);
  still flagged  when it was found and the fixed release still has such a
                 finding at the corresponding place of a `where` that was
                 matched in the vulnerable release.

NEAR (one criterion for every tool): the finding's line is within
NEAR_LINES (3) lines of the place's line range, or the finding lies in the
same innermost function or method (by qualified name, decorators included)
as a line of the place. In the fixed release the place is the same
qualified name, or the line range carried over by a line diff of the two
versions of the file (difflib); a place whose lines were deleted by the fix
keeps only its function names. Only a finding's primary location counts.

Rates: found rate = found / entries; still-flagged rate = still flagged /
found. Both are reported for the in-scope entries and for all entries.

    python3 tests/vulncorpus/score.py --tool retort [--tool bandit --tool semgrep]
        [--retort-bin PATH] [--bandit PATH] [--semgrep PATH --semgrep-rules DIR]
        [--json OUT] [--markdown] [ID ...]
"""
from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import fetch  # noqa: E402

NEAR_LINES = 3
# Rule id of the pseudo-findings that record a file the tool could not parse.
PARSE_ERROR = "<parse-error>"
TOOL_TIMEOUT = 1800

# Vulnerability classes of the corpus.
CLASSES = {
    "path-traversal": "file access outside the intended folder (CWE-22 family)",
    "sqli": "SQL injection (CWE-89)",
    "command-injection": "OS command injection (CWE-78)",
    "ssti": "server-side template injection (CWE-1336)",
    "code-injection": "eval/exec/js-eval of request data (CWE-94/95)",
    "xss": "cross-site scripting (CWE-79)",
    "open-redirect": "open redirect (CWE-601)",
    "ssrf": "server-side request forgery (CWE-918)",
    "deserialisation": "unsafe deserialisation (CWE-502)",
    "missing-auth": "a route without the guard the app uses (CWE-306/862/284)",
    "csrf": "cross-site request forgery (CWE-352)",
    "weak-random": "non-cryptographic randomness for secrets (CWE-330/338)",
    "hardcoded-secret": "hard-coded or default secret (CWE-798/1188)",
    "tls": "certificate verification disabled (CWE-295)",
    "log-injection": "log forging (CWE-117)",
    # out-of-scope classes (business logic); no tool rule maps to them
    "access-control": "business-logic access control",
    "auth-bypass": "business-logic authentication bypass",
    "user-enumeration": "timing or message side channel revealing accounts",
}

# A finding's class from its CWE, for rules not named in a tool's own table.
CWE_CLASS = {
    22: "path-traversal", 23: "path-traversal", 29: "path-traversal", 36: "path-traversal",
    73: "path-traversal", 99: "path-traversal",
    89: "sqli", 564: "sqli",
    77: "command-injection", 78: "command-injection", 88: "command-injection",
    1336: "ssti",
    94: "code-injection", 95: "code-injection",
    79: "xss", 80: "xss", 116: "xss",
    601: "open-redirect",
    918: "ssrf",
    502: "deserialisation",
    306: "missing-auth", 862: "missing-auth", 285: "missing-auth",
    352: "csrf", 1275: "csrf",
    330: "weak-random", 338: "weak-random",
    798: "hardcoded-secret", 259: "hardcoded-secret", 321: "hardcoded-secret", 1188: "hardcoded-secret",
    295: "tls",
    117: "log-injection",
}

# Retort rule codes (docs/rules/). Codes not listed fall back to the CWE
# the finding carries.
RETORT_RULES = {
    "SEC002": "hardcoded-secret",
    "SEC003": "sqli",
    "SEC004": "ssti",
    "SEC005": "command-injection",
    "SEC006": "deserialisation",
    "SEC007": "open-redirect",
    "SEC008": "tls",
    "SEC009": "missing-auth",
    "SEC010": "csrf",
    "SEC011": "code-injection",
    "SEC012": "ssrf",
    "SEC013": "path-traversal",
    "SEC014": "xss",
    "SEC022": "csrf",
    "SEC033": "log-injection",
}

# bandit test ids (bandit docs, "Test plugins" and "Blacklist calls").
BANDIT_RULES = {
    "B102": "code-injection",      # exec_used
    "B105": "hardcoded-secret",    # hardcoded_password_string
    "B106": "hardcoded-secret",    # hardcoded_password_funcarg
    "B107": "hardcoded-secret",    # hardcoded_password_default
    "B202": "path-traversal",      # tarfile_unsafe_members
    "B301": "deserialisation",     # pickle
    "B302": "deserialisation",     # marshal
    "B307": "code-injection",      # eval
    "B308": "xss",                 # mark_safe
    "B310": "ssrf",                # urllib_urlopen
    "B311": "weak-random",         # random
    "B323": "tls",                 # unverified_context
    "B501": "tls",                 # request_with_no_cert_validation
    "B506": "deserialisation",     # yaml_load
    "B602": "command-injection",   # subprocess_popen_with_shell_equals_true
    "B603": "command-injection",   # subprocess_without_shell_equals_true
    "B604": "command-injection",   # any_other_function_with_shell_equals_true
    "B605": "command-injection",   # start_process_with_a_shell
    "B606": "command-injection",   # start_process_with_no_shell
    "B607": "command-injection",   # start_process_with_partial_path
    "B608": "sqli",                # hardcoded_sql_expressions
    "B609": "command-injection",   # linux_commands_wildcard_injection
    "B610": "sqli",                # django_extra_used
    "B611": "sqli",                # django_rawsql_used
    "B614": "deserialisation",     # pytorch_load
    "B701": "xss",                 # jinja2_autoescape_false
    "B702": "xss",                 # use_of_mako_templates
    "B703": "xss",                 # django_mark_safe
    "B704": "xss",                 # markupsafe_markup_xss
}

# semgrep rule ids (regex on the full id) whose class is not the one their
# CWE metadata gives, or that carry no CWE; other rules map by their CWE.
SEMGREP_RULES = [
    (r"\.ssti|template-injection|render-template-string|from-string|dangerous-template-string", "ssti"),
    (r"avoid-insecure-deserialization|avoid-pickle|avoid-cpickle|avoid-dill|avoid-shelve|marshal|pyyaml-load|insecure-deserialization", "deserialisation"),
    (r"\.eval-injection|\.exec-injection|eval-detected|exec-detected|dangerous-.*code-run", "code-injection"),
    (r"open-redirect", "open-redirect"),
    (r"\.ssrf|ssrf-requests|tainted-url", "ssrf"),
    (r"path-traversal|tainted-path|send-file", "path-traversal"),
    (r"disabled-cert-validation|unverified-ssl|no-cert", "tls"),
    (r"insecure-random|weak-random", "weak-random"),
    (r"hardcoded|secret-key|hard-coded", "hardcoded-secret"),
    (r"subprocess-injection|os-system-injection|dangerous-subprocess|dangerous-system-call|command-injection|spawn-process|dangerous-os-exec", "command-injection"),
    (r"sql-injection|sqlalchemy-execute-raw-query|formatted-sql|tainted-sql|avoid-sqlalchemy-text", "sqli"),
    (r"xss|raw-html|directly-returned-format-string|make-response-with-unknown-content|unescaped-template|explicit-unescape|autoescape|markup", "xss"),
    (r"csrf", "csrf"),
    (r"log-injection|logging-", "log-injection"),
]


@dataclass
class Finding:
    rule: str
    file: str
    line: int
    cls: str | None
    message: str = ""


@dataclass
class Outcome:
    id: str
    package: str
    cls: str
    in_scope: bool
    found: bool = False
    still_flagged: bool = False
    matched: list[str] = field(default_factory=list)
    matched_fixed: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    error: str | None = None


def _cwe_number(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    m = re.search(r"(\d+)", str(value))
    return int(m.group(1)) if m else None


def classify(tool: str, rule: str, cwes: list) -> str | None:
    if tool == "retort" and rule in RETORT_RULES:
        return RETORT_RULES[rule]
    if tool == "bandit" and rule in BANDIT_RULES:
        return BANDIT_RULES[rule]
    if tool == "semgrep":
        for pattern, cls in SEMGREP_RULES:
            if re.search(pattern, rule):
                return cls
    for cwe in cwes:
        n = _cwe_number(cwe)
        if n in CWE_CLASS:
            return CWE_CLASS[n]
    return None


# --------------------------------------------------------------------------
# tools


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(str(p).encode())
    return h.hexdigest()[:16]


def _file_digest(path: Path) -> str:
    st = path.stat()
    return _digest(path.resolve(), st.st_size, st.st_mtime_ns)


class Tool:
    name = ""
    # True for tools whose findings in a file do not depend on the other
    # files of the tree (no cross-file analysis): they are run on the files
    # of the corpus places only, which gives the same findings there.
    per_file = False

    def identity(self) -> str:
        raise NotImplementedError

    def run(self, tree: Path) -> list[Finding]:
        raise NotImplementedError

    def run_many(self, trees: list[Path], workers: int) -> dict[Path, list[Finding] | Exception]:
        """Findings of several trees; tools with a costly start override this."""

        def one(tree):
            try:
                return tree, self.run(tree)
            except Exception as exc:  # reported on the entries of that release
                return tree, exc

        with ThreadPoolExecutor(max_workers=workers) as pool:
            return dict(pool.map(one, trees))

    def findings_of(self, trees: list[Path], workers: int = 2,
                    files: dict[Path, list[str]] | None = None) -> dict[Path, list[Finding] | Exception]:
        """Findings on release trees (or, for per-file tools, on the given
        files of each tree), cached by tool identity, tree and files."""
        ident = self.identity()
        cache_dir = fetch.cache_root() / "results" / self.name
        out: dict[Path, list[Finding] | Exception] = {}
        todo = []
        self._files = files or {}
        for tree in trees:
            suffix = f"-{_digest(*sorted(self._files[tree]))}" if tree in self._files else ""
            cache = cache_dir / f"{tree.name}-{ident}{suffix}.json"
            if cache.exists():
                out[tree] = [Finding(**f) for f in json.loads(cache.read_text())]
            else:
                todo.append(tree)
        if todo:
            for tree, res in self.run_many(todo, workers).items():
                out[tree] = res
                if not isinstance(res, Exception):
                    suffix = f"-{_digest(*sorted(self._files[tree]))}" if tree in self._files else ""
                    cache_dir.mkdir(parents=True, exist_ok=True)
                    (cache_dir / f"{tree.name}-{ident}{suffix}.json").write_text(json.dumps([asdict(f) for f in res]))
        return out


class Retort(Tool):
    name = "retort"

    def __init__(self, binary: str):
        self.binary = Path(binary)
        if not self.binary.is_file():
            raise SystemExit(f"retort binary not found: {binary}")

    def identity(self) -> str:
        return _file_digest(self.binary)

    def run(self, tree: Path) -> list[Finding]:
        res = subprocess.run([str(self.binary), "check", str(tree), "--format", "json"],
                             capture_output=True, text=True, timeout=TOOL_TIMEOUT)
        if res.returncode not in (0, 1):
            raise RuntimeError(f"retort check {tree.name} exited {res.returncode}: {res.stderr[-1000:]}")
        data = json.loads(res.stdout)
        return [Finding(f["code"], f["file"], int(f["line"]),
                        classify("retort", f["code"], [f.get("cwe")] if f.get("cwe") else []),
                        f.get("message", "")[:200])
                for f in data["findings"] if f.get("file")]


class Bandit(Tool):
    name = "bandit"

    def __init__(self, binary: str):
        self.binary = binary

    def identity(self) -> str:
        res = subprocess.run([self.binary, "--version"], capture_output=True, text=True)
        # "errors": results since parse errors are recorded as PARSE_ERROR findings
        return _digest(res.stdout.splitlines()[0] if res.stdout else self.binary, "errors")

    def run(self, tree: Path) -> list[Finding]:
        res = subprocess.run([self.binary, "-r", str(tree), "-f", "json", "-q"],
                             capture_output=True, text=True, timeout=TOOL_TIMEOUT)
        if res.returncode not in (0, 1):
            raise RuntimeError(f"bandit {tree.name} exited {res.returncode}: {res.stderr[-1000:]}")
        data = json.loads(res.stdout)
        out = []
        for r in data["results"]:
            cwe = (r.get("issue_cwe") or {}).get("id")
            rel = Path(r["filename"]).resolve().relative_to(tree.resolve()).as_posix()
            out.append(Finding(r["test_id"], rel, int(r["line_number"]),
                               classify("bandit", r["test_id"], [cwe] if cwe else []),
                               r.get("issue_text", "")[:200]))
        for err in data.get("errors", []):
            rel = Path(err["filename"]).resolve().relative_to(tree.resolve()).as_posix()
            out.append(Finding(PARSE_ERROR, rel, 0, None, err.get("reason", "")[:200]))
        return out


class Semgrep(Tool):
    name = "semgrep"
    per_file = True  # semgrep OSS: rules and taint tracking stay within one file

    def __init__(self, binary: str, rules: str):
        self.binary = binary
        self.rules = Path(rules)
        if not self.rules.is_dir():
            raise SystemExit(f"semgrep rules folder not found: {rules}")
        self.rule_files = sorted(p for p in self.rules.rglob("*.y*ml") if p.is_file())

    def identity(self) -> str:
        res = subprocess.run([self.binary, "--version"], capture_output=True, text=True)
        contents = [p.read_bytes() for p in self.rule_files]
        return _digest(res.stdout.strip(), *contents)

    def run(self, tree: Path) -> list[Finding]:
        res = self.run_many([tree], 1)[tree]
        if isinstance(res, Exception):
            raise res
        return res

    def run_many(self, trees: list[Path], workers: int) -> dict[Path, list[Finding] | Exception]:
        # One semgrep process for all trees: loading the rules costs more
        # than scanning most releases.
        cmd = [self.binary, "scan", "--json", "--quiet", "--metrics", "off", "--disable-version-check",
               "--no-git-ignore", "--timeout", "60", "--jobs", str(workers), "--config", str(self.rules)]
        for t in trees:
            files = getattr(self, "_files", {}).get(t)
            cmd += [str(t / f) for f in files] if files is not None else [str(t)]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=TOOL_TIMEOUT * 4,
                             env={**os.environ, "SEMGREP_SEND_METRICS": "off"})
        if not res.stdout.strip():
            err = RuntimeError(f"semgrep exited {res.returncode}: {res.stderr[-1000:]}")
            return {t: err for t in trees}
        data = json.loads(res.stdout)
        out: dict[Path, list[Finding] | Exception] = {t: [] for t in trees}
        roots = {t.resolve(): t for t in trees}
        for r in data["results"]:
            path = Path(r["path"]).resolve()
            tree = next((roots[root] for root in roots if path.is_relative_to(root)), None)
            if tree is None:
                continue
            meta = r.get("extra", {}).get("metadata", {}) or {}
            cwes = meta.get("cwe") or []
            if isinstance(cwes, str):
                cwes = [cwes]
            out[tree].append(Finding(r["check_id"], path.relative_to(tree.resolve()).as_posix(),
                                     int(r["start"]["line"]), classify("semgrep", r["check_id"], cwes),
                                     r.get("extra", {}).get("message", "")[:200]))
        for err in data.get("errors", []):
            path = err.get("path")
            if not path or "Syntax" not in str(err.get("type", "")) and "parse" not in str(err.get("message", "")).lower():
                continue
            path = Path(path).resolve()
            tree = next((roots[root] for root in roots if path.is_relative_to(root)), None)
            if tree is not None:
                out[tree].append(Finding(PARSE_ERROR, path.relative_to(tree.resolve()).as_posix(), 0, None,
                                         str(err.get("message", ""))[:200]))
        return out


# --------------------------------------------------------------------------
# places


def functions_of(path: Path) -> list[tuple[int, int, str]]:
    """(first line incl. decorators, last line, qualified name) of every def."""
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        return []
    out: list[tuple[int, int, str]] = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    first = min([child.lineno] + [d.lineno for d in child.decorator_list])
                    out.append((first, child.end_lineno or child.lineno, name))
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return out


def innermost(funcs: list[tuple[int, int, str]], line: int) -> str | None:
    best = None
    for first, last, name in funcs:
        if first <= line <= last and (best is None or first >= best[0]):
            best = (first, last, name)
    return best[2] if best else None


def map_lines(old: Path, new: Path, first: int, last: int) -> tuple[int, int] | None:
    """The line range of `new` that corresponds to [first, last] of `old`."""
    a = old.read_text(errors="replace").splitlines()
    b = new.read_text(errors="replace").splitlines()
    mapped: list[int] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        lo, hi = max(i1, first - 1), min(i2, last)
        if lo >= hi or tag == "delete":
            continue
        if tag == "equal":
            mapped += [j1 + (k - i1) + 1 for k in (lo, hi - 1)]
        else:  # replace / insert: the whole replacement
            if j2 > j1:
                mapped += [j1 + 1, j2]
    return (min(mapped), max(mapped)) if mapped else None


@dataclass
class Place:
    file: str
    first: int
    last: int
    functions: set[str]


def place_of(tree: Path, file: str, first: int, last: int) -> Place:
    path = tree / file
    funcs = functions_of(path) if path.suffix == ".py" and path.exists() else []
    names = {innermost(funcs, n) for n in range(first, last + 1)} - {None}
    return Place(file, first, last, names)


def matches(f: Finding, place: Place, accepted: set[str], funcs: list) -> bool:
    if f.cls not in accepted or f.file != place.file:
        return False
    if place.first - NEAR_LINES <= f.line <= place.last + NEAR_LINES:
        return True
    return bool(place.functions) and innermost(funcs, f.line) in place.functions


def score_entry(entry: dict, vuln_tree: Path, fixed_tree: Path,
                vuln_findings: list[Finding], fixed_findings: list[Finding]) -> Outcome:
    accepted = {entry["class"], *entry.get("accept", [])}
    out = Outcome(entry["id"], entry["package"], entry["class"], entry["in_scope"])
    funcs_cache: dict[Path, list] = {}

    def funcs(path: Path):
        if path not in funcs_cache:
            funcs_cache[path] = functions_of(path) if path.suffix == ".py" and path.exists() else []
        return funcs_cache[path]

    for where in entry["where"]:
        if any(f.rule == PARSE_ERROR and f.file == where["file"] for f in vuln_findings):
            out.unparsed.append(where["file"])
        first, last = where["lines"]
        vplace = place_of(vuln_tree, where["file"], first, last)
        if not (vuln_tree / where["file"]).exists():
            out.error = f"{where['file']} not in {vuln_tree.name}"
            continue
        hit = [f for f in vuln_findings if matches(f, vplace, accepted, funcs(vuln_tree / where["file"]))]
        if not hit:
            continue
        out.found = True
        out.matched += [f"{f.rule}@{f.file}:{f.line}" for f in hit]
        fixed_file = where.get("fixed_file", where["file"])
        fpath = fixed_tree / fixed_file
        if not fpath.exists():
            continue
        rng = map_lines(vuln_tree / where["file"], fpath, first, last)
        fplace = Place(fixed_file, rng[0] if rng else -10**9, rng[1] if rng else -10**9, vplace.functions)
        still = [f for f in fixed_findings if matches(f, fplace, accepted, funcs(fpath))]
        if still:
            out.still_flagged = True
            out.matched_fixed += [f"{f.rule}@{f.file}:{f.line}" for f in still]
    return out


# --------------------------------------------------------------------------
# driver


def evaluate(tool: Tool, entries: list[dict], workers: int = 2) -> list[Outcome]:
    trees = fetch.fetch_all(entries)
    releases = sorted({(e["package"], v) for e in entries for v in (e["vulnerable"], e["fixed"])})

    good = [trees[r] for r in releases if not isinstance(trees[r], Exception)]
    files = None
    if tool.per_file:
        files = {}
        for e in entries:
            for rel, key in (((e["package"], e["vulnerable"]), "file"), ((e["package"], e["fixed"]), "fixed_file")):
                tree = trees[rel]
                if isinstance(tree, Exception):
                    continue
                for w in e["where"]:
                    f = w.get(key, w["file"])
                    if (tree / f).is_file():
                        files.setdefault(tree, set()).add(f)
        files = {t: sorted(fs) for t, fs in files.items()}
        good = [t for t in good if t in files]
    by_tree = tool.findings_of(good, workers, files)
    results = {r: trees[r] if isinstance(trees[r], Exception) else by_tree.get(trees[r], []) for r in releases}
    outcomes = []
    for e in entries:
        v, f = (e["package"], e["vulnerable"]), (e["package"], e["fixed"])
        bad = [r for r in (results[v], results[f], trees[v], trees[f]) if isinstance(r, Exception)]
        if bad:
            outcomes.append(Outcome(e["id"], e["package"], e["class"], e["in_scope"], error=str(bad[0])[:300]))
            continue
        outcomes.append(score_entry(e, trees[v], trees[f], results[v], results[f]))
    return outcomes


def totals(outcomes: list[Outcome], in_scope_only: bool) -> dict:
    rows = [o for o in outcomes if o.in_scope or not in_scope_only]
    found = sum(o.found for o in rows)
    still = sum(o.still_flagged for o in rows)
    return {
        "entries": len(rows),
        "errors": sum(o.error is not None for o in rows),
        "found": found,
        "still_flagged": still,
        "found_rate": found / len(rows) if rows else 0.0,
        "still_flagged_rate": still / found if found else 0.0,
    }


def per_class(outcomes: list[Outcome]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for o in outcomes:
        c = out.setdefault(o.cls, {"entries": 0, "found": 0, "still_flagged": 0, "in_scope": o.in_scope})
        c["entries"] += 1
        c["found"] += o.found
        c["still_flagged"] += o.still_flagged
    return out


def load_checked_corpus() -> list[dict]:
    entries = fetch.load_corpus()
    for e in entries:
        for cls in [e["class"], *e["accept"]]:
            if cls not in CLASSES:
                raise SystemExit(f"corpus.toml: {e['id']}: unknown class {cls!r}")
    return entries


def build_tools(args) -> list[Tool]:
    tools: list[Tool] = []
    for name in args.tool:
        if name == "retort":
            binary = args.retort_bin or os.environ.get("RETORT_BIN")
            if not binary:
                raise SystemExit("--retort-bin or RETORT_BIN is needed")
            tools.append(Retort(binary))
        elif name == "bandit":
            tools.append(Bandit(args.bandit))
        elif name == "semgrep":
            rules = args.semgrep_rules or os.environ.get("SEMGREP_RULES")
            if not rules:
                raise SystemExit("--semgrep-rules or SEMGREP_RULES is needed")
            tools.append(Semgrep(args.semgrep, rules))
        else:
            raise SystemExit(f"unknown tool {name}")
    return tools


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tool", action="append", choices=["retort", "bandit", "semgrep"])
    ap.add_argument("--retort-bin")
    ap.add_argument("--bandit", default="bandit")
    ap.add_argument("--semgrep", default="semgrep")
    ap.add_argument("--semgrep-rules")
    ap.add_argument("--json", help="write the outcomes of every tool to this file")
    ap.add_argument("ids", nargs="*")
    args = ap.parse_args(argv)
    args.tool = args.tool or ["retort"]
    entries = fetch.select(load_checked_corpus(), args.ids)
    report = {}
    for tool in build_tools(args):
        outcomes = evaluate(tool, entries)
        report[tool.name] = {
            "identity": tool.identity(),
            "in_scope": totals(outcomes, True),
            "all": totals(outcomes, False),
            "per_class": per_class(outcomes),
            "outcomes": [asdict(o) for o in outcomes],
        }
        t = report[tool.name]["in_scope"]
        a = report[tool.name]["all"]
        print(f"{tool.name}: in scope {t['found']}/{t['entries']} found ({t['found_rate']:.0%}), "
              f"{t['still_flagged']} still flagged ({t['still_flagged_rate']:.0%} of found); "
              f"all {a['found']}/{a['entries']} ({a['found_rate']:.0%}); errors {a['errors']}")
        for o in outcomes:
            if o.error:
                print(f"  {o.id}: ERROR {o.error}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
