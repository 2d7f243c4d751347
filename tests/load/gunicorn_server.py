"""A real gunicorn serving a Flask app on 127.0.0.1 for the load tests:
started on a free port, waited for, stopped at the end."""

import contextlib
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app_dir, app):
    """Yields the base URL of `gunicorn app` (e.g. `shop:app`) run in `app_dir`."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
        cwd=app_dir,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("gunicorn exited")
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("gunicorn did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
