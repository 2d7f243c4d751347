"""`retort slo report`'s path → rule mapping against werkzeug's own
`Map.bind(...).match()` (the library only: the app file is scanned by
Retort, never imported), on rules with every built-in converter and their
arguments (`int(min=, max=)`, `string(minlength=, maxlength=, length=)`,
`fixed_digits`, `signed`, `any`, `path`, `uuid`), custom converters
registered on `url_map.converters` (a class `regex`, a `weight`, and the
classic `RegexConverter` taking its regex from the rule), and random
paths."""

import inspect
import json
import os
import random
import subprocess

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, Map, Rule

RETORT = os.environ.get("RETORT_BIN")
pytestmark = pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set")

RULES = [
    "/months/<int(min=1, max=12):month>",
    "/months/<name>",
    "/scores/<int(signed=True, max=3):score>",
    "/scores/<float(max=9.5):value>",
    "/years/<int(fixed_digits=4, min=1990):year>",
    "/years/<string(length=2):short>",
    "/codes/<string(minlength=3, maxlength=5):code>",
    "/codes/<int:n>",
    "/lang/<any(en, fr, de):code>",
    "/files/<path:rest>",
    "/u/<uuid:id>",
    "/plain/",
]

SEGMENTS = ["0", "1", "7", "12", "13", "99", "-3", "-6", "-5", "2.5", "9.5", "9.75", "1989", "1990", "2024",
            "20", "ab", "abc", "abcde", "abcdef", "en", "fr", "it", "x/y", "0f8fad5b-d9cb-469f-a165-70867728950e",
            "0012", ""]
PREFIXES = ["months", "scores", "years", "codes", "lang", "files", "u", "plain"]


def app_source():
    lines = ["from flask import Flask", "app = Flask(__name__)", ""]
    for i, rule in enumerate(RULES):
        lines += [f"@app.route({rule!r})", f"def view{i}(**kwargs):", "    return ''", ""]
    return "\n".join(lines)


def test_paths_map_to_the_rule_werkzeug_picks(tmp_path):
    rng = random.Random(15)
    paths = sorted({f"/{p}/{s}" for p in PREFIXES for s in SEGMENTS} |
                   {f"/{rng.choice(PREFIXES)}/{rng.choice(SEGMENTS)}" for _ in range(200)})
    compare(tmp_path, app_source(), Map([Rule(r, endpoint=r) for r in RULES]), paths)


class RegexConverter(BaseConverter):
    def __init__(self, url_map, *items):
        super().__init__(url_map)
        self.regex = items[0]


class LangConverter(BaseConverter):
    regex = "[a-z]{2}"


class SlugConverter(BaseConverter):
    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"
    weight = 20


CUSTOM_RULES = [
    "/<lang:code>/home",
    '/codes/<regex("[A-Z]{3}"):code>',
    "/codes/<name>",
    "/posts/<slug:s>",
    "/posts/<name>",
    '/v/<regex("[0-9]+-[a-z]+"):ver>/x',
]

# The app file as Retort scans it: the converter classes above, as
# source, registered both ways Flask apps do it.
CUSTOM_APP = "\n\n".join(
    ["from flask import Flask\nfrom werkzeug.routing import BaseConverter"]
    + [inspect.getsource(c) for c in (RegexConverter, LangConverter, SlugConverter)]
    + ["app = Flask(__name__)\n"
       'app.url_map.converters["regex"] = RegexConverter\n'
       "app.url_map.converters.update(lang=LangConverter, slug=SlugConverter)\n"])


def test_custom_converters_map_like_werkzeug(tmp_path):
    source = CUSTOM_APP + "\n".join(
        f"@app.route({rule!r})\ndef view{i}(**kwargs):\n    return ''\n" for i, rule in enumerate(CUSTOM_RULES))
    converters = {"regex": RegexConverter, "lang": LangConverter, "slug": SlugConverter}
    url_map = Map([Rule(r, endpoint=r) for r in CUSTOM_RULES], converters=converters)
    segments = ["en", "eng", "EN", "ABC", "ABCD", "abc", "hello", "hello-world", "Hello", "a--b", "12-ab",
                "12-AB", "x-12", "7"]
    paths = sorted({f"/{s}/home" for s in segments} | {f"/codes/{s}" for s in segments} |
                   {f"/posts/{s}" for s in segments} | {f"/v/{s}/x" for s in segments})
    data = compare(tmp_path, source, url_map, paths)
    assert not [n for n in data["notes"] if "converter" in n], data["notes"]


def compare(tmp_path, source, url_map, paths):
    """Writes `source` as the app Retort scans, sends `paths` through a log,
    and checks every path is counted under the rule werkzeug's `url_map`
    matches (or unmatched)."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "app.py").write_text(source)
    urls = url_map.bind("localhost")
    expected = {}
    log_lines = []
    for i, path in enumerate(paths):
        try:
            rule, _ = urls.match(path)
        except HTTPException as redirect_or_missing:
            # strict_slashes: werkzeug redirects `/plain` to `/plain/`; Retort counts it under the rule.
            location = getattr(redirect_or_missing, "new_url", None)
            rule = "/plain/" if location and location.endswith("/plain/") else None
        if rule:
            expected[rule] = expected.get(rule, 0) + 1
        log_lines.append(f'127.0.0.1 - - [01/Dec/2026:10:00:{i % 60:02d} +0000] "GET {path} HTTP/1.1" 200 1 "-" "t"')
    log = tmp_path / "access.log"
    log.write_text("\n".join(log_lines) + "\n")
    spec = tmp_path / "slo.toml"
    spec.write_text('service = "s"\n[[objectives]]\nname = "availability"\navailability = "99%"\n')
    report = subprocess.run([RETORT, "slo", "report", "--spec", str(spec), "--scan", str(tmp_path / "app"),
                             "--access-log", str(log), "--format", "json", "--at", "2026-12-01T11:00:00Z"],
                            capture_output=True, text=True, timeout=120)
    assert report.returncode in (0, 1), report.stderr
    data = json.loads(report.stdout)
    got = {r["rule"]: r["requests"] for r in data["routes"] if r["requests"]}
    assert got == expected
    assert data["unmatched"]["requests"] == len(paths) - sum(expected.values())
    return data
