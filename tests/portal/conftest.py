"""A running `retort serve` on a free loopback port with a temporary
SQLite store, a token, and a headless Chromium pointed at it."""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

RETORT = os.environ.get("RETORT_BIN")
REPO = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Portal:
    def __init__(self, url, token, database, proc):
        self.url = url
        self.token = token
        self.database = database
        self.proc = proc

    def push(self, path, *extra):
        result = subprocess.run(
            [RETORT, "push", self.url, "--token", self.token, str(path), *extra],
            capture_output=True, text=True, timeout=600,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def get_json(self, path):
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return json.load(response)


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    if not RETORT:
        pytest.skip("RETORT_BIN is not set")
    folder = tmp_path_factory.mktemp("portal")
    database = folder / "portal.db"
    token = subprocess.run(
        [RETORT, "serve", "token", "create", "--database", str(database)],
        capture_output=True, text=True, check=True,
    ).stdout
    assert token.startswith("rtp_") and token.count("\n") == 1, "the token alone on stdout"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(folder / "serve.log", "w")
    proc = subprocess.Popen(
        [RETORT, "serve", "--listen", f"127.0.0.1:{port}", "--database", str(database)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("retort serve did not start: " + (folder / "serve.log").read_text())
            time.sleep(0.1)
    yield Portal(url, token.strip(), database, proc)
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def find_browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None
    )
    return chromium, driver


@pytest.fixture(scope="session")
def browser():
    chromium, driver = find_browser()
    if not chromium or not driver:
        pytest.skip("chromium or chromedriver missing (Debian: apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (tests/portal/requirements.txt)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--force-device-scale-factor=1"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_proc = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    driver_proc.set_page_load_timeout(60)
    yield driver_proc
    driver_proc.quit()
