"""`retort report` in a real browser: Debian's Chromium, headless, driven by
chromedriver through selenium. The page must render, search and sort, draw
its charts, log no console error, request nothing but itself, and show the
hostile strings of tests/report/hostile_app as text without running them.

Set RETORT_SCREENSHOT=1 to (re)write docs/img/report.png, the README's
screenshot, from this browser.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

RETORT = os.environ.get("RETORT_BIN")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
REPO = Path(__file__).resolve().parents[2]
HOSTILE_APP = Path(__file__).resolve().parent / "hostile_app"
# A file name with an attribute break-out, markup and a bidi override.
HOSTILE_FILE_NAME = 'x"><img src=x onerror="window.__retort_pwned_file=1">\u202egnp.py'
HOSTILE_AUTHOR = 'Mallory "\u202eevil\u2069" O\'Neil'
# The project's folder name becomes the page title.
HOSTILE_FOLDER = 'app"><img src=x onerror="window.__retort_pwned_title=1"><!--\u202e'
PWNED_FLAGS = ["rule", "doc", "endpoint", "file", "author", "title"]

pytestmark = [
    pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set"),
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="Debian's chromium and chromium-driver are not installed (scripts/test.sh installs them as root)",
    ),
]

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402


def run(*args, cwd=None, env=None, ok=(0,)):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)
    assert result.returncode in ok, f"{args}: {result.returncode}\n{result.stderr}"
    return result


def git(repo: Path, *args, author=("Alice Example", "alice@example.org")):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({
        "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1],
        "GIT_COMMITTER_NAME": author[0], "GIT_COMMITTER_EMAIL": author[1],
    })
    return run("git", "-C", repo, *args, env=env)


class Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = b"ok"
        self.send_response(200 if self.path != "/fail" else 500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def load_result(path: Path) -> Path:
    """A real `retort load --json` result against a local server."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        run(RETORT, "load", url, "-c", "2", "-d", "2s", "-q", "--json", path,
            "--threshold", "p95 < 500ms", "--threshold", "error_rate < 1%", ok=(0, 1))
    finally:
        server.shutdown()
    return path


