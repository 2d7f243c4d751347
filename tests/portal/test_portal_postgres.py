"""The `retort` binary itself on PostgreSQL: token, serve, push, pages,
restart. Runs when RETORT_TEST_POSTGRES_URL names a server (scripts/test.sh
starts one); a scratch database is created and dropped with psql."""

import json
import os
import secrets
import shutil
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from conftest import REPO, RETORT, free_port

PG_URL = os.environ.get("RETORT_TEST_POSTGRES_URL")

pytestmark = [
    pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set"),
    pytest.mark.skipif(not PG_URL, reason="RETORT_TEST_POSTGRES_URL is not set"),
    pytest.mark.skipif(not shutil.which("psql"), reason="psql is missing"),
]


@pytest.fixture
def database():
    name = "retort_pytest_" + secrets.token_hex(4)
    subprocess.run(["psql", PG_URL, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    parts = urllib.parse.urlsplit(PG_URL)
    yield urllib.parse.urlunsplit(parts._replace(path="/" + name))
    subprocess.run(["psql", PG_URL, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)


def start(database, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(tmp_path / f"serve-{port}.log", "w")
    proc = subprocess.Popen([RETORT, "serve", "--listen", f"127.0.0.1:{port}", "--database", database],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).read()
            return url, proc
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("retort serve did not start: " + (tmp_path / f"serve-{port}.log").read_text())
            time.sleep(0.1)


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode()


def test_serve_push_and_restart_on_postgres(database, tmp_path):
    token = subprocess.run([RETORT, "serve", "token", "create", "--database", database],
                           capture_output=True, text=True, check=True).stdout.strip()
    url, proc = start(database, tmp_path)
    try:
        pushed = subprocess.run([RETORT, "push", url, "--token", token, str(REPO / "examples" / "shopfront")],
                                capture_output=True, text=True, timeout=600)
        assert pushed.returncode == 0, pushed.stderr
        assert "check" in json.loads(pushed.stdout)["stored"]
        for page in ["/", "/services/shopfront", "/org", "/search?q=%2Faccount%2F"]:
            status, body = get(url + page)
            assert status == 200, page
        assert "account.dashboard" in get(url + "/search?q=%2Faccount%2F")[1]
        assert '<svg class="chart"' in get(url + "/services/shopfront")[1]
        bad = subprocess.run([RETORT, "push", url, "--token", "rtp_" + "0" * 64, str(REPO / "examples" / "shopfront")],
                             capture_output=True, text=True, timeout=600)
        assert bad.returncode == 2 and "refused the token" in bad.stderr
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0, "a clean stop on SIGTERM"
    url, proc = start(database, tmp_path)
    try:
        services = json.loads(get(url + "/api/services")[1])
        assert [s["name"] for s in services] == ["shopfront"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
