#!/usr/bin/env python3
"""Latency of `retort lsp`: from a `didChange` written to the server to the
`publishDiagnostics` of that version read back, on a real project. Not a
test: it prints figures (for docs/workflow.md, "Editor (LSP)").

    bench/lsp.py                                   # examples/shopfront, target/release/retort
    bench/lsp.py --bin target/debug/retort --runs 50 --debounce-ms 0
    bench/lsp.py --project path/to/app --file app/views.py

Each edit alternates between the file as it is on disk and the file with a
`requests.get(url)` without a timeout appended (a REL001 finding), so every
edit changes the diagnostics and is published. Nothing is written to disk:
the edits live in the server's buffer. The server's own figure for the
check alone comes from its `window/logMessage` ("checked ... in N ms").
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = "\n\ndef _retort_probe(url):\n    return requests.get(url)\n"


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive(proc):
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("the server closed its output")
        line = line.strip()
        if not line:
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return json.loads(proc.stdout.read(length))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=str(ROOT / "target/release/retort"))
    parser.add_argument("--project", default=str(ROOT / "examples/shopfront"))
    parser.add_argument("--file", default="shopfront/services/erp.py", help="relative to --project")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--debounce-ms", type=int, default=100, help="the server's default is 100")
    args = parser.parse_args()

    project = Path(args.project).resolve()
    path = project / args.file
    uri = path.as_uri()
    text = path.read_text()
    proc = subprocess.Popen(
        [args.bin, "lsp", "--debounce-ms", str(args.debounce_ms)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    checks_ms = []

    def wait_publish(version):
        while True:
            message = receive(proc)
            if message.get("method") == "window/logMessage":
                found = re.search(r"checked .* in (\d+) ms", message["params"]["message"])
                if found:
                    checks_ms.append(int(found.group(1)))
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"].get("version") == version:
                return message["params"]["diagnostics"]

    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": os.getpid(), "rootUri": project.as_uri(), "capabilities": {}}})
    while receive(proc).get("id") != 1:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    started = time.perf_counter()
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}})
    wait_publish(1)
    open_ms = (time.perf_counter() - started) * 1000

    latencies = []
    for version in range(2, args.runs + 2):
        edited = text + PROBE if version % 2 == 0 else text
        started = time.perf_counter()
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange",
                    "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": edited}]}})
        diagnostics = wait_publish(version)
        latencies.append((time.perf_counter() - started) * 1000)
        has_probe = any(d["code"] == "REL001" and d["range"]["start"]["line"] >= text.count("\n") for d in diagnostics)
        if has_probe != (version % 2 == 0):
            raise SystemExit(f"version {version}: the probe's REL001 is {'missing' if not has_probe else 'left over'}")

    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    while receive(proc).get("id") != 2:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    code = proc.wait(timeout=30)

    files = sum(1 for _ in project.rglob("*.py"))
    latencies.sort()
    p90 = latencies[int(0.9 * (len(latencies) - 1))]
    print(f"project: {project} ({files} .py files), edited: {args.file}, binary: {args.bin}")
    print(f"debounce: {args.debounce_ms} ms, edits: {len(latencies)}, exit code: {code}")
    print(f"didOpen -> publishDiagnostics: {open_ms:.0f} ms")
    print(f"didChange -> publishDiagnostics: median {statistics.median(latencies):.0f} ms, "
          f"p90 {p90:.0f} ms, min {latencies[0]:.0f} ms, max {latencies[-1]:.0f} ms")
    if checks_ms:
        print(f"check alone (server log): median {statistics.median(checks_ms):.0f} ms")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
