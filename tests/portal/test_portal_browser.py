"""`retort serve` in a real browser (Debian's Chromium, headless): pages
render, search works, charts are present, nothing logs a console error,
and hostile route names, docstrings and file names are shown as text
and never run."""

import os
import shutil
import subprocess
import textwrap
import time
import urllib.parse
from pathlib import Path

import pytest

from conftest import REPO, RETORT

SHOPFRONT = REPO / "examples" / "shopfront"
SCREENSHOT = REPO / "docs" / "img" / "portal.png"

HOSTILE_RULE = '/evil/"><img src=x onerror=alert(1)>'
HOSTILE_DOC = "<script>alert('doc')</script> \u202etxt.exe"
HOSTILE_FILE = "views\u202e<b>yp.py"


def console_errors(browser):
    return [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]


def no_alert(browser):
    from selenium.common.exceptions import NoAlertPresentException

    try:
        text = browser.switch_to.alert.text
    except NoAlertPresentException:
        return True
    pytest.fail(f"a script ran: alert({text!r})")


@pytest.fixture(scope="module")
def pushed(portal, tmp_path_factory):
    # shopfront at up to three earlier commits that changed it (exported with
    # git archive, so scan/check/openapi only) for the history, then at HEAD
    # (all analyses), then a load run of the portal itself by `retort load`.
    folder = tmp_path_factory.mktemp("results")
    log = subprocess.run(
        ["git", "-C", str(REPO), "log", "--format=%H %ct", "-n", "4", "--", "examples/shopfront"],
        capture_output=True, text=True, check=True,
    ).stdout.split("\n")
    earlier = [line.split() for line in log if line.strip()][1:]
    for commit, time_ in reversed(earlier):
        export = folder / f"export-{commit[:10]}"
        export.mkdir()
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "examples/shopfront"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(export)], input=archive, check=True)
        portal.push(export / "examples" / "shopfront", "--service", "shopfront",
                    "--commit", commit, "--time", time_)
    first = portal.push(SHOPFRONT)
    assert "check" in first["stored"] and "scan" in first["stored"]
    head = subprocess.run(["git", "-C", str(SHOPFRONT), "rev-parse", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    load_json = folder / "load.json"
    subprocess.run([RETORT, "load", portal.url + "/", "-c", "4", "-n", "400", "--json", str(load_json)],
                   capture_output=True, check=True, timeout=120)
    portal.push(SHOPFRONT, "--file", f"load={load_json}")
    # The hostile project: its names come from the code, as with any repository.
    evil = folder / "evil-service"
    evil.mkdir()
    (evil / HOSTILE_FILE).write_text(textwrap.dedent(f'''\
        from flask import Flask
        app = Flask(__name__)

        @app.route({HOSTILE_RULE!r})
        def evil():
            {HOSTILE_DOC!r}
            return "x"
        '''))
    outcome = portal.push(evil, "--commit", "hostile-1", "--service", "evil\"'<svc>\u2066")
    assert "scan" in outcome["stored"]
    return head


def test_services_page_lists_levels(portal, pushed, browser):
    from selenium.webdriver.common.by import By

    browser.get(portal.url + "/")
    assert "Retort portal" in browser.title
    rows = browser.find_elements(By.CSS_SELECTOR, "table.services tbody tr")
    names = [r.find_element(By.CSS_SELECTOR, "td a").text for r in rows]
    assert "shopfront" in names
    assert browser.find_elements(By.CSS_SELECTOR, "table.services .level"), "level badges"
    assert not console_errors(browser)


def test_service_page_has_charts_routes_and_findings(portal, pushed, browser):
    from selenium.webdriver.common.by import By

    browser.get(portal.url + "/services/shopfront")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) >= 3, "scorecards, findings and load charts"
    assert all(c.size["width"] > 100 and c.size["height"] > 100 for c in charts), "charts are drawn"
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart polyline.series")
    scan = portal.get_json("/api/services/shopfront/results/scan")
    routes = browser.find_elements(By.CSS_SELECTOR, "table.routes tbody tr")
    assert len(routes) == len(scan["routes"]) > 40
    assert browser.find_elements(By.CSS_SELECTOR, "table.findings tbody tr"), "shopfront has deliberate gaps"
    assert browser.find_elements(By.CSS_SELECTOR, "table.components tbody tr"), "ownership from git"
    assert not console_errors(browser)


def test_search_from_the_header_finds_who_serves_a_path(portal, pushed, browser):
    from selenium.webdriver.common.by import By

    browser.get(portal.url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "header form.search input[name=q]")
    box.send_keys("/account/")
    box.submit()
    deadline = time.time() + 10
    while "/search" not in browser.current_url and time.time() < deadline:
        time.sleep(0.1)
    rows = browser.find_elements(By.CSS_SELECTOR, "table.routes tbody tr")
    endpoints = [r.find_elements(By.TAG_NAME, "td")[3].text for r in rows]
    assert "account.dashboard" in endpoints
    assert all(r.find_element(By.CSS_SELECTOR, "td a").text for r in rows), "each hit names its service"
    assert not console_errors(browser)


def test_organisation_views_render(portal, pushed, browser):
    from selenium.webdriver.common.by import By

    browser.get(portal.url + "/org?category=security&level=silver")
    headings = [h.text for h in browser.find_elements(By.TAG_NAME, "h2")]
    assert any("below silver in security" in h for h in headings)
    assert any("bus factor 1" in h for h in headings)
    rules = browser.find_elements(By.CSS_SELECTOR, "table.rules tbody tr")
    assert rules, "rules failing most often"
    assert not console_errors(browser)


def test_hostile_names_are_text_and_never_run(portal, pushed, browser):
    from selenium.webdriver.common.by import By

    name = "evil\"'<svc>\u2066"
    pages = [
        "/",
        "/services/" + urllib.parse.quote(name, safe=""),
        "/search?q=" + urllib.parse.quote("/evil/"),
    ]
    for page in pages:
        browser.get(portal.url + page)
        no_alert(browser)
        assert not browser.find_elements(By.CSS_SELECTOR, "main img"), page
        assert browser.execute_script("return document.scripts.length") == 0, page
        assert not console_errors(browser), page
    browser.get(portal.url + pages[1])
    text = browser.find_element(By.TAG_NAME, "main").text
    assert HOSTILE_RULE in text, "the rule shown as written"
    assert "<script>alert('doc')</script>" in text, "the docstring shown as text"
    assert "[U+202E]" in text and "\u202e" not in text, "bidi controls made visible"
    assert "evil\"'<svc>[U+2066]" in text
    assert "views[U+202E]<b>yp.py" in text, "the file name shown as text"


def test_screenshot(portal, pushed, browser, tmp_path):
    browser.set_window_size(1280, 900)
    browser.get(portal.url + "/services/shopfront")
    target = tmp_path / "portal.png"
    assert browser.save_screenshot(str(target))
    assert target.stat().st_size > 10_000
    if os.environ.get("RETORT_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, SCREENSHOT)
