"""`retort slo report` on logs written by a real gunicorn serving a Flask
app, driven by `retort load --from-scan`: every request the load tool
sent is read back from gunicorn's access log (default format and a custom
`access_log_format` with durations) and counted under the same Flask rule
the load tool named it after."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

APP_DIR = Path(__file__).parent.parent / "load" / "app"
RETORT = os.environ.get("RETORT_BIN")

pytestmark = pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set")

CUSTOM = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(log, log_format):
    port = free_port()
    args = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
            "--log-level", "warning", "--access-logfile", str(log)]
    if log_format:
        args += ["--access-logformat", log_format]
    proc = subprocess.Popen(args + ["shop:app"], cwd=APP_DIR)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("gunicorn exited")
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


@pytest.mark.parametrize("log_format", [None, CUSTOM], ids=["default", "custom-with-durations"])
def test_gunicorn_access_log_is_read_back_request_for_request(tmp_path, log_format):
    log = tmp_path / "access.log"
    proc, url = serve(log, log_format)
    try:
        load = tmp_path / "load.json"
        run = subprocess.run([RETORT, "load", "-q", "--from-scan", str(APP_DIR), url, "-n", "300", "-c", "4",
                              "--json", str(load)], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr + run.stdout
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    sent = {r["name"]: r["requests"] for r in json.loads(load.read_text())["requests"]}

    spec = tmp_path / "retort-slo.toml"
    spec.write_text('service = "shop"\n'
                    '[[objectives]]\nname = "availability"\navailability = "99%"\n'
                    '[[objectives]]\nname = "p99"\nlatency = "5s"\nquantile = "p99"\n')
    args = [RETORT, "slo", "report", "--spec", str(spec), "--scan", str(APP_DIR), "--access-log", str(log),
            "--format", "json"]
    if log_format:
        args += ["--log-format", log_format]
    report = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert report.returncode in (0, 1), report.stderr
    data = json.loads(report.stdout)
    assert data["input"]["bad_lines"] == 0, data["input"]["bad_samples"]
    assert data["input"]["requests"] == 300
    assert data["unmatched"]["requests"] == 0, data["unmatched"]["groups"]
    read = {r["rule"]: r["requests"] for r in data["routes"]}
    assert read == sent
    availability, p99 = data["objectives"]
    assert availability["total"] == 300
    if log_format:
        assert p99["total"] == 300 and p99["requests_without_duration"] == 0
    else:
        # The default format has no durations: unresolved, not guessed.
        assert p99["total"] == 0 and p99["requests_without_duration"] == 300
        assert p99["unresolved"]


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
NGINX_TIMED = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
               '"$http_referer" "$http_user_agent" $request_time')


@pytest.mark.skipif(not NGINX, reason="nginx is not installed (apt-get install nginx-light)")
def test_nginx_combined_and_timed_logs_in_front_of_gunicorn(tmp_path):
    backend_log = tmp_path / "gunicorn.log"
    proc, backend = serve(backend_log, None)
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""
worker_processes 1;
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    log_format timed '{NGINX_TIMED}';
    access_log {tmp_path}/combined.log combined;
    access_log {tmp_path}/timed.log timed;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    server {{
        listen 127.0.0.1:{port};
        location / {{ proxy_pass {backend}; }}
    }}
}}
""")
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp_path)])
    try:
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                assert nginx.poll() is None, (tmp_path / "nginx-error.log").read_text()
                time.sleep(0.1)
        load = tmp_path / "load.json"
        run = subprocess.run([RETORT, "load", "-q", "--from-scan", str(APP_DIR), f"http://127.0.0.1:{port}",
                              "-n", "200", "-c", "4", "--json", str(load)], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr + run.stdout
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        proc.terminate()
        proc.wait(timeout=10)
    sent = {r["name"]: r["requests"] for r in json.loads(load.read_text())["requests"]}
    spec = tmp_path / "retort-slo.toml"
    spec.write_text('[[objectives]]\nname = "availability"\navailability = "99%"\n'
                    '[[objectives]]\nname = "fast"\nlatency = "5s"\ntarget = 0.99\n')
    for log, log_format in [(tmp_path / "combined.log", "combined"), (tmp_path / "timed.log", NGINX_TIMED)]:
        report = subprocess.run([RETORT, "slo", "report", "--spec", str(spec), "--scan", str(APP_DIR),
                                 "--access-log", str(log), "--log-format", log_format, "--format", "json"],
                                capture_output=True, text=True, timeout=120)
        assert report.returncode in (0, 1), report.stderr
        data = json.loads(report.stdout)
        assert data["input"]["bad_lines"] == 0, data["input"]["bad_samples"]
        assert {r["rule"]: r["requests"] for r in data["routes"]} == sent
        assert data["unmatched"]["requests"] == 0
        fast = data["objectives"][1]
        if log_format == "combined":
            assert fast["requests_without_duration"] == 200
        else:
            assert fast["total"] == 200 and fast["requests_without_duration"] == 0