def slo_result(directory: Path) -> Path:
    """A real `retort slo report --format json` result from an access log."""
    spec = directory / "retort-slo.toml"
    spec.write_text('service = "shopfront"\n[[objectives]]\nname = "availability"\navailability = "99%"\n'
                    '[[objectives]]\nname = "cart"\nroute = "/cart/"\navailability = "99.9%"\n')
    lines = []
    for minute in range(120):
        for path, status in (("/", 200), ("/cart/", 500 if minute % 20 == 0 else 200)):
            lines.append(f'127.0.0.1 - - [06/Dec/2026:{10 + minute // 60:02}:{minute % 60:02}:00 +0000] '
                         f'"GET {path} HTTP/1.1" {status} 3 "-" "t"')
    log = directory / "access.log"
    log.write_text("\n".join(lines) + "\n")
    out = run(RETORT, "slo", "report", "--spec", spec, "--access-log", log, "--format", "json", ok=(0, 1))
    target = directory / "slo.json"
    target.write_text(out.stdout)
    return target


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """examples/shopfront in a git repository written by two authors, with a
    load result and an SLO report: every section has data."""
    base = tmp_path_factory.mktemp("shop")
    repo = base / "shopfront"
    shutil.copytree(REPO / "examples/shopfront", repo, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A", ":!shopfront/cart")
    git(repo, "commit", "-q", "-m", "shop without the cart")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the cart", author=("Bob Builder", "bob@example.org"))
    views = repo / "shopfront/cart/views.py"
    views.write_text(views.read_text() + "\n# tuned\n")
    git(repo, "commit", "-q", "-am", "tune the cart", author=("Bob Builder", "bob@example.org"))
    report = base / "report.html"
    run(RETORT, "report", repo, "--load", load_result(base / "run.json"), "--slo", slo_result(base), "-o", report)
    catalog = json.loads(run(RETORT, "scan", repo, "--format", "json").stdout)
    arch = json.loads(run(RETORT, "arch", repo, "--format", "json").stdout)
    return {"report": report, "catalog": catalog, "arch": arch}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    repo = base / HOSTILE_FOLDER
    shutil.copytree(HOSTILE_APP, repo, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (repo / HOSTILE_FILE_NAME).write_text(
        '"""<script>window.__retort_pwned_doc=1</script>"""\nfrom flask import Flask\n\n'
        'other = Flask(__name__)\n\n\n@other.route("/from-a-hostile-file")\ndef hostile_file():\n'
        '    return "x"\n\n\nother.run(debug=True)\n')
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "<script>window.__retort_pwned_author=1</script>",
        author=(HOSTILE_AUTHOR, "mallory@example.org"))
    report = base / "report.html"
    run(RETORT, "report", repo, "-o", report)
    return {"report": report}


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--hide-scrollbars"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def open_report(driver, path: Path):
    """Loads the page; returns (console entries, requested URLs) of the load."""
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(path.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    console = driver.get_log("browser")
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return console, requests


def visible_rows(driver, table_id):
    return driver.execute_script(
        "return Array.from(document.getElementById(arguments[0]).tBodies[0].rows)"
        ".filter(r => !r.hidden).map(r => r.textContent)", table_id)


def column(driver, table_id, index, attribute=None):
    return driver.execute_script(
        "return Array.from(document.getElementById(arguments[0]).tBodies[0].rows).map(r => {"
        " const c = r.cells[arguments[1]]; return arguments[2] ? c.getAttribute(arguments[2]) : c.textContent.trim(); })",
        table_id, index, attribute)


def click_header(driver, table_id, name):
    buttons = driver.find_elements(By.CSS_SELECTOR, f"#{table_id} thead th button")
    match = [b for b in buttons if b.text.strip() == name]
    assert match, f"no column {name} in {table_id}"
    match[0].click()


def test_shop_report_renders_every_section(browser, shop):
    console, requests = open_report(browser, shop["report"])
    assert browser.title == "Retort report: shopfront"
    sections = [s.get_attribute("id") for s in browser.find_elements(By.CSS_SELECTOR, "main > section")]
    assert sections == ["summary", "routes", "scorecard", "findings", "architecture", "team", "load", "slo", "rules"]
    # Every section had input: none says "not available" (arch has history, load and slo were given).
    assert browser.find_elements(By.CSS_SELECTOR, ".na") == []
    assert len(visible_rows(browser, "route-table")) == len(shop["catalog"]["routes"])
    team = browser.find_element(By.ID, "team").text
    assert "Alice Example" in team and "Bob Builder" in team
    assert "requests per second" in browser.find_element(By.ID, "load").text
    assert "cart" in browser.find_element(By.ID, "slo-table").text
    # The finding groups link to rule documentation that is in the page.
    links = browser.find_elements(By.CSS_SELECTOR, "#findings a[href^='#rule-']")
    assert links
    for link in links:
        assert browser.find_elements(By.ID, link.get_attribute("href").split("#")[1])

    if os.environ.get("RETORT_SCREENSHOT") == "1":
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        browser.execute_script("window.scrollTo(0, 0)")
        target = REPO / "docs/img/report.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            assert browser.save_screenshot(str(target))
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_no_console_errors_and_no_network(browser, shop, hostile):
    for report in (shop["report"], hostile["report"]):
        console, requests = open_report(browser, report)
        # The log works (it saw the page itself) and saw nothing else.
        assert report.as_uri() in requests, requests
        assert [u for u in requests if u != report.as_uri()] == []
        errors = [e for e in console if e["level"] in ("SEVERE", "WARNING")]
        assert errors == [], errors
        # Nothing was fetched after the load either (resource timing).
        assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_search_filters_route_rows(browser, shop):
    open_report(browser, shop["report"])
    rows = visible_rows(browser, "route-table")
    search = browser.find_element(By.ID, "route-table-search")
    search.send_keys("admin")
    shown = visible_rows(browser, "route-table")
    expected = [r for r in rows if "admin" in r.lower()]
    assert 0 < len(shown) < len(rows)
    assert shown == expected
    assert browser.find_element(By.ID, "route-table-shown").text == f"{len(expected)} of {len(rows)} shown"
    search.send_keys(" POST")  # every word must match
    assert visible_rows(browser, "route-table") == [r for r in expected if "post" in r.lower()]
    search.clear()
    search.send_keys("no-such-route-anywhere")
    assert visible_rows(browser, "route-table") == []
    search.clear()
    search.send_keys(" ")
    assert len(visible_rows(browser, "route-table")) == len(rows)


def test_search_filters_findings(browser, shop):
    open_report(browser, shop["report"])
    count = "return document.querySelectorAll('#findings .finding:not([hidden])').length"
    groups = "return Array.from(document.querySelectorAll('#findings details.rule')).filter(g => !g.hidden).map(g => g.id)"
    total = browser.execute_script(count)
    check = json.loads(run(RETORT, "check", shop["report"].parent / "shopfront", "--format", "json", ok=(0, 1)).stdout)
    assert total == len(check["findings"])
    search = browser.find_element(By.ID, "findings-search")
    code = max(sorted({f["code"] for f in check["findings"]}), key=lambda c: sum(f["code"] == c for f in check["findings"]))
    search.send_keys(code.lower())  # case-insensitive; the code is in the group heading, not in each finding
    expected = [f for f in check["findings"] if f["code"] == code or code.lower() in f["message"].lower()]
    assert browser.execute_script(count) == len(expected) > 0
    assert f"findings-{code}" in browser.execute_script(groups)
    search.send_keys(" no-such-finding-anywhere")
    assert browser.execute_script(count) == 0
    assert browser.execute_script(groups) == []


def test_clicking_a_header_sorts(browser, shop):
    open_report(browser, shop["report"])
    # Numbers sort as numbers (10 after 9), both ways.
    lines = [float(v) for v in column(browser, "component-table", 3, "data-sort")]
    assert lines != sorted(lines) and lines != sorted(lines, reverse=True), "the page order must not be sorted already"
    click_header(browser, "component-table", "Lines")
    ascending = [float(v) for v in column(browser, "component-table", 3, "data-sort")]
    assert ascending == sorted(lines)
    click_header(browser, "component-table", "Lines")
    assert [float(v) for v in column(browser, "component-table", 3, "data-sort")] == sorted(lines, reverse=True)
    # Text sorts case-insensitively (methods hold letters and spaces only).
    methods = column(browser, "route-table", 0)
    assert methods != sorted(methods, key=str.casefold), "the page order must not be sorted already"
    click_header(browser, "route-table", "Methods")
    assert column(browser, "route-table", 0) == sorted(methods, key=str.casefold)
    header = browser.find_elements(By.CSS_SELECTOR, "#route-table thead th")[0]
    assert header.get_attribute("aria-sort") == "ascending"


def test_charts_are_drawn(browser, shop):
    open_report(browser, shop["report"])
    graph = browser.find_element(By.ID, "component-graph")
    assert graph.size["width"] > 300 and graph.size["height"] > 100
    nodes = graph.find_elements(By.CSS_SELECTOR, "g.component")
    assert len(nodes) == len(shop["arch"]["components"])
    edges = graph.find_elements(By.CSS_SELECTOR, "path.edge")
    assert len(edges) == len({(d["from"], d["to"]) for d in shop["arch"]["dependencies"]})
    for chart in ("scorecard-chart", "findings-chart", "hotspot-chart", "plan-chart", "authors-chart",
                  "latency-chart", "throughput-chart", "budget-chart"):
        svg = browser.find_element(By.ID, chart)
        assert svg.size["width"] > 100, chart
        assert svg.find_elements(By.CSS_SELECTOR, "rect.bar, polyline"), chart


def test_hostile_strings_are_text_and_never_run(browser, hostile):
    console, requests = open_report(browser, hostile["report"])
    flags = browser.execute_script(
        "return arguments[0].map(f => window['__retort_pwned_' + f] === undefined ? null : f)", PWNED_FLAGS)
    assert flags == [None] * len(PWNED_FLAGS)
    # Escaping, independently of the Content-Security-Policy that would also
    # stop a script: no element came from the input.
    assert browser.execute_script("return document.scripts.length") == 1
    injected = browser.execute_script(
        "return document.querySelectorAll('img, iframe, object, embed, [onerror], [onload], [src]').length")
    assert injected == 0
    text = browser.find_element(By.TAG_NAME, "body").text
    assert "/<script>window.__retort_pwned_rule=1</script>" in text
    assert '"><img src=x onerror="window.__retort_pwned_endpoint=1">' in text
    assert "It's \"quoted\" & 'single-quoted' </td></tr></table></section>" in text
    assert "/bidi/[U+202E]exe.txt[U+2066]/<int:item_id>" in text
    assert "/literal/[U+202E]/overrides" in text
    assert 'x"><img src=x onerror="window.__retort_pwned_file=1">[U+202E]gnp.py' in text
    assert "[U+202E]evil[U+2069]" in text, "author names from git are untrusted too"
    assert browser.title == 'Retort report: app"><img src=x onerror="window.__retort_pwned_title=1"><!--[U+202E]'
    source = browser.execute_script("return document.documentElement.outerHTML")
    assert "\u202e" not in source and "\u2066" not in source and "\u2069" not in source
    # Searching for the hostile text finds its row.
    browser.find_element(By.ID, "route-table-search").send_keys("<script>")
    shown = visible_rows(browser, "route-table")
    assert len(shown) == 1 and "__retort_pwned_rule" in shown[0]


def test_print_layout(browser, shop):
    open_report(browser, shop["report"])
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        nav = browser.find_element(By.CSS_SELECTOR, "nav.sections")
        assert nav.value_of_css_property("display") == "none"
        assert browser.find_element(By.CSS_SELECTOR, ".search").value_of_css_property("display") == "none"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    # Printing opens folded sections first, and yields a PDF.
    folded = browser.execute_script("return document.querySelectorAll('details:not([open])').length")
    assert folded > 0
    from selenium.webdriver.common.print_page_options import PrintOptions
    pdf = browser.print_page(PrintOptions())
    assert len(pdf) > 10_000
    assert browser.execute_script("return document.querySelectorAll('details:not([open])').length") == 0
